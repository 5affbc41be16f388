//! The error for a value that does not fit its declared format.

use super::Format;
use crate::JsonPath;

/// Why a text does not fit its format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MisfitReason {
    /// Characters or a layout the format does not have (letters in an amount, `2016..07`).
    Malformed,
    /// Well formed but impossible: month 13, 31 February, 25 o'clock, year out of range.
    OutOfRange,
    /// A 24-month grid whose length is not 24, or a single status that is not one code.
    WrongLength,
    /// A character that is not a documented repayment status code.
    UnknownStatus,
    /// A number with more digits than a JSON number carries exactly (more than 15 significant
    /// digits with a fraction, or beyond 64-bit integers).
    Inexact,
    /// Longer than any value of the format could be.
    TooLong,
    /// Not a string (nor, for the numeric formats, a number).
    WrongType,
}

impl MisfitReason {
    /// A stable snake-case name, for machine-readable output: `malformed`, `out_of_range`,
    /// `wrong_length`, `unknown_status`, `inexact`, `too_long`, `wrong_type`.
    pub fn as_str(self) -> &'static str {
        match self {
            MisfitReason::Malformed => "malformed",
            MisfitReason::OutOfRange => "out_of_range",
            MisfitReason::WrongLength => "wrong_length",
            MisfitReason::UnknownStatus => "unknown_status",
            MisfitReason::Inexact => "inexact",
            MisfitReason::TooLong => "too_long",
            MisfitReason::WrongType => "wrong_type",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            MisfitReason::Malformed => "malformed",
            MisfitReason::OutOfRange => "out of range",
            MisfitReason::WrongLength => "wrong number of status codes",
            MisfitReason::UnknownStatus => "unknown status code",
            MisfitReason::Inexact => "too many digits to keep exactly",
            MisfitReason::TooLong => "too long",
            MisfitReason::WrongType => "not a text",
        }
    }
}

impl std::fmt::Display for MisfitReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

/// A value that does not fit its declared format: where, which format, the text (at most 64
/// characters, cut with `…`), and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {text:?} is not a valid {format} ({reason})")]
pub struct FormatError {
    /// Where the value sits in the payload; the root until a schema walk fills it in.
    pub path: JsonPath,
    /// The format the schema declares.
    pub format: Format,
    /// The text received, bounded; masked when the property is also personal data.
    pub text: String,
    /// Why it does not fit.
    pub reason: MisfitReason,
}

impl FormatError {
    /// A misfit of `text` (bounded here) at the document root.
    pub fn new(format: Format, text: &str, reason: MisfitReason) -> Self {
        FormatError {
            path: JsonPath::default(),
            format,
            text: super::text::bounded(text),
            reason,
        }
    }

    /// The same error at `path`.
    pub fn at(mut self, path: JsonPath) -> Self {
        self.path = path;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PathSegment;

    #[test]
    fn message_names_path_format_text_and_reason() {
        let error =
            FormatError::new(Format::Date, "2016.13", MisfitReason::OutOfRange).at(JsonPath(vec![
                PathSegment::Key("loans".into()),
                PathSegment::Index(0),
                PathSegment::Key("startAt".into()),
            ]));
        assert_eq!(
            error.to_string(),
            r#"loans[0].startAt: "2016.13" is not a valid date (out of range)"#
        );
    }

    #[test]
    fn long_text_is_cut() {
        let error = FormatError::new(Format::Amount, &"9".repeat(500), MisfitReason::TooLong);
        assert!(error.text.chars().count() <= 65);
    }
}
