//! Configuration documents as serde models, written and read with quick-xml.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::Error;

/// The XML declaration OSS documents put before the root element.
const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

/// `value` as a document whose root element is `root`.
///
/// # Errors
/// [`crate::ErrorKind::InvalidArgument`] when the model cannot be written as XML.
pub(crate) fn to_xml<T: Serialize>(root: &str, value: &T) -> Result<String, Error> {
    let mut out = String::from(DECLARATION);
    let mut serializer = quick_xml::se::Serializer::with_root(&mut out, Some(root))
        .map_err(|e| Error::invalid_argument("cannot write the XML document").with_source(e))?;
    serializer.expand_empty_elements(false);
    value
        .serialize(serializer)
        .map_err(|e| Error::invalid_argument("cannot write the XML document").with_source(e))?;
    Ok(out)
}

/// A document read into its model; unknown elements and namespaces are ignored.
///
/// # Errors
/// [`crate::ErrorKind::InvalidResponse`] when the body is no such document.
pub(crate) fn from_xml<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    let text = std::str::from_utf8(body)
        .map_err(|_| Error::invalid_response("the response XML is not UTF-8"))?;
    quick_xml::de::from_str(text)
        .map_err(|e| Error::invalid_response(format!("unexpected response XML: {e}")))
}
