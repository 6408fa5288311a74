//! The HTTP control API (`control_listen`, `--control-listen`) and the handle methods it
//! mirrors: faults, clock skew, counters, temporary credentials, buckets (also created at
//! start), aborting a multipart upload, reset and the request journal.

mod common;

use bytes::Bytes;
use common::{Client2, between};
use http::{Method, Request, StatusCode};
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use oss_auth::Credentials;
use oss_emulator::{Emulator, EmulatorHandle};
use serde_json::{Value, json};

/// JSON calls to one control endpoint.
struct Control {
    base: String,
    client: Client<HttpConnector, Full<Bytes>>,
}

impl Control {
    fn new(emu: &EmulatorHandle) -> Self {
        Self {
            base: emu
                .control_endpoint()
                .expect("control API started")
                .to_owned(),
            client: Client::builder(TokioExecutor::new()).build_http(),
        }
    }

    /// (status, JSON body or `Null` when empty).
    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let body = body.map(|b| Bytes::from(b.to_string())).unwrap_or_default();
        let req = Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .body(Full::new(body))
            .unwrap();
        let resp = self.client.request(req).await.expect("a response");
        let status = resp.status();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        let value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).expect("JSON")
        };
        (status, value)
    }
}

async fn started() -> EmulatorHandle {
    Emulator::builder()
        .control_listen("127.0.0.1:0".parse().unwrap())
        .bucket("made-at-start")
        .start()
        .await
        .unwrap()
}

#[tokio::test]
async fn faults_clock_skew_and_counters_are_set_over_http() {
    let emu = started().await;
    let control = Control::new(&emu);
    let oss = Client2::for_emulator(&emu);
    let (status, counters) = control.call(Method::GET, "/counters", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        counters,
        json!({"requests_received": 0, "injected_faults": 0})
    );

    assert_eq!(
        oss.put("made-at-start", "k", "v").await.status,
        StatusCode::OK
    );
    let spec = json!({"spec": "get:always:503"});
    let (status, _) = control.call(Method::PUT, "/faults", Some(spec)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        oss.get("made-at-start", "k").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    let bad = json!({"spec": "get:sometimes:503"});
    let (status, err) = control.call(Method::PUT, "/faults", Some(bad)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(err["code"], "InvalidFaultSpec");
    assert_eq!(
        oss.get("made-at-start", "k").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    let (status, _) = control.call(Method::DELETE, "/faults", None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(oss.get("made-at-start", "k").await.bytes(), "v");
    let (_, counters) = control.call(Method::GET, "/counters", None).await;
    assert_eq!(
        counters,
        json!({"requests_received": 4, "injected_faults": 2})
    );
    assert_eq!(emu.injected_faults(), 2);

    let skew = json!({"seconds": -1200});
    let (status, _) = control.call(Method::PUT, "/clock-skew", Some(skew)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(emu.clock_skew(), -1200);
    let (_, got) = control.call(Method::GET, "/clock-skew", None).await;
    assert_eq!(got, json!({"seconds": -1200}));
    let r = oss.get("made-at-start", "k").await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::FORBIDDEN, "RequestTimeTooSkewed".into())
    );
}

#[tokio::test]
async fn journal_names_each_request_without_secrets() {
    let emu = started().await;
    let control = Control::new(&emu);
    let oss = Client2::for_emulator(&emu);
    let put = oss.put("made-at-start", "dir/a b", "body").await;
    let acl = oss
        .send(
            oss.call(Method::GET, Some("made-at-start"), Some("dir/a b"))
                .query("acl"),
        )
        .await;
    let lifecycle = oss
        .send(
            oss.call(Method::GET, Some("made-at-start"), None)
                .query("live"),
        )
        .await;
    assert_eq!(lifecycle.status, StatusCode::NOT_IMPLEMENTED);
    let id = |r: &common::Reply| r.headers["x-oss-request-id"].to_str().unwrap().to_owned();

    let (status, journal) = control.call(Method::GET, "/journal", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        journal,
        json!({"requests": [
            {"seq": 1, "operation": "PutObject", "method": "PUT", "path": "/made-at-start/dir/a%20b",
             "status": 200, "request_id": id(&put)},
            {"seq": 2, "operation": "GetObjectAcl", "method": "GET", "path": "/made-at-start/dir/a%20b",
             "status": 200, "request_id": id(&acl)},
            {"seq": 3, "operation": null, "method": "GET", "path": "/made-at-start/",
             "status": 501, "request_id": id(&lifecycle)},
        ]})
    );
    let text = journal.to_string();
    for secret in [
        emu.access_key_secret(),
        emu.access_key_id(),
        "Signature",
        "OSS4-HMAC",
    ] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    assert_eq!(emu.journal().len(), 3);
    assert_eq!(emu.journal()[0].operation.as_deref(), Some("PutObject"));

    let (status, _) = control.call(Method::DELETE, "/journal", None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(emu.journal().is_empty());
}

#[tokio::test]
async fn buckets_uploads_and_credentials_are_managed_over_http() {
    let emu = started().await;
    let control = Control::new(&emu);
    let oss = Client2::for_emulator(&emu);

    let (status, body) = control
        .call(
            Method::POST,
            "/buckets",
            Some(json!({"name": "made-later"})),
        )
        .await;
    assert_eq!(
        (status, body),
        (StatusCode::CREATED, json!({"name": "made-later"}))
    );
    assert_eq!(oss.put("made-later", "k", "v").await.status, StatusCode::OK);
    let (status, err) = control
        .call(
            Method::POST,
            "/buckets",
            Some(json!({"name": "made-later"})),
        )
        .await;
    assert_eq!(
        (status, err["code"].clone()),
        (StatusCode::CONFLICT, json!("BucketAlreadyExists"))
    );
    let (status, err) = control
        .call(Method::POST, "/buckets", Some(json!({"name": "Bad_Name"})))
        .await;
    assert_eq!(
        (status, err["code"].clone()),
        (StatusCode::BAD_REQUEST, json!("InvalidBucketName"))
    );
    assert_eq!(
        emu.create_bucket("made-later").unwrap_err().code(),
        "BucketAlreadyExists"
    );

    let init = oss
        .send(
            oss.call(Method::POST, Some("made-later"), Some("big.bin"))
                .query("uploads"),
        )
        .await;
    let upload_id = between(&init.text(), "<UploadId>", "</UploadId>").unwrap();
    let abort = json!({"bucket": "made-later", "key": "big.bin", "upload_id": upload_id});
    let (status, _) = control
        .call(
            Method::POST,
            "/multipart-uploads/abort",
            Some(abort.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let part = oss
        .send(
            oss.call(Method::PUT, Some("made-later"), Some("big.bin"))
                .query(&format!("partNumber=1&uploadId={upload_id}"))
                .body("part"),
        )
        .await;
    assert_eq!(
        (part.status, part.code()),
        (StatusCode::NOT_FOUND, "NoSuchUpload".into())
    );
    let (status, err) = control
        .call(Method::POST, "/multipart-uploads/abort", Some(abort))
        .await;
    assert_eq!(
        (status, err["code"].clone()),
        (StatusCode::NOT_FOUND, json!("NoSuchUpload"))
    );
    let err = emu
        .abort_multipart_upload("no-such-bucket", "k", "id")
        .unwrap_err();
    assert_eq!((err.status(), err.code()), (404, "NoSuchBucket"));

    let (status, issued) = control
        .call(
            Method::POST,
            "/temporary-credentials",
            Some(json!({"duration_seconds": 900})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let creds = Credentials::builder()
        .access_key_id(issued["AccessKeyId"].as_str().unwrap())
        .access_key_secret(issued["AccessKeySecret"].as_str().unwrap())
        .security_token(issued["SecurityToken"].as_str().unwrap())
        .build()
        .unwrap();
    let get = |creds: Credentials| {
        oss.send(
            oss.call(Method::GET, Some("made-later"), Some("k"))
                .creds(creds),
        )
    };
    assert_eq!(get(creds.clone()).await.bytes(), "v");
    let (status, _) = control
        .call(Method::POST, "/temporary-credentials/expire", None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let r = get(creds).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::FORBIDDEN, "SecurityTokenExpired".into())
    );
}

#[tokio::test]
async fn reset_returns_to_the_state_at_start() {
    let emu = started().await;
    let control = Control::new(&emu);
    let oss = Client2::for_emulator(&emu);
    assert_eq!(
        oss.put("made-at-start", "k", "v").await.status,
        StatusCode::OK
    );
    oss.create_bucket("made-later").await;
    let versioning = "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>";
    let r = oss
        .send(
            oss.call(Method::PUT, Some("made-later"), None)
                .query("versioning")
                .body(versioning),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    for body in ["one", "two"] {
        assert_eq!(
            oss.put("made-later", "doc", body).await.status,
            StatusCode::OK
        );
    }
    oss.send(
        oss.call(Method::POST, Some("made-later"), Some("mp"))
            .query("uploads"),
    )
    .await;
    control
        .call(
            Method::PUT,
            "/faults",
            Some(json!({"spec": "put:nth=9:503"})),
        )
        .await;
    control
        .call(Method::PUT, "/clock-skew", Some(json!({"seconds": 60})))
        .await;

    let (status, _) = control.call(Method::POST, "/reset", None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(emu.clock_skew(), 0);
    assert!(emu.journal().is_empty());
    assert_eq!(emu.requests_received(), 0);
    let list = oss.send(oss.call(Method::GET, None, None)).await.text();
    let names: Vec<&str> = list
        .split("<Name>")
        .skip(1)
        .filter_map(|s| s.split("</Name>").next())
        .collect();
    assert_eq!(names, ["made-at-start"]);
    let r = oss.get("made-at-start", "k").await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::NOT_FOUND, "NoSuchKey".into())
    );
    for _ in 0..9 {
        assert_eq!(
            oss.put("made-at-start", "k", "v").await.status,
            StatusCode::OK
        );
    }
    emu.reset().unwrap();
    assert_eq!(emu.requests_received(), 0);
}

#[tokio::test]
async fn bad_control_requests_get_json_errors() {
    let emu = started().await;
    let control = Control::new(&emu);
    let (status, err) = control.call(Method::GET, "/nope", None).await;
    assert_eq!(
        (status, err["code"].clone()),
        (StatusCode::NOT_FOUND, json!("NotFound"))
    );
    let (status, err) = control.call(Method::GET, "/reset", None).await;
    assert_eq!(
        (status, err["code"].clone()),
        (StatusCode::METHOD_NOT_ALLOWED, json!("MethodNotAllowed"))
    );
    let (status, err) = control
        .call(Method::PUT, "/clock-skew", Some(json!({"secs": 5})))
        .await;
    assert_eq!(
        (status, err["code"].clone()),
        (StatusCode::BAD_REQUEST, json!("InvalidArgument"))
    );
    assert_eq!(emu.clock_skew(), 0);
}

#[tokio::test]
async fn buckets_made_at_start_keep_what_the_data_directory_holds_until_a_reset() {
    let dir = tempfile::tempdir().unwrap();
    let start = || {
        Emulator::builder()
            .data_dir(dir.path())
            .bucket("kept")
            .start()
    };
    let emu = start().await.unwrap();
    let oss = Client2::for_emulator(&emu);
    assert_eq!(oss.put("kept", "k", "stored").await.status, StatusCode::OK);
    emu.shutdown().await;
    let emu = start().await.unwrap();
    let oss = Client2::for_emulator(&emu);
    assert_eq!(oss.get("kept", "k").await.bytes(), "stored");
    emu.reset().unwrap();
    emu.shutdown().await;
    let emu = start().await.unwrap();
    let oss = Client2::for_emulator(&emu);
    let r = oss.get("kept", "k").await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::NOT_FOUND, "NoSuchKey".into())
    );
    emu.shutdown().await;
    let refused = Emulator::builder()
        .bucket("Bad_Name")
        .start()
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), std::io::ErrorKind::InvalidInput);
}
