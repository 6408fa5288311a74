//! Image styles (OSS API reference "PutStyle", "GetStyle", "ListStyle", "DeleteStyle"):
//! named image processes, stored as `style/<name>` records of the bucket. GetObject and
//! ProcessObject with `x-oss-process=style/<name>` apply one ([`expand`]).

use http::StatusCode;
use md5::{Digest as _, Md5};
use serde::{Deserialize, Serialize};

use super::records::{self, at, now_secs};
use super::xml_body;
use super::{Ctx, MAX_XML_BODY, Resp, check_content_md5, empty, read_body, xml_response};
use crate::error::{ErrorCode, OssError};
use crate::pace::ReqBody;
use crate::store::Bucket;
use crate::time_fmt::http_date;
use crate::xml::XmlWriter;

const STYLE: &str = "style";
/// The longest style name, in characters.
const MAX_NAME: usize = 64;

#[derive(Serialize, Deserialize)]
struct Style {
    content: String,
    category: Option<String>,
    /// Seconds since the epoch.
    created: u64,
    /// Seconds since the epoch.
    modified: u64,
}

/// `?styleName`: 1 to 64 letters, digits, `-`, `_` or `.`; else 400 `InvalidArgument`.
fn style_name<'a>(ctx: &'a Ctx<'_>) -> Result<&'a str, OssError> {
    let name = ctx.param("styleName").unwrap_or("");
    let allowed = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.');
    if name.is_empty() || name.len() > MAX_NAME || !name.bytes().all(allowed) {
        return Err(OssError::invalid_argument(
            "The style name is not valid.",
            "styleName",
            name,
        ));
    }
    Ok(name)
}

fn no_such_style(name: &str) -> OssError {
    OssError::new(
        ErrorCode::NoSuchStyle,
        "The specified style does not exist.",
    )
    .with("StyleName", name)
}

/// The process `x-oss-process` asks for, a `style/<name>` replaced by the style's content
/// (404 `NoSuchStyle` when the bucket has none of that name).
pub(crate) fn expand(bucket: &Bucket, process: &str) -> Result<String, OssError> {
    let Some(name) = process.strip_prefix("style/") else {
        return Ok(process.to_owned());
    };
    records::load::<Style>(bucket, STYLE, name)
        .map(|s| s.content)
        .ok_or_else(|| no_such_style(name))
}

/// PutStyle: `<Style><Content>image/…</Content></Style>` (Content-MD5 checked), created or
/// replaced; 200. A content that is no image process answers 400 `InvalidArgument`.
pub(crate) async fn put_style(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let name = style_name(ctx)?;
    let body = read_body(body, ctx.headers, MAX_XML_BODY).await?;
    check_content_md5(ctx, &Md5::digest(&body))?;
    let doc = xml_body::parse(&body, "Style")?;
    let content = doc
        .child_text("Content")
        .map(str::trim)
        .ok_or_else(xml_body::malformed)?;
    if !content.starts_with("image/") || content.len() <= "image/".len() {
        return Err(OssError::invalid_argument(
            "The style content must be an image process (image/…).",
            "Content",
            content,
        ));
    }
    let now = now_secs(ctx);
    let created = records::load::<Style>(&bucket, STYLE, name).map_or(now, |s| s.created);
    let style = Style {
        content: content.to_owned(),
        category: ctx.param("category").map(str::to_owned),
        created,
        modified: now,
    };
    records::save(&bucket, STYLE, name, Some(&style))?;
    Ok(empty(StatusCode::OK))
}

fn write_style(w: &mut XmlWriter, name: &str, style: &Style) {
    w.open("Style")
        .elem("Name", name)
        .elem("Content", &style.content)
        .elem_opt("Category", style.category.as_deref())
        .elem("CreateTime", &http_date(at(style.created)))
        .elem("LastModifyTime", &http_date(at(style.modified)))
        .close("Style");
}

/// GetStyle: 200 `<Style>`, else 404 `NoSuchStyle`.
pub(crate) fn get_style(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let name = style_name(ctx)?;
    let style = records::load::<Style>(&bucket, STYLE, name).ok_or_else(|| no_such_style(name))?;
    let mut w = XmlWriter::new();
    write_style(&mut w, name, &style);
    Ok(xml_response(StatusCode::OK, w.finish()))
}

/// ListStyle: every style by name, 200 `<StyleList>`.
pub(crate) fn list_style(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let mut w = XmlWriter::new();
    w.open("StyleList");
    for (name, style) in records::all::<Style>(&bucket, STYLE) {
        write_style(&mut w, &name, &style);
    }
    w.close("StyleList");
    Ok(xml_response(StatusCode::OK, w.finish()))
}

/// DeleteStyle: removes the style; 204 (also when there was none).
pub(crate) fn delete_style(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let name = style_name(ctx)?;
    records::save::<Style>(&bucket, STYLE, name, None)?;
    Ok(empty(StatusCode::NO_CONTENT))
}
