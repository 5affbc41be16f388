//! Values that a vendor documents as one JSON type but sometimes sends as text.

use std::fmt;

use schemars::gen::SchemaGenerator;
use schemars::schema::{InstanceType, Metadata, Schema, SchemaObject, SingleOrVec};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Number, Value};

/// A value documented as a number that the vendor may send as text.
///
/// Dianhua documents such fields as `float/string` and writes `暂无数据` ("no data"),
/// `未出账单` ("no bill yet"), `运营商未透露` ("not disclosed by the carrier") or `--` in place
/// of a number; credit reports print amounts as `"50,000"`. Both forms are kept exactly as
/// received: a number keeps its JSON spelling (`58` stays `58`, `58.0` stays `58.0`) and text is
/// never reinterpreted, so serialising gives back the original value.
#[derive(Debug, Clone, PartialEq)]
pub enum NumberOrText {
    /// A JSON number, exactly as received.
    Number(Number),
    /// A JSON string, exactly as received.
    Text(crate::Text),
}

impl NumberOrText {
    /// The number, when the vendor sent a JSON number.
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            NumberOrText::Number(number) => Some(number),
            NumberOrText::Text(_) => None,
        }
    }

    /// The text, when the vendor sent a string.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            NumberOrText::Number(_) => None,
            NumberOrText::Text(text) => Some(text),
        }
    }

    /// The numeric value: a JSON number, or text that spells a number once thousands
    /// separators and surrounding spaces are removed (`"50,000"`, `" 12.5 "`). `None` for
    /// sentinels such as `暂无数据` or `--`.
    pub fn to_f64(&self) -> Option<f64> {
        match self {
            NumberOrText::Number(number) => number.as_f64(),
            NumberOrText::Text(text) => {
                let cleaned: String = text
                    .trim()
                    .chars()
                    .filter(|c| *c != ',' && *c != '，')
                    .collect();
                if cleaned.is_empty() || !cleaned.chars().any(|c| c.is_ascii_digit()) {
                    return None;
                }
                cleaned
                    .parse::<f64>()
                    .ok()
                    .filter(|value| value.is_finite())
            }
        }
    }
}

impl fmt::Display for NumberOrText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NumberOrText::Number(number) => fmt::Display::fmt(number, f),
            NumberOrText::Text(text) => f.write_str(text),
        }
    }
}

impl From<Number> for NumberOrText {
    fn from(number: Number) -> Self {
        NumberOrText::Number(number)
    }
}

impl From<i64> for NumberOrText {
    fn from(number: i64) -> Self {
        NumberOrText::Number(number.into())
    }
}

impl From<&str> for NumberOrText {
    fn from(text: &str) -> Self {
        NumberOrText::Text(text.into())
    }
}

impl From<String> for NumberOrText {
    fn from(text: String) -> Self {
        NumberOrText::Text(text.into())
    }
}

impl Serialize for NumberOrText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            NumberOrText::Number(number) => number.serialize(serializer),
            NumberOrText::Text(text) => serializer.serialize_str(text),
        }
    }
}

impl<'de> Deserialize<'de> for NumberOrText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumberOrTextVisitor;

        impl<'de> Visitor<'de> for NumberOrTextVisitor {
            type Value = NumberOrText;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or a text")
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
                Ok(NumberOrText::Number(value.into()))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
                Ok(NumberOrText::Number(value.into()))
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
                Number::from_f64(value)
                    .map(NumberOrText::Number)
                    .ok_or_else(|| E::custom("a number that is not finite"))
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
                Ok(NumberOrText::Text(value.into()))
            }

            fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
                Ok(NumberOrText::Text(value.into()))
            }
        }

        deserializer.deserialize_any(NumberOrTextVisitor)
    }
}

fn union_schema(types: Vec<InstanceType>, description: &str) -> Schema {
    Schema::Object(SchemaObject {
        instance_type: Some(SingleOrVec::Vec(types)),
        metadata: Some(Box::new(Metadata {
            description: Some(description.to_owned()),
            ..Default::default()
        })),
        ..Default::default()
    })
}

impl schemars::JsonSchema for NumberOrText {
    fn schema_name() -> String {
        "NumberOrText".to_owned()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        union_schema(
            vec![InstanceType::Number, InstanceType::String],
            "A number, or the text a vendor writes in its place.",
        )
    }
}

/// A value documented as an object that the vendor may send as text (`object/string` in
/// Dianhua's tables). Both forms are kept exactly as received.
///
/// Serialised untagged (the object or the string as it is). Deserialised by looking at the
/// JSON type once, not by trying each form in turn: an untagged derive would buffer the value
/// and, for every text, format an error with the whole text before accepting it (measured: most
/// of the cost of `dianhua/calls-report`'s fields of this type).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ObjectOrText {
    /// A JSON object, exactly as received.
    Object(Map<String, Value>),
    /// A JSON string, exactly as received.
    Text(String),
}

impl<'de> Deserialize<'de> for ObjectOrText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectOrTextVisitor;

        impl<'de> Visitor<'de> for ObjectOrTextVisitor {
            type Value = ObjectOrText;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object or a text")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
                Ok(ObjectOrText::Text(value.to_owned()))
            }

            fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
                Ok(ObjectOrText::Text(value))
            }

            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                Map::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(ObjectOrText::Object)
            }
        }

        deserializer.deserialize_any(ObjectOrTextVisitor)
    }
}

impl ObjectOrText {
    /// The object, when the vendor sent one.
    pub fn as_object(&self) -> Option<&Map<String, Value>> {
        match self {
            ObjectOrText::Object(object) => Some(object),
            ObjectOrText::Text(_) => None,
        }
    }

    /// The text, when the vendor sent a string.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            ObjectOrText::Object(_) => None,
            ObjectOrText::Text(text) => Some(text),
        }
    }
}

impl schemars::JsonSchema for ObjectOrText {
    fn schema_name() -> String {
        "ObjectOrText".to_owned()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        union_schema(
            vec![InstanceType::Object, InstanceType::String],
            "An object, or the text a vendor writes in its place.",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(json: &str) -> String {
        let value: NumberOrText = serde_json::from_str(json).expect("parses");
        serde_json::to_string(&value).expect("serialises")
    }

    #[test]
    fn keeps_number_spelling_and_text() {
        for json in [
            "58",
            "58.0",
            "-3",
            "0.25",
            "\"暂无数据\"",
            "\"--\"",
            "\"50,000\"",
        ] {
            assert_eq!(round_trip(json), json);
        }
    }

    #[test]
    fn numeric_value_of_text() {
        let text = |s: &str| NumberOrText::Text(s.into());
        assert_eq!(text("50,000").to_f64(), Some(50000.0));
        assert_eq!(text(" 12.5 ").to_f64(), Some(12.5));
        assert_eq!(text("暂无数据").to_f64(), None);
        assert_eq!(text("--").to_f64(), None);
        assert_eq!(text("").to_f64(), None);
        assert_eq!(NumberOrText::from(7).to_f64(), Some(7.0));
    }

    #[test]
    fn rejects_other_json_types() {
        assert!(serde_json::from_str::<NumberOrText>("[1]").is_err());
        assert!(serde_json::from_str::<NumberOrText>("true").is_err());
    }

    #[test]
    fn object_or_text() {
        let object: ObjectOrText = serde_json::from_str(r#"{"a":1}"#).expect("object");
        assert!(object.as_object().is_some());
        let text: ObjectOrText = serde_json::from_str(r#""暂无数据""#).expect("text");
        assert_eq!(text.as_text(), Some("暂无数据"));
        for json in [
            r#"{"a":[1,{"b":null}],"c":"d"}"#,
            r#""暂无数据""#,
            "{}",
            r#""""#,
        ] {
            let value: ObjectOrText = serde_json::from_str(json).expect("parses");
            assert_eq!(serde_json::to_string(&value).expect("serialises"), json);
        }
        for json in ["1", "[]", "null", "true"] {
            let error = serde_json::from_str::<ObjectOrText>(json).expect_err(json);
            assert!(
                error.to_string().contains("expected an object or a text"),
                "{error}"
            );
        }
    }
}
