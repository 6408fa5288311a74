//! PutBucketLogging validation: `BucketLoggingStatus`, either empty (logging off) or with
//! `LoggingEnabled{TargetBucket, TargetPrefix?}` naming an existing bucket (else 400
//! `InvalidTargetBucketForLogging`). A get before any put answers the empty status. The
//! emulator writes no access logs: the document is only stored.

use super::{Absent, Family};
use crate::error::{ErrorCode, OssError};
use crate::handlers::Ctx;
use crate::handlers::xml_body::{self, malformed};

pub(crate) const FAMILY: Family = Family {
    validate,
    absent: Absent::Default("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<BucketLoggingStatus/>"),
    json: false,
};

fn validate(ctx: &Ctx<'_>, body: &[u8]) -> Result<(), OssError> {
    let doc = xml_body::parse(body, "BucketLoggingStatus")?;
    let Some(enabled) = doc.child("LoggingEnabled") else {
        return Ok(());
    };
    let target = enabled.child_text("TargetBucket").ok_or_else(malformed)?;
    if ctx.state.store.bucket(target).is_err() {
        return Err(OssError::new(
            ErrorCode::InvalidTargetBucketForLogging,
            "The target bucket for logging does not exist.",
        )
        .with("TargetBucket", target));
    }
    Ok(())
}
