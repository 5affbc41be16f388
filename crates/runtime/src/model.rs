//! The interface by which generated crates list their models.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// A generated root type: the whole payload of one schema under `schemas/`.
pub trait Model: DeserializeOwned + Serialize + schemars::JsonSchema + 'static {
    /// The model id: the schema's path under `schemas/` without extension,
    /// e.g. `deepfinch/credit-report-v1`.
    const ID: &'static str;
}

/// An operation applied to a model chosen at run time by its id.
///
/// Each generated crate has a `visit_model(id, visitor)` function that calls
/// [`ModelVisitor::visit`] with the Rust type registered for `id`.
pub trait ModelVisitor {
    /// What the operation returns.
    type Output;

    /// Runs the operation for model type `M`.
    fn visit<M: Model>(self) -> Self::Output;
}
