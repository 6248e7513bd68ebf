//! A cgroup named as Docker names a container's (`docker-<64 hex>.scope`), under a parent of
//! the test's own on the cgroup2 mount; removed on drop.

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub fn cgroup2_root() -> Option<PathBuf> {
    let mi = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    palisade_sensor::container::cgroup2_mount(&mi)
}

pub struct TestCgroup {
    parent: PathBuf,
    dir: PathBuf,
    id: String,
}

impl TestCgroup {
    pub fn create() -> std::io::Result<TestCgroup> {
        let root = cgroup2_root().ok_or_else(|| std::io::Error::other("no cgroup2"))?;
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        // 64 hex digits, all of them varying, like a real container id.
        let mix = |k: u64| (nanos as u64 ^ k).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1 << 63;
        let id = format!(
            "{:016x}{:016x}{:016x}{:016x}",
            mix(1),
            mix(u64::from(std::process::id())),
            mix(3),
            mix(4)
        );
        let parent = root.join(format!("palisade-e2e-{}-{nanos}", std::process::id()));
        let dir = parent.join(format!("docker-{id}.scope"));
        std::fs::create_dir_all(&dir)?;
        Ok(TestCgroup { parent, dir, id })
    }

    pub fn procs(&self) -> PathBuf {
        self.dir.join("cgroup.procs")
    }

    /// Falco's container.id: the first 12 characters.
    pub fn short_id(&self) -> &str {
        &self.id[..12]
    }
}

impl Drop for TestCgroup {
    fn drop(&mut self) {
        // The last process may still be leaving the cgroup.
        for _ in 0..50 {
            if std::fs::remove_dir(&self.dir).is_ok() || !self.dir.exists() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = std::fs::remove_dir(&self.parent);
    }
}
