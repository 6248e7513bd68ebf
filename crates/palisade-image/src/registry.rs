//! Registry pulls over the OCI distribution API, through `oci-client`. Blobs land in a
//! temporary OCI layout directory and are then read — and verified again — like any layout.

use crate::digest::{Digest, Hasher};
use crate::error::{ImageError, RegistryError, Result};
use crate::manifest::{
    IndexOrManifest, Platform, MT_DOCKER_LIST, MT_DOCKER_MANIFEST, MT_OCI_INDEX, MT_OCI_MANIFEST,
};
use crate::open::{resolve_oci, ResolvedImage};
use crate::store::DirStore;
use base64::Engine;
use palisade_core::ImageRef;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

type RegistryResult<T> = std::result::Result<T, RegistryError>;

// Pushes, tags and referrers for signing: a child module so it shares the session's
// challenge handling without widening its visibility.
#[path = "registry_push.rs"]
mod push;
pub use push::{PushedManifest, RegistryClient};

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

/// Credentials for one registry, as the docker config or the command line gave them.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum RegistryAuth {
    Anonymous,
    Basic(String, String),
    /// An identity or registry token, sent as it is.
    Bearer(String),
}

impl std::fmt::Debug for RegistryAuth {
    // Never print a credential, not even in a debug dump.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RegistryAuth::Anonymous => f.write_str("Anonymous"),
            RegistryAuth::Basic(u, _) => write!(f, "Basic({u:?}, <redacted>)"),
            RegistryAuth::Bearer(_) => f.write_str("Bearer(<redacted>)"),
        }
    }
}

const ACCEPTED: [&str; 4] = [
    MT_OCI_MANIFEST,
    MT_DOCKER_MANIFEST,
    MT_OCI_INDEX,
    MT_DOCKER_LIST,
];
/// Largest manifest or index accepted; real ones are a few KiB.
const MAX_MANIFEST: u64 = 4 << 20;
/// Largest token-service answer; real ones are a few KiB of JWT.
const MAX_TOKEN_RESPONSE: u64 = 1 << 20;
/// Largest blob a descriptor may declare (compressed bytes); the layer reader caps what
/// it inflates to far below what a larger blob could hold.
const MAX_BLOB: u64 = 16 << 30;
/// The host that serves Docker Hub's registry API, and the names Docker Hub goes by.
const DOCKER_HUB_API: &str = "registry-1.docker.io";
const DOCKER_HUB_HOSTS: [&str; 3] = ["docker.io", "index.docker.io", "registry-1.docker.io"];

fn is_docker_hub(host: &str) -> bool {
    DOCKER_HUB_HOSTS.contains(&host)
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
    let parsed = ImageRef::parse(reference).map_err(|e| err(e.into()))?;
    // Docker keys Docker Hub credentials by `index.docker.io`; other registries by host.
    let cred_host = if parsed.is_docker_hub() {
        "index.docker.io".to_string()
    } else {
        parsed.registry().to_string()
    };
    let creds = credentials(&cred_host, auth).map_err(err)?;
    let temp = tempfile::Builder::new()
        .prefix("palisade-pull-")
        .tempdir()
        .map_err(|e| ImageError::io("temporary directory", e))?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ImageError::io("tokio runtime", e))?;
    rt.block_on(async {
        let mut session = Session::new(&parsed, creds, auth.insecure)?;
        session.fetch_all(&parsed, platform, temp.path()).await
    })
    .map_err(err)?;
    let store = DirStore {
        root: temp.path().to_path_buf(),
    };
    let mut image = resolve_oci(Box::new(store), None, platform, Some(temp))?;
    image.references = vec![reference.to_string()];
    Ok(image)
}

/// One pull from one repository: the HTTP client, where the registry is, and the
/// `Authorization` value earned from its challenge.
struct Session {
    http: reqwest::Client,
    /// `https://host[:port]` (or `http://` with `--insecure`).
    base: String,
    repository: String,
    insecure: bool,
    creds: RegistryAuth,
    authorization: Option<String>,
    /// The token scope's actions: `pull`, or `pull,push` for a client that writes.
    actions: &'static str,
}

impl Session {
    fn new(r: &ImageRef, creds: RegistryAuth, insecure: bool) -> RegistryResult<Session> {
        let host = if r.is_docker_hub() {
            DOCKER_HUB_API
        } else {
            r.registry()
        };
        let scheme = if insecure { "http" } else { "https" };
        let http = reqwest::Client::builder()
            .danger_accept_invalid_certs(insecure)
            .https_only(!insecure)
            .redirect(redirect_policy(insecure))
            .connect_timeout(Duration::from_secs(30))
            .read_timeout(Duration::from_secs(120))
            .user_agent(concat!("palisade/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| transport("HTTP client", &e))?;
        Ok(Session {
            http,
            base: format!("{scheme}://{host}"),
            repository: r.repository(),
            insecure,
            creds,
            authorization: None,
            actions: "pull",
        })
    }

    async fn fetch_all(
        &mut self,
        r: &ImageRef,
        platform: Option<&Platform>,
        dir: &Path,
    ) -> RegistryResult<()> {
        std::fs::create_dir_all(dir.join("blobs/sha256"))
            .map_err(|e| RegistryError::io("blob directory", e))?;
        let wanted = match (r.digest(), r.effective_tag()) {
            (Some(d), _) => d.to_string(),
            (None, Some(t)) => t.to_string(),
            (None, None) => "latest".to_string(),
        };
        let (bytes, claimed) = self.manifest(&wanted).await?;
        let top = store_json(dir, &bytes, claimed.as_deref(), r.digest())?;
        let doc = IndexOrManifest::parse("registry manifest", &bytes)?;
        let (manifest_digest, manifest_bytes) = if doc.is_index() {
            let manifests = doc.manifests.unwrap_or_default();
            let refs: Vec<_> = manifests.iter().collect();
            let chosen = crate::select::by_platform("registry index", &refs, platform)?;
            let chosen_digest = Digest::parse(&chosen.digest)?;
            let (mbytes, mclaimed) = self.manifest(&chosen_digest.to_string()).await?;
            let d = store_json(
                dir,
                &mbytes,
                mclaimed.as_deref(),
                Some(&chosen_digest.to_string()),
            )?;
            (d, mbytes)
        } else {
            (top, bytes)
        };
        let manifest = IndexOrManifest::parse("registry manifest", &manifest_bytes)?;
        let mut descs = manifest.layers.clone().unwrap_or_default();
        descs.extend(manifest.config.clone());
        for d in descs {
            let digest = Digest::parse(&d.digest)?;
            let target = dir.join(digest.blob_path());
            if target.exists() {
                continue;
            }
            self.blob(&digest, d.size, &target).await?;
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

    /// GET with the session's authorization (see `request`).
    async fn get(
        &mut self,
        what: &str,
        url: &str,
        accept: &str,
    ) -> RegistryResult<reqwest::Response> {
        let headers: Vec<_> = (!accept.is_empty())
            .then_some((reqwest::header::ACCEPT, accept))
            .into_iter()
            .collect();
        self.request(what, reqwest::Method::GET, url, &headers, None)
            .await
    }

    /// Earns an `Authorization` value from a `WWW-Authenticate` challenge: Basic sends the
    /// credentials to the registry itself; Bearer asks the token service named by `realm`
    /// (Docker's token authentication), which must not downgrade from HTTPS to HTTP.
    async fn answer(&mut self, what: &str, challenge: &str) -> RegistryResult<()> {
        let (scheme, params) = parse_challenge(challenge);
        let unauthorized = |message: String| RegistryError::Unauthorized {
            what: what.to_string(),
            message,
        };
        if scheme.eq_ignore_ascii_case("basic") {
            return match &self.creds {
                RegistryAuth::Basic(u, p) => {
                    self.authorization = Some(basic(u, p));
                    Ok(())
                }
                _ => Err(unauthorized(
                    "the registry wants credentials (--username/--password or a docker config)"
                        .into(),
                )),
            };
        }
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(unauthorized(format!(
                "unsupported authentication scheme {:?}",
                printable(&scheme)
            )));
        }
        if let RegistryAuth::Bearer(token) = &self.creds {
            self.authorization = Some(format!("Bearer {token}"));
            return Ok(());
        }
        let realm = params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("realm"))
            .map(|(_, v)| v.clone())
            .ok_or_else(|| unauthorized("Bearer challenge without a realm".into()))?;
        let mut url = check_realm(what, &realm, &self.base, self.insecure)?;
        {
            let mut q = url.query_pairs_mut();
            if let Some((_, service)) = params
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("service"))
            {
                q.append_pair("service", service);
            }
            // The scope this session needs, whatever the challenge named: pull for a pull.
            q.append_pair(
                "scope",
                &format!("repository:{}:{}", self.repository, self.actions),
            );
        }
        let mut req = self.http.get(url);
        if let RegistryAuth::Basic(u, p) = &self.creds {
            req = req.header(reqwest::header::AUTHORIZATION, basic(u, p));
        }
        let resp = req
            .send()
            .await
            .map_err(|e| transport("token service", &e))?;
        let resp = check_status("token service", resp)?;
        let body = read_capped(resp, MAX_TOKEN_RESPONSE, "token service").await?;
        let v: serde_json::Value = serde_json::from_slice(&body)
            .map_err(|_| unauthorized("the token service did not answer with JSON".into()))?;
        let token = v
            .get("token")
            .or_else(|| v.get("access_token"))
            .and_then(|t| t.as_str())
            .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_graphic()))
            .ok_or_else(|| unauthorized("the token service sent no usable token".into()))?;
        self.authorization = Some(format!("Bearer {token}"));
        Ok(())
    }

    /// The manifest (or index) at a tag or digest, read up to [`MAX_MANIFEST`] bytes and no
    /// further; with the digest the registry claims for it.
    async fn manifest(&mut self, reference: &str) -> RegistryResult<(Vec<u8>, Option<String>)> {
        let what = format!("manifest {reference}");
        let url = format!("{}/v2/{}/manifests/{reference}", self.base, self.repository);
        let resp = self.get(&what, &url, &ACCEPTED.join(", ")).await?;
        let claimed = resp
            .headers()
            .get("Docker-Content-Digest")
            .and_then(|h| h.to_str().ok())
            .map(str::to_string);
        if resp.content_length().is_some_and(|n| n > MAX_MANIFEST) {
            return Err(RegistryError::ManifestTooLarge {
                limit: MAX_MANIFEST,
            });
        }
        let bytes = read_capped(resp, MAX_MANIFEST, &what)
            .await
            .map_err(|e| match e {
                RegistryError::Transport { message, .. } if message == OVER_CAP => {
                    RegistryError::ManifestTooLarge {
                        limit: MAX_MANIFEST,
                    }
                }
                other => other,
            })?;
        Ok((bytes, claimed))
    }

    /// Streams a blob to `target`, never writing more than its descriptor declares, and
    /// checks its digest; a failed blob leaves no file behind.
    async fn blob(&mut self, digest: &Digest, declared: i64, target: &Path) -> RegistryResult<()> {
        let what = format!("blob {digest}");
        let declared = u64::try_from(declared)
            .ok()
            .filter(|&n| n <= MAX_BLOB)
            .ok_or_else(|| RegistryError::BlobSize {
                what: what.clone(),
                message: format!("descriptor declares {declared} bytes (at most {MAX_BLOB})"),
            })?;
        let url = format!("{}/v2/{}/blobs/{digest}", self.base, self.repository);
        let mut resp = self.get(&what, &url, "").await?;
        if let Some(n) = resp.content_length() {
            if n != declared {
                return Err(RegistryError::BlobSize {
                    what,
                    message: format!(
                        "the registry announces {n} bytes, the descriptor declares {declared}"
                    ),
                });
            }
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| RegistryError::io(parent.display().to_string(), e))?;
        }
        let partial = target.with_extension("partial");
        let mut file = std::fs::File::create(&partial)
            .map_err(|e| RegistryError::io(partial.display().to_string(), e))?;
        let result = async {
            let mut hasher = Hasher::new(digest.algorithm);
            let mut got: u64 = 0;
            while let Some(chunk) = resp.chunk().await.map_err(|e| transport(&what, &e))? {
                got += chunk.len() as u64;
                if got > declared {
                    return Err(RegistryError::BlobSize {
                        what: what.clone(),
                        message: format!(
                            "the registry sends more than the {declared} bytes the descriptor declares; stopped"
                        ),
                    });
                }
                hasher.update(&chunk);
                file.write_all(&chunk)
                    .map_err(|e| RegistryError::io(partial.display().to_string(), e))?;
            }
            if got != declared {
                return Err(RegistryError::BlobSize {
                    what: what.clone(),
                    message: format!("got {got} bytes, the descriptor declares {declared}"),
                });
            }
            let actual = hasher.finish();
            if &actual != digest {
                return Err(ImageError::DigestMismatch {
                    what: what.clone(),
                    expected: digest.to_string(),
                    actual: actual.to_string(),
                }
                .into());
            }
            file.flush()
                .map_err(|e| RegistryError::io(partial.display().to_string(), e))?;
            Ok(())
        }
        .await;
        drop(file);
        match result {
            Ok(()) => std::fs::rename(&partial, target)
                .map_err(|e| RegistryError::io(target.display().to_string(), e)),
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                Err(e)
            }
        }
    }
}

/// The token service a challenge names, if credentials may go there: HTTPS, or plain HTTP
/// only when the registry itself is plain HTTP or the user said `--insecure`. Checked
/// before anything is sent, since the first request already carries the credentials.
fn check_realm(
    what: &str,
    realm: &str,
    base: &str,
    insecure: bool,
) -> RegistryResult<reqwest::Url> {
    let unauthorized = |message: String| RegistryError::Unauthorized {
        what: what.to_string(),
        message,
    };
    let url = reqwest::Url::parse(realm)
        .map_err(|_| unauthorized(format!("token realm {:?} is not a URL", printable(realm))))?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if insecure || base.starts_with("http://") => Ok(url),
        "http" => Err(RegistryError::InsecureRealm {
            realm: printable(realm),
        }),
        _ => Err(unauthorized(format!(
            "token realm {:?} is neither HTTPS nor HTTP",
            printable(realm)
        ))),
    }
}

/// Redirects (blob storage on another host) are followed a few times, never from HTTPS
/// down to HTTP unless `--insecure`; reqwest drops `Authorization` on a change of host.
fn redirect_policy(insecure: bool) -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() >= 10 {
            return attempt.error("more than 10 redirects");
        }
        let downgrade = attempt.url().scheme() != "https"
            && attempt.previous().iter().any(|u| u.scheme() == "https");
        if downgrade && !insecure {
            return attempt.error("redirect from HTTPS to plain HTTP refused");
        }
        attempt.follow()
    })
}

fn basic(user: &str, password: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

/// `Bearer realm="…",service="…"` → ("Bearer", [(realm, …), (service, …)]).
fn parse_challenge(h: &str) -> (String, Vec<(String, String)>) {
    let h = h.trim();
    let (scheme, rest) = h.split_once(char::is_whitespace).unwrap_or((h, ""));
    let mut params = Vec::new();
    let mut chars = rest.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        let key: String = std::iter::from_fn(|| chars.next_if(|c| *c != '=' && *c != ','))
            .collect::<String>()
            .trim()
            .to_string();
        if key.is_empty() {
            break;
        }
        if chars.next_if_eq(&'=').is_none() {
            continue;
        }
        let mut value = String::new();
        if chars.next_if_eq(&'"').is_some() {
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '"' => break,
                    c => value.push(c),
                }
            }
        } else {
            value = std::iter::from_fn(|| chars.next_if(|c| *c != ','))
                .collect::<String>()
                .trim()
                .to_string();
        }
        params.push((key, value));
    }
    (scheme.to_string(), params)
}

/// Text from a registry, fit to print: control characters escaped, length bounded.
fn printable(s: &str) -> String {
    let mut out: String = s.chars().take(200).flat_map(char::escape_debug).collect();
    if s.chars().count() > 200 {
        out.push('…');
    }
    out
}

fn transport(what: &str, e: &reqwest::Error) -> RegistryError {
    use std::error::Error;
    // reqwest's own message is generic ("error sending request"); its sources say why.
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !message.contains(&text) {
            message = format!("{message}: {text}");
        }
        source = s.source();
    }
    RegistryError::Transport {
        what: what.to_string(),
        message: printable(&message),
    }
}

/// Turns an error status into the error the caller can act on; the body is not quoted.
fn check_status(what: &str, resp: reqwest::Response) -> RegistryResult<reqwest::Response> {
    let status = resp.status();
    if status.is_success() {
        return Ok(resp);
    }
    let message = format!("the registry answered {status}");
    let what = what.to_string();
    Err(match status.as_u16() {
        401 | 403 => RegistryError::Unauthorized { what, message },
        404 => RegistryError::NotFound { what, message },
        _ => RegistryError::Transport { what, message },
    })
}

const OVER_CAP: &str = "response larger than allowed";

/// Reads a response body, stopping as soon as it passes `cap` bytes.
async fn read_capped(mut resp: reqwest::Response, cap: u64, what: &str) -> RegistryResult<Vec<u8>> {
    let mut out = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| transport(what, &e))? {
        if out.len() as u64 + chunk.len() as u64 > cap {
            return Err(RegistryError::Transport {
                what: what.to_string(),
                message: OVER_CAP.into(),
            });
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

/// Stores a manifest as a blob after checking it against the digest the registry claims,
/// and against the digest the pull asked for (a reference by digest, an index entry).
fn store_json(
    dir: &Path,
    bytes: &[u8],
    claimed: Option<&str>,
    requested: Option<&str>,
) -> RegistryResult<Digest> {
    if bytes.len() as u64 > MAX_MANIFEST {
        return Err(RegistryError::ManifestTooLarge {
            limit: MAX_MANIFEST,
        });
    }
    for d in [claimed, requested].into_iter().flatten() {
        if let Ok(d) = Digest::parse(d) {
            d.verify("registry manifest", bytes)?;
        }
    }
    let actual = Digest::sha256_of(bytes);
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
                .find(|(k, _)| {
                    let host = registry_host(k);
                    host == registry || (is_docker_hub(registry) && is_docker_hub(host))
                })
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
    let server = if is_docker_hub(registry) {
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
    // Docker Hub goes by several names; any other host must match exactly (a suffix match
    // would hand Docker Hub the credentials of `evildocker.io` or `registry.corp-docker.io`).
    let docker_hub = is_docker_hub(registry);
    let entry = auths.iter().find(|(k, _)| {
        let host = registry_host(k);
        host == registry || (docker_hub && is_docker_hub(host))
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
    fn docker_hub_credentials_match_its_hosts_exactly() {
        let cfg = r#"{"auths":{"registry.corp-docker.io":{"auth":"YWxpY2U6czNjcmV0"},"evildocker.io":{"auth":"YWxpY2U6czNjcmV0"}}}"#;
        for hub in ["index.docker.io", "docker.io", "registry-1.docker.io"] {
            assert!(
                matches!(
                    docker_config_auth(cfg, hub).unwrap(),
                    RegistryAuth::Anonymous
                ),
                "credentials of a look-alike host must not go to {hub}"
            );
        }
        let cfg = r#"{"auths":{"https://index.docker.io/v1/":{"auth":"YWxpY2U6czNjcmV0"}}}"#;
        assert!(matches!(
            docker_config_auth(cfg, "index.docker.io").unwrap(),
            RegistryAuth::Basic(..)
        ));
        assert!(matches!(
            docker_config_auth(cfg, "evildocker.io").unwrap(),
            RegistryAuth::Anonymous
        ));
    }

    #[test]
    fn challenges_parse_quoted_and_bare_parameters() {
        let (scheme, params) = parse_challenge(
            r#"Bearer realm="https://auth.example/token",service="reg.example",scope="repository:a/b:pull,push""#,
        );
        assert_eq!(scheme, "Bearer");
        assert_eq!(
            params,
            vec![
                (
                    "realm".to_string(),
                    "https://auth.example/token".to_string()
                ),
                ("service".to_string(), "reg.example".to_string()),
                ("scope".to_string(), "repository:a/b:pull,push".to_string()),
            ]
        );
        let (scheme, params) = parse_challenge("Basic realm=registry");
        assert_eq!(scheme, "Basic");
        assert_eq!(params, vec![("realm".to_string(), "registry".to_string())]);
        // Garbage parses to something harmless, never a panic.
        for junk in [
            "",
            "Bearer",
            "Bearer ,,,=",
            "Bearer realm=\"unterminated",
            "x y=\"\\",
        ] {
            let _ = parse_challenge(junk);
        }
    }

    #[test]
    fn a_plain_http_token_realm_of_an_https_registry_gets_no_credentials() {
        let base = "https://registry.example";
        let err = check_realm("manifest", "http://auth.example/token", base, false).unwrap_err();
        assert!(matches!(err, RegistryError::InsecureRealm { .. }), "{err}");
        assert!(err.to_string().contains("--insecure"), "{err}");
        assert!(check_realm("manifest", "https://auth.example/token", base, false).is_ok());
        // The user's --insecure, or a registry that is plain HTTP already, allows it.
        assert!(check_realm("manifest", "http://auth.example/token", base, true).is_ok());
        assert!(check_realm("m", "http://a.example/t", "http://127.0.0.1:5000", false).is_ok());
        for bad in [
            "ftp://a.example/t",
            "file:///etc/passwd",
            "not a url",
            "\u{1b}[31m",
        ] {
            assert!(check_realm("m", bad, base, true).is_err(), "{bad}");
        }
    }

    /// The whole answer path: with Basic credentials in hand and an HTTPS registry, an
    /// HTTP realm is refused before any request is made (port 9 has nothing listening, so
    /// a request would fail differently).
    #[test]
    fn answering_a_downgrading_challenge_sends_nothing() {
        let r = ImageRef::parse("registry.example/team/app:1").unwrap();
        let mut s = Session::new(
            &r,
            RegistryAuth::Basic("alice".into(), "s3cret".into()),
            false,
        )
        .unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let err = rt
            .block_on(s.answer(
                "manifest 1",
                r#"Bearer realm="http://127.0.0.1:9/token",service="registry.example""#,
            ))
            .unwrap_err();
        assert!(matches!(err, RegistryError::InsecureRealm { .. }), "{err}");
        assert!(s.authorization.is_none());
    }

    #[test]
    fn credentials_never_print() {
        let text = format!("{:?}", RegistryAuth::Basic("alice".into(), "s3cret".into()));
        assert!(!text.contains("s3cret"));
        assert!(!format!("{:?}", RegistryAuth::Bearer("tok".into())).contains("tok"));
    }
}
