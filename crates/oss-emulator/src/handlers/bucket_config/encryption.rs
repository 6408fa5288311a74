//! PutBucketEncryption validation: `ServerSideEncryptionRule{ApplyServerSideEncryptionByDefault{
//! SSEAlgorithm, KMSMasterKeyID?, KMSDataEncryption?}}`; the algorithm is `AES256`, `KMS` or
//! `SM4` (else 400 `InvalidEncryptionAlgorithmError`), and a `KMSMasterKeyID` needs `KMS`
//! (else 400 `InvalidArgument`). New objects take the rule's headers ([`object_headers`]).

use http::{HeaderName, HeaderValue};

use super::{Absent, Family, invalid};
use crate::config_family::ConfigFamily;
use crate::error::{ErrorCode, OssError};
use crate::handlers::xml_body::{self, malformed};
use crate::handlers::{Ctx, encryption, hv};
use crate::store::Bucket;

const ROOT: &str = "ServerSideEncryptionRule";

pub(crate) const FAMILY: Family = Family {
    validate,
    absent: Absent::Error(
        ErrorCode::NoSuchServerSideEncryptionRule,
        "The server side encryption configuration was not found.",
    ),
    json: false,
};

fn validate(_: &Ctx<'_>, body: &[u8]) -> Result<(), OssError> {
    let doc = xml_body::parse(body, ROOT)?;
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

/// The headers a new object gets from the bucket's default encryption (stored with it and
/// answered on its GET and HEAD): `x-oss-server-side-encryption` (`AES256`, `KMS` or `SM4`)
/// and, for KMS, `x-oss-server-side-data-encryption` and `x-oss-server-side-encryption-key-id`
/// when the rule names them; none without a rule. The data itself is stored as sent.
pub(crate) fn object_headers(bucket: &Bucket) -> Vec<(HeaderName, HeaderValue)> {
    let document = bucket.document(ConfigFamily::Encryption.name());
    let Some(doc) = document.and_then(|d| xml_body::parse(d.as_bytes(), ROOT).ok()) else {
        return Vec::new();
    };
    let Some(default) = doc.child("ApplyServerSideEncryptionByDefault") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (element, header) in [
        ("SSEAlgorithm", encryption::ALGORITHM),
        ("KMSMasterKeyID", encryption::KEY_ID),
        ("KMSDataEncryption", encryption::DATA_ENCRYPTION),
    ] {
        if let Some(value) = default.child_text(element).filter(|v| !v.is_empty()) {
            out.push((HeaderName::from_static(header), hv(value)));
        }
    }
    out
}
