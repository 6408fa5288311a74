//! ListCloudBoxes (`GET /?cloudboxes`, OSS API reference "ListCloudBoxes"): the emulator
//! runs no CloudBox, so the list is always empty (`prefix`, `marker` and `max-keys` are
//! echoed, `max-keys` checked).

use http::StatusCode;

use super::{Ctx, Resp, xml_response};
use crate::error::OssError;
use crate::xml::XmlWriter;

/// ListCloudBoxes: 200 `<ListCloudBoxResult>` without CloudBoxes.
pub(crate) fn list_cloud_boxes(ctx: &Ctx<'_>) -> Result<Resp, OssError> {
    let max_keys = ctx.param("max-keys").unwrap_or("100");
    if !max_keys
        .parse::<u32>()
        .is_ok_and(|n| (1..=1000).contains(&n))
    {
        return Err(OssError::invalid_argument(
            "max-keys must be 1 to 1000.",
            "max-keys",
            max_keys,
        ));
    }
    let mut w = XmlWriter::new();
    w.open("ListCloudBoxResult")
        .open("Owner")
        .elem("ID", &ctx.state.owner_id)
        .elem("DisplayName", &ctx.state.owner_id)
        .close("Owner")
        .elem("Prefix", ctx.param("prefix").unwrap_or(""))
        .elem("Marker", ctx.param("marker").unwrap_or(""))
        .elem("MaxKeys", max_keys)
        .elem("IsTruncated", "false")
        .open("CloudBoxes")
        .close("CloudBoxes")
        .close("ListCloudBoxResult");
    Ok(xml_response(StatusCode::OK, w.finish()))
}
