//! Async client for Dianhua's 邦秒爬 carrier-data service, generated from
//! `schemas/dianhua/carrier.openapi.json`.
//!
//! ```no_run
//! use credkit_runtime::client::signing::DianhuaToken;
//! use credkit_runtime::client::transport::ClientConfig;
//! use dianhua_client::carrier::{DianhuaClient, DEFAULT_BASE_URL};
//!
//! # async fn run() -> Result<(), credkit_runtime::client::error::ClientError> {
//! let client = DianhuaClient::new(
//!     ClientConfig::new(DEFAULT_BASE_URL),
//!     DianhuaToken { token: "your-token".into() },
//! )?;
//! let url = client
//!     .auth_url()
//!     .uid("user-1")
//!     .callback("https://example.com/cb")
//!     .tel("13800000000")
//!     .build()?;
//! // … the user authorises in the browser; a callback names the sid …
//! let report = client.calls_report("SID…").await?;
//! # let _ = (url, report); Ok(()) }
//! ```

//!
//! # Features
//!
//! * `callback` (off by default): the module `callback`, an axum router and standalone server that
//!   receive Dianhua's pushed callbacks (authorisation success, report status). Enable it with
//!   `dianhua-client = { …, features = ["callback"] }`; without it the crate does not depend on
//!   axum.

#![warn(missing_docs)]

#[cfg(feature = "callback")]
pub mod callback;
mod generated;

pub use generated::*;
