//! The syscalls the sensor reports (x86_64 numbers, Falco's `evt.type` names) and the
//! rendering of their flag arguments as Falco prints them.

/// `(number, evt.type)`. Successful execve/execveat come from `sched_process_exec`.
pub const SUPPORTED: &[(u32, &str)] = &[
    (2, "open"),
    (257, "openat"),
    (437, "openat2"),
    (85, "creat"),
    (59, "execve"),
    (322, "execveat"),
    (41, "socket"),
    (42, "connect"),
    (43, "accept"),
    (288, "accept4"),
    (49, "bind"),
    (50, "listen"),
    (32, "dup"),
    (33, "dup2"),
    (292, "dup3"),
    (101, "ptrace"),
    (105, "setuid"),
    (106, "setgid"),
    (113, "setreuid"),
    (114, "setregid"),
    (117, "setresuid"),
    (119, "setresgid"),
    (122, "setfsuid"),
    (123, "setfsgid"),
    (165, "mount"),
    (166, "umount2"),
    (272, "unshare"),
    (308, "setns"),
    (90, "chmod"),
    (91, "fchmod"),
    (268, "fchmodat"),
    (452, "fchmodat2"),
    (87, "unlink"),
    (263, "unlinkat"),
    (84, "rmdir"),
    (82, "rename"),
    (264, "renameat"),
    (316, "renameat2"),
    (83, "mkdir"),
    (258, "mkdirat"),
    (88, "symlink"),
    (266, "symlinkat"),
    (86, "link"),
    (265, "linkat"),
    (319, "memfd_create"),
    (175, "init_module"),
    (313, "finit_module"),
    (321, "bpf"),
    (80, "chdir"),
    (81, "fchdir"),
];

/// Reported whatever the rules ask for: the process table follows the working directory.
pub const ALWAYS: &[&str] = &["chdir", "fchdir"];

pub fn name(nr: i64) -> Option<&'static str> {
    SUPPORTED
        .iter()
        .find(|(n, _)| i64::from(*n) == nr)
        .map(|(_, s)| *s)
}

pub fn number(name: &str) -> Option<u32> {
    SUPPORTED.iter().find(|(_, s)| *s == name).map(|(n, _)| *n)
}

fn names(v: u64, table: &[(u64, &str)]) -> String {
    let mut out: Vec<&str> = table
        .iter()
        .filter(|(bit, _)| *bit != 0 && v & bit == *bit)
        .map(|(_, n)| *n)
        .collect();
    if out.is_empty() {
        return "0".into();
    }
    out.dedup();
    out.join("|")
}

/// open flags: the access mode first, then the others, as Falco writes them.
pub fn open_flags(f: u64) -> String {
    let access = match f & 3 {
        0 => "O_RDONLY",
        1 => "O_WRONLY",
        _ => "O_RDWR",
    };
    let rest = names(
        f,
        &[
            (0o100, "O_CREAT"),
            (0o200, "O_EXCL"),
            (0o400, "O_NOCTTY"),
            (0o1000, "O_TRUNC"),
            (0o2000, "O_APPEND"),
            (0o4000, "O_NONBLOCK"),
            (0o10000, "O_DSYNC"),
            (0o40000, "O_DIRECT"),
            (0o200000, "O_DIRECTORY"),
            (0o400000, "O_NOFOLLOW"),
            (0o1000000, "O_NOATIME"),
            (0o2000000, "O_CLOEXEC"),
            (0o10000000, "O_PATH"),
            (0o20200000, "O_TMPFILE"),
        ],
    );
    if rest == "0" {
        access.into()
    } else {
        format!("{access}|{rest}")
    }
}

pub fn clone_flags(f: u64) -> String {
    names(
        f,
        &[
            (0x0002_0000, "CLONE_NEWNS"),
            (0x0200_0000, "CLONE_NEWCGROUP"),
            (0x0400_0000, "CLONE_NEWUTS"),
            (0x0800_0000, "CLONE_NEWIPC"),
            (0x1000_0000, "CLONE_NEWUSER"),
            (0x2000_0000, "CLONE_NEWPID"),
            (0x4000_0000, "CLONE_NEWNET"),
            (0x0000_0080, "CLONE_NEWTIME"),
            (0x0000_0200, "CLONE_FS"),
            (0x0000_0400, "CLONE_FILES"),
            (0x0000_0800, "CLONE_SIGHAND"),
            (0x0000_8000, "CLONE_THREAD"),
            (0x0004_0000, "CLONE_SYSVSEM"),
        ],
    )
}

pub fn mode_flags(m: u64) -> String {
    names(
        m,
        &[
            (0o4000, "S_ISUID"),
            (0o2000, "S_ISGID"),
            (0o1000, "S_ISVTX"),
            (0o400, "S_IRUSR"),
            (0o200, "S_IWUSR"),
            (0o100, "S_IXUSR"),
            (0o40, "S_IRGRP"),
            (0o20, "S_IWGRP"),
            (0o10, "S_IXGRP"),
            (0o4, "S_IROTH"),
            (0o2, "S_IWOTH"),
            (0o1, "S_IXOTH"),
        ],
    )
}

pub fn ptrace_request(r: u64) -> String {
    match r {
        0 => "PTRACE_TRACEME",
        1 => "PTRACE_PEEKTEXT",
        2 => "PTRACE_PEEKDATA",
        3 => "PTRACE_PEEKUSR",
        4 => "PTRACE_POKETEXT",
        5 => "PTRACE_POKEDATA",
        6 => "PTRACE_POKEUSR",
        7 => "PTRACE_CONT",
        8 => "PTRACE_KILL",
        9 => "PTRACE_SINGLESTEP",
        12 => "PTRACE_GETREGS",
        13 => "PTRACE_SETREGS",
        16 => "PTRACE_ATTACH",
        17 => "PTRACE_DETACH",
        24 => "PTRACE_SYSCALL",
        0x4206 => "PTRACE_SEIZE",
        0x4207 => "PTRACE_INTERRUPT",
        _ => return r.to_string(),
    }
    .into()
}

/// Capability names by bit, as `<linux/capability.h>` numbers them.
const CAPS: [&str; 41] = [
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
];

/// A capability set as Falco's `thread.cap_*` fields show it: names joined by spaces.
pub fn cap_names(mask: u64) -> String {
    CAPS.iter()
        .enumerate()
        .filter(|(i, _)| mask & (1u64 << i) != 0)
        .map(|(_, n)| *n)
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn socket_domain(d: u64) -> String {
    match d {
        1 => "AF_UNIX",
        2 => "AF_INET",
        10 => "AF_INET6",
        16 => "AF_NETLINK",
        17 => "AF_PACKET",
        _ => return d.to_string(),
    }
    .into()
}

/// `errno` names for negative results, as `evt.res` shows them.
pub fn errno_name(e: i64) -> String {
    let n = match e {
        1 => "EPERM",
        2 => "ENOENT",
        3 => "ESRCH",
        4 => "EINTR",
        5 => "EIO",
        9 => "EBADF",
        11 => "EAGAIN",
        12 => "ENOMEM",
        13 => "EACCES",
        14 => "EFAULT",
        16 => "EBUSY",
        17 => "EEXIST",
        20 => "ENOTDIR",
        21 => "EISDIR",
        22 => "EINVAL",
        24 => "EMFILE",
        28 => "ENOSPC",
        30 => "EROFS",
        36 => "ENAMETOOLONG",
        38 => "ENOSYS",
        39 => "ENOTEMPTY",
        40 => "ELOOP",
        95 => "EOPNOTSUPP",
        98 => "EADDRINUSE",
        99 => "EADDRNOTAVAIL",
        101 => "ENETUNREACH",
        104 => "ECONNRESET",
        110 => "ETIMEDOUT",
        111 => "ECONNREFUSED",
        113 => "EHOSTUNREACH",
        115 => "EINPROGRESS",
        _ => return format!("E{e}"),
    };
    n.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers_round_trip() {
        for (n, s) in SUPPORTED {
            assert_eq!(number(s), Some(*n));
            assert_eq!(name(i64::from(*n)), Some(*s));
        }
        assert_eq!(name(9999), None);
    }

    #[test]
    fn capability_sets_are_named() {
        assert_eq!(cap_names(0), "");
        assert_eq!(
            cap_names(1 << 21 | 1 << 1),
            "CAP_DAC_OVERRIDE CAP_SYS_ADMIN"
        );
        assert_eq!(cap_names(u64::MAX).split(' ').count(), 41);
    }

    #[test]
    fn flags_read_as_falco_prints_them() {
        assert_eq!(open_flags(0), "O_RDONLY");
        assert_eq!(open_flags(0o2000000), "O_RDONLY|O_CLOEXEC");
        assert_eq!(open_flags(0o1101), "O_WRONLY|O_CREAT|O_TRUNC");
        assert_eq!(clone_flags(0x2002_0000), "CLONE_NEWNS|CLONE_NEWPID");
        assert_eq!(mode_flags(0o4755).split('|').next(), Some("S_ISUID"));
        assert_eq!(ptrace_request(16), "PTRACE_ATTACH");
        assert_eq!(errno_name(2), "ENOENT");
    }
}
