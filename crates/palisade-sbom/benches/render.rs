//! Rendering a report of 5,000 findings and 5,000 packages as CycloneDX (with its
//! vulnerabilities) and SPDX; the target is under 100 ms each, like every other format
//! (docs/benchmarks.md).
use criterion::{criterion_group, criterion_main, Criterion};
use palisade_sbom::{render_report, SbomFormat};
use std::hint::black_box;

// The same synthetic report the palisade-report benches render, so the figures compare.
#[path = "../../palisade-report/tests/common/mod.rs"]
mod common;

fn sbom(c: &mut Criterion) {
    let report = common::many(5_000);
    let mut g = c.benchmark_group("render_5000_findings");
    g.sample_size(20);
    for (name, format) in [
        ("cyclonedx", SbomFormat::CycloneDx),
        ("spdx_json", SbomFormat::SpdxJson),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| render_report(black_box(&report), format).expect("a target was scanned"))
        });
    }
    g.finish();
}

criterion_group!(benches, sbom);
criterion_main!(benches);
