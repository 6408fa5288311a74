//! HTTP proxies: the client and the credential providers against the emulator behind a small
//! proxy written here (CONNECT tunnels, absolute-form forwarding, `Proxy-Authorization`
//! checks, a record of what it saw).
//!
//! Environment variables are injected through `ProxyConfig::from_env_in` / a provider's `env`,
//! never set on this process; the one test of the real process environment runs a copy of this
//! binary as a child process with the variables set for it alone.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use oss_auth::http_client::{DefaultHttpClient, HttpSend as _};
use oss_client::auth::{
    CredentialsUriProvider, EcsRamRoleProvider, Env, ProvideCredentials, RamRoleArnProvider,
    StaticCredentialsProvider,
};
use oss_client::{AddressingStyle, Client, ProxyConfig, RootCertificates};
use oss_emulator::{Emulator, EmulatorBuilder, EmulatorHandle, FakeService};
use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::{TcpListener, TcpStream};

const TLS_DATA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../crates/oss-emulator/tests/data/tls"
);

/// What the proxy saw of one request.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    target: String,
    proxy_authorization: Option<String>,
    /// Every header line, as sent (`name: value`).
    headers: Vec<String>,
}

/// A proxy on 127.0.0.1: CONNECT is tunnelled, absolute-form requests are forwarded (one per
/// connection, with `Connection: close`), host names ending in `.test` mean 127.0.0.1. With
/// `required` credentials, anything else gets a 407.
struct TestProxy {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl TestProxy {
    async fn start(required: Option<(&str, &str)>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let expected = required.map(|(user, password)| {
            let encoded =
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
            format!("Basic {encoded}")
        });
        let record = Arc::clone(&seen);
        let task = tokio::spawn(async move {
            loop {
                let Ok((conn, _)) = listener.accept().await else {
                    return;
                };
                let record = Arc::clone(&record);
                let expected = expected.clone();
                tokio::spawn(async move {
                    let _ = serve(conn, record, expected).await;
                });
            }
        });
        Self { addr, seen, task }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn url_with(&self, userinfo: &str) -> String {
        format!("http://{userinfo}@{}", self.addr)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    fn forget(&self) {
        self.seen.lock().unwrap().clear();
    }
}

impl Drop for TestProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    conn: TcpStream,
    record: Arc<Mutex<Vec<Seen>>>,
    expected: Option<String>,
) -> std::io::Result<()> {
    let mut client = BufReader::new(conn);
    let mut request_line = String::new();
    client.read_line(&mut request_line).await?;
    let mut parts = request_line.split_whitespace();
    let (method, target) = (
        parts.next().unwrap_or_default().to_owned(),
        parts.next().unwrap_or_default().to_owned(),
    );
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        client.read_line(&mut line).await?;
        let line = line.trim_end().to_owned();
        if line.is_empty() {
            break;
        }
        headers.push(line);
    }
    let header = |name: &str| {
        headers.iter().find_map(|h| {
            let (n, v) = h.split_once(':')?;
            n.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_owned())
        })
    };
    let proxy_authorization = header("proxy-authorization");
    record.lock().unwrap().push(Seen {
        method: method.clone(),
        target: target.clone(),
        proxy_authorization: proxy_authorization.clone(),
        headers: headers.clone(),
    });
    if expected.is_some() && proxy_authorization != expected {
        client
            .get_mut()
            .write_all(
                b"HTTP/1.1 407 Proxy Authentication Required\r\n\
                  Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\
                  Connection: close\r\n\r\n",
            )
            .await?;
        return Ok(());
    }
    let upstream_of = |authority: &str| {
        let (host, port) = authority.rsplit_once(':').unwrap_or((authority, "80"));
        let host = if host.ends_with(".test") {
            "127.0.0.1"
        } else {
            host
        };
        format!("{host}:{port}")
    };
    let buffered = client.buffer().to_vec();
    let mut client = client.into_inner();
    if method == "CONNECT" {
        let mut upstream = TcpStream::connect(upstream_of(&target)).await?;
        client
            .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
            .await?;
        upstream.write_all(&buffered).await?;
        tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
        return Ok(());
    }
    // Absolute form: http://host:port/path?query.
    let uri: http::Uri = target.parse().map_err(std::io::Error::other)?;
    let upstream = TcpStream::connect(upstream_of(uri.authority().unwrap().as_str())).await?;
    let (mut up_read, mut up_write) = upstream.into_split();
    let mut head = format!(
        "{method} {} HTTP/1.1\r\n",
        uri.path_and_query().map_or("/", |p| p.as_str())
    );
    for h in &headers {
        let name = h.split(':').next().unwrap_or_default().trim();
        if !["proxy-authorization", "proxy-connection", "connection"]
            .iter()
            .any(|n| name.eq_ignore_ascii_case(n))
        {
            head.push_str(h);
            head.push_str("\r\n");
        }
    }
    head.push_str("Connection: close\r\n\r\n");
    up_write.write_all(head.as_bytes()).await?;
    up_write.write_all(&buffered).await?;
    let (mut client_read, mut client_write) = client.into_split();
    let body = tokio::spawn(async move {
        let _ = tokio::io::copy(&mut client_read, &mut up_write).await;
    });
    tokio::io::copy(&mut up_read, &mut client_write).await?;
    body.abort();
    client_write.shutdown().await?;
    Ok(())
}

fn tls_file(name: &str) -> Vec<u8> {
    std::fs::read(format!("{TLS_DATA}/{name}")).unwrap()
}

fn test_ca() -> RootCertificates {
    let pem = String::from_utf8(tls_file("ca.pem")).unwrap();
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    RootCertificates::Custom(vec![
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap(),
    ])
}

async fn emulator(configure: impl FnOnce(EmulatorBuilder) -> EmulatorBuilder) -> EmulatorHandle {
    configure(Emulator::builder()).start().await.unwrap()
}

async fn tls_emulator() -> EmulatorHandle {
    emulator(|b| b.tls(tls_file("cert.pem"), tls_file("key.pem"))).await
}

fn client_builder(emu: &EmulatorHandle) -> oss_client::ClientBuilder {
    Client::builder()
        .region(emu.region())
        .endpoint(emu.endpoint())
        .addressing_style(AddressingStyle::Path)
        .root_certificates(test_ca())
        .credentials_provider(
            StaticCredentialsProvider::new(emu.access_key_id(), emu.access_key_secret()).unwrap(),
        )
}

/// Creates a bucket, writes and reads an object: three requests.
async fn round_trip(client: &Client, bucket: &str) {
    client.put_bucket().bucket(bucket).send().await.unwrap();
    client
        .put_object()
        .bucket(bucket)
        .key("k")
        .body("through the proxy")
        .send()
        .await
        .unwrap();
    let got = client
        .get_object()
        .bucket(bucket)
        .key("k")
        .send()
        .await
        .unwrap();
    assert_eq!(got.body.collect().await.unwrap(), &b"through the proxy"[..]);
}

fn authority(url: &str) -> &str {
    url.split("://").nth(1).unwrap().trim_end_matches('/')
}

fn basic(user: &str, password: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

#[tokio::test]
async fn https_endpoints_are_reached_through_a_connect_tunnel_with_basic_auth() {
    let proxy = TestProxy::start(Some(("alice", "s3cret:pw"))).await;
    let emu = tls_emulator().await;
    assert!(emu.endpoint().starts_with("https://"));
    // The password is percent-encoded in the URL and decoded for the header.
    let client = client_builder(&emu)
        .proxy(proxy.url_with("alice:s3cret%3Apw"))
        .build()
        .unwrap();
    round_trip(&client, "tunnelled").await;
    let seen = proxy.seen();
    assert!(!seen.is_empty());
    for s in &seen {
        assert_eq!(s.method, "CONNECT", "{s:?}");
        assert_eq!(s.target, authority(emu.endpoint()), "{s:?}");
        assert_eq!(
            s.proxy_authorization.as_deref(),
            Some(basic("alice", "s3cret:pw").as_str())
        );
    }
    // The connection (and its tunnel) is pooled: fewer CONNECTs than requests.
    assert!(seen.len() < 3, "{seen:?}");
    emu.shutdown().await;
}

#[tokio::test]
async fn http_endpoints_are_sent_to_the_proxy_in_absolute_form_with_basic_auth() {
    let proxy = TestProxy::start(Some(("bob", "pw"))).await;
    let emu = emulator(|b| b).await;
    let client = client_builder(&emu)
        .proxy(proxy.url_with("bob:pw"))
        .build()
        .unwrap();
    round_trip(&client, "forwarded").await;
    let seen = proxy.seen();
    let lines: Vec<_> = seen
        .iter()
        .map(|s| format!("{} {}", s.method, s.target))
        .collect();
    let base = emu.endpoint().trim_end_matches('/');
    assert_eq!(
        lines,
        [
            format!("PUT {base}/forwarded/"),
            format!("PUT {base}/forwarded/k"),
            format!("GET {base}/forwarded/k"),
        ]
    );
    assert!(
        seen.iter()
            .all(|s| s.proxy_authorization.as_deref() == Some(basic("bob", "pw").as_str()))
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn no_proxy_excludes_hosts() {
    let proxy = TestProxy::start(None).await;
    let emu = emulator(|b| b).await;
    // An explicit proxy with its own exclusions.
    let client = client_builder(&emu)
        .proxy_config(ProxyConfig::url(proxy.url()).with_no_proxy("example.com, 127.0.0.1"))
        .build()
        .unwrap();
    round_trip(&client, "excluded").await;
    assert!(proxy.seen().is_empty(), "{:?}", proxy.seen());

    // NO_PROXY from the (injected) environment, which has a CIDR range.
    let direct = Env::from_pairs([
        ("HTTP_PROXY", proxy.url()),
        ("no_proxy", "127.0.0.0/8".into()),
    ]);
    let client = client_builder(&emu)
        .proxy_config(ProxyConfig::from_env_in(direct))
        .build()
        .unwrap();
    round_trip(&client, "excluded-by-env").await;
    assert!(proxy.seen().is_empty(), "{:?}", proxy.seen());

    // Another host excluded: this one goes through the proxy.
    let proxied = Env::from_pairs([
        ("HTTP_PROXY", proxy.url()),
        ("NO_PROXY", "other.test".into()),
    ]);
    let client = client_builder(&emu)
        .proxy_config(ProxyConfig::from_env_in(proxied))
        .build()
        .unwrap();
    round_trip(&client, "not-excluded").await;
    assert_eq!(proxy.seen().len(), 3);
    emu.shutdown().await;
}

#[tokio::test]
async fn proxy_variables_come_from_the_environment_per_scheme() {
    let proxy = TestProxy::start(None).await;
    let other = TestProxy::start(None).await;
    let tls = tls_emulator().await;
    let plain = emulator(|b| b).await;
    // HTTPS_PROXY for the https endpoint, http_proxy (lower case wins) for the http one.
    let env = Env::from_pairs([
        ("HTTPS_PROXY", proxy.url()),
        ("http_proxy", proxy.url()),
        ("HTTP_PROXY", other.url()),
    ]);
    for emu in [&tls, &plain] {
        let client = client_builder(emu)
            .proxy_config(ProxyConfig::from_env_in(env.clone()))
            .build()
            .unwrap();
        round_trip(&client, "by-scheme").await;
    }
    let methods: Vec<_> = proxy.seen().into_iter().map(|s| s.method).collect();
    assert!(
        methods.first().is_some_and(|m| m == "CONNECT"),
        "{methods:?}"
    );
    assert!(methods.ends_with(&["PUT".into(), "PUT".into(), "GET".into()]));
    assert!(other.seen().is_empty());
    // ALL_PROXY when the scheme's own variable is unset.
    proxy.forget();
    let client = client_builder(&plain)
        .proxy_config(ProxyConfig::from_env_in(Env::from_pairs([(
            "ALL_PROXY",
            proxy.url(),
        )])))
        .build()
        .unwrap();
    round_trip(&client, "all-proxy").await;
    assert_eq!(proxy.seen().len(), 3);
    tls.shutdown().await;
    plain.shutdown().await;
}

#[tokio::test]
async fn proxy_credentials_never_show_in_debug_output_or_errors() {
    let proxy = TestProxy::start(Some(("carol", "right"))).await;
    let emu = tls_emulator().await;
    let builder = client_builder(&emu).proxy(proxy.url_with("carol:wrong-pw"));
    let shown = format!("{builder:?}");
    let client = builder.build().unwrap();
    let err = client
        .put_bucket()
        .bucket("refused")
        .send()
        .await
        .unwrap_err();
    let mut chain = format!("{err} / {err:?}");
    let mut source = std::error::Error::source(&err);
    while let Some(s) = source {
        chain.push_str(&format!(" / {s}"));
        source = s.source();
    }
    assert!(chain.contains("proxy authorization required"), "{chain}");
    for text in [shown, format!("{client:?}"), chain] {
        assert!(
            !text.contains("wrong-pw") && !text.contains("carol"),
            "{text}"
        );
        assert!(
            !text.contains(&basic("carol", "wrong-pw")[6..]),
            "base64 of the credentials: {text}"
        );
        assert!(text.contains(&format!("***@{}", proxy.addr)), "{text}");
    }
    assert_eq!(
        proxy.seen()[0].proxy_authorization.as_deref(),
        Some(basic("carol", "wrong-pw").as_str())
    );
    emu.shutdown().await;
}

#[test]
fn unsupported_proxies_fail_the_build() {
    for url in ["https://proxy:443", "socks5://proxy:1080"] {
        let err = Client::builder()
            .region("cn-hangzhou")
            .credentials_provider(StaticCredentialsProvider::new("id", "secret").unwrap())
            .proxy(url)
            .build()
            .unwrap_err();
        assert_eq!(err.kind(), oss_client::ErrorKind::InvalidArgument, "{err}");
    }
    let err = Client::builder()
        .region("cn-hangzhou")
        .credentials_provider(StaticCredentialsProvider::new("id", "secret").unwrap())
        .proxy_config(ProxyConfig::from_env_in(Env::from_pairs([(
            "HTTPS_PROXY",
            "socks5://u:hunter2@proxy:1080",
        )])))
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("HTTPS_PROXY"), "{err}");
    assert!(!err.to_string().contains("hunter2"), "{err}");
}

#[tokio::test]
async fn ecs_metadata_goes_direct_while_sts_and_credentials_uri_use_the_proxy() {
    let proxy = TestProxy::start(None).await;
    let emu = emulator(|b| b.sts().metadata().credentials_uri()).await;
    let env = Env::from_pairs([("HTTP_PROXY", proxy.url())]);

    let ecs = EcsRamRoleProvider::builder()
        .endpoint(emu.metadata_endpoint().unwrap())
        .env(env.clone())
        .build()
        .unwrap();
    ecs.provide_credentials().await.unwrap();
    assert!(emu.fakes().requests(FakeService::Metadata) >= 2);
    assert!(proxy.seen().is_empty(), "metadata: {:?}", proxy.seen());

    let sts = RamRoleArnProvider::builder()
        .source(
            StaticCredentialsProvider::new(emu.access_key_id(), emu.access_key_secret()).unwrap(),
        )
        .role_arn(emu.role_arn())
        .role_session_name("proxied")
        .sts_endpoint(emu.sts_endpoint().unwrap())
        .env(env.clone())
        .build()
        .unwrap();
    sts.provide_credentials().await.unwrap();
    let seen = proxy.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(
        seen[0].target.starts_with(emu.sts_endpoint().unwrap()),
        "{seen:?}"
    );

    proxy.forget();
    let uri = CredentialsUriProvider::builder()
        .uri(emu.credentials_uri().unwrap())
        .env(env.clone())
        .build()
        .unwrap();
    uri.provide_credentials().await.unwrap();
    let seen = proxy.seen();
    assert_eq!(
        (seen.len(), seen[0].method.as_str(), seen[0].target.as_str()),
        (1, "GET", emu.credentials_uri().unwrap())
    );

    // An explicit proxy on the provider, too (the environment has none).
    proxy.forget();
    let sts = RamRoleArnProvider::builder()
        .source(
            StaticCredentialsProvider::new(emu.access_key_id(), emu.access_key_secret()).unwrap(),
        )
        .role_arn(emu.role_arn())
        .role_session_name("explicit")
        .sts_endpoint(emu.sts_endpoint().unwrap())
        .env(Env::from_pairs(Vec::<(String, String)>::new()))
        .proxy(ProxyConfig::url(proxy.url()))
        .build()
        .unwrap();
    sts.provide_credentials().await.unwrap();
    assert_eq!(proxy.seen().len(), 1);
    emu.shutdown().await;
}

#[tokio::test]
async fn the_providers_http_client_tunnels_https_too() {
    let proxy = TestProxy::start(Some(("dave", "pw"))).await;
    let emu = emulator(|b| b.tls(tls_file("cert.pem"), tls_file("key.pem")).sts()).await;
    let RootCertificates::Custom(ca) = test_ca() else {
        unreachable!()
    };
    let http = DefaultHttpClient::with_proxy(
        &oss_auth::http_client::RootCertificates::Custom(ca),
        Duration::from_secs(5),
        &ProxyConfig::from_env_in(Env::from_pairs([(
            "HTTPS_PROXY",
            proxy.url_with("dave:pw"),
        )])),
    )
    .unwrap();
    assert!(!format!("{http:?}").contains("dave"));
    let sts = RamRoleArnProvider::builder()
        .source(
            StaticCredentialsProvider::new(emu.access_key_id(), emu.access_key_secret()).unwrap(),
        )
        .role_arn(emu.role_arn())
        .role_session_name("tunnelled")
        .sts_endpoint(emu.sts_endpoint().unwrap())
        .http_client(Arc::new(http.clone()))
        .build()
        .unwrap();
    sts.provide_credentials().await.unwrap();
    let seen = proxy.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].method, "CONNECT");
    assert_eq!(seen[0].target, authority(emu.sts_endpoint().unwrap()));
    assert_eq!(
        seen[0].proxy_authorization.as_deref(),
        Some(basic("dave", "pw").as_str())
    );
    // A direct request to the metadata address is never routed to the proxy (nothing listens
    // there in a test, so only the routing is checked).
    let unreachable = http::Request::get("http://100.100.100.200/latest/meta-data/")
        .body(Bytes::new())
        .unwrap();
    let _ = http.send(unreachable, Duration::from_millis(50)).await;
    assert_eq!(proxy.seen().len(), 1);
    emu.shutdown().await;
}

/// The child half of [`the_process_environment_is_read_by_default`]: run only by it, with
/// `HTTP_PROXY` set for this process alone.
#[tokio::test]
#[ignore = "run by the_process_environment_is_read_by_default in a child process"]
async fn child_reads_the_process_environment() {
    let Ok(endpoint) = std::env::var("OSS_PROXY_TEST_ENDPOINT") else {
        return;
    };
    assert!(std::env::var("HTTP_PROXY").is_ok());
    let builder = || {
        Client::builder()
            .region("cn-hangzhou")
            .endpoint(endpoint.clone())
            .addressing_style(AddressingStyle::Path)
            .credentials_provider(
                StaticCredentialsProvider::new(
                    std::env::var("OSS_PROXY_TEST_ID").unwrap(),
                    std::env::var("OSS_PROXY_TEST_SECRET").unwrap(),
                )
                .unwrap(),
            )
    };
    // The default: the proxy of the environment.
    round_trip(&builder().build().unwrap(), "from-process-env").await;
    // `no_proxy()` ignores it.
    round_trip(&builder().no_proxy().build().unwrap(), "ignoring-env").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_process_environment_is_read_by_default() {
    let proxy = TestProxy::start(None).await;
    let emu = emulator(|b| b).await;
    let mut child = std::process::Command::new(std::env::current_exe().unwrap());
    child
        .args([
            "--exact",
            "child_reads_the_process_environment",
            "--ignored",
            "--nocapture",
        ])
        .env("HTTP_PROXY", proxy.url())
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .env_remove("REQUEST_METHOD")
        .env("OSS_PROXY_TEST_ENDPOINT", emu.endpoint())
        .env("OSS_PROXY_TEST_ID", emu.access_key_id())
        .env("OSS_PROXY_TEST_SECRET", emu.access_key_secret());
    let output = tokio::task::spawn_blocking(move || child.output())
        .await
        .unwrap()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let targets: Vec<_> = proxy.seen().into_iter().map(|s| s.target).collect();
    assert_eq!(targets.len(), 3, "{targets:?}");
    assert!(
        targets.iter().all(|t| t.contains("/from-process-env")),
        "{targets:?}"
    );
    emu.shutdown().await;
}

/// The Uploader's per-object options go on the request that creates the object (its
/// PutObject or InitiateMultipartUpload) and never on an UploadPart or the
/// CompleteMultipartUpload; the per-request controls (traffic limit, request payer) go on
/// every part too. Seen on the wire through the recording proxy.
#[tokio::test]
async fn uploader_options_go_on_initiate_only_and_controls_on_every_part() {
    use oss_client::operation::encryption::ServerSideEncryption;
    use oss_client::operation::object_options::{MAX_TRAFFIC_LIMIT, ObjectOptions};
    use oss_client::transfer::Uploader;

    let proxy = TestProxy::start(None).await;
    let emu = emulator(|b| b).await;
    let client = client_builder(&emu).proxy(proxy.url()).build().unwrap();
    client.put_bucket().bucket("opts").send().await.unwrap();
    let part = 100 * 1024;
    Uploader::new(&client)
        .part_size(part)
        .multipart_threshold(part)
        .concurrency(1)
        .options(
            ObjectOptions::new()
                .cache_control("no-cache")
                .metadata("owner", "web")
                .tag("k", "v")
                .acl("private")
                .server_side_encryption(ServerSideEncryption::Sm4)
                .traffic_limit(MAX_TRAFFIC_LIMIT)
                .request_payer(true),
        )
        .upload_bytes(
            "opts",
            "site/page.html",
            vec![1u8; 2 * part as usize].into(),
        )
        .await
        .unwrap();
    let has = |s: &Seen, name: &str| {
        s.headers
            .iter()
            .any(|h| h.to_ascii_lowercase().starts_with(&format!("{name}:")))
    };
    let attributes = [
        "cache-control",
        "x-oss-meta-owner",
        "x-oss-tagging",
        "x-oss-object-acl",
        "x-oss-server-side-encryption",
        "content-type",
    ];
    let seen: Vec<Seen> = proxy
        .seen()
        .into_iter()
        .filter(|s| s.target.contains("/opts/site/page.html"))
        .collect();
    let kinds: Vec<&str> = seen
        .iter()
        .map(|s| match (s.method.as_str(), s.target.as_str()) {
            ("POST", t) if t.contains("?uploads") => "initiate",
            ("PUT", t) if t.contains("partNumber=") => "part",
            ("POST", t) if t.contains("uploadId=") => "complete",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["initiate", "part", "part", "complete"]);
    for (s, kind) in seen.iter().zip(&kinds) {
        for name in attributes {
            // The Complete's body is XML: its own Content-Type is not the object's.
            let expected = *kind == "initiate" || (*kind == "complete" && name == "content-type");
            assert_eq!(has(s, name), expected, "{kind} {name}: {:?}", s.headers);
        }
        assert!(has(s, "x-oss-request-payer"), "{kind}");
        let limited = *kind != "complete";
        assert_eq!(has(s, "x-oss-traffic-limit"), limited, "{kind}");
    }
    let initiate = &seen[0];
    assert!(
        initiate
            .headers
            .iter()
            .any(|h| h.eq_ignore_ascii_case("content-type: text/html"))
    );
    emu.shutdown().await;
}

/// Every builder and `ObjectKey` operation OSS accepts `x-oss-request-payer` on, with the
/// setter on: each request the proxy sees for the bucket carries `x-oss-request-payer:
/// requester`, and the emulator serves them all.
#[tokio::test]
async fn request_payer_reaches_the_wire_on_every_operation_that_takes_it() {
    use oss_client::operation::object_options::ObjectOptions;
    use oss_client::types::ObjectKey;

    let proxy = TestProxy::start(None).await;
    let emu = emulator(|b| b).await;
    let client = client_builder(&emu).proxy(proxy.url()).build().unwrap();
    let b = "payer";
    client.put_bucket().bucket(b).send().await.unwrap();
    proxy.forget();
    let pays = || ObjectKey::new("k").request_payer(true);
    let payer = || ObjectOptions::new().request_payer(true);
    let mut operations = Vec::new();

    // Objects: write, read, describe.
    let put = client.put_object().bucket(b).key("k").body("0123456789");
    put.options(payer()).send().await.unwrap();
    operations.push("PutObject");
    let head = client.head_object().bucket(b).key("k").request_payer(true);
    head.send().await.unwrap();
    operations.push("HeadObject");
    let get = client.get_object().bucket(b).key("k").request_payer(true);
    get.send().await.unwrap();
    operations.push("GetObject");
    let meta = client
        .get_object_meta()
        .bucket(b)
        .key("k")
        .request_payer(true);
    meta.send().await.unwrap();
    operations.push("GetObjectMeta");
    let copy = client.copy_object().bucket(b).key("copy").source_key("k");
    copy.request_payer(true).send().await.unwrap();
    operations.push("CopyObject");
    assert!(client.object_exists(b, pays()).await.unwrap());
    operations.push("object_exists");
    let append = client.append_object().bucket(b).key("log").position(0);
    append.body("abc").options(payer()).send().await.unwrap();
    operations.push("AppendObject");
    let log = ObjectKey::new("log").request_payer(true);
    client.seal_append_object(b, log, 3).await.unwrap();
    operations.push("SealAppendObject");

    // ACL, tagging, symlink (the `ObjectKey` operations).
    client
        .put_object_acl(b, pays(), oss_client::operation::acl::Acl::PublicRead)
        .await
        .unwrap();
    client.get_object_acl(b, pays()).await.unwrap();
    operations.extend(["PutObjectACL", "GetObjectACL"]);
    let tags = [("t".to_owned(), "1".to_owned())];
    client.put_object_tagging(b, pays(), &tags).await.unwrap();
    client.get_object_tagging(b, pays()).await.unwrap();
    client.delete_object_tagging(b, pays()).await.unwrap();
    operations.extend([
        "PutObjectTagging",
        "GetObjectTagging",
        "DeleteObjectTagging",
    ]);
    let link = ObjectKey::new("link").request_payer(true);
    client.put_symlink(b, link.clone(), "k").await.unwrap();
    assert_eq!(client.get_symlink(b, link).await.unwrap().target, "k");
    operations.extend(["PutSymlink", "GetSymlink"]);

    // Multipart.
    let initiate = client.initiate_multipart_upload().bucket(b).key("mp");
    let upload = initiate.options(payer()).send().await.unwrap();
    let id = upload.upload_id.as_str();
    let part = client.upload_part().bucket(b).key("mp").upload_id(id);
    let one = part.part_number(1).body(vec![1u8; 100 * 1024]);
    let one = one.request_payer(true);
    let one = one.send().await.unwrap();
    let copy_part = client.upload_part_copy().bucket(b).key("mp").upload_id(id);
    let two = copy_part.part_number(2).source_key("k").request_payer(true);
    let two = two.send().await.unwrap();
    let parts = client.list_parts().bucket(b).key("mp").upload_id(id);
    parts.request_payer(true).send().await.unwrap();
    let uploads = client.list_multipart_uploads().bucket(b);
    uploads.request_payer(true).send().await.unwrap();
    let complete = client.complete_multipart_upload().bucket(b).key("mp");
    let complete = complete.upload_id(id).part(&one).part(&two);
    complete.request_payer(true).send().await.unwrap();
    let other = client.initiate_multipart_upload().bucket(b).key("mp2");
    let other = other.options(payer()).send().await.unwrap();
    let aborted = ObjectKey::new("mp2").request_payer(true);
    client
        .abort_multipart_upload(b, aborted, &other.upload_id)
        .await
        .unwrap();
    operations.extend([
        "InitiateMultipartUpload",
        "UploadPart",
        "UploadPartCopy",
        "ListParts",
        "ListMultipartUploads",
        "CompleteMultipartUpload",
        "InitiateMultipartUpload",
        "AbortMultipartUpload",
    ]);

    // Archive objects: restore, then clean (refused while the restore runs: still sent).
    let cold = client.put_object().bucket(b).key("cold").body("frozen");
    let cold = cold.options(payer().storage_class("Archive"));
    cold.send().await.unwrap();
    let restore = client
        .restore_object()
        .bucket(b)
        .key("cold")
        .request_payer(true);
    assert_eq!(restore.send().await.unwrap().status, 202);
    let cold_key = ObjectKey::new("cold").request_payer(true);
    let cleaned = client.clean_restored_object(b, cold_key).await;
    assert_eq!(
        cleaned.unwrap_err().code(),
        Some("ArchiveRestoreNotFinished")
    );
    operations.extend(["PutObject", "RestoreObject", "CleanRestoredObject"]);

    // Listings and deletes.
    let list = client.list_objects().bucket(b).request_payer(true);
    list.send().await.unwrap();
    let list_v2 = client.list_objects_v2().bucket(b).request_payer(true);
    list_v2.send().await.unwrap();
    let versions = client.list_object_versions().bucket(b).request_payer(true);
    versions.send().await.unwrap();
    let delete = client
        .delete_object()
        .bucket(b)
        .key("copy")
        .request_payer(true);
    delete.send().await.unwrap();
    let delete_many = client
        .delete_objects()
        .bucket(b)
        .key("mp")
        .request_payer(true);
    delete_many.send().await.unwrap();
    operations.extend([
        "ListObjects",
        "ListObjectsV2",
        "ListObjectVersions",
        "DeleteObject",
        "DeleteObjects",
    ]);

    let seen = proxy.seen();
    assert_eq!(seen.len(), operations.len(), "{operations:?}");
    for (s, operation) in seen.iter().zip(&operations) {
        assert!(
            s.headers
                .iter()
                .any(|h| h.eq_ignore_ascii_case("x-oss-request-payer: requester")),
            "{operation} ({} {}): {:?}",
            s.method,
            s.target,
            s.headers
        );
    }
    emu.shutdown().await;
}

/// Operations that address no version refuse a versioned `ObjectKey` before any I/O.
#[tokio::test]
async fn unversioned_operations_refuse_a_version_id() {
    use oss_client::types::ObjectKey;

    let proxy = TestProxy::start(None).await;
    let emu = emulator(|b| b).await;
    let client = client_builder(&emu).proxy(proxy.url()).build().unwrap();
    let versioned = || ObjectKey::new("k").version_id("v1");
    let symlink = client.put_symlink("b", versioned(), "t").await;
    let seal = client.seal_append_object("b", versioned(), 0).await;
    let abort = client.abort_multipart_upload("b", versioned(), "u").await;
    for result in [symlink.map(drop), seal.map(drop), abort.map(drop)] {
        assert_eq!(
            result.unwrap_err().kind(),
            oss_client::ErrorKind::InvalidArgument
        );
    }
    assert!(proxy.seen().is_empty());
    emu.shutdown().await;
}
