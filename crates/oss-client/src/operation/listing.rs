//! A `ListBucketResult` (ListObjects and ListObjectsV2) read as a stream of XML events straight
//! into object summaries, without building a tree first: listings are the largest answers OSS
//! sends (up to 1000 entries a page). The rules are those of [`crate::xml`]: names without
//! namespaces, texts kept exactly, unknown elements ignored, the first of repeated elements
//! taken.

use oss_auth::sign::percent_decode;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::error::Error;
use crate::response::parse_iso8601;
use crate::types::{ObjectSummary, Owner};

/// One page of a listing.
#[derive(Debug, Default)]
pub(crate) struct Listing {
    /// The texts of the root's children that hold only text (`Name`, `Prefix`, `IsTruncated`…),
    /// as written (not URL-decoded), first of each name.
    fields: Vec<(String, String)>,
    /// The `Contents`, keys decoded.
    pub(crate) contents: Vec<ObjectSummary>,
    /// The first `Prefix` of each `CommonPrefixes`, decoded.
    pub(crate) common_prefixes: Vec<String>,
}

/// Where the reader is: what the innermost open element is.
enum Open {
    Root,
    /// A child of the root; its text is kept when it ends, unless it had children.
    Field(String),
    Contents,
    Entry(EntryField),
    Owner,
    OwnerField(OwnerField),
    CommonPrefixes,
    CommonPrefix,
    Ignored,
}

#[derive(Clone, Copy)]
enum EntryField {
    Key,
    Size,
    ETag,
    LastModified,
    Type,
    StorageClass,
}

#[derive(Clone, Copy)]
enum OwnerField {
    Id,
    DisplayName,
}

/// The texts of one `Contents`, first of each name.
#[derive(Default)]
struct Entry {
    texts: [Option<String>; 6],
    owner: Option<[Option<String>; 2]>,
    /// Whether an `Owner` has ended (a later one is ignored).
    owner_done: bool,
}

impl Listing {
    /// Reads a whole document.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidResponse`] for malformed XML, a document that ends early, or a
    /// `Size` that is not a number.
    pub(crate) fn parse(xml: &[u8]) -> Result<Self, Error> {
        let text = std::str::from_utf8(xml)
            .map_err(|_| Error::invalid_response("the response XML is not UTF-8"))?;
        let mut reader = Reader::from_str(text);
        reader.config_mut().trim_text(false);
        let bad = |e: &dyn std::fmt::Display| {
            Error::invalid_response(format!("malformed response XML: {e}"))
        };
        let mut listing = Listing::default();
        let mut open: Vec<Open> = Vec::with_capacity(8);
        let mut entry = Entry::default();
        let mut prefix: Option<String> = None;
        let mut text = String::new();
        loop {
            match reader.read_event().map_err(|e| bad(&e))? {
                Event::Start(start) => {
                    let child = child_of(&mut open, &start);
                    entry.opened(&child);
                    open.push(child);
                    text.clear();
                }
                Event::Empty(start) => {
                    let child = child_of(&mut open, &start);
                    entry.opened(&child);
                    text.clear();
                    let done = listing.end(child, &mut entry, &mut prefix, &mut text)?;
                    if open.is_empty() || done {
                        return listing.finish();
                    }
                }
                Event::Text(t) if keeps_text(open.last()) => {
                    text.push_str(&t.unescape().map_err(|e| bad(&e))?);
                }
                Event::CData(t) if keeps_text(open.last()) => {
                    text.push_str(&String::from_utf8_lossy(&t));
                }
                Event::End(_) => {
                    let closed = open.pop().ok_or_else(|| bad(&"unbalanced end tag"))?;
                    let done = listing.end(closed, &mut entry, &mut prefix, &mut text)?;
                    if done {
                        return listing.finish();
                    }
                }
                Event::Eof => return Err(bad(&"document ended before its root element closed")),
                _ => {}
            }
        }
    }

    /// Records what an element held when it ends; `true` when it was the root.
    fn end(
        &mut self,
        closed: Open,
        entry: &mut Entry,
        prefix: &mut Option<String>,
        text: &mut String,
    ) -> Result<bool, Error> {
        let text = std::mem::take(text);
        match closed {
            Open::Root => return Ok(true),
            Open::Field(name) => {
                if self.text(&name).is_none() {
                    self.fields.push((name, text));
                }
            }
            Open::Entry(field) => {
                entry.texts[field as usize].get_or_insert(text);
            }
            Open::OwnerField(field) => {
                if let Some(owner) = entry.owner.as_mut().filter(|_| !entry.owner_done) {
                    owner[field as usize].get_or_insert(text);
                }
            }
            Open::Owner => entry.owner_done = true,
            Open::Contents => {
                let done = std::mem::take(entry);
                self.contents.push(done.into_summary()?);
            }
            Open::CommonPrefix => {
                prefix.get_or_insert(text);
            }
            Open::CommonPrefixes => {
                if let Some(p) = prefix.take() {
                    self.common_prefixes.push(p);
                }
            }
            Open::Ignored => {}
        }
        Ok(false)
    }

    /// Decodes the keys and prefixes when the listing is URL-encoded.
    fn finish(mut self) -> Result<Self, Error> {
        if self.url_encoded() {
            for summary in &mut self.contents {
                summary.key = percent_decode(&summary.key, true);
            }
            for p in &mut self.common_prefixes {
                *p = percent_decode(p, true);
            }
        }
        Ok(self)
    }

    fn url_encoded(&self) -> bool {
        self.text("EncodingType") == Some("url")
    }

    /// The text of the root's child `name`.
    pub(crate) fn text(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.as_str())
    }

    /// The text of the root's child `name`, or an empty string.
    pub(crate) fn text_or_empty(&self, name: &str) -> String {
        self.text(name).unwrap_or_default().to_owned()
    }

    /// An opaque value the server made (a continuation token), URL-decoded when the listing
    /// is, with `+` kept as it is: real OSS tokens never hold a space, and a server that sends
    /// a token unencoded although `encoding-type=url` was asked must not see its `+` turned
    /// into one.
    pub(crate) fn token(&self, name: &str) -> Option<String> {
        let text = self.text(name)?;
        Some(if self.url_encoded() {
            percent_decode(text, false)
        } else {
            text.to_owned()
        })
    }

    /// The text of the root's child `name`, URL-decoded when the listing is.
    pub(crate) fn decoded(&self, name: &str) -> Option<String> {
        let text = self.text(name)?;
        Some(if self.url_encoded() {
            percent_decode(text, true)
        } else {
            text.to_owned()
        })
    }

    /// The root's child `name` parsed as a number.
    pub(crate) fn number<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, Error> {
        self.text(name).map(|t| parse_number(name, t)).transpose()
    }

    /// The root's child `name` as a boolean (`true`/`false`).
    pub(crate) fn flag(&self, name: &str) -> bool {
        self.text(name)
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("true"))
    }
}

impl Entry {
    /// The first `Owner` of an entry is the one read.
    fn opened(&mut self, element: &Open) {
        if matches!(element, Open::Owner) && self.owner.is_none() {
            self.owner = Some(Default::default());
        }
    }

    fn into_summary(self) -> Result<ObjectSummary, Error> {
        let [key, size, etag, last_modified, object_type, storage_class] = self.texts;
        let size = size
            .map(|s| parse_number("Size", &s))
            .transpose()?
            .unwrap_or(0);
        Ok(ObjectSummary {
            key: key.unwrap_or_default(),
            size,
            etag: etag.unwrap_or_default(),
            last_modified: last_modified.as_deref().and_then(parse_iso8601),
            object_type: object_type.unwrap_or_default(),
            storage_class: storage_class.unwrap_or_default(),
            owner: self.owner.map(|[id, display_name]| Owner {
                id: id.unwrap_or_default(),
                display_name: display_name.unwrap_or_default(),
            }),
        })
    }
}

fn parse_number<T: std::str::FromStr>(name: &str, text: &str) -> Result<T, Error> {
    text.trim().parse().map_err(|_| {
        Error::invalid_response(format!("element {name} holds {text:?}, not a number"))
    })
}

/// What a new element is, given the open ones. A child of a root field makes that field a
/// container, whose text is not kept.
fn child_of(open: &mut [Open], start: &BytesStart<'_>) -> Open {
    let name = start.local_name();
    let name = name.as_ref();
    let Some(parent) = open.last_mut() else {
        return Open::Root;
    };
    match parent {
        Open::Root => match name {
            b"Contents" => Open::Contents,
            b"CommonPrefixes" => Open::CommonPrefixes,
            _ => Open::Field(String::from_utf8_lossy(name).into_owned()),
        },
        Open::Field(_) => {
            *parent = Open::Ignored;
            Open::Ignored
        }
        Open::Contents => match name {
            b"Key" => Open::Entry(EntryField::Key),
            b"Size" => Open::Entry(EntryField::Size),
            b"ETag" => Open::Entry(EntryField::ETag),
            b"LastModified" => Open::Entry(EntryField::LastModified),
            b"Type" => Open::Entry(EntryField::Type),
            b"StorageClass" => Open::Entry(EntryField::StorageClass),
            b"Owner" => Open::Owner,
            _ => Open::Ignored,
        },
        Open::Owner => match name {
            b"ID" => Open::OwnerField(OwnerField::Id),
            b"DisplayName" => Open::OwnerField(OwnerField::DisplayName),
            _ => Open::Ignored,
        },
        Open::CommonPrefixes if name == b"Prefix" => Open::CommonPrefix,
        _ => Open::Ignored,
    }
}

/// Whether the innermost open element's text is read.
fn keeps_text(open: Option<&Open>) -> bool {
    matches!(
        open,
        Some(Open::Field(_) | Open::Entry(_) | Open::OwnerField(_) | Open::CommonPrefix)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::escape;

    #[test]
    fn reads_every_part_of_a_listing() {
        let doc = br#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com">
  <Name>b&amp;c</Name>
  <Name>second</Name>
  <Prefix>a%2Bb+</Prefix>
  <Delimiter/>
  <EncodingType>url</EncodingType>
  <IsTruncated>true</IsTruncated>
  <KeyCount>3</KeyCount>
  <Nested><Inner>x</Inner></Nested>
  <Contents>
    <Key>a+b%2Bc</Key>
    <LastModified>2025-01-02T03:04:05.000Z</LastModified>
    <ETag>"5EB6&quot;</ETag>
    <Type>Normal</Type>
    <Size> 11 </Size>
    <Size>12</Size>
    <StorageClass>IA</StorageClass>
    <RestoreInfo><Key>not this</Key></RestoreInfo>
    <Owner><ID>1</ID><DisplayName>one</DisplayName><ID>ignored</ID></Owner>
    <Owner><ID>2</ID></Owner>
  </Contents>
  <Contents><Key><![CDATA[raw%20]]></Key></Contents>
  <Contents><Owner/></Contents>
  <CommonPrefixes><Prefix>c%2B%2B/</Prefix><Prefix>later/</Prefix></CommonPrefixes>
  <CommonPrefixes></CommonPrefixes>
</ListBucketResult>"#;
        let listing = Listing::parse(doc).unwrap();
        assert_eq!(listing.text("Name"), Some("b&c"));
        assert_eq!(listing.decoded("Prefix").as_deref(), Some("a+b "));
        assert_eq!(listing.text("Delimiter"), Some(""));
        assert!(listing.flag("IsTruncated"));
        assert_eq!(listing.number::<u32>("KeyCount").unwrap(), Some(3));
        assert_eq!(listing.text("Nested"), None);
        assert_eq!(listing.text("Inner"), None);

        let first = &listing.contents[0];
        assert_eq!(first.key, "a b+c");
        assert_eq!(first.size, 11);
        assert_eq!(first.etag, "\"5EB6\"");
        assert_eq!(first.object_type, "Normal");
        assert_eq!(first.storage_class, "IA");
        assert!(first.last_modified.is_some());
        let owner = first.owner.as_ref().unwrap();
        assert_eq!(
            (owner.id.as_str(), owner.display_name.as_str()),
            ("1", "one")
        );

        let second = &listing.contents[1];
        assert_eq!(second.key, "raw ");
        assert_eq!(second.size, 0);
        assert!(second.owner.is_none() && second.last_modified.is_none());
        assert_eq!(listing.contents[2].owner, Some(Owner::default()));
        assert_eq!(listing.contents.len(), 3);
        assert_eq!(listing.common_prefixes, ["c++/"]);
    }

    #[test]
    fn a_size_that_is_not_a_number_is_an_error() {
        let doc = b"<ListBucketResult><Contents><Key>k</Key><Size>big</Size></Contents></ListBucketResult>";
        let error = Listing::parse(doc).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::InvalidResponse);
    }

    #[test]
    fn malformed_is_an_error_not_a_panic() {
        for doc in [
            &b"<a><b></a>"[..],
            b"",
            b"<a>",
            b"\xff\xfe",
            b"<a></b>",
            b"<a><Contents><Key>k</Key>",
        ] {
            assert!(Listing::parse(doc).is_err(), "{doc:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512)) {
            let _ = Listing::parse(&bytes);
        }

        #[test]
        fn keys_and_sizes_round_trip(entries in proptest::collection::vec(("[^\\r]{0,40}", proptest::prelude::any::<u64>()), 0..20)) {
            let mut doc = String::from("<ListBucketResult><Name>b</Name>");
            for (key, size) in &entries {
                doc.push_str(&format!(
                    "<Contents><Key>{}</Key><Size>{size}</Size></Contents>",
                    escape(key)
                ));
            }
            doc.push_str("</ListBucketResult>");
            let listing = Listing::parse(doc.as_bytes()).unwrap();
            let read: Vec<(String, u64)> = listing
                .contents
                .iter()
                .map(|c| (c.key.clone(), c.size))
                .collect();
            proptest::prop_assert_eq!(read, entries);
        }
    }
}
