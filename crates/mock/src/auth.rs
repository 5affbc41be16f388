//! Checking a request's credentials by the channel's signing scheme (`ChannelSpec::signing`),
//! the way each document describes.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use axum::http::HeaderMap;
use credkit_runtime::client::operation::SigningScheme;
use credkit_runtime::client::signing::{JdMd5, TencentHmac};

use crate::Mock;

/// How far a Tencent `X-Date` may be from the mock's clock.
const TENCENT_DATE_SKEW: Duration = Duration::from_secs(15 * 60);
/// How old a JD timestamp may be (003: valid 5 minutes).
const JD_TIMESTAMP_VALIDITY: Duration = Duration::from_secs(5 * 60);

/// What is wrong with the request's credentials under `scheme`, or `None` when they hold.
pub(crate) fn problem(
    scheme: SigningScheme,
    mock: &Mock,
    headers: &HeaderMap,
    query: &HashMap<String, String>,
) -> Option<&'static str> {
    match scheme {
        SigningScheme::DeepFinchHeaders => deepfinch_problem(mock, headers),
        SigningScheme::TencentHmac => tencent_signature_error(mock, headers),
        SigningScheme::JdMd5 => jd_signature_error(mock, query),
        SigningScheme::DianhuaToken => {
            let token = mock.config.credentials.dianhua_token.as_str();
            (query.get("token").map(String::as_str) != Some(token)).then_some("token 无效")
        }
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// DeepFinch's own credential headers (cloud and private).
fn deepfinch_problem(mock: &Mock, headers: &HeaderMap) -> Option<&'static str> {
    let c = &mock.config.credentials;
    let ok = header(headers, "x-df-api-id") == Some(c.deepfinch_api_id.as_str())
        && header(headers, "x-df-api-secret") == Some(c.deepfinch_api_secret.as_str());
    (!ok).then_some("invalid X-DF-API-ID or X-DF-API-SECRET")
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
