//! TLS versions a bucket accepts (`?httpsConfig`), OSS API reference
//! "PutBucketHttpsConfig", "GetBucketHttpsConfig".

use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Error;
use crate::operation::bucket_config::{
    BucketConfig, ConfigOutput, EmptyOutput, GetBucketConfig, PutBucketConfig,
};

/// A bucket's HTTPS settings (`<HttpsConfiguration>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HttpsConfiguration {
    /// The TLS versions (`<TLS>`).
    #[serde(rename = "TLS")]
    pub tls: Tls,
    /// The cipher suites (`<CipherSuite>`), when set.
    #[serde(
        rename = "CipherSuite",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cipher_suite: Option<CipherSuite>,
}

/// Which TLS cipher suites are accepted (`<CipherSuite>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CipherSuite {
    /// Whether the suites below restrict what is accepted.
    #[serde(rename = "Enable")]
    pub enable: bool,
    /// Whether only strong suites are accepted (when not naming them).
    #[serde(
        rename = "StrongCipherSuite",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub strong_cipher_suite: Option<bool>,
    /// TLS 1.2 and older suites by name (`ECDHE-ECDSA-AES128-SHA256`…).
    #[serde(rename = "CustomCipherSuite", default)]
    pub custom_cipher_suites: Vec<String>,
    /// TLS 1.3 suites by name (`TLS_AES_256_GCM_SHA384`…).
    #[serde(rename = "TLS13CustomCipherSuite", default)]
    pub tls13_custom_cipher_suites: Vec<String>,
}

/// Which TLS versions are accepted (`<TLS>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Tls {
    /// Whether only `versions` are accepted (false: every version OSS supports).
    #[serde(rename = "Enable")]
    pub enable: bool,
    /// `TLSv1.0`, `TLSv1.1`, `TLSv1.2`, `TLSv1.3` (required when `enable`).
    #[serde(rename = "TLSVersion", default)]
    pub versions: Vec<String>,
}

impl HttpsConfiguration {
    /// Accepts only these TLS versions.
    pub fn only<S: Into<String>>(versions: impl IntoIterator<Item = S>) -> Self {
        Self {
            tls: Tls {
                enable: true,
                versions: versions.into_iter().map(Into::into).collect(),
            },
            cipher_suite: None,
        }
    }
}

impl BucketConfig for HttpsConfiguration {
    const SUBRESOURCE: &'static str = "httpsConfig";
    const ROOT: &'static str = "HttpsConfiguration";

    fn validate(&self) -> Result<(), Error> {
        const KNOWN: [&str; 4] = ["TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"];
        if self.tls.enable && self.tls.versions.is_empty() {
            return Err(Error::invalid_argument(
                "an enabled TLS setting needs at least one TLSVersion",
            ));
        }
        match self
            .tls
            .versions
            .iter()
            .find(|v| !KNOWN.contains(&v.as_str()))
        {
            Some(v) => Err(Error::invalid_argument(format!(
                "TLSVersion is one of {KNOWN:?}, not {v:?}"
            ))),
            None => Ok(()),
        }
    }
}

/// PutBucketHttpsConfig input.
pub type PutBucketHttpsConfig = PutBucketConfig<HttpsConfiguration>;
/// GetBucketHttpsConfig input.
pub type GetBucketHttpsConfig = GetBucketConfig<HttpsConfiguration>;

impl Client {
    /// PutBucketHttpsConfig (`PUT /bucket?httpsConfig`).
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] for an unknown TLS version or an enabled
    /// setting without versions; service errors.
    pub async fn put_bucket_https_config(
        &self,
        input: PutBucketHttpsConfig,
    ) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }

    /// GetBucketHttpsConfig (`GET /bucket?httpsConfig`).
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`.
    pub async fn get_bucket_https_config(
        &self,
        input: GetBucketHttpsConfig,
    ) -> Result<ConfigOutput<HttpsConfiguration>, Error> {
        self.execute(input).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::execute::Operation as _;
    use crate::operation::test_support::assert_round_trip;

    #[test]
    fn put_and_get_use_the_documented_xml() {
        assert_round_trip(
            HttpsConfiguration::only(["TLSv1.2", "TLSv1.3"]),
            "<HttpsConfiguration><TLS><Enable>true</Enable><TLSVersion>TLSv1.2</TLSVersion>\
             <TLSVersion>TLSv1.3</TLSVersion></TLS></HttpsConfiguration>",
        );
    }

    #[test]
    fn cipher_suites_round_trip() {
        let mut configuration = HttpsConfiguration::only(["TLSv1.3"]);
        configuration.cipher_suite = Some(CipherSuite {
            enable: true,
            strong_cipher_suite: Some(false),
            custom_cipher_suites: vec!["ECDHE-ECDSA-AES128-SHA256".into()],
            tls13_custom_cipher_suites: vec!["TLS_AES_256_GCM_SHA384".into()],
        });
        assert_round_trip(
            configuration,
            "<HttpsConfiguration><TLS><Enable>true</Enable><TLSVersion>TLSv1.3</TLSVersion></TLS>\
             <CipherSuite><Enable>true</Enable><StrongCipherSuite>false</StrongCipherSuite>\
             <CustomCipherSuite>ECDHE-ECDSA-AES128-SHA256</CustomCipherSuite>\
             <TLS13CustomCipherSuite>TLS_AES_256_GCM_SHA384</TLS13CustomCipherSuite></CipherSuite>\
             </HttpsConfiguration>",
        );
    }

    #[test]
    fn refuses_unknown_versions() {
        let input = PutBucketHttpsConfig::default()
            .bucket("examplebucket")
            .configuration(HttpsConfiguration::only(["SSLv3"]));
        assert!(input.request().is_err());
    }
}
