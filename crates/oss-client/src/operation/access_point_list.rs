//! Listing access points (`?accessPoint` without a name), OSS API reference
//! "ListAccessPoints": the account's (`GET /?accessPoint`) or one bucket's, a page at a time
//! or every page through a [`Paginator`].

use http::Method;
use serde::Deserialize;

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::operation::access_point::AccessPointVpcConfiguration;
use crate::operation::bucket_config::bucket_request;
use crate::paginator::{Next, PagedListing, Paginator, Token, paginate};
use crate::request::OperationRequest;
use crate::setters::setters;
use crate::types::RawResponse;
use crate::xml_model::from_xml;

/// ListAccessPoints input: the account's access points (`GET /?accessPoint`) or, with a
/// bucket, that bucket's (`GET /bucket?accessPoint`).
#[derive(Debug, Clone, Default)]
pub struct ListAccessPoints {
    bucket: Option<String>,
    max_keys: Option<u32>,
    continuation_token: Option<String>,
}

impl ListAccessPoints {
    setters! {
        /// Only this bucket's access points.
        bucket: String;
        /// At most this many (1..=1000 for the account, 1..=100 for a bucket).
        max_keys: u32;
        /// Continue where a page's `next_continuation_token` said.
        continuation_token: String;
    }
}

/// One access point of a listing (`<AccessPoint>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct AccessPointSummary {
    /// The bucket it serves.
    #[serde(rename = "Bucket", default)]
    pub bucket: String,
    /// The name.
    #[serde(rename = "AccessPointName", default)]
    pub access_point_name: String,
    /// The alias.
    #[serde(rename = "Alias", default)]
    pub alias: String,
    /// `vpc` or `internet`.
    #[serde(rename = "NetworkOrigin", default)]
    pub network_origin: String,
    /// The VPC, for `vpc`.
    #[serde(rename = "VpcConfiguration", default)]
    pub vpc_configuration: Option<AccessPointVpcConfiguration>,
    /// `enable`, `disable`, `creating` or `deleting`.
    #[serde(rename = "Status", default)]
    pub status: String,
}

/// The `<AccessPoints>` container.
#[derive(Debug, Default, Deserialize)]
struct AccessPointList {
    #[serde(rename = "AccessPoint", default)]
    access_points: Vec<AccessPointSummary>,
}

#[derive(Deserialize)]
struct ListAccessPointsResult {
    #[serde(rename = "IsTruncated", default)]
    is_truncated: bool,
    #[serde(rename = "NextContinuationToken", default)]
    next_continuation_token: Option<String>,
    #[serde(rename = "AccountId", default)]
    account_id: String,
    #[serde(rename = "MaxKeys", default)]
    max_keys: u32,
    #[serde(rename = "AccessPoints", default)]
    access_points: AccessPointList,
}

/// One page of ListAccessPoints.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ListAccessPointsOutput {
    /// The access points of this page, by name.
    pub access_points: Vec<AccessPointSummary>,
    /// Whether more follow.
    pub is_truncated: bool,
    /// Where the next page starts (a `continuation_token`), when truncated.
    pub next_continuation_token: Option<String>,
    /// The account id that owns them.
    pub account_id: String,
    /// The page size OSS applied.
    pub max_keys: u32,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's status and headers.
    pub raw: RawResponse,
}

impl Operation for ListAccessPoints {
    type Output = ListAccessPointsOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let (mut op, most) = match self.bucket {
            Some(bucket) => (
                bucket_request(Method::GET, Some(bucket), "accessPoint")?,
                100,
            ),
            None => {
                let mut op = OperationRequest::new(Method::GET, None, None);
                op.query.push_flag("accessPoint");
                (op, 1000)
            }
        };
        if let Some(max) = self.max_keys {
            if !(1..=most).contains(&max) {
                return Err(Error::invalid_argument(format!(
                    "max_keys must be 1..={most} here, not {max}"
                )));
            }
            op.query.push("max-keys", max.to_string());
        }
        op.push_optional([("continuation-token", self.continuation_token)]);
        Ok(op)
    }

    fn output(answer: Answer) -> Result<ListAccessPointsOutput, Error> {
        let result: ListAccessPointsResult = from_xml(&answer.body)?;
        Ok(ListAccessPointsOutput {
            access_points: result.access_points.access_points,
            is_truncated: result.is_truncated,
            next_continuation_token: result.next_continuation_token.filter(|t| !t.is_empty()),
            account_id: result.account_id,
            max_keys: result.max_keys,
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
}

/// ListAccessPoints with the client that sends it, for the paginator.
#[derive(Debug, Clone)]
struct AccessPointListing {
    client: Client,
    input: ListAccessPoints,
}

impl PagedListing for AccessPointListing {
    type Page = ListAccessPointsOutput;
    const OPERATION: &'static str = "ListAccessPoints";

    fn start(&self) -> Option<Token> {
        self.input
            .continuation_token
            .clone()
            .map(|token| (token, None))
    }

    fn continue_from(&mut self, token: Token) {
        self.input.continuation_token = Some(token.0);
    }

    fn next(page: &ListAccessPointsOutput) -> Next {
        Next::after(
            page.is_truncated,
            "NextContinuationToken",
            page.next_continuation_token.as_deref(),
            None,
        )
    }

    async fn fetch_page(self) -> Result<ListAccessPointsOutput, Error> {
        self.client.execute(self.input).await
    }
}

impl Client {
    /// ListAccessPoints: one page of the account's access points (`GET /?accessPoint`) or
    /// of one bucket's (`GET /bucket?accessPoint`).
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] for `max_keys` out of range or an invalid
    /// bucket name; service errors.
    pub async fn list_access_points(
        &self,
        input: ListAccessPoints,
    ) -> Result<ListAccessPointsOutput, Error> {
        self.execute(input).await
    }

    /// Every page of ListAccessPoints, each continuing from the `NextContinuationToken` of
    /// the one before; the stream ends with [`crate::ErrorKind::InvalidResponse`] after a
    /// truncated page without a token or when OSS repeats one.
    pub fn list_access_points_paginator(
        &self,
        input: ListAccessPoints,
    ) -> Paginator<ListAccessPointsOutput> {
        paginate(AccessPointListing {
            client: self.clone(),
            input,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::test_support::answer;

    #[test]
    fn refuses_a_page_size_out_of_range() {
        let list = ListAccessPoints::default()
            .bucket("examplebucket")
            .max_keys(101u32);
        assert!(list.request().is_err());
        assert!(
            ListAccessPoints::default()
                .max_keys(1000u32)
                .request()
                .is_ok()
        );
        assert!(
            ListAccessPoints::default()
                .max_keys(1001u32)
                .request()
                .is_err()
        );
    }

    #[test]
    fn lists_the_account_or_one_bucket() {
        let op = ListAccessPoints::default()
            .max_keys(10u32)
            .continuation_token("ap-02")
            .request()
            .unwrap();
        assert_eq!(op.bucket, None);
        assert_eq!(
            op.query.to_query_string(),
            "accessPoint&max-keys=10&continuation-token=ap-02"
        );
        let op = ListAccessPoints::default()
            .bucket("examplebucket")
            .request()
            .unwrap();
        assert_eq!(op.bucket.as_deref(), Some("examplebucket"));
        let page = ListAccessPoints::output(answer(
            "<ListAccessPointsResult><IsTruncated>true</IsTruncated><NextContinuationToken>abc</NextContinuationToken><AccountId>111933544165****</AccountId><MaxKeys>1</MaxKeys><AccessPoints><AccessPoint><Bucket>oss-example</Bucket><AccessPointName>ap-01</AccessPointName><Alias>ap-01-ossalias</Alias><NetworkOrigin>internet</NetworkOrigin><Status>enable</Status></AccessPoint></AccessPoints></ListAccessPointsResult>",
        ))
        .unwrap();
        assert!(page.is_truncated);
        assert_eq!(page.next_continuation_token.as_deref(), Some("abc"));
        assert_eq!(page.access_points.len(), 1);
        assert_eq!(page.access_points[0].access_point_name, "ap-01");
        assert_eq!(page.access_points[0].network_origin, "internet");
        assert_eq!(page.max_keys, 1);
    }
}
