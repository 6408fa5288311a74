//! Credentials, credential providers and request signing for Alibaba Cloud OSS.
//!
//! * [`Credentials`]: an immutable, cheap-to-clone snapshot of an AccessKeyId, an
//!   AccessKeySecret and an optional SecurityToken (STS). Secrets are zeroized on drop and
//!   redacted from `Debug`.
//! * [`provider`]: the [`ProvideCredentials`] trait and its implementations (static keys,
//!   environment variables, custom closures). Every provider can be shared as
//!   [`SharedCredentialsProvider`] (`Arc<dyn …>` inside).
//! * [`sign`]: OSS V4 (`OSS4-HMAC-SHA256`) and legacy V1 (HMAC-SHA1) signing of headers and
//!   presigned URLs, as pure functions of (request, credentials, region, product, time).
//!
//! The signing rules follow the OSS documents "Include a V4 signature in the Authorization
//! header", "V4 signatures in presigned URLs" and "Include a V1 signature in the Authorization
//! header", restated byte for byte in the project's `docs/signing.md`.

pub mod cache;
pub mod clock;
pub mod credentials;
pub mod env;
pub mod error;
pub mod http_client;
pub mod pop;
pub mod provider;
pub mod proxy;
pub mod sign;

pub use credentials::{Credentials, CredentialsBuilder};
pub use env::Env;
pub use error::{CredentialsError, CredentialsErrorKind, SigningError, SigningErrorKind};
#[cfg(feature = "kms")]
pub use provider::kms::KmsSecretProvider;
pub use provider::{
    ProvideCredentials, SharedCredentialsProvider, closure::provide_credentials_fn,
    config::ProviderConfig, credentials_uri::CredentialsUriProvider,
    default_chain::DefaultCredentialsChain, ecs_ram_role::EcsRamRoleProvider,
    env::EnvironmentCredentialsProvider, function_compute::FunctionComputeProvider,
    oidc_role_arn::OidcRoleArnProvider, profile_cli::CliProfileProvider,
    profile_ini::IniProfileProvider, ram_role_arn::RamRoleArnProvider,
    static_keys::StaticCredentialsProvider,
};
