//! The patient survey in the browser (issue 9): the jobs the survey page sends the worker, the
//! answers it gets back, and the worker's side of them ([`handle`]) — pure, so it is tested
//! natively. The respondent table stays in the worker ([`SurveyHeld`]); the page holds only what
//! it shows. The numbers are the engine's (`forlop_core::survey`), computed exactly as
//! `forlop survey …` computes them, with the same default derive settings.

use crate::protocol::Bilingual;
use forlop_core::survey::csv::{number as csv_number, text as csv};
use forlop_core::survey::derive::{add_derived, DeriveSettings, DERIVED};
use forlop_core::survey::describe::frequencies;
use forlop_core::survey::regress::{
    common_covariates, regress, suppress_small, Covariate, Model, ModelSpec,
};
use forlop_core::survey::representativeness::{
    read_population_aggregates, render_all, sector_counts, RenderedTable,
};
use forlop_core::survey::response::{response_table, round_half_up};
use forlop_core::survey::scale::{summarise, Scale, ScaleSettings};
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
            let rows = frequencies(table, &item, by.as_deref(), min_cell)
                .map_err(|e| msg(e.clone(), e))?
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
            }))
        }
        SurveyJob::Scale { star, by, min_cell } => {
            let table = &held_table(held)?.table;
            if let Some(b) = &by {
                if !forlop_core::survey::scale::has_grouping(table, b) {
                    return Err(unknown(b));
                }
            }
            let scale = if star { Scale::StarP } else { Scale::ContinuUm };
            let rows = summarise(table, scale, by.as_deref(), &ScaleSettings::default())
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
            }))
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
    let mut table = read.table;
    add_derived(&mut table, &DeriveSettings::default());
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
    *held = Some(SurveyHeld { table });
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
    csv(
        "item,group,value,n,percent,suppressed",
        v.rows.iter().map(|r| {
            vec![
                v.item.clone(),
                r.group.clone(),
                r.value.clone(),
                r.n.map(|n| n.to_string()).unwrap_or_default(),
                csv_number(r.percent),
                r.suppressed.to_string(),
            ]
        }),
    )
}

/// The scale table as `forlop survey scale` writes it.
pub fn scale_csv(v: &ScaleView) -> String {
    csv(
        "group,n,mean,sd,alpha,alpha_n",
        v.rows.iter().map(|r| {
            vec![
                r.group.clone(),
                r.n.map(|n| n.to_string()).unwrap_or_default(),
                csv_number(r.mean),
                csv_number(r.sd),
                csv_number(r.alpha),
                r.alpha_n.map(|n| n.to_string()).unwrap_or_default(),
            ]
        }),
    )
}

/// The fits as `forlop survey regress` writes them.
pub fn models_csv(v: &ModelsView) -> String {
    csv(
        "group,term,estimate,ci_low,ci_high,p_value,n,r2,converged",
        v.fits.iter().flat_map(|f| {
            f.terms.iter().map(move |t| {
                vec![
                    f.group.clone(),
                    t.term.clone(),
                    csv_number(t.estimate),
                    csv_number(t.ci_low),
                    csv_number(t.ci_high),
                    csv_number(t.p_value),
                    f.n.map(|n| n.to_string()).unwrap_or_default(),
                    csv_number(f.r2),
                    f.converged.to_string(),
                ]
            })
        }),
    )
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
}
