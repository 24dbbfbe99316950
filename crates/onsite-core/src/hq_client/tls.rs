//! How the device decides to trust HQ's certificate: the pinned fingerprint if one is set
//! (self-signed HQ), otherwise the operating system's trust store.

use crate::fingerprint::Fingerprint;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, Error, SignatureScheme};
use std::sync::{Arc, Mutex};

/// The fingerprint of the last certificate HQ presented, so a failed connection can say what
/// was offered instead of the pinned one, and a first contact can show it for confirmation.
#[derive(Clone, Debug, Default)]
pub struct Presented(Arc<Mutex<Option<Fingerprint>>>);

impl Presented {
    /// The last certificate seen, if any.
    pub fn get(&self) -> Option<Fingerprint> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn set(&self, fp: Fingerprint) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(fp);
    }
}

#[derive(Debug)]
struct HqVerifier {
    pin: Option<Fingerprint>,
    roots: Option<Arc<dyn ServerCertVerifier>>,
    provider: Arc<CryptoProvider>,
    presented: Presented,
}

impl ServerCertVerifier for HqVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        let fp = Fingerprint::of(end_entity);
        self.presented.set(fp);
        match (&self.pin, &self.roots) {
            // A pinned certificate is trusted as is: name and dates are what pinning replaces.
            (Some(pin), _) if *pin == fp => Ok(ServerCertVerified::assertion()),
            (Some(_), _) => Err(Error::General("certificate fingerprint mismatch".into())),
            (None, Some(roots)) => {
                roots.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            }
            (None, None) => Err(Error::General("no trust store available".into())),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// A rustls client configuration that trusts `pin` if given, else the system roots; every
/// presented certificate is recorded in `presented`.
pub fn client_config(pin: Option<Fingerprint>, presented: Presented) -> rustls::ClientConfig {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let roots = match pin {
        Some(_) => None,
        None => rustls_platform_verifier::Verifier::new(provider.clone())
            .ok()
            .map(|v| Arc::new(v) as Arc<dyn ServerCertVerifier>),
    };
    let verifier = Arc::new(HqVerifier {
        pin,
        roots,
        provider: provider.clone(),
        presented,
    });
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        // The ring provider supports the default versions; failing here is a build defect.
        .expect("ring supports TLS 1.2 and 1.3")
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    config
}
