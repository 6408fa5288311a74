//! Bad input gets a typed error before any I/O: the provider is never called and nothing
//! connects (the client points at a closed port).

use std::sync::atomic::Ordering;

use oss_client::auth::StaticCredentialsProvider;
use oss_client::{Client, ErrorKind};

use crate::support::offline_client;

#[tokio::test]
async fn invalid_input_is_rejected_before_any_request() {
    let (client, calls) = offline_client();
    let kind = |r: Result<(), oss_client::Error>| r.unwrap_err().kind();

    for name in ["ab", "UPPER", "-dash", "dash-", "under_score", "dot.ted"] {
        let r = client.put_bucket().bucket(name).send().await.map(drop);
        assert_eq!(kind(r), ErrorKind::InvalidBucketName, "{name}");
    }
    let r = client
        .get_object()
        .bucket("ok-bucket")
        .key("k".repeat(1024))
        .send()
        .await
        .map(drop);
    assert_eq!(kind(r), ErrorKind::InvalidObjectKey);
    let r = client
        .put_object()
        .bucket("ok-bucket")
        .key("k")
        .content_type("text/plain\r\nx-evil: 1")
        .send()
        .await
        .map(drop);
    assert_eq!(kind(r), ErrorKind::InvalidHeaderValue);
    // B10: non-ASCII metadata is refused with a message naming the key.
    let err = client
        .put_object()
        .bucket("ok-bucket")
        .key("docs/pack.zip")
        .metadata("filename", "打包测试.csv")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidMetadata);
    assert!(err.to_string().contains("filename"), "{err}");
    let r = client
        .put_object()
        .bucket("ok-bucket")
        .key("k")
        .metadata("a\nb", "v")
        .send()
        .await
        .map(drop);
    assert_eq!(kind(r), ErrorKind::InvalidMetadata);
    let r = client
        .list_objects_v2()
        .bucket("ok-bucket")
        .max_keys(1001)
        .send()
        .await
        .map(drop);
    assert_eq!(kind(r), ErrorKind::InvalidArgument);
    let r = client
        .get_object()
        .bucket("ok-bucket")
        .send()
        .await
        .map(drop);
    assert_eq!(kind(r), ErrorKind::InvalidArgument, "missing key");
    assert!(oss_client::types::ByteRange::inclusive(10, 5).is_err());
    assert_eq!(
        calls.load(Ordering::SeqCst),
        0,
        "no credentials were fetched"
    );
}

#[test]
fn malformed_client_configuration_is_rejected() {
    let provider = || StaticCredentialsProvider::new("id", "secret").unwrap();
    for endpoint in [
        "ftp://host",
        "http://",
        "https://host/path",
        "http://h?x=1",
        "http://a b",
    ] {
        let err = Client::builder()
            .region("cn-hangzhou")
            .endpoint(endpoint)
            .credentials_provider(provider())
            .build()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidEndpoint, "{endpoint}");
    }
    let err = Client::builder()
        .credentials_provider(provider())
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    let err = Client::builder()
        .region("oss-cn-hangzhou.aliyuncs.com")
        .credentials_provider(provider())
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    let err = Client::builder().region("cn-hangzhou").build().unwrap_err();
    assert!(err.to_string().contains("credentials provider"));
    assert!(StaticCredentialsProvider::new("", "secret").is_err());
    assert!(StaticCredentialsProvider::new("id", "line\nbreak").is_err());
}
