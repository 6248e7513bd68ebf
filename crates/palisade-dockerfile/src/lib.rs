//! palisade-dockerfile
