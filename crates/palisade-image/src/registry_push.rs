//! What signing needs of a registry beyond a pull: resolving a tag to its digest, reading
//! single manifests and small blobs, monolithic blob uploads, manifest pushes, tag listing
//! and the OCI 1.1 referrers API. Synchronous, like [`super::pull`]: one client owns its
//! runtime and the authorization it earned.

use super::{
    check_status, credentials, read_capped, transport, RegistryAuthOptions, RegistryResult,
    Session, ACCEPTED, MAX_MANIFEST, OVER_CAP,
};
use crate::digest::Digest;
use crate::error::{ImageError, RegistryError, Result};
use crate::manifest::MT_OCI_INDEX;
use palisade_core::ImageRef;

/// Largest tag list page, and how many pages are followed.
const MAX_TAG_PAGE: u64 = 4 << 20;
const MAX_TAG_PAGES: usize = 100;

/// A client for one repository, reading or (with `push`) writing.
pub struct RegistryClient {
    rt: tokio::runtime::Runtime,
    session: Session,
    reference: ImageRef,
    written: String,
}

/// What a manifest push answered.
#[derive(Debug, Clone)]
pub struct PushedManifest {
    pub digest: String,
    /// The registry processed the manifest's `subject` (it sent `OCI-Subject`): it serves
    /// the referrers API, and the fallback tag need not be updated.
    pub subject_accepted: bool,
}

impl RegistryClient {
    /// A client for the repository of `reference` (`127.0.0.1:5000/team/app:1.2`), with the
    /// credentials and TLS options of `palisade image`.
    pub fn connect(reference: &str, auth: &RegistryAuthOptions, push: bool) -> Result<Self> {
        let err = |source: RegistryError| ImageError::Registry {
            reference: reference.to_string(),
            source,
        };
        let parsed = ImageRef::parse(reference).map_err(|e| err(e.into()))?;
        let cred_host = if parsed.is_docker_hub() {
            "index.docker.io".to_string()
        } else {
            parsed.registry().to_string()
        };
        let creds = credentials(&cred_host, auth).map_err(err)?;
        let mut session = Session::new(&parsed, creds, auth.insecure).map_err(err)?;
        if push {
            session.actions = "pull,push";
        }
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| ImageError::io("tokio runtime", e))?;
        Ok(RegistryClient {
            rt,
            session,
            reference: parsed,
            written: reference.to_string(),
        })
    }

    pub fn reference(&self) -> &ImageRef {
        &self.reference
    }

    fn wrap(&self, source: RegistryError) -> ImageError {
        ImageError::Registry {
            reference: self.written.clone(),
            source,
        }
    }

    /// The digest the reference names: its digest as written, else what its tag (default
    /// `latest`) points at now. With the manifest's media type and size, for descriptors.
    pub fn resolve(&mut self) -> Result<(String, String, u64)> {
        let wanted = match (self.reference.digest(), self.reference.effective_tag()) {
            (Some(d), _) => d.to_string(),
            (None, Some(t)) => t.to_string(),
            (None, None) => "latest".to_string(),
        };
        let (bytes, media_type) = self.manifest(&wanted)?.ok_or_else(|| {
            self.wrap(RegistryError::NotFound {
                what: format!("manifest {wanted}"),
                message: "no such tag or digest".into(),
            })
        })?;
        let digest = Digest::sha256_of(&bytes).to_string();
        if let Some(d) = self.reference.digest() {
            if d != digest {
                return Err(ImageError::DigestMismatch {
                    what: format!("manifest {d}"),
                    expected: d.to_string(),
                    actual: digest,
                });
            }
        }
        Ok((digest, media_type, bytes.len() as u64))
    }

    /// The manifest at a tag or digest with its media type; `None` when there is none.
    /// A manifest fetched by digest is checked against it.
    pub fn manifest(&mut self, reference: &str) -> Result<Option<(Vec<u8>, String)>> {
        let session = &mut self.session;
        let got = self.rt.block_on(async {
            let what = format!("manifest {reference}");
            let url = format!(
                "{}/v2/{}/manifests/{reference}",
                session.base, session.repository
            );
            let mut accept: Vec<&str> = ACCEPTED.to_vec();
            accept.push("application/vnd.oci.artifact.manifest.v1+json");
            let resp = match session.get(&what, &url, &accept.join(", ")).await {
                Err(RegistryError::NotFound { .. }) => return Ok(None),
                other => other?,
            };
            let media_type = resp
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|h| h.to_str().ok())
                .unwrap_or_default()
                .to_string();
            let bytes = capped(resp, MAX_MANIFEST, &what).await?;
            Ok::<_, RegistryError>(Some((bytes, media_type)))
        });
        let got = got.map_err(|e| self.wrap(e))?;
        if let (Some((bytes, _)), Ok(d)) = (&got, Digest::parse(reference)) {
            d.verify(&format!("manifest {reference}"), bytes)?;
        }
        Ok(got)
    }

    /// A blob of at most `max` bytes, checked against its digest.
    pub fn blob(&mut self, digest: &str, max: u64) -> Result<Vec<u8>> {
        let d = Digest::parse(digest)?;
        let session = &mut self.session;
        let bytes = self
            .rt
            .block_on(async {
                let what = format!("blob {digest}");
                let url = format!("{}/v2/{}/blobs/{digest}", session.base, session.repository);
                let resp = session.get(&what, &url, "").await?;
                capped(resp, max, &what).await
            })
            .map_err(|e| self.wrap(e))?;
        d.verify(&format!("blob {digest}"), &bytes)?;
        Ok(bytes)
    }

    /// Uploads `bytes` as a blob (monolithic POST + PUT) unless the registry has it.
    pub fn push_blob(&mut self, bytes: &[u8]) -> Result<String> {
        let digest = Digest::sha256_of(bytes).to_string();
        let session = &mut self.session;
        self.rt
            .block_on(async {
                let what = format!("blob {digest}");
                let head = format!("{}/v2/{}/blobs/{digest}", session.base, session.repository);
                let exists = session
                    .send(&what, reqwest::Method::HEAD, &head, None, None)
                    .await;
                if exists.is_ok() {
                    return Ok(());
                }
                let start = format!("{}/v2/{}/blobs/uploads/", session.base, session.repository);
                let resp = session
                    .send(&what, reqwest::Method::POST, &start, None, Some(Vec::new()))
                    .await?;
                let location = resp
                    .headers()
                    .get(reqwest::header::LOCATION)
                    .and_then(|h| h.to_str().ok())
                    .ok_or_else(|| RegistryError::Transport {
                        what: what.clone(),
                        message: "upload started without a Location".into(),
                    })?;
                let mut url = reqwest::Url::parse(&session.base)
                    .and_then(|b| b.join(location))
                    .map_err(|e| RegistryError::Transport {
                        what: what.clone(),
                        message: format!("upload Location: {e}"),
                    })?;
                url.query_pairs_mut().append_pair("digest", &digest);
                session
                    .send(
                        &what,
                        reqwest::Method::PUT,
                        url.as_str(),
                        Some("application/octet-stream"),
                        Some(bytes.to_vec()),
                    )
                    .await
                    .map(|_| ())
            })
            .map_err(|e| self.wrap(e))?;
        Ok(digest)
    }

    /// Pushes a manifest under `reference` (a tag, or its digest).
    pub fn push_manifest(
        &mut self,
        reference: &str,
        media_type: &str,
        bytes: &[u8],
    ) -> Result<PushedManifest> {
        let digest = Digest::sha256_of(bytes).to_string();
        let session = &mut self.session;
        let subject_accepted = self
            .rt
            .block_on(async {
                let what = format!("manifest {reference}");
                let url = format!(
                    "{}/v2/{}/manifests/{reference}",
                    session.base, session.repository
                );
                let resp = session
                    .send(
                        &what,
                        reqwest::Method::PUT,
                        &url,
                        Some(media_type),
                        Some(bytes.to_vec()),
                    )
                    .await?;
                Ok::<_, RegistryError>(resp.headers().contains_key("OCI-Subject"))
            })
            .map_err(|e| self.wrap(e))?;
        Ok(PushedManifest {
            digest,
            subject_accepted,
        })
    }

    /// Every tag of the repository (following `Link` pages).
    pub fn tags(&mut self) -> Result<Vec<String>> {
        let session = &mut self.session;
        self.rt
            .block_on(async {
                let what = "tag list";
                let mut url = format!("{}/v2/{}/tags/list", session.base, session.repository);
                let mut tags = Vec::new();
                for _ in 0..MAX_TAG_PAGES {
                    let resp = match session.get(what, &url, "application/json").await {
                        Err(RegistryError::NotFound { .. }) => break,
                        other => other?,
                    };
                    let next = resp
                        .headers()
                        .get(reqwest::header::LINK)
                        .and_then(|h| h.to_str().ok())
                        .and_then(next_link);
                    let body = capped(resp, MAX_TAG_PAGE, what).await?;
                    let v: serde_json::Value =
                        serde_json::from_slice(&body).map_err(|e| RegistryError::Transport {
                            what: what.into(),
                            message: format!("not JSON: {e}"),
                        })?;
                    tags.extend(
                        v.get("tags")
                            .and_then(|t| t.as_array())
                            .into_iter()
                            .flatten()
                            .filter_map(|t| t.as_str().map(str::to_string)),
                    );
                    match next {
                        Some(n) => {
                            url = reqwest::Url::parse(&session.base)
                                .and_then(|b| b.join(&n))
                                .map(|u| u.to_string())
                                .map_err(|e| RegistryError::Transport {
                                    what: what.into(),
                                    message: format!("Link: {e}"),
                                })?
                        }
                        None => break,
                    }
                }
                Ok(tags)
            })
            .map_err(|e| self.wrap(e))
    }

    /// The referrers index of `digest` from the OCI 1.1 referrers API; `None` when the
    /// registry does not serve the API (then the `sha256-<hex>` tag is the fallback).
    pub fn referrers(&mut self, digest: &str) -> Result<Option<Vec<u8>>> {
        Digest::parse(digest)?;
        let session = &mut self.session;
        self.rt
            .block_on(async {
                let what = format!("referrers of {digest}");
                let url = format!(
                    "{}/v2/{}/referrers/{digest}",
                    session.base, session.repository
                );
                let resp = match session.get(&what, &url, MT_OCI_INDEX).await {
                    Err(RegistryError::NotFound { .. }) => return Ok(None),
                    other => other?,
                };
                let is_index = resp
                    .headers()
                    .get(reqwest::header::CONTENT_TYPE)
                    .and_then(|h| h.to_str().ok())
                    .is_some_and(|t| t.starts_with(MT_OCI_INDEX));
                let body = capped(resp, MAX_MANIFEST, &what).await?;
                // A registry without the API may answer the path with something else.
                Ok(is_index.then_some(body))
            })
            .map_err(|e| self.wrap(e))
    }
}

async fn capped(resp: reqwest::Response, cap: u64, what: &str) -> RegistryResult<Vec<u8>> {
    if resp.content_length().is_some_and(|n| n > cap) {
        return Err(RegistryError::Transport {
            what: what.to_string(),
            message: format!("{OVER_CAP} ({cap} bytes)"),
        });
    }
    read_capped(resp, cap, what).await
}

/// `</v2/…?n=…&last=…>; rel="next"` → the URL.
fn next_link(h: &str) -> Option<String> {
    h.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        params.contains("rel=\"next\"").then(|| {
            url.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_string()
        })
    })
}

impl Session {
    /// A request with an optional body of `content_type`.
    async fn send(
        &mut self,
        what: &str,
        method: reqwest::Method,
        url: &str,
        content_type: Option<&str>,
        body: Option<Vec<u8>>,
    ) -> RegistryResult<reqwest::Response> {
        let headers: Vec<_> = content_type
            .map(|t| (reqwest::header::CONTENT_TYPE, t))
            .into_iter()
            .collect();
        self.request(what, method, url, &headers, body).await
    }

    /// Any request with the session's authorization and `headers`; on a 401, answer the
    /// challenge once and retry (the body is kept to send again). Pulls and pushes both go
    /// through here.
    pub(crate) async fn request(
        &mut self,
        what: &str,
        method: reqwest::Method,
        url: &str,
        headers: &[(reqwest::header::HeaderName, &str)],
        body: Option<Vec<u8>>,
    ) -> RegistryResult<reqwest::Response> {
        let mut answered = false;
        loop {
            let mut req = self.http.request(method.clone(), url);
            for (name, value) in headers {
                req = req.header(name, *value);
            }
            if let Some(b) = &body {
                req = req.body(b.clone());
            }
            if let Some(a) = &self.authorization {
                req = req.header(reqwest::header::AUTHORIZATION, a);
            }
            let resp = req.send().await.map_err(|e| transport(what, &e))?;
            if resp.status() == reqwest::StatusCode::UNAUTHORIZED && !answered {
                let challenge = resp
                    .headers()
                    .get(reqwest::header::WWW_AUTHENTICATE)
                    .and_then(|h| h.to_str().ok())
                    .map(str::to_string);
                let Some(challenge) = challenge else {
                    return Err(RegistryError::Unauthorized {
                        what: what.to_string(),
                        message: "401 without a WWW-Authenticate challenge".into(),
                    });
                };
                self.answer(what, &challenge).await?;
                answered = true;
                continue;
            }
            return check_status(what, resp);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn link_header_next_page() {
        assert_eq!(
            super::next_link(r#"</v2/a/tags/list?n=2&last=b>; rel="next""#).as_deref(),
            Some("/v2/a/tags/list?n=2&last=b")
        );
        assert_eq!(super::next_link("garbage"), None);
    }
}
