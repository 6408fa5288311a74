//! PutUserDefinedLogFieldsConfig validation: `UserDefinedLogFieldsConfiguration` with a
//! `HeaderSet{header*}` and/or a `ParamSet{parameter*}`, at least one name in all, at most
//! [`MAX_NAMES`] per set, each name 1 to [`MAX_NAME_BYTES`] bytes (else 400
//! `InvalidArgument`; another root, 400 `MalformedXML`). A get before any put (or after a
//! delete) answers 404 `NoSuchUserDefinedLogFieldsConfig`. Only stored: the emulator
//! writes no real-time logs.

use super::{Absent, Family, invalid};
use crate::error::{ErrorCode, OssError};
use crate::handlers::Ctx;
use crate::handlers::xml_body::{self, Element};

pub(crate) const FAMILY: Family = Family {
    validate,
    absent: Absent::Error(
        ErrorCode::NoSuchUserDefinedLogFieldsConfig,
        "The user defined log fields configuration does not exist.",
    ),
    json: false,
};

/// The most names a set holds.
pub(crate) const MAX_NAMES: usize = 5;
/// The longest name, in bytes.
pub(crate) const MAX_NAME_BYTES: usize = 64;

fn validate(_: &Ctx<'_>, body: &[u8]) -> Result<(), OssError> {
    let doc = xml_body::parse(body, "UserDefinedLogFieldsConfiguration")?;
    let headers = names(doc.child("HeaderSet"), "header")?;
    let params = names(doc.child("ParamSet"), "parameter")?;
    if headers + params == 0 {
        return Err(invalid(
            "The configuration names no header and no parameter.",
            "UserDefinedLogFieldsConfiguration",
            "",
        ));
    }
    Ok(())
}

/// How many `item` names `set` holds, each checked.
fn names(set: Option<&Element>, item: &str) -> Result<usize, OssError> {
    let Some(set) = set else { return Ok(0) };
    let mut count = 0;
    for name in set.children(item).map(|n| n.text.as_str()) {
        if name.is_empty() || name.len() > MAX_NAME_BYTES {
            return Err(invalid("A log field name has 1 to 64 bytes.", item, name));
        }
        count += 1;
    }
    if count > MAX_NAMES {
        return Err(invalid(
            "A set holds at most 5 names.",
            item,
            &count.to_string(),
        ));
    }
    Ok(count)
}
