//! palisade-vulndb
