//! Alpine packages: `/lib/apk/db/installed`.

use super::depends::{self, Relations};
use super::{distro_qualifier, purl_namespace};
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
        let mut relations: Vec<Relations> = Vec::new();
        let mut fields: Vec<(char, &str)> = Vec::new();
        for line in text.lines().chain(std::iter::once("")) {
            if line.trim().is_empty() {
                if let Some(p) = package_from(&fields, file, os) {
                    out.push(p);
                    relations.push(Relations {
                        depends: names(&fields, 'D').into_iter().map(|d| vec![d]).collect(),
                        provides: names(&fields, 'p'),
                    });
                }
                fields.clear();
                continue;
            }
            let mut chars = line.chars();
            if let (Some(k), Some(':')) = (chars.next(), chars.next()) {
                fields.push((k, &line[2..]));
            }
        }
        depends::link(&mut out, &relations);
        Ok(out)
    }
}

/// Names in a `D:` (depends) or `p:` (provides) field: `so:libc.musl-x86_64.so.1`,
/// `cmd:openssl=3.1.4-r5`, `libcrypto3>=3.1`; conflicts (`!foo`) are not dependencies.
fn names(fields: &[(char, &str)], key: char) -> Vec<String> {
    fields
        .iter()
        .filter(|(f, _)| *f == key)
        .flat_map(|(_, v)| v.split_whitespace())
        .filter(|d| !d.starts_with('!'))
        .map(|d| {
            let end = d.find(['=', '<', '>', '~']).unwrap_or(d.len());
            d[..end].to_string()
        })
        .filter(|d| !d.is_empty())
        .collect()
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
    let distro = distro_qualifier(os);
    let purl = purl::build(
        "apk",
        Some(purl_namespace(os, "alpine")),
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
        declared_deps: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_core::OsFamily;

    #[test]
    fn depends_resolve_through_provides() {
        let db = "P:musl\nV:1.2.4-r2\nA:x86_64\np:so:libc.musl-x86_64.so.1=1\n\nP:busybox\nV:1.36.1-r15\nA:x86_64\nD:so:libc.musl-x86_64.so.1\np:/bin/sh cmd:busybox=1.36.1-r15\n\nP:libcrypto3\nV:3.1.4-r5\nA:x86_64\nD:so:libc.musl-x86_64.so.1 !libcrypto1.1\np:so:libcrypto.so.3=3\n\nP:openssl\nV:3.1.4-r5\nA:x86_64\nD:libcrypto3>=3.1.4-r5 so:libc.musl-x86_64.so.1 so:libssl.so.3 /bin/sh\n";
        let f = FileRef {
            path: INSTALLED,
            content: db.as_bytes(),
            layer: None,
        };
        let pkgs = Apk.detect(&f, None).unwrap();
        let names = depends::dep_names;
        assert_eq!(names(&pkgs[1]), vec!["musl"]);
        // libssl.so.3 is provided by nothing installed: dropped.
        assert_eq!(names(&pkgs[3]), vec!["busybox", "libcrypto3", "musl"]);
    }

    #[test]
    fn parses_installed_db() {
        let db = "C:Q1abc=\nP:musl\nV:1.2.4_git20230717-r4\nA:x86_64\nL:MIT\no:musl\nm:Natanael Copa <ncopa@alpinelinux.org>\n\nC:Q1def=\nP:libcrypto3\nV:3.1.4-r5\nA:x86_64\nL:Apache-2.0\no:openssl\n";
        let os = OsInfo::new(OsFamily::Alpine, "3.19.1");
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
            "pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.1"
        );
    }
}
