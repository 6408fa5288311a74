//! Multipart uploads through the client (bugs.md B17), list paginators, part copy, abort.

use futures_util::TryStreamExt as _;
use oss_client::SignatureVersion;
use oss_client::operation::multipart::complete::CompletedPart;

use crate::support::{bucket, client, emulator, get, put};

const KIB: usize = 1024;

fn data(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(seed).wrapping_add(seed))
        .collect()
}

#[tokio::test]
async fn parts_finishing_out_of_order_complete_in_part_order() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "multipart").await;
    let init = client
        .initiate_multipart_upload()
        .bucket(&b)
        .key("big/file.bin")
        .content_type("application/x-big")
        .send()
        .await
        .unwrap();
    assert_eq!(init.key, "big/file.bin");
    let parts = [data(100 * KIB, 3), data(100 * KIB, 5), data(10 * KIB, 7)];
    // Uploaded concurrently; results collected in the order they finish.
    let uploads = parts.iter().enumerate().rev().map(|(i, bytes)| {
        client
            .upload_part()
            .bucket(&b)
            .key("big/file.bin")
            .upload_id(&init.upload_id)
            .part_number(i as u32 + 1)
            .body(bytes.clone())
            .send()
    });
    let finished = futures_util::future::try_join_all(uploads).await.unwrap();
    assert!(
        finished
            .iter()
            .all(|p| p.etag.starts_with('"') && p.etag.ends_with('"'))
    );
    let completed: Vec<CompletedPart> = finished.iter().map(CompletedPart::from).collect();
    let done = client
        .complete_multipart_upload()
        .bucket(&b)
        .key("big/file.bin")
        .upload_id(&init.upload_id)
        .parts(completed)
        .send()
        .await
        .unwrap();
    assert!(done.etag.ends_with("-3\""), "{}", done.etag);
    let got = get(&client, &b, "big/file.bin").await;
    assert_eq!(got.properties.object_type.as_deref(), Some("Multipart"));
    assert_eq!(got.properties.crc64, done.crc64);
    let body = got.body.collect().await.unwrap();
    assert_eq!(body, parts.concat());
    emu.shutdown().await;
}

#[tokio::test]
async fn small_parts_wrong_etags_and_aborts_are_refused() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V1);
    let b = bucket(&client, "multipart-errors").await;
    let id = client
        .initiate_multipart_upload()
        .bucket(&b)
        .key("k")
        .send()
        .await
        .unwrap()
        .upload_id;
    let p1 = client
        .upload_part()
        .bucket(&b)
        .key("k")
        .upload_id(&id)
        .part_number(1)
        .body(data(10 * KIB, 1))
        .send()
        .await
        .unwrap();
    let p2 = client
        .upload_part()
        .bucket(&b)
        .key("k")
        .upload_id(&id)
        .part_number(2)
        .body(data(10 * KIB, 2))
        .send()
        .await
        .unwrap();
    let err = client
        .complete_multipart_upload()
        .bucket(&b)
        .key("k")
        .upload_id(&id)
        .part(&p1)
        .part(&p2)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("EntityTooSmall"));
    let err = client
        .complete_multipart_upload()
        .bucket(&b)
        .key("k")
        .upload_id(&id)
        .part(CompletedPart::new(
            2,
            "\"00000000000000000000000000000000\"",
        ))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidPart"));
    let err = client
        .upload_part()
        .bucket(&b)
        .key("k")
        .upload_id(&id)
        .part_number(10_001)
        .body("x")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_input_error());

    let uploads = client
        .list_multipart_uploads()
        .bucket(&b)
        .send()
        .await
        .unwrap();
    assert_eq!(uploads.uploads.len(), 1);
    assert_eq!(uploads.uploads[0].upload_id, id);
    let parts = client
        .list_parts()
        .bucket(&b)
        .key("k")
        .upload_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        parts
            .parts
            .iter()
            .map(|p| (p.part_number, p.size))
            .collect::<Vec<_>>(),
        [(1, 10 * 1024), (2, 10 * 1024)]
    );
    assert_eq!(parts.parts[0].crc64, p1.crc64);

    client.abort_multipart_upload(&b, "k", &id).await.unwrap();
    let err = client
        .abort_multipart_upload(&b, "k", &id)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("NoSuchUpload"));
    let err = client
        .list_parts()
        .bucket(&b)
        .key("k")
        .upload_id(&id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("NoSuchUpload"));
    emu.shutdown().await;
}

#[tokio::test]
async fn complete_all_part_copy_and_paginators() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "multipart-more").await;
    let source = data(300 * KIB, 9);
    put(&client, &b, "source", source.clone()).await;
    let id = client
        .initiate_multipart_upload()
        .bucket(&b)
        .key("copied")
        .send()
        .await
        .unwrap()
        .upload_id;
    for (n, (first, last)) in [(0u64, 102_399u64), (102_400, 204_799), (204_800, 307_199)]
        .into_iter()
        .enumerate()
    {
        client
            .upload_part_copy()
            .bucket(&b)
            .key("copied")
            .upload_id(&id)
            .part_number(n as u32 + 1)
            .source_key("source")
            .source_range(first, last)
            .send()
            .await
            .unwrap();
    }
    let pages: Vec<_> = client
        .list_parts()
        .bucket(&b)
        .key("copied")
        .upload_id(&id)
        .max_parts(2)
        .into_paginator()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    client
        .complete_multipart_upload()
        .bucket(&b)
        .key("copied")
        .upload_id(&id)
        .complete_all(true)
        .send()
        .await
        .unwrap();
    let got = get(&client, &b, "copied").await;
    assert_eq!(got.body.collect().await.unwrap(), source);

    for i in 0..5 {
        client
            .initiate_multipart_upload()
            .bucket(&b)
            .key(format!("pending/{i}"))
            .send()
            .await
            .unwrap();
    }
    let pages: Vec<_> = client
        .list_multipart_uploads()
        .bucket(&b)
        .prefix("pending/")
        .max_uploads(2)
        .into_paginator()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    let keys: Vec<String> = pages
        .iter()
        .flat_map(|p| p.uploads.iter().map(|u| u.key.clone()))
        .collect();
    assert_eq!(
        keys,
        (0..5).map(|i| format!("pending/{i}")).collect::<Vec<_>>()
    );
    let err = client.delete_bucket().bucket(&b).send().await.unwrap_err();
    assert_eq!(
        err.code(),
        Some("BucketNotEmpty"),
        "unfinished uploads keep a bucket"
    );
    emu.shutdown().await;
}
