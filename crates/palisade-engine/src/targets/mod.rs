//! Reading each kind of target into what the analyzers consume.

pub(crate) mod config;
pub(crate) mod image;
pub(crate) mod repo;
pub(crate) mod tree;
