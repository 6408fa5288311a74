//! AppendObject (`POST /bucket/key?append&position=N`, OSS API reference "AppendObject").

use http::Method;
use oss_http::Body;

use super::encryption::ServerSideEncryptionInfo;
use super::object_options::ObjectOptions;
use crate::checksum::{CrcObserver, crc64_combine};
use crate::client::Client;
use crate::error::{Error, ErrorKind};
use crate::header_names;
use crate::request::OperationRequest;
use crate::response::{header_parse, header_string};
use crate::settle::{Sent, Settled};
use crate::types::RawResponse;

impl Client {
    /// AppendObject: appends to an Appendable object (creating it at position 0).
    pub fn append_object(&self) -> AppendObjectRequest {
        AppendObjectRequest {
            client: self.clone(),
            bucket: None,
            key: None,
            position: 0,
            previous_crc64: None,
            body: Body::empty(),
            options: ObjectOptions::default(),
            pacing: crate::pacing::Pacing::default(),
        }
    }
}

/// An AppendObject request.
#[derive(Debug)]
pub struct AppendObjectRequest {
    client: Client,
    bucket: Option<String>,
    key: Option<String>,
    position: u64,
    previous_crc64: Option<u64>,
    body: Body,
    options: ObjectOptions,
    pacing: crate::pacing::Pacing,
}

/// The answer of AppendObject.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AppendObjectOutput {
    /// `x-oss-next-append-position`: the object's length, the position of the next append.
    pub next_position: u64,
    /// `x-oss-hash-crc64ecma`: CRC-64 of the whole object so far.
    pub crc64: Option<u64>,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The server-side encryption of the object (`x-oss-server-side-encryption*`).
    pub server_side_encryption: Option<ServerSideEncryptionInfo>,
    /// The answer's status and headers as received (those of the HeadObject when a lost
    /// answer was settled by one).
    pub raw: RawResponse,
}

impl AppendObjectRequest {
    crate::setters::setters! {
        /// The bucket (required).
        bucket: String;
        /// The object key (required).
        key: String;
    }

    /// Where this data goes: the object's current length (0 to create it); a mismatch is
    /// `PositionNotEqualToLength` (409).
    pub fn position(mut self, position: u64) -> Self {
        self.position = position;
        self
    }

    /// The CRC-64 of the object before this append (from the previous answer); with it, the
    /// new whole-object CRC is checked.
    pub fn previous_crc64(mut self, crc: u64) -> Self {
        self.previous_crc64 = Some(crc);
        self
    }

    /// The data to append.
    pub fn body(mut self, body: impl Into<Body>) -> Self {
        self.body = body.into();
        self
    }

    /// `Content-Type` (used when the append creates the object).
    pub fn content_type(self, value: impl Into<String>) -> Self {
        self.with(|o| o.content_type(value))
    }

    /// `Cache-Control` (used when the append creates the object).
    pub fn cache_control(self, value: impl Into<String>) -> Self {
        self.with(|o| o.cache_control(value))
    }

    /// `Content-Disposition` (used when the append creates the object).
    pub fn content_disposition(self, value: impl Into<String>) -> Self {
        self.with(|o| o.content_disposition(value))
    }

    /// `Content-Encoding` (used when the append creates the object; bytes are stored as
    /// sent).
    pub fn content_encoding(self, value: impl Into<String>) -> Self {
        self.with(|o| o.content_encoding(value))
    }

    /// `Expires` (used when the append creates the object).
    pub fn expires(self, value: impl Into<String>) -> Self {
        self.with(|o| o.expires(value))
    }

    /// A user metadata entry (used when the append creates the object), sent as
    /// `x-oss-meta-<name>`; a name given twice (case-insensitively) is refused with
    /// [`ErrorKind::DuplicateName`].
    pub fn metadata(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.with(|o| o.metadata(name, value))
    }

    /// A tag (used when the append creates the object); a key given twice is refused with
    /// [`ErrorKind::DuplicateName`].
    pub fn tag(self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.with(|o| o.tag(key, value))
    }

    /// Adds every option set in `options` (server-side encryption, ACL, storage class, traffic
    /// limit, request payer, Content-Type detection…; the attributes are used when the append
    /// creates the object): values replace those set earlier, metadata and tags are added.
    /// A missing Content-Type is guessed from the key; see [`ObjectOptions`].
    pub fn options(mut self, options: ObjectOptions) -> Self {
        self.options.merge(options);
        self
    }

    fn with(mut self, set: impl FnOnce(ObjectOptions) -> ObjectOptions) -> Self {
        self.options = set(std::mem::take(&mut self.options));
        self
    }

    /// Reports this request's progress: called with `(bytes, Some(bytes))` once OSS has
    /// answered (a single request's bytes are acknowledged together).
    pub fn progress(mut self, callback: crate::transfer::ProgressFn) -> Self {
        self.pacing.set_progress(callback);
        self
    }

    /// Waits for this request's bytes from a client-side bandwidth limit before sending them
    /// (shared with every request and transfer given the same [`crate::transfer::RateLimit`]).
    pub fn rate_limit(mut self, limit: crate::transfer::RateLimit) -> Self {
        self.pacing.set_rate(limit);
        self
    }

    /// Sends the request. When the answer is lost (the connection breaks or times out after
    /// the data went out, or OSS answers 5xx), the append is not blindly sent again: a
    /// HeadObject tells whether it was applied (the object's length is `position` plus the
    /// data's, and its CRC-64 matches when `previous_crc64` is known), in which case that is
    /// the answer, or not (the length is still `position`), in which case it is sent again
    /// within the client's attempts (the rules of `docs/errors.md`, "Writes whose answer is lost"). An append is never applied
    /// twice.
    ///
    /// # Errors
    /// Input errors; `ObjectNotAppendable`, `PositionNotEqualToLength` (whose
    /// [`ServiceError::next_append_position`](crate::ServiceError::next_append_position) says
    /// where to append); [`ErrorKind::ChecksumMismatch`] when the chained CRC-64 differs; the
    /// transport or service error of a lost answer whose outcome the HeadObject cannot settle.
    pub async fn send(self) -> Result<AppendObjectOutput, Error> {
        let mut op = OperationRequest::object(Method::POST, self.bucket, self.key)?;
        op.query
            .push_flag("append")
            .push("position", self.position.to_string());
        self.options.apply(&mut op, None)?;
        let length = self.body.content_length();
        self.pacing.before_upload(length).await;
        let crc = CrcObserver::new();
        op.body = self.body.observe(crc.clone());
        let previous = self.previous_crc64.or((self.position == 0).then_some(0));
        let appended = Appended {
            client: &self.client,
            bucket: op.bucket.clone().unwrap_or_default(),
            key: op.key.clone().unwrap_or_default(),
            position: self.position,
            length,
            previous,
            crc: &crc,
        };
        let (status, headers) = match self.client.send_settled(op, || appended.settle()).await? {
            Sent::Answered(response) => {
                let parts = response.into_parts().0;
                (parts.status, parts.headers)
            }
            Sent::Settled(output) => {
                self.pacing.uploaded(length);
                return Ok(output);
            }
        };
        let reported: Option<u64> = header_parse(&headers, &header_names::X_OSS_HASH_CRC64ECMA);
        if let (Some(previous), Some(reported)) = (previous, reported) {
            let expected = crc64_combine(previous, crc.finish(), length);
            if expected != reported {
                return Err(Error::new(
                    ErrorKind::ChecksumMismatch,
                    format!(
                        "CRC-64 mismatch after append: expected {expected}, OSS reported {reported}"
                    ),
                ));
            }
        }
        self.pacing.uploaded(length);
        Ok(AppendObjectOutput {
            next_position: header_parse(&headers, &header_names::X_OSS_NEXT_APPEND_POSITION)
                .unwrap_or(self.position + length),
            crc64: reported,
            request_id: header_string(&headers, &header_names::X_OSS_REQUEST_ID),
            server_side_encryption: ServerSideEncryptionInfo::from_headers(&headers),
            raw: RawResponse { status, headers },
        })
    }
}

/// An append whose answer may have been lost, and how to tell whether OSS applied it.
struct Appended<'a> {
    client: &'a Client,
    bucket: String,
    key: String,
    position: u64,
    length: u64,
    /// The CRC-64 of the object before the append, when known.
    previous: Option<u64>,
    /// The CRC-64 of the appended bytes, as sent.
    crc: &'a CrcObserver,
}

impl Appended<'_> {
    /// Applied when the object is now `position + length` long (with the chained CRC-64 when
    /// it can be computed); not applied when it is still `position` long (or absent at 0).
    async fn settle(&self) -> Result<Settled<AppendObjectOutput>, Error> {
        let head = self
            .client
            .head_object()
            .bucket(self.bucket.as_str())
            .key(self.key.as_str())
            .send()
            .await;
        let head = match head {
            Err(e) if e.code() == Some("NoSuchKey") && self.position == 0 => {
                return Ok(Settled::NotApplied);
            }
            other => other?,
        };
        if head.content_length == self.position {
            return Ok(Settled::NotApplied);
        }
        if head.content_length != self.position + self.length {
            return Ok(Settled::Unknown);
        }
        let chained = self
            .previous
            .map(|previous| crc64_combine(previous, self.crc.finish(), self.length));
        if let (Some(expected), Some(stored)) = (chained, head.crc64) {
            if expected != stored {
                return Ok(Settled::Unknown);
            }
        }
        Ok(Settled::Applied(AppendObjectOutput {
            next_position: head.content_length,
            crc64: head.crc64,
            request_id: head.request_id,
            server_side_encryption: head.server_side_encryption,
            raw: head.raw,
        }))
    }
}
