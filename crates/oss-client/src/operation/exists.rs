//! Existence checks (the official Go v2 SDK's `IsObjectExist` and `IsBucketExist`): a
//! HeadObject or a GetBucketAcl whose `404` answer means "absent".

use http::Method;

use crate::client::Client;
use crate::error::Error;
use crate::types::ObjectKey;

/// Whether `error` is OSS saying the object or bucket does not exist (404 `NoSuchKey` or
/// `NoSuchBucket`); every other error stands.
fn absent(error: Error) -> Result<bool, Error> {
    let missing = error.as_service_error().is_some_and(|e| {
        e.status() == http::StatusCode::NOT_FOUND
            && matches!(e.code(), "NoSuchKey" | "NoSuchBucket")
    });
    if missing { Ok(false) } else { Err(error) }
}

impl Client {
    /// Whether an object exists, by HeadObject (`HEAD /bucket/key`), of the latest version or
    /// of the one `key` names ([`ObjectKey::version_id`]).
    ///
    /// `Ok(false)` only for OSS's 404 `NoSuchKey` or `NoSuchBucket` (the code comes from the
    /// `x-oss-err` header of the HEAD answer); anything else is an error, e.g. 403
    /// `AccessDenied` (the object may well exist) or a transport failure, so "cannot tell" is
    /// never reported as "absent". A delete marker as the latest version counts as absent.
    ///
    /// ```no_run
    /// # async fn demo(client: oss_client::Client) -> Result<(), oss_client::Error> {
    /// use oss_client::types::ObjectKey;
    ///
    /// if !client.object_exists("examplebucket", "report.csv").await? {
    ///     println!("not there yet");
    /// }
    /// let old = ObjectKey::new("report.csv").version_id("CAEQNhiBgM0BYiIDc4MGZjZGI2OTBjOTRmNTE5NmU5NmFmZjI3MzUyMWUz");
    /// let kept = client.object_exists("examplebucket", old).await?;
    /// # let _ = kept; Ok(()) }
    /// ```
    ///
    /// # Errors
    /// Input errors before I/O (bucket name, object key); every service error but the two
    /// 404s above; transport errors.
    pub async fn object_exists(
        &self,
        bucket: &str,
        key: impl Into<ObjectKey>,
    ) -> Result<bool, Error> {
        let op = key.into().request(Method::HEAD, bucket)?;
        match self.execute_request(Ok(op), |_| Ok(())).await {
            Ok(_) => Ok(true),
            Err(e) => absent(e),
        }
    }

    /// Whether a bucket exists, by GetBucketAcl (`GET /?acl`, as the official SDKs do: it
    /// needs only read access to the bucket's ACL).
    ///
    /// `Ok(false)` only for OSS's 404 `NoSuchBucket`; a 403 (the bucket exists but belongs to
    /// another account, or the policy refuses) is an error.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidBucketName`] before I/O; every service error but 404
    /// `NoSuchBucket`; transport errors.
    pub async fn bucket_exists(&self, bucket: &str) -> Result<bool, Error> {
        match self.get_bucket_acl(bucket).await {
            Ok(_) => Ok(true),
            Err(e) => absent(e),
        }
    }
}
