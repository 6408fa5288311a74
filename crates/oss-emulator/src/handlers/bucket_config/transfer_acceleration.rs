//! PutBucketTransferAcceleration validation: `TransferAccelerationConfiguration{Enabled}`
//! with `Enabled` `true` or `false` (else 400 `MalformedXML`). A get before any put answers
//! `false`. Only stored: the emulator has no acceleration endpoint.

use super::{Absent, Family, one_of};
use crate::error::OssError;
use crate::handlers::Ctx;
use crate::handlers::xml_body;

pub(crate) const FAMILY: Family = Family {
    validate,
    absent: Absent::Default(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TransferAccelerationConfiguration><Enabled>false</Enabled></TransferAccelerationConfiguration>",
    ),
    json: false,
};

fn validate(_: &Ctx<'_>, body: &[u8]) -> Result<(), OssError> {
    let doc = xml_body::parse(body, "TransferAccelerationConfiguration")?;
    one_of(&doc, "Enabled", &["true", "false"])?;
    Ok(())
}
