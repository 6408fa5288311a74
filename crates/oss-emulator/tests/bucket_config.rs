//! Bucket configuration documents (`?cors`, `?lifecycle`, `?policy`, …) with raw signed
//! requests: put, get (byte for byte), delete, the family's answer before any put and after
//! a delete, one refused document per family, and the documents surviving a restart of a
//! durable emulator.

mod common;

use common::Client2;
use http::{Method, StatusCode};
use oss_emulator::Emulator;

const BUCKET: &str = "config-bkt";

/// (sub-resource, a valid document, what a get answers before any put: `Err(code)` or
/// `Ok(a fragment of the default document)`, deletable).
type Case = (
    &'static str,
    &'static str,
    Result<&'static str, &'static str>,
    bool,
);

const CASES: &[Case] = &[
    (
        "cors",
        "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>100</MaxAgeSeconds></CORSRule><ResponseVary>false</ResponseVary></CORSConfiguration>",
        Err("NoSuchCORSConfiguration"),
        true,
    ),
    (
        "lifecycle",
        "<LifecycleConfiguration><Rule><ID>r1</ID><Prefix>logs/</Prefix><Status>Enabled</Status><Expiration><Days>30</Days></Expiration></Rule></LifecycleConfiguration>",
        Err("NoSuchLifecycle"),
        true,
    ),
    (
        "policy",
        r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["oss:GetObject"],"Principal":["*"],"Resource":["acs:oss:*:*:config-bkt/*"]}]}"#,
        Err("NoSuchBucketPolicy"),
        true,
    ),
    (
        "website",
        "<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix></IndexDocument><ErrorDocument><Key>error.html</Key></ErrorDocument></WebsiteConfiguration>",
        Err("NoSuchWebsiteConfiguration"),
        true,
    ),
    (
        "referer",
        "<RefererConfiguration><AllowEmptyReferer>false</AllowEmptyReferer><RefererList><Referer>http://www.example.com</Referer></RefererList></RefererConfiguration>",
        Ok("<AllowEmptyReferer>true</AllowEmptyReferer>"),
        false,
    ),
    (
        "logging",
        "<BucketLoggingStatus><LoggingEnabled><TargetBucket>config-bkt</TargetBucket><TargetPrefix>log-</TargetPrefix></LoggingEnabled></BucketLoggingStatus>",
        Ok("<BucketLoggingStatus/>"),
        true,
    ),
    (
        "encryption",
        "<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>",
        Err("NoSuchServerSideEncryptionRule"),
        true,
    ),
    (
        "tagging",
        "<Tagging><TagSet><Tag><Key>team</Key><Value>storage</Value></Tag></TagSet></Tagging>",
        Ok("<TagSet/>"),
        true,
    ),
    (
        "requestPayment",
        "<RequestPaymentConfiguration><Payer>Requester</Payer></RequestPaymentConfiguration>",
        Ok("<Payer>BucketOwner</Payer>"),
        false,
    ),
    (
        "transferAcceleration",
        "<TransferAccelerationConfiguration><Enabled>true</Enabled></TransferAccelerationConfiguration>",
        Ok("<Enabled>false</Enabled>"),
        false,
    ),
    (
        "publicAccessBlock",
        "<PublicAccessBlockConfiguration><BlockPublicAccess>true</BlockPublicAccess></PublicAccessBlockConfiguration>",
        Ok("<BlockPublicAccess>false</BlockPublicAccess>"),
        true,
    ),
];

/// (sub-resource, a refused document, the error code OSS answers).
const REFUSED: &[(&str, &str, &str)] = &[
    ("cors", "<CORSConfiguration/>", "MalformedXML"),
    (
        "cors",
        "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod></CORSRule></CORSConfiguration>",
        "InvalidArgument",
    ),
    (
        "lifecycle",
        "<LifecycleConfiguration><Rule><Status>On</Status><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>",
        "MalformedXML",
    ),
    (
        "lifecycle",
        "<LifecycleConfiguration><Rule><Status>Enabled</Status><Expiration><Days>0</Days></Expiration></Rule></LifecycleConfiguration>",
        "InvalidArgument",
    ),
    ("policy", "{not json", "InvalidPolicyDocument"),
    (
        "policy",
        r#"{"Version":"1","Statement":[]}"#,
        "InvalidPolicyDocument",
    ),
    ("website", "<WebsiteConfiguration/>", "MalformedXML"),
    (
        "referer",
        "<RefererConfiguration><AllowEmptyReferer>maybe</AllowEmptyReferer><RefererList/></RefererConfiguration>",
        "MalformedXML",
    ),
    (
        "logging",
        "<BucketLoggingStatus><LoggingEnabled><TargetBucket>no-such-target</TargetBucket></LoggingEnabled></BucketLoggingStatus>",
        "InvalidTargetBucketForLogging",
    ),
    (
        "encryption",
        "<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>DES</SSEAlgorithm></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>",
        "InvalidEncryptionAlgorithmError",
    ),
    (
        "tagging",
        "<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>a</Key><Value>2</Value></Tag></TagSet></Tagging>",
        "InvalidTag",
    ),
    (
        "requestPayment",
        "<RequestPaymentConfiguration><Payer>Nobody</Payer></RequestPaymentConfiguration>",
        "MalformedXML",
    ),
    (
        "transferAcceleration",
        "<TransferAccelerationConfiguration/>",
        "MalformedXML",
    ),
    ("cors", "<Wrong/>", "MalformedXML"),
    (
        "publicAccessBlock",
        "<PublicAccessBlockConfiguration><BlockPublicAccess>yes</BlockPublicAccess></PublicAccessBlockConfiguration>",
        "MalformedXML",
    ),
];

async fn put(c: &Client2, sub: &str, doc: &str) -> common::Reply {
    c.send(
        c.call(Method::PUT, Some(BUCKET), None)
            .query(sub)
            .header("content-type", "application/xml")
            .body(doc.to_owned()),
    )
    .await
}

async fn get(c: &Client2, sub: &str) -> common::Reply {
    c.send(c.call(Method::GET, Some(BUCKET), None).query(sub))
        .await
}

async fn assert_absent(c: &Client2, sub: &str, absent: Result<&str, &str>) {
    let r = get(c, sub).await;
    match absent {
        Err(code) => {
            assert_eq!(r.status, StatusCode::NOT_FOUND, "?{sub}: {}", r.text());
            assert_eq!(r.code(), code, "?{sub}");
            assert!(r.text().contains("<BucketName>config-bkt</BucketName>"));
        }
        Ok(fragment) => {
            assert_eq!(r.status, StatusCode::OK, "?{sub}: {}", r.text());
            assert!(r.text().contains(fragment), "?{sub}: {}", r.text());
        }
    }
}

#[tokio::test]
async fn every_family_is_put_read_back_and_deleted() {
    let emu = Emulator::builder().start().await.unwrap();
    let c = Client2::for_emulator(&emu);
    c.create_bucket(BUCKET).await;
    for &(sub, doc, absent, deletable) in CASES {
        assert_absent(&c, sub, absent).await;
        let r = put(&c, sub, doc).await;
        assert_eq!(r.status, StatusCode::OK, "PUT ?{sub}: {}", r.text());
        let r = get(&c, sub).await;
        assert_eq!(r.status, StatusCode::OK, "GET ?{sub}");
        assert_eq!(r.text(), doc, "GET ?{sub} answers the document as put");
        let json = sub == "policy";
        assert_eq!(
            r.headers["content-type"],
            if json {
                "application/json"
            } else {
                "application/xml"
            }
        );
        let r = c
            .send(c.call(Method::DELETE, Some(BUCKET), None).query(sub))
            .await;
        if deletable {
            assert_eq!(r.status, StatusCode::NO_CONTENT, "DELETE ?{sub}");
            assert_absent(&c, sub, absent).await;
        } else {
            // OSS has no delete for this family: never DeleteBucket.
            assert_eq!(r.status, StatusCode::NOT_IMPLEMENTED, "DELETE ?{sub}");
            assert_eq!(get(&c, sub).await.text(), doc);
        }
    }
    // The bucket is still there: no request ran as another operation.
    let r = c
        .send(c.call(Method::GET, Some(BUCKET), None).query("bucketInfo"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn malformed_documents_get_the_codes_oss_answers_and_store_nothing() {
    let emu = Emulator::builder().start().await.unwrap();
    let c = Client2::for_emulator(&emu);
    c.create_bucket(BUCKET).await;
    for &(sub, doc, code) in REFUSED {
        let r = put(&c, sub, doc).await;
        assert_eq!(
            r.status,
            StatusCode::BAD_REQUEST,
            "?{sub} {doc}: {}",
            r.text()
        );
        assert_eq!(r.code(), code, "?{sub} {doc}");
        let absent = CASES.iter().find(|case| case.0 == sub).unwrap().2;
        assert_absent(&c, sub, absent).await;
    }
    // A configuration on a missing bucket.
    let r = c
        .send(c.call(Method::GET, Some("no-such-bkt"), None).query("cors"))
        .await;
    assert_eq!(r.code(), "NoSuchBucket");
}

#[tokio::test]
async fn documents_survive_a_restart_of_a_durable_emulator() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    {
        let emu = Emulator::builder().data_dir(&dir).start().await.unwrap();
        let c = Client2::for_emulator(&emu);
        c.create_bucket(BUCKET).await;
        for &(sub, doc, _, _) in CASES {
            assert_eq!(put(&c, sub, doc).await.status, StatusCode::OK, "?{sub}");
        }
        let r = c
            .send(c.call(Method::DELETE, Some(BUCKET), None).query("cors"))
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
    }
    let emu = Emulator::builder().data_dir(&dir).start().await.unwrap();
    let c = Client2::for_emulator(&emu);
    for &(sub, doc, absent, _) in CASES {
        if sub == "cors" {
            assert_absent(&c, sub, absent).await;
        } else {
            assert_eq!(get(&c, sub).await.text(), doc, "?{sub} after a restart");
        }
    }
}

#[tokio::test]
async fn default_encryption_applies_to_new_objects() {
    let emu = Emulator::builder().start().await.unwrap();
    let c = Client2::for_emulator(&emu);
    c.create_bucket(BUCKET).await;
    assert_eq!(
        c.put(BUCKET, "before", "plain").await.status,
        StatusCode::OK
    );
    let rule = "<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>KMS</SSEAlgorithm><KMSMasterKeyID>key-1</KMSMasterKeyID></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>";
    assert_eq!(put(&c, "encryption", rule).await.status, StatusCode::OK);
    assert_eq!(
        c.put(BUCKET, "after", "secret").await.status,
        StatusCode::OK
    );
    let head = |key: &'static str| c.send(c.call(Method::HEAD, Some(BUCKET), Some(key)));
    let r = head("after").await;
    assert_eq!(r.headers["x-oss-server-side-encryption"], "KMS");
    assert_eq!(r.headers["x-oss-server-side-encryption-key-id"], "key-1");
    let r = c.get(BUCKET, "after").await;
    assert_eq!(r.headers["x-oss-server-side-encryption"], "KMS");
    assert_eq!(&r.bytes()[..], b"secret");
    // Objects written before the rule keep what they had.
    assert!(
        !head("before")
            .await
            .headers
            .contains_key("x-oss-server-side-encryption")
    );
    // An appendable object takes it too.
    let r = c
        .send(
            c.call(Method::POST, Some(BUCKET), Some("log"))
                .query("append&position=0")
                .body("a"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        head("log").await.headers["x-oss-server-side-encryption"],
        "KMS"
    );
    // After DeleteBucketEncryption new objects are written without it.
    let r = c
        .send(
            c.call(Method::DELETE, Some(BUCKET), None)
                .query("encryption"),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(c.put(BUCKET, "later", "plain").await.status, StatusCode::OK);
    assert!(
        !head("later")
            .await
            .headers
            .contains_key("x-oss-server-side-encryption")
    );
    assert_eq!(
        head("after").await.headers["x-oss-server-side-encryption"],
        "KMS"
    );
}

/// An unsigned request, as a browser or `curl` sends it.
async fn anonymous(endpoint: &str, method: Method, path: &str) -> StatusCode {
    use http_body_util::Full;
    use hyper_util::client::legacy::Client;
    use hyper_util::rt::TokioExecutor;
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<bytes::Bytes>>();
    let req = http::Request::builder()
        .method(method)
        .uri(format!("{endpoint}{path}"))
        .body(Full::default())
        .unwrap();
    client.request(req).await.unwrap().status()
}

#[tokio::test]
async fn policy_and_public_access_block_decide_anonymous_access() {
    let emu = Emulator::builder().start().await.unwrap();
    let c = Client2::for_emulator(&emu);
    c.create_bucket(BUCKET).await;
    assert_eq!(c.put(BUCKET, "pub/a.txt", "a").await.status, StatusCode::OK);
    assert_eq!(
        c.put(BUCKET, "priv/b.txt", "b").await.status,
        StatusCode::OK
    );
    let ep = emu.endpoint();
    let read = |key: &'static str| anonymous(ep, Method::GET, key);
    // A private bucket without a policy.
    assert_eq!(read("/config-bkt/pub/a.txt").await, StatusCode::FORBIDDEN);
    let policy = r#"{"Version":"1","Statement":[
        {"Effect":"Allow","Action":["oss:GetObject"],"Principal":["*"],"Resource":["acs:oss:*:*:config-bkt/*"]},
        {"Effect":"Deny","Action":["oss:*"],"Principal":["*"],"Resource":["acs:oss:*:*:config-bkt/priv/*"]}]}"#;
    assert_eq!(put(&c, "policy", policy).await.status, StatusCode::OK);
    assert_eq!(read("/config-bkt/pub/a.txt").await, StatusCode::OK);
    assert_eq!(
        anonymous(ep, Method::HEAD, "/config-bkt/pub/a.txt").await,
        StatusCode::OK
    );
    assert_eq!(read("/config-bkt/priv/b.txt").await, StatusCode::FORBIDDEN);
    // Only GetObject is allowed: no anonymous write, no listing.
    assert_eq!(
        anonymous(ep, Method::PUT, "/config-bkt/pub/new").await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(read("/config-bkt").await, StatusCode::FORBIDDEN);
    // The policy's Deny wins over a public-read ACL.
    let acl = c
        .send(
            c.call(Method::PUT, Some(BUCKET), None)
                .query("acl")
                .header("x-oss-acl", "public-read"),
        )
        .await;
    assert_eq!(acl.status, StatusCode::OK);
    assert_eq!(read("/config-bkt/priv/b.txt").await, StatusCode::FORBIDDEN);
    assert_eq!(read("/config-bkt").await, StatusCode::OK);
    // Blocking public access overrides both the ACL and the policy; lifting it restores them.
    let block = "<PublicAccessBlockConfiguration><BlockPublicAccess>true</BlockPublicAccess></PublicAccessBlockConfiguration>";
    assert_eq!(
        put(&c, "publicAccessBlock", block).await.status,
        StatusCode::OK
    );
    assert_eq!(read("/config-bkt/pub/a.txt").await, StatusCode::FORBIDDEN);
    assert_eq!(read("/config-bkt").await, StatusCode::FORBIDDEN);
    // Signed requests are not affected.
    assert_eq!(c.get(BUCKET, "pub/a.txt").await.status, StatusCode::OK);
    let r = c
        .send(
            c.call(Method::DELETE, Some(BUCKET), None)
                .query("publicAccessBlock"),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(read("/config-bkt/pub/a.txt").await, StatusCode::OK);
}
