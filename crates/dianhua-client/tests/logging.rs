//! Everything the client logs — spans and events at every level, retries included — carries
//! neither the token nor the report's personal data, even when a gateway echoes the request.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use credkit_runtime::client::signing::DianhuaToken;
use credkit_runtime::client::transport::{ClientConfig, RetryPolicy};
use dianhua_client::carrier::DianhuaClient;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "dh-secret-token-77";

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("lock")).into_owned()
    }
}

#[tokio::test]
async fn spans_and_events_carry_no_token_and_no_personal_data() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let report = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/dianhua/calls-report/realistic-report.json"),
    )
    .expect("fixture");
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/calls/report"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(report, "application/json"))
        .mount(&server)
        .await;
    // A gateway page that echoes the request, token included; retried, then reported.
    Mock::given(method("GET"))
        .and(path("/calls/record"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(
            format!("<html>bad gateway for GET /calls/record?token={TOKEN}&sid=SID-1</html>"),
            "text/html",
        ))
        .mount(&server)
        .await;

    let mut config = ClientConfig::new(server.uri());
    config.retry = RetryPolicy {
        max_attempts: 2,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
        ..RetryPolicy::default()
    };
    let client = DianhuaClient::new(
        config,
        DianhuaToken {
            token: TOKEN.into(),
        },
    )
    .expect("client");
    client.calls_report("SID-1").await.expect("report");
    let error = client.calls_record("SID-1").await.expect_err("gateway");
    tracing::info!(error = %error, "the caller logs the error");

    let text = captured.text();
    // The capture works: the operations, the retry and the HTTP status are there.
    assert!(text.contains("calls_report"), "{text}");
    assert!(text.contains("calls_record"), "{text}");
    assert!(text.contains("502"), "{text}");
    for secret in [
        TOKEN,
        "110105198807154312", // the report's ID number
        "王晓明",             // the report's name
        "13911072846",        // the report's phone
    ] {
        assert!(!text.contains(secret), "`{secret}` was logged:\n{text}");
    }
}
