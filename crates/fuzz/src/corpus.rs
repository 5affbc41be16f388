//! The seed corpus: every fixture under `tests/fixtures/<model id>/*.json`, parsed once, and
//! every model's curated schema, parsed once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use credkit_runtime::{Model, ModelVisitor};
use serde_json::Value;

/// One fixture, ready to be mutated.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// The model id its folder names (`deepfinch/credit-report-v1`).
    pub model_id: &'static str,
    /// The file name (`realistic-full.json`).
    pub name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// The file as a JSON value, the base of the structural mutations.
    pub value: Value,
    /// How many leaves (values that are neither arrays nor objects) `value` has.
    pub leaves: usize,
}

/// Every fixture and every model's curated schema.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// Every fixture, ordered by model id, then file name.
    pub fixtures: Vec<Fixture>,
    /// Every model id, ordered.
    pub model_ids: Vec<&'static str>,
    /// Each model's curated schema (`Model::SCHEMA`), parsed, by model id.
    pub schemas: BTreeMap<&'static str, Value>,
}

/// The fixture folder of this workspace (`tests/fixtures`).
pub fn default_fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .components()
        .collect()
}

struct SchemaOf;

impl ModelVisitor for SchemaOf {
    type Output = Result<Value, serde_json::Error>;

    fn visit<M: Model>(self) -> Self::Output {
        serde_json::from_str(M::SCHEMA)
    }
}

impl Corpus {
    /// Reads the fixtures of every model from `dir/<model id>/*.json`. Fails when a fixture is
    /// not JSON, when a model has no fixture, or when no fixture exists at all.
    pub fn load(dir: &Path) -> anyhow::Result<Corpus> {
        let model_ids = credkit_models::model_ids();
        let mut fixtures = Vec::new();
        let mut schemas = BTreeMap::new();
        for &model_id in &model_ids {
            let schema = credkit_models::visit_model(model_id, SchemaOf)
                .with_context(|| format!("no model {model_id}"))?
                .with_context(|| format!("the curated schema of {model_id} is not JSON"))?;
            schemas.insert(model_id, schema);

            let folder = dir.join(model_id);
            let mut paths: Vec<PathBuf> = std::fs::read_dir(&folder)
                .with_context(|| format!("reading {}", folder.display()))?
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == "json"))
                .collect();
            paths.sort();
            anyhow::ensure!(
                !paths.is_empty(),
                "model {model_id} has no fixture in {}",
                folder.display()
            );
            for path in paths {
                let bytes =
                    std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
                let value: Value = serde_json::from_slice(&bytes)
                    .with_context(|| format!("{} is not JSON", path.display()))?;
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                fixtures.push(Fixture {
                    model_id,
                    name,
                    leaves: count_leaves(&value),
                    bytes,
                    value,
                });
            }
        }
        Ok(Corpus {
            fixtures,
            model_ids,
            schemas,
        })
    }

    /// How many leaves all fixtures have together.
    pub fn total_leaves(&self) -> usize {
        self.fixtures.iter().map(|f| f.leaves).sum()
    }
}

/// How many values of `value` are neither arrays nor objects.
pub fn count_leaves(value: &Value) -> usize {
    match value {
        Value::Array(items) => items.iter().map(count_leaves).sum(),
        Value::Object(members) => members.values().map(count_leaves).sum(),
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_model_has_fixtures_and_a_schema() {
        let corpus = Corpus::load(&default_fixture_dir()).expect("the corpus loads");
        assert!(!corpus.model_ids.is_empty());
        for id in &corpus.model_ids {
            assert!(corpus.fixtures.iter().any(|f| f.model_id == *id), "{id}");
            assert!(corpus.schemas[id].is_object(), "{id}");
        }
        assert_eq!(
            count_leaves(&serde_json::json!({"a": [1, {"b": null}], "c": {}})),
            2
        );
    }
}
