//! The process table: pid → what rules ask about a process and its ancestors. Seeded once
//! from /proc at start-up, then kept from fork, exec and exit records, so events never read
//! /proc (a process may be gone by the time its events are read).

use crate::record::{ExecRec, Hdr};
use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub struct Proc {
    pub pid: u32,
    pub ppid: u32,
    pub vpid: u32,
    /// `proc.name`: the kernel's comm.
    pub name: String,
    /// `proc.exe`: argv\[0\].
    pub exe: String,
    pub exepath: String,
    pub args: Vec<String>,
    pub cwd: String,
    pub uid: u32,
    pub gid: u32,
    pub loginuid: u32,
    pub tty: u32,
    pub cgroup_id: u64,
    /// Wall-clock nanoseconds of the fork (or of the first sighting).
    pub start_ns: i64,
    pub is_memfd: bool,
    pub is_upper: bool,
    pub exe_ino: u32,
}

impl Proc {
    /// `proc.cmdline`: the name followed by the arguments, as Falco builds it.
    pub fn cmdline(&self) -> String {
        let mut s = self.name.clone();
        for a in &self.args {
            s.push(' ');
            s.push_str(a);
        }
        s
    }

    fn from_hdr(h: &Hdr, now_ns: i64) -> Proc {
        Proc {
            pid: h.pid,
            ppid: h.ppid,
            vpid: h.vpid,
            name: h.comm.clone(),
            exe: h.comm.clone(),
            uid: h.uid,
            gid: h.gid,
            loginuid: h.loginuid,
            tty: h.tty,
            cgroup_id: h.cgroup_id,
            start_ns: now_ns,
            ..Proc::default()
        }
    }
}

/// Bounded so a fork bomb cannot grow the sensor without limit: past the bound new entries
/// are refused, and their events carry what their own record says.
pub struct ProcTable {
    procs: HashMap<u32, Arc<Proc>>,
    max: usize,
}

impl ProcTable {
    pub fn new(max: usize) -> Self {
        ProcTable {
            procs: HashMap::new(),
            max,
        }
    }

    pub fn len(&self) -> usize {
        self.procs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.procs.is_empty()
    }

    pub fn get(&self, pid: u32) -> Option<&Arc<Proc>> {
        self.procs.get(&pid)
    }

    fn insert(&mut self, p: Proc) {
        if self.procs.len() < self.max || self.procs.contains_key(&p.pid) {
            self.procs.insert(p.pid, Arc::new(p));
        }
    }

    /// Every process /proc shows now (`root` is normally "/proc").
    pub fn seed(&mut self, root: &Path, boot_to_wall_ns: i64) {
        let Ok(dir) = fs::read_dir(root) else { return };
        for e in dir.flatten() {
            let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                continue;
            };
            if let Some(p) = read_proc(&e.path(), pid, boot_to_wall_ns) {
                self.insert(p);
            }
        }
    }

    pub fn fork(&mut self, h: &Hdr, now_ns: i64) {
        let mut child = match self.procs.get(&h.ppid) {
            Some(parent) => Proc {
                pid: h.pid,
                ppid: h.ppid,
                vpid: h.vpid,
                uid: h.uid,
                gid: h.gid,
                loginuid: h.loginuid,
                tty: h.tty,
                cgroup_id: h.cgroup_id,
                ..Proc::clone(parent)
            },
            None => Proc::from_hdr(h, now_ns),
        };
        child.start_ns = now_ns;
        self.insert(child);
    }

    pub fn exec(&mut self, e: &ExecRec, now_ns: i64) -> Arc<Proc> {
        let h = &e.hdr;
        let start_ns = self.procs.get(&h.pid).map_or(now_ns, |p| p.start_ns);
        let mut args = e.args.clone();
        let exe = if args.is_empty() {
            e.filename.clone()
        } else {
            args.remove(0)
        };
        let p = Proc {
            exe,
            exepath: if e.is_memfd {
                format!("memfd:{}", e.exe_path.trim_start_matches('/'))
            } else {
                e.exe_path.clone()
            },
            args,
            cwd: e.cwd.clone(),
            start_ns,
            is_memfd: e.is_memfd,
            is_upper: e.is_upper,
            exe_ino: e.exe_ino,
            ..Proc::from_hdr(h, now_ns)
        };
        self.insert(p);
        self.procs
            .get(&h.pid)
            .cloned()
            .unwrap_or_else(|| Arc::new(Proc::from_hdr(h, now_ns)))
    }

    pub fn exit(&mut self, pid: u32) {
        self.procs.remove(&pid);
    }

    /// The process an event came from, refreshed from the record's own header (credentials
    /// and terminal change without an exec), or made from it when the table has no entry.
    pub fn current(&mut self, h: &Hdr, now_ns: i64) -> Arc<Proc> {
        let known = self.procs.get(&h.pid).cloned();
        let p = match known {
            Some(p) if p.uid == h.uid && p.gid == h.gid && p.tty == h.tty => return p,
            Some(p) => Proc {
                uid: h.uid,
                gid: h.gid,
                tty: h.tty,
                ..Proc::clone(&p)
            },
            None => Proc::from_hdr(h, now_ns),
        };
        let p = Arc::new(p);
        if self.procs.len() < self.max || self.procs.contains_key(&h.pid) {
            self.procs.insert(h.pid, p.clone());
        }
        p
    }

    pub fn set_cwd(&mut self, pid: u32, cwd: String) {
        if let Some(p) = self.procs.get(&pid) {
            let q = Proc {
                cwd,
                ..Proc::clone(p)
            };
            self.procs.insert(pid, Arc::new(q));
        }
    }

    /// Ancestors, parent first, at most `n`, stopping at a loop or an unknown pid.
    pub fn ancestors(&self, p: &Proc, n: usize) -> Vec<Arc<Proc>> {
        let mut out: Vec<Arc<Proc>> = Vec::new();
        let mut next = p.ppid;
        while out.len() < n && next != 0 && next != p.pid {
            let Some(a) = self.procs.get(&next) else {
                break;
            };
            if out.iter().any(|o| o.pid == a.pid) {
                break;
            }
            next = a.ppid;
            out.push(a.clone());
        }
        out
    }
}

fn read_proc(dir: &Path, pid: u32, boot_to_wall_ns: i64) -> Option<Proc> {
    let stat = fs::read_to_string(dir.join("stat")).ok()?;
    // comm is in parentheses and may itself hold ") ": split at the last one.
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let name = stat.get(open + 1..close)?.to_string();
    let rest: Vec<&str> = stat.get(close + 2..)?.split_whitespace().collect();
    let field = |i: usize| rest.get(i).and_then(|v| v.parse::<i64>().ok());
    let ppid = field(1)? as u32;
    let tty_nr = field(4).unwrap_or(0) as u32;
    let ticks = 100i64; // USER_HZ on every Linux architecture the sensor supports
    let start_ns = field(19).unwrap_or(0) * (1_000_000_000 / ticks) + boot_to_wall_ns;
    let cmdline = fs::read(dir.join("cmdline")).unwrap_or_default();
    let mut args: Vec<String> = cmdline
        .split(|c| *c == 0)
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    if cmdline.last() == Some(&0) {
        args.pop();
    }
    let exe = if args.is_empty() {
        name.clone()
    } else {
        args.remove(0)
    };
    let link = |n: &str| {
        fs::read_link(dir.join(n))
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let status = fs::read_to_string(dir.join("status")).unwrap_or_default();
    let ids = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    };
    let vpid = status
        .lines()
        .find_map(|l| l.strip_prefix("NSpid:"))
        .and_then(|v| v.split_whitespace().last())
        .and_then(|v| v.parse().ok())
        .unwrap_or(pid);
    let loginuid = fs::read_to_string(dir.join("loginuid"))
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(u32::MAX);
    Some(Proc {
        pid,
        ppid,
        vpid,
        name,
        exe,
        exepath: link("exe").trim_end_matches(" (deleted)").to_string(),
        args,
        cwd: link("cwd"),
        uid: ids("Uid:"),
        gid: ids("Gid:"),
        loginuid,
        tty: tty_nr,
        cgroup_id: 0,
        start_ns,
        is_memfd: false,
        is_upper: false,
        exe_ino: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hdr(pid: u32, ppid: u32, comm: &str) -> Hdr {
        Hdr {
            pid,
            ppid,
            comm: comm.into(),
            ..Hdr::default()
        }
    }

    #[test]
    fn fork_exec_exit_keep_the_chain() {
        let mut t = ProcTable::new(100);
        t.fork(&hdr(10, 1, "sshd"), 1);
        t.fork(&hdr(11, 10, "sshd"), 2);
        let e = ExecRec {
            hdr: hdr(11, 10, "bash"),
            nr: 59,
            is_memfd: false,
            is_upper: false,
            exe_ino: 0,
            filename: "/bin/bash".into(),
            exe_path: "/usr/bin/bash".into(),
            cwd: "/root".into(),
            args: vec!["-bash".into(), "-i".into()],
        };
        let p = t.exec(&e, 3);
        assert_eq!((p.name.as_str(), p.exe.as_str()), ("bash", "-bash"));
        assert_eq!(p.cmdline(), "bash -i");
        assert_eq!(p.start_ns, 2, "an exec keeps the fork's start");
        let chain: Vec<String> = t.ancestors(&p, 5).iter().map(|a| a.name.clone()).collect();
        assert_eq!(chain, ["sshd"]);
        t.exit(11);
        assert!(t.get(11).is_none());
    }

    #[test]
    fn ancestor_loops_end() {
        let mut t = ProcTable::new(100);
        t.fork(&hdr(2, 3, "a"), 0);
        t.fork(&hdr(3, 2, "b"), 0);
        let p = t.get(2).cloned().expect("inserted");
        assert_eq!(t.ancestors(&p, 10).len(), 1);
    }

    #[test]
    fn the_table_is_bounded() {
        let mut t = ProcTable::new(2);
        for pid in 1..10 {
            t.fork(&hdr(pid, 0, "x"), 0);
        }
        assert_eq!(t.len(), 2);
    }

    #[test]
    fn seeding_reads_this_process() {
        let mut t = ProcTable::new(100_000);
        t.seed(Path::new("/proc"), 0);
        let me = t.get(std::process::id()).expect("own pid seeded");
        assert!(!me.exepath.is_empty());
        assert!(!me.cwd.is_empty());
    }
}
