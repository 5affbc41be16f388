//! Settings of a client: base URL, per-class time limits, retries, response size limits, your
//! own `reqwest::Client`, hooks, and the clock.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use super::hooks::{Hooks, NoHooks};
use super::operation::RetryClass;
use super::retry::RetryPolicy;
use super::signing::{Clock, SystemClock};

/// One mebibyte.
const MIB: u64 = 1024 * 1024;

/// The time limits of one retry class.
///
/// * `attempt` bounds one attempt from sending to the last byte of the response; it is what
///   ends a server that trickles (one byte a second never stalls, but never finishes either).
/// * `stall` bounds the wait for the next bytes of a response body: a server that stops
///   sending fails with [`super::error::TransportKind::Stalled`] long before `attempt`.
/// * `total` bounds the whole operation — attempts, waits between them, and a `Retry-After`.
///   An attempt never runs past it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Longest time one attempt may take, request upload and response included.
    pub attempt: Duration,
    /// Longest time without a byte of the response body.
    pub stall: Duration,
    /// Longest time for the operation, retries included.
    pub total: Duration,
}

impl Timeouts {
    /// Reads (task result, Dianhua pulls): 20 s per attempt, 10 s stall, 60 s in all.
    ///
    /// A real answer is a few MB at most and comes within seconds; 20 s leaves room for a slow
    /// vendor while letting the retry policy try again twice within the minute, so a silent or
    /// trickling server fails within 60 s.
    pub fn read() -> Self {
        Timeouts {
            attempt: Duration::from_secs(20),
            stall: Duration::from_secs(10),
            total: Duration::from_secs(60),
        }
    }

    /// Paid calls (OCR uploads): 300 s per attempt, 30 s stall, 600 s in all.
    ///
    /// An attempt carries a PDF of up to 100 MB (133 MB as base64: about 110 s at 10 Mbit/s)
    /// and then waits for the OCR of every page; 300 s covers both on an ordinary uplink.
    /// Paid calls are retried only when the vendor cannot have processed them, so the total
    /// mostly bounds a retry after a refused connection or a 429.
    pub fn paid() -> Self {
        Timeouts {
            attempt: Duration::from_secs(300),
            stall: Duration::from_secs(30),
            total: Duration::from_secs(600),
        }
    }
}

/// Settings shared by every client.
///
/// `Debug` shows no secret: there is none here (credentials live in the signer).
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Scheme, host and optional path prefix, e.g. `https://cloudapi.deepfinch.com`.
    pub base_url: String,
    /// Longest time to establish a connection (the built-in client only; a client of your
    /// own keeps its builder's settings).
    pub connect_timeout: Duration,
    /// Time limits of reads ([`RetryClass::Read`]); default [`Timeouts::read`].
    pub read: Timeouts,
    /// Time limits of paid calls ([`RetryClass::Paid`]); default [`Timeouts::paid`].
    pub paid: Timeouts,
    /// Retries; default [`RetryPolicy::default`].
    pub retry: RetryPolicy,
    /// The largest response body accepted, in bytes (default 32 MiB: far above any real
    /// report, far below what would hurt). Checked against `Content-Length` before reading
    /// and while the body streams in; a larger one is
    /// [`super::error::ClientError::ResponseTooLarge`].
    pub max_response_bytes: u64,
    /// Per-operation overrides of `max_response_bytes`, by operation id
    /// (`calls_record`, …).
    pub max_response_bytes_per_operation: BTreeMap<&'static str, u64>,
    /// Your own `reqwest::Client` (proxies, root certificates, connection pool shared with the
    /// rest of your program). The per-class time limits above still apply to every attempt;
    /// whatever you set on its builder (`timeout`, `connect_timeout`, redirects, user agent)
    /// is yours and applies as well. `None`: a client with rustls, `connect_timeout` and the
    /// credkit user agent.
    pub http_client: Option<reqwest::Client>,
    /// Called around each attempt; default [`NoHooks`].
    pub hooks: Arc<dyn Hooks>,
    /// The clock used for signatures and `Retry-After` dates (inject a fixed one in tests).
    pub clock: Arc<dyn Clock>,
}

impl ClientConfig {
    /// Defaults: 10 s to connect, [`Timeouts::read`] and [`Timeouts::paid`],
    /// [`RetryPolicy::default`], 32 MiB responses, the built-in HTTP client, no hooks, the
    /// system clock.
    pub fn new(base_url: impl Into<String>) -> Self {
        ClientConfig {
            base_url: base_url.into(),
            connect_timeout: Duration::from_secs(10),
            read: Timeouts::read(),
            paid: Timeouts::paid(),
            retry: RetryPolicy::default(),
            max_response_bytes: 32 * MIB,
            max_response_bytes_per_operation: BTreeMap::new(),
            http_client: None,
            hooks: Arc::new(NoHooks),
            clock: Arc::new(SystemClock),
        }
    }

    /// The time limits of `class`.
    pub fn timeouts(&self, class: RetryClass) -> &Timeouts {
        match class {
            RetryClass::Read => &self.read,
            RetryClass::Paid => &self.paid,
        }
    }

    /// Sets the per-attempt limit of both classes (a short one for tests, say).
    pub fn set_attempt_timeout(&mut self, attempt: Duration) {
        self.read.attempt = attempt;
        self.paid.attempt = attempt;
    }

    /// The largest response accepted for `operation`.
    pub fn max_response_bytes_for(&self, operation: &str) -> u64 {
        self.max_response_bytes_per_operation
            .get(operation)
            .copied()
            .unwrap_or(self.max_response_bytes)
    }
}
