//! Wall time of `cargo xtask gen --check` (the whole generation, writing nothing), warm.

use std::io::Write;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::inputs::workspace_root;
use crate::timing::{median, ms};
use crate::Options;

/// Runs `cargo xtask gen --check` once to warm up (build, caches), then times it.
///
/// # Errors
///
/// When cargo cannot be spawned or the generated code is stale.
pub fn run(options: Options, out: &mut dyn Write) -> anyhow::Result<()> {
    let runs = if options.quick { 1 } else { 5 };
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let once = || -> anyhow::Result<Duration> {
        let started = Instant::now();
        let output = Command::new(&cargo)
            .args(["xtask", "gen", "--check"])
            .current_dir(workspace_root())
            .output()
            .context("spawning cargo xtask gen --check")?;
        let elapsed = started.elapsed();
        anyhow::ensure!(
            output.status.success(),
            "cargo xtask gen --check failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        Ok(elapsed)
    };
    once()?;
    let times = (0..runs)
        .map(|_| once())
        .collect::<anyhow::Result<Vec<_>>>()?;
    writeln!(out, "### `cargo xtask gen --check`, warm\n")?;
    writeln!(out, "| runs | median wall time (ms) |\n|---:|---:|")?;
    writeln!(out, "| {runs} | {} |\n", ms(median(times)))?;
    Ok(())
}
