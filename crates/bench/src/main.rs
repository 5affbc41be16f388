//! `credkit-bench [--quick] [--no-parse] [--no-client] [--no-gen] [--no-memory]`: prints credkit's benchmark tables.
//! Usually run as `cargo xtask bench` (release) or `cargo xtask bench --quick`.

use std::process::ExitCode;

use clap::Parser;

#[derive(Parser)]
#[command(name = "credkit-bench", about = "credkit's benchmark tables")]
struct Cli {
    /// Small inputs, few repetitions: checks that the benches run; the figures mean nothing.
    #[arg(long)]
    quick: bool,
    /// Skip the parse table.
    #[arg(long)]
    no_parse: bool,
    /// Skip the client table.
    #[arg(long)]
    no_client: bool,
    /// Skip timing `cargo xtask gen`.
    #[arg(long)]
    no_gen: bool,
    /// Skip the memory benches (upload and response peak RSS).
    #[arg(long)]
    no_memory: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut options = if cli.quick {
        credkit_bench::Options::quick()
    } else {
        credkit_bench::Options::full()
    };
    options.parse &= !cli.no_parse;
    options.client &= !cli.no_client;
    options.gen &= !cli.no_gen;
    options.memory &= !cli.no_memory;
    let mut stdout = std::io::stdout();
    match credkit_bench::run(options, &mut stdout) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
