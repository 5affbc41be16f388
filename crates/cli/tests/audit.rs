//! `credkit audit`: unknown fields, missing required fields and mistyped values, with their
//! paths, and an exit status per outcome (0 clean, 1 drift that parses, 2 does not parse).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(rel)
}

fn audit(model: &str, files: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_credkit"))
        .arg("audit")
        .arg(model)
        .args(files)
        .output()
        .expect("credkit runs")
}

fn write(dir: &tempfile::TempDir, name: &str, body: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, body).expect("write");
    path
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_fixture_is_clean() {
    let file = fixture("deepfinch/private/credit-report-v2/realistic-success.json");
    let output = audit("deepfinch/private/credit-report-v2", &[&file]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("result: clean"));
}

#[test]
fn unknown_fields_are_drift_that_still_parses() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(
        &dir,
        "r.json",
        r#"{"status": "OK", "result": {"creditHeader": {"idNum": "110", "newField": 1}}, "traceId": "x"}"#,
    );
    let output = audit("deepfinch/private/credit-report-v2", &[&file]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let text = stdout(&output);
    assert!(
        text.contains("unknown fields (2):\n    result.creditHeader.newField\n    traceId\n"),
        "{text}"
    );
    assert!(
        text.contains("drifts from the schema but still parses"),
        "{text}"
    );
}

#[test]
fn unknown_missing_and_mistyped_are_all_listed_with_paths() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(
        &dir,
        "r.json",
        r#"{"result": {"creditHeader": {"idNum": 110105198807154312, "newField": 1}}}"#,
    );
    let output = audit("deepfinch/private/credit-report-v2", &[&file]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    let text = stdout(&output);
    assert!(
        text.contains("unknown fields (1):\n    result.creditHeader.newField\n"),
        "{text}"
    );
    assert!(
        text.contains("missing required fields (1):\n    status\n"),
        "{text}"
    );
    assert!(
        text.contains("mistyped values (1):\n    result.creditHeader.idNum: "),
        "{text}"
    );
    assert!(text.contains("found number 110105198807154312"), "{text}");
    assert!(
        text.contains("does NOT parse with the generated types"),
        "{text}"
    );
}

#[test]
fn several_files_exit_with_the_worst_outcome() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clean = fixture("dianhua/itag/realistic-itag.json");
    let broken = write(&dir, "broken.json", "{not json");
    let output = audit("dianhua/itag", &[&clean, &broken]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stdout(&output).contains("not JSON"));
}

#[test]
fn an_unknown_model_is_a_usage_error() {
    let output = audit("nope/model", &[Path::new("x.json")]);
    assert_eq!(output.status.code(), Some(64));
}

fn json_audit(model: &str, files: &[&Path]) -> (Option<i32>, serde_json::Value) {
    let output = Command::new(env!("CARGO_BIN_EXE_credkit"))
        .args(["audit", "--json", model])
        .args(files)
        .output()
        .expect("credkit runs");
    let document = serde_json::from_slice(&output.stdout).expect("one JSON document");
    (output.status.code(), document)
}

#[test]
fn json_output_has_findings_by_kind_per_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clean = fixture("deepfinch/private/credit-report-v2/realistic-success.json");
    let drift = write(
        &dir,
        "drift.json",
        r#"{"status": "OK", "result": {"creditHeader": {"newField": 1}}}"#,
    );
    let broken = write(
        &dir,
        "broken.json",
        r#"{"result": {"creditHeader": {"idNum": 110105198807154312}}}"#,
    );
    let model = "deepfinch/private/credit-report-v2";
    let (code, document) = json_audit(model, &[&clean, &drift, &broken]);
    assert_eq!(code, Some(2));
    assert_eq!(document["format_version"], 1);
    assert_eq!(document["command"], "audit");
    assert_eq!(document["model"], model);
    assert_eq!(document["verdict"], "does_not_parse");
    let files = document["files"].as_array().expect("files");
    assert_eq!(files.len(), 3);
    assert_eq!(files[0]["verdict"], "clean");
    assert!(files[0]["error"].is_null());
    assert_eq!(files[1]["verdict"], "drift");
    assert_eq!(
        files[1]["unknown"],
        serde_json::json!(["result.creditHeader.newField"])
    );
    assert_eq!(files[2]["verdict"], "does_not_parse");
    assert_eq!(files[2]["missing"], serde_json::json!(["status"]));
    assert_eq!(files[2]["mistyped"][0]["path"], "result.creditHeader.idNum");
    assert!(files[2]["mistyped"][0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("found number")));
    assert_eq!(files[2]["error"]["kind"], "mismatch");
    assert_eq!(files[2]["error"]["path"], "result.creditHeader.idNum");
    assert!(files[2]["error"]["line"].as_u64().is_some());
}

#[test]
fn json_output_for_a_file_that_is_not_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let broken = write(&dir, "broken.json", "{not json");
    let (code, document) = json_audit("dianhua/itag", &[&broken]);
    assert_eq!(code, Some(2));
    assert_eq!(document["files"][0]["error"]["kind"], "syntax");
    assert_eq!(document["files"][0]["error"]["line"], 1);
}
