//! Records in, rule-ready events out: keeps the process table, attributes containers and
//! converts. One `Pipeline` per reader thread; nothing here touches the kernel.

use crate::container::{CgroupIds, ContainerInfo, PodIndex};
use crate::convert::{self, Ctx, ANCESTORS};
use crate::proctable::ProcTable;
use crate::record::{self, Record};
use crate::users::Users;
use crate::wanted::Wanted;
use palisade_runtime::syscall::{FieldStore, SyscallEvent};
use serde_json::Value as J;
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

type Fields = Arc<Vec<(String, J)>>;

/// A process's shared fields and what they were built from (compared by pointer).
struct Cached {
    proc: Arc<crate::proctable::Proc>,
    ancestors: Vec<Arc<crate::proctable::Proc>>,
    container: Fields,
    map: Arc<FieldStore>,
}

pub struct Pipeline {
    pub table: ProcTable,
    users: Users,
    cgroups: Option<CgroupIds>,
    pods: Option<Arc<RwLock<PodIndex>>>,
    /// cgroup id → container fields, and until when a provisional answer holds (a cgroup
    /// not found on the cgroup2 mount yet is the host for a second, then asked again).
    containers: HashMap<u64, (Fields, Option<Instant>)>,
    boot_to_wall_ns: i64,
    /// pid → socket descriptor → whether the local end is the client (from connect and
    /// accept, carried over by dup), so a dup'ed socket's client and server are known.
    roles: HashMap<u32, HashMap<i32, bool>>,
    shared: HashMap<u32, Cached>,
    wanted: Wanted,
    pub bad_records: u64,
    pub records: u64,
}

/// Wall clock minus boot clock: the kernel stamps records with the boot clock (it keeps
/// counting through suspend, unlike the monotonic one).
pub fn boot_to_wall_ns() -> i64 {
    let read = |clock| {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime writes into the timespec we own.
        unsafe { libc::clock_gettime(clock, &mut ts) };
        ts.tv_sec * 1_000_000_000 + ts.tv_nsec
    };
    read(libc::CLOCK_REALTIME) - read(libc::CLOCK_BOOTTIME)
}

impl Pipeline {
    /// Seeds the process table from `/proc` and loads users from `etc` (the host's `/etc`,
    /// which a sensor in a container sees where it is mounted).
    pub fn new(pods: Option<Arc<RwLock<PodIndex>>>, wanted: Wanted, etc: &Path) -> Pipeline {
        let offset = boot_to_wall_ns();
        let mut table = ProcTable::new(1 << 20);
        table.seed(Path::new("/proc"), offset);
        Pipeline {
            table,
            users: Users::load(etc),
            cgroups: CgroupIds::new().ok(),
            pods,
            containers: HashMap::new(),
            boot_to_wall_ns: offset,
            roles: HashMap::new(),
            shared: HashMap::new(),
            wanted,
            bad_records: 0,
            records: 0,
        }
    }

    /// Forget cached container fields (after the pod list was refreshed).
    pub fn refresh_containers(&mut self) {
        self.containers.clear();
    }

    fn container(&mut self, cgroup_id: u64, pid: u32) -> Fields {
        if let Some((f, until)) = self.containers.get(&cgroup_id) {
            if until.is_none_or(|t| Instant::now() < t) {
                return f.clone();
            }
        }
        let mut known = true;
        let found = match self.cgroups.as_mut() {
            Some(ids) => {
                known = ids.resolve(cgroup_id).is_some()
                    || std::fs::read_to_string(format!("/proc/{pid}/cgroup"))
                        .is_ok_and(|text| ids.learn(cgroup_id, &text));
                ids.container_of(cgroup_id)
            }
            // Without a cgroup2 mount (cgroup v1 only) the process's own file is the only
            // source; it is read once per cgroup id, not per event.
            None => std::fs::read_to_string(format!("/proc/{pid}/cgroup"))
                .ok()
                .and_then(|s| crate::container::from_proc_cgroup(&s)),
        };
        let info = match (&found, &self.pods) {
            (Some(c), Some(p)) => match p.read() {
                Ok(idx) => ContainerInfo::new(Some(c), Some(&idx)),
                Err(_) => ContainerInfo::new(Some(c), None),
            },
            (Some(c), None) => ContainerInfo::new(Some(c), None),
            (None, _) => ContainerInfo::host(),
        };
        let fields: Fields = Arc::new(
            info.fields()
                .into_iter()
                .map(|(k, v)| (Cow::into_owned(k), v))
                .collect(),
        );
        let until = (!known).then(|| Instant::now() + Duration::from_secs(1));
        self.containers.insert(cgroup_id, (fields.clone(), until));
        fields
    }

    fn socket_role(&mut self, s: &crate::record::SyscallRec, name: Option<&str>) -> Option<bool> {
        const EINPROGRESS: i64 = -115;
        let fds = self.roles.entry(s.hdr.pid).or_default();
        match name? {
            "connect" if s.ret == 0 || s.ret == EINPROGRESS => {
                fds.insert(s.args[0] as i32, true);
                Some(true)
            }
            "accept" | "accept4" if s.ret >= 0 => {
                fds.insert(s.ret as i32, false);
                Some(false)
            }
            "dup" | "dup2" | "dup3" if s.ret >= 0 => {
                let role = fds.get(&(s.args[0] as i32)).copied();
                match role {
                    Some(r) => fds.insert(s.ret as i32, r),
                    None => fds.remove(&(s.ret as i32)),
                };
                role
            }
            _ => None,
        }
    }

    fn shared_fields(
        &mut self,
        p: &Arc<crate::proctable::Proc>,
        ancestors: &[Arc<crate::proctable::Proc>],
        cgroup_id: u64,
    ) -> Arc<FieldStore> {
        let container = self.container(cgroup_id, p.pid);
        if let Some(c) = self.shared.get(&p.pid) {
            if Arc::ptr_eq(&c.proc, p)
                && Arc::ptr_eq(&c.container, &container)
                && c.ancestors.len() == ancestors.len()
                && c.ancestors
                    .iter()
                    .zip(ancestors)
                    .all(|(x, y)| Arc::ptr_eq(x, y))
            {
                return c.map.clone();
            }
        }
        let map = Arc::new(convert::process_fields(
            p,
            ancestors,
            &container,
            &self.users,
            &self.wanted,
        ));
        self.shared.insert(
            p.pid,
            Cached {
                proc: p.clone(),
                ancestors: ancestors.to_vec(),
                container,
                map: map.clone(),
            },
        );
        map
    }

    /// The conversion context of an event of process `p`: its ancestors and shared fields.
    fn with_ctx<T>(
        &mut self,
        p: &Arc<crate::proctable::Proc>,
        cgroup_id: u64,
        now: i64,
        local_is_client: Option<bool>,
        f: impl FnOnce(&Ctx) -> T,
    ) -> T {
        let ancestors = self.table.ancestors(p, ANCESTORS);
        let shared = self.shared_fields(p, &ancestors, cgroup_id);
        f(&Ctx {
            proc: p,
            ancestors: &ancestors,
            shared,
            wanted: &self.wanted,
            time_ns: now,
            local_is_client,
        })
    }

    /// One ring-buffer record: the table is updated, and an event comes back for execs and
    /// reported syscalls.
    pub fn feed(&mut self, bytes: &[u8]) -> Option<SyscallEvent> {
        self.records += 1;
        let rec = match record::parse(bytes) {
            Ok(r) => r,
            Err(_) => {
                self.bad_records += 1;
                return None;
            }
        };
        let now = rec.hdr().ts_boot_ns as i64 + self.boot_to_wall_ns;
        match rec {
            Record::Fork(h) => {
                self.table.fork(&h, now);
                None
            }
            Record::Exit(h, _) => {
                self.table.exit(h.pid);
                self.roles.remove(&h.pid);
                self.shared.remove(&h.pid);
                None
            }
            Record::Exec(e) => {
                let p = self.table.exec(&e, now);
                Some(self.with_ctx(&p, e.hdr.cgroup_id, now, None, |c| {
                    convert::exec_event(&e, c)
                }))
            }
            Record::Syscall(s) => {
                let name = crate::syscalls::name(s.nr);
                if s.ret >= 0 && matches!(name, Some("chdir" | "fchdir")) {
                    let cwd = self.table.get(s.hdr.pid).map(|p| p.cwd.clone());
                    if let (Some(dir), Some(cwd)) = (&s.str0, cwd) {
                        let abs = convert::absolute(dir, &cwd, None);
                        self.table.set_cwd(s.hdr.pid, abs);
                    }
                }
                let role = self.socket_role(&s, name);
                let p = self.table.current(&s.hdr, now);
                self.with_ctx(&p, s.hdr.cgroup_id, now, role, |c| {
                    convert::syscall_event(&s, c)
                })
            }
        }
    }
}
