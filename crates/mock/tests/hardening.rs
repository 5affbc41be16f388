//! Everything a client sends is bounded: slow headers, oversized and stalled bodies, task ids,
//! callback answers, and the state the mock keeps.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use credkit_mock::{MockConfig, MockLimits, MockServer};
use futures_util::StreamExt as _;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A bound on every wait, so that a broken mock fails the test instead of hanging it.
const GUARD: Duration = Duration::from_secs(60);

async fn start(limits: MockLimits, tweak: impl FnOnce(&mut MockConfig)) -> MockServer {
    let mut config = MockConfig {
        limits,
        push_interval: Duration::from_millis(10),
        ..MockConfig::default()
    };
    tweak(&mut config);
    MockServer::start(config).await.expect("mock starts")
}

/// Reads until the peer closes (or resets); returns what was read.
async fn read_to_close(stream: &mut TcpStream) -> Vec<u8> {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(GUARD, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return seen,
            Ok(Ok(n)) => seen.extend_from_slice(&buf[..n]),
            Err(_) => panic!("the mock kept the connection open past the guard"),
        }
    }
}

#[tokio::test]
async fn a_thousand_slow_header_connections_are_all_closed() {
    let mock = start(
        MockLimits {
            header_read_timeout: Duration::from_millis(300),
            max_connections: 2_000,
            ..MockLimits::default()
        },
        |_| {},
    )
    .await;
    let mut connections = Vec::new();
    for _ in 0..1_000 {
        let mut stream = TcpStream::connect(mock.address()).await.expect("connects");
        // Headers that never end.
        stream
            .write_all(b"GET /calls/record?token=mock-token&sid=S HTTP/1.1\r\nHost: mock\r\n")
            .await
            .expect("writes");
        connections.push(stream);
    }
    let closed = futures_util::future::join_all(
        connections
            .iter_mut()
            .map(|stream| async move { read_to_close(stream).await }),
    )
    .await;
    assert_eq!(closed.len(), 1_000, "every slow connection was closed");
    // The mock still serves.
    let answer = reqwest::get(format!(
        "{}/calls/record?token=mock-token&sid=S",
        mock.base_url()
    ))
    .await
    .expect("answers");
    assert_eq!(answer.status(), 200);
}

#[tokio::test]
async fn an_announced_body_over_the_limit_gets_413_before_it_is_sent() {
    let mock = start(MockLimits::default(), |_| {}).await;
    let upload = deepfinch_client::private::operations::CREDIT_REPORT_V2
        .upload
        .expect("the private channel uploads");
    let mut stream = TcpStream::connect(mock.address()).await.expect("connects");
    let head = format!(
        "POST /api/credit_report_v2 HTTP/1.1\r\nHost: mock\r\nX-DF-API-ID: mock-api-id\r\nX-DF-API-SECRET: mock-api-secret\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: {}\r\n\r\n",
        upload.max_body_bytes() + 1
    );
    stream.write_all(head.as_bytes()).await.expect("writes");
    // Not one byte of the body is sent: the answer can only come from the headers.
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(GUARD, stream.read(&mut buf))
        .await
        .expect("answers before the body")
        .expect("reads");
    let text = String::from_utf8_lossy(&buf[..n]);
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    assert!(text.contains("PARAMETER_ERROR"), "{text}");
}

#[tokio::test]
async fn a_stalled_body_is_timed_out() {
    let mock = start(
        MockLimits {
            body_idle_timeout: Duration::from_millis(200),
            ..MockLimits::default()
        },
        |_| {},
    )
    .await;
    let mut stream = TcpStream::connect(mock.address()).await.expect("connects");
    stream
        .write_all(
            b"POST /ocr/get_credit_report_ocr_task_result HTTP/1.1\r\nHost: mock\r\nX-DF-API-ID: mock-api-id\r\nX-DF-API-SECRET: mock-api-secret\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"task_id\"",
        )
        .await
        .expect("writes");
    let answer = read_to_close(&mut stream).await;
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 4"), "{text}");
}

async fn poll(client: &reqwest::Client, mock: &MockServer, task_id: &str) -> (u16, Value) {
    let response = client
        .post(format!(
            "{}/ocr/get_credit_report_ocr_task_result",
            mock.base_url()
        ))
        .header("X-DF-API-ID", "mock-api-id")
        .header("X-DF-API-SECRET", "mock-api-secret")
        .json(&json!({ "task_id": task_id }))
        .send()
        .await
        .expect("answers");
    let status = response.status().as_u16();
    (status, response.json().await.expect("json"))
}

#[tokio::test]
async fn overlong_task_ids_are_refused() {
    let mock = start(MockLimits::default(), |_| {}).await;
    let client = reqwest::Client::new();
    let (status, body) = poll(&client, &mock, &"t".repeat(10_000)).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (400, Some("INVALID_ARGUMENT"))
    );
    assert!(
        body["reason"].as_str().unwrap_or_default().len() < 100,
        "the id is not echoed: {body}"
    );
}

#[tokio::test]
async fn tracked_tasks_are_bounded_and_the_least_recent_is_forgotten() {
    let mock = start(
        MockLimits {
            max_tracked_tasks: 2,
            ..MockLimits::default()
        },
        |config| config.pending_polls = 1,
    )
    .await;
    let client = reqwest::Client::new();
    let status = |body: &Value| body["status"].as_str().map(str::to_owned);
    let (_, a) = poll(&client, &mock, "a").await;
    assert_eq!(status(&a).as_deref(), Some("TASK_INPROGRESS"));
    poll(&client, &mock, "b").await;
    poll(&client, &mock, "c").await;
    // "a" was forgotten: its count starts again.
    let (_, a) = poll(&client, &mock, "a").await;
    assert_eq!(status(&a).as_deref(), Some("TASK_INPROGRESS"));
    // "c" is still tracked: its second poll is done.
    let (code, c) = poll(&client, &mock, "c").await;
    assert_eq!(code, 200, "{c}");
}

/// Starts a receiver app on loopback; returns its URL.
async fn receiver(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/dianhua", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

async fn authorise(mock: &MockServer, callback: &str) {
    let page = reqwest::Client::new()
        .get(format!("{}/h5", mock.base_url()))
        .query(&[
            ("token", "mock-token"),
            ("tel", "13800138000"),
            ("callback", callback),
        ])
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), 200);
}

async fn pushes(mock: &MockServer) -> Vec<Value> {
    reqwest::get(format!("{}/_mock/pushes", mock.base_url()))
        .await
        .expect("pushes")
        .json()
        .await
        .expect("json")
}

async fn wait_for_pushes(mock: &MockServer, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    for _ in 0..600 {
        let seen = pushes(mock).await;
        if done(&seen) {
            return seen;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("pushes never completed: {:?}", pushes(mock).await);
}

fn acknowledged(pushes: &[Value]) -> Vec<(String, u64, bool)> {
    pushes
        .iter()
        .map(|p| {
            (
                p["kind"].as_str().unwrap_or_default().to_owned(),
                p["attempt"].as_u64().unwrap_or(0),
                p["acknowledged"] == true,
            )
        })
        .collect()
}

#[tokio::test]
async fn only_a_2xx_saying_ok_acknowledges_a_push() {
    let mock = start(MockLimits::default(), |config| {
        config.report_callback_url = None;
    })
    .await;
    let app = axum::Router::new().route(
        "/dianhua",
        axum::routing::post(|| async { (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "ok") }),
    );
    authorise(&mock, &receiver(app).await).await;
    let seen = wait_for_pushes(&mock, |p| p.len() >= 6).await;
    assert!(
        acknowledged(&seen).iter().all(|(_, _, ack)| !ack),
        "a 500 is no acknowledgement: {seen:?}"
    );

    let mock = start(MockLimits::default(), |_| {}).await;
    let app = axum::Router::new().route("/dianhua", axum::routing::post(|| async { " ok\n" }));
    authorise(&mock, &receiver(app).await).await;
    let seen = wait_for_pushes(&mock, |p| p.len() >= 2).await;
    assert_eq!(
        acknowledged(&seen),
        vec![("auth".into(), 1, true), ("report".into(), 1, true)]
    );
}

#[tokio::test]
async fn a_huge_callback_answer_is_not_read() {
    let mock = start(MockLimits::default(), |config| config.push_attempts = 1).await;
    let sent = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&sent);
    // 300 MB, produced only as fast as the mock reads it.
    let app = axum::Router::new().route(
        "/dianhua",
        axum::routing::post(move || {
            let counter = Arc::clone(&counter);
            async move {
                let chunk = bytes_of(64 * 1024);
                let stream = futures_util::stream::iter(0..(300 * 16)).map(move |_| {
                    counter.fetch_add(chunk.len() as u64, Ordering::SeqCst);
                    Ok::<_, std::convert::Infallible>(chunk.clone())
                });
                axum::body::Body::from_stream(stream)
            }
        }),
    );
    authorise(&mock, &receiver(app).await).await;
    let seen = wait_for_pushes(&mock, |p| p.len() >= 2).await;
    assert!(
        acknowledged(&seen).iter().all(|(_, _, ack)| !ack),
        "{seen:?}"
    );
    let produced = sent.load(Ordering::SeqCst);
    assert!(
        produced < 64 * 1024 * 1024,
        "the mock stopped reading long before 300 MB: {produced} bytes produced"
    );
}

fn bytes_of(len: usize) -> axum::body::Bytes {
    axum::body::Bytes::from(vec![b'x'; len])
}

#[tokio::test]
async fn push_records_are_bounded() {
    let mock = start(
        MockLimits {
            max_push_records: 2,
            ..MockLimits::default()
        },
        |_| {},
    )
    .await;
    let app = axum::Router::new().route("/dianhua", axum::routing::post(|| async { "not ok" }));
    authorise(&mock, &receiver(app).await).await;
    // Six pushes are made (three of each callback); the last two are kept.
    let seen = wait_for_pushes(&mock, |p| {
        acknowledged(p).last() == Some(&("report".to_owned(), 3, false))
    })
    .await;
    assert_eq!(seen.len(), 2, "{seen:?}");
}

#[tokio::test]
async fn a_body_of_another_media_type_than_the_endpoint_model_says_gets_415() {
    let mock = start(MockLimits::default(), |_| {}).await;
    let response = reqwest::Client::new()
        .post(format!(
            "{}/ocr/get_credit_report_ocr_task_result",
            mock.base_url()
        ))
        .header("X-DF-API-ID", "mock-api-id")
        .header("X-DF-API-SECRET", "mock-api-secret")
        .header("Content-Type", "text/plain")
        .body(r#"{"task_id":"t"}"#)
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 415);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["status"], "INVALID_ARGUMENT", "{body}");
}
