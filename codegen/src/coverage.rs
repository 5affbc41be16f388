//! Which field names of the vendor documents no schema declares.
//!
//! The documents are plain-text copies of web pages and PDF exports. Field names are found in
//! two places: table cells (a line ending in ` |`, or the first tab-separated cell of a row)
//! that look like identifiers, and the keys of the JSON examples (`"key":`). The result is
//! compared with every property name and alias of every schema.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use crate::schema_set::{walk_schemas, SchemaSet};
use crate::CodegenError;

/// Type names and other table words that look like identifiers but are not fields.
const NOT_FIELDS: &[&str] = &[
    "string",
    "int",
    "integer",
    "float",
    "double",
    "object",
    "array",
    "list",
    "bool",
    "boolean",
    "number",
    "timestamp",
    "json",
    "long",
    "dict",
    "map",
    "null",
    "true",
    "false",
    "file",
    "str",
    "objectarray",
];

fn looks_like_field(name: &str) -> bool {
    let mut chars = name.chars();
    let starts_well = matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_' || c.is_ascii_digit());
    starts_well
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.chars().any(|c| c.is_ascii_lowercase())
        && !NOT_FIELDS.contains(&name.to_ascii_lowercase().as_str())
        && !name.chars().all(|c| c.is_ascii_digit())
}

/// Field names mentioned by one document: name → first line it appears on.
pub fn document_names(text: &str) -> BTreeMap<String, usize> {
    let mut names = BTreeMap::new();
    for (index, line) in text.lines().enumerate() {
        let line_no = index + 1;
        if let Some(cell) = line.strip_suffix(" |").or_else(|| line.strip_suffix('|')) {
            let cell = cell.trim();
            if looks_like_field(cell) {
                names.entry(cell.to_owned()).or_insert(line_no);
            }
        }
        if line.contains('\t') {
            let cell = line.split('\t').next().unwrap_or_default().trim();
            if looks_like_field(cell) {
                names.entry(cell.to_owned()).or_insert(line_no);
            }
        }
        let mut rest = line;
        while let Some(start) = rest.find('"') {
            let after = &rest[start + 1..];
            let Some(end) = after.find('"') else { break };
            let key = &after[..end];
            let tail = after[end + 1..].trim_start();
            if tail.starts_with(':') || tail.starts_with('：') {
                let trimmed = key.trim();
                if looks_like_field(trimmed) {
                    names.entry(key.to_owned()).or_insert(line_no);
                }
            }
            rest = &after[end + 1..];
        }
    }
    names
}

/// Every property name and alias declared by any schema.
pub fn declared_names(set: &SchemaSet) -> Result<BTreeSet<String>, CodegenError> {
    let mut declared = BTreeSet::new();
    for file in set.files() {
        walk_schemas(&file.value, "", &mut |_, schema| {
            for (key, property) in schema
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                declared.insert(key.clone());
                for alias in crate::schema_set::strings(property.get("x-credkit-aliases")) {
                    declared.insert(alias.to_owned());
                }
            }
            Ok(())
        })?;
    }
    Ok(declared)
}

/// One document name that no schema declares.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Undeclared {
    /// The document's file name.
    pub document: String,
    /// The line the name first appears on.
    pub line: usize,
    /// The name, exactly as written.
    pub name: String,
}

/// Every name of every `*.txt` document in `docs_dir` that no schema in `set` declares.
pub fn undeclared_names(set: &SchemaSet, docs_dir: &Path) -> Result<Vec<Undeclared>, CodegenError> {
    let declared = declared_names(set)?;
    let mut paths: Vec<_> = std::fs::read_dir(docs_dir)
        .map_err(|source| CodegenError::Io {
            path: docs_dir.to_owned(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).map_err(|source| CodegenError::Io {
            path: path.clone(),
            source,
        })?;
        let document = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for (name, line) in document_names(&text) {
            if !declared.contains(&name) {
                out.push(Undeclared {
                    document: document.clone(),
                    line,
                    name,
                });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_table_cells_and_example_keys() {
        let text = "字段 |\nserialNo |\nstring |\n\"records \": [{\n\"7day_times\": 1,\nTASK_INPROGRESS |\nuid\tstring\t用户\n";
        let names: Vec<String> = document_names(text).into_keys().collect();
        assert_eq!(names, vec!["7day_times", "records ", "serialNo", "uid"]);
    }
}
