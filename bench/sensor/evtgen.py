#!/usr/bin/env python3
"""Falco's own end-to-end suite (falcosecurity/falco e2e_tests/evtgen_suite: declarative
event-generator tests, each a rule, the syscalls that must trigger it and the alert's
expected priority and output fields) run against `palisade runtime watch` with Falco's
default rules. The suite was written for Falco, so it is an oracle that owes nothing to
Palisade.

Each case runs as event-generator's HostRunner runs it: resources made (files, directories,
a connected TCP client/server), an optional container (a cgroup named as Docker names one,
new PID and mount namespaces), the process chain of `context.processes` (each process
executed through a symlink with its name, so the kernel names it so; `user` switches to
that account), then the steps' syscalls in the last process. After each case the alerts
since the case began are searched for the expected rule with the expected fields.

Usage (root; release CLI with the sensor):
  cargo build --release -p palisade --features sensor
  bench/sensor/evtgen.py [SUITE_DIR] [-v] [-k NAME_PART]
"""
import ctypes
import itertools
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SUITE = os.path.join(ROOT, "..", "shared", "corpus", "falco", "tests-current",
                     "falcosecurity__falco", "e2e_tests", "evtgen_suite")
RULES = os.path.join(ROOT, "..", "shared", "corpus", "falco", "rules-current",
                     "falcosecurity__rules", "rules", "falco_rules.yaml")
PALISADE = os.path.join(ROOT, "target", "release", "palisade")
# Children may run as other users, who cannot read an interpreter under root's home.
CHILD_PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long

NR = {"open": 2, "openat": 257, "openat2": 437, "link": 86, "linkat": 265,
      "symlink": 88, "symlinkat": 266, "dup2": 33, "dup3": 292, "socket": 41}
AT_FDCWD = -100
CONST = {"AF_PACKET": 17, "AF_INET": 2, "AF_INET6": 10, "AF_UNIX": 1,
         "SOCK_RAW": 3, "SOCK_STREAM": 1, "SOCK_DGRAM": 2}


def flags(v):
    if isinstance(v, int):
        return v
    out = 0
    for part in str(v).split("|"):
        part = part.strip()
        out |= getattr(os, part) if hasattr(os, part) else int(part, 0)
    return out


def number(v):
    if isinstance(v, int):
        return v
    return CONST.get(str(v), None) if str(v) in CONST else int(str(v), 0)


# --- the suite's templates -------------------------------------------------------------

PLACEHOLDER = re.compile(r"%\{\s*item\.(\w+)\s*\}")


def load(path):
    import yaml  # only the harness parses the suite; children run without PyYAML

    text = PLACEHOLDER.sub(lambda m: f'"@@{m.group(1)}@@"', open(path).read())
    # A placeholder inside a quoted string became quotes within quotes: undo that.
    text = re.sub(r'("[^"\n]*?)"@@(\w+)@@"([^"\n]*")', r"\1@@\2@@\3", text)
    return yaml.safe_load(text)["tests"]


def expand(v, item):
    if isinstance(v, dict):
        return {k: expand(x, item) for k, x in v.items()}
    if isinstance(v, list):
        return [expand(x, item) for x in v]
    if isinstance(v, str):
        whole = re.fullmatch(r"@@(\w+)@@", v)
        if whole:
            return item.get(whole.group(1))
        return re.sub(r"@@(\w+)@@", lambda m: str(item.get(m.group(1))), v)
    return v


def cases(test):
    for c in test.get("cases") or [{"strategy": "vector", "values": {}}]:
        values = c.get("values") or {}
        if c.get("strategy") == "matrix":
            keys = list(values)
            for combo in itertools.product(*(values[k] for k in keys)):
                yield dict(zip(keys, combo))
        else:
            yield dict(values)


# --- running one case --------------------------------------------------------------------

def make_resources(res, bag):
    for r in res or []:
        if r["type"] == "fd":
            sub = r.get("subtype")
            sub = sub[0] if isinstance(sub, list) else sub
            if sub == "directory":
                os.makedirs(r.get("dirPath") or r["filePath"], exist_ok=True)
            else:
                p = r.get("filePath")
                os.makedirs(os.path.dirname(p), exist_ok=True)
                if not os.path.exists(p):
                    open(p, "a").close()
        elif r["type"] == "clientServer":
            host, port = r["address"].rsplit(":", 1)
            fam = socket.AF_INET6 if r.get("l4Proto", "tcp4").endswith("6") else socket.AF_INET
            srv = socket.socket(fam, socket.SOCK_STREAM)
            srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            srv.bind((host.strip("[]"), int(port)))
            srv.listen(1)
            cli = socket.create_connection((host.strip("[]"), int(port)))
            conn, _ = srv.accept()
            bag[r["name"]] = {"client": {"fd": cli.fileno()}, "server": {"fd": conn.fileno()},
                              "_keep": (srv, cli, conn)}
        else:
            raise NotImplementedError(f"resource type {r['type']}")


def ref(v, bag):
    m = re.fullmatch(r"\$\{\s*([\w.]+)\s*\}", str(v))
    if not m:
        return v
    cur = bag
    for part in m.group(1).split("."):
        cur = cur[part]
    return cur


def run_steps(steps, bag):
    for st in steps or []:
        if st["type"] != "syscall":
            raise NotImplementedError(f"step type {st['type']}")
        name = st["syscall"]
        name = name[0] if isinstance(name, list) else name
        a = {k: ref(v, bag) for k, v in (st.get("args") or {}).items()}
        b = lambda s: ctypes.c_char_p(str(s).encode())
        if name == "open":
            r = libc.syscall(NR[name], b(a["pathname"]), flags(a.get("flags", 0)), int(str(a.get("mode", 0)), 8) if isinstance(a.get("mode"), str) else a.get("mode", 0))
        elif name == "openat":
            r = libc.syscall(NR[name], AT_FDCWD, b(a["pathname"]), flags(a.get("flags", 0)), a.get("mode", 0))
        elif name == "openat2":
            how = a.get("how") or {}
            buf = (ctypes.c_uint64 * 3)(flags(how.get("flags", 0)), how.get("mode", 0) or 0, 0)
            r = libc.syscall(NR[name], AT_FDCWD, b(a["pathname"]), ctypes.byref(buf), 24)
        elif name == "link":
            r = libc.syscall(NR[name], b(a["oldPath"]), b(a["newPath"]))
        elif name == "linkat":
            r = libc.syscall(NR[name], AT_FDCWD, b(a["oldPath"]), AT_FDCWD, b(a["newPath"]), 0)
        elif name == "symlink":
            r = libc.syscall(NR[name], b(a["target"]), b(a["linkPath"]))
        elif name == "symlinkat":
            r = libc.syscall(NR[name], b(a["target"]), AT_FDCWD, b(a["linkPath"]))
        elif name == "dup2":
            r = libc.syscall(NR[name], int(a["oldFd"]), int(a["newFd"]))
        elif name == "dup3":
            r = libc.syscall(NR[name], int(a["oldFd"]), int(a["newFd"]), int(a.get("flags", 0)))
        elif name == "socket":
            r = libc.syscall(NR[name], number(a["domain"]), number(a["type"]), number(a.get("protocol", 0)))
        else:
            raise NotImplementedError(f"syscall {name}")
        if r < 0 and os.environ.get("EVTGEN_VERBOSE"):
            print(f"  {name} failed: {os.strerror(ctypes.get_errno())}", file=sys.stderr)


def become_keeping_caps(pw):
    """setuid to a user with every capability kept through the coming execs (ambient)."""
    libc.prctl(8, 1, 0, 0, 0)  # PR_SET_KEEPCAPS
    os.setgid(pw.pw_gid)
    os.setuid(pw.pw_uid)
    hdr = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this thread
    data = (ctypes.c_uint32 * 6)()
    libc.capget(hdr, data)
    # effective, permitted, inheritable per 32-bit half: effective and inheritable = permitted
    data[0], data[2] = data[1], data[1]
    data[3], data[5] = data[4], data[4]
    libc.capset(hdr, data)
    permitted = data[1] | (data[4] << 32)
    for cap in range(64):
        if permitted & (1 << cap):
            libc.prctl(47, 2, cap, 0, 0)  # PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE


def drop_into_upper_layer(ov):
    """What event-generator's container builder does for a process with an `exe`: the
    executable is copied into the container's writable (upper) overlayfs layer. Here, in the
    container's own mount namespace, a copy of /bin/true written through an overlay mount is
    bind-mounted on each `exe` path, so the file executed there lives in an upper layer."""
    ms_bind, ms_rec, ms_private = 0x1000, 0x4000, 1 << 18
    if libc.mount(b"none", b"/", None, ms_rec | ms_private, None) != 0:
        raise OSError(ctypes.get_errno(), "make / private")
    dirs = {d: os.path.join(ov["dir"], d) for d in ("lower", "upper", "work", "merged")}
    for d in dirs.values():
        os.makedirs(d, exist_ok=True)
    opts = "lowerdir={lower},upperdir={upper},workdir={work}".format(**dirs).encode()
    if libc.mount(b"overlay", dirs["merged"].encode(), b"overlay", 0, opts) != 0:
        raise OSError(ctypes.get_errno(), "mount overlay")
    for exe in ov["exes"]:
        copy = os.path.join(dirs["merged"], os.path.basename(exe))
        shutil.copy2("/bin/true", copy)
        if libc.mount(copy.encode(), exe.encode(), None, ms_bind, None) != 0:
            raise OSError(ctypes.get_errno(), f"bind {exe}")


def child_main(spec):
    """In the process chain: become the next named process, or run the steps."""
    chain = spec["chain"]
    if spec.get("cgroup") and spec.get("depth", 0) == 0:
        with open(os.path.join(spec["cgroup"], "cgroup.procs"), "w") as f:
            f.write(str(os.getpid()))
        libc.unshare(0x20000000 | 0x00020000)  # CLONE_NEWPID | CLONE_NEWNS
        pid = os.fork()
        if pid:
            _, st = os.waitpid(pid, 0)
            os._exit(os.waitstatus_to_exitcode(st))
        if spec.get("overlay"):
            try:
                drop_into_upper_layer(spec["overlay"])
            except OSError as e:
                print(f"overlay: {e}", file=sys.stderr)
                os._exit(3)
    if chain:
        nxt, rest = chain[0], chain[1:]
        spec2 = dict(spec, chain=rest, depth=spec.get("depth", 0) + 1)
        pid = os.fork()
        if pid == 0:
            user = nxt.get("user")
            if user and user != "root":
                pw = pwd.getpwnam(user)
                if spec.get("cgroup"):
                    # The suite's containers are privileged: their non-root users keep the
                    # capabilities (the release_agent rule tests thread.cap_effective).
                    become_keeping_caps(pw)
                else:
                    os.setgid(pw.pw_gid)
                    os.setuid(pw.pw_uid)
            extra = str(nxt.get("args") or "").split()
            if not rest and not spec.get("steps") and not spec.get("resources"):
                # A leaf that only has to exist: /bin/true under its name (or its `exe`
                # path), with exactly its arguments, as rules read proc.exe and proc.args.
                exe = nxt.get("exe") or os.path.join(spec["bindir"], "true", nxt["name"])
                os.execv(exe, [nxt.get("exe") or nxt["name"]] + extra)
            exe = os.path.join(spec["bindir"], nxt["name"])
            # A process that runs on keeps this script's arguments first; its own go last
            # (rules test parents' command lines with `contains`).
            os.execv(exe, [nxt["name"], spec["script"], "--child", json.dumps(spec2)] + extra)
        _, st = os.waitpid(pid, 0)
        os._exit(os.waitstatus_to_exitcode(st))
    # `before` runs in the process that makes the syscalls, after it started: "sleep 6"
    # makes it older than Falco's five-second `proc_is_new`.
    if spec.get("before"):
        subprocess.run(spec["before"], shell=True, check=False)
    bag = {}
    try:
        make_resources(spec.get("resources"), bag)
    except OSError as e:
        # An address this machine does not have (::1 without IPv6, a public address).
        print(f"resource: {e}", file=sys.stderr)
        os._exit(3)
    run_steps(spec.get("steps"), bag)
    os._exit(0)


# --- the harness -------------------------------------------------------------------------

def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child_main(json.loads(sys.argv[2]))
    if os.geteuid() != 0:
        sys.exit("evtgen.py: needs root (the sensor loads eBPF programs)")
    args = [a for i, a in enumerate(sys.argv[1:], 1) if sys.argv[i - 1] != "-k"]
    suite = next((a for a in args if not a.startswith("-")), SUITE)
    verbose = "-v" in sys.argv
    # -k TEXT: only the tests whose name contains TEXT.
    only = sys.argv[sys.argv.index("-k") + 1] if "-k" in sys.argv else None
    work = tempfile.mkdtemp(prefix="evtgen-")
    bindir = os.path.join(work, "bin")
    os.makedirs(bindir)
    os.chmod(work, 0o755)
    # Children may run as other users: they execute a copy in the world-readable work dir.
    shutil.copy(__file__, os.path.join(work, "evtgen.py"))
    os.chmod(os.path.join(work, "evtgen.py"), 0o755)
    alerts_path = os.path.join(work, "alerts.jsonl")
    status = os.path.join(work, "status.json")
    mi = open("/proc/self/mountinfo").read()
    cg2 = next((l.split(" - ")[0].split()[4] for l in mi.splitlines()
                if " - cgroup2 " in l), None)
    watch = subprocess.Popen([PALISADE, "runtime", "watch", "-r", RULES, "--all-matches",
                              "--status-file", status, "--output", alerts_path],
                             stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "err"), "w"))
    for _ in range(300):
        if os.path.exists(status) or watch.poll() is not None:
            break
        time.sleep(0.1)
    if not os.path.exists(status):
        # Without a running sensor every case would "fail": say why instead.
        watch.kill()
        err = open(os.path.join(work, "err")).read().strip()
        shutil.rmtree(work, ignore_errors=True)
        sys.exit(f"the sensor did not start (is {PALISADE} built with --features sensor?): {err}")
    totals = {"pass": 0, "fail": 0, "not run": 0}
    lines = []
    try:
        for f in sorted(os.listdir(suite)):
            if not f.endswith(".yaml"):
                continue
            for t in load(os.path.join(suite, f)):
                if only and only not in t["name"]:
                    continue
                for item in cases(t):
                    tc = expand(t, item)
                    label = f"{tc['name']} {json.dumps(item, sort_keys=True)}"
                    res = run_case(tc, bindir, cg2, alerts_path, work)
                    totals[res[0]] += 1
                    if res[0] != "pass" or verbose:
                        lines.append(f"{res[0]:8} {label}: {res[1]}")
    finally:
        watch.send_signal(signal.SIGINT)
        watch.wait(30)
        for ip in ADDED:
            subprocess.run(["ip", "addr", "del", f"{ip}/32", "dev", "lo"])
        for path in set(MADE):
            if os.path.lexists(path):
                os.unlink(path)
        try:
            os.rmdir(os.path.join(cg2, "palisade-evtgen"))
        except OSError:
            pass  # never made (no container case ran), or a case's cgroup still busy
    for l in lines:
        print(l)
    n = totals["pass"] + totals["fail"]
    print(f"\n{totals['pass']}/{n} cases pass, {totals['fail']} fail ({totals['not run']} more not run)")
    shutil.rmtree(work, ignore_errors=True)


def run_case(tc, bindir, cg2, alerts_path, work):
    ctx = tc.get("context") or {}
    procs = ctx.get("processes") or []
    if any(r.get("type") not in ("fd", "clientServer") for r in tc.get("resources") or []):
        return ("not run", "resource type not supported by this runner")
    if any(s.get("type") != "syscall" for s in tc.get("steps") or []):
        return ("not run", "step type not supported by this runner")
    for p in procs:
        if p.get("user"):
            try:
                pwd.getpwnam(p["user"])
            except KeyError:
                return ("not run", f"no user {p['user']} on this machine")
        for d, target in ((bindir, CHILD_PYTHON), (os.path.join(bindir, "true"), "/bin/true")):
            os.makedirs(d, exist_ok=True)
            link = os.path.join(d, p["name"])
            if not os.path.exists(link):
                os.symlink(target, link)
        if p.get("exe") and ctx.get("container") is not None:
            # A mount point for the container's copy (drop_into_upper_layer).
            os.makedirs(os.path.dirname(p["exe"]), exist_ok=True)
            if os.path.islink(p["exe"]):
                os.unlink(p["exe"])
            if not os.path.exists(p["exe"]):
                open(p["exe"], "w").close()
                MADE.append(p["exe"])
        elif p.get("exe") and not os.path.exists(p["exe"]):
            os.makedirs(os.path.dirname(p["exe"]), exist_ok=True)
            os.symlink("/bin/true", p["exe"])
            MADE.append(p["exe"])
    for r in tc.get("resources") or []:
        if r.get("type") == "clientServer":
            local_address(r["address"].rsplit(":", 1)[0].strip("[]"))
    if not procs and tc.get("before"):
        subprocess.run(tc["before"], shell=True, check=False)
    cgroup = None
    if ctx.get("container") is not None:
        cid = os.urandom(32).hex()
        cgroup = os.path.join(cg2, f"palisade-evtgen/docker-{cid}.scope")
        os.makedirs(cgroup, exist_ok=True)
    start = os.path.getsize(alerts_path) if os.path.exists(alerts_path) else 0
    script = os.path.join(work, "evtgen.py")
    exes = [p["exe"] for p in procs if p.get("exe")]
    overlay = ({"dir": tempfile.mkdtemp(prefix="ovl-", dir=work), "exes": exes}
               if cgroup and exes else None)
    spec = {"chain": procs, "resources": tc.get("resources"), "steps": tc.get("steps"),
            "bindir": bindir, "cgroup": cgroup, "script": script, "overlay": overlay,
            "before": tc.get("before") if procs else None}
    done = subprocess.run([CHILD_PYTHON, script, "--child", json.dumps(spec)], check=False,
                          stderr=subprocess.PIPE, text=True)
    if done.returncode == 3:
        return ("not run", done.stderr.strip().splitlines()[-1])
    want = tc["expectedOutcome"]
    deadline = time.time() + 2.0
    seen = []
    while time.time() < deadline:
        time.sleep(0.1)
        with open(alerts_path) as f:
            f.seek(start)
            seen = [json.loads(l) for l in f if l.strip()]
        if any(matches(a, tc["rule"], want) for a in seen):
            break
    if cgroup:
        for _ in range(20):
            try:
                os.rmdir(cgroup)
                break
            except OSError:
                time.sleep(0.05)
    if any(matches(a, tc["rule"], want) for a in seen):
        return ("pass", "")
    same = [a for a in seen if a["rule"] == tc["rule"]]
    if same:
        diff = {k: same[0]["output_fields"].get(k) for k in (want.get("outputFields") or {})}
        return ("fail", f"rule fired with {diff}, expected {want.get('outputFields')}")
    return ("fail", f"no '{tc['rule']}' alert (saw {sorted({a['rule'] for a in seen})})")


ADDED = []
# Executables' paths made outside the work directory, removed at the end.
MADE = []


def local_address(ip):
    """A test's server address (a documentation address such as 203.0.113.10) is put on
    the loopback interface for the run, as a test host would have it; removed at the end."""
    try:
        with socket.socket(socket.AF_INET6 if ":" in ip else socket.AF_INET) as t:
            t.bind((ip, 0))
        return
    except OSError:
        pass
    if ":" not in ip and shutil.which("ip") and ip not in ADDED:
        if subprocess.run(["ip", "addr", "add", f"{ip}/32", "dev", "lo"]).returncode == 0:
            ADDED.append(ip)


def matches(a, rule, want):
    if a["rule"] != rule:
        return False
    if want.get("priority") and a["priority"].lower() != str(want["priority"]).lower():
        return False
    for k, v in (want.get("outputFields") or {}).items():
        if str(a["output_fields"].get(k)) != str(v):
            return False
    return True


if __name__ == "__main__":
    main()
