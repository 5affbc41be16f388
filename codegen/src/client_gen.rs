//! Generating client code from the OpenAPI 3.1 endpoint descriptions
//! (`schemas/<vendor>/<channel>.openapi.json`).
//!
//! The supported subset, and credkit's extensions:
//!
//! * `info.x-credkit-client`: the Rust name of the client type;
//! * `servers[0].url`: the default base URL (an operation's own `servers` gives it a base URL
//!   of its own, configurable separately);
//! * `components.securitySchemes.*.x-credkit-signing`: the signer the client takes
//!   (`deepfinch-headers`, `tencent-hmac`, `jd-md5`, `dianhua-token`);
//! * `x-credkit-verdict`: where a response body carries its status, message and request id;
//! * operations: `operationId` names the method; query parameters, a JSON, form or multipart
//!   body whose properties become arguments; a property with `x-credkit-upload` (`max-bytes`)
//!   is a PDF taken from a path and streamed (base64 when `contentEncoding` is `base64`);
//!   `x-credkit-kind: browser-url` builds a URL instead of sending a request;
//!   `x-credkit-one-required` lists parameters of which at least one must be given;
//! * the `200` response's `$ref` names the model returned.
//!
//! `webhooks` are documentation here: the callbacks they describe are parsed by the models.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::layout::{GeneratedFile, SKIP_RUSTFMT};
use crate::schema_set::SchemaSet;
use crate::{CodegenError, GENERATED_HEADER};

/// One endpoint description file.
#[derive(Debug, Clone)]
pub struct EndpointFile {
    /// Path relative to `schemas/`.
    pub rel_path: String,
    /// The vendor (first folder).
    pub vendor: String,
    /// The channel: the file name without `.openapi.json`.
    pub channel: String,
    /// The parsed document.
    pub value: Value,
}

/// Loads every `*.openapi.json` below `schemas_dir`, ordered by path.
pub fn load_endpoints(schemas_dir: &Path) -> Result<Vec<EndpointFile>, CodegenError> {
    let mut out = Vec::new();
    let mut vendors: Vec<PathBuf> = std::fs::read_dir(schemas_dir)
        .map_err(|source| CodegenError::Io {
            path: schemas_dir.to_owned(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    vendors.sort();
    for vendor_dir in vendors {
        let vendor = vendor_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&vendor_dir)
            .map_err(|source| CodegenError::Io {
                path: vendor_dir.clone(),
                source,
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| crate::schema_set::is_endpoint_description(p))
            .collect();
        files.sort();
        for path in files {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let channel = name.trim_end_matches(".openapi.json").to_owned();
            let text = std::fs::read_to_string(&path).map_err(|source| CodegenError::Io {
                path: path.clone(),
                source,
            })?;
            let value = serde_json::from_str(&text).map_err(|source| CodegenError::Json {
                path: path.clone(),
                source,
            })?;
            out.push(EndpointFile {
                rel_path: format!("{vendor}/{name}"),
                vendor: vendor.clone(),
                channel,
                value,
            });
        }
    }
    Ok(out)
}

/// The folder of a vendor's client crate, relative to the workspace root.
pub fn client_crate_dir(vendor: &str) -> PathBuf {
    PathBuf::from("crates").join(format!("{vendor}-client"))
}

/// Generates `src/generated/<channel>.rs` and `src/generated/mod.rs` of every client crate.
pub fn generate_clients(
    set: &SchemaSet,
    endpoints: &[EndpointFile],
) -> Result<Vec<GeneratedFile>, CodegenError> {
    let mut by_vendor: BTreeMap<&str, Vec<&EndpointFile>> = BTreeMap::new();
    for file in endpoints {
        by_vendor.entry(&file.vendor).or_default().push(file);
    }
    let mut out = Vec::new();
    for (vendor, files) in by_vendor {
        let dir = client_crate_dir(vendor).join("src").join("generated");
        let mut modules = Vec::new();
        for file in files {
            let module = file.channel.replace('-', "_");
            let tokens = ClientGen { set, file }.generate()?;
            out.push(GeneratedFile {
                path: dir.join(format!("{module}.rs")),
                contents: print(file, tokens, &module_doc(file))?,
            });
            modules.push(format_ident!("{}", module));
        }
        let doc = format!("Clients generated from `schemas/{vendor}/*.openapi.json`.");
        let tokens = quote! { #(pub mod #modules;)* };
        let syntax: syn::File =
            syn::parse2(tokens).map_err(|e| gen_error(vendor, format!("{e}")))?;
        out.push(GeneratedFile {
            path: dir.join("mod.rs"),
            contents: format!(
                "{GENERATED_HEADER}\n//! {doc}\n{SKIP_RUSTFMT}\n\n{}",
                prettyplease::unparse(&syntax)
            ),
        });
    }
    Ok(out)
}

fn gen_error(what: &str, message: String) -> CodegenError {
    CodegenError::Generate {
        model: what.to_owned(),
        message,
    }
}

fn print(file: &EndpointFile, tokens: TokenStream, doc: &str) -> Result<String, CodegenError> {
    let syntax: syn::File = syn::parse2(tokens).map_err(|e| {
        gen_error(
            &file.rel_path,
            format!("generated client does not parse: {e}"),
        )
    })?;
    Ok(format!(
        "{GENERATED_HEADER}\n{doc}{SKIP_RUSTFMT}\n\n{}",
        prettyplease::unparse(&syntax)
    ))
}

fn module_doc(file: &EndpointFile) -> String {
    let info = &file.value["info"];
    let mut lines = vec![
        format!(
            "{} (`{}`).",
            info["title"].as_str().unwrap_or_default(),
            file.rel_path
        ),
        String::new(),
    ];
    for key in ["description", "x-credkit-gloss"] {
        if let Some(text) = info[key].as_str() {
            lines.push(text.to_owned());
            lines.push(String::new());
        }
    }
    if let Some(source) = info["x-credkit-source"].as_str() {
        lines.push(format!("Source: {source}"));
    }
    crate::layout::inner_doc(&lines)
}

fn doc_lines(parts: &[Option<&str>]) -> Vec<String> {
    let mut lines = Vec::new();
    for part in parts.iter().flatten() {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(part.lines().map(|l| format!(" {l}")));
    }
    lines
}

/// An argument of a generated method.
struct Arg {
    wire: String,
    ident: syn::Ident,
    required: bool,
    kind: ArgKind,
    doc: Option<String>,
}

enum ArgKind {
    Text,
    Integer,
    /// A model serialised as JSON text (the Dianhua `contactor`).
    JsonModel(syn::Path),
    /// A PDF from a path, with the channel's size limit and whether it travels as base64.
    Upload {
        max_bytes: u64,
        base64: bool,
    },
}

struct ClientGen<'a> {
    set: &'a SchemaSet,
    file: &'a EndpointFile,
}

impl ClientGen<'_> {
    fn error(&self, pointer: &str, message: impl Into<String>) -> CodegenError {
        CodegenError::schema(&self.file.rel_path, pointer, message)
    }

    /// The Rust path of the model a `$ref` (relative to the endpoint file) names.
    fn model_path(&self, reference: &str, pointer: &str) -> Result<syn::Path, CodegenError> {
        let rel = format!("{}/{}", self.file.vendor, reference);
        let model = self
            .set
            .get(&rel)
            .ok_or_else(|| self.error(pointer, format!("`{reference}`: no schema {rel}")))?;
        let title = model
            .title()
            .ok_or_else(|| self.error(pointer, format!("`{reference}` has no title")))?;
        let path =
            model
                .rust_path(title)
                .replacen("crate", &format!("::{}_models", model.vendor), 1);
        syn::parse_str(&path).map_err(|e| self.error(pointer, format!("{e}")))
    }

    fn generate(&self) -> Result<TokenStream, CodegenError> {
        let doc = &self.file.value;
        let info = &doc["info"];
        let client_name = info["x-credkit-client"]
            .as_str()
            .ok_or_else(|| self.error("/info", "needs `x-credkit-client`"))?;
        let client = format_ident!("{}", client_name);
        let base_url = doc["servers"][0]["url"]
            .as_str()
            .ok_or_else(|| self.error("/servers", "needs a server URL"))?;
        let signer = self.signer()?;
        let verdict = self.verdict()?;
        let type_doc = doc_lines(&[
            info["description"].as_str(),
            info["x-credkit-gloss"].as_str(),
        ]);

        let mut methods = Vec::new();
        let mut extra_fields = Vec::new();
        let mut extra_inits = Vec::new();
        let mut extra_setters = Vec::new();
        let mut extra_items = Vec::new();
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            for (method, operation) in item.as_object().into_iter().flatten() {
                let pointer = format!(
                    "/paths/{}/{method}",
                    crate::schema_set::escape_pointer(path)
                );
                if operation["x-credkit-kind"] == "browser-url" {
                    let [method_tokens, field, init, setter, constant] =
                        self.browser_url(path, operation, &pointer)?;
                    methods.push(method_tokens);
                    extra_fields.push(field);
                    extra_inits.push(init);
                    extra_setters.push(setter);
                    extra_items.push(constant);
                } else {
                    methods.push(self.operation(path, method, operation, &pointer)?);
                }
            }
        }
        let client_doc_note = format!(" Default base URL: `{base_url}`.");
        Ok(quote! {
            use ::std::sync::Arc;
            use ::credkit_runtime::client::error::ClientError;
            use ::credkit_runtime::client::signing;
            use ::credkit_runtime::client::transport::{ClientConfig, Request, RequestBody, StatusCheck, Transport, Verdict};

            /// The base URL the vendor documents for this channel.
            pub const DEFAULT_BASE_URL: &str = #base_url;

            /// Where this channel's response bodies carry the vendor's status, message and
            /// request id.
            pub const VERDICT: Verdict = #verdict;

            #(#extra_items)*

            #(#[doc = #type_doc])*
            #[doc = ""]
            #[doc = #client_doc_note]
            #[derive(Debug, Clone)]
            pub struct #client {
                transport: Transport,
                #(#extra_fields)*
            }

            impl #client {
                /// A client for `config` (see [`DEFAULT_BASE_URL`]) that signs every request with `signer`.
                pub fn new(config: ClientConfig, signer: #signer) -> ::std::result::Result<Self, ClientError> {
                    Ok(Self { transport: Transport::new(config, Arc::new(signer))?, #(#extra_inits)* })
                }

                /// The transport, with its configuration.
                pub fn transport(&self) -> &Transport {
                    &self.transport
                }

                #(#extra_setters)*
                #(#methods)*
            }
        })
    }

    fn signer(&self) -> Result<TokenStream, CodegenError> {
        let schemes = self.file.value["components"]["securitySchemes"]
            .as_object()
            .ok_or_else(|| self.error("/components", "needs securitySchemes"))?;
        let kinds: Vec<&str> = schemes
            .values()
            .filter_map(|s| s["x-credkit-signing"].as_str())
            .collect();
        let [kind] = kinds.as_slice() else {
            return Err(self.error(
                "/components/securitySchemes",
                "exactly one scheme with `x-credkit-signing` is supported",
            ));
        };
        Ok(match *kind {
            "deepfinch-headers" => quote!(signing::DeepFinchHeaders),
            "tencent-hmac" => quote!(signing::TencentHmac),
            "jd-md5" => quote!(signing::JdMd5),
            "dianhua-token" => quote!(signing::DianhuaToken),
            other => {
                return Err(self.error(
                    "/components/securitySchemes",
                    format!("unknown signing `{other}`"),
                ))
            }
        })
    }

    fn verdict(&self) -> Result<TokenStream, CodegenError> {
        let verdict = &self.file.value["x-credkit-verdict"];
        if !verdict.is_object() {
            return Err(self.error("", "needs `x-credkit-verdict`"));
        }
        let strings = |key: &str| -> Vec<String> {
            verdict[key]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        };
        let checks: Vec<TokenStream> = verdict["checks"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|check| {
                let pointer = check["pointer"].as_str().unwrap_or_default();
                let ok: Vec<&str> = check["ok"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                quote!(StatusCheck { pointer: #pointer, ok: &[#(#ok),*] })
            })
            .collect();
        let message = strings("message");
        let request_id = strings("request_id");
        Ok(
            quote!(Verdict { checks: &[#(#checks),*], message: &[#(#message),*], request_id: &[#(#request_id),*] }),
        )
    }

    fn property_arg(
        &self,
        name: &str,
        schema: &Value,
        required: bool,
        pointer: &str,
    ) -> Result<Arg, CodegenError> {
        let kind = if let Some(upload) = schema.get("x-credkit-upload") {
            let max_bytes = upload["max-bytes"]
                .as_u64()
                .ok_or_else(|| self.error(pointer, "`x-credkit-upload` needs `max-bytes`"))?;
            ArgKind::Upload {
                max_bytes,
                base64: schema["contentEncoding"] == "base64",
            }
        } else if let Some(reference) = schema["$ref"].as_str() {
            ArgKind::JsonModel(self.model_path(reference, pointer)?)
        } else {
            match schema["type"].as_str() {
                Some("string") => ArgKind::Text,
                Some("integer") => ArgKind::Integer,
                other => {
                    return Err(self.error(
                        pointer,
                        format!("argument `{name}` of type {other:?} is not supported"),
                    ))
                }
            }
        };
        let doc =
            schema["description"]
                .as_str()
                .map(|d| match schema["x-credkit-gloss"].as_str() {
                    Some(gloss) => format!("{d} ({gloss})"),
                    None => d.to_owned(),
                });
        Ok(Arg {
            wire: name.to_owned(),
            ident: format_ident!("{}", name.replace('-', "_")),
            required,
            kind,
            doc,
        })
    }

    fn parameters(&self, operation: &Value, pointer: &str) -> Result<Vec<Arg>, CodegenError> {
        let mut args = Vec::new();
        for (index, parameter) in operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let p = format!("{pointer}/parameters/{index}");
            if parameter["in"] != "query" {
                return Err(self.error(&p, "only query parameters are supported"));
            }
            let name = parameter["name"]
                .as_str()
                .ok_or_else(|| self.error(&p, "a parameter needs a name"))?;
            let schema = if parameter["schema"].is_object() {
                parameter["schema"].clone()
            } else {
                parameter["content"]["application/json"]["schema"].clone()
            };
            let mut schema = schema;
            if let (Some(object), Some(description)) =
                (schema.as_object_mut(), parameter["description"].as_str())
            {
                object
                    .entry("description")
                    .or_insert_with(|| description.into());
            }
            args.push(self.property_arg(name, &schema, parameter["required"] == true, &p)?);
        }
        Ok(args)
    }

    fn signature_params(args: &[Arg]) -> Vec<TokenStream> {
        args.iter()
            .map(|arg| {
                let ident = &arg.ident;
                let ty = match &arg.kind {
                    ArgKind::Text => quote!(&str),
                    ArgKind::Integer => quote!(i64),
                    ArgKind::JsonModel(path) => quote!(&#path),
                    ArgKind::Upload { .. } => quote!(&::std::path::Path),
                };
                if arg.required || matches!(arg.kind, ArgKind::Upload { .. }) {
                    quote!(#ident: #ty)
                } else {
                    quote!(#ident: ::std::option::Option<#ty>)
                }
            })
            .collect()
    }

    fn args_doc(args: &[Arg]) -> Vec<String> {
        let mut lines = Vec::new();
        if !args.is_empty() {
            lines.push(String::new());
            lines.push(" Arguments:".to_owned());
            for arg in args {
                let limit = match arg.kind {
                    ArgKind::Upload { max_bytes, base64 } => format!(
                        " A PDF file of at most {max_bytes} bytes, checked before sending and streamed{}.",
                        if base64 { " as base64" } else { "" }
                    ),
                    _ => String::new(),
                };
                lines.push(format!(
                    " * `{}` (`{}`): {}{limit}",
                    arg.ident,
                    arg.wire,
                    arg.doc.as_deref().unwrap_or("")
                ));
            }
        }
        lines
    }

    /// Statements that push optional/required text arguments into `pairs` as (wire, text).
    fn text_pairs(args: &[Arg]) -> Result<Vec<TokenStream>, CodegenError> {
        let mut out = Vec::new();
        for arg in args {
            let ident = &arg.ident;
            let wire = &arg.wire;
            let to_text = match &arg.kind {
                ArgKind::Text => quote!(value.to_owned()),
                ArgKind::Integer => quote!(value.to_string()),
                ArgKind::JsonModel(_) => quote!(::serde_json::to_string(value)
                    .map_err(|e| ClientError::InvalidArgument(format!("{}: {e}", #wire)))?),
                ArgKind::Upload { .. } => continue,
            };
            out.push(if arg.required {
                quote! { { let value = #ident; pairs.push((#wire.to_owned(), #to_text)); } }
            } else {
                quote! { if let Some(value) = #ident { pairs.push((#wire.to_owned(), #to_text)); } }
            });
        }
        Ok(out)
    }

    fn operation(
        &self,
        path: &str,
        method: &str,
        operation: &Value,
        pointer: &str,
    ) -> Result<TokenStream, CodegenError> {
        let operation_id = operation["operationId"]
            .as_str()
            .ok_or_else(|| self.error(pointer, "needs an operationId"))?;
        let ident = format_ident!("{}", operation_id);
        let http_method = match method {
            "get" => quote!(::reqwest::Method::GET),
            "post" => quote!(::reqwest::Method::POST),
            other => return Err(self.error(pointer, format!("method `{other}` is not supported"))),
        };
        let response_ref = operation["responses"]["200"]["content"]["application/json"]["schema"]
            ["$ref"]
            .as_str()
            .ok_or_else(|| {
                self.error(
                    pointer,
                    "the 200 response needs an application/json `$ref` to a model",
                )
            })?;
        let response = self.model_path(response_ref, pointer)?;

        let query_args = self.parameters(operation, pointer)?;
        let (content_type, body_schema) = match operation["requestBody"]["content"].as_object() {
            Some(content) => {
                let (kind, media) = content
                    .iter()
                    .next()
                    .ok_or_else(|| self.error(pointer, "empty requestBody"))?;
                (Some(kind.clone()), media["schema"].clone())
            }
            None => (None, Value::Null),
        };
        let required: Vec<&str> = body_schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut body_args = Vec::new();
        for (name, schema) in body_schema["properties"].as_object().into_iter().flatten() {
            body_args.push(self.property_arg(
                name,
                schema,
                required.contains(&name.as_str()),
                &format!("{pointer}/requestBody"),
            )?);
        }
        let query_pairs = Self::text_pairs(&query_args)?;
        let body_pairs = Self::text_pairs(&body_args)?;
        let upload = body_args
            .iter()
            .find(|a| matches!(a.kind, ArgKind::Upload { .. }));
        let open_upload = match upload {
            Some(Arg {
                ident,
                kind: ArgKind::Upload { max_bytes, .. },
                ..
            }) => {
                quote! { let file = ::credkit_runtime::client::upload::PdfFile::open(#ident, #max_bytes).await?; }
            }
            _ => quote!(),
        };
        let body = match (content_type.as_deref(), upload) {
            (None, _) => quote!(RequestBody::Empty),
            (Some("application/json"), None) => quote! {
                { let mut pairs: Vec<(String, String)> = Vec::new(); #(#body_pairs)*
                  RequestBody::Json(::serde_json::Value::Object(pairs.into_iter().map(|(k, v)| (k, ::serde_json::Value::String(v))).collect())) }
            },
            (Some("application/json"), Some(arg)) if body_args.len() == 1 => {
                let wire = &arg.wire;
                quote!(RequestBody::JsonBase64 { file, field: #wire.to_owned() })
            }
            (Some("application/x-www-form-urlencoded"), Some(arg)) if body_args.len() == 1 => {
                let wire = &arg.wire;
                quote!(RequestBody::FormBase64 { file, field: #wire.to_owned() })
            }
            (Some("multipart/form-data"), Some(arg)) => {
                let wire = &arg.wire;
                let body_mut = if body_pairs.is_empty() {
                    quote!()
                } else {
                    quote!(mut)
                };
                quote! {
                    { let #body_mut pairs: Vec<(String, String)> = Vec::new(); #(#body_pairs)*
                      RequestBody::Multipart { file, file_field: #wire.to_owned(), fields: pairs } }
                }
            }
            (Some(other), _) => {
                return Err(self.error(
                    pointer,
                    format!("request body `{other}` with these properties is not supported"),
                ))
            }
        };
        let query_mut = if query_pairs.is_empty() {
            quote!()
        } else {
            quote!(mut)
        };
        let mut all_args: Vec<Arg> = query_args;
        all_args.extend(body_args);
        // The file first, then required arguments, then optional ones, each in document order.
        all_args.sort_by_key(|arg| (!matches!(arg.kind, ArgKind::Upload { .. }), !arg.required));
        let params = Self::signature_params(&all_args);
        let mut docs = doc_lines(&[
            operation["summary"].as_str(),
            operation["x-credkit-gloss"].as_str(),
        ]);
        docs.push(String::new());
        docs.push(format!(
            " `{} {path}`; returns [`{}`].",
            method.to_uppercase(),
            quote!(#response).to_string().replace(' ', "")
        ));
        docs.extend(Self::args_doc(&all_args));
        if let Some(source) = operation["x-credkit-source"].as_str() {
            docs.push(String::new());
            docs.push(format!(" Source: {source}"));
        }
        Ok(quote! {
            #(#[doc = #docs])*
            pub async fn #ident(&self, #(#params),*) -> ::std::result::Result<#response, ClientError> {
                #open_upload
                let #query_mut pairs: Vec<(String, String)> = Vec::new();
                #(#query_pairs)*
                let request = Request {
                    operation: #operation_id,
                    method: #http_method,
                    path: #path.to_owned(),
                    query: pairs,
                    body: #body,
                };
                self.transport.execute(&request, &VERDICT).await
            }
        })
    }

    fn browser_url(
        &self,
        path: &str,
        operation: &Value,
        pointer: &str,
    ) -> Result<[TokenStream; 5], CodegenError> {
        let operation_id = operation["operationId"]
            .as_str()
            .ok_or_else(|| self.error(pointer, "needs an operationId"))?;
        let ident = format_ident!("{}", operation_id);
        let field = format_ident!("{}_base_url", operation_id);
        let setter = format_ident!("with_{}_base_url", operation_id);
        let default_const = format_ident!("DEFAULT_{}_BASE_URL", operation_id.to_uppercase());
        let base = operation["servers"][0]["url"]
            .as_str()
            .ok_or_else(|| self.error(pointer, "a browser URL needs its own `servers`"))?;
        let args = self.parameters(operation, pointer)?;
        let params = Self::signature_params(&args);
        let pairs = Self::text_pairs(&args)?;
        let one_of: Vec<&str> = operation["x-credkit-one-required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let one_of_idents: Vec<syn::Ident> =
            one_of.iter().map(|n| format_ident!("{}", n)).collect();
        let one_of_check = if one_of.is_empty() {
            quote!()
        } else {
            let message = format!(
                "{operation_id} needs at least one of: {}",
                one_of.join(", ")
            );
            quote! {
                if #(#one_of_idents.is_none())&&* {
                    return Err(ClientError::InvalidArgument(#message.to_owned()));
                }
            }
        };
        let mut docs = doc_lines(&[
            operation["summary"].as_str(),
            operation["x-credkit-gloss"].as_str(),
        ]);
        docs.push(String::new());
        docs.push(format!(" Built on [`{default_const}`] unless changed with [`Self::{setter}`]; the URL carries the credential, so treat it as a secret."));
        docs.extend(Self::args_doc(&args));
        if let Some(source) = operation["x-credkit-source"].as_str() {
            docs.push(String::new());
            docs.push(format!(" Source: {source}"));
        }
        let setter_doc =
            format!(" Changes the base URL of [`Self::{ident}`] (default [`{default_const}`]).");
        let const_doc = format!(
            " The documented base URL of [`{}::{ident}`].",
            self.file.value["info"]["x-credkit-client"]
                .as_str()
                .unwrap_or_default()
        );
        let method = quote! {
            #(#[doc = #docs])*
            pub fn #ident(&self, #(#params),*) -> ::std::result::Result<String, ClientError> {
                #one_of_check
                let mut pairs: Vec<(String, String)> = Vec::new();
                #(#pairs)*
                let signature = self.transport.signer().sign(self.transport.config().clock.now())?;
                let mut url = ::url::Url::parse(&format!("{}{}", self.#field.trim_end_matches('/'), #path))
                    .map_err(|e| ClientError::Config(format!("{} base URL: {e}", #operation_id)))?;
                {
                    let mut query = url.query_pairs_mut();
                    for param in &signature.query {
                        query.append_pair(&param.name, &param.value);
                    }
                    for (name, value) in &pairs {
                        query.append_pair(name, value);
                    }
                }
                Ok(url.to_string())
            }
        };
        let field_tokens = quote!(#field: String,);
        let init = quote!(#field: #default_const.to_owned(),);
        let setter_tokens = quote! {
            #[doc = #setter_doc]
            pub fn #setter(mut self, base_url: impl Into<String>) -> Self {
                self.#field = base_url.into();
                self
            }
        };
        let constant = quote! {
            #[doc = #const_doc]
            pub const #default_const: &str = #base;
        };
        Ok([method, field_tokens, init, setter_tokens, constant])
    }
}
