//! JSON Patch (RFC 6902) `add` operations on a schema file, and applying them to the file's
//! *text*.
//!
//! The schema files are hand-formatted (2-space indentation, keys in authoring order:
//! `description`, `x-credkit-gloss`, `x-credkit-source`, `type`, …). Applying a patch to a
//! parsed `serde_json::Value` and printing it again would sort every key of the file, since the
//! workspace's `serde_json` is built without `preserve_order` — and turning that feature on
//! here would turn it on for every crate built with this one (features unify), changing the
//! generator's iteration order. So the patch is applied to the text: each member is inserted
//! just before the closing brace of its object, found with `serde_json::value::RawValue`
//! (which borrows the exact byte span of each value), and nothing else of the file changes.
//! The result is then checked against the `json-patch` crate applying the same patch to the
//! parsed file: both must give the same document.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::value::RawValue;
use serde_json::Value;

/// A JSON value that keeps its members in the order written (the suggested schemas' keys in
/// authoring order), whatever `serde_json::Map` does.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A string.
    Text(String),
    /// An array.
    Array(Vec<Node>),
    /// An object, members in order.
    Object(Vec<(String, Node)>),
}

impl Node {
    /// A string node.
    pub fn text(text: &str) -> Node {
        Node::Text(text.to_owned())
    }
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Text(text) => serializer.serialize_str(text),
            Node::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Node::Object(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (key, value) in members {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

/// One RFC 6902 `add` operation.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AddOp {
    /// Always `"add"`.
    pub op: &'static str,
    /// JSON pointer of the new member (`/$defs/Loan/properties/newField`).
    pub path: String,
    /// The new member's value.
    pub value: Node,
}

impl AddOp {
    /// An `add` of `value` at `path`.
    pub fn new(path: String, value: Node) -> Self {
        AddOp {
            op: "add",
            path,
            value,
        }
    }
}

/// Why a patch could not be applied to a file's text.
#[derive(Debug, thiserror::Error)]
pub enum PatchError {
    /// The file is not JSON.
    #[error("the file is not JSON: {0}")]
    NotJson(serde_json::Error),
    /// The operation's parent is not an object of the file, or the member exists already.
    #[error("cannot add {path}: {why}")]
    Target {
        /// The operation's path.
        path: String,
        /// Why.
        why: &'static str,
    },
    /// The text edit and the `json-patch` crate disagree (a credkit bug; nothing is written).
    #[error("the edited text does not match the patched document ({0})")]
    Mismatch(String),
}

/// `text` (a JSON document) with every operation applied, formatted like the file:
/// members indented two spaces deeper than their object's opening line.
pub fn apply_to_text(text: &str, ops: &[AddOp]) -> Result<String, PatchError> {
    let mut text = text.to_owned();
    for op in ops {
        let (parent, key) = split_last(&op.path).ok_or(PatchError::Target {
            path: op.path.clone(),
            why: "the path names no member",
        })?;
        let target = |why| PatchError::Target {
            path: op.path.clone(),
            why,
        };
        let span = object_span(&text, &parent)?.ok_or(target("its parent is not an object"))?;
        let object: serde_json::Map<String, Value> =
            serde_json::from_str(&text[span.clone()]).map_err(PatchError::NotJson)?;
        if object.contains_key(&key) {
            return Err(target("the member exists already"));
        }
        let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
        let base: String = text[line_start..]
            .chars()
            .take_while(|c| *c == ' ')
            .collect();
        let indent = format!("{base}  ");
        let value = serde_json::to_string_pretty(&op.value)
            .map_err(PatchError::NotJson)?
            .replace('\n', &format!("\n{indent}"));
        let key = serde_json::to_string(&key).map_err(PatchError::NotJson)?;
        let member = format!("{indent}{key}: {value}");
        let close = span.end - 1; // the `}`
        let inner = &text[span.start + 1..close];
        match inner.trim_end().len() {
            0 => text.replace_range(span.start..span.end, &format!("{{\n{member}\n{base}}}")),
            last => text.insert_str(span.start + 1 + last, &format!(",\n{member}")),
        }
    }
    Ok(text)
}

/// [`apply_to_text`], checked: the edited text must parse to exactly what the `json-patch`
/// crate makes of the parsed original and the same operations.
pub fn apply_checked(text: &str, ops: &[AddOp]) -> Result<String, PatchError> {
    let edited = apply_to_text(text, ops)?;
    let mut expected: Value = serde_json::from_str(text).map_err(PatchError::NotJson)?;
    let patch: json_patch::Patch = serde_json::to_value(ops)
        .and_then(serde_json::from_value)
        .map_err(PatchError::NotJson)?;
    json_patch::patch(&mut expected, &patch).map_err(|e| PatchError::Mismatch(e.to_string()))?;
    let actual: Value = serde_json::from_str(&edited).map_err(PatchError::NotJson)?;
    if actual != expected {
        return Err(PatchError::Mismatch("documents differ".into()));
    }
    Ok(edited)
}

/// A pointer's parent and last token, unescaped.
fn split_last(pointer: &str) -> Option<(String, String)> {
    let (parent, last) = pointer.rsplit_once('/')?;
    Some((
        parent.to_owned(),
        last.replace("~1", "/").replace("~0", "~"),
    ))
}

/// The byte span of the object at `pointer` in `text`, `None` when there is none.
fn object_span(text: &str, pointer: &str) -> Result<Option<std::ops::Range<usize>>, PatchError> {
    let root: &RawValue = serde_json::from_str(text).map_err(PatchError::NotJson)?;
    let mut raw = root;
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        let child = match raw.get().trim_start().as_bytes().first() {
            Some(b'{') => {
                let members: Vec<(String, &RawValue)> =
                    serde_json::from_str::<MembersInOrder<'_>>(raw.get())
                        .map_err(PatchError::NotJson)?
                        .0;
                members
                    .into_iter()
                    .rev()
                    .find(|(key, _)| *key == token)
                    .map(|(_, v)| v)
            }
            Some(b'[') => {
                let items: Vec<&RawValue> =
                    serde_json::from_str(raw.get()).map_err(PatchError::NotJson)?;
                token
                    .parse::<usize>()
                    .ok()
                    .and_then(|index| items.get(index).copied())
            }
            _ => None,
        };
        match child {
            Some(child) => raw = child,
            None => return Ok(None),
        }
    }
    let slice = raw.get().trim();
    if !slice.starts_with('{') {
        return Ok(None);
    }
    // `raw` borrows from `text`: its offset is the distance between the two.
    let start = slice.as_ptr() as usize - text.as_ptr() as usize;
    Ok(Some(start..start + slice.len()))
}

/// An object's members as borrowed raw values, in document order.
struct MembersInOrder<'a>(Vec<(String, &'a RawValue)>);

impl<'de> serde::Deserialize<'de> for MembersInOrder<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = MembersInOrder<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry::<String, &'de RawValue>()? {
                    members.push(member);
                }
                Ok(MembersInOrder(members))
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn property(gloss: &str) -> Node {
        Node::Object(vec![
            ("description".into(), Node::text("说明")),
            ("x-credkit-gloss".into(), Node::text(gloss)),
            (
                "type".into(),
                Node::Array(vec![Node::text("number"), Node::text("string")]),
            ),
        ])
    }

    const FILE: &str = "{\n  \"title\": \"T\",\n  \"properties\": {\n    \"z\": {\n      \"type\": \"string\"\n    }\n  },\n  \"$defs\": {\n    \"A/B\": {\n      \"type\": \"object\",\n      \"properties\": {}\n    }\n  }\n}\n";

    #[test]
    fn members_are_inserted_in_the_files_layout_and_nothing_else_changes() {
        let ops = [
            AddOp::new("/properties/new~1key".into(), property("g")),
            AddOp::new("/$defs/A~1B/properties/a".into(), Node::text("x")),
            AddOp::new("/$defs/A~1B/properties/b".into(), Node::text("y")),
        ];
        let edited = apply_checked(FILE, &ops).expect("applied");
        assert_eq!(
            edited,
            "{\n  \"title\": \"T\",\n  \"properties\": {\n    \"z\": {\n      \"type\": \"string\"\n    },\n    \"new/key\": {\n      \"description\": \"说明\",\n      \"x-credkit-gloss\": \"g\",\n      \"type\": [\n        \"number\",\n        \"string\"\n      ]\n    }\n  },\n  \"$defs\": {\n    \"A/B\": {\n      \"type\": \"object\",\n      \"properties\": {\n        \"a\": \"x\",\n        \"b\": \"y\"\n      }\n    }\n  }\n}\n"
        );
    }

    #[test]
    fn a_missing_properties_object_is_added_whole() {
        let file = "{\n  \"type\": \"object\"\n}\n";
        let ops = [AddOp::new(
            "/properties".into(),
            Node::Object(vec![("a".into(), Node::text("x"))]),
        )];
        assert_eq!(
            apply_checked(file, &ops).expect("applied"),
            "{\n  \"type\": \"object\",\n  \"properties\": {\n    \"a\": \"x\"\n  }\n}\n"
        );
    }

    #[test]
    fn existing_members_and_missing_parents_are_refused() {
        let exists = [AddOp::new("/properties/z".into(), Node::text("x"))];
        assert!(matches!(
            apply_to_text(FILE, &exists),
            Err(PatchError::Target { .. })
        ));
        let nowhere = [AddOp::new("/nothing/properties/a".into(), Node::text("x"))];
        assert!(matches!(
            apply_to_text(FILE, &nowhere),
            Err(PatchError::Target { .. })
        ));
        let not_object = [AddOp::new("/title/a".into(), Node::text("x"))];
        assert!(matches!(
            apply_to_text(FILE, &not_object),
            Err(PatchError::Target { .. })
        ));
    }
}
