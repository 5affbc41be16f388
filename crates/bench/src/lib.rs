//! credkit's benchmarks, as a library so that a test can run them briefly (`--quick`) and keep
//! them from rotting, and as the binary `credkit-bench` (run by `cargo xtask bench`).
//!
//! Every table prints ratios measured in the same run: the cases of a table are run
//! interleaved (one repetition of each, then the next round), and each figure is the median
//! of its repetitions, so that load from other processes hits every case alike. Nothing here
//! asserts on a time: the figures are for reading.

#![warn(missing_docs)]

pub mod client;
pub mod gen;
pub mod inputs;
pub mod memory;
pub mod parse;
pub mod timing;

use std::io::Write;

/// What to run, and how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Run the parse table.
    pub parse: bool,
    /// Run the client table.
    pub client: bool,
    /// Small inputs and few repetitions: checks that every bench runs, measures nothing.
    pub quick: bool,
    /// Time `cargo xtask gen` (spawns cargo).
    pub gen: bool,
    /// Run the memory benches (spawns cargo, builds in release; skipped when `quick`).
    pub memory: bool,
}

impl Options {
    /// The full run of `cargo xtask bench`.
    pub fn full() -> Self {
        Options {
            parse: true,
            client: true,
            quick: false,
            gen: true,
            memory: true,
        }
    }

    /// The brief run of `cargo xtask bench --quick`.
    pub fn quick() -> Self {
        Options {
            parse: true,
            client: true,
            quick: true,
            gen: true,
            memory: false,
        }
    }
}

/// Loads the full-size inputs and runs [`parse::profile`] on `target` for `duration`.
///
/// # Errors
///
/// When a fixture is missing, or as [`parse::profile`].
pub fn profile_parse(
    target: &str,
    duration: std::time::Duration,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let inputs = inputs::Inputs::load(inputs::FULL_BYTES)?;
    parse::profile(&inputs, target, duration, out)
}

/// Runs the benches `options` selects, printing each table to `out` as Markdown.
///
/// # Errors
///
/// When a bench cannot run: a fixture is missing, the loopback server cannot start, a client
/// call fails, a spawned cargo fails.
pub fn run(options: Options, out: &mut dyn Write) -> anyhow::Result<()> {
    let inputs = inputs::Inputs::load(if options.quick {
        inputs::QUICK_BYTES
    } else {
        inputs::FULL_BYTES
    })?;
    writeln!(out, "{}", inputs.describe())?;
    if options.parse {
        parse::run(&inputs, options, out)?;
    }
    if options.client {
        client::run(&inputs, options, out)?;
    }
    if options.gen {
        gen::run(options, out)?;
    }
    if options.memory && !options.quick {
        memory::run(out)?;
    }
    Ok(())
}
