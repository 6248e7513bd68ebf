use crate::{layer_props, spdx_expression, subject, SbomInput};
use palisade_core::Relationship;
use serde_json::{json, Value};

/// SPDX 2.3 JSON (<https://spdx.github.io/spdx-spec/v2.3/>).
pub fn spdx_json(input: &SbomInput<'_>) -> Value {
    let t = input.target;
    let (name, version) = subject(t);
    let root_id = "SPDXRef-Subject".to_string();
    let mut packages = Vec::new();
    let mut relationships = vec![json!({
        "spdxElementId": "SPDXRef-DOCUMENT",
        "relationshipType": "DESCRIBES",
        "relatedSpdxElement": root_id,
    })];
    let mut root = json!({
        "SPDXID": root_id,
        "name": name,
        "downloadLocation": "NOASSERTION",
        "filesAnalyzed": false,
        "licenseConcluded": "NOASSERTION",
        "licenseDeclared": "NOASSERTION",
        "copyrightText": "NOASSERTION",
        "primaryPackagePurpose": if t.image.is_some() { "CONTAINER" } else { "SOURCE" },
    });
    if let Some(v) = version {
        root["versionInfo"] = json!(v);
    }
    if let Some(img) = &t.image {
        let layers: Vec<String> = img
            .layers
            .iter()
            .map(|l| format!("{} {}", l.index, l.digest))
            .collect();
        root["comment"] = json!(format!(
            "config {}; platform {}/{}; layers: {}",
            img.config_digest,
            img.os,
            img.architecture,
            layers.join(", ")
        ));
        if let Some(hex) = img.config_digest.strip_prefix("sha256:") {
            root["checksums"] = json!([{"algorithm": "SHA256", "checksumValue": hex}]);
        }
    }
    packages.push(root);
    if let Some(os) = &t.os {
        let id = "SPDXRef-OperatingSystem";
        packages.push(json!({
            "SPDXID": id,
            "name": os.family,
            "versionInfo": os.version,
            "downloadLocation": "NOASSERTION",
            "filesAnalyzed": false,
            "licenseConcluded": "NOASSERTION",
            "licenseDeclared": "NOASSERTION",
            "copyrightText": "NOASSERTION",
            "primaryPackagePurpose": "OPERATING_SYSTEM",
        }));
        relationships.push(json!({"spdxElementId": root_id, "relationshipType": "CONTAINS", "relatedSpdxElement": id}));
    }
    let mut id_of_purl = std::collections::HashMap::new();
    for (i, p) in t.packages.iter().enumerate() {
        let id = format!("SPDXRef-Package-{}", i + 1);
        id_of_purl
            .entry(p.purl.clone())
            .or_insert_with(|| id.clone());
        let declared = match p.licenses.as_slice() {
            [] => None,
            [one] => spdx_expression(one),
            many => {
                let parts: Option<Vec<String>> = many
                    .iter()
                    .map(|l| spdx_expression(l).map(|e| format!("({e})")))
                    .collect();
                parts.map(|v| v.join(" AND "))
            }
        };
        let mut pkg = json!({
            "SPDXID": id,
            "name": p.name,
            "versionInfo": p.version,
            "downloadLocation": "NOASSERTION",
            "filesAnalyzed": false,
            "licenseConcluded": "NOASSERTION",
            "licenseDeclared": declared.clone().unwrap_or_else(|| "NOASSERTION".into()),
            "copyrightText": "NOASSERTION",
            "primaryPackagePurpose": if p.ecosystem.is_os() {
                "INSTALL"
            } else if p.relationship == Relationship::Root {
                "APPLICATION"
            } else {
                "LIBRARY"
            },
            "externalRefs": [{
                "referenceCategory": "PACKAGE-MANAGER",
                "referenceType": "purl",
                "referenceLocator": p.purl,
            }],
        });
        if declared.is_none() && !p.licenses.is_empty() {
            pkg["licenseComments"] = json!(format!("declared: {}", p.licenses.join("; ")));
        }
        if let Some(m) = &p.maintainer {
            pkg["supplier"] = json!(format!("Person: {}", m.replace(['(', ')'], "")));
        }
        if let (Some(s), Some(v)) = (&p.source_name, &p.source_version) {
            pkg["sourceInfo"] = json!(format!("built from source package {s} {v}"));
        }
        let props: Vec<String> = layer_props(p)
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        pkg["comment"] = json!(props.join("; "));
        packages.push(pkg);
        let parent = if p.ecosystem.is_os() && t.os.is_some() {
            "SPDXRef-OperatingSystem"
        } else {
            root_id.as_str()
        };
        relationships.push(json!({"spdxElementId": parent, "relationshipType": "CONTAINS", "relatedSpdxElement": id}));
        // The application found in the subject is what the document is about, next to the
        // image or directory that holds it; its dependencies follow through DEPENDS_ON.
        if p.relationship == Relationship::Root {
            relationships.push(json!({"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": id}));
        }
    }
    for (i, p) in t.packages.iter().enumerate() {
        let id = format!("SPDXRef-Package-{}", i + 1);
        for d in &p.depends_on {
            if let Some(dep) = id_of_purl.get(d) {
                relationships.push(json!({"spdxElementId": id, "relationshipType": "DEPENDS_ON", "relatedSpdxElement": dep}));
            }
        }
    }
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let annotations: Vec<Value> = t
        .errors
        .iter()
        .map(|e| {
            json!({
                "annotationDate": input.created_at,
                "annotationType": "OTHER",
                "annotator": format!("Tool: palisade-{}", input.tool_version),
                "comment": format!("scan warning: {e}"),
            })
        })
        .collect();
    let mut doc = json!({
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": name,
        "documentNamespace": format!("https://palisade.invalid/spdxdocs/{slug}-{}", uuid::Uuid::new_v4()),
        "creationInfo": {
            "created": input.created_at,
            "creators": [format!("Tool: palisade-{}", input.tool_version)],
        },
        "packages": packages,
        "relationships": relationships,
    });
    // The inventory is incomplete where the scan warned; say so inside the document.
    if !annotations.is_empty() {
        doc["annotations"] = Value::Array(annotations);
    }
    doc
}
