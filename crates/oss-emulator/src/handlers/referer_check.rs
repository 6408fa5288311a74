//! Hotlink protection as the bucket's referer rules (PutBucketReferer,
//! `bucket_config/referer.rs`) decide it, for the requests OSS checks: unsigned ones and
//! those signed in the URL (presigned); a request with an `Authorization` header is never
//! checked, nor the CORS preflight.
//!
//! * No `Referer` (or an empty one): allowed when `AllowEmptyReferer` is `true`.
//! * A `Referer` is first cut: its query string unless `AllowTruncateQueryString` is
//!   `false`, also its path (everything after `scheme://host[:port]`) when `TruncatePath`
//!   is `true`; then it must match no `RefererBlacklist` pattern and, when the
//!   `RefererList` is not empty, one of its patterns. A pattern matches a prefix of the
//!   value (OSS matches URL prefixes: `http://www.example.com` admits
//!   `http://www.example.com/page.html`), `*` any run of characters, `?` one character,
//!   ASCII case ignored.
//! * An empty `RefererList` checks nothing but the blacklist, empty referers included (as
//!   OSS: such a configuration does not protect).
//!
//! A refusal is 403 `AccessDenied` "You are denied by bucket referer policy.".

use super::bucket_config::policy::glob;
use super::xml_body::{self, Element};
use crate::config_family::ConfigFamily;
use crate::error::{ErrorCode, OssError};
use crate::state::State;

/// Checks an unsigned or presigned request on `bucket` carrying `referer`.
///
/// # Errors
/// 403 `AccessDenied` when the bucket's referer rules refuse it.
pub(crate) fn check(state: &State, bucket: &str, referer: Option<&str>) -> Result<(), OssError> {
    let document = state
        .store
        .bucket(bucket)
        .ok()
        .and_then(|b| b.document(ConfigFamily::Referer.name()));
    let Some(rules) =
        document.and_then(|d| xml_body::parse(d.as_bytes(), "RefererConfiguration").ok())
    else {
        return Ok(());
    };
    if allows(&rules, referer.map(str::trim).filter(|r| !r.is_empty())) {
        Ok(())
    } else {
        Err(OssError::new(
            ErrorCode::AccessDenied,
            "You are denied by bucket referer policy.",
        )
        .with("BucketName", bucket))
    }
}

fn patterns<'a>(rules: &'a Element, list: &str) -> Vec<&'a str> {
    rules
        .child(list)
        .map(|l| l.children("Referer").map(|r| r.text.trim()).collect())
        .unwrap_or_default()
}

fn flag(rules: &Element, name: &str, default: bool) -> bool {
    rules
        .child_text(name)
        .map_or(default, |v| v.trim() == "true")
}

fn allows(rules: &Element, referer: Option<&str>) -> bool {
    let allowed = patterns(rules, "RefererList");
    let Some(referer) = referer else {
        return allowed.is_empty() || flag(rules, "AllowEmptyReferer", true);
    };
    let referer = cut(
        referer,
        flag(rules, "AllowTruncateQueryString", true),
        flag(rules, "TruncatePath", false),
    )
    .to_ascii_lowercase();
    let matches = |p: &&str| glob(&format!("{}*", p.to_ascii_lowercase()), &referer);
    !patterns(rules, "RefererBlacklist").iter().any(matches)
        && (allowed.is_empty() || allowed.iter().any(matches))
}

/// `referer` without its query string (`query`) and without its path (`path`).
fn cut(referer: &str, query: bool, path: bool) -> &str {
    let mut end = referer.len();
    if query {
        end = referer.find('?').unwrap_or(end);
    }
    if path {
        let host_start = referer.find("://").map_or(0, |i| i + 3);
        end = referer[host_start..]
            .find('/')
            .map_or(end, |i| end.min(host_start + i));
    }
    &referer[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(xml: &str) -> Element {
        xml_body::parse(xml.as_bytes(), "RefererConfiguration").unwrap()
    }

    #[test]
    fn lists_wildcards_and_empty_referers_decide() {
        let r = rules(
            "<RefererConfiguration><AllowEmptyReferer>false</AllowEmptyReferer>\
             <RefererList><Referer>https://*.example.com</Referer><Referer>http://a?.org</Referer></RefererList>\
             <RefererBlacklist><Referer>https://bad.example.com</Referer></RefererBlacklist>\
             </RefererConfiguration>",
        );
        assert!(allows(&r, Some("https://www.example.com")));
        assert!(allows(&r, Some("HTTPS://WWW.Example.com")));
        assert!(allows(&r, Some("http://ab.org")));
        assert!(!allows(&r, Some("https://bad.example.com")));
        assert!(allows(&r, Some("https://www.example.com/page.html?x=1")));
        assert!(!allows(&r, Some("https://bad.example.com/page.html")));
        assert!(!allows(&r, Some("https://example.org")));
        assert!(!allows(&r, None));
        let open = rules(
            "<RefererConfiguration><AllowEmptyReferer>false</AllowEmptyReferer><RefererList/></RefererConfiguration>",
        );
        assert!(allows(&open, None));
    }

    #[test]
    fn query_strings_and_paths_are_cut_as_configured() {
        assert_eq!(
            cut("https://a.com/p/q?x=1", true, false),
            "https://a.com/p/q"
        );
        assert_eq!(
            cut("https://a.com/p/q?x=1", false, false),
            "https://a.com/p/q?x=1"
        );
        assert_eq!(cut("https://a.com/p/q?x=1", true, true), "https://a.com");
        assert_eq!(cut("https://a.com?x=/1", true, true), "https://a.com");
    }
}
