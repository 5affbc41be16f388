//! `credkit audit <model-id> <file.json>...`: what a real response has that the schema does not
//! expect, and whether the generated types still parse it.
//!
//! Exit status: 0 when every file is clean; 1 when some file drifts from the schema (unknown
//! fields, missing required fields, mistyped values) but still parses; 2 when some file does
//! not parse at all; 64 for a usage error (unknown model, unreadable file).

use std::path::PathBuf;
use std::process::ExitCode;

use credkit_runtime::{parse_json, JsonPath, Model, ModelVisitor, PathSegment};
use serde_json::Value;

/// Arguments of `credkit audit`.
#[derive(clap::Args)]
pub struct AuditArgs {
    /// The model id (`credkit parse --list`).
    model: String,
    /// The response files to audit.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

/// What auditing one document found.
#[derive(Debug, Default)]
pub struct Findings {
    /// Fields the schema does not declare.
    pub unknown: Vec<JsonPath>,
    /// Required fields that are absent, with their would-be path.
    pub missing: Vec<JsonPath>,
    /// Values whose JSON type differs from the schema's: path and explanation.
    pub mistyped: Vec<(JsonPath, String)>,
    /// Why the generated types reject the document, if they do.
    pub parse_error: Option<String>,
}

impl Findings {
    fn verdict(&self) -> u8 {
        if self.parse_error.is_some() {
            2
        } else if self.unknown.is_empty() && self.missing.is_empty() && self.mistyped.is_empty() {
            0
        } else {
            1
        }
    }
}

struct Audit<'a> {
    input: &'a [u8],
    document: &'a Value,
}

impl ModelVisitor for Audit<'_> {
    type Output = Findings;

    fn visit<M: Model>(self) -> Findings {
        let mut findings = Findings::default();
        if let Err(error) = parse_json::<M>(self.input) {
            findings.parse_error = Some(format!("at {}: {}", error.path, error.message));
        }
        let schema = serde_json::to_value(schemars::schema_for!(M)).unwrap_or_default();
        let validator = match jsonschema::validator_for(&schema) {
            Ok(validator) => validator,
            Err(error) => {
                findings
                    .parse_error
                    .get_or_insert(format!("the model's schema: {error}"));
                return findings;
            }
        };
        let mut repaired = self.document.clone();
        let mut issues = Vec::new();
        for error in validator.iter_errors(self.document) {
            leaf_issues(&error, &mut issues);
        }
        for issue in issues {
            match issue {
                Issue::Missing { pointer, property } => {
                    let mut missing = path_of(self.document, &pointer);
                    missing.0.push(PathSegment::Key(property));
                    if !findings.missing.contains(&missing) {
                        findings.missing.push(missing);
                    }
                }
                Issue::Mistyped { pointer, message } => {
                    let path = path_of(self.document, &pointer);
                    if findings.mistyped.iter().any(|(known, _)| *known == path) {
                        continue;
                    }
                    let found = self
                        .document
                        .pointer(&pointer)
                        .map(describe)
                        .unwrap_or_default();
                    findings
                        .mistyped
                        .push((path.clone(), format!("{message}; found {found}")));
                    // Without the mistyped value, the rest of the document can be read for
                    // unknown fields even when the original does not parse.
                    path.remove_from(&mut repaired);
                }
            }
        }
        // The generated types know best which keys they ignore (aliases included); when they
        // cannot read the document, the model's JSON Schema tells which keys it does not declare.
        let bytes = serde_json::to_vec(&repaired).unwrap_or_default();
        match parse_json::<M>(&bytes) {
            Ok(parsed) => findings.unknown = parsed.ignored,
            Err(_) => {
                undeclared_keys(
                    self.document,
                    &schema,
                    &schema,
                    &mut JsonPath::default(),
                    &mut findings.unknown,
                );
            }
        }
        findings
    }
}

/// One problem the model's JSON Schema finds.
enum Issue {
    Missing { pointer: String, property: String },
    Mistyped { pointer: String, message: String },
}

/// The most specific problems behind a validation error. An `Option<T>` is `anyOf [T, null]`
/// in the emitted schema, so a mistake deep inside it surfaces as "not valid under any of the
/// schemas"; the branch whose errors reach deepest into the document says what is really wrong.
fn leaf_issues(error: &jsonschema::ValidationError<'_>, out: &mut Vec<Issue>) {
    use jsonschema::error::ValidationErrorKind;
    let pointer = error.instance_path().to_string();
    let context = match error.kind() {
        ValidationErrorKind::Required { property } => {
            out.push(Issue::Missing {
                pointer,
                property: property.as_str().unwrap_or_default().to_owned(),
            });
            return;
        }
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            context
        }
        _ => {
            out.push(Issue::Mistyped {
                pointer,
                message: error.to_string(),
            });
            return;
        }
    };
    let depth = |errors: &Vec<jsonschema::ValidationError<'static>>| {
        errors
            .iter()
            .map(|e| e.instance_path().to_string().len())
            .max()
            .unwrap_or(0)
    };
    match context.iter().max_by_key(|errors| depth(errors)) {
        Some(errors)
            if depth(errors) > pointer.len()
                || errors
                    .iter()
                    .any(|e| matches!(e.kind(), ValidationErrorKind::Required { .. })) =>
        {
            for inner in errors {
                leaf_issues(inner, out);
            }
        }
        _ => out.push(Issue::Mistyped {
            pointer,
            message: error.to_string(),
        }),
    }
}

/// The schema a `$ref` names, or the schema itself.
fn resolve<'a>(schema: &'a Value, root: &'a Value) -> &'a Value {
    match schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/definitions/"))
    {
        Some(name) => root
            .get("definitions")
            .and_then(|d| d.get(name))
            .unwrap_or(schema),
        None => schema,
    }
}

/// The schema and every branch of its `anyOf` / `oneOf` / `allOf`, resolved.
fn branches<'a>(schema: &'a Value, root: &'a Value, out: &mut Vec<&'a Value>) {
    let schema = resolve(schema, root);
    out.push(schema);
    for keyword in ["anyOf", "oneOf", "allOf"] {
        for branch in schema
            .get(keyword)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            branches(branch, root, out);
        }
    }
}

/// Keys of `document` that `schema` does not declare, with their paths.
fn undeclared_keys(
    document: &Value,
    schema: &Value,
    root: &Value,
    path: &mut JsonPath,
    out: &mut Vec<JsonPath>,
) {
    let mut candidates = Vec::new();
    branches(schema, root, &mut candidates);
    match document {
        Value::Object(map) => {
            let declared: Vec<(&String, &Value)> = candidates
                .iter()
                .filter_map(|c| c.get("properties").and_then(Value::as_object))
                .flatten()
                .collect();
            let values = candidates
                .iter()
                .find_map(|c| c.get("additionalProperties").filter(|a| a.is_object()));
            if declared.is_empty() && values.is_none() {
                return; // a free-form object
            }
            for (key, value) in map {
                path.0.push(PathSegment::Key(key.clone()));
                match declared
                    .iter()
                    .find(|(name, _)| *name == key)
                    .map(|(_, s)| *s)
                    .or(values)
                {
                    Some(child) => undeclared_keys(value, child, root, path, out),
                    None => out.push(path.clone()),
                }
                path.0.pop();
            }
        }
        Value::Array(items) => {
            let Some(item_schema) = candidates.iter().find_map(|c| c.get("items")) else {
                return;
            };
            for (index, item) in items.iter().enumerate() {
                let child = match item_schema {
                    Value::Array(positional) => positional.get(index),
                    single => Some(single),
                };
                if let Some(child) = child {
                    path.0.push(PathSegment::Index(index));
                    undeclared_keys(item, child, root, path, out);
                    path.0.pop();
                }
            }
        }
        _ => {}
    }
}

/// A JSON pointer as a [`JsonPath`], telling array indices from numeric keys by the document.
fn path_of(document: &Value, pointer: &str) -> JsonPath {
    let mut segments = Vec::new();
    let mut current = Some(document);
    for raw in pointer.split('/').skip(1) {
        let token = raw.replace("~1", "/").replace("~0", "~");
        let segment = match (current, token.parse::<usize>()) {
            (Some(Value::Array(_)), Ok(index)) => PathSegment::Index(index),
            _ => PathSegment::Key(token.clone()),
        };
        current = match (&segment, current) {
            (PathSegment::Index(index), Some(Value::Array(items))) => items.get(*index),
            (PathSegment::Key(key), Some(Value::Object(map))) => map.get(key),
            _ => None,
        };
        segments.push(segment);
    }
    JsonPath(segments)
}

fn describe(value: &Value) -> String {
    let text = value.to_string();
    let short: String = text.chars().take(40).collect();
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "text",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    if short.len() < text.len() {
        format!("{kind} {short}…")
    } else {
        format!("{kind} {short}")
    }
}

/// Audits one document against a model; `None` for an unknown model id.
pub fn audit(model: &str, input: &[u8]) -> Option<Findings> {
    let document: Value = match serde_json::from_slice(input) {
        Ok(document) => document,
        Err(error) => {
            return credkit_models::model_ids()
                .contains(&model)
                .then(|| Findings {
                    parse_error: Some(format!("not JSON: {error}")),
                    ..Findings::default()
                })
        }
    };
    credkit_models::visit_model(
        model,
        Audit {
            input,
            document: &document,
        },
    )
}

fn print_findings(file: &std::path::Path, model: &str, findings: &Findings) {
    crate::out(format_args!("{} as {model}:", file.display()));
    if !findings.unknown.is_empty() {
        crate::out(format_args!(
            "  unknown fields ({}):",
            findings.unknown.len()
        ));
        for path in &findings.unknown {
            crate::out(format_args!("    {path}"));
        }
    }
    if !findings.missing.is_empty() {
        crate::out(format_args!(
            "  missing required fields ({}):",
            findings.missing.len()
        ));
        for path in &findings.missing {
            crate::out(format_args!("    {path}"));
        }
    }
    if !findings.mistyped.is_empty() {
        crate::out(format_args!(
            "  mistyped values ({}):",
            findings.mistyped.len()
        ));
        for (path, why) in &findings.mistyped {
            crate::out(format_args!("    {path}: {why}"));
        }
    }
    match (&findings.parse_error, findings.verdict()) {
        (Some(error), _) => crate::out(format_args!(
            "  result: does NOT parse with the generated types ({error})"
        )),
        (None, 0) => crate::out("  result: clean"),
        _ => crate::out("  result: drifts from the schema but still parses"),
    }
}

/// Runs `credkit audit`.
pub fn run(args: &AuditArgs) -> ExitCode {
    if !credkit_models::model_ids().contains(&args.model.as_str()) {
        eprintln!(
            "error: unknown model id `{}`; `credkit parse --list` prints the ids",
            args.model
        );
        return ExitCode::from(64);
    }
    let mut worst = 0;
    for file in &args.files {
        let input = match std::fs::read(file) {
            Ok(input) => input,
            Err(error) => {
                eprintln!("error: cannot read {}: {error}", file.display());
                return ExitCode::from(64);
            }
        };
        let Some(findings) = audit(&args.model, &input) else {
            return ExitCode::from(64);
        };
        print_findings(file, &args.model, &findings);
        worst = worst.max(findings.verdict());
    }
    ExitCode::from(worst)
}
