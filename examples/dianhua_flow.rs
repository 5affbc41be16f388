//! Dianhua end to end: build the H5 authorisation URL, receive the pushed callbacks, then pull
//! the call records, the carrier report, the collection-risk analysis and the number tags.
//!
//! `cargo run -p credkit-examples --example dianhua_flow` with the mock's environment. The
//! example runs its own callback receiver on 127.0.0.1; the mock's H5 page stands in for the
//! user's browser and authorises at once.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use credkit_examples::var;
use credkit_runtime::client::signing::DianhuaToken;
use credkit_runtime::client::transport::ClientConfig;
use dianhua_client::callback::{serve, Callback, CallbackKind, ReceiverConfig};
use dianhua_client::carrier::DianhuaClient;
use tokio::sync::mpsc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // 1. A callback receiver: each callback is handed to this closure once, then answered `ok`.
    let (sender, mut callbacks) = mpsc::unbounded_channel::<Callback>();
    let sender = Arc::new(sender);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let callback_url = format!("http://{}/dianhua", listener.local_addr()?);
    let handler = move |callback: Callback| {
        let sender = Arc::clone(&sender);
        async move {
            println!(
                "callback: {:?} sid {:?} status {:?}",
                callback.kind(),
                callback.sid(),
                callback.status()
            );
            sender.send(callback).map_err(|e| e.to_string().into())
        }
    };
    tokio::spawn(serve(listener, handler, ReceiverConfig::default()));

    // 2. The authorisation URL the user opens.
    let client = DianhuaClient::new(
        ClientConfig::new(var("DIANHUA_API_URL")?),
        DianhuaToken {
            token: var("DIANHUA_TOKEN")?.into(),
        },
    )?
    .with_auth_url_base_url(var("DIANHUA_H5_URL")?);
    let url = client
        .auth_url()
        .uid("example-user")
        .callback(&callback_url)
        .tel("13800138000")
        .build()?;
    println!(
        "authorisation URL: {}",
        url.replace(&var("DIANHUA_TOKEN")?, "<token>")
    );
    let page = reqwest::get(&url).await?.text().await?;
    println!(
        "H5 page says: {}",
        page.rsplit("<p>")
            .next()
            .unwrap_or_default()
            .trim_end_matches("</p>")
    );

    // 3. Wait for the report-status callback; it names the sid.
    let sid = loop {
        let callback = tokio::time::timeout(Duration::from_secs(10), callbacks.recv())
            .await
            .context("no callback within 10 s")?
            .context("the receiver stopped")?;
        if callback.kind() == CallbackKind::Report {
            break callback
                .sid()
                .context("the report callback has no sid")?
                .into_owned();
        }
    };

    // 4. Pull everything.
    let record = client.calls_record(&sid).await?;
    // The data is personal: print the number masked (`138****8000`), as `Debug` does.
    let tel = record
        .data
        .as_ref()
        .and_then(|d| d.tel.as_ref())
        .map(|tel| {
            credkit_runtime::pii::mask(credkit_runtime::pii::PiiClass::Phone, &tel.as_text())
        });
    println!(
        "calls/record: status {:?}, tel {tel:?}",
        record.status_value()?
    );
    let report = client.calls_report(&sid).await?;
    println!("calls/report: status {:?}", report.status_value()?);
    let cuishou = client.cuishou(&sid).await?;
    println!("cuishou: status {:?}", cuishou.status_value()?);
    let itag = client.itag(&sid).await?;
    println!("itag: status {:?}", itag.status_value()?);
    Ok(())
}
