//! Reading an OSS error answer inside the middleware: its code and, for clock skew, the
//! server's time. The body (at most 64 KiB) is read and handed back in memory.

use std::time::SystemTime;

use base64::Engine as _;
use bytes::Bytes;
use http::Response;
use http_body_util::BodyExt as _;

use crate::response_body::ResponseBody;

/// What the middleware needs from an error answer.
#[derive(Debug, Clone, Default)]
pub(crate) struct ErrorDocument {
    /// `<Code>`.
    pub(crate) code: Option<String>,
    /// `<ServerTime>` (ISO 8601), for `RequestTimeTooSkewed`.
    pub(crate) server_time: Option<SystemTime>,
}

/// For a 4xx/5xx answer: its error document, from the body or (HEAD) the base64 `x-oss-err`
/// header. Success answers pass through untouched.
pub(crate) async fn inspect(
    response: Response<ResponseBody>,
) -> (Response<ResponseBody>, Option<ErrorDocument>) {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return (response, None);
    }
    if let Some(xml) = response.headers().get("x-oss-err").and_then(|v| {
        base64::engine::general_purpose::STANDARD
            .decode(v.as_bytes())
            .ok()
    }) {
        let document = parse(&xml);
        return (response, Some(document));
    }
    let (parts, body) = response.into_parts();
    let bytes = match http_body_util::Limited::new(body, 64 * 1024)
        .collect()
        .await
    {
        Ok(collected) => collected.to_bytes(),
        Err(_) => Bytes::new(),
    };
    let document = parse(&bytes);
    (
        Response::from_parts(parts, ResponseBody::buffered(bytes)),
        Some(document),
    )
}

fn parse(xml: &[u8]) -> ErrorDocument {
    let text = String::from_utf8_lossy(xml);
    ErrorDocument {
        code: element(&text, "Code"),
        server_time: element(&text, "ServerTime").and_then(|t| {
            time::OffsetDateTime::parse(&t, &time::format_description::well_known::Rfc3339)
                .ok()
                .map(SystemTime::from)
        }),
    }
}

/// The text of the first `<name>` element.
fn element(text: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = text.find(&open)? + open.len();
    let end = start + text[start..].find(&format!("</{name}>"))?;
    Some(text[start..end].trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_code_and_server_time() {
        let xml = b"<?xml version=\"1.0\"?><Error><Code>RequestTimeTooSkewed</Code><RequestTime>2024-08-01T11:40:00.000Z</RequestTime><ServerTime>2024-08-01T12:00:00.000Z</ServerTime></Error>";
        let doc = parse(xml);
        assert_eq!(doc.code.as_deref(), Some("RequestTimeTooSkewed"));
        assert_eq!(
            doc.server_time,
            Some(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_722_513_600))
        );
        assert_eq!(parse(b"<Error></Error>").code, None);
    }
}
