//! Endpoints and addressing: where a request for (bucket, key) is sent.

use std::net::IpAddr;

use http::Uri;
use oss_auth::sign::{QueryParams, uri_encode_into};

use crate::error::{Error, ErrorKind};

/// How the bucket appears in the URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AddressingStyle {
    /// `https://bucket.endpoint/key` (OSS's default).
    VirtualHosted,
    /// `https://endpoint/bucket/key` (emulators, IP endpoints).
    Path,
    /// `https://endpoint/key`: the endpoint is a custom domain (CNAME) bound to one bucket, so
    /// the bucket appears in neither the host nor the path. Signatures still name the bucket
    /// (OSS's V4 canonical URI is `/bucket/key` whatever the host). Set with
    /// [`ClientBuilder::use_cname`](crate::ClientBuilder::use_cname).
    Cname,
}

/// Which of a region's OSS endpoints a client uses when none is given
/// ([`ClientBuilder::use_internal_endpoint`](crate::ClientBuilder::use_internal_endpoint) and
/// its siblings choose it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum RegionEndpoint {
    /// `oss-<region>.aliyuncs.com`.
    #[default]
    Public,
    /// `oss-<region>-internal.aliyuncs.com`: from Alibaba Cloud services in the same region.
    Internal,
    /// `oss-accelerate.aliyuncs.com`: transfer acceleration (any region).
    Accelerate,
    /// `<region>.oss.aliyuncs.com`: IPv4 and IPv6 (dual-stack).
    DualStack,
}

impl RegionEndpoint {
    /// The endpoint's host name for `region`.
    pub(crate) fn host(self, region: &str) -> String {
        match self {
            Self::Public => format!("oss-{region}.aliyuncs.com"),
            Self::Internal => format!("oss-{region}-internal.aliyuncs.com"),
            Self::Accelerate => "oss-accelerate.aliyuncs.com".to_owned(),
            Self::DualStack => format!("{region}.oss.aliyuncs.com"),
        }
    }
}

/// A parsed endpoint: scheme and authority, no path.
#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    scheme: &'static str,
    /// `host[:port]`, as it appears after the bucket in a virtual-hosted URL.
    host_and_port: String,
    style: AddressingStyle,
}

impl Endpoint {
    /// Parses `https://host[:port]`, `http://host[:port]` or a bare `host[:port]` (https).
    /// Without an explicit style, IP addresses and `localhost` use path style.
    pub(crate) fn parse(endpoint: &str, style: Option<AddressingStyle>) -> Result<Self, Error> {
        let invalid = |why: &str| {
            Error::new(
                ErrorKind::InvalidEndpoint,
                format!("invalid endpoint {endpoint:?}: {why}"),
            )
        };
        let (scheme, rest) = match endpoint.split_once("://") {
            Some(("https", rest)) => ("https", rest),
            Some(("http", rest)) => ("http", rest),
            Some((other, _)) => return Err(invalid(&format!("unsupported scheme {other:?}"))),
            None => ("https", endpoint),
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.is_empty() {
            return Err(invalid("no host"));
        }
        if authority.contains(['/', '?', '#', '@'])
            || authority
                .chars()
                .any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(invalid("only a scheme, host and port are allowed"));
        }
        let uri: Uri = format!("{scheme}://{authority}/")
            .parse()
            .map_err(|_| invalid("not a valid URL"))?;
        let host = uri.host().ok_or_else(|| invalid("no host"))?.to_owned();
        let bare_host = host.trim_start_matches('[').trim_end_matches(']');
        let is_ip = bare_host.parse::<IpAddr>().is_ok();
        let style = style.unwrap_or(if is_ip || host == "localhost" {
            AddressingStyle::Path
        } else {
            AddressingStyle::VirtualHosted
        });
        if style == AddressingStyle::VirtualHosted && is_ip {
            return Err(invalid(
                "an IP address cannot be used with virtual-hosted addressing",
            ));
        }
        let host_and_port = match uri.port_u16() {
            Some(port) => format!("{host}:{port}"),
            None => host,
        };
        Ok(Self {
            scheme,
            host_and_port,
            style,
        })
    }

    /// One of a region's endpoints, e.g. `https://oss-<region>.aliyuncs.com`; `scheme` is
    /// `https` or `http`.
    pub(crate) fn for_region(
        region: &str,
        which: RegionEndpoint,
        scheme: &str,
        style: Option<AddressingStyle>,
    ) -> Result<Self, Error> {
        Self::parse(&format!("{scheme}://{}", which.host(region)), style)
    }

    /// Whether requests go out over TLS.
    pub(crate) fn is_https(&self) -> bool {
        self.scheme == "https"
    }

    pub(crate) fn style(&self) -> AddressingStyle {
        self.style
    }

    /// The URL of a request: bucket in the host or the path (or nowhere, for a CNAME), key
    /// percent-encoded once with the signer's encoder (slashes kept, nothing normalised), query
    /// in its wire form.
    pub(crate) fn url(
        &self,
        bucket: Option<&str>,
        key: Option<&str>,
        query: &QueryParams,
    ) -> String {
        let mut url = String::with_capacity(64 + key.map_or(0, |k| k.len() * 3));
        url.push_str(self.scheme);
        url.push_str("://");
        if let (Some(bucket), AddressingStyle::VirtualHosted) = (bucket, self.style) {
            url.push_str(bucket);
            url.push('.');
        }
        url.push_str(&self.host_and_port);
        url.push('/');
        if let (Some(bucket), AddressingStyle::Path) = (bucket, self.style) {
            url.push_str(bucket);
            url.push('/');
        }
        if let Some(key) = key {
            uri_encode_into(&mut url, key, true);
        }
        if !query.is_empty() {
            url.push('?');
            url.push_str(&query.to_query_string());
        }
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q() -> QueryParams {
        QueryParams::new()
    }

    #[test]
    fn ip_and_localhost_use_path_style() {
        let e = Endpoint::parse("http://127.0.0.1:9000", None).unwrap();
        assert_eq!(e.style(), AddressingStyle::Path);
        assert_eq!(
            e.url(Some("b"), Some("a b/c"), &q()),
            "http://127.0.0.1:9000/b/a%20b/c"
        );
        let e = Endpoint::parse("http://localhost:9000/", None).unwrap();
        assert_eq!(e.url(Some("b"), None, &q()), "http://localhost:9000/b/");
    }

    #[test]
    fn hostnames_use_virtual_hosted_style() {
        let e = Endpoint::parse("oss-cn-hangzhou.aliyuncs.com", None).unwrap();
        let mut query = QueryParams::new();
        query.push_flag("acl");
        assert_eq!(
            e.url(Some("examplebucket"), Some("reports/a+b c.pdf"), &query),
            "https://examplebucket.oss-cn-hangzhou.aliyuncs.com/reports/a%2Bb%20c.pdf?acl"
        );
        assert_eq!(
            e.url(None, None, &q()),
            "https://oss-cn-hangzhou.aliyuncs.com/"
        );
    }

    #[test]
    fn keys_are_sent_verbatim() {
        let e = Endpoint::parse("http://127.0.0.1:1", None).unwrap();
        assert_eq!(
            e.url(Some("b"), Some("a/./b"), &q()),
            "http://127.0.0.1:1/b/a/./b"
        );
        assert_eq!(
            e.url(Some("b"), Some("123//456"), &q()),
            "http://127.0.0.1:1/b/123//456"
        );
        let uri: Uri = e.url(Some("b"), Some("a/../b"), &q()).parse().unwrap();
        assert_eq!(uri.path(), "/b/a/../b");
    }

    #[test]
    fn cname_endpoints_name_no_bucket() {
        let e =
            Endpoint::parse("https://static.example.com", Some(AddressingStyle::Cname)).unwrap();
        let mut query = QueryParams::new();
        query.push("x-oss-process", "image/info");
        assert_eq!(
            e.url(Some("examplebucket"), Some("img/a b.png"), &query),
            "https://static.example.com/img/a%20b.png?x-oss-process=image%2Finfo"
        );
        assert_eq!(
            e.url(Some("examplebucket"), None, &q()),
            "https://static.example.com/"
        );
    }

    #[test]
    fn region_endpoints() {
        let host = |which: RegionEndpoint| which.host("cn-hangzhou");
        assert_eq!(host(RegionEndpoint::Public), "oss-cn-hangzhou.aliyuncs.com");
        assert_eq!(
            host(RegionEndpoint::Internal),
            "oss-cn-hangzhou-internal.aliyuncs.com"
        );
        assert_eq!(
            host(RegionEndpoint::Accelerate),
            "oss-accelerate.aliyuncs.com"
        );
        assert_eq!(
            host(RegionEndpoint::DualStack),
            "cn-hangzhou.oss.aliyuncs.com"
        );
        let e =
            Endpoint::for_region("cn-hangzhou", RegionEndpoint::Internal, "http", None).unwrap();
        assert!(!e.is_https());
        assert_eq!(
            e.url(Some("b"), Some("k"), &q()),
            "http://b.oss-cn-hangzhou-internal.aliyuncs.com/k"
        );
    }

    #[test]
    fn malformed_endpoints_are_rejected() {
        for bad in [
            "ftp://x",
            "http://",
            "https://host/path",
            "http://a b",
            "http://h?x=1",
            "http://u@h",
        ] {
            let e = Endpoint::parse(bad, None).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidEndpoint, "{bad}");
        }
        assert!(Endpoint::parse("http://10.0.0.1", Some(AddressingStyle::VirtualHosted)).is_err());
    }
}
