//! Every number here is checked against a second computation written in the test: closed forms
//! for OLS and the 2×2 table, a plain Newton's method for logistic regression.

use super::*;
use crate::survey::table::read_respondents;

fn table(csv: &str) -> RespondentTable {
    let r = read_respondents("t.csv", csv.as_bytes());
    assert_eq!(r.rows_rejected, 0, "{:?}", r.issues);
    r.table
}

fn close(got: f64, want: f64) {
    assert!(
        (got - want).abs() <= 1e-6 * want.abs().max(1e-12),
        "got {got}, want {want}"
    );
}

fn spec(model: Model, outcome: &str, covariates: &str) -> ModelSpec {
    ModelSpec {
        model,
        outcome: outcome.into(),
        event: Vec::new(),
        covariates: parse_covariates(covariates).unwrap(),
    }
}

#[test]
fn ols_simple_regression_matches_the_closed_form() {
    let xs = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0];
    let ys = [2.1, 3.9, 6.2, 7.8, 10.1, 12.2, 13.8];
    let csv: String = std::iter::once("x,y\n".to_string())
        .chain(xs.iter().zip(ys).map(|(x, y)| format!("{x},{y}\n")))
        .collect();
    let fits = regress(&table(&csv), &spec(Model::Linear, "y", "x"), None).unwrap();
    let fit = &fits[0];
    // Closed form: b1 = Sxy/Sxx, b0 = ȳ − b1·x̄, s² = SSE/(n−2), se(b1) = √(s²/Sxx),
    // se(b0) = √(s²(1/n + x̄²/Sxx)), R² = Sxy²/(Sxx·Syy).
    let n = xs.len() as f64;
    let mx = xs.iter().sum::<f64>() / n;
    let my = ys.iter().sum::<f64>() / n;
    let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
    let syy: f64 = ys.iter().map(|y| (y - my).powi(2)).sum();
    let sxy: f64 = xs.iter().zip(ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    let b1 = sxy / sxx;
    let b0 = my - b1 * mx;
    let sse: f64 = xs
        .iter()
        .zip(ys)
        .map(|(x, y)| (y - b0 - b1 * x).powi(2))
        .sum();
    let s2 = sse / (n - 2.0);
    let se1 = (s2 / sxx).sqrt();
    let se0 = (s2 * (1.0 / n + mx * mx / sxx)).sqrt();
    assert!(fit.converged && fit.problem.is_none());
    assert_eq!(fit.n, 7);
    close(fit.r2.unwrap(), sxy * sxy / (sxx * syy));
    close(fit.terms[0].estimate.unwrap(), b0);
    close(fit.terms[1].estimate.unwrap(), b1);
    close(fit.terms[0].std_error.unwrap(), se0);
    close(fit.terms[1].std_error.unwrap(), se1);
    // t(0.975; 5 df) = 2.570581835636314 (printed tables: 2.5706).
    let t5 = 2.570_581_835_636_314;
    close(fit.terms[1].ci_low.unwrap(), b1 - t5 * se1);
    close(fit.terms[1].ci_high.unwrap(), b1 + t5 * se1);
    // The intercept's t = b0/se0; its two-sided p on 5 df from the closed form of Student's t
    // CDF for odd df = 5: F(t) = 1/2 + (1/π)[θ + sinθcosθ(1 + 2/3 cos²θ)], θ = atan(t/√5).
    let t = b0 / se0;
    let theta = (t.abs() / 5f64.sqrt()).atan();
    let c2 = theta.cos().powi(2);
    let cdf =
        0.5 + (theta + theta.sin() * theta.cos() * (1.0 + 2.0 / 3.0 * c2)) / std::f64::consts::PI;
    close(fit.terms[0].p_value.unwrap(), 2.0 * (1.0 - cdf));
}

#[test]
fn ols_with_one_categorical_covariate_gives_group_mean_differences() {
    // y on a three-level factor g with reference b: intercept = mean(b), dummies = mean(level)
    // − mean(b); the residual variance is the pooled within-group variance.
    let t = table("g,y\na,1\na,3\nb,4\nb,6\nb,8\nc,10\nc,12\n");
    let fits = regress(&t, &spec(Model::Linear, "y", "g:ref=b"), None).unwrap();
    let f = &fits[0];
    let names: Vec<&str> = f.terms.iter().map(|t| t.term.as_str()).collect();
    assert_eq!(names, ["(intercept)", "g=a", "g=c"]);
    close(f.terms[0].estimate.unwrap(), 6.0);
    close(f.terms[1].estimate.unwrap(), 2.0 - 6.0);
    close(f.terms[2].estimate.unwrap(), 11.0 - 6.0);
    // Within SS = 2 + 8 + 2 = 12 on 7 − 3 = 4 df: s² = 3; se(a − b) = √(3(1/2 + 1/3)).
    close(
        f.terms[1].std_error.unwrap(),
        (3.0f64 * (0.5 + 1.0 / 3.0)).sqrt(),
    );
    // R² = 1 − 12 / SST, SST = Σ(y − 44/7)².
    let ys = [1.0, 3.0, 4.0, 6.0, 8.0, 10.0, 12.0];
    let m = ys.iter().sum::<f64>() / 7.0;
    let sst: f64 = ys.iter().map(|y| (y - m).powi(2)).sum();
    close(f.r2.unwrap(), 1.0 - 12.0 / sst);
}

/// A 2×2 table as respondent rows: exposure x, outcome y.
fn two_by_two(a: usize, b: usize, c: usize, d: usize) -> String {
    // a: x=1,y=1; b: x=1,y=0; c: x=0,y=1; d: x=0,y=0.
    let mut s = String::from("x,y\n");
    for (n, row) in [(a, "1,1\n"), (b, "1,0\n"), (c, "0,1\n"), (d, "0,0\n")] {
        for _ in 0..n {
            s.push_str(row);
        }
    }
    s
}

#[test]
fn logistic_2x2_matches_odds_ratio_and_woolf_interval() {
    let (a, b, c, d): (f64, f64, f64, f64) = (30.0, 70.0, 15.0, 85.0);
    let t = table(&two_by_two(30, 70, 15, 85));
    let fits = regress(&t, &spec(Model::Logistic, "y", "x"), None).unwrap();
    let x = &fits[0].terms[1];
    let or = a * d / (b * c);
    let se = (1.0 / a + 1.0 / b + 1.0 / c + 1.0 / d).sqrt();
    assert!(fits[0].converged);
    close(x.estimate.unwrap(), or);
    close(x.std_error.unwrap(), se);
    let z975 = 1.959_963_984_540_054;
    close(x.ci_low.unwrap(), (or.ln() - z975 * se).exp());
    close(x.ci_high.unwrap(), (or.ln() + z975 * se).exp());
    // The intercept is the odds among the unexposed, c/d.
    close(fits[0].terms[0].estimate.unwrap(), c / d);
    // Wald p: z = ln(OR)/se = 2.0339…; two-sided p = erfc(|z|/√2), erfc from its continued
    // fraction here (Lentz), independent of statrs.
    let z = or.ln() / se;
    close(x.p_value.unwrap(), erfc_cf(z / 2f64.sqrt()));
}

/// erfc(x) for x > 0 by the continued fraction
/// erfc(x) = exp(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))).
fn erfc_cf(x: f64) -> f64 {
    let mut f = x;
    for k in (1..200).rev() {
        f = x + (k as f64 / 2.0) / f;
    }
    (-x * x).exp() / std::f64::consts::PI.sqrt() / f
}

/// Newton's method for a logistic model with an intercept and one covariate, written plainly.
fn newton_logistic(xs: &[f64], ys: &[f64]) -> ([f64; 2], [f64; 2]) {
    let (mut b0, mut b1) = (0.0f64, 0.0f64);
    let mut info = [[0.0; 2]; 2];
    for _ in 0..100 {
        let (mut g0, mut g1) = (0.0, 0.0);
        info = [[0.0; 2]; 2];
        for (&x, &y) in xs.iter().zip(ys) {
            let p = 1.0 / (1.0 + (-(b0 + b1 * x)).exp());
            g0 += y - p;
            g1 += (y - p) * x;
            let w = p * (1.0 - p);
            info[0][0] += w;
            info[0][1] += w * x;
            info[1][1] += w * x * x;
        }
        info[1][0] = info[0][1];
        let det = info[0][0] * info[1][1] - info[0][1] * info[1][0];
        b0 += (info[1][1] * g0 - info[0][1] * g1) / det;
        b1 += (-info[1][0] * g0 + info[0][0] * g1) / det;
    }
    let det = info[0][0] * info[1][1] - info[0][1] * info[1][0];
    (
        [b0, b1],
        [(info[1][1] / det).sqrt(), (info[0][0] / det).sqrt()],
    )
}

#[test]
fn logistic_with_a_numeric_covariate_matches_plain_newton() {
    let xs = [
        0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 1.2, 2.8, 3.3, 0.7,
    ];
    let ys = [
        0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0,
    ];
    let csv: String = std::iter::once("x,y\n".to_string())
        .chain(xs.iter().zip(ys).map(|(x, y)| format!("{x},{y}\n")))
        .collect();
    let fits = regress(&table(&csv), &spec(Model::Logistic, "y", "x"), None).unwrap();
    let (beta, se) = newton_logistic(&xs, &ys);
    let f = &fits[0];
    assert!(f.converged);
    close(f.terms[0].estimate.unwrap().ln(), beta[0]);
    close(f.terms[1].estimate.unwrap(), beta[1].exp());
    close(f.terms[1].std_error.unwrap(), se[1]);
    close(f.terms[0].std_error.unwrap(), se[0]);
}

#[test]
fn event_labels_make_the_outcome_and_groups_are_fitted_apart() {
    // fornoyd_oppfolging 2 or 3 (needs more / better follow-up) is the event, as Table 7-1.
    let mut csv = String::from("sektor,fornoyd_oppfolging,x\n");
    for (sector, rows) in [
        ("PHV", two_by_two(30, 70, 15, 85)),
        ("TSB", two_by_two(12, 8, 5, 15)),
    ] {
        for line in rows.lines().skip(1) {
            let (x, y) = line.split_once(',').unwrap();
            let answer = if y == "1" {
                if x == "1" {
                    "2"
                } else {
                    "3"
                }
            } else {
                "1"
            };
            csv.push_str(&format!("{sector},{answer},{x}\n"));
        }
    }
    let mut s = spec(Model::Logistic, "fornoyd_oppfolging", "x");
    s.event = vec!["2".into(), "3".into()];
    let fits = regress(&table(&csv), &s, Some("sektor")).unwrap();
    assert_eq!(fits.len(), 2);
    assert_eq!((fits[0].group.as_str(), fits[0].n), ("PHV", 200));
    close(
        fits[0].terms[1].estimate.unwrap(),
        30.0 * 85.0 / (70.0 * 15.0),
    );
    close(
        fits[1].terms[1].estimate.unwrap(),
        12.0 * 15.0 / (8.0 * 5.0),
    );
}

#[test]
fn quasi_complete_separation_by_a_dummy_is_reported_without_numbers() {
    // Every exposed respondent has the event: the OR is infinite.
    let t = table(&two_by_two(10, 0, 5, 20));
    let fits = regress(&t, &spec(Model::Logistic, "y", "x"), None).unwrap();
    assert!(!fits[0].converged);
    assert_eq!(
        fits[0].problem,
        Some(FitProblem::Separation {
            terms: vec!["x".into()]
        })
    );
    assert!(fits[0]
        .terms
        .iter()
        .all(|t| t.estimate.is_none() && t.p_value.is_none()));
}

#[test]
fn complete_separation_by_a_numeric_covariate_is_reported() {
    let t = table("x,y\n1,0\n2,0\n3,0\n4,0\n5,1\n6,1\n7,1\n8,1\n");
    let fits = regress(&t, &spec(Model::Logistic, "y", "x"), None).unwrap();
    assert!(!fits[0].converged);
    assert!(matches!(
        fits[0].problem,
        Some(FitProblem::Separation { .. })
    ));
    assert!(fits[0].terms.iter().all(|t| t.estimate.is_none()));
}

#[test]
fn collinear_covariates_are_reported_for_both_models() {
    let t = table("x1,x2,x3,y\n1,2,5,0\n2,4,3,1\n3,6,4,0\n4,8,1,1\n5,10,2,1\n6,12,6,0\n");
    for model in [Model::Linear, Model::Logistic] {
        let fits = regress(&t, &spec(model, "y", "x1,x2,x3"), None).unwrap();
        assert_eq!(
            fits[0].problem,
            Some(FitProblem::Collinear {
                terms: vec!["x1".into(), "x2".into()]
            }),
            "{model:?}"
        );
        assert!(!fits[0].converged);
        assert!(fits[0].terms.iter().all(|t| t.estimate.is_none()));
    }
}

#[test]
fn absent_reference_level_and_bad_outcomes_are_errors() {
    let t = table("g,y,z\na,1,3\nb,0,1\nb,1,2\n");
    let fits = regress(&t, &spec(Model::Logistic, "y", "g:ref=c"), None).unwrap();
    assert!(matches!(
        fits[0].problem,
        Some(FitProblem::ReferenceAbsent { .. })
    ));
    assert!(regress(&t, &spec(Model::Logistic, "z", "g:ref=a"), None).is_err());
    assert!(regress(&t, &spec(Model::Linear, "y", "nope"), None).is_err());
    assert!(regress(&t, &spec(Model::Linear, "y", "g"), None).is_err());
    assert!(parse_covariates("a,b:ref=").is_err());
}

/// Reference numbers from statsmodels 0.15.0 (Logit with tol=1e-14, OLS), computed by this
/// script; the data are the rows it prints (g is categorical with reference a):
///
/// ```python
/// # Reference numbers for crates/core/src/survey/regress/tests.rs (statsmodels 0.15.0).
/// import numpy as np, statsmodels.api as sm
/// rows = []
/// for i in range(60):
///     g = "abc"[i % 3]
///     x1 = ((i * 7) % 11) / 2.0
///     x2 = 1 if (i * 5) % 4 == 0 else 0
///     y = 1 if ((i * 13) % 17) + 1.5 * x1 + (4 if g == "b" else 0) - 3 * x2 > 12 else 0
///     z = round(0.3 * x1 - 1.2 * x2 + (1.0 if g == "c" else 0) + ((i * 31) % 13) / 6.0, 3)
///     rows.append((g, x1, x2, y, z))
/// print("g,x1,x2,y,z")
/// for r in rows: print("%s,%s,%d,%d,%s" % r)
/// X = np.array([[1, r[1], r[2], r[0] == "b", r[0] == "c"] for r in rows], dtype=float)  # ref = a
/// y = np.array([r[3] for r in rows], float); z = np.array([r[4] for r in rows], float)
/// lo = sm.Logit(y, X).fit(disp=0, tol=1e-14, maxiter=100)
/// ols = sm.OLS(z, X).fit()
/// for name, f in (("logit", lo), ("ols", ols)):
///     print(name, "params", list(map(repr, f.params)))
///     print(name, "bse", list(map(repr, f.bse)))
///     print(name, "p", list(map(repr, f.pvalues)))
/// print("ols r2", repr(ols.rsquared))
/// ```
const STATSMODELS_DATA: &str = "\
g,x1,x2,y,z\n\
a,0.0,1,0,-1.2\n\
b,3.5,0,1,1.883\n\
c,1.5,0,0,3.117\n\
a,5.0,0,1,1.833\n\
b,3.0,1,0,0.867\n\
c,1.0,0,1,3.3\n\
a,4.5,0,1,2.017\n\
b,2.5,0,1,2.25\n\
c,0.5,1,0,0.117\n\
a,4.0,0,1,2.2\n\
b,2.0,0,1,2.433\n\
c,0.0,0,0,1.5\n\
a,3.5,1,0,1.183\n\
b,1.5,0,1,0.45\n\
c,5.0,0,1,3.333\n\
a,3.0,0,1,2.567\n\
b,1.0,1,0,-0.567\n\
c,4.5,0,0,3.517\n\
a,2.5,0,1,2.75\n\
b,0.5,0,1,0.817\n\
c,4.0,1,0,2.5\n\
a,2.0,0,0,0.767\n\
b,0.0,0,1,1.0\n\
c,3.5,0,1,3.883\n\
a,1.5,1,0,-0.25\n\
b,5.0,0,1,2.833\n\
c,3.0,0,1,1.9\n\
a,1.0,0,1,1.133\n\
b,4.5,1,1,1.817\n\
c,2.5,0,0,2.083\n\
a,0.5,0,1,1.317\n\
b,4.0,0,1,3.2\n\
c,2.0,1,0,1.067\n\
a,0.0,0,0,1.5\n\
b,3.5,0,0,1.217\n\
c,1.5,0,1,2.45\n\
a,5.0,1,1,2.133\n\
b,3.0,0,1,1.4\n\
c,1.0,0,0,2.633\n\
a,4.5,0,1,1.35\n\
b,2.5,1,1,0.383\n\
c,0.5,0,0,2.817\n\
a,4.0,0,0,1.533\n\
b,2.0,0,1,1.767\n\
c,0.0,1,0,1.8\n\
a,3.5,0,1,1.717\n\
b,1.5,0,0,1.95\n\
c,5.0,0,1,2.667\n\
a,3.0,1,1,0.7\n\
b,1.0,0,1,2.133\n\
c,4.5,0,0,2.85\n\
a,2.5,0,0,2.083\n\
b,0.5,1,1,-1.05\n\
c,4.0,0,1,3.033\n\
a,2.0,0,0,2.267\n\
b,0.0,0,0,0.333\n\
c,3.5,1,1,2.017\n\
a,1.5,0,1,2.45\n\
b,5.0,0,1,2.167\n\
c,3.0,0,0,3.4\n";
const SM_LOGIT_PARAMS: [f64; 5] = [
    -0.5562910488110557,
    0.4848281342138395,
    -1.1216012705271403,
    0.993731478512339,
    -0.8989541755839245,
];
const SM_LOGIT_BSE: [f64; 5] = [
    0.7230350503363151,
    0.2026604571015766,
    0.6941301446029357,
    0.7587658482473282,
    0.711313258981427,
];
const SM_LOGIT_P: [f64; 5] = [
    0.44166583580928376,
    0.016742357518508378,
    0.10612952839017295,
    0.1903081165634537,
    0.20630359839954715,
];
const SM_OLS_PARAMS: [f64; 5] = [
    1.0584010434396502,
    0.2858032635240141,
    -1.2816990934655517,
    -0.03831885776659552,
    1.0395704895286018,
];
const SM_OLS_BSE: [f64; 5] = [
    0.21195430693578446,
    0.05319957682636324,
    0.19491190456484084,
    0.2069794774754604,
    0.20629465479881998,
];
const SM_OLS_P: [f64; 5] = [
    6.337630875326346e-06,
    1.6214888393028263e-06,
    1.8650509272408894e-08,
    0.8538052631736524,
    5.384398053775775e-06,
];
const SM_OLS_R2: f64 = 0.6745652190107878;

#[test]
fn multi_covariate_fits_match_statsmodels() {
    let t = table(STATSMODELS_DATA);
    let logit = &regress(&t, &spec(Model::Logistic, "y", "x1,x2,g:ref=a"), None).unwrap()[0];
    let ols = &regress(&t, &spec(Model::Linear, "z", "x1,x2,g:ref=a"), None).unwrap()[0];
    let names: Vec<&str> = logit.terms.iter().map(|t| t.term.as_str()).collect();
    assert_eq!(names, ["(intercept)", "x1", "x2", "g=b", "g=c"]);
    assert!(logit.converged && ols.converged);
    assert_eq!((logit.n, ols.n), (60, 60));
    for j in 0..5 {
        close(logit.terms[j].estimate.unwrap().ln(), SM_LOGIT_PARAMS[j]);
        close(logit.terms[j].std_error.unwrap(), SM_LOGIT_BSE[j]);
        close(logit.terms[j].p_value.unwrap(), SM_LOGIT_P[j]);
        close(ols.terms[j].estimate.unwrap(), SM_OLS_PARAMS[j]);
        close(ols.terms[j].std_error.unwrap(), SM_OLS_BSE[j]);
        close(ols.terms[j].p_value.unwrap(), SM_OLS_P[j]);
    }
    close(ols.r2.unwrap(), SM_OLS_R2);
}

#[test]
fn small_terms_and_small_fits_are_suppressed() {
    // g=a has 2 respondents, g=c 2, the reference b 3 (n = 7): with k = 3 both dummies are
    // below k at 1, so they are blanked; the intercept stays (6.0, the mean of b).
    let t = table("g,y,s\na,1,X\na,3,X\nb,4,X\nb,6,X\nb,8,X\nc,10,X\nc,12,X\n");
    let mut fits = regress(&t, &spec(Model::Linear, "y", "g:ref=b"), None).unwrap();
    assert_eq!(
        fits[0].terms.iter().map(|t| t.ones).collect::<Vec<_>>(),
        [None, Some(2), Some(2)]
    );
    suppress_small(&mut fits, 3);
    let f = &fits[0];
    assert!(!f.suppressed && f.r2.is_some());
    close(f.terms[0].estimate.unwrap(), 6.0);
    assert!(!f.terms[0].suppressed);
    for term in &f.terms[1..] {
        assert!(term.suppressed && term.estimate.is_none() && term.p_value.is_none());
    }
    // k = 2: 2 at 1 and 5 at 0 for each dummy, nothing below k.
    let mut fits = regress(&t, &spec(Model::Linear, "y", "g:ref=b"), None).unwrap();
    suppress_small(&mut fits, 2);
    assert!(fits[0]
        .terms
        .iter()
        .all(|t| !t.suppressed && t.estimate.is_some()));
    // k = 8 > n = 7: the whole fit goes, R² too.
    suppress_small(&mut fits, 8);
    assert!(fits[0].suppressed && fits[0].r2.is_none());
    assert!(fits[0].terms.iter().all(|t| t.estimate.is_none()));
    // k = 0 switches it off.
    let mut fits = regress(&t, &spec(Model::Linear, "y", "g:ref=b"), None).unwrap();
    suppress_small(&mut fits, 0);
    assert!(fits[0].terms.iter().all(|t| t.estimate.is_some()));
}

#[test]
fn the_common_model_has_the_reports_27_terms_and_drops_the_outcome() {
    // 18 covariates; with the four regions as the only ones present they are Table 7-1's 27
    // terms: 12 numeric + 5 age + 3 diagnosis-count + 2 treatment-length + 3 region dummies.
    let all = common_covariates("tilfreds");
    assert_eq!(all.len(), 18);
    let dummies: usize = all
        .iter()
        .map(|c| match c {
            Covariate::Numeric(_) => 1,
            Covariate::Categorical { name, .. } => match name.as_str() {
                "aldersgruppe_reg" => 5,  // 25-35 … 66-99 against 18-24
                "diagnoser_gruppe" => 3,  // 2, 3, >3 against 1
                "behandlingslengde" => 2, // <2, 3-6 against >6 mnd
                "helseregion" => 3,       // Sør-Øst, Midt-Norge, Nord against Vest
                _ => panic!("{name}"),
            },
        })
        .sum();
    assert_eq!(dummies, 27);
    assert!(!common_covariates("koordineringstiltak")
        .contains(&Covariate::Numeric("koordineringstiltak".into())));
    assert_eq!(common_covariates("behandlerrelasjon").len(), 17);
}
