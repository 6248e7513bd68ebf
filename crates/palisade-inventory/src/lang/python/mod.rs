//! Python: installed distributions (`*.dist-info`, `*.egg-info`, `.egg`) and project lockfiles.

mod installed;
mod locks;
mod requirements;

use crate::Detector;
use palisade_core::pep503_normalize;

pub fn detectors() -> Vec<Box<dyn Detector>> {
    vec![
        Box::new(installed::Installed),
        Box::new(requirements::Requirements),
        Box::new(locks::Poetry),
        Box::new(locks::Pipfile),
        Box::new(locks::Uv),
        Box::new(locks::Pdm),
    ]
}

/// The purl name: the purl spec lowercases PyPI names and maps `_` to `-`, but keeps dots
/// (`pkg:pypi/zope.interface`), while [`Package::name`](palisade_core::Package) is PEP 503.
pub fn purl_name(name: &str) -> String {
    name.trim().to_lowercase().replace('_', "-")
}

/// A PyPI package with its PEP 503 name and purl-spec purl.
pub fn package(name: &str, version: &str, file: &crate::FileRef<'_>) -> palisade_core::Package {
    let mut p = crate::lang::common::package(
        palisade_core::Ecosystem::Pypi,
        &pep503_normalize(name),
        version,
        file,
    );
    p.purl =
        crate::lang::common::purl_for(palisade_core::Ecosystem::Pypi, &purl_name(name), version);
    p
}

/// The distribution name at the start of a PEP 508 requirement (`foo[bar]>=1; extra == "x"`).
pub fn requirement_name(req: &str) -> Option<String> {
    let end = req
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(req.len());
    let name = req[..end].trim();
    (!name.is_empty()).then(|| pep503_normalize(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purl_keeps_dots_name_does_not() {
        let f = crate::FileRef {
            path: "x",
            content: b"",
            layer: None,
        };
        let p = package("Boolean.py", "5.0", &f);
        assert_eq!(
            (p.name.as_str(), p.purl.as_str()),
            ("boolean-py", "pkg:pypi/boolean.py@5.0")
        );
    }

    #[test]
    fn requirement_names() {
        assert_eq!(
            requirement_name("Requests[socks]>=2.0; python_version>'3'").as_deref(),
            Some("requests")
        );
        assert_eq!(
            requirement_name("typing_extensions").as_deref(),
            Some("typing-extensions")
        );
        assert_eq!(requirement_name(">=1"), None);
    }
}
