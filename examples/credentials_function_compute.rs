//! Method 7: inside Function Compute, the credentials of the function's role come with each
//! invocation (the handler context, or custom-runtime headers `x-fc-access-key-id`,
//! `x-fc-access-key-secret`, `x-fc-security-token`). No refresh is needed.
//!
//! `cargo run -p oss-examples --example credentials_function_compute`

use std::time::{Duration, SystemTime};

use oss_client::auth::FunctionComputeProvider;
use oss_examples::{BoxError, client_for, create_bucket, put_and_get};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    oss_examples::init_tracing();
    let (id, secret, token) = ("STS.fc-invocation", "fc-secret", "fc-security-token");
    let emulator = oss_emulator::Emulator::builder()
        .temporary_credentials(
            id,
            secret,
            token,
            SystemTime::now() + Duration::from_secs(36 * 3600),
        )
        .start()
        .await?;
    create_bucket(&emulator, "function-compute-demo").await?;

    // What a custom runtime receives with an invocation.
    let mut headers = http::HeaderMap::new();
    headers.insert("x-fc-access-key-id", id.parse()?);
    headers.insert("x-fc-access-key-secret", secret.parse()?);
    headers.insert("x-fc-security-token", token.parse()?);
    let provider = FunctionComputeProvider::from_headers(&headers)?;
    put_and_get(
        &client_for(&emulator, provider)?,
        "function-compute-demo",
        "Function Compute",
    )
    .await?;
    emulator.shutdown().await;
    Ok(())
}
