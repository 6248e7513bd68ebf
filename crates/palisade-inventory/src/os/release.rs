//! OS detection from the release files distributions ship: the one place where os-release
//! IDs and the legacy `*-release` files become an [`OsFamily`].

use palisade_core::{OsFamily, OsInfo};

/// Files whose content OS detection needs, in order of preference.
pub const RELEASE_FILES: [&str; 7] = [
    "etc/os-release",
    "usr/lib/os-release",
    "etc/alpine-release",
    "etc/debian_version",
    "etc/centos-release",
    "etc/redhat-release",
    "etc/system-release",
];

/// Detects the OS from whichever release files `read` can provide.
pub fn detect_os(read: &dyn Fn(&str) -> Option<Vec<u8>>) -> Option<OsInfo> {
    let text = |p: &str| read(p).map(|b| String::from_utf8_lossy(&b).trim().to_string());
    let os_release = read("etc/os-release").or_else(|| read("usr/lib/os-release"));
    if let Some(mut info) = os_release.as_deref().and_then(parse_os_release) {
        // debian_version adds the point release that os-release omits (12 → 12.5).
        if info.family == OsFamily::Debian {
            if let Some(v) = text("etc/debian_version") {
                if v.starts_with(&format!("{}.", info.version)) {
                    info.pretty_name
                        .get_or_insert_with(|| format!("Debian GNU/Linux {v}"));
                }
            }
        }
        return Some(info);
    }
    if let Some(v) = text("etc/alpine-release") {
        return Some(OsInfo::new(OsFamily::Alpine, v));
    }
    if let Some(v) = text("etc/debian_version") {
        return Some(parse_debian_version(&v));
    }
    // centos-release is the more specific of the two on CentOS; system-release is Amazon
    // Linux's (and a symlink to redhat-release elsewhere, which parses the same).
    [
        "etc/centos-release",
        "etc/redhat-release",
        "etc/system-release",
    ]
    .into_iter()
    .find_map(|p| text(p).and_then(|t| parse_release_line(&t)))
}

/// `/etc/os-release` (freedesktop.org format: KEY=value, optionally quoted).
///
/// `ID` names the family. An `ID` Palisade does not know takes the family of an `ID_LIKE`
/// entry only when it is an edition of that distribution (`sles_sap` like `sles`), spelt as
/// its ID with a suffix: derivatives with releases of their own (Linux Mint, like Ubuntu)
/// stay [`OsFamily::Other`], because matching them against the parent's advisories by
/// their own version numbers would be wrong.
pub fn parse_os_release(bytes: &[u8]) -> Option<OsInfo> {
    let text = String::from_utf8_lossy(bytes);
    let mut id = None;
    let mut id_like = String::new();
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
            "ID_LIKE" => id_like = v.to_ascii_lowercase(),
            "VERSION_ID" => version = Some(v),
            "VERSION_CODENAME" => codename = Some(v).filter(|c| !c.is_empty()),
            "PRETTY_NAME" => pretty = Some(v),
            _ => {}
        }
    }
    let id = id.filter(|i| !i.is_empty())?;
    Some(OsInfo {
        family: family_of(&id, &id_like),
        version: version.unwrap_or_default(),
        codename,
        pretty_name: pretty,
    })
}

fn family_of(id: &str, id_like: &str) -> OsFamily {
    if let Some(f) = OsFamily::known(id) {
        return f;
    }
    id_like
        .split_whitespace()
        .filter(|like| {
            id.strip_prefix(like)
                .is_some_and(|rest| rest.starts_with(['_', '-']))
        })
        .find_map(OsFamily::known)
        .unwrap_or_else(|| OsFamily::from_id(id))
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

/// `/etc/debian_version`: `11.9`, or a codename on testing/sid (`trixie/sid`).
fn parse_debian_version(v: &str) -> OsInfo {
    let major = v.split('.').next().unwrap_or_default();
    if !major.is_empty() && major.chars().all(|c| c.is_ascii_digit()) {
        return OsInfo {
            pretty_name: Some(format!("Debian GNU/Linux {v}")),
            ..OsInfo::new(OsFamily::Debian, major)
        };
    }
    OsInfo {
        codename: v.split('/').next().map(str::to_string),
        ..OsInfo::new(OsFamily::Debian, v)
    }
}

/// The one-line release files of the Red Hat family and Amazon Linux:
/// `Red Hat Enterprise Linux release 9.2 (Plow)`, `CentOS Linux release 7.9.2009 (Core)`,
/// `Amazon Linux release 2 (Karoo)`, `Amazon Linux AMI release 2018.03`.
fn parse_release_line(text: &str) -> Option<OsInfo> {
    let line = text.lines().next()?.trim();
    let (name, rest) = line.split_once(" release ")?;
    let version = rest.split_whitespace().next()?.to_string();
    let name = name.to_ascii_lowercase();
    let family = [
        ("red hat", OsFamily::Rhel),
        ("centos", OsFamily::CentOs),
        ("fedora", OsFamily::Fedora),
        ("rocky", OsFamily::Rocky),
        ("almalinux", OsFamily::AlmaLinux),
        ("oracle", OsFamily::OracleLinux),
        ("amazon linux", OsFamily::AmazonLinux),
    ]
    .into_iter()
    .find(|(prefix, _)| name.starts_with(prefix))
    .map(|(_, f)| f)?;
    Some(OsInfo {
        pretty_name: Some(line.to_string()),
        ..OsInfo::new(family, version)
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

    fn family_version(files: &'static [(&'static str, &'static str)]) -> (OsFamily, String) {
        let os = detect_os(&reader(files)).unwrap();
        (os.family, os.version)
    }

    #[test]
    fn debian_os_release() {
        let r = reader(&[(
            "usr/lib/os-release",
            "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nID=debian\n",
        )]);
        let os = detect_os(&r).unwrap();
        assert_eq!((os.family, os.version.as_str()), (OsFamily::Debian, "12"));
        assert_eq!(os.codename.as_deref(), Some("bookworm"));
    }

    #[test]
    fn os_release_ids_normalise() {
        for (text, family) in [
            ("ID=\"rhel\"\nVERSION_ID=\"9.2\"", OsFamily::Rhel),
            ("ID=\"amzn\"\nVERSION_ID=\"2\"", OsFamily::AmazonLinux),
            ("ID=\"ol\"\nVERSION_ID=\"8.9\"", OsFamily::OracleLinux),
            ("ID=\"sles\"\nVERSION_ID=\"15.5\"", OsFamily::Sles),
            (
                "ID=\"opensuse-leap\"\nVERSION_ID=\"15.5\"",
                OsFamily::OpenSuseLeap,
            ),
            ("ID=mariner\nVERSION_ID=\"2.0\"", OsFamily::Mariner),
            ("ID=azurelinux\nVERSION_ID=\"3.0\"", OsFamily::AzureLinux),
            ("ID=wolfi\nVERSION_ID=20230201", OsFamily::Wolfi),
            // An edition takes its distribution's family...
            (
                "ID=\"sles_sap\"\nID_LIKE=\"suse sles\"\nVERSION_ID=\"15.5\"",
                OsFamily::Sles,
            ),
            // ...a derivative with releases of its own does not.
            (
                "ID=linuxmint\nID_LIKE=\"ubuntu debian\"\nVERSION_ID=\"21.2\"",
                OsFamily::Other("linuxmint".into()),
            ),
        ] {
            assert_eq!(
                parse_os_release(text.as_bytes()).unwrap().family,
                family,
                "{text}"
            );
        }
        assert!(parse_os_release(b"NAME=x\n").is_none());
    }

    #[test]
    fn legacy_release_files() {
        assert_eq!(
            family_version(&[("etc/alpine-release", "3.19.1\n")]),
            (OsFamily::Alpine, "3.19.1".into())
        );
        assert_eq!(
            family_version(&[("etc/debian_version", "11.9\n")]),
            (OsFamily::Debian, "11".into())
        );
        let sid = detect_os(&reader(&[("etc/debian_version", "trixie/sid\n")])).unwrap();
        assert_eq!(sid.codename.as_deref(), Some("trixie"));
        assert_eq!(
            family_version(&[(
                "etc/redhat-release",
                "Rocky Linux release 9.3 (Blue Onyx)\n"
            )]),
            (OsFamily::Rocky, "9.3".into())
        );
        assert_eq!(
            family_version(&[(
                "etc/redhat-release",
                "Red Hat Enterprise Linux Server release 7.9 (Maipo)\n"
            )]),
            (OsFamily::Rhel, "7.9".into())
        );
        assert_eq!(
            family_version(&[
                (
                    "etc/centos-release",
                    "CentOS Linux release 7.9.2009 (Core)\n"
                ),
                (
                    "etc/redhat-release",
                    "CentOS Linux release 7.9.2009 (Core)\n"
                ),
            ]),
            (OsFamily::CentOs, "7.9.2009".into())
        );
        assert_eq!(
            family_version(&[("etc/system-release", "Amazon Linux release 2 (Karoo)\n")]),
            (OsFamily::AmazonLinux, "2".into())
        );
        assert_eq!(
            family_version(&[("etc/redhat-release", "Oracle Linux Server release 8.9\n")]),
            (OsFamily::OracleLinux, "8.9".into())
        );
        assert!(detect_os(&reader(&[])).is_none());
        assert!(detect_os(&reader(&[("etc/system-release", "Gibberish\n")])).is_none());
    }
}
