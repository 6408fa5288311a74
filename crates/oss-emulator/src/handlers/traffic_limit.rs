//! `x-oss-traffic-limit` (header, or query parameter of a presigned URL): OSS paces the
//! request to that many bit/s and refuses values outside 819200..=838860800 (100 KiB/s to
//! 100 MiB/s) with 400 `InvalidArgument`. The emulator checks the value as OSS does and does
//! not pace (its own pacing is `--faults`' business).

use super::Ctx;
use crate::error::OssError;

const NAME: &str = "x-oss-traffic-limit";
const RANGE: std::ops::RangeInclusive<u64> = 819_200..=838_860_800;

/// Refuses a traffic limit OSS would refuse.
pub(crate) fn check(ctx: &Ctx<'_>) -> Result<(), OssError> {
    for value in [ctx.header(NAME), ctx.param(NAME)].into_iter().flatten() {
        if !value.trim().parse().is_ok_and(|v: u64| RANGE.contains(&v)) {
            return Err(OssError::invalid_argument(
                "The traffic limit must be between 819200 and 838860800 bit/s.",
                NAME,
                value,
            ));
        }
    }
    Ok(())
}
