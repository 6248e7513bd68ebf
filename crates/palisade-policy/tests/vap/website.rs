//! kubernetes-website examples.
