//! Async clients for DeepFinch's credit-report OCR, one per channel, generated from
//! `schemas/deepfinch/*.openapi.json`:
//!
//! | channel | client | signer |
//! | --- | --- | --- |
//! | cloud API | [`cloud::CloudClient`] | `DeepFinchHeaders` |
//! | private deployment | [`private::PrivateClient`] | `DeepFinchHeaders` |
//! | Tencent marketplace | [`tencent::TencentClient`] | `TencentHmac` |
//! | JD marketplace | [`jd::JdClient`] | `JdMd5` |
//!
//! ```no_run
//! use credkit_runtime::client::signing::JdMd5;
//! use credkit_runtime::client::transport::ClientConfig;
//! use deepfinch_client::jd::{JdClient, DEFAULT_BASE_URL};
//!
//! # async fn run() -> Result<(), credkit_runtime::client::error::ClientError> {
//! let client = JdClient::new(
//!     ClientConfig::new(DEFAULT_BASE_URL),
//!     JdMd5 { appkey: "appkey".into(), secret_key: "secret".into() },
//! )?;
//! let envelope = client.ocr_pdf_credit_report("report.pdf".as_ref()).await?;
//! # let _ = envelope; Ok(()) }
//! ```

#![warn(missing_docs)]

mod generated;
mod polling;

pub use generated::*;
pub use polling::PollPolicy;
