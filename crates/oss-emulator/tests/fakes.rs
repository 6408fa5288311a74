//! Raw HTTP tests of the credential fakes (STS, ECS metadata, credentials URI, KMS): wire
//! format, signature checks, failures, TLS, and that every issued credential works against
//! the OSS API until it expires (ManualClock, no sleeps).

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use bytes::Bytes;
use http::{HeaderMap, Method, Request, StatusCode};
use oss_auth::Credentials;
use oss_auth::clock::ManualClock;
use oss_auth::http_client::{DefaultHttpClient, HttpErrorKind, HttpSend, RootCertificates};
use oss_auth::sign::{
    QueryParams, SignableRequest, SignatureVersion, Signer, SigningParams, uri_encode,
};
use oss_emulator::{Emulator, EmulatorBuilder, EmulatorHandle, FakeFailure, FakeService, UriShape};
use serde_json::Value;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");
const TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug)]
struct Reply {
    status: StatusCode,
    body: Bytes,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// `Code` of a JSON error, or `<Code>` of an OSS XML error.
    fn code(&self) -> String {
        let text = self.text();
        if let Ok(v) = serde_json::from_str::<Value>(&text) {
            return v["Code"].as_str().unwrap_or_default().to_owned();
        }
        let start = text.find("<Code>").map(|i| i + 6).unwrap_or(0);
        let end = text.find("</Code>").unwrap_or(start);
        text[start..end].to_owned()
    }
}

fn ca_der() -> Vec<u8> {
    let pem = std::fs::read_to_string(format!("{DATA}/tls/ca.pem")).unwrap();
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap()
}

fn start_time() -> SystemTime {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    UNIX_EPOCH + Duration::from_secs(secs)
}

struct Fx {
    emu: EmulatorHandle,
    clock: ManualClock,
    http: DefaultHttpClient,
}

impl Fx {
    async fn start(configure: impl FnOnce(EmulatorBuilder) -> EmulatorBuilder) -> Self {
        let clock = ManualClock::new(start_time());
        let builder = Emulator::builder().clock(Arc::new(clock.clone()));
        let emu = configure(builder).start().await.unwrap();
        let http =
            DefaultHttpClient::new(&RootCertificates::Custom(vec![ca_der()]), TIMEOUT).unwrap();
        Self { emu, clock, http }
    }

    fn now(&self) -> SystemTime {
        oss_auth::clock::Clock::now(&self.clock)
    }

    async fn send(&self, req: Request<Bytes>) -> Reply {
        self.try_send(req, TIMEOUT).await.unwrap()
    }

    async fn try_send(
        &self,
        req: Request<Bytes>,
        timeout: Duration,
    ) -> Result<Reply, oss_auth::http_client::HttpError> {
        let resp = self.http.send(req, timeout).await?;
        Ok(Reply {
            status: resp.status(),
            body: resp.into_body(),
        })
    }

    async fn get(&self, url: &str, headers: &[(&str, &str)]) -> Reply {
        let mut req = Request::get(url);
        for (n, v) in headers {
            req = req.header(*n, *v);
        }
        self.send(req.body(Bytes::new()).unwrap()).await
    }

    /// The common POP parameters of an AssumeRole call by `creds`.
    fn assume_role_params(&self, creds: &Credentials, nonce: &str) -> Vec<(String, String)> {
        let mut p = vec![
            ("Action", "AssumeRole".to_owned()),
            ("Version", "2015-04-01".to_owned()),
            ("Format", "JSON".to_owned()),
            ("AccessKeyId", creds.access_key_id().to_owned()),
            ("SignatureMethod", "HMAC-SHA1".to_owned()),
            ("SignatureVersion", "1.0".to_owned()),
            ("SignatureNonce", nonce.to_owned()),
            ("Timestamp", iso(self.now())),
            ("RoleArn", self.emu.role_arn().to_owned()),
            ("RoleSessionName", "test-session".to_owned()),
        ];
        if let Some(token) = creds.expose_security_token() {
            p.push(("SecurityToken", token.to_owned()));
        }
        p.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
    }

    /// Signs with `secret` and sends: GET with everything in the query, or POST with the
    /// role parameters in a form body (as credentials-go does).
    async fn sts_signed(
        &self,
        method: Method,
        params: Vec<(String, String)>,
        secret: &str,
    ) -> Reply {
        let sts = oss_auth::pop::string_to_sign(method.as_str(), &params);
        let signature = oss_auth::pop::hmac_sha1_signature(secret, &sts);
        self.sts_raw(method, params, &signature).await
    }

    async fn sts_raw(
        &self,
        method: Method,
        params: Vec<(String, String)>,
        signature: &str,
    ) -> Reply {
        let endpoint = self.emu.sts_endpoint().unwrap();
        let body_names = ["RoleArn", "RoleSessionName", "DurationSeconds", "Policy"];
        let (query, body): (Vec<_>, Vec<_>) = if method == Method::POST {
            params
                .into_iter()
                .partition(|(n, _)| !body_names.contains(&n.as_str()))
        } else {
            (params, Vec::new())
        };
        let mut query = query;
        query.push(("Signature".to_owned(), signature.to_owned()));
        let url = format!("{endpoint}/?{}", encode(&query));
        let mut req = Request::builder().method(method).uri(url);
        if !body.is_empty() {
            req = req.header("content-type", "application/x-www-form-urlencoded");
        }
        self.send(req.body(Bytes::from(encode(&body))).unwrap())
            .await
    }

    async fn assume_role(&self, creds: &Credentials) -> Reply {
        let params = self.assume_role_params(creds, &nonce());
        self.sts_signed(Method::GET, params, creds.expose_access_key_secret())
            .await
    }

    fn root(&self) -> Credentials {
        Credentials::from_keys(self.emu.access_key_id(), self.emu.access_key_secret())
    }

    /// A signed OSS request (V4, path style) with `creds` at the emulator's time.
    async fn oss(
        &self,
        method: Method,
        bucket: &str,
        key: Option<&str>,
        body: &'static [u8],
        creds: &Credentials,
    ) -> Reply {
        let mut query = QueryParams::new();
        let mut headers = HeaderMap::new();
        let method_s = method.as_str().to_owned();
        let params = SigningParams::new(creds, self.emu.region(), self.now());
        Signer::new(SignatureVersion::V4)
            .sign_headers(
                &mut SignableRequest {
                    method: &method_s,
                    bucket: Some(bucket),
                    key,
                    query: &mut query,
                    headers: &mut headers,
                },
                &params,
            )
            .unwrap();
        let mut url = format!("{}/{bucket}/", self.emu.endpoint());
        if let Some(k) = key {
            url.push_str(&uri_encode(k, true));
        }
        let mut req = Request::builder().method(method.clone()).uri(url);
        for (n, v) in &headers {
            req = req.header(n, v);
        }
        if method == Method::PUT {
            req = req.header("content-length", body.len());
        }
        self.send(req.body(Bytes::from_static(body)).unwrap()).await
    }

    /// Creates `bucket` with the root key, then puts and gets an object with `creds`;
    /// returns the status (and error code) of the PUT.
    async fn oss_round_trip(&self, bucket: &str, creds: &Credentials) -> (StatusCode, String) {
        let r = self.oss(Method::PUT, bucket, None, b"", &self.root()).await;
        assert!(
            r.status == StatusCode::OK || r.code() == "BucketAlreadyExists",
            "{}",
            r.text()
        );
        let put = self
            .oss(Method::PUT, bucket, Some("obj.txt"), b"hello", creds)
            .await;
        if put.status == StatusCode::OK {
            let get = self
                .oss(Method::GET, bucket, Some("obj.txt"), b"", creds)
                .await;
            assert_eq!(get.status, StatusCode::OK, "{}", get.text());
            assert_eq!(&get.body[..], b"hello");
        }
        (put.status, put.code())
    }
}

fn encode(params: &[(String, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{}={}", uri_encode(k, false), uri_encode(v, false)))
        .collect::<Vec<_>>()
        .join("&")
}

fn nonce() -> String {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    format!(
        "nonce-{}-{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    )
}

fn iso(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
    let dt = time::OffsetDateTime::from_unix_timestamp(secs).unwrap();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        dt.year(),
        u8::from(dt.month()),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

fn parse_iso(s: &str) -> SystemTime {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .unwrap()
        .into()
}

/// Credentials from a `Credentials` JSON object (STS, metadata, URI answers).
fn creds_of(v: &Value) -> Credentials {
    Credentials::builder()
        .access_key_id(v["AccessKeyId"].as_str().unwrap())
        .access_key_secret(v["AccessKeySecret"].as_str().unwrap())
        .security_token(v["SecurityToken"].as_str().unwrap())
        .expiration(parse_iso(v["Expiration"].as_str().unwrap()))
        .build()
        .unwrap()
}

fn set(params: &mut Vec<(String, String)>, name: &str, value: &str) {
    params.retain(|(n, _)| n != name);
    params.push((name.to_owned(), value.to_owned()));
}

#[tokio::test]
async fn assume_role_get_and_post_issue_credentials_that_oss_accepts_until_expiry() {
    let fx = Fx::start(|b| b.sts()).await;
    assert!(
        fx.emu
            .sts_endpoint()
            .unwrap()
            .starts_with("http://127.0.0.1:")
    );
    let root = fx.root();

    let r = fx.assume_role(&root).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    assert!(v["RequestId"].is_string());
    assert_eq!(
        v["AssumedRoleUser"]["Arn"],
        format!("{}/test-session", fx.emu.role_arn())
    );
    assert!(
        v["AssumedRoleUser"]["AssumedRoleId"]
            .as_str()
            .unwrap()
            .ends_with(":test-session")
    );
    let c = &v["Credentials"];
    assert!(c["AccessKeyId"].as_str().unwrap().starts_with("STS."));
    let expiration = c["Expiration"].as_str().unwrap();
    assert_eq!(expiration.len(), 20, "yyyy-MM-ddTHH:mm:ssZ: {expiration}");
    assert_eq!(parse_iso(expiration), fx.now() + Duration::from_secs(3600));
    let creds = creds_of(c);
    assert_eq!(
        fx.oss_round_trip("sts-bucket", &creds).await.0,
        StatusCode::OK
    );

    // POST with the role parameters in a form body, explicit DurationSeconds.
    let mut params = fx.assume_role_params(&root, &nonce());
    set(&mut params, "DurationSeconds", "900");
    let r = fx
        .sts_signed(Method::POST, params, root.expose_access_key_secret())
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let short = creds_of(&r.json()["Credentials"]);
    assert_eq!(
        short.expiration(),
        Some(fx.now() + Duration::from_secs(900))
    );

    // After 900 s the short one is refused, the 1 h one still works.
    fx.clock.advance(Duration::from_secs(901));
    assert_eq!(
        fx.oss_round_trip("sts-bucket", &short).await,
        (StatusCode::FORBIDDEN, "SecurityTokenExpired".to_owned())
    );
    assert_eq!(
        fx.oss_round_trip("sts-bucket", &creds).await.0,
        StatusCode::OK
    );
    fx.clock.advance(Duration::from_secs(3600));
    assert_eq!(
        fx.oss_round_trip("sts-bucket", &creds).await,
        (StatusCode::FORBIDDEN, "SecurityTokenExpired".to_owned())
    );

    // A wrong or missing token is refused like real OSS.
    let fresh = creds_of(&fx.assume_role(&root).await.json()["Credentials"]);
    let wrong = Credentials::builder()
        .access_key_id(fresh.access_key_id())
        .access_key_secret(fresh.expose_access_key_secret())
        .security_token("not-the-token")
        .build()
        .unwrap();
    assert_eq!(
        fx.oss_round_trip("sts-bucket", &wrong).await.1,
        "InvalidSecurityToken"
    );
    let tokenless = Credentials::from_keys(fresh.access_key_id(), fresh.expose_access_key_secret());
    assert_eq!(
        fx.oss_round_trip("sts-bucket", &tokenless).await.1,
        "InvalidAccessKeyId"
    );

    // Early expiry of everything issued so far; later credentials are unaffected.
    fx.emu.fakes().expire_temporary_credentials();
    assert_eq!(
        fx.oss_round_trip("sts-bucket", &fresh).await.1,
        "SecurityTokenExpired"
    );
    let later = creds_of(&fx.assume_role(&root).await.json()["Credentials"]);
    assert_eq!(
        fx.oss_round_trip("sts-bucket", &later).await.0,
        StatusCode::OK
    );
    assert_eq!(fx.emu.fakes().requests(FakeService::Sts), 4);
}

#[tokio::test]
async fn assume_role_refusals() {
    let fx = Fx::start(|b| b.sts()).await;
    let root = fx.root();
    let secret = root.expose_access_key_secret().to_owned();

    // Bad signature: signed with another secret.
    let r = fx
        .sts_signed(Method::GET, fx.assume_role_params(&root, &nonce()), "wrong")
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "SignatureDoesNotMatch".into())
    );
    let v = r.json();
    for field in ["RequestId", "HostId", "Code", "Message", "Recommend"] {
        assert!(v[field].is_string(), "{field} in {v}");
    }
    // Signed for GET, sent as POST.
    let params = fx.assume_role_params(&root, &nonce());
    let sig =
        oss_auth::pop::hmac_sha1_signature(&secret, &oss_auth::pop::string_to_sign("GET", &params));
    let r = fx.sts_raw(Method::POST, params, &sig).await;
    assert_eq!(r.code(), "SignatureDoesNotMatch");

    // Unknown AccessKeyId.
    let stranger = Credentials::from_keys("LTAInobody", "x");
    let r = fx.assume_role(&stranger).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::NOT_FOUND, "InvalidAccessKeyId.NotFound".into())
    );

    // Nonce reuse (a fresh timestamp does not help).
    let n = nonce();
    let r = fx
        .sts_signed(Method::GET, fx.assume_role_params(&root, &n), &secret)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    fx.clock.advance(Duration::from_secs(60));
    let r = fx
        .sts_signed(Method::GET, fx.assume_role_params(&root, &n), &secret)
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "SignatureNonceUsed".into())
    );
    // ... but it is forgotten after 15 minutes.
    fx.clock.advance(Duration::from_secs(15 * 60));
    let r = fx
        .sts_signed(Method::GET, fx.assume_role_params(&root, &n), &secret)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());

    // Stale and future timestamps.
    for offset in [-16i64 * 60, 16 * 60] {
        let mut params = fx.assume_role_params(&root, &nonce());
        let at = if offset < 0 {
            fx.now() - Duration::from_secs(offset.unsigned_abs())
        } else {
            fx.now() + Duration::from_secs(offset as u64)
        };
        set(&mut params, "Timestamp", &iso(at));
        let r = fx.sts_signed(Method::GET, params, &secret).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::BAD_REQUEST, "InvalidTimeStamp.Expired".into())
        );
    }

    // Parameter checks.
    let cases: [(&str, &str, u16, &str); 8] = [
        (
            "RoleArn",
            "acs:ram::1234567890123456:role/other",
            404,
            "EntityNotExist.Role",
        ),
        ("RoleArn", "not-an-arn", 400, "InvalidParameter.RoleArn"),
        (
            "RoleSessionName",
            "a",
            400,
            "InvalidParameter.RoleSessionName",
        ),
        (
            "RoleSessionName",
            "has space",
            400,
            "InvalidParameter.RoleSessionName",
        ),
        (
            "RoleSessionName",
            &"x".repeat(65),
            400,
            "InvalidParameter.RoleSessionName",
        ),
        (
            "DurationSeconds",
            "899",
            400,
            "InvalidParameter.DurationSeconds",
        ),
        (
            "DurationSeconds",
            "43201",
            400,
            "InvalidParameter.DurationSeconds",
        ),
        ("Version", "2014-01-01", 400, "InvalidVersion"),
    ];
    for (name, value, status, code) in cases {
        let mut params = fx.assume_role_params(&root, &nonce());
        set(&mut params, name, value);
        let r = fx.sts_signed(Method::GET, params, &secret).await;
        assert_eq!(
            (r.status.as_u16(), r.code()),
            (status, code.to_owned()),
            "{name}={value}"
        );
    }
    let mut params = fx.assume_role_params(&root, &nonce());
    set(&mut params, "RoleSessionName", "a.b@c_d-e");
    set(&mut params, "DurationSeconds", "43200");
    assert_eq!(
        fx.sts_signed(Method::GET, params, &secret).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn role_chaining_with_a_temporary_key() {
    let fx = Fx::start(|b| b.sts()).await;
    let first = creds_of(&fx.assume_role(&fx.root()).await.json()["Credentials"]);

    let r = fx.assume_role(&first).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let second = creds_of(&r.json()["Credentials"]);
    assert_ne!(second.access_key_id(), first.access_key_id());
    assert_eq!(fx.oss_round_trip("chain", &second).await.0, StatusCode::OK);

    // Signature right, token wrong or missing.
    let mut params = fx.assume_role_params(&first, &nonce());
    set(&mut params, "SecurityToken", "forged");
    let r = fx
        .sts_signed(Method::GET, params, first.expose_access_key_secret())
        .await;
    assert_eq!(r.code(), "InvalidSecurityToken.MismatchWithAccessKey");
    let mut params = fx.assume_role_params(&first, &nonce());
    params.retain(|(n, _)| n != "SecurityToken");
    let r = fx
        .sts_signed(Method::GET, params, first.expose_access_key_secret())
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);

    // An expired source credential cannot chain.
    fx.clock.advance(Duration::from_secs(3601));
    let r = fx.assume_role(&first).await;
    assert_eq!(
        (r.status, r.code()),
        (
            StatusCode::BAD_REQUEST,
            "InvalidSecurityToken.Expired".into()
        )
    );
}

#[tokio::test]
async fn assume_role_with_oidc() {
    let fx = Fx::start(|b| {
        b.sts()
            .temporary_credentials_lifetime(Duration::from_secs(1200))
    })
    .await;
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(br#"{"sub":"system:serviceaccount:ns:sa","iss":"https://oidc.example","aud":"sts.aliyuncs.com"}"#);
    let token = format!("eyJhbGciOiJSUzI1NiJ9.{payload}.c2ln");
    let endpoint = fx.emu.sts_endpoint().unwrap().to_owned();
    let call = |provider: String, token: String| {
        let form = encode(&[
            ("RoleArn".to_owned(), fx.emu.role_arn().to_owned()),
            ("OIDCProviderArn".to_owned(), provider),
            ("OIDCToken".to_owned(), token),
            ("RoleSessionName".to_owned(), "oidc-session".to_owned()),
            ("DurationSeconds".to_owned(), "3600".to_owned()),
        ]);
        let url = format!(
            "{endpoint}/?Action=AssumeRoleWithOIDC&Version=2015-04-01&Format=JSON&Timestamp={}",
            uri_encode(&iso(fx.now()), false)
        );
        Request::post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Bytes::from(form))
            .unwrap()
    };
    assert_eq!(fx.emu.fakes().last_oidc_token(), None);
    let r = fx
        .send(call(fx.emu.oidc_provider_arn().to_owned(), token.clone()))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    assert_eq!(v["OIDCTokenInfo"]["Subject"], "system:serviceaccount:ns:sa");
    assert_eq!(v["OIDCTokenInfo"]["Issuer"], "https://oidc.example");
    assert_eq!(v["OIDCTokenInfo"]["ClientIds"], "sts.aliyuncs.com");
    assert_eq!(
        v["AssumedRoleUser"]["Arn"],
        format!("{}/oidc-session", fx.emu.role_arn())
    );
    assert_eq!(
        fx.emu.fakes().last_oidc_token().as_deref(),
        Some(token.as_str())
    );
    let creds = creds_of(&v["Credentials"]);
    // The lifetime override wins over DurationSeconds.
    assert_eq!(
        creds.expiration(),
        Some(fx.now() + Duration::from_secs(1200))
    );
    assert_eq!(fx.oss_round_trip("oidc", &creds).await.0, StatusCode::OK);

    let r = fx
        .send(call(
            "acs:ram::1234567890123456:oidc-provider/other".into(),
            "t".into(),
        ))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::NOT_FOUND, "EntityNotExist.OIDCProvider".into())
    );
    assert_eq!(fx.emu.fakes().last_oidc_token().as_deref(), Some("t"));
    let r = fx
        .send(call(fx.emu.oidc_provider_arn().to_owned(), String::new()))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "MissingOIDCToken".into())
    );

    // GET with everything in the query (credentials-python's shape) works too.
    let url = format!(
        "{endpoint}/?{}",
        encode(&[
            ("Action".into(), "AssumeRoleWithOIDC".into()),
            ("Version".into(), "2015-04-01".into()),
            ("Format".into(), "JSON".into()),
            ("RoleArn".into(), fx.emu.role_arn().to_owned()),
            (
                "OIDCProviderArn".into(),
                fx.emu.oidc_provider_arn().to_owned()
            ),
            ("OIDCToken".into(), "opaque+token/=".into()),
            ("RoleSessionName".into(), "py".into()),
        ])
    );
    let r = fx.get(&url, &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        fx.emu.fakes().last_oidc_token().as_deref(),
        Some("opaque+token/=")
    );
}

#[tokio::test]
async fn metadata_normal_mode() {
    let fx = Fx::start(|b| b.metadata()).await;
    let base = fx.emu.metadata_endpoint().unwrap().to_owned();
    let list = format!("{base}/latest/meta-data/ram/security-credentials/");
    let r = fx.get(&list, &[]).await;
    assert_eq!(
        (r.status, r.text()),
        (StatusCode::OK, "EmulatorEcsRole".to_owned())
    );
    let r = fx.get(&format!("{list}EmulatorEcsRole"), &[]).await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["Code"], "Success");
    assert_eq!(parse_iso(v["LastUpdated"].as_str().unwrap()), fx.now());
    let creds = creds_of(&v);
    assert_eq!(
        creds.expiration(),
        Some(fx.now() + Duration::from_secs(6 * 3600))
    );
    assert_eq!(fx.oss_round_trip("ecs", &creds).await.0, StatusCode::OK);
    assert_eq!(
        fx.get(&format!("{list}OtherRole"), &[]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        fx.get(&format!("{base}/latest/meta-data/other"), &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Tokens are accepted in normal mode too; a bad one is refused.
    let token = fx
        .send(
            Request::put(format!("{base}/latest/api/token"))
                .header("X-aliyun-ecs-metadata-token-ttl-seconds", "60")
                .body(Bytes::new())
                .unwrap(),
        )
        .await
        .text();
    let r = fx
        .get(&list, &[("X-aliyun-ecs-metadata-token", &token)])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = fx
        .get(&list, &[("X-aliyun-ecs-metadata-token", "bogus")])
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    // Each GET issues fresh credentials; the old ones stay valid until they expire.
    let again = creds_of(&fx.get(&format!("{list}EmulatorEcsRole"), &[]).await.json());
    assert_ne!(again.access_key_id(), creds.access_key_id());
    fx.clock.advance(Duration::from_secs(6 * 3600 + 1));
    assert_eq!(
        fx.oss_round_trip("ecs", &creds).await.1,
        "SecurityTokenExpired"
    );
    assert_eq!(fx.emu.fakes().requests(FakeService::Metadata), 8);
}

#[tokio::test]
async fn metadata_hardened_mode_and_ttl_bounds() {
    let fx = Fx::start(|b| b.metadata().metadata_hardened(true).ecs_role_name("MyRole")).await;
    let base = fx.emu.metadata_endpoint().unwrap().to_owned();
    let creds_url = format!("{base}/latest/meta-data/ram/security-credentials/MyRole");
    let put = |ttl: Option<&str>| {
        let mut req = Request::put(format!("{base}/latest/api/token"));
        if let Some(ttl) = ttl {
            req = req.header("X-aliyun-ecs-metadata-token-ttl-seconds", ttl);
        }
        req.body(Bytes::new()).unwrap()
    };
    for bad in [None, Some("0"), Some("21601"), Some("abc")] {
        assert_eq!(
            fx.send(put(bad)).await.status,
            StatusCode::BAD_REQUEST,
            "{bad:?}"
        );
    }
    assert_eq!(fx.send(put(Some("21600"))).await.status, StatusCode::OK);
    assert_eq!(
        fx.get(&creds_url, &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
    let token = fx.send(put(Some("1"))).await.text();
    assert!(!token.is_empty());
    let r = fx
        .get(&creds_url, &[("X-aliyun-ecs-metadata-token", &token)])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        fx.oss_round_trip("hardened", &creds_of(&r.json())).await.0,
        StatusCode::OK
    );
    let r = fx
        .get(
            &format!("{base}/latest/meta-data/ram/security-credentials/"),
            &[("X-aliyun-ecs-metadata-token", &token)],
        )
        .await;
    assert_eq!(r.text(), "MyRole");
    // The token expires after its TTL.
    fx.clock.advance(Duration::from_secs(1));
    let r = fx
        .get(&creds_url, &[("X-aliyun-ecs-metadata-token", &token)])
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn credentials_uri_both_shapes() {
    for shape in [UriShape::Code, UriShape::StatusCode] {
        let fx = Fx::start(|b| b.credentials_uri().credentials_uri_shape(shape)).await;
        let uri = fx.emu.credentials_uri().unwrap().to_owned();
        assert!(uri.ends_with("/credentials"), "{uri}");
        let r = fx.get(&uri, &[]).await;
        assert_eq!(r.status, StatusCode::OK);
        let v = r.json();
        match shape {
            UriShape::Code => {
                assert_eq!(v["Code"], "Success");
                assert!(v.get("StatusCode").is_none());
            }
            UriShape::StatusCode => {
                assert_eq!(v["StatusCode"], "200");
                assert!(v.get("Code").is_none());
            }
        }
        let creds = creds_of(&v);
        assert_eq!(
            creds.expiration(),
            Some(fx.now() + Duration::from_secs(3600))
        );
        assert_eq!(fx.oss_round_trip("uri", &creds).await.0, StatusCode::OK);
        fx.clock.advance(Duration::from_secs(3601));
        assert_eq!(
            fx.oss_round_trip("uri", &creds).await.1,
            "SecurityTokenExpired"
        );
        let other = uri.replace("/credentials", "/other");
        assert_eq!(fx.get(&other, &[]).await.status, StatusCode::NOT_FOUND);
    }
}

/// The PKCS#8 key of the committed test ClientKey.
fn client_key() -> ring::signature::RsaKeyPair {
    let der = std::fs::read(format!("{DATA}/kms/private_key_pkcs8.der")).unwrap();
    ring::signature::RsaKeyPair::from_pkcs8(&der).unwrap()
}

fn kms_params(fx: &Fx, key_id: &str, secret: &str) -> Vec<(String, String)> {
    [
        ("Action", "GetSecretValue"),
        ("Version", "2016-01-20"),
        ("Format", "JSON"),
        ("SecretName", secret),
        ("VersionStage", "ACSCurrent"),
        ("FetchExtendedConfig", "true"),
        ("RegionId", "cn-hangzhou"),
        ("SignatureMethod", "SHA256withRSA"),
        ("SignatureType", "PRIVATEKEY"),
        ("SignatureVersion", "1.0"),
        ("AccessKeyId", key_id),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .chain([
        ("SignatureNonce".to_owned(), nonce()),
        ("Timestamp".to_owned(), iso(fx.now())),
    ])
    .collect()
}

fn rsa_sign(params: &[(String, String)]) -> String {
    let sts = oss_auth::pop::string_to_sign("POST", params);
    let key = client_key();
    let mut sig = vec![0; key.public().modulus_len()];
    key.sign(
        &ring::signature::RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        sts.as_bytes(),
        &mut sig,
    )
    .unwrap();
    base64::engine::general_purpose::STANDARD.encode(sig)
}

async fn kms_call(fx: &Fx, mut params: Vec<(String, String)>, signature: String) -> Reply {
    params.push(("Signature".to_owned(), signature));
    let url = format!("{}/?{}", fx.emu.kms_endpoint().unwrap(), encode(&params));
    fx.send(Request::post(url).body(Bytes::new()).unwrap())
        .await
}

#[tokio::test]
async fn kms_get_secret_value_verifies_rsa_signatures_and_rotates() {
    let fx = Fx::start(|b| b.kms()).await;
    let control = fx.emu.fakes();
    let params = kms_params(
        &fx,
        oss_emulator::DEFAULT_KMS_CLIENT_KEY_ID,
        "emulator-oss-ak",
    );
    let sig = rsa_sign(&params);
    let r = kms_call(&fx, params, sig).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    assert_eq!(v["SecretName"], "emulator-oss-ak");
    assert_eq!(v["SecretType"], "RAMCredentials");
    assert_eq!(v["SecretDataType"], "text");
    assert_eq!(v["AutomaticRotation"], "Enabled");
    let data: Value = serde_json::from_str(v["SecretData"].as_str().unwrap()).unwrap();
    assert_eq!(
        data["AccessKeyId"].as_str(),
        control.kms_access_key_id().as_deref()
    );
    let ak = Credentials::from_keys(
        data["AccessKeyId"].as_str().unwrap(),
        data["AccessKeySecret"].as_str().unwrap(),
    );
    assert_eq!(fx.oss_round_trip("kms", &ak).await.0, StatusCode::OK);

    // Tampered signature, signature over other parameters, unknown key, unknown secret.
    let params = kms_params(
        &fx,
        oss_emulator::DEFAULT_KMS_CLIENT_KEY_ID,
        "emulator-oss-ak",
    );
    let mut sig = base64::engine::general_purpose::STANDARD
        .decode(rsa_sign(&params))
        .unwrap();
    sig[10] ^= 1;
    let r = kms_call(
        &fx,
        params,
        base64::engine::general_purpose::STANDARD.encode(sig),
    )
    .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "SignatureDoesNotMatch".into())
    );
    let params = kms_params(
        &fx,
        oss_emulator::DEFAULT_KMS_CLIENT_KEY_ID,
        "emulator-oss-ak",
    );
    let sig = rsa_sign(&params);
    let mut other = params.clone();
    set(&mut other, "SecretName", "other");
    assert_eq!(
        kms_call(&fx, other, sig).await.code(),
        "SignatureDoesNotMatch"
    );
    let params = kms_params(&fx, "KAAP.unknown", "emulator-oss-ak");
    let sig = rsa_sign(&params);
    assert_eq!(
        kms_call(&fx, params, sig).await.code(),
        "InvalidAccessKeyId.NotFound"
    );
    let params = kms_params(&fx, oss_emulator::DEFAULT_KMS_CLIENT_KEY_ID, "other");
    let sig = rsa_sign(&params);
    let r = kms_call(&fx, params, sig).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::NOT_FOUND, "Forbidden.ResourceNotFound".into())
    );

    // Rotation keeping the old key, then rotation revoking it.
    control.rotate_kms_secret(false);
    let second = control.kms_access_key_id().unwrap();
    assert_ne!(second, ak.access_key_id());
    assert_eq!(fx.oss_round_trip("kms", &ak).await.0, StatusCode::OK);
    control.rotate_kms_secret(true);
    assert_eq!(
        fx.oss_round_trip("kms", &ak).await.0,
        StatusCode::OK,
        "only the previous (second) key is revoked"
    );
    let params = kms_params(
        &fx,
        oss_emulator::DEFAULT_KMS_CLIENT_KEY_ID,
        "emulator-oss-ak",
    );
    let sig = rsa_sign(&params);
    let v = kms_call(&fx, params, sig).await.json();
    assert_eq!(v["VersionId"], "v3");
    let data: Value = serde_json::from_str(v["SecretData"].as_str().unwrap()).unwrap();
    assert_eq!(
        data["AccessKeyId"].as_str(),
        control.kms_access_key_id().as_deref()
    );
    assert_ne!(data["AccessKeyId"].as_str(), Some(second.as_str()));
}

#[tokio::test]
async fn kms_revocation_refuses_the_old_key_on_oss() {
    let fx = Fx::start(|b| b.kms()).await;
    let params = kms_params(
        &fx,
        oss_emulator::DEFAULT_KMS_CLIENT_KEY_ID,
        "emulator-oss-ak",
    );
    let sig = rsa_sign(&params);
    let data: Value = serde_json::from_str(
        kms_call(&fx, params, sig).await.json()["SecretData"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    let old = Credentials::from_keys(
        data["AccessKeyId"].as_str().unwrap(),
        data["AccessKeySecret"].as_str().unwrap(),
    );
    fx.emu.fakes().rotate_kms_secret(true);
    assert_eq!(
        fx.oss_round_trip("revoked", &old).await,
        (StatusCode::FORBIDDEN, "InvalidAccessKeyId".to_owned())
    );
}

#[tokio::test]
async fn fail_next_status_reset_and_hang() {
    let fx = Fx::start(|b| b.sts().metadata().credentials_uri().kms()).await;
    let control = fx.emu.fakes();
    let uri = fx.emu.credentials_uri().unwrap().to_owned();

    control.fail_next(
        FakeService::CredentialsUri,
        2,
        FakeFailure::Status {
            status: 500,
            code: "InternalError".into(),
        },
    );
    for _ in 0..2 {
        let r = fx.get(&uri, &[]).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::INTERNAL_SERVER_ERROR, "InternalError".into())
        );
        assert!(r.json()["RequestId"].is_string());
    }
    assert_eq!(fx.get(&uri, &[]).await.status, StatusCode::OK);
    assert_eq!(control.requests(FakeService::CredentialsUri), 3);

    control.fail_next(
        FakeService::Sts,
        1,
        FakeFailure::Status {
            status: 400,
            code: "Throttling.User".into(),
        },
    );
    let r = fx.assume_role(&fx.root()).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "Throttling.User".into())
    );
    assert_eq!(fx.assume_role(&fx.root()).await.status, StatusCode::OK);

    let md = format!(
        "{}/latest/meta-data/ram/security-credentials/",
        fx.emu.metadata_endpoint().unwrap()
    );
    control.fail_next(FakeService::Metadata, 1, FakeFailure::Reset);
    let err = fx
        .try_send(Request::get(&md).body(Bytes::new()).unwrap(), TIMEOUT)
        .await
        .expect_err("reset");
    assert_ne!(err.kind(), HttpErrorKind::Timeout, "{err}");
    assert_eq!(fx.get(&md, &[]).await.status, StatusCode::OK);
    assert_eq!(control.requests(FakeService::Metadata), 2);

    control.fail_next(FakeService::Kms, 1, FakeFailure::Hang);
    let url = format!("{}/", fx.emu.kms_endpoint().unwrap());
    let err = fx
        .try_send(
            Request::post(&url).body(Bytes::new()).unwrap(),
            Duration::from_millis(300),
        )
        .await
        .expect_err("hang");
    assert_eq!(err.kind(), HttpErrorKind::Timeout, "{err}");
    assert_eq!(control.requests(FakeService::Kms), 1);
    // The next request is served normally (an unsigned one is refused, but answered).
    let r = fx
        .send(Request::post(&url).body(Bytes::new()).unwrap())
        .await;
    assert_eq!(r.code(), "MissingAction");
    // Shutdown does not wait for the hung request.
    fx.emu.shutdown().await;
}

#[tokio::test]
async fn tls_on_every_listener() {
    let cert = std::fs::read(format!("{DATA}/tls/cert.pem")).unwrap();
    let key = std::fs::read(format!("{DATA}/tls/key.pem")).unwrap();
    let fx = Fx::start(|b| b.tls(cert, key).sts().metadata().credentials_uri().kms()).await;
    for endpoint in [
        fx.emu.endpoint(),
        fx.emu.sts_endpoint().unwrap(),
        fx.emu.metadata_endpoint().unwrap(),
        fx.emu.credentials_uri().unwrap(),
        fx.emu.kms_endpoint().unwrap(),
    ] {
        assert!(endpoint.starts_with("https://127.0.0.1:"), "{endpoint}");
    }
    let r = fx.assume_role(&fx.root()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let creds = creds_of(&r.json()["Credentials"]);
    assert_eq!(fx.oss_round_trip("tls", &creds).await.0, StatusCode::OK);
    let v = fx.get(fx.emu.credentials_uri().unwrap(), &[]).await.json();
    assert_eq!(
        fx.oss_round_trip("tls", &creds_of(&v)).await.0,
        StatusCode::OK
    );
    // A client that does not trust the test CA fails the handshake.
    let untrusting = DefaultHttpClient::new(&RootCertificates::WebPki, TIMEOUT).unwrap();
    let err = untrusting
        .send(
            Request::get(fx.emu.credentials_uri().unwrap())
                .body(Bytes::new())
                .unwrap(),
            TIMEOUT,
        )
        .await
        .expect_err("untrusted certificate");
    assert_eq!(err.kind(), HttpErrorKind::Connect, "{err}");
    // Plain HTTP to a TLS listener gets no answer.
    let plain = fx
        .emu
        .credentials_uri()
        .unwrap()
        .replace("https://", "http://");
    assert!(
        fx.try_send(Request::get(plain).body(Bytes::new()).unwrap(), TIMEOUT)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn bad_tls_material_and_kms_key_are_refused_at_start() {
    let err = Emulator::builder()
        .tls(b"junk".to_vec(), b"junk".to_vec())
        .start()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    let err = Emulator::builder()
        .kms()
        .kms_client_key("k", b"junk".to_vec())
        .start()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
}
