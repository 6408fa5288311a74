//! [`CopyOptions`]: what the [`Copier`](super::Copier) gives the new object instead of the
//! source's attributes, and its storage class and encryption.

use crate::error::Error;
use crate::operation::encryption::ServerSideEncryption;
use crate::operation::object_options::ObjectOptions;

/// The options of a copy. By default the new object gets the source's Content-Type, stored
/// headers, user metadata and tags (directives `COPY`), the bucket's default storage class and
/// encryption.
///
/// ```
/// use oss_client::operation::encryption::ServerSideEncryption;
/// use oss_client::operation::object_options::ObjectOptions;
/// use oss_client::transfer::CopyOptions;
///
/// let options = CopyOptions::new()
///     .replace_metadata(ObjectOptions::new().content_type("text/plain").metadata("rev", "2"))
///     .replace_tags([("state", "archived")])
///     .storage_class("IA")
///     .server_side_encryption(ServerSideEncryption::Sm4);
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Default)]
pub struct CopyOptions {
    pub(crate) replacement: Option<ObjectOptions>,
    pub(crate) tags: Option<Vec<(String, String)>>,
    pub(crate) storage_class: Option<String>,
    pub(crate) encryption: Option<ServerSideEncryption>,
}

impl CopyOptions {
    /// No options: the source's attributes and tags are copied.
    pub fn new() -> Self {
        Self::default()
    }

    /// `x-oss-metadata-directive: REPLACE`: the new object gets the Content-Type,
    /// Cache-Control, Content-Disposition, Content-Encoding, Expires and user metadata set in
    /// `attributes` instead of the source's (a Content-Type not set is guessed from the
    /// destination key). Anything else set in `attributes` (tags, ACL, storage class,
    /// encryption, forbid-overwrite, traffic limit, request payer) is refused with
    /// [`crate::ErrorKind::InvalidArgument`] before any I/O: use this type's setters.
    pub fn replace_metadata(mut self, attributes: ObjectOptions) -> Self {
        self.replacement = Some(attributes);
        self
    }

    /// `x-oss-tagging-directive: Replace`: the new object gets these tags instead of the
    /// source's (none, for an empty list). A key given twice is refused with
    /// [`crate::ErrorKind::DuplicateName`].
    pub fn replace_tags<K: Into<String>, V: Into<String>>(
        mut self,
        tags: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.tags = Some(
            tags.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        );
        self
    }

    /// `x-oss-storage-class` of the new object.
    pub fn storage_class(mut self, class: impl Into<String>) -> Self {
        self.storage_class = Some(class.into());
        self
    }

    /// Server-side encryption of the new object.
    pub fn server_side_encryption(mut self, encryption: ServerSideEncryption) -> Self {
        self.encryption = Some(encryption);
        self
    }

    /// Refuses replacement attributes that are not attributes.
    pub(crate) fn check(&self) -> Result<(), Error> {
        if let Some(replacement) = &self.replacement {
            replacement.check()?;
            if !replacement.is_attributes_only() {
                return Err(Error::invalid_argument(
                    "replace_metadata takes Content-Type, Cache-Control, Content-Disposition, \
                     Content-Encoding, Expires and user metadata only; set tags, storage \
                     class and encryption with CopyOptions' own setters",
                ));
            }
        }
        Ok(())
    }

    /// The options the new object is initiated with, for a multipart copy: the replacement
    /// attributes (when given), the storage class and the encryption. Tags are added by the
    /// Copier.
    pub(crate) fn initiate_options(&self) -> ObjectOptions {
        let mut options = self.replacement.clone().unwrap_or_default();
        if let Some(class) = &self.storage_class {
            options = options.storage_class(class.clone());
        }
        if let Some(encryption) = &self.encryption {
            options = options.server_side_encryption(encryption.clone());
        }
        options
    }
}
