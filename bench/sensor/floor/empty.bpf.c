// SPDX-License-Identifier: GPL-2.0
/* The least any syscall sensor on tracepoints costs: a program on raw_syscalls:sys_exit that
 * does nothing. Attaching it puts every syscall of the machine on the tracepoint path. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sys_exit")
int BPF_PROG(floor_empty, struct pt_regs *regs, long ret)
{
	return 0;
}
