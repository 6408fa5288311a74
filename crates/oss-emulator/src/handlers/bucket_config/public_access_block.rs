//! PutBucketPublicAccessBlock validation: `PublicAccessBlockConfiguration{BlockPublicAccess}`
//! with `true` or `false` (else 400 `MalformedXML`). A get before any put answers `false`.
//! While it is `true`, unsigned requests are refused whatever the ACLs and the bucket policy
//! grant ([`blocks`], used by `public_access.rs`).

use super::{Absent, Family, one_of};
use crate::config_family::ConfigFamily;
use crate::error::OssError;
use crate::handlers::Ctx;
use crate::handlers::xml_body;
use crate::store::Bucket;

const ROOT: &str = "PublicAccessBlockConfiguration";

/// What a get answers before any put (also for an access point and the account).
pub(crate) const DEFAULT: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PublicAccessBlockConfiguration><BlockPublicAccess>false</BlockPublicAccess></PublicAccessBlockConfiguration>";

pub(crate) const FAMILY: Family = Family {
    validate,
    absent: Absent::Default(DEFAULT),
    json: false,
};

fn validate(_: &Ctx<'_>, body: &[u8]) -> Result<(), OssError> {
    let doc = xml_body::parse(body, ROOT)?;
    one_of(&doc, "BlockPublicAccess", &["true", "false"])?;
    Ok(())
}

/// Whether `bucket` blocks public access.
pub(crate) fn blocks(bucket: &Bucket) -> bool {
    bucket
        .document(ConfigFamily::PublicAccessBlock.name())
        .is_some_and(|d| is_blocking(&d))
}

/// Whether a stored `PublicAccessBlockConfiguration` says `BlockPublicAccess` true.
pub(crate) fn is_blocking(document: &str) -> bool {
    xml_body::parse(document.as_bytes(), ROOT)
        .is_ok_and(|doc| doc.child_text("BlockPublicAccess").map(str::trim) == Some("true"))
}
