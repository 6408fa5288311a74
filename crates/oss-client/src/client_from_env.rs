//! A client configured from environment variables, as the official SDKs' samples and
//! ossutil configure theirs.

use oss_auth::proxy::ProxyConfig;
use oss_auth::{DefaultCredentialsChain, EnvironmentCredentialsProvider, ProviderConfig};

use crate::client::{Client, ClientBuilder};
use crate::error::Error;

/// The variables naming the region, in order of precedence.
const REGION_VARIABLES: [&str; 2] = ["OSS_REGION", "ALIBABA_CLOUD_REGION_ID"];

impl Client {
    /// A client configured from the process environment; see [`ClientBuilder::from_env`].
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), oss_client::Error> {
    /// // OSS_REGION=cn-hangzhou, OSS_ACCESS_KEY_ID=…, OSS_ACCESS_KEY_SECRET=…
    /// let client = oss_client::Client::from_env()?;
    /// client.put_object().bucket("examplebucket").key("k").body("v").send().await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`ClientBuilder::build`]: [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument)
    /// when neither `OSS_REGION` nor `ALIBABA_CLOUD_REGION_ID` is set,
    /// [`ErrorKind::InvalidEndpoint`](crate::ErrorKind::InvalidEndpoint) for a malformed
    /// `OSS_ENDPOINT`. Credentials are not fetched here: a missing or broken credentials
    /// source fails the first request with
    /// [`ErrorKind::Credentials`](crate::ErrorKind::Credentials).
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env().build()
    }
}

impl ClientBuilder {
    /// A builder configured from the process environment, to adjust before
    /// [`build`](Self::build):
    ///
    /// | variable | sets |
    /// | --- | --- |
    /// | `OSS_REGION`, else `ALIBABA_CLOUD_REGION_ID` | [`region`](Self::region) |
    /// | `OSS_ENDPOINT` (optional) | [`endpoint`](Self::endpoint) |
    /// | `OSS_ACCESS_KEY_ID`, `OSS_ACCESS_KEY_SECRET`, `OSS_SESSION_TOKEN` | credentials, when `OSS_ACCESS_KEY_ID` is set ([`EnvironmentCredentialsProvider::oss`]) |
    /// | otherwise | credentials from [`DefaultCredentialsChain`] (the `ALIBABA_CLOUD_*` variables, OIDC, the CLI and INI profiles, the ECS RAM role, a credentials URI) |
    /// | `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY` | the proxy, as without `from_env` |
    ///
    /// Empty variables count as unset.
    pub fn from_env() -> ClientBuilder {
        Self::from_env_config(ProviderConfig::default())
    }

    /// [`from_env`](Self::from_env) reading the variables (and, for the credentials chain, the
    /// home directory, clock and HTTP client) of `config` instead of the process's.
    pub fn from_env_config(config: ProviderConfig) -> ClientBuilder {
        let env = &config.env;
        let mut builder = Client::builder().proxy_config(ProxyConfig::from_env_in(env.clone()));
        if let Some(region) = REGION_VARIABLES.iter().find_map(|v| env.get_non_empty(v)) {
            builder = builder.region(region);
        }
        if let Some(endpoint) = env.get_non_empty("OSS_ENDPOINT") {
            builder = builder.endpoint(endpoint);
        }
        if env.get_non_empty("OSS_ACCESS_KEY_ID").is_some() {
            let provider = EnvironmentCredentialsProvider::oss().with_env(env.clone());
            builder.credentials_provider(provider)
        } else {
            builder.credentials_provider(DefaultCredentialsChain::with_config(config))
        }
    }
}
