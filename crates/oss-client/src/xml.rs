//! A small XML tree reader for OSS responses: element names without namespaces, text kept
//! exactly (never trimmed), unknown elements ignored by the callers.

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::error::Error;

/// One element: its local name, its own text (concatenated, unescaped) and its children.
#[derive(Debug, Default)]
pub(crate) struct Element {
    pub(crate) name: String,
    pub(crate) text: String,
    pub(crate) children: Vec<Element>,
}

impl Element {
    /// The first child called `name`.
    pub(crate) fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child called `name`.
    pub(crate) fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of the first child called `name`.
    pub(crate) fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str())
    }

    /// The text of the first child called `name`, or an empty string.
    pub(crate) fn text_or_empty(&self, name: &str) -> String {
        self.child_text(name).unwrap_or_default().to_owned()
    }

    /// The first child called `name` parsed as a number.
    pub(crate) fn child_parse<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, Error> {
        match self.child_text(name) {
            None => Ok(None),
            Some(text) => text.trim().parse().map(Some).map_err(|_| {
                Error::invalid_response(format!("element {name} holds {text:?}, not a number"))
            }),
        }
    }

    /// Decodes a field of this listing when its `EncodingType` is `url`.
    pub(crate) fn url_decoder(&self) -> impl Fn(&str) -> String {
        let url_encoded = self.child_text("EncodingType") == Some("url");
        move |text: &str| {
            if url_encoded {
                oss_auth::sign::percent_decode(text, true)
            } else {
                text.to_owned()
            }
        }
    }

    /// The first child called `name` as a boolean (`true`/`false`).
    pub(crate) fn child_bool(&self, name: &str) -> bool {
        self.child_text(name)
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("true"))
    }
}

/// Parses a whole document into its root element.
///
/// # Errors
/// [`crate::ErrorKind::InvalidResponse`] for malformed XML or an empty document.
pub(crate) fn parse(xml: &[u8]) -> Result<Element, Error> {
    let text = std::str::from_utf8(xml)
        .map_err(|_| Error::invalid_response("the response XML is not UTF-8"))?;
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    // The open elements, each with where its children start in `finished`: an element's
    // children are moved into a vector of the exact size when it ends, never grown one by one.
    let mut open: Vec<(Element, usize)> = Vec::new();
    let mut finished: Vec<Element> = Vec::new();
    let bad =
        |e: &dyn std::fmt::Display| Error::invalid_response(format!("malformed response XML: {e}"));
    loop {
        let done = match reader.read_event().map_err(|e| bad(&e))? {
            Event::Start(start) => {
                let element = Element {
                    name: local_name(&start)?,
                    ..Element::default()
                };
                open.push((element, finished.len()));
                continue;
            }
            Event::Empty(start) => Element {
                name: local_name(&start)?,
                ..Element::default()
            },
            Event::Text(t) => {
                if let Some((current, _)) = open.last_mut() {
                    current.text.push_str(&t.unescape().map_err(|e| bad(&e))?);
                }
                continue;
            }
            Event::CData(t) => {
                if let Some((current, _)) = open.last_mut() {
                    current.text.push_str(&String::from_utf8_lossy(&t));
                }
                continue;
            }
            Event::End(_) => {
                let (mut element, first_child) =
                    open.pop().ok_or_else(|| bad(&"unbalanced end tag"))?;
                element.children = finished.drain(first_child..).collect();
                element
            }
            Event::Eof => return Err(bad(&"document ended before its root element closed")),
            _ => continue,
        };
        if open.is_empty() {
            return Ok(done);
        }
        finished.push(done);
    }
}

/// The name without its namespace prefix.
fn local_name(start: &quick_xml::events::BytesStart<'_>) -> Result<String, Error> {
    std::str::from_utf8(start.local_name().as_ref())
        .map(str::to_owned)
        .map_err(|_| Error::invalid_response("an XML element name is not UTF-8"))
}

/// Escapes text for an XML element: `&`, `<` and `>` only, so quoted ETags stay `"…"` on the
/// wire as the official SDKs send them.
pub(crate) fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::partial_escape(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_whitespace_and_ignores_namespaces() {
        let doc = br#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com"><Contents><Key>  lead</Key></Contents><Contents><Key>trail </Key></Contents><Name>b&amp;c</Name><Empty/></ListBucketResult>"#;
        let root = parse(doc).unwrap();
        assert_eq!(root.name, "ListBucketResult");
        let keys: Vec<_> = root
            .children_named("Contents")
            .map(|c| c.text_or_empty("Key"))
            .collect();
        assert_eq!(keys, ["  lead", "trail "]);
        assert_eq!(root.child_text("Name"), Some("b&c"));
        assert_eq!(root.child_text("Empty"), Some(""));
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512)) {
            let _ = parse(&bytes);
        }

        #[test]
        fn arbitrary_markup_never_panics(text in "(<[A-Za-z/!?]{0,6}[^<>]{0,12}>?|&[a-z#0-9]{0,5};?|[^<&]{0,8}){0,40}") {
            let _ = parse(text.as_bytes());
        }

        #[test]
        fn element_text_round_trips(text in "[^<>&\\r]{0,64}") {
            let doc = format!("<a><b>{}</b></a>", escape(&text));
            let root = parse(doc.as_bytes()).unwrap();
            proptest::prop_assert_eq!(root.child_text("b"), Some(text.as_str()));
        }
    }

    #[test]
    fn malformed_is_an_error_not_a_panic() {
        for doc in [&b"<a><b></a>"[..], b"", b"<a>", b"\xff\xfe", b"<a></b>"] {
            assert!(parse(doc).is_err());
        }
    }
}
