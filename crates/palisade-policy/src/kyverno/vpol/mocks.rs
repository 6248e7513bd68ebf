//! A Kyverno CLI test's mock cluster for the CEL libraries: the `context:` file of a
//! `kyverno-test.yaml` (kind `Context`, `cli.kyverno.io/v1alpha1`, `spec.resources` and
//! `spec.images`). The CLI loads it into its fake context provider
//! (`cmd/cli/kubectl-kyverno/processor/utils.go`, `pkg/cel/libs/fake_context.go`), which
//! `resource.Get` / `resource.List` and `image.GetMetadata` (kyverno/sdk `libs/resource`,
//! `libs/imagedata`) then read instead of the cluster and the registry. What that provider
//! does is reproduced here, quirks included, so tests come out as under `kyverno test`:
//!
//! - a resource is stored under its apiVersion, its kind's plural resource name, its
//!   namespace as written (none: cluster-wide) and its name; a later one replaces an earlier
//!   (the plural is the API machinery's rule, so a custom kind the CLI's REST mapper does not
//!   know, which the CLI refuses, is accepted here);
//! - `resource.Get` of a resource that is not there is `null`, not an error;
//! - `resource.List` is `{items: [...]}` (empty when nothing is in that namespace), an error
//!   when no resource of that apiVersion and resource name is mocked at all, and ignores its
//!   label selector;
//! - `image.GetMetadata(ref)` is the `spec.images` entry whose `image` is `ref` exactly (as
//!   the CLI re-reads it from JSON: numbers are doubles), else an error;
//! - a NamespacedValidatingPolicy's `resource.Get` / `List` take no namespace: they read the
//!   policy's.
//!
//! The other offline functions (`resource.Post`, `http.*`, `globalContext.Get`) are not in
//! the file: they stay errors saying they are not available offline.

use super::libs;
use crate::vap::cel::to_cel;
use crate::vap::matching::resource_of;
use kube_cel::cel::extractors::Arguments;
use kube_cel::cel::{Context, ExecutionError, ResolveResult, Value};
use serde_json::{Map, Value as Json};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// (apiVersion as `group/version` or `version`, plural resource name).
type Gvr = (String, String);

/// The mock cluster and registry of one test.
#[derive(Debug, Default)]
pub struct Mocks {
    /// Resource type → namespace (empty: cluster-scoped) → name → object.
    resources: HashMap<Gvr, HashMap<String, BTreeMap<String, Json>>>,
    /// Image reference as written in the file → its metadata.
    images: HashMap<String, Json>,
}

/// The functions read from [`Mocks`] (Kyverno 1.18 adds the camelCase spellings).
const MOCKED: &[&str] = &[
    "resource.Get",
    "resource.get",
    "resource.List",
    "resource.list",
    "image.GetMetadata",
    "image.getMetadata",
];

impl Mocks {
    /// Reads a `Context` document. `Err` for what the CLI refuses to load: a resource without
    /// apiVersion or kind (it cannot be mapped to a resource type), a malformed apiVersion, an
    /// image entry that is not an object or whose string fields are not strings.
    pub fn from_context(doc: &Json) -> Result<Mocks, String> {
        let mut mocks = Mocks::default();
        for (i, r) in list(doc, "resources")?.iter().enumerate() {
            let at = |why: &str| format!("context spec.resources[{i}]: {why}");
            let field = |p: &str| r.pointer(p).and_then(Json::as_str).unwrap_or("");
            let (api, kind) = (field("/apiVersion"), field("/kind"));
            if api.is_empty() || kind.is_empty() {
                return Err(at("apiVersion and kind are required"));
            }
            if api.split('/').count() > 2 {
                return Err(at(&format!("unexpected GroupVersion string: {api}")));
            }
            mocks
                .resources
                .entry((api.to_string(), resource_of(kind)))
                .or_default()
                .entry(field("/metadata/namespace").to_string())
                .or_default()
                .insert(field("/metadata/name").to_string(), r.clone());
        }
        for (i, img) in list(doc, "images")?.iter().enumerate() {
            let data = image_data(img).map_err(|e| format!("context spec.images[{i}]: {e}"))?;
            let name = data.get("image").and_then(Json::as_str).unwrap_or("");
            mocks.images.insert(name.to_string(), Json::Object(data));
        }
        Ok(mocks)
    }

    fn get(&self, api: &str, resource: &str, ns: &str, name: &str) -> ResolveResult {
        check_api(api).map_err(|e| fail("resource.Get", format!("failed to get resource: {e}")))?;
        let found = self
            .resources
            .get(&(api.to_string(), resource.to_string()))
            .and_then(|by_ns| by_ns.get(ns))
            .and_then(|by_name| by_name.get(name));
        Ok(found.map_or(Value::Null, to_cel))
    }

    fn list(&self, api: &str, resource: &str, ns: &str) -> ResolveResult {
        let failed = |e: String| fail("resource.List", format!("failed to list resource: {e}"));
        check_api(api).map_err(failed)?;
        let Some(by_ns) = self.resources.get(&(api.to_string(), resource.to_string())) else {
            return Err(failed(format!(
                "{} resource not found",
                group_resource(api, resource)
            )));
        };
        let items: Vec<Json> = by_ns
            .get(ns)
            .map(|by_name| by_name.values().cloned().collect())
            .unwrap_or_default();
        Ok(to_cel(&serde_json::json!({ "items": items })))
    }

    fn image(&self, image: &str) -> ResolveResult {
        self.images.get(image).map(to_cel).ok_or_else(|| {
            fail(
                "image.GetMetadata",
                format!(
                    "failed to get image data: image data for {image} not found in the context"
                ),
            )
        })
    }
}

fn list<'a>(doc: &'a Json, key: &str) -> Result<&'a [Json], String> {
    match doc.pointer(&format!("/spec/{key}")) {
        None | Some(Json::Null) => Ok(&[]),
        Some(Json::Array(a)) => Ok(a),
        Some(_) => Err(format!("context spec.{key} must be a list")),
    }
}

/// An image entry as the CLI hands it to the provider: the `ImageData` struct marshalled to
/// JSON and read back (empty `tag` / `digest` and absent documents dropped, numbers doubles).
fn image_data(img: &Json) -> Result<Map<String, Json>, String> {
    let Json::Object(m) = img else {
        return Err("must be an object".to_string());
    };
    let mut out = Map::new();
    for (key, always) in [
        ("image", true),
        ("resolvedImage", true),
        ("registry", true),
        ("repository", true),
        ("tag", false),
        ("digest", false),
    ] {
        let v = match m.get(key) {
            None | Some(Json::Null) => "",
            Some(Json::String(s)) => s.as_str(),
            Some(_) => return Err(format!("{key} must be a string")),
        };
        if always || !v.is_empty() {
            out.insert(key.to_string(), Json::String(v.to_string()));
        }
    }
    for key in ["imageIndex", "manifest", "config"] {
        if let Some(v) = m.get(key).filter(|v| !v.is_null()) {
            out.insert(key.to_string(), doubles(v, 0));
        }
    }
    Ok(out)
}

/// Every number as a double, as Go's `json.Unmarshal` into `any` reads it (nesting capped
/// at 256 levels: deeper values are dropped to null rather than recursing further).
fn doubles(v: &Json, depth: usize) -> Json {
    match v {
        _ if depth > 256 => Json::Null,
        Json::Number(n) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or(Json::Null, Json::Number),
        Json::Array(a) => Json::Array(a.iter().map(|x| doubles(x, depth + 1)).collect()),
        Json::Object(o) => Json::Object(
            o.iter()
                .map(|(k, x)| (k.clone(), doubles(x, depth + 1)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `schema.ParseGroupVersion`'s one refusal: more than one `/`.
fn check_api(api: &str) -> Result<(), String> {
    if api.split('/').count() > 2 {
        return Err(format!("unexpected GroupVersion string: {api}"));
    }
    Ok(())
}

/// `GroupResource.String()`: `resource.group`, or `resource` for the core group.
fn group_resource(api: &str, resource: &str) -> String {
    match api.split_once('/') {
        Some((group, _)) if !group.is_empty() => format!("{resource}.{group}"),
        _ => resource.to_string(),
    }
}

fn fail(function: &str, message: impl ToString) -> ExecutionError {
    ExecutionError::function_error(function, message)
}

fn string<'a>(v: &'a Value, function: &str) -> Result<&'a str, ExecutionError> {
    match v {
        Value::String(s) => Ok(s.as_str()),
        _ => Err(fail(
            function,
            "no such overload: expected a string argument",
        )),
    }
}

/// Defines the offline functions in `ctx`: those of [`MOCKED`] read `mocks`; the others
/// are errors saying they are not available offline. `namespace` is a
/// NamespacedValidatingPolicy's own, which its `resource.*` calls read.
pub fn register(ctx: &mut Context<'_>, mocks: &Arc<Mocks>, namespace: Option<&str>) {
    let ns = namespace.map(str::to_string);
    for name in ["resource.Get", "resource.get"] {
        let (m, ns) = (Arc::clone(mocks), ns.clone());
        ctx.add_function(name, move |Arguments(args): Arguments| -> ResolveResult {
            fn s(v: &Value) -> Result<&str, ExecutionError> {
                string(v, "resource.Get")
            }
            match (args.as_slice(), ns.as_deref()) {
                ([api, res, namespace, name], None) => {
                    m.get(s(api)?, s(res)?, s(namespace)?, s(name)?)
                }
                ([api, res, name], Some(ns)) => m.get(s(api)?, s(res)?, ns, s(name)?),
                _ => Err(fail("resource.Get", "no such overload")),
            }
        });
    }
    for name in ["resource.List", "resource.list"] {
        let (m, ns) = (Arc::clone(mocks), ns.clone());
        ctx.add_function(name, move |Arguments(args): Arguments| -> ResolveResult {
            fn s(v: &Value) -> Result<&str, ExecutionError> {
                string(v, "resource.List")
            }
            // The label selector (a map last) is ignored, as the CLI's fake provider does.
            match (args.as_slice(), ns.as_deref()) {
                ([api, res, namespace] | [api, res, namespace, Value::Map(_)], None) => {
                    m.list(s(api)?, s(res)?, s(namespace)?)
                }
                ([api, res] | [api, res, Value::Map(_)], Some(ns)) => m.list(s(api)?, s(res)?, ns),
                _ => Err(fail("resource.List", "no such overload")),
            }
        });
    }
    for name in ["image.GetMetadata", "image.getMetadata"] {
        let m = Arc::clone(mocks);
        ctx.add_function(name, move |Arguments(args): Arguments| -> ResolveResult {
            match args.as_slice() {
                [image] => m.image(string(image, "image.GetMetadata")?),
                _ => Err(fail("image.GetMetadata", "no such overload")),
            }
        });
    }
    for (name, why) in libs::EXTENSIONS.offline {
        if !MOCKED.contains(name) {
            ctx.add_function(name, move |Arguments(_): Arguments| -> ResolveResult {
                Err(fail(name, why))
            });
        }
    }
}
