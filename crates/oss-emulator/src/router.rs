//! Addressing (path-style or `bucket.localhost` virtual-hosted) and the mapping of
//! method + sub-resources to an [`Operation`].

use std::collections::BTreeMap;

use http::Method;
use oss_auth::sign::QueryParams;

use crate::config_family::ConfigFamily;
use crate::error::{ErrorCode, OssError};
use crate::names::{validate_bucket, validate_key};
use crate::operation::Operation;

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

/// [`resolve_target`], except that a `Host` bound to a bucket in `cnames` (lower-case host
/// name, port ignored, → bucket) or by `bound` (the bucket PutCname bound the lower-case host
/// name to) addresses that bucket, the whole path being the key: a custom domain, as OSS
/// serves one bound with PutCname.
pub(crate) fn resolve_target_with_cnames(
    host: Option<&str>,
    raw_path: &str,
    cnames: &BTreeMap<String, String>,
    bound: impl Fn(&str) -> Option<String>,
) -> Result<Target, OssError> {
    let bound = host.and_then(|h| {
        let name = host_name(h).to_ascii_lowercase();
        cnames.get(&name).cloned().or_else(|| bound(&name))
    });
    let Some(bucket) = bound else {
        return resolve_target(host, raw_path);
    };
    let key = decode_path(raw_path.strip_prefix('/').unwrap_or(raw_path))?;
    let key = if key.is_empty() { None } else { Some(key) };
    if let Some(k) = &key {
        validate_key(k)?;
    }
    Ok(Target {
        bucket: Some(bucket),
        key,
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
        refuse_fc_access_point_alias(b)?;
        validate_bucket(b)?;
    }
    let key = if key.is_empty() { None } else { Some(key) };
    if let Some(k) = &key {
        validate_key(k)?;
    }
    Ok(Target { bucket, key })
}

/// An Object FC access point's alias (`<name>-<hash>-opapalias`) in place of a bucket: 501
/// `NotImplemented`, since a GetObject through it would run a Function Compute function,
/// which the emulator does not do.
fn refuse_fc_access_point_alias(bucket: &str) -> Result<(), OssError> {
    if bucket.ends_with("-opapalias") {
        return Err(not_implemented(
            "The emulator runs no Function Compute: requests through an Object FC access \
             point alias are not served."
                .to_owned(),
        ));
    }
    Ok(())
}

/// Sub-resources (query parameters that select an operation) the emulator implements; each
/// is accepted only with the method and level of its operations (`?acl` with GET or PUT on a
/// bucket or an object, `?tagging` on an object, …); elsewhere it answers 501
/// `NotImplemented` (see the crate README, "Sub-resources, parameters and headers").
pub const IMPLEMENTED_SUB_RESOURCES: &[&str] = &[
    "accessPoint",
    "accessPointConfigForObjectProcess",
    "accessPointForObjectProcess",
    "accessPointPolicy",
    "accessPointPolicyForObjectProcess",
    "accessmonitor",
    "acl",
    "append",
    "bucketArchiveDirectRead",
    "bucketInfo",
    "category",
    "cleanRestoredObject",
    "cloudboxes",
    "cname",
    "comp",
    "cors",
    "delete",
    "encryption",
    "httpsConfig",
    "inventory",
    "inventoryId",
    "legalHold",
    "lifecycle",
    "location",
    "logging",
    "metaQuery",
    "objectMeta",
    "objectWorm",
    "overwriteConfig",
    "partNumber",
    "policy",
    "policyStatus",
    "position",
    "publicAccessBlock",
    "redundancyTransition",
    "referer",
    "regions",
    "replication",
    "replicationLocation",
    "replicationProgress",
    "requestPayment",
    "resourceGroup",
    "restore",
    "retention",
    "rtc",
    "rule-id",
    "seal",
    "stat",
    "style",
    "styleName",
    "symlink",
    "tagging",
    "transferAcceleration",
    "uploadId",
    "uploads",
    "userDefinedLogFieldsConfig",
    "versioning",
    "versions",
    "website",
    "worm",
    "wormExtend",
    "wormId",
    "x-oss-access-point-name",
    "x-oss-process",
    "x-oss-redundancy-transition-taskid",
    "x-oss-target-redundancy-type",
    "x-oss-write-get-object-response",
];

/// Query parameters OSS defines as sub-resources (or as parameters of operations that only
/// exist with one) that the emulator does not implement: any request carrying one, with or
/// without a value, on any method and level, answers 501 `NotImplemented`.
///
/// Collected from the official SDKs: every query parameter of the 154 Go v2 operations
/// (alibabacloud-oss-go-sdk-v2) and of alibabacloud-oss-v2 1.4.1 (vectors and tables
/// included), the V1 signers' sub-resource lists (oss2 2.19.1, the Darabonba OSS gateway),
/// plus the parameters that only accompany them (`styleName`, `inventoryId`, `wormId`, `comp`,
/// live-channel `status`, `startTime`, `endTime`, ListBuckets' `tag-key`/`tag-value`
/// filters, …).
pub const UNIMPLEMENTED_SUB_RESOURCES: &[&str] = &[
    "MetaQuery",
    "agenticBucket",
    "asyncFetch",
    "bucketSpace",
    "cacheConfiguration",
    "callback",
    "callback-var",
    "chunkNumber",
    "chunkSize",
    "copy",
    "dataAccelerator",
    "dataPipeline",
    "deleteVectorIndex",
    "deleteVectors",
    "dfs",
    "dfsadmin",
    "dfssecurity",
    "endTime",
    "eventnotification",
    "getVectorIndex",
    "getVectors",
    "group",
    "img",
    "link",
    "listVectorIndexes",
    "listVectors",
    "live",
    "metadataConfiguration",
    "metadataInventoryTable",
    "metadataJournalTable",
    "namespace",
    "objectInfo",
    "partSize",
    "partUploadId",
    "processConfiguration",
    "putVectorIndex",
    "putVectorIndexFusion",
    "putVectors",
    "qos",
    "qosInfo",
    "qosRequester",
    "queryVectors",
    "queryVectorsFusion",
    "quota",
    "redundancyProgress",
    "redundancyType",
    "regionList",
    "regionsV2",
    "requesterQosInfo",
    "reservedcapacity",
    "resourcePool",
    "resourcePoolBuckets",
    "resourcePoolInfo",
    "responseHeader",
    "select",
    "sequential",
    "startTime",
    "status",
    "tag-key",
    "tag-value",
    "userRegion",
    "verbose",
    "virtualBucket",
    "vod",
    "x-oss-async-process",
];

/// Ordinary request parameters: they never select an operation; an operation that has no
/// use for one ignores it (as OSS does).
pub(crate) const ORDINARY_PARAMETERS: &[&str] = &[
    // Listings.
    "prefix",
    "delimiter",
    "marker",
    "max-keys",
    "encoding-type",
    "list-type",
    "continuation-token",
    "start-after",
    "fetch-owner",
    "key-marker",
    "version-id-marker",
    "upload-id-marker",
    "max-uploads",
    "max-parts",
    "part-number-marker",
    // Versions and GetObject's answer overrides.
    "versionId",
    "response-content-type",
    "response-content-language",
    "response-expires",
    "response-cache-control",
    "response-content-disposition",
    "response-content-encoding",
    // Presigned URLs (V1 and V4).
    "OSSAccessKeyId",
    "Expires",
    "Signature",
    "security-token",
    "x-oss-signature-version",
    "x-oss-credential",
    "x-oss-date",
    "x-oss-expires",
    "x-oss-signature",
    "x-oss-additional-headers",
    "x-oss-security-token",
    // Accepted and ignored: they change neither what is stored nor what is answered
    // (bandwidth limit, who pays).
    "x-oss-traffic-limit",
    "x-oss-request-payer",
];

/// Request headers that would change what OSS stores or how it answers, which the emulator
/// does not implement: a request carrying one answers 501 `NotImplemented` rather than
/// storing the object without the feature.
pub const UNIMPLEMENTED_HEADERS: &[&str] = &[
    "x-oss-server-side-encryption-customer-algorithm",
    "x-oss-server-side-encryption-customer-key",
    "x-oss-server-side-encryption-customer-key-md5",
    "x-oss-object-worm-mode",
    "x-oss-object-worm-retain-until-date",
    "x-oss-object-worm-legal-hold",
    "x-oss-resource-group-id",
    "x-oss-bucket-tagging",
    "x-oss-agentic-bucket",
    "x-oss-hns-status",
    "x-oss-rename-source",
    "x-oss-redundancy-type",
];

/// The server-side encryption headers, implemented on PutObject, AppendObject, CopyObject and
/// InitiateMultipartUpload only: on any other request (PutBucket's default encryption,
/// UploadPart…) they answer 501 `NotImplemented`.
pub const ENCRYPTION_HEADERS: &[&str] = &[
    "x-oss-server-side-encryption",
    "x-oss-server-side-encryption-key-id",
    "x-oss-server-side-data-encryption",
];

/// The operations that take [`ENCRYPTION_HEADERS`].
const ENCRYPTED_WRITES: &[Operation] = &[
    Operation::PutObject,
    Operation::AppendObject,
    Operation::CopyObject,
    Operation::InitiateMultipartUpload,
];

/// How a query parameter counts for routing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ParamKind {
    /// A sub-resource the emulator routes.
    Implemented,
    /// Never selects an operation.
    Ordinary,
    /// Answers 501 `NotImplemented`.
    Unimplemented,
    /// Not a parameter OSS defines, with a value and without the `x-oss-` prefix: ignored
    /// (a cache buster such as `?t=17`).
    Ignored,
}

/// The strict rule for query parameters (see the crate README, "Sub-resources"):
/// implemented sub-resources route, ordinary parameters pass, the known unimplemented ones
/// answer 501, and so does any other parameter without a value (`?name`, `?name=`: it looks
/// like a sub-resource) or whose name starts with `x-oss-`; other parameters with a value are
/// ignored.
fn param_kind(name: &str, value: Option<&str>) -> ParamKind {
    if IMPLEMENTED_SUB_RESOURCES.contains(&name) {
        ParamKind::Implemented
    } else if ORDINARY_PARAMETERS.contains(&name) || name.starts_with("response-") {
        ParamKind::Ordinary
    } else if UNIMPLEMENTED_SUB_RESOURCES.contains(&name)
        || value.is_none_or(str::is_empty)
        || name.to_ascii_lowercase().starts_with("x-oss-")
    {
        ParamKind::Unimplemented
    } else {
        ParamKind::Ignored
    }
}

impl Operation {
    /// The implemented sub-resources this operation consumes; a request whose routed
    /// operation does not consume one of its sub-resources answers 501.
    fn sub_resources(self) -> &'static [&'static str] {
        use Operation as O;
        match self {
            O::GetBucketAcl | O::PutBucketAcl | O::GetObjectAcl | O::PutObjectAcl => &["acl"],
            O::DescribeRegions => &["regions"],
            O::GetBucketInfo => &["bucketInfo"],
            O::GetBucketLocation => &["location"],
            O::GetBucketStat => &["stat"],
            O::GetBucketVersioning | O::PutBucketVersioning => &["versioning"],
            O::PutBucketConfig(f) | O::GetBucketConfig(f) | O::DeleteBucketConfig(f) => {
                f.sub_resources()
            }
            O::PutBucketInventory | O::GetBucketInventory | O::DeleteBucketInventory => {
                &["inventory", "inventoryId"]
            }
            O::ListBucketInventory => &["inventory"],
            O::PutBucketReplication | O::DeleteBucketReplication => &["replication", "comp"],
            O::GetBucketReplication => &["replication"],
            O::GetBucketReplicationLocation => &["replicationLocation"],
            O::GetBucketReplicationProgress => &["replicationProgress", "rule-id"],
            O::PutBucketRtc => &["rtc"],
            O::GetBucketPolicyStatus => &["policyStatus"],
            O::GetMetaQueryStatus => &["metaQuery"],
            O::OpenMetaQuery | O::DoMetaQuery | O::CloseMetaQuery => &["metaQuery", "comp"],
            O::ListObjectVersions => &["versions"],
            O::ListMultipartUploads | O::InitiateMultipartUpload => &["uploads"],
            O::DeleteMultipleObjects => &["delete"],
            O::GetObjectMeta => &["objectMeta"],
            O::AppendObject => &["append", "position"],
            O::GetObjectTagging | O::PutObjectTagging | O::DeleteObjectTagging => &["tagging"],
            O::GetSymlink | O::PutSymlink => &["symlink"],
            O::RestoreObject => &["restore"],
            O::CleanRestoredObject => &["cleanRestoredObject"],
            O::SealAppendObject => &["seal", "position"],
            O::SelectObject | O::CreateSelectObjectMeta => &["x-oss-process"],
            O::UploadPart | O::UploadPartCopy => &["partNumber", "uploadId"],
            O::ListParts | O::CompleteMultipartUpload | O::AbortMultipartUpload => &["uploadId"],
            O::GetObject | O::ProcessObject => &["x-oss-process"],
            O::CreateAccessPoint
            | O::GetAccessPoint
            | O::DeleteAccessPoint
            | O::ListAccessPoints => &["accessPoint"],
            O::PutAccessPointPolicy | O::GetAccessPointPolicy | O::DeleteAccessPointPolicy => {
                &["accessPointPolicy"]
            }
            O::PutAccessPointPublicAccessBlock
            | O::GetAccessPointPublicAccessBlock
            | O::DeleteAccessPointPublicAccessBlock => {
                &["publicAccessBlock", "x-oss-access-point-name"]
            }
            O::PutPublicAccessBlock | O::GetPublicAccessBlock | O::DeletePublicAccessBlock => {
                &["publicAccessBlock"]
            }
            O::CreateCnameToken | O::GetCnameToken | O::PutCname | O::DeleteCname => {
                &["cname", "comp"]
            }
            O::ListCname => &["cname"],
            O::PutStyle => &["style", "styleName", "category"],
            O::GetStyle | O::DeleteStyle => &["style", "styleName"],
            O::ListStyle => &["style"],
            O::CreateBucketDataRedundancyTransition => {
                &["redundancyTransition", "x-oss-target-redundancy-type"]
            }
            O::GetBucketDataRedundancyTransition | O::DeleteBucketDataRedundancyTransition => {
                &["redundancyTransition", "x-oss-redundancy-transition-taskid"]
            }
            O::ListBucketDataRedundancyTransition | O::ListUserDataRedundancyTransition => {
                &["redundancyTransition"]
            }
            O::ListCloudBoxes => &["cloudboxes"],
            O::InitiateBucketWorm | O::AbortBucketWorm | O::GetBucketWorm => &["worm"],
            O::CompleteBucketWorm => &["wormId"],
            O::ExtendBucketWorm => &["wormExtend", "wormId"],
            O::PutBucketObjectWormConfiguration | O::GetBucketObjectWormConfiguration => {
                &["objectWorm"]
            }
            O::PutObjectRetention | O::GetObjectRetention => &["retention"],
            O::PutObjectLegalHold | O::GetObjectLegalHold => &["legalHold"],
            O::CreateAccessPointForObjectProcess
            | O::GetAccessPointForObjectProcess
            | O::DeleteAccessPointForObjectProcess
            | O::ListAccessPointsForObjectProcess => &["accessPointForObjectProcess"],
            O::PutAccessPointConfigForObjectProcess | O::GetAccessPointConfigForObjectProcess => {
                &["accessPointConfigForObjectProcess"]
            }
            O::PutAccessPointPolicyForObjectProcess
            | O::GetAccessPointPolicyForObjectProcess
            | O::DeleteAccessPointPolicyForObjectProcess => &["accessPointPolicyForObjectProcess"],
            O::WriteGetObjectResponse => &["x-oss-write-get-object-response"],
            O::ListBuckets
            | O::OptionObject
            | O::PutBucket
            | O::DeleteBucket
            | O::ListObjects
            | O::ListObjectsV2
            | O::PutObject
            | O::CopyObject
            | O::HeadObject
            | O::DeleteObject
            | O::PostObject => &[],
        }
    }
}

fn not_implemented(what: String) -> OssError {
    OssError::new(ErrorCode::NotImplemented, what)
}

/// Maps method, target, query and headers to an operation. Never falls through to another
/// operation: a request naming a sub-resource the emulator does not implement (or one that
/// the routed operation does not take), any other parameter the strict rule of
/// [`param_kind`] refuses, or a header of [`UNIMPLEMENTED_HEADERS`], answers 501
/// `NotImplemented`; a verb the resource does not take answers 405 `MethodNotAllowed`.
pub(crate) fn route(
    method: &Method,
    target: &Target,
    query: &QueryParams,
    headers: &http::HeaderMap,
) -> Result<Operation, OssError> {
    for (name, value) in query.iter() {
        if name.is_empty() {
            continue;
        }
        if param_kind(name, value) == ParamKind::Unimplemented {
            return Err(not_implemented(format!(
                "The emulator does not implement the '{name}' sub-resource or parameter."
            )));
        }
    }
    if let Some(name) = UNIMPLEMENTED_HEADERS
        .iter()
        .find(|h| headers.contains_key(**h))
    {
        return Err(not_implemented(format!(
            "The emulator does not implement the '{name}' header."
        )));
    }
    let op = route_op(method, target, query, headers);
    if let Ok(op) = &op {
        let header = ENCRYPTION_HEADERS
            .iter()
            .find(|h| headers.contains_key(**h));
        if let Some(name) = header.filter(|_| !ENCRYPTED_WRITES.contains(op)) {
            return Err(not_implemented(format!(
                "The emulator implements the '{name}' header on PutObject, AppendObject, \
                 CopyObject and InitiateMultipartUpload only."
            )));
        }
    }
    let consumed = match &op {
        Ok(op) => op.sub_resources(),
        // A verb the resource does not take, with a sub-resource: say which is missing.
        Err(e) if e.code == ErrorCode::MethodNotAllowed => &[],
        Err(_) => return op,
    };
    if let Some((name, _)) = query
        .iter()
        .find(|(n, v)| param_kind(n, *v) == ParamKind::Implemented && !consumed.contains(n))
    {
        let level = if target.key.is_some() {
            "an object"
        } else if target.bucket.is_some() {
            "a bucket"
        } else {
            "the service"
        };
        return Err(not_implemented(format!(
            "The emulator does not implement '{method} ?{name}' on {level}."
        )));
    }
    let takes_callback = matches!(
        op,
        Ok(Operation::PutObject | Operation::CompleteMultipartUpload)
    );
    if let Some(name) = CALLBACK_HEADERS.iter().find(|h| headers.contains_key(**h)) {
        if !takes_callback {
            return Err(not_implemented(format!(
                "The emulator takes the '{name}' header on PutObject and \
                 CompleteMultipartUpload only."
            )));
        }
    }
    op
}

/// CNAME, image style and redundancy transition operations on a bucket, by method and
/// sub-resource (none when the request names none of them, or a `comp` OSS does not define:
/// the sub-resources are then not consumed and answer 501).
fn bucket_feature(method: &Method, query: &QueryParams) -> Option<Operation> {
    let has = |name: &str| query.contains(name);
    let comp = query.get("comp").flatten();
    let op = match *method {
        Method::GET if comp == Some("token") => Operation::GetCnameToken,
        Method::POST if has("cname") => match comp {
            Some("token") => Operation::CreateCnameToken,
            Some("add") => Operation::PutCname,
            Some("delete") => Operation::DeleteCname,
            _ => return None,
        },
        Method::GET if has("cname") && !has("comp") => Operation::ListCname,
        Method::PUT if has("style") => Operation::PutStyle,
        Method::GET if has("style") && has("styleName") => Operation::GetStyle,
        Method::GET if has("style") => Operation::ListStyle,
        Method::DELETE if has("style") => Operation::DeleteStyle,
        Method::POST if has("redundancyTransition") => {
            Operation::CreateBucketDataRedundancyTransition
        }
        Method::GET if has("redundancyTransition") && has("x-oss-redundancy-transition-taskid") => {
            Operation::GetBucketDataRedundancyTransition
        }
        Method::GET if has("redundancyTransition") => Operation::ListBucketDataRedundancyTransition,
        Method::DELETE if has("redundancyTransition") => {
            Operation::DeleteBucketDataRedundancyTransition
        }
        _ => return None,
    };
    Some(op)
}

/// The operation on a bucket configuration document `family` that `method` names, if any
/// (a DELETE of a family OSS cannot delete is none: it answers 501).
fn config_operation(method: &Method, family: ConfigFamily) -> Option<Operation> {
    match *method {
        Method::GET => Some(Operation::GetBucketConfig(family)),
        Method::PUT => Some(Operation::PutBucketConfig(family)),
        Method::DELETE if family.deletable() => Some(Operation::DeleteBucketConfig(family)),
        _ => None,
    }
}

/// `POST /bucket?replication&comp=…`: `add` is PutBucketReplication, `delete`
/// DeleteBucketReplication; any other `comp` answers 501.
fn replication_op(query: &QueryParams) -> Result<Operation, OssError> {
    match query.get("comp").flatten() {
        Some("add") => Ok(Operation::PutBucketReplication),
        Some("delete") => Ok(Operation::DeleteBucketReplication),
        other => Err(not_implemented(format!(
            "The emulator does not implement 'POST ?replication&comp={}'.",
            other.unwrap_or("")
        ))),
    }
}

/// The Object FC access point operation on a bucket that `method` and `query` name, if any.
fn fc_access_point_op(method: &Method, query: &QueryParams) -> Option<Operation> {
    use Operation as O;
    let has = |name: &str| query.contains(name);
    match *method {
        Method::PUT if has("accessPointForObjectProcess") => {
            Some(O::CreateAccessPointForObjectProcess)
        }
        Method::GET if has("accessPointForObjectProcess") => {
            Some(O::GetAccessPointForObjectProcess)
        }
        Method::DELETE if has("accessPointForObjectProcess") => {
            Some(O::DeleteAccessPointForObjectProcess)
        }
        Method::PUT if has("accessPointConfigForObjectProcess") => {
            Some(O::PutAccessPointConfigForObjectProcess)
        }
        Method::GET if has("accessPointConfigForObjectProcess") => {
            Some(O::GetAccessPointConfigForObjectProcess)
        }
        Method::PUT if has("accessPointPolicyForObjectProcess") => {
            Some(O::PutAccessPointPolicyForObjectProcess)
        }
        Method::GET if has("accessPointPolicyForObjectProcess") => {
            Some(O::GetAccessPointPolicyForObjectProcess)
        }
        Method::DELETE if has("accessPointPolicyForObjectProcess") => {
            Some(O::DeleteAccessPointPolicyForObjectProcess)
        }
        _ => None,
    }
}

/// The upload-callback headers, which only PutObject and CompleteMultipartUpload take.
const CALLBACK_HEADERS: &[&str] = &["x-oss-callback", "x-oss-callback-var"];

/// `POST /key?x-oss-process=…`: SelectObject (`csv/select`, `json/select`),
/// CreateSelectObjectMeta (`csv/meta`, `json/meta`) or ProcessObject (anything else).
fn process_op(query: &QueryParams) -> Operation {
    match query.get("x-oss-process").flatten() {
        Some("csv/select" | "json/select") => Operation::SelectObject,
        Some("csv/meta" | "json/meta") => Operation::CreateSelectObjectMeta,
        _ => Operation::ProcessObject,
    }
}

/// Access points and the account's public access block, by method: `?accessPoint` and
/// `?accessPointPolicy` on a bucket (GetAccessPoint when `x-oss-access-point-name`, a header
/// or a query parameter, names one, else ListAccessPoints), `?publicAccessBlock` naming an
/// access point so on a bucket (never the bucket's own block), `?publicAccessBlock` and
/// `GET ?accessPoint` on the service.
fn access_point_op(
    method: &Method,
    target: &Target,
    query: &QueryParams,
    headers: &http::HeaderMap,
) -> Option<Operation> {
    use Operation as O;
    let has = |name: &str| query.contains(name);
    let on_bucket = target.bucket.is_some() && target.key.is_none();
    let on_service = target.bucket.is_none();
    let names_access_point =
        has("x-oss-access-point-name") || headers.contains_key("x-oss-access-point-name");
    let (get, put, delete) = if on_bucket && has("publicAccessBlock") {
        if !names_access_point {
            return None;
        }
        (
            O::GetAccessPointPublicAccessBlock,
            O::PutAccessPointPublicAccessBlock,
            O::DeleteAccessPointPublicAccessBlock,
        )
    } else if on_bucket && has("accessPointPolicy") {
        (
            O::GetAccessPointPolicy,
            O::PutAccessPointPolicy,
            O::DeleteAccessPointPolicy,
        )
    } else if on_bucket && has("accessPoint") {
        let get = if names_access_point {
            O::GetAccessPoint
        } else {
            O::ListAccessPoints
        };
        (get, O::CreateAccessPoint, O::DeleteAccessPoint)
    } else if on_service && has("publicAccessBlock") {
        (
            O::GetPublicAccessBlock,
            O::PutPublicAccessBlock,
            O::DeletePublicAccessBlock,
        )
    } else if on_service && has("accessPoint") && *method == Method::GET {
        return Some(O::ListAccessPoints);
    } else {
        return None;
    };
    match *method {
        Method::GET => Some(get),
        Method::PUT => Some(put),
        Method::DELETE => Some(delete),
        _ => None,
    }
}

/// `POST /bucket?metaQuery&comp=…`: OpenMetaQuery (`add`), DoMetaQuery (`query`) or
/// CloseMetaQuery (`delete`); another `comp` answers 400 `InvalidArgument`.
fn meta_query_op(query: &QueryParams) -> Result<Operation, OssError> {
    match query.get("comp").flatten() {
        Some("add") => Ok(Operation::OpenMetaQuery),
        Some("query") => Ok(Operation::DoMetaQuery),
        Some("delete") => Ok(Operation::CloseMetaQuery),
        other => Err(OssError::invalid_argument(
            "comp is add, query or delete.",
            "comp",
            other.unwrap_or(""),
        )),
    }
}

/// The operation, by method, level and the first implemented sub-resource that decides.
fn route_op(
    method: &Method,
    target: &Target,
    query: &QueryParams,
    headers: &http::HeaderMap,
) -> Result<Operation, OssError> {
    let has = |name: &str| query.contains(name);
    let has_copy_source = headers.contains_key("x-oss-copy-source");
    let is_form = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    let not_allowed =
        || OssError::from(ErrorCode::MethodNotAllowed).with("Method", method.as_str());
    if let Some(op) = access_point_op(method, target, query, headers) {
        return Ok(op);
    }
    if let (Some(_), None) = (&target.bucket, &target.key) {
        let family = ConfigFamily::ALL.into_iter().find(|f| has(f.name()));
        if let Some(op) = family.and_then(|f| config_operation(method, f)) {
            return Ok(op);
        }
        if let Some(op) = bucket_feature(method, query) {
            return Ok(op);
        }
        if let Some(op) = fc_access_point_op(method, query) {
            return Ok(op);
        }
    }
    match (&target.bucket, &target.key) {
        (None, _) => match *method {
            Method::GET if has("regions") => Ok(Operation::DescribeRegions),
            Method::GET if has("redundancyTransition") => {
                Ok(Operation::ListUserDataRedundancyTransition)
            }
            Method::GET if has("cloudboxes") => Ok(Operation::ListCloudBoxes),
            Method::GET if has("accessPointForObjectProcess") => {
                Ok(Operation::ListAccessPointsForObjectProcess)
            }
            Method::POST if has("x-oss-write-get-object-response") => {
                Ok(Operation::WriteGetObjectResponse)
            }
            Method::GET => Ok(Operation::ListBuckets),
            _ => Err(not_allowed()),
        },
        (Some(_), None) => match *method {
            Method::GET if has("acl") => Ok(Operation::GetBucketAcl),
            Method::GET if has("bucketInfo") => Ok(Operation::GetBucketInfo),
            Method::GET if has("location") => Ok(Operation::GetBucketLocation),
            Method::GET if has("metaQuery") => Ok(Operation::GetMetaQueryStatus),
            Method::GET if has("policyStatus") => Ok(Operation::GetBucketPolicyStatus),
            Method::GET if has("stat") => Ok(Operation::GetBucketStat),
            Method::GET if has("versioning") => Ok(Operation::GetBucketVersioning),
            Method::GET if has("versions") => Ok(Operation::ListObjectVersions),
            Method::GET if has("uploads") => Ok(Operation::ListMultipartUploads),
            Method::GET if has("inventory") && has("inventoryId") => {
                Ok(Operation::GetBucketInventory)
            }
            Method::GET if has("inventory") => Ok(Operation::ListBucketInventory),
            Method::GET if has("replication") => Ok(Operation::GetBucketReplication),
            Method::GET if has("replicationLocation") => {
                Ok(Operation::GetBucketReplicationLocation)
            }
            Method::GET if has("replicationProgress") => {
                Ok(Operation::GetBucketReplicationProgress)
            }
            Method::GET if has("worm") => Ok(Operation::GetBucketWorm),
            Method::GET if has("objectWorm") => Ok(Operation::GetBucketObjectWormConfiguration),
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
            Method::PUT if has("inventory") => Ok(Operation::PutBucketInventory),
            Method::PUT if has("rtc") => Ok(Operation::PutBucketRtc),
            Method::PUT if has("objectWorm") => Ok(Operation::PutBucketObjectWormConfiguration),
            Method::PUT => Ok(Operation::PutBucket),
            Method::DELETE if has("inventory") => Ok(Operation::DeleteBucketInventory),
            Method::DELETE if has("worm") => Ok(Operation::AbortBucketWorm),
            Method::DELETE => Ok(Operation::DeleteBucket),
            Method::POST if has("delete") => Ok(Operation::DeleteMultipleObjects),
            Method::POST if has("replication") => replication_op(query),
            Method::POST if has("metaQuery") => meta_query_op(query),
            Method::POST if has("worm") => Ok(Operation::InitiateBucketWorm),
            Method::POST if has("wormExtend") => Ok(Operation::ExtendBucketWorm),
            Method::POST if has("wormId") => Ok(Operation::CompleteBucketWorm),
            Method::POST if is_form => Ok(Operation::PostObject),
            Method::OPTIONS => Ok(Operation::OptionObject),
            Method::POST => Err(OssError::new(
                ErrorCode::NotImplemented,
                "POST to a bucket without a multipart/form-data body is not implemented by the \
                 emulator.",
            )),
            _ => Err(not_allowed()),
        },
        (Some(_), Some(_)) => match *method {
            Method::GET if has("acl") => Ok(Operation::GetObjectAcl),
            Method::GET if has("tagging") => Ok(Operation::GetObjectTagging),
            Method::GET if has("symlink") => Ok(Operation::GetSymlink),
            Method::GET if has("retention") => Ok(Operation::GetObjectRetention),
            Method::GET if has("legalHold") => Ok(Operation::GetObjectLegalHold),
            Method::GET if has("uploadId") => Ok(Operation::ListParts),
            Method::GET => Ok(Operation::GetObject),
            Method::HEAD if has("objectMeta") => Ok(Operation::GetObjectMeta),
            Method::HEAD => Ok(Operation::HeadObject),
            Method::PUT if has("acl") => Ok(Operation::PutObjectAcl),
            Method::PUT if has("tagging") => Ok(Operation::PutObjectTagging),
            Method::PUT if has("symlink") => Ok(Operation::PutSymlink),
            Method::PUT if has("retention") => Ok(Operation::PutObjectRetention),
            Method::PUT if has("legalHold") => Ok(Operation::PutObjectLegalHold),
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
            Method::POST if has("x-oss-process") => Ok(process_op(query)),
            Method::POST if has("cleanRestoredObject") => Ok(Operation::CleanRestoredObject),
            Method::POST if has("seal") => Ok(Operation::SealAppendObject),
            Method::DELETE if has("tagging") => Ok(Operation::DeleteObjectTagging),
            Method::DELETE if has("uploadId") => Ok(Operation::AbortMultipartUpload),
            Method::DELETE => Ok(Operation::DeleteObject),
            Method::OPTIONS => Ok(Operation::OptionObject),
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

    fn route_with(
        method: &Method,
        target: &Target,
        query: &QueryParams,
        copy: bool,
    ) -> Result<Operation, OssError> {
        let mut headers = http::HeaderMap::new();
        if copy {
            headers.insert("x-oss-copy-source", "/b/k".parse().unwrap());
        }
        route(method, target, query, &headers)
    }

    #[test]
    fn routes_by_verb_and_sub_resource() {
        let obj = t(Some("bkt"), Some("k"));
        let bkt = t(Some("bkt"), None);
        let q = |s: &str| QueryParams::parse(s);
        assert_eq!(
            route_with(&Method::HEAD, &obj, &q("objectMeta"), false).unwrap(),
            Operation::GetObjectMeta
        );
        assert_eq!(
            route_with(&Method::GET, &bkt, &q("list-type=2"), false).unwrap(),
            Operation::ListObjectsV2
        );
        assert_eq!(
            route_with(&Method::GET, &bkt, &q(""), false).unwrap(),
            Operation::ListObjects
        );
        assert_eq!(
            route_with(&Method::GET, &obj, &q("acl"), false).unwrap(),
            Operation::GetObjectAcl
        );
        assert_eq!(
            route_with(&Method::POST, &obj, &q("uploads="), false).unwrap(),
            Operation::InitiateMultipartUpload
        );
        assert_eq!(
            route_with(&Method::PUT, &obj, &q("partNumber=1&uploadId=U"), true).unwrap(),
            Operation::UploadPartCopy
        );
        assert_eq!(
            route_with(&Method::PUT, &obj, &q(""), true).unwrap(),
            Operation::CopyObject
        );
        assert_eq!(
            route_with(&Method::POST, &bkt, &q("delete"), false).unwrap(),
            Operation::DeleteMultipleObjects
        );
        assert_eq!(
            route_with(&Method::GET, &bkt, &q("versions&prefix=a"), false).unwrap(),
            Operation::ListObjectVersions
        );
        assert_eq!(
            route_with(&Method::PUT, &bkt, &q("tagging"), false).unwrap(),
            Operation::PutBucketConfig(ConfigFamily::Tags)
        );
        for (m, target, query, op) in [
            (
                Method::GET,
                &bkt,
                "comp=token&cname=a.com",
                Operation::GetCnameToken,
            ),
            (Method::POST, &bkt, "cname&comp=add", Operation::PutCname),
            (Method::GET, &bkt, "cname", Operation::ListCname),
            (Method::GET, &bkt, "style&styleName=s", Operation::GetStyle),
            (
                Method::GET,
                &t(None, None),
                "redundancyTransition",
                Operation::ListUserDataRedundancyTransition,
            ),
        ] {
            assert_eq!(route_with(&m, target, &q(query), false).unwrap(), op);
        }
        assert_eq!(
            route_with(&Method::POST, &bkt, &q("cname&comp=other"), false)
                .unwrap_err()
                .code,
            ErrorCode::NotImplemented
        );
        assert_eq!(
            route_with(&Method::GET, &bkt, &q("inventory"), false).unwrap(),
            Operation::ListBucketInventory
        );
        assert_eq!(
            route_with(&Method::GET, &bkt, &q("inventory&inventoryId=r1"), false).unwrap(),
            Operation::GetBucketInventory
        );
        assert_eq!(
            route_with(&Method::POST, &bkt, &q("replication&comp=delete"), false).unwrap(),
            Operation::DeleteBucketReplication
        );
        assert_eq!(
            route_with(&Method::DELETE, &bkt, &q("overwriteConfig"), false).unwrap(),
            Operation::DeleteBucketConfig(ConfigFamily::OverwriteConfig)
        );
        assert_eq!(
            route_with(&Method::POST, &obj, &q(""), false)
                .unwrap_err()
                .code,
            ErrorCode::MethodNotAllowed
        );
        assert_eq!(
            route_with(&Method::PUT, &t(None, None), &q(""), false)
                .unwrap_err()
                .code,
            ErrorCode::MethodNotAllowed
        );
    }

    #[test]
    fn routes_access_points_and_the_account_block() {
        let bkt = t(Some("bkt"), None);
        let service = t(None, None);
        let q = |s: &str| QueryParams::parse(s);
        let mut named = http::HeaderMap::new();
        named.insert("x-oss-access-point-name", "ap-01".parse().unwrap());
        let none = http::HeaderMap::new();
        let op = |m: Method, target: &Target, query: &str, headers: &http::HeaderMap| {
            route(&m, target, &q(query), headers)
        };
        use Operation as O;
        for (m, target, query, headers, want) in [
            (
                Method::PUT,
                &bkt,
                "accessPoint",
                &none,
                O::CreateAccessPoint,
            ),
            (Method::GET, &bkt, "accessPoint", &named, O::GetAccessPoint),
            (Method::GET, &bkt, "accessPoint", &none, O::ListAccessPoints),
            (
                Method::GET,
                &service,
                "accessPoint",
                &none,
                O::ListAccessPoints,
            ),
            (
                Method::DELETE,
                &bkt,
                "accessPoint",
                &named,
                O::DeleteAccessPoint,
            ),
            (
                Method::PUT,
                &bkt,
                "accessPointPolicy",
                &named,
                O::PutAccessPointPolicy,
            ),
            (
                Method::GET,
                &bkt,
                "publicAccessBlock&x-oss-access-point-name=ap-01",
                &none,
                O::GetAccessPointPublicAccessBlock,
            ),
            // The header names the access point too: never the bucket's own block.
            (
                Method::PUT,
                &bkt,
                "publicAccessBlock",
                &named,
                O::PutAccessPointPublicAccessBlock,
            ),
            (
                Method::PUT,
                &bkt,
                "publicAccessBlock",
                &none,
                O::PutBucketConfig(ConfigFamily::PublicAccessBlock),
            ),
            (
                Method::DELETE,
                &service,
                "publicAccessBlock",
                &none,
                O::DeletePublicAccessBlock,
            ),
        ] {
            assert_eq!(
                op(m.clone(), target, query, headers).unwrap(),
                want,
                "{m} {query}"
            );
        }
        for (m, target, query) in [
            (Method::PUT, &service, "accessPoint"),
            (
                Method::GET,
                &bkt,
                "accessPoint&x-oss-access-point-name=ap-01",
            ),
            (Method::GET, &bkt, "x-oss-access-point-name=ap-01"),
            (Method::POST, &bkt, "accessPointPolicy"),
        ] {
            let code = op(m.clone(), target, query, &none).unwrap_err().code;
            assert!(
                matches!(
                    code,
                    ErrorCode::NotImplemented | ErrorCode::MethodNotAllowed
                ),
                "{m} {query}: {code:?}"
            );
        }
    }

    #[test]
    fn never_falls_through_to_another_operation() {
        let obj = t(Some("bkt"), Some("k"));
        let bkt = t(Some("bkt"), None);
        let q = |s: &str| QueryParams::parse(s);
        let code = |m: Method, target: &Target, query: &str| {
            route_with(&m, target, &q(query), false)
                .map_err(|e| e.code)
                .err()
        };
        let ni = Some(ErrorCode::NotImplemented);
        // Unimplemented sub-resources, with or without a value.
        assert_eq!(code(Method::PUT, &obj, "overwriteConfig"), ni);
        assert_eq!(code(Method::PUT, &obj, "inventory="), ni);
        assert_eq!(code(Method::DELETE, &bkt, "dfs"), ni);
        assert_eq!(code(Method::POST, &bkt, "replication&comp=reset"), ni);
        assert_eq!(code(Method::GET, &bkt, "replication&comp=add"), ni);
        assert_eq!(code(Method::GET, &bkt, "inventoryId=r1"), ni);
        assert_eq!(code(Method::GET, &bkt, "styleName=s"), ni);
        // Implemented sub-resources on an operation that does not take them.
        assert_eq!(code(Method::PUT, &obj, "versioning"), ni);
        assert_eq!(code(Method::DELETE, &bkt, "acl"), ni);
        assert_eq!(code(Method::GET, &obj, "objectMeta"), ni);
        assert_eq!(code(Method::PUT, &bkt, "symlink"), ni);
        assert_eq!(code(Method::DELETE, &bkt, "uploadId=x"), ni);
        assert_eq!(code(Method::GET, &obj, "acl&tagging"), ni);
        // Unknown parameters: without a value or x-oss-* → 501; else ignored.
        assert_eq!(code(Method::GET, &bkt, "brandNewThing"), ni);
        assert_eq!(code(Method::GET, &obj, "brandNewThing="), ni);
        assert_eq!(code(Method::GET, &obj, "x-oss-something=1"), ni);
        assert_eq!(code(Method::GET, &obj, "t=17"), None);
        // What the official SDKs send on ordinary requests.
        for (m, target, query) in [
            (
                Method::GET,
                &bkt,
                "list-type=2&prefix=&delimiter=%2F&max-keys=100&continuation-token=&start-after=a&fetch-owner=false&encoding-type=url",
            ),
            (Method::GET, &bkt, "prefix=&marker=&max-keys=100&delimiter="),
            (
                Method::GET,
                &bkt,
                "versions&key-marker=&version-id-marker=&encoding-type=url",
            ),
            (
                Method::GET,
                &bkt,
                "uploads&key-marker=&upload-id-marker=&max-uploads=10",
            ),
            (
                Method::GET,
                &obj,
                "uploadId=U&max-parts=10&part-number-marker=0&encoding-type=url",
            ),
            (
                Method::GET,
                &obj,
                "versionId=CAEQ&response-content-type=a&response-content-disposition=b",
            ),
            (Method::POST, &obj, "uploads&encoding-type=url"),
            (Method::POST, &obj, "append&position=0"),
            (Method::PUT, &obj, "partNumber=1&uploadId=U"),
            (
                Method::GET,
                &obj,
                "x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-credential=c&x-oss-date=d&x-oss-expires=60&x-oss-signature=s&x-oss-additional-headers=host",
            ),
            (
                Method::GET,
                &obj,
                "OSSAccessKeyId=a&Expires=1&Signature=s&security-token=t",
            ),
        ] {
            assert!(
                route_with(&m, target, &q(query), false).is_ok(),
                "{m} {query}"
            );
        }
        // Storage-affecting headers the emulator lacks.
        let mut h = http::HeaderMap::new();
        h.insert("x-oss-object-worm-mode", "GOVERNANCE".parse().unwrap());
        assert_eq!(
            route(&Method::PUT, &obj, &q(""), &h).unwrap_err().code,
            ErrorCode::NotImplemented
        );
        // Encryption headers: on the writes that take them, not elsewhere.
        let mut h = http::HeaderMap::new();
        h.insert("x-oss-server-side-encryption", "AES256".parse().unwrap());
        assert!(route(&Method::PUT, &obj, &q(""), &h).is_ok());
        assert!(route(&Method::POST, &obj, &q("uploads"), &h).is_ok());
        for (m, target, query) in [
            (Method::PUT, &bkt, ""),
            (Method::GET, &obj, ""),
            (Method::PUT, &obj, "partNumber=1&uploadId=u"),
        ] {
            assert_eq!(
                route(&m, target, &q(query), &h).unwrap_err().code,
                ErrorCode::NotImplemented,
                "{m} {query}"
            );
        }
        // Every listed name, on every level and method.
        for name in UNIMPLEMENTED_SUB_RESOURCES {
            for target in [&obj, &bkt, &t(None, None)] {
                for m in [
                    Method::GET,
                    Method::PUT,
                    Method::POST,
                    Method::DELETE,
                    Method::HEAD,
                ] {
                    assert_eq!(code(m.clone(), target, name), ni, "{m} ?{name}");
                    assert_eq!(code(m, target, &format!("{name}=v")), ni, "?{name}=v");
                }
            }
        }
    }
}
