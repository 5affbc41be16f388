//! Each model's curated schema as one self-contained JSON Schema 2020-12 document.
//!
//! The model crates ship it beside each module (`<module>.schema.json`) and expose it as
//! `credkit_runtime::Model::SCHEMA`, so tools validate against the curated schema itself — its
//! types, `required` lists and `x-credkit-*` keywords — not a schema derived back from the Rust
//! types. References to other files are pulled into `$defs` (the other file's root under its
//! `title`), every `$ref` becomes local, and `oneOf` is written `anyOf`: the generated types
//! read a union as serde's untagged enums do — the first shape that fits wins, even when a
//! later one would fit too (a Tencent error body is also an empty v2 report) — and validators
//! must agree with the parser. Nothing else changes.

use std::collections::{BTreeMap, VecDeque};

use serde_json::{Map, Value};

use crate::bundle::join_relative;
use crate::output::GENERATED_HEADER;
use crate::schema_set::{FileKind, SchemaFile, SchemaSet};
use crate::CodegenError;

/// The `$comment` that marks a generated JSON file (JSON has no comments).
pub fn generated_comment() -> String {
    GENERATED_HEADER.trim_start_matches("// ").to_owned()
}

/// What a `$ref` names: a file and, inside it, a `$defs` entry or (`None`) its root.
type Target = (String, Option<String>);

struct Inliner<'a> {
    set: &'a SchemaSet,
    root: &'a SchemaFile,
    /// Target → its key in the output's `$defs` (`None` key: the document root itself).
    keys: BTreeMap<Target, Option<String>>,
    /// The output's `$defs`; a key is taken (with a placeholder) as soon as it is assigned.
    defs: Map<String, Value>,
    /// Content still to rewrite: the file it was written in, its key, the schema.
    queue: VecDeque<(String, String, Value)>,
}

impl Inliner<'_> {
    fn error(&self, file: &str, message: String) -> CodegenError {
        CodegenError::schema(file, "", message)
    }

    /// The target a reference written in `file` names.
    fn target(&self, file: &str, reference: &str) -> Result<Target, CodegenError> {
        let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let target_file = if path.is_empty() {
            file.to_owned()
        } else {
            join_relative(file, path).ok_or_else(|| {
                self.error(file, format!("`{reference}` leaves the schemas folder"))
            })?
        };
        let def = match fragment {
            "" => None,
            f => Some(
                f.strip_prefix("/$defs/")
                    .ok_or_else(|| {
                        self.error(file, format!("`{reference}`: unsupported fragment"))
                    })?
                    .to_owned(),
            ),
        };
        Ok((target_file, def))
    }

    /// The `$ref` text for a target, registering it (and queueing its content) when new.
    fn reference(&mut self, target: Target) -> Result<String, CodegenError> {
        if let Some(key) = self.keys.get(&target) {
            return Ok(match key {
                Some(key) => format!("#/$defs/{key}"),
                None => "#".to_owned(),
            });
        }
        let file = self.set.get(&target.0).ok_or_else(|| {
            self.error(&self.root.rel_path, format!("no schema file {}", target.0))
        })?;
        let content = self.content(&target).ok_or_else(|| {
            self.error(
                &file.rel_path,
                format!("no `$defs` entry {:?} to refer to", target.1),
            )
        })?;
        let base = match &target.1 {
            Some(name) => name.clone(),
            None => file.title().unwrap_or("Root").to_owned(),
        };
        let mut key = base.clone();
        if self.defs.contains_key(&key) {
            let prefix = file
                .title()
                .map(str::to_owned)
                .unwrap_or_else(|| crate::bundle::pascal(&file.id));
            key = format!("{prefix}{base}");
            let mut n = 2;
            while self.defs.contains_key(&key) {
                key = format!("{prefix}{base}{n}");
                n += 1;
            }
        }
        self.defs.insert(key.clone(), Value::Null);
        self.queue
            .push_back((target.0.clone(), key.clone(), content));
        self.keys.insert(target, Some(key.clone()));
        Ok(format!("#/$defs/{key}"))
    }

    /// Rewrites every `$ref` in `value`, written in `file`.
    fn rewrite(&mut self, file: &str, value: &mut Value) -> Result<(), CodegenError> {
        match value {
            Value::Object(object) => {
                if let Some(shapes) = object.remove("oneOf") {
                    object.insert("anyOf".into(), shapes);
                }
                if let Some(Value::String(reference)) = object.get("$ref") {
                    let target = self.target(file, reference)?;
                    let local = self.reference(target)?;
                    object.insert("$ref".into(), Value::String(local));
                }
                for (key, child) in object.iter_mut() {
                    if key != "$ref" && key != "$defs" {
                        self.rewrite(file, child)?;
                    }
                }
                Ok(())
            }
            Value::Array(items) => items
                .iter_mut()
                .try_for_each(|item| self.rewrite(file, item)),
            _ => Ok(()),
        }
    }

    fn content(&self, target: &Target) -> Option<Value> {
        let file = self.set.get(&target.0)?;
        match &target.1 {
            Some(name) => file.value.get("$defs")?.get(name).cloned(),
            None => {
                let mut content = file.value.clone();
                let object = content.as_object_mut()?;
                for keyword in ["$defs", "$schema", "$id", "$comment"] {
                    object.remove(keyword);
                }
                Some(content)
            }
        }
    }
}

/// The self-contained curated schema of a model file.
pub fn self_contained(set: &SchemaSet, file: &SchemaFile) -> Result<Value, CodegenError> {
    let mut inliner = Inliner {
        set,
        root: file,
        keys: BTreeMap::new(),
        defs: Map::new(),
        queue: VecDeque::new(),
    };
    inliner.keys.insert((file.rel_path.clone(), None), None);
    // The file's own definitions keep their names.
    for (name, def) in file
        .value
        .get("$defs")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        inliner.keys.insert(
            (file.rel_path.clone(), Some(name.clone())),
            Some(name.clone()),
        );
        inliner.defs.insert(name.clone(), Value::Null);
        inliner
            .queue
            .push_back((file.rel_path.clone(), name.clone(), def.clone()));
    }
    let mut root = file.value.clone();
    if let Some(object) = root.as_object_mut() {
        object.remove("$defs");
    }
    inliner.rewrite(&file.rel_path, &mut root)?;
    while let Some((written_in, key, mut content)) = inliner.queue.pop_front() {
        inliner.rewrite(&written_in, &mut content)?;
        inliner.defs.insert(key, content);
    }
    let Value::Object(mut object) = root else {
        return Err(inliner.error(
            &file.rel_path,
            "a schema file must hold a JSON object".into(),
        ));
    };
    let mut out = Map::new();
    out.insert("$comment".into(), Value::String(generated_comment()));
    out.insert(
        "$schema".into(),
        Value::String("https://json-schema.org/draft/2020-12/schema".into()),
    );
    out.insert("$id".into(), Value::String(format!("credkit:{}", file.id)));
    object.remove("$schema");
    object.remove("$id");
    out.extend(object);
    if !inliner.defs.is_empty() {
        out.insert("$defs".into(), Value::Object(inliner.defs));
    }
    debug_assert!(file.kind == FileKind::Model);
    Ok(Value::Object(out))
}

/// The printed file: pretty JSON, one trailing newline.
pub fn render(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}
