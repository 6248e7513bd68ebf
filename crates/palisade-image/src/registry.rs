//! Registry pulls over the OCI distribution API, through `oci-client`. Blobs land in a
//! temporary OCI layout directory and are then read — and verified again — like any layout.

use crate::digest::Digest;
use crate::error::{ImageError, RegistryError, Result};
use crate::manifest::{
    IndexOrManifest, Platform, MT_DOCKER_LIST, MT_DOCKER_MANIFEST, MT_OCI_INDEX, MT_OCI_MANIFEST,
};
use crate::open::{resolve_oci, ResolvedImage};
use crate::store::DirStore;
use base64::Engine;
use oci_client::client::{ClientConfig, ClientProtocol};
use oci_client::errors::OciDistributionError;
use oci_client::secrets::RegistryAuth;
use oci_client::{Client, Reference};
use palisade_core::ImageRef;
use std::path::{Path, PathBuf};

type RegistryResult<T> = std::result::Result<T, RegistryError>;

#[derive(Debug, Clone, Default)]
pub struct RegistryAuthOptions {
    pub username: Option<String>,
    pub password: Option<String>,
    /// Plain HTTP (and no TLS verification) for this registry.
    pub insecure: bool,
    /// Docker config to read credentials from; default `$DOCKER_CONFIG/config.json` or
    /// `~/.docker/config.json`.
    pub docker_config: Option<PathBuf>,
}

const ACCEPTED: [&str; 4] = [
    MT_OCI_MANIFEST,
    MT_DOCKER_MANIFEST,
    MT_OCI_INDEX,
    MT_DOCKER_LIST,
];
const MAX_MANIFEST: usize = 4 << 20;

/// The reference in oci-client's terms; Docker Hub stays `docker.io`, which oci-client
/// resolves to the host that serves it.
fn oci_reference(r: &ImageRef) -> Reference {
    let (registry, repository) = (r.registry().to_string(), r.repository());
    match (r.tag(), r.digest()) {
        (Some(t), Some(d)) => {
            Reference::with_tag_and_digest(registry, repository, t.into(), d.into())
        }
        (None, Some(d)) => Reference::with_digest(registry, repository, d.into()),
        (t, None) => Reference::with_tag(registry, repository, t.unwrap_or("latest").into()),
    }
}

/// oci-client's error for `what`, sorted by what the caller can do about it.
fn distribution(what: impl Into<String>, e: OciDistributionError) -> RegistryError {
    let what = what.into();
    let message = e.to_string();
    match e {
        OciDistributionError::AuthenticationFailure(_)
        | OciDistributionError::UnauthorizedError { .. } => {
            RegistryError::Unauthorized { what, message }
        }
        OciDistributionError::ImageManifestNotFoundError(_) => {
            RegistryError::NotFound { what, message }
        }
        _ => RegistryError::Transport { what, message },
    }
}

/// Pulls `reference` (e.g. `127.0.0.1:5000/team/app:1.2`) and opens it.
pub fn pull(
    reference: &str,
    platform: Option<&Platform>,
    auth: &RegistryAuthOptions,
) -> Result<ResolvedImage> {
    let err = |source: RegistryError| ImageError::Registry {
        reference: reference.to_string(),
        source,
    };
    let parsed = oci_reference(&ImageRef::parse(reference).map_err(|e| err(e.into()))?);
    let registry = parsed.resolve_registry().to_string();
    let creds = credentials(&registry, auth).map_err(err)?;
    let config = ClientConfig {
        protocol: if auth.insecure {
            ClientProtocol::HttpsExcept(vec![registry.clone(), parsed.registry().to_string()])
        } else {
            ClientProtocol::Https
        },
        accept_invalid_certificates: auth.insecure,
        platform_resolver: None,
        ..Default::default()
    };
    let client = Client::new(config);
    let temp = tempfile::Builder::new()
        .prefix("palisade-pull-")
        .tempdir()
        .map_err(|e| ImageError::io("temporary directory", e))?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ImageError::io("tokio runtime", e))?;
    rt.block_on(fetch_all(&client, &parsed, &creds, platform, temp.path()))
        .map_err(err)?;
    let store = DirStore {
        root: temp.path().to_path_buf(),
    };
    let mut image = resolve_oci(Box::new(store), None, platform, Some(temp))?;
    image.references = vec![reference.to_string()];
    Ok(image)
}

async fn fetch_all(
    client: &Client,
    reference: &Reference,
    auth: &RegistryAuth,
    platform: Option<&Platform>,
    dir: &Path,
) -> RegistryResult<()> {
    std::fs::create_dir_all(dir.join("blobs/sha256"))
        .map_err(|e| RegistryError::io("blob directory", e))?;
    let (bytes, digest) = client
        .pull_manifest_raw(reference, auth, &ACCEPTED)
        .await
        .map_err(|e| distribution("manifest", e))?;
    let top = store_json(dir, &bytes, &digest)?;
    let doc = IndexOrManifest::parse("registry manifest", &bytes)?;
    let manifest_digest = if doc.is_index() {
        let manifests = doc.manifests.unwrap_or_default();
        let refs: Vec<_> = manifests.iter().collect();
        let chosen = crate::select::by_platform("registry index", &refs, platform)?;
        let by_digest = reference.clone_with_digest(chosen.digest.clone());
        let (mbytes, mdigest) = client
            .pull_manifest_raw(&by_digest, auth, &ACCEPTED)
            .await
            .map_err(|e| distribution(format!("manifest {}", chosen.digest), e))?;
        store_json(dir, &mbytes, &mdigest)?
    } else {
        top
    };
    let manifest_bytes = std::fs::read(dir.join(manifest_digest.blob_path()))
        .map_err(|e| RegistryError::io("manifest blob", e))?;
    let manifest = IndexOrManifest::parse("registry manifest", &manifest_bytes)?;
    let mut descs = manifest.layers.clone().unwrap_or_default();
    descs.extend(manifest.config.clone());
    for d in descs {
        let digest = Digest::parse(&d.digest)?;
        let target = dir.join(digest.blob_path());
        if target.exists() {
            continue;
        }
        let file = tokio::fs::File::create(&target)
            .await
            .map_err(|e| RegistryError::io(format!("blob {}", d.digest), e))?;
        let desc = oci_client::manifest::OciDescriptor {
            media_type: d.media_type.clone(),
            digest: d.digest.clone(),
            size: d.size,
            ..Default::default()
        };
        client
            .pull_blob(reference, &desc, file)
            .await
            .map_err(|e| distribution(format!("blob {}", d.digest), e))?;
    }
    let media_type = manifest
        .media_type
        .clone()
        .unwrap_or_else(|| MT_OCI_MANIFEST.to_string());
    let index = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": MT_OCI_INDEX,
        "manifests": [{
            "mediaType": media_type,
            "digest": manifest_digest.to_string(),
            "size": manifest_bytes.len(),
        }]
    });
    std::fs::write(dir.join("index.json"), index.to_string())
        .map_err(|e| RegistryError::io("index.json", e))?;
    std::fs::write(dir.join("oci-layout"), r#"{"imageLayoutVersion":"1.0.0"}"#)
        .map_err(|e| RegistryError::io("oci-layout", e))?;
    Ok(())
}

/// Stores a manifest as a blob after checking it against the digest the registry claims.
fn store_json(dir: &Path, bytes: &[u8], claimed: &str) -> RegistryResult<Digest> {
    if bytes.len() > MAX_MANIFEST {
        return Err(RegistryError::ManifestTooLarge {
            limit: MAX_MANIFEST,
        });
    }
    let actual = Digest::sha256_of(bytes);
    if let Ok(claimed) = Digest::parse(claimed) {
        claimed.verify("registry manifest", bytes)?;
    }
    std::fs::write(dir.join(actual.blob_path()), bytes)
        .map_err(|e| RegistryError::io("manifest blob", e))?;
    Ok(actual)
}

/// `--username/--password` first, then the docker config: a credential helper named for the
/// registry (`credHelpers`) or for every registry (`credsStore`), else its `auths` entry.
fn credentials(registry: &str, opts: &RegistryAuthOptions) -> RegistryResult<RegistryAuth> {
    if let (Some(u), Some(p)) = (&opts.username, &opts.password) {
        return Ok(RegistryAuth::Basic(u.clone(), p.clone()));
    }
    let path = opts.docker_config.clone().or_else(|| {
        std::env::var_os("DOCKER_CONFIG")
            .map(|d| PathBuf::from(d).join("config.json"))
            .or_else(|| {
                std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".docker/config.json"))
            })
    });
    let Some(path) = path.filter(|p| p.is_file()) else {
        return Ok(RegistryAuth::Anonymous);
    };
    let config_error = |message: String| RegistryError::DockerConfig {
        path: path.display().to_string(),
        message,
    };
    let text = std::fs::read_to_string(&path).map_err(|e| config_error(e.to_string()))?;
    let v: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| config_error(format!("invalid JSON: {e}")))?;
    if let Some(helper) = credential_helper(&v, registry) {
        if let Some(auth) = run_credential_helper(&helper, registry)? {
            return Ok(auth);
        }
    }
    docker_config_auth(&path.display().to_string(), &v, registry)
}

/// The helper Docker would ask for `registry`: `credHelpers` by host, else `credsStore`.
fn credential_helper(config: &serde_json::Value, registry: &str) -> Option<String> {
    let named = config
        .get("credHelpers")
        .and_then(|h| h.as_object())
        .and_then(|h| {
            h.iter()
                .find(|(k, _)| registry_host(k) == registry)
                .and_then(|(_, v)| v.as_str())
        });
    named
        .or_else(|| config.get("credsStore").and_then(|s| s.as_str()))
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        })
        .map(str::to_string)
}

fn registry_host(key: &str) -> &str {
    key.trim_start_matches("https://")
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap_or_default()
}

const HELPER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Docker's credential-helper protocol: `docker-credential-<helper> get` reads the server URL
/// on stdin and prints `{"Username": …, "Secret": …}`; a failure means "no credentials here".
fn run_credential_helper(helper: &str, registry: &str) -> RegistryResult<Option<RegistryAuth>> {
    use std::io::{Read, Write};
    let program = format!("docker-credential-{helper}");
    let helper_error = |message: String| RegistryError::CredentialHelper {
        program: program.clone(),
        message,
    };
    let server = if matches!(
        registry,
        "docker.io" | "index.docker.io" | "registry-1.docker.io"
    ) {
        "https://index.docker.io/v1/"
    } else {
        registry
    };
    let mut child = match std::process::Command::new(&program)
        .arg("get")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        Ok(c) => c,
        // Docker also carries on without a configured helper that is not installed.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(helper_error(e.to_string())),
    };
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(server.as_bytes())
            .map_err(|e| helper_error(e.to_string()))?;
    }
    // A helper waiting on a keychain prompt must not hang a CI job: give up after a while.
    let deadline = std::time::Instant::now() + HELPER_TIMEOUT;
    let status = loop {
        match child.try_wait().map_err(|e| helper_error(e.to_string()))? {
            Some(status) => break status,
            None if std::time::Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(RegistryError::CredentialHelperTimeout {
                    program,
                    seconds: HELPER_TIMEOUT.as_secs(),
                });
            }
            None => std::thread::sleep(std::time::Duration::from_millis(10)),
        }
    };
    if !status.success() {
        return Ok(None);
    }
    // The answer is a few hundred bytes: it fits the pipe, so reading after exit is safe.
    let mut stdout = Vec::new();
    if let Some(mut out) = child.stdout.take() {
        std::io::Read::take(&mut out, 1 << 20)
            .read_to_end(&mut stdout)
            .map_err(|e| helper_error(e.to_string()))?;
    }
    let v: serde_json::Value = serde_json::from_slice(&stdout)
        .map_err(|e| helper_error(format!("printed invalid JSON: {e}")))?;
    let user = v.get("Username").and_then(|u| u.as_str()).unwrap_or("");
    let secret = v.get("Secret").and_then(|s| s.as_str()).unwrap_or("");
    Ok(match (user, secret) {
        (_, "") => None,
        // An identity token rather than a password.
        ("<token>", token) => Some(RegistryAuth::Bearer(token.to_string())),
        (u, p) => Some(RegistryAuth::Basic(u.to_string(), p.to_string())),
    })
}

/// The `auths` entry for `registry` in the docker config at `path`, parsed into `v`.
pub(crate) fn docker_config_auth(
    path: &str,
    v: &serde_json::Value,
    registry: &str,
) -> RegistryResult<RegistryAuth> {
    let bad_auth = |what: &str| RegistryError::DockerConfig {
        path: path.to_string(),
        message: format!("auths.{registry}.auth is not {what}"),
    };
    let Some(auths) = v.get("auths").and_then(|a| a.as_object()) else {
        return Ok(RegistryAuth::Anonymous);
    };
    let docker_hub = matches!(
        registry,
        "docker.io" | "index.docker.io" | "registry-1.docker.io"
    );
    let entry = auths.iter().find(|(k, _)| {
        let host = registry_host(k);
        host == registry || (docker_hub && host.ends_with("docker.io"))
    });
    let Some((_, entry)) = entry else {
        return Ok(RegistryAuth::Anonymous);
    };
    if let Some(token) = entry.get("registrytoken").and_then(|t| t.as_str()) {
        return Ok(RegistryAuth::Bearer(token.to_string()));
    }
    if let Some(auth) = entry.get("auth").and_then(|a| a.as_str()) {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(auth.trim())
            .map_err(|_| bad_auth("base64"))?;
        let decoded = String::from_utf8(decoded).map_err(|_| bad_auth("UTF-8"))?;
        let (u, p) = decoded
            .split_once(':')
            .ok_or_else(|| bad_auth("user:password"))?;
        return Ok(RegistryAuth::Basic(u.to_string(), p.to_string()));
    }
    if let (Some(u), Some(p)) = (
        entry.get("username").and_then(|u| u.as_str()),
        entry.get("password").and_then(|p| p.as_str()),
    ) {
        return Ok(RegistryAuth::Basic(u.to_string(), p.to_string()));
    }
    Ok(RegistryAuth::Anonymous)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docker_config_auth(text: &str, registry: &str) -> RegistryResult<RegistryAuth> {
        super::docker_config_auth(
            "config.json",
            &serde_json::from_str(text).unwrap(),
            registry,
        )
    }

    #[test]
    fn docker_config_basic_auth() {
        let cfg = r#"{"auths":{"127.0.0.1:5000":{"auth":"YWxpY2U6czNjcmV0"}}}"#;
        match docker_config_auth(cfg, "127.0.0.1:5000").unwrap() {
            RegistryAuth::Basic(u, p) => assert_eq!((u.as_str(), p.as_str()), ("alice", "s3cret")),
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(
            docker_config_auth(cfg, "ghcr.io").unwrap(),
            RegistryAuth::Anonymous
        ));
        assert!(matches!(
            docker_config_auth(r#"{"auths":{"r.io":{"auth":"!!"}}}"#, "r.io"),
            Err(RegistryError::DockerConfig { .. })
        ));
    }

    #[test]
    fn helper_choice_follows_docker() {
        let cfg: serde_json::Value = serde_json::from_str(
            r#"{"credsStore":"desktop","credHelpers":{"https://ghcr.io":"gh","r.io":"../evil"}}"#,
        )
        .unwrap();
        assert_eq!(credential_helper(&cfg, "ghcr.io").as_deref(), Some("gh"));
        assert_eq!(
            credential_helper(&cfg, "quay.io").as_deref(),
            Some("desktop")
        );
        // A helper name is a program-name suffix, never a path.
        assert_eq!(credential_helper(&cfg, "r.io"), None);
        let none: serde_json::Value = serde_json::from_str(r#"{"auths":{}}"#).unwrap();
        assert_eq!(credential_helper(&none, "r.io"), None);
    }

    #[test]
    fn references_reach_oci_client_with_docker_defaults() {
        let r = oci_reference(&ImageRef::parse("nginx").unwrap());
        assert_eq!(
            (r.registry(), r.repository(), r.tag()),
            ("docker.io", "library/nginx", Some("latest"))
        );
        assert_eq!(r.resolve_registry(), "index.docker.io");
        let sha = format!("sha256:{}", "0".repeat(64));
        let r = oci_reference(&ImageRef::parse(&format!("127.0.0.1:5000/team/app@{sha}")).unwrap());
        assert_eq!(
            (r.registry(), r.repository(), r.tag(), r.digest()),
            ("127.0.0.1:5000", "team/app", None, Some(sha.as_str()))
        );
    }
}
