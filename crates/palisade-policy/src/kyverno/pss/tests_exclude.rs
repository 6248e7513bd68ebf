//! Exclusions: by control name only (pod level), with images (container level), narrowed by
//! restricted field and values, and Kyverno's quirks kept on purpose.

use super::exclude::wildcard;
use super::tests::{check, checks, fields, policy, yaml, GOOD};

/// Restricted except for container `app` (image `nginx:1`) adding `add` capabilities, and
/// container `side` (image `busybox`) likewise.
fn two_adding(app_add: &str, side_add: &str) -> String {
    let c = |name: &str, image: &str, add: &str| {
        format!("  - name: {name}\n    image: {image}\n    securityContext:\n      allowPrivilegeEscalation: false\n      runAsNonRoot: true\n      seccompProfile: {{type: RuntimeDefault}}\n      capabilities: {{drop: [ALL], add: [{add}]}}\n")
    };
    format!(
        "  containers:\n{}{}",
        c("app", "nginx:1", app_add),
        c("side", "busybox", side_add)
    )
}

#[test]
fn control_name_only_excuses_pod_level_fields() {
    let p = policy("{level: restricted, exclude: [{controlName: Seccomp}]}");
    let pod_unconfined = format!(
        "  securityContext: {{seccompProfile: {{type: Unconfined}}}}\n  containers:\n{}",
        GOOD.replace("      seccompProfile: {type: RuntimeDefault}\n", "")
    );
    let r = check(&p, &pod_unconfined);
    assert!(r.passed, "{}", r.message);
    // A container-level Unconfined is not excused without images: the baseline check still
    // fails. (The restricted one is excused, as in Kyverno: its empty `fake` container lacks a
    // profile, which matches `spec.containers[*].securityContext.seccompProfile.type`.)
    let ctr_unconfined = format!(
        "  containers:\n{}",
        GOOD.replace("RuntimeDefault", "Unconfined")
    );
    let r = check(&p, &ctr_unconfined);
    assert_eq!(checks(&r), ["seccompProfile_baseline"]);
    let p = policy("{level: restricted, exclude: [{controlName: Seccomp, images: ['*']}]}");
    assert!(check(&p, &ctr_unconfined).passed);
}

#[test]
fn host_namespaces_restricted_field() {
    let p = policy("{level: baseline, exclude: [{controlName: Host Namespaces, restrictedField: spec.hostNetwork, values: ['true']}]}");
    assert!(check(&p, "  hostNetwork: true\n  containers: [{name: a}]\n").passed);
    let r = check(
        &p,
        "  hostNetwork: true\n  hostPID: true\n  containers: [{name: a}]\n",
    );
    assert_eq!(fields(&r), ["spec.hostPID=true"]);
}

#[test]
fn images_select_the_excused_containers() {
    let p =
        policy("{level: restricted, exclude: [{controlName: Capabilities, images: ['nginx*']}]}");
    assert!(check(&p, &two_adding("SYS_ADMIN", "NET_BIND_SERVICE")).passed);
    let r = check(&p, &two_adding("SYS_ADMIN", "SYS_ADMIN"));
    assert_eq!(
        checks(&r),
        ["capabilities_baseline", "capabilities_restricted"]
    );
    assert!(
        r.violations.iter().all(|v| v.images == ["busybox"]),
        "{:?}",
        r.violations
    );
    assert!(fields(&r).iter().all(|f| f.contains("containers[1]")));
}

#[test]
fn restricted_field_and_values_narrow_the_exclusion() {
    let add = "spec.containers[*].securityContext.capabilities.add";
    let p = policy(&format!("{{level: restricted, exclude: [{{controlName: Capabilities, images: ['*'], restrictedField: '{add}', values: [NET_ADMIN, 'SYS_*']}}]}}"));
    assert!(check(&p, &two_adding("NET_ADMIN", "SYS_TIME")).passed);
    // Every bad value of a field must be listed for the field to be excused.
    let r = check(&p, &two_adding("NET_ADMIN, NET_RAW", "SYS_TIME"));
    assert!(!r.passed);
    assert!(
        fields(&r).iter().all(|f| f
            .starts_with("spec.containers[0].securityContext.capabilities.add=NET_ADMIN,NET_RAW")),
        "{:?}",
        fields(&r)
    );
    // Another field of the same control stays forbidden.
    let no_drop = two_adding("NET_ADMIN", "NET_ADMIN").replacen("drop: [ALL], ", "", 1);
    let r = check(&p, &no_drop);
    assert_eq!(
        fields(&r),
        ["spec.containers[0].securityContext.capabilities.drop="]
    );
}

#[test]
fn sysctl_values() {
    let p = policy("{level: baseline, exclude: [{controlName: Sysctls, values: ['kernel.msg*']}]}");
    assert!(check(&p, "  securityContext: {sysctls: [{name: kernel.msgmax, value: '1'}]}\n  containers: [{name: a}]\n").passed);
    let r = check(&p, "  securityContext: {sysctls: [{name: kernel.msgmax, value: '1'}, {name: vm.swappiness, value: '1'}]}\n  containers: [{name: a}]\n");
    assert_eq!(
        fields(&r),
        ["spec.securityContext.sysctls[1].name=vm.swappiness"]
    );
}

#[test]
fn app_armor_annotations_are_pod_level() {
    let p = policy("{level: baseline, exclude: [{controlName: AppArmor}]}");
    let pod = yaml("kind: Pod\nmetadata:\n  annotations: {container.apparmor.security.beta.kubernetes.io/app: unconfined}\nspec: {containers: [{name: app}]}\n");
    assert!(p.check(&pod).expect("pod").passed);
}

#[test]
fn exclusions_apply_to_controller_templates() {
    let p =
        policy("{level: restricted, exclude: [{controlName: Capabilities, images: ['nginx*']}]}");
    let spec = two_adding("SYS_ADMIN", "NET_BIND_SERVICE").replace("\n  ", "\n        ");
    let dep = yaml(&format!(
        "kind: Deployment\nspec:\n  template:\n    spec:\n      {}",
        spec.trim_start()
    ));
    assert!(p.check(&dep).expect("template").passed);
}

/// Kyverno's pod-level exclusion re-evaluates a pod with one empty container, so a control
/// both pod and containers fail is excused for one container only. Kept to match Kyverno.
#[test]
fn pod_level_exclusion_excuses_one_container_like_kyverno() {
    let p = policy("{level: restricted, exclude: [{controlName: Running as Non-root}]}");
    let one = "  securityContext: {seccompProfile: {type: RuntimeDefault}}\n  containers:\n  - {name: a, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}\n";
    assert!(check(&p, one).passed);
    let two = format!("{one}  - {{name: b, securityContext: {{allowPrivilegeEscalation: false, capabilities: {{drop: [ALL]}}}}}}\n");
    assert_eq!(checks(&check(&p, &two)), ["runAsNonRoot"]);
}

#[test]
fn kyverno_wildcards() {
    assert!(wildcard("*", ""));
    assert!(wildcard("nginx*", "nginx:1.25"));
    assert!(!wildcard("nginx", "nginx:1.25"));
    assert!(wildcard("ghcr.io/*/app:?", "ghcr.io/a/b/app:1"));
    assert!(!wildcard("ghcr.io/*/app:?", "ghcr.io/a/app:12"));
    assert!(wildcard("*a*a*a*", "xaxaxax"));
    assert!(!wildcard("*a*a*a*b", &"a".repeat(2000)));
}
