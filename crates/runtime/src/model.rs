//! The interface by which generated crates list their models.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// A generated root type: the whole payload of one schema under `schemas/`.
pub trait Model:
    DeserializeOwned + Serialize + schemars::JsonSchema + std::fmt::Debug + 'static
{
    /// The model id: the schema's path under `schemas/` without extension,
    /// e.g. `deepfinch/credit-report-v1`.
    const ID: &'static str;

    /// The model's curated schema (`schemas/<id>.json`) as one self-contained JSON Schema
    /// 2020-12 document: references to other files pulled into `$defs`, the `x-credkit-*`
    /// keywords kept. Tools validate payloads against it (`credkit audit`) and walk it for the
    /// declared formats and personal-data classes (`credkit normalize`, `credkit redact`).
    const SCHEMA: &'static str;

    /// For a model whose root is a union of shapes (`oneOf`), why `input` fits none of them:
    /// the failure of the shape that got furthest into the document, with that shape's name.
    /// A union's own error only says "did not match any variant" at the root; this names the
    /// path. `None` for other models, and when some shape does fit.
    fn explain_failure(input: &[u8]) -> Option<(&'static str, crate::ParseError)> {
        let _ = input;
        None
    }
}

/// Of the failures of several shapes, the one that got deepest into the document (used by the
/// generated [`Model::explain_failure`]). `None` when some shape parsed.
pub fn deepest_failure(
    attempts: impl IntoIterator<Item = (&'static str, Result<(), crate::ParseError>)>,
) -> Option<(&'static str, crate::ParseError)> {
    let mut failures = Vec::new();
    for (shape, attempt) in attempts {
        match attempt {
            Ok(()) => return None,
            Err(error) => failures.push((shape, error)),
        }
    }
    failures
        .into_iter()
        .rev()
        .max_by_key(|(_, error)| error.path.segments().len())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(depth: usize) -> crate::ParseError {
        crate::ParseError {
            kind: crate::ParseErrorKind::Mismatch,
            path: crate::JsonPath((0..depth).map(crate::PathSegment::Index).collect()),
            message: format!("depth {depth}"),
            line: 1,
            column: 1,
        }
    }

    #[test]
    fn the_deepest_failure_wins_and_a_success_means_none() {
        let best = deepest_failure([
            ("A", Err(failure(1))),
            ("B", Err(failure(3))),
            ("C", Err(failure(2))),
        ]);
        assert_eq!(
            best.map(|(shape, error)| (shape, error.message)),
            Some(("B", "depth 3".to_owned()))
        );
        assert!(deepest_failure([("A", Err(failure(1))), ("B", Ok(()))]).is_none());
        let tie = deepest_failure([("A", Err(failure(2))), ("B", Err(failure(2)))]);
        assert_eq!(
            tie.map(|(shape, _)| shape),
            Some("A"),
            "ties go to the first shape"
        );
    }
}
