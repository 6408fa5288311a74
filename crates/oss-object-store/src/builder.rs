//! [`OssObjectStoreBuilder`]: an [`OssObjectStore`] from a URL, string configuration keys, the
//! environment, or any credentials provider of `oss-auth`.

use std::fmt;

use oss_client::Client;
use oss_client::auth::{
    DefaultCredentialsChain, ProvideCredentials, SharedCredentialsProvider,
    StaticCredentialsProvider,
};

use crate::config::OssConfigKey;
use crate::error;
use crate::store::OssObjectStore;

/// Builds an [`OssObjectStore`].
///
/// ```
/// use oss_object_store::OssObjectStoreBuilder;
///
/// let store = OssObjectStoreBuilder::new()
///     .with_url("oss://examplebucket/tables")
///     .with_config("oss_region", "cn-hangzhou")?
///     .with_config("oss_access_key_id", "LTAI5tExample")?
///     .with_config("oss_access_key_secret", "example-secret")?
///     .build()?;
/// assert_eq!(store.to_string(), "OssObjectStore(oss://examplebucket/tables/)");
/// # Ok::<(), oss_object_store::object_store::Error>(())
/// ```
///
/// Credentials, in this order: the provider of [`with_credentials_provider`](Self::with_credentials_provider);
/// else the AccessKeyId/AccessKeySecret (and SecurityToken) keys; else oss-auth's
/// `DefaultCredentialsChain` (environment, OIDC, CLI profile, credentials file, ECS RAM role,
/// credentials URI; see `docs/credentials.md`).
#[derive(Clone, Default)]
pub struct OssObjectStoreBuilder {
    url: Option<String>,
    endpoint: Option<String>,
    region: Option<String>,
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    security_token: Option<String>,
    bucket: Option<String>,
    provider: Option<SharedCredentialsProvider>,
}

impl fmt::Debug for OssObjectStoreBuilder {
    /// The AccessKeySecret and SecurityToken are never shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |v: &Option<String>| v.as_ref().map(|_| "<redacted>");
        f.debug_struct("OssObjectStoreBuilder")
            .field("url", &self.url)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &redacted(&self.access_key_secret))
            .field("security_token", &redacted(&self.security_token))
            .field("bucket", &self.bucket)
            .field("provider", &self.provider)
            .finish()
    }
}

impl OssObjectStoreBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder with every `OSS_*` and `ALIBABA_CLOUD_*` environment variable that names an
    /// [`OssConfigKey`] (`OSS_REGION`, `OSS_ENDPOINT`, `OSS_BUCKET`, `OSS_ACCESS_KEY_ID`,
    /// `ALIBABA_CLOUD_ACCESS_KEY_SECRET`…); when both spellings are set, the `OSS_*` one wins.
    /// Other variables (`ALIBABA_CLOUD_ROLE_ARN`…) are read by the default credentials chain
    /// when the store is built without keys.
    pub fn from_env() -> Self {
        Self::from_vars(std::env::vars_os().filter_map(|(name, value)| {
            Some((name.into_string().ok()?, value.into_string().ok()?))
        }))
    }

    /// The builder of `from_env` for the variables `vars`.
    fn from_vars(vars: impl IntoIterator<Item = (String, String)>) -> Self {
        let mut vars: Vec<(String, String)> = vars
            .into_iter()
            .filter(|(name, _)| name.starts_with("OSS_") || name.starts_with("ALIBABA_CLOUD_"))
            .collect();
        // ALIBABA_CLOUD_* first, so OSS_* (applied later) wins.
        vars.sort_by_key(|(name, _)| name.starts_with("OSS_"));
        let mut builder = Self::new();
        for (name, value) in vars {
            if let Ok(key) = name.parse::<OssConfigKey>() {
                builder = builder.with_config_key(key, value);
            }
        }
        builder
    }

    /// `oss://bucket[/prefix]`: the bucket, and a key prefix every path is stored under.
    /// Checked by [`build`](Self::build).
    pub fn with_url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// Sets the configuration key named `key` (see [`OssConfigKey`] for the names).
    ///
    /// # Errors
    /// `UnknownConfigurationKey` for a name that is no [`OssConfigKey`].
    pub fn with_config(
        self,
        key: &str,
        value: impl Into<String>,
    ) -> crate::object_store::Result<Self> {
        Ok(self.with_config_key(key.parse()?, value))
    }

    /// Sets `key`.
    pub fn with_config_key(mut self, key: OssConfigKey, value: impl Into<String>) -> Self {
        let value = Some(value.into());
        match key {
            OssConfigKey::Endpoint => self.endpoint = value,
            OssConfigKey::Region => self.region = value,
            OssConfigKey::AccessKeyId => self.access_key_id = value,
            OssConfigKey::AccessKeySecret => self.access_key_secret = value,
            OssConfigKey::SecurityToken => self.security_token = value,
            OssConfigKey::Bucket => self.bucket = value,
        }
        self
    }

    /// The value set for `key`, if any.
    pub fn get_config_value(&self, key: &OssConfigKey) -> Option<String> {
        match key {
            OssConfigKey::Endpoint => self.endpoint.clone(),
            OssConfigKey::Region => self.region.clone(),
            OssConfigKey::AccessKeyId => self.access_key_id.clone(),
            OssConfigKey::AccessKeySecret => self.access_key_secret.clone(),
            OssConfigKey::SecurityToken => self.security_token.clone(),
            OssConfigKey::Bucket => self.bucket.clone(),
        }
    }

    /// The endpoint, e.g. `https://oss-cn-hangzhou-internal.aliyuncs.com`.
    pub fn with_endpoint(self, endpoint: impl Into<String>) -> Self {
        self.with_config_key(OssConfigKey::Endpoint, endpoint)
    }

    /// The region id, e.g. `cn-hangzhou`.
    pub fn with_region(self, region: impl Into<String>) -> Self {
        self.with_config_key(OssConfigKey::Region, region)
    }

    /// The bucket.
    pub fn with_bucket_name(self, bucket: impl Into<String>) -> Self {
        self.with_config_key(OssConfigKey::Bucket, bucket)
    }

    /// Any credentials provider of oss-auth (`RamRoleArnProvider`, `EcsRamRoleProvider`,
    /// `OidcRoleArnProvider`, `CredentialsUriProvider`, the KMS provider, a
    /// `DefaultCredentialsChain`, your own…), re-exported in `oss_client::auth`. It takes
    /// precedence over AccessKey configuration keys.
    pub fn with_credentials_provider(
        mut self,
        provider: impl ProvideCredentials + 'static,
    ) -> Self {
        self.provider = Some(SharedCredentialsProvider::new(provider));
        self
    }

    /// Builds the store. Nothing is sent and no credentials are fetched here.
    ///
    /// # Errors
    /// `Generic` for a URL that is not `oss://bucket[/prefix]`, a bucket given twice with
    /// different names, no bucket, an AccessKeyId without AccessKeySecret (or the reverse), a
    /// SecurityToken without both, or what `oss_client::ClientBuilder::build` refuses (no or
    /// invalid region, malformed endpoint).
    pub fn build(self) -> crate::object_store::Result<OssObjectStore> {
        let (url_bucket, prefix) = match &self.url {
            Some(url) => parse_url(url)?,
            None => (None, String::new()),
        };
        let bucket = match (url_bucket, self.bucket) {
            (Some(a), Some(b)) if a != b => {
                return Err(error::generic(format!(
                    "the URL names the bucket {a:?} and oss_bucket {b:?}"
                )));
            }
            (Some(bucket), _) | (None, Some(bucket)) => bucket,
            (None, None) => {
                return Err(error::generic(
                    "no bucket: give oss://bucket in with_url or the oss_bucket key",
                ));
            }
        };
        let provider = match self.provider {
            Some(provider) => provider,
            None => static_or_default(
                self.access_key_id,
                self.access_key_secret,
                self.security_token,
            )?,
        };
        let mut client = Client::builder().credentials_provider(provider);
        if let Some(region) = self.region {
            client = client.region(region);
        }
        if let Some(endpoint) = self.endpoint {
            client = client.endpoint(endpoint);
        }
        let client = client.build().map_err(|e| error::from_oss(e, ""))?;
        Ok(OssObjectStore::new(client, bucket).with_prefix(&prefix))
    }
}

/// The bucket and key prefix of `oss://bucket[/prefix]`.
fn parse_url(url: &str) -> crate::object_store::Result<(Option<String>, String)> {
    let parsed =
        url::Url::parse(url).map_err(|e| error::generic(format!("invalid URL {url:?}: {e}")))?;
    if parsed.scheme() != "oss" {
        return Err(error::generic(format!(
            "invalid URL {url:?}: the scheme must be oss://"
        )));
    }
    let bucket = parsed
        .host_str()
        .filter(|host| !host.is_empty())
        .ok_or_else(|| error::generic(format!("invalid URL {url:?}: no bucket")))?;
    if parsed.query().is_some() || parsed.fragment().is_some() || !parsed.username().is_empty() {
        return Err(error::generic(format!(
            "invalid URL {url:?}: only oss://bucket[/prefix] is understood"
        )));
    }
    Ok((Some(bucket.to_owned()), parsed.path().to_owned()))
}

/// Static credentials from the keys, or the default chain when none is given.
fn static_or_default(
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    security_token: Option<String>,
) -> crate::object_store::Result<SharedCredentialsProvider> {
    let invalid = |e: oss_client::auth::CredentialsError| error::generic(e.to_string());
    let provider = match (access_key_id, access_key_secret, security_token) {
        (Some(id), Some(secret), None) => SharedCredentialsProvider::new(
            StaticCredentialsProvider::new(id, secret).map_err(invalid)?,
        ),
        (Some(id), Some(secret), Some(token)) => SharedCredentialsProvider::new(
            StaticCredentialsProvider::with_security_token(id, secret, token).map_err(invalid)?,
        ),
        (None, None, None) => SharedCredentialsProvider::new(DefaultCredentialsChain::new()),
        _ => {
            return Err(error::generic(
                "give both oss_access_key_id and oss_access_key_secret (and oss_session_token \
                 only with them), or neither",
            ));
        }
    };
    Ok(provider)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn environment_variables_set_keys_and_oss_names_win() {
        let builder = OssObjectStoreBuilder::from_vars(vars(&[
            ("OSS_ACCESS_KEY_ID", "LTAI-oss"),
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI-alibaba"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret"),
            ("OSS_REGION", "cn-shanghai"),
            ("OSS_BUCKET", "logs"),
            ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/r"),
            ("HOME", "/root"),
        ]));
        let get = |k| builder.get_config_value(&k);
        assert_eq!(get(OssConfigKey::AccessKeyId).as_deref(), Some("LTAI-oss"));
        assert_eq!(
            get(OssConfigKey::AccessKeySecret).as_deref(),
            Some("secret")
        );
        assert_eq!(get(OssConfigKey::Region).as_deref(), Some("cn-shanghai"));
        assert_eq!(get(OssConfigKey::Bucket).as_deref(), Some("logs"));
        assert_eq!(get(OssConfigKey::Endpoint), None);
        let store = builder.build().unwrap();
        assert_eq!(store.bucket(), "logs");
        assert_eq!(store.key_prefix(), "");
    }

    #[test]
    fn url_gives_bucket_and_prefix() {
        let store = OssObjectStoreBuilder::new()
            .with_url("oss://examplebucket/a/b/")
            .with_region("cn-hangzhou")
            .with_config("oss_access_key_id", "id")
            .unwrap()
            .with_config("OSS_ACCESS_KEY_SECRET", "secret")
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(store.bucket(), "examplebucket");
        assert_eq!(store.key_prefix(), "a/b/");
    }

    #[test]
    fn inconsistent_configuration_is_refused() {
        let base = || OssObjectStoreBuilder::new().with_region("cn-hangzhou");
        let cases = [
            base().with_url("s3://bucket"),
            base().with_url("oss://bucket?x=1"),
            base().with_url("oss://a").with_bucket_name("b"),
            base(),
            base()
                .with_bucket_name("b")
                .with_config_key(OssConfigKey::AccessKeyId, "id"),
            base()
                .with_bucket_name("b")
                .with_config_key(OssConfigKey::SecurityToken, "token"),
            OssObjectStoreBuilder::new()
                .with_bucket_name("b")
                .with_credentials_provider(StaticCredentialsProvider::new("id", "s").unwrap()),
        ];
        for builder in cases {
            let shown = format!("{builder:?}");
            let err = builder.build().unwrap_err();
            assert!(
                matches!(err, crate::object_store::Error::Generic { .. }),
                "{shown}: {err}"
            );
        }
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let builder = OssObjectStoreBuilder::new()
            .with_config_key(OssConfigKey::AccessKeySecret, "very-secret")
            .with_config_key(OssConfigKey::SecurityToken, "token-value");
        let shown = format!("{builder:?}");
        assert!(
            !shown.contains("very-secret") && !shown.contains("token-value"),
            "{shown}"
        );
    }
}
