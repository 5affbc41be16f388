//! `credkit mock`: the local mock of every vendor system.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use credkit_mock::{Fault, MockConfig, MockServer};

/// Arguments of `credkit mock`.
#[derive(clap::Args)]
pub struct MockArgs {
    /// Port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 8600)]
    port: u16,
    /// How many times a cloud task answers TASK_INPROGRESS before its result.
    #[arg(long, default_value_t = 2)]
    pending_polls: u32,
    /// Where to push authorisation callbacks when the H5 URL has no `callback`.
    #[arg(long)]
    callback_url: Option<String>,
    /// Where to push report-status callbacks (default: the authorisation callback URL, with
    /// `yulore_flag` appended to both).
    #[arg(long)]
    report_callback_url: Option<String>,
    /// Wait between two pushes of an unacknowledged callback, in milliseconds.
    #[arg(long, default_value_t = 1000)]
    push_interval_ms: u64,
    /// Inject a fault, repeatable: ROUTE:KIND[:OPTION]... ROUTE is an operation id
    /// (calls_report), a path (/calls/report) or `*`; KIND is 429, a 5xx status (503, or
    /// 503x3 for the first three requests), reset, truncate, slow or html; OPTIONs are
    /// count=N, rate=F with seed=N, retry-after=SECONDS (429), bps=N (slow), status=CODE and
    /// reflect (html). Example: --fault calls_report:503x3 --fault '*:reset:rate=0.1:seed=7'.
    #[allow(
        rustdoc::broken_intra_doc_links,
        reason = "clap's help text: [:OPTION] is syntax, not a link"
    )]
    #[arg(long = "fault", value_name = "SPEC")]
    faults: Vec<Fault>,
    /// Delay every answer of an operation by this many milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    latency: u64,
    /// Answer this many OCR uploads (all channels together), then the channel's documented
    /// quota-exhausted code: JD OUT_OF_QUOTA, Tencent RATE_LIMIT_EXCEEDED, private HTTP 429.
    #[arg(long, value_name = "N")]
    quota: Option<u32>,
}

/// Runs the mock until the process is stopped.
pub fn run(args: &MockArgs) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::from(2);
        }
    };
    let config = MockConfig {
        listen: SocketAddr::from(([127, 0, 0, 1], args.port)),
        pending_polls: args.pending_polls,
        auth_callback_url: args.callback_url.clone(),
        report_callback_url: args.report_callback_url.clone(),
        push_interval: Duration::from_millis(args.push_interval_ms),
        faults: args.faults.clone(),
        latency: Duration::from_millis(args.latency),
        quota: args.quota,
        ..MockConfig::default()
    };
    let config_faults = config.faults.clone();
    runtime.block_on(async {
        let server = match MockServer::start(config).await {
            Ok(server) => server,
            Err(error) => {
                eprintln!("error: cannot listen on 127.0.0.1:{}: {error}", args.port);
                return ExitCode::from(2);
            }
        };
        crate::out(format!(
            "# credkit mock listening on {}; point credkit at it with:",
            server.base_url()
        ));
        for fault in &config_faults {
            crate::out(format!("# injecting fault {fault}"));
        }
        if let Some(quota) = args.quota {
            crate::out(format!(
                "# answering {quota} OCR upload(s), then the quota-exhausted code"
            ));
        }
        if args.latency > 0 {
            crate::out(format!(
                "# adding {} ms of latency to every answer",
                args.latency
            ));
        }
        for (name, value) in server.environment() {
            crate::out(format!("export {name}={value}"));
        }
        server.wait().await;
        ExitCode::SUCCESS
    })
}
