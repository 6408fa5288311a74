//! One rule for a name given twice, in every builder that takes user metadata, tags or
//! headers by name: refused with `ErrorKind::DuplicateName` before any I/O. Metadata and
//! header names are compared case-insensitively (`Tag` and `tag` are one name on the wire);
//! tag keys exactly. The same builders with distinct names succeed against the emulator, and
//! every value arrives.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::Ordering;

use bytes::Bytes;
use http::Method;
use oss_client::transfer::Uploader;
use oss_client::{Client, Error, ErrorKind, SignatureVersion};

use crate::support::{bucket, client, emulator, offline_client, put};

type Sent = Pin<Box<dyn Future<Output = Result<(), Error>> + Send>>;

/// What a builder takes by name.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Names {
    /// User metadata: case-insensitive.
    Metadata,
    /// Header names: case-insensitive.
    Header,
    /// Tag keys: case-sensitive.
    Tag,
}

/// One builder: sends a request on `bucket`/`key` giving the two names `a` and `b`.
struct Row {
    builder: &'static str,
    names: Names,
    send: fn(Client, String, String, String, String) -> Sent,
}

fn rows() -> Vec<Row> {
    vec![
        Row {
            builder: "put_object.metadata",
            names: Names::Metadata,
            send: |c, bucket, key, a, b| {
                Box::pin(async move {
                    let r = c.put_object().bucket(bucket).key(key).body("x");
                    r.metadata(a, "1").metadata(b, "2").send().await.map(drop)
                })
            },
        },
        Row {
            builder: "put_object.tag",
            names: Names::Tag,
            send: |c, bucket, key, a, b| {
                Box::pin(async move {
                    let r = c.put_object().bucket(bucket).key(key).body("x");
                    r.tag(a, "1").tag(b, "2").send().await.map(drop)
                })
            },
        },
        Row {
            builder: "append_object.metadata",
            names: Names::Metadata,
            send: |c, bucket, key, a, b| {
                Box::pin(async move {
                    let r = c.append_object().bucket(bucket).key(key).body("x");
                    r.metadata(a, "1").metadata(b, "2").send().await.map(drop)
                })
            },
        },
        Row {
            builder: "append_object.tag",
            names: Names::Tag,
            send: |c, bucket, key, a, b| {
                Box::pin(async move {
                    let r = c.append_object().bucket(bucket).key(key).body("x");
                    r.tag(a, "1").tag(b, "2").send().await.map(drop)
                })
            },
        },
        Row {
            builder: "copy_object.metadata",
            names: Names::Metadata,
            send: |c, bucket, key, a, b| {
                Box::pin(async move {
                    let r = c.copy_object().bucket(bucket).key(key).source_key("src");
                    let r = r.replace_metadata().metadata(a, "1").metadata(b, "2");
                    r.send().await.map(drop)
                })
            },
        },
        Row {
            builder: "copy_object.replace_tags",
            names: Names::Tag,
            send: |c, bucket, key, a, b| {
                Box::pin(async move {
                    let tags = [(a, "1".to_owned()), (b, "2".to_owned())];
                    let r = c.copy_object().bucket(bucket).key(key).source_key("src");
                    r.replace_tags(&tags).send().await.map(drop)
                })
            },
        },
        Row {
            builder: "initiate_multipart_upload.metadata",
            names: Names::Metadata,
            send: |c, bucket, key, a, b| {
                Box::pin(async move {
                    let r = c.initiate_multipart_upload().bucket(bucket).key(key);
                    r.metadata(a, "1").metadata(b, "2").send().await.map(drop)
                })
            },
        },
        Row {
            builder: "initiate_multipart_upload.tag",
            names: Names::Tag,
            send: |c, bucket, key, a, b| {
                Box::pin(async move {
                    let r = c.initiate_multipart_upload().bucket(bucket).key(key);
                    r.tag(a, "1").tag(b, "2").send().await.map(drop)
                })
            },
        },
        Row {
            builder: "Uploader.metadata",
            names: Names::Metadata,
            send: |c, bucket, key, a, b| {
                Box::pin(async move {
                    let u = Uploader::new(&c).metadata(a, "1").metadata(b, "2");
                    u.upload_bytes(&bucket, &key, Bytes::from_static(b"x"))
                        .await
                        .map(drop)
                })
            },
        },
        Row {
            builder: "Uploader.tag",
            names: Names::Tag,
            send: |c, bucket, key, a, b| {
                Box::pin(async move {
                    let u = Uploader::new(&c).tag(a, "1").tag(b, "2");
                    u.upload_bytes(&bucket, &key, Bytes::from_static(b"x"))
                        .await
                        .map(drop)
                })
            },
        },
        Row {
            builder: "put_object_tagging",
            names: Names::Tag,
            send: |c, bucket, _key, a, b| {
                Box::pin(async move {
                    let tags = [(a, "1".to_owned()), (b, "2".to_owned())];
                    c.put_object_tagging(&bucket, "src", &tags).await.map(drop)
                })
            },
        },
        Row {
            builder: "invoke.header",
            names: Names::Header,
            send: |c, bucket, key, a, b| {
                Box::pin(async move {
                    let r = c.invoke(Method::PUT).bucket(bucket).key(key).body("x");
                    let (a, b) = (format!("x-oss-meta-{a}"), format!("x-oss-meta-{b}"));
                    r.header(a, "1").header(b, "2").send().await.map(drop)
                })
            },
        },
        Row {
            builder: "presign.header",
            names: Names::Header,
            send: |c, bucket, key, a, b| {
                Box::pin(async move {
                    let r = c.presign(Method::PUT).bucket(bucket).key(key);
                    let (a, b) = (format!("x-oss-meta-{a}"), format!("x-oss-meta-{b}"));
                    r.header(a, "1").header(b, "2").send().await.map(drop)
                })
            },
        },
    ]
}

type Pairs = Vec<(&'static str, &'static str)>;

/// Name pairs given twice under each rule, and pairs that are two names.
fn pairs(names: Names) -> (Pairs, Pairs) {
    match names {
        Names::Metadata | Names::Header => (
            vec![("tag", "tag"), ("Tag", "tag"), ("PROJECT-id", "project-ID")],
            vec![("tag", "tag2")],
        ),
        Names::Tag => (vec![("team", "team")], vec![("team", "Team"), ("a", "b")]),
    }
}

#[tokio::test]
async fn every_builder_refuses_a_name_given_twice_before_any_io() {
    let (offline, calls) = offline_client();
    let rows = rows();
    for row in &rows {
        let (twice, _) = pairs(row.names);
        for (a, b) in twice {
            let err = (row.send)(
                offline.clone(),
                "ok-bucket".into(),
                "key".into(),
                a.into(),
                b.into(),
            )
            .await
            .unwrap_err();
            assert_eq!(
                err.kind(),
                ErrorKind::DuplicateName,
                "{} {a}/{b}: {err}",
                row.builder
            );
            assert!(err.is_input_error());
            assert!(err.to_string().contains("given twice"), "{err}");
        }
    }
    // A header given to a typed setter and by name is one name given twice.
    let err = offline
        .presign(Method::PUT)
        .bucket("ok-bucket")
        .key("key")
        .content_type("text/plain")
        .header("Content-Type", "text/html")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DuplicateName);
    // A typed setter called again replaces its value: not a duplicate.
    let err = offline
        .put_object()
        .bucket("ok-bucket")
        .key("key")
        .content_type("text/plain")
        .content_type("text/html")
        .max_attempts(1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connect);
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "only the last request got as far as I/O"
    );
}

#[tokio::test]
async fn the_same_builders_with_distinct_names_send_every_value() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "dup-names").await;
    put(&client, &b, "src", "source").await;
    for (i, row) in rows().iter().enumerate() {
        let (_, distinct) = pairs(row.names);
        for (j, (x, y)) in distinct.into_iter().enumerate() {
            let key = format!("k{i}-{j}");
            (row.send)(client.clone(), b.clone(), key.clone(), x.into(), y.into())
                .await
                .unwrap_or_else(|e| panic!("{} {x}/{y}: {e}", row.builder));
            if row.builder.starts_with("presign") {
                continue;
            }
            let stored = if row.builder == "put_object_tagging" {
                "src".to_owned()
            } else if row.builder.starts_with("initiate") {
                continue;
            } else {
                key
            };
            match row.names {
                Names::Metadata | Names::Header => {
                    let head = client
                        .head_object()
                        .bucket(&b)
                        .key(&stored)
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(head.metadata_value(x), Some("1"), "{}", row.builder);
                    assert_eq!(head.metadata_value(y), Some("2"), "{}", row.builder);
                }
                Names::Tag => {
                    let mut tags = client.get_object_tagging(&b, &stored).await.unwrap().tags;
                    tags.sort();
                    let mut expected = vec![
                        (x.to_owned(), "1".to_owned()),
                        (y.to_owned(), "2".to_owned()),
                    ];
                    expected.sort();
                    assert_eq!(tags, expected, "{}", row.builder);
                }
            }
        }
    }
    emu.shutdown().await;
}
