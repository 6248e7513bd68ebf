//! Packages against the store: look up (ecosystem, name), evaluate each affected entry,
//! merge advisories that alias each other, and turn what is left into findings.

use crate::ecosystem::{ecosystem_key, normalize_name};
use crate::osv::{Affected, OsvRecord};
use crate::range::evaluate;
use crate::severity::{better, choose, rate, record_rating, Rating};
use crate::{DbError, MatchOutcome, UnmatchedGroup};
use palisade_core::{
    osv_ecosystem, Ecosystem, Finding, FindingKind, Location, OsInfo, OsvEcosystem, Package,
    Severity, Unmatchable, VulnInfo,
};
use rusqlite::{Connection, OptionalExtension};
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::rc::Rc;

struct Hit {
    record: Rc<OsvRecord>,
    rating: Rating,
    fixed: Vec<String>,
}

/// What a package is looked up as: some distributions match on the source package.
struct Query<'e> {
    ecosystem: &'e OsvEcosystem,
    name: String,
    version: String,
    via_source: bool,
}

fn query_for<'e>(ecosystem: &'e OsvEcosystem, pkg: &Package) -> Query<'e> {
    if ecosystem.match_by_source {
        if let Some(src) = pkg.source_name.as_deref().filter(|s| !s.is_empty()) {
            return Query {
                name: src.to_string(),
                version: pkg
                    .source_version
                    .clone()
                    .filter(|v| !v.is_empty())
                    .unwrap_or_else(|| pkg.version.clone()),
                via_source: src != pkg.name,
                ecosystem,
            };
        }
    }
    Query {
        name: pkg.name.clone(),
        version: pkg.version.clone(),
        via_source: false,
        ecosystem,
    }
}

/// Prefer the ecosystem's own advisory as the reported ID; GHSA next; bare CVE records last.
fn id_rank(id: &str) -> u8 {
    if id.starts_with("CVE-") {
        2
    } else if id.starts_with("GHSA-") {
        1
    } else {
        0
    }
}

/// `(advisory_id, affected entry JSON)` for one (ecosystem, name).
type Rows = Vec<(String, String)>;

pub(crate) struct Matcher<'c> {
    conn: &'c Connection,
    path: &'c Path,
    rows: HashMap<(String, String), Rc<Rows>>,
    records: HashMap<String, Option<Rc<OsvRecord>>>,
}

impl<'c> Matcher<'c> {
    pub fn new(conn: &'c Connection, path: &'c Path) -> Self {
        Matcher {
            conn,
            path,
            rows: HashMap::new(),
            records: HashMap::new(),
        }
    }

    fn rows(&mut self, eco: &str, name: &str) -> Result<Rc<Rows>, DbError> {
        let key = (ecosystem_key(eco), normalize_name(eco, name));
        if let Some(r) = self.rows.get(&key) {
            return Ok(r.clone());
        }
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT advisory_id, entry FROM affected WHERE ecosystem = ?1 AND name = ?2",
            )
            .map_err(DbError::sql(self.path))?;
        let rows = stmt
            .query_map([&key.0, &key.1], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(DbError::sql(self.path))?
            .collect::<Result<Vec<(String, String)>, _>>()
            .map_err(DbError::sql(self.path))?;
        let rows = Rc::new(rows);
        self.rows.insert(key, rows.clone());
        Ok(rows)
    }

    /// Whether the database holds any advisory of `eco` (one indexed probe).
    fn has_ecosystem(&self, eco: &str) -> Result<bool, DbError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT 1 FROM affected WHERE ecosystem = ?1 LIMIT 1")
            .map_err(DbError::sql(self.path))?;
        stmt.exists([ecosystem_key(eco)])
            .map_err(DbError::sql(self.path))
    }

    fn record(&mut self, id: &str) -> Result<Option<Rc<OsvRecord>>, DbError> {
        if let Some(r) = self.records.get(id) {
            return Ok(r.clone());
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT record FROM advisories WHERE id = ?1")
            .map_err(DbError::sql(self.path))?;
        let json: Option<String> = stmt
            .query_row([id], |r| r.get(0))
            .optional()
            .map_err(DbError::sql(self.path))?;
        let rec = json
            .and_then(|j| serde_json::from_str::<OsvRecord>(&j).ok())
            .map(Rc::new);
        self.records.insert(id.to_string(), rec.clone());
        Ok(rec)
    }

    pub fn match_package(
        &mut self,
        ecosystem: &OsvEcosystem,
        pkg: &Package,
    ) -> Result<Vec<Finding>, DbError> {
        let q = query_for(ecosystem, pkg);
        let scheme = Some(ecosystem.scheme);
        let rows = self.rows(&ecosystem.name, &q.name)?;
        let mut hits: Vec<Hit> = Vec::new();
        for (id, entry_json) in rows.iter() {
            let Ok(entry) = serde_json::from_str::<Affected>(entry_json) else {
                continue;
            };
            let verdict = evaluate(&entry, scheme, &q.version);
            if !verdict.affected {
                continue;
            }
            let Some(record) = self.record(id)? else {
                continue;
            };
            let rating = rate(&record, &entry);
            if let Some(h) = hits.iter_mut().find(|h| h.record.id == *id) {
                // Several affected entries of one record for the same package.
                for f in verdict.fixed {
                    if !h.fixed.contains(&f) {
                        h.fixed.push(f);
                    }
                }
                continue;
            }
            hits.push(Hit {
                record,
                rating,
                fixed: verdict.fixed,
            });
        }
        let mut out = Vec::new();
        for group in merge_aliases(hits) {
            // Only an advisory without a vector of its own needs its aliases' records.
            let alias = if group.iter().any(|h| h.rating.score.is_some()) {
                None
            } else {
                self.alias_rating(&group)?
            };
            out.push(finding(pkg, &q, group, alias));
        }
        Ok(out)
    }

    /// The best rating among the database's records of the IDs a group names as aliases or
    /// upstream IDs but did not match itself: a PYSEC record without severity whose GHSA
    /// alias carries a CVSS vector, a distribution record whose CVE record has one.
    fn alias_rating(&mut self, group: &[Hit]) -> Result<Option<(String, Rating)>, DbError> {
        let own: BTreeSet<&str> = group.iter().map(|h| h.record.id.as_str()).collect();
        let names: BTreeSet<String> = group
            .iter()
            .flat_map(|h| h.record.aliases.iter().chain(h.record.upstream.iter()))
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty() && !own.contains(a.as_str()))
            .collect();
        let mut best: Option<(String, Rating)> = None;
        for id in names {
            let Some(rec) = self.record(&id)? else {
                continue;
            };
            let r = record_rating(&rec);
            if r.severity == Severity::Unknown {
                continue;
            }
            if best.as_ref().is_none_or(|(_, b)| better(&r, b)) {
                best = Some((id, r));
            }
        }
        Ok(best)
    }
}

/// Group hits whose ID/alias sets overlap (union-find over the names).
fn merge_aliases(hits: Vec<Hit>) -> Vec<Vec<Hit>> {
    let n = hits.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let mut owner: HashMap<String, usize> = HashMap::new();
    for (i, h) in hits.iter().enumerate() {
        let names = std::iter::once(&h.record.id)
            .chain(h.record.aliases.iter())
            .chain(h.record.upstream.iter().filter(|u| u.starts_with("CVE-")));
        for name in names {
            let key = name.trim().to_ascii_uppercase();
            match owner.get(&key) {
                Some(&j) => {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    if a != b {
                        parent[a] = b;
                    }
                }
                None => {
                    owner.insert(key, i);
                }
            }
        }
    }
    let mut groups: HashMap<usize, Vec<Hit>> = HashMap::new();
    for (i, h) in hits.into_iter().enumerate() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(h);
    }
    let mut out: Vec<Vec<Hit>> = groups.into_values().collect();
    for g in &mut out {
        g.sort_by(|a, b| {
            (id_rank(&a.record.id), &a.record.id).cmp(&(id_rank(&b.record.id), &b.record.id))
        });
    }
    out.sort_by(|a, b| a[0].record.id.cmp(&b[0].record.id));
    out
}

/// The ID a finding shows: the CVE when the advisory has one (what users search for and
/// what other scanners report), else the advisory's own ID. The CVE the primary record
/// names comes first; a bare CVE record's own ID is its CVE.
fn shown_id(group: &[Hit]) -> String {
    let cve = |h: &Hit| -> Option<String> {
        let mut cves: Vec<&String> = std::iter::once(&h.record.id)
            .chain(h.record.aliases.iter())
            .chain(h.record.upstream.iter())
            .filter(|a| a.starts_with("CVE-"))
            .collect();
        cves.sort();
        cves.first().map(|c| c.trim().to_string())
    };
    group
        .iter()
        .find_map(cve)
        .unwrap_or_else(|| group[0].record.id.clone())
}

fn finding(
    pkg: &Package,
    q: &Query,
    group: Vec<Hit>,
    alias_rating: Option<(String, Rating)>,
) -> Finding {
    let primary = &group[0];
    let rec = &primary.record;
    let shown = shown_id(&group);
    let mut aliases: BTreeSet<String> = BTreeSet::new();
    let mut fixed: Vec<String> = Vec::new();
    let mut references: Vec<String> = Vec::new();
    let mut own = primary.rating.clone();
    for h in &group {
        aliases.insert(h.record.id.clone());
        aliases.extend(h.record.aliases.iter().cloned());
        for f in &h.fixed {
            if !fixed.contains(f) {
                fixed.push(f.clone());
            }
        }
        for r in &h.record.references {
            if !r.url.is_empty() && !references.contains(&r.url) {
                references.push(r.url.clone());
            }
        }
        if better(&h.rating, &own) {
            own = h.rating.clone();
        }
    }
    let (best, severity_source) = choose(own, alias_rating);
    aliases.remove(&shown);
    let aliases: Vec<String> = aliases.into_iter().collect();
    let summary = rec
        .summary
        .clone()
        .filter(|s| !s.trim().is_empty())
        .or_else(|| {
            // The first line of prose, whole: reports clip for display, between words, and
            // the JSON keeps it all. A Markdown heading (`### Impact`) is not a title.
            rec.details
                .as_deref()
                .and_then(|d| {
                    d.lines()
                        .map(str::trim)
                        .find(|l| !l.is_empty() && !l.starts_with('#'))
                })
                .map(str::to_string)
        })
        .unwrap_or_else(|| rec.id.clone());
    let status = if fixed.is_empty() {
        "affected"
    } else {
        "fixed"
    };
    let mut message = format!("{} {} is affected by {shown}", pkg.name, pkg.version);
    if shown != rec.id {
        message.push_str(&format!(" ({})", rec.id));
    }
    if q.via_source {
        message.push_str(&format!(" through source package {} {}", q.name, q.version));
    }
    message.push_str(&format!(": {summary}."));
    match fixed.first() {
        Some(_) => message.push_str(&format!(" Fixed in {}.", fixed.join(", "))),
        None => message.push_str(" No fixed version is known."),
    }
    // One finding per (advisory, package), naming every file the package was found in.
    let mut locations = pkg.locations();
    let location = Location {
        purl: Some(pkg.purl.clone()).filter(|p| !p.is_empty()),
        ..locations.next().unwrap_or_default()
    };
    let other_locations: Vec<Location> = locations.collect();
    let mut f = Finding::new(
        shown.clone(),
        FindingKind::Vulnerability,
        best.severity,
        summary,
        message,
        location,
    );
    f.other_locations = other_locations;
    f.remediation = fixed
        .first()
        .map(|_| format!("Upgrade {} to {}", pkg.name, fixed.join(" or ")));
    f.references = references;
    f.vulnerability = Some(VulnInfo {
        package_name: pkg.name.clone(),
        installed_version: pkg.version.clone(),
        fixed_versions: fixed,
        status: status.to_string(),
        source_id: (shown != rec.id).then(|| rec.id.clone()),
        aliases,
        cvss_score: best.score,
        cvss_vector: best.vector,
        purl: Some(pkg.purl.clone()).filter(|p| !p.is_empty()),
        dependency_paths: Vec::new(),
    });
    f.extra
        .insert("osv_ecosystem".into(), q.ecosystem.name.clone().into());
    if q.via_source {
        f.extra
            .insert("source_package".into(), q.name.clone().into());
        f.extra
            .insert("source_version".into(), q.version.clone().into());
    }
    if let Some(id) = severity_source {
        // The rating is another record's: say whose, since the advisory itself has none.
        f.extra.insert("severity_source".into(), id.into());
    }
    if group.len() > 1 {
        let merged: Vec<serde_json::Value> =
            group.iter().map(|h| h.record.id.clone().into()).collect();
        f.extra.insert("merged_advisories".into(), merged.into());
    }
    f
}

pub(crate) fn match_all(
    conn: &Connection,
    path: &Path,
    os: Option<&OsInfo>,
    packages: &[Package],
) -> Result<MatchOutcome, DbError> {
    let mut ecosystems: HashMap<Ecosystem, Result<OsvEcosystem, Unmatchable>> = HashMap::new();
    let mut unmatched: BTreeMap<(Ecosystem, Unmatchable), usize> = BTreeMap::new();
    // One read transaction for the whole batch: SQLite otherwise takes and drops its file
    // lock (and revalidates its page cache) around every single lookup.
    conn.execute_batch("BEGIN").map_err(DbError::sql(path))?;
    let result = (|| {
        let mut m = Matcher::new(conn, path);
        let mut out = Vec::new();
        for pkg in packages {
            // The scanned application itself: an advisory for a registry package that
            // happens to share its name is about someone else's code.
            if pkg.relationship == palisade_core::Relationship::Root {
                continue;
            }
            let eco = match ecosystems.entry(pkg.ecosystem) {
                Entry::Occupied(known) => known.into_mut(),
                Entry::Vacant(slot) => slot.insert(match osv_ecosystem(pkg.ecosystem, os) {
                    Ok(e) if !m.has_ecosystem(&e.name)? => Err(Unmatchable::NotInDatabase(e.name)),
                    other => other,
                }),
            };
            match eco {
                Ok(e) => out.extend(m.match_package(e, pkg)?),
                Err(reason) => {
                    *unmatched
                        .entry((pkg.ecosystem, reason.clone()))
                        .or_default() += 1
                }
            }
        }
        Ok(out)
    })();
    let _ = conn.execute_batch("COMMIT");
    Ok(MatchOutcome {
        findings: result?,
        unmatched: unmatched
            .into_iter()
            .map(|((ecosystem, reason), count)| UnmatchedGroup {
                ecosystem,
                reason,
                count,
            })
            .collect(),
    })
}
