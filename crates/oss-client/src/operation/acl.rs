//! Access control lists of objects and buckets (`?acl`, OSS API reference "PutObjectACL",
//! "GetObjectACL", "PutBucketAcl", "GetBucketAcl").

use http::Method;

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::request::OperationRequest;
use crate::types::{ObjectKey, Owner, RawResponse};
use crate::{validate, xml};

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

/// What an ACL belongs to.
enum AclTarget {
    /// A bucket (`x-oss-acl`).
    Bucket(String),
    /// An object or one of its versions (`x-oss-object-acl`).
    Object(String, ObjectKey),
}

impl AclTarget {
    /// `?acl` on the target.
    fn request(self, method: Method) -> Result<OperationRequest, Error> {
        let mut op = match self {
            Self::Bucket(bucket) => OperationRequest::bucket(method, Some(bucket))?,
            Self::Object(bucket, key) => key.request(method, &bucket)?,
        };
        op.query.push_flag("acl");
        Ok(op)
    }
}

/// PutBucketAcl and PutObjectACL.
struct PutAcl(AclTarget, Acl);

/// GetBucketAcl and GetObjectACL.
struct GetAcl(AclTarget);

impl Operation for PutAcl {
    type Output = PutAclOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let Self(target, acl) = self;
        let header = match target {
            AclTarget::Bucket(_) if acl == Acl::Default => {
                return Err(Error::invalid_argument("a bucket ACL cannot be `default`"));
            }
            AclTarget::Bucket(_) => "x-oss-acl",
            AclTarget::Object(..) => "x-oss-object-acl",
        };
        let mut op = target.request(Method::PUT)?;
        op.header(header, validate::header_value(header, acl.as_str())?);
        Ok(op)
    }

    fn output(answer: Answer) -> Result<PutAclOutput, Error> {
        Ok(PutAclOutput {
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
}

impl Operation for GetAcl {
    type Output = AclOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        self.0.request(Method::GET)
    }

    fn output(answer: Answer) -> Result<AclOutput, Error> {
        let root = xml::parse(&answer.body)?;
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
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
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
        let target = AclTarget::Object(bucket.to_owned(), key.into());
        self.execute(PutAcl(target, acl)).await
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
        let target = AclTarget::Object(bucket.to_owned(), key.into());
        self.execute(GetAcl(target)).await
    }

    /// PutBucketAcl (`default` is not a bucket ACL).
    ///
    /// # Errors
    /// Input errors; service errors.
    pub async fn put_bucket_acl(&self, bucket: &str, acl: Acl) -> Result<PutAclOutput, Error> {
        let target = AclTarget::Bucket(bucket.to_owned());
        self.execute(PutAcl(target, acl)).await
    }

    /// GetBucketAcl.
    ///
    /// # Errors
    /// Input errors; service errors.
    pub async fn get_bucket_acl(&self, bucket: &str) -> Result<AclOutput, Error> {
        self.execute(GetAcl(AclTarget::Bucket(bucket.to_owned())))
            .await
    }
}
