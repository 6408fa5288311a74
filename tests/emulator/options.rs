//! Per-object options (issue 15): `ObjectOptions` on PutObject, AppendObject,
//! InitiateMultipartUpload and the Uploader; Content-Type from the key; `DownloadOptions` and
//! `CopyOptions`; traffic limit and request payer; raw status and headers on outputs.

use bytes::Bytes;
use oss_client::operation::acl::Acl;
use oss_client::operation::object_options::{MAX_TRAFFIC_LIMIT, ObjectOptions};
use oss_client::transfer::{Copier, CopyOptions, DownloadOptions, Downloader, Uploader};
use oss_client::types::{ByteRange, RawResponse};
use oss_client::{Client, ErrorKind, SignatureVersion};

use crate::support::{bucket, client, emulator, offline_client};

const PART: u64 = 100 * 1024;

fn data(len: u64) -> Bytes {
    (0..len).map(|i| (i % 251) as u8).collect::<Vec<_>>().into()
}

/// Content-Type, Cache-Control, one metadata entry, one tag, ACL and storage class as the
/// emulator reports them for `key`.
async fn attributes(client: &Client, b: &str, key: &str) -> (String, String, String, String) {
    let head = client
        .head_object()
        .bucket(b)
        .key(key)
        .send()
        .await
        .unwrap();
    let tags = client.get_object_tagging(b, key).await.unwrap().tags;
    let acl = client.get_object_acl(b, key).await.unwrap().acl;
    assert_eq!(acl, Acl::PublicRead, "{key}");
    assert_eq!(head.storage_class.as_deref(), Some("IA"), "{key}");
    assert_eq!(head.tagging_count, 1, "{key}");
    let owner = head.metadata_value("owner").unwrap_or_default().to_owned();
    (
        head.content_type.unwrap_or_default(),
        head.cache_control.unwrap_or_default(),
        owner,
        format!("{}={}", tags[0].0, tags[0].1),
    )
}

fn site_options() -> ObjectOptions {
    ObjectOptions::new()
        .cache_control("max-age=60")
        .metadata("owner", "web")
        .tag("site", "docs")
        .acl("public-read")
        .storage_class("IA")
        .request_payer(true)
        .traffic_limit(MAX_TRAFFIC_LIMIT)
}

#[tokio::test]
async fn uploader_options_reach_small_and_multipart_objects_with_guessed_types() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "upload-options").await;
    let uploader = Uploader::new(&client)
        .part_size(PART)
        .multipart_threshold(PART)
        .options(site_options());
    let small = uploader
        .upload_bytes(&b, "index.html", data(10))
        .await
        .unwrap();
    assert_eq!(small.parts, 0);
    let large = uploader
        .upload_bytes(&b, "app.js", data(3 * PART))
        .await
        .unwrap();
    assert_eq!(large.parts, 3);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("style.css");
    std::fs::write(&file, data(2 * PART)).unwrap();
    uploader
        .upload_file(&b, "assets/style.css", &file)
        .await
        .unwrap();
    for (key, content_type) in [
        ("index.html", "text/html"),
        ("app.js", "text/javascript"),
        ("assets/style.css", "text/css"),
    ] {
        assert_eq!(
            attributes(&client, &b, key).await,
            (
                content_type.to_owned(),
                "max-age=60".to_owned(),
                "web".to_owned(),
                "site=docs".to_owned()
            )
        );
    }
    // One object of the batch with its own Content-Type, from a clone.
    uploader
        .clone()
        .options(ObjectOptions::new().content_type("text/x-custom"))
        .upload_bytes(&b, "other.html", data(5))
        .await
        .unwrap();
    let (content_type, ..) = attributes(&client, &b, "other.html").await;
    assert_eq!(content_type, "text/x-custom");
}

#[tokio::test]
async fn content_type_is_guessed_unless_set_or_turned_off() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "content-types").await;
    let content_type = |key: &'static str| {
        let client = client.clone();
        let b = b.clone();
        async move {
            let head = client.head_object().bucket(b).key(key).send().await;
            head.unwrap().content_type.unwrap()
        }
    };
    client
        .put_object()
        .bucket(&b)
        .key("photo.png")
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(content_type("photo.png").await, "image/png");
    client
        .put_object()
        .bucket(&b)
        .key("raw.png")
        .body("x")
        .options(ObjectOptions::new().detect_content_type(false))
        .send()
        .await
        .unwrap();
    assert_eq!(content_type("raw.png").await, "application/octet-stream");
    client
        .put_object()
        .bucket(&b)
        .key("data.json")
        .content_type("text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(content_type("data.json").await, "text/plain");
    client
        .append_object()
        .bucket(&b)
        .key("log.txt")
        .body("line\n")
        .send()
        .await
        .unwrap();
    assert_eq!(content_type("log.txt").await, "text/plain");
    let upload = client
        .initiate_multipart_upload()
        .bucket(&b)
        .key("movie.mp4")
        .send()
        .await
        .unwrap();
    let part = client
        .upload_part()
        .bucket(&b)
        .key("movie.mp4")
        .upload_id(&upload.upload_id)
        .part_number(1)
        .body(data(10))
        .traffic_limit(MAX_TRAFFIC_LIMIT)
        .send()
        .await
        .unwrap();
    client
        .complete_multipart_upload()
        .bucket(&b)
        .key("movie.mp4")
        .upload_id(&upload.upload_id)
        .part(&part)
        .send()
        .await
        .unwrap();
    assert_eq!(content_type("movie.mp4").await, "video/mp4");
}

#[tokio::test]
async fn outputs_carry_the_raw_status_and_headers() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "raw-headers").await;
    let put = client
        .put_object()
        .bucket(&b)
        .key("k.txt")
        .body("hello")
        .send()
        .await
        .unwrap();
    assert_eq!(put.raw.status, 200);
    assert_eq!(
        put.raw.header("x-oss-request-id"),
        Some(put.request_id.as_str())
    );
    assert_eq!(put.raw.header("etag"), Some(put.etag.as_str()));
    let got = client
        .get_object()
        .bucket(&b)
        .key("k.txt")
        .range(ByteRange::inclusive(1, 2).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(got.properties.raw.status, 206);
    assert_eq!(
        got.properties.raw.header("content-range"),
        Some("bytes 1-2/5")
    );
    let head = client
        .head_object()
        .bucket(&b)
        .key("k.txt")
        .send()
        .await
        .unwrap();
    assert_eq!(head.raw.status, 200);
    assert_eq!(head.raw.header("content-length"), Some("5"));
    assert_eq!(head.server_side_encryption, None);
    assert_eq!(head.expiration, None);
}

/// The status and request id every typed output carries, checked against its typed field.
fn assert_raw(raw: &RawResponse, request_id: &str, what: &str) {
    assert_eq!(raw.status, 200, "{what}");
    assert!(!request_id.is_empty(), "{what}");
    assert_eq!(raw.header("x-oss-request-id"), Some(request_id), "{what}");
}

#[tokio::test]
async fn listings_bucket_and_metadata_outputs_carry_the_raw_answer() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "raw-everywhere").await;
    client
        .put_object()
        .bucket(&b)
        .key("k.txt")
        .body("hello")
        .send()
        .await
        .unwrap();
    let v1 = client.list_objects().bucket(&b).send().await.unwrap();
    assert_raw(&v1.raw, &v1.request_id, "ListObjects");
    assert_eq!(v1.raw.header("content-type"), Some("application/xml"));
    let v2 = client.list_objects_v2().bucket(&b).send().await.unwrap();
    assert_raw(&v2.raw, &v2.request_id, "ListObjectsV2");
    let versions = client
        .list_object_versions()
        .bucket(&b)
        .send()
        .await
        .unwrap();
    assert_raw(&versions.raw, &versions.request_id, "ListObjectVersions");
    let buckets = client.list_buckets().send().await.unwrap();
    assert_raw(&buckets.raw, &buckets.request_id, "ListBuckets");
    let info = client.get_bucket_info(&b).await.unwrap();
    assert_raw(&info.raw, &info.request_id, "GetBucketInfo");
    let stat = client.get_bucket_stat(&b).await.unwrap();
    assert_raw(&stat.raw, &stat.request_id, "GetBucketStat");
    let acl = client.get_object_acl(&b, "k.txt").await.unwrap();
    assert_raw(&acl.raw, &acl.request_id, "GetObjectACL");
    let put_acl = client
        .put_object_acl(&b, "k.txt", Acl::PublicRead)
        .await
        .unwrap();
    assert_raw(&put_acl.raw, &put_acl.request_id, "PutObjectACL");
    let tags = client.get_object_tagging(&b, "k.txt").await.unwrap();
    assert_raw(&tags.raw, &tags.request_id, "GetObjectTagging");
    let meta = client
        .get_object_meta()
        .bucket(&b)
        .key("k.txt")
        .send()
        .await
        .unwrap();
    assert_raw(&meta.raw, &meta.request_id, "GetObjectMeta");
    assert_eq!(meta.raw.header("content-length"), Some("5"));

    let upload = client
        .initiate_multipart_upload()
        .bucket(&b)
        .key("mp")
        .send()
        .await
        .unwrap();
    let uploads = client
        .list_multipart_uploads()
        .bucket(&b)
        .send()
        .await
        .unwrap();
    assert_raw(&uploads.raw, &uploads.request_id, "ListMultipartUploads");
    let parts = client
        .list_parts()
        .bucket(&b)
        .key("mp")
        .upload_id(&upload.upload_id)
        .send()
        .await
        .unwrap();
    assert_raw(&parts.raw, &parts.request_id, "ListParts");

    let deleted = client
        .delete_objects()
        .bucket(&b)
        .key("absent")
        .send()
        .await
        .unwrap();
    assert_raw(&deleted.raw, &deleted.request_id, "DeleteObjects");
    let gone = client
        .delete_object()
        .bucket(&b)
        .key("k.txt")
        .send()
        .await
        .unwrap();
    assert_eq!(gone.raw.status, 204);
    assert_eq!(
        gone.raw.header("x-oss-request-id"),
        Some(gone.request_id.as_str())
    );
}

#[tokio::test]
async fn downloader_options_choose_version_range_and_conditions() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "download-options").await;
    let content = data(3 * PART + 7);
    let first = client
        .put_object()
        .bucket(&b)
        .key("big.bin")
        .body(content.clone())
        .send()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let downloader = Downloader::new(&client).part_size(PART);
    let ranged = dir.path().join("ranged");
    let out = downloader
        .clone()
        .options(
            DownloadOptions::new()
                .range(ByteRange::inclusive(PART - 3, 2 * PART + 10).unwrap())
                .if_match(first.etag.as_str())
                .request_payer(true)
                .traffic_limit(MAX_TRAFFIC_LIMIT),
        )
        .download_to_file(&b, "big.bin", &ranged)
        .await
        .unwrap();
    let expected = &content[(PART - 3) as usize..=(2 * PART + 10) as usize];
    assert_eq!(out.size, expected.len() as u64);
    assert_eq!(std::fs::read(&ranged).unwrap(), expected);
    let suffix = dir.path().join("suffix");
    downloader
        .clone()
        .options(DownloadOptions::new().range(ByteRange::suffix(5).unwrap()))
        .download_to_file(&b, "big.bin", &suffix)
        .await
        .unwrap();
    assert_eq!(
        std::fs::read(&suffix).unwrap(),
        &content[content.len() - 5..]
    );
    let refused = downloader
        .clone()
        .options(DownloadOptions::new().if_match("\"0123456789ABCDEF0123456789ABCDEF\""))
        .download_to_file(&b, "big.bin", dir.path().join("no"))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Some("PreconditionFailed"));
    let unchanged = downloader
        .clone()
        .options(DownloadOptions::new().if_none_match(first.etag.as_str()))
        .download_to_file(&b, "big.bin", dir.path().join("no"))
        .await
        .unwrap_err();
    assert_eq!(unchanged.code(), Some("NotModified"));
    let past = downloader
        .clone()
        .options(DownloadOptions::new().range(ByteRange::from(content.len() as u64)))
        .download_to_file(&b, "big.bin", dir.path().join("no"))
        .await
        .unwrap_err();
    assert_eq!(past.kind(), ErrorKind::InvalidArgument);
    assert!(!dir.path().join("no").exists());
}

#[tokio::test]
async fn downloader_reads_an_older_version() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "download-versions").await;
    client
        .put_bucket_versioning(
            &b,
            oss_client::operation::versioning::VersioningStatus::Enabled,
        )
        .await
        .unwrap();
    let old = client
        .put_object()
        .bucket(&b)
        .key("v.txt")
        .body("old contents")
        .send()
        .await
        .unwrap();
    crate::support::put(&client, &b, "v.txt", "new").await;
    let path = tempfile::tempdir().unwrap().keep().join("v");
    Downloader::new(&client)
        .options(DownloadOptions::new().version_id(old.version_id.unwrap()))
        .download_to_file(&b, "v.txt", &path)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"old contents");
}

#[tokio::test]
async fn copier_options_replace_metadata_and_tags_on_both_paths() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "copy-options").await;
    for (key, size) in [("small.txt", 10), ("large.txt", 3 * PART)] {
        client
            .put_object()
            .bucket(&b)
            .key(key)
            .body(data(size))
            .metadata("owner", "source")
            .tag("state", "new")
            .send()
            .await
            .unwrap();
    }
    let copier = Copier::new(&client)
        .part_size(PART)
        .multipart_threshold(PART)
        .options(
            CopyOptions::new()
                .replace_metadata(ObjectOptions::new().metadata("owner", "copy"))
                .replace_tags([("state", "archived")])
                .storage_class("IA"),
        );
    for (source, target, parts) in [("small.txt", "small.md", 0), ("large.txt", "large.md", 3)] {
        let out = copier.copy(&b, source, &b, target).await.unwrap();
        assert_eq!(out.parts, parts, "{source}");
        let head = client
            .head_object()
            .bucket(&b)
            .key(target)
            .send()
            .await
            .unwrap();
        assert_eq!(head.metadata_value("owner"), Some("copy"), "{target}");
        assert_eq!(
            head.content_type.as_deref(),
            Some("text/markdown"),
            "{target}"
        );
        assert_eq!(head.storage_class.as_deref(), Some("IA"), "{target}");
        let tags = client.get_object_tagging(&b, target).await.unwrap().tags;
        assert_eq!(tags, vec![("state".to_owned(), "archived".to_owned())]);
    }
    // Without options both paths keep the source's attributes.
    let plain = Copier::new(&client)
        .part_size(PART)
        .multipart_threshold(PART);
    plain.copy(&b, "large.txt", &b, "large.copy").await.unwrap();
    let head = client
        .head_object()
        .bucket(&b)
        .key("large.copy")
        .send()
        .await
        .unwrap();
    assert_eq!(head.metadata_value("owner"), Some("source"));
}

#[tokio::test]
async fn options_oss_would_drop_or_refuse_are_refused_before_any_io() {
    let (offline, calls) = offline_client();
    let not_attributes = Copier::new(&offline)
        .options(CopyOptions::new().replace_metadata(ObjectOptions::new().tag("a", "b")))
        .copy("bucket", "a", "bucket", "b")
        .await
        .unwrap_err();
    assert_eq!(not_attributes.kind(), ErrorKind::InvalidArgument);
    let too_slow = offline
        .put_object()
        .bucket("bucket")
        .key("k")
        .options(ObjectOptions::new().traffic_limit(1000))
        .send()
        .await
        .unwrap_err();
    assert_eq!(too_slow.kind(), ErrorKind::InvalidArgument);
    let too_fast = Downloader::new(&offline)
        .options(DownloadOptions::new().traffic_limit(MAX_TRAFFIC_LIMIT + 1))
        .download_to_file("bucket", "k", "/nonexistent/file")
        .await
        .unwrap_err();
    assert_eq!(too_fast.kind(), ErrorKind::InvalidArgument);
    let twice = Uploader::new(&offline)
        .metadata("Owner", "a")
        .options(ObjectOptions::new().metadata("owner", "b"))
        .upload_bytes("bucket", "k", Bytes::from_static(b"x"))
        .await
        .unwrap_err();
    assert_eq!(twice.kind(), ErrorKind::DuplicateName);
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 0);
}

#[tokio::test]
async fn single_operations_report_progress_within_a_rate_limit() {
    use std::sync::{Arc, Mutex};

    use oss_client::transfer::{ProgressFn, RateLimit};

    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "single-progress").await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let recorder = || -> ProgressFn {
        let seen = Arc::clone(&seen);
        Arc::new(move |done, total| seen.lock().unwrap().push((done, total)))
    };
    // A limit no test run reaches: the bytes pass without waiting.
    let limit = RateLimit::new(u64::MAX / 4);
    let content = data(2 * PART + 3);
    client
        .put_object()
        .bucket(&b)
        .key("p.bin")
        .body(content.clone())
        .progress(recorder())
        .rate_limit(limit.clone())
        .send()
        .await
        .unwrap();
    client
        .append_object()
        .bucket(&b)
        .key("a.bin")
        .body(data(10))
        .progress(recorder())
        .send()
        .await
        .unwrap();
    let upload = client
        .initiate_multipart_upload()
        .bucket(&b)
        .key("m.bin")
        .send()
        .await
        .unwrap();
    client
        .upload_part()
        .bucket(&b)
        .key("m.bin")
        .upload_id(&upload.upload_id)
        .part_number(1)
        .body(data(7))
        .progress(recorder())
        .send()
        .await
        .unwrap();
    let total = content.len() as u64;
    assert_eq!(
        *seen.lock().unwrap(),
        vec![(total, Some(total)), (10, Some(10)), (7, Some(7))]
    );
    seen.lock().unwrap().clear();
    let read = client
        .get_object()
        .bucket(&b)
        .key("p.bin")
        .progress(recorder())
        .rate_limit(limit)
        .send()
        .await
        .unwrap()
        .body
        .collect()
        .await
        .unwrap();
    assert_eq!(read, content);
    let reports = seen.lock().unwrap().clone();
    assert_eq!(reports.last(), Some(&(total, Some(total))));
    assert!(reports.windows(2).all(|w| w[0].0 < w[1].0), "{reports:?}");
}

#[tokio::test]
async fn the_emulator_refuses_traffic_limits_oss_refuses() {
    use oss_client::operation::object_options::MIN_TRAFFIC_LIMIT;

    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "traffic-limits").await;
    for (limit, accepted) in [
        (MIN_TRAFFIC_LIMIT.to_string(), true),
        (MAX_TRAFFIC_LIMIT.to_string(), true),
        ((MIN_TRAFFIC_LIMIT - 1).to_string(), false),
        ((MAX_TRAFFIC_LIMIT + 1).to_string(), false),
        ("fast".to_owned(), false),
    ] {
        let put = client
            .invoke(http::Method::PUT)
            .bucket(&b)
            .key("limited")
            .header("x-oss-traffic-limit", limit.as_str())
            .body("x")
            .send()
            .await;
        match put {
            Ok(out) => assert!(accepted, "{limit} was accepted: {:?}", out.status),
            Err(e) => {
                assert!(!accepted, "{limit}: {e}");
                assert_eq!(e.code(), Some("InvalidArgument"), "{limit}");
            }
        }
    }
}

/// `x-oss-request-payer` on every object operation that takes it: the emulator (like OSS for
/// a bucket without pay-by-requester) serves each request as usual.
#[tokio::test]
async fn requests_with_the_request_payer_are_served() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "request-payer").await;
    let payer = ObjectOptions::new().request_payer(true);
    client
        .put_object()
        .bucket(&b)
        .key("a")
        .body(data(PART))
        .options(payer.clone())
        .send()
        .await
        .unwrap();
    let head = client
        .head_object()
        .bucket(&b)
        .key("a")
        .request_payer(true)
        .send()
        .await
        .unwrap();
    let meta = client
        .get_object_meta()
        .bucket(&b)
        .key("a")
        .request_payer(true)
        .send()
        .await
        .unwrap();
    assert_eq!(meta.etag, head.etag);
    let upload = client
        .initiate_multipart_upload()
        .bucket(&b)
        .key("m")
        .options(payer)
        .send()
        .await
        .unwrap();
    let part = client
        .upload_part_copy()
        .bucket(&b)
        .key("m")
        .upload_id(&upload.upload_id)
        .part_number(1)
        .source_key("a")
        .request_payer(true)
        .send()
        .await
        .unwrap();
    let parts = client
        .list_parts()
        .bucket(&b)
        .key("m")
        .upload_id(&upload.upload_id)
        .request_payer(true)
        .send()
        .await
        .unwrap();
    assert_eq!(parts.parts.len(), 1);
    client
        .complete_multipart_upload()
        .bucket(&b)
        .key("m")
        .upload_id(&upload.upload_id)
        .part(&part)
        .request_payer(true)
        .send()
        .await
        .unwrap();
    let listed = client
        .list_objects_v2()
        .bucket(&b)
        .request_payer(true)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.contents.len(), 2);
    let v1 = client
        .list_objects()
        .bucket(&b)
        .request_payer(true)
        .send()
        .await
        .unwrap();
    assert_eq!(v1.contents.len(), 2);
    client
        .delete_object()
        .bucket(&b)
        .key("m")
        .request_payer(true)
        .send()
        .await
        .unwrap();
    let deleted = client
        .delete_objects()
        .bucket(&b)
        .key("a")
        .request_payer(true)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.deleted.len(), 1);
}

#[tokio::test]
async fn request_only_and_configuration_outputs_carry_the_raw_answer() {
    use oss_client::operation::bucket_config::{
        DeleteBucketConfig, GetBucketConfig, PutBucketConfig,
    };
    use oss_client::operation::bucket_tags::{Tag, Tagging};
    use oss_client::operation::versioning::VersioningStatus;

    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "raw-request-only").await;
    client
        .put_object()
        .bucket(&b)
        .key("k.txt")
        .body("hello")
        .send()
        .await
        .unwrap();
    let tags = [("team".to_owned(), "storage".to_owned())];
    let put_tags = client.put_object_tagging(&b, "k.txt", &tags).await.unwrap();
    assert_raw(&put_tags.raw, &put_tags.request_id, "PutObjectTagging");
    let deleted_tags = client.delete_object_tagging(&b, "k.txt").await.unwrap();
    assert_eq!(deleted_tags.raw.status, 204);
    assert_eq!(
        deleted_tags.raw.header("x-oss-request-id"),
        Some(deleted_tags.request_id.as_str())
    );
    let link = client.put_symlink(&b, "link", "k.txt").await.unwrap();
    assert_raw(&link.raw, &link.request_id, "PutSymlink");
    let target = client.get_symlink(&b, "link").await.unwrap();
    assert_eq!(target.target, "k.txt");
    assert_raw(&target.raw, &target.request_id, "GetSymlink");
    assert_eq!(target.raw.header("x-oss-symlink-target"), Some("k.txt"));
    let location = client.get_bucket_location(&b).await.unwrap();
    assert_eq!(location.location, format!("oss-{}", emu.region()));
    assert_raw(&location.raw, &location.request_id, "GetBucketLocation");
    let enabled = client
        .put_bucket_versioning(&b, VersioningStatus::Enabled)
        .await
        .unwrap();
    assert_raw(&enabled.raw, &enabled.request_id, "PutBucketVersioning");
    let versioning = client.get_bucket_versioning(&b).await.unwrap();
    assert_eq!(versioning.status, VersioningStatus::Enabled);
    assert_raw(
        &versioning.raw,
        &versioning.request_id,
        "GetBucketVersioning",
    );

    let tagging = Tagging::new([Tag::new("env", "test")]);
    let put = client
        .put_bucket_tags(
            PutBucketConfig::default()
                .bucket(&b)
                .configuration(tagging.clone()),
        )
        .await
        .unwrap();
    assert_raw(&put.raw, &put.request_id, "PutBucketTags");
    let read = client
        .get_bucket_tags(GetBucketConfig::default().bucket(&b))
        .await
        .unwrap();
    assert_eq!(read.configuration, tagging);
    assert_raw(&read.raw, &read.request_id, "GetBucketTags");
    let removed = client
        .delete_bucket_tags(DeleteBucketConfig::default().bucket(&b))
        .await
        .unwrap();
    assert_eq!(removed.raw.status, 204);

    let upload = client
        .initiate_multipart_upload()
        .bucket(&b)
        .key("mp")
        .send()
        .await
        .unwrap();
    let aborted = client
        .abort_multipart_upload(&b, "mp", &upload.upload_id)
        .await
        .unwrap();
    assert_eq!(aborted.raw.status, 204);
    assert_eq!(
        aborted.raw.header("x-oss-request-id"),
        Some(aborted.request_id.as_str())
    );
}
