//! Bucket versioning (`?versioning`) and ListObjectVersions (`GET /bucket?versions`), OSS API
//! reference "PutBucketVersioning", "GetBucketVersioning", "ListObjectVersions".

use std::time::SystemTime;

use http::Method;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::operation::bucket_config::{
    BucketConfig, EmptyOutput, GetBucketConfig, PutBucketConfig,
};
use crate::paginator::{Next, PagedListing, Paginator, Token, paginate};
use crate::request::OperationRequest;
use crate::response::parse_iso8601;
use crate::types::RawResponse;
use crate::xml;

/// A bucket's versioning state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum VersioningStatus {
    /// Never enabled.
    Unversioned,
    /// New writes get version ids.
    Enabled,
    /// Versioning was enabled, then suspended.
    Suspended,
}

/// The `<VersioningConfiguration>` document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct VersioningConfiguration {
    /// `Enabled` or `Suspended`; absent while never enabled.
    #[serde(rename = "Status", skip_serializing_if = "Option::is_none")]
    status: Option<String>,
}

impl BucketConfig for VersioningConfiguration {
    const SUBRESOURCE: &'static str = "versioning";
    const ROOT: &'static str = "VersioningConfiguration";
}

/// The answer of GetBucketVersioning.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct GetBucketVersioningOutput {
    /// The bucket's versioning state (`Unversioned` when it was never enabled).
    pub status: VersioningStatus,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's status and headers.
    pub raw: RawResponse,
}

impl Client {
    /// PutBucketVersioning: `Enabled` or `Suspended`.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] for `Unversioned` (a bucket cannot go back);
    /// service errors.
    pub async fn put_bucket_versioning(
        &self,
        bucket: &str,
        status: VersioningStatus,
    ) -> Result<EmptyOutput, Error> {
        let status = match status {
            VersioningStatus::Enabled => "Enabled",
            VersioningStatus::Suspended => "Suspended",
            VersioningStatus::Unversioned => {
                return Err(Error::invalid_argument(
                    "versioning can only be Enabled or Suspended",
                ));
            }
        };
        let input = PutBucketConfig::<VersioningConfiguration>::default()
            .bucket(bucket)
            .configuration(VersioningConfiguration {
                status: Some(status.to_owned()),
            });
        self.execute(input).await
    }

    /// GetBucketVersioning.
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`.
    pub async fn get_bucket_versioning(
        &self,
        bucket: &str,
    ) -> Result<GetBucketVersioningOutput, Error> {
        let input = GetBucketConfig::<VersioningConfiguration>::default().bucket(bucket);
        let read = self.execute(input).await?;
        let status = match read.configuration.status.as_deref().map(str::trim) {
            Some("Enabled") => VersioningStatus::Enabled,
            Some("Suspended") => VersioningStatus::Suspended,
            _ => VersioningStatus::Unversioned,
        };
        Ok(GetBucketVersioningOutput {
            status,
            request_id: read.request_id,
            raw: read.raw,
        })
    }

    /// ListObjectVersions: every version and delete marker.
    pub fn list_object_versions(&self) -> ListObjectVersionsRequest {
        ListObjectVersionsRequest {
            client: self.clone(),
            bucket: None,
            prefix: None,
            delimiter: None,
            key_marker: None,
            version_id_marker: None,
            max_keys: None,
            request_payer: false,
        }
    }
}

/// A ListObjectVersions request; `encoding-type=url` is always sent and decoded.
#[derive(Debug, Clone)]
pub struct ListObjectVersionsRequest {
    client: Client,
    bucket: Option<String>,
    prefix: Option<String>,
    delimiter: Option<String>,
    key_marker: Option<String>,
    version_id_marker: Option<String>,
    max_keys: Option<u32>,
    request_payer: bool,
}

/// One version of an object, or a delete marker.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ObjectVersion {
    /// The key (decoded).
    pub key: String,
    /// The version id.
    pub version_id: String,
    /// Whether this is the current version.
    pub is_latest: bool,
    /// Whether this is a delete marker (no content).
    pub is_delete_marker: bool,
    /// Modification time.
    pub last_modified: Option<SystemTime>,
    /// The ETag (versions only).
    pub etag: String,
    /// Size in bytes (versions only).
    pub size: u64,
}

/// One page of ListObjectVersions.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ListObjectVersionsOutput {
    /// Versions and delete markers, by key, newest first within a key.
    pub versions: Vec<ObjectVersion>,
    /// Key prefixes up to the delimiter.
    pub common_prefixes: Vec<String>,
    /// Whether more follow.
    pub is_truncated: bool,
    /// The key marker of the next page.
    pub next_key_marker: Option<String>,
    /// The version id marker of the next page.
    pub next_version_id_marker: Option<String>,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's HTTP status and every header, as received.
    pub raw: RawResponse,
}

impl ListObjectVersionsRequest {
    crate::setters::setters! {
        /// The bucket (required).
        bucket: String;
        /// Only keys starting with `prefix`.
        prefix: String;
        /// Groups keys into common prefixes.
        delimiter: String;
        /// Starts after this key.
        key_marker: String;
        /// Starts after this version of the key marker.
        version_id_marker: String;
    }

    /// Page size (1..=1000).
    pub fn max_keys(mut self, max: u32) -> Self {
        self.max_keys = Some(max);
        self
    }

    /// Every page, following `NextKeyMarker` and `NextVersionIdMarker` exactly; a truncated
    /// page without a next key marker ends the stream with
    /// [`crate::ErrorKind::InvalidResponse`] after that page.
    pub fn into_paginator(self) -> Paginator<ListObjectVersionsOutput> {
        paginate(self)
    }

    /// `x-oss-request-payer: requester`, for a bucket with pay-by-requester enabled (OSS
    /// refuses requests of others without it).
    pub fn request_payer(mut self, requester_pays: bool) -> Self {
        self.request_payer = requester_pays;
        self
    }

    /// Sends the request for one page.
    ///
    /// # Errors
    /// Input errors; service errors.
    pub async fn send(self) -> Result<ListObjectVersionsOutput, Error> {
        self.client.clone().execute(self).await
    }
}

impl Operation for ListObjectVersionsRequest {
    type Output = ListObjectVersionsOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let mut op = OperationRequest::bucket(Method::GET, self.bucket)?;
        op.request_payer(self.request_payer);
        op.query.push_flag("versions").push("encoding-type", "url");
        op.push_optional([
            ("prefix", self.prefix),
            ("delimiter", self.delimiter),
            ("key-marker", self.key_marker),
            ("version-id-marker", self.version_id_marker),
        ]);
        op.push_page_size("max-keys", self.max_keys)?;
        Ok(op)
    }

    fn output(answer: Answer) -> Result<ListObjectVersionsOutput, Error> {
        let raw = answer.raw();
        let root = xml::parse(&answer.body)?;
        let decode = root.url_decoder();
        let versions = root
            .children
            .iter()
            .filter(|c| c.name == "Version" || c.name == "DeleteMarker")
            .map(|v| {
                Ok(ObjectVersion {
                    key: decode(v.child_text("Key").unwrap_or_default()),
                    version_id: v.text_or_empty("VersionId"),
                    is_latest: v.child_bool("IsLatest"),
                    is_delete_marker: v.name == "DeleteMarker",
                    last_modified: v.child_text("LastModified").and_then(parse_iso8601),
                    etag: v.text_or_empty("ETag"),
                    size: v.child_parse("Size")?.unwrap_or(0),
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let common_prefixes = root
            .children_named("CommonPrefixes")
            .filter_map(|p| p.child_text("Prefix"))
            .map(&decode)
            .collect();
        Ok(ListObjectVersionsOutput {
            versions,
            common_prefixes,
            is_truncated: root.child_bool("IsTruncated"),
            next_key_marker: root
                .child_text("NextKeyMarker")
                .filter(|m| !m.is_empty())
                .map(&decode),
            next_version_id_marker: root
                .child_text("NextVersionIdMarker")
                .filter(|m| !m.is_empty())
                .map(str::to_owned),
            request_id: raw.request_id(),
            raw,
        })
    }
}

impl PagedListing for ListObjectVersionsRequest {
    type Page = ListObjectVersionsOutput;
    const OPERATION: &'static str = "ListObjectVersions";

    fn start(&self) -> Option<Token> {
        let key = self.key_marker.clone()?;
        Some((key, self.version_id_marker.clone()))
    }

    fn continue_from(&mut self, (key, version_id): Token) {
        self.key_marker = Some(key);
        self.version_id_marker = version_id;
    }

    fn next(page: &Self::Page) -> Next {
        Next::after(
            page.is_truncated,
            "NextKeyMarker",
            page.next_key_marker.as_deref(),
            page.next_version_id_marker.as_deref(),
        )
    }

    fn fetch_page(self) -> impl Future<Output = Result<Self::Page, Error>> + Send {
        self.send()
    }
}
