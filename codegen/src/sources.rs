//! The generator's inputs at a git revision, for `cargo xtask diff`.

use std::path::Path;

use crate::workspace::Sources;
use crate::CodegenError;

fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>, CodegenError> {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| CodegenError::Git(format!("running git: {e}")))?;
    if !output.status.success() {
        return Err(CodegenError::Git(format!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(output.stdout)
}

/// The merge-base of `HEAD` and `main`, or `HEAD` when there is none.
pub fn default_base(root: &Path) -> String {
    git(root, &["merge-base", "HEAD", "main"])
        .map(|out| String::from_utf8_lossy(&out).trim().to_owned())
        .unwrap_or_else(|_| "HEAD".to_owned())
}

/// Every `*.json` under `schemas/` at `revision`, by path under `schemas/`.
pub fn at_revision(root: &Path, revision: &str) -> Result<Sources, CodegenError> {
    let listing = git(
        root,
        &["ls-tree", "-r", "--name-only", revision, "--", "schemas"],
    )?;
    let mut out = Sources::new();
    for path in String::from_utf8_lossy(&listing)
        .lines()
        .filter(|p| p.ends_with(".json"))
    {
        let text = git(root, &["show", &format!("{revision}:{path}")])?;
        let value = serde_json::from_slice(&text).map_err(|source| CodegenError::Json {
            path: format!("{path} at {revision}").into(),
            source,
        })?;
        out.insert(path.trim_start_matches("schemas/").to_owned(), value);
    }
    Ok(out)
}
