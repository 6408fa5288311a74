//! Fuzzing the request parser, the router and the XML bodies with proptest over arbitrary
//! bytes (a short run in `cargo test`; `PROPTEST_CASES=N` runs more): no panic, no hang, and
//! an answer for every input that parses as HTTP — an OSS error document when refused,
//! never a 500 or a dropped connection. Bytes that are not HTTP get the HTTP layer's bare 400
//! or a close. Each raw input is followed by a FIN, so nothing waits on a timer.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};

use common::{Call, Client2};
use http::{Method, StatusCode};
use md5::{Digest as _, Md5};
use oss_emulator::{Emulator, EmulatorHandle};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::runtime::Runtime;

/// The emulator on its own runtime, with bucket `fzz`, object `fzz/t` and a multipart upload
/// of `fzz/mp` (its upload id returned).
fn emulator() -> (Runtime, EmulatorHandle, Client2, String) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (emu, c, upload_id) = rt.block_on(async {
        let emu = Emulator::builder().start().await.unwrap();
        let c = Client2::for_emulator(&emu);
        c.create_bucket("fzz").await;
        c.put("fzz", "t", "tagged").await;
        let r = c
            .send(
                c.call(Method::POST, Some("fzz"), Some("mp"))
                    .query("uploads"),
            )
            .await;
        let upload_id = common::between(&r.text(), "<UploadId>", "</UploadId>").unwrap();
        (emu, c, upload_id)
    });
    (rt, emu, c, upload_id)
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        failure_persistence: None,
        ..Config::default()
    })
}

/// Writes `bytes`, closes the sending side, reads until the emulator closes.
async fn exchange(addr: &str, bytes: &[u8]) -> Vec<u8> {
    let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
    let _ = conn.write_all(bytes).await;
    let _ = conn.shutdown().await;
    let mut out = Vec::new();
    let _ = conn.read_to_end(&mut out).await;
    out
}

/// Checks an answer: an OSS error document (or `x-oss-err` on HEAD) when refused, never a
/// 500.
fn check_answer(method: &Method, status: StatusCode, head_err: bool, body: &[u8]) {
    assert_ne!(
        status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        String::from_utf8_lossy(body)
    );
    if status.as_u16() >= 400 {
        if *method == Method::HEAD {
            assert!(head_err, "HEAD {status} without x-oss-err");
        } else {
            let text = String::from_utf8_lossy(body);
            assert!(
                text.contains("<Code>"),
                "{status} without an OSS error: {text}"
            );
        }
    }
}

/// Beginnings that take the parser past the request line.
const PREFIXES: &[&str] = &[
    "",
    "GET / HTTP/1.1\r\n",
    "PUT /fzz/k HTTP/1.1\r\nHost: 127.0.0.1\r\n",
    "POST /fzz?delete HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 20\r\n\r\n",
    "GET /fzz/t HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n",
    "HEAD /fzz/t?acl HTTP/1.1\r\nHost: fzz.localhost\r\nRange: bytes=",
];

#[test]
fn arbitrary_bytes_get_an_http_answer_or_a_close() {
    let (rt, emu, c, _) = emulator();
    let addr = c.addr();
    let input = (
        prop::sample::select(PREFIXES),
        prop::collection::vec(any::<u8>(), 0..600),
    );
    runner()
        .run(&input, |(prefix, tail)| {
            let mut bytes = prefix.as_bytes().to_vec();
            bytes.extend_from_slice(&tail);
            let out = rt.block_on(exchange(&addr, &bytes));
            if !out.is_empty() {
                let text = String::from_utf8_lossy(&out);
                let status: u16 = text
                    .strip_prefix("HTTP/1.1 ")
                    .and_then(|rest| rest.get(..3))
                    .and_then(|code| code.parse().ok())
                    .unwrap_or_else(|| panic!("not an HTTP answer: {text:?}"));
                prop_assert_ne!(status, 500, "{}", text);
                if text.contains("x-oss-request-id") && status >= 400 && !prefix.starts_with("HEAD")
                {
                    prop_assert!(text.contains("<Code>"), "{}", text);
                }
            }
            Ok(())
        })
        .unwrap();
    let alive = rt.block_on(c.send(c.call(Method::GET, None, None)));
    assert_eq!(alive.status, StatusCode::OK);
    drop(emu);
}

const QUERY_NAMES: &[&str] = &[
    "acl",
    "tagging",
    "uploads",
    "uploadId",
    "partNumber",
    "append",
    "position",
    "versionId",
    "versioning",
    "versions",
    "delete",
    "symlink",
    "restore",
    "objectMeta",
    "location",
    "bucketInfo",
    "stat",
    "list-type",
    "prefix",
    "delimiter",
    "marker",
    "max-keys",
    "continuation-token",
    "encoding-type",
    "start-after",
    "response-content-type",
    "x-oss-process",
    "lifecycle",
    "cors",
    "zz-unknown",
];

const HEADER_NAMES: &[&str] = &[
    "range",
    "x-oss-range-behavior",
    "content-md5",
    "content-type",
    "x-oss-copy-source",
    "x-oss-copy-source-range",
    "x-oss-metadata-directive",
    "x-oss-tagging",
    "x-oss-tagging-directive",
    "x-oss-storage-class",
    "x-oss-object-acl",
    "x-oss-acl",
    "x-oss-forbid-overwrite",
    "if-match",
    "if-none-match",
    "if-modified-since",
    "if-unmodified-since",
    "x-oss-symlink-target",
    "cache-control",
    "x-oss-meta-a",
    "x-oss-server-side-encryption",
    "x-oss-copy-source-if-match",
];

const METHODS: &[Method] = &[
    Method::GET,
    Method::PUT,
    Method::POST,
    Method::DELETE,
    Method::HEAD,
];

/// Sends a signed call (so it gets past authentication) and checks the answer; returns its
/// status.
fn send_checked(rt: &Runtime, c: &Client2, call: Call) -> Result<StatusCode, TestCaseError> {
    let method = call.method.clone();
    let reply = rt
        .block_on(c.try_send(call))
        .map_err(|e| TestCaseError::fail(format!("no answer: {e}")))?;
    let body = reply
        .body
        .map_err(|e| TestCaseError::fail(format!("answer cut: {e}")))?;
    check_answer(
        &method,
        reply.status,
        reply.headers.contains_key("x-oss-err"),
        &body,
    );
    Ok(reply.status)
}

#[test]
fn signed_requests_with_arbitrary_parts_get_oss_answers() {
    let (rt, emu, c, _) = emulator();
    let served = AtomicUsize::new(0);
    let input = (
        prop::sample::select(METHODS),
        prop::sample::select(&["fzz", "nope", "fzz-new"][..]),
        prop::option::of("[a-zA-Z0-9/._ -]{1,30}"),
        prop::collection::vec(
            (
                prop::sample::select(QUERY_NAMES),
                prop::option::of("[a-zA-Z0-9._~-]{0,12}"),
            ),
            0..4,
        ),
        prop::collection::vec((prop::sample::select(HEADER_NAMES), "[!-~]{1,30}"), 0..4),
        prop::collection::vec(any::<u8>(), 0..300),
    );
    runner()
        .run(&input, |(method, bucket, key, query, headers, body)| {
            let query: Vec<String> = query
                .iter()
                .map(|(n, v)| match v {
                    Some(v) => format!("{n}={v}"),
                    None => (*n).to_owned(),
                })
                .collect();
            let mut call = c
                .call(method, Some(bucket), key.as_deref())
                .query(&query.join("&"))
                .body(body);
            for (name, value) in &headers {
                call = call.header(name, value);
            }
            if send_checked(&rt, &c, call)?.is_success() {
                served.fetch_add(1, Ordering::Relaxed);
            }
            Ok(())
        })
        .unwrap();
    // The inputs reach the handlers: some are served, not only refused.
    assert!(served.load(Ordering::Relaxed) > 0);
    drop(emu);
}

/// Pieces of the XML documents OSS operations read, and things XML parsers trip on.
const XML_TOKENS: &[&str] = &[
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
    "<Tagging>",
    "</Tagging>",
    "<TagSet>",
    "</TagSet>",
    "<Tag>",
    "</Tag>",
    "<Key>",
    "</Key>",
    "<Value>",
    "</Value>",
    "<Delete>",
    "</Delete>",
    "<Object>",
    "</Object>",
    "<Quiet>true</Quiet>",
    "<VersionId>v</VersionId>",
    "<VersioningConfiguration>",
    "</VersioningConfiguration>",
    "<Status>Enabled</Status>",
    "<Status>Suspended</Status>",
    "<RestoreRequest>",
    "</RestoreRequest>",
    "<Days>3</Days>",
    "<CompleteMultipartUpload>",
    "</CompleteMultipartUpload>",
    "<Part>",
    "</Part>",
    "<PartNumber>1</PartNumber>",
    "<ETag>\"0\"</ETag>",
    "<CreateBucketConfiguration>",
    "</CreateBucketConfiguration>",
    "<StorageClass>IA</StorageClass>",
    "<AccessControlPolicy>",
    "</AccessControlPolicy>",
    "&amp;",
    "&#0;",
    "&bogus;",
    "<![CDATA[x]]>",
    "<!-- c -->",
    "<!DOCTYPE x [<!ENTITY e \"e\">]>",
    "<a b=\"1\" b=\"2\"/>",
    "k",
    " ",
    "\u{0}",
    "\u{FFFD}",
    "<",
];

/// (method, bucket, key, query, extra header) of each operation with an XML body.
const XML_OPERATIONS: &[(&str, &str, Option<&str>, &str)] = &[
    ("PUT", "fzz", Some("t"), "tagging"),
    ("PUT", "fzz", None, "versioning"),
    ("POST", "fzz", None, "delete"),
    ("POST", "fzz", Some("t"), "restore"),
    ("POST", "fzz", Some("mp"), "uploadId="),
    ("PUT", "fzz-new", None, ""),
    ("PUT", "fzz", None, "acl"),
];

#[test]
fn xml_bodies_of_every_xml_operation_get_oss_answers() {
    let (rt, emu, c, upload_id) = emulator();
    let body = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..400),
        prop::collection::vec(prop::sample::select(XML_TOKENS), 0..40)
            .prop_map(|tokens| tokens.concat().into_bytes()),
    ];
    let input = (prop::sample::select(XML_OPERATIONS), body);
    runner()
        .run(&input, |((method, bucket, key, query), body)| {
            let query = if query == "uploadId=" {
                format!("uploadId={upload_id}")
            } else {
                query.to_owned()
            };
            let md5 = base64::Engine::encode(
                &base64::engine::general_purpose::STANDARD,
                Md5::digest(&body),
            );
            let call = c
                .call(method.parse().unwrap(), Some(bucket), key)
                .query(&query)
                .header("content-md5", &md5)
                .body(body);
            send_checked(&rt, &c, call).map(drop)
        })
        .unwrap();
    drop(emu);
}
