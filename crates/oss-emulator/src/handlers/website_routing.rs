//! The simple cases of a website's `RoutingRules` (PutBucketWebsite), for the unsigned reads
//! `website.rs` answers. Rules are tried in `RuleNumber` order; the first whose `Condition`
//! holds decides:
//!
//! * `KeyPrefixEquals`, `KeySuffixEquals`: the key starts / ends with it;
//! * `HttpErrorCodeReturnedEquals` (404 only): the key does not exist.
//!
//! The new key is `ReplaceKeyWith`, or the key with its `KeyPrefixEquals` replaced by
//! `ReplaceKeyPrefixWith`, or the key unchanged. `RedirectType`:
//!
//! * `External` and `AliCDN`: `HttpRedirectCode` (301, 302 or 307; default 302) with
//!   `Location: <Protocol>://<HostName>/<new key>` (`http` and the request's host when
//!   absent), the query string kept when `PassQueryString` is `true`;
//! * `Internal`: the new key of the same bucket is served instead.
//!
//! `Mirror` (back-to-origin fetches) and include-header conditions are stored, not applied:
//! a rule with them never matches.

use http::StatusCode;

use super::xml_body::Element;
use super::{Ctx, Resp, empty, hv};

/// What a matching rule says.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Route {
    /// Answer with this status and `Location`.
    Redirect(StatusCode, String),
    /// Serve this key instead.
    Internal(String),
}

/// The answer of a [`Route::Redirect`]: `status` with a `Location` header.
pub(crate) fn redirect(status: StatusCode, location: &str) -> Resp {
    let mut resp = empty(status);
    resp.headers_mut()
        .insert(http::header::LOCATION, hv(location));
    resp
}

/// The route of the first rule of `site` that matches `key` (`exists`: whether it is stored).
pub(crate) fn route(ctx: &Ctx<'_>, site: &Element, key: &str, exists: bool) -> Option<Route> {
    let mut rules: Vec<&Element> = site
        .child("RoutingRules")?
        .children("RoutingRule")
        .collect();
    rules.sort_by_key(|r| number(r, "RuleNumber").unwrap_or(u32::MAX));
    rules.into_iter().find_map(|rule| {
        let condition = rule.child("Condition")?;
        let prefix = condition.child_text("KeyPrefixEquals").unwrap_or("");
        let holds = key.starts_with(prefix)
            && condition
                .child_text("KeySuffixEquals")
                .is_none_or(|s| key.ends_with(s))
            && number(condition, "HttpErrorCodeReturnedEquals").is_none_or(|c| c == 404 && !exists)
            && condition.child("IncludeHeader").is_none();
        if !holds {
            return None;
        }
        target(ctx, rule.child("Redirect")?, key, prefix)
    })
}

fn number(el: &Element, name: &str) -> Option<u32> {
    el.child_text(name)?.trim().parse().ok()
}

fn target(ctx: &Ctx<'_>, redirect: &Element, key: &str, prefix: &str) -> Option<Route> {
    let text = |name| redirect.child_text(name).map(str::trim);
    let new_key = match (text("ReplaceKeyWith"), text("ReplaceKeyPrefixWith")) {
        (Some(with), _) => with.to_owned(),
        (None, Some(with)) => format!("{with}{}", &key[prefix.len()..]),
        (None, None) => key.to_owned(),
    };
    match text("RedirectType")? {
        "Internal" => Some(Route::Internal(new_key)),
        "External" | "AliCDN" => {
            let status = number(redirect, "HttpRedirectCode")
                .and_then(|c| StatusCode::from_u16(u16::try_from(c).ok()?).ok())
                .filter(|s| [301, 302, 307].contains(&s.as_u16()))
                .unwrap_or(StatusCode::FOUND);
            let protocol = text("Protocol").unwrap_or("http");
            let host = text("HostName")
                .or_else(|| ctx.header("host"))
                .unwrap_or("localhost");
            let mut location = format!("{protocol}://{host}/{new_key}");
            let query = ctx.query.to_query_string();
            if text("PassQueryString") == Some("true") && !query.is_empty() {
                location = format!("{location}?{query}");
            }
            Some(Route::Redirect(status, location))
        }
        _ => None,
    }
}
