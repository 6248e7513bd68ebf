use super::*;

const A: &str = "1111111111111111111111111111111111111111111111111111111111111111";
const B: &str = "2222222222222222222222222222222222222222222222222222222222222222";
const I: &str = "3333333333333333333333333333333333333333333333333333333333333333";

fn list() -> String {
    format!(
        r#"{{"kind":"PodList","apiVersion":"v1","metadata":{{}},"items":[{{
  "metadata":{{"name":"web-0","namespace":"shop","uid":"u-1","labels":{{"app":"web","tier":"front"}}}},
  "spec":{{"containers":[{{"name":"nginx","image":"nginx:1.25"}},{{"name":"side","image":"reg:5000/team/side:2.0","securityContext":{{"privileged":true}}}}],
           "initContainers":[{{"name":"init","image":"busybox"}}]}},
  "status":{{"podIP":"10.1.2.3",
    "containerStatuses":[
      {{"name":"nginx","image":"docker.io/library/nginx:1.25","imageID":"docker.io/library/nginx@sha256:aaaa","containerID":"containerd://{A}"}},
      {{"name":"side","image":"sha256:0123","imageID":"sha256:0123","containerID":"cri-o://{B}"}},
      {{"name":"pending","image":"x","imageID":""}}],
    "initContainerStatuses":[
      {{"name":"init","image":"docker.io/library/busybox:latest","imageID":"docker-pullable://busybox@sha256:bbbb","containerID":"docker://{I}"}}]}}
}},{{"metadata":{{"name":"pending","namespace":"x"}},"status":{{"phase":"Pending"}}}}]}}"#
    )
}

#[test]
fn indexes_every_kind_of_container_status() {
    let idx = PodIndex::from_json(list().as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(idx.len(), 3);
    let a = idx.get(A).unwrap_or_else(|| panic!("A"));
    assert_eq!(a.name, "web-0");
    assert_eq!(a.namespace, "shop");
    assert_eq!(a.uid, "u-1");
    assert_eq!(a.ip.as_deref(), Some("10.1.2.3"));
    assert_eq!(a.container_name, "nginx");
    assert_eq!(a.image, "docker.io/library/nginx:1.25");
    assert_eq!(a.runtime, Runtime::Containerd);
    assert_eq!(a.labels.get("tier").map(String::as_str), Some("front"));
    // the short id finds the same container
    assert_eq!(idx.get(&A[..12]), Some(a));
    let b = idx.get(B).unwrap_or_else(|| panic!("B"));
    assert_eq!(
        b.image, "reg:5000/team/side:2.0",
        "spec image when status has an id"
    );
    assert_eq!(b.runtime, Runtime::Crio);
    // securityContext.privileged of the container's own spec, false when unset
    assert!(b.privileged);
    assert!(!a.privileged);
    let i = idx.get(&I[..12]).unwrap_or_else(|| panic!("init"));
    assert_eq!(i.container_name, "init");
    assert_eq!(i.runtime, Runtime::Docker);
    assert_eq!(idx.get("nope"), None);
    assert_eq!(idx.get(&"4".repeat(64)), None);
}

#[test]
fn bad_json_is_an_error_and_empty_lists_are_fine() {
    assert!(PodIndex::from_json(b"{not json").is_err());
    assert!(PodIndex::from_json(br#"{"items":"x"}"#).is_err());
    let empty = PodIndex::from_json(br#"{"kind":"PodList","items":[]}"#);
    assert!(empty.is_ok_and(|i| i.is_empty()));
    let none = PodIndex::from_json(br#"{"kind":"PodList","items":null}"#);
    assert!(none.is_ok_and(|i| i.is_empty()), "Go's nil slice");
}

#[test]
fn image_references_split_like_falco() {
    assert_eq!(split_image("nginx"), ("nginx", None, None));
    assert_eq!(split_image("nginx:1.25"), ("nginx", Some("1.25"), None));
    assert_eq!(
        split_image("reg:5000/team/app:1.2@sha256:ab"),
        ("reg:5000/team/app", Some("1.2"), Some("sha256:ab"))
    );
    assert_eq!(
        split_image("reg:5000/team/app"),
        ("reg:5000/team/app", None, None)
    );
    assert_eq!(
        split_image("app@sha256:ab"),
        ("app", None, Some("sha256:ab"))
    );
}

#[test]
fn digests_come_only_from_repo_digests() {
    assert_eq!(
        image_digest("docker-pullable://busybox@sha256:bb"),
        Some("sha256:bb")
    );
    assert_eq!(
        image_digest("docker.io/library/nginx@sha256:aa"),
        Some("sha256:aa")
    );
    assert_eq!(image_digest("sha256:0123"), None);
    assert_eq!(image_digest(""), None);
}
