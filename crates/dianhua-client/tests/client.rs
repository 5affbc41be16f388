//! The Dianhua client against a local HTTP server: every pull operation with its token and
//! sid, the vendor's error status, and the H5 authorisation URL.

use std::path::Path;
use std::time::Duration;

use credkit_runtime::client::error::ClientError;
use credkit_runtime::client::signing::DianhuaToken;
use credkit_runtime::client::transport::{ClientConfig, RetryPolicy};
use dianhua_client::carrier::{DianhuaClient, DEFAULT_AUTH_URL_BASE_URL, DEFAULT_BASE_URL};
use dianhua_models::contactor::Contactor;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fixture(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn client(base_url: &str) -> DianhuaClient {
    let mut config = ClientConfig::new(base_url);
    config.retry = RetryPolicy::none();
    config.set_attempt_timeout(Duration::from_secs(5));
    DianhuaClient::new(
        config,
        DianhuaToken {
            token: "dh-token-1".into(),
        },
    )
    .expect("client")
}

async fn serve(route: &str, body: String) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(route))
        .and(query_param("token", "dh-token-1"))
        .and(query_param("sid", "SID-1"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(body.into_bytes(), "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn calls_record() {
    let server = serve(
        "/calls/record",
        fixture("dianhua/calls-record/realistic-china-mobile.json"),
    )
    .await;
    let record = client(&server.uri())
        .calls_record("SID-1")
        .await
        .expect("record");
    assert!(record.data.is_some());
}

#[tokio::test]
async fn calls_report() {
    let server = serve(
        "/calls/report",
        fixture("dianhua/calls-report/realistic-report.json"),
    )
    .await;
    client(&server.uri())
        .calls_report("SID-1")
        .await
        .expect("report");
}

#[tokio::test]
async fn cuishou() {
    let server = serve(
        "/cuishou",
        fixture("dianhua/cuishou/realistic-cuishou.json"),
    )
    .await;
    client(&server.uri())
        .cuishou("SID-1")
        .await
        .expect("cuishou");
}

#[tokio::test]
async fn itag() {
    let server = serve("/itag", fixture("dianhua/itag/realistic-itag.json")).await;
    client(&server.uri()).itag("SID-1").await.expect("itag");
}

#[tokio::test]
async fn a_non_zero_status_is_an_api_error_with_the_message() {
    let server = serve(
        "/calls/report",
        r#"{"status": 5, "msg": "sid 不存在"}"#.to_owned(),
    )
    .await;
    let error = client(&server.uri())
        .calls_report("SID-1")
        .await
        .expect_err("fails");
    let ClientError::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.code.as_deref(), Some("5"));
    assert_eq!(api.message.as_deref(), Some("sid 不存在"));
    assert!(!error.to_string().contains("dh-token-1"), "{error}");
}

#[tokio::test]
async fn transport_errors_do_not_leak_the_token_in_the_url() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("addr");
    drop(listener);
    let error = client(&format!("http://{address}"))
        .calls_record("SID-1")
        .await
        .expect_err("refused");
    let text = format!("{error} {error:?}");
    assert!(!text.contains("dh-token-1"), "{text}");
}

#[test]
fn auth_url_carries_token_and_parameters() {
    let client = client(DEFAULT_BASE_URL);
    let url = client
        .auth_url()
        .uid("user-7")
        .callback("https://lender.example/cb?x=1")
        .tel("13800000000")
        .build()
        .expect("url");
    let parsed = url::Url::parse(&url).expect("valid URL");
    assert_eq!(
        format!(
            "{}://{}/",
            parsed.scheme(),
            parsed.host_str().unwrap_or_default()
        ),
        format!("{DEFAULT_AUTH_URL_BASE_URL}/")
    );
    let pairs: Vec<(String, String)> = parsed
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    assert_eq!(
        pairs,
        vec![
            ("token".to_owned(), "dh-token-1".to_owned()),
            ("uid".to_owned(), "user-7".to_owned()),
            (
                "callback".to_owned(),
                "https://lender.example/cb?x=1".to_owned()
            ),
            ("tel".to_owned(), "13800000000".to_owned()),
        ]
    );
}

#[test]
fn auth_url_sends_the_contactor_as_json() {
    let contactor: Contactor =
        serde_json::from_str(&fixture("dianhua/contactor/realistic-two-contacts.json"))
            .expect("contactor");
    let url = client(DEFAULT_BASE_URL)
        .auth_url()
        .contactor(contactor.clone())
        .build()
        .expect("url");
    let parsed = url::Url::parse(&url).expect("valid URL");
    let value = parsed
        .query_pairs()
        .find(|(k, _)| k == "contactor")
        .map(|(_, v)| v.into_owned())
        .expect("contactor");
    let round: Contactor = serde_json::from_str(&value).expect("JSON of the contactor");
    assert_eq!(round, contactor);
}

#[test]
fn auth_url_needs_tel_or_contactor() {
    let error = client(DEFAULT_BASE_URL)
        .auth_url()
        .uid("u")
        .build()
        .expect_err("refused");
    assert!(
        matches!(error, ClientError::InvalidArgument(_)),
        "{error:?}"
    );
}

// ---- faults (`credkit_runtime::client::fault_server`) -----------------------------------

mod faults {
    use std::sync::Arc;
    use std::time::Duration;

    use credkit_runtime::client::error::{ClientError, TransportKind};
    use credkit_runtime::client::fault_server::{Fault, FaultServer};
    use credkit_runtime::client::hooks::{AttemptInfo, Hooks};
    use credkit_runtime::client::signing::DianhuaToken;
    use credkit_runtime::client::transport::{ClientConfig, RetryPolicy, Timeouts};
    use dianhua_client::carrier::DianhuaClient;

    use super::fixture;

    /// A token with characters that URL-encoding changes, so an echoed query shows it encoded.
    const TOKEN: &str = "dh+tok/en=42&secret";

    /// The four pulls, each with a success body.
    const PULLS: [(&str, &str); 4] = [
        (
            "calls_record",
            "dianhua/calls-record/realistic-china-mobile.json",
        ),
        ("calls_report", "dianhua/calls-report/realistic-report.json"),
        ("cuishou", "dianhua/cuishou/realistic-cuishou.json"),
        ("itag", "dianhua/itag/realistic-itag.json"),
    ];

    fn fast(url: &str) -> ClientConfig {
        let mut config = ClientConfig::new(url);
        config.retry = RetryPolicy {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(5),
            retry_paid_on_server_errors: false,
        };
        config.read = Timeouts {
            attempt: Duration::from_secs(1),
            stall: Duration::from_millis(300),
            total: Duration::from_secs(3),
        };
        config.max_response_bytes = 1024 * 1024;
        config
    }

    async fn pull(operation: &str, config: ClientConfig) -> Result<(), ClientError> {
        let client = DianhuaClient::new(
            config,
            DianhuaToken {
                token: TOKEN.into(),
            },
        )?;
        match operation {
            "calls_record" => client.calls_record("SID-1").await.map(drop),
            "calls_report" => client.calls_report("SID-1").await.map(drop),
            "cuishou" => client.cuishou("SID-1").await.map(drop),
            _ => client.itag("SID-1").await.map(drop),
        }
    }

    #[derive(Debug, Default)]
    struct Attempts(std::sync::Mutex<Vec<(std::time::Instant, AttemptInfo)>>);

    impl Hooks for Attempts {
        fn before_send(&self, info: &AttemptInfo) {
            self.0
                .lock()
                .expect("lock")
                .push((std::time::Instant::now(), *info));
        }
    }

    #[tokio::test]
    async fn pulls_ride_out_503s_resets_and_truncations() {
        for (operation, ok) in PULLS {
            let server = FaultServer::start(vec![
                Fault::json(503, "{}"),
                Fault::Reset,
                Fault::Truncate {
                    body: br#"{"status":0"#.to_vec(),
                    announced: 500,
                },
                Fault::json(200, fixture(ok)),
            ])
            .await;
            pull(operation, fast(server.url()))
                .await
                .unwrap_or_else(|e| panic!("{operation}: {e:?}"));
            assert_eq!(server.requests(), 4, "{operation}");
        }
    }

    #[tokio::test]
    async fn a_pull_honours_retry_after() {
        let server = FaultServer::start(vec![
            Fault::status_with(429, "Retry-After", "1"),
            Fault::json(200, fixture(PULLS[3].1)),
        ])
        .await;
        let attempts = Arc::new(Attempts::default());
        let mut config = fast(server.url());
        config.hooks = attempts.clone();
        pull("itag", config).await.expect("retried");
        let attempts = attempts.0.lock().expect("lock");
        assert_eq!(attempts.len(), 2);
        assert!(attempts[1].0 - attempts[0].0 >= Duration::from_secs(1));
        assert_eq!(attempts[0].1.path, "/itag");
    }

    #[tokio::test]
    async fn pulls_time_out_against_silent_and_stalled_servers() {
        for (operation, _) in PULLS {
            let server = FaultServer::start(vec![Fault::Silent]).await;
            let mut config = fast(server.url());
            config.read.total = Duration::from_millis(1500);
            let error = pull(operation, config).await.expect_err("silent");
            assert_eq!(
                error.transport_kind(),
                Some(TransportKind::Timeout),
                "{operation}"
            );
            let server = FaultServer::start(vec![Fault::Stall {
                prefix: b"{".to_vec(),
            }])
            .await;
            let mut config = fast(server.url());
            // Two stalls of 300 ms, well within the total: the last failure is the stall.
            config.retry.max_attempts = 2;
            let error = pull(operation, config).await.expect_err("stalled");
            assert_eq!(
                error.transport_kind(),
                Some(TransportKind::Stalled),
                "{operation}"
            );
        }
    }

    #[tokio::test]
    async fn pulls_refuse_oversize_bodies() {
        for (operation, _) in PULLS {
            let server = FaultServer::start(vec![Fault::Huge {
                len: 16 * 1024 * 1024,
                content_length: false,
            }])
            .await;
            let error = pull(operation, fast(server.url()))
                .await
                .expect_err("large");
            assert!(
                matches!(error, ClientError::ResponseTooLarge { length: None, .. }),
                "{operation}: {error:?}"
            );
            assert_eq!(server.requests(), 1, "{operation}");
        }
    }

    #[tokio::test]
    async fn an_echoing_gateway_does_not_leak_the_token() {
        let encoded: String = url::form_urlencoded::byte_serialize(TOKEN.as_bytes()).collect();
        for (operation, _) in PULLS {
            let server = FaultServer::start(vec![Fault::Echo { status: 502 }]).await;
            let mut config = fast(server.url());
            config.retry = RetryPolicy::none();
            let error = pull(operation, config).await.expect_err("502");
            let text = format!("{error}\n{error:?}\n{error:#?}");
            assert!(text.contains("SID-1"), "the echo is there: {text}");
            for leak in [TOKEN, encoded.as_str(), "tok%2Fen", "secret"] {
                assert!(!text.contains(leak), "{operation}: {leak} in {text}");
            }
        }
    }
}
