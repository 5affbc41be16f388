//! A parsed value of any format, and its normalized JSON.

use serde_json::Value;

use super::number::exact_json_number;
use super::{
    parse_amount, parse_count, parse_date, parse_datetime, parse_month_status,
    parse_month_status_24, parse_percent, Amount, Count, Date, DateTime, Format, FormatError,
    MisfitReason, MonthStatus, MonthStatus24, Percent,
};

/// A value parsed by its declared [`Format`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatValue {
    /// An `amount`.
    Amount(Amount),
    /// A `count`.
    Count(Count),
    /// A `percent`.
    Percent(Percent),
    /// A `date`.
    Date(Date),
    /// A `datetime`.
    DateTime(DateTime),
    /// A `month-status`.
    MonthStatus(MonthStatus),
    /// A `month-status-24`.
    MonthStatus24(MonthStatus24),
}

/// Parses `text` as `format`: `Ok(None)` for an absent placeholder.
pub fn parse(format: Format, text: &str) -> Result<Option<FormatValue>, FormatError> {
    Ok(match format {
        Format::Amount => parse_amount(text)?.map(FormatValue::Amount),
        Format::Count => parse_count(text)?.map(FormatValue::Count),
        Format::Percent => parse_percent(text)?.map(FormatValue::Percent),
        Format::Date => parse_date(text)?.map(FormatValue::Date),
        Format::DateTime => parse_datetime(text)?.map(FormatValue::DateTime),
        Format::MonthStatus => parse_month_status(text)?.map(FormatValue::MonthStatus),
        Format::MonthStatus24 => parse_month_status_24(text)?.map(FormatValue::MonthStatus24),
    })
}

impl FormatValue {
    /// The normalized JSON: amounts, counts and percents as exact numbers (`99000`, `12`,
    /// `-27`); dates and date-times as ISO 8601 at their own precision (`2016-05`,
    /// `2016-08-26T14:32:22`); a status as its code; a grid as an array of 24 codes.
    ///
    /// Fails (with reason [`MisfitReason::Inexact`]) only for a decimal with more significant
    /// digits than a JSON number carries exactly; `text` is echoed in that error.
    pub fn to_json(&self, format: Format, text: &str) -> Result<Value, FormatError> {
        let number = |decimal| {
            exact_json_number(decimal)
                .map(Value::Number)
                .ok_or_else(|| FormatError::new(format, text, MisfitReason::Inexact))
        };
        match self {
            FormatValue::Amount(Amount(decimal)) | FormatValue::Percent(Percent(decimal)) => {
                number(*decimal)
            }
            FormatValue::Count(Count(count)) => Ok(Value::from(*count)),
            FormatValue::Date(date) => Ok(Value::String(date.to_iso())),
            FormatValue::DateTime(value) => Ok(Value::String(value.to_iso())),
            FormatValue::MonthStatus(status) => Ok(Value::String(status.code().to_string())),
            FormatValue::MonthStatus24(grid) => Ok(Value::Array(
                grid.0
                    .iter()
                    .map(|status| Value::String(status.code().to_string()))
                    .collect(),
            )),
        }
    }
}

/// The normalized JSON of `text` as `format`: `null` when absent.
pub(crate) fn normalize_text(format: Format, text: &str) -> Result<Value, FormatError> {
    match parse(format, text)? {
        Some(value) => value.to_json(format, text),
        None => Ok(Value::Null),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn normalized_json_per_format() {
        let cases = [
            (Format::Amount, "99,000", json!(99000)),
            (Format::Amount, "-27", json!(-27)),
            (Format::Amount, "1,234.50", json!(1234.5)),
            (Format::Amount, "--", json!(null)),
            (Format::Count, "36", json!(36)),
            (Format::Percent, "12%", json!(12)),
            (Format::Percent, "7.5%", json!(7.5)),
            (Format::Date, "2016年04月18日", json!("2016-04-18")),
            (Format::Date, "2016年05月", json!("2016-05")),
            (Format::Date, "2016.07", json!("2016-07")),
            (Format::Date, "2008", json!("2008")),
            (
                Format::DateTime,
                "2016.08.26 14:32:22",
                json!("2016-08-26T14:32:22"),
            ),
            (Format::MonthStatus, "#", json!("#")),
            (Format::Date, "", json!(null)),
        ];
        for (format, text, expected) in cases {
            assert_eq!(
                normalize_text(format, text).unwrap(),
                expected,
                "{format} {text:?}"
            );
        }
        let grid = normalize_text(Format::MonthStatus24, "NNNNNNNNNNN*/1234567CGDZ").unwrap();
        let codes: Vec<&str> = grid
            .as_array()
            .unwrap()
            .iter()
            .map(|code| code.as_str().unwrap())
            .collect();
        assert_eq!(codes.len(), 24);
        assert_eq!(&codes[11..15], ["*", "/", "1", "2"]);
        assert!(normalize_text(Format::Amount, "99000").unwrap().is_i64());
    }

    #[test]
    fn integers_stay_integers_and_misfits_are_errors() {
        assert!(normalize_text(Format::Count, "36").unwrap().is_u64());
        let error = normalize_text(Format::Amount, "1234567890123.4567").unwrap_err();
        assert_eq!(error.reason, MisfitReason::Inexact);
        assert_eq!(
            normalize_text(Format::Date, "36").unwrap_err().format,
            Format::Date
        );
    }
}
