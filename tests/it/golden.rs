//! Golden fixtures computed by hand (`tests/fixtures/NNN-name/`, STYLE P8): canonical input,
//! `settings.json`, `expected.csv` (rows of the long table the fixture is about), an optional
//! `expected_absent.txt`, and a README doing the arithmetic person by person. The expected files
//! are never regenerated from the engine.

use crate::util::{
    fixture_names, fixtures_dir, long_table_of, parse_absent, parse_long_table, read_inputs,
    read_settings,
};

/// Runs one fixture: load → analyse → long-table CSV → compare with the hand-made expectations.
fn run(fixture: &str) {
    let dir = fixtures_dir().join(fixture);
    let settings = read_settings(fixture);
    let actual_csv = long_table_of(&read_inputs(fixture), &settings, fixture);
    let actual = parse_long_table(&actual_csv, &format!("{fixture}: engine output"));
    let expected_text = std::fs::read_to_string(dir.join("expected.csv"))
        .unwrap_or_else(|e| panic!("{fixture}/expected.csv: {e}"));
    let expected = parse_long_table(&expected_text, &format!("{fixture}/expected.csv"));
    assert!(!expected.is_empty(), "{fixture}: expected.csv has no rows");
    let absent = match std::fs::read_to_string(dir.join("expected_absent.txt")) {
        Ok(text) => parse_absent(&text, &format!("{fixture}/expected_absent.txt")),
        Err(_) => Vec::new(),
    };
    crate::assert_table_eq!(fixture, &expected, &actual, &absent);
}

macro_rules! golden {
    ($($test:ident => $dir:literal,)*) => {
        $(
            #[test]
            fn $test() {
                run($dir);
            }
        )*

        /// Every fixture directory has a test above, so none is silently skipped.
        const FIXTURES: &[&str] = &[$($dir),*];
    };
}

golden! {
    g001_cohort_groups => "001-cohort-groups",
    g002_population_rate => "002-population-rate",
    g003_stays_bed_days => "003-stays-bed-days",
    g004_readmission_30d => "004-readmission-30d",
    g005_contacts_sectors => "005-contacts-sectors",
    g006_discharge_letters => "006-discharge-letters",
    g007_primary_care => "007-primary-care",
    g008_municipal_services => "008-municipal-services",
    g009_suppression_k5 => "009-suppression-k5",
    g010_suppression_k3_areas => "010-suppression-k3-areas",
    g011_readmission_variants => "011-readmission-variants",
    g012_revolving_door_askoy => "012-revolving-door-askoy",
    g013_revolving_door_oygarden => "013-revolving-door-oygarden",
    g014_ready_for_discharge => "014-ready-for-discharge",
    g015_pathways => "015-pathways",
    g016_flows_care_ladder => "016-flows-care-ladder",
}

#[test]
fn every_fixture_directory_has_a_test() {
    let on_disk = fixture_names();
    let listed: Vec<String> = FIXTURES.iter().map(|s| s.to_string()).collect();
    assert_eq!(on_disk, listed, "add the new fixture to golden! {{…}}");
}

/// The fixtures themselves follow P8: ≤ 20 persons, a README, canonical expected header, and
/// at least one fixture without primary_care.
#[test]
fn fixtures_are_small_and_documented() {
    let mut without_primary_care = 0;
    for fixture in FIXTURES {
        let dir = fixtures_dir().join(fixture);
        assert!(dir.join("README.md").is_file(), "{fixture}: README.md");
        let persons = std::fs::read_to_string(dir.join("input/persons.csv"))
            .unwrap_or_else(|e| panic!("{fixture}: persons.csv: {e}"));
        let n = persons.lines().filter(|l| !l.trim().is_empty()).count() - 1;
        assert!(n <= 20, "{fixture}: {n} persons (at most 20)");
        if !dir.join("input/primary_care.csv").exists() {
            without_primary_care += 1;
        }
    }
    assert!(without_primary_care >= 1);
}
