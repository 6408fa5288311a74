//! Method 9: any source of credentials: implement `ProvideCredentials`, or wrap an async
//! closure with `provide_credentials_fn`.
//!
//! `cargo run -p oss-examples --example credentials_custom`

use std::future::Future;

use oss_client::auth::{Credentials, CredentialsError, ProvideCredentials, provide_credentials_fn};
use oss_examples::{BoxError, client_for, create_bucket, put_and_get};

/// A provider that would ask a vault; here it hands out fixed keys.
#[derive(Debug)]
struct Vault {
    id: String,
    secret: String,
}

impl ProvideCredentials for Vault {
    fn provide_credentials(
        &self,
    ) -> impl Future<Output = Result<Credentials, CredentialsError>> + Send {
        let result = Credentials::builder()
            .access_key_id(self.id.clone())
            .access_key_secret(self.secret.clone())
            .provider_name("Vault")
            .build();
        std::future::ready(result)
    }
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    oss_examples::init_tracing();
    let emulator = oss_emulator::start().await?;
    create_bucket(&emulator, "custom-demo").await?;
    let vault = Vault {
        id: emulator.access_key_id().to_owned(),
        secret: emulator.access_key_secret().to_owned(),
    };
    put_and_get(
        &client_for(&emulator, vault)?,
        "custom-demo",
        "custom provider",
    )
    .await?;

    let (id, secret) = (
        emulator.access_key_id().to_owned(),
        emulator.access_key_secret().to_owned(),
    );
    let closure = provide_credentials_fn(move || {
        let (id, secret) = (id.clone(), secret.clone());
        async move { Ok(Credentials::from_keys(id, secret)) }
    });
    put_and_get(
        &client_for(&emulator, closure)?,
        "custom-demo",
        "async closure",
    )
    .await?;
    emulator.shutdown().await;
    Ok(())
}
