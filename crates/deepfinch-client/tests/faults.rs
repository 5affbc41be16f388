//! Every DeepFinch channel client against a misbehaving server
//! (`credkit_runtime::client::fault_server`): the cloud task result is a read, the private,
//! Tencent and JD uploads are paid. Limits are small so that the suite is fast; no assertion
//! is on elapsed time beyond the lower bound a `Retry-After` imposes.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, UNIX_EPOCH};

use credkit_runtime::client::error::{ClientError, TransportKind};
use credkit_runtime::client::fault_server::{Fault, FaultServer};
use credkit_runtime::client::hooks::{AttemptInfo, Hooks};
use credkit_runtime::client::operation::RetryClass;
use credkit_runtime::client::signing::{DeepFinchHeaders, FixedClock, JdMd5, TencentHmac};
use credkit_runtime::client::transport::{ClientConfig, RetryPolicy, Timeouts};
use deepfinch_client::cloud::CloudClient;
use deepfinch_client::jd::JdClient;
use deepfinch_client::private::PrivateClient;
use deepfinch_client::tencent::TencentClient;

/// 2018-03-19T12:08:40Z.
const NOW_SECS: u64 = 1_521_461_320;
const DF_SECRET: &str = "df-api-secret-ZX81";
const TENCENT_KEY: &str = "tencent-secret-key-QL42";
const JD_KEY: &str = "jd-secret-key-PW77";

fn fixture(rel: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Small limits: 5 attempts 1–5 ms apart, 1 s per attempt, 300 ms stall, 3 s in all, 1 MiB
/// responses.
fn fast(url: &str) -> ClientConfig {
    let mut config = ClientConfig::new(url);
    config.clock = Arc::new(FixedClock(UNIX_EPOCH + Duration::from_secs(NOW_SECS)));
    config.retry = RetryPolicy {
        max_attempts: 5,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
        retry_paid_on_server_errors: false,
    };
    let limits = Timeouts {
        attempt: Duration::from_secs(1),
        stall: Duration::from_millis(300),
        total: Duration::from_secs(3),
    };
    config.read = limits;
    config.paid = limits;
    config.max_response_bytes = 1024 * 1024;
    config
}

fn df_signer() -> DeepFinchHeaders {
    DeepFinchHeaders {
        api_id: "df-id".into(),
        api_secret: DF_SECRET.into(),
    }
}

fn tencent_signer() -> TencentHmac {
    TencentHmac {
        secret_id: "AKIDfault".into(),
        secret_key: TENCENT_KEY.into(),
        source: "market".into(),
    }
}

fn jd_signer() -> JdMd5 {
    JdMd5 {
        appkey: "jd-appkey".into(),
        secret_key: JD_KEY.into(),
    }
}

async fn cloud(config: ClientConfig) -> Result<(), ClientError> {
    CloudClient::new(config, df_signer())?
        .get_credit_report_ocr_task_result("task-1")
        .await
        .map(drop)
}

fn cloud_ok() -> Fault {
    Fault::json(
        200,
        fixture("deepfinch/cloud/task-result/realistic-success.json"),
    )
}

/// The paid channels: an upload each.
#[derive(Debug, Clone, Copy)]
enum Paid {
    Private,
    Tencent,
    Jd,
}

const PAID: [Paid; 3] = [Paid::Private, Paid::Tencent, Paid::Jd];

struct Upload {
    _dir: tempfile::TempDir,
    file: PathBuf,
}

fn upload() -> Upload {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("report.pdf");
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend((0..4096u32).map(|i| (i * 7 % 251) as u8));
    std::fs::write(&file, bytes).expect("write");
    Upload { _dir: dir, file }
}

impl Paid {
    fn ok(self) -> Fault {
        let rel = match self {
            Paid::Private => "deepfinch/private/credit-report-v2/realistic-success.json",
            Paid::Tencent => "deepfinch/tencent/credit-report-v2/realistic-success.json",
            Paid::Jd => "deepfinch/jd/credit-report/realistic-success.json",
        };
        Fault::json(200, fixture(rel))
    }

    async fn call(self, config: ClientConfig) -> Result<(), ClientError> {
        let upload = upload();
        match self {
            Paid::Private => PrivateClient::new(config, df_signer())?
                .credit_report_v2(&upload.file)
                .send()
                .await
                .map(drop),
            Paid::Tencent => TencentClient::new(config, tencent_signer())?
                .credit_report(&upload.file)
                .await
                .map(drop),
            Paid::Jd => JdClient::new(config, jd_signer())?
                .ocr_pdf_credit_report(&upload.file)
                .await
                .map(drop),
        }
    }

    /// Every secret value this channel's requests carry, computed or configured.
    fn secrets(self) -> Vec<String> {
        let date = "Mon, 19 Mar 2018 12:08:40 GMT"; // NOW_SECS as an HTTP date
        match self {
            Paid::Private => vec![DF_SECRET.into()],
            Paid::Tencent => {
                let authorization = tencent_signer().authorization(date);
                let signature = authorization
                    .split("signature=\"")
                    .nth(1)
                    .and_then(|rest| rest.split('"').next())
                    .expect("signature")
                    .to_owned();
                vec![TENCENT_KEY.into(), authorization, signature]
            }
            Paid::Jd => vec![
                JD_KEY.into(),
                jd_signer().sign_value(u128::from(NOW_SECS) * 1000),
            ],
        }
    }
}

/// Records when each attempt started.
#[derive(Debug, Default)]
struct Recorder {
    starts: Mutex<Vec<(Instant, AttemptInfo)>>,
    statuses: Mutex<Vec<u16>>,
}

impl Hooks for Recorder {
    fn before_send(&self, info: &AttemptInfo) {
        self.starts
            .lock()
            .expect("lock")
            .push((Instant::now(), *info));
    }
    fn after_response(&self, _info: &AttemptInfo, status: u16) {
        self.statuses.lock().expect("lock").push(status);
    }
}

// ---- reads: the cloud task result ------------------------------------------------------

#[tokio::test]
async fn read_honours_retry_after_on_429() {
    let server = FaultServer::start(vec![
        Fault::status_with(429, "Retry-After", "1"),
        cloud_ok(),
    ])
    .await;
    let recorder = Arc::new(Recorder::default());
    let mut config = fast(server.url());
    config.hooks = recorder.clone();
    cloud(config).await.expect("second attempt succeeds");
    assert_eq!(server.requests(), 2);
    let starts = recorder.starts.lock().expect("lock");
    assert_eq!(starts.len(), 2);
    // The backoff alone is at most 5 ms: only the Retry-After explains a second's wait.
    assert!(starts[1].0 - starts[0].0 >= Duration::from_secs(1));
    assert_eq!(starts[1].1.attempt, 2);
    assert_eq!(starts[1].1.operation, "get_credit_report_ocr_task_result");
    assert_eq!(starts[1].1.retry_class, RetryClass::Read);
    assert_eq!(*recorder.statuses.lock().expect("lock"), vec![429, 200]);
}

#[tokio::test]
async fn read_retry_after_beyond_the_deadline_gives_up_at_once() {
    let server = FaultServer::start(vec![
        Fault::status_with(429, "Retry-After", "3600"),
        cloud_ok(),
    ])
    .await;
    let error = cloud(fast(server.url())).await.expect_err("gives up");
    assert!(
        matches!(&error, ClientError::RetriesExhausted { attempts: 1, .. }),
        "{error:?}"
    );
    assert_eq!(error.status(), Some(429));
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn read_rides_out_three_503s_with_default_settings() {
    let server = FaultServer::start(vec![
        Fault::json(503, "{}"),
        Fault::json(503, "{}"),
        Fault::json(503, "{}"),
        cloud_ok(),
    ])
    .await;
    // The real defaults: 5 attempts, 0.5 s initial backoff, 60 s deadline.
    cloud(ClientConfig::new(server.url()))
        .await
        .expect("fourth attempt succeeds");
    assert_eq!(server.requests(), 4);
}

#[tokio::test]
async fn read_retries_resets_closes_and_truncated_bodies() {
    let server = FaultServer::start(vec![
        Fault::Reset,
        Fault::Close,
        Fault::Truncate {
            body: br#"{"status":"OK""#.to_vec(),
            announced: 1000,
        },
        cloud_ok(),
    ])
    .await;
    cloud(fast(server.url())).await.expect("succeeds");
    assert_eq!(server.requests(), 4);
}

#[tokio::test]
async fn read_against_a_silent_server_is_a_timeout() {
    let server = FaultServer::start(vec![Fault::Silent]).await;
    let error = cloud(fast(server.url())).await.expect_err("silent");
    assert_eq!(
        error.transport_kind(),
        Some(TransportKind::Timeout),
        "{error}"
    );
    // Retried while the 3 s total lasted, 1 s per attempt: at most 3 attempts.
    assert!(
        (1..=3).contains(&server.requests()),
        "{}",
        server.requests()
    );
}

#[tokio::test]
async fn read_against_a_stalled_body_is_stalled() {
    let server = FaultServer::start(vec![Fault::Stall {
        prefix: br#"{"status":"#.to_vec(),
    }])
    .await;
    let error = cloud(fast(server.url())).await.expect_err("stalled");
    assert_eq!(
        error.transport_kind(),
        Some(TransportKind::Stalled),
        "{error}"
    );
}

#[tokio::test]
async fn read_against_a_trickling_server_times_out() {
    // A byte every 50 ms never stalls (300 ms), but 2 KB would take 100 s.
    let server = FaultServer::start(vec![Fault::Trickle {
        body: vec![b' '; 2048],
        interval: Duration::from_millis(50),
    }])
    .await;
    let error = cloud(fast(server.url())).await.expect_err("too slow");
    assert_eq!(
        error.transport_kind(),
        Some(TransportKind::Timeout),
        "{error}"
    );
}

#[tokio::test]
async fn an_announced_oversize_body_is_refused_before_reading() {
    let server = FaultServer::start(vec![Fault::Huge {
        len: 200 * 1024 * 1024,
        content_length: true,
    }])
    .await;
    let error = cloud(fast(server.url())).await.expect_err("too large");
    assert!(
        matches!(
            error,
            ClientError::ResponseTooLarge {
                limit: 1_048_576,
                length: Some(209_715_200),
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(server.requests(), 1, "not retried");
}

#[tokio::test]
async fn an_unannounced_oversize_body_stops_at_the_limit() {
    let len = 64 * 1024 * 1024;
    let server = FaultServer::start(vec![Fault::Huge {
        len,
        content_length: false,
    }])
    .await;
    let error = cloud(fast(server.url())).await.expect_err("too large");
    assert!(
        matches!(
            error,
            ClientError::ResponseTooLarge {
                limit: 1_048_576,
                length: None,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(server.requests(), 1, "not retried");
    // The client hung up: the server could not write the rest (socket buffers hold a few MB).
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        server.body_bytes_sent() < len / 2,
        "{}",
        server.body_bytes_sent()
    );
}

#[tokio::test]
async fn a_huge_string_in_a_typed_field_gives_a_bounded_error() {
    let huge = "9".repeat(10 * 1024 * 1024);
    let body = format!(r#"{{"status":"OK","request_id":"r","structured_result":"{huge}"}}"#);
    let server = FaultServer::start(vec![Fault::json(200, body)]).await;
    let mut config = fast(server.url());
    config.max_response_bytes = 16 * 1024 * 1024;
    let error = cloud(config).await.expect_err("wrong shape");
    let ClientError::Decode { .. } = &error else {
        panic!("{error:?}")
    };
    let text = format!("{error}\n{error:?}");
    assert!(text.len() < 8 * 1024, "{} bytes of error text", text.len());
}

// ---- paid uploads: private, Tencent, JD -------------------------------------------------

#[tokio::test]
async fn paid_uploads_are_not_retried_after_the_request_may_have_been_processed() {
    for channel in PAID {
        for (fault, expect) in [
            (Fault::json(503, "{}"), "api 503"),
            (
                Fault::json(500, r#"{"status":"INTERNAL_ERROR"}"#),
                "api 500",
            ),
            (Fault::Reset, "interrupted"),
            (Fault::Close, "interrupted"),
            (
                Fault::Truncate {
                    body: b"{".to_vec(),
                    announced: 100,
                },
                "interrupted",
            ),
        ] {
            let server = FaultServer::start(vec![fault, channel.ok()]).await;
            let error = channel
                .call(fast(server.url()))
                .await
                .expect_err("not retried");
            assert_eq!(server.requests(), 1, "{channel:?} {expect}: {error:?}");
            match expect {
                "interrupted" => assert_eq!(
                    error.transport_kind(),
                    Some(TransportKind::Interrupted),
                    "{channel:?}: {error:?}"
                ),
                _ => assert!(
                    matches!(&error, ClientError::Api(api) if api.status >= 500),
                    "{channel:?}: {error:?}"
                ),
            }
        }
    }
}

#[tokio::test]
async fn paid_uploads_retry_a_429() {
    for channel in PAID {
        let server = FaultServer::start(vec![
            Fault::status_with(429, "Retry-After", "0"),
            channel.ok(),
        ])
        .await;
        channel
            .call(fast(server.url()))
            .await
            .unwrap_or_else(|e| panic!("{channel:?}: {e:?}"));
        assert_eq!(server.requests(), 2, "{channel:?}");
    }
}

#[tokio::test]
async fn paid_uploads_retry_a_refused_connection() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    let recorder = Arc::new(Recorder::default());
    let mut config = fast(&url);
    config.hooks = recorder.clone();
    config.retry.max_attempts = 3;
    let error = Paid::Jd.call(config).await.expect_err("refused");
    assert_eq!(error.transport_kind(), Some(TransportKind::Connect));
    assert!(matches!(
        error,
        ClientError::RetriesExhausted { attempts: 3, .. }
    ));
    assert_eq!(recorder.starts.lock().expect("lock").len(), 3);
}

#[tokio::test]
async fn paid_uploads_retry_5xx_when_the_caller_opts_in() {
    for channel in PAID {
        let server =
            FaultServer::start(vec![Fault::json(503, "{}"), Fault::Reset, channel.ok()]).await;
        let mut config = fast(server.url());
        config.retry.retry_paid_on_server_errors = true;
        channel
            .call(config)
            .await
            .unwrap_or_else(|e| panic!("{channel:?}: {e:?}"));
        assert_eq!(server.requests(), 3, "{channel:?}");
    }
}

#[tokio::test]
async fn paid_upload_against_a_silent_server_is_one_timeout() {
    for channel in PAID {
        let server = FaultServer::start(vec![Fault::Silent]).await;
        let mut config = fast(server.url());
        config.paid.attempt = Duration::from_millis(300);
        let error = channel.call(config).await.expect_err("silent");
        assert!(
            matches!(
                error,
                ClientError::Transport {
                    kind: TransportKind::Timeout,
                    ..
                }
            ),
            "{channel:?}: {error:?}"
        );
        assert_eq!(server.requests(), 1);
    }
}

#[tokio::test]
async fn paid_upload_oversize_answer_is_a_typed_error() {
    for channel in PAID {
        let server = FaultServer::start(vec![Fault::Huge {
            len: 8 * 1024 * 1024,
            content_length: false,
        }])
        .await;
        let error = channel.call(fast(server.url())).await.expect_err("large");
        assert!(
            matches!(error, ClientError::ResponseTooLarge { .. }),
            "{channel:?}: {error:?}"
        );
    }
}

// ---- secrets in an echoing gateway page -------------------------------------------------

fn assert_scrubbed(error: &ClientError, secrets: &[String], context: &str) {
    let texts = [
        error.to_string(),
        format!("{error:?}"),
        format!("{error:#?}"),
    ];
    for text in &texts {
        for secret in secrets {
            assert!(
                !text.contains(secret.as_str()),
                "{context}: {secret} in {text}"
            );
        }
    }
    assert!(
        texts[0].contains("***"),
        "{context}: nothing masked: {}",
        texts[0]
    );
}

#[tokio::test]
async fn a_gateway_page_echoing_the_request_leaks_no_secret() {
    for channel in PAID {
        let server = FaultServer::start(vec![Fault::Echo { status: 502 }]).await;
        let error = channel.call(fast(server.url())).await.expect_err("502");
        assert_scrubbed(&error, &channel.secrets(), &format!("{channel:?}"));
    }
    let server = FaultServer::start(vec![Fault::Echo { status: 502 }]).await;
    let error = cloud(fast(server.url())).await.expect_err("502");
    assert!(
        matches!(error, ClientError::RetriesExhausted { .. }),
        "{error:?}"
    );
    assert_scrubbed(&error, &[DF_SECRET.to_owned()], "cloud");
}
