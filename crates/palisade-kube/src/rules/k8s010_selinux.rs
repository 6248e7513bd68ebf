use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S010",
        family: FAMILY,
        title: "Custom SELinux options",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "Setting an SELinux user or role, or a type other than the container types, can lift SELinux confinement; the Baseline policy forbids it.",
            fix: "Remove `seLinuxOptions.user` and `role`; use only the types container_t, container_init_t, container_kvm_t or container_engine_t.",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    seLinuxOptions: {type: spc_t}\n  containers:\n  - {name: app, image: app:1.0}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    seLinuxOptions: {level: \"s0:c123,c456\"}\n  containers:\n  - {name: app, image: app:1.0}\n",
        },
        related: &["KSV-0025"],
        partial: &[],
        compliance: &["PSS-baseline", "NSA-POD-HARDEN"],
        references: &[PSS_DOC],
    },
    pss: Some(PssControl { level: Level::Baseline, control: "SELinux", since: 0 }),
    check: Check::Pod(check),
};

fn problems(ctx: &Ctx, opts: &Node) -> Vec<String> {
    let mut out = Vec::new();
    let mut types = vec!["container_t", "container_init_t", "container_kvm_t"];
    if ctx.pss_minor >= 31 {
        types.push("container_engine_t");
    }
    if let Some(t) = opts.get("type").and_then(Node::as_str) {
        if !t.is_empty() && !types.contains(&t) {
            out.push(format!("type {t}"));
        }
    }
    for f in ["user", "role"] {
        if opts
            .get(f)
            .and_then(Node::as_str)
            .is_some_and(|v| !v.is_empty())
        {
            out.push(format!("{f} set"));
        }
    }
    out
}

fn check(ctx: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    let mut hits = Vec::new();
    if let Some(o) = pod.psc("seLinuxOptions") {
        let p = problems(ctx, o);
        if !p.is_empty() {
            hits.push(Hit::new(
                pod.field("securityContext.seLinuxOptions"),
                Some(o),
                pod.spec,
                format!("Pod sets custom SELinux options: {}", p.join(", ")),
            ));
        }
    }
    for c in pod.containers() {
        if let Some(o) = c.sc("seLinuxOptions") {
            let p = problems(ctx, o);
            if !p.is_empty() {
                hits.push(Hit::new(
                    c.field("securityContext.seLinuxOptions"),
                    Some(o),
                    c.node,
                    format!(
                        "Container '{}' sets custom SELinux options: {}",
                        c.name,
                        p.join(", ")
                    ),
                ));
            }
        }
    }
    hits
}
