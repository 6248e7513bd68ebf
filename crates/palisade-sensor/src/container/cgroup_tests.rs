use super::*;

const ID: &str = "3f2a9c1b7d4e5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcd";
const ID2: &str = "aa11bb22cc33dd44ee55ff66778899aabbccddeeff00112233445566778899aa";
const UID: &str = "5c9c3a4e-1d2b-4f6a-9e8d-7c6b5a493827";

fn parse(path: &str) -> ContainerRef {
    from_cgroup_path(path).unwrap_or_else(|| panic!("no container in {path}"))
}

fn check(path: &str, full: &str, runtime: Runtime, pod: Option<&str>) {
    let c = parse(path);
    assert_eq!(c.full_id, full, "{path}");
    assert_eq!(c.id, &full[..12], "{path}");
    assert_eq!(c.runtime, runtime, "{path}");
    assert_eq!(c.pod_uid.as_deref(), pod, "{path}");
}

#[test]
fn docker_layouts() {
    check(&format!("/docker/{ID}"), ID, Runtime::Docker, None);
    check(
        &format!("/system.slice/docker-{ID}.scope"),
        ID,
        Runtime::Docker,
        None,
    );
    // rootless Docker under the user's systemd
    check(
        &format!("/user.slice/user-1000.slice/user@1000.service/docker.service/docker-{ID}.scope"),
        ID,
        Runtime::Docker,
        None,
    );
}

#[test]
fn kubernetes_cgroupfs_driver() {
    let p = format!("/kubepods/burstable/pod{UID}/{ID}");
    check(&p, ID, Runtime::Unknown, Some(UID));
    let p = format!("/kubepods/pod{UID}/{ID}");
    check(&p, ID, Runtime::Unknown, Some(UID));
    let p = format!("/kubepods/besteffort/pod{UID}/crio-{ID}");
    check(&p, ID, Runtime::Crio, Some(UID));
    // static pods: the UID is a 32-hex hash
    let p = format!("/kubepods/burstable/pod6c0a7f3e9b1d2c4e5f60718293a4b5c6/{ID}");
    check(
        &p,
        ID,
        Runtime::Unknown,
        Some("6c0a7f3e9b1d2c4e5f60718293a4b5c6"),
    );
}

#[test]
fn kubernetes_systemd_driver() {
    let u = UID.replace('-', "_");
    let p = format!(
        "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{u}.slice/cri-containerd-{ID}.scope"
    );
    check(&p, ID, Runtime::Containerd, Some(UID));
    let p = format!("/kubepods.slice/kubepods-pod{u}.slice/crio-{ID}.scope");
    check(&p, ID, Runtime::Crio, Some(UID));
    let p = format!(
        "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod{u}.slice/docker-{ID}.scope"
    );
    check(&p, ID, Runtime::Docker, Some(UID));
    // containerd itself not on the systemd driver: `<slice>:cri-containerd:<id>`
    let p = format!(
        "/system.slice/containerd.service/kubepods-burstable-pod{u}.slice:cri-containerd:{ID}"
    );
    check(&p, ID, Runtime::Containerd, Some(UID));
}

#[test]
fn conmon_scopes_are_not_containers() {
    assert_eq!(
        from_cgroup_path(&format!("/machine.slice/crio-conmon-{ID}.scope")),
        None
    );
    assert_eq!(
        from_cgroup_path(&format!("/machine.slice/libpod-conmon-{ID}.scope")),
        None
    );
    let u = UID.replace('-', "_");
    let p = format!("/kubepods.slice/kubepods-pod{u}.slice/crio-conmon-{ID}.scope");
    assert_eq!(from_cgroup_path(&p), None);
}

#[test]
fn podman_layouts() {
    check(
        &format!("/machine.slice/libpod-{ID}.scope"),
        ID,
        Runtime::Podman,
        None,
    );
    check(
        &format!("/machine.slice/libpod-{ID}.scope/container"),
        ID,
        Runtime::Podman,
        None,
    );
    check(
        &format!("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-{ID}.scope"),
        ID,
        Runtime::Podman,
        None,
    );
    check(
        &format!("/libpod_parent/libpod-{ID}"),
        ID,
        Runtime::Podman,
        None,
    );
}

#[test]
fn containerd_without_kubernetes() {
    check(&format!("/default/{ID}"), ID, Runtime::Containerd, None);
    check(&format!("/k8s.io/{ID}"), ID, Runtime::Containerd, None);
    check(
        &format!("/system.slice/nerdctl-{ID}.scope"),
        ID,
        Runtime::Containerd,
        None,
    );
}

#[test]
fn nested_layouts_take_the_innermost_container() {
    // kind, cgroupfs inside the node container
    let p = format!("/docker/{ID2}/kubepods/besteffort/pod{UID}/{ID}");
    check(&p, ID, Runtime::Unknown, Some(UID));
    // kind, systemd driver inside a systemd-scoped node container
    let u = UID.replace('-', "_");
    let p = format!(
        "/system.slice/docker-{ID2}.scope/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/kubelet-kubepods-besteffort-pod{u}.slice/cri-containerd-{ID}.scope"
    );
    check(&p, ID, Runtime::Containerd, Some(UID));
    // a process of the kind node itself (its containerd) belongs to the node container
    let p = format!("/system.slice/docker-{ID2}.scope/system.slice/containerd.service");
    check(&p, ID2, Runtime::Docker, None);
    // Docker in Docker
    check(
        &format!("/docker/{ID2}/docker/{ID}"),
        ID,
        Runtime::Docker,
        None,
    );
}

#[test]
fn host_paths_are_not_containers() {
    for p in [
        "/",
        "",
        "/init.scope",
        "/user.slice/user-1000.slice/session-3.scope",
        "/user.slice/user-1000.slice/user@1000.service/app.slice/podman-1234.scope",
        "/system.slice/docker.service",
        "/system.slice/containerd.service",
        "/kubepods.slice/kubepods-burstable.slice",
        "/process_api/890c5d7d6856ffd82debe32d70020d23",
    ] {
        assert_eq!(from_cgroup_path(p), None, "{p}");
    }
}

#[test]
fn near_misses_are_rejected() {
    let short = &ID[..63];
    let upper = ID.to_uppercase();
    for p in [
        format!("/docker/{short}"),
        format!("/docker/{upper}"),
        format!("/system.slice/docker-{short}.scope"),
        format!("/system.slice/foo-{ID}.scope"),
        format!("/system.slice/docker-{ID}x.scope"),
        format!("/system.slice/{ID}.service"),
        format!("/kubepods/burstable/pod{UID}"),
    ] {
        assert_eq!(from_cgroup_path(&p), None, "{p}");
    }
}

#[test]
fn pod_uid_needs_a_kubepods_parent() {
    // `pod<uuid>` outside kubepods is just a name
    let c = parse(&format!("/custom/pod{UID}/{ID}"));
    assert_eq!(c.pod_uid, None);
}

#[test]
fn proc_cgroup_v2_only() {
    let text = format!("0::/system.slice/docker-{ID}.scope\n");
    check_proc(&text, ID, Runtime::Docker);
    assert_eq!(from_proc_cgroup("0::/init.scope\n"), None);
    assert_eq!(from_proc_cgroup("0::/\n"), None);
}

fn check_proc(text: &str, full: &str, runtime: Runtime) {
    let c = from_proc_cgroup(text).unwrap_or_else(|| panic!("no container in {text}"));
    assert_eq!(c.full_id, full);
    assert_eq!(c.runtime, runtime);
}

#[test]
fn proc_cgroup_v1_and_hybrid() {
    let v1 = format!(
        "12:hugetlb:/\n11:memory:/docker/{ID}\n10:cpu,cpuacct:/docker/{ID}\n9:pids:/docker/{ID}\n1:name=systemd:/docker/{ID}\n"
    );
    check_proc(&v1, ID, Runtime::Docker);
    // hybrid: the v2 line at `/` says nothing, v1 controllers carry the container
    let hybrid = format!("{v1}0::/\n");
    check_proc(&hybrid, ID, Runtime::Docker);
    // the v2 line wins when it names a container
    let both = format!("4:memory:/docker/{ID2}\n0::/docker/{ID}\n");
    check_proc(&both, ID, Runtime::Docker);
    // pids before memory
    let order = format!("4:memory:/docker/{ID2}\n3:pids:/docker/{ID}\n");
    check_proc(&order, ID, Runtime::Docker);
    // only an unusual controller has it
    let other = format!("5:blkio:/docker/{ID}\n4:memory:/\n");
    check_proc(&other, ID, Runtime::Docker);
}

#[test]
fn proc_cgroup_keeps_colons_in_paths_and_ignores_junk() {
    let u = UID.replace('-', "_");
    let text = format!(
        "garbage\n\n0::/system.slice/containerd.service/kubepods-besteffort-pod{u}.slice:cri-containerd:{ID}\n"
    );
    let c = from_proc_cgroup(&text).unwrap_or_else(|| panic!("none"));
    assert_eq!(c.full_id, ID);
    assert_eq!(c.pod_uid.as_deref(), Some(UID));
    assert_eq!(from_proc_cgroup(""), None);
    assert_eq!(
        from_proc_cgroup("9:name=systemd:/\n4:memory:/process_api/890c5d7d\n0::/\n"),
        None
    );
}

#[test]
fn runtime_names_are_falcos() {
    assert_eq!(Runtime::Docker.as_str(), "docker");
    assert_eq!(Runtime::Containerd.as_str(), "containerd");
    assert_eq!(Runtime::Crio.as_str(), "cri-o");
    assert_eq!(Runtime::Podman.as_str(), "podman");
}
