//! GetObject (`GET /bucket/key`, OSS API reference "GetObject").

use std::time::SystemTime;

use http::{HeaderValue, Method, StatusCode};
use oss_http::Timeouts;
use tokio::time::Instant;

use super::object_options::RequestControls;
use super::object_properties::{Conditions, ObjectProperties};
use super::required;
use crate::client::Client;
use crate::error::Error;
use crate::header_names;
use crate::request::OperationRequest;
use crate::response::header;
use crate::stream::{ByteStream, Reopen, Reopening, Resumption};
use crate::types::{ByteRange, RawResponse};
use crate::validate;

impl Client {
    /// GetObject: downloads an object, or a byte range of it, as a stream.
    pub fn get_object(&self) -> GetObjectRequest {
        GetObjectRequest {
            client: self.clone(),
            max_attempts: None,
            bucket: None,
            key: None,
            range: None,
            conditions: Conditions::default(),
            overrides: Vec::new(),
            version_id: None,
            verify_crc64: true,
            resumable: true,
            controls: RequestControls::default(),
            pacing: crate::pacing::Pacing::default(),
        }
    }
}

/// A GetObject request.
#[derive(Debug)]
pub struct GetObjectRequest {
    client: Client,
    max_attempts: Option<u32>,
    bucket: Option<String>,
    key: Option<String>,
    range: Option<ByteRange>,
    conditions: Conditions,
    overrides: Vec<(&'static str, String)>,
    version_id: Option<String>,
    verify_crc64: bool,
    /// Whether the body resumes after a broken connection (not for the resuming requests).
    resumable: bool,
    controls: RequestControls,
    pacing: crate::pacing::Pacing,
}

/// The answer of GetObject.
#[derive(Debug)]
#[non_exhaustive]
pub struct GetObjectOutput {
    /// The content (the requested range, or the whole object).
    pub body: ByteStream,
    /// `Content-Range` as (first byte, last byte, object size) for a ranged read.
    pub content_range: Option<(u64, u64, u64)>,
    /// The object's properties from the response headers.
    pub properties: ObjectProperties,
}

impl GetObjectRequest {
    crate::setters::setters! {
        /// The bucket (required).
        bucket: String;
        /// The object key (required).
        key: String;
        /// Reads this version of the object (versioned buckets).
        version_id: String;
    }

    /// Reads only this byte range. Sent with `x-oss-range-behavior: standard`, so OSS answers
    /// 206 with exactly the range (end clamped) or 416 `InvalidRange`; the answered
    /// `Content-Range` is checked against the request. A range starting at 0 of a 0-byte
    /// object reads as empty.
    pub fn range(mut self, range: ByteRange) -> Self {
        self.range = Some(range);
        self
    }

    /// `If-Match`: fail with 412 `PreconditionFailed` unless the ETag matches.
    pub fn if_match(mut self, etag: impl Into<String>) -> Self {
        self.conditions.if_match = Some(etag.into());
        self
    }

    /// `If-None-Match`: answer 304 (`NotModified` error) if the ETag matches.
    pub fn if_none_match(mut self, etag: impl Into<String>) -> Self {
        self.conditions.if_none_match = Some(etag.into());
        self
    }

    /// `If-Modified-Since`: answer 304 (`NotModified` error) unless modified after `time`.
    pub fn if_modified_since(mut self, time: SystemTime) -> Self {
        self.conditions.if_modified_since = Some(time);
        self
    }

    /// `If-Unmodified-Since`: fail with 412 if modified after `time`.
    pub fn if_unmodified_since(mut self, time: SystemTime) -> Self {
        self.conditions.if_unmodified_since = Some(time);
        self
    }

    /// Overrides the response `Content-Type` (`response-content-type`).
    pub fn response_content_type(self, value: impl Into<String>) -> Self {
        self.override_header("response-content-type", value)
    }

    /// Overrides the response `Content-Disposition` (`response-content-disposition`).
    pub fn response_content_disposition(self, value: impl Into<String>) -> Self {
        self.override_header("response-content-disposition", value)
    }

    /// Overrides the response `Cache-Control` (`response-cache-control`).
    pub fn response_cache_control(self, value: impl Into<String>) -> Self {
        self.override_header("response-cache-control", value)
    }

    /// Overrides the response `Content-Encoding` (`response-content-encoding`).
    pub fn response_content_encoding(self, value: impl Into<String>) -> Self {
        self.override_header("response-content-encoding", value)
    }

    /// Overrides the response `Content-Language` (`response-content-language`).
    pub fn response_content_language(self, value: impl Into<String>) -> Self {
        self.override_header("response-content-language", value)
    }

    /// Overrides the response `Expires` (`response-expires`).
    pub fn response_expires(self, value: impl Into<String>) -> Self {
        self.override_header("response-expires", value)
    }

    /// All four conditions and the per-request controls at once (the Downloader's).
    pub(crate) fn conditions_and_controls(
        mut self,
        conditions: Conditions,
        controls: RequestControls,
    ) -> Self {
        self.conditions = conditions;
        self.controls = controls;
        self
    }

    /// Reports the download's progress: called with `(bytes read, Some(bytes expected))` as
    /// the caller reads each chunk of the body.
    pub fn progress(mut self, callback: crate::transfer::ProgressFn) -> Self {
        self.pacing.set_progress(callback);
        self
    }

    /// Keeps reading the body within a client-side bandwidth limit: after each chunk, the
    /// next waits for the bytes the limit owes (shared with everything given the same
    /// [`crate::transfer::RateLimit`]).
    pub fn rate_limit(mut self, limit: crate::transfer::RateLimit) -> Self {
        self.pacing.set_rate(limit);
        self
    }

    /// `x-oss-traffic-limit`: OSS paces this download to `bits_per_second` (819200 to
    /// 838860800; other values are refused with [`crate::ErrorKind::InvalidArgument`] before
    /// any I/O). Resumes of a broken body carry it too.
    pub fn traffic_limit(mut self, bits_per_second: u64) -> Self {
        self.controls.traffic_limit = Some(bits_per_second);
        self
    }

    /// `x-oss-request-payer: requester`, for a bucket with pay-by-requester enabled.
    pub fn request_payer(mut self, requester_pays: bool) -> Self {
        self.controls.request_payer = requester_pays;
        self
    }

    /// Whether a full download is checked against `x-oss-hash-crc64ecma` (default true;
    /// ranged reads are never checked, since the header covers the whole object).
    pub fn verify_crc64(mut self, verify: bool) -> Self {
        self.verify_crc64 = verify;
        self
    }

    /// `x-oss-process`: answer the object processed (OSS API reference "Image processing"),
    /// e.g. `image/resize,w_100/format,png` or `image/info`. The answer is the result, not
    /// the stored bytes: the CRC-64 check is off and a broken body is not resumed (a
    /// processed answer has no stable byte ranges).
    pub fn process(mut self, process: impl Into<String>) -> Self {
        self.overrides.push(("x-oss-process", process.into()));
        self.verify_crc64 = false;
        self.resumable = false;
        self
    }

    fn override_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.overrides.push((name, value.into()));
        self
    }

    /// Attempts for this request only (1 disables retries), instead of the client's setting.
    /// The same count bounds how often the body resumes after its connection breaks.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    /// Sends the request; the body streams as the caller reads it. Nothing is checked or sent
    /// until the returned future is first polled.
    ///
    /// When the body's connection breaks, stalls past the idle timeout or ends early, the body
    /// resumes with a ranged GetObject for the rest, pinned to the ETag the first answer
    /// carried (`If-Match`), at most `max_attempts - 1` times per body; the whole object's
    /// CRC-64 is still checked across resumes.
    ///
    /// # Errors
    /// Input errors before I/O; service errors (`NoSuchKey`, `NoSuchBucket`, `InvalidRange`,
    /// `PreconditionFailed`, `NotModified`); [`crate::ErrorKind::InvalidResponse`] when the
    /// answer does not match the requested range. Reading the body can fail with a transport
    /// error or [`crate::ErrorKind::Timeout`] once its resumes are used up,
    /// `PreconditionFailed` when the object was replaced before a resume, or
    /// [`crate::ErrorKind::ChecksumMismatch`].
    #[expect(
        clippy::manual_async_fn,
        reason = "an async fn's future keeps a second copy of its arguments (rust-lang/rust#62958)"
    )]
    pub fn send(mut self) -> impl Future<Output = Result<GetObjectOutput, Error>> + Send {
        async move {
            let started = Instant::now();
            let (op, names) = self.operation()?;
            let response = match self.client.send(op).await {
                Ok(response) => response,
                Err(e) if e.code() == Some("InvalidRange") => {
                    let from_zero = self.range.is_some_and(|r| r.starts_at_zero());
                    let Some((bucket, key)) = names.filter(|_| from_zero) else {
                        return Err(e);
                    };
                    // Rare, so its future is boxed rather than kept in every request's.
                    return Box::pin(empty_object(&self.client, bucket, key, e)).await;
                }
                Err(e) => return Err(e),
            };
            let properties = ObjectProperties::from_headers(response.headers());
            let content_range = match (response.status(), self.range) {
                (StatusCode::PARTIAL_CONTENT, Some(range)) => {
                    let parsed = header(response.headers(), &header_names::CONTENT_RANGE)
                        .and_then(parse_content_range);
                    match parsed {
                        Some((first, last, total)) if range.matches(first, last, total) => {
                            Some((first, last, total))
                        }
                        _ => {
                            return Err(Error::invalid_response(format!(
                                "OSS answered Content-Range {:?} to the request {range}",
                                header(response.headers(), &header_names::CONTENT_RANGE)
                            )));
                        }
                    }
                }
                (StatusCode::PARTIAL_CONTENT, None) => {
                    return Err(Error::invalid_response(
                        "OSS answered 206 to a request without Range",
                    ));
                }
                (_, Some(range))
                    if !range.starts_at_zero()
                        || matches!(range, ByteRange::Inclusive { last, .. } if last + 1 < properties.content_length) =>
                {
                    return Err(Error::invalid_response(format!(
                        "OSS ignored the range {range} and sent the whole object"
                    )));
                }
                _ => None,
            };
            let whole_object = content_range.is_none() && self.range.is_none();
            let expected_crc = if whole_object && self.verify_crc64 {
                properties.crc64
            } else {
                None
            };
            let length = match content_range {
                Some((first, last, _)) => Some(last - first + 1),
                None => header(response.headers(), &header_names::CONTENT_LENGTH)
                    .and_then(|v| v.trim_ascii().parse().ok()),
            };
            let (parts, response_body) = response.into_parts();
            let mut properties = properties;
            properties.raw = RawResponse {
                status: parts.status,
                headers: parts.headers,
            };
            let pacing = std::mem::take(&mut self.pacing).reading(length);
            let mut body = ByteStream::new(response_body, length, expected_crc).pacing(pacing);
            let resumes = self
                .max_attempts
                .unwrap_or(self.client.retry_config().max_attempts)
                .saturating_sub(1);
            if let Some((bucket, key)) =
                names.filter(|_| self.resumable && resumes > 0 && !properties.etag.is_empty())
            {
                let (first, last) = match content_range {
                    Some((first, last, _)) => (first, Some(last)),
                    None => (0, length.map(|l| l.saturating_sub(1))),
                };
                let rest = RestOfObject {
                    client: self.client.clone(),
                    bucket,
                    key,
                    version_id: self.version_id.take(),
                    etag: properties.etag.clone(),
                    controls: self.controls,
                    first,
                    last,
                    deadline: self.client.timeouts().deadline.map(|d| started + d),
                };
                body = body.resuming(Resumption::new(rest, resumes));
            }
            Ok(GetObjectOutput {
                body,
                content_range,
                properties,
            })
        }
    }

    /// The GetObject operation, and the bucket and key again where they may be needed after
    /// the answer: a refused range from byte 0 may mean an empty object, and a broken body
    /// resumes. Takes the names out of the builder.
    fn operation(&mut self) -> Result<(OperationRequest, Option<(String, String)>), Error> {
        let bucket = required(self.bucket.take(), "bucket")?;
        let key = required(self.key.take(), "key")?;
        validate::bucket_name(&bucket)?;
        validate::object_key(&key)?;
        let may_be_empty = self.range.is_some_and(|r| r.starts_at_zero());
        let may_resume = self.resumable && self.max_attempts != Some(1);
        let names = (may_be_empty || may_resume).then(|| (bucket.clone(), key.clone()));
        let mut op = OperationRequest::new(Method::GET, Some(bucket), Some(key));
        op.max_attempts = self.max_attempts;
        for (name, value) in &self.overrides {
            validate::header_value(name, value)?;
            op.query.push(*name, value.as_str());
        }
        if let Some(version) = &self.version_id {
            op.query.push("versionId", version.as_str());
        }
        self.conditions.apply(&mut op)?;
        self.controls.apply(&mut op)?;
        if let Some(range) = &self.range {
            op.header(
                "range",
                validate::header_value("Range", &range.to_string())?,
            );
            op.header("x-oss-range-behavior", HeaderValue::from_static("standard"));
        }
        Ok((op, names))
    }
}

/// The rest of an object's bytes after a body broke off: a ranged GetObject pinned to the
/// ETag of the first answer.
struct RestOfObject {
    client: Client,
    bucket: String,
    key: String,
    version_id: Option<String>,
    etag: String,
    controls: RequestControls,
    /// The object offset of the stream's first byte.
    first: u64,
    /// The object offset of the stream's last byte, when known.
    last: Option<u64>,
    /// When the operation must be over.
    deadline: Option<Instant>,
}

impl Reopen for RestOfObject {
    fn reopen(&self, received: u64, resume: u32) -> Reopening {
        let from = self.first + received;
        let range = match self.last {
            Some(last) => ByteRange::Inclusive { first: from, last },
            None => ByteRange::from(from),
        };
        let mut client = self.client.clone();
        if let Some(deadline) = self.deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            client = client.with_timeouts(Timeouts {
                deadline: Some(left),
                ..client.timeouts()
            });
        }
        let wait = client.retry_config().backoff(resume);
        let mut request = client
            .get_object()
            .bucket(self.bucket.as_str())
            .key(self.key.as_str())
            .range(range)
            .if_match(self.etag.as_str())
            .verify_crc64(false)
            .max_attempts(self.client.retry_config().max_attempts);
        request.resumable = false;
        request.controls = self.controls;
        if let Some(version) = &self.version_id {
            request = request.version_id(version.as_str());
        }
        Box::pin(async move {
            tokio::time::sleep(wait).await;
            let rest = request.send().await?;
            rest.body.into_body().ok_or_else(|| {
                Error::invalid_response("the rest of the object came without a body")
            })
        })
    }
}

/// A range from byte 0 was refused: if the object is empty, that is an empty read.
async fn empty_object(
    client: &Client,
    bucket: String,
    key: String,
    original: Error,
) -> Result<GetObjectOutput, Error> {
    let head = client.head_object().bucket(bucket).key(key).send().await?;
    if head.content_length != 0 {
        return Err(original);
    }
    Ok(GetObjectOutput {
        body: ByteStream::empty(),
        content_range: None,
        properties: head,
    })
}

/// Parses `bytes first-last/total`.
fn parse_content_range(value: &str) -> Option<(u64, u64, u64)> {
    let rest = value.trim().strip_prefix("bytes ")?;
    let (span, total) = rest.split_once('/')?;
    let (first, last) = span.split_once('-')?;
    Some((first.parse().ok()?, last.parse().ok()?, total.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::parse_content_range;

    #[test]
    fn parses_content_range() {
        assert_eq!(
            parse_content_range("bytes 100-199/1000"),
            Some((100, 199, 1000))
        );
        assert_eq!(parse_content_range("bytes */1000"), None);
    }
}
