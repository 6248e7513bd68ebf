//! Alpine packages: `/lib/apk/db/installed`.

use crate::{purl, DetectError, Detector, FileRef};
use palisade_core::{Ecosystem, OsInfo, Package};

pub struct Apk;

const INSTALLED: &str = "lib/apk/db/installed";

impl Detector for Apk {
    fn name(&self) -> &'static str {
        "apk"
    }

    fn wants(&self, path: &str, _size: u64) -> bool {
        path == INSTALLED
    }

    fn detect(&self, file: &FileRef<'_>, os: Option<&OsInfo>) -> Result<Vec<Package>, DetectError> {
        let text = String::from_utf8_lossy(file.content);
        let mut out = Vec::new();
        let mut fields: Vec<(char, &str)> = Vec::new();
        for line in text.lines().chain(std::iter::once("")) {
            if line.trim().is_empty() {
                if let Some(p) = package_from(&fields, file, os) {
                    out.push(p);
                }
                fields.clear();
                continue;
            }
            let mut chars = line.chars();
            if let (Some(k), Some(':')) = (chars.next(), chars.next()) {
                fields.push((k, &line[2..]));
            }
        }
        Ok(out)
    }
}

fn package_from(
    fields: &[(char, &str)],
    file: &FileRef<'_>,
    os: Option<&OsInfo>,
) -> Option<Package> {
    let get = |k: char| fields.iter().find(|(f, _)| *f == k).map(|(_, v)| v.trim());
    let name = get('P')?.to_string();
    let version = get('V')?.to_string();
    let arch = get('A').map(str::to_string);
    let origin = get('o').unwrap_or(&name).to_string();
    let distro = os.map(|o| o.version.clone()).unwrap_or_default();
    let purl = purl::build(
        "apk",
        Some("alpine"),
        &name,
        &version,
        &[("arch", arch.as_deref().unwrap_or("")), ("distro", &distro)],
    );
    Some(Package {
        ecosystem: Ecosystem::Apk,
        name,
        version: version.clone(),
        purl,
        source_name: Some(origin),
        source_version: Some(version),
        arch,
        licenses: get('L').map(|l| vec![l.to_string()]).unwrap_or_default(),
        maintainer: get('m').map(str::to_string),
        found_in: file.path.to_string(),
        layer: file.layer.cloned(),
        relationship: Default::default(),
        depends_on: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_installed_db() {
        let db = "C:Q1abc=\nP:musl\nV:1.2.4_git20230717-r4\nA:x86_64\nL:MIT\no:musl\nm:Natanael Copa <ncopa@alpinelinux.org>\n\nC:Q1def=\nP:libcrypto3\nV:3.1.4-r5\nA:x86_64\nL:Apache-2.0\no:openssl\n";
        let os = OsInfo {
            family: "alpine".into(),
            version: "3.19.1".into(),
            ..Default::default()
        };
        let f = FileRef {
            path: INSTALLED,
            content: db.as_bytes(),
            layer: None,
        };
        let pkgs = Apk.detect(&f, Some(&os)).unwrap();
        assert_eq!(pkgs.len(), 2);
        assert_eq!(pkgs[1].source_name.as_deref(), Some("openssl"));
        assert_eq!(pkgs[1].licenses, vec!["Apache-2.0"]);
        assert_eq!(
            pkgs[0].purl,
            "pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=3.19.1"
        );
    }
}
