//! Method 1: a long-term AccessKey, given in code or read from `OSS_ACCESS_KEY_ID` /
//! `OSS_ACCESS_KEY_SECRET` (or the `ALIBABA_CLOUD_*` names).
//!
//! `cargo run -p oss-examples --example credentials_access_key`

use oss_client::auth::{Env, EnvironmentCredentialsProvider, StaticCredentialsProvider};
use oss_examples::{BoxError, client_for, create_bucket, put_and_get};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    oss_examples::init_tracing();
    let emulator = oss_emulator::start().await?;
    create_bucket(&emulator, "access-key-demo").await?;

    let in_code =
        StaticCredentialsProvider::new(emulator.access_key_id(), emulator.access_key_secret())?;
    put_and_get(
        &client_for(&emulator, in_code)?,
        "access-key-demo",
        "static AccessKey",
    )
    .await?;

    // The same keys as the environment would carry them (a fixed map here, so the example
    // never touches your real variables).
    let env = Env::from_pairs([
        ("OSS_ACCESS_KEY_ID", emulator.access_key_id()),
        ("OSS_ACCESS_KEY_SECRET", emulator.access_key_secret()),
    ]);
    let from_env = EnvironmentCredentialsProvider::oss().with_env(env);
    put_and_get(
        &client_for(&emulator, from_env)?,
        "access-key-demo",
        "OSS_* environment",
    )
    .await?;
    emulator.shutdown().await;
    Ok(())
}
