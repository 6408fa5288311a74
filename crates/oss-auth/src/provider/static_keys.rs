//! Fixed AccessKey or STS credentials given in code.

use std::future::Future;

use crate::{Credentials, CredentialsError, ProvideCredentials};

/// Fixed credentials: an AccessKey pair, optionally with an STS SecurityToken.
///
/// The values are checked when the provider is built, so a missing or empty AccessKeyId or
/// AccessKeySecret is an error before any request.
#[derive(Debug, Clone)]
pub struct StaticCredentialsProvider {
    credentials: Credentials,
}

impl StaticCredentialsProvider {
    /// A long-term AccessKey pair.
    ///
    /// # Errors
    /// [`crate::CredentialsErrorKind::InvalidConfiguration`] when a value is empty or holds a
    /// control character.
    pub fn new(
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<String>,
    ) -> Result<Self, CredentialsError> {
        Self::build(access_key_id.into(), access_key_secret.into(), None)
    }

    /// Temporary STS credentials: an AccessKey pair plus its SecurityToken.
    ///
    /// # Errors
    /// As [`StaticCredentialsProvider::new`], and also when the token is empty.
    pub fn with_security_token(
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<String>,
        security_token: impl Into<String>,
    ) -> Result<Self, CredentialsError> {
        let token = security_token.into();
        if token.is_empty() {
            return Err(CredentialsError::invalid_configuration(
                "Static",
                "SecurityToken is empty",
            ));
        }
        Self::build(access_key_id.into(), access_key_secret.into(), Some(token))
    }

    fn build(id: String, secret: String, token: Option<String>) -> Result<Self, CredentialsError> {
        let mut builder = Credentials::builder()
            .access_key_id(id)
            .access_key_secret(secret)
            .provider_name("Static");
        if let Some(token) = token {
            builder = builder.security_token(token);
        }
        Ok(Self {
            credentials: builder.build()?,
        })
    }
}

impl ProvideCredentials for StaticCredentialsProvider {
    fn provide_credentials(
        &self,
    ) -> impl Future<Output = Result<Credentials, CredentialsError>> + Send {
        std::future::ready(Ok(self.credentials.clone()))
    }
}
