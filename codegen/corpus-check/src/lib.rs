//! The generator corpus, compiled: `build.rs` generates every case of
//! `codegen/tests/corpus/` with `credkit-codegen` and this crate compiles the output with
//! warnings and missing docs denied (clippy runs on it with `-D warnings` too). The tests in
//! `tests/` use it.
//!
//! Per case a module named like the case folder (`-` → `_`), holding `acme_models` (the model
//! crate) and, for endpoint cases, `acme_client` (the client crate's generated modules):
//! `credkit_corpus::body_json::acme_client::api::AcmeClient`.

#![deny(warnings, missing_docs)]

include!(concat!(env!("OUT_DIR"), "/corpus.rs"));
