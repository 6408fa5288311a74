//! Bucket tags (`?tagging`), OSS API reference "PutBucketTags", "GetBucketTags",
//! "DeleteBucketTags".

use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Error;
use crate::operation::bucket_config::{
    BucketConfig, ConfigOutput, DeleteBucketConfig, EmptyOutput, GetBucketConfig, PutBucketConfig,
};

/// The most tags a bucket may carry.
pub const MAX_BUCKET_TAGS: usize = 20;

/// One tag (`<Tag><Key/><Value/></Tag>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    /// The key (1 to 64 characters for buckets, 128 for objects).
    pub key: String,
    /// The value (at most 128 characters for buckets, 256 for objects).
    #[serde(default)]
    pub value: String,
}

impl Tag {
    /// A tag.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            value: value.into(),
        }
    }
}

/// A bucket's tags (`<Tagging><TagSet>…</TagSet></Tagging>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Tagging {
    /// The tags.
    #[serde(rename = "TagSet", default)]
    pub tag_set: TagSet,
}

/// The tags of a [`Tagging`] document (`<TagSet>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TagSet {
    /// The tags, in the order OSS returned them.
    #[serde(rename = "Tag", default)]
    pub tags: Vec<Tag>,
}

impl Tagging {
    /// A document of these tags.
    pub fn new(tags: impl IntoIterator<Item = Tag>) -> Self {
        Self {
            tag_set: TagSet {
                tags: tags.into_iter().collect(),
            },
        }
    }
}

impl BucketConfig for Tagging {
    const SUBRESOURCE: &'static str = "tagging";
    const ROOT: &'static str = "Tagging";

    fn validate(&self) -> Result<(), Error> {
        let tags = &self.tag_set.tags;
        if tags.len() > MAX_BUCKET_TAGS {
            return Err(Error::invalid_argument(format!(
                "at most {MAX_BUCKET_TAGS} bucket tags, not {}",
                tags.len()
            )));
        }
        match tags.iter().find(|t| {
            t.key.is_empty() || t.key.chars().count() > 64 || t.value.chars().count() > 128
        }) {
            Some(t) => Err(Error::invalid_argument(format!(
                "bucket tag {:?}: keys need 1 to 64 characters and values at most 128",
                t.key
            ))),
            None => Ok(()),
        }
    }
}

/// PutBucketTags input.
pub type PutBucketTags = PutBucketConfig<Tagging>;
/// GetBucketTags input.
pub type GetBucketTags = GetBucketConfig<Tagging>;
/// DeleteBucketTags input (removes every tag).
pub type DeleteBucketTags = DeleteBucketConfig<Tagging>;

impl Client {
    /// PutBucketTags (`PUT /bucket?tagging`): replaces the bucket's tags.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] over 20 tags or for a key or value too long;
    /// service errors (`InvalidTag`).
    pub async fn put_bucket_tags(&self, input: PutBucketTags) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }

    /// GetBucketTags (`GET /bucket?tagging`): an empty tag set when none is set.
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`.
    pub async fn get_bucket_tags(
        &self,
        input: GetBucketTags,
    ) -> Result<ConfigOutput<Tagging>, Error> {
        self.execute(input).await
    }

    /// DeleteBucketTags (`DELETE /bucket?tagging`): removes every tag.
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`.
    pub async fn delete_bucket_tags(&self, input: DeleteBucketTags) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::execute::Operation as _;
    use crate::operation::test_support::{answer, body_text};

    #[test]
    fn put_and_get_use_the_documented_xml() {
        let op = PutBucketTags::default()
            .bucket("examplebucket")
            .configuration(Tagging::new([Tag::new("k&1", "v1")]))
            .request()
            .unwrap();
        assert_eq!(
            body_text(&op),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Tagging><TagSet><Tag><Key>k&amp;1</Key>\
             <Value>v1</Value></Tag></TagSet></Tagging>"
        );
        let xml = "<Tagging><TagSet><Tag><Key>testa</Key><Value>value1-test</Value></Tag>\
                   <Tag><Key>testb</Key><Value/></Tag></TagSet></Tagging>";
        let tags = GetBucketTags::output(answer(xml)).unwrap().configuration;
        assert_eq!(
            tags.tag_set.tags,
            [Tag::new("testa", "value1-test"), Tag::new("testb", "")]
        );
    }

    #[test]
    fn refuses_too_many_tags() {
        let tags = (0..21).map(|i| Tag::new(format!("k{i}"), "v"));
        let input = PutBucketTags::default()
            .bucket("examplebucket")
            .configuration(Tagging::new(tags));
        assert!(input.request().is_err());
    }
}
