//! Fault injection, clock skew, body recording and request-size caps, over loopback with
//! raw signed requests (one connection per request).

mod common;

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use common::{Client2, between};
use http::{Method, StatusCode};
use oss_auth::Credentials;
use oss_emulator::{Emulator, EmulatorHandle};

async fn start(builder: oss_emulator::EmulatorBuilder) -> (EmulatorHandle, Client2) {
    let emu = builder.start().await.unwrap();
    let c = Client2::for_emulator(&emu);
    (emu, c)
}

fn secs(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs() as i64
}

fn iso_secs(s: &str) -> i64 {
    let t = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|e| panic!("{s}: {e}"));
    t.unix_timestamp()
}

fn date_secs(r: &common::Reply, name: &str) -> i64 {
    secs(httpdate::parse_http_date(r.headers[name].to_str().unwrap()).unwrap())
}

#[tokio::test]
async fn error_statuses_fire_on_the_nth_request_and_apply_nothing() {
    let (emu, c) = start(Emulator::builder().faults("put:nth=2:500, put:nth=3:503")).await;
    c.create_bucket("bkt").await;
    assert_eq!(c.put("bkt", "k", "one").await.status, StatusCode::OK);

    let r = c.put("bkt", "k", "two").await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(r.code(), "InternalError");
    let id = r.headers["x-oss-request-id"].to_str().unwrap().to_owned();
    assert_eq!(id.len(), 24);
    assert_eq!(
        between(&r.text(), "<RequestId>", "</RequestId>").unwrap(),
        id
    );
    assert_eq!(r.headers["x-oss-ec"], "0000-00000001");
    assert_eq!(
        &c.get("bkt", "k").await.bytes()[..],
        b"one",
        "500 must not apply the PUT"
    );

    let r = c.put("bkt", "k", "three").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.code(), "ServiceUnavailable");
    assert_eq!(
        &c.get("bkt", "k").await.bytes()[..],
        b"one",
        "503 must not apply the PUT"
    );

    assert_eq!(c.put("bkt", "k", "four").await.status, StatusCode::OK);
    assert_eq!(&c.get("bkt", "k").await.bytes()[..], b"four");
    assert_eq!(emu.injected_faults(), 2);

    // HEAD errors carry the XML in x-oss-err, as every HEAD error does.
    emu.set_faults("head:always:503").unwrap();
    let r = c.send(c.call(Method::HEAD, Some("bkt"), Some("k"))).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.code(), "ServiceUnavailable");
    emu.clear_faults();
    let r = c.send(c.call(Method::HEAD, Some("bkt"), Some("k"))).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(emu.injected_faults(), 3);
}

#[tokio::test]
async fn reset_closes_before_any_byte_and_does_not_store() {
    let (emu, c) = start(
        Emulator::builder()
            .faults("put:nth=1:reset,upload-part:first=1:500")
            .record_bodies(true),
    )
    .await;
    c.create_bucket("bkt").await;
    let body = Bytes::from(vec![7u8; 64 * 1024]);
    let e = c
        .try_send(
            c.call(Method::PUT, Some("bkt"), Some("k"))
                .body(body.clone()),
        )
        .await
        .unwrap_err();
    assert!(!e.is_empty());
    assert_eq!(c.get("bkt", "k").await.code(), "NoSuchKey");
    assert!(
        emu.recorded_bodies("bkt", "k").is_empty(),
        "a reset happens before the body is read"
    );
    // The retry (B19: it must re-send every byte) succeeds.
    assert_eq!(c.put("bkt", "k", body.clone()).await.status, StatusCode::OK);
    assert_eq!(c.get("bkt", "k").await.bytes(), body);
    assert_eq!(emu.recorded_bodies("bkt", "k"), vec![body.clone()]);

    // A 500 reads the body first: both attempts of the part are recorded in full.
    let r = c
        .send(
            c.call(Method::POST, Some("bkt"), Some("mp"))
                .query("uploads"),
        )
        .await;
    let upload_id = between(&r.text(), "<UploadId>", "</UploadId>").unwrap();
    let part = c
        .call(Method::PUT, Some("bkt"), Some("mp"))
        .query(&format!("partNumber=1&uploadId={upload_id}"))
        .body(body.clone());
    assert_eq!(c.send(part.clone()).await.code(), "InternalError");
    assert_eq!(c.send(part).await.status, StatusCode::OK);
    assert_eq!(
        emu.recorded_bodies("bkt", "mp"),
        vec![body.clone(), body.clone()]
    );
    emu.clear_recorded_bodies();
    assert!(emu.recorded_bodies("bkt", "mp").is_empty());
    assert_eq!(emu.injected_faults(), 2);
}

#[tokio::test]
async fn reset_body_and_short_body_cut_a_get_after_its_headers() {
    let (emu, c) = start(Emulator::builder()).await;
    c.create_bucket("bkt").await;
    let data: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    assert_eq!(
        c.put("bkt", "obj", data.clone()).await.status,
        StatusCode::OK
    );
    emu.set_faults("get:nth=1:reset-body,get:nth=2:short-body")
        .unwrap();
    for _ in 0..2 {
        let r = c.get("bkt", "obj").await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.headers["content-length"], "100000");
        assert!(r.headers.contains_key("x-oss-request-id"));
        assert!(
            r.body.is_err(),
            "the body must be cut: {:?}",
            r.body.as_ref().map(|b| b.len())
        );
    }
    assert_eq!(&c.get("bkt", "obj").await.bytes()[..], &data[..]);
    assert_eq!(emu.injected_faults(), 2);
    // Applied: a PUT answered with a cut response was stored.
    emu.set_faults("put:always:short-body").unwrap();
    let r = c
        .try_send(c.call(Method::PUT, Some("bkt"), Some("cut")).body("stored"))
        .await;
    assert!(r.is_err() || r.unwrap().body.is_err());
    emu.clear_faults();
    assert_eq!(&c.get("bkt", "cut").await.bytes()[..], b"stored");
}

#[tokio::test]
async fn latency_holds_the_answer_back() {
    let (emu, c) = start(Emulator::builder().faults("head:every=2:latency=150")).await;
    c.create_bucket("bkt").await;
    c.put("bkt", "k", "x").await;
    let head = || c.send(c.call(Method::HEAD, Some("bkt"), Some("k")));
    // Which request is held back is read from the fault count, not from timing; the held one
    // takes at least the latency (a lower bound a loaded machine cannot break).
    assert_eq!(head().await.status, StatusCode::OK);
    assert_eq!(emu.injected_faults(), 0, "the first HEAD is not held back");
    let t = tokio::time::Instant::now();
    assert_eq!(head().await.status, StatusCode::OK);
    let held = t.elapsed();
    assert_eq!(emu.injected_faults(), 1, "the second HEAD is");
    assert!(held >= Duration::from_millis(150), "{held:?}");
}

#[tokio::test]
async fn clock_skew_refuses_correct_requests_and_shows_the_skewed_time() {
    let (emu, c) = start(Emulator::builder()).await;
    c.create_bucket("bkt").await;
    emu.set_clock_skew(1200);
    assert_eq!(emu.clock_skew(), 1200);
    let now = SystemTime::now();
    let r = c.put("bkt", "k", "x").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.code(), "RequestTimeTooSkewed");
    let server_time = iso_secs(&between(&r.text(), "<ServerTime>", "</ServerTime>").unwrap());
    assert!((server_time - secs(now) - 1200).abs() <= 5, "{server_time}");
    assert!((date_secs(&r, "date") - secs(now) - 1200).abs() <= 5);

    // A client that corrects for the skew is accepted; Last-Modified is server time.
    let ahead = now + Duration::from_secs(1200);
    let r = c
        .send(
            c.call(Method::PUT, Some("bkt"), Some("k"))
                .body("x")
                .time(ahead),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = c
        .send(c.call(Method::HEAD, Some("bkt"), Some("k")).time(ahead))
        .await;
    assert!((date_secs(&r, "last-modified") - secs(now) - 1200).abs() <= 5);

    // Behind.
    emu.set_clock_skew(-1000);
    assert_eq!(c.get("bkt", "k").await.code(), "RequestTimeTooSkewed");
    emu.set_clock_skew(0);
    assert_eq!(c.get("bkt", "k").await.status, StatusCode::OK);

    // One request only, as a fault.
    emu.set_faults("get:nth=1:skew=-1200").unwrap();
    let r = c.get("bkt", "k").await;
    assert_eq!(r.code(), "RequestTimeTooSkewed");
    let server_time = iso_secs(&between(&r.text(), "<ServerTime>", "</ServerTime>").unwrap());
    assert!((server_time - secs(SystemTime::now()) + 1200).abs() <= 5);
    assert_eq!(c.get("bkt", "k").await.status, StatusCode::OK);
}

#[tokio::test]
async fn expire_token_refuses_temporary_credentials_only() {
    let (emu, c) = start(
        Emulator::builder()
            .temporary_credentials(
                "STS.live",
                "sts-secret",
                "token",
                SystemTime::now() + Duration::from_secs(3600),
            )
            .faults("*:nth=2:expire-token"),
    )
    .await;
    let sts = Credentials::builder()
        .access_key_id("STS.live")
        .access_key_secret("sts-secret")
        .security_token("token")
        .build()
        .unwrap();
    let list = || c.call(Method::GET, None, None).creds(sts.clone());
    assert_eq!(c.send(list()).await.status, StatusCode::OK);
    let r = c.send(list()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.code(), "SecurityTokenExpired");
    assert_eq!(c.send(list()).await.status, StatusCode::OK);
    // A root-key request is not affected.
    emu.set_faults("*:always:expire-token").unwrap();
    assert_eq!(
        c.send(c.call(Method::GET, None, None)).await.status,
        StatusCode::OK
    );
    assert_eq!(c.send(list()).await.code(), "SecurityTokenExpired");
}

async fn statuses(seed: u64, spec: &str, n: usize) -> Vec<u16> {
    let (_emu, c) = start(Emulator::builder().faults(spec).fault_seed(seed)).await;
    let mut out = Vec::new();
    for _ in 0..n {
        let r = c.send(c.call(Method::GET, None, None)).await;
        out.push(r.status.as_u16());
    }
    out
}

#[tokio::test]
async fn triggers_are_deterministic() {
    let a = statuses(42, "list-buckets:p=0.3:503", 40).await;
    let b = statuses(42, "list-buckets:p=0.3:503", 40).await;
    let other = statuses(43, "list-buckets:p=0.3:503", 40).await;
    assert_eq!(a, b);
    assert_ne!(a, other);
    let fired = a.iter().filter(|s| **s == 503).count();
    assert!((3..=25).contains(&fired), "{a:?}");
    assert!(a.iter().all(|s| *s == 200 || *s == 503));

    let every = statuses(0, "*:every=3:500", 7).await;
    assert_eq!(every, [200, 200, 500, 200, 200, 500, 200]);
    let first = statuses(0, "*:first=2:503", 4).await;
    assert_eq!(first, [503, 503, 200, 200]);
}

#[tokio::test]
async fn bad_specs_are_refused_with_a_clear_message() {
    let e = Emulator::builder()
        .faults("put:nth=1:404")
        .start()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
    assert!(e.to_string().contains("unknown fault `404`"), "{e}");
    let e = Emulator::builder()
        .faults("frobnicate:nth=1:500")
        .start()
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("unknown operation `frobnicate`"),
        "{e}"
    );

    let (emu, c) = start(Emulator::builder().faults("*:always:503")).await;
    let e = emu.set_faults("put:p=2:500").unwrap_err();
    assert!(e.to_string().contains("probability"), "{e}");
    // The previous rules stay.
    assert_eq!(
        c.send(c.call(Method::GET, None, None)).await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert!(oss_emulator::FaultSpec::parse("put|get:nth=1:reset, *:always:latency=5").is_ok());
}

#[tokio::test]
async fn request_size_caps() {
    let (_emu, c) = start(Emulator::builder()).await;
    c.create_bucket("bkt").await;
    c.put("bkt", "k", "x").await;

    // A request head over 64 KiB: 431 from the HTTP layer.
    let r = c
        .try_send(
            c.call(Method::GET, Some("bkt"), Some("k"))
                .header("x-oss-meta-big", &"a".repeat(70 * 1024)),
        )
        .await
        .unwrap();
    assert_eq!(r.status, StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);

    // Small XML documents over 64 KiB: 400 EntityTooLarge.
    let big = format!(
        "<Tagging><TagSet><Tag><Key>a</Key><Value>{}</Value></Tag></TagSet></Tagging>",
        "v".repeat(70 * 1024)
    );
    let r = c
        .send(
            c.call(Method::PUT, Some("bkt"), Some("k"))
                .query("tagging")
                .body(big),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.code(), "EntityTooLarge");

    // Nesting deeper than 16: 400 MalformedXML (no deep tree is ever built).
    let deep = format!(
        "<Tagging>{}{}</Tagging>",
        "<a>".repeat(5000),
        "</a>".repeat(5000)
    );
    let r = c
        .send(
            c.call(Method::PUT, Some("bkt"), Some("k"))
                .query("tagging")
                .body(deep),
        )
        .await;
    assert_eq!(r.code(), "MalformedXML");

    // CompleteMultipartUpload over 2 MiB: 400 EntityTooLarge.
    let r = c
        .send(
            c.call(Method::POST, Some("bkt"), Some("mp"))
                .query("uploads"),
        )
        .await;
    let upload_id = between(&r.text(), "<UploadId>", "</UploadId>").unwrap();
    let r = c
        .send(
            c.call(Method::POST, Some("bkt"), Some("mp"))
                .query(&format!("uploadId={upload_id}"))
                .body(vec![b' '; 2 * 1024 * 1024 + 1]),
        )
        .await;
    assert_eq!(r.code(), "EntityTooLarge");
}

#[tokio::test]
async fn object_size_cap() {
    let (_emu, c) = start(Emulator::builder().max_object_size(1000)).await;
    c.create_bucket("bkt").await;
    assert_eq!(
        c.put("bkt", "k", vec![0u8; 1000]).await.status,
        StatusCode::OK
    );
    let r = c.put("bkt", "k", vec![0u8; 1001]).await;
    assert_eq!(r.code(), "EntityTooLarge");
}

// ---------------------------------------------------------------- raw-socket faults

/// A raw HTTP/1.1 exchange on one socket: the response head and whatever body arrived.
struct RawAnswer {
    head: String,
    body: Vec<u8>,
    /// How the reading ended: `Ok(true)` end of stream, `Ok(false)` still open when the
    /// wait ran out, `Err(kind)` an error.
    ended: Result<bool, std::io::ErrorKind>,
}

impl RawAnswer {
    fn status(&self) -> u16 {
        self.head
            .split(' ')
            .nth(1)
            .unwrap_or("0")
            .parse()
            .unwrap_or(0)
    }

    fn content_length(&self) -> usize {
        self.head
            .lines()
            .find_map(|l| {
                let (n, v) = l.split_once(':')?;
                n.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse().ok())?
            })
            .unwrap_or(0)
    }
}

/// Reads from `sock` until end of stream, an error, `want` body bytes, or `wait` of silence
/// (tokio time: with paused time the wait passes as soon as everything is idle).
async fn read_answer(
    sock: &mut tokio::net::TcpStream,
    want: Option<usize>,
    wait: Duration,
) -> RawAnswer {
    use tokio::io::AsyncReadExt as _;
    let mut buf = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    let ended = loop {
        if let Some(want) = want {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                if buf.len() - (i + 4) >= want {
                    break Ok(false);
                }
            }
        }
        match tokio::time::timeout(wait, sock.read(&mut chunk)).await {
            Err(_) => break Ok(false),
            Ok(Ok(0)) => break Ok(true),
            Ok(Ok(n)) => buf.extend_from_slice(&chunk[..n]),
            Ok(Err(e)) => break Err(e.kind()),
        }
    };
    let (head, body) = match buf.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(i) => (
            String::from_utf8_lossy(&buf[..i]).into_owned(),
            buf[i + 4..].to_vec(),
        ),
        None => (String::from_utf8_lossy(&buf).into_owned(), Vec::new()),
    };
    RawAnswer { head, body, ended }
}

async fn connect_and_send(c: &Client2, call: &common::Call) -> tokio::net::TcpStream {
    use tokio::io::AsyncWriteExt as _;
    let mut sock = tokio::net::TcpStream::connect(c.addr()).await.unwrap();
    sock.write_all(&c.raw(call)).await.unwrap();
    sock
}

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 251) as u8).collect()
}

const LONG: Duration = Duration::from_secs(3600);

#[tokio::test(start_paused = true)]
async fn stall_sends_part_of_the_answer_then_nothing_and_keeps_the_socket_open() {
    let (emu, c) = start(Emulator::builder()).await;
    c.create_bucket("bkt").await;
    let data = pattern(1000);
    assert_eq!(c.put("bkt", "k", data.clone()).await.status, StatusCode::OK);

    // `stall`: headers (real Content-Length) and the first half of the body.
    emu.set_faults("get:nth=1:stall,get:nth=2:stall=10,get:nth=3:stall=5000")
        .unwrap();
    let get = c.call(Method::GET, Some("bkt"), Some("k"));
    let mut half = connect_and_send(&c, &get).await;
    let a = read_answer(&mut half, None, LONG).await;
    assert_eq!(a.status(), 200, "{}", a.head);
    assert_eq!(a.content_length(), 1000);
    assert_eq!(a.body, &data[..500]);
    assert_eq!(a.ended, Ok(false), "the socket stays open");
    // `stall=BYTES`: that many bytes; more than the body: all but the last byte.
    let mut ten = connect_and_send(&c, &get).await;
    let a = read_answer(&mut ten, None, LONG).await;
    assert_eq!((a.status(), a.body.as_slice()), (200, &data[..10]));
    assert_eq!(a.ended, Ok(false));
    let mut most = connect_and_send(&c, &get).await;
    let a = read_answer(&mut most, None, LONG).await;
    assert_eq!(a.body, &data[..999]);
    assert_eq!(a.ended, Ok(false));

    // A write without an answer body: applied, then nothing at all.
    emu.set_faults("delete:always:stall").unwrap();
    let mut del = connect_and_send(&c, &c.call(Method::DELETE, Some("bkt"), Some("k"))).await;
    let a = read_answer(&mut del, None, LONG).await;
    assert_eq!((a.head.as_str(), a.ended), ("", Ok(false)));
    emu.clear_faults();
    assert_eq!(
        c.get("bkt", "k").await.status,
        StatusCode::NOT_FOUND,
        "applied"
    );
    assert!(emu.injected_faults() >= 4);

    // Shutdown ends every stalled exchange.
    emu.shutdown().await;
    for sock in [&mut half, &mut ten, &mut most, &mut del] {
        let a = read_answer(sock, None, LONG).await;
        assert_ne!(a.ended, Ok(false), "closed by shutdown");
    }
}

#[tokio::test(start_paused = true)]
async fn stall_on_an_upload_reads_part_of_the_body_and_never_answers() {
    let (emu, c) = start(Emulator::builder()).await;
    c.create_bucket("bkt").await;
    emu.set_faults("put:always:stall=100").unwrap();
    let put = c
        .call(Method::PUT, Some("bkt"), Some("up"))
        .body(pattern(4096));
    let mut sock = connect_and_send(&c, &put).await;
    let a = read_answer(&mut sock, None, LONG).await;
    assert_eq!(
        (a.head.as_str(), a.ended),
        ("", Ok(false)),
        "no answer, still open"
    );
    emu.clear_faults();
    assert_eq!(
        c.get("bkt", "up").await.status,
        StatusCode::NOT_FOUND,
        "not applied"
    );
    // The client going away ends the stall at the latest at shutdown.
    drop(sock);
    emu.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn slow_delivers_every_byte_at_the_given_rate() {
    let (emu, c) = start(Emulator::builder()).await;
    c.create_bucket("bkt").await;
    let data = pattern(10_000);
    assert_eq!(c.put("bkt", "k", data.clone()).await.status, StatusCode::OK);

    emu.set_faults("get:always:slow=1000").unwrap();
    let t0 = tokio::time::Instant::now();
    let r = c.get("bkt", "k").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(&r.bytes()[..], &data[..], "every byte, in order");
    // 10 000 bytes at 1000 B/s: at least 10 s of (paused, virtual) tokio time.
    assert!(
        t0.elapsed() >= Duration::from_secs(10),
        "{:?}",
        t0.elapsed()
    );

    // Uploads are read at the rate too, and stored whole.
    emu.set_faults("put:always:slow=2000").unwrap();
    let t0 = tokio::time::Instant::now();
    assert_eq!(
        c.put("bkt", "up", data.clone()).await.status,
        StatusCode::OK
    );
    assert!(t0.elapsed() >= Duration::from_secs(5), "{:?}", t0.elapsed());
    emu.clear_faults();
    assert_eq!(&c.get("bkt", "up").await.bytes()[..], &data[..]);
}

#[tokio::test]
async fn rst_resets_the_connection_and_reset_closes_it_cleanly() {
    let (emu, c) = start(Emulator::builder()).await;
    c.create_bucket("bkt").await;
    let data = pattern(200_000);
    assert_eq!(c.put("bkt", "k", data.clone()).await.status, StatusCode::OK);
    let get = c.call(Method::GET, Some("bkt"), Some("k"));

    // rst: before any byte, a TCP reset.
    emu.set_faults("get:always:rst").unwrap();
    let mut sock = connect_and_send(&c, &get).await;
    let a = read_answer(&mut sock, None, LONG).await;
    assert_eq!(a.head, "");
    assert_eq!(a.ended, Err(std::io::ErrorKind::ConnectionReset));

    // reset: the same moment, a clean close.
    emu.set_faults("get:always:reset").unwrap();
    let mut sock = connect_and_send(&c, &get).await;
    let a = read_answer(&mut sock, None, LONG).await;
    assert_eq!((a.head.as_str(), a.ended), ("", Ok(true)));

    // rst-body: the headers and (at most) half the body, then a reset.
    emu.set_faults("get:always:rst-body").unwrap();
    let mut sock = connect_and_send(&c, &get).await;
    let a = read_answer(&mut sock, None, LONG).await;
    assert_eq!(a.status(), 200, "{}", a.head);
    assert_eq!(a.content_length(), data.len());
    assert!(a.body.len() <= data.len() / 2, "{}", a.body.len());
    assert_eq!(a.body, &data[..a.body.len()]);
    assert_eq!(a.ended, Err(std::io::ErrorKind::ConnectionReset));

    // Through an HTTP client: an error, and the object is still there.
    let r = c.try_send(get.clone()).await;
    match r {
        Err(_) => {}
        Ok(reply) => assert!(reply.body.is_err(), "the body must fail"),
    }
    emu.clear_faults();
    assert_eq!(&c.get("bkt", "k").await.bytes()[..], &data[..]);
}

#[tokio::test]
async fn commit_reset_and_commit_503_apply_the_write_and_lose_the_answer() {
    let (emu, c) = start(Emulator::builder()).await;
    c.create_bucket("bkt").await;

    // PutObject: no answer, but stored.
    emu.set_faults("put:always:commit-reset").unwrap();
    assert!(
        c.try_send(c.call(Method::PUT, Some("bkt"), Some("a")).body("one"))
            .await
            .is_err()
    );
    emu.clear_faults();
    assert_eq!(&c.get("bkt", "a").await.bytes()[..], b"one");

    // PutObject: 503, but stored.
    emu.set_faults("put:always:commit-503").unwrap();
    let r = c.put("bkt", "b", "two").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.code(), "ServiceUnavailable");
    emu.clear_faults();
    assert_eq!(&c.get("bkt", "b").await.bytes()[..], b"two");

    // AppendObject: the position moved although the answer was lost.
    emu.set_faults("append:always:commit-reset").unwrap();
    let append = |pos: u64, body: &'static str| {
        c.call(Method::POST, Some("bkt"), Some("log"))
            .query(&format!("append&position={pos}"))
            .body(body)
    };
    assert!(c.try_send(append(0, "abc")).await.is_err());
    emu.clear_faults();
    let r = c.send(append(0, "abc")).await;
    assert_eq!(r.code(), "PositionNotEqualToLength", "{}", r.text());
    assert_eq!(&c.get("bkt", "log").await.bytes()[..], b"abc");

    // CopyObject and CompleteMultipartUpload.
    emu.set_faults("copy|complete:always:commit-503").unwrap();
    let r = c
        .send(
            c.call(Method::PUT, Some("bkt"), Some("copied"))
                .header("x-oss-copy-source", "/bkt/a"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    let r = c
        .send(
            c.call(Method::POST, Some("bkt"), Some("mp"))
                .query("uploads"),
        )
        .await;
    let upload = between(&r.text(), "<UploadId>", "</UploadId>").unwrap();
    let r = c
        .send(
            c.call(Method::PUT, Some("bkt"), Some("mp"))
                .query(&format!("partNumber=1&uploadId={upload}"))
                .body("part"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = c
        .send(
            c.call(Method::POST, Some("bkt"), Some("mp"))
                .query(&format!("uploadId={upload}"))
                .header("x-oss-complete-all", "yes"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    emu.clear_faults();
    assert_eq!(&c.get("bkt", "copied").await.bytes()[..], b"one");
    assert_eq!(&c.get("bkt", "mp").await.bytes()[..], b"part");
    let r = c
        .send(
            c.call(Method::GET, Some("bkt"), Some("mp"))
                .query(&format!("uploadId={upload}")),
        )
        .await;
    assert_eq!(r.code(), "NoSuchUpload", "the upload was completed");
}

#[tokio::test(start_paused = true)]
async fn the_idle_timer_closes_an_idle_keep_alive_connection() {
    use tokio::io::AsyncWriteExt as _;
    let (emu, c) =
        start(Emulator::builder().idle_connection_timeout(Duration::from_secs(60))).await;
    c.create_bucket("bkt").await;
    assert_eq!(c.put("bkt", "k", "v").await.status, StatusCode::OK);
    let get = c.call(Method::GET, Some("bkt"), Some("k"));
    let mut sock = connect_and_send(&c, &get).await;
    let a = read_answer(&mut sock, Some(1), LONG).await;
    assert_eq!((a.status(), a.body.as_slice()), (200, &b"v"[..]));
    let answered = tokio::time::Instant::now();

    // Within the idle window the connection is reused.
    tokio::time::sleep(Duration::from_secs(45)).await;
    sock.write_all(&c.raw(&get)).await.unwrap();
    let a = read_answer(&mut sock, Some(1), LONG).await;
    assert_eq!(a.status(), 200, "kept alive: {}", a.head);
    let answered_again = tokio::time::Instant::now();
    assert!(answered_again - answered >= Duration::from_secs(45));

    // Then, idle: closed once the timer runs out (not before).
    let a = read_answer(&mut sock, None, LONG).await;
    assert_eq!((a.head.as_str(), a.ended), ("", Ok(true)), "closed");
    assert!(answered_again.elapsed() >= Duration::from_secs(60));

    // A connection that never sends anything is closed too.
    let mut silent = tokio::net::TcpStream::connect(c.addr()).await.unwrap();
    let opened = tokio::time::Instant::now();
    let a = read_answer(&mut silent, None, LONG).await;
    assert_eq!(a.ended, Ok(true));
    assert!(opened.elapsed() >= Duration::from_secs(60));
    emu.shutdown().await;

    // Duration::ZERO turns the timer off.
    let (emu, c) = start(
        Emulator::builder()
            .idle_connection_timeout(Duration::ZERO)
            .header_read_timeout(Duration::ZERO),
    )
    .await;
    let mut sock = tokio::net::TcpStream::connect(c.addr()).await.unwrap();
    let a = read_answer(&mut sock, None, Duration::from_secs(24 * 3600)).await;
    assert_eq!(a.ended, Ok(false), "still open after a day");
    emu.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn the_header_read_timeout_closes_a_connection_with_a_partial_head() {
    use tokio::io::AsyncWriteExt as _;
    let (emu, c) = start(
        Emulator::builder()
            .idle_connection_timeout(Duration::from_secs(3600))
            .header_read_timeout(Duration::from_secs(30)),
    )
    .await;
    let mut sock = tokio::net::TcpStream::connect(c.addr()).await.unwrap();
    sock.write_all(b"GET / HTTP/1.1\r\nhost: 127.0.0.1\r\nx-partial: ")
        .await
        .unwrap();
    let started = tokio::time::Instant::now();
    let a = read_answer(&mut sock, None, LONG).await;
    assert_ne!(a.ended, Ok(false), "closed");
    assert!(started.elapsed() >= Duration::from_secs(30));
    assert!(
        started.elapsed() < Duration::from_secs(3600),
        "by the header timer"
    );
    emu.shutdown().await;
}
