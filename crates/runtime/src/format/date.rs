//! `date` and `datetime`: calendar dates at their own precision, and date-times.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::number::prepare;
use super::{Format, FormatError, MisfitReason};

/// Years a report date may carry; anything else is an OCR misreading (a count of `36` is
/// never a year, and neither is `1200`).
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2199;

/// How much of a [`Date`] the report printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DatePrecision {
    /// A bare year (`2008`).
    Year,
    /// A year and month (`2016.07`, `2016年05月`).
    Month,
    /// A full date (`2016.07.25`).
    Day,
}

/// A calendar date at the precision the report printed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    /// The first day of the period (`2016-05` is held as 2016-05-01, `2008` as 2008-01-01).
    pub first_day: NaiveDate,
    /// How much of the date is known.
    pub precision: DatePrecision,
}

impl Date {
    /// The year.
    pub fn year(&self) -> i32 {
        chrono::Datelike::year(&self.first_day)
    }

    /// The month (1–12), unless only the year is known.
    pub fn month(&self) -> Option<u32> {
        (self.precision >= DatePrecision::Month).then(|| chrono::Datelike::month(&self.first_day))
    }

    /// The day of the month, when the full date is known.
    pub fn day(&self) -> Option<u32> {
        (self.precision == DatePrecision::Day).then(|| chrono::Datelike::day(&self.first_day))
    }

    /// ISO 8601 at the date's own precision: `2016-04-18`, `2016-05`, `2008`.
    pub fn to_iso(&self) -> String {
        match self.precision {
            DatePrecision::Year => format!("{:04}", self.year()),
            DatePrecision::Month => self.first_day.format("%Y-%m").to_string(),
            DatePrecision::Day => self.first_day.format("%Y-%m-%d").to_string(),
        }
    }
}

/// How much of a [`DateTime`]'s time of day the report printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TimePrecision {
    /// Hours and minutes (`14:32`).
    Minute,
    /// Hours, minutes and seconds (`14:32:22`).
    Second,
}

/// A date and time of day, in the report's own (unstated, Beijing) local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime {
    /// The moment, seconds zero at minute precision.
    pub value: NaiveDateTime,
    /// How much of the time of day is known.
    pub precision: TimePrecision,
}

impl DateTime {
    /// ISO 8601 without a zone: `2016-08-26T14:32:22`, or `2016-08-26T14:32`.
    pub fn to_iso(&self) -> String {
        match self.precision {
            TimePrecision::Minute => self.value.format("%Y-%m-%dT%H:%M").to_string(),
            TimePrecision::Second => self.value.format("%Y-%m-%dT%H:%M:%S").to_string(),
        }
    }
}

/// Epoch time in China Standard Time (UTC+8), the reports' own: milliseconds from 13 digits
/// on (a magnitude of 10^11 or more), else seconds; years outside [`YEARS`] are out of range.
pub(super) fn from_epoch(format: Format, value: i64) -> Result<NaiveDateTime, FormatError> {
    let out_of_range = || FormatError::new(format, &value.to_string(), MisfitReason::OutOfRange);
    let (seconds, millis) = if value.unsigned_abs() >= 100_000_000_000 {
        (value.div_euclid(1000), value.rem_euclid(1000))
    } else {
        (value, 0)
    };
    let china = chrono::FixedOffset::east_opt(8 * 3600).ok_or_else(out_of_range)?;
    let nanos = u32::try_from(millis * 1_000_000).map_err(|_| out_of_range())?;
    let moment = chrono::DateTime::from_timestamp(seconds, nanos)
        .ok_or_else(out_of_range)?
        .with_timezone(&china)
        .naive_local();
    if !YEARS.contains(&chrono::Datelike::year(&moment)) {
        return Err(out_of_range());
    }
    Ok(moment)
}

/// Epoch seconds (10 digits) or milliseconds (13 digits) written as text, as Dianhua's
/// document 004 writes its times (`"1508991857"`): no date spelling has that many digits.
fn epoch_text(format: Format, compact: &str) -> Option<Result<NaiveDateTime, FormatError>> {
    if !matches!(compact.len(), 10 | 13) || !compact.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value: i64 = compact.parse().ok()?;
    Some(from_epoch(format, value))
}

/// Parses a `date`: `2016.07.25`, `2016-07-25`, `2016/7/5`, `2016年04月18日`, `2016.07`,
/// `2016年05月`, `2008`, `2008年`, and the compact `20160725` / `201607`; full-width digits
/// allowed, spaces ignored. `None` for an absent placeholder.
pub fn parse_date(text: &str) -> Result<Option<Date>, FormatError> {
    let Some(cleaned) = prepare(Format::Date, text)? else {
        return Ok(None);
    };
    let compact: String = cleaned.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(moment) = epoch_text(Format::Date, &compact) {
        return moment.map(|m| {
            Some(Date {
                first_day: m.date(),
                precision: DatePrecision::Day,
            })
        });
    }
    date_parts(&compact)
        .ok_or_else(|| FormatError::new(Format::Date, text, MisfitReason::Malformed))
        .and_then(|parts| build_date(parts, text))
        .map(Some)
}

/// Parses a `datetime`: a full date in any [`parse_date`] spelling, then whitespace or `T`,
/// then `HH:MM` or `HH:MM:SS`. `None` for an absent placeholder.
pub fn parse_datetime(text: &str) -> Result<Option<DateTime>, FormatError> {
    let Some(cleaned) = prepare(Format::DateTime, text)? else {
        return Ok(None);
    };
    if let Some(moment) = epoch_text(Format::DateTime, cleaned.trim()) {
        return moment.map(|value| {
            Some(DateTime {
                value,
                precision: TimePrecision::Second,
            })
        });
    }
    let malformed = || FormatError::new(Format::DateTime, text, MisfitReason::Malformed);
    let (date_text, time_text) = cleaned
        .split_once(|c: char| c.is_whitespace() || c == 'T')
        .ok_or_else(malformed)?;
    let parts = date_parts(date_text).ok_or_else(malformed)?;
    if parts.len() != 3 {
        return Err(malformed());
    }
    let date = build_date(parts, text).map_err(|error| FormatError {
        format: Format::DateTime,
        ..error
    })?;
    let numbers: Vec<&str> = time_text.trim().split(':').collect();
    let field = |part: &str| {
        (matches!(part.len(), 1 | 2) && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    let fields: Option<Vec<u32>> = numbers.iter().map(|part| field(part)).collect();
    let (time, precision) = match fields.as_deref() {
        Some([hour, minute]) => (
            NaiveTime::from_hms_opt(*hour, *minute, 0),
            TimePrecision::Minute,
        ),
        Some([hour, minute, second]) => (
            NaiveTime::from_hms_opt(*hour, *minute, *second),
            TimePrecision::Second,
        ),
        _ => return Err(malformed()),
    };
    let time =
        time.ok_or_else(|| FormatError::new(Format::DateTime, text, MisfitReason::OutOfRange))?;
    Ok(Some(DateTime {
        value: date.first_day.and_time(time),
        precision,
    }))
}

/// The numeric fields of a date spelling: `[year]`, `[year, month]` or `[year, month, day]`.
fn date_parts(text: &str) -> Option<Vec<u32>> {
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return match text.len() {
            4 => Some(vec![text.parse().ok()?]),
            6 => Some(vec![text[..4].parse().ok()?, text[4..].parse().ok()?]),
            8 => Some(vec![
                text[..4].parse().ok()?,
                text[4..6].parse().ok()?,
                text[6..].parse().ok()?,
            ]),
            _ => None,
        };
    }
    if text.contains('年') {
        return cjk_parts(text);
    }
    let separator = text.chars().find(|c| matches!(c, '.' | '-' | '/'))?;
    let fields: Vec<&str> = text.split(separator).collect();
    if fields.len() > 3 {
        return None;
    }
    numeric_fields(&fields)
}

/// `2016年04月18日`, `2016年4月`, `2008年`.
fn cjk_parts(text: &str) -> Option<Vec<u32>> {
    let (year, rest) = text.split_once('年')?;
    let mut fields = vec![year];
    if !rest.is_empty() {
        let (month, rest) = rest.split_once('月')?;
        fields.push(month);
        if !rest.is_empty() {
            let day = rest
                .strip_suffix('日')
                .or_else(|| rest.strip_suffix('号'))?;
            fields.push(day);
        }
    }
    numeric_fields(&fields)
}

/// The year (four digits) and month/day (one or two digits each) as numbers.
fn numeric_fields(fields: &[&str]) -> Option<Vec<u32>> {
    fields
        .iter()
        .enumerate()
        .map(|(index, field)| {
            let width_ok = if index == 0 {
                field.len() == 4
            } else {
                matches!(field.len(), 1 | 2)
            };
            (width_ok && field.bytes().all(|b| b.is_ascii_digit()))
                .then(|| field.parse().ok())
                .flatten()
        })
        .collect()
}

fn build_date(parts: Vec<u32>, text: &str) -> Result<Date, FormatError> {
    let out_of_range = || FormatError::new(Format::Date, text, MisfitReason::OutOfRange);
    let year = i32::try_from(parts[0]).map_err(|_| out_of_range())?;
    if !YEARS.contains(&year) {
        return Err(out_of_range());
    }
    let (month, day, precision) = match parts[..] {
        [_] => (1, 1, DatePrecision::Year),
        [_, month] => (month, 1, DatePrecision::Month),
        [_, month, day] => (month, day, DatePrecision::Day),
        _ => {
            return Err(FormatError::new(
                Format::Date,
                text,
                MisfitReason::Malformed,
            ))
        }
    };
    let first_day = NaiveDate::from_ymd_opt(year, month, day).ok_or_else(out_of_range)?;
    Ok(Date {
        first_day,
        precision,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(text: &str) -> Option<String> {
        parse_date(text)
            .unwrap_or_else(|error| panic!("{text:?}: {error}"))
            .map(|date| date.to_iso())
    }

    fn date_misfit(text: &str) -> MisfitReason {
        parse_date(text).expect_err(text).reason
    }

    #[test]
    fn epoch_seconds_and_milliseconds_as_text_are_china_time() {
        assert_eq!(iso("1442764800").as_deref(), Some("2015-09-21"));
        assert_eq!(iso("1461600000000").as_deref(), Some("2016-04-26"));
        let moment = parse_datetime("1508991857")
            .expect("fits")
            .expect("present");
        assert_eq!(moment.to_iso(), "2017-10-26T12:24:17");
        // Nine or eleven digits are no spelling at all.
        assert_eq!(date_misfit("144276480"), MisfitReason::Malformed);
        assert_eq!(date_misfit("14427648000"), MisfitReason::Malformed);
        // Before 1900 or after 2199 is out of range.
        assert_eq!(date_misfit("9999999999999"), MisfitReason::OutOfRange);
    }

    #[test]
    fn day_precision_spellings() {
        for text in [
            "2016.04.18",
            "2016-04-18",
            "2016/04/18",
            "2016/4/18",
            "2016年04月18日",
            "2016年4月18日",
            "2016年04月18号",
            "20160418",
            "２０１６．０４．１８",
            "２０１６年０４月１８日",
            " 2016 年 04 月 18 日 ",
        ] {
            assert_eq!(iso(text).as_deref(), Some("2016-04-18"), "{text:?}");
        }
        assert_eq!(iso("2016.7.5").as_deref(), Some("2016-07-05"));
    }

    #[test]
    fn month_and_year_precision_spellings() {
        for text in [
            "2016.05",
            "2016-05",
            "2016/5",
            "2016年05月",
            "2016年5月",
            "201605",
            "２０１６．０５",
        ] {
            assert_eq!(iso(text).as_deref(), Some("2016-05"), "{text:?}");
        }
        for text in ["2008", "2008年", "２００８"] {
            assert_eq!(iso(text).as_deref(), Some("2008"), "{text:?}");
        }
        let date = parse_date("2016.07").unwrap().unwrap();
        assert_eq!(
            (date.year(), date.month(), date.day()),
            (2016, Some(7), None)
        );
        let date = parse_date("2008").unwrap().unwrap();
        assert_eq!((date.month(), date.precision), (None, DatePrecision::Year));
    }

    #[test]
    fn absent_dates() {
        for text in ["", "--", "/", "暂无数据"] {
            assert_eq!(iso(text), None, "{text:?}");
        }
    }

    #[test]
    fn date_misfits() {
        for text in [
            "36",
            "99,000",
            "12%",
            "2016..07",
            "2016.07.25.1",
            "16.07.25",
            "2016.007",
            "2016-07/25",
            "2016年07",
            "2016年07月25",
            "N",
            "2016.08.26 14:32:22",
            "abcd",
            "1234567",
        ] {
            assert_eq!(date_misfit(text), MisfitReason::Malformed, "{text:?}");
        }
        for text in [
            "2016.13",
            "2016.02.30",
            "2016.00.10",
            "1200",
            "3000.01",
            "2015年02月29日",
        ] {
            assert_eq!(date_misfit(text), MisfitReason::OutOfRange, "{text:?}");
        }
        assert_eq!(date_misfit(&"2".repeat(300)), MisfitReason::TooLong);
    }

    #[test]
    fn datetimes() {
        let iso = |text: &str| parse_datetime(text).unwrap().map(|value| value.to_iso());
        assert_eq!(
            iso("2016.08.26 14:32:22").as_deref(),
            Some("2016-08-26T14:32:22")
        );
        assert_eq!(
            iso("2016-08-26T14:32:22").as_deref(),
            Some("2016-08-26T14:32:22")
        );
        assert_eq!(
            iso("2016年08月26日 14:32").as_deref(),
            Some("2016-08-26T14:32")
        );
        assert_eq!(
            iso("２０１６．０８．２６　１４：３２：２２").as_deref(),
            Some("2016-08-26T14:32:22")
        );
        assert_eq!(
            iso("2016/8/6  9:05:00").as_deref(),
            Some("2016-08-06T09:05:00")
        );
        assert_eq!(iso("--"), None);
        let misfit = |text: &str| parse_datetime(text).expect_err(text).reason;
        for text in [
            "2016.08.26",
            "2016.08 14:32",
            "2016.08.26 14",
            "2016.08.26 14:32:22:01",
            "14:32:22",
            "2016.08.26 1432",
        ] {
            assert_eq!(misfit(text), MisfitReason::Malformed, "{text:?}");
        }
        for text in [
            "2016.08.26 25:00:00",
            "2016.08.26 14:60",
            "2016.02.30 10:00",
        ] {
            assert_eq!(misfit(text), MisfitReason::OutOfRange, "{text:?}");
        }
        assert_eq!(
            parse_datetime("2016.02.30 10:00").unwrap_err().format,
            Format::DateTime
        );
    }
}
