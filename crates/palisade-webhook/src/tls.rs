//! TLS with certificates that change under a running server. cert-manager and Secret volume
//! updates replace `tls.crt`/`tls.key` in place (a symlink swap for projected volumes); the
//! server picks the new pair up within two poll intervals without dropping a connection:
//! rustls asks [`ReloadingResolver`] for a certificate at each handshake, so a swap affects new
//! handshakes only and established connections keep the keys they negotiated with.
//!
//! Polling (mtime, size, inode) rather than inotify: it sees through symlink swaps, works on
//! every filesystem a Secret can be mounted from, and costs two `stat` calls a second.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use arc_swap::ArcSwap;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;

use crate::x509::{self, Validity};
use crate::WebhookError;

/// The crypto provider: aws-lc-rs, the one reqwest already links, named explicitly so that a
/// binary with both providers compiled in never depends on a process-wide default.
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// A rustls server configuration: TLS 1.2 and 1.3, ALPN `h2` then `http/1.1`, certificates
/// from `store`.
pub fn server_config(store: &Arc<CertStore>) -> Result<rustls::ServerConfig, WebhookError> {
    let mut cfg = rustls::ServerConfig::builder_with_provider(store.provider.clone())
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])?
        .with_no_client_auth()
        .with_cert_resolver(Arc::new(ReloadingResolver(store.clone())));
    cfg.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(cfg)
}

/// The certificate being served, and what is needed to replace it.
#[derive(Debug)]
pub struct CertStore {
    cert_path: PathBuf,
    key_path: PathBuf,
    provider: Arc<CryptoProvider>,
    current: ArcSwap<Loaded>,
    watch: Mutex<WatchState>,
    reloads_ok: AtomicU64,
    reloads_failed: AtomicU64,
}

#[derive(Debug)]
struct Loaded {
    key: Arc<CertifiedKey>,
    validity: Option<Validity>,
}

/// What the files looked like at the last poll and at the last load attempt.
#[derive(Debug, Default)]
struct WatchState {
    polled: Option<FileSig>,
    attempted: Option<FileSig>,
}

type FileSig = [(Option<SystemTime>, u64, u64); 2];

impl CertStore {
    /// Loads the pair; a server must not start without a certificate.
    pub fn load(cert_path: &Path, key_path: &Path) -> Result<Arc<Self>, WebhookError> {
        let provider = provider();
        let sig = file_sig(cert_path, key_path);
        let loaded = load_pair(cert_path, key_path, &provider)?;
        Ok(Arc::new(CertStore {
            cert_path: cert_path.to_path_buf(),
            key_path: key_path.to_path_buf(),
            provider,
            current: ArcSwap::from_pointee(loaded),
            watch: Mutex::new(WatchState {
                polled: Some(sig),
                attempted: Some(sig),
            }),
            reloads_ok: AtomicU64::new(0),
            reloads_failed: AtomicU64::new(0),
        }))
    }

    /// One poll: reloads when the files changed and have stayed unchanged for a poll interval
    /// (so a cert written before its key is not read as a mismatched pair). A pair that does
    /// not load keeps the current one and is reported once. Returns whether it swapped.
    pub fn poll(&self) -> bool {
        let sig = file_sig(&self.cert_path, &self.key_path);
        let Ok(mut watch) = self.watch.lock() else {
            return false;
        };
        if watch.polled != Some(sig) {
            watch.polled = Some(sig);
            return false;
        }
        if watch.attempted == Some(sig) {
            return false;
        }
        watch.attempted = Some(sig);
        drop(watch);
        match load_pair(&self.cert_path, &self.key_path, &self.provider) {
            Ok(loaded) if loaded.validity.is_some_and(|v| v.not_after <= unix_now()) => {
                self.reloads_failed.fetch_add(1, Ordering::Relaxed);
                eprintln!(
                    "palisade-webhook: new certificate {} has expired; keeping the previous one",
                    self.cert_path.display()
                );
                false
            }
            Ok(loaded) => {
                self.current.store(Arc::new(loaded));
                self.reloads_ok.fetch_add(1, Ordering::Relaxed);
                eprintln!(
                    "palisade-webhook: reloaded TLS certificate {}",
                    self.cert_path.display()
                );
                true
            }
            Err(e) => {
                self.reloads_failed.fetch_add(1, Ordering::Relaxed);
                eprintln!("palisade-webhook: {e}; keeping the previous certificate");
                false
            }
        }
    }

    /// Polls every `interval` until the task is dropped.
    pub async fn watch(self: Arc<Self>, interval: Duration) {
        let mut tick = tokio::time::interval(interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            self.poll();
        }
    }

    /// `Ok` while the served certificate is within its validity period (for `/readyz`).
    pub fn check_valid(&self) -> Result<(), String> {
        let now = unix_now();
        match self.current.load().validity {
            None => Err("certificate validity unreadable".into()),
            Some(v) if now < v.not_before => Err("certificate not yet valid".into()),
            Some(v) if now >= v.not_after => Err("certificate expired".into()),
            Some(_) => Ok(()),
        }
    }

    /// Seconds since the epoch at which the served certificate expires, if readable.
    pub fn not_after(&self) -> Option<i64> {
        self.current.load().validity.map(|v| v.not_after)
    }

    /// (successful, failed) reloads since start.
    pub fn reload_counts(&self) -> (u64, u64) {
        (
            self.reloads_ok.load(Ordering::Relaxed),
            self.reloads_failed.load(Ordering::Relaxed),
        )
    }
}

/// Hands every handshake the current certificate (SNI is not consulted: one webhook, one
/// Service, one certificate).
#[derive(Debug)]
pub struct ReloadingResolver(Arc<CertStore>);

impl ResolvesServerCert for ReloadingResolver {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.0.current.load().key.clone())
    }
}

fn load_pair(cert: &Path, key: &Path, provider: &CryptoProvider) -> Result<Loaded, WebhookError> {
    let fail = |reason: String| WebhookError::Certificate {
        cert: cert.to_path_buf(),
        key: key.to_path_buf(),
        reason,
    };
    let cert_pem = fs::read(cert).map_err(|e| fail(format!("reading certificate: {e}")))?;
    let key_pem = fs::read(key).map_err(|e| fail(format!("reading key: {e}")))?;
    let chain = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| fail(format!("certificate PEM: {e}")))?;
    let leaf = chain
        .first()
        .ok_or_else(|| fail("no CERTIFICATE block in the certificate file".into()))?;
    let validity = x509::validity(leaf);
    let key_der =
        PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| fail(format!("key PEM: {e}")))?;
    let key = CertifiedKey::from_der(chain, key_der, provider)
        .map_err(|e| fail(format!("key does not fit the certificate: {e}")))?;
    Ok(Loaded {
        key: Arc::new(key),
        validity,
    })
}

fn file_sig(cert: &Path, key: &Path) -> FileSig {
    [one_sig(cert), one_sig(key)]
}

fn one_sig(path: &Path) -> (Option<SystemTime>, u64, u64) {
    match fs::metadata(path) {
        Ok(m) => {
            #[cfg(unix)]
            let ino = std::os::unix::fs::MetadataExt::ino(&m);
            #[cfg(not(unix))]
            let ino = 0;
            (m.modified().ok(), m.len(), ino)
        }
        Err(_) => (None, 0, 0),
    }
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcgen::{date_time_ymd, CertificateParams, KeyPair};

    fn write_pair(dir: &Path, name: &str, expired: bool) -> (PathBuf, PathBuf) {
        let key = KeyPair::generate().expect("key");
        let mut params = CertificateParams::new(vec!["x.svc".to_string()]).expect("params");
        if expired {
            params.not_before = date_time_ymd(2000, 1, 1);
            params.not_after = date_time_ymd(2001, 1, 1);
        }
        let cert = params.self_signed(&key).expect("cert");
        let (c, k) = (
            dir.join(format!("{name}.crt")),
            dir.join(format!("{name}.key")),
        );
        fs::write(&c, cert.pem()).expect("write");
        fs::write(&k, key.serialize_pem()).expect("write");
        (c, k)
    }

    #[test]
    fn expired_certificates() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (c, k) = write_pair(dir.path(), "old", true);
        let store = CertStore::load(&c, &k).expect("an expired pair still loads");
        assert_eq!(store.check_valid(), Err("certificate expired".into()));
        assert_eq!(store.not_after(), Some(978_307_200));

        let (c, k) = write_pair(dir.path(), "good", false);
        let store = CertStore::load(&c, &k).expect("load");
        assert_eq!(store.check_valid(), Ok(()));
        // An expired replacement is refused; the second poll is the one that tries it.
        let (ec, ek) = write_pair(dir.path(), "expired", true);
        fs::copy(&ec, &c).expect("copy");
        fs::copy(&ek, &k).expect("copy");
        assert!(!store.poll());
        assert!(!store.poll());
        assert_eq!(store.reload_counts(), (0, 1));
        assert_eq!(store.check_valid(), Ok(()));
        // A missing key file is refused too, and not retried until the files change again.
        fs::remove_file(&k).expect("rm");
        assert!(!store.poll() && !store.poll() && !store.poll());
        assert_eq!(store.reload_counts(), (0, 2));
    }
}
