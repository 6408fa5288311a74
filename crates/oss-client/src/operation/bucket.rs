//! Bucket operations: PutBucket, DeleteBucket, ListBuckets (OSS API reference, "Buckets").

use std::future::Future;

use http::{HeaderValue, Method};

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::paginator::{Next, PagedListing, Paginator, Token, paginate};
use crate::request::OperationRequest;
use crate::response::parse_iso8601;
use crate::types::{BucketSummary, Owner, RawResponse};
use crate::{validate, xml};

impl Client {
    /// PutBucket (`PUT /`): creates a bucket.
    pub fn put_bucket(&self) -> PutBucketRequest {
        PutBucketRequest {
            client: self.clone(),
            bucket: None,
            acl: None,
            storage_class: None,
        }
    }

    /// DeleteBucket (`DELETE /`): deletes an empty bucket.
    pub fn delete_bucket(&self) -> DeleteBucketRequest {
        DeleteBucketRequest {
            client: self.clone(),
            bucket: None,
        }
    }

    /// ListBuckets (`GET /` on the service): the account's buckets.
    pub fn list_buckets(&self) -> ListBucketsRequest {
        ListBucketsRequest {
            client: self.clone(),
            prefix: None,
            marker: None,
            max_keys: None,
        }
    }
}

/// The answer of a bucket operation with no body.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct BucketOutput {
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's HTTP status and every header, as received.
    pub raw: RawResponse,
}

/// A PutBucket request.
#[derive(Debug)]
pub struct PutBucketRequest {
    client: Client,
    bucket: Option<String>,
    acl: Option<String>,
    storage_class: Option<String>,
}

impl PutBucketRequest {
    crate::setters::setters! {
        /// The bucket name (required).
        bucket: String;
        /// The canned ACL (`private`, `public-read`, `public-read-write`), sent as `x-oss-acl`.
        acl: String;
        /// The default storage class (`Standard`, `IA`, `Archive`…), sent in
        /// `CreateBucketConfiguration`.
        storage_class: String;
    }

    /// Sends the request.
    ///
    /// # Errors
    /// Input errors before I/O; service errors such as `BucketAlreadyExists` (409).
    pub async fn send(self) -> Result<BucketOutput, Error> {
        self.client.clone().execute(self).await
    }
}

impl Operation for PutBucketRequest {
    type Output = BucketOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let mut op = OperationRequest::bucket(Method::PUT, self.bucket)?;
        if let Some(acl) = &self.acl {
            op.header("x-oss-acl", validate::header_value("x-oss-acl", acl)?);
        }
        if let Some(class) = &self.storage_class {
            let body = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CreateBucketConfiguration><StorageClass>{}</StorageClass></CreateBucketConfiguration>",
                xml::escape(class)
            );
            op.header("content-type", HeaderValue::from_static("application/xml"));
            op.body = body.into();
        }
        Ok(op)
    }

    fn output(answer: Answer) -> Result<BucketOutput, Error> {
        Ok(BucketOutput::from_answer(&answer))
    }
}

impl BucketOutput {
    fn from_answer(answer: &Answer) -> Self {
        Self {
            request_id: answer.request_id(),
            raw: answer.raw(),
        }
    }
}

/// A DeleteBucket request.
#[derive(Debug)]
pub struct DeleteBucketRequest {
    client: Client,
    bucket: Option<String>,
}

impl DeleteBucketRequest {
    crate::setters::setters! {
        /// The bucket name (required).
        bucket: String;
    }

    /// Sends the request.
    ///
    /// # Errors
    /// Input errors before I/O; service errors such as `BucketNotEmpty` (409) or
    /// `NoSuchBucket` (404).
    pub async fn send(self) -> Result<BucketOutput, Error> {
        self.client.clone().execute(self).await
    }
}

impl Operation for DeleteBucketRequest {
    type Output = BucketOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        OperationRequest::bucket(Method::DELETE, self.bucket)
    }

    fn output(answer: Answer) -> Result<BucketOutput, Error> {
        Ok(BucketOutput::from_answer(&answer))
    }
}

/// A ListBuckets request.
#[derive(Debug, Clone)]
pub struct ListBucketsRequest {
    client: Client,
    prefix: Option<String>,
    marker: Option<String>,
    max_keys: Option<u32>,
}

/// The answer of ListBuckets.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ListBucketsOutput {
    /// The buckets, in name order.
    pub buckets: Vec<BucketSummary>,
    /// The account.
    pub owner: Option<Owner>,
    /// Whether more buckets follow (ask again with `marker(next_marker)`).
    pub is_truncated: bool,
    /// Where the next page starts.
    pub next_marker: Option<String>,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's HTTP status and every header, as received.
    pub raw: RawResponse,
}

impl ListBucketsRequest {
    crate::setters::setters! {
        /// Only buckets whose names start with `prefix`.
        prefix: String;
        /// Only buckets after `marker` in name order.
        marker: String;
    }

    /// At most this many buckets (1..=1000).
    pub fn max_keys(mut self, max: u32) -> Self {
        self.max_keys = Some(max);
        self
    }

    /// A stream of every page, each starting after the `NextMarker` of the one before, until
    /// a page is not truncated. It stops with [`crate::ErrorKind::InvalidResponse`] if OSS
    /// repeats a marker, or after a truncated page without `NextMarker`.
    ///
    /// ```no_run
    /// # async fn demo(client: oss_client::Client) -> Result<(), oss_client::Error> {
    /// use futures_util::TryStreamExt as _;
    ///
    /// let mut pages = client.list_buckets().prefix("logs-").max_keys(100).into_paginator();
    /// while let Some(page) = pages.try_next().await? {
    ///     for bucket in &page.buckets {
    ///         println!("{} in {}", bucket.name, bucket.region);
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn into_paginator(self) -> Paginator<ListBucketsOutput> {
        paginate(self)
    }

    /// Sends the request.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] for max-keys outside 1..=1000; service errors.
    pub async fn send(self) -> Result<ListBucketsOutput, Error> {
        self.client.clone().execute(self).await
    }
}

impl Operation for ListBucketsRequest {
    type Output = ListBucketsOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let mut op = OperationRequest::new(Method::GET, None, None);
        if let Some(prefix) = self.prefix {
            op.query.push("prefix", prefix);
        }
        if let Some(marker) = self.marker {
            op.query.push("marker", marker);
        }
        op.push_page_size("max-keys", self.max_keys)?;
        Ok(op)
    }

    fn output(answer: Answer) -> Result<ListBucketsOutput, Error> {
        let root = xml::parse(&answer.body)?;
        let buckets = root
            .child("Buckets")
            .map(|b| {
                b.children_named("Bucket")
                    .map(|b| BucketSummary {
                        name: b.text_or_empty("Name"),
                        region: b.text_or_empty("Region"),
                        location: b.text_or_empty("Location"),
                        creation_date: b.child_text("CreationDate").and_then(parse_iso8601),
                        storage_class: b.text_or_empty("StorageClass"),
                        extranet_endpoint: b.text_or_empty("ExtranetEndpoint"),
                        intranet_endpoint: b.text_or_empty("IntranetEndpoint"),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let owner = root.child("Owner").map(|o| Owner {
            id: o.text_or_empty("ID"),
            display_name: o.text_or_empty("DisplayName"),
        });
        Ok(ListBucketsOutput {
            buckets,
            owner,
            is_truncated: root.child_bool("IsTruncated"),
            next_marker: root
                .child_text("NextMarker")
                .filter(|m| !m.is_empty())
                .map(str::to_owned),
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
}

impl PagedListing for ListBucketsRequest {
    type Page = ListBucketsOutput;
    const OPERATION: &'static str = "ListBuckets";

    fn start(&self) -> Option<Token> {
        self.marker.clone().map(|m| (m, None))
    }

    fn continue_from(&mut self, (marker, _): Token) {
        self.marker = Some(marker);
    }

    fn next(page: &Self::Page) -> Next {
        Next::after(
            page.is_truncated,
            "NextMarker",
            page.next_marker.as_deref(),
            None,
        )
    }

    fn fetch_page(self) -> impl Future<Output = Result<Self::Page, Error>> + Send {
        self.send()
    }
}
