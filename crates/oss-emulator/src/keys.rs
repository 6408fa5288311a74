//! The access keys the emulator accepts: one root key (no token) and any number of
//! STS-style temporary keys that need their security token and expire.

use std::fmt;
use std::time::SystemTime;

use subtle::ConstantTimeEq as _;

use crate::error::{ErrorCode, OssError};

/// One accepted AccessKey.
#[derive(Clone)]
pub(crate) struct AccessKey {
    pub(crate) id: String,
    pub(crate) secret: String,
    /// `Some` for temporary credentials: the token the request must carry.
    pub(crate) security_token: Option<String>,
    /// Temporary credentials only: refused after this instant.
    pub(crate) expiration: Option<SystemTime>,
}

impl fmt::Debug for AccessKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessKey")
            .field("id", &self.id)
            .field("temporary", &self.security_token.is_some())
            .field("expiration", &self.expiration)
            .finish_non_exhaustive()
    }
}

impl AccessKey {
    /// Checks the security token the request carried (if any) against this key at `now`.
    ///
    /// * a temporary key without a token → `InvalidAccessKeyId` (as OSS does);
    /// * a wrong token, or a token sent with a root key → `InvalidSecurityToken`;
    /// * the right token after expiration → `SecurityTokenExpired`.
    pub(crate) fn check_token(
        &self,
        provided: Option<&str>,
        now: SystemTime,
    ) -> Result<(), OssError> {
        match (&self.security_token, provided) {
            (None, None) => Ok(()),
            (None, Some(_)) => Err(OssError::new(
                ErrorCode::InvalidSecurityToken,
                "The security token you provided is invalid.",
            )),
            (Some(_), None) => Err(OssError::new(
                ErrorCode::InvalidAccessKeyId,
                "The OSS Access Key Id you provided does not exist in our records (a temporary AccessKeyId needs its security token).",
            )
            .with("OSSAccessKeyId", self.id.clone())),
            (Some(expected), Some(got)) => {
                if !bool::from(expected.as_bytes().ct_eq(got.as_bytes())) {
                    return Err(OssError::new(
                        ErrorCode::InvalidSecurityToken,
                        "The security token you provided is invalid.",
                    ));
                }
                if self.expiration.is_some_and(|exp| now > exp) {
                    return Err(OssError::new(
                        ErrorCode::SecurityTokenExpired,
                        "The security token you provided has expired.",
                    ));
                }
                Ok(())
            }
        }
    }
}

/// Every accepted key; looked up by AccessKeyId.
#[derive(Debug, Clone, Default)]
pub(crate) struct KeyStore {
    keys: Vec<AccessKey>,
}

impl KeyStore {
    /// Adds (or replaces) a key.
    pub(crate) fn insert(&mut self, key: AccessKey) {
        self.keys.retain(|k| k.id != key.id);
        self.keys.push(key);
    }

    /// Removes the key `id` (a revoked AccessKey); later requests with it get
    /// `InvalidAccessKeyId`.
    pub(crate) fn remove(&mut self, id: &str) {
        self.keys.retain(|k| k.id != id);
    }

    /// The key with `id`, if any.
    pub(crate) fn get(&self, id: &str) -> Option<&AccessKey> {
        self.keys.iter().find(|k| k.id == id)
    }

    /// Moves the expiration of every temporary key that is still valid at `now` to `at`.
    pub(crate) fn expire_temporary(&mut self, now: SystemTime, at: SystemTime) {
        for key in &mut self.keys {
            if key.security_token.is_some() && key.expiration.is_none_or(|e| e >= now) {
                key.expiration = Some(at);
            }
        }
    }

    /// The key with `id`, or `InvalidAccessKeyId`.
    pub(crate) fn lookup(&self, id: &str) -> Result<&AccessKey, OssError> {
        self.keys.iter().find(|k| k.id == id).ok_or_else(|| {
            OssError::new(
                ErrorCode::InvalidAccessKeyId,
                "The OSS Access Key Id you provided does not exist in our records.",
            )
            .with("OSSAccessKeyId", id)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn temp(exp: SystemTime) -> AccessKey {
        AccessKey {
            id: "STS.id".into(),
            secret: "s".into(),
            security_token: Some("tok".into()),
            expiration: Some(exp),
        }
    }

    #[test]
    fn token_rules() {
        let now = SystemTime::now();
        let k = temp(now + Duration::from_secs(60));
        assert!(k.check_token(Some("tok"), now).is_ok());
        assert_eq!(
            k.check_token(None, now).unwrap_err().code,
            ErrorCode::InvalidAccessKeyId
        );
        assert_eq!(
            k.check_token(Some("bad"), now).unwrap_err().code,
            ErrorCode::InvalidSecurityToken
        );
        let expired = temp(now - Duration::from_secs(1));
        assert_eq!(
            expired.check_token(Some("tok"), now).unwrap_err().code,
            ErrorCode::SecurityTokenExpired
        );
        let mut store = KeyStore::default();
        store.insert(k);
        assert!(store.lookup("STS.id").is_ok());
        assert_eq!(
            store.lookup("nope").unwrap_err().code,
            ErrorCode::InvalidAccessKeyId
        );
        assert!(!format!("{store:?}").contains("tok"));
    }
}
