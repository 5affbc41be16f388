//! `credkit parse` and `credkit audit` on hostile payloads: they agree on what parses
//! (nesting, UTF-8, surrogates, unknown fields included), and their output stays small
//! whatever the size of the values and keys.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const MODEL: &str = "deepfinch/credit-report-v1";

/// Nesting credkit accepts: the body object is level 1 (see `credkit_runtime::MAX_NESTING`).
const MAX_NESTING: usize = credkit_runtime::MAX_NESTING;

fn credkit(args: &[&str], file: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_credkit"))
        .args(args)
        .arg(file)
        .output()
        .expect("credkit runs")
}

fn write(dir: &tempfile::TempDir, name: &str, body: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, body).expect("write");
    path
}

fn nested(levels: usize) -> String {
    format!("{}{}", "[".repeat(levels), "]".repeat(levels))
}

/// Whether `credkit parse` accepts the body, and whether `credkit audit` says it parses.
fn verdicts(dir: &tempfile::TempDir, body: &[u8]) -> (bool, bool) {
    let file = write(dir, "body.json", body);
    let parse = credkit(&["parse", MODEL], &file);
    let audit = credkit(&["audit", MODEL], &file);
    let parses = match parse.status.code() {
        Some(0) => true,
        Some(1) => false,
        other => panic!("parse exit {other:?}"),
    };
    let audit_parses = match audit.status.code() {
        Some(0 | 1) => true,
        Some(2) => false,
        other => panic!("audit exit {other:?}"),
    };
    (parses, audit_parses)
}

#[test]
fn parse_and_audit_agree_on_nesting_in_unknown_fields() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The body object is level 1, so the field's value may add MAX_NESTING - 1 levels.
    for (levels, accepted) in [
        (1, true),
        (MAX_NESTING - 1, true),
        (MAX_NESTING, false),
        (200, false),
        (100_000, false),
    ] {
        let body = format!(
            r#"{{"serialNo": "x", "newVendorField": {}}}"#,
            nested(levels)
        );
        assert_eq!(
            verdicts(&dir, body.as_bytes()),
            (accepted, accepted),
            "nested {levels}"
        );
    }
}

#[test]
fn parse_and_audit_agree_on_encoding_in_unknown_fields() {
    let dir = tempfile::tempdir().expect("tempdir");
    for body in [
        &br#"{"serialNo": "x", "newVendorField": "\ud800"}"#[..],
        br#"{"serialNo": "x", "newVendorField": {"\udc00": 1}}"#,
        b"{\"serialNo\": \"x\", \"newVendorField\": \"\xff\"}",
        br#"{"serialNo": "\ud800"}"#,
    ] {
        let text = String::from_utf8_lossy(body);
        assert_eq!(verdicts(&dir, body), (false, false), "{text}");
    }
    let fine = br#"{"serialNo": "x", "newVendorField": ["\ud83d\ude00", "\\ud800"]}"#;
    assert_eq!(verdicts(&dir, fine), (true, true));
}

#[test]
fn a_deep_unknown_field_is_reported_with_its_path_and_position() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = format!(r#"{{"serialNo": "x", "newVendorField": {}}}"#, nested(200));
    let file = write(&dir, "deep.json", body.as_bytes());
    let output = credkit(&["parse", MODEL], &file);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("at newVendorField[0][0]"), "{stderr}");
    assert!(stderr.contains("nested deeper than 127 levels"), "{stderr}");
    assert!(stderr.contains("(line 1, column "), "{stderr}");
}

const MB: usize = 1024 * 1024;
/// Generous bound on everything credkit prints about a hostile payload.
const SMALL: usize = 8 * 1024;

#[test]
fn a_huge_value_in_a_typed_field_gives_short_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = format!(r#"{{"serialNo": "x", "loans": "{}"}}"#, "a".repeat(10 * MB));
    let file = write(&dir, "huge.json", body.as_bytes());
    for args in [
        &["parse", MODEL][..],
        &["parse", "--json", MODEL],
        &["audit", MODEL],
        &["audit", "--json", MODEL],
    ] {
        let output = credkit(args, &file);
        let printed = output.stdout.len() + output.stderr.len();
        assert!(printed < SMALL, "{args:?}: {printed} bytes");
        assert_ne!(output.status.code(), Some(0), "{args:?}");
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(all.contains("(10485760 bytes)"), "{args:?}: {all}");
    }
}

#[test]
fn a_huge_unknown_key_gives_short_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = format!(r#"{{"serialNo": "x", "{}": 1}}"#, "k".repeat(10 * MB));
    let file = write(&dir, "key.json", body.as_bytes());
    for args in [
        &["parse", MODEL][..],
        &["parse", "--json", MODEL],
        &["audit", MODEL],
        &["audit", "--json", MODEL],
    ] {
        let output = credkit(args, &file);
        assert!(
            output.stdout.len() + output.stderr.len() < SMALL,
            "{args:?}: {} bytes",
            output.stdout.len()
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            stdout.contains("…\\\" (10485760 bytes)") || stdout.contains("…\" (10485760 bytes)"),
            "{args:?}: {stdout}"
        );
    }
}

#[test]
fn a_megabyte_value_is_not_echoed_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = format!(r#"{{"serialNo": ["{}"]}}"#, "b".repeat(MB));
    let file = write(&dir, "mb.json", body.as_bytes());
    let output = credkit(&["parse", MODEL], &file);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stderr.len() < SMALL, "{} bytes", output.stderr.len());
}
