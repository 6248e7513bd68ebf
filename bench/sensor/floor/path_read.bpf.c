// SPDX-License-Identifier: GPL-2.0
/* The least a sensor that filters opens by path costs: the empty program, plus reading the
 * path of each openat from the process (what any path filter must look at) and nothing
 * else: no filter, no record. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

#define NR_OPENAT 257
#define PATH_LIMIT 2048

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, char[PATH_LIMIT]);
} path SEC(".maps");

/* Kept so that the compiler cannot drop the read. */
__u64 bytes_read;

SEC("tp_btf/sys_exit")
int BPF_PROG(floor_path_read, struct pt_regs *regs, long ret)
{
	if (regs->orig_ax != NR_OPENAT)
		return 0;
	__u32 zero = 0;
	char *buf = bpf_map_lookup_elem(&path, &zero);
	if (!buf)
		return 0;
	long n = bpf_probe_read_user_str(buf, PATH_LIMIT, (const void *)regs->si);
	if (n > 0)
		__sync_fetch_and_add(&bytes_read, n);
	return 0;
}
