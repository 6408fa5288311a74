//! Answers without `Content-Length`, as proxies and gateways send them (chunked): read to
//! their end and checked like any other; cut short, an error, never a clean end.

use bytes::Bytes;
use oss_client::{Client, ErrorKind};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;

use crate::support::{BUCKET, builder, content, direct_client, emulator, get, put};

/// How the server ends its chunked answer.
#[derive(Clone, Copy)]
enum Ending {
    /// With the terminating chunk.
    Whole,
    /// Closing the connection halfway, without the terminating chunk.
    CutHalfway,
}

/// A server answering every request with `data` in chunks of 10 000 bytes, advertising the
/// CRC-64 `crc`; returns its endpoint.
async fn chunked_server(data: Bytes, etag: String, crc: u64, ending: Ending) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let (data, etag) = (data.clone(), etag.clone());
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if socket.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let mut answer = format!(
                    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nETag: {etag}\r\n\
                     x-oss-hash-crc64ecma: {crc}\r\nx-oss-request-id: 5C3D9778CC1C2AEDF85BC4C3\r\n\
                     Content-Type: application/octet-stream\r\n\r\n"
                )
                .into_bytes();
                let chunks: Vec<&[u8]> = data.chunks(10_000).collect();
                let sent = match ending {
                    Ending::Whole => chunks.len(),
                    Ending::CutHalfway => chunks.len() / 2,
                };
                for chunk in &chunks[..sent] {
                    answer.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                    answer.extend_from_slice(chunk);
                    answer.extend_from_slice(b"\r\n");
                }
                if let Ending::Whole = ending {
                    answer.extend_from_slice(b"0\r\n\r\n");
                }
                let _ = socket.write_all(&answer).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    endpoint
}

/// `data`, stored in an emulator to learn its ETag and CRC-64, and a client for a chunked
/// server answering with it.
async fn chunked(data: &Bytes, crc_offset: u64, ending: Ending) -> Client {
    let emu = emulator().await;
    put(&emu, "chunked", data.clone()).await;
    let head = direct_client(&emu)
        .head_object()
        .bucket(BUCKET)
        .key("chunked")
        .send()
        .await
        .unwrap();
    let crc = head.crc64.unwrap() ^ crc_offset;
    let endpoint = chunked_server(data.clone(), head.etag, crc, ending).await;
    builder(&emu, &endpoint).build().unwrap()
}

#[tokio::test]
async fn a_chunked_answer_is_read_to_its_end_and_checked() {
    let data = content(95_000, 12);
    let client = chunked(&data, 0, Ending::Whole).await;
    let object = get(&client, "chunked").await;
    assert_eq!(object.body.content_length(), None);
    assert_eq!(object.body.collect().await.unwrap(), data);

    let client = chunked(&data, 1, Ending::Whole).await;
    let object = get(&client, "chunked").await;
    let error = object.body.collect().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ChecksumMismatch, "{error}");
}

#[tokio::test]
async fn a_chunked_answer_cut_short_is_an_error() {
    let data = content(95_000, 13);
    let client = chunked(&data, 0, Ending::CutHalfway).await;
    let object = client
        .get_object()
        .bucket(BUCKET)
        .key("chunked")
        .verify_crc64(false)
        .max_attempts(1)
        .send()
        .await
        .unwrap();
    let error = object.body.collect().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error}");
}
