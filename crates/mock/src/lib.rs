//! A local mock of the five vendor systems, so that every credkit flow runs on one machine
//! without credentials or internet.
//!
//! One server answers for DeepFinch's cloud API, private deployment, Tencent and JD
//! marketplaces and Dianhua's 邦秒爬 (pull APIs and the H5 authorisation page). It serves the
//! committed fixtures (`tests/fixtures/`), checks credentials the way each document describes
//! (DeepFinch headers; Tencent HMAC signature and date; JD `sign` and a timestamp no older
//! than five minutes; Dianhua token) and answers failures with the documented status and error
//! body. The cloud task answers `TASK_INPROGRESS` a configurable number of times; uploads that
//! are not PDFs or exceed a channel's limit get the documented error; opening the H5 page
//! "authorises" at once and pushes the authorisation and report callbacks, retrying up to three
//! times until the receiver answers `ok`.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let mock = credkit_mock::MockServer::start(credkit_mock::MockConfig::default()).await?;
//! for (name, value) in mock.environment() {
//!     println!("export {name}={value}");
//! }
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod credentials;
mod deepfinch;
mod dianhua;
mod fixtures;
mod reply;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use credentials::MockCredentials;
pub use dianhua::PushRecord;

/// How the mock behaves.
#[derive(Debug, Clone)]
pub struct MockConfig {
    /// Address to listen on; port 0 picks a free port.
    pub listen: SocketAddr,
    /// How many times a cloud task answers `TASK_INPROGRESS` before its result.
    pub pending_polls: u32,
    /// Where report-status callbacks go; when `None`, they go to the authorisation callback
    /// URL (the H5 `callback` parameter) and both pushes carry `yulore_flag`.
    pub report_callback_url: Option<String>,
    /// Where authorisation callbacks go when the H5 page gets no `callback` parameter.
    pub auth_callback_url: Option<String>,
    /// Pushes per callback before giving up (the document says three).
    pub push_attempts: u32,
    /// Wait between two pushes of the same callback.
    pub push_interval: Duration,
    /// The credentials the mock accepts.
    pub credentials: MockCredentials,
}

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            pending_polls: 2,
            report_callback_url: None,
            auth_callback_url: None,
            push_attempts: 3,
            push_interval: Duration::from_secs(1),
            credentials: MockCredentials::default(),
        }
    }
}

/// State shared by the handlers.
pub(crate) struct Mock {
    pub(crate) config: MockConfig,
    pub(crate) polls: Mutex<std::collections::HashMap<String, u32>>,
    pub(crate) pushes: Mutex<Vec<PushRecord>>,
    pub(crate) next_sid: std::sync::atomic::AtomicU64,
    pub(crate) http: reqwest::Client,
}

/// A running mock.
#[derive(Debug)]
pub struct MockServer {
    address: SocketAddr,
    credentials: MockCredentials,
    task: tokio::task::JoinHandle<()>,
}

impl MockServer {
    /// Binds `config.listen` and serves in the background of the current tokio runtime.
    pub async fn start(config: MockConfig) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(config.listen).await?;
        let address = listener.local_addr()?;
        let credentials = config.credentials.clone();
        let app = router(config);
        let task = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, app).await {
                tracing::error!(%error, "mock server stopped");
            }
        });
        Ok(MockServer {
            address,
            credentials,
            task,
        })
    }

    /// The address it listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// `http://<address>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The environment variables that point the `credkit` CLI (and the examples) at this mock.
    pub fn environment(&self) -> Vec<(&'static str, String)> {
        let base = self.base_url();
        let c = &self.credentials;
        vec![
            ("DEEPFINCH_API_ID", c.deepfinch_api_id.clone()),
            ("DEEPFINCH_API_SECRET", c.deepfinch_api_secret.clone()),
            ("DEEPFINCH_CLOUD_URL", base.clone()),
            ("DEEPFINCH_PRIVATE_URL", base.clone()),
            ("TENCENT_MARKET_SECRET_ID", c.tencent_secret_id.clone()),
            ("TENCENT_MARKET_SECRET_KEY", c.tencent_secret_key.clone()),
            ("TENCENT_MARKET_SOURCE", c.tencent_source.clone()),
            ("DEEPFINCH_TENCENT_URL", base.clone()),
            ("JD_APPKEY", c.jd_appkey.clone()),
            ("JD_SECRET_KEY", c.jd_secret_key.clone()),
            ("DEEPFINCH_JD_URL", base.clone()),
            ("DIANHUA_TOKEN", c.dianhua_token.clone()),
            ("DIANHUA_API_URL", base.clone()),
            ("DIANHUA_H5_URL", format!("{base}/h5")),
        ]
    }

    /// Waits until the server stops (it runs until the process ends or [`Self::stop`]).
    pub async fn wait(self) {
        let _ = self.task.await;
    }

    /// Stops serving.
    pub fn stop(self) {
        self.task.abort();
    }
}

/// The mock's routes, for embedding in another axum app.
pub fn router(config: MockConfig) -> axum::Router {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap_or_default();
    let state = Arc::new(Mock {
        config,
        polls: Mutex::new(Default::default()),
        pushes: Mutex::new(Vec::new()),
        next_sid: std::sync::atomic::AtomicU64::new(1),
        http,
    });
    deepfinch::routes()
        .merge(dianhua::routes())
        .with_state(state)
}
