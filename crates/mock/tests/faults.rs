//! Each injected fault kind, seen by a client (reqwest) of a started mock.

use std::time::{Duration, Instant};

use credkit_mock::{Fault, MockConfig, MockServer};

async fn start(faults: &[&str], latency: Duration) -> MockServer {
    let config = MockConfig {
        faults: faults
            .iter()
            .map(|spec| spec.parse::<Fault>().expect(spec))
            .collect(),
        latency,
        ..MockConfig::default()
    };
    MockServer::start(config).await.expect("mock starts")
}

/// A Dianhua pull of `path` with the mock's token.
async fn pull(
    client: &reqwest::Client,
    mock: &MockServer,
    path: &str,
) -> reqwest::Result<reqwest::Response> {
    client
        .get(format!("{}{path}", mock.base_url()))
        .query(&[("token", "mock-token"), ("sid", "SID1")])
        .send()
        .await
}

fn client() -> reqwest::Client {
    // A fresh connection per request: a reset or truncated connection is not reused.
    reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client")
}

#[tokio::test]
async fn a_429_carries_retry_after_for_its_count() {
    let mock = start(&["calls_record:429:retry-after=2:count=1"], Duration::ZERO).await;
    let client = client();
    let first = pull(&client, &mock, "/calls/record")
        .await
        .expect("answers");
    assert_eq!(first.status(), 429);
    assert_eq!(
        first
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("2")
    );
    let second = pull(&client, &mock, "/calls/record")
        .await
        .expect("answers");
    assert_eq!(second.status(), 200);
}

#[tokio::test]
async fn a_5xx_burst_fails_the_first_requests_of_its_route_only() {
    let mock = start(&["calls_report:503x3"], Duration::ZERO).await;
    let client = client();
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(
            pull(&client, &mock, "/calls/report")
                .await
                .expect("answers")
                .status()
                .as_u16(),
        );
    }
    assert_eq!(statuses, vec![503, 503, 503, 200, 200]);
    // Another route is untouched.
    let other = pull(&client, &mock, "/itag").await.expect("answers");
    assert_eq!(other.status(), 200);
}

fn is_reset(error: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = source {
        if let Some(io) = current.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::ConnectionReset {
                return true;
            }
        }
        source = current.source();
    }
    false
}

#[tokio::test]
async fn a_reset_drops_the_connection_without_an_answer() {
    let mock = start(&["itag:reset:count=1"], Duration::ZERO).await;
    let client = client();
    let error = pull(&client, &mock, "/itag").await.expect_err("reset");
    assert!(is_reset(&error), "the connection was reset: {error:?}");
    assert_eq!(
        pull(&client, &mock, "/itag")
            .await
            .expect("answers")
            .status(),
        200
    );
}

#[tokio::test]
async fn a_truncated_body_is_shorter_than_announced() {
    let mock = start(&["cuishou:truncate:count=1"], Duration::ZERO).await;
    let client = client();
    let response = pull(&client, &mock, "/cuishou")
        .await
        .expect("headers arrive");
    assert_eq!(response.status(), 200);
    let announced = response.content_length().expect("a length");
    assert!(announced > 0);
    assert!(response.bytes().await.is_err(), "the body ends early");
    let whole = pull(&client, &mock, "/cuishou")
        .await
        .expect("answers")
        .bytes()
        .await
        .expect("whole");
    assert_eq!(whole.len() as u64, announced);
}

#[tokio::test]
async fn a_slow_body_arrives_whole_in_pieces() {
    let plain = start(&[], Duration::ZERO).await;
    let slow = start(&["/itag:slow:bps=5000"], Duration::ZERO).await;
    let client = client();
    let expected = pull(&client, &plain, "/itag")
        .await
        .expect("answers")
        .bytes()
        .await
        .expect("body");
    let mut response = pull(&client, &slow, "/itag").await.expect("answers");
    let mut received = Vec::new();
    let mut pieces = 0;
    while let Some(chunk) = response.chunk().await.expect("reads") {
        pieces += 1;
        received.extend_from_slice(&chunk);
    }
    assert_eq!(received, expected.to_vec());
    assert!(pieces > 1, "{pieces} pieces");
}

#[tokio::test]
async fn an_html_gateway_page_reflects_the_path_but_not_the_query() {
    let mock = start(&["/calls/record:html:status=504:reflect"], Duration::ZERO).await;
    let response = pull(&client(), &mock, "/calls/record")
        .await
        .expect("answers");
    assert_eq!(response.status(), 504);
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/html")
    );
    let page = response.text().await.expect("text");
    assert!(page.contains("504 Gateway Timeout"), "{page}");
    assert!(page.contains("GET /calls/record"), "{page}");
    assert!(
        !page.contains("mock-token"),
        "the token is not reflected: {page}"
    );
}

#[tokio::test]
async fn a_rate_is_reproducible_from_its_seed() {
    async fn statuses() -> Vec<u16> {
        let mock = start(&["*:500:rate=0.5:seed=9"], Duration::ZERO).await;
        let client = client();
        let mut statuses = Vec::new();
        for _ in 0..20 {
            statuses.push(
                pull(&client, &mock, "/itag")
                    .await
                    .expect("answers")
                    .status()
                    .as_u16(),
            );
        }
        statuses
    }
    let first = statuses().await;
    assert_eq!(first, statuses().await);
    assert!(first.contains(&500) && first.contains(&200), "{first:?}");
}

#[tokio::test]
async fn faults_apply_to_uploads_too() {
    let mock = start(
        &["ocr_pdf_credit_report:429:retry-after=2:count=1"],
        Duration::ZERO,
    )
    .await;
    let response = client()
        .post(format!(
            "{}/deepfinch/ocr_pdf_credit_report",
            mock.base_url()
        ))
        .body("{}")
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 429);
}

#[tokio::test]
async fn latency_delays_every_answer() {
    let latency = Duration::from_millis(300);
    let mock = start(&[], latency).await;
    let started = Instant::now();
    let response = pull(&client(), &mock, "/itag").await.expect("answers");
    assert_eq!(response.status(), 200);
    // A lower bound only: sleeping never ends early.
    assert!(started.elapsed() >= latency);
}
