//! DescribeRegions (`GET /?regions`, OSS API reference "DescribeRegions"): the regions the
//! emulator knows — its own and those of its `--bucket-in-region` buckets — as
//! `RegionInfoList`.

use http::StatusCode;

use super::{Ctx, Resp, xml_response};
use crate::error::OssError;
use crate::xml::XmlWriter;

/// DescribeRegions. `?regions` lists every known region (by region id); `?regions=oss-<id>`
/// only that one, and an OSS region id the emulator does not know answers 400
/// `InvalidArgument` (naming `regions`).
pub(crate) fn describe_regions(ctx: &Ctx<'_>) -> Result<Resp, OssError> {
    let mut known = ctx.state.other_regions.regions();
    known.insert(ctx.state.region.as_str());
    let wanted = ctx.param("regions").unwrap_or("");
    let selected: Vec<&str> = if wanted.is_empty() {
        known.into_iter().collect()
    } else {
        let id = wanted.strip_prefix("oss-").unwrap_or("");
        match known.get(id) {
            Some(region) => vec![*region],
            None => {
                return Err(OssError::invalid_argument(
                    "The specified region is not known.",
                    "regions",
                    wanted,
                ));
            }
        }
    };
    let mut w = XmlWriter::new();
    w.open("RegionInfoList");
    for region in selected {
        w.open("RegionInfo")
            .elem("Region", &format!("oss-{region}"))
            .elem("InternetEndpoint", &format!("oss-{region}.aliyuncs.com"))
            .elem(
                "InternalEndpoint",
                &format!("oss-{region}-internal.aliyuncs.com"),
            )
            .elem("AccelerateEndpoint", "oss-accelerate.aliyuncs.com")
            .close("RegionInfo");
    }
    w.close("RegionInfoList");
    Ok(xml_response(StatusCode::OK, w.finish()))
}
