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
