//! Every `x-credkit-aliases` spelling is read into the same field as the canonical key.
//!
//! For each fixture, each member whose key has aliases in its model's schemas is renamed to
//! each alias in turn; the renamed document must parse to exactly what the original parses to
//! (compared by serialising both, which writes the canonical spelling). Every alias declared in
//! a schema must be exercised by at least one fixture.

use std::collections::{BTreeMap, BTreeSet};

use credkit_codegen::schema_set::walk_schemas;
use credkit_codegen::SchemaSet;
use credkit_runtime::{parse_json, Model, ModelVisitor};
use credkit_tests::{fixtures, workspace_root};
use serde_json::Value;

struct ParseToValue<'a>(&'a [u8]);

impl ModelVisitor for ParseToValue<'_> {
    type Output = Result<Value, String>;

    fn visit<M: Model>(self) -> Self::Output {
        let parsed = parse_json::<M>(self.0).map_err(|e| e.to_string())?;
        serde_json::to_value(&parsed.value).map_err(|e| e.to_string())
    }
}

type AliasMap = BTreeMap<String, BTreeSet<String>>;

/// model id → canonical key → aliases, from the model's schema and every file it refers to.
fn aliases_by_model() -> BTreeMap<String, AliasMap> {
    let set = SchemaSet::load(&workspace_root().join("schemas")).expect("schemas load");
    let mut out = BTreeMap::new();
    for model in set.models() {
        let mut pending = vec![model.rel_path.clone()];
        let mut seen = BTreeSet::new();
        let mut map = AliasMap::new();
        while let Some(rel_path) = pending.pop() {
            if !seen.insert(rel_path.clone()) {
                continue;
            }
            let Some(file) = set.get(&rel_path) else {
                continue;
            };
            walk_schemas(&file.value, "", &mut |_, schema| {
                if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
                    let path = reference.split('#').next().unwrap_or_default();
                    if !path.is_empty() {
                        if let Some(target) =
                            credkit_codegen::bundle::join_relative(&rel_path, path)
                        {
                            pending.push(target);
                        }
                    }
                }
                for (key, property) in schema
                    .get("properties")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    for alias in
                        credkit_codegen::schema_set::strings(property.get("x-credkit-aliases"))
                    {
                        map.entry(key.clone()).or_default().insert(alias.to_owned());
                    }
                }
                Ok(())
            })
            .expect("walks");
        }
        out.insert(model.id.clone(), map);
    }
    out
}

/// Every (pointer to an object, key) in `value` whose key is in `keys`.
fn members_with_keys(
    value: &Value,
    pointer: String,
    keys: &AliasMap,
    out: &mut Vec<(String, String)>,
) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if keys.contains_key(key) {
                    out.push((pointer.clone(), key.clone()));
                }
                let escaped = key.replace('~', "~0").replace('/', "~1");
                members_with_keys(child, format!("{pointer}/{escaped}"), keys, out);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                members_with_keys(item, format!("{pointer}/{index}"), keys, out);
            }
        }
        _ => {}
    }
}

fn rename_member(document: &Value, pointer: &str, from: &str, to: &str) -> Value {
    let mut renamed = document.clone();
    if let Some(Value::Object(map)) = renamed.pointer_mut(pointer) {
        if let Some(value) = map.remove(from) {
            map.insert(to.to_owned(), value);
        }
    }
    renamed
}

#[test]
fn every_alias_reads_into_the_canonical_field() {
    let aliases = aliases_by_model();
    assert!(!aliases.is_empty(), "no schema declares an alias");
    let mut exercised: BTreeSet<(String, String)> = BTreeSet::new();
    let mut failures = Vec::new();
    for fixture in fixtures() {
        let Some(keys) = aliases.get(&fixture.model_id) else {
            continue;
        };
        let input = fixture.read();
        let document: Value = serde_json::from_slice(&input).expect("fixture is JSON");
        let Some(Ok(expected)) =
            credkit_models::visit_model(&fixture.model_id, ParseToValue(&input))
        else {
            continue; // reported by the fixtures test
        };
        let mut members = Vec::new();
        members_with_keys(&document, String::new(), keys, &mut members);
        for (pointer, key) in members {
            for alias in &keys[&key] {
                let renamed = rename_member(&document, &pointer, &key, alias);
                let bytes = serde_json::to_vec(&renamed).expect("serialises");
                let parsed = credkit_models::visit_model(&fixture.model_id, ParseToValue(&bytes))
                    .expect("model exists");
                match parsed {
                    Ok(value) if value == expected => {
                        exercised.insert((key.clone(), alias.clone()));
                    }
                    Ok(_) => failures.push(format!(
                        "{}: `{alias}` at {pointer} is not read as `{key}`",
                        fixture.path.display()
                    )),
                    Err(e) => failures.push(format!(
                        "{}: `{alias}` at {pointer}: {e}",
                        fixture.path.display()
                    )),
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let declared: BTreeSet<(String, String)> = aliases
        .values()
        .flat_map(|keys| {
            keys.iter()
                .flat_map(|(key, names)| names.iter().map(move |a| (key.clone(), a.clone())))
        })
        .collect();
    let unexercised: Vec<_> = declared.difference(&exercised).collect();
    assert!(
        unexercised.is_empty(),
        "aliases no fixture exercises: {unexercised:?}"
    );
}

/// The misspellings issue #2 names, on the v1 report, spelled out.
#[test]
fn v1_report_reads_the_known_misspellings() {
    let canonical = r#"{"idType": "身份证", "idNum": "110", "loans": [{"overdueRecordSummary": {"records ": [{"amount": "1"}]}}],
        "competenceRecordInfos": [{"revokedate": "2020.01.01"}]}"#;
    let misspelled = r#"{"IDType": "身份证", "IDNum": "110", "loans": [{"overdueRecordSummary": {"records": [{"amount": "1"}]}}],
        "competenceRecordInfos": [{"revokedat": "2020.01.01"}]}"#;
    let read = |bytes: &[u8]| {
        credkit_models::visit_model("deepfinch/credit-report-v1", ParseToValue(bytes))
            .expect("model exists")
            .expect("parses")
    };
    let expected = read(canonical.as_bytes());
    assert_eq!(read(misspelled.as_bytes()), expected);
    assert_eq!(
        expected["loans"][0]["overdueRecordSummary"]["records "][0]["amount"],
        "1"
    );
    assert_eq!(
        expected["IDType"],
        Value::Null,
        "written back in the canonical spelling"
    );
}
