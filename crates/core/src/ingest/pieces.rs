//! Reading the big tables in pieces in separate workers (the browser: wasm has no threads here,
//! so each piece is read by a worker of its own and handed back as bytes).
//!
//! Every worker runs the load's preamble as [`super::load`] does (open every file, recognise
//! the tables, read areas and persons whole: persons are small, and reading them whole makes
//! every worker's person indexes agree), then reads only its piece of each big-table file
//! (episodes, municipal services, primary care) that [`Prepared::cut_points`] can cut, into a
//! [`PieceSet`]. The worker that joins ([`super::load_with_pieces`]) joins a file from its
//! pieces exactly as [`super::parallel::read_in_pieces`] joins its threads' pieces (one
//! function, [`super::parallel::join`]) — only when every piece is there and each was cut where
//! it cuts the file itself; any other file is read in one go. The result is always exactly
//! [`super::load`]'s (`tests::pieces_in_workers_read_like_one_go`).

use super::parallel::Piece;
use super::row::{read_records, Interned, Progress, RowCx, RowHashes, Units};
use super::source::Rows;
use super::{Cancelled, LoadProgress};
use crate::model::{Episode, MunicipalService, PrimaryCareContact};
use crate::quality::FileReport;
use serde::{Deserialize, Serialize};

/// What one worker read of a load: its piece of every big-table file it could cut. Made by
/// [`super::read_piece`], moved between workers as bytes ([`PieceSet::to_bytes`],
/// [`PieceSet::from_bytes`]) and joined by [`super::load_with_pieces`].
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct PieceSet {
    /// Which piece (0-based) of how many.
    index: usize,
    count: usize,
    files: Vec<FilePiece>,
}

impl PieceSet {
    /// Which piece this is (0-based).
    pub fn index(&self) -> usize {
        self.index
    }

    /// Into how many pieces the files were cut.
    pub fn count(&self) -> usize {
        self.count
    }

    /// How many files this set holds a piece of (0: nothing could be cut).
    pub fn files(&self) -> usize {
        self.files.len()
    }

    /// The set as bytes (a compact binary form, [`postcard`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        // Serialising to a Vec fails only for types serde cannot write; these are all plain.
        postcard::to_allocvec(self).unwrap_or_default()
    }

    /// A set read back from [`PieceSet::to_bytes`]; `None` when the bytes are not one.
    pub fn from_bytes(bytes: &[u8]) -> Option<PieceSet> {
        postcard::from_bytes(bytes).ok()
    }

    pub(crate) fn new(index: usize, count: usize) -> PieceSet {
        PieceSet {
            index,
            count,
            files: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, piece: FilePiece) {
        self.files.push(piece);
    }

    /// The piece of file `file`, taken out of the set.
    pub(crate) fn take_file(&mut self, file: usize) -> Option<FilePiece> {
        let at = self.files.iter().position(|f| f.file == file)?;
        Some(self.files.swap_remove(at))
    }
}

/// Where a file was cut, and under what it was read, to check that a piece read elsewhere
/// belongs to the file as this worker sees it: never trusted otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Fingerprint {
    /// The file's length in bytes.
    pub len: u64,
    /// The cuts ([`Prepared::cut_points`]).
    pub cuts: Vec<u64>,
    /// [`context_digest`] of the worker that read the piece.
    pub context: u64,
}

/// What a piece's rows depend on besides its bytes: the read options (mapping, century rule,
/// years: they decide what is rejected or warned about) and the persons as read, in order (a
/// row holds its person's index, so a worker that kept or rejected one person more would
/// shift every index after it), and the areas' municipalities. Workers that read under
/// different options or clocks get different digests, and their pieces are not joined.
pub(crate) fn context_digest(
    options: &super::ReadOptions,
    st: &super::persons::PersonsState,
) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    let options = super::ReadOptions {
        threads: 1,
        pass: None,
        ..options.clone()
    };
    serde_json::to_string(&options)
        .unwrap_or_default()
        .hash(&mut h);
    st.persons.len().hash(&mut h);
    for p in &st.persons {
        (
            &p.pid,
            p.birth_year,
            p.age,
            p.sex,
            p.municipality,
            p.death_date,
        )
            .hash(&mut h);
    }
    if let Some(areas) = &st.areas {
        let mut codes: Vec<u16> = areas.iter().map(|m| m.0).collect();
        codes.sort_unstable();
        codes.hash(&mut h);
    }
    h.finish()
}

/// The rows of one piece.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum PieceRows {
    Episodes(Vec<Episode>),
    Services(Vec<MunicipalService>),
    PrimaryCare(Vec<PrimaryCareContact>),
}

/// One worker's piece of one file.
#[derive(Serialize, Deserialize)]
pub(crate) struct FilePiece {
    /// The file's place in the input.
    pub file: usize,
    pub fingerprint: Fingerprint,
    /// The piece's report as JSON (its static texts are read back with
    /// `quality::statics`, which needs owned data).
    report: String,
    /// Sorted.
    hashes: RowHashes,
    units: Vec<String>,
    lines: Vec<u64>,
    newlines: u64,
    pub rows: PieceRows,
}

impl std::fmt::Debug for FilePiece {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FilePiece")
            .field("file", &self.file)
            .field("fingerprint", &self.fingerprint)
            .finish_non_exhaustive()
    }
}

impl FilePiece {
    pub(crate) fn new<T>(
        file: usize,
        fingerprint: Fingerprint,
        piece: Piece<T>,
        rows: impl FnOnce(Vec<T>) -> PieceRows,
    ) -> FilePiece {
        FilePiece {
            file,
            fingerprint,
            report: serde_json::to_string(&piece.report).unwrap_or_default(),
            hashes: piece.hashes,
            units: piece.units,
            lines: piece.lines,
            newlines: piece.newlines,
            rows: rows(piece.overflow),
        }
    }

    /// The piece with its rows, for [`super::parallel::join`] (rows in `overflow`; `take`
    /// gets them out of the piece, sharing lists through `units`); `None` when its report
    /// cannot be read back.
    pub(crate) fn into_piece<T>(
        self,
        take: fn(PieceRows, &mut Units) -> Option<Vec<T>>,
        units: &mut Units,
    ) -> Option<Piece<T>> {
        let rows = take(self.rows, units)?;
        let value: serde_json::Value = serde_json::from_str(&self.report).ok()?;
        let report = <FileReport as Deserialize<'static>>::deserialize(value).ok()?;
        Some(Piece {
            report,
            hashes: self.hashes,
            units: self.units,
            lines: self.lines,
            overflow: rows,
            newlines: self.newlines,
        })
    }
}

/// Reads one piece of a file (its reader from [`Prepared::pieces`]) into its own report,
/// sorted hashes and unit names; its rows in `overflow`. Progress goes through `progress`,
/// the piece's bytes counted `scale` times (the other pieces being read elsewhere at about the
/// same pace); `false` cancels.
pub(crate) fn read_one<T: Interned>(
    rows: Rows<'_>,
    ctx: &super::row::FileCtx,
    progress: &mut Progress<'_>,
    scale: u64,
    keep_lines: bool,
    parse: &dyn Fn(&mut RowCx<'_>) -> Option<T>,
) -> Result<Piece<T>, Cancelled> {
    let (start, _) = rows.resume_point().unwrap_or((0, 0));
    let mut tick = |rows_done: u64, at_byte: u64| {
        let done = progress.bytes_before + at_byte.saturating_sub(start).saturating_mul(scale);
        (progress.callback)(LoadProgress {
            file: ctx.file.to_string(),
            rows_done,
            bytes_done: done.min(progress.bytes_total),
            bytes_total: progress.bytes_total,
        })
    };
    read_whole(rows, ctx, &mut tick, keep_lines, parse)
}

/// Reads the records of `rows` (a piece, or a whole file after its header) into a piece of
/// its own: report, sorted hashes, unit names, its rows in `overflow`. `tick(rows done, byte
/// reached)` as in [`read_records`]; `false` cancels.
pub(crate) fn read_whole<T: Interned>(
    mut rows: Rows<'_>,
    ctx: &super::row::FileCtx,
    tick: &mut dyn FnMut(u64, u64) -> bool,
    keep_lines: bool,
    parse: &dyn Fn(&mut RowCx<'_>) -> Option<T>,
) -> Result<Piece<T>, Cancelled> {
    let newlines = rows.newlines_ahead();
    rows.set_expected(ctx.names.len());
    let mut units = Units::default();
    let mut piece = Piece {
        report: FileReport::default(),
        hashes: RowHashes::default(),
        units: Vec::new(),
        lines: Vec::new(),
        overflow: Vec::with_capacity(usize::try_from(newlines).unwrap_or(0)),
        newlines,
    };
    let (out, lines) = (&mut piece.overflow, &mut piece.lines);
    let mut keep = |cx: &mut RowCx<'_>| match parse(cx) {
        Some(row) => {
            out.push(row);
            if keep_lines {
                lines.push(cx.line);
            }
            true
        }
        None => false,
    };
    read_records(
        &mut rows,
        ctx,
        &mut piece.report,
        &mut piece.hashes,
        &mut units,
        tick,
        &mut keep,
    )?;
    piece.hashes.sort();
    piece.units = units.names;
    Ok(piece)
}
