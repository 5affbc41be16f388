//! Replacing every personal value of a payload by its stand-in.

use serde_json::Value;

use super::{placeholder, PiiClass, PII_KEYWORD};
use crate::format::walk::{transform, Node, Visitor};
use crate::PathSegment;

struct Redactor {
    seed: u64,
}

impl Visitor for Redactor {
    fn visit(&mut self, node: &Node<'_>, value: &Value, _path: &[PathSegment]) -> Option<Value> {
        let class: PiiClass = node.keyword_str(PII_KEYWORD)?.parse().ok()?;
        Some(placeholder(class, value, self.seed))
    }
}

/// `payload` with every value whose property carries `x-credkit-pii` replaced by its
/// deterministic [`placeholder`] (on a list or object property, every string and number
/// inside), everything else unchanged: the same keys at the same paths, the same JSON types,
/// so the output parses with the same model. `seed` varies the stand-ins between data sets;
/// the same payload, schema and seed always give the same output.
///
/// `schema` is a self-contained JSON Schema 2020-12 document, as for
/// [`format::normalize`](crate::format::normalize).
pub fn redact(payload: &Value, schema: &Value, seed: u64) -> Value {
    transform(schema, payload, &mut Redactor { seed })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Value {
        json!({
            "type": "object",
            "properties": {
                "whoWasChecked": {"type": "string", "x-credkit-pii": "name"},
                "idNum": {"type": "string", "x-credkit-pii": "id-number", "x-credkit-aliases": ["IDNum"]},
                "profile": {"$ref": "#/$defs/Profile"},
                "serialNo": {"type": "string"}
            },
            "$defs": {
                "Profile": {"type": "object", "properties": {
                    "mobile": {"type": ["string", "null"], "x-credkit-pii": "phone"},
                    "email": {"$ref": "#/$defs/Valued", "x-credkit-pii": "email"},
                    "birthday": {"type": "string", "x-credkit-format": "date", "x-credkit-pii": "birth-date"}
                }},
                "Valued": {"type": "object", "properties": {
                    "value": {"type": "string"}, "organization": {"type": "string"}
                }}
            }
        })
    }

    fn paths(value: &Value, prefix: String, out: &mut Vec<(String, &'static str)>) {
        let kind = match value {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        out.push((prefix.clone(), kind));
        match value {
            Value::Object(members) => members
                .iter()
                .for_each(|(key, item)| paths(item, format!("{prefix}/{key}"), out)),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .for_each(|(index, item)| paths(item, format!("{prefix}/{index}"), out)),
            _ => {}
        }
    }

    #[test]
    fn replaces_personal_values_and_keeps_everything_else() {
        let payload = json!({
            "whoWasChecked": "张三",
            "IDNum": "110101199003070023",
            "serialNo": "2016082600001",
            "profile": {
                "mobile": null,
                "email": {"value": "zhang@example.org", "organization": "某银行"},
                "birthday": "1990.03.07"
            },
            "unknown": "张三"
        });
        let redacted = redact(&payload, &schema(), 0);
        assert_eq!(redacted, redact(&payload, &schema(), 0));
        let (mut before, mut after) = (Vec::new(), Vec::new());
        paths(&payload, String::new(), &mut before);
        paths(&redacted, String::new(), &mut after);
        assert_eq!(before, after);
        assert_ne!(redacted["whoWasChecked"], payload["whoWasChecked"]);
        assert_ne!(redacted["IDNum"], payload["IDNum"]);
        assert_eq!(redacted["serialNo"], payload["serialNo"]);
        assert_eq!(redacted["unknown"], payload["unknown"]);
        assert_eq!(redacted["profile"]["mobile"], json!(null));
        assert!(redacted["profile"]["email"]["value"]
            .as_str()
            .unwrap()
            .ends_with("@example.com"));
        let birthday = redacted["profile"]["birthday"].as_str().unwrap();
        assert!(crate::format::parse_date(birthday).unwrap().is_some());
        assert_ne!(redact(&payload, &schema(), 1), redacted);
    }
}
