//! Method 6: a RAM role assumed with an OIDC token (RRSA on ACK): `AssumeRoleWithOIDC`, the
//! token file read again on every refresh.
//!
//! `cargo run -p oss-examples --example credentials_oidc_role_arn`

use oss_client::auth::OidcRoleArnProvider;
use oss_examples::{BoxError, client_for, create_bucket, put_and_get};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    oss_examples::init_tracing();
    let emulator = oss_emulator::Emulator::builder().sts().start().await?;
    create_bucket(&emulator, "oidc-role-demo").await?;
    let dir = tempfile::tempdir()?;
    let token_file = dir.path().join("oidc-token");
    std::fs::write(
        &token_file,
        "eyJhbGciOiJSUzI1NiJ9.demo-service-account-token.signature",
    )?;
    let provider = OidcRoleArnProvider::builder()
        .role_arn(emulator.role_arn())
        .oidc_provider_arn(emulator.oidc_provider_arn())
        .oidc_token_file(&token_file)
        .sts_endpoint(emulator.sts_endpoint().ok_or("no STS fake")?)
        .build()?;
    put_and_get(
        &client_for(&emulator, provider)?,
        "oidc-role-demo",
        "OIDC role ARN",
    )
    .await?;
    emulator.shutdown().await;
    Ok(())
}
