//! ValidatingAdmissionPolicy evaluation: self-contained cases with inline YAML, the documented
//! verdicts of the kubernetes-website examples, and (when `../shared` is present) the Kyverno
//! CLI's VAP tests through `kyverno_test::vap::evaluate`.

#[path = "vap/cases.rs"]
mod cases;
#[path = "vap/corpus.rs"]
mod corpus;
#[path = "vap/website.rs"]
mod website;

use palisade_policy::vap::{VapOutcome, VapRequest, VapSet};
use serde_json::Value;

/// Every document of a YAML text.
pub fn docs(yaml: &str) -> Vec<Value> {
    palisade_policy::documents("inline.yaml", yaml)
        .expect("test YAML parses")
        .into_iter()
        .map(|(_, v)| v)
        .collect()
}

/// A set of the VAPs and bindings of a YAML text.
pub fn set(yaml: &str) -> VapSet {
    let mut s = VapSet::default();
    for d in docs(yaml) {
        s.add("inline.yaml", &d).expect("policy loads");
    }
    s
}

/// A CREATE of `object` in a namespace with `ns_labels`.
pub fn create<'a>(
    object: &'a Value,
    ns: Option<&'a Value>,
    objects: &'a [Value],
) -> VapRequest<'a> {
    VapRequest {
        operation: "CREATE",
        object: Some(object),
        old_object: None,
        namespace_object: ns,
        user_info: None,
        dry_run: false,
        sub_resource: None,
        objects,
    }
}

pub fn one(outcomes: Vec<VapOutcome>) -> VapOutcome {
    assert_eq!(outcomes.len(), 1, "{outcomes:#?}");
    outcomes.into_iter().next().expect("one outcome")
}
