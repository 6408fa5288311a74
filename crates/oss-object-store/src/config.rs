//! [`OssConfigKey`]: the string configuration keys of [`crate::OssObjectStoreBuilder`].

use std::str::FromStr;

use crate::error::STORE;

/// A configuration key of [`OssObjectStoreBuilder::with_config`](crate::OssObjectStoreBuilder::with_config).
///
/// Parsed case-insensitively from these names (the first is the canonical one, what
/// [`AsRef<str>`] gives); [`OssObjectStoreBuilder::from_env`](crate::OssObjectStoreBuilder::from_env)
/// reads the upper-case environment variables of the same names:
///
/// | key | also accepted |
/// | --- | --- |
/// | `oss_endpoint` | `endpoint` |
/// | `oss_region` | `region` |
/// | `oss_access_key_id` | `access_key_id`, `alibaba_cloud_access_key_id` |
/// | `oss_access_key_secret` | `access_key_secret`, `alibaba_cloud_access_key_secret` |
/// | `oss_session_token` | `session_token`, `oss_security_token`, `security_token`, `alibaba_cloud_security_token` |
/// | `oss_bucket` | `bucket`, `bucket_name` |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OssConfigKey {
    /// The endpoint, e.g. `https://oss-cn-hangzhou.aliyuncs.com` (default: the region's public
    /// endpoint).
    Endpoint,
    /// The region id, e.g. `cn-hangzhou` (required: V4 signatures are scoped to it).
    Region,
    /// The AccessKeyId of static credentials.
    AccessKeyId,
    /// The AccessKeySecret of static credentials.
    AccessKeySecret,
    /// The SecurityToken of STS credentials (with AccessKeyId and AccessKeySecret).
    SecurityToken,
    /// The bucket.
    Bucket,
}

impl AsRef<str> for OssConfigKey {
    fn as_ref(&self) -> &str {
        match self {
            Self::Endpoint => "oss_endpoint",
            Self::Region => "oss_region",
            Self::AccessKeyId => "oss_access_key_id",
            Self::AccessKeySecret => "oss_access_key_secret",
            Self::SecurityToken => "oss_session_token",
            Self::Bucket => "oss_bucket",
        }
    }
}

impl FromStr for OssConfigKey {
    type Err = crate::object_store::Error;

    /// # Errors
    /// `UnknownConfigurationKey` for a name the table above does not list.
    fn from_str(key: &str) -> Result<Self, Self::Err> {
        match key.to_ascii_lowercase().as_str() {
            "oss_endpoint" | "endpoint" => Ok(Self::Endpoint),
            "oss_region" | "region" => Ok(Self::Region),
            "oss_access_key_id" | "access_key_id" | "alibaba_cloud_access_key_id" => {
                Ok(Self::AccessKeyId)
            }
            "oss_access_key_secret" | "access_key_secret" | "alibaba_cloud_access_key_secret" => {
                Ok(Self::AccessKeySecret)
            }
            "oss_session_token"
            | "session_token"
            | "oss_security_token"
            | "security_token"
            | "alibaba_cloud_security_token" => Ok(Self::SecurityToken),
            "oss_bucket" | "bucket" | "bucket_name" => Ok(Self::Bucket),
            _ => Err(crate::object_store::Error::UnknownConfigurationKey {
                store: STORE,
                key: key.to_owned(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_users_pass_parse_case_insensitively() {
        let cases = [
            ("oss_endpoint", OssConfigKey::Endpoint),
            ("OSS_REGION", OssConfigKey::Region),
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", OssConfigKey::AccessKeyId),
            ("oss_access_key_secret", OssConfigKey::AccessKeySecret),
            ("OSS_SESSION_TOKEN", OssConfigKey::SecurityToken),
            ("alibaba_cloud_security_token", OssConfigKey::SecurityToken),
            ("oss_bucket", OssConfigKey::Bucket),
        ];
        for (name, key) in cases {
            assert_eq!(name.parse::<OssConfigKey>().unwrap(), key, "{name}");
            assert_eq!(key.as_ref().parse::<OssConfigKey>().unwrap(), key);
        }
        let err = "aws_region".parse::<OssConfigKey>().unwrap_err();
        assert!(
            matches!(&err, crate::object_store::Error::UnknownConfigurationKey { key, .. } if key == "aws_region"),
            "{err}"
        );
    }
}
