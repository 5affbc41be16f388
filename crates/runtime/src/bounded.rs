//! Bounding what a payload can make credkit print: values and keys echoed in errors, paths and
//! command output are cut, with their full length shown, so that a 10 MB string yields a line
//! of a few dozen bytes rather than 10 MB of error text.

use std::fmt;

/// Longest part of a value or key that is echoed, in bytes; longer text is cut at a character
/// boundary and shown with its length: `"aaaa…" (10485760 bytes)`.
pub const MAX_ECHO_BYTES: usize = 64;

/// Longest error message credkit builds from a payload, in bytes (before the path and the
/// position are added).
pub const MAX_MESSAGE_BYTES: usize = 1024;

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
pub fn prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// `text` for display, cut to at most `max` bytes (see [`shorten`]).
#[derive(Debug, Clone, Copy)]
pub struct Shortened<'a> {
    text: &'a str,
    max: usize,
    quoted: bool,
}

/// Displays `text` whole when it has at most `max` bytes, otherwise its first `max` bytes (cut
/// at a character boundary) followed by `…` and the full length: `aaaa… (10485760 bytes)`.
pub fn shorten(text: &str, max: usize) -> Shortened<'_> {
    Shortened {
        text,
        max,
        quoted: false,
    }
}

impl Shortened<'_> {
    /// Displays the text quoted and escaped like Rust's `{:?}`: `"aaaa…" (10485760 bytes)`.
    pub fn quoted(self) -> Self {
        Shortened {
            quoted: true,
            ..self
        }
    }

    /// Whether the text is longer than the bound, so that it is displayed cut.
    pub fn is_cut(&self) -> bool {
        self.text.len() > self.max
    }
}

impl fmt::Display for Shortened<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = prefix(self.text, self.max);
        let cut = self.is_cut();
        if self.quoted {
            let escaped = format!("{shown:?}");
            let inner = &escaped[1..escaped.len() - 1];
            if cut {
                write!(f, "\"{inner}…\" ({} bytes)", self.text.len())
            } else {
                write!(f, "\"{inner}\"")
            }
        } else if cut {
            write!(f, "{shown}… ({} bytes)", self.text.len())
        } else {
            f.write_str(shown)
        }
    }
}

/// A message built from a payload (serde's `invalid type: string "…", expected u32`), bounded:
/// every quoted (`"…"`) or back-quoted (`` `…` ``) part longer than [`MAX_ECHO_BYTES`] is cut
/// with its length shown, and the whole is then cut to [`MAX_MESSAGE_BYTES`].
pub fn bound_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(MAX_MESSAGE_BYTES + 64));
    let mut rest = message;
    while let Some(start) = rest.find(['"', '`']) {
        let quote = rest.as_bytes()[start];
        out.push_str(&rest[..start + 1]);
        let body = &rest[start + 1..];
        let end = if quote == b'"' {
            closing_quote(body)
        } else {
            body.find('`')
        };
        let Some(end) = end else {
            rest = body;
            break;
        };
        let inner = &body[..end];
        if inner.len() > MAX_ECHO_BYTES {
            out.push_str(prefix(inner, MAX_ECHO_BYTES));
            out.push('…');
            out.push(quote as char);
            out.push_str(&format!(" ({} bytes)", inner.len()));
        } else {
            out.push_str(inner);
            out.push(quote as char);
        }
        rest = &body[end + 1..];
        if out.len() > MAX_MESSAGE_BYTES {
            break;
        }
    }
    out.push_str(prefix(rest, MAX_MESSAGE_BYTES + 1));
    if out.len() > MAX_MESSAGE_BYTES {
        let total = message.len();
        let cut = prefix(&out, MAX_MESSAGE_BYTES).len();
        out.truncate(cut);
        out.push_str(&format!("… (message of {total} bytes)"));
    }
    out
}

/// The index of the `"` that closes a string escaped like Rust's `{:?}` (`\"` and `\\` are
/// escapes), in `body`, the text after the opening quote.
fn closing_quote(body: &str) -> Option<usize> {
    let bytes = body.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'\\' => index += 2,
            b'"' => return Some(index),
            _ => index += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_whole_and_long_text_is_cut_with_its_length() {
        assert_eq!(shorten("abc", 8).to_string(), "abc");
        assert_eq!(shorten("abc", 8).quoted().to_string(), "\"abc\"");
        let long = "a".repeat(10_485_760);
        assert_eq!(
            shorten(&long, 4).quoted().to_string(),
            "\"aaaa…\" (10485760 bytes)"
        );
        assert_eq!(shorten(&long, 4).to_string(), "aaaa… (10485760 bytes)");
    }

    #[test]
    fn cuts_fall_on_character_boundaries() {
        let text = "暂无数据".repeat(100); // 3 bytes per character
        for max in 0..20 {
            let cut = prefix(&text, max);
            assert!(cut.len() <= max && max - cut.len() < 3, "{max}");
            let _ = shorten(&text, max).to_string();
        }
        assert_eq!(prefix("", 3), "");
        assert_eq!(prefix("é", 1), "");
    }

    #[test]
    fn quoted_text_escapes_control_characters() {
        assert_eq!(shorten("a\"b\n", 8).quoted().to_string(), r#""a\"b\n""#);
    }

    #[test]
    fn messages_cut_each_long_quoted_part() {
        let value = "x".repeat(1_000_000);
        let message = format!("invalid type: string {value:?}, expected u32");
        let bounded = bound_message(&message);
        assert_eq!(
            bounded,
            format!(
                "invalid type: string \"{}…\" (1000000 bytes), expected u32",
                "x".repeat(MAX_ECHO_BYTES)
            )
        );
        let message = format!("unknown variant `{value}`, expected `A` or `B`");
        assert!(bound_message(&message).ends_with("(1000000 bytes), expected `A` or `B`"));
        assert_eq!(bound_message("plain"), "plain");
        let escaped = format!("string \"{}\\\"{}\"", "a".repeat(10), "b".repeat(100));
        assert!(
            bound_message(&escaped).ends_with("…\" (112 bytes)"),
            "{}",
            bound_message(&escaped)
        );
    }

    #[test]
    fn messages_are_bounded_whatever_their_shape() {
        for message in [
            "y".repeat(100_000),
            "\"".repeat(100_000),
            "`a`".repeat(100_000),
            format!("\"{}", "z".repeat(100_000)),
            "é".repeat(100_000),
            format!("`{}", "\\".repeat(100_000)),
        ] {
            let bounded = bound_message(&message);
            assert!(
                bounded.len() <= MAX_MESSAGE_BYTES + 200,
                "{}",
                bounded.len()
            );
        }
    }
}
