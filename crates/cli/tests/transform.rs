//! `credkit normalize` and `credkit redact` end to end, on every committed fixture.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

/// Every fixture with its model id (its folder under `tests/fixtures/`).
fn fixtures() -> Vec<(String, PathBuf)> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, PathBuf)>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .expect("fixtures folder")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                let id = path
                    .parent()
                    .and_then(|p| p.strip_prefix(root).ok())
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .expect("model folder");
                out.push((id, path));
            }
        }
    }
    let mut out = Vec::new();
    let root = fixtures_dir();
    walk(&root, &root, &mut out);
    assert!(out.len() > 20, "fixtures found: {}", out.len());
    out
}

fn credkit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_credkit"))
        .args(args)
        .output()
        .expect("credkit runs")
}

/// Every key path of a document (array indices as `[]`).
fn key_paths(value: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(members) => {
            for (key, child) in members {
                let path = format!("{prefix}.{key}");
                out.insert(path.clone());
                key_paths(child, &path, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                key_paths(item, &format!("{prefix}[]"), out);
            }
        }
        _ => {}
    }
}

/// Every string and number leaf of a document.
fn leaves(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(members) => members.values().for_each(|v| leaves(v, out)),
        Value::Array(items) => items.iter().for_each(|v| leaves(v, out)),
        Value::String(text) => {
            out.insert(text.clone());
        }
        Value::Number(n) => {
            out.insert(n.to_string());
        }
        _ => {}
    }
}

#[test]
fn redacting_any_fixture_keeps_it_parseable_with_every_key_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (id, path) in fixtures() {
        let output = credkit(&["redact", &id, &path.to_string_lossy()]);
        assert!(
            output.status.success(),
            "{}: {}",
            path.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        let redacted: Value = serde_json::from_slice(&output.stdout).expect("redact prints JSON");
        let original: Value =
            serde_json::from_slice(&std::fs::read(&path).expect("fixture")).expect("JSON");
        let (mut before, mut after) = (BTreeSet::new(), BTreeSet::new());
        key_paths(&original, "$", &mut before);
        key_paths(&redacted, "$", &mut after);
        assert_eq!(before, after, "{}: key paths changed", path.display());
        let out = dir.path().join("redacted.json");
        std::fs::write(&out, &output.stdout).expect("write");
        let parsed = credkit(&["parse", &id, &out.to_string_lossy()]);
        assert!(
            parsed.status.success(),
            "{}: the redacted payload does not parse: {}",
            path.display(),
            String::from_utf8_lossy(&parsed.stdout)
        );
    }
}

#[test]
fn redaction_replaces_names_id_numbers_and_phones_deterministically() {
    let path = fixtures_dir().join("deepfinch/credit-report-v1/realistic-full.json");
    let original: Value =
        serde_json::from_slice(&std::fs::read(&path).expect("fixture")).expect("JSON");
    let first = credkit(&[
        "redact",
        "deepfinch/credit-report-v1",
        &path.to_string_lossy(),
    ]);
    let again = credkit(&[
        "redact",
        "deepfinch/credit-report-v1",
        &path.to_string_lossy(),
    ]);
    assert_eq!(first.stdout, again.stdout, "same input, same output");
    let redacted: Value = serde_json::from_slice(&first.stdout).expect("JSON");
    let mut remaining = BTreeSet::new();
    leaves(&redacted, &mut remaining);
    // The personal data of this fixture: a spouse's name and phone, the applicant's mobile,
    // an address, a guarantor's name.
    for pointer in [
        "/profile/connubialInfo/name",
        "/profile/connubialInfo/tel",
        "/profile/mobile",
        "/profile/livedInfos/0/address",
        "/loanGuaranteeInfos/0/guarantorName",
    ] {
        let value = original
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("the fixture has {pointer}"));
        assert!(
            !remaining.contains(value),
            "{pointer} `{value}` survived redaction"
        );
        let placeholder = redacted
            .pointer(pointer)
            .and_then(Value::as_str)
            .expect("kept");
        assert!(!placeholder.is_empty(), "{pointer} has a placeholder");
    }
    let seeded = credkit(&[
        "redact",
        "deepfinch/credit-report-v1",
        &path.to_string_lossy(),
        "--seed",
        "7",
    ]);
    assert_ne!(
        first.stdout, seeded.stdout,
        "another seed, other placeholders"
    );
}

#[test]
fn normalize_converts_declared_formats_and_reports_misfits() {
    let dir = fixtures_dir().join("deepfinch/credit-report-v1");
    let ok = credkit(&[
        "normalize",
        "deepfinch/credit-report-v1",
        &dir.join("formats-spellings.json").to_string_lossy(),
    ]);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let normalized: Value = serde_json::from_slice(&ok.stdout).expect("JSON");
    assert_eq!(normalized["askAt"], "2016-08-26T14:32:22");
    assert_eq!(normalized["creditCards"][0]["amount"], 50000);
    assert_eq!(normalized["creditCards"][0]["balance"], -27);
    assert_eq!(
        normalized["creditCards"][0]["last24Status"]
            .as_array()
            .map(Vec::len),
        Some(24)
    );

    let bad = credkit(&[
        "normalize",
        "deepfinch/credit-report-v1",
        &dir.join("formats-misfits.json").to_string_lossy(),
    ]);
    assert_eq!(bad.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains(r#"loans[0].finAt: "2016.13" is not a valid date"#),
        "{stderr}"
    );
    assert!(
        serde_json::from_slice::<Value>(&bad.stdout).is_ok(),
        "still prints the payload"
    );

    let usage = credkit(&["normalize", "no/such-model", "-"]);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn audit_reports_misfits_and_probable_column_shifts() {
    let path = fixtures_dir().join("deepfinch/credit-report-v1/formats-misfits.json");
    let output = credkit(&[
        "audit",
        "--json",
        "deepfinch/credit-report-v1",
        &path.to_string_lossy(),
    ]);
    assert_eq!(output.status.code(), Some(1), "drift that still parses");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let misfits = report["files"][0]["misfits"].as_array().expect("misfits");
    let shifted = misfits
        .iter()
        .find(|m| m["path"] == "creditInfo.houseLoansNum")
        .expect("the date in a count field is found");
    assert_eq!(shifted["format"], "count");
    assert!(shifted["fits"]
        .as_array()
        .expect("fits")
        .iter()
        .any(|f| f["format"] == "date"));
}

#[test]
fn audit_reports_tolerated_drift_as_mistyped() {
    let path = fixtures_dir().join("dianhua/calls-report/drift-php-fastjson.json");
    let output = credkit(&[
        "audit",
        "--json",
        "dianhua/calls-report",
        &path.to_string_lossy(),
    ]);
    assert_eq!(output.status.code(), Some(1), "drift that still parses");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let mistyped: Vec<&str> = report["files"][0]["mistyped"]
        .as_array()
        .expect("mistyped")
        .iter()
        .filter_map(|m| m["path"].as_str())
        .collect();
    for path in [
        "data.call_behavior.number_used.unnormal_flag",
        "data.calls_overview.call_times_sum",
        "data.calls_sa_monthly_usage[0].month",
    ] {
        assert!(mistyped.contains(&path), "{path} not in {mistyped:?}");
    }
}

#[test]
fn normalize_json_is_one_documented_document() {
    let dir = fixtures_dir().join("deepfinch/credit-report-v1");
    let output = credkit(&[
        "normalize",
        "--json",
        "deepfinch/credit-report-v1",
        &dir.join("formats-misfits.json").to_string_lossy(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let document: Value = serde_json::from_slice(&output.stdout).expect("one JSON document");
    assert_eq!(document["format_version"], 1);
    assert_eq!(document["command"], "normalize");
    assert_eq!(document["verdict"], "misfits");
    assert!(document["normalized"].is_object());
    let misfit = document["misfits"]
        .as_array()
        .expect("misfits")
        .iter()
        .find(|m| m["path"] == "loans[0].finAt")
        .expect("the planted misfit");
    assert_eq!(misfit["format"], "date");
    assert_eq!(misfit["text"], "2016.13");
    assert_eq!(misfit["reason"], "out_of_range");
}
