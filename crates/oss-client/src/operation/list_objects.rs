//! ListObjects, version 1 (`GET /bucket?marker=…`, OSS API reference "ListObjects").

use http::Method;

use super::listing::Listing;
use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::paginator::{Next, PagedListing, Paginator, Token, paginate};
use crate::request::OperationRequest;
use crate::types::{ObjectSummary, RawResponse};

impl Client {
    /// ListObjects (v1): one page of a bucket's objects after a marker;
    /// [`ListObjectsRequest::into_paginator`] walks every page. Prefer ListObjectsV2.
    pub fn list_objects(&self) -> ListObjectsRequest {
        ListObjectsRequest {
            client: self.clone(),
            request_payer: false,
            bucket: None,
            prefix: None,
            delimiter: None,
            marker: None,
            max_keys: None,
        }
    }
}

/// A ListObjects (v1) request; `encoding-type=url` is always sent and decoded.
#[derive(Debug, Clone)]
pub struct ListObjectsRequest {
    client: Client,
    request_payer: bool,
    bucket: Option<String>,
    prefix: Option<String>,
    delimiter: Option<String>,
    marker: Option<String>,
    max_keys: Option<u32>,
}

/// One page of ListObjects (v1).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ListObjectsOutput {
    /// The bucket.
    pub name: String,
    /// Objects in byte order of their keys.
    pub contents: Vec<ObjectSummary>,
    /// Key prefixes up to the delimiter.
    pub common_prefixes: Vec<String>,
    /// Whether more results follow.
    pub is_truncated: bool,
    /// `NextMarker`: where the next page starts (the marker for the next request), when
    /// truncated; `None` when OSS sent none (never guessed from the last key).
    pub next_marker: Option<String>,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's HTTP status and every header, as received.
    pub raw: RawResponse,
}

impl ListObjectsRequest {
    crate::setters::setters! {
        /// The bucket (required).
        bucket: String;
        /// Only keys starting with `prefix`.
        prefix: String;
        /// Groups keys up to the delimiter into common prefixes.
        delimiter: String;
        /// Only keys after `marker`.
        marker: String;
    }

    /// Page size (1..=1000; default 100).
    pub fn max_keys(mut self, max: u32) -> Self {
        self.max_keys = Some(max);
        self
    }

    /// Every page, following `NextMarker` exactly; a truncated page without one ends the
    /// stream with [`crate::ErrorKind::InvalidResponse`] after that page.
    pub fn into_paginator(self) -> Paginator<ListObjectsOutput> {
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
    /// Input errors (bucket, max-keys); service errors.
    pub async fn send(self) -> Result<ListObjectsOutput, Error> {
        self.client.clone().execute(self).await
    }
}

impl Operation for ListObjectsRequest {
    type Output = ListObjectsOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let mut op = OperationRequest::bucket(Method::GET, self.bucket)?;
        op.request_payer(self.request_payer);
        op.query.push("encoding-type", "url");
        op.push_optional([
            ("prefix", self.prefix),
            ("delimiter", self.delimiter),
            ("marker", self.marker),
        ]);
        op.push_page_size("max-keys", self.max_keys)?;
        Ok(op)
    }

    fn output(answer: Answer) -> Result<ListObjectsOutput, Error> {
        let listing = Listing::parse(&answer.body)?;
        Ok(ListObjectsOutput {
            name: listing.text_or_empty("Name"),
            is_truncated: listing.flag("IsTruncated"),
            next_marker: listing.decoded("NextMarker").filter(|m| !m.is_empty()),
            contents: listing.contents,
            common_prefixes: listing.common_prefixes,
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
}

impl PagedListing for ListObjectsRequest {
    type Page = ListObjectsOutput;
    const OPERATION: &'static str = "ListObjects";

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
