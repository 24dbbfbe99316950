//! HQ's TLS identity: a self-signed certificate made on first start (kept in the data folder)
//! or a real one given by path. Devices pin the SHA-256 fingerprint of the certificate.

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Why TLS could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// Reading or writing a certificate or key file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
    /// A PEM file held nothing usable.
    #[error("{path}: {reason}")]
    Pem {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// Generating the self-signed certificate failed.
    #[error("cannot generate a certificate: {0}")]
    Generate(#[from] rcgen::Error),
    /// rustls refused the certificate or key.
    #[error("certificate and key do not form a usable TLS identity: {0}")]
    Rustls(#[from] rustls::Error),
}

/// A certificate chain, its key, and the fingerprint devices pin.
pub struct Identity {
    /// Leaf first.
    pub chain: Vec<CertificateDer<'static>>,
    /// The leaf's private key.
    pub key: PrivateKeyDer<'static>,
    /// `sha256:<hex>` of the leaf certificate (DER).
    pub fingerprint: String,
}

/// `sha256:<lowercase hex>` of a DER certificate.
pub fn fingerprint(cert_der: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(cert_der)))
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> TlsError + '_ {
    move |source| TlsError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Loads a PEM certificate chain and private key.
///
/// # Errors
/// [`TlsError`] naming the file at fault.
pub fn load(cert_path: &Path, key_path: &Path) -> Result<Identity, TlsError> {
    let pem = |path: &Path, reason: String| TlsError::Pem {
        path: path.to_path_buf(),
        reason,
    };
    let chain = CertificateDer::pem_file_iter(cert_path)
        .map_err(|e| pem(cert_path, e.to_string()))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| pem(cert_path, e.to_string()))?;
    let leaf = chain
        .first()
        .ok_or_else(|| pem(cert_path, "no certificate found".into()))?;
    let fingerprint = fingerprint(leaf);
    let key = PrivateKeyDer::from_pem_file(key_path).map_err(|e| pem(key_path, e.to_string()))?;
    Ok(Identity {
        chain,
        key,
        fingerprint,
    })
}

/// Loads the self-signed identity from `dir`, creating it on first use. The key file is
/// readable by the owner only.
///
/// # Errors
/// [`TlsError`] when the files cannot be read, written or generated.
pub fn load_or_create(dir: &Path) -> Result<Identity, TlsError> {
    let cert_path = dir.join("cert.pem");
    let key_path = dir.join("key.pem");
    if !cert_path.exists() || !key_path.exists() {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let mut names = vec![
            "localhost".to_string(),
            "127.0.0.1".to_string(),
            "::1".to_string(),
        ];
        if let Ok(host) = std::fs::read_to_string("/etc/hostname") {
            let host = host.trim();
            if !host.is_empty() {
                names.push(host.to_string());
            }
        }
        let generated = rcgen::generate_simple_self_signed(names)?;
        write_private(&key_path, generated.signing_key.serialize_pem().as_bytes())?;
        std::fs::write(&cert_path, generated.cert.pem()).map_err(io(&cert_path))?;
    }
    load(&cert_path, &key_path)
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), TlsError> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(io(path))?;
    file.write_all(bytes).map_err(io(path))
}

/// A rustls server configuration for `identity` (TLS 1.2 and 1.3, HTTP/2 and HTTP/1.1).
///
/// # Errors
/// [`TlsError::Rustls`] when the key does not match the certificate or is unsupported.
pub fn server_config(identity: Identity) -> Result<Arc<rustls::ServerConfig>, TlsError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(identity.chain, identity.key)?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_once_then_reuses() {
        let dir = tempfile::tempdir().unwrap();
        let first = load_or_create(dir.path()).unwrap();
        let second = load_or_create(dir.path()).unwrap();
        assert_eq!(first.fingerprint, second.fingerprint);
        assert!(first.fingerprint.starts_with("sha256:"));
        assert_eq!(first.fingerprint.len(), "sha256:".len() + 64);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("key.pem"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(server_config(second).is_ok());
    }

    #[test]
    fn bad_pem_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let cert = dir.path().join("c.pem");
        std::fs::write(&cert, "not a certificate").unwrap();
        let err = load(&cert, &dir.path().join("k.pem")).err().unwrap();
        assert!(err.to_string().contains("c.pem"), "{err}");
    }
}
