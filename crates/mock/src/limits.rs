//! Limits on a request before its handler runs: an early `413` when the announced length is
//! over the route's limit, and an idle timeout on the body.

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
    /// The channel's error answer for a body over the limit, given the limit.
    pub(crate) too_large: fn(u64) -> Response,
}

/// Answers `413` (in the channel's error shape) before reading a body whose `Content-Length`
/// is over the limit; otherwise times the body out when it stalls. A body without a length
/// (chunked) is still cut at the limit by the route's `DefaultBodyLimit`.
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
        return (limits.too_large)(limits.max_bytes);
    }
    let idle = limits.idle_timeout;
    let request = request.map(|body| Body::new(TimeoutBody::new(idle, body)));
    next.run(request).await
}
