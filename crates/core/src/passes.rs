//! An analysis read and computed in passes over the persons (issue 10), for extracts larger than
//! memory comfortably allows: pass `p` of `P` reads only the rows of its persons
//! ([`crate::ingest::RowPass`]), runs the modules on them and adds their sums to cells kept
//! across passes ([`Analysis`]); the rows are dropped before the next pass. The long table and
//! the data-quality report are those of one pass over everything:
//!
//! - every unit of every module is one person's (a person, a stay, a discharge …), so the sums
//!   per cell add up; medians keep their values;
//! - each file's row counts and issue counts add up; each issue code keeps its first examples
//!   in line order (every pass keeps its own first ones, so the first of all are among them);
//!   the issues a file has before its rows (the same in every pass) are taken once;
//! - what a pass cannot know alone is found after the last pass, and the passes are read again
//!   when it differs from what they assumed: whether a table has no usable row at all (a pass
//!   with none of its rows assumes it usable), and the pathway module's default data end (the
//!   latest admit year of all episodes; a pass assumes its own). On real extracts every pass
//!   sees the same latest year and some usable rows, so this second reading does not happen.

use crate::analysis::{Analysis, Cancelled, Phase, Report};
use crate::ingest::{split_by_person, Loaded, RowPass};
use crate::model::{TableKind, Tables, UnusableTable};
use crate::quality::{FileReport, IssueKind, QualityReport, EXAMPLES_PER_CODE};
use crate::settings::Settings;

/// Issue codes a file gets before its rows are read: the same in every pass, counted once.
const BEFORE_ROWS: &[&str] = &["invalid_utf8", "repeated_column"];
/// The code of a table read without any usable row (decided over all passes).
const NO_USABLE_ROWS: &str = "no_usable_rows";

/// Reads and analyses an extract in `passes` passes, once for each of `settings` (e.g. one per
/// analysis year): `load` reads the rows of one pass (the files again each time),
/// `progress(pass, phase, fraction)` may cancel. Returns one report per settings and the
/// data-quality report, equal to those of reading everything at once and [`crate::analyse`].
///
/// # Errors
/// [`Cancelled`] when `load` or `progress` cancelled.
pub fn analyse_in_passes(
    passes: u32,
    settings: &[Settings],
    load: &mut dyn FnMut(RowPass) -> Result<Loaded, crate::ingest::Cancelled>,
    progress: &mut dyn FnMut(u32, Phase, f32) -> bool,
) -> Result<(Vec<Report>, QualityReport), Cancelled> {
    let passes = passes.max(1);
    let mut run_settings = settings.to_vec();
    let mut unusable: Vec<UnusableTable> = Vec::new();
    // At most three readings: the second knows what the first found; the third cannot differ.
    for _ in 0..3 {
        let mut analyses: Vec<Analysis> = Vec::new();
        let mut qualities = Vec::new();
        let mut ends = Vec::new();
        for pass in 0..passes {
            let loaded = load(RowPass { pass, passes }).map_err(|_| Cancelled)?;
            let mut tables = loaded.tables;
            settle_unusable(&mut tables, &unusable);
            ends.push(crate::modules::pathways::default_data_end(&tables));
            if analyses.is_empty() {
                analyses = run_settings
                    .iter()
                    .map(|s| Analysis::new(&tables, s))
                    .collect();
            }
            for a in &mut analyses {
                a.add(&tables, &mut |phase, f| progress(pass, phase, f))?;
            }
            qualities.push(loaded.quality);
        }
        let quality = merge_quality(qualities);
        let found = unusable_split_tables(&quality);
        let latest = ends.iter().copied().max().flatten();
        let end_differs = latest.is_some()
            && ends.iter().any(|e| *e != latest)
            && run_settings.iter().any(|s| s.pathways.data_end.is_none());
        if found != unusable || end_differs {
            unusable = found;
            if end_differs {
                for s in &mut run_settings {
                    s.pathways.data_end = s.pathways.data_end.or(latest);
                }
            }
            continue;
        }
        let mut reports = Vec::new();
        for (a, s) in analyses.into_iter().zip(settings) {
            let mut report = a.finish(&mut |phase, f| progress(passes - 1, phase, f))?;
            report.settings = s.clone();
            reports.push(report);
        }
        return Ok((reports, quality));
    }
    Err(Cancelled)
}

/// Makes a pass's tables say what the whole extract says about tables without usable rows:
/// a split table is unusable exactly when it is in `unusable` (found over all passes).
fn settle_unusable(tables: &mut Tables, unusable: &[UnusableTable]) {
    let mut emptied = Vec::new();
    tables.unusable.retain(|u| {
        let pass_only = split_by_person(u.kind) && u.issue.kind.code() == NO_USABLE_ROWS;
        if pass_only {
            emptied.push(u.kind);
        }
        !pass_only
    });
    for kind in [
        TableKind::Episodes,
        TableKind::MunicipalServices,
        TableKind::PrimaryCare,
    ] {
        if let Some(u) = unusable.iter().find(|u| u.kind == kind) {
            match kind {
                TableKind::Episodes => tables.episodes = None,
                TableKind::MunicipalServices => tables.municipal_services = None,
                _ => tables.primary_care = None,
            }
            tables.unusable.push(u.clone());
        } else if emptied.contains(&kind) {
            // This pass's rows of it were all rejected; others' were not.
            match kind {
                TableKind::Episodes => tables.episodes = Some(Vec::new()),
                TableKind::MunicipalServices => tables.municipal_services = Some(Vec::new()),
                _ => tables.primary_care = Some(Vec::new()),
            }
        }
    }
}

/// The split tables without any usable row over all passes, in reading order.
fn unusable_split_tables(quality: &QualityReport) -> Vec<UnusableTable> {
    let mut out = Vec::new();
    for kind in [
        TableKind::Episodes,
        TableKind::MunicipalServices,
        TableKind::PrimaryCare,
    ] {
        for f in &quality.files {
            if f.kind != Some(kind) || f.fatal.is_some() {
                continue;
            }
            if let Some(issue) = f.examples.get(NO_USABLE_ROWS).and_then(|e| e.first()) {
                out.push(UnusableTable {
                    kind,
                    issue: issue.clone(),
                });
            }
        }
    }
    out
}

/// The data-quality report of all passes: per file (in the same order in every pass), the
/// persons, population and areas files as read in the first pass (they are read whole in
/// every pass), the split files added up.
pub fn merge_quality(passes: Vec<QualityReport>) -> QualityReport {
    let mut passes = passes.into_iter();
    let Some(mut out) = passes.next() else {
        return QualityReport::default();
    };
    // The first pass's "no usable rows" of split files hold for that pass only.
    let mut header_issue = vec![None; out.files.len()];
    for (i, f) in out.files.iter_mut().enumerate() {
        if is_split(f) {
            header_issue[i] = take_no_usable(f);
        }
    }
    for pass in passes {
        for (i, (f, mut g)) in out.files.iter_mut().zip(pass.files).enumerate() {
            if !is_split(f) {
                continue;
            }
            if let Some(issue) = take_no_usable(&mut g) {
                header_issue[i].get_or_insert(issue);
            }
            let before_rows: u64 = BEFORE_ROWS.iter().filter_map(|c| g.counts.get(c)).sum();
            f.rows_read += g.rows_read;
            f.rows_used += g.rows_used;
            f.rows_rejected += g.rows_rejected;
            f.warnings += g.warnings.saturating_sub(before_rows);
            for (code, n) in g.counts {
                if !BEFORE_ROWS.contains(&code) {
                    *f.counts.entry(code).or_insert(0) += n;
                }
            }
            for (code, ex) in g.examples {
                if !BEFORE_ROWS.contains(&code) {
                    f.examples.entry(code).or_default().extend(ex);
                }
            }
        }
    }
    for (f, issue) in out.files.iter_mut().zip(header_issue) {
        if !is_split(f) {
            continue;
        }
        for ex in f.examples.values_mut() {
            // Stable: the issues of one line come from one pass, in their order.
            ex.sort_by_key(|i| i.location.line);
            ex.truncate(EXAMPLES_PER_CODE);
        }
        if f.rows_read > 0 && f.rows_used == 0 {
            if let Some(mut issue) = issue {
                issue.kind = IssueKind::NoUsableRows {
                    rejected: f.rows_rejected,
                };
                f.record(issue);
            }
        }
    }
    out
}

fn is_split(f: &FileReport) -> bool {
    f.fatal.is_none() && f.kind.is_some_and(split_by_person)
}

/// Removes a "no usable rows" issue from a file's report, returning it.
fn take_no_usable(f: &mut FileReport) -> Option<crate::quality::Issue> {
    f.counts.remove(NO_USABLE_ROWS)?;
    f.examples.remove(NO_USABLE_ROWS)?.into_iter().next()
}
