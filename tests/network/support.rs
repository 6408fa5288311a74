//! An emulator, a bucket, and clients that reach it directly or through a [`Link`].

use std::time::Duration;

use bytes::Bytes;
use oss_client::Client;
use oss_client::auth::StaticCredentialsProvider;
use oss_client::operation::get_object::GetObjectOutput;
use oss_emulator::EmulatorHandle;

use crate::link::{Link, Shape};

pub(crate) const BUCKET: &str = "network";

/// An emulator with the bucket [`BUCKET`].
pub(crate) async fn emulator() -> EmulatorHandle {
    let emu = oss_emulator::start().await.expect("emulator starts");
    direct_client(&emu)
        .put_bucket()
        .bucket(BUCKET)
        .send()
        .await
        .unwrap();
    emu
}

/// A client straight to the emulator.
pub(crate) fn direct_client(emu: &EmulatorHandle) -> Client {
    builder(emu, emu.endpoint()).build().unwrap()
}

/// A client builder for `emu`'s credentials and region, pointed at `endpoint`.
pub(crate) fn builder(emu: &EmulatorHandle, endpoint: &str) -> oss_client::ClientBuilder {
    Client::builder()
        .region(emu.region())
        .endpoint(endpoint)
        .credentials_provider(
            StaticCredentialsProvider::new(emu.access_key_id(), emu.access_key_secret()).unwrap(),
        )
}

/// A relay to `emu` shaped by `plan`.
pub(crate) async fn link(
    emu: &EmulatorHandle,
    plan: impl Fn(usize) -> (Shape, Shape) + Send + Sync + 'static,
) -> Link {
    Link::start(emu.local_addr(), plan).await
}

/// A plan whose first `connections` connections answer with `down`, and the rest freely.
pub(crate) fn first_downloads(
    connections: usize,
    down: Shape,
) -> impl Fn(usize) -> (Shape, Shape) + Send + Sync + 'static {
    move |n| {
        let shape = if n < connections { down } else { Shape::Free };
        (Shape::Free, shape)
    }
}

/// GetObject of `key` in [`BUCKET`], which must answer.
pub(crate) async fn get(client: &Client, key: &str) -> GetObjectOutput {
    client
        .get_object()
        .bucket(BUCKET)
        .key(key)
        .send()
        .await
        .unwrap()
}

/// `len` bytes that differ from offset to offset.
pub(crate) fn content(len: usize, seed: u8) -> Bytes {
    (0..len)
        .map(|i| (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[3] ^ seed)
        .collect::<Vec<u8>>()
        .into()
}

/// Stores `data` at `key` directly.
pub(crate) async fn put(emu: &EmulatorHandle, key: &str, data: Bytes) {
    direct_client(emu)
        .put_object()
        .bucket(BUCKET)
        .key(key)
        .body(data)
        .send()
        .await
        .unwrap();
}

/// One second.
pub(crate) const SECOND: Duration = Duration::from_secs(1);
