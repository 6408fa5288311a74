//! PutBucketEncryption validation: `ServerSideEncryptionRule{ApplyServerSideEncryptionByDefault{
//! SSEAlgorithm, KMSMasterKeyID?, KMSDataEncryption?}}`; the algorithm is `AES256`, `KMS` or
//! `SM4` (else 400 `InvalidEncryptionAlgorithmError`), and a `KMSMasterKeyID` needs `KMS`
//! (else 400 `InvalidArgument`).

use super::{Absent, Family, invalid};
use crate::error::{ErrorCode, OssError};
use crate::handlers::Ctx;
use crate::handlers::xml_body::{self, malformed};

pub(crate) const FAMILY: Family = Family {
    validate,
    absent: Absent::Error(
        ErrorCode::NoSuchServerSideEncryptionRule,
        "The server side encryption configuration was not found.",
    ),
    json: false,
};

fn validate(_: &Ctx<'_>, body: &[u8]) -> Result<(), OssError> {
    let doc = xml_body::parse(body, "ServerSideEncryptionRule")?;
    let default = doc
        .child("ApplyServerSideEncryptionByDefault")
        .ok_or_else(malformed)?;
    let algorithm = default.child_text("SSEAlgorithm").ok_or_else(malformed)?;
    if !matches!(algorithm, "AES256" | "KMS" | "SM4") {
        return Err(OssError::new(
            ErrorCode::InvalidEncryptionAlgorithmError,
            "The encryption request you specified is not valid. Supported value: AES256/KMS/SM4.",
        ));
    }
    if let Some(key) = default.child_text("KMSMasterKeyID") {
        if !key.is_empty() && algorithm != "KMS" {
            return Err(invalid(
                "KMSMasterKeyID is only allowed with the KMS algorithm.",
                "KMSMasterKeyID",
                key,
            ));
        }
    }
    Ok(())
}
