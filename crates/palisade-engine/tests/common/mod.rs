//! Helpers shared by the integration tests of this crate.
// Each test binary compiles this module and uses a different part of it.
#![allow(dead_code)]
pub mod registry;
