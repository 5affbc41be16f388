//! Walking a payload alongside its self-contained JSON Schema (2020-12): the shared engine of
//! [`normalize`](super::normalize), [`audit`](super::audit) and
//! [`pii::redact`](crate::pii::redact).
//!
//! Follows local `$ref`s (`#/$defs/…`), `properties` (and the `x-credkit-aliases` of a
//! property), `additionalProperties`, `items`, `prefixItems`, and for `anyOf`/`oneOf` the first
//! branch whose `type` fits the value. A value with no schema (an unknown field) is copied.

use serde_json::{Map, Value};

use super::value::normalize_text;
use super::{Format, FormatError, MisfitReason, FORMAT_KEYWORD};
use crate::{JsonPath, PathSegment};

/// Deepest nesting of payload or `$ref` chains followed; deeper parts are copied unchanged.
const MAX_DEPTH: usize = 128;

/// A schema location with its `$ref` chain resolved: the referring schema first, then each
/// schema it refers to. A keyword is read from the first schema in the chain that has it, so
/// an annotation beside a `$ref` wins over the target's.
pub(crate) struct Node<'s> {
    chain: Vec<&'s Map<String, Value>>,
}

impl<'s> Node<'s> {
    pub(crate) fn resolve(root: &'s Value, schema: &'s Value) -> Node<'s> {
        let mut chain = Vec::new();
        let mut current = schema;
        while let Some(object) = current.as_object() {
            chain.push(object);
            let target = object
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|reference| reference.strip_prefix('#'))
                .and_then(|pointer| root.pointer(pointer));
            match target {
                Some(target) if chain.len() < MAX_DEPTH => current = target,
                _ => break,
            }
        }
        Node { chain }
    }

    /// The value of `keyword`, from the first schema in the chain that has it.
    pub(crate) fn keyword(&self, keyword: &str) -> Option<&'s Value> {
        self.chain.iter().find_map(|object| object.get(keyword))
    }

    /// The string value of `keyword`.
    pub(crate) fn keyword_str(&self, keyword: &str) -> Option<&'s str> {
        self.keyword(keyword).and_then(Value::as_str)
    }

    /// The declared format, when the schema names one this runtime knows.
    pub(crate) fn format(&self) -> Option<Format> {
        self.keyword_str(FORMAT_KEYWORD)?.parse().ok()
    }

    /// The schema of member `key` of an object: its property (also by alias), else
    /// `additionalProperties` when that is a schema.
    fn member(&self, key: &str) -> Option<&'s Value> {
        if let Some(properties) = self.keyword("properties").and_then(Value::as_object) {
            if let Some(schema) = properties.get(key) {
                return Some(schema);
            }
            let by_alias = properties.values().find(|schema| {
                schema
                    .get("x-credkit-aliases")
                    .and_then(Value::as_array)
                    .is_some_and(|aliases| aliases.iter().any(|alias| alias == key))
            });
            if by_alias.is_some() {
                return by_alias;
            }
        }
        self.keyword("additionalProperties")
            .filter(|schema| schema.is_object())
    }

    /// The schema of element `index` of an array.
    fn element(&self, index: usize) -> Option<&'s Value> {
        if let Some(prefix) = self.keyword("prefixItems").and_then(Value::as_array) {
            if let Some(schema) = prefix.get(index) {
                return Some(schema);
            }
        }
        self.keyword("items").filter(|schema| schema.is_object())
    }

    /// Whether `value` fits this schema's `type` (or, without one, its shape keywords).
    fn fits(&self, value: &Value) -> bool {
        match self.keyword("type") {
            Some(Value::String(name)) => type_fits(name, value),
            Some(Value::Array(names)) => names
                .iter()
                .filter_map(Value::as_str)
                .any(|name| type_fits(name, value)),
            _ => {
                if let Some(constant) = self.keyword("const") {
                    return constant == value;
                }
                if self.keyword("properties").is_some() {
                    return value.is_object();
                }
                if self.keyword("items").is_some() || self.keyword("prefixItems").is_some() {
                    return value.is_array();
                }
                true
            }
        }
    }
}

fn type_fits(name: &str, value: &Value) -> bool {
    match (name, value) {
        ("null", Value::Null)
        | ("boolean", Value::Bool(_))
        | ("string", Value::String(_))
        | ("object", Value::Object(_))
        | ("array", Value::Array(_))
        | ("number", Value::Number(_)) => true,
        ("integer", Value::Number(number)) => number.is_i64() || number.is_u64(),
        _ => false,
    }
}

/// What a walk does at each schema location.
pub(crate) trait Visitor {
    /// The replacement for `value` at `path` under `node`, or `None` to descend into it.
    fn visit(&mut self, node: &Node<'_>, value: &Value, path: &[PathSegment]) -> Option<Value>;
}

/// A copy of `payload` in which each value is what `visitor` makes of it.
pub(crate) fn transform(schema: &Value, payload: &Value, visitor: &mut impl Visitor) -> Value {
    let mut path = Vec::new();
    walk(schema, Some(schema), payload, &mut path, 0, visitor)
}

fn walk(
    root: &Value,
    schema: Option<&Value>,
    value: &Value,
    path: &mut Vec<PathSegment>,
    depth: usize,
    visitor: &mut impl Visitor,
) -> Value {
    let Some(schema) = schema.filter(|_| depth < MAX_DEPTH) else {
        return value.clone();
    };
    let node = Node::resolve(root, schema);
    if let Some(replacement) = visitor.visit(&node, value, path) {
        return replacement;
    }
    for union in ["anyOf", "oneOf"] {
        if let Some(branches) = node.keyword(union).and_then(Value::as_array) {
            let branch = branches
                .iter()
                .find(|branch| Node::resolve(root, branch).fits(value));
            if let Some(branch) = branch {
                return walk(root, Some(branch), value, path, depth + 1, visitor);
            }
        }
    }
    match value {
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(key, member)| {
                    path.push(PathSegment::Key(key.clone()));
                    let out = walk(root, node.member(key), member, path, depth + 1, visitor);
                    path.pop();
                    (key.clone(), out)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(index, item)| {
                    path.push(PathSegment::Index(index));
                    let out = walk(root, node.element(index), item, path, depth + 1, visitor);
                    path.pop();
                    out
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The declared format's verdict on one value: its normalized JSON, or the misfit.
pub(crate) fn convert(format: Format, value: &Value) -> Result<Value, FormatError> {
    let numeric = matches!(format, Format::Amount | Format::Count | Format::Percent);
    // A date a consumer turned into epoch time, read as the typed accessors read it.
    if let Value::Number(number) = value {
        if let Some(converted) = super::field::epoch_json(format, number) {
            return converted;
        }
    }
    match value {
        Value::String(text) => normalize_text(format, text),
        Value::Null => Ok(Value::Null),
        Value::Number(number) if numeric => {
            let whole = number.is_u64();
            if format == Format::Count && !whole {
                Err(FormatError::new(
                    format,
                    &number.to_string(),
                    MisfitReason::Malformed,
                ))
            } else {
                Ok(value.clone())
            }
        }
        other => Err(FormatError::new(
            format,
            &other.to_string(),
            MisfitReason::WrongType,
        )),
    }
}

/// The error text to show for `value`: masked when the property is also personal data.
pub(crate) fn located(error: FormatError, node: &Node<'_>, path: &[PathSegment]) -> FormatError {
    let mut error = error.at(JsonPath(path.to_vec()));
    if let Some(class) = node
        .keyword_str(crate::pii::PII_KEYWORD)
        .and_then(|name| name.parse::<crate::pii::PiiClass>().ok())
    {
        error.text = crate::pii::mask(class, &error.text);
    }
    error
}

struct Normalizer {
    errors: Vec<FormatError>,
}

impl Visitor for Normalizer {
    fn visit(&mut self, node: &Node<'_>, value: &Value, path: &[PathSegment]) -> Option<Value> {
        let format = node.format()?;
        Some(match convert(format, value) {
            Ok(normalized) => normalized,
            Err(error) => {
                self.errors.push(located(error, node, path));
                value.clone()
            }
        })
    }
}

/// `payload` with every value whose property declares an `x-credkit-format` converted to its
/// normalized JSON (see [`FormatValue::to_json`](super::FormatValue::to_json); absent
/// placeholders become `null`), every other value as it was; and the misfits, each with its
/// JSON path, left as received in the output.
///
/// `schema` is a self-contained JSON Schema 2020-12 document (local `$ref`s only), such as a
/// model's curated schema.
pub fn normalize(payload: &Value, schema: &Value) -> (Value, Vec<FormatError>) {
    let mut normalizer = Normalizer { errors: Vec::new() };
    let normalized = transform(schema, payload, &mut normalizer);
    (normalized, normalizer.errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Value {
        json!({
            "type": "object",
            "properties": {
                "amount": {"type": "string", "x-credkit-format": "amount"},
                "loans": {"type": "array", "items": {"$ref": "#/$defs/Loan"}},
                "pair": {"type": "array", "prefixItems": [
                    {"type": "string", "x-credkit-format": "date"},
                    {"type": "string", "x-credkit-format": "count"}
                ]},
                "byMonth": {"type": "object", "additionalProperties": {
                    "type": "string", "x-credkit-format": "amount"
                }},
                "either": {"oneOf": [
                    {"type": "number"},
                    {"type": "string", "x-credkit-format": "percent"}
                ]},
                "birthday": {"type": "string", "x-credkit-format": "date", "x-credkit-pii": "birth-date"},
                "note": {"type": "string"}
            },
            "$defs": {
                "Loan": {"type": "object", "properties": {
                    "startAt": {"type": "string", "x-credkit-format": "date"},
                    "records": {
                        "type": "array",
                        "x-credkit-aliases": ["records "],
                        "items": {"type": "string", "x-credkit-format": "month-status-24"}
                    },
                    "amount": {"$ref": "#/$defs/Money"}
                }},
                "Money": {"type": ["number", "string"], "x-credkit-format": "amount"}
            }
        })
    }

    #[test]
    fn converts_every_declared_value_and_keeps_the_rest() {
        let payload = json!({
            "amount": "99,000",
            "loans": [
                {"startAt": "2016年04月18日", "amount": 5, "records ": ["N".repeat(24)], "extra": "--"},
                {"startAt": "--", "amount": "-27"}
            ],
            "pair": ["2016.07", "36", "beyond"],
            "byMonth": {"2016-01": "5,500", "2016-02": ""},
            "either": "12%",
            "note": "99,000",
            "unknown": "2016.07"
        });
        let (normalized, errors) = normalize(&payload, &schema());
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            normalized,
            json!({
                "amount": 99000,
                "loans": [
                    {"startAt": "2016-04-18", "amount": 5, "records ": [vec!["N"; 24]], "extra": "--"},
                    {"startAt": null, "amount": -27}
                ],
                "pair": ["2016-07", 36, "beyond"],
                "byMonth": {"2016-01": 5500, "2016-02": null},
                "either": 12,
                "note": "99,000",
                "unknown": "2016.07"
            })
        );
    }

    #[test]
    fn union_picks_the_first_branch_whose_type_fits() {
        let (normalized, errors) = normalize(&json!({"either": 7.5}), &schema());
        assert!(errors.is_empty());
        assert_eq!(normalized, json!({"either": 7.5}));
    }

    #[test]
    fn misfits_are_listed_with_path_and_left_as_received() {
        let payload = json!({
            "amount": "2016.07.25",
            "loans": [{"startAt": "36"}, {"startAt": "2016.13"}],
            "birthday": "1990.13.45",
            "pair": [true]
        });
        let (normalized, errors) = normalize(&payload, &schema());
        assert_eq!(normalized, payload);
        let listed: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            listed,
            [
                r#"amount: "2016.07.25" is not a valid amount (malformed)"#,
                r#"birthday: "1990****" is not a valid date (out of range)"#,
                r#"loans[0].startAt: "36" is not a valid date (malformed)"#,
                r#"loans[1].startAt: "2016.13" is not a valid date (out of range)"#,
                r#"pair[0]: "true" is not a valid date (not a text)"#,
            ]
        );
    }

    #[test]
    fn ref_cycles_and_deep_payloads_do_not_overflow() {
        let schema = json!({"$ref": "#/$defs/A", "$defs": {"A": {"$ref": "#/$defs/A"}}});
        let (normalized, errors) = normalize(&json!({"a": 1}), &schema);
        assert_eq!(normalized, json!({"a": 1}));
        assert!(errors.is_empty());
        let nested = json!({"type": "array", "items": {"$ref": "#"}});
        let mut deep = json!("x");
        for _ in 0..200 {
            deep = Value::Array(vec![deep]);
        }
        let (normalized, _) = normalize(&deep, &nested);
        assert_eq!(normalized, deep);
    }
}
