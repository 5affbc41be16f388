//! DeepFinch's four channels.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use base64::Engine as _;
use credkit_runtime::client::signing::{JdMd5, TencentHmac};
use serde_json::{json, Value};

use crate::{fixtures, reply, Mock};

/// 30 MB: the private deployment's limit (001 §请求参数).
const PRIVATE_LIMIT: usize = 30 * 1024 * 1024;
/// 100 MB: the JD marketplace's limit (003 §一); also applied to Tencent, which documents none.
const MARKET_LIMIT: usize = 100 * 1024 * 1024;
/// Base64 of a file at the limit, plus room for the form or JSON around it.
const MARKET_BODY_LIMIT: usize = MARKET_LIMIT / 3 * 4 + 64 * 1024;
/// How far a Tencent `X-Date` may be from the mock's clock.
const TENCENT_DATE_SKEW: Duration = Duration::from_secs(15 * 60);
/// How old a JD timestamp may be (003: valid 5 minutes).
const JD_TIMESTAMP_VALIDITY: Duration = Duration::from_secs(5 * 60);

pub(crate) fn routes() -> Router<Arc<Mock>> {
    Router::new()
        .route(
            "/ocr/get_credit_report_ocr_task_result",
            post(cloud_task_result),
        )
        .route(
            "/api/credit_report_v2",
            post(private_credit_report).layer(DefaultBodyLimit::max(PRIVATE_LIMIT + 1024 * 1024)),
        )
        .route(
            "/release/v2/credit_report",
            post(tencent_credit_report).layer(DefaultBodyLimit::max(MARKET_BODY_LIMIT)),
        )
        .route(
            "/deepfinch/ocr_pdf_credit_report",
            post(jd_credit_report).layer(DefaultBodyLimit::max(MARKET_BODY_LIMIT)),
        )
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// DeepFinch's own credential headers (cloud and private).
fn deepfinch_authorised(mock: &Mock, headers: &HeaderMap) -> bool {
    let c = &mock.config.credentials;
    header(headers, "x-df-api-id") == Some(c.deepfinch_api_id.as_str())
        && header(headers, "x-df-api-secret") == Some(c.deepfinch_api_secret.as_str())
}

/// Why an upload is refused, in the words of the channel's error table.
enum Refusal {
    NotPdf,
    TooLarge,
}

fn check_pdf(bytes: &[u8], limit: usize) -> Result<(), Refusal> {
    if !bytes.starts_with(b"%PDF-") {
        return Err(Refusal::NotPdf);
    }
    if bytes.len() > limit {
        return Err(Refusal::TooLarge);
    }
    Ok(())
}

fn cloud_error(status: u16, code: &str, reason: &str) -> Response {
    reply::json(
        status,
        json!({"request_id": reply::request_id(), "status": code, "reason": reason}),
    )
}

async fn cloud_task_result(
    State(mock): State<Arc<Mock>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !deepfinch_authorised(&mock, &headers) {
        return cloud_error(
            401,
            "UNAUTHORIZED",
            "invalid X-DF-API-ID or X-DF-API-SECRET",
        );
    }
    let task_id = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("task_id").and_then(Value::as_str).map(str::to_owned))
        .filter(|id| !id.is_empty());
    let Some(task_id) = task_id else {
        return cloud_error(400, "INVALID_ARGUMENT", "task_id is missing");
    };
    let polls = {
        let mut polls = mock
            .polls
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = polls.entry(task_id).or_insert(0);
        *count += 1;
        *count
    };
    if polls <= mock.config.pending_polls {
        return cloud_error(
            400,
            "TASK_INPROGRESS",
            "task is in progress, please retry later",
        );
    }
    reply::fixture(fixtures::CLOUD_SUCCESS)
}

fn private_error(status: u16, code: &str, error: &str) -> Response {
    reply::json(status, json!({"status": code, "error": error}))
}

async fn private_credit_report(
    State(mock): State<Arc<Mock>>,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    if !deepfinch_authorised(&mock, &headers) {
        return private_error(
            400,
            "NO_PERMISSION",
            "invalid X-DF-API-ID or X-DF-API-SECRET",
        );
    }
    let mut file = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                if field.name() == Some("image_file") {
                    match field.bytes().await {
                        Ok(bytes) => file = Some(bytes),
                        Err(_) => {
                            return private_error(
                                400,
                                "PARAMETER_ERROR",
                                "image_file is larger than 30 MB",
                            )
                        }
                    }
                }
            }
            Ok(None) => break,
            Err(_) => {
                return private_error(
                    400,
                    "PARAMETER_ERROR",
                    "the multipart body is malformed or larger than 30 MB",
                )
            }
        }
    }
    let Some(file) = file else {
        return private_error(400, "PARAMETER_ERROR", "image_file is missing");
    };
    match check_pdf(&file, PRIVATE_LIMIT) {
        Ok(()) => reply::fixture(fixtures::PRIVATE_SUCCESS),
        Err(Refusal::NotPdf) => private_error(400, "PARAMETER_ERROR", "image_file is not a PDF"),
        Err(Refusal::TooLarge) => {
            private_error(400, "PARAMETER_ERROR", "image_file is larger than 30 MB")
        }
    }
}

fn tencent_error(status: u16, code: &str, reason: &str) -> Response {
    reply::json(
        status,
        json!({"status": code, "reason": reason, "request_id": reply::request_id()}),
    )
}

/// Checks the Tencent gateway's HMAC signature and date (002 §示例代码).
fn tencent_signature_error(mock: &Mock, headers: &HeaderMap) -> Option<&'static str> {
    let c = &mock.config.credentials;
    let (Some(date), Some(source), Some(authorization)) = (
        header(headers, "x-date"),
        header(headers, "x-source"),
        header(headers, "authorization"),
    ) else {
        return Some("X-Date, X-Source and Authorization are required");
    };
    let Ok(sent) = httpdate::parse_http_date(date) else {
        return Some("X-Date is not an HTTP date");
    };
    let now = SystemTime::now();
    let skew = now
        .duration_since(sent)
        .or_else(|e| Ok::<_, ()>(e.duration()))
        .unwrap_or_default();
    if skew > TENCENT_DATE_SKEW {
        return Some("X-Date is too far from the server's clock");
    }
    let signer = TencentHmac {
        secret_id: c.tencent_secret_id.clone(),
        secret_key: c.tencent_secret_key.as_str().into(),
        source: source.to_owned(),
    };
    if source != c.tencent_source || authorization != signer.authorization(date) {
        return Some("HMAC signature does not match");
    }
    None
}

async fn tencent_credit_report(
    State(mock): State<Arc<Mock>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(problem) = tencent_signature_error(&mock, &headers) {
        // 002 documents no code for a gateway authentication failure; the mock answers 401 with
        // the error body shape of 002 and the cloud API's UNAUTHORIZED code.
        return tencent_error(401, "UNAUTHORIZED", problem);
    }
    let image = url::form_urlencoded::parse(&body)
        .find(|(k, _)| k == "image")
        .map(|(_, v)| v.into_owned());
    let Some(image) = image else {
        return tencent_error(400, "INVALID_ARGUMENT", "image is missing");
    };
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(image.as_bytes()) else {
        return tencent_error(400, "INVALID_ARGUMENT", "image is not base64");
    };
    match check_pdf(&bytes, MARKET_LIMIT) {
        Ok(()) => reply::fixture(fixtures::TENCENT_SUCCESS),
        Err(_) => tencent_error(400, "INVALID_ARGUMENT", "invalid image format or size"),
    }
}

fn jd_envelope(status: u16, code: &str, reason: &str) -> Response {
    reply::json(
        status,
        json!({"code": "1000", "charge": false, "remainTimes": 9999, "remainSeconds": 86400, "msg": "查询成功",
               "result": {"status": code, "reason": reason}}),
    )
}

/// Checks JD's query signature (003 §二.3 (1)): appkey, a millisecond timestamp no older than
/// five minutes, and `sign = md5(secretkey + timestamp)`.
fn jd_signature_error(
    mock: &Mock,
    query: &std::collections::HashMap<String, String>,
) -> Option<&'static str> {
    let c = &mock.config.credentials;
    let (Some(appkey), Some(timestamp), Some(sign)) = (
        query.get("appkey"),
        query.get("timestamp"),
        query.get("sign"),
    ) else {
        return Some("appkey, timestamp and sign are required");
    };
    if *appkey != c.jd_appkey {
        return Some("unknown appkey");
    }
    let Ok(millis) = timestamp.parse::<u128>() else {
        return Some("timestamp is not a number of milliseconds");
    };
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    if now.saturating_sub(millis) > JD_TIMESTAMP_VALIDITY.as_millis() || millis > now + 60_000 {
        return Some("timestamp expired (valid 5 minutes)");
    }
    let signer = JdMd5 {
        appkey: c.jd_appkey.clone(),
        secret_key: c.jd_secret_key.as_str().into(),
    };
    if *sign != signer.sign_value(millis) {
        return Some("sign does not match");
    }
    None
}

async fn jd_credit_report(
    State(mock): State<Arc<Mock>>,
    Query(query): Query<std::collections::HashMap<String, String>>,
    body: Bytes,
) -> Response {
    if let Some(problem) = jd_signature_error(&mock, &query) {
        // The shape of 003 §四 输出样例, with the UNAUTHORIZED code of the status table.
        return reply::json(401, json!({"status": "UNAUTHORIZED", "reason": problem}));
    }
    let image = serde_json::from_slice::<Value>(&body).ok().and_then(|v| {
        v.get("image_base64")
            .and_then(Value::as_str)
            .map(str::to_owned)
    });
    let Some(image) = image else {
        return reply::json(
            400,
            json!({"status": "PARAMETER_MISSING", "reason": "param is missing or the value is empty: image_base64"}),
        );
    };
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(image.as_bytes()) else {
        return jd_envelope(400, "INVALID_ARGUMENT", "image_base64 is not base64");
    };
    match check_pdf(&bytes, MARKET_LIMIT) {
        Ok(()) => reply::fixture(fixtures::JD_SUCCESS),
        Err(Refusal::NotPdf) => jd_envelope(400, "INVALID_ARGUMENT", "the file is not a PDF"),
        Err(Refusal::TooLarge) => {
            jd_envelope(400, "INVALID_ARGUMENT", "the PDF is larger than 100 MB")
        }
    }
}
