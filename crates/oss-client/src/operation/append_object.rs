//! AppendObject (`POST /bucket/key?append&position=N`, OSS API reference "AppendObject").

use http::Method;
use oss_http::Body;

use super::object_headers::ObjectHeaders;
use crate::checksum::{CrcObserver, crc64_combine};
use crate::client::Client;
use crate::error::{Error, ErrorKind};
use crate::header_names;
use crate::request::OperationRequest;
use crate::response::{header_parse, header_string};

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
            attributes: ObjectHeaders::default(),
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
    attributes: ObjectHeaders,
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
}

impl AppendObjectRequest {
    /// The bucket (required).
    pub fn bucket(mut self, bucket: impl Into<String>) -> Self {
        self.bucket = Some(bucket.into());
        self
    }

    /// The object key (required).
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
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
        self.header("content-type", value)
    }

    /// `Cache-Control` (used when the append creates the object).
    pub fn cache_control(self, value: impl Into<String>) -> Self {
        self.header("cache-control", value)
    }

    /// `Content-Disposition` (used when the append creates the object).
    pub fn content_disposition(self, value: impl Into<String>) -> Self {
        self.header("content-disposition", value)
    }

    /// `Content-Encoding` (used when the append creates the object; bytes are stored as
    /// sent).
    pub fn content_encoding(self, value: impl Into<String>) -> Self {
        self.header("content-encoding", value)
    }

    /// `Expires` (used when the append creates the object).
    pub fn expires(self, value: impl Into<String>) -> Self {
        self.header("expires", value)
    }

    /// A user metadata entry (used when the append creates the object), sent as
    /// `x-oss-meta-<name>`; a name given twice (case-insensitively) is refused with
    /// [`ErrorKind::DuplicateName`].
    pub fn metadata(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.attributes.metadata(name.into(), value.into());
        self
    }

    /// A tag (used when the append creates the object); a key given twice is refused with
    /// [`ErrorKind::DuplicateName`].
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.attributes.tag(key.into(), value.into());
        self
    }

    fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.attributes.set(name, value.into());
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    /// Input errors; `ObjectNotAppendable`, `PositionNotEqualToLength` (whose
    /// [`ServiceError::next_append_position`](crate::ServiceError::next_append_position) says
    /// where to append); [`ErrorKind::ChecksumMismatch`] when the chained CRC-64 differs.
    pub async fn send(self) -> Result<AppendObjectOutput, Error> {
        let mut op = OperationRequest::object(Method::POST, self.bucket, self.key)?;
        op.query
            .push_flag("append")
            .push("position", self.position.to_string());
        self.attributes.apply(&mut op)?;
        let length = self.body.content_length();
        let crc = CrcObserver::new();
        op.body = self.body.observe(crc.clone());
        let headers = self.client.send_for_headers(op).await?;
        let reported: Option<u64> = header_parse(&headers, &header_names::X_OSS_HASH_CRC64ECMA);
        let previous = self.previous_crc64.or((self.position == 0).then_some(0));
        if let (Some(previous), Some(reported)) = (previous, reported) {
            let appended = crc.finish();
            let expected = crc64_combine(previous, appended, length);
            if expected != reported {
                return Err(Error::new(
                    ErrorKind::ChecksumMismatch,
                    format!(
                        "CRC-64 mismatch after append: expected {expected}, OSS reported {reported}"
                    ),
                ));
            }
        }
        Ok(AppendObjectOutput {
            next_position: header_parse(&headers, &header_names::X_OSS_NEXT_APPEND_POSITION)
                .unwrap_or(self.position + length),
            crc64: reported,
            request_id: header_string(&headers, &header_names::X_OSS_REQUEST_ID),
        })
    }
}
