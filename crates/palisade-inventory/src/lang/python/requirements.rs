//! `requirements*.txt`: only exact pins (`name==1.2.3`, `name===1.2.3`) name a version.
//! Includes (`-r other.txt`, `-c`) are not followed: a detector sees one file, and the
//! included file is scanned on its own when it matches `requirements*.txt`.

use crate::lang::common::{file_name, text, MAX_TEXT_SIZE};
use crate::lang::dependency_dirs::inside_dependency;
use crate::{DetectError, Detector, FileRef};
use palisade_core::{OsInfo, Package, Relationship};

pub struct Requirements;

impl Detector for Requirements {
    fn name(&self) -> &'static str {
        "python-requirements"
    }

    fn wants(&self, path: &str, size: u64) -> bool {
        let f = file_name(path);
        // pip lists the packages it vendors in `pip/_vendor/vendor.txt`, in the same format:
        // that code is installed inside pip, so the list is read where it lies (inside
        // `site-packages`). A `requirements*.txt` shipped inside an installed dependency is
        // that project's own development list, which pip never reads for the dependency.
        size <= MAX_TEXT_SIZE
            && ((f.starts_with("requirements") && f.ends_with(".txt") && !inside_dependency(path))
                || path.ends_with("_vendor/vendor.txt"))
    }

    fn detect(
        &self,
        file: &FileRef<'_>,
        _os: Option<&OsInfo>,
    ) -> Result<Vec<Package>, DetectError> {
        let body = text(file)?;
        let joined = body.replace("\\\r\n", " ").replace("\\\n", " ");
        let mut out = Vec::new();
        for line in joined.lines() {
            let line = strip_comment(line).trim();
            if line.is_empty() || line.starts_with('-') {
                continue;
            }
            if let Some((name, version)) = pin(line) {
                let mut p = super::package(&name, &version, file);
                if !file.path.ends_with("vendor.txt") {
                    p.relationship = Relationship::Direct;
                }
                out.push(p);
            }
        }
        Ok(out)
    }
}

/// A `#` starts a comment only at line start or after whitespace (URLs contain `#egg=`).
fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()) {
            return &line[..i];
        }
    }
    line
}

fn pin(line: &str) -> Option<(String, String)> {
    let spec = line.split(';').next()?.split(" --").next()?.trim();
    let (name, rest) = spec.split_once("==")?;
    let version = rest.trim_start_matches('=').trim();
    let name = name.split('[').next()?.trim();
    let ok_name = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    let ok_version = !version.is_empty() && !version.contains(['*', ',', ' ', '<', '>', '!', '~']);
    (ok_name && ok_version).then(|| (name.to_string(), version.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_only() {
        let body =
            "# top\nrequests==2.19.1  # pinned\nPyYAML[extra] == 5.3 ; python_version >= '3'\n\
            -r other.txt\nflask>=1.0\nurllib3==1.24.* \nDjango===3.2 \\\n    --hash=sha256:abc\n\
            git+https://x/y#egg=z\n";
        let f = FileRef {
            path: "requirements-dev.txt",
            content: body.as_bytes(),
            layer: None,
        };
        let got: Vec<String> = Requirements
            .detect(&f, None)
            .unwrap()
            .into_iter()
            .map(|p| p.purl)
            .collect();
        assert_eq!(
            got,
            vec![
                "pkg:pypi/requests@2.19.1",
                "pkg:pypi/pyyaml@5.3",
                "pkg:pypi/django@3.2"
            ]
        );
        assert!(Requirements.wants("app/requirements-dev.txt", 10));
        assert!(!Requirements.wants("app/constraints.txt", 10));
        assert!(Requirements.wants("usr/lib/python3/site-packages/pip/_vendor/vendor.txt", 10));
    }
}
