//! HTTP semantics of the OSS front end: `Expect: 100-continue` (honoured, and skipped for a
//! request refused before its body is read), other expectations (417), and the cap on open
//! connections. Raw sockets, so every byte the emulator sends is seen.

mod common;

use bytes::Bytes;
use common::Client2;
use http::Method;
use oss_emulator::{Emulator, EmulatorHandle};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

async fn start(builder: oss_emulator::EmulatorBuilder) -> (EmulatorHandle, Client2) {
    let emu = builder.start().await.unwrap();
    let c = Client2::for_emulator(&emu);
    (emu, c)
}

/// The request's head (through the blank line) and its body, as separate byte strings.
fn split_request(raw: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    (raw[..end].to_vec(), raw[end..].to_vec())
}

/// Reads one response head (through the blank line); empty when the connection closed
/// first.
async fn read_head(conn: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match conn.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8(head).unwrap()
}

/// Everything until the peer closes (a reset counts as the end).
async fn read_to_end(conn: &mut TcpStream) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = conn.read_to_end(&mut out).await;
    out
}

#[tokio::test]
async fn expect_100_continue_gets_100_before_the_body_is_sent() {
    let (_emu, c) = start(Emulator::builder()).await;
    c.create_bucket("bkt").await;
    let call = c
        .call(Method::PUT, Some("bkt"), Some("k"))
        .header("expect", "100-continue")
        .body("hello");
    let (head, body) = split_request(&c.raw(&call));
    let mut conn = TcpStream::connect(c.addr()).await.unwrap();
    conn.write_all(&head).await.unwrap();
    assert_eq!(read_head(&mut conn).await, "HTTP/1.1 100 Continue\r\n\r\n");
    conn.write_all(&body).await.unwrap();
    let answer = read_head(&mut conn).await;
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert_eq!(&c.get("bkt", "k").await.bytes()[..], b"hello");
}

/// Without `Expect`, the body follows the head at once; an answer sent before it was read
/// must close the connection, or a client reusing it would have its next request read behind
/// the unread bytes (or find the connection closed under it).
#[tokio::test]
async fn an_answer_sent_before_the_body_was_read_closes_the_connection() {
    let (emu, c) = start(Emulator::builder()).await;
    c.create_bucket("bkt").await;
    let wrong = Client2::new(emu.endpoint(), emu.region(), emu.access_key_id(), "wrong");
    let call = wrong
        .call(Method::PUT, Some("bkt"), Some("k"))
        .body(vec![b'x'; 256 * 1024]);
    let (head, _) = split_request(&wrong.raw(&call));
    let mut conn = TcpStream::connect(c.addr()).await.unwrap();
    conn.write_all(&head).await.unwrap();
    let answer = read_head(&mut conn).await;
    assert!(answer.starts_with("HTTP/1.1 403 Forbidden\r\n"), "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("\r\nconnection: close\r\n"),
        "{answer}"
    );
    let rest = read_to_end(&mut conn).await;
    assert!(String::from_utf8_lossy(&rest).contains("<Code>SignatureDoesNotMatch</Code>"));
}

/// A body read to its end keeps the connection open for the next request.
#[tokio::test]
async fn an_answer_after_the_whole_body_keeps_the_connection() {
    let (_emu, c) = start(Emulator::builder()).await;
    c.create_bucket("bkt").await;
    let call = c.call(Method::PUT, Some("bkt"), Some("k")).body("hello");
    let mut conn = TcpStream::connect(c.addr()).await.unwrap();
    conn.write_all(&c.raw(&call)).await.unwrap();
    let answer = read_head(&mut conn).await;
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(!answer.to_ascii_lowercase().contains("connection: close"), "{answer}");
}

#[tokio::test]
async fn a_request_refused_before_its_body_gets_the_final_answer_without_100() {
    let (emu, c) = start(Emulator::builder()).await;
    c.create_bucket("bkt").await;
    let wrong = Client2::new(emu.endpoint(), emu.region(), emu.access_key_id(), "wrong");
    let call = wrong
        .call(Method::PUT, Some("bkt"), Some("k"))
        .header("expect", "100-continue")
        .body("hello");
    let (head, _) = split_request(&wrong.raw(&call));
    let mut conn = TcpStream::connect(c.addr()).await.unwrap();
    conn.write_all(&head).await.unwrap();
    let answer = read_head(&mut conn).await;
    assert!(answer.starts_with("HTTP/1.1 403 Forbidden\r\n"), "{answer}");
    assert_eq!(c.get("bkt", "k").await.status, http::StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn other_expectations_get_417_and_the_connection_closes() {
    let (emu, c) = start(Emulator::builder()).await;
    c.create_bucket("bkt").await;
    let call = c
        .call(Method::PUT, Some("bkt"), Some("k"))
        .header("expect", "200-ok")
        .body("hello");
    let (head, _) = split_request(&c.raw(&call));
    let mut conn = TcpStream::connect(c.addr()).await.unwrap();
    conn.write_all(&head).await.unwrap();
    let answer = String::from_utf8(read_to_end(&mut conn).await).unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 417 Expectation Failed\r\n"),
        "{answer}"
    );
    assert!(
        answer
            .to_ascii_lowercase()
            .contains("connection: close\r\n")
    );
    assert_eq!(c.get("bkt", "k").await.status, http::StatusCode::NOT_FOUND);
    // Counted as received (create, the refused PUT, the GET), but never run.
    assert_eq!(emu.requests_received(), 3);
}

#[tokio::test]
async fn connections_beyond_the_cap_are_closed_unread() {
    let (emu, c) = start(Emulator::builder().max_connections(1)).await;
    let list = c.raw(&c.call(Method::GET, None, None));

    // The first connection is served and stays open (keep-alive).
    let mut first = TcpStream::connect(c.addr()).await.unwrap();
    first.write_all(&list).await.unwrap();
    let answer = read_head(&mut first).await;
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");

    // A second one is closed without an answer while the first is open.
    let mut second = TcpStream::connect(c.addr()).await.unwrap();
    let _ = second.write_all(&list).await;
    assert_eq!(read_to_end(&mut second).await, Bytes::new());
    assert_eq!(emu.requests_received(), 1);

    // Once the first closes, new connections are served again (the emulator notices the
    // close asynchronously: try until one is).
    drop(first);
    let mut served = false;
    for _ in 0..1000 {
        let mut next = TcpStream::connect(c.addr()).await.unwrap();
        let _ = next.write_all(&list).await;
        if read_head(&mut next)
            .await
            .starts_with("HTTP/1.1 200 OK\r\n")
        {
            served = true;
            break;
        }
    }
    assert!(served, "no connection served after the first closed");
}
