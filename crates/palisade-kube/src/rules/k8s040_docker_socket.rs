use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S040",
        family: FAMILY,
        title: "Container runtime socket mounted",
        severity: Severity::Critical,
        docs: RuleDocs {
            why: "Access to the Docker, containerd or CRI-O socket is root on the node: the container can start privileged containers and read every other container's data.",
            fix: "Do not mount the runtime socket; use the Kubernetes API or a purpose-built agent with narrow permissions.",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: app:1.0}\n  volumes:\n  - name: docker\n    hostPath: {path: /var/run/docker.sock}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: app:1.0}\n  volumes:\n  - name: tmp\n    emptyDir: {}\n",
        },
        related: &["KSV-0006", "CKV_K8S_27", "kubesec:VolumeDockerSocket"],
        partial: &[
            Partial::new(
                "C-0074",
                "Kubescape's container-runtime-socket control. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["NSA-POD-PRIV"],
        references: &["https://kubernetes.io/docs/concepts/storage/volumes/#hostpath"],
    },
    pss: None,
    check: Check::Pod(check),
};

const SOCKETS: &[&str] = &[
    "docker.sock",
    "containerd.sock",
    "crio.sock",
    "cri-dockerd.sock",
];

fn is_socket(p: &str) -> bool {
    let p = p.trim_end_matches('/');
    SOCKETS.iter().any(|s| p.ends_with(s)) || p == "/var/run/docker" || p == "/run/containerd"
}

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (i, v) in pod.volumes() {
        if let Some(p) = v.at("hostPath.path") {
            if p.as_str().is_some_and(is_socket) {
                hits.push(Hit::new(
                    pod.field(&format!("volumes[{i}].hostPath.path")),
                    Some(p),
                    v,
                    format!(
                        "Volume mounts the container runtime socket {}",
                        p.as_str().unwrap_or("")
                    ),
                ));
            }
        }
    }
    for c in pod.containers() {
        for (i, m) in c
            .node
            .get("volumeMounts")
            .map(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            if let Some(p) = m.get("mountPath") {
                if p.as_str()
                    .is_some_and(|s| SOCKETS.iter().any(|k| s.trim_end_matches('/').ends_with(k)))
                {
                    hits.push(Hit::new(
                        c.field(&format!("volumeMounts[{i}].mountPath")),
                        Some(p),
                        m,
                        format!(
                            "Container '{}' mounts the runtime socket at {}",
                            c.name,
                            p.as_str().unwrap_or("")
                        ),
                    ));
                }
            }
        }
    }
    hits
}
