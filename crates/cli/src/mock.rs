//! `credkit mock`: the local mock of every vendor system.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use credkit_mock::{MockConfig, MockServer};

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
        ..MockConfig::default()
    };
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
        for (name, value) in server.environment() {
            crate::out(format!("export {name}={value}"));
        }
        server.wait().await;
        ExitCode::SUCCESS
    })
}
