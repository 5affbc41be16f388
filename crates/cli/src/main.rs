//! `credkit`: work with vendor payloads through the generated models.

mod audit;
mod batch;
mod env;
mod mock;
mod parse;
mod suggest;
mod transform;
mod vendor;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "credkit",
    version,
    about = "Typed SDK tooling for Chinese credit-data vendors"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse a JSON payload with a generated model; list the fields it ignored.
    Parse(parse::ParseArgs),
    /// Compare real responses with a model: unknown fields, missing required fields, mistyped
    /// values, and whether the generated types still parse them.
    Audit(audit::AuditArgs),
    /// Print a payload with every value that has a declared format converted (amounts,
    /// counts and percents as numbers, dates in ISO 8601, month grids as arrays); misfits on
    /// stderr, exit 1 if any.
    Normalize(transform::NormalizeArgs),
    /// Print a payload with every personal-data value replaced by a deterministic placeholder
    /// of the same shape, to share it as a fixture or in a bug report.
    Redact(transform::RedactArgs),
    /// Call DeepFinch (credentials and base URLs from the environment).
    #[command(subcommand)]
    Deepfinch(vendor::DeepFinchCommand),
    /// Call Dianhua 邦秒爬 (credentials and base URLs from the environment).
    #[command(subcommand)]
    Dianhua(vendor::DianhuaCommand),
    /// Serve a local mock of all five vendor systems; prints the environment to use it.
    Mock(mock::MockArgs),
}

/// Writes a line to standard output. A reader that went away (`credkit … | head`) ends the
/// process quietly instead of a panic, like other command-line tools.
pub(crate) fn out(line: impl std::fmt::Display) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(error) = writeln!(stdout, "{line}").and_then(|()| stdout.flush()) {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write to standard output: {error}");
        std::process::exit(2);
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Parse(args) => parse::run(&args),
        Command::Audit(args) => audit::run(&args),
        Command::Normalize(args) => transform::run_normalize(&args),
        Command::Redact(args) => transform::run_redact(&args),
        Command::Deepfinch(command) => vendor::run_deepfinch(command),
        Command::Dianhua(command) => vendor::run_dianhua(command),
        Command::Mock(args) => mock::run(&args),
    }
}
