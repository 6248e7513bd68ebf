//! Content digests (`sha256:<hex>`): parsing with strict validation (a digest ends up in a
//! file path, so anything but lowercase hex is rejected) and hashing readers.

use crate::error::{ImageError, Result};
use sha2::{Digest as _, Sha256, Sha512};
use std::fmt;
use std::io::{self, Read};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Digest {
    pub algorithm: Algorithm,
    pub hex: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    Sha256,
    Sha512,
}

impl Algorithm {
    fn name(self) -> &'static str {
        match self {
            Algorithm::Sha256 => "sha256",
            Algorithm::Sha512 => "sha512",
        }
    }
    fn hex_len(self) -> usize {
        match self {
            Algorithm::Sha256 => 64,
            Algorithm::Sha512 => 128,
        }
    }
}

impl Digest {
    pub fn parse(s: &str) -> Result<Digest> {
        let (alg, hex) = s.split_once(':').ok_or_else(|| {
            ImageError::malformed(format!("digest {s:?}"), "expected <algorithm>:<hex>")
        })?;
        let algorithm = match alg {
            "sha256" => Algorithm::Sha256,
            "sha512" => Algorithm::Sha512,
            other => {
                return Err(ImageError::malformed(
                    format!("digest {s:?}"),
                    format!("unsupported algorithm {other:?}"),
                ))
            }
        };
        let valid = hex.len() == algorithm.hex_len()
            && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if !valid {
            return Err(ImageError::malformed(
                format!("digest {s:?}"),
                format!("expected {} lowercase hex characters", algorithm.hex_len()),
            ));
        }
        Ok(Digest {
            algorithm,
            hex: hex.to_string(),
        })
    }

    pub fn sha256_of(data: &[u8]) -> Digest {
        Digest {
            algorithm: Algorithm::Sha256,
            hex: hex::encode(Sha256::digest(data)),
        }
    }

    /// `blobs/<alg>/<hex>` inside an OCI layout.
    pub fn blob_path(&self) -> String {
        format!("blobs/{}/{}", self.algorithm.name(), self.hex)
    }

    pub fn verify(&self, what: &str, data: &[u8]) -> Result<()> {
        let mut h = Hasher::new(self.algorithm);
        h.update(data);
        h.check(what, self)
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.algorithm.name(), self.hex)
    }
}

pub enum Hasher {
    Sha256(Sha256),
    Sha512(Sha512),
}

impl Hasher {
    pub fn new(algorithm: Algorithm) -> Self {
        match algorithm {
            Algorithm::Sha256 => Hasher::Sha256(Sha256::new()),
            Algorithm::Sha512 => Hasher::Sha512(Sha512::new()),
        }
    }

    pub fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::Sha256(h) => h.update(data),
            Hasher::Sha512(h) => h.update(data),
        }
    }

    pub fn finish(self) -> Digest {
        match self {
            Hasher::Sha256(h) => Digest {
                algorithm: Algorithm::Sha256,
                hex: hex::encode(h.finalize()),
            },
            Hasher::Sha512(h) => Digest {
                algorithm: Algorithm::Sha512,
                hex: hex::encode(h.finalize()),
            },
        }
    }

    pub fn check(self, what: &str, expected: &Digest) -> Result<()> {
        let actual = self.finish();
        if &actual != expected {
            return Err(ImageError::DigestMismatch {
                what: what.to_string(),
                expected: expected.to_string(),
                actual: actual.to_string(),
            });
        }
        Ok(())
    }
}

/// Hashes and counts everything read through it.
pub struct HashingReader<R> {
    inner: R,
    hasher: Hasher,
    pub bytes: u64,
}

impl<R: Read> HashingReader<R> {
    pub fn new(inner: R, algorithm: Algorithm) -> Self {
        HashingReader {
            inner,
            hasher: Hasher::new(algorithm),
            bytes: 0,
        }
    }

    pub fn into_parts(self) -> (R, Hasher, u64) {
        (self.inner, self.hasher, self.bytes)
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_traversal_and_bad_hex() {
        assert!(Digest::parse("sha256:../../etc/passwd").is_err());
        assert!(Digest::parse("sha256:ABCDEF").is_err());
        assert!(Digest::parse("md5:d41d8cd98f00b204e9800998ecf8427e").is_err());
        let d = Digest::sha256_of(b"");
        assert_eq!(
            d.to_string(),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(Digest::parse(&d.to_string()).unwrap(), d);
    }

    #[test]
    fn verify_reports_both_digests() {
        let d = Digest::sha256_of(b"abc");
        let err = d.verify("blob x", b"abd").unwrap_err().to_string();
        assert!(err.contains("blob x: digest mismatch"), "{err}");
    }
}
