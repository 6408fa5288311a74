//! PutBucketArchiveDirectRead validation: `ArchiveDirectReadConfiguration{Enabled}` with
//! `Enabled` `true` or `false` (else 400 `MalformedXML`). A get before any put answers
//! `false`. Only stored: reading an Archive object still needs RestoreObject.

use super::{Absent, Family, one_of};
use crate::error::OssError;
use crate::handlers::Ctx;
use crate::handlers::xml_body;

pub(crate) const FAMILY: Family = Family {
    validate,
    absent: Absent::Default(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ArchiveDirectReadConfiguration><Enabled>false</Enabled></ArchiveDirectReadConfiguration>",
    ),
    json: false,
};

fn validate(_: &Ctx<'_>, body: &[u8]) -> Result<(), OssError> {
    let doc = xml_body::parse(body, "ArchiveDirectReadConfiguration")?;
    one_of(&doc, "Enabled", &["true", "false"])?;
    Ok(())
}
