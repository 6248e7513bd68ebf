//! Runtime detection with Falco's rules language: rules files loaded as Falco loads them,
//! conditions compiled to an evaluator, event sources (Kubernetes audit; syscalls in
//! issue 20) behind one field-extraction trait, and alerts that become Palisade findings.

pub mod engine;
pub mod fields;
pub mod filter;
pub mod k8saudit;
pub mod output;
pub mod rules;
pub mod serve;
pub mod syscall;

pub use engine::{Engine, Matching};
pub use fields::{EventSource, FieldCatalog};
pub use k8saudit::K8sAudit;
pub use output::{to_finding, Alert};
pub use rules::{load_files, load_strs, RuleSet};
pub use syscall::Syscall;
