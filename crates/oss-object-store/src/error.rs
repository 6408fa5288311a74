//! OSS errors as `object_store` errors: each OSS error code becomes the `object_store` kind that
//! means the same thing, so callers can match on `NotFound`, `AlreadyExists`, `Precondition`…
//! instead of parsing messages.
//!
//! | OSS answer | `object_store::Error` |
//! | --- | --- |
//! | 404 (`NoSuchKey`, `NoSuchUpload`, `NoSuchBucket`, `NoSuchVersion`…) | `NotFound` |
//! | 409 `FileAlreadyExists` (`x-oss-forbid-overwrite`) | `AlreadyExists` |
//! | 412 `PreconditionFailed` | `Precondition` |
//! | 304 Not Modified | `NotModified` |
//! | 501 `NotImplemented` | `NotImplemented` |
//! | `InvalidAccessKeyId`, `SignatureDoesNotMatch`, `SecurityTokenExpired`, `InvalidSecurityToken.*`, `RequestTimeTooSkewed`; credentials that cannot be fetched | `Unauthenticated` |
//! | any other 403 (`AccessDenied`, `UserDisable`…) | `PermissionDenied` |
//! | anything else (invalid input, 416 `InvalidRange`, 5xx after retries, transport) | `Generic` with the `oss_client::Error` as source |

use std::fmt;
use std::sync::Arc;

use http::StatusCode;
use oss_client::ErrorKind;

/// The store name `object_store` errors carry.
pub(crate) const STORE: &str = "OSS";

/// OSS codes that mean the request was not authenticated.
const UNAUTHENTICATED_CODES: [&str; 4] = [
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "SecurityTokenExpired",
    "RequestTimeTooSkewed",
];

/// `err`, which happened on the object at `path`, as an `object_store` error.
pub(crate) fn from_oss(err: oss_client::Error, path: &str) -> crate::object_store::Error {
    let class = classify(&err);
    typed(class, path, Box::new(err))
}

/// `err`, shared by several objects (one failed batch request), as the error of `path`.
pub(crate) fn from_shared(err: &Arc<oss_client::Error>, path: &str) -> crate::object_store::Error {
    typed(classify(err), path, Box::new(SharedError(Arc::clone(err))))
}

/// The `object_store` error of `class` for `path`.
fn typed(class: Class, path: &str, source: BoxError) -> crate::object_store::Error {
    let path = path.to_owned();
    match class {
        Class::NotFound => crate::object_store::Error::NotFound { path, source },
        Class::AlreadyExists => crate::object_store::Error::AlreadyExists { path, source },
        Class::Precondition => crate::object_store::Error::Precondition { path, source },
        Class::NotModified => crate::object_store::Error::NotModified { path, source },
        Class::NotImplemented => crate::object_store::Error::NotImplemented {
            operation: source.to_string(),
            implementer: STORE.to_owned(),
        },
        Class::Unauthenticated => crate::object_store::Error::Unauthenticated { path, source },
        Class::PermissionDenied => crate::object_store::Error::PermissionDenied { path, source },
        Class::Generic => crate::object_store::Error::Generic {
            store: STORE,
            source,
        },
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// One OSS error reported for several objects.
#[derive(Debug)]
struct SharedError(Arc<oss_client::Error>);

impl fmt::Display for SharedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for SharedError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.0.as_ref())
    }
}

/// A `Generic` error with `message`.
pub(crate) fn generic(message: impl Into<String>) -> crate::object_store::Error {
    crate::object_store::Error::Generic {
        store: STORE,
        source: message.into().into(),
    }
}

/// An `object_store` feature OSS does not offer.
pub(crate) fn not_implemented(operation: impl Into<String>) -> crate::object_store::Error {
    crate::object_store::Error::NotImplemented {
        operation: operation.into(),
        implementer: STORE.to_owned(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    NotFound,
    AlreadyExists,
    Precondition,
    NotModified,
    NotImplemented,
    Unauthenticated,
    PermissionDenied,
    Generic,
}

fn classify(err: &oss_client::Error) -> Class {
    if err.kind() == ErrorKind::Credentials {
        return Class::Unauthenticated;
    }
    let Some(service) = err.as_service_error() else {
        return Class::Generic;
    };
    let code = service.code();
    match (service.status(), code) {
        (_, "FileAlreadyExists") => Class::AlreadyExists,
        (StatusCode::PRECONDITION_FAILED, _) | (_, "PreconditionFailed") => Class::Precondition,
        (StatusCode::NOT_MODIFIED, _) => Class::NotModified,
        (StatusCode::NOT_IMPLEMENTED, _) | (_, "NotImplemented") => Class::NotImplemented,
        _ if UNAUTHENTICATED_CODES.contains(&code) || code.starts_with("InvalidSecurityToken") => {
            Class::Unauthenticated
        }
        (StatusCode::FORBIDDEN, _) => Class::PermissionDenied,
        (StatusCode::NOT_FOUND, _) => Class::NotFound,
        _ => Class::Generic,
    }
}
