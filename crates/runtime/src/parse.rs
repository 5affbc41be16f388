//! Parsing a payload into a generated model, with the JSON path of every problem.

use serde::de::DeserializeOwned;

use crate::JsonPath;

/// A successfully parsed payload and the fields the model does not know.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<T> {
    /// The typed value.
    pub value: T,
    /// Paths of the fields that were ignored because no schema declares them, in document
    /// order. Vendors add fields; these are reported, never an error.
    pub ignored: Vec<JsonPath>,
}

/// Why a payload could not be parsed into a model.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ParseError {
    /// Where in the document the failure happened (`$` for the root).
    pub path: JsonPath,
    /// What was wrong, in serde_json's words (`invalid type: map, expected a sequence`).
    pub message: String,
    /// 1-based line of the failure in the input, when known.
    pub line: usize,
    /// 1-based column of the failure in the input, when known.
    pub column: usize,
}

/// Parses `input` as JSON into `T`, collecting ignored fields and, on failure, the JSON path
/// of the value that did not fit.
pub fn parse_json<T: DeserializeOwned>(input: &[u8]) -> Result<Parsed<T>, ParseError> {
    let mut ignored = Vec::new();
    let mut track = serde_path_to_error::Track::new();
    let mut json = serde_json::Deserializer::from_slice(input);
    let result = {
        let mut record =
            |path: serde_ignored::Path<'_>| ignored.push(JsonPath::from_ignored(&path));
        let with_ignored = serde_ignored::Deserializer::new(&mut json, &mut record);
        let tracked = serde_path_to_error::Deserializer::new(with_ignored, &mut track);
        T::deserialize(tracked)
    };
    let failure = |error: serde_json::Error, path: JsonPath| ParseError {
        path,
        message: strip_position(&error),
        line: error.line(),
        column: error.column(),
    };
    match result {
        Ok(value) => match json.end() {
            Ok(()) => Ok(Parsed { value, ignored }),
            Err(error) => Err(failure(error, JsonPath::default())),
        },
        Err(error) => Err(failure(error, JsonPath::from_tracked(&track.path()))),
    }
}

/// serde_json appends " at line L column C" to its messages; the position is kept in separate
/// fields, so the message reads cleanly next to the path.
fn strip_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(index) => text[..index].to_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Report {
        loans: Option<Vec<Loan>>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Loan {
        amount: Option<String>,
    }

    #[test]
    fn reports_ignored_fields_with_paths() {
        let parsed: Parsed<Report> =
            parse_json(br#"{"loans":[{"amount":"1","extra":1}],"7day":2}"#).expect("parses");
        let ignored: Vec<String> = parsed.ignored.iter().map(|p| p.to_string()).collect();
        assert_eq!(ignored, vec!["loans[0].extra", "[\"7day\"]"]);
    }

    #[test]
    fn failure_names_the_path() {
        let error = parse_json::<Report>(br#"{"loans":{"amount":"1"}}"#).expect_err("fails");
        assert_eq!(error.path.to_string(), "loans");
        assert!(
            error.message.contains("expected a sequence"),
            "{}",
            error.message
        );
        assert_eq!(error.line, 1);
    }

    #[test]
    fn trailing_garbage_is_an_error() {
        let error = parse_json::<Report>(br#"{} x"#).expect_err("fails");
        assert!(error.path.is_root());
    }
}
