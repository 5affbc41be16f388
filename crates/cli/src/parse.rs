//! `credkit parse <model-id> <file.json>` and `credkit parse --list`.

use std::path::PathBuf;
use std::process::ExitCode;

use credkit_runtime::{parse_json, JsonPath, Model, ModelVisitor, ParseError};

/// Arguments of `credkit parse`.
#[derive(clap::Args)]
pub struct ParseArgs {
    /// Print the model ids and exit.
    #[arg(long, conflicts_with_all = ["model", "file"])]
    list: bool,
    /// The model id: the schema's path under `schemas/` without extension,
    /// e.g. `deepfinch/credit-report-v1`.
    #[arg(required_unless_present = "list")]
    model: Option<String>,
    /// The JSON file to parse (`-` for standard input).
    #[arg(required_unless_present = "list")]
    file: Option<PathBuf>,
}

struct ParseWith<'a> {
    input: &'a [u8],
}

impl ModelVisitor for ParseWith<'_> {
    type Output = Result<Vec<JsonPath>, (ParseError, Option<(&'static str, ParseError)>)>;

    fn visit<M: Model>(self) -> Self::Output {
        parse_json::<M>(self.input)
            .map(|parsed| parsed.ignored)
            .map_err(|error| (error, M::explain_failure(self.input)))
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
    let input = if file.as_os_str() == "-" {
        let mut buffer = Vec::new();
        match std::io::Read::read_to_end(&mut std::io::stdin(), &mut buffer) {
            Ok(_) => buffer,
            Err(error) => {
                eprintln!("error: cannot read standard input: {error}");
                return ExitCode::from(2);
            }
        }
    } else {
        match std::fs::read(file) {
            Ok(bytes) => bytes,
            Err(error) => {
                eprintln!("error: cannot read {}: {error}", file.display());
                return ExitCode::from(2);
            }
        }
    };
    let Some(result) = credkit_models::visit_model(model, ParseWith { input: &input }) else {
        eprintln!("error: unknown model id `{model}`; `credkit parse --list` prints the ids");
        return ExitCode::from(2);
    };
    match result {
        Ok(ignored) => {
            crate::out(format!("ok: {} parses as {model}", file.display()));
            if ignored.is_empty() {
                crate::out("no unknown fields");
            } else {
                crate::out(format!("ignored {} unknown field(s):", ignored.len()));
                for path in ignored {
                    crate::out(format_args!("  {path}"));
                }
            }
            ExitCode::SUCCESS
        }
        Err((error, explanation)) => {
            eprintln!(
                "error: {} does not parse as {model}\n  at {}: {} (line {}, column {})",
                file.display(),
                error.path,
                error.message,
                error.line,
                error.column
            );
            if let Some((shape, closest)) = explanation {
                eprintln!(
                    "  closest shape {shape}: at {}: {} (line {}, column {})",
                    closest.path, closest.message, closest.line, closest.column
                );
            }
            ExitCode::FAILURE
        }
    }
}
