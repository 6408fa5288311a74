//! An access point's policy (`?accessPointPolicy`, OSS API reference "PutAccessPointPolicy",
//! "GetAccessPointPolicy", "DeleteAccessPointPolicy") and public access block
//! (`?publicAccessBlock&x-oss-access-point-name=<name>`, "PutAccessPointPublicAccessBlock",
//! …), stored beside the access point record in its bucket's documents and removed with it.
//! The policy is validated as a bucket policy is (400 `InvalidPolicyDocument`), the public
//! access block as the bucket's (400 `MalformedXML`). Both are only stored: requests through
//! access points are not served.

use http::{HeaderValue, StatusCode};

use super::access_point_lookup::named;
use super::bucket_config::{policy, public_access_block, read_document};
use super::{Ctx, Resp, empty, xml_response};
use crate::error::{ErrorCode, OssError};
use crate::pace::ReqBody;
use crate::store::Bucket;

/// Which document of an access point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ApDocument {
    /// Its policy (JSON).
    Policy,
    /// Its `PublicAccessBlockConfiguration`.
    PublicAccessBlock,
}

impl ApDocument {
    /// The document's name in the bucket's documents.
    fn key(self, access_point: &str) -> String {
        match self {
            Self::Policy => format!("accessPointPolicy/{access_point}"),
            Self::PublicAccessBlock => format!("accessPointPublicAccessBlock/{access_point}"),
        }
    }
}

/// Put: validates and stores the body as sent; 200.
pub(crate) async fn put(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    which: ApDocument,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let name = named(ctx, &bucket)?;
    let validate = match which {
        ApDocument::Policy => policy::FAMILY.validate,
        ApDocument::PublicAccessBlock => public_access_block::FAMILY.validate,
    };
    let text = read_document(ctx, body, validate).await?;
    bucket.set_document(&which.key(&name), Some(text))?;
    Ok(empty(StatusCode::OK))
}

/// Get: the stored document; without one, 404 `NoSuchAccessPointPolicy` for the policy and
/// `BlockPublicAccess` false for the public access block.
pub(crate) fn get(ctx: &Ctx<'_>, bucket_name: &str, which: ApDocument) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let name = named(ctx, &bucket)?;
    let stored = bucket.document(&which.key(&name));
    match which {
        ApDocument::Policy => {
            let policy = stored.ok_or_else(|| {
                OssError::new(
                    ErrorCode::NoSuchAccessPointPolicy,
                    "The access point policy does not exist.",
                )
                .with("AccessPointName", &name)
            })?;
            let mut resp = xml_response(StatusCode::OK, policy);
            resp.headers_mut().insert(
                http::header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            Ok(resp)
        }
        ApDocument::PublicAccessBlock => Ok(xml_response(
            StatusCode::OK,
            stored.unwrap_or_else(|| public_access_block::DEFAULT.to_owned()),
        )),
    }
}

/// Delete: removes the document (also when there was none); 204.
pub(crate) fn delete(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    which: ApDocument,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let name = named(ctx, &bucket)?;
    bucket.set_document(&which.key(&name), None)?;
    Ok(empty(StatusCode::NO_CONTENT))
}

/// Whether access point `name` of `bucket` blocks public access.
pub(crate) fn block_public_access(bucket: &Bucket, name: &str) -> bool {
    bucket
        .document(&ApDocument::PublicAccessBlock.key(name))
        .is_some_and(|d| public_access_block::is_blocking(&d))
}

/// Removes both documents of access point `name` (when it is deleted).
pub(crate) fn remove_documents(bucket: &Bucket, name: &str) -> Result<(), OssError> {
    for which in [ApDocument::Policy, ApDocument::PublicAccessBlock] {
        bucket.set_document(&which.key(name), None)?;
    }
    Ok(())
}
