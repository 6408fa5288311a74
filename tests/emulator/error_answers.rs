//! Error answers that are not (complete) OSS error documents, from a raw loopback server: a
//! gateway's HTML page, an empty body, truncated XML, another XML document, binary bytes, a
//! body larger than the reader keeps. Each becomes a service error with its status, request id
//! and the start of its body; none panics or turns into a parse error. And the one list of
//! retryable codes: the retry layer and `is_retryable()` agree.

use oss_client::{Error, ErrorKind};

use crate::support::{RawServer, raw_answer};

/// GetObject against a server that answers every request with `answer`, one attempt.
async fn get_error(answer: Vec<u8>) -> Error {
    let server = RawServer::start(move |_| answer.clone()).await;
    let err = server
        .client(1)
        .get_object()
        .bucket("bucket")
        .key("key")
        .send()
        .await
        .unwrap_err();
    assert_eq!(server.requests().len(), 1);
    err
}

#[tokio::test]
async fn a_gateways_html_page_keeps_status_request_id_and_body_start() {
    let page = b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    let err = get_error(raw_answer(
        "502 Bad Gateway",
        &[
            ("Content-Type", "text/html"),
            ("x-oss-request-id", "5C3D9778CC1C2AEDF85BC4C3"),
        ],
        page,
    ))
    .await;
    assert_eq!(err.kind(), ErrorKind::Service);
    let service = err.as_service_error().unwrap();
    assert_eq!(service.status().as_u16(), 502);
    assert_eq!(service.code(), "BadErrorResponse");
    assert!(!service.has_error_document());
    assert_eq!(service.request_id(), "5C3D9778CC1C2AEDF85BC4C3");
    assert_eq!(service.message(), "Bad Gateway");
    let excerpt = service.body_excerpt().unwrap();
    assert!(
        excerpt.starts_with("<html> <head><title>502 Bad Gateway</title>"),
        "{excerpt}"
    );
    assert!(!excerpt.contains('\r') && !excerpt.contains('\n'));
    let shown = err.to_string();
    assert!(shown.contains("HTTP 502"), "{shown}");
    assert!(shown.contains("5C3D9778CC1C2AEDF85BC4C3"), "{shown}");
    assert!(shown.contains("<h1>502 Bad Gateway</h1>"), "{shown}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn empty_truncated_foreign_and_binary_bodies() {
    // Empty body: the status's code and reason, no excerpt.
    let err = get_error(raw_answer("500 Internal Server Error", &[], b"")).await;
    let service = err.as_service_error().unwrap();
    assert_eq!(
        (service.code(), service.message(), service.body_excerpt()),
        ("BadErrorResponse", "Internal Server Error", None)
    );

    // Truncated XML: the elements that closed count, the rest is shown.
    let err = get_error(raw_answer(
        "404 Not Found",
        &[("Content-Type", "application/xml")],
        b"<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code><Message>The specified ke",
    ))
    .await;
    let service = err.as_service_error().unwrap();
    assert_eq!(service.code(), "NoSuchKey");
    assert_eq!(service.message(), "Not Found");
    assert!(
        service
            .body_excerpt()
            .unwrap()
            .ends_with("<Message>The specified ke")
    );

    // XML that is not an <Error> document: nothing is taken from it.
    let err = get_error(raw_answer(
        "400 Bad Request",
        &[],
        b"<ListBucketResult><Code>Fake</Code></ListBucketResult>",
    ))
    .await;
    let service = err.as_service_error().unwrap();
    assert_eq!(service.code(), "BadErrorResponse");
    assert!(
        service
            .body_excerpt()
            .unwrap()
            .starts_with("<ListBucketResult>")
    );
    assert!(!err.is_retryable());

    // Binary garbage: escaped, never a panic or a parse error.
    let err = get_error(raw_answer(
        "503 Service Unavailable",
        &[],
        b"\x00\x9f\x92\x96\x1b[2J\xff garbage",
    ))
    .await;
    assert_eq!(err.kind(), ErrorKind::Service);
    assert_eq!(
        err.as_service_error().unwrap().body_excerpt(),
        Some("\\u{0}\\x9f\\x92\\x96\\u{1b}[2J\\xff garbage")
    );

    // A 403 page (the retry layer reads 4xx documents itself) and a body over 64 KiB.
    let mut page = b"<html><body>".to_vec();
    page.extend(std::iter::repeat_n(b'x', 200 * 1024));
    let err = get_error(raw_answer("403 Forbidden", &[], &page)).await;
    let service = err.as_service_error().unwrap();
    assert_eq!(service.code(), "AccessDenied");
    let excerpt = service.body_excerpt().unwrap();
    assert!(excerpt.starts_with("<html><body>xxx") && excerpt.ends_with('…'));
    assert!(excerpt.len() <= 600, "{}", excerpt.len());
}

#[tokio::test]
async fn head_errors_read_x_oss_err() {
    use base64::Engine as _;
    let xml = b"<Error><Code>NoSuchKey</Code><Message>gone</Message><Key>key</Key></Error>";
    let encoded = base64::engine::general_purpose::STANDARD.encode(xml);
    let server = RawServer::start(move |_| {
        raw_answer(
            "404 Not Found",
            &[("x-oss-err", &encoded), ("x-oss-request-id", "R1")],
            b"",
        )
    })
    .await;
    let err = server
        .client(1)
        .head_object()
        .bucket("bucket")
        .key("key")
        .send()
        .await
        .unwrap_err();
    let service = err.as_service_error().unwrap();
    assert_eq!(
        (service.code(), service.message(), service.request_id()),
        ("NoSuchKey", "gone", "R1")
    );
    assert_eq!(service.detail("Key"), Some("key"));
    assert_eq!(service.body_excerpt(), None);
}

/// A 4xx answer whose code is on the one list is retried by the retry layer and called
/// retryable by the error; another 4xx code is neither.
#[tokio::test]
async fn the_retry_layer_and_is_retryable_share_one_list() {
    for (code, retried) in [
        ("RequestTimeout", true),
        ("SlowDown", true),
        ("InvalidArgument", false),
        ("NoSuchKey", false),
    ] {
        let body = format!("<Error><Code>{code}</Code><Message>m</Message></Error>");
        let server =
            RawServer::start(move |_| raw_answer("400 Bad Request", &[], body.as_bytes())).await;
        let err = server
            .client(3)
            .get_object()
            .bucket("bucket")
            .key("key")
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.code(), Some(code));
        assert_eq!(err.is_retryable(), retried, "{code}");
        let expected = if retried { 3 } else { 1 };
        assert_eq!(server.requests().len(), expected, "{code}");
    }
    // 501 is not retried; 503 is, whatever the body.
    for (status, attempts) in [("501 Not Implemented", 1), ("503 Service Unavailable", 3)] {
        let server = RawServer::start(move |_| raw_answer(status, &[], b"<html/>")).await;
        let err = server
            .client(3)
            .get_object()
            .bucket("bucket")
            .key("key")
            .send()
            .await
            .unwrap_err();
        assert_eq!(server.requests().len(), attempts, "{status}");
        assert_eq!(err.is_retryable(), attempts > 1, "{status}");
    }
}

/// The stack reads a 4xx document once and hands it on with the answer, whose body still
/// holds the bytes.
#[tokio::test]
async fn the_document_travels_with_the_answer() {
    use http_body_util::BodyExt as _;
    let body = b"<Error><Code>NoSuchBucket</Code><BucketName>b</BucketName></Error>";
    let server = RawServer::start(move |_| raw_answer("404 Not Found", &[], body)).await;
    let provider = oss_auth::SharedCredentialsProvider::new(
        oss_auth::StaticCredentialsProvider::new("id", "secret").unwrap(),
    );
    let signing = std::sync::Arc::new(oss_http::SigningConfig::new(
        provider,
        oss_auth::sign::SignatureVersion::V4,
        "cn-hangzhou",
    ));
    let transport = oss_http::HttpClient::builder().build().unwrap();
    let stack = oss_http::HttpStack::new(transport, signing, &oss_http::StackConfig::default());
    let request = http::Request::builder()
        .uri(format!("{}/b/k", server.endpoint))
        .body(oss_http::Body::empty())
        .unwrap();
    let mut target = oss_http::SigningTarget {
        bucket: Some("b".into()),
        key: Some("k".into()),
        query: Default::default(),
    };
    let response = stack.send_for(request, Some(&mut target)).await.unwrap();
    let document = oss_http::ErrorDocument::of(&response).unwrap().clone();
    assert_eq!(document.code(), Some("NoSuchBucket"));
    assert_eq!(document.element("BucketName"), Some("b"));
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&bytes[..], body);
}
