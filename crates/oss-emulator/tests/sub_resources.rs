//! The emulator never runs another operation than the one asked: every sub-resource it does
//! not implement, every implemented one on an operation that does not take it, unknown
//! sub-resource-looking parameters and storage-affecting headers it lacks (SSE, WORM, callback,
//! …) answer 501 `NotImplemented`, and leave the object and the bucket as they were.

mod common;

use std::collections::BTreeSet;

use common::{Client2, Reply};
use http::{Method, StatusCode};
use oss_emulator::Emulator;

/// Query parameters of the official SDKs' operations the emulator does not implement (the
/// Go v2 SDK's 154 operations, alibabacloud-oss-v2 1.4.1, oss2 2.19.1): an independent copy
/// of the list, so that a name dropped from the emulator's list fails here.
const SDK_SUB_RESOURCES: &[&str] = &[
    "asyncFetch",
    "callback",
    "callback-var",
    "dataPipeline",
    "live",
    "MetaQuery",
    "metadataConfiguration",
    "metadataInventoryTable",
    "metadataJournalTable",
    "objectInfo",
    "processConfiguration",
    "qos",
    "qosInfo",
    "quota",
    "regionList",
    "resourcePool",
    "resourcePoolBuckets",
    "resourcePoolInfo",
    "select",
    "sequential",
    "x-oss-async-process",
];

/// (level, method, sub-resource) combinations the emulator routes.
const ROUTED: &[(&str, &str, &str)] = &[
    ("bucket", "GET", "cname"),
    ("bucket", "PUT", "style"),
    ("bucket", "GET", "style"),
    ("bucket", "DELETE", "style"),
    ("bucket", "POST", "redundancyTransition"),
    ("bucket", "GET", "redundancyTransition"),
    ("bucket", "DELETE", "redundancyTransition"),
    ("bucket", "GET", "acl"),
    ("bucket", "GET", "bucketInfo"),
    ("bucket", "GET", "location"),
    ("bucket", "GET", "stat"),
    ("bucket", "GET", "versioning"),
    ("bucket", "GET", "versions"),
    ("bucket", "GET", "uploads"),
    ("bucket", "PUT", "acl"),
    ("bucket", "PUT", "versioning"),
    ("bucket", "POST", "delete"),
    ("bucket", "GET", "cors"),
    ("bucket", "PUT", "cors"),
    ("bucket", "DELETE", "cors"),
    ("bucket", "GET", "lifecycle"),
    ("bucket", "PUT", "lifecycle"),
    ("bucket", "DELETE", "lifecycle"),
    ("bucket", "GET", "policy"),
    ("bucket", "PUT", "policy"),
    ("bucket", "DELETE", "policy"),
    ("bucket", "GET", "website"),
    ("bucket", "PUT", "website"),
    ("bucket", "DELETE", "website"),
    ("bucket", "GET", "logging"),
    ("bucket", "PUT", "logging"),
    ("bucket", "DELETE", "logging"),
    ("bucket", "GET", "encryption"),
    ("bucket", "PUT", "encryption"),
    ("bucket", "DELETE", "encryption"),
    ("bucket", "GET", "tagging"),
    ("bucket", "PUT", "tagging"),
    ("bucket", "DELETE", "tagging"),
    ("bucket", "GET", "referer"),
    ("bucket", "PUT", "referer"),
    ("bucket", "GET", "requestPayment"),
    ("bucket", "PUT", "requestPayment"),
    ("bucket", "GET", "transferAcceleration"),
    ("bucket", "PUT", "transferAcceleration"),
    ("bucket", "GET", "publicAccessBlock"),
    ("bucket", "PUT", "publicAccessBlock"),
    ("bucket", "DELETE", "publicAccessBlock"),
    ("bucket", "GET", "overwriteConfig"),
    ("bucket", "PUT", "overwriteConfig"),
    ("bucket", "DELETE", "overwriteConfig"),
    ("bucket", "GET", "inventory"),
    ("bucket", "PUT", "inventory"),
    ("bucket", "DELETE", "inventory"),
    ("bucket", "GET", "replication"),
    ("bucket", "GET", "replicationLocation"),
    ("bucket", "GET", "replicationProgress"),
    ("bucket", "PUT", "rtc"),
    ("bucket", "GET", "accessPoint"),
    ("bucket", "PUT", "accessPoint"),
    ("bucket", "DELETE", "accessPoint"),
    ("bucket", "GET", "accessPointPolicy"),
    ("bucket", "PUT", "accessPointPolicy"),
    ("bucket", "DELETE", "accessPointPolicy"),
    ("bucket", "GET", "accessmonitor"),
    ("bucket", "PUT", "accessmonitor"),
    ("bucket", "GET", "bucketArchiveDirectRead"),
    ("bucket", "PUT", "bucketArchiveDirectRead"),
    ("bucket", "GET", "httpsConfig"),
    ("bucket", "PUT", "httpsConfig"),
    ("bucket", "GET", "resourceGroup"),
    ("bucket", "PUT", "resourceGroup"),
    ("bucket", "GET", "userDefinedLogFieldsConfig"),
    ("bucket", "PUT", "userDefinedLogFieldsConfig"),
    ("bucket", "DELETE", "userDefinedLogFieldsConfig"),
    ("bucket", "GET", "policyStatus"),
    ("bucket", "GET", "metaQuery"),
    ("bucket", "POST", "metaQuery"),
    ("bucket", "GET", "accessPointForObjectProcess"),
    ("bucket", "PUT", "accessPointForObjectProcess"),
    ("bucket", "DELETE", "accessPointForObjectProcess"),
    ("bucket", "GET", "accessPointConfigForObjectProcess"),
    ("bucket", "PUT", "accessPointConfigForObjectProcess"),
    ("bucket", "GET", "accessPointPolicyForObjectProcess"),
    ("bucket", "PUT", "accessPointPolicyForObjectProcess"),
    ("bucket", "DELETE", "accessPointPolicyForObjectProcess"),
    ("object", "GET", "x-oss-process"),
    ("object", "POST", "x-oss-process"),
    ("object", "GET", "acl"),
    ("object", "GET", "tagging"),
    ("object", "GET", "symlink"),
    ("object", "GET", "uploadId"),
    ("object", "HEAD", "objectMeta"),
    ("object", "PUT", "acl"),
    ("object", "PUT", "tagging"),
    ("object", "PUT", "symlink"),
    ("object", "PUT", "partNumber"),
    ("object", "PUT", "uploadId"),
    ("object", "POST", "uploads"),
    ("object", "POST", "uploadId"),
    ("object", "POST", "append"),
    ("object", "POST", "restore"),
    ("object", "POST", "seal"),
    ("object", "POST", "cleanRestoredObject"),
    ("object", "DELETE", "tagging"),
    ("object", "DELETE", "uploadId"),
    ("bucket", "GET", "worm"),
    ("bucket", "POST", "worm"),
    ("bucket", "DELETE", "worm"),
    ("bucket", "POST", "wormId"),
    ("bucket", "POST", "wormExtend"),
    ("bucket", "GET", "objectWorm"),
    ("bucket", "PUT", "objectWorm"),
    ("object", "GET", "retention"),
    ("object", "PUT", "retention"),
    ("object", "GET", "legalHold"),
    ("object", "PUT", "legalHold"),
];

const BUCKET: &str = "sweep-bkt";
const KEY: &str = "dir/data.bin";
const DATA: &[u8] = b"the original object data, which no refused request may change";
const PAYLOAD: &str = "<Retention><Mode>GOVERNANCE</Mode></Retention>";

/// What must not change: the object's bytes and ETag, the bucket's listing.
#[derive(Debug, PartialEq)]
struct Snapshot {
    data: Vec<u8>,
    etag: String,
    listing: Vec<String>,
    buckets: usize,
}

async fn snapshot(c: &Client2) -> Snapshot {
    let r = c.get(BUCKET, KEY).await;
    assert_eq!(r.status, StatusCode::OK, "the object is gone: {}", r.text());
    let list = c
        .send(c.call(Method::GET, Some(BUCKET), None).query("list-type=2"))
        .await;
    assert_eq!(
        list.status,
        StatusCode::OK,
        "the bucket is gone: {}",
        list.text()
    );
    let text = list.text();
    let listing = text
        .split("<Key>")
        .skip(1)
        .map(|s| s.split("</Key>").next().unwrap().to_owned())
        .collect();
    let service = c.send(c.call(Method::GET, None, None)).await;
    Snapshot {
        data: r.bytes().to_vec(),
        etag: r.headers["etag"].to_str().unwrap().to_owned(),
        listing,
        buckets: service.text().matches("<Bucket>").count(),
    }
}

fn assert_not_implemented(r: &Reply, what: &str) {
    assert_eq!(
        r.status,
        StatusCode::NOT_IMPLEMENTED,
        "{what}: {}",
        r.body
            .clone()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    );
    assert_eq!(r.code(), "NotImplemented", "{what}");
    assert!(r.headers.contains_key("x-oss-request-id"), "{what}");
    assert_eq!(r.headers["x-oss-ec"], "0017-00000401", "{what}");
}

fn methods() -> [Method; 5] {
    [
        Method::GET,
        Method::PUT,
        Method::POST,
        Method::DELETE,
        Method::HEAD,
    ]
}

async fn sweep_one(c: &Client2, level: &str, method: &Method, query: &str) -> Reply {
    let key = (level == "object").then_some(KEY);
    let bucket = (level != "service").then_some(BUCKET);
    let mut call = c.call(method.clone(), bucket, key).query(query);
    if *method == Method::PUT || *method == Method::POST {
        call = call.header("content-type", "application/xml").body(PAYLOAD);
    }
    c.send(call).await
}

#[tokio::test]
async fn every_unimplemented_sub_resource_answers_501_and_changes_nothing() {
    let emu = Emulator::builder().start().await.unwrap();
    let c = Client2::for_emulator(&emu);
    c.create_bucket(BUCKET).await;
    assert_eq!(c.put(BUCKET, KEY, DATA).await.status, StatusCode::OK);
    let before = snapshot(&c).await;

    let names: BTreeSet<&str> = SDK_SUB_RESOURCES
        .iter()
        .chain(oss_emulator::UNIMPLEMENTED_SUB_RESOURCES)
        .copied()
        .collect();
    for name in &names {
        for level in ["object", "bucket"] {
            for method in methods() {
                for query in [name.to_string(), format!("{name}=v")] {
                    let r = sweep_one(&c, level, &method, &query).await;
                    assert_not_implemented(&r, &format!("{method} {level} ?{query}"));
                }
            }
        }
        let r = sweep_one(&c, "service", &Method::GET, name).await;
        assert_not_implemented(&r, &format!("GET / ?{name}"));
        assert_eq!(snapshot(&c).await, before, "after ?{name}");
    }
    // V1 signatures: whether the signer signs the sub-resource (oss2 signs `lifecycle`, the
    // v2 SDK declares each operation's) or not, the answer is the 501, not
    // SignatureDoesNotMatch.
    for name in &names {
        for extra in [vec![*name], vec![]] {
            let r = c
                .send(
                    c.call(Method::GET, Some(BUCKET), None)
                        .query(name)
                        .v1(&extra),
                )
                .await;
            assert_not_implemented(&r, &format!("V1 GET bucket ?{name} signing {extra:?}"));
        }
    }
    // The requests named in the report of issue 14, alongside ordinary parameters.
    for (method, level, query) in [
        (Method::PUT, "object", "objectInfo"),
        (Method::DELETE, "bucket", "live"),
        (Method::GET, "bucket", "live&prefix=a&max-keys=10"),
        (Method::HEAD, "object", "x-oss-process=image/resize,w_100"),
        (Method::GET, "object", "x-oss-process=video/snapshot,t_0"),
        (Method::POST, "object", "x-oss-async-process=csv/select"),
        (Method::POST, "bucket", "x-oss-process=csv/select"),
    ] {
        let r = sweep_one(&c, level, &method, query).await;
        assert_not_implemented(&r, &format!("{method} {level} ?{query}"));
    }
    assert_eq!(snapshot(&c).await, before);
}

#[tokio::test]
async fn implemented_sub_resources_never_fall_through_to_another_operation() {
    let emu = Emulator::builder().start().await.unwrap();
    let c = Client2::for_emulator(&emu);
    c.create_bucket(BUCKET).await;
    assert_eq!(c.put(BUCKET, KEY, DATA).await.status, StatusCode::OK);
    let before = snapshot(&c).await;
    for name in oss_emulator::IMPLEMENTED_SUB_RESOURCES {
        for level in ["object", "bucket"] {
            for method in methods() {
                if ROUTED.contains(&(level, method.as_str(), name))
                    || (*name == "position" && level == "object" && method == Method::POST)
                {
                    continue;
                }
                let r = sweep_one(&c, level, &method, name).await;
                assert_not_implemented(&r, &format!("{method} {level} ?{name}"));
            }
        }
        assert_eq!(snapshot(&c).await, before, "after ?{name}");
    }
    // `?regions` is DescribeRegions on the service only, whether a V1 signer signs it or not.
    for extra in [vec!["regions"], vec![]] {
        let r = c
            .send(c.call(Method::GET, None, None).query("regions").v1(&extra))
            .await;
        assert_eq!(r.status, StatusCode::OK, "V1 ?regions signing {extra:?}");
        assert!(r.text().contains("<RegionInfoList>"), "{}", r.text());
    }
    // Unknown parameters that look like sub-resources (no value), or carry the x-oss- prefix.
    for query in ["someFutureFeature", "someFutureFeature=", "x-oss-future=1"] {
        for level in ["object", "bucket"] {
            for method in methods() {
                let r = sweep_one(&c, level, &method, query).await;
                assert_not_implemented(&r, &format!("{method} {level} ?{query}"));
            }
        }
    }
    assert_eq!(snapshot(&c).await, before);
    // A parameter with a value that OSS does not define is ignored, as OSS ignores it.
    let r = c
        .send(
            c.call(Method::GET, Some(BUCKET), Some(KEY))
                .query("cache-buster=17"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(&r.bytes()[..], DATA);
}

#[tokio::test]
async fn storage_affecting_headers_it_lacks_answer_501_and_store_nothing() {
    let emu = Emulator::builder().start().await.unwrap();
    let c = Client2::for_emulator(&emu);
    c.create_bucket(BUCKET).await;
    assert_eq!(c.put(BUCKET, KEY, DATA).await.status, StatusCode::OK);
    let before = snapshot(&c).await;
    let mut headers: Vec<(&str, &str)> = Vec::new();
    for name in oss_emulator::UNIMPLEMENTED_HEADERS {
        headers.push((name, "1"));
    }
    for (name, value) in headers {
        let what = |op: &str| format!("{op} with {name}: {value}");
        // PutObject over the existing key, and a new key.
        for key in [KEY, "new-key"] {
            let r = c
                .send(
                    c.call(Method::PUT, Some(BUCKET), Some(key))
                        .header(name, value)
                        .body("replacement"),
                )
                .await;
            assert_not_implemented(&r, &what("PutObject"));
        }
        // CopyObject, AppendObject, InitiateMultipartUpload, PutBucket.
        let r = c
            .send(
                c.call(Method::PUT, Some(BUCKET), Some("copy"))
                    .header("x-oss-copy-source", &format!("/{BUCKET}/{KEY}"))
                    .header(name, value),
            )
            .await;
        assert_not_implemented(&r, &what("CopyObject"));
        let r = c
            .send(
                c.call(Method::POST, Some(BUCKET), Some("appended"))
                    .query("append&position=0")
                    .header(name, value)
                    .body("x"),
            )
            .await;
        assert_not_implemented(&r, &what("AppendObject"));
        let r = c
            .send(
                c.call(Method::POST, Some(BUCKET), Some("multi"))
                    .query("uploads")
                    .header(name, value),
            )
            .await;
        assert_not_implemented(&r, &what("InitiateMultipartUpload"));
        let r = c
            .send(
                c.call(Method::PUT, Some("sweep-new-bkt"), None)
                    .header(name, value),
            )
            .await;
        assert_not_implemented(&r, &what("PutBucket"));
        assert_eq!(snapshot(&c).await, before, "{}", what("after"));
    }
    let uploads = c
        .send(c.call(Method::GET, Some(BUCKET), None).query("uploads"))
        .await;
    assert!(!uploads.text().contains("<Upload>"), "{}", uploads.text());
}

/// The server-side encryption headers are implemented on the object writes that take them;
/// on other requests (a bucket's default encryption, a read) they answer 501 and change
/// nothing.
#[tokio::test]
async fn encryption_headers_elsewhere_answer_501_and_store_nothing() {
    let emu = Emulator::builder().start().await.unwrap();
    let c = Client2::for_emulator(&emu);
    c.create_bucket(BUCKET).await;
    assert_eq!(c.put(BUCKET, KEY, DATA).await.status, StatusCode::OK);
    let before = snapshot(&c).await;
    for name in oss_emulator::ENCRYPTION_HEADERS {
        let what = |op: &str| format!("{op} with {name}");
        let r = c
            .send(
                c.call(Method::PUT, Some("sweep-new-bkt"), None)
                    .header(name, "KMS"),
            )
            .await;
        assert_not_implemented(&r, &what("PutBucket"));
        let r = c
            .send(
                c.call(Method::PUT, Some(BUCKET), Some(KEY))
                    .query("acl")
                    .header("x-oss-object-acl", "private")
                    .header(name, "KMS"),
            )
            .await;
        assert_not_implemented(&r, &what("PutObjectAcl"));
        assert_eq!(snapshot(&c).await, before, "{}", what("after"));
    }
}
