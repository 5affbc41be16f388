//! Sending one operation: signing, the body, time limits, retries, size limits, hooks and
//! tracing, and reading the vendor's verdict out of the response.
//!
//! Per operation, [`Transport::execute`] opens a `tracing` span `credkit.operation` with the
//! fields `operation`, `channel` (when known) and `retry_class`, and emits per attempt a
//! `sending` event (`attempt`) and a `received` event (`attempt`, `status`, `request_id`,
//! `bytes`) at debug level, and a `retrying` event (`attempt`, `status`, `kind`, `wait_ms`) at
//! warn level. No URL (Dianhua's token travels in the query), header, body or vendor message
//! is ever recorded: nothing a span or event holds can carry a secret or personal data.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument as _;

pub use super::config::{ClientConfig, Timeouts};
pub use super::retry::RetryPolicy;
pub use super::verdict::{StatusCheck, Verdict};

use super::body::{read_body, BodyLimits};
use super::error::{ApiError, ClientError, TransportKind};
use super::hooks::AttemptInfo;
use super::operation::{EncodedBody, OperationKind, Request, RetryClass};
use super::redact::{Redactor, MAX_TEXT_BYTES};
use super::retry::parse_retry_after;
use super::signing::{Signature, Signer};
use super::upload::{form_base64_body, json_base64_body, multipart_form, PdfFile};
use crate::parse_json;

/// The most bytes of a request id kept (in errors and events).
const MAX_REQUEST_ID_BYTES: usize = 128;

/// A signed, retrying HTTP transport for one vendor channel.
#[derive(Debug, Clone)]
pub struct Transport {
    http: reqwest::Client,
    config: ClientConfig,
    signer: Arc<dyn Signer>,
    channel: Option<&'static str>,
}

impl Transport {
    /// A transport for `config`, signing every request with `signer`. It uses
    /// `config.http_client` when set, else builds a client with rustls, `connect_timeout` and
    /// the credkit user agent.
    ///
    /// # Errors
    ///
    /// [`ClientError::Config`] when the base URL does not parse or the client cannot be built.
    pub fn new(config: ClientConfig, signer: Arc<dyn Signer>) -> Result<Self, ClientError> {
        url::Url::parse(&config.base_url).map_err(|e| {
            ClientError::Config(format!(
                "base URL {}: {e}",
                super::redact::bound(&config.base_url, MAX_TEXT_BYTES)
            ))
        })?;
        let http = match &config.http_client {
            Some(http) => http.clone(),
            None => reqwest::Client::builder()
                .connect_timeout(config.connect_timeout)
                .user_agent(concat!("credkit/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(|e| ClientError::Config(e.without_url().to_string()))?,
        };
        Ok(Transport {
            http,
            config,
            signer,
            channel: None,
        })
    }

    /// A transport on your own `reqwest::Client` (see [`ClientConfig::http_client`]: the
    /// time limits of `config` still apply per attempt; the client builder's settings are
    /// yours).
    ///
    /// # Errors
    ///
    /// [`ClientError::Config`] when the base URL does not parse.
    pub fn with_http_client(
        mut config: ClientConfig,
        signer: Arc<dyn Signer>,
        http: reqwest::Client,
    ) -> Result<Self, ClientError> {
        config.http_client = Some(http);
        Transport::new(config, signer)
    }

    /// Names the channel (`cloud`, `carrier`, …) in spans and [`AttemptInfo`].
    #[must_use]
    pub fn with_channel(mut self, channel: &'static str) -> Self {
        self.channel = Some(channel);
        self
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
    /// Every attempt is signed afresh and bounded by the class's per-attempt limit and what is
    /// left of its total deadline ([`Timeouts`]); retries wait by backoff or the vendor's
    /// `Retry-After`, whichever is longer. An upload is checked (exists, `%PDF-`, within the
    /// operation's limit) before any traffic and streamed from the file on every attempt.
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
        let span = tracing::info_span!(
            "credkit.operation",
            operation,
            channel = tracing::field::Empty,
            retry_class = ?class,
        );
        if let Some(channel) = self.channel {
            span.record("channel", channel);
        }
        self.execute_in_span(request, verdict, class)
            .instrument(span)
            .await
    }

    async fn execute_in_span<T: DeserializeOwned>(
        &self,
        request: Request<'_>,
        verdict: &Verdict,
        class: RetryClass,
    ) -> Result<T, ClientError> {
        let operation = request.spec.id;
        let file = match (&request.spec.upload, request.upload) {
            (Some(upload), Some(path)) => Some(PdfFile::open(path, upload.max_bytes).await?),
            (None, None) => None,
            _ => {
                return Err(ClientError::InvalidArgument(format!(
                    "{operation}: the upload does not match the operation"
                )))
            }
        };
        let policy = &self.config.retry;
        let timeouts = *self.config.timeouts(class);
        // The opt-in makes a paid call retry like a read; its time limits stay a paid call's.
        let retry_as = if policy.retry_paid_on_server_errors {
            RetryClass::Read
        } else {
            class
        };
        let started = Instant::now();
        let deadline = started + timeouts.total;
        let mut attempt = 1;
        loop {
            let attempt_deadline = (Instant::now() + timeouts.attempt).min(deadline);
            let context = AttemptContext {
                request: &request,
                file: file.as_ref(),
                verdict,
                class,
                attempt,
                deadline: attempt_deadline,
                stall: timeouts.stall,
            };
            let error = match self.attempt::<T>(context).await {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            if !error.is_retryable(retry_as) || policy.max_attempts <= 1 {
                return Err(error);
            }
            let remaining = deadline.saturating_duration_since(Instant::now());
            let Some(wait) = policy.next_wait(attempt, error.retry_after(), remaining) else {
                return Err(ClientError::RetriesExhausted {
                    operation,
                    attempts: attempt,
                    elapsed: started.elapsed(),
                    last: Box::new(error),
                });
            };
            tracing::warn!(
                attempt,
                status = error.status(),
                kind = error.transport_kind().map(|kind| format!("{kind:?}")),
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                "retrying"
            );
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
        signature: &Signature,
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
        context: AttemptContext<'_, '_>,
    ) -> Result<T, ClientError> {
        let AttemptContext {
            request,
            file,
            verdict,
            class,
            attempt,
            deadline,
            stall,
        } = context;
        let operation = request.spec.id;
        let signature = self.signer.sign(self.config.clock.now())?;
        let redactor = Redactor::new(self.signer.secrets(&signature));
        let url = self.url(&self.config.base_url, request, &signature)?;
        let mut builder = self.http.request(request.spec.method.to_reqwest(), url);
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
        let info = AttemptInfo {
            operation,
            channel: self.channel,
            attempt,
            retry_class: class,
            method: request.spec.method,
            path: request.spec.path,
        };
        self.config.hooks.before_send(&info);
        tracing::debug!(attempt, "sending");
        let response = match tokio::time::timeout_at(deadline, builder.send()).await {
            Err(_) => {
                return Err(ClientError::Transport {
                    operation,
                    kind: TransportKind::Timeout,
                    message: "no response within the attempt's time".into(),
                })
            }
            Ok(Err(error)) => return Err(ClientError::transport(operation, error, &redactor)),
            Ok(Ok(response)) => response,
        };
        let status = response.status().as_u16();
        self.config.hooks.after_response(&info, status);
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let header_request_id = header("x-request-id");
        let retry_after = header("retry-after")
            .and_then(|value| parse_retry_after(&value, self.config.clock.now()));
        let limits = BodyLimits {
            operation,
            max_bytes: self.config.max_response_bytes_for(operation),
            stall,
            deadline,
        };
        let bytes = read_body(response, limits, &redactor).await?;
        let received = Received {
            operation,
            status,
            header_request_id: header_request_id.as_deref(),
            retry_after,
            bytes: &bytes,
        };
        let (request_id, outcome) = read_response(received, verdict, &redactor);
        tracing::debug!(
            attempt,
            status,
            request_id = request_id.as_deref(),
            bytes = bytes.len(),
            "received"
        );
        outcome
    }
}

/// What one attempt works with.
struct AttemptContext<'r, 'a> {
    request: &'r Request<'a>,
    file: Option<&'r PdfFile>,
    verdict: &'r Verdict,
    class: RetryClass,
    attempt: u32,
    deadline: Instant,
    stall: Duration,
}

/// A response, read in full.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Received<'a> {
    /// The operation.
    pub operation: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// The `X-Request-Id` header.
    pub header_request_id: Option<&'a str>,
    /// The `Retry-After` header, read.
    pub retry_after: Option<Duration>,
    /// The body.
    pub bytes: &'a [u8],
}

/// Turns a received response into the typed value or the matching error, and gives the
/// request id (bounded and scrubbed) for the event. Every text put into an error is bounded
/// and scrubbed by `redactor`.
pub(crate) fn read_response<T: DeserializeOwned>(
    received: Received<'_>,
    verdict: &Verdict,
    redactor: &Redactor,
) -> (Option<String>, Result<T, ClientError>) {
    let Received {
        operation,
        status,
        header_request_id,
        retry_after,
        bytes,
    } = received;
    let http_ok = (200..300).contains(&status);
    // A success body is parsed once, the verdict captured on the way. When that fails (a
    // vendor's error body often does not fit the model) or the HTTP status is an error, the
    // verdict is read by a skim that needs only JSON, and the parse error is kept for later.
    let mut parsed = None;
    let found = if http_ok {
        match verdict.parse::<T>(bytes) {
            Ok((value, found)) => {
                parsed = Some(Ok(value));
                Some(found)
            }
            Err(error) => {
                parsed = Some(Err(error));
                verdict.read(bytes).ok()
            }
        }
    } else {
        verdict.read(bytes).ok()
    };
    let request_id = found
        .as_ref()
        .and_then(|found| found.request_id.as_deref())
        .or(header_request_id)
        .map(|id| redactor.clean(id, MAX_REQUEST_ID_BYTES));
    let clean = |text: &str| redactor.clean(text, MAX_TEXT_BYTES);
    let api_error = |code: Option<&str>| {
        ClientError::Api(Box::new(ApiError {
            operation,
            status,
            code: code.map(|code| redactor.clean(code, MAX_REQUEST_ID_BYTES)),
            message: found
                .as_ref()
                .and_then(|found| found.message.as_deref())
                .map(clean),
            request_id: request_id.clone(),
            body_excerpt: redactor.excerpt(bytes),
            retry_after,
        }))
    };
    let outcome = match &found {
        None if !http_ok => Err(api_error(None)),
        None => Err(ClientError::Decode {
            operation,
            status,
            path: crate::JsonPath::default(),
            message: "the body is not JSON".into(),
            body_excerpt: redactor.excerpt(bytes),
        }),
        Some(found) => {
            if let Some(code) = &found.failing_code {
                Err(api_error(Some(code)))
            } else if status == 429 || status >= 500 || (!http_ok && !found.has_status) {
                // A documented success status with an error HTTP status (the cloud API answers
                // TASK_INPROGRESS with 400) is the vendor's verdict; without any status, the
                // HTTP status decides. 429 and 5xx always fail, so they can be retried.
                Err(api_error(None))
            } else {
                parsed
                    .unwrap_or_else(|| parse_json::<T>(bytes))
                    .map(|parsed| {
                        if !parsed.ignored.is_empty() {
                            tracing::debug!(
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
                        message: clean(&e.message),
                        // A JSON body that does not fit the model is a report: its start
                        // holds personal data, and the path says where it failed.
                        body_excerpt: String::new(),
                    })
            }
        }
    };
    (request_id, outcome)
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    const VERDICT: Verdict = Verdict {
        checks: &[StatusCheck {
            pointer: "/status",
            ok: &["OK", "TASK_INPROGRESS"],
        }],
        message: &["/reason"],
        request_id: &["/request_id"],
    };

    fn received<'a>(
        status: u16,
        header_request_id: Option<&'a str>,
        bytes: &'a [u8],
    ) -> Received<'a> {
        Received {
            operation: "op",
            status,
            header_request_id,
            retry_after: None,
            bytes,
        }
    }

    #[test]
    fn a_success_status_wins_over_an_error_http_status() {
        let body = br#"{"status":"TASK_INPROGRESS","request_id":"r"}"#;
        let (id, value) =
            read_response::<Value>(received(400, None, body), &VERDICT, &Redactor::default());
        assert_eq!(id.as_deref(), Some("r"));
        assert_eq!(
            value.expect("in progress is not an error")["status"],
            "TASK_INPROGRESS"
        );
    }

    #[test]
    fn the_request_id_header_is_used_when_the_body_has_none() {
        let (_, outcome) = read_response::<Value>(
            received(502, Some("hdr-1"), b"<html>bad gateway</html>"),
            &VERDICT,
            &Redactor::default(),
        );
        let error = outcome.expect_err("gateway error");
        let ClientError::Api(api) = error else {
            panic!("{error:?}")
        };
        assert_eq!(api.request_id.as_deref(), Some("hdr-1"));
        assert!(api.body_excerpt.contains("bad gateway"));
    }

    /// A model that knows the status but not the message or the request id.
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)] // `status` is read by deserialization only
    struct Typed {
        status: String,
        data: Option<Vec<u32>>,
    }

    #[test]
    fn a_typed_success_body_gives_its_verdict_in_one_pass() {
        let body = br#"{"status":"OK","data":[1,2],"reason":"fine","request_id":"r-1"}"#;
        let (id, value) =
            read_response::<Typed>(received(200, None, body), &VERDICT, &Redactor::default());
        assert_eq!(id.as_deref(), Some("r-1"));
        assert_eq!(value.expect("success").data, Some(vec![1, 2]));
        // A failing status in a body that fits the model: the captured code, message and id.
        let body = br#"{"status":"FAIL","reason":"quota","request_id":"r-2"}"#;
        let (id, outcome) =
            read_response::<Typed>(received(200, None, body), &VERDICT, &Redactor::default());
        assert_eq!(id.as_deref(), Some("r-2"));
        let error = outcome.expect_err("vendor error");
        let ClientError::Api(api) = error else {
            panic!("{error:?}")
        };
        assert_eq!(api.code.as_deref(), Some("FAIL"));
        assert_eq!(api.message.as_deref(), Some("quota"));
        assert_eq!(api.request_id.as_deref(), Some("r-2"));
        // A failing status in a body that does not fit: the skim still finds it.
        let body = br#"{"status":"FAIL","reason":"bad","request_id":"r-3"}"#;
        let (_, outcome) =
            read_response::<Vec<u8>>(received(200, None, body), &VERDICT, &Redactor::default());
        let error = outcome.expect_err("vendor error");
        let ClientError::Api(api) = error else {
            panic!("{error:?}")
        };
        assert_eq!(
            (api.code.as_deref(), api.message.as_deref()),
            (Some("FAIL"), Some("bad"))
        );
        // A success status in a body that does not fit: the parse error, with its path.
        let body = br#"{"status":"OK","data":["x"]}"#;
        let (_, outcome) =
            read_response::<Typed>(received(200, None, body), &VERDICT, &Redactor::default());
        let error = outcome.expect_err("does not fit");
        let ClientError::Decode { path, .. } = error else {
            panic!("{error:?}")
        };
        assert_eq!(path.to_string(), "data[0]");
    }

    #[test]
    fn long_values_are_cut_and_secrets_masked() {
        let huge = "x".repeat(10 * 1024 * 1024);
        let body =
            format!(r#"{{"status":"FAIL","reason":"key=SEKRIT {huge}","request_id":"SEKRIT"}}"#);
        let redactor = Redactor::new(["SEKRIT"]);
        let (_, outcome) =
            read_response::<Value>(received(200, None, body.as_bytes()), &VERDICT, &redactor);
        let error = outcome.expect_err("vendor error");
        let text = format!("{error} {error:?}");
        assert!(text.len() < 8 * 1024, "{}", text.len());
        assert!(!text.contains("SEKRIT"), "{text}");
        assert!(text.contains("bytes in all"), "{text}");
    }
}
