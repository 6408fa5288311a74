//! Bucket CORS rules (`?cors`), OSS API reference "PutBucketCors", "GetBucketCors",
//! "DeleteBucketCors".

use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Error;
use crate::operation::bucket_config::{
    BucketConfig, ConfigOutput, DeleteBucketConfig, EmptyOutput, GetBucketConfig, PutBucketConfig,
};

/// The most CORS rules a bucket may have.
pub const MAX_CORS_RULES: usize = 10;

/// A bucket's CORS rules (`<CORSConfiguration>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CorsConfiguration {
    /// The rules (1 to 10), matched in order.
    #[serde(rename = "CORSRule", default)]
    pub rules: Vec<CorsRule>,
    /// Whether answers carry `Vary: Origin` (`ResponseVary`; OSS default false).
    #[serde(rename = "ResponseVary", skip_serializing_if = "Option::is_none")]
    pub response_vary: Option<bool>,
}

impl CorsConfiguration {
    /// A configuration of these rules.
    pub fn new(rules: impl IntoIterator<Item = CorsRule>) -> Self {
        Self {
            rules: rules.into_iter().collect(),
            response_vary: None,
        }
    }
}

/// One CORS rule (`<CORSRule>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CorsRule {
    /// Origins allowed (`AllowedOrigin`, at most one `*` wildcard each).
    #[serde(rename = "AllowedOrigin", default)]
    pub allowed_origins: Vec<String>,
    /// Methods allowed (`AllowedMethod`: GET, PUT, DELETE, POST, HEAD).
    #[serde(rename = "AllowedMethod", default)]
    pub allowed_methods: Vec<String>,
    /// Request headers allowed in a preflight (`AllowedHeader`).
    #[serde(rename = "AllowedHeader", default)]
    pub allowed_headers: Vec<String>,
    /// Response headers exposed to scripts (`ExposeHeader`, no wildcard).
    #[serde(rename = "ExposeHeader", default)]
    pub expose_headers: Vec<String>,
    /// How long a browser may cache the preflight answer, in seconds (`MaxAgeSeconds`).
    #[serde(rename = "MaxAgeSeconds", skip_serializing_if = "Option::is_none")]
    pub max_age_seconds: Option<u32>,
}

impl CorsRule {
    /// A rule allowing `methods` from `origins`.
    pub fn new<S: Into<String>>(
        origins: impl IntoIterator<Item = S>,
        methods: impl IntoIterator<Item = S>,
    ) -> Self {
        Self {
            allowed_origins: origins.into_iter().map(Into::into).collect(),
            allowed_methods: methods.into_iter().map(Into::into).collect(),
            ..Self::default()
        }
    }
}

impl BucketConfig for CorsConfiguration {
    const SUBRESOURCE: &'static str = "cors";
    const ROOT: &'static str = "CORSConfiguration";

    fn validate(&self) -> Result<(), Error> {
        if self.rules.is_empty() || self.rules.len() > MAX_CORS_RULES {
            return Err(Error::invalid_argument(format!(
                "a CORS configuration needs 1 to {MAX_CORS_RULES} rules, not {}",
                self.rules.len()
            )));
        }
        if self
            .rules
            .iter()
            .any(|r| r.allowed_origins.is_empty() || r.allowed_methods.is_empty())
        {
            return Err(Error::invalid_argument(
                "every CORS rule needs an AllowedOrigin and an AllowedMethod",
            ));
        }
        Ok(())
    }
}

/// PutBucketCors input.
pub type PutBucketCors = PutBucketConfig<CorsConfiguration>;
/// GetBucketCors input.
pub type GetBucketCors = GetBucketConfig<CorsConfiguration>;
/// DeleteBucketCors input.
pub type DeleteBucketCors = DeleteBucketConfig<CorsConfiguration>;

impl Client {
    /// PutBucketCors (`PUT /bucket?cors`): replaces the bucket's CORS rules.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] without a bucket, without rules, over 10 rules
    /// or for a rule without origin or method; service errors.
    pub async fn put_bucket_cors(&self, input: PutBucketCors) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }

    /// GetBucketCors (`GET /bucket?cors`).
    ///
    /// # Errors
    /// Input errors; `NoSuchCORSConfiguration` (404) when none is set; `NoSuchBucket`.
    pub async fn get_bucket_cors(
        &self,
        input: GetBucketCors,
    ) -> Result<ConfigOutput<CorsConfiguration>, Error> {
        self.execute(input).await
    }

    /// DeleteBucketCors (`DELETE /bucket?cors`).
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`.
    pub async fn delete_bucket_cors(&self, input: DeleteBucketCors) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::execute::Operation as _;
    use crate::operation::test_support::{answer, body_text};

    #[test]
    fn put_writes_the_documented_xml_with_content_md5() {
        let mut rule = CorsRule::new(["*"], ["PUT", "GET"]);
        rule.allowed_headers = vec!["Authorization".into()];
        rule.max_age_seconds = Some(100);
        let input = PutBucketCors::default()
            .bucket("examplebucket")
            .configuration(CorsConfiguration::new([rule]));
        let op = input.request().unwrap();
        assert_eq!(op.method, http::Method::PUT);
        assert_eq!(op.query.to_query_string(), "cors");
        assert_eq!(
            body_text(&op),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CORSConfiguration><CORSRule>\
             <AllowedOrigin>*</AllowedOrigin><AllowedMethod>PUT</AllowedMethod>\
             <AllowedMethod>GET</AllowedMethod><AllowedHeader>Authorization</AllowedHeader>\
             <MaxAgeSeconds>100</MaxAgeSeconds></CORSRule></CORSConfiguration>"
        );
        assert!(op.headers.contains_key("content-md5"));
    }

    #[test]
    fn get_reads_the_documented_answer() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<CORSConfiguration>
    <CORSRule>
      <AllowedOrigin>*</AllowedOrigin>
      <AllowedMethod>GET</AllowedMethod>
      <AllowedHeader>*</AllowedHeader>
      <ExposeHeader>x-oss-test</ExposeHeader>
      <MaxAgeSeconds>100</MaxAgeSeconds>
    </CORSRule>
    <ResponseVary>false</ResponseVary>
</CORSConfiguration>"#;
        let out = GetBucketCors::output(answer(xml)).unwrap();
        let rule = &out.configuration.rules[0];
        assert_eq!(rule.allowed_origins, ["*"]);
        assert_eq!(rule.allowed_methods, ["GET"]);
        assert_eq!(rule.expose_headers, ["x-oss-test"]);
        assert_eq!(rule.max_age_seconds, Some(100));
        assert_eq!(out.configuration.response_vary, Some(false));
        assert_eq!(out.request_id, "534B371674E88A4D8906008B");
    }

    #[test]
    fn refuses_documents_oss_refuses_before_io() {
        let empty = PutBucketCors::default()
            .bucket("examplebucket")
            .configuration(CorsConfiguration::default());
        assert_eq!(
            empty.request().unwrap_err().kind(),
            crate::ErrorKind::InvalidArgument
        );
        let no_document = PutBucketCors::default().bucket("examplebucket");
        assert!(no_document.request().is_err());
        assert!(GetBucketCors::default().request().is_err());
    }
}
