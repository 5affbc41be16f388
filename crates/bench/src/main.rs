//! `credkit-bench [--quick] [--no-parse] [--no-client] [--no-gen] [--no-memory]`: prints credkit's benchmark tables.
//! `credkit-bench --profile-parse <input>:<row> [--seconds N]`: repeats one parse path alone,
//! for a profiler.
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
    /// Instead of the tables, repeat one parse path alone for a profiler: `<input>:<row>`,
    /// e.g. `calls-report:parse_json` (rows: ignored-any, value, typed, parse_json,
    /// serde_ignored, path_to_error, both).
    #[arg(long, value_name = "INPUT:ROW")]
    profile_parse: Option<String>,
    /// How long `--profile-parse` runs.
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
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
    let result = match &cli.profile_parse {
        Some(target) => std::time::Duration::try_from_secs_f64(cli.seconds)
            .map_err(anyhow::Error::from)
            .and_then(|duration| credkit_bench::profile_parse(target, duration, &mut stdout)),
        None => credkit_bench::run(options, &mut stdout),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
