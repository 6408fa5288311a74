//! Static website hosting (`?website`), OSS API reference "PutBucketWebsite",
//! "GetBucketWebsite", "DeleteBucketWebsite".

use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Error;
use crate::operation::bucket_config::{
    BucketConfig, ConfigOutput, DeleteBucketConfig, EmptyOutput, GetBucketConfig, PutBucketConfig,
};

/// A bucket's website settings (`<WebsiteConfiguration>`): at least one of the three parts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct WebsiteConfiguration {
    /// The default page of a directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_document: Option<IndexDocument>,
    /// The page answered for a missing object.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_document: Option<ErrorDocument>,
    /// Redirection and mirroring rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub routing_rules: Option<RoutingRules>,
}

/// The default page (`<IndexDocument>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct IndexDocument {
    /// The page's name, such as `index.html` (no `/`).
    pub suffix: String,
    /// Whether subdirectories get their own index page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support_sub_dir: Option<bool>,
    /// With `support_sub_dir`, what a directory without index does: `0`, `1` or `2`.
    #[serde(rename = "Type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<u8>,
}

/// The page for missing objects (`<ErrorDocument>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct ErrorDocument {
    /// The object answered.
    pub key: String,
    /// The status it is answered with (`200` or `404`, OSS default 404).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
}

/// The routing rules (`<RoutingRules>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RoutingRules {
    /// The rules, tried by rule number.
    #[serde(rename = "RoutingRule", default)]
    pub rules: Vec<RoutingRule>,
}

/// One routing rule (`<RoutingRule>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct RoutingRule {
    /// The rule's order (1 upwards).
    pub rule_number: u32,
    /// When the rule applies.
    pub condition: RoutingCondition,
    /// What it does.
    pub redirect: RoutingRedirect,
}

/// When a routing rule applies (`<Condition>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct RoutingCondition {
    /// Keys starting with this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_prefix_equals: Option<String>,
    /// Keys ending with this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_suffix_equals: Option<String>,
    /// Requests that would answer this status (such as `404`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_error_code_returned_equals: Option<u16>,
    /// Requests carrying these headers (at most 10).
    #[serde(
        rename = "IncludeHeader",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub include_headers: Vec<IncludeHeader>,
}

/// A header condition of a routing rule (`<IncludeHeader>`): the request carries header
/// `key` with a value equal to, starting with or ending with the given text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct IncludeHeader {
    /// The header name.
    pub key: String,
    /// The whole value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub equals: Option<String>,
    /// The value's start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starts_with: Option<String>,
    /// The value's end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ends_with: Option<String>,
}

/// Which request headers a `Mirror` rule passes to the origin (`<MirrorHeaders>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct MirrorHeaders {
    /// Passes every header but `remove`'s (and those OSS never passes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pass_all: Option<bool>,
    /// Headers passed (at most 10).
    #[serde(rename = "Pass", default, skip_serializing_if = "Vec::is_empty")]
    pub pass: Vec<String>,
    /// Headers not passed (at most 10).
    #[serde(rename = "Remove", default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<String>,
    /// Headers set to a value (at most 10).
    #[serde(rename = "Set", default, skip_serializing_if = "Vec::is_empty")]
    pub set: Vec<MirrorHeaderSet>,
}

/// A header a `Mirror` rule sets on its request to the origin (`<Set>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct MirrorHeaderSet {
    /// The header name.
    pub key: String,
    /// Its value.
    pub value: String,
}

/// What a routing rule does (`<Redirect>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct RoutingRedirect {
    /// `Mirror`, `External` or `AliCDN`.
    pub redirect_type: String,
    /// Keeps the request's query string.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pass_query_string: Option<bool>,
    /// With `Mirror`: the origin fetched from.
    #[serde(rename = "MirrorURL", skip_serializing_if = "Option::is_none")]
    pub mirror_url: Option<String>,
    /// `http` or `https`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// The host redirected to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_name: Option<String>,
    /// The redirect status: 301, 302 or 307.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_redirect_code: Option<u16>,
    /// Replaces the matched prefix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replace_key_prefix_with: Option<String>,
    /// Replaces the whole key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replace_key_with: Option<String>,
    /// With `Mirror`: replaces the matched prefix (`replace_key_prefix_with`) before
    /// fetching.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_replace_prefix: Option<bool>,
    /// With `Mirror`: passes the query string to the origin.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mirror_pass_query_string: Option<bool>,
    /// With `Mirror`: follows the origin's 3xx redirects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mirror_follow_redirect: Option<bool>,
    /// With `Mirror`: checks the origin's body against its `Content-MD5`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mirror_check_md5: Option<bool>,
    /// With `Mirror`: the headers passed to the origin.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mirror_headers: Option<MirrorHeaders>,
}

impl WebsiteConfiguration {
    /// An index page and an error page.
    pub fn new(index_suffix: impl Into<String>, error_key: impl Into<String>) -> Self {
        Self {
            index_document: Some(IndexDocument {
                suffix: index_suffix.into(),
                ..IndexDocument::default()
            }),
            error_document: Some(ErrorDocument {
                key: error_key.into(),
                http_status: None,
            }),
            routing_rules: None,
        }
    }
}

impl BucketConfig for WebsiteConfiguration {
    const SUBRESOURCE: &'static str = "website";
    const ROOT: &'static str = "WebsiteConfiguration";

    fn validate(&self) -> Result<(), Error> {
        if self.index_document.is_none()
            && self.error_document.is_none()
            && self.routing_rules.is_none()
        {
            return Err(Error::invalid_argument(
                "a website configuration needs an index document, an error document or routing rules",
            ));
        }
        Ok(())
    }
}

/// PutBucketWebsite input.
pub type PutBucketWebsite = PutBucketConfig<WebsiteConfiguration>;
/// GetBucketWebsite input.
pub type GetBucketWebsite = GetBucketConfig<WebsiteConfiguration>;
/// DeleteBucketWebsite input.
pub type DeleteBucketWebsite = DeleteBucketConfig<WebsiteConfiguration>;

impl Client {
    /// PutBucketWebsite (`PUT /bucket?website`).
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] for an empty configuration; service errors
    /// (`InvalidArgument` for a suffix with `/`, `MalformedXML`).
    pub async fn put_bucket_website(&self, input: PutBucketWebsite) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }

    /// GetBucketWebsite (`GET /bucket?website`).
    ///
    /// # Errors
    /// Input errors; `NoSuchWebsiteConfiguration` (404) when none is set; `NoSuchBucket`.
    pub async fn get_bucket_website(
        &self,
        input: GetBucketWebsite,
    ) -> Result<ConfigOutput<WebsiteConfiguration>, Error> {
        self.execute(input).await
    }

    /// DeleteBucketWebsite (`DELETE /bucket?website`).
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`.
    pub async fn delete_bucket_website(
        &self,
        input: DeleteBucketWebsite,
    ) -> Result<EmptyOutput, Error> {
        self.execute(input).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::test_support::assert_round_trip;

    #[test]
    fn put_and_get_use_the_documented_xml() {
        let mut configuration = WebsiteConfiguration::new("index.html", "error.html");
        configuration.routing_rules = Some(RoutingRules {
            rules: vec![RoutingRule {
                rule_number: 1,
                condition: RoutingCondition {
                    key_prefix_equals: Some("abc/".into()),
                    http_error_code_returned_equals: Some(404),
                    ..RoutingCondition::default()
                },
                redirect: RoutingRedirect {
                    redirect_type: "Mirror".into(),
                    mirror_url: Some("http://example.com/".into()),
                    ..RoutingRedirect::default()
                },
            }],
        });
        assert_round_trip(
            configuration,
            "<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix></IndexDocument>\
             <ErrorDocument><Key>error.html</Key></ErrorDocument><RoutingRules><RoutingRule>\
             <RuleNumber>1</RuleNumber><Condition><KeyPrefixEquals>abc/</KeyPrefixEquals>\
             <HttpErrorCodeReturnedEquals>404</HttpErrorCodeReturnedEquals></Condition>\
             <Redirect><RedirectType>Mirror</RedirectType>\
             <MirrorURL>http://example.com/</MirrorURL></Redirect></RoutingRule></RoutingRules>\
             </WebsiteConfiguration>",
        );
    }

    #[test]
    fn mirror_rules_carry_header_conditions_and_mirror_headers() {
        let configuration = WebsiteConfiguration {
            routing_rules: Some(RoutingRules {
                rules: vec![RoutingRule {
                    rule_number: 1,
                    condition: RoutingCondition {
                        include_headers: vec![IncludeHeader {
                            key: "host".into(),
                            equals: Some("a.example.com".into()),
                            ..IncludeHeader::default()
                        }],
                        ..RoutingCondition::default()
                    },
                    redirect: RoutingRedirect {
                        redirect_type: "Mirror".into(),
                        mirror_url: Some("http://origin.example.com/".into()),
                        mirror_check_md5: Some(true),
                        mirror_headers: Some(MirrorHeaders {
                            pass_all: Some(false),
                            pass: vec!["x-pass".into()],
                            remove: vec!["x-remove".into()],
                            set: vec![MirrorHeaderSet {
                                key: "x-set".into(),
                                value: "v".into(),
                            }],
                        }),
                        ..RoutingRedirect::default()
                    },
                }],
            }),
            ..WebsiteConfiguration::default()
        };
        assert_round_trip(
            configuration,
            "<WebsiteConfiguration><RoutingRules><RoutingRule><RuleNumber>1</RuleNumber>\
             <Condition><IncludeHeader><Key>host</Key><Equals>a.example.com</Equals>\
             </IncludeHeader></Condition><Redirect><RedirectType>Mirror</RedirectType>\
             <MirrorURL>http://origin.example.com/</MirrorURL><MirrorCheckMd5>true</MirrorCheckMd5>\
             <MirrorHeaders><PassAll>false</PassAll><Pass>x-pass</Pass><Remove>x-remove</Remove>\
             <Set><Key>x-set</Key><Value>v</Value></Set></MirrorHeaders></Redirect>\
             </RoutingRule></RoutingRules></WebsiteConfiguration>",
        );
    }
}
