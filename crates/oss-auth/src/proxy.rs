//! HTTP proxies: which requests go through one, and the connector that takes them there.
//!
//! Every HTTP client of the SDK (the OSS client's transport and the credential providers'
//! [`DefaultHttpClient`](crate::http_client::DefaultHttpClient)) follows the same rules:
//!
//! * **Where the proxy comes from** ([`ProxyConfig`]): by default the environment, read once
//!   when the client is built, as curl reads it: `https_proxy`/`HTTPS_PROXY` for `https://`
//!   targets, `http_proxy`/`HTTP_PROXY` for `http://` targets, `all_proxy`/`ALL_PROXY` for
//!   either when its own variable is unset, and `no_proxy`/`NO_PROXY`. The lower-case name wins
//!   when both are set; empty values count as unset. In a CGI program (`REQUEST_METHOD` is set)
//!   `HTTP_PROXY` is ignored, since a request's `Proxy:` header arrives under that name
//!   ("httpoxy"); `http_proxy` still counts. Or an explicit proxy for every target
//!   ([`ProxyConfig::url`]), or none ([`ProxyConfig::disabled`]).
//! * **Proxy URLs**: `http://[user:password@]host[:port]` (the port defaults to 80; a URL
//!   without scheme means `http://`). The user name and password may be percent-encoded and are
//!   sent as `Proxy-Authorization: Basic`. Other schemes (`https://` proxies, SOCKS) are refused
//!   with an error rather than ignored, so traffic never goes direct by surprise.
//! * **`NO_PROXY`**: comma-separated host names (each also matching its subdomains; a leading
//!   dot is optional), IP addresses, CIDR ranges, or `*` for everything; as curl. Loopback
//!   addresses are not exempt unless listed (unlike Go's `net/http`): list `localhost` and
//!   `127.0.0.1` when a local emulator should be reached directly.
//! * **The ECS metadata server** (`100.100.100.200`) is always reached directly: it is
//!   link-local to the instance, and a proxy cannot reach it, or worse would see the instance's
//!   role credentials. The ECS RAM role provider also builds its client without proxies.
//! * **How**: an `https://` target is reached through a `CONNECT host:port` tunnel (TLS then runs
//!   end to end, the proxy sees only the host name); an `http://` target is sent to the proxy in
//!   absolute form (`GET http://host/path HTTP/1.1`) with the `Proxy-Authorization` header added
//!   by the transport after signing. The header value is marked sensitive, and the password
//!   never appears in `Debug` output, errors or traces: proxy URLs are shown as
//!   `http://***@host:port`.
//!
//! The matching and the tunnel are hyper-util's (`client::proxy::matcher::Matcher`,
//! `client::legacy::connect::proxy::Tunnel`); this module adds the environment source, the
//! validation, the metadata exemption and the connector that picks the route per target.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::Uri;
use http::header::HeaderValue;
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::proxy::matcher::{Intercept, Matcher};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tower_service::Service;

use crate::Env;

/// The ECS instance metadata address, which is always reached without a proxy.
pub const METADATA_HOST: &str = "100.100.100.200";

type BoxError = Box<dyn StdError + Send + Sync>;

/// Where a client's proxy settings come from; see the [module documentation](self) for the
/// rules. The default reads the process environment when the client is built.
#[derive(Clone, Default)]
pub struct ProxyConfig {
    source: Source,
    no_proxy: Option<String>,
}

#[derive(Clone, Default)]
enum Source {
    #[default]
    Environment,
    EnvironmentIn(Env),
    Url(String),
    Disabled,
}

impl ProxyConfig {
    /// `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` (either case) from the process
    /// environment, read when the client is built. The default.
    pub fn from_env() -> Self {
        Self::default()
    }

    /// The same variables, looked up in `env` instead of the process environment (tests, or a
    /// provider's own [`Env`]).
    pub fn from_env_in(env: Env) -> Self {
        Self {
            source: Source::EnvironmentIn(env),
            no_proxy: None,
        }
    }

    /// Every `http://` and `https://` target through this proxy,
    /// `http://[user:password@]host[:port]`; the environment is ignored.
    pub fn url(url: impl Into<String>) -> Self {
        Self {
            source: Source::Url(url.into()),
            no_proxy: None,
        }
    }

    /// No proxy at all; the environment is ignored.
    pub fn disabled() -> Self {
        Self {
            source: Source::Disabled,
            no_proxy: None,
        }
    }

    /// Targets reached directly, in `NO_PROXY` syntax (`"localhost,127.0.0.1,.internal"`).
    /// Replaces the environment's `NO_PROXY` when the proxy comes from the environment.
    pub fn with_no_proxy(mut self, hosts: impl Into<String>) -> Self {
        self.no_proxy = Some(hosts.into());
        self
    }

    /// Reads the settings (the environment, for the default) and checks them.
    ///
    /// # Errors
    /// [`ProxyError`] when a proxy URL is malformed or not `http://`; the message names the
    /// variable and shows the URL without its password.
    pub fn resolve(&self) -> Result<Proxies, ProxyError> {
        let (http, https, no_proxy) = match &self.source {
            Source::Disabled => return Ok(Proxies::none()),
            Source::Url(url) => {
                let url = ProxyUrl::parse("the proxy URL", url)?;
                (Some(url.clone()), Some(url), self.no_proxy.clone())
            }
            Source::Environment => from_env(&Env::process(), self.no_proxy.clone())?,
            Source::EnvironmentIn(env) => from_env(env, self.no_proxy.clone())?,
        };
        Ok(Proxies::new(http, https, no_proxy.unwrap_or_default()))
    }
}

impl fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("ProxyConfig");
        match &self.source {
            Source::Environment => d.field("source", &"environment"),
            Source::EnvironmentIn(env) => d.field("source", env),
            Source::Url(url) => d.field("url", &redact(url)),
            Source::Disabled => d.field("source", &"disabled"),
        };
        if let Some(no_proxy) = &self.no_proxy {
            d.field("no_proxy", no_proxy);
        }
        d.finish()
    }
}

type EnvProxies = (Option<ProxyUrl>, Option<ProxyUrl>, Option<String>);

fn from_env(env: &Env, no_proxy: Option<String>) -> Result<EnvProxies, ProxyError> {
    let first = |names: &[&'static str]| {
        names
            .iter()
            .find_map(|name| env.get_non_empty(name).map(|value| (*name, value)))
    };
    let parse = |found: Option<(&'static str, String)>| {
        found
            .map(|(name, value)| ProxyUrl::parse(name, &value))
            .transpose()
    };
    let cgi = env.get("REQUEST_METHOD").is_some();
    let http_names: &[&str] = if cgi {
        &["http_proxy"]
    } else {
        &["http_proxy", "HTTP_PROXY"]
    };
    let all = parse(first(&["all_proxy", "ALL_PROXY"]))?;
    let http = parse(first(http_names))?.or_else(|| all.clone());
    let https = parse(first(&["https_proxy", "HTTPS_PROXY"]))?.or(all);
    let no_proxy = no_proxy.or_else(|| first(&["no_proxy", "NO_PROXY"]).map(|(_, v)| v));
    Ok((http, https, no_proxy))
}

/// A checked proxy URL.
#[derive(Clone)]
struct ProxyUrl {
    /// As given (with any password): what hyper-util's matcher parses.
    raw: String,
    /// Without the password, for `Debug` and errors.
    shown: String,
    /// Whether it has a user name (and password) to send.
    has_userinfo: bool,
}

impl ProxyUrl {
    fn parse(source: &str, value: &str) -> Result<Self, ProxyError> {
        let raw = value.trim().to_owned();
        let shown = redact(&raw);
        let invalid = |why: &str| ProxyError(format!("{source} {shown:?} {why}"));
        let uri: Uri = raw
            .parse()
            .map_err(|_| invalid("is not a URL (http://[user:password@]host[:port])"))?;
        match uri.scheme_str() {
            None => {}
            Some(scheme) if scheme.eq_ignore_ascii_case("http") => {}
            Some(scheme) => {
                return Err(invalid(&format!(
                    "uses the scheme {scheme}://, which is not supported: use an http:// proxy \
                     (CONNECT tunnels carry https:// traffic)"
                )));
            }
        }
        let authority = uri.authority().map_or("", |a| a.as_str());
        let has_userinfo = authority.contains('@');
        let host_port = authority.rsplit('@').next().unwrap_or_default();
        if host_port.is_empty() || host_port.starts_with(':') {
            return Err(invalid("has no host"));
        }
        if uri.path_and_query().is_some_and(|p| p.as_str() != "/") {
            return Err(invalid("has a path; give only http://host:port"));
        }
        Ok(Self {
            raw,
            shown,
            has_userinfo,
        })
    }
}

/// `http://user:password@host:port` → `http://***@host:port`.
fn redact(url: &str) -> String {
    let (scheme, rest) = match url.find("://") {
        Some(i) => url.split_at(i + 3),
        None => ("", url),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    match authority.rfind('@') {
        Some(at) => format!("{scheme}***{}{tail}", &authority[at..]),
        None => url.to_owned(),
    }
}

/// A malformed or unsupported proxy setting.
#[derive(Debug, Clone)]
pub struct ProxyError(String);

impl fmt::Display for ProxyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl StdError for ProxyError {}

/// Resolved proxy rules ([`ProxyConfig::resolve`]): which target goes through which proxy.
/// Cheap to clone; `Debug` shows proxy URLs without passwords.
#[derive(Clone, Default)]
pub struct Proxies(Option<Arc<Rules>>);

struct Rules {
    matcher: Matcher,
    http: Option<String>,
    https: Option<String>,
    no_proxy: String,
    /// Whether `http://` targets carry a `Proxy-Authorization` header.
    http_auth: bool,
}

impl Proxies {
    /// Every target directly.
    pub fn none() -> Self {
        Self(None)
    }

    fn new(http: Option<ProxyUrl>, https: Option<ProxyUrl>, no_proxy: String) -> Self {
        if http.is_none() && https.is_none() {
            return Self::none();
        }
        let mut builder = Matcher::builder().no(no_proxy.as_str());
        if let Some(url) = &http {
            builder = builder.http(url.raw.as_str());
        }
        if let Some(url) = &https {
            builder = builder.https(url.raw.as_str());
        }
        let matcher = builder.build();
        let http_auth = http.as_ref().is_some_and(|u| u.has_userinfo);
        Self(Some(Arc::new(Rules {
            matcher,
            http: http.map(|u| u.shown),
            https: https.map(|u| u.shown),
            no_proxy,
            http_auth,
        })))
    }

    /// Whether every target is reached directly.
    pub fn is_none(&self) -> bool {
        self.0.is_none()
    }

    fn intercept(&self, target: &Uri) -> Option<Intercept> {
        let rules = self.0.as_ref()?;
        if target.host() == Some(METADATA_HOST) {
            return None;
        }
        rules.matcher.intercept(target)
    }

    /// The proxy a request to `target` goes through (without its password), or `None` when it
    /// goes directly.
    pub fn proxy_for(&self, target: &Uri) -> Option<String> {
        let intercept = self.intercept(target)?;
        let rules = self.0.as_ref()?;
        let shown = if target.scheme() == Some(&http::uri::Scheme::HTTPS) {
            &rules.https
        } else {
            &rules.http
        };
        Some(shown.clone().unwrap_or_else(|| intercept.uri().to_string()))
    }

    /// The `Proxy-Authorization` value an `http://` request to `target` must carry: `Some`
    /// only when it goes through a proxy whose URL has a user name. (`https://` requests
    /// authenticate in their `CONNECT`, which the connector sends.)
    pub fn http_authorization(&self, target: &Uri) -> Option<HeaderValue> {
        let rules = self.0.as_ref()?;
        if !rules.http_auth || target.scheme() != Some(&http::uri::Scheme::HTTP) {
            return None;
        }
        let mut value = self.intercept(target)?.basic_auth()?.clone();
        value.set_sensitive(true);
        Some(value)
    }
}

impl fmt::Debug for Proxies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(rules) = &self.0 else {
            return f.write_str("Proxies(none)");
        };
        let mut d = f.debug_struct("Proxies");
        if let Some(http) = &rules.http {
            d.field("http", http);
        }
        if let Some(https) = &rules.https {
            d.field("https", https);
        }
        if !rules.no_proxy.is_empty() {
            d.field("no_proxy", &rules.no_proxy);
        }
        d.finish()
    }
}

/// The connector under TLS: connects to the target directly, to the proxy (for `http://`
/// targets, marking the connection as proxied so requests go in absolute form), or through a
/// `CONNECT` tunnel (for `https://` targets, TLS then runs inside it).
#[derive(Clone)]
pub struct ProxyConnector {
    http: HttpConnector,
    proxies: Proxies,
}

impl ProxyConnector {
    /// Routes the connections of `http` by `proxies`.
    pub fn new(http: HttpConnector, proxies: Proxies) -> Self {
        Self { http, proxies }
    }

    /// The rules this connector follows.
    pub fn proxies(&self) -> &Proxies {
        &self.proxies
    }
}

impl fmt::Debug for ProxyConnector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxyConnector")
            .field("proxies", &self.proxies)
            .finish_non_exhaustive()
    }
}

/// A connection made by [`ProxyConnector`].
#[derive(Debug)]
pub struct ProxyStream {
    io: TokioIo<TcpStream>,
    /// Connected to an HTTP proxy that forwards absolute-form requests.
    forwarding: bool,
}

type Connecting = Pin<Box<dyn Future<Output = Result<ProxyStream, BoxError>> + Send>>;

impl Service<Uri> for ProxyConnector {
    type Response = ProxyStream;
    type Error = BoxError;
    type Future = Connecting;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.http.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, target: Uri) -> Connecting {
        let Some(intercept) = self.proxies.intercept(&target) else {
            let connecting = self.http.call(target);
            return Box::pin(async move {
                let io = connecting.await?;
                Ok(ProxyStream {
                    io,
                    forwarding: false,
                })
            });
        };
        let shown = self.proxies.proxy_for(&target).unwrap_or_default();
        let via = move |e: BoxError| -> BoxError {
            Box::new(ViaProxy {
                proxy: shown,
                source: e,
            })
        };
        if target.scheme() == Some(&http::uri::Scheme::HTTPS) {
            let mut tunnel = Tunnel::new(intercept.uri().clone(), self.http.clone());
            if let Some(auth) = intercept.basic_auth() {
                tunnel = tunnel.with_auth(auth.clone());
            }
            let connecting = tunnel.call(target);
            Box::pin(async move {
                let io = connecting.await.map_err(|e| via(Box::new(e)))?;
                Ok(ProxyStream {
                    io,
                    forwarding: false,
                })
            })
        } else {
            let connecting = self.http.call(intercept.uri().clone());
            Box::pin(async move {
                let io = connecting.await.map_err(|e| via(Box::new(e)))?;
                Ok(ProxyStream {
                    io,
                    forwarding: true,
                })
            })
        }
    }
}

/// A connection failure through a proxy, naming the proxy (without its password).
#[derive(Debug)]
struct ViaProxy {
    proxy: String,
    source: BoxError,
}

impl fmt::Display for ViaProxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "through the proxy {}: {}", self.proxy, self.source)
    }
}

impl StdError for ViaProxy {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.source)
    }
}

impl Connection for ProxyStream {
    fn connected(&self) -> Connected {
        self.io.connected().proxy(self.forwarding)
    }
}

impl Read for ProxyStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl Write for ProxyStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Env {
        Env::from_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    fn route(proxies: &Proxies, target: &str) -> Option<String> {
        proxies.proxy_for(&target.parse().unwrap())
    }

    #[test]
    fn environment_variables_as_curl_reads_them() {
        let p = ProxyConfig::from_env_in(env(&[
            ("HTTPS_PROXY", "http://secure-proxy:3128"),
            ("http_proxy", "plain-proxy:8080"),
            ("NO_PROXY", "internal.example, 10.0.0.0/8,::1"),
        ]))
        .resolve()
        .unwrap();
        assert_eq!(
            route(&p, "https://oss-cn-hangzhou.aliyuncs.com/").as_deref(),
            Some("http://secure-proxy:3128")
        );
        assert_eq!(
            route(&p, "http://oss-cn-hangzhou.aliyuncs.com/").as_deref(),
            Some("plain-proxy:8080")
        );
        for direct in [
            "https://internal.example/",
            "https://bucket.internal.example/",
            "http://10.1.2.3:9000/",
            "http://[::1]:9000/",
            "http://100.100.100.200/latest/meta-data/",
        ] {
            assert_eq!(route(&p, direct), None, "{direct}");
        }
        assert!(route(&p, "https://notinternal.example/").is_some());
        assert!(
            route(&p, "http://127.0.0.1:9000/").is_some(),
            "loopback is not exempt"
        );
    }

    #[test]
    fn lower_case_wins_all_proxy_fills_in_and_empty_is_unset() {
        let p = ProxyConfig::from_env_in(env(&[
            ("https_proxy", "http://lower:1"),
            ("HTTPS_PROXY", "http://upper:2"),
            ("HTTP_PROXY", ""),
            ("ALL_PROXY", "http://all:3"),
        ]))
        .resolve()
        .unwrap();
        assert_eq!(
            route(&p, "https://a.example/").as_deref(),
            Some("http://lower:1")
        );
        assert_eq!(
            route(&p, "http://a.example/").as_deref(),
            Some("http://all:3")
        );
        assert!(
            ProxyConfig::from_env_in(env(&[]))
                .resolve()
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn cgi_programs_ignore_upper_case_http_proxy() {
        let p = ProxyConfig::from_env_in(env(&[
            ("REQUEST_METHOD", "GET"),
            ("HTTP_PROXY", "http://attacker:1"),
        ]))
        .resolve()
        .unwrap();
        assert_eq!(route(&p, "http://a.example/"), None);
        let p = ProxyConfig::from_env_in(env(&[
            ("REQUEST_METHOD", "GET"),
            ("http_proxy", "http://mine:1"),
        ]))
        .resolve()
        .unwrap();
        assert_eq!(
            route(&p, "http://a.example/").as_deref(),
            Some("http://mine:1")
        );
    }

    #[test]
    fn explicit_proxy_ignores_the_environment_and_takes_its_own_exclusions() {
        let p = ProxyConfig::url("http://proxy:3128")
            .with_no_proxy("localhost,.corp")
            .resolve()
            .unwrap();
        assert!(route(&p, "https://oss-cn-beijing.aliyuncs.com/").is_some());
        assert!(route(&p, "http://oss-cn-beijing.aliyuncs.com/").is_some());
        assert_eq!(route(&p, "http://localhost:9000/"), None);
        assert_eq!(route(&p, "https://sts.corp/"), None);
        assert_eq!(route(&p, "http://100.100.100.200/"), None, "metadata");
        assert!(ProxyConfig::disabled().resolve().unwrap().is_none());
        // NO_PROXY from the environment can be replaced too.
        let p = ProxyConfig::from_env_in(env(&[
            ("HTTPS_PROXY", "http://p:1"),
            ("NO_PROXY", "a.example"),
        ]))
        .with_no_proxy("b.example")
        .resolve()
        .unwrap();
        assert!(route(&p, "https://a.example/").is_some());
        assert_eq!(route(&p, "https://b.example/"), None);
        let star = ProxyConfig::url("http://p:1")
            .with_no_proxy("*")
            .resolve()
            .unwrap();
        assert_eq!(route(&star, "https://a.example/"), None);
    }

    #[test]
    fn credentials_become_basic_auth_for_http_targets_and_are_never_shown() {
        let config = ProxyConfig::url("http://Aladdin:open%20sesame@proxy:3128");
        let p = config.resolve().unwrap();
        let auth = p
            .http_authorization(&"http://bucket.example/key".parse().unwrap())
            .unwrap();
        // base64("Aladdin:open sesame")
        assert_eq!(auth, "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert!(auth.is_sensitive());
        assert_eq!(
            p.http_authorization(&"https://bucket.example/key".parse().unwrap()),
            None,
            "https targets authenticate in the CONNECT"
        );
        for shown in [
            format!("{config:?}"),
            format!("{p:?}"),
            route(&p, "https://a.example/").unwrap(),
        ] {
            assert!(
                !shown.contains("sesame") && !shown.contains("Aladdin"),
                "{shown}"
            );
            assert!(shown.contains("***@proxy:3128"), "{shown}");
        }
        let excluding = ProxyConfig::url("http://u:p@proxy:3128")
            .with_no_proxy("example.invalid,a.example")
            .resolve()
            .unwrap();
        assert!(
            excluding
                .http_authorization(&"http://b.example/".parse().unwrap())
                .is_some()
        );
        assert_eq!(
            excluding.http_authorization(&"http://a.example/".parse().unwrap()),
            None,
            "excluded hosts get no header"
        );
        let without = ProxyConfig::url("http://proxy:3128").resolve().unwrap();
        assert_eq!(
            without.http_authorization(&"http://a.example/".parse().unwrap()),
            None
        );
    }

    #[test]
    fn unsupported_or_malformed_proxy_urls_are_errors_without_the_password() {
        for (url, why) in [
            ("https://u:hunter2@proxy:443", "https://"),
            ("socks5://u:hunter2@proxy:1080", "socks5://"),
            ("http://u:hunter2@proxy:3128/some/path", "path"),
            ("http://", "not a URL"),
            ("http://u:hunter2@:3128", "no host"),
        ] {
            let err = ProxyConfig::url(url).resolve().unwrap_err().to_string();
            assert!(err.contains(why), "{url}: {err}");
            assert!(!err.contains("hunter2"), "{err}");
        }
        let err = ProxyConfig::from_env_in(env(&[("HTTPS_PROXY", "socks5://proxy:1080")]))
            .resolve()
            .unwrap_err();
        assert!(err.to_string().starts_with("HTTPS_PROXY "), "{err}");
    }

    #[test]
    fn redaction() {
        assert_eq!(redact("http://u:p@h:1"), "http://***@h:1");
        assert_eq!(redact("u:p@h:1"), "***@h:1");
        assert_eq!(redact("http://h:1/"), "http://h:1/");
        assert_eq!(redact("http://u:p@w@h:1/x@y"), "http://***@h:1/x@y");
    }
}
