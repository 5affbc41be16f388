//! Dianhua 邦秒爬: the pull APIs, the H5 authorisation page and the pushed callbacks.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, on};
use axum::Router;
use dianhua_client::carrier::{operations, CHANNEL};
use serde_json::{json, Value};

use crate::handlers::Handler;
use crate::{auth, fixtures, reply, Mock};

/// One push of a callback, as the mock made it (for tests and the curious: `GET /_mock/pushes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushRecord {
    /// `auth` or `report`.
    pub kind: &'static str,
    /// The URL pushed to, `yulore_flag` included.
    pub url: String,
    /// The sid.
    pub sid: String,
    /// 1 for the first push, up to the configured attempts.
    pub attempt: u32,
    /// Whether the receiver answered `ok`.
    pub acknowledged: bool,
}

/// The Dianhua operations the mock answers, by (channel, operation id).
pub(crate) const HANDLERS: &[Handler] = &[
    Handler {
        channel: CHANNEL.name,
        operation: operations::AUTH_URL.id,
        route: |method| on(method, h5_page),
        refuse: |status, reason| {
            html(
                StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
                reason,
            )
        },
    },
    Handler {
        channel: CHANNEL.name,
        operation: operations::CALLS_RECORD.id,
        route: |method| on(method, calls_record),
        refuse,
    },
    Handler {
        channel: CHANNEL.name,
        operation: operations::CALLS_REPORT.id,
        route: |method| on(method, calls_report),
        refuse,
    },
    Handler {
        channel: CHANNEL.name,
        operation: operations::CUISHOU.id,
        route: |method| on(method, cuishou),
        refuse,
    },
    Handler {
        channel: CHANNEL.name,
        operation: operations::ITAG.id,
        route: |method| on(method, itag),
        refuse,
    },
];

/// The mock's own routes, outside the endpoint model.
pub(crate) fn internal_routes() -> Router<Arc<Mock>> {
    Router::new().route("/_mock/pushes", get(pushes))
}

/// A request refused before its handler, with the HTTP status in `status` too.
fn refuse(status: u16, reason: &str) -> Response {
    reply::json(status, json!({"status": status, "msg": reason}))
}

type Params = Query<HashMap<String, String>>;

/// The wrapper's error: 004 documents only `status` 0, so the mock answers other failures with
/// HTTP 200, a non-zero `status` and the reason in `msg`.
fn error(status: i64, msg: &str) -> Response {
    reply::json(200, json!({"status": status, "msg": msg}))
}

fn token_ok(mock: &Mock, params: &HashMap<String, String>) -> bool {
    auth::problem(CHANNEL.signing, mock, &axum::http::HeaderMap::new(), params).is_none()
}

/// Serves a pull fixture for `sid`, with the fixture's `data.sid` set to the one asked for.
fn pull(mock: &Mock, params: &HashMap<String, String>, fixture: &'static str) -> Response {
    if !token_ok(mock, params) {
        return error(1, "token 无效");
    }
    let Some(sid) = params.get("sid").filter(|s| !s.is_empty()) else {
        return error(2, "sid 不能为空");
    };
    let mut body: Value = serde_json::from_str(fixture).unwrap_or(Value::Null);
    if let Some(data) = body.get_mut("data").and_then(Value::as_object_mut) {
        if data.contains_key("sid") {
            data.insert("sid".into(), Value::String(sid.clone()));
        }
    }
    reply::json(200, body)
}

async fn calls_record(State(mock): State<Arc<Mock>>, Query(params): Params) -> Response {
    pull(&mock, &params, fixtures::DIANHUA_RECORD)
}

async fn calls_report(State(mock): State<Arc<Mock>>, Query(params): Params) -> Response {
    pull(&mock, &params, fixtures::DIANHUA_REPORT)
}

async fn cuishou(State(mock): State<Arc<Mock>>, Query(params): Params) -> Response {
    pull(&mock, &params, fixtures::DIANHUA_CUISHOU)
}

async fn itag(State(mock): State<Arc<Mock>>, Query(params): Params) -> Response {
    pull(&mock, &params, fixtures::DIANHUA_ITAG)
}

fn html(status: StatusCode, text: &str) -> Response {
    let page =
        format!("<!doctype html><meta charset=\"utf-8\"><title>邦秒爬 (mock)</title><p>{text}</p>");
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        page,
    )
        .into_response()
}

/// The H5 page. The mock user authorises at once: the page answers, then the authorisation
/// callback and the report-status callback are pushed.
async fn h5_page(State(mock): State<Arc<Mock>>, Query(params): Params) -> Response {
    if !token_ok(&mock, &params) {
        return html(StatusCode::FORBIDDEN, "token 无效");
    }
    let tel = params.get("tel").cloned();
    let contactor_tel = params
        .get("contactor")
        .and_then(|c| serde_json::from_str::<Value>(c).ok())
        .and_then(|c| {
            c.get("tel")
                .or_else(|| c.get("mobile"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        });
    if tel.is_none() && !params.contains_key("contactor") {
        return html(StatusCode::BAD_REQUEST, "tel 和 contactor 必填一项");
    }
    let tel = tel
        .or(contactor_tel)
        .unwrap_or_else(|| "13800000000".to_owned());
    let uid = params.get("uid").cloned().unwrap_or_default();
    // At most `max_pending_pushes` authorisations push at once: every one holds a task.
    let Ok(slot) = Arc::clone(&mock.pending_pushes).try_acquire_owned() else {
        return html(
            StatusCode::SERVICE_UNAVAILABLE,
            "too many authorisations are pushing callbacks; retry later",
        );
    };
    let sid = format!(
        "SIDmock{:026}",
        mock.next_sid.fetch_add(1, Ordering::Relaxed)
    );
    let auth_url = params
        .get("callback")
        .cloned()
        .or_else(|| mock.config.auth_callback_url.clone());
    let report_url = mock
        .config
        .report_callback_url
        .clone()
        .or_else(|| auth_url.clone());
    let one_url = auth_url.is_some() && auth_url == report_url;
    let callback = json!({"status": 0, "tel": tel, "uid": uid, "sid": sid});
    let report = json!({"status": 0, "sid": sid, "tel": tel, "uid": uid});
    let mock_for_push = Arc::clone(&mock);
    let sid_for_push = sid.clone();
    tokio::spawn(async move {
        if let Some(url) = auth_url {
            let url = if one_url {
                with_flag(&url, "auth")
            } else {
                url
            };
            push(&mock_for_push, "auth", &url, &sid_for_push, &callback).await;
        }
        if let Some(url) = report_url {
            let url = if one_url {
                with_flag(&url, "report")
            } else {
                url
            };
            push(&mock_for_push, "report", &url, &sid_for_push, &report).await;
        }
        drop(slot);
    });
    html(StatusCode::OK, &format!("授权成功 (mock): sid {sid}"))
}

fn with_flag(url: &str, flag: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            parsed.query_pairs_mut().append_pair("yulore_flag", flag);
            parsed.to_string()
        }
        Err(_) => url.to_owned(),
    }
}

/// Whether a receiver's answer acknowledges a push: a 2xx whose body, read up to `limit`
/// bytes, is `ok` once trimmed.
async fn acknowledges(mut response: reqwest::Response, limit: usize) -> bool {
    if !response.status().is_success() {
        return false;
    }
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > limit {
                    // Far longer than `ok`: not an acknowledgement; the rest is never read.
                    return false;
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(_) => return false,
        }
    }
    body.trim_ascii() == b"ok"
}

/// Pushes `body` until the receiver answers `ok`, at most `push_attempts` times (004: 最多推送三次).
async fn push(mock: &Mock, kind: &'static str, url: &str, sid: &str, body: &Value) {
    let limit = mock.config.limits.max_callback_answer;
    for attempt in 1..=mock.config.push_attempts.max(1) {
        let acknowledged = match mock.http.post(url).json(body).send().await {
            Ok(response) => acknowledges(response, limit).await,
            Err(error) => {
                tracing::info!(kind, attempt, error = %error.without_url(), "callback push failed");
                false
            }
        };
        mock.pushes.push(PushRecord {
            kind,
            url: url.to_owned(),
            sid: sid.to_owned(),
            attempt,
            acknowledged,
        });
        if acknowledged {
            return;
        }
        tokio::time::sleep(mock.config.push_interval).await;
    }
}

async fn pushes(State(mock): State<Arc<Mock>>) -> Response {
    let records = mock.pushes.snapshot();
    let list: Vec<Value> = records
        .iter()
        .map(|r| json!({"kind": r.kind, "url": r.url, "sid": r.sid, "attempt": r.attempt, "acknowledged": r.acknowledged}))
        .collect();
    reply::json(200, Value::Array(list))
}
