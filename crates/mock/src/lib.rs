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
//!
//! Routes, methods, content types and size limits come from the clients' generated `CHANNEL`
//! tables (the endpoint model); what each operation answers is written here. Faults
//! ([`Fault`]: 429, 5xx bursts, resets, truncated or slow bodies, HTML gateway pages) and
//! latency can be injected per operation, for testing a service's retries against the mock;
//! an OCR call quota ([`MockConfig::quota`]) makes the channels answer their quota-exhausted
//! codes, for testing a batch's stop.
//! Everything a client sends is bounded ([`MockLimits`]).

#![warn(missing_docs)]

mod auth;
mod bounded;
mod channels;
mod credentials;
mod deepfinch;
mod dianhua;
mod faults;
mod fixtures;
mod handlers;
mod inject;
mod limits;
mod quota;
mod reply;
mod serve;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

pub use credentials::MockCredentials;
pub use dianhua::PushRecord;
pub use faults::{Fault, FaultKind, FaultParseError, FaultRoute, Trigger};

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
    /// Injected faults (see [`Fault`] for the spec syntax); for each request the first listed
    /// fault that hits it applies.
    pub faults: Vec<Fault>,
    /// Added before every answer of an operation.
    pub latency: Duration,
    /// Limits on what clients may hold or make the mock hold.
    pub limits: MockLimits,
    /// OCR uploads answered (on all DeepFinch channels together) before every further one
    /// gets the channel's documented quota-exhausted answer: JD `OUT_OF_QUOTA` (HTTP 403,
    /// `remainTimes` 0), Tencent `RATE_LIMIT_EXCEEDED` (HTTP 403, its only documented
    /// limit code) and, for the private deployment, which documents none, HTTP 429. While
    /// it lasts, JD's envelope counts `remainTimes` down. `None`: no quota.
    pub quota: Option<u32>,
}

/// Limits on what clients may hold or make the mock hold: everything from outside is bounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MockLimits {
    /// How long a client may take to send a request's headers, and how long an idle
    /// keep-alive connection stays open ([`MockServer`] only).
    pub header_read_timeout: Duration,
    /// How long a request body may go without sending a byte.
    pub body_idle_timeout: Duration,
    /// How long a request may take from its headers to its answer, body read included.
    pub request_timeout: Duration,
    /// Open connections at most ([`MockServer`] only); further clients wait.
    pub max_connections: usize,
    /// Cloud tasks whose polls are counted; the least recently polled is forgotten first.
    pub max_tracked_tasks: usize,
    /// The longest cloud `task_id` accepted, in bytes.
    pub max_task_id_len: usize,
    /// Push records kept for `GET /_mock/pushes`; the oldest go first.
    pub max_push_records: usize,
    /// H5 authorisations whose callbacks are being pushed at once; past it the page answers 503.
    pub max_pending_pushes: usize,
    /// The most bytes of a callback receiver's answer that are read.
    pub max_callback_answer: usize,
}

impl Default for MockLimits {
    fn default() -> Self {
        MockLimits {
            header_read_timeout: Duration::from_secs(10),
            body_idle_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(120),
            max_connections: 512,
            max_tracked_tasks: 10_000,
            max_task_id_len: 128,
            max_push_records: 1_000,
            max_pending_pushes: 64,
            max_callback_answer: 4 * 1024,
        }
    }
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
            faults: Vec::new(),
            latency: Duration::ZERO,
            limits: MockLimits::default(),
            quota: None,
        }
    }
}

/// State shared by the handlers.
pub(crate) struct Mock {
    pub(crate) config: MockConfig,
    pub(crate) polls: bounded::BoundedCounts,
    pub(crate) pushes: bounded::BoundedLog<PushRecord>,
    pub(crate) pending_pushes: Arc<tokio::sync::Semaphore>,
    pub(crate) next_sid: std::sync::atomic::AtomicU64,
    pub(crate) http: reqwest::Client,
    pub(crate) usage: quota::Usage,
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
        let limits = serve::ConnectionLimits {
            header_read_timeout: config.limits.header_read_timeout,
            max_connections: config.limits.max_connections,
        };
        let app = router(config);
        let task = tokio::spawn(serve::serve(listener, app, limits));
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

/// The mock's routes, for embedding in another axum app: one route per operation of every
/// channel's endpoint model (the H5 page below `/h5`), each with its body limit, timeouts and
/// the configured faults, plus `GET /_mock/pushes`. Header timeouts, the connection ceiling
/// and connection resets need [`MockServer`].
pub fn router(config: MockConfig) -> axum::Router {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap_or_default();
    let limits = config.limits;
    let faults = Arc::new(inject::Faults::new(&config.faults, config.latency));
    let state = Arc::new(Mock {
        polls: bounded::BoundedCounts::new(limits.max_tracked_tasks),
        pushes: bounded::BoundedLog::new(limits.max_push_records),
        pending_pushes: Arc::new(tokio::sync::Semaphore::new(
            limits.max_pending_pushes.max(1),
        )),
        next_sid: std::sync::atomic::AtomicU64::new(1),
        http,
        usage: quota::Usage::default(),
        config,
    });
    handlers::routes(&faults, &limits)
        .merge(dianhua::internal_routes())
        .merge(quota::internal_routes())
        .with_state(state)
}
