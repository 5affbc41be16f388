//! Cloud OCR task with polling: ask for a task's result until it is no longer in progress.
//!
//! `cargo run -p credkit-examples --example cloud_task` with the mock's environment.

use credkit_examples::var;
use credkit_runtime::client::signing::DeepFinchHeaders;
use credkit_runtime::client::transport::ClientConfig;
use deepfinch_client::cloud::CloudClient;
use deepfinch_client::PollPolicy;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let client = CloudClient::new(
        ClientConfig::new(var("DEEPFINCH_CLOUD_URL")?),
        DeepFinchHeaders {
            api_id: var("DEEPFINCH_API_ID")?,
            api_secret: var("DEEPFINCH_API_SECRET")?.into(),
        },
    )?;
    let policy = PollPolicy {
        max_polls: 10,
        interval: std::time::Duration::from_millis(200),
    };
    let task_id = format!("example-{}", std::process::id());
    let result = client.wait_for_task_result(&task_id, &policy).await?;
    let report = result.structured_result.unwrap_or_default();
    // A report is personal data: print the subject's name masked, as `Debug` does.
    let subject = report
        .who_was_checked
        .as_deref()
        .map(|name| credkit_runtime::pii::mask(credkit_runtime::pii::PiiClass::Name, name))
        .unwrap_or_else(|| "?".into());
    println!(
        "task {task_id}: status {:?}, report {} for {subject}, {} loan(s)",
        result.status,
        report.serial_no.as_deref().unwrap_or("?"),
        report.loans.as_ref().map_or(0, Vec::len)
    );
    Ok(())
}
