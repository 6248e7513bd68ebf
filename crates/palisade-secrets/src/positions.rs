//! Line and column arithmetic over one file, linear in the file whatever the number of hits.
//!
//! A file with a hundred thousand secrets on one line made per-hit scans back to the line
//! start (and per-hit newline counts from the file start) quadratic; here newlines are
//! indexed once and columns are counted in one sweep over sorted offsets.

/// Offsets of every newline of a file.
pub(crate) struct LineIndex<'a> {
    content: &'a [u8],
    newlines: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(content: &'a [u8]) -> Self {
        LineIndex {
            content,
            newlines: memchr::memchr_iter(b'\n', content).collect(),
        }
    }

    /// 0-based line number of byte offset `at`.
    fn line_of(&self, at: usize) -> usize {
        self.newlines.partition_point(|&n| n < at)
    }

    /// Start and end (exclusive, without the newline) of the line holding `at`.
    pub(crate) fn bounds(&self, at: usize) -> (usize, usize) {
        let at = at.min(self.content.len());
        let line = self.line_of(at);
        let start = match line {
            0 => 0,
            l => self.newlines[l - 1] + 1,
        };
        let end = self
            .newlines
            .get(line)
            .copied()
            .unwrap_or(self.content.len());
        (start, end)
    }

    /// 1-based line and character column of each offset, in one pass over the content.
    pub(crate) fn positions(&self, offsets: impl IntoIterator<Item = usize>) -> Positions {
        let mut sorted: Vec<usize> = offsets
            .into_iter()
            .map(|o| o.min(self.content.len()))
            .collect();
        sorted.sort_unstable();
        sorted.dedup();
        let mut out = Vec::with_capacity(sorted.len());
        let mut prev: Option<(usize, usize, u32)> = None;
        for at in sorted {
            let line = self.line_of(at);
            let (from, base) = match prev {
                Some((p_at, p_line, p_col)) if p_line == line => (p_at, p_col),
                _ => (self.bounds(at).0, 1),
            };
            let col = base + chars(&self.content[from..at]);
            out.push((at, line as u32 + 1, col));
            prev = Some((at, line, col));
        }
        Positions(out)
    }
}

/// Characters as a lossy UTF-8 decoding counts them, so columns match what is printed.
fn chars(bytes: &[u8]) -> u32 {
    String::from_utf8_lossy(bytes).chars().count() as u32
}

/// Line and column of the offsets given to [`LineIndex::positions`].
pub(crate) struct Positions(Vec<(usize, u32, u32)>);

impl Positions {
    pub(crate) fn get(&self, at: usize) -> (u32, u32) {
        match self.0.binary_search_by_key(&at, |p| p.0) {
            Ok(i) => (self.0[i].1, self.0[i].2),
            Err(_) => (1, 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    #[test]
    fn bounds_lines_and_columns() {
        let text = "ab\nc€d\n\nlast".as_bytes();
        let ix = LineIndex::new(text);
        assert_eq!(ix.bounds(0), (0, 2));
        assert_eq!(ix.bounds(2), (0, 2));
        assert_eq!(ix.bounds(3), (3, 8));
        assert_eq!(ix.bounds(9), (9, 9));
        assert_eq!(ix.bounds(100), (10, 14));
        let p = ix.positions([0, 3, 7, 1, 10, 13]);
        assert_eq!(p.get(0), (1, 1));
        assert_eq!(p.get(1), (1, 2));
        assert_eq!(p.get(3), (2, 1));
        // "c€" is two characters although four bytes.
        assert_eq!(p.get(7), (2, 3));
        assert_eq!(p.get(10), (4, 1));
        assert_eq!(p.get(13), (4, 4));
    }
}
