//! The HTTP runtime of the generated clients (feature `client`).
//!
//! * [`secret`]: API secrets, keys and tokens that never reach `Debug`, `Display`, logs or
//!   errors.
//! * [`signing`]: each vendor's request signing, deterministic given a [`signing::Clock`].
//! * [`upload`]: PDF uploads: checked before any traffic, streamed (base64 included) so memory
//!   does not grow with the file.
//! * [`transport`]: reqwest with rustls, timeouts, retries with backoff and a deadline.
//! * [`error`]: one error type with the HTTP, vendor, transport and decode cases apart.

pub mod error;
pub mod secret;
pub mod signing;
pub mod transport;
pub mod upload;
