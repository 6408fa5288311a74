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

pub(crate) const FAMILY: Family = Family {
    validate,
    absent: Absent::Default(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PublicAccessBlockConfiguration><BlockPublicAccess>false</BlockPublicAccess></PublicAccessBlockConfiguration>",
    ),
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
        .and_then(|d| xml_body::parse(d.as_bytes(), ROOT).ok())
        .is_some_and(|doc| doc.child_text("BlockPublicAccess").map(str::trim) == Some("true"))
}
