//! The HTTP runtime of the generated clients (feature `client`).
//!
//! * [`secret`]: API secrets, keys and tokens that never reach `Debug`, `Display`, logs or
//!   errors.
//! * [`signing`]: each vendor's request signing, deterministic given a [`signing::Clock`],
//!   and the list of secret values each signer puts on the wire.
//! * [`upload`]: PDF uploads: checked before any traffic, streamed (base64 included) so memory
//!   does not grow with the file.
//! * [`operation`]: what a generated client declares about its channel and operations
//!   ([`operation::ChannelSpec`], [`operation::OperationSpec`]) and the requests it builds
//!   from typed values.
//! * [`config`]: [`config::ClientConfig`]: per-class time limits, retries, response size
//!   limits, your own `reqwest::Client`, hooks, the clock.
//! * [`retry`]: backoff with jitter and `Retry-After` within a deadline.
//! * [`hooks`]: caller hooks around each attempt.
//! * [`verdict`]: where responses carry the vendor's verdict, read without a full parse.
//! * [`redact`]: bounding texts and masking secrets in everything that leaves the client.
//! * [`transport`]: reqwest with rustls; sends an operation within its limits, retries per
//!   retry class, traces it.
//! * [`error`]: one error type with the HTTP, vendor, transport and decode cases apart.
//! * `fault_server` (feature `fault-server`, for tests): a local HTTP server that resets,
//!   truncates, stalls, trickles, floods and echoes.

mod body;
pub mod config;
pub mod error;
#[cfg(feature = "fault-server")]
pub mod fault_server;
pub mod hooks;
pub mod operation;
pub mod redact;
pub mod retry;
pub mod secret;
pub mod signing;
pub mod transport;
pub mod upload;
pub mod verdict;
