//! Symbolic links (`?symlink`, OSS API reference "PutSymlink", "GetSymlink").

use http::Method;
use oss_auth::sign::{percent_decode, uri_encode};

use crate::client::Client;
use crate::error::Error;
use crate::header_names;
use crate::response::header;
use crate::types::ObjectKey;
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
    ) -> Result<String, Error> {
        validate::object_key(target)?;
        let mut op = key
            .into()
            .unversioned_request(Method::PUT, bucket, "PutSymlink")?;
        op.query.push_flag("symlink");
        op.header(
            "x-oss-symlink-target",
            validate::header_value("x-oss-symlink-target", &uri_encode(target, false))?,
        );
        Ok(self.send_for_headers(op).await?.request_id())
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
    ) -> Result<String, Error> {
        let mut op = key.into().request(Method::GET, bucket)?;
        op.query.push_flag("symlink");
        let headers = self.send_for_headers(op).await?;
        let target =
            header(&headers.headers, &header_names::X_OSS_SYMLINK_TARGET).ok_or_else(|| {
                Error::invalid_response("GetSymlink answered without x-oss-symlink-target")
            })?;
        Ok(percent_decode(target, false))
    }
}
