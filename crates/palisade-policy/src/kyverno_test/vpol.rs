//! Kyverno CEL policies for `kyverno-test.yaml`: `ValidatingPolicy` (policies.kyverno.io).

use super::{Actual, TestContext};
use crate::PolicyError;

/// The outcome of every ValidatingPolicy in `ctx.policies` on every resource.
pub fn evaluate(_ctx: &TestContext) -> Result<Vec<Actual>, PolicyError> {
    Ok(Vec::new())
}
