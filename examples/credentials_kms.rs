//! Method 2: an AccessKey that KMS Secrets Manager rotates, fetched with a ClientKey
//! (`GetSecretValue` signed with SHA256withRSA). When OSS refuses a rotated-away key with
//! `InvalidAccessKeyId`, the client re-fetches the secret and retries once.
//!
//! `cargo run -p oss-examples --example credentials_kms`

use oss_auth::KmsSecretProvider;
use oss_examples::{BoxError, client_for, create_bucket, put_and_get};

const CLIENT_KEY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../crates/oss-emulator/tests/data/kms/clientKey_KAAP.emulator-client-key.json"
);
const PASSWORD_FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../crates/oss-emulator/tests/data/kms/client_key_password.txt"
);

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    oss_examples::init_tracing();
    let emulator = oss_emulator::Emulator::builder().kms().start().await?;
    create_bucket(&emulator, "kms-demo").await?;
    let provider = KmsSecretProvider::builder()
        .client_key_file(CLIENT_KEY)
        .client_key_password_file(PASSWORD_FILE)
        .secret_name(oss_emulator::DEFAULT_KMS_SECRET_NAME)
        .region(emulator.region())
        .endpoint(emulator.kms_endpoint().ok_or("no KMS fake")?)
        .build()?;
    let client = client_for(&emulator, provider)?;
    put_and_get(&client, "kms-demo", "KMS-rotated AccessKey").await?;

    // KMS rotates the AccessKey and revokes the old one: the next request is refused with
    // InvalidAccessKeyId, the provider fetches the new key, and the request succeeds.
    emulator.fakes().rotate_kms_secret(true);
    put_and_get(&client, "kms-demo", "KMS-rotated AccessKey after rotation").await?;
    emulator.shutdown().await;
    Ok(())
}
