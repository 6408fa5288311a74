//! Access tracking (`?accessmonitor`), OSS API reference "PutBucketAccessMonitor",
//! "GetBucketAccessMonitor".

use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Error;
use crate::operation::bucket_config::{
    BucketConfig, ConfigOutput, EmptyOutput, GetBucketConfig, PutBucketConfig,
};

/// Whether access tracking is on (`<AccessMonitorConfiguration>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AccessMonitorConfiguration {
    /// `Enabled` or `Disabled`: whether OSS records last access times (needed by
    /// lifecycle rules on access time).
    #[serde(rename = "Status")]
    pub status: String,
}

impl AccessMonitorConfiguration {
    /// A document with this value.
    pub fn new(status: impl Into<String>) -> Self {
        Self {
            status: status.into(),
        }
    }
}

impl BucketConfig for AccessMonitorConfiguration {
    const SUBRESOURCE: &'static str = "accessmonitor";
    const ROOT: &'static str = "AccessMonitorConfiguration";

    fn validate(&self) -> Result<(), Error> {
        if matches!(self.status.as_str(), "Enabled" | "Disabled") {
            Ok(())
        } else {
            Err(Error::invalid_argument(format!(
                "Status is Enabled or Disabled, not {:?}",
                self.status
            )))
        }
    }
}

/// PutBucketAccessMonitor input.
pub type PutBucketAccessMonitor = PutBucketConfig<AccessMonitorConfiguration>;
/// GetBucketAccessMonitor input.
pub type GetBucketAccessMonitor = GetBucketConfig<AccessMonitorConfiguration>;

impl Client {
    /// PutBucketAccessMonitor (`PUT /bucket?accessmonitor`).
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] for a value OSS refuses; service errors.
    pub async fn put_bucket_access_monitor(
        &self,
        input: PutBucketAccessMonitor,
    ) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }

    /// GetBucketAccessMonitor (`GET /bucket?accessmonitor`).
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`.
    pub async fn get_bucket_access_monitor(
        &self,
        input: GetBucketAccessMonitor,
    ) -> Result<ConfigOutput<AccessMonitorConfiguration>, Error> {
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
            AccessMonitorConfiguration::new("Enabled".to_owned()),
            "<AccessMonitorConfiguration><Status>Enabled</Status></AccessMonitorConfiguration>",
        );
    }

    #[test]
    fn refuses_a_value_oss_refuses() {
        let input = PutBucketAccessMonitor::default()
            .bucket("examplebucket")
            .configuration(AccessMonitorConfiguration::new("Nobody"));
        assert!(crate::execute::Operation::request(input).is_err());
    }
}
