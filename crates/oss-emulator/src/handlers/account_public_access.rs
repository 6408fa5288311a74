//! The account's public access block (`PUT|GET|DELETE /?publicAccessBlock`, OSS API reference
//! "PutPublicAccessBlock", "GetPublicAccessBlock", "DeletePublicAccessBlock"): one
//! `PublicAccessBlockConfiguration` for every bucket, validated as a bucket's is (400
//! `MalformedXML`), stored in the account documents (`account.json` with a data directory).
//! A get before any put (or after a delete) answers `BlockPublicAccess` false. While it is
//! `true`, unsigned requests to every bucket are refused whatever ACLs and bucket policies
//! grant ([`account_blocks`], used by `public_access.rs`).

use http::StatusCode;

use super::bucket_config::{public_access_block, read_document};
use super::{Ctx, Resp, empty, xml_response};
use crate::error::OssError;
use crate::pace::ReqBody;
use crate::state::State;

/// The account document's name.
const DOCUMENT: &str = "publicAccessBlock";

/// PutPublicAccessBlock: validates and stores the body as sent; 200.
pub(crate) async fn put(ctx: &Ctx<'_>, body: ReqBody) -> Result<Resp, OssError> {
    let text = read_document(ctx, body, public_access_block::FAMILY.validate).await?;
    ctx.state.store.set_account_document(DOCUMENT, Some(text))?;
    Ok(empty(StatusCode::OK))
}

/// GetPublicAccessBlock: the stored document, else `BlockPublicAccess` false.
pub(crate) fn get(ctx: &Ctx<'_>) -> Result<Resp, OssError> {
    let document = ctx
        .state
        .store
        .account_document(DOCUMENT)
        .unwrap_or_else(|| public_access_block::DEFAULT.to_owned());
    Ok(xml_response(StatusCode::OK, document))
}

/// DeletePublicAccessBlock: removes the document; 204.
pub(crate) fn delete(ctx: &Ctx<'_>) -> Result<Resp, OssError> {
    ctx.state.store.set_account_document(DOCUMENT, None)?;
    Ok(empty(StatusCode::NO_CONTENT))
}

/// Whether the account blocks public access.
pub(crate) fn account_blocks(state: &State) -> bool {
    state
        .store
        .account_document(DOCUMENT)
        .is_some_and(|d| public_access_block::is_blocking(&d))
}
