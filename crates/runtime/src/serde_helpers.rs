//! serde adapters that generated code refers to by path.

/// For an optional field that the vendor may also send as `null`:
/// `Option<Option<T>>` where the outer `None` means "absent" and `Some(None)` means
/// "explicitly `null`", so that both survive a round trip. Use with
/// `#[serde(default, skip_serializing_if = "Option::is_none", with = "…::double_option")]`.
pub mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Reads a present value: `null` becomes `Some(None)`.
    pub fn deserialize<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
    where
        T: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        Option::<T>::deserialize(deserializer).map(Some)
    }

    /// Writes `Some(None)` as `null`; `None` is skipped by `skip_serializing_if`.
    pub fn serialize<T, S>(value: &Option<Option<T>>, serializer: S) -> Result<S::Ok, S::Error>
    where
        T: Serialize,
        S: Serializer,
    {
        match value {
            Some(inner) => inner.serialize(serializer),
            None => serializer.serialize_none(),
        }
    }
}

/// Generates the `deserialize_with` function `$name` for an optional field of `$ty`
/// (`Option<$ty>`, with `#[serde(default)]` so that an absent field is `None`): `null` is
/// `None` and any value is read with one `deserialize_any`, instead of serde's
/// `deserialize_option` followed by the value's own request. `$visit` reads the value: the
/// methods listed are forwarded to it, anything else is refused by it with its own message.
macro_rules! optional_reader {
    ($(#[$doc:meta])* $name:ident, $ty:ty, $visit:expr, [$($method:ident: $arg:ty),*]) => {
        $(#[$doc])*
        ///
        /// # Errors
        ///
        /// Whatever the value's own type refuses, with the same message.
        pub fn $name<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<$ty>, D::Error> {
            struct Optional;

            impl<'de> Visitor<'de> for Optional {
                type Value = Option<$ty>;

                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    $visit.expecting(f)
                }

                fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                    Ok(None)
                }

                fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                    Ok(None)
                }

                fn visit_some<D: Deserializer<'de>>(
                    self,
                    deserializer: D,
                ) -> Result<Self::Value, D::Error> {
                    <$ty as Deserialize>::deserialize(deserializer).map(Some)
                }

                $(
                    fn $method<E: de::Error>(self, value: $arg) -> Result<Self::Value, E> {
                        $visit.$method(value).map(Some)
                    }
                )*
            }

            deserializer.deserialize_any(Optional)
        }
    };
}

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

optional_reader!(
    /// `deserialize_with` for an optional drift scalar (`Option<Scalar>`), which generated
    /// models put on every such field (hundreds per report): `null` is `None`, any other
    /// scalar `Some`, in one `deserialize_any`.
    optional_scalar,
    crate::Scalar,
    crate::drift::ScalarVisitor,
    [visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64, visit_str: &str, visit_string: String]
);

optional_reader!(
    /// `deserialize_with` for an optional text field (`Option<Text>`), which generated models
    /// put on every such field: `null` is `None`, a string `Some`, in one `deserialize_any`;
    /// another type is refused as by `Text` itself ("expected a string").
    optional_text,
    crate::Text,
    crate::text::TextVisitor,
    [visit_str: &str, visit_string: String]
);
