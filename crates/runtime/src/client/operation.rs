//! What a generated client knows about its channel and operations, and the requests it builds.
//!
//! A generated operation only *describes* its request: an [`OperationSpec`] (method, path,
//! body encoding, upload, retry class — generated from the endpoint description) plus typed
//! query and body values. Encoding them (serde, never hand-built string pairs), signing,
//! URL building and execution live here and in [`super::transport`].
//!
//! The same [`ChannelSpec`] tables drive `credkit mock`, so a limit changed in an endpoint
//! description changes the client and the mock together.

use std::path::Path;

use serde::Serialize;

use super::error::ClientError;
use super::verdict::Verdict;

/// The HTTP methods the generated clients use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
}

impl Method {
    /// `GET` / `POST`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }

    /// The reqwest method.
    pub fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
        }
    }
}

/// How a request body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// No body.
    None,
    /// `application/json`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
}

impl BodyEncoding {
    /// The media type, when there is a body.
    pub fn content_type(self) -> Option<&'static str> {
        match self {
            BodyEncoding::None => None,
            BodyEncoding::Json => Some("application/json"),
            BodyEncoding::Form => Some("application/x-www-form-urlencoded"),
            BodyEncoding::Multipart => Some("multipart/form-data"),
        }
    }
}

/// A PDF that an operation uploads (`x-credkit-upload`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadSpec {
    /// The body member or form part that carries the file.
    pub field: &'static str,
    /// The channel's limit for the file, in bytes; checked before any traffic.
    pub max_bytes: u64,
    /// Whether the file travels as base64 text (JSON and form bodies) rather than as a part.
    pub base64: bool,
}

impl UploadSpec {
    /// The most bytes a body carrying a file at the limit can have: base64 grows by 4/3,
    /// form-encoding may triple the padding and punctuation; 1 MiB of room for the rest.
    pub fn max_body_bytes(&self) -> u64 {
        let file = if self.base64 {
            // Every base64 character may need `%XX` in a form body.
            super::upload::base64_len(self.max_bytes).saturating_mul(3)
        } else {
            self.max_bytes
        };
        file.saturating_add(1024 * 1024)
    }
}

/// How failures of an operation are retried (`x-credkit-retry`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryClass {
    /// Idempotent and free (task result, Dianhua pulls): retried on 429, 5xx and every
    /// connection failure, including a connection closed or reset mid-response and a
    /// truncated body.
    Read,
    /// A paid call (an OCR upload) that the vendor may already have processed: retried only
    /// where the request cannot have been processed (the connection could not be made, or
    /// the vendor answered 429) unless the caller opts in.
    Paid,
}

/// What an operation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationKind {
    /// Sends a request and decodes the response.
    Send {
        /// How its failures are retried.
        retry: RetryClass,
    },
    /// Builds a URL for a browser (Dianhua's H5 page) on its own base URL; sends nothing.
    BrowserUrl {
        /// The documented base URL of the page.
        default_base_url: &'static str,
    },
}

/// One operation of a channel, as its endpoint description declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationSpec {
    /// The `operationId`: the method's name, used in errors, logs and spans.
    pub id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path below the base URL, starting with `/`.
    pub path: &'static str,
    /// How the body is encoded.
    pub body: BodyEncoding,
    /// The PDF it uploads, if any.
    pub upload: Option<UploadSpec>,
    /// Send or build a URL.
    pub kind: OperationKind,
}

impl OperationSpec {
    /// The retry class of an operation that sends a request.
    pub fn retry_class(&self) -> Option<RetryClass> {
        match self.kind {
            OperationKind::Send { retry } => Some(retry),
            OperationKind::BrowserUrl { .. } => None,
        }
    }
}

/// How a channel authenticates its requests (`x-credkit-signing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigningScheme {
    /// `X-DF-API-ID` / `X-DF-API-SECRET` headers ([`super::signing::DeepFinchHeaders`]).
    DeepFinchHeaders,
    /// Tencent marketplace HMAC-SHA1 ([`super::signing::TencentHmac`]).
    TencentHmac,
    /// JD marketplace `appkey`, `timestamp`, `sign` query ([`super::signing::JdMd5`]).
    JdMd5,
    /// Dianhua's `token` query parameter ([`super::signing::DianhuaToken`]).
    DianhuaToken,
}

/// A vendor channel: everything its endpoint description declares.
#[derive(Debug, Clone, Copy)]
pub struct ChannelSpec {
    /// The channel (`cloud`, `private`, `tencent`, `jd`, `carrier`).
    pub name: &'static str,
    /// The vendor (`deepfinch`, `dianhua`).
    pub vendor: &'static str,
    /// The documented base URL.
    pub default_base_url: &'static str,
    /// How requests are signed.
    pub signing: SigningScheme,
    /// Where responses carry the vendor's verdict.
    pub verdict: Verdict,
    /// The operations, in path order.
    pub operations: &'static [OperationSpec],
}

/// An encoded request body (apart from an uploaded file, which is streamed).
#[derive(Debug, Clone, Default, PartialEq)]
pub enum EncodedBody {
    /// No body, or only the uploaded file.
    #[default]
    None,
    /// A JSON document.
    Json(serde_json::Value),
    /// `application/x-www-form-urlencoded` text.
    Form(String),
    /// Text parts of a multipart form, in order.
    Parts(Vec<(String, String)>),
}

/// One call of an operation: its spec and its encoded inputs. Built by the generated code
/// from typed values:
///
/// ```ignore
/// Request::new(&operations::CALLS_RECORD).query(&CallsRecordQuery { sid })?
/// ```
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The operation.
    pub spec: &'static OperationSpec,
    /// The query string without the signer's parameters (`a=1&b=x`), or empty.
    pub query: String,
    /// The body.
    pub body: EncodedBody,
    /// The PDF to upload, when the operation has one.
    pub upload: Option<&'a Path>,
}

impl<'a> Request<'a> {
    /// A request with no inputs yet.
    pub fn new(spec: &'static OperationSpec) -> Self {
        Request {
            spec,
            query: String::new(),
            body: EncodedBody::None,
            upload: None,
        }
    }

    /// Encodes `query` (a struct of the operation's query parameters) as the query string.
    ///
    /// # Errors
    ///
    /// [`ClientError::InvalidArgument`] when the value cannot be encoded (a nested value where
    /// the query needs text).
    pub fn query<T: Serialize>(mut self, query: &T) -> Result<Self, ClientError> {
        self.query = serde_urlencoded::to_string(query)
            .map_err(|e| ClientError::InvalidArgument(format!("{}: query: {e}", self.spec.id)))?;
        Ok(self)
    }

    /// Encodes `body` (a struct of the body's properties, the upload excluded) the way the
    /// operation's spec says: JSON keeps integers and booleans as such; a form or multipart
    /// body carries each member as text (a string as it is, anything else as its JSON text).
    ///
    /// # Errors
    ///
    /// [`ClientError::InvalidArgument`] when the value cannot be encoded.
    pub fn body<T: Serialize>(mut self, body: &T) -> Result<Self, ClientError> {
        let invalid = |e: &dyn std::fmt::Display| {
            ClientError::InvalidArgument(format!("{}: body: {e}", self.spec.id))
        };
        self.body = match self.spec.body {
            BodyEncoding::None => EncodedBody::None,
            BodyEncoding::Json => {
                EncodedBody::Json(serde_json::to_value(body).map_err(|e| invalid(&e))?)
            }
            BodyEncoding::Form => {
                EncodedBody::Form(serde_urlencoded::to_string(body).map_err(|e| invalid(&e))?)
            }
            BodyEncoding::Multipart => {
                let value = serde_json::to_value(body).map_err(|e| invalid(&e))?;
                let serde_json::Value::Object(members) = value else {
                    return Err(invalid(&"a multipart body must be a struct"));
                };
                EncodedBody::Parts(
                    members
                        .into_iter()
                        .filter(|(_, v)| !v.is_null())
                        .map(|(k, v)| match v {
                            serde_json::Value::String(text) => (k, text),
                            other => (k, other.to_string()),
                        })
                        .collect(),
                )
            }
        };
        Ok(self)
    }

    /// The PDF to upload.
    pub fn upload(mut self, path: &'a Path) -> Self {
        self.upload = Some(path);
        self
    }
}

/// serde `serialize_with` for a query parameter that carries a JSON document (Dianhua's
/// `contactor`): the value's JSON text.
///
/// # Errors
///
/// The serializer's error when the value cannot be written as JSON.
pub fn as_json_text<T: Serialize, S: serde::Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let text = serde_json::to_string(value).map_err(serde::ser::Error::custom)?;
    serializer.serialize_str(&text)
}

/// [`as_json_text`] for an optional parameter (`None` is skipped by the generated struct).
///
/// # Errors
///
/// The serializer's error when the value cannot be written as JSON.
pub fn option_as_json_text<T: Serialize, S: serde::Serializer>(
    value: &Option<T>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => as_json_text(value, serializer),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: OperationSpec = OperationSpec {
        id: "op",
        method: Method::Post,
        path: "/x",
        body: BodyEncoding::Json,
        upload: None,
        kind: OperationKind::Send {
            retry: RetryClass::Read,
        },
    };

    #[derive(Serialize)]
    struct Body {
        count: i64,
        flag: bool,
        name: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        missing: Option<i64>,
    }

    const BODY: Body = Body {
        count: 3,
        flag: true,
        name: "a b",
        missing: None,
    };

    #[test]
    fn json_bodies_keep_integers_and_booleans() {
        let request = Request::new(&SPEC).body(&BODY).expect("encodes");
        assert_eq!(
            request.body,
            EncodedBody::Json(serde_json::json!({"count": 3, "flag": true, "name": "a b"}))
        );
    }

    #[test]
    fn forms_and_parts_carry_text() {
        const FORM: OperationSpec = OperationSpec {
            body: BodyEncoding::Form,
            ..SPEC
        };
        const PARTS: OperationSpec = OperationSpec {
            body: BodyEncoding::Multipart,
            ..SPEC
        };
        let form = Request::new(&FORM).body(&BODY).expect("encodes");
        assert_eq!(
            form.body,
            EncodedBody::Form("count=3&flag=true&name=a+b".into())
        );
        let parts = Request::new(&PARTS).body(&BODY).expect("encodes");
        let EncodedBody::Parts(mut parts) = parts.body else {
            panic!("parts")
        };
        parts.sort();
        assert_eq!(
            parts,
            vec![
                ("count".to_owned(), "3".to_owned()),
                ("flag".to_owned(), "true".to_owned()),
                ("name".to_owned(), "a b".to_owned())
            ]
        );
    }

    #[test]
    fn queries_are_encoded_by_serde() {
        #[derive(Serialize)]
        struct Query {
            sid: String,
            #[serde(serialize_with = "as_json_text")]
            contactor: serde_json::Value,
        }
        let request = Request::new(&SPEC)
            .query(&Query {
                sid: "S 1&".into(),
                contactor: serde_json::json!({"n": 1}),
            })
            .expect("encodes");
        assert_eq!(request.query, "sid=S+1%26&contactor=%7B%22n%22%3A1%7D");
    }

    #[test]
    fn upload_bodies_leave_room_for_encoding() {
        let upload = UploadSpec {
            field: "f",
            max_bytes: 3,
            base64: true,
        };
        assert_eq!(upload.max_body_bytes(), 12 + 1024 * 1024);
    }
}
