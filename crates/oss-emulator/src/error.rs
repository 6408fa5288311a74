//! OSS error responses: code → HTTP status and EC, the `<Error>` XML body, and the
//! `x-oss-err` header that carries the same XML (base64) on HEAD responses, which have no body.

use base64::Engine as _;
use bytes::Bytes;
use http::{HeaderValue, Response, StatusCode};

use crate::body::Body;
use crate::xml::XmlWriter;

/// The OSS error codes this emulator answers with (api.md §3.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ErrorCode {
    AccessDenied,
    AccessForbidden,
    BadRequest,
    BucketAlreadyExists,
    BucketNotEmpty,
    EntityTooLarge,
    FileAlreadyExists,
    InvalidAccessKeyId,
    InvalidArgument,
    InvalidBucketName,
    InvalidDigest,
    InvalidObjectName,
    InvalidRange,
    InvalidSecurityToken,
    MalformedXml,
    MethodNotAllowed,
    MissingContentLength,
    NoSuchBucket,
    NoSuchKey,
    NotImplemented,
    PreconditionFailed,
    RequestTimeTooSkewed,
    SecurityTokenExpired,
    SignatureDoesNotMatch,
    EntityTooSmall,
    InvalidObjectState,
    InvalidPart,
    InvalidPartOrder,
    MissingArgument,
    NoSuchUpload,
    ObjectNotAppendable,
    OperationNotSupported,
    PositionNotEqualToLength,
    RestoreAlreadyInProgress,
    ArchiveRestoreNotFinished,
    ArchiveRestoreFileStale,
    NotSymlink,
    InvalidTag,
    SymlinkTargetNotExist,
    NoSuchVersion,
    InternalError,
    ServiceUnavailable,
    NoSuchCorsConfiguration,
    NoSuchLifecycle,
    NoSuchBucketPolicy,
    NoSuchWebsiteConfiguration,
    NoSuchServerSideEncryptionRule,
    InvalidTargetBucketForLogging,
    CallbackFailed,
    InvalidPolicyDocument,
    InvalidEncryptionAlgorithmError,
    InventoryAlreadyExist,
    NoSuchInventory,
    NoSuchOverwriteConfiguration,
    NoSuchReplicationConfiguration,
    NoSuchReplicationRule,
    TooManyReplicationRules,
    NoSuchAccessPoint,
    AccessPointAlreadyExists,
    NoSuchAccessPointPolicy,
    NoSuchUserDefinedLogFieldsConfig,
    MetaQueryNotExist,
    MetaQueryAlreadyExist,
    CnameAlreadyExists,
    CnameTokenNotFound,
    NeedVerifyDomainOwnership,
    NoSuchCname,
    NoSuchStyle,
    BucketDataRedundancyTransitionTaskNotExist,
    BucketDataRedundancyTransitionTaskStatusConflict,
    FileImmutable,
    NoSuchWormConfiguration,
    WormConfigurationLocked,
    InvalidWormConfiguration,
    NoSuchObjectWormConfiguration,
    NoSuchObjectRetention,
    InvalidBucketState,
    NoSuchAccessPointForObjectProcess,
    NoSuchAccessPointPolicyForObjectProcess,
    AccessPointForObjectProcessAlreadyExists,
}

impl ErrorCode {
    /// The `<Code>` text.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::AccessDenied => "AccessDenied",
            Self::AccessForbidden => "AccessForbidden",
            Self::BucketAlreadyExists => "BucketAlreadyExists",
            Self::BucketNotEmpty => "BucketNotEmpty",
            Self::EntityTooLarge => "EntityTooLarge",
            Self::FileAlreadyExists => "FileAlreadyExists",
            Self::InvalidAccessKeyId => "InvalidAccessKeyId",
            Self::InvalidArgument => "InvalidArgument",
            Self::InvalidBucketName => "InvalidBucketName",
            Self::InvalidDigest => "InvalidDigest",
            Self::InvalidObjectName => "InvalidObjectName",
            Self::InvalidRange => "InvalidRange",
            Self::InvalidSecurityToken => "InvalidSecurityToken",
            Self::MalformedXml => "MalformedXML",
            Self::MethodNotAllowed => "MethodNotAllowed",
            Self::MissingContentLength => "MissingContentLength",
            Self::NoSuchBucket => "NoSuchBucket",
            Self::NoSuchKey => "NoSuchKey",
            Self::NotImplemented => "NotImplemented",
            Self::PreconditionFailed => "PreconditionFailed",
            Self::RequestTimeTooSkewed => "RequestTimeTooSkewed",
            Self::SecurityTokenExpired => "SecurityTokenExpired",
            Self::SignatureDoesNotMatch => "SignatureDoesNotMatch",
            Self::EntityTooSmall => "EntityTooSmall",
            Self::InvalidObjectState => "InvalidObjectState",
            Self::InvalidPart => "InvalidPart",
            Self::InvalidPartOrder => "InvalidPartOrder",
            Self::MissingArgument => "MissingArgument",
            Self::NoSuchUpload => "NoSuchUpload",
            Self::ObjectNotAppendable => "ObjectNotAppendable",
            Self::OperationNotSupported => "OperationNotSupported",
            Self::PositionNotEqualToLength => "PositionNotEqualToLength",
            Self::RestoreAlreadyInProgress => "RestoreAlreadyInProgress",
            Self::ArchiveRestoreNotFinished => "ArchiveRestoreNotFinished",
            Self::ArchiveRestoreFileStale => "ArchiveRestoreFileStale",
            Self::NotSymlink => "NotSymlink",
            Self::InvalidTag => "InvalidTag",
            Self::SymlinkTargetNotExist => "SymlinkTargetNotExist",
            Self::NoSuchVersion => "NoSuchVersion",
            Self::InternalError => "InternalError",
            Self::ServiceUnavailable => "ServiceUnavailable",
            Self::NoSuchCorsConfiguration => "NoSuchCORSConfiguration",
            Self::NoSuchLifecycle => "NoSuchLifecycle",
            Self::NoSuchBucketPolicy => "NoSuchBucketPolicy",
            Self::NoSuchWebsiteConfiguration => "NoSuchWebsiteConfiguration",
            Self::NoSuchServerSideEncryptionRule => "NoSuchServerSideEncryptionRule",
            Self::InvalidTargetBucketForLogging => "InvalidTargetBucketForLogging",
            Self::BadRequest => "BadRequest",
            Self::CallbackFailed => "CallbackFailed",
            Self::InvalidPolicyDocument => "InvalidPolicyDocument",
            Self::NoSuchAccessPoint => "NoSuchAccessPoint",
            Self::AccessPointAlreadyExists => "AccessPointAlreadyExists",
            Self::NoSuchAccessPointPolicy => "NoSuchAccessPointPolicy",
            Self::InvalidEncryptionAlgorithmError => "InvalidEncryptionAlgorithmError",
            Self::InventoryAlreadyExist => "InventoryAlreadyExist",
            Self::NoSuchInventory => "NoSuchInventory",
            Self::NoSuchOverwriteConfiguration => "NoSuchOverwriteConfiguration",
            Self::NoSuchReplicationConfiguration => "NoSuchReplicationConfiguration",
            Self::NoSuchReplicationRule => "NoSuchReplicationRule",
            Self::TooManyReplicationRules => "TooManyReplicationRules",
            Self::NoSuchUserDefinedLogFieldsConfig => "NoSuchUserDefinedLogFieldsConfig",
            Self::MetaQueryNotExist => "MetaQueryNotExist",
            Self::MetaQueryAlreadyExist => "MetaQueryAlreadyExist",
            Self::CnameAlreadyExists => "CnameAlreadyExists",
            Self::CnameTokenNotFound => "CnameTokenNotFound",
            Self::NeedVerifyDomainOwnership => "NeedVerifyDomainOwnership",
            Self::NoSuchCname => "NoSuchCname",
            Self::NoSuchStyle => "NoSuchStyle",
            Self::BucketDataRedundancyTransitionTaskNotExist => {
                "BucketDataRedundancyTransitionTaskNotExist"
            }
            Self::BucketDataRedundancyTransitionTaskStatusConflict => {
                "BucketDataRedundancyTransitionTaskStatusConflict"
            }
            Self::FileImmutable => "FileImmutable",
            Self::NoSuchWormConfiguration => "NoSuchWORMConfiguration",
            Self::WormConfigurationLocked => "WORMConfigurationLocked",
            Self::InvalidWormConfiguration => "InvalidWORMConfiguration",
            Self::NoSuchObjectWormConfiguration => "NoSuchObjectWormConfiguration",
            Self::NoSuchObjectRetention => "NoSuchObjectRetention",
            Self::InvalidBucketState => "InvalidBucketState",
            Self::NoSuchAccessPointForObjectProcess => "NoSuchAccessPointForObjectProcess",
            Self::NoSuchAccessPointPolicyForObjectProcess => {
                "NoSuchAccessPointPolicyForObjectProcess"
            }
            Self::AccessPointForObjectProcessAlreadyExists => {
                "AccessPointForObjectProcessAlreadyExists"
            }
        }
    }

    /// The HTTP status.
    pub(crate) fn status(self) -> StatusCode {
        match self {
            Self::AccessDenied
            | Self::AccessForbidden
            | Self::InvalidAccessKeyId
            | Self::InvalidSecurityToken
            | Self::RequestTimeTooSkewed
            | Self::SecurityTokenExpired
            | Self::SignatureDoesNotMatch => StatusCode::FORBIDDEN,
            Self::BucketAlreadyExists | Self::BucketNotEmpty | Self::FileAlreadyExists => {
                StatusCode::CONFLICT
            }
            Self::EntityTooLarge
            | Self::InvalidArgument
            | Self::InvalidBucketName
            | Self::InvalidDigest
            | Self::InvalidObjectName
            | Self::MalformedXml => StatusCode::BAD_REQUEST,
            Self::InvalidRange => StatusCode::RANGE_NOT_SATISFIABLE,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::MissingContentLength => StatusCode::LENGTH_REQUIRED,
            Self::NoSuchBucket | Self::NoSuchKey => StatusCode::NOT_FOUND,
            Self::NotImplemented => StatusCode::NOT_IMPLEMENTED,
            Self::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            Self::EntityTooSmall => StatusCode::BAD_REQUEST,
            Self::InvalidObjectState => StatusCode::FORBIDDEN,
            Self::InvalidPart => StatusCode::BAD_REQUEST,
            Self::InvalidPartOrder => StatusCode::BAD_REQUEST,
            Self::MissingArgument => StatusCode::LENGTH_REQUIRED,
            Self::NoSuchUpload => StatusCode::NOT_FOUND,
            Self::ObjectNotAppendable => StatusCode::CONFLICT,
            Self::OperationNotSupported => StatusCode::BAD_REQUEST,
            Self::PositionNotEqualToLength => StatusCode::CONFLICT,
            Self::RestoreAlreadyInProgress
            | Self::ArchiveRestoreNotFinished
            | Self::ArchiveRestoreFileStale => StatusCode::CONFLICT,
            Self::NotSymlink => StatusCode::BAD_REQUEST,
            Self::SymlinkTargetNotExist | Self::NoSuchVersion => StatusCode::NOT_FOUND,
            Self::InvalidTag | Self::InvalidEncryptionAlgorithmError => StatusCode::BAD_REQUEST,
            Self::InternalError => StatusCode::INTERNAL_SERVER_ERROR,
            Self::ServiceUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::NoSuchCorsConfiguration
            | Self::NoSuchLifecycle
            | Self::NoSuchBucketPolicy
            | Self::NoSuchWebsiteConfiguration
            | Self::NoSuchServerSideEncryptionRule => StatusCode::NOT_FOUND,
            Self::InvalidTargetBucketForLogging => StatusCode::BAD_REQUEST,
            Self::BadRequest | Self::InvalidPolicyDocument => StatusCode::BAD_REQUEST,
            Self::NoSuchAccessPoint | Self::NoSuchAccessPointPolicy => StatusCode::NOT_FOUND,
            Self::AccessPointAlreadyExists => StatusCode::CONFLICT,
            Self::CnameAlreadyExists | Self::BucketDataRedundancyTransitionTaskStatusConflict => {
                StatusCode::CONFLICT
            }
            Self::NeedVerifyDomainOwnership => StatusCode::BAD_REQUEST,
            Self::CnameTokenNotFound
            | Self::NoSuchCname
            | Self::NoSuchStyle
            | Self::BucketDataRedundancyTransitionTaskNotExist => StatusCode::NOT_FOUND,
            Self::NoSuchAccessPointForObjectProcess
            | Self::NoSuchAccessPointPolicyForObjectProcess => StatusCode::NOT_FOUND,
            Self::AccessPointForObjectProcessAlreadyExists => StatusCode::CONFLICT,
            // The object is stored; only its callback failed.
            Self::CallbackFailed => StatusCode::NON_AUTHORITATIVE_INFORMATION,
            Self::InventoryAlreadyExist => StatusCode::CONFLICT,
            Self::NoSuchInventory
            | Self::NoSuchOverwriteConfiguration
            | Self::NoSuchReplicationConfiguration
            | Self::NoSuchReplicationRule => StatusCode::NOT_FOUND,
            Self::TooManyReplicationRules => StatusCode::BAD_REQUEST,
            Self::NoSuchUserDefinedLogFieldsConfig | Self::MetaQueryNotExist => {
                StatusCode::NOT_FOUND
            }
            Self::MetaQueryAlreadyExist => StatusCode::CONFLICT,
            Self::FileImmutable | Self::InvalidBucketState => StatusCode::CONFLICT,
            Self::NoSuchWormConfiguration
            | Self::NoSuchObjectWormConfiguration
            | Self::NoSuchObjectRetention => StatusCode::NOT_FOUND,
            Self::WormConfigurationLocked => StatusCode::FORBIDDEN,
            Self::InvalidWormConfiguration => StatusCode::BAD_REQUEST,
        }
    }

    /// The detailed error id (`<EC>` and `x-oss-ec`). Values are illustrative, one per code,
    /// listed in the crate README.
    pub(crate) fn ec(self) -> &'static str {
        match self {
            Self::AccessDenied => "0003-00000001",
            Self::AccessForbidden => "0003-00000301",
            Self::BucketAlreadyExists => "0015-00000101",
            Self::BucketNotEmpty => "0015-00000301",
            Self::EntityTooLarge => "0016-00000801",
            Self::FileAlreadyExists => "0016-00000708",
            Self::InvalidAccessKeyId => "0002-00000902",
            Self::InvalidArgument => "0017-00000001",
            Self::InvalidBucketName => "0015-00000001",
            Self::InvalidDigest => "0016-00000602",
            Self::InvalidObjectName => "0016-00000005",
            Self::InvalidRange => "0017-00000101",
            Self::InvalidSecurityToken => "0002-00000903",
            Self::MalformedXml => "0017-00000201",
            Self::MethodNotAllowed => "0017-00000301",
            Self::MissingContentLength => "0016-00000101",
            Self::NoSuchBucket => "0015-00000101",
            Self::NoSuchKey => "0026-00000001",
            Self::NotImplemented => "0017-00000401",
            Self::PreconditionFailed => "0026-00000201",
            Self::RequestTimeTooSkewed => "0002-00000504",
            Self::SecurityTokenExpired => "0002-00000904",
            Self::SignatureDoesNotMatch => "0002-00000040",
            Self::EntityTooSmall => "0042-00000206",
            Self::InvalidObjectState => "0026-00000107",
            Self::InvalidPart => "0042-00000203",
            Self::InvalidPartOrder => "0042-00000204",
            Self::MissingArgument => "0016-00000606",
            Self::NoSuchUpload => "0042-00000002",
            Self::ObjectNotAppendable => "0026-00000017",
            Self::OperationNotSupported => "0016-00000716",
            Self::PositionNotEqualToLength => "0026-00000016",
            Self::RestoreAlreadyInProgress => "0035-00000002",
            Self::ArchiveRestoreFileStale => "0016-00000718",
            Self::ArchiveRestoreNotFinished => "0016-00000719",
            Self::NotSymlink => "0031-00000001",
            Self::InvalidTag => "0033-00000001",
            Self::SymlinkTargetNotExist => "0026-00000012",
            Self::NoSuchVersion => "0026-00000005",
            Self::InternalError => "0000-00000001",
            Self::ServiceUnavailable => "0000-00000002",
            Self::NoSuchCorsConfiguration => "0038-00000001",
            Self::NoSuchLifecycle => "0034-00000001",
            Self::NoSuchBucketPolicy => "0031-00000101",
            Self::NoSuchWebsiteConfiguration => "0037-00000001",
            Self::NoSuchServerSideEncryptionRule => "0039-00000001",
            Self::InvalidTargetBucketForLogging => "0036-00000001",
            Self::BadRequest => "0040-00000001",
            Self::CallbackFailed => "0007-00000203",
            Self::InvalidPolicyDocument => "0016-00000601",
            Self::InvalidEncryptionAlgorithmError => "0005-00000003",
            Self::InventoryAlreadyExist => "0020-00000042",
            Self::NoSuchInventory => "0020-00000001",
            Self::NoSuchOverwriteConfiguration => "0048-00000001",
            Self::NoSuchReplicationConfiguration => "0011-00000001",
            Self::NoSuchReplicationRule => "0011-00000002",
            Self::TooManyReplicationRules => "0011-00000003",
            Self::NoSuchAccessPoint => "0071-00000001",
            Self::AccessPointAlreadyExists => "0071-00000002",
            Self::NoSuchAccessPointPolicy => "0071-00000003",
            Self::NoSuchUserDefinedLogFieldsConfig => "0046-00000002",
            Self::MetaQueryNotExist => "0037-00000003",
            Self::MetaQueryAlreadyExist => "0037-00000002",
            Self::CnameAlreadyExists => "0018-00000101",
            Self::CnameTokenNotFound => "0018-00000301",
            Self::NeedVerifyDomainOwnership => "0018-00000201",
            Self::NoSuchCname => "0018-00000401",
            Self::NoSuchStyle => "0040-00000101",
            Self::BucketDataRedundancyTransitionTaskNotExist => "0051-00000001",
            Self::BucketDataRedundancyTransitionTaskStatusConflict => "0051-00000002",
            Self::FileImmutable => "0026-00000202",
            Self::NoSuchWormConfiguration => "0027-00000001",
            Self::WormConfigurationLocked => "0027-00000002",
            Self::InvalidWormConfiguration => "0027-00000003",
            Self::NoSuchObjectWormConfiguration => "0027-00000101",
            Self::NoSuchObjectRetention => "0027-00000102",
            Self::InvalidBucketState => "0027-00000103",
            Self::NoSuchAccessPointForObjectProcess => "0050-00000101",
            Self::NoSuchAccessPointPolicyForObjectProcess => "0050-00000102",
            Self::AccessPointForObjectProcessAlreadyExists => "0050-00000103",
        }
    }
}

/// One error answer: code, message and code-specific extra elements, in order.
#[derive(Debug, Clone)]
pub(crate) struct OssError {
    pub(crate) code: ErrorCode,
    pub(crate) message: String,
    pub(crate) extras: Vec<(&'static str, String)>,
    /// Extra response headers (e.g. `x-oss-delete-marker`, `x-oss-next-append-position`).
    pub(crate) headers: Vec<(&'static str, String)>,
}

impl OssError {
    /// An error with no extra elements.
    pub(crate) fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            extras: Vec::new(),
            headers: Vec::new(),
        }
    }

    /// Adds a response header to the error answer.
    pub(crate) fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// Adds an extra element (e.g. `BucketName`, `Key`).
    pub(crate) fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.extras.push((name, value.into()));
        self
    }

    /// `InvalidArgument` naming the argument and its value.
    pub(crate) fn invalid_argument(message: impl Into<String>, name: &str, value: &str) -> Self {
        Self::new(ErrorCode::InvalidArgument, message)
            .with("ArgumentName", name)
            .with("ArgumentValue", value)
    }

    /// `NoSuchBucket` for `bucket`.
    pub(crate) fn no_such_bucket(bucket: &str) -> Self {
        Self::new(
            ErrorCode::NoSuchBucket,
            "The specified bucket does not exist.",
        )
        .with("BucketName", bucket)
    }

    /// `NoSuchKey` for the decoded `key`.
    pub(crate) fn no_such_key(key: &str) -> Self {
        Self::new(ErrorCode::NoSuchKey, "The specified key does not exist.").with("Key", key)
    }

    /// The `<Error>` document.
    pub(crate) fn to_xml(&self, request_id: &str, host_id: &str) -> String {
        let mut w = XmlWriter::new();
        w.open("Error")
            .elem("Code", self.code.as_str())
            .elem("Message", &self.message)
            .elem("RequestId", request_id)
            .elem("HostId", host_id);
        for (name, value) in &self.extras {
            w.elem(name, value);
        }
        w.elem("EC", self.code.ec()).close("Error");
        w.finish()
    }

    /// The HTTP response; for HEAD the body is empty and the XML travels base64-encoded in
    /// `x-oss-err`. `x-oss-request-id`, `Date` and `Server` are added by the server.
    pub(crate) fn into_response(
        self,
        request_id: &str,
        host_id: &str,
        is_head: bool,
    ) -> Response<Body> {
        let xml = self.to_xml(request_id, host_id);
        let mut builder = Response::builder()
            .status(self.code.status())
            .header(http::header::CONTENT_TYPE, "application/xml")
            .header("x-oss-ec", self.code.ec());
        let body = if is_head {
            let encoded = base64::engine::general_purpose::STANDARD.encode(xml.as_bytes());
            builder = builder.header("x-oss-err", encoded);
            Bytes::new()
        } else {
            Bytes::from(xml)
        };
        let mut resp = builder
            .body(Body::from(body))
            .unwrap_or_else(|_| Response::new(Body::Full(Bytes::new())));
        if is_head {
            resp.headers_mut()
                .insert(http::header::CONTENT_LENGTH, HeaderValue::from_static("0"));
        }
        for (name, value) in &self.headers {
            if let Ok(v) = HeaderValue::from_str(value) {
                resp.headers_mut().insert(*name, v);
            }
        }
        resp
    }
}

impl From<ErrorCode> for OssError {
    fn from(code: ErrorCode) -> Self {
        let message = match code {
            ErrorCode::MethodNotAllowed => {
                "The specified method is not allowed against this resource."
            }
            ErrorCode::NotImplemented => {
                "A header or parameter you provided implies functionality that is not implemented."
            }
            _ => code.as_str(),
        };
        Self::new(code, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt as _;

    #[test]
    fn error_xml_has_the_oss_shape() {
        let e = OssError::no_such_key("a<b>.txt");
        let xml = e.to_xml("5C3D9175B6FC201293AD4890", "bucket.localhost");
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>\
             <Message>The specified key does not exist.</Message>\
             <RequestId>5C3D9175B6FC201293AD4890</RequestId><HostId>bucket.localhost</HostId>\
             <Key>a&lt;b&gt;.txt</Key><EC>0026-00000001</EC></Error>"
        );
        assert!(!xml.contains("xmlns"));
    }

    #[tokio::test]
    async fn head_errors_carry_x_oss_err() {
        let resp = OssError::no_such_key("k").into_response("ID", "host", true);
        assert_eq!(resp.status(), StatusCode::NOT_FOUND);
        assert_eq!(resp.headers()["x-oss-ec"], "0026-00000001");
        let err = resp.headers()["x-oss-err"].to_str().unwrap().to_owned();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(err)
            .unwrap();
        assert!(
            String::from_utf8(decoded)
                .unwrap()
                .contains("<Code>NoSuchKey</Code>")
        );
        let body = resp.into_body().collect().await.unwrap().to_bytes();
        assert!(body.is_empty());
    }
}
