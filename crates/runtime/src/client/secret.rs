//! API secrets, keys and tokens that never reach `Debug`, `Display`, logs or errors.
//!
//! A [`Secret`] prints as `Secret(***)` whichever way it is formatted, so a signer, a client
//! configuration or an error that holds one can derive `Debug` safely. The value itself is
//! only reachable through [`Secret::expose`], which makes every use of it easy to find.
//! `Secret` deliberately implements neither `Serialize` nor `Deref<Target = str>`.

use std::fmt;

/// An API secret, key or token. Debug and Display print `Secret(***)`; the value is only
/// reachable via [`expose()`](Secret::expose).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value itself, for the one place that has to send or sign with it.
    ///
    /// Never log or format the returned string.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string (usually a missing configuration value).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Prints `Secret(***)`, never the value.
impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Prints `Secret(***)`, never the value.
impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    const VALUE: &str = "s3cr3t-v4lue";

    #[derive(Debug)]
    #[allow(dead_code)] // only formatted
    struct Config {
        name: &'static str,
        key: Secret,
        keys: Vec<Secret>,
        maybe: Option<Secret>,
    }

    #[test]
    fn debug_and_display_redact() {
        let secret = Secret::new(VALUE);
        assert_eq!(format!("{secret:?}"), "Secret(***)");
        assert_eq!(format!("{secret:#?}"), "Secret(***)");
        assert_eq!(format!("{secret}"), "Secret(***)");
        assert_eq!(secret.to_string(), "Secret(***)");
        // Width, fill and precision do not change anything either.
        assert!(!format!("{secret:>40} {secret:.3} {secret:<5?}").contains(VALUE));
    }

    #[test]
    fn containing_struct_redacts() {
        let config = Config {
            name: "vendor",
            key: Secret::from(VALUE),
            keys: vec![Secret::from(VALUE.to_owned()), Secret::new(VALUE)],
            maybe: Some(VALUE.into()),
        };
        let compact = format!("{config:?}");
        let pretty = format!("{config:#?}");
        for text in [&compact, &pretty] {
            assert!(!text.contains(VALUE), "{text}");
            assert!(!text.contains("s3cr3t"), "{text}");
            assert!(text.contains("Secret(***)"), "{text}");
        }
        assert!(compact.contains("vendor"));
    }

    #[test]
    fn expose_and_constructors() {
        let a = Secret::new(VALUE);
        let b = Secret::from(VALUE);
        let c = Secret::from(VALUE.to_owned());
        assert_eq!(a.expose(), VALUE);
        assert_eq!(a, b);
        assert_eq!(b, c);
        assert_ne!(a, Secret::new("other"));
        assert!(!a.is_empty());
        assert!(Secret::new("").is_empty());
        assert!(Secret::from(String::new()).is_empty());
        let cloned = a.clone();
        assert_eq!(cloned.expose(), VALUE);
    }
}
