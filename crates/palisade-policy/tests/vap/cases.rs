//! Self-contained cases.
