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
