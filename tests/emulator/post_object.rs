//! Browser form uploads: a policy signed by `Client::presign_post`, posted as
//! `multipart/form-data` to the emulator, which checks the signature and the conditions.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use oss_client::SignatureVersion;
use oss_client::operation::post_policy::PostPolicy;

use crate::support::{bucket, client, client_at, emulator, etag_of, get};

const BOUNDARY: &str = "oss-form-boundary-7MA4YWxk";

/// POSTs `form`'s fields, then `extra` fields, then the file; returns status and body.
async fn post(form: &PostPolicy, extra: &[(&str, &str)], file: &[u8]) -> (u16, String) {
    post_fields(&form.url, &form.fields, extra, file).await
}

async fn post_fields(
    url: &str,
    fields: &[(String, String)],
    extra: &[(&str, &str)],
    file: &[u8],
) -> (u16, String) {
    let mut body = Vec::new();
    let all = fields
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .chain(extra.iter().copied());
    for (name, value) in all {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let request = http::Request::post(url)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Full::new(Bytes::from(body)))
        .unwrap();
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<Full<Bytes>>();
    let response = client.request(request).await.unwrap();
    let status = response.status().as_u16();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn code(body: &str) -> &str {
    body.split("<Code>")
        .nth(1)
        .and_then(|rest| rest.split("</Code>").next())
        .unwrap_or("")
}

#[tokio::test]
async fn a_signed_form_uploads_the_file_with_its_fields() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "forms").await;
    let form = client
        .presign_post()
        .bucket(&b)
        .key_starts_with("user/alice/")
        .content_length_range(1, 100)
        .field("content-type", "text/plain")
        .field("x-oss-meta-owner", "alice")
        .field("success_action_status", "201")
        .send()
        .await
        .unwrap();
    let names: Vec<&str> = form.fields.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "content-type",
            "x-oss-meta-owner",
            "success_action_status",
            "policy",
            "x-oss-signature-version",
            "x-oss-credential",
            "x-oss-date",
            "x-oss-signature"
        ]
    );
    let (status, body) = post(&form, &[("key", "user/alice/note.txt")], b"form data").await;
    assert_eq!(status, 201, "{body}");
    assert!(body.contains("<Key>user/alice/note.txt</Key>"), "{body}");
    assert!(
        body.contains(&format!("<ETag>{}</ETag>", etag_of(b"form data"))),
        "{body}"
    );
    let got = get(&client, &b, "user/alice/note.txt").await;
    assert_eq!(got.properties.content_type.as_deref(), Some("text/plain"));
    assert_eq!(
        got.properties.metadata,
        vec![("owner".to_owned(), "alice".to_owned())]
    );
    assert_eq!(got.body.collect().await.unwrap(), &b"form data"[..]);

    // A fixed key, default answer 204.
    let fixed = client
        .presign_post()
        .bucket(&b)
        .key("exact.txt")
        .send()
        .await
        .unwrap();
    assert_eq!(fixed.fields[0], ("key".to_owned(), "exact.txt".to_owned()));
    let (status, body) = post(&fixed, &[], b"x").await;
    assert_eq!(status, 204, "{body}");
    emu.shutdown().await;
}

#[tokio::test]
async fn forms_that_break_the_policy_are_refused_as_oss_refuses_them() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "forms").await;
    let form = client
        .presign_post()
        .bucket(&b)
        .key_starts_with("uploads/")
        .content_length_range(2, 5)
        .send()
        .await
        .unwrap();
    // (the posted key, the file, the status and code OSS answers)
    let cases = [
        (Some("other/a.txt"), &b"abc"[..], 403, "AccessDenied"),
        (Some("uploads/a.txt"), b"abcdef", 400, "EntityTooLarge"),
        (Some("uploads/a.txt"), b"a", 400, "EntityTooSmall"),
        (None, b"abc", 400, "InvalidArgument"),
    ];
    for (key, file, status, want) in cases {
        let extra: Vec<(&str, &str)> = key.map(|k| ("key", k)).into_iter().collect();
        let (got, body) = post(&form, &extra, file).await;
        assert_eq!((got, code(&body)), (status, want), "{key:?}: {body}");
    }
    // A signature that does not match the policy.
    let mut tampered = form.fields.clone();
    for (name, value) in &mut tampered {
        if name == "x-oss-signature" {
            *value = "0".repeat(64);
        }
    }
    let (status, body) = post_fields(&form.url, &tampered, &[("key", "uploads/a")], b"abc").await;
    assert_eq!(
        (status, code(&body)),
        (403, "SignatureDoesNotMatch"),
        "{body}"
    );
    // A policy that expired: signed an hour ago, valid for ten minutes.
    let old = client_at(&emu, SystemTime::now() - Duration::from_secs(3600));
    let expired = old
        .presign_post()
        .bucket(&b)
        .key("late.txt")
        .expires_in(Duration::from_secs(600))
        .send()
        .await
        .unwrap();
    let (status, body) = post(&expired, &[], b"abc").await;
    assert_eq!((status, code(&body)), (403, "AccessDenied"), "{body}");
    assert!(body.contains("Policy expired"), "{body}");
    // A form field the emulator does not implement is refused, not dropped.
    let sse = client
        .presign_post()
        .bucket(&b)
        .key("sse.txt")
        .field("x-oss-server-side-encryption", "AES256")
        .send()
        .await
        .unwrap();
    let (status, body) = post(&sse, &[], b"abc").await;
    assert_eq!((status, code(&body)), (501, "NotImplemented"), "{body}");
    let missing = client.head_object().bucket(&b).key("late.txt").send().await;
    assert_eq!(missing.unwrap_err().code(), Some("NoSuchKey"));
    emu.shutdown().await;
}

#[tokio::test]
async fn the_signer_refuses_bad_input_before_any_io() {
    let (client, calls) = crate::support::offline_client();
    let cases = [
        client.presign_post().key("k"),
        client.presign_post().bucket("b-1"),
        client
            .presign_post()
            .bucket("b-1")
            .key("k")
            .expires_in(Duration::ZERO),
        client
            .presign_post()
            .bucket("b-1")
            .key("k")
            .content_length_range(5, 1),
        client
            .presign_post()
            .bucket("b-1")
            .key("k")
            .field("policy", "x"),
        client
            .presign_post()
            .bucket("b-1")
            .key("k")
            .field("a", "1")
            .field("A", "2"),
    ];
    for request in cases {
        let error = request.send().await.unwrap_err();
        assert!(error.is_input_error(), "{error}");
    }
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 0);
}
