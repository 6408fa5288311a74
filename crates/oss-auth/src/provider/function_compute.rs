//! Function Compute: the credentials of the function's role, handed to each invocation.

use std::future::Future;

use crate::{
    Credentials, CredentialsError, Env, EnvironmentCredentialsProvider, ProvideCredentials,
};

const NAME: &str = "FunctionCompute";

/// The temporary credentials Function Compute gives an invocation (valid for 36 hours, fresh
/// per invocation, so no refresh is needed):
/// * [`FunctionComputeProvider::from_context`]: the handler context's AccessKeyId,
///   AccessKeySecret and SecurityToken;
/// * [`FunctionComputeProvider::from_headers`]: custom runtimes' request headers
///   `x-fc-access-key-id`, `x-fc-access-key-secret`, `x-fc-security-token`;
/// * [`FunctionComputeProvider::from_env`]: the runtime's `ALIBABA_CLOUD_ACCESS_KEY_ID`,
///   `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, `ALIBABA_CLOUD_SECURITY_TOKEN` (read on every call).
#[derive(Debug, Clone)]
pub struct FunctionComputeProvider {
    source: Source,
}

#[derive(Debug, Clone)]
enum Source {
    Fixed(Credentials),
    Env(EnvironmentCredentialsProvider),
}

impl FunctionComputeProvider {
    /// From the handler context's credentials.
    ///
    /// # Errors
    /// [`crate::CredentialsErrorKind::InvalidConfiguration`] when a value is empty.
    pub fn from_context(
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<String>,
        security_token: impl Into<String>,
    ) -> Result<Self, CredentialsError> {
        let token = security_token.into();
        if token.is_empty() {
            return Err(CredentialsError::invalid_configuration(
                NAME,
                "the SecurityToken is empty",
            ));
        }
        let credentials = Credentials::builder()
            .access_key_id(access_key_id)
            .access_key_secret(access_key_secret)
            .security_token(token)
            .provider_name(NAME)
            .build()?;
        Ok(Self {
            source: Source::Fixed(credentials),
        })
    }

    /// From a custom runtime's invocation headers.
    ///
    /// # Errors
    /// [`crate::CredentialsErrorKind::NotConfigured`] when the headers are absent (no role is
    /// configured for the function); the Debian 11 runtime sends no token header: use
    /// [`FunctionComputeProvider::from_env`] there.
    pub fn from_headers(headers: &http::HeaderMap) -> Result<Self, CredentialsError> {
        let get = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .filter(|v| !v.is_empty())
        };
        match (
            get("x-fc-access-key-id"),
            get("x-fc-access-key-secret"),
            get("x-fc-security-token"),
        ) {
            (Some(id), Some(secret), Some(token)) => Self::from_context(id, secret, token),
            _ => Err(CredentialsError::not_configured(
                NAME,
                "the invocation has no x-fc-access-key-id, x-fc-access-key-secret and x-fc-security-token headers",
            )),
        }
    }

    /// From the runtime's environment variables.
    pub fn from_env() -> Self {
        Self::from_env_source(Env::process())
    }

    /// From environment variables in `env` (tests).
    pub fn from_env_source(env: Env) -> Self {
        Self {
            source: Source::Env(EnvironmentCredentialsProvider::alibaba_cloud().with_env(env)),
        }
    }
}

impl ProvideCredentials for FunctionComputeProvider {
    fn provide_credentials(
        &self,
    ) -> impl Future<Output = Result<Credentials, CredentialsError>> + Send {
        let result = match &self.source {
            Source::Fixed(credentials) => Ok(credentials.clone()),
            Source::Env(env) => env.load(),
        };
        std::future::ready(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_headers_and_context() {
        let mut headers = http::HeaderMap::new();
        headers.insert("x-fc-access-key-id", "STS.fc".parse().unwrap());
        headers.insert("x-fc-access-key-secret", "s".parse().unwrap());
        assert!(
            FunctionComputeProvider::from_headers(&headers)
                .unwrap_err()
                .is_not_configured()
        );
        headers.insert("x-fc-security-token", "t".parse().unwrap());
        let p = FunctionComputeProvider::from_headers(&headers).unwrap();
        let Source::Fixed(c) = &p.source else {
            panic!()
        };
        assert_eq!(
            (c.access_key_id(), c.expose_security_token()),
            ("STS.fc", Some("t"))
        );
        assert!(FunctionComputeProvider::from_context("a", "b", "").is_err());
    }
}
