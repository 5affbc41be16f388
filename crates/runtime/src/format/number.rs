//! `amount`, `count` and `percent`: numbers printed as text.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::text::{is_absent, normalize_width, PARSE_LIMIT};
use super::{Format, FormatError, MisfitReason};

/// An amount of money, exact (`99,000` → 99000, `-27` → -27, `1,234.50` → 1234.50).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Amount(pub Decimal);

/// A count: a non-negative whole number (`36`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Count(pub u64);

/// A percentage, as the number of percent (`12%` → 12, `7.5%` → 7.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Percent(pub Decimal);

/// Parses an `amount`: optional sign, digits with optional `,` thousands separators in groups
/// of three, optional decimals, optional trailing `元`. `None` for an absent placeholder.
pub fn parse_amount(text: &str) -> Result<Option<Amount>, FormatError> {
    let Some(cleaned) = prepare(Format::Amount, text)? else {
        return Ok(None);
    };
    let body = cleaned.strip_suffix('元').unwrap_or(&cleaned).trim_end();
    decimal(Format::Amount, text, body, true).map(|value| Some(Amount(value)))
}

/// Parses a `count`: digits with optional `,` thousands separators. `None` for an absent
/// placeholder.
pub fn parse_count(text: &str) -> Result<Option<Count>, FormatError> {
    let Some(cleaned) = prepare(Format::Count, text)? else {
        return Ok(None);
    };
    let digits = grouped_digits(&cleaned)
        .ok_or_else(|| FormatError::new(Format::Count, text, MisfitReason::Malformed))?;
    digits
        .parse::<u64>()
        .map(|value| Some(Count(value)))
        .map_err(|_| FormatError::new(Format::Count, text, MisfitReason::Inexact))
}

/// Parses a `percent`: a decimal number with an optional trailing `%`. `None` for an absent
/// placeholder.
pub fn parse_percent(text: &str) -> Result<Option<Percent>, FormatError> {
    let Some(cleaned) = prepare(Format::Percent, text)? else {
        return Ok(None);
    };
    let body = cleaned.strip_suffix('%').unwrap_or(&cleaned).trim_end();
    decimal(Format::Percent, text, body, true).map(|value| Some(Percent(value)))
}

/// The trimmed, width-normalised text, `None` when absent, an error when too long.
pub(super) fn prepare(format: Format, text: &str) -> Result<Option<String>, FormatError> {
    if text.len() > PARSE_LIMIT {
        return Err(FormatError::new(format, text, MisfitReason::TooLong));
    }
    if is_absent(text) {
        return Ok(None);
    }
    Ok(Some(normalize_width(text).trim().to_owned()))
}

/// `body` as an exact decimal: `[+-]` grouped digits `[.digits]`.
fn decimal(format: Format, text: &str, body: &str, signed: bool) -> Result<Decimal, FormatError> {
    let malformed = || FormatError::new(format, text, MisfitReason::Malformed);
    let (negative, unsigned) = match body.as_bytes().first() {
        Some(b'-') if signed => (true, &body[1..]),
        Some(b'+') if signed => (false, &body[1..]),
        _ => (false, body),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let whole = grouped_digits(whole).ok_or_else(malformed)?;
    let mut canonical = String::with_capacity(body.len());
    if negative {
        canonical.push('-');
    }
    canonical.push_str(&whole);
    if let Some(fraction) = fraction {
        if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return Err(malformed());
        }
        canonical.push('.');
        canonical.push_str(fraction);
    }
    Decimal::from_str_exact(&canonical)
        .map_err(|_| FormatError::new(format, text, MisfitReason::Inexact))
}

/// Digits with optional `,` separators in groups of three (`1,234,567`), without them.
fn grouped_digits(text: &str) -> Option<String> {
    let mut groups = text.split(',');
    let first = groups.next()?;
    let digits = |group: &str| !group.is_empty() && group.bytes().all(|b| b.is_ascii_digit());
    if !digits(first) {
        return None;
    }
    let mut out = first.to_owned();
    let mut grouped = false;
    for group in groups {
        if group.len() != 3 || !digits(group) {
            return None;
        }
        grouped = true;
        out.push_str(group);
    }
    if grouped && (first.len() > 3 || (first.len() > 1 && first.starts_with('0'))) {
        return None;
    }
    Some(out)
}

/// `value` as an exact JSON number: an integer when it has no fraction, else the decimal
/// when an `f64` carries its digits exactly; `None` when a JSON number cannot hold it exactly.
pub(crate) fn exact_json_number(value: Decimal) -> Option<serde_json::Number> {
    let value = value.normalize();
    if value.scale() == 0 {
        let text = value.to_string();
        if let Ok(integer) = text.parse::<i64>() {
            return Some(integer.into());
        }
        return text.parse::<u64>().ok().map(Into::into);
    }
    let text = value.to_string();
    let float = f64::from_str(&text).ok()?;
    let number = serde_json::Number::from_f64(float)?;
    // The shortest text that reads back as this f64 must be the decimal itself.
    (number.to_string() == text).then_some(number)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(text: &str) -> Option<String> {
        parse_amount(text).unwrap().map(|a| a.0.to_string())
    }

    fn misfit(result: Result<Option<impl std::fmt::Debug>, FormatError>) -> MisfitReason {
        result.expect_err("a misfit").reason
    }

    #[test]
    fn amounts_in_every_spelling() {
        assert_eq!(amount("99,000").as_deref(), Some("99000"));
        assert_eq!(amount("5,500").as_deref(), Some("5500"));
        assert_eq!(amount("-27").as_deref(), Some("-27"));
        assert_eq!(amount("+27").as_deref(), Some("27"));
        assert_eq!(amount("0").as_deref(), Some("0"));
        assert_eq!(amount("1,234,567.89").as_deref(), Some("1234567.89"));
        assert_eq!(amount("1234.50").as_deref(), Some("1234.50"));
        assert_eq!(amount(" 12,000 ").as_deref(), Some("12000"));
        assert_eq!(amount("３，０００").as_deref(), Some("3000"));
        assert_eq!(amount("－２７").as_deref(), Some("-27"));
        assert_eq!(amount("500元").as_deref(), Some("500"));
        assert_eq!(amount("--"), None);
        assert_eq!(amount(""), None);
        assert_eq!(amount("暂无数据"), None);
    }

    #[test]
    fn amount_misfits() {
        for text in [
            "abc",
            "12a",
            "1,00",
            "1,0000",
            "1234,567",
            ",100",
            "100,",
            "1.2.3",
            "1.",
            ".5",
            "--5",
            "- 5",
            "2016.07.25",
            "N",
            "1 000",
        ] {
            assert_eq!(
                misfit(parse_amount(text)),
                MisfitReason::Malformed,
                "{text:?}"
            );
        }
        assert_eq!(
            misfit(parse_amount(&"9".repeat(200))),
            MisfitReason::TooLong
        );
        assert_eq!(misfit(parse_amount(&"9".repeat(40))), MisfitReason::Inexact);
    }

    #[test]
    fn counts() {
        assert_eq!(parse_count("36").unwrap(), Some(Count(36)));
        assert_eq!(parse_count("1,024").unwrap(), Some(Count(1024)));
        assert_eq!(parse_count("０").unwrap(), Some(Count(0)));
        assert_eq!(parse_count("--").unwrap(), None);
        for text in ["-1", "3.5", "2016.07", "12%", "x", "1,2"] {
            assert_eq!(
                misfit(parse_count(text)),
                MisfitReason::Malformed,
                "{text:?}"
            );
        }
        assert_eq!(misfit(parse_count(&"9".repeat(30))), MisfitReason::Inexact);
    }

    #[test]
    fn percents() {
        let percent = |text: &str| parse_percent(text).unwrap().map(|p| p.0.to_string());
        assert_eq!(percent("12%").as_deref(), Some("12"));
        assert_eq!(percent("7.5%").as_deref(), Some("7.5"));
        assert_eq!(percent("12").as_deref(), Some("12"));
        assert_eq!(percent("１２％").as_deref(), Some("12"));
        assert_eq!(percent("12 %").as_deref(), Some("12"));
        assert_eq!(percent("--"), None);
        for text in ["%", "12%%", "%12", "abc", "1,2%"] {
            assert_eq!(
                misfit(parse_percent(text)),
                MisfitReason::Malformed,
                "{text:?}"
            );
        }
    }

    #[test]
    fn exact_numbers_keep_integers_and_decimals() {
        let number = |text: &str| {
            exact_json_number(Decimal::from_str_exact(text).unwrap()).map(|n| n.to_string())
        };
        assert_eq!(number("99000").as_deref(), Some("99000"));
        assert_eq!(number("-27").as_deref(), Some("-27"));
        assert_eq!(number("1234.50").as_deref(), Some("1234.5"));
        assert_eq!(number("0.1").as_deref(), Some("0.1"));
        assert_eq!(number("12.000").as_deref(), Some("12"));
        assert!(exact_json_number(Decimal::from_str_exact("99000").unwrap())
            .unwrap()
            .is_i64());
        assert_eq!(number("1234567890123.4567"), None);
    }
}
