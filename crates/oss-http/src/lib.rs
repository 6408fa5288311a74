//! HTTP plumbing for the Alibaba Cloud OSS SDK.
//!
//! * [`transport`]: a hyper-util client over hyper-rustls with the `ring` crypto provider passed
//!   explicitly (no process-wide provider is installed), connect timeout, connection pool and
//!   HTTP proxies ([`ProxyConfig`]).
//! * [`sign`]: the [`SigningConfig`] that, for every attempt, takes a credentials snapshot from
//!   the configured provider and signs the request with the current time.
//! * [`trace`]: one span per request (method, host, path, status, `x-oss-request-id`); never
//!   secrets, signatures or query strings.
//! * [`body`]: the request [`Body`] (empty, bytes, or a stream of known length).
//! * [`retry`]: retries with full-jitter backoff, body replay and clock-skew correction.
//! * [`error_document`]: OSS error answers read once, and the one list of retryable codes.
//! * [`timeouts`]: the idle, first-byte and deadline limits of [`Timeouts`].
//! * [`stack`]: the pipeline [`HttpStack`], trace → retry → time limits → sign → transport.

pub mod body;
mod connection_limit;
pub mod error;
pub mod error_document;
mod file_chunks;
mod request_copy;
pub mod response_body;
pub mod retry;
pub mod sign;
pub mod skew;
pub mod stack;
pub mod target;
pub mod timeouts;
pub mod trace;
pub mod transport;

pub use body::Body;
pub use error::{Error, ErrorKind};
pub use error_document::ErrorDocument;
pub use oss_auth::clock::Clock;
pub use oss_auth::http_client::RootCertificates;
pub use oss_auth::proxy::{Proxies, ProxyConfig};
pub use response_body::ResponseBody;
pub use retry::{Attempts, NotIdempotent, ResponseCheck, RetryConfig, RetryOverride};
pub use sign::SigningConfig;
pub use stack::{HttpStack, StackConfig};
pub use target::SigningTarget;
pub use timeouts::Timeouts;
pub use transport::{HttpClient, HttpClientBuilder};
