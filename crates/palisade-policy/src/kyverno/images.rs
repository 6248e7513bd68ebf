//! The `images` context variable Kyverno adds for pods and pod templates:
//! `images.containers.<name>.{registry,path,name,tag,digest,reference}`.

use serde_json::{json, Map, Value};

/// Splits an image reference the way Kyverno's image utils do: `docker.io` when the first
/// component is not a host, `latest` when neither tag nor digest is given.
pub fn parse(image: &str) -> Value {
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, d.to_string()),
        None => (image, String::new()),
    };
    let (registry, path_tag) = match rest.split_once('/') {
        Some((first, tail)) if first.contains(['.', ':']) || first == "localhost" => {
            (first.to_string(), tail.to_string())
        }
        _ => ("docker.io".to_string(), rest.to_string()),
    };
    let (path, mut tag) = match path_tag.rsplit_once(':') {
        Some((p, t)) if !t.contains('/') => (p.to_string(), t.to_string()),
        _ => (path_tag.clone(), String::new()),
    };
    if tag.is_empty() && digest.is_empty() {
        tag = "latest".into();
    }
    let name = path.rsplit('/').next().unwrap_or(&path).to_string();
    let mut reference = format!("{registry}/{path}");
    if !tag.is_empty() {
        reference.push(':');
        reference.push_str(&tag);
    }
    if !digest.is_empty() {
        reference.push('@');
        reference.push_str(&digest);
    }
    json!({
        "registry": registry, "path": path, "name": name, "tag": tag,
        "digest": digest, "reference": reference,
    })
}

/// The pod spec of a Pod or a pod controller.
pub fn pod_spec(resource: &Value) -> Option<&Value> {
    let kind = resource.get("kind").and_then(Value::as_str)?;
    match kind {
        "Pod" => resource.get("spec"),
        "CronJob" => resource.pointer("/spec/jobTemplate/spec/template/spec"),
        _ => resource.pointer("/spec/template/spec"),
    }
}

/// `images` for the resource, or `None` when it carries no containers.
pub fn context(resource: &Value) -> Option<Value> {
    let spec = pod_spec(resource)?;
    let mut out = Map::new();
    for key in ["containers", "initContainers", "ephemeralContainers"] {
        let Some(list) = spec.get(key).and_then(Value::as_array) else {
            continue;
        };
        let mut m = Map::new();
        for c in list {
            if let (Some(name), Some(image)) = (
                c.get("name").and_then(Value::as_str),
                c.get("image").and_then(Value::as_str),
            ) {
                m.insert(name.to_string(), parse(image));
            }
        }
        if !m.is_empty() {
            out.insert(key.to_string(), Value::Object(m));
        }
    }
    (!out.is_empty()).then_some(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn references() {
        let v = parse("nginx");
        assert_eq!(v["registry"], "docker.io");
        assert_eq!(v["tag"], "latest");
        assert_eq!(v["name"], "nginx");
        let v = parse("ghcr.io/org/app:1.2@sha256:abc");
        assert_eq!(v["registry"], "ghcr.io");
        assert_eq!(v["path"], "org/app");
        assert_eq!(v["tag"], "1.2");
        assert_eq!(v["digest"], "sha256:abc");
        let v = parse("localhost:5000/app");
        assert_eq!(v["registry"], "localhost:5000");
        assert_eq!(v["tag"], "latest");
    }
}
