//! SealAppendObject (`POST /bucket/key?seal&position=N`, OSS API reference
//! "SealAppendObject"): ends an Appendable object's appends for good.

use std::time::SystemTime;

use http::Method;

use crate::client::Client;
use crate::error::Error;
use crate::header_names;

use crate::response::header;
use crate::types::{ObjectKey, RawResponse};

/// The answer of SealAppendObject.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SealAppendObjectOutput {
    /// `x-oss-sealed-time`: when the object was first sealed (UTC, whole seconds); sealing
    /// again does not change it.
    pub sealed_time: Option<SystemTime>,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's HTTP status and every header, as received.
    pub raw: RawResponse,
}

impl Client {
    /// SealAppendObject: seals an Appendable object whose length is `position` bytes. Later
    /// AppendObject requests are refused (409 `ObjectNotAppendable`); HeadObject and GetObject
    /// report the seal in
    /// [`sealed_time`](crate::operation::object_properties::ObjectProperties::sealed_time).
    /// Sealing a sealed object again succeeds with the first seal's time.
    ///
    /// # Errors
    /// Input errors before I/O; service errors: 409 `PositionNotEqualToLength` when the object
    /// is not `position` bytes long, 409 `ObjectNotAppendable` for an object that is not
    /// Appendable, `NoSuchKey`.
    pub async fn seal_append_object(
        &self,
        bucket: &str,
        key: impl Into<ObjectKey>,
        position: u64,
    ) -> Result<SealAppendObjectOutput, Error> {
        let mut op = key
            .into()
            .unversioned_request(Method::POST, bucket, "SealAppendObject")?;
        op.query
            .push_flag("seal")
            .push("position", position.to_string());
        self.execute_request(Ok(op), |answer| {
            let raw = answer.raw();
            Ok(SealAppendObjectOutput {
                sealed_time: header(&raw.headers, &header_names::X_OSS_SEALED_TIME)
                    .and_then(|t| httpdate::parse_http_date(t).ok()),
                request_id: raw.request_id(),
                raw,
            })
        })
        .await
    }
}
