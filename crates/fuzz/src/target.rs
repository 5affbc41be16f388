//! What is run on every input: the model's parser and explainer, the error's text, a round trip
//! of what parsed, and the schema walkers (`normalize`, `audit`, `redact`), with the checks that
//! their output stays bounded.

use std::fmt;
use std::io::{self, Write};

use credkit_runtime::{parse_json, Model, ModelVisitor, ParseErrorKind};
use serde::Serialize;
use serde_json::Value;

/// The longest text (an error's `Display`, an ignored path's `Display`, a format misfit's
/// `Display`) that an input may produce, in bytes.
pub const MAX_TEXT_BYTES: usize = 4096;

/// The schema walkers' output may be at most this many times the input's size…
pub const MAX_GROWTH: usize = 8;
/// …plus this many bytes.
pub const GROWTH_SLACK: usize = 64 * 1024;

/// How the model's parser took an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It parsed.
    Parsed,
    /// A typed error of this kind.
    Refused(ParseErrorKind),
}

/// What running one input observed. `problems` empty means the input passed.
#[derive(Debug, Clone)]
pub struct Observation {
    /// How the parser took it.
    pub outcome: Outcome,
    /// Whether the input was JSON to serde_json, so that the schema walkers ran on it.
    pub walked: bool,
    /// The longest text produced (error, explanation, ignored path, format misfit), in bytes.
    pub longest_text: usize,
    /// The largest output of a schema walker, in bytes.
    pub largest_output: usize,
    /// What was wrong: unbounded text or output, a failed round trip.
    pub problems: Vec<String>,
}

/// Runs every check on `input` with the model the visitor is called with.
pub struct Probe<'a> {
    /// The input.
    pub input: &'a [u8],
    /// The model's curated schema, parsed.
    pub schema: &'a Value,
    /// The seed given to `redact`.
    pub seed: u64,
}

impl Observation {
    fn text(&mut self, what: &str, text: impl fmt::Display) {
        let length = text.to_string().len();
        self.longest_text = self.longest_text.max(length);
        if length > MAX_TEXT_BYTES {
            self.problems.push(format!(
                "{what} is {length} bytes long (at most {MAX_TEXT_BYTES})"
            ));
        }
    }

    fn output(&mut self, what: &str, input_bytes: usize, output: &impl Serialize) {
        let length = serialized_len(output);
        self.largest_output = self.largest_output.max(length);
        let bound = input_bytes.saturating_mul(MAX_GROWTH) + GROWTH_SLACK;
        if length > bound {
            self.problems.push(format!(
                "{what} output is {length} bytes for an input of {input_bytes} (at most {bound})"
            ));
        }
    }
}

impl ModelVisitor for Probe<'_> {
    type Output = Observation;

    fn visit<M: Model>(self) -> Observation {
        let mut seen = Observation {
            outcome: Outcome::Parsed,
            walked: false,
            longest_text: 0,
            largest_output: 0,
            problems: Vec::new(),
        };
        match parse_json::<M>(self.input) {
            Ok(parsed) => {
                for path in &parsed.ignored {
                    seen.text("an ignored path", path);
                }
                round_trip::<M>(&parsed.value, &mut seen);
            }
            Err(error) => {
                seen.outcome = Outcome::Refused(error.kind);
                seen.text("the parse error", &error);
            }
        }
        if let Some((shape, error)) = M::explain_failure(self.input) {
            seen.text("the explanation", format_args!("{shape}: {error}"));
        }
        if let Ok(value) = serde_json::from_slice::<Value>(self.input) {
            seen.walked = true;
            let size = self.input.len();
            let (normalized, errors) = credkit_runtime::format::normalize(&value, self.schema);
            seen.output("normalize", size, &normalized);
            if let Some(longest) = errors.iter().max_by_key(|e| e.to_string().len()) {
                seen.text("a normalize misfit", longest);
            }
            if errors.len() > size {
                seen.problems.push(format!(
                    "normalize reports {} misfits for {size} bytes",
                    errors.len()
                ));
            }
            let findings = credkit_runtime::format::audit(&value, self.schema);
            if let Some(longest) = findings.iter().max_by_key(|f| f.error.to_string().len()) {
                seen.text("an audit finding", &longest.error);
            }
            if findings.len() > size {
                seen.problems.push(format!(
                    "audit reports {} findings for {size} bytes",
                    findings.len()
                ));
            }
            let redacted = credkit_runtime::pii::redact(&value, self.schema, self.seed);
            seen.output("redact", size, &redacted);
        }
        seen
    }
}

/// Serialises `value`, parses the result again with `M`, and checks that nothing changed and
/// nothing is reported as ignored.
fn round_trip<M: Model>(value: &M, seen: &mut Observation) {
    let bytes = match serde_json::to_vec(value) {
        Ok(bytes) => bytes,
        Err(error) => {
            seen.problems
                .push(format!("the parsed value does not serialise: {error}"));
            return;
        }
    };
    match parse_json::<M>(&bytes) {
        Ok(again) => {
            if !again.ignored.is_empty() {
                seen.problems.push(format!(
                    "the re-parse ignores {} field(s) its own output has, the first at {}",
                    again.ignored.len(),
                    again.ignored[0]
                ));
            }
            let first = serde_json::to_value(value).ok();
            let second = serde_json::to_value(&again.value).ok();
            if first != second {
                seen.problems
                    .push("serialise → parse gives another value".to_owned());
            }
        }
        Err(error) => seen.problems.push(format!(
            "the parsed value's own serialisation does not parse: {error}"
        )),
    }
}

/// The length of `value` serialised as compact JSON, without keeping the text.
fn serialized_len(value: &impl Serialize) -> usize {
    struct Counter(usize);
    impl Write for Counter {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    match serde_json::to_writer(&mut counter, value) {
        Ok(()) => counter.0,
        Err(_) => usize::MAX,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_oversized_text_is_a_problem() {
        let mut seen = Observation {
            outcome: Outcome::Parsed,
            walked: false,
            longest_text: 0,
            largest_output: 0,
            problems: Vec::new(),
        };
        seen.text("short", "x");
        assert!(seen.problems.is_empty());
        seen.text("long", "x".repeat(MAX_TEXT_BYTES + 1));
        assert_eq!(seen.problems.len(), 1, "{:?}", seen.problems);
        seen.output("walker", 10, &"y".repeat(GROWTH_SLACK + 100));
        assert_eq!(seen.problems.len(), 2, "{:?}", seen.problems);
        assert_eq!(serialized_len(&serde_json::json!({"a": [1, 2]})), 11);
    }
}
