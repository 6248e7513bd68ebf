//! Kyverno's validate.podSecurity (being written).
