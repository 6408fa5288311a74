//! GetBucketInfo, GetBucketLocation and GetBucketStat (OSS API reference, "Buckets").

use std::time::SystemTime;

use http::Method;

use crate::client::Client;
use crate::error::Error;
use crate::request::OperationRequest;
use crate::response::parse_iso8601;
use crate::types::{Owner, RawResponse};
use crate::xml;

/// The answer of GetBucketInfo.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct BucketInfo {
    /// The bucket name.
    pub name: String,
    /// The location (`oss-cn-hangzhou`).
    pub location: String,
    /// The region id (`cn-hangzhou`).
    pub region: String,
    /// Creation time.
    pub creation_date: Option<SystemTime>,
    /// The public endpoint.
    pub extranet_endpoint: String,
    /// The internal endpoint.
    pub intranet_endpoint: String,
    /// The default storage class.
    pub storage_class: String,
    /// The ACL grant (`private`, `public-read`…).
    pub acl: String,
    /// The versioning status (`Enabled`, `Suspended`), when versioning was ever set.
    pub versioning: Option<String>,
    /// The owner.
    pub owner: Owner,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's HTTP status and every header, as received.
    pub raw: RawResponse,
}

/// The answer of GetBucketStat: usage figures.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct BucketStat {
    /// Stored bytes.
    pub storage: u64,
    /// Number of objects.
    pub object_count: u64,
    /// Number of unfinished multipart uploads.
    pub multipart_upload_count: u64,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's HTTP status and every header, as received.
    pub raw: RawResponse,
}

/// The answer of GetBucketLocation.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct BucketLocationOutput {
    /// The bucket's location, e.g. `oss-cn-hangzhou`.
    pub location: String,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's status and headers.
    pub raw: RawResponse,
}

impl Client {
    /// GetBucketInfo.
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`.
    pub async fn get_bucket_info(&self, bucket: &str) -> Result<BucketInfo, Error> {
        let mut op = OperationRequest::bucket(Method::GET, Some(bucket.to_owned()))?;
        op.query.push_flag("bucketInfo");
        self.execute_request(Ok(op), |answer| {
            let raw = answer.raw();
            let root = xml::parse(&answer.body)?;
            let b = root.child("Bucket").ok_or_else(|| {
                Error::invalid_response("GetBucketInfo answered without a Bucket")
            })?;
            Ok(BucketInfo {
                name: b.text_or_empty("Name"),
                location: b.text_or_empty("Location"),
                region: b.text_or_empty("Region"),
                creation_date: b.child_text("CreationDate").and_then(parse_iso8601),
                extranet_endpoint: b.text_or_empty("ExtranetEndpoint"),
                intranet_endpoint: b.text_or_empty("IntranetEndpoint"),
                storage_class: b.text_or_empty("StorageClass"),
                acl: b
                    .child("AccessControlList")
                    .map(|l| l.text_or_empty("Grant"))
                    .unwrap_or_default(),
                versioning: b
                    .child_text("Versioning")
                    .filter(|v| !v.is_empty())
                    .map(str::to_owned),
                owner: b
                    .child("Owner")
                    .map(|o| Owner {
                        id: o.text_or_empty("ID"),
                        display_name: o.text_or_empty("DisplayName"),
                    })
                    .unwrap_or_default(),
                request_id: raw.request_id(),
                raw,
            })
        })
        .await
    }

    /// GetBucketLocation: the bucket's location, e.g. `oss-cn-hangzhou`.
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`.
    pub async fn get_bucket_location(&self, bucket: &str) -> Result<BucketLocationOutput, Error> {
        let mut op = OperationRequest::bucket(Method::GET, Some(bucket.to_owned()))?;
        op.query.push_flag("location");
        self.execute_request(Ok(op), |answer| {
            let raw = answer.raw();
            let root = xml::parse(&answer.body)?;
            Ok(BucketLocationOutput {
                location: root.text.trim().to_owned(),
                request_id: raw.request_id(),
                raw,
            })
        })
        .await
    }

    /// GetBucketStat.
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`.
    pub async fn get_bucket_stat(&self, bucket: &str) -> Result<BucketStat, Error> {
        let mut op = OperationRequest::bucket(Method::GET, Some(bucket.to_owned()))?;
        op.query.push_flag("stat");
        self.execute_request(Ok(op), |answer| {
            let raw = answer.raw();
            let root = xml::parse(&answer.body)?;
            Ok(BucketStat {
                storage: root.child_parse("Storage")?.unwrap_or(0),
                object_count: root.child_parse("ObjectCount")?.unwrap_or(0),
                multipart_upload_count: root.child_parse("MultipartUploadCount")?.unwrap_or(0),
                request_id: raw.request_id(),
                raw,
            })
        })
        .await
    }
}
