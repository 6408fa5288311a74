//! PutBucketHttpsConfig validation: `HttpsConfiguration{TLS{Enable, TLSVersion*},
//! CipherSuite?{Enable, …}}` with each `Enable` `true` or `false` (else 400 `MalformedXML`) and each `TLSVersion` one of
//! `TLSv1.0`…`TLSv1.3`; an enabled setting without a version, or an unknown version, is
//! 400 `InvalidArgument`. A get before any put answers `Enable` `false`. Only stored: the
//! emulator's TLS listener accepts what rustls accepts.

use super::{Absent, Family, invalid, one_of};
use crate::error::OssError;
use crate::handlers::Ctx;
use crate::handlers::xml_body::{self, malformed};

pub(crate) const FAMILY: Family = Family {
    validate,
    absent: Absent::Default(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HttpsConfiguration><TLS><Enable>false</Enable></TLS></HttpsConfiguration>",
    ),
    json: false,
};

/// The TLS versions OSS knows.
const VERSIONS: [&str; 4] = ["TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

fn validate(_: &Ctx<'_>, body: &[u8]) -> Result<(), OssError> {
    let doc = xml_body::parse(body, "HttpsConfiguration")?;
    let tls = doc.child("TLS").ok_or_else(malformed)?;
    let enable = one_of(tls, "Enable", &["true", "false"])?;
    if let Some(suites) = doc.child("CipherSuite") {
        one_of(suites, "Enable", &["true", "false"])?;
    }
    let mut versions = tls.children("TLSVersion").map(|v| v.text.trim()).peekable();
    if enable == "true" && versions.peek().is_none() {
        return Err(invalid(
            "An enabled TLS setting needs at least one TLSVersion.",
            "TLSVersion",
            "",
        ));
    }
    match versions.find(|v| !VERSIONS.contains(v)) {
        Some(v) => Err(invalid("Unknown TLS version.", "TLSVersion", v)),
        None => Ok(()),
    }
}
