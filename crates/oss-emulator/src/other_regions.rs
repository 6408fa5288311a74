//! Buckets that live in another region (reported failure B23). OSS does not redirect a
//! request that reaches the wrong region's endpoint: it answers 403 `AccessDenied`, naming the
//! bucket and the endpoint that serves it. GetBucketLocation still answers from any endpoint,
//! and ListBuckets lists the account's buckets of every region.

use std::collections::BTreeMap;
use std::time::SystemTime;

use http::StatusCode;

use crate::error::{ErrorCode, OssError};
use crate::http_util::{Resp, xml_response};
use crate::names::validate_bucket;
use crate::xml::XmlWriter;

/// The buckets this endpoint does not serve, each with the region it lives in.
#[derive(Debug)]
pub(crate) struct OtherRegions {
    regions: BTreeMap<String, String>,
    /// Their creation time in listings: when the emulator started.
    created: SystemTime,
}

impl OtherRegions {
    /// Checks `regions` (bucket → region) against this endpoint's `own_region`.
    ///
    /// # Errors
    /// A message when a bucket name is invalid, or a region is empty, is not lower-case
    /// letters, digits and `-`, starts with `oss-` (a location, not a region), or is
    /// `own_region`.
    pub(crate) fn new(
        regions: BTreeMap<String, String>,
        own_region: &str,
        created: SystemTime,
    ) -> Result<Self, String> {
        for (bucket, region) in &regions {
            validate_bucket(bucket)
                .map_err(|e| format!("bucket in another region: {}", e.message))?;
            let well_formed = !region.is_empty()
                && region
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !well_formed || region.starts_with("oss-") {
                return Err(format!(
                    "bucket {bucket}: {region:?} is not a region such as cn-beijing"
                ));
            }
            if region == own_region {
                return Err(format!(
                    "bucket {bucket}: {region} is this endpoint's own region"
                ));
            }
        }
        Ok(Self { regions, created })
    }

    /// The region `bucket` lives in, when it is another region's.
    pub(crate) fn region_of(&self, bucket: &str) -> Option<&str> {
        self.regions.get(bucket).map(String::as_str)
    }

    /// The regions these buckets live in, each once, in order.
    pub(crate) fn regions(&self) -> std::collections::BTreeSet<&str> {
        self.regions.values().map(String::as_str).collect()
    }

    /// Every such bucket as (name, region, creation time), by name.
    pub(crate) fn buckets(&self) -> impl Iterator<Item = (&str, &str, SystemTime)> {
        self.regions
            .iter()
            .map(|(name, region)| (name.as_str(), region.as_str(), self.created))
    }

    /// The answer for a request to `bucket` when the bucket lives in another region; `None`
    /// when this endpoint serves it (or the request names no bucket). `location` tells
    /// whether the request is GetBucketLocation.
    pub(crate) fn answer(
        &self,
        bucket: Option<&str>,
        location: bool,
    ) -> Option<Result<Resp, OssError>> {
        let bucket = bucket?;
        let region = self.region_of(bucket)?;
        if location {
            let mut w = XmlWriter::new();
            w.elem("LocationConstraint", &format!("oss-{region}"));
            return Some(Ok(xml_response(StatusCode::OK, w.finish())));
        }
        let code = ErrorCode::AccessDenied;
        Some(Err(OssError::new(
            code,
            "The bucket you are attempting to access must be addressed using the specified \
             endpoint. Please send all future requests to this endpoint.",
        )
        .with("Bucket", bucket)
        .with("Endpoint", format!("oss-{region}.aliyuncs.com"))
        .with(
            "RecommendDoc",
            format!("https://api.aliyun.com/troubleshoot?q={}", code.ec()),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(bucket: &str, region: &str) -> Result<OtherRegions, String> {
        let regions = BTreeMap::from([(bucket.to_owned(), region.to_owned())]);
        OtherRegions::new(regions, "cn-hangzhou", SystemTime::UNIX_EPOCH)
    }

    #[test]
    fn accepts_a_region_other_than_its_own() {
        let other = one("examplebucket", "cn-beijing").unwrap();
        assert_eq!(other.region_of("examplebucket"), Some("cn-beijing"));
        assert_eq!(other.region_of("local"), None);
    }

    #[test]
    fn refuses_locations_its_own_region_and_bad_names() {
        for (bucket, region) in [
            ("examplebucket", "oss-cn-beijing"),
            ("examplebucket", "cn-hangzhou"),
            ("examplebucket", "b=c"),
            ("examplebucket", ""),
            ("Bad_Bucket", "cn-beijing"),
        ] {
            assert!(one(bucket, region).is_err(), "{bucket} {region}");
        }
    }
}
