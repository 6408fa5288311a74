//! PutBucket, ListBuckets, DeleteBucket and their error codes.

use oss_client::SignatureVersion;

use crate::support::{bucket, client, emulator, put};

#[tokio::test]
async fn bucket_lifecycle_and_errors() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let name = bucket(&client, "lifecycle-bucket").await;
    bucket(&client, "another-bucket").await;

    let listed = client.list_buckets().send().await.unwrap();
    let names: Vec<_> = listed.buckets.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["another-bucket", "lifecycle-bucket"]);
    assert_eq!(listed.buckets[0].region, "cn-hangzhou");
    assert!(!listed.request_id.is_empty());

    let again = client.put_bucket().bucket(&name).send().await.unwrap_err();
    let service = again.as_service_error().unwrap();
    assert_eq!(
        (service.status().as_u16(), service.code()),
        (409, "BucketAlreadyExists")
    );

    put(&client, &name, "k", "v").await;
    let not_empty = client
        .delete_bucket()
        .bucket(&name)
        .send()
        .await
        .unwrap_err();
    assert_eq!(not_empty.code(), Some("BucketNotEmpty"));
    assert_eq!(not_empty.as_service_error().unwrap().status().as_u16(), 409);

    client
        .delete_object()
        .bucket(&name)
        .key("k")
        .send()
        .await
        .unwrap();
    client.delete_bucket().bucket(&name).send().await.unwrap();
    let gone = client
        .delete_bucket()
        .bucket(&name)
        .send()
        .await
        .unwrap_err();
    let service = gone.as_service_error().unwrap();
    assert_eq!(
        (service.status().as_u16(), service.code()),
        (404, "NoSuchBucket")
    );
    assert!(!service.request_id().is_empty());
    assert!(!service.ec().is_empty());

    let missing = client
        .put_object()
        .bucket("no-such-bucket")
        .key("k")
        .body("v")
        .send()
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Some("NoSuchBucket"));
    emu.shutdown().await;
}

/// Reported failure B23: a bucket in another region. OSS answers 403 `AccessDenied` naming
/// the endpoint that serves the bucket; the client puts that endpoint in the typed error and
/// its message, and sends the request once (no silent retry at another host).
#[tokio::test]
async fn a_bucket_in_another_region_names_its_endpoint_and_is_not_retried() {
    use crate::support::{ACCESS_KEY_ID, ACCESS_KEY_SECRET};
    let emu = oss_emulator::Emulator::builder()
        .credentials(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
        .region("cn-hangzhou")
        .bucket_in_region("examplebucket", "cn-beijing")
        .start()
        .await
        .unwrap();
    let v4 = client(&emu, SignatureVersion::V4);
    let v1 = client(&emu, SignatureVersion::V1);

    let before = emu.requests_received();
    let err = v4
        .get_object()
        .bucket("examplebucket")
        .key("a.txt")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        emu.requests_received() - before,
        1,
        "sent once, not retried"
    );
    let service = err.as_service_error().expect("an OSS error");
    assert_eq!(service.status(), 403);
    assert_eq!(service.code(), "AccessDenied");
    assert_eq!(service.endpoint(), Some("oss-cn-beijing.aliyuncs.com"));
    assert_eq!(service.detail("Bucket"), Some("examplebucket"));
    assert_eq!(service.ec(), "0003-00000001");
    assert_eq!(
        service.detail("RecommendDoc"),
        Some("https://api.aliyun.com/troubleshoot?q=0003-00000001")
    );
    assert!(!err.is_retryable());
    let message = err.to_string();
    assert!(
        message.contains("served at endpoint oss-cn-beijing.aliyuncs.com"),
        "{message}"
    );

    // HEAD carries the error document in `x-oss-err`; V1 signatures get the same answer.
    let err = v1
        .head_object()
        .bucket("examplebucket")
        .key("a.txt")
        .send()
        .await
        .unwrap_err();
    let service = err.as_service_error().expect("an OSS error");
    assert_eq!(service.endpoint(), Some("oss-cn-beijing.aliyuncs.com"));

    // An operation the emulator does not implement gets the same answer, not a 501.
    let err = v4
        .invoke(http::Method::GET)
        .bucket("examplebucket")
        .query("lifecycle", None)
        .send()
        .await
        .unwrap_err();
    let service = err.as_service_error().expect("an OSS error");
    assert_eq!(service.endpoint(), Some("oss-cn-beijing.aliyuncs.com"));

    // GetBucketLocation answers from any region's endpoint, ListBuckets lists every region's
    // buckets, and this endpoint's own buckets work.
    assert_eq!(
        v4.get_bucket_location("examplebucket")
            .await
            .unwrap()
            .location,
        "oss-cn-beijing"
    );
    let local = bucket(&v4, "local-bucket").await;
    put(&v4, &local, "a.txt", bytes::Bytes::from_static(b"here")).await;
    let listed = v4.list_buckets().send().await.unwrap();
    let regions: Vec<_> = listed
        .buckets
        .iter()
        .map(|b| (b.name.as_str(), b.region.as_str()))
        .collect();
    assert_eq!(
        regions,
        [
            ("examplebucket", "cn-beijing"),
            ("local-bucket", "cn-hangzhou")
        ]
    );
}

/// The emulator refuses a bucket "in another region" that is its own region, or a location,
/// before any I/O: an address already in use would otherwise be the error.
#[tokio::test]
async fn a_bucket_in_its_own_region_or_a_location_is_refused_at_start() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    for region in ["cn-hangzhou", "oss-cn-beijing"] {
        let err = oss_emulator::Emulator::builder()
            .listen(taken.local_addr().unwrap())
            .region("cn-hangzhou")
            .bucket_in_region("examplebucket", region)
            .start()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput, "{region}");
        assert!(err.to_string().contains(region), "{err}");
    }
}
