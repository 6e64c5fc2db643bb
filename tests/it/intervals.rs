//! The long table's `ci_low,ci_high` columns (issue 13) on golden fixtures, checked by hand on a
//! few rows, and the rule that a suppressed cell has no interval.

use crate::util::{long_table_of, parse_long_table, read_inputs, read_settings, Row};

fn table(fixture: &str, k: Option<u64>) -> Vec<Row> {
    let mut settings = read_settings(fixture);
    if let Some(k) = k {
        settings.min_cell = k;
    }
    let csv = long_table_of(&read_inputs(fixture), &settings, fixture);
    assert!(
        csv.starts_with(forlop_core::output::LONG_TABLE_HEADER),
        "{fixture}: the header ends with ci_low,ci_high"
    );
    parse_long_table(&csv, fixture)
}

fn row<'a>(rows: &'a [Row], key: &str) -> &'a Row {
    rows.iter()
        .find(|r| r.key[..4].join(",") == key)
        .unwrap_or_else(|| panic!("no row {key}"))
}

fn ci(r: &Row) -> (Option<f64>, Option<f64>) {
    let (l, h) = r.ci.as_ref().expect("the engine writes ci columns");
    (l.parse().ok(), h.parse().ok())
}

/// Equal to the 8 significant digits the CSV writes (half a unit in the 8th digit).
fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() <= 5e-8 * b.abs().max(1e-12))
}

#[test]
fn fixture_002_intervals_by_hand() {
    let rows = table("002-population-rate", None);
    // 4626: 0 patients of 500 adults per 1 000: Garwood (0, −ln 0.025) × 1000 / 500 =
    // (0, 3.688879454113936 × 2) = (0, 7.377758908227872).
    let r = row(&rows, "smi.patients_per_1000,all,municipality,4626");
    let (l, h) = ci(r);
    assert_eq!(l, Some(0.0), "{r:?}");
    assert!(close(h, 7.377_758_908_227_872), "{r:?}");
    // 3201: 1 of 1000: (−ln 0.975, 5.571643390938860) × 1000 / 1000.
    let r = row(&rows, "smi.patients_per_1000,all,municipality,3201");
    let (l, h) = ci(r);
    assert!(close(l, 0.025_317_807_984_289_786), "{r:?}");
    assert!(close(h, 5.571_643_390_938_86), "{r:?}");
    // The country, 7 of 4500: Garwood(7) = (2.814363051519863, 14.422675361702378) (the λ with
    // P(X ≥ 7) = 0.025 and P(X ≤ 7) = 0.025) × 1000 / 4500 = (0.6254140114488584,
    // 3.2050389692671951).
    let (l, h) = ci(row(&rows, "smi.patients_per_1000,all,country,NO"));
    assert!(close(l, 2.814_363_051_519_863 / 4.5), "{l:?}");
    assert!(close(h, 14.422_675_361_702_378 / 4.5), "{h:?}");
    // A share of 0 of 7 (nobody admitted): Wilson (0, z²/(7 + z²)) = 3.841459/10.841459 in %.
    let (l, h) = ci(row(&rows, "smi.admitted,all,country,NO"));
    assert_eq!(l, Some(0.0));
    assert!(close(h, 35.433_043_506_668_73), "{h:?}");
    // n = 1 (3201: 0 of 1): (0, z²/(1 + z²)) = (0, 79.345 %).
    let (l, h) = ci(row(&rows, "smi.admitted,all,municipality,3201"));
    assert_eq!(l, Some(0.0));
    assert!(close(h, 79.345_068_562_276_25), "{h:?}");
    // Not estimable (0 of 0), a count and a mean: empty.
    for key in [
        "smi.admitted,all,municipality,4626",
        "smi.patients,all,country,NO",
        "smi.bed_days_per_patient,all,country,NO",
    ] {
        assert_eq!(
            row(&rows, key).ci,
            Some((String::new(), String::new())),
            "{key}"
        );
    }
}

#[test]
fn suppressed_cells_have_no_interval_and_shown_ones_hold_their_value() {
    for (fixture, k) in [
        ("009-suppression-k5", None),
        ("010-suppression-k3-areas", None),
        ("014-ready-for-discharge", Some(2)),
    ] {
        let rows = table(fixture, k);
        assert!(rows.iter().any(|r| r.suppressed == "true"), "{fixture}");
        let mut with_ci = 0;
        for r in &rows {
            let (l, h) = ci(r);
            if r.suppressed == "true" {
                assert_eq!((l, h), (None, None), "{fixture}: {r:?}");
                continue;
            }
            if let (Some(l), Some(h)) = (l, h) {
                let v: f64 = r.value.parse().expect("a value beside its interval");
                assert!(l <= v && v <= h, "{fixture}: {r:?}");
                with_ci += 1;
            }
        }
        assert!(with_ci > 0, "{fixture}: some shown cell has an interval");
    }
}

#[test]
fn a_share_of_100_percent_reaches_100_and_its_lower_limit_is_wilsons() {
    // Every shown share with numerator = denominator = n > 0: (n / (n + z²), 1) in %.
    let z2 = 1.959_963_984_540_054_f64.powi(2);
    let mut seen = 0;
    for fixture in [
        "001-cohort-groups",
        "003-stays-bed-days",
        "014-ready-for-discharge",
    ] {
        for r in table(fixture, None) {
            if r.value != "100" || r.numerator != r.denominator {
                continue;
            }
            let n: f64 = r.denominator.parse().expect("a share's denominator");
            let (l, h) = ci(&r);
            assert_eq!(h, Some(100.0), "{fixture}: {r:?}");
            assert!(close(l, 100.0 * n / (n + z2)), "{fixture}: {r:?}");
            seen += 1;
        }
    }
    assert!(seen > 0, "some fixture has a share of 100 %");
}

#[test]
fn fixture_002_variation_csv_by_hand() {
    let fixture = "002-population-rate";
    let loaded = crate::util::load_files(&read_inputs(fixture));
    let mut settings = read_settings(fixture);
    settings.comparison.variation_min_cases = 1;
    let report = forlop_core::analyse(&loaded.tables, &settings);
    let mut out = Vec::new();
    forlop_core::variation::write_variation_csv(std::slice::from_ref(&report), &mut out);
    let text = String::from_utf8(out).unwrap();
    assert!(text.starts_with("indicator,group,level,year,areas,min,max,extremal_quotient,cv,scv\n"));
    // Municipalities with ≥ 1 case: 0301 3/2000 → 1.5, 3201 1/1000 → 1, 4601 2/1000 → 2 (4626
    // has 0). EQ 2/1 = 2; mean 1.5, s² = (0 + 0.25 + 0.25)/2 → s = 0.5, CV = 1/3.
    // Pooled 6/4000: E = 3, 1.5, 1.5; terms 0 − 1/3, 0.25/2.25 − 1/1.5, the same →
    // −13/9 / 3 × 100 = −48.148148148148145.
    let line = text
        .lines()
        .find(|l| l.starts_with("smi.patients_per_1000,all,municipality,"))
        .unwrap();
    let f: Vec<&str> = line.split(',').collect();
    assert_eq!(&f[3..7], ["2021", "3", "1", "2"]);
    assert_eq!(f[7], "2");
    let num = |s: &str| s.parse::<f64>().unwrap();
    assert!((num(f[8]) - 1.0 / 3.0).abs() < 1e-12, "{line}");
    assert!((num(f[9]) + 1300.0 / 27.0).abs() < 1e-9, "{line}");
    // A count has no SCV.
    let line = text
        .lines()
        .find(|l| l.starts_with("smi.patients,all,municipality,"))
        .unwrap();
    assert!(line.ends_with(','), "{line}");
}
