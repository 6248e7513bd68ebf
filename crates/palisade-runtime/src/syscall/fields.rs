//! The syscall fields Falco's default rules use (`evt.*`, `proc.*`, `thread.*`, `fd.*`,
//! `user.*`, `group.*`, `container.*`, `k8s.*`, `fs.*`), with Falco's types. Written as a
//! compact table: `name type [arg]`, where type is s(tring) i(nt) b(ool) ip net y(bytes)
//! and arg is `idx` (optional index) or `key` (optional key).

use crate::fields::{ArgKind, FieldDef, FieldType};
use std::sync::OnceLock;

const SPEC: &str = "
evt.type s
evt.num i
evt.res s
evt.rawres i
evt.dir s
evt.args s
evt.arg s key
evt.rawarg s key
evt.buffer y
evt.hostname s
evt.time s
evt.rawtime i
evt.source s
evt.is_open_read b
evt.is_open_write b
evt.is_open_exec b
evt.is_open_create b
evt.category s
evt.failed b
syscall.type s
proc.name s
proc.pname s
proc.aname s idx
proc.exe s
proc.pexe s
proc.aexe s idx
proc.exepath s
proc.pexepath s
proc.aexepath s idx
proc.cmdline s
proc.pcmdline s
proc.acmdline s idx
proc.args s
proc.env s key
proc.cwd s
proc.tty i
proc.pid i
proc.ppid i
proc.apid i idx
proc.vpid i
proc.pvpid i
proc.sid i
proc.sname s
proc.vpgid i
proc.vpgid.name s
proc.vpgid.exe s
proc.is_vpgid_leader b
proc.is_sid_leader b
proc.duration i
proc.ppid.duration i
proc.pid.ts i
proc.is_exe_upper_layer b
proc.is_exe_from_memfd b
proc.is_exe_writable b
proc.exe_ino i
proc.exe_ino.ctime i
proc.exe_ino.mtime i
proc.exe_ino.ctime_duration_proc_start i
proc.is_container_healthcheck b
proc.is_container_liveness_probe b
proc.is_container_readiness_probe b
thread.cap_permitted s
thread.cap_effective s
thread.cap_inheritable s
thread.tid i
fd.num i
fd.type s
fd.typechar s
fd.name s
fd.nameraw s
fd.directory s
fd.filename s
fd.name_changed b
fd.connected b
fd.sockfamily s
fd.l4proto s
fd.ip ip
fd.cip ip
fd.sip ip
fd.lip ip
fd.rip ip
fd.net net
fd.cnet net
fd.snet net
fd.lnet net
fd.rnet net
fd.port i
fd.cport i
fd.sport i
fd.lport i
fd.rport i
fd.cip.name s
fd.sip.name s
fd.lip.name s
fd.rip.name s
fd.types s
fd.ino i
fd.dev i
fs.path.name s
fs.path.nameraw s
fs.path.source s
fs.path.sourceraw s
fs.path.target s
fs.path.targetraw s
user.uid i
user.name s
user.loginuid i
user.loginname s
user.homedir s
user.shell s
group.gid i
group.name s
container.id s
container.name s
container.image s
container.image.id s
container.image.repository s
container.image.tag s
container.image.digest s
container.type s
container.privileged b
container.mounts s
container.mount s key
container.mount.source s key
container.mount.dest s key
container.mount.mode s key
container.start_ts i
container.duration i
container.healthcheck s
k8s.ns.name s
k8s.pod.name s
k8s.pod.id s
k8s.pod.uid s
k8s.pod.label s key
k8s.pod.labels s
k8s.pod.ip s
k8s.pod.cni.json s
";

pub fn table() -> &'static [FieldDef] {
    static T: OnceLock<Vec<FieldDef>> = OnceLock::new();
    T.get_or_init(|| {
        SPEC.lines()
            .filter_map(|l| {
                let mut p = l.split_whitespace();
                let name = p.next()?;
                let ty = match p.next()? {
                    "i" => FieldType::Int,
                    "b" => FieldType::Bool,
                    "ip" => FieldType::Ip,
                    "net" => FieldType::IpNet,
                    "y" => FieldType::Bytes,
                    _ => FieldType::String,
                };
                let arg = match p.next() {
                    Some("idx") => ArgKind::Index { required: false },
                    Some("key") => ArgKind::Key { required: false },
                    _ => ArgKind::None,
                };
                Some(FieldDef {
                    name,
                    ty,
                    is_list: false,
                    arg,
                    desc: "",
                })
            })
            .collect()
    })
}
