//! What changed between two versions of the schemas and endpoint descriptions, and whether
//! each change breaks the wire (payloads that used to parse, or requests that used to be
//! accepted) or the generated Rust API (code that used to compile).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::Value;

use crate::endpoints::EndpointFile;
use crate::model_gen::ModelUnit;
use crate::schema_set::FileKind;
use crate::workspace::Workspace;

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
    /// typify's name for the field.
    rust_field: Option<String>,
    /// `x-credkit-format`.
    format: Option<String>,
    /// `x-credkit-pii`.
    pii: Option<String>,
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

fn facts(unit: &ModelUnit) -> Facts {
    let bundle = &unit.bundle;
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
        let info = bundle.types.get(&name);
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
                    rust_field: unit.names.field_of(&name, key).map(str::to_owned),
                    format: field.and_then(|f| f.format.clone()),
                    pii: field.and_then(|f| f.pii.clone()),
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
/// number-or-text, object-or-text or any scalar (drift).
fn widens(old: &str, new: &str) -> bool {
    let lenient = new.contains("#/definitions/NumberOrText")
        || new.contains("#/definitions/ObjectOrText")
        || new.contains("#/definitions/Scalar");
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
                    let old_rust = &old_fields[old_key.as_str()].rust_field;
                    let rust = if old_rust.is_some() && *old_rust == new_prop.rust_field {
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
    // A format only adds a reading of the value (accessor, `credkit normalize`, audit
    // findings; declaring the first one also widens the field to `Scalar`, reported below as a
    // type change); a personal-data class changes only what `Debug` and `credkit redact` show.
    for (keyword, before, after, note) in [
        ("format", &old.format, &new.format, ""),
        (
            "personal-data class",
            &old.pii,
            &new.pii,
            " (Debug masking and redaction follow)",
        ),
    ] {
        if before != after {
            let what = format!(
                "{keyword} {} → {}{note}",
                before.as_deref().unwrap_or("none"),
                after.as_deref().unwrap_or("none")
            );
            push(
                out,
                scope,
                location.to_owned(),
                what,
                Compatible,
                Compatible,
            );
        }
    }
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

/// What the diff knows about one operation.
struct OperationFacts {
    /// `parameter `x`` / `body field `x`` → required.
    inputs: BTreeMap<String, bool>,
    /// The `$ref` of the 200 response.
    response: String,
    /// The upload's limit.
    max_bytes: Option<u64>,
    /// `read` / `paid`.
    retry: String,
}

impl OperationFacts {
    /// Whether the generated method is a builder (it has optional inputs).
    fn is_builder(&self) -> bool {
        self.inputs.values().any(|required| !required)
    }
}

/// The operations of an endpoint description, by `METHOD /path`.
fn operations(file: &EndpointFile) -> BTreeMap<String, OperationFacts> {
    let mut out = BTreeMap::new();
    for op in file.operations() {
        let operation = op.operation;
        let mut inputs = BTreeMap::new();
        for parameter in &operation.parameters {
            inputs.insert(
                format!("parameter `{}`", parameter.name),
                parameter.required,
            );
        }
        let mut max_bytes = None;
        for media in operation
            .request_body
            .iter()
            .flat_map(|b| b.content.values())
        {
            let Some(schema) = &media.schema else {
                continue;
            };
            for (name, property) in &schema.properties {
                match property.upload {
                    Some(upload) => max_bytes = Some(upload.max_bytes),
                    None => {
                        inputs.insert(
                            format!("body field `{name}`"),
                            schema.required.contains(name),
                        );
                    }
                }
            }
        }
        out.insert(
            format!("{} {}", op.method.as_str().to_uppercase(), op.path),
            OperationFacts {
                inputs,
                response: operation
                    .responses
                    .get("200")
                    .and_then(|r| r.json_ref())
                    .unwrap_or_default()
                    .to_owned(),
                max_bytes,
                retry: format!("{:?}", operation.retry).to_lowercase(),
            },
        );
    }
    out
}

fn diff_endpoints(scope: &str, old: &EndpointFile, new: &EndpointFile, out: &mut Vec<Change>) {
    let (old_ops, new_ops) = (operations(old), operations(new));
    for (operation, facts) in &new_ops {
        let Some(old_facts) = old_ops.get(operation) else {
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
        for (input, required) in &facts.inputs {
            match old_facts.inputs.get(input) {
                None if *required => push(
                    out,
                    scope,
                    operation.clone(),
                    format!("{input} added (required)"),
                    Breaking,
                    Breaking,
                ),
                None if old_facts.is_builder() => push(
                    out,
                    scope,
                    operation.clone(),
                    format!("{input} added (optional; the builder gains a setter)"),
                    Compatible,
                    Compatible,
                ),
                None => push(
                    out,
                    scope,
                    operation.clone(),
                    format!("{input} added (optional; the method becomes a builder)"),
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
        for input in old_facts
            .inputs
            .keys()
            .filter(|i| !facts.inputs.contains_key(*i))
        {
            push(
                out,
                scope,
                operation.clone(),
                format!("{input} removed"),
                Compatible,
                Breaking,
            );
        }
        if facts.response != old_facts.response {
            push(
                out,
                scope,
                operation.clone(),
                format!(
                    "response model changed: {} → {}",
                    old_facts.response, facts.response
                ),
                Breaking,
                Breaking,
            );
        }
        if facts.max_bytes != old_facts.max_bytes {
            let smaller =
                matches!((old_facts.max_bytes, facts.max_bytes), (Some(a), Some(b)) if b < a);
            push(
                out,
                scope,
                operation.clone(),
                format!(
                    "upload limit changed: {:?} → {:?} bytes",
                    old_facts.max_bytes, facts.max_bytes
                ),
                if smaller { Breaking } else { Compatible },
                Compatible,
            );
        }
        if facts.retry != old_facts.retry {
            push(
                out,
                scope,
                operation.clone(),
                format!("retry class changed: {} → {}", old_facts.retry, facts.retry),
                Compatible,
                Compatible,
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

/// Compares two versions of the workspace (schemas and endpoint descriptions).
pub fn diff(old: &Workspace, new: &Workspace) -> Vec<Change> {
    let (old_set, new_set) = (old.schemas(), new.schemas());
    let mut out = Vec::new();
    for file in new_set.files().filter(|f| f.kind != FileKind::Shared) {
        let old_unit = old_set.get(&file.rel_path).and_then(|f| old.unit(f));
        match (old_unit, new.unit(file)) {
            (Some(old_unit), Some(new_unit)) => {
                diff_facts(&file.id, &facts(old_unit), &facts(new_unit), &mut out)
            }
            _ => push(
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
    let find =
        |ws: &'_ Workspace, path: &str| ws.endpoints().iter().find(|e| e.rel_path == path).cloned();
    for endpoint in new.endpoints() {
        match find(old, &endpoint.rel_path) {
            Some(old_endpoint) => {
                diff_endpoints(&endpoint.rel_path, &old_endpoint, endpoint, &mut out)
            }
            None => push(
                &mut out,
                &endpoint.rel_path,
                "(all)".into(),
                "endpoint description added".into(),
                Compatible,
                Compatible,
            ),
        }
    }
    for endpoint in old.endpoints() {
        if find(new, &endpoint.rel_path).is_none() {
            push(
                &mut out,
                &endpoint.rel_path,
                "(all)".into(),
                "endpoint description removed".into(),
                Breaking,
                Breaking,
            );
        }
    }
    out.sort();
    out
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
