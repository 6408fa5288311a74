//! ListParts (`GET /bucket/key?uploadId=U`).

use std::time::SystemTime;

use http::Method;

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::paginator::{Next, PagedListing, Paginator, Token, paginate};
use crate::request::{OperationRequest, required};
use crate::response::parse_iso8601;
use crate::types::RawResponse;
use crate::xml;

impl Client {
    /// ListParts: the parts uploaded so far (to resume an upload).
    pub fn list_parts(&self) -> ListPartsRequest {
        ListPartsRequest {
            client: self.clone(),
            request_payer: false,
            bucket: None,
            key: None,
            upload_id: None,
            max_parts: None,
            part_number_marker: None,
        }
    }
}

/// A ListParts request.
#[derive(Debug, Clone)]
pub struct ListPartsRequest {
    client: Client,
    request_payer: bool,
    bucket: Option<String>,
    key: Option<String>,
    upload_id: Option<String>,
    max_parts: Option<u32>,
    part_number_marker: Option<u32>,
}

/// One uploaded part.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PartSummary {
    /// The part number.
    pub part_number: u32,
    /// The ETag, quoted.
    pub etag: String,
    /// Size in bytes.
    pub size: u64,
    /// Upload time.
    pub last_modified: Option<SystemTime>,
    /// The part's CRC-64.
    pub crc64: Option<u64>,
}

/// One page of ListParts.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ListPartsOutput {
    /// Parts in ascending order.
    pub parts: Vec<PartSummary>,
    /// Whether more parts follow.
    pub is_truncated: bool,
    /// The marker for the next page.
    pub next_part_number_marker: Option<u32>,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's HTTP status and every header, as received.
    pub raw: RawResponse,
}

impl ListPartsRequest {
    crate::setters::setters! {
        /// The bucket (required).
        bucket: String;
        /// The object key (required).
        key: String;
        /// The upload id (required).
        upload_id: String;
    }

    /// Page size (1..=1000).
    pub fn max_parts(mut self, max: u32) -> Self {
        self.max_parts = Some(max);
        self
    }

    /// Only parts after this number.
    pub fn part_number_marker(mut self, marker: u32) -> Self {
        self.part_number_marker = Some(marker);
        self
    }

    /// Every page, following `NextPartNumberMarker`; a truncated page without one ends the
    /// stream with [`crate::ErrorKind::InvalidResponse`] after that page.
    pub fn into_paginator(self) -> Paginator<ListPartsOutput> {
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
    /// Input errors; `NoSuchUpload`.
    pub async fn send(self) -> Result<ListPartsOutput, Error> {
        self.client.clone().execute(self).await
    }
}

impl Operation for ListPartsRequest {
    type Output = ListPartsOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let upload_id = required(self.upload_id, "upload_id")?;
        let mut op = OperationRequest::object(Method::GET, self.bucket, self.key)?;
        op.request_payer(self.request_payer);
        op.query
            .push("uploadId", upload_id)
            .push("encoding-type", "url");
        op.push_page_size("max-parts", self.max_parts)?;
        if let Some(marker) = self.part_number_marker {
            op.query.push("part-number-marker", marker.to_string());
        }
        Ok(op)
    }

    fn output(answer: Answer) -> Result<ListPartsOutput, Error> {
        let raw = answer.raw();
        let root = xml::parse(&answer.body)?;
        let parts = root
            .children_named("Part")
            .map(|p| {
                Ok(PartSummary {
                    part_number: p.child_parse("PartNumber")?.unwrap_or(0),
                    etag: p.text_or_empty("ETag"),
                    size: p.child_parse("Size")?.unwrap_or(0),
                    last_modified: p.child_text("LastModified").and_then(parse_iso8601),
                    crc64: p.child_parse("HashCrc64ecma")?,
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(ListPartsOutput {
            parts,
            is_truncated: root.child_bool("IsTruncated"),
            next_part_number_marker: root.child_parse("NextPartNumberMarker")?,
            request_id: raw.request_id(),
            raw,
        })
    }
}

impl PagedListing for ListPartsRequest {
    type Page = ListPartsOutput;
    const OPERATION: &'static str = "ListParts";

    fn start(&self) -> Option<Token> {
        self.part_number_marker.map(|m| (m.to_string(), None))
    }

    fn continue_from(&mut self, (marker, _): Token) {
        // The marker was a number when read (`next`), so it parses again.
        self.part_number_marker = marker.parse().ok();
    }

    fn next(page: &Self::Page) -> Next {
        let marker = page.next_part_number_marker.map(|m| m.to_string());
        Next::after(
            page.is_truncated,
            "NextPartNumberMarker",
            marker.as_deref(),
            None,
        )
    }

    fn fetch_page(self) -> impl Future<Output = Result<Self::Page, Error>> + Send {
        self.send()
    }
}
