//! Addressing (path-style or `bucket.localhost` virtual-hosted) and the mapping of
//! method + sub-resources to an [`Operation`].

use http::Method;
use oss_auth::sign::QueryParams;

use crate::error::{ErrorCode, OssError};
use crate::names::{validate_bucket, validate_key};

/// The logical resource a request addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    /// The bucket, for bucket and object requests.
    pub(crate) bucket: Option<String>,
    /// The decoded object key, for object requests.
    pub(crate) key: Option<String>,
}

/// Strips the port from a `Host` value (`[::1]:80` → `::1`, `a.localhost:9` → `a.localhost`).
fn host_name(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

/// Percent-decodes a path segment (`+` stays `+`); the bytes must be UTF-8.
fn decode_path(raw: &str) -> Result<String, OssError> {
    percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| {
            OssError::new(
                ErrorCode::InvalidObjectName,
                "The object name is not valid UTF-8.",
            )
        })
}

/// Resolves bucket and key from the `Host` header and the raw (still encoded) request path.
///
/// * Host ending in `.localhost` → virtual-hosted: bucket = first label, key = whole path
///   minus the leading `/`.
/// * Anything else (an IP address, `localhost`, other names) → path style: `/bucket/key`.
///
/// The path is percent-decoded only, never normalised (`//`, `.` and `..` stay).
pub(crate) fn resolve_target(host: Option<&str>, raw_path: &str) -> Result<Target, OssError> {
    let path = raw_path.strip_prefix('/').unwrap_or(raw_path);
    let host = host.map(host_name).unwrap_or("");
    let (bucket, key) = match host.to_ascii_lowercase().strip_suffix(".localhost") {
        Some(labels) if !labels.is_empty() => {
            let bucket = labels.split('.').next().unwrap_or(labels).to_owned();
            (Some(bucket), decode_path(path)?)
        }
        _ => {
            if path.is_empty() {
                return Ok(Target {
                    bucket: None,
                    key: None,
                });
            }
            let (b, k) = path.split_once('/').unwrap_or((path, ""));
            (Some(decode_path(b)?), decode_path(k)?)
        }
    };
    if let Some(b) = &bucket {
        validate_bucket(b)?;
    }
    let key = if key.is_empty() { None } else { Some(key) };
    if let Some(k) = &key {
        validate_key(k)?;
    }
    Ok(Target { bucket, key })
}

/// The operations the emulator implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    /// `GET /`.
    ListBuckets,
    /// `PUT /bucket`.
    PutBucket,
    /// `DELETE /bucket`.
    DeleteBucket,
    /// `GET /bucket` (v1, marker based).
    ListObjects,
    /// `GET /bucket?list-type=2`.
    ListObjectsV2,
    /// `GET /bucket?bucketInfo`.
    GetBucketInfo,
    /// `GET /bucket?location`.
    GetBucketLocation,
    /// `GET /bucket?stat`.
    GetBucketStat,
    /// `PUT /bucket?acl`.
    PutBucketAcl,
    /// `GET /bucket?acl`.
    GetBucketAcl,
    /// `PUT /bucket?versioning`.
    PutBucketVersioning,
    /// `GET /bucket?versioning`.
    GetBucketVersioning,
    /// `GET /bucket?versions`.
    ListObjectVersions,
    /// `GET /bucket?uploads`.
    ListMultipartUploads,
    /// `POST /bucket?delete`.
    DeleteMultipleObjects,
    /// `PUT /bucket/key`.
    PutObject,
    /// `PUT /bucket/key` + `x-oss-copy-source`.
    CopyObject,
    /// `GET /bucket/key`.
    GetObject,
    /// `HEAD /bucket/key`.
    HeadObject,
    /// `HEAD /bucket/key?objectMeta`.
    GetObjectMeta,
    /// `DELETE /bucket/key`.
    DeleteObject,
    /// `POST /bucket/key?append&position=N`.
    AppendObject,
    /// `PUT /bucket/key?acl`.
    PutObjectAcl,
    /// `GET /bucket/key?acl`.
    GetObjectAcl,
    /// `PUT /bucket/key?tagging`.
    PutObjectTagging,
    /// `GET /bucket/key?tagging`.
    GetObjectTagging,
    /// `DELETE /bucket/key?tagging`.
    DeleteObjectTagging,
    /// `PUT /bucket/key?symlink`.
    PutSymlink,
    /// `GET /bucket/key?symlink`.
    GetSymlink,
    /// `POST /bucket/key?restore`.
    RestoreObject,
    /// `POST /bucket/key?uploads`.
    InitiateMultipartUpload,
    /// `PUT /bucket/key?partNumber=N&uploadId=U`.
    UploadPart,
    /// UploadPart + `x-oss-copy-source`.
    UploadPartCopy,
    /// `POST /bucket/key?uploadId=U`.
    CompleteMultipartUpload,
    /// `DELETE /bucket/key?uploadId=U`.
    AbortMultipartUpload,
    /// `GET /bucket/key?uploadId=U`.
    ListParts,
}

/// Query keys that name a sub-resource or a feature this emulator does not implement.
const UNSUPPORTED: &[&str] = &[
    "callback",
    "callback-var",
    "sequential",
    "regionList",
    "cloudboxes",
    "resourceGroup",
    "regions",
    "policy",
    "logging",
    "website",
    "lifecycle",
    "cors",
    "referer",
    "encryption",
    "inventory",
    "inventoryId",
    "worm",
    "wormId",
    "wormExtend",
    "replication",
    "replicationLocation",
    "replicationProgress",
    "transferAcceleration",
    "cname",
    "comp",
    "metaQuery",
    "style",
    "styleName",
    "accessPoint",
    "accessPointPolicy",
    "publicAccessBlock",
    "httpsConfig",
    "bucketArchiveDirectRead",
    "redundancyTransition",
    "requestPayment",
    "policyStatus",
    "rtc",
    "qos",
    "qosInfo",
    "x-oss-process",
    "x-oss-async-process",
    "x-oss-write-get-object-response",
    "select",
    "live",
    "processConfiguration",
    "objectInfo",
    "seal",
    "cleanRestoredObject",
];

/// Maps method, target and query to an operation: 501 `NotImplemented` for an unsupported
/// sub-resource, 405 `MethodNotAllowed` for a verb the resource does not take.
pub(crate) fn route(
    method: &Method,
    target: &Target,
    query: &QueryParams,
    has_copy_source: bool,
) -> Result<Operation, OssError> {
    let unsupported = query
        .iter()
        .find(|(n, _)| UNSUPPORTED.contains(n) || (*n == "tagging" && target.key.is_none()));
    if let Some((name, _)) = unsupported {
        return Err(OssError::new(
            ErrorCode::NotImplemented,
            format!("The emulator does not implement the '{name}' sub-resource."),
        ));
    }
    let has = |name: &str| query.contains(name);
    let not_allowed =
        || OssError::from(ErrorCode::MethodNotAllowed).with("Method", method.as_str());
    match (&target.bucket, &target.key) {
        (None, _) => match *method {
            Method::GET => Ok(Operation::ListBuckets),
            _ => Err(not_allowed()),
        },
        (Some(_), None) => match *method {
            Method::GET if has("acl") => Ok(Operation::GetBucketAcl),
            Method::GET if has("bucketInfo") => Ok(Operation::GetBucketInfo),
            Method::GET if has("location") => Ok(Operation::GetBucketLocation),
            Method::GET if has("stat") => Ok(Operation::GetBucketStat),
            Method::GET if has("versioning") => Ok(Operation::GetBucketVersioning),
            Method::GET if has("versions") => Ok(Operation::ListObjectVersions),
            Method::GET if has("uploads") => Ok(Operation::ListMultipartUploads),
            Method::GET => match query.get("list-type") {
                None => Ok(Operation::ListObjects),
                Some(Some("2")) => Ok(Operation::ListObjectsV2),
                Some(v) => Err(OssError::invalid_argument(
                    "list-type must be 2.",
                    "list-type",
                    v.unwrap_or(""),
                )),
            },
            Method::PUT if has("acl") => Ok(Operation::PutBucketAcl),
            Method::PUT if has("versioning") => Ok(Operation::PutBucketVersioning),
            Method::PUT => Ok(Operation::PutBucket),
            Method::DELETE => Ok(Operation::DeleteBucket),
            Method::POST if has("delete") => Ok(Operation::DeleteMultipleObjects),
            Method::POST | Method::OPTIONS => Err(OssError::new(
                ErrorCode::NotImplemented,
                "PostObject and CORS preflight are not implemented by the emulator.",
            )),
            _ => Err(not_allowed()),
        },
        (Some(_), Some(_)) => match *method {
            Method::GET if has("acl") => Ok(Operation::GetObjectAcl),
            Method::GET if has("tagging") => Ok(Operation::GetObjectTagging),
            Method::GET if has("symlink") => Ok(Operation::GetSymlink),
            Method::GET if has("uploadId") => Ok(Operation::ListParts),
            Method::GET => Ok(Operation::GetObject),
            Method::HEAD if has("objectMeta") => Ok(Operation::GetObjectMeta),
            Method::HEAD => Ok(Operation::HeadObject),
            Method::PUT if has("acl") => Ok(Operation::PutObjectAcl),
            Method::PUT if has("tagging") => Ok(Operation::PutObjectTagging),
            Method::PUT if has("symlink") => Ok(Operation::PutSymlink),
            Method::PUT if has("partNumber") || has("uploadId") => Ok(if has_copy_source {
                Operation::UploadPartCopy
            } else {
                Operation::UploadPart
            }),
            Method::PUT if has_copy_source => Ok(Operation::CopyObject),
            Method::PUT => Ok(Operation::PutObject),
            Method::POST if has("uploads") => Ok(Operation::InitiateMultipartUpload),
            Method::POST if has("uploadId") => Ok(Operation::CompleteMultipartUpload),
            Method::POST if has("append") => Ok(Operation::AppendObject),
            Method::POST if has("restore") => Ok(Operation::RestoreObject),
            Method::DELETE if has("tagging") => Ok(Operation::DeleteObjectTagging),
            Method::DELETE if has("uploadId") => Ok(Operation::AbortMultipartUpload),
            Method::DELETE => Ok(Operation::DeleteObject),
            Method::OPTIONS => Err(OssError::new(
                ErrorCode::NotImplemented,
                "CORS preflight is not implemented by the emulator.",
            )),
            _ => Err(not_allowed()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(b: Option<&str>, k: Option<&str>) -> Target {
        Target {
            bucket: b.map(Into::into),
            key: k.map(Into::into),
        }
    }

    #[test]
    fn path_style_keeps_the_path_verbatim() {
        let h = Some("127.0.0.1:8080");
        assert_eq!(resolve_target(h, "/").unwrap(), t(None, None));
        assert_eq!(resolve_target(h, "/bkt").unwrap(), t(Some("bkt"), None));
        assert_eq!(resolve_target(h, "/bkt/").unwrap(), t(Some("bkt"), None));
        assert_eq!(
            resolve_target(h, "/bkt/123//456").unwrap(),
            t(Some("bkt"), Some("123//456"))
        );
        assert_eq!(
            resolve_target(h, "/bkt/a/./b").unwrap(),
            t(Some("bkt"), Some("a/./b"))
        );
        assert_eq!(
            resolve_target(Some("localhost"), "/bkt/reports/a+b%20c.pdf").unwrap(),
            t(Some("bkt"), Some("reports/a+b c.pdf"))
        );
        assert_eq!(
            resolve_target(h, "/bkt/data/x%257Bq.json").unwrap(),
            t(Some("bkt"), Some("data/x%7Bq.json"))
        );
        assert_eq!(
            resolve_target(h, "/bkt//leading.txt").unwrap_err().code,
            ErrorCode::InvalidObjectName
        );
        assert_eq!(
            resolve_target(h, "/Bad_Bucket/k").unwrap_err().code,
            ErrorCode::InvalidBucketName
        );
        assert_eq!(
            resolve_target(Some("[::1]:80"), "/bkt/k").unwrap(),
            t(Some("bkt"), Some("k"))
        );
    }

    #[test]
    fn virtual_hosted_takes_the_first_label() {
        let h = Some("bkt.localhost:9000");
        assert_eq!(resolve_target(h, "/").unwrap(), t(Some("bkt"), None));
        assert_eq!(
            resolve_target(h, "/a//b").unwrap(),
            t(Some("bkt"), Some("a//b"))
        );
        assert_eq!(
            resolve_target(h, "//x").unwrap_err().code,
            ErrorCode::InvalidObjectName
        );
    }

    #[test]
    fn routes_by_verb_and_sub_resource() {
        let obj = t(Some("bkt"), Some("k"));
        let bkt = t(Some("bkt"), None);
        let q = |s: &str| QueryParams::parse(s);
        assert_eq!(
            route(&Method::HEAD, &obj, &q("objectMeta"), false).unwrap(),
            Operation::GetObjectMeta
        );
        assert_eq!(
            route(&Method::GET, &bkt, &q("list-type=2"), false).unwrap(),
            Operation::ListObjectsV2
        );
        assert_eq!(
            route(&Method::GET, &bkt, &q(""), false).unwrap(),
            Operation::ListObjects
        );
        assert_eq!(
            route(&Method::GET, &obj, &q("acl"), false).unwrap(),
            Operation::GetObjectAcl
        );
        assert_eq!(
            route(&Method::POST, &obj, &q("uploads="), false).unwrap(),
            Operation::InitiateMultipartUpload
        );
        assert_eq!(
            route(&Method::PUT, &obj, &q("partNumber=1&uploadId=U"), true).unwrap(),
            Operation::UploadPartCopy
        );
        assert_eq!(
            route(&Method::PUT, &obj, &q(""), true).unwrap(),
            Operation::CopyObject
        );
        assert_eq!(
            route(&Method::POST, &bkt, &q("delete"), false).unwrap(),
            Operation::DeleteMultipleObjects
        );
        assert_eq!(
            route(&Method::GET, &bkt, &q("versions&prefix=a"), false).unwrap(),
            Operation::ListObjectVersions
        );
        assert_eq!(
            route(&Method::PUT, &bkt, &q("tagging"), false)
                .unwrap_err()
                .code,
            ErrorCode::NotImplemented
        );
        assert_eq!(
            route(&Method::GET, &bkt, &q("lifecycle"), false)
                .unwrap_err()
                .code,
            ErrorCode::NotImplemented
        );
        assert_eq!(
            route(&Method::POST, &obj, &q(""), false).unwrap_err().code,
            ErrorCode::MethodNotAllowed
        );
        assert_eq!(
            route(&Method::PUT, &t(None, None), &q(""), false)
                .unwrap_err()
                .code,
            ErrorCode::MethodNotAllowed
        );
    }
}
