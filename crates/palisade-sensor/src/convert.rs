//! Kernel records, with the process table's view of the process, turned into the syscall
//! events the rules engine reads: a flat map of Falco field names (palisade-runtime's
//! `syscall` source), so a live event and a recorded one (`--record`) are the same thing.

use crate::proctable::Proc;
use crate::record::{ExecRec, FdInfo, SyscallRec};
use crate::syscalls;
use crate::users::Users;
use palisade_runtime::syscall::SyscallEvent;
use serde_json::{Map, Value as J};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;

/// Ancestors carried per event: Falco's default rules look up to `proc.aname[7]`.
pub const ANCESTORS: usize = 8;

pub struct Ctx<'a> {
    pub proc: &'a Proc,
    pub ancestors: &'a [Arc<Proc>],
    /// `container.*` and `k8s.*` fields; `container.id` is "host" outside containers.
    pub container: &'a [(String, J)],
    pub users: &'a Users,
    pub time_ns: i64,
    /// Whether the local end of the event's socket is the client, when the pipeline saw the
    /// connect or accept that made it.
    pub local_is_client: Option<bool>,
}

const AT_FDCWD: i64 = -100;

fn put(m: &mut Map<String, J>, k: &str, v: impl Into<J>) {
    m.insert(k.to_string(), v.into());
}

fn proc_fields(m: &mut Map<String, J>, c: &Ctx) {
    let p = c.proc;
    put(m, "proc.name", p.name.as_str());
    put(m, "proc.exe", p.exe.as_str());
    put(m, "proc.exepath", p.exepath.as_str());
    put(m, "proc.args", p.args.join(" "));
    put(m, "proc.cmdline", p.cmdline());
    put(m, "proc.cwd", with_slash(&p.cwd));
    put(m, "proc.pid", p.pid);
    put(m, "proc.ppid", p.ppid);
    put(m, "proc.vpid", p.vpid);
    put(m, "proc.tty", p.tty);
    put(m, "proc.pid.ts", p.start_ns);
    put(m, "proc.duration", (c.time_ns - p.start_ns).max(0));
    put(m, "proc.is_exe_from_memfd", p.is_memfd);
    put(m, "proc.exe_ino", p.exe_ino);
    put(m, "thread.tid", p.pid);
    let a = c.ancestors;
    let list = |f: fn(&Proc) -> J| J::Array(a.iter().map(|x| f(x)).collect());
    put(m, "proc.aname", list(|x| x.name.as_str().into()));
    put(m, "proc.aexe", list(|x| x.exe.as_str().into()));
    put(m, "proc.aexepath", list(|x| x.exepath.as_str().into()));
    put(m, "proc.acmdline", list(|x| x.cmdline().into()));
    put(m, "proc.apid", list(|x| x.pid.into()));
    if let Some(parent) = a.first() {
        put(m, "proc.pname", parent.name.as_str());
        put(m, "proc.pexe", parent.exe.as_str());
        put(m, "proc.pexepath", parent.exepath.as_str());
        put(m, "proc.pcmdline", parent.cmdline());
        put(m, "proc.pvpid", parent.vpid);
        put(m, "proc.ppid.duration", (c.time_ns - parent.start_ns).max(0));
    }
    put(m, "user.uid", p.uid);
    put(m, "group.gid", p.gid);
    // Falco shows an unset login uid (4294967295) as -1.
    put(m, "user.loginuid", i64::from(p.loginuid as i32));
    if let Some(u) = c.users.user(p.uid) {
        put(m, "user.name", u.name.as_str());
        put(m, "user.homedir", u.home.as_str());
        put(m, "user.shell", u.shell.as_str());
    } else {
        put(m, "user.name", "<NA>");
    }
    if let Some(u) = c.users.user(p.loginuid) {
        put(m, "user.loginname", u.name.as_str());
    }
    if let Some(g) = c.users.group(p.gid) {
        put(m, "group.name", g);
    }
    for (k, v) in c.container {
        m.insert(k.clone(), v.clone());
    }
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

fn fd_fields(
    m: &mut Map<String, J>,
    nr_name: &str,
    fd: &FdInfo,
    path: Option<&str>,
    role: Option<bool>,
) {
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
    put(m, "fd.num", fd.fd);
    put(m, "fd.type", ty);
    put(m, "fd.typechar", ch);
    if let Some(p) = path {
        put(m, "fd.name", p);
        put(m, "fd.nameraw", p);
        let (d, f) = split_dir(p);
        put(m, "fd.directory", d);
        put(m, "fd.filename", f);
    }
    let (Some(l), Some(r)) = (ip(fd.family, &fd.laddr), ip(fd.family, &fd.raddr)) else {
        if fd.family == 1 {
            put(m, "fd.sockfamily", "unix");
        }
        return;
    };
    put(m, "fd.sockfamily", "ip");
    let proto = match (fd.protocol, fd.sock_type) {
        (6, _) | (0, 1) => "tcp",
        (17, _) | (0, 2) => "udp",
        (1 | 58, _) => "icmp",
        _ => "raw",
    };
    put(m, "fd.l4proto", proto);
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
    put(m, "fd.lip", l.to_string());
    put(m, "fd.rip", r.to_string());
    put(m, "fd.lport", fd.lport);
    put(m, "fd.rport", fd.rport);
    put(m, "fd.cip", cip.to_string());
    put(m, "fd.sip", sip.to_string());
    put(m, "fd.cport", cport);
    put(m, "fd.sport", sport);
    put(m, "fd.connected", fd.rport != 0);
    if !m.contains_key("fd.name") {
        let fmt = |a: IpAddr, p: u16| match a {
            IpAddr::V4(a) => format!("{a}:{p}"),
            IpAddr::V6(a) => format!("{a}:{p}"),
        };
        put(m, "fd.name", format!("{}->{}", fmt(cip, cport), fmt(sip, sport)));
    }
}

fn common(m: &mut Map<String, J>, evt_type: &str, ret: i64, c: &Ctx) {
    put(m, "evt.type", evt_type);
    put(m, "syscall.type", evt_type);
    put(m, "evt.dir", "<");
    put(m, "evt.rawtime", c.time_ns);
    put(m, "evt.rawres", ret);
    put(m, "evt.failed", ret < 0);
    put(
        m,
        "evt.res",
        if ret < 0 {
            syscalls::errno_name(-ret)
        } else {
            "SUCCESS".into()
        },
    );
    proc_fields(m, c);
}

pub fn exec_event(e: &ExecRec, c: &Ctx) -> SyscallEvent {
    let mut m = Map::new();
    let name = if e.nr == 322 { "execveat" } else { "execve" };
    common(&mut m, name, 0, c);
    put(&mut m, "evt.arg.filename", e.filename.as_str());
    put(&mut m, "evt.arg.exe", c.proc.exe.as_str());
    put(&mut m, "evt.arg.args", c.proc.args.join(" "));
    put(&mut m, "evt.arg.cwd", c.proc.cwd.as_str());
    if e.is_memfd {
        put(&mut m, "evt.arg.flags", "EXE_FROM_MEMFD");
    }
    SyscallEvent {
        fields: m,
        time_ns: c.time_ns,
    }
}

/// `None` for a syscall the sensor does not know (the in-kernel filter only lets known
/// numbers through; this guards a stale filter).
pub fn syscall_event(s: &SyscallRec, c: &Ctx) -> Option<SyscallEvent> {
    let name = syscalls::name(s.nr)?;
    let mut m = Map::new();
    common(&mut m, name, s.ret, c);
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
            let path = abs(&s.str0, d);
            put(&mut m, "evt.arg.flags", syscalls::open_flags(flags));
            put(&mut m, "evt.arg.fd", s.ret);
            let access = flags & 3;
            put(&mut m, "evt.is_open_read", access == 0 || access == 2);
            put(&mut m, "evt.is_open_write", access == 1 || access == 2);
            put(&mut m, "evt.is_open_create", flags & 0o100 != 0);
            put(&mut m, "evt.is_open_exec", false);
            if let Some(p) = &path {
                put(&mut m, "evt.arg.name", p.as_str());
            }
            let mut fd = s.fd.clone();
            if s.ret < 0 {
                fd.fd = -1;
            }
            fd_fields(&mut m, name, &fd, path.as_deref(), None);
        }
        "connect" | "accept" | "accept4" | "bind" | "listen" | "dup" | "dup2" | "dup3" => {
            if name.starts_with("dup") {
                put(&mut m, "evt.arg.oldfd", a[0] as i32);
                put(&mut m, "evt.arg.newfd", s.ret);
            } else {
                put(&mut m, "evt.arg.fd", s.ret.max(a[0] as i32 as i64));
            }
            fd_fields(&mut m, name, &s.fd, None, c.local_is_client);
        }
        "ptrace" => {
            put(&mut m, "evt.arg.request", syscalls::ptrace_request(a[0]));
            put(&mut m, "evt.arg.pid", a[1] as i32);
        }
        "setuid" | "setfsuid" => put(&mut m, "evt.arg.uid", a[0] as u32),
        "setgid" | "setfsgid" => put(&mut m, "evt.arg.gid", a[0] as u32),
        "setreuid" | "setresuid" => {
            put(&mut m, "evt.arg.ruid", a[0] as u32);
            put(&mut m, "evt.arg.euid", a[1] as u32);
        }
        "setregid" | "setresgid" => {
            put(&mut m, "evt.arg.rgid", a[0] as u32);
            put(&mut m, "evt.arg.egid", a[1] as u32);
        }
        "unshare" => put(&mut m, "evt.arg.flags", syscalls::clone_flags(a[0])),
        "setns" => {
            put(&mut m, "evt.arg.fd", a[0] as i32);
            put(&mut m, "evt.arg.nstype", syscalls::clone_flags(a[1]));
        }
        "mount" => {
            if let Some(src) = &s.str0 {
                put(&mut m, "evt.arg.dev", src.as_str());
                put(&mut m, "fs.path.source", src.as_str());
            }
            if let Some(dir) = abs(&s.str1, None) {
                put(&mut m, "evt.arg.dir", dir.as_str());
                put(&mut m, "fs.path.target", dir);
            }
            put(&mut m, "evt.arg.flags", a[3]);
        }
        "chmod" | "fchmod" | "fchmodat" | "fchmodat2" => {
            let mode = if name == "chmod" || name == "fchmod" {
                a[1]
            } else {
                a[2]
            };
            put(&mut m, "evt.arg.mode", syscalls::mode_flags(mode));
            let d = name.starts_with("fchmodat").then(|| a[0] as i32 as i64);
            if let Some(p) = abs(&s.str0, d) {
                put(&mut m, "evt.arg.filename", p.as_str());
                put(&mut m, "fs.path.name", p);
            }
        }
        "rename" | "renameat" | "renameat2" | "link" | "linkat" => {
            let (d0, d1) = if name.ends_with("at") || name == "renameat2" {
                (dirfd(0), dirfd(2))
            } else {
                (None, None)
            };
            if let Some(p) = abs(&s.str0, d0) {
                put(&mut m, "evt.arg.oldpath", p.as_str());
                put(&mut m, "fs.path.source", p);
            }
            if let Some(p) = abs(&s.str1, d1) {
                put(&mut m, "evt.arg.newpath", p.as_str());
                put(&mut m, "fs.path.target", p);
            }
        }
        "symlink" | "symlinkat" => {
            if let Some(t) = &s.str0 {
                put(&mut m, "evt.arg.target", t.as_str());
                put(&mut m, "fs.path.target", t.as_str());
            }
            let d = (name == "symlinkat").then(|| a[1] as i32 as i64);
            if let Some(p) = abs(&s.str1, d) {
                put(&mut m, "evt.arg.linkpath", p.as_str());
                put(&mut m, "fs.path.source", p);
            }
        }
        "unlink" | "unlinkat" | "rmdir" | "mkdir" | "mkdirat" | "chdir" | "fchdir"
        | "umount2" => {
            let d = name.ends_with("at").then(|| a[0] as i32 as i64);
            if let Some(p) = abs(&s.str0, d) {
                let key = if name == "unlinkat" { "name" } else { "path" };
                put(&mut m, &format!("evt.arg.{key}"), p.as_str());
                put(&mut m, "fs.path.name", p);
            }
        }
        "memfd_create" => {
            if let Some(n) = &s.str0 {
                put(&mut m, "evt.arg.name", n.as_str());
            }
            put(&mut m, "evt.arg.flags", a[1]);
        }
        "finit_module" => {
            put(&mut m, "evt.arg.fd", a[0] as i32);
            if let Some(p) = &s.str0 {
                put(&mut m, "fd.name", p.as_str());
            }
        }
        "bpf" => put(&mut m, "evt.arg.cmd", a[0]),
        "execve" | "execveat" => {
            let d = (name == "execveat").then(|| a[0] as i32 as i64);
            if let Some(p) = abs(&s.str0, d) {
                put(&mut m, "evt.arg.filename", p);
            }
        }
        _ => {}
    }
    Some(SyscallEvent {
        fields: m,
        time_ns: c.time_ns,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Hdr;

    fn ctx<'a>(p: &'a Proc, users: &'a Users, container: &'a [(String, J)]) -> Ctx<'a> {
        Ctx {
            proc: p,
            ancestors: &[],
            container,
            users,
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
        };
        let ev = syscall_event(&rec, &ctx(&p, &users, &cont)).expect("known syscall");
        let f = &ev.fields;
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
        };
        let ev = syscall_event(&rec, &ctx(&p, &users, &[])).expect("dup2");
        let f = &ev.fields;
        assert_eq!(f["fd.type"], "ipv4");
        assert_eq!(f["fd.sport"], 8080);
        assert_eq!(f["fd.l4proto"], "tcp");
        assert_eq!(f["fd.name"], "127.0.0.1:40000->127.0.0.1:8080");
        assert_eq!(f["evt.rawres"], 0);
    }
}
