//! Where a channel's responses carry the vendor's verdict, and reading it without building the
//! whole body as a `serde_json::Value`.
//!
//! [`Verdict::read`] walks the body once with serde, keeping only the values at the verdict's
//! JSON pointers (status, message, request id) and skipping everything else with
//! [`serde::de::IgnoredAny`]: it checks that the body is JSON and finds the verdict, but
//! allocates nothing for the report itself. The transport uses it only when the typed parse
//! fails: a success body is parsed once by [`Verdict::parse`], which captures the same values
//! while the model is deserialized.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize as _;
use serde_json::Value;

use crate::one_pass::{segments, value_text as text};
use crate::parse::parse_capturing;
use crate::{ParseError, Parsed};

/// One test of the vendor's verdict: the value at `pointer` (a JSON pointer into the body),
/// when present, must be one of `ok`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusCheck {
    /// Where the status is.
    pub pointer: &'static str,
    /// The values that mean success (numbers are compared by their JSON text).
    pub ok: &'static [&'static str],
}

/// How to read a channel's response: where the status, message and request id are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    /// Status tests; every present status must be a success value.
    pub checks: &'static [StatusCheck],
    /// Where the vendor's message may be, first match wins.
    pub message: &'static [&'static str],
    /// Where the request id may be, first match wins.
    pub request_id: &'static [&'static str],
}

/// The verdict found in one body. Texts are raw (unbounded, unscrubbed): the transport
/// cleans them before they go into an error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    /// The first status that is not a success value.
    pub failing_code: Option<String>,
    /// Whether any status was present.
    pub has_status: bool,
    /// The vendor's message.
    pub message: Option<String>,
    /// The vendor's request id.
    pub request_id: Option<String>,
}

impl Verdict {
    /// The pointers of the checks, then the messages, then the request ids.
    fn pointers(&self) -> Vec<&'static str> {
        self.checks
            .iter()
            .map(|check| check.pointer)
            .chain(self.message.iter().copied())
            .chain(self.request_id.iter().copied())
            .collect()
    }

    /// The verdict from the values at [`Verdict::pointers`].
    fn found(&self, values: &[Option<String>]) -> Found {
        let (statuses, rest) = values.split_at(self.checks.len().min(values.len()));
        let (messages, request_ids) = rest.split_at(self.message.len().min(rest.len()));
        let failing_code = self.checks.iter().zip(statuses).find_map(|(check, code)| {
            let code = code.as_deref()?;
            (!check.ok.contains(&code)).then(|| code.to_owned())
        });
        Found {
            failing_code,
            has_status: statuses.iter().any(Option::is_some),
            message: messages.iter().flatten().next().cloned(),
            request_id: request_ids.iter().flatten().next().cloned(),
        }
    }

    /// Reads the verdict from `body`; `Err` when the body is not one JSON document.
    pub fn read(&self, body: &[u8]) -> Result<Found, serde_json::Error> {
        Ok(self.found(&select(body, &self.pointers())?))
    }

    /// Parses `body` as `T` and reads the verdict in the same pass ([`crate::parse_json`]
    /// observing the verdict's pointers). Should a pointer end on an array or object the model
    /// reads (no channel's does), the verdict is read by [`Verdict::read`] instead.
    ///
    /// # Errors
    ///
    /// The [`ParseError`] of [`crate::parse_json`].
    pub fn parse<T: DeserializeOwned>(
        &self,
        body: &[u8],
    ) -> Result<(Parsed<T>, Found), ParseError> {
        let (parsed, values) = parse_capturing::<T>(body, &self.pointers())?;
        let found = match values {
            Some(values) => self.found(&values),
            None => self.read(body).unwrap_or_default(),
        };
        Ok((parsed, found))
    }
}

/// The text at each of `pointers` in the JSON document `body`: a string as it is, `null` or
/// absent as `None`, anything else as its JSON text.
pub fn select(body: &[u8], pointers: &[&str]) -> Result<Vec<Option<String>>, serde_json::Error> {
    let paths: Vec<Vec<String>> = pointers.iter().map(|p| segments(p)).collect();
    let mut found = vec![None; pointers.len()];
    let mut json = serde_json::Deserializer::from_slice(body);
    Select {
        paths: &paths,
        active: (0..paths.len()).collect(),
        depth: 0,
        found: &mut found,
    }
    .deserialize(&mut json)?;
    json.end()?;
    Ok(found)
}

/// Deserializes one value, recording the pointers in `active` that end here and descending
/// only into members some pointer goes on through.
struct Select<'a> {
    paths: &'a [Vec<String>],
    active: Vec<usize>,
    depth: usize,
    found: &'a mut [Option<String>],
}

impl<'de> DeserializeSeed<'de> for Select<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let ends_here = self
            .active
            .iter()
            .any(|&i| self.paths[i].len() == self.depth);
        if ends_here {
            // A pointer ends here: keep this value (a status, message or id — small in any
            // sane body) and answer the deeper pointers from it.
            let value = Value::deserialize(deserializer)?;
            for &i in &self.active {
                let rest = &self.paths[i][self.depth..];
                let mut at = Some(&value);
                for token in rest {
                    at = at.and_then(|v| match v {
                        Value::Object(map) => map.get(token),
                        Value::Array(items) => {
                            token.parse::<usize>().ok().and_then(|n| items.get(n))
                        }
                        _ => None,
                    });
                }
                self.found[i] = at.and_then(text);
            }
            return Ok(());
        }
        deserializer.deserialize_any(self)
    }
}

impl Select<'_> {
    fn narrowed(&self, token: &str) -> Vec<usize> {
        self.active
            .iter()
            .copied()
            .filter(|&i| self.paths[i].get(self.depth).map(String::as_str) == Some(token))
            .collect()
    }
}

impl<'de> Visitor<'de> for Select<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let active = self.narrowed(&key);
            if active.is_empty() {
                map.next_value::<IgnoredAny>()?;
            } else {
                map.next_value_seed(Select {
                    paths: self.paths,
                    active,
                    depth: self.depth + 1,
                    found: &mut *self.found,
                })?;
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0usize;
        loop {
            let active = self.narrowed(&index.to_string());
            let more = if active.is_empty() {
                seq.next_element::<IgnoredAny>()?.is_some()
            } else {
                seq.next_element_seed(Select {
                    paths: self.paths,
                    active,
                    depth: self.depth + 1,
                    found: &mut *self.found,
                })?
                .is_some()
            };
            if !more {
                return Ok(());
            }
            index += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VERDICT: Verdict = Verdict {
        checks: &[
            StatusCheck {
                pointer: "/result/status",
                ok: &["OK"],
            },
            StatusCheck {
                pointer: "/code",
                ok: &["0"],
            },
        ],
        message: &["/result/reason", "/msg"],
        request_id: &["/data/0/sid", "/sid"],
    };

    #[test]
    fn finds_the_verdict_and_skips_the_rest() {
        let body = br#"{"big":{"x":[1,2,{"y":"z"}]},"code":5,"msg":"no","data":[{"sid":"S1"}],"result":{"status":"OK"}}"#;
        let found = VERDICT.read(body).expect("json");
        assert_eq!(
            found,
            Found {
                failing_code: Some("5".into()),
                has_status: true,
                message: Some("no".into()),
                request_id: Some("S1".into()),
            }
        );
    }

    #[test]
    fn absent_and_null_values_pass() {
        let found = VERDICT
            .read(br#"{"code":null,"result":{"status":"OK"},"sid":7}"#)
            .expect("json");
        assert_eq!(found.failing_code, None);
        assert!(found.has_status);
        assert_eq!(found.request_id.as_deref(), Some("7"));
        let found = VERDICT.read(b"[1,2]").expect("json");
        assert_eq!(found, Found::default());
    }

    #[test]
    fn a_pointer_ending_on_an_object_keeps_its_json_text() {
        let values = select(br#"{"a":{"b":[true]}}"#, &["/a", "/a/b/0", "/a/c"]).expect("json");
        assert_eq!(
            values,
            vec![Some(r#"{"b":[true]}"#.into()), Some("true".into()), None]
        );
    }

    #[test]
    fn not_json_is_an_error() {
        assert!(VERDICT.read(b"<html>").is_err());
        assert!(VERDICT.read(br#"{"code":0} trailing"#).is_err());
        assert!(VERDICT.read(br#"{"code":0"#).is_err());
    }
}
