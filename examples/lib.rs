//! Shared pieces of the runnable examples.

use std::error::Error;

use oss_client::Client;
use oss_emulator::EmulatorHandle;

/// A boxed error for examples.
pub type BoxError = Box<dyn Error + Send + Sync>;

/// A client for the emulator that authenticates with `provider`.
///
/// # Errors
/// Client configuration errors.
pub fn client_for(
    emulator: &EmulatorHandle,
    provider: impl oss_client::auth::ProvideCredentials + 'static,
) -> Result<Client, BoxError> {
    Ok(Client::builder()
        .endpoint(emulator.endpoint())
        .region(emulator.region())
        .credentials_provider(provider)
        .build()?)
}

/// Creates a bucket with the emulator's root AccessKey, so the credentials under test only need
/// to put and get.
///
/// # Errors
/// Any OSS error.
pub async fn create_bucket(emulator: &EmulatorHandle, bucket: &str) -> Result<(), BoxError> {
    let root = oss_client::auth::StaticCredentialsProvider::new(
        emulator.access_key_id(),
        emulator.access_key_secret(),
    )?;
    client_for(emulator, root)?
        .put_bucket()
        .bucket(bucket)
        .send()
        .await?;
    Ok(())
}

/// Puts an object with `client`, reads it back, checks it and prints what happened.
///
/// # Errors
/// Any OSS error, or a read-back that differs.
pub async fn put_and_get(client: &Client, bucket: &str, method: &str) -> Result<(), BoxError> {
    let key = format!("credentials/{method}.txt");
    let body = format!("written with {method} credentials");
    let put = client
        .put_object()
        .bucket(bucket)
        .key(&key)
        .body(body.clone())
        .send()
        .await?;
    println!("{method}: put {bucket}/{key} (ETag {})", put.etag);
    let got = client
        .get_object()
        .bucket(bucket)
        .key(&key)
        .send()
        .await?
        .body
        .collect()
        .await?;
    if got != body.as_bytes() {
        return Err(format!("{method}: read back {} bytes that differ", got.len()).into());
    }
    println!("{method}: got it back, {} bytes, identical", got.len());
    Ok(())
}
