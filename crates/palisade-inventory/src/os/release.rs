//! OS detection from the release files distributions ship.

use palisade_core::OsInfo;

/// Files whose content OS detection needs, in order of preference.
pub const RELEASE_FILES: [&str; 5] = [
    "etc/os-release",
    "usr/lib/os-release",
    "etc/alpine-release",
    "etc/debian_version",
    "etc/redhat-release",
];

/// Detects the OS from whichever release files `read` can provide.
pub fn detect_os(read: &dyn Fn(&str) -> Option<Vec<u8>>) -> Option<OsInfo> {
    let os_release = read("etc/os-release").or_else(|| read("usr/lib/os-release"));
    let mut info = os_release.as_deref().and_then(parse_os_release);
    // Alpine's os-release VERSION_ID is the full release already; debian_version adds the
    // point release that os-release omits (12 → 12.5).
    if let Some(i) = info.as_mut() {
        if i.family == "debian" {
            if let Some(v) =
                read("etc/debian_version").map(|b| String::from_utf8_lossy(&b).trim().to_string())
            {
                if v.starts_with(&format!("{}.", i.version)) {
                    i.pretty_name
                        .get_or_insert_with(|| format!("Debian GNU/Linux {v}"));
                }
            }
        }
        return info;
    }
    if let Some(v) = read("etc/alpine-release") {
        return Some(OsInfo {
            family: "alpine".into(),
            version: String::from_utf8_lossy(&v).trim().to_string(),
            codename: None,
            pretty_name: None,
        });
    }
    if let Some(v) = read("etc/debian_version") {
        let v = String::from_utf8_lossy(&v).trim().to_string();
        let major = v.split('.').next().unwrap_or_default().to_string();
        if major.chars().all(|c| c.is_ascii_digit()) && !major.is_empty() {
            return Some(OsInfo {
                family: "debian".into(),
                version: major,
                codename: None,
                pretty_name: Some(format!("Debian GNU/Linux {v}")),
            });
        }
        // testing/sid write a codename (`trixie/sid`).
        return Some(OsInfo {
            family: "debian".into(),
            version: v.clone(),
            codename: v.split('/').next().map(str::to_string),
            pretty_name: None,
        });
    }
    if let Some(v) = read("etc/redhat-release") {
        return parse_redhat_release(&String::from_utf8_lossy(&v));
    }
    None
}

/// `/etc/os-release` (freedesktop.org format: KEY=value, optionally quoted).
pub fn parse_os_release(bytes: &[u8]) -> Option<OsInfo> {
    let text = String::from_utf8_lossy(bytes);
    let mut id = None;
    let mut version = None;
    let mut codename = None;
    let mut pretty = None;
    for line in text.lines() {
        let Some((k, v)) = line.trim().split_once('=') else {
            continue;
        };
        let v = unquote(v);
        match k {
            "ID" => id = Some(v.to_ascii_lowercase()),
            "VERSION_ID" => version = Some(v),
            "VERSION_CODENAME" => codename = Some(v).filter(|c| !c.is_empty()),
            "PRETTY_NAME" => pretty = Some(v),
            _ => {}
        }
    }
    let family = id?;
    Some(OsInfo {
        family,
        version: version.unwrap_or_default(),
        codename,
        pretty_name: pretty,
    })
}

fn unquote(v: &str) -> String {
    let v = v.trim();
    let inner = v
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .or_else(|| v.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
        .unwrap_or(v);
    inner.replace("\\\"", "\"")
}

/// `Red Hat Enterprise Linux release 9.2 (Plow)`, `CentOS Linux release 7.9.2009 (Core)`.
fn parse_redhat_release(text: &str) -> Option<OsInfo> {
    let line = text.lines().next()?.trim();
    let (name, rest) = line.split_once(" release ")?;
    let version = rest.split_whitespace().next()?.to_string();
    let family = match name.to_ascii_lowercase() {
        n if n.starts_with("red hat") => "redhat",
        n if n.starts_with("centos") => "centos",
        n if n.starts_with("fedora") => "fedora",
        n if n.starts_with("rocky") => "rocky",
        n if n.starts_with("almalinux") => "almalinux",
        n if n.starts_with("oracle") => "oracle",
        _ => return None,
    };
    Some(OsInfo {
        family: family.into(),
        version,
        codename: None,
        pretty_name: Some(line.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(files: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<Vec<u8>> {
        move |p| {
            files
                .iter()
                .find(|(k, _)| *k == p)
                .map(|(_, v)| v.as_bytes().to_vec())
        }
    }

    #[test]
    fn debian_os_release() {
        let r = reader(&[(
            "usr/lib/os-release",
            "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nID=debian\n",
        )]);
        let os = detect_os(&r).unwrap();
        assert_eq!((os.family.as_str(), os.version.as_str()), ("debian", "12"));
        assert_eq!(os.codename.as_deref(), Some("bookworm"));
    }

    #[test]
    fn fallbacks() {
        let os = detect_os(&reader(&[("etc/alpine-release", "3.19.1\n")])).unwrap();
        assert_eq!(
            (os.family.as_str(), os.version.as_str()),
            ("alpine", "3.19.1")
        );
        let os = detect_os(&reader(&[("etc/debian_version", "11.9\n")])).unwrap();
        assert_eq!(os.version, "11");
        let os = detect_os(&reader(&[(
            "etc/redhat-release",
            "Rocky Linux release 9.3 (Blue Onyx)\n",
        )]))
        .unwrap();
        assert_eq!((os.family.as_str(), os.version.as_str()), ("rocky", "9.3"));
        assert!(detect_os(&reader(&[])).is_none());
    }
}
