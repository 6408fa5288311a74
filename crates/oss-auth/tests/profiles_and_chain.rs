//! Config files and the default chain, without any network: ECS is disabled, files live in a
//! temporary home directory, variables come from a map the test controls.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use oss_auth::{
    CliProfileProvider, CredentialsErrorKind, DefaultCredentialsChain, Env, IniProfileProvider,
    ProvideCredentials, ProviderConfig,
};

type Vars = Arc<Mutex<HashMap<String, String>>>;

fn config(home: &Path, vars: &Vars) -> ProviderConfig {
    let vars = Arc::clone(vars);
    ProviderConfig {
        env: Env::from_fn(move |name| vars.lock().unwrap().get(name).cloned()),
        home_dir: Some(home.to_path_buf()),
        ..ProviderConfig::default()
    }
}

fn vars(pairs: &[(&str, &str)]) -> Vars {
    Arc::new(Mutex::new(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    ))
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const NO_ECS: (&str, &str) = ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");

#[tokio::test]
async fn empty_chain_lists_every_attempt() {
    let home = tempfile::tempdir().unwrap();
    let chain = DefaultCredentialsChain::with_config(config(home.path(), &vars(&[NO_ECS])));
    let err = chain.provide_credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::NotConfigured);
    let text = err.to_string();
    for name in [
        "Environment:",
        "CliProfile:",
        "IniProfile:",
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        "config.json",
        "credentials.ini",
    ] {
        assert!(text.contains(name), "{name} missing in {text}");
    }
    assert!(!text.contains("EcsRamRole"), "ECS was disabled");
    assert_eq!(chain.chosen_provider(), None);
}

#[tokio::test]
async fn environment_is_read_when_the_chain_runs_and_remembered_after_success() {
    let home = tempfile::tempdir().unwrap();
    let vars = vars(&[NO_ECS]);
    let chain = DefaultCredentialsChain::with_config(config(home.path(), &vars));
    assert!(chain.provide_credentials().await.is_err());
    vars.lock().unwrap().extend([
        (
            "ALIBABA_CLOUD_ACCESS_KEY_ID".to_owned(),
            "env-id".to_owned(),
        ),
        (
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET".to_owned(),
            "env-secret".to_owned(),
        ),
    ]);
    let c = chain.provide_credentials().await.unwrap();
    assert_eq!(
        (c.access_key_id(), c.provider_name()),
        ("env-id", "Environment")
    );
    assert_eq!(chain.chosen_provider(), Some("Environment"));
}

#[tokio::test]
async fn ini_file_profiles() {
    let home = tempfile::tempdir().unwrap();
    write(
        &home.path().join(".alibabacloud/credentials.ini"),
        "[default]\ntype = access_key\naccess_key_id = ini-id\naccess_key_secret = ini-secret # a comment\n\n[other]\ntype = access_key\naccess_key_id = other-id\naccess_key_secret = other-secret\n\n[bad]\ntype = rsa_key_pair\n",
    );
    let chain = DefaultCredentialsChain::with_config(config(home.path(), &vars(&[NO_ECS])));
    let c = chain.provide_credentials().await.unwrap();
    assert_eq!(
        (c.access_key_id(), c.expose_access_key_secret()),
        ("ini-id", "ini-secret")
    );
    assert_eq!(chain.chosen_provider(), Some("IniProfile"));

    let profile = vars(&[NO_ECS, ("ALIBABA_CLOUD_PROFILE", "other")]);
    let c = IniProfileProvider::new(config(home.path(), &profile))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(c.access_key_id(), "other-id");

    // A configured but invalid profile stops the chain with its error.
    let bad = vars(&[NO_ECS, ("ALIBABA_CLOUD_PROFILE", "bad")]);
    let err = DefaultCredentialsChain::with_config(config(home.path(), &bad))
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::ProviderError);
    assert!(err.to_string().contains("rsa_key_pair"), "{err}");

    // The legacy file name is found too, and ALIBABA_CLOUD_CREDENTIALS_FILE wins over both.
    let legacy = tempfile::tempdir().unwrap();
    write(
        &legacy.path().join(".alibabacloud/credentials"),
        "[default]\ntype = access_key\naccess_key_id = legacy\naccess_key_secret = s\n",
    );
    let c = IniProfileProvider::new(config(legacy.path(), &vars(&[])))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(c.access_key_id(), "legacy");
    let explicit = legacy.path().join("elsewhere.ini");
    write(
        &explicit,
        "[default]\ntype = access_key\naccess_key_id = explicit\naccess_key_secret = s\n",
    );
    let v = vars(&[("ALIBABA_CLOUD_CREDENTIALS_FILE", explicit.to_str().unwrap())]);
    let c = IniProfileProvider::new(config(legacy.path(), &v))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(c.access_key_id(), "explicit");
}

#[tokio::test]
async fn cli_profiles_come_before_the_ini_file() {
    let home = tempfile::tempdir().unwrap();
    write(
        &home.path().join(".alibabacloud/credentials.ini"),
        "[default]\ntype = access_key\naccess_key_id = ini-id\naccess_key_secret = s\n",
    );
    write(
        &home.path().join(".aliyun/config.json"),
        r#"{"current": "sts", "profiles": [
            {"name": "ak", "mode": "AK", "access_key_id": "cli-ak", "access_key_secret": "s1", "region_id": "cn-hangzhou"},
            {"name": "sts", "mode": "StsToken", "access_key_id": "STS.cli", "access_key_secret": "s2", "sts_token": "tok"},
            {"name": "loop-a", "mode": "ChainableRamRoleArn", "source_profile": "loop-b", "ram_role_arn": "acs:ram::1:role/a"},
            {"name": "loop-b", "mode": "ChainableRamRoleArn", "source_profile": "loop-a", "ram_role_arn": "acs:ram::1:role/b"},
            {"name": "no-secret", "mode": "AK", "access_key_id": "x"}
        ]}"#,
    );
    let chain = DefaultCredentialsChain::with_config(config(home.path(), &vars(&[NO_ECS])));
    let c = chain.provide_credentials().await.unwrap();
    assert_eq!(
        (c.access_key_id(), c.expose_security_token()),
        ("STS.cli", Some("tok"))
    );
    assert_eq!(chain.chosen_provider(), Some("CliProfile"));

    let ak = vars(&[("ALIBABA_CLOUD_PROFILE", "ak")]);
    assert_eq!(
        CliProfileProvider::new(config(home.path(), &ak))
            .provide_credentials()
            .await
            .unwrap()
            .access_key_id(),
        "cli-ak"
    );

    let err = CliProfileProvider::new(config(home.path(), &vars(&[])))
        .with_profile("loop-a")
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(err.to_string().contains("cycle"), "{err}");

    let err = CliProfileProvider::new(config(home.path(), &vars(&[])))
        .with_profile("no-secret")
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("access_key_secret"), "{err}");

    // Disabled: the chain skips it and uses the INI file.
    let disabled = vars(&[NO_ECS, ("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")]);
    let chain = DefaultCredentialsChain::with_config(config(home.path(), &disabled));
    assert_eq!(
        chain.provide_credentials().await.unwrap().access_key_id(),
        "ini-id"
    );
}

#[tokio::test]
async fn oidc_joins_the_chain_only_with_all_three_variables() {
    let home = tempfile::tempdir().unwrap();
    let token = home.path().join("token");
    write(&token, "jwt");
    let partial = vars(&[
        NO_ECS,
        ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/r"),
        ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", token.to_str().unwrap()),
    ]);
    let err = DefaultCredentialsChain::with_config(config(home.path(), &partial))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(!err.to_string().contains("OidcRoleArn"), "{err}");
}

/// The error of `provider`, as the user sees it, with the temporary home shown as `~`.
async fn shown_error(provider: impl ProvideCredentials, home: &Path) -> String {
    let err = provider.provide_credentials().await.unwrap_err();
    err.to_string().replace(home.to_str().unwrap(), "~")
}

#[tokio::test]
async fn broken_files_and_missing_profiles_are_named_in_our_words() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let none = vars(&[]);
    let cli = || CliProfileProvider::new(config(home, &none));
    let ini = || IniProfileProvider::new(config(home, &none));
    let cli_file = home.join(".aliyun/config.json");
    let ini_file = home.join(".alibabacloud/credentials.ini");

    write(&cli_file, "{\"current\": \"dev\",\n \"profiles\": [}\n");
    assert_eq!(
        shown_error(cli(), home).await,
        "credentials provider CliProfile invalid configuration: \
         ~/.aliyun/config.json is not valid JSON at line 2, column 15"
    );
    write(
        &cli_file,
        r#"{"current": "dev", "profiles": [{"name": "dev", "mode": "AK", "access_key_id": ["x"]}]}"#,
    );
    assert_eq!(
        shown_error(cli(), home).await,
        "credentials provider CliProfile invalid configuration: \
         ~/.aliyun/config.json: profile \"dev\": field \"access_key_id\" cannot be a list"
    );
    write(
        &cli_file,
        r#"{"current": "prod", "profiles": [{"name": "dev", "mode": "AK"}, {"name": "ci", "mode": "AK"}]}"#,
    );
    assert_eq!(
        shown_error(cli(), home).await,
        "credentials provider CliProfile not configured: \
         ~/.aliyun/config.json: no profile \"prod\" (the file has \"dev\", \"ci\")"
    );
    let err = shown_error(cli().with_profile("dev"), home).await;
    assert_eq!(
        err,
        "credentials provider CliProfile invalid configuration: \
         ~/.aliyun/config.json: profile \"dev\" (mode AK) needs access_key_id"
    );

    write(&ini_file, "[default]\ntype = access_key\n[dev\n");
    assert_eq!(
        shown_error(ini(), home).await,
        "credentials provider IniProfile invalid configuration: \
         ~/.alibabacloud/credentials.ini: line 3: the section header \"[dev\" is not closed with ']'"
    );
    write(
        &ini_file,
        "[default]\ntype = access_key\naccess_key_id = id\naccess_key_secret = s\n[ci]\n",
    );
    assert_eq!(
        shown_error(ini().with_profile("prod"), home).await,
        "credentials provider IniProfile not configured: \
         ~/.alibabacloud/credentials.ini has no profile [prod] (it has [default], [ci])"
    );
    assert_eq!(
        shown_error(ini().with_profile("ci"), home).await,
        "credentials provider IniProfile invalid configuration: profile [ci] in \
         ~/.alibabacloud/credentials.ini has no type (use access_key, ecs_ram_role, \
         ram_role_arn or oidc_role_arn)"
    );
}
