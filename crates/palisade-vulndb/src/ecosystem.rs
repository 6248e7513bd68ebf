//! Database keys: how an OSV ecosystem string and a package name are stored and looked up.
//! Which ecosystem a package belongs to is [`palisade_core::osv_ecosystem`]'s table.

use palisade_core::pep503_normalize;

/// The key a package name is stored and looked up under.
pub fn normalize_name(osv_ecosystem: &str, name: &str) -> String {
    let base = osv_ecosystem.split(':').next().unwrap_or("");
    let name = name.trim();
    match base {
        "PyPI" => pep503_normalize(name),
        "npm" | "NuGet" | "Packagist" | "Debian" | "Ubuntu" | "Alpine" | "Wolfi" | "Chainguard" => {
            name.to_lowercase()
        }
        _ => name.to_string(),
    }
}

/// The ecosystem column key: case-insensitive, so `pypi` and `PyPI` meet.
pub fn ecosystem_key(osv_ecosystem: &str) -> String {
    osv_ecosystem.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(normalize_name("PyPI", "PyYAML"), "pyyaml");
        assert_eq!(
            normalize_name("PyPI", "zope.interface__x"),
            "zope-interface-x"
        );
        assert_eq!(normalize_name("PyPI", "Django"), "django");
        assert_eq!(
            normalize_name("NuGet", "Newtonsoft.Json"),
            "newtonsoft.json"
        );
        assert_eq!(
            normalize_name("Go", "github.com/Foo/bar"),
            "github.com/Foo/bar"
        );
        assert_eq!(normalize_name("crates.io", "tokio"), "tokio");
    }
}
