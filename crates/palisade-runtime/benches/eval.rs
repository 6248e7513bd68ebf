//! Condition evaluation throughput: events per second through a full rule set, for the
//! k8s audit rules (Falco's when /work/shared is present, else the fixtures) and for the
//! default syscall rules over a synthetic syscall stream. Run with
//! `cargo bench -p palisade-runtime --bench eval`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use palisade_runtime::k8saudit::parse_bytes;
use palisade_runtime::syscall::{parse_lines, Syscall};
use palisade_runtime::{load_files, Engine, FieldCatalog, K8sAudit};
use std::hint::black_box;
use std::path::Path;

const CORPUS: &str = "/work/shared/corpus/falco/rules-current";
const FIX: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn first_existing(paths: &[String]) -> String {
    paths
        .iter()
        .find(|p| Path::new(p).is_file())
        .cloned()
        .unwrap_or_default()
}

/// A syscall stream shaped like a busy host: mostly reads/opens, some execs and connects.
pub fn synthetic_syscalls(n: usize) -> Vec<u8> {
    let mut out = String::new();
    let names = ["nginx", "bash", "python3", "java", "cat", "sshd"];
    for i in 0..n {
        let p = names[i % names.len()];
        let line = match i % 10 {
            0 => format!(
                r#"{{"evt.type":"execve","evt.dir":"<","proc.name":"{p}","proc.aname":["containerd-shim","systemd"],"proc.cmdline":"{p} -c x","proc.tty":0,"user.name":"root","user.uid":0,"container.id":"c{i}","proc.exepath":"/usr/bin/{p}"}}"#
            ),
            1..=3 => format!(
                r#"{{"evt.type":"openat","evt.dir":"<","evt.is_open_read":true,"fd.name":"/var/lib/app/{i}.dat","fd.typechar":"f","fd.directory":"/var/lib/app","proc.name":"{p}","user.name":"app","container.id":"c1"}}"#
            ),
            4 => format!(
                r#"{{"evt.type":"connect","evt.dir":"<","fd.typechar":"4","fd.sip":"10.0.{}.{}","fd.sport":443,"fd.l4proto":"tcp","proc.name":"{p}","container.id":"c1"}}"#,
                i % 250,
                i % 200
            ),
            _ => format!(
                r#"{{"evt.type":"read","evt.dir":"<","fd.name":"/dev/null","proc.name":"{p}"}}"#
            ),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out.into_bytes()
}

fn bench(c: &mut Criterion) {
    let cats: [&dyn FieldCatalog; 2] = [&K8sAudit, &Syscall];

    let k8s_rules = first_existing(&[
        format!("{CORPUS}/falcosecurity__plugins/plugins/k8saudit/rules/k8s_audit_rules.yaml"),
        format!("{FIX}/k8s/rules.yaml"),
    ]);
    let set = load_files(&[&k8s_rules], &cats);
    let engine = Engine::new(K8sAudit, &set);
    let data = std::fs::read(format!("{FIX}/k8s/audit.jsonl")).unwrap_or_default();
    let events: Vec<_> = parse_bytes(&data)
        .into_iter()
        .filter_map(|(_, e)| e.ok())
        .collect();
    let mut g = c.benchmark_group("k8saudit");
    g.throughput(Throughput::Elements(events.len() as u64));
    g.bench_function(
        format!("{} rules x {} events", engine.rules.len(), events.len()),
        |b| {
            b.iter(|| {
                events
                    .iter()
                    .map(|e| engine.matches(black_box(e)).len())
                    .sum::<usize>()
            })
        },
    );
    g.finish();

    let sys_rules = first_existing(&[
        format!("{CORPUS}/falcosecurity__rules/rules/falco_rules.yaml"),
        format!("{FIX}/syscall_rules.yaml"),
    ]);
    let set = load_files(&[&sys_rules], &cats);
    let engine = Engine::new(Syscall, &set);
    let stream = synthetic_syscalls(10_000);
    let events: Vec<_> = parse_lines(&stream)
        .into_iter()
        .filter_map(|(_, e)| e.ok())
        .collect();
    let mut g = c.benchmark_group("syscall");
    g.throughput(Throughput::Elements(events.len() as u64));
    g.bench_function(
        format!("{} rules x {} events", engine.rules.len(), events.len()),
        |b| {
            b.iter(|| {
                events
                    .iter()
                    .map(|e| engine.matches(black_box(e)).len())
                    .sum::<usize>()
            })
        },
    );
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
