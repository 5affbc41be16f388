//! Placing generated modules into the model crates.
//!
//! Each vendor folder `schemas/<vendor>/` becomes the crate `crates/<vendor>-models`; each
//! schema file becomes one module (`deepfinch/cloud/task-result.json` →
//! `deepfinch_models::cloud::task_result`); `lib.rs` and every `mod.rs` are generated too, with
//! the model registry (`MODEL_IDS`, `visit_model`) in `lib.rs`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use quote::{format_ident, quote};

use crate::schema_set::{FileKind, SchemaSet};
use crate::{model_gen, CodegenError, GENERATED_HEADER};

/// Generated files are printed by prettyplease, deterministically; rustfmt leaves them alone.
pub(crate) const SKIP_RUSTFMT: &str = "#![cfg_attr(rustfmt, rustfmt::skip)]";

/// One generated file: its path relative to the workspace root and its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the workspace root, e.g. `crates/deepfinch-models/src/lib.rs`.
    pub path: PathBuf,
    /// The full contents, starting with [`GENERATED_HEADER`].
    pub contents: String,
}

/// The folder of a vendor's model crate, relative to the workspace root.
pub fn model_crate_dir(vendor: &str) -> PathBuf {
    PathBuf::from("crates").join(format!("{vendor}-models"))
}

/// Generates every file of every model and client crate from `<root>/schemas`.
pub fn generate_workspace(root: &Path) -> Result<Vec<GeneratedFile>, CodegenError> {
    let schemas = root.join("schemas");
    let set = SchemaSet::load(&schemas)?;
    let mut files = generate_from_set(&set)?;
    let endpoints = crate::client_gen::load_endpoints(&schemas)?;
    files.extend(crate::client_gen::generate_clients(&set, &endpoints)?);
    files.extend(crate::reference_docs::generate_reference(&set)?);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Generates every file of every model crate from an already loaded set.
pub fn generate_from_set(set: &SchemaSet) -> Result<Vec<GeneratedFile>, CodegenError> {
    let mut out = Vec::new();
    for vendor in set.vendors() {
        let src = model_crate_dir(&vendor).join("src");
        // Module tree: folder (as module path) → child module names.
        let mut tree: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
        tree.entry(Vec::new()).or_default();
        for file in set
            .files()
            .filter(|f| f.vendor == vendor && f.kind != FileKind::Shared)
        {
            let module_path = file.module_path();
            for depth in 0..module_path.len() {
                let parent = module_path[..depth].to_vec();
                let child = module_path[depth].clone();
                let children = tree.entry(parent).or_default();
                if !children.contains(&child) {
                    children.push(child);
                }
            }
            let mut path = src.clone();
            for part in &module_path {
                path.push(part);
            }
            path.set_extension("rs");
            out.push(GeneratedFile {
                path,
                contents: model_gen::generate_source(set, file)?,
            });
        }
        for (module_path, mut children) in tree {
            children.sort();
            let is_root = module_path.is_empty();
            let mut path = src.clone();
            for part in &module_path {
                path.push(part);
            }
            path.push(if is_root { "lib.rs" } else { "mod.rs" });
            // A folder that is also a schema (`x.json` beside `x/`) is not supported.
            if !is_root
                && out
                    .iter()
                    .any(|f| f.path == path.with_file_name("").with_extension("rs"))
            {
                return Err(CodegenError::Generate {
                    model: module_path.join("/"),
                    message: "a schema file and a folder have the same name".into(),
                });
            }
            let contents = if is_root {
                crate_root(set, &vendor, &children)?
            } else {
                folder_module(&vendor, &module_path, &children)?
            };
            out.push(GeneratedFile { path, contents });
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

fn print(tokens: proc_macro2::TokenStream, what: &str) -> Result<String, CodegenError> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| CodegenError::Generate {
        model: what.to_owned(),
        message: format!("generated code does not parse: {e}"),
    })?;
    Ok(prettyplease::unparse(&file))
}

/// `//!` doc lines, an empty line as a bare `//!`.
pub(crate) fn inner_doc(lines: &[String]) -> String {
    lines
        .iter()
        .map(|line| {
            if line.is_empty() {
                "//!\n".to_owned()
            } else {
                format!("//! {line}\n")
            }
        })
        .collect()
}

fn crate_root(set: &SchemaSet, vendor: &str, children: &[String]) -> Result<String, CodegenError> {
    let models: Vec<_> = set.models().filter(|f| f.vendor == vendor).collect();
    let mut doc = vec![
        format!("Typed models of the `{vendor}` payloads, generated from `schemas/{vendor}/` by `cargo xtask gen`."),
        String::new(),
        "Every type derives `Serialize`, `Deserialize` and `schemars::JsonSchema`; unknown fields".to_owned(),
        "are ignored, optional fields are `Option`, and a round trip gives back what was read.".to_owned(),
        "Parse with [`credkit_runtime::parse_json`] to learn which fields were ignored, or pick a".to_owned(),
        "model at run time by id with [`visit_model`].".to_owned(),
        String::new(),
        "| model id | root type |".to_owned(),
        "| --- | --- |".to_owned(),
    ];
    for model in &models {
        let rust = model
            .rust_path(model.title().unwrap_or_default())
            .replacen("crate::", "", 1);
        doc.push(format!("| `{}` | [`{rust}`] |", model.id));
    }
    let modules: Vec<_> = children.iter().map(|c| format_ident!("{}", c)).collect();
    let ids: Vec<&str> = models.iter().map(|m| m.id.as_str()).collect();
    let types: Vec<syn::Path> = models
        .iter()
        .map(|m| syn::parse_str(&m.rust_path(m.title().unwrap_or_default())))
        .collect::<Result<_, _>>()
        .map_err(|e| CodegenError::Generate {
            model: vendor.to_owned(),
            message: format!("model type path: {e}"),
        })?;
    let body = print(
        quote! {
            #(pub mod #modules;)*

            /// Every model id of this crate, ordered.
            pub const MODEL_IDS: &[&str] = &[#(#ids),*];

            /// Runs `visitor` with the Rust type of the model `id`; `None` for an id this crate
            /// does not have.
            pub fn visit_model<V: ::credkit_runtime::ModelVisitor>(id: &str, visitor: V) -> ::std::option::Option<V::Output> {
                match id {
                    #(#ids => ::std::option::Option::Some(visitor.visit::<#types>()),)*
                    _ => ::std::option::Option::None,
                }
            }
        },
        vendor,
    )?;
    Ok(format!(
        "{GENERATED_HEADER}\n{}{SKIP_RUSTFMT}\n#![warn(missing_docs)]\n\n{body}",
        inner_doc(&doc)
    ))
}

fn folder_module(
    vendor: &str,
    module_path: &[String],
    children: &[String],
) -> Result<String, CodegenError> {
    let folder = module_path.join("/").replace('_', "-");
    let doc = vec![format!("Models under `schemas/{vendor}/{folder}/`.")];
    let modules: Vec<_> = children.iter().map(|c| format_ident!("{}", c)).collect();
    let body = print(quote! { #(pub mod #modules;)* }, &folder)?;
    Ok(format!(
        "{GENERATED_HEADER}\n{}{SKIP_RUSTFMT}\n\n{body}",
        inner_doc(&doc)
    ))
}
