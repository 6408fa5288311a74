//! Copy, append, batch delete, meta, ACL, tagging, symlink, restore, ListObjects v1, bucket
//! info and the generic invoke, through the client against the emulator.

use futures_util::TryStreamExt as _;
use http::Method;
use oss_client::operation::acl::Acl;
use oss_client::{ErrorKind, SignatureVersion};

use crate::support::{bucket, client, emulator, etag_of, get, put};

#[tokio::test]
async fn copy_object_same_and_cross_bucket() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let a = bucket(&client, "copy-a").await;
    let b = bucket(&client, "copy-b").await;
    let put = client
        .put_object()
        .bucket(&a)
        .key("src")
        .body("copy me")
        .content_type("text/plain")
        .metadata("m", "1")
        .send()
        .await
        .unwrap();

    let same = client
        .copy_object()
        .bucket(&a)
        .key("dst")
        .source_key("src")
        .send()
        .await
        .unwrap();
    assert_eq!(same.etag, etag_of(b"copy me"));
    let head = client
        .head_object()
        .bucket(&a)
        .key("dst")
        .send()
        .await
        .unwrap();
    assert_eq!(head.metadata_value("m"), Some("1"), "COPY keeps metadata");

    client
        .copy_object()
        .bucket(&b)
        .key("dst")
        .source_bucket(&a)
        .source_key("src")
        .replace_metadata()
        .content_type("application/x-copied")
        .metadata("m", "2")
        .send()
        .await
        .unwrap();
    let head = client
        .head_object()
        .bucket(&b)
        .key("dst")
        .send()
        .await
        .unwrap();
    assert_eq!(
        (head.metadata_value("m"), head.content_type.as_deref()),
        (Some("2"), Some("application/x-copied"))
    );
    let got = get(&client, &b, "dst").await;
    assert_eq!(&got.body.collect().await.unwrap()[..], b"copy me");

    let err = client
        .copy_object()
        .bucket(&a)
        .key("x")
        .source_key("src")
        .source_if_match("\"0\"")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("PreconditionFailed"));
    client
        .copy_object()
        .bucket(&a)
        .key("x")
        .source_key("src")
        .source_if_match(put.etag)
        .send()
        .await
        .unwrap();
    let err = client
        .copy_object()
        .bucket(&a)
        .key("x")
        .source_key("src")
        .forbid_overwrite(true)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("FileAlreadyExists"));
    let err = client
        .copy_object()
        .bucket(&a)
        .key("y")
        .source_key("missing")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("NoSuchKey"));
    emu.shutdown().await;
}

#[tokio::test]
async fn append_object_chains_positions_and_crc() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "append").await;
    let first = client
        .append_object()
        .bucket(&b)
        .key("log")
        .position(0)
        .body("hello ")
        .send()
        .await
        .unwrap();
    assert_eq!(first.next_position, 6);
    let second = client
        .append_object()
        .bucket(&b)
        .key("log")
        .position(first.next_position)
        .previous_crc64(first.crc64.unwrap())
        .body("world")
        .send()
        .await
        .unwrap();
    assert_eq!(second.next_position, 11);
    let got = get(&client, &b, "log").await;
    assert_eq!(got.properties.object_type.as_deref(), Some("Appendable"));
    assert_eq!(&got.body.collect().await.unwrap()[..], b"hello world");

    let err = client
        .append_object()
        .bucket(&b)
        .key("log")
        .position(3)
        .body("x")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (
            err.code(),
            err.as_service_error().unwrap().status().as_u16()
        ),
        (Some("PositionNotEqualToLength"), 409)
    );
    // The 409 says where the next append must start, typed.
    assert_eq!(
        err.as_service_error().unwrap().next_append_position(),
        Some(11)
    );
    assert!(err.to_string().contains("next append position 11"), "{err}");
    put(&client, &b, "normal", "n").await;
    let err = client
        .append_object()
        .bucket(&b)
        .key("normal")
        .position(1)
        .body("x")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ObjectNotAppendable"));
    emu.shutdown().await;
}

#[tokio::test]
async fn delete_objects_in_batches() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V1);
    let b = bucket(&client, "batch-delete").await;
    for key in ["a", "b c", "d+e"] {
        put(&client, &b, key, "x").await;
    }
    let out = client
        .delete_objects()
        .bucket(&b)
        .keys(["a", "b c", "d+e", "never-existed"])
        .send()
        .await
        .unwrap();
    let mut keys: Vec<_> = out.deleted.iter().map(|d| d.key.as_str()).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["a", "b c", "d+e", "never-existed"]);
    let page = client.list_objects_v2().bucket(&b).send().await.unwrap();
    assert!(page.contents.is_empty());

    put(&client, &b, "q", "x").await;
    let quiet = client
        .delete_objects()
        .bucket(&b)
        .key("q")
        .quiet(true)
        .send()
        .await
        .unwrap();
    assert!(quiet.deleted.is_empty());

    let too_many = client
        .delete_objects()
        .bucket(&b)
        .keys((0..1001).map(|i| i.to_string()))
        .send()
        .await
        .unwrap_err();
    assert_eq!(too_many.kind(), ErrorKind::InvalidArgument);
    let none = client.delete_objects().bucket(&b).send().await.unwrap_err();
    assert_eq!(none.kind(), ErrorKind::InvalidArgument);
    emu.shutdown().await;
}

#[tokio::test]
async fn meta_acl_tagging_symlink() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "props").await;
    client
        .put_object()
        .bucket(&b)
        .key("k")
        .body("12345")
        .tag("team", "storage")
        .tag("tier", "hot")
        .send()
        .await
        .unwrap();

    let meta = client
        .get_object_meta()
        .bucket(&b)
        .key("k")
        .send()
        .await
        .unwrap();
    assert_eq!(
        (meta.content_length, meta.etag.as_str()),
        (5, etag_of(b"12345").as_str())
    );
    assert!(meta.crc64.is_some());

    let tags = client.get_object_tagging(&b, "k").await.unwrap().tags;
    assert_eq!(
        tags,
        [
            ("team".to_owned(), "storage".to_owned()),
            ("tier".to_owned(), "hot".to_owned())
        ]
    );
    client
        .put_object_tagging(&b, "k", &[("a b".into(), "c&d".into())])
        .await
        .unwrap();
    assert_eq!(
        client.get_object_tagging(&b, "k").await.unwrap().tags,
        [("a b".to_owned(), "c&d".to_owned())]
    );
    client.delete_object_tagging(&b, "k").await.unwrap();
    assert!(
        client
            .get_object_tagging(&b, "k")
            .await
            .unwrap()
            .tags
            .is_empty()
    );

    assert_eq!(
        client.get_object_acl(&b, "k").await.unwrap().acl,
        Acl::Default
    );
    client
        .put_object_acl(&b, "k", Acl::PublicRead)
        .await
        .unwrap();
    assert_eq!(
        client.get_object_acl(&b, "k").await.unwrap().acl,
        Acl::PublicRead
    );
    client
        .put_bucket_acl(&b, Acl::PublicReadWrite)
        .await
        .unwrap();
    assert_eq!(
        client.get_bucket_acl(&b).await.unwrap().acl,
        Acl::PublicReadWrite
    );
    assert!(client.put_bucket_acl(&b, Acl::Default).await.is_err());

    client.put_symlink(&b, "link to/k", "k").await.unwrap();
    assert_eq!(
        client.get_symlink(&b, "link to/k").await.unwrap().target,
        "k"
    );
    let through = get(&client, &b, "link to/k").await;
    assert_eq!(&through.body.collect().await.unwrap()[..], b"12345");
    let err = client.get_symlink(&b, "k").await.unwrap_err();
    assert_eq!(err.code(), Some("NotSymlink"));
    emu.shutdown().await;
}

#[tokio::test]
async fn archive_objects_need_a_restore() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "archive").await;
    client
        .put_object()
        .bucket(&b)
        .key("cold")
        .body("frozen")
        .storage_class("Archive")
        .send()
        .await
        .unwrap();
    let err = client
        .get_object()
        .bucket(&b)
        .key("cold")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidObjectState"));
    assert_eq!(
        client
            .restore_object()
            .bucket(&b)
            .key("cold")
            .days(1)
            .send()
            .await
            .unwrap()
            .status,
        202
    );
    let err = client
        .restore_object()
        .bucket(&b)
        .key("cold")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("RestoreAlreadyInProgress"));
    // In progress until the emulator's clock says otherwise (tests/emulator/restore.rs).
    let head = client
        .head_object()
        .bucket(&b)
        .key("cold")
        .send()
        .await
        .unwrap();
    assert_eq!(
        head.restore,
        Some(oss_client::types::RestoreState::InProgress)
    );
    let err = client
        .get_object()
        .bucket(&b)
        .key("cold")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidObjectState"));
    put(&client, &b, "warm", "x").await;
    assert_eq!(
        client
            .restore_object()
            .bucket(&b)
            .key("warm")
            .send()
            .await
            .unwrap_err()
            .code(),
        Some("OperationNotSupported")
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn list_objects_v1_pages_and_bucket_info() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "v1-list").await;
    for i in 0..11 {
        put(&client, &b, format!("k/{i:02}"), "12").await;
    }
    let pages: Vec<_> = client
        .list_objects()
        .bucket(&b)
        .prefix("k/")
        .max_keys(4)
        .into_paginator()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    let keys: Vec<String> = pages
        .iter()
        .flat_map(|p| p.contents.iter().map(|o| o.key.clone()))
        .collect();
    assert_eq!(
        keys,
        (0..11).map(|i| format!("k/{i:02}")).collect::<Vec<_>>()
    );

    let info = client.get_bucket_info(&b).await.unwrap();
    assert_eq!(
        (
            info.name.as_str(),
            info.region.as_str(),
            info.location.as_str()
        ),
        (b.as_str(), "cn-hangzhou", "oss-cn-hangzhou")
    );
    assert_eq!(
        client.get_bucket_location(&b).await.unwrap().location,
        "oss-cn-hangzhou"
    );
    let stat = client.get_bucket_stat(&b).await.unwrap();
    assert_eq!((stat.object_count, stat.storage), (11, 22));

    let raw = client
        .invoke(Method::GET)
        .bucket(&b)
        .query("location", None)
        .send()
        .await
        .unwrap();
    assert!(String::from_utf8_lossy(&raw.body).contains("oss-cn-hangzhou"));
    let err = client
        .invoke(Method::GET)
        .bucket("no-such-bucket")
        .query("bucketInfo", None)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("NoSuchBucket"));
    emu.shutdown().await;
}
