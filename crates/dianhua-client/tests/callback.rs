//! The Dianhua callback receiver over real HTTP: routing by path and `yulore_flag`,
//! answering `ok`, delivering each push once, rejecting bad bodies, and the document's
//! fixtures.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::routing::get;
use axum::Router;
use dianhua_client::callback::{
    router, serve, BoxError, Callback, CallbackHandler, CallbackKind, ReceiverConfig,
};
use dianhua_models::auth_callback::AuthCallback;
use dianhua_models::report_callback::ReportCallback;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const AUTH: &str =
    r#"{"status":0,"tel":"17701020875","uid":"","sid":"SIDa4923444df5040b086e5b7ae90b3da14"}"#;
const REPORT: &str =
    r#"{"status":0,"sid":"SIDf6207ba2206c42c28b871d6023c82d07","tel":"15999917956","uid":"1"}"#;

type Recorded = Arc<Mutex<Vec<Callback>>>;

/// A handler recording every callback it receives.
fn recorder() -> (Recorded, impl CallbackHandler) {
    let recorded: Recorded = Arc::default();
    let sink = Arc::clone(&recorded);
    let handler = move |callback: Callback| {
        let sink = Arc::clone(&sink);
        async move {
            sink.lock().expect("lock").push(callback);
            Ok::<(), BoxError>(())
        }
    };
    (recorded, handler)
}

fn recorded(recorded: &Recorded) -> Vec<Callback> {
    recorded.lock().expect("lock").clone()
}

async fn start<H: CallbackHandler>(handler: H, config: ReceiverConfig) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(serve(listener, handler, config));
    format!("http://{address}")
}

async fn start_app(app: Router) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

async fn post(url: &str, body: impl Into<reqwest::Body>) -> (u16, String) {
    let response = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(body)
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .expect("send");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

fn auth(json: &str) -> AuthCallback {
    credkit_runtime::parse_json(json.as_bytes())
        .expect("auth callback")
        .value
}

fn report(json: &str) -> ReportCallback {
    credkit_runtime::parse_json(json.as_bytes())
        .expect("report callback")
        .value
}

#[tokio::test]
async fn auth_path_delivers_auth_and_answers_plain_ok() {
    let (calls, handler) = recorder();
    let base = start(handler, ReceiverConfig::default()).await;
    let response = reqwest::Client::new()
        .post(format!("{base}/auth"))
        .header("content-type", "application/json")
        .body(AUTH)
        .send()
        .await
        .expect("send");
    assert_eq!(response.status().as_u16(), 200);
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    assert_eq!(response.text().await.expect("body"), "ok");

    let calls = recorded(&calls);
    assert_eq!(calls, vec![Callback::Auth(auth(AUTH))]);
    assert_eq!(calls[0].kind(), CallbackKind::Auth);
    assert_eq!(
        calls[0].sid().as_deref(),
        Some("SIDa4923444df5040b086e5b7ae90b3da14")
    );
    assert_eq!(calls[0].status(), Some(0));
}

#[tokio::test]
async fn report_path_and_report_flag_on_root_deliver_reports() {
    let (calls, handler) = recorder();
    let base = start(handler, ReceiverConfig::default()).await;
    assert_eq!(
        post(&format!("{base}/?yulore_flag=report"), REPORT).await,
        (200, "ok".into())
    );
    let failed = r#"{"status":2,"sid":"SID-2","tel":"15999917956","uid":"1"}"#;
    assert_eq!(
        post(&format!("{base}/report"), failed).await,
        (200, "ok".into())
    );
    assert_eq!(
        recorded(&calls),
        vec![
            Callback::Report(report(REPORT)),
            Callback::Report(report(failed))
        ]
    );
}

#[tokio::test]
async fn flag_on_any_path_wins_over_the_path() {
    let (calls, handler) = recorder();
    let base = start(handler, ReceiverConfig::default()).await;
    // A shared customer address with its own query; Dianhua appends the flag.
    assert_eq!(
        post(
            &format!("{base}/hooks/dianhua?customer=7&yulore_flag=auth"),
            AUTH
        )
        .await,
        (200, "ok".into())
    );
    assert_eq!(
        post(&format!("{base}/auth?yulore_flag=report"), REPORT).await,
        (200, "ok".into())
    );
    // An unknown flag value does not override the path.
    assert_eq!(
        post(
            &format!("{base}/report?yulore_flag=other"),
            r#"{"sid":"S3"}"#
        )
        .await,
        (200, "ok".into())
    );
    let kinds: Vec<CallbackKind> = recorded(&calls).iter().map(Callback::kind).collect();
    assert_eq!(
        kinds,
        vec![
            CallbackKind::Auth,
            CallbackKind::Report,
            CallbackKind::Report
        ]
    );
}

#[tokio::test]
async fn the_same_push_three_times_reaches_the_handler_once() {
    let (calls, handler) = recorder();
    let base = start(handler, ReceiverConfig::default()).await;
    for _ in 0..3 {
        assert_eq!(
            post(&format!("{base}/report"), REPORT).await,
            (200, "ok".into())
        );
    }
    assert_eq!(recorded(&calls).len(), 1);

    // Another status for the same sid, or the other kind, is another push.
    let failed = REPORT.replace(r#""status":0"#, r#""status":2"#);
    assert_eq!(
        post(&format!("{base}/report"), failed).await,
        (200, "ok".into())
    );
    assert_eq!(
        post(&format!("{base}/auth"), REPORT).await,
        (200, "ok".into())
    );
    assert_eq!(recorded(&calls).len(), 3);
}

#[tokio::test]
async fn concurrent_identical_pushes_reach_the_handler_once() {
    let count = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&count);
    let handler = move |_callback: Callback| {
        let counter = Arc::clone(&counter);
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(300)).await;
            Ok::<(), BoxError>(())
        }
    };
    let base = start(handler, ReceiverConfig::default()).await;
    let url = format!("{base}/auth");
    let pushes: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move { post(&url, AUTH).await })
        })
        .collect();
    for push in pushes {
        assert_eq!(push.await.expect("join"), (200, "ok".into()));
    }
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_failed_delivery_is_repeated() {
    let attempts = Arc::new(AtomicUsize::new(0));
    let (calls, record) = recorder();
    let counter = Arc::clone(&attempts);
    let record = Arc::new(record);
    let handler = move |callback: Callback| {
        let counter = Arc::clone(&counter);
        let record = Arc::clone(&record);
        async move {
            if counter.fetch_add(1, Ordering::SeqCst) == 0 {
                return Err::<(), BoxError>("database unavailable".into());
            }
            record.handle(callback).await
        }
    };
    let base = start(handler, ReceiverConfig::default()).await;
    let (status, body) = post(&format!("{base}/auth"), AUTH).await;
    assert_eq!(status, 500);
    assert_ne!(body, "ok");
    assert!(recorded(&calls).is_empty());

    assert_eq!(
        post(&format!("{base}/auth"), AUTH).await,
        (200, "ok".into())
    );
    assert_eq!(
        post(&format!("{base}/auth"), AUTH).await,
        (200, "ok".into())
    );
    assert_eq!(attempts.load(Ordering::SeqCst), 2);
    assert_eq!(recorded(&calls), vec![Callback::Auth(auth(AUTH))]);
}

#[tokio::test]
async fn a_panicking_handler_is_answered_500_and_the_repeat_delivered() {
    let attempts = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&attempts);
    let handler = move |_callback: Callback| {
        let counter = Arc::clone(&counter);
        async move {
            if counter.fetch_add(1, Ordering::SeqCst) == 0 {
                panic!("handler bug");
            }
            Ok::<(), BoxError>(())
        }
    };
    let base = start(handler, ReceiverConfig::default()).await;
    assert_eq!(post(&format!("{base}/report"), REPORT).await.0, 500);
    assert_eq!(
        post(&format!("{base}/report"), REPORT).await,
        (200, "ok".into())
    );
    assert_eq!(attempts.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn callbacks_without_sid_are_delivered_every_time() {
    let (calls, handler) = recorder();
    let base = start(handler, ReceiverConfig::default()).await;
    for _ in 0..2 {
        assert_eq!(
            post(&format!("{base}/auth"), r#"{"status":0}"#).await,
            (200, "ok".into())
        );
    }
    assert_eq!(recorded(&calls).len(), 2);
    assert_eq!(recorded(&calls)[0].sid(), None);
}

#[tokio::test]
async fn dedup_memory_is_bounded() {
    let (calls, handler) = recorder();
    let config = ReceiverConfig {
        dedup_capacity: 2,
        ..ReceiverConfig::default()
    };
    let base = start(handler, config).await;
    let push = |sid: &str| format!(r#"{{"status":0,"sid":"{sid}"}}"#);
    for sid in ["A", "B", "C", "C", "B", "A"] {
        assert_eq!(
            post(&format!("{base}/report"), push(sid)).await,
            (200, "ok".into())
        );
    }
    // A was forgotten when C was delivered; B and C were still remembered.
    let sids: Vec<String> = recorded(&calls)
        .iter()
        .filter_map(|callback| callback.sid().map(std::borrow::Cow::into_owned))
        .collect();
    assert_eq!(sids, ["A", "B", "C", "A"]);
}

#[tokio::test]
async fn bad_requests_are_answered_400_and_the_server_keeps_going() {
    let (calls, handler) = recorder();
    let config = ReceiverConfig {
        max_body_bytes: 1024,
        ..ReceiverConfig::default()
    };
    let base = start(handler, config).await;

    let (status, body) = post(&format!("{base}/auth"), "{\"status\":0,").await;
    assert_eq!(status, 400);
    assert!(body.contains("invalid auth callback"), "{body}");

    let (status, body) = post(&format!("{base}/report"), "not json").await;
    assert_eq!(status, 400);
    assert!(body.contains("$"), "{body}");

    let (status, body) = post(&format!("{base}/auth"), "[1,2]").await;
    assert_eq!(status, 400);
    assert!(body.contains("invalid auth callback"), "{body}");

    let (status, body) = post(&format!("{base}/report"), r#"{"status":{"code":0}}"#).await;
    assert_eq!(status, 400);
    assert!(body.contains("status"), "{body}");

    // Dianhua tolerates scalar drift (a number where text is documented), but an object where
    // a scalar is documented is still refused.
    let (status, body) = post(&format!("{base}/auth"), r#"{"sid":"S","uid":{"id":7}}"#).await;
    assert_eq!(status, 400);
    assert!(body.contains("uid"), "{body}");

    let (status, body) = post(&format!("{base}/report"), "").await;
    assert_eq!(status, 400, "{body}");

    let large = format!(r#"{{"sid":"S","tel":"{}"}}"#, "1".repeat(4096));
    let (status, body) = post(&format!("{base}/auth"), large.clone()).await;
    assert_eq!(status, 400);
    assert!(body.contains("limit"), "{body}");

    // Over the limit without a Content-Length (chunked).
    let response = post_chunked(&base, "/auth", &large).await;
    assert!(response.starts_with("HTTP/1.1 400"), "{response}");
    assert!(response.contains("limit"), "{response}");

    // The limit also holds on the flagged fallback route.
    let (status, body) = post(&format!("{base}/push?yulore_flag=auth"), large.clone()).await;
    assert_eq!(status, 400);
    assert!(body.contains("limit"), "{body}");
    let response = post_chunked(&base, "/push?yulore_flag=report", &large).await;
    assert!(response.starts_with("HTTP/1.1 400"), "{response}");
    assert!(response.contains("limit"), "{response}");

    let (status, body) = post(&format!("{base}/callback"), AUTH).await;
    assert_eq!(status, 400);
    assert!(body.contains("yulore_flag"), "{body}");

    let (status, _) = post(&format!("{base}/?yulore_flag=both"), AUTH).await;
    assert_eq!(status, 400);

    assert!(recorded(&calls).is_empty());
    assert_eq!(
        post(&format!("{base}/auth"), AUTH).await,
        (200, "ok".into())
    );
    assert_eq!(recorded(&calls).len(), 1);
}

/// POSTs `body` with `Transfer-Encoding: chunked` (no Content-Length) over a raw
/// connection; returns the whole response as text.
async fn post_chunked(base: &str, path: &str, body: &str) -> String {
    let address = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).await.expect("connect");
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    for chunk in body.as_bytes().chunks(300) {
        request.push_str(&format!("{:x}\r\n", chunk.len()));
        request.push_str(std::str::from_utf8(chunk).expect("ascii body"));
        request.push_str("\r\n");
    }
    request.push_str("0\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("read");
    String::from_utf8_lossy(&response).into_owned()
}

#[tokio::test]
async fn the_documents_fixtures_all_deliver() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/dianhua");
    let (calls, handler) = recorder();
    // The two doc auth fixtures are the same push; without memory both reach the handler.
    let config = ReceiverConfig {
        dedup_capacity: 0,
        ..ReceiverConfig::default()
    };
    let base = start(handler, config).await;
    let mut expected = Vec::new();
    for (dir, route) in [("auth-callback", "auth"), ("report-callback", "report")] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .expect("fixture directory")
            .map(|entry| entry.expect("entry").path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
            .collect();
        files.sort();
        assert!(!files.is_empty(), "no fixtures in {dir}");
        for file in files {
            let json = std::fs::read_to_string(&file).expect("fixture");
            let (status, body) = post(&format!("{base}/{route}"), json.clone()).await;
            assert_eq!((status, body.as_str()), (200, "ok"), "{}", file.display());
            expected.push(match route {
                "auth" => Callback::Auth(auth(&json)),
                _ => Callback::Report(report(&json)),
            });
        }
    }
    assert_eq!(recorded(&calls), expected);
}

#[tokio::test]
async fn nested_in_a_bigger_app() {
    let (calls, handler) = recorder();
    let app = Router::new()
        .route("/health", get(|| async { "up" }))
        .nest("/dianhua", router(handler, ReceiverConfig::default()));
    let base = start_app(app).await;

    assert_eq!(
        post(&format!("{base}/dianhua/auth"), AUTH).await,
        (200, "ok".into())
    );
    assert_eq!(
        post(&format!("{base}/dianhua/report"), REPORT).await,
        (200, "ok".into())
    );
    let failed = REPORT.replace(r#""status":0"#, r#""status":2"#);
    assert_eq!(
        post(&format!("{base}/dianhua/push?yulore_flag=report"), failed).await,
        (200, "ok".into())
    );
    assert_eq!(post(&format!("{base}/dianhua/push"), AUTH).await.0, 400);
    // The nest's own address, as a single shared callback URL.
    assert_eq!(
        post(
            &format!("{base}/dianhua?yulore_flag=auth"),
            r#"{"sid":"S9"}"#
        )
        .await,
        (200, "ok".into())
    );

    let client = reqwest::Client::new();
    let health = client
        .get(format!("{base}/health"))
        .send()
        .await
        .expect("send");
    assert_eq!(health.text().await.expect("body"), "up");
    let missing = client
        .get(format!("{base}/elsewhere"))
        .send()
        .await
        .expect("send");
    assert_eq!(missing.status().as_u16(), 404);
    // Outside the nest the receiver does not answer.
    assert_eq!(post(&format!("{base}/auth"), AUTH).await.0, 404);
    assert_eq!(
        post(&format!("{base}/other?yulore_flag=auth"), AUTH)
            .await
            .0,
        404
    );

    let kinds: Vec<CallbackKind> = recorded(&calls).iter().map(Callback::kind).collect();
    assert_eq!(
        kinds,
        vec![
            CallbackKind::Auth,
            CallbackKind::Report,
            CallbackKind::Report,
            CallbackKind::Auth
        ]
    );
}

#[tokio::test]
async fn merged_into_a_bigger_app() {
    let (calls, handler) = recorder();
    let app = Router::new()
        .route("/health", get(|| async { "up" }))
        .merge(router(handler, ReceiverConfig::default()));
    let base = start_app(app).await;

    assert_eq!(
        post(&format!("{base}/auth"), AUTH).await,
        (200, "ok".into())
    );
    assert_eq!(
        post(&format!("{base}/callbacks?yulore_flag=report"), REPORT).await,
        (200, "ok".into())
    );
    let client = reqwest::Client::new();
    let health = client
        .get(format!("{base}/health"))
        .send()
        .await
        .expect("send");
    assert_eq!(health.text().await.expect("body"), "up");
    let missing = client
        .get(format!("{base}/elsewhere"))
        .send()
        .await
        .expect("send");
    assert_eq!(missing.status().as_u16(), 404);
    assert_eq!(recorded(&calls).len(), 2);
}
