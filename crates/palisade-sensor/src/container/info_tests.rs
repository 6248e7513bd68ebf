use super::*;
use crate::container::from_cgroup_path;
use std::collections::BTreeMap;

const ID: &str = "3f2a9c1b7d4e5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcd";
const UID: &str = "5c9c3a4e-1d2b-4f6a-9e8d-7c6b5a493827";

fn field<'a>(f: &'a [(Cow<'static, str>, Value)], name: &str) -> Option<&'a str> {
    f.iter()
        .find(|(n, _)| n == name)
        .and_then(|(_, v)| v.as_str())
}

fn pods() -> PodIndex {
    let json = format!(
        r#"{{"items":[{{"metadata":{{"name":"web-0","namespace":"shop","uid":"{UID}",
        "labels":{{"app":"web","tier":"front"}}}},
        "status":{{"podIP":"10.1.2.3","containerStatuses":[{{"name":"nginx",
        "image":"docker.io/library/nginx:1.25","imageID":"docker.io/library/nginx@sha256:aa",
        "containerID":"containerd://{ID}"}}]}}}}]}}"#
    );
    PodIndex::from_json(json.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_host_is_host() {
    let info = ContainerInfo::new(None, Some(&pods()));
    assert!(info.is_host());
    let f = info.fields();
    assert_eq!(field(&f, "container.id"), Some("host"));
    assert_eq!(field(&f, "container.name"), Some("host"));
    assert_eq!(f.len(), 2);
}

#[test]
fn a_container_without_pod_metadata() {
    let c = from_cgroup_path(&format!("/system.slice/docker-{ID}.scope"));
    let f = ContainerInfo::new(c.as_ref(), None).fields();
    assert_eq!(field(&f, "container.id"), Some(&ID[..12]));
    assert_eq!(field(&f, "container.type"), Some("docker"));
    assert_eq!(field(&f, "container.name"), None);
    assert_eq!(field(&f, "k8s.pod.name"), None);
}

#[test]
fn a_kubernetes_container_gets_its_pod() {
    // cgroupfs driver: the runtime comes from the pod list's containerID scheme
    let c = from_cgroup_path(&format!("/kubepods/besteffort/pod{UID}/{ID}"));
    let info = ContainerInfo::new(c.as_ref(), Some(&pods()));
    assert_eq!(info.runtime, Some(Runtime::Containerd));
    let f = info.fields();
    let want = [
        ("container.id", &ID[..12]),
        ("container.type", "containerd"),
        ("container.name", "nginx"),
        ("container.image", "docker.io/library/nginx:1.25"),
        ("container.image.repository", "docker.io/library/nginx"),
        ("container.image.tag", "1.25"),
        ("container.image.digest", "sha256:aa"),
        ("k8s.pod.name", "web-0"),
        ("k8s.ns.name", "shop"),
        ("k8s.pod.uid", UID),
        ("k8s.pod.ip", "10.1.2.3"),
        ("k8s.pod.labels", "(app:web,tier:front)"),
        ("k8s.pod.label[app]", "web"),
        ("k8s.pod.label[tier]", "front"),
    ];
    for (name, value) in want {
        assert_eq!(field(&f, name), Some(value), "{name}");
    }
    let privileged = f.iter().find(|(k, _)| k == "container.privileged");
    assert_eq!(
        privileged.map(|(_, v)| v),
        Some(&serde_json::Value::Bool(false))
    );
    // A host process has no such field (Falco shows <NA>).
    let host = ContainerInfo::host().fields();
    assert!(!host.iter().any(|(k, _)| k == "container.privileged"));
}

#[test]
fn the_cgroup_pod_uid_is_used_until_the_pod_list_knows_the_container() {
    let c = from_cgroup_path(&format!("/kubepods/besteffort/pod{UID}/{}", "b".repeat(64)));
    let info = ContainerInfo::new(c.as_ref(), Some(&pods()));
    assert_eq!(info.pod, None);
    let f = info.fields();
    assert_eq!(field(&f, "k8s.pod.uid"), Some(UID));
    // runtime not known from a bare id: no container.type rather than a wrong one
    assert_eq!(field(&f, "container.type"), None);
    let meta = PodMeta {
        name: "p".into(),
        namespace: "n".into(),
        uid: String::new(),
        labels: BTreeMap::new(),
        ip: None,
        container_name: "c".into(),
        image: "app@sha256:cc".into(),
        image_id: String::new(),
        runtime: Runtime::Crio,
        privileged: false,
    };
    let mut info = info;
    info.pod = Some(meta);
    let f = info.fields();
    assert_eq!(field(&f, "container.image.digest"), Some("sha256:cc"));
    assert_eq!(field(&f, "container.image.tag"), None);
    assert_eq!(field(&f, "k8s.pod.labels"), None);
}
