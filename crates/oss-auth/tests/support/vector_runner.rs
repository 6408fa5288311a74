// Runs one signing vector in the JSON format of `tests/data/signing.json` and returns the
// computed values. Expected values in the input are never read. Shared by the vector test and
// the `sign_vectors` example.

use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue};
use oss_auth::Credentials;
use oss_auth::sign::{QueryParams, SignableRequest, SigningKeyCache, SigningParams, v1, v4};
use serde_json::{Map, Value, json};

/// Computes the outputs of one vector: `name`, `string_to_sign`, `signature`, and
/// `canonical_request` (V4), `authorization` (header algorithms), `url_query_params` (presign
/// algorithms); `error` instead when the signer refuses the input.
pub(crate) fn run_vector(v: &Value) -> Value {
    let name = v["name"].clone();
    match try_run(v) {
        Ok(mut out) => {
            out.insert("name".into(), name);
            Value::Object(out)
        }
        Err(e) => json!({ "name": name, "error": e }),
    }
}

fn text<'a>(v: &'a Value, field: &str) -> Option<&'a str> {
    v.get(field).and_then(Value::as_str)
}

fn strings(v: &Value, field: &str) -> Vec<String> {
    v.get(field)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn try_run(v: &Value) -> Result<Map<String, Value>, String> {
    let algorithm = text(v, "algorithm").ok_or("missing algorithm")?;
    let mut builder = Credentials::builder()
        .access_key_id(text(v, "access_key_id").ok_or("missing access_key_id")?)
        .access_key_secret(text(v, "access_key_secret").ok_or("missing access_key_secret")?);
    if let Some(token) = text(v, "security_token") {
        builder = builder.security_token(token);
    }
    let credentials = builder.build().map_err(|e| e.to_string())?;
    let time_text = text(v, "time").ok_or("missing time")?;
    let time =
        time::OffsetDateTime::parse(time_text, &time::format_description::well_known::Rfc3339)
            .map_err(|e| format!("bad time {time_text}: {e}"))?;
    let mut query = QueryParams::new();
    if let Some(map) = v.get("query").and_then(Value::as_object) {
        for (name, value) in map {
            match value {
                Value::Null => query.push_flag(name.as_str()),
                Value::String(s) => query.push(name.as_str(), s.as_str()),
                other => query.push(name.as_str(), other.to_string()),
            };
        }
    }
    let mut headers = HeaderMap::new();
    if let Some(map) = v.get("headers").and_then(Value::as_object) {
        for (name, value) in map {
            let name = HeaderName::from_bytes(name.to_ascii_lowercase().as_bytes())
                .map_err(|e| format!("bad header name {name}: {e}"))?;
            let value = HeaderValue::from_bytes(value.as_str().unwrap_or_default().as_bytes())
                .map_err(|e| format!("bad header value: {e}"))?;
            headers.append(name, value);
        }
    }
    let additional = strings(v, "additional_headers");
    let sub_resources = strings(v, "v1_sub_resources");
    let params = SigningParams {
        credentials: &credentials,
        region: text(v, "region").unwrap_or_default(),
        product: text(v, "product").unwrap_or("oss"),
        time: time.into(),
        additional_headers: &additional,
        sub_resources: &sub_resources,
    };
    let mut req = SignableRequest {
        method: text(v, "method").ok_or("missing method")?,
        bucket: text(v, "bucket"),
        key: text(v, "key"),
        query: &mut query,
        headers: &mut headers,
    };
    let expires = Duration::from_secs(
        v.get("expires_seconds")
            .and_then(Value::as_u64)
            .unwrap_or(900),
    );
    let keys = SigningKeyCache::new();
    let (unsigned_query, unsigned_headers) = (req.query.clone(), req.headers.clone());
    let output = match algorithm {
        "v4-header" => v4::sign_headers_explained(&mut req, &params, &keys),
        "v4-presign" => v4::presign(&mut req, &params, expires, &keys),
        "v1-header" => v1::sign_headers_explained(&mut req, &params),
        "v1-presign" => v1::presign(&mut req, &params, expires),
        other => return Err(format!("unknown algorithm {other}")),
    }
    .map_err(|e| e.to_string())?;
    if algorithm.ends_with("header") {
        check_lean_signer_agrees(v, &headers, unsigned_query, unsigned_headers, &params)?;
    }
    let mut out = Map::new();
    out.insert("string_to_sign".into(), json!(output.string_to_sign));
    out.insert("signature".into(), json!(output.signature));
    if let Some(canonical) = output.canonical_request {
        out.insert("canonical_request".into(), json!(canonical));
    }
    if let Some(key) = output.signing_key {
        let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
        out.insert("signing_key_hex".into(), json!(hex));
    }
    if let Some(authorization) = output.authorization {
        out.insert("authorization".into(), json!(authorization));
    }
    if algorithm.ends_with("presign") {
        let params: Map<String, Value> = query
            .iter()
            .map(|(n, v)| (n.to_owned(), json!(v.unwrap_or(""))))
            .collect();
        out.insert("url_query_params".into(), Value::Object(params));
    }
    Ok(out)
}

/// The hot-path header signer (which hashes the texts as it writes them) must set exactly the
/// headers the explained signer set.
fn check_lean_signer_agrees(
    v: &Value,
    explained: &HeaderMap,
    mut query: QueryParams,
    mut headers: HeaderMap,
    params: &SigningParams<'_>,
) -> Result<(), String> {
    let mut req = SignableRequest {
        method: text(v, "method").unwrap_or_default(),
        bucket: text(v, "bucket"),
        key: text(v, "key"),
        query: &mut query,
        headers: &mut headers,
    };
    match text(v, "algorithm") {
        Some("v4-header") => v4::sign_headers(&mut req, params, &SigningKeyCache::new()),
        _ => v1::sign_headers(&mut req, params),
    }
    .map_err(|e| e.to_string())?;
    if headers != *explained {
        return Err(format!(
            "the hot-path signer set other headers: {:?} vs {:?}",
            headers.get("authorization"),
            explained.get("authorization")
        ));
    }
    Ok(())
}
