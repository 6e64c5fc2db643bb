use super::*;
use crate::indicator::eval::FactTable;
use crate::model::{AreaRow, Municipality, PersonIdx, PopulationRow};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn equal_weights_give_the_crude_rate() {
    // Standard 100 and 300; the area 10 and 20 inhabitants with 1 and 2 persons.
    // w₁ = 100 / (400 × 10) = 0.025, w₂ = 300 / (400 × 20) = 0.0375;
    // y = 0.025 × 1 + 0.0375 × 2 = 0.1 → 100 per 1 000 (the crude 3 / 30 too).
    let (r, ci) = rate(&[1, 2], &[10, 20], &[100, 300]).unwrap();
    assert!(close(r, 100.0), "{r}");
    // v = 0.025² × 1 + 0.0375² × 2 = 0.0034375; w_max = 0.0375.
    let ff = fay_feuer(0.1, 0.003_437_5, 0.0375).unwrap();
    assert!(close(ci.low, 1000.0 * ff.low) && close(ci.high, 1000.0 * ff.high));
    assert!(ci.low < r && r < ci.high);
}

#[test]
fn one_person_strata_by_hand() {
    // Two strata of one inhabitant each, one of whom is counted; standard 50 and 50.
    // w = 50 / (100 × 1) = 0.5 each; y = 0.5 → 500 per 1 000; v = 0.25, w_max = 0.5.
    // Lower: Γ⁻¹(0.025; shape y²/v = 1, scale v/y = 0.5) = 0.5 × (−ln 0.975) = 0.012658904
    // → 12.658903992144893 per 1 000.
    // Upper: shape (0.5 + 0.5)² / (0.25 + 0.25) = 2, scale 0.5 / 1 = 0.5:
    // 0.5 × Γ⁻¹(0.975; 2) = 0.5 × 5.571643390938860 → 2785.82169546943 per 1 000.
    let (r, ci) = rate(&[1, 0], &[1, 1], &[50, 50]).unwrap();
    assert!(close(r, 500.0), "{r}");
    assert!(close(ci.low, 500.0 * -(0.975f64.ln())), "{ci:?}");
    assert!((ci.high - 2_785.821_695_469_43).abs() < 1e-6, "{ci:?}");
}

#[test]
fn a_stratum_missing_from_the_standard_weighs_nothing() {
    // The standard has nobody in stratum 2: only stratum 1 counts, 1 of 10 → 100 per 1 000,
    // whatever stratum 2 holds. Its interval is Garwood(1) / 10 × 1 000 (one stratum, w = 1/10).
    let (r, ci) = rate(&[1, 5], &[10, 10], &[100, 0]).unwrap();
    assert!(close(r, 100.0), "{r}");
    let g = crate::ci::poisson_exact(1).unwrap();
    assert!(
        close(ci.low, 100.0 * g.low) && close(ci.high, 100.0 * g.high),
        "{ci:?}"
    );
}

#[test]
fn zero_events_and_the_not_estimable() {
    // 0 persons: rate 0, lower 0, upper = w_max × (−ln 0.025) with w_max = 0.0375 →
    // 37.5 × 3.688879454113936 = 138.3329795292726 per 1 000.
    let (r, ci) = rate(&[0, 0], &[10, 20], &[100, 300]).unwrap();
    assert_eq!(r, 0.0);
    assert_eq!(ci.low, 0.0);
    assert!(close(ci.high, 37.5 * -(0.025f64.ln())), "{ci:?}");
    // A stratum without inhabitants but without persons adds 0: 1 of 10 in stratum 1 with
    // weight 100/400 → w = 0.025, y = 0.025 → 25 per 1 000.
    let (r, _) = rate(&[1, 0], &[10, 0], &[100, 300]).unwrap();
    assert!(close(r, 25.0), "{r}");
    // Persons where the area has no inhabitants; no standard; no inhabitants at all.
    assert_eq!(rate(&[0, 1], &[10, 0], &[100, 300]), None);
    assert_eq!(rate(&[1], &[10], &[0]), None);
    assert_eq!(rate(&[0, 0], &[0, 0], &[1, 1]), None);
}

fn pop(m: u16, year: i32, sex: Option<Sex>, age: Option<AgeSpec>, count: u64) -> PopulationRow {
    PopulationRow {
        municipality: Municipality(m),
        year,
        sex,
        age,
        count,
    }
}

fn person(birth_year: Option<i32>, sex: Option<Sex>, m: u16) -> Person {
    Person {
        pid: String::new(),
        birth_year,
        age: None,
        sex,
        municipality: Some(Municipality(m)),
        death_date: None,
    }
}

fn tables() -> Tables {
    use AgeSpec::{AtLeast, Band};
    use Sex::{Female as F, Male as M};
    Tables {
        areas: Some(vec![
            AreaRow {
                municipality: Municipality(301),
                municipality_name: None,
                health_community: "Oslo".into(),
                region: "Sør-Øst".into(),
            },
            AreaRow {
                municipality: Municipality(4601),
                municipality_name: None,
                health_community: "Bergen".into(),
                region: "Vest".into(),
            },
        ]),
        population: Some(vec![
            pop(301, 2021, Some(M), Some(Band(0, 17)), 50),
            pop(301, 2021, Some(M), Some(Band(18, 66)), 100),
            pop(301, 2021, Some(F), Some(Band(18, 66)), 100),
            pop(301, 2021, Some(F), Some(AtLeast(67)), 50),
            pop(4601, 2021, Some(M), Some(Band(18, 66)), 20),
            pop(4601, 2021, Some(F), Some(AtLeast(67)), 80),
            // Another year, a standard of 2020.
            pop(301, 2020, Some(M), Some(Band(18, 66)), 1),
            pop(301, 2020, Some(F), Some(AtLeast(67)), 3),
        ]),
        persons: vec![
            person(Some(1980), Some(M), 301),  // 41, M 18-66
            person(Some(1950), Some(F), 4601), // 71, F 67+
            person(Some(1950), None, 4601),    // no sex: unassigned
            person(Some(2010), Some(F), 4601), // 11, F: no adult band
        ],
        ..Tables::default()
    }
}

#[test]
fn strata_populations_standard_and_persons_by_hand() {
    let t = tables();
    let areas = Areas::build(&t);
    // Adults: keys sorted (Band(18,66), M), (Band(18,66), F)?: AgeSpec orders Band before
    // AtLeast and Male before Female → [(18-66, M), (18-66, F), (67+, F)].
    let s = Strata::build(&t, &areas, 2021, 2021, true).unwrap();
    assert_eq!(
        s.keys,
        vec![
            (AgeSpec::Band(18, 66), Sex::Male),
            (AgeSpec::Band(18, 66), Sex::Female),
            (AgeSpec::AtLeast(67), Sex::Female),
        ]
    );
    // Country: 100 + 20, 100, 50 + 80.
    assert_eq!(s.standard, vec![120, 100, 130]);
    assert_eq!(s.population[0], vec![120, 100, 130]);
    let bergen = areas.areas.iter().position(|a| a.name == "4601").unwrap();
    assert_eq!(s.population[bergen], vec![20, 0, 80]);
    assert_eq!(s.stratum_of(&t.persons[0]), Some(0));
    assert_eq!(s.stratum_of(&t.persons[1]), Some(2));
    assert_eq!(s.stratum_of(&t.persons[2]), None);
    assert_eq!(s.stratum_of(&t.persons[3]), None);
    // The standard of 2020: 1 and 3 in two of the strata, 0 in (18-66, F).
    let s20 = Strata::build(&t, &areas, 2021, 2020, true).unwrap();
    assert_eq!(s20.standard, vec![1, 0, 3]);
    assert_eq!(
        Strata::build(&t, &areas, 2021, 2019, true).err(),
        Some(Unavailable::NoStandardYear(2019))
    );
    // Without sex in a row: unavailable.
    let mut t2 = t.clone();
    t2.population
        .as_mut()
        .unwrap()
        .push(pop(301, 2021, None, Some(AgeSpec::AtLeast(67)), 1));
    assert_eq!(
        Strata::build(&t2, &areas, 2021, 2021, true).err(),
        Some(Unavailable::NoAgeOrSex)
    );

    // Counts: every person a unit of group 0 at its municipality.
    let units: Vec<UnitRow> = t
        .persons
        .iter()
        .map(|p| UnitRow {
            leaf: areas.chain(p.municipality).last().copied().unwrap(),
            groups: 1,
        })
        .collect();
    let mut facts = FactTable::new(units.len(), 0, 0);
    for u in 0..units.len() {
        facts.set_person(u, PersonIdx(u as u32));
    }
    let (cells, unassigned) = s.counts(&t, &units, &facts, Measure::Units, &areas, 1);
    assert_eq!(unassigned, 2);
    assert_eq!(cells[0], vec![1, 0, 1]);
    assert_eq!(cells[bergen], vec![0, 0, 1]);
    // Bergen standardised: w₃ = 130 / (350 × 80); y = 130 / 28000 → 4.642857142857143 per 1 000.
    let (r, _) = rate(&cells[bergen], &s.population[bergen], &s.standard).unwrap();
    assert!(close(r, 1000.0 * 130.0 / 28_000.0), "{r}");
}
