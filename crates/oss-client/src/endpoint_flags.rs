//! The builder's endpoint settings (explicit endpoint, region endpoint flags, TLS, CNAME,
//! addressing style), checked against each other and turned into an [`Endpoint`].

use crate::endpoint::{AddressingStyle, Endpoint, RegionEndpoint};
use crate::error::{Error, ErrorKind};

/// What a [`ClientBuilder`](crate::ClientBuilder) was told about the endpoint.
#[derive(Debug, Clone, Default)]
pub(crate) struct EndpointFlags {
    pub(crate) endpoint: Option<String>,
    pub(crate) addressing_style: Option<AddressingStyle>,
    pub(crate) use_internal: bool,
    pub(crate) use_accelerate: bool,
    pub(crate) use_dual_stack: bool,
    pub(crate) disable_ssl: bool,
    pub(crate) use_cname: bool,
}

impl EndpointFlags {
    /// The endpoint of a client in `region`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidEndpoint`] for a malformed endpoint or contradictory settings: more
    /// than one of internal, accelerate and dual-stack; any of them beside an explicit
    /// endpoint; `disable_ssl` with an `https://` endpoint; `use_cname` without an endpoint or
    /// with another addressing style.
    pub(crate) fn resolve(&self, region: &str) -> Result<Endpoint, Error> {
        let style = self.style()?;
        let scheme = if self.disable_ssl { "http" } else { "https" };
        let which = self.region_endpoint()?;
        let Some(endpoint) = &self.endpoint else {
            if self.use_cname {
                return Err(contradiction(
                    "use_cname needs the custom domain as the endpoint",
                ));
            }
            return Endpoint::for_region(region, which, scheme, style);
        };
        if which != RegionEndpoint::Public {
            return Err(contradiction(
                "the internal, accelerate and dual-stack flags choose a region's endpoint; \
                 they cannot be combined with an explicit endpoint",
            ));
        }
        if !endpoint.contains("://") {
            return Endpoint::parse(&format!("{scheme}://{endpoint}"), style);
        }
        let parsed = Endpoint::parse(endpoint, style)?;
        if self.disable_ssl && parsed.is_https() {
            return Err(contradiction(&format!(
                "disable_ssl contradicts the https endpoint {endpoint:?}"
            )));
        }
        Ok(parsed)
    }

    fn style(&self) -> Result<Option<AddressingStyle>, Error> {
        match (self.use_cname, self.addressing_style) {
            (false, style) => Ok(style),
            (true, None | Some(AddressingStyle::Cname)) => Ok(Some(AddressingStyle::Cname)),
            (true, Some(other)) => Err(contradiction(&format!(
                "use_cname contradicts the addressing style {other:?}"
            ))),
        }
    }

    fn region_endpoint(&self) -> Result<RegionEndpoint, Error> {
        let chosen: Vec<(&str, RegionEndpoint)> = [
            (
                self.use_internal,
                "use_internal_endpoint",
                RegionEndpoint::Internal,
            ),
            (
                self.use_accelerate,
                "use_accelerate_endpoint",
                RegionEndpoint::Accelerate,
            ),
            (
                self.use_dual_stack,
                "use_dual_stack_endpoint",
                RegionEndpoint::DualStack,
            ),
        ]
        .into_iter()
        .filter(|(set, _, _)| *set)
        .map(|(_, name, which)| (name, which))
        .collect();
        match chosen.as_slice() {
            [] => Ok(RegionEndpoint::Public),
            [(_, which)] => Ok(*which),
            [(first, _), (second, _), ..] => Err(contradiction(&format!(
                "{first} and {second} cannot both be set: each chooses a different endpoint"
            ))),
        }
    }
}

fn contradiction(why: &str) -> Error {
    Error::new(ErrorKind::InvalidEndpoint, why.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(flags: &EndpointFlags) -> String {
        let query = oss_auth::sign::QueryParams::new();
        flags
            .resolve("cn-hangzhou")
            .unwrap()
            .url(Some("b"), Some("k"), &query)
    }

    #[test]
    fn flags_choose_the_region_endpoint() {
        let mut flags = EndpointFlags::default();
        assert_eq!(url(&flags), "https://b.oss-cn-hangzhou.aliyuncs.com/k");
        flags.use_internal = true;
        assert_eq!(
            url(&flags),
            "https://b.oss-cn-hangzhou-internal.aliyuncs.com/k"
        );
        flags.disable_ssl = true;
        assert_eq!(
            url(&flags),
            "http://b.oss-cn-hangzhou-internal.aliyuncs.com/k"
        );
        let flags = EndpointFlags {
            use_accelerate: true,
            ..EndpointFlags::default()
        };
        assert_eq!(url(&flags), "https://b.oss-accelerate.aliyuncs.com/k");
        let flags = EndpointFlags {
            use_dual_stack: true,
            addressing_style: Some(AddressingStyle::Path),
            ..EndpointFlags::default()
        };
        assert_eq!(url(&flags), "https://cn-hangzhou.oss.aliyuncs.com/b/k");
    }

    #[test]
    fn disable_ssl_applies_to_a_bare_host() {
        let flags = EndpointFlags {
            endpoint: Some("static.example.com".into()),
            disable_ssl: true,
            use_cname: true,
            ..EndpointFlags::default()
        };
        assert_eq!(url(&flags), "http://static.example.com/k");
    }

    #[test]
    fn contradictions_are_refused() {
        let cases = [
            EndpointFlags {
                use_internal: true,
                use_accelerate: true,
                ..EndpointFlags::default()
            },
            EndpointFlags {
                use_accelerate: true,
                use_dual_stack: true,
                ..EndpointFlags::default()
            },
            EndpointFlags {
                endpoint: Some("https://oss-cn-beijing.aliyuncs.com".into()),
                use_internal: true,
                ..EndpointFlags::default()
            },
            EndpointFlags {
                endpoint: Some("https://oss-cn-beijing.aliyuncs.com".into()),
                disable_ssl: true,
                ..EndpointFlags::default()
            },
            EndpointFlags {
                use_cname: true,
                ..EndpointFlags::default()
            },
            EndpointFlags {
                endpoint: Some("static.example.com".into()),
                use_cname: true,
                addressing_style: Some(AddressingStyle::Path),
                ..EndpointFlags::default()
            },
        ];
        for flags in cases {
            let e = flags.resolve("cn-hangzhou").unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidEndpoint, "{flags:?}");
        }
        let e = EndpointFlags {
            use_internal: true,
            use_dual_stack: true,
            ..EndpointFlags::default()
        }
        .resolve("cn-hangzhou")
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("use_internal_endpoint and use_dual_stack_endpoint"),
            "{e}"
        );
    }
}
