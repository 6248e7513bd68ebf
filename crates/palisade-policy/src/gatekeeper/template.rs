//! ConstraintTemplate: the Rego (and libs) of one admission target, and the schema of its
//! constraints' parameters.

use super::cel::CelCode;
use crate::rego::{package_of, Limits, Module, Rego};
use crate::PolicyError;
use serde_json::Value;
use std::sync::Arc;

pub(crate) const TARGET: &str = "admission.k8s.gatekeeper.sh";

#[derive(Debug, Clone)]
pub struct Template {
    pub path: String,
    /// `metadata.name` (`k8srequiredlabels`).
    pub name: String,
    /// The constraint kind it defines (`K8sRequiredLabels`).
    pub kind: String,
    /// `spec.crd.spec.validation.openAPIV3Schema`, the shape of `spec.parameters`.
    pub schema: Option<Value>,
    /// `metadata.gatekeeper.sh/title` or the `description` annotation, for finding titles.
    pub title: Option<String>,
    /// The CEL code compiled, or why it does not compile.
    pub(crate) cel: Option<Result<Arc<CelCode>, String>>,
    pub(crate) modules: Vec<Module>,
    /// `data.<package>` of the template's own module.
    pub(crate) package: String,
    /// Reads `data.inventory`, so it is compiled again with the cluster state of each scan.
    pub(crate) referential: bool,
    pub(crate) rego: Rego,
}

impl Template {
    pub fn parse(path: &str, doc: &Value, limits: Limits) -> Result<Template, PolicyError> {
        let err = |m: &str| PolicyError::parse(path, m);
        let name = doc
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .ok_or_else(|| err("ConstraintTemplate without metadata.name"))?
            .to_string();
        let at = format!("{path}#{name}");
        let kind = doc
            .pointer("/spec/crd/spec/names/kind")
            .and_then(Value::as_str)
            .ok_or_else(|| PolicyError::parse(&at, "no spec.crd.spec.names.kind"))?
            .to_string();
        let schema = doc
            .pointer("/spec/crd/spec/validation/openAPIV3Schema")
            .cloned();
        let targets = doc
            .pointer("/spec/targets")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let target = targets
            .iter()
            .find(|t| t.get("target").and_then(Value::as_str) == Some(TARGET))
            .ok_or_else(|| PolicyError::parse(&at, format!("no target {TARGET}")))?;
        let code = target
            .get("code")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let cel = code
            .iter()
            .find(|c| c.get("engine").and_then(Value::as_str) == Some("K8sNativeValidation"))
            .and_then(|c| c.get("source"))
            .map(|src| CelCode::compile(src).map(Arc::new));
        let rego_code = code
            .iter()
            .find(|c| c.get("engine").and_then(Value::as_str) == Some("Rego"))
            .and_then(|c| c.get("source"));
        let (rego, libs) = match (target.get("rego").and_then(Value::as_str), rego_code) {
            (Some(r), _) => (r, target.get("libs")),
            (None, Some(src)) => (
                src.get("rego")
                    .and_then(Value::as_str)
                    .ok_or_else(|| PolicyError::parse(&at, "Rego code without source.rego"))?,
                src.get("libs"),
            ),
            (None, None) => match &cel {
                // CEL only: the template runs its CEL whatever the engine asked for.
                Some(Ok(_)) => ("", None),
                Some(Err(e)) => return Err(PolicyError::parse(&at, e)),
                None => return Err(PolicyError::parse(&at, "no Rego or CEL code")),
            },
        };
        let has_rego = !rego.is_empty();
        let package = match package_of(rego) {
            Some(p) => p,
            None if !has_rego => String::new(),
            None => return Err(PolicyError::parse(&at, "the Rego declares no package")),
        };
        let mut modules = Vec::new();
        if has_rego {
            modules.push(Module {
                path: at.clone(),
                source: rego.to_string(),
            });
        }
        for (i, lib) in libs
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            if let Some(src) = lib.as_str() {
                modules.push(Module {
                    path: format!("{at}#lib{i}"),
                    source: src.to_string(),
                });
            }
        }
        let referential = modules.iter().any(|m| m.source.contains("data.inventory"));
        let rego = Rego::compile(&modules, &Value::Null, limits).map_err(|e| match e {
            PolicyError::Compile { message } => PolicyError::parse(&at, message),
            other => other,
        })?;
        let annotations = doc.pointer("/metadata/annotations");
        let title = ["metadata.gatekeeper.sh/title", "description"]
            .iter()
            .find_map(|k| annotations?.get(*k)?.as_str())
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "));
        Ok(Template {
            path: path.to_string(),
            name,
            kind,
            schema,
            title,
            cel,
            modules,
            package,
            referential,
            rego,
        })
    }

    /// Carries `K8sNativeValidation` (CEL) code; run instead of the Rego when the CEL engine
    /// is asked for ([`super::Engine::Cel`]).
    pub fn has_cel(&self) -> bool {
        self.cel.is_some()
    }

    /// Carries Rego code; a template with CEL only runs its CEL whatever the engine.
    pub fn has_rego(&self) -> bool {
        !self.modules.is_empty()
    }

    /// This template's engine with `data.inventory` set, compiled afresh; the plain engine
    /// when the template never reads the inventory.
    pub(crate) fn with_inventory(
        &self,
        inventory: &Value,
        limits: Limits,
    ) -> Result<Rego, PolicyError> {
        if !self.referential {
            return Ok(self.rego.clone());
        }
        let data = serde_json::json!({ "inventory": inventory });
        Rego::compile(&self.modules, &data, limits)
    }
}

#[cfg(test)]
mod tests {
    use crate::rego::package_of;

    #[test]
    fn package_line_is_found_after_comments() {
        assert_eq!(
            package_of("# c\n\npackage k8s.labels # trailing\nx := 1").as_deref(),
            Some("data.k8s.labels")
        );
        assert_eq!(package_of("packages := 1"), None);
    }
}
