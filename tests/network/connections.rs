//! The connection pool survives what servers and callers do to connections.

use futures_util::StreamExt as _;

use crate::link::Shape;
use crate::support::{BUCKET, SECOND, builder, content, emulator, link, put};

/// A body dropped after its first chunk takes its connection with it; the requests after it
/// get sound connections and the right bytes.
#[tokio::test(start_paused = true)]
async fn a_body_dropped_half_read_does_not_poison_the_pool() {
    let emu = emulator().await;
    let big = content(4 << 20, 10);
    let small = content(10_000, 11);
    put(&emu, "big", big).await;
    put(&emu, "small", small.clone()).await;
    let link = link(&emu, |_| (Shape::Free, Shape::Free)).await;
    let client = builder(&emu, &link.endpoint()).build().unwrap();
    for _ in 0..5 {
        let mut object = client
            .get_object()
            .bucket(BUCKET)
            .key("big")
            .send()
            .await
            .unwrap();
        let first = object.body.next().await.unwrap().unwrap();
        assert!(!first.is_empty());
        drop(object);
        let again = client
            .get_object()
            .bucket(BUCKET)
            .key("small")
            .send()
            .await
            .unwrap();
        assert_eq!(again.body.collect().await.unwrap(), small);
    }
    assert_eq!(client.stats().retries, 0);
}

/// The server closes the pooled connections while they are idle: the next requests, with and
/// without a body, go out on fresh connections without failing and without a retry.
#[tokio::test(start_paused = true)]
async fn a_pooled_connection_the_server_closed_is_replaced() {
    let emu = emulator().await;
    let link = link(&emu, |_| (Shape::Free, Shape::Free)).await;
    let client = builder(&emu, &link.endpoint()).build().unwrap();
    for round in 0..5u8 {
        let data = content(50_000, round);
        client
            .put_object()
            .bucket(BUCKET)
            .key("pooled")
            .body(data.clone())
            .send()
            .await
            .unwrap();
        link.close_connections();
        // Paused time moves on only once every task is idle: by then the client has seen
        // the connection close, as it would a server's idle-connection timer.
        tokio::time::sleep(SECOND).await;
        let object = client
            .get_object()
            .bucket(BUCKET)
            .key("pooled")
            .send()
            .await
            .unwrap();
        assert_eq!(object.body.collect().await.unwrap(), data);
        link.close_connections();
        tokio::time::sleep(SECOND).await;
    }
    assert_eq!(client.stats().retries, 0);
}
