//! Rendering a report of 5,000 findings (and 5,000 packages) into each format this crate
//! adds; the target is under 100 ms each (docs/benchmarks.md).
use criterion::{black_box, criterion_group, criterion_main, Criterion};

#[path = "../tests/common/mod.rs"]
mod common;

fn formats(c: &mut Criterion) {
    let report = common::many(5_000);
    assert_eq!(report.findings().count(), 5_000);
    let markdown = include_str!("../../../contrib/templates/markdown.md.tmpl");
    let gitlab = include_str!("../../../contrib/templates/gitlab-codequality.json.tmpl");
    let mut g = c.benchmark_group("render_5000_findings");
    g.sample_size(20);
    g.bench_function("html", |b| {
        b.iter(|| palisade_report::html_report(black_box(&report)))
    });
    g.bench_function("junit", |b| {
        b.iter(|| palisade_report::junit_report(black_box(&report)))
    });
    g.bench_function("github", |b| {
        b.iter(|| palisade_report::github_report(black_box(&report)))
    });
    g.bench_function("template_markdown", |b| {
        b.iter(|| {
            palisade_report::template_report(black_box(&report), "markdown.md.tmpl", markdown)
        })
    });
    g.bench_function("template_gitlab_codequality", |b| {
        b.iter(|| {
            palisade_report::template_report(
                black_box(&report),
                "gitlab-codequality.json.tmpl",
                gitlab,
            )
        })
    });
    g.finish();
}

criterion_group!(benches, formats);
criterion_main!(benches);
