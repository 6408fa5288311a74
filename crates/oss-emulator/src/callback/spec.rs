//! What a callback asks for: the decoded `x-oss-callback` and `x-oss-callback-var` JSON, and
//! the body built from its template.

use base64::Engine as _;
use http::HeaderMap;
use serde_json::Value;

use crate::error::{ErrorCode, OssError};

/// The form-urlencoded body type (OSS's default).
const FORM: &str = "application/x-www-form-urlencoded";
/// The JSON body type.
const JSON: &str = "application/json";
/// Form values are percent-encoded but for RFC 3986's unreserved characters.
const UNRESERVED_KEPT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// A checked callback request.
#[derive(Debug, Clone)]
pub(crate) struct CallbackSpec {
    /// The URLs, tried in order until one answers.
    pub(crate) urls: Vec<http::Uri>,
    /// `callbackHost`: the `Host` header sent (default: the URL's authority).
    pub(crate) host: Option<String>,
    /// `callbackBody`, the template.
    pub(crate) body: String,
    /// `callbackBodyType`.
    pub(crate) body_type: &'static str,
    /// `x-oss-callback-var`: `x:name` → value.
    pub(crate) vars: Vec<(String, String)>,
}

/// What the callback body may name about the stored object.
#[derive(Debug, Clone)]
pub(crate) struct ObjectFacts {
    pub(crate) bucket: String,
    pub(crate) key: String,
    /// The ETag without quotes.
    pub(crate) etag: String,
    pub(crate) size: u64,
    pub(crate) mime_type: String,
    pub(crate) crc64: u64,
    /// Base64 MD5 (PutObject only).
    pub(crate) content_md5: Option<String>,
    /// `PutObject` or `CompleteMultipartUpload`.
    pub(crate) operation: &'static str,
    pub(crate) request_id: String,
    /// Height, width and format, when the object is an image the emulator can decode.
    pub(crate) image: Option<(u32, u32, String)>,
}

fn invalid(message: &str) -> OssError {
    OssError::new(ErrorCode::InvalidArgument, message)
}

/// Decodes a base64 JSON object header.
fn json_header(
    headers: &HeaderMap,
    name: &str,
) -> Result<Option<serde_json::Map<String, Value>>, OssError> {
    let Some(value) = headers.get(name) else {
        return Ok(None);
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(value.as_bytes())
        .map_err(|_| invalid(&format!("The {name} header is not base64 encoded.")))?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(map)) => Ok(Some(map)),
        _ => Err(invalid(&format!("The {name} header is not json format."))),
    }
}

/// Whether the emulator may call `uri`: `http` to a loopback host.
fn is_loopback(uri: &http::Uri) -> bool {
    let host = uri.host().unwrap_or("");
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

impl CallbackSpec {
    /// The callback a request asks for, checked before anything is stored: none without
    /// `x-oss-callback`; 400 `InvalidArgument` for a header that is not base64 JSON, a missing
    /// `callbackUrl` or `callbackBody`, an unknown `callbackBodyType`, a URL that is not
    /// `http://` to a loopback host, or a variable whose name does not start with `x:`.
    pub(crate) fn from_headers(headers: &HeaderMap) -> Result<Option<Self>, OssError> {
        let Some(json) = json_header(headers, "x-oss-callback")? else {
            if headers.contains_key("x-oss-callback-var") {
                return Err(invalid("x-oss-callback-var needs x-oss-callback."));
            }
            return Ok(None);
        };
        let text = |name: &str| json.get(name).and_then(Value::as_str).map(str::to_owned);
        let url = text("callbackUrl").filter(|u| !u.trim().is_empty());
        let url = url.ok_or_else(|| invalid("The callbackUrl is not specified."))?;
        let body = text("callbackBody").filter(|b| !b.is_empty());
        let body = body.ok_or_else(|| invalid("The callbackBody is not specified."))?;
        let body_type = match text("callbackBodyType").as_deref() {
            None | Some(FORM) => FORM,
            Some(JSON) => JSON,
            Some(_) => return Err(invalid("The callbackBodyType is not supported.")),
        };
        let mut urls = Vec::new();
        for one in url.split(';').map(str::trim).filter(|u| !u.is_empty()) {
            let uri: http::Uri = one
                .parse()
                .map_err(|_| invalid("The callbackUrl is not a valid URL."))?;
            if uri.scheme_str() != Some("http") || !is_loopback(&uri) {
                return Err(invalid(
                    "The emulator calls http:// callback URLs on loopback hosts only.",
                ));
            }
            urls.push(uri);
        }
        if urls.len() > 5 {
            return Err(invalid("The callbackUrl holds more than 5 URLs."));
        }
        let mut vars = Vec::new();
        for (name, value) in json_header(headers, "x-oss-callback-var")?.unwrap_or_default() {
            let Some(value) = value.as_str() else {
                return Err(invalid("A callback variable's value is not a string."));
            };
            if !name.starts_with("x:") {
                return Err(invalid("A callback variable's name must start with x:."));
            }
            vars.push((name, value.to_owned()));
        }
        Ok(Some(Self {
            urls,
            host: text("callbackHost"),
            body,
            body_type,
            vars,
        }))
    }

    /// The body to POST: each `${name}` of the template replaced by its value (a system
    /// variable, or `x:name` from `x-oss-callback-var`; an unknown name by nothing),
    /// percent-encoded for form bodies, JSON-escaped for JSON bodies.
    pub(crate) fn render(&self, facts: &ObjectFacts) -> String {
        let mut out = String::with_capacity(self.body.len());
        let mut rest = self.body.as_str();
        while let Some(start) = rest.find("${") {
            let Some(len) = rest[start..].find('}') else {
                break;
            };
            out.push_str(&rest[..start]);
            let name = &rest[start + 2..start + len];
            let value = self.value(name, facts).unwrap_or_default();
            out.push_str(&self.encode(&value));
            rest = &rest[start + len + 1..];
        }
        out.push_str(rest);
        out
    }

    fn value(&self, name: &str, facts: &ObjectFacts) -> Option<String> {
        let image = facts.image.as_ref();
        Some(match name {
            "bucket" => facts.bucket.clone(),
            "object" => facts.key.clone(),
            "etag" => facts.etag.clone(),
            "size" => facts.size.to_string(),
            "mimeType" => facts.mime_type.clone(),
            "crc64" => facts.crc64.to_string(),
            "contentMd5" => facts.content_md5.clone()?,
            "operation" => facts.operation.to_owned(),
            "reqId" => facts.request_id.clone(),
            "clientIp" => "127.0.0.1".to_owned(),
            "imageInfo.height" => image?.0.to_string(),
            "imageInfo.width" => image?.1.to_string(),
            "imageInfo.format" => image?.2.clone(),
            _ => self
                .vars
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())?,
        })
    }

    fn encode(&self, value: &str) -> String {
        if self.body_type == JSON {
            let quoted = Value::from(value).to_string();
            quoted[1..quoted.len() - 1].to_owned()
        } else {
            percent_encoding::utf8_percent_encode(value, UNRESERVED_KEPT).to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(callback: &str, vars: Option<&str>) -> HeaderMap {
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let mut h = HeaderMap::new();
        h.insert("x-oss-callback", b64(callback).parse().unwrap());
        if let Some(v) = vars {
            h.insert("x-oss-callback-var", b64(v).parse().unwrap());
        }
        h
    }

    fn facts() -> ObjectFacts {
        ObjectFacts {
            bucket: "b".into(),
            key: "a b.txt".into(),
            etag: "ABC".into(),
            size: 5,
            mime_type: "text/plain".into(),
            crc64: 42,
            content_md5: None,
            operation: "PutObject",
            request_id: "R".into(),
            image: None,
        }
    }

    #[test]
    fn form_bodies_percent_encode_and_json_bodies_escape() {
        let spec = CallbackSpec::from_headers(&headers(
            r#"{"callbackUrl":"http://127.0.0.1:1/cb","callbackBody":"o=${object}&s=${size}&u=${x:u}&n=${nope}"}"#,
            Some(r#"{"x:u":"a&b"}"#),
        ))
        .unwrap()
        .unwrap();
        assert_eq!(spec.render(&facts()), "o=a%20b.txt&s=5&u=a%26b&n=");
        let spec = CallbackSpec::from_headers(&headers(
            r#"{"callbackUrl":"http://localhost/cb","callbackBody":"{\"o\":\"${object}\",\"v\":\"${x:u}\"}","callbackBodyType":"application/json"}"#,
            Some(r#"{"x:u":"say \"hi\""}"#),
        ))
        .unwrap()
        .unwrap();
        assert_eq!(spec.render(&facts()), r#"{"o":"a b.txt","v":"say \"hi\""}"#);
    }

    #[test]
    fn what_oss_refuses_and_non_loopback_urls_are_invalid_arguments() {
        for (callback, vars) in [
            ("not json", None),
            (r#"{"callbackBody":"x"}"#, None),
            (r#"{"callbackUrl":"http://127.0.0.1/"}"#, None),
            (
                r#"{"callbackUrl":"http://example.com/","callbackBody":"x"}"#,
                None,
            ),
            (
                r#"{"callbackUrl":"http://127.0.0.1/","callbackBody":"x","callbackBodyType":"text/plain"}"#,
                None,
            ),
            (
                r#"{"callbackUrl":"http://127.0.0.1/","callbackBody":"x"}"#,
                Some(r#"{"u":"1"}"#),
            ),
        ] {
            let e = CallbackSpec::from_headers(&headers(callback, vars)).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidArgument, "{callback}");
        }
    }
}
