//! Server-side encryption (OSS user guide "Server-side encryption"): what a write asks for
//! ([`ServerSideEncryption`], on PutObject, AppendObject, CopyObject, InitiateMultipartUpload
//! and the transfer managers) and what an answer reports ([`ServerSideEncryptionInfo`]).
//!
//! OSS encrypts the stored bytes with AES-256 or SM4 under keys it manages (`AES256`,
//! `SM4`), or under a KMS key (`KMS`, with an optional customer master key id and SM4 as the
//! data cipher). Reads decrypt transparently; the answers of writes, GetObject and HeadObject
//! carry the headers.

use http::{HeaderMap, HeaderValue};

use crate::error::Error;
use crate::request::OperationRequest;
use crate::validate;

/// `x-oss-server-side-encryption`.
pub(crate) const ALGORITHM: &str = "x-oss-server-side-encryption";
/// `x-oss-server-side-encryption-key-id`: the KMS customer master key id.
pub(crate) const KEY_ID: &str = "x-oss-server-side-encryption-key-id";
/// `x-oss-server-side-data-encryption`: the data cipher under KMS (`SM4`).
pub(crate) const DATA_ENCRYPTION: &str = "x-oss-server-side-data-encryption";

/// The server-side encryption a write asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServerSideEncryption {
    /// `AES256`: AES-256 with keys OSS manages.
    Aes256,
    /// `SM4`: SM4 with keys OSS manages.
    Sm4,
    /// `KMS`: a data key from KMS.
    Kms {
        /// `x-oss-server-side-encryption-key-id`: the customer master key id (`None`: the
        /// key KMS keeps for OSS). An empty id is refused with
        /// [`crate::ErrorKind::InvalidArgument`] before any I/O.
        key_id: Option<String>,
        /// `x-oss-server-side-data-encryption: SM4`: SM4 instead of AES-256 for the data.
        sm4_data: bool,
    },
}

impl ServerSideEncryption {
    /// `KMS` with the key KMS keeps for OSS and AES-256 data encryption.
    pub fn kms() -> Self {
        Self::Kms {
            key_id: None,
            sm4_data: false,
        }
    }

    /// `KMS` with this customer master key id.
    pub fn kms_key(key_id: impl Into<String>) -> Self {
        Self::Kms {
            key_id: Some(key_id.into()),
            sm4_data: false,
        }
    }

    /// The value of `x-oss-server-side-encryption`.
    pub fn algorithm(&self) -> &'static str {
        match self {
            Self::Aes256 => "AES256",
            Self::Sm4 => "SM4",
            Self::Kms { .. } => "KMS",
        }
    }

    pub(crate) fn check(&self) -> Result<(), Error> {
        if let Self::Kms {
            key_id: Some(id), ..
        } = self
        {
            if id.is_empty() {
                return Err(Error::invalid_argument(
                    "the KMS key id is empty; give an id or None for the key KMS keeps for OSS",
                ));
            }
            validate::header_value(KEY_ID, id)?;
        }
        Ok(())
    }

    pub(crate) fn apply(&self, op: &mut OperationRequest) -> Result<(), Error> {
        self.check()?;
        op.header(ALGORITHM, HeaderValue::from_static(self.algorithm()));
        if let Self::Kms { key_id, sm4_data } = self {
            if let Some(id) = key_id {
                op.header(KEY_ID, validate::header_value(KEY_ID, id)?);
            }
            if *sm4_data {
                op.header(DATA_ENCRYPTION, HeaderValue::from_static("SM4"));
            }
        }
        Ok(())
    }
}

/// The server-side encryption an answer reports (PutObject, AppendObject, CopyObject,
/// InitiateMultipartUpload, UploadPart, CompleteMultipartUpload, GetObject, HeadObject).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerSideEncryptionInfo {
    /// `x-oss-server-side-encryption`: `AES256`, `SM4` or `KMS`.
    pub algorithm: String,
    /// `x-oss-server-side-encryption-key-id`: the KMS customer master key id (KMS only).
    pub key_id: Option<String>,
    /// `x-oss-server-side-data-encryption`: the data cipher under KMS (`SM4`), when not
    /// AES-256.
    pub data_encryption: Option<String>,
}

impl ServerSideEncryptionInfo {
    /// The encryption headers of an answer; `None` when it carries no
    /// `x-oss-server-side-encryption`.
    pub(crate) fn from_headers(headers: &HeaderMap) -> Option<Self> {
        let text = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        Some(Self {
            algorithm: text(ALGORITHM)?,
            key_id: text(KEY_ID),
            data_encryption: text(DATA_ENCRYPTION),
        })
    }
}

#[cfg(test)]
mod tests {
    use http::Method;

    use super::*;
    use crate::ErrorKind;

    fn headers_of(encryption: &ServerSideEncryption) -> HeaderMap {
        let mut op = OperationRequest::new(Method::PUT, None, None);
        encryption.apply(&mut op).unwrap();
        op.headers
    }

    #[test]
    fn each_kind_sends_its_headers() {
        let aes = headers_of(&ServerSideEncryption::Aes256);
        assert_eq!(aes[ALGORITHM], "AES256");
        assert_eq!(aes.len(), 1);
        assert_eq!(headers_of(&ServerSideEncryption::Sm4)[ALGORITHM], "SM4");
        let kms = headers_of(&ServerSideEncryption::Kms {
            key_id: Some("cmk-1".into()),
            sm4_data: true,
        });
        assert_eq!(kms[ALGORITHM], "KMS");
        assert_eq!(kms[KEY_ID], "cmk-1");
        assert_eq!(kms[DATA_ENCRYPTION], "SM4");
        assert!(!headers_of(&ServerSideEncryption::kms()).contains_key(KEY_ID));
    }

    #[test]
    fn an_empty_key_id_is_refused_and_answers_are_read() {
        let e = ServerSideEncryption::kms_key("").check().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        let mut headers = HeaderMap::new();
        assert_eq!(ServerSideEncryptionInfo::from_headers(&headers), None);
        headers.insert(ALGORITHM, HeaderValue::from_static("KMS"));
        headers.insert(KEY_ID, HeaderValue::from_static("cmk-1"));
        assert_eq!(
            ServerSideEncryptionInfo::from_headers(&headers),
            Some(ServerSideEncryptionInfo {
                algorithm: "KMS".into(),
                key_id: Some("cmk-1".into()),
                data_encryption: None,
            })
        );
    }
}
