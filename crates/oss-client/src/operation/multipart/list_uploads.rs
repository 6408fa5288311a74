//! ListMultipartUploads (`GET /bucket?uploads`).

use std::time::SystemTime;

use http::Method;

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::paginator::{Next, PagedListing, Paginator, Token, paginate};
use crate::request::OperationRequest;
use crate::response::parse_iso8601;
use crate::types::RawResponse;
use crate::xml;

impl Client {
    /// ListMultipartUploads: uploads started and neither completed nor aborted.
    pub fn list_multipart_uploads(&self) -> ListMultipartUploadsRequest {
        ListMultipartUploadsRequest {
            client: self.clone(),
            bucket: None,
            prefix: None,
            delimiter: None,
            key_marker: None,
            upload_id_marker: None,
            max_uploads: None,
            request_payer: false,
        }
    }
}

/// A ListMultipartUploads request; `encoding-type=url` is always sent and decoded.
#[derive(Debug, Clone)]
pub struct ListMultipartUploadsRequest {
    client: Client,
    bucket: Option<String>,
    prefix: Option<String>,
    delimiter: Option<String>,
    key_marker: Option<String>,
    upload_id_marker: Option<String>,
    max_uploads: Option<u32>,
    request_payer: bool,
}

/// One unfinished upload.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct UploadSummary {
    /// The object key (decoded).
    pub key: String,
    /// The upload id.
    pub upload_id: String,
    /// When the upload was initiated.
    pub initiated: Option<SystemTime>,
}

/// One page of ListMultipartUploads.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ListMultipartUploadsOutput {
    /// The uploads, by key then initiation.
    pub uploads: Vec<UploadSummary>,
    /// Key prefixes up to the delimiter.
    pub common_prefixes: Vec<String>,
    /// Whether more uploads follow.
    pub is_truncated: bool,
    /// The key marker of the next page.
    pub next_key_marker: Option<String>,
    /// The upload id marker of the next page.
    pub next_upload_id_marker: Option<String>,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's HTTP status and every header, as received.
    pub raw: RawResponse,
}

impl ListMultipartUploadsRequest {
    crate::setters::setters! {
        /// The bucket (required).
        bucket: String;
        /// Only keys starting with `prefix`.
        prefix: String;
        /// Groups keys into common prefixes.
        delimiter: String;
        /// Starts after this key (and [`Self::upload_id_marker`]).
        key_marker: String;
        /// Starts after this upload of the key marker.
        upload_id_marker: String;
    }

    /// Page size (1..=1000).
    pub fn max_uploads(mut self, max: u32) -> Self {
        self.max_uploads = Some(max);
        self
    }

    /// Every page, following `NextKeyMarker` and `NextUploadIdMarker` exactly; a truncated
    /// page without a next key marker ends the stream with
    /// [`crate::ErrorKind::InvalidResponse`] after that page.
    pub fn into_paginator(self) -> Paginator<ListMultipartUploadsOutput> {
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
    pub async fn send(self) -> Result<ListMultipartUploadsOutput, Error> {
        self.client.clone().execute(self).await
    }
}

impl Operation for ListMultipartUploadsRequest {
    type Output = ListMultipartUploadsOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let mut op = OperationRequest::bucket(Method::GET, self.bucket)?;
        op.request_payer(self.request_payer);
        op.query.push_flag("uploads").push("encoding-type", "url");
        op.push_optional([
            ("prefix", self.prefix),
            ("delimiter", self.delimiter),
            ("key-marker", self.key_marker),
            ("upload-id-marker", self.upload_id_marker),
        ]);
        op.push_page_size("max-uploads", self.max_uploads)?;
        Ok(op)
    }

    fn output(answer: Answer) -> Result<ListMultipartUploadsOutput, Error> {
        let raw = answer.raw();
        let root = xml::parse(&answer.body)?;
        let decode = root.url_decoder();
        let uploads = root
            .children_named("Upload")
            .map(|u| UploadSummary {
                key: decode(u.child_text("Key").unwrap_or_default()),
                upload_id: u.text_or_empty("UploadId"),
                initiated: u.child_text("Initiated").and_then(parse_iso8601),
            })
            .collect();
        let common_prefixes = root
            .children_named("CommonPrefixes")
            .filter_map(|p| p.child_text("Prefix"))
            .map(&decode)
            .collect();
        Ok(ListMultipartUploadsOutput {
            uploads,
            common_prefixes,
            is_truncated: root.child_bool("IsTruncated"),
            next_key_marker: root
                .child_text("NextKeyMarker")
                .filter(|m| !m.is_empty())
                .map(&decode),
            next_upload_id_marker: root
                .child_text("NextUploadIdMarker")
                .filter(|m| !m.is_empty())
                .map(str::to_owned),
            request_id: raw.request_id(),
            raw,
        })
    }
}

impl PagedListing for ListMultipartUploadsRequest {
    type Page = ListMultipartUploadsOutput;
    const OPERATION: &'static str = "ListMultipartUploads";

    fn start(&self) -> Option<Token> {
        let key = self.key_marker.clone()?;
        Some((key, self.upload_id_marker.clone()))
    }

    fn continue_from(&mut self, (key, upload_id): Token) {
        self.key_marker = Some(key);
        self.upload_id_marker = upload_id;
    }

    fn next(page: &Self::Page) -> Next {
        Next::after(
            page.is_truncated,
            "NextKeyMarker",
            page.next_key_marker.as_deref(),
            page.next_upload_id_marker.as_deref(),
        )
    }

    fn fetch_page(self) -> impl Future<Output = Result<Self::Page, Error>> + Send {
        self.send()
    }
}
