//! The patient survey in the browser (issue 9): the jobs the survey page sends the worker, the
//! answers it gets back, and the worker's side of them ([`handle`]) — pure, so it is tested
//! natively. The respondent table stays in the worker ([`SurveyHeld`]); the page holds only what
//! it shows. The numbers are the engine's (`forlop_core::survey`), computed exactly as
//! `forlop survey …` computes them, with the same default derive settings.

use crate::protocol::Bilingual;
use forlop_core::survey::compare::{anova, t_test};
use forlop_core::survey::csv::{number as csv_number, text as csv};
use forlop_core::survey::derive::{add_derived, DeriveSettings, SexSource, DERIVED};
use forlop_core::survey::describe::frequencies;
use forlop_core::survey::regress::{
    common_covariates, regress, suppress_small, Covariate, Model, ModelSpec,
};
use forlop_core::survey::representativeness::{
    read_population_aggregates, render_all, sector_counts, RenderedTable,
};
use forlop_core::survey::response::{response_table, round_half_up};
use forlop_core::survey::rows;
use forlop_core::survey::scale::{summarise, Scale, CONTINUUM_ITEMS, STAR_ITEMS};
use forlop_core::survey::table::{read_respondents, Column, RespondentTable};
use forlop_core::text::Lang;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The demo survey's seed (everyone sees the same demo) and default size.
pub const DEMO_SEED: u64 = 2023;
/// Respondents in the demo survey by default.
pub const DEMO_RESPONDENTS: u32 = 10_000;

/// A job for the worker about the survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SurveyJob {
    /// Generate the synthetic survey (`forlop survey synth`) and hold it.
    Demo {
        /// Respondents in all.
        respondents: u32,
        /// Seed.
        seed: u64,
    },
    /// Read the attached files: the respondent file, and population aggregates when a file's
    /// header has `totalpop` / `total_population`.
    Files,
    /// The frequency table of one item.
    Describe {
        /// The item.
        item: String,
        /// Grouping (`None`: all respondents).
        by: Option<String>,
        /// k.
        min_cell: u64,
    },
    /// A scale's n, mean, sd and α per group.
    Scale {
        /// STAR-P (`true`) or CONTINU-UM.
        star: bool,
        /// Grouping.
        by: Option<String>,
        /// k.
        min_cell: u64,
    },
    /// A t test of `var` between two levels of `between` (`forlop survey ttest`).
    TTest {
        /// The variable compared (a scale item is scored).
        var: String,
        /// The variable whose two levels are compared.
        between: String,
        /// The two levels: first minus second.
        levels: [String; 2],
        /// Per group of this (`None`: all).
        by: Option<String>,
        /// Welch's test instead of Student's.
        welch: bool,
        /// k.
        min_cell: u64,
    },
    /// A one-way ANOVA of `var` across the levels of `between` (`forlop survey anova`).
    Anova {
        /// The variable compared.
        var: String,
        /// The grouping whose levels are compared.
        between: String,
        /// Per group of this (`None`: all).
        by: Option<String>,
        /// k.
        min_cell: u64,
    },
    /// Derive the variables again with other settings (the CLI's derive flags).
    Settings(SettingsView),
    /// A regression, per group or pooled.
    Regress {
        /// Logistic (`true`) or linear.
        logistic: bool,
        /// The dependent variable.
        outcome: String,
        /// Logistic: the outcome values that are the event (empty: the outcome is 0/1).
        event: Vec<String>,
        /// Covariates: name and, for a categorical one, its reference level.
        covariates: Vec<(String, Option<String>)>,
        /// Grouping (`None`: pooled).
        by: Option<String>,
        /// k.
        min_cell: u64,
    },
}

/// An answer about the survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SurveyAnswer {
    /// The survey was read (or made) and is held.
    Loaded(SurveyOverview),
    /// A frequency table.
    Frequencies(FrequencyView),
    /// Scale scores.
    Scale(ScaleView),
    /// t tests.
    TTest(TTestView),
    /// ANOVAs.
    Anova(AnovaView),
    /// The variables were derived again ([`SurveyJob::Settings`]): the same file, new columns.
    Derived(SurveyOverview),
    /// Model fits.
    Models(ModelsView),
    /// Response and representativeness tables from an aggregates file given alone.
    Response(ResponseTablesView),
}

/// Tables 4-1 … 4-9 from the population aggregates, as `forlop survey response` writes them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ResponseTablesView {
    /// The aggregates file's name.
    pub file: String,
    /// Data rows read.
    pub rows_read: u64,
    /// Rows rejected (read = used + rejected).
    pub rows_rejected: u64,
    /// The first problems, positioned.
    pub issues: Vec<Bilingual>,
    /// Every table with rows, in the CLI's order.
    pub tables: Vec<RenderedTable>,
}

/// What was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SurveyOverview {
    /// The respondent file's name.
    pub file: String,
    /// Data rows read, used, rejected (read = used + rejected).
    pub rows_read: u64,
    /// Rows used.
    pub rows_used: u64,
    /// Rows rejected.
    pub rows_rejected: u64,
    /// The first problems, positioned.
    pub issues: Vec<Bilingual>,
    /// Columns the module does not know (kept).
    pub unknown_columns: Vec<String>,
    /// Respondents per sector.
    pub sectors: Vec<(String, u64)>,
    /// Every variable, the derived ones included.
    pub variables: Vec<VariableView>,
    /// Table 4-1 from the aggregates (empty without them).
    pub response: Vec<ResponseView>,
    /// Why the aggregates could not be read.
    pub aggregates_error: Option<String>,
    /// Tables 4-1 … 4-9 from the aggregates.
    pub representativeness: Option<ResponseTablesView>,
}

/// A variable of the respondent table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariableView {
    /// Its name.
    pub name: String,
    /// Its values when there are few (≤ 12): answer codes or names, sorted as the tables sort
    /// them; empty for a continuous variable.
    pub levels: Vec<String>,
    /// Numeric (codes, numbers) rather than text.
    pub numeric: bool,
    /// Derived (survey.md §2), not read.
    pub derived: bool,
}

/// One row of Table 4-1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseView {
    /// Sector or `Totalt`.
    pub sector: String,
    /// Total population.
    pub total_population: u64,
    /// Recipients.
    pub recipient_population: u64,
    /// Error population (negative).
    pub error_population: i64,
    /// Respondents.
    pub respondents: u64,
    /// Respondents / total population × 100.
    pub rate_total: f64,
    /// Respondents / recipients × 100.
    pub rate_recipients: f64,
    /// Share of the total population.
    pub share_total: f64,
    /// Share of the respondents.
    pub share_respondents: f64,
}

/// A frequency table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrequencyView {
    /// The item.
    pub item: String,
    /// The grouping.
    pub by: Option<String>,
    /// k used.
    pub min_cell: u64,
    /// Rows as `forlop survey describe` writes them.
    pub rows: Vec<FrequencyRowView>,
    /// The table as `forlop survey describe` writes it.
    pub csv: String,
}

/// One row of a frequency table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrequencyRowView {
    /// Group.
    pub group: String,
    /// Answer, `(total)` or `(missing)`.
    pub value: String,
    /// Count (`None` suppressed).
    pub n: Option<u64>,
    /// % of the group's valid answers, rounded half up to one decimal as the CLI prints it.
    pub percent: Option<f64>,
    /// Suppressed.
    pub suppressed: bool,
}

/// Scale scores per group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleView {
    /// STAR-P or CONTINU-UM.
    pub star: bool,
    /// The grouping.
    pub by: Option<String>,
    /// k used.
    pub min_cell: u64,
    /// One row per group; numbers `None` when the group has fewer than k scores.
    pub rows: Vec<ScaleRowView>,
    /// n, mean and sd of each scored item per group (`None` below k answers).
    pub items: Vec<ItemMeanView>,
    /// The table as `forlop survey scale` writes it.
    pub csv: String,
    /// The item means as `forlop survey scale --items` writes them.
    pub items_csv: String,
}

/// One item's mean in one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemMeanView {
    /// Group.
    pub group: String,
    /// The item's variable name.
    pub item: String,
    /// Respondents who answered.
    pub n: Option<u64>,
    /// Mean of the scored answers.
    pub mean: Option<f64>,
    /// SD.
    pub sd: Option<f64>,
}

/// t tests, one per group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TTestView {
    /// The variable compared.
    pub var: String,
    /// The variable whose levels are compared.
    pub between: String,
    /// The two levels.
    pub levels: [String; 2],
    /// k used.
    pub min_cell: u64,
    /// One row per group.
    pub rows: Vec<TTestRowView>,
    /// The table as `forlop survey ttest` writes it.
    pub csv: String,
}

/// One group's t test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TTestRowView {
    /// Group (`all`).
    pub group: String,
    /// n of the two levels (`None` when suppressed).
    pub n: [Option<u64>; 2],
    /// Means of the two levels.
    pub mean: [Option<f64>; 2],
    /// First mean minus second.
    pub difference: Option<f64>,
    /// t.
    pub t: Option<f64>,
    /// Degrees of freedom.
    pub df: Option<f64>,
    /// Two-sided p.
    pub p_value: Option<f64>,
    /// Hidden below k.
    pub suppressed: bool,
}

/// ANOVAs, one per group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnovaView {
    /// The variable compared.
    pub var: String,
    /// The grouping whose levels are compared.
    pub between: String,
    /// k used.
    pub min_cell: u64,
    /// One per group.
    pub tests: Vec<AnovaTestView>,
    /// The table as `forlop survey anova` writes it.
    pub csv: String,
}

/// One group's ANOVA.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnovaTestView {
    /// Group (`all`).
    pub group: String,
    /// Per level: label, n (`None` when suppressed), mean.
    pub levels: Vec<(String, Option<u64>, Option<f64>)>,
    /// F.
    pub f: Option<f64>,
    /// Between-groups df.
    pub df_between: u64,
    /// Within-groups df.
    pub df_within: u64,
    /// p.
    pub p_value: Option<f64>,
    /// Hidden below k.
    pub suppressed: bool,
}

/// The derive settings survey.md leaves open, as the CLI's flags set them (defaults = the
/// CLI's defaults, `docs/choices.md` "Patient survey").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettingsView {
    /// `--sex self-report`.
    pub sex_self_report: bool,
    /// `--age-source self-report`.
    pub age_from_birth_year: bool,
    /// `--survey-year`.
    pub survey_year: i32,
    /// `--substance-two-diagnoses`.
    pub substance_two_diagnoses: bool,
    /// `--no-other-diagnosis`.
    pub no_other_diagnosis: bool,
    /// `--municipal-count`.
    pub municipal_count: bool,
    /// `--municipal-psychologist`.
    pub municipal_psychologist: bool,
    /// `--tsb-substance-status`.
    pub tsb_substance_status: bool,
    /// `--coordination-dont-know-missing`.
    pub coordination_dont_know_missing: bool,
    /// `--star-min-items`.
    pub star_min_items: u32,
    /// `--continuum-partial`.
    pub continuum_partial: bool,
}

impl Default for SettingsView {
    fn default() -> Self {
        SettingsView {
            sex_self_report: false,
            age_from_birth_year: false,
            survey_year: 2023,
            substance_two_diagnoses: false,
            no_other_diagnosis: false,
            municipal_count: false,
            municipal_psychologist: false,
            tsb_substance_status: false,
            coordination_dont_know_missing: false,
            star_min_items: 1,
            continuum_partial: false,
        }
    }
}

impl SettingsView {
    /// The engine's settings, as `forlop survey …` builds them from the same flags.
    pub fn settings(&self) -> DeriveSettings {
        let mut s = DeriveSettings {
            sex: if self.sex_self_report {
                SexSource::SelfReport
            } else {
                SexSource::Register
            },
            survey_year: self.survey_year,
            age_from_birth_year: self.age_from_birth_year,
            substance_as_one_diagnosis: !self.substance_two_diagnoses,
            count_other_diagnosis: !self.no_other_diagnosis,
            municipal_services_as_count: self.municipal_count,
            municipal_includes_psychologist: self.municipal_psychologist,
            tsb_status_from_substance_item: self.tsb_substance_status,
            coordination_dont_know_missing: self.coordination_dont_know_missing,
            ..DeriveSettings::default()
        };
        s.scales.star_min_items = self.star_min_items as usize;
        s.scales.continuum_require_all = !self.continuum_partial;
        s
    }

    /// The CLI flags that give these settings (none for the defaults), shown on the page.
    pub fn flags(&self) -> Vec<String> {
        let d = SettingsView::default();
        let mut out = Vec::new();
        let mut flag = |on: bool, f: &str| {
            if on {
                out.push(f.to_string());
            }
        };
        flag(self.sex_self_report, "--sex self-report");
        flag(self.age_from_birth_year, "--age-source self-report");
        flag(self.substance_two_diagnoses, "--substance-two-diagnoses");
        flag(self.no_other_diagnosis, "--no-other-diagnosis");
        flag(self.municipal_count, "--municipal-count");
        flag(self.municipal_psychologist, "--municipal-psychologist");
        flag(self.tsb_substance_status, "--tsb-substance-status");
        flag(
            self.coordination_dont_know_missing,
            "--coordination-dont-know-missing",
        );
        flag(self.continuum_partial, "--continuum-partial");
        if self.survey_year != d.survey_year {
            out.push(format!("--survey-year {}", self.survey_year));
        }
        if self.star_min_items != d.star_min_items {
            out.push(format!("--star-min-items {}", self.star_min_items));
        }
        out
    }
}

/// One group's scale summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleRowView {
    /// Group.
    pub group: String,
    /// Respondents with a score.
    pub n: Option<u64>,
    /// Mean score.
    pub mean: Option<f64>,
    /// SD.
    pub sd: Option<f64>,
    /// Cronbach's α.
    pub alpha: Option<f64>,
    /// Complete cases of α.
    pub alpha_n: Option<u64>,
}

/// Model fits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelsView {
    /// Logistic (odds ratios) or linear (coefficients).
    pub logistic: bool,
    /// The outcome.
    pub outcome: String,
    /// k used.
    pub min_cell: u64,
    /// One fit per group.
    pub fits: Vec<FitView>,
    /// The fits as `forlop survey regress` writes them.
    pub csv: String,
}

/// One fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FitView {
    /// Group (`all` pooled).
    pub group: String,
    /// Respondents in the model (`None` when suppressed).
    pub n: Option<u64>,
    /// R² (linear).
    pub r2: Option<f64>,
    /// Usable estimates.
    pub converged: bool,
    /// Why not, in words (`en / nb`).
    pub problem: Option<String>,
    /// Fewer than k respondents.
    pub suppressed: bool,
    /// The terms, intercept first.
    pub terms: Vec<TermView>,
}

/// One term of a fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TermView {
    /// `(intercept)`, a name, or `name=level`.
    pub term: String,
    /// Odds ratio or coefficient.
    pub estimate: Option<f64>,
    /// 95 % CI, lower end.
    pub ci_low: Option<f64>,
    /// Upper end.
    pub ci_high: Option<f64>,
    /// p-value.
    pub p_value: Option<f64>,
    /// Blanked below k.
    pub suppressed: bool,
}

/// The survey held by the worker.
#[derive(Debug, Clone, Default)]
pub struct SurveyHeld {
    /// The respondents with the derived variables.
    pub table: RespondentTable,
    /// The respondents as read, to derive again with other settings.
    pub raw: RespondentTable,
    /// The settings `table` was derived with.
    pub settings: DeriveSettings,
    /// What was read (for [`SurveyAnswer::Derived`]).
    pub overview: SurveyOverview,
}

/// Groupings offered for tables and models, when the data has them.
pub const GROUPINGS: [&str; 7] = [
    "sektor",
    "aldersgruppe",
    "diagnosegruppe",
    "alvorlig_langvarig",
    "nylig_avsluttet",
    "kvinne",
    "helseregion",
];

fn msg(nb: impl Into<String>, en: impl Into<String>) -> Bilingual {
    Bilingual {
        nb: nb.into(),
        en: en.into(),
    }
}

fn is_aggregates(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(400)]).to_lowercase();
    let header = head.lines().next().unwrap_or("");
    ["totalpop", "total_population", "mottakspop"]
        .iter()
        .any(|h| header.contains(h))
        || (["populasjon", "population"]
            .iter()
            .any(|h| header.contains(h))
            && ["inndeling", "breakdown"]
                .iter()
                .any(|h| header.contains(h)))
}

/// Reads the aggregates into Tables 4-1 … 4-9, and Table 4-1's rows for the overview.
fn response_tables(file: &str, bytes: &[u8]) -> (ResponseTablesView, Vec<ResponseView>) {
    let read = read_population_aggregates(file, bytes);
    let rows = response_table(&sector_counts(&read).0)
        .into_iter()
        .map(|r| ResponseView {
            sector: r.sector,
            total_population: r.total_population,
            recipient_population: r.recipient_population,
            error_population: r.error_population,
            respondents: r.respondents,
            rate_total: r.rate_total,
            rate_recipients: r.rate_recipients,
            share_total: r.share_total,
            share_respondents: r.share_respondents,
        })
        .filter(|_| !read.records.is_empty())
        .collect();
    let view = ResponseTablesView {
        file: file.to_string(),
        rows_read: read.rows_read,
        rows_rejected: read.rows_rejected,
        issues: read
            .issues
            .iter()
            .take(10)
            .map(|i| msg(i.render(Lang::Nb), i.render(Lang::En)))
            .collect(),
        tables: render_all(&read),
    };
    (view, rows)
}

/// Sorts labels numerically when they are numbers, else bytewise (as the frequency tables).
fn label_order(a: &String, b: &String) -> std::cmp::Ordering {
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x.total_cmp(&y),
        _ => a.cmp(b),
    }
}

fn overview(file: &str, read: &forlop_core::survey::table::ReadResult) -> SurveyOverview {
    SurveyOverview {
        file: file.to_string(),
        rows_read: read.rows_read,
        rows_used: read.table.rows as u64,
        rows_rejected: read.rows_rejected,
        issues: read
            .issues
            .iter()
            .take(10)
            .map(|i| msg(i.render(Lang::Nb), i.render(Lang::En)))
            .collect(),
        unknown_columns: read.unknown_columns.clone(),
        ..SurveyOverview::default()
    }
}

/// Fills in sectors and variables from the held table.
fn describe_table(table: &RespondentTable, view: &mut SurveyOverview) {
    let mut sectors: std::collections::BTreeMap<String, u64> = Default::default();
    for r in 0..table.rows {
        if let Some(s) = table.label("sektor", r) {
            *sectors.entry(s).or_default() += 1;
        }
    }
    view.sectors = sectors.into_iter().collect();
    view.variables = table
        .columns
        .iter()
        .filter(|(name, _)| name.as_str() != "respondent_id")
        .map(|(name, column)| {
            let mut levels: BTreeSet<String> = BTreeSet::new();
            for r in 0..table.rows {
                if let Some(l) = table.label(name, r) {
                    levels.insert(l);
                    if levels.len() > 12 {
                        break;
                    }
                }
            }
            let mut levels: Vec<String> = if levels.len() > 12 {
                Vec::new()
            } else {
                levels.into_iter().collect()
            };
            levels.sort_by(label_order);
            VariableView {
                name: name.clone(),
                levels,
                numeric: matches!(column, Column::Numeric(_)),
                derived: DERIVED.contains(&name.as_str()),
            }
        })
        .collect();
}

/// Runs one job on the held survey. `files` are the attached files (name, bytes) of
/// [`SurveyJob::Files`].
///
/// # Errors
/// A bilingual message when the job cannot be done (no survey held, no usable respondents, an
/// unknown variable).
pub fn handle(
    held: &mut Option<SurveyHeld>,
    job: SurveyJob,
    files: Vec<(String, Vec<u8>)>,
) -> Result<SurveyAnswer, Bilingual> {
    match job {
        SurveyJob::Demo { respondents, seed } => {
            let survey = forlop_synth::generate_survey(&forlop_synth::SurveyConfig {
                respondents: respondents as usize,
                seed,
            });
            load(
                held,
                vec![
                    (survey.respondents.name, survey.respondents.bytes),
                    (survey.aggregates.name, survey.aggregates.bytes),
                ],
            )
        }
        SurveyJob::Files => load(held, files),
        SurveyJob::Describe { item, by, min_cell } => {
            let table = &held_table(held)?.table;
            let found = frequencies(table, &item, by.as_deref(), min_cell)
                .map_err(|e| msg(e.clone(), e))?;
            let csv = csv(rows::DESCRIBE_HEADER, rows::describe(&item, &found));
            let rows = found
                .into_iter()
                .map(|r| FrequencyRowView {
                    group: r.group,
                    value: r.value,
                    n: r.n,
                    percent: r.percent.map(|p| round_half_up(p, 1)),
                    suppressed: r.suppressed,
                })
                .collect();
            Ok(SurveyAnswer::Frequencies(FrequencyView {
                item,
                by,
                min_cell,
                rows,
                csv,
            }))
        }
        SurveyJob::Scale { star, by, min_cell } => {
            if let Some(b) = &by {
                if !forlop_core::survey::scale::has_grouping(&held_table(held)?.table, b) {
                    return Err(unknown(b));
                }
            }
            let scale = if star { Scale::StarP } else { Scale::ContinuUm };
            let held = held_table(held)?;
            let summaries = summarise(&held.table, scale, by.as_deref(), &held.settings.scales);
            let names = if star { &STAR_ITEMS } else { &CONTINUUM_ITEMS };
            let items = summaries
                .iter()
                .flat_map(|s| {
                    s.item_means.iter().map(move |m| {
                        let small = forlop_core::suppress::below_k(m.n as u64, min_cell);
                        let shown = |x: Option<f64>| if small { None } else { x };
                        ItemMeanView {
                            group: s.group.clone(),
                            item: names
                                .get(m.item.wrapping_sub(1))
                                .map_or_else(|| m.item.to_string(), |n| n.to_string()),
                            n: (!small).then_some(m.n as u64),
                            mean: shown(m.mean),
                            sd: shown(m.sd),
                        }
                    })
                })
                .collect();
            let csv_text = csv(rows::SCALE_HEADER, rows::scale(&summaries, min_cell));
            let items_csv = csv(
                rows::ITEM_MEANS_HEADER,
                rows::item_means(&summaries, scale, min_cell),
            );
            let rows = summaries
                .into_iter()
                .map(|s| {
                    let small = forlop_core::suppress::below_k(s.n as u64, min_cell);
                    let shown = |x: Option<f64>| if small { None } else { x };
                    ScaleRowView {
                        group: s.group,
                        n: (!small).then_some(s.n as u64),
                        mean: shown(s.mean),
                        sd: shown(s.sd),
                        alpha: shown(s.alpha.alpha),
                        alpha_n: (!small).then_some(s.alpha.n as u64),
                    }
                })
                .collect();
            Ok(SurveyAnswer::Scale(ScaleView {
                star,
                by,
                min_cell,
                rows,
                items,
                csv: csv_text,
                items_csv,
            }))
        }
        SurveyJob::TTest {
            var,
            between,
            levels,
            by,
            welch,
            min_cell,
        } => {
            let table = &held_table(held)?.table;
            let [a, b] = [levels[0].as_str(), levels[1].as_str()];
            let tests = t_test(
                table,
                &var,
                &between,
                [a, b],
                by.as_deref(),
                welch,
                min_cell,
            )
            .map_err(|e| msg(e.clone(), e))?;
            let csv = csv(rows::TTEST_HEADER, rows::ttest(&var, [a, b], &tests));
            let rows = tests
                .into_iter()
                .map(|t| TTestRowView {
                    n: t.n.map(|k| (!t.suppressed).then_some(k as u64)),
                    mean: t.mean,
                    difference: t.difference,
                    t: t.t,
                    df: t.df,
                    p_value: t.p_value,
                    suppressed: t.suppressed,
                    group: t.group,
                })
                .collect();
            Ok(SurveyAnswer::TTest(TTestView {
                var,
                between,
                levels,
                min_cell,
                rows,
                csv,
            }))
        }
        SurveyJob::Anova {
            var,
            between,
            by,
            min_cell,
        } => {
            let table = &held_table(held)?.table;
            let tests = anova(table, &var, &between, by.as_deref(), min_cell)
                .map_err(|e| msg(e.clone(), e))?;
            let csv = csv(rows::ANOVA_HEADER, rows::anova(&var, &tests));
            let tests = tests
                .into_iter()
                .map(|t| AnovaTestView {
                    levels: t
                        .levels
                        .into_iter()
                        .map(|(l, n, m)| (l, (!t.suppressed).then_some(n as u64), m))
                        .collect(),
                    f: t.f,
                    df_between: t.df_between as u64,
                    df_within: t.df_within as u64,
                    p_value: t.p_value,
                    suppressed: t.suppressed,
                    group: t.group,
                })
                .collect();
            Ok(SurveyAnswer::Anova(AnovaView {
                var,
                between,
                min_cell,
                tests,
                csv,
            }))
        }
        SurveyJob::Settings(view) => {
            let Some(h) = held.as_mut() else {
                return Err(held_table(&None).err().unwrap_or_default());
            };
            let settings = view.settings();
            let mut table = h.raw.clone();
            add_derived(&mut table, &settings);
            describe_table(&table, &mut h.overview);
            h.table = table;
            h.settings = settings;
            Ok(SurveyAnswer::Derived(h.overview.clone()))
        }
        SurveyJob::Regress {
            logistic,
            outcome,
            event,
            covariates,
            by,
            min_cell,
        } => {
            let table = &held_table(held)?.table;
            let spec = ModelSpec {
                model: if logistic {
                    Model::Logistic
                } else {
                    Model::Linear
                },
                outcome: outcome.clone(),
                event: if logistic { event } else { Vec::new() },
                covariates: covariates
                    .into_iter()
                    .map(|(name, reference)| match reference {
                        Some(reference) => Covariate::Categorical { name, reference },
                        None => Covariate::Numeric(name),
                    })
                    .collect(),
            };
            let mut fits = regress(table, &spec, by.as_deref()).map_err(|e| msg(e.clone(), e))?;
            suppress_small(&mut fits, min_cell);
            let csv = csv(rows::REGRESS_HEADER, rows::regress(&fits));
            let fits = fits
                .into_iter()
                .map(|f| FitView {
                    n: (!f.suppressed).then_some(f.n as u64),
                    r2: f.r2,
                    converged: f.converged,
                    problem: f.problem.as_ref().map(|p| p.describe()),
                    suppressed: f.suppressed,
                    terms: f
                        .terms
                        .into_iter()
                        .map(|t| TermView {
                            term: t.term,
                            estimate: t.estimate,
                            ci_low: t.ci_low,
                            ci_high: t.ci_high,
                            p_value: t.p_value,
                            suppressed: t.suppressed,
                        })
                        .collect(),
                    group: f.group,
                })
                .collect();
            Ok(SurveyAnswer::Models(ModelsView {
                logistic,
                outcome,
                min_cell,
                fits,
                csv,
            }))
        }
    }
}

fn unknown(name: &str) -> Bilingual {
    msg(
        format!("Variabelen «{name}» finnes ikke i dataene."),
        format!("No variable «{name}» in the data."),
    )
}

fn held_table(held: &Option<SurveyHeld>) -> Result<&SurveyHeld, Bilingual> {
    held.as_ref().ok_or_else(|| {
        msg(
            "Ingen undersøkelse er lest ennå.",
            "No survey has been read yet.",
        )
    })
}

fn load(
    held: &mut Option<SurveyHeld>,
    files: Vec<(String, Vec<u8>)>,
) -> Result<SurveyAnswer, Bilingual> {
    let (aggregates, respondents): (Vec<_>, Vec<_>) =
        files.into_iter().partition(|(_, b)| is_aggregates(b));
    let Some((name, bytes)) = respondents.into_iter().next() else {
        if let Some((agg_name, agg_bytes)) = aggregates.into_iter().next() {
            return Ok(SurveyAnswer::Response(
                response_tables(&agg_name, &agg_bytes).0,
            ));
        }
        return Err(msg(
            "Velg respondentfilen (én rad per respondent).",
            "Pick the respondent file (one row per respondent).",
        ));
    };
    let read = read_respondents(&name, &bytes);
    let mut view = overview(&name, &read);
    if read.table.rows == 0 {
        *held = None;
        let first = view.issues.first().cloned().unwrap_or_default();
        return Err(msg(
            format!("Ingen brukbare respondenter i {name}. {}", first.nb),
            format!("No usable respondents in {name}. {}", first.en),
        ));
    }
    let raw = read.table;
    let settings = DeriveSettings::default();
    let mut table = raw.clone();
    add_derived(&mut table, &settings);
    describe_table(&table, &mut view);
    if let Some((agg_name, agg_bytes)) = aggregates.into_iter().next() {
        let (tables, rows) = response_tables(&agg_name, &agg_bytes);
        if tables.rows_read == tables.rows_rejected {
            let first = tables.issues.first().cloned().unwrap_or_default();
            view.aggregates_error = Some(format!("{} / {}", first.nb, first.en));
        }
        view.response = rows;
        view.representativeness = Some(tables);
    }
    *held = Some(SurveyHeld {
        table,
        raw,
        settings,
        overview: view.clone(),
    });
    Ok(SurveyAnswer::Loaded(view))
}

/// The report's common model (survey.md §2.1) for `outcome`, as the builder's covariate list.
pub fn common_model(outcome: &str) -> Vec<(String, Option<String>)> {
    common_covariates(outcome)
        .into_iter()
        .map(|c| match c {
            Covariate::Numeric(n) => (n, None),
            Covariate::Categorical { name, reference } => (name, Some(reference)),
        })
        .collect()
}

/// The frequency table as `forlop survey describe` writes it.
pub fn frequencies_csv(v: &FrequencyView) -> String {
    v.csv.clone()
}

/// The scale table as `forlop survey scale` writes it.
pub fn scale_csv(v: &ScaleView) -> String {
    v.csv.clone()
}

/// The fits as `forlop survey regress` writes them.
pub fn models_csv(v: &ModelsView) -> String {
    v.csv.clone()
}

/// Table 4-1 as `forlop survey response` writes its first columns.
pub fn response_csv(rows: &[ResponseView]) -> String {
    let two = |x: f64| csv_number(Some(round_half_up(x, 2)));
    csv(
        "sector,total_population,recipient_population,error_population,respondents,rate_total,rate_recipients,share_total,share_respondents",
        rows.iter().map(|r| {
            vec![
                r.sector.clone(),
                r.total_population.to_string(),
                r.recipient_population.to_string(),
                r.error_population.to_string(),
                r.respondents.to_string(),
                two(r.rate_total),
                two(r.rate_recipients),
                two(r.share_total),
                two(r.share_respondents),
            ]
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded(held: &mut Option<SurveyHeld>, respondents: u32) -> SurveyOverview {
        match handle(
            held,
            SurveyJob::Demo {
                respondents,
                seed: 3,
            },
            Vec::new(),
        ) {
            Ok(SurveyAnswer::Loaded(v)) => v,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_demo_is_read_with_its_aggregates_and_sectors() {
        let mut held = None;
        let v = loaded(&mut held, 1000);
        // 1 000 respondents: 638 PHV, 96 TSB, 266 AVT (forlop_synth's sector split).
        assert_eq!((v.rows_read, v.rows_used, v.rows_rejected), (1000, 1000, 0));
        assert_eq!(
            v.sectors,
            vec![("AVT".into(), 266), ("PHV".into(), 638), ("TSB".into(), 96)]
        );
        assert_eq!(v.response.len(), 4);
        assert_eq!(v.response[3].respondents, 1000);
        let sektor = v.variables.iter().find(|x| x.name == "sektor").unwrap();
        assert_eq!(sektor.levels, ["AVT", "PHV", "TSB"]);
        let tilfreds = v.variables.iter().find(|x| x.name == "tilfreds").unwrap();
        assert_eq!(tilfreds.levels, ["1", "2", "3", "4", "5"]);
        assert!(v
            .variables
            .iter()
            .any(|x| x.name == "behandlerrelasjon" && x.derived && x.levels.is_empty()));
    }

    #[test]
    fn describe_and_regress_answer_as_the_cli_computes() {
        let mut held = None;
        loaded(&mut held, 1500);
        let Ok(SurveyAnswer::Frequencies(f)) = handle(
            &mut held,
            SurveyJob::Describe {
                item: "tilfreds".into(),
                by: Some("sektor".into()),
                min_cell: 5,
            },
            Vec::new(),
        ) else {
            panic!()
        };
        // Per sector: five answers, the total and the missing row.
        assert_eq!(f.rows.len(), 3 * 7);
        let csv = frequencies_csv(&f);
        assert!(csv.starts_with("item,group,value,n,percent,suppressed\ntilfreds,AVT,1,"));
        let total: u64 = f
            .rows
            .iter()
            .filter(|r| r.value == "(total)" || r.value == "(missing)")
            .filter_map(|r| r.n)
            .sum();
        assert!(total <= 1500);
        let Ok(SurveyAnswer::Models(m)) = handle(
            &mut held,
            SurveyJob::Regress {
                logistic: true,
                outcome: "fornoyd_oppfolging".into(),
                event: vec!["2".into(), "3".into()],
                covariates: common_model("fornoyd_oppfolging"),
                by: None,
                min_cell: 5,
            },
            Vec::new(),
        ) else {
            panic!()
        };
        let fit = &m.fits[0];
        assert!(fit.converged, "{:?}", fit.problem);
        let rel = fit
            .terms
            .iter()
            .find(|t| t.term == "behandlerrelasjon")
            .unwrap();
        assert!(rel.estimate.unwrap() < 1.0);
        assert!(models_csv(&m).contains("\nall,behandlerrelasjon,"));
        // Unknown variables are messages, not panics.
        let err = handle(
            &mut held,
            SurveyJob::Describe {
                item: "nope".into(),
                by: None,
                min_cell: 5,
            },
            Vec::new(),
        );
        assert!(err.is_err());
    }

    #[test]
    fn the_demo_aggregates_give_the_clis_tables() {
        let mut held = None;
        let v = loaded(&mut held, 1000);
        let rep = v.representativeness.unwrap();
        assert_eq!((rep.rows_rejected, rep.issues.len()), (0, 0));
        let ids: Vec<&str> = rep.tables.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(
            ids,
            ["4-1", "4-2", "4-3", "4-4", "4-5", "4-6", "alder", "4-7", "4-8", "4-9"]
        );
        // The same text as the CLI writes: core's one renderer.
        let survey = forlop_synth::generate_survey(&forlop_synth::SurveyConfig {
            respondents: 1000,
            seed: 3,
        });
        let read = read_population_aggregates("survey_aggregates.csv", &survey.aggregates.bytes);
        assert_eq!(rep.tables, render_all(&read));
    }

    #[test]
    fn files_without_respondents_or_survey_are_messages() {
        let mut held = None;
        // An aggregates file alone gives the response tables (the old sector-only format too).
        let Ok(SurveyAnswer::Response(r)) = handle(
            &mut held,
            SurveyJob::Files,
            vec![(
                "a.csv".into(),
                b"sektor,totalpop,mottakspop,utvalg\nPHV,10,9,5\n".to_vec(),
            )],
        ) else {
            panic!()
        };
        // 5 / 10 = 50 %, 5 / 9 = 55.56 %.
        assert_eq!(r.tables[0].rows[0][5..7], ["50", "55.56"]);
        let err = handle(&mut held, SurveyJob::Files, Vec::new()).unwrap_err();
        assert!(err.en.contains("respondent file"));
        let err = handle(
            &mut held,
            SurveyJob::Files,
            vec![("b.csv".into(), b"sektor,star01\nXYZ,1\n".to_vec())],
        )
        .unwrap_err();
        assert!(
            err.en.contains("No usable respondents in b.csv"),
            "{}",
            err.en
        );
        assert!(held.is_none());
    }

    #[test]
    fn ttest_anova_item_means_and_settings_answer_with_the_clis_csv() {
        let mut held = None;
        loaded(&mut held, 1500);
        let Ok(SurveyAnswer::TTest(t)) = handle(
            &mut held,
            SurveyJob::TTest {
                var: "tilfreds".into(),
                between: "kvinne".into(),
                levels: ["1".into(), "0".into()],
                by: Some("sektor".into()),
                welch: false,
                min_cell: 5,
            },
            Vec::new(),
        ) else {
            panic!()
        };
        assert_eq!(t.rows.len(), 3);
        assert!(t
            .csv
            .starts_with(&format!("{}\nAVT,tilfreds,1,0,", rows::TTEST_HEADER)));
        // Each CSV line carries the view's numbers: difference = mean A − mean B, Student's
        // df = n_A + n_B − 2.
        for (line, r) in t.csv.lines().skip(1).zip(&t.rows) {
            let f: Vec<&str> = line.split(',').collect();
            assert_eq!(f[0], r.group);
            let (na, nb) = (r.n[0].unwrap(), r.n[1].unwrap());
            assert_eq!(
                (f[4], f[5]),
                (na.to_string().as_str(), nb.to_string().as_str())
            );
            assert_eq!(r.df, Some((na + nb - 2) as f64));
            let d = r.mean[0].unwrap() - r.mean[1].unwrap();
            assert!((r.difference.unwrap() - d).abs() < 1e-12);
            assert_eq!(f[11], csv_number(r.p_value));
        }
        let Ok(SurveyAnswer::Anova(a)) = handle(
            &mut held,
            SurveyJob::Anova {
                var: "coc01_tilgang".into(),
                between: "sektor".into(),
                by: None,
                min_cell: 5,
            },
            Vec::new(),
        ) else {
            panic!()
        };
        // One test over three sectors: df between = 3 − 1 = 2, one CSV line per sector.
        assert_eq!(a.tests.len(), 1);
        assert_eq!(a.tests[0].df_between, 2);
        assert_eq!(a.csv.lines().count(), 1 + 3);
        let Ok(SurveyAnswer::Scale(s)) = handle(
            &mut held,
            SurveyJob::Scale {
                star: true,
                by: Some("sektor".into()),
                min_cell: 5,
            },
            Vec::new(),
        ) else {
            panic!()
        };
        // 12 items × 3 sectors, in the CSV and the view alike.
        assert_eq!(s.items.len(), 36);
        assert_eq!(s.items_csv.lines().count(), 1 + 36);
        assert!(s.items_csv.starts_with("group,item,n,mean,sd\nAVT,star01,"));
        assert!(s
            .items
            .iter()
            .all(|i| i.mean.is_some_and(|m| (0.0..=4.0).contains(&m))));

        // Settings: self-reported sex gives `kvinne` from `kjonn` (1 kvinne, 2 mann, else
        // missing) instead of the register's `kjonn_npr` (2 kvinne).
        let women = |held: &Option<SurveyHeld>, source: &str, code: f64| {
            let t = &held.as_ref().unwrap().table;
            let k = t.numeric("kvinne").unwrap();
            let s = t.numeric(source).unwrap();
            (0..t.rows).all(|r| (k[r] == Some(1.0)) == (s[r] == Some(code)))
        };
        assert!(women(&held, "kjonn_npr", 2.0));
        let view = SettingsView {
            sex_self_report: true,
            ..SettingsView::default()
        };
        assert_eq!(view.flags(), ["--sex self-report"]);
        let Ok(SurveyAnswer::Derived(o)) = handle(&mut held, SurveyJob::Settings(view), Vec::new())
        else {
            panic!()
        };
        assert_eq!(o.rows_used, 1500);
        assert!(women(&held, "kjonn", 1.0));
        assert!(!women(&held, "kjonn_npr", 2.0));
        // And back: the raw file is kept, so the defaults give the first table again.
        handle(
            &mut held,
            SurveyJob::Settings(SettingsView::default()),
            Vec::new(),
        )
        .unwrap();
        assert!(women(&held, "kjonn_npr", 2.0));
        assert_eq!(
            SettingsView::default().settings(),
            DeriveSettings::default()
        );
    }
}
