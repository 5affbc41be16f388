//! The middleware that injects [`Fault`]s and latency in front of every operation's route.

use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::faults::{Fault, FaultKind, Trigger};
use crate::serve::ResetHandle;

/// The most bytes of a real answer a `truncate` or `slow` fault holds (the fixtures are far
/// smaller).
const HELD_BODY_LIMIT: usize = 16 * 1024 * 1024;
/// How often a slow body sends a piece.
const SLOW_TICK: Duration = Duration::from_millis(100);
/// How long a failing body waits after its last bytes, so that they reach the client.
const FLUSH_PAUSE: Duration = Duration::from_millis(50);
/// The longest path repeated by a reflecting HTML page.
const REFLECT_LIMIT: usize = 200;

/// A fault with its running state, shared by every route it applies to.
struct Active {
    fault: Fault,
    seen: AtomicU64,
    rng: Mutex<StdRng>,
}

impl Active {
    /// Whether this request of a matching route is hit.
    fn fires(&self) -> bool {
        let seen = self.seen.fetch_add(1, Ordering::Relaxed) + 1;
        match self.fault.trigger {
            Trigger::Always => true,
            Trigger::First(n) => seen <= n,
            Trigger::Rate { fraction, .. } => {
                let mut rng = self.rng.lock().unwrap_or_else(|p| p.into_inner());
                rng.random::<f64>() < fraction
            }
        }
    }
}

/// Every configured fault and the added latency.
pub(crate) struct Faults {
    active: Vec<Active>,
    latency: Duration,
}

impl Faults {
    /// The running state of `faults`.
    pub(crate) fn new(faults: &[Fault], latency: Duration) -> Self {
        let active = faults
            .iter()
            .map(|fault| Active {
                fault: fault.clone(),
                seen: AtomicU64::new(0),
                rng: Mutex::new(StdRng::seed_from_u64(match fault.trigger {
                    Trigger::Rate { seed, .. } => seed,
                    _ => 0,
                })),
            })
            .collect();
        Faults { active, latency }
    }

    /// The fault that hits this request of operation `id`, if any. Every matching fault counts
    /// the request; the first one listed that fires wins.
    fn pick(&self, id: &str) -> Option<FaultKind> {
        let mut hit = None;
        for active in self.active.iter().filter(|a| a.fault.route.matches(id)) {
            if active.fires() && hit.is_none() {
                hit = Some(active.fault.kind);
            }
        }
        hit
    }
}

/// The state of one route's fault middleware.
#[derive(Clone)]
pub(crate) struct RouteFaults {
    /// The operation served.
    pub(crate) operation: &'static str,
    /// The faults of the whole mock.
    pub(crate) faults: Arc<Faults>,
}

/// Adds the latency, then answers with the fault that hits this request or passes it on.
pub(crate) async fn inject(
    State(route): State<RouteFaults>,
    request: Request,
    next: Next,
) -> Response {
    if !route.faults.latency.is_zero() {
        tokio::time::sleep(route.faults.latency).await;
    }
    let Some(kind) = route.faults.pick(route.operation) else {
        return next.run(request).await;
    };
    tracing::info!(operation = route.operation, ?kind, "injecting a fault");
    match kind {
        FaultKind::TooManyRequests {
            retry_after_seconds,
        } => (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, retry_after_seconds.to_string())],
            "Too Many Requests (credkit mock fault)\n",
        )
            .into_response(),
        FaultKind::ServerError { status } => (
            StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE),
            "credkit mock fault\n",
        )
            .into_response(),
        FaultKind::Reset => reset(&request),
        FaultKind::Truncate => truncate(next.run(request).await).await,
        FaultKind::Slow { bytes_per_second } => {
            slow(next.run(request).await, bytes_per_second).await
        }
        FaultKind::HtmlGateway { status, reflect } => html_gateway(&request, status, reflect),
    }
}

/// Resets the connection: the server's accept loop (see [`crate::serve`]) closes the socket
/// with `SO_LINGER` 0 as soon as this response is about to be written. Where the router runs
/// under another server, the response's body fails at once, which closes the connection.
fn reset(request: &Request) -> Response {
    if let Some(handle) = request.extensions().get::<ResetHandle>() {
        handle.trigger();
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    failing_body(StatusCode::SERVICE_UNAVAILABLE, None, Bytes::new())
}

/// A response whose body sends `prefix`, gives the server a moment to write it out, and then
/// fails, which closes the connection.
fn failing_body(status: StatusCode, length: Option<usize>, prefix: Bytes) -> Response {
    let stream = futures_util::stream::unfold(Some(prefix), |state| async move {
        match state {
            Some(prefix) => Some((Ok(prefix), None)),
            None => {
                // hyper writes out what it holds while the body is pending.
                tokio::time::sleep(FLUSH_PAUSE).await;
                let error = std::io::Error::new(
                    std::io::ErrorKind::ConnectionAborted,
                    "credkit mock fault: truncated",
                );
                Some((Err(error), None))
            }
        }
    });
    let mut response = Response::new(Body::from_stream(stream));
    *response.status_mut() = status;
    if let Some(length) = length {
        response
            .headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    }
    response
}

async fn held(response: Response) -> Result<(axum::http::response::Parts, Bytes), Response> {
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, HELD_BODY_LIMIT).await {
        Ok(bytes) => Ok((parts, bytes)),
        Err(_) => Err(StatusCode::INTERNAL_SERVER_ERROR.into_response()),
    }
}

/// The real answer's headers with its full length, half of its body, then a closed connection.
async fn truncate(response: Response) -> Response {
    let (parts, bytes) = match held(response).await {
        Ok(held) => held,
        Err(response) => return response,
    };
    let half = bytes.slice(..bytes.len() / 2);
    let mut truncated = failing_body(parts.status, Some(bytes.len()), half);
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_LENGTH {
            truncated.headers_mut().insert(name, value.clone());
        }
    }
    truncated
}

/// The real answer, its body sent `bytes_per_second` at a time, a tenth every 100 ms.
async fn slow(response: Response, bytes_per_second: u64) -> Response {
    let (mut parts, bytes) = match held(response).await {
        Ok(held) => held,
        Err(response) => return response,
    };
    let piece = usize::try_from((bytes_per_second / 10).max(1)).unwrap_or(usize::MAX);
    let tick = if bytes_per_second < 10 {
        Duration::from_millis(1000 / bytes_per_second.max(1))
    } else {
        SLOW_TICK
    };
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    let stream = futures_util::stream::unfold(0usize, move |sent| {
        let bytes = bytes.clone();
        async move {
            if sent >= bytes.len() {
                return None;
            }
            if sent > 0 {
                tokio::time::sleep(tick).await;
            }
            let end = sent.saturating_add(piece).min(bytes.len());
            Some((Ok::<_, Infallible>(bytes.slice(sent..end)), end))
        }
    });
    Response::from_parts(parts, Body::from_stream(stream))
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().take(REFLECT_LIMIT) {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A gateway's HTML error page, as proxies in front of the vendors answer.
fn html_gateway(request: &Request, status: u16, reflect: bool) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    let reason = status.canonical_reason().unwrap_or("Gateway Error");
    let reflected = if reflect {
        format!(
            "<p>{} {}</p>",
            escape_html(request.method().as_str()),
            escape_html(request.uri().path())
        )
    } else {
        String::new()
    };
    let page = format!(
        "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n<center><h1>{code} {reason}</h1></center>\r\n{reflected}<hr><center>nginx (credkit mock fault)</center>\r\n</body>\r\n</html>\r\n",
        code = status.as_u16()
    );
    (status, [(header::CONTENT_TYPE, "text/html")], page).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn faults(specs: &[&str]) -> Faults {
        let parsed: Vec<Fault> = specs.iter().map(|s| s.parse().expect(s)).collect();
        Faults::new(&parsed, Duration::ZERO)
    }

    #[test]
    fn a_count_hits_the_first_requests_of_its_route_only() {
        let faults = faults(&["calls_report:503x2"]);
        let hits: Vec<bool> = (0..4)
            .map(|_| faults.pick("calls_report").is_some())
            .collect();
        assert_eq!(hits, vec![true, true, false, false]);
        assert_eq!(faults.pick("calls_record"), None);
    }

    #[test]
    fn a_rate_is_reproducible_from_its_seed() {
        let draw = |spec: &str| {
            let faults = faults(&[spec]);
            (0..200)
                .map(|_| faults.pick("itag").is_some())
                .collect::<Vec<_>>()
        };
        let first = draw("*:reset:rate=0.3:seed=42");
        assert_eq!(first, draw("*:reset:rate=0.3:seed=42"));
        assert_ne!(first, draw("*:reset:rate=0.3:seed=43"));
        let hits = first.iter().filter(|h| **h).count();
        assert!((20..=100).contains(&hits), "{hits} of 200 at 0.3");
    }

    #[test]
    fn every_matching_fault_counts_and_the_first_listed_wins() {
        let faults = faults(&["itag:429x1", "*:500x2"]);
        assert!(matches!(
            faults.pick("itag"),
            Some(FaultKind::TooManyRequests { .. })
        ));
        assert_eq!(
            faults.pick("itag"),
            Some(FaultKind::ServerError { status: 500 })
        );
        assert_eq!(faults.pick("itag"), None);
    }

    #[test]
    fn reflected_text_is_escaped_and_bounded() {
        let escaped = escape_html(&format!("<script>{}", "a".repeat(1000)));
        assert!(escaped.starts_with("&lt;script&gt;"));
        assert!(escaped.len() < 300);
    }
}
