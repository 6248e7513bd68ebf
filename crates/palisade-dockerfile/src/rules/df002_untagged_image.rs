use super::util::{external_stages, image_ref};
use super::{Ctx, Hit, Rule};
use palisade_core::{Partial, RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF002",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "Base image has no tag",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "An untagged image means `:latest`: builds are not reproducible and pick up whatever was pushed last.",
            fix: "Name a version tag (and preferably a digest) in every `FROM`.",
            bad_example: "FROM node",
            good_example: "FROM node:20.11-bookworm-slim",
        },
        related: &["DL3006"],
        partial: &[
            Partial::new(
                "CKV_DOCKER_7",
                "Checkov's check is this rule and DF001 together, and it also flags `FROM ${ARG}` whose default has a tag (this rule reads the default).",
            ),
        ],
        compliance: &[],
        references: &["https://docs.docker.com/build/building/best-practices/#from"],
    },
    check,
    fires: &["FROM debian", "FROM golang:1.22 AS build\nFROM node AS test"],
    passes: &["FROM ruby:3", "FROM ruby@sha256:f1dbca0f5dbc9aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "FROM ${IMAGE}", "FROM scratch", "FROM golang:1.22 AS build\nFROM build AS test"],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    external_stages(ctx)
        .filter(|(s, _)| {
            image_ref(&s.image).is_some_and(|r| r.tag().is_none() && r.digest().is_none())
        })
        .map(|(s, ins)| {
            Hit::at(
                ins,
                format!("base image {} has no tag, so it means :latest", s.image),
            )
        })
        .collect()
}
