//! Placing generated modules into the model crates.
//!
//! Each vendor folder `schemas/<vendor>/` becomes the crate `crates/<vendor>-models`; each
//! schema file becomes one module (`deepfinch/cloud/task-result.json` →
//! `deepfinch_models::cloud::task_result`); `lib.rs` and every `mod.rs` are generated too, with
//! the model registry (`MODEL_IDS`, `visit_model`) in `lib.rs`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use quote::{format_ident, quote};

use crate::model_gen;
use crate::output::{inner_doc, print, rust_file, GeneratedFile};
use crate::schema_set::FileKind;
use crate::workspace::Workspace;
use crate::CodegenError;

/// The folder of a vendor's model crate, relative to the workspace root.
pub fn model_crate_dir(vendor: &str) -> PathBuf {
    PathBuf::from("crates").join(format!("{vendor}-models"))
}

/// Generates every file of every model crate.
pub fn model_files(ws: &Workspace) -> Result<Vec<GeneratedFile>, CodegenError> {
    let set = ws.schemas();
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
            let unit = ws.unit(file).ok_or_else(|| CodegenError::Generate {
                model: file.id.clone(),
                message: "no generated module".into(),
            })?;
            if file.kind == FileKind::Model {
                let schema = crate::curated::self_contained(set, file)?;
                out.push(GeneratedFile {
                    path: path.with_extension("schema.json"),
                    contents: crate::curated::render(&schema),
                });
            }
            out.push(GeneratedFile {
                path,
                contents: model_gen::render(file, unit),
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
                crate_root(ws, &vendor, &children)?
            } else {
                folder_module(&vendor, &module_path, &children)?
            };
            out.push(GeneratedFile { path, contents });
        }
    }
    Ok(out)
}

fn crate_root(ws: &Workspace, vendor: &str, children: &[String]) -> Result<String, CodegenError> {
    let models: Vec<_> = ws
        .schemas()
        .models()
        .filter(|f| f.vendor == vendor)
        .collect();
    let crate_name = format!("::{}_models::", vendor.replace('-', "_"));
    let mut paths = Vec::new();
    for model in &models {
        let path = ws
            .model_type_path(model)
            .ok_or_else(|| CodegenError::Generate {
                model: model.id.clone(),
                message: "the root type has no Rust name".into(),
            })?;
        paths.push(path.replacen(&crate_name, "crate::", 1));
    }
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
    for (model, path) in models.iter().zip(&paths) {
        let rust = path.replacen("crate::", "", 1);
        doc.push(format!("| `{}` | [`{rust}`] |", model.id));
    }
    let modules: Vec<_> = children.iter().map(|c| format_ident!("{}", c)).collect();
    let ids: Vec<&str> = models.iter().map(|m| m.id.as_str()).collect();
    let types: Vec<syn::Path> = paths
        .iter()
        .map(|p| syn::parse_str(p))
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
    Ok(rust_file(
        &inner_doc(&doc),
        "#![warn(missing_docs)]\n",
        &body,
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
    Ok(rust_file(&inner_doc(&doc), "", &body))
}
