//! The value-level audit: misfits, and the misfits that fit a sibling property's format (a
//! probable OCR column shift).

use serde_json::Value;

use super::walk::{convert, located, transform, Node, Visitor};
use super::{parse, Format, FormatError};
use crate::PathSegment;

/// A misfit in an object that fits the format of another property of the same object: the
/// OCR probably shifted the row by a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbableShift {
    /// The member holding the misfit.
    pub key: String,
    /// Its declared format.
    pub format: Format,
    /// The sibling members (in schema order, at most 8) whose format the text fits, each with
    /// that format.
    pub fits: Vec<(String, Format)>,
}

/// Sibling members with the format a text fits.
type SiblingFits = Vec<(String, Format)>;

/// Most siblings listed in one [`ProbableShift`].
const MAX_SIBLINGS: usize = 8;

/// For each member of `object` that misfits its declared format, the sibling properties of
/// `object_schema` whose (different) format the text fits. `root` is the document that
/// `$ref`s in `object_schema` point into (the schema itself when it is the root).
pub fn probable_shifts(object_schema: &Value, root: &Value, object: &Value) -> Vec<ProbableShift> {
    let node = Node::resolve(root, object_schema);
    shifts_at(root, &node, object)
}

fn shifts_at(root: &Value, node: &Node<'_>, object: &Value) -> Vec<ProbableShift> {
    let (Some(members), Some(properties)) = (
        object.as_object(),
        node.keyword("properties").and_then(Value::as_object),
    ) else {
        return Vec::new();
    };
    let declared: Vec<(&String, Format)> = properties
        .iter()
        .filter_map(|(key, schema)| Some((key, Node::resolve(root, schema).format()?)))
        .collect();
    let mut shifts = Vec::new();
    for (key, format) in &declared {
        let Some(Value::String(text)) = members.get(key.as_str()) else {
            continue;
        };
        if parse(*format, text).is_ok() {
            continue;
        }
        let fits: Vec<(String, Format)> = declared
            .iter()
            .filter(|(sibling, other)| sibling != key && other != format)
            .filter(|(_, other)| matches!(parse(*other, text), Ok(Some(_))))
            .take(MAX_SIBLINGS)
            .map(|(sibling, other)| ((*sibling).clone(), *other))
            .collect();
        if !fits.is_empty() {
            shifts.push(ProbableShift {
                key: (*key).clone(),
                format: *format,
                fits,
            });
        }
    }
    shifts
}

/// One finding of the value-level [`audit`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueFinding {
    /// The misfit, with its JSON path.
    pub error: FormatError,
    /// Sibling members whose format the text fits: a probable OCR column shift when not empty.
    pub fits: Vec<(String, Format)>,
}

struct Auditor<'r> {
    root: &'r Value,
    findings: Vec<ValueFinding>,
    /// Shifts found on an object, waiting for the walk to reach the member.
    pending: Vec<(Vec<PathSegment>, SiblingFits)>,
}

impl Visitor for Auditor<'_> {
    fn visit(&mut self, node: &Node<'_>, value: &Value, path: &[PathSegment]) -> Option<Value> {
        if let Some(format) = node.format() {
            if let Err(error) = convert(format, value) {
                let fits = self
                    .pending
                    .iter()
                    .position(|(member, _)| member == path)
                    .map(|index| self.pending.swap_remove(index).1)
                    .unwrap_or_default();
                self.findings.push(ValueFinding {
                    error: located(error, node, path),
                    fits,
                });
            }
            return Some(Value::Null);
        }
        for shift in shifts_at(self.root, node, value) {
            let mut member = path.to_vec();
            member.push(PathSegment::Key(shift.key));
            self.pending.push((member, shift.fits));
        }
        None
    }
}

/// Every value of `payload` that misfits its declared format, in document order, each with the
/// sibling formats it fits (see [`probable_shifts`]). `schema` as for
/// [`normalize`](super::normalize).
pub fn audit(payload: &Value, schema: &Value) -> Vec<ValueFinding> {
    let mut auditor = Auditor {
        root: schema,
        findings: Vec::new(),
        pending: Vec::new(),
    };
    transform(schema, payload, &mut auditor);
    auditor.findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Value {
        json!({
            "type": "object",
            "properties": {
                "loans": {"type": "array", "items": {"$ref": "#/$defs/Loan"}}
            },
            "$defs": {
                "Loan": {"type": "object", "properties": {
                    "startAt": {"type": "string", "x-credkit-format": "date"},
                    "periods": {"type": "string", "x-credkit-format": "count"},
                    "amount": {"type": "string", "x-credkit-format": "amount"},
                    "last24Status": {"type": "string", "x-credkit-format": "month-status-24"},
                    "organization": {"type": "string"}
                }}
            }
        })
    }

    #[test]
    fn a_date_in_a_count_field_is_a_probable_shift() {
        let schema = schema();
        let loan_schema = &schema["$defs"]["Loan"];
        let loan = json!({"startAt": "36", "periods": "2016.07.25", "amount": "5,500", "organization": "某银行"});
        let shifts = probable_shifts(loan_schema, &schema, &loan);
        assert_eq!(
            shifts,
            [
                ProbableShift {
                    key: "periods".into(),
                    format: Format::Count,
                    fits: vec![("startAt".into(), Format::Date)],
                },
                ProbableShift {
                    key: "startAt".into(),
                    format: Format::Date,
                    fits: vec![
                        ("amount".into(), Format::Amount),
                        ("periods".into(), Format::Count)
                    ],
                },
            ]
        );
        let fine = json!({"startAt": "2016.07.25", "periods": "36", "amount": "abc"});
        assert!(probable_shifts(loan_schema, &schema, &fine).is_empty());
    }

    #[test]
    fn audit_lists_misfits_in_order_with_their_shifts() {
        let payload = json!({"loans": [
            {"startAt": "2016.07.25", "periods": "36"},
            {"startAt": "36", "amount": "N", "last24Status": "NNN"}
        ]});
        let findings = audit(&payload, &schema());
        let summary: Vec<(String, Vec<Format>)> = findings
            .iter()
            .map(|finding| {
                (
                    finding.error.path.to_string(),
                    finding.fits.iter().map(|(_, format)| *format).collect(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("loans[1].amount".to_owned(), vec![]),
                ("loans[1].last24Status".to_owned(), vec![]),
                (
                    "loans[1].startAt".to_owned(),
                    vec![Format::Amount, Format::Count]
                ),
            ]
        );
    }
}
