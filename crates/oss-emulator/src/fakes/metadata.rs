//! The ECS instance-metadata fake (the RAM-role part of `http://100.100.100.200`):
//!
//! * `PUT /latest/api/token` with `X-aliyun-ecs-metadata-token-ttl-seconds: 1..=21600` → the
//!   session token (text), valid for that many seconds; a missing or out-of-range TTL → 400.
//! * `GET /latest/meta-data/ram/security-credentials/` → the role name (text).
//! * `GET /latest/meta-data/ram/security-credentials/<role>` → `{"AccessKeyId",
//!   "AccessKeySecret","SecurityToken","Expiration","LastUpdated","Code":"Success"}`; any other
//!   role → 404.
//!
//! Every credentials GET issues a fresh temporary credential (6 h unless overridden); earlier
//! ones stay valid until their own expiration. A GET carrying an unknown or expired
//! `X-aliyun-ecs-metadata-token` gets 401 in both modes; in hardened mode a GET without one
//! gets 401 too.

use std::time::Duration;

use http::{Method, StatusCode};

use super::shared::{FakeShared, lock};
use super::{FakeRequest, issue, json, text};
use crate::http_util::Resp;

const TOKEN_PATH: &str = "/latest/api/token";
const CREDENTIALS_PREFIX: &str = "/latest/meta-data/ram/security-credentials/";
const TTL_HEADER: &str = "x-aliyun-ecs-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "x-aliyun-ecs-metadata-token";
const MAX_TTL: u64 = 21_600;
/// The lifetime of the credentials the metadata service hands out.
pub(crate) const DEFAULT_LIFETIME: Duration = Duration::from_secs(6 * 3600);

/// Serves one metadata request.
pub(crate) fn handle(shared: &FakeShared, req: &FakeRequest) -> Resp {
    if req.path == TOKEN_PATH {
        if req.method != Method::PUT {
            return text(StatusCode::METHOD_NOT_ALLOWED, "405 - Method Not Allowed");
        }
        return issue_token(shared, req);
    }
    if req.method != Method::GET {
        return text(StatusCode::METHOD_NOT_ALLOWED, "405 - Method Not Allowed");
    }
    if !token_ok(shared, req) {
        return text(StatusCode::UNAUTHORIZED, "401 - Unauthorized");
    }
    let Some(role) = req.path.strip_prefix(CREDENTIALS_PREFIX) else {
        if req.path == CREDENTIALS_PREFIX.trim_end_matches('/') {
            return text(StatusCode::OK, shared.config.ecs_role_name.clone());
        }
        return text(StatusCode::NOT_FOUND, "404 - Not Found");
    };
    if role.is_empty() {
        return text(StatusCode::OK, shared.config.ecs_role_name.clone());
    }
    if role != shared.config.ecs_role_name {
        return text(StatusCode::NOT_FOUND, "404 - Not Found");
    }
    let issued = issue::temporary(shared, DEFAULT_LIFETIME);
    json(
        StatusCode::OK,
        &serde_json::json!({
            "AccessKeyId": issued.access_key_id,
            "AccessKeySecret": issued.access_key_secret,
            "SecurityToken": issued.security_token,
            "Expiration": issue::iso8601_seconds(issued.expiration),
            "LastUpdated": issue::iso8601_seconds(issued.issued_at),
            "Code": "Success",
        }),
    )
}

fn issue_token(shared: &FakeShared, req: &FakeRequest) -> Resp {
    let ttl = req
        .header(TTL_HEADER)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|ttl| (1..=MAX_TTL).contains(ttl));
    let Some(ttl) = ttl else {
        return text(
            StatusCode::BAD_REQUEST,
            "400 - Bad Request: X-aliyun-ecs-metadata-token-ttl-seconds must be 1 to 21600",
        );
    };
    let token = issue::random_alphanumeric(56);
    let now = shared.now();
    let mut tokens = lock(&shared.metadata_tokens);
    tokens.retain(|_, expiry| *expiry > now);
    tokens.insert(token.clone(), now + Duration::from_secs(ttl));
    text(StatusCode::OK, token)
}

/// Whether the request may read metadata (see the module documentation).
fn token_ok(shared: &FakeShared, req: &FakeRequest) -> bool {
    match req.header(TOKEN_HEADER) {
        None => !shared.config.metadata_hardened,
        Some(token) => {
            let now = shared.now();
            lock(&shared.metadata_tokens)
                .get(token)
                .is_some_and(|expiry| now < *expiry)
        }
    }
}
