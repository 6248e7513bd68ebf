//! Kyverno's JMESPath (being written).
