//! `get_opts`: GetObject (HeadObject for `head`), with every `GetRange` form and conditional
//! header (OSS API reference "GetObject", "HeadObject").

use std::time::SystemTime;

use crate::object_store::path::Path;
use crate::object_store::{GetOptions, GetRange, GetResult, GetResultPayload};
use chrono::{DateTime, Utc};
use futures_util::{StreamExt as _, TryStreamExt as _};
use oss_client::types::ByteRange;

use crate::store::OssObjectStore;
use crate::{attributes, error, meta};

/// The conditional headers and version GetObject and HeadObject share.
struct Conditions {
    if_match: Option<String>,
    if_none_match: Option<String>,
    if_modified_since: Option<DateTime<Utc>>,
    if_unmodified_since: Option<DateTime<Utc>>,
    version: Option<String>,
}

/// `$request` (a GetObject or HeadObject builder) with the `Conditions` `$conditions` set.
macro_rules! with_conditions {
    ($request:expr, $conditions:expr) => {{
        let conditions = $conditions;
        let mut request = $request;
        if let Some(etag) = conditions.if_match {
            request = request.if_match(etag);
        }
        if let Some(etag) = conditions.if_none_match {
            request = request.if_none_match(etag);
        }
        if let Some(time) = conditions.if_modified_since {
            request = request.if_modified_since(SystemTime::from(time));
        }
        if let Some(time) = conditions.if_unmodified_since {
            request = request.if_unmodified_since(SystemTime::from(time));
        }
        if let Some(version) = conditions.version {
            request = request.version_id(version);
        }
        request
    }};
}

/// GetObject (or HeadObject) of `location` with `options`.
///
/// Ranges are sent with `x-oss-range-behavior: standard`: `Bounded(a..b)` as `bytes=a-(b-1)`
/// (an end past the object is clamped by OSS), `Offset(a)` as `bytes=a-`, `Suffix(n)` as
/// `bytes=-n`; a start past the end answers 416 `InvalidRange` (a `Generic` error). The result's
/// `range` is what OSS answered (`Content-Range`), `meta.size` the whole object's size.
pub(crate) async fn get_opts(
    store: &OssObjectStore,
    location: &Path,
    options: GetOptions,
) -> crate::object_store::Result<GetResult> {
    let GetOptions {
        if_match,
        if_none_match,
        if_modified_since,
        if_unmodified_since,
        range,
        version,
        head,
        extensions: _,
    } = options;
    let conditions = Conditions {
        if_match,
        if_none_match,
        if_modified_since,
        if_unmodified_since,
        version,
    };
    let path = location.as_ref();
    let key = store.prefix().key(location);
    if head {
        if range.is_some() {
            return Err(error::generic("a HEAD request takes no range"));
        }
        let request = store.client().head_object().bucket(store.bucket()).key(key);
        let properties = with_conditions!(request, conditions)
            .send()
            .await
            .map_err(|e| error::from_oss(e, path))?;
        let size = properties.content_length;
        return Ok(GetResult {
            // object_store 0.14 carries HTTP response extensions; OSS answers fill none.
            #[cfg(feature = "object_store_0_14")]
            extensions: Default::default(),
            payload: GetResultPayload::Stream(futures_util::stream::empty().boxed()),
            meta: meta::from_properties(location.clone(), &properties, size)?,
            range: 0..size,
            attributes: attributes::from_properties(&properties),
        });
    }
    let mut request = store.client().get_object().bucket(store.bucket()).key(key);
    if let Some(range) = &range {
        request = request.range(byte_range(range)?);
    }
    let output = with_conditions!(request, conditions)
        .send()
        .await
        .map_err(|e| error::from_oss(e, path))?;
    let properties = output.properties;
    let (answered, size) = match output.content_range {
        Some((first, last, total)) => (first..last + 1, total),
        None => (0..properties.content_length, properties.content_length),
    };
    let owned_path = path.to_owned();
    let body = output
        .body
        .map_err(move |e| error::from_oss(e, &owned_path))
        .boxed();
    Ok(GetResult {
        // object_store 0.14 carries HTTP response extensions; OSS answers fill none.
        #[cfg(feature = "object_store_0_14")]
        extensions: Default::default(),
        payload: GetResultPayload::Stream(body),
        meta: meta::from_properties(location.clone(), &properties, size)?,
        range: answered,
        attributes: attributes::from_properties(&properties),
    })
}

/// The OSS range of an `object_store` range.
///
/// # Errors
/// `Generic` for an empty `Bounded` range or a 0-byte suffix, before any request.
fn byte_range(range: &GetRange) -> crate::object_store::Result<ByteRange> {
    let range = match range {
        GetRange::Bounded(r) if r.start < r.end => ByteRange::inclusive(r.start, r.end - 1),
        GetRange::Bounded(r) => {
            return Err(error::generic(format!(
                "the range {}..{} holds no byte",
                r.start, r.end
            )));
        }
        GetRange::Offset(first) => Ok(ByteRange::from(*first)),
        GetRange::Suffix(length) => ByteRange::suffix(*length),
    };
    range.map_err(|e| error::from_oss(e, ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_range_form_maps_to_its_oss_range() {
        assert_eq!(
            byte_range(&GetRange::Bounded(2..5)).unwrap(),
            ByteRange::Inclusive { first: 2, last: 4 }
        );
        assert_eq!(
            byte_range(&GetRange::Offset(3)).unwrap(),
            ByteRange::From { first: 3 }
        );
        assert_eq!(
            byte_range(&GetRange::Suffix(2)).unwrap(),
            ByteRange::Suffix { length: 2 }
        );
        assert!(matches!(
            byte_range(&GetRange::Bounded(5..5)),
            Err(crate::object_store::Error::Generic { .. })
        ));
        assert!(byte_range(&GetRange::Suffix(0)).is_err());
    }
}
