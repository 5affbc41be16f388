//! The typed accessors the generated models call: a field's raw value, whatever generated type
//! holds it (`String`, [`crate::Scalar`], [`crate::NumberOrText`], optional or nullable), read
//! as its declared `x-credkit-format`.
//!
//! The raw value stays in the model for the lossless round trip; an accessor gives
//! `Ok(None)` for an absent value or a placeholder (`--`, empty, `暂无数据`…), `Ok(Some(..))`
//! for a value that fits, and a [`FormatError`] naming the field, the format and the text for
//! one that does not — never a panic, never a silent zero. A number where a date is declared
//! (a consumer that turned the date into epoch time) is read as epoch milliseconds (13 digits
//! or more) or seconds, in China Standard Time (UTC+8), the reports' own time.

use serde_json::Number;

use super::{
    parse_amount, parse_count, parse_date, parse_datetime, parse_month_status,
    parse_month_status_24, parse_percent, Amount, Count, Date, DatePrecision, DateTime, Format,
    FormatError, MisfitReason, MonthStatus, MonthStatus24, Percent, TimePrecision,
};
pub use crate::drift::{RawScalar, ScalarSource};
use crate::{JsonPath, PathSegment};

fn located(error: FormatError, wire: &str) -> FormatError {
    error.at(JsonPath(vec![PathSegment::Key(wire.to_owned())]))
}

fn wrong_type(format: Format, raw: RawScalar<'_>) -> FormatError {
    FormatError::new(format, &raw.text(), MisfitReason::WrongType)
}

/// Reads a numeric format from text or a number (whose JSON text is parsed the same way).
fn numeric<T>(
    format: Format,
    wire: &str,
    source: &impl ScalarSource,
    parse: fn(&str) -> Result<Option<T>, FormatError>,
) -> Result<Option<T>, FormatError> {
    match source.raw() {
        None => Ok(None),
        Some(RawScalar::Text(text)) => parse(text),
        Some(RawScalar::Number(number)) => parse(&number.to_string()),
        Some(raw @ RawScalar::Bool(_)) => Err(wrong_type(format, raw)),
    }
    .map_err(|e| located(e, wire))
}

/// An epoch number in China Standard Time (see [`super::date`]).
fn from_epoch(format: Format, number: &Number) -> Result<chrono::NaiveDateTime, FormatError> {
    let value = number
        .as_i64()
        .ok_or_else(|| FormatError::new(format, &number.to_string(), MisfitReason::OutOfRange))?;
    super::date::from_epoch(format, value)
}

/// The normalized JSON of a number where a date or date-time is declared (epoch time, see the
/// module docs); `None` for other formats.
pub(crate) fn epoch_json(
    format: Format,
    number: &Number,
) -> Option<Result<serde_json::Value, FormatError>> {
    let iso = match format {
        Format::Date => from_epoch(format, number).map(|m| m.date().format("%Y-%m-%d").to_string()),
        Format::DateTime => {
            from_epoch(format, number).map(|m| m.format("%Y-%m-%dT%H:%M:%S").to_string())
        }
        _ => return None,
    };
    Some(iso.map(serde_json::Value::String))
}

/// A `date` field.
pub fn date(wire: &str, source: &impl ScalarSource) -> Result<Option<Date>, FormatError> {
    match source.raw() {
        None => Ok(None),
        Some(RawScalar::Text(text)) => parse_date(text),
        Some(RawScalar::Number(number)) => from_epoch(Format::Date, number).map(|moment| {
            Some(Date {
                first_day: moment.date(),
                precision: DatePrecision::Day,
            })
        }),
        Some(raw @ RawScalar::Bool(_)) => Err(wrong_type(Format::Date, raw)),
    }
    .map_err(|e| located(e, wire))
}

/// A `datetime` field.
pub fn datetime(wire: &str, source: &impl ScalarSource) -> Result<Option<DateTime>, FormatError> {
    match source.raw() {
        None => Ok(None),
        Some(RawScalar::Text(text)) => parse_datetime(text),
        Some(RawScalar::Number(number)) => from_epoch(Format::DateTime, number).map(|value| {
            Some(DateTime {
                value,
                precision: TimePrecision::Second,
            })
        }),
        Some(raw @ RawScalar::Bool(_)) => Err(wrong_type(Format::DateTime, raw)),
    }
    .map_err(|e| located(e, wire))
}

/// An `amount` field.
pub fn amount(wire: &str, source: &impl ScalarSource) -> Result<Option<Amount>, FormatError> {
    numeric(Format::Amount, wire, source, parse_amount)
}

/// A `count` field.
pub fn count(wire: &str, source: &impl ScalarSource) -> Result<Option<Count>, FormatError> {
    numeric(Format::Count, wire, source, parse_count)
}

/// A `percent` field.
pub fn percent(wire: &str, source: &impl ScalarSource) -> Result<Option<Percent>, FormatError> {
    numeric(Format::Percent, wire, source, parse_percent)
}

/// Reads a format that only text can carry.
fn textual<T>(
    format: Format,
    wire: &str,
    source: &impl ScalarSource,
    parse: fn(&str) -> Result<Option<T>, FormatError>,
) -> Result<Option<T>, FormatError> {
    match source.raw() {
        None => Ok(None),
        Some(RawScalar::Text(text)) => parse(text),
        Some(raw) => Err(wrong_type(format, raw)),
    }
    .map_err(|e| located(e, wire))
}

/// A `month-status` field.
pub fn month_status(
    wire: &str,
    source: &impl ScalarSource,
) -> Result<Option<MonthStatus>, FormatError> {
    textual(Format::MonthStatus, wire, source, parse_month_status)
}

/// A `month-status-24` field.
pub fn month_status_24(
    wire: &str,
    source: &impl ScalarSource,
) -> Result<Option<MonthStatus24>, FormatError> {
    textual(Format::MonthStatus24, wire, source, parse_month_status_24)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NumberOrText, Scalar};

    #[test]
    fn every_holder_reads_the_same() {
        let text = "99,000".to_owned();
        assert_eq!(
            amount("amount", &text)
                .expect("fits")
                .map(|a| a.0.to_string()),
            Some("99000".to_owned())
        );
        let absent: Option<String> = None;
        assert_eq!(amount("amount", &absent), Ok(None));
        let placeholder = Some(Scalar::Text("--".into()));
        assert_eq!(amount("amount", &placeholder), Ok(None));
        let drifted = Scalar::Text("12".into());
        assert_eq!(count("num", &drifted).expect("fits").map(|c| c.0), Some(12));
        let number = NumberOrText::Number(Number::from(36));
        assert_eq!(count("num", &number).expect("fits").map(|c| c.0), Some(36));
    }

    #[test]
    fn misfits_name_the_field_format_and_text() {
        let error = date("startAt", &"2016.13".to_owned()).expect_err("month 13");
        assert_eq!(
            error.to_string(),
            r#"startAt: "2016.13" is not a valid date (out of range)"#
        );
        let flag = Scalar::Bool(true);
        assert!(month_status_24("last24Status", &flag).is_err());
    }

    #[test]
    fn epoch_numbers_are_china_time() {
        // 2016-04-26T00:00:00+08:00.
        let millis = Scalar::Number(Number::from(1_461_600_000_000_i64));
        let day = date("start_time", &millis).expect("fits").expect("present");
        assert_eq!(day.to_iso(), "2016-04-26");
        let seconds = Scalar::Number(Number::from(1_461_600_000_i64));
        let moment = datetime("t", &seconds).expect("fits").expect("present");
        assert_eq!(moment.to_iso(), "2016-04-26T00:00:00");
        let absurd = Scalar::Number(Number::from(i64::MAX));
        assert!(date("t", &absurd).is_err());
    }
}
