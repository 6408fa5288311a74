//! HTTPS for every listener: a rustls server configuration from a PEM certificate chain and
//! private key, with the `ring` provider passed explicitly (no process-wide provider).

use std::io;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;

/// A TLS acceptor for `cert_chain_pem` (leaf first) and `private_key_pem` (PKCS#8, PKCS#1 or
/// SEC1). HTTP/1.1 is offered through ALPN.
///
/// # Errors
/// `InvalidInput` when the PEM holds no certificate or no usable key.
pub(crate) fn acceptor(cert_chain_pem: &[u8], private_key_pem: &[u8]) -> io::Result<TlsAcceptor> {
    let invalid = |what: String| io::Error::new(io::ErrorKind::InvalidInput, what);
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(cert_chain_pem)
        .collect::<Result<_, _>>()
        .map_err(|e| invalid(format!("TLS certificate PEM: {e}")))?;
    if certs.is_empty() {
        return Err(invalid("TLS certificate PEM holds no certificate".into()));
    }
    let key = PrivateKeyDer::from_pem_slice(private_key_pem)
        .map_err(|e| invalid(format!("TLS private key PEM: {e}")))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| invalid(format!("TLS configuration: {e}")))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| invalid(format!("TLS certificate/key: {e}")))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}
