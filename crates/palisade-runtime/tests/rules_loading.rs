//! Rules-file loading: diagnostics with file, item and line like `falco --validate`,
//! override/append errors, unknown fields, skip-if-unknown-filter, unused items.

use palisade_runtime::rules::{load_strs, Level, RuleSet};
use palisade_runtime::{FieldCatalog, K8sAudit};

fn load(files: &[(&str, &str)]) -> RuleSet {
    let cats: [&dyn FieldCatalog; 1] = [&K8sAudit];
    load_strs(files, &cats)
}

fn codes(set: &RuleSet, level: Level) -> Vec<String> {
    set.diagnostics
        .iter()
        .filter(|d| d.level == level)
        .map(|d| {
            format!(
                "{}:{}:{}",
                d.code,
                d.line,
                d.item.clone().unwrap_or_default()
            )
        })
        .collect()
}

const BASE: &str = "- macro: m\n  condition: ka.verb = get\n\n- rule: r\n  desc: d\n  condition: m and ka.user.name = x\n  output: o %ka.user.name\n  priority: NOTICE\n  source: k8s_audit\n";

#[test]
fn good_file_has_no_errors() {
    let set = load(&[("a.yaml", BASE)]);
    assert_eq!(set.errors(), 0, "{:?}", set.diagnostics);
    assert!(set.rules[0].evaluable());
}

#[test]
fn errors_carry_file_item_and_line() {
    let bad = "- rule: broken\n  desc: d\n  condition: ka.verb = \n  output: o\n  priority: NOTICE\n  source: k8s_audit\n\n- rule: unknown\n  desc: d\n  condition: ka.nope = 1\n  output: o\n  priority: NOTICE\n  source: k8s_audit\n\n- rule: badprio\n  desc: d\n  condition: ka.verb = get\n  output: o\n  priority: LOUD\n  source: k8s_audit\n\n- rule: nomacro\n  desc: d\n  condition: missing_macro\n  output: o\n  priority: INFO\n  source: k8s_audit\n";
    let set = load(&[("bad.yaml", bad)]);
    let errs = codes(&set, Level::Error);
    assert_eq!(
        errs,
        [
            "LOAD_ERR_YAML_VALIDATE:15:rule 'badprio'",
            "LOAD_ERR_COMPILE_CONDITION:3:rule 'broken'",
            "LOAD_ERR_COMPILE_CONDITION:10:rule 'unknown'",
            "LOAD_ERR_COMPILE_CONDITION:24:rule 'nomacro'",
        ]
    );
    let text = set.diagnostics[0].to_string();
    assert!(
        text.starts_with("bad.yaml:15:1: error: rule 'badprio': LOAD_ERR_YAML_VALIDATE"),
        "{text}"
    );
    let unknown = set
        .diagnostics
        .iter()
        .find(|d| d.message.contains("ka.nope"))
        .unwrap();
    assert!(unknown.message.contains("unknown fields"), "{unknown:?}");
}

#[test]
fn skip_if_unknown_filter_is_a_warning() {
    let f = "- rule: r\n  desc: d\n  condition: ka.nope = 1\n  output: o\n  priority: NOTICE\n  source: k8s_audit\n  skip-if-unknown-filter: true\n";
    let set = load(&[("a.yaml", f)]);
    assert_eq!(set.errors(), 0);
    assert_eq!(
        codes(&set, Level::Warning),
        ["LOAD_UNKNOWN_FILTER:3:rule 'r'"]
    );
    assert!(!set.rules[0].evaluable());
}

#[test]
fn append_and_override_need_an_existing_item() {
    let f = "- rule: ghost\n  condition: and x\n  append: true\n\n- list: l\n  items: [a]\n  override:\n    items: append\n\n- rule: r2\n  condition: a\n  append: true\n  override:\n    condition: append\n";
    let set = load(&[("a.yaml", f)]);
    let errs = codes(&set, Level::Error);
    assert_eq!(errs.len(), 3, "{errs:?}");
    assert!(errs[0].starts_with("LOAD_ERR_VALIDATE:1:rule 'ghost'"));
    assert!(errs[1].starts_with("LOAD_ERR_VALIDATE:5:list 'l'"));
    assert!(errs[2].starts_with("LOAD_ERR_YAML_VALIDATE:10:rule 'r2'"));
}

#[test]
fn later_files_replace_and_disable() {
    let second = "- macro: m\n  condition: ka.verb = list\n\n- rule: r\n  enabled: false\n";
    let set = load(&[("a.yaml", BASE), ("b.yaml", second)]);
    assert_eq!(set.errors(), 0);
    assert!(!set.rules[0].def.enabled);
    let expr = format!("{:?}", set.rules[0].expr);
    assert!(
        expr.contains("\"list\"") && !expr.contains("\"get\""),
        "{expr}"
    );
}

#[test]
fn unused_items_warn_and_engine_version_is_checked() {
    let f = "- required_engine_version: 0.99.0\n- list: unused\n  items: []\n- macro: lonely\n  condition: ka.verb = get\n";
    let set = load(&[("a.yaml", f)]);
    let errs = codes(&set, Level::Error);
    assert_eq!(errs.len(), 1);
    assert!(errs[0].starts_with("LOAD_ERR_VALIDATE:1"));
    let warns = codes(&set, Level::Warning);
    assert!(
        warns.contains(&"LOAD_UNUSED_MACRO:4:macro 'lonely'".to_string()),
        "{warns:?}"
    );
    assert!(
        warns.contains(&"LOAD_UNUSED_LIST:2:list 'unused'".to_string()),
        "{warns:?}"
    );
}

#[test]
fn hostile_rules_do_not_panic() {
    for text in [
        "",
        "{}",
        "- 5",
        "- rule: [1]\n",
        "- macro: a\n  condition: b\n- macro: b\n  condition: a\n- rule: r\n  desc: d\n  condition: a\n  output: o\n  priority: INFO\n  source: k8s_audit\n",
        "- list: a\n  items: [b]\n- list: b\n  items: [a]\n",
        "- rule: r\n  desc: d\n  condition: ka.verb in (\n  output: o\n  priority: INFO\n",
        ":\n:",
    ] {
        let _ = load(&[("h.yaml", text)]);
    }
    let deep = format!("- rule: r\n  desc: d\n  condition: '{}ka.verb = a{}'\n  output: o\n  priority: INFO\n  source: k8s_audit\n", "(".repeat(5000), ")".repeat(5000));
    assert!(load(&[("d.yaml", &deep)]).errors() > 0);
}

#[test]
fn syscall_rules_without_event_type_warn() {
    use palisade_runtime::Syscall;
    let cats: [&dyn FieldCatalog; 2] = [&K8sAudit, &Syscall];
    let f = "- rule: wide\n  desc: d\n  condition: proc.name = bash\n  output: o\n  priority: INFO\n\n- rule: quiet\n  desc: d\n  condition: proc.name = bash\n  output: o\n  priority: INFO\n  warn_evttypes: false\n\n- rule: narrow\n  desc: d\n  condition: evt.type = execve and proc.name = bash\n  output: o\n  priority: INFO\n";
    let set = load_strs(&[("s.yaml", f)], &cats);
    assert_eq!(set.errors(), 0);
    assert_eq!(
        codes(&set, Level::Warning),
        ["LOAD_NO_EVTTYPE:3:rule 'wide'"]
    );
}
