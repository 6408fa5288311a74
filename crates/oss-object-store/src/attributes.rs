//! `object_store` attributes and tags as OSS headers, and back.
//!
//! | `Attribute` | OSS header |
//! | --- | --- |
//! | `ContentType` | `Content-Type` |
//! | `CacheControl` | `Cache-Control` |
//! | `ContentDisposition` | `Content-Disposition` |
//! | `ContentEncoding` | `Content-Encoding` (bytes stored and returned as written) |
//! | `ContentLanguage` | `Content-Language` |
//! | `StorageClass` | `x-oss-storage-class` (returned when not `Standard`: OSS reports a class on every object) |
//! | `Metadata(name)` | `x-oss-meta-<name>` (OSS stores names lower-case) |
//!
//! Tags (`TagSet`) go to `x-oss-tagging`. An attribute this table does not name (object_store
//! may add some) is refused with `NotImplemented` before any request is sent.

use crate::object_store::{Attribute, AttributeValue, Attributes, TagSet};
use oss_client::operation::multipart::initiate::InitiateMultipartUploadRequest;
use oss_client::operation::object_properties::ObjectProperties;
use oss_client::operation::put_object::PutObjectRequest;

use crate::error;

/// A write request that takes an object's attributes and tags.
pub(crate) trait TakesAttributes: Sized {
    /// Sets one attribute.
    ///
    /// # Errors
    /// `NotImplemented` for an attribute OSS has no header for.
    fn attribute(self, attribute: &Attribute, value: &str) -> crate::object_store::Result<Self>;

    /// Adds one tag.
    fn tag(self, key: &str, value: &str) -> Self;
}

macro_rules! takes_attributes {
    ($request:ty) => {
        impl TakesAttributes for $request {
            fn attribute(
                self,
                attribute: &Attribute,
                value: &str,
            ) -> crate::object_store::Result<Self> {
                Ok(match attribute {
                    Attribute::ContentType => self.content_type(value),
                    Attribute::CacheControl => self.cache_control(value),
                    Attribute::ContentDisposition => self.content_disposition(value),
                    Attribute::ContentEncoding => self.content_encoding(value),
                    Attribute::ContentLanguage => self.content_language(value),
                    Attribute::StorageClass => self.storage_class(value),
                    Attribute::Metadata(name) => self.metadata(name.as_ref(), value),
                    other => {
                        return Err(error::not_implemented(format!(
                            "the attribute {other:?} (OSS has no header for it)"
                        )));
                    }
                })
            }

            fn tag(self, key: &str, value: &str) -> Self {
                <$request>::tag(self, key, value)
            }
        }
    };
}

takes_attributes!(PutObjectRequest);
takes_attributes!(InitiateMultipartUploadRequest);

/// The storage class OSS gives an object written without one (in a bucket of that class).
const STANDARD: &str = "Standard";

/// `request` with every attribute and tag set.
///
/// # Errors
/// `NotImplemented` for an attribute OSS has no header for.
pub(crate) fn apply<R: TakesAttributes>(
    mut request: R,
    attributes: &Attributes,
    tags: &TagSet,
) -> crate::object_store::Result<R> {
    for (attribute, value) in attributes {
        request = request.attribute(attribute, value.as_ref())?;
    }
    for (key, value) in form_urlencoded::parse(tags.encoded().as_bytes()) {
        request = request.tag(&key, &value);
    }
    Ok(request)
}

/// The attributes an object's GET/HEAD headers carry. The storage class is one of them only
/// when it is not `Standard`: OSS reports a class for every object, written or not, and
/// object_store callers (its own suite too) expect back only what they wrote; `IA`,
/// `Archive`, `ColdArchive` and `DeepColdArchive` are returned, `Standard` is not.
pub(crate) fn from_properties(properties: &ObjectProperties) -> Attributes {
    let headers = [
        (Attribute::ContentType, &properties.content_type),
        (Attribute::CacheControl, &properties.cache_control),
        (
            Attribute::ContentDisposition,
            &properties.content_disposition,
        ),
        (Attribute::ContentEncoding, &properties.content_encoding),
        (Attribute::ContentLanguage, &properties.content_language),
    ];
    let storage_class = properties
        .storage_class
        .as_ref()
        .filter(|class| class.as_str() != STANDARD);
    let mut attributes = Attributes::new();
    for (attribute, value) in headers
        .into_iter()
        .chain([(Attribute::StorageClass, &storage_class.cloned())])
    {
        if let Some(value) = value {
            attributes.insert(attribute, AttributeValue::from(value.clone()));
        }
    }
    for (name, value) in &properties.metadata {
        attributes.insert(
            Attribute::Metadata(name.clone().into()),
            AttributeValue::from(value.clone()),
        );
    }
    attributes
}
