//! Where an unknown field belongs: a payload path resolved through the *source* schemas
//! (`schemas/…`, `$ref`s across files followed, not the bundled `M::SCHEMA`) to the schema file
//! and JSON pointer of the object schema that should declare it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use credkit_runtime::PathSegment;
use serde_json::Value;

/// The largest schema file read (the biggest curated schema is a few hundred KiB).
const MAX_SCHEMA_BYTES: u64 = 16 << 20;
/// The most schema files one model may pull in through `$ref`s.
const MAX_FILES: usize = 256;
/// How many `$ref`s in a row, or nested `anyOf`/`oneOf`/`allOf`, are followed before giving up.
const MAX_HOPS: usize = 32;

/// Why the source schemas cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// A schema file cannot be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A schema file is larger than [`MAX_SCHEMA_BYTES`].
    #[error("{path} is larger than {MAX_SCHEMA_BYTES} bytes")]
    TooLarge {
        /// The file.
        path: PathBuf,
    },
    /// A schema file is not JSON.
    #[error("{path} is not JSON: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// Why.
        source: serde_json::Error,
    },
    /// The model pulls in more than [`MAX_FILES`] files.
    #[error("the model's schema refers to more than {MAX_FILES} files")]
    TooManyFiles,
}

/// A schema inside a source file: its path relative to the schemas directory and a JSON
/// pointer into it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// Path relative to the schemas directory, `/`-separated (`deepfinch/credit-report-v1.json`).
    pub file: String,
    /// JSON pointer of the schema in the file (`""` for the root).
    pub pointer: String,
}

impl Location {
    fn child(&self, tail: &str) -> Location {
        Location {
            file: self.file.clone(),
            pointer: format!("{}/{tail}", self.pointer),
        }
    }
}

/// The source schema files of one model: its own and every file its `$ref`s reach.
#[derive(Debug)]
pub struct Sources {
    files: BTreeMap<String, Value>,
}

impl Sources {
    /// Reads `<dir>/<model_file>` and, transitively, every file its `$ref`s name.
    pub fn load(dir: &Path, model_file: &str) -> Result<Self, SourceError> {
        let mut sources = Sources {
            files: BTreeMap::new(),
        };
        let mut queue = vec![model_file.to_owned()];
        while let Some(rel) = queue.pop() {
            if sources.files.contains_key(&rel) {
                continue;
            }
            if sources.files.len() >= MAX_FILES {
                return Err(SourceError::TooManyFiles);
            }
            let value = read_schema(&dir.join(&rel))?;
            let mut references = Vec::new();
            collect_refs(&value, &mut references);
            for reference in references {
                let (path, _) = reference.split_once('#').unwrap_or((reference, ""));
                if !path.is_empty() {
                    if let Some(target) = join_relative(&rel, path) {
                        queue.push(target);
                    }
                }
            }
            sources.files.insert(rel, value);
        }
        Ok(sources)
    }

    /// The schema at a location.
    pub fn get(&self, location: &Location) -> Option<&Value> {
        self.files.get(&location.file)?.pointer(&location.pointer)
    }

    /// The location a `$ref` found at `from` names: same file for `#/…`, relative to the
    /// file otherwise.
    fn target(&self, from: &Location, reference: &str) -> Option<Location> {
        let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let file = if path.is_empty() {
            from.file.clone()
        } else {
            join_relative(&from.file, path)?
        };
        Some(Location {
            file,
            pointer: fragment.to_owned(),
        })
    }

    /// The location and schema at `location`, `$ref`s followed.
    fn deref(&self, mut location: Location) -> Option<(Location, &Value)> {
        for _ in 0..MAX_HOPS {
            let schema = self.get(&location)?;
            match schema.get("$ref").and_then(Value::as_str) {
                Some(reference) => location = self.target(&location, reference)?,
                None => return Some((location, schema)),
            }
        }
        None
    }

    /// The schema at `location` and every branch of its `anyOf`/`oneOf`/`allOf`, resolved.
    fn branches<'a>(
        &'a self,
        location: Location,
        hops: usize,
        out: &mut Vec<(Location, &'a Value)>,
    ) {
        let Some((location, schema)) = self.deref(location) else {
            return;
        };
        out.push((location.clone(), schema));
        if hops >= MAX_HOPS {
            return;
        }
        for keyword in ["anyOf", "oneOf", "allOf"] {
            let count = schema
                .get(keyword)
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            for index in 0..count {
                self.branches(location.child(&format!("{keyword}/{index}")), hops + 1, out);
            }
        }
    }

    /// The branches of the schema at `location` that `value` fits.
    fn fitting<'a>(&'a self, location: &Location, value: &Value) -> Vec<(Location, &'a Value)> {
        let mut all = Vec::new();
        self.branches(location.clone(), 0, &mut all);
        all.retain(|(_, schema)| admits(schema, value));
        all
    }

    /// The object schema that declares the members of the object at `parent` in `document`
    /// (a path in the payload), starting from the model's root schema in `model_file`.
    pub fn locate(
        &self,
        model_file: &str,
        document: &Value,
        parent: &[PathSegment],
    ) -> Result<Location, String> {
        let mut location = Location {
            file: model_file.to_owned(),
            pointer: String::new(),
        };
        let mut value = document;
        for segment in parent {
            let candidates = self.fitting(&location, value);
            let (next, child) = match (segment, value) {
                (PathSegment::Key(key), Value::Object(map)) => {
                    let child = map.get(key).ok_or("the payload has no such member")?;
                    let next = candidates
                        .iter()
                        .find_map(|(at, schema)| member_location(at, schema, key))
                        .ok_or("the schema declares no such member")?;
                    (next, child)
                }
                (PathSegment::Index(index), Value::Array(items)) => {
                    let child = items.get(*index).ok_or("the payload has no such element")?;
                    let next = candidates
                        .iter()
                        .find_map(|(at, schema)| element_location(at, schema, *index))
                        .ok_or("the schema declares no such element")?;
                    (next, child)
                }
                _ => return Err("the payload does not have this shape".into()),
            };
            location = next;
            value = child;
        }
        let declared = |schema: &Value| {
            let properties = schema.get("properties").and_then(Value::as_object);
            value.as_object().map_or(0, |map| {
                map.keys()
                    .filter(|k| properties.is_some_and(|p| p.contains_key(*k)))
                    .count()
            })
        };
        let (location, schema) = self
            .fitting(&location, value)
            .into_iter()
            .filter(|(_, schema)| is_object_schema(schema))
            .max_by_key(|(_, schema)| declared(schema))
            .ok_or("no object schema describes this member")?;
        if !location.file.contains('/') || schema.get("x-credkit-rust").is_some() {
            return Err(format!(
                "it belongs to a shared shape of {} ({}), which maps to a hand-written Rust type",
                location.file,
                if location.pointer.is_empty() {
                    "/"
                } else {
                    &location.pointer
                }
            ));
        }
        Ok(location)
    }
}

/// Reads one schema file, bounded.
fn read_schema(path: &Path) -> Result<Value, SourceError> {
    let read = |source| SourceError::Read {
        path: path.to_owned(),
        source,
    };
    let size = std::fs::metadata(path).map_err(read)?.len();
    if size > MAX_SCHEMA_BYTES {
        return Err(SourceError::TooLarge {
            path: path.to_owned(),
        });
    }
    let text = std::fs::read_to_string(path).map_err(read)?;
    serde_json::from_str(&text).map_err(|source| SourceError::Json {
        path: path.to_owned(),
        source,
    })
}

/// Every `$ref` string in a schema.
fn collect_refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                match (key.as_str(), child) {
                    ("$ref", Value::String(reference)) => out.push(reference),
                    _ => collect_refs(child, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_refs(item, out)),
        _ => {}
    }
}

/// `reference` (a relative file path) seen from the file `base`, both relative to the schemas
/// directory: `deepfinch/jd/credit-report.json` + `../credit-report-v1.json` →
/// `deepfinch/credit-report-v1.json`. `None` for a path that leaves the directory.
pub fn join_relative(base: &str, reference: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').collect();
    parts.pop();
    for part in reference.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// Whether a (resolved) schema accepts a value of `value`'s JSON type. Without `type`, an
/// object fits a schema with `properties`/`additionalProperties`, an array one with
/// `items`/`prefixItems`, anything else one with neither.
fn admits(schema: &Value, value: &Value) -> bool {
    let fits = |name: &str| match (name, value) {
        ("object", Value::Object(_)) | ("array", Value::Array(_)) => true,
        ("string", Value::String(_)) | ("boolean", Value::Bool(_)) | ("null", Value::Null) => true,
        ("number", Value::Number(_)) => true,
        ("integer", Value::Number(number)) => number.is_i64() || number.is_u64(),
        _ => false,
    };
    match schema.get("type") {
        Some(Value::String(name)) => fits(name),
        Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).any(fits),
        _ => {
            let has = |keyword: &str| schema.get(keyword).is_some();
            match value {
                Value::Object(_) => has("properties") || has("additionalProperties"),
                Value::Array(_) => has("items") || has("prefixItems"),
                _ => !has("properties") && !has("items") && !has("prefixItems"),
            }
        }
    }
}

/// Whether a schema describes an object whose members it lists (or could list).
fn is_object_schema(schema: &Value) -> bool {
    schema.get("properties").is_some_and(Value::is_object)
        || schema.get("type").and_then(Value::as_str) == Some("object")
}

/// Where the schema of member `key` is, under an object schema at `at`: its property (by name
/// or alias), else its `additionalProperties` schema.
fn member_location(at: &Location, schema: &Value, key: &str) -> Option<Location> {
    let properties = schema.get("properties").and_then(Value::as_object);
    let by_name = properties.and_then(|properties| {
        properties
            .iter()
            .find(|(name, property)| {
                *name == key
                    || property
                        .get("x-credkit-aliases")
                        .and_then(Value::as_array)
                        .is_some_and(|aliases| aliases.iter().any(|alias| alias == key))
            })
            .map(|(name, _)| at.child(&format!("properties/{}", escape_pointer(name))))
    });
    by_name.or_else(|| {
        schema
            .get("additionalProperties")
            .filter(|values| values.is_object())
            .map(|_| at.child("additionalProperties"))
    })
}

/// Where the schema of element `index` is, under an array schema at `at`.
fn element_location(at: &Location, schema: &Value, index: usize) -> Option<Location> {
    let positional = schema.get("prefixItems").and_then(Value::as_array);
    match positional {
        Some(positional) if index < positional.len() => {
            Some(at.child(&format!("prefixItems/{index}")))
        }
        _ => schema
            .get("items")
            .filter(|items| items.is_object())
            .map(|_| at.child("items")),
    }
}

/// Escapes a key for a JSON pointer (RFC 6901).
pub fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str) -> PathSegment {
        PathSegment::Key(name.to_owned())
    }

    fn workspace_schemas() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas")
    }

    #[test]
    fn relative_references_join_and_never_leave_the_directory() {
        assert_eq!(
            join_relative(
                "deepfinch/jd/credit-report.json",
                "../credit-report-v1.json"
            )
            .as_deref(),
            Some("deepfinch/credit-report-v1.json")
        );
        assert_eq!(
            join_relative("deepfinch/x.json", "./common.json").as_deref(),
            Some("deepfinch/common.json")
        );
        assert_eq!(join_relative("a.json", "../b.json"), None);
    }

    #[test]
    fn a_path_into_another_models_defs_resolves_to_that_file() {
        let sources = Sources::load(&workspace_schemas(), "deepfinch/jd/credit-report.json")
            .expect("sources");
        let other = Location {
            file: "deepfinch/credit-report-v1.json".into(),
            pointer: String::new(),
        };
        assert!(sources.get(&other).is_some());
        let document = serde_json::json!({
            "result": {"status": "OK", "structured_result": {"loans": [{"x": 1}]}}
        });
        let parent = [
            key("result"),
            key("structured_result"),
            key("loans"),
            PathSegment::Index(0),
        ];
        let location = sources
            .locate("deepfinch/jd/credit-report.json", &document, &parent)
            .expect("located");
        assert_eq!(location.file, "deepfinch/credit-report-v1.json");
        assert!(location.pointer.starts_with("/$defs/"), "{location:?}");
        let schema = sources.get(&location).expect("schema");
        assert!(schema.get("properties").is_some(), "{schema}");
        // The root of the model's own file, and a `$defs` entry of it.
        let root = sources
            .locate("deepfinch/jd/credit-report.json", &document, &[])
            .expect("root");
        assert_eq!(root.pointer, "");
        let result = sources
            .locate(
                "deepfinch/jd/credit-report.json",
                &document,
                &[key("result")],
            )
            .expect("result");
        assert_eq!(result.file, "deepfinch/jd/credit-report.json");
        assert_eq!(result.pointer, "/$defs/JdResult");
    }

    #[test]
    fn union_branches_are_chosen_by_the_value_and_shared_shapes_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("v")).expect("mkdir");
        let model = serde_json::json!({
            "type": "object",
            "properties": {
                "either": {"anyOf": [
                    {"type": "string"},
                    {"type": "array", "items": {"$ref": "#/$defs/Item"}},
                    {"$ref": "#/$defs/Item"}
                ]},
                "lenient": {"$ref": "../common.json#/$defs/ObjectOrText"},
                "map": {"type": "object", "additionalProperties": {"$ref": "#/$defs/Item"}}
            },
            "$defs": {"Item": {"type": "object", "properties": {"a": {"type": "integer"}}}}
        });
        let common = serde_json::json!({"$defs": {"ObjectOrText": {
            "x-credkit-rust": "::credkit_runtime::ObjectOrText",
            "anyOf": [{"type": "object"}, {"type": "string"}]
        }}});
        std::fs::write(dir.path().join("v/m.json"), model.to_string()).expect("write");
        std::fs::write(dir.path().join("common.json"), common.to_string()).expect("write");
        let sources = Sources::load(dir.path(), "v/m.json").expect("sources");
        let document = serde_json::json!({
            "either": [{"a": 1, "b": 2}],
            "lenient": {"z": 1},
            "map": {"k": {"c": 1}}
        });
        let located = |parent: &[PathSegment]| sources.locate("v/m.json", &document, parent);
        assert_eq!(
            located(&[key("either"), PathSegment::Index(0)]).map(|l| l.pointer),
            Ok("/$defs/Item".to_owned())
        );
        assert_eq!(
            located(&[key("map"), key("k")]).map(|l| l.pointer),
            Ok("/$defs/Item".to_owned())
        );
        let refused = located(&[key("lenient")]).expect_err("shared");
        assert!(refused.contains("common.json"), "{refused}");
        assert!(located(&[key("nothing")]).is_err());
    }
}
