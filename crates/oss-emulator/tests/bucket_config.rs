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
