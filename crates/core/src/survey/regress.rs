//! Logistic (IRLS) and linear (OLS) models as the report fits them (survey.md §4.5): one model
//! per group (sector) or pooled, categorical covariates as dummies against a chosen reference,
//! listwise deletion. A fit that cannot be trusted — separation, non-convergence, collinear
//! covariates, too few respondents — is reported as such and carries no numbers.

use super::scale::groups;
use super::table::{Column, RespondentTable};
use nalgebra::{DMatrix, DVector};
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};
use std::collections::BTreeSet;

/// The kind of model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    /// Logistic regression of a 0/1 outcome; estimates are odds ratios, Wald z tests.
    Logistic,
    /// Ordinary least squares; estimates are coefficients, t tests, R².
    Linear,
}

/// One covariate of the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Covariate {
    /// A numeric variable entered as it is (0/1 dummies, scores).
    Numeric(String),
    /// A categorical variable: one dummy per level other than `reference`.
    Categorical {
        /// The variable.
        name: String,
        /// The reference level, as its label (a code such as `1`, or a name such as `Vest`).
        reference: String,
    },
}

/// Parses `name,name:ref=LEVEL,…` (the CLI's `--covariates`); see [`COMMON_MODEL`] for the
/// report's set.
pub fn parse_covariates(list: &str) -> Result<Vec<Covariate>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| match item.split_once(':') {
            None => Ok(Covariate::Numeric(item.to_string())),
            Some((name, rest)) => match rest.strip_prefix("ref=") {
                Some(level) if !level.is_empty() => Ok(Covariate::Categorical {
                    name: name.to_string(),
                    reference: level.to_string(),
                }),
                _ => Err(format!(
                    "«{item}»: expected name:ref=LEVEL for a categorical covariate"
                )),
            },
        })
        .collect()
}

/// The report's common covariate set (survey.md §2.1, 27 terms) with its reference
/// categories, in `--covariates` form. Helse regions other than the four (Andre, Ukjent) get
/// dummies of their own.
pub const COMMON_MODEL: &str = "kvinne,aldersgruppe_reg:ref=18-24,hoyere_utdanning,egen_inntekt,\
bor_alene,over_fem_aar,omfang_store,diagnoser_gruppe:ref=1,kommunale_tj,tj_oppsokende_team,\
tj_dagsenter,tj_arbeidstiltak,innleggelse,koordineringstiltak,nylig_avsluttet,\
behandlingslengde:ref=>6 mnd,behandlerrelasjon,helseregion:ref=Helse Vest";

/// The common covariates for a model of `outcome`, without the outcome's own construct (no
/// Koordineringstiltak in Table 9-3, no Behandlerrelasjon in Table 10-1).
pub fn common_covariates(outcome: &str) -> Vec<Covariate> {
    parse_covariates(COMMON_MODEL)
        .unwrap_or_default()
        .into_iter()
        .filter(|c| match c {
            Covariate::Numeric(n) | Covariate::Categorical { name: n, .. } => n != outcome,
        })
        .collect()
}

/// The model to fit.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelSpec {
    /// Logistic or linear.
    pub model: Model,
    /// The dependent variable.
    pub outcome: String,
    /// For a logistic model: the outcome labels that count as the event (1); the others as 0.
    /// Without them the outcome must already be coded 0/1.
    pub event: Vec<String>,
    /// The covariates in order.
    pub covariates: Vec<Covariate>,
}

/// Why a fit has no numbers.
#[derive(Debug, Clone, PartialEq)]
pub enum FitProblem {
    /// Fewer respondents than parameters + 1.
    TooFewObservations {
        /// Complete respondents.
        n: usize,
        /// Parameters, the intercept included.
        parameters: usize,
    },
    /// The outcome takes one value only.
    NoVariation,
    /// A categorical covariate's reference level does not occur among the complete rows.
    ReferenceAbsent {
        /// The covariate.
        name: String,
        /// The missing level.
        reference: String,
    },
    /// The design matrix is rank deficient; these terms are linear combinations of each other.
    Collinear {
        /// The terms involved.
        terms: Vec<String>,
    },
    /// Complete or quasi-complete separation: the maximum-likelihood estimate of these terms is
    /// infinite (empty when the separating combination was seen only in the fitted values).
    Separation {
        /// The terms involved, when known.
        terms: Vec<String>,
    },
    /// IRLS did not converge within the iteration limit.
    NotConverged {
        /// Iterations run.
        iterations: usize,
    },
}

impl FitProblem {
    /// The problem in words, in English and Norwegian (`en / nb`).
    pub fn describe(&self) -> String {
        match self {
            FitProblem::TooFewObservations { n, parameters } => format!(
                "too few respondents ({n}) for {parameters} parameters / for få respondenter"
            ),
            FitProblem::NoVariation => {
                "the outcome has one value only / utfallet har bare én verdi".into()
            }
            FitProblem::ReferenceAbsent { name, reference } => format!(
                "reference level {reference} of {name} does not occur / referansenivået finnes ikke"
            ),
            FitProblem::Collinear { terms } => format!(
                "collinear covariates (rank deficient): {} / kolineære kovariater",
                terms.join(", ")
            ),
            FitProblem::Separation { terms } => format!(
                "complete or quasi-complete separation{} / separasjon: estimatene er uendelige",
                if terms.is_empty() {
                    String::new()
                } else {
                    format!(" in {}", terms.join(", "))
                }
            ),
            FitProblem::NotConverged { iterations } => {
                format!("not converged after {iterations} iterations / konvergerte ikke")
            }
        }
    }
}

/// One term's estimate; all `None` when the fit has a problem.
#[derive(Debug, Clone, PartialEq)]
pub struct TermEstimate {
    /// `(intercept)`, a numeric covariate's name, or `name=level` for a dummy.
    pub term: String,
    /// Odds ratio (logistic) or coefficient (linear).
    pub estimate: Option<f64>,
    /// Lower end of the 95 % confidence interval (on the estimate's scale).
    pub ci_low: Option<f64>,
    /// Upper end.
    pub ci_high: Option<f64>,
    /// Two-sided p-value (Wald z or t).
    pub p_value: Option<f64>,
    /// Standard error on the linear-predictor scale (log odds for logistic).
    pub std_error: Option<f64>,
    /// Respondents in the model with the term = 1, when the term is 0/1 (a dummy or a 0/1
    /// covariate); `None` for other terms.
    pub ones: Option<usize>,
    /// Blanked by [`suppress_small`].
    pub suppressed: bool,
}

/// A fitted model for one group.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelFit {
    /// The group (`all` when pooled).
    pub group: String,
    /// Respondents in the model (complete on outcome and covariates).
    pub n: usize,
    /// R² (linear models).
    pub r2: Option<f64>,
    /// Whether the estimates can be used: converged and without a problem.
    pub converged: bool,
    /// Why not, if not.
    pub problem: Option<FitProblem>,
    /// The terms, intercept first.
    pub terms: Vec<TermEstimate>,
    /// The whole fit is blanked by [`suppress_small`] (fewer than k respondents).
    pub suppressed: bool,
}

/// The design of one model: term names, X with an intercept column, y.
#[derive(Debug, Clone)]
pub struct Design {
    /// Term names, `(intercept)` first.
    pub terms: Vec<String>,
    /// n × p.
    pub x: DMatrix<f64>,
    /// n.
    pub y: DVector<f64>,
}

fn outcome_value(table: &RespondentTable, spec: &ModelSpec, row: usize) -> Option<f64> {
    if spec.model == Model::Logistic && !spec.event.is_empty() {
        let label = table.label(&spec.outcome, row)?;
        return Some(if spec.event.contains(&label) {
            1.0
        } else {
            0.0
        });
    }
    table.numeric(&spec.outcome)?[row]
}

/// Checks that every variable exists and that a logistic outcome without events is 0/1.
pub fn check_spec(table: &RespondentTable, spec: &ModelSpec) -> Result<(), String> {
    let mut names = vec![&spec.outcome];
    for c in &spec.covariates {
        names.push(match c {
            Covariate::Numeric(n) | Covariate::Categorical { name: n, .. } => n,
        });
    }
    for n in names {
        if !table.columns.contains_key(n.as_str()) {
            return Err(format!(
                "no variable «{n}» in the data / variabelen finnes ikke"
            ));
        }
    }
    for c in &spec.covariates {
        if let Covariate::Numeric(n) = c {
            if matches!(table.columns.get(n.as_str()), Some(Column::Text(_))) {
                return Err(format!(
                    "«{n}» is text: give it as {n}:ref=LEVEL / «{n}» er tekst"
                ));
            }
        }
    }
    if spec.model == Model::Linear || spec.event.is_empty() {
        let Some(v) = table.numeric(&spec.outcome) else {
            return Err(format!("outcome «{}» is not numeric", spec.outcome));
        };
        if spec.model == Model::Logistic && v.iter().flatten().any(|&y| y != 0.0 && y != 1.0) {
            return Err(format!(
                "outcome «{}» is not 0/1: give --event VALUE / utfallet er ikke 0/1",
                spec.outcome
            ));
        }
    }
    Ok(())
}

/// Builds the design for `rows`, listwise: a respondent missing the outcome or any covariate
/// is left out. Dummy levels are the labels present among the complete rows, sorted.
pub fn build_design(
    table: &RespondentTable,
    spec: &ModelSpec,
    rows: &[usize],
) -> Result<Design, FitProblem> {
    let complete: Vec<usize> = rows
        .iter()
        .copied()
        .filter(|&r| {
            outcome_value(table, spec, r).is_some()
                && spec.covariates.iter().all(|c| match c {
                    Covariate::Numeric(n) => table.numeric(n).and_then(|v| v[r]).is_some(),
                    Covariate::Categorical { name, .. } => table.label(name, r).is_some(),
                })
        })
        .collect();
    let mut terms = vec!["(intercept)".to_string()];
    let mut columns: Vec<Vec<f64>> = vec![vec![1.0; complete.len()]];
    for c in &spec.covariates {
        match c {
            Covariate::Numeric(n) => {
                let v = table.numeric(n).expect("checked");
                terms.push(n.clone());
                columns.push(complete.iter().map(|&r| v[r].expect("complete")).collect());
            }
            Covariate::Categorical { name, reference } => {
                let labels: Vec<String> = complete
                    .iter()
                    .map(|&r| table.label(name, r).expect("complete"))
                    .collect();
                let levels: BTreeSet<&String> = labels.iter().collect();
                if !complete.is_empty() && !levels.contains(reference) {
                    return Err(FitProblem::ReferenceAbsent {
                        name: name.clone(),
                        reference: reference.clone(),
                    });
                }
                for level in levels.into_iter().filter(|l| *l != reference) {
                    terms.push(format!("{name}={level}"));
                    columns.push(
                        labels
                            .iter()
                            .map(|l| if l == level { 1.0 } else { 0.0 })
                            .collect(),
                    );
                }
            }
        }
    }
    let n = complete.len();
    let x = DMatrix::from_fn(n, columns.len(), |i, j| columns[j][i]);
    let y = DVector::from_iterator(
        n,
        complete
            .iter()
            .map(|&r| outcome_value(table, spec, r).expect("complete")),
    );
    Ok(Design { terms, x, y })
}

/// Terms involved in a linear dependency of X's columns: those with weight in a right singular
/// vector whose singular value is (numerically) zero. Empty when X has full column rank.
pub fn collinear_terms(design: &Design) -> Vec<String> {
    let (n, p) = design.x.shape();
    let svd = design.x.clone().svd(false, true);
    let v_t = svd.v_t.expect("asked for V");
    let s_max = svd.singular_values.max();
    let tolerance = n.max(p) as f64 * f64::EPSILON * s_max.max(1.0);
    let mut involved = vec![false; p];
    for (k, &s) in svd.singular_values.iter().enumerate() {
        if s <= tolerance * 1e3 {
            for (j, flag) in involved.iter_mut().enumerate() {
                if v_t[(k, j)].abs() > 1e-6 {
                    *flag = true;
                }
            }
        }
    }
    design
        .terms
        .iter()
        .zip(involved)
        .filter(|(_, i)| *i)
        .map(|(t, _)| t.clone())
        .collect()
}

fn empty_terms(design: &Design) -> Vec<TermEstimate> {
    design
        .terms
        .iter()
        .map(|t| TermEstimate {
            term: t.clone(),
            estimate: None,
            ci_low: None,
            ci_high: None,
            p_value: None,
            std_error: None,
            ones: None,
            suppressed: false,
        })
        .collect()
}

fn failed(group: &str, design: &Design, problem: FitProblem) -> ModelFit {
    ModelFit {
        group: group.to_string(),
        n: design.x.nrows(),
        r2: None,
        converged: false,
        problem: Some(problem),
        terms: empty_terms(design),
        suppressed: false,
    }
}

/// Checks shared by both models: enough rows, variation in y, full rank.
fn precheck(design: &Design) -> Option<FitProblem> {
    let (n, p) = design.x.shape();
    if n < p + 1 {
        return Some(FitProblem::TooFewObservations { n, parameters: p });
    }
    if design.y.iter().all(|&v| v == design.y[0]) {
        return Some(FitProblem::NoVariation);
    }
    let collinear = collinear_terms(design);
    (!collinear.is_empty()).then_some(FitProblem::Collinear { terms: collinear })
}

/// OLS by QR: β = R⁻¹Qᵀy, Cov(β) = s²(RᵀR)⁻¹ with s² = SSE/(n − p), t tests on n − p degrees of
/// freedom, R² = 1 − SSE/SST (with an intercept).
pub fn fit_linear(group: &str, design: &Design) -> ModelFit {
    if let Some(problem) = precheck(design) {
        return failed(group, design, problem);
    }
    let (n, p) = design.x.shape();
    let qr = design.x.clone().qr();
    let r = qr.r();
    let qty = qr.q().transpose() * &design.y;
    let beta = r.solve_upper_triangular(&qty).expect("full rank checked");
    let residuals = &design.y - &design.x * &beta;
    let sse = residuals.norm_squared();
    let mean_y = design.y.mean();
    let sst: f64 = design.y.iter().map(|v| (v - mean_y).powi(2)).sum();
    let df = (n - p) as f64;
    let s2 = sse / df;
    let r_inv = r
        .solve_upper_triangular(&DMatrix::identity(p, p))
        .expect("full rank checked");
    let cov = (&r_inv * r_inv.transpose()) * s2;
    let t_dist = StudentsT::new(0.0, 1.0, df).expect("df ≥ 1");
    let t_crit = t_dist.inverse_cdf(0.975);
    let terms = design
        .terms
        .iter()
        .enumerate()
        .map(|(j, term)| {
            let se = cov[(j, j)].sqrt();
            let b = beta[j];
            let p_value = if se > 0.0 {
                2.0 * t_dist.sf((b / se).abs())
            } else {
                0.0
            };
            TermEstimate {
                term: term.clone(),
                estimate: Some(b),
                ci_low: Some(b - t_crit * se),
                ci_high: Some(b + t_crit * se),
                p_value: Some(p_value),
                std_error: Some(se),
                ones: None,
                suppressed: false,
            }
        })
        .collect();
    ModelFit {
        group: group.to_string(),
        n,
        r2: Some(1.0 - sse / sst),
        converged: true,
        problem: None,
        terms,
        suppressed: false,
    }
}

/// IRLS iteration limit; a well-posed model converges in well under ten.
pub const MAX_IRLS_ITERATIONS: usize = 50;

/// A 0/1 covariate that separates the outcome on its own: among the respondents with the
/// dummy = 1 (or = 0) the outcome takes one value only, so the likelihood keeps increasing as
/// the coefficient grows without bound (quasi-complete separation).
fn separating_dummies(design: &Design) -> Vec<String> {
    let (n, p) = design.x.shape();
    let mut out = Vec::new();
    for j in 1..p {
        let col = design.x.column(j);
        if !col.iter().all(|&v| v == 0.0 || v == 1.0) {
            continue;
        }
        for level in [0.0, 1.0] {
            let ys: Vec<f64> = (0..n)
                .filter(|&i| col[i] == level)
                .map(|i| design.y[i])
                .collect();
            if !ys.is_empty() && ys.iter().all(|&v| v == ys[0]) {
                out.push(design.terms[j].clone());
                break;
            }
        }
    }
    out
}

fn logistic(eta: f64) -> f64 {
    1.0 / (1.0 + (-eta).exp())
}

fn deviance(y: &DVector<f64>, mu: &DVector<f64>) -> f64 {
    -2.0 * y
        .iter()
        .zip(mu.iter())
        .map(|(&y, &m)| {
            if y == 1.0 {
                m.max(f64::MIN_POSITIVE).ln()
            } else {
                (1.0 - m).max(f64::MIN_POSITIVE).ln()
            }
        })
        .sum::<f64>()
}

/// Logistic regression by IRLS (Newton–Raphson on the log-likelihood): β ← (XᵀWX)⁻¹XᵀWz with
/// W = μ(1 − μ), z = η + (y − μ)/W, until the deviance changes by less than 1e-12 relative.
/// Cov(β) = (XᵀWX)⁻¹ at the estimate; Wald z tests and CIs on the log-odds scale,
/// exponentiated. Separation is looked for before (single dummies) and after (fitted
/// probabilities of 0 or 1) the iterations.
pub fn fit_logistic(group: &str, design: &Design) -> ModelFit {
    if let Some(problem) = precheck(design) {
        return failed(group, design, problem);
    }
    let separating = separating_dummies(design);
    if !separating.is_empty() {
        return failed(group, design, FitProblem::Separation { terms: separating });
    }
    let (n, p) = design.x.shape();
    let x = &design.x;
    let y = &design.y;
    let mut beta = DVector::zeros(p);
    let mut dev_old = f64::INFINITY;
    let mut converged = false;
    let mut iterations = 0;
    while iterations < MAX_IRLS_ITERATIONS {
        iterations += 1;
        let eta = x * &beta;
        let mu = eta.map(logistic);
        let w = mu.map(|m| (m * (1.0 - m)).max(1e-300));
        let z = DVector::from_fn(n, |i, _| eta[i] + (y[i] - mu[i]) / w[i]);
        let xtw = DMatrix::from_fn(p, n, |j, i| x[(i, j)] * w[i]);
        let information = &xtw * x;
        let Some(chol) = information.cholesky() else {
            return failed(group, design, FitProblem::Separation { terms: Vec::new() });
        };
        beta = chol.solve(&(&xtw * &z));
        let mu_new = (x * &beta).map(logistic);
        let dev = deviance(y, &mu_new);
        if (dev - dev_old).abs() / (dev.abs() + 0.1) < 1e-12 {
            converged = true;
            break;
        }
        dev_old = dev;
    }
    let eta = x * &beta;
    // Fitted probabilities of 0 or 1 within rounding: some combination of covariates predicts
    // the outcome perfectly and the estimates only look finite because the iterations stopped.
    if eta.iter().any(|e| e.abs() > 30.0) {
        let terms = design
            .terms
            .iter()
            .zip(beta.iter())
            .filter(|(_, b)| b.abs() > 10.0)
            .map(|(t, _)| t.clone())
            .collect();
        return failed(group, design, FitProblem::Separation { terms });
    }
    if !converged {
        return failed(group, design, FitProblem::NotConverged { iterations });
    }
    // The covariance at the estimate itself, not at the previous iterate.
    let mu = eta.map(logistic);
    let xtw = DMatrix::from_fn(p, n, |j, i| x[(i, j)] * mu[i] * (1.0 - mu[i]));
    let information = &xtw * x;
    let Some(cov) = information.try_inverse() else {
        return failed(group, design, FitProblem::Separation { terms: Vec::new() });
    };
    let normal = Normal::standard();
    let z_crit = normal.inverse_cdf(0.975);
    let terms = design
        .terms
        .iter()
        .enumerate()
        .map(|(j, term)| {
            let se = cov[(j, j)].sqrt();
            let b = beta[j];
            TermEstimate {
                term: term.clone(),
                estimate: Some(b.exp()),
                ci_low: Some((b - z_crit * se).exp()),
                ci_high: Some((b + z_crit * se).exp()),
                p_value: Some(2.0 * normal.sf((b / se).abs())),
                std_error: Some(se),
                ones: None,
                suppressed: false,
            }
        })
        .collect();
    ModelFit {
        group: group.to_string(),
        n,
        r2: None,
        converged: true,
        problem: None,
        terms,
        suppressed: false,
    }
}

/// Fits the model per group of `by` (or pooled as `all`).
pub fn regress(
    table: &RespondentTable,
    spec: &ModelSpec,
    by: Option<&str>,
) -> Result<Vec<ModelFit>, String> {
    check_spec(table, spec)?;
    if let Some(by) = by {
        if !super::scale::has_grouping(table, by) {
            return Err(format!(
                "no variable «{by}» in the data / variabelen finnes ikke"
            ));
        }
    }
    Ok(groups(table, by)
        .into_iter()
        .map(|(group, rows)| match build_design(table, spec, &rows) {
            Err(problem) => ModelFit {
                group,
                n: 0,
                r2: None,
                converged: false,
                problem: Some(problem),
                terms: Vec::new(),
                suppressed: false,
            },
            Ok(design) => {
                let mut fit = match spec.model {
                    Model::Linear => fit_linear(&group, &design),
                    Model::Logistic => fit_logistic(&group, &design),
                };
                for (j, term) in fit.terms.iter_mut().enumerate() {
                    term.ones = ones(&design, j);
                }
                fit
            }
        })
        .collect())
}

/// Respondents with column `j` = 1 when the column is 0/1 (never the intercept).
fn ones(design: &Design, j: usize) -> Option<usize> {
    let col = design.x.column(j);
    (j > 0 && col.iter().all(|&v| v == 0.0 || v == 1.0))
        .then(|| col.iter().filter(|&&v| v == 1.0).count())
}

/// Small-number suppression of model output, as everywhere in Forløp (k = `min_cell`; 0 turns
/// it off): a fit on fewer than k respondents is blanked whole (n too); within a fit, a 0/1
/// term with fewer than k respondents at 1, or fewer than k at 0, has its numbers blanked — its
/// estimate would describe those few respondents. The intercept and continuous terms stay.
pub fn suppress_small(fits: &mut [ModelFit], min_cell: u64) {
    use crate::suppress::below_k;
    for fit in fits {
        let whole = below_k(fit.n as u64, min_cell);
        fit.suppressed = whole;
        for t in &mut fit.terms {
            let small = t.ones.is_some_and(|c| {
                below_k(c as u64, min_cell) || below_k((fit.n - c.min(fit.n)) as u64, min_cell)
            });
            if whole || small {
                t.estimate = None;
                t.ci_low = None;
                t.ci_high = None;
                t.p_value = None;
                t.std_error = None;
                t.suppressed = true;
            }
        }
        if whole {
            fit.r2 = None;
        }
    }
}

#[cfg(test)]
mod tests;
