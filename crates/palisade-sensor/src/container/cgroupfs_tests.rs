use super::*;
use crate::container::Runtime;

const ID: &str = "3f2a9c1b7d4e5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcd";

fn ino(p: &Path) -> u64 {
    std::fs::metadata(p).map(|m| m.ino()).unwrap_or(0)
}

#[test]
fn finds_the_cgroup2_mount_in_mountinfo() {
    let hybrid = "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n\
        39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n\
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
    assert_eq!(
        cgroup2_mount(hybrid),
        Some(PathBuf::from("/sys/fs/cgroup/unified"))
    );
    let modern = "30 24 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n";
    assert_eq!(cgroup2_mount(modern), Some(PathBuf::from("/sys/fs/cgroup")));
    let escaped = "30 24 0:26 / /mnt/cg\\040two rw shared:4 master:1 - cgroup2 none rw\n";
    assert_eq!(cgroup2_mount(escaped), Some(PathBuf::from("/mnt/cg two")));
    assert_eq!(
        cgroup2_mount("32 31 0:29 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n"),
        None
    );
    assert_eq!(cgroup2_mount("short line\n"), None);
}

#[test]
fn resolves_ids_and_containers_from_a_tree() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let scope = tmp
        .path()
        .join("system.slice")
        .join(format!("docker-{ID}.scope"));
    let host = tmp.path().join("init.scope");
    for d in [&scope, &host] {
        std::fs::create_dir_all(d).unwrap_or_else(|e| panic!("mkdir: {e}"));
    }
    // a file and a symlink to a directory are not cgroups
    std::fs::write(tmp.path().join("cgroup.procs"), "").unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(&scope, tmp.path().join("link")).unwrap_or_else(|e| panic!("{e}"));

    let mut ids = CgroupIds::with_root(tmp.path()).unwrap_or_else(|e| panic!("{e}"));
    let want = format!("/system.slice/docker-{ID}.scope");
    assert_eq!(ids.resolve(ino(&scope)), Some(want.as_str()));
    assert_eq!(ids.resolve(ino(&host)), Some("/init.scope"));
    assert_eq!(ids.resolve(ino(tmp.path())), Some("/"));
    let c = ids
        .container_of(ino(&scope))
        .unwrap_or_else(|| panic!("no container"));
    assert_eq!(c.id, &ID[..12]);
    assert_eq!(c.runtime, Runtime::Docker);
    assert_eq!(ids.container_of(ino(&host)), None);
    assert!(!ids.truncated());
    // the symlink was not followed: the scope is known once, by its real path
    assert_eq!(
        ids.paths.values().filter(|p| p.contains("docker-")).count(),
        1
    );
}

#[test]
fn a_new_cgroup_is_found_at_its_first_event() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let mut ids = CgroupIds::with_root(tmp.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ids.resolve(u64::MAX), None); // first scan
    let late = tmp.path().join(format!("docker-{ID}.scope"));
    std::fs::create_dir(&late).unwrap_or_else(|e| panic!("mkdir: {e}"));
    // Within the interval, but an id not looked for before: walked for at once.
    let c = ids.container_of(ino(&late));
    assert_eq!(c.map(|c| c.runtime), Some(Runtime::Docker));
    assert_eq!(ids.walks, 2);
}

#[test]
fn rescans_are_rate_limited() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let mut ids = CgroupIds::with_root(tmp.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ids.resolve(u64::MAX), None); // first scan
    let late = tmp.path().join(format!("docker-{ID}.scope"));
    std::fs::create_dir(&late).unwrap_or_else(|e| panic!("mkdir: {e}"));
    // The same unknown id again within the interval: no walk.
    assert_eq!(ids.resolve(u64::MAX), None);
    assert_eq!(ids.walks, 1);
    assert!(!ids.known(ino(&late)));
    // Many ids never seen: at most FIRST_MISS_WALKS walks between interval rescans.
    for id in 0..2 * FIRST_MISS_WALKS as u64 {
        let _ = ids.resolve(u64::MAX - 1 - id);
    }
    assert_eq!(ids.walks, 1 + FIRST_MISS_WALKS);
    std::thread::sleep(RESCAN_INTERVAL + Duration::from_millis(20));
    // Past the interval the repeated miss walks again.
    assert_eq!(ids.resolve(u64::MAX), None);
    assert_eq!(ids.walks, 2 + FIRST_MISS_WALKS);
    assert!(ids.known(ino(&late)));
}

#[test]
fn a_cgroup_made_after_a_rescan_is_learnt_from_the_process() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let mut ids = CgroupIds::with_root(tmp.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ids.resolve(u64::MAX), None); // first scan
    let late = tmp.path().join(format!("docker-{ID}.scope"));
    std::fs::create_dir(&late).unwrap_or_else(|e| panic!("mkdir: {e}"));
    let other = tmp.path().join("other");
    std::fs::create_dir(&other).unwrap_or_else(|e| panic!("mkdir: {e}"));
    let text = format!("0::/docker-{ID}.scope\n");
    // A process whose cgroup is not the id asked about teaches nothing.
    assert!(!ids.learn(ino(&other), &text));
    assert!(!ids.learn(ino(&late), "0::/nowhere\n"));
    assert!(!ids.learn(ino(&late), "12:pids:/x\n"));
    assert!(ids.learn(ino(&late), &text));
    let c = ids.container_of(ino(&late));
    assert_eq!(c.map(|c| c.runtime), Some(Runtime::Docker));
    assert_eq!(ids.walks, 1, "known without a walk");
}

#[test]
fn removed_cgroups_survive_one_rescan() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let gone = tmp.path().join(format!("docker-{ID}.scope"));
    std::fs::create_dir(&gone).unwrap_or_else(|e| panic!("mkdir: {e}"));
    let gone_ino = ino(&gone);
    let mut ids = CgroupIds::with_root(tmp.path()).unwrap_or_else(|e| panic!("{e}"));
    assert!(ids.container_of(gone_ino).is_some());
    std::fs::remove_dir(&gone).unwrap_or_else(|e| panic!("rmdir: {e}"));
    std::thread::sleep(RESCAN_INTERVAL + Duration::from_millis(20));
    assert_eq!(ids.resolve(u64::MAX), None); // rescan: the scope is now only in `previous`
    assert!(ids.resolve(gone_ino).is_some());
    assert!(ids.container_of(gone_ino).is_some());
    std::thread::sleep(RESCAN_INTERVAL + Duration::from_millis(20));
    assert_eq!(ids.resolve(u64::MAX), None); // second rescan: forgotten
    assert_eq!(ids.resolve(gone_ino), None);
    assert_eq!(ids.container_of(gone_ino), None);
}

#[test]
fn the_walk_is_bounded() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    for i in 0..20 {
        std::fs::create_dir(tmp.path().join(format!("d{i}"))).unwrap_or_else(|e| panic!("{e}"));
    }
    let mut ids = CgroupIds::with_root(tmp.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .with_max_dirs(5);
    assert_eq!(ids.resolve(u64::MAX), None);
    assert!(ids.truncated());
    assert_eq!(ids.paths.len(), 5);
}

#[test]
fn a_missing_root_is_an_error() {
    let err = CgroupIds::with_root("/nonexistent/palisade-cgroup").err();
    assert!(matches!(err, Some(CgroupFsError::Root { .. })));
}
