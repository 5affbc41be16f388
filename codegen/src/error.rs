use std::path::PathBuf;

/// Everything that can stop generation, with the file (and JSON pointer) at fault.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A schema file is not valid JSON.
    #[error("{path} is not valid JSON: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: serde_json::Error,
    },
    /// A schema breaks one of credkit's rules or cannot be bundled.
    #[error("{file} at {pointer}: {message}")]
    Schema {
        /// The schema file, relative to `schemas/`.
        file: String,
        /// JSON pointer of the offending node inside the file.
        pointer: String,
        /// What is wrong.
        message: String,
    },
    /// git could not give the inputs at a revision.
    #[error("{0}")]
    Git(String),
    /// typify rejected a bundled schema, or its output could not be post-processed.
    #[error("generating {model}: {message}")]
    Generate {
        /// The model id.
        model: String,
        /// What went wrong.
        message: String,
    },
}

impl CodegenError {
    pub(crate) fn schema(file: &str, pointer: &str, message: impl Into<String>) -> Self {
        CodegenError::Schema {
            file: file.to_owned(),
            pointer: if pointer.is_empty() {
                "/".to_owned()
            } else {
                pointer.to_owned()
            },
            message: message.into(),
        }
    }
}
