//! The format fixtures of every annotated model other than v1 (whose fixtures the runtime's
//! own `schema_tests` check), through the public API and the generated models: every
//! spelling reads through the typed accessors and normalizes to the expected JSON, every
//! planted misfit is found (exactly those, each with its format and reason), the planted OCR
//! column shifts are flagged by `audit`, and redaction keeps every key path while changing
//! every personal value.
//!
//! Fixtures: `tests/fixtures/<model id>/formats-spellings*.json` and `formats-misfits*.json`.

use credkit_models::deepfinch::credit_report_v2::{
    CreditReportV2, QueryRecordSummaryObjectionAndDescription,
};
use credkit_models::deepfinch::jd::credit_report::JdCreditReportResponse;
use credkit_models::dianhua::calls_record::CallsRecordResponse;
use credkit_models::dianhua::calls_report::CallsReportResponse;
use credkit_models::dianhua::cuishou::CuishouResponse;
use credkit_runtime::format::{
    audit, is_absent, normalize, DatePrecision, Format, MisfitReason, MonthStatus,
};
use credkit_runtime::{parse_json, Model};
use credkit_tests::workspace_root;
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// Helpers

fn read(rel: &str) -> Vec<u8> {
    let path = workspace_root().join("tests/fixtures").join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn payload(rel: &str) -> Value {
    serde_json::from_slice(&read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The model's curated schema, as shipped with the generated type.
fn schema<M: Model>() -> Value {
    serde_json::from_str(M::SCHEMA).expect("the curated schema is JSON")
}

/// The fixture parsed with its model.
fn model<M: Model>(rel: &str) -> M {
    parse_json::<M>(&read(rel))
        .unwrap_or_else(|e| panic!("{rel} does not parse: {e}"))
        .value
}

/// Normalizes a spellings fixture: no misfit, and each `(pointer, value)` as expected.
fn assert_spellings<M: Model>(rel: &str, expected: &[(&str, Value)]) -> Value {
    let (normalized, errors) = normalize(&payload(rel), &schema::<M>());
    assert!(errors.is_empty(), "{rel}: {errors:#?}");
    for (pointer, value) in expected {
        assert_eq!(
            normalized.pointer(pointer),
            Some(value),
            "{rel}: normalized {pointer}"
        );
    }
    normalized
}

/// Normalizes a misfits fixture: exactly the planted misfits (path, format, reason), each
/// echoing a bounded text.
fn assert_misfits<M: Model>(rel: &str, planted: &[(&str, Format, MisfitReason)]) {
    let input = payload(rel);
    let (_, errors) = normalize(&input, &schema::<M>());
    let mut found: Vec<(String, Format, MisfitReason)> = errors
        .iter()
        .map(|e| (e.path.to_string(), e.format, e.reason))
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    let mut expected: Vec<(String, Format, MisfitReason)> = planted
        .iter()
        .map(|(path, format, reason)| ((*path).to_owned(), *format, *reason))
        .collect();
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(found, expected, "{rel}");
    for error in &errors {
        assert!(error.text.chars().count() <= 65, "{rel}: {error}");
    }
}

/// `audit` lists the same misfits as `normalize`, and flags each planted shift with the
/// formats of the sibling columns the text fits.
fn assert_shifts<M: Model>(rel: &str, shifts: &[(&str, Vec<Format>)]) {
    let input = payload(rel);
    let schema = schema::<M>();
    let findings = audit(&input, &schema);
    let (_, errors) = normalize(&input, &schema);
    let mut audited: Vec<String> = findings.iter().map(|f| f.error.path.to_string()).collect();
    let mut normalized: Vec<String> = errors.iter().map(|e| e.path.to_string()).collect();
    audited.sort();
    normalized.sort();
    assert_eq!(audited, normalized, "{rel}: audit and normalize disagree");
    for (path, formats) in shifts {
        let finding = findings
            .iter()
            .find(|f| f.error.path.to_string() == *path)
            .unwrap_or_else(|| panic!("{rel}: no finding at {path}"));
        let mut fits: Vec<Format> = finding.fits.iter().map(|(_, format)| *format).collect();
        fits.sort_unstable();
        fits.dedup();
        assert_eq!(&fits, formats, "{rel}: shift hint at {path}");
    }
}

/// Every key path of a value, with whether the leaf is `null`.
fn shape(value: &Value, path: String, out: &mut Vec<String>) {
    match value {
        Value::Object(members) => members
            .iter()
            .for_each(|(key, item)| shape(item, format!("{path}/{key}"), out)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(index, item)| shape(item, format!("{path}/{index}"), out)),
        other => out.push(format!("{path}:{}", other.is_null())),
    }
}

/// The schema behind a local `$ref` chain, the annotations beside a `$ref` winning.
fn resolve<'s>(root: &'s Value, schema: &'s Value) -> Vec<&'s Value> {
    let mut chain = vec![schema];
    let mut current = schema;
    while let Some(pointer) = current
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
    {
        match root.pointer(pointer) {
            Some(target) if chain.len() < 32 => {
                chain.push(target);
                current = target;
            }
            _ => break,
        }
    }
    chain
}

fn keyword<'s>(chain: &[&'s Value], name: &str) -> Option<&'s Value> {
    chain.iter().find_map(|schema| schema.get(name))
}

fn kind_fits(chain: &[&Value], value: &Value) -> bool {
    let fits = |name: &str| match name {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => value.is_i64() || value.is_u64(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        _ => false,
    };
    match keyword(chain, "type") {
        Some(Value::String(name)) => fits(name),
        Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).any(fits),
        _ => true,
    }
}

/// JSON pointers of the personal values of `value` (under an `x-credkit-pii` property; every
/// text and number inside an object or list so marked), absent placeholders excepted.
fn personal_pointers(
    root: &Value,
    schema: &Value,
    value: &Value,
    at: String,
    out: &mut Vec<String>,
) {
    let chain = resolve(root, schema);
    if keyword(&chain, "x-credkit-pii").is_some() {
        leaves(value, at, out);
        return;
    }
    for union in ["anyOf", "oneOf"] {
        if let Some(branches) = keyword(&chain, union).and_then(Value::as_array) {
            if let Some(branch) = branches
                .iter()
                .find(|branch| kind_fits(&resolve(root, branch), value))
            {
                return personal_pointers(root, branch, value, at, out);
            }
        }
    }
    match value {
        Value::Object(members) => {
            let properties = keyword(&chain, "properties");
            for (key, member) in members {
                if let Some(property) = properties.and_then(|p| p.get(key)) {
                    personal_pointers(root, property, member, format!("{at}/{key}"), out);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = keyword(&chain, "items") {
                for (index, item) in items.iter().enumerate() {
                    personal_pointers(root, item_schema, item, format!("{at}/{index}"), out);
                }
            }
        }
        _ => {}
    }
}

fn leaves(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::String(text) if !is_absent(text) => out.push(at),
        Value::Number(_) => out.push(at),
        Value::Object(members) => members
            .iter()
            .for_each(|(key, member)| leaves(member, format!("{at}/{key}"), out)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(index, item)| leaves(item, format!("{at}/{index}"), out)),
        _ => {}
    }
}

/// Redaction keeps every key path (and every `null`), changes every personal value present
/// (keeping its JSON type), and the result still parses with the model.
fn assert_redaction<M: Model>(rel: &str, at_least: usize) {
    let input = payload(rel);
    let schema = schema::<M>();
    let redacted = credkit_runtime::pii::redact(&input, &schema, 0);
    let (mut before, mut after) = (Vec::new(), Vec::new());
    shape(&input, String::new(), &mut before);
    shape(&redacted, String::new(), &mut after);
    assert_eq!(before, after, "{rel}: redaction changed the key paths");
    let mut personal = Vec::new();
    personal_pointers(&schema, &schema, &input, String::new(), &mut personal);
    assert!(
        personal.len() >= at_least,
        "{rel}: only {} personal values: {personal:?}",
        personal.len()
    );
    for pointer in &personal {
        let (was, now) = (input.pointer(pointer), redacted.pointer(pointer));
        assert_ne!(was, now, "{rel}: {pointer} kept its personal value");
        assert_eq!(
            was.map(std::mem::discriminant),
            now.map(std::mem::discriminant),
            "{rel}: {pointer} changed its JSON type"
        );
    }
    parse_json::<M>(redacted.to_string().as_bytes())
        .unwrap_or_else(|e| panic!("{rel}: the redacted payload does not parse: {e}"));
}

/// A value the consumer turned into another JSON type than text (a boolean where a count is
/// declared): the model keeps it, `normalize` reports it as the wrong type.
fn assert_wrong_type<M: Model>(rel: &str, pointer: &str, path: &str, format: Format) {
    let mut input = payload(rel);
    *input.pointer_mut(pointer).expect("the pointer exists") = json!(true);
    parse_json::<M>(input.to_string().as_bytes())
        .unwrap_or_else(|e| panic!("{rel}: a boolean stops parsing: {e}"));
    let (_, errors) = normalize(&input, &schema::<M>());
    let error = errors
        .iter()
        .find(|e| e.path.to_string() == path)
        .unwrap_or_else(|| panic!("{rel}: no misfit at {path}: {errors:#?}"));
    assert_eq!(
        (error.format, error.reason),
        (format, MisfitReason::WrongType)
    );
}

fn amount(
    value: Result<Option<credkit_runtime::format::Amount>, impl std::fmt::Debug>,
) -> Option<String> {
    value.expect("fits").map(|a| a.0.normalize().to_string())
}

// ---------------------------------------------------------------------------------------------
// deepfinch/credit-report-v2, 001 (private deployment) shape

const V2_PRIVATE_SPELLINGS: &str = "deepfinch/credit-report-v2/formats-spellings-private.json";
const V2_PRIVATE_MISFITS: &str = "deepfinch/credit-report-v2/formats-misfits-private.json";
const V2_TENCENT_SPELLINGS: &str = "deepfinch/credit-report-v2/formats-spellings-tencent.json";
const V2_TENCENT_MISFITS: &str = "deepfinch/credit-report-v2/formats-misfits-tencent.json";

#[test]
fn v2_private_spellings_read_through_the_accessors() {
    let report = model::<CreditReportV2>(V2_PRIVATE_SPELLINGS);
    let header = report.credit_header.as_ref().expect("header");
    assert_eq!(
        header
            .report_time_value()
            .expect("fits")
            .map(|t| t.to_iso()),
        Some("2020-06-15T10:23:11".to_owned())
    );
    let hint = report
        .info_summary
        .as_ref()
        .and_then(|s| s.credit_trans_info_hint.as_ref())
        .expect("hint");
    // Full-width digits.
    assert_eq!(
        hint.total_account_num_value().expect("fits").map(|c| c.0),
        Some(8)
    );
    let detail = report.credit_trans_info_detail.as_ref().expect("detail");
    let loan = &detail.acyclic_credit_account.as_ref().expect("loans")[0];
    let normal = loan
        .account_state
        .as_ref()
        .and_then(|s| s.normal.as_ref())
        .expect("normal");
    assert_eq!(amount(normal.curr_overdue_amount_value()), Some("0".into()));
    assert_eq!(normal.overdue61_tp90_value().expect("absent fits"), None);
    let years = loan
        .refund_record
        .as_ref()
        .and_then(|r| r.detail.as_ref())
        .expect("refund record");
    assert_eq!(
        years[0].month.as_ref().expect("months")[1]
            .state_value()
            .expect("fits"),
        Some(MonthStatus::PaidLateInMonth)
    );
    let year = years[1].year_value().expect("fits").expect("present");
    assert_eq!(
        (year.to_iso().as_str(), year.precision),
        ("2019", DatePrecision::Year)
    );
    let card = &detail.credit_account.as_ref().expect("cards")[0];
    let card_state = card
        .account_state
        .as_ref()
        .and_then(|s| s.normal.as_ref())
        .expect("normal");
    assert_eq!(
        amount(card_state.surplus_amount_value()),
        Some("-1350".into())
    );
    assert_eq!(amount(card_state.real_payed_value()), Some("1234.5".into()));
    let big = card
        .big_amount_special_period_info
        .as_ref()
        .expect("special period");
    let effective = big
        .period_amount_effective_date_value()
        .expect("fits")
        .expect("present");
    assert_eq!(
        (effective.year(), effective.month(), effective.day()),
        (2019, Some(6), None)
    );
    let fund = &report
        .public_info_detail
        .as_ref()
        .and_then(|p| p.housing_provident_fund_contribution_record.as_ref())
        .expect("fund")[0];
    assert_eq!(
        fund.company_contribution_proportion_value()
            .expect("fits")
            .map(|p| p.0.to_string()),
        Some("7.5".to_owned())
    );
    assert_eq!(
        fund.self_contribution_proportion_value()
            .expect("fits")
            .map(|p| p.0.to_string()),
        Some("12".to_owned())
    );
}

#[test]
fn v2_private_spellings_normalize() {
    let a = "/creditTransInfoDetail/acyclicCreditAccount/0";
    let c = "/creditTransInfoDetail/creditAccount/0";
    assert_spellings::<CreditReportV2>(
        V2_PRIVATE_SPELLINGS,
        &[
            ("/creditHeader/reportTime", json!("2020-06-15T10:23:11")),
            ("/creditHeader/antiHackInfo/effectDate", json!("2019-03-01")),
            ("/creditHeader/antiHackInfo/dueDate", json!("2021-03-01")),
            ("/personBasicInfo/personInfo/mobile/0/updateAt", json!("2019-11-20")),
            ("/personBasicInfo/personInfo/mobile/1/updateAt", json!("2016-08-26")),
            ("/personBasicInfo/livedInfos/0/updateAt", json!("2019-11")),
            ("/personBasicInfo/livedInfos/1/updateAt", json!("2015-07")),
            ("/personBasicInfo/experiences/0/startedAt", json!("2016")),
            ("/personBasicInfo/experiences/0/updateAt", json!("2019-06-30")),
            ("/infoSummary/creditTransInfoHint/totalAccountNum", json!(8)),
            ("/infoSummary/creditTransInfoHint/detail/loan/1/firstGotAt", json!("2015-07")),
            ("/infoSummary/creditTransInfoHint/detail/creditCard/1/firstGotAt", json!("2013-05")),
            ("/infoSummary/creditTransInfoHint/detail/others/0/firstGotAt", json!("2018-01")),
            ("/infoSummary/creditTransBreachInfoSummary/badDebtsSummary/accountNum", json!(null)),
            ("/infoSummary/creditTransBreachInfoSummary/badDebtsSummary/surplusAmount", json!(null)),
            ("/infoSummary/creditTransBreachInfoSummary/recourseInfoSummary/detail/0/surplusAmount", json!(12000)),
            ("/infoSummary/creditTransExtensionAndDebtSummary/acyclicLoanAccountInfoSummary/extensionAmount", json!(1_200_000)),
            ("/infoSummary/creditTransExtensionAndDebtSummary/acyclicLoanAccountInfoSummary/avg6monthPay", json!(6320)),
            ("/infoSummary/creditTransExtensionAndDebtSummary/creditAccountInfoSummary/maxAmountPerCompany", json!(50000)),
            ("/infoSummary/publicInfoSummary/0/referenceAmount", json!(3280.5)),
            ("/infoSummary/queryRecordSummary/last2YearQueryNum/managerAfterLoan", json!(14)),
            ("/infoSummary/queryRecordSummary/last2YearQueryNum/bespokeMerchantsRealNameInvestigate", json!(null)),
            ("/infoSummary/queryRecordSummary/objectionAndDescription/0/addDate", json!("2019-05-12")),
            (&format!("{a}/startDate"), json!("2016-08-26")),
            (&format!("{a}/refundPeriodNum"), json!(360)),
            (&format!("{a}/accountState/normal/overdue61Tp90"), json!(null)),
            (&format!("{a}/accountState/normal/currOverdueAmount"), json!(0)),
            (&format!("{a}/beforeDeadlineDate/refundDate"), json!("2020-06-26")),
            (&format!("{a}/refundRecord/endDate"), json!("2020-05")),
            (&format!("{a}/refundRecord/detail/0/month/1/state"), json!("M")),
            (&format!("{a}/refundRecord/detail/0/month/2/state"), json!("*")),
            (&format!("{a}/refundRecord/detail/0/month/3/state"), json!("#")),
            (&format!("{a}/refundRecord/detail/1/year"), json!("2019")),
            (&format!("{a}/refundRecord/detail/1/month/0/amount"), json!(6320)),
            (&format!("{a}/refundRecord/detail/1/month/0/state"), json!("N")),
            (&format!("{a}/refundRecord/detail/1/month/1/amount"), json!(null)),
            (&format!("{a}/refundRecord/detail/1/month/2/state"), json!("N")),
            (&format!("{a}/specialTransTypes/0/occurDate"), json!("2018-03-20")),
            (&format!("{c}/accountState/normal/surplusAmount"), json!(-1350)),
            (&format!("{c}/accountState/normal/scheduledPayment"), json!(1234.5)),
            (&format!("{c}/accountState/normal/realPayed"), json!(1234.5)),
            (&format!("{c}/accountState/normal/billDate"), json!("2020-05-18")),
            (&format!("{c}/bigAmountSpecialPeriodInfo/periodAmountEffectiveDate"), json!("2019-06")),
            (&format!("{c}/beforeDueDate/refundDate"), json!("2020-06-18")),
            (&format!("{c}/refundRecord/detail/0/month/0/state"), json!("C")),
            (&format!("{c}/refundRecord/detail/0/month/1/state"), json!("G")),
            (&format!("{c}/refundRecord/detail/0/month/2/state"), json!("D")),
            (&format!("{c}/refundRecord/detail/0/month/3/state"), json!("Z")),
            (&format!("{c}/refundRecord/detail/0/month/4/state"), json!("B")),
            (&format!("{c}/refundRecord/detail/1/year"), json!("2019")),
            (&format!("{c}/refundRecord/detail/1/month/0/state"), json!("7")),
            ("/creditTransInfoDetail/quasiCreditAccount/0/refundRecord/detail/0/month/1/state", json!("/")),
            ("/noncreditTransInfoDetail/0/startDate", json!("2014-06-01")),
            ("/noncreditTransInfoDetail/0/accountDate", json!("2020-05")),
            ("/publicInfoDetail/housingProvidentFundContributionRecord/0/selfContributionProportion", json!(12)),
            ("/publicInfoDetail/housingProvidentFundContributionRecord/0/companyContributionProportion", json!(7.5)),
            ("/publicInfoDetail/executiveQualificationRecord/0/deadlineDate", json!(null)),
            ("/publicInfoDetail/lowSecurityRescueRecord/0/familyIncomePerMonth", json!(1200)),
            ("/queryRecord/personQueryRecord/0/date", json!("2020-05-02")),
            // Not format-declared: kept as received.
            ("/creditHeader/whoWasChecked", json!("张伟")),
            (&format!("{a}/refundRecord/detail/0/month/0/monthValue"), json!("5")),
        ],
    );
}

#[test]
fn v2_private_misfits_are_all_found() {
    use Format::*;
    use MisfitReason::*;
    let a = "creditTransInfoDetail.acyclicCreditAccount[0]";
    let c = "creditTransInfoDetail.creditAccount[0].accountState.normal";
    assert_misfits::<CreditReportV2>(
        V2_PRIVATE_MISFITS,
        &[
            ("creditHeader.reportTime", DateTime, OutOfRange),
            ("personBasicInfo.personInfo.mobile[0].updateAt", Date, OutOfRange),
            ("infoSummary.creditTransInfoHint.detail.loan[0].accountNum", Count, Malformed),
            ("infoSummary.creditTransExtensionAndDebtSummary.acyclicLoanAccountInfoSummary.surplusAmount", Amount, Malformed),
            (&format!("{a}.specialTransTypes[0].occurDate"), Date, Malformed),
            (&format!("{a}.specialTransTypes[0].changeMonthNum"), Count, Malformed),
            (&format!("{a}.refundRecord.detail[0].month[1].state"), MonthStatus, WrongLength),
            (&format!("{a}.refundRecord.detail[0].month[3].state"), MonthStatus, UnknownStatus),
            (&format!("{a}.refundRecord.detail[1].year"), Date, Malformed),
            (&format!("{c}.maxUsedAmount"), Amount, Inexact),
            (&format!("{c}.currOverduePeriods"), Count, Inexact),
            (&format!("{c}.scheduledPayment"), Amount, Inexact),
            ("publicInfoDetail.civilJudgmentRecord[0].litigationAmount", Amount, TooLong),
            ("publicInfoDetail.housingProvidentFundContributionRecord[0].selfContributionProportion", Percent, Malformed),
        ],
    );
    let a = "creditTransInfoDetail.acyclicCreditAccount[0].specialTransTypes[0]";
    assert_shifts::<CreditReportV2>(
        V2_PRIVATE_MISFITS,
        &[
            // The date slid into the count column beside it, and the count into the date.
            (&format!("{a}.changeMonthNum"), vec![Date]),
            (&format!("{a}.occurDate"), vec![Amount, Count]),
            ("creditHeader.reportTime", vec![]),
        ],
    );
    assert_wrong_type::<CreditReportV2>(
        V2_PRIVATE_MISFITS,
        "/infoSummary/creditTransInfoHint/totalAccountNum",
        "infoSummary.creditTransInfoHint.totalAccountNum",
        Count,
    );
    // The accessor names the field, the format and the reason.
    let report = model::<CreditReportV2>(V2_PRIVATE_MISFITS);
    let header = report.credit_header.as_ref().expect("header");
    let error = header.report_time_value().expect_err("25 o'clock");
    assert_eq!((error.format, error.reason), (DateTime, OutOfRange));
    assert_eq!(error.path.to_string(), "reportTime");
}

#[test]
fn v2_tencent_spellings_read_and_normalize() {
    let report = model::<CreditReportV2>(V2_TENCENT_SPELLINGS);
    let header = report.credit_header.as_ref().expect("header");
    assert_eq!(
        header
            .report_time_value()
            .expect("fits")
            .map(|t| t.to_iso()),
        Some("2023-04-16T09:30".to_owned())
    );
    let detail = report.credit_trans_info_detail.as_ref().expect("detail");
    let loan = &detail.acyclic_credit_account.as_ref().expect("loans")[0];
    let overdue = loan
        .account_state
        .as_ref()
        .and_then(|s| s.overdue.as_ref())
        .expect("002 nests an overdue state");
    assert_eq!(
        overdue
            .surplus_payment_num_value()
            .expect("fits")
            .map(|c| c.0),
        Some(147)
    );
    let latest = overdue
        .before_deadline_date
        .as_ref()
        .expect("nested in overdue");
    assert_eq!(
        latest
            .refund_date_value()
            .expect("fits")
            .map(|d| d.to_iso()),
        Some("2023-04-10".to_owned())
    );
    let card = &detail.credit_account.as_ref().expect("cards")[0];
    let normal = card
        .account_state
        .as_ref()
        .and_then(|s| s.normal.as_ref())
        .expect("normal");
    let before = normal.before_due_date.as_ref().expect("nested in normal");
    assert_eq!(amount(before.surplus_amount_value()), Some("-28380".into()));
    let summary = report
        .info_summary
        .as_ref()
        .and_then(|s| s.query_record_summary.as_ref())
        .and_then(|s| s.objection_and_description.as_ref())
        .expect("objection");
    let QueryRecordSummaryObjectionAndDescription::ObjectionAndDescription(objection) = summary
    else {
        panic!("002 sends an object");
    };
    assert_eq!(
        objection
            .add_date_value()
            .expect("fits")
            .map(|d| d.to_iso()),
        Some("2023-02-14".to_owned())
    );

    let a = "/creditTransInfoDetail/acyclicCreditAccount/0";
    let c = "/creditTransInfoDetail/creditAccount/0/accountState/normal";
    assert_spellings::<CreditReportV2>(
        V2_TENCENT_SPELLINGS,
        &[
            ("/creditHeader/reportTime", json!("2023-04-16T09:30")),
            ("/infoSummary/queryRecordSummary/objectionAndDescription/addDate", json!("2023-02-14")),
            (&format!("{a}/dueDate"), json!("2023-03-31")),
            (&format!("{a}/accountState/overdue/scheduledPayAt"), json!("2023-03-08")),
            (&format!("{a}/accountState/overdue/surplusPaymentNum"), json!(147)),
            (&format!("{a}/accountState/overdue/beforeDeadlineDate/refundDate"), json!("2023-04-10")),
            (&format!("{a}/accountState/overdue/beforeDeadlineDate/refundAmount"), json!(11126)),
            (&format!("{a}/specialTransTypes/0/occurDate"), json!("2020-03")),
            ("/creditTransInfoDetail/cyclicalLoanAccount/0/accountState/overdue/currOverdue", json!(1610)),
            ("/creditTransInfoDetail/cyclicalLoanAccount/0/accountState/overdue/surplusPaymentNum", json!(null)),
            (&format!("{c}/bigAmountSpecialPeriodInfo/periodAmountEffectiveDate"), json!("2022-03-01")),
            (&format!("{c}/bigAmountSpecialPeriodInfo/periodAmountDueDate"), json!("2024-03")),
            (&format!("{c}/bigAmountSpecialPeriodInfo/usedPeriodAmount"), json!(30000)),
            (&format!("{c}/beforeDueDate/refundDate"), json!("2023-04-12")),
            (&format!("{c}/beforeDueDate/surplusAmount"), json!(-28380)),
            ("/creditTransInfoDetail/creditAccount/0/refundRecord/detail/0/month/1/state", json!("*")),
        ],
    );
}

#[test]
fn v2_tencent_misfits_are_all_found() {
    use Format::*;
    use MisfitReason::*;
    let o = "creditTransInfoDetail.acyclicCreditAccount[0].accountState.overdue";
    assert_misfits::<CreditReportV2>(
        V2_TENCENT_MISFITS,
        &[
            ("infoSummary.queryRecordSummary.objectionAndDescription.addDate", Date, OutOfRange),
            (&format!("{o}.currOverduePeriods"), Count, Malformed),
            (&format!("{o}.latestRepayDate"), Date, Malformed),
            (&format!("{o}.beforeDeadlineDate.refundDate"), Date, OutOfRange),
            ("creditTransInfoDetail.creditAccount[0].accountState.normal.bigAmountSpecialPeriodInfo.periodAmount", Amount, Malformed),
            ("creditTransInfoDetail.creditAccount[0].refundRecord.detail[0].month[0].state", MonthStatus, WrongLength),
        ],
    );
    assert_shifts::<CreditReportV2>(
        V2_TENCENT_MISFITS,
        &[
            (&format!("{o}.currOverduePeriods"), vec![Date]),
            (&format!("{o}.latestRepayDate"), vec![Amount, Count]),
        ],
    );
}

#[test]
fn v2_redaction_keeps_paths_and_changes_personal_values() {
    assert_redaction::<CreditReportV2>(V2_PRIVATE_SPELLINGS, 25);
    assert_redaction::<CreditReportV2>(V2_PRIVATE_MISFITS, 25);
    assert_redaction::<CreditReportV2>(V2_TENCENT_SPELLINGS, 8);
    assert_redaction::<CreditReportV2>(V2_TENCENT_MISFITS, 8);
}

// ---------------------------------------------------------------------------------------------
// deepfinch/jd/credit-report: the v1 report through the JD envelope

const JD_SPELLINGS: &str = "deepfinch/jd/credit-report/formats-spellings.json";
const JD_MISFITS: &str = "deepfinch/jd/credit-report/formats-misfits.json";

#[test]
fn jd_envelope_spellings_read_and_normalize() {
    let response = model::<JdCreditReportResponse>(JD_SPELLINGS);
    let report = response
        .result
        .as_ref()
        .and_then(|r| r.structured_result.as_ref())
        .expect("report");
    let loan = &report.loans.as_ref().expect("loans")[0];
    assert_eq!(amount(loan.amount_value()), Some("80000".into()));
    assert_eq!(loan.periods_value().expect("fits").map(|c| c.0), Some(36));
    let grid = loan.last24_status_value().expect("fits").expect("present");
    assert_eq!(grid.0[17], MonthStatus::Overdue(1));
    assert_eq!(grid.0[18], MonthStatus::Overdue(2));
    let r = "/result/structured_result";
    let mut codes = vec![json!("N"); 24];
    codes[17] = json!("1");
    codes[18] = json!("2");
    assert_spellings::<JdCreditReportResponse>(
        JD_SPELLINGS,
        &[
            (&format!("{r}/createAt"), json!("2017-03-15T14:06:51")),
            (&format!("{r}/loans/0/amount"), json!(80000)),
            (&format!("{r}/loans/0/startAt"), json!("2015-07-20")),
            (&format!("{r}/loans/0/endAt"), json!("2018-07-20")),
            (&format!("{r}/loans/0/finAt"), json!("2017-02")),
            (&format!("{r}/loans/0/balance"), json!(31102.5)),
            (&format!("{r}/loans/0/periods"), json!(36)),
            (&format!("{r}/loans/0/currOverdue"), json!(null)),
            (&format!("{r}/loans/0/last24Status"), Value::Array(codes)),
            // The envelope has no formats: kept as received.
            ("/code", json!("1000")),
            ("/remainTimes", json!(4821)),
        ],
    );
}

#[test]
fn jd_envelope_misfits_are_all_found() {
    use Format::*;
    use MisfitReason::*;
    let r = "result.structured_result";
    assert_misfits::<JdCreditReportResponse>(
        JD_MISFITS,
        &[
            (&format!("{r}.createAt"), DateTime, OutOfRange),
            (
                &format!("{r}.loans[0].last24Status"),
                MonthStatus24,
                WrongLength,
            ),
            (&format!("{r}.loans[0].periods"), Count, Malformed),
            (&format!("{r}.loans[0].startAt"), Date, Malformed),
        ],
    );
    assert_shifts::<JdCreditReportResponse>(
        JD_MISFITS,
        &[
            (&format!("{r}.loans[0].periods"), vec![Date]),
            (&format!("{r}.loans[0].startAt"), vec![Amount, Count]),
        ],
    );
    assert_redaction::<JdCreditReportResponse>(JD_SPELLINGS, 2);
    assert_redaction::<JdCreditReportResponse>(JD_MISFITS, 2);
}

// ---------------------------------------------------------------------------------------------
// dianhua/calls-record

const RECORD_SPELLINGS: &str = "dianhua/calls-record/formats-spellings.json";
const RECORD_MISFITS: &str = "dianhua/calls-record/formats-misfits.json";

#[test]
fn calls_record_spellings_read_and_normalize() {
    let response = model::<CallsRecordResponse>(RECORD_SPELLINGS);
    let data = response.data.as_ref().expect("data");
    let bills = data.bill.as_ref().expect("bills");
    let month = bills[0].bill_month_value().expect("fits").expect("present");
    assert_eq!(
        (month.to_iso().as_str(), month.precision),
        ("2017-04", DatePrecision::Month)
    );
    assert_eq!(amount(bills[0].bill_amount_value()), Some("1058.3".into()));
    assert_eq!(amount(bills[0].bill_ext_data_value()), Some("-6".into()));
    assert_eq!(bills[1].bill_zengzhifei_value().expect("fits"), None);
    let tel = data.tel_info.as_ref().expect("tel info");
    assert_eq!(
        tel.open_date_value().expect("fits").map(|d| d.to_iso()),
        Some("2012-06-18".to_owned())
    );
    assert_spellings::<CallsRecordResponse>(
        RECORD_SPELLINGS,
        &[
            ("/data/call_log/0/call_cost", json!(0)),
            ("/data/call_log/1/call_cost", json!(1.2)),
            ("/data/call_log/2/call_cost", json!(null)),
            ("/data/call_log/0/call_time", json!("2024-03-05 08:41:17")),
            ("/data/bill/0/bill_month", json!("2017-04")),
            ("/data/bill/0/bill_amount", json!(1058.3)),
            ("/data/bill/0/bill_ext_data", json!(-6)),
            ("/data/bill/0/bill_qita", json!(null)),
            ("/data/bill/1/bill_month", json!("2024-03")),
            ("/data/bill/1/bill_amount", json!(38)),
            ("/data/bill/1/bill_daishoufei", json!(null)),
            ("/data/bill/1/bill_zengzhifei", json!(null)),
            ("/data/bill/2/bill_month", json!("2024-01")),
            ("/data/bill/2/bill_ext_calls", json!(0.76)),
            ("/data/tel_info/open_date", json!("2012-06-18")),
        ],
    );
}

#[test]
fn calls_record_misfits_are_all_found() {
    use Format::*;
    use MisfitReason::*;
    assert_misfits::<CallsRecordResponse>(
        RECORD_MISFITS,
        &[
            ("data.call_log[1].call_cost", Amount, Malformed),
            ("data.bill[0].bill_month", Date, OutOfRange),
            ("data.bill[0].bill_ext_calls", Amount, Inexact),
            ("data.bill[2].bill_month", Date, Malformed),
            ("data.bill[2].bill_amount", Amount, Malformed),
        ],
    );
    assert_shifts::<CallsRecordResponse>(
        RECORD_MISFITS,
        &[
            ("data.bill[2].bill_amount", vec![Date]),
            ("data.bill[2].bill_month", vec![Amount]),
        ],
    );
    assert_wrong_type::<CallsRecordResponse>(
        RECORD_MISFITS,
        "/data/bill/1/bill_amount",
        "data.bill[1].bill_amount",
        Amount,
    );
    assert_redaction::<CallsRecordResponse>(RECORD_SPELLINGS, 6);
    assert_redaction::<CallsRecordResponse>(RECORD_MISFITS, 6);
}

// ---------------------------------------------------------------------------------------------
// dianhua/calls-report

const REPORT_SPELLINGS: &str = "dianhua/calls-report/formats-spellings.json";
const REPORT_MISFITS: &str = "dianhua/calls-report/formats-misfits.json";

#[test]
fn calls_report_spellings_read_and_normalize() {
    let response = model::<CallsReportResponse>(REPORT_SPELLINGS);
    let data = response.data.as_ref().expect("data");
    let usage = data.calls_sa_monthly_usage.as_ref().expect("usage");
    assert_eq!(
        usage[3].month_value().expect("fits").map(|d| d.to_iso()),
        Some("2023-12".to_owned())
    );
    assert_eq!(
        usage[0].month_bill_amount_value().expect("absent fits"),
        None
    );
    assert_eq!(
        amount(usage[2].month_bill_amount_value()),
        Some("58.3".into())
    );
    assert_eq!(
        data.date_range_start_value()
            .expect("fits")
            .map(|d| d.to_iso()),
        Some("2023-10".to_owned())
    );
    assert_spellings::<CallsReportResponse>(
        REPORT_SPELLINGS,
        &[
            ("/data/mergency_contact/0/call_times", json!(23)),
            ("/data/mergency_contact/1/call_times", json!(null)),
            ("/data/mergency_contact/1/call_length", json!(null)),
            ("/data/cuishou_risk_detection/cuishou/call_times", json!(2)),
            ("/data/calls_sa_by_region/0/call_length", json!(52214)),
            ("/data/calls_sa_monthly_usage/0/month", json!("2024-03")),
            (
                "/data/calls_sa_monthly_usage/0/month_bill_amount",
                json!(null),
            ),
            ("/data/calls_sa_monthly_usage/1/month", json!("2024-02")),
            (
                "/data/calls_sa_monthly_usage/1/month_bill_amount",
                json!(128.5),
            ),
            ("/data/calls_sa_monthly_usage/2/month", json!("2024-01")),
            (
                "/data/calls_sa_monthly_usage/2/month_bill_amount",
                json!(58.3),
            ),
            ("/data/calls_sa_monthly_usage/3/month", json!("2023-12")),
            (
                "/data/calls_sa_monthly_usage/3/month_bill_amount",
                json!(38),
            ),
            ("/data/invalid_call_log/0/month", json!("2017-12")),
            ("/data/date_range_start", json!("2023-10")),
            ("/data/date_range_end", json!("2024-03")),
            // Document 004's epoch seconds in text, read in China time.
            ("/data/tel_info/open_date", json!("2015-09-21")),
        ],
    );
}

#[test]
fn calls_report_misfits_are_all_found() {
    use Format::*;
    use MisfitReason::*;
    assert_misfits::<CallsReportResponse>(
        REPORT_MISFITS,
        &[
            ("data.mergency_contact[0].call_times", Count, Malformed),
            ("data.mergency_contact[0].call_length", Count, Malformed),
            ("data.calls_sa_by_region[1].call_length", Count, Inexact),
            ("data.calls_sa_monthly_usage[0].month", Date, Malformed),
            (
                "data.calls_sa_monthly_usage[0].call_times",
                Count,
                Malformed,
            ),
            (
                "data.calls_sa_monthly_usage[1].month_bill_amount",
                Amount,
                Malformed,
            ),
            ("data.invalid_call_log[0].month", Date, OutOfRange),
            ("data.date_range_end", Date, Malformed),
        ],
    );
    assert_shifts::<CallsReportResponse>(
        REPORT_MISFITS,
        &[
            // The month slid into the call-count column beside it.
            ("data.calls_sa_monthly_usage[0].call_times", vec![Date]),
            ("data.calls_sa_monthly_usage[0].month", vec![Amount, Count]),
            ("data.calls_sa_by_region[1].call_length", vec![]),
        ],
    );
    assert_wrong_type::<CallsReportResponse>(
        REPORT_MISFITS,
        "/data/calls_sa_by_region/0/call_times",
        "data.calls_sa_by_region[0].call_times",
        Count,
    );
    assert_redaction::<CallsReportResponse>(REPORT_SPELLINGS, 10);
    assert_redaction::<CallsReportResponse>(REPORT_MISFITS, 10);
}

// ---------------------------------------------------------------------------------------------
// dianhua/cuishou

const CUISHOU_SPELLINGS: &str = "dianhua/cuishou/formats-spellings.json";
const CUISHOU_MISFITS: &str = "dianhua/cuishou/formats-misfits.json";

#[test]
fn cuishou_spellings_read_and_normalize() {
    let response = model::<CuishouResponse>(CUISHOU_SPELLINGS);
    let overview = response
        .data
        .as_ref()
        .and_then(|d| d.overview.as_ref())
        .expect("overview");
    let dunning = overview.dunning.as_ref().expect("dunning");
    assert_eq!(
        dunning
            .last_call_time_value()
            .expect("fits")
            .map(|t| t.to_iso()),
        Some("2024-03-02T16:05".to_owned())
    );
    assert_eq!(
        dunning
            .call_total_duration_value()
            .expect("fits")
            .map(|c| c.0),
        Some(312)
    );
    assert_spellings::<CuishouResponse>(
        CUISHOU_SPELLINGS,
        &[
            (
                "/data/overview/dunning/first_call_time",
                json!("2023-12-18T10:22:41"),
            ),
            (
                "/data/overview/dunning/last_call_time",
                json!("2024-03-02T16:05"),
            ),
            (
                "/data/overview/not_sure_dunning/first_call_time",
                json!("2024-01-09T09:13:55"),
            ),
            (
                "/data/overview/not_sure_dunning/last_call_time",
                json!("2024-02-27T14:40:12"),
            ),
            (
                "/data/overview/not_sure_dunning/call_total_duration",
                json!(1041),
            ),
            ("/data/last_week/dunning/call_tel_total_nums", json!(null)),
            ("/data/last_week/dunning/first_call_time", json!(null)),
            ("/data/last_week/dunning/last_call_time", json!(null)),
            // Not format-declared (a decimal number of seconds): kept.
            ("/data/overview/dunning/call_avg_duration", json!("62.40")),
        ],
    );
}

#[test]
fn cuishou_misfits_are_all_found() {
    use Format::*;
    use MisfitReason::*;
    assert_misfits::<CuishouResponse>(
        CUISHOU_MISFITS,
        &[
            (
                "data.overview.dunning.first_call_time",
                DateTime,
                OutOfRange,
            ),
            ("data.overview.dunning.call_total_times", Count, Malformed),
            ("data.overview.dunning.call_total_duration", Count, Inexact),
            (
                "data.overview.not_sure_dunning.call_duration_above60",
                Count,
                Malformed,
            ),
            (
                "data.overview.not_sure_dunning.last_call_time",
                DateTime,
                Malformed,
            ),
        ],
    );
    assert_shifts::<CuishouResponse>(
        CUISHOU_MISFITS,
        &[
            // The last call time slid into the count column before it.
            (
                "data.overview.not_sure_dunning.call_duration_above60",
                vec![DateTime],
            ),
            ("data.overview.not_sure_dunning.last_call_time", vec![Count]),
            ("data.overview.dunning.call_total_times", vec![]),
        ],
    );
    assert_wrong_type::<CuishouResponse>(
        CUISHOU_MISFITS,
        "/data/overview/dunning/first_call_time",
        "data.overview.dunning.first_call_time",
        DateTime,
    );
    assert_redaction::<CuishouResponse>(CUISHOU_SPELLINGS, 1);
    assert_redaction::<CuishouResponse>(CUISHOU_MISFITS, 1);
}
