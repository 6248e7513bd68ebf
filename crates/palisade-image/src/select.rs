//! Picking one image manifest out of an index: by tag (`org.opencontainers.image.ref.name`)
//! at the top level, then by platform in (possibly nested) indexes.

use crate::error::{ImageError, Result};
use crate::manifest::{Descriptor, Platform, ANNOTATION_REF_NAME};

/// Default when an index offers several platforms and the user named none: what most
/// scanners and `docker pull` on a typical CI runner pick.
pub fn default_platform() -> Platform {
    Platform {
        os: "linux".into(),
        architecture: "amd64".into(),
        variant: None,
    }
}

/// Top-level choice in an OCI layout's `index.json`.
pub fn by_tag<'a>(
    what: &str,
    manifests: &'a [Descriptor],
    tag: Option<&str>,
) -> Result<Vec<&'a Descriptor>> {
    let Some(tag) = tag else {
        return Ok(manifests.iter().collect());
    };
    let hits: Vec<&Descriptor> = manifests
        .iter()
        .filter(|d| {
            d.annotations.get(ANNOTATION_REF_NAME).is_some_and(|r| {
                r == tag
                    || palisade_core::ImageRef::parse(r).is_ok_and(|r| r.tag() == Some(tag))
                    || d.digest == tag
            })
        })
        .collect();
    if hits.is_empty() {
        let tags: Vec<&str> = manifests
            .iter()
            .filter_map(|d| d.annotations.get(ANNOTATION_REF_NAME).map(String::as_str))
            .collect();
        return Err(ImageError::NotFound(format!(
            "{what}: no image tagged {tag:?} (tags: {})",
            if tags.is_empty() {
                "none".to_string()
            } else {
                tags.join(", ")
            }
        )));
    }
    Ok(hits)
}

/// Chooses among candidate descriptors by platform. Attestation manifests that BuildKit
/// stores with platform `unknown/unknown` are never chosen.
pub fn by_platform<'a>(
    what: &str,
    candidates: &[&'a Descriptor],
    wanted: Option<&Platform>,
) -> Result<&'a Descriptor> {
    let real: Vec<&Descriptor> = candidates
        .iter()
        .copied()
        .filter(|d| d.platform.as_ref().is_none_or(|p| p.os != "unknown"))
        .collect();
    if let Some(w) = wanted {
        if let Some(d) = real
            .iter()
            .find(|d| d.platform.as_ref().is_some_and(|p| p.matches(w)))
        {
            return Ok(d);
        }
        if real.len() == 1 && real[0].platform.is_none() {
            return Ok(real[0]);
        }
        return Err(ImageError::NotFound(format!(
            "{what}: no manifest for platform {}/{} (available: {})",
            w.os,
            w.architecture,
            list_platforms(&real)
        )));
    }
    match real.len() {
        0 => Err(ImageError::malformed(
            what,
            "index lists no image manifests",
        )),
        1 => Ok(real[0]),
        _ => {
            let def = default_platform();
            if let Some(d) = real
                .iter()
                .find(|d| d.platform.as_ref().is_some_and(|p| p.matches(&def)))
            {
                return Ok(d);
            }
            let distinct_tags: std::collections::BTreeSet<_> = real
                .iter()
                .filter_map(|d| d.annotations.get(ANNOTATION_REF_NAME))
                .collect();
            if distinct_tags.len() > 1 {
                return Err(ImageError::NotFound(format!(
                    "{what}: holds several images; pick one with PATH:TAG (tags: {})",
                    distinct_tags
                        .into_iter()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
            Err(ImageError::NotFound(format!(
                "{what}: several platforms and none is linux/amd64; pick one with --platform (available: {})",
                list_platforms(&real)
            )))
        }
    }
}

fn list_platforms(ds: &[&Descriptor]) -> String {
    let v: Vec<String> = ds
        .iter()
        .map(|d| match &d.platform {
            Some(p) => match &p.variant {
                Some(v) => format!("{}/{}/{v}", p.os, p.architecture),
                None => format!("{}/{}", p.os, p.architecture),
            },
            None => "unspecified".into(),
        })
        .collect();
    v.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desc(digest: &str, platform: Option<(&str, &str)>, tag: Option<&str>) -> Descriptor {
        Descriptor {
            media_type: String::new(),
            digest: digest.into(),
            size: 0,
            platform: platform.map(|(os, arch)| Platform {
                os: os.into(),
                architecture: arch.into(),
                variant: None,
            }),
            annotations: tag
                .map(|t| {
                    [(ANNOTATION_REF_NAME.to_string(), t.to_string())]
                        .into_iter()
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    #[test]
    fn platform_choice_skips_attestations_and_prefers_linux_amd64() {
        let ds = [
            desc("a", Some(("linux", "arm64")), None),
            desc("b", Some(("linux", "amd64")), None),
            desc("att", Some(("unknown", "unknown")), None),
        ];
        let refs: Vec<&Descriptor> = ds.iter().collect();
        assert_eq!(by_platform("x", &refs, None).unwrap().digest, "b");
        let arm = Platform::parse("linux/arm64").unwrap();
        assert_eq!(by_platform("x", &refs, Some(&arm)).unwrap().digest, "a");
        let s390 = Platform::parse("linux/s390x").unwrap();
        let err = by_platform("x", &refs, Some(&s390))
            .unwrap_err()
            .to_string();
        assert!(err.contains("available: linux/arm64, linux/amd64"), "{err}");
        assert!(Platform::parse("linux").is_err());
    }

    #[test]
    fn tags_select_and_several_images_need_one() {
        let ds = [
            desc("a", None, Some("v1")),
            desc("b", None, Some("registry/app:v2")),
        ];
        assert_eq!(by_tag("x", &ds, Some("v2")).unwrap()[0].digest, "b");
        let all = by_tag("x", &ds, None).unwrap();
        let err = by_platform("x", &all, None).unwrap_err().to_string();
        assert!(err.contains("pick one with PATH:TAG"), "{err}");
    }
}
