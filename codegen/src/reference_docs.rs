//! Reference pages generated from the schemas: `docs/reference/<model id>.md`, one table per
//! object with the wire name, Rust name, type, whether it is required, the vendor's Chinese
//! description, the English gloss and the source document; and an index page.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::Value;

use crate::bundle::Bundle;
use crate::model_gen::ModelUnit;
use crate::names::RustNames;
use crate::output::{GeneratedFile, GENERATED_MARKDOWN_HEADER};
use crate::schema_set::{FileKind, SchemaFile};
use crate::workspace::Workspace;
use crate::CodegenError;

/// The reference folder, relative to the workspace root.
pub fn reference_dir() -> PathBuf {
    PathBuf::from("docs").join("reference")
}

/// Every reference page and the index.
pub fn generate_reference(ws: &Workspace) -> Result<Vec<GeneratedFile>, CodegenError> {
    let set = ws.schemas();
    let mut files = Vec::new();
    let mut index = format!(
        "{GENERATED_MARKDOWN_HEADER}\n# Model reference\n\nGenerated from `schemas/` by `cargo xtask gen`. One page per model; each table lists an object's fields with their wire name (as the vendor sends it), Rust name, type, whether it is required, the vendor's description, an English gloss and the document it was transcribed from.\n\n| model id | Rust type | what it is |\n| --- | --- | --- |\n"
    );
    for file in set.files().filter(|f| f.kind != FileKind::Shared) {
        let unit = ws.unit(file).ok_or_else(|| CodegenError::Generate {
            model: file.id.clone(),
            message: "no generated module".into(),
        })?;
        let page = page(file, unit);
        let rel = format!("{}.md", file.id);
        let title = file.title().unwrap_or("(shared types)");
        let gloss = file
            .value
            .get("x-credkit-gloss")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let _ = writeln!(
            index,
            "| [`{}`]({rel}) | `{title}` | {} |",
            file.id,
            cell(gloss)
        );
        files.push(GeneratedFile {
            path: reference_dir().join(&rel),
            contents: page,
        });
    }
    files.push(GeneratedFile {
        path: reference_dir().join("README.md"),
        contents: index,
    });
    Ok(files)
}

/// Escapes text for a Markdown table cell.
fn cell(text: &str) -> String {
    text.trim()
        .replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace('\n', "<br>")
}

/// The parts of a merged doc text: (description, gloss, source).
fn split_doc(text: &str) -> (String, String, String) {
    let mut paragraphs: Vec<&str> = text.split("\n\n").collect();
    let source = match paragraphs.last() {
        Some(last) if last.starts_with("Source: ") => {
            let source = last.trim_start_matches("Source: ").to_owned();
            paragraphs.pop();
            source
        }
        _ => String::new(),
    };
    let gloss = if paragraphs.len() >= 2 {
        paragraphs.pop().unwrap_or_default().to_owned()
    } else {
        String::new()
    };
    (paragraphs.join("\n\n"), gloss, source)
}

fn anchor(type_name: &str) -> String {
    type_name.to_lowercase()
}

/// The Rust name of a definition: typify's, or the definition's own when typify has none.
fn rust_type<'a>(names: &'a RustNames, definition: &'a str) -> &'a str {
    let rust = names.type_name(definition).unwrap_or(definition);
    rust.rsplit("::").next().unwrap_or(rust)
}

/// A readable type for a converted (draft-07) property schema.
fn type_text(schema: &Value, unit: &ModelUnit) -> String {
    let bundle: &Bundle = &unit.bundle;
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.trim_start_matches("#/definitions/");
        return match bundle.replacements.get(name) {
            Some(path) if path.starts_with("::") => {
                format!("`{}`", path.rsplit("::").next().unwrap_or(name))
            }
            Some(path) if path != name => format!(
                "`{}` (model `{}`)",
                name,
                path.trim_start_matches("crate::")
                    .replace("::", "/")
                    .replace('_', "-")
                    .rsplit_once('/')
                    .map_or("", |(m, _)| m)
            ),
            _ => {
                let rust = rust_type(&unit.names, name);
                format!("[`{rust}`](#{})", anchor(rust))
            }
        };
    }
    for keyword in ["anyOf", "oneOf"] {
        if let Some(variants) = schema.get(keyword).and_then(Value::as_array) {
            return variants
                .iter()
                .map(|v| type_text(v, unit))
                .collect::<Vec<_>>()
                .join(" or ");
        }
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let mut rendered: Vec<String> = Vec::new();
    for t in &types {
        rendered.push(match *t {
            "array" => match schema.get("items") {
                Some(Value::Array(items)) => format!(
                    "({})",
                    items
                        .iter()
                        .map(|i| type_text(i, unit))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Some(items) => format!("list of {}", type_text(items, unit)),
                None => "list".to_owned(),
            },
            "object" => match schema.get("additionalProperties") {
                Some(values) if values.is_object() => {
                    format!("map of text to {}", type_text(values, unit))
                }
                _ => "object".to_owned(),
            },
            "number" => "number (exact)".to_owned(),
            other => other.to_owned(),
        });
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let values: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
        rendered.push(format!("one of {}", values.join(", ")));
    }
    if rendered.is_empty() {
        "any JSON".to_owned()
    } else {
        rendered.join(" or ")
    }
}

fn page(file: &SchemaFile, unit: &ModelUnit) -> String {
    let bundle = &unit.bundle;
    let mut out = String::new();
    let _ = writeln!(out, "{GENERATED_MARKDOWN_HEADER}");
    let title = file.title().unwrap_or("shared types");
    let _ = writeln!(out, "# `{}` — {title}\n", file.id);
    if let Some(doc) = crate::bundle::doc_text(&file.value) {
        let (description, gloss, source) = split_doc(&doc);
        for part in [description, gloss] {
            if !part.is_empty() {
                let _ = writeln!(out, "{}\n", part.trim());
            }
        }
        if !source.is_empty() {
            let _ = writeln!(out, "Source: {}\n", source.trim());
        }
    }
    let _ = writeln!(out, "Schema: `schemas/{}`.\n", file.rel_path);

    for (name, schema) in bundle.named_schemas() {
        let rust = rust_type(&unit.names, &name);
        if let Some(table) = bundle.open_enums.iter().find(|t| t.name == name) {
            let _ = writeln!(
                out,
                "## `{rust}`\n\n{}\n",
                cell(&table.doc).replace("<br><br>", "\n\n")
            );
            let _ = writeln!(
                out,
                "| code | Rust variant | HTTP status | description | gloss |\n| --- | --- | --- | --- | --- |"
            );
            let names = crate::open_enum::variant_names(table);
            for (code, variant) in table.codes.iter().zip(&names) {
                let status = code.http_status.map(|s| s.to_string()).unwrap_or_default();
                let _ = writeln!(
                    out,
                    "| `{}` | `{variant}` | {status} | {} | {} |",
                    code.value,
                    cell(&code.description),
                    cell(code.gloss.as_deref().unwrap_or(""))
                );
            }
            let _ = writeln!(out, "| any other | `Other(..)` | | kept as received | |\n");
            continue;
        }
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
            if let Some(variants) = schema.get("oneOf").or_else(|| schema.get("anyOf")) {
                let _ = writeln!(
                    out,
                    "## `{rust}`\n\nOne of: {}.\n",
                    type_text(&serde_json::json!({"anyOf": variants}), unit)
                );
            }
            continue;
        };
        let _ = writeln!(out, "## `{rust}`\n");
        if let Some(doc) = schema.get("description").and_then(Value::as_str) {
            let (description, gloss, source) = split_doc(doc);
            let _ = writeln!(
                out,
                "{}",
                [description, gloss]
                    .iter()
                    .filter(|p| !p.is_empty())
                    .map(|p| p.trim().to_owned())
                    .collect::<Vec<_>>()
                    .join(" — ")
            );
            if !source.is_empty() {
                let _ = writeln!(out, "\nSource: {}", source.trim());
            }
            let _ = writeln!(out);
        }
        let required = crate::schema_set::strings(schema.get("required"));
        let info = bundle.types.get(&name);
        let _ = writeln!(out, "| wire name | Rust name | type | required | format | personal data | description | gloss | source |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (key, property) in properties {
            let (description, gloss, source) = split_doc(
                property
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or_default(),
            );
            let mut wire = format!("`{}`", key.replace(' ', "␠"));
            if let Some(aliases) = info
                .and_then(|fields| fields.get(key))
                .map(|f| &f.aliases)
                .filter(|a| !a.is_empty())
            {
                let aliases: Vec<String> = aliases
                    .iter()
                    .map(|a| format!("`{}`", a.replace(' ', "␠")))
                    .collect();
                let _ = write!(wire, " (also {})", aliases.join(", "));
            }
            let field = info.and_then(|fields| fields.get(key));
            let _ = writeln!(
                out,
                "| {wire} | `{}` | {} | {} | {} | {} | {} | {} | {} |",
                unit.names.field_of(&name, key).unwrap_or(key),
                cell(&type_text(property, unit)),
                if required.contains(&key.as_str()) {
                    "yes"
                } else {
                    ""
                },
                field
                    .and_then(|f| f.format.as_deref())
                    .map(|f| format!("`{f}`"))
                    .unwrap_or_default(),
                field
                    .and_then(|f| f.pii.as_deref())
                    .map(|p| format!("`{p}` (masked in `Debug`)"))
                    .unwrap_or_default(),
                cell(&description),
                cell(&gloss),
                cell(&source),
            );
        }
        let _ = writeln!(out);
    }
    out.push_str("`␠` marks a space in a wire name.\n");
    out
}
