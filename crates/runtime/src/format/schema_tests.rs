//! The annotated schemas under `schemas/` against the format fixtures under `tests/fixtures/`:
//! every spelling converts, every planted misfit is found (with its column-shift hints), and
//! `redact` keeps every key path. Reads the workspace files at test time only.

use std::path::PathBuf;

use serde_json::{json, Value};

use super::{audit, normalize, Format};

fn workspace_file(relative: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn v1_schema() -> Value {
    workspace_file("schemas/deepfinch/credit-report-v1.json")
}

#[test]
fn v1_spellings_all_convert() {
    let payload =
        workspace_file("tests/fixtures/deepfinch/credit-report-v1/formats-spellings.json");
    let (normalized, errors) = normalize(&payload, &v1_schema());
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(normalized["askAt"], json!("2016-08-26T14:32:22"));
    assert_eq!(normalized["createAt"], json!("2016-08-26T14:33"));
    assert_eq!(normalized["profile"]["birthday"], json!("1990-03-07"));
    assert_eq!(
        normalized["profile"]["experiences"][0]["startedAt"],
        json!("2008")
    );
    assert_eq!(
        normalized["profile"]["experiences"][0]["updateAt"],
        json!("2016-03-01")
    );
    assert_eq!(normalized["profile"]["mobile"], json!("13800000000"));
    let credit = &normalized["creditInfo"];
    assert_eq!(credit["otherLoansNum"], json!(null));
    assert_eq!(credit["quasiCardsNum"], json!(null));
    assert_eq!(credit["firstLoanGotAt"], json!("2016-05"));
    assert_eq!(credit["creditCardsNum"], json!(36));
    assert_eq!(credit["selfDeclaredNum"], json!(1024));
    let loan = &normalized["loans"][0];
    assert_eq!(loan["amount"], json!(99000));
    assert_eq!(loan["balance"], json!(1234.5));
    assert_eq!(loan["periods"], json!(36));
    assert_eq!(loan["startAt"], json!("2016-04-18"));
    assert_eq!(loan["finAt"], json!("2016-07-31"));
    assert_eq!(loan["scheduledPayAt"], json!("2016-07-18"));
    assert_eq!(loan["startRt"], json!("2014-08"));
    assert_eq!(loan["endRt"], json!("2016-07"));
    assert_eq!(loan["last24Status"].as_array().map(Vec::len), Some(24));
    assert_eq!(loan["last24Status"][6], json!("*"));
    assert_eq!(
        loan["overdueRecordSummary"]["records "][0]["amount"],
        json!(6368)
    );
    assert_eq!(normalized["creditCards"][0]["balance"], json!(-27));
    assert_eq!(normalized["creditCards"][0]["lastPayedAt"], json!(null));
    assert_eq!(
        normalized["houseFundPayedRecord"][0]["personalPercent"],
        json!(12)
    );
    assert_eq!(
        normalized["houseFundPayedRecord"][0]["componyPercent"],
        json!(7.5)
    );
    assert_eq!(normalized["telRecord"][0]["acctDate"], json!("2016-07"));
    assert_eq!(normalized["whoWasChecked"], payload["whoWasChecked"]);
}

#[test]
fn v1_misfits_are_all_found_with_their_shifts() {
    let payload = workspace_file("tests/fixtures/deepfinch/credit-report-v1/formats-misfits.json");
    let findings = audit(&payload, &v1_schema());
    let found: Vec<(String, Format, Vec<Format>)> = findings
        .iter()
        .map(|finding| {
            let mut fits: Vec<Format> = finding.fits.iter().map(|(_, format)| *format).collect();
            fits.sort_unstable();
            fits.dedup();
            (finding.error.path.to_string(), finding.error.format, fits)
        })
        .collect();
    let expected: Vec<(&str, Format, Vec<Format>)> = vec![
        ("askAt", Format::DateTime, vec![]),
        ("createAt", Format::DateTime, vec![]),
        ("creditCards[0].last24Status", Format::MonthStatus24, vec![]),
        ("creditInfo.creditCardsNum", Format::Count, vec![]),
        (
            "creditInfo.firstLoanGotAt",
            Format::Date,
            vec![Format::Count],
        ),
        (
            "creditInfo.houseLoansNum",
            Format::Count,
            vec![Format::Date],
        ),
        (
            "houseFundPayedRecord[0].payAt",
            Format::Date,
            vec![Format::Amount, Format::Percent],
        ),
        (
            "houseFundPayedRecord[0].personalPercent",
            Format::Percent,
            vec![],
        ),
        ("loans[0].amount", Format::Amount, vec![]),
        ("loans[0].balance", Format::Amount, vec![]),
        ("loans[0].endAt", Format::Date, vec![]),
        ("loans[0].finAt", Format::Date, vec![Format::Amount]),
        ("loans[0].last24Status", Format::MonthStatus24, vec![]),
        (
            "loans[0].overdueRecordSummary[\"records \"][0].amount",
            Format::Amount,
            vec![],
        ),
        (
            "loans[0].overdueRecordSummary[\"records \"][0].overdueMonth",
            Format::Date,
            vec![],
        ),
        (
            "loans[0].overdueRecordSummary[\"records \"][0].overdueMonthsNum",
            Format::Count,
            vec![Format::Amount],
        ),
        ("loans[0].periods", Format::Count, vec![Format::Date]),
        (
            "loans[0].startAt",
            Format::Date,
            vec![Format::Amount, Format::Count],
        ),
    ];
    let expected: Vec<(String, Format, Vec<Format>)> = expected
        .into_iter()
        .map(|(path, format, fits)| (path.to_owned(), format, fits))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn v1_redaction_keeps_every_key_path_and_changes_the_personal_values() {
    let payload = workspace_file("tests/fixtures/deepfinch/credit-report-v1/realistic-full.json");
    let redacted = crate::pii::redact(&payload, &v1_schema(), 0);
    fn shape(value: &Value, path: String, out: &mut Vec<String>) {
        match value {
            Value::Object(members) => members
                .iter()
                .for_each(|(key, item)| shape(item, format!("{path}/{key}"), out)),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .for_each(|(index, item)| shape(item, format!("{path}/{index}"), out)),
            other => out.push(format!(
                "{path}:{}",
                std::mem::discriminant(other) == std::mem::discriminant(&Value::Null)
            )),
        }
    }
    let (mut before, mut after) = (Vec::new(), Vec::new());
    shape(&payload, String::new(), &mut before);
    shape(&redacted, String::new(), &mut after);
    assert_eq!(before, after);
    for pointer in [
        "/whoWasChecked",
        "/idNum",
        "/profile/mobile",
        "/profile/postAddr",
        "/loans/0/businessNo",
    ] {
        assert_ne!(
            redacted.pointer(pointer),
            payload.pointer(pointer),
            "{pointer}"
        );
        assert!(
            redacted.pointer(pointer).is_some_and(Value::is_string),
            "{pointer}"
        );
    }
    assert_eq!(
        redacted["loans"][0]["amount"],
        payload["loans"][0]["amount"]
    );
    let id = redacted["idNum"].as_str().unwrap_or_default();
    assert_eq!(crate::pii::id_check_digit(&id[..17]), id.chars().last());
}
