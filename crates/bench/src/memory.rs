//! The memory figures of the existing benches, run as they are: the upload peak RSS
//! (`cargo bench -p deepfinch-client --bench upload_memory`) and the response peak RSS (the
//! example `response_memory` of credkit-runtime). Their output is copied into the report.

use std::io::Write;
use std::process::Command;

use anyhow::Context;

use crate::inputs::workspace_root;

/// The two commands, with a title each.
const BENCHES: &[(&str, &[&str])] = &[
    (
        "Upload peak RSS (`cargo bench -p deepfinch-client --bench upload_memory`)",
        &["bench", "-q", "-p", "deepfinch-client", "--bench", "upload_memory"],
    ),
    (
        "Response peak RSS (`cargo run --release -p credkit-runtime --features fault-server --example response_memory`)",
        &[
            "run",
            "-q",
            "--release",
            "-p",
            "credkit-runtime",
            "--features",
            "fault-server",
            "--example",
            "response_memory",
        ],
    ),
];

/// Runs both benches and copies their tables into `out`.
///
/// # Errors
///
/// When cargo cannot be spawned or a bench fails.
pub fn run(out: &mut dyn Write) -> anyhow::Result<()> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    for (title, args) in BENCHES {
        let output = Command::new(&cargo)
            .args(*args)
            .current_dir(workspace_root())
            .output()
            .with_context(|| format!("spawning cargo {}", args.join(" ")))?;
        anyhow::ensure!(
            output.status.success(),
            "cargo {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        );
        writeln!(out, "### {title}\n\n```text")?;
        out.write_all(&output.stdout)?;
        writeln!(out, "```\n")?;
    }
    Ok(())
}
