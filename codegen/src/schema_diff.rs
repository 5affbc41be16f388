//! What changed between two versions of the schemas and endpoint descriptions, and whether
//! each change breaks the wire (payloads that used to parse, or requests that used to be
//! accepted) or the generated Rust API (code that used to compile).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::Value;

use crate::bundle::{bundle, typify_field_name, Bundle};
use crate::schema_set::{is_endpoint_description, FileKind, SchemaSet};
use crate::CodegenError;

/// Whether a change keeps working code and payloads working.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Nothing that worked stops working.
    Compatible,
    /// Something that worked stops working.
    Breaking,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// The model id or endpoint description it belongs to.
    pub scope: String,
    /// Where: `Type.field`, `Type`, or `POST /path`.
    pub location: String,
    /// What changed, in words.
    pub what: String,
    /// For payloads and requests on the wire.
    pub wire: Impact,
    /// For code using the generated crates.
    pub rust: Impact,
}

impl Change {
    /// Whether the change breaks anything.
    pub fn is_breaking(&self) -> bool {
        self.wire == Impact::Breaking || self.rust == Impact::Breaking
    }
}

use Impact::{Breaking, Compatible};

/// What the diff knows about one property.
#[derive(Debug, Clone, PartialEq)]
struct Property {
    signature: String,
    required: bool,
    nullable: bool,
    aliases: BTreeSet<String>,
    enum_values: BTreeSet<String>,
}

/// What the diff knows about one schema file: per type, its properties; per code table or
/// closed enum, its values (and whether it is open).
#[derive(Debug, Default)]
struct Facts {
    types: BTreeMap<String, BTreeMap<String, Property>>,
    enums: BTreeMap<String, (bool, BTreeSet<String>)>,
}

/// The converted schema without what does not change the accepted shape.
fn signature(schema: &Value) -> String {
    fn strip(value: &Value) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .filter(|(k, _)| !matches!(k.as_str(), "description" | "enum" | "title"))
                    .map(|(k, v)| {
                        let v = if k == "type" {
                            match v {
                                Value::Array(types) => {
                                    let kept: Vec<Value> =
                                        types.iter().filter(|t| *t != "null").cloned().collect();
                                    if kept.len() == 1 {
                                        kept[0].clone()
                                    } else {
                                        Value::Array(kept)
                                    }
                                }
                                other => other.clone(),
                            }
                        } else {
                            strip(v)
                        };
                        (k.clone(), v)
                    })
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(strip).collect()),
            other => other.clone(),
        }
    }
    strip(schema).to_string()
}

fn facts(bundle: &Bundle) -> Facts {
    let mut facts = Facts::default();
    for (name, schema) in bundle.named_schemas() {
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            facts.enums.insert(
                name.clone(),
                (false, values.iter().map(Value::to_string).collect()),
            );
        }
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
            continue;
        };
        let required: BTreeSet<&str> = crate::schema_set::strings(schema.get("required"))
            .into_iter()
            .collect();
        let info = bundle.types.get(&crate::bundle::typify_type_name(&name));
        let mut fields = BTreeMap::new();
        for (key, property) in properties {
            let field = info.and_then(|i| i.get(key));
            fields.insert(
                key.clone(),
                Property {
                    signature: signature(property),
                    required: required.contains(key.as_str()),
                    nullable: field.is_some_and(|f| f.nullable),
                    aliases: field
                        .map(|f| f.aliases.iter().cloned().collect())
                        .unwrap_or_default(),
                    enum_values: property
                        .get("enum")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .map(Value::to_string)
                        .collect(),
                },
            );
        }
        facts.types.insert(name, fields);
    }
    for table in &bundle.open_enums {
        facts.enums.insert(
            table.name.clone(),
            (
                true,
                table.codes.iter().map(|c| c.value.to_string()).collect(),
            ),
        );
    }
    facts
}

/// Whether a type change only widens what the wire accepts: a scalar becoming the lenient
/// number-or-text.
fn widens(old: &str, new: &str) -> bool {
    let lenient =
        new.contains("#/definitions/NumberOrText") || new.contains("#/definitions/ObjectOrText");
    let scalar = ["\"string\"", "\"number\"", "\"integer\""]
        .iter()
        .any(|t| old == format!("{{\"type\":{t}}}"));
    lenient && scalar
}

fn push(
    out: &mut Vec<Change>,
    scope: &str,
    location: String,
    what: String,
    wire: Impact,
    rust: Impact,
) {
    out.push(Change {
        scope: scope.to_owned(),
        location,
        what,
        wire,
        rust,
    });
}

fn diff_facts(scope: &str, old: &Facts, new: &Facts, out: &mut Vec<Change>) {
    for (type_name, new_fields) in &new.types {
        let Some(old_fields) = old.types.get(type_name) else {
            push(
                out,
                scope,
                type_name.clone(),
                "type added".into(),
                Compatible,
                Compatible,
            );
            continue;
        };
        let mut renamed_from: BTreeSet<&str> = BTreeSet::new();
        for (key, new_prop) in new_fields {
            let location = format!("{type_name}.{key}");
            let Some(old_prop) = old_fields.get(key) else {
                // A new key whose aliases name a removed key is a rename.
                if let Some(old_key) = new_prop
                    .aliases
                    .iter()
                    .find(|a| old_fields.contains_key(*a) && !new_fields.contains_key(*a))
                {
                    renamed_from.insert(old_key);
                    let rust = if typify_field_name(old_key) == typify_field_name(key) {
                        Compatible
                    } else {
                        Breaking
                    };
                    push(
                        out,
                        scope,
                        location.clone(),
                        format!("renamed from `{old_key}` (still accepted as an alias)"),
                        Compatible,
                        rust,
                    );
                    let mut before = old_fields[old_key.as_str()].clone();
                    before.aliases.insert(old_key.clone());
                    compare(scope, &location, &before, new_prop, out);
                    continue;
                }
                let (what, impact) = if new_prop.required {
                    ("property added (required)", Breaking)
                } else {
                    ("property added (optional)", Compatible)
                };
                push(out, scope, location, what.into(), impact, impact);
                continue;
            };
            compare(scope, &location, old_prop, new_prop, out);
        }
        for key in old_fields.keys() {
            if !new_fields.contains_key(key) && !renamed_from.contains(key.as_str()) {
                push(
                    out,
                    scope,
                    format!("{type_name}.{key}"),
                    "property removed (now ignored as unknown)".into(),
                    Compatible,
                    Breaking,
                );
            }
        }
    }
    for type_name in old.types.keys() {
        if !new.types.contains_key(type_name) {
            push(
                out,
                scope,
                type_name.clone(),
                "type removed".into(),
                Compatible,
                Breaking,
            );
        }
    }
    for (name, (open, new_values)) in &new.enums {
        let Some((_, old_values)) = old.enums.get(name) else {
            continue;
        };
        for value in new_values.difference(old_values) {
            push(
                out,
                scope,
                name.clone(),
                format!("value {value} added"),
                Compatible,
                Breaking,
            );
        }
        for value in old_values.difference(new_values) {
            let wire = if *open { Compatible } else { Breaking };
            let what = if *open {
                format!("code {value} removed (now read as Other)")
            } else {
                format!("value {value} removed")
            };
            push(out, scope, name.clone(), what, wire, Breaking);
        }
    }
}

/// A short reading of a signature: `string`, `NumberOrText`, `list of Loan`, or the JSON.
fn readable(signature: &str) -> String {
    fn read(value: &Value) -> Option<String> {
        let object = value.as_object()?;
        if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
            return Some(reference.trim_start_matches("#/definitions/").to_owned());
        }
        match object.get("type")? {
            Value::String(t) if t == "array" => Some(format!(
                "list of {}",
                object
                    .get("items")
                    .and_then(read)
                    .unwrap_or_else(|| "any".into())
            )),
            Value::String(t) if object.len() == 1 => Some(t.clone()),
            Value::Array(types) if object.len() == 1 => Some(
                types
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(" or "),
            ),
            _ => None,
        }
    }
    serde_json::from_str::<Value>(signature)
        .ok()
        .as_ref()
        .and_then(read)
        .unwrap_or_else(|| signature.to_owned())
}

fn compare(scope: &str, location: &str, old: &Property, new: &Property, out: &mut Vec<Change>) {
    if old.signature != new.signature {
        let wire = if widens(&old.signature, &new.signature) {
            Compatible
        } else {
            Breaking
        };
        let what = format!(
            "type changed: {} → {}",
            readable(&old.signature),
            readable(&new.signature)
        );
        push(out, scope, location.to_owned(), what, wire, Breaking);
    }
    match (old.required, new.required) {
        (true, false) => push(
            out,
            scope,
            location.to_owned(),
            "required → optional (`T` → `Option<T>`)".into(),
            Compatible,
            Breaking,
        ),
        (false, true) => push(
            out,
            scope,
            location.to_owned(),
            "optional → required (`Option<T>` → `T`)".into(),
            Breaking,
            Breaking,
        ),
        _ => {}
    }
    match (old.nullable, new.nullable) {
        (false, true) => push(
            out,
            scope,
            location.to_owned(),
            "now accepts null (`Option<T>` → `Option<Option<T>>`)".into(),
            Compatible,
            Breaking,
        ),
        (true, false) => push(
            out,
            scope,
            location.to_owned(),
            "no longer nullable".into(),
            Compatible,
            Breaking,
        ),
        _ => {}
    }
    for alias in new.aliases.difference(&old.aliases) {
        push(
            out,
            scope,
            location.to_owned(),
            format!("alias `{alias}` added"),
            Compatible,
            Compatible,
        );
    }
    for alias in old.aliases.difference(&new.aliases) {
        push(
            out,
            scope,
            location.to_owned(),
            format!("alias `{alias}` removed"),
            Breaking,
            Compatible,
        );
    }
    for value in new.enum_values.difference(&old.enum_values) {
        push(
            out,
            scope,
            location.to_owned(),
            format!("enum value {value} added"),
            Compatible,
            Breaking,
        );
    }
    for value in old.enum_values.difference(&new.enum_values) {
        push(
            out,
            scope,
            location.to_owned(),
            format!("enum value {value} removed"),
            Breaking,
            Breaking,
        );
    }
}

/// The operations of an endpoint description: `METHOD /path` → (parameters and body fields
/// with whether they are required, response `$ref`).
fn operations(doc: &Value) -> BTreeMap<String, (BTreeMap<String, bool>, String)> {
    let mut out = BTreeMap::new();
    for (path, item) in doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let mut inputs = BTreeMap::new();
            for parameter in operation
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(name) = parameter.get("name").and_then(Value::as_str) {
                    inputs.insert(
                        format!("parameter `{name}`"),
                        parameter.get("required") == Some(&Value::Bool(true)),
                    );
                }
            }
            for media in operation
                .pointer("/requestBody/content")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(_, m)| m)
            {
                let required: BTreeSet<&str> = media
                    .pointer("/schema/required")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                for name in media
                    .pointer("/schema/properties")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .map(|(k, _)| k)
                {
                    inputs.insert(
                        format!("body field `{name}`"),
                        required.contains(name.as_str()),
                    );
                }
            }
            let response = operation
                .pointer("/responses/200/content/application~1json/schema/$ref")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            out.insert(
                format!("{} {path}", method.to_uppercase()),
                (inputs, response),
            );
        }
    }
    out
}

fn diff_endpoints(scope: &str, old: &Value, new: &Value, out: &mut Vec<Change>) {
    let (old_ops, new_ops) = (operations(old), operations(new));
    for (operation, (inputs, response)) in &new_ops {
        let Some((old_inputs, old_response)) = old_ops.get(operation) else {
            push(
                out,
                scope,
                operation.clone(),
                "endpoint added".into(),
                Compatible,
                Compatible,
            );
            continue;
        };
        for (input, required) in inputs {
            match old_inputs.get(input) {
                None if *required => push(
                    out,
                    scope,
                    operation.clone(),
                    format!("{input} added (required)"),
                    Breaking,
                    Breaking,
                ),
                None => push(
                    out,
                    scope,
                    operation.clone(),
                    format!("{input} added (optional; the method gains an argument)"),
                    Compatible,
                    Breaking,
                ),
                Some(was) if was != required => push(
                    out,
                    scope,
                    operation.clone(),
                    format!(
                        "{input} is now {}",
                        if *required { "required" } else { "optional" }
                    ),
                    if *required { Breaking } else { Compatible },
                    Breaking,
                ),
                _ => {}
            }
        }
        for input in old_inputs.keys().filter(|i| !inputs.contains_key(*i)) {
            push(
                out,
                scope,
                operation.clone(),
                format!("{input} removed"),
                Compatible,
                Breaking,
            );
        }
        if response != old_response {
            push(
                out,
                scope,
                operation.clone(),
                format!("response model changed: {old_response} → {response}"),
                Breaking,
                Breaking,
            );
        }
    }
    for operation in old_ops.keys().filter(|o| !new_ops.contains_key(*o)) {
        push(
            out,
            scope,
            operation.clone(),
            "endpoint removed".into(),
            Breaking,
            Breaking,
        );
    }
}

/// Compares two versions of the `schemas/` folder, each given as `path under schemas/` →
/// parsed JSON (schemas and endpoint descriptions together).
pub fn diff(
    old: &BTreeMap<String, Value>,
    new: &BTreeMap<String, Value>,
) -> Result<Vec<Change>, CodegenError> {
    let split = |files: &BTreeMap<String, Value>| {
        let (endpoints, schemas): (Vec<_>, Vec<_>) = files
            .iter()
            .partition(|(path, _)| is_endpoint_description(std::path::Path::new(path)));
        (
            endpoints
                .into_iter()
                .map(|(p, v)| (p.clone(), v.clone()))
                .collect::<BTreeMap<_, _>>(),
            schemas
                .into_iter()
                .map(|(p, v)| (p.clone(), v.clone()))
                .collect::<Vec<_>>(),
        )
    };
    let (old_endpoints, old_schemas) = split(old);
    let (new_endpoints, new_schemas) = split(new);
    let old_set = SchemaSet::from_values(old_schemas)?;
    let new_set = SchemaSet::from_values(new_schemas)?;
    let mut out = Vec::new();
    for file in new_set.files().filter(|f| f.kind != FileKind::Shared) {
        let new_facts = facts(&bundle(&new_set, file)?);
        match old_set.get(&file.rel_path) {
            Some(old_file) => diff_facts(
                &file.id,
                &facts(&bundle(&old_set, old_file)?),
                &new_facts,
                &mut out,
            ),
            None => push(
                &mut out,
                &file.id,
                file.title().unwrap_or("(shared)").to_owned(),
                "model added".into(),
                Compatible,
                Compatible,
            ),
        }
    }
    for file in old_set
        .files()
        .filter(|f| f.kind != FileKind::Shared && new_set.get(&f.rel_path).is_none())
    {
        push(
            &mut out,
            &file.id,
            file.title().unwrap_or("(shared)").to_owned(),
            "model removed".into(),
            Breaking,
            Breaking,
        );
    }
    for (path, doc) in &new_endpoints {
        match old_endpoints.get(path) {
            Some(old_doc) => diff_endpoints(path, old_doc, doc, &mut out),
            None => push(
                &mut out,
                path,
                "(all)".into(),
                "endpoint description added".into(),
                Compatible,
                Compatible,
            ),
        }
    }
    for path in old_endpoints
        .keys()
        .filter(|p| !new_endpoints.contains_key(*p))
    {
        push(
            &mut out,
            path,
            "(all)".into(),
            "endpoint description removed".into(),
            Breaking,
            Breaking,
        );
    }
    Ok(out)
}

fn label(impact: Impact) -> &'static str {
    match impact {
        Compatible => "compatible",
        Breaking => "BREAKING",
    }
}

/// The summary line.
pub fn summary(changes: &[Change]) -> String {
    let scopes: BTreeSet<&str> = changes.iter().map(|c| c.scope.as_str()).collect();
    let wire = changes.iter().filter(|c| c.wire == Breaking).count();
    let rust = changes.iter().filter(|c| c.rust == Breaking).count();
    format!(
        "{} change(s) in {} model(s) or endpoint description(s): {wire} breaking for the wire, {rust} breaking for the Rust API",
        changes.len(),
        scopes.len()
    )
}

/// Plain-text report.
pub fn render_text(changes: &[Change]) -> String {
    let mut out = String::new();
    let mut scope = "";
    for change in changes {
        if change.scope != scope {
            scope = &change.scope;
            let _ = writeln!(out, "{scope}");
        }
        let _ = writeln!(
            out,
            "  wire: {:<10} rust: {:<10} {}: {}",
            label(change.wire),
            label(change.rust),
            change.location,
            change.what
        );
    }
    let _ = writeln!(out, "{}", summary(changes));
    out
}

/// Markdown report for a pull-request comment.
pub fn render_markdown(changes: &[Change]) -> String {
    let mut out = String::from("## Schema changes\n\n");
    let mut scope = "";
    for change in changes {
        if change.scope != scope {
            scope = &change.scope;
            let _ = writeln!(out, "\n### `{scope}`\n\n| where | change | wire | Rust API |\n| --- | --- | --- | --- |");
        }
        let badge = |impact| {
            if impact == Breaking {
                "**breaking**"
            } else {
                "compatible"
            }
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            change.location,
            change.what.replace('|', "\\|"),
            badge(change.wire),
            badge(change.rust)
        );
    }
    let _ = writeln!(out, "\n{}", summary(changes));
    out
}
