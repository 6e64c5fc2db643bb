//! Reading an extract in passes over its persons (issue 10): pass `p` of `P` keeps only the
//! rows of the person-level tables (episodes, municipal services, primary care) whose person id
//! hashes to `p`. Every row belongs to exactly one pass: a row without a person id cell (empty,
//! missing, unreadable) belongs to pass 0, and all rows of one person — exact duplicates too —
//! to the same pass. The persons, population and areas tables are read whole in every pass.
//!
//! [`LineRouter`] lets a caller that streams a file line by line drop the other passes' lines
//! before the reader sees them (replacing each by its line end, so line numbers stay); it
//! answers only for lines it can read without doubt and leaves the rest to the reader, whose
//! filter is the one that decides.

use super::aliases;
use super::row::{hash_str, FileCtx};
use super::MappingProfile;
use crate::model::TableKind;

/// Which rows one pass keeps ([`super::ReadOptions::pass`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowPass {
    /// This pass, `0..passes`.
    pub pass: u32,
    /// How many passes there are (1 = every row).
    pub passes: u32,
}

/// Whether rows of `kind` are split between passes (the tables with a row per event of a
/// person); the others are read whole in every pass.
pub fn split_by_person(kind: TableKind) -> bool {
    matches!(
        kind,
        TableKind::Episodes | TableKind::MunicipalServices | TableKind::PrimaryCare
    )
}

/// The pass of a row whose person id cell is `pid` (trimmed; `None` when absent or empty).
pub fn pass_of_pid(pid: Option<&str>, passes: u32) -> u32 {
    match pid {
        Some(p) if passes > 1 => (hash_str(p) % u64::from(passes)) as u32,
        _ => 0,
    }
}

/// The reader's filter for one file: the person id's file column and the pass.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PassFilter {
    /// 0-based file column of the person id (`None`: the file has none; every row is pass 0).
    pub pid_col: Option<usize>,
    /// The pass kept.
    pub pass: RowPass,
}

impl PassFilter {
    /// The filter for a file read with `ctx`, when the options ask for one and its table is
    /// split.
    pub(crate) fn of(ctx: &FileCtx, pass: Option<RowPass>) -> Option<PassFilter> {
        let pass = pass.filter(|p| p.passes > 1 && split_by_person(ctx.kind))?;
        Some(PassFilter {
            pid_col: pid_column(ctx),
            pass,
        })
    }

    /// Whether the record belongs to another pass (skipped: not read, counted or checked).
    pub(crate) fn skips(&self, rec: &super::source::Record) -> bool {
        let pid = self
            .pid_col
            .and_then(|c| rec.get(c))
            .map(str::trim)
            .filter(|s| !s.is_empty());
        pass_of_pid(pid, self.pass.passes) != self.pass.pass
    }
}

fn pid_column(ctx: &FileCtx) -> Option<usize> {
    let pid = aliases::columns(ctx.kind)
        .iter()
        .position(|c| c.name == "pid")?;
    ctx.cols.get(pid).copied().flatten()
}

/// Routes the data lines of a plain CSV file (UTF-8, no quote characters, `\n` or `\r\n` line
/// ends) to their pass, from the header line, without parsing the rows.
#[derive(Debug, Clone)]
pub struct LineRouter {
    delimiter: u8,
    pid_col: Option<usize>,
    passes: u32,
}

impl LineRouter {
    /// A router for a file of table `kind` whose first line is `header` (without its line
    /// end); `None` when the header holds a quote character or the table is not split.
    pub fn new(
        header: &str,
        kind: TableKind,
        mapping: &MappingProfile,
        passes: u32,
    ) -> Option<LineRouter> {
        if !split_by_person(kind) || header.contains('"') || header.trim().is_empty() {
            return None;
        }
        let delimiter = super::delimiter::detect_delimiter(header);
        let names: Vec<String> = header
            .split(char::from(delimiter))
            .map(|h| h.trim().to_string())
            .collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let matched = aliases::match_headers(kind, &refs, mapping);
        let ctx = FileCtx::new(
            std::sync::Arc::from(""),
            kind,
            names.clone(),
            &matched,
            mapping,
            None,
            None,
        );
        Some(LineRouter {
            delimiter,
            pid_col: pid_column(&ctx),
            passes,
        })
    }

    /// The pass of a data line (without its `\n`), or `None` when the line must go to every
    /// pass (it holds a quote or a byte the router does not read; the reader decides).
    pub fn pass_of(&self, line: &[u8]) -> Option<u32> {
        if line.contains(&b'"') {
            return None;
        }
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.contains(&b'\r') {
            return None;
        }
        let field = match self.pid_col {
            Some(c) => line.split(|&b| b == self.delimiter).nth(c),
            None => None,
        };
        let pid = match field {
            Some(f) => Some(std::str::from_utf8(f).ok()?.trim()),
            None => None,
        };
        Some(pass_of_pid(pid.filter(|s| !s.is_empty()), self.passes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_go_to_the_pass_of_their_person() {
        let r = LineRouter::new(
            "sektor;lopenr;inndato",
            TableKind::Episodes,
            &MappingProfile::default(),
            3,
        )
        .unwrap();
        let p = pass_of_pid(Some("p17"), 3);
        // The person id is the second field; spaces around it do not count.
        assert_eq!(r.pass_of(b"SOM;p17;2024-01-01"), Some(p));
        assert_eq!(r.pass_of(b"SOM; p17 ;2024-01-01\r"), Some(p));
        // No person id: pass 0; a quote: every pass.
        assert_eq!(r.pass_of(b"SOM;;2024-01-01"), Some(0));
        assert_eq!(r.pass_of(b"SOM"), Some(0));
        assert_eq!(r.pass_of(b"\"SOM\";p17;2024-01-01"), None);
        // Persons are not split; a quoted header is not routed.
        let m = MappingProfile::default();
        assert!(LineRouter::new("lopenr;alder", TableKind::Persons, &m, 3).is_none());
        assert!(LineRouter::new("\"lopenr\";dato", TableKind::PrimaryCare, &m, 3).is_none());
        // One pass: everything is pass 0.
        assert_eq!(pass_of_pid(Some("p17"), 1), 0);
        // The passes of many ids cover every pass.
        let mut seen = [false; 3];
        for i in 0..100 {
            seen[pass_of_pid(Some(&format!("p{i}")), 3) as usize] = true;
        }
        assert_eq!(seen, [true; 3]);
    }
}
