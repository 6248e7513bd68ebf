//! Dockerfiles written to make the scanner slow: every lookup must stay linear.

use std::sync::mpsc;
use std::time::Duration;

/// Runs `f` on a thread and fails when it has not finished within a generous bound: the
/// quadratic stage lookup took more than 120 s on 200,000 stages, the linear one a second.
fn within_a_minute<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(60))
        .expect("scan did not finish within 60 s: quadratic again?")
}

#[test]
fn two_hundred_thousand_named_stages_scan_in_linear_time() {
    let n = 200_000;
    let mut text = String::with_capacity(n * 48);
    for i in 0..n {
        text.push_str(&format!("FROM alpine:3.20 AS s{i}\n"));
        if i > 0 {
            text.push_str(&format!("COPY --from=s{} /a /a\n", i - 1));
        }
    }
    let scan = within_a_minute(move || palisade_dockerfile::scan_dockerfile("Dockerfile", &text));
    // No stage names a user: the final stage is still found and checked.
    let ids: Vec<&str> = scan.findings.iter().map(|f| f.rule_id.as_str()).collect();
    assert!(ids.contains(&"DF005"), "{:?}", &ids[..ids.len().min(5)]);
}

/// Shapes that were quadratic (an `ARG` table scanned per lookup, a rule that searched every
/// `RUN` for each `RUN`, another that looked for a later removal per install) or that made
/// memory grow with the findings (five per line on 100,000 lines).
#[test]
fn big_dockerfiles_of_every_shape_stay_linear_and_capped() {
    let n = 100_000;
    let lines = |f: &dyn Fn(usize) -> String| (0..n).map(f).collect::<Vec<_>>().join("\n");
    let shapes = [
        format!(
            "{}\nFROM debian:${{A1}}\n{}\n",
            lines(&|i| format!("ARG A{i}=1")),
            lines(&|i| format!("ARG A{i}"))
        ),
        format!(
            "FROM debian:12\n{}\n",
            lines(&|i| format!("ONBUILD RUN echo {i} | tee /x"))
        ),
        format!(
            "FROM debian:12\n{}\nRUN apt-get purge -y gcc\n",
            lines(&|i| format!("RUN apt-get install -y gcc pkg{i} && curl http://x/{i} | sh"))
        ),
    ];
    for text in shapes {
        let scan =
            within_a_minute(move || palisade_dockerfile::scan_dockerfile("Dockerfile", &text));
        assert!(scan.findings.len() <= palisade_dockerfile::MAX_FINDINGS_PER_FILE);
        assert_eq!(
            scan.dropped > 0,
            scan.findings.len() == palisade_dockerfile::MAX_FINDINGS_PER_FILE
        );
    }
}
