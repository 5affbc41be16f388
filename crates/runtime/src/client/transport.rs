//! Sending one operation: signing, the body, timeouts, retries, and reading the vendor's
//! verdict out of the response.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::{excerpt, ApiError, ClientError};
use super::operation::{EncodedBody, OperationKind, Request, RetryClass};
use super::signing::{Clock, Signer, SystemClock};
use super::upload::{form_base64_body, json_base64_body, multipart_form, PdfFile};
use crate::parse_json;

/// When to try a failed request again. Only rate limits (429), server errors (5xx) and
/// connection failures are retried, with exponential backoff and jitter, while the next
/// attempt would still start before the deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = no retry).
    pub max_attempts: u32,
    /// Wait before the first retry; doubled for each further one.
    pub initial_backoff: Duration,
    /// Longest wait between two attempts.
    pub max_backoff: Duration,
    /// No attempt starts later than this after the first one.
    pub deadline: Duration,
    /// Retry paid operations (OCR uploads) on server errors and broken connections too, at
    /// the risk of paying twice; off by default (see [`RetryClass::Paid`]).
    pub retry_paid_on_server_errors: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            deadline: Duration::from_secs(120),
            retry_paid_on_server_errors: false,
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retry.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The wait before retry number `retry` (1-based): `initial * 2^(retry-1)`, capped at
    /// `max_backoff`, then scaled by a random factor in [0.5, 1.0] so that clients that failed
    /// together do not retry together.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(20);
        let base = self
            .initial_backoff
            .saturating_mul(1u32 << exponent)
            .min(self.max_backoff);
        base.mul_f64(rand::random_range(0.5..=1.0))
    }
}

/// Settings shared by every client.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Scheme, host and optional path prefix, e.g. `https://cloudapi.deepfinch.com`.
    pub base_url: String,
    /// Longest time one attempt may take, upload included.
    pub timeout: Duration,
    /// Longest time to establish a connection.
    pub connect_timeout: Duration,
    /// Retries.
    pub retry: RetryPolicy,
    /// The clock used for signatures (inject a fixed one in tests).
    pub clock: Arc<dyn Clock>,
}

impl ClientConfig {
    /// Defaults: 120 s per attempt, 10 s to connect, [`RetryPolicy::default`], the system clock.
    pub fn new(base_url: impl Into<String>) -> Self {
        ClientConfig {
            base_url: base_url.into(),
            timeout: Duration::from_secs(120),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            clock: Arc::new(SystemClock),
        }
    }
}

/// One test of the vendor's verdict: the value at `pointer` (a JSON pointer into the body),
/// when present, must be one of `ok`.
#[derive(Debug, Clone, Copy)]
pub struct StatusCheck {
    /// Where the status is.
    pub pointer: &'static str,
    /// The values that mean success (numbers are compared by their JSON text).
    pub ok: &'static [&'static str],
}

/// How to read a channel's response: where the status, message and request id are.
#[derive(Debug, Clone, Copy)]
pub struct Verdict {
    /// Status tests; every present status must be a success value.
    pub checks: &'static [StatusCheck],
    /// Where the vendor's message may be, first match wins.
    pub message: &'static [&'static str],
    /// Where the request id may be, first match wins.
    pub request_id: &'static [&'static str],
}

fn text_at(body: &Value, pointer: &str) -> Option<String> {
    match body.pointer(pointer)? {
        Value::String(text) => Some(text.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

impl Verdict {
    /// The first failing status test, as `(code)`; `None` when every present status is a
    /// success value. `Some(None)` would be meaningless, so absent statuses simply pass.
    fn failing_code(&self, body: &Value) -> Option<String> {
        self.checks.iter().find_map(|check| {
            let code = text_at(body, check.pointer)?;
            (!check.ok.contains(&code.as_str())).then_some(code)
        })
    }

    fn has_any_status(&self, body: &Value) -> bool {
        self.checks
            .iter()
            .any(|check| text_at(body, check.pointer).is_some())
    }

    fn first(body: &Value, pointers: &[&str]) -> Option<String> {
        pointers.iter().find_map(|pointer| text_at(body, pointer))
    }
}

/// A signed, retrying HTTP transport for one vendor channel.
#[derive(Debug, Clone)]
pub struct Transport {
    http: reqwest::Client,
    config: ClientConfig,
    signer: Arc<dyn Signer>,
}

impl Transport {
    /// A transport for `config`, signing every request with `signer`.
    pub fn new(config: ClientConfig, signer: Arc<dyn Signer>) -> Result<Self, ClientError> {
        url::Url::parse(&config.base_url)
            .map_err(|e| ClientError::Config(format!("base URL {:?}: {e}", config.base_url)))?;
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .user_agent(concat!("credkit/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ClientError::Config(e.without_url().to_string()))?;
        Ok(Transport {
            http,
            config,
            signer,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The signer.
    pub fn signer(&self) -> &dyn Signer {
        self.signer.as_ref()
    }

    /// Sends `request`, retrying as its operation's retry class and the policy allow, and
    /// decodes the body as `T` when the vendor's verdict is success.
    ///
    /// An upload is checked (exists, `%PDF-`, within the operation's limit) before any
    /// traffic and streamed from the file on every attempt.
    pub async fn execute<T: DeserializeOwned>(
        &self,
        request: Request<'_>,
        verdict: &Verdict,
    ) -> Result<T, ClientError> {
        let operation = request.spec.id;
        let Some(class) = request.spec.retry_class() else {
            return Err(ClientError::InvalidArgument(format!(
                "{operation} builds a URL; it is not sent"
            )));
        };
        let file = match (&request.spec.upload, request.upload) {
            (Some(upload), Some(path)) => Some(PdfFile::open(path, upload.max_bytes).await?),
            (None, None) => None,
            _ => {
                return Err(ClientError::InvalidArgument(format!(
                    "{operation}: the upload does not match the operation"
                )))
            }
        };
        let started = Instant::now();
        let policy = &self.config.retry;
        let mut attempt = 1;
        loop {
            let error = match self
                .attempt::<T>(&request, file.as_ref(), verdict, attempt)
                .await
            {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            let class = if policy.retry_paid_on_server_errors {
                RetryClass::Read
            } else {
                class
            };
            if !error.is_retryable(class) || policy.max_attempts <= 1 {
                return Err(error);
            }
            let wait = policy.backoff(attempt);
            let out_of_attempts = attempt >= policy.max_attempts;
            let out_of_time = started.elapsed() + wait > policy.deadline;
            if out_of_attempts || out_of_time {
                return Err(ClientError::RetriesExhausted {
                    operation,
                    attempts: attempt,
                    elapsed: started.elapsed(),
                    last: Box::new(error),
                });
            }
            tracing::warn!(operation, attempt, ?wait, error = %error, "retrying");
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// The URL of an operation that builds a URL for a browser (Dianhua's H5 page): `base_url`
    /// and the operation's path, the signer's query parameters, then the request's query.
    /// The URL carries the credential.
    pub fn browser_url(
        &self,
        base_url: &str,
        request: &Request<'_>,
    ) -> Result<String, ClientError> {
        let operation = request.spec.id;
        if !matches!(request.spec.kind, OperationKind::BrowserUrl { .. }) {
            return Err(ClientError::InvalidArgument(format!(
                "{operation} is sent, not opened in a browser"
            )));
        }
        let signature = self.signer.sign(self.config.clock.now())?;
        let url = self.url(base_url, request, &signature)?;
        Ok(url.to_string())
    }

    /// `base_url` + path, with the signer's query parameters and then the request's query.
    fn url(
        &self,
        base_url: &str,
        request: &Request<'_>,
        signature: &super::signing::Signature,
    ) -> Result<url::Url, ClientError> {
        let operation = request.spec.id;
        let mut url = url::Url::parse(&format!(
            "{}{}",
            base_url.trim_end_matches('/'),
            request.spec.path
        ))
        .map_err(|e| ClientError::Config(format!("{operation}: base URL: {e}")))?;
        let mut query = String::new();
        {
            let mut pairs = url::form_urlencoded::Serializer::new(&mut query);
            for param in &signature.query {
                pairs.append_pair(&param.name, &param.value);
            }
        }
        if !request.query.is_empty() {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(&request.query);
        }
        url.set_query((!query.is_empty()).then_some(query.as_str()));
        Ok(url)
    }

    async fn attempt<T: DeserializeOwned>(
        &self,
        request: &Request<'_>,
        file: Option<&PdfFile>,
        verdict: &Verdict,
        attempt: u32,
    ) -> Result<T, ClientError> {
        let operation = request.spec.id;
        let signature = self.signer.sign(self.config.clock.now())?;
        let url = self.url(&self.config.base_url, request, &signature)?;
        let mut builder = self
            .http
            .request(request.spec.method.to_reqwest(), url)
            .timeout(self.config.timeout);
        for param in &signature.headers {
            let name = HeaderName::from_bytes(param.name.as_bytes())
                .map_err(|e| ClientError::Config(format!("header name {}: {e}", param.name)))?;
            let mut value = HeaderValue::from_str(&param.value).map_err(|_| {
                ClientError::Config(format!(
                    "header {} has a value HTTP cannot carry",
                    param.name
                ))
            })?;
            value.set_sensitive(param.sensitive);
            builder = builder.header(name, value);
        }
        builder = match (file, request.spec.upload, &request.body) {
            (Some(file), Some(upload), EncodedBody::Parts(fields)) if !upload.base64 => {
                let fields: Vec<(&str, &str)> = fields
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                builder.multipart(multipart_form(file, upload.field, &fields))
            }
            (Some(file), Some(upload), EncodedBody::None) if !upload.base64 => {
                builder.multipart(multipart_form(file, upload.field, &[]))
            }
            (Some(file), Some(upload), EncodedBody::None) => match request.spec.body {
                super::operation::BodyEncoding::Json => {
                    let (body, length) = json_base64_body(file, upload.field);
                    builder
                        .header(reqwest::header::CONTENT_TYPE, "application/json")
                        .header(reqwest::header::CONTENT_LENGTH, length)
                        .body(body)
                }
                super::operation::BodyEncoding::Form => {
                    let (body, length) = form_base64_body(file, upload.field).await?;
                    builder
                        .header(
                            reqwest::header::CONTENT_TYPE,
                            "application/x-www-form-urlencoded",
                        )
                        .header(reqwest::header::CONTENT_LENGTH, length)
                        .body(body)
                }
                _ => {
                    return Err(ClientError::InvalidArgument(format!(
                        "{operation}: a base64 upload needs a JSON or form body"
                    )))
                }
            },
            (None, None, EncodedBody::None) => builder,
            (None, None, EncodedBody::Json(value)) => builder.json(value),
            (None, None, EncodedBody::Form(text)) => builder
                .header(
                    reqwest::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .body(text.clone()),
            (None, None, EncodedBody::Parts(fields)) => {
                let mut form = reqwest::multipart::Form::new();
                for (name, value) in fields {
                    form = form.text(name.clone(), value.clone());
                }
                builder.multipart(form)
            }
            _ => {
                return Err(ClientError::InvalidArgument(format!(
                    "{operation}: the body does not match the operation"
                )))
            }
        };
        tracing::debug!(
            operation,
            attempt,
            method = request.spec.method.as_str(),
            path = request.spec.path,
            "sending"
        );
        let response = builder
            .send()
            .await
            .map_err(|e| ClientError::transport(operation, e))?;
        let status = response.status().as_u16();
        let header_request_id = response
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = response
            .bytes()
            .await
            .map_err(|e| ClientError::transport(operation, e))?;
        tracing::debug!(operation, attempt, status, bytes = bytes.len(), "received");
        read_response(operation, status, header_request_id, &bytes, verdict)
    }
}

/// Turns a received response into the typed value or the matching error.
pub fn read_response<T: DeserializeOwned>(
    operation: &'static str,
    status: u16,
    header_request_id: Option<String>,
    bytes: &[u8],
    verdict: &Verdict,
) -> Result<T, ClientError> {
    let body: Option<Value> = serde_json::from_slice(bytes).ok();
    let api_error = |code: Option<String>, body: Option<&Value>| {
        ClientError::Api(ApiError {
            operation,
            status,
            code,
            message: body.and_then(|b| Verdict::first(b, verdict.message)),
            request_id: body
                .and_then(|b| Verdict::first(b, verdict.request_id))
                .or_else(|| header_request_id.clone()),
            body_excerpt: excerpt(bytes),
        })
    };
    let http_ok = (200..300).contains(&status);
    match &body {
        None if !http_ok => Err(api_error(None, None)),
        None => Err(ClientError::Decode {
            operation,
            status,
            path: crate::JsonPath::default(),
            message: "the body is not JSON".into(),
            body_excerpt: excerpt(bytes),
        }),
        Some(value) => {
            if let Some(code) = verdict.failing_code(value) {
                return Err(api_error(Some(code), Some(value)));
            }
            // A documented success status with an error HTTP status (the cloud API answers
            // TASK_INPROGRESS with 400) is the vendor's verdict; without any status, the HTTP
            // status decides.
            let retry_class = status == 429 || status >= 500;
            if retry_class || (!http_ok && !verdict.has_any_status(value)) {
                return Err(api_error(None, Some(value)));
            }
            parse_json::<T>(bytes)
                .map(|parsed| {
                    if !parsed.ignored.is_empty() {
                        tracing::debug!(
                            operation,
                            ignored = parsed.ignored.len(),
                            "response has fields credkit does not know"
                        );
                    }
                    parsed.value
                })
                .map_err(|e| ClientError::Decode {
                    operation,
                    status,
                    path: e.path,
                    message: e.message,
                    body_excerpt: excerpt(bytes),
                })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let policy = RetryPolicy {
            max_attempts: 10,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(1),
            deadline: Duration::from_secs(60),
            retry_paid_on_server_errors: false,
        };
        for _ in 0..200 {
            let first = policy.backoff(1);
            assert!(
                first >= Duration::from_millis(50) && first <= Duration::from_millis(100),
                "{first:?}"
            );
            let third = policy.backoff(3);
            assert!(
                third >= Duration::from_millis(200) && third <= Duration::from_millis(400),
                "{third:?}"
            );
            let late = policy.backoff(30);
            assert!(
                late >= Duration::from_millis(500) && late <= Duration::from_secs(1),
                "{late:?}"
            );
        }
    }

    const VERDICT: Verdict = Verdict {
        checks: &[StatusCheck {
            pointer: "/status",
            ok: &["OK", "TASK_INPROGRESS"],
        }],
        message: &["/reason"],
        request_id: &["/request_id"],
    };

    #[test]
    fn a_success_status_wins_over_an_error_http_status() {
        let body = br#"{"status":"TASK_INPROGRESS","request_id":"r"}"#;
        let value: Value =
            read_response("op", 400, None, body, &VERDICT).expect("in progress is not an error");
        assert_eq!(value["status"], "TASK_INPROGRESS");
    }

    #[test]
    fn the_request_id_header_is_used_when_the_body_has_none() {
        let error = read_response::<Value>(
            "op",
            502,
            Some("hdr-1".into()),
            b"<html>bad gateway</html>",
            &VERDICT,
        )
        .expect_err("gateway error");
        let ClientError::Api(api) = error else {
            panic!("{error:?}")
        };
        assert_eq!(api.request_id.as_deref(), Some("hdr-1"));
        assert!(api.body_excerpt.contains("bad gateway"));
    }
}
