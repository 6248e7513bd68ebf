//! Rendering a report of 5,000 findings into the table format (target: under 100 ms).
//! `cargo bench -p palisade-report --bench table`; figures in docs/benchmarks.md.

use criterion::{criterion_group, criterion_main, Criterion};
use palisade_core::*;
use palisade_report::{table_report, TableOptions};
use std::hint::black_box;

/// 5,000 findings in the proportions of a large real scan: many misconfigurations over
/// deep manifest paths, vulnerabilities over a few hundred packages, some secrets.
fn report() -> Report {
    let mut r = Report::new("0.1.0", "2026-01-01T00:00:00Z".into());
    let mut t = TargetReport::new(Target {
        kind: TargetKind::Filesystem,
        name: ".".into(),
    });
    let sev = |i: usize| Severity::ALL[i % Severity::ALL.len()];
    for i in 0..5_000 {
        let f = match i % 5 {
            0 | 1 => {
                let mut f = Finding::new(
                    format!("CVE-2024-{:05}", i),
                    FindingKind::Vulnerability,
                    sev(i),
                    "Improper neutralisation of special elements used in a template engine allows remote code execution through crafted input in the rendering path",
                    "package is affected",
                    Location {
                        path: Some(format!(
                            "srv/app{}/node_modules/package-{}/package.json",
                            i % 7,
                            i % 300
                        )),
                        purl: Some(format!("pkg:npm/package-{}@1.{}.0", i % 300, i % 9)),
                        ..Default::default()
                    },
                );
                f.vulnerability = Some(VulnInfo {
                    package_name: format!("package-{}", i % 300),
                    installed_version: format!("1.{}.0", i % 9),
                    fixed_versions: vec![format!("1.{}.1", i % 9), "2.0.0".into()],
                    status: "fixed".into(),
                    ..Default::default()
                });
                f
            }
            2 => Finding::new(
                "generic-api-key",
                FindingKind::Secret,
                sev(i),
                "Generic API key",
                "Generic API key in config/settings.py at line 12",
                Location::file(format!("services/team-{}/config/settings.py", i % 40))
                    .with_span(Span::line((i % 400) as u32 + 1)),
            ),
            _ => {
                let mut l = Location::file(format!(
                    "deploy/charts/platform/templates/production/service-{}/deployment.yaml",
                    i % 120
                ))
                .with_span(Span::line((i % 300) as u32 + 1));
                l.object = Some(ObjectRef {
                    kind: "Deployment".into(),
                    namespace: Some("prod".into()),
                    name: format!("service-{}", i % 120),
                    ..Default::default()
                });
                Finding::new(
                    format!("K8S{:03}", i % 60),
                    FindingKind::Misconfiguration,
                    sev(i),
                    "Container does not set runAsNonRoot",
                    "Container 'api' does not set runAsNonRoot: true (nor does the pod)",
                    l,
                )
            }
        };
        t.findings.push(f);
    }
    r.results.push(t);
    r
}

fn bench(c: &mut Criterion) {
    let r = report();
    assert_eq!(r.findings().count(), 5_000);
    let mut g = c.benchmark_group("table_5000_findings");
    g.sample_size(20);
    for width in [80usize, 200] {
        let opts = TableOptions {
            width,
            ..TableOptions::default()
        };
        g.bench_function(format!("width_{width}"), |b| {
            b.iter(|| black_box(table_report(black_box(&r), opts)))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
