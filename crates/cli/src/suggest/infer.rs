//! A property schema inferred from every observed value of one unknown field: the JSON type
//! (number-or-text for a field seen both ways), nested `properties` for objects, `items` for
//! arrays, an `x-credkit-format` when every text fits one, and the three documentation keywords
//! every property needs, as clearly marked to-dos.

use credkit_runtime::bounded::{shorten, MAX_ECHO_BYTES};
use credkit_runtime::format::{self, Format};
use serde_json::Value;

use super::patch::Node;

/// The `description` of a suggested property: the vendor's text is still to be transcribed.
pub const DESCRIPTION_TODO: &str = "TODO(credkit audit --suggest): 厂商文档中的说明";

/// How many observing file names a suggested `x-credkit-source` lists.
const MAX_NAMED_FILES: usize = 3;

/// One observed value of a field, with the index of the file it was seen in.
pub type Observation<'a> = (usize, &'a Value);

/// What the suggestions are about: the observed files' names and the date of observation.
pub struct Context<'a> {
    /// The audited files' names (no directories), by index.
    pub files: &'a [String],
    /// The date of the observation, `YYYY-MM-DD`.
    pub today: &'a str,
}

/// A field whose observations no schema credkit generates can declare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The field's key, below the object where the suggestion starts (`a.b` for a nested one).
    pub key: String,
    /// What was seen (`object and text`).
    pub seen: String,
}

/// The kinds of JSON value seen, for a gloss ("seen as text and number").
#[derive(Debug, Default, Clone, Copy)]
struct Kinds {
    null: bool,
    boolean: bool,
    integer: bool,
    float: bool,
    text: bool,
    object: bool,
    array: bool,
}

impl Kinds {
    fn of<'a>(values: impl Iterator<Item = &'a Value>) -> Self {
        let mut kinds = Kinds::default();
        for value in values {
            match value {
                Value::Null => kinds.null = true,
                Value::Bool(_) => kinds.boolean = true,
                Value::Number(n) if n.is_i64() || n.is_u64() => kinds.integer = true,
                Value::Number(_) => kinds.float = true,
                Value::String(_) => kinds.text = true,
                Value::Object(_) => kinds.object = true,
                Value::Array(_) => kinds.array = true,
            }
        }
        kinds
    }

    fn describe(self) -> String {
        let names: Vec<&str> = [
            (self.text, "text"),
            (self.integer || self.float, "number"),
            (self.boolean, "boolean"),
            (self.object, "object"),
            (self.array, "array"),
            (self.null, "null"),
        ]
        .into_iter()
        .filter_map(|(seen, name)| seen.then_some(name))
        .collect();
        match names.as_slice() {
            [] => "nothing".to_owned(),
            [one] => (*one).to_owned(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        }
    }

    /// How many kinds other than `null` were seen.
    fn non_null(self) -> usize {
        [
            self.boolean,
            self.integer || self.float,
            self.text,
            self.object,
            self.array,
        ]
        .into_iter()
        .filter(|seen| *seen)
        .count()
    }
}

/// The property schema of a field `key` from its observations, with its documentation
/// to-dos; nested members that cannot be declared are left out and listed in `conflicts`.
/// Fails when the field itself cannot be declared (an object in one file, text in another).
pub fn property(
    key: &str,
    observations: &[Observation<'_>],
    context: &Context<'_>,
    conflicts: &mut Vec<Conflict>,
) -> Result<Node, Conflict> {
    let kinds = Kinds::of(observations.iter().map(|(_, value)| *value));
    let mut notes = Vec::new();
    let shape = shape(key, observations, kinds, context, conflicts, &mut notes)?;
    let mut files: Vec<usize> = observations.iter().map(|(file, _)| *file).collect();
    files.sort_unstable();
    files.dedup();
    let mut gloss = format!(
        "TODO: English gloss — seen as {} in {} file(s)",
        kinds.describe(),
        files.len()
    );
    for note in notes {
        gloss.push_str("; ");
        gloss.push_str(&note);
    }
    let mut node = vec![
        ("description".to_owned(), Node::text(DESCRIPTION_TODO)),
        ("x-credkit-gloss".to_owned(), Node::Text(gloss)),
        (
            "x-credkit-source".to_owned(),
            Node::Text(source(&files, context)),
        ),
    ];
    node.extend(shape);
    Ok(Node::Object(node))
}

/// `observed in a.json, b.json on 2026-01-31 (credkit audit --suggest)`.
fn source(files: &[usize], context: &Context<'_>) -> String {
    let mut names: Vec<String> = files
        .iter()
        .take(MAX_NAMED_FILES)
        .filter_map(|index| context.files.get(*index))
        .map(|name| shorten(name, MAX_ECHO_BYTES).to_string())
        .collect();
    if files.len() > MAX_NAMED_FILES {
        names.push(format!("{} more", files.len() - MAX_NAMED_FILES));
    }
    format!(
        "observed in {} on {} (credkit audit --suggest)",
        names.join(", "),
        context.today
    )
}

/// The type keywords (`type`, `x-credkit-format`, `properties`, `items`) of a field.
fn shape(
    key: &str,
    observations: &[Observation<'_>],
    kinds: Kinds,
    context: &Context<'_>,
    conflicts: &mut Vec<Conflict>,
    notes: &mut Vec<String>,
) -> Result<Vec<(String, Node)>, Conflict> {
    let conflict = || Conflict {
        key: key.to_owned(),
        seen: kinds.describe(),
    };
    let number = kinds.integer || kinds.float;
    let expressible = kinds.non_null() <= 1 || (kinds.non_null() == 2 && kinds.text && number);
    if !expressible {
        return Err(conflict());
    }
    let with_null = |mut types: Vec<&str>| {
        if kinds.null {
            types.push("null");
        }
        match types.as_slice() {
            [one] => Node::text(one),
            _ => Node::Array(types.into_iter().map(Node::text).collect()),
        }
    };
    let mut out = Vec::new();
    if (kinds.object || kinds.array) && kinds.null {
        notes.push("also seen as null: make it nullable by hand if a null must round-trip".into());
    }
    if kinds.object {
        out.push(("type".to_owned(), Node::text("object")));
        out.push((
            "properties".to_owned(),
            Node::Object(members(key, observations, context, conflicts)),
        ));
    } else if kinds.array {
        out.push(("type".to_owned(), Node::text("array")));
        let elements: Vec<Observation<'_>> = observations
            .iter()
            .flat_map(|(file, value)| {
                value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(move |element| (*file, element))
            })
            .collect();
        if !elements.is_empty() {
            let element_kinds = Kinds::of(elements.iter().map(|(_, value)| *value));
            let mut element_notes = Vec::new();
            let items = shape(
                &format!("{key}[]"),
                &elements,
                element_kinds,
                context,
                conflicts,
                &mut element_notes,
            )?;
            notes.push(format!("items seen as {}", element_kinds.describe()));
            notes.extend(element_notes);
            out.push(("items".to_owned(), Node::Object(items)));
        }
    } else if kinds.text && number {
        out.push(("type".to_owned(), with_null(vec!["number", "string"])));
        notes.push(
            "seen both as number and as text: declared number-or-text (credkit_runtime::NumberOrText)"
                .into(),
        );
    } else if kinds.text {
        out.push(("type".to_owned(), with_null(vec!["string"])));
    } else if kinds.float {
        out.push(("type".to_owned(), with_null(vec!["number"])));
    } else if kinds.integer {
        out.push(("type".to_owned(), with_null(vec!["integer"])));
    } else if kinds.boolean {
        out.push(("type".to_owned(), with_null(vec!["boolean"])));
    } else {
        notes.push("only null seen: any JSON value accepted until a type is known".into());
    }
    if kinds.text {
        let texts = observations.iter().filter_map(|(_, value)| value.as_str());
        if let Some(format) = text_format(key, texts) {
            out.push(("x-credkit-format".to_owned(), Node::text(format.as_str())));
            notes.push(format!("every text fits x-credkit-format {format}: check"));
        }
    }
    Ok(out)
}

/// The members of the objects among `observations`, in the order first seen, each inferred
/// from all its values; members that cannot be declared go to `conflicts`.
fn members(
    key: &str,
    observations: &[Observation<'_>],
    context: &Context<'_>,
    conflicts: &mut Vec<Conflict>,
) -> Vec<(String, Node)> {
    let mut by_key: Vec<(&str, Vec<Observation<'_>>)> = Vec::new();
    for (file, value) in observations {
        for (member, member_value) in value.as_object().into_iter().flatten() {
            match by_key.iter_mut().find(|(name, _)| *name == member) {
                Some((_, values)) => values.push((*file, member_value)),
                None => by_key.push((member, vec![(*file, member_value)])),
            }
        }
    }
    let mut out = Vec::new();
    for (member, values) in by_key {
        match property(&format!("{key}.{member}"), &values, context, conflicts) {
            Ok(node) => out.push((member.to_owned(), node)),
            Err(conflict) => conflicts.push(conflict),
        }
    }
    out
}

/// Whether a key names a count (`loan_count`, `queryCnt`, `callNum`, `7day_times`).
fn names_a_count(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    ["count", "cnt", "num", "times"]
        .iter()
        .any(|word| key.ends_with(word))
}

/// The format every (non-absent) text fits, when the texts say so unambiguously: a date or
/// date-time with separators (`2016.07.25`, not `20160725`), a percent with `%`, a count under
/// a key that names one, an amount with a separator, decimal point, sign or `元`. Plain digits
/// alone (`1000`, a status code as much as a number) suggest no format.
fn text_format<'a>(key: &str, texts: impl Iterator<Item = &'a str>) -> Option<Format> {
    let present: Vec<&str> = texts.filter(|text| !format::is_absent(text)).collect();
    if present.is_empty() {
        return None;
    }
    let fits = |format: Format| {
        present
            .iter()
            .all(|text| matches!(format::parse(format, text), Ok(Some(_))))
    };
    let any = |marker: &dyn Fn(char) -> bool| present.iter().any(|text| text.chars().any(marker));
    let candidates: [(Format, bool); 5] = [
        (Format::DateTime, true),
        (Format::Date, any(&|c| !c.is_ascii_digit())),
        (Format::Percent, any(&|c| c == '%' || c == '％')),
        (Format::Count, names_a_count(key)),
        (
            Format::Amount,
            any(&|c| matches!(c, ',' | '，' | '.' | '+' | '-' | '元')),
        ),
    ];
    candidates
        .into_iter()
        .find(|(format, evident)| *evident && fits(*format))
        .map(|(format, _)| format)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn infer(key: &str, values: &[Value]) -> (Result<Value, Conflict>, Vec<Conflict>) {
        let observations: Vec<Observation<'_>> = values.iter().enumerate().collect();
        let files: Vec<String> = (0..values.len()).map(|i| format!("r{i}.json")).collect();
        let context = Context {
            files: &files,
            today: "2026-01-31",
        };
        let mut conflicts = Vec::new();
        let node = property(key, &observations, &context, &mut conflicts)
            .map(|node| serde_json::to_value(node).expect("json"));
        (node, conflicts)
    }

    fn schema(key: &str, values: &[Value]) -> Value {
        let (node, conflicts) = infer(key, values);
        assert!(conflicts.is_empty(), "{conflicts:?}");
        node.expect("declarable")
    }

    #[test]
    fn scalars_and_nullable_scalars() {
        assert_eq!(schema("a", &[json!("x")])["type"], json!("string"));
        assert_eq!(schema("a", &[json!(1), json!(2)])["type"], json!("integer"));
        assert_eq!(
            schema("a", &[json!(1), json!(2.5)])["type"],
            json!("number")
        );
        assert_eq!(schema("a", &[json!(true)])["type"], json!("boolean"));
        assert_eq!(
            schema("a", &[json!("x"), json!(null)])["type"],
            json!(["string", "null"])
        );
        let only_null = schema("a", &[json!(null)]);
        assert!(only_null.get("type").is_none(), "{only_null}");
    }

    #[test]
    fn text_and_number_become_number_or_text_and_say_so() {
        let node = schema("balance", &[json!("暂无数据"), json!(58)]);
        assert_eq!(node["type"], json!(["number", "string"]));
        let gloss = node["x-credkit-gloss"].as_str().expect("gloss");
        assert!(
            gloss.starts_with("TODO: English gloss — seen as text and number in 2 file(s)"),
            "{gloss}"
        );
        assert!(gloss.contains("number-or-text"), "{gloss}");
        assert_eq!(node["description"], json!(DESCRIPTION_TODO));
        assert_eq!(
            node["x-credkit-source"],
            json!("observed in r0.json, r1.json on 2026-01-31 (credkit audit --suggest)")
        );
    }

    #[test]
    fn nested_objects_declare_every_member_with_its_documentation() {
        let node = schema(
            "extra",
            &[
                json!({"a": 1, "inner": {"b": "x"}}),
                json!({"a": 2, "c": true}),
            ],
        );
        assert_eq!(node["type"], json!("object"));
        let properties = node["properties"].as_object().expect("properties");
        assert_eq!(properties.keys().collect::<Vec<_>>(), ["a", "c", "inner"]);
        assert_eq!(properties["a"]["type"], json!("integer"));
        assert_eq!(properties["c"]["type"], json!("boolean"));
        assert!(properties["c"]["x-credkit-source"]
            .as_str()
            .is_some_and(|s| s.starts_with("observed in r1.json on")));
        let inner = &properties["inner"]["properties"]["b"];
        for keyword in ["description", "x-credkit-gloss", "x-credkit-source"] {
            assert!(inner[keyword].is_string(), "{keyword} in {inner}");
        }
    }

    #[test]
    fn arrays_infer_items_from_every_element() {
        let node = schema("list", &[json!([{"x": 1}, {"y": "a"}]), json!([])]);
        assert_eq!(node["type"], json!("array"));
        assert_eq!(node["items"]["type"], json!("object"));
        assert_eq!(node["items"]["properties"]["x"]["type"], json!("integer"));
        assert_eq!(node["items"]["properties"]["y"]["type"], json!("string"));
        let empty = schema("list", &[json!([])]);
        assert!(empty.get("items").is_none(), "{empty}");
        let mixed = schema("list", &[json!([1, "2"])]);
        assert_eq!(mixed["items"]["type"], json!(["number", "string"]));
    }

    #[test]
    fn formats_are_declared_only_when_every_text_fits() {
        let format = |key: &str, values: &[Value]| schema(key, values)["x-credkit-format"].clone();
        assert_eq!(
            format(
                "d",
                &[json!("2016.07.25"), json!("--"), json!("2016年05月")]
            ),
            json!("date")
        );
        assert_eq!(
            format("t", &[json!("2016.08.26 14:32:22")]),
            json!("datetime")
        );
        assert_eq!(format("p", &[json!("12%"), json!("7.5")]), json!("percent"));
        assert_eq!(
            format("amt", &[json!("99,000"), json!("-27")]),
            json!("amount")
        );
        assert_eq!(
            format("loan_count", &[json!("36"), json!("1,024")]),
            json!("count")
        );
        assert_eq!(
            format("amt", &[json!("99,000"), json!(58)]),
            json!("amount")
        );
        // Plain digits, absent placeholders only, or one misfit: no format.
        assert_eq!(format("code", &[json!("1000")]), Value::Null);
        assert_eq!(format("d", &[json!("--")]), Value::Null);
        assert_eq!(
            format("d", &[json!("2016.07.25"), json!("soon")]),
            Value::Null
        );
    }

    #[test]
    fn an_object_in_one_file_and_a_scalar_in_another_is_a_conflict() {
        let (node, _) = infer("x", &[json!({"a": 1}), json!("text")]);
        assert_eq!(
            node.expect_err("conflict"),
            Conflict {
                key: "x".into(),
                seen: "text and object".into()
            }
        );
        assert!(infer("x", &[json!(true), json!(1)]).0.is_err());
        // A nested conflict leaves the member out and is reported; the rest is declared.
        let (node, conflicts) = infer("x", &[json!({"a": [1], "b": 1}), json!({"a": 2})]);
        let node = node.expect("declared");
        assert!(node["properties"].get("a").is_none(), "{node}");
        assert_eq!(node["properties"]["b"]["type"], json!("integer"));
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].key, "x.a");
    }
}
