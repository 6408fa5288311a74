//! End-to-end tests of the object, multipart and bucket-basics APIs: raw requests signed
//! with `oss-auth` (V4), sent over loopback with hyper.

use std::time::{Duration, SystemTime};

use base64::Engine as _;
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, Request, StatusCode};
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use md5::{Digest as _, Md5};
use oss_auth::Credentials;
use oss_auth::sign::{
    QueryParams, SignableRequest, SignatureVersion, Signer, SigningParams, uri_encode,
};
use oss_emulator::{Emulator, EmulatorHandle};

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap())
            .unwrap_or("")
    }

    fn code(&self) -> String {
        let xml = if self.body.is_empty() {
            let err = self.header("x-oss-err");
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(err)
                    .unwrap(),
            )
            .unwrap()
        } else {
            self.text()
        };
        between(&xml, "<Code>", "</Code>").unwrap_or_default()
    }

    fn all(&self, open: &str, close: &str) -> Vec<String> {
        let text = self.text();
        let mut out = Vec::new();
        let mut rest = text.as_str();
        while let Some(start) = rest.find(open) {
            let after = &rest[start + open.len()..];
            let end = after.find(close).unwrap();
            out.push(after[..end].to_owned());
            rest = &after[end..];
        }
        out
    }
}

fn between(s: &str, open: &str, close: &str) -> Option<String> {
    let start = s.find(open)? + open.len();
    let end = s[start..].find(close)? + start;
    Some(s[start..end].to_owned())
}

struct Call<'a> {
    method: Method,
    bucket: Option<&'a str>,
    key: Option<&'a str>,
    query: QueryParams,
    headers: HeaderMap,
    body: Bytes,
    presign: bool,
}

impl Call<'_> {
    fn q(mut self, name: &str, value: &str) -> Self {
        self.query.push(name, value);
        self
    }

    fn flag(mut self, name: &str) -> Self {
        self.query.push_flag(name);
        self
    }

    fn h(mut self, name: &'static str, value: &str) -> Self {
        self.headers
            .insert(name, HeaderValue::from_str(value).unwrap());
        self
    }

    fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }

    fn with_md5(self) -> Self {
        let md5 = base64::engine::general_purpose::STANDARD.encode(Md5::digest(&self.body));
        self.h("content-md5", &md5)
    }
}

struct Harness {
    emu: EmulatorHandle,
    client: Client<HttpConnector, Full<Bytes>>,
}

impl Harness {
    async fn new() -> Self {
        let emu = Emulator::builder().start().await.unwrap();
        let client = Client::builder(TokioExecutor::new()).build_http();
        Self { emu, client }
    }

    fn call<'a>(&self, method: Method, bucket: &'a str, key: Option<&'a str>) -> Call<'a> {
        Call {
            method,
            bucket: Some(bucket),
            key,
            query: QueryParams::new(),
            headers: HeaderMap::new(),
            body: Bytes::new(),
            presign: false,
        }
    }

    async fn send(&self, mut c: Call<'_>) -> Reply {
        let method = c.method.as_str().to_owned();
        if c.method != Method::GET && c.method != Method::HEAD {
            c.headers
                .insert("content-length", HeaderValue::from(c.body.len()));
        }
        {
            let creds =
                Credentials::from_keys(self.emu.access_key_id(), self.emu.access_key_secret());
            let signer = Signer::new(SignatureVersion::V4);
            let params = SigningParams::new(&creds, self.emu.region(), SystemTime::now());
            let mut req = SignableRequest {
                method: &method,
                bucket: c.bucket,
                key: c.key,
                query: &mut c.query,
                headers: &mut c.headers,
            };
            if c.presign {
                signer
                    .presign(&mut req, &params, Duration::from_secs(600))
                    .unwrap();
            } else {
                signer.sign_headers(&mut req, &params).unwrap();
            }
        }
        let mut url = format!("{}/", self.emu.endpoint());
        if let Some(b) = c.bucket {
            url.push_str(b);
            url.push('/');
        }
        if let Some(k) = c.key {
            url.push_str(&uri_encode(k, true));
        }
        if !c.query.is_empty() {
            url.push('?');
            url.push_str(&c.query.to_query_string());
        }
        let mut req = Request::builder().method(c.method.clone()).uri(url);
        for (n, v) in &c.headers {
            req = req.header(n, v);
        }
        let resp = self
            .client
            .request(req.body(Full::new(c.body.clone())).unwrap())
            .await
            .unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = resp.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body,
        }
    }

    async fn bucket(&self, name: &str) {
        let r = self.send(self.call(Method::PUT, name, None)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    }

    async fn put(&self, bucket: &str, key: &str, body: impl Into<Bytes>) -> Reply {
        let r = self
            .send(self.call(Method::PUT, bucket, Some(key)).body(body))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        r
    }

    async fn get(&self, bucket: &str, key: &str) -> Reply {
        self.send(self.call(Method::GET, bucket, Some(key))).await
    }
}

fn crc64(data: &[u8]) -> u64 {
    let mut d = crc64fast::Digest::new();
    d.write(data);
    d.sum64()
}

fn pattern(n: usize, seed: u8) -> Vec<u8> {
    (0..n)
        .map(|i| {
            (i as u8)
                .wrapping_mul(31)
                .wrapping_add(seed)
                .wrapping_add((i >> 8) as u8)
        })
        .collect()
}

fn complete_xml(parts: &[(u32, &str)]) -> String {
    let mut s = String::from("<CompleteMultipartUpload>");
    for (n, etag) in parts {
        s.push_str(&format!(
            "<Part><PartNumber>{n}</PartNumber><ETag>{etag}</ETag></Part>"
        ));
    }
    s.push_str("</CompleteMultipartUpload>");
    s
}

#[tokio::test]
async fn multipart_b17_order_size_etag_and_crc() {
    let h = Harness::new().await;
    h.bucket("mpu").await;
    let key = "video/big.bin";
    let r = h
        .send(
            h.call(Method::POST, "mpu", Some(key))
                .flag("uploads")
                .q("encoding-type", "url")
                .h("content-type", "video/mp4")
                .h("x-oss-meta-a", "1")
                .h("x-oss-tagging", "t=1"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        between(&r.text(), "<Key>", "</Key>").unwrap(),
        "video/big.bin"
    );
    assert!(r.text().contains("<EncodingType>url</EncodingType>"));
    let uid = between(&r.text(), "<UploadId>", "</UploadId>").unwrap();

    let parts = [pattern(102_400, 1), pattern(102_400, 2), pattern(10_240, 3)];
    let mut etags = vec![String::new(); 3];
    for n in [2usize, 3, 1] {
        let data = parts[n - 1].clone();
        let r = h
            .send(
                h.call(Method::PUT, "mpu", Some(key))
                    .q("partNumber", &n.to_string())
                    .q("uploadId", &uid)
                    .body(data.clone()),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let etag = r.header("etag").to_owned();
        let md5 = Md5::digest(&data);
        assert_eq!(etag, format!("\"{}\"", hex_upper(&md5)));
        assert_eq!(r.header("x-oss-hash-crc64ecma"), crc64(&data).to_string());
        etags[n - 1] = etag;
    }
    for bad in ["0", "10001", "x"] {
        let r = h
            .send(
                h.call(Method::PUT, "mpu", Some(key))
                    .q("partNumber", bad)
                    .q("uploadId", &uid)
                    .body("x"),
            )
            .await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (StatusCode::BAD_REQUEST, "InvalidArgument")
        );
    }

    let complete = |xml: String| {
        h.call(Method::POST, "mpu", Some(key))
            .q("uploadId", &uid)
            .body(xml)
    };
    let e = |i: usize| etags[i - 1].as_str();
    for (list, code) in [
        (vec![(3, e(3)), (2, e(2)), (1, e(1))], "InvalidPartOrder"),
        (vec![(1, e(1)), (1, e(1)), (2, e(2))], "InvalidPartOrder"),
        (vec![(1, e(2)), (2, e(2)), (3, e(3))], "InvalidPart"),
        (vec![(1, e(1)), (2, e(2)), (4, e(3))], "InvalidPart"),
        (
            vec![(1, e(1).trim_matches('"')), (2, e(2)), (3, e(3))],
            "InvalidPart",
        ),
    ] {
        let r = h.send(complete(complete_xml(&list))).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
        assert_eq!(r.code(), code, "{list:?}");
    }
    // A 10 KiB part that is not the last one.
    let r = h
        .send(
            h.call(Method::PUT, "mpu", Some(key))
                .q("partNumber", "4")
                .q("uploadId", &uid)
                .body("tail"),
        )
        .await;
    let e4 = r.header("etag").to_owned();
    let r = h
        .send(complete(complete_xml(&[
            (1, e(1)),
            (2, e(2)),
            (3, e(3)),
            (4, &e4),
        ])))
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::BAD_REQUEST, "EntityTooSmall")
    );
    let r = h.send(complete("<Nope/>".into())).await;
    assert_eq!(r.code(), "MalformedXML");

    // ListParts, paged.
    let r = h
        .send(
            h.call(Method::GET, "mpu", Some(key))
                .q("uploadId", &uid)
                .q("max-parts", "2"),
        )
        .await;
    assert_eq!(r.all("<PartNumber>", "</PartNumber>"), ["1", "2"]);
    assert!(r.text().contains("<IsTruncated>true</IsTruncated>"));
    assert!(
        r.text()
            .contains("<NextPartNumberMarker>2</NextPartNumberMarker>")
    );
    let r = h
        .send(
            h.call(Method::GET, "mpu", Some(key))
                .q("uploadId", &uid)
                .q("part-number-marker", "2"),
        )
        .await;
    assert_eq!(r.all("<PartNumber>", "</PartNumber>"), ["3", "4"]);
    assert_eq!(r.all("<Size>", "</Size>"), ["10240", "4"]);
    assert!(r.text().contains(&format!(
        "<HashCrc64ecma>{}</HashCrc64ecma>",
        crc64(&parts[2])
    )));

    // Deleting the bucket with an unfinished upload.
    let r = h.send(h.call(Method::DELETE, "mpu", None)).await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::CONFLICT, "BucketNotEmpty")
    );

    let r = h
        .send(complete(complete_xml(&[(1, e(1)), (2, e(2)), (3, e(3))])).q("encoding-type", "url"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let whole: Vec<u8> = parts.concat();
    let mut md5s = Md5::new();
    for p in &parts {
        md5s.update(Md5::digest(p));
    }
    let want_etag = format!("\"{}-3\"", hex_upper(&md5s.finalize()));
    assert_eq!(between(&r.text(), "<ETag>", "</ETag>").unwrap(), want_etag);
    assert_eq!(r.header("x-oss-hash-crc64ecma"), crc64(&whole).to_string());
    assert!(r.text().contains("<Key>video/big.bin</Key>"));

    let r = h.get("mpu", key).await;
    assert_eq!(r.body.as_ref(), whole.as_slice());
    assert_eq!(r.header("etag"), want_etag);
    assert_eq!(r.header("x-oss-object-type"), "Multipart");
    assert_eq!(r.header("content-type"), "video/mp4");
    assert_eq!(r.header("x-oss-meta-a"), "1");
    assert_eq!(r.header("x-oss-tagging-count"), "1");
    assert_eq!(r.header("x-oss-hash-crc64ecma"), crc64(&whole).to_string());

    // The upload is gone.
    for c in [
        h.call(Method::PUT, "mpu", Some(key))
            .q("partNumber", "1")
            .q("uploadId", &uid)
            .body("x"),
        h.call(Method::DELETE, "mpu", Some(key)).q("uploadId", &uid),
        h.call(Method::GET, "mpu", Some(key)).q("uploadId", &uid),
        h.call(Method::POST, "mpu", Some(key))
            .q("uploadId", "0123456789ABCDEF0123456789ABCDEF")
            .body(complete_xml(&[(1, e(1))])),
    ] {
        let r = h.send(c).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (StatusCode::NOT_FOUND, "NoSuchUpload")
        );
    }
}

fn hex_upper(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect()
}

async fn initiate(h: &Harness, bucket: &str, key: &str) -> String {
    let r = h
        .send(h.call(Method::POST, bucket, Some(key)).flag("uploads"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    between(&r.text(), "<UploadId>", "</UploadId>").unwrap()
}

#[tokio::test]
async fn complete_all_part_copy_abort_and_list_uploads() {
    let h = Harness::new().await;
    h.bucket("mp2").await;
    let src = pattern(300_000, 7);
    h.put("mp2", "src.bin", src.clone()).await;
    let uid = initiate(&h, "mp2", "dst.bin").await;
    let r = h
        .send(
            h.call(Method::PUT, "mp2", Some("dst.bin"))
                .q("partNumber", "1")
                .q("uploadId", &uid)
                .h("x-oss-copy-source", "/mp2/src.bin")
                .h("x-oss-copy-source-range", "bytes=0-199999"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("<CopyPartResult>"));
    let r = h
        .send(
            h.call(Method::PUT, "mp2", Some("dst.bin"))
                .q("partNumber", "2")
                .q("uploadId", &uid)
                .h("x-oss-copy-source", "/mp2/src.bin")
                .h("x-oss-copy-source-range", "bytes=200000-"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = h
        .send(
            h.call(Method::POST, "mp2", Some("dst.bin"))
                .q("uploadId", &uid)
                .h("x-oss-complete-all", "yes"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.header("x-oss-hash-crc64ecma"), crc64(&src).to_string());
    assert_eq!(h.get("mp2", "dst.bin").await.body.as_ref(), src.as_slice());

    // ListMultipartUploads with paging and a delimiter.
    let mut ids = Vec::new();
    for k in ["a/1", "a/2", "b", "c d"] {
        ids.push(initiate(&h, "mp2", k).await);
    }
    let r = h
        .send(
            h.call(Method::GET, "mp2", None)
                .flag("uploads")
                .q("max-uploads", "2"),
        )
        .await;
    assert_eq!(r.all("<Key>", "</Key>"), ["a/1", "a/2"]);
    assert!(r.text().contains("<IsTruncated>true</IsTruncated>"));
    let r = h
        .send(
            h.call(Method::GET, "mp2", None)
                .flag("uploads")
                .q("key-marker", "a/2")
                .q("encoding-type", "url"),
        )
        .await;
    assert_eq!(r.all("<Key>", "</Key>"), ["b", "c%20d"]);
    let r = h
        .send(
            h.call(Method::GET, "mp2", None)
                .flag("uploads")
                .q("delimiter", "/"),
        )
        .await;
    assert_eq!(r.all("<Key>", "</Key>"), ["b", "c d"]);
    assert!(
        r.text()
            .contains("<CommonPrefixes><Prefix>a/</Prefix></CommonPrefixes>")
    );
    let r = h
        .send(
            h.call(Method::DELETE, "mp2", Some("b"))
                .q("uploadId", &ids[2]),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = h.send(h.call(Method::GET, "mp2", None).flag("stat")).await;
    assert!(
        r.text()
            .contains("<MultipartUploadCount>3</MultipartUploadCount>"),
        "{}",
        r.text()
    );
    assert!(
        r.text().contains("<ObjectCount>2</ObjectCount>"),
        "{}",
        r.text()
    );

    // Presigned UploadPart (the signature covers partNumber and uploadId).
    let mut c = h
        .call(Method::PUT, "mp2", Some("c d"))
        .q("partNumber", "1")
        .q("uploadId", &ids[3])
        .body("presigned part");
    c.presign = true;
    let r = h.send(c).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}

#[tokio::test]
async fn copy_object_rules() {
    let h = Harness::new().await;
    h.bucket("src").await;
    h.bucket("dst").await;
    let r = h
        .send(
            h.call(Method::PUT, "src", Some("a b+c.txt"))
                .body("hello copy")
                .h("x-oss-meta-x", "1")
                .h("content-type", "text/plain")
                .h("x-oss-tagging", "k=v"),
        )
        .await;
    let etag = r.header("etag").to_owned();
    let copy = |key: &'static str| {
        h.call(Method::PUT, "dst", Some(key))
            .h("x-oss-copy-source", "/src/a%20b%2Bc.txt")
    };
    let r = h.send(copy("c1")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(between(&r.text(), "<ETag>", "</ETag>").unwrap(), etag);
    assert!(r.text().contains("<LastModified>"));
    assert_eq!(
        r.header("x-oss-hash-crc64ecma"),
        crc64(b"hello copy").to_string()
    );
    let g = h.get("dst", "c1").await;
    assert_eq!(g.body.as_ref(), b"hello copy");
    assert_eq!(g.header("x-oss-meta-x"), "1");
    assert_eq!(g.header("content-type"), "text/plain");
    assert_eq!(g.header("x-oss-tagging-count"), "1");

    let r = h
        .send(
            copy("c2")
                .h("x-oss-metadata-directive", "REPLACE")
                .h("x-oss-meta-y", "2")
                .h("x-oss-tagging-directive", "Replace"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let g = h.get("dst", "c2").await;
    assert_eq!(g.header("x-oss-meta-x"), "");
    assert_eq!(g.header("x-oss-meta-y"), "2");
    assert_eq!(g.header("content-type"), "application/octet-stream");
    assert_eq!(g.header("x-oss-tagging-count"), "");

    let cases: Vec<(Call<'_>, StatusCode, &str)> = vec![
        (
            copy("c3").h("x-oss-copy-source-if-match", "\"00\""),
            StatusCode::PRECONDITION_FAILED,
            "PreconditionFailed",
        ),
        (
            copy("c3").h("x-oss-copy-source-if-none-match", &etag),
            StatusCode::NOT_MODIFIED,
            "",
        ),
        (
            copy("c3").h(
                "x-oss-copy-source-if-unmodified-since",
                "Mon, 01 Jan 2001 00:00:00 GMT",
            ),
            StatusCode::PRECONDITION_FAILED,
            "PreconditionFailed",
        ),
        (
            copy("c1").h("x-oss-forbid-overwrite", "true"),
            StatusCode::CONFLICT,
            "FileAlreadyExists",
        ),
        (
            h.call(Method::PUT, "dst", Some("c3"))
                .h("x-oss-copy-source", "/src/missing"),
            StatusCode::NOT_FOUND,
            "NoSuchKey",
        ),
        (
            h.call(Method::PUT, "dst", Some("c3"))
                .h("x-oss-copy-source", "/nobucket/x"),
            StatusCode::NOT_FOUND,
            "NoSuchBucket",
        ),
        (
            h.call(Method::PUT, "dst", Some("c3"))
                .h("x-oss-copy-source", "src/x"),
            StatusCode::BAD_REQUEST,
            "InvalidArgument",
        ),
        (
            copy("c3").h("x-oss-metadata-directive", "MOVE"),
            StatusCode::BAD_REQUEST,
            "InvalidArgument",
        ),
    ];
    for (c, status, code) in cases {
        let r = h.send(c).await;
        assert_eq!(r.status, status, "{}", r.text());
        if !code.is_empty() {
            assert_eq!(r.code(), code);
        }
    }
    let r = h
        .send(copy("c1").h("x-oss-copy-source-if-match", &etag))
        .await;
    assert_eq!(r.status, StatusCode::OK);

    // Appendable sources are refused.
    h.send(
        h.call(Method::POST, "src", Some("log"))
            .flag("append")
            .q("position", "0")
            .body("x"),
    )
    .await;
    let r = h
        .send(
            h.call(Method::PUT, "dst", Some("c4"))
                .h("x-oss-copy-source", "/src/log"),
        )
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::BAD_REQUEST, "OperationNotSupported")
    );
}

#[tokio::test]
async fn append_object_rules() {
    let h = Harness::new().await;
    h.bucket("app").await;
    let append = |pos: &str, body: &'static str| {
        h.call(Method::POST, "app", Some("log"))
            .flag("append")
            .q("position", pos)
            .body(body)
    };
    let r = h.send(append("0", "abc")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.header("x-oss-next-append-position"), "3");
    let first_etag = r.header("etag").to_owned();
    assert_ne!(
        first_etag,
        format!("\"{}\"", hex_upper(&Md5::digest(b"abc")))
    );
    let r = h.send(append("3", "defg")).await;
    assert_eq!(r.header("x-oss-next-append-position"), "7");
    assert_eq!(
        r.header("x-oss-hash-crc64ecma"),
        crc64(b"abcdefg").to_string()
    );
    assert_ne!(r.header("etag"), first_etag);
    let r = h.send(append("5", "x")).await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::CONFLICT, "PositionNotEqualToLength")
    );
    assert_eq!(r.header("x-oss-next-append-position"), "7");
    let r = h.send(h.call(Method::HEAD, "app", Some("log"))).await;
    assert_eq!(r.header("x-oss-object-type"), "Appendable");
    assert_eq!(r.header("x-oss-next-append-position"), "7");
    assert_eq!(r.header("content-md5"), "");
    assert_eq!(h.get("app", "log").await.body.as_ref(), b"abcdefg");
    h.put("app", "normal", "n").await;
    let r = h
        .send(
            h.call(Method::POST, "app", Some("normal"))
                .flag("append")
                .q("position", "1")
                .body("x"),
        )
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::CONFLICT, "ObjectNotAppendable")
    );
    let r = h
        .send(
            h.call(Method::POST, "app", Some("new"))
                .flag("append")
                .q("position", "4")
                .body("x"),
        )
        .await;
    assert_eq!(r.code(), "PositionNotEqualToLength");
    assert_eq!(r.header("x-oss-next-append-position"), "0");
    // PutObject over an appendable object makes it Normal again.
    h.put("app", "log", "plain").await;
    let r = h.send(append("5", "x")).await;
    assert_eq!(r.code(), "ObjectNotAppendable");
}

#[tokio::test]
async fn delete_multiple_objects_rules() {
    let h = Harness::new().await;
    h.bucket("dmo").await;
    for k in ["a", "b c", "d+e"] {
        h.put("dmo", k, "x").await;
    }
    let xml = "<Delete><Quiet>false</Quiet><Object><Key>a</Key></Object><Object><Key>b c</Key></Object><Object><Key>missing</Key></Object></Delete>";
    let r = h
        .send(h.call(Method::POST, "dmo", None).flag("delete").body(xml))
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::LENGTH_REQUIRED, "MissingArgument")
    );
    let r = h
        .send(
            h.call(Method::POST, "dmo", None)
                .flag("delete")
                .body(xml)
                .h("content-md5", "1B2M2Y8AsgTpgAmY7PhCfg=="),
        )
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::BAD_REQUEST, "InvalidDigest")
    );
    let r = h
        .send(
            h.call(Method::POST, "dmo", None)
                .flag("delete")
                .q("encoding-type", "url")
                .body(xml)
                .with_md5(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.all("<Key>", "</Key>"), ["a", "b%20c", "missing"]);
    assert!(r.text().contains("<EncodingType>url</EncodingType>"));
    assert_eq!(h.get("dmo", "a").await.status, StatusCode::NOT_FOUND);
    let quiet = "<Delete><Quiet>true</Quiet><Object><Key>d+e</Key></Object></Delete>";
    let r = h
        .send(
            h.call(Method::POST, "dmo", None)
                .flag("delete")
                .body(quiet)
                .with_md5(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.text().contains("<Deleted>"));
    assert_eq!(h.get("dmo", "d+e").await.status, StatusCode::NOT_FOUND);
    let many: String = (0..1001)
        .map(|i| format!("<Object><Key>k{i}</Key></Object>"))
        .collect();
    let r = h
        .send(
            h.call(Method::POST, "dmo", None)
                .flag("delete")
                .body(format!("<Delete>{many}</Delete>"))
                .with_md5(),
        )
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::BAD_REQUEST, "MalformedXML")
    );
    let r = h
        .send(
            h.call(Method::POST, "dmo", None)
                .flag("delete")
                .body("<Delete>")
                .with_md5(),
        )
        .await;
    assert_eq!(r.code(), "MalformedXML");
}

#[tokio::test]
async fn versioning_walk() {
    let h = Harness::new().await;
    h.bucket("ver").await;
    let r = h.put("ver", "pre", "old").await;
    assert_eq!(r.header("x-oss-version-id"), "");
    let r = h
        .send(h.call(Method::GET, "ver", None).flag("versioning"))
        .await;
    assert!(
        r.text()
            .contains("<VersioningConfiguration></VersioningConfiguration>"),
        "{}",
        r.text()
    );
    let set = |status: &str| {
        h.call(Method::PUT, "ver", None)
            .flag("versioning")
            .body(format!(
                "<VersioningConfiguration><Status>{status}</Status></VersioningConfiguration>"
            ))
    };
    assert_eq!(h.send(set("Enabled")).await.status, StatusCode::OK);
    assert_eq!(h.send(set("Sometimes")).await.code(), "MalformedXML");
    let v1 = h
        .put("ver", "k", "one")
        .await
        .header("x-oss-version-id")
        .to_owned();
    let v2 = h
        .put("ver", "k", "two")
        .await
        .header("x-oss-version-id")
        .to_owned();
    assert!(v1.starts_with("CAEQ") && v1 != v2);
    let r = h.send(h.call(Method::DELETE, "ver", Some("k"))).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(r.header("x-oss-delete-marker"), "true");
    let marker = r.header("x-oss-version-id").to_owned();
    let r = h.get("ver", "k").await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::NOT_FOUND, "NoSuchKey")
    );
    assert_eq!(r.header("x-oss-delete-marker"), "true");
    let r = h
        .send(
            h.call(Method::HEAD, "ver", Some("k"))
                .q("versionId", &marker),
        )
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.header("x-oss-delete-marker"), "true");
    let r = h
        .send(h.call(Method::GET, "ver", Some("k")).q("versionId", &v1))
        .await;
    assert_eq!(r.body.as_ref(), b"one");
    assert_eq!(r.header("x-oss-version-id"), v1);
    let r = h
        .send(
            h.call(Method::GET, "ver", Some("k"))
                .q("versionId", "CAEQ0"),
        )
        .await;
    assert_eq!(r.code(), "NoSuchVersion");
    // Listings skip the deleted key; versions list everything, newest first.
    let r = h
        .send(h.call(Method::GET, "ver", None).q("list-type", "2"))
        .await;
    assert_eq!(r.all("<Key>", "</Key>"), ["pre"]);
    let r = h
        .send(h.call(Method::GET, "ver", None).flag("versions"))
        .await;
    assert_eq!(r.all("<Key>", "</Key>"), ["k", "k", "k", "pre"]);
    assert_eq!(
        r.all("<VersionId>", "</VersionId>"),
        [marker.as_str(), &v2, &v1, "null"]
    );
    assert_eq!(
        r.all("<IsLatest>", "</IsLatest>"),
        ["true", "false", "false", "true"]
    );
    assert!(r.text().contains("<DeleteMarker><Key>k</Key>"));
    // Paging by key-marker / version-id-marker.
    let r = h
        .send(
            h.call(Method::GET, "ver", None)
                .flag("versions")
                .q("max-keys", "2"),
        )
        .await;
    assert!(
        r.text()
            .contains(&format!("<NextVersionIdMarker>{v2}</NextVersionIdMarker>"))
    );
    let r = h
        .send(
            h.call(Method::GET, "ver", None)
                .flag("versions")
                .q("key-marker", "k")
                .q("version-id-marker", &v2),
        )
        .await;
    assert_eq!(r.all("<VersionId>", "</VersionId>"), [v1.as_str(), "null"]);
    // DeleteMultiple in a versioned bucket creates a marker.
    let xml = "<Delete><Object><Key>pre</Key></Object></Delete>";
    let r = h
        .send(
            h.call(Method::POST, "ver", None)
                .flag("delete")
                .body(xml)
                .with_md5(),
        )
        .await;
    assert!(
        r.text()
            .contains("<DeleteMarker>true</DeleteMarker><DeleteMarkerVersionId>CAEQ"),
        "{}",
        r.text()
    );
    // Removing the marker brings the previous version back.
    let r = h
        .send(
            h.call(Method::DELETE, "ver", Some("k"))
                .q("versionId", &marker),
        )
        .await;
    assert_eq!(r.header("x-oss-delete-marker"), "true");
    assert_eq!(h.get("ver", "k").await.body.as_ref(), b"two");
    // Suspended: writes get version id null and replace the null version.
    assert_eq!(h.send(set("Suspended")).await.status, StatusCode::OK);
    assert_eq!(
        h.put("ver", "k", "three").await.header("x-oss-version-id"),
        "null"
    );
    assert_eq!(
        h.put("ver", "k", "four").await.header("x-oss-version-id"),
        "null"
    );
    let r = h
        .send(
            h.call(Method::GET, "ver", None)
                .flag("versions")
                .q("prefix", "k"),
        )
        .await;
    assert_eq!(r.all("<VersionId>", "</VersionId>"), ["null", &v2, &v1]);
    let r = h
        .send(h.call(Method::GET, "ver", None).flag("bucketInfo"))
        .await;
    assert!(r.text().contains("<Versioning>Suspended</Versioning>"));
    let r = h.send(h.call(Method::DELETE, "ver", None)).await;
    assert_eq!(r.code(), "BucketNotEmpty");
}

#[tokio::test]
async fn tagging_acl_symlink_restore_and_bucket_info() {
    let h = Harness::new().await;
    h.bucket("misc").await;
    h.put("misc", "obj", "data").await;
    let tagging = |xml: String| {
        h.call(Method::PUT, "misc", Some("obj"))
            .flag("tagging")
            .body(xml)
    };
    let tag = |k: &str, v: &str| format!("<Tag><Key>{k}</Key><Value>{v}</Value></Tag>");
    let r = h
        .send(tagging(format!(
            "<Tagging><TagSet>{}{}</TagSet></Tagging>",
            tag("a", "1"),
            tag("b", "x y")
        )))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = h
        .send(h.call(Method::GET, "misc", Some("obj")).flag("tagging"))
        .await;
    assert_eq!(r.all("<Key>", "</Key>"), ["a", "b"]);
    assert_eq!(
        h.get("misc", "obj").await.header("x-oss-tagging-count"),
        "2"
    );
    let eleven: String = (0..11).map(|i| tag(&format!("k{i}"), "v")).collect();
    for bad in [
        format!("<Tagging><TagSet>{eleven}</TagSet></Tagging>"),
        format!(
            "<Tagging><TagSet>{}</TagSet></Tagging>",
            tag(&"k".repeat(129), "v")
        ),
        format!(
            "<Tagging><TagSet>{}</TagSet></Tagging>",
            tag("k", &"v".repeat(257))
        ),
    ] {
        let r = h.send(tagging(bad)).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (StatusCode::BAD_REQUEST, "InvalidTag")
        );
    }
    let r = h
        .send(h.call(Method::DELETE, "misc", Some("obj")).flag("tagging"))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(h.get("misc", "obj").await.header("x-oss-tagging-count"), "");

    // ACLs.
    let r = h
        .send(h.call(Method::GET, "misc", Some("obj")).flag("acl"))
        .await;
    assert!(
        r.text()
            .contains("<AccessControlList><Grant>default</Grant></AccessControlList>")
    );
    let r = h
        .send(
            h.call(Method::PUT, "misc", Some("obj"))
                .flag("acl")
                .h("x-oss-object-acl", "public-read"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = h
        .send(h.call(Method::GET, "misc", Some("obj")).flag("acl"))
        .await;
    assert!(r.text().contains("<Grant>public-read</Grant>") && r.text().contains("<Owner><ID>"));
    let r = h
        .send(
            h.call(Method::PUT, "misc", Some("obj"))
                .flag("acl")
                .h("x-oss-object-acl", "everyone"),
        )
        .await;
    assert_eq!(r.code(), "InvalidArgument");
    let r = h
        .send(
            h.call(Method::PUT, "misc", None)
                .flag("acl")
                .h("x-oss-acl", "public-read-write"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = h.send(h.call(Method::GET, "misc", None).flag("acl")).await;
    assert!(r.text().contains("<Grant>public-read-write</Grant>"));

    // Symlinks.
    let r = h
        .send(
            h.call(Method::PUT, "misc", Some("link"))
                .flag("symlink")
                .h("x-oss-symlink-target", "obj"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = h
        .send(h.call(Method::GET, "misc", Some("link")).flag("symlink"))
        .await;
    assert_eq!(r.header("x-oss-symlink-target"), "obj");
    let r = h.get("misc", "link").await;
    assert_eq!(r.body.as_ref(), b"data");
    assert_eq!(r.header("x-oss-object-type"), "Symlink");
    let r = h
        .send(h.call(Method::GET, "misc", Some("obj")).flag("symlink"))
        .await;
    assert_eq!(r.code(), "NotSymlink");
    h.send(
        h.call(Method::PUT, "misc", Some("dangling"))
            .flag("symlink")
            .h("x-oss-symlink-target", "none"),
    )
    .await;
    assert_eq!(
        h.get("misc", "dangling").await.code(),
        "SymlinkTargetNotExist"
    );

    // Restore of an archive object: 202, then in progress (the timing on the clock is tested
    // in tests/emulator/restore.rs).
    h.send(
        h.call(Method::PUT, "misc", Some("cold"))
            .h("x-oss-storage-class", "ColdArchive")
            .body("ice"),
    )
    .await;
    let r = h.get("misc", "cold").await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::FORBIDDEN, "InvalidObjectState")
    );
    let restore = || h.call(Method::POST, "misc", Some("cold")).flag("restore");
    assert_eq!(h.send(restore()).await.status, StatusCode::ACCEPTED);
    let r = h.send(restore()).await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::CONFLICT, "RestoreAlreadyInProgress")
    );
    let r = h.send(h.call(Method::HEAD, "misc", Some("cold"))).await;
    assert_eq!(r.header("x-oss-restore"), "ongoing-request=\"true\"");
    assert_eq!(r.header("x-oss-storage-class"), "ColdArchive");
    let r = h.get("misc", "cold").await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::FORBIDDEN, "InvalidObjectState")
    );
    let r = h
        .send(h.call(Method::POST, "misc", Some("obj")).flag("restore"))
        .await;
    assert_eq!(r.code(), "OperationNotSupported");

    // Bucket info, location, stat.
    let r = h
        .send(h.call(Method::GET, "misc", None).flag("bucketInfo"))
        .await;
    let t = r.text();
    assert!(
        t.contains("<BucketInfo><Bucket>")
            && t.contains("<Name>misc</Name>")
            && t.contains("<Grant>public-read-write</Grant>"),
        "{t}"
    );
    let r = h
        .send(h.call(Method::GET, "misc", None).flag("location"))
        .await;
    assert!(
        r.text()
            .ends_with("<LocationConstraint>oss-cn-hangzhou</LocationConstraint>")
    );
    let r = h.send(h.call(Method::GET, "misc", None).flag("stat")).await;
    assert!(
        r.text().contains("<ObjectCount>4</ObjectCount>"),
        "{}",
        r.text()
    );
    assert!(
        r.text()
            .contains("<ColdArchiveObjectCount>1</ColdArchiveObjectCount>")
    );
    let r = h
        .send(h.call(Method::PUT, "misc", None).flag("tagging"))
        .await;
    // PutBucketTags (a bucket configuration document): an empty body is malformed.
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.text().contains("<Code>MalformedXML</Code>"),
        "{}",
        r.text()
    );
}

#[tokio::test]
async fn forbid_overwrite_and_listing_markers() {
    let h = Harness::new().await;
    h.bucket("fow").await;
    h.put("fow", "k", "1").await;
    let uid = initiate(&h, "fow", "k").await;
    let r = h
        .send(
            h.call(Method::PUT, "fow", Some("k"))
                .q("partNumber", "1")
                .q("uploadId", &uid)
                .body("p"),
        )
        .await;
    let etag = r.header("etag").to_owned();
    let r = h
        .send(
            h.call(Method::POST, "fow", Some("k"))
                .q("uploadId", &uid)
                .h("x-oss-forbid-overwrite", "true")
                .body(complete_xml(&[(1, &etag)])),
        )
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::CONFLICT, "FileAlreadyExists")
    );
    // The upload survives a refused Complete.
    let r = h
        .send(
            h.call(Method::POST, "fow", Some("k"))
                .q("uploadId", &uid)
                .body(complete_xml(&[(1, &etag)])),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = h
        .send(
            h.call(Method::PUT, "fow", Some("k"))
                .h("x-oss-forbid-overwrite", "true")
                .body("2"),
        )
        .await;
    assert_eq!(r.code(), "FileAlreadyExists");

    // ListObjects v1 paging with Marker / NextMarker.
    for k in ["a", "b", "c", "d", "e"] {
        h.put("fow", k, "x").await;
    }
    let mut marker = String::new();
    let mut seen = Vec::new();
    loop {
        let r = h
            .send(
                h.call(Method::GET, "fow", None)
                    .q("max-keys", "2")
                    .q("marker", &marker),
            )
            .await;
        seen.extend(r.all("<Key>", "</Key>"));
        match between(&r.text(), "<NextMarker>", "</NextMarker>") {
            Some(m) => {
                assert!(r.text().contains("<IsTruncated>true</IsTruncated>"));
                marker = m;
            }
            None => break,
        }
    }
    assert_eq!(seen, ["a", "b", "c", "d", "e", "k"]);
}
