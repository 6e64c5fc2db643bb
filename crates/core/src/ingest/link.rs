//! Checks across rows: overlapping periods of one person's service.

use crate::model::MunicipalService;
use crate::quality::{FileReport, Issue, IssueKind, Location, Severity};
use std::sync::Arc;

/// Where a used municipal-service row came from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Origin {
    /// Index into the load's file reports.
    pub report: usize,
    /// 1-based line.
    pub line: u64,
}

/// Warns `overlapping_service` for every row whose period overlaps an earlier-starting row
/// (ordered by start date, then file, then line) of the same person and service. Periods are
/// closed intervals of days: a period starting on the day another ends overlaps it; an ongoing
/// period (no end) overlaps everything that starts after it. Count = the later rows.
pub(crate) fn warn_overlapping_services(
    rows: &[MunicipalService],
    origins: &[Origin],
    reports: &mut [FileReport],
    files: &[Arc<str>],
) {
    let mut order: Vec<usize> = (0..rows.len().min(origins.len())).collect();
    order.sort_by_key(|&i| {
        let r = &rows[i];
        (
            r.person,
            r.service,
            r.start_date,
            origins[i].report,
            origins[i].line,
        )
    });
    // (person, service) of the group, the latest end so far (None inside = ongoing), its line.
    // Recorded in file and line order, like every other issue (so a reading in passes over
    // the persons finds the same first examples).
    let mut found: Vec<(usize, u64, Issue)> = Vec::new();
    let mut group = None;
    let mut reach: Option<(Option<chrono::NaiveDate>, u64)> = None;
    for i in order {
        let r = &rows[i];
        let key = (r.person, r.service);
        if group != Some(key) {
            group = Some(key);
            reach = None;
        }
        if let Some((end, earlier_line)) = reach {
            if end.is_none_or(|e| r.start_date <= e) {
                let o = origins[i];
                if let Some(file) = files.get(o.report) {
                    found.push((
                        o.report,
                        o.line,
                        Issue {
                            location: Location {
                                file: file.clone(),
                                line: o.line,
                                column: None,
                            },
                            kind: IssueKind::OverlappingService {
                                service: r.service,
                                earlier_line,
                            },
                            severity: Severity::Warning,
                        },
                    ));
                }
            }
        }
        reach = match reach {
            None => Some((r.end_date, origins[i].line)),
            Some((None, l)) => Some((None, l)),
            Some((Some(e), l)) => match r.end_date {
                None => Some((None, origins[i].line)),
                Some(re) if re > e => Some((Some(re), origins[i].line)),
                Some(_) => Some((Some(e), l)),
            },
        };
    }
    found.sort_by_key(|(report, line, _)| (*report, *line));
    for (report, _, issue) in found {
        if let Some(rep) = reports.get_mut(report) {
            rep.record(issue);
        }
    }
}
