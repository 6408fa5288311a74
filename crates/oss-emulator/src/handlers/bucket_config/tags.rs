//! PutBucketTags validation: `Tagging{TagSet{Tag{Key,Value}}}` with at most 20 tags, unique
//! non-empty keys of at most 64 characters and values of at most 128 (else 400
//! `InvalidTag`). A get before any put answers an empty `TagSet`.

use super::{Absent, Family};
use crate::error::{ErrorCode, OssError};
use crate::handlers::Ctx;
use crate::handlers::xml_body::{self, malformed};

const MAX_TAGS: usize = 20;
const MAX_KEY_CHARS: usize = 64;
const MAX_VALUE_CHARS: usize = 128;

pub(crate) const FAMILY: Family = Family {
    validate,
    absent: Absent::Default(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Tagging><TagSet/></Tagging>",
    ),
    json: false,
};

fn invalid_tag(message: &str) -> OssError {
    OssError::new(ErrorCode::InvalidTag, message)
}

fn validate(_: &Ctx<'_>, body: &[u8]) -> Result<(), OssError> {
    let doc = xml_body::parse(body, "Tagging")?;
    let set = doc.child("TagSet").ok_or_else(malformed)?;
    let mut keys: Vec<&str> = Vec::new();
    for tag in set.children("Tag") {
        let key = tag.child_text("Key").ok_or_else(malformed)?;
        let value = tag.child_text("Value").unwrap_or("");
        if key.is_empty() || key.chars().count() > MAX_KEY_CHARS {
            return Err(invalid_tag("The tag key must be 1 to 64 characters long."));
        }
        if value.chars().count() > MAX_VALUE_CHARS {
            return Err(invalid_tag(
                "The tag value must be at most 128 characters long.",
            ));
        }
        if keys.contains(&key) {
            return Err(invalid_tag("Tag keys must be unique."));
        }
        keys.push(key);
    }
    if keys.len() > MAX_TAGS {
        return Err(invalid_tag("A bucket can have at most 20 tags."));
    }
    Ok(())
}
