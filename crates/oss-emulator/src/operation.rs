//! [`Operation`]: the OSS API operations the emulator serves, as the router names them and
//! as fault rules and handlers match on them.

use crate::config_family::ConfigFamily;

/// The operations the emulator implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    /// `GET /`.
    ListBuckets,
    /// `GET /?regions[=oss-<region>]`.
    DescribeRegions,
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
    /// `PUT /bucket?cors` and the other configuration families (PutBucketCors,
    /// PutBucketLifecycle, PutBucketPolicy, …).
    PutBucketConfig(ConfigFamily),
    /// `GET /bucket?cors`, … (GetBucketCors, GetBucketLifecycle, …).
    GetBucketConfig(ConfigFamily),
    /// `DELETE /bucket?cors`, … (DeleteBucketCors, DeleteBucketLifecycle, …).
    DeleteBucketConfig(ConfigFamily),
    /// `PUT /bucket?inventory&inventoryId=I`.
    PutBucketInventory,
    /// `GET /bucket?inventory&inventoryId=I`.
    GetBucketInventory,
    /// `GET /bucket?inventory`.
    ListBucketInventory,
    /// `DELETE /bucket?inventory&inventoryId=I`.
    DeleteBucketInventory,
    /// `POST /bucket?replication&comp=add`.
    PutBucketReplication,
    /// `GET /bucket?replication`.
    GetBucketReplication,
    /// `POST /bucket?replication&comp=delete`.
    DeleteBucketReplication,
    /// `GET /bucket?replicationLocation`.
    GetBucketReplicationLocation,
    /// `GET /bucket?replicationProgress[&rule-id=R]`.
    GetBucketReplicationProgress,
    /// `PUT /bucket?rtc`.
    PutBucketRtc,
    /// `GET /bucket?policyStatus`.
    GetBucketPolicyStatus,
    /// `POST /bucket?metaQuery&comp=add`.
    OpenMetaQuery,
    /// `GET /bucket?metaQuery`.
    GetMetaQueryStatus,
    /// `POST /bucket?metaQuery&comp=query`.
    DoMetaQuery,
    /// `POST /bucket?metaQuery&comp=delete`.
    CloseMetaQuery,
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
    /// `POST /bucket/key?cleanRestoredObject`.
    CleanRestoredObject,
    /// `POST /bucket/key?seal&position=N`.
    SealAppendObject,
    /// `OPTIONS /bucket/key` (or `/bucket`): a CORS preflight, unsigned.
    OptionObject,
    /// `POST /bucket/key?x-oss-process=csv/select` (or `json/select`).
    SelectObject,
    /// `POST /bucket/key?x-oss-process=csv/meta` (or `json/meta`).
    CreateSelectObjectMeta,
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
    /// `POST /bucket` with a `multipart/form-data` body (a browser form upload).
    PostObject,
    /// `POST /bucket/key?x-oss-process` (`sys/saveas`).
    ProcessObject,
    /// `PUT /bucket?accessPoint`.
    CreateAccessPoint,
    /// `GET /bucket?accessPoint` + `x-oss-access-point-name`.
    GetAccessPoint,
    /// `DELETE /bucket?accessPoint` + `x-oss-access-point-name`.
    DeleteAccessPoint,
    /// `GET /?accessPoint` (the account's) or `GET /bucket?accessPoint` (the bucket's).
    ListAccessPoints,
    /// `PUT /bucket?accessPointPolicy` + `x-oss-access-point-name`.
    PutAccessPointPolicy,
    /// `GET /bucket?accessPointPolicy` + `x-oss-access-point-name`.
    GetAccessPointPolicy,
    /// `DELETE /bucket?accessPointPolicy` + `x-oss-access-point-name`.
    DeleteAccessPointPolicy,
    /// `PUT /bucket?publicAccessBlock&x-oss-access-point-name=<name>`.
    PutAccessPointPublicAccessBlock,
    /// `GET /bucket?publicAccessBlock&x-oss-access-point-name=<name>`.
    GetAccessPointPublicAccessBlock,
    /// `DELETE /bucket?publicAccessBlock&x-oss-access-point-name=<name>`.
    DeleteAccessPointPublicAccessBlock,
    /// `PUT /?publicAccessBlock` (the account's).
    PutPublicAccessBlock,
    /// `GET /?publicAccessBlock`.
    GetPublicAccessBlock,
    /// `DELETE /?publicAccessBlock`.
    DeletePublicAccessBlock,
    /// `POST /bucket?cname&comp=token`.
    CreateCnameToken,
    /// `GET /bucket?comp=token&cname=<domain>`.
    GetCnameToken,
    /// `POST /bucket?cname&comp=add`.
    PutCname,
    /// `GET /bucket?cname`.
    ListCname,
    /// `POST /bucket?cname&comp=delete`.
    DeleteCname,
    /// `PUT /bucket?style&styleName=<name>`.
    PutStyle,
    /// `GET /bucket?style&styleName=<name>`.
    GetStyle,
    /// `GET /bucket?style`.
    ListStyle,
    /// `DELETE /bucket?style&styleName=<name>`.
    DeleteStyle,
    /// `POST /bucket?redundancyTransition&x-oss-target-redundancy-type=ZRS`.
    CreateBucketDataRedundancyTransition,
    /// `GET /bucket?redundancyTransition&x-oss-redundancy-transition-taskid=<id>`.
    GetBucketDataRedundancyTransition,
    /// `DELETE /bucket?redundancyTransition&x-oss-redundancy-transition-taskid=<id>`.
    DeleteBucketDataRedundancyTransition,
    /// `GET /bucket?redundancyTransition`.
    ListBucketDataRedundancyTransition,
    /// `GET /?redundancyTransition`.
    ListUserDataRedundancyTransition,
    /// `GET /?cloudboxes`.
    ListCloudBoxes,
    /// `POST /bucket?worm`.
    InitiateBucketWorm,
    /// `DELETE /bucket?worm`.
    AbortBucketWorm,
    /// `POST /bucket?wormId=…`.
    CompleteBucketWorm,
    /// `POST /bucket?wormExtend&wormId=…`.
    ExtendBucketWorm,
    /// `GET /bucket?worm`.
    GetBucketWorm,
    /// `PUT /bucket?objectWorm`.
    PutBucketObjectWormConfiguration,
    /// `GET /bucket?objectWorm`.
    GetBucketObjectWormConfiguration,
    /// `PUT /bucket/key?retention`.
    PutObjectRetention,
    /// `GET /bucket/key?retention`.
    GetObjectRetention,
    /// `PUT /bucket/key?legalHold`.
    PutObjectLegalHold,
    /// `GET /bucket/key?legalHold`.
    GetObjectLegalHold,
    /// `PUT /bucket?accessPointForObjectProcess` + `x-oss-access-point-for-object-process-name`.
    CreateAccessPointForObjectProcess,
    /// `GET /bucket?accessPointForObjectProcess` + the name header.
    GetAccessPointForObjectProcess,
    /// `DELETE /bucket?accessPointForObjectProcess` + the name header.
    DeleteAccessPointForObjectProcess,
    /// `GET /?accessPointForObjectProcess`.
    ListAccessPointsForObjectProcess,
    /// `PUT /bucket?accessPointConfigForObjectProcess` + the name header.
    PutAccessPointConfigForObjectProcess,
    /// `GET /bucket?accessPointConfigForObjectProcess` + the name header.
    GetAccessPointConfigForObjectProcess,
    /// `PUT /bucket?accessPointPolicyForObjectProcess` + the name header.
    PutAccessPointPolicyForObjectProcess,
    /// `GET /bucket?accessPointPolicyForObjectProcess` + the name header.
    GetAccessPointPolicyForObjectProcess,
    /// `DELETE /bucket?accessPointPolicyForObjectProcess` + the name header.
    DeleteAccessPointPolicyForObjectProcess,
    /// `POST /?x-oss-write-get-object-response`.
    WriteGetObjectResponse,
}

#[cfg(test)]
mod tests {
    /// The crate docs name every operation the router serves (a newcomer reads the list
    /// there).
    #[test]
    fn crate_docs_list_every_operation() {
        let source = include_str!("operation.rs");
        let start = source.find("pub(crate) enum Operation {").unwrap();
        let body = &source[start..start + source[start..].find("\n}").unwrap()];
        let docs: std::collections::BTreeSet<&str> = include_str!("lib.rs")
            .lines()
            .filter(|line| line.starts_with("//!"))
            .flat_map(|line| line.split(|c: char| !c.is_ascii_alphanumeric()))
            .collect();
        let variants: Vec<&str> = body
            .lines()
            .map(str::trim)
            .filter(|line| !line.starts_with("//") && line.ends_with(','))
            .map(|line| line.trim_end_matches(','))
            .map(|line| line.split('(').next().unwrap_or(line))
            .collect();
        assert!(variants.len() >= 36, "the enum was not read: {variants:?}");
        for variant in variants {
            assert!(
                docs.contains(variant),
                "the crate docs do not list {variant}"
            );
        }
    }
}
