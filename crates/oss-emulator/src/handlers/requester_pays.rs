//! Pay-by-requester as the bucket's `RequestPaymentConfiguration` (PutBucketRequestPayment,
//! `bucket_config/request_payment.rs`) decides it. While `Payer` is `Requester`:
//!
//! * unsigned requests are refused (OSS must know whom to charge), but the CORS preflight;
//! * a request signed by a requester other than the bucket owner must carry
//!   `x-oss-request-payer: requester` (header, or query parameter in a presigned URL);
//! * the owner's requests need nothing.
//!
//! The emulator has one account: its root AccessKey is the bucket owner, and a request
//! signed with STS temporary credentials (it carries a security token) counts as another
//! requester, as a role of another account assumed through STS would.
//!
//! A refusal is 403 `AccessDenied`.

use super::xml_body;
use crate::config_family::ConfigFamily;
use crate::error::{ErrorCode, OssError};
use crate::operation::Operation;
use crate::state::State;

/// Who sent a request, as pay-by-requester sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Requester {
    /// No signature.
    Anonymous,
    /// Signed with the root AccessKey.
    Owner,
    /// Signed with temporary credentials.
    Other,
}

/// Checks a request for `op` on `bucket` by `requester`; `declared` is whether it carried
/// `x-oss-request-payer: requester`.
///
/// # Errors
/// 403 `AccessDenied` as the module docs say.
pub(crate) fn check(
    state: &State,
    op: Operation,
    bucket: &str,
    requester: Requester,
    declared: bool,
) -> Result<(), OssError> {
    if requester == Requester::Owner
        || op == Operation::OptionObject
        || !requester_pays(state, bucket)
    {
        return Ok(());
    }
    match requester {
        Requester::Anonymous => Err(OssError::new(
            ErrorCode::AccessDenied,
            "Anonymous access is forbidden for a requester pays bucket.",
        )),
        _ if declared => Ok(()),
        _ => Err(OssError::new(
            ErrorCode::AccessDenied,
            "Access denied for requester pay bucket: the request needs x-oss-request-payer: requester.",
        )
        .with("BucketName", bucket)),
    }
}

/// Whether the bucket's `Payer` is `Requester`.
fn requester_pays(state: &State, bucket: &str) -> bool {
    state
        .store
        .bucket(bucket)
        .ok()
        .and_then(|b| b.document(ConfigFamily::RequestPayment.name()))
        .and_then(|d| xml_body::parse(d.as_bytes(), "RequestPaymentConfiguration").ok())
        .is_some_and(|doc| doc.child_text("Payer").map(str::trim) == Some("Requester"))
}
