//! The bench inputs: realistic fixtures grown to a size by repeating their array elements.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde_json::Value;

/// The size the inputs of a full run are grown to (1 MB).
pub const FULL_BYTES: usize = 1_000_000;
/// The size of a quick run's inputs.
pub const QUICK_BYTES: usize = 32_000;

/// One input: which model it is for and its bytes.
#[derive(Debug, Clone)]
pub struct Input {
    /// The model id (`dianhua/calls-report`).
    pub model: &'static str,
    /// The fixture it was grown from, relative to `tests/fixtures`.
    pub fixture: &'static str,
    /// Compact JSON.
    pub bytes: Vec<u8>,
}

impl Input {
    /// The last part of the model id (`calls-report`): the input's name in the tables and in
    /// `--profile-parse`.
    pub fn name(&self) -> &'static str {
        self.model.rsplit('/').next().unwrap_or(self.model)
    }
}

/// The three inputs, one per model.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// `deepfinch/credit-report-v1`.
    pub v1: Input,
    /// `deepfinch/credit-report-v2`.
    pub v2: Input,
    /// `dianhua/calls-report`.
    pub calls: Input,
}

impl Inputs {
    /// Reads the fixtures and grows each to at least `target` bytes.
    ///
    /// # Errors
    ///
    /// When a fixture cannot be read or is not JSON.
    pub fn load(target: usize) -> anyhow::Result<Self> {
        let input = |model, fixture| -> anyhow::Result<Input> {
            let path = fixtures_dir().join(fixture);
            let raw =
                std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            Ok(Input {
                model,
                fixture,
                bytes: grow(&raw, target).with_context(|| format!("growing {fixture}"))?,
            })
        };
        Ok(Inputs {
            v1: input(
                "deepfinch/credit-report-v1",
                "deepfinch/credit-report-v1/realistic-full.json",
            )?,
            v2: input(
                "deepfinch/credit-report-v2",
                "deepfinch/credit-report-v2/realistic-full.json",
            )?,
            calls: input(
                "dianhua/calls-report",
                "dianhua/calls-report/realistic-report.json",
            )?,
        })
    }

    /// The three inputs in table order.
    pub fn all(&self) -> [&Input; 3] {
        [&self.v1, &self.v2, &self.calls]
    }

    /// One Markdown line naming the inputs and their sizes.
    pub fn describe(&self) -> String {
        let sizes: Vec<String> = self
            .all()
            .iter()
            .map(|input| format!("`{}` {} bytes", input.fixture, input.bytes.len()))
            .collect();
        format!(
            "Inputs (fixtures under tests/fixtures, array elements repeated): {}.\n",
            sizes.join(", ")
        )
    }
}

/// `tests/fixtures` of this workspace.
pub fn fixtures_dir() -> PathBuf {
    workspace_root().join("tests").join("fixtures")
}

/// The workspace root (two levels above this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// `fixture` as compact JSON, with the elements of every outermost non-empty array repeated
/// as often as it takes to reach `target` bytes (the document unchanged when it has no array).
///
/// # Errors
///
/// When `fixture` is not JSON.
pub fn grow(fixture: &[u8], target: usize) -> serde_json::Result<Vec<u8>> {
    let value: Value = serde_json::from_slice(fixture)?;
    let once = serde_json::to_vec(&value)?;
    let twice = serde_json::to_vec(&repeat(&value, 2))?;
    let step = twice.len().saturating_sub(once.len());
    if once.len() >= target || step == 0 {
        return Ok(once);
    }
    let times = 1 + (target - once.len()).div_ceil(step);
    serde_json::to_vec(&repeat(&value, times))
}

/// `value` with the elements of each outermost non-empty array repeated `times` times.
fn repeat(value: &Value, times: usize) -> Value {
    match value {
        Value::Array(items) if !items.is_empty() => Value::Array(
            std::iter::repeat_n(items, times)
                .flatten()
                .cloned()
                .collect(),
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, value)| (key.clone(), repeat(value, times)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_arrays_to_the_target() {
        let grown = grow(br#"{"a":[{"x":1}],"b":{"c":[2,3]},"d":[]}"#, 100).expect("json");
        assert!(grown.len() >= 100, "{}", grown.len());
        let value: Value = serde_json::from_slice(&grown).expect("json");
        let a = value["a"].as_array().expect("array").len();
        assert_eq!(value["b"]["c"].as_array().expect("array").len(), 2 * a);
        assert_eq!(value["d"], serde_json::json!([]));
        assert_eq!(grow(br#"{"a":1}"#, 100).expect("json"), br#"{"a":1}"#);
    }
}
