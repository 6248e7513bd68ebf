//! Where a lockfile or manifest belongs to a dependency rather than to an application.
//!
//! A published package often carries its own development lockfile (`package-lock.json`,
//! `yarn.lock`, `Gemfile.lock`, `Cargo.lock`, ...). The package manager that installed it
//! ignores that file: npm, Yarn and pnpm read only the root project's lockfile, Bundler only
//! the application's `Gemfile.lock`, Cargo only the workspace's `Cargo.lock`, Composer only the
//! root `composer.lock`, Go only the main module's `go.mod` for the versions it selects. Such a
//! file names versions that were never installed, so reading it reports packages that are
//! not there (and their old vulnerabilities). The lockfile and manifest detectors therefore
//! skip files below a dependency directory; installed-package metadata there
//! (`node_modules/x/package.json`, `*.dist-info/METADATA`, `specifications/*.gemspec`,
//! `vendor/composer/installed.json`) is still read by its own detectors.
//! `docs/dependency-internal-manifests.md` gives the rule per ecosystem and its reason.

/// Directory names whose whole subtree is installed third-party code, in every ecosystem:
/// a lockfile anywhere below one is a dependency's own.
const DEPENDENCY_DIRS: [&str; 5] = [
    // npm, Yarn classic and pnpm install trees (pnpm's store is `node_modules/.pnpm`).
    "node_modules",
    // Python environments: pip, venvs, Debian's python3-* packages, PEP 582 (pdm).
    "site-packages",
    "dist-packages",
    "__pypackages__",
    // Bower, the other JavaScript installer that copies packages with their own files.
    "bower_components",
];

/// Two-component directory sequences that are package caches or install roots.
const DEPENDENCY_PAIRS: [(&str, &str); 8] = [
    // Cargo's downloaded crate sources (`registry/src/<index>/<crate>-<ver>/`) and git
    // checkouts (`git/checkouts/<repo>-<hash>/<rev>/`), in `~/.cargo` or the official Rust
    // images' `CARGO_HOME=/usr/local/cargo`.
    (".cargo", "registry"),
    (".cargo", "git"),
    ("cargo", "registry"),
    ("cargo", "git"),
    // Maven's local repository and Gradle's module cache.
    (".m2", "repository"),
    (".gradle", "caches"),
    // Go's module cache (`$GOPATH/pkg/mod/<module>@<version>/`).
    ("pkg", "mod"),
    // NuGet's global packages folder.
    (".nuget", "packages"),
];

/// Whether the file at `path` (relative, `/`-separated) lies inside an installed or cached
/// dependency, where a lockfile or manifest is that dependency's own and not an
/// application's. Only directory components count: the file name itself never does, so
/// `srv/vendor/composer.lock` (an application named `vendor`) is still read.
pub fn inside_dependency(path: &str) -> bool {
    let dirs: Vec<&str> = match path.rsplit_once('/') {
        Some((dir, _)) => dir.split('/').filter(|c| !c.is_empty()).collect(),
        None => return false,
    };
    for (i, d) in dirs.iter().enumerate() {
        let next = dirs.get(i + 1).copied();
        if DEPENDENCY_DIRS.contains(d) {
            return true;
        }
        if let Some(n) = next {
            if DEPENDENCY_PAIRS.contains(&(*d, n)) {
                return true;
            }
            // Composer, `go mod vendor`, `cargo vendor` and Bundler's `vendor/bundle` all
            // copy dependencies into `vendor/<name>/`; the `vendor` directory itself is not
            // a dependency, only what sits in a directory below it.
            if *d == "vendor" {
                return true;
            }
            // RubyGems: `<GEM_HOME>/gems/<name>-<version>/` (system, user and Bundler
            // homes alike) and Bundler's git checkouts `bundler/gems/<name>-<rev>/`.
            if *d == "gems" && (i > 0 && dirs[i - 1] == "bundler" || is_name_version(n)) {
                return true;
            }
        }
    }
    false
}

/// `rack-2.2.8`, `nokogiri-1.15.4-x86_64-linux`: a gem directory, named by RubyGems as the
/// gem's full name, which ends in `-<version>` (versions start with a digit).
fn is_name_version(dir: &str) -> bool {
    dir.split('-')
        .skip(1)
        .any(|part| part.starts_with(|c: char| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::inside_dependency;

    #[test]
    fn dependency_internal_lockfiles() {
        for p in [
            "srv/app/node_modules/handlebars/package-lock.json",
            "srv/app/node_modules/@s/x/node_modules/y/yarn.lock",
            "node_modules/.pnpm/a@1.0.0/node_modules/a/pnpm-lock.yaml",
            "usr/local/lib/python3.11/site-packages/foo/requirements.txt",
            "usr/lib/python3/dist-packages/foo/poetry.lock",
            "usr/local/bundle/gems/rack-2.2.8/Gemfile.lock",
            "var/lib/gems/3.1.0/gems/nokogiri-1.15.4-x86_64-linux/Gemfile.lock",
            "app/vendor/bundle/ruby/3.2.0/gems/x-1/vscode/package-lock.json",
            "usr/local/bundle/bundler/gems/rails-4f1b2c/Gemfile.lock",
            "root/.cargo/registry/src/index.crates.io-6f17d22bba15001f/ripgrep-14.1.0/Cargo.lock",
            "root/.cargo/git/checkouts/x-1234/abcd/Cargo.lock",
            "usr/local/cargo/registry/src/index.crates.io-6f17d22bba15001f/x-1.0.0/Cargo.lock",
            "srv/app/__pypackages__/3.12/lib/x/requirements.txt",
            "root/.m2/repository/org/x/y/1.0/pom.xml",
            "home/u/.gradle/caches/modules-2/files-2.1/g/a/1/gradle.lockfile",
            "root/go/pkg/mod/github.com/x/y@v1.2.3/go.mod",
            "srv/app/vendor/monolog/monolog/composer.lock",
            "srv/app/vendor/github.com/x/y/go.mod",
            "root/.nuget/packages/newtonsoft.json/13.0.1/packages.lock.json",
        ] {
            assert!(inside_dependency(p), "{p}");
        }
    }

    #[test]
    fn application_lockfiles() {
        for p in [
            "package-lock.json",
            "srv/app/package-lock.json",
            "srv/app/Gemfile.lock",
            "srv/gems/Gemfile.lock",
            "srv/gems/my_app/Gemfile.lock",
            "srv/vendor/composer.lock",
            "home/u/src/pkg/Cargo.lock",
            "home/u/src/mod/go.mod",
            "opt/node_modules_backup/package-lock.json",
        ] {
            assert!(!inside_dependency(p), "{p}");
        }
    }
}
