//! Method 3: a temporary STS token (AccessKeyId, AccessKeySecret, SecurityToken), given in
//! code or read from `OSS_SESSION_TOKEN` / `ALIBABA_CLOUD_SECURITY_TOKEN`. It is not refreshed:
//! replace the provider when it expires.
//!
//! `cargo run -p oss-examples --example credentials_sts_token`

use std::time::{Duration, SystemTime};

use oss_client::auth::StaticCredentialsProvider;
use oss_examples::{BoxError, client_for, create_bucket, put_and_get};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    oss_examples::init_tracing();
    // The emulator accepts this temporary key with its token for an hour.
    let (id, secret, token) = (
        "STS.demo-access-key-id",
        "demo-sts-secret",
        "CAIS+demo/token==",
    );
    let emulator = oss_emulator::Emulator::builder()
        .temporary_credentials(
            id,
            secret,
            token,
            SystemTime::now() + Duration::from_secs(3600),
        )
        .start()
        .await?;
    create_bucket(&emulator, "sts-token-demo").await?;
    let provider = StaticCredentialsProvider::with_security_token(id, secret, token)?;
    put_and_get(
        &client_for(&emulator, provider)?,
        "sts-token-demo",
        "STS token",
    )
    .await?;
    emulator.shutdown().await;
    Ok(())
}
