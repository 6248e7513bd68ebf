use super::util::{packages, with_sub, APT, APT_VALUE_OPTS};
use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF027",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "Build tools left in the final image",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Compilers and build tool chains in a runtime image help an attacker build exploits inside it and add CVEs that the application never needs.",
            fix: "Build in an earlier stage and copy only the artefacts into a slim final stage, or remove the tools in the same stage.",
            bad_example: "FROM debian:12\nRUN apt-get update && apt-get install -y build-essential && make",
            good_example: "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y build-essential && make\nFROM debian:12-slim\nCOPY --from=build /out/app /usr/local/bin/app",
        },
        related: &[],
        partial: &[],
        compliance: &[],
        references: &["https://docs.docker.com/build/building/multi-stage/"],
    },
    check,
    fires: &["FROM debian:12\nRUN apt-get install -y gcc make", "FROM alpine:3\nRUN apk add --no-cache build-base"],
    passes: &[
        "FROM debian:12 AS b\nRUN apt-get install -y gcc\nFROM debian:12\nCOPY --from=b /x /x",
        "FROM debian:12\nRUN apt-get install -y gcc && make && apt-get purge -y gcc",
        "FROM alpine:3\nRUN apk add --virtual .build-deps gcc && make && apk del .build-deps",
    ],
};

const TOOLS: &[&str] = &[
    "build-essential",
    "build-base",
    "gcc",
    "g++",
    "make",
    "cmake",
    "clang",
    "autoconf",
    "automake",
    "libtool",
    "gcc-c++",
    "golang",
    "rustc",
    "cargo",
];
const APK_OPTS: &[&str] = &["-t", "--virtual", "-X", "--repository"];

fn check(ctx: &Ctx) -> Vec<Hit> {
    let df = ctx.df;
    let in_final = |s: Option<usize>| s.is_none_or(|s| df.in_final_chain(s));
    // Any removal of packages later in the final image counts: build-deps are usually purged
    // through a virtual package or apt-mark, which we cannot follow name by name.
    // The last removal, found once: asking every install for a later removal was quadratic.
    let last_removal = ctx
        .runs()
        .filter(|(_, ins, s)| {
            in_final(ins.stage)
                && (with_sub(s, APT, &["purge", "remove", "autoremove"], APT_VALUE_OPTS)
                    .next()
                    .is_some()
                    || with_sub(s, &["apk"], &["del"], &[]).next().is_some()
                    || with_sub(
                        s,
                        &["yum", "dnf", "microdnf"],
                        &["remove", "erase", "autoremove"],
                        &[],
                    )
                    .next()
                    .is_some())
        })
        .map(|(j, _, _)| j)
        .max();
    let removed_after = |idx: usize| last_removal.is_some_and(|j| j >= idx);
    ctx.runs()
        .filter(|(_, ins, _)| !ins.onbuild && in_final(ins.stage) && ins.stage.is_some())
        .filter_map(|(idx, ins, s)| {
            let mut installed = Vec::new();
            for c in with_sub(s, APT, &["install"], APT_VALUE_OPTS) {
                installed.extend(packages(c, APT_VALUE_OPTS));
            }
            for c in with_sub(s, &["apk"], &["add"], APK_OPTS) {
                if c.has_opt(&['t'], &["virtual"]) {
                    continue;
                }
                installed.extend(packages(c, APK_OPTS));
            }
            for c in with_sub(s, &["yum", "dnf", "microdnf"], &["install"], &[]) {
                installed.extend(packages(c, &[]));
            }
            let tool = installed
                .into_iter()
                .map(|p| p.split(['=', '~', '<', '>']).next().unwrap_or(p))
                .find(|p| TOOLS.contains(p))?;
            if removed_after(idx) {
                return None;
            }
            Some(Hit::at(
                ins,
                format!("build tool {tool} is installed in the final image and never removed"),
            ))
        })
        .collect()
}
