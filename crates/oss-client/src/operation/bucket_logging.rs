//! Access logging (`?logging`), OSS API reference "PutBucketLogging", "GetBucketLogging",
//! "DeleteBucketLogging". OSS writes the logs as objects into the target bucket.

use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Error;
use crate::operation::bucket_config::{
    BucketConfig, ConfigOutput, DeleteBucketConfig, EmptyOutput, GetBucketConfig, PutBucketConfig,
};

/// A bucket's logging state (`<BucketLoggingStatus>`); no `logging_enabled` means off.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct BucketLoggingStatus {
    /// Where logs go, when logging is on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logging_enabled: Option<LoggingEnabled>,
}

/// Where access logs are written (`<LoggingEnabled>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct LoggingEnabled {
    /// The bucket receiving the log objects (same region and owner).
    pub target_bucket: String,
    /// The key prefix of the log objects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_prefix: Option<String>,
    /// The RAM role OSS assumes to write the logs (default `AliyunOSSLoggingDefaultRole`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logging_role: Option<String>,
}

impl BucketLoggingStatus {
    /// Logging into `target_bucket` under `target_prefix`.
    pub fn enabled(target_bucket: impl Into<String>, target_prefix: impl Into<String>) -> Self {
        Self {
            logging_enabled: Some(LoggingEnabled {
                target_bucket: target_bucket.into(),
                target_prefix: Some(target_prefix.into()),
                logging_role: None,
            }),
        }
    }
}

impl BucketConfig for BucketLoggingStatus {
    const SUBRESOURCE: &'static str = "logging";
    const ROOT: &'static str = "BucketLoggingStatus";
}

/// PutBucketLogging input.
pub type PutBucketLogging = PutBucketConfig<BucketLoggingStatus>;
/// GetBucketLogging input.
pub type GetBucketLogging = GetBucketConfig<BucketLoggingStatus>;
/// DeleteBucketLogging input.
pub type DeleteBucketLogging = DeleteBucketConfig<BucketLoggingStatus>;

impl Client {
    /// PutBucketLogging (`PUT /bucket?logging`).
    ///
    /// # Errors
    /// Input errors; service errors (`InvalidTargetBucketForLogging`, `NoSuchBucket`).
    pub async fn put_bucket_logging(&self, input: PutBucketLogging) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }

    /// GetBucketLogging (`GET /bucket?logging`): no `logging_enabled` when off.
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`.
    pub async fn get_bucket_logging(
        &self,
        input: GetBucketLogging,
    ) -> Result<ConfigOutput<BucketLoggingStatus>, Error> {
        self.execute(input).await
    }

    /// DeleteBucketLogging (`DELETE /bucket?logging`): turns logging off.
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`.
    pub async fn delete_bucket_logging(
        &self,
        input: DeleteBucketLogging,
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
        let op = PutBucketLogging::default()
            .bucket("examplebucket")
            .configuration(BucketLoggingStatus::enabled("logs", "MyLog-"))
            .request()
            .unwrap();
        assert_eq!(
            body_text(&op),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><BucketLoggingStatus><LoggingEnabled>\
             <TargetBucket>logs</TargetBucket><TargetPrefix>MyLog-</TargetPrefix>\
             </LoggingEnabled></BucketLoggingStatus>"
        );
        let off = GetBucketLogging::output(answer("<BucketLoggingStatus/>")).unwrap();
        assert_eq!(off.configuration.logging_enabled, None);
    }
}
