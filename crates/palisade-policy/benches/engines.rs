//! Each Gatekeeper library template that applies to Pods, bound alone with its first sample
//! constraint, timed on GKE's Pod create (from the corpus) on regorus' bytecode VM and on its
//! interpreter: the figures behind the choice of engine per template (docs/benchmarks.md).
//! Prints one line per template (median of single reviews, both engines, interleaved so
//! machine noise falls on both). Needs `../shared/corpus` (or `PALISADE_CORPUS`); skipped
//! without it. `cargo bench -p palisade-policy --bench engines [-- FILTER]`.
use palisade_policy::gatekeeper::points;
use palisade_policy::{Inventory, Options, PolicySet, Review, Sources};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const ROUNDS: usize = 400;

/// Template directories of the library whose first sample constraint matches Pods.
fn pod_templates(lib: &Path) -> Vec<(PathBuf, PathBuf)> {
    let mut out = Vec::new();
    for group in ["general", "pod-security-policy"] {
        let Ok(dirs) = std::fs::read_dir(lib.join(group)) else {
            continue;
        };
        let mut dirs: Vec<PathBuf> = dirs.filter_map(|e| e.ok().map(|e| e.path())).collect();
        dirs.sort();
        for dir in dirs {
            let Ok(samples) = std::fs::read_dir(dir.join("samples")) else {
                continue;
            };
            let mut samples: Vec<PathBuf> =
                samples.filter_map(|e| e.ok().map(|e| e.path())).collect();
            samples.sort();
            let constraint = samples.iter().map(|s| s.join("constraint.yaml")).find(|c| {
                std::fs::read_to_string(c)
                    .is_ok_and(|t| t.contains("kinds: [\"Pod\"]") || t.contains("- Pod"))
            });
            if let (true, Some(c)) = (dir.join("template.yaml").is_file(), constraint) {
                out.push((dir.join("template.yaml"), c));
            }
        }
    }
    out
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

fn main() {
    let Some(corpus) = palisade_testkit::shared_corpus() else {
        eprintln!("engines bench skipped: no corpus (set PALISADE_CORPUS)");
        return;
    };
    // `cargo bench` passes `--bench`; a bare word filters templates by name.
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    let text = std::fs::read_to_string(
        corpus.join("policy/admission/kube-rs/admission_review_v1_pod_create.json"),
    )
    .expect("AdmissionReview");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let review = Review::from_document(&doc).expect("valid review");
    let inventory = Inventory::default();
    println!("template\tvm_us\tinterpreter_us\tviolations");
    let (mut vm_total, mut int_total) = (Duration::ZERO, Duration::ZERO);
    for (template, constraint) in pod_templates(&corpus.join("policy/gatekeeper-library/library")) {
        let name = template
            .parent()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if filter.as_ref().is_some_and(|f| !name.contains(f.as_str())) {
            continue;
        }
        let sources = Sources::load(&[&template, &constraint]).expect("template loads");
        let set = PolicySet::from_sources(sources, Options::default()).expect("compiles");
        let gk = set.gatekeeper();
        let (vm, int) = (
            gk.bind(&inventory).expect("binds"),
            gk.bind_interpreted(&inventory).expect("binds"),
        );
        let on_vm = vm.templates_on_vm() > 0;
        let (mut tv, mut ti) = (Vec::new(), Vec::new());
        let mut violations = 0;
        for _ in 0..ROUNDS {
            for (bound, times) in [(&vm, &mut tv), (&int, &mut ti)] {
                let start = Instant::now();
                let v = bound
                    .review(&review, points::VALIDATION)
                    .expect("evaluates");
                times.push(start.elapsed());
                violations = v.len();
            }
        }
        let (mv, mi) = (median(&mut tv), median(&mut ti));
        vm_total += mv;
        int_total += mi;
        if mv < Duration::from_micros(2) && mi < Duration::from_micros(2) {
            println!("{name}\t-\t-\tno match (the sample constraint does not select this Pod)");
            continue;
        }
        let vm_text = if on_vm {
            format!("{}", mv.as_micros())
        } else {
            "-".into()
        };
        println!("{name}\t{vm_text}\t{}\t{violations}", mi.as_micros());
    }
    println!("total\t{}\t{}", vm_total.as_micros(), int_total.as_micros());
}
