//! Kubernetes ValidatingAdmissionPolicy (admissionregistration.k8s.io) with its bindings.
