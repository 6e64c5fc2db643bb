//! The top-level entry point: typed tables and settings in, the suppressed long table out.
//!
//! Order of work: areas and population → merged stays → SMI cohort → per-person facts (one pass
//! per table) → sums per (group × area) → one evaluator per registry entry and cell →
//! suppression per indicator → rows sorted bytewise by (indicator, group, level, area, year).

use crate::aggregate::{population_by_area, Areas, PopulationBasis};
use crate::cohort::{build_smi_cohort, overlap_summary, Cohort, OverlapSummary};
use crate::indicator::eval::{accumulate, evaluate, person_facts, smi_groups};
use crate::indicator::{registry, IndicatorDef, Measure, Module, QUANTITY_COUNT};
use crate::model::{TableKind, Tables};
use crate::output::{LongRow, SmiGroup};
use crate::settings::Settings;
use crate::stays::{merge_stays, Year};
use crate::suppress::{suppress, Candidate, Family};
use crate::text::Lang;
use serde::Serialize;

/// A step of the analysis, for progress reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Areas, population and merged stays.
    Stays,
    /// The cohort and each person's facts.
    Cohort,
    /// Sums per group and area.
    Aggregate,
    /// Evaluating and suppressing every indicator.
    Indicators,
    /// Sorting the long table.
    Output,
}

/// The analysis was cancelled through the progress callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

impl std::fmt::Display for Cancelled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("analysis cancelled")
    }
}

impl std::error::Error for Cancelled {}

/// An indicator that could not be computed because a table it needs was not given. It gets no
/// rows (never rows of 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unavailable {
    /// The indicator id.
    pub indicator: &'static str,
    /// The missing tables.
    pub missing: Vec<TableKind>,
}

/// A remark about this analysis, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// Norwegian bokmål.
    pub nb: String,
    /// English.
    pub en: String,
}

impl Note {
    /// The note in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nb => &self.nb,
            Lang::En => &self.en,
        }
    }
}

/// The result of one analysis.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The settings it was computed with.
    pub settings: Settings,
    /// The long table, sorted by [`LongRow::sort_key`], suppression applied.
    pub rows: Vec<LongRow>,
    /// True iff `settings.min_cell == 0`: nothing was suppressed, and every export must say so.
    pub unsuppressed: bool,
    /// Indicators without rows because a table is missing.
    pub unavailable: Vec<Unavailable>,
    /// How the SMI groups overlap (country level; counts below k suppressed).
    pub overlap: OverlapSummary,
    /// Persons in SMI(Y) (all groups).
    pub cohort_size: u64,
    /// What "per 1 000 inhabitants" divides by.
    pub population_basis: PopulationBasis,
    /// Remarks to show with the results.
    pub notes: Vec<Note>,
}

/// Computes every available indicator of the registry for `settings.year`.
pub fn analyse(tables: &Tables, settings: &Settings) -> Report {
    match analyse_with_progress(tables, settings, &mut |_, _| true) {
        Ok(r) => r,
        // Unreachable: the callback above never cancels.
        Err(Cancelled) => empty_report(settings, PopulationBasis::Missing),
    }
}

fn empty_report(settings: &Settings, population_basis: PopulationBasis) -> Report {
    Report {
        settings: settings.clone(),
        rows: Vec::new(),
        unsuppressed: settings.min_cell == 0,
        unavailable: Vec::new(),
        overlap: OverlapSummary::default(),
        cohort_size: 0,
        population_basis,
        notes: Vec::new(),
    }
}

/// A count for a note: the number, or "under k" when it is below k (notes are published too).
fn count_text(n: u64, k: u64) -> (String, String) {
    if k > 0 && n < k {
        (format!("under {k}"), format!("fewer than {k}"))
    } else {
        (n.to_string(), n.to_string())
    }
}

/// As [`analyse`], reporting progress (phase, 0..1) and stopping with [`Cancelled`] when the
/// callback returns false.
///
/// # Errors
/// [`Cancelled`] when `progress` returned false.
pub fn analyse_with_progress(
    tables: &Tables,
    settings: &Settings,
    progress: &mut dyn FnMut(Phase, f32) -> bool,
) -> Result<Report, Cancelled> {
    let mut step = |phase: Phase, f: f32| {
        if progress(phase, f) {
            Ok(())
        } else {
            Err(Cancelled)
        }
    };
    step(Phase::Stays, 0.0)?;
    let k = settings.min_cell;
    let areas = Areas::build(tables);
    let (population, population_basis) = population_by_area(tables, &areas, settings.year);
    let mut report = empty_report(settings, population_basis);
    if report.unsuppressed {
        report.notes.push(Note {
            nb: "Ikke skjermet: små tall vises (k = 0). Resultatene må ikke publiseres.".into(),
            en: "Not suppressed: small numbers are shown (k = 0). The results must not be published."
                .into(),
        });
    }
    let Some(y) = Year::new(settings.year) else {
        report.notes.push(Note {
            nb: format!("Året {} kan ikke brukes.", settings.year),
            en: format!("The year {} cannot be used.", settings.year),
        });
        return Ok(report);
    };

    let mut available: Vec<&'static IndicatorDef> = Vec::new();
    for def in registry() {
        let missing = def.missing_tables(|t| tables.has(t));
        if missing.is_empty() {
            available.push(def);
        } else {
            report.unavailable.push(Unavailable {
                indicator: def.id,
                missing,
            });
        }
    }
    match population_basis {
        PopulationBasis::WholePopulation => report.notes.push(Note {
            nb: "Befolkningstabellen har ikke alder: rater per 1 000 er per 1 000 innbyggere (hele befolkningen), ikke 18 år og eldre.".into(),
            en: "The population table has no age: rates per 1 000 are per 1 000 inhabitants (whole population), not aged 18+.".into(),
        }),
        PopulationBasis::Adults18Plus | PopulationBasis::Missing => {}
    }
    if tables
        .population
        .as_ref()
        .is_some_and(|rows| !rows.iter().any(|r| r.year == settings.year))
    {
        report.notes.push(Note {
            nb: format!("Befolkningstabellen har ingen rader for {}.", settings.year),
            en: format!("The population table has no rows for {}.", settings.year),
        });
    }

    let stays = match &tables.episodes {
        Some(eps) => merge_stays(eps, tables.persons.len()),
        None => Default::default(),
    };
    step(Phase::Stays, 1.0)?;

    step(Phase::Cohort, 0.0)?;
    let cohort: Cohort = build_smi_cohort(tables, &y);
    report.cohort_size = cohort.members.len() as u64;
    report.overlap = overlap_summary(&cohort, k);
    if cohort.unknown_age > 0 {
        let (nb, en) = count_text(cohort.unknown_age, k);
        report.notes.push(Note {
            nb: format!("{nb} personer med SMI-diagnose er utelatt fordi alderen er ukjent."),
            en: format!(
                "{en} persons with an SMI diagnosis are left out because their age is unknown."
            ),
        });
    }
    let country_only = cohort
        .members
        .iter()
        .filter(|m| {
            areas
                .chain(tables.persons[m.person.0 as usize].municipality)
                .len()
                == 1
        })
        .count() as u64;
    if country_only > 0 {
        let (nb, en) = count_text(country_only, k);
        report.notes.push(Note {
            nb: format!("{nb} personer i kohorten mangler kommune eller har en kommune som ikke er i geografitabellen; de telles bare for landet."),
            en: format!("{en} persons in the cohort have no municipality, or one not in the areas table; they count in the country only."),
        });
    }
    let facts = person_facts(tables, &cohort, &stays, &y, &settings.readmission);
    step(Phase::Cohort, 1.0)?;

    step(Phase::Aggregate, 0.0)?;
    let mut keep_values = [false; QUANTITY_COUNT];
    for def in &available {
        if let Measure::Median(q) = def.numerator {
            keep_values[q.index()] = true;
        }
    }
    let grid = accumulate(tables, &cohort, &facts, &areas, keep_values);
    let families = smi_families(&areas);
    step(Phase::Aggregate, 1.0)?;

    let groups = smi_groups();
    let n_areas = areas.len();
    let mut rows = Vec::new();
    for (i, def) in available.iter().enumerate() {
        step(Phase::Indicators, i as f32 / available.len().max(1) as f32)?;
        if def.module != Module::Smi {
            continue;
        }
        let mut cells: Vec<Candidate> = grid
            .cells
            .iter()
            .enumerate()
            .map(|(c, acc)| evaluate(def, acc, population[c % n_areas]))
            .collect();
        suppress(&mut cells, &families, k);
        for (c, cand) in cells.into_iter().enumerate() {
            let area = &areas.areas[c % n_areas];
            rows.push(LongRow {
                indicator: def.id.to_string(),
                group: groups[c / n_areas],
                level: area.level,
                area: area.name.clone(),
                year: settings.year,
                cell: cand.cell,
            });
        }
    }
    step(Phase::Indicators, 1.0)?;

    step(Phase::Output, 0.0)?;
    rows.sort_by_cached_key(|r| r.sort_key());
    report.rows = rows;
    step(Phase::Output, 1.0)?;
    Ok(report)
}

/// The families "a total and its parts" of the SMI grid (`group * n_areas + area`): every
/// parent area with its children, per group; and every group `G` with `G+substance` and
/// `G-substance`, per area. Parts are in text order (`+` sorts before `-`).
fn smi_families(areas: &Areas) -> Vec<Family> {
    let n = areas.len();
    let groups = smi_groups().len();
    let mut out = Vec::new();
    for g in 0..groups {
        for (parent, children) in areas.families() {
            out.push(Family {
                total: g * n + *parent as usize,
                parts: children.iter().map(|c| g * n + *c as usize).collect(),
            });
        }
    }
    for sg in 0..SmiGroup::ALL.len() {
        for a in 0..n {
            out.push(Family {
                total: (sg * 3) * n + a,
                parts: vec![(sg * 3 + 1) * n + a, (sg * 3 + 2) * n + a],
            });
        }
    }
    out
}

#[cfg(test)]
mod tests;
