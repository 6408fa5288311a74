//! Cross-check with the official Python SDK for MetaQuery, the real-time log fields, four
//! more bucket configuration families and GetBucketPolicyStatus
//! (tests/python/cross_meta.py): Python writes its documents, objects and opens the index,
//! our client reads and searches them; then our client writes its own and reopens the
//! index, and Python reads, searches (two pages) and closes it. The Python environment is
//! the one of the official-client check (tests/python/venv.sh). Needs `python3` with `venv`.

use oss_client::operation::bucket_access_monitor::AccessMonitorConfiguration;
use oss_client::operation::bucket_archive_direct_read::ArchiveDirectReadConfiguration;
use oss_client::operation::bucket_config::{GetBucketConfig, PutBucketConfig};
use oss_client::operation::bucket_https_config::HttpsConfiguration;
use oss_client::operation::bucket_policy::{GetBucketPolicyStatus, PutBucketPolicy};
use oss_client::operation::bucket_resource_group::BucketResourceGroupConfiguration;
use oss_client::operation::bucket_user_defined_log_fields::UserDefinedLogFieldsConfiguration;
use oss_client::operation::meta_query::{CloseMetaQuery, GetMetaQueryStatus, OpenMetaQuery};
use oss_client::operation::meta_query_search::DoMetaQuery;
use oss_client::{Client, SignatureVersion};

use crate::python_support::{PythonRun, interpreter};
use crate::support::{bucket, client, emulator, put};

fn put_doc<C>(bucket: &str, configuration: C) -> PutBucketConfig<C>
where
    C: oss_client::operation::bucket_config::BucketConfig,
{
    PutBucketConfig::default()
        .bucket(bucket)
        .configuration(configuration)
}

fn get<C: oss_client::operation::bucket_config::BucketConfig>(bucket: &str) -> GetBucketConfig<C> {
    GetBucketConfig::default().bucket(bucket)
}

/// What Python wrote (tests/python/cross_meta.py, `PYTHON_WRITES`), read by our client.
async fn read_python_documents(client: &Client, b: &str) {
    let monitor = client.get_bucket_access_monitor(get(b)).await.unwrap();
    assert_eq!(monitor.configuration.status, "Enabled");
    let archive = client.get_bucket_archive_direct_read(get(b)).await.unwrap();
    assert!(archive.configuration.enabled);
    let https = client.get_bucket_https_config(get(b)).await.unwrap();
    assert_eq!(https.configuration.tls.versions, ["TLSv1.2", "TLSv1.3"]);
    let suites = https
        .configuration
        .cipher_suite
        .expect("Python's cipher suites");
    assert!(suites.enable);
    assert_eq!(suites.strong_cipher_suite, Some(false));
    assert_eq!(suites.custom_cipher_suites, ["ECDHE-ECDSA-AES128-SHA256"]);
    assert_eq!(
        suites.tls13_custom_cipher_suites,
        ["TLS_AES_256_GCM_SHA384"]
    );
    let group = client.get_bucket_resource_group(get(b)).await.unwrap();
    assert_eq!(group.configuration.resource_group_id, "rg-python01");
    let fields = client
        .get_user_defined_log_fields_config(get(b))
        .await
        .unwrap();
    assert_eq!(
        fields.configuration,
        UserDefinedLogFieldsConfiguration::new(["x-python-trace"], ["py-source"])
    );
    let status = client
        .get_bucket_policy_status(GetBucketPolicyStatus::default().bucket(b))
        .await
        .unwrap();
    assert!(status.is_public);
    let index = client
        .get_meta_query_status(GetMetaQueryStatus::default().bucket(b))
        .await
        .unwrap();
    assert_eq!(index.status.state, "Running");
    let found = client
        .do_meta_query(
            DoMetaQuery::default()
                .bucket(b)
                .query(r#"{"Field":"Filename","Value":"python/","Operation":"prefix"}"#)
                .sort("Size")
                .order("desc"),
        )
        .await
        .unwrap();
    let files: Vec<(&str, u64)> = found
        .files
        .iter()
        .map(|f| (f.filename.as_str(), f.size))
        .collect();
    assert_eq!(files, [("python/big.bin", 3000), ("python/a.txt", 5)]);
}

/// What our client writes (tests/python/cross_meta.py, `RUST_WROTE`), then reopens the
/// index for Python to search.
async fn write_rust_documents(client: &Client, b: &str) {
    client
        .put_bucket_access_monitor(put_doc(b, AccessMonitorConfiguration::new("Disabled")))
        .await
        .unwrap();
    client
        .put_bucket_archive_direct_read(put_doc(b, ArchiveDirectReadConfiguration::new(false)))
        .await
        .unwrap();
    client
        .put_bucket_https_config(put_doc(b, HttpsConfiguration::only(["TLSv1.3"])))
        .await
        .unwrap();
    client
        .put_bucket_resource_group(put_doc(
            b,
            BucketResourceGroupConfiguration::new("rg-rust02"),
        ))
        .await
        .unwrap();
    let fields =
        UserDefinedLogFieldsConfiguration::new(["x-rust-trace", "user-agent"], ["rust-source"]);
    client
        .put_user_defined_log_fields_config(put_doc(b, fields))
        .await
        .unwrap();
    let private = format!(
        r#"{{"Version":"1","Statement":[{{"Effect":"Allow","Action":["oss:GetObject"],"Principal":["1234567890"],"Resource":["acs:oss:*:*:{b}/*"]}}]}}"#
    );
    client
        .put_bucket_policy(PutBucketPolicy::default().bucket(b).policy(private))
        .await
        .unwrap();
    put(client, b, "rust/one.txt", vec![b'r'; 1]).await;
    put(client, b, "rust/two.txt", vec![b'r'; 20]).await;
    client
        .close_meta_query(CloseMetaQuery::default().bucket(b))
        .await
        .unwrap();
    client
        .open_meta_query(OpenMetaQuery::default().bucket(b))
        .await
        .unwrap();
}

#[tokio::test]
async fn the_official_python_sdk_and_our_client_read_each_others_meta_documents() {
    let interpreter = tokio::task::spawn_blocking(interpreter).await.unwrap();
    let emu = emulator().await;
    let client = client(&emu, SignatureVersion::V4);
    let b = bucket(&client, "cross-meta").await;
    let python = PythonRun {
        interpreter,
        script: "cross_meta.py",
        endpoint: emu.endpoint().to_owned(),
        region: emu.region().to_owned(),
        bucket: b.clone(),
    };
    python.run("write", 1).await;
    read_python_documents(&client, &b).await;
    write_rust_documents(&client, &b).await;
    // Eight document checks, four search checks, the status before and after the close.
    python.run("read", 14).await;
}
