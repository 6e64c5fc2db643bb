//! Reading different big-table files at the same time (natively; the browser reads on one
//! thread).
//!
//! A big-table file (episodes, municipal services, primary care) that is not read in pieces —
//! a workbook, a file under the cutting size, a file whose cut was refused
//! ([`super::parallel`]) — would be read on one thread while the others wait. Such files are
//! queued instead and read side by side, one thread each, every file into its own report,
//! hashes and unit names, exactly as one piece of [`super::parallel::read_in_pieces`]; the
//! caller then folds each into the load in read order with [`super::parallel::join`], as a
//! file of one piece. A file's rows depend only on its bytes, the options and the persons
//! (read before any big table), so the tables and the report are those of the reading one
//! file after the other (`tests::side::side_by_side_reads_like_one_thread`).
//!
//! Memory: a queued file's bytes are held until it is read. [`Queue::fits`] admits a file
//! while the bytes of the files held at once stay within the bytes of the largest big-table
//! file of the load (and no more files than threads): the reading one file after the other
//! holds that file alone at some point, so the bytes held never exceed what it held then.

use super::parallel::Piece;
use super::persons::PersonsState;
use super::row::{FileCtx, Progress, RowCx};
use super::source::{Prepared, Record};
use super::{episodes, pieces, primary_care, services, Cancelled, LoadProgress, ReadOptions};
use crate::model::{Episode, MunicipalService, PrimaryCareContact, TableKind};
use crate::quality::{FileReport, IssueKind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;

/// A big-table file waiting to be read whole.
pub(crate) struct Whole<'a> {
    /// Index into the reports (input order).
    pub report: usize,
    pub kind: TableKind,
    /// The file's size, for the memory rule and progress.
    pub bytes: u64,
    pub name: Arc<str>,
    pub source: Source<'a>,
}

/// A queued file as it waits.
pub(crate) enum Source<'a> {
    /// Opened on the calling thread (CSV text, decoded; or a workbook given as bytes).
    Opened {
        prepared: Prepared<'a>,
        ctx: FileCtx,
        header_line: u64,
    },
    /// A fetched workbook's bytes, opened on the file's thread: inflating and parsing the sheet
    /// is most of the work of reading a workbook. `header`: its header as the first pass read
    /// it, when it did (else the file is opened as [`super::open`] opens it); `report`: the
    /// file's report, moved here until the file is folded.
    Workbook {
        bytes: Vec<u8>,
        header: Option<(Vec<String>, u64)>,
        report: FileReport,
    },
}

/// What became of a queued file.
// One per big-table file: the size of the read variant costs nothing.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Done<'a> {
    /// Read: the prepared file (for the duplicate check), its context, header line and rows,
    /// and its report when it was moved to the thread.
    Read {
        prepared: Prepared<'a>,
        ctx: FileCtx,
        header_line: u64,
        rows: Read,
        report: Option<FileReport>,
    },
    /// Refused when opened (`(line, issue)` for [`super::refuse`]).
    Refused {
        line: u64,
        issue: IssueKind,
        report: FileReport,
    },
    /// Opened in the first pass, unreadable now.
    Gone {
        issue: IssueKind,
        report: FileReport,
    },
}

/// The rows of a file read whole, as one piece.
pub(crate) enum Read {
    Episodes(Piece<Episode>),
    Services(Piece<MunicipalService>),
    PrimaryCare(Piece<PrimaryCareContact>),
}

/// The files waiting to be read side by side, in read order.
pub(crate) struct Queue<'a> {
    pub files: Vec<Whole<'a>>,
    /// Bytes that may be held at once: the largest big-table file's.
    budget: u64,
    /// Files read at once at most.
    threads: usize,
}

impl<'a> Queue<'a> {
    pub(crate) fn new(budget: u64, threads: usize) -> Queue<'a> {
        #[cfg(test)]
        let budget = BUDGET.with(std::cell::Cell::get).unwrap_or(budget);
        Queue {
            files: Vec::new(),
            budget,
            threads,
        }
    }

    /// Whether a file of `bytes` may be opened while the queued files are held: their bytes
    /// and its own within the budget, and a thread for it (an empty queue takes any file).
    pub(crate) fn fits(&self, bytes: u64) -> bool {
        let held: u64 = self.files.iter().map(|f| f.bytes).sum();
        self.files.is_empty()
            || (self.files.len() < self.threads && held.saturating_add(bytes) <= self.budget)
    }
}

/// Reads every queued file whole at the same time: the largest on this thread, each other on
/// a thread of its own (a workbook opened there too). The largest is read here so that its
/// memory comes from, and goes back to, the allocator's arena of this thread, which the files
/// read before it used: on threads of their own the largest files' memory came from fresh
/// arenas (more page faults, and a peak higher by what the old arena kept). Progress from this
/// thread only (one report every [`super::row::PROGRESS_EVERY`] rows of any file, naming that
/// file, with the bytes of all of them); cancelling stops every thread. The results are in
/// queue order.
pub(crate) fn read<'a>(
    files: Vec<Whole<'a>>,
    st: &PersonsState,
    options: &ReadOptions,
    progress: &mut Progress<'_>,
) -> Result<Vec<Done<'a>>, Cancelled> {
    #[cfg(test)]
    MOST_AT_ONCE.with(|m| m.set(m.get().max(files.len())));
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let cancel = AtomicBool::new(false);
    // (file, rows done, byte reached).
    let (tx, rx) = mpsc::channel::<(usize, u64, u64)>();
    let names: Vec<String> = files.iter().map(|f| f.name.to_string()).collect();
    let sizes: Vec<u64> = files.iter().map(|f| f.bytes).collect();
    // The first of the largest.
    let largest = sizes
        .iter()
        .enumerate()
        .rev()
        .max_by_key(|&(_, &b)| b)
        .map_or(0, |(i, _)| i);
    let mut files: Vec<Option<Whole<'a>>> = files.into_iter().map(Some).collect();
    let here = files.get_mut(largest).and_then(Option::take);
    let mut done: Vec<Option<Done<'a>>> = Vec::new();
    std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .into_iter()
            .enumerate()
            .filter_map(|(i, f)| Some((i, f?)))
            .map(|(i, f)| {
                let (tx, cancel) = (tx.clone(), &cancel);
                let handle = scope.spawn(move || {
                    let file_bytes = f.bytes;
                    let mut tick = |rows_done: u64, at_byte: u64| {
                        let sent = tx.send((i, rows_done, at_byte.min(file_bytes)));
                        sent.is_ok() && !cancel.load(Ordering::Relaxed)
                    };
                    let got = read_one(f, st, options, &mut tick);
                    if got.is_none() {
                        cancel.store(true, Ordering::Relaxed);
                    }
                    got
                });
                (i, handle)
            })
            .collect();
        drop(tx);
        // Progress from this thread: the callback is the caller's and stays on its thread.
        let mut at = vec![0u64; names.len()];
        let mut report = |i: usize, rows_done: u64, at_byte: u64| {
            if let Some(a) = at.get_mut(i) {
                *a = at_byte;
            }
            let bytes_done = progress.bytes_before + at.iter().sum::<u64>();
            let go_on = (progress.callback)(LoadProgress {
                file: names.get(i).cloned().unwrap_or_default(),
                rows_done,
                bytes_done: bytes_done.min(progress.bytes_total),
                bytes_total: progress.bytes_total,
            });
            if !go_on {
                cancel.store(true, Ordering::Relaxed);
            }
        };
        let mine = here.and_then(|f| {
            let file_bytes = f.bytes;
            let mut tick = |rows_done: u64, at_byte: u64| {
                for (i, rows, at) in rx.try_iter() {
                    report(i, rows, at);
                }
                report(largest, rows_done, at_byte.min(file_bytes));
                !cancel.load(Ordering::Relaxed)
            };
            let got = read_one(f, st, options, &mut tick);
            if got.is_none() {
                cancel.store(true, Ordering::Relaxed);
            }
            got
        });
        for (i, rows, at) in rx {
            report(i, rows, at);
        }
        let mut theirs: Vec<(usize, Option<Done<'a>>)> = Vec::with_capacity(handles.len() + 1);
        for (i, handle) in handles {
            match handle.join() {
                Ok(done) => theirs.push((i, done)),
                Err(panic) => {
                    // A bug, not a shorter table: raised here as on one thread (the other
                    // threads stop first).
                    cancel.store(true, Ordering::Relaxed);
                    std::panic::resume_unwind(panic)
                }
            }
        }
        theirs.push((largest, mine));
        theirs.sort_by_key(|(i, _)| *i);
        done = theirs.into_iter().map(|(_, d)| d).collect();
    });
    // A file ends without a result only when it was cancelled.
    if cancel.load(Ordering::Relaxed) || done.iter().any(Option::is_none) {
        return Err(Cancelled);
    }
    Ok(done.into_iter().flatten().collect())
}

/// One queued file, on its thread: opened when it is a workbook's bytes, then its rows read.
/// `None`: cancelled.
fn read_one<'a>(
    f: Whole<'a>,
    st: &PersonsState,
    options: &ReadOptions,
    tick: &mut dyn FnMut(u64, u64) -> bool,
) -> Option<Done<'a>> {
    let Whole {
        kind, name, source, ..
    } = f;
    let (prepared, ctx, header_line, report) = match source {
        Source::Opened {
            prepared,
            ctx,
            header_line,
        } => (prepared, ctx, header_line, None),
        Source::Workbook {
            bytes,
            header,
            mut report,
        } => {
            let (sheet, inflated) = (options.sheet.as_deref(), Some(options.max_inflated_bytes));
            let prepared = Prepared::from_owned(bytes, sheet, inflated);
            match (prepared, header) {
                (Err(issue), Some(_)) => return Some(Done::Gone { issue, report }),
                (Ok(prepared), Some((headers, line))) => {
                    let ctx = super::file_ctx(&name, kind, headers, options);
                    (prepared, ctx, line, Some(report))
                }
                (prepared, None) => {
                    match super::open_prepared(prepared, Some(kind), &name, &mut report, options) {
                        Ok(o) => {
                            let ctx = super::file_ctx(&name, o.kind, o.headers, options);
                            (o.prepared, ctx, o.header_line, Some(report))
                        }
                        Err((line, issue)) => {
                            return Some(Done::Refused {
                                line,
                                issue,
                                report,
                            })
                        }
                    }
                }
            }
        }
    };
    let mut rows = prepared.rows();
    let _header = rows.next_record(&mut Record::new());
    let ctx_ref = &ctx;
    let rows = match kind {
        TableKind::Episodes => {
            let parse = |cx: &mut RowCx<'_>| episodes::parse(cx, st);
            pieces::read_whole(rows, ctx_ref, tick, false, &parse).map(Read::Episodes)
        }
        TableKind::MunicipalServices => {
            let parse = |cx: &mut RowCx<'_>| services::parse(cx, st);
            pieces::read_whole(rows, ctx_ref, tick, true, &parse).map(Read::Services)
        }
        _ => {
            let parse = |cx: &mut RowCx<'_>| primary_care::parse(cx, st);
            pieces::read_whole(rows, ctx_ref, tick, false, &parse).map(Read::PrimaryCare)
        }
    }
    .ok()?;
    Some(Done::Read {
        prepared,
        ctx,
        header_line,
        rows,
        report,
    })
}

#[cfg(test)]
thread_local! {
    /// Tests: the most files [`read`] read at once on this thread's loads.
    pub(crate) static MOST_AT_ONCE: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// Tests: a budget other than the largest file's bytes.
    pub(crate) static BUDGET: std::cell::Cell<Option<u64>> = const { std::cell::Cell::new(None) };
}
