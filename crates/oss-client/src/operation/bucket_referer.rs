//! Hotlink protection (`?referer`), OSS API reference "PutBucketReferer", "GetBucketReferer".
//! OSS has no delete: put a configuration that allows an empty referer and lists none.

use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Error;
use crate::operation::bucket_config::{
    BucketConfig, ConfigOutput, EmptyOutput, GetBucketConfig, PutBucketConfig,
};

/// A bucket's referer rules (`<RefererConfiguration>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct RefererConfiguration {
    /// Whether requests without a `Referer` header are allowed.
    pub allow_empty_referer: bool,
    /// Whether the query string is ignored when matching (OSS default true).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_truncate_query_string: Option<bool>,
    /// Whether the path is ignored when matching (needs `allow_truncate_query_string`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub truncate_path: Option<bool>,
    /// Referers allowed (`*` and `?` wildcards).
    #[serde(default)]
    pub referer_list: RefererList,
    /// Referers refused, checked before the allowed list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referer_blacklist: Option<RefererList>,
}

/// A list of referers (`<Referer>` elements).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RefererList {
    /// The referers, such as `http://www.example.com` or `https://*.example.com`.
    #[serde(rename = "Referer", default)]
    pub referers: Vec<String>,
}

impl RefererList {
    /// A list of these referers.
    pub fn new<S: Into<String>>(referers: impl IntoIterator<Item = S>) -> Self {
        Self {
            referers: referers.into_iter().map(Into::into).collect(),
        }
    }
}

impl BucketConfig for RefererConfiguration {
    const SUBRESOURCE: &'static str = "referer";
    const ROOT: &'static str = "RefererConfiguration";
}

/// PutBucketReferer input.
pub type PutBucketReferer = PutBucketConfig<RefererConfiguration>;
/// GetBucketReferer input.
pub type GetBucketReferer = GetBucketConfig<RefererConfiguration>;

impl Client {
    /// PutBucketReferer (`PUT /bucket?referer`): replaces the referer rules.
    ///
    /// # Errors
    /// Input errors; service errors (`InvalidArgument`, `MalformedXML`).
    pub async fn put_bucket_referer(&self, input: PutBucketReferer) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }

    /// GetBucketReferer (`GET /bucket?referer`): the default (empty referer allowed) when
    /// none was put.
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`.
    pub async fn get_bucket_referer(
        &self,
        input: GetBucketReferer,
    ) -> Result<ConfigOutput<RefererConfiguration>, Error> {
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
        let configuration = RefererConfiguration {
            allow_empty_referer: false,
            referer_list: RefererList::new(["http://www.aliyun.com"]),
            ..RefererConfiguration::default()
        };
        let op = PutBucketReferer::default()
            .bucket("examplebucket")
            .configuration(configuration)
            .request()
            .unwrap();
        assert_eq!(
            body_text(&op),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><RefererConfiguration>\
             <AllowEmptyReferer>false</AllowEmptyReferer><RefererList>\
             <Referer>http://www.aliyun.com</Referer></RefererList></RefererConfiguration>"
        );
        let xml = "<RefererConfiguration><AllowEmptyReferer>true</AllowEmptyReferer>\
                   <AllowTruncateQueryString>false</AllowTruncateQueryString><RefererList/>\
                   <RefererBlacklist><Referer>http://bad.example.com</Referer></RefererBlacklist>\
                   </RefererConfiguration>";
        let got = GetBucketReferer::output(answer(xml)).unwrap().configuration;
        assert!(got.allow_empty_referer);
        assert_eq!(got.allow_truncate_query_string, Some(false));
        assert!(got.referer_list.referers.is_empty());
        assert_eq!(
            got.referer_blacklist.unwrap().referers,
            ["http://bad.example.com"]
        );
    }
}
