//! Cgroup v2 ids (what `bpf_get_current_cgroup_id()` returns) to cgroup paths. The id is the
//! kernfs node id, which the cgroup2 filesystem also reports as the directory's inode number,
//! so a walk of the cgroup2 mount learns every id without any kernel help.

use super::cgroup::{from_cgroup_path, ContainerRef};
use std::collections::{HashMap, HashSet, VecDeque};
use std::os::unix::fs::{DirEntryExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Largest number of directories one rescan visits: a node has a few thousand cgroups, and a
/// runaway tree must not make a lookup take seconds.
pub const MAX_DIRS: usize = 100_000;
/// Shortest time between rescans for ids already looked for, so a flood of events from an
/// unknown cgroup costs one walk per interval.
pub const RESCAN_INTERVAL: Duration = Duration::from_millis(100);
/// Walks a second for ids not looked for before: a container that starts just after a
/// rescan is found at its first event, not taken for the host until the next interval.
pub const FIRST_MISS_WALKS: usize = 10;

#[derive(Debug, thiserror::Error)]
pub enum CgroupFsError {
    #[error("reading /proc/self/mountinfo: {0}")]
    MountInfo(std::io::Error),
    #[error("no cgroup2 filesystem is mounted (is this a cgroup v1-only host?)")]
    NoCgroup2,
    #[error("cgroup2 root {path}: {source}")]
    Root {
        path: String,
        source: std::io::Error,
    },
}

/// The mount point of the first cgroup2 filesystem in a `/proc/<pid>/mountinfo` text.
pub fn cgroup2_mount(mountinfo: &str) -> Option<PathBuf> {
    mountinfo.lines().find_map(|line| {
        // Optional fields before " - " vary in number; the filesystem type follows it.
        let (left, right) = line.split_once(" - ")?;
        if right.split_whitespace().next()? != "cgroup2" {
            return None;
        }
        let mount_point = left.split_whitespace().nth(4)?;
        Some(PathBuf::from(unescape_octal(mount_point)))
    })
}

/// mountinfo writes space, tab, newline and backslash in paths as `\NNN` octal.
fn unescape_octal(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let digits = b.get(i + 1..i + 4);
        if b[i] == b'\\' && digits.is_some_and(|d| d.iter().all(|c| (b'0'..=b'7').contains(c))) {
            let v = digits
                .unwrap_or_default()
                .iter()
                .fold(0u32, |acc, c| acc * 8 + u32::from(c - b'0'));
            out.push(v as u8);
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Cgroup id → path (relative to the cgroup2 root, with a leading `/` as in
/// `/proc/<pid>/cgroup`) and → container, from cached walks of the cgroup2 tree.
#[derive(Debug)]
pub struct CgroupIds {
    root: PathBuf,
    max_dirs: usize,
    paths: HashMap<u64, String>,
    // The generation before the last rescan: a container's last events (its exit) can be
    // looked up just after its cgroup is removed.
    previous: HashMap<u64, String>,
    containers: HashMap<u64, Option<ContainerRef>>,
    last_scan: Option<Instant>,
    /// Ids a walk was made for since the last interval rescan, and when recent walks ran.
    missed: HashSet<u64>,
    recent: VecDeque<Instant>,
    truncated: bool,
    /// Walks made so far.
    pub walks: usize,
}

impl CgroupIds {
    /// The cgroup2 mount of this process's mount namespace.
    pub fn new() -> Result<Self, CgroupFsError> {
        let info =
            std::fs::read_to_string("/proc/self/mountinfo").map_err(CgroupFsError::MountInfo)?;
        let root = cgroup2_mount(&info).ok_or(CgroupFsError::NoCgroup2)?;
        Self::with_root(root)
    }

    /// A tree rooted at `root` (the cgroup2 mount point, or any directory in tests).
    pub fn with_root(root: impl Into<PathBuf>) -> Result<Self, CgroupFsError> {
        let root = root.into();
        std::fs::metadata(&root).map_err(|source| CgroupFsError::Root {
            path: root.display().to_string(),
            source,
        })?;
        Ok(CgroupIds {
            root,
            max_dirs: MAX_DIRS,
            paths: HashMap::new(),
            previous: HashMap::new(),
            containers: HashMap::new(),
            last_scan: None,
            missed: HashSet::new(),
            recent: VecDeque::new(),
            truncated: false,
            walks: 0,
        })
    }

    /// Visit at most `max` directories per rescan.
    pub fn with_max_dirs(mut self, max: usize) -> Self {
        self.max_dirs = max;
        self
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether the last rescan stopped at the directory limit.
    pub fn truncated(&self) -> bool {
        self.truncated
    }

    /// The cgroup path of `id`, rescanning the tree on a miss: at once for an id not looked
    /// for before (up to [`FIRST_MISS_WALKS`] a second), else at most once per
    /// [`RESCAN_INTERVAL`].
    pub fn resolve(&mut self, id: u64) -> Option<&str> {
        if !self.known(id) {
            self.rescan_if_due(id);
        }
        self.paths
            .get(&id)
            .or_else(|| self.previous.get(&id))
            .map(String::as_str)
    }

    /// Learns `id` from a process said to be in it: the cgroup2 path in `proc_cgroup` (the
    /// text of `/proc/<pid>/cgroup`) is taken when that directory's inode is `id`. A cgroup
    /// made just after a rescan is otherwise unknown until the next one, and a container that
    /// lives shorter than that would be taken for the host.
    pub fn learn(&mut self, id: u64, proc_cgroup: &str) -> bool {
        let Some(path) = proc_cgroup
            .lines()
            .find_map(|l| l.strip_prefix("0::"))
            .map(|p| p.trim_end().trim_end_matches(" (deleted)"))
        else {
            return false;
        };
        let dir = self.root.join(path.trim_start_matches('/'));
        match std::fs::symlink_metadata(&dir) {
            Ok(m) if m.is_dir() && m.ino() == id => {
                self.paths.insert(id, path.to_string());
                self.containers.remove(&id);
                true
            }
            _ => false,
        }
    }

    /// The container `id`'s cgroup belongs to; `None` for the host or an unknown id. Answers
    /// for known ids are cached, host (negative) ones until the next rescan.
    pub fn container_of(&mut self, id: u64) -> Option<ContainerRef> {
        if let Some(cached) = self.containers.get(&id) {
            return cached.clone();
        }
        // An unknown id is not cached: `resolve` rate-limits its rescans, and a cached miss
        // would stop it from ever being rescanned for.
        let path = self.resolve(id)?;
        let found = from_cgroup_path(path);
        self.containers.insert(id, found.clone());
        found
    }

    fn known(&self, id: u64) -> bool {
        self.paths.contains_key(&id) || self.previous.contains_key(&id)
    }

    fn rescan_if_due(&mut self, id: u64) {
        let now = Instant::now();
        let due = self
            .last_scan
            .is_none_or(|t| now.duration_since(t) >= RESCAN_INTERVAL);
        while self
            .recent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
        {
            self.recent.pop_front();
        }
        let first_miss = !self.missed.contains(&id) && self.recent.len() < FIRST_MISS_WALKS;
        if !due && !first_miss {
            return;
        }
        if due {
            self.last_scan = Some(now);
            self.missed.clear();
        } else {
            self.recent.push_back(now);
        }
        self.missed.insert(id);
        self.walks += 1;
        let (fresh, truncated) = walk(&self.root, self.max_dirs);
        self.truncated = truncated;
        self.previous = std::mem::replace(&mut self.paths, fresh);
        let (paths, previous) = (&self.paths, &self.previous);
        // A negative answer may have been a cgroup created since; a positive one stays true
        // for as long as the id exists (ids are never reused).
        self.containers
            .retain(|id, c| c.is_some() && (paths.contains_key(id) || previous.contains_key(id)));
    }
}

/// Every directory under `root` by inode, without following symlinks, stopping after
/// `max_dirs` directories (the bool says it stopped early). Unreadable or vanishing
/// directories are skipped: cgroups come and go during the walk.
fn walk(root: &Path, max_dirs: usize) -> (HashMap<u64, String>, bool) {
    let mut found = HashMap::new();
    if let Ok(meta) = std::fs::symlink_metadata(root) {
        found.insert(meta.ino(), "/".to_string());
    }
    let mut stack: Vec<(PathBuf, String)> = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, rel)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(ft) = entry.file_type() else { continue };
            if !ft.is_dir() {
                continue;
            }
            if found.len() >= max_dirs {
                return (found, true);
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            let child_rel = format!("{rel}/{name}");
            found.insert(entry.ino(), child_rel.clone());
            stack.push((entry.path(), child_rel));
        }
    }
    (found, false)
}

#[cfg(test)]
#[path = "cgroupfs_tests.rs"]
mod tests;
