//! Writing OSS response XML: a declaration, bare element names (never an `xmlns`), and every
//! text escaped so that XML 1.0 parsers read back exactly the bytes that were written.

/// The XML declaration every OSS body starts with.
pub(crate) const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

/// Whether XML 1.0 can carry `c` at all (as a literal or as a character reference).
///
/// Allowed: `#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]`.
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Whether every character of `s` can be carried by XML 1.0.
pub(crate) fn is_xml_text(s: &str) -> bool {
    s.chars().all(is_xml_char)
}

/// Appends `text` escaped for element content (`&`, `<`, `>`; quotes stay literal, as in OSS
/// ETags). `\r` is written as `&#13;` because parsers
/// turn a literal carriage return into a line feed. Characters XML cannot carry are replaced
/// by U+FFFD (callers that must be exact check [`is_xml_text`] first).
pub(crate) fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c if is_xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
}

/// A small writer of element trees.
#[derive(Debug)]
pub(crate) struct XmlWriter {
    out: String,
}

impl XmlWriter {
    /// A document holding only the declaration.
    pub(crate) fn new() -> Self {
        let mut out = String::with_capacity(512);
        out.push_str(DECLARATION);
        Self { out }
    }

    /// `<tag>`.
    pub(crate) fn open(&mut self, tag: &str) -> &mut Self {
        self.out.push('<');
        self.out.push_str(tag);
        self.out.push('>');
        self
    }

    /// `</tag>`.
    pub(crate) fn close(&mut self, tag: &str) -> &mut Self {
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push('>');
        self
    }

    /// `<tag>escaped text</tag>`.
    pub(crate) fn elem(&mut self, tag: &str, text: &str) -> &mut Self {
        self.open(tag);
        escape_into(&mut self.out, text);
        self.close(tag)
    }

    /// `<tag>` + `elem` when `text` is `Some`.
    pub(crate) fn elem_opt(&mut self, tag: &str, text: Option<&str>) -> &mut Self {
        if let Some(text) = text {
            self.elem(tag, text);
        }
        self
    }

    /// The finished document.
    pub(crate) fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_specials_and_keeps_whitespace() {
        let mut w = XmlWriter::new();
        w.elem("Key", "  a<&>\"' \t\r\n ");
        let s = w.finish();
        assert!(s.ends_with("<Key>  a&lt;&amp;&gt;\"' \t&#13;\n </Key>"));
        assert!(s.starts_with(DECLARATION));
    }

    #[test]
    fn classifies_xml_chars() {
        assert!(is_xml_text("a b\tc\n"));
        assert!(!is_xml_text("bad\u{8}name"));
        assert!(!is_xml_text("\u{FFFE}"));
        assert!(is_xml_text("打包测试😀"));
    }
}
