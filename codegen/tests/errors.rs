//! The errors an author of an endpoint description sees: a misspelled key stops the generator
//! with the file, the JSON pointer and the key, instead of silently changing the client.

use std::path::Path;

use credkit_codegen::workspace::{read_sources, Sources};
use credkit_codegen::{CodegenError, Workspace};
use serde_json::{json, Value};

/// The inputs of a corpus case, with `edit` applied to its endpoint description.
fn case_with(case: &str, edit: impl FnOnce(&mut Value)) -> Sources {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(case);
    let mut sources = read_sources(&dir).expect("the case reads");
    edit(
        sources
            .get_mut("acme/api.openapi.json")
            .expect("an endpoint case"),
    );
    sources
}

/// The error `Workspace::from_sources` gives, as its fields; its text names all three.
fn schema_error(sources: Sources) -> (String, String, String) {
    let error = Workspace::from_sources(sources).expect_err("the workspace is refused");
    let text = error.to_string();
    let CodegenError::Schema {
        file,
        pointer,
        message,
    } = error
    else {
        panic!("expected a schema error, got {error:?}");
    };
    assert_eq!(text, format!("{file} at {pointer}: {message}"));
    (file, pointer, message)
}

fn object(value: &mut Value, pointer: &str) -> serde_json::Map<String, Value> {
    value
        .pointer_mut(pointer)
        .and_then(Value::as_object_mut)
        .unwrap_or_else(|| panic!("no object at {pointer}"))
        .clone()
}

fn replace(value: &mut Value, pointer: &str, object: serde_json::Map<String, Value>) {
    *value.pointer_mut(pointer).expect("exists") = Value::Object(object);
}

#[test]
fn the_corpus_cases_load_unchanged() {
    Workspace::from_sources(case_with("body-json-base64-upload", |_| {})).expect("loads");
}

#[test]
fn a_misspelled_upload_key_in_a_body_property_is_refused() {
    let property =
        "/paths/~1upload/post/requestBody/content/application~1json/schema/properties/pdf_file";
    let sources = case_with("body-json-base64-upload", |doc| {
        let mut p = object(doc, property);
        let upload = p
            .remove("x-credkit-upload")
            .expect("the case has an upload");
        p.insert("x-credkit-uplod".into(), upload);
        replace(doc, property, p);
    });
    let (file, pointer, message) = schema_error(sources);
    assert_eq!(file, "acme/api.openapi.json");
    assert_eq!(pointer, format!("{property}/x-credkit-uplod"));
    assert!(
        message.starts_with("unknown field `x-credkit-uplod`"),
        "{message}"
    );
}

#[test]
fn a_misspelled_retry_key_on_an_operation_is_refused() {
    let operation = "/paths/~1submit/post";
    let sources = case_with("body-json", |doc| {
        let mut op = object(doc, operation);
        op.insert("x-credkit-retyr".into(), json!("read"));
        replace(doc, operation, op);
    });
    let (file, pointer, message) = schema_error(sources);
    assert_eq!(file, "acme/api.openapi.json");
    assert_eq!(pointer, format!("{operation}/x-credkit-retyr"));
    assert!(
        message.starts_with("unknown field `x-credkit-retyr`"),
        "{message}"
    );
}

#[test]
fn an_operation_without_a_retry_class_is_refused() {
    let operation = "/paths/~1submit/post";
    let sources = case_with("body-json", |doc| {
        let mut op = object(doc, operation);
        op.remove("x-credkit-retry");
        replace(doc, operation, op);
    });
    let (file, pointer, message) = schema_error(sources);
    assert_eq!(
        (file.as_str(), pointer.as_str()),
        ("acme/api.openapi.json", operation)
    );
    assert!(message.starts_with("needs `x-credkit-retry`"), "{message}");
}

#[test]
fn a_body_property_without_a_source_is_refused() {
    let property =
        "/paths/~1submit/post/requestBody/content/application~1json/schema/properties/count";
    let sources = case_with("body-json", |doc| {
        let mut p = object(doc, property);
        p.remove("x-credkit-source");
        replace(doc, property, p);
    });
    let (_, pointer, message) = schema_error(sources);
    assert_eq!(pointer, property);
    assert_eq!(message, "property `count` needs `x-credkit-source`");
}

#[test]
fn a_one_required_name_that_is_no_optional_parameter_is_refused() {
    let sources = case_with("browser-url", |doc| {
        doc["paths"]["/"]["get"]["x-credkit-one-required"] = json!(["tel", "uid"]);
    });
    let (_, pointer, message) = schema_error(sources);
    assert_eq!(pointer, "/paths/~1/get/x-credkit-one-required");
    assert_eq!(
        message,
        "`uid` is not an optional parameter of this operation"
    );
}

#[test]
fn a_reference_to_a_missing_model_is_refused() {
    let sources = case_with("query-model-param", |doc| {
        doc["paths"]["/lookup"]["get"]["parameters"][0]["content"]["application/json"]["schema"]
            ["$ref"] = json!("contacts.json");
    });
    let (_, pointer, message) = schema_error(sources);
    assert_eq!(pointer, "/paths/~1lookup/get/parameters/0");
    assert_eq!(message, "`contacts.json` names no model schema");
}

#[test]
fn an_unknown_signing_scheme_is_refused() {
    let sources = case_with("body-json", |doc| {
        doc["components"]["securitySchemes"]["scheme"]["x-credkit-signing"] = json!("hmac-sha256");
    });
    let (_, pointer, message) = schema_error(sources);
    assert_eq!(
        pointer,
        "/components/securitySchemes/scheme/x-credkit-signing"
    );
    assert!(
        message.contains("unknown variant `hmac-sha256`"),
        "{message}"
    );
}
