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

/// How long a self-signed certificate HQ makes is valid. Long enough that nobody renews it
/// often, short enough that a key that leaked without anyone knowing stops working one day
/// (see "Rotating HQ's certificate" in `docs/SECURITY.md`).
pub const SELF_SIGNED_VALIDITY: chrono::Duration = chrono::Duration::days(3 * 365);

/// The certificate HQ makes for itself at `now`: for loopback and the machine's `host` name,
/// named "Onsite HQ" and its host, valid from a day before `now` (a device whose clock is a
/// little behind still accepts it) for [`SELF_SIGNED_VALIDITY`].
///
/// # Errors
/// [`TlsError::Generate`] when the host name is not a valid DNS name.
pub fn self_signed_params(
    host: Option<String>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<rcgen::CertificateParams, TlsError> {
    use chrono::Datelike;
    let day = |t: chrono::DateTime<chrono::Utc>| {
        // Months and days from chrono are always in range.
        rcgen::date_time_ymd(t.year(), t.month() as u8, t.day() as u8)
    };
    let mut names = vec!["localhost".to_string(), "127.0.0.1".into(), "::1".into()];
    names.extend(host.clone());
    let mut params = rcgen::CertificateParams::new(names)?;
    params.not_before = day(now - chrono::Duration::days(1));
    params.not_after = day(now + SELF_SIGNED_VALIDITY);
    let mut name = rcgen::DistinguishedName::new();
    let host = host.as_deref().unwrap_or("localhost");
    name.push(rcgen::DnType::CommonName, format!("Onsite HQ {host}"));
    name.push(rcgen::DnType::OrganizationName, "Onsite HQ (self-signed)");
    params.distinguished_name = name;
    Ok(params)
}

/// Loads the self-signed identity from `dir`, creating it at `now` on first use. The folder
/// and both files are readable by the owner only.
///
/// # Errors
/// [`TlsError`] when the files cannot be read, written or generated.
pub fn load_or_create(
    dir: &Path,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Identity, TlsError> {
    let cert_path = dir.join("cert.pem");
    let key_path = dir.join("key.pem");
    onsite_sqlite::private::dir(dir).map_err(io(dir))?;
    if !cert_path.exists() || !key_path.exists() {
        let host = std::fs::read_to_string("/etc/hostname")
            .ok()
            .map(|h| h.trim().to_string())
            .filter(|h| !h.is_empty());
        let key = rcgen::KeyPair::generate()?;
        let cert = self_signed_params(host, now)?.self_signed(&key)?;
        write_private(&key_path, key.serialize_pem().as_bytes())?;
        write_private(&cert_path, cert.pem().as_bytes())?;
    }
    load(&cert_path, &key_path)
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), TlsError> {
    use std::io::Write;
    let mut file = onsite_sqlite::private::file_options()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
        .map_err(io(path))?;
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
        let first = load_or_create(dir.path(), chrono::Utc::now()).unwrap();
        let second = load_or_create(dir.path(), chrono::Utc::now()).unwrap();
        assert_eq!(first.fingerprint, second.fingerprint);
        assert!(first.fingerprint.starts_with("sha256:"));
        assert_eq!(first.fingerprint.len(), "sha256:".len() + 64);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            for file in ["key.pem", "cert.pem"] {
                let mode = std::fs::metadata(dir.path().join(file))
                    .unwrap()
                    .permissions()
                    .mode();
                assert_eq!(mode & 0o777, 0o600, "{file}");
            }
        }
        assert!(server_config(second).is_ok());
    }

    #[test]
    fn a_self_signed_certificate_lasts_three_years_and_names_hq() {
        let now: chrono::DateTime<chrono::Utc> = "2026-12-02T10:00:00Z".parse().unwrap();
        let params = self_signed_params(Some("hq-box".into()), now).unwrap();
        assert_eq!(params.not_before, rcgen::date_time_ymd(2026, 12, 1));
        assert_eq!(params.not_after, rcgen::date_time_ymd(2029, 12, 1));
        let cn = params
            .distinguished_name
            .get(&rcgen::DnType::CommonName)
            .unwrap();
        assert_eq!(cn, &rcgen::DnValue::Utf8String("Onsite HQ hq-box".into()));
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
