//! The top-level entry point: typed tables and settings in, the suppressed results out, for every
//! module the settings ask for and whose tables are present.
//!
//! Order of work: areas and population → merged stays → per module: its cohort and one fact row
//! per unit ([`AnalysisModule::run`]) → sums per (group × area) → one evaluator per registry entry
//! and cell → suppression per indicator. The report is indexed by indicator, group and area; the
//! long table (rows sorted bytewise by indicator, group, level, area, year) is a view of it.

use crate::aggregate::{
    population_by_area, whole_population_by_area, Area, Areas, PopulationBasis,
};
use crate::indicator::eval::{accumulate, evaluate, AreaPopulation};
use crate::indicator::{IndicatorDef, Measure, Scope};
use crate::model::{TableKind, Tables, UnusableTable};
use crate::module::{AnalysisModule, Input, ModuleDecl, SummaryItem};
use crate::notes::Note;
use crate::output::{Cell, LongRow};
use crate::settings::Settings;
use crate::stays::{merge_stays, Year};
use crate::suppress::{below_k, suppress, Candidate, Family};
use serde::Serialize;

/// A step of the analysis, for progress reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Areas, population and merged stays.
    Stays,
    /// The cohorts and each unit's facts.
    Cohort,
    /// Sums per group and area.
    Aggregate,
    /// Evaluating and suppressing every indicator.
    Indicators,
    /// Ordering the results.
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

/// One module of the analysis: its declaration, and what its run found.
#[derive(Debug, Clone, Serialize)]
pub struct ModuleSection {
    /// The module's declaration (groups, split, unit, indicators).
    pub decl: &'static ModuleDecl,
    /// Tables it needs that were not given (or not usable); empty when it was computed.
    pub missing: Vec<TableKind>,
    /// Units (persons, stays, …) of its cohort in at least one group; `None` when not computed.
    pub units: Option<u64>,
    /// Remarks about its results.
    pub notes: Vec<Note>,
    /// Its summary (group sizes and overlaps), country level, suppressed below k.
    pub summary: Vec<SummaryItem>,
}

/// One computed indicator: every (group × area) cell, suppression applied.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorResult {
    /// The registry entry.
    pub def: &'static IndicatorDef,
    /// Index of its module in [`Report::modules`].
    pub module: usize,
    /// `cells[group * areas + area]`: groups as in the module's declaration, areas as in
    /// [`Report::areas`].
    pub cells: Vec<Cell>,
    /// The 95 % confidence interval of each cell, in the order of `cells` (`None` where
    /// suppressed, not estimable, or of a unit without one: [`crate::ci`]).
    pub intervals: Vec<Option<crate::ci::Interval>>,
    /// Variation between areas per group and level below the country ([`crate::variation`]).
    pub variation: Vec<crate::variation::Variation>,
}

/// Typed position of an area in [`Report::areas`].
pub type AreaId = usize;

/// The result of one analysis, indexed: by indicator ([`Report::result`]), then by group and area
/// ([`Report::cell`]). [`Report::long_rows`] is the long table of indicators.md §6.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The settings it was computed with.
    pub settings: Settings,
    /// True iff `settings.min_cell == 0`: nothing was suppressed, and every export must say so.
    pub unsuppressed: bool,
    /// What "per 1 000 inhabitants" divides by.
    pub population_basis: PopulationBasis,
    /// Remarks about the whole analysis.
    pub notes: Vec<Note>,
    /// Every area of the output: the country first, then regions, health communities and
    /// municipalities, each by its text.
    pub areas: Vec<Area>,
    /// Every module the settings asked for, in registration order.
    pub modules: Vec<ModuleSection>,
    /// Every computed indicator, in registry order.
    pub results: Vec<IndicatorResult>,
    /// Indicators without rows because a table is missing or unusable.
    pub unavailable: Vec<Unavailable>,
    /// Tables given but not usable, with the reason (their indicators are unavailable).
    #[serde(skip)]
    pub unusable_tables: Vec<UnusableTable>,
}

impl Report {
    /// The computed indicator `id`.
    pub fn result(&self, id: &str) -> Option<&IndicatorResult> {
        self.results.iter().find(|r| r.def.id == id)
    }

    /// The cell of `result` for group `group` (index in its module's groups) and `area`.
    pub fn cell(&self, result: &IndicatorResult, group: usize, area: AreaId) -> Option<Cell> {
        result.cells.get(group * self.areas.len() + area).copied()
    }

    /// The module of a result.
    pub fn module_of(&self, result: &IndicatorResult) -> &ModuleSection {
        &self.modules[result.module]
    }

    /// The module section by id.
    pub fn module(&self, id: &str) -> Option<&ModuleSection> {
        self.modules.iter().find(|m| m.decl.id == id)
    }

    /// Number of long-table rows.
    pub fn row_count(&self) -> usize {
        self.results.iter().map(|r| r.cells.len()).sum()
    }

    /// The long table: one row per (indicator, group, area), sorted bytewise by the text of
    /// (indicator, group, level, area) as the CSV writes them.
    pub fn long_rows(&self) -> impl Iterator<Item = LongRow<'_>> + '_ {
        let n_areas = self.areas.len();
        let mut area_order: Vec<usize> = (0..n_areas).collect();
        area_order.sort_by(|&a, &b| {
            let (x, y) = (&self.areas[a], &self.areas[b]);
            (x.level.as_str(), x.name.as_str()).cmp(&(y.level.as_str(), y.name.as_str()))
        });
        let mut results: Vec<&IndicatorResult> = self.results.iter().collect();
        results.sort_by_key(|r| r.def.id);
        let year = self.settings.year;
        results.into_iter().flat_map(move |r| {
            let groups = &self.modules[r.module].decl.groups;
            let mut group_order: Vec<usize> = (0..groups.len()).collect();
            group_order.sort_by_key(|&g| groups[g].id);
            let area_order = area_order.clone();
            group_order.into_iter().flat_map(move |g| {
                let area_order = area_order.clone();
                area_order.into_iter().map(move |a| {
                    let area = &self.areas[a];
                    LongRow {
                        indicator: r.def.id,
                        group: groups[g].id,
                        level: area.level,
                        area: &area.name,
                        year,
                        cell: r.cells[g * n_areas + a],
                        ci: r.intervals.get(g * n_areas + a).copied().flatten(),
                    }
                })
            })
        })
    }
}

/// The long table of several analyses (one per year), as one table sorted bytewise by
/// (indicator, group, level, area, year): a year's rows sit beside the other years' rows.
pub fn long_rows_of(reports: &[Report]) -> Vec<LongRow<'_>> {
    let mut rows: Vec<LongRow<'_>> = reports.iter().flat_map(|r| r.long_rows()).collect();
    if reports.len() > 1 {
        // Stable, and each report is already in order: only the year interleaves.
        rows.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
    rows
}

/// Computes every available indicator of the modules the settings ask for, for
/// `settings.year`.
pub fn analyse(tables: &Tables, settings: &Settings) -> Report {
    match analyse_with_progress(tables, settings, &mut |_, _| true) {
        Ok(r) => r,
        // Unreachable: the callback above never cancels.
        Err(Cancelled) => empty_report(settings, PopulationBasis::Missing, Vec::new()),
    }
}

fn empty_report(
    settings: &Settings,
    population_basis: PopulationBasis,
    areas: Vec<Area>,
) -> Report {
    Report {
        settings: settings.clone(),
        unsuppressed: settings.min_cell == 0,
        population_basis,
        notes: Vec::new(),
        areas,
        modules: Vec::new(),
        results: Vec::new(),
        unavailable: Vec::new(),
        unusable_tables: Vec::new(),
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
    let mut analysis = Analysis::new(tables, settings);
    analysis.add(tables, progress)?;
    analysis.finish(progress)
}

/// One module's sums over the passes added so far.
struct ModuleState {
    module: &'static dyn AnalysisModule,
    section: ModuleSection,
    available: Vec<&'static IndicatorDef>,
    /// Quantities whose values are kept (for medians).
    keep_values: Vec<bool>,
    /// Whether the grid has the extra row of every unit.
    all_units: bool,
    /// The grid, once a pass has been added.
    grid: Option<crate::indicator::eval::Grid>,
    /// Units in at least one group.
    units: u64,
    /// Notes with their counts unsuppressed, in the order found.
    notes: Vec<Note>,
    /// The summary with its counts unsuppressed (as from the first pass's shape).
    summary: Vec<(crate::module::SummaryKind, u64)>,
    /// Per available indicator: its strata when it is a standardised rate, and the persons
    /// counted per cell and stratum, with those not placed.
    strata: Vec<Option<StrataState>>,
}

struct StrataState {
    strata: Result<crate::standardise::Strata, crate::standardise::Unavailable>,
    counts: Vec<Vec<u64>>,
    unassigned: u64,
}

/// An analysis built from passes over disjoint sets of persons ([`crate::ingest::RowPass`]):
/// every unit of every module is one person's, so the sums per cell of the passes add up to
/// those of one pass over everyone, and so do the module's notes and summary counts (computed
/// with k = 0 in each pass, suppressed at the end). [`analyse_with_progress`] is one pass of it.
pub struct Analysis {
    settings: Settings,
    areas: Areas,
    population: Vec<AreaPopulation>,
    report: Report,
    year: Option<Year>,
    modules: Vec<ModuleState>,
    passes: u32,
}

impl Analysis {
    /// Starts an analysis; `tables` gives what every pass shares (persons, population, areas,
    /// which tables are missing or unusable).
    pub fn new(tables: &Tables, settings: &Settings) -> Analysis {
        let areas = Areas::build(tables);
        let (adults, population_basis) = population_by_area(tables, &areas, settings.year);
        let everyone = whole_population_by_area(tables, &areas, settings.year);
        let population: Vec<AreaPopulation> = adults
            .iter()
            .zip(&everyone)
            .map(|(&adults, &all)| AreaPopulation { adults, all })
            .collect();
        let mut report = empty_report(settings, population_basis, areas.areas.clone());
        report.unusable_tables = tables.unusable.clone();
        if report.unsuppressed {
            report.notes.push(Note::Unsuppressed);
        }
        let year = Year::new(settings.year);
        let mut analysis = Analysis {
            settings: settings.clone(),
            areas,
            population,
            report,
            year,
            modules: Vec::new(),
            passes: 0,
        };
        if year.is_none() {
            analysis.report.notes.push(Note::YearUnusable {
                year: settings.year,
            });
            return analysis;
        }
        let report = &mut analysis.report;
        if population_basis == PopulationBasis::WholePopulation {
            report.notes.push(Note::PopulationWithoutAge);
        }
        if tables
            .population
            .as_ref()
            .is_some_and(|rows| !rows.iter().any(|r| r.year == settings.year))
        {
            report.notes.push(Note::PopulationWithoutYear {
                year: settings.year,
            });
        }
        let standard_year = settings.comparison.standard_year.unwrap_or(settings.year);
        // The strata of a standardised rate depend only on whether it is over adults: built
        // once for each (the same tables, areas and years), not once per indicator.
        let mut strata_of: [Option<
            Result<crate::standardise::Strata, crate::standardise::Unavailable>,
        >; 2] = [None, None];
        for module in crate::modules::all()
            .iter()
            .copied()
            .filter(|m| settings.runs(m.decl()))
        {
            let decl = module.decl();
            let missing = tables.missing(decl.tables);
            let available: Vec<&'static IndicatorDef> = crate::indicator::of_module(decl.id)
                .filter(|def| {
                    let missing = tables.missing(def.tables);
                    let ok = missing.is_empty();
                    if !ok {
                        report.unavailable.push(Unavailable {
                            indicator: def.id,
                            missing,
                        });
                    }
                    ok
                })
                .collect();
            let mut keep_values = vec![false; decl.quantities.len()];
            for def in &available {
                if let Measure::Median(q) = def.numerator {
                    keep_values[q.0 as usize] = true;
                }
            }
            let strata = available
                .iter()
                .map(|def| {
                    crate::indicator::standardised_base(def)?;
                    let adults = def.denominator == Some(Measure::Population18Plus)
                        && population_basis == PopulationBasis::Adults18Plus;
                    let strata = strata_of[usize::from(adults)]
                        .get_or_insert_with(|| {
                            crate::standardise::Strata::build(
                                tables,
                                &analysis.areas,
                                settings.year,
                                standard_year,
                                adults,
                            )
                        })
                        .clone();
                    Some(StrataState {
                        strata,
                        counts: Vec::new(),
                        unassigned: 0,
                    })
                })
                .collect();
            analysis.modules.push(ModuleState {
                module,
                section: ModuleSection {
                    decl,
                    missing,
                    units: None,
                    notes: Vec::new(),
                    summary: Vec::new(),
                },
                all_units: available.iter().any(|d| d.scope == Scope::AllUnits),
                available,
                keep_values,
                grid: None,
                units: 0,
                notes: Vec::new(),
                summary: Vec::new(),
                strata,
            });
        }
        analysis
    }

    /// Adds one pass: `tables` holds the persons, population and areas of [`Analysis::new`]
    /// and the rows of this pass's persons of the other tables.
    ///
    /// # Errors
    /// [`Cancelled`] when `progress` returned false.
    pub fn add(
        &mut self,
        tables: &Tables,
        progress: &mut dyn FnMut(Phase, f32) -> bool,
    ) -> Result<(), Cancelled> {
        let mut step = |phase: Phase, f: f32| {
            if progress(phase, f) {
                Ok(())
            } else {
                Err(Cancelled)
            }
        };
        step(Phase::Stays, 0.0)?;
        self.passes += 1;
        let Some(y) = self.year.as_ref() else {
            return Ok(());
        };
        let stays = match &tables.episodes {
            Some(eps) => merge_stays(eps, tables.persons.len()),
            None => Default::default(),
        };
        step(Phase::Stays, 1.0)?;
        // Notes and summaries are counted unsuppressed in each pass and suppressed at the end.
        let unsuppressed = Settings {
            min_cell: 0,
            ..self.settings.clone()
        };
        let input = Input {
            tables,
            settings: &unsuppressed,
            year: y,
            stays: &stays,
            areas: &self.areas,
            smi_cohort: Default::default(),
        };
        let n_modules = self.modules.len();
        for (mi, state) in self.modules.iter_mut().enumerate() {
            if !state.section.missing.is_empty() {
                continue;
            }
            step(Phase::Cohort, mi as f32 / n_modules as f32)?;
            let decl = state.section.decl;
            let run = state.module.run(&input);
            state.units += run.units.iter().filter(|u| u.groups != 0).count() as u64;
            for note in run.notes {
                merge_note(&mut state.notes, note);
            }
            merge_summary(&mut state.summary, run.summary);

            step(Phase::Aggregate, mi as f32 / n_modules as f32)?;
            // Indicators over every unit read an extra grid row in which every unit counts.
            let n_groups = decl.groups.len();
            let mut units = run.units;
            if state.all_units {
                for u in &mut units {
                    u.groups |= 1 << n_groups;
                }
            }
            let grid = accumulate(
                &units,
                &run.facts,
                &self.areas,
                n_groups + usize::from(state.all_units),
                &state.keep_values,
            );
            match &mut state.grid {
                None => state.grid = Some(grid),
                Some(sum) => sum.add_grid(&grid),
            }
            for (def, st) in state.available.iter().zip(&mut state.strata) {
                let Some(st) = st else { continue };
                let Ok(strata) = &st.strata else { continue };
                let (counts, unassigned) = strata.counts(
                    tables,
                    &units,
                    &run.facts,
                    def.numerator,
                    &self.areas,
                    n_groups,
                );
                if st.counts.is_empty() {
                    st.counts = counts;
                } else {
                    for (a, b) in st.counts.iter_mut().zip(&counts) {
                        for (x, y) in a.iter_mut().zip(b) {
                            *x += y;
                        }
                    }
                }
                st.unassigned += unassigned;
            }
        }
        Ok(())
    }

    /// Evaluates, suppresses and compares every indicator over the passes added.
    ///
    /// # Errors
    /// [`Cancelled`] when `progress` returned false.
    pub fn finish(self, progress: &mut dyn FnMut(Phase, f32) -> bool) -> Result<Report, Cancelled> {
        let mut step = |phase: Phase, f: f32| {
            if progress(phase, f) {
                Ok(())
            } else {
                Err(Cancelled)
            }
        };
        let Analysis {
            settings,
            areas,
            population,
            mut report,
            year,
            modules,
            passes: _,
        } = self;
        if year.is_none() {
            return Ok(report);
        }
        let k = settings.min_cell;
        let n_indicators: usize = modules
            .iter()
            .map(|m| crate::indicator::of_module(m.section.decl.id).count())
            .sum();
        let mut standard_note = None;
        let mut done = 0usize;
        for state in modules {
            let ModuleState {
                mut section,
                available,
                keep_values,
                all_units,
                grid,
                units,
                notes,
                summary,
                strata,
                ..
            } = state;
            let decl = section.decl;
            if !section.missing.is_empty() {
                report.modules.push(section);
                done += crate::indicator::of_module(decl.id).count();
                continue;
            }
            section.units = Some(units);
            section.notes = notes.into_iter().map(|n| suppress_note(n, k)).collect();
            section.summary = summary
                .into_iter()
                .map(|(what, n)| crate::module::SummaryItem {
                    what,
                    cell: crate::suppress::count_cell(n, k),
                })
                .collect();
            let n_groups = decl.groups.len();
            let n_areas = areas.len();
            // No pass added: the cells of no units.
            let grid = grid.unwrap_or_else(|| {
                let none = crate::indicator::eval::FactTable::new(
                    0,
                    decl.facts.len(),
                    decl.quantities.len(),
                );
                let rows = n_groups + usize::from(all_units);
                accumulate(&[], &none, &areas, rows, &keep_values)
            });
            let no_units = crate::indicator::eval::Acc::default();
            let families = families(decl, &areas);
            for (def, st) in available.into_iter().zip(strata) {
                step(Phase::Indicators, done as f32 / n_indicators.max(1) as f32)?;
                let base = crate::indicator::standardised_base(def);
                let evaluated = base.unwrap_or(def);
                let mut cells: Vec<Candidate> = (0..n_groups * n_areas)
                    .map(|c| {
                        let i = match def.scope {
                            Scope::GroupMembers => c,
                            Scope::AllUnits => n_groups * n_areas + c % n_areas,
                        };
                        let acc = grid.cells.get(i).unwrap_or(&no_units);
                        evaluate(evaluated, acc, population[c % n_areas])
                    })
                    .collect();
                // A standardised rate: the crude cell's numbers (so suppression decides exactly
                // as for the crude rate), its own value and interval.
                let mut std_intervals: Option<Vec<Option<crate::ci::Interval>>> = None;
                let mut std_data = None;
                if let Some(st) = st {
                    let mut ivs = vec![None; cells.len()];
                    match st.strata {
                        Err(why) => {
                            standard_note.get_or_insert(match why {
                                crate::standardise::Unavailable::NoAgeOrSex => {
                                    Note::StandardWithoutAgeOrSex
                                }
                                crate::standardise::Unavailable::NoStandardYear(year) => {
                                    Note::StandardWithoutYear { year }
                                }
                            });
                            for c in &mut cells {
                                c.cell = not_estimable(c.cell);
                            }
                        }
                        Ok(strata) => {
                            let (counts, unassigned) = (st.counts, st.unassigned);
                            let note = Note::StandardUnassigned {
                                count: crate::notes::NoteCount::new(unassigned, k),
                            };
                            if unassigned > 0 && !section.notes.contains(&note) {
                                section.notes.push(note);
                            }
                            let n_s = strata.keys.len();
                            for (i, c) in cells.iter_mut().enumerate() {
                                // A cell with a number below k is hidden by primary
                                // suppression whatever its value, and a hidden cell has no
                                // interval: its rate and Fay–Feuer interval (two gamma
                                // quantiles) are not worked out.
                                if c.numbers.iter().flatten().any(|&n| below_k(n, k)) {
                                    continue;
                                }
                                let pop = &strata.population[i % n_areas];
                                let zero = vec![0u64; n_s];
                                let x = counts.get(i).unwrap_or(&zero);
                                match crate::standardise::rate(x, pop, &strata.standard) {
                                    Some((value, iv)) => {
                                        if let Cell::Value { value: v, .. } = &mut c.cell {
                                            *v = value;
                                            ivs[i] = Some(iv);
                                        }
                                    }
                                    None => c.cell = not_estimable(c.cell),
                                }
                            }
                            let counts = if counts.is_empty() {
                                vec![vec![0u64; n_s]; n_groups * n_areas]
                            } else {
                                counts
                            };
                            std_data = Some((strata, counts));
                        }
                    }
                    std_intervals = Some(ivs);
                }
                suppress(&mut cells, &families, k);
                let cases: Vec<u64> = cells.iter().map(|c| cases_of(def, c)).collect();
                let cells: Vec<Cell> = cells.into_iter().map(|c| c.cell).collect();
                let variation = variation_of(
                    def,
                    &report.areas,
                    &cells,
                    &cases,
                    n_groups,
                    settings.comparison.variation_min_cases,
                    std_data.as_ref(),
                );
                // After suppression, so a hidden cell has no interval.
                let intervals = match std_intervals {
                    Some(ivs) => cells
                        .iter()
                        .zip(ivs)
                        .map(|(c, iv)| iv.filter(|_| matches!(c, Cell::Value { .. })))
                        .collect(),
                    None => cells
                        .iter()
                        .map(|c| crate::ci::interval(def.unit, c))
                        .collect(),
                };
                report.results.push(IndicatorResult {
                    def,
                    module: report.modules.len(),
                    cells,
                    intervals,
                    variation,
                });
                done += 1;
            }
            report.modules.push(section);
        }
        report.notes.extend(standard_note);
        step(Phase::Indicators, 1.0)?;
        step(Phase::Output, 1.0)?;
        Ok(report)
    }
}

/// Adds a module note of one pass to those of the passes before: a note with a count adds its
/// count to the same note's; the others are kept once. Notes are kept in the order of
/// [`Note`]'s variants, the order in which the modules give them.
fn merge_note(notes: &mut Vec<Note>, note: Note) {
    use crate::notes::NoteCount;
    let count_of = |n: &Note| match n {
        Note::SmiUnknownAge { count }
        | Note::CountryOnly { count }
        | Note::StandardUnassigned { count } => match count {
            NoteCount::Exact(n) => Some(*n),
            NoteCount::UnderK(_) => None,
        },
        _ => None,
    };
    let same = |a: &Note, b: &Note| std::mem::discriminant(a) == std::mem::discriminant(b);
    if let Some(old) = notes.iter_mut().find(|n| same(n, &note)) {
        if let (Some(a), Some(b)) = (count_of(old), count_of(&note)) {
            let total = NoteCount::Exact(a + b);
            match old {
                Note::SmiUnknownAge { count }
                | Note::CountryOnly { count }
                | Note::StandardUnassigned { count } => *count = total,
                _ => {}
            }
        }
        return;
    }
    notes.push(note);
    notes.sort_by_key(note_rank);
}

/// The place of a note among a module's notes (the order in which [`crate::modules`] give them).
fn note_rank(note: &Note) -> u8 {
    match note {
        Note::Unsuppressed => 0,
        Note::YearUnusable { .. } => 1,
        Note::PopulationWithoutAge => 2,
        Note::PopulationWithoutYear { .. } => 3,
        Note::SmiUnknownAge { .. } => 4,
        Note::CountryOnly { .. } => 5,
        Note::StandardWithoutAgeOrSex => 6,
        Note::StandardWithoutYear { .. } => 7,
        Note::StandardUnassigned { .. } => 8,
    }
}

/// A note counted with k = 0, its count suppressed with `k`.
fn suppress_note(note: Note, k: u64) -> Note {
    use crate::notes::NoteCount;
    let again = |c: NoteCount| match c {
        NoteCount::Exact(n) => NoteCount::new(n, k),
        other => other,
    };
    match note {
        Note::SmiUnknownAge { count } => Note::SmiUnknownAge {
            count: again(count),
        },
        Note::CountryOnly { count } => Note::CountryOnly {
            count: again(count),
        },
        Note::StandardUnassigned { count } => Note::StandardUnassigned {
            count: again(count),
        },
        other => other,
    }
}

/// Adds a module summary of one pass (counted with k = 0) to the sums of the passes before.
/// Items add up by what they count; the largest pair of groups is chosen again from the summed
/// pairs (the first in order on a tie; none when no pair has a unit), and stays last.
fn merge_summary(
    sums: &mut Vec<(crate::module::SummaryKind, u64)>,
    items: Vec<crate::module::SummaryItem>,
) {
    use crate::module::SummaryKind;
    let n_of = |c: &Cell| match c {
        Cell::Value { numerator, .. } => numerator.unwrap_or(0),
        _ => 0,
    };
    sums.retain(|(w, _)| !matches!(w, SummaryKind::LargestPair(..)));
    for item in items {
        if matches!(item.what, SummaryKind::LargestPair(..)) {
            continue;
        }
        let n = n_of(&item.cell);
        match sums.iter_mut().find(|(w, _)| *w == item.what) {
            Some((_, total)) => *total += n,
            None => sums.push((item.what, n)),
        }
    }
    let mut best: Option<(usize, usize, u64)> = None;
    for (w, n) in sums.iter() {
        if let SummaryKind::GroupPair(i, j) = *w {
            if *n > 0 && best.is_none_or(|(_, _, b)| *n > b) {
                best = Some((i, j, *n));
            }
        }
    }
    if let Some((i, j, n)) = best {
        sums.push((SummaryKind::LargestPair(i, j), n));
    }
}

/// The cases behind a cell, which the variation statistics' threshold tests: the numerator of a
/// share or rate, the denominator (units) of a mean, the count, sum or number of values of the
/// rest.
fn cases_of(def: &IndicatorDef, c: &Candidate) -> u64 {
    use crate::indicator::Unit;
    let [num, den] = c.numbers;
    match (def.unit, den) {
        (Unit::Percent | Unit::Per1000, _) | (_, None) => num.unwrap_or(0),
        (_, Some(d)) => d,
    }
}

/// The variation statistics of one indicator's cells, per group and level below the country,
/// over the shown cells with at least `min_cases` cases.
fn variation_of(
    def: &IndicatorDef,
    areas: &[Area],
    cells: &[Cell],
    cases: &[u64],
    n_groups: usize,
    min_cases: u64,
    std_data: Option<&(crate::standardise::Strata, Vec<Vec<u64>>)>,
) -> Vec<crate::variation::Variation> {
    use crate::indicator::Unit;
    use crate::output::Level;
    use crate::variation::{statistics, AreaValue, Variation};
    let n_areas = areas.len();
    let scv = matches!(def.unit, Unit::Percent | Unit::Per1000);
    let mut out = Vec::new();
    for g in 0..n_groups {
        for level in [Level::Region, Level::HealthCommunity, Level::Municipality] {
            let included: Vec<usize> = (0..n_areas)
                .filter(|&a| areas[a].level == level)
                .map(|a| g * n_areas + a)
                .filter(|&i| matches!(cells[i], Cell::Value { .. }) && cases[i] >= min_cases.max(1))
                .collect();
            let values: Vec<AreaValue> = match std_data {
                None => included
                    .iter()
                    .filter_map(|&i| match cells[i] {
                        Cell::Value {
                            numerator,
                            denominator,
                            value,
                        } => Some(AreaValue {
                            value,
                            observed: numerator.unwrap_or(0) as f64,
                            exposure: denominator.unwrap_or(0) as f64,
                        }),
                        _ => None,
                    })
                    .collect(),
                Some((strata, counts)) => {
                    // Pooled rate of each stratum over the included areas, then each area's
                    // expected persons at those rates (indirect standardisation).
                    let n_s = strata.keys.len();
                    let (mut x, mut n) = (vec![0u64; n_s], vec![0u64; n_s]);
                    for &i in &included {
                        for s in 0..n_s {
                            x[s] += counts[i][s];
                            n[s] += strata.population[i % n_areas][s];
                        }
                    }
                    included
                        .iter()
                        .filter_map(|&i| {
                            let value = crate::variation::shown(&cells[i])?;
                            let pop = &strata.population[i % n_areas];
                            let expected: f64 = (0..n_s)
                                .filter(|&s| n[s] > 0)
                                .map(|s| x[s] as f64 / n[s] as f64 * pop[s] as f64)
                                .sum();
                            Some(AreaValue {
                                value,
                                observed: counts[i].iter().sum::<u64>() as f64,
                                exposure: expected,
                            })
                        })
                        .collect()
                }
            };
            if !areas.iter().any(|a| a.level == level) {
                continue;
            }
            let st = statistics(&values, scv, std_data.is_some());
            out.push(Variation {
                group: g,
                level,
                areas: values.len() as u32,
                min: st.min,
                max: st.max,
                extremal_quotient: st.extremal_quotient,
                cv: st.cv,
                scv: st.scv,
            });
        }
    }
    out
}

/// A cell whose value cannot be computed, keeping its published numbers.
fn not_estimable(cell: Cell) -> Cell {
    match cell {
        Cell::Value {
            numerator,
            denominator,
            ..
        } => Cell::NotEstimable {
            numerator,
            denominator,
        },
        other => other,
    }
}

/// The families "a total and its parts" of a module's grid (`group * n_areas + area`): every
/// parent area with its children, per group; and every group total with its split parts, per
/// area. Parts are in text order.
pub(crate) fn families(decl: &ModuleDecl, areas: &Areas) -> Vec<Family> {
    let n = areas.len();
    let mut out = Vec::new();
    for g in 0..decl.groups.len() {
        for (parent, children) in areas.families() {
            out.push(Family {
                total: g * n + *parent as usize,
                parts: children.iter().map(|c| g * n + *c as usize).collect(),
            });
        }
    }
    for (total, parts) in decl.group_families() {
        for a in 0..n {
            out.push(Family {
                total: total * n + a,
                parts: parts.iter().map(|p| p * n + a).collect(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests;
