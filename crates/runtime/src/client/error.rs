//! The one error type of the generated clients.

use std::fmt;
use std::time::Duration;

use super::operation::RetryClass;
use super::redact::{Redactor, MAX_TEXT_BYTES};
use super::signing::SigningError;
use super::upload::UploadError;
use crate::JsonPath;

/// The vendor answered, and said no: a non-success HTTP status, or a body whose status code
/// is not a success code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The operation that failed, e.g. `get_credit_report_ocr_task_result`.
    pub operation: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// The vendor's status code from the body (`TASK_INPROGRESS`, `UNAUTHORIZED`, `5`), if any.
    pub code: Option<String>,
    /// The vendor's message (`reason`, `error`, `msg`), if any.
    pub message: Option<String>,
    /// The request id the vendor assigned, if it sent one (body or `X-Request-Id` header).
    pub request_id: Option<String>,
    /// The start of the body, for bodies that are not JSON (an HTML page from a gateway).
    pub body_excerpt: String,
    /// The vendor's `Retry-After`, when it sent one (seconds or an HTTP date, as a wait).
    pub retry_after: Option<Duration>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.operation, self.status)?;
        if let Some(code) = &self.code {
            write!(f, ", vendor code {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(request_id) = &self.request_id {
            write!(f, " (request id {request_id})")?;
        }
        if self.code.is_none() && self.message.is_none() && !self.body_excerpt.is_empty() {
            write!(f, "; body starts: {}", self.body_excerpt)?;
        }
        Ok(())
    }
}

/// How a request failed before a response could be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportKind {
    /// No connection could be made (refused, DNS, TLS).
    Connect,
    /// The attempt took longer than its time limit (per attempt, or what was left of the
    /// operation's total).
    Timeout,
    /// The response stopped: no byte of the body arrived for the stall limit.
    Stalled,
    /// The connection broke while sending the request or reading the response (reset,
    /// truncated body).
    Interrupted,
    /// Anything else reqwest reports.
    Other,
}

/// Every way a client call can fail. No variant ever contains a secret: URLs are stripped from
/// transport errors (Dianhua's token travels in the query string), and every text taken from a
/// response or from reqwest is bounded to a few KB and has the signer's secret values masked
/// as `***` ([`super::redact`]), also when a gateway page echoes the request back.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The vendor answered with an error (boxed: it is the largest case, and errors travel
    /// in every `Result`).
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The request did not get a complete response.
    #[error("{operation}: {kind:?} error: {message}")]
    Transport {
        /// The operation.
        operation: &'static str,
        /// What kind of failure.
        kind: TransportKind,
        /// reqwest's description, without the URL.
        message: String,
    },
    /// The response body is larger than the operation's limit
    /// ([`super::config::ClientConfig::max_response_bytes`]); reading stopped there.
    #[error("{operation}: the response is larger than the {limit}-byte limit{}", announced(*length))]
    ResponseTooLarge {
        /// The operation.
        operation: &'static str,
        /// The limit in bytes.
        limit: u64,
        /// The `Content-Length` the server announced, if it did.
        length: Option<u64>,
    },
    /// The response was a success but its body is not what the model describes.
    #[error("{operation}: HTTP {status}: the response does not parse at {path}: {message}")]
    Decode {
        /// The operation.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// Where in the body parsing failed (`$` when the body is not JSON at all).
        path: JsonPath,
        /// What was wrong.
        message: String,
        /// The start of the body when it is not JSON; empty when it is JSON that does not fit
        /// the model (a report's start holds personal data; `path` says where it failed).
        body_excerpt: String,
    },
    /// Retries stopped because the next one would pass the deadline; holds the last failure.
    #[error("{operation}: gave up after {attempts} attempt(s) in {elapsed:?}: {last}")]
    RetriesExhausted {
        /// The operation.
        operation: &'static str,
        /// How many attempts were made.
        attempts: u32,
        /// Time spent.
        elapsed: Duration,
        /// The last failure.
        last: Box<ClientError>,
    },
    /// A cloud OCR task was still running after the allowed number of polls.
    #[error("task {task_id} still in progress after {polls} poll(s)")]
    StillInProgress {
        /// The task.
        task_id: String,
        /// How many times it was asked for.
        polls: u32,
    },
    /// The file to upload was refused before any network traffic.
    #[error(transparent)]
    Upload(#[from] UploadError),
    /// The request could not be signed.
    #[error(transparent)]
    Signing(#[from] SigningError),
    /// An argument the caller passed is not acceptable (nothing was sent).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// The client configuration is unusable (a bad base URL, say).
    #[error("invalid client configuration: {0}")]
    Config(String),
}

impl ClientError {
    /// Whether trying again may succeed, for an operation of retry class `class`.
    ///
    /// * [`RetryClass::Read`] (idempotent and free): rate limits (429), server errors (5xx),
    ///   connection failures, a connection closed or reset mid-response, a truncated body, a
    ///   timeout and a stalled response. The operation's total deadline bounds them all.
    /// * [`RetryClass::Paid`] (an OCR upload, billed once the vendor has it): only where the
    ///   vendor cannot have processed the request — the connection could not be made, or the
    ///   vendor answered 429 (a rate limit is decided before any work). A 5xx, a broken
    ///   connection or a timeout may come *after* the OCR ran (a gateway timing out in front
    ///   of a busy backend, a reset while the answer was on its way), so retrying could pay
    ///   twice; the caller may opt in with
    ///   [`RetryPolicy::retry_paid_on_server_errors`](super::retry::RetryPolicy), which
    ///   makes the transport treat the operation as a read. None of the vendor documents
    ///   defines an explicit "not processed" answer beyond these.
    pub fn is_retryable(&self, class: RetryClass) -> bool {
        match (self, class) {
            (ClientError::Api(api), RetryClass::Read) => api.status == 429 || api.status >= 500,
            (ClientError::Api(api), RetryClass::Paid) => api.status == 429,
            (ClientError::Transport { kind, .. }, RetryClass::Read) => {
                *kind != TransportKind::Other
            }
            (ClientError::Transport { kind, .. }, RetryClass::Paid) => {
                *kind == TransportKind::Connect
            }
            _ => false,
        }
    }

    /// The kind of transport failure, looking through [`ClientError::RetriesExhausted`].
    pub fn transport_kind(&self) -> Option<TransportKind> {
        match self {
            ClientError::Transport { kind, .. } => Some(*kind),
            ClientError::RetriesExhausted { last, .. } => last.transport_kind(),
            _ => None,
        }
    }

    /// The wait the vendor asked for (`Retry-After`), when it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ClientError::Api(api) => api.retry_after,
            _ => None,
        }
    }

    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api(api) => Some(api.status),
            ClientError::Decode { status, .. } => Some(*status),
            ClientError::RetriesExhausted { last, .. } => last.status(),
            _ => None,
        }
    }

    /// The vendor's status code, when the vendor sent one.
    pub fn vendor_code(&self) -> Option<&str> {
        match self {
            ClientError::Api(api) => api.code.as_deref(),
            ClientError::RetriesExhausted { last, .. } => last.vendor_code(),
            _ => None,
        }
    }

    /// A reqwest failure, without its URL, its text bounded and scrubbed by `redactor`.
    ///
    /// A connect timeout is [`TransportKind::Connect`]: nothing was sent.
    pub(crate) fn transport(
        operation: &'static str,
        error: reqwest::Error,
        redactor: &Redactor,
    ) -> Self {
        let kind = if error.is_connect() {
            TransportKind::Connect
        } else if error.is_timeout() {
            TransportKind::Timeout
        } else if error.is_body() || error.is_request() || error.is_decode() {
            TransportKind::Interrupted
        } else {
            TransportKind::Other
        };
        let error = error.without_url();
        let mut message = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            message.push_str(": ");
            message.push_str(&cause.to_string());
            source = cause.source();
        }
        ClientError::Transport {
            operation,
            kind,
            message: redactor.clean(&message, MAX_TEXT_BYTES),
        }
    }
}

fn announced(length: Option<u64>) -> String {
    length.map_or_else(String::new, |length| format!(" (Content-Length {length})"))
}
