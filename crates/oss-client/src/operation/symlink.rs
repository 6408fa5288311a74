//! Symbolic links (`?symlink`, OSS API reference "PutSymlink", "GetSymlink").

use http::Method;
use oss_auth::sign::{percent_decode, uri_encode};

use crate::client::Client;
use crate::error::Error;
use crate::header_names;
use crate::operation::bucket_config::EmptyOutput;
use crate::response::header;
use crate::types::ObjectKey;
use crate::types::RawResponse;
use crate::validate;

impl Client {
    /// PutSymlink: makes `key` a symbolic link to `target` (an object key in the same bucket).
    ///
    /// # Errors
    /// Input errors; service errors.
    pub async fn put_symlink(
        &self,
        bucket: &str,
        key: impl Into<ObjectKey>,
        target: &str,
    ) -> Result<EmptyOutput, Error> {
        validate::object_key(target)?;
        let mut op = key
            .into()
            .unversioned_request(Method::PUT, bucket, "PutSymlink")?;
        op.query.push_flag("symlink");
        op.header(
            "x-oss-symlink-target",
            validate::header_value("x-oss-symlink-target", &uri_encode(target, false))?,
        );
        self.execute_request(Ok(op), |answer| Ok(EmptyOutput::from_answer(&answer)))
            .await
    }

    /// GetSymlink (`GET /bucket/key?symlink`): the target key of a symbolic link, of the latest
    /// version or of the one `key` names ([`ObjectKey::version_id`]).
    ///
    /// # Errors
    /// Input errors; service errors (`NoSuchKey`, `NoSuchVersion`, or `NotSymlink` when `key`
    /// is not a link).
    pub async fn get_symlink(
        &self,
        bucket: &str,
        key: impl Into<ObjectKey>,
    ) -> Result<GetSymlinkOutput, Error> {
        let mut op = key.into().request(Method::GET, bucket)?;
        op.query.push_flag("symlink");
        self.execute_request(Ok(op), |answer| {
            let raw = answer.raw();
            let target =
                header(&raw.headers, &header_names::X_OSS_SYMLINK_TARGET).ok_or_else(|| {
                    Error::invalid_response("GetSymlink answered without x-oss-symlink-target")
                })?;
            Ok(GetSymlinkOutput {
                target: percent_decode(target, false),
                request_id: raw.request_id(),
                raw,
            })
        })
        .await
    }
}

/// The answer of GetSymlink.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct GetSymlinkOutput {
    /// The link's target key (decoded from `x-oss-symlink-target`).
    pub target: String,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's status and headers.
    pub raw: RawResponse,
}
