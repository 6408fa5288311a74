//! Access control lists of objects and buckets (`?acl`, OSS API reference "PutObjectACL",
//! "GetObjectACL", "PutBucketAcl", "GetBucketAcl").

use http::Method;

use crate::client::Client;
use crate::error::Error;
use crate::request::OperationRequest;
use crate::types::{ObjectKey, Owner, RawResponse};
use crate::validate;

/// A canned ACL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Acl {
    /// Objects only: follow the bucket's ACL.
    Default,
    /// Only the owner and authorised users.
    Private,
    /// Anyone may read.
    PublicRead,
    /// Anyone may read and write.
    PublicReadWrite,
}

impl Acl {
    /// The wire value (`private`, `public-read`…).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Default => "default",
            Self::Private => "private",
            Self::PublicRead => "public-read",
            Self::PublicReadWrite => "public-read-write",
        }
    }

    fn parse(text: &str) -> Result<Self, Error> {
        Ok(match text.trim() {
            "default" => Self::Default,
            "private" => Self::Private,
            "public-read" => Self::PublicRead,
            "public-read-write" => Self::PublicReadWrite,
            other => return Err(Error::invalid_response(format!("unknown ACL {other:?}"))),
        })
    }
}

/// An ACL and its owner.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AclOutput {
    /// The ACL.
    pub acl: Acl,
    /// The owner.
    pub owner: Owner,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's HTTP status and every header, as received.
    pub raw: RawResponse,
}

/// The answer of a put-ACL request.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PutAclOutput {
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's HTTP status and every header, as received.
    pub raw: RawResponse,
}

impl Client {
    /// PutObjectACL (`PUT /bucket/key?acl`): the object's ACL, of the latest version or of the
    /// one `key` names ([`ObjectKey::version_id`]).
    ///
    /// # Errors
    /// Input errors; service errors (`NoSuchKey`, `NoSuchVersion`…).
    pub async fn put_object_acl(
        &self,
        bucket: &str,
        key: impl Into<ObjectKey>,
        acl: Acl,
    ) -> Result<PutAclOutput, Error> {
        let mut op = key.into().request(Method::PUT, bucket)?;
        op.query.push_flag("acl");
        op.header(
            "x-oss-object-acl",
            validate::header_value("x-oss-object-acl", acl.as_str())?,
        );
        let raw = self.send_for_headers(op).await?;
        Ok(PutAclOutput {
            request_id: raw.request_id(),
            raw,
        })
    }

    /// GetObjectACL (`GET /bucket/key?acl`), of the latest version or of the one `key` names.
    ///
    /// # Errors
    /// Input errors; service errors (`NoSuchKey`, `NoSuchVersion`…).
    pub async fn get_object_acl(
        &self,
        bucket: &str,
        key: impl Into<ObjectKey>,
    ) -> Result<AclOutput, Error> {
        let mut op = key.into().request(Method::GET, bucket)?;
        op.query.push_flag("acl");
        self.read_acl(op).await
    }

    /// PutBucketAcl (`default` is not a bucket ACL).
    ///
    /// # Errors
    /// Input errors; service errors.
    pub async fn put_bucket_acl(&self, bucket: &str, acl: Acl) -> Result<PutAclOutput, Error> {
        if acl == Acl::Default {
            return Err(Error::invalid_argument("a bucket ACL cannot be `default`"));
        }
        let mut op = OperationRequest::bucket(Method::PUT, Some(bucket.to_owned()))?;
        op.query.push_flag("acl");
        op.header(
            "x-oss-acl",
            validate::header_value("x-oss-acl", acl.as_str())?,
        );
        let raw = self.send_for_headers(op).await?;
        Ok(PutAclOutput {
            request_id: raw.request_id(),
            raw,
        })
    }

    /// GetBucketAcl.
    ///
    /// # Errors
    /// Input errors; service errors.
    pub async fn get_bucket_acl(&self, bucket: &str) -> Result<AclOutput, Error> {
        let mut op = OperationRequest::bucket(Method::GET, Some(bucket.to_owned()))?;
        op.query.push_flag("acl");
        self.read_acl(op).await
    }

    async fn read_acl(&self, op: OperationRequest) -> Result<AclOutput, Error> {
        let (raw, root) = self.send_for_xml(op).await?;
        let grant = root
            .child("AccessControlList")
            .and_then(|l| l.child_text("Grant"))
            .ok_or_else(|| Error::invalid_response("the ACL answer has no Grant"))?;
        let owner = root
            .child("Owner")
            .map(|o| Owner {
                id: o.text_or_empty("ID"),
                display_name: o.text_or_empty("DisplayName"),
            })
            .unwrap_or_default();
        Ok(AclOutput {
            acl: Acl::parse(grant)?,
            owner,
            request_id: raw.request_id(),
            raw,
        })
    }
}
