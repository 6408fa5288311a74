//! The durable store (`data_dir` / `--data-dir`): restart without a graceful shutdown,
//! `kill -9` of the binary during a stream of PUTs, multipart state, path safety.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use common::{Client2, between};
use http::{Method, StatusCode};
use md5::{Digest as _, Md5};
use oss_emulator::{Emulator, EmulatorHandle};

async fn start(dir: &Path) -> (EmulatorHandle, Client2) {
    let emu = Emulator::builder().data_dir(dir).start().await.unwrap();
    let c = Client2::for_emulator(&emu);
    (emu, c)
}

fn keys_of(xml: &str) -> Vec<String> {
    xml.split("<Key>")
        .skip(1)
        .map(|s| s.split("</Key>").next().unwrap().to_owned())
        .collect()
}

/// Every file under `dir`, relative.
fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                out.push(
                    e.path()
                        .strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    out.sort();
    out
}

#[tokio::test]
async fn everything_survives_a_restart_without_graceful_shutdown() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let big: Bytes = (0..300_000u32).map(|i| (i * 7 % 256) as u8).collect();
    let mut upload_id = String::new();
    {
        let (emu, c) = start(&dir).await;
        c.create_bucket("bkt").await;
        let r = c
            .send(
                c.call(Method::PUT, Some("bkt"), Some("meta.txt"))
                    .header("content-type", "text/plain")
                    .header("x-oss-meta-colour", "blue")
                    .header("cache-control", "no-cache")
                    .header("x-oss-tagging", "a=1&b=2")
                    .body("hello"),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        c.put("bkt", "empty", Bytes::new()).await;
        c.put("bkt", "big", big.clone()).await;
        c.put("bkt", "replaced", "old").await;
        c.put("bkt", "replaced", "new").await;
        c.put("bkt", "gone", "x").await;
        c.send(c.call(Method::DELETE, Some("bkt"), Some("gone")))
            .await;
        for chunk in ["ab", "cd"] {
            let pos = if chunk == "ab" { 0 } else { 2 };
            let r = c
                .send(
                    c.call(Method::POST, Some("bkt"), Some("log"))
                        .query(&format!("append&position={pos}"))
                        .body(chunk),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        }
        let r = c
            .send(
                c.call(Method::PUT, Some("bkt"), Some("link"))
                    .query("symlink")
                    .header("x-oss-symlink-target", "meta.txt"),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        c.send(
            c.call(Method::PUT, Some("bkt"), Some("meta.txt"))
                .query("acl")
                .header("x-oss-object-acl", "public-read"),
        )
        .await;

        // A completed multipart upload and one in progress.
        for (key, complete) in [("done.bin", true), ("open.bin", false)] {
            let r = c
                .send(
                    c.call(Method::POST, Some("bkt"), Some(key))
                        .query("uploads"),
                )
                .await;
            let id = between(&r.text(), "<UploadId>", "</UploadId>").unwrap();
            let mut etags = Vec::new();
            for n in 1..=2 {
                let part = big.slice((n - 1) * 150_000..n * 150_000);
                let r = c
                    .send(
                        c.call(Method::PUT, Some("bkt"), Some(key))
                            .query(&format!("partNumber={n}&uploadId={id}"))
                            .body(part),
                    )
                    .await;
                assert_eq!(r.status, StatusCode::OK);
                etags.push(r.headers["etag"].to_str().unwrap().to_owned());
            }
            if complete {
                let xml = format!(
                    "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{}</ETag></Part><Part><PartNumber>2</PartNumber><ETag>{}</ETag></Part></CompleteMultipartUpload>",
                    etags[0], etags[1]
                );
                let r = c
                    .send(
                        c.call(Method::POST, Some("bkt"), Some(key))
                            .query(&format!("uploadId={id}"))
                            .body(xml),
                    )
                    .await;
                assert_eq!(r.status, StatusCode::OK, "{}", r.text());
            } else {
                upload_id = id;
            }
        }

        // A versioned bucket with two versions and a delete marker.
        c.create_bucket("ver").await;
        let r = c
            .send(
                c.call(Method::PUT, Some("ver"), None)
                    .query("versioning")
                    .body("<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>"),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        c.put("ver", "k", "v1").await;
        c.put("ver", "k", "v2").await;
        c.send(c.call(Method::DELETE, Some("ver"), Some("k"))).await;
        c.create_bucket("dropped").await;
        c.send(c.call(Method::DELETE, Some("dropped"), None)).await;
        // No graceful shutdown: the handle is dropped as a crash would leave it.
        drop(emu);
    }

    let (_emu, c) = start(&dir).await;
    let r = c.send(c.call(Method::GET, None, None)).await;
    let names: Vec<String> = r
        .text()
        .split("<Name>")
        .skip(1)
        .map(|s| s.split("</Name>").next().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["bkt", "ver"]);

    let r = c
        .send(c.call(Method::GET, Some("bkt"), None).query("list-type=2"))
        .await;
    assert_eq!(
        keys_of(&r.text()),
        [
            "big", "done.bin", "empty", "link", "log", "meta.txt", "replaced"
        ]
    );
    let r = c.get("bkt", "meta.txt").await;
    assert_eq!(&r.bytes()[..], b"hello");
    assert_eq!(r.headers["content-type"], "text/plain");
    assert_eq!(r.headers["x-oss-meta-colour"], "blue");
    assert_eq!(r.headers["cache-control"], "no-cache");
    assert_eq!(r.headers["x-oss-tagging-count"], "2");
    assert_eq!(
        r.headers["etag"],
        format!("\"{:X}\"", Md5::digest(b"hello")).as_str()
    );
    let r = c
        .send(
            c.call(Method::GET, Some("bkt"), Some("meta.txt"))
                .query("acl"),
        )
        .await;
    assert!(r.text().contains("public-read"), "{}", r.text());
    assert_eq!(c.get("bkt", "empty").await.bytes().len(), 0);
    assert_eq!(c.get("bkt", "big").await.bytes(), big);
    assert_eq!(&c.get("bkt", "replaced").await.bytes()[..], b"new");
    assert_eq!(c.get("bkt", "gone").await.code(), "NoSuchKey");
    let r = c.get("bkt", "log").await;
    assert_eq!(&r.bytes()[..], b"abcd");
    assert_eq!(r.headers["x-oss-object-type"], "Appendable");
    let r = c
        .send(
            c.call(Method::POST, Some("bkt"), Some("log"))
                .query("append&position=4")
                .body("ef"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "appends continue after a restart");
    assert_eq!(&c.get("bkt", "link").await.bytes()[..], b"hello");
    let r = c.get("bkt", "done.bin").await;
    assert_eq!(r.bytes(), big);
    assert_eq!(r.headers["x-oss-object-type"], "Multipart");
    assert!(r.headers["etag"].to_str().unwrap().ends_with("-2\""));

    // The open upload kept its parts and can be completed now.
    let r = c
        .send(c.call(Method::GET, Some("bkt"), None).query("uploads"))
        .await;
    assert_eq!(keys_of(&r.text()), ["open.bin"]);
    assert!(r.text().contains(&upload_id));
    let r = c
        .send(
            c.call(Method::GET, Some("bkt"), Some("open.bin"))
                .query(&format!("uploadId={upload_id}")),
        )
        .await;
    assert_eq!(r.text().matches("<Part>").count(), 2, "{}", r.text());
    let r = c
        .send(
            c.call(Method::POST, Some("bkt"), Some("open.bin"))
                .query(&format!("uploadId={upload_id}"))
                .header("x-oss-complete-all", "yes"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(c.get("bkt", "open.bin").await.bytes(), big);

    // Versions and the delete marker.
    assert_eq!(c.get("ver", "k").await.code(), "NoSuchKey");
    let r = c
        .send(c.call(Method::GET, Some("ver"), None).query("versions"))
        .await;
    let text = r.text();
    assert_eq!(text.matches("<Version>").count(), 2, "{text}");
    assert_eq!(text.matches("<DeleteMarker>").count(), 1, "{text}");
    assert!(text.contains("<Status>") || !text.is_empty());
    let r = c
        .send(c.call(Method::GET, Some("ver"), None).query("versioning"))
        .await;
    assert!(r.text().contains("Enabled"));

    // Nothing left in staging; every file has a name the store chose.
    assert!(files(&dir.join("tmp")).is_empty());
    for f in files(&dir) {
        assert!(
            f.ends_with("bucket.json")
                || f.ends_with(".meta")
                || f.ends_with(".data")
                || f.ends_with(".upload")
                || f.ends_with(".part"),
            "{f}"
        );
    }
}

#[tokio::test]
async fn keys_never_become_paths() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let keys = [
        "../x",
        "a/../../b",
        "..",
        "../../../../../../../../tmp/escape",
        "./.",
        "C:\\Windows\\system32",
        "a\u{0}b",
        "%2e%2e%2f",
        "dir/../../bucket.json",
        "x/./y//z",
    ];
    {
        let (_emu, c) = start(&dir).await;
        c.create_bucket("bkt").await;
        for k in keys {
            let r = c.put("bkt", k, format!("body of {k}")).await;
            assert_eq!(r.status, StatusCode::OK, "{k:?}: {}", r.text());
        }
        for k in ["/abs", "\\abs"] {
            let r = c.put("bkt", k, "x").await;
            assert_eq!(r.code(), "InvalidObjectName", "{k:?}");
        }
    }
    // Nothing was created next to the data directory.
    let siblings: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(siblings, [std::ffi::OsString::from("data")]);
    for f in files(&dir) {
        let name = Path::new(&f).file_name().unwrap().to_str().unwrap();
        let ok = name == "bucket.json"
            || name
                .strip_suffix(".meta")
                .or(name.strip_suffix(".data"))
                .is_some_and(|s| s.len() == 16 && s.bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(ok, "unexpected file {f}");
    }
    let (_emu, c) = start(&dir).await;
    for k in keys {
        let r = c.get("bkt", k).await;
        assert_eq!(r.text(), format!("body of {k}"), "{k:?}");
    }
    let r = c
        .send(
            c.call(Method::GET, Some("bkt"), None)
                .query("list-type=2&encoding-type=url"),
        )
        .await;
    let mut expected: Vec<String> = keys.iter().map(|k| (*k).to_owned()).collect();
    expected.sort();
    let listed: Vec<String> = keys_of(&r.text())
        .iter()
        .map(|k| {
            percent_encoding::percent_decode_str(k)
                .decode_utf8()
                .unwrap()
                .into_owned()
        })
        .collect();
    assert_eq!(listed, expected);
}

#[tokio::test]
async fn leftovers_of_interrupted_writes_are_cleaned_at_start() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    {
        let (_emu, c) = start(&dir).await;
        c.create_bucket("bkt").await;
        c.put("bkt", "k", "kept").await;
    }
    let objects = dir.join("buckets/bkt/objects");
    std::fs::write(dir.join("tmp/123-0.tmp"), b"half a write").unwrap();
    std::fs::write(objects.join("00000000000fffff.data"), b"uncommitted").unwrap();
    std::fs::create_dir_all(dir.join("buckets/ghost/objects")).unwrap();
    std::fs::write(
        dir.join("buckets/bkt/uploads/0123456789ABCDEF0123456789ABCDEF.00001.part"),
        b"{}\nx",
    )
    .unwrap();
    std::fs::write(
        dir.join(
            "buckets/bkt/uploads/0123456789ABCDEF0123456789ABCDEF.00001.00000000000000aa.data",
        ),
        b"part data no .part names",
    )
    .unwrap();
    let (_emu, c) = start(&dir).await;
    assert_eq!(&c.get("bkt", "k").await.bytes()[..], b"kept");
    assert!(files(&dir.join("tmp")).is_empty());
    assert!(!objects.join("00000000000fffff.data").exists());
    assert!(!dir.join("buckets/ghost").exists());
    assert!(files(&dir.join("buckets/bkt/uploads")).is_empty());
    let r = c.send(c.call(Method::GET, None, None)).await;
    assert!(!r.text().contains("ghost"));
    // New writes do not collide with what was loaded.
    c.put("bkt", "k2", "new").await;
    assert_eq!(&c.get("bkt", "k").await.bytes()[..], b"kept");
}

/// A part written by an emulator before parts had their own data file (JSON line, then the
/// bytes in the `.part` file) still loads and completes.
#[tokio::test]
async fn parts_in_the_older_single_file_format_still_load() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let upload_id = {
        let (_emu, c) = start(&dir).await;
        c.create_bucket("bkt").await;
        let r = c
            .send(
                c.call(Method::POST, Some("bkt"), Some("old"))
                    .query("uploads"),
            )
            .await;
        between(&r.text(), "<UploadId>", "</UploadId>").unwrap()
    };
    let md5: [u8; 16] = Md5::digest(b"old bytes").into();
    let md5_hex: String = md5.iter().map(|b| format!("{b:02X}")).collect();
    let line = format!(
        r#"{{"number":1,"etag":"\"{md5_hex}\"","md5":"{md5_hex}","crc64":{},"size":9,"last_modified":{{"secs":1700000000,"nanos":0}}}}"#,
        crc64(b"old bytes")
    );
    let mut part = line.into_bytes();
    part.extend_from_slice(b"\nold bytes");
    std::fs::write(
        dir.join(format!("buckets/bkt/uploads/{upload_id}.00001.part")),
        part,
    )
    .unwrap();
    let (_emu, c) = start(&dir).await;
    let r = c
        .send(
            c.call(Method::POST, Some("bkt"), Some("old"))
                .query(&format!("uploadId={upload_id}"))
                .body(format!(
                    "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"{md5_hex}\"</ETag></Part></CompleteMultipartUpload>"
                )),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(&c.get("bkt", "old").await.bytes()[..], b"old bytes");
}

fn crc64(data: &[u8]) -> u64 {
    let mut digest = crc64fast::Digest::new();
    digest.write(data);
    digest.sum64()
}

/// The emulator binary, killed when dropped.
struct Bin {
    child: Child,
    endpoint: String,
}

impl Bin {
    fn start(dir: &Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_oss-emulator"))
            .arg("--data-dir")
            .arg(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let endpoint = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("{line:?}"))
            .to_owned();
        Self { child, endpoint }
    }

    fn client(&self) -> Client2 {
        Client2::new(
            &self.endpoint,
            oss_emulator::DEFAULT_REGION,
            oss_emulator::DEFAULT_ACCESS_KEY_ID,
            oss_emulator::DEFAULT_ACCESS_KEY_SECRET,
        )
    }

    /// SIGKILL, then reap.
    fn kill9(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Bin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The body written to `key`: its size varies, its bytes depend on the key.
fn body_for(key: &str, i: usize) -> Bytes {
    let len = 1 + (i * 37_123) % (512 * 1024);
    let seed = key
        .bytes()
        .fold(0u8, |a, b| a.wrapping_mul(31).wrapping_add(b));
    (0..len).map(|j| seed.wrapping_add(j as u8)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_puts_loses_no_acknowledged_write_and_shows_no_partial_one() {
    let tmp = tempfile::tempdir().unwrap();
    let dir: PathBuf = tmp.path().to_path_buf();
    let mut bin = Bin::start(&dir);
    let c = bin.client();
    c.create_bucket("crash").await;

    const WRITERS: usize = 4;
    const KILL_AFTER: usize = 40;
    let acked = Arc::new(AtomicUsize::new(0));
    let enough = Arc::new(tokio::sync::Notify::new());
    let mut tasks = Vec::new();
    for w in 0..WRITERS {
        let c = c.clone();
        let acked = Arc::clone(&acked);
        let enough = Arc::clone(&enough);
        tasks.push(tokio::spawn(async move {
            let mut mine = BTreeMap::new();
            // Bounded: the server is killed long before.
            for i in 0..10_000 {
                let key = format!("w{w}/{i:05}");
                let body = body_for(&key, i + w);
                match c
                    .try_send(
                        c.call(Method::PUT, Some("crash"), Some(&key))
                            .body(body.clone()),
                    )
                    .await
                {
                    Ok(r) if r.status == StatusCode::OK => {
                        mine.insert(key, body);
                        if acked.fetch_add(1, Ordering::SeqCst) + 1 == KILL_AFTER {
                            enough.notify_one();
                        }
                    }
                    _ => break,
                }
            }
            mine
        }));
    }
    enough.notified().await;
    bin.kill9();
    let mut acknowledged = BTreeMap::new();
    for t in tasks {
        acknowledged.extend(t.await.unwrap());
    }
    assert!(acknowledged.len() >= KILL_AFTER);

    let bin = Bin::start(&dir);
    let c = bin.client();
    for (key, body) in &acknowledged {
        let r = c.get("crash", key).await;
        assert_eq!(r.status, StatusCode::OK, "acknowledged {key} lost");
        assert_eq!(&r.bytes(), body, "acknowledged {key} damaged");
    }
    // Whatever else is listed (writes in flight at the kill) is complete.
    let mut listed = Vec::new();
    let mut token = String::new();
    for _ in 0..100 {
        let mut q = "list-type=2&max-keys=1000".to_owned();
        if !token.is_empty() {
            q.push_str(&format!("&continuation-token={token}"));
        }
        let r = c
            .send(c.call(Method::GET, Some("crash"), None).query(&q))
            .await;
        let text = r.text();
        listed.extend(keys_of(&text));
        match between(&text, "<NextContinuationToken>", "</NextContinuationToken>") {
            Some(t) => token = t,
            None => break,
        }
    }
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(listed, sorted, "listing is sorted by key");
    assert!(listed.len() >= acknowledged.len());
    for key in &listed {
        let (w, i) = key.split_once('/').unwrap();
        let i: usize = i.parse().unwrap();
        let w: usize = w[1..].parse().unwrap();
        let r = c.get("crash", key).await;
        assert_eq!(
            r.bytes(),
            body_for(key, i + w),
            "partial object {key} visible"
        );
    }
    assert!(files(&dir.join("tmp")).is_empty());
}

/// Bytes of the large bodies: chunk `i` of a body is a fixed pseudo-random MiB whose first
/// eight bytes are `i`, so a chunk out of place changes the MD5.
struct Chunks {
    base: Vec<u8>,
}

const MIB: u64 = 1024 * 1024;

impl Chunks {
    fn new() -> Self {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let base = (0..MIB)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        Self { base }
    }

    fn chunk(&self, i: u64) -> Vec<u8> {
        let mut c = self.base.clone();
        c[..8].copy_from_slice(&i.to_be_bytes());
        c
    }
}

/// Sends a signed request whose body is chunks `first..first + count` over a raw
/// connection (the body is never whole in memory); returns the status and the ETag.
async fn put_chunks(
    c: &Client2,
    call: common::Call,
    chunks: &Chunks,
    first: u64,
    count: u64,
) -> (StatusCode, String, [u8; 16]) {
    use tokio::io::AsyncWriteExt as _;
    let call = call.header("content-length", &(count * MIB).to_string());
    let head = c.raw(&call);
    let mut conn = tokio::net::TcpStream::connect(c.addr()).await.unwrap();
    conn.write_all(&head).await.unwrap();
    let mut md5 = Md5::new();
    for i in first..first + count {
        let chunk = chunks.chunk(i);
        md5.update(&chunk);
        conn.write_all(&chunk).await.unwrap();
    }
    let (status, headers, _) = read_head(&mut conn).await;
    let etag = headers.get("etag").cloned().unwrap_or_default();
    (status, etag, md5.finalize().into())
}

/// Reads a response head: status, lower-case headers, and the body bytes read past it.
async fn read_head(
    conn: &mut tokio::net::TcpStream,
) -> (StatusCode, BTreeMap<String, String>, Vec<u8>) {
    use tokio::io::AsyncReadExt as _;
    let mut buf = Vec::new();
    let mut piece = [0u8; 4096];
    let end = loop {
        let n = conn.read(&mut piece).await.unwrap();
        assert!(n > 0, "connection closed before the response head");
        buf.extend_from_slice(&piece[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
    };
    let head = String::from_utf8(buf[..end].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap().split(' ').nth(1).unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (
        StatusCode::from_u16(status.parse().unwrap()).unwrap(),
        headers,
        buf[end + 4..].to_vec(),
    )
}

/// GETs `key` (with `range`, when given) over a raw connection, hashing the body as it
/// arrives: status, body length, MD5.
async fn get_md5(c: &Client2, key: &str, range: Option<&str>) -> (StatusCode, u64, [u8; 16]) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut call = c.call(Method::GET, Some("big"), Some(key));
    if let Some(range) = range {
        call = call.header("range", range);
    }
    let mut conn = tokio::net::TcpStream::connect(c.addr()).await.unwrap();
    conn.write_all(&c.raw(&call)).await.unwrap();
    let (status, headers, first) = read_head(&mut conn).await;
    let length: u64 = headers["content-length"].parse().unwrap();
    let mut md5 = Md5::new();
    md5.update(&first);
    let mut read = first.len() as u64;
    let mut buf = vec![0u8; 256 * 1024];
    while read < length {
        let n = conn.read(&mut buf).await.unwrap();
        assert!(n > 0, "body cut at {read} of {length}");
        md5.update(&buf[..n]);
        read += n as u64;
    }
    (status, read, md5.finalize().into())
}

/// The emulator's peak resident memory (`VmHWM` in `/proc/<pid>/status`), in bytes.
fn peak_rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .expect("VmHWM in /proc/<pid>/status");
    let kib: u64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .unwrap();
    kib * 1024
}

/// With `--data-dir`, bodies go to disk as they arrive and are read back from the files:
/// 3 GiB through PutObject and a two-part multipart upload, read back whole and by range,
/// leave the emulator's peak resident memory under 256 MiB.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gigabytes_through_the_data_directory_keep_memory_flat() {
    const PUT_MIB: u64 = 2048;
    const PART_MIB: u64 = 512;
    let tmp = tempfile::tempdir().unwrap();
    let bin = Bin::start(tmp.path());
    let c = bin.client();
    c.create_bucket("big").await;
    let chunks = Chunks::new();

    let put = c.call(Method::PUT, Some("big"), Some("put"));
    let (status, etag, put_md5) = put_chunks(&c, put, &chunks, 0, PUT_MIB).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(etag, format!("\"{}\"", hex_upper(&put_md5)));

    let r = c
        .send(
            c.call(Method::POST, Some("big"), Some("multi"))
                .query("uploads"),
        )
        .await;
    let upload_id = between(&r.text(), "<UploadId>", "</UploadId>").unwrap();
    let mut parts_xml = String::new();
    let mut whole = Md5::new();
    for n in 0..2u64 {
        let call = c
            .call(Method::PUT, Some("big"), Some("multi"))
            .query(&format!("partNumber={}&uploadId={upload_id}", n + 1));
        let (status, etag, _) = put_chunks(&c, call, &chunks, n * PART_MIB, PART_MIB).await;
        assert_eq!(status, StatusCode::OK);
        parts_xml.push_str(&format!(
            "<Part><PartNumber>{}</PartNumber><ETag>{etag}</ETag></Part>",
            n + 1
        ));
    }
    for i in 0..2 * PART_MIB {
        whole.update(chunks.chunk(i));
    }
    let r = c
        .send(
            c.call(Method::POST, Some("big"), Some("multi"))
                .query(&format!("uploadId={upload_id}"))
                .body(format!(
                    "<CompleteMultipartUpload>{parts_xml}</CompleteMultipartUpload>"
                )),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());

    let (status, len, md5) = get_md5(&c, "put", None).await;
    assert_eq!((status, len, md5), (StatusCode::OK, PUT_MIB * MIB, put_md5));
    let (status, len, md5) = get_md5(&c, "multi", None).await;
    let whole: [u8; 16] = whole.finalize().into();
    assert_eq!(
        (status, len, md5),
        (StatusCode::OK, 2 * PART_MIB * MIB, whole)
    );
    // A range across the boundary of chunks 700 and 701.
    let start = 701 * MIB - 4;
    let (status, len, md5) =
        get_md5(&c, "put", Some(&format!("bytes={start}-{}", start + 11))).await;
    let mut expected = chunks.chunk(700)[(MIB - 4) as usize..].to_vec();
    expected.extend_from_slice(&chunks.chunk(701)[..8]);
    let expected: [u8; 16] = Md5::digest(&expected).into();
    assert_eq!(
        (status, len, md5),
        (StatusCode::PARTIAL_CONTENT, 12, expected)
    );

    let peak = peak_rss(bin.child.id());
    eprintln!(
        "emulator peak RSS after 3 GiB in and 3 GiB out: {} MiB",
        peak / MIB
    );
    assert!(peak < 256 * MIB, "peak RSS {} MiB", peak / MIB);
}

fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}
