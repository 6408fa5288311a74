//! PutBucketRequestPayment validation: `RequestPaymentConfiguration{Payer}` with `Payer`
//! `BucketOwner` or `Requester` (else 400 `MalformedXML`). A get before any put answers
//! `BucketOwner`. Only stored: every signed request comes from the bucket owner's account
//! in the emulator, so requester pays never refuses one.

use super::{Absent, Family, one_of};
use crate::error::OssError;
use crate::handlers::Ctx;
use crate::handlers::xml_body;

pub(crate) const FAMILY: Family = Family {
    validate,
    absent: Absent::Default(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<RequestPaymentConfiguration><Payer>BucketOwner</Payer></RequestPaymentConfiguration>",
    ),
    json: false,
};

fn validate(_: &Ctx<'_>, body: &[u8]) -> Result<(), OssError> {
    let doc = xml_body::parse(body, "RequestPaymentConfiguration")?;
    one_of(&doc, "Payer", &["BucketOwner", "Requester"])?;
    Ok(())
}
