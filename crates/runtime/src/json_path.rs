//! A location inside a JSON document, as reported by parse errors and ignored-field lists.

use std::fmt;

use crate::bounded::{shorten, MAX_ECHO_BYTES};

/// One step of a [`JsonPath`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathSegment {
    /// A member of an object, by its key exactly as it appears on the wire.
    Key(String),
    /// An element of an array.
    Index(usize),
}

/// A location inside a JSON document, e.g. `loans[0].overdueRecordSummary["records "]`.
///
/// Keys that are plain identifiers are printed after a dot; any other key (one with spaces,
/// a leading digit, punctuation) is printed quoted in brackets so that it stays unambiguous.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JsonPath(pub Vec<PathSegment>);

impl JsonPath {
    /// The segments from the document root down.
    pub fn segments(&self) -> &[PathSegment] {
        &self.0
    }

    /// Whether this is the document root.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn from_tracked(path: &serde_path_to_error::Path) -> Self {
        use serde_path_to_error::Segment;
        JsonPath(
            path.iter()
                .filter_map(|segment| match segment {
                    Segment::Seq { index } => Some(PathSegment::Index(*index)),
                    Segment::Map { key } => Some(PathSegment::Key(key.clone())),
                    Segment::Enum { .. } | Segment::Unknown => None,
                })
                .collect(),
        )
    }

    /// Removes the value at this path from `value`; returns whether something was removed.
    pub fn remove_from(&self, value: &mut serde_json::Value) -> bool {
        let Some((last, parents)) = self.0.split_last() else {
            return false;
        };
        let mut current = value;
        for segment in parents {
            let next = match (segment, current) {
                (PathSegment::Key(key), serde_json::Value::Object(map)) => map.get_mut(key),
                (PathSegment::Index(index), serde_json::Value::Array(items)) => {
                    items.get_mut(*index)
                }
                _ => None,
            };
            match next {
                Some(next) => current = next,
                None => return false,
            }
        }
        match (last, current) {
            (PathSegment::Key(key), serde_json::Value::Object(map)) => map.remove(key).is_some(),
            _ => false,
        }
    }
}

fn is_plain_key(key: &str) -> bool {
    let mut chars = key.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// Paths with more segments than this are displayed with the middle elided.
const MAX_DISPLAYED_SEGMENTS: usize = 32;

impl fmt::Display for JsonPath {
    /// The path as text, bounded whatever the payload: a key longer than
    /// [`MAX_ECHO_BYTES`](crate::bounded::MAX_ECHO_BYTES) is shown cut and quoted, with its
    /// length (`["aaaa…" (10485760 bytes)]`), and of a path of more than 32 segments only the
    /// first and last 16 are shown, around `[…N more…]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("$");
        }
        let count = self.0.len();
        let half = MAX_DISPLAYED_SEGMENTS / 2;
        for (position, segment) in self.0.iter().enumerate() {
            if count > MAX_DISPLAYED_SEGMENTS && position >= half && position < count - half {
                if position == half {
                    write!(f, "[…{} more…]", count - 2 * half)?;
                }
                continue;
            }
            match segment {
                PathSegment::Key(key) if is_plain_key(key) && key.len() <= MAX_ECHO_BYTES => {
                    if position > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(key)?;
                }
                PathSegment::Key(key) => write!(f, "[{}]", shorten(key, MAX_ECHO_BYTES).quoted())?,
                PathSegment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(segments: Vec<PathSegment>) -> JsonPath {
        JsonPath(segments)
    }

    #[test]
    fn displays_plain_and_odd_keys() {
        let p = path(vec![
            PathSegment::Key("loans".into()),
            PathSegment::Index(0),
            PathSegment::Key("overdueRecordSummary".into()),
            PathSegment::Key("records ".into()),
            PathSegment::Key("7day_times".into()),
        ]);
        assert_eq!(
            p.to_string(),
            r#"loans[0].overdueRecordSummary["records "]["7day_times"]"#
        );
        assert_eq!(JsonPath::default().to_string(), "$");
    }

    #[test]
    fn long_keys_and_deep_paths_display_bounded() {
        let key = "k".repeat(10 * 1024 * 1024);
        let p = path(vec![PathSegment::Key(key.clone()), PathSegment::Index(1)]);
        assert_eq!(
            p.to_string(),
            format!("[\"{}…\" (10485760 bytes)][1]", "k".repeat(MAX_ECHO_BYTES))
        );
        let deep = path(vec![
            PathSegment::Key("x".repeat(MAX_ECHO_BYTES + 1));
            10_000
        ]);
        let shown = deep.to_string();
        assert!(shown.len() < 4096, "{}", shown.len());
        assert!(shown.contains("[…9968 more…]"), "{shown}");
        let p = path((0..33).map(PathSegment::Index).collect());
        assert!(p.to_string().starts_with("[0][1]"));
        assert!(p.to_string().contains("[15][…1 more…][17]"), "{p}");
    }

    #[test]
    fn removes_nested_member() {
        let mut value = serde_json::json!({"a": [{"b": 1, "c": 2}]});
        let p = path(vec![
            PathSegment::Key("a".into()),
            PathSegment::Index(0),
            PathSegment::Key("c".into()),
        ]);
        assert!(p.remove_from(&mut value));
        assert_eq!(value, serde_json::json!({"a": [{"b": 1}]}));
        assert!(!p.remove_from(&mut value));
    }
}
