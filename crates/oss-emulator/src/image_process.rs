//! The subset of OSS image processing (`x-oss-process=image/...`, OSS API reference "Image
//! processing") the emulator applies, with the `image` crate (PNG and JPEG only):
//!
//! | action | parameters | notes |
//! | --- | --- | --- |
//! | `info` | none | JSON: `FileSize`, `Format`, `ImageHeight`, `ImageWidth` |
//! | `resize` | `w_`, `h_`, `p_` (1-1000 %), `m_` `lfit` (default), `mfit`, `fixed`; `limit_` 1 (default) / 0 | `limit_1`: never enlarges |
//! | `crop` | `x_`, `y_`, `w_`, `h_`; `g_nw` only | `w_`/`h_` default to the rest of the image |
//! | `rotate` | `0`-`360`, multiples of 90 | |
//! | `format` | `png`, `jpg`, `jpeg` | |
//!
//! Actions run in order (`image/resize,w_100/rotate,90/format,png`). Other actions OSS
//! documents (`watermark`, `blur`, `quality`, …), other modes, gravities, angles and formats
//! (`webp`, `gif`, …) and other processing kinds (`video/`, `doc/`, `style/`) answer 501
//! `NotImplemented`; names OSS does not know, bad values and objects that are not PNG or
//! JPEG answer 400 `BadRequest` or `InvalidArgument`, as OSS does.

use std::io::Cursor;

use image::imageops::FilterType;
use image::{DynamicImage, ImageFormat, ImageReader};

use crate::error::{ErrorCode, OssError};

/// Actions OSS documents that the emulator does not apply.
const DOCUMENTED_ELSEWHERE: &[&str] = &[
    "auto-orient",
    "average-hue",
    "blur",
    "bright",
    "circle",
    "contrast",
    "indexcrop",
    "interlace",
    "quality",
    "rounded-corners",
    "sharpen",
    "watermark",
];

/// The processed answer: bytes and their `Content-Type`.
#[derive(Debug)]
pub(crate) struct Processed {
    pub(crate) data: Vec<u8>,
    pub(crate) content_type: &'static str,
}

/// Height, width and format name (`png`, `jpg`) of a PNG or JPEG image.
pub(crate) fn info(data: &[u8]) -> Option<(u32, u32, String)> {
    let format = image::guess_format(data).ok()?;
    let name = format_name(format)?;
    let (width, height) = ImageReader::with_format(Cursor::new(data), format)
        .into_dimensions()
        .ok()?;
    Some((height, width, name.to_owned()))
}

fn format_name(format: ImageFormat) -> Option<&'static str> {
    match format {
        ImageFormat::Png => Some("png"),
        ImageFormat::Jpeg => Some("jpg"),
        _ => None,
    }
}

fn bad_request(message: impl Into<String>) -> OssError {
    OssError::new(ErrorCode::BadRequest, message)
}

fn not_implemented(message: impl Into<String>) -> OssError {
    OssError::new(ErrorCode::NotImplemented, message)
}

fn invalid(message: impl Into<String>) -> OssError {
    OssError::new(ErrorCode::InvalidArgument, message)
}

/// Applies `process` (the `x-oss-process` value) to `data`.
pub(crate) fn apply(process: &str, data: &[u8]) -> Result<Processed, OssError> {
    let Some(actions) = process.strip_prefix("image/") else {
        let kind = process.split('/').next().unwrap_or_default();
        return Err(match kind {
            "video" | "audio" | "doc" | "style" | "hls" => not_implemented(format!(
                "The emulator does not implement '{kind}' processing."
            )),
            _ => bad_request(format!("The process '{process}' is not supported.")),
        });
    };
    let source_format = image::guess_format(data)
        .ok()
        .filter(|f| format_name(*f).is_some())
        .ok_or_else(|| bad_request("The image format is not supported (PNG and JPEG only)."))?;
    if actions == "info" {
        return Ok(info_json(data));
    }
    let mut image = image::load_from_memory_with_format(data, source_format)
        .map_err(|_| bad_request("The image cannot be decoded."))?;
    let mut format = source_format;
    for action in actions.split('/').filter(|a| !a.is_empty()) {
        let mut fields = action.split(',');
        let name = fields.next().unwrap_or_default();
        let args: Vec<&str> = fields.collect();
        match name {
            "resize" => image = resize(&image, &params(&args)?)?,
            "crop" => image = crop(&image, &params(&args)?)?,
            "rotate" => image = rotate(image, single(name, &args)?)?,
            "format" => format = target_format(single(name, &args)?)?,
            "info" => return Err(bad_request("info cannot be combined with other actions.")),
            _ if DOCUMENTED_ELSEWHERE.contains(&name) => {
                return Err(not_implemented(format!(
                    "The emulator does not implement the image action '{name}'."
                )));
            }
            _ => {
                return Err(bad_request(format!(
                    "The image action '{name}' is not supported."
                )));
            }
        }
    }
    encode(&image, format)
}

fn info_json(data: &[u8]) -> Processed {
    let (height, width, format) = info(data).unwrap_or((0, 0, String::new()));
    let value = |v: String| serde_json::json!({ "value": v });
    let json = serde_json::json!({
        "FileSize": value(data.len().to_string()),
        "Format": value(format),
        "ImageHeight": value(height.to_string()),
        "ImageWidth": value(width.to_string()),
    });
    Processed {
        data: json.to_string().into_bytes(),
        content_type: "application/json",
    }
}

/// `k_v` parameters as (k, number or text).
fn params<'a>(args: &[&'a str]) -> Result<Vec<(&'a str, &'a str)>, OssError> {
    args.iter()
        .map(|arg| {
            arg.split_once('_')
                .ok_or_else(|| invalid(format!("The parameter '{arg}' is not k_v.")))
        })
        .collect()
}

fn single<'a>(name: &str, args: &[&'a str]) -> Result<&'a str, OssError> {
    match args {
        [value] => Ok(value),
        _ => Err(invalid(format!("'{name}' takes one value."))),
    }
}

fn number(
    params: &[(&str, &str)],
    name: &str,
    range: std::ops::RangeInclusive<u32>,
) -> Result<Option<u32>, OssError> {
    let Some((_, text)) = params.iter().find(|(k, _)| *k == name) else {
        return Ok(None);
    };
    match text.parse::<u32>() {
        Ok(n) if range.contains(&n) => Ok(Some(n)),
        _ => Err(invalid(format!(
            "The parameter {name}_{text} is out of range."
        ))),
    }
}

fn check_known(params: &[(&str, &str)], known: &[&str], action: &str) -> Result<(), OssError> {
    match params.iter().find(|(k, _)| !known.contains(k)) {
        Some((k, _)) => Err(not_implemented(format!(
            "The emulator does not implement '{action}' parameter '{k}'."
        ))),
        None => Ok(()),
    }
}

fn resize(image: &DynamicImage, params: &[(&str, &str)]) -> Result<DynamicImage, OssError> {
    check_known(params, &["w", "h", "p", "m", "limit"], "resize")?;
    let w = number(params, "w", 1..=16_384)?;
    let h = number(params, "h", 1..=16_384)?;
    let p = number(params, "p", 1..=1000)?;
    let limit = number(params, "limit", 0..=1)?.unwrap_or(1) == 1;
    let mode = params
        .iter()
        .find(|(k, _)| *k == "m")
        .map_or("lfit", |(_, v)| v);
    let (width, height) = (image.width(), image.height());
    if let Some(p) = p {
        let scale = |n: u32| (u64::from(n) * u64::from(p) / 100).max(1) as u32;
        if limit && p > 100 {
            return Ok(image.clone());
        }
        return Ok(image.resize_exact(scale(width), scale(height), FilterType::Triangle));
    }
    if w.is_none() && h.is_none() {
        return Err(invalid("resize needs w_, h_ or p_."));
    }
    let (tw, th) = (w.unwrap_or(u32::MAX), h.unwrap_or(u32::MAX));
    let resized = match mode {
        "lfit" => {
            if limit && tw >= width && th >= height {
                return Ok(image.clone());
            }
            image.resize(tw, th, FilterType::Triangle)
        }
        "mfit" => {
            let (tw, th) = (w.unwrap_or(0), h.unwrap_or(0));
            if limit && tw >= width && th >= height {
                return Ok(image.clone());
            }
            image.resize_to_fill(tw.max(1), th.max(1), FilterType::Triangle)
        }
        "fixed" => {
            let (tw, th) = (w.unwrap_or(width), h.unwrap_or(height));
            if limit && (tw > width || th > height) {
                return Ok(image.clone());
            }
            image.resize_exact(tw, th, FilterType::Triangle)
        }
        "fill" | "pad" => {
            return Err(not_implemented(format!(
                "The emulator does not implement resize mode '{mode}'."
            )));
        }
        _ => return Err(invalid(format!("The resize mode '{mode}' is not valid."))),
    };
    Ok(resized)
}

fn crop(image: &DynamicImage, params: &[(&str, &str)]) -> Result<DynamicImage, OssError> {
    check_known(params, &["x", "y", "w", "h", "g"], "crop")?;
    if let Some((_, g)) = params.iter().find(|(k, _)| *k == "g") {
        if *g != "nw" {
            return Err(not_implemented(format!(
                "The emulator crops from the top left (g_nw) only, not g_{g}."
            )));
        }
    }
    let (width, height) = (image.width(), image.height());
    let x = number(params, "x", 0..=u32::MAX)?.unwrap_or(0);
    let y = number(params, "y", 0..=u32::MAX)?.unwrap_or(0);
    if x >= width || y >= height {
        return Err(invalid("The crop origin is outside the image."));
    }
    let w = number(params, "w", 1..=u32::MAX)?
        .unwrap_or(width)
        .min(width - x);
    let h = number(params, "h", 1..=u32::MAX)?
        .unwrap_or(height)
        .min(height - y);
    Ok(image.crop_imm(x, y, w, h))
}

fn rotate(image: DynamicImage, angle: &str) -> Result<DynamicImage, OssError> {
    match angle.parse::<u32>() {
        Ok(0 | 360) => Ok(image),
        Ok(90) => Ok(image.rotate90()),
        Ok(180) => Ok(image.rotate180()),
        Ok(270) => Ok(image.rotate270()),
        Ok(1..=359) => Err(not_implemented(
            "The emulator rotates by multiples of 90 degrees only.",
        )),
        _ => Err(invalid(format!("The rotate angle '{angle}' is not 0-360."))),
    }
}

fn target_format(name: &str) -> Result<ImageFormat, OssError> {
    match name {
        "png" => Ok(ImageFormat::Png),
        "jpg" | "jpeg" => Ok(ImageFormat::Jpeg),
        "webp" | "gif" | "bmp" | "tiff" | "heic" | "avif" | "src" => Err(not_implemented(format!(
            "The emulator does not implement format '{name}'."
        ))),
        _ => Err(invalid(format!("The format '{name}' is not valid."))),
    }
}

fn encode(image: &DynamicImage, format: ImageFormat) -> Result<Processed, OssError> {
    let mut out = Cursor::new(Vec::new());
    let (image, content_type) = match format {
        // JPEG has no alpha channel.
        ImageFormat::Jpeg => (DynamicImage::ImageRgb8(image.to_rgb8()), "image/jpeg"),
        _ => (image.clone(), "image/png"),
    };
    image
        .write_to(&mut out, format)
        .map_err(|_| OssError::new(ErrorCode::InternalError, "The image cannot be encoded."))?;
    Ok(Processed {
        data: out.into_inner(),
        content_type,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = DynamicImage::ImageRgb8(image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([x as u8, y as u8, 7])
        }));
        encode(&image, ImageFormat::Png).unwrap().data
    }

    fn dimensions(p: &Processed) -> (u32, u32) {
        let (h, w, _) = info(&p.data).unwrap();
        (w, h)
    }

    #[test]
    fn the_documented_subset_applies() {
        let data = png(40, 20);
        assert_eq!(
            dimensions(&apply("image/resize,w_10", &data).unwrap()),
            (10, 5)
        );
        assert_eq!(
            dimensions(&apply("image/resize,w_80", &data).unwrap()),
            (40, 20),
            "limit_1"
        );
        assert_eq!(
            dimensions(&apply("image/resize,m_fixed,w_7,h_9", &data).unwrap()),
            (7, 9)
        );
        assert_eq!(
            dimensions(&apply("image/resize,p_50", &data).unwrap()),
            (20, 10)
        );
        assert_eq!(
            dimensions(&apply("image/crop,x_30,y_5,w_100,h_10", &data).unwrap()),
            (10, 10)
        );
        assert_eq!(
            dimensions(&apply("image/rotate,90", &data).unwrap()),
            (20, 40)
        );
        let jpeg = apply("image/format,jpg", &data).unwrap();
        assert_eq!(jpeg.content_type, "image/jpeg");
        assert_eq!(info(&jpeg.data).unwrap().2, "jpg");
        let json: serde_json::Value =
            serde_json::from_slice(&apply("image/info", &data).unwrap().data).unwrap();
        assert_eq!(json["ImageWidth"]["value"], "40");
        assert_eq!(json["Format"]["value"], "png");
    }

    #[test]
    fn the_rest_is_refused_as_oss_refuses_it() {
        let data = png(4, 4);
        let code = |p: &str| apply(p, &data).unwrap_err().code;
        assert_eq!(code("image/watermark,text_aGk"), ErrorCode::NotImplemented);
        assert_eq!(code("image/format,webp"), ErrorCode::NotImplemented);
        assert_eq!(code("image/rotate,45"), ErrorCode::NotImplemented);
        assert_eq!(code("video/snapshot,t_0"), ErrorCode::NotImplemented);
        assert_eq!(code("image/frobnicate"), ErrorCode::BadRequest);
        assert_eq!(code("image/resize,w_0"), ErrorCode::InvalidArgument);
        assert_eq!(
            apply("image/info", b"not an image").unwrap_err().code,
            ErrorCode::BadRequest
        );
    }
}
