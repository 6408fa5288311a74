//! OSS error answers, read in one place: the error document of a 4xx/5xx answer (from its
//! body, or for bodiless HEAD answers from the base64 XML in `x-oss-err`), and the one list of
//! OSS codes after which the same request may succeed.
//!
//! [`read`] reads an error answer's body once (at most [`MAX_ERROR_BODY`] bytes), parses it
//! with [`ErrorDocument::parse`] and hands the document on as a response extension, with the
//! bytes read as the new body. The retry layer reads the document when the status alone does
//! not decide (4xx answers); the client reads the extension, or calls [`read`] itself for the
//! answers the retry layer let through unread. Reading never fails: an answer that is not an
//! OSS `<Error>` document (a proxy's HTML page, an empty or truncated body, binary garbage)
//! gives a document without a code whose [`ErrorDocument::body_excerpt`] shows the start of
//! what arrived.
//!
//! [`is_retryable`] decides, from the status and the code, whether an error answer may succeed
//! when sent again; the retry layer and `oss_client::Error::is_retryable` both consult it.

use std::time::SystemTime;

use base64::Engine as _;
use bytes::{Bytes, BytesMut};
use http::{HeaderMap, Response, StatusCode};
use http_body_util::BodyExt as _;
use quick_xml::Reader;
use quick_xml::events::Event;

use crate::response_body::ResponseBody;

/// The most bytes of an error body read (64 KiB); the rest is dropped unread.
pub const MAX_ERROR_BODY: usize = 64 * 1024;

/// The most bytes of a body kept in [`ErrorDocument::body_excerpt`] (512).
pub const EXCERPT_BYTES: usize = 512;

/// OSS codes of transient server-side faults: a retry after a backoff may succeed.
/// `RequestTimeout` (400) is an upload body that stalled; `BadRequest` is retried by the
/// official OSS SDKs.
pub const TRANSIENT_CODES: &[&str] = &[
    "InternalError",
    "ServiceUnavailable",
    "RequestTimeout",
    "BadRequest",
];

/// OSS codes that ask the client to slow down: a retry after a backoff may succeed.
pub const THROTTLING_CODES: &[&str] = &[
    "SlowDown",
    "Throttling",
    "TooManyRequests",
    "QpsLimitExceeded",
    "BandwidthLimitExceeded",
];

/// The code of a request whose signing time is too far from the server's: the client learns
/// the server's clock from the answer, after which the same request succeeds (the retry layer
/// retries it once, at once).
pub const CLOCK_SKEW_CODE: &str = "RequestTimeTooSkewed";

/// Whether the status alone makes an error answer retryable: 5xx except 501 Not Implemented,
/// 408 Request Timeout, 429 Too Many Requests.
pub fn is_retryable_status(status: StatusCode) -> bool {
    (status.is_server_error() && status != StatusCode::NOT_IMPLEMENTED)
        || status == StatusCode::REQUEST_TIMEOUT
        || status == StatusCode::TOO_MANY_REQUESTS
}

/// Whether an OSS error code is transient, throttling or clock skew.
pub fn is_retryable_code(code: &str) -> bool {
    TRANSIENT_CODES.contains(&code) || THROTTLING_CODES.contains(&code) || code == CLOCK_SKEW_CODE
}

/// Whether an error answer with this status and OSS code (empty when there was none) may
/// succeed when the same request is sent again: [`is_retryable_status`] or
/// [`is_retryable_code`]. The one rule used by the retry layer and by the client's
/// `Error::is_retryable`.
pub fn is_retryable(status: StatusCode, code: &str) -> bool {
    is_retryable_status(status) || is_retryable_code(code)
}

/// An OSS error answer as read: the fields of its `<Error>` document and what the headers
/// say. Every field is optional: a proxy's answer has none of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorDocument {
    /// `<Code>`.
    pub(crate) code: Option<String>,
    /// `<Message>`.
    pub(crate) message: Option<String>,
    /// `<RequestId>`, else the `x-oss-request-id` header.
    pub(crate) request_id: Option<String>,
    /// `<HostId>`.
    pub(crate) host_id: Option<String>,
    /// `<EC>`, else the `x-oss-ec` header.
    pub(crate) ec: Option<String>,
    /// Every other element of the document, in order (`ServerTime`, `Key`, `Endpoint`…).
    pub(crate) elements: Vec<(String, String)>,
    /// `<ServerTime>` (ISO 8601), for `RequestTimeTooSkewed`.
    pub(crate) server_time: Option<SystemTime>,
    /// The start of a body that is not a complete `<Error>` document, made printable.
    pub(crate) excerpt: Option<String>,
}

impl ErrorDocument {
    /// Parses an error answer: `body` as an OSS `<Error>` document, or when the body is empty
    /// or not such a document, the base64 XML of `x-oss-err`; `x-oss-request-id` and
    /// `x-oss-ec` fill in what the document does not say. Never fails and never panics: a body
    /// that is not a complete `<Error>` document (HTML, JSON, truncated or malformed XML,
    /// another root element, binary bytes) keeps the elements that were complete and the
    /// start of the body in [`ErrorDocument::body_excerpt`].
    pub fn parse(headers: &HeaderMap, body: &[u8]) -> Self {
        let mut document = Self::default();
        let complete = !body.is_empty() && document.read_xml(body);
        if !complete {
            let from_header = headers
                .get("x-oss-err")
                .and_then(|v| base64_decode(v.as_bytes()));
            if let Some(xml) = from_header {
                let mut header_document = Self::default();
                if header_document.read_xml(&xml) || document.is_empty() {
                    document = header_document;
                }
            }
            if !body.is_empty() {
                document.excerpt = Some(excerpt(body));
            }
        }
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        if document.request_id.is_none() {
            document.request_id = header("x-oss-request-id");
        }
        if document.ec.is_none() {
            document.ec = header("x-oss-ec");
        }
        document.server_time = document.element("ServerTime").and_then(|t| {
            time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339)
                .ok()
                .map(SystemTime::from)
        });
        document
    }

    /// The error document of an answer [`read`] has read, from its extensions.
    pub fn of<B>(response: &Response<B>) -> Option<&Self> {
        response.extensions().get()
    }

    /// `<Code>`, e.g. `NoSuchKey`.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// `<Message>`.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// `<RequestId>`, else the `x-oss-request-id` header.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// `<HostId>`.
    pub fn host_id(&self) -> Option<&str> {
        self.host_id.as_deref()
    }

    /// `<EC>`, else the `x-oss-ec` header.
    pub fn ec(&self) -> Option<&str> {
        self.ec.as_deref()
    }

    /// Every element besides `Code`, `Message`, `RequestId`, `HostId` and `EC`, in document
    /// order, text trimmed.
    pub fn elements(&self) -> &[(String, String)] {
        &self.elements
    }

    /// One of [`Self::elements`] by name.
    pub fn element(&self, name: &str) -> Option<&str> {
        self.elements
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// `<ServerTime>`, parsed.
    pub fn server_time(&self) -> Option<SystemTime> {
        self.server_time
    }

    /// When the body was not a complete OSS `<Error>` document: its first [`EXCERPT_BYTES`]
    /// bytes as text, cut at a character boundary, with whitespace runs shown as one space,
    /// other control characters escaped (`\u{1b}`), bytes that are not UTF-8 shown as `\xNN`,
    /// and `…` when the body was longer.
    pub fn body_excerpt(&self) -> Option<&str> {
        self.excerpt.as_deref()
    }

    fn is_empty(&self) -> bool {
        self.code.is_none()
            && self.message.is_none()
            && self.request_id.is_none()
            && self.host_id.is_none()
            && self.ec.is_none()
            && self.elements.is_empty()
    }

    /// Reads the children of an `<Error>` root into `self`; true when the document was a
    /// complete `<Error>` element. Children that closed before a malformed or truncated part
    /// are kept.
    fn read_xml(&mut self, xml: &[u8]) -> bool {
        let Ok(text) = std::str::from_utf8(xml) else {
            return false;
        };
        let mut reader = Reader::from_str(text);
        reader.config_mut().trim_text(false);
        // 0: before the root; 1: in <Error>; 2: in one of its children; deeper: nested.
        let mut depth = 0usize;
        let mut child: Option<(String, String)> = None;
        loop {
            let event = match reader.read_event() {
                Ok(event) => event,
                Err(_) => return false,
            };
            match event {
                Event::Start(start) => {
                    let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                    match depth {
                        0 if name != "Error" => return false,
                        1 => child = Some((name, String::new())),
                        _ => {}
                    }
                    depth += 1;
                }
                Event::Empty(start) => {
                    let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                    match depth {
                        0 => return name == "Error",
                        1 => self.set(name, String::new()),
                        _ => {}
                    }
                }
                Event::Text(t) if depth == 2 => {
                    if let Some((_, text)) = child.as_mut() {
                        match t.unescape() {
                            Ok(unescaped) => text.push_str(&unescaped),
                            Err(_) => text.push_str(&String::from_utf8_lossy(&t)),
                        }
                    }
                }
                Event::CData(t) if depth == 2 => {
                    if let Some((_, text)) = child.as_mut() {
                        text.push_str(&String::from_utf8_lossy(&t));
                    }
                }
                // Only whitespace may come before the root element.
                Event::Text(t) if depth == 0 && !t.iter().all(u8::is_ascii_whitespace) => {
                    return false;
                }
                Event::End(_) => {
                    depth = depth.saturating_sub(1);
                    match depth {
                        0 => return true,
                        1 => {
                            if let Some((name, text)) = child.take() {
                                self.set(name, text);
                            }
                        }
                        _ => {}
                    }
                }
                Event::Eof => return false,
                _ => {}
            }
        }
    }

    /// Records one child element of `<Error>`; the first of a repeated name counts.
    fn set(&mut self, name: String, text: String) {
        let text = text.trim().to_owned();
        let field = match name.as_str() {
            "Code" => &mut self.code,
            "Message" => &mut self.message,
            "RequestId" => &mut self.request_id,
            "HostId" => &mut self.host_id,
            "EC" => &mut self.ec,
            _ => {
                self.elements.push((name, text));
                return;
            }
        };
        if field.is_none() {
            *field = Some(text);
        }
    }
}

fn base64_decode(value: &[u8]) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(value.trim_ascii())
        .ok()
}

/// The start of `body` as printable text; see [`ErrorDocument::body_excerpt`].
fn excerpt(body: &[u8]) -> String {
    let truncated = body.len() > EXCERPT_BYTES;
    let mut bytes = &body[..body.len().min(EXCERPT_BYTES)];
    if truncated {
        // Do not show a character cut in half by the limit as an invalid byte.
        if let Err(e) = std::str::from_utf8(bytes) {
            if e.error_len().is_none() {
                bytes = &bytes[..e.valid_up_to()];
            }
        }
    }
    let mut out = String::with_capacity(bytes.len() + 8);
    let mut in_space = false;
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_whitespace() {
                if !in_space && !out.is_empty() {
                    out.push(' ');
                }
                in_space = true;
                continue;
            }
            in_space = false;
            if c.is_control() {
                out.extend(c.escape_default());
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            in_space = false;
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
    if truncated {
        out.push('…');
    }
    out
}

/// Reads the body of a 4xx/5xx answer (at most [`MAX_ERROR_BODY`] bytes) once, parses it with
/// [`ErrorDocument::parse`] and returns the answer with the document as an extension and the
/// bytes read as its body. An answer that already carries a document, or that is not an
/// error, is returned as it is. A body that breaks off keeps what arrived.
pub async fn read(response: Response<ResponseBody>) -> Response<ResponseBody> {
    let status = response.status();
    let is_error = status.is_client_error() || status.is_server_error();
    if !is_error || ErrorDocument::of(&response).is_some() {
        return response;
    }
    let (mut parts, mut body) = response.into_parts();
    let mut bytes = BytesMut::new();
    while bytes.len() < MAX_ERROR_BODY {
        match body.frame().await {
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    let room = MAX_ERROR_BODY - bytes.len();
                    bytes.extend_from_slice(&data[..data.len().min(room)]);
                }
            }
            Some(Err(_)) | None => break,
        }
    }
    let bytes: Bytes = bytes.freeze();
    let document = ErrorDocument::parse(&parts.headers, &bytes);
    parts.extensions.insert(document);
    Response::from_parts(parts, ResponseBody::buffered(bytes))
}

/// For a 4xx/5xx answer: the answer (read by [`read`]) and a copy of its error document.
/// Success answers pass through untouched.
pub(crate) async fn inspect(
    response: Response<ResponseBody>,
) -> (Response<ResponseBody>, Option<ErrorDocument>) {
    let response = read(response).await;
    let document = ErrorDocument::of(&response).cloned();
    (response, document)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &[u8]) -> ErrorDocument {
        ErrorDocument::parse(&HeaderMap::new(), body)
    }

    #[test]
    fn reads_every_element_and_server_time() {
        let xml = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>RequestTimeTooSkewed</Code>\n  <Message>The difference &amp; more</Message>\n  <RequestId>5C3D</RequestId>\n  <HostId>b.oss.example</HostId>\n  <RequestTime>2024-08-01T11:40:00.000Z</RequestTime>\n  <ServerTime>2024-08-01T12:00:00.000Z</ServerTime>\n  <EC>0002-00000504</EC>\n  <Empty/>\n</Error>\n";
        let doc = parse(xml);
        assert_eq!(doc.code(), Some("RequestTimeTooSkewed"));
        assert_eq!(doc.message(), Some("The difference & more"));
        assert_eq!(doc.request_id(), Some("5C3D"));
        assert_eq!(doc.host_id(), Some("b.oss.example"));
        assert_eq!(doc.ec(), Some("0002-00000504"));
        assert_eq!(
            doc.elements(),
            [
                ("RequestTime".into(), "2024-08-01T11:40:00.000Z".into()),
                ("ServerTime".into(), "2024-08-01T12:00:00.000Z".into()),
                ("Empty".into(), String::new()),
            ]
        );
        assert_eq!(
            doc.server_time(),
            Some(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_722_513_600))
        );
        assert_eq!(doc.body_excerpt(), None);
        assert_eq!(parse(b"<Error></Error>").code(), None);
        assert_eq!(parse(b"<Error/>"), ErrorDocument::default());
    }

    #[test]
    fn headers_fill_in_and_x_oss_err_serves_bodiless_answers() {
        let mut headers = HeaderMap::new();
        headers.insert("x-oss-request-id", "REQ1".parse().unwrap());
        headers.insert("x-oss-ec", "0026-00000001".parse().unwrap());
        let xml = b"<Error><Code>NoSuchKey</Code><Key>a b</Key></Error>";
        let encoded = base64::engine::general_purpose::STANDARD.encode(xml);
        headers.insert("x-oss-err", encoded.parse().unwrap());
        let doc = ErrorDocument::parse(&headers, b"");
        assert_eq!(doc.code(), Some("NoSuchKey"));
        assert_eq!(doc.element("Key"), Some("a b"));
        assert_eq!(doc.request_id(), Some("REQ1"));
        assert_eq!(doc.ec(), Some("0026-00000001"));
        assert_eq!(doc.body_excerpt(), None);
        // The body's own RequestId wins over the header.
        let doc = ErrorDocument::parse(&headers, b"<Error><RequestId>REQ2</RequestId></Error>");
        assert_eq!(doc.request_id(), Some("REQ2"));
    }

    #[test]
    fn an_html_page_keeps_its_start_and_the_request_id() {
        let mut headers = HeaderMap::new();
        headers.insert("x-oss-request-id", "REQ9".parse().unwrap());
        let page = b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";
        let doc = ErrorDocument::parse(&headers, page);
        assert_eq!(doc.code(), None);
        assert_eq!(doc.request_id(), Some("REQ9"));
        assert_eq!(
            doc.body_excerpt(),
            Some(
                "<html> <head><title>502 Bad Gateway</title></head> <body> <center><h1>502 Bad \
                 Gateway</h1></center> </body> </html>"
            )
        );
    }

    #[test]
    fn other_bodies_never_fail() {
        // Empty: nothing at all.
        assert_eq!(parse(b""), ErrorDocument::default());
        // Truncated XML keeps the elements that closed, and the excerpt.
        let doc = parse(b"<Error><Code>NoSuchKey</Code><Message>The specif");
        assert_eq!(doc.code(), Some("NoSuchKey"));
        assert_eq!(doc.message(), None);
        assert_eq!(
            doc.body_excerpt(),
            Some("<Error><Code>NoSuchKey</Code><Message>The specif")
        );
        // XML that is not an <Error> document.
        let doc = parse(b"<ListBucketResult><Code>x</Code></ListBucketResult>");
        assert_eq!(doc.code(), None);
        assert!(
            doc.body_excerpt()
                .unwrap()
                .starts_with("<ListBucketResult>")
        );
        // JSON.
        let doc = parse(br#"{"Code":"X"}"#);
        assert_eq!(
            (doc.code(), doc.body_excerpt()),
            (None, Some(r#"{"Code":"X"}"#))
        );
        // Binary garbage: control characters escaped, invalid bytes shown as \xNN.
        let doc = parse(b"\x00\x01\xff\xfeok\x1b[31m");
        assert_eq!(
            doc.body_excerpt(),
            Some("\\u{0}\\u{1}\\xff\\xfeok\\u{1b}[31m")
        );
        // Text before the root.
        assert_eq!(parse(b"oops<Error><Code>A</Code></Error>").code(), None);
    }

    #[test]
    fn excerpts_are_bounded_at_a_character_boundary() {
        let mut body = vec![b'a'; EXCERPT_BYTES - 1];
        body.extend_from_slice("é and more".as_bytes());
        let shown = excerpt(&body);
        assert_eq!(shown, format!("{}…", "a".repeat(EXCERPT_BYTES - 1)));
        let long = "中".repeat(1000);
        let shown = excerpt(long.as_bytes());
        assert!(shown.ends_with('…'));
        assert_eq!(
            shown.chars().filter(|c| *c == '中').count(),
            EXCERPT_BYTES / 3
        );
        assert_eq!(excerpt(b"  \n\t x \r\n y \n"), "x y");
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2048)) {
            let doc = parse(&bytes);
            if let Some(excerpt) = doc.body_excerpt() {
                // At most six characters (`\u{1b}`) per byte, and the ellipsis.
                proptest::prop_assert!(excerpt.len() <= EXCERPT_BYTES * 6 + 3);
                proptest::prop_assert!(!excerpt.chars().any(char::is_control));
            }
        }

        #[test]
        fn arbitrary_markup_never_panics(text in "(<[A-Za-z/!?]{0,6}[^<>]{0,12}>?|&[a-z#0-9]{0,5};?|[^<&]{0,8}){0,40}") {
            let _ = parse(text.as_bytes());
            let _ = parse(format!("<Error>{text}").as_bytes());
        }
    }

    #[test]
    fn retryable_statuses_and_codes() {
        for status in [500, 502, 503, 504, 408, 429] {
            let status = StatusCode::from_u16(status).unwrap();
            assert!(is_retryable(status, ""), "{status}");
        }
        for status in [400, 403, 404, 409, 412, 501] {
            let status = StatusCode::from_u16(status).unwrap();
            assert!(!is_retryable(status, "NoSuchKey"), "{status}");
        }
        for code in [
            "InternalError",
            "RequestTimeout",
            "SlowDown",
            "RequestTimeTooSkewed",
        ] {
            assert!(is_retryable(StatusCode::BAD_REQUEST, code), "{code}");
        }
    }
}
