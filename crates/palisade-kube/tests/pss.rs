//! Pod Security Standards suite, written from the Kubernetes documentation: for each control a
//! manifest that violates it (with the expected rule, message and the level the pod still meets)
//! and the level a compliant pod meets; plus the version gates of the admission controller.

use palisade_kube::{scan_manifests, KubeOptions, Level};

fn pod(spec: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: t\nspec:\n{spec}")
}

fn scan(yaml: &str, version: Option<&str>) -> palisade_kube::KubeScan {
    let opts = KubeOptions {
        pss_version: version.map(str::to_string),
        ..Default::default()
    };
    let s = scan_manifests(&[("p.yaml".into(), yaml.into())], &opts);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    s
}

const RESTRICTED_CONTAINER: &str = "    securityContext:\n      allowPrivilegeEscalation: false\n      capabilities: {drop: [ALL]}\n";
const RESTRICTED_POD: &str =
    "  securityContext:\n    runAsNonRoot: true\n    seccompProfile: {type: RuntimeDefault}\n";

fn restricted_pod(extra_pod: &str, extra_container: &str) -> String {
    pod(&format!("{RESTRICTED_POD}{extra_pod}  containers:\n  - name: c\n    image: c:1\n{RESTRICTED_CONTAINER}{extra_container}"))
}

#[test]
fn compliant_pod_meets_restricted() {
    let s = scan(&restricted_pod("", ""), None);
    assert_eq!(s.workloads[0].level, Level::Restricted);
    assert!(!s
        .findings
        .iter()
        .any(|f| f.extra.contains_key("pss_control")));
}

#[test]
fn default_pod_meets_baseline_only() {
    let s = scan(&pod("  containers:\n  - {name: c, image: c:1}\n"), None);
    assert_eq!(s.workloads[0].level, Level::Baseline);
}

/// (rule, pod-level yaml, container-level yaml, message fragment, level met)
const CASES: &[(&str, &str, &str, &str, Level)] = &[
    (
        "K8S001",
        "",
        "      windowsOptions: {hostProcess: true}\n",
        "hostProcess=true",
        Level::Privileged,
    ),
    (
        "K8S002",
        "  hostPID: true\n",
        "",
        "host PID namespace",
        Level::Privileged,
    ),
    (
        "K8S003",
        "  hostIPC: true\n",
        "",
        "host IPC namespace",
        Level::Privileged,
    ),
    (
        "K8S004",
        "  hostNetwork: true\n",
        "",
        "host network namespace",
        Level::Privileged,
    ),
    (
        "K8S005",
        "",
        "      privileged: true\n",
        "is privileged",
        Level::Privileged,
    ),
    ("K8S006", "", "", "", Level::Privileged),
    (
        "K8S007",
        "  volumes:\n  - {name: h, hostPath: {path: /etc}}\n",
        "",
        "mounts host path /etc",
        Level::Privileged,
    ),
    ("K8S008", "", "", "", Level::Privileged),
    (
        "K8S009",
        "",
        "      appArmorProfile: {type: Unconfined}\n",
        "AppArmor profile",
        Level::Privileged,
    ),
    (
        "K8S010",
        "",
        "      seLinuxOptions: {user: sysadm_u}\n",
        "user set",
        Level::Privileged,
    ),
    (
        "K8S011",
        "",
        "      procMount: Unmasked\n",
        "non-default /proc mount",
        Level::Privileged,
    ),
    (
        "K8S012",
        "",
        "      seccompProfile: {type: Unconfined}\n",
        "Unconfined",
        Level::Privileged,
    ),
    ("K8S013", "", "", "", Level::Privileged),
    (
        "K8S015",
        "  volumes:\n  - {name: n, nfs: {server: s, path: /}}\n",
        "",
        "uses type nfs",
        Level::Baseline,
    ),
    (
        "K8S016",
        "",
        "      allowPrivilegeEscalation: true\n",
        "allows privilege escalation",
        Level::Baseline,
    ),
    (
        "K8S017",
        "",
        "      runAsNonRoot: false\n",
        "runAsNonRoot: false",
        Level::Baseline,
    ),
    (
        "K8S018",
        "",
        "      runAsUser: 0\n",
        "runAsUser: 0",
        Level::Baseline,
    ),
    ("K8S020", "", "", "", Level::Baseline),
];

#[test]
fn each_control_fails_with_its_message_and_level() {
    for (rule, pod_yaml, container_yaml, msg, level) in CASES {
        if msg.is_empty() {
            continue; // covered by special cases below
        }
        // Container-level keys are appended after the restricted securityContext block, so they
        // override it (later keys win, as in the API server's decoder).
        let y = restricted_pod(pod_yaml, container_yaml);
        let s = scan(&y, None);
        let f = s.findings.iter().find(|f| f.rule_id == *rule);
        let f = f.unwrap_or_else(|| panic!("{rule} did not fire on:\n{y}"));
        assert!(
            f.message.contains(msg),
            "{rule}: {:?} lacks {msg:?}",
            f.message
        );
        assert!(f
            .location
            .object
            .as_ref()
            .and_then(|o| o.field_path.clone())
            .is_some());
        assert_eq!(s.workloads[0].level, *level, "{rule}");
    }
}

#[test]
fn capability_host_port_and_sysctl_controls() {
    let y = pod("  securityContext:\n    sysctls:\n    - {name: kernel.msgmax, value: '1'}\n  containers:\n  - name: c\n    image: c:1\n    ports:\n    - {containerPort: 80, hostPort: 80}\n    securityContext:\n      capabilities: {add: [NET_ADMIN, CHOWN]}\n");
    let s = scan(&y, None);
    let msg = |id: &str| {
        s.findings
            .iter()
            .filter(|f| f.rule_id == id)
            .map(|f| f.message.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        msg("K8S006"),
        vec!["Container 'c' adds capability NET_ADMIN, outside the Baseline set"]
    );
    assert_eq!(msg("K8S008"), vec!["Container 'c' uses host port 80"]);
    assert_eq!(
        msg("K8S013"),
        vec!["Pod sets unsafe sysctl \"kernel.msgmax\""]
    );
    assert!(msg("K8S020")
        .iter()
        .any(|m| m.contains("adds capability CHOWN")));
    assert_eq!(s.workloads[0].level, Level::Privileged);
}

#[test]
fn versions_gate_controls() {
    let keepalive = pod("  securityContext:\n    sysctls:\n    - {name: net.ipv4.tcp_keepalive_time, value: '60'}\n  containers:\n  - {name: c, image: c:1}\n");
    assert!(scan(&keepalive, Some("v1.28"))
        .findings
        .iter()
        .any(|f| f.rule_id == "K8S013"));
    assert!(!scan(&keepalive, Some("v1.29"))
        .findings
        .iter()
        .any(|f| f.rule_id == "K8S013"));

    let probe = pod("  containers:\n  - name: c\n    image: c:1\n    readinessProbe:\n      tcpSocket: {host: 10.0.0.1, port: 80}\n");
    assert!(!scan(&probe, Some("v1.33"))
        .findings
        .iter()
        .any(|f| f.rule_id == "K8S014"));
    assert!(scan(&probe, None)
        .findings
        .iter()
        .any(|f| f.rule_id == "K8S014"));

    let caps = pod("  containers:\n  - {name: c, image: c:1}\n");
    assert!(!scan(&caps, Some("v1.21"))
        .findings
        .iter()
        .any(|f| f.rule_id == "K8S020"));
    assert!(scan(&caps, Some("v1.22"))
        .findings
        .iter()
        .any(|f| f.rule_id == "K8S020"));
    assert!(!scan(&caps, Some("v1.18"))
        .findings
        .iter()
        .any(|f| f.rule_id == "K8S019"));
}

#[test]
fn windows_pods_are_exempt_from_linux_only_restricted_controls() {
    let y = pod("  os: {name: windows}\n  securityContext: {runAsNonRoot: true}\n  containers:\n  - {name: c, image: c:1}\n");
    let s = scan(&y, None);
    for id in ["K8S016", "K8S019", "K8S020"] {
        assert!(!s.findings.iter().any(|f| f.rule_id == id), "{id}");
    }
    assert_eq!(s.workloads[0].level, Level::Restricted);
}

#[test]
fn pod_level_run_as_non_root_covers_containers_unless_overridden() {
    let ok =
        pod("  securityContext: {runAsNonRoot: true}\n  containers:\n  - {name: c, image: c:1}\n");
    assert!(!scan(&ok, None)
        .findings
        .iter()
        .any(|f| f.rule_id == "K8S017"));
    let bad = pod("  containers:\n  - {name: c, image: c:1}\n");
    let s = scan(&bad, None);
    let f = s.findings.iter().find(|f| f.rule_id == "K8S017").unwrap();
    assert_eq!(
        f.location.object.as_ref().unwrap().field_path.as_deref(),
        Some("spec.containers[0].securityContext.runAsNonRoot")
    );
}
