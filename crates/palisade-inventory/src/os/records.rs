//! Records of the line-based package databases (dpkg `status`, apk `installed`): blocks of
//! lines separated by blank lines. They are split as bytes, not as text, so that a record with
//! invalid UTF-8 or junk in it spoils that record alone and the others are still read.

/// One record: its 1-based number and first line (for warnings), and its lines without
/// their line endings.
pub(crate) struct Record<'a> {
    pub number: usize,
    pub line: usize,
    pub lines: Vec<&'a [u8]>,
}

impl Record<'_> {
    /// Where the record is, for a warning: `record 3 (line 17)`.
    pub fn position(&self) -> String {
        format!("record {} (line {})", self.number, self.line)
    }
}

/// The records of `data` in order; runs of blank lines separate them.
pub(crate) fn records(data: &[u8]) -> Records<'_> {
    Records {
        rest: data,
        line: 0,
        number: 0,
    }
}

pub(crate) struct Records<'a> {
    rest: &'a [u8],
    /// Lines consumed so far.
    line: usize,
    number: usize,
}

impl<'a> Records<'a> {
    fn next_line(&mut self) -> Option<&'a [u8]> {
        if self.rest.is_empty() {
            return None;
        }
        let (line, rest) = match self.rest.iter().position(|&b| b == b'\n') {
            Some(i) => (&self.rest[..i], &self.rest[i + 1..]),
            None => (self.rest, &[][..]),
        };
        self.rest = rest;
        self.line += 1;
        Some(line.strip_suffix(b"\r").unwrap_or(line))
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = Record<'a>;

    fn next(&mut self) -> Option<Record<'a>> {
        let mut lines = Vec::new();
        let mut start = 0;
        while let Some(line) = self.next_line() {
            if line.trim_ascii().is_empty() {
                if lines.is_empty() {
                    continue;
                }
                break;
            }
            if lines.is_empty() {
                start = self.line;
            }
            lines.push(line);
        }
        if lines.is_empty() {
            return None;
        }
        self.number += 1;
        Some(Record {
            number: self.number,
            line: start,
            lines,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_blank_lines_and_counts_lines() {
        let got: Vec<(usize, usize, usize)> = records(b"\n\na: 1\r\nb: 2\n \n\nc\xff\n\t\n")
            .map(|r| (r.number, r.line, r.lines.len()))
            .collect();
        assert_eq!(got, vec![(1, 3, 2), (2, 7, 1)]);
        assert_eq!(records(b"").count(), 0);
        assert_eq!(records(b"x").next().unwrap().lines, vec![&b"x"[..]]);
    }
}
