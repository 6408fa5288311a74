//! Image styles (`?style`), OSS API reference "PutStyle", "GetStyle", "ListStyle",
//! "DeleteStyle": named image processes, applied with `x-oss-process=style/<name>`.

use http::Method;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::operation::bucket_config::{ConfigOutput, EmptyOutput, bucket_request};
use crate::request::{OperationRequest, required};
use crate::setters::setters;
use crate::xml_model::to_xml;

/// The longest style name OSS accepts, in characters.
pub const MAX_STYLE_NAME: usize = 64;

/// One style (`<Style>` of GetStyle and ListStyle).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct StyleInfo {
    /// The style's name.
    #[serde(default)]
    pub name: String,
    /// The process it applies (`image/resize,p_50`).
    #[serde(default)]
    pub content: String,
    /// When it was created (HTTP date, GMT).
    #[serde(default)]
    pub create_time: String,
    /// When it was last changed (HTTP date, GMT).
    #[serde(default)]
    pub last_modify_time: String,
    /// Its category (`image`, `document`, `video`), when set.
    #[serde(default)]
    pub category: Option<String>,
}

/// The styles of a bucket (`<StyleList>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct StyleList {
    /// The styles.
    #[serde(rename = "Style", default)]
    pub styles: Vec<StyleInfo>,
}

/// PutStyle input.
#[derive(Debug, Clone, Default)]
pub struct PutStyle {
    bucket: Option<String>,
    style_name: Option<String>,
    content: Option<String>,
    category: Option<String>,
}

impl PutStyle {
    setters! {
        /// The bucket (required).
        bucket: String;
        /// The style's name (required; letters, digits, `-`, `_`, `.`; 1 to 64 characters).
        style_name: String;
        /// The process it applies (required, `image/resize,p_50`).
        content: String;
        /// Its category (`image`, `document`, `video`; optional).
        category: String;
    }
}

/// GetStyle and DeleteStyle input.
#[derive(Debug, Clone, Default)]
pub struct StyleName {
    bucket: Option<String>,
    style_name: Option<String>,
}

impl StyleName {
    setters! {
        /// The bucket (required).
        bucket: String;
        /// The style's name (required).
        style_name: String;
    }
}

/// GetStyle input.
pub type GetStyle = StyleName;
/// DeleteStyle input.
pub type DeleteStyle = StyleName;

/// ListStyle input.
#[derive(Debug, Clone, Default)]
pub struct ListStyle {
    bucket: Option<String>,
}

impl ListStyle {
    setters! {
        /// The bucket (required).
        bucket: String;
    }
}

#[derive(Serialize)]
struct StyleContent {
    #[serde(rename = "Content")]
    content: String,
}

/// A style name OSS accepts, else [`crate::ErrorKind::InvalidArgument`].
fn style_name(value: Option<String>) -> Result<String, Error> {
    let name = required(value, "style_name")?;
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if name.is_empty() || name.chars().count() > MAX_STYLE_NAME || !name.chars().all(allowed) {
        return Err(Error::invalid_argument(format!(
            "the style name {name:?} is not 1 to {MAX_STYLE_NAME} letters, digits, '-', '_' or '.'"
        )));
    }
    Ok(name)
}

/// `<method> /bucket?style&styleName=<name>`.
fn named(
    method: Method,
    bucket: Option<String>,
    name: Option<String>,
) -> Result<OperationRequest, Error> {
    let mut op = bucket_request(method, bucket, "style")?;
    op.query.push("styleName", style_name(name)?);
    Ok(op)
}

/// The style operations answered without a document.
enum Style {
    Put(PutStyle),
    Delete(StyleName),
}

impl Operation for Style {
    type Output = EmptyOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        match self {
            Self::Put(input) => {
                let mut op = named(Method::PUT, input.bucket, input.style_name)?;
                if let Some(category) = input.category {
                    op.query.push("category", category);
                }
                let content = required(input.content, "content")?;
                if content.is_empty() {
                    return Err(Error::invalid_argument("the style content is empty"));
                }
                op.xml_body(to_xml("Style", &StyleContent { content })?);
                Ok(op)
            }
            Self::Delete(input) => named(Method::DELETE, input.bucket, input.style_name),
        }
    }

    fn output(answer: Answer) -> Result<EmptyOutput, Error> {
        Ok(EmptyOutput::from_answer(&answer))
    }
}

/// GetStyle.
struct Get(StyleName);

impl Operation for Get {
    type Output = ConfigOutput<StyleInfo>;

    fn request(self) -> Result<OperationRequest, Error> {
        named(Method::GET, self.0.bucket, self.0.style_name)
    }

    fn output(answer: Answer) -> Result<ConfigOutput<StyleInfo>, Error> {
        ConfigOutput::read(&answer)
    }
}

/// ListStyle.
struct List(ListStyle);

impl Operation for List {
    type Output = ConfigOutput<StyleList>;

    fn request(self) -> Result<OperationRequest, Error> {
        bucket_request(Method::GET, self.0.bucket, "style")
    }

    fn output(answer: Answer) -> Result<ConfigOutput<StyleList>, Error> {
        ConfigOutput::read(&answer)
    }
}

impl Client {
    /// PutStyle (`PUT /bucket?style&styleName=<name>`): creates or replaces a style.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] for a missing or invalid name or an empty
    /// content; service errors (`NoSuchBucket`, `InvalidArgument` for a process OSS refuses).
    pub async fn put_style(&self, input: PutStyle) -> Result<EmptyOutput, Error> {
        self.execute(Style::Put(input)).await
    }

    /// GetStyle (`GET /bucket?style&styleName=<name>`).
    ///
    /// # Errors
    /// Input errors; service errors (`NoSuchStyle`).
    pub async fn get_style(&self, input: GetStyle) -> Result<ConfigOutput<StyleInfo>, Error> {
        self.execute(Get(input)).await
    }

    /// ListStyle (`GET /bucket?style`): every style of the bucket (not paged).
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`.
    pub async fn list_style(&self, input: ListStyle) -> Result<ConfigOutput<StyleList>, Error> {
        self.execute(List(input)).await
    }

    /// DeleteStyle (`DELETE /bucket?style&styleName=<name>`).
    ///
    /// # Errors
    /// Input errors; service errors (`NoSuchStyle`).
    pub async fn delete_style(&self, input: DeleteStyle) -> Result<EmptyOutput, Error> {
        self.execute(Style::Delete(input)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::test_support::{answer, body_text};

    #[test]
    fn put_style_sends_name_category_and_content() {
        let input = PutStyle::default()
            .bucket("examplebucket")
            .style_name("thumb")
            .category("image")
            .content("image/resize,p_50");
        let op = Style::Put(input).request().unwrap();
        assert_eq!(op.method, Method::PUT);
        assert_eq!(
            op.query.to_query_string(),
            "style&styleName=thumb&category=image"
        );
        assert_eq!(
            body_text(&op),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Style><Content>image/resize,p_50</Content></Style>"
        );
    }

    #[test]
    fn reads_a_style_and_a_list() {
        let style = Get::output(answer(
            "<Style><Name>imagestyle</Name><Content>image/resize,p_50</Content>\
             <Category>image</Category><CreateTime>Wed, 20 May 2020 12:07:15 GMT</CreateTime>\
             <LastModifyTime>Wed, 21 May 2020 12:07:15 GMT</LastModifyTime></Style>",
        ))
        .unwrap()
        .configuration;
        assert_eq!(style.name, "imagestyle");
        assert_eq!(style.category.as_deref(), Some("image"));
        assert_eq!(style.last_modify_time, "Wed, 21 May 2020 12:07:15 GMT");
        let list = List::output(answer(
            "<StyleList><Style><Name>a</Name><Content>image/info</Content></Style>\
             <Style><Name>b</Name><Content>image/resize,w_10</Content></Style></StyleList>",
        ))
        .unwrap()
        .configuration;
        let names: Vec<&str> = list.styles.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
    }

    #[test]
    fn refuses_bad_names_and_empty_content() {
        let put = |name: &str, content: &str| {
            Style::Put(
                PutStyle::default()
                    .bucket("examplebucket")
                    .style_name(name)
                    .content(content),
            )
            .request()
        };
        assert!(put("a b", "image/info").is_err());
        assert!(put(&"x".repeat(65), "image/info").is_err());
        assert!(put("ok", "").is_err());
        assert!(
            Get(StyleName::default().bucket("examplebucket"))
                .request()
                .is_err()
        );
    }
}
