//! Loading the schemas under `schemas/` and checking credkit's authoring rules.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::CodegenError;

/// The credkit extension keywords a schema may use (see `docs/schema-conventions.md`).
pub const KNOWN_EXTENSIONS: &[&str] = &[
    "x-credkit-gloss",
    "x-credkit-source",
    "x-credkit-aliases",
    "x-credkit-rust",
    "x-credkit-open-enum",
    "x-credkit-http-status",
    "x-credkit-variant",
    "x-credkit-format",
    "x-credkit-pii",
    "x-credkit-vendor",
];

/// What a vendor's backend does that its documents do not show, declared once for all its
/// schemas by `x-credkit-vendor` at the root of `schemas/<vendor>/common.json`
/// (`docs/schema-conventions.md`, "Drift").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VendorSettings {
    /// An object or map that can be empty may arrive as `[]` (PHP): accepted and written back
    /// as `[]` (`credkit_runtime::PhpEmpty`).
    #[serde(default, rename = "php-empty-containers")]
    pub php_empty_containers: bool,
    /// Every scalar may arrive as another scalar kind than documented: kept exactly
    /// (`credkit_runtime::Scalar`), read through typed accessors, reported by audit.
    #[serde(default, rename = "scalar-drift")]
    pub scalar_drift: bool,
}

/// Values of `x-credkit-format` (`credkit_runtime::format::Format`) and `x-credkit-pii`
/// (`credkit_runtime::pii::PiiClass`); keep in step with the runtime.
const FORMATS: &[&str] = &[
    "amount",
    "count",
    "percent",
    "date",
    "datetime",
    "month-status",
    "month-status-24",
];
const PII_CLASSES: &[&str] = &[
    "name",
    "id-number",
    "phone",
    "address",
    "employer",
    "email",
    "bank-card",
    "account-number",
    "birth-date",
    "vehicle-id",
];

/// What a schema file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A payload: its root (named by `title`) is a model with an id.
    Model,
    /// `schemas/<vendor>/…/common.json`: `$defs` shared by a vendor's models, generated once
    /// into their own module.
    Library,
    /// `schemas/common.json`: shapes shared across vendors; each names its Rust type with
    /// `x-credkit-rust`, nothing is generated for it.
    Shared,
}

/// One schema file.
#[derive(Debug, Clone)]
pub struct SchemaFile {
    /// Path relative to `schemas/`, with `/` separators: `deepfinch/cloud/task-result.json`.
    pub rel_path: String,
    /// Model id: `rel_path` without extension (`deepfinch/cloud/task-result`).
    pub id: String,
    /// The first path component: the vendor, which names the model crate (empty for `Shared`).
    pub vendor: String,
    /// What the file is for.
    pub kind: FileKind,
    /// The parsed schema.
    pub value: Value,
}

impl SchemaFile {
    /// The Rust module path of the file inside its vendor's crate:
    /// `deepfinch/cloud/task-result` → `["cloud", "task_result"]`.
    pub fn module_path(&self) -> Vec<String> {
        self.id
            .split('/')
            .skip(1)
            .map(|part| part.replace('-', "_"))
            .collect()
    }

    /// The root type's name (`title`), for models.
    pub fn title(&self) -> Option<&str> {
        self.value.get("title").and_then(Value::as_str)
    }

    /// The Rust path of a type defined by this file, as seen from inside the vendor crate.
    pub fn rust_path(&self, type_name: &str) -> String {
        let mut path = String::from("crate");
        for part in self.module_path() {
            path.push_str("::");
            path.push_str(&part);
        }
        format!("{path}::{type_name}")
    }
}

/// Every schema file under `schemas/`, ordered by path.
#[derive(Debug, Clone)]
pub struct SchemaSet {
    files: BTreeMap<String, SchemaFile>,
}

impl SchemaSet {
    /// Loads and checks every `*.json` file below `schemas_dir`.
    pub fn load(schemas_dir: &Path) -> Result<Self, CodegenError> {
        Self::from_values(
            read_sources(schemas_dir)?
                .into_iter()
                .filter(|(path, _)| !is_endpoint_description(Path::new(path))),
        )
    }

    /// Builds a set from in-memory schemas (`rel_path` → schema), checking each.
    pub fn from_values(
        values: impl IntoIterator<Item = (String, Value)>,
    ) -> Result<Self, CodegenError> {
        let mut files = BTreeMap::new();
        for (rel_path, value) in values {
            let file = Self::classify(rel_path.clone(), value);
            check_file(&file)?;
            files.insert(rel_path, file);
        }
        Ok(SchemaSet { files })
    }

    fn classify(rel_path: String, value: Value) -> SchemaFile {
        let id = rel_path
            .strip_suffix(".json")
            .unwrap_or(&rel_path)
            .to_owned();
        let (vendor, kind) = match id.split_once('/') {
            None => (String::new(), FileKind::Shared),
            Some((vendor, _)) if id.ends_with("/common") => (vendor.to_owned(), FileKind::Library),
            Some((vendor, _)) => (vendor.to_owned(), FileKind::Model),
        };
        SchemaFile {
            rel_path,
            id,
            vendor,
            kind,
            value,
        }
    }

    /// All files, ordered by path.
    pub fn files(&self) -> impl Iterator<Item = &SchemaFile> {
        self.files.values()
    }

    /// The model files (those with a model id), ordered by path.
    pub fn models(&self) -> impl Iterator<Item = &SchemaFile> {
        self.files().filter(|f| f.kind == FileKind::Model)
    }

    /// A file by its path relative to `schemas/`.
    pub fn get(&self, rel_path: &str) -> Option<&SchemaFile> {
        self.files.get(rel_path)
    }

    /// A model by its id.
    pub fn model(&self, id: &str) -> Option<&SchemaFile> {
        self.models().find(|f| f.id == id)
    }

    /// The settings of `vendor` (`x-credkit-vendor` in `schemas/<vendor>/common.json`).
    pub fn vendor_settings(&self, vendor: &str) -> VendorSettings {
        self.get(&format!("{vendor}/common.json"))
            .and_then(|file| file.value.get("x-credkit-vendor"))
            .and_then(|value| serde_json::from_value(value.clone()).ok())
            .unwrap_or_default()
    }

    /// The vendors that have at least one model, ordered.
    pub fn vendors(&self) -> Vec<String> {
        let mut vendors: Vec<String> = self.models().map(|f| f.vendor.clone()).collect();
        vendors.dedup();
        vendors
    }
}

/// Every `*.json` file below `dir` (schemas and endpoint descriptions), in path order.
pub fn collect_json_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), CodegenError> {
    let entries = std::fs::read_dir(dir).map_err(|source| CodegenError::Io {
        path: dir.to_owned(),
        source,
    })?;
    let mut entries: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_json_files(&path, out)?;
        } else if path.extension().is_some_and(|ext| ext == "json") {
            out.push(path);
        }
    }
    Ok(())
}

/// The files under `schemas/`, by path relative to it, parsed.
pub type Sources = BTreeMap<String, Value>;

/// Reads every `*.json` below `schemas_dir` (schemas and endpoint descriptions).
pub fn read_sources(schemas_dir: &Path) -> Result<Sources, CodegenError> {
    let mut paths = Vec::new();
    collect_json_files(schemas_dir, &mut paths)?;
    paths
        .iter()
        .map(|path| Ok((relative_path(schemas_dir, path), read_json(path)?)))
        .collect()
}

/// `path` relative to `dir`, with `/` separators.
fn relative_path(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads and parses one JSON file.
fn read_json(path: &Path) -> Result<Value, CodegenError> {
    let text = std::fs::read_to_string(path).map_err(|source| CodegenError::Io {
        path: path.to_owned(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| CodegenError::Json {
        path: path.to_owned(),
        source,
    })
}

/// The strings of a JSON array (`required`, `x-credkit-aliases`), or none.
pub fn strings(value: Option<&Value>) -> Vec<&str> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

/// Whether a file is an OpenAPI endpoint description (`*.openapi.json`), not a payload schema.
pub fn is_endpoint_description(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|name| name.to_string_lossy().ends_with(".openapi.json"))
}

/// Calls `visit(pointer, schema)` for `schema` and every schema nested in it.
pub fn walk_schemas<'a>(
    schema: &'a Value,
    pointer: &str,
    visit: &mut dyn FnMut(&str, &'a Value) -> Result<(), CodegenError>,
) -> Result<(), CodegenError> {
    visit(pointer, schema)?;
    let Some(object) = schema.as_object() else {
        return Ok(());
    };
    for (keyword, child) in object {
        let child_pointer = format!("{pointer}/{}", escape_pointer(keyword));
        match keyword.as_str() {
            "properties" | "patternProperties" | "$defs" | "definitions" => {
                if let Some(members) = child.as_object() {
                    for (name, member) in members {
                        walk_schemas(
                            member,
                            &format!("{child_pointer}/{}", escape_pointer(name)),
                            visit,
                        )?;
                    }
                }
            }
            "anyOf" | "oneOf" | "allOf" | "prefixItems" => {
                if let Some(items) = child.as_array() {
                    for (index, item) in items.iter().enumerate() {
                        walk_schemas(item, &format!("{child_pointer}/{index}"), visit)?;
                    }
                }
            }
            "items" if child.is_array() => {
                for (index, item) in child.as_array().into_iter().flatten().enumerate() {
                    walk_schemas(item, &format!("{child_pointer}/{index}"), visit)?;
                }
            }
            "items"
            | "additionalProperties"
            | "additionalItems"
            | "not"
            | "contains"
            | "if"
            | "then"
            | "else" => walk_schemas(child, &child_pointer, visit)?,
            _ => {}
        }
    }
    Ok(())
}

/// Escapes a key for use in a JSON pointer (RFC 6901).
pub fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn check_file(file: &SchemaFile) -> Result<(), CodegenError> {
    let err =
        |pointer: &str, message: String| CodegenError::schema(&file.rel_path, pointer, message);
    let root = file
        .value
        .as_object()
        .ok_or_else(|| err("", "a schema file must hold a JSON object".into()))?;
    if file.kind == FileKind::Model {
        let title = root.get("title").and_then(Value::as_str).ok_or_else(|| {
            err(
                "",
                "a model schema needs a `title`: the Rust name of its root type".into(),
            )
        })?;
        if !is_pascal_ident(title) {
            return Err(err(
                "/title",
                format!("`{title}` is not a PascalCase Rust type name"),
            ));
        }
        for keyword in ["description", "x-credkit-gloss"] {
            if !root.contains_key(keyword) {
                return Err(err("", format!("the root needs `{keyword}`")));
            }
        }
    }
    if let Some(defs) = root.get("$defs").and_then(Value::as_object) {
        for name in defs.keys() {
            if !is_pascal_ident(name) {
                return Err(err(
                    &format!("/$defs/{}", escape_pointer(name)),
                    format!("`{name}` is not a PascalCase Rust type name"),
                ));
            }
        }
    }
    if let Some(settings) = root.get("x-credkit-vendor") {
        if file.kind != FileKind::Library {
            return Err(err(
                "/x-credkit-vendor",
                "`x-credkit-vendor` belongs at the root of schemas/<vendor>/common.json".into(),
            ));
        }
        serde_json::from_value::<VendorSettings>(settings.clone())
            .map_err(|e| err("/x-credkit-vendor", e.to_string()))?;
    }
    if root.contains_key("definitions") {
        return Err(err(
            "/definitions",
            "write `$defs` (JSON Schema 2020-12)".into(),
        ));
    }
    walk_schemas(&file.value, "", &mut |pointer, schema| {
        let Some(object) = schema.as_object() else {
            return Ok(());
        };
        for keyword in object.keys() {
            if keyword.starts_with("x-credkit-") && !KNOWN_EXTENSIONS.contains(&keyword.as_str()) {
                return Err(err(
                    pointer,
                    format!("unknown extension keyword `{keyword}`"),
                ));
            }
        }
        for (keyword, allowed) in [
            ("x-credkit-format", FORMATS),
            ("x-credkit-pii", PII_CLASSES),
        ] {
            if let Some(value) = object.get(keyword) {
                if !value.as_str().is_some_and(|name| allowed.contains(&name)) {
                    return Err(err(
                        pointer,
                        format!("`{keyword}` must be one of {}", allowed.join(", ")),
                    ));
                }
            }
        }
        if let Some(aliases) = object.get("x-credkit-aliases") {
            let valid = aliases
                .as_array()
                .is_some_and(|items| items.iter().all(Value::is_string));
            if !valid {
                return Err(err(
                    pointer,
                    "`x-credkit-aliases` must be a list of strings".into(),
                ));
            }
        }
        if let Some(properties) = object.get("properties").and_then(Value::as_object) {
            for (name, property) in properties {
                let property_pointer = format!("{pointer}/properties/{}", escape_pointer(name));
                for keyword in ["description", "x-credkit-gloss", "x-credkit-source"] {
                    if property.get(keyword).and_then(Value::as_str).is_none() {
                        return Err(err(
                            &property_pointer,
                            format!("property `{name}` needs `{keyword}` (see docs/schema-conventions.md)"),
                        ));
                    }
                }
            }
        }
        Ok(())
    })
}

/// Whether `name` is a PascalCase Rust identifier (ASCII letters and digits, leading capital).
pub fn is_pascal_ident(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_alphanumeric())
}
