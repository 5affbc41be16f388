//! `credkit parse` end to end: the real binary on the committed fixtures.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(rel)
}

fn credkit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_credkit"))
        .args(args)
        .output()
        .expect("credkit runs")
}

fn credkit_stdin(args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_credkit"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("credkit runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("writes");
    child.wait_with_output().expect("finishes")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn list_prints_the_thirteen_model_ids() {
    let output = credkit(&["parse", "--list"]);
    assert!(output.status.success());
    let ids: Vec<String> = text(&output.stdout).lines().map(str::to_owned).collect();
    assert_eq!(
        ids,
        vec![
            "deepfinch/cloud/task-result",
            "deepfinch/credit-report-v1",
            "deepfinch/credit-report-v2",
            "deepfinch/jd/credit-report",
            "deepfinch/private/credit-report-v2",
            "deepfinch/tencent/credit-report-v2",
            "dianhua/auth-callback",
            "dianhua/calls-record",
            "dianhua/calls-report",
            "dianhua/contactor",
            "dianhua/cuishou",
            "dianhua/itag",
            "dianhua/report-callback",
        ]
    );
}

#[test]
fn accepts_the_document_example() {
    let path = fixture("deepfinch/credit-report-v1/doc-000-example.json");
    let output = credkit(&[
        "parse",
        "deepfinch/credit-report-v1",
        path.to_str().expect("utf-8"),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("no unknown fields"));
}

#[test]
fn accepts_a_report_without_empty_sections() {
    let path = fixture("deepfinch/credit-report-v1/realistic-sparse.json");
    let output = credkit(&[
        "parse",
        "deepfinch/credit-report-v1",
        path.to_str().expect("utf-8"),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
}

#[test]
fn lists_unknown_fields_as_ignored() {
    let output = credkit_stdin(
        &["parse", "deepfinch/credit-report-v1", "-"],
        r#"{"serialNo": "2016082600001", "loans": [{"amount": "50,000", "newVendorField": 1}], "brandNew": true}"#,
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(stdout.contains("ignored 2 unknown field(s)"), "{stdout}");
    assert!(stdout.contains("  loans[0].newVendorField"), "{stdout}");
    assert!(stdout.contains("  brandNew"), "{stdout}");
}

#[test]
fn rejects_loans_as_an_object_naming_loans() {
    let output = credkit_stdin(
        &["parse", "deepfinch/credit-report-v1", "-"],
        r#"{"serialNo": "x", "loans": {"amount": "1"}}"#,
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("at loans: invalid type: map, expected a sequence"),
        "{stderr}"
    );
}

#[test]
fn rejects_an_array_where_an_object_is_required_with_its_path() {
    let output = credkit_stdin(
        &["parse", "deepfinch/cloud/task-result", "-"],
        r#"{"status": "OK", "structured_result": {"profile": []}}"#,
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("at structured_result.profile: "),
        "{stderr}"
    );
}

#[test]
fn invalid_json_is_a_parse_failure_not_a_crash() {
    let output = credkit_stdin(
        &["parse", "deepfinch/credit-report-v1", "-"],
        r#"{"loans": [}"#,
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("line 1"));
}

#[test]
fn unknown_model_id_is_a_usage_error() {
    let output = credkit_stdin(&["parse", "deepfinch/nope", "-"], "{}");
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("credkit parse --list"));
}

#[test]
fn a_union_body_that_fits_no_shape_names_the_closest_one() {
    let output = credkit_stdin(
        &["parse", "deepfinch/tencent/credit-report-v2", "-"],
        r#"{"creditHeader": {"idNum": [1]}}"#,
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(
            "closest shape CreditReportV2: at creditHeader.idNum: invalid type: sequence"
        ),
        "{stderr}"
    );
}

fn json_of(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).expect("one JSON document on stdout")
}

#[test]
fn json_output_for_a_clean_payload() {
    let path = fixture("deepfinch/credit-report-v1/doc-000-example.json");
    let output = credkit(&[
        "parse",
        "--json",
        "deepfinch/credit-report-v1",
        path.to_str().expect("utf-8"),
    ]);
    assert_eq!(output.status.code(), Some(0));
    let document = json_of(&output);
    assert_eq!(document["format_version"], 1);
    assert_eq!(document["command"], "parse");
    assert_eq!(document["verdict"], "ok");
    assert_eq!(document["model"], "deepfinch/credit-report-v1");
    assert_eq!(document["file"], path.to_str().expect("utf-8"));
    assert_eq!(document["ignored"], serde_json::json!([]));
    assert!(document["error"].is_null());
    assert!(document["closest_shape"].is_null());
}

#[test]
fn json_output_lists_ignored_fields() {
    let output = credkit_stdin(
        &["parse", "--json", "deepfinch/credit-report-v1", "-"],
        r#"{"serialNo": "1", "loans": [{"newVendorField": 1}], "brandNew": true}"#,
    );
    assert_eq!(output.status.code(), Some(0));
    let document = json_of(&output);
    assert_eq!(document["verdict"], "ok");
    assert_eq!(document["file"], "-");
    assert_eq!(
        document["ignored"],
        serde_json::json!(["loans[0].newVendorField", "brandNew"])
    );
}

#[test]
fn json_output_for_a_failure_has_kind_path_and_position() {
    let output = credkit_stdin(
        &["parse", "--json", "deepfinch/credit-report-v1", "-"],
        "{\"serialNo\": \"x\",\n \"loans\": {\"amount\": \"1\"}}",
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stderr.is_empty(), "{}", text(&output.stderr));
    let document = json_of(&output);
    assert_eq!(document["verdict"], "does_not_parse");
    let error = &document["error"];
    assert_eq!(error["kind"], "mismatch");
    assert_eq!(error["path"], "loans");
    assert_eq!(error["line"], 2);
    assert!(error["column"].as_u64().is_some_and(|c| c > 0));
    assert!(error["message"]
        .as_str()
        .is_some_and(|m| m.contains("expected a sequence")));
}

#[test]
fn json_output_names_the_closest_shape_of_a_union() {
    let output = credkit_stdin(
        &["parse", "--json", "deepfinch/tencent/credit-report-v2", "-"],
        r#"{"creditHeader": {"idNum": [1]}}"#,
    );
    assert_eq!(output.status.code(), Some(1));
    let document = json_of(&output);
    assert_eq!(document["closest_shape"]["shape"], "CreditReportV2");
    assert_eq!(
        document["closest_shape"]["error"]["path"],
        "creditHeader.idNum"
    );
}

#[test]
fn json_output_names_syntax_errors() {
    let output = credkit_stdin(
        &["parse", "--json", "deepfinch/credit-report-v1", "-"],
        r#"{"loans": [}"#,
    );
    assert_eq!(json_of(&output)["error"]["kind"], "syntax");
}
