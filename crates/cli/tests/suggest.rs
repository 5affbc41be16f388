//! `credkit audit --suggest [--write]`: the patch declares the unknown fields of real
//! responses, in the schema file that owns each enclosing object, and once written the
//! generator accepts it and the curated schema declares the fields.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{json, Value};

const MODEL: &str = "deepfinch/jd/credit-report";

fn workspace_schemas() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas")
}

fn fixture() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(MODEL)
        .join("realistic-success.json");
    serde_json::from_slice(&std::fs::read(path).expect("fixture")).expect("fixture JSON")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

fn suggest(args: &[&str], files: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_credkit"))
        .env("CREDKIT_TODAY", "2026-01-31")
        .args(["audit", "--suggest"])
        .args(args)
        .arg(MODEL)
        .args(files)
        .output()
        .expect("credkit runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Two responses with unknown fields: at the top, in the JD envelope's `result` (a `$defs`
/// entry of the model's file), and in a loan (a `$defs` entry of `credit-report-v1.json`,
/// reached through a cross-file `$ref`); `traceId` is text in one and a number in the other.
fn responses(dir: &Path) -> (PathBuf, PathBuf) {
    let mut first = fixture();
    first["traceId"] = json!("t-1");
    first["result"]["costMs"] = json!(12);
    first["result"]["structured_result"]["loans"][0]["closedAt"] = json!("2016.07.25");
    first["result"]["structured_result"]["loans"][0]["extra"] =
        json!({"note": "x", "rows": [{"n": 1}]});
    let mut second = fixture();
    second["traceId"] = json!(42);
    second["result"]["structured_result"]["loans"][0]["closedAt"] = json!("--");
    let a = dir.join("a.json");
    let b = dir.join("b.json");
    std::fs::write(&a, first.to_string()).expect("write");
    std::fs::write(&b, second.to_string()).expect("write");
    (a, b)
}

/// The number of members the curated schema of `model` (made from `root/schemas`) does not
/// declare in `document`: every object schema with `properties` is closed, and the
/// `additionalProperties` errors are counted, inside unions too.
fn undeclared(root: &Path, document: &Value) -> usize {
    let workspace = credkit_codegen::Workspace::load(root).expect("workspace loads");
    let file = workspace.schemas().model(MODEL).expect("model");
    let mut schema =
        credkit_codegen::curated::self_contained(workspace.schemas(), file).expect("curated");
    close_objects(&mut schema);
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    validator.iter_errors(document).map(|e| count(&e)).sum()
}

fn close_objects(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if map.get("properties").is_some_and(Value::is_object)
                && !map.contains_key("additionalProperties")
            {
                map.insert("additionalProperties".into(), json!(false));
            }
            map.values_mut().for_each(close_objects);
        }
        Value::Array(items) => items.iter_mut().for_each(close_objects),
        _ => {}
    }
}

fn count(error: &jsonschema::ValidationError<'_>) -> usize {
    use jsonschema::error::ValidationErrorKind;
    match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => unexpected.len(),
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            context.iter().flatten().map(count).sum()
        }
        _ => 0,
    }
}

#[test]
fn a_written_suggestion_generates_and_declares_the_unknown_fields() {
    let temp = tempfile::tempdir().expect("tempdir");
    let root = temp.path().join("ws");
    let schemas = root.join("schemas");
    copy_dir(&workspace_schemas(), &schemas);
    let (a, b) = responses(temp.path());
    let documents: Vec<Value> = [&a, &b]
        .iter()
        .map(|p| serde_json::from_slice(&std::fs::read(p).expect("read")).expect("json"))
        .collect();
    let before: usize = documents.iter().map(|d| undeclared(&root, d)).sum();
    // traceId twice, costMs, closedAt twice, extra.
    assert!(before >= 6, "{before}");

    let model_file = schemas.join("deepfinch/jd/credit-report.json");
    let shared_file = schemas.join("deepfinch/credit-report-v1.json");
    let untouched_file = schemas.join("deepfinch/credit-report-v2.json");
    let originals: Vec<String> = [&model_file, &shared_file, &untouched_file]
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("read"))
        .collect();

    let output = suggest(
        &["--write", "--schemas", schemas.to_str().expect("utf-8")],
        &[&a, &b],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let printed: Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    let files: Vec<&str> = printed
        .as_array()
        .expect("an array")
        .iter()
        .map(|entry| entry["file"].as_str().expect("file"))
        .collect();
    assert_eq!(files.len(), 2, "{printed:#}");
    assert!(
        files[0].ends_with("deepfinch/jd/credit-report.json"),
        "{files:?}"
    );
    assert!(
        files[1].ends_with("deepfinch/credit-report-v1.json"),
        "{files:?}"
    );
    let op = |file: usize, suffix: &str| -> Value {
        printed[file]["patch"]
            .as_array()
            .expect("patch")
            .iter()
            .find(|op| op["path"].as_str().is_some_and(|p| p.ends_with(suffix)))
            .unwrap_or_else(|| panic!("no {suffix} in {printed:#}"))
            .clone()
    };
    let trace = op(0, "/properties/traceId");
    assert_eq!(trace["op"], "add");
    assert_eq!(trace["path"], "/properties/traceId");
    assert_eq!(trace["value"]["type"], json!(["number", "string"]));
    assert!(trace["value"]["x-credkit-gloss"]
        .as_str()
        .is_some_and(|g| g.contains("number-or-text")));
    assert_eq!(
        op(0, "/costMs")["path"],
        "/$defs/JdResult/properties/costMs"
    );
    let closed = op(1, "/properties/closedAt");
    assert!(closed["path"]
        .as_str()
        .is_some_and(|p| p.starts_with("/$defs/")));
    assert_eq!(closed["value"]["x-credkit-format"], "date");
    assert_eq!(
        closed["value"]["x-credkit-source"],
        "observed in a.json, b.json on 2026-01-31 (credkit audit --suggest)"
    );
    assert_eq!(
        op(1, "/properties/extra")["value"]["properties"]["rows"]["items"]["properties"]["n"]
            ["type"],
        "integer"
    );

    // The generator accepts the patched schemas, and their curated schema declares the fields.
    let workspace = credkit_codegen::Workspace::load(&root).expect("patched schemas load");
    credkit_codegen::generate::generate(&workspace).expect("patched schemas generate");
    let after: usize = documents.iter().map(|d| undeclared(&root, d)).sum();
    assert_eq!(after, 0);

    // Only insertions: every original line is still there, in order (a member that gained a
    // successor gained a comma), and other files are untouched.
    for (original, path) in originals.iter().zip([&model_file, &shared_file]) {
        let patched = std::fs::read_to_string(path).expect("read");
        assert!(patched.len() > original.len());
        let mut lines = patched.lines().map(|l| l.trim_end_matches(','));
        for line in original.lines() {
            let line = line.trim_end_matches(',');
            assert!(
                lines.any(|l| l == line),
                "{line:?} lost in {}",
                path.display()
            );
        }
    }
    assert_eq!(
        std::fs::read_to_string(&untouched_file).expect("read"),
        originals[2]
    );

    // Suggesting again finds nothing new to add.
    let again = suggest(&["--schemas", schemas.to_str().expect("utf-8")], &[&a, &b]);
    assert!(
        text(&again.stderr).contains("declared already"),
        "{}",
        text(&again.stderr)
    );
}

#[test]
fn conflicting_observations_are_skipped_and_said() {
    let temp = tempfile::tempdir().expect("tempdir");
    let mut first = fixture();
    first["shape"] = json!({"a": 1});
    first["fine"] = json!(true);
    let mut second = fixture();
    second["shape"] = json!("text");
    let a = temp.path().join("a.json");
    let b = temp.path().join("b.json");
    std::fs::write(&a, first.to_string()).expect("write");
    std::fs::write(&b, second.to_string()).expect("write");
    let schemas = workspace_schemas();
    let output = suggest(&["--schemas", schemas.to_str().expect("utf-8")], &[&a, &b]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("`shape` seen as text and object"),
        "{stderr}"
    );
    let printed: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let paths: Vec<&str> = printed[0]["patch"]
        .as_array()
        .expect("patch")
        .iter()
        .filter_map(|op| op["path"].as_str())
        .collect();
    assert_eq!(paths, ["/properties/fine"]);
}

#[test]
fn a_missing_schemas_directory_is_a_usage_error() {
    let temp = tempfile::tempdir().expect("tempdir");
    let file = temp.path().join("a.json");
    std::fs::write(&file, fixture().to_string()).expect("write");
    let output = suggest(&["--schemas", "/nonexistent/schemas"], &[&file]);
    assert_eq!(output.status.code(), Some(64));
    assert!(
        text(&output.stderr).contains("--schemas"),
        "{}",
        text(&output.stderr)
    );
    let bad_date = Command::new(env!("CARGO_BIN_EXE_credkit"))
        .env("CREDKIT_TODAY", "yesterday")
        .args(["audit", "--suggest", MODEL])
        .arg(&file)
        .output()
        .expect("runs");
    assert_eq!(bad_date.status.code(), Some(64));
    let write_alone = Command::new(env!("CARGO_BIN_EXE_credkit"))
        .args(["audit", "--write", MODEL])
        .arg(&file)
        .output()
        .expect("runs");
    assert_eq!(write_alone.status.code(), Some(2), "clap usage error");
}
