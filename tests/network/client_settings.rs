//! What the builder's transport and identity settings put on the wire: the User-Agent
//! suffix, the connection pool's size, plain HTTP to a bare host, and unsigned (anonymous)
//! requests.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use oss_client::{Client, ErrorKind};

use crate::link::{Link, Shape};
use crate::support::{BUCKET, builder, emulator, get, link, put};

/// A free link that counts the connections made through it.
async fn counting_link(emu: &oss_emulator::EmulatorHandle) -> (Link, Arc<AtomicUsize>) {
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&connections);
    let link = link(emu, move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
        (Shape::Free, Shape::Free)
    })
    .await;
    (link, connections)
}

/// Three GetObjects one after the other, each body read to the end.
async fn three_gets(client: &Client) {
    for _ in 0..3 {
        let body = get(client, "k").await.body.collect().await.unwrap();
        assert_eq!(&body[..], b"value");
    }
}

#[tokio::test]
async fn user_agent_suffix_follows_the_sdk_name() {
    let emu = emulator().await;
    put(&emu, "k", Bytes::from_static(b"value")).await;
    let link = link(&emu, |_| (Shape::Free, Shape::Free)).await;
    let client = builder(&emu, &link.endpoint())
        .user_agent("nightly-backup/2.1")
        .build()
        .unwrap();
    get(&client, "k").await.body.collect().await.unwrap();
    let expected = format!(
        "user-agent: oss-sdk-rust/{}/nightly-backup/2.1\r\n",
        env!("CARGO_PKG_VERSION")
    );
    assert!(link.sent_text().contains(&expected), "{}", link.sent_text());

    let e = builder(&emu, &link.endpoint())
        .user_agent("line\r\nX-Injected: 1")
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidHeaderValue);
}

#[tokio::test]
async fn pool_size_zero_opens_a_connection_per_request() {
    let emu = emulator().await;
    put(&emu, "k", Bytes::from_static(b"value")).await;

    // (With the default pool a connection is usually reused, but when it returns to the pool
    // is up to hyper's tasks, so only the pool-less count is exact.)
    let (unpooled_link, unpooled) = counting_link(&emu).await;
    let client = builder(&emu, &unpooled_link.endpoint())
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    three_gets(&client).await;
    assert_eq!(unpooled.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn disable_ssl_reaches_a_bare_host_over_http() {
    let emu = emulator().await;
    put(&emu, "k", Bytes::from_static(b"value")).await;
    let bare = emu.local_addr().to_string();
    let client = builder(&emu, &bare).disable_ssl(true).build().unwrap();
    let body = get(&client, "k").await.body.collect().await.unwrap();
    assert_eq!(&body[..], b"value");

    let e = builder(&emu, &format!("https://{bare}"))
        .disable_ssl(true)
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidEndpoint);
}

#[tokio::test]
async fn anonymous_requests_carry_no_signature() {
    let emu = emulator().await;
    put(&emu, "k", Bytes::from_static(b"value")).await;
    let link = link(&emu, |_| (Shape::Free, Shape::Free)).await;
    let client = Client::builder()
        .region(emu.region())
        .endpoint(link.endpoint())
        .anonymous()
        .build()
        .unwrap();
    // The bucket is private: OSS refuses the unsigned request.
    let e = client
        .get_object()
        .bucket(BUCKET)
        .key("k")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("AccessDenied"));
    let sent = link.sent_text().to_ascii_lowercase();
    assert!(sent.starts_with("get /network/k http/1.1\r\n"), "{sent}");
    assert!(!sent.contains("authorization:"), "{sent}");
    assert!(!sent.contains("x-oss-content-sha256"), "{sent}");
}

#[tokio::test]
async fn connections_per_host_are_limited() {
    let emu = emulator().await;
    put(&emu, "k", Bytes::from_static(b"value")).await;
    let (link, connections) = counting_link(&emu).await;
    let client = builder(&emu, &link.endpoint())
        .max_connections_per_host(2)
        .build()
        .unwrap();
    let gets = (0..8).map(|_| async { get(&client, "k").await.body.collect().await.unwrap() });
    for body in futures_util::future::join_all(gets).await {
        assert_eq!(&body[..], b"value");
    }
    let made = connections.load(Ordering::SeqCst);
    assert!((1..=2).contains(&made), "{made} connections");

    let e = builder(&emu, &link.endpoint())
        .max_connections_per_host(0)
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
}
