//! `credkit audit --suggest [--write] <model-id> <file.json>...`: the schema change that
//! declares every unknown field the audited responses have.
//!
//! Each unknown field's payload path is resolved through the source schemas ([`locate`]) to
//! the schema file and object schema that should declare it; its type is inferred from every
//! value seen at that place in every file ([`infer`]); the result is one RFC 6902 patch of
//! `add` operations per schema file ([`patch`]), printed as a JSON array of
//! `{"file": "<schemas dir>/<path>", "patch": [...]}`. `--write` applies the patches to the
//! files, keeping their formatting, for `cargo xtask gen` and `cargo xtask diff` to show.
//!
//! Exit status: 0 when every unknown field is suggested (or there is none); 1 when some could
//! not be (conflicting observations, or no schema of credkit's to add them to), said on
//! stderr; 2 when a file is not JSON credkit reads, the schemas cannot be read, or a file
//! cannot be written; 64 for a usage error (unknown model, unreadable file, no schemas
//! directory, a bad `CREDKIT_TODAY`).

mod infer;
mod locate;
mod patch;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use credkit_runtime::bounded::{shorten, MAX_ECHO_BYTES};
use credkit_runtime::{parse_json, JsonPath, PathSegment};
use serde_json::Value;

use infer::{Context, Observation};
use locate::{escape_pointer, Location, Sources};
use patch::{AddOp, Node};

/// The environment variable that fixes the observation date (`YYYY-MM-DD`) written into
/// `x-credkit-source`; today's date (UTC) otherwise.
pub const TODAY_VARIABLE: &str = "CREDKIT_TODAY";

/// Keys longer than this are not taken for field names (nothing is suggested for them).
const MAX_KEY_BYTES: usize = 128;
/// The most unknown fields suggested in one run.
const MAX_FIELDS: usize = 1000;

/// Runs `credkit audit --suggest`: `schemas` is `--schemas`, `write` is `--write`.
pub fn run(model: &str, files: &[PathBuf], schemas: Option<&Path>, write: bool) -> ExitCode {
    let today = match today() {
        Ok(today) => today,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(64);
        }
    };
    let model_file = format!("{model}.json");
    let Some(dir) = schemas_dir(schemas, &model_file) else {
        eprintln!(
            "error: no schemas directory with {model_file}: pass --schemas DIR (the workspace's \
             `schemas/`), or run credkit from the workspace root"
        );
        return ExitCode::from(64);
    };
    let sources = match Sources::load(&dir, &model_file) {
        Ok(sources) => sources,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let mut documents = Vec::new();
    let mut unknown = Vec::new();
    for file in files {
        let input = match std::fs::read(file) {
            Ok(input) => input,
            Err(error) => {
                eprintln!("error: cannot read {}: {error}", file.display());
                return ExitCode::from(64);
            }
        };
        let document = match parse_json::<Value>(&input) {
            Ok(parsed) => parsed.value,
            Err(error) => {
                eprintln!(
                    "error: {} is not JSON credkit reads: {} (line {}, column {})",
                    file.display(),
                    error.message,
                    error.line,
                    error.column
                );
                return ExitCode::from(2);
            }
        };
        let Some(findings) = crate::audit::audit(model, &input) else {
            return ExitCode::from(64);
        };
        unknown.push(findings.unknown);
        documents.push(document);
    }
    let names: Vec<String> = files
        .iter()
        .map(|file| {
            file.file_name().map_or_else(
                || file.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        })
        .collect();
    let context = Context {
        files: &names,
        today: &today,
    };
    let suggestion = suggest(&sources, &model_file, &documents, &unknown, &context);
    for problem in &suggestion.problems {
        eprintln!("not suggested: {problem}");
    }
    // Pretty and in authoring key order (the values are `Node`s), ready to read or `jq`.
    let output: Vec<FilePatch<'_>> = suggestion
        .patches
        .iter()
        .map(|(file, patch)| FilePatch {
            file: dir.join(file).display().to_string(),
            patch,
        })
        .collect();
    match serde_json::to_string_pretty(&output) {
        Ok(json) => crate::out(json),
        Err(error) => {
            eprintln!("error: cannot print the patch: {error}");
            return ExitCode::from(2);
        }
    }
    if write {
        for (file, ops) in &suggestion.patches {
            let path = dir.join(file);
            if let Err(error) = write_patched(&path, ops) {
                eprintln!("error: cannot write {}: {error}", path.display());
                return ExitCode::from(2);
            }
            eprintln!("wrote {} ({} operation(s))", path.display(), ops.len());
        }
        if !suggestion.patches.is_empty() {
            eprintln!(
                "next: fill in the TODOs, then `cargo xtask gen` and `cargo xtask diff` show the change"
            );
        }
    }
    ExitCode::from(u8::from(!suggestion.problems.is_empty()))
}

/// One schema file's patch, as printed.
#[derive(serde::Serialize)]
struct FilePatch<'a> {
    /// The file: the schemas directory joined with its path.
    file: String,
    /// RFC 6902 operations, all `add`.
    patch: &'a [AddOp],
}

/// The patches of one run, and what could not be suggested.
#[derive(Debug, Default)]
struct Suggestion {
    /// `add` operations by schema file (relative to the schemas directory), in file order.
    patches: Vec<(String, Vec<AddOp>)>,
    /// Unknown fields that are not in any patch, and why (bounded texts).
    problems: Vec<String>,
}

/// All observations of one unknown key at one object schema.
struct Field<'a> {
    target: Location,
    key: String,
    observations: Vec<Observation<'a>>,
}

/// The suggestion for `unknown[i]`, the unknown fields of `documents[i]`.
fn suggest(
    sources: &Sources,
    model_file: &str,
    documents: &[Value],
    unknown: &[Vec<JsonPath>],
    context: &Context<'_>,
) -> Suggestion {
    let mut suggestion = Suggestion::default();
    let mut fields: Vec<Field<'_>> = Vec::new();
    for (index, (document, paths)) in documents.iter().zip(unknown).enumerate() {
        for path in paths {
            let Some((PathSegment::Key(key), parent)) = path.0.split_last() else {
                continue;
            };
            let Some(value) = value_at(document, &path.0) else {
                continue;
            };
            let place = || shorten(&path.to_string(), MAX_ECHO_BYTES * 2).to_string();
            if key.len() > MAX_KEY_BYTES {
                suggestion.problems.push(format!(
                    "{}: a key longer than {MAX_KEY_BYTES} bytes",
                    place()
                ));
                continue;
            }
            let target = match sources.locate(model_file, document, parent) {
                Ok(target) => target,
                Err(why) => {
                    suggestion.problems.push(format!("{}: {why}", place()));
                    continue;
                }
            };
            let full = fields.len() >= MAX_FIELDS;
            match fields
                .iter_mut()
                .find(|field| field.target == target && field.key == *key)
            {
                Some(field) => field.observations.push((index, value)),
                None if full => {
                    suggestion.problems.push(format!(
                        "{}: more than {MAX_FIELDS} unknown fields",
                        place()
                    ));
                }
                None => fields.push(Field {
                    target,
                    key: key.clone(),
                    observations: vec![(index, value)],
                }),
            }
        }
    }
    // One group of new properties per object schema, in the order first seen.
    let mut groups: Vec<(Location, Vec<(String, Node)>)> = Vec::new();
    for field in fields {
        let place = format!(
            "{}#{}/properties/{}",
            field.target.file,
            field.target.pointer,
            shorten(&escape_pointer(&field.key), MAX_ECHO_BYTES)
        );
        let declared = sources
            .get(&field.target)
            .and_then(|schema| schema.get("properties"))
            .is_some_and(|properties| properties.get(&field.key).is_some());
        if declared {
            suggestion.problems.push(format!(
                "{place}: declared already in the source schema (run `cargo xtask gen`)"
            ));
            continue;
        }
        let mut conflicts = Vec::new();
        let node = infer::property(&field.key, &field.observations, context, &mut conflicts);
        for conflict in conflicts.iter().chain(node.as_ref().err()) {
            suggestion.problems.push(format!(
                "{place}: `{}` seen as {} — no schema credkit generates declares that; add it by hand",
                shorten(&conflict.key, MAX_ECHO_BYTES),
                conflict.seen
            ));
        }
        let Ok(node) = node else { continue };
        match groups
            .iter_mut()
            .find(|(target, _)| *target == field.target)
        {
            Some((_, members)) => members.push((field.key, node)),
            None => groups.push((field.target, vec![(field.key, node)])),
        }
    }
    for (target, members) in groups {
        let has_properties = sources
            .get(&target)
            .is_some_and(|schema| schema.get("properties").is_some_and(Value::is_object));
        let ops: Vec<AddOp> = if has_properties {
            members
                .into_iter()
                .map(|(key, node)| {
                    AddOp::new(
                        format!("{}/properties/{}", target.pointer, escape_pointer(&key)),
                        node,
                    )
                })
                .collect()
        } else {
            vec![AddOp::new(
                format!("{}/properties", target.pointer),
                Node::Object(members),
            )]
        };
        match suggestion
            .patches
            .iter_mut()
            .find(|(file, _)| *file == target.file)
        {
            Some((_, patch)) => patch.extend(ops),
            None => suggestion.patches.push((target.file, ops)),
        }
    }
    suggestion
}

/// The value at a path of a document.
fn value_at<'a>(document: &'a Value, path: &[PathSegment]) -> Option<&'a Value> {
    path.iter()
        .try_fold(document, |value, segment| match segment {
            PathSegment::Key(key) => value.get(key),
            PathSegment::Index(index) => value.get(index),
        })
}

/// The schemas directory: `--schemas`, else `./schemas`, else the workspace's this binary was
/// built from — the first that holds the model's file.
fn schemas_dir(given: Option<&Path>, model_file: &str) -> Option<PathBuf> {
    let candidates: Vec<PathBuf> = match given {
        Some(dir) => vec![dir.to_owned()],
        None => vec![
            PathBuf::from("schemas"),
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas"),
        ],
    };
    candidates
        .into_iter()
        .find(|dir| dir.join(model_file).is_file())
}

/// The observation date: [`TODAY_VARIABLE`] when set (checked), else today in UTC.
fn today() -> Result<String, String> {
    match std::env::var(TODAY_VARIABLE) {
        Ok(text) => chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .map(|date| date.to_string())
            .map_err(|_| format!("{TODAY_VARIABLE} must be a date written YYYY-MM-DD")),
        Err(_) => {
            let days = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |elapsed| elapsed.as_secs() / 86_400);
            let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
            Ok(epoch
                .checked_add_days(chrono::Days::new(days))
                .unwrap_or(epoch)
                .to_string())
        }
    }
}

/// Applies `ops` to the schema file at `path`, keeping its formatting; writes through a
/// temporary file in the same directory, so a failure leaves the file as it was.
fn write_patched(path: &Path, ops: &[AddOp]) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let edited = patch::apply_checked(&text, ops).map_err(|e| e.to_string())?;
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".credkit-suggest.tmp");
    std::fs::write(&temporary, edited).map_err(|e| e.to_string())?;
    std::fs::rename(&temporary, path).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn workspace_schemas() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas")
    }

    fn key(name: &str) -> PathSegment {
        PathSegment::Key(name.to_owned())
    }

    #[test]
    fn observations_of_one_field_in_several_files_merge_into_one_union() {
        let model = "deepfinch/jd/credit-report.json";
        let sources = Sources::load(&workspace_schemas(), model).expect("sources");
        let loans = |extra: Value| json!({"newTop": 1, "result": {"structured_result": {"loans": [extra]}}});
        let documents = [
            loans(json!({"x": "暂无数据"})),
            loans(json!({"x": 3, "y": {"a": 1}})),
            loans(json!({"y": "t"})),
        ];
        let loan_path = |k: &str| {
            JsonPath(vec![
                key("result"),
                key("structured_result"),
                key("loans"),
                PathSegment::Index(0),
                key(k),
            ])
        };
        let unknown = vec![
            vec![JsonPath(vec![key("newTop")]), loan_path("x")],
            vec![loan_path("x"), loan_path("y")],
            vec![loan_path("y")],
        ];
        let names = [
            "a.json".to_owned(),
            "b.json".to_owned(),
            "c.json".to_owned(),
        ];
        let context = Context {
            files: &names,
            today: "2026-01-31",
        };
        let suggestion = suggest(&sources, model, &documents, &unknown, &context);
        let files: Vec<&str> = suggestion.patches.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(files, [model, "deepfinch/credit-report-v1.json"]);
        let top = &suggestion.patches[0].1;
        assert_eq!(top.len(), 1);
        assert_eq!(top[0].path, "/properties/newTop");
        let loan = serde_json::to_value(&suggestion.patches[1].1).expect("json");
        assert_eq!(loan.as_array().map(Vec::len), Some(1), "{loan:#}");
        assert!(loan[0]["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("/properties/x")));
        assert_eq!(loan[0]["value"]["type"], json!(["number", "string"]));
        assert!(loan[0]["value"]["x-credkit-source"]
            .as_str()
            .is_some_and(|s| s.starts_with("observed in a.json, b.json on 2026-01-31")));
        // `y`: an object in one file, text in another.
        assert_eq!(suggestion.problems.len(), 1, "{:?}", suggestion.problems);
        assert!(suggestion.problems[0].contains("`y` seen as text and object"));
    }

    #[test]
    fn today_is_a_date() {
        assert!(today().is_ok_and(|date| date.len() == 10));
    }
}
