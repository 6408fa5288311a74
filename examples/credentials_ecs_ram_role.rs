//! Method 5: the ECS instance's RAM role from the instance metadata service (hardened mode:
//! a metadata token first). Here the metadata service is the emulator's fake; on ECS the
//! default endpoint `http://100.100.100.200` is used.
//!
//! `cargo run -p oss-examples --example credentials_ecs_ram_role`

use oss_client::auth::EcsRamRoleProvider;
use oss_examples::{BoxError, client_for, create_bucket, put_and_get};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    oss_examples::init_tracing();
    let emulator = oss_emulator::Emulator::builder()
        .metadata()
        .metadata_hardened(true)
        .start()
        .await?;
    create_bucket(&emulator, "ecs-role-demo").await?;
    let provider = EcsRamRoleProvider::builder()
        .endpoint(emulator.metadata_endpoint().ok_or("no metadata fake")?)
        .disable_imds_v1(true)
        .build()?;
    put_and_get(
        &client_for(&emulator, provider)?,
        "ecs-role-demo",
        "ECS RAM role",
    )
    .await?;
    emulator.shutdown().await;
    Ok(())
}
