//! Stage 2 machinery shared by every table: the loop over records with row accounting, exact
//! duplicate detection and progress, and [`RowCx`], which reads one record's cells into typed
//! values or issues.
//!
//! Rule of one rejection: a row collects at most one rejecting issue, the one in the leftmost
//! column of the file (a column the file lacks counts as rightmost). Warnings of a rejected row
//! are dropped with it: a rejected row carries exactly one issue.

use super::source::Record as StringRecord;
use super::source::{Fetcher, Next, Rows};
use super::values::{self, DateError, MunicipalityError};
use super::{Cancelled, LoadProgress, MappingProfile};
use crate::model::{Diagnoses, Icd10, Municipality, TableKind, UnitId};
use crate::quality::{clip, Column, FileReport, Issue, IssueKind, Location, Severity};
use crate::text::Text;
use chrono::{Datelike, NaiveDate, NaiveTime};
use rustc_hash::FxHasher;
use std::collections::{HashMap, HashSet};
use std::hash::Hasher;
use std::sync::Arc;

/// How often progress is reported, in rows.
pub(crate) const PROGRESS_EVERY: u64 = 50_000;

/// Hash of a string with the Fx hasher.
pub(crate) fn hash_str(s: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(s.as_bytes());
    h.write_u64(s.len() as u64);
    h.finish()
}

/// The two halves of a hash folded into 32 bits. On wasm32 the Fx hash has only 32 bits (its
/// upper half is zero): the upper half alone put every row of a file into one run of the
/// duplicate check, compared pairwise (the browser's demo read in 23 s), and every date into
/// one slot of the date cache.
fn fold32(hash: u64) -> u64 {
    (hash ^ (hash >> 32)) & 0xFFFF_FFFF
}

fn hash_record(rec: &StringRecord) -> u64 {
    let mut h = FxHasher::default();
    h.write(rec.joined());
    h.write_u64(rec.len() as u64);
    h.finish()
}

fn same_fields(a: &StringRecord, b: &StringRecord) -> bool {
    a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x == y)
}

/// Unit names interned while reading: each distinct name stored once, rows refer to it by id.
/// Lists of other diagnoses are interned here too: each distinct list stored once.
#[derive(Default)]
pub(crate) struct Units {
    /// The names, in order of first appearance.
    pub names: Vec<String>,
    index: HashMap<String, u32, rustc_hash::FxBuildHasher>,
    diagnoses: HashSet<Arc<Vec<Icd10>>, rustc_hash::FxBuildHasher>,
    /// The pid looked up last and what it gave: extracts list a person's rows together, so
    /// most rows need no lookup in the persons index.
    last_pid: Option<(String, Option<u32>)>,
    /// Dates read from 10-character cells (`2024-03-01`, `01.03.2024`), by their text: a few
    /// thousand distinct days fill millions of cells. Direct-mapped, [`DATE_SLOTS`] slots.
    dates: Vec<([u8; 10], Option<NaiveDate>)>,
}

/// Slots of [`Units::dates`].
const DATE_SLOTS: usize = 1024;

impl Units {
    fn date_slot(text: &[u8; 10]) -> usize {
        let mut h = FxHasher::default();
        h.write(text);
        fold32(h.finish()) as usize % DATE_SLOTS
    }

    /// The date `text` was read as before, when it is in the cache.
    fn cached_date(&self, text: &str) -> Option<NaiveDate> {
        let key: &[u8; 10] = text.as_bytes().try_into().ok()?;
        match self.dates.get(Self::date_slot(key))? {
            (k, date) if k == key => *date,
            _ => None,
        }
    }

    /// Remembers that `text` reads as `date` (a date without a time).
    fn cache_date(&mut self, text: &str, date: NaiveDate) {
        let Ok(key) = <&[u8; 10]>::try_from(text.as_bytes()) else {
            return;
        };
        if self.dates.is_empty() {
            self.dates = vec![([0; 10], None); DATE_SLOTS];
        }
        if let Some(slot) = self.dates.get_mut(Self::date_slot(key)) {
            *slot = (*key, Some(date));
        }
    }
}

impl Units {
    /// `codes` as a list shared with every other row that has the same codes.
    pub(crate) fn diagnoses(&mut self, mut codes: Vec<Icd10>) -> Diagnoses {
        if let Some(list) = self.diagnoses.get(&codes) {
            return Diagnoses::shared(list.clone());
        }
        codes.shrink_to_fit();
        let list = Arc::new(codes);
        self.diagnoses.insert(list.clone());
        Diagnoses::shared(list)
    }

    /// The id of `name`, added when new.
    pub(crate) fn intern(&mut self, name: &str) -> UnitId {
        if let Some(&i) = self.index.get(name) {
            return UnitId::new(i as usize);
        }
        let i = self.names.len() as u32;
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), i);
        UnitId::new(i as usize)
    }
}

/// Rows that refer to interned unit names (episodes), renumbered when pieces read on their
/// own threads are joined.
pub(crate) trait Interned {
    /// Renumbers the unit: `map[old index]` is the new id.
    fn remap_units(&mut self, _map: &[UnitId]) {}
}

impl Interned for crate::model::Episode {
    fn remap_units(&mut self, map: &[UnitId]) {
        if let Some(u) = &mut self.unit {
            if let Some(&new) = map.get(u.index()) {
                *u = new;
            }
        }
    }
}

impl Interned for crate::model::MunicipalService {}
impl Interned for crate::model::PrimaryCareContact {}

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
    /// Only this pass's rows are read ([`super::passes`]).
    pub pass: Option<super::passes::PassFilter>,
    /// The calendar year of the run, the upper bound of a valid birth year.
    pub current_year: Option<i32>,
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
            pass: None,
            current_year: None,
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
    units: &mut Units,
    mut parse: impl FnMut(&mut RowCx<'_>) -> bool,
) -> Result<(), Cancelled> {
    let mut hashes = RowHashes::default();
    let mut tick = |rows_done: u64, at_byte: u64| {
        let done = progress.bytes_before + at_byte.min(file_bytes);
        (progress.callback)(LoadProgress {
            file: ctx.file.to_string(),
            rows_done,
            bytes_done: done.min(progress.bytes_total),
            bytes_total: progress.bytes_total,
        })
    };
    read_records(rows, ctx, report, &mut hashes, units, &mut tick, &mut parse)?;
    report_duplicates(rows.fetcher(), vec![hashes], ctx, report);
    Ok(())
}

/// The loop of [`read_rows`] without the duplicate check, for a whole file or a piece of one:
/// every record is counted, parsed, and its issues recorded; its hash goes to `hashes`.
/// `tick(rows done, byte reached)` is called every [`PROGRESS_EVERY`] rows; `false` cancels.
pub(crate) fn read_records(
    rows: &mut Rows<'_>,
    ctx: &FileCtx,
    report: &mut FileReport,
    hashes: &mut RowHashes,
    units: &mut Units,
    tick: &mut dyn FnMut(u64, u64) -> bool,
    parse: &mut dyn FnMut(&mut RowCx<'_>) -> bool,
) -> Result<(), Cancelled> {
    let mut rec = StringRecord::new();
    let mut warnings: Vec<Issue> = Vec::new();
    let mut rows_done = 0u64;
    loop {
        let pos = match rows.next_record(&mut rec) {
            Next::End => break,
            // Records without a readable person id belong to pass 0.
            Next::Malformed(_) | Next::Unclosed(..)
                if ctx.pass.is_some_and(|f| f.pass.pass != 0) =>
            {
                continue
            }
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
        if ctx.pass.is_some_and(|f| f.skips(&rec)) {
            continue;
        }
        rows_done += 1;
        take_record(&rec, pos, ctx, report, hashes, units, &mut warnings, parse);
        if rows_done.is_multiple_of(PROGRESS_EVERY) && !tick(rows_done, pos.bytes) {
            return Err(Cancelled);
        }
    }
    Ok(())
}

/// One record of [`read_records`]: counted, hashed, parsed, its issues recorded. A function of
/// its own, called for each record: V8 runs a WebAssembly function in its baseline tier until
/// it has been called hot and compiled again, so the body of a loop over a file's records,
/// entered once, would stay there.
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn take_record(
    rec: &StringRecord,
    pos: super::source::RecordPos,
    ctx: &FileCtx,
    report: &mut FileReport,
    hashes: &mut RowHashes,
    units: &mut Units,
    warnings: &mut Vec<Issue>,
    parse: &mut dyn FnMut(&mut RowCx<'_>) -> bool,
) {
    report.rows_read += 1;
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
    // Exact duplicates are found after the last row (`report_duplicates`).
    let row = hashes.push(hash_record(rec), pos);

    let mut cx = RowCx {
        rec,
        line: pos.line,
        ctx,
        reject: None,
        warnings: &mut *warnings,
        units: &mut *units,
    };
    let kept = parse(&mut cx);
    let rejected = cx.reject.take();
    match (kept, rejected) {
        (true, _) => {
            // Parsers keep a row only when nothing rejected it.
            hashes.keep(row);
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
}

/// Every record's hash and where it was, in reading order, for the exact-duplicate check:
/// 12 bytes a row (a file of millions of rows keeps this beside its table while it is read).
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct RowHashes {
    /// Per row, `(32 bits of the hash of its fields) << 32 | row number in reading order`:
    /// sorted as plain integers. Rows whose 32 bits agree are compared field by field, so a
    /// shorter hash only costs a few more comparisons, never a wrong duplicate.
    by_hash: Vec<u64>,
    /// Per row: its key for [`Fetcher::fetch`] (byte offset, or sheet row) less the base of its
    /// segment ([`RowHashes::bases`]), with [`KEPT`] set when the row was kept (a rejected row
    /// carries only its rejection). Its line is worked out from the key only for the few rows
    /// reported ([`Fetcher::lines_of`]).
    keys: Vec<u32>,
    /// `(first row, base key)` of each run of rows whose keys lie less than 2^31 above its base:
    /// one run for a file under 2 GiB.
    bases: Vec<(usize, u64)>,
    /// Test builds: each row's line as the reader counted it, to check [`Fetcher::lines_of`].
    #[cfg(test)]
    lines: Vec<u64>,
}

/// The bit of [`RowHashes::keys`] that marks a kept row (the rest is below 2^31).
const KEPT: u32 = 1 << 31;

impl RowHashes {
    /// Adds a row; returns its number.
    fn push(&mut self, hash: u64, pos: super::source::RecordPos) -> usize {
        let row = self.keys.len();
        self.by_hash
            .push(fold32(hash) << 32 | (row as u64 & 0xFFFF_FFFF));
        let base = match self.bases.last() {
            Some(&(_, base)) if (base..base + u64::from(KEPT)).contains(&pos.key) => base,
            _ => {
                self.bases.push((row, pos.key));
                pos.key
            }
        };
        self.keys.push((pos.key - base) as u32);
        #[cfg(test)]
        self.lines.push(pos.line);
        row
    }

    /// Marks row `row` as kept.
    fn keep(&mut self, row: usize) {
        if let Some(k) = self.keys.get_mut(row) {
            *k |= KEPT;
        }
    }

    /// Row `row`'s key and whether it was kept.
    fn key(&self, row: usize) -> Option<(u64, bool)> {
        let k = *self.keys.get(row)?;
        let run = self.bases.partition_point(|&(first, _)| first <= row);
        let (_, base) = self.bases.get(run.checked_sub(1)?)?;
        Some((base + u64::from(k & !KEPT), k & KEPT != 0))
    }

    /// Sorts the hashes for [`report_duplicates`] (done on each piece's own thread; sorting
    /// sorted hashes again costs one pass).
    pub(crate) fn sort(&mut self) {
        self.by_hash.sort_unstable();
    }

    /// Test builds: the lines of a piece's rows were counted from `by` lines too early.
    #[cfg(test)]
    pub(crate) fn shift_lines(&mut self, by: u64) {
        self.lines.iter_mut().for_each(|l| *l += by);
    }
}

/// Warns `duplicate_row` on every kept row whose fields equal those of an earlier row of the
/// file, the file read in one go or in `pieces` (in file order; keys are places in the whole
/// file). Done after the last row, by sorting the hashes: a sort walks memory in order, where
/// a hash table of millions of rows misses the cache on nearly every row; the pieces' sorted
/// hashes are merged. Rows with equal hashes are compared field by field, so a hash collision
/// never makes a duplicate. Each issue code keeps its own examples in reading order, so
/// recording these after the row's other issues leaves the report as it was when they were
/// recorded row by row.
pub(crate) fn report_duplicates(
    mut fetcher: Fetcher<'_>,
    mut pieces: Vec<RowHashes>,
    ctx: &FileCtx,
    report: &mut FileReport,
) {
    // By hash, then by row: within a run of equal hashes the first row comes first.
    pieces.iter_mut().for_each(RowHashes::sort);
    let mut heads: Vec<&[u64]> = pieces.iter().map(|p| &p.by_hash[..]).collect();
    // Rows of one 32-bit hash over all pieces, in file order: (piece, row in the piece).
    let mut run: Vec<(usize, usize)> = Vec::new();
    let mut duplicates: Vec<(usize, usize)> = Vec::new();
    // One record per distinct content seen so far in a run (several on a collision).
    let mut firsts: Vec<StringRecord> = Vec::new();
    loop {
        // The smallest hash at the pieces' heads, and how many heads have it.
        let (mut hash, mut heads_with_it, mut at) = (u64::MAX, 0, 0);
        for (p, head) in heads.iter().enumerate() {
            if let Some(&h) = head.first() {
                let h = h >> 32;
                if h < hash {
                    (hash, heads_with_it, at) = (h, 1, p);
                } else if h == hash {
                    heads_with_it += 1;
                }
            }
        }
        if heads_with_it == 0 {
            break;
        }
        // Most hashes are on one row only: passed over without gathering a run.
        if heads_with_it == 1 {
            let head = heads[at];
            if head.get(1).is_none_or(|&next| next >> 32 != hash) {
                heads[at] = head.get(1..).unwrap_or_default();
                continue;
            }
        }
        run.clear();
        for (p, head) in heads.iter_mut().enumerate() {
            let n = head.iter().take_while(|&&h| h >> 32 == hash).count();
            let (same, rest) = head.split_at(n);
            run.extend(same.iter().map(|&h| (p, (h & 0xFFFF_FFFF) as usize)));
            *head = rest;
        }
        if run.len() < 2 {
            continue;
        }
        firsts.clear();
        for &(p, row) in &run {
            let Some((key, _)) = pieces[p].key(row) else {
                continue;
            };
            let Some(rec) = fetcher.fetch(key) else {
                continue;
            };
            if firsts.iter().any(|f| same_fields(f, &rec)) {
                duplicates.push((p, row));
            } else {
                firsts.push(rec);
            }
        }
    }
    drop(heads);
    for piece in &mut pieces {
        piece.by_hash = Vec::new();
    }
    duplicates.sort_unstable();
    let kept = |&(p, row): &(usize, usize)| pieces[p].key(row).filter(|&(_, kept)| kept);
    let (rows, at): (Vec<(usize, usize)>, Vec<u64>) = duplicates
        .iter()
        .filter_map(|d| kept(d).map(|(key, _)| (*d, key)))
        .unzip();
    let found = fetcher.lines_of(&at);
    #[cfg(test)]
    for (&(p, row), line) in rows.iter().zip(&found) {
        assert_eq!(
            pieces[p].lines[row], *line,
            "line of row {row} from its key"
        );
    }
    let _ = rows;
    for line in found {
        report.record(Issue {
            location: Location {
                file: ctx.file.clone(),
                line,
                column: None,
            },
            kind: IssueKind::DuplicateRow,
            severity: Severity::Warning,
        });
    }
}

/// One record being read into a typed row.
pub(crate) struct RowCx<'r> {
    rec: &'r StringRecord,
    /// 1-based physical line.
    pub line: u64,
    ctx: &'r FileCtx,
    reject: Option<(usize, Issue)>,
    warnings: &'r mut Vec<Issue>,
    units: &'r mut Units,
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
        let raw = rec.get(i)?;
        // Only a cell that starts or ends with a space (or a non-ASCII byte, which may be
        // Unicode white space such as U+00A0) needs `trim`'s Unicode scan.
        let plain = |b: Option<&u8>| b.is_some_and(|&c| c.is_ascii() && !c.is_ascii_whitespace());
        let bytes = raw.as_bytes();
        if bytes.is_empty() {
            return None;
        }
        let v = if plain(bytes.first()) && plain(bytes.last()) {
            raw
        } else {
            raw.trim()
        };
        (!v.is_empty()).then_some(v)
    }

    /// The index of `pid` in `index` (the persons, complete once other tables are read).
    pub(crate) fn person_index(&mut self, pid: &str, index: &PidIndex) -> Option<u32> {
        match &mut self.units.last_pid {
            Some((last, found)) if last == pid => *found,
            last => {
                let found = index.get(pid);
                match last {
                    Some((text, was)) => {
                        text.clear();
                        text.push_str(pid);
                        *was = found;
                    }
                    None => *last = Some((pid.to_string(), found)),
                }
                found
            }
        }
    }

    /// `codes` as a list shared with the other rows of the same codes.
    pub(crate) fn diagnoses(&mut self, codes: Vec<Icd10>) -> Diagnoses {
        self.units.diagnoses(codes)
    }

    /// The unit name in canonical column `c`, interned.
    pub(crate) fn unit(&mut self, c: usize) -> Option<UnitId> {
        let name = self.cell(c)?;
        Some(self.units.intern(name))
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
            Some(raw) => match self.units.cached_date(raw) {
                Some(date) => Ok(Some((date, None))),
                None => {
                    let read = values::parse_date_time(raw, self.ctx.pivot);
                    if let Ok((date, None)) = read {
                        self.units.cache_date(raw, date);
                    }
                    read.map(Some).map_err(|e| Self::date_issue(e, raw))
                }
            },
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

    /// The calendar year of the run, when the caller gave it ([`super::ReadOptions::current_year`]).
    pub(crate) fn current_year(&self) -> Option<i32> {
        self.ctx.current_year
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

    /// Room for `more` pids (the persons file's lines) without growing: each growth rehashes
    /// every pid in the table.
    pub(crate) fn reserve(&mut self, more: usize) {
        let PidIndex { table, arena } = self;
        table.reserve(more, |s| slot_hash(arena, s));
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
        table.insert_unique(hash_str(pid), slot, |s| slot_hash(arena, s));
    }
}

/// A slot's pid hashed as [`PidIndex::get`] hashes the pid looked up: what the table rehashes
/// by when it grows.
fn slot_hash(arena: &str, slot: &PidSlot) -> u64 {
    hash_str(std::str::from_utf8(slot_text(arena, slot)).unwrap_or(""))
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
    fn equal_hashes_of_different_records_are_not_duplicates() {
        let text = "a,b\nx,1\ny,2\nx,1\ny,2\n";
        let prepared = super::super::source::Prepared::new(text.as_bytes(), None, None)
            .unwrap_or_else(|_| panic!("csv text"));
        let ctx = FileCtx {
            file: Arc::from("f.csv"),
            kind: TableKind::Areas,
            names: vec!["a".into(), "b".into()],
            cols: Vec::new(),
            values: Vec::new(),
            pass: None,
            pivot: None,
            year: None,
            current_year: None,
        };
        // Every row gets the same hash, as if all four collided: only the field comparison
        // can tell that line 4 copies line 2 and line 5 copies line 3. Read in one go, and in
        // two pieces (lines 2-3 and 4-5) whose hashes are merged.
        let push = |hashes: &mut RowHashes, line: u64, key: u64| {
            let pos = super::super::source::RecordPos {
                line,
                key,
                bytes: 0,
            };
            let row = hashes.push(7 << 32, pos);
            hashes.keep(row);
        };
        let mut one = RowHashes::default();
        let (mut first, mut second) = (RowHashes::default(), RowHashes::default());
        for (line, key) in [(2, 4), (3, 8), (4, 12), (5, 16)] {
            push(&mut one, line, key);
            push(if line < 4 { &mut first } else { &mut second }, line, key);
        }
        for pieces in [vec![one], vec![first, second]] {
            let mut report = FileReport::default();
            report_duplicates(prepared.rows().fetcher(), pieces, &ctx, &mut report);
            let lines: Vec<u64> = report.examples["duplicate_row"]
                .iter()
                .map(|i| i.location.line)
                .collect();
            assert_eq!(lines, vec![4, 5]);
            assert_eq!((report.counts["duplicate_row"], report.warnings), (2, 2));
        }
    }

    #[test]
    fn dates_are_cached_by_their_whole_text() {
        let mut units = Units::default();
        let day = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
        assert_eq!(units.cached_date("2024-03-01"), None);
        units.cache_date("2024-03-01", day);
        units.cache_date("2024-03-01 10:00", day);
        assert_eq!(units.cached_date("2024-03-01"), Some(day));
        // Another text of the same day, a day one digit away, a longer text: not cached.
        for other in ["01.03.2024", "2024-03-02", "2024-03-01 10:00", "2024-03-0"] {
            assert_eq!(units.cached_date(other), None, "{other}");
        }
        // 2 000 other days: each slot holds the last text put in it, and only that text.
        let mut d = day;
        for _ in 0..2000 {
            d = d.succ_opt().unwrap();
            let text = d.format("%Y-%m-%d").to_string();
            units.cache_date(&text, d);
            assert_eq!(units.cached_date(&text), Some(d));
        }
        let mut hits = 0;
        for i in 0..2001 {
            let d = day.checked_add_days(chrono::Days::new(i)).unwrap();
            if let Some(got) = units.cached_date(&d.format("%Y-%m-%d").to_string()) {
                assert_eq!(got, d);
                hits += 1;
            }
        }
        assert!(hits > 0 && hits <= DATE_SLOTS, "{hits}");
    }

    #[test]
    fn keys_far_apart_are_kept_in_32_bits_over_runs() {
        // Keys 10, 2^31 + 9 (less than 2^31 above 10: same run), 2^31 + 10 (a new run), 5 (below
        // the base: a new run), 2^40.
        let mut hashes = RowHashes::default();
        let keys = [10, (1 << 31) + 9, (1 << 31) + 10, 5, 1 << 40];
        for (i, key) in keys.into_iter().enumerate() {
            let pos = super::super::source::RecordPos {
                line: i as u64 + 2,
                key,
                bytes: 0,
            };
            let row = hashes.push(0, pos);
            if i % 2 == 0 {
                hashes.keep(row);
            }
        }
        assert_eq!(
            hashes.bases,
            vec![(0, 10), (2, (1 << 31) + 10), (3, 5), (4, 1 << 40)]
        );
        let got: Vec<_> = (0..6).map(|row| hashes.key(row)).collect();
        let want = vec![
            Some((10, true)),
            Some(((1 << 31) + 9, false)),
            Some(((1 << 31) + 10, true)),
            Some((5, false)),
            Some((1 << 40, true)),
            None,
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn hashes_of_32_bits_still_sort_into_separate_runs() {
        // On wasm32 the Fx hash has only 32 bits (upper half zero). Hashes 5 and 6 must land
        // in runs of their own (5 << 32 and 6 << 32 after folding), not both in run 0, where
        // every row of a file would be compared with every other.
        let mut hashes = RowHashes::default();
        for (i, hash) in [5_u64, 6, 0x0000_0007_0000_0000].into_iter().enumerate() {
            let pos = super::super::source::RecordPos {
                line: i as u64 + 2,
                key: i as u64,
                bytes: 0,
            };
            hashes.push(hash, pos);
        }
        // Row 2's 64-bit hash 7 << 32 folds to 7: (7 << 32 ^ 7) & 0xFFFF_FFFF = 7.
        assert_eq!(hashes.by_hash, vec![5 << 32, 6 << 32 | 1, 7 << 32 | 2]);
    }

    #[test]
    fn joined_fields_that_collide_are_told_apart_by_compare() {
        // Both join to `a,b,c` with two fields (a quoted comma in one of them): the same hash,
        // told apart by comparing fields.
        let a = StringRecord::from(vec!["a,b", "c"]);
        let b = StringRecord::from(vec!["a", "b,c"]);
        assert_eq!(hash_record(&a), hash_record(&b));
        assert!(!same_fields(&a, &b));
        let c = StringRecord::from(vec!["ab", "c"]);
        assert_ne!(
            hash_record(&c),
            hash_record(&StringRecord::from(vec!["a", "bc"]))
        );
        assert!(same_fields(&c, &StringRecord::from(vec!["ab", "c"])));
    }
}
