//! `palisade rules`: every rule family's metadata, listed or printed in full.

use crate::cli::{RulesArgs, RulesFormat};
use anyhow::{bail, Context, Result};
use palisade_engine::registry;
use std::io::Write;

pub fn run(args: &RulesArgs) -> Result<i32> {
    let all = registry::rules();
    let mut out = std::io::stdout().lock();
    if let Some(dir) = &args.docs {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        for r in all {
            let p = dir.join(format!("{}.md", r.id));
            std::fs::write(&p, r.to_markdown())
                .with_context(|| format!("writing {}", p.display()))?;
        }
        writeln!(out, "wrote {} rule pages to {}", all.len(), dir.display())?;
        return Ok(0);
    }
    if let Some(id) = &args.id {
        // Partially related IDs find a rule too: its page says how the two checks differ.
        let hits: Vec<_> = all.iter().filter(|r| r.mentions(id)).collect();
        if hits.is_empty() {
            bail!("no rule {id:?} (run `palisade rules` for the list)");
        }
        for r in hits {
            match args.format {
                RulesFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(r)?)?,
                RulesFormat::Table => writeln!(out, "{}", r.to_markdown())?,
            }
        }
        return Ok(0);
    }
    match args.format {
        RulesFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(all)?)?,
        RulesFormat::Table => out.write_all(palisade_report::rules_table(all).as_bytes())?,
    }
    Ok(0)
}
