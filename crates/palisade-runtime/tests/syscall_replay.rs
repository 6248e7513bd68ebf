//! `--source syscall` replay of Palisade's JSON-lines event format with self-contained
//! rules: ancestors with indexes, networks, numeric and boolean fields, `evt.arg.*`.

use palisade_runtime::syscall::{parse_lines, Syscall};
use palisade_runtime::{load_files, Engine, FieldCatalog, K8sAudit};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

#[test]
fn syscall_rules_over_recorded_events() {
    let cats: [&dyn FieldCatalog; 2] = [&K8sAudit, &Syscall];
    let set = load_files(&[format!("{DIR}/syscall_rules.yaml")], &cats);
    assert_eq!(set.errors(), 0, "{:#?}", set.diagnostics);
    let engine = Engine::new(Syscall, &set);
    assert_eq!(engine.rules.len(), 3);
    let data = std::fs::read(format!("{DIR}/syscall_events.jsonl")).unwrap();
    let parsed = parse_lines(&data);
    assert_eq!(parsed.iter().filter(|(_, r)| r.is_err()).count(), 1);
    let alerts: Vec<_> = parsed
        .iter()
        .filter_map(|(_, r)| r.as_ref().ok())
        .flat_map(|e| engine.process(e))
        .collect();
    let outs: Vec<&str> = alerts
        .iter()
        .map(|a| a.output.split_once(": ").map_or("", |x| x.1))
        .collect();
    assert_eq!(
        outs,
        [
            "Notice Shell (user=root shell=bash parent=nginx gparent=containerd-shim cmdline=bash -i container=c0ffee123456)",
            "Warning Outbound (proc=nc ip=203.0.113.9 port=4444)",
            "Error Shadow read by cat (O_RDONLY)",
        ]
    );
    assert_eq!(alerts[0].time, "2026-01-01T00:00:00.000000000Z");
}

#[test]
fn append_output_adds_fields_to_every_alert() {
    let cats: [&dyn FieldCatalog; 2] = [&K8sAudit, &Syscall];
    let set = load_files(&[format!("{DIR}/syscall_rules.yaml")], &cats);
    let mut engine = Engine::new(Syscall, &set);
    engine.append_output(" container_id=%container.id pid=%proc.pid");
    let data = std::fs::read(format!("{DIR}/syscall_events.jsonl")).unwrap();
    let alerts: Vec<_> = parse_lines(&data)
        .iter()
        .filter_map(|(_, r)| r.as_ref().ok())
        .flat_map(|e| engine.process(e))
        .collect();
    assert_eq!(alerts.len(), 3);
    assert!(
        alerts[0]
            .output
            .ends_with("container=c0ffee123456) container_id=c0ffee123456 pid=<NA>"),
        "{}",
        alerts[0].output
    );
    assert_eq!(alerts[0].output_fields["container.id"], "c0ffee123456");
    assert!(alerts[0].output_fields["proc.pid"].is_null());
}
