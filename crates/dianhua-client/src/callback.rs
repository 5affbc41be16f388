//! Receiver for the callbacks that Dianhua pushes: authorisation success (document 004
//! §一.2 / §二.2 授权成功状态获取) and report generation status (§六 报告生成状态获取).
//! Available with the crate feature `callback`.
//!
//! Dianhua POSTs `application/json` such as
//! `{"status":0,"tel":"…","uid":"…","sid":"SID…"}` to the customer's address and expects
//! the plain string `ok` in reply; any other answer makes it push again, at most three
//! times in all. Both kinds of callback have the same shape, so the kind is told by the
//! address: [`router`] serves `POST /auth` and `POST /report`, and, for a single address
//! shared by both kinds, any path carrying the `yulore_flag=auth` / `yulore_flag=report`
//! query parameter that Dianhua appends (the flag wins over the path).
//!
//! Every push is parsed with [`credkit_runtime::parse_json`] into
//! [`AuthCallback`] or [`ReportCallback`] and handed to a [`CallbackHandler`] once: repeats
//! of a push that was already delivered are answered `ok` without calling the handler
//! again, see [`router`] for the exact rules.
//!
//! ```no_run
//! use dianhua_client::callback::{serve, BoxError, Callback, ReceiverConfig};
//!
//! # async fn run() -> std::io::Result<()> {
//! let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
//! serve(
//!     listener,
//!     |callback: Callback| async move {
//!         println!("{:?} for {:?}", callback.kind(), callback.sid());
//!         Ok::<(), BoxError>(())
//!     },
//!     ReceiverConfig::default(),
//! )
//! .await
//! # }
//! ```

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, FailedToBufferBody};
use axum::extract::{DefaultBodyLimit, RawQuery, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use credkit_runtime::Scalar;
use dianhua_models::auth_callback::AuthCallback;
use dianhua_models::report_callback::ReportCallback;
use tokio::sync::Notify;

/// The query parameter Dianhua appends when both kinds of callback share one address.
const FLAG_PARAM: &str = "yulore_flag";

/// Which of Dianhua's two callbacks a push is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallbackKind {
    /// Authorisation success (授权成功状态, `yulore_flag=auth`).
    Auth,
    /// Report generation status (报告生成状态, `yulore_flag=report`).
    Report,
}

impl CallbackKind {
    /// The name Dianhua uses in `yulore_flag`: `auth` or `report`.
    pub fn as_str(self) -> &'static str {
        match self {
            CallbackKind::Auth => "auth",
            CallbackKind::Report => "report",
        }
    }

    /// Parses a `yulore_flag` value (`auth` or `report`, ASCII case-insensitive).
    fn from_flag(value: &str) -> Option<Self> {
        if value.eq_ignore_ascii_case("auth") {
            Some(CallbackKind::Auth)
        } else if value.eq_ignore_ascii_case("report") {
            Some(CallbackKind::Report)
        } else {
            None
        }
    }
}

impl fmt::Display for CallbackKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One callback pushed by Dianhua, typed by its kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Callback {
    /// The user authorised successfully on the H5 page; `sid` names the session.
    Auth(AuthCallback),
    /// The carrier report for `sid` was generated (`status` 0) or failed (`status` 2).
    Report(ReportCallback),
}

impl Callback {
    /// Which kind of callback this is.
    pub fn kind(&self) -> CallbackKind {
        match self {
            Callback::Auth(_) => CallbackKind::Auth,
            Callback::Report(_) => CallbackKind::Report,
        }
    }

    /// Dianhua's session id (`SID…`), when the push carried one (as text, even when a
    /// consumer in between turned it into a number).
    pub fn sid(&self) -> Option<std::borrow::Cow<'_, str>> {
        let sid = match self {
            Callback::Auth(callback) => callback.sid.as_ref(),
            Callback::Report(callback) => callback.sid.as_ref(),
        };
        sid.map(Scalar::as_text)
    }

    /// The pushed status: always 0 for [`Callback::Auth`]; 0 (success) or 2 (failure) for
    /// [`Callback::Report`]. `None` when absent or not an integer (`"0"` reads as 0).
    pub fn status(&self) -> Option<i64> {
        match self {
            Callback::Auth(callback) => callback.status_value(),
            Callback::Report(callback) => callback.status_value(),
        }
        .ok()
        .flatten()
    }
}

/// The error a [`CallbackHandler`] may return.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// User code that receives each callback once.
///
/// Returning `Ok` marks the push as delivered: Dianhua is answered `ok` and later repeats
/// of the same push are not handed over again. Returning `Err` answers HTTP 500, so Dianhua
/// pushes again (at most three pushes in all) and the repeat is handed over.
///
/// The handler runs in a task of its own: it completes even when Dianhua hangs up before
/// the answer, and a panic in it is answered like an error (HTTP 500).
///
/// Implemented for every async closure or function `Fn(Callback) -> impl Future<Output =
/// Result<(), BoxError>>` that is `Send + Sync + 'static`.
pub trait CallbackHandler: Send + Sync + 'static {
    /// Processes one callback.
    fn handle(&self, callback: Callback) -> impl Future<Output = Result<(), BoxError>> + Send;
}

impl<F, Fut> CallbackHandler for F
where
    F: Fn(Callback) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), BoxError>> + Send,
{
    fn handle(&self, callback: Callback) -> impl Future<Output = Result<(), BoxError>> + Send {
        self(callback)
    }
}

/// Limits of the receiver.
#[derive(Debug, Clone)]
pub struct ReceiverConfig {
    /// Largest accepted body, in bytes; a larger body is answered 400. Default 64 KiB (a
    /// real callback is about 100 bytes).
    pub max_body_bytes: usize,
    /// How many delivered pushes are remembered to answer repeats without calling the
    /// handler; beyond that the oldest are forgotten. Default 10 000; 0 disables the memory
    /// (concurrent identical pushes are still handed over only once).
    pub dedup_capacity: usize,
}

impl Default for ReceiverConfig {
    fn default() -> Self {
        ReceiverConfig {
            max_body_bytes: 64 * 1024,
            dedup_capacity: 10_000,
        }
    }
}

/// An axum [`Router`] receiving Dianhua's callbacks. Nest or merge it into your app.
///
/// Routes:
/// * `POST /auth`: authorisation-success callbacks;
/// * `POST /report`: report-status callbacks;
/// * `POST` on any path with `?yulore_flag=auth` or `?yulore_flag=report`: the kind the
///   flag names. The flag wins over the path (`POST /auth?yulore_flag=report` is a report
///   callback); a flag with any other value is ignored.
///
/// Answers:
/// * `200 ok` (`text/plain`, body exactly `ok`) when the handler returned `Ok`, or when the
///   same push was already delivered;
/// * `400` with a short text when the kind cannot be told (no `/auth` or `/report` path and
///   no valid `yulore_flag`), when the body is larger than
///   [`ReceiverConfig::max_body_bytes`], not JSON, or not the callback's shape (the text
///   names the JSON path, e.g. `invalid report callback: status: invalid type: map, …`);
///   the `Content-Type` is not checked;
/// * `500` when the handler returned `Err` or panicked; the push is not marked delivered,
///   so Dianhua's repeat reaches the handler;
/// * `404` for a request other than `POST` on a path the router does not know (so that a
///   merged app keeps answering unknown `GET`s with 404), `405` for e.g. `GET /auth`.
///
/// Fields the schema does not declare are accepted and logged at `debug` level.
///
/// Deduplication: a push is identified by (kind, `sid`, `status`). A push whose key was
/// delivered is answered `ok` without calling the handler; the key is marked delivered
/// only once the handler returns `Ok`. While one push is being handled, an identical one
/// waits for it and then gets the same outcome (or, if the first failed, is handed over
/// itself). At most [`ReceiverConfig::dedup_capacity`] delivered keys are remembered, the
/// oldest forgotten first, and only in memory: a restarted receiver hands repeats over
/// again. A callback **without `sid`** cannot be deduplicated and is handed over every time
/// it is pushed.
///
/// Unmatched paths are served by the router's fallback. When merging with
/// [`Router::merge`], that fallback becomes the app's (axum panics if the app has a
/// fallback of its own); nest with [`Router::nest`] to avoid that. Nested at `/dianhua`,
/// the receiver answers `/dianhua/auth`, `/dianhua/report`, `/dianhua?yulore_flag=…` and
/// `/dianhua/<anything>?yulore_flag=…`, but axum does not route `/dianhua/` (trailing
/// slash) into the nest: give Dianhua the address without it.
pub fn router<H: CallbackHandler>(handler: H, config: ReceiverConfig) -> Router {
    let shared = Arc::new(Shared {
        handler,
        max_body_bytes: config.max_body_bytes,
        dedup: Arc::new(DedupTable::new(config.dedup_capacity)),
    });
    Router::new()
        .route("/auth", post(receive_auth::<H>))
        .route("/report", post(receive_report::<H>))
        .fallback(receive_flagged::<H>)
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .with_state(shared)
}

/// A minimal standalone server receiving Dianhua's callbacks on `listener` (see [`router`]
/// for the routes and answers); runs until the future is dropped or the listener fails.
pub async fn serve<H: CallbackHandler>(
    listener: tokio::net::TcpListener,
    handler: H,
    config: ReceiverConfig,
) -> std::io::Result<()> {
    axum::serve(listener, router(handler, config)).await
}

/// State shared by the routes of one [`router`].
struct Shared<H> {
    handler: H,
    max_body_bytes: usize,
    dedup: Arc<DedupTable>,
}

async fn receive_auth<H: CallbackHandler>(
    State(shared): State<Arc<Shared<H>>>,
    RawQuery(query): RawQuery,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let kind = flag_kind(query.as_deref()).unwrap_or(CallbackKind::Auth);
    receive(&shared, kind, body).await
}

async fn receive_report<H: CallbackHandler>(
    State(shared): State<Arc<Shared<H>>>,
    RawQuery(query): RawQuery,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let kind = flag_kind(query.as_deref()).unwrap_or(CallbackKind::Report);
    receive(&shared, kind, body).await
}

async fn receive_flagged<H: CallbackHandler>(
    State(shared): State<Arc<Shared<H>>>,
    method: Method,
    RawQuery(query): RawQuery,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    if method != Method::POST {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    match flag_kind(query.as_deref()) {
        Some(kind) => receive(&shared, kind, body).await,
        None => {
            tracing::warn!(query = ?query, "Dianhua callback of unknown kind rejected");
            bad_request(format!(
                "cannot tell the callback kind: POST to /auth or /report, \
                 or add ?{FLAG_PARAM}=auth or ?{FLAG_PARAM}=report"
            ))
        }
    }
}

/// The kind named by the last valid `yulore_flag` of `query`, if any.
fn flag_kind(query: Option<&str>) -> Option<CallbackKind> {
    url::form_urlencoded::parse(query?.as_bytes())
        .filter(|(name, _)| name == FLAG_PARAM)
        .filter_map(|(_, value)| CallbackKind::from_flag(&value))
        .last()
}

fn bad_request(message: String) -> Response {
    (StatusCode::BAD_REQUEST, message).into_response()
}

/// Parses the body read by axum (at most [`ReceiverConfig::max_body_bytes`], enforced by the
/// router's [`DefaultBodyLimit`]) and delivers it.
async fn receive<H: CallbackHandler>(
    shared: &Arc<Shared<H>>,
    kind: CallbackKind,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let callback = body
        .map_err(|rejection| body_rejected(&rejection, shared.max_body_bytes))
        .and_then(|bytes| parse(kind, &bytes));
    match callback {
        Ok(callback) => deliver(shared, callback).await,
        Err(message) => {
            tracing::warn!(%kind, %message, "Dianhua callback rejected");
            bad_request(message)
        }
    }
}

/// Why a body could not be read: over `limit` (axum's own answer would be 413; Dianhua is
/// answered 400 like any other malformed push), or the connection failed.
fn body_rejected(rejection: &BytesRejection, limit: usize) -> String {
    match rejection {
        BytesRejection::FailedToBufferBody(FailedToBufferBody::LengthLimitError(_)) => {
            format!("body exceeds the limit of {limit} bytes")
        }
        other => format!("could not read the body: {}", other.body_text()),
    }
}

/// Parses a body as the callback of `kind`; the error names the JSON path.
fn parse(kind: CallbackKind, bytes: &[u8]) -> Result<Callback, String> {
    let (callback, ignored) = match kind {
        CallbackKind::Auth => credkit_runtime::parse_json::<AuthCallback>(bytes)
            .map(|parsed| (Callback::Auth(parsed.value), parsed.ignored)),
        CallbackKind::Report => credkit_runtime::parse_json::<ReportCallback>(bytes)
            .map(|parsed| (Callback::Report(parsed.value), parsed.ignored)),
    }
    .map_err(|error| format!("invalid {kind} callback: {error}"))?;
    if !ignored.is_empty() {
        let fields: Vec<String> = ignored.iter().map(ToString::to_string).collect();
        tracing::debug!(
            %kind,
            sid = callback.sid().as_deref(),
            ?fields,
            "Dianhua callback carries fields the schema does not declare"
        );
    }
    Ok(callback)
}

fn ok() -> Response {
    (StatusCode::OK, "ok").into_response()
}

fn failed(message: &'static str) -> Response {
    (StatusCode::INTERNAL_SERVER_ERROR, message).into_response()
}

/// Hands `callback` to the handler unless it was already delivered.
async fn deliver<H: CallbackHandler>(shared: &Arc<Shared<H>>, callback: Callback) -> Response {
    let kind = callback.kind();
    let sid = callback.sid().map(std::borrow::Cow::into_owned);
    let status = callback.status();
    let in_flight = match &sid {
        Some(sid) => {
            let key = Key {
                kind,
                sid: sid.clone(),
                status,
            };
            match shared.dedup.claim(key).await {
                Some(in_flight) => Some(in_flight),
                None => {
                    tracing::debug!(%kind, sid, ?status, "repeated Dianhua callback answered ok");
                    return ok();
                }
            }
        }
        None => None,
    };
    let task_shared = Arc::clone(shared);
    let task = tokio::spawn(async move {
        let result = task_shared.handler.handle(callback).await;
        if let Some(in_flight) = in_flight {
            in_flight.finish(result.is_ok());
        }
        result
    });
    match task.await {
        Ok(Ok(())) => {
            tracing::debug!(%kind, sid, ?status, "Dianhua callback delivered");
            ok()
        }
        Ok(Err(error)) => {
            tracing::warn!(%kind, sid, ?status, %error, "Dianhua callback handler failed");
            failed("callback handler failed")
        }
        Err(error) => {
            tracing::error!(%kind, sid, ?status, %error, "Dianhua callback handler did not finish");
            failed("callback handler did not finish")
        }
    }
}

/// Identity of a push for deduplication.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    kind: CallbackKind,
    sid: String,
    status: Option<i64>,
}

/// Delivered and in-flight keys.
struct DedupTable {
    capacity: usize,
    state: Mutex<DedupState>,
    /// Woken whenever an in-flight key is released.
    released: Notify,
}

#[derive(Default)]
struct DedupState {
    delivered: HashSet<Key>,
    /// Delivered keys, oldest first.
    order: VecDeque<Key>,
    in_flight: HashSet<Key>,
}

impl DedupTable {
    fn new(capacity: usize) -> Self {
        DedupTable {
            capacity,
            state: Mutex::new(DedupState::default()),
            released: Notify::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, DedupState> {
        // The lock is never held across a panic point; recover rather than propagate anyway.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Claims `key` for delivery, waiting while an identical push is being handled.
    /// `None` when the key was already delivered.
    async fn claim(self: &Arc<Self>, key: Key) -> Option<InFlight> {
        loop {
            let released = {
                let mut state = self.lock();
                if state.delivered.contains(&key) {
                    return None;
                }
                if state.in_flight.insert(key.clone()) {
                    return Some(InFlight {
                        table: Arc::clone(self),
                        key: Some(key),
                        delivered: false,
                    });
                }
                // Created under the lock, so the release (also under the lock) cannot be
                // missed: `notify_waiters` wakes every `Notified` created before it.
                self.released.notified()
            };
            released.await;
        }
    }
}

/// A claimed key; released (and marked delivered if it was) when dropped, so a cancelled
/// or panicking delivery does not block the key.
struct InFlight {
    table: Arc<DedupTable>,
    key: Option<Key>,
    delivered: bool,
}

impl InFlight {
    fn finish(mut self, delivered: bool) {
        self.delivered = delivered;
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let Some(key) = self.key.take() else {
            return;
        };
        {
            let mut state = self.table.lock();
            state.in_flight.remove(&key);
            if self.delivered && self.table.capacity > 0 && state.delivered.insert(key.clone()) {
                state.order.push_back(key);
                while state.order.len() > self.table.capacity {
                    if let Some(oldest) = state.order.pop_front() {
                        state.delivered.remove(&oldest);
                    }
                }
            }
            self.table.released.notify_waiters();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(sid: &str) -> Key {
        Key {
            kind: CallbackKind::Report,
            sid: sid.to_owned(),
            status: Some(0),
        }
    }

    #[tokio::test]
    async fn evicts_oldest_delivered_key() {
        let table = Arc::new(DedupTable::new(2));
        for sid in ["a", "b", "c"] {
            let claimed = table.claim(key(sid)).await;
            assert!(claimed.is_some());
            if let Some(in_flight) = claimed {
                in_flight.finish(true);
            }
        }
        assert!(table.claim(key("c")).await.is_none());
        assert!(table.claim(key("b")).await.is_none());
        // "a" was evicted, so it can be claimed again.
        assert!(table.claim(key("a")).await.is_some());
    }

    #[tokio::test]
    async fn failed_or_dropped_claim_is_released() {
        let table = Arc::new(DedupTable::new(10));
        if let Some(in_flight) = table.claim(key("a")).await {
            in_flight.finish(false);
        }
        let again = table.claim(key("a")).await;
        assert!(again.is_some());
        drop(again);
        assert!(table.claim(key("a")).await.is_some());
    }

    #[test]
    fn flag_parsing() {
        assert_eq!(
            flag_kind(Some("yulore_flag=auth")),
            Some(CallbackKind::Auth)
        );
        assert_eq!(
            flag_kind(Some("a=1&yulore_flag=report")),
            Some(CallbackKind::Report)
        );
        assert_eq!(flag_kind(Some("yulore_flag=other")), None);
        assert_eq!(flag_kind(Some("")), None);
        assert_eq!(flag_kind(None), None);
    }
}
