//! OCR of one PDF through the private deployment, the Tencent marketplace and the JD marketplace.
//!
//! `cargo run -p credkit-examples --example ocr_channels` with the mock's environment.

use credkit_examples::{sample_pdf, var};
use credkit_runtime::client::signing::{DeepFinchHeaders, JdMd5, TencentHmac};
use credkit_runtime::client::transport::ClientConfig;
use deepfinch_client::{jd::JdClient, private::PrivateClient, tencent::TencentClient};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let pdf = sample_pdf()?;

    let private = PrivateClient::new(
        ClientConfig::new(var("DEEPFINCH_PRIVATE_URL")?),
        DeepFinchHeaders {
            api_id: var("DEEPFINCH_API_ID")?,
            api_secret: var("DEEPFINCH_API_SECRET")?.into(),
        },
    )?;
    let response = private
        .credit_report_v2(&pdf)
        .auto_classify(1)
        .send()
        .await?;
    println!(
        "private: status {:?}, report present: {}",
        response.status,
        response.result.is_some()
    );

    let tencent = TencentClient::new(
        ClientConfig::new(var("DEEPFINCH_TENCENT_URL")?),
        TencentHmac {
            secret_id: var("TENCENT_MARKET_SECRET_ID")?,
            secret_key: var("TENCENT_MARKET_SECRET_KEY")?.into(),
            source: var("TENCENT_MARKET_SOURCE").unwrap_or_else(|_| "market".into()),
        },
    )?;
    let report = tencent.credit_report(&pdf).await?;
    // A report is personal data: print the ID number masked (`5101**********5519`).
    let id_number = report
        .credit_header
        .as_ref()
        .and_then(|h| h.id_num.as_deref())
        .map(|id| credkit_runtime::pii::mask(credkit_runtime::pii::PiiClass::IdNumber, id));
    println!("tencent: report for ID {id_number:?}");

    let jd = JdClient::new(
        ClientConfig::new(var("DEEPFINCH_JD_URL")?),
        JdMd5 {
            appkey: var("JD_APPKEY")?,
            secret_key: var("JD_SECRET_KEY")?.into(),
        },
    )?;
    let envelope = jd.ocr_pdf_credit_report(&pdf).await?;
    let status = envelope.result.as_ref().and_then(|r| r.status.clone());
    println!(
        "jd: code {:?}, remaining calls {:?}, result status {status:?}",
        envelope.code, envelope.remain_times
    );
    Ok(())
}
