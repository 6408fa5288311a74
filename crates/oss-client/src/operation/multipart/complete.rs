//! CompleteMultipartUpload (`POST /bucket/key?uploadId=U`).

use http::{HeaderValue, Method};
use oss_auth::sign::percent_decode;

use super::check_part_number;
use super::upload_part::UploadPartOutput;
use super::upload_part_copy::UploadPartCopyOutput;
use crate::checksum::crc64_combine;
use crate::client::Client;
use crate::error::{Error, ErrorKind};
use crate::header_names;
use crate::operation::callback::{self, Callback};
use crate::operation::encryption::ServerSideEncryptionInfo;
use crate::request::{OperationRequest, required};
use crate::response::{header, header_parse, header_string};
use crate::settle::{Sent, Settled};
use crate::types::RawResponse;
use crate::xml;

/// A part to assemble: its number and ETag (quoted, exactly as OSS returned it), and, when
/// known, its CRC-64 and size so the whole object's CRC-64 can be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CompletedPart {
    /// The part number.
    pub part_number: u32,
    /// The ETag as returned by UploadPart.
    pub etag: String,
    /// The part's CRC-64.
    pub crc64: Option<u64>,
    /// The part's size in bytes.
    pub size: Option<u64>,
}

impl CompletedPart {
    /// A part known only by number and ETag.
    pub fn new(part_number: u32, etag: impl Into<String>) -> Self {
        Self {
            part_number,
            etag: etag.into(),
            crc64: None,
            size: None,
        }
    }

    /// Adds the part's CRC-64 and size.
    pub fn with_crc64(mut self, crc64: u64, size: u64) -> Self {
        self.crc64 = Some(crc64);
        self.size = Some(size);
        self
    }
}

impl From<&UploadPartOutput> for CompletedPart {
    fn from(p: &UploadPartOutput) -> Self {
        Self {
            part_number: p.part_number,
            etag: p.etag.clone(),
            crc64: p.crc64,
            size: Some(p.size),
        }
    }
}

impl From<&UploadPartCopyOutput> for CompletedPart {
    fn from(p: &UploadPartCopyOutput) -> Self {
        Self::new(p.part_number, p.etag.clone())
    }
}

impl Client {
    /// CompleteMultipartUpload: assembles the parts into the object.
    pub fn complete_multipart_upload(&self) -> CompleteMultipartUploadRequest {
        CompleteMultipartUploadRequest {
            client: self.clone(),
            bucket: None,
            key: None,
            upload_id: None,
            parts: Vec::new(),
            complete_all: false,
            forbid_overwrite: false,
            request_payer: false,
            callback: None,
        }
    }
}

/// A CompleteMultipartUpload request. Parts may be given in any order (for example the order
/// concurrent uploads finished in): they are sent in ascending part order, as OSS requires.
#[derive(Debug)]
pub struct CompleteMultipartUploadRequest {
    client: Client,
    bucket: Option<String>,
    key: Option<String>,
    upload_id: Option<String>,
    parts: Vec<CompletedPart>,
    complete_all: bool,
    forbid_overwrite: bool,
    request_payer: bool,
    callback: Option<Callback>,
}

/// The answer of CompleteMultipartUpload.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CompleteMultipartUploadOutput {
    /// The bucket.
    pub bucket: String,
    /// The object key (decoded).
    pub key: String,
    /// The object's ETag (`"<hex>-<part count>"`).
    pub etag: String,
    /// The object's URL (empty when the answer was lost and a HeadObject settled it).
    pub location: String,
    /// `x-oss-hash-crc64ecma` of the whole object.
    pub crc64: Option<u64>,
    /// `x-oss-version-id` (versioned buckets).
    pub version_id: Option<String>,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The object's server-side encryption (`x-oss-server-side-encryption*`).
    pub server_side_encryption: Option<ServerSideEncryptionInfo>,
    /// The answer's status and headers as received (those of the HeadObject when a lost
    /// answer was settled by one).
    pub raw: RawResponse,
    /// With [`CompleteMultipartUploadRequest::callback`]: the callback server's answer body
    /// as OSS relayed it (JSON). `None` without a callback, and when the answer was lost and
    /// a HeadObject showed the upload completed.
    pub callback_result: Option<bytes::Bytes>,
}

impl CompleteMultipartUploadRequest {
    crate::setters::setters! {
        /// The bucket (required).
        bucket: String;
        /// The object key (required).
        key: String;
        /// The upload id (required).
        upload_id: String;
    }

    /// Adds a part.
    pub fn part(mut self, part: impl Into<CompletedPart>) -> Self {
        self.parts.push(part.into());
        self
    }

    /// Adds parts.
    pub fn parts<I: IntoIterator<Item = P>, P: Into<CompletedPart>>(mut self, parts: I) -> Self {
        self.parts.extend(parts.into_iter().map(Into::into));
        self
    }

    /// `x-oss-complete-all: yes`: let OSS assemble every uploaded part (no part list).
    pub fn complete_all(mut self, all: bool) -> Self {
        self.complete_all = all;
        self
    }

    /// `x-oss-forbid-overwrite: true`.
    pub fn forbid_overwrite(mut self, forbid: bool) -> Self {
        self.forbid_overwrite = forbid;
        self
    }

    /// An upload callback (`x-oss-callback`, `x-oss-callback-var`): once the object is
    /// assembled OSS POSTs to the callback URL and answers with its body
    /// ([`CompleteMultipartUploadOutput::callback_result`]) instead of the XML result. A
    /// failed callback answers [`ErrorKind::CallbackFailed`]: the object is stored.
    pub fn callback(mut self, callback: Callback) -> Self {
        self.callback = Some(callback);
        self
    }

    /// `x-oss-request-payer: requester`, for a bucket with pay-by-requester enabled.
    pub fn request_payer(mut self, requester_pays: bool) -> Self {
        self.request_payer = requester_pays;
        self
    }

    /// Sends the request. When the answer is lost (the connection breaks or times out after
    /// the request went out, or OSS answers 5xx), it is not blindly sent again (that would
    /// answer `NoSuchUpload` for an upload that was completed): ListParts tells whether the
    /// upload still exists (then it is sent again, within the client's attempts), and if it
    /// does not, a HeadObject whose CRC-64 matches the parts' (or, without part CRCs, whose
    /// ETag is a multipart ETag of as many parts) shows it was completed, which is then the
    /// answer (the rules of `docs/errors.md`, "Writes whose answer is lost"). A completed upload is never reported as failed.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidArgument`] for no parts, duplicate or out-of-range part numbers, or
    /// a part list together with `complete_all`; [`ErrorKind::ChecksumMismatch`] when the
    /// combined CRC-64 differs from OSS's; service errors (`InvalidPart`, `InvalidPartOrder`,
    /// `EntityTooSmall`, `NoSuchUpload`…); the error of a lost answer that cannot be settled.
    pub async fn send(mut self) -> Result<CompleteMultipartUploadOutput, Error> {
        let upload_id = required(self.upload_id.take(), "upload_id")?;
        let mut op = OperationRequest::object(Method::POST, self.bucket.take(), self.key.take())?;
        op.query
            .push("uploadId", upload_id.as_str())
            .push("encoding-type", "url");
        if self.forbid_overwrite {
            op.header("x-oss-forbid-overwrite", HeaderValue::from_static("true"));
        }
        op.request_payer(self.request_payer);
        if let Some(callback) = &self.callback {
            callback.apply(&mut op)?;
        }
        self.parts.sort_by_key(|p| p.part_number);
        if self.complete_all {
            if !self.parts.is_empty() {
                return Err(Error::invalid_argument(
                    "give either a part list or complete_all, not both",
                ));
            }
            op.header("x-oss-complete-all", HeaderValue::from_static("yes"));
        } else {
            op.xml_body(self.body()?);
        }
        let completed = Completed {
            client: &self.client,
            bucket: op.bucket.clone().unwrap_or_default(),
            key: op.key.clone().unwrap_or_default(),
            upload_id,
            parts: (!self.complete_all).then_some(self.parts.len()),
            crc64: self.combined_crc64(),
        };
        let response = match self.client.send_settled(op, || completed.settle()).await? {
            Sent::Answered(response) => response,
            Sent::Settled(output) => return Ok(output),
        };
        let reported: Option<u64> =
            header_parse(response.headers(), &header_names::X_OSS_HASH_CRC64ECMA);
        if let (Some(expected), Some(reported)) = (completed.crc64, reported) {
            if expected != reported {
                return Err(Error::new(
                    ErrorKind::ChecksumMismatch,
                    format!(
                        "CRC-64 mismatch after Complete: parts combine to {expected}, OSS reported {reported}"
                    ),
                ));
            }
        }
        if self.callback.is_some() {
            let (status, headers) = (response.status(), response.headers().clone());
            let callback_result = Some(callback::answer(response).await?);
            return Ok(CompleteMultipartUploadOutput {
                bucket: completed.bucket,
                key: completed.key,
                etag: header_string(&headers, &header_names::ETAG),
                location: String::new(),
                crc64: reported,
                version_id: header(&headers, &header_names::X_OSS_VERSION_ID).map(str::to_owned),
                request_id: header_string(&headers, &header_names::X_OSS_REQUEST_ID),
                server_side_encryption: ServerSideEncryptionInfo::from_headers(&headers),
                raw: RawResponse { status, headers },
                callback_result,
            });
        }
        let (parts, body) = response.into_parts();
        let headers = parts.headers;
        let root = xml::parse(&crate::response::read_body(body).await?)?;
        let url = root.child_text("EncodingType") == Some("url");
        let decode = |t: String| if url { percent_decode(&t, true) } else { t };
        Ok(CompleteMultipartUploadOutput {
            bucket: root.text_or_empty("Bucket"),
            key: decode(root.text_or_empty("Key")),
            etag: root.text_or_empty("ETag"),
            location: root.text_or_empty("Location"),
            crc64: reported,
            version_id: header(&headers, &header_names::X_OSS_VERSION_ID).map(str::to_owned),
            request_id: header_string(&headers, &header_names::X_OSS_REQUEST_ID),
            server_side_encryption: ServerSideEncryptionInfo::from_headers(&headers),
            raw: RawResponse {
                status: parts.status,
                headers,
            },
            callback_result: None,
        })
    }

    fn body(&self) -> Result<String, Error> {
        if self.parts.is_empty() {
            return Err(Error::invalid_argument(
                "CompleteMultipartUpload needs at least one part",
            ));
        }
        let mut body =
            String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?><CompleteMultipartUpload>");
        let mut previous = 0;
        for part in &self.parts {
            check_part_number(part.part_number)?;
            if part.part_number == previous {
                return Err(Error::invalid_argument(format!(
                    "part {} is listed twice",
                    part.part_number
                )));
            }
            previous = part.part_number;
            body.push_str(&format!(
                "<Part><PartNumber>{}</PartNumber><ETag>{}</ETag></Part>",
                part.part_number,
                xml::escape(&part.etag)
            ));
        }
        body.push_str("</CompleteMultipartUpload>");
        Ok(body)
    }

    /// The CRC-64 of the assembled object, when every listed part's CRC is known and so is
    /// the size of every part after the first (the first part's size never enters the
    /// combination).
    fn combined_crc64(&self) -> Option<u64> {
        if self.complete_all {
            return None;
        }
        let (first, rest) = self.parts.split_first()?;
        rest.iter().try_fold(first.crc64?, |acc, part| {
            Some(crc64_combine(acc, part.crc64?, part.size?))
        })
    }
}

/// A CompleteMultipartUpload whose answer may have been lost, and how to tell whether OSS
/// applied it.
struct Completed<'a> {
    client: &'a Client,
    bucket: String,
    key: String,
    upload_id: String,
    /// How many parts were listed (none with `complete_all`).
    parts: Option<usize>,
    /// The CRC-64 the parts combine to, when known.
    crc64: Option<u64>,
}

impl Completed<'_> {
    /// Not applied while the upload exists; applied when it is gone and the object is the
    /// one the parts make.
    async fn settle(&self) -> Result<Settled<CompleteMultipartUploadOutput>, Error> {
        let listed = self
            .client
            .list_parts()
            .bucket(self.bucket.as_str())
            .key(self.key.as_str())
            .upload_id(self.upload_id.as_str())
            .max_parts(1)
            .send()
            .await;
        match listed {
            Ok(_) => return Ok(Settled::NotApplied),
            Err(e) if e.code() == Some("NoSuchUpload") => {}
            Err(e) => return Err(e),
        }
        let head = self
            .client
            .head_object()
            .bucket(self.bucket.as_str())
            .key(self.key.as_str())
            .send()
            .await?;
        let same = match (self.crc64, head.crc64) {
            (Some(expected), Some(stored)) => expected == stored,
            _ => self.parts.is_some_and(|count| {
                head.object_type.as_deref() == Some("Multipart")
                    && head.etag.trim_matches('"').ends_with(&format!("-{count}"))
            }),
        };
        if !same {
            return Ok(Settled::Unknown);
        }
        Ok(Settled::Applied(CompleteMultipartUploadOutput {
            bucket: self.bucket.clone(),
            key: self.key.clone(),
            etag: head.etag,
            location: String::new(),
            crc64: head.crc64,
            version_id: head.version_id,
            request_id: head.request_id,
            server_side_encryption: head.server_side_encryption,
            raw: head.raw,
            callback_result: None,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A client for building requests; nothing is sent.
    fn client() -> crate::Client {
        crate::Client::builder()
            .region("cn-hangzhou")
            .endpoint("http://127.0.0.1:9")
            .credentials_provider(oss_auth::Credentials::from_keys("a", "b"))
            .build()
            .unwrap()
    }

    #[test]
    fn crc_of_parts_combines_in_part_order() {
        use crate::checksum::crc64;
        let data: Vec<u8> = (0..250_000u32).map(|i| (i % 253) as u8).collect();
        let (a, rest) = data.split_at(102_400);
        let (b, c) = rest.split_at(102_400);
        let client = client();
        let mut request = client
            .complete_multipart_upload()
            .part(CompletedPart::new(3, "\"C\"").with_crc64(crc64(c), c.len() as u64))
            .part(CompletedPart::new(1, "\"A\"").with_crc64(crc64(a), a.len() as u64))
            .part(CompletedPart::new(2, "\"B\"").with_crc64(crc64(b), b.len() as u64));
        request.parts.sort_by_key(|p| p.part_number);
        assert_eq!(request.combined_crc64(), Some(crc64(&data)));
        let body = request.body().unwrap();
        let one = body.find("<PartNumber>1<").unwrap();
        let two = body.find("<PartNumber>2<").unwrap();
        let three = body.find("<PartNumber>3<").unwrap();
        assert!(one < two && two < three, "{body}");
        assert!(body.contains("<ETag>\"A\"</ETag>"), "quotes kept: {body}");
    }

    #[test]
    fn the_combined_crc_needs_every_crc_and_every_size_but_the_first() {
        use crate::checksum::crc64;
        let (a, b) = (b"first part".as_slice(), b"second".as_slice());
        let client = client();
        let combined = |parts: Vec<CompletedPart>| {
            let mut request = client.complete_multipart_upload();
            for part in parts {
                request = request.part(part);
            }
            request.combined_crc64()
        };
        let first = || CompletedPart::new(1, "\"A\"");
        let second = || CompletedPart::new(2, "\"B\"");
        assert_eq!(combined(vec![]), None);
        assert_eq!(
            combined(vec![first().with_crc64(crc64(a), 10)]),
            Some(crc64(a))
        );
        let whole = [a, b].concat();
        let first_size_unknown = CompletedPart {
            size: None,
            ..first().with_crc64(crc64(a), 10)
        };
        assert_eq!(
            combined(vec![first_size_unknown, second().with_crc64(crc64(b), 6)]),
            Some(crc64(&whole))
        );
        let second_size_unknown = CompletedPart {
            size: None,
            ..second().with_crc64(crc64(b), 6)
        };
        assert_eq!(
            combined(vec![first().with_crc64(crc64(a), 10), second_size_unknown]),
            None
        );
        assert_eq!(
            combined(vec![first().with_crc64(crc64(a), 10), second()]),
            None,
            "a part without its CRC"
        );
    }
}
