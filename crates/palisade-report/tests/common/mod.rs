//! Reports for the format tests and the rendering benchmark.
#![allow(dead_code)]

use palisade_core::*;

fn layer(index: usize, created_by: &str) -> LayerRef {
    LayerRef {
        index,
        digest: format!("sha256:{index:064x}"),
        diff_id: None,
        created_by: Some(created_by.into()),
    }
}

fn package(eco: Ecosystem, name: &str, version: &str, found_in: &str, l: usize) -> Package {
    Package {
        ecosystem: eco,
        name: name.into(),
        version: version.into(),
        purl: format!("pkg:{}/{name}@{version}", eco.purl_type()),
        source_name: None,
        source_version: None,
        arch: None,
        licenses: vec!["MIT".into()],
        maintainer: None,
        found_in: found_in.into(),
        layer: Some(layer(l, "RUN install")),
        other_locations: vec![],
        relationship: Relationship::Unknown,
        depends_on: vec![],
        declared_deps: vec![],
    }
}

fn vuln(id: &str, sev: Severity, pkg: &str, version: &str, fixed: &str, l: usize) -> Finding {
    let mut f = Finding::new(
        id,
        FindingKind::Vulnerability,
        sev,
        format!("{pkg}: a flaw"),
        format!("{pkg} {version} is affected"),
        Location {
            purl: Some(format!("pkg:pypi/{pkg}@{version}")),
            path: Some(format!(
                "usr/lib/python3/{pkg}-{version}.dist-info/METADATA"
            )),
            layer: Some(layer(l, "RUN pip install -r requirements.txt")),
            ..Default::default()
        },
    );
    f.vulnerability = Some(VulnInfo {
        package_name: pkg.into(),
        installed_version: version.into(),
        fixed_versions: if fixed.is_empty() {
            vec![]
        } else {
            vec![fixed.into()]
        },
        status: if fixed.is_empty() {
            "affected"
        } else {
            "fixed"
        }
        .into(),
        cvss_score: Some(7.5),
        ..Default::default()
    });
    f.references = vec![format!("https://osv.dev/vulnerability/{id}")];
    f
}

fn secret(rule: &str, path: &str, line: u32, l: usize) -> Finding {
    let mut s = Finding::new(
        rule,
        FindingKind::Secret,
        Severity::Critical,
        "AWS access key ID",
        "AWS access key ID",
        Location::file(path)
            .with_span(Span::line(line))
            .with_layer(Some(layer(l, "COPY creds /root/.aws/credentials"))),
    );
    s.evidence = Some(mask_secret("AKIAQYLPMN5HHHFPZAM2"));
    s
}

fn misconfig(rule: &str, sev: Severity, path: &str, line: u32) -> Finding {
    Finding::new(
        rule,
        FindingKind::Misconfiguration,
        sev,
        "Privileged container",
        "container app is privileged",
        Location {
            path: Some(path.into()),
            span: Some(Span::line(line)),
            object: Some(ObjectRef {
                kind: "Deployment".into(),
                name: "web".into(),
                namespace: Some("prod".into()),
                ..Default::default()
            }),
            ..Default::default()
        },
    )
}

fn image_target(name: &str) -> TargetReport {
    let mut t = TargetReport::new(Target {
        kind: TargetKind::Image,
        name: name.into(),
    });
    t.image = Some(ImageMeta {
        config_digest: "sha256:cc".into(),
        os: "linux".into(),
        architecture: "amd64".into(),
        layers: (0..4).map(|i| layer(i, "RUN step")).collect(),
        ..Default::default()
    });
    t
}

/// An image with 3 packages, 2 vulnerabilities, 1 secret, 1 misconfiguration, 1 warning.
pub fn sample() -> Report {
    let mut r = Report::new("0.1.0", "2026-11-29T12:00:00Z".into());
    let mut t = image_target("demo:1.0");
    t.packages = vec![
        package(
            Ecosystem::Deb,
            "openssl",
            "3.0.11-1",
            "var/lib/dpkg/status",
            0,
        ),
        package(Ecosystem::Deb, "zlib1g", "1.2.13", "var/lib/dpkg/status", 0),
        package(
            Ecosystem::Pypi,
            "requests",
            "2.19.1",
            "usr/lib/python3/x",
            2,
        ),
    ];
    t.findings = vec![
        vuln(
            "CVE-2018-18074",
            Severity::High,
            "requests",
            "2.19.1",
            "2.20.0",
            2,
        ),
        vuln(
            "CVE-2023-5678",
            Severity::Medium,
            "openssl",
            "3.0.11-1",
            "",
            0,
        ),
        secret("aws-access-key-id", "root/.aws/credentials", 2, 3),
        misconfig("K8S001", Severity::Medium, "k8s/deploy.yaml", 12),
    ];
    t.errors.push(ScanError::corrupt(
        "srv/app/package-lock.json",
        "invalid JSON at line 3",
    ));
    r.results.push(t);
    r
}

pub const PWN: &str = "document.documentElement.dataset.pwned='1'";

/// Every text field an attacker controls, carrying markup and control characters.
pub fn hostile() -> Report {
    let mut r = Report::new("0.1.0", "2026-11-29T12:00:00Z".into());
    let script = format!("<script>{PWN}</script>");
    let mut t = image_target(&format!("evil{script}:1"));
    let mut p = package(
        Ecosystem::Npm,
        &format!("x{script}"),
        "1.0.0\u{1b}[2J",
        "a",
        0,
    );
    p.licenses = vec![format!("<img src=x onerror=\"{PWN}\">")];
    t.packages.push(p);
    let mut v = vuln(
        "CVE-0000-0001",
        Severity::Critical,
        &format!("pkg\"><svg onload=\"{PWN}\">"),
        "1",
        "2",
        1,
    );
    v.references = vec![format!("javascript:{PWN}")];
    v.title = format!("</td></tr></table>{script}{{{{ 7*7 }}}}");
    let mut s = secret(
        "generic-api-key",
        &format!("etc/{script}\u{0c}\u{1b}]0;title\u{7}"),
        1,
        1,
    );
    s.message = format!("key in ]]><x/>{script} %0A\r\n::add-mask::x,y:z");
    let mut m = misconfig("K8S001", Severity::High, "a,b:c%.yaml", 3);
    m.title = "title\n::error::injected".into();
    t.findings = vec![v, s, m];
    t.errors.push(ScanError::io(script.clone(), script.clone()));
    r.results.push(t);
    r
}

/// A report of `n` findings (mixed kinds and severities) over 2 targets, and as many
/// packages: the size the rendering benchmark uses.
pub fn many(n: usize) -> Report {
    let mut r = Report::new("0.1.0", "2026-11-29T12:00:00Z".into());
    for ti in 0..2 {
        let mut t = image_target(&format!("registry.example/app{ti}:1.{ti}"));
        let sev = Severity::ALL;
        for i in 0..n / 2 {
            let s = sev[i % 5];
            let f = match i % 4 {
                0 | 1 => vuln(
                    &format!("CVE-2024-{i:05}"),
                    s,
                    &format!("pkg{i}"),
                    "1.0",
                    "1.1",
                    i % 4,
                ),
                2 => secret(
                    "aws-access-key-id",
                    &format!("srv/app/config{i}.env"),
                    3,
                    i % 4,
                ),
                _ => misconfig(
                    &format!("K8S{:03}", i % 40),
                    s,
                    &format!("k8s/app{i}.yaml"),
                    7,
                ),
            };
            t.findings.push(f);
            t.packages.push(package(
                if i % 2 == 0 {
                    Ecosystem::Deb
                } else {
                    Ecosystem::Npm
                },
                &format!("pkg{i}"),
                "1.0",
                "var/lib/dpkg/status",
                i % 4,
            ));
        }
        r.results.push(t);
    }
    r
}
