//! Image processing: GetObject and presigned URLs with `x-oss-process`, ProcessObject with
//! `sys/saveas`, and what the emulator's documented subset refuses.

use std::io::Cursor;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Empty};
use oss_client::SignatureVersion;

use crate::support::{bucket, client, emulator, get, put};

/// A `width` x `height` PNG.
fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([x as u8, y as u8, 9]));
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn dimensions(data: &[u8]) -> (u32, u32) {
    image::load_from_memory(data)
        .unwrap()
        .into_rgb8()
        .dimensions()
}

#[tokio::test]
async fn get_object_answers_the_processed_image() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "images").await;
    put(&client, &b, "photo.png", png(64, 32)).await;
    let resized = client
        .get_object()
        .bucket(&b)
        .key("photo.png")
        .process("image/resize,w_16/rotate,90/format,jpg")
        .send()
        .await
        .unwrap();
    assert_eq!(
        resized.properties.content_type.as_deref(),
        Some("image/jpeg")
    );
    let data = resized.body.collect().await.unwrap();
    assert_eq!(
        image::guess_format(&data).unwrap(),
        image::ImageFormat::Jpeg
    );
    assert_eq!(dimensions(&data), (8, 16));

    let info = client
        .get_object()
        .bucket(&b)
        .key("photo.png")
        .process("image/info")
        .send()
        .await
        .unwrap();
    let json: serde_json::Value =
        serde_json::from_slice(&info.body.collect().await.unwrap()).unwrap();
    assert_eq!(json["ImageWidth"]["value"], "64");
    assert_eq!(json["ImageHeight"]["value"], "32");
    assert_eq!(json["Format"]["value"], "png");

    // A presigned URL carries the processing too.
    let url = client
        .presign(http::Method::GET)
        .bucket(&b)
        .key("photo.png")
        .process("image/crop,x_10,y_0,w_20,h_8")
        .send()
        .await
        .unwrap()
        .url;
    assert!(url.contains("x-oss-process=image%2Fcrop%2Cx_10"), "{url}");
    let http = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<Empty<Bytes>>();
    let response = http.get(url.parse().unwrap()).await.unwrap();
    assert_eq!(response.status(), 200);
    let data = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(dimensions(&data), (20, 8));
    emu.shutdown().await;
}

#[tokio::test]
async fn process_object_saves_the_result() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "images").await;
    let thumbs = bucket(&client, "thumbs").await;
    put(&client, &b, "photo.png", png(40, 40)).await;
    let saved = client
        .process_object()
        .bucket(&b)
        .key("photo.png")
        .process("image/resize,m_fixed,w_10,h_5")
        .save_as("small/photo.png")
        .save_as_bucket(&thumbs)
        .send()
        .await
        .unwrap();
    assert_eq!(
        (
            saved.bucket.as_str(),
            saved.key.as_str(),
            saved.status.as_str()
        ),
        ("thumbs", "small/photo.png", "OK")
    );
    let got = get(&client, &thumbs, "small/photo.png").await;
    assert_eq!(got.properties.content_type.as_deref(), Some("image/png"));
    let data = got.body.collect().await.unwrap();
    assert_eq!(saved.file_size, data.len() as u64);
    assert_eq!(dimensions(&data), (10, 5));
    emu.shutdown().await;
}

#[tokio::test]
async fn what_the_subset_lacks_or_oss_refuses_is_an_error() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "images").await;
    put(&client, &b, "photo.png", png(8, 8)).await;
    put(&client, &b, "notes.txt", "not an image").await;
    for (key, process, code) in [
        (
            "photo.png",
            "image/watermark,text_aGVsbG8",
            "NotImplemented",
        ),
        ("photo.png", "image/format,webp", "NotImplemented"),
        ("photo.png", "image/no-such-action", "BadRequest"),
        ("photo.png", "image/resize,w_0", "InvalidArgument"),
        ("notes.txt", "image/info", "BadRequest"),
        ("missing.png", "image/info", "NoSuchKey"),
    ] {
        let error = client
            .get_object()
            .bucket(&b)
            .key(key)
            .process(process)
            .send()
            .await
            .unwrap_err();
        assert_eq!(error.code(), Some(code), "{process} on {key}: {error}");
    }
    // The emulator does not run asynchronous (IMM) processing: 501, never another operation.
    let error = client
        .async_process_object()
        .bucket(&b)
        .key("photo.png")
        .process("video/convert,f_mp4")
        .save_as("out.mp4")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("NotImplemented"));
    // Refused before any I/O: no target key, a style holding '|'.
    let no_target = client
        .process_object()
        .bucket(&b)
        .key("photo.png")
        .process("image/info")
        .send()
        .await
        .unwrap_err();
    assert!(no_target.is_input_error());
    let piped = client
        .process_object()
        .bucket(&b)
        .key("photo.png")
        .process("image/info|sys/saveas,o_eA")
        .save_as("x")
        .send()
        .await
        .unwrap_err();
    assert!(piped.is_input_error());
    emu.shutdown().await;
}
