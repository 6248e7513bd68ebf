//! palisade-kube
