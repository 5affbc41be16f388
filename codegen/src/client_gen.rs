//! Client code from the typed endpoint descriptions (`schemas/<vendor>/<channel>.openapi.json`,
//! see [`crate::endpoints`] and `docs/endpoint-descriptions.md`).
//!
//! Per channel, one module of `crates/<vendor>-client/src/generated/`:
//!
//! * `DEFAULT_BASE_URL`, `VERDICT`, the operation table `operations::*` and `CHANNEL` — what the
//!   endpoint description declares, as `credkit_runtime::client::operation` values (the mock
//!   serves its routes from the same table);
//! * per operation, typed inputs: `<Op>Query` (query parameters) and `<Op>Body` (body
//!   properties other than the uploaded file), serialised by serde in the runtime;
//! * the client: an operation whose inputs are all required is one method taking them; an
//!   operation with optional inputs returns a builder (`client.auth_url().uid("u1").build()`),
//!   so adding an optional input later does not break callers.
//!
//! A generated operation only describes the request; encoding, signing, URL building and
//! execution live in `credkit-runtime`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use heck::{ToPascalCase, ToShoutySnakeCase, ToSnakeCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::endpoints::{
    EndpointFile, HttpMethod, OperationKind, OperationRef, Parameter, PropertySchema, RetryClass,
    Signing,
};
use crate::output::{inner_doc, print, rust_file, GeneratedFile};
use crate::workspace::Workspace;
use crate::CodegenError;

/// The folder of a vendor's client crate, relative to the workspace root.
pub fn client_crate_dir(vendor: &str) -> PathBuf {
    PathBuf::from("crates").join(format!("{vendor}-client"))
}

/// `src/generated/<channel>.rs` and `src/generated/mod.rs` of every client crate.
pub fn client_files(ws: &Workspace) -> Result<Vec<GeneratedFile>, CodegenError> {
    let mut by_vendor: BTreeMap<&str, Vec<&EndpointFile>> = BTreeMap::new();
    for file in ws.endpoints() {
        by_vendor.entry(&file.vendor).or_default().push(file);
    }
    let mut out = Vec::new();
    for (vendor, files) in by_vendor {
        let dir = client_crate_dir(vendor).join("src").join("generated");
        let mut modules = Vec::new();
        for file in files {
            let module = file.module();
            let tokens = ChannelGen { ws, file }.generate()?;
            out.push(GeneratedFile {
                path: dir.join(format!("{module}.rs")),
                contents: rust_file(&module_doc(file), "", &print(tokens, &file.rel_path)?),
            });
            modules.push(format_ident!("{}", module));
        }
        let doc = vec![format!(
            "Clients generated from `schemas/{vendor}/*.openapi.json`."
        )];
        out.push(GeneratedFile {
            path: dir.join("mod.rs"),
            contents: rust_file(
                &inner_doc(&doc),
                "",
                &print(quote! { #(pub mod #modules;)* }, vendor)?,
            ),
        });
    }
    Ok(out)
}

fn module_doc(file: &EndpointFile) -> String {
    let info = &file.doc.info;
    let lines = vec![
        format!("{} (`{}`).", info.title, file.rel_path),
        String::new(),
        info.description.clone(),
        String::new(),
        info.gloss.clone(),
        String::new(),
        format!("Source: {}", info.source),
    ];
    inner_doc(&lines)
}

/// `///` lines (each with a leading space) for the non-empty parts, a blank line between.
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

/// The Rust type of an input.
enum InputType {
    Text,
    Integer,
    Number,
    Boolean,
    /// A payload model, sent as its JSON (text in a query).
    Model(syn::Path),
}

/// One input of an operation: a query parameter or a body property.
struct Input {
    wire: String,
    ident: syn::Ident,
    required: bool,
    ty: InputType,
    doc: String,
}

impl Input {
    /// The field in the query or body struct.
    fn field(&self, in_query: bool) -> TokenStream {
        let ident = &self.ident;
        let wire = &self.wire;
        let doc = format!(" {}", self.doc);
        let ty = self.owned_type();
        let rename = (ident != wire.as_str()).then(|| quote!(rename = #wire,));
        let json_text = in_query && matches!(self.ty, InputType::Model(_));
        if self.required {
            let with = json_text.then(|| {
                quote!(serialize_with = "::credkit_runtime::client::operation::as_json_text",)
            });
            let attr =
                (rename.is_some() || with.is_some()).then(|| quote!(#[serde(#rename #with)]));
            quote! { #[doc = #doc] #attr pub #ident: #ty, }
        } else {
            let with =
                json_text.then(|| {
                    quote!(
                        serialize_with =
                            "::credkit_runtime::client::operation::option_as_json_text",
                    )
                });
            quote! {
                #[doc = #doc]
                #[serde(#rename #with skip_serializing_if = "::std::option::Option::is_none")]
                pub #ident: ::std::option::Option<#ty>,
            }
        }
    }

    fn owned_type(&self) -> TokenStream {
        match &self.ty {
            InputType::Text => quote!(::std::string::String),
            InputType::Integer => quote!(i64),
            InputType::Number => quote!(f64),
            InputType::Boolean => quote!(bool),
            InputType::Model(path) => quote!(#path),
        }
    }

    /// The argument of a method that takes the input directly (required inputs).
    fn argument(&self) -> (TokenStream, TokenStream) {
        let ident = &self.ident;
        match &self.ty {
            InputType::Text => (quote!(#ident: &str), quote!(#ident.to_owned())),
            InputType::Model(path) => (quote!(#ident: &#path), quote!(#ident.clone())),
            _ => {
                let ty = self.owned_type();
                (quote!(#ident: #ty), quote!(#ident))
            }
        }
    }

    /// A builder setter for an optional input.
    fn setter(&self, holder: &syn::Ident) -> TokenStream {
        let ident = &self.ident;
        let doc = format!(" Sets `{}`: {}", self.wire, self.doc);
        let (param, value) = match &self.ty {
            InputType::Text => (
                quote!(value: impl ::std::convert::Into<::std::string::String>),
                quote!(value.into()),
            ),
            _ => {
                let ty = self.owned_type();
                (quote!(value: #ty), quote!(value))
            }
        };
        quote! {
            #[doc = #doc]
            pub fn #ident(mut self, #param) -> Self {
                self.#holder.#ident = ::std::option::Option::Some(#value);
                self
            }
        }
    }
}

/// The upload of an operation.
struct Upload {
    ident: syn::Ident,
    wire: String,
    max_bytes: u64,
    base64: bool,
}

/// Everything generated for one operation.
#[derive(Default)]
struct OperationParts {
    items: Vec<TokenStream>,
    methods: Vec<TokenStream>,
    spec: Vec<TokenStream>,
    spec_names: Vec<syn::Ident>,
    fields: Vec<TokenStream>,
    inits: Vec<TokenStream>,
}

struct ChannelGen<'a> {
    ws: &'a Workspace,
    file: &'a EndpointFile,
}

/// A Rust field name for a wire name: snake case, `_` appended to a keyword.
fn field_ident(wire: &str) -> syn::Ident {
    let mut name = wire.to_snake_case();
    if !typify::accept_as_ident(&name) {
        name.push('_');
    }
    format_ident!("{}", name)
}

impl ChannelGen<'_> {
    fn error(&self, pointer: &str, message: impl Into<String>) -> CodegenError {
        CodegenError::schema(&self.file.rel_path, pointer, message)
    }

    fn model_path(&self, reference: &str, pointer: &str) -> Result<syn::Path, CodegenError> {
        let model = self
            .ws
            .referenced_model(self.file, reference)
            .ok_or_else(|| self.error(pointer, format!("`{reference}` names no model schema")))?;
        let path = self
            .ws
            .model_type_path(model)
            .ok_or_else(|| self.error(pointer, format!("`{reference}` has no root type")))?;
        syn::parse_str(&path).map_err(|e| self.error(pointer, format!("{e}")))
    }

    fn input(
        &self,
        wire: &str,
        schema: &PropertySchema,
        required: bool,
        doc: Vec<&str>,
        pointer: &str,
    ) -> Result<Input, CodegenError> {
        let ty = match (&schema.reference, schema.schema_type.as_deref()) {
            (Some(reference), _) => InputType::Model(self.model_path(reference, pointer)?),
            (None, Some("string")) => InputType::Text,
            (None, Some("integer")) => InputType::Integer,
            (None, Some("number")) => InputType::Number,
            (None, Some("boolean")) => InputType::Boolean,
            (None, other) => {
                return Err(self.error(pointer, format!("type {other:?} is not supported")))
            }
        };
        Ok(Input {
            wire: wire.to_owned(),
            ident: field_ident(wire),
            required,
            ty,
            doc: doc.join(" — "),
        })
    }

    fn parameter_input(&self, parameter: &Parameter, pointer: &str) -> Result<Input, CodegenError> {
        let schema = parameter
            .property_schema()
            .ok_or_else(|| self.error(pointer, "a parameter needs a schema"))?;
        let mut doc = vec![parameter.description.as_str()];
        doc.extend(parameter.gloss.as_deref());
        self.input(&parameter.name, schema, parameter.required, doc, pointer)
    }

    fn generate(&self) -> Result<TokenStream, CodegenError> {
        let doc = &self.file.doc;
        let client = format_ident!("{}", doc.info.client);
        let base_url = &doc.servers[0].url;
        let signer = format_ident!(
            "{}",
            doc.components
                .security_schemes
                .values()
                .next()
                .map(|s| s.signing.signer_type())
                .ok_or_else(|| self.error("/components/securitySchemes", "no scheme"))?
        );
        let scheme = self.signing_scheme()?;
        let verdict = self.verdict();
        let type_doc = doc_lines(&[Some(&doc.info.description), Some(&doc.info.gloss)]);
        let channel = &self.file.channel;
        let vendor = &self.file.vendor;

        let mut parts = OperationParts::default();
        for op in self.file.operations() {
            self.operation(&op, &client, &mut parts)?;
        }
        let OperationParts {
            items,
            methods,
            spec,
            spec_names,
            fields,
            inits,
        } = parts;
        let client_doc_note = format!(" Default base URL: `{base_url}`.");
        let channel_doc = format!(
            " The channel as `schemas/{}` declares it: base URL, signing, verdict and operations.",
            self.file.rel_path
        );
        Ok(quote! {
            use ::std::sync::Arc;
            use ::credkit_runtime::client::error::ClientError;
            use ::credkit_runtime::client::operation::{ChannelSpec, Request, SigningScheme};
            use ::credkit_runtime::client::signing;
            use ::credkit_runtime::client::transport::{ClientConfig, StatusCheck, Transport, Verdict};

            /// The base URL the vendor documents for this channel.
            pub const DEFAULT_BASE_URL: &str = #base_url;

            /// Where this channel's response bodies carry the vendor's status, message and
            /// request id.
            pub const VERDICT: Verdict = #verdict;

            /// The operations of this channel, as its endpoint description declares them.
            pub mod operations {
                use ::credkit_runtime::client::operation as op;
                #(#spec)*
            }

            #[doc = #channel_doc]
            pub const CHANNEL: ChannelSpec = ChannelSpec {
                name: #channel,
                vendor: #vendor,
                default_base_url: DEFAULT_BASE_URL,
                signing: #scheme,
                verdict: VERDICT,
                operations: &[#(operations::#spec_names),*],
            };

            #(#items)*

            #(#[doc = #type_doc])*
            #[doc = ""]
            #[doc = #client_doc_note]
            #[derive(Debug, Clone)]
            pub struct #client {
                transport: Transport,
                #(#fields)*
            }

            impl #client {
                /// A client for `config` (see [`DEFAULT_BASE_URL`]) that signs every request with `signer`.
                pub fn new(config: ClientConfig, signer: signing::#signer) -> ::std::result::Result<Self, ClientError> {
                    Ok(Self { transport: Transport::new(config, Arc::new(signer))?.with_channel(CHANNEL.name), #(#inits)* })
                }

                /// The transport, with its configuration.
                pub fn transport(&self) -> &Transport {
                    &self.transport
                }

                #(#methods)*
            }
        })
    }

    fn signing_scheme(&self) -> Result<TokenStream, CodegenError> {
        let scheme = self
            .file
            .doc
            .components
            .security_schemes
            .values()
            .next()
            .ok_or_else(|| self.error("/components/securitySchemes", "no scheme"))?;
        Ok(match scheme.signing {
            Signing::DeepFinchHeaders => quote!(SigningScheme::DeepFinchHeaders),
            Signing::TencentHmac => quote!(SigningScheme::TencentHmac),
            Signing::JdMd5 => quote!(SigningScheme::JdMd5),
            Signing::DianhuaToken => quote!(SigningScheme::DianhuaToken),
        })
    }

    fn verdict(&self) -> TokenStream {
        let verdict = &self.file.doc.verdict;
        let checks = verdict.checks.iter().map(|check| {
            let pointer = &check.pointer;
            let ok = &check.ok;
            quote!(StatusCheck { pointer: #pointer, ok: &[#(#ok),*] })
        });
        let message = &verdict.message;
        let request_id = &verdict.request_id;
        quote!(Verdict { checks: &[#(#checks),*], message: &[#(#message),*], request_id: &[#(#request_id),*] })
    }

    fn operation(
        &self,
        op: &OperationRef<'_>,
        client: &syn::Ident,
        parts: &mut OperationParts,
    ) -> Result<(), CodegenError> {
        let pointer = op.pointer.as_str();
        let operation = op.operation;
        let id = operation
            .operation_id
            .as_deref()
            .ok_or_else(|| self.error(pointer, "needs an operationId"))?;
        let pascal = id.to_pascal_case();
        let spec_name = format_ident!("{}", id.to_shouty_snake_case());
        let method_ident = format_ident!("{}", id);
        let path = op.path;

        // Inputs.
        let query: Vec<Input> = operation
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| self.parameter_input(p, &format!("{pointer}/parameters/{i}")))
            .collect::<Result<_, _>>()?;
        let mut body = Vec::new();
        let mut upload = None;
        let mut encoding = quote!(op::BodyEncoding::None);
        if let Some(request_body) = &operation.request_body {
            let (media, content) = request_body
                .content
                .iter()
                .next()
                .ok_or_else(|| self.error(pointer, "empty requestBody"))?;
            encoding = match media.as_str() {
                "application/json" => quote!(op::BodyEncoding::Json),
                "application/x-www-form-urlencoded" => quote!(op::BodyEncoding::Form),
                _ => quote!(op::BodyEncoding::Multipart),
            };
            let schema = content.schema.clone().unwrap_or_default();
            for (wire, property) in &schema.properties {
                let p = format!("{pointer}/requestBody");
                if let Some(spec) = property.upload {
                    upload = Some(Upload {
                        ident: field_ident(wire),
                        wire: wire.clone(),
                        max_bytes: spec.max_bytes,
                        base64: property.content_encoding.as_deref() == Some("base64"),
                    });
                    continue;
                }
                let mut doc = vec![property.description.as_deref().unwrap_or_default()];
                doc.extend(property.gloss.as_deref());
                body.push(self.input(wire, property, schema.required.contains(wire), doc, &p)?);
            }
        }

        // The operation's spec.
        let method = match op.method {
            HttpMethod::Get => quote!(op::Method::Get),
            HttpMethod::Post => quote!(op::Method::Post),
        };
        let upload_spec = match &upload {
            Some(Upload {
                wire,
                max_bytes,
                base64,
                ..
            }) => {
                quote!(Some(op::UploadSpec { field: #wire, max_bytes: #max_bytes, base64: #base64 }))
            }
            None => quote!(None),
        };
        let kind = match (operation.kind, operation.retry) {
            (Some(OperationKind::BrowserUrl), _) => {
                let default_const = format_ident!("DEFAULT_{}_BASE_URL", id.to_shouty_snake_case());
                quote!(op::OperationKind::BrowserUrl { default_base_url: super::#default_const })
            }
            (None, Some(RetryClass::Read)) => quote!(op::OperationKind::Send {
                retry: op::RetryClass::Read
            }),
            (None, Some(RetryClass::Paid)) => quote!(op::OperationKind::Send {
                retry: op::RetryClass::Paid
            }),
            (None, None) => return Err(self.error(pointer, "needs `x-credkit-retry`")),
        };
        let spec_doc = format!(
            " `{} {path}` ([`super::{client}::{id}`]).",
            op.method.as_str().to_uppercase()
        );
        parts.spec.push(quote! {
            #[doc = #spec_doc]
            pub const #spec_name: op::OperationSpec = op::OperationSpec {
                id: #id,
                method: #method,
                path: #path,
                body: #encoding,
                upload: #upload_spec,
                kind: #kind,
            };
        });
        parts.spec_names.push(spec_name.clone());

        // Typed inputs.
        let query_type = format_ident!("{}Query", pascal);
        let body_type = format_ident!("{}Body", pascal);
        for (ty, inputs, what, in_query) in [
            (&query_type, &query, "Query parameters", true),
            (&body_type, &body, "Body", false),
        ] {
            if inputs.is_empty() {
                continue;
            }
            let fields = inputs.iter().map(|i| i.field(in_query));
            let derive_default = inputs.iter().all(|i| !i.required).then(|| quote!(Default,));
            let doc = format!(" {what} of [`{client}::{id}`]. `Debug` names no value: inputs may be personal data.");
            let name = ty.to_string();
            parts.items.push(quote! {
                #[doc = #doc]
                #[derive(Clone, #derive_default ::serde::Serialize)]
                pub struct #ty { #(#fields)* }

                impl ::std::fmt::Debug for #ty {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.debug_struct(#name).finish_non_exhaustive()
                    }
                }
            });
        }

        // Docs of the method.
        let response = match operation.responses.get("200").and_then(|r| r.json_ref()) {
            Some(reference) => Some(self.model_path(reference, pointer)?),
            None => None,
        };
        let mut docs = doc_lines(&[Some(&operation.summary), operation.gloss.as_deref()]);
        docs.push(String::new());
        match (&response, operation.kind) {
            (Some(response), None) => docs.push(format!(
                " `{} {path}`; returns [`{}`].",
                op.method.as_str().to_uppercase(),
                quote!(#response).to_string().replace(' ', "")
            )),
            _ => {
                let setter = format_ident!("with_{}_base_url", id);
                docs.push(format!(
                    " Builds a URL on [`DEFAULT_{spec_name}_BASE_URL`] unless changed with [`Self::{setter}`]; nothing is sent. The URL carries the credential: treat it as a secret."
                ));
            }
        }
        if let Some(upload) = &upload {
            docs.push(String::new());
            docs.push(format!(
                " `{}`: a PDF file of at most {} bytes, checked before anything is sent and streamed{}.",
                upload.ident,
                upload.max_bytes,
                if upload.base64 { " as base64" } else { "" }
            ));
        }
        docs.push(String::new());
        docs.push(format!(" Source: {}", operation.source));

        let required: Vec<&Input> = query.iter().chain(&body).filter(|i| i.required).collect();
        let has_optional = query.iter().chain(&body).any(|i| !i.required);
        let (upload_param, upload_value) = match &upload {
            Some(u) => {
                let ident = &u.ident;
                (
                    Some(quote!(#ident: &'a ::std::path::Path,)),
                    Some(quote!(.upload(#ident))),
                )
            }
            None => (None, None),
        };
        let one_required = if operation.one_required.is_empty() {
            quote!()
        } else {
            let idents: Vec<syn::Ident> = operation
                .one_required
                .iter()
                .map(|n| field_ident(n))
                .collect();
            let message = format!(
                "{id} needs at least one of: {}",
                operation.one_required.join(", ")
            );
            quote! {
                if #(query.#idents.is_none())&&* {
                    return Err(ClientError::InvalidArgument(#message.to_owned()));
                }
            }
        };
        let build_query = (!query.is_empty()).then(|| quote!(.query(&query)?));
        let build_body = (!body.is_empty()).then(|| quote!(.body(&body)?));
        let bind_query = (!query.is_empty()).then(|| quote!(let query = &self.query;));
        let bind_body = (!body.is_empty()).then(|| quote!(let body = &self.body;));

        let is_url = operation.kind == Some(OperationKind::BrowserUrl);
        let (execute, returns, asyncness) = if is_url {
            let field = format_ident!("{}_base_url", id);
            let setter = format_ident!("with_{}_base_url", id);
            let setter_doc = format!(
                " Changes the base URL of [`Self::{id}`] (default: [`DEFAULT_{spec_name}_BASE_URL`])."
            );
            let base = &operation.servers[0].url;
            let default_const = format_ident!("DEFAULT_{}_BASE_URL", id.to_shouty_snake_case());
            let const_doc = format!(" The documented base URL of [`{client}::{id}`].");
            parts.items.push(quote! {
                #[doc = #const_doc]
                pub const #default_const: &str = #base;
            });
            parts.fields.push(quote!(#field: ::std::string::String,));
            parts.inits.push(quote!(#field: #default_const.to_owned(),));
            parts.methods.push(quote! {
                #[doc = #setter_doc]
                pub fn #setter(mut self, base_url: impl ::std::convert::Into<::std::string::String>) -> Self {
                    self.#field = base_url.into();
                    self
                }
            });
            (
                quote!(client.transport.browser_url(&client.#field, &request)),
                quote!(::std::string::String),
                quote!(),
            )
        } else {
            let response = response
                .as_ref()
                .ok_or_else(|| self.error(pointer, "the 200 response needs a model"))?;
            (
                quote!(client.transport.execute(request, &VERDICT).await),
                quote!(#response),
                quote!(async),
            )
        };
        let make_request = quote! {
            #one_required
            let request = Request::new(&operations::#spec_name) #build_query #build_body #upload_value;
            #execute
        };

        if has_optional {
            let builder = format_ident!("{}Builder", pascal);
            let finish = if is_url {
                format_ident!("build")
            } else {
                format_ident!("send")
            };
            let finish_doc = if is_url {
                " Builds the URL."
            } else {
                " Sends the request."
            };
            let builder_doc = format!(" The inputs of [`{client}::{id}`]: set the optional ones, then call [`Self::{finish}`].");
            let query_field = (!query.is_empty()).then(|| quote!(query: #query_type,));
            let body_field = (!body.is_empty()).then(|| quote!(body: #body_type,));
            let setters = query
                .iter()
                .filter(|i| !i.required)
                .map(|i| i.setter(&format_ident!("query")))
                .chain(
                    body.iter()
                        .filter(|i| !i.required)
                        .map(|i| i.setter(&format_ident!("body"))),
                );
            let upload_field = upload.as_ref().map(|u| {
                let ident = &u.ident;
                quote!(#ident: &'a ::std::path::Path,)
            });
            let upload_bind = upload.as_ref().map(|u| {
                let ident = &u.ident;
                quote!(let #ident = self.#ident;)
            });
            parts.items.push(quote! {
                #[doc = #builder_doc]
                #[derive(Debug, Clone)]
                #[must_use = "a builder does nothing until it is finished"]
                pub struct #builder<'a> {
                    client: &'a #client,
                    #upload_field
                    #query_field
                    #body_field
                }

                impl<'a> #builder<'a> {
                    #(#setters)*

                    #[doc = #finish_doc]
                    pub #asyncness fn #finish(self) -> ::std::result::Result<#returns, ClientError> {
                        let client = self.client;
                        #upload_bind
                        #bind_query
                        #bind_body
                        #make_request
                    }
                }
            });
            let query_init = members(&query).map(|m| quote!(query: #query_type { #m },));
            let body_init = members(&body).map(|m| quote!(body: #body_type { #m },));
            let upload_init = upload.as_ref().map(|u| {
                let ident = &u.ident;
                quote!(#ident,)
            });
            let args = required.iter().map(|i| i.argument().0);
            parts.methods.push(quote! {
                #(#[doc = #docs])*
                pub fn #method_ident<'a>(&'a self, #upload_param #(#args),*) -> #builder<'a> {
                    #builder { client: self, #upload_init #query_init #body_init }
                }
            });
        } else {
            let bind_query = members(&query).map(|m| quote!(let query = #query_type { #m };));
            let bind_body = members(&body).map(|m| quote!(let body = #body_type { #m };));
            let args = required.iter().map(|i| i.argument().0);
            let lifetime = upload.as_ref().map(|_| quote!(<'a>));
            let self_ref = if upload.is_some() {
                quote!(&'a self)
            } else {
                quote!(&self)
            };
            parts.methods.push(quote! {
                #(#[doc = #docs])*
                pub #asyncness fn #method_ident #lifetime (#self_ref, #upload_param #(#args),*) -> ::std::result::Result<#returns, ClientError> {
                    let client = self;
                    #bind_query
                    #bind_body
                    #make_request
                }
            });
        }
        Ok(())
    }
}

/// The members of a query or body struct initialiser: required inputs from the method's
/// arguments, optional ones `None`; `None` when there are no inputs (and so no struct).
fn members(inputs: &[Input]) -> Option<TokenStream> {
    if inputs.is_empty() {
        return None;
    }
    let members = inputs.iter().map(|i| {
        let ident = &i.ident;
        if i.required {
            match i.ty {
                // The argument already has the field's type: shorthand initialisation.
                InputType::Integer | InputType::Number | InputType::Boolean => quote!(#ident,),
                InputType::Text | InputType::Model(_) => {
                    let value = i.argument().1;
                    quote!(#ident: #value,)
                }
            }
        } else {
            quote!(#ident: ::std::option::Option::None,)
        }
    });
    Some(quote!(#(#members)*))
}
