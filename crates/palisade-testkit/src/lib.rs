//! Validation of Palisade's outputs against the official JSON schemas vendored in
//! `schemas/` (see its README for sources and licences), offline.

use serde_json::Value;

pub mod external;
pub mod registry;

#[derive(Debug, Clone, Copy)]
pub enum Schema {
    CycloneDx16,
    Spdx23,
    Sarif210,
    OpenVex020,
    PalisadeReport,
    /// `docs/policy-input/`: what Rego policies see.
    PolicyArtifact,
    PolicyDockerfile,
    PolicyKubernetes,
    PolicyGatekeeper,
}

const BOM_16: &str = include_str!("../../../schemas/bom-1.6.schema.json");
const CDX_SPDX: &str = include_str!("../../../schemas/spdx.schema.json");
const CDX_JSF: &str = include_str!("../../../schemas/jsf-0.82.schema.json");
const SPDX_23: &str = include_str!("../../../schemas/spdx-schema-2.3.json");
const SARIF_210: &str = include_str!("../../../schemas/sarif-schema-2.1.0.json");
const OPENVEX: &str = include_str!("../../../schemas/openvex_json_schema_0.2.0.json");
const REPORT: &str = include_str!("../../../schemas/palisade-report.schema.json");
const REPORT_URI: &str = "https://example.invalid/palisade/schemas/palisade-report.schema.json";
const POLICY_ARTIFACT: &str = include_str!("../../../docs/policy-input/artifact.schema.json");
const POLICY_DOCKERFILE: &str = include_str!("../../../docs/policy-input/dockerfile.schema.json");
const POLICY_KUBERNETES: &str = include_str!("../../../docs/policy-input/kubernetes.schema.json");
const POLICY_GATEKEEPER: &str = include_str!("../../../docs/policy-input/gatekeeper.schema.json");

fn parse(s: &str) -> Value {
    serde_json::from_str(s).expect("vendored schema is valid JSON")
}

/// Validates `doc`; on failure returns every error with its instance path.
pub fn validate(schema: Schema, doc: &Value) -> Result<(), Vec<String>> {
    let (main, extra): (&str, Vec<(&str, &str)>) = match schema {
        Schema::CycloneDx16 => (
            BOM_16,
            vec![
                ("http://cyclonedx.org/schema/spdx.schema.json", CDX_SPDX),
                ("http://cyclonedx.org/schema/jsf-0.82.schema.json", CDX_JSF),
            ],
        ),
        Schema::Spdx23 => (SPDX_23, vec![]),
        Schema::Sarif210 => (SARIF_210, vec![]),
        Schema::OpenVex020 => (OPENVEX, vec![]),
        Schema::PalisadeReport => (REPORT, vec![]),
        // The artifact schema refers to the report's definitions by relative path.
        Schema::PolicyArtifact => (POLICY_ARTIFACT, vec![(REPORT_URI, REPORT)]),
        Schema::PolicyDockerfile => (POLICY_DOCKERFILE, vec![]),
        Schema::PolicyKubernetes => (POLICY_KUBERNETES, vec![]),
        Schema::PolicyGatekeeper => (POLICY_GATEKEEPER, vec![]),
    };
    let mut opts = jsonschema::options();
    opts.should_validate_formats(true);
    for (uri, text) in extra {
        let resource =
            jsonschema::Resource::from_contents(parse(text)).map_err(|e| vec![e.to_string()])?;
        opts.with_resource(uri, resource);
    }
    let validator = opts
        .build(&parse(main))
        .map_err(|e| vec![format!("schema: {e}")])?;
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{}: {}", e.instance_path, e))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Panics with every schema error (for tests).
pub fn assert_valid(schema: Schema, doc: &Value) {
    if let Err(errors) = validate(schema, doc) {
        panic!("{schema:?} validation failed:\n{}", errors.join("\n"));
    }
}

/// Asserts that `docs/rules/<ID>.md` matches each rule's generated page; with
/// `UPDATE_DOCS=1` in the environment it writes the pages instead. `family` names the test to
/// rerun in the failure message.
pub fn assert_rule_docs_current<'a>(
    rules: impl IntoIterator<Item = &'a palisade_core::RuleMeta>,
    family: &str,
) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules");
    let update = std::env::var("UPDATE_DOCS").is_ok_and(|v| v == "1");
    let mut stale = Vec::new();
    for r in rules {
        let path = dir.join(format!("{}.md", r.id));
        let want = r.to_markdown();
        if update {
            std::fs::create_dir_all(&dir)
                .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
            std::fs::write(&path, &want)
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(want.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "{family} rule docs missing or stale (rerun with UPDATE_DOCS=1): {stale:#?}"
    );
}

/// `../shared/corpus` beside the repository, or `PALISADE_CORPUS`: what benches measure
/// against. `None` when absent; a bench then says it skipped.
pub fn shared_corpus() -> Option<std::path::PathBuf> {
    let p = std::env::var_os("PALISADE_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
        });
    p.is_dir().then_some(p)
}
