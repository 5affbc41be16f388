//! The OCR call quota (`MockConfig::quota`): after N uploads, every further upload gets the
//! channel's documented quota-exhausted answer; `GET /_mock/usage` counts the uploads seen.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::json;

use crate::{reply, Mock};

/// The OCR uploads the mock has seen (authenticated ones, answered or refused).
#[derive(Debug, Default)]
pub(crate) struct Usage {
    uploads: AtomicU64,
}

/// Whether an upload may be answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Allowance {
    /// No quota is configured.
    Unlimited,
    /// Within the quota; this many calls are left after this one.
    Remaining(u64),
    /// The quota is used up: answer the channel's quota-exhausted code.
    Exhausted,
}

impl Usage {
    /// Counts one upload against `quota`.
    pub(crate) fn take(&self, quota: Option<u32>) -> Allowance {
        let seen = self.uploads.fetch_add(1, Ordering::SeqCst) + 1;
        match quota.map(u64::from) {
            None => Allowance::Unlimited,
            Some(quota) if seen <= quota => Allowance::Remaining(quota - seen),
            Some(_) => Allowance::Exhausted,
        }
    }

    /// The uploads counted so far.
    pub(crate) fn uploads(&self) -> u64 {
        self.uploads.load(Ordering::SeqCst)
    }
}

/// `GET /_mock/usage`: `{"ocr_uploads": N}`.
pub(crate) fn internal_routes() -> Router<Arc<Mock>> {
    Router::new().route("/_mock/usage", get(usage))
}

async fn usage(State(mock): State<Arc<Mock>>) -> Response {
    reply::json(200, json!({ "ocr_uploads": mock.usage.uploads() }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quota_runs_out_after_n_uploads() {
        let usage = Usage::default();
        assert_eq!(usage.take(Some(2)), Allowance::Remaining(1));
        assert_eq!(usage.take(Some(2)), Allowance::Remaining(0));
        assert_eq!(usage.take(Some(2)), Allowance::Exhausted);
        assert_eq!(usage.uploads(), 3);
        assert_eq!(Usage::default().take(None), Allowance::Unlimited);
    }
}
