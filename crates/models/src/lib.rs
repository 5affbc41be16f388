//! Every generated model crate behind one registry.
//!
//! Tools that pick a model at run time by its id (`deepfinch/credit-report-v1`) use
//! [`model_ids`] and [`visit_model`] instead of knowing each vendor crate.

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
