//! The helpers of the official SDKs: existence checks, the ListBuckets paginator, the
//! seekable reader, the append writer and `ByteStream` as a reader.

use std::io::SeekFrom;

use futures_util::TryStreamExt as _;
use oss_client::operation::head_object::HeadObjectRequest;
use oss_client::types::ObjectKey;
use oss_client::{Error, ErrorKind, SignatureVersion};
use tokio::io::{AsyncReadExt as _, AsyncSeekExt as _, AsyncWriteExt as _};

use crate::support::{bucket, client, client_with_secret, emulator, get, put};

/// `len` bytes of a fixed pseudo-random sequence (xorshift), so every run reads the same.
fn pattern(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[3]
        })
        .collect()
}

/// The crate error inside an I/O error.
fn oss_error(error: &std::io::Error) -> &Error {
    error
        .get_ref()
        .and_then(|e| e.downcast_ref::<Error>())
        .unwrap_or_else(|| panic!("not an OSS error: {error:?}"))
}

fn head(client: &oss_client::Client, bucket: &str, key: &str) -> HeadObjectRequest {
    client.head_object().bucket(bucket).key(key)
}

#[tokio::test]
async fn exists_is_false_only_for_a_404() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "exists").await;
    put(&client, &b, "here", "x").await;
    assert!(client.bucket_exists(&b).await.unwrap());
    assert!(!client.bucket_exists("no-such-bucket").await.unwrap());
    assert!(client.object_exists(&b, "here").await.unwrap());
    assert!(!client.object_exists(&b, "absent").await.unwrap());
    assert!(
        !client
            .object_exists("no-such-bucket", "here")
            .await
            .unwrap()
    );

    // A 403 is not "absent": the object may exist.
    let wrong = client_with_secret(&emu, SignatureVersion::V4, "not-the-secret");
    let error = wrong.object_exists(&b, "here").await.unwrap_err();
    assert_eq!(error.as_service_error().unwrap().status().as_u16(), 403);
    let error = wrong.bucket_exists(&b).await.unwrap_err();
    assert_eq!(error.code(), Some("SignatureDoesNotMatch"));
    // Invalid names are refused before any I/O.
    let error = client.bucket_exists("Bad_Name").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidBucketName);
    emu.shutdown().await;
}

#[tokio::test]
async fn exists_of_one_version() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "exists-versions").await;
    client
        .put_bucket_versioning(
            &b,
            oss_client::operation::versioning::VersioningStatus::Enabled,
        )
        .await
        .unwrap();
    let first = client
        .put_object()
        .bucket(&b)
        .key("k")
        .body("one")
        .send()
        .await
        .unwrap();
    let version = first.version_id.unwrap();
    client
        .delete_object()
        .bucket(&b)
        .key("k")
        .send()
        .await
        .unwrap();
    // The latest version is a delete marker; the first version is still there.
    assert!(!client.object_exists(&b, "k").await.unwrap());
    let old = ObjectKey::new("k").version_id(version);
    assert!(client.object_exists(&b, old).await.unwrap());
    let missing = ObjectKey::new("k")
        .version_id("CAEQNhiBgMDJgZCA0BYiIDc4MGZjZGI2OTBjOTRmNTE5NmU5NmFmZjI3MzUyMWUz");
    let error = client.object_exists(&b, missing).await.unwrap_err();
    assert_eq!(error.as_service_error().unwrap().status().as_u16(), 404);
    emu.shutdown().await;
}

#[tokio::test]
async fn list_buckets_pages_through_every_bucket() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    for name in ["page-a", "page-b", "page-c", "page-d", "page-e", "other"] {
        bucket(&client, name).await;
    }
    let pages: Vec<_> = client
        .list_buckets()
        .prefix("page-")
        .max_keys(2)
        .into_paginator()
        .try_collect()
        .await
        .unwrap();
    let names: Vec<Vec<&str>> = pages
        .iter()
        .map(|p| p.buckets.iter().map(|b| b.name.as_str()).collect())
        .collect();
    assert_eq!(
        names,
        [
            vec!["page-a", "page-b"],
            vec!["page-c", "page-d"],
            vec!["page-e"]
        ]
    );
    assert!(!pages[2].is_truncated);
    // A marker the caller set is where the first page starts.
    let after: Vec<_> = client
        .list_buckets()
        .marker("page-c")
        .into_paginator()
        .try_collect()
        .await
        .unwrap();
    let names: Vec<_> = after[0].buckets.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["page-d", "page-e"]);
    // What OSS refuses is refused before I/O.
    let error = client
        .list_buckets()
        .max_keys(0)
        .into_paginator()
        .try_next()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    emu.shutdown().await;
}

#[tokio::test]
async fn a_read_only_file_reads_what_any_seek_points_at() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "seekable").await;
    let data = pattern(300_000, 7);
    put(&client, &b, "blob", data.clone()).await;
    let mut file = client
        .open_file()
        .bucket(&b)
        .key("blob")
        .chunk_size(16 * 1024)
        .prefetch_chunks(2)
        .send()
        .await
        .unwrap();
    assert_eq!(file.size(), 300_000);
    assert_eq!(file.etag(), crate::support::etag_of(&data));

    // Random seeks (from the start, the current position and the end) and reads of random
    // lengths, each compared with the bytes.
    let offsets = pattern(400, 11);
    for step in offsets.chunks(4) {
        let at = u64::from(u32::from_le_bytes([step[0], step[1], step[2], 0])) % 310_000;
        let len = usize::from(step[3]) * 97 + 1;
        let position = match step[0] % 3 {
            0 => file.seek(SeekFrom::Start(at)).await.unwrap(),
            1 => {
                let delta = i64::try_from(at).unwrap() - i64::try_from(file.position()).unwrap();
                file.seek(SeekFrom::Current(delta)).await.unwrap()
            }
            _ => {
                let back = 300_000 - i64::try_from(at).unwrap();
                file.seek(SeekFrom::End(-back)).await.unwrap()
            }
        };
        assert_eq!(position, at);
        let mut got = vec![0; len];
        let mut filled = 0;
        loop {
            let n = file.read(&mut got[filled..]).await.unwrap();
            if n == 0 || filled + n == len {
                filled += n;
                break;
            }
            filled += n;
        }
        let start = usize::try_from(at).unwrap().min(data.len());
        let end = (start + len).min(data.len());
        assert_eq!(&got[..filled], &data[start..end], "{len} bytes at {at}");
    }

    // Reading on to the end from the middle, then past it.
    file.seek(SeekFrom::Start(123_456)).await.unwrap();
    let mut rest = Vec::new();
    file.read_to_end(&mut rest).await.unwrap();
    assert_eq!(rest, &data[123_456..]);
    assert_eq!(file.read(&mut [0; 8]).await.unwrap(), 0);
    let error = file.seek(SeekFrom::Current(-400_000)).await.unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
    emu.shutdown().await;
}

#[tokio::test]
async fn a_replaced_object_fails_the_read_instead_of_mixing_versions() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "replaced").await;
    put(&client, &b, "blob", pattern(8192, 3)).await;
    let mut file = client
        .open_file()
        .bucket(&b)
        .key("blob")
        .chunk_size(1024)
        .prefetch_chunks(0)
        .send()
        .await
        .unwrap();
    let mut first = [0; 1024];
    file.read_exact(&mut first).await.unwrap();
    assert_eq!(&first[..], &pattern(8192, 3)[..1024]);

    put(&client, &b, "blob", pattern(8192, 4)).await;
    let error = file.read(&mut [0; 1024]).await.unwrap_err();
    let oss = oss_error(&error);
    assert_eq!(oss.code(), Some("PreconditionFailed"));
    assert_eq!(oss.as_service_error().unwrap().status().as_u16(), 412);
    emu.shutdown().await;
}

#[tokio::test]
async fn open_file_refuses_what_it_cannot_read() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "unopened").await;
    let error = client
        .open_file()
        .bucket(&b)
        .key("absent")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("NoSuchKey"));
    let error = client
        .open_file()
        .bucket(&b)
        .key("absent")
        .chunk_size(0)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    // An empty object reads as empty.
    put(&client, &b, "empty", "").await;
    let mut file = client
        .open_file()
        .bucket(&b)
        .key("empty")
        .send()
        .await
        .unwrap();
    let mut all = Vec::new();
    assert_eq!(file.read_to_end(&mut all).await.unwrap(), 0);
    emu.shutdown().await;
}

#[tokio::test]
async fn an_append_only_file_chains_appends_and_resumes() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "appends").await;
    let data = pattern(25, 5);
    let mut file = client
        .append_file()
        .bucket(&b)
        .key("log")
        .buffer_size(10)
        .send()
        .await
        .unwrap();
    assert_eq!((file.position(), file.crc64()), (0, Some(0)));
    file.write_all(&data).await.unwrap();
    // Two full buffers went out; five bytes wait for the flush.
    assert_eq!(file.position(), 20);
    file.flush().await.unwrap();
    assert_eq!(file.position(), 25);
    let stored = head(&client, &b, "log").send().await.unwrap();
    assert_eq!(stored.object_type.as_deref(), Some("Appendable"));
    assert_eq!(file.crc64(), stored.crc64);

    // Opening it again continues at its end, with its CRC-64.
    let mut again = client
        .append_file()
        .bucket(&b)
        .key("log")
        .send()
        .await
        .unwrap();
    assert_eq!((again.position(), again.crc64()), (25, stored.crc64));
    again.write_all(b" and more").await.unwrap();
    again.shutdown().await.unwrap();
    let body = get(&client, &b, "log").await.body.collect().await.unwrap();
    assert_eq!(&body[..25], &data[..]);
    assert_eq!(&body[25..], b" and more");
    let stored = head(&client, &b, "log").send().await.unwrap();
    assert_eq!(again.crc64(), stored.crc64);

    // The first writer's position is stale now: OSS refuses, and the writer stays failed.
    file.write_all(b"late").await.unwrap();
    let error = file.flush().await.unwrap_err();
    assert_eq!(oss_error(&error).code(), Some("PositionNotEqualToLength"));
    assert!(file.write_all(b"x").await.is_err());
    emu.shutdown().await;
}

#[tokio::test]
async fn the_append_that_creates_the_object_takes_the_creation_options() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "append-create").await;
    let mut log = client
        .append_file()
        .bucket(&b)
        .key("app.log")
        .create_with(|append| {
            append
                .content_type("text/plain")
                .metadata("source", "app")
                .tag("team", "core")
                // Cannot move the append: the file's own position wins.
                .position(99)
        })
        .send()
        .await
        .unwrap();
    log.write_all(b"one\n").await.unwrap();
    log.flush().await.unwrap();
    log.write_all(b"two\n").await.unwrap();
    log.shutdown().await.unwrap();
    let stored = head(&client, &b, "app.log").send().await.unwrap();
    assert_eq!(stored.content_type.as_deref(), Some("text/plain"));
    assert_eq!(stored.metadata_value("source"), Some("app"));
    assert_eq!(stored.tagging_count, 1);
    assert_eq!(stored.content_length, 8);

    // On an existing object the options could not apply: refused before any append.
    let error = client
        .append_file()
        .bucket(&b)
        .key("app.log")
        .create_with(|append| append.content_type("text/html"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    emu.shutdown().await;
}

#[tokio::test]
async fn append_file_refuses_an_object_that_is_not_appendable() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "not-appendable").await;
    put(&client, &b, "normal", "x").await;
    let error = client
        .append_file()
        .bucket(&b)
        .key("normal")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert!(error.to_string().contains("Normal"), "{error}");
    emu.shutdown().await;
}

#[tokio::test]
async fn a_byte_stream_reads_as_an_async_read() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "reader").await;
    let data = pattern(200_000, 9);
    put(&client, &b, "blob", data.clone()).await;
    let mut reader = get(&client, &b, "blob").await.body.into_async_read();
    let mut got = Vec::new();
    reader.read_to_end(&mut got).await.unwrap();
    assert_eq!(got, data);
    emu.shutdown().await;
}

#[tokio::test]
async fn a_read_only_file_fetches_each_chunk_once_and_again_only_after_a_far_seek() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "chunks").await;
    let data = pattern(100_000, 13);
    put(&client, &b, "blob", data.clone()).await;
    let mut file = client
        .open_file()
        .bucket(&b)
        .key("blob")
        .chunk_size(10_000)
        .prefetch_chunks(3)
        .send()
        .await
        .unwrap();
    let opened = client.stats().requests;
    let mut all = Vec::new();
    file.read_to_end(&mut all).await.unwrap();
    assert_eq!(all, data);
    // Ten ranged GETs for ten chunks, prefetched or not, none twice.
    assert_eq!(client.stats().requests - opened, 10);
    // Back to the start: the chunks read are gone, so each is fetched again, once.
    file.seek(SeekFrom::Start(5)).await.unwrap();
    let mut five = [0; 5];
    file.read_exact(&mut five).await.unwrap();
    assert_eq!(&five[..], &data[5..10]);
    let mut rest = Vec::new();
    file.read_to_end(&mut rest).await.unwrap();
    assert_eq!(rest, &data[10..]);
    assert_eq!(client.stats().requests - opened, 20);
    emu.shutdown().await;
}

#[tokio::test]
async fn a_corrupted_body_fails_the_reader_with_the_checksum_error() {
    let emu = oss_emulator::Emulator::builder()
        .credentials(
            crate::support::ACCESS_KEY_ID,
            crate::support::ACCESS_KEY_SECRET,
        )
        .region("cn-hangzhou")
        .faults("get:always:corrupt-body")
        .start()
        .await
        .expect("emulator starts");
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "corrupt").await;
    put(&client, &b, "blob", pattern(50_000, 17)).await;
    let mut reader = get(&client, &b, "blob").await.body.into_async_read();
    let error = reader.read_to_end(&mut Vec::new()).await.unwrap_err();
    assert_eq!(oss_error(&error).kind(), ErrorKind::ChecksumMismatch);
    emu.shutdown().await;
}
