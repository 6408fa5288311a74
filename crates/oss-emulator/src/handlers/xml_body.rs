//! Reading request XML bodies (CompleteMultipartUpload, Delete, Tagging,
//! VersioningConfiguration, RestoreRequest) into a small element tree. Text is kept exactly
//! (never trimmed), so keys with edge whitespace survive; namespaces are ignored.

use quick_xml::events::Event;

use crate::error::{ErrorCode, OssError};

/// Largest XML request body of the small-document operations (PutObjectTagging,
/// Put{Bucket,Object}Acl, PutBucketVersioning, RestoreObject); larger → 400
/// `EntityTooLarge`. CompleteMultipartUpload and DeleteMultipleObjects have their own caps.
pub(crate) const MAX_XML_BODY: u64 = 64 * 1024;

/// One element: local name, concatenated text, children in order.
#[derive(Debug, Default, Clone)]
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
    pub(crate) fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of the first child called `name`.
    pub(crate) fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str())
    }

    /// A leaf element with this text.
    pub(crate) fn leaf(name: &str, text: &str) -> Self {
        Self {
            name: name.to_owned(),
            text: text.to_owned(),
            children: Vec::new(),
        }
    }

    /// Appends the element as XML: a leaf's text, or its children (the whitespace between
    /// them dropped).
    pub(crate) fn write_into(&self, out: &mut String) {
        out.push('<');
        out.push_str(&self.name);
        out.push('>');
        if self.children.is_empty() {
            crate::xml::escape_into(out, &self.text);
        } else {
            self.children.iter().for_each(|c| c.write_into(out));
        }
        out.push_str("</");
        out.push_str(&self.name);
        out.push('>');
    }
}

/// Deepest element nesting accepted (OSS documents need 4); deeper → 400 `MalformedXML`.
/// Keeps a hostile body from building a tree whose recursive drop would exhaust the stack.
pub(crate) const MAX_DEPTH: usize = 16;

/// 400 `MalformedXML`.
pub(crate) fn malformed() -> OssError {
    OssError::new(
        ErrorCode::MalformedXml,
        "The XML you provided was not well-formed or did not validate against our published schema.",
    )
}

fn local_name(raw: &[u8]) -> Result<String, OssError> {
    let name = match raw.iter().rposition(|b| *b == b':') {
        Some(i) => &raw[i + 1..],
        None => raw,
    };
    String::from_utf8(name.to_vec()).map_err(|_| malformed())
}

/// Parses `body` and checks the root element is `root`; else 400 `MalformedXML`.
pub(crate) fn parse(body: &[u8], root: &str) -> Result<Element, OssError> {
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut stack: Vec<Element> = Vec::new();
    let mut done: Option<Element> = None;
    loop {
        match reader.read_event().map_err(|_| malformed())? {
            Event::Start(e) => {
                if done.is_some() || stack.len() >= MAX_DEPTH {
                    return Err(malformed());
                }
                stack.push(Element {
                    name: local_name(e.name().as_ref())?,
                    ..Element::default()
                });
            }
            Event::Empty(e) => {
                let el = Element {
                    name: local_name(e.name().as_ref())?,
                    ..Element::default()
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None if done.is_none() => done = Some(el),
                    None => return Err(malformed()),
                }
            }
            Event::End(_) => {
                let el = stack.pop().ok_or_else(malformed)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => done = Some(el),
                }
            }
            Event::Text(t) => {
                let text = t.unescape().map_err(|_| malformed())?;
                match stack.last_mut() {
                    Some(el) => el.text.push_str(&text),
                    None if text.trim().is_empty() => {}
                    None => return Err(malformed()),
                }
            }
            Event::CData(t) => {
                let text = std::str::from_utf8(&t).map_err(|_| malformed())?;
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(text);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(malformed());
    }
    match done {
        Some(el) if el.name == root => Ok(el),
        _ => Err(malformed()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_text_exactly_and_checks_the_root() {
        let xml = b"<?xml version=\"1.0\"?>\n<Delete xmlns=\"x\"><Quiet>true</Quiet><Object><Key>  a&amp;b\t</Key></Object><Object><Key>c</Key><VersionId>v</VersionId></Object></Delete>";
        let d = parse(xml, "Delete").unwrap();
        assert_eq!(d.child_text("Quiet"), Some("true"));
        let keys: Vec<_> = d
            .children("Object")
            .map(|o| o.child_text("Key").unwrap())
            .collect();
        assert_eq!(keys, ["  a&b\t", "c"]);
        assert_eq!(
            parse(xml, "Other").unwrap_err().code,
            ErrorCode::MalformedXml
        );
        assert_eq!(
            parse(b"<Delete>", "Delete").unwrap_err().code,
            ErrorCode::MalformedXml
        );
        assert_eq!(
            parse(b"", "Delete").unwrap_err().code,
            ErrorCode::MalformedXml
        );
        assert!(parse(b"<Delete/>", "Delete").is_ok());
        let deep = format!("{}{}", "<a>".repeat(100_000), "</a>".repeat(100_000));
        assert_eq!(
            parse(deep.as_bytes(), "a").unwrap_err().code,
            ErrorCode::MalformedXml
        );
        let ok = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
        assert!(parse(ok.as_bytes(), "a").is_ok());
    }
}
