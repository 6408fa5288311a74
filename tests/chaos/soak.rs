//! 256 tasks sharing one client for a sustained period: no errors, no leaked connections or
//! file descriptors, bounded memory.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use oss_client::Client;
use oss_client::auth::StaticCredentialsProvider;

fn soak_duration() -> Duration {
    let secs = std::env::var("CHAOS_SOAK_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    Duration::from_secs(secs)
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, |d| d.count())
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_fifty_six_tasks_share_one_client() {
    let emu = oss_emulator::start().await.unwrap();
    let client = Client::builder()
        .endpoint(emu.endpoint())
        .region(emu.region())
        .credentials_provider(
            StaticCredentialsProvider::new(emu.access_key_id(), emu.access_key_secret()).unwrap(),
        )
        .build()
        .unwrap();
    client.put_bucket().bucket("soak").send().await.unwrap();
    let duration = soak_duration();
    let done = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let warm = start + duration / 4;
    let mut warm_fds = None;
    let mut warm_rss = None;
    let tasks: Vec<_> = (0..256)
        .map(|t| {
            let (client, done, errors) = (client.clone(), Arc::clone(&done), Arc::clone(&errors));
            tokio::spawn(async move {
                let body = Bytes::from(vec![t as u8; 4096]);
                let mut n = 0u64;
                while start.elapsed() < duration {
                    let key = format!("t{t}/k{}", n % 8);
                    let ok = match client
                        .put_object()
                        .bucket("soak")
                        .key(&key)
                        .body(body.clone())
                        .send()
                        .await
                    {
                        Ok(_) => match client.get_object().bucket("soak").key(&key).send().await {
                            Ok(got) => got.body.collect().await.map(|b| b == body).unwrap_or(false),
                            Err(_) => false,
                        },
                        Err(_) => false,
                    };
                    if !ok {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                    done.fetch_add(1, Ordering::Relaxed);
                    n += 1;
                }
            })
        })
        .collect();
    while start.elapsed() < duration {
        tokio::time::sleep(Duration::from_millis(200)).await;
        if warm_fds.is_none() && Instant::now() >= warm {
            warm_fds = Some(open_fds());
            warm_rss = Some(rss_kib());
        }
    }
    for task in tasks {
        task.await.unwrap();
    }
    let (end_fds, end_rss) = (open_fds(), rss_kib());
    let ops = done.load(Ordering::Relaxed);
    println!(
        "soak: {ops} put+get pairs in {:?}, fds {warm_fds:?} -> {end_fds}, RSS {warm_rss:?} -> {end_rss} KiB",
        duration
    );
    assert_eq!(errors.load(Ordering::Relaxed), 0);
    assert!(ops > 256, "work was done");
    // Connections are pooled: the descriptor count after warm-up stays put, and memory does
    // not grow with the number of requests.
    let warm_fds = warm_fds.unwrap_or(end_fds);
    assert!(
        end_fds <= warm_fds + 16,
        "descriptors grew from {warm_fds} to {end_fds}"
    );
    let warm_rss = warm_rss.unwrap_or(end_rss);
    assert!(
        end_rss <= warm_rss + 64 * 1024,
        "RSS grew from {warm_rss} KiB to {end_rss} KiB"
    );
    emu.shutdown().await;
}
