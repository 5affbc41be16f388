//! The HTTP runtime of the generated clients (feature `client`).
//!
//! * [`secret`]: API secrets, keys and tokens that never reach `Debug`, `Display`, logs or
//!   errors.
//! * [`signing`]: each vendor's request signing, deterministic given a [`signing::Clock`].
//! * [`upload`]: PDF uploads: checked before any traffic, streamed (base64 included) so memory
//!   does not grow with the file.
//! * [`operation`]: what a generated client declares about its channel and operations
//!   ([`operation::ChannelSpec`], [`operation::OperationSpec`]) and the requests it builds
//!   from typed values.
//! * [`transport`]: reqwest with rustls, timeouts, retries per retry class with backoff and a
//!   deadline.
//! * [`error`]: one error type with the HTTP, vendor, transport and decode cases apart.

pub mod error;
pub mod operation;
pub mod secret;
pub mod signing;
pub mod transport;
pub mod upload;
