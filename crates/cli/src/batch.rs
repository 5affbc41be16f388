//! The batch engine of `credkit deepfinch ocr --out DIR` and `credkit dianhua … --sid-file F`:
//! one result file per input, an error record per failure, resume, a bounded number of calls in
//! flight, a stop on quota exhaustion, progress and a summary.
//!
//! The caller turns its inputs into [`Input`]s (checked locally: a file that is not a PDF or is
//! over the channel's limit arrives here already failed) and gives one async call per input.
//! For each input, in order:
//!
//! 1. a name clash (two inputs that would write the same file) fails every input involved;
//! 2. without `--force`, an input whose `<out>/<stem>.json` exists is skipped;
//! 3. an input that failed its local check gets its error record at once, before any upload;
//! 4. the rest are called, at most `--concurrency` at once; when a call says the quota is used
//!    up, no further call starts, the ones in flight finish, and the others are reported as not
//!    submitted.
//!
//! A result is written to a temporary file in `<out>` and renamed into place, so an interrupted
//! run never leaves a half result that the next run would skip.

use std::collections::HashMap;
use std::ffi::OsString;
use std::future::Future;
use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use credkit_runtime::bounded::shorten;
use credkit_runtime::client::error::ClientError;
use futures_util::StreamExt as _;

pub mod inputs;
use serde::Serialize;
use serde_json::{json, Value};

/// The most calls in flight `--concurrency` accepts.
pub const MAX_CONCURRENCY: u16 = 16;
/// The longest error message kept in an error record, in bytes.
const MAX_RECORD_MESSAGE: usize = 2048;
/// The longest vendor code or request id kept in an error record, in bytes.
const MAX_RECORD_FIELD: usize = 128;

/// The options every batch command shares.
#[derive(clap::Args, Debug)]
pub struct BatchArgs {
    /// Write one result file per input into DIR (created if missing): `<name>.json` for a
    /// result, `<name>.error.json` for a failure. Inputs whose result exists are skipped.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Calls in flight at once (1 to 16).
    #[arg(long, value_name = "N", default_value_t = 2, requires = "out",
          value_parser = clap::value_parser!(u16).range(1..=i64::from(MAX_CONCURRENCY)))]
    pub concurrency: u16,
    /// Redo inputs whose result already exists.
    #[arg(long, requires = "out")]
    pub force: bool,
    /// Print a machine-readable summary document on standard output (README, "Daily work").
    #[arg(long, requires = "out")]
    pub json: bool,
}

/// How a batch runs.
pub struct Spec<'a> {
    /// The command, for the summary: `deepfinch ocr`, `dianhua record`, ….
    pub command: &'static str,
    /// The channel, for the summary (`jd`, `carrier`).
    pub channel: &'static str,
    /// The options.
    pub args: &'a BatchArgs,
    /// The output directory.
    pub out: &'a Path,
    /// Whether a failed call says that the quota (or the rate limit) is used up.
    pub is_quota: &'a dyn Fn(&ClientError) -> bool,
}

/// One input of a batch.
pub struct Input<W> {
    /// How the input is shown: the path or the sid.
    pub label: String,
    /// The file name its result takes, without `.json`; `None` for an input that cannot name a
    /// file (it has failed already, and its failure is reported but not written).
    pub stem: Option<OsString>,
    /// The work to do, or why it cannot be done (found before any call).
    pub work: Result<W, ErrorRecord>,
}

/// What a successful call gives.
pub struct Answer {
    /// The result document (the typed response, serialised).
    pub body: String,
    /// Whether the answer says nothing is left of the quota (JD's `remainTimes` 0).
    pub quota_exhausted: bool,
}

/// Why a call failed.
#[derive(Debug)]
pub enum CallFailure {
    /// The vendor or the transport said no.
    Client(ClientError),
    /// credkit could not finish the input itself (the answer cannot be written as JSON).
    Local(ErrorRecord),
}

impl From<ClientError> for CallFailure {
    fn from(error: ClientError) -> Self {
        CallFailure::Client(error)
    }
}

impl Answer {
    /// The answer `value` as a pretty JSON document.
    pub fn new<T: Serialize>(value: &T, quota_exhausted: bool) -> Result<Self, CallFailure> {
        serde_json::to_string_pretty(value)
            .map(|body| Answer {
                body,
                quota_exhausted,
            })
            .map_err(|e| {
                CallFailure::Local(ErrorRecord::local(
                    "io",
                    format_args!("cannot write the answer as JSON: {e}"),
                ))
            })
    }
}

/// Why an input failed, as written to `<stem>.error.json`: never a secret, every text bounded.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorRecord {
    /// What failed: a [`ClientError`] variant (`api`, `transport`, `decode`, `upload`, …) or
    /// `name_clash`, `invalid_input`, `io`.
    pub kind: &'static str,
    /// The error, in words.
    pub message: String,
    /// The HTTP status, when a response arrived.
    pub http_status: Option<u16>,
    /// The vendor's status code, when it sent one.
    pub vendor_code: Option<String>,
    /// The vendor's request id, when it sent one.
    pub request_id: Option<String>,
}

impl ErrorRecord {
    /// A failure found by credkit itself.
    pub fn local(kind: &'static str, message: impl std::fmt::Display) -> Self {
        ErrorRecord {
            kind,
            message: bounded(&message.to_string(), MAX_RECORD_MESSAGE),
            http_status: None,
            vendor_code: None,
            request_id: None,
        }
    }

    /// A failed call.
    pub fn from_client(error: &ClientError) -> Self {
        ErrorRecord {
            kind: client_kind(error),
            message: bounded(&error.to_string(), MAX_RECORD_MESSAGE),
            http_status: error.status(),
            vendor_code: error.vendor_code().map(|c| bounded(c, MAX_RECORD_FIELD)),
            request_id: request_id(error).map(|r| bounded(r, MAX_RECORD_FIELD)),
        }
    }
}

fn bounded(text: &str, max: usize) -> String {
    shorten(text, max).to_string()
}

fn client_kind(error: &ClientError) -> &'static str {
    match error {
        ClientError::Api(_) => "api",
        ClientError::Transport { .. } => "transport",
        ClientError::ResponseTooLarge { .. } => "response_too_large",
        ClientError::Decode { .. } => "decode",
        ClientError::RetriesExhausted { .. } => "retries_exhausted",
        ClientError::StillInProgress { .. } => "still_in_progress",
        ClientError::Upload(_) => "upload",
        ClientError::Signing(_) => "signing",
        ClientError::InvalidArgument(_) => "invalid_argument",
        ClientError::Config(_) => "config",
    }
}

fn request_id(error: &ClientError) -> Option<&str> {
    match error {
        ClientError::Api(api) => api.request_id.as_deref(),
        ClientError::RetriesExhausted { last, .. } => request_id(last),
        _ => None,
    }
}

/// What became of one input.
#[derive(Debug)]
enum Outcome {
    Done,
    Skipped,
    Failed(ErrorRecord),
    NotSubmitted,
}

impl Outcome {
    fn name(&self) -> &'static str {
        match self {
            Outcome::Done => "done",
            Outcome::Skipped => "skipped",
            Outcome::Failed(_) => "failed",
            Outcome::NotSubmitted => "not_submitted",
        }
    }
}

/// The tally of a run.
#[derive(Debug, Default)]
struct Counts {
    done: usize,
    skipped: usize,
    failed: usize,
    not_submitted: usize,
}

impl Counts {
    fn add(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Done => self.done += 1,
            Outcome::Skipped => self.skipped += 1,
            Outcome::Failed(_) => self.failed += 1,
            Outcome::NotSubmitted => self.not_submitted += 1,
        }
    }
}

/// Progress on standard error: a bar on a terminal, plain lines otherwise.
enum Progress {
    Bar(indicatif::ProgressBar),
    Lines { total: usize, seen: usize },
}

impl Progress {
    fn new(total: usize) -> Self {
        if std::io::stderr().is_terminal() {
            let bar = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{bar:30} {pos}/{len} {elapsed_precise} {wide_msg}",
            ) {
                bar.set_style(style);
            }
            Progress::Bar(bar)
        } else {
            Progress::Lines { total, seen: 0 }
        }
    }

    /// Reports one finished input.
    fn report(&mut self, label: &str, outcome: &Outcome) {
        let detail = match outcome {
            Outcome::Done => String::new(),
            Outcome::Skipped => " (result exists)".to_owned(),
            Outcome::Failed(record) => format!(": {}", record.message),
            Outcome::NotSubmitted => " (quota exhausted)".to_owned(),
        };
        let name = outcome.name().replace('_', " ");
        match self {
            Progress::Bar(bar) => {
                if let Outcome::Failed(_) = outcome {
                    bar.println(format!("failed {label}{detail}"));
                }
                bar.set_message(format!("{name} {label}"));
                bar.inc(1);
            }
            Progress::Lines { total, seen } => {
                *seen += 1;
                eprintln!("[{seen}/{total}] {name} {label}{detail}");
            }
        }
    }

    fn note(&self, line: &str) {
        match self {
            Progress::Bar(bar) => bar.println(line),
            Progress::Lines { .. } => eprintln!("{line}"),
        }
    }

    fn finish(&self) {
        if let Progress::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}

/// The key two stems clash on: the same name up to case (case-insensitive file systems), and a
/// stem `x.error` clashes with `x` (whose error record is `x.error.json`).
fn clash_key(stem: &OsString) -> String {
    let lower = stem.to_string_lossy().to_lowercase();
    let mut key = lower.as_str();
    while let Some(base) = key.strip_suffix(".error") {
        key = base;
    }
    key.to_owned()
}

fn with_suffix(stem: &OsString, suffix: &str) -> OsString {
    let mut name = stem.clone();
    name.push(suffix);
    name
}

/// Writes `text` to `path` through a temporary file in the same directory and a rename.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let mut file = tempfile::Builder::new()
        .prefix(".credkit-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    file.write_all(text.as_bytes())?;
    file.write_all(b"\n")?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn error_document(label: &str, record: &ErrorRecord) -> String {
    let document =
        json!({"format_version": crate::parse::FORMAT_VERSION, "input": label, "error": record});
    serde_json::to_string_pretty(&document).unwrap_or_else(|_| document.to_string())
}

/// Runs a batch; `call` does one input's work. Returns the exit status: 0 when every input is
/// done or skipped, 1 when any failed or was not submitted, 2 when the output directory is
/// unusable.
pub async fn run<W, F, Fut>(spec: &Spec<'_>, inputs: Vec<Input<W>>, call: F) -> ExitCode
where
    F: Fn(W) -> Fut,
    Fut: Future<Output = Result<Answer, CallFailure>>,
{
    let started = Instant::now();
    if let Err(error) = std::fs::create_dir_all(spec.out) {
        eprintln!("error: cannot create {}: {error}", spec.out.display());
        return ExitCode::from(2);
    }
    let total = inputs.len();
    let mut progress = Progress::new(total);
    let mut outcomes: Vec<Option<Outcome>> = (0..total).map(|_| None).collect();
    let mut counts = Counts::default();
    let labels: Vec<String> = inputs.iter().map(|i| i.label.clone()).collect();
    let results: Vec<Option<PathBuf>> = inputs
        .iter()
        .map(|i| {
            i.stem
                .as_ref()
                .map(|s| spec.out.join(with_suffix(s, ".json")))
        })
        .collect();

    let mut clashes = find_clashes(&inputs);

    // Everything decided without a call is reported before the first upload.
    let mut pending = Vec::new();
    for (index, input) in inputs.into_iter().enumerate() {
        let outcome = if let Some(message) = clashes.remove(&index) {
            Outcome::Failed(ErrorRecord::local("name_clash", message))
        } else if !spec.args.force && results[index].as_ref().is_some_and(|r| r.exists()) {
            Outcome::Skipped
        } else {
            match (input.work, input.stem) {
                (Ok(work), Some(stem)) => {
                    pending.push((index, stem, work));
                    continue;
                }
                (Ok(_), None) => Outcome::Failed(ErrorRecord::local(
                    "invalid_input",
                    "the input names no file for its result",
                )),
                (Err(record), stem) => {
                    if let Some(stem) = stem {
                        write_record(spec.out, &stem, &input.label, &record, &progress);
                    }
                    Outcome::Failed(record)
                }
            }
        };
        progress.report(&labels[index], &outcome);
        counts.add(&outcome);
        outcomes[index] = Some(outcome);
    }

    let stop = AtomicBool::new(false);
    let quota_error: std::sync::Mutex<Option<ErrorRecord>> = std::sync::Mutex::new(None);
    let concurrency = usize::from(spec.args.concurrency.clamp(1, MAX_CONCURRENCY));
    let call = &call;
    let stop_ref = &stop;
    let mut finished = futures_util::stream::iter(pending)
        .map(|(index, stem, work): (usize, OsString, W)| async move {
            if stop_ref.load(Ordering::SeqCst) {
                return (index, stem, None);
            }
            (index, stem, Some(call(work).await))
        })
        .buffer_unordered(concurrency);
    while let Some((index, stem, answer)) = finished.next().await {
        let label = &labels[index];
        let outcome = match answer {
            None => Outcome::NotSubmitted,
            Some(Ok(answer)) => {
                if answer.quota_exhausted && !stop.swap(true, Ordering::SeqCst) {
                    progress.note(&format!(
                        "quota exhausted: the answer for {label} says no calls are left; no further input is submitted"
                    ));
                }
                let result = spec.out.join(with_suffix(&stem, ".json"));
                match write_atomically(&result, &answer.body) {
                    Ok(()) => {
                        // A failure of an earlier run is stale now.
                        let _ =
                            std::fs::remove_file(spec.out.join(with_suffix(&stem, ".error.json")));
                        Outcome::Done
                    }
                    Err(error) => Outcome::Failed(ErrorRecord::local(
                        "io",
                        format_args!("cannot write {}: {error}", result.display()),
                    )),
                }
            }
            Some(Err(CallFailure::Local(record))) => {
                write_record(spec.out, &stem, label, &record, &progress);
                Outcome::Failed(record)
            }
            Some(Err(CallFailure::Client(error))) => {
                let record = ErrorRecord::from_client(&error);
                if (spec.is_quota)(&error) && !stop.swap(true, Ordering::SeqCst) {
                    progress.note(&format!(
                        "quota exhausted: {}; no further input is submitted, the calls in flight finish",
                        record.message
                    ));
                    if let Ok(mut slot) = quota_error.lock() {
                        *slot = Some(record.clone());
                    }
                }
                write_record(spec.out, &stem, label, &record, &progress);
                Outcome::Failed(record)
            }
        };
        progress.report(label, &outcome);
        counts.add(&outcome);
        outcomes[index] = Some(outcome);
    }
    drop(finished);
    progress.finish();

    let quota_stop = stop.load(Ordering::SeqCst);
    let elapsed = started.elapsed();
    eprintln!(
        "{} {}: {total} input(s): {} done, {} skipped, {} failed, {} not submitted in {:.1}s",
        spec.command,
        spec.channel,
        counts.done,
        counts.skipped,
        counts.failed,
        counts.not_submitted,
        elapsed.as_secs_f64()
    );
    if quota_stop {
        eprintln!(
            "stopped on quota exhaustion: run the same command again when the quota is renewed; finished inputs are skipped"
        );
    }
    if spec.args.json {
        let quota_error = quota_error.lock().ok().and_then(|mut slot| slot.take());
        crate::out(summary_json(
            spec,
            &labels,
            &results,
            &outcomes,
            &counts,
            quota_stop,
            quota_error,
            elapsed,
        ));
    }
    if counts.failed == 0 && counts.not_submitted == 0 && !quota_stop {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The inputs that would write the same files, each with the message that names them all.
fn find_clashes<W>(inputs: &[Input<W>]) -> HashMap<usize, String> {
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (index, input) in inputs.iter().enumerate() {
        if let Some(stem) = &input.stem {
            groups.entry(clash_key(stem)).or_default().push(index);
        }
    }
    let mut clashes = HashMap::new();
    for members in groups.values().filter(|m| m.len() > 1) {
        let names: Vec<&str> = members.iter().map(|&i| inputs[i].label.as_str()).collect();
        let message = format!(
            "name clash: {} would write the same result file; rename one or give each its own --out",
            names.join(", ")
        );
        for &index in members {
            clashes.insert(index, message.clone());
        }
    }
    clashes
}

fn write_record(
    out: &Path,
    stem: &OsString,
    label: &str,
    record: &ErrorRecord,
    progress: &Progress,
) {
    let path = out.join(with_suffix(stem, ".error.json"));
    if let Err(error) = write_atomically(&path, &error_document(label, record)) {
        progress.note(&format!("error: cannot write {}: {error}", path.display()));
    }
}

#[allow(clippy::too_many_arguments)]
fn summary_json(
    spec: &Spec<'_>,
    labels: &[String],
    results: &[Option<PathBuf>],
    outcomes: &[Option<Outcome>],
    counts: &Counts,
    quota_stop: bool,
    quota_error: Option<ErrorRecord>,
    elapsed: Duration,
) -> Value {
    let inputs: Vec<Value> = labels
        .iter()
        .zip(results)
        .zip(outcomes)
        .map(|((label, result), outcome)| {
            let outcome = outcome.as_ref().unwrap_or(&Outcome::NotSubmitted);
            let (result, error) = match outcome {
                Outcome::Done | Outcome::Skipped => (
                    json!(result.as_ref().map(|r| r.display().to_string())),
                    Value::Null,
                ),
                Outcome::Failed(record) => (Value::Null, json!(record)),
                Outcome::NotSubmitted => (Value::Null, Value::Null),
            };
            json!({"input": label, "outcome": outcome.name(), "result": result, "error": error})
        })
        .collect();
    let verdict = if quota_stop {
        "quota_exhausted"
    } else if counts.failed > 0 {
        "failed"
    } else {
        "ok"
    };
    json!({
        "format_version": crate::parse::FORMAT_VERSION,
        "command": spec.command,
        "channel": spec.channel,
        "out": spec.out.display().to_string(),
        "verdict": verdict,
        "counts": {
            "total": labels.len(),
            "done": counts.done,
            "skipped": counts.skipped,
            "failed": counts.failed,
            "not_submitted": counts.not_submitted,
        },
        "elapsed_seconds": elapsed.as_secs_f64(),
        "quota_error": quota_error,
        "inputs": inputs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_that_differ_in_case_or_by_error_clash() {
        let key = |s: &str| clash_key(&OsString::from(s));
        assert_eq!(key("Report"), key("report"));
        assert_eq!(key("a.error"), key("a"));
        assert_ne!(key("a"), key("b"));
    }

    #[test]
    fn an_error_record_is_bounded() {
        let record = ErrorRecord::local("io", "x".repeat(10_000));
        assert!(
            record.message.len() < MAX_RECORD_MESSAGE + 32,
            "{}",
            record.message.len()
        );
    }

    #[test]
    fn an_atomic_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.json");
        write_atomically(&path, "{}").expect("written");
        write_atomically(&path, "{\"b\":1}").expect("replaced");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("dir")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![OsString::from("a.json")]);
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "{\"b\":1}\n");
    }
}
