//! Peak memory of the client against a 200 MB response, announced (`Content-Length`) and not.
//!
//! `cargo run --release -p credkit-runtime --features fault-server --example response_memory`
//! prints, per case, the error and the process's peak resident set (VmHWM, Linux only). The
//! response limit (32 MiB by default) stops the read, so the peak stays far below the
//! response's size. A figure, not a test: nothing here asserts on it.

use std::sync::Arc;
use std::time::Instant;

use credkit_runtime::client::fault_server::{Fault, FaultServer};
use credkit_runtime::client::operation::{
    BodyEncoding, Method, OperationKind, OperationSpec, Request, RetryClass,
};
use credkit_runtime::client::signing::DianhuaToken;
use credkit_runtime::client::transport::{ClientConfig, StatusCheck, Transport, Verdict};

const PULL: OperationSpec = OperationSpec {
    id: "pull",
    method: Method::Get,
    path: "/pull",
    body: BodyEncoding::None,
    upload: None,
    kind: OperationKind::Send {
        retry: RetryClass::Read,
    },
};

const VERDICT: Verdict = Verdict {
    checks: &[StatusCheck {
        pointer: "/status",
        ok: &["0"],
    }],
    message: &["/msg"],
    request_id: &["/sid"],
};

const LEN: u64 = 200 * 1024 * 1024;

/// The peak resident set in MB, from /proc/self/status.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

#[tokio::main]
async fn main() {
    println!(
        "{:<14} {:>14} {:>14} {:>9}  error",
        "case", "response (MB)", "peak RSS (MB)", "time (s)"
    );
    for content_length in [true, false] {
        let server = FaultServer::start(vec![Fault::Huge {
            len: LEN,
            content_length,
        }])
        .await;
        let config = ClientConfig::new(server.url());
        let signer = Arc::new(DianhuaToken {
            token: "token-value".into(),
        });
        let transport = Transport::new(config, signer).expect("transport");
        let started = Instant::now();
        let outcome = transport
            .execute::<serde_json::Value>(Request::new(&PULL), &VERDICT)
            .await;
        let error = outcome.map_or_else(|e| e.to_string(), |_| "accepted!".to_owned());
        println!(
            "{:<14} {:>14} {:>14.1} {:>9.2}  {error}",
            if content_length {
                "announced"
            } else {
                "unannounced"
            },
            LEN / (1024 * 1024),
            peak_rss_mb().unwrap_or(f64::NAN),
            started.elapsed().as_secs_f64()
        );
    }
}
