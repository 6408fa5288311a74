//! PutBucketAccessMonitor validation: `AccessMonitorConfiguration{Status}` with `Status`
//! `Enabled` or `Disabled` (else 400 `MalformedXML`). A get before any put answers
//! `Disabled`. Only stored: the emulator records no last-access times.

use super::{Absent, Family, one_of};
use crate::error::OssError;
use crate::handlers::Ctx;
use crate::handlers::xml_body;

pub(crate) const FAMILY: Family = Family {
    validate,
    absent: Absent::Default(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<AccessMonitorConfiguration><Status>Disabled</Status></AccessMonitorConfiguration>",
    ),
    json: false,
};

fn validate(_: &Ctx<'_>, body: &[u8]) -> Result<(), OssError> {
    let doc = xml_body::parse(body, "AccessMonitorConfiguration")?;
    one_of(&doc, "Status", &["Enabled", "Disabled"])?;
    Ok(())
}
