//! Go binaries: the build info the linker embeds (`.go.buildinfo`): the Go version, the main
//! module and every dependency module with version and sum. The toolchain is reported as the
//! `stdlib` module (as the Go vulnerability database names it), so a scratch image holding one
//! Go binary still has an inventory. Format: `runtime/debug` and `debug/buildinfo` in Go.

use crate::lang::binary::{maybe_binary, read_at, section};
use crate::lang::common::{err, package, purl_for};
use crate::{DetectError, Detector, FileRef};
use palisade_core::{Ecosystem, OsInfo, Package, Relationship};

pub struct GoBinary;

const MAGIC: &[u8] = b"\xff Go buildinf:";

impl Detector for GoBinary {
    fn name(&self) -> &'static str {
        "go-binary"
    }

    fn max_size(&self) -> Option<u64> {
        Some(crate::lang::binary::MAX_BINARY)
    }

    fn wants_head(&self, head: &[u8]) -> bool {
        crate::lang::binary::is_executable(head)
    }

    fn self_contained(&self) -> bool {
        true
    }

    fn wants(&self, path: &str, size: u64) -> bool {
        maybe_binary(path, size)
    }

    fn detect(
        &self,
        file: &FileRef<'_>,
        _os: Option<&OsInfo>,
    ) -> Result<Vec<Package>, DetectError> {
        let Some(blob) = find_blob(file.content) else {
            return Ok(Vec::new());
        };
        let (go_version, modinfo) =
            read_blob(file.content, blob).map_err(|m| err(file, format!("Go build info: {m}")))?;
        Ok(packages(file, &go_version, &modinfo))
    }
}

/// The build info header: the `.go.buildinfo` section, else a 16-aligned magic anywhere
/// (sections can be stripped, and PE/Mach-O use other names).
fn find_blob(data: &[u8]) -> Option<&[u8]> {
    if let Some(s) = section(data, ".go.buildinfo").filter(|s| s.starts_with(MAGIC)) {
        return Some(s);
    }
    if !(data.starts_with(b"\x7fELF")
        || data.starts_with(b"MZ")
        || data.get(..3) == Some(b"\xcf\xfa\xed"))
    {
        return None;
    }
    (0..data.len())
        .step_by(16)
        .find(|&i| data[i..].starts_with(MAGIC))
        .map(|i| &data[i..])
}

/// Why the build info of a Go binary could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum BuildInfoError {
    #[error("header truncated")]
    HeaderTruncated,
    #[error("truncated length")]
    TruncatedLength,
    #[error("length overflows")]
    LengthOverflow,
    #[error("string runs past the section")]
    StringPastSection,
    #[error("pointer size {0}")]
    PointerSize(usize),
    #[error("string header outside the file")]
    HeaderOutsideFile,
    #[error("string data outside the file")]
    DataOutsideFile,
    #[error("string too long")]
    StringTooLong,
}

fn uvarint(b: &[u8], pos: &mut usize) -> Result<u64, BuildInfoError> {
    let mut x: u64 = 0;
    for shift in (0..64).step_by(7) {
        let byte = *b.get(*pos).ok_or(BuildInfoError::TruncatedLength)?;
        *pos += 1;
        x |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Ok(x);
        }
    }
    Err(BuildInfoError::LengthOverflow)
}

fn varint_string(b: &[u8], pos: &mut usize) -> Result<String, BuildInfoError> {
    let n = usize::try_from(uvarint(b, pos)?).map_err(|_| BuildInfoError::LengthOverflow)?;
    let end = pos.checked_add(n).ok_or(BuildInfoError::LengthOverflow)?;
    let s = b.get(*pos..end).ok_or(BuildInfoError::StringPastSection)?;
    *pos = end;
    Ok(String::from_utf8_lossy(s).into_owned())
}

/// Go ≥ 1.18 stores both strings inline (flag 2); older linkers store pointers to Go string
/// headers, which are looked up by virtual address.
fn read_blob(data: &[u8], blob: &[u8]) -> Result<(String, String), BuildInfoError> {
    let ptr_size = usize::from(*blob.get(14).ok_or(BuildInfoError::HeaderTruncated)?);
    let flags = *blob.get(15).ok_or(BuildInfoError::HeaderTruncated)?;
    let (version, modinfo) = if flags & 2 != 0 {
        let mut pos = 32;
        (
            varint_string(blob, &mut pos)?,
            varint_string(blob, &mut pos)?,
        )
    } else {
        if ptr_size != 4 && ptr_size != 8 {
            return Err(BuildInfoError::PointerSize(ptr_size));
        }
        let big = flags & 1 != 0;
        let word = |b: &[u8]| -> u64 {
            let mut v = 0u64;
            for i in 0..b.len() {
                let byte = if big { b[i] } else { b[b.len() - 1 - i] };
                v = (v << 8) | u64::from(byte);
            }
            v
        };
        let go_string = |addr: u64| -> Result<String, BuildInfoError> {
            let hdr = read_at(data, addr, 2 * ptr_size as u64)
                .ok_or(BuildInfoError::HeaderOutsideFile)?;
            let (p, n) = (word(&hdr[..ptr_size]), word(&hdr[ptr_size..]));
            if n > 1 << 24 {
                return Err(BuildInfoError::StringTooLong);
            }
            let bytes = read_at(data, p, n).ok_or(BuildInfoError::DataOutsideFile)?;
            Ok(String::from_utf8_lossy(&bytes).into_owned())
        };
        let ptr = |off: usize| {
            blob.get(off..off + ptr_size)
                .map(word)
                .ok_or(BuildInfoError::HeaderTruncated)
        };
        (go_string(ptr(16)?)?, go_string(ptr(16 + ptr_size)?)?)
    };
    Ok((version, strip_sentinels(&modinfo)))
}

/// Module info is wrapped in 16-byte sentinels.
fn strip_sentinels(m: &str) -> String {
    let b = m.as_bytes();
    if b.len() >= 33 && b[b.len() - 17] == b'\n' {
        return String::from_utf8_lossy(&b[16..b.len() - 16]).into_owned();
    }
    m.to_string()
}

/// Local-directory replacements carry `(devel)` or nothing as their version.
fn is_local(path: &str, version: &str) -> bool {
    version.is_empty() || version == "(devel)" || path.starts_with(['.', '/'])
}

fn packages(file: &FileRef<'_>, go_version: &str, modinfo: &str) -> Vec<Package> {
    let mut main: Option<(String, String)> = None;
    let mut deps: Vec<(String, String)> = Vec::new();
    for line in modinfo.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        match f[..] {
            ["mod", path, version, ..] => main = Some((path.to_string(), version.to_string())),
            ["dep", path, version, ..] => deps.push((path.to_string(), version.to_string())),
            // A replacement stands in for the dependency above it. A local directory is the
            // project's own code, not the upstream module at the required version, so it is
            // dropped (as Trivy does for go.mod) rather than matched against advisories.
            ["=>", path, version, ..] => {
                let local = is_local(path, version);
                if let Some(last) = deps.last_mut() {
                    *last = if local {
                        (String::new(), String::new())
                    } else {
                        (path.to_string(), version.to_string())
                    };
                }
            }
            _ => {}
        }
    }
    deps.retain(|(p, _)| !p.is_empty());
    let mut out = Vec::new();
    let dep_purls: Vec<String> = deps
        .iter()
        .map(|(p, v)| purl_for(Ecosystem::Golang, p, v))
        .collect();
    if let Some((path, version)) = main.filter(|(_, v)| v != "(devel)" && !v.is_empty()) {
        let mut p = package(Ecosystem::Golang, &path, &version, file);
        p.depends_on = dep_purls;
        out.push(p);
    }
    for (path, version) in &deps {
        out.push(package(Ecosystem::Golang, path, version, file));
    }
    if let Some(v) = go_version.strip_prefix("go") {
        // `go1.22.1 X:boringcrypto` carries experiment tags after a space.
        let v = v.split_whitespace().next().unwrap_or(v);
        let mut p = package(Ecosystem::Golang, "stdlib", &format!("v{v}"), file);
        p.relationship = Relationship::Direct;
        out.push(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inline_blob(version: &str, modinfo: &str) -> Vec<u8> {
        let mut b = MAGIC.to_vec();
        b.extend([8u8, 2]);
        b.resize(32, 0);
        for s in [version, modinfo] {
            let mut n = s.len();
            while n >= 0x80 {
                b.push((n as u8) | 0x80);
                n >>= 7;
            }
            b.push(n as u8);
            b.extend(s.as_bytes());
        }
        b
    }

    #[test]
    fn inline_build_info() {
        let sentinel = "0123456789abcdef";
        let mi = format!("{sentinel}path\texample.com/hello\nmod\texample.com/hello\t(devel)\t\ndep\tgolang.org/x/text\tv0.14.0\th1:x=\ndep\texample.com/lib\tv0.0.0\t\n=>\t../lib\t(devel)\t\ndep\tgithub.com/a/b\tv1.0.0\t\n=>\tgithub.com/fork/b\tv1.0.1\th1:y=\nbuild\t-compiler=gc\n\u{0}{sentinel}");
        let mut data = b"\x7fELF".to_vec();
        data.resize(64, 0);
        data.extend(inline_blob("go1.19.8", &mi));
        let p = GoBinary
            .detect(
                &FileRef {
                    path: "app",
                    content: &data,
                    layer: None,
                },
                None,
            )
            .unwrap();
        let got: Vec<&str> = p.iter().map(|p| p.purl.as_str()).collect();
        assert_eq!(
            got,
            vec![
                "pkg:golang/golang.org/x/text@v0.14.0",
                "pkg:golang/github.com/fork/b@v1.0.1",
                "pkg:golang/stdlib@v1.19.8"
            ]
        );
    }

    #[test]
    fn truncated_header_is_an_error() {
        let mut data = b"\x7fELF".to_vec();
        data.resize(16, 0);
        data.extend(MAGIC);
        data.extend([8u8, 2, 0, 0]);
        data.resize(16 + 32, 0);
        data.push(200);
        let e = GoBinary
            .detect(
                &FileRef {
                    path: "app",
                    content: &data,
                    layer: None,
                },
                None,
            )
            .unwrap_err();
        assert!(e.message.contains("Go build info"));
    }
}
