//! Upload callbacks (`x-oss-callback`, `x-oss-callback-var`; OSS API reference "Callback"):
//! after PutObject or CompleteMultipartUpload stores the object, OSS POSTs a body built from
//! the object's attributes to the application's server and relays that server's answer.
//!
//! ```no_run
//! # async fn demo(client: oss_client::Client) -> Result<(), oss_client::Error> {
//! use oss_client::operation::callback::{Callback, CallbackBodyType};
//!
//! let callback = Callback::new(
//!     "https://app.example.com/uploaded",
//!     "bucket=${bucket}&object=${object}&size=${size}&user=${x:user}",
//! )
//! .var("user", "alice");
//! let put = client
//!     .put_object()
//!     .bucket("examplebucket")
//!     .key("photo.jpg")
//!     .body("...")
//!     .callback(callback)
//!     .send()
//!     .await?;
//! println!("the application answered {:?}", put.callback_result);
//! # Ok(()) }
//! ```

use base64::Engine as _;
use bytes::Bytes;
use http::{HeaderValue, Response, StatusCode};
use oss_http::{ErrorDocument, ResponseBody};

use crate::error::{Error, ErrorKind, ServiceError};
use crate::request::OperationRequest;

/// How OSS encodes the callback body it POSTs (`callbackBodyType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum CallbackBodyType {
    /// `application/x-www-form-urlencoded` (OSS's default): variable values are
    /// percent-encoded into the body.
    #[default]
    FormUrlEncoded,
    /// `application/json`: variable values are JSON-escaped into the body.
    Json,
}

impl CallbackBodyType {
    fn as_str(self) -> &'static str {
        match self {
            Self::FormUrlEncoded => "application/x-www-form-urlencoded",
            Self::Json => "application/json",
        }
    }
}

/// An upload callback: where OSS POSTs once the object is stored, and what.
///
/// The body is a template: OSS replaces the system variables `${bucket}`, `${object}`,
/// `${etag}`, `${size}` (bytes), `${mimeType}`, `${crc64}`, `${contentMd5}`,
/// `${imageInfo.height}`, `${imageInfo.width}`, `${imageInfo.format}`, `${clientIp}`,
/// `${reqId}`, `${operation}`, and each custom variable `${x:name}` set with
/// [`Callback::var`]. The callback server must answer 200 with a JSON body (at most 3 MB),
/// which OSS relays as the upload's answer; any other answer (or none within 5 seconds) makes
/// the upload answer `203 CallbackFailed` ([`ErrorKind::CallbackFailed`]), the object stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callback {
    url: String,
    host: Option<String>,
    body: String,
    body_type: CallbackBodyType,
    sni: bool,
    vars: Vec<(String, String)>,
}

impl Callback {
    /// A callback to `url` (`http://` or `https://`; OSS accepts up to five URLs separated by
    /// `;`, tried in order) with the body template `body`.
    pub fn new(url: impl Into<String>, body: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            host: None,
            body: body.into(),
            body_type: CallbackBodyType::default(),
            sni: false,
            vars: Vec::new(),
        }
    }

    /// The `Host` header of the callback request (`callbackHost`; default: the URL's host).
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }

    /// How the body is encoded (`callbackBodyType`; default form-urlencoded).
    pub fn body_type(mut self, body_type: CallbackBodyType) -> Self {
        self.body_type = body_type;
        self
    }

    /// Whether OSS sends SNI to an `https://` callback URL (`callbackSNI`; default false).
    pub fn sni(mut self, sni: bool) -> Self {
        self.sni = sni;
        self
    }

    /// A custom variable, used in the body as `${x:name}` and sent in `x-oss-callback-var`
    /// as `x:name` (the `x:` prefix is added here). OSS requires lower-case names: other
    /// names are refused with [`ErrorKind::InvalidArgument`] when the request is sent; a name
    /// given twice with [`ErrorKind::DuplicateName`].
    pub fn var(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.vars.push((name.into(), value.into()));
        self
    }

    /// The `x-oss-callback` header value: base64 of the JSON OSS defines.
    fn callback_header(&self) -> Result<String, Error> {
        if self.url.trim().is_empty() {
            return Err(Error::invalid_argument("the callback URL is empty"));
        }
        if self.body.is_empty() {
            return Err(Error::invalid_argument("the callback body is empty"));
        }
        let mut json = serde_json::Map::new();
        json.insert("callbackUrl".into(), self.url.clone().into());
        if let Some(host) = &self.host {
            json.insert("callbackHost".into(), host.clone().into());
        }
        json.insert("callbackBody".into(), self.body.clone().into());
        json.insert("callbackBodyType".into(), self.body_type.as_str().into());
        if self.sni {
            json.insert("callbackSNI".into(), true.into());
        }
        Ok(base64_json(&serde_json::Value::Object(json)))
    }

    /// The `x-oss-callback-var` header value, when there are custom variables.
    fn var_header(&self) -> Result<Option<String>, Error> {
        if self.vars.is_empty() {
            return Ok(None);
        }
        let mut json = serde_json::Map::new();
        for (name, value) in &self.vars {
            let valid = !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !valid {
                return Err(Error::invalid_argument(format!(
                    "callback variable name {name:?}: OSS takes lower-case letters, digits and _"
                )));
            }
            let previous = json.insert(format!("x:{name}"), value.clone().into());
            if previous.is_some() {
                return Err(Error::new(
                    ErrorKind::DuplicateName,
                    format!("callback variable {name:?} is given twice"),
                ));
            }
        }
        Ok(Some(base64_json(&serde_json::Value::Object(json))))
    }

    /// Checks the callback and adds its headers to `op`.
    pub(crate) fn apply(&self, op: &mut OperationRequest) -> Result<(), Error> {
        op.header("x-oss-callback", base64_value(self.callback_header()?));
        if let Some(vars) = self.var_header()? {
            op.header("x-oss-callback-var", base64_value(vars));
        }
        Ok(())
    }
}

fn base64_json(json: &serde_json::Value) -> String {
    base64::engine::general_purpose::STANDARD.encode(json.to_string())
}

fn base64_value(base64: String) -> HeaderValue {
    HeaderValue::try_from(base64).expect("base64 is a valid header value")
}

/// The callback server's answer relayed by OSS: its body on 200; on `203 CallbackFailed`
/// an [`ErrorKind::CallbackFailed`] error carrying OSS's error document.
pub(crate) async fn answer(response: Response<ResponseBody>) -> Result<Bytes, Error> {
    let (parts, body) = response.into_parts();
    let bytes = crate::response::read_body(body).await?;
    if parts.status != StatusCode::NON_AUTHORITATIVE_INFORMATION {
        return Ok(bytes);
    }
    let document = ErrorDocument::parse(&parts.headers, &bytes);
    Err(Error::callback_failed(ServiceError {
        status: parts.status,
        fallback_code: "CallbackFailed",
        document,
        headers: parts.headers,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(value: &str) -> serde_json::Value {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(value)
            .unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[test]
    fn headers_are_base64_json_with_oss_field_names() {
        let callback = Callback::new("http://127.0.0.1:8080/cb", "object=${object}&u=${x:user}")
            .host("app.example.com")
            .body_type(CallbackBodyType::Json)
            .var("user", "alice");
        assert_eq!(
            decoded(&callback.callback_header().unwrap()),
            serde_json::json!({
                "callbackUrl": "http://127.0.0.1:8080/cb",
                "callbackHost": "app.example.com",
                "callbackBody": "object=${object}&u=${x:user}",
                "callbackBodyType": "application/json",
            })
        );
        assert_eq!(
            decoded(&callback.var_header().unwrap().unwrap()),
            serde_json::json!({"x:user": "alice"})
        );
    }

    #[test]
    fn bad_variables_and_empty_fields_are_refused() {
        let base = || Callback::new("http://127.0.0.1/cb", "b=${bucket}");
        assert_eq!(
            base().var("User", "x").var_header().unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            base()
                .var("a", "1")
                .var("a", "2")
                .var_header()
                .unwrap_err()
                .kind(),
            ErrorKind::DuplicateName
        );
        assert!(base().var_header().unwrap().is_none());
        assert!(Callback::new("", "b").callback_header().is_err());
        assert!(Callback::new("http://h/", "").callback_header().is_err());
    }
}
