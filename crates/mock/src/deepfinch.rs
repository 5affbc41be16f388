//! DeepFinch's four channels.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Multipart, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::on;
use base64::Engine as _;
use credkit_runtime::client::operation::OperationSpec;
use deepfinch_client::{cloud, jd, private, tencent};
use serde_json::{json, Value};

use crate::handlers::Handler;
use crate::quota::Allowance;
use crate::{auth, fixtures, reply, Mock};

/// The query parameters (JD's signature travels there).
type Params = Query<std::collections::HashMap<String, String>>;

/// The DeepFinch operations the mock answers, by (channel, operation id).
pub(crate) const HANDLERS: &[Handler] = &[
    Handler {
        channel: cloud::CHANNEL.name,
        operation: cloud::operations::GET_CREDIT_REPORT_OCR_TASK_RESULT.id,
        route: |method| on(method, cloud_task_result),
        refuse: |status, reason| cloud_error(status, "INVALID_ARGUMENT", reason),
    },
    Handler {
        channel: private::CHANNEL.name,
        operation: private::operations::CREDIT_REPORT_V2.id,
        route: |method| on(method, private_credit_report),
        refuse: |status, reason| private_error(status, "PARAMETER_ERROR", reason),
    },
    Handler {
        channel: tencent::CHANNEL.name,
        operation: tencent::operations::CREDIT_REPORT.id,
        route: |method| on(method, tencent_credit_report),
        refuse: |status, reason| tencent_error(status, "INVALID_ARGUMENT", reason),
    },
    Handler {
        channel: jd::CHANNEL.name,
        operation: jd::operations::OCR_PDF_CREDIT_REPORT.id,
        route: |method| on(method, jd_credit_report),
        refuse: |status, reason| jd_envelope(status, "INVALID_ARGUMENT", reason),
    },
];

/// The upload limit of `op` in bytes (its `UploadSpec::max_bytes`).
fn upload_limit(op: &OperationSpec) -> usize {
    op.upload
        .map_or(0, |u| usize::try_from(u.max_bytes).unwrap_or(usize::MAX))
}

/// "`field` is larger than N MB", from the operation's upload spec.
fn too_large_message(op: &OperationSpec) -> String {
    match op.upload {
        Some(upload) => format!(
            "{} is larger than {} MB",
            upload.field,
            upload.max_bytes / (1024 * 1024)
        ),
        None => "the body is too large".to_owned(),
    }
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
    Query(query): Params,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if auth::problem(cloud::CHANNEL.signing, &mock, &headers, &query).is_some() {
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
    let max_len = mock.config.limits.max_task_id_len;
    if task_id.len() > max_len {
        return cloud_error(
            400,
            "INVALID_ARGUMENT",
            &format!("task_id is longer than {max_len} bytes"),
        );
    }
    let polls = mock.polls.increment(&task_id);
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
    Query(query): Params,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    if auth::problem(private::CHANNEL.signing, &mock, &headers, &query).is_some() {
        return private_error(
            400,
            "NO_PERMISSION",
            "invalid X-DF-API-ID or X-DF-API-SECRET",
        );
    }
    if mock.usage.take(mock.config.quota) == Allowance::Exhausted {
        // 001 documents no quota or rate-limit code: the gateway's 429.
        return reply::json(
            429,
            json!({"error": "the call quota is used up (credkit mock --quota)"}),
        );
    }
    let op = &private::operations::CREDIT_REPORT_V2;
    let too_large = too_large_message(op);
    let mut file = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                if field.name() == op.upload.map(|u| u.field) {
                    match field.bytes().await {
                        Ok(bytes) => file = Some(bytes),
                        Err(_) => return private_error(400, "PARAMETER_ERROR", &too_large),
                    }
                }
            }
            Ok(None) => break,
            Err(_) => {
                return private_error(
                    400,
                    "PARAMETER_ERROR",
                    &format!("the multipart body is malformed, or {too_large}"),
                )
            }
        }
    }
    let Some(file) = file else {
        return private_error(400, "PARAMETER_ERROR", "image_file is missing");
    };
    match check_pdf(&file, upload_limit(op)) {
        Ok(()) => reply::fixture(fixtures::PRIVATE_SUCCESS),
        Err(Refusal::NotPdf) => private_error(400, "PARAMETER_ERROR", "image_file is not a PDF"),
        Err(Refusal::TooLarge) => private_error(400, "PARAMETER_ERROR", &too_large),
    }
}

fn tencent_error(status: u16, code: &str, reason: &str) -> Response {
    reply::json(
        status,
        json!({"status": code, "reason": reason, "request_id": reply::request_id()}),
    )
}

async fn tencent_credit_report(
    State(mock): State<Arc<Mock>>,
    Query(query): Params,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(problem) = auth::problem(tencent::CHANNEL.signing, &mock, &headers, &query) {
        // 002 documents no code for a gateway authentication failure; the mock answers 401 with
        // the error body shape of 002 and the cloud API's UNAUTHORIZED code.
        return tencent_error(401, "UNAUTHORIZED", problem);
    }
    if mock.usage.take(mock.config.quota) == Allowance::Exhausted {
        // 002's only limit code.
        return tencent_error(403, "RATE_LIMIT_EXCEEDED", "调用频率超出限额");
    }
    let op = &tencent::operations::CREDIT_REPORT;
    let field = op.upload.map_or("image", |u| u.field);
    let image = url::form_urlencoded::parse(&body)
        .find(|(k, _)| k == field)
        .map(|(_, v)| v.into_owned());
    let Some(image) = image else {
        return tencent_error(400, "INVALID_ARGUMENT", "image is missing");
    };
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(image.as_bytes()) else {
        return tencent_error(400, "INVALID_ARGUMENT", "image is not base64");
    };
    match check_pdf(&bytes, upload_limit(op)) {
        Ok(()) => reply::fixture(fixtures::TENCENT_SUCCESS),
        Err(_) => tencent_error(400, "INVALID_ARGUMENT", "invalid image format or size"),
    }
}

fn jd_envelope(status: u16, code: &str, reason: &str) -> Response {
    jd_envelope_with(status, code, reason, 9999)
}

/// JD's envelope around a DeepFinch error, with `remain_times` calls left.
fn jd_envelope_with(status: u16, code: &str, reason: &str, remain_times: u64) -> Response {
    reply::json(
        status,
        json!({"code": "1000", "charge": false, "remainTimes": remain_times, "remainSeconds": 86400, "msg": "查询成功",
               "result": {"status": code, "reason": reason}}),
    )
}

/// The JD success fixture, with `remainTimes` set to what the quota leaves.
fn jd_success(allowance: Allowance) -> Response {
    let Allowance::Remaining(left) = allowance else {
        return reply::fixture(fixtures::JD_SUCCESS);
    };
    let mut body: Value = serde_json::from_str(fixtures::JD_SUCCESS).unwrap_or(Value::Null);
    if let Some(envelope) = body.as_object_mut() {
        envelope.insert("remainTimes".into(), json!(left));
    }
    reply::json(200, body)
}

async fn jd_credit_report(
    State(mock): State<Arc<Mock>>,
    Query(query): Params,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(problem) = auth::problem(jd::CHANNEL.signing, &mock, &headers, &query) {
        // The shape of 003 §四 输出样例, with the UNAUTHORIZED code of the status table.
        return reply::json(401, json!({"status": "UNAUTHORIZED", "reason": problem}));
    }
    let allowance = mock.usage.take(mock.config.quota);
    if allowance == Allowance::Exhausted {
        // 003 §四: OUT_OF_QUOTA, HTTP 403; nothing is left.
        return jd_envelope_with(403, "OUT_OF_QUOTA", "调用次数超出限额", 0);
    }
    let op = &jd::operations::OCR_PDF_CREDIT_REPORT;
    let field = op.upload.map_or("image_base64", |u| u.field);
    let image = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get(field).and_then(Value::as_str).map(str::to_owned));
    let Some(image) = image else {
        return reply::json(
            400,
            json!({"status": "PARAMETER_MISSING", "reason": "param is missing or the value is empty: image_base64"}),
        );
    };
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(image.as_bytes()) else {
        return jd_envelope(400, "INVALID_ARGUMENT", "image_base64 is not base64");
    };
    match check_pdf(&bytes, upload_limit(op)) {
        Ok(()) => jd_success(allowance),
        Err(Refusal::NotPdf) => jd_envelope(400, "INVALID_ARGUMENT", "the file is not a PDF"),
        Err(Refusal::TooLarge) => jd_envelope(400, "INVALID_ARGUMENT", &too_large_message(op)),
    }
}
