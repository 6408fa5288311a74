//! What OSS lets an unsigned (anonymous) request do. The bucket's ACL decides, and for a read
//! of one object the object's own ACL (`default` follows the bucket):
//!
//! | ACL | reads (GetObject, HeadObject, GetObjectMeta, GetSymlink, listing) | writes (put, append, delete, multipart, symlink) |
//! | --- | --- | --- |
//! | `private` | 403 `AccessDenied` | 403 `AccessDenied` |
//! | `public-read` | allowed | 403 `AccessDenied` |
//! | `public-read-write` | allowed | allowed |
//!
//! Then the account's and the bucket's own settings: while PutPublicAccessBlock's (the
//! account's) or PutBucketPublicAccessBlock's `BlockPublicAccess` is
//! `true` every unsigned request (but the preflight) is refused whatever the ACLs and the
//! policy say; a bucket policy statement for principal `*` that denies the request's action
//! (`oss:` + the operation name, HeadObject and GetObjectMeta counting as `oss:GetObject`)
//! on its resource (`acs:oss:<region>:<owner>:<bucket>[/<key>]`) refuses it, one that allows
//! it grants it even where the ACLs do not (the reads and writes above; what needs the
//! owner stays refused).
//!
//! A CORS preflight (OptionObject) needs nothing: the bucket's CORS rules decide it.
//! Everything else (bucket creation and configuration, ACLs, tagging, versioning settings,
//! ListBuckets, restores, copies) needs a signature, whatever the ACLs say. A copy is refused
//! because its source's ACL is not checked here.

use crate::error::{ErrorCode, OssError};
use crate::handlers::account_public_access::account_blocks;
use crate::handlers::bucket_config::policy::{Verdict, anonymous_verdict};
use crate::handlers::bucket_config::public_access_block::blocks;
use crate::operation::Operation;
use crate::router::Target;
use crate::state::State;

/// What an operation needs from the ACLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    /// Reading an object or listing the bucket.
    Read,
    /// Writing or deleting objects.
    Write,
    /// Only the owner, with a signature.
    Owner,
    /// Nothing: the CORS preflight (OptionObject) is unsigned by design; the bucket's CORS
    /// rules decide it.
    Nothing,
}

fn need(op: Operation) -> Need {
    use Operation as Op;
    match op {
        Op::GetObject
        | Op::HeadObject
        | Op::GetObjectMeta
        | Op::GetSymlink
        | Op::ListObjects
        | Op::ListObjectsV2 => Need::Read,
        Op::PutObject
        | Op::AppendObject
        | Op::DeleteObject
        | Op::DeleteMultipleObjects
        | Op::PutSymlink
        | Op::InitiateMultipartUpload
        | Op::UploadPart
        | Op::CompleteMultipartUpload
        | Op::AbortMultipartUpload
        | Op::ListParts => Need::Write,
        Op::OptionObject => Need::Nothing,
        _ => Need::Owner,
    }
}

/// Whether `need` is granted by `acl` (`private`, `public-read`, `public-read-write`).
fn grants(acl: &str, need: Need) -> bool {
    match need {
        Need::Read => acl == "public-read" || acl == "public-read-write",
        Need::Write => acl == "public-read-write",
        Need::Owner => false,
        Need::Nothing => true,
    }
}

/// The ACL that governs a read of `key` (given `version_id`) in a bucket with `bucket_acl`:
/// the object's own ACL unless it is `default` or the object does not exist.
fn read_acl(object_acl: Option<String>, bucket_acl: String) -> String {
    object_acl
        .filter(|acl| acl != "default")
        .unwrap_or(bucket_acl)
}

/// Checks an unsigned request for `op` on `target`.
///
/// # Errors
/// 403 `AccessDenied` when the public access block, the bucket policy or the ACLs refuse
/// it; 404 `NoSuchBucket` for a missing bucket.
pub(crate) fn check(
    state: &State,
    op: Operation,
    target: &Target,
    version_id: Option<&str>,
) -> Result<(), OssError> {
    let need = need(op);
    let Some(bucket_name) = target.bucket.as_deref() else {
        return Err(denied("You have no right to access this resource."));
    };
    if need == Need::Nothing {
        return Ok(());
    }
    let bucket = state.store.bucket(bucket_name)?;
    if account_blocks(state) {
        return Err(denied(
            "Public access is blocked by the account's public access block.",
        ));
    }
    if blocks(&bucket) {
        return Err(denied(
            "Public access is blocked by the bucket's public access block.",
        ));
    }
    let mut resource = format!("acs:oss:{}:{}:{bucket_name}", state.region, state.owner_id);
    if let Some(key) = target.key.as_deref() {
        resource = format!("{resource}/{key}");
    }
    match anonymous_verdict(&bucket, &policy_action(op), &resource) {
        Verdict::Deny => return Err(denied("Access denied by bucket policy.")),
        _ if need == Need::Owner => {
            return Err(denied("You have no right to access this resource."));
        }
        Verdict::Allow => return Ok(()),
        Verdict::Silent => {}
    }
    let bucket_acl = bucket.config().acl;
    let acl = match (need, target.key.as_deref()) {
        (Need::Read, Some(key)) => {
            let object = match version_id {
                Some(version_id) => bucket.version(key, version_id),
                None => bucket.latest(key),
            };
            read_acl(object.map(|o| o.attrs().acl.clone()), bucket_acl)
        }
        _ => bucket_acl,
    };
    if grants(&acl, need) {
        Ok(())
    } else if target.key.is_some() {
        Err(denied(
            "You have no right to access this object because of bucket acl.",
        ))
    } else {
        Err(denied(
            "You have no right to access this bucket because of bucket acl.",
        ))
    }
}

/// The policy action an operation is checked as (`oss:GetObject`, `oss:PutObject`, …).
fn policy_action(op: Operation) -> String {
    match op {
        Operation::HeadObject | Operation::GetObjectMeta => "oss:GetObject".to_owned(),
        other => {
            let name = format!("{other:?}");
            format!("oss:{}", name.split('(').next().unwrap_or(&name))
        }
    }
}

fn denied(message: &str) -> OssError {
    OssError::new(ErrorCode::AccessDenied, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acls_grant_reads_and_writes_as_oss_does() {
        for (acl, read, write) in [
            ("private", false, false),
            ("public-read", true, false),
            ("public-read-write", true, true),
        ] {
            assert_eq!(grants(acl, Need::Read), read, "{acl}");
            assert_eq!(grants(acl, Need::Write), write, "{acl}");
            assert!(!grants(acl, Need::Owner), "{acl}");
        }
        assert_eq!(need(Operation::HeadObject), Need::Read);
        assert_eq!(need(Operation::UploadPart), Need::Write);
        assert_eq!(need(Operation::PutObjectAcl), Need::Owner);
        assert_eq!(need(Operation::CopyObject), Need::Owner);
    }

    #[test]
    fn an_object_acl_overrides_the_bucket_unless_default() {
        let read = |object: Option<&str>, bucket: &str| {
            read_acl(object.map(str::to_owned), bucket.to_owned())
        };
        assert_eq!(read(Some("default"), "public-read"), "public-read");
        assert_eq!(read(Some("private"), "public-read"), "private");
        assert_eq!(read(Some("public-read"), "private"), "public-read");
        assert_eq!(read(None, "private"), "private");
    }
}
