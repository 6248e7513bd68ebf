//! Kubernetes objects read from documents, and the pod templates inside workloads.

use crate::yaml::Node;
use palisade_core::ObjectRef;

#[derive(Debug, Clone)]
pub struct Obj {
    pub path: String,
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    pub root: Node,
    /// Field path prefix for objects that came out of a `List` (`items[3].`).
    pub prefix: String,
}

impl Obj {
    /// Reads an object from a document root; `None` when the document is not a Kubernetes object.
    pub fn from_node(path: &str, root: Node, prefix: String) -> Option<Obj> {
        let kind = root.get("kind")?.as_str()?.to_string();
        let api_version = root
            .get("apiVersion")
            .and_then(Node::as_str)
            .unwrap_or("")
            .to_string();
        let name = root
            .at("metadata.name")
            .and_then(Node::as_str)
            .or_else(|| root.at("metadata.generateName").and_then(Node::as_str))
            .unwrap_or("")
            .to_string();
        let namespace = root
            .at("metadata.namespace")
            .and_then(Node::as_str)
            .map(str::to_string);
        Some(Obj {
            path: path.to_string(),
            api_version,
            kind,
            name,
            namespace,
            root,
            prefix,
        })
    }

    pub fn object_ref(&self, field_path: &str) -> ObjectRef {
        let fp = format!("{}{}", self.prefix, field_path);
        ObjectRef {
            api_version: (!self.api_version.is_empty()).then(|| self.api_version.clone()),
            kind: self.kind.clone(),
            namespace: self.namespace.clone(),
            name: self.name.clone(),
            field_path: (!fp.is_empty()).then_some(fp),
        }
    }

    /// `namespace` or `default`, as the API server would place it.
    pub fn ns(&self) -> &str {
        self.namespace
            .as_deref()
            .filter(|s| !s.is_empty())
            .unwrap_or("default")
    }

    pub fn display(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{}/{}/{}", self.kind, ns, self.name),
            None => format!("{}/{}", self.kind, self.name),
        }
    }

    /// The pod template of a pod-bearing kind.
    pub fn pod(&self) -> Option<PodSpec<'_>> {
        let (spec_path, meta_path) = match self.kind.as_str() {
            "Pod" => ("spec", "metadata"),
            "Deployment"
            | "ReplicaSet"
            | "StatefulSet"
            | "DaemonSet"
            | "Job"
            | "ReplicationController"
            | "DeploymentConfig" => ("spec.template.spec", "spec.template.metadata"),
            "CronJob" => (
                "spec.jobTemplate.spec.template.spec",
                "spec.jobTemplate.spec.template.metadata",
            ),
            "PodTemplate" => ("template.spec", "template.metadata"),
            _ => return None,
        };
        let spec = self.root.at(spec_path).filter(|n| n.is_map())?;
        Some(PodSpec {
            spec,
            path: spec_path,
            meta: self.root.at(meta_path),
            meta_path,
        })
    }
}

pub fn labels_of(node: Option<&Node>) -> Vec<(&str, &str)> {
    node.map(|n| {
        n.as_map()
            .iter()
            .filter_map(|(k, v)| v.as_str().map(|v| (k.as_str(), v)))
            .collect()
    })
    .unwrap_or_default()
}

pub struct PodSpec<'a> {
    pub spec: &'a Node,
    /// Field path of `spec` inside the object (`spec.template.spec`).
    pub path: &'static str,
    pub meta: Option<&'a Node>,
    pub meta_path: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerKind {
    Init,
    Regular,
    Ephemeral,
}

pub struct Container<'a> {
    pub node: &'a Node,
    /// Field path of the container (`spec.containers[0]`).
    pub path: String,
    pub kind: ContainerKind,
    pub name: &'a str,
}

impl<'a> Container<'a> {
    pub fn sc(&self, field: &str) -> Option<&'a Node> {
        self.node.get("securityContext").and_then(|sc| sc.at(field))
    }

    pub fn field(&self, field: &str) -> String {
        format!("{}.{field}", self.path)
    }

    pub fn image(&self) -> &str {
        self.node.get("image").and_then(Node::as_str).unwrap_or("")
    }
}

impl<'a> PodSpec<'a> {
    pub fn containers(&self) -> Vec<Container<'a>> {
        let mut out = Vec::new();
        for (key, kind) in [
            ("initContainers", ContainerKind::Init),
            ("containers", ContainerKind::Regular),
            ("ephemeralContainers", ContainerKind::Ephemeral),
        ] {
            if let Some(list) = self.spec.get(key) {
                for (i, c) in list.as_seq().iter().enumerate() {
                    if !c.is_map() {
                        continue;
                    }
                    out.push(Container {
                        node: c,
                        path: format!("{}.{key}[{i}]", self.path),
                        kind,
                        name: c.get("name").and_then(Node::as_str).unwrap_or(""),
                    });
                }
            }
        }
        out
    }

    /// Regular containers only: the ones probes and resources matter for.
    pub fn app_containers(&self) -> Vec<Container<'a>> {
        self.containers()
            .into_iter()
            .filter(|c| c.kind == ContainerKind::Regular)
            .collect()
    }

    pub fn psc(&self, field: &str) -> Option<&'a Node> {
        self.spec.get("securityContext").and_then(|sc| sc.at(field))
    }

    pub fn field(&self, field: &str) -> String {
        format!("{}.{field}", self.path)
    }

    pub fn annotations(&self) -> &'a [(String, Node)] {
        self.meta
            .and_then(|m| m.get("annotations"))
            .map(Node::as_map)
            .unwrap_or(&[])
    }

    pub fn annotation_path(&self, key: &str) -> String {
        format!("{}.annotations['{key}']", self.meta_path)
    }

    pub fn is_windows(&self) -> bool {
        self.spec.at("os.name").and_then(Node::as_str) == Some("windows")
    }

    pub fn volumes(&self) -> Vec<(usize, &'a Node)> {
        self.spec
            .get("volumes")
            .map(|v| {
                v.as_seq()
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| n.is_map())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn labels(&self) -> Vec<(&'a str, &'a str)> {
        labels_of(self.meta.and_then(|m| m.get("labels")))
    }
}
