//! object_store's own integration suite (`object_store::integration` with its `integration`
//! feature, of the release the crate is built for: 0.13.2, or 0.14.2 whose suite has two more
//! functions) run against a fresh bucket of an emulator started by each test.
//! Every public function of the suite runs; none is left out.

use object_store::integration;
use oss_client::operation::versioning::VersioningStatus;
use oss_emulator::EmulatorHandle;
use oss_object_store::object_store;
use oss_object_store::{OssObjectStore, OssObjectStoreBuilder};

const ACCESS_KEY_ID: &str = "LTAI5tObjectStoreTest";
const ACCESS_KEY_SECRET: &str = "object-store-secret";
const BUCKET: &str = "object-store-suite";

/// An emulator and a store on a new, empty bucket of it, built from string configuration
/// keys; `url` chooses the bucket and key prefix.
async fn store_at(url: &str) -> (EmulatorHandle, OssObjectStore) {
    let emu = oss_emulator::Emulator::builder()
        .credentials(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
        .region("cn-hangzhou")
        .start()
        .await
        .expect("emulator starts");
    let store = OssObjectStoreBuilder::new()
        .with_url(url)
        .with_config("oss_endpoint", emu.endpoint())
        .unwrap()
        .with_config("oss_region", emu.region())
        .unwrap()
        .with_config("oss_access_key_id", ACCESS_KEY_ID)
        .unwrap()
        .with_config("oss_access_key_secret", ACCESS_KEY_SECRET)
        .unwrap()
        .build()
        .unwrap();
    store
        .client()
        .put_bucket()
        .bucket(store.bucket())
        .send()
        .await
        .unwrap();
    (emu, store)
}

async fn store() -> (EmulatorHandle, OssObjectStore) {
    store_at(&format!("oss://{BUCKET}")).await
}

#[tokio::test]
async fn put_get_delete_list() {
    let (_emu, store) = store().await;
    integration::put_get_delete_list(&store).await;
}

#[tokio::test]
async fn put_get_delete_list_under_a_key_prefix() {
    let (_emu, store) = store_at(&format!("oss://{BUCKET}/tables/events")).await;
    integration::put_get_delete_list(&store).await;
    integration::list_with_delimiter(&store).await;
}

#[tokio::test]
async fn put_get_attributes() {
    let (_emu, store) = store().await;
    integration::put_get_attributes(&store).await;
}

#[tokio::test]
async fn get_opts() {
    let (_emu, store) = store().await;
    integration::get_opts(&store).await;
}

#[tokio::test]
async fn get_opts_on_a_versioned_bucket() {
    let (_emu, store) = store().await;
    store
        .client()
        .put_bucket_versioning(BUCKET, VersioningStatus::Enabled)
        .await
        .unwrap();
    integration::get_opts(&store).await;
}

#[tokio::test]
async fn put_opts_create_only_update_not_implemented() {
    let (_emu, store) = store().await;
    // OSS has no conditional PutObject: PutMode::Update answers NotImplemented.
    integration::put_opts(&store, false).await;
}

#[tokio::test]
async fn stream_get() {
    let (_emu, store) = store().await;
    integration::stream_get(&store).await;
}

#[tokio::test]
async fn list_uses_directories_correctly() {
    let (_emu, store) = store().await;
    integration::list_uses_directories_correctly(&store).await;
}

#[tokio::test]
async fn list_with_delimiter() {
    let (_emu, store) = store().await;
    integration::list_with_delimiter(&store).await;
}

#[tokio::test]
async fn get_nonexistent_object() {
    let (_emu, store) = store().await;
    let err = integration::get_nonexistent_object(&store, None)
        .await
        .unwrap_err();
    assert!(matches!(err, object_store::Error::NotFound { .. }), "{err}");
}

#[tokio::test]
async fn rename_and_copy() {
    let (_emu, store) = store().await;
    integration::rename_and_copy(&store).await;
}

#[tokio::test]
async fn copy_if_not_exists() {
    let (_emu, store) = store().await;
    integration::copy_if_not_exists(&store).await;
}

#[tokio::test]
async fn copy_rename_nonexistent_object() {
    let (_emu, store) = store().await;
    integration::copy_rename_nonexistent_object(&store).await;
}

#[tokio::test]
async fn multipart_store() {
    let (_emu, store) = store().await;
    integration::multipart(&store, &store).await;
}

#[tokio::test]
async fn multipart_race_condition_last_writer_wins() {
    let (_emu, store) = store().await;
    // Two uploads of one key are independent in OSS: the one completed last is the object.
    integration::multipart_race_condition(&store, true).await;
}

#[tokio::test]
async fn multipart_out_of_order() {
    let (_emu, store) = store().await;
    integration::multipart_out_of_order(&store).await;
}

#[cfg(feature = "object_store_0_14")]
#[tokio::test]
async fn multipart_with_opts() {
    let (_emu, store) = store().await;
    integration::multipart_with_opts(&store, &store).await;
}

#[cfg(feature = "object_store_0_14")]
#[tokio::test]
async fn multipart_put_part_out_of_order() {
    let (_emu, store) = store().await;
    integration::multipart_put_part_out_of_order(&store, &store).await;
}

#[tokio::test]
async fn list_paginated() {
    let (_emu, store) = store().await;
    integration::list_paginated(&store, &store).await;
}

#[tokio::test]
async fn list_with_offset_exclusivity() {
    let (_emu, store) = store().await;
    integration::list_with_offset_exclusivity(&store).await;
}
