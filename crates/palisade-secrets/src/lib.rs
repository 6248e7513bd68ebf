//! palisade-secrets
