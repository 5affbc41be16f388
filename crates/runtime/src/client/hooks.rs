//! Caller hooks around each attempt (metrics, logging of your own, test probes).

use std::fmt;

use super::operation::{Method, RetryClass};

/// What the transport knows about one attempt. Holds no URL, header or body value: nothing
/// here can carry a secret or personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttemptInfo {
    /// The operation (`calls_record`, `ocr_pdf_credit_report`, …).
    pub operation: &'static str,
    /// The channel (`cloud`, `jd`, `carrier`, …), when the transport was told it
    /// ([`super::transport::Transport::with_channel`]).
    pub channel: Option<&'static str>,
    /// The attempt, 1 for the first.
    pub attempt: u32,
    /// The operation's retry class.
    pub retry_class: RetryClass,
    /// The HTTP method.
    pub method: Method,
    /// The path below the base URL (never the query, which may carry a token).
    pub path: &'static str,
}

/// Called around each attempt of every operation. Both methods default to doing nothing;
/// they run on the request's task, so keep them quick.
pub trait Hooks: Send + Sync + fmt::Debug {
    /// Just before an attempt is sent (signed afresh, body built).
    fn before_send(&self, info: &AttemptInfo) {
        let _ = info;
    }

    /// When an attempt's response head has arrived, before its body is read.
    fn after_response(&self, info: &AttemptInfo, status: u16) {
        let _ = (info, status);
    }
}

/// The default [`Hooks`]: does nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoHooks;

impl Hooks for NoHooks {}
