//! palisade-sbom
