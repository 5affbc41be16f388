//! `month-status` and `month-status-24`: repayment status codes, one per month.

use super::number::prepare;
use super::{Format, FormatError, MisfitReason};

/// One month's repayment status, as printed in the report's repayment grid.
///
/// The DeepFinch documents name the grid (`last24Status` "24个月还款状态", `pay24Months`
/// "最近24个月缴费记录", v2 `state` "状态，B、N、1、2、#") but not its legend; the codes and
/// meanings are those of the People's Bank of China credit-report legend that the OCR
/// transcribes (see `docs/vendor-quirks.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MonthStatus {
    /// `N` 正常还款: paid as agreed.
    Normal,
    /// `*` 当月无需还款: nothing was due this month.
    NothingDue,
    /// `/` 未开立账户 / 未激活: the account was not open (or not activated) this month.
    NotOpen,
    /// `1`–`7` 逾期: overdue by 1–30 days (`1`) up to more than 180 days (`7`); the number is
    /// the count of 30-day periods.
    Overdue(u8),
    /// `C` 结清 / 销户: settled or closed.
    Closed,
    /// `G` 结束: ended otherwise than by settlement.
    Ended,
    /// `D` 担保人代还: repaid by the guarantor.
    GuarantorRepaid,
    /// `Z` 以资抵债: settled with assets.
    SettledWithAssets,
    /// `#` 还款状态未知: paid, but the status is unknown.
    Unknown,
    /// `B` 呆账: bad debt.
    BadDebt,
    /// `M` 约定还款日后月底前还款: paid after the due date but before the end of the month.
    PaidLateInMonth,
}

/// Every status code, with its Chinese and English meaning, in the report legend's order.
pub const MONTH_STATUS_CODES: &[(char, &str, &str)] = &[
    ('N', "正常还款", "paid as agreed"),
    ('*', "当月无需还款", "nothing due this month"),
    (
        '/',
        "未开立账户或未激活",
        "account not open or not activated",
    ),
    ('1', "逾期1-30天", "overdue 1-30 days"),
    ('2', "逾期31-60天", "overdue 31-60 days"),
    ('3', "逾期61-90天", "overdue 61-90 days"),
    ('4', "逾期91-120天", "overdue 91-120 days"),
    ('5', "逾期121-150天", "overdue 121-150 days"),
    ('6', "逾期151-180天", "overdue 151-180 days"),
    ('7', "逾期180天以上", "overdue more than 180 days"),
    ('C', "结清/销户", "settled or closed"),
    (
        'G',
        "结束(结清以外的终止)",
        "ended otherwise than by settlement",
    ),
    ('D', "担保人代还", "repaid by the guarantor"),
    ('Z', "以资抵债", "settled with assets"),
    ('#', "已还款但状态未知", "paid, status unknown"),
    ('B', "呆账", "bad debt"),
    (
        'M',
        "约定还款日后月底前还款",
        "paid after the due date, before month end",
    ),
];

impl MonthStatus {
    /// The status for one code character (after full-width normalisation).
    pub fn from_code(code: char) -> Option<Self> {
        Some(match code {
            'N' => MonthStatus::Normal,
            '*' => MonthStatus::NothingDue,
            '/' => MonthStatus::NotOpen,
            '1'..='7' => MonthStatus::Overdue(code as u8 - b'0'),
            'C' => MonthStatus::Closed,
            'G' => MonthStatus::Ended,
            'D' => MonthStatus::GuarantorRepaid,
            'Z' => MonthStatus::SettledWithAssets,
            '#' => MonthStatus::Unknown,
            'B' => MonthStatus::BadDebt,
            'M' => MonthStatus::PaidLateInMonth,
            _ => return None,
        })
    }

    /// The code character as printed.
    pub fn code(self) -> char {
        match self {
            MonthStatus::Normal => 'N',
            MonthStatus::NothingDue => '*',
            MonthStatus::NotOpen => '/',
            MonthStatus::Overdue(periods) => char::from(b'0' + periods.clamp(1, 7)),
            MonthStatus::Closed => 'C',
            MonthStatus::Ended => 'G',
            MonthStatus::GuarantorRepaid => 'D',
            MonthStatus::SettledWithAssets => 'Z',
            MonthStatus::Unknown => '#',
            MonthStatus::BadDebt => 'B',
            MonthStatus::PaidLateInMonth => 'M',
        }
    }

    fn legend(self) -> &'static (char, &'static str, &'static str) {
        let code = self.code();
        MONTH_STATUS_CODES
            .iter()
            .find(|(c, _, _)| *c == code)
            .unwrap_or(&MONTH_STATUS_CODES[0])
    }

    /// The meaning in Chinese, as the report legend words it.
    pub fn meaning_zh(self) -> &'static str {
        self.legend().1
    }

    /// The meaning in English.
    pub fn meaning_en(self) -> &'static str {
        self.legend().2
    }
}

/// A 24-month repayment grid, oldest month first as printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MonthStatus24(pub [MonthStatus; 24]);

impl MonthStatus24 {
    /// The 24 codes as printed (`NNNN…`).
    pub fn codes(&self) -> String {
        self.0.iter().map(|status| status.code()).collect()
    }
}

/// Parses a `month-status`: one status code. `None` for an absent placeholder other than `/`
/// (which is the code "not open").
pub fn parse_month_status(text: &str) -> Result<Option<MonthStatus>, FormatError> {
    if text.len() <= super::text::PARSE_LIMIT && super::text::normalize_width(text).trim() == "/" {
        return Ok(Some(MonthStatus::NotOpen));
    }
    let Some(cleaned) = prepare(Format::MonthStatus, text)? else {
        return Ok(None);
    };
    let mut chars = cleaned.chars();
    match (chars.next(), chars.next()) {
        (Some(code), None) => MonthStatus::from_code(code).map(Some).ok_or_else(|| {
            FormatError::new(Format::MonthStatus, text, MisfitReason::UnknownStatus)
        }),
        _ => Err(FormatError::new(
            Format::MonthStatus,
            text,
            MisfitReason::WrongLength,
        )),
    }
}

/// Parses a `month-status-24`: exactly 24 status codes (spaces the OCR inserted are
/// ignored). `None` for an absent placeholder.
pub fn parse_month_status_24(text: &str) -> Result<Option<MonthStatus24>, FormatError> {
    let Some(cleaned) = prepare(Format::MonthStatus24, text)? else {
        return Ok(None);
    };
    let codes: Vec<char> = cleaned.chars().filter(|c| !c.is_whitespace()).collect();
    if codes.len() != 24 {
        return Err(FormatError::new(
            Format::MonthStatus24,
            text,
            MisfitReason::WrongLength,
        ));
    }
    let mut grid = [MonthStatus::Normal; 24];
    for (slot, code) in grid.iter_mut().zip(codes) {
        *slot = MonthStatus::from_code(code).ok_or_else(|| {
            FormatError::new(Format::MonthStatus24, text, MisfitReason::UnknownStatus)
        })?;
    }
    Ok(Some(MonthStatus24(grid)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips_and_has_meanings() {
        for (code, zh, en) in MONTH_STATUS_CODES {
            let status = MonthStatus::from_code(*code).unwrap();
            assert_eq!(status.code(), *code);
            assert_eq!(status.meaning_zh(), *zh);
            assert_eq!(status.meaning_en(), *en);
        }
        assert_eq!(MonthStatus::from_code('8'), None);
        assert_eq!(MonthStatus::from_code('n'), None);
        assert_eq!(MonthStatus::from_code('1'), Some(MonthStatus::Overdue(1)));
        assert_eq!(MonthStatus::from_code('7'), Some(MonthStatus::Overdue(7)));
    }

    #[test]
    fn grids() {
        let text = "NNNNNN*/1234567CGDZ#NNBM";
        let grid = parse_month_status_24(text).unwrap().unwrap();
        assert_eq!(grid.codes(), text);
        assert_eq!(grid.0[6], MonthStatus::NothingDue);
        assert_eq!(grid.0[8], MonthStatus::Overdue(1));
        let spaced = parse_month_status_24("NNNNNN NNNNNN NNNNNN NNNNNN")
            .unwrap()
            .unwrap();
        assert_eq!(spaced.codes(), "N".repeat(24));
        let wide = parse_month_status_24(&"Ｎ".repeat(24)).unwrap().unwrap();
        assert_eq!(wide.codes(), "N".repeat(24));
        assert_eq!(parse_month_status_24("--").unwrap(), None);
        assert_eq!(parse_month_status_24("").unwrap(), None);
    }

    #[test]
    fn grid_misfits() {
        let misfit = |text: &str| parse_month_status_24(text).expect_err(text).reason;
        assert_eq!(misfit(&"N".repeat(23)), MisfitReason::WrongLength);
        assert_eq!(misfit(&"N".repeat(25)), MisfitReason::WrongLength);
        assert_eq!(misfit("2016.07.25"), MisfitReason::WrongLength);
        assert_eq!(
            misfit(&format!("{}X", "N".repeat(23))),
            MisfitReason::UnknownStatus
        );
        assert_eq!(
            misfit(&format!("{}8", "N".repeat(23))),
            MisfitReason::UnknownStatus
        );
        assert_eq!(misfit(&"N".repeat(500)), MisfitReason::TooLong);
    }

    #[test]
    fn single_codes() {
        assert_eq!(parse_month_status("N").unwrap(), Some(MonthStatus::Normal));
        assert_eq!(parse_month_status("/").unwrap(), Some(MonthStatus::NotOpen));
        assert_eq!(
            parse_month_status(" # ").unwrap(),
            Some(MonthStatus::Unknown)
        );
        assert_eq!(parse_month_status("--").unwrap(), None);
        assert_eq!(
            parse_month_status("NN").unwrap_err().reason,
            MisfitReason::WrongLength
        );
        assert_eq!(
            parse_month_status("X").unwrap_err().reason,
            MisfitReason::UnknownStatus
        );
    }
}
