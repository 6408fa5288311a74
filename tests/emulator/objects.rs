//! PutObject, GetObject, HeadObject and DeleteObject round trips with every body source.

use bytes::Bytes;
use futures_util::StreamExt as _;
use oss_client::{Body, SignatureVersion};

use crate::support::{bucket, client, emulator, etag_of, get, put};

#[tokio::test]
async fn put_get_head_delete_round_trip_v4_and_v1() {
    let emu = emulator().await;
    for (version, name) in [
        (SignatureVersion::V4, "round-trip-v4"),
        (SignatureVersion::V1, "round-trip-v1"),
    ] {
        let client = client(&emu, version);
        let b = bucket(&client, name).await;
        let data = Bytes::from_static(b"hello, object storage");
        let put = client
            .put_object()
            .bucket(&b)
            .key("dir/hello.txt")
            .body(data.clone())
            .content_type("text/plain")
            .cache_control("no-cache")
            .content_disposition("attachment; filename=\"hello.txt\"")
            .content_language("zh-CN")
            .metadata("Owner", "bob")
            .metadata("project", "oss%20sdk")
            .send()
            .await
            .unwrap();
        assert_eq!(put.etag, etag_of(&data));
        assert_eq!(put.crc64, Some(crc64(&data)));

        let got = get(&client, &b, "dir/hello.txt").await;
        let props = &got.properties;
        assert_eq!(props.content_length, data.len() as u64);
        assert_eq!(props.content_type.as_deref(), Some("text/plain"));
        assert_eq!(props.cache_control.as_deref(), Some("no-cache"));
        assert_eq!(props.content_language.as_deref(), Some("zh-CN"));
        assert_eq!(props.etag, etag_of(&data));
        assert_eq!(props.metadata_value("owner"), Some("bob"));
        assert_eq!(props.metadata_value("project"), Some("oss%20sdk"));
        assert_eq!(props.object_type.as_deref(), Some("Normal"));
        assert!(props.last_modified.is_some());
        assert_eq!(got.body.collect().await.unwrap(), data);

        let head = client
            .head_object()
            .bucket(&b)
            .key("dir/hello.txt")
            .send()
            .await
            .unwrap();
        assert_eq!(head.content_length, data.len() as u64);
        assert_eq!(head.crc64, Some(crc64(&data)));
        assert_eq!(
            head.content_disposition.as_deref(),
            Some("attachment; filename=\"hello.txt\"")
        );

        client
            .delete_object()
            .bucket(&b)
            .key("dir/hello.txt")
            .send()
            .await
            .unwrap();
        client
            .delete_object()
            .bucket(&b)
            .key("dir/hello.txt")
            .send()
            .await
            .unwrap();
        let missing = client
            .head_object()
            .bucket(&b)
            .key("dir/hello.txt")
            .send()
            .await
            .unwrap_err();
        let service = missing.as_service_error().unwrap();
        assert_eq!(
            (service.status().as_u16(), service.code()),
            (404, "NoSuchKey")
        );
        assert!(!service.request_id().is_empty(), "decoded from x-oss-err");
        let missing = client
            .get_object()
            .bucket(&b)
            .key("dir/hello.txt")
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            missing.as_service_error().unwrap().detail("Key"),
            Some("dir/hello.txt")
        );
    }
    emu.shutdown().await;
}

fn crc64(data: &[u8]) -> u64 {
    let mut d = crc64fast_check::Digest::default();
    d.update(data);
    d.finish()
}

/// A plain bitwise CRC-64/XZ, independent of the client's implementation.
mod crc64fast_check {
    #[derive(Default)]
    pub(crate) struct Digest(u64, bool);

    impl Digest {
        pub(crate) fn update(&mut self, data: &[u8]) {
            const POLY: u64 = 0xC96C_5795_D787_0F42;
            if !self.1 {
                self.0 = u64::MAX;
                self.1 = true;
            }
            for &b in data {
                self.0 ^= u64::from(b);
                for _ in 0..8 {
                    self.0 = if self.0 & 1 == 1 {
                        (self.0 >> 1) ^ POLY
                    } else {
                        self.0 >> 1
                    };
                }
            }
        }

        pub(crate) fn finish(&self) -> u64 {
            if self.1 { !self.0 } else { 0 }
        }
    }

    #[test]
    fn check_value() {
        let mut d = Digest::default();
        d.update(b"123456789");
        assert_eq!(d.finish(), 11_051_210_869_376_104_954);
    }
}

#[tokio::test]
async fn bodies_from_file_stream_and_empty() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "bodies").await;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.bin");
    let file_data: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&path, &file_data).unwrap();
    let from_file = client
        .put_object()
        .bucket(&b)
        .key("from-file")
        .body_from_path(&path)
        .send()
        .await
        .unwrap();
    assert_eq!(from_file.etag, etag_of(&file_data));

    let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
        Ok(Bytes::from_static(b"abc")),
        Ok(Bytes::from_static(b"defg")),
    ];
    let stream = futures_util::stream::iter(chunks);
    put(&client, &b, "from-stream", Body::from_stream(stream, 7)).await;

    put(&client, &b, "empty", Bytes::new()).await;

    let got = get(&client, &b, "from-file").await;
    let mut body = got.body;
    let mut read = Vec::new();
    while let Some(chunk) = body.next().await {
        read.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(read, file_data);
    let got = get(&client, &b, "from-stream").await;
    assert_eq!(&got.body.collect().await.unwrap()[..], b"abcdefg");
    let got = get(&client, &b, "empty").await;
    assert_eq!(got.properties.content_length, 0);
    assert_eq!(got.properties.crc64, Some(0));
    assert!(got.body.collect().await.unwrap().is_empty());

    // A stream shorter than its declared length fails; nothing is stored.
    let short =
        futures_util::stream::iter(vec![Ok::<_, std::io::Error>(Bytes::from_static(b"abc"))]);
    let err = client
        .put_object()
        .bucket(&b)
        .key("short")
        .body(Body::from_stream(short, 10))
        .send()
        .await
        .unwrap_err();
    assert!(!err.is_input_error());
    let missing = client
        .head_object()
        .bucket(&b)
        .key("short")
        .send()
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Some("NoSuchKey"));
    emu.shutdown().await;
}

#[tokio::test]
async fn content_encoding_is_stored_and_returned_verbatim() {
    // B25: a gzip-encoded object comes back as the stored bytes, never decompressed.
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "encoding").await;
    let stored: Vec<u8> = vec![0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    client
        .put_object()
        .bucket(&b)
        .key("logs/app.json.gz")
        .body(stored.clone())
        .content_encoding("gzip")
        .content_type("application/json")
        .send()
        .await
        .unwrap();
    let got = get(&client, &b, "logs/app.json.gz").await;
    assert_eq!(got.properties.content_encoding.as_deref(), Some("gzip"));
    assert_eq!(got.properties.content_length, stored.len() as u64);
    assert_eq!(got.body.collect().await.unwrap(), stored);
    let head = client
        .head_object()
        .bucket(&b)
        .key("logs/app.json.gz")
        .send()
        .await
        .unwrap();
    assert_eq!(head.content_encoding.as_deref(), Some("gzip"));
    emu.shutdown().await;
}

#[tokio::test]
async fn forbid_overwrite_and_response_overrides() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "overwrite").await;
    put(&client, &b, "once", "1").await;
    let err = client
        .put_object()
        .bucket(&b)
        .key("once")
        .body("2")
        .forbid_overwrite(true)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("FileAlreadyExists"));
    let got = client
        .get_object()
        .bucket(&b)
        .key("once")
        .response_content_type("text/csv")
        .response_content_disposition("inline")
        .send()
        .await
        .unwrap();
    assert_eq!(got.properties.content_type.as_deref(), Some("text/csv"));
    assert_eq!(
        got.properties.content_disposition.as_deref(),
        Some("inline")
    );
    assert_eq!(&got.body.collect().await.unwrap()[..], b"1");
    emu.shutdown().await;
}

#[tokio::test]
async fn retried_bodies_are_sent_whole_and_streams_are_never_resent() {
    // bugs.md B19: after a failed attempt, in-memory bytes are sent again in full; a one-shot
    // stream is not retried (the original error comes back) and never sent short.
    let emu = oss_emulator::Emulator::builder()
        .credentials(
            crate::support::ACCESS_KEY_ID,
            crate::support::ACCESS_KEY_SECRET,
        )
        .record_bodies(true)
        .start()
        .await
        .unwrap();
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "retry-bodies").await;

    emu.set_faults("put:first=1:500").unwrap();
    let put = client
        .put_object()
        .bucket(&b)
        .key("retry/body.txt")
        .body("hello")
        .send()
        .await
        .unwrap();
    assert_eq!(put.crc64, Some(11_177_612_005_948_864_433));
    let attempts = emu.recorded_bodies(&b, "retry/body.txt");
    assert_eq!(attempts.len(), 2);
    assert!(
        attempts.iter().all(|body| &body[..] == b"hello"),
        "{attempts:?}"
    );

    emu.set_faults("put:first=1:500").unwrap();
    let stream =
        futures_util::stream::iter(vec![Ok::<_, std::io::Error>(Bytes::from_static(b"hello"))]);
    let err = client
        .put_object()
        .bucket(&b)
        .key("retry/stream.txt")
        .body(Body::from_stream(stream, 5))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InternalError"));
    let attempts = emu.recorded_bodies(&b, "retry/stream.txt");
    assert_eq!(attempts.len(), 1, "a one-shot stream is sent once");
    assert_eq!(&attempts[0][..], b"hello");
    let missing = client
        .head_object()
        .bucket(&b)
        .key("retry/stream.txt")
        .send()
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Some("NoSuchKey"));

    // A file body is reopened for the retry.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f");
    std::fs::write(&path, vec![7u8; 300_000]).unwrap();
    emu.set_faults("put:first=1:503").unwrap();
    client
        .put_object()
        .bucket(&b)
        .key("retry/file")
        .body_from_path(&path)
        .send()
        .await
        .unwrap();
    let attempts = emu.recorded_bodies(&b, "retry/file");
    assert_eq!(
        attempts.iter().map(|a| a.len()).collect::<Vec<_>>(),
        [300_000, 300_000]
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn an_upload_damaged_on_the_way_is_sent_again() {
    let emu = oss_emulator::Emulator::builder()
        .credentials(
            crate::support::ACCESS_KEY_ID,
            crate::support::ACCESS_KEY_SECRET,
        )
        .record_bodies(true)
        .start()
        .await
        .unwrap();
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "crc-retry").await;
    emu.set_faults("put:first=1:corrupt-body").unwrap();
    put(&client, &b, "k", "hello").await;
    assert_eq!(
        emu.recorded_bodies(&b, "k").len(),
        2,
        "sent again after the CRC-64 mismatch"
    );

    // With one attempt allowed, the damaged upload is reported instead of sent again.
    emu.set_faults("put:first=1:corrupt-body").unwrap();
    let err = client
        .put_object()
        .bucket(&b)
        .key("once")
        .body("hello")
        .max_attempts(1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), oss_client::ErrorKind::ChecksumMismatch);
    assert_eq!(emu.recorded_bodies(&b, "once").len(), 1);

    // A one-shot stream cannot be sent again: the mismatch is reported, typed and retryable.
    emu.set_faults("put:first=1:corrupt-body").unwrap();
    let stream =
        futures_util::stream::iter(vec![Ok::<_, std::io::Error>(Bytes::from_static(b"hello"))]);
    let err = client
        .put_object()
        .bucket(&b)
        .key("s")
        .body(Body::from_stream(stream, 5))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), oss_client::ErrorKind::ChecksumMismatch);
    assert!(err.is_retryable());

    // Parts too.
    let id = client
        .initiate_multipart_upload()
        .bucket(&b)
        .key("m")
        .send()
        .await
        .unwrap()
        .upload_id;
    emu.set_faults("upload-part:first=1:corrupt-body").unwrap();
    let part = client
        .upload_part()
        .bucket(&b)
        .key("m")
        .upload_id(&id)
        .part_number(1)
        .body(vec![1u8; 1000])
        .send()
        .await
        .unwrap();
    assert_eq!(emu.recorded_bodies(&b, "m").len(), 2);
    client
        .complete_multipart_upload()
        .bucket(&b)
        .key("m")
        .upload_id(&id)
        .part(&part)
        .send()
        .await
        .unwrap();
    emu.shutdown().await;
}
