//! The INI credentials file of the Alibaba Cloud credentials libraries:
//! `ALIBABA_CLOUD_CREDENTIALS_FILE`, else `~/.alibabacloud/credentials.ini`, then
//! `~/.alibabacloud/credentials`; section `ALIBABA_CLOUD_PROFILE` or `default`.
//!
//! ```ini
//! [default]
//! type = access_key              # or ecs_ram_role, ram_role_arn, oidc_role_arn
//! access_key_id = LTAI...
//! access_key_secret = ...
//! ```

use std::path::PathBuf;

use tokio::sync::OnceCell;

use super::config::ProviderConfig;
use super::ecs_ram_role::EcsRamRoleProvider;
use super::oidc_role_arn::OidcRoleArnProvider;
use super::ram_role_arn::RamRoleArnProvider;
use crate::{
    Credentials, CredentialsError, ProvideCredentials, SharedCredentialsProvider,
    StaticCredentialsProvider,
};

const NAME: &str = "IniProfile";

/// Credentials described by a profile of the INI credentials file. The file is read on first
/// use; the provider it describes (static keys, ECS RAM role, RAM role ARN, OIDC role ARN) is
/// then kept, with its own refresh cache.
#[derive(Debug)]
pub struct IniProfileProvider {
    config: ProviderConfig,
    path: Option<PathBuf>,
    profile: Option<String>,
    resolved: OnceCell<SharedCredentialsProvider>,
}

impl IniProfileProvider {
    /// The file and profile chosen by the environment.
    pub fn new(config: ProviderConfig) -> Self {
        Self {
            config,
            path: None,
            profile: None,
            resolved: OnceCell::new(),
        }
    }

    /// Reads this file instead.
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Uses this profile instead.
    pub fn with_profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    fn candidate_paths(&self) -> Vec<PathBuf> {
        if let Some(path) = &self.path {
            return vec![path.clone()];
        }
        if let Some(path) = self
            .config
            .env
            .get_non_empty("ALIBABA_CLOUD_CREDENTIALS_FILE")
        {
            return vec![PathBuf::from(path)];
        }
        self.config
            .home()
            .map(|home| {
                let dir = home.join(".alibabacloud");
                vec![dir.join("credentials.ini"), dir.join("credentials")]
            })
            .unwrap_or_default()
    }

    async fn resolve(&self) -> Result<SharedCredentialsProvider, CredentialsError> {
        let paths = self.candidate_paths();
        let Some(path) = paths.iter().find(|p| p.is_file()) else {
            return Err(CredentialsError::not_configured(
                NAME,
                format!("no credentials file at {}", show_paths(&paths)),
            ));
        };
        let text = tokio::fs::read_to_string(path).await.map_err(|e| {
            CredentialsError::invalid_configuration(NAME, format!("cannot read {}", path.display()))
                .with_source(e)
        })?;
        let ini = ini::Ini::load_from_str(&text).map_err(|e| {
            CredentialsError::invalid_configuration(
                NAME,
                format!("{}: {}", path.display(), syntax_error(&text, e.line)),
            )
        })?;
        let profile = self
            .profile
            .clone()
            .or_else(|| self.config.env.get_non_empty("ALIBABA_CLOUD_PROFILE"))
            .unwrap_or_else(|| "default".to_owned());
        let section = ini.section(Some(profile.as_str())).ok_or_else(|| {
            let names: Vec<String> = ini
                .sections()
                .flatten()
                .map(|name| format!("[{name}]"))
                .collect();
            let names = if names.is_empty() {
                "none".to_owned()
            } else {
                names.join(", ")
            };
            CredentialsError::not_configured(
                NAME,
                format!(
                    "{} has no profile [{profile}] (it has {names})",
                    path.display()
                ),
            )
        })?;
        let get = |key: &str| {
            section
                .get(key)
                .map(strip_comment)
                .filter(|v| !v.is_empty())
        };
        let require = |key: &str| {
            get(key).ok_or_else(|| {
                CredentialsError::invalid_configuration(
                    NAME,
                    format!("profile [{profile}] in {} needs {key}", path.display()),
                )
            })
        };
        let provider = match get("type").as_deref() {
            Some("access_key") => SharedCredentialsProvider::new(StaticCredentialsProvider::new(
                require("access_key_id")?,
                require("access_key_secret")?,
            )?),
            Some("ecs_ram_role") => {
                let mut builder = EcsRamRoleProvider::builder().provider_config(&self.config);
                if let Some(role) = get("role_name") {
                    builder = builder.role_name(role);
                }
                SharedCredentialsProvider::new(builder.build()?)
            }
            Some("ram_role_arn") => {
                let source = StaticCredentialsProvider::new(
                    require("access_key_id")?,
                    require("access_key_secret")?,
                )?;
                let mut builder = RamRoleArnProvider::builder()
                    .source(source)
                    .role_arn(require("role_arn")?)
                    .env(self.config.env.clone());
                if let Some(name) = get("role_session_name") {
                    builder = builder.role_session_name(name);
                }
                if let Some(policy) = get("policy") {
                    builder = builder.policy(policy);
                }
                SharedCredentialsProvider::new(
                    super::apply_sts_config(builder, &self.config).build()?,
                )
            }
            Some("oidc_role_arn") => {
                let mut builder = OidcRoleArnProvider::builder()
                    .role_arn(require("role_arn")?)
                    .oidc_provider_arn(require("oidc_provider_arn")?)
                    .oidc_token_file(require("oidc_token_file_path")?)
                    .env(self.config.env.clone());
                if let Some(name) = get("role_session_name") {
                    builder = builder.role_session_name(name);
                }
                if let Some(policy) = get("policy") {
                    builder = builder.policy(policy);
                }
                SharedCredentialsProvider::new(
                    super::apply_oidc_config(builder, &self.config).build()?,
                )
            }
            other => {
                let found = match other {
                    Some(other) => format!("unsupported type {other:?}"),
                    None => "no type".to_owned(),
                };
                return Err(CredentialsError::invalid_configuration(
                    NAME,
                    format!(
                        "profile [{profile}] in {} has {found} (use access_key, ecs_ram_role, ram_role_arn or oidc_role_arn)",
                        path.display(),
                    ),
                ));
            }
        };
        tracing::debug!(file = %path.display(), profile = %profile, "credentials profile loaded");
        Ok(provider)
    }
}

/// What is wrong with an INI file the parser refused at `parser_line` (1-based), in our
/// words. An unclosed `[header` is found here: the parser reads on past it to the end.
fn syntax_error(text: &str, parser_line: usize) -> String {
    let unclosed = text.lines().enumerate().find(|(_, l)| {
        let l = l.trim();
        l.starts_with('[') && !l.contains(']')
    });
    if let Some((index, content)) = unclosed {
        let line = index + 1;
        let content = content.trim();
        return format!("line {line}: the section header {content:?} is not closed with ']'");
    }
    let line = parser_line.clamp(1, text.lines().count().max(1));
    format!(
        "line {line} is not valid INI: expected a [profile] header, a `key = value` line or a \
         comment"
    )
}

/// Drops an inline `# comment` (as the Python library does).
fn strip_comment(value: &str) -> String {
    value.split(" #").next().unwrap_or(value).trim().to_owned()
}

pub(crate) fn show_paths(paths: &[PathBuf]) -> String {
    if paths.is_empty() {
        return "(no home directory)".to_owned();
    }
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(" or ")
}

impl ProvideCredentials for IniProfileProvider {
    async fn provide_credentials(&self) -> Result<Credentials, CredentialsError> {
        let provider = self.resolved.get_or_try_init(|| self.resolve()).await?;
        provider.provide_credentials().await
    }

    fn invalidate(&self, failed: &Credentials) {
        if let Some(provider) = self.resolved.get() {
            provider.invalidate(failed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(text: &str) -> String {
        let e = ini::Ini::load_from_str(text).unwrap_err();
        syntax_error(text, e.line)
    }

    #[test]
    fn syntax_errors_name_the_line_in_our_words() {
        assert_eq!(
            refused("[default]\ntype = access_key\n[dev\naccess_key_id = x\n"),
            "line 3: the section header \"[dev\" is not closed with ']'"
        );
        assert_eq!(
            refused("[default]\ntype = access_key\naccess_key_id\n"),
            "line 3 is not valid INI: expected a [profile] header, a `key = value` line or a comment"
        );
    }
}
