//! The credentials-URI fake: `GET /credentials` → fresh temporary credentials (1 h unless
//! overridden) in the configured [`UriShape`]; other paths → 404, other methods → 405.

use std::time::Duration;

use http::{Method, StatusCode};

use super::config::UriShape;
use super::shared::FakeShared;
use super::{FakeRequest, issue, json, text};
use crate::http_util::Resp;

/// The path of the URI.
pub(crate) const PATH: &str = "/credentials";
/// The lifetime of the credentials the URI hands out.
pub(crate) const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);

/// Serves one credentials-URI request.
pub(crate) fn handle(shared: &FakeShared, req: &FakeRequest) -> Resp {
    if req.path != PATH {
        return text(StatusCode::NOT_FOUND, "404 - Not Found");
    }
    if req.method != Method::GET {
        return text(StatusCode::METHOD_NOT_ALLOWED, "405 - Method Not Allowed");
    }
    let issued = issue::temporary(shared, DEFAULT_LIFETIME);
    let mut body = serde_json::json!({
        "AccessKeyId": issued.access_key_id,
        "AccessKeySecret": issued.access_key_secret,
        "SecurityToken": issued.security_token,
        "Expiration": issue::iso8601_seconds(issued.expiration),
    });
    let (name, value) = match shared.config.uri_shape {
        UriShape::Code => ("Code", "Success"),
        UriShape::StatusCode => ("StatusCode", "200"),
    };
    body[name] = serde_json::Value::from(value);
    json(StatusCode::OK, &body)
}
