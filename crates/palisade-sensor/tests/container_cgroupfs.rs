//! A real cgroup2 tree: a Docker-style scope created under the cgroup2 mount is found by its
//! inode (the id `bpf_get_current_cgroup_id()` reports) and attributed to its container.

use palisade_sensor::container::{cgroup2_mount, CgroupIds, Runtime};
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;

const ID: &str = "5e1f0c2d3b4a59687766554433221100ffeeddccbbaa99887766554433221100";

/// Removes the test cgroups even when an assertion fails (a leftover cgroup would stay on
/// the machine until reboot).
struct Cleanup(Vec<PathBuf>);

impl Drop for Cleanup {
    fn drop(&mut self) {
        for dir in self.0.iter().rev() {
            if let Err(e) = std::fs::remove_dir(dir) {
                if e.kind() != std::io::ErrorKind::NotFound {
                    eprintln!("could not remove test cgroup {}: {e}", dir.display());
                }
            }
        }
    }
}

/// The cgroup id as the kernel hands it out in a file handle (cgroup2 exports the kernfs
/// node id there, the same value `bpf_get_current_cgroup_id()` returns), to check that the
/// inode number really is that id.
fn kernfs_id(dir: &std::path::Path) -> Option<u64> {
    #[repr(C)]
    struct Handle {
        bytes: u32,
        kind: i32,
        id: [u8; 8],
    }
    let path = std::ffi::CString::new(dir.as_os_str().as_encoded_bytes()).ok()?;
    let mut h = Handle {
        bytes: 8,
        kind: 0,
        id: [0; 8],
    };
    let mut mount_id: libc::c_int = 0;
    // SAFETY: `h` has room for the 8 handle bytes announced in `bytes`; `path` is a valid C
    // string and `mount_id` a valid int for the duration of the call.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_name_to_handle_at,
            libc::AT_FDCWD,
            path.as_ptr(),
            &mut h as *mut Handle,
            &mut mount_id as *mut libc::c_int,
            0,
        )
    };
    (rc == 0 && h.bytes == 8).then(|| u64::from_ne_bytes(h.id))
}

fn skip(reason: &str) {
    eprintln!("SKIPPED: container_cgroupfs: {reason}");
}

#[test]
fn a_new_cgroup_resolves_by_inode_to_its_container() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return skip("not root: cannot create cgroups");
    }
    let Some(root) = std::fs::read_to_string("/proc/self/mountinfo")
        .ok()
        .and_then(|m| cgroup2_mount(&m))
    else {
        return skip("no cgroup2 filesystem mounted");
    };
    let parent = root.join(format!("palisade-test-{}", std::process::id()));
    let scope = parent.join(format!("docker-{ID}.scope"));
    let mut cleanup = Cleanup(Vec::new());
    for dir in [&parent, &scope] {
        if let Err(e) = std::fs::create_dir(dir) {
            return skip(&format!("cannot create {}: {e}", dir.display()));
        }
        cleanup.0.push(dir.clone());
    }
    let ino = std::fs::metadata(&scope)
        .map(|m| m.ino())
        .unwrap_or_else(|e| panic!("stat {}: {e}", scope.display()));

    match kernfs_id(&scope) {
        Some(id) => assert_eq!(id, ino, "the cgroup id is the inode number"),
        None => eprintln!("note: no file handle for cgroups here; id == inode not cross-checked"),
    }

    let mut ids = CgroupIds::new().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ids.root(), root.as_path());
    let want = format!("/palisade-test-{}/docker-{ID}.scope", std::process::id());
    assert_eq!(ids.resolve(ino), Some(want.as_str()));
    let c = ids
        .container_of(ino)
        .unwrap_or_else(|| panic!("{want} is not a container"));
    assert_eq!(c.id, &ID[..12]);
    assert_eq!(c.full_id, ID);
    assert_eq!(c.runtime, Runtime::Docker);

    // The parent is a cgroup of the host, not a container.
    let parent_ino = std::fs::metadata(&parent)
        .map(|m| m.ino())
        .unwrap_or_else(|e| panic!("stat: {e}"));
    assert!(ids.resolve(parent_ino).is_some());
    assert_eq!(ids.container_of(parent_ino), None);
    drop(cleanup);
    assert!(!parent.exists(), "test cgroup left behind");
}

#[test]
fn this_process_cgroup_resolves() {
    // Our own cgroup v2 path from /proc/self/cgroup must be in the walk too.
    let Some(root) = std::fs::read_to_string("/proc/self/mountinfo")
        .ok()
        .and_then(|m| cgroup2_mount(&m))
    else {
        return skip("no cgroup2 filesystem mounted");
    };
    let own = std::fs::read_to_string("/proc/self/cgroup").unwrap_or_default();
    let Some(path) = own.lines().find_map(|l| l.strip_prefix("0::")) else {
        return skip("no cgroup v2 line in /proc/self/cgroup");
    };
    let dir = root.join(path.trim_start_matches('/'));
    let Ok(meta) = std::fs::metadata(&dir) else {
        return skip("own cgroup not visible under the cgroup2 mount (cgroup namespace)");
    };
    let mut ids = CgroupIds::new().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ids.resolve(meta.ino()), Some(path));
}
