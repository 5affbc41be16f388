//! Typed values behind the text of a report: `x-credkit-format`.
//!
//! A DeepFinch report prints every value as text: amounts as `99,000`, dates as `2016.07.25`,
//! `2016年04月18日` or a bare `2008`, percentages as `12%`, and 24-month repayment grids as
//! 24-character strings. A schema names the format of such a property with
//! `"x-credkit-format": "amount"` (see `docs/schema-conventions.md`); this module parses each
//! format into a typed value and turns it into normalized JSON.
//!
//! Every parser returns `Ok(None)` for the texts that mean "nothing" ([`is_absent`]: empty,
//! `--`, `暂无数据`, …), `Ok(Some(value))` for a value that fits, and a [`FormatError`] with the
//! format and the (bounded) text for one that does not: never a panic, never a silent zero.
//! Full-width digits and punctuation (`２０１６．０７`) are read as their ASCII forms.
//!
//! [`normalize`] walks a payload alongside its JSON Schema and converts every value whose
//! property declares a format; [`probable_shifts`] flags a misfit that fits a sibling
//! property's format (an OCR row shifted by one column).

mod date;
mod error;
mod month_status;
mod number;
#[cfg(test)]
mod schema_tests;
mod shift;
mod text;
mod value;
pub(crate) mod walk;

use std::fmt;
use std::str::FromStr;

pub mod field;
pub use date::{parse_date, parse_datetime, Date, DatePrecision, DateTime, TimePrecision};
pub use error::{FormatError, MisfitReason};
pub use month_status::{
    parse_month_status, parse_month_status_24, MonthStatus, MonthStatus24, MONTH_STATUS_CODES,
};
pub use number::{parse_amount, parse_count, parse_percent, Amount, Count, Percent};
pub use shift::{audit, probable_shifts, ProbableShift, ValueFinding};
pub(crate) use text::normalize_width;
pub use text::{is_absent, ABSENT_TEXTS};
pub use value::{parse, FormatValue};
pub use walk::normalize;

/// The schema keyword that names a property's format.
pub const FORMAT_KEYWORD: &str = "x-credkit-format";

/// The value formats a schema can declare with `x-credkit-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// `amount`: money, with thousands separators, a sign and decimals (`99,000`, `-27`,
    /// `1,234.56`); exact, as a [`rust_decimal::Decimal`].
    Amount,
    /// `count`: a non-negative whole number (`36`, `1,024`).
    Count,
    /// `percent`: a percentage, with or without the sign (`12%`, `7.5%`, `12`); the number of
    /// percent (`12%` is 12).
    Percent,
    /// `date`: a calendar date at year, month or day precision (`2016.07.25`, `2016-07`,
    /// `2016/7/5`, `2016年04月18日`, `2016年05月`, `2008`, `201704`).
    Date,
    /// `datetime`: a date and a time of day (`2016.08.26 14:32:22`, `2016-08-26T14:32`).
    DateTime,
    /// `month-status`: one repayment status code (`N`, `1`, `#`, …).
    MonthStatus,
    /// `month-status-24`: a 24-month repayment grid, one status code a month.
    MonthStatus24,
}

impl Format {
    /// Every format, in declaration order.
    pub const ALL: [Format; 7] = [
        Format::Amount,
        Format::Count,
        Format::Percent,
        Format::Date,
        Format::DateTime,
        Format::MonthStatus,
        Format::MonthStatus24,
    ];

    /// The spelling used in schemas (`"x-credkit-format": "month-status-24"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Amount => "amount",
            Format::Count => "count",
            Format::Percent => "percent",
            Format::Date => "date",
            Format::DateTime => "datetime",
            Format::MonthStatus => "month-status",
            Format::MonthStatus24 => "month-status-24",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A format name that no schema may use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown x-credkit-format `{0}`")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|format| format.as_str() == name)
            .ok_or_else(|| UnknownFormat(text::bounded(name)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_spellings_round_trip() {
        for format in Format::ALL {
            assert_eq!(format.as_str().parse::<Format>(), Ok(format));
            assert_eq!(format.to_string(), format.as_str());
        }
        assert_eq!(
            "money".parse::<Format>(),
            Err(UnknownFormat("money".into()))
        );
        assert!("Amount".parse::<Format>().is_err());
    }
}
