//! The transfer managers: every size around the part size, memory bounds, resume after a
//! crash at each stage, vanished uploads, downloads and copies.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use oss_client::transfer::{Copier, Downloader, Uploader};
use oss_client::{Client, SignatureVersion};

use crate::support::{bucket, client, emulator, get, put};

const PART: u64 = 100 * 1024;

fn data(len: u64, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| {
            (i as u8)
                .wrapping_mul(31)
                .wrapping_add(seed ^ (i >> 12) as u8)
        })
        .collect()
}

async fn read_back(client: &Client, bucket: &str, key: &str) -> Vec<u8> {
    get(client, bucket, key)
        .await
        .body
        .collect()
        .await
        .unwrap()
        .to_vec()
}

fn sizes() -> [u64; 7] {
    [
        0,
        1,
        PART - 1,
        PART,
        PART + 1,
        3 * PART + PART / 2,
        10 * PART,
    ]
}

#[tokio::test]
async fn uploads_of_every_size_from_files_bytes_and_readers() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "uploader").await;
    let uploader = Uploader::new(&client)
        .part_size(PART)
        .multipart_threshold(PART)
        .concurrency(3);
    let dir = tempfile::tempdir().unwrap();
    for size in sizes() {
        let content = data(size, size as u8);
        let path = dir.path().join(format!("f{size}"));
        std::fs::write(&path, &content).unwrap();
        let expected_parts = if size < PART {
            0
        } else {
            size.div_ceil(PART) as u32
        };

        let out = uploader
            .upload_file(&b, &format!("file/{size}"), &path)
            .await
            .unwrap();
        assert_eq!((out.size, out.parts), (size, expected_parts), "file {size}");
        assert_eq!(
            read_back(&client, &b, &format!("file/{size}")).await,
            content,
            "file {size}"
        );

        let out = uploader
            .upload_bytes(&b, &format!("bytes/{size}"), content.clone().into())
            .await
            .unwrap();
        assert_eq!(out.parts, expected_parts, "bytes {size}");
        assert_eq!(
            read_back(&client, &b, &format!("bytes/{size}")).await,
            content,
            "bytes {size}"
        );

        let out = uploader
            .upload_reader(&b, &format!("reader/{size}"), &content[..])
            .await
            .unwrap();
        assert_eq!(out.size, size);
        assert_eq!(
            read_back(&client, &b, &format!("reader/{size}")).await,
            content,
            "reader {size}"
        );
        if expected_parts > 0 {
            assert!(out.crc64.is_some());
        }
    }
    let pending = client
        .list_multipart_uploads()
        .bucket(&b)
        .send()
        .await
        .unwrap();
    assert!(pending.uploads.is_empty(), "no leftover multipart uploads");
    emu.shutdown().await;
}

#[tokio::test]
async fn reader_uploads_buffer_at_most_part_size_times_concurrency() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "memory-bound").await;
    let content = data(40 * PART + 7, 1);
    for concurrency in [1, 3, 5] {
        let out = Uploader::new(&client)
            .part_size(PART)
            .concurrency(concurrency)
            .upload_reader(&b, "streamed", &content[..])
            .await
            .unwrap();
        assert_eq!(out.parts, 41);
        assert!(
            out.peak_buffered_bytes <= PART * concurrency as u64,
            "peak {} with concurrency {concurrency}",
            out.peak_buffered_bytes
        );
        assert!(out.peak_buffered_bytes >= PART, "it did buffer parts");
    }
    assert_eq!(read_back(&client, &b, "streamed").await, content);
    emu.shutdown().await;
}

/// Starts an upload with a checkpoint and kills it (drops the task) once `parts` parts are
/// done.
async fn crash_after(uploader: &Uploader, bucket: &str, key: &str, path: &Path, parts: u64) {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let watcher = uploader.clone().progress(Arc::new(move |done, _| {
        let _ = tx.send(done);
    }));
    let (bucket, key, path) = (bucket.to_owned(), key.to_owned(), path.to_path_buf());
    let task = tokio::spawn(async move { watcher.upload_file(&bucket, &key, &path).await });
    while let Some(done) = rx.recv().await {
        if done >= parts * PART {
            break;
        }
    }
    task.abort();
    let _ = task.await;
}

#[tokio::test]
async fn uploads_resume_after_a_crash_at_each_stage() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "resume").await;
    let dir = tempfile::tempdir().unwrap();
    let checkpoints = dir.path().join("checkpoints");
    let path = dir.path().join("big.bin");
    let content = data(8 * PART + 5, 9);
    std::fs::write(&path, &content).unwrap();
    let uploader = Uploader::new(&client)
        .part_size(PART)
        .concurrency(1)
        .checkpoint_dir(&checkpoints);
    // Stages: only initiated (0 parts recorded), early, middle, all but the last part.
    for crash_after_parts in [0, 1, 4, 8] {
        let key = format!("resumed-{crash_after_parts}");
        crash_after(&uploader, &b, &key, &path, crash_after_parts.max(1)).await;
        if crash_after_parts == 0 {
            // As if the process died right after InitiateMultipartUpload.
            let file = std::fs::read_dir(&checkpoints)
                .unwrap()
                .next()
                .unwrap()
                .unwrap()
                .path();
            let mut state: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
            state["parts"] = serde_json::json!([]);
            std::fs::write(&file, serde_json::to_vec(&state).unwrap()).unwrap();
        }
        let pending = client
            .list_multipart_uploads()
            .bucket(&b)
            .prefix(key.as_str())
            .send()
            .await
            .unwrap();
        assert_eq!(
            pending.uploads.len(),
            1,
            "the crashed upload is kept for resuming"
        );
        let out = uploader.upload_file(&b, &key, &path).await.unwrap();
        assert!(
            out.resumed_parts as u64 >= crash_after_parts,
            "{crash_after_parts}: resumed {}",
            out.resumed_parts
        );
        assert_eq!(out.parts, 9);
        assert_eq!(read_back(&client, &b, &key).await, content);
        let pending = client
            .list_multipart_uploads()
            .bucket(&b)
            .prefix(key.as_str())
            .send()
            .await
            .unwrap();
        assert!(
            pending.uploads.is_empty(),
            "the same upload was completed, none left over"
        );
    }
    assert_eq!(
        std::fs::read_dir(&checkpoints).unwrap().count(),
        0,
        "checkpoints removed"
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn a_resume_whose_upload_vanished_starts_over_cleanly() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "vanished").await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.bin");
    let content = data(5 * PART, 3);
    std::fs::write(&path, &content).unwrap();
    let uploader = Uploader::new(&client)
        .part_size(PART)
        .concurrency(1)
        .checkpoint_dir(dir.path().join("cp"));
    crash_after(&uploader, &b, "gone", &path, 2).await;
    // Someone aborts the upload (a lifecycle rule, a cleanup job) before the job resumes.
    let pending = client
        .list_multipart_uploads()
        .bucket(&b)
        .send()
        .await
        .unwrap();
    for upload in &pending.uploads {
        client
            .abort_multipart_upload(&b, &upload.key, &upload.upload_id)
            .await
            .unwrap();
    }
    let out = uploader.upload_file(&b, "gone", &path).await.unwrap();
    assert_eq!(out.resumed_parts, 0);
    assert_eq!(read_back(&client, &b, "gone").await, content);

    // A changed file is not resumed either.
    crash_after(&uploader, &b, "changed", &path, 2).await;
    let changed = data(5 * PART, 4);
    std::fs::write(&path, &changed).unwrap();
    let later = std::time::SystemTime::now() + Duration::from_secs(10);
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(later)
        .unwrap();
    let out = uploader.upload_file(&b, "changed", &path).await.unwrap();
    assert_eq!(out.resumed_parts, 0);
    assert_eq!(read_back(&client, &b, "changed").await, changed);
    emu.shutdown().await;
}

#[tokio::test]
async fn downloads_of_every_size_and_after_a_crash() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "downloader").await;
    let dir = tempfile::tempdir().unwrap();
    let downloader = Downloader::new(&client).part_size(PART).concurrency(3);
    for size in sizes() {
        let content = data(size, 2);
        put(&client, &b, &format!("d/{size}"), content.to_vec()).await;
        let dest = dir.path().join(format!("out-{size}"));
        let out = downloader
            .download_to_file(&b, &format!("d/{size}"), &dest)
            .await
            .unwrap();
        assert_eq!(out.size, size);
        assert_eq!(std::fs::read(&dest).unwrap(), content, "{size}");
        assert!(!dir.path().join(format!("out-{size}.temp")).exists());
    }

    // Crash mid-download, then resume.
    let content = data(12 * PART, 5);
    put(&client, &b, "resumable", content.to_vec()).await;
    let dest = dir.path().join("resumable.bin");
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let slow = Downloader::new(&client)
        .part_size(PART)
        .concurrency(1)
        .progress(Arc::new(move |done, _| {
            let _ = tx.send(done);
        }));
    let (bb, dd) = (b.clone(), dest.clone());
    let task = tokio::spawn(async move { slow.download_to_file(&bb, "resumable", &dd).await });
    while let Some(done) = rx.recv().await {
        if done >= 4 * PART {
            break;
        }
    }
    task.abort();
    let _ = task.await;
    assert!(
        !dest.exists(),
        "nothing appears before the download is complete"
    );
    let out = downloader
        .download_to_file(&b, "resumable", &dest)
        .await
        .unwrap();
    assert!(out.resumed_parts >= 4, "resumed {}", out.resumed_parts);
    assert_eq!(std::fs::read(&dest).unwrap(), content);

    let mut reader = downloader.reader(&b, "resumable").await.unwrap();
    let mut streamed = Vec::new();
    while let Some(chunk) = futures_util::StreamExt::next(&mut reader).await {
        streamed.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(streamed, content);
    emu.shutdown().await;
}

#[tokio::test]
async fn copies_small_and_multipart() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "copier").await;
    let small = data(PART / 2, 1);
    let large = data(7 * PART + 3, 2);
    put(&client, &b, "small", small.to_vec()).await;
    put(&client, &b, "large", large.to_vec()).await;
    let copier = Copier::new(&client)
        .part_size(PART)
        .multipart_threshold(PART);
    let out = copier.copy(&b, "small", &b, "small-copy").await.unwrap();
    assert_eq!(out.parts, 0);
    let out = copier.copy(&b, "large", &b, "large-copy").await.unwrap();
    assert_eq!((out.parts, out.size), (8, large.len() as u64));
    assert_eq!(read_back(&client, &b, "small-copy").await, small);
    assert_eq!(read_back(&client, &b, "large-copy").await, large);
    emu.shutdown().await;
}

/// Puts `data` at `key` as an `image/png` with every stored header, two metadata entries and
/// two tags.
async fn put_with_attributes(client: &Client, bucket: &str, key: &str, data: Vec<u8>) {
    client
        .put_object()
        .bucket(bucket)
        .key(key)
        .body(data)
        .content_type("image/png")
        .cache_control("max-age=60")
        .content_disposition("attachment; filename=\"a.png\"")
        .content_encoding("identity")
        .expires("Thu, 01 Jan 2099 00:00:00 GMT")
        .metadata("owner", "bob")
        .metadata("Project", "x-ray")
        .tag("team", "imaging")
        .tag("stage", "raw data")
        .send()
        .await
        .unwrap();
}

/// The attributes a copy must keep, as read back from `key`.
async fn attributes(client: &Client, bucket: &str, key: &str) -> Vec<(String, String)> {
    let head = client
        .head_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .unwrap();
    let mut out = vec![
        (
            "content-type".to_owned(),
            head.content_type.unwrap_or_default(),
        ),
        (
            "cache-control".to_owned(),
            head.cache_control.unwrap_or_default(),
        ),
        (
            "content-disposition".to_owned(),
            head.content_disposition.unwrap_or_default(),
        ),
        (
            "content-encoding".to_owned(),
            head.content_encoding.unwrap_or_default(),
        ),
        ("expires".to_owned(), head.expires.unwrap_or_default()),
    ];
    let mut metadata = head.metadata;
    metadata.sort();
    out.extend(metadata.into_iter().map(|(k, v)| (format!("meta:{k}"), v)));
    let mut tags = client.get_object_tagging(bucket, key).await.unwrap().tags;
    tags.sort();
    out.extend(tags.into_iter().map(|(k, v)| (format!("tag:{k}"), v)));
    out
}

/// Both paths keep Content-Type, the stored headers, user metadata and tags.
#[tokio::test]
async fn copies_keep_the_source_attributes_on_both_paths() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "copier-attrs").await;
    let small = data(PART / 2, 3);
    let large = data(3 * PART + 7, 4);
    put_with_attributes(&client, &b, "small.png", small.clone()).await;
    put_with_attributes(&client, &b, "large.png", large.clone()).await;
    let expected = attributes(&client, &b, "small.png").await;
    assert_eq!(expected[0], ("content-type".into(), "image/png".into()));
    assert_eq!(expected.len(), 5 + 2 + 2, "{expected:?}");
    let copier = Copier::new(&client)
        .part_size(PART)
        .multipart_threshold(PART);
    let out = copier
        .copy(&b, "small.png", &b, "small-copy.png")
        .await
        .unwrap();
    assert_eq!(out.parts, 0);
    let out = copier
        .copy(&b, "large.png", &b, "large-copy.png")
        .await
        .unwrap();
    assert_eq!(out.parts, 4);
    for key in ["small-copy.png", "large-copy.png"] {
        assert_eq!(attributes(&client, &b, key).await, expected, "{key}");
    }
    assert_eq!(read_back(&client, &b, "large-copy.png").await, large);
    assert_eq!(read_back(&client, &b, "small-copy.png").await, small);
    // A source without tags or metadata gives a copy without them (and no tagging read).
    put(&client, &b, "plain", data(2 * PART, 5)).await;
    copier.copy(&b, "plain", &b, "plain-copy").await.unwrap();
    let plain = attributes(&client, &b, "plain-copy").await;
    assert_eq!(
        plain[0],
        ("content-type".into(), "application/octet-stream".into())
    );
    assert_eq!(plain.len(), 5);
    emu.shutdown().await;
}

/// A source replaced between two part copies: the next part copy fails its
/// `x-oss-copy-source-if-match`, the copy reports `PreconditionFailed`, and the multipart
/// upload is aborted (none left) with no destination object written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_source_replaced_mid_copy_fails_cleanly() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "copier-replaced").await;
    put(&client, &b, "src", data(4 * PART, 6)).await;
    let replaced = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let progress = {
        let client = client.clone();
        let b = b.clone();
        let replaced = Arc::clone(&replaced);
        let runtime = tokio::runtime::Handle::current();
        Arc::new(move |done: u64, _total: Option<u64>| {
            // After the first part, before the second starts (one part in flight at a time).
            if done == PART && !replaced.swap(true, std::sync::atomic::Ordering::SeqCst) {
                tokio::task::block_in_place(|| {
                    runtime.block_on(put(&client, b.clone(), "src", data(4 * PART, 7)))
                });
            }
        })
    };
    let copier = Copier::new(&client)
        .part_size(PART)
        .multipart_threshold(PART)
        .concurrency(1)
        .progress(progress);
    let copy = {
        let b = b.clone();
        tokio::spawn(async move { copier.copy(&b, "src", &b, "dst").await })
    };
    let err = copy.await.unwrap().unwrap_err();
    assert!(replaced.load(std::sync::atomic::Ordering::SeqCst));
    assert_eq!(err.code(), Some("PreconditionFailed"), "{err}");
    let uploads = client
        .list_multipart_uploads()
        .bucket(&b)
        .send()
        .await
        .unwrap();
    assert!(uploads.uploads.is_empty(), "{:?}", uploads.uploads);
    let missing = client.head_object().bucket(&b).key("dst").send().await;
    assert_eq!(missing.unwrap_err().code(), Some("NoSuchKey"));
    // The single-request path is pinned too: CopyObject with the old ETag fails the same way.
    let stale = client
        .copy_object()
        .bucket(&b)
        .key("dst")
        .source_key("src")
        .source_if_match(crate::support::etag_of(&data(4 * PART, 6)))
        .send()
        .await
        .unwrap_err();
    assert_eq!(stale.code(), Some("PreconditionFailed"));
    emu.shutdown().await;
}

/// A multi-MiB single-stream download: whole, damaged in transit, and abandoned half-way.
#[tokio::test]
async fn large_single_stream_downloads_are_checked() {
    let emu = crate::support::emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "large-crc").await;
    let content = data(9 << 20, 21);
    put(&client, &b, "k", content.to_vec()).await;
    let get = || client.get_object().bucket(&b).key("k").send();

    assert_eq!(get().await.unwrap().body.collect().await.unwrap(), content);

    emu.set_faults("get:first=1:corrupt-body").unwrap();
    let err = get().await.unwrap().body.collect().await.unwrap_err();
    assert_eq!(err.kind(), oss_client::ErrorKind::ChecksumMismatch);

    // Dropped half-way: nothing is left behind, and the next download works.
    let mut stream = get().await.unwrap().body;
    let first = futures_util::StreamExt::next(&mut stream)
        .await
        .unwrap()
        .unwrap();
    assert!(!first.is_empty());
    drop(stream);
    assert_eq!(get().await.unwrap().body.collect().await.unwrap(), content);
    emu.shutdown().await;
}

#[tokio::test]
async fn a_corrupted_download_is_caught_and_fetched_again() {
    let emu = crate::support::emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "corrupt").await;
    let content = data(3 * PART, 8);
    put(&client, &b, "k", content.to_vec()).await;

    // A plain GET whose body is corrupted in transit fails its CRC-64 check.
    emu.set_faults("get:first=1:corrupt-body").unwrap();
    let got = get(&client, &b, "k").await;
    let err = got.body.collect().await.unwrap_err();
    assert_eq!(err.kind(), oss_client::ErrorKind::ChecksumMismatch);
    assert!(err.is_retryable());

    // The Downloader notices the combined CRC-64 mismatch and downloads the object again.
    emu.set_faults("get:first=1:corrupt-body").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("k");
    Downloader::new(&client)
        .part_size(PART)
        .download_to_file(&b, "k", &dest)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), content);
    assert_eq!(emu.injected_faults(), 2);
    emu.shutdown().await;
}
