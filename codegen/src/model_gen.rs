//! Generating the Rust module of one schema file.

use quote::{format_ident, quote};
use typify::{TypeSpace, TypeSpaceSettings};

use crate::bundle::{bundle, Bundle};
use crate::names::RustNames;
use crate::output::{inner_doc, SKIP_RUSTFMT};
use crate::schema_set::{FileKind, SchemaFile, SchemaSet};
use crate::{open_enum, postpass, CodegenError, GENERATED_HEADER};

/// Lints that typify's output trips and that the generated code cannot avoid.
const ALLOWED_LINTS: &str = "#![allow(clippy::derivable_impls, clippy::large_enum_variant, clippy::clone_on_copy, clippy::needless_lifetimes, clippy::to_string_trait_impl, clippy::wrong_self_convention)]";

fn settings(bundle: &Bundle) -> TypeSpaceSettings {
    let mut settings = TypeSpaceSettings::default();
    settings
        .with_derive("PartialEq".to_owned())
        .with_derive("::schemars::JsonSchema".to_owned())
        .with_map_type("::std::collections::BTreeMap");
    for (name, rust_path) in &bundle.replacements {
        settings.with_replacement(name, rust_path, std::iter::empty());
    }
    settings
}

/// One schema file run through the model pipeline: its bundle, typify's names for it, and
/// the finished syntax tree of its module.
#[derive(Debug, Clone)]
pub struct ModelUnit {
    /// The draft-07 bundle typify read, with credkit's side table.
    pub bundle: Bundle,
    /// The Rust names typify chose, read back from its type space and output.
    pub names: RustNames,
    /// The module's syntax tree after the post-pass.
    pub syntax: syn::File,
}

/// Bundles `file`, runs typify and the post-pass.
pub fn build_unit(set: &SchemaSet, file: &SchemaFile) -> Result<ModelUnit, CodegenError> {
    let bundle = bundle(set, file)?;
    let fail = |message: String| CodegenError::Generate {
        model: file.id.clone(),
        message,
    };
    let root: schemars::schema::RootSchema = serde_json::from_value(bundle.root.clone())
        .map_err(|e| fail(format!("bundled schema is not readable: {e}")))?;
    let definitions: Vec<String> = root.definitions.keys().cloned().collect();
    let mut space = TypeSpace::new(&settings(&bundle));
    let root_id = space
        .add_root_schema(root)
        .map_err(|e| fail(format!("typify: {e}")))?;
    let mut syntax: syn::File = syn::parse2(space.to_stream())
        .map_err(|e| fail(format!("typify output does not parse: {e}")))?;
    let root_title = bundle.root_type.as_deref().zip(root_id.as_ref());
    let names = RustNames::read(&space, &definitions, root_title, &syntax).map_err(fail)?;
    let mut extra = crate::accessors::generate(&bundle, &names)?;
    for table in &bundle.open_enums {
        extra.extend(open_enum::generate(table));
    }
    if let (FileKind::Model, Some(root_type)) = (file.kind, &bundle.root_type) {
        let rust = names
            .type_name(root_type)
            .ok_or_else(|| fail(format!("typify has no root type `{root_type}`")))?;
        let root_ident = format_ident!("{}", rust);
        let id = &file.id;
        let explain = union_explanation(&bundle, &names).map_err(fail)?;
        let schema_file = format!(
            "{}.schema.json",
            file.module_path().last().cloned().unwrap_or_default()
        );
        extra.extend(quote! {
            impl ::credkit_runtime::Model for #root_ident {
                const ID: &'static str = #id;
                const SCHEMA: &'static str = include_str!(#schema_file);
                #explain
            }
        });
    }
    let extra: syn::File =
        syn::parse2(extra).map_err(|e| fail(format!("generated code does not parse: {e}")))?;
    syntax.items.extend(extra.items);
    postpass::apply(&mut syntax, &bundle, &names).map_err(|e| match e {
        CodegenError::Generate { message, .. } => fail(message),
        other => other,
    })?;
    Ok(ModelUnit {
        bundle,
        names,
        syntax,
    })
}

/// For a root that is a union of named shapes (`oneOf` / `anyOf` of `$ref`s), the
/// `Model::explain_failure` that tries each shape and reports the deepest failure.
fn union_explanation(
    bundle: &Bundle,
    names: &RustNames,
) -> Result<proc_macro2::TokenStream, String> {
    let variants = ["oneOf", "anyOf"].iter().find_map(|keyword| {
        bundle
            .root
            .get(*keyword)
            .and_then(serde_json::Value::as_array)
    });
    let Some(variants) = variants else {
        return Ok(quote!());
    };
    let mut attempts = Vec::new();
    for variant in variants {
        let Some(name) = variant
            .get("$ref")
            .and_then(serde_json::Value::as_str)
            .and_then(|r| r.strip_prefix("#/definitions/"))
        else {
            return Ok(quote!()); // inline shapes: nothing to name
        };
        let rust = names
            .type_name(name)
            .ok_or_else(|| format!("typify has no type for `{name}`"))?;
        let path: syn::Path =
            syn::parse_str(rust).map_err(|e| format!("variant type {rust}: {e}"))?;
        let label = rust.rsplit("::").next().unwrap_or(rust);
        attempts.push(quote! {
            (#label, ::credkit_runtime::parse_json::<#path>(input).map(|_| ()))
        });
    }
    Ok(quote! {
        fn explain_failure(input: &[u8]) -> ::std::option::Option<(&'static str, ::credkit_runtime::ParseError)> {
            ::credkit_runtime::deepest_failure([#(#attempts),*])
        }
    })
}

/// The printed source of a file's module, header included.
pub fn render(file: &SchemaFile, unit: &ModelUnit) -> String {
    let module_doc = module_doc(file);
    let body = prettyplease::unparse(&unit.syntax);
    format!("{GENERATED_HEADER}\n{module_doc}{SKIP_RUSTFMT}\n{ALLOWED_LINTS}\n\n{body}")
}

fn module_doc(file: &SchemaFile) -> String {
    let mut lines = Vec::new();
    match file.kind {
        FileKind::Model => {
            let title = file.title().unwrap_or_default();
            lines.push(format!("Model `{}`: root type [`{title}`].", file.id));
        }
        _ => lines.push(format!("Types shared by the schemas of `{}`.", file.vendor)),
    }
    lines.push(String::new());
    if let Some(doc) = crate::bundle::doc_text(&file.value) {
        lines.extend(doc.split('\n').map(str::to_owned));
        lines.push(String::new());
    }
    lines.push(format!("Generated from `schemas/{}`.", file.rel_path));
    inner_doc(&lines)
}
