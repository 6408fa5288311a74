//! Batches under faults of every kind, a 20-minute server clock skew, and STS credentials
//! that expire in the middle.

use oss_client::Client;
use oss_client::auth::{RamRoleArnProvider, StaticCredentialsProvider};
use oss_emulator::{Emulator, EmulatorHandle};

use crate::support::{objects, retries, upload_all, verify_all};

/// About one request in ten hits a fault: errors, resets before the answer, bodies cut short,
/// reset mid-way or corrupted (caught by CRC-64), latency.
const FAULTS: &str = "*:p=0.02:500,*:p=0.02:503,*:p=0.02:reset,get:p=0.03:reset-body,get:p=0.03:short-body,get:p=0.003:corrupt-body,put|upload-part:p=0.003:corrupt-body,*:p=0.02:latency=3";

fn root_client(emu: &EmulatorHandle) -> Client {
    Client::builder()
        .endpoint(emu.endpoint())
        .region(emu.region())
        .credentials_provider(
            StaticCredentialsProvider::new(emu.access_key_id(), emu.access_key_secret()).unwrap(),
        )
        .retry(retries())
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_survives_ten_percent_faults() {
    let emu = Emulator::builder().faults(FAULTS).start().await.unwrap();
    let client = root_client(&emu);
    client.put_bucket().bucket("chaos").send().await.unwrap();
    let count = objects();
    let failures = upload_all(&client, "chaos", 0..count).await;
    assert!(
        failures.is_empty(),
        "upload failures reported: {failures:?}"
    );
    verify_all(&client, "chaos", count).await;
    assert!(
        emu.injected_faults() > count as u64 / 20,
        "faults fired: {}",
        emu.injected_faults()
    );
    assert!(client.stats().retries > 0);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_survives_a_twenty_minute_server_clock_skew() {
    let emu = Emulator::builder().faults(FAULTS).start().await.unwrap();
    emu.set_clock_skew(20 * 60);
    let client = root_client(&emu);
    client.put_bucket().bucket("skewed").send().await.unwrap();
    let count = objects() / 2;
    let failures = upload_all(&client, "skewed", 0..count).await;
    assert!(
        failures.is_empty(),
        "upload failures reported: {failures:?}"
    );
    verify_all(&client, "skewed", count).await;
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_survives_sts_credentials_expiring_midway() {
    let emu = Emulator::builder()
        .sts()
        .faults(FAULTS)
        .start()
        .await
        .unwrap();
    root_client(&emu)
        .put_bucket()
        .bucket("expiring")
        .send()
        .await
        .unwrap();
    let role = RamRoleArnProvider::builder()
        .source(
            StaticCredentialsProvider::new(emu.access_key_id(), emu.access_key_secret()).unwrap(),
        )
        .role_arn(emu.role_arn())
        .sts_endpoint(emu.sts_endpoint().unwrap())
        .build()
        .unwrap();
    let client = Client::builder()
        .endpoint(emu.endpoint())
        .region(emu.region())
        .credentials_provider(role)
        .retry(retries())
        .build()
        .unwrap();
    let count = objects() / 2;
    let half = count / 2;
    let first = upload_all(&client, "expiring", 0..half).await;
    assert!(first.is_empty(), "{first:?}");
    // The service revokes the session while the batch runs: once the second half has sent
    // requests for about a quarter of its objects (each object takes at least one request, so
    // this point is always reached).
    let expirer = {
        let (emu, client) = (&emu, &client);
        let start = client.stats().requests;
        let midway = ((count - half) / 4).max(1) as u64;
        async move {
            while client.stats().requests < start + midway {
                tokio::task::yield_now().await;
            }
            emu.fakes().expire_temporary_credentials();
        }
    };
    let (second, ()) = tokio::join!(upload_all(&client, "expiring", half..count), expirer);
    assert!(second.is_empty(), "{second:?}");
    verify_all(&client, "expiring", count).await;
    assert!(
        emu.fakes().requests(oss_emulator::FakeService::Sts) >= 2,
        "credentials were refreshed"
    );
    emu.shutdown().await;
}
