//! `credkit normalize` and `credkit redact`: a payload rewritten by walking it alongside its
//! model's curated schema (`Model::SCHEMA`) — typed values for every `x-credkit-format`,
//! placeholders for every `x-credkit-pii`.

use std::path::PathBuf;
use std::process::ExitCode;

use credkit_runtime::bounded::{shorten, MAX_ECHO_BYTES};
use credkit_runtime::{parse_json, Model, ModelVisitor};
use serde_json::Value;

/// Arguments of `credkit normalize`.
#[derive(clap::Args)]
pub struct NormalizeArgs {
    /// Print one JSON document (the converted payload and the misfits) on standard output
    /// instead of the payload and misfit lines (README, "Machine-readable output").
    #[arg(long)]
    json: bool,
    /// The model id (`credkit parse --list`).
    model: String,
    /// The JSON file (`-` for standard input).
    file: PathBuf,
}

/// Arguments of `credkit redact`.
#[derive(clap::Args)]
pub struct RedactArgs {
    /// The model id (`credkit parse --list`).
    model: String,
    /// The JSON file (`-` for standard input).
    file: PathBuf,
    /// Seeds the placeholders: the same input and seed give the same output.
    #[arg(long, default_value_t = 0)]
    seed: u64,
}

/// The model's curated schema, and a function telling whether bytes parse with the model.
struct SchemaOf;

impl ModelVisitor for SchemaOf {
    type Output = (&'static str, fn(&[u8]) -> bool);

    fn visit<M: Model>(self) -> Self::Output {
        fn parses<M: Model>(bytes: &[u8]) -> bool {
            parse_json::<M>(bytes).is_ok()
        }
        (M::SCHEMA, parses::<M>)
    }
}

/// What a command works on: the model's curated schema, the payload, and whether bytes parse
/// with the model.
struct Loaded {
    schema: Value,
    payload: Value,
    parses: fn(&[u8]) -> bool,
}

/// The schema and parse check of `model`, and the payload as a JSON value; or the exit status
/// after a message.
fn load(model: &str, file: &std::path::Path) -> Result<Loaded, ExitCode> {
    let input = crate::parse::read_input(file).map_err(|message| {
        eprintln!("error: {message}");
        ExitCode::from(2)
    })?;
    let Some((schema, parses)) = credkit_models::visit_model(model, SchemaOf) else {
        eprintln!(
            "error: unknown model id `{}`; `credkit parse --list` prints the ids",
            shorten(model, MAX_ECHO_BYTES)
        );
        return Err(ExitCode::from(2));
    };
    let schema: Value = serde_json::from_str(schema).map_err(|error| {
        eprintln!("error: the model's schema: {error}");
        ExitCode::from(2)
    })?;
    let payload = parse_json::<Value>(&input)
        .map_err(|error| {
            eprintln!(
                "error: {} is not JSON credkit reads: {error}",
                file.display()
            );
            ExitCode::from(2)
        })?
        .value;
    Ok(Loaded {
        schema,
        payload,
        parses,
    })
}

/// Runs `credkit normalize`: the converted payload on stdout; each value that does not fit
/// its format on stderr; exit 1 if there was any, 0 otherwise, 2 on a usage error.
pub fn run_normalize(args: &NormalizeArgs) -> ExitCode {
    let Loaded {
        schema, payload, ..
    } = match load(&args.model, &args.file) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let (normalized, misfits) = credkit_runtime::format::normalize(&payload, &schema);
    let code = if misfits.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    };
    if args.json {
        let misfits: Vec<Value> = misfits
            .iter()
            .map(|misfit| {
                serde_json::json!({
                    "path": misfit.path.to_string(),
                    "format": misfit.format.as_str(),
                    "text": misfit.text,
                    "reason": misfit.reason.as_str(),
                    "message": misfit.to_string(),
                })
            })
            .collect();
        crate::out(serde_json::json!({
            "format_version": crate::parse::FORMAT_VERSION,
            "command": "normalize",
            "model": args.model,
            "file": args.file.display().to_string(),
            "verdict": if misfits.is_empty() { "ok" } else { "misfits" },
            "normalized": normalized,
            "misfits": misfits,
        }));
        return code;
    }
    crate::out(normalized);
    for misfit in &misfits {
        eprintln!("misfit: {misfit}");
    }
    if !misfits.is_empty() {
        eprintln!("{} value(s) did not fit their format", misfits.len());
    }
    code
}

/// Runs `credkit redact`: the payload with every personal-data value replaced by a
/// deterministic placeholder of the same shape; exit 0, or 1 if the result would not parse
/// with the model (a credkit bug, reported), 2 on a usage error.
pub fn run_redact(args: &RedactArgs) -> ExitCode {
    let Loaded {
        schema,
        payload,
        parses,
    } = match load(&args.model, &args.file) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let redacted = credkit_runtime::pii::redact(&payload, &schema, args.seed);
    let text = redacted.to_string();
    if !parses(text.as_bytes()) && parses(payload.to_string().as_bytes()) {
        eprintln!("error: the redacted payload no longer parses with the model; nothing printed");
        return ExitCode::FAILURE;
    }
    crate::out(text);
    ExitCode::SUCCESS
}
