//! `MockConfig::quota`: each channel's documented quota-exhausted answer once N uploads are
//! used, JD's `remainTimes` counted down, and `GET /_mock/usage`.

use credkit_mock::{MockConfig, MockCredentials, MockServer};
use credkit_runtime::client::signing::{DeepFinchHeaders, JdMd5, TencentHmac};
use credkit_runtime::client::transport::{ClientConfig, RetryPolicy};
use deepfinch_client::jd::JdClient;
use deepfinch_client::private::PrivateClient;
use deepfinch_client::tencent::TencentClient;

async fn start(quota: u32) -> MockServer {
    let config = MockConfig {
        quota: Some(quota),
        ..MockConfig::default()
    };
    MockServer::start(config).await.expect("mock starts")
}

fn config(mock: &MockServer) -> ClientConfig {
    let mut config = ClientConfig::new(mock.base_url());
    config.retry = RetryPolicy::none();
    config
}

fn pdf() -> tempfile::NamedTempFile {
    let file = tempfile::Builder::new()
        .suffix(".pdf")
        .tempfile()
        .expect("tempfile");
    std::fs::write(file.path(), b"%PDF-1.4\n% quota test\n").expect("write");
    file
}

async fn usage(mock: &MockServer) -> serde_json::Value {
    reqwest::get(format!("{}/_mock/usage", mock.base_url()))
        .await
        .expect("usage")
        .json()
        .await
        .expect("json")
}

#[tokio::test]
async fn jd_counts_down_then_answers_out_of_quota() {
    let mock = start(2).await;
    let c = MockCredentials::default();
    let jd = JdClient::new(
        config(&mock),
        JdMd5 {
            appkey: c.jd_appkey,
            secret_key: c.jd_secret_key.into(),
        },
    )
    .expect("client");
    let file = pdf();
    let first = jd.ocr_pdf_credit_report(file.path()).await.expect("first");
    assert_eq!(first.remain_times, Some(1));
    let second = jd.ocr_pdf_credit_report(file.path()).await.expect("second");
    assert_eq!(second.remain_times, Some(0));
    let error = jd
        .ocr_pdf_credit_report(file.path())
        .await
        .expect_err("used up");
    assert_eq!(
        (error.status(), error.vendor_code()),
        (Some(403), Some("OUT_OF_QUOTA")),
        "{error}"
    );
    assert_eq!(usage(&mock).await["ocr_uploads"], 3);
}

#[tokio::test]
async fn tencent_answers_its_rate_limit_code_and_private_a_429() {
    let mock = start(1).await;
    let c = MockCredentials::default();
    let file = pdf();
    let tencent = TencentClient::new(
        config(&mock),
        TencentHmac {
            secret_id: c.tencent_secret_id,
            secret_key: c.tencent_secret_key.into(),
            source: c.tencent_source,
        },
    )
    .expect("client");
    tencent
        .credit_report(file.path())
        .await
        .expect("within the quota");
    let error = tencent
        .credit_report(file.path())
        .await
        .expect_err("used up");
    assert_eq!(
        (error.status(), error.vendor_code()),
        (Some(403), Some("RATE_LIMIT_EXCEEDED")),
        "{error}"
    );
    let private = PrivateClient::new(
        config(&mock),
        DeepFinchHeaders {
            api_id: c.deepfinch_api_id,
            api_secret: c.deepfinch_api_secret.into(),
        },
    )
    .expect("client");
    let error = private
        .credit_report_v2(file.path())
        .send()
        .await
        .expect_err("used up: the quota is shared");
    assert_eq!(error.status(), Some(429), "{error}");
}
