//! The pod controllers, the privileged level, parsing errors and hostile input.

use super::tests::{fields, policy, run, yaml};
use super::PodSecurity;

#[test]
fn pod_controllers_and_other_kinds() {
    let p = policy("{level: baseline}");
    let dep = yaml("kind: Deployment\nspec:\n  template:\n    metadata: {annotations: {container.apparmor.security.beta.kubernetes.io/app: unconfined}}\n    spec: {containers: [{name: app, image: nginx, securityContext: {privileged: true}}]}\n");
    let r = p.check(&dep).expect("template");
    assert_eq!(fields(&r), ["spec.template.metadata.annotations[container.apparmor.security.beta.kubernetes.io/app]=unconfined", "spec.template.spec.containers[0].securityContext.privileged=true"]);
    assert_eq!(r.violations[1].images, ["nginx"]);
    let cron = yaml("kind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec: {hostPID: true, containers: [{name: app}]}\n");
    assert_eq!(
        fields(&p.check(&cron).expect("template")),
        ["spec.jobTemplate.spec.template.spec.hostPID=true"]
    );
    for kind in [
        "StatefulSet",
        "DaemonSet",
        "Job",
        "ReplicaSet",
        "ReplicationController",
    ] {
        let r = p.check(&yaml(&format!(
            "kind: {kind}\nspec: {{template: {{spec: {{hostIPC: true}}}}}}\n"
        )));
        assert!(!r.expect("template").passed, "{kind}");
    }
    assert_eq!(p.check(&yaml("kind: ConfigMap\ndata: {a: b}\n")), None);
    assert_eq!(
        p.check(&yaml("kind: Deployment\nspec: {replicas: 1}\n")),
        None
    );
    assert_eq!(p.check(&yaml("kind: Pod\n")), None);
}

#[test]
fn privileged_level_allows_everything() {
    let r = run(
        "privileged",
        "  hostPID: true\n  containers: [{name: a, securityContext: {privileged: true}}]\n",
    );
    assert!(r.passed);
}

#[test]
fn parse_errors() {
    let err = |t: &str| PodSecurity::parse(&yaml(t)).expect_err(t);
    assert!(err("{level: strict}").contains("unknown podSecurity level"));
    assert!(err("{version: latest}").contains("unknown podSecurity level"));
    assert!(
        err("{level: baseline, version: v2.0}").contains("unknown Pod Security Standards version")
    );
    assert!(err("{level: baseline, version: v1.18}").contains("older"));
    assert!(
        err("{level: baseline, exclude: [{controlName: Magic}]}").contains("unknown controlName")
    );
    assert!(
        err("{level: baseline, exclude: [{controlName: Host Ports}]}")
            .contains("images must be specified")
    );
    assert!(
        err("{level: baseline, exclude: [{controlName: Sysctls, images: ['*']}]}")
            .contains("must not be specified")
    );
    assert!(
        err("{level: baseline, exclude: [{controlName: Volume Types}]}").contains("given level")
    );
    assert!(
        err("{level: baseline, exclude: [{controlName: Seccomp, values: [1]}]}")
            .contains("values must be a list of strings")
    );
    assert!(err("[level, baseline]").contains("object"));
    let p = policy("{level: restricted, version: v1.99}");
    assert_eq!(p.minor(), palisade_kube::pss::LATEST_MINOR);
    let rule = yaml("{name: r1, validate: {podSecurity: {level: baseline}}}");
    let r = PodSecurity::parse(&rule)
        .expect("rule")
        .check(&yaml("kind: Pod\nspec: {hostPID: true}\n"));
    assert!(r
        .expect("pod")
        .message
        .starts_with("Validation rule 'r1' failed. It violates PodSecurity \"baseline:latest\""));
}

#[test]
fn hostile_input_never_panics() {
    let p = policy("{level: restricted, exclude: [{controlName: Capabilities, images: ['*'], values: ['*']}, {controlName: Seccomp}]}");
    let odd = [
        "kind: Pod\nspec: {containers: oops, volumes: 7, securityContext: [1]}\n",
        "kind: Pod\nspec: {containers: [7, null, {name: 9, image: [1], securityContext: {capabilities: {add: [1, null], drop: ALL}, runAsUser: -0}, ports: [{hostPort: 99999999999999}]}]}\n",
        "kind: Pod\nmetadata: [1]\nspec: {volumes: [{name: v, hostPath: null}, null, 3], securityContext: {sysctls: [{}, 1]}}\n",
        "kind: CronJob\nspec: {jobTemplate: 5}\n",
        "kind: [Pod]\n",
        "42\n",
    ];
    for text in odd {
        let _ = p.check(&yaml(text));
    }
}

#[test]
fn many_containers_stay_linear() {
    let p = policy("{level: restricted, exclude: [{controlName: Capabilities, images: ['*']}, {controlName: Seccomp}, {controlName: Privileged Containers, images: ['a*']}]}");
    let containers: Vec<serde_json::Value> = (0..10_000)
        .map(|i| serde_json::json!({"name": format!("c{i}"), "image": format!("a{i}"), "securityContext": {"privileged": true, "capabilities": {"add": ["SYS_ADMIN"]}}}))
        .collect();
    let pod = serde_json::json!({"kind": "Pod", "spec": {"containers": containers}});
    let start = std::time::Instant::now();
    let r = p.check(&pod).expect("pod");
    assert!(!r.passed);
    assert!(!r
        .violations
        .iter()
        .any(|v| v.control == "Capabilities" || v.control == "Privileged Containers"));
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
}
