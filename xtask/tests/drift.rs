//! `cargo xtask gen --check` on a copy of the workspace: clean when the committed code matches
//! the schemas, a failure with a unified diff after one description changes, and clean again
//! after `gen` writes the new code.

mod common;

use std::path::Path;

use common::copy_dir;
use std::process::{Command, Output};

/// The schemas and the generated crates, copied into a temporary workspace.
fn copy_workspace() -> tempfile::TempDir {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("root");
    let copy = tempfile::tempdir().expect("tempdir");
    copy_dir(&workspace.join("schemas"), &copy.path().join("schemas"));
    copy_dir(
        &workspace.join("docs/reference"),
        &copy.path().join("docs/reference"),
    );
    for vendor in ["deepfinch", "dianhua"] {
        for kind in ["models", "client"] {
            let crate_dir = format!("crates/{vendor}-{kind}");
            copy_dir(&workspace.join(&crate_dir), &copy.path().join(&crate_dir));
        }
    }
    copy
}

fn xtask(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .expect("xtask runs")
}

#[test]
fn check_fails_with_a_diff_when_a_description_changes() {
    let copy = copy_workspace();

    let clean = xtask(copy.path(), &["gen", "--check"]);
    assert!(
        clean.status.success(),
        "{}",
        String::from_utf8_lossy(&clean.stderr)
    );

    let schema_path = copy.path().join("schemas/deepfinch/credit-report-v1.json");
    let mut schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&schema_path).expect("read")).expect("json");
    schema["properties"]["serialNo"]["description"] = "报告编号(已修改)".into();
    std::fs::write(
        &schema_path,
        serde_json::to_string_pretty(&schema).expect("json"),
    )
    .expect("write");

    let stale = xtask(copy.path(), &["gen", "--check"]);
    assert_eq!(stale.status.code(), Some(1));
    let diff = String::from_utf8_lossy(&stale.stdout);
    assert!(
        diff.contains("--- a/crates/deepfinch-models/src/credit_report_v1.rs (committed)"),
        "{diff}"
    );
    assert!(diff.contains("+    /// 报告编号(已修改)"), "{diff}");
    assert!(diff.contains("-    /// 报告编号"), "{diff}");
    assert!(
        diff.contains("b/docs/reference/deepfinch/credit-report-v1.md (generated)"),
        "{diff}"
    );
    assert!(String::from_utf8_lossy(&stale.stderr).contains("run `cargo xtask gen`"));

    let regenerate = xtask(copy.path(), &["gen"]);
    assert!(regenerate.status.success());
    let clean_again = xtask(copy.path(), &["gen", "--check"]);
    assert!(clean_again.status.success());
}

#[test]
fn check_reports_a_generated_file_no_schema_produces() {
    let copy = copy_workspace();
    // The JD channel goes away: its model and its endpoint description.
    std::fs::remove_file(copy.path().join("schemas/deepfinch/jd/credit-report.json")).expect("rm");
    std::fs::remove_file(copy.path().join("schemas/deepfinch/jd.openapi.json")).expect("rm");
    let stale = xtask(copy.path(), &["gen", "--check"]);
    assert_eq!(stale.status.code(), Some(1));
    let diff = String::from_utf8_lossy(&stale.stdout);
    assert!(
        diff.contains("a/crates/deepfinch-models/src/jd/credit_report.rs"),
        "{diff}"
    );
}
