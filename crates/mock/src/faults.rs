//! Injected faults: what `credkit mock --fault <spec>` asks for, parsed into a typed [`Fault`].
//!
//! # Syntax
//!
//! ```text
//! ROUTE:KIND[:OPTION]...
//! ```
//!
//! * `ROUTE`: an operation id of any channel (`calls_report`, `ocr_pdf_credit_report`, …), a
//!   path the mock serves (`/calls/report`, `/h5`), or `*` for every operation.
//! * `KIND`:
//!   * `429`: `429 Too Many Requests` with `Retry-After` (option `retry-after=SECONDS`,
//!     default 1);
//!   * a 5xx status (`500`, `502`, `503`, `504`, …): that status with a short text body;
//!     `503x3` is short for `503:count=3` (a burst of three), and `429x2` works alike;
//!   * `reset`: the connection is reset (TCP RST) before any response;
//!   * `truncate`: the real response's headers, with its full `Content-Length`, then half of
//!     its body, then the connection closes;
//!   * `slow`: the real response, its body sent at `bps=BYTES_PER_SECOND` (default 1024);
//!   * `html`: a gateway's HTML error page (`status=CODE`, default 502); with `reflect`, the
//!     page repeats the request's method and path (never its query, which carries tokens).
//! * `OPTION`s choose which requests of the route fail: `count=N` the first N (and no
//!   later one), `rate=F` a fraction F in 0..=1 of them, drawn from a generator seeded by
//!   `seed=N` (default 0) so that a run can be repeated; neither: every request.
//!
//! Examples: `calls_report:503x3`, `ocr_pdf_credit_report:429:retry-after=2:count=1`,
//! `*:reset:rate=0.1:seed=7`, `/calls/record:html:status=504:reflect`.

use std::fmt;
use std::str::FromStr;

use crate::channels;

/// The longest piece of a spec echoed in an error.
const ECHO_LIMIT: usize = 64;

/// One injected fault: which requests of which route fail, and how.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    /// The operations it applies to.
    pub route: FaultRoute,
    /// What the mock does instead of (or to) the answer.
    pub kind: FaultKind,
    /// Which of the route's requests it hits.
    pub trigger: Trigger,
}

/// The operations a fault applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultRoute {
    /// Every operation of every channel.
    Any,
    /// One operation, by its id (a path in the spec is resolved to its operation).
    Operation(&'static str),
}

impl FaultRoute {
    /// Whether the operation `id` is one of the route's.
    pub fn matches(&self, id: &str) -> bool {
        match self {
            FaultRoute::Any => true,
            FaultRoute::Operation(op) => *op == id,
        }
    }
}

/// What an injected fault does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultKind {
    /// `429 Too Many Requests` with `Retry-After: retry_after_seconds`.
    TooManyRequests {
        /// The `Retry-After` value, in seconds.
        retry_after_seconds: u64,
    },
    /// A 5xx status with a short text body.
    ServerError {
        /// The status, 500..=599.
        status: u16,
    },
    /// The connection is reset before any response.
    Reset,
    /// The full `Content-Length`, half of the body, then the connection closes.
    Truncate,
    /// The real answer, its body trickled at a fixed rate.
    Slow {
        /// Bytes per second, at least 1.
        bytes_per_second: u64,
    },
    /// A gateway's HTML error page.
    HtmlGateway {
        /// The status, 500..=599.
        status: u16,
        /// Whether the page repeats the request's method and path.
        reflect: bool,
    },
}

/// Which of a route's requests a fault hits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Trigger {
    /// Every request.
    Always,
    /// The first `n` requests, then none.
    First(u64),
    /// Each request with probability `fraction`, drawn from a generator seeded with `seed`.
    Rate {
        /// The probability, 0..=1.
        fraction: f64,
        /// The generator's seed.
        seed: u64,
    },
}

/// Why a fault spec was refused. Pieces of the spec in messages are cut at 64 characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FaultParseError {
    /// The spec has no kind.
    #[error("a fault is ROUTE:KIND[:OPTION]..., e.g. calls_report:503x3; got `{0}`")]
    Shape(String),
    /// The route names no operation or path of the mock.
    #[error("no operation or path `{route}` in the mock; use `*` or one of: {known}")]
    UnknownRoute {
        /// The route as given.
        route: String,
        /// The operation ids.
        known: String,
    },
    /// The kind is not one of the known ones.
    #[error("unknown fault kind `{0}`: use 429, a 5xx status (503, 503x3), reset, truncate, slow or html")]
    UnknownKind(String),
    /// An option is unknown, malformed, out of range or not for this kind.
    #[error("fault option `{option}`: {problem}")]
    Option {
        /// The option as given.
        option: String,
        /// What is wrong with it.
        problem: &'static str,
    },
}

fn echo(text: &str) -> String {
    if text.chars().count() <= ECHO_LIMIT {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(ECHO_LIMIT).collect();
        format!("{cut}…")
    }
}

fn option_error(option: &str, problem: &'static str) -> FaultParseError {
    FaultParseError::Option {
        option: echo(option),
        problem,
    }
}

fn parse_route(route: &str) -> Result<FaultRoute, FaultParseError> {
    if route == "*" {
        return Ok(FaultRoute::Any);
    }
    channels::find(route)
        .map(|op| FaultRoute::Operation(op.spec.id))
        .ok_or_else(|| FaultParseError::UnknownRoute {
            route: echo(route),
            known: channels::operations()
                .map(|op| op.spec.id)
                .collect::<Vec<_>>()
                .join(", "),
        })
}

fn server_status(text: &str) -> Option<u16> {
    text.parse::<u16>()
        .ok()
        .filter(|status| (500..=599).contains(status))
}

/// The kind and the count of a `CODEx N` burst.
fn parse_kind(kind: &str) -> Result<(FaultKind, Option<u64>), FaultParseError> {
    let (code, burst) = match kind.split_once('x') {
        Some((code, count)) if code.bytes().all(|b| b.is_ascii_digit()) && !code.is_empty() => {
            let count = count
                .parse::<u64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| option_error(kind, "the burst after `x` must be a count ≥ 1"))?;
            (code, Some(count))
        }
        _ => (kind, None),
    };
    let parsed = match code {
        "429" => FaultKind::TooManyRequests {
            retry_after_seconds: 1,
        },
        "reset" => FaultKind::Reset,
        "truncate" => FaultKind::Truncate,
        "slow" => FaultKind::Slow {
            bytes_per_second: 1024,
        },
        "html" => FaultKind::HtmlGateway {
            status: 502,
            reflect: false,
        },
        other => match server_status(other) {
            Some(status) => FaultKind::ServerError { status },
            None => return Err(FaultParseError::UnknownKind(echo(kind))),
        },
    };
    if burst.is_some()
        && !matches!(
            parsed,
            FaultKind::TooManyRequests { .. } | FaultKind::ServerError { .. }
        )
    {
        return Err(option_error(kind, "a burst `xN` follows a status code"));
    }
    Ok((parsed, burst))
}

fn number<T: FromStr>(
    option: &str,
    value: &str,
    problem: &'static str,
) -> Result<T, FaultParseError> {
    value
        .parse::<T>()
        .map_err(|_| option_error(option, problem))
}

impl FromStr for Fault {
    type Err = FaultParseError;

    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        let mut parts = spec.split(':');
        let route = parts.next().unwrap_or_default();
        let (Some(kind), false) = (parts.next(), route.is_empty()) else {
            return Err(FaultParseError::Shape(echo(spec)));
        };
        let route = parse_route(route)?;
        let (mut kind, burst) = parse_kind(kind)?;
        let mut count = burst;
        let mut rate = None;
        let mut seed = None;
        for option in parts {
            let (name, value) = option.split_once('=').unwrap_or((option, ""));
            match (name, &mut kind) {
                ("count", _) => {
                    if count.is_some() {
                        return Err(option_error(option, "the count is given twice"));
                    }
                    let n: u64 = number(option, value, "count=N takes a whole number ≥ 1")?;
                    if n == 0 {
                        return Err(option_error(option, "count=N takes a whole number ≥ 1"));
                    }
                    count = Some(n);
                }
                ("rate", _) => {
                    let fraction: f64 =
                        number(option, value, "rate=F takes a fraction between 0 and 1")?;
                    if !(0.0..=1.0).contains(&fraction) {
                        return Err(option_error(
                            option,
                            "rate=F takes a fraction between 0 and 1",
                        ));
                    }
                    rate = Some(fraction);
                }
                ("seed", _) => {
                    seed = Some(number(option, value, "seed=N takes a whole number")?);
                }
                (
                    "retry-after",
                    FaultKind::TooManyRequests {
                        retry_after_seconds,
                    },
                ) => {
                    *retry_after_seconds =
                        number(option, value, "retry-after=SECONDS takes a whole number")?;
                }
                ("bps", FaultKind::Slow { bytes_per_second }) => {
                    let bps: u64 =
                        number(option, value, "bps=N takes a whole number of bytes ≥ 1")?;
                    if bps == 0 {
                        return Err(option_error(option, "bps=N takes a whole number of bytes ≥ 1"));
                    }
                    *bytes_per_second = bps;
                }
                ("status", FaultKind::HtmlGateway { status, .. }) => {
                    *status = server_status(value)
                        .ok_or_else(|| option_error(option, "status=CODE takes a 5xx status"))?;
                }
                ("reflect", FaultKind::HtmlGateway { reflect, .. }) if value.is_empty() => {
                    *reflect = true;
                }
                ("retry-after" | "bps" | "status" | "reflect", _) => {
                    return Err(option_error(
                        option,
                        "not an option of this kind (retry-after: 429; bps: slow; status, reflect: html)",
                    ));
                }
                _ => {
                    return Err(option_error(
                        option,
                        "unknown option: use count=N, rate=F, seed=N, retry-after=S, bps=N, status=CODE or reflect",
                    ))
                }
            }
        }
        let trigger = match (count, rate) {
            (Some(_), Some(_)) => {
                return Err(option_error(spec, "count and rate cannot be combined"));
            }
            (Some(n), None) => Trigger::First(n),
            (None, Some(fraction)) => Trigger::Rate {
                fraction,
                seed: seed.unwrap_or(0),
            },
            (None, None) => {
                if seed.is_some() {
                    return Err(option_error(spec, "seed=N goes with rate=F"));
                }
                Trigger::Always
            }
        };
        Ok(Fault {
            route,
            kind,
            trigger,
        })
    }
}

impl fmt::Display for Fault {
    /// The canonical spec, which parses back to the same fault.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.route {
            FaultRoute::Any => f.write_str("*")?,
            FaultRoute::Operation(id) => f.write_str(id)?,
        }
        match self.kind {
            FaultKind::TooManyRequests {
                retry_after_seconds,
            } => write!(f, ":429:retry-after={retry_after_seconds}")?,
            FaultKind::ServerError { status } => write!(f, ":{status}")?,
            FaultKind::Reset => f.write_str(":reset")?,
            FaultKind::Truncate => f.write_str(":truncate")?,
            FaultKind::Slow { bytes_per_second } => write!(f, ":slow:bps={bytes_per_second}")?,
            FaultKind::HtmlGateway { status, reflect } => {
                write!(f, ":html:status={status}")?;
                if reflect {
                    f.write_str(":reflect")?;
                }
            }
        }
        match self.trigger {
            Trigger::Always => Ok(()),
            Trigger::First(n) => write!(f, ":count={n}"),
            Trigger::Rate { fraction, seed } => write!(f, ":rate={fraction}:seed={seed}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(spec: &str) -> Result<Fault, FaultParseError> {
        spec.parse()
    }

    #[test]
    fn the_documented_examples_parse() {
        assert_eq!(
            parse("calls_report:503x3"),
            Ok(Fault {
                route: FaultRoute::Operation("calls_report"),
                kind: FaultKind::ServerError { status: 503 },
                trigger: Trigger::First(3),
            })
        );
        assert_eq!(
            parse("ocr_pdf_credit_report:429:retry-after=2:count=1"),
            Ok(Fault {
                route: FaultRoute::Operation("ocr_pdf_credit_report"),
                kind: FaultKind::TooManyRequests {
                    retry_after_seconds: 2
                },
                trigger: Trigger::First(1),
            })
        );
        assert_eq!(
            parse("*:reset:rate=0.1:seed=7"),
            Ok(Fault {
                route: FaultRoute::Any,
                kind: FaultKind::Reset,
                trigger: Trigger::Rate {
                    fraction: 0.1,
                    seed: 7
                },
            })
        );
        assert_eq!(
            parse("/calls/record:html:status=504:reflect"),
            Ok(Fault {
                route: FaultRoute::Operation("calls_record"),
                kind: FaultKind::HtmlGateway {
                    status: 504,
                    reflect: true
                },
                trigger: Trigger::Always,
            })
        );
        assert_eq!(
            parse("itag:slow:bps=10").map(|f| f.kind),
            Ok(FaultKind::Slow {
                bytes_per_second: 10
            })
        );
        assert_eq!(
            parse("/h5:truncate").map(|f| f.route),
            Ok(FaultRoute::Operation("auth_url"))
        );
    }

    #[test]
    fn display_parses_back() {
        for spec in [
            "calls_report:503x3",
            "*:429:retry-after=5:rate=0.25:seed=3",
            "/h5:html:reflect:count=2",
            "itag:slow:bps=99",
            "cuishou:truncate",
            "credit_report:reset",
        ] {
            let fault = parse(spec).expect(spec);
            assert_eq!(parse(&fault.to_string()), Ok(fault), "{spec}");
        }
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let message = |spec: &str| parse(spec).expect_err(spec).to_string();
        assert!(message("calls_report").contains("ROUTE:KIND"));
        assert!(message("nope:503").contains("calls_report"));
        assert!(message("calls_report:404").contains("unknown fault kind `404`"));
        assert!(message("calls_report:503x0").contains("count ≥ 1"));
        assert!(message("calls_report:resetx2").contains("unknown fault kind"));
        assert!(message("calls_report:429x").contains("count ≥ 1"));
        assert!(message("calls_report:503:rate=2").contains("between 0 and 1"));
        assert!(message("calls_report:503:count=1:rate=0.5").contains("cannot be combined"));
        assert!(message("calls_report:503:bps=1").contains("not an option of this kind"));
        assert!(message("calls_report:503:colour=red").contains("unknown option"));
        assert!(message("calls_report:html:status=404").contains("5xx"));
        assert!(message("calls_report:503:seed=1").contains("goes with rate"));
        assert!(message("calls_report:503x3:count=2").contains("twice"));
        let long = format!("{}:503", "x".repeat(10_000));
        assert!(message(&long).len() < 1_000);
    }
}
