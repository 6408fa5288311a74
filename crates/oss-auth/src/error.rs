//! Errors of credential providers and of signing.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;

type BoxError = Box<dyn StdError + Send + Sync>;

/// What went wrong while obtaining credentials.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialsErrorKind {
    /// The provider has nothing to offer here (e.g. its environment variables are unset). A
    /// provider chain moves on to its next provider only for this kind.
    NotConfigured,
    /// The provider is configured, but its configuration is wrong (empty secret, bad file).
    InvalidConfiguration,
    /// The provider tried and failed (a credentials service answered with an error).
    ProviderError,
    /// The provider did not answer in time.
    TimedOut,
}

/// An error from a credentials provider. `Display` names the provider and says what failed;
/// it never contains secret values.
#[derive(Debug)]
pub struct CredentialsError {
    kind: CredentialsErrorKind,
    provider: Cow<'static, str>,
    message: String,
    source: Option<BoxError>,
}

impl CredentialsError {
    /// The provider is not configured; `message` should name what it looked for.
    pub fn not_configured(
        provider: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(CredentialsErrorKind::NotConfigured, provider, message)
    }

    /// The provider's configuration is invalid.
    pub fn invalid_configuration(
        provider: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(
            CredentialsErrorKind::InvalidConfiguration,
            provider,
            message,
        )
    }

    /// The provider failed.
    pub fn provider_error(
        provider: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(CredentialsErrorKind::ProviderError, provider, message)
    }

    /// The provider timed out.
    pub fn timed_out(provider: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::TimedOut, provider, message)
    }

    fn new(
        kind: CredentialsErrorKind,
        provider: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            provider: provider.into(),
            message: message.into(),
            source: None,
        }
    }

    /// Attaches the underlying cause (available through `Error::source`).
    pub fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// The same error, its message prefixed with the configuration file it concerns.
    pub(crate) fn in_file(mut self, path: &std::path::Path) -> Self {
        self.message = format!("{}: {}", path.display(), self.message);
        self
    }

    /// The kind of failure.
    pub fn kind(&self) -> CredentialsErrorKind {
        self.kind
    }

    /// The name of the provider that failed.
    pub fn provider(&self) -> &str {
        &self.provider
    }

    /// Whether the provider simply is not configured (a chain may try the next one).
    pub fn is_not_configured(&self) -> bool {
        self.kind == CredentialsErrorKind::NotConfigured
    }

    /// Whether trying again later may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.kind,
            CredentialsErrorKind::ProviderError | CredentialsErrorKind::TimedOut
        )
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            CredentialsErrorKind::NotConfigured => "not configured",
            CredentialsErrorKind::InvalidConfiguration => "invalid configuration",
            CredentialsErrorKind::ProviderError => "failed",
            CredentialsErrorKind::TimedOut => "timed out",
        };
        write!(
            f,
            "credentials provider {} {what}: {}",
            self.provider, self.message
        )
    }
}

impl StdError for CredentialsError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source.as_deref().map(|e| e as _)
    }
}

/// What went wrong while signing.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigningErrorKind {
    /// A presigned URL's validity is outside what the signature version allows
    /// (V4: 1..=604800 seconds).
    InvalidExpiry,
    /// The region is empty (V4 needs it for the scope).
    MissingRegion,
    /// A value produced by signing cannot be sent as an HTTP header (control characters in the
    /// AccessKeyId or SecurityToken).
    InvalidHeaderValue,
    /// The signing time cannot be represented (before 1970 or after 9999).
    InvalidTime,
}

/// An error from the signer. Raised before any I/O.
#[derive(Debug, Clone)]
pub struct SigningError {
    kind: SigningErrorKind,
    message: String,
}

impl SigningError {
    pub(crate) fn new(kind: SigningErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// The kind of failure.
    pub fn kind(&self) -> SigningErrorKind {
        self.kind
    }
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot sign the request: {}", self.message)
    }
}

impl StdError for SigningError {}
