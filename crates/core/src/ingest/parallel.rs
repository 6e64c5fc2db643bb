//! Reading one large CSV file in pieces on several threads (natively; the browser reads on one).
//!
//! A file without any quote character can be cut at any line end, since every `\n` then ends a
//! record ([`Prepared::cut_points`]). Each piece is read by [`read_records`] on a thread of its
//! own, into its own report, rows and hashes. The pieces are then joined in file order — line
//! numbers shifted by the lines of the pieces before, reports absorbed in order — and the
//! exact-duplicate check runs once over the whole file, merging the pieces' hashes (each sorted on
//! its piece's thread). The tables and the report are the same
//! as when the file is read in one go (`tests::pieces_read_like_one_go`).

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

/// One piece's result.
struct Piece<T> {
    report: FileReport,
    hashes: RowHashes,
    /// The unit names of the piece's rows, numbered within the piece.
    units: Units,
    out: PieceRows<T>,
    /// `\n` bytes in the piece: how far the lines of the pieces after it are shifted.
    newlines: u64,
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
    std::thread::scope(|scope| {
        let handles: Vec<_> = pieces
            .into_iter()
            .map(|mut rows| {
                let tx = tx.clone();
                let cancel = &cancel;
                scope.spawn(move || {
                    let (start, _) = rows.resume_point().unwrap_or((0, 0));
                    let newlines = rows.newlines_ahead();
                    rows.set_expected(ctx.names.len());
                    let mut piece = Piece {
                        report: FileReport::default(),
                        hashes: RowHashes::default(),
                        units: Units::default(),
                        out: PieceRows {
                            // At most one row per line: no reallocation while reading.
                            rows: Vec::with_capacity(usize::try_from(newlines).unwrap_or(0)),
                            lines: Vec::new(),
                        },
                        newlines,
                    };
                    let (mut last_rows, mut last_byte) = (0u64, start);
                    let mut tick = |rows_done: u64, at_byte: u64| {
                        let sent = tx.send((rows_done - last_rows, at_byte - last_byte));
                        (last_rows, last_byte) = (rows_done, at_byte);
                        sent.is_ok() && !cancel.load(Ordering::Relaxed)
                    };
                    let out = &mut piece.out;
                    let mut keep = |cx: &mut RowCx<'_>| match parse(cx) {
                        Some(row) => {
                            out.rows.push(row);
                            if keep_lines {
                                out.lines.push(cx.line);
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
                        &mut piece.units,
                        &mut tick,
                        &mut keep,
                    );
                    if read.is_err() {
                        cancel.store(true, Ordering::Relaxed);
                        return None;
                    }
                    // Sorted here, on the piece's thread, for the duplicate check.
                    piece.hashes.sort();
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
    if done.iter().take(pieces_before_last).flatten().any(suspect) {
        return Ok(None);
    }
    let kept: usize = done.iter().flatten().map(|p| p.out.rows.len()).sum();
    let mut done = done.into_iter().flatten();
    let Some(first) = done.next() else {
        return Ok(None);
    };
    // The first piece's rows grow to hold the others: a large block grows in place (the
    // allocator remaps its pages), so the rows are copied once, not twice, and the table and
    // a copy of it are never held together.
    // Each piece numbered its unit names from 0: renumbered into the load's names (no pass
    // over the rows when the numbers stay as they were, as for the first piece of a file).
    let mut renumber = |rows: &mut [T], piece_units: Units| {
        let map: Vec<_> = piece_units.names.iter().map(|n| units.intern(n)).collect();
        if map.iter().enumerate().any(|(i, id)| id.index() != i) {
            rows.iter_mut().for_each(|r| r.remap_units(&map));
        }
    };
    let mut first = first;
    renumber(&mut first.out.rows, first.units);
    let mut all = PieceRows {
        rows: first.out.rows,
        lines: first.out.lines,
    };
    all.rows.reserve_exact(kept - all.rows.len());
    let mut hashes = vec![first.hashes];
    report.absorb(first.report);
    let mut shift = first.newlines;
    for mut piece in done {
        renumber(&mut piece.out.rows, piece.units);
        for issues in piece.report.examples.values_mut() {
            for issue in issues {
                issue.location.line += shift;
            }
        }
        report.absorb(piece.report);
        #[cfg(test)]
        piece.hashes.shift_lines(shift);
        hashes.push(piece.hashes);
        append_in_blocks(&mut all.rows, piece.out.rows, 16 << 20);
        all.lines
            .extend(piece.out.lines.into_iter().map(|line| line + shift));
        shift += piece.newlines;
    }
    report_duplicates(prepared.rows().fetcher(), hashes, ctx, report);
    Ok(Some(all))
}

/// Moves `rows` after the end of `all` a block of `block_bytes` at a time, giving each block's
/// memory back as it goes (the allocator shrinks a large block in place), so that a piece's
/// rows and their copy are not both held whole.
fn append_in_blocks<T>(all: &mut Vec<T>, mut rows: Vec<T>, block_bytes: usize) {
    let block = (block_bytes / std::mem::size_of::<T>().max(1)).max(1);
    while rows.len() > block {
        all.extend(rows.drain(..block));
        rows.shrink_to_fit();
    }
    all.append(&mut rows);
}

#[cfg(test)]
mod tests {
    #[test]
    fn rows_moved_in_blocks_keep_their_order() {
        // 4-byte rows in blocks of 12 bytes (3 rows): 10 rows move as 3 + 3 + 3, then 1.
        let mut all: Vec<u32> = vec![100, 101];
        super::append_in_blocks(&mut all, (0..10).collect(), 12);
        let mut want = vec![100, 101];
        want.extend(0..10);
        assert_eq!(all, want);
        super::append_in_blocks(&mut all, Vec::new(), 12);
        assert_eq!(all.len(), 12);
    }
}
