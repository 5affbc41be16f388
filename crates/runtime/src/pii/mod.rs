//! Personal data in payloads: `x-credkit-pii`.
//!
//! A credit report or carrier report is personal data: the subject's name, ID number, phones,
//! addresses, employer. A schema marks such a property with `"x-credkit-pii": "phone"` (see
//! `docs/schema-conventions.md`). This module
//!
//! * masks a value for `Debug` output, keeping a hint ([`mask`]: `张*`,
//!   `1101**********0023`, `138****0000`), also through [`Redacted`] for any serialisable
//!   field;
//! * makes a deterministic stand-in of the same JSON type and a similar shape
//!   ([`placeholder`]: an 18-character ID number with a valid check digit, an 11-digit mobile
//!   number, a 2–3 character name);
//! * and replaces every marked value of a payload by its stand-in ([`redact`]).

mod class;
mod mask;
mod placeholder;
mod redact;

pub use class::{PiiClass, UnknownPiiClass};
pub use mask::{mask, Redacted};
pub use placeholder::{id_check_digit, placeholder};
pub use redact::redact;

/// The schema keyword that marks a property as personal data.
pub const PII_KEYWORD: &str = "x-credkit-pii";
