//! Hand-written runtime shared by credkit's generated crates.
//!
//! * [`NumberOrText`] and [`ObjectOrText`]: values that a vendor documents as a number (or an
//!   object) but sometimes sends as text such as `暂无数据` or `--`. They keep exactly what was
//!   received, so a round trip is lossless.
//! * [`parse_json`]: deserialises a payload into a generated model, reporting every field it
//!   ignored as unknown, and failing with the JSON path of the offending value; the whole body
//!   must be valid UTF-8 without lone surrogates, nested at most [`MAX_NESTING`] deep.
//! * [`bounded`]: cutting payload text echoed in errors and output, with its length shown.
//! * [`Model`] and [`ModelVisitor`]: the interface by which each generated crate lists its
//!   models, so that tools (the `credkit` CLI, tests) can work on a model chosen at run time.
//! * [`serde_helpers`]: serde adapters the generated code refers to.
//! * [`format`](mod@format): typed values behind report text (`x-credkit-format`: amounts, counts,
//!   percents, dates, repayment grids) and the schema-guided `normalize` and value audit.
//! * [`pii`]: personal data (`x-credkit-pii`): masking for `Debug`, deterministic stand-ins,
//!   and the schema-guided `redact`.
//! * `client` (feature `client`): the HTTP runtime of the generated clients — transport,
//!   retries, typed errors, request signing and PDF uploads.

#![warn(missing_docs)]

pub mod bounded;
#[cfg(feature = "client")]
pub mod client;
mod conversion;
pub mod drift;
pub mod format;
mod json_path;
mod lenient;
mod model;
mod one_pass;
mod parse;
pub mod pii;
mod scan;
pub mod serde_helpers;
mod text;

pub use conversion::ConversionError;
pub use drift::{PhpEmpty, Scalar, ScalarError};
pub use json_path::{JsonPath, PathSegment};
pub use lenient::{NumberOrText, ObjectOrText};
pub use model::{deepest_failure, Model, ModelVisitor};
pub use parse::{parse_json, ParseError, ParseErrorKind, Parsed};
pub use scan::MAX_NESTING;
pub use text::Text;
