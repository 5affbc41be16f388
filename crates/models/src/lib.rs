//! Every generated model crate behind one registry.
//!
//! Tools that pick a model at run time by its id (`deepfinch/credit-report-v1`) use
//! [`model_ids`] and [`visit_model`] instead of knowing each vendor crate.
//!
//! Parsing a vendor response with a typed model:
//!
//! ```
//! use credkit_models::deepfinch::cloud::task_result::{CloudStatus, CloudTaskResult};
//!
//! let body = br#"{
//!     "request_id": "8d3c6b2e",
//!     "status": "OK",
//!     "structured_result": {
//!         "serialNo": "2016082600001",
//!         "loans": [{"amount": "50,000", "vendorAddedLater": true}]
//!     }
//! }"#;
//! let parsed = credkit_runtime::parse_json::<CloudTaskResult>(body)?;
//! assert_eq!(parsed.value.status, Some(CloudStatus::Ok));
//! let report = parsed.value.structured_result.expect("a report");
//! assert_eq!(report.serial_no.as_deref(), Some("2016082600001"));
//! // Fields the schema does not know are ignored, and reported with their path.
//! assert_eq!(parsed.ignored[0].to_string(), "structured_result.loans[0].vendorAddedLater");
//!
//! // A code no document lists is kept, not rejected.
//! let later = credkit_runtime::parse_json::<CloudTaskResult>(br#"{"status": "NEW_CODE"}"#)?;
//! assert_eq!(later.value.status, Some(CloudStatus::Other("NEW_CODE".into())));
//! # Ok::<(), credkit_runtime::ParseError>(())
//! ```

#![warn(missing_docs)]

pub use deepfinch_models as deepfinch;
pub use dianhua_models as dianhua;

use credkit_runtime::ModelVisitor;

/// Every model id of every vendor, ordered.
pub fn model_ids() -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = deepfinch::MODEL_IDS
        .iter()
        .chain(dianhua::MODEL_IDS.iter())
        .copied()
        .collect();
    ids.sort_unstable();
    ids
}

/// Runs `visitor` with the Rust type of model `id`; `None` when no crate has that id.
pub fn visit_model<V: ModelVisitor>(id: &str, visitor: V) -> Option<V::Output> {
    match id.split_once('/') {
        Some(("deepfinch", _)) => deepfinch::visit_model(id, visitor),
        Some(("dianhua", _)) => dianhua::visit_model(id, visitor),
        _ => None,
    }
}
