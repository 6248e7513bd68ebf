//! Kernel records, with the process table's view of the process, turned into the syscall
//! events the rules engine reads: a flat map of Falco field names (palisade-runtime's
//! `syscall` source), so a live event and a recorded one (`--record`) are the same thing.

use crate::proctable::Proc;
use crate::record::{ExecRec, FdInfo, SyscallRec};
use crate::syscalls;
use crate::users::Users;
use crate::wanted::Wanted;
use palisade_runtime::syscall::{FieldStore, Key, SyscallEvent};
use serde_json::Value as J;
use std::cell::RefCell;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;

/// Ancestors carried per event: Falco's default rules look up to `proc.aname[7]`.
pub const ANCESTORS: usize = 8;

pub struct Ctx<'a> {
    pub proc: &'a Proc,
    pub ancestors: &'a [Arc<Proc>],
    /// The process's fields from [`process_fields`], shared by all its events.
    pub shared: Arc<FieldStore>,
    pub wanted: &'a Wanted,
    pub time_ns: i64,
    /// Whether the local end of the event's socket is the client, when the pipeline saw the
    /// connect or accept that made it.
    pub local_is_client: Option<bool>,
}

const AT_FDCWD: i64 = -100;

/// A field name's key, parsed once per call site: parsing (a hash lookup) on every event
/// was a tenth of the reader's time.
macro_rules! k {
    ($name:literal) => {{
        static KEY: std::sync::OnceLock<Key> = std::sync::OnceLock::new();
        KEY.get_or_init(|| Key::parse($name))
    }};
}

/// The fields of one event being built, limited to what the rules read.
pub struct Out<'w> {
    pub m: FieldStore,
    w: &'w Wanted,
}

impl<'w> Out<'w> {
    pub fn new(w: &'w Wanted) -> Self {
        Out {
            m: FieldStore::new(),
            w,
        }
    }

    fn put(&mut self, k: &Key, v: impl Into<J>) {
        self.put_with(k, || v);
    }

    /// For values that cost something to build.
    fn put_with<V: Into<J>>(&mut self, k: &Key, f: impl FnOnce() -> V) {
        if self.w.has_key(k) {
            self.m.insert(k.clone(), f().into());
        }
    }
}

/// What does not change between a process's events until it execs, changes credentials or
/// its ancestry changes: built once and shared ([`SyscallEvent::shared`]).
pub fn process_fields(
    p: &Proc,
    a: &[Arc<Proc>],
    container: &[(String, J)],
    users: &Users,
    wanted: &Wanted,
) -> FieldStore {
    let mut out = Out::new(wanted);
    let m = &mut out;
    m.put(k!("proc.name"), p.name.as_str());
    m.put(k!("proc.exe"), p.exe.as_str());
    m.put(k!("proc.exepath"), p.exepath.as_str());
    m.put_with(k!("proc.args"), || p.args.join(" "));
    m.put_with(k!("proc.cmdline"), || p.cmdline());
    m.put_with(k!("proc.cwd"), || with_slash(&p.cwd));
    m.put(k!("proc.pid"), p.pid);
    m.put(k!("proc.ppid"), p.ppid);
    m.put(k!("proc.vpid"), p.vpid);
    m.put(k!("proc.tty"), p.tty);
    m.put(k!("proc.pid.ts"), p.start_ns);
    m.put(k!("proc.is_exe_from_memfd"), p.is_memfd);
    m.put(k!("proc.is_exe_upper_layer"), p.is_upper);
    m.put(k!("proc.exe_ino"), p.exe_ino);
    m.put(k!("thread.tid"), p.pid);
    let list = |f: fn(&Proc) -> J| J::Array(a.iter().map(|x| f(x)).collect());
    m.put_with(k!("proc.aname"), || list(|x| x.name.as_str().into()));
    m.put_with(k!("proc.aexe"), || list(|x| x.exe.as_str().into()));
    m.put_with(k!("proc.aexepath"), || list(|x| x.exepath.as_str().into()));
    m.put_with(k!("proc.acmdline"), || list(|x| x.cmdline().into()));
    m.put_with(k!("proc.apid"), || list(|x| x.pid.into()));
    if let Some(parent) = a.first() {
        m.put(k!("proc.pname"), parent.name.as_str());
        m.put(k!("proc.pexe"), parent.exe.as_str());
        m.put(k!("proc.pexepath"), parent.exepath.as_str());
        m.put_with(k!("proc.pcmdline"), || parent.cmdline());
        m.put(k!("proc.pvpid"), parent.vpid);
    }
    m.put(k!("user.uid"), p.uid);
    m.put(k!("group.gid"), p.gid);
    // Falco shows an unset login uid (4294967295) as -1.
    m.put(k!("user.loginuid"), i64::from(p.loginuid as i32));
    if let Some(u) = users.user(p.uid) {
        m.put(k!("user.name"), u.name.as_str());
        m.put(k!("user.homedir"), u.home.as_str());
        m.put(k!("user.shell"), u.shell.as_str());
    } else {
        m.put(k!("user.name"), "<NA>");
    }
    if let Some(u) = users.user(p.loginuid) {
        m.put(k!("user.loginname"), u.name.as_str());
    }
    if let Some(g) = users.group(p.gid) {
        m.put(k!("group.name"), g);
    }
    for (k, v) in container {
        m.put(&Key::parse(k), v.clone());
    }
    out.m
}

fn with_slash(d: &str) -> String {
    if d.ends_with('/') {
        d.to_string()
    } else {
        format!("{d}/")
    }
}

/// A path the process passed, made absolute against its working directory (for `*at`
/// calls only when relative to `AT_FDCWD`) and lexically normalised, as Falco shows it.
pub fn absolute(path: &str, cwd: &str, dirfd: Option<i64>) -> String {
    // Paths resolved in the kernel are already absolute and clean.
    // One pass for both "/." and "//": two `contains` were a few percent of the reader.
    let clean = !path
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b'/' && matches!(w[1], b'.' | b'/'));
    if path.starts_with('/') && clean {
        return path.to_string();
    }
    if !path.starts_with('/') && dirfd.is_some_and(|d| d != AT_FDCWD) {
        return path.to_string();
    }
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{}/{path}", cwd.trim_end_matches('/'))
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}

fn split_dir(path: &str) -> (&str, &str) {
    match path.rfind('/') {
        Some(0) => ("/", &path[1..]),
        Some(i) => (&path[..i], &path[i + 1..]),
        None => ("", path),
    }
}

fn ip(family: u16, a: &[u8; 16]) -> Option<IpAddr> {
    match family {
        2 => Some(IpAddr::V4(Ipv4Addr::new(a[0], a[1], a[2], a[3]))),
        10 => Some(IpAddr::V6(Ipv6Addr::from(*a))),
        _ => None,
    }
}

fn fd_fields(m: &mut Out, nr_name: &str, fd: &FdInfo, path: Option<&str>, role: Option<bool>) {
    const S_IFMT_SOCK: u32 = 0o140000;
    let (ty, ch) = match (fd.mode, fd.family) {
        (S_IFMT_SOCK, 2) => ("ipv4", "4"),
        (S_IFMT_SOCK, 10) => ("ipv6", "6"),
        (S_IFMT_SOCK, 1) => ("unix", "u"),
        (S_IFMT_SOCK, 16) => ("netlink", "n"),
        (0o040000, _) => ("directory", "d"),
        (0o010000, _) => ("pipe", "p"),
        (0o100000 | 0o020000 | 0o060000 | 0o120000, _) => ("file", "f"),
        _ if path.is_some() => ("file", "f"),
        _ => ("unknown", "o"),
    };
    m.put(k!("fd.num"), fd.fd);
    m.put(k!("fd.type"), ty);
    m.put(k!("fd.typechar"), ch);
    if let Some(p) = path {
        m.put(k!("fd.name"), p);
        m.put(k!("fd.nameraw"), p);
        let (d, f) = split_dir(p);
        m.put(k!("fd.directory"), d);
        m.put(k!("fd.filename"), f);
    }
    let (Some(l), Some(r)) = (ip(fd.family, &fd.laddr), ip(fd.family, &fd.raddr)) else {
        if fd.family == 1 {
            m.put(k!("fd.sockfamily"), "unix");
        }
        return;
    };
    m.put(k!("fd.sockfamily"), "ip");
    let proto = match (fd.protocol, fd.sock_type) {
        (6, _) | (0, 1) => "tcp",
        (17, _) | (0, 2) => "udp",
        (1 | 58, _) => "icmp",
        _ => "raw",
    };
    m.put(k!("fd.l4proto"), proto);
    // The client is whoever connected: the local end after connect, the peer after accept.
    // A descriptor whose connect or accept was not seen falls back to ports: the lower one
    // is taken as the server's, which is how services and ephemeral ports fall.
    let local_is_client = match nr_name {
        "connect" => true,
        "accept" | "accept4" | "bind" | "listen" => false,
        _ => role.unwrap_or(fd.rport != 0 && fd.lport > fd.rport),
    };
    let ((cip, cport), (sip, sport)) = if local_is_client {
        ((l, fd.lport), (r, fd.rport))
    } else {
        ((r, fd.rport), (l, fd.lport))
    };
    m.put(k!("fd.lip"), l.to_string());
    m.put(k!("fd.rip"), r.to_string());
    m.put(k!("fd.lport"), fd.lport);
    m.put(k!("fd.rport"), fd.rport);
    m.put(k!("fd.cip"), cip.to_string());
    m.put(k!("fd.sip"), sip.to_string());
    m.put(k!("fd.cport"), cport);
    m.put(k!("fd.sport"), sport);
    m.put(k!("fd.connected"), fd.rport != 0);
    // Falco's either-end fields: a condition holds when it holds for the client or the server.
    m.put_with(k!("fd.ip"), || {
        vec![J::from(cip.to_string()), J::from(sip.to_string())]
    });
    m.put_with(k!("fd.net"), || {
        vec![J::from(cip.to_string()), J::from(sip.to_string())]
    });
    m.put_with(k!("fd.port"), || vec![J::from(cport), J::from(sport)]);
    if m.m.get_key(k!("fd.name")).is_none() {
        let fmt = |a: IpAddr, p: u16| match a {
            IpAddr::V4(a) => format!("{a}:{p}"),
            IpAddr::V6(a) => format!("{a}:{p}"),
        };
        m.put(
            k!("fd.name"),
            format!("{}->{}", fmt(cip, cport), fmt(sip, sport)),
        );
    }
}

fn common(m: &mut Out, evt_type: &str, ret: i64, c: &Ctx) {
    m.put(k!("evt.type"), evt_type);
    m.put(k!("syscall.type"), evt_type);
    m.put(k!("evt.dir"), "<");
    m.put(k!("evt.rawtime"), c.time_ns);
    m.put(k!("evt.rawres"), ret);
    m.put(k!("evt.failed"), ret < 0);
    m.put(
        k!("evt.res"),
        if ret < 0 {
            syscalls::errno_name(-ret)
        } else {
            "SUCCESS".into()
        },
    );
    m.put(k!("proc.duration"), (c.time_ns - c.proc.start_ns).max(0));
    if let Some(parent) = c.ancestors.first() {
        m.put(
            k!("proc.ppid.duration"),
            (c.time_ns - parent.start_ns).max(0),
        );
    }
}

/// Root's capability names are some 500 bytes and a process's capabilities rarely change,
/// so the last mask's text is kept rather than joined again for every event.
fn cap_text(mask: u64) -> String {
    thread_local! {
        static LAST: RefCell<Option<(u64, String)>> = const { RefCell::new(None) };
    }
    LAST.with_borrow_mut(|last| match last {
        Some((m, text)) if *m == mask => text.clone(),
        _ => last.insert((mask, syscalls::cap_names(mask))).1.clone(),
    })
}

pub fn exec_event(e: &ExecRec, c: &Ctx) -> SyscallEvent {
    let mut m = Out::new(c.wanted);
    let name = if e.nr == 322 { "execveat" } else { "execve" };
    common(&mut m, name, 0, c);
    m.put(k!("evt.arg.filename"), e.filename.as_str());
    m.put(k!("evt.arg.exe"), c.proc.exe.as_str());
    m.put_with(k!("evt.arg.args"), || c.proc.args.join(" "));
    m.put(k!("evt.arg.cwd"), c.proc.cwd.as_str());
    if e.is_memfd {
        m.put(k!("evt.arg.flags"), "EXE_FROM_MEMFD");
    }
    SyscallEvent::new(m.m, Some(c.shared.clone()), c.time_ns)
}

/// `None` for a syscall the sensor does not know (the in-kernel filter only lets known
/// numbers through; this guards a stale filter).
pub fn syscall_event(s: &SyscallRec, c: &Ctx) -> Option<SyscallEvent> {
    let name = syscalls::name(s.nr)?;
    let mut m = Out::new(c.wanted);
    common(&mut m, name, s.ret, c);
    m.put_with(k!("thread.cap_effective"), || cap_text(s.cap_effective));
    let a = &s.args;
    let cwd = c.proc.cwd.as_str();
    let dirfd = |i: usize| Some(a[i] as i32 as i64);
    let abs = |p: &Option<String>, d: Option<i64>| p.as_deref().map(|p| absolute(p, cwd, d));
    match name {
        "open" | "openat" | "openat2" | "creat" => {
            let flags = match name {
                "open" => a[1],
                "creat" => 0o1101,
                _ => a[2],
            };
            let d = if name.starts_with("openat") {
                dirfd(0)
            } else {
                None
            };
            // An absolute path comes as passed, in str0; a relative one as the kernel
            // resolved it in str0 and as passed in str1.
            let path = abs(&s.str0, d).or_else(|| abs(&s.str1, d));
            let raw = s.str1.as_deref().or(s.str0.as_deref());
            m.put_with(k!("evt.arg.flags"), || syscalls::open_flags(flags));
            m.put(k!("evt.arg.fd"), s.ret);
            let access = flags & 3;
            m.put(k!("evt.is_open_read"), access == 0 || access == 2);
            m.put(k!("evt.is_open_write"), access == 1 || access == 2);
            m.put(k!("evt.is_open_create"), flags & 0o100 != 0);
            m.put(k!("evt.is_open_exec"), false);
            if let Some(p) = raw {
                m.put(k!("evt.arg.name"), p);
            }
            let mut fd = s.fd.clone();
            if s.ret < 0 {
                fd.fd = -1;
            }
            fd_fields(&mut m, name, &fd, path.as_deref(), None);
            if let Some(p) = raw {
                m.put(k!("fd.nameraw"), p);
            }
        }
        "connect" | "accept" | "accept4" | "bind" | "listen" | "dup" | "dup2" | "dup3" => {
            if name.starts_with("dup") {
                m.put(k!("evt.arg.oldfd"), a[0] as i32);
                m.put(k!("evt.arg.newfd"), s.ret);
            } else {
                m.put(k!("evt.arg.fd"), s.ret.max(a[0] as i32 as i64));
            }
            fd_fields(&mut m, name, &s.fd, None, c.local_is_client);
        }
        "socket" => {
            m.put_with(k!("evt.arg.domain"), || syscalls::socket_domain(a[0]));
            m.put(k!("evt.arg.type"), a[1] & 0xf);
            m.put(k!("evt.arg.proto"), a[2] as i32);
            m.put(k!("evt.arg.fd"), s.ret);
            fd_fields(&mut m, name, &s.fd, None, None);
        }
        "ptrace" => {
            m.put(k!("evt.arg.request"), syscalls::ptrace_request(a[0]));
            m.put(k!("evt.arg.pid"), a[1] as i32);
        }
        "setuid" | "setfsuid" => m.put(k!("evt.arg.uid"), a[0] as u32),
        "setgid" | "setfsgid" => m.put(k!("evt.arg.gid"), a[0] as u32),
        "setreuid" | "setresuid" => {
            m.put(k!("evt.arg.ruid"), a[0] as u32);
            m.put(k!("evt.arg.euid"), a[1] as u32);
        }
        "setregid" | "setresgid" => {
            m.put(k!("evt.arg.rgid"), a[0] as u32);
            m.put(k!("evt.arg.egid"), a[1] as u32);
        }
        "unshare" => m.put(k!("evt.arg.flags"), syscalls::clone_flags(a[0])),
        "setns" => {
            m.put(k!("evt.arg.fd"), a[0] as i32);
            m.put(k!("evt.arg.nstype"), syscalls::clone_flags(a[1]));
        }
        "mount" => {
            if let Some(src) = &s.str0 {
                m.put(k!("evt.arg.dev"), src.as_str());
                m.put(k!("fs.path.source"), src.as_str());
            }
            if let Some(dir) = abs(&s.str1, None) {
                m.put(k!("evt.arg.dir"), dir.as_str());
                m.put(k!("fs.path.target"), dir);
            }
            m.put(k!("evt.arg.flags"), a[3]);
        }
        "chmod" | "fchmod" | "fchmodat" | "fchmodat2" => {
            let mode = if name == "chmod" || name == "fchmod" {
                a[1]
            } else {
                a[2]
            };
            m.put(k!("evt.arg.mode"), syscalls::mode_flags(mode));
            let d = name.starts_with("fchmodat").then(|| a[0] as i32 as i64);
            if let Some(p) = abs(&s.str0, d) {
                m.put(k!("evt.arg.filename"), p.as_str());
                m.put(k!("fs.path.name"), p);
            }
        }
        "rename" | "renameat" | "renameat2" | "link" | "linkat" => {
            let (d0, d1) = if name.ends_with("at") || name == "renameat2" {
                (dirfd(0), dirfd(2))
            } else {
                (None, None)
            };
            if let Some(p) = abs(&s.str0, d0) {
                m.put(k!("evt.arg.oldpath"), p.as_str());
                m.put(k!("fs.path.source"), p);
            }
            if let Some(p) = abs(&s.str1, d1) {
                m.put(k!("evt.arg.newpath"), p.as_str());
                m.put(k!("fs.path.target"), p);
            }
        }
        "symlink" | "symlinkat" => {
            if let Some(t) = &s.str0 {
                m.put(k!("evt.arg.target"), t.as_str());
                m.put(k!("fs.path.target"), t.as_str());
            }
            let d = (name == "symlinkat").then(|| a[1] as i32 as i64);
            if let Some(p) = abs(&s.str1, d) {
                m.put(k!("evt.arg.linkpath"), p.as_str());
                m.put(k!("fs.path.source"), p);
            }
        }
        "unlink" | "unlinkat" | "rmdir" | "mkdir" | "mkdirat" | "chdir" | "fchdir" | "umount2" => {
            let d = name.ends_with("at").then(|| a[0] as i32 as i64);
            if let Some(p) = abs(&s.str0, d) {
                let key = if name == "unlinkat" { "name" } else { "path" };
                m.put(&Key::parse(&format!("evt.arg.{key}")), p.as_str());
                m.put(k!("fs.path.name"), p);
            }
        }
        "memfd_create" => {
            if let Some(n) = &s.str0 {
                m.put(k!("evt.arg.name"), n.as_str());
            }
            m.put(k!("evt.arg.flags"), a[1]);
        }
        "finit_module" => {
            m.put(k!("evt.arg.fd"), a[0] as i32);
            if let Some(p) = &s.str0 {
                m.put(k!("fd.name"), p.as_str());
            }
        }
        "bpf" => m.put(k!("evt.arg.cmd"), a[0]),
        "execve" | "execveat" => {
            let d = (name == "execveat").then(|| a[0] as i32 as i64);
            if let Some(p) = abs(&s.str0, d) {
                m.put(k!("evt.arg.filename"), p);
            }
        }
        _ => {}
    }
    Some(SyscallEvent::new(m.m, Some(c.shared.clone()), c.time_ns))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Hdr;

    static ALL: Wanted = Wanted::all();

    fn ctx<'a>(p: &'a Proc, users: &'a Users, container: &'a [(String, J)]) -> Ctx<'a> {
        Ctx {
            proc: p,
            ancestors: &[],
            shared: Arc::new(process_fields(p, &[], container, users, &ALL)),
            wanted: &ALL,
            time_ns: 10,
            local_is_client: None,
        }
    }

    #[test]
    fn paths_are_made_absolute_and_normalised() {
        assert_eq!(absolute("../etc/./shadow", "/root", None), "/etc/shadow");
        assert_eq!(absolute("x", "/tmp/", Some(AT_FDCWD)), "/tmp/x");
        assert_eq!(absolute("x", "/tmp", Some(5)), "x");
        assert_eq!(split_dir("/etc/shadow"), ("/etc", "shadow"));
        assert_eq!(split_dir("/shadow"), ("/", "shadow"));
    }

    #[test]
    fn open_of_etc_shadow() {
        let p = Proc {
            pid: 7,
            name: "cat".into(),
            args: vec!["/etc/shadow".into()],
            cwd: "/root".into(),
            ..Proc::default()
        };
        let users = Users::parse("root:x:0:0::/root:/bin/sh\n", "");
        let cont = vec![("container.id".to_string(), J::from("host"))];
        let rec = SyscallRec {
            hdr: Hdr::default(),
            nr: 257,
            ret: 3,
            args: [(-100i64) as u64, 0, 0o2000000, 0, 0, 0],
            fd: FdInfo {
                fd: 3,
                mode: 0o100000,
                ..FdInfo::default()
            },
            str0: Some("/etc/shadow".into()),
            str1: None,
            cap_effective: 0,
        };
        let ev = syscall_event(&rec, &ctx(&p, &users, &cont)).expect("known syscall");
        let f = &ev.merged();
        assert_eq!(f["evt.type"], "openat");
        assert_eq!(f["evt.is_open_read"], true);
        assert_eq!(f["fd.typechar"], "f");
        assert_eq!(f["fd.name"], "/etc/shadow");
        assert_eq!(f["fd.directory"], "/etc");
        assert_eq!(f["proc.cmdline"], "cat /etc/shadow");
        assert_eq!(f["user.name"], "root");
        assert_eq!(f["container.id"], "host");
        assert_eq!(f["evt.arg.flags"], "O_RDONLY|O_CLOEXEC");
    }

    #[test]
    fn open_paths_as_passed_and_as_resolved() {
        let p = Proc {
            cwd: "/root".into(),
            ..Proc::default()
        };
        let users = Users::default();
        let cont = vec![];
        let open = |str0: Option<&str>, str1: Option<&str>, ret: i64| SyscallRec {
            hdr: Hdr::default(),
            nr: 257,
            ret,
            args: [(-100i64) as u64, 0, 0, 0, 0, 0],
            fd: FdInfo {
                fd: 3,
                mode: 0o100000,
                ..FdInfo::default()
            },
            str0: str0.map(String::from),
            str1: str1.map(String::from),
            cap_effective: 0,
        };
        let fields = |r: &SyscallRec| {
            let ev = syscall_event(r, &ctx(&p, &users, &cont)).expect("known syscall");
            ev.merged()
        };
        // Absolute: only the path as written, normalised for fd.name.
        let f = fields(&open(Some("/etc//./shadow"), None, 3));
        assert_eq!(f["fd.name"], "/etc/shadow");
        assert_eq!(f["fd.nameraw"], "/etc//./shadow");
        assert_eq!(f["evt.arg.name"], "/etc//./shadow");
        // Relative and opened: the kernel's resolution, and the path as written.
        let f = fields(&open(Some("/etc/shadow"), Some("../etc/shadow"), 3));
        assert_eq!(f["fd.name"], "/etc/shadow");
        assert_eq!(f["fd.nameraw"], "../etc/shadow");
        // Relative and failed: joined to the working directory.
        let f = fields(&open(Some("nope"), None, -2));
        assert_eq!(f["fd.name"], "/root/nope");
        assert_eq!(f["fd.nameraw"], "nope");
    }

    #[test]
    fn a_connected_socket() {
        let p = Proc::default();
        let users = Users::default();
        let mut fd = FdInfo {
            fd: 3,
            mode: 0o140000,
            family: 2,
            sock_type: 1,
            protocol: 6,
            lport: 40000,
            rport: 8080,
            ..FdInfo::default()
        };
        fd.laddr[..4].copy_from_slice(&[127, 0, 0, 1]);
        fd.raddr[..4].copy_from_slice(&[127, 0, 0, 1]);
        let rec = SyscallRec {
            hdr: Hdr::default(),
            nr: 33,
            ret: 0,
            args: [3, 0, 0, 0, 0, 0],
            fd,
            str0: None,
            str1: None,
            cap_effective: 0,
        };
        let ev = syscall_event(&rec, &ctx(&p, &users, &[])).expect("dup2");
        let f = &ev.merged();
        assert_eq!(f["fd.type"], "ipv4");
        assert_eq!(f["fd.sport"], 8080);
        assert_eq!(f["fd.l4proto"], "tcp");
        assert_eq!(f["fd.name"], "127.0.0.1:40000->127.0.0.1:8080");
        assert_eq!(f["evt.rawres"], 0);
    }
}
