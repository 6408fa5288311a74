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
