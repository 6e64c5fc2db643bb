//! Reading canonical tables from CSV and xlsx bytes (`spec/data-format.md`).
//!
//! Stage 1 (`source`, `decode`, `delimiter`, `xlsx`, `aliases`) turns bytes into a header
//! and raw records with line numbers: encoding (UTF-8 with or without BOM, else Windows-1252),
//! delimiter (`,` `;` tab), header aliases. Stage 2 (one module per table, `values`,
//! `codes`) turns records into typed rows or into [`Issue`]s; `link` checks across rows.
//! After this module nothing compares code strings or parses dates.
//!
//! ```
//! use forlop_core::ingest::{load, ReadOptions, SourceFile};
//! let persons = SourceFile { name: "personer.csv", bytes: "lopenr;fødselsår;kommune\np1;1980;301\n".as_bytes(), kind: None };
//! let loaded = load(&[persons], &ReadOptions::default());
//! assert_eq!(loaded.tables.persons[0].municipality.map(|m| m.to_string()).as_deref(), Some("0301"));
//! assert_eq!(loaded.quality.counts_by_code()["municipality_zero_restored"], 1);
//! ```

mod aliases;
mod areas;
mod codes;
pub(crate) mod decode;
mod delimiter;
mod episodes;
mod link;
mod parallel;
mod passes;
mod persons;
mod pieces;
mod population;
mod preview;
mod primary_care;
mod row;
mod services;
mod side;
mod source;
mod values;
pub(crate) mod xlsx;

#[cfg(test)]
mod tests;

pub use aliases::{columns, ColumnSpec};
pub use passes::{pass_of_pid, split_by_person, LineRouter, RowPass};
pub use pieces::PieceSet;
pub use preview::{inspect, FilePreview, UnrecognisedValues};

use crate::model::{
    AreaRow, MunicipalService, PopulationRow, PrimaryCareContact, TableKind, Tables, UnusableTable,
};
use crate::quality::{
    clip, Column, FileReport, Issue, IssueKind, Location, QualityReport, Severity,
};
use row::{FileCtx, Progress};
use serde::{Deserialize, Serialize};
use source::{Next, Prepared};
use std::collections::BTreeMap;
use std::sync::Arc;

/// One input file: its name (for messages) and its bytes.
#[derive(Debug, Clone, Copy)]
pub struct SourceFile<'a> {
    /// File name as the user knows it, e.g. `opphold_2024.csv`.
    pub name: &'a str,
    /// Raw bytes (CSV in any supported encoding, or an xlsx workbook).
    pub bytes: &'a [u8],
    /// The table kind, when the user has said; `None` = recognise it from the headers.
    pub kind: Option<TableKind>,
}

/// How to read: the user's mapping, the century rule for `DD.MM.YY`, the worksheet, the size
/// caps and the analysis year (for plausibility warnings).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReadOptions {
    /// Column names and code values the user has mapped.
    pub mapping: MappingProfile,
    /// Century rule: `DD.MM.YY` is read only when set, `YY <= pivot` → 20YY, else 19YY. Without
    /// it such dates are rejected as `ambiguous_century`.
    pub century_pivot: Option<u8>,
    /// Worksheet to read from workbooks; `None` = the first.
    pub sheet: Option<String>,
    /// Files larger than this are refused (`file_too_large`), their table unusable.
    pub max_file_bytes: u64,
    /// Workbooks whose parts would inflate to more than this are refused (`xlsx_too_large`)
    /// before anything is inflated.
    pub max_inflated_bytes: u64,
    /// The analysis year Y, when known: birth years after Y and dates after Y + 1 are warned
    /// about (`born_after_year`, `date_far_in_future`).
    pub analysis_year: Option<i32>,
    /// The calendar year of the run, from the caller's clock (the engine has none): a birth
    /// year after it is invalid (data-format.md: "integer 1880..current") and its row is
    /// rejected. `None`: birth years up to 2100 are read (and those after the analysis year
    /// warned about).
    pub current_year: Option<i32>,
    /// Threads that may read one large file at once, or big-table files that are not cut
    /// (workbooks, small files) side by side (natively; the browser always reads on one). The
    /// tables and the report are the same for any number.
    pub threads: usize,
    /// Read only the rows of one pass over the persons ([`RowPass`]); `None` = every row.
    #[serde(skip)]
    pub pass: Option<RowPass>,
    /// The smallest piece a file is cut into for threads or workers; `None` = 1 MiB, below
    /// which a piece is not worth its own thread. The browser worker's warm-up sets it to cut
    /// its small extract, so that the pieces' code has run before an upload is read in pieces.
    #[serde(skip)]
    pub min_piece_bytes: Option<usize>,
}

impl ReadOptions {
    /// [`ReadOptions::min_piece_bytes`], or its default.
    fn min_piece(&self) -> usize {
        self.min_piece_bytes.unwrap_or(source::MIN_PIECE_BYTES)
    }
}

/// The calendar year (UTC) at `unix_seconds`, for [`ReadOptions::current_year`]: the caller
/// reads its clock, the engine has none. `None` outside chrono's range.
pub fn year_at(unix_seconds: i64) -> Option<i32> {
    use chrono::Datelike;
    chrono::DateTime::from_timestamp(unix_seconds, 0).map(|t| t.year())
}

/// Default [`ReadOptions::max_file_bytes`]: 2 GiB.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 2 << 30;
/// Default [`ReadOptions::max_inflated_bytes`]: 1 GiB of uncompressed workbook parts (a
/// 1-million-row episodes sheet is about 0.5 GiB of XML).
pub const DEFAULT_MAX_INFLATED_BYTES: u64 = 1 << 30;

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            mapping: MappingProfile::default(),
            century_pivot: None,
            sheet: None,
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            max_inflated_bytes: DEFAULT_MAX_INFLATED_BYTES,
            analysis_year: None,
            current_year: None,
            threads: 1,
            pass: None,
            min_piece_bytes: None,
        }
    }
}

/// The user's mapping from their extract to the canonical form (saved and loaded as JSON).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MappingProfile {
    /// Table canonical name (`episodes`) → the user's header → canonical column (`admit_date`).
    pub columns: BTreeMap<String, BTreeMap<String, String>>,
    /// `table.column` (`episodes.sector`) → raw value → canonical code (`PHV`). Raw values are
    /// compared case-insensitively, after trimming.
    pub values: BTreeMap<String, BTreeMap<String, String>>,
}

/// What reading produced.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// The typed tables.
    pub tables: Tables,
    /// Every row read, used and rejected, with the reasons.
    pub quality: QualityReport,
    /// How many files were joined from pieces read elsewhere ([`load_with_pieces`]; 0 for
    /// every other load).
    pub joined: usize,
}

/// Progress while loading, reported at most every 50 000 rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadProgress {
    /// The file being read.
    pub file: String,
    /// Rows read so far in that file.
    pub rows_done: u64,
    /// Bytes read so far over all files (files are read in table order: areas, persons,
    /// population, episodes, municipal services, primary care; big-table files that are not
    /// cut may be read side by side, their bytes then added up).
    pub bytes_done: u64,
    /// Bytes of all files.
    pub bytes_total: u64,
}

/// The caller cancelled the load through the progress callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

impl std::fmt::Display for Cancelled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("loading was cancelled")
    }
}

impl std::error::Error for Cancelled {}

/// Recognises a table from its header names (canonical names and the spec's aliases): the kind
/// whose required columns are all present, with most columns matched; `None` when none or two
/// fit.
pub fn detect_kind(headers: &[&str]) -> Option<TableKind> {
    aliases::detect_kind_with(headers, &MappingProfile::default())
}

/// Reads all files into tables, with a quality report. Never fails: an unreadable or
/// unrecognisable file is reported (fatal for that file only).
pub fn load(files: &[SourceFile<'_>], options: &ReadOptions) -> Loaded {
    // The callback never cancels, so the default is never taken.
    load_with_progress(files, options, &mut |_| true).unwrap_or_default()
}

/// Puts the rows read in pieces into their table: as they are when the table is still empty
/// (the usual case: one file per table), else after its rows.
fn put<T>(table: &mut Option<Vec<T>>, rows: Vec<T>) {
    match table {
        Some(t) if !t.is_empty() => t.extend(rows),
        _ => *table = Some(rows),
    }
}

/// A file recognised in the first pass, or to be opened when its table is read.
struct Pending<'a> {
    /// Index into the reports (input order).
    report: usize,
    kind: TableKind,
    /// The prepared file, unless it is fetched again when read ([`LazyFile`]).
    prepared: Option<Prepared<'a>>,
    /// Its header names and line; `None` = not opened yet (a fetched file whose kind was
    /// given), opened when its table is read.
    header: Option<(Vec<String>, u64)>,
    bytes: u64,
}

/// A file opened: decoded, its header read, its table recognised and its columns checked.
struct Opened<'a> {
    prepared: Prepared<'a>,
    kind: TableKind,
    headers: Vec<String>,
    header_line: u64,
}

/// Opens one file (the first pass of the reader): its warnings (invalid UTF-8, repeated
/// columns) go to `report`, with its encoding, delimiter, sheet and kind. `Err` = why it
/// cannot be read (line, issue), for [`refuse`].
fn open<'a>(
    f: &mut Input<'a, '_>,
    name: &Arc<str>,
    report: &mut FileReport,
    options: &ReadOptions,
) -> Result<Opened<'a>, (u64, IssueKind)> {
    if f.len() > options.max_file_bytes {
        let kind = IssueKind::FileTooLarge {
            bytes: f.len(),
            limit: options.max_file_bytes,
        };
        return Err((1, kind));
    }
    let prepared = f.prepare(options);
    open_prepared(prepared, f.kind(), name, report, options)
}

/// [`open`] once the file is prepared (or not: `Err` = the file-level issue): `given` is the
/// kind the caller gave. Runs on a thread of its own for a workbook read side by side.
fn open_prepared<'a>(
    prepared: Result<Prepared<'a>, IssueKind>,
    given: Option<TableKind>,
    name: &Arc<str>,
    report: &mut FileReport,
    options: &ReadOptions,
) -> Result<Opened<'a>, (u64, IssueKind)> {
    let prepared = prepared.map_err(|kind| (1, kind))?;
    report.encoding = Some(prepared.encoding());
    report.delimiter = prepared.delimiter();
    report.sheet = prepared.sheet_name();
    for &(line, bytes) in prepared.invalid_lines() {
        report.record(Issue {
            location: Location {
                file: name.clone(),
                line,
                column: None,
            },
            kind: IssueKind::InvalidUtf8 { bytes },
            severity: Severity::Warning,
        });
    }
    let mut rec = source::Record::new();
    let (header_line, headers) = match prepared.rows().next_record(&mut rec) {
        Next::Record(pos) => (
            pos.line,
            rec.iter().map(|h| h.trim().to_string()).collect::<Vec<_>>(),
        ),
        Next::Unclosed(pos, lines) => return Err((pos.line, IssueKind::UnclosedQuote { lines })),
        Next::Malformed(pos) => return Err((pos.line, IssueKind::MalformedRow)),
        Next::End => return Err((1, IssueKind::EmptyFile)),
    };
    let refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let unknown = || IssueKind::UnknownTable {
        headers: clip(&refs.join(", ")),
    };
    let kind = given.or_else(|| aliases::detect_kind_with(&refs, &options.mapping));
    let Some(kind) = kind else {
        return Err((header_line, unknown()));
    };
    report.kind = Some(kind);
    let matched = aliases::match_headers(kind, &refs, &options.mapping);
    if matched.iter().all(Option::is_none) {
        return Err((header_line, unknown()));
    }
    let missing = aliases::required_missing(kind, &matched);
    if !missing.is_empty() {
        return Err((header_line, IssueKind::MissingColumn { columns: missing }));
    }
    for (col, column, first) in aliases::repeated_headers(kind, &refs, &options.mapping) {
        report.record(Issue {
            location: Location {
                file: name.clone(),
                line: header_line,
                column: Some(Column {
                    index: col + 1,
                    name: refs[col].to_string(),
                }),
            },
            kind: IssueKind::RepeatedColumn {
                column,
                first: first + 1,
            },
            severity: Severity::Warning,
        });
    }
    Ok(Opened {
        prepared,
        kind,
        headers,
        header_line,
    })
}

/// A file that cannot be read: its fatal issue, and its table unusable when its kind is known
/// (`order`: its place in [`load_inputs`]' list of unusable tables).
fn refuse(
    unusable: &mut Vec<((u8, usize), UnusableTable)>,
    order: (u8, usize),
    report: &mut FileReport,
    name: &Arc<str>,
    line: u64,
    kind: IssueKind,
) {
    let issue = fatal(name, line, kind);
    if let Some(k) = report.kind {
        unusable.push((
            order,
            UnusableTable {
                kind: k,
                issue: issue.clone(),
            },
        ));
    }
    report.set_fatal(issue);
}

fn fatal(file: &Arc<str>, line: u64, kind: IssueKind) -> Issue {
    Issue {
        location: Location {
            file: file.clone(),
            line,
            column: None,
        },
        kind,
        severity: Severity::Rejected,
    }
}

/// A file whose bytes are fetched only when the reader gets to it, for callers that hold
/// files elsewhere (the CLI reads them from disk), and dropped once its table is built, so
/// that the bytes of one file at a time are in memory beside the tables. [`load_lazy`]
/// fetches each file once when every file's kind is given and no two are given the same
/// kind (as the CLI does); otherwise each file twice, for its header in the first pass (to
/// recognise it, or to report both files of one kind) and for its rows in table order.
pub struct LazyFile<'f> {
    /// File name as the user knows it.
    pub name: String,
    /// The table kind, when known; `None` = recognise it from the headers.
    pub kind: Option<TableKind>,
    /// Its size in bytes, for the size cap and progress, before it is fetched.
    pub len: u64,
    /// Fetches the bytes; an error (why, in words) makes the file unreadable
    /// (`unreadable_file`).
    pub fetch: Box<dyn FnMut() -> Result<Vec<u8>, String> + 'f>,
}

/// Like [`load_with_progress`], with files fetched when needed and dropped once read: the
/// tables and the report are those [`load_with_progress`] gives for the same bytes.
///
/// # Errors
/// [`Cancelled`] when `progress` returned `false`.
pub fn load_lazy(
    files: Vec<LazyFile<'_>>,
    options: &ReadOptions,
    progress: &mut dyn FnMut(LoadProgress) -> bool,
) -> Result<Loaded, Cancelled> {
    let lazy = |f| Input::Lazy(f, None);
    let mut inputs: Vec<Input<'_, '_>> = files.into_iter().map(lazy).collect();
    load_inputs(&mut inputs, options, progress, &mut Split::Whole)
}

/// A file given to the reader: borrowed bytes, or fetched when needed (with the bytes fetched
/// ahead of [`Input::prepare`], to see whether the file is a workbook: [`Input::workbook_ahead`]).
enum Input<'a, 'f> {
    Borrowed(SourceFile<'a>),
    Lazy(LazyFile<'f>, Option<Result<Vec<u8>, String>>),
}

impl<'a> Input<'a, '_> {
    fn name(&self) -> &str {
        match self {
            Input::Borrowed(f) => f.name,
            Input::Lazy(f, _) => &f.name,
        }
    }

    fn kind(&self) -> Option<TableKind> {
        match self {
            Input::Borrowed(f) => f.kind,
            Input::Lazy(f, _) => f.kind,
        }
    }

    fn len(&self) -> u64 {
        match self {
            Input::Borrowed(f) => f.bytes.len() as u64,
            Input::Lazy(f, _) => f.len,
        }
    }

    /// A fetched file's bytes when they are a workbook's, taken out for [`side`] (where the
    /// workbook is opened on a thread of its own); `None`: borrowed bytes, or not a workbook
    /// (kept for [`Input::prepare`]: the file is still fetched once).
    fn workbook_ahead(&mut self) -> Option<Vec<u8>> {
        let Input::Lazy(f, ahead) = self else {
            return None;
        };
        let got = ahead.take().unwrap_or_else(|| (f.fetch)());
        match got {
            Ok(bytes) if xlsx::is_workbook(&bytes) => Some(bytes),
            other => {
                *ahead = Some(other);
                None
            }
        }
    }

    /// The file made ready to read; `Err` = the file-level issue.
    fn prepare(&mut self, options: &ReadOptions) -> Result<Prepared<'a>, IssueKind> {
        let (sheet, inflated) = (options.sheet.as_deref(), Some(options.max_inflated_bytes));
        match self {
            Input::Borrowed(f) => Prepared::new(f.bytes, sheet, inflated),
            Input::Lazy(f, ahead) => match ahead.take().unwrap_or_else(|| (f.fetch)()) {
                Ok(bytes) => Prepared::from_owned(bytes, sheet, inflated),
                Err(reason) => Err(IssueKind::UnreadableFile {
                    reason: clip(&reason),
                }),
            },
        }
    }
}

/// Like [`load`], calling `progress` at most every 50 000 rows; it returns `false` to cancel.
///
/// # Errors
/// [`Cancelled`] when `progress` returned `false`.
pub fn load_with_progress(
    files: &[SourceFile<'_>],
    options: &ReadOptions,
    progress: &mut dyn FnMut(LoadProgress) -> bool,
) -> Result<Loaded, Cancelled> {
    let mut inputs: Vec<Input<'_, '_>> = files.iter().map(|f| Input::Borrowed(*f)).collect();
    load_inputs(&mut inputs, options, progress, &mut Split::Whole)
}

/// Reads piece `index` (0-based) of `count` of every big-table file (episodes, municipal
/// services, primary care) that can be cut (`pieces.rs`), for [`load_with_pieces`] in another
/// worker: the load's preamble as [`load`] (files opened and recognised, areas and persons read
/// whole, so that person indexes agree), then only that piece of each such file. Progress
/// counts each piece's bytes `count` times, as if the other pieces were read at the same pace.
///
/// # Errors
/// [`Cancelled`] when `progress` returned `false`.
pub fn read_piece(
    files: &[SourceFile<'_>],
    options: &ReadOptions,
    index: usize,
    count: usize,
    progress: &mut dyn FnMut(LoadProgress) -> bool,
) -> Result<PieceSet, Cancelled> {
    let mut inputs: Vec<Input<'_, '_>> = files.iter().map(|f| Input::Borrowed(*f)).collect();
    let mut set = PieceSet::new(index, count);
    if index < count && options.pass.is_none() {
        load_inputs(&mut inputs, options, progress, &mut Split::Read(&mut set))?;
    }
    Ok(set)
}

/// Like [`load_with_progress`], with the big-table files joined from the pieces in `sets`
/// ([`read_piece`] of the same files and options, one set per piece): a file whose pieces are
/// all there, each cut where this load cuts the file, is joined from them as the threads of
/// [`ReadOptions::threads`] are joined; any other file is read here. The tables and the report
/// are exactly [`load_with_progress`]'s.
///
/// # Errors
/// [`Cancelled`] when `progress` returned `false`.
pub fn load_with_pieces(
    files: &[SourceFile<'_>],
    options: &ReadOptions,
    mut sets: Vec<PieceSet>,
    progress: &mut dyn FnMut(LoadProgress) -> bool,
) -> Result<Loaded, Cancelled> {
    let mut inputs: Vec<Input<'_, '_>> = files.iter().map(|f| Input::Borrowed(*f)).collect();
    let mut split = if options.pass.is_none() {
        Split::Join(&mut sets)
    } else {
        Split::Whole
    };
    load_inputs(&mut inputs, options, progress, &mut split)
}

/// How the big tables are read: whole (in pieces on threads when allowed), one piece only
/// ([`read_piece`]), or joined from pieces read elsewhere ([`load_with_pieces`]).
enum Split<'s> {
    Whole,
    Read(&'s mut PieceSet),
    Join(&'s mut Vec<PieceSet>),
}

/// A big-table file read from pieces: joined from the other workers' pieces in `sets` when
/// they fit ([`joined`]), else read in `pieces` on threads here (`None` when the file cannot be
/// cut, or a cut was not a record boundary: the caller reads it in one go).
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn join_or_read<T: Send + row::Interned>(
    (sets, file, fingerprint, take, joined_files): (
        &mut [PieceSet],
        usize,
        impl FnOnce(usize) -> Option<pieces::Fingerprint>,
        fn(pieces::PieceRows, &mut row::Units) -> Option<Vec<T>>,
        &mut usize,
    ),
    pieces: Option<Vec<source::Rows<'_>>>,
    prepared: &Prepared<'_>,
    ctx: &FileCtx,
    (report, units, progress): (&mut FileReport, &mut row::Units, &mut Progress<'_>),
    keep_lines: bool,
    parse: &(dyn Fn(&mut row::RowCx<'_>) -> Option<T> + Sync),
) -> Result<Option<parallel::PieceRows<T>>, Cancelled> {
    let got = joined(
        sets,
        file,
        fingerprint,
        prepared,
        ctx,
        report,
        units,
        take,
        joined_files,
    );
    match (got, pieces) {
        (Some(got), _) => Ok(Some(got)),
        (None, Some(pieces)) => parallel::read_in_pieces(
            prepared, pieces, ctx, report, units, progress, keep_lines, parse,
        ),
        (None, None) => Ok(None),
    }
}

/// The pieces of file `file` in `sets`, taken out of them, when every piece is there and was
/// cut as `fingerprint` says; then the file joined from them. `None` (nothing recorded): read
/// the file here.
#[allow(clippy::too_many_arguments)]
fn joined<T: row::Interned>(
    sets: &mut [PieceSet],
    file: usize,
    fingerprint: impl FnOnce(usize) -> Option<pieces::Fingerprint>,
    prepared: &Prepared<'_>,
    ctx: &FileCtx,
    report: &mut FileReport,
    units: &mut row::Units,
    take: fn(pieces::PieceRows, &mut row::Units) -> Option<Vec<T>>,
    joined_files: &mut usize,
) -> Option<parallel::PieceRows<T>> {
    let count = sets.first()?.count();
    let fingerprint = fingerprint(count)?;
    let mut found: Vec<Option<pieces::FilePiece>> = (0..count).map(|_| None).collect();
    for set in sets.iter_mut() {
        let index = set.index();
        if set.count() != count || index >= count || found[index].is_some() {
            return None;
        }
        let piece = set.take_file(file)?;
        if piece.fingerprint != fingerprint {
            return None;
        }
        found[index] = Some(piece);
    }
    let mut done = Vec::with_capacity(count);
    for piece in found {
        let piece = piece?;
        done.push(piece.into_piece(take, units)?);
    }
    let got = parallel::join(
        prepared,
        done,
        Vec::new(),
        &vec![0; count],
        ctx,
        report,
        units,
    )?;
    *joined_files += 1;
    Some(got)
}

/// What is known about a file before its rows are read, from its header.
fn file_ctx(
    name: &Arc<str>,
    kind: TableKind,
    headers: Vec<String>,
    options: &ReadOptions,
) -> FileCtx {
    let refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let matched = aliases::match_headers(kind, &refs, &options.mapping);
    let mut ctx = FileCtx::new(
        name.clone(),
        kind,
        headers.clone(),
        &matched,
        &options.mapping,
        options.century_pivot,
        options.analysis_year,
    );
    ctx.pass = passes::PassFilter::of(&ctx, options.pass);
    ctx.current_year = options.current_year;
    ctx
}

/// The order in which pass 2 reads the tables. Areas come before persons so that a person's
/// municipality can be checked against them as it is read; the big tables need the persons.
const READ_ORDER: [TableKind; 6] = [
    TableKind::Areas,
    TableKind::Persons,
    TableKind::Population,
    TableKind::Episodes,
    TableKind::MunicipalServices,
    TableKind::PrimaryCare,
];

/// A table's place in [`READ_ORDER`].
fn read_rank(kind: TableKind) -> usize {
    READ_ORDER.iter().position(|&k| k == kind).unwrap_or(6)
}

/// The big tables: read in pieces when they can be cut, else side by side (`side`).
fn is_big(kind: TableKind) -> bool {
    matches!(
        kind,
        TableKind::Episodes | TableKind::MunicipalServices | TableKind::PrimaryCare
    )
}

/// Rows, none of them usable: the table is unusable, not empty. Records that (`true`: the
/// caller drops the table).
fn no_usable_rows(
    report: &mut FileReport,
    name: &Arc<str>,
    header_line: u64,
    kind: TableKind,
    unusable: &mut Vec<((u8, usize), UnusableTable)>,
) -> bool {
    if report.rows_read == 0 || report.rows_used > 0 {
        return false;
    }
    let issue = fatal(
        name,
        header_line,
        IssueKind::NoUsableRows {
            rejected: report.rows_rejected,
        },
    );
    report.record(issue.clone());
    unusable.push(((2, read_rank(kind)), UnusableTable { kind, issue }));
    true
}

/// The big tables as they are built, and the load's state a file read side by side is folded
/// into.
struct BigOut<'o> {
    reports: &'o mut [FileReport],
    units: &'o mut row::Units,
    unusable: &'o mut Vec<((u8, usize), UnusableTable)>,
    episodes: &'o mut Option<Vec<crate::model::Episode>>,
    services: &'o mut Option<Vec<MunicipalService>>,
    service_origins: &'o mut Vec<link::Origin>,
    primary: &'o mut Option<Vec<PrimaryCareContact>>,
}

/// Reads the queued big-table files side by side (`side`), then folds each into the load in
/// read order: a workbook opened on its thread gets its report back (refused as [`open`]
/// would have refused it), a file read is joined as a file of one piece ([`parallel::join`]:
/// unit names renumbered, report absorbed, duplicates found), then checked for usable rows:
/// the same steps, in the same order, as reading it in one go where it was queued. Each file's
/// bytes are dropped once it is folded.
fn flush_side(
    queue: &mut side::Queue<'_>,
    st: &persons::PersonsState,
    prog: &mut Progress<'_>,
    names: &[Arc<str>],
    options: &ReadOptions,
    out: BigOut<'_>,
) -> Result<(), Cancelled> {
    if queue.files.is_empty() {
        return Ok(());
    }
    let files = std::mem::take(&mut queue.files);
    let at: Vec<(usize, TableKind, u64)> =
        files.iter().map(|f| (f.report, f.kind, f.bytes)).collect();
    let done = side::read(files, st, options, prog)?;
    for ((i, kind, bytes), done) in at.into_iter().zip(done) {
        let name = &names[i];
        let (prepared, ctx, header_line, rows) = match done {
            side::Done::Read {
                prepared,
                ctx,
                header_line,
                rows,
                report,
            } => {
                if let Some(report) = report {
                    out.reports[i] = report;
                }
                (prepared, ctx, header_line, rows)
            }
            side::Done::Refused {
                line,
                issue,
                report,
            } => {
                out.reports[i] = report;
                refuse(out.unusable, (0, i), &mut out.reports[i], name, line, issue);
                continue;
            }
            side::Done::Gone { issue, report } => {
                // Readable a moment ago: the file changed or went away.
                out.reports[i] = report;
                let issue = fatal(name, 1, issue);
                out.reports[i].set_fatal(issue.clone());
                let unusable = UnusableTable { kind, issue };
                out.unusable.push(((2, read_rank(kind)), unusable));
                continue;
            }
        };
        let report = &mut out.reports[i];
        let (prepared, ctx, units) = (&prepared, &ctx, &mut *out.units);
        // A file of one piece is always joined (`join` refuses only a suspect piece before the
        // last, or none).
        match rows {
            side::Read::Episodes(piece) => {
                let got = parallel::join(prepared, vec![piece], vec![], &[0], ctx, report, units);
                if let Some(got) = got {
                    put(out.episodes, got.rows);
                }
            }
            side::Read::Services(piece) => {
                let got = parallel::join(prepared, vec![piece], vec![], &[0], ctx, report, units);
                if let Some(got) = got {
                    put(out.services, got.rows);
                    let origin = |line| link::Origin { report: i, line };
                    out.service_origins
                        .extend(got.lines.into_iter().map(origin));
                }
            }
            side::Read::PrimaryCare(piece) => {
                let got = parallel::join(prepared, vec![piece], vec![], &[0], ctx, report, units);
                if let Some(got) = got {
                    put(out.primary, got.rows);
                }
            }
        }
        prog.bytes_before += bytes;
        if no_usable_rows(report, name, header_line, kind, out.unusable) {
            match kind {
                TableKind::Episodes => *out.episodes = None,
                TableKind::MunicipalServices => *out.services = None,
                _ => *out.primary = None,
            }
        }
    }
    Ok(())
}

fn load_inputs<'a>(
    files: &mut [Input<'a, '_>],
    options: &ReadOptions,
    progress: &mut dyn FnMut(LoadProgress) -> bool,
    split: &mut Split<'_>,
) -> Result<Loaded, Cancelled> {
    let names: Vec<Arc<str>> = files.iter().map(|f| Arc::from(f.name())).collect();
    let mut reports: Vec<FileReport> = files
        .iter()
        .map(|f| FileReport {
            name: f.name().to_string(),
            kind: f.kind(),
            ..FileReport::default()
        })
        .collect();

    // Pass 1: decode, read the header, recognise the table. Every file whose kind is known
    // (given, or recognised) is listed under it, readable or not, so that two files for one
    // kind are found even when one of them is broken. A fetched file whose kind is given, the
    // only file given that kind, is opened only when its table is read (fetched once): no
    // other file can be recognised as that kind when every kind is given.
    let mut pending: Vec<Pending<'a>> = Vec::new();
    // Each with its place in the order of the reader that opens every file in pass 1:
    // (0, file) for a file refused when opened, (1, rank) for two files of one kind, (2, its
    // table's place in `READ_ORDER`) for what pass 2 finds (one file per table: files read
    // side by side may be done out of that order).
    let mut unusable: Vec<((u8, usize), UnusableTable)> = Vec::new();
    let mut by_kind: BTreeMap<usize, (TableKind, Vec<usize>)> = BTreeMap::new();
    let rank_of = |kind: TableKind| TableKind::ALL.iter().position(|&k| k == kind).unwrap_or(6);
    let mut claim = |kind: TableKind, i: usize| {
        by_kind
            .entry(rank_of(kind))
            .or_insert((kind, Vec::new()))
            .1
            .push(i);
    };
    let all_given = files.iter().all(|f| f.kind().is_some());
    let given = |kind: TableKind| files.iter().filter(|f| f.kind() == Some(kind)).count();
    let deferred: Vec<bool> = files
        .iter()
        .map(|f| match (f, f.kind()) {
            (Input::Lazy(..), Some(k)) => all_given && given(k) == 1,
            _ => false,
        })
        .collect();
    for (i, f) in files.iter_mut().enumerate() {
        let report = &mut reports[i];
        if let Some(k) = f.kind() {
            claim(k, i);
        }
        if let (true, Some(kind)) = (deferred[i], f.kind()) {
            pending.push(Pending {
                report: i,
                kind,
                prepared: None,
                header: None,
                bytes: f.len(),
            });
            continue;
        }
        let opened = match open(f, &names[i], report, options) {
            Ok(o) => o,
            Err((line, kind)) => {
                refuse(&mut unusable, (0, i), report, &names[i], line, kind);
                continue;
            }
        };
        if f.kind().is_none() {
            claim(opened.kind, i);
        }
        pending.push(Pending {
            report: i,
            kind: opened.kind,
            // A fetched file is dropped now and fetched again when its table is read.
            prepared: matches!(f, Input::Borrowed(_)).then_some(opened.prepared),
            header: Some((opened.headers, opened.header_line)),
            bytes: f.len(),
        });
    }
    // Two files for one kind: neither is read, never added up.
    for (kind, idx) in by_kind.into_values() {
        if idx.len() < 2 {
            continue;
        }
        let issue_kind = IssueKind::DuplicateTable {
            table: kind.canonical_name(),
            files: idx.iter().map(|&i| files[i].name().to_string()).collect(),
        };
        pending.retain(|p| p.kind != kind);
        unusable.retain(|(_, u)| u.kind != kind);
        for &i in &idx {
            let report = &mut reports[i];
            report.kind = Some(kind);
            if report.fatal.is_none() {
                report.set_fatal(fatal(&names[i], 1, issue_kind.clone()));
            }
        }
        unusable.push((
            (1, rank_of(kind)),
            UnusableTable {
                kind,
                issue: fatal(&names[idx[1]], 1, issue_kind),
            },
        ));
    }

    // Pass 2: read the rows, table by table ([`READ_ORDER`]).
    let bytes_total: u64 = files.iter().map(Input::len).sum();
    let mut prog = Progress {
        callback: progress,
        bytes_before: 0,
        bytes_total,
    };
    let mut st = persons::PersonsState::default();
    let mut joined_files = 0;
    // What pieces are read under (the options and the persons: `pieces::context_digest`),
    // worked out once, at the first big table — the persons are read by then.
    let context = std::cell::OnceCell::new();
    let mut units = row::Units::default();
    let mut areas_rows: Option<Vec<AreaRow>> = None;
    let mut population: Option<Vec<PopulationRow>> = None;
    let mut episodes: Option<Vec<crate::model::Episode>> = None;
    let mut services: Option<Vec<MunicipalService>> = None;
    let mut service_origins: Vec<link::Origin> = Vec::new();
    let mut primary: Option<Vec<PrimaryCareContact>> = None;
    // The tables and reports the queued big files are folded into (`flush_side`), borrowed
    // where a queue is read: before a file that does not fit beside it, and at the end.
    macro_rules! big_out {
        () => {
            BigOut {
                reports: &mut reports,
                units: &mut units,
                unusable: &mut unusable,
                episodes: &mut episodes,
                services: &mut services,
                service_origins: &mut service_origins,
                primary: &mut primary,
            }
        };
    }
    // Threads for the big tables, in pieces or side by side (`side`): natively, and one in
    // passes — a wrong cut is found by the broken records it makes, and a pass other than 0
    // does not see those.
    let threads = if cfg!(target_arch = "wasm32") || options.pass.is_some() {
        1
    } else {
        options.threads
    };
    let largest = pending
        .iter()
        .filter(|p| is_big(p.kind))
        .map(|p| p.bytes)
        .max()
        .unwrap_or(0);
    let mut queue = side::Queue::new(largest, threads);
    for kind in READ_ORDER {
        if kind == TableKind::Persons {
            st.areas = areas_rows
                .as_ref()
                .map(|a| a.iter().map(|r| r.municipality).collect());
        }
        let big = is_big(kind);
        if matches!(split, Split::Read(_)) && kind == TableKind::Population {
            // Not needed for the pieces.
            continue;
        }
        for p in pending.iter_mut().filter(|p| p.kind == kind) {
            if big && !queue.fits(p.bytes) {
                // Its bytes beside the queued files' would be more than the rule allows.
                let out = big_out!();
                flush_side(&mut queue, &st, &mut prog, &names, options, out)?;
            }
            let fetched = p.prepared.is_none() && files[p.report].len() <= options.max_file_bytes;
            if big && threads > 1 && fetched {
                if let Some(bytes) = files[p.report].workbook_ahead() {
                    // Opened on its own thread: inflating and parsing the sheet is most of
                    // the work of reading a workbook.
                    queue.files.push(side::Whole {
                        report: p.report,
                        kind,
                        bytes: p.bytes,
                        name: names[p.report].clone(),
                        source: side::Source::Workbook {
                            bytes,
                            header: p.header.take(),
                            report: std::mem::take(&mut reports[p.report]),
                        },
                    });
                    continue;
                }
            }
            let (prepared_file, headers, header_line) = match (p.prepared.take(), p.header.take()) {
                (Some(prepared), Some((headers, line))) => (prepared, headers, line),
                (None, Some((headers, line))) => match files[p.report].prepare(options) {
                    Ok(again) => (again, headers, line),
                    Err(issue) => {
                        // Readable a moment ago: the file changed or went away.
                        let issue = fatal(&names[p.report], 1, issue);
                        reports[p.report].set_fatal(issue.clone());
                        unusable.push(((2, read_rank(kind)), UnusableTable { kind, issue }));
                        continue;
                    }
                },
                (_, None) => {
                    let (file, name) = (&mut files[p.report], &names[p.report]);
                    match open(file, name, &mut reports[p.report], options) {
                        Ok(o) => (o.prepared, o.headers, o.header_line),
                        Err((line, issue)) => {
                            let report = &mut reports[p.report];
                            refuse(&mut unusable, (0, p.report), report, name, line, issue);
                            continue;
                        }
                    }
                }
            };
            let prepared = &prepared_file;
            let ctx = file_ctx(&names[p.report], kind, headers.clone(), options);
            let mut rows = prepared.rows();
            let mut skip = source::Record::new();
            let _header = rows.next_record(&mut skip);
            rows.set_expected(headers.len());
            let (report, file_bytes) = (&mut reports[p.report], p.bytes);
            // The big tables, read in pieces on `threads` threads when the file allows it.
            let resume = rows.resume_point().filter(|_| big);
            if let (true, Split::Read(set)) = (big, &mut *split) {
                // This worker's piece only; a file that cannot be cut is read by the worker
                // that joins.
                let (index, count) = (set.index(), set.count());
                let cut = resume.and_then(|(from, line)| {
                    let cuts = prepared.cut_points(from, count, options.min_piece())?;
                    let pieces = prepared.pieces(&cuts, line)?;
                    Some((cuts, pieces))
                });
                if let Some((cuts, piece)) =
                    cut.and_then(|(c, p)| Some((c, p.into_iter().nth(index)?)))
                {
                    let fingerprint = pieces::Fingerprint {
                        len: p.bytes,
                        cuts,
                        context: *context.get_or_init(|| pieces::context_digest(options, &st)),
                    };
                    let prog = &mut prog;
                    let (file, c) = (p.report, count as u64);
                    let piece = match kind {
                        TableKind::Episodes => {
                            let parse = |cx: &mut row::RowCx<'_>| episodes::parse(cx, &st);
                            let got = pieces::read_one(piece, &ctx, prog, c, false, &parse)?;
                            pieces::FilePiece::new(
                                file,
                                fingerprint,
                                got,
                                pieces::PieceRows::Episodes,
                            )
                        }
                        TableKind::MunicipalServices => {
                            let parse = |cx: &mut row::RowCx<'_>| services::parse(cx, &st);
                            let got = pieces::read_one(piece, &ctx, prog, c, true, &parse)?;
                            pieces::FilePiece::new(
                                file,
                                fingerprint,
                                got,
                                pieces::PieceRows::Services,
                            )
                        }
                        _ => {
                            let parse = |cx: &mut row::RowCx<'_>| primary_care::parse(cx, &st);
                            let got = pieces::read_one(piece, &ctx, prog, c, false, &parse)?;
                            pieces::FilePiece::new(
                                file,
                                fingerprint,
                                got,
                                pieces::PieceRows::PrimaryCare,
                            )
                        }
                    };
                    set.push(piece);
                }
                prog.bytes_before += p.bytes;
                continue;
            }
            let fingerprint = |count: usize| {
                let (from, _) = resume?;
                let cuts = prepared.cut_points(from, count, options.min_piece())?;
                let context = *context.get_or_init(|| pieces::context_digest(options, &st));
                Some(pieces::Fingerprint {
                    len: p.bytes,
                    cuts,
                    context,
                })
            };
            let sets: &mut [PieceSet] = match split {
                Split::Join(sets) if big => sets,
                _ => &mut [],
            };
            let pieces = resume.and_then(|(from, line)| {
                let cuts = prepared.cut_points(from, threads, options.min_piece())?;
                prepared.pieces(&cuts, line)
            });
            let mut read_in_pieces = false;
            if big {
                let prog = &mut prog;
                let file = p.report;
                match kind {
                    TableKind::Episodes => {
                        let parse = |cx: &mut row::RowCx<'_>| episodes::parse(cx, &st);
                        let take = |r, units: &mut row::Units| match r {
                            pieces::PieceRows::Episodes(mut r) => {
                                // Each row read back has a list of its own: shared again, as
                                // the reader shares them (a few hundred lists in millions of
                                // rows).
                                for e in &mut r {
                                    if !e.other_diagnoses.is_empty() {
                                        let codes = e.other_diagnoses.as_slice().to_vec();
                                        e.other_diagnoses = units.diagnoses(codes);
                                    }
                                }
                                Some(r)
                            }
                            _ => None,
                        };
                        let got = join_or_read(
                            (sets, file, fingerprint, take, &mut joined_files),
                            pieces,
                            prepared,
                            &ctx,
                            (report, &mut units, prog),
                            false,
                            &parse,
                        )?;
                        if let Some(got) = got {
                            put(&mut episodes, got.rows);
                            read_in_pieces = true;
                        }
                    }
                    TableKind::MunicipalServices => {
                        let parse = |cx: &mut row::RowCx<'_>| services::parse(cx, &st);
                        let take = |r, _: &mut row::Units| match r {
                            pieces::PieceRows::Services(r) => Some(r),
                            _ => None,
                        };
                        let got = join_or_read(
                            (sets, file, fingerprint, take, &mut joined_files),
                            pieces,
                            prepared,
                            &ctx,
                            (report, &mut units, prog),
                            true,
                            &parse,
                        )?;
                        if let Some(got) = got {
                            put(&mut services, got.rows);
                            let origin = |line| link::Origin {
                                report: p.report,
                                line,
                            };
                            service_origins.extend(got.lines.into_iter().map(origin));
                            read_in_pieces = true;
                        }
                    }
                    _ => {
                        let parse = |cx: &mut row::RowCx<'_>| primary_care::parse(cx, &st);
                        let take = |r, _: &mut row::Units| match r {
                            pieces::PieceRows::PrimaryCare(r) => Some(r),
                            _ => None,
                        };
                        let got = join_or_read(
                            (sets, file, fingerprint, take, &mut joined_files),
                            pieces,
                            prepared,
                            &ctx,
                            (report, &mut units, prog),
                            false,
                            &parse,
                        )?;
                        if let Some(got) = got {
                            put(&mut primary, got.rows);
                            read_in_pieces = true;
                        }
                    }
                }
            }
            if big && !read_in_pieces && threads > 1 {
                // Read whole beside the other big files read whole, folded in read order.
                drop(rows);
                queue.files.push(side::Whole {
                    report: p.report,
                    kind,
                    bytes: p.bytes,
                    name: names[p.report].clone(),
                    source: side::Source::Opened {
                        prepared: prepared_file,
                        ctx,
                        header_line,
                    },
                });
                continue;
            }
            let units = &mut units;
            if !read_in_pieces {
                // At most one row per line: the table never grows by copying itself.
                let lines = usize::try_from(rows.newlines_ahead()).unwrap_or(0);
                match kind {
                    TableKind::Persons => {
                        st.persons.reserve(lines);
                        st.index.reserve(lines);
                    }
                    TableKind::Episodes => episodes.get_or_insert_with(Vec::new).reserve(lines),
                    TableKind::MunicipalServices => {
                        services.get_or_insert_with(Vec::new).reserve(lines);
                        service_origins.reserve(lines);
                    }
                    TableKind::PrimaryCare => primary.get_or_insert_with(Vec::new).reserve(lines),
                    TableKind::Areas | TableKind::Population => {}
                }
                let mut read = |parse: &mut dyn FnMut(&mut row::RowCx<'_>) -> bool| {
                    row::read_rows(&mut rows, &ctx, report, &mut prog, file_bytes, units, parse)
                };
                match kind {
                    TableKind::Persons => read(&mut |cx| match persons::parse(cx, &st) {
                        Some(person) => {
                            // Indexed at once: a second row of the pid is a duplicate.
                            st.index.insert(&person.pid, st.persons.len() as u32);
                            st.persons.push(person);
                            true
                        }
                        None => false,
                    })?,
                    TableKind::Areas => {
                        let out = areas_rows.get_or_insert_with(Vec::new);
                        let mut seen = BTreeMap::new();
                        read(&mut |cx| areas::parse(cx, &mut seen).map(|r| out.push(r)).is_some())?
                    }
                    TableKind::Population => {
                        let out = population.get_or_insert_with(Vec::new);
                        read(&mut |cx| population::parse(cx).map(|r| out.push(r)).is_some())?
                    }
                    TableKind::Episodes => {
                        let out = episodes.get_or_insert_with(Vec::new);
                        read(&mut |cx| episodes::parse(cx, &st).map(|r| out.push(r)).is_some())?
                    }
                    TableKind::MunicipalServices => {
                        let out = services.get_or_insert_with(Vec::new);
                        let origins = &mut service_origins;
                        let report_idx = p.report;
                        read(&mut |cx| match services::parse(cx, &st) {
                            Some(r) => {
                                out.push(r);
                                origins.push(link::Origin {
                                    report: report_idx,
                                    line: cx.line,
                                });
                                true
                            }
                            None => false,
                        })?
                    }
                    TableKind::PrimaryCare => {
                        let out = primary.get_or_insert_with(Vec::new);
                        read(&mut |cx| primary_care::parse(cx, &st).map(|r| out.push(r)).is_some())?
                    }
                }
            }
            prog.bytes_before += p.bytes;
            let (report, name) = (&mut reports[p.report], &names[p.report]);
            if no_usable_rows(report, name, header_line, kind, &mut unusable) {
                match kind {
                    TableKind::Persons => {}
                    TableKind::Areas => areas_rows = None,
                    TableKind::Population => population = None,
                    TableKind::Episodes => episodes = None,
                    TableKind::MunicipalServices => services = None,
                    TableKind::PrimaryCare => primary = None,
                }
            }
        }
    }
    let out = big_out!();
    flush_side(&mut queue, &st, &mut prog, &names, options, out)?;
    if let Some(s) = &services {
        link::warn_overlapping_services(s, &service_origins, &mut reports, &names);
    }

    // Report order: persons, areas, population, episodes, services, primary care; then files
    // that could not be read, each group in input order.
    let rank = |r: &FileReport| match (r.fatal.is_some(), r.kind) {
        (false, Some(k)) => TableKind::ALL.iter().position(|&x| x == k).unwrap_or(6),
        _ => 7,
    };
    let mut ordered: Vec<(usize, FileReport)> = reports.into_iter().enumerate().collect();
    // Unusable tables in the order of a reader that opens every file first (stable sort).
    unusable.sort_by_key(|(order, _)| *order);
    ordered.sort_by_key(|(i, r)| (rank(r), *i));
    Ok(Loaded {
        tables: Tables {
            persons: st.persons,
            episodes,
            municipal_services: services,
            primary_care: primary,
            population,
            areas: areas_rows,
            units: units.names,
            unusable: unusable.into_iter().map(|(_, u)| u).collect(),
        },
        quality: QualityReport {
            files: ordered.into_iter().map(|(_, r)| r).collect(),
        },
        joined: joined_files,
    })
}
