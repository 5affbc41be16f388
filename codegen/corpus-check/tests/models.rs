//! The compiled corpus models: what each keyword means on the wire.

use credkit_corpus::{
    aliases, cross_file_refs, drift, hoisting, library, nullable, number_or_text, open_enum, pii,
    tuple, union_root,
};
use credkit_runtime::{parse_json, Model};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// Parses `input` into `T` with no ignored field and returns it with its serialised form.
fn parse<T: DeserializeOwned + Serialize>(input: Value) -> (T, Value) {
    let bytes = serde_json::to_vec(&input).expect("serialises");
    let parsed = parse_json::<T>(&bytes).unwrap_or_else(|e| panic!("{input}: {e}"));
    assert!(parsed.ignored.is_empty(), "ignored: {:?}", parsed.ignored);
    let back = serde_json::to_value(&parsed.value).expect("serialises");
    (parsed.value, back)
}

/// `serialize(deserialize(x)) == x`.
fn round_trips<T: DeserializeOwned + Serialize>(input: Value) -> T {
    let (value, back) = parse::<T>(input.clone());
    assert_eq!(back, input);
    value
}

#[test]
fn aliases_are_read_and_the_canonical_spelling_is_written() {
    use aliases::acme_models::report::Report;
    let (report, back) =
        parse::<Report>(json!({"idType": "01", "records": ["a", "b"], "revokedat": "2024-01-02"}));
    assert_eq!(report.id_type, "01");
    assert_eq!(
        report.records.as_deref(),
        Some(&["a".into(), "b".into()][..])
    );
    assert_eq!(report.revokedate.as_deref(), Some("2024-01-02"));
    assert_eq!(
        back,
        json!({"IDType": "01", "records ": ["a", "b"], "revokedate": "2024-01-02"})
    );
    // The canonical spelling round-trips as it is.
    round_trips::<Report>(back);
    assert_eq!(Report::ID, "acme/report");
}

#[test]
fn open_enums_keep_unknown_codes() {
    use open_enum::acme_models::status::{Code, Status, StatusResponse};
    let known: StatusResponse = round_trips(json!({"status": "TASK_INPROGRESS", "code": 1001}));
    assert_eq!(known.status, Status::TaskInprogress);
    assert_eq!(known.status.http_status(), Some(400));
    assert_eq!(known.status.description(), Some("任务处理中"));
    assert_eq!(known.code, Some(Code::Code1001));
    let renamed: StatusResponse = round_trips(json!({"status": "3rd-party error", "code": 0}));
    assert_eq!(renamed.status, Status::ThirdParty);
    assert_eq!(renamed.code, Some(Code::Ok));

    let unknown: StatusResponse = round_trips(json!({"status": "NEW_CODE", "code": 42}));
    assert_eq!(unknown.status, Status::Other("NEW_CODE".into()));
    assert!(!unknown.status.is_documented());
    assert_eq!(unknown.status.http_status(), None);
    assert_eq!(unknown.code, Some(Code::Other(42)));
    assert_eq!(unknown.status.to_string(), "NEW_CODE");
    assert_eq!(Status::DOCUMENTED.len(), 3);
}

#[test]
fn numbers_or_text_keep_their_spelling() {
    use number_or_text::acme_models::bill::Bill;
    let text: Bill = round_trips(json!({"amount": "暂无数据", "exact": 58, "extra": "--"}));
    assert!(matches!(
        text.amount,
        Some(credkit_runtime::NumberOrText::Text(_))
    ));
    round_trips::<Bill>(json!({"amount": 12.5, "exact": -0.25, "extra": {"k": [1, "v"]}}));
    round_trips::<Bill>(json!({"amount": 58}));
}

#[test]
fn tuples_are_fixed_arrays() {
    use tuple::acme_models::schedule::Schedule;
    let schedule: Schedule =
        round_trips(json!({"blank_times_list": [["2024-01", "2024-03", 3], ["a", "b", 0]]}));
    let list = schedule.blank_times_list.expect("present");
    assert_eq!(list[0], ("2024-01".into(), "2024-03".into(), 3));
    // A fourth element does not fit a three-element tuple.
    let bad = serde_json::to_vec(&json!({"blank_times_list": [["a", "b", 1, 2]]})).expect("json");
    assert!(parse_json::<Schedule>(&bad).is_err());
}

#[test]
fn nullable_fields_keep_null_apart_from_absent() {
    use nullable::acme_models::profile::Profile;
    let nulls: Profile = round_trips(json!({"id": null, "nickname": null, "tags": null}));
    assert_eq!(nulls.id, None);
    assert_eq!(nulls.nickname, Some(None));
    assert_eq!(nulls.tags, Some(None));
    let absent: Profile = round_trips(json!({"id": 7}));
    assert_eq!(absent.id, Some(7));
    assert_eq!(absent.nickname, None);
    round_trips::<Profile>(json!({"id": 7, "nickname": "n", "tags": ["x"]}));
    // `id` is required: null is allowed, absence is not.
    assert!(parse_json::<Profile>(b"{}").is_err());
}

#[test]
fn inline_objects_are_hoisted_to_named_types() {
    use hoisting::acme_models::order::{
        Order, OrderCustomer, OrderCustomerAddress, OrderItemsItem,
    };
    let order: Order = round_trips(json!({
        "customer": {"name": "n", "address": {"city": "c"}},
        "items": [{"sku": "s1", "quantity": 2}, {"sku": "s2"}]
    }));
    let customer: OrderCustomer = order.customer.expect("present");
    let address: OrderCustomerAddress = customer.address.expect("present");
    assert_eq!(address.city.as_deref(), Some("c"));
    let items: Vec<OrderItemsItem> = order.items.expect("present");
    assert_eq!(items[1].quantity, None);
}

#[test]
fn cross_file_references_use_the_other_models_type() {
    use cross_file_refs::acme_models::report::Report;
    use cross_file_refs::acme_models::v1::envelope::Envelope;
    let envelope: Envelope = round_trips(json!({"result": {"score": 3}, "amount": "--"}));
    let report: Report = envelope.result.expect("present");
    assert_eq!(report.score, Some(3));
    assert_eq!(
        cross_file_refs::acme_models::MODEL_IDS,
        ["acme/report", "acme/v1/envelope"]
    );
}

#[test]
fn a_vendor_library_is_one_module() {
    use library::acme_models::common::{Money, Prompt};
    use library::acme_models::result::PromptResult;
    let result: PromptResult = round_trips(json!({"prompt": 7, "fee": {"cents": 100}}));
    assert_eq!(result.prompt, Some(Prompt::WrongPassword));
    assert_eq!(result.fee, Some(Money { cents: Some(100) }));
    // The library is not a model.
    assert_eq!(library::acme_models::MODEL_IDS, ["acme/result"]);
}

#[test]
fn a_union_root_explains_which_shape_got_furthest() {
    use union_root::acme_models::answer::Answer;
    let failure: Answer = round_trips(json!({"status": "ERR", "reason": "bad"}));
    assert!(matches!(failure, Answer::Failure(_)));
    let success: Answer = round_trips(json!({"score": 9}));
    assert!(matches!(success, Answer::Success(_)));

    let input = br#"{"score": "nine"}"#;
    assert!(parse_json::<Answer>(input).is_err());
    let (shape, error) = Answer::explain_failure(input).expect("fits no shape");
    assert_eq!(shape, "Success");
    assert_eq!(error.path.to_string(), "score");
    assert!(Answer::explain_failure(br#"{"score": 1}"#).is_none());
}

#[test]
fn the_registry_visits_every_model() {
    struct Id;
    impl credkit_runtime::ModelVisitor for Id {
        type Output = &'static str;
        fn visit<M: Model>(self) -> &'static str {
            M::ID
        }
    }
    for id in cross_file_refs::acme_models::MODEL_IDS {
        assert_eq!(cross_file_refs::acme_models::visit_model(id, Id), Some(*id));
    }
    assert_eq!(
        cross_file_refs::acme_models::visit_model("acme/nope", Id),
        None
    );
}

#[test]
fn drifted_scalars_and_empty_lists_are_kept_and_read_as_documented() {
    use drift::acme_models::usage::Usage;
    let usage: Usage = round_trips(json!({
        "month": 1_709_222_400_000_i64,
        "calls": "12",
        "ratio": null,
        "flagged": "1",
        "tags": [],
        "detail": [],
        "owner": {"id": 7}
    }));
    assert_eq!(
        usage.month_value().expect("fits").map(|d| d.to_iso()),
        Some("2024-03-01".to_owned())
    );
    assert_eq!(usage.calls_value(), Ok(Some(12)));
    assert_eq!(usage.ratio_value(), Ok(None));
    assert_eq!(usage.flagged_value(), Ok(Some(true)));
    assert!(usage
        .tags
        .as_ref()
        .is_some_and(|t| t.is_empty() && t.was_empty_list()));
    assert!(usage.detail.as_ref().is_some_and(|d| d.was_empty_list()));
    let error = round_trips::<Usage>(json!({"calls": "many"}))
        .calls_value()
        .expect_err("not an integer");
    assert_eq!(
        error.to_string(),
        "calls: text \"many\" cannot be read as integer"
    );
    // A closed enumeration never drifts; an object where a scalar is documented still fails.
    assert!(parse_json::<Usage>(br#"{"kind": 1}"#).is_err());
    assert!(parse_json::<Usage>(br#"{"calls": {"n": 1}}"#).is_err());
    assert!(parse_json::<Usage>(br#"{"tags": ["x"]}"#).is_err());
}

#[test]
fn debug_masks_every_personal_field_and_shows_the_rest() {
    use pii::acme_models::applicant::Applicant;
    let applicant: Applicant = round_trips(json!({
        "name": "张三",
        "id_no": "110101199003070023",
        "phones": ["13800138000"],
        "contacts": {"13911112222": "父亲"},
        "score": 640
    }));
    let debug = format!("{applicant:?} {applicant:#?}");
    for secret in [
        "张三",
        "110101199003070023",
        "13800138000",
        "13911112222",
        "父亲",
    ] {
        assert!(!debug.contains(secret), "`{secret}` in {debug}");
    }
    assert!(debug.contains("张*"), "{debug}");
    assert!(debug.contains("1101**********0023"), "{debug}");
    assert!(
        debug.contains("640"),
        "the score is no personal data: {debug}"
    );
}
