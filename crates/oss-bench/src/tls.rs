//! HTTPS to the emulator (`--tls`): the emulator's test certificate for `127.0.0.1`, signed by
//! its throwaway test CA (`crates/oss-emulator/tests/data/tls/`, made with openssl as its
//! README says, valid for 100 years), and the roots both ours and raw hyper trust.
//!
//! Raw hyper's connector comes from [`oss_auth::http_client::https_connector`], the function
//! oss-client's transport builds its own with: the same rustls `ClientConfig` (the `ring`
//! provider, the safe default protocol versions, these roots), so the floor and ours differ
//! only in the SDK's own work.

use std::time::Duration;

use hyper_rustls::HttpsConnector;
use oss_auth::http_client::RootCertificates;
use oss_auth::proxy::ProxyConnector;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject as _;

/// The server certificate (PEM) the emulator serves, for `localhost`, `127.0.0.1` and `::1`.
pub(crate) const CERT_PEM: &[u8] = include_bytes!("../../oss-emulator/tests/data/tls/cert.pem");
/// Its private key (PEM, P-256); a throwaway test key, published with the emulator's tests.
pub(crate) const KEY_PEM: &[u8] = include_bytes!("../../oss-emulator/tests/data/tls/key.pem");
/// The test CA (PEM) that signed [`CERT_PEM`].
const CA_PEM: &[u8] = include_bytes!("../../oss-emulator/tests/data/tls/ca.pem");

/// The roots every client of a run trusts: the test CA alone.
pub(crate) fn roots() -> Result<RootCertificates, String> {
    let ca = CertificateDer::from_pem_slice(CA_PEM).map_err(|e| format!("test CA PEM: {e}"))?;
    Ok(RootCertificates::Custom(vec![ca.as_ref().to_vec()]))
}

/// The connector raw hyper uses: exactly the SDK's (`https_connector`, https or http by the
/// URI's scheme, TCP_NODELAY, a 5 s connect timeout as the SDK's default).
pub(crate) fn connector() -> Result<HttpsConnector<ProxyConnector>, String> {
    oss_auth::http_client::https_connector(
        &roots()?,
        Duration::from_secs(5),
        &oss_auth::proxy::Proxies::none(),
    )
    .map_err(|e| format!("raw hyper TLS connector: {e}"))
}

/// Writes the certificate and key where the emulator binary can read them
/// (`--tls-cert`/`--tls-key`): `(cert, key)` paths in `dir`.
pub(crate) fn write_files(
    dir: &std::path::Path,
) -> Result<(std::path::PathBuf, std::path::PathBuf), String> {
    let tag = std::process::id();
    let cert = dir.join(format!("oss-bench-{tag}-cert.pem"));
    let key = dir.join(format!("oss-bench-{tag}-key.pem"));
    std::fs::write(&cert, CERT_PEM).map_err(|e| format!("{}: {e}", cert.display()))?;
    std::fs::write(&key, KEY_PEM).map_err(|e| format!("{}: {e}", key.display()))?;
    Ok((cert, key))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_test_ca_is_one_der_root() {
        match super::roots().unwrap() {
            oss_auth::http_client::RootCertificates::Custom(certs) => {
                assert_eq!(certs.len(), 1);
                // A DER SEQUENCE with a two-byte length.
                assert_eq!(&certs[0][..2], &[0x30, 0x82]);
            }
            other => panic!("expected the test CA, got {other:?}"),
        }
    }

    #[test]
    fn the_connector_builds_with_the_test_ca() {
        super::connector().unwrap();
    }

    /// `--tls --in-process`: the emulator serves HTTPS, and ours and raw hyper each write an
    /// object the other reads back, byte for byte, over it.
    #[tokio::test]
    async fn ours_and_raw_talk_https_to_the_emulator() {
        use clap::Parser as _;
        let args = crate::Args::parse_from(["oss-bench", "--tls", "--in-process"]);
        let server = crate::server::Server::start(&args).await.unwrap();
        assert!(server.tls);
        assert!(
            server.endpoint.starts_with("https://127.0.0.1:"),
            "{}",
            server.endpoint
        );
        let ctx = crate::clients::Ctx::new(&args, &server, false)
            .await
            .unwrap();
        let data = bytes::Bytes::from(oss_bench::payload(5000));

        crate::clients::ours_put(&ctx, "by-ours", data.clone())
            .await
            .unwrap();
        let signed = ctx
            .raw
            .presign(&http::Method::GET, &ctx.bucket, "by-ours")
            .unwrap();
        let read = ctx
            .raw
            .get_presigned(&ctx.bucket, "by-ours", signed.as_ref())
            .await
            .unwrap();
        assert_eq!(read, 5000);

        let signed = ctx
            .raw
            .presign(&http::Method::PUT, &ctx.bucket, "by-raw")
            .unwrap();
        ctx.raw
            .put_presigned(&ctx.bucket, "by-raw", signed.as_ref(), data.clone())
            .await
            .unwrap();
        let out = ctx
            .ours
            .get_object()
            .bucket(&ctx.bucket)
            .key("by-raw")
            .send()
            .await
            .unwrap();
        assert_eq!(out.body.collect().await.unwrap(), data);
        server.stop();
    }

    #[tokio::test]
    async fn a_plain_endpoint_is_refused_with_tls() {
        use clap::Parser as _;
        let args =
            crate::Args::parse_from(["oss-bench", "--tls", "--endpoint", "http://127.0.0.1:9"]);
        let err = crate::server::Server::start(&args).await.err().unwrap();
        assert!(err.contains("https://"), "{err}");
    }
}
