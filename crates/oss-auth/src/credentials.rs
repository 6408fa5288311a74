//! The credentials snapshot used to sign one request.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use zeroize::Zeroizing;

use crate::error::CredentialsError;

/// An AccessKeyId, AccessKeySecret and optional SecurityToken, with an optional expiration.
///
/// Cheap to clone (one `Arc`); clones share one copy of the secret, which is zeroized when the
/// last clone is dropped. `Debug` prints the AccessKeyId, the provider name and the expiration,
/// never the AccessKeySecret or the SecurityToken. There is deliberately no `Serialize`.
///
/// One snapshot is taken per HTTP attempt, so the id, secret and token always belong together.
#[derive(Clone)]
pub struct Credentials(Arc<Inner>);

struct Inner {
    access_key_id: String,
    access_key_secret: Zeroizing<String>,
    security_token: Option<Zeroizing<String>>,
    expiration: Option<SystemTime>,
    provider_name: Cow<'static, str>,
}

impl Credentials {
    /// Long-term AccessKey credentials with no SecurityToken and no expiration, named
    /// `"Static"`. Empty values are not checked here; [`Credentials::builder`] checks them.
    pub fn from_keys(
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<String>,
    ) -> Self {
        Self(Arc::new(Inner {
            access_key_id: access_key_id.into(),
            access_key_secret: Zeroizing::new(access_key_secret.into()),
            security_token: None,
            expiration: None,
            provider_name: Cow::Borrowed("Static"),
        }))
    }

    /// A builder that validates its input (non-empty id and secret, no control characters).
    pub fn builder() -> CredentialsBuilder {
        CredentialsBuilder::default()
    }

    /// The AccessKeyId (not secret; appears in signatures and logs).
    pub fn access_key_id(&self) -> &str {
        &self.0.access_key_id
    }

    /// The AccessKeySecret. Named `expose_` so every read of the secret is visible in review.
    pub fn expose_access_key_secret(&self) -> &str {
        &self.0.access_key_secret
    }

    /// The STS SecurityToken, when these are temporary credentials.
    pub fn expose_security_token(&self) -> Option<&str> {
        self.0.security_token.as_deref().map(String::as_str)
    }

    /// When these credentials stop being valid (UTC instant), if they expire at all.
    pub fn expiration(&self) -> Option<SystemTime> {
        self.0.expiration
    }

    /// The name of the provider that produced these credentials, e.g. `"Static"` or
    /// `"Environment"`.
    pub fn provider_name(&self) -> &str {
        &self.0.provider_name
    }

    /// Whether these credentials are expired at `now`.
    pub fn is_expired_at(&self, now: SystemTime) -> bool {
        self.0.expiration.is_some_and(|exp| exp <= now)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("provider_name", &self.0.provider_name)
            .field("access_key_id", &self.0.access_key_id)
            .field("access_key_secret", &"** redacted **")
            .field(
                "security_token",
                &self.0.security_token.as_ref().map(|_| "** redacted **"),
            )
            .field(
                "expiration",
                &self.0.expiration.map(httpdate::fmt_http_date),
            )
            .finish()
    }
}

/// Builds [`Credentials`], checking the values before any request is made.
#[derive(Default)]
pub struct CredentialsBuilder {
    access_key_id: Option<String>,
    access_key_secret: Option<Zeroizing<String>>,
    security_token: Option<Zeroizing<String>>,
    expiration: Option<SystemTime>,
    provider_name: Option<Cow<'static, str>>,
}

impl fmt::Debug for CredentialsBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsBuilder")
            .field("access_key_id", &self.access_key_id)
            .field("provider_name", &self.provider_name)
            .finish_non_exhaustive()
    }
}

impl CredentialsBuilder {
    /// Sets the AccessKeyId (required).
    pub fn access_key_id(mut self, value: impl Into<String>) -> Self {
        self.access_key_id = Some(value.into());
        self
    }

    /// Sets the AccessKeySecret (required).
    pub fn access_key_secret(mut self, value: impl Into<String>) -> Self {
        self.access_key_secret = Some(Zeroizing::new(value.into()));
        self
    }

    /// Sets the STS SecurityToken; an empty token counts as none.
    pub fn security_token(mut self, value: impl Into<String>) -> Self {
        let token = value.into();
        self.security_token = (!token.is_empty()).then(|| Zeroizing::new(token));
        self
    }

    /// Sets the expiration instant (UTC).
    pub fn expiration(mut self, value: SystemTime) -> Self {
        self.expiration = Some(value);
        self
    }

    /// Names the provider these credentials came from (shown in `Debug` and in errors).
    pub fn provider_name(mut self, value: impl Into<Cow<'static, str>>) -> Self {
        self.provider_name = Some(value.into());
        self
    }

    /// Builds the credentials.
    ///
    /// # Errors
    /// [`crate::CredentialsErrorKind::InvalidConfiguration`] when the AccessKeyId or
    /// AccessKeySecret is missing or empty, or any value holds a control character (which
    /// could never be sent in an HTTP header).
    pub fn build(self) -> Result<Credentials, CredentialsError> {
        let provider_name = self.provider_name.unwrap_or(Cow::Borrowed("Static"));
        let invalid = |what: &str| {
            CredentialsError::invalid_configuration(
                provider_name.clone(),
                format!("{what} is missing, empty or holds a control character"),
            )
        };
        let access_key_id = self
            .access_key_id
            .filter(|v| is_header_safe(v))
            .ok_or_else(|| invalid("AccessKeyId"))?;
        let access_key_secret = self
            .access_key_secret
            .filter(|v| is_header_safe(v))
            .ok_or_else(|| invalid("AccessKeySecret"))?;
        if let Some(token) = &self.security_token {
            if !is_header_safe(token) {
                return Err(invalid("SecurityToken"));
            }
        }
        Ok(Credentials(Arc::new(Inner {
            access_key_id,
            access_key_secret,
            security_token: self.security_token,
            expiration: self.expiration,
            provider_name,
        })))
    }
}

fn is_header_safe(value: &str) -> bool {
    !value.is_empty() && !value.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_secret_and_token() {
        let creds = Credentials::builder()
            .access_key_id("STS.id")
            .access_key_secret("very-secret-value")
            .security_token("token-value-123")
            .build()
            .unwrap();
        let shown = format!("{creds:?}");
        assert!(shown.contains("STS.id"));
        assert!(!shown.contains("very-secret-value"));
        assert!(!shown.contains("token-value-123"));
    }

    #[test]
    fn builder_rejects_empty_and_control_characters() {
        let err = Credentials::builder()
            .access_key_id("id")
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("AccessKeySecret"));
        let err = Credentials::builder()
            .access_key_id("id\r\n")
            .access_key_secret("s")
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("AccessKeyId"));
    }

    #[test]
    fn empty_token_counts_as_none() {
        let creds = Credentials::builder()
            .access_key_id("id")
            .access_key_secret("s")
            .security_token("")
            .build()
            .unwrap();
        assert_eq!(creds.expose_security_token(), None);
    }
}
