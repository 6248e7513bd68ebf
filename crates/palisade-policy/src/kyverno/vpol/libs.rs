//! The CEL libraries Kyverno adds for ValidatingPolicies (kyverno/sdk `extensions/cel/libs`),
//! as far as they can run without a cluster: `parseServiceAccount` (user), image references
//! (`parseImageReference`/`image`, `isImage` and the reference's methods), `json.unmarshal` /
//! `json.marshal`, `yaml.parse`, `time.now` / `time.truncate`, `math.round`.
//!
//! `resource.*`, `http.*`, `globalContext.*` and `image.GetMetadata` read the cluster, the
//! network or a registry: they compile, and an evaluation that reaches one is an error saying
//! it is not available offline — never a guessed value — unless a Kyverno CLI test's
//! `context:` file mocks it ([`super::mocks`]).

use crate::vap::cel::{to_cel, Extensions};
use kube_cel::cel::extractors::{Arguments, This};
use kube_cel::cel::{Context, ExecutionError, ResolveResult, Value};
use std::sync::Arc;

/// Largest document `yaml.parse` / `json.unmarshal` accept (1 MiB).
const MAX_DOCUMENT: usize = 1024 * 1024;

/// Functions defined here (registered by [`register`]).
const KNOWN: &[&str] = &[
    "parseServiceAccount",
    "image",
    "parseImageReference",
    "isImage",
    "containsDigest",
    "registry",
    "repository",
    "identifier",
    "tag",
    "digest",
    "json.unmarshal",
    "json.marshal",
    "yaml.parse",
    "time.now",
    "time.truncate",
    "math.round",
];

/// Kyverno functions that need the cluster, the network or a registry (Pascal case, and
/// the camelCase spellings Kyverno 1.18 adds). A Kyverno CLI test's `context:` file mocks
/// some of them ([`super::mocks`]).
const OFFLINE: &[(&str, &str)] = &[
    (
        "resource.Get",
        "resource.Get is not available offline: it reads the cluster",
    ),
    (
        "resource.List",
        "resource.List is not available offline: it reads the cluster",
    ),
    (
        "resource.Post",
        "resource.Post is not available offline: it writes to the cluster",
    ),
    (
        "http.Get",
        "http.Get is not available offline: it calls the network",
    ),
    (
        "http.Post",
        "http.Post is not available offline: it calls the network",
    ),
    (
        "http.Client",
        "http.Client is not available offline: it calls the network",
    ),
    (
        "globalContext.Get",
        "globalContext.Get is not available offline: it reads Kyverno's global context entries",
    ),
    (
        "image.GetMetadata",
        "image.GetMetadata is not available offline: it reads the image registry",
    ),
    (
        "imagedata.Get",
        "imagedata.Get is not available offline: it reads the image registry",
    ),
    (
        "resource.get",
        "resource.get is not available offline: it reads the cluster",
    ),
    (
        "resource.list",
        "resource.list is not available offline: it reads the cluster",
    ),
    (
        "resource.post",
        "resource.post is not available offline: it writes to the cluster",
    ),
    (
        "http.get",
        "http.get is not available offline: it calls the network",
    ),
    (
        "http.post",
        "http.post is not available offline: it calls the network",
    ),
    (
        "http.client",
        "http.client is not available offline: it calls the network",
    ),
    (
        "globalContext.get",
        "globalContext.get is not available offline: it reads Kyverno's global context entries",
    ),
    (
        "image.getMetadata",
        "image.getMetadata is not available offline: it reads the image registry",
    ),
];

/// The environment Kyverno's ValidatingPolicies compile in.
pub const EXTENSIONS: Extensions = Extensions {
    known: KNOWN,
    offline: OFFLINE,
};

/// Adds the functions of [`KNOWN`] to a context.
pub fn register(ctx: &mut Context<'_>) {
    ctx.add_function("parseServiceAccount", parse_service_account);
    ctx.add_function("image", parse_image);
    ctx.add_function("parseImageReference", parse_image);
    ctx.add_function("isImage", is_image);
    for method in ["registry", "repository", "identifier", "tag", "digest"] {
        ctx.add_function(method, image_field(method));
    }
    ctx.add_function(
        "containsDigest",
        |This(img): This<Value>| -> ResolveResult {
            match image_of(&img, "containsDigest")?.get(&key("digest")) {
                Some(Value::String(d)) => Ok(Value::Bool(!d.is_empty())),
                _ => Ok(Value::Bool(false)),
            }
        },
    );
    ctx.add_function("json.unmarshal", json_unmarshal);
    ctx.add_function("json.marshal", json_marshal);
    ctx.add_function("yaml.parse", yaml_parse);
    ctx.add_function("time.now", time_now);
    ctx.add_function("math.round", math_round);
}

fn fail(function: &str, message: impl ToString) -> ExecutionError {
    ExecutionError::function_error(function, message)
}

/// `parseServiceAccount("system:serviceaccount:ns:name")`: `{Namespace, Name}`, both empty
/// for a user that is not a service account.
fn parse_service_account(user: Arc<String>) -> ResolveResult {
    let (mut ns, mut name) = (String::new(), String::new());
    if let Some(rest) = user.strip_prefix("system:serviceaccount:") {
        if let Some((n, s)) = rest.split_once(':') {
            ns = n.to_string();
            name = s.to_string();
        }
    }
    Ok(to_cel(&serde_json::json!({"Namespace": ns, "Name": name})))
}

/// An image reference as go-containerregistry's `name.ParseReference` reads it.
pub fn parse_reference(s: &str) -> Result<serde_json::Value, String> {
    let bad = || format!("could not parse reference: {s}");
    if s.is_empty() || s.len() > 4096 || s.chars().any(|c| c.is_whitespace()) {
        return Err(bad());
    }
    let (rest, digest) = match s.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (s, None),
    };
    if let Some(d) = digest {
        let ok = d.strip_prefix("sha256:").is_some_and(|h| {
            h.len() == 64
                && h.bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        });
        if !ok {
            return Err(bad());
        }
    }
    let (registry, path) = match rest.split_once('/') {
        Some((first, tail)) if first.contains(['.', ':']) || first == "localhost" => (first, tail),
        _ => ("index.docker.io", rest),
    };
    let registry = if registry == "docker.io" {
        "index.docker.io"
    } else {
        registry
    };
    let (repo, tag) = match path.rsplit_once(':') {
        Some((p, t)) if !t.contains('/') => (p, Some(t)),
        _ => (path, None),
    };
    let repo_ok = !repo.is_empty()
        && repo.split('/').all(|c| {
            !c.is_empty()
                && c.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
        });
    let tag_ok = tag.is_none_or(|t| {
        !t.is_empty()
            && t.len() <= 128
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
    });
    if !repo_ok || !tag_ok {
        return Err(bad());
    }
    let repository = if registry == "index.docker.io" && !repo.contains('/') {
        format!("library/{repo}")
    } else {
        repo.to_string()
    };
    let (tag, identifier) = match (tag, digest) {
        (t, Some(d)) => (
            t.unwrap_or_default().to_string(),
            t.map_or_else(|| d.to_string(), |t| format!("{t}@{d}")),
        ),
        (t, None) => {
            let t = t.unwrap_or("latest").to_string();
            (t.clone(), t)
        }
    };
    Ok(serde_json::json!({
        "registry": registry, "repository": repository, "tag": tag,
        "digest": digest.unwrap_or_default(), "identifier": identifier,
    }))
}

fn parse_image(s: Arc<String>) -> ResolveResult {
    parse_reference(&s)
        .map(|v| to_cel(&v))
        .map_err(|e| fail("parseImageReference", e))
}

fn is_image(s: Arc<String>) -> ResolveResult {
    Ok(Value::Bool(parse_reference(&s).is_ok()))
}

fn image_of<'v>(
    v: &'v Value,
    method: &str,
) -> Result<&'v std::collections::HashMap<kube_cel::cel::objects::Key, Value>, ExecutionError> {
    match v {
        Value::Map(m) if m.map.contains_key(&key("identifier")) => Ok(&m.map),
        _ => Err(fail(method, "no such overload: not an image reference")),
    }
}

fn key(k: &str) -> kube_cel::cel::objects::Key {
    kube_cel::cel::objects::Key::String(Arc::new(k.to_string()))
}

fn image_field(
    method: &'static str,
) -> impl Fn(This<Value>) -> ResolveResult + Send + Sync + 'static {
    move |This(img): This<Value>| {
        Ok(image_of(&img, method)?
            .get(&key(method))
            .cloned()
            .unwrap_or(Value::String(Arc::new(String::new()))))
    }
}

/// `json.unmarshal(s)`: the JSON document as a CEL value (numbers that are integers as int).
fn json_unmarshal(Arguments(args): Arguments) -> ResolveResult {
    let Some(Value::String(s)) = args.last() else {
        return Err(fail("json.unmarshal", "expects a string"));
    };
    if s.len() > MAX_DOCUMENT {
        return Err(fail("json.unmarshal", "document too large"));
    }
    let v: serde_json::Value = serde_json::from_str(s).map_err(|e| fail("json.unmarshal", e))?;
    Ok(to_cel(&v))
}

fn json_marshal(Arguments(args): Arguments) -> ResolveResult {
    let Some(v) = args.last() else {
        return Err(fail("json.marshal", "expects a value"));
    };
    let json = to_json(v, 0).map_err(|e| fail("json.marshal", e))?;
    Ok(Value::String(Arc::new(json.to_string())))
}

/// A CEL value as JSON (maps with string keys only), at most 256 levels deep.
fn to_json(v: &Value, depth: usize) -> Result<serde_json::Value, String> {
    use serde_json::Value as J;
    if depth > 256 {
        return Err("value nests too deep".into());
    }
    Ok(match v {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) => J::from(*i),
        Value::UInt(u) => J::from(*u),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        Value::String(s) => J::String(s.to_string()),
        Value::List(l) => J::Array(
            l.iter()
                .map(|x| to_json(x, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Value::Map(m) => {
            let mut out = serde_json::Map::new();
            for (k, x) in m.map.iter() {
                let kyverno_key = match k {
                    kube_cel::cel::objects::Key::String(s) => s.to_string(),
                    other => format!("{other:?}"),
                };
                out.insert(kyverno_key, to_json(x, depth + 1)?);
            }
            J::Object(out)
        }
        other => {
            return Err(format!(
                "cannot marshal {}",
                crate::vap::cel::type_name(other)
            ))
        }
    })
}

/// `yaml.parse(s)`: one YAML document as a CEL value.
fn yaml_parse(Arguments(args): Arguments) -> ResolveResult {
    let Some(Value::String(s)) = args.last() else {
        return Err(fail("yaml.parse", "expects a string"));
    };
    if s.len() > MAX_DOCUMENT {
        return Err(fail("yaml.parse", "document too large"));
    }
    let v: serde_json::Value = serde_yaml::from_str(s).map_err(|e| fail("yaml.parse", e))?;
    Ok(to_cel(&v))
}

/// `time.now()`: the current time, UTC.
fn time_now() -> ResolveResult {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (year, month, day, h, m, sec) = crate::kyverno::jmes::time::civil(secs);
    let text = format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{sec:02}Z");
    kube_cel::cel::functions::time::timestamp(Arc::new(text))
}

/// `math.round(x, digits)`: half away from zero at `digits` decimals.
fn math_round(x: f64, digits: i64) -> ResolveResult {
    let p = 10f64.powi(digits.clamp(-300, 300) as i32);
    Ok(Value::Float((x * p).round() / p))
}
