//! The values of a Berkeley DB hash database, as rpm < 4.16 stores its `Packages` (CentOS 7,
//! RHEL 7/8, Amazon Linux 2): one RPM header blob per record.
//!
//! Hand-written because no maintained crate reads Berkeley DB files without linking libdb,
//! and only a small, stable part of the format is needed: the metadata page (magic, byte
//! order, page size, last page), hash pages (type 13, or 2 for unsorted) whose item index
//! alternates key and value, and overflow pages (type 7) chained by `next_pgno` for values
//! that do not fit in a page. Everything is bounds-checked: a hostile file yields an error or
//! fewer records, never a panic or an unbounded allocation.
//!
//! The records of a real database do not share bytes, so all values together are never
//! larger than the file, and each overflow page belongs to one value. A crafted file can
//! point many items at one large overflow chain (or overlap items on a page); both rules are
//! enforced, which keeps memory and time linear in the file size.

const HASH_MAGIC: u32 = 0x0006_1561;
const PAGE_HEADER: usize = 26;
const P_HASH_UNSORTED: u8 = 2;
const P_OVERFLOW: u8 = 7;
const P_HASHMETA: u8 = 8;
const P_HASH: u8 = 13;
const H_KEYDATA: u8 = 1;
const H_OFFPAGE: u8 = 3;

struct Db<'a> {
    data: &'a [u8],
    page_size: usize,
    big_endian: bool,
    /// Value bytes that may still be copied out: starts at the file size.
    budget: usize,
    /// Overflow pages already read as part of some value.
    used_overflow: Vec<bool>,
}

impl<'a> Db<'a> {
    fn u16(&self, at: usize) -> Option<u16> {
        let b = self.data.get(at..at + 2)?;
        Some(if self.big_endian {
            u16::from_be_bytes([b[0], b[1]])
        } else {
            u16::from_le_bytes([b[0], b[1]])
        })
    }

    fn u32(&self, at: usize) -> Option<u32> {
        let b = self.data.get(at..at + 4)?;
        let b = [b[0], b[1], b[2], b[3]];
        Some(if self.big_endian {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    }

    fn page(&self, pgno: u32) -> Option<&'a [u8]> {
        let start = (pgno as usize).checked_mul(self.page_size)?;
        self.data.get(start..start.checked_add(self.page_size)?)
    }

    /// Takes `n` bytes from the budget of value bytes; false when they are not there.
    fn charge(&mut self, n: usize) -> bool {
        match self.budget.checked_sub(n) {
            Some(left) => {
                self.budget = left;
                true
            }
            None => false,
        }
    }

    /// A value stored on a chain of overflow pages; `None` when the chain is broken, loops,
    /// or uses a page another value already used.
    fn overflow(&mut self, mut pgno: u32, total: usize) -> Option<Vec<u8>> {
        if !self.charge(total) {
            return None;
        }
        let mut out = Vec::with_capacity(total);
        while pgno != 0 && out.len() < total {
            let seen = self.used_overflow.get_mut(pgno as usize)?;
            if *seen {
                return None;
            }
            *seen = true;
            let page = self.page(pgno)?;
            let base = pgno as usize * self.page_size;
            if page.get(25) != Some(&P_OVERFLOW) {
                return None;
            }
            let len = self.u16(base + 22)? as usize;
            let chunk = page.get(PAGE_HEADER..PAGE_HEADER.checked_add(len)?)?;
            if out.len() + chunk.len() > total {
                return None;
            }
            out.extend_from_slice(chunk);
            pgno = self.u32(base + 16)?;
        }
        (out.len() == total).then_some(out)
    }
}

/// Why a file is not a usable Berkeley DB hash database.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum BdbError {
    #[error("file too short for a Berkeley DB")]
    TooShort,
    #[error("not a Berkeley DB hash database (magic)")]
    NotHash,
    #[error("truncated metadata page")]
    TruncatedMeta,
    #[error("implausible page size {0}")]
    PageSize(usize),
    #[error("first page is not a hash metadata page")]
    NoMetaPage,
}

/// Every value of the database (keys are dropped). Errors only for a file that is not a
/// usable hash database; damaged records are skipped and counted in the second element.
pub(crate) fn hash_values(data: &[u8]) -> Result<(Vec<Vec<u8>>, usize), BdbError> {
    let magic = data.get(12..16).ok_or(BdbError::TooShort)?;
    let magic = [magic[0], magic[1], magic[2], magic[3]];
    let big_endian = if u32::from_le_bytes(magic) == HASH_MAGIC {
        false
    } else if u32::from_be_bytes(magic) == HASH_MAGIC {
        true
    } else {
        return Err(BdbError::NotHash);
    };
    let mut db = Db {
        data,
        page_size: 512,
        big_endian,
        budget: data.len(),
        used_overflow: Vec::new(),
    };
    let page_size = db.u32(20).ok_or(BdbError::TruncatedMeta)? as usize;
    if !(512..=65536).contains(&page_size) || !page_size.is_power_of_two() {
        return Err(BdbError::PageSize(page_size));
    }
    db.page_size = page_size;
    if data.get(25) != Some(&P_HASHMETA) {
        return Err(BdbError::NoMetaPage);
    }
    let last = db.u32(32).ok_or(BdbError::TruncatedMeta)?;
    let pages = (data.len() / page_size) as u32;
    db.used_overflow = vec![false; pages as usize];
    // The item index lives inside the page: more entries than fit there are a lie.
    let max_entries = (page_size - PAGE_HEADER) / 2;
    let mut values = Vec::new();
    let mut damaged = 0usize;
    for pgno in 1..=last.min(pages.saturating_sub(1)) {
        let Some(page) = db.page(pgno) else { break };
        if !matches!(page[25], P_HASH | P_HASH_UNSORTED) {
            continue;
        }
        let base = pgno as usize * page_size;
        let entries = (db.u16(base + 20).unwrap_or(0) as usize).min(max_entries);
        // Item offsets follow the header; items pair up as key, value.
        for i in (1..entries).step_by(2) {
            let Some(off) = db.u16(base + PAGE_HEADER + i * 2).map(usize::from) else {
                damaged += 1;
                continue;
            };
            let end = match db.u16(base + PAGE_HEADER + (i - 1) * 2) {
                // The key's item sits after the value's: items grow down from the page end.
                Some(key_off) if usize::from(key_off) > off => usize::from(key_off),
                _ => page_size,
            };
            let Some(item) = page.get(off..end) else {
                damaged += 1;
                continue;
            };
            match item.first() {
                Some(&H_OFFPAGE) => {
                    let (Some(next), Some(total)) =
                        (db.u32(base + off + 4), db.u32(base + off + 8))
                    else {
                        damaged += 1;
                        continue;
                    };
                    match db.overflow(next, total as usize) {
                        Some(v) => values.push(v),
                        None => damaged += 1,
                    }
                }
                Some(&H_KEYDATA) if db.charge(item.len() - 1) => values.push(item[1..].to_vec()),
                _ => damaged += 1,
            }
        }
    }
    Ok((values, damaged))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_inputs_are_errors_not_panics() {
        assert!(hash_values(b"").is_err());
        assert!(hash_values(&[0u8; 64]).is_err());
        // Right magic, absurd page size.
        let mut meta = vec![0u8; 512];
        meta[12..16].copy_from_slice(&HASH_MAGIC.to_le_bytes());
        meta[20..24].copy_from_slice(&3u32.to_le_bytes());
        assert!(hash_values(&meta).is_err());
        // Plausible metadata claiming pages that are not there: no records, no panic.
        meta[20..24].copy_from_slice(&512u32.to_le_bytes());
        meta[25] = P_HASHMETA;
        meta[32..36].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(hash_values(&meta).unwrap().0.len(), 0);
        // A hash page whose item offsets point anywhere, and an overflow chain looping on
        // itself.
        let mut db = meta.clone();
        let mut page = vec![0u8; 512];
        page[25] = P_HASH;
        page[20..22].copy_from_slice(&2u16.to_le_bytes());
        page[26..28].copy_from_slice(&500u16.to_le_bytes());
        page[28..30].copy_from_slice(&400u16.to_le_bytes());
        page[400] = H_OFFPAGE;
        page[404..408].copy_from_slice(&1u32.to_le_bytes()); // points at itself
        page[408..412].copy_from_slice(&1_000_000u32.to_le_bytes());
        db.extend_from_slice(&page);
        db[32..36].copy_from_slice(&1u32.to_le_bytes());
        let (values, damaged) = hash_values(&db).unwrap();
        assert!(values.is_empty());
        assert_eq!(damaged, 1);
    }

    /// A hash page of `n` items that all point at one overflow chain covering the rest of
    /// the file.
    fn shared_chain_db(items: usize, chain_pages: u32) -> Vec<u8> {
        let ps = 4096usize;
        let mut db = vec![0u8; ps];
        db[12..16].copy_from_slice(&HASH_MAGIC.to_le_bytes());
        db[20..24].copy_from_slice(&(ps as u32).to_le_bytes());
        db[25] = P_HASHMETA;
        db[32..36].copy_from_slice(&(1 + chain_pages).to_le_bytes());
        let mut page = vec![0u8; ps];
        page[25] = P_HASH;
        page[20..22].copy_from_slice(&((items * 2) as u16).to_le_bytes());
        let item_at = ps - 12;
        page[item_at] = H_OFFPAGE;
        page[item_at + 4..item_at + 8].copy_from_slice(&2u32.to_le_bytes());
        let chunk = ps - PAGE_HEADER;
        let total = chunk as u32 * chain_pages;
        page[item_at + 8..item_at + 12].copy_from_slice(&total.to_le_bytes());
        for i in 0..items * 2 {
            let at = PAGE_HEADER + i * 2;
            page[at..at + 2].copy_from_slice(&(item_at as u16).to_le_bytes());
        }
        db.extend_from_slice(&page);
        for n in 0..chain_pages {
            let mut p = vec![0u8; ps];
            p[25] = P_OVERFLOW;
            p[22..24].copy_from_slice(&(chunk as u16).to_le_bytes());
            let next = if n + 1 == chain_pages { 0 } else { 3 + n };
            p[16..20].copy_from_slice(&next.to_le_bytes());
            db.extend_from_slice(&p);
        }
        db
    }

    /// Items sharing one overflow chain used to copy it once each: 1,000 items over a 4 MiB
    /// chain asked for 4 GiB. Now the chain is read once and the rest count as damaged.
    #[test]
    fn values_never_add_up_to_more_than_the_file() {
        let db = shared_chain_db(1000, 1024);
        let (values, damaged) = hash_values(&db).unwrap();
        let bytes: usize = values.iter().map(Vec::len).sum();
        assert!(
            bytes <= db.len(),
            "{bytes} value bytes from a {}-byte file",
            db.len()
        );
        assert_eq!(values.len(), 1);
        assert_eq!(damaged, 999);
    }
}
