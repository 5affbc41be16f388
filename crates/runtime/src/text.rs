//! [`Text`]: the leaf text of the generated models.
//!
//! A credit report holds thousands of short values (dates, amounts, codes, institution names);
//! as `String`s each costs a heap allocation on parse and a free on drop, which the profile of
//! the typed parse put at about a fifth of its time. `Text` keeps up to 24 bytes inline (eight
//! Chinese characters, any date or amount) and allocates only for longer values, with the same
//! size as `String` (`Option<Text>` too). It reads as `&str` ([`Deref`]), and serializes and
//! deserializes exactly as `String` does, so the wire format and the round trip are unchanged.

use std::borrow::{Borrow, Cow};
use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

use compact_str::CompactString;
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// Text as received, stored inline up to 24 bytes: the type of text in generated model fields.
///
/// A report holds thousands of short values (dates, amounts, codes); as `String`s each would
/// cost a heap allocation on parse and a free on drop. Longer text is stored on the heap, as a
/// `String` would be. The size is that of a `String`, `Option<Text>` included.
///
/// Use it as a `&str` (`&*text`, [`Text::as_str`], or any `str` method through [`Deref`]);
/// build one with `Text::from("…")` or `"…".into()`; turn it into a `String` with
/// [`Text::into_string`] or `String::from`.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(CompactString);

impl Text {
    /// The empty text.
    pub const fn new() -> Self {
        Text(CompactString::const_new(""))
    }

    /// The text as a `&str`.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The text as a `String` (allocates when the text is inline).
    pub fn into_string(self) -> String {
        self.0.into_string()
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.0.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.0.as_str()
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl From<&str> for Text {
    #[inline]
    fn from(text: &str) -> Self {
        Text(CompactString::from(text))
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        Text(CompactString::from(text))
    }
}

impl From<&String> for Text {
    fn from(text: &String) -> Self {
        Text::from(text.as_str())
    }
}

impl From<Cow<'_, str>> for Text {
    fn from(text: Cow<'_, str>) -> Self {
        Text(CompactString::from(text))
    }
}

impl From<Text> for String {
    fn from(text: Text) -> Self {
        text.into_string()
    }
}

impl FromStr for Text {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Text::from(text))
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Text {
    #[inline]
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TextVisitor)
    }
}

/// Reads a [`Text`] from a JSON string (as `String` does: other types are refused with
/// "expected a string").
pub(crate) struct TextVisitor;

impl<'de> de::Visitor<'de> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    #[inline]
    fn visit_str<E: de::Error>(self, value: &str) -> Result<Text, E> {
        Ok(Text::from(value))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Text, E> {
        Ok(Text::from(value))
    }
}

impl schemars::JsonSchema for Text {
    fn is_referenceable() -> bool {
        false
    }

    fn schema_name() -> String {
        String::schema_name()
    }

    fn json_schema(generator: &mut schemars::gen::SchemaGenerator) -> schemars::schema::Schema {
        String::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_text_read_and_write_like_a_string() {
        for text in [
            "",
            "2016.08.26",
            "中国工商银行股份有限公司北京分行",
            "a\"b\\c\u{1}",
        ] {
            let json = serde_json::to_string(text).unwrap();
            let parsed: Text = serde_json::from_str(&json).unwrap();
            assert_eq!(parsed, text);
            assert_eq!(serde_json::to_string(&parsed).unwrap(), json);
            assert_eq!(format!("{parsed:?}"), format!("{text:?}"));
            assert_eq!(parsed.to_string(), text);
            assert_eq!(String::from(parsed.clone()), text);
        }
    }

    #[test]
    fn other_json_types_are_refused_as_for_a_string() {
        for json in ["12", "true", "null", "{}", "[]"] {
            assert!(serde_json::from_str::<Text>(json).is_err(), "{json}");
            assert!(serde_json::from_str::<String>(json).is_err(), "{json}");
        }
    }

    #[test]
    fn same_size_as_a_string() {
        assert_eq!(size_of::<Text>(), size_of::<String>());
        assert_eq!(size_of::<Option<Text>>(), size_of::<String>());
        // Text's spare bytes hold the other variants: the scalar types of every report field
        // are a String's size too (with `String` inside they were a third larger), which the
        // typed parse pays for in every struct it moves.
        assert_eq!(size_of::<Option<crate::Scalar>>(), size_of::<String>());
        assert_eq!(
            size_of::<Option<crate::NumberOrText>>(),
            size_of::<String>()
        );
    }

    #[test]
    fn schema_is_a_string_schema() {
        let text = schemars::schema_for!(Text);
        let string = schemars::schema_for!(String);
        assert_eq!(
            serde_json::to_value(text).unwrap(),
            serde_json::to_value(string).unwrap()
        );
    }
}
