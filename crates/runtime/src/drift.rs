//! Values that drift from what the documents say, tolerated and kept exactly.
//!
//! * [`Scalar`]: any JSON scalar where the schema documents one kind. Production consumers of
//!   these APIs (typically Java with fastjson, which coerces silently) send a date as epoch
//!   milliseconds or a count as `"12"`; a scalar of another kind than documented must not make
//!   the whole report unusable. The value is kept exactly as received for the round trip, the
//!   documented type is read through a typed accessor ([`Scalar::to_i64`], the generated
//!   `…_value()` methods), and `credkit audit` reports the value as mistyped. An object or an
//!   array where a scalar is documented still fails.
//! * [`PhpEmpty`]: an object or map that a PHP backend sends as `[]` when it is empty
//!   (`json_encode` of an empty array). `[]` is read as the empty value and written back as
//!   `[]`; a non-empty array still fails.
//!
//! Where each applies is declared in the schemas (`docs/schema-conventions.md`, "Drift").

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Number;

/// A JSON scalar exactly as received: text, number or boolean.
///
/// Read by JSON type in one step (no buffering, unlike a derived untagged enum): it sits on
/// hundreds of fields of every report.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum Scalar {
    /// A JSON string.
    Text(crate::Text),
    /// A JSON number, exactly as received.
    Number(Number),
    /// A JSON boolean.
    Bool(bool),
}

/// Reads a [`Scalar`] from any JSON scalar.
pub(crate) struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a text, a number or a boolean")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Scalar, E> {
        Ok(Scalar::Number(value.into()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Scalar, E> {
        Ok(Scalar::Number(value.into()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Scalar, E> {
        Number::from_f64(value)
            .map(Scalar::Number)
            .ok_or_else(|| E::custom("a number that is not finite"))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Scalar, E> {
        Ok(Scalar::Text(value.into()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Scalar, E> {
        Ok(Scalar::Text(value.into()))
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// A drifted scalar that cannot be read as its documented type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{found} cannot be read as {expected}", located(path))]
pub struct ScalarError {
    /// Where the value sits (the field, from a generated accessor); empty when unknown.
    pub path: crate::JsonPath,
    /// The documented type (`integer`, `number`, `boolean`).
    pub expected: &'static str,
    /// What was received, bounded.
    pub found: String,
}

fn located(path: &crate::JsonPath) -> String {
    if path.segments().is_empty() {
        String::new()
    } else {
        format!("{path}: ")
    }
}

impl Scalar {
    /// The value as text: a string as it is, a number or boolean as its JSON text.
    pub fn as_text(&self) -> Cow<'_, str> {
        match self {
            Scalar::Text(text) => Cow::Borrowed(text),
            Scalar::Number(number) => Cow::Owned(number.to_string()),
            Scalar::Bool(flag) => Cow::Borrowed(if *flag { "true" } else { "false" }),
        }
    }

    /// The value, borrowed.
    pub fn as_raw(&self) -> RawScalar<'_> {
        match self {
            Scalar::Text(text) => RawScalar::Text(text),
            Scalar::Number(number) => RawScalar::Number(number),
            Scalar::Bool(flag) => RawScalar::Bool(*flag),
        }
    }

    /// The value as a documented integer (see [`RawScalar::to_i64`]).
    pub fn to_i64(&self) -> Result<i64, ScalarError> {
        self.as_raw().to_i64()
    }

    /// The value as a documented number (see [`RawScalar::to_f64`]).
    pub fn to_f64(&self) -> Result<f64, ScalarError> {
        self.as_raw().to_f64()
    }

    /// The value as a documented number, exactly (see [`RawScalar::to_number`]).
    pub fn to_number(&self) -> Result<Number, ScalarError> {
        self.as_raw().to_number()
    }

    /// The value as a documented boolean (see [`RawScalar::to_bool`]).
    pub fn to_bool(&self) -> Result<bool, ScalarError> {
        self.as_raw().to_bool()
    }

    /// Whether the value is not of the documented kind `documented` (`string`, `integer`,
    /// `number`, `boolean`): a drifted value, which `credkit audit` reports as mistyped.
    pub fn drifted_from(&self, documented: &str) -> bool {
        !matches!(
            (self, documented),
            (Scalar::Text(_), "string")
                | (Scalar::Number(_), "number")
                | (Scalar::Bool(_), "boolean")
        ) && !matches!((self, documented), (Scalar::Number(n), "integer") if n.is_i64() || n.is_u64())
    }
}

/// A scalar as a generated field holds it, borrowed: text, a number or a boolean.
#[derive(Debug, Clone, Copy)]
pub enum RawScalar<'a> {
    /// Text.
    Text(&'a str),
    /// A number.
    Number(&'a Number),
    /// A boolean.
    Bool(bool),
}

impl RawScalar<'_> {
    /// The value as its text: a string as it is, a number or boolean as its JSON text.
    pub fn text(self) -> String {
        match self {
            RawScalar::Text(text) => text.to_owned(),
            RawScalar::Number(number) => number.to_string(),
            RawScalar::Bool(flag) => flag.to_string(),
        }
    }

    fn error(self, expected: &'static str) -> ScalarError {
        ScalarError {
            path: crate::JsonPath::default(),
            expected,
            found: match self {
                RawScalar::Text(text) => format!(
                    "text {}",
                    crate::bounded::shorten(text, crate::bounded::MAX_ECHO_BYTES).quoted()
                ),
                RawScalar::Number(number) => format!("number {number}"),
                RawScalar::Bool(flag) => format!("boolean {flag}"),
            },
        }
    }

    /// The value as a documented integer: a JSON integer, or text holding one (`"12"`,
    /// surrounding spaces ignored).
    pub fn to_i64(self) -> Result<i64, ScalarError> {
        match self {
            RawScalar::Number(number) => number.as_i64(),
            RawScalar::Text(text) => text.trim().parse().ok(),
            RawScalar::Bool(_) => None,
        }
        .ok_or_else(|| self.error("integer"))
    }

    /// The value as a documented number: a JSON number, or text holding one.
    pub fn to_f64(self) -> Result<f64, ScalarError> {
        match self {
            RawScalar::Number(number) => number.as_f64(),
            RawScalar::Text(text) => text.trim().parse().ok().filter(|v: &f64| v.is_finite()),
            RawScalar::Bool(_) => None,
        }
        .ok_or_else(|| self.error("number"))
    }

    /// The value as a documented number, exactly: a JSON number, or text holding one in JSON
    /// spelling (`"1.5"`, `"-27"`).
    pub fn to_number(self) -> Result<Number, ScalarError> {
        match self {
            RawScalar::Number(number) => Some(number.clone()),
            RawScalar::Text(text) => serde_json::from_str::<Number>(text.trim()).ok(),
            RawScalar::Bool(_) => None,
        }
        .ok_or_else(|| self.error("number"))
    }

    /// The value as a documented boolean: a JSON boolean, `0`/`1`, or the text `true`,
    /// `false`, `0`, `1`.
    pub fn to_bool(self) -> Result<bool, ScalarError> {
        match self {
            RawScalar::Bool(flag) => Some(flag),
            RawScalar::Number(number) => match number.as_u64() {
                Some(0) => Some(false),
                Some(1) => Some(true),
                _ => None,
            },
            RawScalar::Text(text) => match text.trim() {
                "true" | "1" => Some(true),
                "false" | "0" => Some(false),
                _ => None,
            },
        }
        .ok_or_else(|| self.error("boolean"))
    }
}

/// A generated field type that holds one scalar, however deep in `Option`s: `String`,
/// [`Scalar`], [`crate::NumberOrText`]. The typed accessors (`format::field::*`, and
/// [`integer`], [`number`], [`boolean`] here) read fields through it.
pub trait ScalarSource {
    /// The raw scalar, `None` when absent or `null`.
    fn raw(&self) -> Option<RawScalar<'_>>;
}

impl ScalarSource for String {
    fn raw(&self) -> Option<RawScalar<'_>> {
        Some(RawScalar::Text(self))
    }
}

impl ScalarSource for crate::Text {
    fn raw(&self) -> Option<RawScalar<'_>> {
        Some(RawScalar::Text(self))
    }
}

impl ScalarSource for Scalar {
    fn raw(&self) -> Option<RawScalar<'_>> {
        Some(self.as_raw())
    }
}

impl ScalarSource for crate::NumberOrText {
    fn raw(&self) -> Option<RawScalar<'_>> {
        Some(match self {
            crate::NumberOrText::Text(text) => RawScalar::Text(text),
            crate::NumberOrText::Number(number) => RawScalar::Number(number),
        })
    }
}

impl<T: ScalarSource> ScalarSource for Option<T> {
    fn raw(&self) -> Option<RawScalar<'_>> {
        self.as_ref().and_then(ScalarSource::raw)
    }
}

/// Reads a drift-tolerant field as `read` says, naming the field in the error; `None` when
/// absent or `null`.
fn documented<T>(
    wire: &str,
    field: &impl ScalarSource,
    read: impl FnOnce(RawScalar<'_>) -> Result<T, ScalarError>,
) -> Result<Option<T>, ScalarError> {
    field.raw().map(read).transpose().map_err(|mut error| {
        error.path = crate::JsonPath(vec![crate::PathSegment::Key(wire.to_owned())]);
        error
    })
}

/// A documented-integer field (generated `…_value()` accessors).
pub fn integer(wire: &str, field: &impl ScalarSource) -> Result<Option<i64>, ScalarError> {
    documented(wire, field, |raw| raw.to_i64())
}

/// A documented-number field (generated `…_value()` accessors).
pub fn number(wire: &str, field: &impl ScalarSource) -> Result<Option<Number>, ScalarError> {
    documented(wire, field, |raw| raw.to_number())
}

/// A documented-boolean field (generated `…_value()` accessors).
pub fn boolean(wire: &str, field: &impl ScalarSource) -> Result<Option<bool>, ScalarError> {
    documented(wire, field, |raw| raw.to_bool())
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_text())
    }
}

/// An object or map that may arrive as `[]` when empty (PHP's `json_encode` of an empty
/// array). Dereferences to the value; `[]` reads as `T::default()` and is written back as `[]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PhpEmpty<T> {
    value: T,
    empty_list: bool,
}

impl<T> PhpEmpty<T> {
    /// A value that was (or is to be written as) an object.
    pub fn new(value: T) -> Self {
        PhpEmpty {
            value,
            empty_list: false,
        }
    }

    /// Whether it arrived as `[]`.
    pub fn was_empty_list(&self) -> bool {
        self.empty_list
    }

    /// The value.
    pub fn into_inner(self) -> T {
        self.value
    }
}

impl<T> std::ops::Deref for PhpEmpty<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> std::ops::DerefMut for PhpEmpty<T> {
    /// Changing the value makes it an object again when written.
    fn deref_mut(&mut self) -> &mut T {
        self.empty_list = false;
        &mut self.value
    }
}

impl<T: Serialize> Serialize for PhpEmpty<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.empty_list {
            use serde::ser::SerializeSeq;
            serializer.serialize_seq(Some(0))?.end()
        } else {
            self.value.serialize(serializer)
        }
    }
}

impl<'de, T: Deserialize<'de> + Default> Deserialize<'de> for PhpEmpty<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectOrEmptyList<T>(std::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de> + Default> Visitor<'de> for ObjectOrEmptyList<T> {
            type Value = PhpEmpty<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object, or [] for an empty one")
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(PhpEmpty::new)
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                if seq.next_element::<de::IgnoredAny>()?.is_some() {
                    return Err(de::Error::invalid_length(1, &"[] for an empty object"));
                }
                Ok(PhpEmpty {
                    value: T::default(),
                    empty_list: true,
                })
            }
        }

        deserializer.deserialize_any(ObjectOrEmptyList(std::marker::PhantomData))
    }
}

impl<T: schemars::JsonSchema> schemars::JsonSchema for PhpEmpty<T> {
    fn schema_name() -> String {
        format!("PhpEmpty_{}", T::schema_name())
    }

    fn json_schema(generator: &mut schemars::gen::SchemaGenerator) -> schemars::schema::Schema {
        use schemars::schema::{
            ArrayValidation, InstanceType, Schema, SchemaObject, SubschemaValidation,
        };
        let empty_list = SchemaObject {
            instance_type: Some(InstanceType::Array.into()),
            array: Some(Box::new(ArrayValidation {
                max_items: Some(0),
                ..Default::default()
            })),
            ..Default::default()
        };
        Schema::Object(SchemaObject {
            subschemas: Some(Box::new(SubschemaValidation {
                any_of: Some(vec![
                    generator.subschema_for::<T>(),
                    Schema::Object(empty_list),
                ]),
                ..Default::default()
            })),
            ..Default::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn scalars_keep_what_came_and_read_as_documented() {
        for text in [
            r#""12""#,
            "12",
            "true",
            r#""2016.07""#,
            "1461628800000",
            "1.5",
        ] {
            let value: Scalar = serde_json::from_str(text).expect("a scalar");
            assert_eq!(serde_json::to_string(&value).expect("writes"), text);
        }
        let count: Scalar = serde_json::from_str(r#"" 12 ""#).expect("text");
        assert_eq!(count.to_i64(), Ok(12));
        assert!(count.drifted_from("integer"));
        let number: Scalar = serde_json::from_str("12").expect("number");
        assert!(!number.drifted_from("integer"));
        assert!(number.drifted_from("string"));
        let text: Scalar = serde_json::from_str(r#""暂无数据""#).expect("text");
        let error = text.to_i64().expect_err("not an integer");
        assert_eq!(
            error.to_string(),
            "text \"暂无数据\" cannot be read as integer"
        );
        let flag: Scalar = serde_json::from_str(r#""1""#).expect("text");
        assert_eq!(flag.to_bool(), Ok(true));
        assert!(
            serde_json::from_str::<Scalar>("{}").is_err(),
            "objects still fail"
        );
        assert!(
            serde_json::from_str::<Scalar>("[1]").is_err(),
            "arrays still fail"
        );
    }

    #[test]
    fn php_empty_lists_round_trip() {
        type Tags = PhpEmpty<BTreeMap<String, i64>>;
        let empty: Tags = serde_json::from_str("[]").expect("[] is empty");
        assert!(empty.is_empty() && empty.was_empty_list());
        assert_eq!(serde_json::to_string(&empty).expect("writes"), "[]");
        let full: Tags = serde_json::from_str(r#"{"a":1}"#).expect("an object");
        assert_eq!(full.get("a"), Some(&1));
        assert_eq!(serde_json::to_string(&full).expect("writes"), r#"{"a":1}"#);
        let object: Tags = serde_json::from_str("{}").expect("{}");
        assert_eq!(serde_json::to_string(&object).expect("writes"), "{}");
        assert!(
            serde_json::from_str::<Tags>("[1]").is_err(),
            "a non-empty list fails"
        );
        assert!(
            serde_json::from_str::<Tags>(r#""x""#).is_err(),
            "text fails"
        );
    }
}
