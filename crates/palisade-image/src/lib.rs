//! palisade-image
