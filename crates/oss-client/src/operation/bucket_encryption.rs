//! Bucket default encryption (`?encryption`), OSS API reference "PutBucketEncryption",
//! "GetBucketEncryption", "DeleteBucketEncryption": new objects without their own
//! `x-oss-server-side-encryption` header are encrypted this way.

use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Error;
use crate::operation::bucket_config::{
    BucketConfig, ConfigOutput, DeleteBucketConfig, EmptyOutput, GetBucketConfig, PutBucketConfig,
};

/// A bucket's default encryption (`<ServerSideEncryptionRule>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct ServerSideEncryptionRule {
    /// The default applied to new objects.
    pub apply_server_side_encryption_by_default: ApplyServerSideEncryptionByDefault,
}

/// The default encryption (`<ApplyServerSideEncryptionByDefault>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApplyServerSideEncryptionByDefault {
    /// `AES256`, `KMS` or `SM4`.
    #[serde(rename = "SSEAlgorithm")]
    pub sse_algorithm: String,
    /// With `KMS`: the customer master key id (absent: the OSS-managed key).
    #[serde(rename = "KMSMasterKeyID", skip_serializing_if = "Option::is_none")]
    pub kms_master_key_id: Option<String>,
    /// With `KMS`: the data algorithm, `SM4` (absent: AES-256).
    #[serde(rename = "KMSDataEncryption", skip_serializing_if = "Option::is_none")]
    pub kms_data_encryption: Option<String>,
}

impl ServerSideEncryptionRule {
    /// Encrypts new objects with `algorithm` (`AES256`, `KMS` or `SM4`).
    pub fn new(algorithm: impl Into<String>) -> Self {
        Self {
            apply_server_side_encryption_by_default: ApplyServerSideEncryptionByDefault {
                sse_algorithm: algorithm.into(),
                kms_master_key_id: None,
                kms_data_encryption: None,
            },
        }
    }
}

impl BucketConfig for ServerSideEncryptionRule {
    const SUBRESOURCE: &'static str = "encryption";
    const ROOT: &'static str = "ServerSideEncryptionRule";

    fn validate(&self) -> Result<(), Error> {
        let rule = &self.apply_server_side_encryption_by_default;
        match rule.sse_algorithm.as_str() {
            "AES256" | "SM4" if rule.kms_master_key_id.is_some() => Err(Error::invalid_argument(
                "KMSMasterKeyID is only allowed with SSEAlgorithm KMS",
            )),
            "AES256" | "SM4" | "KMS" => Ok(()),
            other => Err(Error::invalid_argument(format!(
                "SSEAlgorithm is AES256, KMS or SM4, not {other:?}"
            ))),
        }
    }
}

/// PutBucketEncryption input.
pub type PutBucketEncryption = PutBucketConfig<ServerSideEncryptionRule>;
/// GetBucketEncryption input.
pub type GetBucketEncryption = GetBucketConfig<ServerSideEncryptionRule>;
/// DeleteBucketEncryption input.
pub type DeleteBucketEncryption = DeleteBucketConfig<ServerSideEncryptionRule>;

impl Client {
    /// PutBucketEncryption (`PUT /bucket?encryption`).
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] for an unknown algorithm or a key id without
    /// `KMS`; service errors.
    pub async fn put_bucket_encryption(
        &self,
        input: PutBucketEncryption,
    ) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }

    /// GetBucketEncryption (`GET /bucket?encryption`).
    ///
    /// # Errors
    /// Input errors; `NoSuchServerSideEncryptionRule` (404) when none is set; `NoSuchBucket`.
    pub async fn get_bucket_encryption(
        &self,
        input: GetBucketEncryption,
    ) -> Result<ConfigOutput<ServerSideEncryptionRule>, Error> {
        self.execute(input).await
    }

    /// DeleteBucketEncryption (`DELETE /bucket?encryption`).
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`.
    pub async fn delete_bucket_encryption(
        &self,
        input: DeleteBucketEncryption,
    ) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::execute::Operation as _;
    use crate::operation::test_support::{answer, body_text};

    #[test]
    fn put_and_get_use_the_documented_xml() {
        let op = PutBucketEncryption::default()
            .bucket("examplebucket")
            .configuration(ServerSideEncryptionRule::new("AES256"))
            .request()
            .unwrap();
        assert_eq!(
            body_text(&op),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ServerSideEncryptionRule>\
             <ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>\
             </ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>"
        );
        let xml = "<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault>\
                   <SSEAlgorithm>KMS</SSEAlgorithm><KMSMasterKeyID>9468da86-3509</KMSMasterKeyID>\
                   </ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>";
        let got = GetBucketEncryption::output(answer(xml))
            .unwrap()
            .configuration;
        let rule = got.apply_server_side_encryption_by_default;
        assert_eq!(rule.sse_algorithm, "KMS");
        assert_eq!(rule.kms_master_key_id.as_deref(), Some("9468da86-3509"));
    }

    #[test]
    fn refuses_a_key_id_without_kms() {
        let mut rule = ServerSideEncryptionRule::new("AES256");
        rule.apply_server_side_encryption_by_default
            .kms_master_key_id = Some("k".into());
        let input = PutBucketEncryption::default()
            .bucket("examplebucket")
            .configuration(rule);
        assert!(input.request().is_err());
        let unknown = PutBucketEncryption::default()
            .bucket("examplebucket")
            .configuration(ServerSideEncryptionRule::new("DES"));
        assert!(unknown.request().is_err());
    }
}
