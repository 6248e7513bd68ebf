//! The records the eBPF programs write (`src/bpf/events.h`), read from ring-buffer bytes.
//! Offsets are spelled out here rather than taken from the generated skeleton so the reader
//! builds and is tested without clang; a test under the `ebpf` feature checks them against
//! the skeleton's types.

use thiserror::Error;

pub const KIND_SYSCALL: u32 = 1;
pub const KIND_EXEC: u32 = 2;
pub const KIND_FORK: u32 = 3;
pub const KIND_EXIT: u32 = 4;

pub const HDR_SIZE: usize = 72;
/// `PATH_LIMIT`, `ARGS_LIMIT` and `PATH_AREA` of `bpf/events.h`.
pub const PATH_LIMIT: usize = 2048;
pub const ARGS_LIMIT: usize = 2048;
pub const PATH_AREA: usize = PATH_LIMIT + 256;
pub const SYSCALL_STR0: usize = 208;
pub const SYSCALL_SIZE: usize = SYSCALL_STR0 + 2 * PATH_AREA;
/// Where an exec record's strings start: filename, exe path, cwd and arguments, each right
/// after the one before.
pub const EXEC_DATA: usize = 104;
pub const EXEC_SIZE: usize = EXEC_DATA + 3 * PATH_LIMIT + ARGS_LIMIT + 256;
pub const EXIT_SIZE: usize = HDR_SIZE + 8;

const STR0_COMPONENTS: u32 = 1;
const STR1_COMPONENTS: u32 = 2;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum RecordError {
    #[error("record of {0} bytes is shorter than its kind needs ({1})")]
    Short(usize, usize),
    #[error("unknown record kind {0}")]
    Kind(u32),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hdr {
    pub ts_boot_ns: u64,
    pub cgroup_id: u64,
    pub kind: u32,
    pub pid: u32,
    pub tid: u32,
    pub ppid: u32,
    pub vpid: u32,
    pub uid: u32,
    pub gid: u32,
    pub loginuid: u32,
    pub tty: u32,
    pub comm: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FdInfo {
    pub fd: i32,
    /// `S_IFMT` bits of the inode.
    pub mode: u32,
    pub family: u16,
    pub sock_type: u16,
    pub protocol: u16,
    pub lport: u16,
    pub rport: u16,
    pub laddr: [u8; 16],
    pub raddr: [u8; 16],
    pub open_flags: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyscallRec {
    pub hdr: Hdr,
    pub nr: i64,
    pub ret: i64,
    pub args: [u64; 6],
    pub fd: FdInfo,
    /// The first path: the file behind the descriptor (absolute), or the string passed.
    pub str0: Option<String>,
    pub str1: Option<String>,
    /// Effective capabilities, bit n for capability n.
    pub cap_effective: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecRec {
    pub hdr: Hdr,
    pub nr: i64,
    pub is_memfd: bool,
    /// The executable is in an overlayfs upper layer (written in the container).
    pub is_upper: bool,
    pub exe_ino: u32,
    /// As passed to execve.
    pub filename: String,
    /// The executable's path from the process's root.
    pub exe_path: String,
    pub cwd: String,
    pub args: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    Syscall(SyscallRec),
    Exec(ExecRec),
    Fork(Hdr),
    Exit(Hdr, i64),
}

impl Record {
    pub fn hdr(&self) -> &Hdr {
        match self {
            Record::Syscall(s) => &s.hdr,
            Record::Exec(e) => &e.hdr,
            Record::Fork(h) | Record::Exit(h, _) => h,
        }
    }
}

fn u16_at(b: &[u8], o: usize) -> u16 {
    u16::from_le_bytes([b[o], b[o + 1]])
}
fn u32_at(b: &[u8], o: usize) -> u32 {
    u32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]])
}
fn u64_at(b: &[u8], o: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[o..o + 8]);
    u64::from_le_bytes(a)
}

/// A NUL-terminated string within `len` bytes at `o` (lossy UTF-8, as paths may be anything).
fn c_str(b: &[u8], o: usize, len: usize) -> String {
    let end = (o + len).min(b.len());
    let s = b.get(o..end).unwrap_or_default();
    let s = s.split(|c| *c == 0).next().unwrap_or_default();
    String::from_utf8_lossy(s).into_owned()
}

/// Components written leaf first, each NUL-terminated, as one absolute path.
pub fn components_path(b: &[u8]) -> String {
    let mut parts: Vec<&[u8]> = b.split(|c| *c == 0).filter(|p| !p.is_empty()).collect();
    parts.reverse();
    if parts.is_empty() {
        return "/".to_string();
    }
    let mut out = String::new();
    for p in parts {
        out.push('/');
        out.push_str(&String::from_utf8_lossy(p));
    }
    out
}

fn area(b: &[u8], o: usize, len: usize, components: bool) -> Option<String> {
    if len == 0 {
        return None;
    }
    let end = (o + len.min(PATH_AREA)).min(b.len());
    let bytes = b.get(o..end)?;
    Some(if components {
        components_path(bytes)
    } else {
        c_str(b, o, len)
    })
}

fn hdr(b: &[u8]) -> Hdr {
    Hdr {
        ts_boot_ns: u64_at(b, 0),
        cgroup_id: u64_at(b, 8),
        kind: u32_at(b, 16),
        pid: u32_at(b, 24),
        tid: u32_at(b, 28),
        ppid: u32_at(b, 32),
        vpid: u32_at(b, 36),
        uid: u32_at(b, 40),
        gid: u32_at(b, 44),
        loginuid: u32_at(b, 48),
        tty: u32_at(b, 52),
        comm: c_str(b, 56, 16),
    }
}

pub fn parse(b: &[u8]) -> Result<Record, RecordError> {
    if b.len() < HDR_SIZE {
        return Err(RecordError::Short(b.len(), HDR_SIZE));
    }
    let h = hdr(b);
    match h.kind {
        KIND_SYSCALL => {
            if b.len() < SYSCALL_STR0 {
                return Err(RecordError::Short(b.len(), SYSCALL_STR0));
            }
            let mut args = [0u64; 6];
            for (i, a) in args.iter_mut().enumerate() {
                *a = u64_at(b, 88 + 8 * i);
            }
            let mut laddr = [0u8; 16];
            let mut raddr = [0u8; 16];
            laddr.copy_from_slice(&b[152..168]);
            raddr.copy_from_slice(&b[168..184]);
            let fd = FdInfo {
                fd: u32_at(b, 136) as i32,
                mode: u32::from(u16_at(b, 140)),
                family: u16_at(b, 142),
                sock_type: u16_at(b, 144),
                protocol: u16_at(b, 146),
                lport: u16_at(b, 148),
                rport: u16_at(b, 150),
                laddr,
                raddr,
                open_flags: u32_at(b, 184),
            };
            let (len0, len1, flags) = (
                usize::from(u16_at(b, 192)),
                usize::from(u16_at(b, 194)),
                u32_at(b, 196),
            );
            Ok(Record::Syscall(SyscallRec {
                nr: u64_at(b, 72) as i64,
                ret: u64_at(b, 80) as i64,
                cap_effective: u64_at(b, 200),
                args,
                fd,
                str0: area(b, SYSCALL_STR0, len0, flags & STR0_COMPONENTS != 0),
                str1: area(
                    b,
                    SYSCALL_STR0 + PATH_AREA,
                    len1,
                    flags & STR1_COMPONENTS != 0,
                ),
                hdr: h,
            }))
        }
        KIND_EXEC => {
            if b.len() < EXEC_DATA {
                return Err(RecordError::Short(b.len(), EXEC_DATA));
            }
            let (fl, el, cl, al) = (
                usize::from(u16_at(b, 88)),
                usize::from(u16_at(b, 90)),
                usize::from(u16_at(b, 92)),
                usize::from(u16_at(b, 94)),
            );
            let exe_at = EXEC_DATA + fl;
            let cwd_at = exe_at + el;
            let args_at = (cwd_at + cl).min(b.len());
            let raw = &b[args_at..(args_at + al.min(ARGS_LIMIT)).min(b.len())];
            let mut args: Vec<String> = raw
                .split(|c| *c == 0)
                .map(|a| String::from_utf8_lossy(a).into_owned())
                .collect();
            // The argument area ends with a NUL, which leaves one empty piece (and an empty
            // area leaves nothing else).
            if raw.last() == Some(&0) || raw.is_empty() {
                args.pop();
            }
            Ok(Record::Exec(ExecRec {
                nr: u64_at(b, 72) as i64,
                is_memfd: u32_at(b, 80) != 0,
                is_upper: u32_at(b, 100) != 0,
                exe_ino: u32_at(b, 84),
                filename: c_str(b, EXEC_DATA, fl),
                exe_path: area(b, exe_at, el, true).unwrap_or_default(),
                cwd: area(b, cwd_at, cl, true).unwrap_or_else(|| "/".into()),
                args,
                hdr: h,
            }))
        }
        KIND_FORK => Ok(Record::Fork(h)),
        KIND_EXIT => {
            if b.len() < EXIT_SIZE {
                return Err(RecordError::Short(b.len(), EXIT_SIZE));
            }
            let code = u64_at(b, 72) as i64;
            Ok(Record::Exit(h, code))
        }
        k => Err(RecordError::Kind(k)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(kind: u32, size: usize) -> Vec<u8> {
        let mut b = vec![0u8; size];
        b[16..20].copy_from_slice(&kind.to_le_bytes());
        b[24..28].copy_from_slice(&42u32.to_le_bytes());
        b[56..60].copy_from_slice(b"bash");
        b
    }

    #[test]
    fn components_are_reversed_into_a_path() {
        assert_eq!(components_path(b"shadow\0etc\0"), "/etc/shadow");
        assert_eq!(components_path(b""), "/");
    }

    #[test]
    fn syscall_record_with_a_resolved_path() {
        let mut b = header(KIND_SYSCALL, SYSCALL_STR0 + 11);
        b[72..80].copy_from_slice(&257i64.to_le_bytes());
        b[80..88].copy_from_slice(&3i64.to_le_bytes());
        b[192..194].copy_from_slice(&11u16.to_le_bytes());
        b[196..200].copy_from_slice(&STR0_COMPONENTS.to_le_bytes());
        b[SYSCALL_STR0..SYSCALL_STR0 + 11].copy_from_slice(b"shadow\0etc\0");
        let Ok(Record::Syscall(s)) = parse(&b) else {
            panic!("not a syscall record")
        };
        assert_eq!((s.nr, s.ret, s.hdr.pid), (257, 3, 42));
        assert_eq!(s.hdr.comm, "bash");
        assert_eq!(s.str0.as_deref(), Some("/etc/shadow"));
        assert_eq!(s.str1, None);
    }

    /// An exec record as the kernel sends it: the strings one after another, and nothing
    /// after the last one.
    fn exec_record(filename: &[u8], exe: &[u8], cwd: &[u8], args: &[u8]) -> Vec<u8> {
        let mut b = header(KIND_EXEC, EXEC_DATA);
        for (i, part) in [filename, exe, cwd, args].iter().enumerate() {
            let len = u16::try_from(part.len()).unwrap_or(u16::MAX);
            b[88 + 2 * i..90 + 2 * i].copy_from_slice(&len.to_le_bytes());
            b.extend_from_slice(part);
        }
        b
    }

    #[test]
    fn exec_record_strings_follow_each_other() {
        let b = exec_record(
            b"/bin/cat\0",
            b"cat\0bin\0usr\0",
            b"main\0work\0",
            b"cat\0/etc/pw\0",
        );
        let Ok(Record::Exec(e)) = parse(&b) else {
            panic!("not an exec record")
        };
        assert_eq!(e.filename, "/bin/cat");
        assert_eq!(e.exe_path, "/usr/bin/cat");
        assert_eq!(e.cwd, "/work/main");
        assert_eq!(e.args, ["cat", "/etc/pw"]);
        assert_eq!(e.hdr.pid, 42);
        // No cwd: the root.
        let Ok(Record::Exec(e)) = parse(&exec_record(b"/x\0", b"x\0", b"", b"x\0")) else {
            panic!("not an exec record")
        };
        assert_eq!((e.exe_path.as_str(), e.cwd.as_str()), ("/x", "/"));
        assert_eq!(e.args, ["x"]);
    }

    #[test]
    fn exec_record_cut_short_reads_what_is_there() {
        let b = exec_record(b"/bin/cat\0", b"cat\0bin\0", b"tmp\0", b"cat\0/etc/pw\0");
        let Ok(Record::Exec(short)) = parse(&b[..b.len() - 8]) else {
            panic!("a record cut inside its arguments")
        };
        assert_eq!(short.args, ["cat"]);
        assert_eq!(short.exe_path, "/bin/cat");
        // Cut inside the exe path: what follows is absent, not read from elsewhere.
        let Ok(Record::Exec(cut)) = parse(&b[..EXEC_DATA + 12]) else {
            panic!("a record cut inside its exe path")
        };
        assert_eq!((cut.exe_path.as_str(), cut.cwd.as_str()), ("/cat", "/"));
        assert!(cut.args.is_empty());
        assert_eq!(
            parse(&b[..EXEC_DATA - 1]),
            Err(RecordError::Short(EXEC_DATA - 1, EXEC_DATA))
        );
    }

    #[test]
    fn hostile_records_are_errors_not_panics() {
        assert_eq!(parse(&[0u8; 10]), Err(RecordError::Short(10, HDR_SIZE)));
        assert!(matches!(
            parse(&header(KIND_EXEC, 100)),
            Err(RecordError::Short(100, _))
        ));
        assert_eq!(parse(&header(9, HDR_SIZE)), Err(RecordError::Kind(9)));
        // Lengths larger than the record are clamped.
        let mut b = header(KIND_SYSCALL, SYSCALL_STR0 + 4);
        b[192..194].copy_from_slice(&u16::MAX.to_le_bytes());
        assert!(parse(&b).is_ok());
    }

    #[cfg(feature = "ebpf")]
    #[test]
    fn offsets_match_the_compiled_programs() {
        use crate::skel::types::{ev_exec, ev_hdr, ev_syscall, fd_info};
        use std::mem::{offset_of, size_of};
        assert_eq!(size_of::<ev_hdr>(), HDR_SIZE);
        assert_eq!(offset_of!(ev_hdr, comm), 56);
        assert_eq!(offset_of!(ev_syscall, fd), 136);
        assert_eq!(offset_of!(fd_info, laddr), 16);
        assert_eq!(offset_of!(fd_info, open_flags), 48);
        assert_eq!(offset_of!(ev_syscall, len0), 192);
        assert_eq!(offset_of!(ev_syscall, cap_effective), 200);
        assert_eq!(offset_of!(ev_syscall, str0), SYSCALL_STR0);
        assert_eq!(size_of::<ev_syscall>(), SYSCALL_SIZE);
        assert_eq!(offset_of!(ev_exec, filename_len), 88);
        assert_eq!(offset_of!(ev_exec, data), EXEC_DATA);
        assert_eq!(size_of::<ev_exec>(), EXEC_SIZE);
    }
}
