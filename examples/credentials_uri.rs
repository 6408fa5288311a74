//! Method 8: credentials from an external system through a URL (`ALIBABA_CLOUD_CREDENTIALS_URI`)
//! answering `{Code, AccessKeyId, AccessKeySecret, SecurityToken, Expiration}`; refreshed
//! before they expire.
//!
//! `cargo run -p oss-examples --example credentials_uri`

use oss_client::auth::CredentialsUriProvider;
use oss_examples::{BoxError, client_for, create_bucket, put_and_get};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    oss_examples::init_tracing();
    let emulator = oss_emulator::Emulator::builder()
        .credentials_uri()
        .start()
        .await?;
    create_bucket(&emulator, "credentials-uri-demo").await?;
    let provider = CredentialsUriProvider::builder()
        .uri(
            emulator
                .credentials_uri()
                .ok_or("no credentials URI fake")?,
        )
        .build()?;
    put_and_get(
        &client_for(&emulator, provider)?,
        "credentials-uri-demo",
        "credentials URI",
    )
    .await?;
    emulator.shutdown().await;
    Ok(())
}
