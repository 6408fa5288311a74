//! The custom fields of a bucket's real-time log (`?userDefinedLogFieldsConfig`), OSS API
//! reference "PutUserDefinedLogFieldsConfig", "GetUserDefinedLogFieldsConfig",
//! "DeleteUserDefinedLogFieldsConfig": request headers and query parameters whose values
//! OSS records in the log's `user_defined_log_fields` field.

use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Error;
use crate::operation::bucket_config::{
    BucketConfig, ConfigOutput, DeleteBucketConfig, EmptyOutput, GetBucketConfig, PutBucketConfig,
};

/// The most names a set holds.
pub const MAX_LOG_FIELD_NAMES: usize = 5;
/// The longest name, in bytes.
pub const MAX_LOG_FIELD_NAME_BYTES: usize = 64;

/// Which request headers and query parameters are logged
/// (`<UserDefinedLogFieldsConfiguration>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UserDefinedLogFieldsConfiguration {
    /// The request headers (`<HeaderSet><header>`), at most 5.
    #[serde(rename = "HeaderSet", default, skip_serializing_if = "Option::is_none")]
    pub header_set: Option<HeaderSet>,
    /// The query parameters (`<ParamSet><parameter>`), at most 5.
    #[serde(rename = "ParamSet", default, skip_serializing_if = "Option::is_none")]
    pub param_set: Option<ParamSet>,
}

/// The logged request headers (`<HeaderSet>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HeaderSet {
    /// Header names, 1 to 64 bytes each.
    #[serde(rename = "header", default)]
    pub headers: Vec<String>,
}

/// The logged query parameters (`<ParamSet>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ParamSet {
    /// Parameter names, 1 to 64 bytes each.
    #[serde(rename = "parameter", default)]
    pub parameters: Vec<String>,
}

impl UserDefinedLogFieldsConfiguration {
    /// Logs these request headers and query parameters.
    pub fn new<H, P>(
        headers: impl IntoIterator<Item = H>,
        parameters: impl IntoIterator<Item = P>,
    ) -> Self
    where
        H: Into<String>,
        P: Into<String>,
    {
        let headers: Vec<String> = headers.into_iter().map(Into::into).collect();
        let parameters: Vec<String> = parameters.into_iter().map(Into::into).collect();
        Self {
            header_set: (!headers.is_empty()).then_some(HeaderSet { headers }),
            param_set: (!parameters.is_empty()).then_some(ParamSet { parameters }),
        }
    }
}

/// Checks one set's names.
fn check_names(what: &str, names: &[String]) -> Result<(), Error> {
    if names.len() > MAX_LOG_FIELD_NAMES {
        return Err(Error::invalid_argument(format!(
            "at most {MAX_LOG_FIELD_NAMES} {what} names, not {}",
            names.len()
        )));
    }
    match names
        .iter()
        .find(|n| n.is_empty() || n.len() > MAX_LOG_FIELD_NAME_BYTES)
    {
        Some(n) => Err(Error::invalid_argument(format!(
            "a {what} name has 1 to {MAX_LOG_FIELD_NAME_BYTES} bytes, not {n:?}"
        ))),
        None => Ok(()),
    }
}

impl BucketConfig for UserDefinedLogFieldsConfiguration {
    const SUBRESOURCE: &'static str = "userDefinedLogFieldsConfig";
    const ROOT: &'static str = "UserDefinedLogFieldsConfiguration";

    fn validate(&self) -> Result<(), Error> {
        let headers = self.header_set.as_ref().map_or(&[][..], |s| &s.headers[..]);
        let parameters = self
            .param_set
            .as_ref()
            .map_or(&[][..], |s| &s.parameters[..]);
        if headers.is_empty() && parameters.is_empty() {
            return Err(Error::invalid_argument(
                "the configuration names no header and no parameter",
            ));
        }
        check_names("header", headers)?;
        check_names("parameter", parameters)
    }
}

/// PutUserDefinedLogFieldsConfig input.
pub type PutUserDefinedLogFieldsConfig = PutBucketConfig<UserDefinedLogFieldsConfiguration>;
/// GetUserDefinedLogFieldsConfig input.
pub type GetUserDefinedLogFieldsConfig = GetBucketConfig<UserDefinedLogFieldsConfiguration>;
/// DeleteUserDefinedLogFieldsConfig input.
pub type DeleteUserDefinedLogFieldsConfig = DeleteBucketConfig<UserDefinedLogFieldsConfiguration>;

impl Client {
    /// PutUserDefinedLogFieldsConfig (`PUT /bucket?userDefinedLogFieldsConfig`).
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] before any I/O for a document without names,
    /// with more than 5 names in a set or a name outside 1 to 64 bytes; service errors.
    pub async fn put_user_defined_log_fields_config(
        &self,
        input: PutUserDefinedLogFieldsConfig,
    ) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }

    /// GetUserDefinedLogFieldsConfig (`GET /bucket?userDefinedLogFieldsConfig`).
    ///
    /// # Errors
    /// Input errors; 404 `NoSuchUserDefinedLogFieldsConfig` when none is set; `NoSuchBucket`.
    pub async fn get_user_defined_log_fields_config(
        &self,
        input: GetUserDefinedLogFieldsConfig,
    ) -> Result<ConfigOutput<UserDefinedLogFieldsConfiguration>, Error> {
        self.execute(input).await
    }

    /// DeleteUserDefinedLogFieldsConfig (`DELETE /bucket?userDefinedLogFieldsConfig`).
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`.
    pub async fn delete_user_defined_log_fields_config(
        &self,
        input: DeleteUserDefinedLogFieldsConfig,
    ) -> Result<EmptyOutput, Error> {
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
            UserDefinedLogFieldsConfiguration::new(["header1", "header2"], ["param1"]),
            "<UserDefinedLogFieldsConfiguration><HeaderSet><header>header1</header>\
             <header>header2</header></HeaderSet><ParamSet><parameter>param1</parameter>\
             </ParamSet></UserDefinedLogFieldsConfiguration>",
        );
    }

    #[test]
    fn refuses_what_oss_refuses() {
        let none: [&str; 0] = [];
        for configuration in [
            UserDefinedLogFieldsConfiguration::new(none, none),
            UserDefinedLogFieldsConfiguration::new(["a", "b", "c", "d", "e", "f"], none),
            UserDefinedLogFieldsConfiguration::new(none, [""]),
            UserDefinedLogFieldsConfiguration::new(["h".repeat(65)], none),
        ] {
            assert!(configuration.validate().is_err(), "{configuration:?}");
        }
    }
}
