//! Credentials and base URLs from the environment.

use credkit_runtime::client::secret::Secret;

/// A required variable is missing or empty; the message names it.
#[derive(Debug)]
pub struct MissingVariable(pub &'static str);

impl std::fmt::Display for MissingVariable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the environment variable {} is not set", self.0)
    }
}

/// A required, non-secret value.
pub fn required(name: &'static str) -> Result<String, MissingVariable> {
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => Ok(value),
        _ => Err(MissingVariable(name)),
    }
}

/// A required secret.
pub fn secret(name: &'static str) -> Result<Secret, MissingVariable> {
    required(name).map(Secret::new)
}

/// An optional value with a default.
pub fn or_default(name: &str, default: &str) -> String {
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => value,
        _ => default.to_owned(),
    }
}
