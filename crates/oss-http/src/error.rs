//! The error of the HTTP layer.

use std::error::Error as StdError;
use std::fmt;

use oss_auth::{CredentialsError, SigningError};

type BoxError = Box<dyn StdError + Send + Sync>;

/// What failed while sending a request.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The credentials provider failed.
    Credentials,
    /// The request could not be signed.
    Signing,
    /// The request lacks the [`crate::SigningTarget`] extension or is otherwise malformed.
    InvalidRequest,
    /// Connecting failed (refused, DNS, TLS handshake, connect timeout).
    Connect,
    /// A time limit of one attempt passed: the idle timeout (no byte of the request or response
    /// body moved) or the first-byte timeout (no response after the request was sent); see
    /// [`crate::Timeouts`]. Retryable.
    Timeout,
    /// The operation's deadline passed ([`crate::Timeouts::deadline`]). Not retryable.
    Deadline,
    /// The connection failed while sending or receiving (reset, EOF, broken pipe).
    Transport,
    /// Reading the request body failed (e.g. an I/O error reading a file).
    Body,
}

/// An error from the HTTP layer. `Display` says what failed; the cause is in `source()`.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    source: Option<BoxError>,
    attempts: u32,
}

impl Error {
    /// A new error.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
            attempts: 1,
        }
    }

    /// Records how many attempts the request took before failing with this error.
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    /// How many attempts the request took, this failure's included (1 when it was not retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Attaches a cause.
    pub fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Whether the same request may succeed when sent again: connect failures, timeouts,
    /// transport failures and retryable provider failures.
    pub fn is_retryable(&self) -> bool {
        match self.kind {
            ErrorKind::Connect | ErrorKind::Timeout | ErrorKind::Transport => true,
            ErrorKind::Credentials => self
                .source
                .as_ref()
                .and_then(|s| s.downcast_ref::<CredentialsError>())
                .is_some_and(CredentialsError::is_retryable),
            _ => false,
        }
    }

    /// The credentials error, when the provider failed.
    pub fn as_credentials_error(&self) -> Option<&CredentialsError> {
        self.source.as_ref()?.downcast_ref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source.as_deref().map(|e| e as _)
    }
}

impl From<CredentialsError> for Error {
    fn from(e: CredentialsError) -> Self {
        Self::new(ErrorKind::Credentials, format!("no credentials: {e}")).with_source(e)
    }
}

impl From<SigningError> for Error {
    fn from(e: SigningError) -> Self {
        Self::new(ErrorKind::Signing, e.to_string()).with_source(e)
    }
}

/// Classifies a hyper-util client error.
pub(crate) fn from_client_error(e: hyper_util::client::legacy::Error) -> Error {
    if e.is_connect() {
        return Error::new(ErrorKind::Connect, "cannot connect to the endpoint").with_source(e);
    }
    let body_failed = StdError::source(&e)
        .and_then(|s| s.downcast_ref::<hyper::Error>())
        .is_some_and(|h| h.is_user());
    if body_failed {
        return Error::new(ErrorKind::Body, "reading the request body failed").with_source(e);
    }
    Error::new(ErrorKind::Transport, "the connection failed").with_source(e)
}
