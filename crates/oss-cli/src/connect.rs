//! The client every command uses: endpoint and region from the options or the official
//! environment variables, credentials from `OSS_ACCESS_KEY_ID`/`OSS_ACCESS_KEY_SECRET`
//! (/`OSS_SESSION_TOKEN`) when set, else oss-auth's default chain (`ALIBABA_CLOUD_*`
//! variables, OIDC, `~/.aliyun/config.json`, `~/.alibabacloud/credentials`, ECS RAM role,
//! credentials URI), which `--profile` points at a named profile. The region is `--region`,
//! else `OSS_REGION`, else (with `--profile`) the `region_id` of that profile in the aliyun
//! CLI's `~/.aliyun/config.json`.

use oss_auth::{
    CliProfileProvider, DefaultCredentialsChain, Env, EnvironmentCredentialsProvider,
    ProviderConfig,
};
use oss_client::{Client, RetryConfig};

use crate::args::GlobalArgs;
use crate::error::CliError;

/// Builds the client; nothing is sent and no credentials are fetched yet.
pub(crate) fn client(args: &GlobalArgs) -> Result<Client, CliError> {
    let env = Env::process();
    let region = args
        .region
        .clone()
        .or_else(|| env.get_non_empty("OSS_REGION"));
    let region = match (region, &args.profile) {
        (Some(region), _) => region,
        (None, Some(profile)) => profile_region(profile)?,
        (None, None) => {
            return Err(CliError::usage(
                "no region: pass --region or set OSS_REGION",
            ));
        }
    };
    let mut builder = Client::builder().region(region).retry(RetryConfig {
        max_attempts: args.retries.saturating_add(1),
        ..RetryConfig::default()
    });
    if let Some(endpoint) = args
        .endpoint
        .clone()
        .or_else(|| env.get_non_empty("OSS_ENDPOINT"))
    {
        builder = builder.endpoint(endpoint);
    }
    builder = if args.profile.is_none() && env.get_non_empty("OSS_ACCESS_KEY_ID").is_some() {
        builder.credentials_provider(EnvironmentCredentialsProvider::oss())
    } else {
        builder.credentials_provider(default_chain(args.profile.clone()))
    };
    Ok(builder.build()?)
}

/// The `region_id` of `profile` in the aliyun CLI configuration; a usage error when it has
/// none (or the file cannot be read).
fn profile_region(profile: &str) -> Result<String, CliError> {
    CliProfileProvider::new(ProviderConfig::default())
        .with_profile(profile)
        .region()
        .map_err(|e| CliError::usage(format!("profile {profile:?}: {e}")))?
        .ok_or_else(|| {
            CliError::usage(format!(
                "no region: pass --region, set OSS_REGION, or give profile {profile:?} a \
                 region_id in ~/.aliyun/config.json"
            ))
        })
}

/// The default chain over the process environment, with `ALIBABA_CLOUD_PROFILE` replaced by
/// `profile` when one is given.
fn default_chain(profile: Option<String>) -> DefaultCredentialsChain {
    let Some(profile) = profile else {
        return DefaultCredentialsChain::new();
    };
    let process = Env::process();
    let env = Env::from_fn(move |name| match name {
        "ALIBABA_CLOUD_PROFILE" => Some(profile.clone()),
        _ => process.get(name),
    });
    DefaultCredentialsChain::with_config(ProviderConfig {
        env,
        ..ProviderConfig::default()
    })
}
