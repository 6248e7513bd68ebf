//! Shared handling of executables: which paths may be binaries, and reading ELF sections.

use crate::lang::common::file_name;

/// Executables worth opening: big enough to be a real program, small enough to hold.
pub const MIN_BINARY: u64 = 1024;
pub const MAX_BINARY: u64 = 256 * 1024 * 1024;

/// Executable mode bits are not visible to `wants`, so this guesses from the path: no
/// extension, and either in a `bin`/`sbin`/`libexec` directory or near the root, where
/// scratch images keep their one program (`app`, `ko-app/server`).
pub fn maybe_binary(path: &str, size: u64) -> bool {
    if !(MIN_BINARY..=MAX_BINARY).contains(&size) {
        return false;
    }
    let name = file_name(path);
    if name.is_empty() || name.contains('.') || name.starts_with('.') {
        return false;
    }
    let dirs: Vec<&str> = path.split('/').collect();
    let in_bin = dirs[..dirs.len().saturating_sub(1)]
        .iter()
        .any(|d| matches!(*d, "bin" | "sbin" | "libexec"));
    in_bin || dirs.len() <= 2
}

pub fn is_elf(data: &[u8]) -> bool {
    data.starts_with(b"\x7fELF")
}

/// An executable header of a format Go build info is read from: ELF, PE (`MZ`) or 64-bit
/// Mach-O. A file under `bin/` without one is not a program worth reading whole.
pub fn is_executable(head: &[u8]) -> bool {
    is_elf(head) || head.starts_with(b"MZ") || head.starts_with(b"\xcf\xfa\xed\xfe")
}

/// The bytes of a named section, if the file is an object file that has it.
pub fn section<'a>(data: &'a [u8], name: &str) -> Option<&'a [u8]> {
    use object::{Object, ObjectSection};
    let file = object::File::parse(data).ok()?;
    let sec = file.section_by_name(name)?;
    sec.data().ok()
}

/// Reads `len` bytes at virtual address `addr` from whichever section holds it.
pub fn read_at(data: &[u8], addr: u64, len: u64) -> Option<Vec<u8>> {
    use object::{Object, ObjectSection};
    let file = object::File::parse(data).ok()?;
    for sec in file.sections() {
        let (start, size) = (sec.address(), sec.size());
        if addr >= start && addr.checked_add(len)? <= start.checked_add(size)? {
            let bytes = sec.data().ok()?;
            let off = usize::try_from(addr - start).ok()?;
            let end = off.checked_add(usize::try_from(len).ok()?)?;
            return bytes.get(off..end).map(<[u8]>::to_vec);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_paths() {
        assert!(maybe_binary("usr/local/bin/server", 4096));
        assert!(maybe_binary("app", 4096));
        assert!(maybe_binary("ko-app/server", 4096));
        assert!(!maybe_binary("usr/local/bin/run.sh", 4096));
        assert!(!maybe_binary("etc/default/keyboard", 4096));
        assert!(!maybe_binary("usr/local/bin/tiny", 10));
    }

    #[test]
    fn executable_headers() {
        assert!(is_executable(b"\x7fELF\x02\x01"));
        assert!(is_executable(b"MZ\x90\x00"));
        assert!(is_executable(b"\xcf\xfa\xed\xfe\x07"));
        assert!(!is_executable(b"#!/bin/sh\n"));
        assert!(!is_executable(&[0; 64]));
    }

    #[test]
    fn non_objects_have_no_sections() {
        assert!(section(b"\x7fELF garbage", ".go.buildinfo").is_none());
        assert!(read_at(b"nope", 0, 4).is_none());
    }
}
