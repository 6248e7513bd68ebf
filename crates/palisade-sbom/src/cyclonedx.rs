use crate::{layer_props, spdx_expression, subject, SbomInput};
use palisade_core::{Ecosystem, Relationship};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashSet};

/// CycloneDX 1.6 JSON (<https://cyclonedx.org/docs/1.6/json/>).
pub fn cyclonedx_json(input: &SbomInput<'_>) -> Value {
    let t = input.target;
    let root_ref = "palisade:subject".to_string();
    let (name, version) = subject(t);
    let mut root = json!({
        "bom-ref": root_ref,
        "type": if t.image.is_some() { "container" } else { "application" },
        "name": name,
    });
    if let Some(v) = version {
        root["version"] = json!(v);
    }
    if let Some(img) = &t.image {
        let mut props =
            vec![json!({"name": "palisade:image:config_digest", "value": img.config_digest})];
        if let Some(r) = img.references.first() {
            props.push(json!({"name": "palisade:image:reference", "value": r}));
        }
        if let Some(d) = &img.manifest_digest {
            props.push(json!({"name": "palisade:image:manifest_digest", "value": d}));
        }
        props.push(json!({"name": "palisade:image:platform", "value": format!("{}/{}", img.os, img.architecture)}));
        for l in &img.layers {
            props.push(json!({"name": "palisade:image:layer", "value": format!("{} {}", l.index, l.digest)}));
            if let Some(d) = &l.diff_id {
                props.push(json!({"name": "palisade:image:diff_id", "value": d}));
            }
        }
        root["properties"] = Value::Array(props);
    }

    let mut components = Vec::new();
    let mut used: HashSet<String> = HashSet::new();
    let mut by_purl: BTreeMap<&str, String> = BTreeMap::new();
    let mut os_ref = None;
    if let Some(os) = &t.os {
        let r = format!("palisade:os:{}@{}", os.family, os.version);
        used.insert(r.clone());
        components.push(json!({
            "bom-ref": r,
            "type": "operating-system",
            "name": os.family,
            "version": os.version,
            "description": os.pretty_name.clone().unwrap_or_default(),
        }));
        os_ref = Some(r);
    }
    let mut os_children = Vec::new();
    let mut app_children = Vec::new();
    let reached = crate::reached_from_roots(&t.packages);
    for p in &t.packages {
        let mut r = p.purl.clone();
        let mut n = 2;
        while !used.insert(r.clone()) {
            r = format!("{}#{n}", p.purl);
            n += 1;
        }
        by_purl.entry(p.purl.as_str()).or_insert_with(|| r.clone());
        let mut c = json!({
            "bom-ref": r,
            // The scanned project itself (a package.json, Cargo.lock or pom.xml at an
            // application root) is the application its libraries belong to.
            "type": if p.relationship == Relationship::Root { "application" } else { "library" },
            "name": p.name,
            "version": p.version,
            "purl": p.purl,
        });
        if p.ecosystem == Ecosystem::Maven {
            if let Some((g, a)) = p.name.split_once(':') {
                c["group"] = json!(g);
                c["name"] = json!(a);
            }
        }
        if !p.licenses.is_empty() {
            let lic: Vec<Value> = p
                .licenses
                .iter()
                .map(|l| match spdx_expression(l) {
                    Some(e) => json!({"expression": e}),
                    None => json!({"license": {"name": l}}),
                })
                .collect();
            // The schema allows either one expression or a list of named licences.
            let all_expr = lic.iter().all(|v| v.get("expression").is_some());
            c["licenses"] = if all_expr && lic.len() > 1 {
                json!([{"expression": p.licenses.iter().map(|l| format!("({l})")).collect::<Vec<_>>().join(" AND ")}])
            } else if lic.len() > 1 {
                Value::Array(
                    p.licenses
                        .iter()
                        .map(|l| json!({"license": {"name": l}}))
                        .collect(),
                )
            } else {
                Value::Array(lic)
            };
        }
        if let Some(m) = &p.maintainer {
            c["supplier"] = json!({"name": m});
        }
        let props: Vec<Value> = layer_props(p)
            .into_iter()
            .map(|(k, v)| json!({"name": k, "value": v}))
            .collect();
        c["properties"] = Value::Array(props);
        let occurrences: Vec<Value> = p
            .locations()
            .filter_map(|l| {
                let mut o = json!({"location": l.path?});
                if let Some(layer) = &l.layer {
                    o["additionalContext"] =
                        json!(format!("layer {} {}", layer.index, layer.digest));
                }
                Some(o)
            })
            .collect();
        if !occurrences.is_empty() {
            c["evidence"] = json!({"occurrences": occurrences});
        }
        if p.ecosystem.is_os() && os_ref.is_some() {
            os_children.push(r.clone());
        } else if p.relationship == Relationship::Root
            || !reached.contains(p.purl.as_str())
            || by_purl.get(p.purl.as_str()) != Some(&r)
        {
            // Libraries an application depends on hang from it, not from the subject. Edges
            // name a purl's first component, so a second copy found elsewhere stays under
            // the subject rather than dangling.
            app_children.push(r.clone());
        }
        components.push(c);
    }

    let mut dependencies = Vec::new();
    let mut root_deps: Vec<String> = app_children.clone();
    if let Some(o) = &os_ref {
        root_deps.insert(0, o.clone());
        dependencies.push(json!({"ref": o, "dependsOn": os_children}));
    }
    dependencies.insert(0, json!({"ref": root_ref, "dependsOn": root_deps}));
    for p in &t.packages {
        if p.depends_on.is_empty() {
            continue;
        }
        let Some(r) = by_purl.get(p.purl.as_str()) else {
            continue;
        };
        let deps: Vec<&String> = p
            .depends_on
            .iter()
            .filter_map(|d| by_purl.get(d.as_str()))
            .collect();
        let mut seen = HashSet::new();
        let deps: Vec<&String> = deps.into_iter().filter(|d| seen.insert(*d)).collect();
        if !deps.is_empty() && !dependencies.iter().any(|d| d["ref"] == json!(r)) {
            dependencies.push(json!({"ref": r, "dependsOn": deps}));
        }
    }

    let component_ref = |purl: &str| by_purl.get(purl).cloned();
    let vulnerabilities = crate::cyclonedx_vulns::vulnerabilities(&t.findings, &component_ref);
    let mut bom = json!({
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": format!("urn:uuid:{}", uuid::Uuid::new_v4()),
        "version": 1,
        "metadata": {
            "timestamp": input.created_at,
            "tools": {"components": [{"type": "application", "name": "palisade", "version": input.tool_version}]},
            "component": root,
        },
        "components": components,
        "dependencies": dependencies,
    });
    if !vulnerabilities.is_empty() {
        bom["vulnerabilities"] = Value::Array(vulnerabilities);
    }
    // The inventory is incomplete where the scan warned; say so inside the document.
    let annotations: Vec<Value> = t
        .errors
        .iter()
        .map(|e| {
            json!({
                "subjects": [root_ref],
                "annotator": {"component": {"type": "application", "name": "palisade", "version": input.tool_version}},
                "timestamp": input.created_at,
                "text": format!("scan warning: {e}"),
            })
        })
        .collect();
    if !annotations.is_empty() {
        bom["annotations"] = Value::Array(annotations);
    }
    bom
}
