//! An async client for Alibaba Cloud OSS (Object Storage Service).
//!
//! ```no_run
//! # async fn demo() -> Result<(), oss_client::Error> {
//! use oss_client::{Client, auth::EnvironmentCredentialsProvider};
//!
//! let client = Client::builder()
//!     .region("cn-hangzhou")
//!     .credentials_provider(EnvironmentCredentialsProvider::oss())
//!     .build()?;
//! client.put_object().bucket("examplebucket").key("hello.txt").body("hello").send().await?;
//! let body = client.get_object().bucket("examplebucket").key("hello.txt").send().await?
//!     .body.collect().await?;
//! assert_eq!(&body[..], b"hello");
//! # Ok(()) }
//! ```
//!
//! The credentials provider is the one argument that selects how requests are authenticated;
//! every request is signed (V4 by default) with a fresh credentials snapshot per attempt.
//! Inputs are validated before any I/O ([`ErrorKind`] says which rule failed); service errors
//! carry the OSS `code`, `message`, `request_id`, `host_id` and `ec` ([`ServiceError`]).

mod checksum;
mod client;
mod client_from_env;
mod endpoint;
mod endpoint_flags;
mod error;
mod execute;
pub mod file;
mod header_names;
pub mod operation;
mod oss_uri;
mod pacing;
mod paginator;
mod request;
mod response;
mod restore_state;
mod select_stream;
mod setters;
mod settle;
mod stream;
pub mod transfer;
pub mod types;
mod user_agent;
mod validate;
mod xml;
mod xml_model;

pub use client::{Client, ClientBuilder, ClientStats};
pub use endpoint::AddressingStyle;
pub use error::{Error, ErrorKind, ServiceError};
pub use oss_auth::proxy::{Proxies, ProxyConfig};
pub use oss_auth::sign::SignatureVersion;
pub use oss_http::{Body, Clock, RetryConfig, RootCertificates, Timeouts};
pub use select_stream::{SelectEnd, SelectProgress, SelectStream};
pub use stream::ByteStream;
pub use validate::bucket_name as validate_bucket_name;

/// Re-exports of the credentials types used to build a client: every provider of
/// `oss-auth` (see `docs/credentials.md` for how to choose).
pub mod auth {
    pub use oss_auth::{
        CliProfileProvider, Credentials, CredentialsError, CredentialsErrorKind,
        CredentialsUriProvider, DefaultCredentialsChain, EcsRamRoleProvider, Env,
        EnvironmentCredentialsProvider, FunctionComputeProvider, IniProfileProvider,
        OidcRoleArnProvider, ProvideCredentials, ProviderConfig, RamRoleArnProvider,
        SharedCredentialsProvider, StaticCredentialsProvider, cache::CacheConfig,
        provide_credentials_fn,
    };
}
