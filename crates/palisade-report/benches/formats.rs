//! Rendering a report of 5,000 findings (and 5,000 packages) into each format this crate
//! renders; the target is under 100 ms each (docs/benchmarks.md). CycloneDX and SPDX are
//! rendered by palisade-sbom (its own bench).
//!
//! Two groups: wall time (criterion's default) and this thread's CPU time, which the
//! other work on a shared machine barely moves.
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion};
use palisade_core::Report;
use std::hint::black_box;
use std::time::Duration;

#[path = "../tests/common/mod.rs"]
mod common;

const MARKDOWN: &str = include_str!("../../../contrib/templates/markdown.md.tmpl");
const GITLAB: &str = include_str!("../../../contrib/templates/gitlab-codequality.json.tmpl");

type Render = fn(&Report) -> String;

fn renderers() -> Vec<(&'static str, Render)> {
    vec![
        ("table_80", |r| {
            palisade_report::table_report(
                r,
                palisade_report::TableOptions {
                    color: false,
                    list_packages: false,
                    width: 80,
                },
            )
        }),
        ("json", palisade_report::json_report),
        ("sarif", |r| palisade_report::sarif_report(r, &|_| None)),
        ("html", palisade_report::html_report),
        ("junit", palisade_report::junit_report),
        ("github", palisade_report::github_report),
        ("template_markdown", |r| {
            palisade_report::template_report(r, "markdown.md.tmpl", MARKDOWN).unwrap()
        }),
        ("template_gitlab_codequality", |r| {
            palisade_report::template_report(r, "gitlab-codequality.json.tmpl", GITLAB).unwrap()
        }),
    ]
}

fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec through a valid pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn group<'a>(
    c: &'a mut Criterion,
    name: &str,
) -> BenchmarkGroup<'a, criterion::measurement::WallTime> {
    let mut g = c.benchmark_group(name);
    g.sample_size(20);
    g
}

fn formats(c: &mut Criterion) {
    let report = common::many(5_000);
    assert_eq!(report.findings().count(), 5_000);
    let mut g = group(c, "render_5000_findings");
    for (name, render) in renderers() {
        g.bench_function(name, |b| b.iter(|| render(black_box(&report))));
    }
    g.finish();
    let mut g = group(c, "render_5000_findings_cpu");
    for (name, render) in renderers() {
        g.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let start = thread_cpu();
                for _ in 0..iters {
                    black_box(render(black_box(&report)));
                }
                thread_cpu() - start
            })
        });
    }
    g.finish();
}

criterion_group!(benches, formats);
criterion_main!(benches);
