//! Which field names of the vendor documents no schema declares.
//!
//! Two steps, so that the check needs no documents:
//!
//! 1. [`extract_inventory`] reads a folder of vendor documents and lists the field names they
//!    show, with document and line: an [`Inventory`]. The documents are plain-text copies of web
//!    pages and PDF exports; field names are found in table cells (a line ending in ` |`, or the
//!    first tab-separated cell of a row) that look like identifiers, and in the keys of the JSON
//!    examples (`"key":`). `cargo xtask coverage --refresh` writes the inventory to
//!    [`INVENTORY_PATH`], where it is committed.
//! 2. [`undeclared_names`] compares an inventory with every property name and alias of every
//!    schema of a [`SchemaSet`].

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};
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

/// Where the inventory is committed, relative to the workspace root.
pub const INVENTORY_PATH: &str = "docs/vendor-doc-fields.json";

/// The largest document (and inventory) read, in bytes; the documents are tens of kilobytes.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// One field name a vendor document shows.
///
/// The field order is the canonical order of an [`Inventory`]: document, then name (a name is
/// listed once per document, at the first line it appears on).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentField {
    /// The document's file name.
    pub document: String,
    /// The name, exactly as written (spaces included).
    pub name: String,
    /// The line the name first appears on, counted from 1.
    pub line: usize,
}

/// The field names of a set of vendor documents, in canonical order.
///
/// Its JSON form ([`Inventory::to_json`]) is an array with one object per line, so that a
/// change of the documents reviews as a line diff.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inventory {
    fields: Vec<DocumentField>,
}

impl Inventory {
    /// The inventory of `fields`, sorted into canonical order; of two entries for one name in
    /// one document, the one with the earlier line is kept.
    pub fn new(mut fields: Vec<DocumentField>) -> Self {
        fields.sort();
        fields.dedup_by(|later, earlier| {
            later.document == earlier.document && later.name == earlier.name
        });
        Inventory { fields }
    }

    /// The fields, in canonical order.
    pub fn fields(&self) -> &[DocumentField] {
        &self.fields
    }

    /// Parses the JSON form; `path` only names the source in errors. Entries need not be in
    /// canonical order: compare [`Inventory::to_json`] with the text to check that they are.
    pub fn from_json(text: &str, path: &Path) -> Result<Self, CodegenError> {
        let fields: Vec<DocumentField> =
            serde_json::from_str(text).map_err(|source| CodegenError::Json {
                path: path.to_owned(),
                source,
            })?;
        Ok(Inventory::new(fields))
    }

    /// Reads and parses an inventory file.
    pub fn load(path: &Path) -> Result<Self, CodegenError> {
        Inventory::from_json(&read_bounded(path)?, path)
    }

    /// The canonical JSON form: an array, one entry per line, keys in a fixed order, a final
    /// newline.
    pub fn to_json(&self) -> String {
        let mut out = String::from("[\n");
        for (index, field) in self.fields.iter().enumerate() {
            out.push_str("  ");
            // Serialising strings and integers cannot fail.
            out.push_str(&serde_json::to_string(field).unwrap_or_default());
            if index + 1 < self.fields.len() {
                out.push(',');
            }
            out.push('\n');
        }
        out.push_str("]\n");
        out
    }
}

/// Reads a UTF-8 file of at most [`MAX_FILE_BYTES`].
fn read_bounded(path: &Path) -> Result<String, CodegenError> {
    let io_error = |source| CodegenError::Io {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io_error)?;
    let mut text = String::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(io_error)?;
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(io_error(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("larger than {MAX_FILE_BYTES} bytes"),
        )));
    }
    Ok(text)
}

/// The inventory of every `*.txt` document in `docs_dir`.
pub fn extract_inventory(docs_dir: &Path) -> Result<Inventory, CodegenError> {
    let mut paths: Vec<_> = std::fs::read_dir(docs_dir)
        .map_err(|source| CodegenError::Io {
            path: docs_dir.to_owned(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    let mut fields = Vec::new();
    for path in paths {
        let text = read_bounded(&path)?;
        let document = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        fields.extend(
            document_names(&text)
                .into_iter()
                .map(|(name, line)| DocumentField {
                    document: document.clone(),
                    name,
                    line,
                }),
        );
    }
    Ok(Inventory::new(fields))
}

/// Every field of `inventory` whose name no schema in `set` declares, in canonical order.
pub fn undeclared_names(
    set: &SchemaSet,
    inventory: &Inventory,
) -> Result<Vec<DocumentField>, CodegenError> {
    let declared = declared_names(set)?;
    Ok(inventory
        .fields()
        .iter()
        .filter(|field| !declared.contains(&field.name))
        .cloned()
        .collect())
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

    fn field(document: &str, name: &str, line: usize) -> DocumentField {
        DocumentField {
            document: document.to_owned(),
            name: name.to_owned(),
            line,
        }
    }

    #[test]
    fn inventory_is_sorted_deduplicated_and_round_trips() {
        let inventory = Inventory::new(vec![
            field("b.txt", "uid", 3),
            field("a.txt", "records ", 9),
            field("a.txt", "records ", 2),
            field("a.txt", "7day_times", 5),
        ]);
        let json = inventory.to_json();
        assert_eq!(
            json,
            "[\n  {\"document\":\"a.txt\",\"name\":\"7day_times\",\"line\":5},\n  \
             {\"document\":\"a.txt\",\"name\":\"records \",\"line\":2},\n  \
             {\"document\":\"b.txt\",\"name\":\"uid\",\"line\":3}\n]\n"
        );
        let parsed = Inventory::from_json(&json, Path::new("x.json")).expect("parses");
        assert_eq!(parsed, inventory);
        assert_eq!(Inventory::default().to_json(), "[\n]\n");
    }

    #[test]
    fn inventory_rejects_unknown_keys() {
        let text = r#"[{"document":"a.txt","name":"uid","line":1,"note":"x"}]"#;
        assert!(Inventory::from_json(text, Path::new("x.json")).is_err());
    }
}
