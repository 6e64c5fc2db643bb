//! Reading one large CSV file in pieces on several threads (natively; the browser reads on one).
//!
//! A file without any quote character can be cut at any line end, since every `\n` then ends a
//! record ([`Prepared::cut_points`]). Each piece is read by [`read_records`] on a thread of its
//! own, into its own report and hashes, and its rows into its own slots of one table. The pieces
//! are then joined in file order — line numbers shifted by the lines of the pieces before,
//! reports absorbed in order, empty slots squeezed out — and the exact-duplicate check runs once
//! over the whole file, merging the pieces' hashes (each sorted on its piece's thread). The
//! tables and the report are the same as when the file is read in one go
//! (`tests::pieces_read_like_one_go`).

use super::row::{
    read_records, report_duplicates, FileCtx, Interned, Progress, RowCx, RowHashes, Units,
};
use super::source::{Prepared, Rows};
use super::{Cancelled, LoadProgress};
use crate::quality::FileReport;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

/// What reading a file produced: its rows, and for each row its line (when asked for).
pub(crate) struct PieceRows<T> {
    /// The rows kept, in file order.
    pub rows: Vec<T>,
    /// The line of each kept row (empty unless asked for).
    pub lines: Vec<u64>,
}

/// One piece's result (its rows are in its slots of the file's table), read on a thread of
/// its own here, or in a browser worker of its own ([`super::pieces`]).
pub(crate) struct Piece<T> {
    pub report: FileReport,
    /// Sorted ([`RowHashes::sort`]).
    pub hashes: RowHashes,
    /// The unit names of the piece's rows, numbered within the piece.
    pub units: Vec<String>,
    /// The line of each kept row (when asked for).
    pub lines: Vec<u64>,
    /// Rows beyond the piece's slots (never more rows than lines + 1, so none; kept in case).
    pub overflow: Vec<T>,
    /// `\n` bytes in the piece: how far the lines of the pieces after it are shifted.
    pub newlines: u64,
}

/// Reads the records of a CSV file in `pieces` (from [`Prepared::pieces`]), one thread each.
/// `parse` reads one record into a row, or leaves a rejection; `keep_lines` also returns each
/// kept row's line. Progress goes through `progress` from the calling thread only; cancelling
/// stops every piece. `Ok(None)` when a cut turned out not to be a record boundary: nothing
/// has been recorded, and the file must be read in one go.
#[allow(clippy::too_many_arguments)]
pub(crate) fn read_in_pieces<T: Send + Interned>(
    prepared: &Prepared<'_>,
    pieces: Vec<Rows<'_>>,
    ctx: &FileCtx,
    report: &mut FileReport,
    units: &mut Units,
    progress: &mut Progress<'_>,
    keep_lines: bool,
    parse: &(dyn Fn(&mut RowCx<'_>) -> Option<T> + Sync),
) -> Result<Option<PieceRows<T>>, Cancelled> {
    let cancel = AtomicBool::new(false);
    let (tx, rx) = mpsc::channel::<(u64, u64)>();
    let mut done: Vec<Option<Piece<T>>> = Vec::new();
    // Line ends counted on the pieces' threads, once.
    let newlines: Vec<u64> = std::thread::scope(|scope| {
        let counts: Vec<_> = pieces
            .iter()
            .map(|rows| scope.spawn(|| rows.newlines_ahead()))
            .collect();
        let count = |(h, rows): (std::thread::ScopedJoinHandle<'_, u64>, &Rows<'_>)| {
            h.join().unwrap_or_else(|_| rows.newlines_ahead())
        };
        counts.into_iter().zip(&pieces).map(count).collect()
    });
    let sizes: Vec<usize> = newlines
        .iter()
        .map(|&n| usize::try_from(n).map_or(0, |n| n.saturating_add(1)))
        .collect();
    // One table for the whole file, each piece writing its rows into its own slots (at most
    // one row per line, and one more for a last line without a line end): the rows are never
    // moved from one piece's table into another's, so no second copy of any is held. The
    // empty slots (rejected rows, blank lines) are squeezed out in place at the end.
    let mut slots: Vec<Option<T>> = Vec::new();
    slots.resize_with(sizes.iter().sum(), || None);
    let mut regions: Vec<&mut [Option<T>]> = Vec::with_capacity(sizes.len());
    let mut rest = &mut slots[..];
    for &n in &sizes {
        let (mine, after) = rest.split_at_mut(n.min(rest.len()));
        regions.push(mine);
        rest = after;
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = pieces
            .into_iter()
            .zip(regions)
            .zip(newlines)
            .map(|((mut rows, region), newlines)| {
                let tx = tx.clone();
                let cancel = &cancel;
                scope.spawn(move || {
                    let (start, _) = rows.resume_point().unwrap_or((0, 0));
                    rows.set_expected(ctx.names.len());
                    let mut piece_units = Units::default();
                    let mut piece = Piece {
                        report: FileReport::default(),
                        hashes: RowHashes::default(),
                        units: Vec::new(),
                        lines: Vec::new(),
                        overflow: Vec::new(),
                        newlines,
                    };
                    let (mut last_rows, mut last_byte) = (0u64, start);
                    let mut tick = |rows_done: u64, at_byte: u64| {
                        let sent = tx.send((rows_done - last_rows, at_byte - last_byte));
                        (last_rows, last_byte) = (rows_done, at_byte);
                        sent.is_ok() && !cancel.load(Ordering::Relaxed)
                    };
                    let (lines, overflow) = (&mut piece.lines, &mut piece.overflow);
                    let mut slots = region.iter_mut();
                    let mut keep = |cx: &mut RowCx<'_>| match parse(cx) {
                        Some(row) => {
                            match slots.next() {
                                Some(slot) => *slot = Some(row),
                                None => overflow.push(row),
                            }
                            if keep_lines {
                                lines.push(cx.line);
                            }
                            true
                        }
                        None => false,
                    };
                    let read = read_records(
                        &mut rows,
                        ctx,
                        &mut piece.report,
                        &mut piece.hashes,
                        &mut piece_units,
                        &mut tick,
                        &mut keep,
                    );
                    if read.is_err() {
                        cancel.store(true, Ordering::Relaxed);
                        return None;
                    }
                    // Sorted here, on the piece's thread, for the duplicate check.
                    piece.hashes.sort();
                    piece.units = piece_units.names;
                    Some(piece)
                })
            })
            .collect();
        drop(tx);
        // Progress from this thread: the callback is the caller's and stays on its thread.
        let mut rows_done = 0u64;
        let mut bytes_done = progress.bytes_before;
        for (rows, bytes) in rx {
            rows_done += rows;
            bytes_done += bytes;
            let go_on = (progress.callback)(LoadProgress {
                file: ctx.file.to_string(),
                rows_done,
                bytes_done: bytes_done.min(progress.bytes_total),
                bytes_total: progress.bytes_total,
            });
            if !go_on {
                cancel.store(true, Ordering::Relaxed);
            }
        }
        done = handles
            .into_iter()
            .map(|h| h.join().ok().flatten())
            .collect();
    });
    // A piece ends without a result only when it was cancelled (a panic in a piece is a bug;
    // it is not hidden as a shorter table either).
    if cancel.load(Ordering::Relaxed) || done.iter().any(Option::is_none) {
        return Err(Cancelled);
    }
    let done: Vec<Piece<T>> = done.into_iter().flatten().collect();
    Ok(join(prepared, done, slots, &sizes, ctx, report, units))
}

/// Joins the pieces of a file, read on their own, in file order: piece `i`'s rows are in
/// `slots`' `sizes[i]` slots after those of the pieces before it (empty slots skipped), then in
/// its overflow. Line numbers are shifted by the line ends of the pieces before, reports
/// absorbed in order, unit names renumbered into `units`, and the exact-duplicate check runs
/// over the merged hashes. `None` when a piece before the last is suspect (its cut was not a
/// record boundary) or there is none: nothing has been recorded, the file must be read in one
/// go.
pub(crate) fn join<T: Interned>(
    prepared: &Prepared<'_>,
    done: Vec<Piece<T>>,
    mut slots: Vec<Option<T>>,
    sizes: &[usize],
    ctx: &FileCtx,
    report: &mut FileReport,
    units: &mut Units,
) -> Option<PieceRows<T>> {
    // Each piece was read from a true record start (the first one by construction, each next
    // one if the piece before it ended cleanly), by the same parser as a reading in one go.
    // A cut inside a quoted field leaves the piece before it with an unclosed quote at its
    // end; a piece with any unclosed quote or unreadable record is therefore not trusted, and
    // the caller reads the file in one go.
    let pieces_before_last = done.len().saturating_sub(1);
    let suspect = |p: &Piece<T>| {
        ["unclosed_quote", "malformed_row"]
            .iter()
            .any(|code| p.report.counts.contains_key(code))
    };
    if done.iter().take(pieces_before_last).any(suspect) || done.is_empty() {
        return None;
    }
    // Each piece numbered its unit names from 0: renumbered into the load's names (no pass
    // over the rows when the numbers stay as they were, as for the first piece of a file).
    let mut rest = &mut slots[..];
    let mut overflow_rows = false;
    let mut pieces = Vec::with_capacity(done.len());
    for (piece, &n) in done.into_iter().zip(sizes) {
        let (mine, after) = rest.split_at_mut(n.min(rest.len()));
        rest = after;
        let Piece {
            report: piece_report,
            hashes,
            units: piece_units,
            lines,
            mut overflow,
            newlines,
        } = piece;
        let map: Vec<_> = piece_units.iter().map(|n| units.intern(n)).collect();
        if map.iter().enumerate().any(|(i, id)| id.index() != i) {
            mine.iter_mut().flatten().for_each(|r| r.remap_units(&map));
            overflow.iter_mut().for_each(|r| r.remap_units(&map));
        }
        overflow_rows |= !overflow.is_empty();
        pieces.push((piece_report, hashes, lines, overflow, newlines));
    }
    let mut all = PieceRows {
        rows: Vec::new(),
        lines: Vec::new(),
    };
    if let ([(_, _, _, overflow, _)], true) = (&mut pieces[..], slots.is_empty()) {
        // A file read whole, as one piece ([`super::side`]): its rows as they are.
        all.rows = std::mem::take(overflow);
    } else if overflow_rows {
        // Pieces read in other workers ([`super::pieces`]) have all their rows here; on threads
        // never taken (a piece has at most one row more than its line ends). Rows kept in order:
        // each piece's slots, then its overflow.
        let overflowing: usize = pieces.iter().map(|p| p.3.len()).sum();
        all.rows
            .reserve_exact(sizes.iter().sum::<usize>() + overflowing);
        let mut slots = slots.into_iter();
        for ((_, _, _, overflow, _), &n) in pieces.iter_mut().zip(sizes) {
            all.rows.extend(slots.by_ref().take(n).flatten());
            // Each piece's memory given back as its rows are moved.
            all.rows.extend(std::mem::take(overflow));
        }
    } else {
        // Moved down in place (same size: `Option<T>` uses a niche of `T`), the empty slots'
        // memory given back.
        #[allow(clippy::filter_map_identity)]
        let rows: Vec<T> = slots.into_iter().filter_map(|row| row).collect();
        all.rows = rows;
        all.rows.shrink_to_fit();
    }
    let mut hashes = Vec::with_capacity(pieces.len());
    let mut shift = 0;
    for (mut piece_report, piece_hashes, lines, _, newlines) in pieces {
        for issues in piece_report.examples.values_mut() {
            for issue in issues {
                issue.location.line += shift;
            }
        }
        report.absorb(piece_report);
        #[cfg(test)]
        let piece_hashes = {
            let mut hashes = piece_hashes;
            hashes.shift_lines(shift);
            hashes
        };
        hashes.push(piece_hashes);
        all.lines.extend(lines.into_iter().map(|line| line + shift));
        shift += newlines;
    }
    report_duplicates(prepared.rows().fetcher(), hashes, ctx, report);
    Some(all)
}
