//! Parse cost per model: the skim (`IgnoredAny`, the floor of any parse), a `Value` tree, the
//! plain typed parse (`serde_json::from_slice`), and credkit's `parse_json` (the typed parse
//! plus the ignored-field report and the whole-body checks), with the wrappers it is built
//! from as diagnostic rows.

use std::hint::black_box;
use std::io::Write;
use std::time::Duration;

use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::Value;

use crate::inputs::{Input, Inputs};
use crate::timing::{interleaved, ms, ratio, Case};
use crate::Options;

/// The rows of the parse table, in order. The first four are the issue's; the rest show where
/// `parse_json`'s time goes.
pub const ROWS: &[&str] = &[
    "serde_json::from_slice::<IgnoredAny> (scan floor)",
    "serde_json::from_slice::<Value>",
    "serde_json::from_slice::<Model> (plain typed)",
    "credkit_runtime::parse_json::<Model>",
    "diag: typed through serde_ignored",
    "diag: typed through serde_path_to_error",
    "diag: typed through both (parse_json before #13)",
];

const VALUE_ROW: usize = 1;
const TYPED_ROW: usize = 2;
const PARSE_JSON_ROW: usize = 3;

/// The cases of [`ROWS`] for model `M` on `bytes`.
fn cases<M: DeserializeOwned>(bytes: &[u8]) -> Vec<Case<'_>> {
    vec![
        Case::new(ROWS[0], move || {
            black_box(serde_json::from_slice::<IgnoredAny>(black_box(bytes)).ok());
        }),
        Case::new(ROWS[1], move || {
            black_box(serde_json::from_slice::<Value>(black_box(bytes)).ok());
        }),
        Case::new(ROWS[2], move || {
            black_box(serde_json::from_slice::<M>(black_box(bytes)).ok());
        }),
        Case::new(ROWS[3], move || {
            black_box(credkit_runtime::parse_json::<M>(black_box(bytes)).ok());
        }),
        Case::new(ROWS[4], move || {
            let mut json = serde_json::Deserializer::from_slice(black_box(bytes));
            let mut count = 0usize;
            let value: Result<M, _> = serde_ignored::deserialize(&mut json, |_path| count += 1);
            black_box((value.ok(), count));
        }),
        Case::new(ROWS[5], move || {
            let mut json = serde_json::Deserializer::from_slice(black_box(bytes));
            let value: Result<M, _> = serde_path_to_error::deserialize(&mut json);
            black_box(value.ok());
        }),
        Case::new(ROWS[6], move || {
            let mut json = serde_json::Deserializer::from_slice(black_box(bytes));
            let mut count = 0usize;
            let mut track = serde_path_to_error::Track::new();
            let value: Result<M, _> = {
                let mut record = |_path: serde_ignored::Path<'_>| count += 1;
                let ignored = serde_ignored::Deserializer::new(&mut json, &mut record);
                M::deserialize(serde_path_to_error::Deserializer::new(ignored, &mut track))
            };
            black_box((value.ok(), count));
        }),
    ]
}

/// The cases for `input`'s model.
fn cases_for(input: &Input) -> Vec<Case<'_>> {
    let bytes = input.bytes.as_slice();
    match input.model {
        "deepfinch/credit-report-v1" => {
            cases::<deepfinch_models::credit_report_v1::CreditReportV1>(bytes)
        }
        "deepfinch/credit-report-v2" => {
            cases::<deepfinch_models::credit_report_v2::CreditReportV2>(bytes)
        }
        _ => cases::<dianhua_models::calls_report::CallsReportResponse>(bytes),
    }
}

/// Checks that every input parses with `parse_json` (a bench of failures would mislead).
fn check(input: &Input) -> anyhow::Result<usize> {
    fn ignored<M: DeserializeOwned>(bytes: &[u8]) -> anyhow::Result<usize> {
        Ok(credkit_runtime::parse_json::<M>(bytes)?.ignored.len())
    }
    let bytes = input.bytes.as_slice();
    match input.model {
        "deepfinch/credit-report-v1" => {
            ignored::<deepfinch_models::credit_report_v1::CreditReportV1>(bytes)
        }
        "deepfinch/credit-report-v2" => {
            ignored::<deepfinch_models::credit_report_v2::CreditReportV2>(bytes)
        }
        _ => ignored::<dianhua_models::calls_report::CallsReportResponse>(bytes),
    }
}

/// Measures [`ROWS`] on every input and prints the tables: time relative to `Value`, and
/// milliseconds.
///
/// # Errors
///
/// When an input does not parse, or writing fails.
pub fn run(inputs: &Inputs, options: Options, out: &mut dyn Write) -> anyhow::Result<()> {
    let rounds = if options.quick { 3 } else { 31 };
    let mut columns: Vec<(String, Vec<Duration>)> = Vec::new();
    for input in inputs.all() {
        let ignored = check(input)?;
        let name = input.name();
        let times = interleaved(&mut cases_for(input), rounds);
        columns.push((format!("{name} ({ignored} ignored)"), times));
    }
    writeln!(
        out,
        "### Parse, time relative to `from_slice::<Value>` (median of {rounds} interleaved rounds)\n"
    )?;
    let header: Vec<&str> = columns.iter().map(|(name, _)| name.as_str()).collect();
    writeln!(out, "| path | {} |", header.join(" | "))?;
    writeln!(out, "|---|{}", "---:|".repeat(columns.len()))?;
    for (row, name) in ROWS.iter().enumerate() {
        let cells: Vec<String> = columns
            .iter()
            .map(|(_, times)| ratio(times[row], times[VALUE_ROW]))
            .collect();
        writeln!(out, "| {name} | {} |", cells.join(" | "))?;
    }
    let cells: Vec<String> = columns
        .iter()
        .map(|(_, times)| ratio(times[PARSE_JSON_ROW], times[TYPED_ROW]))
        .collect();
    writeln!(
        out,
        "| **parse_json / plain typed** | {} |",
        cells.join(" | ")
    )?;
    writeln!(out, "\nMilliseconds per parse:\n")?;
    writeln!(out, "| path | {} |", header.join(" | "))?;
    writeln!(out, "|---|{}", "---:|".repeat(columns.len()))?;
    for (row, name) in ROWS.iter().enumerate() {
        let cells: Vec<String> = columns.iter().map(|(_, times)| ms(times[row])).collect();
        writeln!(out, "| {name} | {} |", cells.join(" | "))?;
    }
    writeln!(out)?;
    Ok(())
}

/// Short names of the [`ROWS`], in order, for [`profile`].
pub const ROW_KEYS: &[&str] = &[
    "ignored-any",
    "value",
    "typed",
    "parse_json",
    "serde_ignored",
    "path_to_error",
    "both",
];

/// Repeats one row of the parse table on one input for `duration`, doing nothing else, so
/// that a profiler sees only that path: `perf record -g target/release/credkit-bench
/// --profile-parse calls-report:parse_json`. `target` is `<input>:<row>`, the input named as
/// in the table's header (`credit-report-v1`, `credit-report-v2`, `calls-report`), the row as
/// in [`ROW_KEYS`]. Prints the repetitions and the mean time of one.
///
/// # Errors
///
/// When `target` names no input or row, or writing fails.
pub fn profile(
    inputs: &Inputs,
    target: &str,
    duration: Duration,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let (input_name, row_key) = target
        .split_once(':')
        .ok_or_else(|| anyhow::anyhow!("expected <input>:<row>, got {target:?}"))?;
    let input = inputs
        .all()
        .into_iter()
        .find(|input| input.name() == input_name)
        .ok_or_else(|| anyhow::anyhow!("no input {input_name:?}"))?;
    let row = ROW_KEYS
        .iter()
        .position(|key| *key == row_key)
        .ok_or_else(|| anyhow::anyhow!("no row {row_key:?}; rows: {}", ROW_KEYS.join(", ")))?;
    let mut cases = cases_for(input);
    let run = &mut cases[row].run;
    let started = std::time::Instant::now();
    let mut repetitions = 0u32;
    while repetitions == 0 || started.elapsed() < duration {
        run();
        repetitions += 1;
    }
    writeln!(
        out,
        "{target}: {repetitions} repetitions, {} ms each",
        ms(started.elapsed() / repetitions)
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_has_a_key_and_a_profile_target_runs() {
        assert_eq!(ROW_KEYS.len(), ROWS.len());
        let inputs = Inputs::load(crate::inputs::QUICK_BYTES).expect("fixtures");
        let mut out = Vec::new();
        profile(&inputs, "calls-report:parse_json", Duration::ZERO, &mut out).expect("runs");
        let text = String::from_utf8(out).expect("text");
        assert!(
            text.starts_with("calls-report:parse_json: 1 repetitions"),
            "{text}"
        );
        for bad in ["calls-report", "nothing:typed", "calls-report:nothing"] {
            assert!(profile(&inputs, bad, Duration::ZERO, &mut Vec::new()).is_err());
        }
    }
}
