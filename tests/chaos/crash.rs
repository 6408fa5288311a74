//! The emulator binary killed with `kill -9` during a batch and restarted on its data
//! directory: every acknowledged write reads back intact, and the resumed batch completes.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures_util::StreamExt as _;
use oss_client::Client;
use oss_client::auth::StaticCredentialsProvider;
use oss_client::transfer::Uploader;

use crate::support::{PART, content_of, key_of, retries, verify_all};

const ID: &str = "crash-access-key-id";
const SECRET: &str = "crash-access-key-secret";

fn binary() -> PathBuf {
    // target/<profile>/deps/<this test> -> target/<profile>/oss-emulator
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().parent().unwrap().join("oss-emulator")
}

fn start(dir: &Path) -> (Child, String) {
    let mut child = Command::new(binary())
        .args([
            "--listen",
            "127.0.0.1:0",
            "--access-key-id",
            ID,
            "--region",
            "cn-hangzhou",
            "--data-dir",
        ])
        .arg(dir)
        .env("OSS_EMULATOR_ACCESS_KEY_SECRET", SECRET)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the oss-emulator binary is built by cargo test");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let endpoint = line
        .trim()
        .strip_prefix("listening on ")
        .expect("the listening line")
        .to_owned();
    (child, endpoint)
}

fn client(endpoint: &str) -> Client {
    Client::builder()
        .endpoint(endpoint)
        .region("cn-hangzhou")
        .credentials_provider(StaticCredentialsProvider::new(ID, SECRET).unwrap())
        .retry(retries())
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_nine_mid_batch_then_restart_and_resume() {
    assert!(binary().is_file(), "{} missing", binary().display());
    let data = tempfile::tempdir().unwrap();
    let checkpoints = tempfile::tempdir().unwrap();
    let sources = tempfile::tempdir().unwrap();
    let count = 300;
    for i in 0..count {
        std::fs::write(sources.path().join(i.to_string()), content_of(i)).unwrap();
    }
    let (mut child, endpoint) = start(data.path());
    let first = client(&endpoint);
    first.put_bucket().bucket("crash").send().await.unwrap();

    let acknowledged = Arc::new(std::sync::Mutex::new(Vec::new()));
    let acked = Arc::new(AtomicUsize::new(0));
    let uploader = Uploader::new(&first)
        .part_size(PART)
        .concurrency(2)
        .checkpoint_dir(checkpoints.path());
    let batch = {
        let (acknowledged, acked, sources) = (
            Arc::clone(&acknowledged),
            Arc::clone(&acked),
            sources.path().to_path_buf(),
        );
        tokio::spawn(async move {
            futures_util::stream::iter(0..count)
                .for_each_concurrent(8, |i| {
                    let (uploader, acknowledged, acked, sources) = (
                        uploader.clone(),
                        Arc::clone(&acknowledged),
                        Arc::clone(&acked),
                        sources.clone(),
                    );
                    async move {
                        if uploader
                            .upload_file("crash", &key_of(i), sources.join(i.to_string()))
                            .await
                            .is_ok()
                        {
                            acknowledged.lock().unwrap().push(i);
                            acked.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                })
                .await;
        })
    };
    while acked.load(Ordering::SeqCst) < 100 {
        tokio::task::yield_now().await;
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    batch.abort();
    let _ = batch.await;
    let before: Vec<usize> = acknowledged.lock().unwrap().clone();
    assert!(before.len() >= 100);

    let (mut child, endpoint) = start(data.path());
    let second = client(&endpoint);
    for &i in &before {
        let got = second
            .get_object()
            .bucket("crash")
            .key(key_of(i))
            .send()
            .await
            .unwrap();
        assert_eq!(
            got.body.collect().await.unwrap(),
            content_of(i),
            "acknowledged object {i}"
        );
    }
    // Resume: everything is uploaded again from the sources, multipart uploads continue from
    // their checkpoints against the restarted server.
    let uploader = Uploader::new(&second)
        .part_size(PART)
        .concurrency(2)
        .checkpoint_dir(checkpoints.path());
    let failures: Vec<String> = futures_util::stream::iter(0..count)
        .map(|i| {
            let uploader = uploader.clone();
            let path = sources.path().join(i.to_string());
            async move {
                uploader
                    .upload_file("crash", &key_of(i), path)
                    .await
                    .err()
                    .map(|e| format!("{i}: {e}"))
            }
        })
        .buffer_unordered(8)
        .filter_map(|r| async move { r })
        .collect()
        .await;
    assert!(failures.is_empty(), "{failures:?}");
    // Uploads that were in flight at the kill and were resumed leave nothing behind; ones
    // started anew leave their old upload, which a cleanup aborts.
    let pending = second
        .list_multipart_uploads()
        .bucket("crash")
        .send()
        .await
        .unwrap();
    for upload in pending.uploads {
        second
            .abort_multipart_upload("crash", &upload.key, &upload.upload_id)
            .await
            .unwrap();
    }
    verify_all(&second, "crash", count).await;
    child.kill().unwrap();
    child.wait().unwrap();
}
