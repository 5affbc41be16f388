//! `credkit parse <model-id> <file.json>` and `credkit parse --list`.

use std::path::PathBuf;
use std::process::ExitCode;

use credkit_runtime::bounded::{shorten, MAX_ECHO_BYTES};
use credkit_runtime::{parse_json, JsonPath, Model, ModelVisitor, ParseError};
use serde_json::{json, Value};

/// The version of the documents `--json` prints (README, "Machine-readable output"); it
/// changes only when a field changes meaning or goes away.
pub(crate) const FORMAT_VERSION: u32 = 1;

/// Arguments of `credkit parse`.
#[derive(clap::Args)]
pub struct ParseArgs {
    /// Print the model ids and exit.
    #[arg(long, conflicts_with_all = ["model", "file", "json"])]
    list: bool,
    /// Print one JSON document on standard output instead of text (README, "Machine-readable
    /// output"). Exit statuses are the same.
    #[arg(long)]
    json: bool,
    /// The model id: the schema's path under `schemas/` without extension,
    /// e.g. `deepfinch/credit-report-v1`.
    #[arg(required_unless_present = "list")]
    model: Option<String>,
    /// The JSON file to parse (`-` for standard input).
    #[arg(required_unless_present = "list")]
    file: Option<PathBuf>,
}

/// A parse failure, with the closest shape's failure for a union model.
type Failure = (ParseError, Option<(&'static str, ParseError)>);

struct ParseWith<'a> {
    input: &'a [u8],
}

impl ModelVisitor for ParseWith<'_> {
    type Output = Result<Vec<JsonPath>, Failure>;

    fn visit<M: Model>(self) -> Self::Output {
        parse_json::<M>(self.input)
            .map(|parsed| parsed.ignored)
            .map_err(|error| (error, M::explain_failure(self.input)))
    }
}

/// A parse error as in `--json` output: kind, path, position and message, all bounded.
pub(crate) fn error_json(error: &ParseError) -> Value {
    json!({
        "kind": error.kind.as_str(),
        "path": error.path.to_string(),
        "line": error.line,
        "column": error.column,
        "message": error.message,
    })
}

/// Prints a `--json` document on one line.
pub(crate) fn print_json(document: &Value) {
    crate::out(document);
}

/// Reads the file, or standard input for `-`.
pub(crate) fn read_input(file: &std::path::Path) -> Result<Vec<u8>, String> {
    if file.as_os_str() == "-" {
        let mut buffer = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buffer)
            .map(|_| buffer)
            .map_err(|error| format!("cannot read standard input: {error}"))
    } else {
        std::fs::read(file).map_err(|error| format!("cannot read {}: {error}", file.display()))
    }
}

/// Runs `credkit parse`: exit 0 when the payload parses, 1 when it does not, 2 on a usage or
/// I/O problem.
pub fn run(args: &ParseArgs) -> ExitCode {
    if args.list {
        for id in credkit_models::model_ids() {
            crate::out(id);
        }
        return ExitCode::SUCCESS;
    }
    let (Some(model), Some(file)) = (&args.model, &args.file) else {
        eprintln!("error: a model id and a file are required (see `credkit parse --help`)");
        return ExitCode::from(2);
    };
    let input = match read_input(file) {
        Ok(input) => input,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let Some(result) = credkit_models::visit_model(model, ParseWith { input: &input }) else {
        eprintln!(
            "error: unknown model id `{}`; `credkit parse --list` prints the ids",
            shorten(model, MAX_ECHO_BYTES)
        );
        return ExitCode::from(2);
    };
    let file = file.display().to_string();
    if args.json {
        print_json(&document(model, &file, &result));
    } else {
        print_text(model, &file, &result);
    }
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}

/// The `--json` document of one run.
fn document(model: &str, file: &str, result: &Result<Vec<JsonPath>, Failure>) -> Value {
    let (verdict, ignored, error, closest) = match result {
        Ok(ignored) => ("ok", ignored.as_slice(), Value::Null, Value::Null),
        Err((error, closest)) => (
            "does_not_parse",
            &[][..],
            error_json(error),
            closest.as_ref().map_or(
                Value::Null,
                |(shape, error)| json!({"shape": shape, "error": error_json(error)}),
            ),
        ),
    };
    json!({
        "format_version": FORMAT_VERSION,
        "command": "parse",
        "model": model,
        "file": file,
        "verdict": verdict,
        "ignored": ignored.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "error": error,
        "closest_shape": closest,
    })
}

fn print_text(model: &str, file: &str, result: &Result<Vec<JsonPath>, Failure>) {
    match result {
        Ok(ignored) => {
            crate::out(format!("ok: {file} parses as {model}"));
            if ignored.is_empty() {
                crate::out("no unknown fields");
            } else {
                crate::out(format!("ignored {} unknown field(s):", ignored.len()));
                for path in ignored {
                    crate::out(format_args!("  {path}"));
                }
            }
        }
        Err((error, explanation)) => {
            eprintln!(
                "error: {file} does not parse as {model}\n  at {}: {} (line {}, column {})",
                error.path, error.message, error.line, error.column
            );
            if let Some((shape, closest)) = explanation {
                eprintln!(
                    "  closest shape {shape}: at {}: {} (line {}, column {})",
                    closest.path, closest.message, closest.line, closest.column
                );
            }
        }
    }
}
