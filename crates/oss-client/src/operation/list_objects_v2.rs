//! ListObjectsV2 (`GET /bucket?list-type=2`, OSS API reference "ListObjectsV2").

use http::Method;

use super::listing::Listing;
use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::paginator::{Next, PagedListing, Paginator, Token, paginate};
use crate::request::OperationRequest;
use crate::types::{ObjectSummary, RawResponse};

impl Client {
    /// ListObjectsV2: one page of a bucket's objects; [`ListObjectsV2Request::into_paginator`]
    /// walks every page.
    pub fn list_objects_v2(&self) -> ListObjectsV2Request {
        ListObjectsV2Request {
            client: self.clone(),
            request_payer: false,
            bucket: None,
            prefix: None,
            delimiter: None,
            start_after: None,
            continuation_token: None,
            max_keys: None,
            fetch_owner: false,
        }
    }
}

/// A ListObjectsV2 request. It always sends `encoding-type=url` and decodes the answer, so keys
/// with any bytes (control characters included) list correctly.
#[derive(Debug, Clone)]
pub struct ListObjectsV2Request {
    client: Client,
    request_payer: bool,
    bucket: Option<String>,
    prefix: Option<String>,
    delimiter: Option<String>,
    start_after: Option<String>,
    continuation_token: Option<String>,
    max_keys: Option<u32>,
    fetch_owner: bool,
}

/// One page of ListObjectsV2.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ListObjectsV2Output {
    /// The bucket.
    pub name: String,
    /// The prefix asked for.
    pub prefix: String,
    /// The delimiter asked for.
    pub delimiter: Option<String>,
    /// The page size asked for (default 100).
    pub max_keys: u32,
    /// Objects in byte order of their keys.
    pub contents: Vec<ObjectSummary>,
    /// Key prefixes up to the delimiter (the "directories").
    pub common_prefixes: Vec<String>,
    /// Whether more results follow.
    pub is_truncated: bool,
    /// The token for the next page, when truncated.
    pub next_continuation_token: Option<String>,
    /// Objects plus common prefixes in this page.
    pub key_count: u32,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's HTTP status and every header, as received.
    pub raw: RawResponse,
}

impl ListObjectsV2Request {
    crate::setters::setters! {
        /// The bucket (required).
        bucket: String;
        /// Only keys starting with `prefix`.
        prefix: String;
        /// Groups keys up to the first `delimiter` after the prefix into common prefixes.
        delimiter: String;
        /// Only keys after this key in byte order.
        start_after: String;
        /// Continues a listing with the token of the previous page.
        continuation_token: String;
    }

    /// At most this many keys and prefixes per page (1..=1000; OSS default 100).
    pub fn max_keys(mut self, max: u32) -> Self {
        self.max_keys = Some(max);
        self
    }

    /// Includes each object's owner.
    pub fn fetch_owner(mut self, fetch: bool) -> Self {
        self.fetch_owner = fetch;
        self
    }

    /// A stream of every page, following continuation tokens exactly as OSS gave them until the
    /// listing is complete. It stops with [`crate::ErrorKind::InvalidResponse`] if OSS repeats a
    /// token, or after a truncated page without `NextContinuationToken`.
    pub fn into_paginator(self) -> Paginator<ListObjectsV2Output> {
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
    /// Input errors before I/O (bucket name, max-keys); service errors (`NoSuchBucket`…);
    /// [`crate::ErrorKind::InvalidResponse`] for an unreadable answer.
    pub async fn send(self) -> Result<ListObjectsV2Output, Error> {
        self.client.clone().execute(self).await
    }
}

impl Operation for ListObjectsV2Request {
    type Output = ListObjectsV2Output;

    fn request(self) -> Result<OperationRequest, Error> {
        let mut op = OperationRequest::bucket(Method::GET, self.bucket)?;
        op.request_payer(self.request_payer);
        op.query.push("list-type", "2").push("encoding-type", "url");
        op.push_optional([
            ("prefix", self.prefix),
            ("delimiter", self.delimiter),
            ("start-after", self.start_after),
            ("continuation-token", self.continuation_token),
        ]);
        op.push_page_size("max-keys", self.max_keys)?;
        if self.fetch_owner {
            op.query.push("fetch-owner", "true");
        }
        Ok(op)
    }

    fn output(answer: Answer) -> Result<ListObjectsV2Output, Error> {
        parse_page(Listing::parse(&answer.body)?, answer.raw())
    }
}

impl PagedListing for ListObjectsV2Request {
    type Page = ListObjectsV2Output;
    const OPERATION: &'static str = "ListObjectsV2";

    fn start(&self) -> Option<Token> {
        self.continuation_token.clone().map(|t| (t, None))
    }

    fn continue_from(&mut self, (token, _): Token) {
        self.continuation_token = Some(token);
    }

    fn next(page: &Self::Page) -> Next {
        Next::after(
            page.is_truncated,
            "NextContinuationToken",
            page.next_continuation_token.as_deref(),
            None,
        )
    }

    fn fetch_page(self) -> impl Future<Output = Result<Self::Page, Error>> + Send {
        self.send()
    }
}

/// Reads a `ListBucketResult` of ListObjectsV2.
fn parse_page(listing: Listing, raw: RawResponse) -> Result<ListObjectsV2Output, Error> {
    let key_count = match listing.number("KeyCount")? {
        Some(n) => n,
        None => u32::try_from(listing.contents.len() + listing.common_prefixes.len())
            .unwrap_or(u32::MAX),
    };
    Ok(ListObjectsV2Output {
        name: listing.text_or_empty("Name"),
        prefix: listing.decoded("Prefix").unwrap_or_default(),
        delimiter: listing.decoded("Delimiter").filter(|d| !d.is_empty()),
        max_keys: listing.number("MaxKeys")?.unwrap_or(100),
        is_truncated: listing.flag("IsTruncated"),
        next_continuation_token: listing
            .token("NextContinuationToken")
            .filter(|t| !t.is_empty()),
        key_count,
        contents: listing.contents,
        common_prefixes: listing.common_prefixes,
        request_id: raw.request_id(),
        raw,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_url_encoded_listing() {
        let doc = br#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult><Name>b</Name><Prefix></Prefix><MaxKeys>100</MaxKeys><Delimiter>%2F</Delimiter><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated><NextContinuationToken>tok%2B1</NextContinuationToken>
<Contents><Key>bad%08name.txt</Key><LastModified>2025-01-02T03:04:05.000Z</LastModified><ETag>"5EB63BBBE01EEED093CB22BB8F5ACDC3"</ETag><Type>Normal</Type><Size>11</Size><StorageClass>Standard</StorageClass></Contents>
<Contents><Key>a+b%2Bc</Key><Size>0</Size></Contents>
<CommonPrefixes><Prefix>c%2B%2B/</Prefix></CommonPrefixes><KeyCount>3</KeyCount></ListBucketResult>"#;
        let page = parse_page(Listing::parse(doc).unwrap(), RawResponse::default()).unwrap();
        assert_eq!(page.contents[0].key, "bad\x08name.txt");
        assert_eq!(page.contents[0].size, 11);
        assert_eq!(
            page.contents[0].etag,
            "\"5EB63BBBE01EEED093CB22BB8F5ACDC3\""
        );
        assert!(page.contents[0].last_modified.is_some());
        assert_eq!(page.contents[1].key, "a b+c");
        assert_eq!(page.common_prefixes, ["c++/"]);
        assert_eq!(page.delimiter.as_deref(), Some("/"));
        assert_eq!(page.next_continuation_token.as_deref(), Some("tok+1"));
        assert!(page.is_truncated);
        assert_eq!(page.key_count, 3);
    }
}
