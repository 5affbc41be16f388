//! Every flow against the real `credkit mock` process on loopback: the cloud task with
//! polling, OCR through each channel, Dianhua authorisation → callback → pulls; and each
//! rejection: a wrong signature, an expired JD timestamp, an unacknowledged callback (pushed
//! three times) and a repeated callback (delivered once); and a client's retries riding out
//! a fault injected with `--fault`.

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use credkit_runtime::client::error::ClientError;
use credkit_runtime::client::signing::{
    DeepFinchHeaders, DianhuaToken, FixedClock, JdMd5, TencentHmac,
};
use credkit_runtime::client::transport::{ClientConfig, RetryPolicy};
use deepfinch_client::cloud::CloudClient;
use deepfinch_client::jd::JdClient;
use deepfinch_client::private::PrivateClient;
use deepfinch_client::tencent::TencentClient;
use deepfinch_client::PollPolicy;
use dianhua_client::callback::{router, Callback, CallbackKind, ReceiverConfig};
use dianhua_client::carrier::DianhuaClient;
use serde_json::Value;

mod common;

/// The mock process; killed when dropped.
struct Mock {
    process: common::MockProcess,
}

impl Mock {
    fn start() -> Mock {
        Mock::start_with(&[])
    }

    /// Starts the mock with `extra` arguments (faults, latency).
    fn start_with(extra: &[&str]) -> Mock {
        let mut args = vec!["--pending-polls", "2", "--push-interval-ms", "50"];
        args.extend_from_slice(extra);
        Mock {
            process: common::MockProcess::start(&args),
        }
    }

    fn var(&self, name: &str) -> String {
        self.process.env.get(name).cloned().unwrap_or_default()
    }

    fn config(&self, url_variable: &str) -> ClientConfig {
        let mut config = ClientConfig::new(self.var(url_variable));
        config.retry = RetryPolicy::none();
        config.set_attempt_timeout(Duration::from_secs(10));
        config
    }

    fn deepfinch_headers(&self) -> DeepFinchHeaders {
        DeepFinchHeaders {
            api_id: self.var("DEEPFINCH_API_ID"),
            api_secret: self.var("DEEPFINCH_API_SECRET").into(),
        }
    }

    fn tencent(&self, key: &str) -> TencentHmac {
        TencentHmac {
            secret_id: self.var("TENCENT_MARKET_SECRET_ID"),
            secret_key: key.into(),
            source: self.var("TENCENT_MARKET_SOURCE"),
        }
    }

    fn jd(&self) -> JdMd5 {
        JdMd5 {
            appkey: self.var("JD_APPKEY"),
            secret_key: self.var("JD_SECRET_KEY").into(),
        }
    }

    fn dianhua(&self) -> DianhuaClient {
        DianhuaClient::new(
            self.config("DIANHUA_API_URL"),
            DianhuaToken {
                token: self.var("DIANHUA_TOKEN").into(),
            },
        )
        .expect("client")
        .with_auth_url_base_url(self.var("DIANHUA_H5_URL"))
    }

    async fn pushes(&self) -> Vec<Value> {
        let url = format!("{}/_mock/pushes", self.var("DIANHUA_API_URL"));
        reqwest::get(url)
            .await
            .expect("pushes")
            .json::<Vec<Value>>()
            .await
            .expect("json")
    }

    /// Waits until `done(pushes)` holds, for at most 10 s.
    async fn wait_for_pushes(&self, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        for _ in 0..200 {
            let pushes = self.pushes().await;
            if done(&pushes) {
                return pushes;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("pushes never completed: {:?}", self.pushes().await);
    }
}

fn pdf() -> tempfile::NamedTempFile {
    let file = tempfile::Builder::new()
        .suffix(".pdf")
        .tempfile()
        .expect("tempfile");
    std::fs::write(file.path(), b"%PDF-1.4\n% integration test\n").expect("write");
    file
}

#[tokio::test]
async fn cloud_task_is_in_progress_then_done() {
    let mock = Mock::start();
    let client = CloudClient::new(mock.config("DEEPFINCH_CLOUD_URL"), mock.deepfinch_headers())
        .expect("client");
    let first = client
        .get_credit_report_ocr_task_result("task-a")
        .await
        .expect("answer");
    assert_eq!(
        first.status.map(|s| s.to_string()).as_deref(),
        Some("TASK_INPROGRESS")
    );
    let policy = PollPolicy {
        max_polls: 5,
        interval: Duration::from_millis(20),
    };
    let done = client
        .wait_for_task_result("task-a", &policy)
        .await
        .expect("result");
    assert!(done.structured_result.is_some());
}

#[tokio::test]
async fn ocr_through_each_channel() {
    let mock = Mock::start();
    let file = pdf();
    let private = PrivateClient::new(
        mock.config("DEEPFINCH_PRIVATE_URL"),
        mock.deepfinch_headers(),
    )
    .expect("client");
    assert!(private
        .credit_report_v2(file.path())
        .auto_classify(1)
        .send()
        .await
        .expect("private")
        .result
        .is_some());
    let tencent = TencentClient::new(
        mock.config("DEEPFINCH_TENCENT_URL"),
        mock.tencent(&mock.var("TENCENT_MARKET_SECRET_KEY")),
    )
    .expect("client");
    tencent.credit_report(file.path()).await.expect("tencent");
    let jd = JdClient::new(mock.config("DEEPFINCH_JD_URL"), mock.jd()).expect("client");
    assert!(jd
        .ocr_pdf_credit_report(file.path())
        .await
        .expect("jd")
        .result
        .is_some());
}

#[tokio::test]
async fn wrong_credentials_are_rejected_on_every_system() {
    let mock = Mock::start();
    let file = pdf();
    let tencent = TencentClient::new(
        mock.config("DEEPFINCH_TENCENT_URL"),
        mock.tencent("wrong-key"),
    )
    .expect("client");
    let error = tencent
        .credit_report(file.path())
        .await
        .expect_err("bad signature");
    assert_eq!(
        (error.status(), error.vendor_code()),
        (Some(401), Some("UNAUTHORIZED")),
        "{error}"
    );

    let wrong = DeepFinchHeaders {
        api_id: mock.var("DEEPFINCH_API_ID"),
        api_secret: "wrong".into(),
    };
    let cloud = CloudClient::new(mock.config("DEEPFINCH_CLOUD_URL"), wrong).expect("client");
    let error = cloud
        .get_credit_report_ocr_task_result("t")
        .await
        .expect_err("bad secret");
    assert_eq!(
        (error.status(), error.vendor_code()),
        (Some(401), Some("UNAUTHORIZED")),
        "{error}"
    );

    let jd = JdClient::new(
        mock.config("DEEPFINCH_JD_URL"),
        JdMd5 {
            appkey: mock.var("JD_APPKEY"),
            secret_key: "wrong".into(),
        },
    )
    .expect("client");
    let error = jd
        .ocr_pdf_credit_report(file.path())
        .await
        .expect_err("bad sign");
    assert_eq!(error.vendor_code(), Some("UNAUTHORIZED"), "{error}");

    let dianhua = DianhuaClient::new(
        mock.config("DIANHUA_API_URL"),
        DianhuaToken {
            token: "wrong".into(),
        },
    )
    .expect("client");
    let error = dianhua.calls_record("SID").await.expect_err("bad token");
    assert!(
        matches!(&error, ClientError::Api(api) if api.message.as_deref() == Some("token 无效")),
        "{error}"
    );
}

#[tokio::test]
async fn an_expired_jd_timestamp_is_rejected() {
    let mock = Mock::start();
    let mut config = mock.config("DEEPFINCH_JD_URL");
    config.clock = Arc::new(FixedClock(SystemTime::now() - Duration::from_secs(6 * 60)));
    let jd = JdClient::new(config, mock.jd()).expect("client");
    let error = jd
        .ocr_pdf_credit_report(pdf().path())
        .await
        .expect_err("expired");
    let ClientError::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        (api.status, api.code.as_deref()),
        (401, Some("UNAUTHORIZED"))
    );
    assert!(
        api.message
            .as_deref()
            .unwrap_or_default()
            .contains("expired"),
        "{api:?}"
    );
}

#[tokio::test]
async fn uploads_the_mock_refuses_get_the_documented_errors() {
    let mock = Mock::start();
    // A client that skips the local checks would send these; the mock answers as documented.
    let url = format!("{}/api/credit_report_v2", mock.var("DEEPFINCH_PRIVATE_URL"));
    let form = reqwest::multipart::Form::new().part(
        "image_file",
        reqwest::multipart::Part::bytes(b"GIF89a".to_vec()).file_name("x.gif"),
    );
    let response = reqwest::Client::new()
        .post(url)
        .header("X-DF-API-ID", mock.var("DEEPFINCH_API_ID"))
        .header("X-DF-API-SECRET", mock.var("DEEPFINCH_API_SECRET"))
        .multipart(form)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["status"], "PARAMETER_ERROR");
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

#[tokio::test]
async fn authorisation_callback_then_pulls() {
    let mock = Mock::start();
    let received = Arc::new(Mutex::new(Vec::<Callback>::new()));
    let sink = Arc::clone(&received);
    let handler = move |callback: Callback| {
        let sink = Arc::clone(&sink);
        async move {
            sink.lock().expect("lock").push(callback);
            Ok(())
        }
    };
    let callback_url =
        receiver(axum::Router::new().nest("/dianhua", router(handler, ReceiverConfig::default())))
            .await;
    let client = mock.dianhua();
    let url = client
        .auth_url()
        .uid("u-1")
        .callback(&callback_url)
        .tel("13800138000")
        .build()
        .expect("url");
    assert_eq!(reqwest::get(&url).await.expect("page").status(), 200);
    let pushes = mock.wait_for_pushes(|p| p.len() >= 2).await;
    assert!(
        pushes.iter().all(|p| p["acknowledged"] == true),
        "{pushes:?}"
    );
    assert!(
        pushes[0]["url"]
            .as_str()
            .unwrap_or_default()
            .ends_with("yulore_flag=auth"),
        "{pushes:?}"
    );
    let callbacks = received.lock().expect("lock").clone();
    let kinds: Vec<CallbackKind> = callbacks.iter().map(Callback::kind).collect();
    assert_eq!(kinds, vec![CallbackKind::Auth, CallbackKind::Report]);
    let sid = callbacks[1].sid().expect("sid").into_owned();
    assert_eq!(
        client
            .calls_record(&sid)
            .await
            .expect("record")
            .data
            .and_then(|d| d.into_inner().sid)
            .map(|s| s.as_text().into_owned()),
        Some(sid.clone())
    );
    client.calls_report(&sid).await.expect("report");
    client.cuishou(&sid).await.expect("cuishou");
    client.itag(&sid).await.expect("itag");
}

#[tokio::test]
async fn an_unacknowledged_callback_is_pushed_three_times() {
    let mock = Mock::start();
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&hits);
    let app = axum::Router::new().route(
        "/dianhua",
        axum::routing::post(move || {
            let counter = Arc::clone(&counter);
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                "not ok"
            }
        }),
    );
    let callback_url = receiver(app).await;
    let url = mock
        .dianhua()
        .auth_url()
        .callback(&callback_url)
        .tel("13800138000")
        .build()
        .expect("url");
    reqwest::get(&url).await.expect("page");
    let pushes = mock.wait_for_pushes(|p| p.len() >= 6).await;
    let auth: Vec<&Value> = pushes.iter().filter(|p| p["kind"] == "auth").collect();
    assert_eq!(
        auth.iter()
            .map(|p| p["attempt"].as_u64().unwrap_or(0))
            .collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    assert!(pushes.iter().all(|p| p["acknowledged"] == false));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        hits.load(Ordering::SeqCst),
        6,
        "three pushes of each callback, then no more"
    );
}

#[tokio::test]
async fn a_repeated_callback_is_delivered_once() {
    let mock = Mock::start();
    let delivered = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&delivered);
    let handler = move |callback: Callback| {
        let counter = Arc::clone(&counter);
        async move {
            if callback.kind() == CallbackKind::Auth {
                counter.fetch_add(1, Ordering::SeqCst);
            }
            Ok(())
        }
    };
    // The first answer is lost on the way back (a proxy turns it into a 502), so Dianhua
    // pushes the same callback again; the receiver must not hand it over twice.
    let first = Arc::new(AtomicUsize::new(0));
    let lose_first_answer = axum::middleware::from_fn(
        move |request: axum::extract::Request, next: axum::middleware::Next| {
            let first = Arc::clone(&first);
            async move {
                let response = next.run(request).await;
                if first.fetch_add(1, Ordering::SeqCst) == 0 {
                    return axum::response::IntoResponse::into_response((
                        axum::http::StatusCode::BAD_GATEWAY,
                        "lost",
                    ));
                }
                response
            }
        },
    );
    let app = axum::Router::new()
        .nest("/dianhua", router(handler, ReceiverConfig::default()))
        .layer(lose_first_answer);
    let callback_url = receiver(app).await;
    let url = mock
        .dianhua()
        .auth_url()
        .callback(&callback_url)
        .tel("13800138000")
        .build()
        .expect("url");
    reqwest::get(&url).await.expect("page");
    let pushes = mock
        .wait_for_pushes(|p| {
            p.iter()
                .any(|x| x["kind"] == "report" && x["acknowledged"] == true)
        })
        .await;
    let auth: Vec<(u64, bool)> = pushes
        .iter()
        .filter(|p| p["kind"] == "auth")
        .map(|p| {
            (
                p["attempt"].as_u64().unwrap_or(0),
                p["acknowledged"] == true,
            )
        })
        .collect();
    assert_eq!(auth, vec![(1, false), (2, true)]);
    assert_eq!(delivered.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn retries_ride_out_an_injected_burst_of_503s() {
    let mock = Mock::start_with(&["--fault", "calls_report:503x3"]);
    let token = || DianhuaToken {
        token: mock.var("DIANHUA_TOKEN").into(),
    };
    // Without retries the first answer is the injected 503.
    let once = DianhuaClient::new(mock.config("DIANHUA_API_URL"), token()).expect("client");
    let error = once.calls_report("SID").await.expect_err("503");
    assert_eq!(error.status(), Some(503), "{error}");
    // Two of the three failures are left; a client with retries gets through.
    let mut config = mock.config("DIANHUA_API_URL");
    config.retry = RetryPolicy {
        max_attempts: 4,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
        ..RetryPolicy::default()
    };
    let retrying = DianhuaClient::new(config, token()).expect("client");
    retrying
        .calls_report("SID")
        .await
        .expect("succeeds after retries");
}

#[test]
fn a_malformed_fault_is_refused_with_the_reason() {
    let output = Command::new(env!("CARGO_BIN_EXE_credkit"))
        .args(["mock", "--port", "0", "--fault", "calls_report:503:rate=2"])
        .output()
        .expect("runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("between 0 and 1"), "{stderr}");
}
