//! DescribeRegions: the emulator's own region and those of its `--bucket-in-region` buckets.

use oss_client::SignatureVersion;

use crate::support::{ACCESS_KEY_ID, ACCESS_KEY_SECRET, client};

#[tokio::test]
async fn describe_regions_lists_the_known_regions_and_refuses_others() {
    let emu = oss_emulator::Emulator::builder()
        .credentials(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
        .region("cn-hangzhou")
        .bucket_in_region("examplebucket", "cn-beijing")
        .bucket_in_region("otherbucket", "cn-beijing")
        .start()
        .await
        .unwrap();
    let client = client(&emu, SignatureVersion::V4);

    let all = client.describe_regions(None).await.unwrap();
    let names: Vec<_> = all.regions.iter().map(|r| r.region.as_str()).collect();
    assert_eq!(names, ["oss-cn-beijing", "oss-cn-hangzhou"]);
    assert!(!all.request_id.is_empty());
    let v1 = crate::support::client(&emu, SignatureVersion::V1);
    assert_eq!(
        v1.describe_regions(None).await.unwrap().regions,
        all.regions
    );

    let one = client
        .describe_regions(Some("oss-cn-hangzhou"))
        .await
        .unwrap();
    assert_eq!(one.regions.len(), 1);
    let r = &one.regions[0];
    assert_eq!(r.region, "oss-cn-hangzhou");
    assert_eq!(r.internet_endpoint, "oss-cn-hangzhou.aliyuncs.com");
    assert_eq!(r.internal_endpoint, "oss-cn-hangzhou-internal.aliyuncs.com");
    assert_eq!(r.accelerate_endpoint, "oss-accelerate.aliyuncs.com");

    let unknown = client
        .describe_regions(Some("oss-us-west-1"))
        .await
        .unwrap_err();
    let service = unknown.as_service_error().unwrap();
    assert_eq!(
        (service.status().as_u16(), service.code()),
        (400, "InvalidArgument")
    );

    let before = emu.requests_received();
    let empty = client.describe_regions(Some("")).await.unwrap_err();
    assert_eq!(empty.kind(), oss_client::ErrorKind::InvalidArgument);
    assert_eq!(emu.requests_received(), before, "refused before any I/O");
}
