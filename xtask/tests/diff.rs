//! `cargo xtask diff HEAD~1` in a scratch git repository holding a copy of the schemas.

mod common;

use std::path::Path;

use common::copy_dir;
use std::process::{Command, Output};

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.invalid",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

fn xtask_diff(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("diff")
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .expect("xtask runs")
}

fn edit(path: &Path, change: impl FnOnce(&mut serde_json::Value)) {
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("json");
    change(&mut value);
    std::fs::write(path, serde_json::to_string_pretty(&value).expect("json")).expect("write");
}

#[test]
fn diff_against_the_previous_commit() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("root");
    let repo = tempfile::tempdir().expect("tempdir");
    copy_dir(&workspace.join("schemas"), &repo.path().join("schemas"));
    git(repo.path(), &["init", "-q", "-b", "main"]);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "schemas"]);

    // A compatible change: an optional field and an alias.
    let v1 = repo.path().join("schemas/deepfinch/credit-report-v1.json");
    edit(&v1, |schema| {
        schema["$defs"]["Loan"]["properties"]["loanPurpose"] = serde_json::json!({
            "type": "string", "description": "贷款用途", "x-credkit-gloss": "loan purpose", "x-credkit-source": "test"
        });
    });
    git(repo.path(), &["commit", "-q", "-am", "compatible"]);
    let output = xtask_diff(repo.path(), &["HEAD~1"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(
        text.contains(
            "wire: compatible rust: compatible Loan.loanPurpose: property added (optional)"
        ),
        "{text}"
    );

    // A breaking change in the working tree, against the last commit.
    edit(&v1, |schema| {
        schema["required"] = serde_json::json!(["serialNo"]);
    });
    let output = xtask_diff(repo.path(), &["HEAD"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(
        text.contains(
            "wire: BREAKING   rust: BREAKING   CreditReportV1.serialNo: optional → required"
        ),
        "{text}"
    );
    assert!(
        text.contains("1 breaking for the wire, 1 breaking for the Rust API"),
        "{text}"
    );

    let output = xtask_diff(repo.path(), &["HEAD", "--format", "markdown"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("| `CreditReportV1.serialNo` | optional → required (`Option<T>` → `T`) | **breaking** | **breaking** |"), "{text}");
}
