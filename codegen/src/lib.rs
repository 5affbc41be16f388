//! credkit's generator.
//!
//! Data flows one way: **load once → generate → write**.
//!
//! 1. [`workspace::Workspace::load`] reads `schemas/` once:
//!    * [`schema_set`]: every payload schema, checked by the authoring lint (titles,
//!      descriptions, glosses, known extension keywords);
//!    * [`endpoints`]: every endpoint description (`*.openapi.json`) deserialised into typed
//!      structs — the OpenAPI 3.1 subset credkit uses plus its `x-credkit-*` extensions, unknown
//!      keys rejected with the file and JSON pointer;
//!    * per schema file a [`model_gen::ModelUnit`]: [`bundle`] turns it into the draft-07 form
//!      typify reads (with a side table of what typify cannot express), typify generates the
//!      types, [`names`] reads typify's Rust names back, [`postpass`] rewrites the syntax tree
//!      for lossless round trips and credkit's keywords, [`open_enum`] adds the code tables.
//! 2. [`generate::generate`] turns the workspace into files: [`layout`] (model crates),
//!    [`client_gen`] (client crates: request types, builders, the channel's operation table),
//!    [`reference_docs`] (`docs/reference/`); [`generate::stale_files`] finds generated files
//!    no longer produced.
//! 3. The caller (`cargo xtask gen`) writes or compares them.
//!
//! Beside the pipeline, on the same workspace model: [`coverage`] (document field names no
//! schema declares) and [`schema_diff`] (what a change breaks, for `cargo xtask diff`).
//!
//! Same input, byte-identical output: every collection is ordered and nothing depends on
//! the environment. [`output`] is the bottom module; nothing imports [`generate`].

#![warn(missing_docs)]

pub mod accessors;
pub mod bundle;
pub mod client_gen;
pub mod coverage;
pub mod curated;
pub mod endpoints;
mod error;
pub mod generate;
pub mod layout;
pub mod model_gen;
pub mod names;
pub mod open_enum;
pub mod output;
pub mod postpass;
pub mod reference_docs;
pub mod schema_diff;
pub mod schema_set;
pub mod sources;
pub mod workspace;

pub use error::CodegenError;
pub use output::{GeneratedFile, GENERATED_HEADER, GENERATED_MARKDOWN_HEADER};
pub use schema_set::{SchemaFile, SchemaSet};
pub use workspace::Workspace;
