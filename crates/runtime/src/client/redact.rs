//! Bounding and scrubbing every text that leaves the client.
//!
//! Vendor answers are hostile input: a gateway's error page may reflect the request back
//! (query string with Dianhua's `token`, headers with `X-DF-API-SECRET` or Tencent's
//! `Authorization`), and a typed field may hold megabytes. Every message, code, request id and
//! body excerpt that the transport puts into an error or an event goes through a [`Redactor`]:
//!
//! * the values of the signer's secrets ([`super::signing::Signer::secrets`]) are replaced by
//!   `***`, in the forms a reflecting page may show them: as sent, URL-encoded, JSON-escaped
//!   and HTML-escaped, ASCII case ignored (`%2b` and `%2B` alike);
//! * the text is then cut to a few KB, with the full length shown (`… (10485760 bytes in
//!   all)`), so one field cannot flood a log or a terminal.

use std::ops::Range;

/// The most bytes of a message, code or request id kept in an error.
pub const MAX_TEXT_BYTES: usize = 2 * 1024;

/// The most bytes of a response body kept as an excerpt in an error.
pub const MAX_EXCERPT_BYTES: usize = 1024;

/// What replaces a secret.
const MASK: &str = "***";

/// Secrets shorter than this are not searched for: masking every `k` of a message would
/// destroy it, and a value this short protects nothing anyway.
pub const MIN_SECRET_LEN: usize = 4;

/// Cuts `text` to at most `limit` bytes (at a character boundary) and, when it was longer,
/// appends `… (N bytes in all)`.
pub fn bound(text: &str, limit: usize) -> String {
    bound_with_total(text, limit, text.len())
}

fn bound_with_total(text: &str, limit: usize, total: usize) -> String {
    if text.len() <= limit && total <= limit {
        return text.to_owned();
    }
    format!(
        "{}… ({total} bytes in all)",
        crate::bounded::prefix(text, limit)
    )
}

/// Replaces secret values by `***` and bounds texts; built per attempt from the signer's
/// secrets and the signature that attempt sent.
#[derive(Clone, Default)]
pub struct Redactor {
    /// Every form of every secret, ASCII-lowercased, longest first.
    patterns: Vec<String>,
}

/// Names how many patterns it holds, never a pattern.
impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redactor")
            .field("patterns", &self.patterns.len())
            .finish()
    }
}

impl Redactor {
    /// A redactor for `secrets` (values shorter than [`MIN_SECRET_LEN`] bytes are skipped).
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a str>) -> Self {
        let mut patterns: Vec<String> = secrets
            .into_iter()
            .filter(|secret| secret.len() >= MIN_SECRET_LEN)
            .flat_map(forms)
            .map(|form| form.to_ascii_lowercase())
            .collect();
        patterns.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        patterns.dedup();
        Redactor { patterns }
    }

    /// `text` with every secret replaced by `***`, cut to `limit` bytes (plus a note of the
    /// full length). Only the first `limit` bytes and the longest secret's length after them
    /// are searched, so a secret straddling the cut is masked whole and a huge text costs no
    /// more than a short one.
    pub fn clean(&self, text: &str, limit: usize) -> String {
        let longest = self.patterns.first().map_or(0, String::len);
        let window = crate::bounded::prefix(text, limit.saturating_add(longest));
        let scrubbed = self.scrub(window);
        bound_with_total(&scrubbed, limit, text.len())
    }

    /// The start of a response body for an error: invalid UTF-8 replaced, secrets masked,
    /// whitespace runs collapsed, at most [`MAX_EXCERPT_BYTES`] (plus the body's length when
    /// it was cut).
    pub fn excerpt(&self, body: &[u8]) -> String {
        let longest = self.patterns.first().map_or(0, String::len);
        let window = &body[..body.len().min(MAX_EXCERPT_BYTES + longest + 4)];
        let text = String::from_utf8_lossy(window);
        let scrubbed = self.scrub(&text);
        let collapsed = scrubbed.split_whitespace().collect::<Vec<_>>().join(" ");
        if body.len() <= MAX_EXCERPT_BYTES {
            bound(&collapsed, MAX_EXCERPT_BYTES)
        } else {
            bound_with_total(&collapsed, MAX_EXCERPT_BYTES, body.len())
        }
    }

    /// `text` with every occurrence of every pattern (ASCII case ignored) replaced by `***`.
    fn scrub(&self, text: &str) -> String {
        if self.patterns.is_empty() {
            return text.to_owned();
        }
        // ASCII lowercasing keeps every byte offset and every character boundary.
        let lower = text.to_ascii_lowercase();
        let mut ranges: Vec<Range<usize>> = Vec::new();
        for pattern in &self.patterns {
            let mut from = 0;
            while let Some(found) = lower[from..].find(pattern.as_str()) {
                let start = from + found;
                ranges.push(start..start + pattern.len());
                from = start + pattern.len();
            }
        }
        if ranges.is_empty() {
            return text.to_owned();
        }
        ranges.sort_by_key(|range| range.start);
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for range in ranges {
            if range.end <= at {
                continue;
            }
            let start = range.start.max(at);
            // Patterns are whole UTF-8 strings, so matches start and end on boundaries.
            out.push_str(&text[at..start]);
            if start == range.start {
                out.push_str(MASK);
            }
            at = range.end;
        }
        out.push_str(&text[at..]);
        out
    }
}

/// The forms in which a reflecting page may show `secret`.
fn forms(secret: &str) -> Vec<String> {
    let form_encoded: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let percent_space = form_encoded.replace('+', "%20");
    let json = serde_json::to_string(secret)
        .map(|quoted| quoted[1..quoted.len() - 1].to_owned())
        .unwrap_or_default();
    let html = html_escape(secret, "&quot;", "&#39;");
    let html_numeric = html_escape(secret, "&#34;", "&#x27;");
    let mut forms = vec![
        secret.to_owned(),
        form_encoded,
        percent_space,
        json,
        html,
        html_numeric,
    ];
    forms.retain(|form| !form.is_empty());
    forms
}

fn html_escape(text: &str, quote: &str, apostrophe: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str(quote),
            '\'' => out.push_str(apostrophe),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bound_cuts_at_a_character_boundary_and_shows_the_length() {
        assert_eq!(bound("short", 10), "short");
        let long = "é".repeat(10); // 20 bytes
        let cut = bound(&long, 5);
        assert_eq!(cut, "éé… (20 bytes in all)");
    }

    #[test]
    fn every_form_of_a_secret_is_masked() {
        let secret = "a+b/c= \"d\"&e";
        let redactor = Redactor::new([secret, "", "abc", "TOKEN-1"]);
        let texts = [
            format!("raw {secret} end"),
            format!(
                "query token={}",
                url::form_urlencoded::byte_serialize(secret.as_bytes()).collect::<String>()
            ),
            "lower a%2bb%2fc%3d+%22d%22%26e".to_owned(),
            format!("json {}", serde_json::to_string(secret).expect("json")),
            "html a+b/c= &quot;d&quot;&amp;e".to_owned(),
            "case token-1 Token-1 abc".to_owned(),
        ];
        for text in texts {
            let clean = redactor.clean(&text, MAX_TEXT_BYTES);
            assert!(clean.contains("***"), "{text} -> {clean}");
            assert_eq!(clean.contains("abc"), text.contains("abc"), "{clean}");
            for part in ["a+b", "a%2b", "a%2B", "TOKEN-1", "token-1", "&quot;d"] {
                assert!(!clean.contains(part), "{text} -> {clean}");
            }
        }
    }

    #[test]
    fn a_secret_across_the_cut_is_masked_whole() {
        let redactor = Redactor::new(["SECRETVALUE"]);
        let text = format!("{}SECRETVALUE tail", "x".repeat(8));
        let clean = redactor.clean(&text, 12);
        assert!(!clean.contains("SECRET"), "{clean}");
        assert!(clean.starts_with("xxxxxxxx***"), "{clean}");
    }

    #[test]
    fn excerpts_are_bounded_and_scrubbed() {
        let redactor = Redactor::new(["s3cr3t"]);
        let body = format!("<p>token=s3cr3t</p>{}", " x".repeat(100_000));
        let excerpt = redactor.excerpt(body.as_bytes());
        assert!(excerpt.len() <= MAX_EXCERPT_BYTES + 40, "{}", excerpt.len());
        assert!(excerpt.starts_with("<p>token=***</p>"), "{excerpt}");
        assert!(excerpt.ends_with(&format!("({} bytes in all)", body.len())));
        assert!(!format!("{redactor:?}").contains("s3cr3t"));
    }
}
