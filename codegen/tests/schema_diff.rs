//! The classification of every change kind, on small schema pairs.

use std::collections::BTreeMap;

use credkit_codegen::schema_diff::{diff, Change, Impact};
use credkit_codegen::Workspace;
use serde_json::{json, Value};

use Impact::{Breaking, Compatible};

fn prop(extra: Value) -> Value {
    let mut base =
        json!({"description": "说明", "x-credkit-gloss": "gloss", "x-credkit-source": "test"});
    if let (Some(base), Some(extra)) = (base.as_object_mut(), extra.as_object()) {
        base.extend(extra.clone());
    }
    base
}

fn model(properties: Value, required: Value, defs: Value) -> Value {
    json!({
        "title": "Report", "description": "报告", "x-credkit-gloss": "report", "type": "object",
        "properties": properties, "required": required, "$defs": defs
    })
}

fn files(schema: Value) -> BTreeMap<String, Value> {
    BTreeMap::from([
        ("acme/report.json".to_owned(), schema),
        (
            "common.json".to_owned(),
            json!({"$defs": {
                "NumberOrText": {"x-credkit-rust": "::credkit_runtime::NumberOrText", "type": ["number", "string"]},
                "Scalar": {"x-credkit-rust": "::credkit_runtime::Scalar", "type": ["string", "number", "boolean"]}
            }}),
        ),
    ])
}

fn workspace(files: BTreeMap<String, Value>) -> Workspace {
    Workspace::from_sources(files).expect("the workspace loads")
}

/// A minimal endpoint description with the given paths.
fn endpoints(paths: Value) -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Acme", "version": "1", "description": "接口", "x-credkit-gloss": "api", "x-credkit-source": "test", "x-credkit-client": "AcmeClient"},
        "servers": [{"url": "https://acme.example"}],
        "x-credkit-verdict": {"checks": [], "message": [], "request_id": []},
        "paths": paths,
        "components": {"securitySchemes": {"token": {"type": "apiKey", "in": "query", "name": "token", "description": "凭据", "x-credkit-signing": "dianhua-token", "x-credkit-source": "test"}}}
    })
}

/// A GET operation with query parameters `(name, required)` returning the report.
fn get(id: &str, parameters: &[(&str, bool)]) -> Value {
    let parameters: Vec<Value> = parameters
        .iter()
        .map(|(name, required)| json!({"name": name, "in": "query", "required": required, "description": "参数", "schema": {"type": "string"}}))
        .collect();
    json!({"get": {
        "operationId": id, "summary": "拉取", "x-credkit-source": "test", "x-credkit-retry": "read",
        "parameters": parameters,
        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "report.json"}}}}}
    }})
}

fn status_enum(codes: &[&str]) -> Value {
    let codes: Vec<Value> = codes
        .iter()
        .map(|c| json!({"const": c, "description": "码"}))
        .collect();
    json!({"Status": {"type": "string", "description": "状态", "x-credkit-open-enum": codes}})
}

/// Properties, required list, `$defs`.
type Version = (Value, Value, Value);

/// A name, the two versions, the expected description prefix and impacts.
type Case = (&'static str, Version, Version, &'static str, Impact, Impact);

/// The one change between `old` and `new` (both: properties, required, defs).
fn single_change(old: Version, new: Version) -> Change {
    let changes = diff(
        &workspace(files(model(old.0, old.1, old.2))),
        &workspace(files(model(new.0, new.1, new.2))),
    );
    assert_eq!(changes.len(), 1, "{changes:#?}");
    changes.into_iter().next().expect("one change")
}

fn base() -> Value {
    json!({"amount": prop(json!({"type": "string"})), "records ": prop(json!({"type": "array", "items": {"type": "string"}}))})
}

fn with(extra: Value) -> Value {
    let mut properties = base();
    if let (Some(p), Some(e)) = (properties.as_object_mut(), extra.as_object()) {
        p.extend(e.clone());
    }
    properties
}

#[test]
fn classifies_every_change_kind() {
    let none = json!([]);
    let defs = json!({});
    let cases: Vec<Case> = vec![
        (
            "optional property added",
            (base(), none.clone(), defs.clone()),
            (
                with(json!({"new": prop(json!({"type": "string"}))})),
                none.clone(),
                defs.clone(),
            ),
            "property added (optional)",
            Compatible,
            Compatible,
        ),
        (
            "required property added",
            (base(), none.clone(), defs.clone()),
            (
                with(json!({"new": prop(json!({"type": "string"}))})),
                json!(["new"]),
                defs.clone(),
            ),
            "property added (required)",
            Breaking,
            Breaking,
        ),
        (
            "property removed",
            (
                with(json!({"old": prop(json!({"type": "string"}))})),
                none.clone(),
                defs.clone(),
            ),
            (base(), none.clone(), defs.clone()),
            "property removed",
            Compatible,
            Breaking,
        ),
        (
            "type changed",
            (base(), none.clone(), defs.clone()),
            (
                with(json!({"amount": prop(json!({"type": "integer"}))})),
                none.clone(),
                defs.clone(),
            ),
            "type changed: string → integer",
            Breaking,
            Breaking,
        ),
        (
            "type widened to number-or-text",
            (base(), none.clone(), defs.clone()),
            (
                with(
                    json!({"amount": prop(json!({"$ref": "../common.json#/$defs/NumberOrText"}))}),
                ),
                none.clone(),
                defs.clone(),
            ),
            "type changed: string → NumberOrText",
            Compatible,
            Breaking,
        ),
        (
            "required → optional",
            (base(), json!(["amount"]), defs.clone()),
            (base(), none.clone(), defs.clone()),
            "required → optional",
            Compatible,
            Breaking,
        ),
        (
            "optional → required",
            (base(), none.clone(), defs.clone()),
            (base(), json!(["amount"]), defs.clone()),
            "optional → required",
            Breaking,
            Breaking,
        ),
        (
            "nullable",
            (base(), none.clone(), defs.clone()),
            (
                with(json!({"amount": prop(json!({"type": ["string", "null"]}))})),
                none.clone(),
                defs.clone(),
            ),
            "now accepts null",
            Compatible,
            Breaking,
        ),
        (
            "alias added",
            (base(), none.clone(), defs.clone()),
            (
                with(
                    json!({"amount": prop(json!({"type": "string", "x-credkit-aliases": ["Amount"]}))}),
                ),
                none.clone(),
                defs.clone(),
            ),
            "alias `Amount` added",
            Compatible,
            Compatible,
        ),
        (
            "alias removed",
            (
                with(
                    json!({"amount": prop(json!({"type": "string", "x-credkit-aliases": ["Amount"]}))}),
                ),
                none.clone(),
                defs.clone(),
            ),
            (base(), none.clone(), defs.clone()),
            "alias `Amount` removed",
            Breaking,
            Compatible,
        ),
        (
            "rename keeping the Rust name",
            (base(), none.clone(), defs.clone()),
            (
                json!({"amount": prop(json!({"type": "string"})), "records": prop(json!({"type": "array", "items": {"type": "string"}, "x-credkit-aliases": ["records "]}))}),
                none.clone(),
                defs.clone(),
            ),
            "renamed from `records `",
            Compatible,
            Compatible,
        ),
        (
            "rename changing the Rust name",
            (base(), none.clone(), defs.clone()),
            (
                json!({"total": prop(json!({"type": "string", "x-credkit-aliases": ["amount"]})), "records ": prop(json!({"type": "array", "items": {"type": "string"}}))}),
                none.clone(),
                defs.clone(),
            ),
            "renamed from `amount`",
            Compatible,
            Breaking,
        ),
        (
            "enum value added",
            (
                with(json!({"kind": prop(json!({"type": "string", "enum": ["a"]}))})),
                none.clone(),
                defs.clone(),
            ),
            (
                with(json!({"kind": prop(json!({"type": "string", "enum": ["a", "b"]}))})),
                none.clone(),
                defs.clone(),
            ),
            "enum value \"b\" added",
            Compatible,
            Breaking,
        ),
        (
            "enum value removed",
            (
                with(json!({"kind": prop(json!({"type": "string", "enum": ["a", "b"]}))})),
                none.clone(),
                defs.clone(),
            ),
            (
                with(json!({"kind": prop(json!({"type": "string", "enum": ["a"]}))})),
                none.clone(),
                defs.clone(),
            ),
            "enum value \"b\" removed",
            Breaking,
            Breaking,
        ),
        (
            "code added",
            (base(), none.clone(), status_enum(&["OK"])),
            (base(), none.clone(), status_enum(&["OK", "NEW"])),
            "value \"NEW\" added",
            Compatible,
            Breaking,
        ),
        (
            "format changed",
            (
                with(
                    json!({"amount": prop(json!({"type": "string", "x-credkit-format": "count"}))}),
                ),
                none.clone(),
                json!({}),
            ),
            (
                with(
                    json!({"amount": prop(json!({"type": "string", "x-credkit-format": "amount"}))}),
                ),
                none.clone(),
                json!({}),
            ),
            "format count → amount",
            Compatible,
            Compatible,
        ),
        (
            "personal-data class declared",
            (base(), none.clone(), json!({})),
            (
                with(json!({"amount": prop(json!({"type": "string", "x-credkit-pii": "name"}))})),
                none.clone(),
                json!({}),
            ),
            "personal-data class none → name",
            Compatible,
            Compatible,
        ),
        (
            "code removed",
            (base(), none.clone(), status_enum(&["OK", "OLD"])),
            (base(), none.clone(), status_enum(&["OK"])),
            "code \"OLD\" removed (now read as Other)",
            Compatible,
            Breaking,
        ),
    ];
    for (name, old, new, what, wire, rust) in cases {
        let change = single_change(old, new);
        assert!(change.what.starts_with(what), "{name}: {change:?}");
        assert_eq!(
            (change.wire, change.rust),
            (wire, rust),
            "{name}: {change:?}"
        );
    }
}

#[test]
fn models_and_endpoints_added_and_removed() {
    let report = model(base(), json!([]), json!({}));
    let mut old = files(report.clone());
    old.insert(
        "acme/api.openapi.json".into(),
        endpoints(json!({"/r": get("r", &[("sid", true)]), "/t": get("t", &[("sid", true), ("uid", false)])})),
    );
    let mut new = files(report);
    new.insert(
        "acme/api.openapi.json".into(),
        endpoints(json!({
            "/r": get("r", &[("sid", true), ("page", false)]),
            "/s": get("s", &[]),
            "/t": get("t", &[("sid", true), ("uid", false), ("page", false)]),
        })),
    );
    new.insert(
        "acme/extra.json".into(),
        model(base(), json!([]), json!({})),
    );
    let (old, new) = (workspace(old), workspace(new));
    let changes = diff(&old, &new);
    let described: Vec<(String, Impact, Impact)> = changes
        .iter()
        .map(|c| (format!("{} {}", c.location, c.what), c.wire, c.rust))
        .collect();
    assert!(
        described.contains(&(
            "GET /r parameter `page` added (optional; the method becomes a builder)".into(),
            Compatible,
            Breaking
        )),
        "{described:#?}"
    );
    assert!(
        described.contains(&(
            "GET /t parameter `page` added (optional; the builder gains a setter)".into(),
            Compatible,
            Compatible
        )),
        "{described:#?}"
    );
    assert!(
        described.contains(&("GET /s endpoint added".into(), Compatible, Compatible)),
        "{described:#?}"
    );
    assert!(
        described.contains(&("Report model added".into(), Compatible, Compatible)),
        "{described:#?}"
    );
    let back = diff(&new, &old);
    assert!(back
        .iter()
        .any(|c| c.what == "endpoint removed" && c.wire == Breaking));
    assert!(back
        .iter()
        .any(|c| c.what == "model removed" && c.rust == Breaking));
}

/// Declaring a format makes the field keep any scalar (`Scalar`) and gain an accessor: wider on
/// the wire, a new type in Rust.
#[test]
fn declaring_a_format_widens_the_wire_and_changes_the_rust_type() {
    let old = model(base(), json!([]), json!({}));
    let new = model(
        with(json!({"amount": prop(json!({"type": "string", "x-credkit-format": "amount"}))})),
        json!([]),
        json!({}),
    );
    let changes = diff(&workspace(files(old)), &workspace(files(new)));
    let described: Vec<(String, Impact, Impact)> = changes
        .iter()
        .map(|c| (c.what.clone(), c.wire, c.rust))
        .collect();
    assert!(
        described.contains(&("format none → amount".into(), Compatible, Compatible)),
        "{described:#?}"
    );
    assert!(
        described
            .iter()
            .any(|(what, wire, rust)| what.starts_with("type changed")
                && *wire == Compatible
                && *rust == Breaking),
        "{described:#?}"
    );
}
