//! Shared by the fault and durable-store tests: raw hyper requests signed with `oss-auth`
//! (V4 header signing), one fresh connection per request so connection-level faults hit
//! exactly the request they were aimed at.

#![allow(dead_code, unreachable_pub)]

use std::time::SystemTime;

use base64::Engine as _;
use bytes::Bytes;
use http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use oss_auth::Credentials;
use oss_auth::sign::{QueryParams, SignableRequest, SignatureVersion, Signer, SigningParams};

/// What came back.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// `Err` when the body could not be read to its end (connection cut).
    pub body: Result<Bytes, String>,
}

impl Reply {
    pub fn bytes(&self) -> Bytes {
        self.body.clone().expect("complete body")
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes()).into_owned()
    }

    /// The error code from the XML body or, on HEAD, `x-oss-err`.
    pub fn code(&self) -> String {
        let body = self.body.clone().unwrap_or_default();
        let xml = if body.is_empty() {
            let err = self
                .headers
                .get("x-oss-err")
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default();
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(err)
                    .unwrap(),
            )
            .unwrap()
        } else {
            String::from_utf8_lossy(&body).into_owned()
        };
        between(&xml, "<Code>", "</Code>").unwrap_or_default()
    }
}

pub fn between(s: &str, open: &str, close: &str) -> Option<String> {
    let start = s.find(open)? + open.len();
    let end = s[start..].find(close)? + start;
    Some(s[start..end].to_owned())
}

/// A request to sign and send.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: Method,
    pub bucket: Option<String>,
    pub key: Option<String>,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
    pub time: SystemTime,
    pub creds: Credentials,
    /// Sign with V1 (and these extra sub-resources) instead of V4.
    pub v1: Option<Vec<String>>,
}

impl Call {
    pub fn query(mut self, q: &str) -> Self {
        self.query = q.to_owned();
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }

    pub fn creds(mut self, creds: Credentials) -> Self {
        self.creds = creds;
        self
    }

    /// Signs with V1, declaring `sub_resources` as the operation's extra sub-resources.
    pub fn v1(mut self, sub_resources: &[&str]) -> Self {
        self.v1 = Some(sub_resources.iter().map(|s| (*s).to_owned()).collect());
        self
    }

    pub fn time(mut self, time: SystemTime) -> Self {
        self.time = time;
        self
    }
}

/// Signs and sends requests to one endpoint.
#[derive(Debug, Clone)]
pub struct Client2 {
    endpoint: String,
    region: String,
    creds: Credentials,
    client: Client<HttpConnector, Full<Bytes>>,
}

impl Client2 {
    pub fn new(endpoint: &str, region: &str, id: &str, secret: &str) -> Self {
        let client = Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(0)
            .build_http();
        Self {
            endpoint: endpoint.to_owned(),
            region: region.to_owned(),
            creds: Credentials::from_keys(id, secret),
            client,
        }
    }

    pub fn for_emulator(emu: &oss_emulator::EmulatorHandle) -> Self {
        Self::new(
            emu.endpoint(),
            emu.region(),
            emu.access_key_id(),
            emu.access_key_secret(),
        )
    }

    pub fn call(&self, method: Method, bucket: Option<&str>, key: Option<&str>) -> Call {
        Call {
            method,
            bucket: bucket.map(str::to_owned),
            key: key.map(str::to_owned),
            query: String::new(),
            headers: Vec::new(),
            body: Bytes::new(),
            time: SystemTime::now(),
            creds: self.creds.clone(),
            v1: None,
        }
    }

    /// Signs `c`: the path and query to send, and the headers (with `content-length` for
    /// PUT and POST).
    pub fn sign(&self, c: &Call) -> (String, HeaderMap) {
        let method = c.method.as_str().to_owned();
        let mut query = QueryParams::parse(&c.query);
        let mut headers = HeaderMap::new();
        for (n, v) in &c.headers {
            headers.append(
                http::HeaderName::from_bytes(n.as_bytes()).unwrap(),
                http::HeaderValue::from_str(v).unwrap(),
            );
        }
        {
            let version = if c.v1.is_some() {
                SignatureVersion::V1
            } else {
                SignatureVersion::V4
            };
            let signer = Signer::new(version);
            let mut params = SigningParams::new(&c.creds, &self.region, c.time);
            if let Some(extra) = &c.v1 {
                params.sub_resources = extra;
            }
            let mut req = SignableRequest {
                method: &method,
                bucket: c.bucket.as_deref(),
                key: c.key.as_deref(),
                query: &mut query,
                headers: &mut headers,
            };
            signer.sign_headers(&mut req, &params).unwrap();
        }
        let mut path = "/".to_owned();
        if let Some(b) = &c.bucket {
            path.push_str(b);
            path.push('/');
        }
        if let Some(k) = &c.key {
            path.push_str(&oss_auth::sign::uri_encode(k, true));
        }
        if !query.is_empty() {
            path.push('?');
            path.push_str(&query.to_query_string());
        }
        if (c.method == Method::PUT || c.method == Method::POST)
            && !headers.contains_key("content-length")
        {
            headers.insert("content-length", c.body.len().into());
        }
        (path, headers)
    }

    /// The signed request as HTTP/1.1 bytes (head and body), for raw sockets.
    pub fn raw(&self, c: &Call) -> Vec<u8> {
        let (path, headers) = self.sign(c);
        let host = self.endpoint.trim_start_matches("http://");
        let mut out = format!("{} {path} HTTP/1.1\r\nhost: {host}\r\n", c.method).into_bytes();
        for (n, v) in &headers {
            out.extend_from_slice(n.as_str().as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(v.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&c.body);
        out
    }

    /// The emulator's socket address (`127.0.0.1:PORT`).
    pub fn addr(&self) -> String {
        self.endpoint.trim_start_matches("http://").to_owned()
    }

    /// Signs and sends; `Err` when no response head arrived (connection reset/closed).
    pub async fn try_send(&self, c: Call) -> Result<Reply, String> {
        let (path, headers) = self.sign(&c);
        let url = format!("{}{path}", self.endpoint);
        let mut req = Request::builder().method(c.method.clone()).uri(url);
        for (n, v) in &headers {
            req = req.header(n, v);
        }
        let resp = self
            .client
            .request(req.body(Full::new(c.body.clone())).unwrap())
            .await
            .map_err(|e| format!("{e:?}"))?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = resp
            .into_body()
            .collect()
            .await
            .map(|b| b.to_bytes())
            .map_err(|e| format!("{e:?}"));
        Ok(Reply {
            status,
            headers,
            body,
        })
    }

    pub async fn send(&self, c: Call) -> Reply {
        self.try_send(c).await.expect("a response")
    }

    pub async fn create_bucket(&self, bucket: &str) {
        let r = self.send(self.call(Method::PUT, Some(bucket), None)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    }

    pub async fn put(&self, bucket: &str, key: &str, body: impl Into<Bytes>) -> Reply {
        self.send(self.call(Method::PUT, Some(bucket), Some(key)).body(body))
            .await
    }

    pub async fn get(&self, bucket: &str, key: &str) -> Reply {
        self.send(self.call(Method::GET, Some(bucket), Some(key)))
            .await
    }
}
