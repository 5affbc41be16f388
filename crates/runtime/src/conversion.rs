//! The error of the `TryFrom` / `FromStr` conversions of generated types.

use std::borrow::Cow;
use std::fmt;

/// A value that a generated type's `TryFrom` or `FromStr` conversion does not accept (for
/// example, text that is not one of a closed enum's values).
#[derive(Clone, PartialEq, Eq)]
pub struct ConversionError(Cow<'static, str>);

impl ConversionError {
    /// What was wrong.
    pub fn message(&self) -> &str {
        &self.0
    }
}

impl std::error::Error for ConversionError {}

impl fmt::Display for ConversionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ConversionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl From<&'static str> for ConversionError {
    fn from(message: &'static str) -> Self {
        ConversionError(message.into())
    }
}

impl From<String> for ConversionError {
    fn from(message: String) -> Self {
        ConversionError(message.into())
    }
}
