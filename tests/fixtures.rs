//! Every fixture under `tests/fixtures/<model id>/` parses with its model, round-trips
//! losslessly and validates against the JSON Schema the generated types emit.

use credkit_runtime::{Model, ModelVisitor};
use credkit_tests::{fixtures, CheckFixture};

#[test]
fn every_fixture_parses_round_trips_and_validates() {
    let fixtures = fixtures();
    assert!(
        !fixtures.is_empty(),
        "no fixtures found under tests/fixtures"
    );
    let mut failures = Vec::new();
    for fixture in &fixtures {
        let input = fixture.read();
        match credkit_models::visit_model(
            &fixture.model_id,
            CheckFixture {
                input: &input,
                drift: fixture.is_drift(),
            },
        ) {
            None => failures.push(format!(
                "{}: no model `{}`",
                fixture.path.display(),
                fixture.model_id
            )),
            Some(Err(problem)) => failures.push(format!("{}: {problem}", fixture.path.display())),
            Some(Ok(_)) => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures fail:\n{}",
        failures.len(),
        fixtures.len(),
        failures.join("\n\n")
    );
}

/// The document examples are transcribed verbatim: a key the model ignores there is a field
/// some schema forgot to declare.
#[test]
fn every_key_of_the_document_examples_is_declared() {
    let mut undeclared = Vec::new();
    for fixture in fixtures().iter().filter(|f| f.is_document_example()) {
        let input = fixture.read();
        if let Some(Ok(report)) = credkit_models::visit_model(
            &fixture.model_id,
            CheckFixture {
                input: &input,
                drift: fixture.is_drift(),
            },
        ) {
            for path in report.ignored {
                undeclared.push(format!("{}: {path}", fixture.path.display()));
            }
        }
    }
    assert!(
        undeclared.is_empty(),
        "keys no schema declares:\n{}",
        undeclared.join("\n")
    );
}

/// Every model has fixtures: at least one realistic payload.
#[test]
fn every_model_has_a_realistic_fixture() {
    let fixtures = fixtures();
    let missing: Vec<&str> = credkit_models::model_ids()
        .into_iter()
        .filter(|id| {
            !fixtures
                .iter()
                .any(|f| f.model_id == *id && f.name().starts_with("realistic-"))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "models without a realistic-*.json fixture: {missing:?}"
    );
}

/// The realistic fixtures that carry a field no document knows report it as ignored, so the
/// check above is not vacuous.
#[test]
fn unknown_fields_are_reported_not_rejected() {
    let fixture = fixtures()
        .into_iter()
        .find(|f| f.model_id == "deepfinch/credit-report-v1" && f.name() == "realistic-full.json")
        .expect("realistic v1 fixture");
    let input = fixture.read();
    let report = credkit_models::visit_model(
        &fixture.model_id,
        CheckFixture {
            input: &input,
            drift: fixture.is_drift(),
        },
    )
    .expect("model exists")
    .expect("fixture passes");
    let ignored: Vec<String> = report.ignored.iter().map(ToString::to_string).collect();
    assert_eq!(ignored, vec!["loans[0].extraVendorField"]);
}

/// The check itself can fail: a model that reads `58` as `f64` writes `58.0`, and a model that
/// drops a declared field loses it; both are reported.
#[test]
fn the_round_trip_check_catches_a_lossy_model() {
    #[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
    #[allow(dead_code)] // `note` is read only to be dropped
    struct Lossy {
        amount: Option<f64>,
        #[serde(skip_serializing)]
        note: Option<String>,
    }
    impl Model for Lossy {
        const SCHEMA: &'static str = "{}";
        const ID: &'static str = "test/lossy";
    }
    let problem = CheckFixture {
        drift: false,
        input: br#"{"amount": 58, "note": "x"}"#,
    }
    .visit::<Lossy>()
    .expect_err("lossy");
    assert!(
        problem.contains("$.\"amount\": 58 became 58.0"),
        "{problem}"
    );
    assert!(problem.contains("$.\"note\": lost"), "{problem}");
}

/// The personal data of a payload: the string and number leaves that redaction replaces
/// (`x-credkit-pii` in the curated schema), at least four characters long and not also a
/// value of a field without personal data (`北京` may be an address and part of a bank's name).
fn personal_values(payload: &serde_json::Value, schema: &serde_json::Value) -> Vec<String> {
    fn leaves(value: &serde_json::Value, path: String, out: &mut Vec<(String, String)>) {
        match value {
            serde_json::Value::Object(members) => {
                for (key, child) in members {
                    leaves(child, format!("{path}/{key}"), out);
                }
            }
            serde_json::Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    leaves(child, format!("{path}/{index}"), out);
                }
            }
            serde_json::Value::String(text) => out.push((path, text.clone())),
            serde_json::Value::Number(n) => out.push((path, n.to_string())),
            _ => {}
        }
    }
    let redacted = credkit_runtime::pii::redact(payload, schema, 0);
    let (mut before, mut after) = (Vec::new(), Vec::new());
    leaves(payload, String::new(), &mut before);
    leaves(&redacted, String::new(), &mut after);
    let changed: Vec<String> = before
        .iter()
        .zip(&after)
        .filter(|(b, a)| b != a)
        .map(|(b, _)| b.1.clone())
        .collect();
    let unchanged: std::collections::BTreeSet<&String> = before
        .iter()
        .zip(&after)
        .filter(|(b, a)| b == a)
        .map(|(b, _)| &b.1)
        .collect();
    changed
        .into_iter()
        .filter(|v| v.chars().count() >= 4 && !unchanged.iter().any(|u| u.contains(v.as_str())))
        .collect()
}

struct DebugText<'a> {
    input: &'a [u8],
}

impl ModelVisitor for DebugText<'_> {
    type Output = Option<(String, &'static str)>;

    fn visit<M: Model>(self) -> Self::Output {
        let parsed = credkit_runtime::parse_json::<M>(self.input).ok()?;
        Some((format!("{:?} {:#?}", parsed.value, parsed.value), M::SCHEMA))
    }
}

/// A `{:?}` of a parsed report in a log line leaks nothing: every field the schema marks as
/// personal data prints masked.
#[test]
fn no_personal_data_of_any_fixture_appears_in_debug_output() {
    let mut leaks = Vec::new();
    let mut checked = 0;
    for fixture in fixtures() {
        let input = fixture.read();
        let Some(Some((debug, schema))) =
            credkit_models::visit_model(&fixture.model_id, DebugText { input: &input })
        else {
            continue;
        };
        let payload: serde_json::Value = serde_json::from_slice(&input).expect("JSON");
        let schema: serde_json::Value = serde_json::from_str(schema).expect("schema");
        for value in personal_values(&payload, &schema) {
            checked += 1;
            if debug.contains(&value) {
                leaks.push(format!("{}: `{value}`", fixture.path.display()));
            }
        }
    }
    assert!(
        checked > 50,
        "only {checked} personal values found in the fixtures"
    );
    assert!(
        leaks.is_empty(),
        "personal data in Debug output:\n{}",
        leaks.join("\n")
    );
}
