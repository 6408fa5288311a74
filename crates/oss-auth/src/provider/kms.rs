//! An auto-rotating AccessKey from KMS Secrets Manager, authenticated with an Application
//! Access Point ClientKey (feature `kms`).
//!
//! KMS keeps a RAM user's AccessKey in a secret of type `RAMCredentials` and rotates it. This
//! provider fetches it with `GetSecretValue` on the shared KMS gateway
//! (`https://kms.<region>.aliyuncs.com`, RPC style, version `2016-01-20`), signing the request
//! the way the official secrets-manager clients do: the POP v1 string to sign (method `POST`,
//! path `/`) signed with RSASSA-PKCS1-v1_5-SHA256 by the ClientKey's private key
//! (`SignatureMethod=SHA256withRSA`, `SignatureType=PRIVATEKEY`, `AccessKeyId` = the
//! ClientKey's `KeyId`).
//!
//! The ClientKey file is the JSON KMS hands out, `{"KeyId": "KAAP.…", "PrivateKeyData":
//! "<base64 PKCS#12>"}`; its password comes from an environment variable or a file. The
//! PKCS#12 is decrypted once, when the provider is built.
//!
//! The AccessKey is long-term (no token), so the provider gives it an artificial expiration
//! of now + `refresh_interval` (default 1 h) and the refresh cache fetches it again before
//! then. When OSS refuses the AccessKey (`InvalidAccessKeyId`, e.g. because a rotation
//! revoked it), the client calls [`ProvideCredentials::invalidate`] and the next request
//! fetches the current one.
//!
//! ```no_run
//! # fn demo() -> Result<(), oss_auth::CredentialsError> {
//! let provider = oss_auth::provider::kms::KmsSecretProvider::builder()
//!     .client_key_file("/etc/app/clientKey_KAAP.json")
//!     .client_key_password_env("CLIENT_KEY_PASSWORD")
//!     .secret_name("my-oss-ak")
//!     .region("cn-hangzhou")
//!     .build()?;
//! # Ok(()) }
//! ```

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use serde::Deserialize;
use zeroize::Zeroizing;

use super::sts;
use crate::cache::{CacheConfig, CachedProvider};
use crate::clock::{SharedClock, system_clock};
use crate::http_client::SharedHttpClient;
use crate::{Credentials, CredentialsError, Env, ProvideCredentials};

const NAME: &str = "KmsSecret";
const VERSION: &str = "2016-01-20";
/// How often the secret is fetched again by default.
pub const DEFAULT_REFRESH_INTERVAL: Duration = Duration::from_secs(3600);
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The AccessKey stored in a KMS secret, fetched with a ClientKey, cached and fetched again
/// every `refresh_interval` (see the module documentation).
#[derive(Debug, Clone)]
pub struct KmsSecretProvider {
    cache: CachedProvider<FetchSecret>,
}

impl KmsSecretProvider {
    /// A builder.
    pub fn builder() -> KmsSecretProviderBuilder {
        KmsSecretProviderBuilder::default()
    }
}

impl ProvideCredentials for KmsSecretProvider {
    fn provide_credentials(
        &self,
    ) -> impl Future<Output = Result<Credentials, CredentialsError>> + Send {
        self.cache.provide_credentials()
    }

    fn invalidate(&self, failed: &Credentials) {
        self.cache.invalidate(failed);
    }
}

enum Password {
    Env(String),
    File(PathBuf),
    Value(Zeroizing<String>),
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Env(name) => f.debug_tuple("Env").field(name).finish(),
            Self::File(path) => f.debug_tuple("File").field(path).finish(),
            Self::Value(_) => f.write_str("Value(<redacted>)"),
        }
    }
}

/// Configures a [`KmsSecretProvider`].
#[derive(Debug, Default)]
pub struct KmsSecretProviderBuilder {
    client_key_file: Option<PathBuf>,
    password: Option<Password>,
    secret_name: Option<String>,
    region: Option<String>,
    endpoint: Option<String>,
    refresh_interval: Option<Duration>,
    timeout: Option<Duration>,
    http: Option<SharedHttpClient>,
    clock: Option<SharedClock>,
    env: Option<Env>,
    cache: Option<CacheConfig>,
    proxy: Option<crate::proxy::ProxyConfig>,
}

impl KmsSecretProviderBuilder {
    /// The ClientKey file (`{"KeyId","PrivateKeyData"}`, as downloaded from KMS).
    pub fn client_key_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.client_key_file = Some(path.into());
        self
    }

    /// Reads the ClientKey password from the environment variable `name`.
    pub fn client_key_password_env(mut self, name: impl Into<String>) -> Self {
        self.password = Some(Password::Env(name.into()));
        self
    }

    /// Reads the ClientKey password from a file (a trailing newline is ignored).
    pub fn client_key_password_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.password = Some(Password::File(path.into()));
        self
    }

    /// The ClientKey password itself.
    pub fn client_key_password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(Password::Value(Zeroizing::new(password.into())));
        self
    }

    /// The name of the secret that holds the AccessKey.
    pub fn secret_name(mut self, name: impl Into<String>) -> Self {
        self.secret_name = Some(name.into());
        self
    }

    /// The KMS region: endpoint `https://kms.<region>.aliyuncs.com`, also sent as `RegionId`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// An explicit endpoint URL with scheme (e.g. `https://kms-vpc.cn-hangzhou.aliyuncs.com`
    /// or a local fake); wins over the region's endpoint.
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// How long a fetched AccessKey is used before the secret is fetched again (default 1 h).
    pub fn refresh_interval(mut self, interval: Duration) -> Self {
        self.refresh_interval = Some(interval);
        self
    }

    /// The whole-request timeout of one `GetSecretValue` (default 10 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    super::refreshing_builder_setters!();

    super::proxy_setter!();

    /// Reads and decrypts the ClientKey and builds the provider.
    ///
    /// # Errors
    /// `NotConfigured` without a ClientKey file; `InvalidConfiguration` without a secret name,
    /// password or endpoint/region, when a file cannot be read, the ClientKey JSON is
    /// malformed, the password is wrong or the key is not an RSA key ring can sign with.
    pub fn build(self) -> Result<KmsSecretProvider, CredentialsError> {
        let invalid = |message: String| CredentialsError::invalid_configuration(NAME, message);
        let path = self.client_key_file.ok_or_else(|| {
            CredentialsError::not_configured(NAME, "no ClientKey file configured")
        })?;
        let secret_name = self
            .secret_name
            .filter(|n| !n.is_empty())
            .ok_or_else(|| invalid("no secret name configured".into()))?;
        let endpoint = match (&self.endpoint, &self.region) {
            (Some(url), _) => {
                let url = url.trim_end_matches('/');
                if url.contains("://") {
                    url.to_owned()
                } else {
                    format!("https://{url}")
                }
            }
            (None, Some(region)) => format!("https://kms.{region}.aliyuncs.com"),
            (None, None) => return Err(invalid("neither a KMS region nor an endpoint".into())),
        };
        let endpoint: http::Uri = format!("{endpoint}/")
            .parse()
            .map_err(|_| invalid("the KMS endpoint is not a valid URL".into()))?;
        let env = self.env.unwrap_or_default();
        let password = match self.password {
            Some(Password::Value(value)) => value,
            Some(Password::Env(name)) => Zeroizing::new(env.get(&name).ok_or_else(|| {
                invalid(format!("the ClientKey password variable {name} is not set"))
            })?),
            Some(Password::File(file)) => {
                let text = std::fs::read_to_string(&file).map_err(|e| {
                    invalid(format!(
                        "cannot read the ClientKey password file {}: {e}",
                        file.display()
                    ))
                })?;
                let text = Zeroizing::new(text);
                Zeroizing::new(text.trim_end_matches(['\r', '\n']).to_owned())
            }
            None => return Err(invalid("no ClientKey password configured".into())),
        };
        let client_key = ClientKey::load(&path, &password)?;
        let clock = self.clock.unwrap_or_else(system_clock);
        let fetch = FetchSecret {
            endpoint,
            region: self.region,
            secret_name,
            client_key: Arc::new(client_key),
            refresh_interval: self.refresh_interval.unwrap_or(DEFAULT_REFRESH_INTERVAL),
            timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
            http: self
                .http
                .unwrap_or_else(|| super::default_http_client(CONNECT_TIMEOUT, self.proxy, &env)),
            clock: Arc::clone(&clock),
        };
        Ok(KmsSecretProvider {
            cache: CachedProvider::with_config(NAME, fetch, self.cache.unwrap_or_default(), clock),
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ClientKeyFile {
    key_id: String,
    private_key_data: String,
}

/// The decrypted ClientKey.
struct ClientKey {
    key_id: String,
    key_pair: RsaKeyPair,
}

impl fmt::Debug for ClientKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientKey")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

impl ClientKey {
    fn load(path: &std::path::Path, password: &str) -> Result<Self, CredentialsError> {
        let invalid = |message: String| CredentialsError::invalid_configuration(NAME, message);
        let text = Zeroizing::new(std::fs::read(path).map_err(|e| {
            invalid(format!(
                "cannot read the ClientKey file {}: {e}",
                path.display()
            ))
        })?);
        let file: ClientKeyFile = serde_json::from_slice(&text).map_err(|e| {
            invalid(format!(
                "the ClientKey file {} is not {{\"KeyId\",\"PrivateKeyData\"}} JSON: {e}",
                path.display()
            ))
        })?;
        if file.key_id.is_empty() {
            return Err(invalid("the ClientKey file has an empty KeyId".into()));
        }
        let pkcs12 = Zeroizing::new(
            base64::engine::general_purpose::STANDARD
                .decode(file.private_key_data.trim())
                .map_err(|_| invalid("the ClientKey PrivateKeyData is not base64".into()))?,
        );
        let archive = p12_keystore::Pkcs12Archive::from_pkcs12(&pkcs12, password).map_err(|e| {
            invalid(format!(
                "cannot decrypt the ClientKey PKCS#12 (wrong password?): {e}"
            ))
        })?;
        let key = archive
            .keys
            .first()
            .ok_or_else(|| invalid("the ClientKey PKCS#12 holds no private key".into()))?;
        let key_pair = RsaKeyPair::from_pkcs8(key.key.as_der()).map_err(|e| {
            invalid(format!(
                "the ClientKey private key is not a usable RSA key: {e}"
            ))
        })?;
        Ok(Self {
            key_id: file.key_id,
            key_pair,
        })
    }

    /// Base64 RSASSA-PKCS1-v1_5-SHA256 signature of `message`.
    fn sign(&self, message: &str) -> Result<String, CredentialsError> {
        let mut signature = vec![0u8; self.key_pair.public().modulus_len()];
        self.key_pair
            .sign(
                &RSA_PKCS1_SHA256,
                &ring::rand::SystemRandom::new(),
                message.as_bytes(),
                &mut signature,
            )
            .map_err(|_| CredentialsError::provider_error(NAME, "RSA signing failed"))?;
        Ok(base64::engine::general_purpose::STANDARD.encode(signature))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SecretAnswer {
    secret_data: Option<String>,
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SecretData {
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
}

/// One `GetSecretValue` per fetch.
pub struct FetchSecret {
    endpoint: http::Uri,
    region: Option<String>,
    secret_name: String,
    client_key: Arc<ClientKey>,
    refresh_interval: Duration,
    timeout: Duration,
    http: SharedHttpClient,
    clock: SharedClock,
}

impl fmt::Debug for FetchSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FetchSecret")
            .field("endpoint", &self.endpoint)
            .field("secret_name", &self.secret_name)
            .field("client_key", &self.client_key)
            .field("refresh_interval", &self.refresh_interval)
            .finish_non_exhaustive()
    }
}

impl FetchSecret {
    fn signed_query(&self) -> Result<String, CredentialsError> {
        let mut params: Vec<(String, String)> = [
            ("Action", "GetSecretValue"),
            ("Version", VERSION),
            ("Format", "JSON"),
            ("SecretName", self.secret_name.as_str()),
            ("VersionStage", "ACSCurrent"),
            ("FetchExtendedConfig", "true"),
            ("SignatureMethod", "SHA256withRSA"),
            ("SignatureType", "PRIVATEKEY"),
            ("SignatureVersion", "1.0"),
            ("AccessKeyId", self.client_key.key_id.as_str()),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        if let Some(region) = &self.region {
            params.push(("RegionId".to_owned(), region.clone()));
        }
        params.push(("SignatureNonce".to_owned(), sts::nonce()));
        params.push(("Timestamp".to_owned(), sts::timestamp(self.clock.now())));
        let string_to_sign = crate::pop::string_to_sign("POST", &params);
        let signature = self.client_key.sign(&string_to_sign)?;
        params.push(("Signature".to_owned(), signature));
        Ok(sts::query_string(&params))
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let uri = format!("{}?{}", self.endpoint, self.signed_query()?);
        let request = http::Request::post(uri)
            .header(
                http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .header(http::header::ACCEPT, "application/json")
            .body(Bytes::new())
            .map_err(|e| CredentialsError::invalid_configuration(NAME, e.to_string()))?;
        let response = self
            .http
            .send(request, self.timeout)
            .await
            .map_err(|e| sts::transport_error(NAME, "KMS", e))?;
        let status = response.status();
        let answer: Option<SecretAnswer> = serde_json::from_slice(response.body()).ok();
        if !status.is_success() {
            let (code, message, request_id) = answer
                .map(|a| (a.code, a.message, a.request_id))
                .unwrap_or_default();
            return Err(CredentialsError::provider_error(
                NAME,
                format!(
                    "KMS GetSecretValue answered HTTP {}: {} {} (RequestId {})",
                    status.as_u16(),
                    code.as_deref().unwrap_or("(no code)"),
                    message.as_deref().unwrap_or(""),
                    request_id.as_deref().unwrap_or("-"),
                ),
            ));
        }
        let data = answer.and_then(|a| a.secret_data).ok_or_else(|| {
            CredentialsError::provider_error(NAME, "the KMS answer has no SecretData")
        })?;
        let data = Zeroizing::new(data);
        let secret: SecretData = serde_json::from_str(&data).map_err(|_| {
            CredentialsError::provider_error(
                NAME,
                "the secret's SecretData is not {\"AccessKeyId\",\"AccessKeySecret\"} JSON",
            )
        })?;
        let expiration = self.clock.now() + self.refresh_interval;
        let credentials = sts::build_credentials(
            NAME,
            secret.access_key_id,
            secret.access_key_secret,
            None,
            None,
            false,
        )?;
        Credentials::builder()
            .access_key_id(credentials.access_key_id())
            .access_key_secret(credentials.expose_access_key_secret())
            .expiration(expiration)
            .provider_name(NAME)
            .build()
    }
}

impl ProvideCredentials for FetchSecret {
    fn provide_credentials(
        &self,
    ) -> impl Future<Output = Result<Credentials, CredentialsError>> + Send {
        self.fetch()
    }
}
