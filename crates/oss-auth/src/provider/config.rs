//! What providers built from configuration (files, the default chain) share: where to read
//! environment variables and files, the clock, the HTTP client, and endpoint overrides.

use std::path::PathBuf;

use crate::Env;
use crate::clock::SharedClock;
use crate::http_client::SharedHttpClient;

/// Settings handed to every provider that config files or the default chain create.
///
/// The defaults are the real world: the process environment, the home directory from `HOME`
/// (`USERPROFILE` on Windows), the system clock, the default HTTP client, the public STS
/// endpoints and the ECS metadata server `http://100.100.100.200`. Tests replace them.
#[derive(Debug, Clone, Default)]
pub struct ProviderConfig {
    /// Environment variables.
    pub env: Env,
    /// The home directory (default: `HOME`, else `USERPROFILE`).
    pub home_dir: Option<PathBuf>,
    /// The clock.
    pub clock: Option<SharedClock>,
    /// The HTTP client for STS, metadata and credentials URIs.
    pub http: Option<SharedHttpClient>,
    /// The proxy of the clients providers build for STS and credentials URIs (default: the
    /// proxy variables of `env`); the ECS metadata server is always reached directly. Unused
    /// with `http`.
    pub proxy: Option<crate::proxy::ProxyConfig>,
    /// An STS endpoint for every role-based provider (a URL with scheme, or a host).
    pub sts_endpoint: Option<String>,
    /// The ECS metadata endpoint (default `http://100.100.100.200`).
    pub metadata_endpoint: Option<String>,
}

impl ProviderConfig {
    /// The home directory.
    pub(crate) fn home(&self) -> Option<PathBuf> {
        self.home_dir.clone().or_else(|| {
            self.env
                .get_non_empty("HOME")
                .or_else(|| self.env.get_non_empty("USERPROFILE"))
                .map(PathBuf::from)
        })
    }

    /// Whether an environment switch is `true` (case-insensitive).
    pub(crate) fn flag(&self, name: &str) -> bool {
        self.env
            .get(name)
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    }
}
