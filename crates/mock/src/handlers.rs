//! The routes: one per operation of the endpoint model, each answered by the hand-written
//! handler of its (channel, operation id).

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::response::Response;
use axum::routing::{MethodFilter, MethodRouter};
use axum::Router;
use tower_http::timeout::TimeoutLayer;

use crate::inject::{Faults, RouteFaults};
use crate::limits::BodyLimits;
use crate::{channels, deepfinch, dianhua, Mock, MockLimits};

/// What the mock answers for one operation.
pub(crate) struct Handler {
    /// The channel's name (`ChannelSpec::name`).
    pub(crate) channel: &'static str,
    /// The operation id (`OperationSpec::id`).
    pub(crate) operation: &'static str,
    /// The handler, on the method the endpoint model gives.
    pub(crate) route: fn(MethodFilter) -> MethodRouter<Arc<Mock>>,
    /// The channel's error answer, in its documented shape, for a request refused before the
    /// handler runs (a body over the limit, a wrong content type): HTTP status and reason.
    pub(crate) refuse: fn(u16, &str) -> Response,
}

/// Every handler.
pub(crate) fn all() -> impl Iterator<Item = &'static Handler> {
    deepfinch::HANDLERS.iter().chain(dianhua::HANDLERS.iter())
}

/// The handler of `operation` of `channel`.
pub(crate) fn find(channel: &str, operation: &str) -> Option<&'static Handler> {
    all().find(|h| h.channel == channel && h.operation == operation)
}

/// One route per operation of every channel, with its limits and faults.
pub(crate) fn routes(faults: &Arc<Faults>, limits: &MockLimits) -> Router<Arc<Mock>> {
    let mut router = Router::new();
    for op in channels::operations() {
        let Some(handler) = find(op.channel.name, op.spec.id) else {
            // `every_operation_has_a_handler` keeps this from happening.
            tracing::error!(
                channel = op.channel.name,
                operation = op.spec.id,
                "the mock has no handler for this operation"
            );
            continue;
        };
        let max_bytes = op.body_limit();
        let body_limits = BodyLimits {
            max_bytes,
            idle_timeout: limits.body_idle_timeout,
            content_type: op.spec.body.content_type(),
            refuse: handler.refuse,
        };
        let route_faults = RouteFaults {
            operation: op.spec.id,
            faults: Arc::clone(faults),
        };
        // The last layer is the outermost: faults, then the early 413 and body timeout, then
        // the body limit and the request timeout around the handler.
        let method_router = (handler.route)(op.method_filter())
            .layer::<_, std::convert::Infallible>(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                limits.request_timeout,
            ))
            .layer(DefaultBodyLimit::max(
                usize::try_from(max_bytes).unwrap_or(usize::MAX),
            ))
            .layer(from_fn_with_state(body_limits, crate::limits::check_body))
            .layer(from_fn_with_state(route_faults, crate::inject::inject));
        for path in op.paths() {
            router = router.route(&path, method_router.clone());
        }
    }
    router
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_has_a_handler() {
        for op in channels::operations() {
            assert!(
                find(op.channel.name, op.spec.id).is_some(),
                "no handler for {}/{}",
                op.channel.name,
                op.spec.id
            );
        }
    }

    #[test]
    fn every_handler_has_an_operation() {
        for handler in all() {
            assert!(
                channels::operations()
                    .any(|op| op.channel.name == handler.channel
                        && op.spec.id == handler.operation),
                "the handler {}/{} serves no operation of the endpoint model",
                handler.channel,
                handler.operation
            );
        }
        let count = all().count();
        assert_eq!(count, channels::operations().count(), "one handler each");
    }
}
