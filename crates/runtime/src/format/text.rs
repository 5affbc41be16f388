//! Text clean-up shared by every format: full-width forms, placeholders for "nothing",
//! and the bound on text echoed in errors.

/// The texts that mean "no value" wherever a format is declared (compared after trimming
/// and full-width normalisation).
///
/// Empty and dashes are what the reports print in an empty cell; `/` is the report's "not
/// applicable"; `暂无数据` ("no data"), `未出账单` ("no bill yet"), `运营商未透露` ("not
/// disclosed by the carrier") and `无` ("none") are the sentinels the Dianhua document shows
/// in place of numbers and times.
pub const ABSENT_TEXTS: &[&str] = &[
    "",
    "-",
    "--",
    "---",
    "—",
    "——",
    "/",
    "无",
    "暂无",
    "暂无数据",
    "未出账单",
    "运营商未透露",
];

/// At most this many characters of a text are echoed in an error.
pub(crate) const ECHO_LIMIT: usize = 64;

/// Longest text any format parses; longer is a misfit without further reading.
pub(crate) const PARSE_LIMIT: usize = 128;

/// Whether `text` means "no value" ([`ABSENT_TEXTS`], after trimming and full-width
/// normalisation).
pub fn is_absent(text: &str) -> bool {
    if text.len() > PARSE_LIMIT {
        return false;
    }
    let normalized = normalize_width(text);
    ABSENT_TEXTS.contains(&normalized.trim())
}

/// Full-width ASCII forms (`０`–`９`, `．`, `－`, `／`, `：`, `％`, `，`, letters) and the
/// ideographic space as their ASCII counterparts; every other character unchanged.
pub(crate) fn normalize_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            other => other,
        })
        .collect()
}

/// `text` cut to [`ECHO_LIMIT`] characters (with `…` when cut), for errors.
pub(crate) fn bounded(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(ECHO_LIMIT).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_forms_become_ascii() {
        assert_eq!(normalize_width("２０１６．０７／０１"), "2016.07/01");
        assert_eq!(normalize_width("１２％"), "12%");
        assert_eq!(normalize_width("－２７，０００"), "-27,000");
        assert_eq!(normalize_width("１４：３２"), "14:32");
        assert_eq!(normalize_width("\u{3000}年月日"), " 年月日");
    }

    #[test]
    fn placeholders_are_absent_and_values_are_not() {
        for text in [
            "",
            "  ",
            "--",
            " -- ",
            "－－",
            "—",
            "/",
            "暂无数据",
            "无",
            "未出账单",
        ] {
            assert!(is_absent(text), "{text:?}");
        }
        for text in ["0", "N", "2016", "-27", "无效"] {
            assert!(!is_absent(text), "{text:?}");
        }
    }

    #[test]
    fn echoed_text_is_bounded_on_char_boundaries() {
        let long = "张".repeat(100);
        let cut = bounded(&long);
        assert_eq!(cut.chars().count(), ECHO_LIMIT + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(bounded("short"), "short");
    }
}
