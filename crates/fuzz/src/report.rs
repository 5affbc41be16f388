//! What a run found: the figures, and each failure with what reproduces it.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use crate::corpus::Corpus;
use crate::mutate::{Input, MutationKind};
use crate::run::{Config, Tally};

/// Bytes of an input shown in a failure, from its start (and as many from its end).
const EXCERPT_HEAD: usize = 160;
const EXCERPT_TAIL: usize = 64;

/// Why an input failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailureKind {
    /// Something panicked; the message and location.
    Panic(String),
    /// The input took longer than the budget; `finished` is false when it was still running
    /// when the run stopped.
    Hang {
        /// How long it ran, in milliseconds.
        millis: u64,
        /// Whether it finished at all.
        finished: bool,
    },
    /// Text or output beyond its bound, or a round trip that changed the value.
    Unbounded(Vec<String>),
}

/// One failing input, with what reproduces it.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The run's seed.
    pub seed: u64,
    /// The input's index.
    pub index: u64,
    /// The model it was fed to.
    pub model_id: String,
    /// The fixture it was made from.
    pub fixture: String,
    /// The mutations applied.
    pub kinds: Vec<MutationKind>,
    /// The input's length in bytes.
    pub length: usize,
    /// The start (and end) of the input, escaped.
    pub excerpt: String,
    /// What went wrong.
    pub kind: FailureKind,
}

impl Failure {
    /// The failure of `input` (of the run with `seed`).
    pub fn new(corpus: &Corpus, seed: u64, input: &Input, kind: FailureKind) -> Failure {
        Failure {
            seed,
            index: input.index,
            model_id: input.model_id.to_owned(),
            fixture: corpus
                .fixtures
                .get(input.fixture)
                .map(|f| format!("{}/{}", f.model_id, f.name))
                .unwrap_or_default(),
            kinds: input.kinds.clone(),
            length: input.bytes.len(),
            excerpt: excerpt(&input.bytes),
            kind,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kinds: Vec<&str> = self.kinds.iter().map(|k| k.as_str()).collect();
        writeln!(
            f,
            "input {} (seed {}): model {}, from {}, mutations [{}], {} bytes",
            self.index,
            self.seed,
            self.model_id,
            self.fixture,
            kinds.join(", "),
            self.length
        )?;
        match &self.kind {
            FailureKind::Panic(message) => writeln!(f, "  panic: {message}")?,
            FailureKind::Hang { millis, finished } => writeln!(
                f,
                "  hang: {millis} ms{}",
                if *finished { "" } else { ", still running" }
            )?,
            FailureKind::Unbounded(problems) => {
                for problem in problems {
                    writeln!(f, "  {problem}")?;
                }
            }
        }
        writeln!(f, "  input: {}", self.excerpt)?;
        write!(
            f,
            "  reproduce: cargo xtask fuzz --seed {} --start {} --iterations 1 --dump input.json",
            self.seed, self.index
        )
    }
}

/// `bytes` escaped, cut to its start and end when long.
pub fn excerpt(bytes: &[u8]) -> String {
    if bytes.len() <= EXCERPT_HEAD + EXCERPT_TAIL {
        return format!("b\"{}\"", bytes.escape_ascii());
    }
    format!(
        "b\"{}\" … b\"{}\"",
        bytes[..EXCERPT_HEAD].escape_ascii(),
        bytes[bytes.len() - EXCERPT_TAIL..].escape_ascii()
    )
}

/// The figures of a run and its failures.
#[derive(Debug, Clone)]
pub struct Report {
    /// The seed.
    pub seed: u64,
    /// The first index.
    pub start: u64,
    /// Worker threads.
    pub threads: usize,
    /// Inputs run.
    pub inputs: u64,
    /// How many times each mutation was applied.
    pub kinds: BTreeMap<MutationKind, u64>,
    /// Inputs per model.
    pub models: BTreeMap<&'static str, u64>,
    /// Inputs fed to a model other than their fixture's.
    pub foreign_model: u64,
    /// Systematic leaf type swaps run, and how many distinct of how many.
    pub systematic: (u64, usize, usize),
    /// Inputs that parsed.
    pub parsed: u64,
    /// Inputs refused, by error kind.
    pub refused: BTreeMap<&'static str, u64>,
    /// Inputs that were JSON, so that the schema walkers ran.
    pub walked: u64,
    /// The longest text any input produced, in bytes.
    pub longest_text: usize,
    /// The largest schema-walker output, in bytes.
    pub largest_output: usize,
    /// The largest input, in bytes.
    pub largest_input: usize,
    /// All inputs' bytes together.
    pub input_bytes: u64,
    /// The slowest input's time, and its index.
    pub slowest: (Duration, u64),
    /// How long the run took.
    pub elapsed: Duration,
    /// How many inputs failed.
    pub failures: u64,
    /// The first failures (by index), with their details.
    pub kept: Vec<Failure>,
    /// Whether the run stopped before the last input (an input never finished).
    pub stopped_early: bool,
    systematic_seen: Vec<bool>,
}

impl Report {
    pub(crate) fn new(config: &Config, corpus: &Corpus) -> Report {
        Report {
            seed: config.seed,
            start: config.start,
            threads: config.threads,
            inputs: 0,
            kinds: BTreeMap::new(),
            models: corpus.model_ids.iter().map(|id| (*id, 0)).collect(),
            foreign_model: 0,
            systematic: (0, 0, crate::mutate::systematic_swaps(corpus) as usize),
            parsed: 0,
            refused: BTreeMap::new(),
            walked: 0,
            longest_text: 0,
            largest_output: 0,
            largest_input: 0,
            input_bytes: 0,
            slowest: (Duration::ZERO, 0),
            elapsed: Duration::ZERO,
            failures: 0,
            kept: Vec::new(),
            stopped_early: false,
            systematic_seen: Vec::new(),
        }
    }

    /// Whether nothing failed.
    pub fn passed(&self) -> bool {
        self.failures == 0
    }

    /// Inputs per second.
    pub fn rate(&self) -> f64 {
        self.inputs as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    pub(crate) fn add_failure(&mut self, failure: Failure, keep: usize) {
        self.kept.push(failure);
        self.kept.sort_by_key(|f| f.index);
        self.kept.truncate(keep);
    }

    pub(crate) fn merge(&mut self, tally: Tally) {
        self.inputs += tally.inputs;
        for (kind, count) in tally.kinds {
            *self.kinds.entry(kind).or_default() += count;
        }
        for (model, count) in tally.models {
            *self.models.entry(model).or_default() += count;
        }
        self.foreign_model += tally.foreign_model;
        self.parsed += tally.parsed;
        for (kind, count) in tally.refused {
            *self.refused.entry(kind).or_default() += count;
        }
        self.walked += tally.walked;
        self.longest_text = self.longest_text.max(tally.longest_text);
        self.largest_output = self.largest_output.max(tally.largest_output);
        self.largest_input = self.largest_input.max(tally.largest_input);
        self.input_bytes += tally.input_bytes;
        self.slowest = self.slowest.max(tally.slowest);
        self.failures += tally.failures;
        if self.systematic_seen.len() < tally.systematic_seen.len() {
            self.systematic_seen
                .resize(tally.systematic_seen.len(), false);
        }
        for (seen, theirs) in self.systematic_seen.iter_mut().zip(&tally.systematic_seen) {
            *seen |= *theirs;
        }
        self.systematic.0 += tally.systematic;
        self.systematic.1 = self.systematic_seen.iter().filter(|s| **s).count();
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let row = |f: &mut fmt::Formatter<'_>, name: &str, value: String| {
            writeln!(f, "  {name:<34} {value:>14}")
        };
        writeln!(
            f,
            "fuzz run: seed {}, inputs {}..{}, {} thread(s)",
            self.seed,
            self.start,
            self.start + self.inputs,
            self.threads
        )?;
        row(f, "inputs", self.inputs.to_string())?;
        row(f, "elapsed", format!("{:.1} s", self.elapsed.as_secs_f64()))?;
        row(f, "inputs/s", format!("{:.0}", self.rate()))?;
        row(f, "input bytes (total)", self.input_bytes.to_string())?;
        row(f, "largest input (bytes)", self.largest_input.to_string())?;
        row(
            f,
            "slowest input (ms, index)",
            format!("{} (#{})", self.slowest.0.as_millis(), self.slowest.1),
        )?;
        writeln!(f, "outcomes")?;
        row(f, "parsed", self.parsed.to_string())?;
        for (kind, count) in &self.refused {
            row(f, &format!("typed error: {kind}"), count.to_string())?;
        }
        row(f, "JSON, schema walkers run", self.walked.to_string())?;
        row(
            f,
            "longest error/path text (bytes)",
            self.longest_text.to_string(),
        )?;
        row(
            f,
            "largest walker output (bytes)",
            self.largest_output.to_string(),
        )?;
        writeln!(f, "mutations applied")?;
        for (kind, count) in &self.kinds {
            row(f, kind.as_str(), count.to_string())?;
        }
        row(
            f,
            "systematic leaf swaps (distinct)",
            format!("{} of {}", self.systematic.1, self.systematic.2),
        )?;
        row(f, "fed to another model", self.foreign_model.to_string())?;
        writeln!(f, "inputs per model")?;
        for (model, count) in &self.models {
            row(f, model, count.to_string())?;
        }
        row(f, "FAILURES", self.failures.to_string())?;
        for failure in &self.kept {
            writeln!(f, "{failure}")?;
        }
        if self.stopped_early {
            writeln!(f, "the run stopped early: an input never finished")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_escaped_and_cut() {
        assert_eq!(excerpt(b"{\"a\":\xff}"), "b\"{\\\"a\\\":\\xff}\"");
        let long = vec![b'x'; 10_000];
        let shown = excerpt(&long);
        assert!(shown.len() < 300, "{shown}");
        assert!(shown.contains(" … "));
    }
}
