// SPDX-License-Identifier: GPL-2.0
/* Palisade's sensor: stable tracepoints only (BTF tracepoints for the scheduler, the
 * raw_syscalls exit tracepoint for syscalls), no kprobes. Syscalls are reported at exit,
 * where the arguments are still in the saved user registers and the result is known, after
 * an in-kernel filter by syscall number (and optionally by cgroup), so events no rule needs
 * never reach user space. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "events.h"

char LICENSE[] SEC("license") = "GPL";

#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define AF_INET 2
#define AF_INET6 10
#define O_WRONLY 01
#define O_CREAT 0100
#define O_TRUNC 01000

/* x86_64 syscall numbers the programs treat specially. */
#define NR_OPEN 2
#define NR_DUP 32
#define NR_DUP2 33
#define NR_SOCKET 41
#define NR_CONNECT 42
#define NR_ACCEPT 43
#define NR_BIND 49
#define NR_LISTEN 50
#define NR_EXECVE 59
#define NR_RENAME 82
#define NR_MKDIR 83
#define NR_RMDIR 84
#define NR_CREAT 85
#define NR_LINK 86
#define NR_UNLINK 87
#define NR_SYMLINK 88
#define NR_CHMOD 90
#define NR_FCHMOD 91
#define NR_CHDIR 80
#define NR_FCHDIR 81
#define NR_MOUNT 165
#define NR_UMOUNT2 166
#define NR_FINIT_MODULE 313
#define NR_OPENAT 257
#define NR_MKDIRAT 258
#define NR_UNLINKAT 263
#define NR_RENAMEAT 264
#define NR_LINKAT 265
#define NR_SYMLINKAT 266
#define NR_FCHMODAT 268
#define NR_ACCEPT4 288
#define NR_DUP3 292
#define NR_RENAMEAT2 316
#define NR_MEMFD_CREATE 319
#define NR_EXECVEAT 322
#define NR_OPENAT2 437
#define NR_FCHMODAT2 452
#define OVERLAYFS_SUPER_MAGIC 0x794c7630

const volatile __u32 self_tgid = 0;
const volatile bool filter_cgroups = false;
/* Wake the reader once this much is waiting; it also drains on a timer. */
const volatile __u64 wakeup_bytes = 256 * 1024;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 * 1024 * 1024);
} events SEC(".maps");

/* Syscall numbers to report: 1 = report. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 512);
	__type(key, __u32);
	__type(value, __u8);
} syscalls SEC(".maps");

/* With filter_cgroups, only these cgroup v2 ids are reported. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, __u8);
} cgroups SEC(".maps");

const volatile bool path_filter = false;
const volatile __u32 n_suffixes = 0;
const volatile __u32 n_contains = 0;
/* Some suffix is shorter than four bytes: suffix_tails cannot rule them out. */
const volatile bool short_suffixes = false;
const volatile struct path_pattern suffixes[PATH_MAX_SUFFIXES] = {};
const volatile __u64 contains_word[PATH_MAX_CONTAINS] = {};
const volatile __u64 contains_mask[PATH_MAX_CONTAINS] = {};
const volatile __u32 contains_len[PATH_MAX_CONTAINS] = {};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, PATH_MAX_PREFIXES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct path_prefix_key);
	__type(value, __u8);
} path_prefixes SEC(".maps");

/* Bit tail_bit(last four bytes) of each suffix of four or more (pathfilter.rs). */
const volatile __u64 suffix_bits[PATH_SUFFIX_BITS / 64] = {};
/* With prefix_words_cover, every prefix starts with one of these eight-byte words. */
const volatile bool prefix_words_cover = false;
const volatile __u32 n_prefix_words = 0;
const volatile __u64 prefix_words[PATH_PREFIX_WORDS_MAX] = {};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, STAT_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

/* Records are built here, not on the 512-byte stack. */
union scratch {
	struct ev_syscall sys;
	struct ev_exec exec;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, union scratch);
} scratch_map SEC(".maps");

static __always_inline void count(__u32 slot)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &slot);
	if (v)
		*v += 1;
}

static __always_inline bool wanted(void)
{
	if (!filter_cgroups)
		return true;
	__u64 id = bpf_get_current_cgroup_id();
	return bpf_map_lookup_elem(&cgroups, &id) != NULL;
}

/* Wake-ups are batched: only the record that takes the waiting data across wakeup_bytes
 * wakes the reader (a wake-up per record costs an inter-processor interrupt each); the
 * reader also drains on a short timer. */
/* The per-CPU record to build in, or NULL when the current cgroup is filtered out. */
static __always_inline union scratch *scratch_if_wanted(void)
{
	if (!wanted()) {
		count(STAT_FILTERED);
		return NULL;
	}
	__u32 zero = 0;
	return bpf_map_lookup_elem(&scratch_map, &zero);
}

static __always_inline void submit(void *rec, __u32 size)
{
	if (size > sizeof(union scratch))
		return;
	__u64 avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	__u64 flags = avail < wakeup_bytes && avail + size >= wakeup_bytes ? BPF_RB_FORCE_WAKEUP :
									     BPF_RB_NO_WAKEUP;
	if (bpf_ringbuf_output(&events, rec, size, flags) == 0)
		count(STAT_SENT);
	else
		count(STAT_DROPPED);
}

/* Plain dereferences of BTF-typed pointers compile to fault-checked loads, much cheaper
 * than a bpf_probe_read_kernel call per field; BPF_CORE_READ is kept where an index is
 * variable (the verifier refuses variable offsets into BTF objects). */
static __always_inline __u32 tty_of(struct task_struct *t)
{
	struct tty_struct *tty = t->signal->tty;
	if (!tty)
		return 0;
	__u32 index = tty->index;
	__u32 major = tty->driver->major;
	__u32 minor = tty->driver->minor_start + index;
	return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

static __always_inline __u32 vpid_of(struct task_struct *t)
{
	struct pid *p = t->group_leader->thread_pid;
	__u32 level = p->level;
	return BPF_CORE_READ(p, numbers[level & 31].nr);
}

static __always_inline void fill_hdr(struct ev_hdr *h, struct task_struct *t, __u32 kind)
{
	h->ts_boot_ns = bpf_ktime_get_boot_ns();
	h->kind = kind;
	h->pid = t->tgid;
	h->tid = t->pid;
	h->ppid = t->real_parent->tgid;
	h->vpid = vpid_of(t);
	const struct cred *cred = t->cred;
	h->uid = cred->euid.val;
	h->gid = cred->egid.val;
	if (bpf_core_field_exists(t->loginuid))
		h->loginuid = t->loginuid.val;
	else
		h->loginuid = (__u32)-1;
	h->tty = tty_of(t);
	h->cgroup_id = t->cgroups->dfl_cgrp->kn->id;
	BPF_CORE_READ_STR_INTO(&h->comm, t, comm);
}

/* Walking a path is one bpf_loop callback, verified once, rather than an unrolled loop
 * (which made the verifier give up at a million instructions). The callback writes into
 * the per-CPU scratch record at `area`, looked up again because the callback cannot be
 * handed a map-value pointer. */
struct walk_ctx {
	struct dentry *d;
	struct vfsmount *vm;
	struct mount *m;
	struct dentry *root_d;
	struct vfsmount *root_m;
	__u32 area;
	__u32 off;
	__u32 cut;
};

static long walk_step(__u64 i, void *arg)
{
	struct walk_ctx *c = arg;
	/* Plain locals: inside BPF_CORE_READ, `c->x` would itself be relocated as a kernel
	 * field access. */
	struct dentry *d = c->d;
	struct vfsmount *vm = c->vm;
	struct mount *m = c->m;
	if (d == c->root_d && vm == c->root_m) {
		c->cut = 0;
		return 1;
	}
	if (d == BPF_CORE_READ(vm, mnt_root)) {
		struct mount *parent = BPF_CORE_READ(m, mnt_parent);
		if (parent == m) {
			c->cut = 0;
			return 1;
		}
		c->d = BPF_CORE_READ(m, mnt_mountpoint);
		c->m = parent;
		c->vm = &parent->mnt;
		return 0;
	}
	struct dentry *up = BPF_CORE_READ(d, d_parent);
	if (up == d) {
		c->cut = 0;
		return 1;
	}
	if (c->off >= PATH_LIMIT)
		return 1;
	__u32 zero = 0;
	char *s = bpf_map_lookup_elem(&scratch_map, &zero);
	if (!s)
		return 1;
	__u32 at = c->area + (c->off & (PATH_LIMIT - 1));
	if (at > sizeof(union scratch) - 256)
		return 1;
	const unsigned char *name = BPF_CORE_READ(d, d_name.name);
	long n = bpf_probe_read_kernel_str(s + at, 256, name);
	if (n <= 0)
		return 1;
	c->off += n;
	c->d = up;
	return 0;
}

/* The path of a dentry seen from the task's root, as components leaf first, written at
 * `area` of the scratch record. Returns the bytes written; sets *cut when it did not fit. */
static __always_inline __u32 walk_path(__u32 area, struct dentry *d, struct vfsmount *vm,
				       struct task_struct *t, bool *cut)
{
	struct walk_ctx c = {
		.d = d,
		.vm = vm,
		.m = container_of(vm, struct mount, mnt),
		.root_d = BPF_CORE_READ(t, fs, root.dentry),
		.root_m = BPF_CORE_READ(t, fs, root.mnt),
		.area = area,
		.off = 0,
		.cut = 1,
	};
	bpf_loop(MAX_COMPONENTS, walk_step, &c, 0);
	*cut = c.cut;
	return c.off > PATH_LIMIT ? PATH_LIMIT : c.off;
}

/* Direct loads through BTF pointers (the descriptor table, and the file once cast with
 * bpf_core_cast) rather than a probe read per field: these reads were a fifth of an open's
 * cost in the program. The slot itself is a probe read: the verifier refuses a variable
 * index into a BTF object. */
static __always_inline struct file *file_of(struct task_struct *t, __s64 fd)
{
	if (fd < 0)
		return NULL;
	struct fdtable *fdt = t->files->fdt;
	if (!fdt || fd >= fdt->max_fds)
		return NULL;
	struct file **fds = fdt->fd;
	struct file *f = NULL;
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	return f ? bpf_core_cast(f, struct file) : NULL;
}

/* Fill fd info; for files that are not sockets, also their path into str (components). */
static __always_inline __u32 inspect_fd(struct fd_info *fi, struct task_struct *t, __s64 fd,
					bool want_path, bool *cut)
{
	fi->fd = fd;
	struct file *f = file_of(t, fd);
	if (!f) {
		fi->fd = -1;
		return 0;
	}
	fi->open_flags = f->f_flags;
	__u16 mode = f->f_inode->i_mode;
	fi->mode = mode & S_IFMT;
	if ((mode & S_IFMT) != S_IFSOCK) {
		if (!want_path)
			return 0;
		return walk_path(offsetof(struct ev_syscall, str0), f->f_path.dentry, f->f_path.mnt,
				 t, cut);
	}
	struct socket *sock = BPF_CORE_READ(f, private_data);
	struct sock *sk = BPF_CORE_READ(sock, sk);
	if (!sk)
		return 0;
	fi->sock_type = BPF_CORE_READ(sock, type);
	fi->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	fi->protocol = BPF_CORE_READ(sk, sk_protocol);
	fi->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	fi->rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (fi->family == AF_INET) {
		__u32 l = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		__u32 r = BPF_CORE_READ(sk, __sk_common.skc_daddr);
		__builtin_memcpy(fi->laddr, &l, 4);
		__builtin_memcpy(fi->raddr, &r, 4);
	} else if (fi->family == AF_INET6) {
		BPF_CORE_READ_INTO(&fi->laddr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);
		BPF_CORE_READ_INTO(&fi->raddr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr8);
	}
	return 0;
}

static __always_inline __u16 user_str(char *dst, __u64 ptr)
{
	if (!ptr)
		return 0;
	long n = bpf_probe_read_user_str(dst, PATH_LIMIT, (const void *)ptr);
	return n > 0 ? n : 0;
}

/* Which argument holds the first and second path, by syscall (-1: none). */
static __always_inline void path_args(__s64 nr, int *a, int *b)
{
	*a = -1;
	*b = -1;
	switch (nr) {
	case NR_OPEN: case NR_CREAT: case NR_CHMOD: case NR_UNLINK: case NR_RMDIR:
	case NR_MKDIR: case NR_UMOUNT2: case NR_MEMFD_CREATE: case NR_CHDIR: case NR_EXECVE:
		*a = 0; break;
	case NR_OPENAT: case NR_OPENAT2: case NR_FCHMODAT: case NR_FCHMODAT2: case NR_UNLINKAT:
	case NR_MKDIRAT: case NR_EXECVEAT:
		*a = 1; break;
	case NR_RENAME: case NR_LINK: case NR_SYMLINK: case NR_MOUNT:
		*a = 0; *b = 1; break;
	case NR_RENAMEAT: case NR_RENAMEAT2: case NR_LINKAT:
		*a = 1; *b = 3; break;
	case NR_SYMLINKAT:
		*a = 0; *b = 2; break;
	}
}

/* 0x80 in each byte of x that is zero, 0 elsewhere (exact, unlike the cheaper test with
 * carries). */
#define BYTES 0x0101010101010101ULL
static __always_inline __u64 zero_bytes(__u64 x)
{
	const __u64 low7 = 0x7f7f7f7f7f7f7f7fULL;
	return ~(((x & low7) + low7) | x | low7);
}

/* 1 when t is 0, without a branch. */
static __always_inline __u64 is_zero(__u64 t)
{
	return ((t | -t) >> 63) ^ 1;
}

/* The path filter is three global functions, each checked once on its own by the verifier:
 * inlined into sys_exit, every way out of one loop entered the next loop, and the rest of
 * sys_exit, as a state of its own, past the verifier's limit. */

/* Whether the path in str0 (`n` bytes) ends with one of the suffixes. */
__noinline int path_suffix(struct ev_syscall *e, __u32 n)
{
	if (!e || n < 1 || n >= PATH_SCAN_LIMIT)
		return 1;
	/* Only when the last four bytes may end one of them (one bit of a bitmap instead of
	 * comparing every suffix), or when some suffix is shorter than that. */
	if (!short_suffixes && n >= 4) {
		__u32 tail = 0;
		__builtin_memcpy(&tail, &e->str0[(n - 4) & (PATH_SCAN_LIMIT - 1)], 4);
		__u32 bit = (tail * 0x9E3779B1u) >> 20;
		if (!(suffix_bits[bit / 64] & (1ULL << (bit % 64))))
			return 0;
	}
	for (__u32 i = 0; i < PATH_MAX_SUFFIXES && i < n_suffixes; i++) {
		__u32 m = suffixes[i].len;
		if (m == 0 || m > PATH_PATTERN_MAX || m > n)
			continue;
		__u32 at = (n - m) & (PATH_SCAN_LIMIT - 1);
		bool same = true;
		for (__u32 j = 0; j < PATH_PATTERN_MAX && j < m; j++) {
			if (e->str0[at + j] != suffixes[i].s[j]) {
				same = false;
				break;
			}
		}
		if (same)
			return 1;
	}
	return 0;
}

/* Whether the path in str0 (`n` bytes) has "//" or "/." (then the path as written is not
 * fd.name) or one of the substrings (eight bytes at most, compared as one masked word).
 * Eight bytes a step, without branches inside a step. */
__noinline int path_scan(struct ev_syscall *e, __u32 n)
{
	if (!e || n >= PATH_SCAN_LIMIT)
		return 1;
	for (__u32 k = 0; k < PATH_SCAN_LIMIT / 8; k++) {
		__u32 at = k * 8;
		if (at >= n)
			break;
		__u64 w = *(__u64 *)&e->str0[at];
		__u64 nx = *(__u64 *)&e->str0[at + 8];
		__u32 left = n - at;
		__u64 live = left >= 8 ? ~0ULL : (1ULL << (left * 8)) - 1;
		/* Byte i of `after` is the byte after byte i of w. */
		__u64 after = (w >> 8) | (nx << 56);
		__u64 bad = zero_bytes(w ^ (BYTES * '/')) &
			    (zero_bytes(after ^ (BYTES * '.')) | zero_bytes(after ^ (BYTES * '/'))) & live;
		__u64 hit = 0;
		for (__u32 c = 0; c < PATH_MAX_CONTAINS && c < n_contains; c++) {
			/* No byte of w starts the substring: none of the eight places can hold it. */
			if (!zero_bytes(w ^ (BYTES * (contains_word[c] & 0xff))))
				continue;
			for (__u32 o = 0; o < 8; o++) {
				__u64 x = o ? (w >> (8 * o)) | (nx << (64 - 8 * o)) : w;
				__s64 room = (__s64)n - (__s64)(at + o + contains_len[c]);
				hit |= is_zero((x & contains_mask[c]) ^ contains_word[c]) &
				       (((__u64)room >> 63) ^ 1);
			}
		}
		if (bad | hit)
			return 1;
	}
	return 0;
}

/* Whether some rule may match an open of the path in str0 (`len` bytes with the NUL). */
__noinline int path_may_match(struct ev_syscall *e, __u32 len)
{
	if (!e || len < 2 || len > PATH_SCAN_LIMIT || e->str0[0] != '/')
		return 1;
	/* The trie lookup (with its 68-byte key) only for a path that starts as some prefix
	 * does: a handful of word comparisons rule out most paths. */
	bool look = true;
	if (prefix_words_cover) {
		look = false;
		__u64 first = *(__u64 *)e->str0;
		for (__u32 i = 0; i < PATH_PREFIX_WORDS_MAX && i < n_prefix_words; i++) {
			if (prefix_words[i] == first) {
				look = len >= 8;
				break;
			}
		}
	}
	if (look) {
		struct path_prefix_key k;
		k.prefixlen = (len < PATH_PREFIX_MAX ? len : PATH_PREFIX_MAX) * 8;
		__builtin_memcpy(k.data, e->str0, PATH_PREFIX_MAX);
		if (bpf_map_lookup_elem(&path_prefixes, &k))
			return 1;
	}
	__u32 n = len - 1;
	return path_suffix(e, n) || path_scan(e, n);
}

static __always_inline bool is_open(__s64 nr)
{
	return nr == NR_OPEN || nr == NR_OPENAT || nr == NR_OPENAT2 || nr == NR_CREAT;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit, struct pt_regs *regs, long ret)
{
	__s64 nr = regs->orig_ax;
	__u32 key = nr;
	if (key >= 512)
		return 0;
	__u8 *on = bpf_map_lookup_elem(&syscalls, &key);
	if (!on || !*on)
		return 0;
	/* A successful execve is reported by sched_process_exec, with the new image. */
	if ((nr == NR_EXECVE || nr == NR_EXECVEAT) && ret == 0)
		return 0;
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if ((pid_tgid >> 32) == self_tgid)
		return 0;
	union scratch *s = scratch_if_wanted();
	if (!s)
		return 0;
	struct ev_syscall *e = &s->sys;
	e->nr = nr;
	e->ret = ret;
	e->args[0] = regs->di;
	e->args[1] = regs->si;
	e->args[2] = regs->dx;
	e->args[3] = regs->r10;
	e->args[4] = regs->r8;
	e->args[5] = regs->r9;
	e->len0 = 0;
	e->len1 = 0;
	int a, b;
	path_args(nr, &a, &b);
	/* The open's path is read first so that the path filter drops it before anything else
	 * is gathered. */
	bool read0 = false;
	if (is_open(nr) && a >= 0 && a < 6) {
		e->len0 = user_str(e->str0, e->args[a]);
		read0 = true;
		if (path_filter && !path_may_match(e, e->len0)) {
			count(STAT_PATH_SKIPPED);
			return 0;
		}
	}
	struct task_struct *t = (struct task_struct *)bpf_get_current_task_btf();
	fill_hdr(&e->h, t, EV_SYSCALL);
	/* kernel_cap_t is a u64 since 6.3 and two u32s before: 8 bytes in the same order. */
	BPF_CORE_READ_INTO(&e->cap_effective, t, cred, cap_effective);
	e->str_flags = 0;
	e->fd.fd = -1;
	e->fd.mode = 0;
	e->fd.family = 0;
	e->fd.open_flags = 0;

	bool cut = false;
	__s64 fd = -1;
	bool fd_path = false;
	if (is_open(nr) || nr == NR_ACCEPT || nr == NR_ACCEPT4 || nr == NR_DUP || nr == NR_DUP2 ||
	    nr == NR_DUP3 || nr == NR_SOCKET) {
		fd = ret;
		fd_path = is_open(nr);
	} else if (nr == NR_CONNECT || nr == NR_BIND || nr == NR_LISTEN || nr == NR_FCHMOD ||
		   nr == NR_FCHDIR || nr == NR_FINIT_MODULE) {
		fd = e->args[0];
		fd_path = nr == NR_FCHMOD || nr == NR_FCHDIR || nr == NR_FINIT_MODULE;
	}
	if ((nr == NR_DUP || nr == NR_DUP2 || nr == NR_DUP3) && ret < 0)
		fd = e->args[0];
	if (fd_path && read0) {
		/* An absolute path is reported as the process wrote it (fd.name, as Falco builds it,
		 * normalised in user space) and the opened file's dentries are not walked: the walk
		 * was most of an open's cost. A relative one keeps the walk (its base may be any
		 * directory descriptor) and goes in str1 as fd.nameraw. */
		if (e->len0 && e->str0[0] == '/')
			fd_path = false;
		else if (e->len0 && ret >= 0) {
			e->len1 = user_str(e->str1, e->args[a]);
			e->len0 = 0;
		}
	}
	if (fd >= 0) {
		__u32 n = inspect_fd(&e->fd, t, fd, fd_path, &cut);
		if (n) {
			e->len0 = n;
			e->str_flags |= STR0_COMPONENTS | (cut ? STR0_TRUNCATED : 0);
		}
	}
	if (!e->len0 && !e->len1 && a >= 0 && a < 6)
		e->len0 = user_str(e->str0, e->args[a]);
	if (b >= 0 && b < 6)
		e->len1 = user_str(e->str1, e->args[b]);
	if (nr == NR_OPENAT2 && e->args[2]) {
		/* openat2's flags are in struct open_how; report them where openat has them. */
		__u64 flags = 0;
		bpf_probe_read_user(&flags, sizeof(flags), (const void *)e->args[2]);
		e->args[2] = flags;
	}

	/* Only the used part of the last string area is copied into the ring. */
	__u32 size = e->len1 ? offsetof(struct ev_syscall, str1) + (e->len1 & (PATH_AREA - 1)) :
			       offsetof(struct ev_syscall, str0) + (e->len0 & (PATH_AREA - 1));
	if (size > sizeof(*e))
		size = sizeof(*e);
	e->h.size = size;
	submit(e, size);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(sched_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	union scratch *s = scratch_if_wanted();
	if (!s)
		return 0;
	struct ev_exec *e = &s->exec;
	fill_hdr(&e->h, p, EV_EXEC);
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(p);
	e->nr = BPF_CORE_READ(regs, orig_ax);
	e->str_flags = 0;
	e->is_memfd = 0;
	e->is_upper = 0;

	/* Each string starts where the one before ended. Every length is at most PATH_LIMIT, so
	 * the clamps on `at` below never change it; they give the verifier its bounds. */
	long n = bpf_probe_read_kernel_str(e->data, PATH_LIMIT, BPF_CORE_READ(bprm, filename));
	__u32 at = n > 0 ? n : 0;
	if (at > PATH_LIMIT)
		at = PATH_LIMIT;
	e->filename_len = at;

	bool cut = false;
	struct file *exe = BPF_CORE_READ(bprm, file);
	e->exe_ino = BPF_CORE_READ(exe, f_inode, i_ino);
	__u32 exe_len = walk_path(offsetof(struct ev_exec, data) + at,
				  BPF_CORE_READ(exe, f_path.dentry), BPF_CORE_READ(exe, f_path.mnt),
				  p, &cut);
	e->exe_len = exe_len;
	at += exe_len;
	e->str_flags |= STR0_COMPONENTS | (cut ? STR0_TRUNCATED : 0);
	/* memfd files live on an internal mount with no parent: "memfd:name". */
	struct dentry *exe_d = BPF_CORE_READ(exe, f_path.dentry);
	if (BPF_CORE_READ(exe_d, d_parent) == exe_d || exe_len == 0) {
		char prefix[6] = {};
		bpf_probe_read_kernel(prefix, 6, BPF_CORE_READ(exe_d, d_name.name));
		e->is_memfd = prefix[0] == 'm' && prefix[1] == 'e' && prefix[2] == 'm' &&
			      prefix[3] == 'f' && prefix[4] == 'd' && prefix[5] == ':';
	}

	/* proc.is_exe_upper_layer, as Falco reads it: an overlayfs executable whose overlay inode
	 * has an upper dentry was written or copied up in the container's writable layer. */
	struct inode *exe_i = BPF_CORE_READ(exe, f_inode);
	if (exe_i && BPF_CORE_READ(exe_i, i_sb, s_magic) == OVERLAYFS_SUPER_MAGIC) {
		struct ovl_inode *oi = container_of(exe_i, struct ovl_inode, vfs_inode);
		struct dentry *upper = BPF_CORE_READ(oi, __upperdentry);
		e->is_upper = upper && BPF_CORE_READ(upper, d_inode) != NULL;
	}

	if (at > 2 * PATH_LIMIT)
		at = 2 * PATH_LIMIT;
	__u32 cwd_len = walk_path(offsetof(struct ev_exec, data) + at,
				  BPF_CORE_READ(p, fs, pwd.dentry), BPF_CORE_READ(p, fs, pwd.mnt), p,
				  &cut);
	e->cwd_len = cwd_len;
	at += cwd_len;
	if (at > 3 * PATH_LIMIT)
		at = 3 * PATH_LIMIT;
	e->str_flags |= STR1_COMPONENTS | (cut ? STR1_TRUNCATED : 0);

	__u64 start = BPF_CORE_READ(p, mm, arg_start);
	__u64 end = BPF_CORE_READ(p, mm, arg_end);
	__u64 len = end > start ? end - start : 0;
	if (len > ARGS_LIMIT - 1)
		len = ARGS_LIMIT - 1;
	e->args_len = 0;
	if (bpf_probe_read_user(e->data + at, len, (const void *)start) == 0)
		e->args_len = len;
	else
		len = 0;
	/* Only the used bytes are copied into the ring. */
	__u32 size = offsetof(struct ev_exec, data) + at + len;
	if (size > sizeof(*e))
		size = sizeof(*e);
	e->h.size = size;
	submit(e, size);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(sched_fork, struct task_struct *parent, struct task_struct *child)
{
	/* New threads share their process's entry in the table. */
	if (BPF_CORE_READ(child, pid) != BPF_CORE_READ(child, tgid))
		return 0;
	if (!wanted())
		return 0;
	struct ev_hdr h = {};
	fill_hdr(&h, child, EV_FORK);
	h.ppid = BPF_CORE_READ(parent, tgid);
	h.size = sizeof(h);
	submit(&h, sizeof(h));
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(sched_exit, struct task_struct *p)
{
	if (BPF_CORE_READ(p, pid) != BPF_CORE_READ(p, tgid))
		return 0;
	if (!wanted())
		return 0;
	struct ev_exit e = {};
	fill_hdr(&e.h, p, EV_EXIT);
	e.code = BPF_CORE_READ(p, exit_code);
	e.h.size = sizeof(e);
	submit(&e, sizeof(e));
	return 0;
}
