//! Cross-check with the official Python SDK (issue 15): our client writes objects with
//! server-side encryption, user metadata and tags to the emulator and `alibabacloud-oss-v2`
//! reads them back (tests/python/cross_check.py, `--phase read`); then Python writes its own
//! and our client reads them back. The Python environment is the one of the official-client
//! check (tests/python/venv.sh: `target/pyenv`, the pinned SDKs installed from PyPI when
//! missing). Needs `python3` with `venv`.

use bytes::Bytes;
use oss_client::operation::encryption::ServerSideEncryption;
use oss_client::operation::object_options::ObjectOptions;
use oss_client::transfer::Uploader;
use oss_client::{Client, SignatureVersion};

use crate::python_support::{PythonRun, interpreter};
use crate::support::{bucket, client, emulator};

const PART: u64 = 100 * 1024;

async fn write_rust_objects(client: &Client, b: &str) {
    client
        .put_object()
        .bucket(b)
        .key("rust/aes.txt")
        .body("written by rust, AES256")
        .options(
            ObjectOptions::new()
                .server_side_encryption(ServerSideEncryption::Aes256)
                .metadata("owner", "rust")
                .metadata("stage", "one")
                .tag("team", "sdk")
                .tag("lang", "rust"),
        )
        .send()
        .await
        .unwrap();
    client
        .put_object()
        .bucket(b)
        .key("rust/kms.bin")
        .body("written by rust, KMS with SM4 data")
        .options(
            ObjectOptions::new()
                .server_side_encryption(ServerSideEncryption::Kms {
                    key_id: Some("cmk-rust".into()),
                    sm4_data: true,
                })
                .metadata("owner", "rust")
                .tag("team", "sdk"),
        )
        .send()
        .await
        .unwrap();
    let data: Bytes = (0..3 * PART)
        .map(|i| (i % 251) as u8)
        .collect::<Vec<_>>()
        .into();
    let out = Uploader::new(client)
        .part_size(PART)
        .multipart_threshold(PART)
        .options(
            ObjectOptions::new()
                .server_side_encryption(ServerSideEncryption::Sm4)
                .metadata("owner", "rust-uploader")
                .tag("path", "multipart"),
        )
        .upload_bytes(b, "rust/multipart.bin", data)
        .await
        .unwrap();
    assert_eq!(out.parts, 3);
}

/// What Python wrote (tests/python/cross_check.py, `PYTHON_WRITES`), read by our client.
async fn read_python_objects(client: &Client, b: &str) {
    let expected = [
        (
            "python/aes.txt",
            &b"written by python, AES256"[..],
            ("AES256", None, None),
            vec![("owner", "python")],
            vec![("lang", "python"), ("team", "sdk")],
        ),
        (
            "python/kms.txt",
            &b"written by python, KMS"[..],
            ("KMS", Some("cmk-python"), Some("SM4")),
            vec![("owner", "python"), ("stage", "two")],
            vec![("lang", "python")],
        ),
    ];
    for (key, body, (algorithm, key_id, data), metadata, tags) in expected {
        let got = client.get_object().bucket(b).key(key).send().await.unwrap();
        let properties = got.properties.clone();
        assert_eq!(got.body.collect().await.unwrap(), body, "{key}");
        let sse = properties
            .server_side_encryption
            .as_ref()
            .expect("encryption");
        assert_eq!(sse.algorithm, algorithm, "{key}");
        assert_eq!(sse.key_id.as_deref(), key_id, "{key}");
        assert_eq!(sse.data_encryption.as_deref(), data, "{key}");
        for (name, value) in metadata.iter().copied() {
            assert_eq!(properties.metadata_value(name), Some(value), "{key} {name}");
        }
        assert_eq!(properties.metadata.len(), metadata.len(), "{key}");
        assert_eq!(properties.tagging_count as usize, tags.len(), "{key}");
        let mut read = client.get_object_tagging(b, key).await.unwrap().tags;
        read.sort();
        let tags: Vec<(String, String)> = tags
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        assert_eq!(read, tags, "{key}");
    }
}

#[tokio::test]
async fn the_official_python_sdk_reads_what_we_wrote_and_the_other_way_round() {
    let interpreter = tokio::task::spawn_blocking(interpreter).await.unwrap();
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "cross-check").await;
    write_rust_objects(&client, &b).await;
    let python = PythonRun {
        interpreter,
        script: "cross_check.py",
        endpoint: emu.endpoint().to_owned(),
        region: emu.region().to_owned(),
        bucket: b.clone(),
    };
    // Eight checks for each of our three objects; one per object Python writes.
    python.run("read", 24).await;
    python.run("write", 2).await;
    read_python_objects(&client, &b).await;
}
