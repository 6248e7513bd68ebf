//! `palisade rules`: every rule family's metadata, listed or printed in full.

use crate::cli::{RulesArgs, RulesFormat};
use anyhow::{bail, Context, Result};
use palisade_core::RuleMeta;
use std::sync::OnceLock;

pub fn all() -> &'static [&'static RuleMeta] {
    static ALL: OnceLock<Vec<&'static RuleMeta>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut v: Vec<&'static RuleMeta> = Vec::new();
        v.extend(palisade_dockerfile::rules());
        v.extend(palisade_kube::rules());
        v.extend(palisade_secrets::rules());
        v
    })
}

pub fn lookup(id: &str) -> Option<&'static RuleMeta> {
    all().iter().copied().find(|r| r.id == id)
}

pub fn run(args: &RulesArgs) -> Result<i32> {
    if let Some(dir) = &args.docs {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        for r in all() {
            let p = dir.join(format!("{}.md", r.id));
            std::fs::write(&p, r.to_markdown())
                .with_context(|| format!("writing {}", p.display()))?;
        }
        println!("wrote {} rule pages to {}", all().len(), dir.display());
        return Ok(0);
    }
    if let Some(id) = &args.id {
        let hits: Vec<_> = all().iter().filter(|r| r.answers_to(id)).collect();
        if hits.is_empty() {
            bail!("no rule {id:?} (run `palisade rules` for the list)");
        }
        for r in hits {
            match args.format {
                RulesFormat::Json => println!("{}", serde_json::to_string_pretty(r)?),
                RulesFormat::Table => println!("{}", r.to_markdown()),
            }
        }
        return Ok(0);
    }
    match args.format {
        RulesFormat::Json => println!("{}", serde_json::to_string_pretty(all())?),
        RulesFormat::Table => {
            println!(
                "{:<28} {:<16} {:<9} {:<40} RELATED",
                "ID", "FAMILY", "SEVERITY", "TITLE"
            );
            for r in all() {
                println!(
                    "{:<28} {:<16} {:<9} {:<40} {}",
                    r.id,
                    r.family,
                    r.severity.as_str(),
                    r.title,
                    r.related.join(",")
                );
            }
            println!("\n{} rules", all().len());
        }
    }
    Ok(0)
}
