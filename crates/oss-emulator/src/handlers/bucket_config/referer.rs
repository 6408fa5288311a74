//! PutBucketReferer validation: `RefererConfiguration` with `AllowEmptyReferer` (true or
//! false), an optional `AllowTruncateQueryString` (true or false) and a `RefererList`. A
//! get before any put answers OSS's default: empty referers allowed, no list.

use super::{Absent, Family, one_of};
use crate::error::OssError;
use crate::handlers::Ctx;
use crate::handlers::xml_body::{self, malformed};

pub(crate) const FAMILY: Family = Family {
    validate,
    absent: Absent::Default(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<RefererConfiguration><AllowEmptyReferer>true</AllowEmptyReferer><RefererList/></RefererConfiguration>",
    ),
    json: false,
};

const BOOLEANS: &[&str] = &["true", "false"];

fn validate(_: &Ctx<'_>, body: &[u8]) -> Result<(), OssError> {
    let doc = xml_body::parse(body, "RefererConfiguration")?;
    one_of(&doc, "AllowEmptyReferer", BOOLEANS)?;
    if doc.child("AllowTruncateQueryString").is_some() {
        one_of(&doc, "AllowTruncateQueryString", BOOLEANS)?;
    }
    if doc.child("RefererList").is_none() {
        return Err(malformed());
    }
    Ok(())
}
