//! PutBucketResourceGroup validation: `BucketResourceGroupConfiguration{ResourceGroupId}`,
//! the id empty (the default group) or `rg-` followed by lower-case letters and digits
//! (else 400 `InvalidArgument`). A get before any put answers an empty id (the account's
//! default group). Only stored: the emulator has no resource groups to check against.

use super::{Absent, Family, invalid};
use crate::error::OssError;
use crate::handlers::Ctx;
use crate::handlers::xml_body::{self, malformed};

pub(crate) const FAMILY: Family = Family {
    validate,
    absent: Absent::Default(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<BucketResourceGroupConfiguration><ResourceGroupId></ResourceGroupId></BucketResourceGroupConfiguration>",
    ),
    json: false,
};

fn validate(_: &Ctx<'_>, body: &[u8]) -> Result<(), OssError> {
    let doc = xml_body::parse(body, "BucketResourceGroupConfiguration")?;
    let id = doc.child_text("ResourceGroupId").ok_or_else(malformed)?;
    let well_formed = id.is_empty()
        || id.strip_prefix("rg-").is_some_and(|rest| {
            !rest.is_empty()
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    if well_formed {
        Ok(())
    } else {
        Err(invalid(
            "The resource group id is not valid.",
            "ResourceGroupId",
            id,
        ))
    }
}
