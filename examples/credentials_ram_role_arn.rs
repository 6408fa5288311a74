//! Method 4: a RAM role assumed through STS `AssumeRole` with an AccessKey as the source;
//! refreshed automatically before it expires.
//!
//! `cargo run -p oss-examples --example credentials_ram_role_arn`

use std::time::Duration;

use oss_client::auth::{RamRoleArnProvider, StaticCredentialsProvider};
use oss_examples::{BoxError, client_for, create_bucket, put_and_get};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    oss_examples::init_tracing();
    let emulator = oss_emulator::Emulator::builder().sts().start().await?;
    create_bucket(&emulator, "ram-role-demo").await?;
    let source =
        StaticCredentialsProvider::new(emulator.access_key_id(), emulator.access_key_secret())?;
    let provider = RamRoleArnProvider::builder()
        .source(source)
        .role_arn(emulator.role_arn())
        .role_session_name("examples")
        .duration(Duration::from_secs(900))
        .sts_endpoint(emulator.sts_endpoint().ok_or("no STS fake")?)
        .build()?;
    put_and_get(
        &client_for(&emulator, provider)?,
        "ram-role-demo",
        "RAM role ARN",
    )
    .await?;
    println!(
        "STS answered {} AssumeRole call(s)",
        emulator.fakes().requests(oss_emulator::FakeService::Sts)
    );
    emulator.shutdown().await;
    Ok(())
}
