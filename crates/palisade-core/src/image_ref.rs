//! Container image references (`nginx`, `ghcr.io/org/app:1.2@sha256:…`), parsed by the
//! grammar of the Docker/OCI distribution `reference` package:
//!
//! ```text
//! reference  := name [ ":" tag ] [ "@" digest ]
//! name       := [ domain "/" ] path
//! domain     := host [ ":" port ]          host: DNS name, IPv4 or [IPv6]
//! path       := component ( "/" component )*
//! component  := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
//! tag        := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
//! digest     := algorithm ":" hex{32,}     algorithm: [A-Za-z][A-Za-z0-9]* joined by [+._-]
//! ```
//!
//! The first path segment is a registry when it contains `.` or `:`, is `localhost`, or has
//! upper-case letters (which a repository may not); otherwise the registry is Docker Hub and
//! one-segment names live under `library/`.

use std::fmt;

/// Docker Hub's canonical registry name.
pub const DOCKER_HUB: &str = "docker.io";
const MAX_NAME: usize = 255;

/// A parsed image reference. Keeps what was written; the accessors add Docker's defaults.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageRef {
    domain: Option<String>,
    path: String,
    tag: Option<String>,
    digest: Option<String>,
}

/// Why a string is not an image reference.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageRefError {
    #[error("empty image reference")]
    Empty,
    #[error("image reference {0:?}: repository name must be lowercase")]
    Uppercase(String),
    #[error("image reference {0:?}: invalid repository name")]
    InvalidName(String),
    #[error("image reference {0:?}: invalid registry host")]
    InvalidDomain(String),
    #[error("image reference {0:?}: invalid tag")]
    InvalidTag(String),
    #[error("image reference {0:?}: invalid digest")]
    InvalidDigest(String),
    #[error("image reference {0:?}: name longer than {MAX_NAME} characters")]
    TooLong(String),
}

impl ImageRef {
    /// Parses `s` by the reference grammar; see the module documentation.
    pub fn parse(s: &str) -> Result<ImageRef, ImageRefError> {
        if s.is_empty() {
            return Err(ImageRefError::Empty);
        }
        let owned = || s.to_string();
        let (rest, digest) = match s.split_once('@') {
            Some((r, d)) => {
                if !valid_digest(d) {
                    return Err(ImageRefError::InvalidDigest(owned()));
                }
                (r, Some(d.to_string()))
            }
            None => (s, None),
        };
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[last_slash..].rfind(':') {
            Some(c) => {
                let tag = &rest[last_slash + c + 1..];
                if !valid_tag(tag) {
                    return Err(ImageRefError::InvalidTag(owned()));
                }
                (&rest[..last_slash + c], Some(tag.to_string()))
            }
            None => (rest, None),
        };
        if name.len() > MAX_NAME {
            return Err(ImageRefError::TooLong(owned()));
        }
        let (domain, path) = match name.split_once('/') {
            Some((first, tail))
                if first.contains(['.', ':'])
                    || first == "localhost"
                    || first.bytes().any(|b| b.is_ascii_uppercase()) =>
            {
                if !valid_domain(first) {
                    return Err(ImageRefError::InvalidDomain(owned()));
                }
                (Some(first.to_string()), tail)
            }
            _ => (None, name),
        };
        if path.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(ImageRefError::Uppercase(owned()));
        }
        if path.is_empty() || !path.split('/').all(valid_component) {
            return Err(ImageRefError::InvalidName(owned()));
        }
        Ok(ImageRef {
            domain,
            path: path.to_string(),
            tag,
            digest,
        })
    }

    /// The registry as written, if the reference names one.
    pub fn explicit_registry(&self) -> Option<&str> {
        self.domain.as_deref()
    }

    /// The registry, with Docker Hub (`docker.io`) for references that name none and
    /// `index.docker.io` folded into it.
    pub fn registry(&self) -> &str {
        match self.domain.as_deref() {
            None | Some("index.docker.io") => DOCKER_HUB,
            Some(d) => d,
        }
    }

    /// Whether the image lives on Docker Hub.
    pub fn is_docker_hub(&self) -> bool {
        self.registry() == DOCKER_HUB
    }

    /// The repository path as written (`nginx`, `team/app`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The repository inside its registry, with Docker Hub's `library/` for official images.
    pub fn repository(&self) -> String {
        if self.is_docker_hub() && !self.path.contains('/') {
            format!("library/{}", self.path)
        } else {
            self.path.clone()
        }
    }

    /// Fully qualified name without tag or digest (`docker.io/library/nginx`).
    pub fn name(&self) -> String {
        format!("{}/{}", self.registry(), self.repository())
    }

    /// The tag as written (`1.27`), if any.
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    /// The digest as written (`sha256:…`), if any.
    pub fn digest(&self) -> Option<&str> {
        self.digest.as_deref()
    }

    /// The tag a pull uses: the written one, else `latest` when there is no digest either.
    pub fn effective_tag(&self) -> Option<&str> {
        match (&self.tag, &self.digest) {
            (Some(t), _) => Some(t),
            (None, None) => Some("latest"),
            (None, Some(_)) => None,
        }
    }

    /// Fully qualified form with every default filled in
    /// (`docker.io/library/nginx:latest`, `ghcr.io/o/a@sha256:…`).
    pub fn canonical(&self) -> String {
        let mut s = self.name();
        if let Some(t) = self.effective_tag() {
            s.push(':');
            s.push_str(t);
        }
        if let Some(d) = &self.digest {
            s.push('@');
            s.push_str(d);
        }
        s
    }
}

/// The reference as written.
impl fmt::Display for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(d) = &self.domain {
            write!(f, "{d}/")?;
        }
        f.write_str(&self.path)?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

impl std::str::FromStr for ImageRef {
    type Err = ImageRefError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ImageRef::parse(s)
    }
}

fn is_lower_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

/// `[a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*`
fn valid_component(c: &str) -> bool {
    let b = c.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return false;
    };
    if !is_lower_alnum(first) || !is_lower_alnum(last) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if is_lower_alnum(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !is_lower_alnum(b[i]) {
            i += 1;
        }
        let sep = &c[start..i];
        let ok = matches!(sep, "." | "_" | "__") || sep.bytes().all(|s| s == b'-');
        if !ok {
            return false;
        }
    }
    true
}

/// `host [":" port]`; host is DNS labels, IPv4 (labels too) or `[IPv6]`.
fn valid_domain(d: &str) -> bool {
    let (host, port) = if let Some(rest) = d.strip_prefix('[') {
        let Some((v6, after)) = rest.split_once(']') else {
            return false;
        };
        if v6.is_empty() || !v6.bytes().all(|b| b.is_ascii_hexdigit() || b == b':') {
            return false;
        }
        match after {
            "" => return true,
            p => match p.strip_prefix(':') {
                Some(port) => ("x", Some(port)),
                None => return false,
            },
        }
    } else {
        match d.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (d, None),
        }
    };
    let label_ok = |l: &str| {
        let b = l.as_bytes();
        !b.is_empty()
            && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
            && b[0] != b'-'
            && b[b.len() - 1] != b'-'
    };
    host.split('.').all(label_ok)
        && port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`
fn valid_tag(t: &str) -> bool {
    let b = t.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && (b[0].is_ascii_alphanumeric() || b[0] == b'_')
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
}

/// `algorithm ":" hex{32,}`
fn valid_digest(d: &str) -> bool {
    let Some((alg, hex)) = d.split_once(':') else {
        return false;
    };
    let alg_ok = !alg.is_empty()
        && alg.split(['+', '.', '_', '-']).all(|c| {
            let b = c.as_bytes();
            !b.is_empty()
                && b[0].is_ascii_alphabetic()
                && b.iter().all(|x| x.is_ascii_alphanumeric())
        });
    alg_ok && hex.len() >= 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "sha256:7959ed6f7e35f8b1aaa06d1d8259d4ee25aa85a086d5c125480c333183f9deeb";

    fn parts(s: &str) -> (String, String, Option<String>, Option<String>) {
        let r = ImageRef::parse(s).unwrap();
        (
            r.registry().to_string(),
            r.repository(),
            r.tag().map(str::to_string),
            r.digest().map(str::to_string),
        )
    }

    fn p(
        registry: &str,
        repo: &str,
        tag: Option<&str>,
        digest: Option<&str>,
    ) -> (String, String, Option<String>, Option<String>) {
        (
            registry.into(),
            repo.into(),
            tag.map(Into::into),
            digest.map(Into::into),
        )
    }

    #[test]
    fn docker_hub_defaults_and_library() {
        assert_eq!(parts("nginx"), p("docker.io", "library/nginx", None, None));
        let r = ImageRef::parse("nginx").unwrap();
        assert_eq!(r.explicit_registry(), None);
        assert_eq!(r.path(), "nginx");
        assert_eq!(r.canonical(), "docker.io/library/nginx:latest");
        assert_eq!(r.effective_tag(), Some("latest"));
        assert_eq!(
            parts("library/redis:7"),
            p("docker.io", "library/redis", Some("7"), None)
        );
        assert_eq!(
            parts("bitnami/redis:7.2"),
            p("docker.io", "bitnami/redis", Some("7.2"), None)
        );
        assert_eq!(
            parts("docker.io/nginx:1.27"),
            p("docker.io", "library/nginx", Some("1.27"), None)
        );
        assert_eq!(
            parts("index.docker.io/library/nginx"),
            p("docker.io", "library/nginx", None, None)
        );
    }

    #[test]
    fn registries_ports_and_localhost() {
        assert_eq!(
            parts("gcr.io/x/y:latest"),
            p("gcr.io", "x/y", Some("latest"), None)
        );
        assert_eq!(
            parts("127.0.0.1:5000/team/app:1.2"),
            p("127.0.0.1:5000", "team/app", Some("1.2"), None)
        );
        assert_eq!(parts("localhost/app"), p("localhost", "app", None, None));
        assert_eq!(
            parts("localhost:5000/a/b"),
            p("localhost:5000", "a/b", None, None)
        );
        assert_eq!(
            parts("[::1]:5000/app:v1"),
            p("[::1]:5000", "app", Some("v1"), None)
        );
        // A port-less name with a colon in the last segment is a tag, not a port.
        assert_eq!(
            parts("registry:5000/app"),
            p("registry:5000", "app", None, None)
        );
        assert_eq!(
            parts("app:5000"),
            p("docker.io", "library/app", Some("5000"), None)
        );
    }

    #[test]
    fn digests_and_tag_plus_digest() {
        let with_digest = format!("alpine@{SHA}");
        assert_eq!(
            parts(&with_digest),
            p("docker.io", "library/alpine", None, Some(SHA))
        );
        let r = ImageRef::parse(&with_digest).unwrap();
        assert_eq!(r.effective_tag(), None);
        let both = format!("ghcr.io/o/a:1.0@{SHA}");
        assert_eq!(parts(&both), p("ghcr.io", "o/a", Some("1.0"), Some(SHA)));
        assert_eq!(ImageRef::parse(&both).unwrap().to_string(), both);
        assert_eq!(
            ImageRef::parse(&format!("localhost:5000/a/b:1.2@{SHA}"))
                .unwrap()
                .canonical(),
            format!("localhost:5000/a/b:1.2@{SHA}")
        );
        assert!(matches!(
            ImageRef::parse("nginx@sha256:ab"),
            Err(ImageRefError::InvalidDigest(_))
        ));
        assert!(matches!(
            ImageRef::parse("nginx@md5"),
            Err(ImageRefError::InvalidDigest(_))
        ));
    }

    #[test]
    fn rejects_what_docker_rejects() {
        assert!(matches!(
            ImageRef::parse("Nginx"),
            Err(ImageRefError::Uppercase(_))
        ));
        assert!(matches!(
            ImageRef::parse("docker.io/Library/nginx"),
            Err(ImageRefError::Uppercase(_))
        ));
        // Upper case in the first segment makes it a (valid) registry host.
        assert_eq!(
            parts("Registry.Example.com/app"),
            p("Registry.Example.com", "app", None, None)
        );
        assert_eq!(ImageRef::parse(""), Err(ImageRefError::Empty));
        for bad in [
            "nginx:",
            "nginx:-x",
            ":tag",
            "a//b",
            "a/",
            "-a",
            "a..b",
            "a__-b",
            "a/b:t/x",
            "host:port/a",
            "-bad.io/a",
            "a:b:c",
        ] {
            assert!(ImageRef::parse(bad).is_err(), "{bad} parsed");
        }
        assert!(matches!(
            ImageRef::parse(&"a".repeat(256)),
            Err(ImageRefError::TooLong(_))
        ));
        for good in ["a__b", "a---b", "a.b_c", "my-app/x.y"] {
            assert!(ImageRef::parse(good).is_ok(), "{good} rejected");
        }
    }
}
