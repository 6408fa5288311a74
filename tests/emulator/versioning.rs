//! Versioned buckets: versions, delete markers, reads by version id.

use futures_util::TryStreamExt as _;
use oss_client::SignatureVersion;
use oss_client::operation::versioning::VersioningStatus;

use crate::support::{bucket, client, emulator, get};

#[tokio::test]
async fn versions_and_delete_markers() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "versioned").await;
    assert_eq!(
        client.get_bucket_versioning(&b).await.unwrap().status,
        VersioningStatus::Unversioned
    );
    client
        .put_bucket_versioning(&b, VersioningStatus::Enabled)
        .await
        .unwrap();
    assert_eq!(
        client.get_bucket_versioning(&b).await.unwrap().status,
        VersioningStatus::Enabled
    );

    let v1 = client
        .put_object()
        .bucket(&b)
        .key("doc")
        .body("one")
        .send()
        .await
        .unwrap()
        .version_id
        .unwrap();
    let v2 = client
        .put_object()
        .bucket(&b)
        .key("doc")
        .body("two")
        .send()
        .await
        .unwrap()
        .version_id
        .unwrap();
    assert_ne!(v1, v2);
    let old = client
        .get_object()
        .bucket(&b)
        .key("doc")
        .version_id(&v1)
        .send()
        .await
        .unwrap();
    assert_eq!(&old.body.collect().await.unwrap()[..], b"one");

    let deleted = client
        .delete_object()
        .bucket(&b)
        .key("doc")
        .send()
        .await
        .unwrap();
    assert!(deleted.delete_marker);
    let err = client
        .get_object()
        .bucket(&b)
        .key("doc")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("NoSuchKey"));

    let listed = client
        .list_object_versions()
        .bucket(&b)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.versions.len(), 3);
    assert!(listed.versions[0].is_delete_marker && listed.versions[0].is_latest);
    assert_eq!(
        listed
            .versions
            .iter()
            .filter(|v| !v.is_delete_marker)
            .count(),
        2
    );

    // One entry per page: every page continues from the key marker and the version id marker
    // of the one before (the three entries share a key).
    let pages: Vec<_> = client
        .list_object_versions()
        .bucket(&b)
        .max_keys(1)
        .into_paginator()
        .try_collect()
        .await
        .unwrap();
    let paged: Vec<_> = pages.iter().flat_map(|p| &p.versions).collect();
    assert_eq!(pages.len(), 3);
    assert_eq!(
        paged
            .iter()
            .map(|v| (&v.key, &v.version_id))
            .collect::<Vec<_>>(),
        listed
            .versions
            .iter()
            .map(|v| (&v.key, &v.version_id))
            .collect::<Vec<_>>()
    );

    // Removing the marker brings the newest version back.
    client
        .delete_object()
        .bucket(&b)
        .key("doc")
        .version_id(deleted.version_id.unwrap())
        .send()
        .await
        .unwrap();
    let current = get(&client, &b, "doc").await;
    assert_eq!(&current.body.collect().await.unwrap()[..], b"two");
    assert!(
        client
            .put_bucket_versioning(&b, VersioningStatus::Unversioned)
            .await
            .is_err()
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn tagging_acl_and_symlink_of_one_version() {
    use oss_client::operation::acl::Acl;
    use oss_client::types::ObjectKey;

    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "versioned-subresources").await;
    client
        .put_bucket_versioning(&b, VersioningStatus::Enabled)
        .await
        .unwrap();
    let put = |body: &'static str| client.put_object().bucket(&b).key("doc").body(body).send();
    let v1 = put("one").await.unwrap().version_id.unwrap();
    let v2 = put("two").await.unwrap().version_id.unwrap();
    let first = || ObjectKey::new("doc").version_id(v1.clone());
    let tags = [("stage".to_owned(), "draft".to_owned())];

    // Tagging: the first version gets the tags, the latest keeps none.
    client.put_object_tagging(&b, first(), &tags).await.unwrap();
    assert_eq!(
        client.get_object_tagging(&b, first()).await.unwrap().tags,
        tags
    );
    assert!(
        client
            .get_object_tagging(&b, "doc")
            .await
            .unwrap()
            .tags
            .is_empty()
    );
    client.delete_object_tagging(&b, first()).await.unwrap();
    assert!(
        client
            .get_object_tagging(&b, first())
            .await
            .unwrap()
            .tags
            .is_empty()
    );

    // ACL: likewise per version.
    client
        .put_object_acl(&b, first(), Acl::PublicRead)
        .await
        .unwrap();
    assert_eq!(
        client.get_object_acl(&b, first()).await.unwrap().acl,
        Acl::PublicRead
    );
    assert_eq!(
        client
            .get_object_acl(&b, ObjectKey::new("doc").version_id(v2.as_str()))
            .await
            .unwrap()
            .acl,
        Acl::Default
    );

    // GetSymlink of an older link version.
    client.put_symlink(&b, "link", "doc").await.unwrap();
    let link_v1 = client
        .head_object()
        .bucket(&b)
        .key("link")
        .send()
        .await
        .unwrap()
        .version_id
        .unwrap();
    client.put_symlink(&b, "link", "elsewhere").await.unwrap();
    assert_eq!(
        client.get_symlink(&b, "link").await.unwrap().target,
        "elsewhere"
    );
    let old_link = ObjectKey::new("link").version_id(link_v1);
    assert_eq!(
        client.get_symlink(&b, old_link).await.unwrap().target,
        "doc"
    );

    // A version that does not exist is OSS's 404 NoSuchVersion.
    let missing = ObjectKey::new("doc")
        .version_id("CAEQNhiBgMDJgZCA0BYiIGM2ZjI3NGZhNmQ1MzQ4ZmY5ZTM3ZmJmYWQzNzBjNTcz");
    let error = client.get_object_tagging(&b, missing).await.unwrap_err();
    assert_eq!(error.code(), Some("NoSuchVersion"));
    emu.shutdown().await;
}
