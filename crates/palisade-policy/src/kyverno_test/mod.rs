//! `kyverno test`: the Kyverno CLI's `kyverno-test.yaml` format, run offline. Each entry of
//! `results:` names a policy, a rule, a kind, resources and the expected result; every
//! (entry, resource) pair is one expectation, as the Kyverno CLI counts them.

mod kyverno;
mod mutate;
mod run;
pub mod vap;
pub mod vpol;

pub use run::{find_tests, run_test, Expectation, TestReport};

use serde::Serialize;
use serde_json::Value;
use std::path::PathBuf;

/// Everything one `kyverno-test.yaml` names, read and parsed.
#[derive(Debug, Default)]
pub struct TestContext {
    /// The directory of the test file; the paths inside it are relative to it.
    pub dir: PathBuf,
    /// Every document of every `policies:` file, with the file it came from.
    pub policies: Vec<(String, Value)>,
    /// Every document of every `resources:` file (Lists flattened).
    pub resources: Vec<Value>,
    /// Every document of every `paramResources:` file.
    pub param_resources: Vec<Value>,
    /// The `variables:` file (kind `Value`: `namespaceSelector`, `policies`, `globalValues`, …).
    pub variables: Option<Value>,
    /// The `userinfo:` file (kind `UserInfo`: `clusterRoles`, `roles`, `userInfo`).
    pub user_info: Option<Value>,
    /// The `context:` file (kind `Context`: mock `resources` and `images` that Kyverno's CEL
    /// libraries read instead of the cluster and the registry).
    pub context: Option<Value>,
}

/// What a policy did to one resource, in the terms of `results:` entries: the same five
/// outcomes as a Kyverno rule's.
pub use crate::kyverno::Status;

/// One (policy, rule, resource) outcome.
#[derive(Debug, Clone, Serialize)]
pub struct Actual {
    pub policy: String,
    /// `None` for policies without named rules (ValidatingAdmissionPolicy).
    pub rule: Option<String>,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub status: Status,
    pub message: String,
}

impl Actual {
    /// An outcome on `resource`, its kind, namespace and name read from it.
    pub fn on(
        resource: &Value,
        policy: &str,
        rule: Option<String>,
        status: Status,
        message: String,
    ) -> Actual {
        let text = |p: &str| {
            resource
                .pointer(p)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        Actual {
            policy: policy.to_string(),
            rule,
            kind: text("/kind"),
            namespace: text("/metadata/namespace"),
            name: text("/metadata/name"),
            status,
            message,
        }
    }
}
