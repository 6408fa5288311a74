//! Real-time access of Archive objects (`?bucketArchiveDirectRead`), OSS API reference
//! "PutBucketArchiveDirectRead", "GetBucketArchiveDirectRead".

use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Error;
use crate::operation::bucket_config::{
    BucketConfig, ConfigOutput, EmptyOutput, GetBucketConfig, PutBucketConfig,
};

/// Whether Archive objects are readable directly (`<ArchiveDirectReadConfiguration>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ArchiveDirectReadConfiguration {
    /// Whether Archive objects can be read without restoring them first.
    #[serde(rename = "Enabled")]
    pub enabled: bool,
}

impl ArchiveDirectReadConfiguration {
    /// A document with this value.
    pub fn new(enabled: impl Into<bool>) -> Self {
        Self {
            enabled: enabled.into(),
        }
    }
}

impl BucketConfig for ArchiveDirectReadConfiguration {
    const SUBRESOURCE: &'static str = "bucketArchiveDirectRead";
    const ROOT: &'static str = "ArchiveDirectReadConfiguration";
}

/// PutBucketArchiveDirectRead input.
pub type PutBucketArchiveDirectRead = PutBucketConfig<ArchiveDirectReadConfiguration>;
/// GetBucketArchiveDirectRead input.
pub type GetBucketArchiveDirectRead = GetBucketConfig<ArchiveDirectReadConfiguration>;

impl Client {
    /// PutBucketArchiveDirectRead (`PUT /bucket?bucketArchiveDirectRead`).
    ///
    /// # Errors
    /// Input errors; service errors.
    pub async fn put_bucket_archive_direct_read(
        &self,
        input: PutBucketArchiveDirectRead,
    ) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }

    /// GetBucketArchiveDirectRead (`GET /bucket?bucketArchiveDirectRead`).
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`.
    pub async fn get_bucket_archive_direct_read(
        &self,
        input: GetBucketArchiveDirectRead,
    ) -> Result<ConfigOutput<ArchiveDirectReadConfiguration>, Error> {
        self.execute(input).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::test_support::assert_round_trip;

    #[test]
    fn put_and_get_use_the_documented_xml() {
        assert_round_trip(
            ArchiveDirectReadConfiguration::new(true),
            "<ArchiveDirectReadConfiguration><Enabled>true</Enabled></ArchiveDirectReadConfiguration>",
        );
    }
}
