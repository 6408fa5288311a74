//! AccessKey and STS credentials from environment variables.

use std::future::Future;

use crate::{Credentials, CredentialsError, Env, ProvideCredentials};

/// Names of the three variables one environment provider reads.
#[derive(Debug, Clone, Copy)]
struct VariableNames {
    access_key_id: &'static str,
    access_key_secret: &'static str,
    security_token: &'static str,
}

const OSS_NAMES: VariableNames = VariableNames {
    access_key_id: "OSS_ACCESS_KEY_ID",
    access_key_secret: "OSS_ACCESS_KEY_SECRET",
    security_token: "OSS_SESSION_TOKEN",
};

const ALIBABA_CLOUD_NAMES: VariableNames = VariableNames {
    access_key_id: "ALIBABA_CLOUD_ACCESS_KEY_ID",
    access_key_secret: "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    security_token: "ALIBABA_CLOUD_SECURITY_TOKEN",
};

/// Credentials from environment variables, read on every call (not when built).
///
/// * [`EnvironmentCredentialsProvider::oss`] reads `OSS_ACCESS_KEY_ID`, `OSS_ACCESS_KEY_SECRET` and
///   optionally `OSS_SESSION_TOKEN`, as the OSS SDKs read them.
/// * [`EnvironmentCredentialsProvider::alibaba_cloud`] reads `ALIBABA_CLOUD_ACCESS_KEY_ID`,
///   `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and optionally `ALIBABA_CLOUD_SECURITY_TOKEN`, as the
///   Alibaba Cloud credentials libraries read them.
///
/// # Errors
/// [`crate::CredentialsErrorKind::NotConfigured`], naming the variables, when the id or the
/// secret is unset or empty.
#[derive(Debug, Clone)]
pub struct EnvironmentCredentialsProvider {
    names: VariableNames,
    env: Env,
}

impl EnvironmentCredentialsProvider {
    /// Reads the `OSS_*` variables.
    pub fn oss() -> Self {
        Self {
            names: OSS_NAMES,
            env: Env::process(),
        }
    }

    /// Reads the `ALIBABA_CLOUD_*` variables.
    pub fn alibaba_cloud() -> Self {
        Self {
            names: ALIBABA_CLOUD_NAMES,
            env: Env::process(),
        }
    }

    /// Reads variables from `env` instead of the process environment (for tests).
    pub fn with_env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    pub(crate) fn load(&self) -> Result<Credentials, CredentialsError> {
        let n = self.names;
        let (Some(id), Some(secret)) = (
            self.env.get_non_empty(n.access_key_id),
            self.env.get_non_empty(n.access_key_secret),
        ) else {
            return Err(CredentialsError::not_configured(
                "Environment",
                format!(
                    "{} and {} must both be set and non-empty ({} is optional)",
                    n.access_key_id, n.access_key_secret, n.security_token
                ),
            ));
        };
        let mut builder = Credentials::builder()
            .access_key_id(id)
            .access_key_secret(secret)
            .provider_name("Environment");
        if let Some(token) = self.env.get_non_empty(n.security_token) {
            builder = builder.security_token(token);
        }
        builder.build()
    }
}

impl ProvideCredentials for EnvironmentCredentialsProvider {
    fn provide_credentials(
        &self,
    ) -> impl Future<Output = Result<Credentials, CredentialsError>> + Send {
        std::future::ready(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(p: &EnvironmentCredentialsProvider) -> Result<Credentials, CredentialsError> {
        p.load()
    }

    #[test]
    fn reads_oss_variables_with_token() {
        let env = Env::from_pairs([
            ("OSS_ACCESS_KEY_ID", "id"),
            ("OSS_ACCESS_KEY_SECRET", "secret"),
            ("OSS_SESSION_TOKEN", "tok"),
        ]);
        let c = run(&EnvironmentCredentialsProvider::oss().with_env(env)).unwrap();
        assert_eq!(c.access_key_id(), "id");
        assert_eq!(c.expose_access_key_secret(), "secret");
        assert_eq!(c.expose_security_token(), Some("tok"));
        assert_eq!(c.provider_name(), "Environment");
    }

    #[test]
    fn reads_alibaba_cloud_variables() {
        let env = Env::from_pairs([
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "id2"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret2"),
        ]);
        let c = run(&EnvironmentCredentialsProvider::alibaba_cloud().with_env(env)).unwrap();
        assert_eq!(c.access_key_id(), "id2");
        assert_eq!(c.expose_security_token(), None);
    }

    #[test]
    fn missing_or_empty_is_not_configured_and_names_variables() {
        let env = Env::from_pairs([("OSS_ACCESS_KEY_ID", "id"), ("OSS_ACCESS_KEY_SECRET", "")]);
        let err = run(&EnvironmentCredentialsProvider::oss().with_env(env)).unwrap_err();
        assert!(err.is_not_configured());
        let text = err.to_string();
        assert!(text.contains("OSS_ACCESS_KEY_ID") && text.contains("OSS_ACCESS_KEY_SECRET"));
        let err = run(&EnvironmentCredentialsProvider::alibaba_cloud()
            .with_env(Env::from_pairs(Vec::<(String, String)>::new())))
        .unwrap_err();
        assert!(err.to_string().contains("ALIBABA_CLOUD_ACCESS_KEY_ID"));
    }
}
