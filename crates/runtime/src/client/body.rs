//! Reading a response body within a size limit, a stall limit and the attempt's deadline.

use tokio::time::Instant;

use super::error::{ClientError, TransportKind};
use super::redact::Redactor;

/// The limits a body is read under.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BodyLimits {
    /// The operation, for errors.
    pub operation: &'static str,
    /// The most bytes accepted.
    pub max_bytes: u64,
    /// The longest wait for the next chunk.
    pub stall: std::time::Duration,
    /// When the attempt's time is up.
    pub deadline: Instant,
}

/// The most bytes reserved up front from a `Content-Length` (the buffer grows past it as
/// bytes actually arrive).
const MAX_PREALLOCATION: u64 = 1024 * 1024;

/// Reads the body of `response` chunk by chunk: refuses a `Content-Length` over the limit
/// before reading anything, stops as soon as the bytes received pass it (so memory never
/// exceeds the limit plus one chunk), and fails with [`TransportKind::Stalled`] when no chunk
/// arrives for `limits.stall`, or [`TransportKind::Timeout`] at the attempt's deadline.
pub(crate) async fn read_body(
    mut response: reqwest::Response,
    limits: BodyLimits,
    redactor: &Redactor,
) -> Result<Vec<u8>, ClientError> {
    let operation = limits.operation;
    let too_large = |length| ClientError::ResponseTooLarge {
        operation,
        limit: limits.max_bytes,
        length,
    };
    let announced = response.content_length();
    if let Some(length) = announced {
        if length > limits.max_bytes {
            return Err(too_large(Some(length)));
        }
    }
    let reserve = announced.unwrap_or(0).min(MAX_PREALLOCATION);
    let mut body = Vec::with_capacity(usize::try_from(reserve).unwrap_or(0));
    loop {
        let now = Instant::now();
        let stall_at = now + limits.stall;
        let (until, kind) = if stall_at < limits.deadline {
            (stall_at, TransportKind::Stalled)
        } else {
            (limits.deadline, TransportKind::Timeout)
        };
        let chunk = match tokio::time::timeout_at(until, response.chunk()).await {
            Err(_) => {
                let message = match kind {
                    TransportKind::Stalled => format!(
                        "no byte of the response body for {:?} ({} bytes received)",
                        limits.stall,
                        body.len()
                    ),
                    _ => format!(
                        "the attempt's time ran out reading the response body ({} bytes received)",
                        body.len()
                    ),
                };
                return Err(ClientError::Transport {
                    operation,
                    kind,
                    message,
                });
            }
            Ok(Err(error)) => return Err(ClientError::transport(operation, error, redactor)),
            Ok(Ok(None)) => return Ok(body),
            Ok(Ok(Some(chunk))) => chunk,
        };
        let received = body.len() as u64 + chunk.len() as u64;
        if received > limits.max_bytes {
            return Err(too_large(announced));
        }
        body.extend_from_slice(&chunk);
    }
}
