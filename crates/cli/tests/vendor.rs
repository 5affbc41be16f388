//! `credkit deepfinch …` and `credkit dianhua …` reach a local server through every command,
//! configured by the documented environment variables.

use std::path::Path;
use std::process::{Command, Output};

use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const VARIABLES: &[&str] = &[
    "DEEPFINCH_API_ID",
    "DEEPFINCH_API_SECRET",
    "DEEPFINCH_CLOUD_URL",
    "DEEPFINCH_PRIVATE_URL",
    "TENCENT_MARKET_SECRET_ID",
    "TENCENT_MARKET_SECRET_KEY",
    "TENCENT_MARKET_SOURCE",
    "DEEPFINCH_TENCENT_URL",
    "JD_APPKEY",
    "JD_SECRET_KEY",
    "DEEPFINCH_JD_URL",
    "DIANHUA_TOKEN",
    "DIANHUA_API_URL",
    "DIANHUA_H5_URL",
];

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures")
            .join(rel),
    )
    .expect("fixture")
}

/// Runs credkit with exactly `vars` of the documented variables set.
async fn credkit(args: &[&str], vars: &[(&str, String)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_credkit"));
    command.args(args);
    for name in VARIABLES {
        command.env_remove(name);
    }
    for (name, value) in vars {
        command.env(name, value);
    }
    tokio::task::spawn_blocking(move || command.output().expect("credkit runs"))
        .await
        .expect("joins")
}

fn stdout_json(output: &Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

fn json(body: Vec<u8>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "application/json")
}

fn pdf(dir: &tempfile::TempDir) -> String {
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, b"%PDF-1.4\n% a tiny test file\n").expect("write");
    path.to_string_lossy().into_owned()
}

#[tokio::test]
async fn deepfinch_task_result() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/ocr/get_credit_report_ocr_task_result"))
        .and(header("X-DF-API-ID", "id-1"))
        .and(header("X-DF-API-SECRET", "secret-1"))
        .respond_with(json(fixture(
            "deepfinch/cloud/task-result/realistic-success.json",
        )))
        .expect(1)
        .mount(&server)
        .await;
    let output = credkit(
        &["deepfinch", "task-result", "task-1", "--wait"],
        &[
            ("DEEPFINCH_API_ID", "id-1".into()),
            ("DEEPFINCH_API_SECRET", "secret-1".into()),
            ("DEEPFINCH_CLOUD_URL", server.uri()),
        ],
    )
    .await;
    assert_eq!(stdout_json(&output)["status"], "OK");
}

#[tokio::test]
async fn deepfinch_ocr_on_each_channel() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = pdf(&dir);
    let server = MockServer::start().await;
    Mock::given(path("/api/credit_report_v2"))
        .respond_with(json(fixture(
            "deepfinch/private/credit-report-v2/realistic-success.json",
        )))
        .mount(&server)
        .await;
    Mock::given(path("/release/v2/credit_report"))
        .and(header("X-Source", "my-source"))
        .respond_with(json(fixture(
            "deepfinch/tencent/credit-report-v2/realistic-success.json",
        )))
        .mount(&server)
        .await;
    Mock::given(path("/deepfinch/ocr_pdf_credit_report"))
        .and(query_param("appkey", "jd-key"))
        .respond_with(json(fixture(
            "deepfinch/jd/credit-report/realistic-success.json",
        )))
        .mount(&server)
        .await;
    let deepfinch = [
        ("DEEPFINCH_API_ID", "id".to_owned()),
        ("DEEPFINCH_API_SECRET", "secret".to_owned()),
        ("DEEPFINCH_PRIVATE_URL", server.uri()),
    ];
    let private = credkit(
        &["deepfinch", "ocr", "--channel", "private", &file],
        &deepfinch,
    )
    .await;
    assert_eq!(stdout_json(&private)["status"], "OK");

    let tencent_vars = [
        ("TENCENT_MARKET_SECRET_ID", "AKID".to_owned()),
        ("TENCENT_MARKET_SECRET_KEY", "key".to_owned()),
        ("TENCENT_MARKET_SOURCE", "my-source".to_owned()),
        ("DEEPFINCH_TENCENT_URL", server.uri()),
    ];
    let tencent = credkit(
        &["deepfinch", "ocr", "--channel", "tencent", &file],
        &tencent_vars,
    )
    .await;
    assert!(stdout_json(&tencent).is_object());

    let jd_vars = [
        ("JD_APPKEY", "jd-key".to_owned()),
        ("JD_SECRET_KEY", "jd-secret".to_owned()),
        ("DEEPFINCH_JD_URL", server.uri()),
    ];
    let jd = credkit(&["deepfinch", "ocr", "--channel", "jd", &file], &jd_vars).await;
    assert!(stdout_json(&jd)["result"].is_object());
}

#[tokio::test]
async fn dianhua_pull_commands() {
    let server = MockServer::start().await;
    for (route, rel) in [
        (
            "/calls/record",
            "dianhua/calls-record/realistic-china-mobile.json",
        ),
        (
            "/calls/report",
            "dianhua/calls-report/realistic-report.json",
        ),
        ("/cuishou", "dianhua/cuishou/realistic-cuishou.json"),
        ("/itag", "dianhua/itag/realistic-itag.json"),
    ] {
        Mock::given(method("GET"))
            .and(path(route))
            .and(query_param("token", "dh-token"))
            .and(query_param("sid", "SID-9"))
            .respond_with(json(fixture(rel)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let vars = [
        ("DIANHUA_TOKEN", "dh-token".to_owned()),
        ("DIANHUA_API_URL", server.uri()),
    ];
    for command in ["record", "report", "cuishou", "itag"] {
        let output = credkit(&["dianhua", command, "--sid", "SID-9"], &vars).await;
        assert_eq!(stdout_json(&output)["status"], 0, "{command}");
    }
}

#[tokio::test]
async fn dianhua_auth_url_uses_the_h5_base_url_and_contactor_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let contactor = dir.path().join("contactor.json");
    std::fs::write(
        &contactor,
        fixture("dianhua/contactor/realistic-two-contacts.json"),
    )
    .expect("write");
    let vars = [
        ("DIANHUA_TOKEN", "dh-token".to_owned()),
        ("DIANHUA_H5_URL", "http://127.0.0.1:9/h5".to_owned()),
    ];
    let output = credkit(
        &[
            "dianhua",
            "auth-url",
            "--uid",
            "u1",
            "--contactor-file",
            &contactor.to_string_lossy(),
        ],
        &vars,
    )
    .await;
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let url = String::from_utf8_lossy(&output.stdout);
    assert!(
        url.starts_with("http://127.0.0.1:9/h5/?token=dh-token&uid=u1&contactor=%7B"),
        "{url}"
    );
}

#[tokio::test]
async fn a_missing_credential_names_its_variable() {
    let output = credkit(
        &["deepfinch", "task-result", "t"],
        &[("DEEPFINCH_API_ID", "id".into())],
    )
    .await;
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("DEEPFINCH_API_SECRET"));
    let output = credkit(&["dianhua", "itag", "--sid", "s"], &[]).await;
    assert!(String::from_utf8_lossy(&output.stderr).contains("DIANHUA_TOKEN"));
}

#[tokio::test]
async fn a_vendor_error_goes_to_stderr_without_the_secret() {
    let server = MockServer::start().await;
    Mock::given(path("/ocr/get_credit_report_ocr_task_result"))
        .respond_with(ResponseTemplate::new(401).set_body_raw(
            br#"{"status":"UNAUTHORIZED","reason":"invalid api id or secret","request_id":"r-1"}"#.to_vec(),
            "application/json",
        ))
        .mount(&server)
        .await;
    let output = credkit(
        &["deepfinch", "task-result", "t"],
        &[
            ("DEEPFINCH_API_ID", "id".into()),
            ("DEEPFINCH_API_SECRET", "top-secret".into()),
            ("DEEPFINCH_CLOUD_URL", server.uri()),
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "HTTP 401, vendor code UNAUTHORIZED: invalid api id or secret (request id r-1)"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("top-secret") && output.stdout.is_empty());
}
