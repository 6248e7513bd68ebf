//! Every rules file of the shared Falco corpus (`/work/shared/corpus/falco/rules-current`,
//! see its SOURCES.tsv) loads with zero errors and every condition compiles; k8s audit
//! rules are all evaluable. Skipped when the corpus is absent.

use palisade_runtime::rules::{load_files, Level};
use palisade_runtime::{FieldCatalog, K8sAudit, Syscall};
use std::path::{Path, PathBuf};

const ROOT: &str = "/work/shared/corpus/falco/rules-current";

fn corpus() -> Option<PathBuf> {
    let root = PathBuf::from(ROOT);
    if root.is_dir() {
        Some(root)
    } else {
        eprintln!("SKIPPED: {ROOT} is absent");
        None
    }
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml")
            && !p.ends_with("registry.yaml")
            && !p.ends_with("audit-policy.yaml")
        {
            out.push(p);
        }
    }
}

/// Files that extend another (appends, overrides, its macros) are loaded after it, as Falco
/// is configured to load them.
fn with_base(root: &Path, f: &Path) -> Vec<PathBuf> {
    let name = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let base = match name {
        "falco-incubating_rules.yaml"
        | "falco-sandbox_rules.yaml"
        | "falco-deprecated_rules.yaml"
        | "application_rules.yaml" => Some("falcosecurity__rules/rules/falco_rules.yaml"),
        "k8s_audit_rules_gke.yaml" => {
            Some("falcosecurity__plugins/plugins/k8saudit/rules/k8s_audit_rules.yaml")
        }
        _ => None,
    };
    match base {
        Some(b) => vec![root.join(b), f.to_path_buf()],
        None => vec![f.to_path_buf()],
    }
}

#[test]
fn every_corpus_rules_file_loads_without_errors() {
    let Some(root) = corpus() else { return };
    let mut files = Vec::new();
    yaml_files(&root, &mut files);
    files.sort();
    assert!(files.len() >= 10, "{files:?}");
    let cats: [&dyn FieldCatalog; 2] = [&K8sAudit, &Syscall];
    let mut errors = Vec::new();
    for f in &files {
        let set = load_files(&with_base(&root, f), &cats);
        errors.extend(
            set.diagnostics
                .iter()
                .filter(|d| d.level == Level::Error)
                .map(|d| d.to_string()),
        );
        assert!(!set.rules.is_empty(), "{}", f.display());
        for r in set.rules.iter().filter(|r| r.expr.is_none()) {
            errors.push(format!(
                "{}: rule '{}' did not compile",
                f.display(),
                r.def.name
            ));
        }
        // Every k8s_audit and syscall rule uses only fields Palisade provides.
        for r in &set.rules {
            let plugin_fields = r.missing_fields.iter().all(|m| m.starts_with("krsi."));
            if matches!(r.def.source.as_str(), "k8s_audit" | "syscall")
                && !r.evaluable()
                && !plugin_fields
            {
                errors.push(format!(
                    "{}: rule '{}' lacks {:?}",
                    f.display(),
                    r.def.name,
                    r.missing_fields
                ));
            }
        }
    }
    assert!(errors.is_empty(), "{errors:#?}");
}
