//! The endpoint model the mock serves: the generated `CHANNEL` tables of the clients.
//!
//! Routes, methods, body limits and signing schemes come from here, so a limit changed in an
//! endpoint description changes the client and the mock together.

use credkit_runtime::client::operation::{ChannelSpec, Method, OperationKind, OperationSpec};

/// Every channel the mock serves.
pub(crate) const CHANNELS: [&ChannelSpec; 5] = [
    &deepfinch_client::cloud::CHANNEL,
    &deepfinch_client::private::CHANNEL,
    &deepfinch_client::tencent::CHANNEL,
    &deepfinch_client::jd::CHANNEL,
    &dianhua_client::carrier::CHANNEL,
];

/// Where a browser page (a [`OperationKind::BrowserUrl`] operation, Dianhua's H5 page) is
/// served: its own base URL is `<mock>/h5`.
pub(crate) const BROWSER_PREFIX: &str = "/h5";

/// The body limit of an operation that uploads nothing (a JSON task id, a GET): 64 KiB.
pub(crate) const SMALL_BODY_LIMIT: u64 = 64 * 1024;

/// One operation of one channel.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Operation {
    /// Its channel.
    pub(crate) channel: &'static ChannelSpec,
    /// The operation.
    pub(crate) spec: &'static OperationSpec,
}

impl Operation {
    /// The paths it is served at on the mock: its path, or for a browser page its path below
    /// [`BROWSER_PREFIX`] (with and without the trailing slash).
    pub(crate) fn paths(&self) -> Vec<String> {
        match self.spec.kind {
            OperationKind::Send { .. } => vec![self.spec.path.to_owned()],
            OperationKind::BrowserUrl { .. } => {
                let path = format!("{BROWSER_PREFIX}{}", self.spec.path);
                let trimmed = path.trim_end_matches('/');
                if trimmed == path || trimmed.is_empty() {
                    vec![path]
                } else {
                    vec![trimmed.to_owned(), path]
                }
            }
        }
    }

    /// The most bytes a request body may have: the upload's body limit, or
    /// [`SMALL_BODY_LIMIT`].
    pub(crate) fn body_limit(&self) -> u64 {
        self.spec
            .upload
            .map_or(SMALL_BODY_LIMIT, |upload| upload.max_body_bytes())
    }

    /// The axum method filter of its method.
    pub(crate) fn method_filter(&self) -> axum::routing::MethodFilter {
        match self.spec.method {
            Method::Get => axum::routing::MethodFilter::GET,
            Method::Post => axum::routing::MethodFilter::POST,
        }
    }
}

/// Every operation of every channel.
pub(crate) fn operations() -> impl Iterator<Item = Operation> {
    CHANNELS.into_iter().flat_map(|channel| {
        channel
            .operations
            .iter()
            .map(move |spec| Operation { channel, spec })
    })
}

/// The operation with this id, or served at this path.
pub(crate) fn find(route: &str) -> Option<Operation> {
    operations().find(|op| op.spec.id == route || op.paths().iter().any(|p| p == route))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_h5_page_is_served_below_its_prefix() {
        let h5 = find("auth_url").expect("the H5 operation");
        assert_eq!(h5.paths(), vec!["/h5".to_owned(), "/h5/".to_owned()]);
        assert_eq!(find("/h5").map(|o| o.spec.id), Some("auth_url"));
    }

    #[test]
    fn upload_limits_come_from_the_endpoint_model() {
        let private = find("credit_report_v2").expect("private upload");
        let upload = private.spec.upload.expect("uploads");
        assert_eq!(private.body_limit(), upload.max_body_bytes());
        assert_eq!(
            find("calls_report").map(|o| o.body_limit()),
            Some(SMALL_BODY_LIMIT)
        );
    }

    #[test]
    fn operation_ids_and_paths_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for op in operations() {
            assert!(seen.insert(op.spec.id.to_owned()), "{}", op.spec.id);
            for path in op.paths() {
                assert!(seen.insert(path.clone()), "{path}");
            }
        }
    }
}
