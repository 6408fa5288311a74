//! Upload callbacks end to end: the client sends `x-oss-callback`, the emulator calls the
//! test's callback server (which checks OSS's signature) and relays its answer.

use oss_client::operation::callback::{Callback, CallbackBodyType};
use oss_client::operation::multipart::complete::CompletedPart;
use oss_client::{ErrorKind, SignatureVersion};

use crate::callback_server::CallbackServer;
use crate::support::{bucket, client, emulator, etag_of};

#[tokio::test]
async fn put_object_callback_substitutes_variables_signs_and_relays_the_answer() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "callbacks").await;
    let server = CallbackServer::start(200, r#"{"accepted":true}"#).await;
    let callback = Callback::new(
        &server.url,
        "bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mime=${mimeType}\
         &crc=${crc64}&op=${operation}&req=${reqId}&user=${x:user}&missing=${x:none}",
    )
    .host("app.example.com")
    .var("user", "alice & bob");
    let put = client
        .put_object()
        .bucket(&b)
        .key("dir/a b.txt")
        .content_type("text/plain")
        .body("hello")
        .callback(callback)
        .send()
        .await
        .unwrap();
    assert_eq!(
        put.callback_result.as_deref(),
        Some(&br#"{"accepted":true}"#[..])
    );
    assert_eq!(put.etag, etag_of(b"hello"));
    let received = server.received();
    assert_eq!(received.len(), 1);
    let call = &received[0];
    assert!(call.signature_valid, "signature of {call:?}");
    assert_eq!(call.path_and_query, "/callback?tenant=t1");
    assert_eq!(call.host, "app.example.com");
    assert_eq!(call.content_type, "application/x-www-form-urlencoded");
    let etag = etag_of(b"hello").trim_matches('"').to_owned();
    assert_eq!(
        call.body,
        format!(
            "bucket=callbacks&object=dir%2Fa%20b.txt&etag={etag}&size=5&mime=text%2Fplain\
             &crc={}&op=PutObject&req={}&user=alice%20%26%20bob&missing=",
            put.crc64.unwrap(),
            put.request_id
        )
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn complete_multipart_upload_callback_with_a_json_body() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "callbacks").await;
    let server = CallbackServer::start(200, r#"{"ok":1}"#).await;
    let init = client
        .initiate_multipart_upload()
        .bucket(&b)
        .key("big.bin")
        .send()
        .await
        .unwrap();
    let part = client
        .upload_part()
        .bucket(&b)
        .key("big.bin")
        .upload_id(&init.upload_id)
        .part_number(1)
        .body(vec![7u8; 1000])
        .send()
        .await
        .unwrap();
    let callback = Callback::new(
        &server.url,
        r#"{"object":"${object}","size":${size},"note":"${x:note}"}"#,
    )
    .body_type(CallbackBodyType::Json)
    .var("note", "say \"hi\"");
    let done = client
        .complete_multipart_upload()
        .bucket(&b)
        .key("big.bin")
        .upload_id(&init.upload_id)
        .part(CompletedPart::from(&part))
        .callback(callback)
        .send()
        .await
        .unwrap();
    assert_eq!(done.callback_result.as_deref(), Some(&br#"{"ok":1}"#[..]));
    assert!(done.etag.ends_with("-1\""), "{}", done.etag);
    let call = &server.received()[0];
    assert!(call.signature_valid);
    assert_eq!(call.content_type, "application/json");
    let json: serde_json::Value = serde_json::from_str(&call.body).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"object": "big.bin", "size": 1000, "note": "say \"hi\""})
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn a_failed_callback_is_callback_failed_with_the_object_stored_and_not_retried() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "callbacks").await;
    let server = CallbackServer::start(500, "down").await;
    let error = client
        .put_object()
        .bucket(&b)
        .key("kept.txt")
        .body("data")
        .callback(Callback::new(&server.url, "o=${object}"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::CallbackFailed);
    assert_eq!(error.code(), Some("CallbackFailed"));
    let service = error.as_service_error().unwrap();
    assert_eq!(service.status(), 203);
    assert_eq!(service.message(), "Error status : 500.");
    assert!(!error.is_retryable());
    assert_eq!(error.attempts(), 1);
    assert!(
        error.to_string().contains("the object was stored"),
        "{error}"
    );
    assert_eq!(server.received().len(), 1, "the upload was not sent again");
    let head = client
        .head_object()
        .bucket(&b)
        .key("kept.txt")
        .send()
        .await
        .unwrap();
    assert_eq!(head.content_length, 4);

    // An answer that is not JSON fails the callback too.
    let not_json = CallbackServer::start(200, "plain text").await;
    let error = client
        .put_object()
        .bucket(&b)
        .key("kept2.txt")
        .body("data")
        .callback(Callback::new(&not_json.url, "o=${object}"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::CallbackFailed);
    assert_eq!(
        error.as_service_error().unwrap().message(),
        "Response body is not valid json format."
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn callbacks_the_emulator_refuses_store_nothing() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "callbacks").await;
    let error = client
        .put_object()
        .bucket(&b)
        .key("never.txt")
        .body("data")
        .callback(Callback::new("http://example.com/cb", "o=${object}"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("InvalidArgument"));
    let missing = client
        .head_object()
        .bucket(&b)
        .key("never.txt")
        .send()
        .await;
    assert_eq!(missing.unwrap_err().code(), Some("NoSuchKey"));
    // Refused by the client before any I/O.
    let error = client
        .put_object()
        .bucket(&b)
        .key("never.txt")
        .callback(Callback::new("http://127.0.0.1:1/cb", "o").var("Upper", "x"))
        .send()
        .await
        .unwrap_err();
    assert!(error.is_input_error());
    emu.shutdown().await;
}

#[tokio::test]
async fn the_uploader_sends_the_callback_once_on_the_request_that_creates_the_object() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "callbacks").await;
    let server = CallbackServer::start(200, r#"{"stored":true}"#).await;
    // The emulator answers 501 for a callback header on InitiateMultipartUpload or
    // UploadPart, so a success also shows the header went on Complete only.
    let uploader = oss_client::transfer::Uploader::new(&client)
        .part_size(100 * 1024)
        .multipart_threshold(100 * 1024)
        .callback(Callback::new(&server.url, "o=${object}&s=${size}"));
    let big = uploader
        .upload_bytes(&b, "big.bin", vec![1u8; 250 * 1024].into())
        .await
        .unwrap();
    assert_eq!(big.parts, 3);
    assert_eq!(
        big.callback_result.as_deref(),
        Some(&br#"{"stored":true}"#[..])
    );
    let small = uploader
        .upload_bytes(&b, "small.bin", vec![2u8; 10].into())
        .await
        .unwrap();
    assert_eq!(small.parts, 0);
    assert!(small.callback_result.is_some());
    let bodies: Vec<String> = server.received().into_iter().map(|r| r.body).collect();
    assert_eq!(bodies, ["o=big.bin&s=256000", "o=small.bin&s=10"]);
    emu.shutdown().await;
}
