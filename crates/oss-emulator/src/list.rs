//! Object listing: prefix/delimiter roll-up, markers and continuation tokens, max-keys, and the
//! `encoding-type=url` form of the text fields.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::Arc;

use base64::Engine as _;

use crate::error::OssError;
use crate::store::{Object, Upload, Versions};

/// Default `max-keys`.
pub(crate) const DEFAULT_MAX_KEYS: usize = 100;
/// Largest `max-keys`.
pub(crate) const MAX_MAX_KEYS: usize = 1000;

/// One listing request, after decoding.
#[derive(Debug, Default)]
pub(crate) struct ListParams<'a> {
    pub(crate) prefix: &'a str,
    pub(crate) delimiter: &'a str,
    /// Exclusive lower bound: start-after, the decoded continuation token, or the marker.
    pub(crate) after: Option<&'a str>,
    pub(crate) max_keys: usize,
}

/// One page of results.
#[derive(Debug, Default)]
pub(crate) struct ListPage {
    pub(crate) contents: Vec<(String, Arc<Object>)>,
    pub(crate) common_prefixes: Vec<String>,
    pub(crate) truncated: bool,
    /// The last key or common prefix returned, when truncated.
    pub(crate) next_marker: Option<String>,
}

/// Parses `max-keys`: absent → 100; a number 0..=1000; else 400 `InvalidArgument`.
pub(crate) fn parse_max_keys(value: Option<Option<&str>>, name: &str) -> Result<usize, OssError> {
    match value {
        None => Ok(DEFAULT_MAX_KEYS),
        Some(v) => {
            let raw = v.unwrap_or("");
            raw.parse::<usize>()
                .ok()
                .filter(|n| *n <= MAX_MAX_KEYS)
                .ok_or_else(|| {
                    OssError::invalid_argument(
                        format!("{name} must be an integer from 0 to 1000."),
                        name,
                        raw,
                    )
                })
        }
    }
}

/// Lists the current objects of `objects` (byte-ordered; keys whose latest version is a
/// delete marker are skipped) for `params`. Each common prefix counts towards max-keys; a
/// common prefix equal to the marker is not repeated (resuming after it). `max_keys == 0`
/// gives an empty, untruncated page.
pub(crate) fn list_page(objects: &BTreeMap<String, Versions>, params: &ListParams<'_>) -> ListPage {
    let mut page = ListPage::default();
    if params.max_keys == 0 {
        return page;
    }
    let lower: Bound<&str> = match params.after {
        Some(after) if after >= params.prefix => Bound::Excluded(after),
        _ => Bound::Included(params.prefix),
    };
    let mut count = 0usize;
    let mut last_prefix: Option<&str> = None;
    for (key, versions) in objects.range::<str, _>((lower, Bound::Unbounded)) {
        if !key.starts_with(params.prefix) {
            break;
        }
        let Some(object) = versions.last().filter(|o| !o.delete_marker) else {
            continue;
        };
        let rolled = roll_up(key, params.prefix, params.delimiter);
        if let Some(cp) = rolled {
            if last_prefix == Some(cp) || params.after == Some(cp) {
                continue;
            }
        }
        if count == params.max_keys {
            page.truncated = true;
            break;
        }
        count += 1;
        match rolled {
            Some(cp) => {
                last_prefix = Some(cp);
                page.common_prefixes.push(cp.to_owned());
                page.next_marker = Some(cp.to_owned());
            }
            None => {
                page.contents.push((key.clone(), Arc::clone(object)));
                page.next_marker = Some(key.clone());
            }
        }
    }
    if !page.truncated {
        page.next_marker = None;
    }
    page
}

/// The common prefix `key` rolls up into: `prefix` + text up to and including the first
/// `delimiter` after it.
fn roll_up<'k>(key: &'k str, prefix: &str, delimiter: &str) -> Option<&'k str> {
    if delimiter.is_empty() {
        return None;
    }
    key[prefix.len()..]
        .find(delimiter)
        .map(|i| &key[..prefix.len() + i + delimiter.len()])
}

/// One ListObjectVersions request.
#[derive(Debug, Default)]
pub(crate) struct VersionParams<'a> {
    pub(crate) prefix: &'a str,
    pub(crate) delimiter: &'a str,
    pub(crate) key_marker: &'a str,
    pub(crate) version_id_marker: &'a str,
    pub(crate) max_keys: usize,
}

/// One page of ListObjectVersions.
#[derive(Debug, Default)]
pub(crate) struct VersionPage {
    /// (key, version, is latest), keys ascending, versions newest first.
    pub(crate) versions: Vec<(String, Arc<Object>, bool)>,
    pub(crate) common_prefixes: Vec<String>,
    pub(crate) truncated: bool,
    pub(crate) next_key_marker: Option<String>,
    pub(crate) next_version_id_marker: Option<String>,
}

/// Lists every version and delete marker (newest first within a key). `key-marker` alone
/// resumes after all versions of that key; with `version-id-marker`, after that version.
pub(crate) fn list_versions(
    objects: &BTreeMap<String, Versions>,
    params: &VersionParams<'_>,
) -> VersionPage {
    let mut page = VersionPage::default();
    if params.max_keys == 0 {
        return page;
    }
    let lower: Bound<&str> = if !params.key_marker.is_empty() && params.key_marker >= params.prefix
    {
        Bound::Included(params.key_marker)
    } else {
        Bound::Included(params.prefix)
    };
    let mut count = 0usize;
    let mut last_prefix: Option<&str> = None;
    'keys: for (key, versions) in objects.range::<str, _>((lower, Bound::Unbounded)) {
        if !key.starts_with(params.prefix) {
            break;
        }
        let rolled = roll_up(key, params.prefix, params.delimiter);
        if let Some(cp) = rolled {
            if last_prefix == Some(cp) || params.key_marker == cp {
                continue;
            }
            if count == params.max_keys {
                page.truncated = true;
                break;
            }
            count += 1;
            last_prefix = Some(cp);
            page.common_prefixes.push(cp.to_owned());
            page.next_key_marker = Some(cp.to_owned());
            page.next_version_id_marker = None;
            continue;
        }
        let mut newest_first: Vec<&Arc<Object>> = versions.iter().rev().collect();
        if key == params.key_marker {
            if params.version_id_marker.is_empty() {
                continue;
            }
            match newest_first
                .iter()
                .position(|o| o.version_id.as_deref() == Some(params.version_id_marker))
            {
                Some(i) => {
                    newest_first.drain(..=i);
                }
                None => continue,
            }
        }
        let latest = versions.last().map(Arc::as_ptr);
        for o in newest_first {
            if count == params.max_keys {
                page.truncated = true;
                break 'keys;
            }
            count += 1;
            let is_latest = Some(Arc::as_ptr(o)) == latest;
            page.versions.push((key.clone(), Arc::clone(o), is_latest));
            page.next_key_marker = Some(key.clone());
            page.next_version_id_marker =
                Some(o.version_id.clone().unwrap_or_else(|| "null".to_owned()));
        }
    }
    if !page.truncated {
        page.next_key_marker = None;
        page.next_version_id_marker = None;
    }
    page
}

/// One ListMultipartUploads request.
#[derive(Debug, Default)]
pub(crate) struct UploadParams<'a> {
    pub(crate) prefix: &'a str,
    pub(crate) delimiter: &'a str,
    pub(crate) key_marker: &'a str,
    pub(crate) upload_id_marker: &'a str,
    pub(crate) max_uploads: usize,
}

/// One page of ListMultipartUploads.
#[derive(Debug, Default)]
pub(crate) struct UploadPage {
    pub(crate) uploads: Vec<Arc<Upload>>,
    pub(crate) common_prefixes: Vec<String>,
    pub(crate) truncated: bool,
    pub(crate) next_key_marker: Option<String>,
    pub(crate) next_upload_id_marker: Option<String>,
}

/// Lists uploads by key, then upload id. `key-marker` alone resumes after every upload of
/// that key; with `upload-id-marker`, after that upload of that key.
pub(crate) fn list_uploads(
    uploads: &BTreeMap<(String, String), Arc<Upload>>,
    params: &UploadParams<'_>,
) -> UploadPage {
    let mut page = UploadPage::default();
    let mut count = 0usize;
    let mut last_prefix: Option<String> = None;
    for ((key, id), upload) in uploads.iter() {
        if !key.starts_with(params.prefix) {
            continue;
        }
        if !params.key_marker.is_empty() {
            let before = key.as_str() < params.key_marker
                || (key == params.key_marker
                    && (params.upload_id_marker.is_empty()
                        || id.as_str() <= params.upload_id_marker));
            if before {
                continue;
            }
        }
        let rolled = roll_up(key, params.prefix, params.delimiter);
        if let Some(cp) = rolled {
            if last_prefix.as_deref() == Some(cp) || params.key_marker == cp {
                continue;
            }
        }
        if count == params.max_uploads {
            page.truncated = true;
            break;
        }
        count += 1;
        match rolled {
            Some(cp) => {
                last_prefix = Some(cp.to_owned());
                page.common_prefixes.push(cp.to_owned());
                page.next_key_marker = Some(cp.to_owned());
                page.next_upload_id_marker = Some(String::new());
            }
            None => {
                page.uploads.push(Arc::clone(upload));
                page.next_key_marker = Some(key.clone());
                page.next_upload_id_marker = Some(id.clone());
            }
        }
    }
    page
}

/// The first bytes of every continuation token: they encode as `+///`.
const TOKEN_MAGIC: [u8; 3] = [0xfb, 0xff, 0xff];

/// An opaque continuation token for `marker`, as opaque as OSS's: standard base64 (with
/// padding) of [`TOKEN_MAGIC`], a filler count, the marker and 0–2 filler bytes chosen so
/// that the token always starts with `+///` and ends with `==`. A client that sends it back
/// without percent-encoding it (`+` read as a space) gets 400 `InvalidArgument`.
pub(crate) fn encode_token(marker: &str) -> String {
    let filler = (1 + 3 - (TOKEN_MAGIC.len() + 1 + marker.len()) % 3) % 3;
    let mut bytes = Vec::with_capacity(TOKEN_MAGIC.len() + 1 + marker.len() + filler);
    bytes.extend_from_slice(&TOKEN_MAGIC);
    bytes.push(filler as u8);
    bytes.extend_from_slice(marker.as_bytes());
    bytes.resize(bytes.len() + filler, 0xff);
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Decodes a continuation token, or 400 `InvalidArgument`.
pub(crate) fn decode_token(token: &str) -> Result<String, OssError> {
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(token.as_bytes())
        .ok()
        .and_then(|bytes| {
            let rest = bytes.strip_prefix(&TOKEN_MAGIC[..])?;
            let (&filler, rest) = rest.split_first()?;
            let filler = usize::from(filler);
            if filler > 2 || rest.len() < filler {
                return None;
            }
            String::from_utf8(rest[..rest.len() - filler].to_vec()).ok()
        });
    decoded.ok_or_else(|| {
        OssError::invalid_argument(
            "The continuation token is not valid.",
            "continuation-token",
            token,
        )
    })
}

/// Encodes a list field for `encoding-type=url`: `A-Z a-z 0-9 _ . - ~ /` stay, every other
/// byte becomes `%XX` (upper-case hex), so `+` is `%2B` and a space is `%20`.
///
/// Not `quote_plus`: both official Python SDKs (oss2 2.19.1 and alibabacloud-oss-v2 1.4.1)
/// decode with plain `urllib.parse.unquote`, which would leave a `+` for a space. `%20`
/// decodes to a space under both plain and form (`+` = space) decoding.
pub(crate) fn url_encode(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => {
                out.push('%');
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 0x0f)] as char);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn objects(keys: &[&str]) -> BTreeMap<String, Versions> {
        keys.iter()
            .map(|k| ((*k).to_owned(), vec![Arc::new(Object::default())]))
            .collect()
    }

    fn keys(p: &ListPage) -> Vec<&str> {
        p.contents.iter().map(|(k, _)| k.as_str()).collect()
    }

    #[test]
    fn url_encoding_is_plain_percent_encoding() {
        assert_eq!(url_encode("bad\u{8}name.txt"), "bad%08name.txt");
        assert_eq!(url_encode("c++/a b.txt"), "c%2B%2B/a%20b.txt");
        assert_eq!(url_encode("tab\tend\t"), "tab%09end%09");
        assert_eq!(url_encode("中~%"), "%E4%B8%AD~%25");
        assert_eq!(url_encode("  lead"), "%20%20lead");
    }

    #[test]
    fn delimiter_rolls_up_and_counts() {
        let objs = objects(&["a/1", "a/2", "b", "c/x/y", "d"]);
        let p = list_page(
            &objs,
            &ListParams {
                delimiter: "/",
                max_keys: 100,
                ..Default::default()
            },
        );
        assert_eq!(keys(&p), ["b", "d"]);
        assert_eq!(p.common_prefixes, ["a/", "c/"]);
        assert!(!p.truncated && p.next_marker.is_none());

        let p = list_page(
            &objs,
            &ListParams {
                delimiter: "/",
                max_keys: 2,
                ..Default::default()
            },
        );
        assert_eq!(keys(&p), ["b"]);
        assert_eq!(p.common_prefixes, ["a/"]);
        assert!(p.truncated);
        assert_eq!(p.next_marker.as_deref(), Some("b"));

        let p = list_page(
            &objs,
            &ListParams {
                delimiter: "/",
                max_keys: 1,
                after: Some("a/"),
                ..Default::default()
            },
        );
        assert_eq!(keys(&p), ["b"]);
        assert!(p.common_prefixes.is_empty());
        assert!(p.truncated);
    }

    #[test]
    fn prefix_and_marker() {
        let objs = objects(&["a/1", "a/2", "a/3", "ab", "b"]);
        let p = list_page(
            &objs,
            &ListParams {
                prefix: "a/",
                after: Some("a/1"),
                max_keys: 100,
                ..Default::default()
            },
        );
        assert_eq!(keys(&p), ["a/2", "a/3"]);
        let p = list_page(
            &objs,
            &ListParams {
                prefix: "a/",
                after: Some("0"),
                max_keys: 2,
                ..Default::default()
            },
        );
        assert_eq!(keys(&p), ["a/1", "a/2"]);
        assert_eq!(p.next_marker.as_deref(), Some("a/2"));
        let p = list_page(
            &objs,
            &ListParams {
                prefix: "a",
                delimiter: "/",
                max_keys: 100,
                ..Default::default()
            },
        );
        assert_eq!(keys(&p), ["ab"]);
        assert_eq!(p.common_prefixes, ["a/"]);
        let p = list_page(
            &objs,
            &ListParams {
                max_keys: 0,
                ..Default::default()
            },
        );
        assert!(p.contents.is_empty() && !p.truncated);
    }

    #[test]
    fn max_keys_and_tokens() {
        assert_eq!(parse_max_keys(None, "max-keys").unwrap(), 100);
        assert_eq!(
            parse_max_keys(Some(Some("1000")), "max-keys").unwrap(),
            1000
        );
        assert!(parse_max_keys(Some(Some("1001")), "max-keys").is_err());
        assert!(parse_max_keys(Some(Some("ten")), "max-keys").is_err());
        assert!(parse_max_keys(Some(None), "max-keys").is_err());
        for marker in ["", "a", "ab", "abc", "a b/+\u{8}", "dir/中文/x"] {
            let t = encode_token(marker);
            assert!(t.starts_with("+///") && t.ends_with("=="), "{t}");
            assert_eq!(decode_token(&t).unwrap(), marker);
            // Sent without percent-encoding, '+' arrives as a space: refused.
            assert!(decode_token(&t.replace('+', " ")).is_err());
        }
        assert!(decode_token("!!").is_err());
        assert!(
            decode_token("YWJj").is_err(),
            "plain base64 of a key is not a token"
        );
    }

    mod walk {
        //! Property: walking every page, whatever the page size, prefix, delimiter and
        //! markers, returns each key (version, upload) and common prefix exactly once, in
        //! order, and exactly the expected ones.

        use std::collections::BTreeSet;

        use http::HeaderValue;
        use proptest::prelude::*;

        use super::super::*;

        fn key_strategy() -> impl Strategy<Value = String> {
            proptest::collection::vec(
                prop::sample::select(vec!['a', 'b', '/', '+', ' ', 'é', '-']),
                1..7,
            )
            .prop_map(|chars| chars.into_iter().collect())
        }

        fn case() -> impl Strategy<Value = (BTreeSet<String>, &'static str, &'static str, usize)> {
            (
                proptest::collection::btree_set(key_strategy(), 0..40),
                prop::sample::select(vec!["", "a", "a/", "b", "/"]),
                prop::sample::select(vec!["", "/", "b", "a/"]),
                1usize..6,
            )
        }

        /// The expected (contents, common prefixes) of a listing of `keys`.
        fn expected(
            keys: impl IntoIterator<Item = String>,
            prefix: &str,
            delimiter: &str,
        ) -> (Vec<String>, Vec<String>) {
            let mut contents = Vec::new();
            let mut prefixes = BTreeSet::new();
            for key in keys {
                if !key.starts_with(prefix) {
                    continue;
                }
                match roll_up(&key, prefix, delimiter) {
                    Some(cp) => {
                        prefixes.insert(cp.to_owned());
                    }
                    None => contents.push(key),
                }
            }
            (contents, prefixes.into_iter().collect())
        }

        fn versioned(key_count: usize, id: usize, delete_marker: bool) -> Arc<Object> {
            Arc::new(Object {
                version_id: Some(format!("v{key_count}-{id}")),
                delete_marker,
                ..Object::default()
            })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(300))]

            #[test]
            fn list_objects_pages_return_everything_once((keys, prefix, delimiter, max_keys) in case(), v2 in any::<bool>()) {
                let objects: BTreeMap<String, Versions> = keys
                    .iter()
                    .map(|k| (k.clone(), vec![Arc::new(Object::default())]))
                    .collect();
                let (want_contents, want_prefixes) = expected(keys.iter().cloned(), prefix, delimiter);
                let mut contents = Vec::new();
                let mut prefixes = Vec::new();
                let mut token: Option<String> = None;
                for _ in 0..=keys.len() + 1 {
                    // v2 sends the opaque token back; v1 the marker itself.
                    let after = token.as_deref().map(|t| if v2 { decode_token(t).unwrap() } else { t.to_owned() });
                    let page = list_page(&objects, &ListParams { prefix, delimiter, after: after.as_deref(), max_keys });
                    prop_assert!(page.contents.len() + page.common_prefixes.len() <= max_keys);
                    contents.extend(page.contents.iter().map(|(k, _)| k.clone()));
                    prefixes.extend(page.common_prefixes.iter().cloned());
                    if !page.truncated {
                        prop_assert!(page.next_marker.is_none());
                        token = None;
                        break;
                    }
                    let next = page.next_marker.clone().unwrap();
                    token = Some(if v2 { encode_token(&next) } else { next });
                }
                prop_assert!(token.is_none(), "the walk did not end");
                prop_assert_eq!(contents, want_contents);
                prop_assert_eq!(prefixes, want_prefixes);
            }

            #[test]
            fn list_versions_pages_return_every_version_once((keys, prefix, delimiter, max_keys) in case(), counts in proptest::collection::vec(1usize..4, 40)) {
                let mut objects: BTreeMap<String, Versions> = BTreeMap::new();
                let mut all = Vec::new();
                for (i, key) in keys.iter().enumerate() {
                    let n = counts[i % counts.len()];
                    // Oldest first, as stored; the newest may be a delete marker.
                    let versions: Versions = (0..n).map(|v| versioned(i, v, v == 2)).collect();
                    for o in versions.iter().rev() {
                        all.push((key.clone(), o.version_id.clone().unwrap()));
                    }
                    objects.insert(key.clone(), versions);
                }
                let (want_keys, want_prefixes) = expected(keys.iter().cloned(), prefix, delimiter);
                let want: Vec<(String, String)> = all.into_iter().filter(|(k, _)| want_keys.contains(k)).collect();
                let mut got = Vec::new();
                let mut prefixes = Vec::new();
                let (mut key_marker, mut version_id_marker) = (String::new(), String::new());
                let mut ended = false;
                for _ in 0..=want.len() + want_prefixes.len() + 1 {
                    let page = list_versions(&objects, &VersionParams {
                        prefix, delimiter, key_marker: &key_marker, version_id_marker: &version_id_marker, max_keys,
                    });
                    prop_assert!(page.versions.len() + page.common_prefixes.len() <= max_keys);
                    got.extend(page.versions.iter().map(|(k, o, _)| (k.clone(), o.version_id.clone().unwrap())));
                    prefixes.extend(page.common_prefixes.iter().cloned());
                    if !page.truncated {
                        ended = true;
                        break;
                    }
                    key_marker = page.next_key_marker.clone().unwrap();
                    version_id_marker = page.next_version_id_marker.clone().unwrap_or_default();
                }
                prop_assert!(ended, "the walk did not end");
                prop_assert_eq!(got, want);
                prop_assert_eq!(prefixes, want_prefixes);
            }

            #[test]
            fn list_uploads_pages_return_every_upload_once((keys, prefix, delimiter, max_keys) in case(), counts in proptest::collection::vec(1usize..3, 40)) {
                let mut uploads = BTreeMap::new();
                let mut all = Vec::new();
                for (i, key) in keys.iter().enumerate() {
                    for _ in 0..counts[i % counts.len()] {
                        let u = Upload::new(key, std::time::UNIX_EPOCH, HeaderValue::from_static("x"), Vec::new(), "Standard".into(), Vec::new(), "default".into(), false);
                        all.push((key.clone(), u.upload_id.clone()));
                        uploads.insert((key.clone(), u.upload_id.clone()), Arc::new(u));
                    }
                }
                all.sort();
                let (want_keys, want_prefixes) = expected(keys.iter().cloned(), prefix, delimiter);
                let want: Vec<(String, String)> = all.into_iter().filter(|(k, _)| want_keys.contains(k)).collect();
                let mut got = Vec::new();
                let mut prefixes = Vec::new();
                let (mut key_marker, mut upload_id_marker) = (String::new(), String::new());
                let mut ended = false;
                for _ in 0..=want.len() + want_prefixes.len() + 1 {
                    let page = list_uploads(&uploads, &UploadParams {
                        prefix, delimiter, key_marker: &key_marker, upload_id_marker: &upload_id_marker, max_uploads: max_keys,
                    });
                    prop_assert!(page.uploads.len() + page.common_prefixes.len() <= max_keys);
                    got.extend(page.uploads.iter().map(|u| (u.key.clone(), u.upload_id.clone())));
                    prefixes.extend(page.common_prefixes.iter().cloned());
                    if !page.truncated {
                        ended = true;
                        break;
                    }
                    key_marker = page.next_key_marker.clone().unwrap();
                    upload_id_marker = page.next_upload_id_marker.clone().unwrap_or_default();
                }
                prop_assert!(ended, "the walk did not end");
                prop_assert_eq!(got, want);
                prop_assert_eq!(prefixes, want_prefixes);
            }
        }
    }
}
