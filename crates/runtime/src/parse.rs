//! Parsing a payload into a generated model, with the JSON path of every problem.
//!
//! On top of serde_json, [`parse_json`] guarantees for the whole body, unknown fields included:
//! valid UTF-8, no lone UTF-16 surrogate in a `\u` escape, and nesting no deeper than
//! [`MAX_NESTING`](crate::MAX_NESTING). serde_json checks all three for the values a model
//! reads; unknown fields, which serde_json would skip unchecked, are read by the same pass
//! ([`crate::one_pass`]) so that it checks them too: one pass, whatever the body.
//! Every message is bounded ([`crate::bounded`]): a huge value is echoed cut, with its length.

use serde::de::DeserializeOwned;

use crate::bounded::bound_message;
use crate::one_pass::{self, Observer};
use crate::scan::{self, Problem, MAX_NESTING};
use crate::JsonPath;

/// A successfully parsed payload and the fields the model does not know.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<T> {
    /// The typed value.
    pub value: T,
    /// Paths of the fields that were ignored because no schema declares them, in document
    /// order. Vendors add fields; these are reported, never an error.
    pub ignored: Vec<JsonPath>,
}

/// What kind of problem a [`ParseError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// The body is not JSON: a syntax error, a truncated body, trailing characters.
    Syntax,
    /// The body is not valid UTF-8.
    InvalidUtf8,
    /// A `\u` escape is half of a UTF-16 surrogate pair without the other half (`"\ud800"`).
    LoneSurrogate,
    /// Arrays and objects are nested deeper than [`MAX_NESTING`](crate::MAX_NESTING).
    TooDeep,
    /// A number does not fit the integer type of its field (`300` for a `u8`).
    IntegerOverflow,
    /// Valid JSON that does not fit the model: a wrong type, a missing required field.
    Mismatch,
}

impl ParseErrorKind {
    /// A stable snake_case name (`too_deep`), as in `credkit … --json`.
    pub fn as_str(self) -> &'static str {
        match self {
            ParseErrorKind::Syntax => "syntax",
            ParseErrorKind::InvalidUtf8 => "invalid_utf8",
            ParseErrorKind::LoneSurrogate => "lone_surrogate",
            ParseErrorKind::TooDeep => "too_deep",
            ParseErrorKind::IntegerOverflow => "integer_overflow",
            ParseErrorKind::Mismatch => "mismatch",
        }
    }
}

/// Why a payload could not be parsed into a model.
///
/// Its text is bounded: values and keys from the payload are cut to
/// [`MAX_ECHO_BYTES`](crate::bounded::MAX_ECHO_BYTES) with their length shown, the message to
/// [`MAX_MESSAGE_BYTES`](crate::bounded::MAX_MESSAGE_BYTES), and the path as its `Display`
/// says, so the whole is at most a few KB however large the payload.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message} (line {line}, column {column})")]
pub struct ParseError {
    /// What kind of problem this is.
    pub kind: ParseErrorKind,
    /// Where in the document the failure happened (`$` for the root).
    pub path: JsonPath,
    /// What was wrong (`invalid type: map, expected a sequence`), bounded.
    pub message: String,
    /// 1-based line of the failure in the input (0 when unknown).
    pub line: usize,
    /// 1-based column (in bytes) of the failure in the input (0 when unknown).
    pub column: usize,
}

/// Parses `input` as JSON into `T`, collecting ignored fields and, on failure, the JSON path
/// of the value that did not fit.
///
/// Never panics, whatever the bytes. Besides what does not fit `T`, it refuses (see
/// [`ParseErrorKind`]) invalid UTF-8, lone surrogates and nesting deeper than
/// [`MAX_NESTING`](crate::MAX_NESTING) anywhere in the body, including inside unknown fields,
/// and reports a number too large for its integer field as an integer overflow.
///
/// A body that is not UTF-8 is refused at its first invalid byte (or an earlier lone surrogate
/// or nesting problem), before any problem of types, since it is not JSON text.
///
/// Cost: a success is a vectorised UTF-8 check of the body and one serde pass (the typed
/// parse, observed by the one-pass observer (`one_pass`), which reads unknown fields instead of
/// skipping them so that serde_json validates them too); with the UTF-8 checked up front,
/// serde_json does not check each string again. The path of a failure is found by a second,
/// tracked pass (or, for invalid text or nesting, a scan) that runs only when the first one
/// fails.
pub fn parse_json<T: DeserializeOwned>(input: &[u8]) -> Result<Parsed<T>, ParseError> {
    parse_observed(input, &mut Observer::new(&[]))
}

/// The values at the pointers of [`parse_capturing`], `None` when not all could be kept.
pub(crate) type Captured = Option<Vec<Option<String>>>;

/// [`parse_json`], also copying the values at `pointers` (JSON pointers) into the result:
/// for each pointer, a string as it is, `null` or absent as `None`, any other scalar as its JSON
/// text. The values are `None` as a whole when some pointer ends on an array or object that
/// the model reads (its text is not kept): read them some other way then.
#[cfg_attr(not(feature = "client"), allow(dead_code))]
pub(crate) fn parse_capturing<T: DeserializeOwned>(
    input: &[u8],
    pointers: &[&str],
) -> Result<(Parsed<T>, Captured), ParseError> {
    let mut observer = Observer::new(pointers);
    let parsed = parse_observed(input, &mut observer)?;
    let found = observer.complete.then_some(observer.found);
    Ok((parsed, found))
}

fn parse_observed<T: DeserializeOwned>(
    input: &[u8],
    observer: &mut Observer,
) -> Result<Parsed<T>, ParseError> {
    // The body is checked for UTF-8 once, here, so that serde_json need not check each string
    // it decodes (`from_str` instead of `from_slice`: about a sixth of a typed parse). A body
    // that is not UTF-8 is not JSON text (RFC 8259 §8.1): it is refused at its first invalid
    // byte, or at an earlier lone surrogate or nesting problem, without a typed pass.
    let Ok(text) = simdutf8::basic::from_utf8(input) else {
        return Err(not_utf8(input));
    };
    let mut json = serde_json::Deserializer::from_str(text);
    let value = match one_pass::deserialize::<_, T>(&mut json, observer) {
        Ok(value) => value,
        Err(error) => return Err(explain::<T>(input, &error, observer.refused_array.take())),
    };
    if let Err(error) = json.end() {
        return Err(from_serde(&error, JsonPath::default()));
    }
    Ok(Parsed {
        value,
        ignored: std::mem::take(&mut observer.ignored),
    })
}

/// The error of a failed untracked parse, with its path. Invalid text or nesting is located
/// by [`scan::check`] (the first problem by position is the one serde_json met, since the
/// first pass validates every value); any other failure by parsing `input` again with the path
/// tracked, which fails at the same value. (Should neither find it, which serde's determinism
/// rules out, the first error is kept at the root.)
///
/// An array refused where a struct is asked for (`refused_array`, which serde alone would
/// accept) keeps the path the first pass recorded.
#[cold]
fn explain<T: DeserializeOwned>(
    input: &[u8],
    first: &serde_json::Error,
    refused_array: Option<JsonPath>,
) -> ParseError {
    let error = from_serde(first, JsonPath::default());
    if let Some(path) = refused_array {
        return ParseError { path, ..error };
    }
    if matches!(
        error.kind,
        ParseErrorKind::InvalidUtf8 | ParseErrorKind::LoneSurrogate | ParseErrorKind::TooDeep
    ) {
        if let Some((offset, problem)) = scan::check(input) {
            return from_problem(input, offset, problem);
        }
    }
    let mut track = serde_path_to_error::Track::new();
    let mut json = serde_json::Deserializer::from_slice(input);
    let tracked = serde_path_to_error::Deserializer::new(&mut json, &mut track);
    match T::deserialize(tracked) {
        Err(error) => from_serde(&error, JsonPath::from_tracked(&track.path())),
        Ok(_) => error,
    }
}

/// The error for a body that is not UTF-8: the first problem [`scan::check`] finds (it always
/// finds the invalid byte, if nothing earlier).
#[cold]
fn not_utf8(input: &[u8]) -> ParseError {
    let (offset, problem) = scan::check(input).unwrap_or_else(|| {
        let valid = std::str::from_utf8(input).map_or_else(|e| e.valid_up_to(), |_| 0);
        (valid, Problem::InvalidUtf8)
    });
    from_problem(input, offset, problem)
}

/// A [`ParseError`] from serde_json's, classified, with a bounded message.
fn from_serde(error: &serde_json::Error, path: JsonPath) -> ParseError {
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    let text = text.strip_suffix(&suffix).unwrap_or(&text);
    let (kind, message) = match text {
        "recursion limit exceeded" => (ParseErrorKind::TooDeep, too_deep()),
        "invalid unicode code point" => (ParseErrorKind::InvalidUtf8, invalid_utf8()),
        "lone leading surrogate in hex escape" | "unexpected end of hex escape" => {
            (ParseErrorKind::LoneSurrogate, lone_surrogate())
        }
        _ => match integer_overflow(text) {
            Some(message) => (ParseErrorKind::IntegerOverflow, message),
            None if error.is_data() => (ParseErrorKind::Mismatch, bound_message(text)),
            None => (ParseErrorKind::Syntax, bound_message(text)),
        },
    };
    ParseError {
        kind,
        path,
        message,
        line: error.line(),
        column: error.column(),
    }
}

/// A [`ParseError`] for a problem whole-body check (`scan::check`) found at byte `offset`.
fn from_problem(input: &[u8], offset: usize, problem: Problem) -> ParseError {
    let (kind, message) = match problem {
        Problem::InvalidUtf8 => (ParseErrorKind::InvalidUtf8, invalid_utf8()),
        Problem::LoneSurrogate => (ParseErrorKind::LoneSurrogate, lone_surrogate()),
        Problem::TooDeep => (ParseErrorKind::TooDeep, too_deep()),
    };
    let before = input.get(..offset).unwrap_or(input);
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |newline| newline + 1);
    ParseError {
        kind,
        path: scan::path_at(input, offset),
        message,
        line: 1 + memchr::memchr_iter(b'\n', before).count(),
        column: before.len() - line_start + 1,
    }
}

fn too_deep() -> String {
    format!("arrays and objects nested deeper than {MAX_NESTING} levels")
}

fn invalid_utf8() -> String {
    "invalid UTF-8".to_owned()
}

fn lone_surrogate() -> String {
    "lone UTF-16 surrogate in a \\u escape".to_owned()
}

/// For serde's "invalid value: integer `300`, expected u8" or "invalid type: floating point
/// `1e+20`, expected i64" (an integer too large for u64 is read as a float), when the number is
/// a whole number outside the integer type's range: the integer-overflow message.
fn integer_overflow(text: &str) -> Option<String> {
    let (number, expected, is_integer) =
        if let Some(rest) = text.strip_prefix("invalid value: integer `") {
            let (number, expected) = rest.split_once("`, expected ")?;
            (number, expected, true)
        } else {
            let rest = text.strip_prefix("invalid type: floating point `")?;
            let (number, expected) = rest.split_once("`, expected ")?;
            (number, expected, false)
        };
    let (min, end) = integer_range(expected)?;
    let value: f64 = number.parse().ok()?;
    let out_of_range = is_integer || (value.fract() == 0.0 && (value < min || value >= end));
    out_of_range.then(|| {
        bound_message(&format!(
            "integer overflow: {number} does not fit in {expected}"
        ))
    })
}

/// The range of a Rust integer type named as serde names it (`u8`, `i64`), as floats: the
/// smallest value and the first value past the largest (both exact powers of two).
fn integer_range(name: &str) -> Option<(f64, f64)> {
    let bits: i32 = match name {
        "i8" | "u8" => 8,
        "i16" | "u16" => 16,
        "i32" | "u32" => 32,
        "i64" | "u64" | "isize" | "usize" => 64,
        "i128" | "u128" => 128,
        _ => return None,
    };
    Some(if name.starts_with('u') {
        (0.0, 2f64.powi(bits))
    } else {
        (-(2f64.powi(bits - 1)), 2f64.powi(bits - 1))
    })
}
#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Report {
        loans: Option<Vec<Loan>>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Loan {
        amount: Option<String>,
    }

    #[test]
    fn reports_ignored_fields_with_paths() {
        let parsed: Parsed<Report> =
            parse_json(br#"{"loans":[{"amount":"1","extra":1}],"7day":2}"#).expect("parses");
        let ignored: Vec<String> = parsed.ignored.iter().map(|p| p.to_string()).collect();
        assert_eq!(ignored, vec!["loans[0].extra", "[\"7day\"]"]);
    }

    #[test]
    fn the_ignored_list_is_exact_and_in_document_order() {
        let body = br#"{"x":{"deep":[1,{"y":2}]},"loans":[{"amount":"1"},{"amount":"2"},{"b":[],"amount":null,"c":{}}],"loans2":1}"#;
        let parsed: Parsed<Report> = parse_json(body).expect("parses");
        let ignored: Vec<String> = parsed.ignored.iter().map(|p| p.to_string()).collect();
        // Every unknown member once, at its own path, none of its insides.
        assert_eq!(ignored, vec!["x", "loans[2].b", "loans[2].c", "loans2"]);
        let none: Parsed<Report> = parse_json(br#"{"loans":[{"amount":"1"}]}"#).expect("parses");
        assert!(none.ignored.is_empty());
    }

    #[test]
    fn a_failure_after_ignored_fields_still_names_its_path() {
        let body = br#"{"x":1,"loans":[{"amount":"1","y":2},{"amount":5}]}"#;
        let error = parse_json::<Report>(body).expect_err("fails");
        assert_eq!(error.path.to_string(), "loans[1].amount");
        assert_eq!(error.kind, ParseErrorKind::Mismatch);
        assert!(error.message.contains("expected a string"), "{error}");
        assert_eq!((error.line, error.column), (1, 48));
    }

    #[test]
    fn failure_names_the_path() {
        let error = parse_json::<Report>(br#"{"loans":{"amount":"1"}}"#).expect_err("fails");
        assert_eq!(error.path.to_string(), "loans");
        assert!(
            error.message.contains("expected a sequence"),
            "{}",
            error.message
        );
        assert_eq!(error.line, 1);
    }

    #[test]
    fn an_array_is_never_read_as_a_struct() {
        #[derive(Debug, Deserialize)]
        struct Defaulted {
            #[serde(default)]
            #[allow(dead_code)]
            a: Option<String>,
        }
        // serde alone reads a struct from an array of its fields (and, with defaulted
        // fields, from any shorter array); parse_json refuses it, with the path.
        assert!(serde_json::from_slice::<Defaulted>(b"[]").is_ok());
        assert!(serde_json::from_slice::<Loan>(br#"["1"]"#).is_ok());
        for body in [&b"[]"[..], b"[\"1\"]"] {
            let error = parse_json::<Defaulted>(body).expect_err("refused");
            assert_eq!(error.kind, ParseErrorKind::Mismatch);
            assert!(error.message.contains("sequence"), "{}", error.message);
        }
        let error = parse_json::<Report>(br#"{"loans":[{"amount":"1"},["2"]]}"#).expect_err("");
        assert_eq!(error.path.to_string(), "loans[1]");
        assert!(
            error.message.contains("expected struct Loan"),
            "{}",
            error.message
        );
        // An array where the model reads an array is still fine.
        assert!(parse_json::<Report>(br#"{"loans":[]}"#).is_ok());
    }

    #[test]
    fn trailing_garbage_is_an_error() {
        let error = parse_json::<Report>(br#"{} x"#).expect_err("fails");
        assert!(error.path.is_root());
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Typed {
        small: Option<u8>,
        big: Option<i64>,
        text: Option<String>,
        any: Option<serde_json::Value>,
    }

    fn error(body: &[u8]) -> ParseError {
        parse_json::<Typed>(body).expect_err("fails")
    }

    #[test]
    fn lone_surrogates_are_refused_everywhere() {
        for (body, path) in [
            (&br#"{"text": "\ud800"}"#[..], "text"),
            (br#"{"text": "a\udc00"}"#, "text"),
            (br#"{"any": {"\ud800": 1}}"#, "any"),
            (br#"{"unknown": "\ud800"}"#, "unknown"),
            (
                br#"{"unknown": {"deeper": ["\udfff"]}}"#,
                "unknown.deeper[0]",
            ),
            (br#"{"unknown": {"\udbff\u0041": 1}}"#, "unknown"),
        ] {
            let error = error(body);
            let text = String::from_utf8_lossy(body);
            assert_eq!(error.kind, ParseErrorKind::LoneSurrogate, "{text}: {error}");
            assert_eq!(error.line, 1, "{text}");
            assert!(error.column > 0, "{text}");
            assert_eq!(error.path.to_string(), path, "{text}");
        }
        let error = error(br#"{"\ud800": 1}"#);
        assert_eq!(error.kind, ParseErrorKind::LoneSurrogate);
        // A pair is fine, and so is an escaped backslash before a `u`.
        let parsed: Parsed<Typed> =
            parse_json(br#"{"unknown": ["\ud83d\ude00", "\\ud800"]}"#).expect("parses");
        assert_eq!(parsed.ignored.len(), 1);
    }

    #[test]
    fn invalid_utf8_is_refused_everywhere() {
        for body in [
            &b"{\"text\": \"\xff\"}"[..],
            b"{\"unknown\": \"\xc3\"}",
            b"{\"unknown\": {\"\xed\xa0\x80\": 1}}",
            b"{\"any\": [\"\xe4\xb8\"]}",
        ] {
            let error = error(body);
            let text = String::from_utf8_lossy(body);
            assert_eq!(error.kind, ParseErrorKind::InvalidUtf8, "{text}: {error:?}");
            assert!(error.line >= 1 && error.column >= 1, "{text}: {error:?}");
        }
        // A body that is not UTF-8 is refused as such wherever the byte is, even outside
        // strings (where serde_json alone would call it a syntax error), and before any
        // problem of types that comes earlier in the body.
        let stray = error(b"{\"unknown\": 1}\xff");
        assert_eq!(stray.kind, ParseErrorKind::InvalidUtf8);
        assert_eq!((stray.line, stray.column), (1, 15));
        let late = error(b"{\"text\": 12, \"unknown\": \"\xff\"}");
        assert_eq!(late.kind, ParseErrorKind::InvalidUtf8);
        assert_eq!(late.path.to_string(), "unknown");
        let error = error(b"{\"unknown\": [1, \"ok\", \"\xff\"]}");
        assert_eq!(error.kind, ParseErrorKind::InvalidUtf8);
        assert_eq!(error.path.to_string(), "unknown[2]");
        assert_eq!((error.line, error.column), (1, 24));
    }

    #[test]
    fn nesting_is_bounded_everywhere() {
        let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        // The body object is level 1, so a value can add MAX_NESTING - 1 levels.
        for field in ["any", "unknown"] {
            let fits = format!("{{\"{field}\": {}}}", nested(MAX_NESTING - 1));
            assert!(parse_json::<Typed>(fits.as_bytes()).is_ok(), "{field}");
            let deep = format!("{{\"{field}\": {}}}", nested(MAX_NESTING));
            let error = error(deep.as_bytes());
            assert_eq!(error.kind, ParseErrorKind::TooDeep, "{field}: {error}");
            assert!(error.message.contains("127"), "{}", error.message);
            assert!(error.path.to_string().starts_with(field), "{}", error.path);
        }
        // Far deeper than any stack would take, in an ignored field.
        let hostile = format!("{{\"unknown\": {}}}", nested(1_000_000));
        let error = error(hostile.as_bytes());
        assert_eq!(error.kind, ParseErrorKind::TooDeep);
        assert_eq!(error.column, 1 + 12 + MAX_NESTING - 1);
        assert!(error.to_string().len() < 4096);
    }

    #[test]
    fn integer_overflow_is_named_with_its_path() {
        for (body, number, target) in [
            (&br#"{"small": 300}"#[..], "300", "u8"),
            (br#"{"small": -1}"#, "-1", "u8"),
            (
                br#"{"big": 9223372036854775808}"#,
                "9223372036854775808",
                "i64",
            ),
            (br#"{"big": 99999999999999999999}"#, "1e+20", "i64"),
            (br#"{"big": -99999999999999999999}"#, "-1e+20", "i64"),
            (br#"{"big": 18446744073709551616}"#, "", "i64"),
        ] {
            let error = error(body);
            let text = String::from_utf8_lossy(body);
            assert_eq!(
                error.kind,
                ParseErrorKind::IntegerOverflow,
                "{text}: {error}"
            );
            assert!(error.message.starts_with("integer overflow: "), "{error}");
            assert!(error.message.contains(number), "{error}");
            assert!(error.message.ends_with(target), "{error}");
            assert!(!error.path.is_root(), "{text}");
        }
        // A fraction is a type mismatch, not an overflow.
        assert_eq!(error(br#"{"big": 1.5}"#).kind, ParseErrorKind::Mismatch);
        assert_eq!(error(br#"{"big": 5.0}"#).kind, ParseErrorKind::Mismatch);
    }

    #[test]
    fn a_huge_value_gives_a_short_error() {
        let body = format!("{{\"small\": \"{}\"}}", "a".repeat(10 * 1024 * 1024));
        let error = error(body.as_bytes());
        assert_eq!(error.kind, ParseErrorKind::Mismatch);
        let text = error.to_string();
        assert!(text.len() < 4096, "{} bytes", text.len());
        assert!(text.contains("…\" (10485760 bytes)"), "{text}");
        assert!(text.contains("expected u8"), "{text}");
    }

    #[test]
    fn syntax_errors_are_syntax() {
        assert_eq!(error(b"{").kind, ParseErrorKind::Syntax);
        assert_eq!(error(b"{} x").kind, ParseErrorKind::Syntax);
        assert_eq!(error(b"").kind, ParseErrorKind::Syntax);
    }
}
