//! SLSA provenance v1 predicates (`https://slsa.dev/provenance/v1`): built from what the
//! command line or the CI environment says about a build, and checked against the builder
//! and source a verifier trusts.

use crate::error::{Result, SignError};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

pub const PREDICATE_TYPE: &str = "https://slsa.dev/provenance/v1";
const GITHUB_BUILD_TYPE: &str = "https://actions.github.io/buildtypes/workflow/v1";
const GITHUB_BUILDER: &str = "https://github.com/actions/runner/github-hosted";
const GITLAB_BUILD_TYPE: &str =
    "https://gitlab.com/gitlab-org/gitlab-runner/-/blob/main/PROVENANCE.md";
const GENERIC_BUILD_TYPE: &str = "https://palisade.dev/provenance/build/v1";

/// One artifact the build used: `uri` and its digests (`sha256`, `gitCommit`, …).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Material {
    pub uri: String,
    pub digest: BTreeMap<String, String>,
}

impl Material {
    /// `URI@ALG:HEX` (e.g. `docker.io/library/debian@sha256:…`; `git+https://…@<sha1>` for a
    /// commit), or a bare URI.
    pub fn parse(spec: &str) -> Material {
        if let Some((uri, digest)) = spec.rsplit_once('@') {
            if let Some((alg, hex)) = digest.split_once(':') {
                if !alg.is_empty() && !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit())
                {
                    return Material {
                        uri: uri.to_string(),
                        digest: [(alg.to_string(), hex.to_ascii_lowercase())].into(),
                    };
                }
            }
        }
        Material {
            uri: spec.to_string(),
            digest: BTreeMap::new(),
        }
    }

    fn to_json(&self) -> Value {
        json!({"uri": self.uri, "digest": self.digest})
    }
}

/// A build, as flags or CI variables describe it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Build {
    pub builder_id: Option<String>,
    pub build_type: Option<String>,
    /// Repository URL (`https://github.com/org/app`).
    pub source_repo: Option<String>,
    pub source_commit: Option<String>,
    /// `refs/heads/main`, a tag, …
    pub source_ref: Option<String>,
    /// Base images and other inputs.
    pub materials: Vec<Material>,
    pub invocation_id: Option<String>,
    pub started_on: Option<String>,
    pub finished_on: Option<String>,
    /// CI-specific parameters (workflow path, pipeline, …), as external parameters.
    pub parameters: BTreeMap<String, String>,
}

impl Build {
    /// What GitHub Actions or GitLab CI variables say (read through `var`), if either ran
    /// this process; otherwise an empty build.
    pub fn from_ci(var: impl Fn(&str) -> Option<String>) -> Build {
        let set = |k: &str| var(k).filter(|v| !v.is_empty());
        let mut b = Build::default();
        if set("GITHUB_ACTIONS").as_deref() == Some("true") {
            let server = set("GITHUB_SERVER_URL").unwrap_or_else(|| "https://github.com".into());
            b.builder_id = Some(GITHUB_BUILDER.into());
            b.build_type = Some(GITHUB_BUILD_TYPE.into());
            b.source_repo = set("GITHUB_REPOSITORY").map(|r| format!("{server}/{r}"));
            b.source_commit = set("GITHUB_SHA");
            b.source_ref = set("GITHUB_REF");
            b.invocation_id = set("GITHUB_RUN_ID").map(|id| {
                let attempt = set("GITHUB_RUN_ATTEMPT").unwrap_or_else(|| "1".into());
                match set("GITHUB_REPOSITORY") {
                    Some(r) => format!("{server}/{r}/actions/runs/{id}/attempts/{attempt}"),
                    None => id,
                }
            });
            for (param, key) in [
                ("workflow", "GITHUB_WORKFLOW_REF"),
                ("event_name", "GITHUB_EVENT_NAME"),
                ("repository_id", "GITHUB_REPOSITORY_ID"),
            ] {
                if let Some(v) = set(key) {
                    b.parameters.insert(param.into(), v);
                }
            }
        } else if set("GITLAB_CI").as_deref() == Some("true") {
            let server = set("CI_SERVER_URL").unwrap_or_else(|| "https://gitlab.com".into());
            b.builder_id = Some(match (set("CI_PROJECT_PATH"), set("CI_RUNNER_ID")) {
                (Some(p), Some(r)) => format!("{server}/{p}/-/runners/{r}"),
                _ => format!("{server}/-/runners"),
            });
            b.build_type = Some(GITLAB_BUILD_TYPE.into());
            b.source_repo = set("CI_PROJECT_URL");
            b.source_commit = set("CI_COMMIT_SHA");
            b.source_ref = set("CI_COMMIT_REF_NAME").map(|r| match set("CI_COMMIT_TAG") {
                Some(_) => format!("refs/tags/{r}"),
                None => format!("refs/heads/{r}"),
            });
            b.invocation_id = set("CI_JOB_URL").or_else(|| set("CI_JOB_ID"));
            b.started_on = set("CI_JOB_STARTED_AT");
            for (param, key) in [
                ("pipeline_id", "CI_PIPELINE_ID"),
                ("job_name", "CI_JOB_NAME"),
            ] {
                if let Some(v) = set(key) {
                    b.parameters.insert(param.into(), v);
                }
            }
        }
        b
    }

    /// Fills what `self` leaves unset from `other` (flags first, then CI variables).
    pub fn or(mut self, other: Build) -> Build {
        self.builder_id = self.builder_id.or(other.builder_id);
        self.build_type = self.build_type.or(other.build_type);
        self.source_repo = self.source_repo.or(other.source_repo);
        self.source_commit = self.source_commit.or(other.source_commit);
        self.source_ref = self.source_ref.or(other.source_ref);
        self.invocation_id = self.invocation_id.or(other.invocation_id);
        self.started_on = self.started_on.or(other.started_on);
        self.finished_on = self.finished_on.or(other.finished_on);
        self.materials.extend(other.materials);
        for (k, v) in other.parameters {
            self.parameters.entry(k).or_insert(v);
        }
        self
    }

    /// The SLSA v1 predicate. A builder id is required: provenance without one says nothing
    /// a verifier can trust.
    pub fn predicate(&self) -> Result<Value> {
        let builder = self
            .builder_id
            .clone()
            .ok_or_else(|| SignError::MalformedProvenance {
                message:
                    "no builder id: pass --builder-id or run inside GitHub Actions or GitLab CI"
                        .into(),
            })?;
        let mut external = Map::new();
        let mut deps: Vec<Value> = Vec::new();
        if let Some(repo) = &self.source_repo {
            let mut uri = format!("git+{}", repo.trim_end_matches('/'));
            if let Some(r) = &self.source_ref {
                uri.push('@');
                uri.push_str(r);
            }
            let mut source = Map::new();
            source.insert("uri".into(), Value::String(uri.clone()));
            let mut digest = Map::new();
            if let Some(c) = &self.source_commit {
                digest.insert("gitCommit".into(), Value::String(c.clone()));
            }
            source.insert("digest".into(), Value::Object(digest.clone()));
            external.insert("source".into(), Value::Object(source));
            deps.push(json!({"uri": uri, "digest": digest}));
        }
        for (k, v) in &self.parameters {
            external.insert(k.clone(), Value::String(v.clone()));
        }
        deps.extend(self.materials.iter().map(Material::to_json));
        let mut metadata = Map::new();
        for (k, v) in [
            ("invocationId", &self.invocation_id),
            ("startedOn", &self.started_on),
            ("finishedOn", &self.finished_on),
        ] {
            if let Some(v) = v {
                metadata.insert(k.into(), Value::String(v.clone()));
            }
        }
        Ok(json!({
            "buildDefinition": {
                "buildType": self.build_type.clone().unwrap_or_else(|| GENERIC_BUILD_TYPE.into()),
                "externalParameters": external,
                "internalParameters": {},
                "resolvedDependencies": deps,
            },
            "runDetails": {
                "builder": {"id": builder},
                "metadata": metadata,
            }
        }))
    }
}

/// What a verifier expects of provenance; unset fields are not checked.
#[derive(Debug, Clone, Default)]
pub struct Expectations {
    pub builder_id: Option<String>,
    /// Repository URL, with or without `git+` and `.git`.
    pub source_repo: Option<String>,
    pub source_commit: Option<String>,
}

fn normalize_repo(uri: &str) -> String {
    let u = uri.trim().trim_start_matches("git+");
    // `…/repo@refs/heads/main` names a ref of the repository; the repository is before it.
    let u = match u.rsplit_once('@') {
        Some((repo, _)) if repo.contains("://") => repo,
        _ => u,
    };
    u.trim_end_matches('/')
        .trim_end_matches(".git")
        .to_ascii_lowercase()
}

/// Checks a SLSA provenance predicate (v1, or v0.2 as older builders write) against what
/// the verifier trusts: the builder id exactly, the source repository, and the commit.
pub fn check(predicate: &Value, expect: &Expectations) -> Result<()> {
    let builder = predicate
        .pointer("/runDetails/builder/id")
        .or_else(|| predicate.pointer("/builder/id"))
        .and_then(Value::as_str)
        .ok_or_else(|| SignError::MalformedProvenance {
            message: "no builder id (runDetails.builder.id)".into(),
        })?;
    if let Some(want) = &expect.builder_id {
        if builder != want {
            return Err(SignError::BuilderMismatch {
                expected: want.clone(),
                found: builder.to_string(),
            });
        }
    }
    if expect.source_repo.is_none() && expect.source_commit.is_none() {
        return Ok(());
    }
    // Sources: resolved dependencies (v1), materials and configSource (v0.2), and the
    // external `source` parameter.
    let mut sources: Vec<(String, Option<String>)> = Vec::new();
    let mut push = |v: &Value| {
        if let Some(uri) = v.get("uri").and_then(Value::as_str) {
            let commit = v
                .pointer("/digest/gitCommit")
                .or_else(|| v.pointer("/digest/sha1"))
                .and_then(Value::as_str)
                .map(str::to_string);
            sources.push((uri.to_string(), commit));
        }
    };
    for list in ["/buildDefinition/resolvedDependencies", "/materials"] {
        for v in predicate
            .pointer(list)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            push(v);
        }
    }
    for p in [
        "/buildDefinition/externalParameters/source",
        "/invocation/configSource",
    ] {
        if let Some(v) = predicate.pointer(p) {
            push(v);
        }
    }
    let repo_ok = |uri: &str| {
        expect
            .source_repo
            .as_ref()
            .is_none_or(|want| normalize_repo(uri) == normalize_repo(want))
    };
    let commit_ok = |commit: &Option<String>| {
        expect.source_commit.as_ref().is_none_or(|want| {
            commit
                .as_ref()
                .is_some_and(|c| c.eq_ignore_ascii_case(want))
        })
    };
    if sources.iter().any(|(uri, c)| repo_ok(uri) && commit_ok(c)) {
        return Ok(());
    }
    let expected = match (&expect.source_repo, &expect.source_commit) {
        (Some(r), Some(c)) => format!("{r}@{c}"),
        (Some(r), None) => r.clone(),
        (None, Some(c)) => c.clone(),
        (None, None) => String::new(),
    };
    let found: Vec<String> = sources
        .iter()
        .map(|(u, c)| match c {
            Some(c) => format!("{u} ({c})"),
            None => u.clone(),
        })
        .collect();
    Err(SignError::SourceMismatch {
        expected,
        found: if found.is_empty() {
            "no source".into()
        } else {
            found.join(", ")
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: BTreeMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| m.get(k).cloned()
    }

    #[test]
    fn github_actions_build_checks_out() {
        let b = Build::from_ci(env(&[
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_REPOSITORY", "acme/app"),
            ("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567"),
            ("GITHUB_REF", "refs/heads/main"),
            ("GITHUB_RUN_ID", "42"),
            (
                "GITHUB_WORKFLOW_REF",
                "acme/app/.github/workflows/build.yml@refs/heads/main",
            ),
        ]));
        let mut flags = Build::default();
        flags.materials.push(Material::parse(
            "docker.io/library/debian@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        ));
        let p = flags.or(b).predicate().unwrap();
        assert_eq!(p["runDetails"]["builder"]["id"], GITHUB_BUILDER);
        assert_eq!(
            p["buildDefinition"]["resolvedDependencies"][0]["uri"],
            "git+https://github.com/acme/app@refs/heads/main"
        );
        assert_eq!(
            p["buildDefinition"]["resolvedDependencies"][1]["digest"]["sha256"]
                .as_str()
                .unwrap()
                .len(),
            64
        );
        let ok = Expectations {
            builder_id: Some(GITHUB_BUILDER.into()),
            source_repo: Some("https://github.com/acme/app.git".into()),
            source_commit: Some("0123456789abcdef0123456789abcdef01234567".into()),
        };
        check(&p, &ok).unwrap();
        let bad_builder = Expectations {
            builder_id: Some("https://evil".into()),
            ..ok.clone()
        };
        assert!(matches!(
            check(&p, &bad_builder),
            Err(SignError::BuilderMismatch { .. })
        ));
        let bad_repo = Expectations {
            source_repo: Some("https://github.com/acme/other".into()),
            ..ok.clone()
        };
        assert!(matches!(
            check(&p, &bad_repo),
            Err(SignError::SourceMismatch { .. })
        ));
        let bad_commit = Expectations {
            source_commit: Some("ffff".into()),
            ..ok
        };
        assert!(matches!(
            check(&p, &bad_commit),
            Err(SignError::SourceMismatch { .. })
        ));
    }

    #[test]
    fn gitlab_and_missing_builder() {
        let b = Build::from_ci(env(&[
            ("GITLAB_CI", "true"),
            ("CI_SERVER_URL", "https://gitlab.example"),
            ("CI_PROJECT_PATH", "g/app"),
            ("CI_PROJECT_URL", "https://gitlab.example/g/app"),
            ("CI_RUNNER_ID", "7"),
            ("CI_COMMIT_SHA", "abc"),
            ("CI_COMMIT_REF_NAME", "main"),
        ]));
        let p = b.predicate().unwrap();
        assert_eq!(
            p["runDetails"]["builder"]["id"],
            "https://gitlab.example/g/app/-/runners/7"
        );
        assert!(matches!(
            Build::default().predicate(),
            Err(SignError::MalformedProvenance { .. })
        ));
        assert!(matches!(
            check(&json!({}), &Expectations::default()),
            Err(SignError::MalformedProvenance { .. })
        ));
    }
}
