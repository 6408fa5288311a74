//! Server-side encryption (issue 15): requested on PutObject, AppendObject, CopyObject,
//! InitiateMultipartUpload and the transfer managers, stored by the emulator, returned on
//! every answer OSS returns it on, and the combinations OSS refuses.

use bytes::Bytes;
use http::Method;
use oss_client::operation::encryption::{ServerSideEncryption, ServerSideEncryptionInfo};
use oss_client::operation::object_options::ObjectOptions;
use oss_client::transfer::{Copier, CopyOptions, Uploader};
use oss_client::{Client, ErrorKind, SignatureVersion};

use crate::support::{bucket, client, emulator, offline_client};

const PART: u64 = 100 * 1024;

/// Asserts the reported encryption, field by field.
fn same(
    got: Option<&ServerSideEncryptionInfo>,
    algorithm: &str,
    key_id: Option<&str>,
    data: Option<&str>,
) {
    let got = got.unwrap_or_else(|| panic!("no encryption reported, expected {algorithm}"));
    assert_eq!(got.algorithm, algorithm);
    assert_eq!(got.key_id.as_deref(), key_id);
    assert_eq!(got.data_encryption.as_deref(), data);
}

/// The encryption HeadObject reports, checked to be GetObject's too.
async fn stored(client: &Client, b: &str, key: &str) -> Option<ServerSideEncryptionInfo> {
    let head = client
        .head_object()
        .bucket(b)
        .key(key)
        .send()
        .await
        .unwrap();
    let get = client.get_object().bucket(b).key(key).send().await.unwrap();
    assert_eq!(
        get.properties.server_side_encryption,
        head.server_side_encryption
    );
    head.server_side_encryption
}

#[tokio::test]
async fn every_kind_is_stored_and_returned_on_put_get_and_head() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "sse-kinds").await;
    // KMS without a key id: the account's default key of the region, named on every answer.
    let default_key = emu.default_kms_key_id();
    assert_eq!(
        default_key,
        format!("key-oss-default-{}-1234567890123456", emu.region())
    );
    let kinds = [
        (ServerSideEncryption::Aes256, "AES256", None, None),
        (ServerSideEncryption::Sm4, "SM4", None, None),
        (
            ServerSideEncryption::kms(),
            "KMS",
            Some(default_key.as_str()),
            None,
        ),
        (
            ServerSideEncryption::Kms {
                key_id: Some("cmk-0001".into()),
                sm4_data: true,
            },
            "KMS",
            Some("cmk-0001"),
            Some("SM4"),
        ),
    ];
    for (i, (kind, algorithm, key_id, data)) in kinds.into_iter().enumerate() {
        let key = format!("k{i}");
        let put = client
            .put_object()
            .bucket(&b)
            .key(&key)
            .body("secret")
            .options(ObjectOptions::new().server_side_encryption(kind))
            .send()
            .await
            .unwrap();
        same(put.server_side_encryption.as_ref(), algorithm, key_id, data);
        same(
            stored(&client, &b, &key).await.as_ref(),
            algorithm,
            key_id,
            data,
        );
    }
    let plain = client
        .put_object()
        .bucket(&b)
        .key("plain")
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(plain.server_side_encryption, None);
    assert_eq!(stored(&client, &b, "plain").await, None);
}

#[tokio::test]
async fn appends_and_multipart_uploads_report_their_encryption() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "sse-writes").await;
    let first = client
        .append_object()
        .bucket(&b)
        .key("log")
        .body("a")
        .options(ObjectOptions::new().server_side_encryption(ServerSideEncryption::Sm4))
        .send()
        .await
        .unwrap();
    same(first.server_side_encryption.as_ref(), "SM4", None, None);
    let next = client
        .append_object()
        .bucket(&b)
        .key("log")
        .position(1)
        .body("b")
        .send()
        .await
        .unwrap();
    same(next.server_side_encryption.as_ref(), "SM4", None, None);

    let kms = ServerSideEncryption::kms_key("cmk-7");
    let initiated = client
        .initiate_multipart_upload()
        .bucket(&b)
        .key("multi")
        .options(ObjectOptions::new().server_side_encryption(kms.clone()))
        .send()
        .await
        .unwrap();
    same(
        initiated.server_side_encryption.as_ref(),
        "KMS",
        Some("cmk-7"),
        None,
    );
    let part = client
        .upload_part()
        .bucket(&b)
        .key("multi")
        .upload_id(&initiated.upload_id)
        .part_number(1)
        .body("part")
        .send()
        .await
        .unwrap();
    same(
        part.server_side_encryption.as_ref(),
        "KMS",
        Some("cmk-7"),
        None,
    );
    let done = client
        .complete_multipart_upload()
        .bucket(&b)
        .key("multi")
        .upload_id(&initiated.upload_id)
        .part(&part)
        .send()
        .await
        .unwrap();
    same(
        done.server_side_encryption.as_ref(),
        "KMS",
        Some("cmk-7"),
        None,
    );

    // The Uploader asks for it once per object, on both paths.
    let uploader = Uploader::new(&client)
        .part_size(PART)
        .multipart_threshold(PART)
        .options(ObjectOptions::new().server_side_encryption(kms));
    let data = Bytes::from(vec![7u8; 3 * PART as usize]);
    assert_eq!(
        uploader.upload_bytes(&b, "big", data).await.unwrap().parts,
        3
    );
    uploader
        .upload_bytes(&b, "small", Bytes::from_static(b"s"))
        .await
        .unwrap();
    for key in ["big", "small", "multi"] {
        same(
            stored(&client, &b, key).await.as_ref(),
            "KMS",
            Some("cmk-7"),
            None,
        );
    }
}

#[tokio::test]
async fn copies_take_the_encryption_they_ask_for_not_the_sources() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "sse-copies").await;
    for (key, size) in [("small", 10usize), ("large", 3 * PART as usize)] {
        client
            .put_object()
            .bucket(&b)
            .key(key)
            .body(vec![1u8; size])
            .metadata("owner", "source")
            .options(ObjectOptions::new().server_side_encryption(ServerSideEncryption::Aes256))
            .send()
            .await
            .unwrap();
    }
    let copied = client
        .copy_object()
        .bucket(&b)
        .key("sm4-copy")
        .source_key("small")
        .server_side_encryption(ServerSideEncryption::Sm4)
        .send()
        .await
        .unwrap();
    same(copied.server_side_encryption.as_ref(), "SM4", None, None);
    let head = client
        .head_object()
        .bucket(&b)
        .key("sm4-copy")
        .send()
        .await
        .unwrap();
    same(head.server_side_encryption.as_ref(), "SM4", None, None);
    assert_eq!(head.metadata_value("owner"), Some("source"));
    let unasked = client
        .copy_object()
        .bucket(&b)
        .key("plain-copy")
        .source_key("small")
        .send()
        .await
        .unwrap();
    assert_eq!(unasked.server_side_encryption, None);
    assert_eq!(stored(&client, &b, "plain-copy").await, None);

    let copier = Copier::new(&client)
        .part_size(PART)
        .multipart_threshold(PART)
        .options(CopyOptions::new().server_side_encryption(ServerSideEncryption::kms()));
    for source in ["small", "large"] {
        let target = format!("{source}-kms");
        copier.copy(&b, source, &b, &target).await.unwrap();
        same(
            stored(&client, &b, &target).await.as_ref(),
            "KMS",
            Some(emu.default_kms_key_id().as_str()),
            None,
        );
        let head = client
            .head_object()
            .bucket(&b)
            .key(&target)
            .send()
            .await
            .unwrap();
        assert_eq!(head.metadata_value("owner"), Some("source"), "{target}");
    }
}

#[tokio::test]
async fn combinations_oss_refuses_are_refused_and_store_nothing() {
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "sse-refused").await;
    let cases: [(&[(&str, &str)], &str); 6] = [
        (
            &[("x-oss-server-side-encryption", "DES")],
            "InvalidEncryptionAlgorithmError",
        ),
        (
            &[("x-oss-server-side-encryption", "aes256")],
            "InvalidEncryptionAlgorithmError",
        ),
        (
            &[
                ("x-oss-server-side-encryption", "AES256"),
                ("x-oss-server-side-encryption-key-id", "cmk-1"),
            ],
            "InvalidArgument",
        ),
        (
            &[("x-oss-server-side-encryption-key-id", "cmk-1")],
            "InvalidArgument",
        ),
        (
            &[
                ("x-oss-server-side-encryption", "SM4"),
                ("x-oss-server-side-data-encryption", "SM4"),
            ],
            "InvalidArgument",
        ),
        (
            &[
                ("x-oss-server-side-encryption", "KMS"),
                ("x-oss-server-side-data-encryption", "AES256"),
            ],
            "InvalidArgument",
        ),
    ];
    for (headers, code) in cases {
        let mut put = client
            .invoke(Method::PUT)
            .bucket(&b)
            .key("refused")
            .body("x");
        let mut initiate = client
            .invoke(Method::POST)
            .bucket(&b)
            .key("refused")
            .query("uploads", None);
        for (name, value) in headers {
            put = put.header(*name, *value);
            initiate = initiate.header(*name, *value);
        }
        for (op, result) in [
            ("put", put.send().await),
            ("initiate", initiate.send().await),
        ] {
            let e = result.unwrap_err();
            assert_eq!(e.code(), Some(code), "{op} {headers:?}: {e}");
            assert_eq!(
                e.as_service_error().map(|s| s.status().as_u16()),
                Some(400),
                "{op} {headers:?}"
            );
        }
    }
    let missing = client.head_object().bucket(&b).key("refused").send().await;
    assert_eq!(missing.unwrap_err().code(), Some("NoSuchKey"));
    let uploads = client
        .list_multipart_uploads()
        .bucket(&b)
        .send()
        .await
        .unwrap();
    assert!(uploads.uploads.is_empty());
}

#[tokio::test]
async fn an_empty_kms_key_id_is_refused_before_any_io() {
    let (offline, calls) = offline_client();
    let e = offline
        .put_object()
        .bucket("bucket")
        .key("k")
        .options(ObjectOptions::new().server_side_encryption(ServerSideEncryption::kms_key("")))
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 0);
}
