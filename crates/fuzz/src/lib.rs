//! The fuzz driver of credkit (`cargo xtask fuzz`).
//!
//! Every fixture under `tests/fixtures/<model id>/` is mutated ([`mutate`]: type swaps of every
//! leaf, deletions, huge and odd numbers, very long strings, deep nesting, invalid UTF-8, lone
//! surrogate escapes, truncation, garbage, renamed and duplicated keys) and fed to its model
//! (one input in ten to another model). For every input, [`target::Probe`] runs the model's
//! `parse_json` and `explain_failure`, formats the error, round-trips what parsed, and runs the
//! schema walkers `normalize`, `audit` and `redact`. An input fails ([`report::FailureKind`])
//! on a panic, on taking longer than the budget (a hang), or on text or output beyond its
//! bound.
//!
//! Input `index` of a run with `seed` is always the same bytes, so a failure is reproduced by
//! `--seed S --start INDEX --iterations 1`.

#![warn(missing_docs)]

pub mod corpus;
pub mod mutate;
pub mod report;
pub mod run;
pub mod target;

pub use corpus::{default_fixture_dir, Corpus};
pub use mutate::{generate, Input, MutationKind};
pub use report::{Failure, FailureKind, Report};
pub use run::{run, Config};
