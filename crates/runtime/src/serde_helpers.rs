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
