//! One linear pass over a JSON body for what serde_json does not check in values it skips:
//! invalid UTF-8, lone UTF-16 surrogates in `\u` escapes, and nesting deeper than
//! [`MAX_NESTING`].
//!
//! serde_json validates every string it decodes and counts the nesting of every array and
//! object it decodes, but a value that a model ignores (an unknown field) is only skipped: its
//! strings are not checked and its nesting is not counted. [`check`] covers the whole body in
//! one pass without allocating: `std::str::from_utf8` (vectorised) for UTF-8, then a walk that
//! jumps from quote to backslash to quote inside strings (`memchr`) and counts brackets outside
//! them. It is meant for a body serde_json has accepted as JSON, but is total: any byte sequence
//! gives an answer, never a panic.

use crate::{JsonPath, PathSegment};

/// The deepest nesting of arrays and objects a payload may have: the body itself counts as
/// level 1 when it is an array or an object, so `[[1]]` has depth 2.
///
/// This is serde_json's own limit (it refuses the 128th level), applied by
/// [`parse_json`](crate::parse_json) to the whole body, unknown fields included, so that every
/// tool that reads a payload (`credkit parse`, `credkit audit`, which builds a
/// `serde_json::Value`) accepts and refuses the same documents.
pub const MAX_NESTING: usize = 127;

/// What [`check`] found wrong, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Problem {
    /// The bytes from this offset on are not valid UTF-8.
    InvalidUtf8,
    /// A `\u` escape at this offset is half a surrogate pair.
    LoneSurrogate,
    /// The array or object opening at this offset is nested deeper than [`MAX_NESTING`].
    TooDeep,
}

/// The first problem in `input` by position, with its byte offset.
pub(crate) fn check(input: &[u8]) -> Option<(usize, Problem)> {
    let valid = match std::str::from_utf8(input) {
        Ok(_) => input.len(),
        Err(error) => error.valid_up_to(),
    };
    walk(&input[..valid], |_| {})
        .or_else(|| (valid < input.len()).then_some((valid, Problem::InvalidUtf8)))
}

/// One container the walk is inside, for [`path_at`].
enum Frame<'a> {
    /// An object, with the raw key (between its quotes) of the member being read, if any.
    Object(Option<&'a [u8]>),
    /// An array, with the index of the element being read.
    Array(usize),
}

/// The path of the value at byte `offset` of a body (of the object that holds the key, for an
/// offset inside a key). Only used to report a problem, so it may allocate.
pub(crate) fn path_at(input: &[u8], offset: usize) -> JsonPath {
    let input = &input[..offset.min(input.len())];
    let mut frames: Vec<Frame<'_>> = Vec::new();
    let mut key_start = None;
    walk(input, |event| match event {
        Event::Open(b'{') if frames.len() <= MAX_NESTING => frames.push(Frame::Object(None)),
        Event::Open(_) if frames.len() <= MAX_NESTING => frames.push(Frame::Array(0)),
        Event::Open(_) => {}
        Event::Close => {
            frames.pop();
        }
        Event::Comma => match frames.last_mut() {
            Some(Frame::Array(index)) => *index += 1,
            Some(Frame::Object(key)) => *key = None,
            None => {}
        },
        Event::StringStart(at) => key_start = Some(at),
        Event::StringEnd(at) => {
            if let (Some(Frame::Object(key @ None)), Some(start)) = (frames.last_mut(), key_start) {
                *key = input.get(start + 1..at);
            }
            key_start = None;
        }
    });
    // A key being read (the offset is inside it) is not part of the path.
    JsonPath(
        frames
            .iter()
            .filter_map(|frame| match frame {
                Frame::Object(key) => key.map(|raw| PathSegment::Key(decode_key(raw))),
                Frame::Array(index) => Some(PathSegment::Index(*index)),
            })
            .collect(),
    )
}

/// The text of a key from its raw bytes between the quotes: unescaped when it is valid JSON
/// text, as written otherwise (a key holding a lone surrogate).
fn decode_key(raw: &[u8]) -> String {
    let mut quoted = Vec::with_capacity(raw.len() + 2);
    quoted.push(b'"');
    quoted.extend_from_slice(raw);
    quoted.push(b'"');
    serde_json::from_slice::<String>(&quoted)
        .unwrap_or_else(|_| String::from_utf8_lossy(raw).into_owned())
}

/// A structural step of [`walk`], for [`path_at`].
enum Event {
    /// `[` or `{`.
    Open(u8),
    /// `]` or `}`.
    Close,
    /// `,` outside strings.
    Comma,
    /// The opening quote of a string, at this offset.
    StringStart(usize),
    /// The closing quote of a string, at this offset.
    StringEnd(usize),
}

/// Walks `input`, reporting structure to `on` and stopping at the first surrogate or nesting
/// problem. Linear; no allocation.
fn walk(input: &[u8], mut on: impl FnMut(Event)) -> Option<(usize, Problem)> {
    let mut depth = 0usize;
    let mut index = 0;
    while let Some(&byte) = input.get(index) {
        match byte {
            b'"' => {
                on(Event::StringStart(index));
                index += 1;
                loop {
                    let Some(found) = input
                        .get(index..)
                        .and_then(|rest| memchr::memchr2(b'"', b'\\', rest))
                    else {
                        return None; // an unterminated string: not JSON, not ours to report
                    };
                    let at = index + found;
                    if input[at] == b'"' {
                        on(Event::StringEnd(at));
                        index = at + 1;
                        break;
                    }
                    match input.get(at + 1) {
                        Some(b'u') => match surrogate_escape(input, at) {
                            Ok(length) => index = at + length,
                            Err(()) => return Some((at, Problem::LoneSurrogate)),
                        },
                        Some(_) => index = at + 2,
                        None => return None,
                    }
                }
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some((index, Problem::TooDeep));
                }
                on(Event::Open(byte));
                index += 1;
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                on(Event::Close);
                index += 1;
            }
            b',' => {
                on(Event::Comma);
                index += 1;
            }
            _ => index += 1,
        }
    }
    None
}

/// The value of the four hex digits at `at`, if there are four.
fn hex4(input: &[u8], at: usize) -> Option<u16> {
    let digits = input.get(at..at.checked_add(4)?)?;
    let text = std::str::from_utf8(digits).ok()?;
    if !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u16::from_str_radix(text, 16).ok()
}

/// For the `\u` escape at `at`: how many bytes it spans (12 for a surrogate pair, 6 otherwise;
/// 2 when its digits are malformed, which serde_json reports), or `Err` for a lone surrogate.
fn surrogate_escape(input: &[u8], at: usize) -> Result<usize, ()> {
    let Some(unit) = hex4(input, at + 2) else {
        return Ok(2);
    };
    match unit {
        0xD800..=0xDBFF => {
            let pair = input.get(at + 6..at + 8) == Some(b"\\u")
                && matches!(hex4(input, at + 8), Some(0xDC00..=0xDFFF));
            if pair {
                Ok(12)
            } else {
                Err(())
            }
        }
        0xDC00..=0xDFFF => Err(()),
        _ => Ok(6),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(input: &str) -> Option<(usize, Problem)> {
        check(input.as_bytes())
    }

    #[test]
    fn valid_bodies_pass() {
        for body in [
            r#"{"a": "\ud83d\ude00", "b": ["\\ud800", "\\\ud83d\ude00"], "c": "[[[{{{"}"#,
            r#"{"k\"ey": "\u00e9\u4e2d", "x": "\"\\"}"#,
            "[]",
            "",
            r#""\u12""#,
        ] {
            assert_eq!(problem(body), None, "{body}");
        }
    }

    #[test]
    fn lone_surrogates_anywhere_are_found() {
        assert_eq!(
            problem(r#"{"a": "\ud800"}"#),
            Some((7, Problem::LoneSurrogate))
        );
        assert_eq!(
            problem(r#"{"a": "x\udc00"}"#),
            Some((8, Problem::LoneSurrogate))
        );
        assert_eq!(
            problem(r#"{"\uD800\u0041": 1}"#),
            Some((2, Problem::LoneSurrogate))
        );
        assert_eq!(
            problem(r#"["\ud800\ud800\udc00"]"#),
            Some((2, Problem::LoneSurrogate))
        );
        assert_eq!(
            problem(r#"["\\\udbff"]"#),
            Some((4, Problem::LoneSurrogate))
        );
        assert_eq!(problem("\"\\ud800"), Some((1, Problem::LoneSurrogate)));
    }

    #[test]
    fn invalid_utf8_is_found_at_its_offset() {
        assert_eq!(check(b"{\"a\": \"\xff\"}"), Some((7, Problem::InvalidUtf8)));
        assert_eq!(check(b"[\"\xe4\xb8\"]"), Some((2, Problem::InvalidUtf8)));
        // The earlier problem wins.
        assert_eq!(
            check(b"[\"\\udc00\", \"\xff\"]"),
            Some((2, Problem::LoneSurrogate))
        );
    }

    #[test]
    fn nesting_is_counted_outside_strings_only() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert_eq!(problem(&deep(MAX_NESTING)), None);
        assert_eq!(
            problem(&deep(MAX_NESTING + 1)),
            Some((MAX_NESTING, Problem::TooDeep))
        );
        let in_string = format!("[\"{}\"]", "[".repeat(1000));
        assert_eq!(problem(&in_string), None);
    }

    #[test]
    fn limit_is_serde_jsons() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(serde_json::from_str::<serde_json::Value>(&deep(MAX_NESTING)).is_ok());
        assert!(serde_json::from_str::<serde_json::Value>(&deep(MAX_NESTING + 1)).is_err());
    }

    #[test]
    fn path_at_names_the_value() {
        let body = r#"{"a": [1, {"b c": "\ud800"}], "d": 2}"#;
        let (offset, _) = problem(body).expect("a problem");
        assert_eq!(
            path_at(body.as_bytes(), offset).to_string(),
            r#"a[1]["b c"]"#
        );
        let body = r#"{"a": {"\ud800": 1}}"#;
        let (offset, _) = problem(body).expect("a problem");
        assert_eq!(path_at(body.as_bytes(), offset).to_string(), "a");
        let body = r#"{"x\"y": [[[2]]]}"#;
        assert_eq!(
            path_at(body.as_bytes(), 12).to_string(),
            r#"["x\"y"][0][0][0]"#
        );
    }

    #[test]
    fn never_panics_on_odd_bytes() {
        let samples: [&[u8]; 9] = [
            b"\\",
            b"\"\\",
            b"\"\\u",
            b"\"\\ud8",
            b"\"\\ud800\\",
            b"\"\\ud800\\u",
            b"\"\\ud800\\udc",
            b"]]]}}}",
            b"\xff\xfe\"\\u\xff\xff\xff\xff",
        ];
        for sample in samples {
            let _ = check(sample);
            for offset in 0..=sample.len() + 1 {
                let _ = path_at(sample, offset);
            }
        }
    }
}
