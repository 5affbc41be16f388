//! `credkit audit <model-id> <file.json>...`: what a real response has that the schema does not
//! expect, and whether the generated types still parse it.
//!
//! Exit status: 0 when every file is clean; 1 when some file drifts from the schema (unknown
//! fields, missing required fields, mistyped values) but still parses; 2 when some file does
//! not parse at all; 64 for a usage error (unknown model, unreadable file).
//!
//! The schema a document is validated against comes from [`validation_schema`] alone; the
//! findings logic reads any JSON Schema (draft-07 `definitions`, 2020-12 `$defs` and
//! `prefixItems`, local `$ref`s, `anyOf`/`oneOf`, `type` arrays).

use std::path::PathBuf;
use std::process::ExitCode;

use credkit_runtime::bounded::{bound_message, shorten, MAX_ECHO_BYTES};
use credkit_runtime::{parse_json, JsonPath, Model, ModelVisitor, ParseError, PathSegment};
use serde_json::{json, Value};

/// Arguments of `credkit audit`.
#[derive(clap::Args)]
pub struct AuditArgs {
    /// Print one JSON document on standard output instead of text (README, "Machine-readable
    /// output"). Exit statuses are the same.
    #[arg(long, conflicts_with = "suggest")]
    json: bool,
    /// Print, instead of findings, the JSON Patch per schema file that declares every unknown
    /// field (README, "Suggesting the schema change").
    #[arg(long)]
    suggest: bool,
    /// With `--suggest`: apply the patches to the schema files.
    #[arg(long, requires = "suggest")]
    write: bool,
    /// With `--suggest`: the source schemas directory (default: `./schemas`, else the
    /// workspace's `schemas/` this binary was built from).
    #[arg(long, value_name = "DIR", requires = "suggest")]
    schemas: Option<PathBuf>,
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
    /// Values whose JSON type differs from the schema's: path and explanation (bounded).
    pub mistyped: Vec<(JsonPath, String)>,
    /// Text values that do not fit their declared `x-credkit-format`, each with the sibling
    /// fields whose format it does fit (a probable OCR column shift when any).
    pub misfits: Vec<credkit_runtime::format::ValueFinding>,
    /// Why the document is not JSON credkit reads, or why the generated types reject it.
    pub parse_error: Option<ParseError>,
    /// Why the model's schema could not be used (a credkit bug, not the document's).
    pub schema_error: Option<String>,
}

impl Findings {
    fn verdict(&self) -> u8 {
        if self.parse_error.is_some() || self.schema_error.is_some() {
            2
        } else if self.unknown.is_empty()
            && self.missing.is_empty()
            && self.mistyped.is_empty()
            && self.misfits.is_empty()
        {
            0
        } else {
            1
        }
    }
}

/// The name of a verdict in `--json` output.
fn verdict_name(verdict: u8) -> &'static str {
    match verdict {
        0 => "clean",
        1 => "drift",
        _ => "does_not_parse",
    }
}

/// The JSON Schema documents are validated against: the model's curated schema (`M::SCHEMA`,
/// JSON Schema 2020-12, self-contained), never one derived back from the Rust types.
fn validation_schema<M: Model>() -> Result<Value, String> {
    serde_json::from_str(M::SCHEMA).map_err(|error| error.to_string())
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
            findings.parse_error = Some(error);
        }
        let schema = match validation_schema::<M>() {
            Ok(schema) => schema,
            Err(error) => {
                findings.schema_error = Some(format!("the model's schema: {error}"));
                return findings;
            }
        };
        check_against(
            self.document,
            &schema,
            |repaired| parse_json::<M>(repaired).map(|parsed| parsed.ignored).ok(),
            &mut findings,
        );
        findings.misfits = credkit_runtime::format::audit(self.document, &schema);
        findings
    }
}

/// Fills `findings` from validating `document` against `schema`. `ignored_by_model` gives the
/// fields the generated types ignore in a document (re-serialised without its mistyped
/// values), or `None` when they cannot read it; the schema then says which keys it does not
/// declare.
fn check_against(
    document: &Value,
    schema: &Value,
    ignored_by_model: impl FnOnce(&[u8]) -> Option<Vec<JsonPath>>,
    findings: &mut Findings,
) {
    let validator = match jsonschema::validator_for(schema) {
        Ok(validator) => validator,
        Err(error) => {
            findings.schema_error = Some(format!(
                "the model's schema: {}",
                bound_message(&error.to_string())
            ));
            return;
        }
    };
    let mut repaired = document.clone();
    let mut issues = Vec::new();
    for error in validator.iter_errors(document) {
        leaf_issues(&error, &mut issues);
    }
    let mut undeclared = Vec::new();
    for issue in issues {
        match issue {
            Issue::Missing { pointer, property } => {
                let mut missing = path_of(document, &pointer);
                missing.0.push(PathSegment::Key(property));
                if !findings.missing.contains(&missing) {
                    findings.missing.push(missing);
                }
            }
            Issue::Undeclared { pointer, property } => {
                let mut path = path_of(document, &pointer);
                path.0.push(PathSegment::Key(property));
                undeclared.push(path);
            }
            Issue::Mistyped { pointer, message } => {
                let path = path_of(document, &pointer);
                if findings.mistyped.iter().any(|(known, _)| *known == path) {
                    continue;
                }
                let found = document.pointer(&pointer).map(describe).unwrap_or_default();
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
    // cannot read the document, the schema tells which keys it does not declare.
    let bytes = serde_json::to_vec(&repaired).unwrap_or_default();
    match ignored_by_model(&bytes) {
        Some(ignored) => findings.unknown = ignored,
        None => undeclared_keys(
            document,
            schema,
            schema,
            &mut JsonPath::default(),
            &mut findings.unknown,
        ),
    }
    for path in undeclared {
        if !findings.unknown.contains(&path) {
            findings.unknown.push(path);
        }
    }
}

/// One problem the model's JSON Schema finds.
enum Issue {
    Missing { pointer: String, property: String },
    Undeclared { pointer: String, property: String },
    Mistyped { pointer: String, message: String },
}

/// The most specific problems behind a validation error. An `Option<T>` is `anyOf [T, null]`
/// in a schema, so a mistake deep inside it surfaces as "not valid under any of the
/// schemas"; the branch whose errors reach deepest into the document says what is really wrong.
/// Messages never quote the document's values (those are described, bounded, by the caller).
fn leaf_issues(error: &jsonschema::ValidationError<'_>, out: &mut Vec<Issue>) {
    use jsonschema::error::ValidationErrorKind;
    let pointer = error.instance_path().to_string();
    let mistyped = |pointer: String| Issue::Mistyped {
        pointer,
        message: bound_message(&error.masked().to_string()),
    };
    let context = match error.kind() {
        ValidationErrorKind::Required { property } => {
            out.push(Issue::Missing {
                pointer,
                property: property.as_str().unwrap_or_default().to_owned(),
            });
            return;
        }
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            for property in unexpected {
                out.push(Issue::Undeclared {
                    pointer: pointer.clone(),
                    property: property.clone(),
                });
            }
            return;
        }
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            context
        }
        _ => {
            out.push(mistyped(pointer));
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
        _ => out.push(mistyped(pointer)),
    }
}

/// How many `$ref`s in a row, or nested `anyOf`/`oneOf`/`allOf`, are followed before giving
/// up (a schema that refers to itself in a loop).
const MAX_SCHEMA_HOPS: usize = 32;

/// The schema a local `$ref` (`#/$defs/Name`, `#/definitions/Name`, any JSON pointer into the
/// root) names, followed through chains of `$ref`s; the schema itself otherwise.
fn resolve<'a>(mut schema: &'a Value, root: &'a Value) -> &'a Value {
    for _ in 0..MAX_SCHEMA_HOPS {
        let Some(pointer) = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
        else {
            break;
        };
        match root.pointer(pointer) {
            Some(target) => schema = target,
            None => break,
        }
    }
    schema
}

/// The schema and every branch of its `anyOf` / `oneOf` / `allOf`, resolved.
fn branches<'a>(schema: &'a Value, root: &'a Value, hops: usize, out: &mut Vec<&'a Value>) {
    let schema = resolve(schema, root);
    out.push(schema);
    if hops >= MAX_SCHEMA_HOPS {
        return;
    }
    for keyword in ["anyOf", "oneOf", "allOf"] {
        for branch in schema
            .get(keyword)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            branches(branch, root, hops + 1, out);
        }
    }
}

/// The property schemas of candidate schemas, by every wire name they accept: the key itself
/// and its `x-credkit-aliases`.
fn declared_properties<'a>(candidates: &[&'a Value], root: &'a Value) -> Vec<(&'a str, &'a Value)> {
    let mut declared = Vec::new();
    for (name, property) in candidates
        .iter()
        .filter_map(|c| c.get("properties").and_then(Value::as_object))
        .flatten()
    {
        declared.push((name.as_str(), property));
        let aliases = property
            .get("x-credkit-aliases")
            .or_else(|| resolve(property, root).get("x-credkit-aliases"))
            .and_then(Value::as_array);
        for alias in aliases.into_iter().flatten().filter_map(Value::as_str) {
            declared.push((alias, property));
        }
    }
    declared
}

/// The schema of element `index` of an array: `prefixItems` (2020-12) or an `items` array
/// (draft-07) for leading positions, then `items` (2020-12) or `additionalItems` (draft-07).
fn item_schema<'a>(candidates: &[&'a Value], index: usize) -> Option<&'a Value> {
    candidates.iter().find_map(|candidate| {
        let positional = candidate
            .get("prefixItems")
            .or_else(|| candidate.get("items").filter(|items| items.is_array()))
            .and_then(Value::as_array);
        match positional {
            Some(positional) => positional.get(index).or_else(|| {
                let rest = if candidate.get("prefixItems").is_some() {
                    candidate.get("items")
                } else {
                    candidate.get("additionalItems")
                };
                rest.filter(|rest| rest.is_object())
            }),
            None => candidate.get("items").filter(|items| items.is_object()),
        }
    })
}

/// Keys of `document` that `schema` does not declare, with their paths. The recursion follows
/// the document, whose nesting [`credkit_runtime::MAX_NESTING`] bounds.
fn undeclared_keys(
    document: &Value,
    schema: &Value,
    root: &Value,
    path: &mut JsonPath,
    out: &mut Vec<JsonPath>,
) {
    let mut candidates = Vec::new();
    branches(schema, root, 0, &mut candidates);
    match document {
        Value::Object(map) => {
            let declared = declared_properties(&candidates, root);
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
                    .find(|(name, _)| name == key)
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
            for (index, item) in items.iter().enumerate() {
                if let Some(child) = item_schema(&candidates, index) {
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

/// What a value is, for a mistyped-value finding: its JSON type and, bounded, its text
/// (`text "aaaa…" (10485760 bytes)`, `object of 3 members`).
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(flag) => format!("boolean {flag}"),
        Value::Number(number) => format!("number {}", shorten(&number.to_string(), MAX_ECHO_BYTES)),
        Value::String(text) => format!("text {}", shorten(text, MAX_ECHO_BYTES).quoted()),
        Value::Array(items) => format!("array of {} item(s)", items.len()),
        Value::Object(map) => format!("object of {} member(s)", map.len()),
    }
}

/// Audits one document against a model; `None` for an unknown model id.
pub fn audit(model: &str, input: &[u8]) -> Option<Findings> {
    // The same reader, limits included, as `credkit parse`: what one refuses, so does the other.
    let document: Value = match parse_json::<Value>(input) {
        Ok(parsed) => parsed.value,
        Err(error) => {
            return credkit_models::model_ids()
                .contains(&model)
                .then(|| Findings {
                    parse_error: Some(error),
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

fn print_findings(file: &str, model: &str, findings: &Findings) {
    crate::out(format_args!("{file} as {model}:"));
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
    if !findings.misfits.is_empty() {
        crate::out(format_args!(
            "  values that do not fit their format ({}):",
            findings.misfits.len()
        ));
        for finding in &findings.misfits {
            crate::out(format_args!("    {}", finding.error));
            if !finding.fits.is_empty() {
                let fits: Vec<String> = finding
                    .fits
                    .iter()
                    .map(|(member, format)| format!("{member} ({})", format.as_str()))
                    .collect();
                crate::out(format_args!(
                    "      probable OCR column shift: the text fits {}",
                    fits.join(", ")
                ));
            }
        }
    }
    match (&findings.parse_error, &findings.schema_error) {
        (Some(error), _) => crate::out(format_args!(
            "  result: does NOT parse with the generated types ({}at {}: {} (line {}, column {}))",
            if is_not_json(error) { "not JSON: " } else { "" },
            error.path,
            error.message,
            error.line,
            error.column
        )),
        (None, Some(error)) => crate::out(format_args!("  result: cannot audit ({error})")),
        (None, None) if findings.verdict() == 0 => crate::out("  result: clean"),
        (None, None) => crate::out("  result: drifts from the schema but still parses"),
    }
}

/// Whether the error is about the bytes (not JSON credkit reads: syntax, encoding, nesting)
/// rather than the model; the document then was not audited against the schema.
fn is_not_json(error: &ParseError) -> bool {
    !matches!(
        error.kind,
        credkit_runtime::ParseErrorKind::Mismatch
            | credkit_runtime::ParseErrorKind::IntegerOverflow
    )
}

/// One file's findings as in `--json` output.
fn findings_json(file: &str, findings: &Findings) -> Value {
    let paths = |paths: &[JsonPath]| paths.iter().map(ToString::to_string).collect::<Vec<_>>();
    json!({
        "file": file,
        "verdict": verdict_name(findings.verdict()),
        "unknown": paths(&findings.unknown),
        "missing": paths(&findings.missing),
        "mistyped": findings
            .mistyped
            .iter()
            .map(|(path, message)| json!({"path": path.to_string(), "message": message}))
            .collect::<Vec<_>>(),
        "misfits": findings
            .misfits
            .iter()
            .map(|finding| json!({
                "path": finding.error.path.to_string(),
                "format": finding.error.format.as_str(),
                "text": finding.error.text,
                "message": finding.error.to_string(),
                "fits": finding
                    .fits
                    .iter()
                    .map(|(member, format)| json!({"member": member, "format": format.as_str()}))
                    .collect::<Vec<_>>(),
            }))
            .collect::<Vec<_>>(),
        "error": findings.parse_error.as_ref().map_or(Value::Null, crate::parse::error_json),
        "schema_error": findings.schema_error,
    })
}

/// Runs `credkit audit`.
pub fn run(args: &AuditArgs) -> ExitCode {
    if !credkit_models::model_ids().contains(&args.model.as_str()) {
        eprintln!(
            "error: unknown model id `{}`; `credkit parse --list` prints the ids",
            shorten(&args.model, MAX_ECHO_BYTES)
        );
        return ExitCode::from(64);
    }
    if args.suggest {
        return crate::suggest::run(
            &args.model,
            &args.files,
            args.schemas.as_deref(),
            args.write,
        );
    }
    let mut worst = 0;
    let mut files = Vec::new();
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
        let name = file.display().to_string();
        if args.json {
            files.push(findings_json(&name, &findings));
        } else {
            print_findings(&name, &args.model, &findings);
        }
        worst = worst.max(findings.verdict());
    }
    if args.json {
        crate::parse::print_json(&json!({
            "format_version": crate::parse::FORMAT_VERSION,
            "command": "audit",
            "model": args.model,
            "verdict": verdict_name(worst),
            "files": files,
        }));
    }
    ExitCode::from(worst)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small hand-written JSON Schema 2020-12 in the curated schemas' style: `$defs` and
    /// `$ref`s, `prefixItems`, `anyOf`, `oneOf`, `type` arrays, aliases, an
    /// `additionalProperties` map and a closed object.
    fn schema() -> Value {
        json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "required": ["status"],
            "properties": {
                "status": {"type": "string"},
                "serialNo": {"type": ["string", "null"], "x-credkit-aliases": ["sic"]},
                "amount": {"$ref": "#/$defs/NumberOrText"},
                "blanks": {
                    "type": "array",
                    "items": {
                        "type": "array",
                        "prefixItems": [{"type": "string"}, {"$ref": "#/$defs/Span"}],
                        "items": {"type": "integer"}
                    }
                },
                "objection": {
                    "anyOf": [
                        {"type": "array", "items": {"$ref": "#/$defs/Objection"}},
                        {"$ref": "#/$defs/Objection"}
                    ]
                },
                "tags": {"type": "object", "additionalProperties": {"$ref": "#/$defs/Tag"}},
                "closed": {
                    "type": "object",
                    "properties": {"a": {"type": "integer"}},
                    "additionalProperties": false
                },
                "loop": {"$ref": "#/$defs/Loop"}
            },
            "$defs": {
                "NumberOrText": {"type": ["number", "string"]},
                "Span": {"type": "object", "properties": {"hours": {"type": "integer"}}},
                "Objection": {
                    "type": "object",
                    "required": ["text"],
                    "properties": {"text": {"type": "string"}}
                },
                "Tag": {
                    "oneOf": [
                        {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]},
                        {"type": "string"}
                    ]
                },
                "Loop": {"$ref": "#/$defs/Loop2"},
                "Loop2": {"$ref": "#/$defs/Loop"}
            }
        })
    }

    /// Audits `document` against [`schema`], as when the generated types cannot read it.
    fn findings(document: Value) -> Findings {
        let mut findings = Findings::default();
        check_against(&document, &schema(), |_| None, &mut findings);
        assert!(
            findings.schema_error.is_none(),
            "{:?}",
            findings.schema_error
        );
        findings
    }

    fn strings(paths: &[JsonPath]) -> Vec<String> {
        paths.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_document_that_fits_is_clean() {
        let found = findings(json!({
            "status": "OK",
            "sic": null,
            "amount": "暂无数据",
            "blanks": [["1", {"hours": 2}, 3, 4]],
            "objection": {"text": "x"},
            "tags": {"035110000": {"name": "快递"}, "10000": "text"},
            "closed": {"a": 1},
            "loop": {"anything": 1}
        }));
        assert!(found.unknown.is_empty(), "{:?}", strings(&found.unknown));
        assert!(found.missing.is_empty(), "{:?}", strings(&found.missing));
        assert!(found.mistyped.is_empty(), "{:?}", found.mistyped);
    }

    #[test]
    fn unknown_keys_through_refs_prefix_items_unions_and_maps() {
        let found = findings(json!({
            "status": "OK",
            "extra": 1,
            "blanks": [["1", {"hours": 2, "minutes": 3}]],
            "objection": [{"text": "x", "note": 1}],
            "tags": {"1": {"name": "n", "colour": "red"}},
            "closed": {"a": 1, "b": 2}
        }));
        let mut unknown = strings(&found.unknown);
        unknown.sort();
        assert_eq!(
            unknown,
            vec![
                "blanks[0][1].minutes",
                "closed.b",
                "extra",
                "objection[0].note",
                r#"tags["1"].colour"#,
            ]
        );
        assert!(found.mistyped.is_empty(), "{:?}", found.mistyped);
    }

    #[test]
    fn missing_and_mistyped_inside_unions_refs_and_tuples() {
        let found = findings(json!({
            "serialNo": 5,
            "amount": [1],
            "blanks": [[1, {"hours": "two"}, "x"]],
            "objection": [{"note": "no text"}],
            "tags": {"1": 7}
        }));
        assert_eq!(strings(&found.missing), vec!["status", "objection[0].text"]);
        let mistyped: Vec<String> = found
            .mistyped
            .iter()
            .map(|(path, why)| format!("{path}: {why}"))
            .collect();
        for expected in [
            "serialNo: ",
            "amount: ",
            "blanks[0][0]: ",
            "blanks[0][1].hours: ",
            "blanks[0][2]: ",
            r#"tags["1"]: "#,
        ] {
            assert!(
                mistyped.iter().any(|m| m.starts_with(expected)),
                "{expected} in {mistyped:#?}"
            );
        }
        assert_eq!(mistyped.len(), 6, "{mistyped:#?}");
        assert!(
            mistyped.iter().any(|m| m.contains("found number 5")),
            "{mistyped:#?}"
        );
    }

    #[test]
    fn mistyped_messages_never_quote_huge_values() {
        let huge = "z".repeat(1 << 20);
        let found =
            findings(json!({"status": "OK", "serialNo": [huge.clone()], "amount": {"k": huge}}));
        assert_eq!(found.mistyped.len(), 2, "{:?}", found.mistyped);
        for (_, why) in &found.mistyped {
            assert!(why.len() < 512, "{} bytes", why.len());
        }
    }

    #[test]
    fn the_validation_schema_is_the_models() {
        let schema =
            validation_schema::<credkit_models::deepfinch::cloud::task_result::CloudTaskResult>();
        assert!(schema.is_ok_and(|schema| schema.is_object()));
    }
}
