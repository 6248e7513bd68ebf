//! Every k8s audit and syscall field read from events whose shapes are wrong (strings for
//! objects, numbers for arrays, deep nesting, huge arrays): values or nothing, never a panic.

use palisade_runtime::fields::{EventSource, FieldArg};
use palisade_runtime::k8saudit::{parse_bytes, AuditEvent};
use palisade_runtime::syscall::{parse_lines, Syscall};
use palisade_runtime::{FieldCatalog, K8sAudit};
use serde_json::json;

fn weird_audit_events() -> Vec<AuditEvent> {
    let ts = "2026-01-01T00:00:00Z";
    let docs = vec![
        json!({"kind":"Event","auditID":"1","stageTimestamp":ts,"requestObject":"str","objectRef":5,"user":[1,2],"sourceIPs":"x","annotations":null}),
        json!({"kind":"Event","auditID":"2","stageTimestamp":ts,"requestObject":{"spec":{"containers":"nope","volumes":[1,"a",null,{"hostPath":7}],"ports":{"a":1}},"rules":[{"verbs":"get"},5],"subjects":[{"kind":1,"name":{}}],"data":[1]},"requestURI":"%%%?a=%zz&&=&command"}),
        json!({"kind":"Event","auditID":"3","stageTimestamp":ts,"requestObject":{"spec":{"containers":[null,5,{"image":3,"command":"sh","args":[1,2],"ports":[{"hostPort":"x"}],"securityContext":[]}],"initContainers":[{}]}},"responseStatus":{"code":"abc"}}),
        json!({"kind":"Event","auditID":"4","stageTimestamp":ts,"requestObject":{"spec":{"containers":(0..10_000).map(|i| json!({"image": format!("i{i}:1@sha256:x")})).collect::<Vec<_>>()}}}),
    ];
    let mut out: Vec<AuditEvent> = docs
        .into_iter()
        .filter_map(|d| AuditEvent::from_value(d).ok())
        .collect();
    let deep = format!("{{\"kind\":\"Event\",\"auditID\":\"5\",\"stageTimestamp\":\"{ts}\",\"requestObject\":{}1{}}}", "[".repeat(100), "]".repeat(100));
    out.extend(
        parse_bytes(deep.as_bytes())
            .into_iter()
            .filter_map(|(_, e)| e.ok()),
    );
    let too_deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(parse_bytes(too_deep.as_bytes())
        .iter()
        .all(|(_, e)| e.is_err()));
    out
}

fn args() -> Vec<Option<String>> {
    vec![
        None,
        Some("0".into()),
        Some("3".into()),
        Some("/requestObject/spec/containers/0".into()),
        Some("command".into()),
        Some("99999999999999999999".into()),
    ]
}

#[test]
fn k8s_fields_on_hostile_events() {
    let evs = weird_audit_events();
    assert!(evs.len() >= 5);
    let src = K8sAudit;
    let mut reads = 0;
    for def in src.fields() {
        for a in args() {
            let Ok(f) = src.bind(def.name, a.as_deref(), def.name) else {
                continue;
            };
            for e in &evs {
                let x = src.extract(&f, e);
                let _ = x.render();
                reads += 1;
            }
        }
    }
    assert!(reads > 500, "{reads}");
}

#[test]
fn syscall_fields_on_hostile_events() {
    let lines = br#"{"proc.aname":"notalist","proc.tty":"x","fd.sip":"not-an-ip","evt.rawtime":"soon","user.uid":1e300}
{"proc.aname":[1,{"a":2},null],"evt.arg.flags":{"x":1},"container.privileged":"maybe"}
{}
"#;
    let evs: Vec<_> = parse_lines(lines)
        .into_iter()
        .filter_map(|(_, e)| e.ok())
        .collect();
    assert_eq!(evs.len(), 3);
    let src = Syscall;
    for def in src.fields() {
        for a in args() {
            let Ok(mut f) = src.bind(def.name, a.as_deref(), def.name) else {
                continue;
            };
            if def.name == "evt.arg" {
                f.arg = FieldArg::Key("flags".into());
            }
            for e in &evs {
                let _ = src.extract(&f, e).render();
            }
        }
    }
}
