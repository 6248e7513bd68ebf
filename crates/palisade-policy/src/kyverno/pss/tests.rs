//! One test per PSA control (pass and fail, with PSA's paths and values), the pod controllers,
//! the message format, parsing errors and hostile input.

use super::{PodSecurity, PssResult};
use serde_json::Value;

pub(super) fn yaml(text: &str) -> Value {
    serde_yaml::from_str(text).expect("test YAML")
}

pub(super) fn policy(text: &str) -> PodSecurity {
    PodSecurity::parse(&yaml(text)).expect("valid podSecurity")
}

/// A Pod with `spec` (YAML, indented for `spec:`) evaluated at `level` (`restricted:v1.30`).
pub(super) fn run(level: &str, spec: &str) -> PssResult {
    let (level, version) = level.split_once(':').unwrap_or((level, "latest"));
    let p = policy(&format!("{{level: {level}, version: {version}}}"));
    check(&p, spec)
}

pub(super) fn check(p: &PodSecurity, spec: &str) -> PssResult {
    let pod = yaml(&format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n{spec}"
    ));
    p.check(&pod).expect("a Pod has a pod spec")
}

/// The failed PSA check IDs.
pub(super) fn checks(r: &PssResult) -> Vec<&str> {
    r.violations.iter().map(|v| v.check.as_str()).collect()
}

/// Every flagged field as `path=values`.
pub(super) fn fields(r: &PssResult) -> Vec<String> {
    r.violations
        .iter()
        .flat_map(|v| &v.fields)
        .map(|f| format!("{}={}", f.field, f.values.join(",")))
        .collect()
}

/// A container meeting Restricted, named `app`, image `app:1`.
pub(super) const GOOD: &str = "  - name: app\n    image: app:1\n    securityContext:\n      allowPrivilegeEscalation: false\n      runAsNonRoot: true\n      seccompProfile: {type: RuntimeDefault}\n      capabilities: {drop: [ALL]}\n";

fn good_with(extra_sc: &str) -> String {
    format!("  containers:\n{GOOD}      {extra_sc}\n")
}

#[test]
fn restricted_pod_passes_and_message_says_so() {
    let r = run("restricted", &format!("  containers:\n{GOOD}"));
    assert!(r.passed, "{}", r.message);
    assert_eq!(r.message, "Validation rule 'podSecurity' passed.");
}

#[test]
fn host_process() {
    let r = run("baseline", "  securityContext: {windowsOptions: {hostProcess: true}}\n  containers:\n  - {name: app, image: a, securityContext: {windowsOptions: {hostProcess: true}}}\n");
    assert_eq!(checks(&r), ["windowsHostProcess"]);
    assert_eq!(r.violations[0].control, "HostProcess");
    assert_eq!(
        r.violations[0].message,
        "pod and container \"app\" must not set securityContext.windowsOptions.hostProcess=true"
    );
    assert_eq!(
        fields(&r),
        [
            "spec.securityContext.windowsOptions.hostProcess=true",
            "spec.containers[0].securityContext.windowsOptions.hostProcess=true"
        ]
    );
    assert!(run("baseline", "  containers:\n  - {name: app, securityContext: {windowsOptions: {hostProcess: false}}}\n").passed);
}

#[test]
fn host_namespaces() {
    let r = run(
        "baseline",
        "  hostNetwork: true\n  hostIPC: true\n  hostPID: false\n  containers: [{name: app}]\n",
    );
    assert_eq!(checks(&r), ["hostNamespaces"]);
    assert_eq!(r.violations[0].message, "hostNetwork=true, hostIPC=true");
    assert_eq!(fields(&r), ["spec.hostNetwork=true", "spec.hostIPC=true"]);
}

#[test]
fn privileged_containers() {
    let r = run("baseline", "  initContainers: [{name: init, image: busybox, securityContext: {privileged: true}}]\n  containers: [{name: app, securityContext: {privileged: false}}]\n");
    assert_eq!(checks(&r), ["privileged"]);
    assert_eq!(r.violations[0].control, "Privileged Containers");
    assert_eq!(r.violations[0].images, ["busybox"]);
    assert_eq!(
        fields(&r),
        ["spec.initContainers[0].securityContext.privileged=true"]
    );
}

#[test]
fn capabilities_baseline() {
    let r = run("baseline", "  containers: [{name: app, securityContext: {capabilities: {add: [NET_ADMIN, CHOWN, SYS_TIME]}}}]\n");
    assert_eq!(checks(&r), ["capabilities_baseline"]);
    assert_eq!(r.violations[0].message, "container \"app\" must not include \"NET_ADMIN\", \"SYS_TIME\" in securityContext.capabilities.add");
    assert!(r.message.contains("spec.containers[0].securityContext.capabilities.add is forbidden, forbidden values found: [NET_ADMIN SYS_TIME]"), "{}", r.message);
    assert!(run("baseline", "  containers: [{name: app, securityContext: {capabilities: {add: [CHOWN, NET_BIND_SERVICE]}}}]\n").passed);
}

#[test]
fn host_path_volumes() {
    let r = run("baseline", "  containers: [{name: app}]\n  volumes: [{name: cfg, configMap: {name: c}}, {name: etc, hostPath: {path: /etc}}]\n");
    assert_eq!(checks(&r), ["hostPathVolumes"]);
    assert_eq!(r.violations[0].message, "volume \"etc\"");
    assert_eq!(fields(&r), ["spec.volumes[1].hostPath=/etc"]);
}

#[test]
fn host_ports() {
    let r = run("baseline", "  containers: [{name: app, ports: [{containerPort: 80}, {containerPort: 8080, hostPort: 8080}]}]\n");
    assert_eq!(checks(&r), ["hostPorts"]);
    assert_eq!(
        r.violations[0].message,
        "container \"app\" uses hostPort 8080"
    );
    assert_eq!(fields(&r), ["spec.containers[0].ports[1].hostPort=8080"]);
    assert!(
        run(
            "baseline",
            "  containers: [{name: app, ports: [{containerPort: 80, hostPort: 0}]}]\n"
        )
        .passed
    );
}

#[test]
fn app_armor_annotations_and_fields() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/app: unconfined\n    container.apparmor.security.beta.kubernetes.io/side: runtime/default\nspec:\n  containers: [{name: app}, {name: side}]\n";
    let r = policy("{level: baseline}").check(&yaml(pod)).expect("pod");
    assert_eq!(checks(&r), ["appArmorProfile"]);
    assert_eq!(r.violations[0].reason, "forbidden AppArmor profile");
    assert_eq!(
        fields(&r),
        ["metadata.annotations[container.apparmor.security.beta.kubernetes.io/app]=unconfined"]
    );
    let r = run("baseline", "  securityContext: {appArmorProfile: {type: Localhost, localhostProfile: x}}\n  containers: [{name: app, securityContext: {appArmorProfile: {type: Unconfined}}}]\n");
    assert_eq!(
        fields(&r),
        ["spec.containers[0].securityContext.appArmorProfile.type=Unconfined"]
    );
    assert_eq!(
        r.violations[0].message,
        "container \"app\" must not set AppArmor profile type to \"Unconfined\""
    );
}

#[test]
fn selinux_types_users_roles_and_versions() {
    let engine = "  containers: [{name: app, securityContext: {seLinuxOptions: {type: container_engine_t}}}]\n";
    assert!(run("baseline", engine).passed);
    assert_eq!(checks(&run("baseline:v1.30", engine)), ["seLinuxOptions"]);
    let r = run("baseline", "  securityContext: {seLinuxOptions: {type: spc_t, level: 's0:c1'}}\n  containers: [{name: app, securityContext: {seLinuxOptions: {user: sysadm_u, role: sysadm_r}}}]\n");
    assert_eq!(r.violations[0].control, "SELinux");
    assert_eq!(r.violations[0].message, "pod and container \"app\" set forbidden securityContext.seLinuxOptions: type \"spc_t\"; user may not be set; role may not be set");
    assert_eq!(fields(&r).len(), 3);
}

#[test]
fn proc_mount() {
    let r = run("baseline", "  containers: [{name: app, securityContext: {procMount: Unmasked}}, {name: b, securityContext: {procMount: Default}}]\n");
    assert_eq!(checks(&r), ["procMount"]);
    assert_eq!(r.violations[0].control, "/proc Mount Type");
    assert_eq!(
        fields(&r),
        ["spec.containers[0].securityContext.procMount=Unmasked"]
    );
}

#[test]
fn seccomp_baseline() {
    let r = run(
        "baseline",
        "  containers: [{name: app, securityContext: {seccompProfile: {type: Unconfined}}}]\n",
    );
    assert_eq!(checks(&r), ["seccompProfile_baseline"]);
    assert_eq!(r.violations[0].control, "Seccomp");
    assert!(run("baseline", "  containers: [{name: app}]\n").passed);
}

#[test]
fn sysctls_follow_the_version() {
    let keepalive = "  securityContext: {sysctls: [{name: kernel.shm_rmid_forced, value: '1'}, {name: net.ipv4.tcp_keepalive_time, value: '60'}]}\n  containers: [{name: app}]\n";
    assert!(run("baseline:v1.29", keepalive).passed);
    let r = run("baseline:v1.28", keepalive);
    assert_eq!(checks(&r), ["sysctls"]);
    assert_eq!(
        fields(&r),
        ["spec.securityContext.sysctls[1].name=net.ipv4.tcp_keepalive_time"]
    );
}

#[test]
fn volume_types() {
    let r = run("restricted", &format!("  containers:\n{GOOD}  volumes: [{{name: ebs, awsElasticBlockStore: {{volumeID: v}}}}, {{name: s, secret: {{secretName: s}}}}, {{name: bare}}]\n"));
    assert_eq!(checks(&r), ["restrictedVolumes"]);
    assert_eq!(r.violations[0].control, "Volume Types");
    assert_eq!(
        r.violations[0].message,
        "volume \"ebs\" uses restricted volume type \"awsElasticBlockStore\""
    );
    assert!(
        r.message
            .contains("[spec.volumes[0].awsElasticBlockStore: Forbidden]"),
        "{}",
        r.message
    );
    // Restricted runs the Baseline checks too, without PSA's overrides, as Kyverno does.
    let r = run(
        "restricted",
        &format!("  containers:\n{GOOD}  volumes: [{{name: h, hostPath: {{path: /}}}}]\n"),
    );
    assert_eq!(checks(&r), ["hostPathVolumes", "restrictedVolumes"]);
}

#[test]
fn privilege_escalation_and_the_kyverno_message() {
    let r = run("restricted", "  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}\n  containers:\n  - name: app\n    securityContext: {capabilities: {drop: [ALL]}}\n");
    assert_eq!(checks(&r), ["allowPrivilegeEscalation"]);
    let r = PodSecurity::parse(&yaml("{level: restricted, version: latest}"))
        .expect("policy")
        .with_rule_name("restricted")
        .check(&yaml("kind: Pod\nspec:\n  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}\n  containers: [{name: app, securityContext: {capabilities: {drop: [ALL]}}}]\n"))
        .expect("pod");
    assert_eq!(r.message, "Validation rule 'restricted' failed. It violates PodSecurity \"restricted:latest\": (Forbidden reason: allowPrivilegeEscalation != false, field error list: [spec.containers[0].securityContext.allowPrivilegeEscalation is forbidden, forbidden values found: nil])");
    let r = run("restricted", "  containers: [{name: app}]\n");
    assert!(
        r.message.contains(
            "spec.containers[0].securityContext.allowPrivilegeEscalation: Required value"
        ),
        "{}",
        r.message
    );
    let r = run("restricted", &good_with("allowPrivilegeEscalation: true"));
    assert_eq!(
        fields(&r),
        ["spec.containers[0].securityContext.allowPrivilegeEscalation=true"]
    );
}

#[test]
fn running_as_non_root() {
    let r = run("restricted", "  securityContext: {seccompProfile: {type: RuntimeDefault}}\n  containers:\n  - {name: a, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}\n  - {name: b, securityContext: {allowPrivilegeEscalation: false, runAsNonRoot: false, capabilities: {drop: [ALL]}}}\n");
    assert_eq!(checks(&r), ["runAsNonRoot"]);
    assert_eq!(r.violations[0].message, "container \"b\" must not set securityContext.runAsNonRoot=false\npod or container \"a\" must set securityContext.runAsNonRoot=true");
    assert_eq!(
        fields(&r),
        [
            "spec.containers[1].securityContext.runAsNonRoot=false",
            "spec.containers[0].securityContext.runAsNonRoot="
        ]
    );
    let pod_level = "  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}\n  containers: [{name: a, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}]\n";
    assert!(run("restricted", pod_level).passed);
}

#[test]
fn running_as_non_root_user_starts_at_1_23() {
    let spec = format!("  securityContext: {{runAsUser: 0}}\n  containers:\n{GOOD}");
    let r = run("restricted", &spec);
    assert_eq!(checks(&r), ["runAsUser"]);
    assert_eq!(r.violations[0].control, "Running as Non-root user");
    assert_eq!(r.violations[0].message, "pod must not set runAsUser=0");
    assert!(run("restricted:v1.22", &spec).passed);
}

#[test]
fn seccomp_restricted() {
    let r = run("restricted", "  containers:\n  - name: app\n    securityContext: {allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: {drop: [ALL]}}\n");
    assert_eq!(checks(&r), ["seccompProfile_restricted"]);
    assert_eq!(r.violations[0].message, "pod or container \"app\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"");
    let r = run(
        "restricted",
        &format!(
            "  containers:\n{}",
            GOOD.replace("RuntimeDefault", "Unconfined")
        ),
    );
    assert_eq!(
        checks(&r),
        ["seccompProfile_baseline", "seccompProfile_restricted"]
    );
}

#[test]
fn capabilities_restricted() {
    let r = run("restricted", "  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}\n  containers:\n  - {name: a, securityContext: {allowPrivilegeEscalation: false}}\n  - {name: b, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [NET_RAW], add: [NET_BIND_SERVICE, SYS_TIME]}}}\n");
    assert_eq!(
        checks(&r),
        ["capabilities_baseline", "capabilities_restricted"]
    );
    let v = &r.violations[1];
    assert_eq!(v.control, "Capabilities");
    assert_eq!(v.message, "containers \"a\", \"b\" must set securityContext.capabilities.drop=[\"ALL\"]; container \"b\" must not include \"SYS_TIME\" in securityContext.capabilities.add");
    assert_eq!(
        fields(&r)[1..],
        [
            "spec.containers[0].securityContext.capabilities.drop=",
            "spec.containers[1].securityContext.capabilities.drop=NET_RAW",
            "spec.containers[1].securityContext.capabilities.add=SYS_TIME"
        ]
    );
    // From v1.25 Windows pods are exempt from the Linux-only restricted checks.
    let windows = "  os: {name: windows}\n  securityContext: {runAsNonRoot: true}\n  containers: [{name: a}]\n";
    assert!(run("restricted", windows).passed);
    assert_eq!(
        checks(&run("restricted:v1.24", windows)),
        [
            "allowPrivilegeEscalation",
            "capabilities_restricted",
            "seccompProfile_restricted"
        ]
    );
}

#[test]
fn probe_hosts_from_1_34() {
    let spec =
        "  containers: [{name: app, livenessProbe: {httpGet: {host: 10.0.0.1, port: 80}}}]\n";
    let r = run("baseline", spec);
    assert_eq!(checks(&r), ["hostProbesAndHostLifecycle"]);
    assert_eq!(
        r.violations[0].message,
        "container \"app\" uses probe or lifecycle host \"10.0.0.1\""
    );
    assert!(r
        .message
        .contains("(Forbidden reason: probe or lifecycle host, field error list: [])"));
    assert!(run("baseline:v1.33", spec).passed);
}
