/* Records the sensor's eBPF programs write to the ring buffer. src/record.rs reads the same
 * layout; change both together (the Rust side checks sizes against these numbers). */
#ifndef PALISADE_EVENTS_H
#define PALISADE_EVENTS_H

#define COMM_LEN 16
/* A path is sent as its components, leaf first, each NUL-terminated (STR_COMPONENTS), or as
 * the string the process passed. The areas are larger than the limits so that a write
 * starting below the limit always fits, which is what the verifier checks. */
#define PATH_LIMIT 2048
#define PATH_AREA (PATH_LIMIT + 256)
#define ARGS_LIMIT 2048
#define MAX_COMPONENTS 128
/* Three paths and the arguments, plus room for a path component written past a limit. */
#define EXEC_DATA (3 * PATH_LIMIT + ARGS_LIMIT + 256)

enum ev_kind {
	EV_SYSCALL = 1,
	EV_EXEC = 2,
	EV_FORK = 3,
	EV_EXIT = 4,
};

/* str_flags bits: a string holds path components leaf first; the path was cut short. */
#define STR0_COMPONENTS 1
#define STR1_COMPONENTS 2
#define STR0_TRUNCATED 4
#define STR1_TRUNCATED 8

struct ev_hdr {
	__u64 ts_boot_ns;
	__u64 cgroup_id;
	__u32 kind;
	__u32 size;
	__u32 pid; /* thread group id, as user space calls it a pid */
	__u32 tid;
	__u32 ppid;
	__u32 vpid; /* the pid inside the process's own pid namespace */
	__u32 uid; /* effective */
	__u32 gid;
	__u32 loginuid;
	__u32 tty; /* new_encode_dev of the controlling terminal, 0 without one */
	char comm[COMM_LEN];
};

/* What the programs found behind a file descriptor. */
struct fd_info {
	__s32 fd; /* -1: none inspected */
	__u16 mode; /* S_IFMT bits of the inode */
	__u16 family; /* socket family, 0 for other files */
	__u16 sock_type;
	__u16 protocol;
	__u16 lport; /* host byte order */
	__u16 rport;
	__u8 laddr[16]; /* IPv4 in the first four bytes */
	__u8 raddr[16];
	__u32 open_flags; /* file->f_flags */
	__u32 pad;
};

struct ev_syscall {
	struct ev_hdr h;
	__s64 nr;
	__s64 ret;
	__u64 args[6];
	struct fd_info fd;
	__u16 len0;
	__u16 len1;
	__u32 str_flags;
	__u64 cap_effective; /* the thread's effective capabilities, bit n = capability n */
	char str0[PATH_AREA];
	char str1[PATH_AREA];
};

struct ev_exec {
	struct ev_hdr h;
	__s64 nr; /* execve or execveat */
	__u32 is_memfd; /* the executable is a memfd */
	__u32 exe_ino;
	__u16 filename_len;
	__u16 exe_len;
	__u16 cwd_len;
	__u16 args_len;
	__u32 str_flags; /* STR0: exe path components, STR1: cwd components */
	__u32 is_upper; /* the executable is in an overlayfs upper layer */
	/* The filename, the exe path, the cwd and the arguments, each right after the one
	 * before (at the sum of the lengths before it), so that a record carries only the bytes
	 * it uses: fixed areas made every exec record 7 KiB, and the ring held a few thousand. */
	char data[EXEC_DATA];
};

struct ev_exit {
	struct ev_hdr h;
	__s64 code;
};

/* Per-CPU counters, read and summed by user space. */
enum stat_slot {
	STAT_SENT = 0,
	STAT_DROPPED = 1,
	STAT_FILTERED = 2,
	STAT_PATH_SKIPPED = 3, /* opens no rule can match, dropped by the path filter */
	STAT_SLOTS = 4,
};

/* The path filter for opens (src/pathfilter.rs builds it from the rules): prefixes and
 * whole paths (NUL included) in an LPM trie, looked up only when the path's first eight
 * bytes are some prefix's (when all have eight); suffixes (PATH_PATTERN_MAX bytes), compared
 * only when a bitmap over their last four bytes has the path's; substrings
 * (PATH_CONTAINS_MAX bytes, as little-endian words) in read-only data. Only
 * absolute paths up to PATH_SCAN_LIMIT bytes with no "//" or "/." are tested (there the path
 * as passed is fd.name); every other open is sent. */
#define PATH_PREFIX_MAX 64
#define PATH_PATTERN_MAX 32
#define PATH_MAX_SUFFIXES 16
#define PATH_MAX_CONTAINS 8
#define PATH_CONTAINS_MAX 8
#define PATH_MAX_PREFIXES 1024
#define PATH_SCAN_LIMIT 256
#define PATH_SUFFIX_BITS 4096
#define PATH_PREFIX_WORDS_MAX 32

struct path_prefix_key {
	__u32 prefixlen; /* bits */
	char data[PATH_PREFIX_MAX];
};

struct path_pattern {
	__u32 len;
	char s[PATH_PATTERN_MAX];
};

#endif
