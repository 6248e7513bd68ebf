//! Reading policy sources: directories, single files and OPA bundle tarballs.

use crate::rego::Module;
use crate::PolicyError;
use flate2::read::GzDecoder;
use std::io::Read;
use std::path::Path;

/// Largest policy, data or template file read.
pub const MAX_FILE: u64 = 16 * 1024 * 1024;
/// Largest total a bundle tarball may decompress to.
pub const MAX_BUNDLE: u64 = 256 * 1024 * 1024;

/// Everything found under the policy paths, not yet compiled.
#[derive(Debug, Default)]
pub struct Sources {
    pub modules: Vec<Module>,
    /// Data documents merged into one tree (`data.json` at `a/b/` lands at `data.a.b`).
    pub data: serde_json::Value,
    /// Gatekeeper ConstraintTemplates, with the file they came from.
    pub templates: Vec<(String, serde_json::Value)>,
    /// Gatekeeper constraints (`constraints.gatekeeper.sh/*`).
    pub constraints: Vec<(String, serde_json::Value)>,
    /// Gatekeeper ExpansionTemplates (`expansion.gatekeeper.sh/*`).
    pub expansions: Vec<(String, serde_json::Value)>,
    /// ValidatingAdmissionPolicies and their bindings (`admissionregistration.k8s.io`).
    pub vap: Vec<(String, serde_json::Value)>,
    /// Kyverno policies: `kyverno.io` ClusterPolicy/Policy, `policies.kyverno.io` ValidatingPolicy.
    pub kyverno: Vec<(String, serde_json::Value)>,
    /// Other Kubernetes objects found beside the policies: parameters of
    /// ValidatingAdmissionPolicies (`paramKind`), namespaces.
    pub objects: Vec<(String, serde_json::Value)>,
}

impl Sources {
    /// Reads every path: a directory is walked (hidden directories and `*_test.rego` skipped),
    /// a `.tar.gz`/`.tgz` is read as an OPA bundle, any other file by its name.
    pub fn load<P: AsRef<Path>>(paths: &[P]) -> Result<Sources, PolicyError> {
        let mut s = Sources {
            data: serde_json::Value::Object(Default::default()),
            ..Default::default()
        };
        for p in paths {
            let p = p.as_ref();
            let meta = std::fs::metadata(p).map_err(|e| PolicyError::io(p, e))?;
            if meta.is_dir() {
                s.load_dir(p)?;
            } else if is_tarball(p) {
                s.load_bundle(p)?;
            } else {
                let text = read_capped(p)?;
                let name = p.display().to_string();
                s.add_file(&name, &name, &[], text, true)?;
            }
        }
        Ok(s)
    }

    fn load_dir(&mut self, root: &Path) -> Result<(), PolicyError> {
        let walk = walkdir::WalkDir::new(root)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walk {
            let entry = entry.map_err(|e| {
                let path = e.path().unwrap_or(root).to_path_buf();
                PolicyError::io(path, e.into())
            })?;
            if !entry.file_type().is_file() {
                continue;
            }
            let path = entry.path();
            if !wanted(path) {
                continue;
            }
            let rel = path.strip_prefix(root).unwrap_or(path);
            let dirs: Vec<String> = rel
                .parent()
                .map(|d| {
                    d.components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default();
            let text = read_capped(path)?;
            let name = path.display().to_string();
            self.add_file(&name, &file_name(path), &dirs, text, false)?;
        }
        Ok(())
    }

    fn load_bundle(&mut self, path: &Path) -> Result<(), PolicyError> {
        let file = std::fs::File::open(path).map_err(|e| PolicyError::io(path, e))?;
        let mut archive = tar::Archive::new(GzDecoder::new(file).take(MAX_BUNDLE));
        let bundle = path.display().to_string();
        let bad = |e: std::io::Error| PolicyError::parse(&bundle, format!("not a bundle: {e}"));
        for entry in archive.entries().map_err(bad)? {
            let entry = entry.map_err(bad)?;
            if !entry.header().entry_type().is_file() {
                continue;
            }
            let entry_path = entry.path().map_err(bad)?.into_owned();
            let parts: Vec<String> = entry_path
                .components()
                .filter_map(|c| match c {
                    std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                    _ => None,
                })
                .collect();
            let Some((name, dirs)) = parts.split_last() else {
                continue;
            };
            if !wanted(Path::new(name)) || name == ".manifest" {
                continue;
            }
            let display = format!("{bundle}:{}", parts.join("/"));
            if entry.header().size().unwrap_or(0) > MAX_FILE {
                return Err(PolicyError::LimitExceeded {
                    path: display,
                    message: format!("over the {MAX_FILE} byte limit for a policy file"),
                });
            }
            let mut text = String::new();
            entry
                .take(MAX_FILE)
                .read_to_string(&mut text)
                .map_err(|e| PolicyError::parse(&display, e))?;
            self.add_file(&display, name, dirs, text, false)?;
        }
        Ok(())
    }

    /// `named`: the user named this file, so a YAML file that is neither a template, a
    /// constraint nor data is an error rather than something to pass over.
    fn add_file(
        &mut self,
        display: &str,
        name: &str,
        dirs: &[String],
        text: String,
        named: bool,
    ) -> Result<(), PolicyError> {
        if name.ends_with(".rego") {
            self.modules.push(Module {
                path: display.to_string(),
                source: text,
            });
            return Ok(());
        }
        let is_data = matches!(name, "data.json" | "data.yaml" | "data.yml");
        if name.ends_with(".json") {
            if !is_data && !named {
                return Ok(());
            }
            let value: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| PolicyError::parse(display, e))?;
            return merge_at(&mut self.data, dirs, value, display);
        }
        let docs = crate::yaml::documents(display, &text)?;
        if is_data {
            for (_, doc) in docs {
                merge_at(&mut self.data, dirs, doc, display)?;
            }
            return Ok(());
        }
        let mut used = false;
        for doc in flatten_lists(docs.into_iter().map(|(_, d)| d)) {
            let api = doc.get("apiVersion").and_then(|v| v.as_str()).unwrap_or("");
            let kind = doc.get("kind").and_then(|v| v.as_str()).unwrap_or("");
            if api.starts_with("templates.gatekeeper.sh/") && kind == "ConstraintTemplate" {
                self.templates.push((display.to_string(), doc));
                used = true;
            } else if api.starts_with("constraints.gatekeeper.sh/") {
                self.constraints.push((display.to_string(), doc));
                used = true;
            } else if api.starts_with("expansion.gatekeeper.sh/") && kind == "ExpansionTemplate" {
                self.expansions.push((display.to_string(), doc));
                used = true;
            } else if api.starts_with("admissionregistration.k8s.io/")
                && matches!(
                    kind,
                    "ValidatingAdmissionPolicy" | "ValidatingAdmissionPolicyBinding"
                )
            {
                self.vap.push((display.to_string(), doc));
                used = true;
            } else if (api.starts_with("kyverno.io/") && matches!(kind, "ClusterPolicy" | "Policy"))
                || (api.starts_with("policies.kyverno.io/")
                    && matches!(kind, "ValidatingPolicy" | "NamespacedValidatingPolicy"))
            {
                self.kyverno.push((display.to_string(), doc));
                used = true;
            } else if !api.is_empty() && !kind.is_empty() {
                self.objects.push((display.to_string(), doc));
            }
        }
        if named && !used {
            return Err(PolicyError::parse(
                display,
                "neither Rego, data, a Gatekeeper template or constraint, a ValidatingAdmissionPolicy nor a Kyverno policy",
            ));
        }
        Ok(())
    }
}

/// Items of `kind: List` documents, in place of the list.
fn flatten_lists(docs: impl Iterator<Item = serde_json::Value>) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for doc in docs {
        let is_list = doc.get("kind").and_then(|k| k.as_str()) == Some("List");
        match doc.get("items").and_then(|i| i.as_array()) {
            Some(items) if is_list => out.extend(items.iter().cloned()),
            _ => out.push(doc),
        }
    }
    out
}

fn wanted(path: &Path) -> bool {
    let name = file_name(path);
    if name.ends_with("_test.rego") {
        return false;
    }
    name.ends_with(".rego")
        || name == "data.json"
        || name.ends_with(".yaml")
        || name.ends_with(".yml")
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn is_tarball(path: &Path) -> bool {
    let name = file_name(path);
    name.ends_with(".tar.gz") || name.ends_with(".tgz")
}

pub(crate) fn read_capped(path: &Path) -> Result<String, PolicyError> {
    let file = std::fs::File::open(path).map_err(|e| PolicyError::io(path, e))?;
    let mut text = String::new();
    file.take(MAX_FILE + 1)
        .read_to_string(&mut text)
        .map_err(|e| PolicyError::io(path, e))?;
    if text.len() as u64 > MAX_FILE {
        return Err(PolicyError::LimitExceeded {
            path: path.display().to_string(),
            message: format!("over the {MAX_FILE} byte limit for a policy file"),
        });
    }
    Ok(text)
}

/// Merges `value` into `data` under the path `dirs`; two documents setting the same leaf is an
/// error, as in OPA.
fn merge_at(
    data: &mut serde_json::Value,
    dirs: &[String],
    value: serde_json::Value,
    display: &str,
) -> Result<(), PolicyError> {
    let mut node = data;
    for d in dirs {
        let serde_json::Value::Object(map) = node else {
            return Err(conflict(display, dirs));
        };
        node = map
            .entry(d.clone())
            .or_insert_with(|| serde_json::Value::Object(Default::default()));
    }
    merge(node, value).map_err(|at| {
        let mut path = dirs.to_vec();
        path.extend(at);
        conflict(display, &path)
    })
}

fn merge(into: &mut serde_json::Value, value: serde_json::Value) -> Result<(), Vec<String>> {
    match (into, value) {
        (serde_json::Value::Object(a), serde_json::Value::Object(b)) => {
            for (k, v) in b {
                match a.get_mut(&k) {
                    Some(existing) => merge(existing, v).map_err(|mut at| {
                        at.insert(0, k.clone());
                        at
                    })?,
                    None => {
                        a.insert(k, v);
                    }
                }
            }
            Ok(())
        }
        (_, _) => Err(Vec::new()),
    }
}

fn conflict(display: &str, path: &[String]) -> PolicyError {
    PolicyError::Compile {
        message: format!(
            "{display}: data.{} is already set by another data document",
            path.join(".")
        ),
    }
}
