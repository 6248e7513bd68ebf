//! Binaries built with cargo-auditable: a zlib-compressed JSON dependency list in the
//! `.dep-v0` section (<https://github.com/rust-secure-code/cargo-auditable>).

use crate::lang::binary::{is_elf, maybe_binary, section};
use crate::lang::common::{err, finish, package, purl_for};
use crate::{DetectError, Detector, FileRef};
use palisade_core::{Ecosystem, OsInfo, Package, Relationship};
use serde::Deserialize;
use std::collections::HashSet;
use std::io::Read;

pub struct Auditable;

/// The JSON is small; a bigger inflation is a zip bomb.
const MAX_JSON: u64 = 16 * 1024 * 1024;

#[derive(Deserialize)]
struct Info {
    packages: Vec<Pkg>,
}

#[derive(Deserialize)]
struct Pkg {
    name: String,
    version: String,
    #[serde(default)]
    dependencies: Vec<usize>,
    #[serde(default)]
    root: bool,
}

impl Detector for Auditable {
    fn name(&self) -> &'static str {
        "cargo-auditable"
    }

    fn wants(&self, path: &str, size: u64) -> bool {
        maybe_binary(path, size)
    }

    fn detect(
        &self,
        file: &FileRef<'_>,
        _os: Option<&OsInfo>,
    ) -> Result<Vec<Package>, DetectError> {
        if !is_elf(file.content) {
            return Ok(Vec::new());
        }
        let Some(compressed) = section(file.content, ".dep-v0") else {
            return Ok(Vec::new());
        };
        let mut json = Vec::new();
        flate2::read::ZlibDecoder::new(compressed)
            .take(MAX_JSON)
            .read_to_end(&mut json)
            .map_err(|e| err(file, format!(".dep-v0 section does not inflate: {e}")))?;
        let info: Info = serde_json::from_slice(&json)
            .map_err(|e| err(file, format!(".dep-v0 section is not valid JSON: {e}")))?;
        let purl = |i: usize| {
            info.packages
                .get(i)
                .map(|p| purl_for(Ecosystem::Cargo, &p.name, &p.version))
        };
        let direct: HashSet<usize> = info
            .packages
            .iter()
            .filter(|p| p.root)
            .flat_map(|p| p.dependencies.iter().copied())
            .collect();
        let mut out = Vec::new();
        for (i, p) in info.packages.iter().enumerate() {
            let mut pkg = package(Ecosystem::Cargo, &p.name, &p.version, file);
            pkg.relationship = if p.root {
                Relationship::Unknown
            } else if direct.contains(&i) {
                Relationship::Direct
            } else {
                Relationship::Transitive
            };
            pkg.depends_on = p.dependencies.iter().filter_map(|d| purl(*d)).collect();
            out.push(pkg);
        }
        Ok(finish(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_elf_and_plain_elf_yield_nothing() {
        let f = FileRef {
            path: "usr/local/bin/x",
            content: b"#!/bin/sh\necho hi\n",
            layer: None,
        };
        assert!(Auditable.detect(&f, None).unwrap().is_empty());
    }
}
