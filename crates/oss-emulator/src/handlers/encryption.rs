//! Server-side encryption headers of the writes that take them (PutObject, AppendObject,
//! CopyObject, InitiateMultipartUpload): checked as OSS checks them, stored with the object
//! and returned on its writes, GET and HEAD. The bytes are stored as sent: the emulator
//! records the encryption, it does not encrypt.
//!
//! OSS's rules (OSS API reference "PutObject", user guide "Server-side encryption"):
//! `x-oss-server-side-encryption` is `AES256`, `KMS` or `SM4` (else 400
//! `InvalidEncryptionAlgorithmError`); `x-oss-server-side-encryption-key-id` only with `KMS`
//! and not empty, and `x-oss-server-side-data-encryption` only `SM4` and only with `KMS`
//! (else 400 `InvalidArgument`). `KMS` without a key id uses the account's default KMS key
//! in the region, which OSS names in `x-oss-server-side-encryption-key-id` on the answers;
//! the emulator's is [`default_kms_key_id`].

use http::header::{HeaderName, HeaderValue};

use super::Ctx;
use crate::error::{ErrorCode, OssError};

/// `x-oss-server-side-encryption`.
pub(crate) const ALGORITHM: &str = "x-oss-server-side-encryption";
/// `x-oss-server-side-encryption-key-id`.
pub(crate) const KEY_ID: &str = "x-oss-server-side-encryption-key-id";
/// `x-oss-server-side-data-encryption`.
pub(crate) const DATA_ENCRYPTION: &str = "x-oss-server-side-data-encryption";
/// The three headers, in the order they are stored and returned.
pub(crate) const HEADERS: [&str; 3] = [ALGORITHM, KEY_ID, DATA_ENCRYPTION];

const ALGORITHMS: [&str; 3] = ["AES256", "KMS", "SM4"];

/// The encryption headers of a write, checked: none when the request asks for none.
pub(crate) fn from_ctx(ctx: &Ctx<'_>) -> Result<Vec<(HeaderName, HeaderValue)>, OssError> {
    let algorithm = ctx.header(ALGORITHM);
    let key_id = ctx.header(KEY_ID);
    let data = ctx.header(DATA_ENCRYPTION);
    let kms = algorithm == Some("KMS");
    if let Some(a) = algorithm.filter(|a| !ALGORITHMS.contains(a)) {
        return Err(OssError::new(
            ErrorCode::InvalidEncryptionAlgorithmError,
            "The Encryption request you specified is not valid. Supported value: \
             AES256/KMS/SM4.",
        )
        .with("ArgumentName", ALGORITHM)
        .with("ArgumentValue", a));
    }
    if let Some(id) = key_id {
        if !kms {
            return Err(OssError::invalid_argument(
                "x-oss-server-side-encryption-key-id is only supported with \
                 x-oss-server-side-encryption: KMS.",
                KEY_ID,
                id,
            ));
        }
        if id.trim().is_empty() {
            return Err(OssError::invalid_argument(
                "x-oss-server-side-encryption-key-id is empty.",
                KEY_ID,
                id,
            ));
        }
    }
    if let Some(d) = data {
        if !kms || d != "SM4" {
            return Err(OssError::invalid_argument(
                "x-oss-server-side-data-encryption must be SM4, with \
                 x-oss-server-side-encryption: KMS.",
                DATA_ENCRYPTION,
                d,
            ));
        }
    }
    let mut stored = Vec::new();
    for name in HEADERS {
        if let Some(value) = ctx.headers.get(name) {
            stored.push((HeaderName::from_static(name), value.clone()));
        }
    }
    if kms && key_id.is_none() {
        let default = default_kms_key_id(&ctx.state.region, &ctx.state.owner_id);
        let value = HeaderValue::try_from(default)
            .map_err(|_| OssError::new(ErrorCode::InternalError, "bad default KMS key id"))?;
        stored.insert(1, (HeaderName::from_static(KEY_ID), value));
    }
    Ok(stored)
}

/// The KMS key id the emulator applies when `KMS` is asked for without one, as OSS applies
/// the account's default key of the region: `key-oss-default-{region}-{owner id}` (for
/// example `key-oss-default-cn-hangzhou-1234567890123456`), stable for one emulator's region
/// and account.
pub(crate) fn default_kms_key_id(region: &str, owner_id: &str) -> String {
    format!("key-oss-default-{region}-{owner_id}")
}

/// Whether `name` is one of the encryption headers.
pub(crate) fn is_encryption(name: &HeaderName) -> bool {
    HEADERS.contains(&name.as_str())
}

/// Copies the encryption headers among an object's (or upload's) stored headers into an
/// answer.
pub(crate) fn answer(into: &mut http::HeaderMap, stored: &[(HeaderName, HeaderValue)]) {
    for (name, value) in stored.iter().filter(|(n, _)| is_encryption(n)) {
        into.insert(name.clone(), value.clone());
    }
}
