//! The typed accessors beside the raw fields, and the drift the documents do not show: every
//! spelling a format declares, a count sent as text, a date sent as epoch milliseconds, and
//! PHP's `[]` for an empty object — read as the documented type, kept as received.

use credkit_models::deepfinch::credit_report_v1::CreditReportV1;
use credkit_models::dianhua::calls_report::CallsReportResponse;
use credkit_runtime::parse_json;
use credkit_tests::workspace_root;

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(workspace_root().join("tests/fixtures").join(rel)).expect("fixture")
}

#[test]
fn format_accessors_read_every_spelling() {
    let report = parse_json::<CreditReportV1>(&fixture(
        "deepfinch/credit-report-v1/formats-spellings.json",
    ))
    .expect("parses")
    .value;
    let card = &report.credit_cards.as_ref().expect("cards")[0];
    assert_eq!(
        card.amount_value().expect("fits").map(|a| a.0.to_string()),
        Some("50000".to_owned())
    );
    assert_eq!(
        card.balance_value().expect("fits").map(|a| a.0.to_string()),
        Some("-27".to_owned())
    );
    assert_eq!(
        card.start_at_value().expect("fits").map(|d| d.to_iso()),
        Some("2010-05-01".to_owned())
    );
    let grid = card.last24_status_value().expect("fits").expect("present");
    assert_eq!(grid.codes().chars().count(), 24);
    let info = report.credit_info.as_ref().expect("credit info");
    assert_eq!(
        info.credit_cards_num_value().expect("fits").map(|c| c.0),
        Some(36)
    );
}

#[test]
fn format_accessors_name_the_field_of_a_misfit() {
    let report =
        parse_json::<CreditReportV1>(&fixture("deepfinch/credit-report-v1/formats-misfits.json"))
            .expect("a misfit never stops parsing")
            .value;
    let loan = &report.loans.as_ref().expect("loans")[0];
    let error = loan.fin_at_value().expect_err("2016.13 is not a date");
    assert_eq!(
        error.to_string(),
        r#"finAt: "2016.13" is not a valid date (out of range)"#
    );
}

#[test]
fn drifted_scalars_and_php_empty_objects_are_read_as_documented() {
    let input = fixture("dianhua/calls-report/drift-php-fastjson.json");
    let parsed = parse_json::<CallsReportResponse>(&input).expect("drift never stops parsing");
    let data = parsed.value.data.as_ref().expect("data");
    // A count sent as text ("684") reads as the documented integer.
    let overview = data.calls_overview.as_ref().expect("overview");
    assert_eq!(overview.call_times_sum_value(), Ok(Some(684)));
    // A date sent as epoch milliseconds reads as the date, in China time.
    let month = &data.calls_sa_monthly_usage.as_ref().expect("usage")[0];
    assert_eq!(
        month.month_value().expect("fits").map(|d| d.to_iso()),
        Some("2024-03-01".to_owned())
    );
    // PHP's `[]` for an empty object: the empty object, written back as `[]`.
    let behaviour = data.call_behavior.as_ref().expect("behaviour");
    let flags = behaviour
        .number_used
        .as_ref()
        .expect("number used")
        .unnormal_flag
        .as_ref()
        .expect("flags");
    assert!(flags.was_empty_list());
    let written = serde_json::to_value(&parsed.value).expect("writes");
    assert_eq!(
        written["data"]["call_behavior"]["number_used"]["unnormal_flag"],
        serde_json::json!([])
    );
    assert_eq!(
        written["data"]["calls_sa_monthly_usage"][0]["month"],
        serde_json::json!(1_709_222_400_000_i64)
    );
    assert_eq!(
        written["data"]["calls_overview"]["call_times_sum"],
        serde_json::json!("684")
    );
    // A non-empty array where an object is documented still fails.
    let mut broken: serde_json::Value = serde_json::from_slice(&input).expect("JSON");
    broken["data"]["call_behavior"]["number_used"]["unnormal_flag"] = serde_json::json!([1]);
    let error = parse_json::<CallsReportResponse>(broken.to_string().as_bytes())
        .expect_err("a list is no object");
    assert!(
        error.path.to_string().ends_with("unnormal_flag"),
        "{}",
        error.path
    );
    // An object where a scalar is documented still fails.
    let mut broken: serde_json::Value = serde_json::from_slice(&input).expect("JSON");
    broken["data"]["calls_overview"]["call_times_sum"] = serde_json::json!({"n": 1});
    assert!(parse_json::<CallsReportResponse>(broken.to_string().as_bytes()).is_err());
}
