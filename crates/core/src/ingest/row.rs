//! Stage 2 machinery shared by every table: the loop over records with row accounting, exact
//! duplicate detection and progress, and [`RowCx`], which reads one record's cells into typed
//! values or issues.
//!
//! Rule of one rejection: a row collects at most one rejecting issue, the one in the leftmost
//! column of the file (a column the file lacks counts as rightmost). Warnings of a rejected row
//! are dropped with it: a rejected row carries exactly one issue.

use super::source::{Next, Rows};
use super::values::{self, DateError, MunicipalityError};
use super::{Cancelled, LoadProgress, MappingProfile};
use crate::model::{Municipality, TableKind};
use crate::quality::{clip, Column, FileReport, Issue, IssueKind, Location, Severity};
use crate::text::Text;
use chrono::{Datelike, NaiveDate, NaiveTime};
use csv::StringRecord;
use rustc_hash::FxHasher;
use std::collections::HashMap;
use std::hash::Hasher;
use std::sync::Arc;

/// How often progress is reported, in rows.
pub(crate) const PROGRESS_EVERY: u64 = 50_000;

/// HashMap with rustc-hash's Fx hasher (fast, non-cryptographic) for pids and record hashes;
/// exactness never depends on it (hits are compared).
pub(crate) type FxMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// Hash of a string with the Fx hasher.
pub(crate) fn hash_str(s: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(s.as_bytes());
    h.write_u64(s.len() as u64);
    h.finish()
}

fn hash_record(rec: &StringRecord) -> u64 {
    let mut h = FxHasher::default();
    h.write(rec.as_slice().as_bytes());
    for f in rec.iter() {
        h.write_u64(f.len() as u64);
    }
    h.finish()
}

fn same_fields(a: &StringRecord, b: &StringRecord) -> bool {
    a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x == y)
}

/// Raw value → canonical code, keys in lower case (from [`MappingProfile::values`]).
pub(crate) type ValueMap = HashMap<String, String>;

/// What is known about one file before its rows are read.
pub(crate) struct FileCtx {
    /// File name for locations.
    pub file: Arc<str>,
    /// Table kind.
    pub kind: TableKind,
    /// The headers as written.
    pub names: Vec<String>,
    /// Canonical column index → 0-based file column.
    pub cols: Vec<Option<usize>>,
    /// Canonical column index → the user's value mapping for it.
    pub values: Vec<Option<ValueMap>>,
    /// Century rule for `DD.MM.YY`.
    pub pivot: Option<u8>,
    /// The analysis year, for `date_far_in_future` and `born_after_year`.
    pub year: Option<i32>,
}

impl FileCtx {
    /// Builds the context from the header cells and the matching of them.
    pub(crate) fn new(
        file: Arc<str>,
        kind: TableKind,
        names: Vec<String>,
        matched: &[Option<usize>],
        mapping: &MappingProfile,
        pivot: Option<u8>,
        year: Option<i32>,
    ) -> FileCtx {
        let defs = super::aliases::columns(kind);
        let mut cols = vec![None; defs.len()];
        for (file_col, canon) in matched.iter().enumerate() {
            if let Some(c) = canon {
                if let Some(slot) = cols.get_mut(*c) {
                    *slot = Some(file_col);
                }
            }
        }
        let values = defs
            .iter()
            .map(|d| {
                let key = format!("{}.{}", kind.canonical_name(), d.name);
                mapping.values.get(&key).map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.trim().to_lowercase(), v.clone()))
                        .collect()
                })
            })
            .collect();
        FileCtx {
            file,
            kind,
            names,
            cols,
            values,
            pivot,
            year,
        }
    }
}

/// Running position in the whole load, for progress reports.
pub(crate) struct Progress<'f> {
    /// The caller's callback; `false` = cancel.
    pub callback: &'f mut dyn FnMut(LoadProgress) -> bool,
    /// Bytes of earlier files.
    pub bytes_before: u64,
    /// Bytes of all files.
    pub bytes_total: u64,
}

/// Reads every record of a file: accounting, duplicates, progress. `parse` reads one record and
/// keeps the row itself, returning `true`; or leaves a rejection in the [`RowCx`] and returns
/// `false`.
pub(crate) fn read_rows(
    rows: &mut Rows<'_>,
    ctx: &FileCtx,
    report: &mut FileReport,
    progress: &mut Progress<'_>,
    file_bytes: u64,
    mut parse: impl FnMut(&mut RowCx<'_>) -> bool,
) -> Result<(), Cancelled> {
    let mut rec = StringRecord::new();
    // Sized for a guess of the row count (records are rarely shorter than 32 bytes), so the
    // map is not rehashed over and over on big files.
    let mut seen: FxMap<u64, u64> = FxMap::default();
    seen.reserve(usize::try_from(file_bytes / 32).unwrap_or(0).min(1 << 24));
    // Keys of records whose hash collided with a different earlier record (rare).
    let mut collided: FxMap<u64, Vec<u64>> = FxMap::default();
    let mut warnings: Vec<Issue> = Vec::new();
    let mut rows_done = 0u64;
    loop {
        let pos = match rows.next_record(&mut rec) {
            Next::End => break,
            Next::Malformed(pos) => {
                report.rows_read += 1;
                report.rows_rejected += 1;
                report.record(malformed_row(ctx, pos.line));
                continue;
            }
            Next::Unclosed(pos, lines) => {
                report.rows_read += 1;
                report.rows_rejected += 1;
                report.record(Issue {
                    kind: IssueKind::UnclosedQuote { lines },
                    ..malformed_row(ctx, pos.line)
                });
                continue;
            }
            Next::Record(pos) => pos,
        };
        report.rows_read += 1;
        rows_done += 1;
        warnings.clear();
        if rec.len() != ctx.names.len() {
            warnings.push(Issue {
                location: Location {
                    file: ctx.file.clone(),
                    line: pos.line,
                    column: None,
                },
                kind: IssueKind::RaggedRow {
                    expected: ctx.names.len(),
                    found: rec.len(),
                },
                severity: Severity::Warning,
            });
        }

        // Exact duplicates: hash, then compare the fields on a hit.
        let h = hash_record(&rec);
        let duplicate = match seen.get(&h) {
            None => {
                seen.insert(h, pos.key);
                false
            }
            Some(&first) => {
                let earlier =
                    std::iter::once(first).chain(collided.get(&h).into_iter().flatten().copied());
                let mut dup = false;
                for key in earlier {
                    if rows.fetch(key).is_some_and(|e| same_fields(&e, &rec)) {
                        dup = true;
                        break;
                    }
                }
                if !dup {
                    collided.entry(h).or_default().push(pos.key);
                }
                dup
            }
        };
        if duplicate {
            warnings.push(Issue {
                location: Location {
                    file: ctx.file.clone(),
                    line: pos.line,
                    column: None,
                },
                kind: IssueKind::DuplicateRow,
                severity: Severity::Warning,
            });
        }

        let mut cx = RowCx {
            rec: &rec,
            line: pos.line,
            ctx,
            reject: None,
            warnings: &mut warnings,
        };
        let kept = parse(&mut cx);
        let rejected = cx.reject.take();
        match (kept, rejected) {
            (true, _) => {
                // Parsers keep a row only when nothing rejected it.
                report.rows_used += 1;
                for w in warnings.drain(..) {
                    report.record(w);
                }
            }
            (false, Some((_, issue))) => {
                report.rows_rejected += 1;
                report.record(issue);
            }
            (false, None) => {
                // Every parse path that returns no row leaves a rejection; this keeps the
                // accounting invariant even if one did not.
                report.rows_rejected += 1;
                report.record(malformed_row(ctx, pos.line));
            }
        }

        if rows_done.is_multiple_of(PROGRESS_EVERY) {
            let done = progress.bytes_before + pos.bytes.min(file_bytes);
            let go_on = (progress.callback)(LoadProgress {
                file: ctx.file.to_string(),
                rows_done,
                bytes_done: done.min(progress.bytes_total),
                bytes_total: progress.bytes_total,
            });
            if !go_on {
                return Err(Cancelled);
            }
        }
    }
    Ok(())
}

/// One record being read into a typed row.
pub(crate) struct RowCx<'r> {
    rec: &'r StringRecord,
    /// 1-based physical line.
    pub line: u64,
    ctx: &'r FileCtx,
    reject: Option<(usize, Issue)>,
    warnings: &'r mut Vec<Issue>,
}

/// Order key of a column for the one-rejection rule: its file position; absent = last.
fn order(ctx: &FileCtx, c: usize) -> usize {
    ctx.cols.get(c).copied().flatten().unwrap_or(usize::MAX)
}

impl<'r> RowCx<'r> {
    /// The trimmed cell of canonical column `c`; `None` when the column is absent or the cell empty.
    pub(crate) fn cell(&self, c: usize) -> Option<&'r str> {
        let i = self.ctx.cols.get(c).copied().flatten()?;
        let rec: &'r StringRecord = self.rec;
        let v = rec.get(i)?.trim();
        (!v.is_empty()).then_some(v)
    }

    /// Whether the file has canonical column `c`.
    pub(crate) fn has_column(&self, c: usize) -> bool {
        self.ctx.cols.get(c).copied().flatten().is_some()
    }

    fn location(&self, c: usize) -> Location {
        let column = self.ctx.cols.get(c).copied().flatten().map(|i| Column {
            index: i + 1,
            name: self
                .ctx
                .names
                .get(i)
                .map(|n| n.trim().to_string())
                .unwrap_or_default(),
        });
        Location {
            file: self.ctx.file.clone(),
            line: self.line,
            column,
        }
    }

    /// Rejects the row for a problem in column `c`, unless a column further left already did.
    pub(crate) fn reject(&mut self, c: usize, kind: IssueKind) {
        let o = order(self.ctx, c);
        if self.reject.as_ref().is_some_and(|(prev, _)| *prev <= o) {
            return;
        }
        let issue = Issue {
            location: self.location(c),
            kind,
            severity: Severity::Rejected,
        };
        self.reject = Some((o, issue));
    }

    /// A warning about column `c`; the row is kept.
    pub(crate) fn warn(&mut self, c: usize, kind: IssueKind) {
        let issue = Issue {
            location: self.location(c),
            kind,
            severity: Severity::Warning,
        };
        self.warnings.push(issue);
    }

    /// Whether the row has been rejected.
    pub(crate) fn is_rejected(&self) -> bool {
        self.reject.is_some()
    }

    fn column_name(&self, c: usize) -> &'static str {
        super::aliases::columns(self.ctx.kind)
            .get(c)
            .map(|d| d.name)
            .unwrap_or("?")
    }

    /// Rejects with `missing_required` for column `c`.
    pub(crate) fn missing(&mut self, c: usize) {
        let column = self.column_name(c);
        self.reject(c, IssueKind::MissingRequired { column });
    }

    /// A required text cell.
    pub(crate) fn req_text(&mut self, c: usize) -> Option<&'r str> {
        let v = self.cell(c);
        if v.is_none() {
            self.missing(c);
        }
        v
    }

    /// The cell after the user's value mapping (mapped value, or the cell itself).
    fn mapped(&self, c: usize, raw: &'r str) -> &'r str {
        let ctx: &'r FileCtx = self.ctx;
        match ctx.values.get(c).and_then(Option::as_ref) {
            Some(m) if !m.is_empty() => m
                .get(raw)
                .or_else(|| m.get(&raw.to_lowercase()))
                .map(String::as_str)
                .unwrap_or(raw),
            _ => raw,
        }
    }

    /// A coded cell: `Ok(None)` when empty, `Err(raw)` when not recognised.
    pub(crate) fn code<T>(
        &self,
        c: usize,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Result<Option<T>, &'r str> {
        match self.cell(c) {
            None => Ok(None),
            Some(raw) => parse(self.mapped(c, raw)).map(Some).ok_or(raw),
        }
    }

    /// A required coded cell (missing or unknown → rejected).
    pub(crate) fn req_code<T>(
        &mut self,
        c: usize,
        parse: impl Fn(&str) -> Option<T>,
        allowed: &'static [&'static str],
    ) -> Option<T> {
        match self.code(c, parse) {
            Ok(Some(v)) => Some(v),
            Ok(None) => {
                self.missing(c);
                None
            }
            Err(raw) => {
                self.reject(
                    c,
                    IssueKind::UnknownCode {
                        value: clip(raw),
                        allowed,
                    },
                );
                None
            }
        }
    }

    /// An optional coded cell (unknown → warning, read as missing).
    pub(crate) fn opt_code<T>(
        &mut self,
        c: usize,
        parse: impl Fn(&str) -> Option<T>,
        allowed: &'static [&'static str],
    ) -> Option<T> {
        match self.code(c, parse) {
            Ok(v) => v,
            Err(raw) => {
                self.warn(
                    c,
                    IssueKind::UnknownCode {
                        value: clip(raw),
                        allowed,
                    },
                );
                None
            }
        }
    }

    fn date_issue(e: DateError, raw: &str) -> IssueKind {
        let value = clip(raw);
        match e {
            DateError::Bad => IssueKind::BadDate { value },
            DateError::Before1900 => IssueKind::DateBefore1900 { value },
            DateError::MissingYear => IssueKind::MissingYear { value },
            DateError::AmbiguousCentury => IssueKind::AmbiguousCentury { value },
        }
    }

    /// A date cell, possibly with a time: `Ok(None)` empty, `Err` = the issue. A date more
    /// than a year after the analysis year is read, with a `date_far_in_future` warning.
    fn date_time(&mut self, c: usize) -> Result<Option<(NaiveDate, Option<NaiveTime>)>, IssueKind> {
        let v = match self.cell(c) {
            None => Ok(None),
            Some(raw) => values::parse_date_time(raw, self.ctx.pivot)
                .map(Some)
                .map_err(|e| Self::date_issue(e, raw)),
        };
        if let (Ok(Some((date, _))), Some(year)) = (&v, self.ctx.year) {
            if date.year() > year + 1 {
                let (date, year) = (*date, year);
                self.warn(c, IssueKind::DateFarInFuture { date, year });
            }
        }
        v
    }

    /// The analysis year, when known.
    pub(crate) fn year(&self) -> Option<i32> {
        self.ctx.year
    }

    /// A required date (with the time, when the cell holds one).
    pub(crate) fn req_date_time(&mut self, c: usize) -> Option<(NaiveDate, Option<NaiveTime>)> {
        match self.date_time(c) {
            Ok(Some(v)) => Some(v),
            Ok(None) => {
                self.missing(c);
                None
            }
            Err(k) => {
                self.reject(c, k);
                None
            }
        }
    }

    /// A required date.
    pub(crate) fn req_date(&mut self, c: usize) -> Option<NaiveDate> {
        self.req_date_time(c).map(|(d, _)| d)
    }

    /// An optional date whose bad value is a warning (read as missing).
    pub(crate) fn opt_date(&mut self, c: usize) -> Option<NaiveDate> {
        match self.date_time(c) {
            Ok(v) => v.map(|(d, _)| d),
            Err(k) => {
                self.warn(c, k);
                None
            }
        }
    }

    /// An optional date whose bad value rejects the row (an end date read as missing would
    /// invent an open period): `Some(None)` = empty, `None` = rejected.
    pub(crate) fn strict_opt_date(&mut self, c: usize) -> Option<Option<NaiveDate>> {
        match self.date_time(c) {
            Ok(v) => Some(v.map(|(d, _)| d)),
            Err(k) => {
                self.reject(c, k);
                None
            }
        }
    }

    /// An optional time of day (bad → warning).
    pub(crate) fn opt_time(&mut self, c: usize) -> Option<NaiveTime> {
        let raw = self.cell(c)?;
        let t = values::parse_time(raw);
        if t.is_none() {
            self.warn(c, IssueKind::BadTime { value: clip(raw) });
        }
        t
    }

    /// An integer in `range`: `Ok(None)` empty; `Err(kind)` for `bad_number` or `invalid_value`.
    pub(crate) fn int(
        &self,
        c: usize,
        range: std::ops::RangeInclusive<i64>,
        expected: Text,
    ) -> Result<Option<i64>, IssueKind> {
        let Some(raw) = self.cell(c) else {
            return Ok(None);
        };
        match values::parse_int(raw) {
            Err(_) => Err(IssueKind::BadNumber { value: clip(raw) }),
            Ok(n) if !range.contains(&n) => Err(IssueKind::InvalidValue {
                value: clip(raw),
                expected,
            }),
            Ok(n) => Ok(Some(n)),
        }
    }

    /// A required integer in `range`.
    pub(crate) fn req_int(
        &mut self,
        c: usize,
        range: std::ops::RangeInclusive<i64>,
        expected: Text,
    ) -> Option<i64> {
        match self.int(c, range, expected) {
            Ok(Some(n)) => Some(n),
            Ok(None) => {
                self.missing(c);
                None
            }
            Err(k) => {
                self.reject(c, k);
                None
            }
        }
    }

    /// A municipality: 3 digits → warning and the zero restored; bad → rejected when
    /// `required`, else a warning and missing.
    pub(crate) fn municipality(&mut self, c: usize, required: bool) -> Option<Municipality> {
        let Some(raw) = self.cell(c) else {
            if required {
                self.missing(c);
            }
            return None;
        };
        match values::parse_municipality(raw) {
            Ok((m, restored)) => {
                if restored {
                    self.warn(
                        c,
                        IssueKind::MunicipalityZeroRestored {
                            value: clip(raw),
                            municipality: m,
                        },
                    );
                }
                Some(m)
            }
            Err(MunicipalityError::Invalid) => {
                let kind = IssueKind::InvalidValue {
                    value: clip(raw),
                    expected: MUNICIPALITY_EXPECTED,
                };
                if required {
                    self.reject(c, kind);
                } else {
                    self.warn(c, kind);
                }
                None
            }
        }
    }
}

/// What a municipality cell must look like.
pub(crate) const MUNICIPALITY_EXPECTED: Text = Text {
    nb: "et kommunenummer med 4 siffer, f.eks. 0301",
    en: "a 4-digit municipality code, e.g. 0301",
};

/// Pids up to this many bytes are stored inside the table slot itself.
const INLINE_PID: usize = 18;

/// `PidSlot::len` of a pid kept in the arena; its start and length are then in `text`.
const IN_ARENA: u16 = u16::MAX;

/// One table slot: the person's index, and the pid's text, inline when short (one cache line
/// holds key and text, so a lookup touches no other memory), else as a span of the arena.
#[derive(Clone, Copy)]
struct PidSlot {
    idx: u32,
    /// Length of an inline pid, or [`IN_ARENA`]: `text` then holds the arena start and the
    /// length (u32 LE each).
    len: u16,
    text: [u8; INLINE_PID],
}

fn u32_at(b: &[u8]) -> usize {
    let mut w = [0u8; 4];
    w.copy_from_slice(&b[..4]);
    u32::from_le_bytes(w) as usize
}

fn slot_text<'s>(arena: &'s str, slot: &'s PidSlot) -> &'s [u8] {
    if slot.len == IN_ARENA {
        let (start, len) = (u32_at(&slot.text), u32_at(&slot.text[4..]));
        arena.as_bytes().get(start..start + len).unwrap_or(&[])
    } else {
        &slot.text[..usize::from(slot.len)]
    }
}

/// pid → person: a hashbrown [`HashTable`](hashbrown::HashTable) of [`PidSlot`]s, hashed with
/// [`hash_str`] and compared by text on every probe, so lookups are exact. About 32 bytes a
/// person and no allocation per pid.
#[derive(Default)]
pub(crate) struct PidIndex {
    table: hashbrown::HashTable<PidSlot>,
    arena: String,
}

impl PidIndex {
    /// The index of `pid`.
    pub(crate) fn get(&self, pid: &str) -> Option<u32> {
        let arena = &self.arena;
        self.table
            .find(hash_str(pid), |s| slot_text(arena, s) == pid.as_bytes())
            .map(|s| s.idx)
    }

    /// Adds `pid` at index `i` (the caller has checked it is new).
    pub(crate) fn insert(&mut self, pid: &str, i: u32) {
        let mut slot = PidSlot {
            idx: i,
            len: IN_ARENA,
            text: [0; INLINE_PID],
        };
        if pid.len() <= INLINE_PID {
            slot.len = pid.len() as u16;
            slot.text[..pid.len()].copy_from_slice(pid.as_bytes());
        } else {
            slot.text[..4].copy_from_slice(&(self.arena.len() as u32).to_le_bytes());
            slot.text[4..8].copy_from_slice(&(pid.len() as u32).to_le_bytes());
            self.arena.push_str(pid);
        }
        let PidIndex { table, arena } = self;
        table.insert_unique(hash_str(pid), slot, |s| {
            hash_str(std::str::from_utf8(slot_text(arena, s)).unwrap_or(""))
        });
    }
}

/// The rejection of a row that could not be read as fields at all (no column to name).
fn malformed_row(ctx: &FileCtx, line: u64) -> Issue {
    Issue {
        location: Location {
            file: ctx.file.clone(),
            line,
            column: None,
        },
        kind: IssueKind::MalformedRow,
        severity: Severity::Rejected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pid_index_is_exact_for_short_and_long_pids() {
        let mut idx = PidIndex::default();
        let long = "x".repeat(40);
        let pids: Vec<String> = (0..5000).map(|i| format!("p{i}")).collect();
        for (i, p) in pids.iter().enumerate() {
            idx.insert(p, i as u32);
        }
        idx.insert(&long, 9_999);
        // 18 bytes is still inline, 19 goes to the arena.
        idx.insert(&"y".repeat(18), 7_001);
        idx.insert(&"y".repeat(19), 7_002);
        for (i, p) in pids.iter().enumerate() {
            assert_eq!(idx.get(p), Some(i as u32), "{p}");
        }
        assert_eq!(idx.get(&long), Some(9_999));
        assert_eq!(idx.get(&"x".repeat(39)), None);
        assert_eq!(idx.get(&"y".repeat(18)), Some(7_001));
        assert_eq!(idx.get(&"y".repeat(19)), Some(7_002));
        assert_eq!((idx.get("p5000"), idx.get("")), (None, None));
    }

    #[test]
    fn fx_hash_separates_field_splits_only_through_compare() {
        let a = StringRecord::from(vec!["ab", "c"]);
        let b = StringRecord::from(vec!["a", "bc"]);
        // Different field lengths are hashed too, so these differ.
        assert_ne!(hash_record(&a), hash_record(&b));
        assert!(!same_fields(&a, &b));
        assert!(same_fields(&a, &StringRecord::from(vec!["ab", "c"])));
    }
}
