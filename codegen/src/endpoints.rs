//! The endpoint descriptions (`schemas/<vendor>/<channel>.openapi.json`) as typed Rust values.
//!
//! Only the OpenAPI 3.1 subset credkit generates from is accepted, with credkit's `x-credkit-*`
//! extensions; every struct rejects keys it does not know, so a misspelled extension
//! (`x-credkit-uplod`) stops `cargo xtask gen` with the file, the JSON pointer and the key
//! instead of silently changing the generated client. The meaning of each key is described in
//! `docs/endpoint-descriptions.md`.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::schema_set::escape_pointer;
use crate::CodegenError;

/// One endpoint description file, loaded and checked.
#[derive(Debug, Clone)]
pub struct EndpointFile {
    /// Path relative to `schemas/`: `deepfinch/jd.openapi.json`.
    pub rel_path: String,
    /// The vendor (first folder): names the client crate `crates/<vendor>-client`.
    pub vendor: String,
    /// The channel: the file name without `.openapi.json`; names the client module.
    pub channel: String,
    /// The typed document.
    pub doc: EndpointDoc,
}

impl EndpointFile {
    /// The Rust module of the channel inside its client crate (`-` → `_`).
    pub fn module(&self) -> String {
        self.channel.replace('-', "_")
    }

    /// Every operation with its path, method and JSON pointer, in path then method order.
    pub fn operations(&self) -> Vec<OperationRef<'_>> {
        let mut out = Vec::new();
        for (path, item) in &self.doc.paths {
            for (method, operation) in item.operations() {
                out.push(OperationRef {
                    path,
                    method,
                    pointer: format!("/paths/{}/{}", escape_pointer(path), method.as_str()),
                    operation,
                });
            }
        }
        out
    }
}

/// An operation and where it sits in its document.
#[derive(Debug, Clone)]
pub struct OperationRef<'a> {
    /// The path template, e.g. `/calls/record`.
    pub path: &'a str,
    /// The HTTP method.
    pub method: HttpMethod,
    /// The JSON pointer of the operation inside its file, for errors.
    pub pointer: String,
    /// The operation.
    pub operation: &'a Operation,
}

/// The document root.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointDoc {
    /// `3.1.x`.
    pub openapi: String,
    /// Title, docs and the client's Rust name.
    pub info: Info,
    /// `servers[0].url` is the channel's default base URL.
    pub servers: Vec<Server>,
    /// Where a response body carries the vendor's status, message and request id.
    #[serde(rename = "x-credkit-verdict")]
    pub verdict: VerdictSpec,
    /// Security requirements (documentation; the signer comes from `components`).
    #[serde(default)]
    pub security: Vec<BTreeMap<String, Vec<String>>>,
    /// The operations, by path.
    pub paths: BTreeMap<String, PathItem>,
    /// Pushed callbacks (documentation: their bodies are payload models).
    #[serde(default)]
    pub webhooks: BTreeMap<String, PathItem>,
    /// The security schemes.
    pub components: Components,
}

/// `info`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Info {
    /// The channel's title.
    pub title: String,
    /// The document version.
    pub version: String,
    /// The vendor's (Chinese) description.
    pub description: String,
    /// The English gloss.
    #[serde(rename = "x-credkit-gloss")]
    pub gloss: String,
    /// Document and section.
    #[serde(rename = "x-credkit-source")]
    pub source: String,
    /// The Rust name of the client type.
    #[serde(rename = "x-credkit-client")]
    pub client: String,
}

/// A server entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Server {
    /// The base URL.
    pub url: String,
    /// A note.
    #[serde(default)]
    pub description: Option<String>,
}

/// `x-credkit-verdict`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerdictSpec {
    /// Status tests.
    pub checks: Vec<StatusCheckSpec>,
    /// JSON pointers of the vendor's message, first match wins.
    pub message: Vec<String>,
    /// JSON pointers of the request id, first match wins.
    pub request_id: Vec<String>,
}

/// One status test of a verdict.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusCheckSpec {
    /// JSON pointer of the status.
    pub pointer: String,
    /// The values that mean success.
    pub ok: Vec<String>,
}

/// The HTTP methods credkit generates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HttpMethod {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
}

impl HttpMethod {
    /// `get` / `post`, as OpenAPI writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "get",
            HttpMethod::Post => "post",
        }
    }
}

/// The operations of one path.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathItem {
    /// `GET`.
    #[serde(default)]
    pub get: Option<Operation>,
    /// `POST`.
    #[serde(default)]
    pub post: Option<Operation>,
}

impl PathItem {
    /// The operations, `get` first.
    pub fn operations(&self) -> Vec<(HttpMethod, &Operation)> {
        let mut out = Vec::new();
        if let Some(op) = &self.get {
            out.push((HttpMethod::Get, op));
        }
        if let Some(op) = &self.post {
            out.push((HttpMethod::Post, op));
        }
        out
    }
}

/// What an operation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum OperationKind {
    /// Build a URL for a browser instead of sending a request (Dianhua's H5 page).
    #[serde(rename = "browser-url")]
    BrowserUrl,
}

/// The retry class of an operation (`x-credkit-retry`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum RetryClass {
    /// Reading is idempotent and free: retried on 429, 5xx and every connection failure.
    #[serde(rename = "read")]
    Read,
    /// A paid call that the vendor may already have processed: retried only where the
    /// request cannot have been processed (connect failure, 429) unless the caller opts in.
    #[serde(rename = "paid")]
    Paid,
}

/// One operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// Names the generated method (webhooks have none).
    #[serde(default, rename = "operationId")]
    pub operation_id: Option<String>,
    /// The vendor's (Chinese) summary.
    pub summary: String,
    /// The English gloss.
    #[serde(default, rename = "x-credkit-gloss")]
    pub gloss: Option<String>,
    /// Document and section.
    #[serde(rename = "x-credkit-source")]
    pub source: String,
    /// An operation served from its own base URL.
    #[serde(default)]
    pub servers: Vec<Server>,
    /// `browser-url`: build a URL, send nothing.
    #[serde(default, rename = "x-credkit-kind")]
    pub kind: Option<OperationKind>,
    /// How failures are retried (required for operations that send a request).
    #[serde(default, rename = "x-credkit-retry")]
    pub retry: Option<RetryClass>,
    /// Arguments of which at least one must be given.
    #[serde(default, rename = "x-credkit-one-required")]
    pub one_required: Vec<String>,
    /// Query parameters.
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    /// The body.
    #[serde(default, rename = "requestBody")]
    pub request_body: Option<RequestBodySpec>,
    /// Responses by status (`200`, `default`).
    pub responses: BTreeMap<String, Response>,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum ParameterLocation {
    /// The query string (the only location credkit generates).
    #[serde(rename = "query")]
    Query,
}

/// A parameter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    /// The wire name.
    pub name: String,
    /// Where it goes.
    #[serde(rename = "in")]
    pub location: ParameterLocation,
    /// Whether it must be given.
    #[serde(default)]
    pub required: bool,
    /// The vendor's (Chinese) description.
    pub description: String,
    /// The English gloss.
    #[serde(default, rename = "x-credkit-gloss")]
    pub gloss: Option<String>,
    /// A scalar parameter's schema.
    #[serde(default)]
    pub schema: Option<PropertySchema>,
    /// A parameter carrying a JSON document (`application/json` → a model `$ref`).
    #[serde(default)]
    pub content: Option<BTreeMap<String, MediaType>>,
}

impl Parameter {
    /// The parameter's schema, from `schema` or its `application/json` content.
    pub fn property_schema(&self) -> Option<&PropertySchema> {
        self.schema.as_ref().or_else(|| {
            self.content
                .as_ref()
                .and_then(|c| c.get("application/json"))
                .and_then(|m| m.schema.as_ref())
        })
    }

    /// Whether its value travels as JSON text.
    pub fn is_json(&self) -> bool {
        self.schema.is_none() && self.content.is_some()
    }
}

/// `requestBody`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestBodySpec {
    /// Whether a body must be sent.
    #[serde(default)]
    pub required: bool,
    /// A note.
    #[serde(default)]
    pub description: Option<String>,
    /// By media type; credkit generates exactly one.
    pub content: BTreeMap<String, MediaType>,
}

/// A media type entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MediaType {
    /// The schema of the content.
    #[serde(default)]
    pub schema: Option<PropertySchema>,
}

/// The schemas endpoint descriptions use: an object of scalar properties (a body), a scalar,
/// a `$ref` to a payload model, or a constant (a webhook answer).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PropertySchema {
    /// A payload model, relative to the endpoint file.
    #[serde(default, rename = "$ref")]
    pub reference: Option<String>,
    /// `object`, `string`, `integer`, `number` or `boolean`.
    #[serde(default, rename = "type")]
    pub schema_type: Option<String>,
    /// `binary` for a file part.
    #[serde(default)]
    pub format: Option<String>,
    /// `base64` for a file sent as base64 text.
    #[serde(default, rename = "contentEncoding")]
    pub content_encoding: Option<String>,
    /// A constant (the webhook answer `ok`).
    #[serde(default, rename = "const")]
    pub constant: Option<Value>,
    /// The vendor's (Chinese) description.
    #[serde(default)]
    pub description: Option<String>,
    /// The English gloss.
    #[serde(default, rename = "x-credkit-gloss")]
    pub gloss: Option<String>,
    /// Document and section.
    #[serde(default, rename = "x-credkit-source")]
    pub source: Option<String>,
    /// A PDF taken from a path and streamed.
    #[serde(default, rename = "x-credkit-upload")]
    pub upload: Option<UploadSpec>,
    /// Required properties of an object.
    #[serde(default)]
    pub required: Vec<String>,
    /// Properties of an object, by wire name.
    #[serde(default)]
    pub properties: BTreeMap<String, PropertySchema>,
}

/// `x-credkit-upload`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadSpec {
    /// The channel's size limit for the file.
    #[serde(rename = "max-bytes")]
    pub max_bytes: u64,
}

/// A response.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// What it is.
    pub description: String,
    /// By media type.
    #[serde(default)]
    pub content: Option<BTreeMap<String, MediaType>>,
}

impl Response {
    /// The `$ref` of its `application/json` schema.
    pub fn json_ref(&self) -> Option<&str> {
        self.content
            .as_ref()?
            .get("application/json")?
            .schema
            .as_ref()?
            .reference
            .as_deref()
    }
}

/// `components`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Components {
    /// By name.
    #[serde(rename = "securitySchemes")]
    pub security_schemes: BTreeMap<String, SecurityScheme>,
}

/// The signing schemes the runtime implements (`x-credkit-signing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Signing {
    /// `X-DF-API-ID` / `X-DF-API-SECRET` headers.
    #[serde(rename = "deepfinch-headers")]
    DeepFinchHeaders,
    /// Tencent marketplace HMAC-SHA1.
    #[serde(rename = "tencent-hmac")]
    TencentHmac,
    /// JD marketplace `sign = md5(secret + timestamp)`.
    #[serde(rename = "jd-md5")]
    JdMd5,
    /// Dianhua's `token` query parameter.
    #[serde(rename = "dianhua-token")]
    DianhuaToken,
}

impl Signing {
    /// The runtime's signer type (in `credkit_runtime::client::signing`).
    pub fn signer_type(self) -> &'static str {
        match self {
            Signing::DeepFinchHeaders => "DeepFinchHeaders",
            Signing::TencentHmac => "TencentHmac",
            Signing::JdMd5 => "JdMd5",
            Signing::DianhuaToken => "DianhuaToken",
        }
    }
}

/// A security scheme.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityScheme {
    /// `apiKey`.
    #[serde(rename = "type")]
    pub scheme_type: String,
    /// `header` or `query`.
    #[serde(rename = "in")]
    pub location: String,
    /// The header or parameter name.
    pub name: String,
    /// The vendor's description.
    pub description: String,
    /// The signer.
    #[serde(rename = "x-credkit-signing")]
    pub signing: Signing,
    /// Document and section.
    #[serde(rename = "x-credkit-source")]
    pub source: String,
}

/// Reads one endpoint description from its JSON value, checking it.
pub fn parse_endpoint(rel_path: &str, value: &Value) -> Result<EndpointFile, CodegenError> {
    let doc: EndpointDoc = serde_path_to_error::deserialize(value).map_err(|error| {
        CodegenError::schema(
            rel_path,
            &json_pointer(error.path()),
            error.inner().to_string(),
        )
    })?;
    let (vendor, name) = rel_path.split_once('/').ok_or_else(|| {
        CodegenError::schema(
            rel_path,
            "",
            "an endpoint description belongs in schemas/<vendor>/",
        )
    })?;
    let file = EndpointFile {
        rel_path: rel_path.to_owned(),
        vendor: vendor.to_owned(),
        channel: name.trim_end_matches(".openapi.json").to_owned(),
        doc,
    };
    check(&file)?;
    Ok(file)
}

/// A serde path as a JSON pointer.
fn json_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        out.push('/');
        match segment {
            Segment::Seq { index } => out.push_str(&index.to_string()),
            Segment::Map { key } => out.push_str(&escape_pointer(key)),
            Segment::Enum { variant } => out.push_str(&escape_pointer(variant)),
            Segment::Unknown => out.push('?'),
        }
    }
    out
}

/// The rules beyond the shape: what the generator relies on.
fn check(file: &EndpointFile) -> Result<(), CodegenError> {
    let err =
        |pointer: &str, message: String| CodegenError::schema(&file.rel_path, pointer, message);
    let doc = &file.doc;
    if !doc.openapi.starts_with("3.1") {
        return Err(err(
            "/openapi",
            format!("`{}`: write OpenAPI 3.1", doc.openapi),
        ));
    }
    if !crate::schema_set::is_pascal_ident(&doc.info.client) {
        return Err(err(
            "/info/x-credkit-client",
            format!("`{}` is not a PascalCase Rust type name", doc.info.client),
        ));
    }
    if doc.servers.is_empty() {
        return Err(err("/servers", "needs a server URL".into()));
    }
    let signers: Vec<_> = doc.components.security_schemes.values().collect();
    if signers.len() != 1 {
        return Err(err(
            "/components/securitySchemes",
            "exactly one security scheme is supported".into(),
        ));
    }
    let mut ids = std::collections::BTreeSet::new();
    for op in file.operations() {
        let pointer = op.pointer.as_str();
        let operation = op.operation;
        let id = operation
            .operation_id
            .as_deref()
            .ok_or_else(|| err(pointer, "needs an operationId".into()))?;
        if !is_snake_ident(id) {
            return Err(err(
                &format!("{pointer}/operationId"),
                format!("`{id}` is not a snake_case Rust method name"),
            ));
        }
        if !ids.insert(id) {
            return Err(err(
                &format!("{pointer}/operationId"),
                format!("`{id}` is used twice"),
            ));
        }
        match operation.kind {
            Some(OperationKind::BrowserUrl) => {
                if operation.servers.is_empty() {
                    return Err(err(pointer, "a browser URL needs its own `servers`".into()));
                }
                if operation.request_body.is_some() {
                    return Err(err(pointer, "a browser URL has no body".into()));
                }
            }
            None => {
                if operation.retry.is_none() {
                    return Err(err(
                        pointer,
                        "needs `x-credkit-retry`: `read` or `paid` (see docs/endpoint-descriptions.md)".into(),
                    ));
                }
                let ok = operation.responses.get("200").and_then(Response::json_ref);
                if ok.is_none() {
                    return Err(err(
                        &format!("{pointer}/responses"),
                        "the 200 response needs an application/json `$ref` to a model".into(),
                    ));
                }
            }
        }
        for (index, parameter) in operation.parameters.iter().enumerate() {
            let p = format!("{pointer}/parameters/{index}");
            if parameter.schema.is_some() == parameter.content.is_some() {
                return Err(err(&p, "give exactly one of `schema` and `content`".into()));
            }
            let schema = parameter.property_schema().ok_or_else(|| {
                err(
                    &p,
                    "`content` needs `application/json` with a schema".into(),
                )
            })?;
            check_scalar(schema).map_err(|m| err(&p, m))?;
        }
        for name in &operation.one_required {
            if !operation
                .parameters
                .iter()
                .any(|p| &p.name == name && !p.required)
            {
                return Err(err(
                    &format!("{pointer}/x-credkit-one-required"),
                    format!("`{name}` is not an optional parameter of this operation"),
                ));
            }
        }
        if let Some(body) = &operation.request_body {
            let p = format!("{pointer}/requestBody");
            let [(media, content)] = body.content.iter().collect::<Vec<_>>()[..] else {
                return Err(err(&p, "exactly one media type is supported".into()));
            };
            if ![
                "application/json",
                "application/x-www-form-urlencoded",
                "multipart/form-data",
            ]
            .contains(&media.as_str())
            {
                return Err(err(&p, format!("media type `{media}` is not supported")));
            }
            let schema = content
                .schema
                .as_ref()
                .filter(|s| s.schema_type.as_deref() == Some("object"))
                .ok_or_else(|| err(&p, "the body schema must be an object".into()))?;
            for name in &schema.required {
                if !schema.properties.contains_key(name) {
                    return Err(err(&p, format!("required `{name}` is not a property")));
                }
            }
            let mut uploads = 0;
            for (name, property) in &schema.properties {
                let pp = format!(
                    "{p}/content/{}/schema/properties/{}",
                    escape_pointer(media),
                    escape_pointer(name)
                );
                for (keyword, present) in [
                    ("description", property.description.is_some()),
                    ("x-credkit-gloss", property.gloss.is_some()),
                    ("x-credkit-source", property.source.is_some()),
                ] {
                    if !present {
                        return Err(err(&pp, format!("property `{name}` needs `{keyword}`")));
                    }
                }
                check_scalar(property).map_err(|m| err(&pp, m))?;
                if property.upload.is_some() {
                    uploads += 1;
                    if property.schema_type.as_deref() != Some("string") {
                        return Err(err(&pp, "an upload is a string property".into()));
                    }
                }
            }
            if uploads > 1 {
                return Err(err(&p, "at most one upload per body".into()));
            }
            if uploads == 1 && media != "multipart/form-data" && schema.properties.len() > 1 {
                return Err(err(
                    &p,
                    "a base64 upload in a JSON or form body must be the only property".into(),
                ));
            }
        }
    }
    Ok(())
}

/// A parameter or body property: a scalar type or a `$ref` to a model.
fn check_scalar(schema: &PropertySchema) -> Result<(), String> {
    match (&schema.reference, schema.schema_type.as_deref()) {
        (Some(_), None) => Ok(()),
        (None, Some("string" | "integer" | "number" | "boolean")) => Ok(()),
        (None, other) => Err(format!("type {other:?} is not supported here (string, integer, number, boolean or a model `$ref`)")),
        (Some(_), Some(_)) => Err("give `$ref` or `type`, not both".into()),
    }
}

/// Whether `name` is a snake_case Rust identifier.
fn is_snake_ident(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && typify::accept_as_ident(name)
}
