use super::util::with_sub;
use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF014",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "gem install without pinned versions",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Unpinned gems install the newest release: irreproducible builds and an open door for hijacked gems.",
            fix: "Pin versions (`gem install name:1.2.3` or `-v 1.2.3`).",
            bad_example: "RUN gem install bundler",
            good_example: "RUN gem install bundler:2.5.6",
        },
        related: &["DL3028"],
        partial: &[],
        compliance: &[],
        references: &["https://guides.rubygems.org/command-reference/#gem-install"],
    },
    check,
    fires: &["RUN gem install bundler", "RUN gem i bundler:1 nokogiri"],
    passes: &["RUN gem install bundler:1", "RUN gem install bundler -v '2.0.1'", "RUN gem install bundler:2.0.1 -- --use-system-libraries=true", "RUN gem install bundler:2.0.1 --use-system-libraries true"],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    ctx.runs()
        .filter(|(_, _, s)| {
            with_sub(s, &["gem"], &["install", "i"], &[]).any(|c| {
                if c.has_opt(&['v'], &["version"]) {
                    return false;
                }
                let mut prev_opt = false;
                let mut unpinned = false;
                for a in c
                    .args()
                    .iter()
                    .skip_while(|a| *a != "install" && *a != "i")
                    .skip(1)
                {
                    if a == "--" {
                        break;
                    }
                    if a.starts_with('-') {
                        prev_opt = !a.contains('=');
                        continue;
                    }
                    // A bare word after an option is that option's value (`--use-system-libraries true`).
                    let is_value = prev_opt && matches!(a.as_str(), "true" | "false");
                    prev_opt = false;
                    if !is_value && !a.contains(':') && !a.contains('$') {
                        unpinned = true;
                    }
                }
                unpinned
            })
        })
        .map(|(_, ins, _)| Hit::at(ins, "gem install of gems without a pinned version"))
        .collect()
}
