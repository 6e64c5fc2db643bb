//! `forlop survey …` as a user runs it: the CSV each command writes, checked against numbers
//! computed here by closed forms.

use std::path::Path;
use std::process::{Command, Output};

fn forlop(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_forlop"))
        .args(args)
        .output()
        .expect("the forlop binary runs")
}

fn ok(args: &[&str]) -> (String, String) {
    let out = forlop(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "forlop {args:?} failed: {stderr}");
    (String::from_utf8(out.stdout).unwrap(), stderr)
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// Respondents of two sectors; in PHV the 2×2 table of video (x) by needing more follow-up is
/// a = 30, b = 70, c = 15, d = 85; in TSB every video user needs more (separation).
fn respondents() -> String {
    let mut s = String::from("sektor,video,fornoyd_oppfolging,star01\n");
    let mut push = |sector: &str, video: u8, answer: u8, n: usize| {
        for i in 0..n {
            s.push_str(&format!("{sector},{video},{answer},{}\n", i % 5));
        }
    };
    push("PHV", 1, 2, 30);
    push("PHV", 1, 1, 70);
    push("PHV", 0, 3, 15);
    push("PHV", 0, 1, 85);
    push("TSB", 1, 2, 10);
    push("TSB", 0, 1, 12);
    push("TSB", 0, 2, 3);
    s
}

fn field<'a>(csv: &'a str, group: &str, term: &str, column: usize) -> &'a str {
    csv.lines()
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|f| f[0] == group && f[1] == term)
        .map(|f| f[column])
        .unwrap_or_else(|| panic!("no row {group},{term} in\n{csv}"))
}

#[test]
fn regress_logistic_gives_the_2x2_odds_ratio_and_reports_separation() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "svar.csv", &respondents());
    let (csv, stderr) = ok(&[
        "survey",
        "regress",
        "--data",
        &data,
        "--outcome",
        "fornoyd_oppfolging",
        "--event",
        "2,3",
        "--model",
        "logistic",
        "--covariates",
        "video",
        "--by",
        "sektor",
    ]);
    assert_eq!(
        csv.lines().next().unwrap(),
        "group,term,estimate,ci_low,ci_high,p_value,n,r2,converged"
    );
    let (a, b, c, d) = (30.0f64, 70.0f64, 15.0f64, 85.0f64);
    let or = a * d / (b * c);
    let se = (1.0 / a + 1.0 / b + 1.0 / c + 1.0 / d).sqrt();
    let num = |col| field(&csv, "PHV", "video", col).parse::<f64>().unwrap();
    assert!((num(2) - or).abs() < 1e-6 * or);
    assert!((num(3) - (or.ln() - 1.959_963_984_540_054 * se).exp()).abs() < 1e-6);
    assert!((num(4) - (or.ln() + 1.959_963_984_540_054 * se).exp()).abs() < 1e-6);
    assert_eq!(field(&csv, "PHV", "video", 6), "200");
    assert_eq!(field(&csv, "PHV", "video", 8), "true");
    // TSB: separated, so no numbers and converged = false, with the reason on stderr.
    assert_eq!(field(&csv, "TSB", "video", 2), "");
    assert_eq!(field(&csv, "TSB", "video", 5), "");
    assert_eq!(field(&csv, "TSB", "video", 8), "false");
    assert!(
        stderr.contains("TSB") && stderr.contains("separation"),
        "{stderr}"
    );
}

#[test]
fn regress_linear_matches_the_closed_form_and_reports_collinearity() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(
        dir.path(),
        "svar.csv",
        "x,x2,tilfreds\n1,2,1\n2,4,3\n3,6,2\n4,8,4\n5,10,5\n",
    );
    let (csv, _) = ok(&[
        "survey",
        "regress",
        "--data",
        &data,
        "--outcome",
        "tilfreds",
        "--model",
        "linear",
        "--covariates",
        "x",
    ]);
    // b1 = Sxy/Sxx = 9/10, b0 = 3 − 0.9·3 = 0.3, R² = 81/(10·10) = 0.81.
    let get = |term, col| field(&csv, "all", term, col).parse::<f64>().unwrap();
    assert!((get("x", 2) - 0.9).abs() < 1e-9);
    assert!((get("(intercept)", 2) - 0.3).abs() < 1e-9);
    assert!((get("x", 7) - 0.81).abs() < 1e-9);
    // A tiny p-value is written in scientific notation and parses back.
    let many: String = std::iter::once("x,tilfreds\n".to_string())
        .chain((0..200).map(|i| format!("{},{}\n", i % 50, 1 + (i % 50) / 10)))
        .collect();
    let many = write(dir.path(), "many.csv", &many);
    let (csv, _) = ok(&[
        "survey",
        "regress",
        "--data",
        &many,
        "--outcome",
        "tilfreds",
        "--model",
        "linear",
        "--covariates",
        "x",
    ]);
    let p = field(&csv, "all", "x", 5);
    assert!(p.contains('e') && p.parse::<f64>().unwrap() < 1e-100, "{p}");
    let (csv, stderr) = ok(&[
        "survey",
        "regress",
        "--data",
        &data,
        "--outcome",
        "tilfreds",
        "--model",
        "linear",
        "--covariates",
        "x,x2",
    ]);
    assert!(
        stderr.contains("collinear") && stderr.contains("x, x2"),
        "{stderr}"
    );
    assert_eq!(field(&csv, "all", "x", 2), "");
    let out = forlop(&[
        "survey",
        "regress",
        "--data",
        &data,
        "--outcome",
        "tilfreds",
        "--model",
        "linear",
        "--covariates",
        "nope",
    ]);
    assert!(!out.status.success());
}

#[test]
fn describe_suppresses_small_cells_and_scale_gives_alpha() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "svar.csv", &respondents());
    let (csv, _) = ok(&[
        "survey", "describe", "--data", &data, "--item", "video", "--by", "sektor",
    ]);
    assert!(csv.contains("video,PHV,0,100,50,false"), "{csv}");
    assert!(csv.contains("video,PHV,(total),200,100,false"), "{csv}");
    let (csv, stderr) = ok(&[
        "survey",
        "describe",
        "--data",
        &data,
        "--item",
        "video",
        "--min-cell",
        "0",
    ]);
    assert!(csv.contains("video,all,1,110,48.9,false"), "{csv}");
    assert!(stderr.contains("NOT SUPPRESSED"));
    let diagnoses = write(
        dir.path(),
        "dg.csv",
        "dg_depresjon,dg_rus_skadelig,dg_rus_avhengighet,video\n1,1,1,1\n1,0,1,0\n0,1,0,1\n",
    );
    let (csv, _) = ok(&[
        "survey",
        "describe",
        "--data",
        &diagnoses,
        "--item",
        "video",
        "--by",
        "diagnosegruppe",
        "--min-cell",
        "0",
    ]);
    assert!(csv.contains("video,rus,(total),3,100,false"), "{csv}");
    assert!(csv.contains("video,depresjon,1,1,50,false"), "{csv}");

    // Five AVT respondents on all twelve STAR-P items (the scale's α is over every item,
    // listwise) and one PHV respondent, a group below k.
    let answers: [[u8; 12]; 5] = [
        [1, 2, 1, 3, 2, 1, 3, 2, 2, 1, 0, 1],
        [2, 2, 3, 2, 3, 2, 2, 3, 1, 2, 2, 3],
        [3, 4, 3, 1, 3, 4, 1, 3, 1, 3, 4, 3],
        [4, 3, 4, 0, 4, 4, 0, 4, 0, 4, 3, 4],
        [2, 1, 2, 2, 1, 2, 3, 1, 3, 2, 1, 2],
    ];
    let mut text = String::from("sektor");
    for i in 1..=12 {
        text.push_str(&format!(",star{i:02}"));
    }
    text.push('\n');
    for row in &answers {
        text.push_str("AVT");
        for v in row {
            text.push_str(&format!(",{v}"));
        }
        text.push('\n');
    }
    text.push_str("PHV,0,0,0,0,0,0,0,0,0,0,0,0\n");
    let scale = write(dir.path(), "star.csv", &text);
    let (csv, _) = ok(&[
        "survey", "scale", "--data", &scale, "--scale", "star-p", "--by", "sektor",
    ]);
    // α by its definition, k/(k−1)·(1 − Σ var(item)/var(total)), on the reversed items
    // (4, 7 and 9 become 4 − x), with n − 1 variances.
    let scored: Vec<Vec<f64>> = answers
        .iter()
        .map(|r| {
            r.iter()
                .enumerate()
                .map(|(i, &v)| {
                    if [3, 6, 8].contains(&i) {
                        4.0 - v as f64
                    } else {
                        v as f64
                    }
                })
                .collect()
        })
        .collect();
    let var = |x: Vec<f64>| {
        let m = x.iter().sum::<f64>() / x.len() as f64;
        x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (x.len() as f64 - 1.0)
    };
    let items: f64 = (0..12)
        .map(|j| var(scored.iter().map(|r| r[j]).collect()))
        .sum();
    let total = var(scored.iter().map(|r| r.iter().sum()).collect());
    let expected = 12.0 / 11.0 * (1.0 - items / total);
    let avt: Vec<&str> = csv
        .lines()
        .find(|l| l.starts_with("AVT"))
        .unwrap()
        .split(',')
        .collect();
    let alpha: f64 = avt[4].parse().unwrap();
    assert!((alpha - expected).abs() < 1e-9 * expected, "{csv}");
    assert_eq!((avt[1], avt[5]), ("5", "5"));
    let mean: f64 = avt[2].parse().unwrap();
    let want = scored
        .iter()
        .map(|r| r.iter().sum::<f64>() / 12.0)
        .sum::<f64>()
        / 5.0;
    assert!((mean - want).abs() < 1e-12);
    assert_eq!(
        csv.lines().find(|l| l.starts_with("PHV")).unwrap(),
        "PHV,,,,,"
    );
    let (csv, _) = ok(&[
        "survey", "scale", "--data", &scale, "--scale", "star-p", "--by", "sektor", "--items",
    ]);
    // Item 4 reversed: answers 3,2,1,0,2 → 1,2,3,4,2, mean 2.4; item 1: 1,2,3,4,2, mean 2.4.
    // Both sd: squared deviations 1.96 + 0.16 + 0.36 + 2.56 + 0.16 = 5.2, √(5.2/4) = √1.3.
    assert_eq!(csv.lines().next(), Some("group,item,n,mean,sd"));
    for item in ["star04", "star01"] {
        let line = csv
            .lines()
            .find(|l| l.starts_with(&format!("AVT,{item},")))
            .unwrap();
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!(&f[..4], ["AVT", item, "5", "2.4"], "{csv}");
        let sd: f64 = f[4].parse().unwrap();
        assert!((sd - 1.3f64.sqrt()).abs() < 1e-12, "{line}");
    }
    // PHV's single respondent is below k: n, mean and sd blank.
    assert!(csv.contains("PHV,star01,,,\n"), "{csv}");
}

#[test]
fn response_reproduces_table_4_1_and_bad_rows_are_positioned() {
    let dir = tempfile::tempdir().unwrap();
    let agg = write(
        dir.path(),
        "agg.csv",
        "sektor;totalpop;mottakspop;utvalg\nPHV;87424;82050;21346\nTSB;17257;15667;3199\nAVT;26227;25917;8913\n",
    );
    let (csv, _) = ok(&["survey", "response", "--aggregates", &agg]);
    assert!(
        csv.contains("\nPHV,87424,82050,-5374,21346,24.42,26.02,66.78,66.37,63.8,73.88,6.15\n"),
        "{csv}"
    );
    assert!(
        csv.contains("\nTotalt,130908,123634,-7274,33458,25.56,27.06,100,100,100,100,5.56\n"),
        "{csv}"
    );

    let data = write(
        dir.path(),
        "svar.csv",
        "sektor,hjelper\nPHV,3\nPHV,9\nTSB,2\n",
    );
    let (_, stderr) = ok(&[
        "survey", "describe", "--data", &data, "--item", "hjelper", "--lang", "en",
    ]);
    assert!(
        stderr.contains("3 rows read, 2 used, 1 rejected"),
        "{stderr}"
    );
    assert!(
        stderr.contains("svar.csv:3:2 (hjelper): found «9», expected a code 1–5"),
        "{stderr}"
    );
}

/// The synthetic survey reads back through the survey reader without a problem, has the
/// report's sector proportions, and its regressions point the report's way (survey.md §4.5).
#[test]
fn synthetic_survey_reads_back_and_shows_the_reports_directions() {
    use forlop_core::survey::derive::{add_derived, DeriveSettings};
    use forlop_core::survey::regress::{parse_covariates, regress, Model, ModelSpec};
    use forlop_core::survey::scale::{summarise, Scale, ScaleSettings};
    use forlop_core::survey::table::read_respondents;

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("survey");
    let (_, stderr) = ok(&[
        "survey",
        "synth",
        "--out",
        out.to_str().unwrap(),
        "--respondents",
        "10000",
        "--seed",
        "7",
    ]);
    // 10 000 × (21 346, 3 199, 8 913) / 33 458 = 6 379.9, 956.1, 2 663.9 → 6 379, 956, 2 663
    // and the two left to the largest remainders, PHV (.9) and AVT (.9).
    assert!(stderr.contains("PHV 6380, TSB 956, AVT 2664"), "{stderr}");
    let bytes = std::fs::read(out.join("survey_respondents.csv")).unwrap();
    let read = read_respondents("survey_respondents.csv", &bytes);
    assert_eq!(read.rows_read, 10_000);
    assert_eq!(read.rows_rejected, 0, "{:?}", read.issues.first());
    assert!(read.issues.is_empty());
    assert!(
        read.unknown_columns.is_empty(),
        "{:?}",
        read.unknown_columns
    );
    let mut table = read.table;
    let count = |sector: &str| {
        (0..table.rows)
            .filter(|&r| table.label("sektor", r).as_deref() == Some(sector))
            .count()
    };
    assert_eq!(
        (count("PHV"), count("TSB"), count("AVT")),
        (6380, 956, 2664)
    );

    // The aggregates read as Table 4-1 input, utvalg = the sector sizes.
    let (response, _) = ok(&[
        "survey",
        "response",
        "--aggregates",
        out.join("survey_aggregates.csv").to_str().unwrap(),
    ]);
    // PHV: 10 000 × 87 424 / 33 458 = 26 129.48 → 26 129; 82 050 → 24 523.28 → 24 523.
    assert!(
        response.contains("\nPHV,26129,24523,-1606,6380,"),
        "{response}"
    );

    add_derived(&mut table, &DeriveSettings::default());
    // STAR-P α near the report's 0.90-0.92 (a loose band: the data are random).
    let star = summarise(&table, Scale::StarP, None, &ScaleSettings::default());
    let alpha = star[0].alpha.alpha.unwrap();
    assert!((0.85..0.97).contains(&alpha), "α = {alpha}");

    let fit = |model: Model, outcome: &str, event: &[&str], covariates: &str| {
        let spec = ModelSpec {
            model,
            outcome: outcome.into(),
            event: event.iter().map(|e| e.to_string()).collect(),
            covariates: parse_covariates(covariates).unwrap(),
        };
        regress(&table, &spec, Some("sektor")).unwrap()
    };
    let term = |fits: &[forlop_core::survey::regress::ModelFit], group: &str, name: &str| {
        let f = fits.iter().find(|f| f.group == group).unwrap();
        assert!(f.converged, "{group}: {:?}", f.problem);
        let t = f.terms.iter().find(|t| t.term == name).unwrap();
        (t.estimate.unwrap(), t.ci_low.unwrap(), t.ci_high.unwrap())
    };
    // Table 7-1: needing more follow-up goes down with a good relationship and with
    // coordination, up with severe problems.
    let needs = fit(
        Model::Logistic,
        "fornoyd_oppfolging",
        &["2", "3"],
        "kvinne,aldersgruppe_reg:ref=18-24,omfang_store,koordineringstiltak,behandlerrelasjon",
    );
    let (or, _, high) = term(&needs, "PHV", "behandlerrelasjon");
    assert!(or < 0.6 && high < 1.0, "relationship OR {or}");
    let (or, _, high) = term(&needs, "PHV", "koordineringstiltak");
    assert!(high < 1.0, "coordination OR {or}");
    let (or, low, _) = term(&needs, "PHV", "omfang_store");
    assert!(low > 1.0, "severity OR {or}");
    // Tables 12-3 and 9-1: satisfaction and needs-adapted treatment rise with the relationship.
    let satisfied = fit(
        Model::Linear,
        "tilfreds",
        &[],
        "kvinne,omfang_store,behandlerrelasjon",
    );
    for sector in ["PHV", "TSB", "AVT"] {
        let (b, low, _) = term(&satisfied, sector, "behandlerrelasjon");
        assert!(b > 0.5 && low > 0.0, "{sector}: coefficient {b}");
        let r2 = satisfied
            .iter()
            .find(|f| f.group == sector)
            .unwrap()
            .r2
            .unwrap();
        assert!(r2 > 0.25, "{sector}: R² {r2}");
    }
    let adapted = fit(Model::Logistic, "tilpasset", &["1"], "behandlerrelasjon");
    assert!(term(&adapted, "AVT", "behandlerrelasjon").0 > 3.0);
    // Table 8-1: video more likely in Helse Nord than in Helse Vest, less likely from 66.
    let video = fit(
        Model::Logistic,
        "video",
        &[],
        "aldersgruppe_reg:ref=18-24,helseregion:ref=Helse Vest",
    );
    let (or, low, _) = term(&video, "PHV", "helseregion=Helse Nord");
    assert!(low > 1.0, "Nord OR {or}");
    let (or, _, high) = term(&video, "PHV", "aldersgruppe_reg=66-99");
    assert!(high < 1.0, "66-99 OR {or}");
}

#[test]
fn ttest_anova_derive_flags_and_regression_suppression() {
    let dir = tempfile::tempdir().unwrap();
    // PHV: severe (alvorlig_langvarig 1) 1,1,1,0 and mild 1,0,0,0,0,0 on tj_nav (see
    // survey::compare's test: t = 2.031334 on 8 df, p = 0.076698, scipy's ttest_ind).
    // kjonn_npr (1 mann, 2 kvinne) and self-reported kjonn (1 kvinne, 2 mann, 3 annet)
    // disagree on purpose.
    let mut csv = String::from("sektor,tj_nav,alvorlig_langvarig,kjonn_npr,kjonn,hjelper\n");
    let rows = [
        (1, 1, 2, 1, 5),
        (1, 1, 2, 1, 4),
        (1, 1, 2, 2, 4),
        (0, 1, 1, 3, 3),
        (1, 0, 1, 2, 2),
        (0, 0, 1, 2, 1),
        (0, 0, 1, 2, 2),
        (0, 0, 2, 1, 3),
        (0, 0, 2, 1, 2),
        (0, 0, 1, 2, 1),
    ];
    for (nav, sev, npr, own, h) in rows {
        csv.push_str(&format!("PHV,{nav},{sev},{npr},{own},{h}\n"));
    }
    let data = write(dir.path(), "svar.csv", &csv);
    let args = |extra: &[&str]| {
        let mut a = vec!["survey"];
        a.extend_from_slice(extra);
        a.extend_from_slice(&["--data", &data]);
        a.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let run = |a: Vec<String>| ok(&a.iter().map(String::as_str).collect::<Vec<_>>()).0;
    let t = run(args(&[
        "ttest",
        "--var",
        "tj_nav",
        "--between",
        "alvorlig_langvarig",
        "--min-cell",
        "0",
    ]));
    let line = t.lines().nth(1).unwrap();
    assert!(
        line.starts_with(
            "all,tj_nav,1,0,4,6,0.75,0.16666666666666666,0.5833333333333334,2.03133350030803"
        ),
        "{line}"
    );
    assert!(line.contains(",8,0.0766983956684"), "{line}");
    // k = 5: the severe group has 4, the row is blank.
    let t = run(args(&[
        "ttest",
        "--var",
        "tj_nav",
        "--between",
        "alvorlig_langvarig",
    ]));
    assert_eq!(t.lines().nth(1).unwrap(), "all,tj_nav,1,0,,,,,,,,,true");

    // kvinne from the register: 5 women (npr 2); from self-report: 4 (kjonn 1), the "annet"
    // answer missing.
    let d = run(args(&["describe", "--item", "kvinne", "--min-cell", "0"]));
    assert!(d.contains("kvinne,all,1,5,50,false"), "{d}");
    let d = run(args(&[
        "describe",
        "--item",
        "kvinne",
        "--min-cell",
        "0",
        "--sex",
        "self-report",
    ]));
    assert!(d.contains("kvinne,all,1,4,44.4,false"), "{d}");
    assert!(d.contains("kvinne,all,(missing),1,,false"), "{d}");

    // hjelper on kvinne (register): women 5,4,4,3,2 → mean 3.6, men 3,2,1,2,1 → 1.8;
    // OLS coefficient = 3.6 − 1.8 = 1.8. With k = 5 both groups have 5: shown. With k = 6,
    // kvinne (5 at 1) is blanked, the intercept stays.
    let r = run(args(&[
        "regress",
        "--outcome",
        "hjelper",
        "--model",
        "linear",
        "--covariates",
        "kvinne",
    ]));
    assert!(r.contains("\nall,kvinne,1.8"), "{r}");
    let r = run(args(&[
        "regress",
        "--outcome",
        "hjelper",
        "--model",
        "linear",
        "--covariates",
        "kvinne",
        "--min-cell",
        "6",
    ]));
    assert!(r.contains("\nall,kvinne,,,,,10,"), "{r}");
    assert!(r.contains("\nall,(intercept),1.8"), "{r}");
    let r = run(args(&[
        "regress",
        "--outcome",
        "hjelper",
        "--model",
        "linear",
        "--covariates",
        "kvinne",
        "--min-cell",
        "11",
    ]));
    assert!(r.contains("\nall,kvinne,,,,,,,true"), "{r}");

    // ANOVA of hjelper across kvinne's two levels: F = t² of the pooled t test.
    // Means 3.6 / 1.8; SSW = (1.6²+0.4²+0.4²+0.6²+1.6²) + (1.2²+0.2²+0.8²+0.2²+0.8²)
    // = 5.2 + 2.8 = 8 on 8 df → 1; SSB = 5·0.9² + 5·0.9² = 8.1 on 1 df; F = 8.1.
    let a = run(args(&[
        "anova",
        "--var",
        "hjelper",
        "--between",
        "kvinne",
        "--min-cell",
        "0",
    ]));
    assert!(a.contains("all,hjelper,0,5,1.8,8.1"), "{a}");
    assert!(a.contains("all,hjelper,1,5,3.6,8.1"), "{a}");
}

#[test]
fn age_source_flag_takes_the_birth_year_first() {
    // Register ages 24 and 40 with birth years 1997 and 1999: by default the register's
    // 18-24 and 36-45; from the birth year 2023 − 1997 = 26 (25-35) and 2023 − 1999 = 24
    // (18-24). The third has only a birth year (2023 − 1950 = 73, 66-75) either way.
    let dir = tempfile::tempdir().unwrap();
    let data = write(
        dir.path(),
        "alder.csv",
        "alder,fodselsaar\n24,1997\n40,1999\n,1950\n",
    );
    let describe = |extra: &[&str]| {
        let mut a = vec![
            "survey",
            "describe",
            "--data",
            &data,
            "--item",
            "aldersgruppe",
            "--min-cell",
            "0",
        ];
        a.extend_from_slice(extra);
        ok(&a).0
    };
    let register = describe(&[]);
    assert!(register.contains("aldersgruppe,all,18-24,1,"), "{register}");
    assert!(register.contains("aldersgruppe,all,36-45,1,"), "{register}");
    assert!(register.contains("aldersgruppe,all,66-75,1,"), "{register}");
    let reported = describe(&["--age-source", "self-report"]);
    assert!(reported.contains("aldersgruppe,all,25-35,1,"), "{reported}");
    assert!(reported.contains("aldersgruppe,all,18-24,1,"), "{reported}");
    assert!(reported.contains("aldersgruppe,all,66-75,1,"), "{reported}");
    assert!(!reported.contains("36-45"), "{reported}");
}

/// `--table` writes one of Tables 4-1 … 4-9 from the long aggregates, `--table all` every table
/// in one long CSV; a bad row is counted and positioned on standard error, `*` stays `*`.
#[test]
fn response_tables_from_the_long_aggregates() {
    let dir = tempfile::tempdir().unwrap();
    let agg = write(
        dir.path(),
        "pop.csv",
        "sector,population,breakdown,category,count\n\
         TSB,totalpop,total,,17257\nTSB,mottakere,total,,15667\nTSB,utvalg,total,,3199\n\
         TSB,totalpop,unit,Helse Bergen HF,1953\nTSB,utvalg,unit,Helse Bergen HF,294\n\
         TSB,totalpop,unit,Crux TSB Stavanger,23\nTSB,utvalg,unit,Crux TSB Stavanger,*\n\
         TSB,totalpop,unit,Total,17257\nTSB,utvalg,unit,Total,3199\n\
         TSB,utvalg,unit,A-senteret,many\n",
    );
    let (csv, stderr) = ok(&[
        "survey",
        "response",
        "--aggregates",
        &agg,
        "--table",
        "4-3",
        "--lang",
        "en",
    ]);
    assert!(
        stderr.contains("pop.csv: 10 rows read, 1 rejected"),
        "{stderr}"
    );
    assert!(
        stderr.contains("pop.csv:11:5 (count): found «many», expected a whole number"),
        "{stderr}"
    );
    // Helse Bergen 1 953 / 17 257 = 11.32 %, 294 / 3 199 = 9.19 %: −2.1 points, flagged.
    assert_eq!(
        csv,
        "sector,unit,totalpop_n,totalpop_pct,respondents_n,respondents_pct,diff_pp,flagged\n\
         TSB,Helse Bergen HF,1953,11.3,294,9.2,-2.1,true\n\
         TSB,Crux TSB Stavanger,23,0.1,*,,,false\n\
         TSB,Total,17257,100,3199,100,,false\n"
    );
    // Table 4-1 (the default) from the same file: 3 199 / 17 257 = 18.54 %.
    let (t41, _) = ok(&["survey", "response", "--aggregates", &agg]);
    assert!(
        t41.contains("\nTSB,17257,15667,-1590,3199,18.54,20.42,"),
        "{t41}"
    );
    let (all, _) = ok(&["survey", "response", "--aggregates", &agg, "--table", "all"]);
    assert!(all.starts_with("table,sector,row,column,value\n4-1,TSB,,total_population,17257\n"));
    assert!(
        all.contains("\n4-3,TSB,Crux TSB Stavanger,respondents_n,*\n"),
        "{all}"
    );
    let bad = forlop(&["survey", "response", "--aggregates", &agg, "--table", "5-1"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("expected all or one of 4-1"));
}
