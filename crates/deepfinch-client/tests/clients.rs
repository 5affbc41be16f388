//! Every DeepFinch channel client against a local HTTP server: method, path, query, headers,
//! body encoding, signature, the typed result, the documented errors, and faults.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use base64::Engine as _;
use credkit_runtime::client::error::{ClientError, TransportKind};
use credkit_runtime::client::signing::{DeepFinchHeaders, FixedClock, JdMd5, TencentHmac};
use credkit_runtime::client::transport::{ClientConfig, RetryPolicy};
use credkit_runtime::client::upload::UploadError;
use deepfinch_client::cloud::CloudClient;
use deepfinch_client::jd::JdClient;
use deepfinch_client::private::PrivateClient;
use deepfinch_client::tencent::TencentClient;
use deepfinch_client::PollPolicy;
use deepfinch_models::cloud::task_result::CloudStatus;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// 2018-03-19T12:08:40Z, the date of the Tencent document's sample.
const NOW_SECS: u64 = 1_521_461_320;

fn fixture(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn config(server: &MockServer) -> ClientConfig {
    let mut config = ClientConfig::new(server.uri());
    config.clock = Arc::new(FixedClock(UNIX_EPOCH + Duration::from_secs(NOW_SECS)));
    config.retry = RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        ..RetryPolicy::default()
    };
    config.read.total = Duration::from_secs(10);
    config.paid.total = Duration::from_secs(10);
    config.set_attempt_timeout(Duration::from_secs(5));
    config
}

fn deepfinch_headers() -> DeepFinchHeaders {
    DeepFinchHeaders {
        api_id: "api-id-1".into(),
        api_secret: "api-secret-1".into(),
    }
}

fn json_response(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

/// A small PDF-looking file of `len` bytes in a fresh temp dir.
fn pdf(dir: &tempfile::TempDir, name: &str, len: usize) -> PathBuf {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend((0..len.saturating_sub(bytes.len())).map(|i| (i * 7 % 251) as u8));
    let path = dir.path().join(name);
    std::fs::write(&path, &bytes).expect("write pdf");
    path
}

#[tokio::test]
async fn cloud_task_result_sends_headers_and_task_id() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/ocr/get_credit_report_ocr_task_result"))
        .and(header("X-DF-API-ID", "api-id-1"))
        .and(header("X-DF-API-SECRET", "api-secret-1"))
        .and(body_json(serde_json::json!({"task_id": "task-42"})))
        .respond_with(json_response(
            200,
            &fixture("deepfinch/cloud/task-result/realistic-success.json"),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = CloudClient::new(config(&server), deepfinch_headers()).expect("client");
    let result = client
        .get_credit_report_ocr_task_result("task-42")
        .await
        .expect("result");
    assert_eq!(result.status, Some(CloudStatus::Ok));
    assert!(result.structured_result.is_some());
}

#[tokio::test]
async fn cloud_wait_polls_while_in_progress() {
    let server = MockServer::start().await;
    Mock::given(path("/ocr/get_credit_report_ocr_task_result"))
        .respond_with(json_response(
            400,
            &fixture("deepfinch/cloud/task-result/realistic-inprogress.json"),
        ))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(path("/ocr/get_credit_report_ocr_task_result"))
        .respond_with(json_response(
            200,
            &fixture("deepfinch/cloud/task-result/realistic-success.json"),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = CloudClient::new(config(&server), deepfinch_headers()).expect("client");
    let policy = PollPolicy {
        max_polls: 5,
        interval: Duration::from_millis(5),
    };
    let result = client
        .wait_for_task_result("task-42", &policy)
        .await
        .expect("result");
    assert_eq!(result.status, Some(CloudStatus::Ok));
}

#[tokio::test]
async fn cloud_wait_gives_up_after_the_allowed_polls() {
    let server = MockServer::start().await;
    Mock::given(path("/ocr/get_credit_report_ocr_task_result"))
        .respond_with(json_response(
            400,
            &fixture("deepfinch/cloud/task-result/realistic-inprogress.json"),
        ))
        .expect(3)
        .mount(&server)
        .await;
    let client = CloudClient::new(config(&server), deepfinch_headers()).expect("client");
    let policy = PollPolicy {
        max_polls: 3,
        interval: Duration::from_millis(1),
    };
    let error = client
        .wait_for_task_result("task-42", &policy)
        .await
        .expect_err("gives up");
    assert!(
        matches!(error, ClientError::StillInProgress { polls: 3, .. }),
        "{error}"
    );
}

#[tokio::test]
async fn cloud_documented_errors_map_to_api_errors() {
    // (HTTP status, status code) pairs of document 000's error table.
    for (status, code) in [
        (400, "INVALID_ARGUMENT"),
        (401, "UNAUTHORIZED"),
        (403, "NO_PERMISSION"),
        (404, "NOT_FOUND"),
    ] {
        let server = MockServer::start().await;
        let body = format!(
            r#"{{"request_id":"req-{status}","status":"{code}","reason":"reason {code}"}}"#
        );
        Mock::given(path("/ocr/get_credit_report_ocr_task_result"))
            .respond_with(json_response(status, &body))
            .expect(1)
            .mount(&server)
            .await;
        let client = CloudClient::new(config(&server), deepfinch_headers()).expect("client");
        let error = client
            .get_credit_report_ocr_task_result("t")
            .await
            .expect_err("vendor error");
        let ClientError::Api(api) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(api.status, status);
        assert_eq!(api.code.as_deref(), Some(code));
        assert_eq!(
            api.message.as_deref(),
            Some(format!("reason {code}").as_str())
        );
        assert_eq!(
            api.request_id.as_deref(),
            Some(format!("req-{status}").as_str())
        );
        assert!(!error.to_string().contains("api-secret-1"));
    }
}

#[tokio::test]
async fn cloud_internal_error_is_retried_then_reported() {
    let server = MockServer::start().await;
    Mock::given(path("/ocr/get_credit_report_ocr_task_result"))
        .respond_with(json_response(
            500,
            r#"{"status":"INTERNAL_ERROR","reason":"boom"}"#,
        ))
        .expect(3)
        .mount(&server)
        .await;
    let client = CloudClient::new(config(&server), deepfinch_headers()).expect("client");
    let error = client
        .get_credit_report_ocr_task_result("t")
        .await
        .expect_err("fails");
    let ClientError::RetriesExhausted { attempts, last, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(*attempts, 3);
    assert_eq!(last.vendor_code(), Some("INTERNAL_ERROR"));
}

#[tokio::test]
async fn rate_limit_is_retried_and_can_succeed() {
    let server = MockServer::start().await;
    Mock::given(path("/ocr/get_credit_report_ocr_task_result"))
        .respond_with(ResponseTemplate::new(429))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/ocr/get_credit_report_ocr_task_result"))
        .respond_with(json_response(
            200,
            &fixture("deepfinch/cloud/task-result/realistic-success.json"),
        ))
        .mount(&server)
        .await;
    let client = CloudClient::new(config(&server), deepfinch_headers()).expect("client");
    client
        .get_credit_report_ocr_task_result("t")
        .await
        .expect("second attempt succeeds");
}

#[tokio::test]
async fn gateway_html_page_is_an_api_error_with_the_page_excerpt() {
    let server = MockServer::start().await;
    Mock::given(path("/ocr/get_credit_report_ocr_task_result"))
        .respond_with(ResponseTemplate::new(403).set_body_raw(
            b"<html><body>403 Forbidden by gateway</body></html>".to_vec(),
            "text/html",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = CloudClient::new(config(&server), deepfinch_headers()).expect("client");
    let error = client
        .get_credit_report_ocr_task_result("t")
        .await
        .expect_err("fails");
    let ClientError::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.status, 403);
    assert_eq!(api.code, None);
    assert!(
        api.body_excerpt.contains("403 Forbidden by gateway"),
        "{api:?}"
    );
}

#[tokio::test]
async fn invalid_json_and_wrong_shapes_are_decode_errors_with_paths() {
    let server = MockServer::start().await;
    Mock::given(path("/ocr/get_credit_report_ocr_task_result"))
        .respond_with(json_response(200, r#"{"status":"OK","structured_result":"#))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/ocr/get_credit_report_ocr_task_result"))
        .respond_with(json_response(
            200,
            r#"{"status":"OK","structured_result":{"loans":{"a":1}}}"#,
        ))
        .mount(&server)
        .await;
    let client = CloudClient::new(config(&server), deepfinch_headers()).expect("client");
    let error = client
        .get_credit_report_ocr_task_result("t")
        .await
        .expect_err("truncated JSON");
    assert!(
        matches!(&error, ClientError::Decode { status: 200, path, .. } if path.is_root()),
        "{error:?}"
    );
    let error = client
        .get_credit_report_ocr_task_result("t")
        .await
        .expect_err("wrong shape");
    let ClientError::Decode { path, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(path.to_string(), "structured_result.loans");
}

#[tokio::test]
async fn a_slow_vendor_times_out() {
    let server = MockServer::start().await;
    Mock::given(path("/ocr/get_credit_report_ocr_task_result"))
        .respond_with(json_response(200, "{}").set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let mut config = config(&server);
    config.set_attempt_timeout(Duration::from_millis(200));
    let client = CloudClient::new(config, deepfinch_headers()).expect("client");
    let error = client
        .get_credit_report_ocr_task_result("t")
        .await
        .expect_err("times out");
    // A read retries a timeout; every attempt timed out.
    assert_eq!(
        error.transport_kind(),
        Some(TransportKind::Timeout),
        "{error:?}"
    );
}

/// A server that answers with headers promising more body than it sends, then closes.
async fn truncating_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buffer = vec![0u8; 65536];
            let _ = socket.read(&mut buffer).await;
            let _ = socket
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"status\":\"OK\"")
                .await;
            let _ = socket.shutdown().await;
        }
    });
    format!("http://{address}")
}

#[tokio::test]
async fn a_truncated_body_is_an_interrupted_transport_error() {
    let base = truncating_server().await;
    let mut config = ClientConfig::new(base);
    config.retry = RetryPolicy::none();
    let client = CloudClient::new(config, deepfinch_headers()).expect("client");
    let error = client
        .get_credit_report_ocr_task_result("t")
        .await
        .expect_err("truncated");
    assert!(
        matches!(
            error,
            ClientError::Transport {
                kind: TransportKind::Interrupted,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_refused_connection_is_retried_then_reported() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("addr");
    drop(listener);
    let mut config = ClientConfig::new(format!("http://{address}"));
    config.retry = RetryPolicy {
        max_attempts: 2,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
        ..RetryPolicy::default()
    };
    let client = CloudClient::new(config, deepfinch_headers()).expect("client");
    let error = client
        .get_credit_report_ocr_task_result("t")
        .await
        .expect_err("refused");
    let ClientError::RetriesExhausted {
        attempts: 2, last, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert!(
        matches!(
            **last,
            ClientError::Transport {
                kind: TransportKind::Connect,
                ..
            }
        ),
        "{last:?}"
    );
}

#[tokio::test]
async fn private_uploads_multipart_with_auto_classify() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/credit_report_v2"))
        .and(header("X-DF-API-ID", "api-id-1"))
        .respond_with(json_response(
            200,
            &fixture("deepfinch/private/credit-report-v2/realistic-success.json"),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = pdf(&dir, "report.pdf", 4096);
    let client = PrivateClient::new(config(&server), deepfinch_headers()).expect("client");
    let response = client
        .credit_report_v2(&file)
        .auto_classify(0)
        .send()
        .await
        .expect("report");
    assert!(response.result.is_some());

    let received: Vec<Request> = server.received_requests().await.expect("recorded");
    let body = String::from_utf8_lossy(&received[0].body).into_owned();
    let content_type = received[0]
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    assert!(
        body.contains(r#"name="image_file"; filename="report.pdf""#),
        "{body:.300}"
    );
    assert!(
        body.contains("Content-Type: application/pdf")
            || body.contains("content-type: application/pdf")
    );
    assert!(body.contains("%PDF-1.7"));
    assert!(body.contains("name=\"auto_classify\"\r\n\r\n0\r\n"));
}

#[tokio::test]
async fn private_error_carries_the_error_text() {
    let server = MockServer::start().await;
    Mock::given(path("/api/credit_report_v2"))
        .respond_with(json_response(
            400,
            &fixture("deepfinch/private/credit-report-v2/realistic-error.json"),
        ))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let client = PrivateClient::new(config(&server), deepfinch_headers()).expect("client");
    let error = client
        .credit_report_v2(&pdf(&dir, "a.pdf", 100))
        .send()
        .await
        .expect_err("fails");
    let ClientError::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.code.as_deref(), Some("NOT_RECOGNIZABLE"));
    assert_eq!(
        api.message.as_deref(),
        Some("the uploaded file is not a credit report")
    );
}

#[tokio::test]
async fn uploads_are_refused_before_any_traffic() {
    let server = MockServer::start().await;
    Mock::given(path("/api/credit_report_v2"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let client = PrivateClient::new(config(&server), deepfinch_headers()).expect("client");

    let not_pdf = dir.path().join("photo.jpg");
    std::fs::write(&not_pdf, b"\xff\xd8\xff\xe0 jpeg").expect("write");
    let error = client
        .credit_report_v2(&not_pdf)
        .send()
        .await
        .expect_err("not a pdf");
    assert!(
        matches!(error, ClientError::Upload(UploadError::NotPdf { .. })),
        "{error:?}"
    );

    let big = pdf(&dir, "big.pdf", 30 * 1024 * 1024 + 1);
    let error = client
        .credit_report_v2(&big)
        .send()
        .await
        .expect_err("too large");
    assert!(
        matches!(
            error,
            ClientError::Upload(UploadError::TooLarge {
                limit: 31_457_280,
                ..
            })
        ),
        "{error:?}"
    );

    let error = client
        .credit_report_v2(&dir.path().join("missing.pdf"))
        .send()
        .await
        .expect_err("missing");
    assert!(
        matches!(error, ClientError::Upload(UploadError::Io { .. })),
        "{error:?}"
    );
}

#[tokio::test]
async fn tencent_signs_and_sends_form_encoded_base64() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/release/v2/credit_report"))
        // (wiremock's `header` matcher splits values at commas, so X-Date is checked below.)
        .and(header("X-Source", "market"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .respond_with(json_response(
            200,
            &fixture("deepfinch/tencent/credit-report-v2/realistic-success.json"),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = pdf(&dir, "report.pdf", 3000);
    let signer = TencentHmac {
        secret_id: "AKID-test".into(),
        secret_key: "tencent-key".into(),
        source: "market".into(),
    };
    let client = TencentClient::new(config(&server), signer).expect("client");
    let report = client.credit_report(&file).await.expect("report");
    assert!(report.credit_header.is_some(), "{report:?}");

    let received = server.received_requests().await.expect("recorded");
    let x_date = received[0]
        .headers
        .get("x-date")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert_eq!(x_date, "Mon, 19 Mar 2018 12:08:40 GMT");
    let authorization = received[0]
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // base64(HMAC-SHA1("tencent-key", "x-date: Mon, 19 Mar 2018 12:08:40 GMT\nx-source: market")),
    // computed with python3's hmac, hashlib and base64.
    assert_eq!(
        authorization,
        r#"hmac id="AKID-test", algorithm="hmac-sha1", headers="x-date x-source", signature="8gn7jJBsdtG26RhY6OiBL/WPO90=""#
    );
    let encoded =
        base64::engine::general_purpose::STANDARD.encode(std::fs::read(&file).expect("read"));
    let form = encoded
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    assert_eq!(
        String::from_utf8_lossy(&received[0].body),
        format!("image={form}")
    );
}

#[tokio::test]
async fn tencent_report_that_does_not_fit_names_the_path() {
    let server = MockServer::start().await;
    Mock::given(path("/release/v2/credit_report"))
        .respond_with(json_response(
            200,
            r#"{"creditHeader": {"idNum": ["not", "text"]}}"#,
        ))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let signer = TencentHmac {
        secret_id: "id".into(),
        secret_key: "key".into(),
        source: "market".into(),
    };
    let client = TencentClient::new(config(&server), signer).expect("client");
    let error = client
        .credit_report(&pdf(&dir, "a.pdf", 10))
        .await
        .expect_err("wrong shape");
    let ClientError::Decode { path, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(path.to_string(), "creditHeader.idNum");
}

#[tokio::test]
async fn tencent_error_body_is_an_api_error() {
    let server = MockServer::start().await;
    Mock::given(path("/release/v2/credit_report"))
        .respond_with(json_response(
            403,
            &fixture("deepfinch/tencent/credit-report-v2/realistic-error.json"),
        ))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let signer = TencentHmac {
        secret_id: "id".into(),
        secret_key: "key".into(),
        source: "market".into(),
    };
    let client = TencentClient::new(config(&server), signer).expect("client");
    let error = client
        .credit_report(&pdf(&dir, "a.pdf", 10))
        .await
        .expect_err("fails");
    let ClientError::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        (api.status, api.code.as_deref()),
        (403, Some("RATE_LIMIT_EXCEEDED"))
    );
    assert_eq!(
        api.request_id.as_deref(),
        Some("TID3c1e0f8a2b7d4e69a5f0c2d8e1b4a7f6")
    );
}

#[tokio::test]
async fn jd_signs_the_query_and_streams_json_base64() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/deepfinch/ocr_pdf_credit_report"))
        .and(query_param("appkey", "jd-appkey"))
        .and(query_param("timestamp", "1521461320000"))
        // md5("jd-secret" + "1521461320000"), computed with python3 hashlib.
        .and(query_param("sign", "b5a0b5fa01c79096cc91ca914b932d41"))
        .and(header("content-type", "application/json"))
        .respond_with(json_response(
            200,
            &fixture("deepfinch/jd/credit-report/realistic-success.json"),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = pdf(&dir, "report.pdf", 5000);
    let client = JdClient::new(
        config(&server),
        JdMd5 {
            appkey: "jd-appkey".into(),
            secret_key: "jd-secret".into(),
        },
    )
    .expect("client");
    let envelope = client.ocr_pdf_credit_report(&file).await.expect("envelope");
    assert!(envelope.result.is_some());
    let received = server.received_requests().await.expect("recorded");
    let body: serde_json::Value = serde_json::from_slice(&received[0].body).expect("json body");
    let encoded =
        base64::engine::general_purpose::STANDARD.encode(std::fs::read(&file).expect("read"));
    assert_eq!(body, serde_json::json!({"image_base64": encoded}));
}

#[tokio::test]
async fn jd_result_error_is_an_api_error() {
    let server = MockServer::start().await;
    Mock::given(path("/deepfinch/ocr_pdf_credit_report"))
        .respond_with(json_response(
            200,
            &fixture("deepfinch/jd/credit-report/realistic-error.json"),
        ))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let client = JdClient::new(
        config(&server),
        JdMd5 {
            appkey: "k".into(),
            secret_key: "s".into(),
        },
    )
    .expect("client");
    let error = client
        .ocr_pdf_credit_report(&pdf(&dir, "a.pdf", 10))
        .await
        .expect_err("fails");
    let ClientError::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.code.as_deref(), Some("DETECTION_FAILED"));
    assert_eq!(
        api.message.as_deref(),
        Some("credit report not detected in the uploaded pdf")
    );
}

#[test]
fn signers_and_clients_never_print_secrets() {
    let client = CloudClient::new(ClientConfig::new("http://127.0.0.1:9"), deepfinch_headers())
        .expect("client");
    let debug = format!("{client:?}");
    assert!(!debug.contains("api-secret-1"), "{debug}");
    let jd = JdClient::new(
        ClientConfig::new("http://127.0.0.1:9"),
        JdMd5 {
            appkey: "k".into(),
            secret_key: "jd-secret".into(),
        },
    )
    .expect("client");
    assert!(!format!("{jd:?}").contains("jd-secret"));
}

/// Every status code the documents pair with an HTTP status comes back as an [`ClientError::Api`]
/// with that status and code, on every channel.
#[tokio::test]
async fn every_documented_error_code_maps_to_an_api_error() {
    use deepfinch_models::cloud::task_result::CloudStatus;
    use deepfinch_models::jd::credit_report::JdStatus;
    use deepfinch_models::private::credit_report_v2::PrivateStatus;
    use deepfinch_models::tencent::credit_report_v2::TencentStatus;

    fn errors<'a>(codes: impl Iterator<Item = (&'a str, Option<u16>)>) -> Vec<(String, u16)> {
        codes
            .filter(|(code, _)| *code != "OK" && *code != "TASK_INPROGRESS")
            .map(|(code, status)| (code.to_owned(), status.unwrap_or(400)))
            .collect()
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let file = pdf(&dir, "a.pdf", 10);
    let mut checked = 0;

    for (code, status) in errors(
        CloudStatus::DOCUMENTED
            .iter()
            .map(|c| (c.as_str(), c.http_status())),
    ) {
        let server = MockServer::start().await;
        let body = format!(r#"{{"status":"{code}","reason":"r","request_id":"q"}}"#);
        Mock::given(path("/ocr/get_credit_report_ocr_task_result"))
            .respond_with(json_response(status, &body))
            .mount(&server)
            .await;
        let mut config = config(&server);
        config.retry = RetryPolicy::none();
        let error = CloudClient::new(config, deepfinch_headers())
            .expect("client")
            .get_credit_report_ocr_task_result("t")
            .await
            .expect_err(&code);
        assert_eq!(
            (error.status(), error.vendor_code()),
            (Some(status), Some(code.as_str())),
            "{error}"
        );
        checked += 1;
    }
    for (code, status) in errors(
        PrivateStatus::DOCUMENTED
            .iter()
            .map(|c| (c.as_str(), c.http_status())),
    ) {
        let server = MockServer::start().await;
        let body = format!(r#"{{"status":"{code}","error":"e"}}"#);
        Mock::given(path("/api/credit_report_v2"))
            .respond_with(json_response(status, &body))
            .mount(&server)
            .await;
        let mut config = config(&server);
        config.retry = RetryPolicy::none();
        let error = PrivateClient::new(config, deepfinch_headers())
            .expect("client")
            .credit_report_v2(&file)
            .send()
            .await
            .expect_err(&code);
        assert_eq!(
            (error.status(), error.vendor_code()),
            (Some(status), Some(code.as_str())),
            "{error}"
        );
        checked += 1;
    }
    for (code, status) in errors(
        TencentStatus::DOCUMENTED
            .iter()
            .map(|c| (c.as_str(), c.http_status())),
    ) {
        let server = MockServer::start().await;
        let body = format!(r#"{{"status":"{code}","reason":"r","request_id":"q"}}"#);
        Mock::given(path("/release/v2/credit_report"))
            .respond_with(json_response(status, &body))
            .mount(&server)
            .await;
        let mut config = config(&server);
        config.retry = RetryPolicy::none();
        let signer = TencentHmac {
            secret_id: "i".into(),
            secret_key: "k".into(),
            source: "market".into(),
        };
        let error = TencentClient::new(config, signer)
            .expect("client")
            .credit_report(&file)
            .await
            .expect_err(&code);
        assert_eq!(
            (error.status(), error.vendor_code()),
            (Some(status), Some(code.as_str())),
            "{error}"
        );
        checked += 1;
    }
    for (code, status) in errors(
        JdStatus::DOCUMENTED
            .iter()
            .map(|c| (c.as_str(), c.http_status())),
    ) {
        let server = MockServer::start().await;
        let body = format!(
            r#"{{"code":"1000","charge":false,"msg":"m","result":{{"status":"{code}","reason":"r"}}}}"#
        );
        Mock::given(path("/deepfinch/ocr_pdf_credit_report"))
            .respond_with(json_response(status, &body))
            .mount(&server)
            .await;
        let mut config = config(&server);
        config.retry = RetryPolicy::none();
        let signer = JdMd5 {
            appkey: "a".into(),
            secret_key: "s".into(),
        };
        let error = JdClient::new(config, signer)
            .expect("client")
            .ocr_pdf_credit_report(&file)
            .await
            .expect_err(&code);
        assert_eq!(
            (error.status(), error.vendor_code()),
            (Some(status), Some(code.as_str())),
            "{error}"
        );
        checked += 1;
    }
    assert!(checked >= 25, "only {checked} codes checked");
}
