//! Helpers shared by credkit's workspace-level tests: finding fixtures and checking a
//! fixture against the model its folder names.

use std::path::{Path, PathBuf};

use credkit_runtime::{parse_json, JsonPath, Model, ModelVisitor};
use serde_json::Value;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// One fixture: a JSON file under `tests/fixtures/<model id>/`.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// The model id its folder names.
    pub model_id: String,
    /// The file.
    pub path: PathBuf,
}

impl Fixture {
    /// The file name, e.g. `doc-000-example.json`.
    pub fn name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// Whether this fixture shows drift the documents do not (`drift-*.json`: PHP's `[]` for an
    /// empty object, a scalar of another kind than documented). It must parse and round-trip,
    /// and the curated schema must flag it (it is reported, not documented).
    pub fn is_drift(&self) -> bool {
        self.name().starts_with("drift-")
    }

    /// Whether this is a verbatim (repaired) example body of a vendor document.
    pub fn is_document_example(&self) -> bool {
        self.name().starts_with("doc-")
    }

    /// The fixture's bytes.
    pub fn read(&self) -> Vec<u8> {
        std::fs::read(&self.path).unwrap_or_else(|e| panic!("reading {}: {e}", self.path.display()))
    }
}

/// Every fixture, ordered by path.
pub fn fixtures() -> Vec<Fixture> {
    let root = workspace_root().join("tests").join("fixtures");
    let mut out = Vec::new();
    collect(&root, &root, &mut out);
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<Fixture>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            let folder = path.parent().unwrap_or(root);
            let model_id = folder
                .strip_prefix(root)
                .unwrap_or(folder)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.push(Fixture { model_id, path });
        }
    }
}

/// What checking one fixture found.
#[derive(Debug, Clone, Default)]
pub struct FixtureReport {
    /// Fields the model ignored as unknown.
    pub ignored: Vec<JsonPath>,
}

/// Parses a fixture, serialises it back and compares the result with the input as JSON
/// values, apart from the fields reported as ignored; then validates the input against the
/// JSON Schema the generated types emit (schemars) and against the curated schema the model
/// ships (`Model::SCHEMA`), with the `jsonschema` crate.
pub struct CheckFixture<'a> {
    /// The fixture's bytes.
    pub input: &'a [u8],
    /// A drift fixture: the curated schema must report it instead of accepting it.
    pub drift: bool,
}

impl ModelVisitor for CheckFixture<'_> {
    type Output = Result<FixtureReport, String>;

    fn visit<M: Model>(self) -> Self::Output {
        let parsed = parse_json::<M>(self.input)
            .map_err(|e| format!("does not parse: {e} (line {}, column {})", e.line, e.column))?;
        let original: Value =
            serde_json::from_slice(self.input).map_err(|e| format!("not JSON: {e}"))?;
        let mut expected = original.clone();
        for path in &parsed.ignored {
            path.remove_from(&mut expected);
        }
        let written =
            serde_json::to_value(&parsed.value).map_err(|e| format!("does not serialise: {e}"))?;
        if written != expected {
            return Err(format!(
                "round trip differs:\n{}",
                describe_difference(&expected, &written, "$")
            ));
        }

        let emitted = serde_json::to_value(schemars::schema_for!(M)).map_err(|e| e.to_string())?;
        let curated: Value = serde_json::from_str(M::SCHEMA)
            .map_err(|e| format!("the curated schema is not JSON: {e}"))?;
        for (which, schema) in [("emitted", emitted), ("curated", curated)] {
            let validator = jsonschema::validator_for(&schema)
                .map_err(|e| format!("the {which} schema is invalid: {e}"))?;
            let errors: Vec<String> = validator
                .iter_errors(&original)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            if self.drift && which == "curated" {
                if errors.is_empty() {
                    return Err(
                        "a drift fixture that the curated schema accepts: nothing drifts".into(),
                    );
                }
                continue;
            }
            if !errors.is_empty() {
                return Err(format!(
                    "fails the {which} JSON Schema:\n  {}",
                    errors.join("\n  ")
                ));
            }
        }
        Ok(FixtureReport {
            ignored: parsed.ignored,
        })
    }
}

/// The first few places where two JSON values differ, for a readable failure.
pub fn describe_difference(expected: &Value, actual: &Value, path: &str) -> String {
    let mut out = Vec::new();
    diff_into(expected, actual, path, &mut out);
    out.truncate(20);
    out.join("\n")
}

fn diff_into(expected: &Value, actual: &Value, path: &str, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                match b.get(key) {
                    Some(other) => diff_into(value, other, &format!("{path}.{key:?}"), out),
                    None => out.push(format!("  {path}.{key:?}: lost (was {value})")),
                }
            }
            for key in b.keys().filter(|k| !a.contains_key(*k)) {
                out.push(format!("  {path}.{key:?}: added ({})", b[key]));
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                diff_into(x, y, &format!("{path}[{index}]"), out);
            }
        }
        _ if expected != actual => out.push(format!("  {path}: {expected} became {actual}")),
        _ => {}
    }
}
