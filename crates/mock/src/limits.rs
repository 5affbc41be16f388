//! Checks on a request before its handler runs, from the operation's endpoint model: an early
//! `413` when the announced length is over the route's limit, `415` for a body of another
//! media type, and an idle timeout on the body.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use tower_http::timeout::TimeoutBody;

/// One route's body limits.
#[derive(Clone, Copy)]
pub(crate) struct BodyLimits {
    /// The most bytes its body may have.
    pub(crate) max_bytes: u64,
    /// How long the body may go without sending a byte.
    pub(crate) idle_timeout: Duration,
    /// The media type of the operation's body, if it has one.
    pub(crate) content_type: Option<&'static str>,
    /// The channel's error answer: HTTP status and reason.
    pub(crate) refuse: fn(u16, &str) -> Response,
}

/// Answers `413` (in the channel's error shape) before reading a body whose `Content-Length`
/// is over the limit, and `415` to a `Content-Type` other than the operation's; otherwise
/// times the body out when it stalls. A body without a length (chunked) is still cut at the
/// limit by the route's `DefaultBodyLimit`.
pub(crate) async fn check_body(
    State(limits): State<BodyLimits>,
    request: Request,
    next: Next,
) -> Response {
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if announced.is_some_and(|length| length > limits.max_bytes) {
        let reason = format!("the body is larger than {} bytes", limits.max_bytes);
        return (limits.refuse)(413, &reason);
    }
    let media_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        });
    if let (Some(expected), Some(sent)) = (limits.content_type, media_type) {
        if sent != expected {
            let reason = format!("the body must be {expected}");
            return (limits.refuse)(415, &reason);
        }
    }
    let idle = limits.idle_timeout;
    let request = request.map(|body| Body::new(TimeoutBody::new(idle, body)));
    next.run(request).await
}
