//! Gatekeeper templates run on regorus' bytecode VM; the interpreter is the reference. Every
//! template and sample constraint of the shared corpus's Gatekeeper library, over every
//! example object of the library and the captured GKE Pod CREATE, must give the same
//! violations both ways. Skipped when the corpus is absent.

use palisade_policy::gatekeeper::points;
use palisade_policy::{Inventory, Options, PolicySet, Review, Sources};
use serde::Deserialize;
use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    let p = PathBuf::from("/work/shared/corpus/policy");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("SKIPPED: /work/shared/corpus/policy is absent");
        None
    }
}

fn example_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            example_files(&p, out);
        } else if p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("example_") && n.ends_with(".yaml"))
        {
            out.push(p);
        }
    }
}

#[test]
fn the_vm_gives_the_interpreters_violations() {
    let Some(corpus) = corpus() else { return };
    let library = corpus.join("gatekeeper-library/library");
    let sources = Sources::load(std::slice::from_ref(&library)).expect("library loads");
    let set = PolicySet::from_sources(sources, Options::default()).expect("library compiles");
    let inventory = Inventory::default();
    let vm = set.gatekeeper().bind(&inventory).expect("binds");
    let reference = set
        .gatekeeper()
        .bind_interpreted(&inventory)
        .expect("binds");
    let templates = set.gatekeeper().templates().len();
    let on_vm = vm.templates_on_vm();
    assert_eq!(reference.templates_on_vm(), 0);
    // Those needing the sprintf extension, and any the VM cannot compile, stay interpreted.
    assert!(
        on_vm * 10 >= templates * 9,
        "{on_vm} of {templates} on the VM"
    );

    let mut reviews = Vec::new();
    let gke = std::fs::read_to_string(
        corpus.join("admission/kube-rs/admission_review_v1_pod_create.json"),
    )
    .expect("GKE review");
    let doc: serde_json::Value = serde_json::from_str(&gke).expect("JSON");
    reviews.push((
        "GKE Pod CREATE".to_string(),
        Review::from_document(&doc).expect("review"),
    ));
    let mut files = Vec::new();
    example_files(&library, &mut files);
    files.sort();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("example");
        for (i, d) in serde_yaml::Deserializer::from_str(&text).enumerate() {
            let Ok(obj) = serde_json::Value::deserialize(d) else {
                continue;
            };
            if obj.get("kind").is_some() {
                reviews.push((format!("{}#{i}", f.display()), Review::from_object(obj)));
            }
        }
    }
    assert!(reviews.len() > 100, "{} reviews", reviews.len());
    let mut differences = Vec::new();
    let mut violations = 0;
    for (name, review) in &reviews {
        let msgs = |b: &palisade_policy::gatekeeper::Bound| {
            let mut m: Vec<String> = b
                .review(review, points::GATOR)
                .map(|vs| {
                    vs.into_iter()
                        .map(|v| format!("{}/{}: {}", v.constraint_kind, v.constraint_name, v.msg))
                        .collect()
                })
                .unwrap_or_else(|e| vec![format!("error: {e}")]);
            m.sort();
            m
        };
        let (got, want) = (msgs(&vm), msgs(&reference));
        violations += want.len();
        if got != want {
            differences.push(format!(
                "{name}:\n  vm:          {got:?}\n  interpreter: {want:?}"
            ));
        }
    }
    assert!(violations > 100, "{violations} violations");
    eprintln!(
        "{} reviews, {violations} violations, {on_vm} of {templates} templates on the VM: identical",
        reviews.len()
    );
    assert!(
        differences.is_empty(),
        "{} of {} reviews differ:\n{}",
        differences.len(),
        reviews.len(),
        differences.join("\n")
    );
}
