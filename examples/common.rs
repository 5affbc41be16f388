//! Shared by the examples: reading the environment `credkit mock` prints.

use anyhow::Context;

/// A variable the mock prints (`export NAME=value`), with a hint when it is missing.
pub fn var(name: &str) -> anyhow::Result<String> {
    std::env::var(name).with_context(|| {
        format!(
            "{name} is not set: start `cargo run -p credkit-cli -- mock` and export what it prints"
        )
    })
}

/// A small PDF-looking file in the temp folder, for the OCR flows.
pub fn sample_pdf() -> anyhow::Result<std::path::PathBuf> {
    let path = std::env::temp_dir().join("credkit-example-report.pdf");
    std::fs::write(
        &path,
        b"%PDF-1.4\n% credkit example: the mock does not read further\n",
    )?;
    Ok(path)
}
