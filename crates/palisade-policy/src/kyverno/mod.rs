//! Kyverno policies (`kyverno.io/v1` ClusterPolicy/Policy): validate rules evaluated offline.

pub mod jmes;
pub mod pss;
