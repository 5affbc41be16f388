//! `credkit-fuzz [--iterations N] [--seed S]`: the fuzz run behind `cargo xtask fuzz`, built in
//! release mode by it. Prints the figures of the run; exits 1 when an input failed, printing
//! what reproduces it.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use credkit_fuzz::{default_fixture_dir, generate, run, Config, Corpus};

#[derive(Parser)]
#[command(
    name = "credkit-fuzz",
    about = "Mutate every fixture against every model; fail on any panic, hang or unbounded output"
)]
struct Args {
    /// How many inputs.
    #[arg(long, default_value_t = 100_000)]
    iterations: u64,
    /// The seed (default: from the clock, printed).
    #[arg(long)]
    seed: Option<u64>,
    /// The first input's index (to reproduce one input: `--start INDEX --iterations 1`).
    #[arg(long, default_value_t = 0)]
    start: u64,
    /// Worker threads.
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// An input taking longer than this many milliseconds is a failure.
    #[arg(long, default_value_t = 2_000)]
    budget_ms: u64,
    /// The fixture folder (default: the workspace's tests/fixtures). Failures print excerpts
    /// of their input: give it synthetic fixtures only, never real payloads.
    #[arg(long)]
    fixtures: Option<PathBuf>,
    /// Also write input `--start` to this file.
    #[arg(long)]
    dump: Option<PathBuf>,
}

fn main() -> ExitCode {
    match fuzz(Args::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn fuzz(args: Args) -> anyhow::Result<ExitCode> {
    let dir = args.fixtures.unwrap_or_else(default_fixture_dir);
    let corpus = Arc::new(Corpus::load(&dir)?);
    let seed = args.seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    });
    if let Some(path) = &args.dump {
        let input = generate(&corpus, seed, args.start);
        std::fs::write(path, &input.bytes)
            .with_context(|| format!("writing {}", path.display()))?;
        println!(
            "wrote input {} (seed {seed}, model {}) to {}",
            args.start,
            input.model_id,
            path.display()
        );
    }
    println!(
        "{} fixtures of {} models; fuzzing {} inputs with seed {seed}",
        corpus.fixtures.len(),
        corpus.model_ids.len(),
        args.iterations
    );
    let config = Config {
        seed,
        start: args.start,
        iterations: args.iterations,
        threads: args.threads,
        budget: Duration::from_millis(args.budget_ms),
        progress: Some(Duration::from_secs(30)),
        ..Config::default()
    };
    let report = run(corpus, &config);
    print!("{report}");
    Ok(if report.passed() {
        println!("no failure");
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "error: {} input(s) failed (seed {seed}); each failure above says how to reproduce it",
            report.failures
        );
        ExitCode::FAILURE
    })
}
