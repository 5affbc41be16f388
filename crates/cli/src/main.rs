//! `credkit`: work with vendor payloads through the generated models.

mod env;
mod parse;
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
    /// Call DeepFinch (credentials and base URLs from the environment).
    #[command(subcommand)]
    Deepfinch(vendor::DeepFinchCommand),
    /// Call Dianhua 邦秒爬 (credentials and base URLs from the environment).
    #[command(subcommand)]
    Dianhua(vendor::DianhuaCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Parse(args) => parse::run(&args),
        Command::Deepfinch(command) => vendor::run_deepfinch(command),
        Command::Dianhua(command) => vendor::run_dianhua(command),
    }
}
