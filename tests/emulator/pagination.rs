//! Every paginator returns each key, common prefix, version, upload and part exactly once, for
//! keys that break naive marker handling (newlines, `+`, spaces, `%`, `=`, `/`, unicode), at
//! every page size; markers and tokens go back exactly as received; and a truncated page that
//! names no next marker stops the listing with a typed error instead of a guess.

use std::collections::BTreeSet;

use futures_util::TryStreamExt as _;
use oss_client::operation::versioning::VersioningStatus;
use oss_client::{Client, ErrorKind, SignatureVersion};

use crate::support::{RawServer, bucket, client, emulator, put, raw_answer};

/// Keys whose markers are easy to mangle.
const KEYS: &[&str] = &[
    "a",
    "a\nb",
    "a\nb\nc",
    "a b",
    "a+b",
    "a%2Fb",
    "a=b==",
    "dir/1",
    "dir/2",
    "dir/sub/3",
    "d\nir/4",
    "d\nir/5",
    "x/+/=/ /",
    "~tilde",
    "中文/键",
    "中文/键2",
    "\u{1}ctl",
];

const PAGE_SIZES: [u32; 4] = [1, 2, 3, 7];

/// Keys and prefixes of a listing with `delimiter`, computed here: each exactly once, sorted.
fn expected(delimiter: Option<&str>) -> (Vec<String>, Vec<String>) {
    let mut keys = BTreeSet::new();
    let mut prefixes = BTreeSet::new();
    for key in KEYS {
        match delimiter.and_then(|d| key.find(d).map(|i| &key[..i + d.len()])) {
            Some(prefix) => prefixes.insert(prefix.to_owned()),
            None => keys.insert((*key).to_owned()),
        };
    }
    (keys.into_iter().collect(), prefixes.into_iter().collect())
}

#[tokio::test]
async fn object_listings_return_each_key_and_prefix_once() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "pages").await;
    for key in KEYS {
        put(&client, &b, *key, "x").await;
    }
    for delimiter in [None, Some("/"), Some("\n")] {
        let (keys, prefixes) = expected(delimiter);
        for size in PAGE_SIZES {
            let mut v2 = client.list_objects_v2().bucket(&b).max_keys(size);
            let mut v1 = client.list_objects().bucket(&b).max_keys(size);
            if let Some(d) = delimiter {
                v2 = v2.delimiter(d);
                v1 = v1.delimiter(d);
            }
            let pages: Vec<_> = v2.into_paginator().try_collect().await.unwrap();
            let got_keys: Vec<String> = pages
                .iter()
                .flat_map(|p| p.contents.iter().map(|c| c.key.clone()))
                .collect();
            let got_prefixes: Vec<String> = pages
                .iter()
                .flat_map(|p| p.common_prefixes.clone())
                .collect();
            assert_eq!(got_keys, keys, "v2 {delimiter:?} {size}");
            assert_eq!(got_prefixes, prefixes, "v2 {delimiter:?} {size}");
            let total = keys.len() + prefixes.len();
            assert_eq!(
                pages.len(),
                total.div_ceil(size as usize),
                "v2 {delimiter:?} {size}"
            );

            let pages: Vec<_> = v1.into_paginator().try_collect().await.unwrap();
            let got_keys: Vec<String> = pages
                .iter()
                .flat_map(|p| p.contents.iter().map(|c| c.key.clone()))
                .collect();
            let got_prefixes: Vec<String> = pages
                .iter()
                .flat_map(|p| p.common_prefixes.clone())
                .collect();
            assert_eq!(got_keys, keys, "v1 {delimiter:?} {size}");
            assert_eq!(got_prefixes, prefixes, "v1 {delimiter:?} {size}");
        }
    }
    emu.shutdown().await;
}

#[tokio::test]
async fn versions_uploads_and_parts_are_listed_once() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "pages-more").await;
    client
        .put_bucket_versioning(&b, VersioningStatus::Enabled)
        .await
        .unwrap();
    for key in KEYS {
        put(&client, &b, *key, "one").await;
        put(&client, &b, *key, "two").await;
    }
    client
        .delete_object()
        .bucket(&b)
        .key("a\nb")
        .send()
        .await
        .unwrap();
    for key in KEYS.iter().take(6) {
        for _ in 0..2 {
            client
                .initiate_multipart_upload()
                .bucket(&b)
                .key(*key)
                .send()
                .await
                .unwrap();
        }
    }

    let all = client
        .list_object_versions()
        .bucket(&b)
        .max_keys(1000)
        .send()
        .await
        .unwrap();
    assert!(!all.is_truncated);
    let all: Vec<(String, String)> = all
        .versions
        .into_iter()
        .map(|v| (v.key, v.version_id))
        .collect();
    assert_eq!(all.len(), 2 * KEYS.len() + 1);
    let uploads = client
        .list_multipart_uploads()
        .bucket(&b)
        .max_uploads(1000)
        .send()
        .await
        .unwrap();
    let uploads: Vec<(String, String)> = uploads
        .uploads
        .into_iter()
        .map(|u| (u.key, u.upload_id))
        .collect();
    assert_eq!(uploads.len(), 12);
    for size in PAGE_SIZES {
        let pages: Vec<_> = client
            .list_object_versions()
            .bucket(&b)
            .max_keys(size)
            .into_paginator()
            .try_collect()
            .await
            .unwrap();
        let paged: Vec<(String, String)> = pages
            .into_iter()
            .flat_map(|p| p.versions)
            .map(|v| (v.key, v.version_id))
            .collect();
        assert_eq!(paged, all, "versions, {size} a page");

        let pages: Vec<_> = client
            .list_multipart_uploads()
            .bucket(&b)
            .max_uploads(size)
            .into_paginator()
            .try_collect()
            .await
            .unwrap();
        let paged: Vec<(String, String)> = pages
            .into_iter()
            .flat_map(|p| p.uploads)
            .map(|u| (u.key, u.upload_id))
            .collect();
        assert_eq!(paged, uploads, "uploads, {size} a page");
    }

    let (key, upload_id) = &uploads[1];
    for n in 1..=5u32 {
        client
            .upload_part()
            .bucket(&b)
            .key(key.as_str())
            .upload_id(upload_id.as_str())
            .part_number(n)
            .body(vec![n as u8; 10])
            .send()
            .await
            .unwrap();
    }
    for size in PAGE_SIZES {
        let pages: Vec<_> = client
            .list_parts()
            .bucket(&b)
            .key(key.as_str())
            .upload_id(upload_id.as_str())
            .max_parts(size)
            .into_paginator()
            .try_collect()
            .await
            .unwrap();
        let parts: Vec<u32> = pages
            .iter()
            .flat_map(|p| p.parts.iter().map(|part| part.part_number))
            .collect();
        assert_eq!(parts, [1, 2, 3, 4, 5], "parts, {size} a page");
    }
    emu.shutdown().await;
}

/// The query parameter `name` of a request target, percent-decoded, and as sent.
fn query_param(target: &str, name: &str) -> Option<(String, String)> {
    let query = target.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (n, v) = pair.split_once('=').unwrap_or((pair, ""));
        (n == name).then(|| (oss_auth::sign::percent_decode(v, false), v.to_owned()))
    })
}

/// A listing against a server that answers `first` to the first request and `last` to the
/// others; returns every request target.
async fn two_pages(
    first: &'static str,
    last: &'static str,
    list: impl AsyncFnOnce(Client) -> Result<usize, oss_client::Error>,
) -> Vec<String> {
    let server = RawServer::start(move |request| {
        let body = if request.target.contains("marker=")
            || request.target.contains("continuation-token=")
        {
            last
        } else {
            first
        };
        raw_answer(
            "200 OK",
            &[("Content-Type", "application/xml")],
            body.as_bytes(),
        )
    })
    .await;
    let pages = list(server.client(1)).await.unwrap();
    assert_eq!(pages, 2);
    server.requests().into_iter().map(|r| r.target).collect()
}

/// Markers and tokens with `+`, `/`, `=`, spaces, newlines and unicode come back exactly.
#[tokio::test]
async fn markers_and_tokens_go_back_exactly_as_received() {
    let token = "a+b/c=d e中%==";
    // ListObjectsV2: NextContinuationToken is URL-encoded when the listing is (a `+` in it is
    // a plus, as the official SDKs' `unquote` reads it: tokens are opaque, never form text).
    let targets = two_pages(
        "<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>\
         <NextContinuationToken>a%2Bb%2Fc%3Dd%20e%E4%B8%AD%25%3D%3D</NextContinuationToken>\
         </ListBucketResult>",
        "<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>",
        async |c| {
            let pages: Vec<_> = c
                .list_objects_v2()
                .bucket("bkt")
                .into_paginator()
                .try_collect()
                .await?;
            Ok(pages.len())
        },
    )
    .await;
    let (decoded, sent) = query_param(&targets[1], "continuation-token").unwrap();
    assert_eq!(decoded, token);
    assert!(!sent.contains(['+', ' ', '/', '=']), "{sent}");

    // ListObjects: NextMarker (a key).
    let targets = two_pages(
        "<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>\
         <NextMarker>k%0Aey+%2B%2F</NextMarker></ListBucketResult>",
        "<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>",
        async |c| {
            let pages: Vec<_> = c
                .list_objects()
                .bucket("bkt")
                .into_paginator()
                .try_collect()
                .await?;
            Ok(pages.len())
        },
    )
    .await;
    assert_eq!(query_param(&targets[1], "marker").unwrap().0, "k\ney +/");

    // ListObjectVersions: a key marker with a newline and a version id marker, as two values.
    let targets = two_pages(
        "<ListVersionsResult><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>\
         <NextKeyMarker>k%0Aey</NextKeyMarker><NextVersionIdMarker>CAEQ+/=</NextVersionIdMarker>\
         </ListVersionsResult>",
        "<ListVersionsResult><IsTruncated>false</IsTruncated></ListVersionsResult>",
        async |c| {
            let pages: Vec<_> = c
                .list_object_versions()
                .bucket("bkt")
                .into_paginator()
                .try_collect()
                .await?;
            Ok(pages.len())
        },
    )
    .await;
    assert_eq!(query_param(&targets[1], "key-marker").unwrap().0, "k\ney");
    assert_eq!(
        query_param(&targets[1], "version-id-marker").unwrap().0,
        "CAEQ+/="
    );

    // ListMultipartUploads: likewise with an upload id marker.
    let targets = two_pages(
        "<ListMultipartUploadsResult><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>\
         <NextKeyMarker>k%0A%0A</NextKeyMarker><NextUploadIdMarker>up id+1</NextUploadIdMarker>\
         </ListMultipartUploadsResult>",
        "<ListMultipartUploadsResult><IsTruncated>false</IsTruncated></ListMultipartUploadsResult>",
        async |c| {
            let pages: Vec<_> =
                c.list_multipart_uploads().bucket("bkt").into_paginator().try_collect().await?;
            Ok(pages.len())
        },
    )
    .await;
    assert_eq!(query_param(&targets[1], "key-marker").unwrap().0, "k\n\n");
    assert_eq!(
        query_param(&targets[1], "upload-id-marker").unwrap().0,
        "up id+1"
    );
}

/// A truncated page without its next marker: the page is handed out, then the listing stops
/// with `InvalidResponse`, after one request (no marker made up from the last key).
#[tokio::test]
async fn a_truncated_page_without_a_marker_stops_with_a_typed_error() {
    type List =
        fn(Client) -> futures_util::stream::BoxStream<'static, Result<usize, oss_client::Error>>;
    let cases: [(&str, &str, List); 5] = [
        (
            "ListObjectsV2",
            "<ListBucketResult><IsTruncated>true</IsTruncated><Contents><Key>k</Key></Contents>\
             <CommonPrefixes><Prefix>p/</Prefix></CommonPrefixes></ListBucketResult>",
            |c| {
                Box::pin(
                    c.list_objects_v2()
                        .bucket("bkt")
                        .delimiter("/")
                        .into_paginator()
                        .map_ok(|p| p.contents.len() + p.common_prefixes.len()),
                )
            },
        ),
        (
            "ListObjects",
            "<ListBucketResult><IsTruncated>true</IsTruncated><Contents><Key>k</Key></Contents>\
             <CommonPrefixes><Prefix>p/</Prefix></CommonPrefixes></ListBucketResult>",
            |c| {
                Box::pin(
                    c.list_objects()
                        .bucket("bkt")
                        .delimiter("/")
                        .into_paginator()
                        .map_ok(|p| p.contents.len() + p.common_prefixes.len()),
                )
            },
        ),
        (
            "ListObjectVersions",
            "<ListVersionsResult><IsTruncated>true</IsTruncated><NextVersionIdMarker>v</NextVersionIdMarker>\
             <Version><Key>k</Key><VersionId>v</VersionId></Version></ListVersionsResult>",
            |c| {
                Box::pin(
                    c.list_object_versions()
                        .bucket("bkt")
                        .into_paginator()
                        .map_ok(|p| p.versions.len()),
                )
            },
        ),
        (
            "ListMultipartUploads",
            "<ListMultipartUploadsResult><IsTruncated>true</IsTruncated><NextKeyMarker></NextKeyMarker>\
             <Upload><Key>k</Key><UploadId>u</UploadId></Upload></ListMultipartUploadsResult>",
            |c| {
                Box::pin(
                    c.list_multipart_uploads()
                        .bucket("bkt")
                        .into_paginator()
                        .map_ok(|p| p.uploads.len()),
                )
            },
        ),
        (
            "ListParts",
            "<ListPartsResult><IsTruncated>true</IsTruncated>\
             <Part><PartNumber>1</PartNumber><ETag>\"E\"</ETag><Size>1</Size></Part></ListPartsResult>",
            |c| {
                Box::pin(
                    c.list_parts()
                        .bucket("bkt")
                        .key("k")
                        .upload_id("u")
                        .into_paginator()
                        .map_ok(|p| p.parts.len()),
                )
            },
        ),
    ];
    for (operation, body, list) in cases {
        let server = RawServer::start(move |_| {
            raw_answer(
                "200 OK",
                &[("Content-Type", "application/xml")],
                body.as_bytes(),
            )
        })
        .await;
        let mut pages = list(server.client(1));
        let first = pages.try_next().await.unwrap();
        assert!(first.is_some_and(|n| n > 0), "{operation}");
        let err = pages.try_next().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{operation}");
        assert!(err.to_string().contains(operation), "{err}");
        assert!(err.to_string().contains("without Next"), "{err}");
        assert!(pages.try_next().await.unwrap().is_none(), "{operation}");
        assert_eq!(
            server.requests().len(),
            1,
            "{operation}: no guessed marker was sent"
        );
    }
}
