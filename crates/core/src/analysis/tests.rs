//! End-to-end tests of `analyse` on tiny hand-made tables (Y = 2024, a leap year).

use super::*;
use crate::model::{
    AgeSpec, AreaRow, CareLevel, ContactType, Episode, MunicipalService, Municipality, PersonIdx,
    PopulationRow, PrimaryCareContact, Provider, Sector, ServiceCode, Urgency,
};
use crate::module::SummaryKind;
use crate::modules::smi::cohort::tests::{person, with_dx};
use crate::output::{Cell, Level, SuppressReason};
use crate::stays::tests::{d, dogn};

fn rows(r: &Report) -> Vec<LongRow<'_>> {
    r.long_rows().collect()
}

fn cohort_size(r: &Report) -> u64 {
    r.module("smi").and_then(|m| m.units).unwrap_or(0)
}

fn summary(r: &Report, what: SummaryKind) -> Option<Cell> {
    let m = r.module("smi")?;
    m.summary.iter().find(|i| i.what == what).map(|i| i.cell)
}

fn cell(r: &Report, indicator: &str, group: &str, level: Level, area: &str) -> Cell {
    let hits: Vec<LongRow> = r
        .long_rows()
        .filter(|x| {
            x.indicator == indicator && x.group == group && x.level == level && x.area == area
        })
        .collect();
    assert_eq!(hits.len(), 1, "{indicator} {group} {level:?} {area}");
    hits[0].cell
}

fn value(r: &Report, indicator: &str, group: &str, level: Level, area: &str) -> f64 {
    cell(r, indicator, group, level, area)
        .value()
        .unwrap_or_else(|| panic!("{indicator} {group} {area} suppressed"))
}

fn nd(
    r: &Report,
    indicator: &str,
    group: &str,
    level: Level,
    area: &str,
) -> (Option<u64>, Option<u64>) {
    match cell(r, indicator, group, level, area) {
        Cell::Value {
            numerator,
            denominator,
            ..
        }
        | Cell::NotEstimable {
            numerator,
            denominator,
        } => (numerator, denominator),
        Cell::Suppressed(_) => panic!("suppressed"),
    }
}

fn k0() -> Settings {
    Settings {
        min_cell: 0,
        ..Settings::for_year(2024)
    }
}

fn pol(p: u32, sector: Sector, date: &str) -> Episode {
    let mut e = dogn(p, date, Some(date));
    e.sector = sector;
    e.care_level = CareLevel::Pol;
    e.urgency = None;
    e
}

fn area(m: u16, hc: &str, region: &str) -> AreaRow {
    AreaRow {
        municipality: Municipality(m),
        municipality_name: None,
        health_community: hc.into(),
        region: region.into(),
    }
}

fn pc(p: u32, date: &str, provider: Provider, t: ContactType, inter: bool) -> PrimaryCareContact {
    PrimaryCareContact {
        person: PersonIdx(p),
        date: d(date),
        provider,
        contact_type: t,
        interdisciplinary: inter,
    }
}

fn service(p: u32, s: ServiceCode, start: &str, end: Option<&str>) -> MunicipalService {
    MunicipalService {
        person: PersonIdx(p),
        service: s,
        decision_date: None,
        start_date: d(start),
        end_date: end.map(d),
    }
}

/// Seven persons; six in SMI(2024). See each line for what they contribute.
fn mini() -> Tables {
    use Sector::*;
    let persons = vec![
        person("a", 1980, Some(301)),  // 0
        person("b", 1990, Some(4601)), // 1
        person("c", 2006, Some(4602)), // 2: 18 in 2024
        person("d", 2007, Some(301)),  // 3: 17 in 2024 → out
        person("e", 1970, None),       // 4: no municipality → country only
        person("f", 1970, Some(301)),  // 5
        person("g", 1975, Some(9999)), // 6: not in the areas table → country only
    ];
    let mut a_stay = with_dx(dogn(0, "2024-02-01", Some("2024-02-11")), "F20", &["F10"]);
    a_stay.letter_date = Some(d("2024-02-11")); // 0 days
    let mut c_stay = with_dx(dogn(2, "2023-12-20", None), "F31", &[]);
    c_stay.urgency = Some(Urgency::Planned);
    let mut c_tsb = with_dx(dogn(2, "2023-12-01", Some("2024-01-03")), "F12", &[]);
    c_tsb.sector = Tsb;
    let mut e_stay = with_dx(dogn(4, "2024-10-01", Some("2024-10-03")), "F25", &[]);
    e_stay.letter_date = Some(d("2024-10-05")); // 2 days
    let mut f_stay = with_dx(dogn(5, "2024-03-01", Some("2024-03-02")), "F33", &[]);
    f_stay.letter_date = Some(d("2024-03-11")); // 9 days
    let mut b_amb = with_dx(pol(1, Phv, "2024-06-01"), "F32", &["F60.3"]);
    b_amb.ambulant = Some(true);
    let episodes = vec![
        a_stay,
        with_dx(pol(0, Phv, "2024-03-01"), "F20", &[]),
        with_dx(pol(0, Phv, "2024-03-02"), "F20", &[]),
        b_amb,
        pol(1, AvtPhv, "2024-07-01"),
        c_stay,
        c_tsb,
        with_dx(dogn(3, "2024-02-01", Some("2024-02-02")), "F20", &[]),
        e_stay,
        f_stay,
        with_dx(pol(6, Phv, "2024-01-15"), "F60", &[]),
        // not in Y: a POL contact of a in 2023 does not count as an outpatient contact
        with_dx(pol(0, Phv, "2023-12-31"), "F20", &[]),
    ];
    Tables {
        persons,
        episodes: Some(episodes),
        primary_care: Some(vec![
            pc(
                0,
                "2024-04-01",
                Provider::Gp,
                ContactType::Consultation,
                false,
            ),
            pc(
                0,
                "2024-05-01",
                Provider::OutOfHours,
                ContactType::Phone,
                false,
            ),
            pc(4, "2024-11-01", Provider::Gp, ContactType::HomeVisit, true),
            pc(
                4,
                "2023-11-01",
                Provider::OutOfHours,
                ContactType::Consultation,
                false,
            ),
        ]),
        municipal_services: Some(vec![
            service(0, ServiceCode::HomeHealth, "2023-01-01", None),
            service(
                1,
                ServiceCode::WelfareTech,
                "2024-01-01",
                Some("2024-02-01"),
            ),
            service(5, ServiceCode::HomeHealth, "2020-01-01", Some("2023-12-31")),
        ]),
        population: Some(vec![
            PopulationRow {
                municipality: Municipality(301),
                year: 2024,
                sex: None,
                age: Some(AgeSpec::AtLeast(18)),
                count: 1000,
            },
            PopulationRow {
                municipality: Municipality(301),
                year: 2024,
                sex: None,
                age: Some(AgeSpec::Exact(10)),
                count: 500,
            },
            PopulationRow {
                municipality: Municipality(4601),
                year: 2024,
                sex: None,
                age: Some(AgeSpec::AtLeast(18)),
                count: 400,
            },
            PopulationRow {
                municipality: Municipality(4602),
                year: 2024,
                sex: None,
                age: Some(AgeSpec::AtLeast(18)),
                count: 100,
            },
        ]),
        areas: Some(vec![
            area(301, "Oslo", "Sør-Øst"),
            area(4601, "Bergen", "Vest"),
            area(4602, "Bergen", "Vest"),
        ]),
        units: Vec::new(),
        unusable: Vec::new(),
    }
}

const NO: (Level, &str) = (Level::Country, "NO");

#[test]
fn mini_cohort_groups_and_areas() {
    let r = analyse(&mini(), &k0());
    assert!(r.unsuppressed);
    // a, b, c, e, f, g (d is 17)
    assert_eq!(cohort_size(&r), 6);
    let p = |grp: &str, (l, a): (Level, &str)| value(&r, "smi.patients", grp, l, a);
    assert_eq!(p("all", NO), 6.0);
    assert_eq!(p("schizophrenia", NO), 2.0); // a, e
    assert_eq!(p("bipolar", NO), 1.0); // c
    assert_eq!(p("depression", NO), 2.0); // b (F32), f
    assert_eq!(p("personality", NO), 2.0); // b (F60.3), g
    assert_eq!(p("all+substance", NO), 2.0); // a (F10 on PHV), c (F12 on TSB)
    assert_eq!(p("all-substance", NO), 4.0);
    assert_eq!(p("depression-substance", NO), 2.0);
    // Areas: e and g count in the country only.
    assert_eq!(p("all", (Level::Region, "Sør-Øst")), 2.0); // a, f
    assert_eq!(p("all", (Level::Region, "Vest")), 2.0); // b, c
    assert_eq!(p("all", (Level::HealthCommunity, "Bergen")), 2.0);
    assert_eq!(p("all", (Level::Municipality, "0301")), 2.0);
    assert_eq!(p("all", (Level::Municipality, "4602")), 1.0);
    assert_eq!(p("bipolar", (Level::Municipality, "4601")), 0.0);
    // A count: numerator = the number, no denominator.
    assert_eq!(
        nd(&r, "smi.patients", "all", Level::Country, "NO"),
        (Some(6), None)
    );
    // No row for a municipality outside the areas table.
    assert!(!r.long_rows().any(|x| x.area == "9999"));
    // 8 areas (NO, 2 regions, 2 health communities, 3 municipalities) × 15 groups per indicator.
    let n = r
        .long_rows()
        .filter(|x| x.indicator == "smi.admitted")
        .count();
    assert_eq!(n, 8 * 15);
    // Per 1 000 adults: 6 / (1000 + 400 + 100) × 1000 = 4; 0301: 2 / 1000 × 1000 = 2.
    assert_eq!(r.population_basis, PopulationBasis::Adults18Plus);
    assert_eq!(
        value(&r, "smi.patients_per_1000", "all", Level::Country, "NO"),
        4.0
    );
    assert_eq!(
        value(
            &r,
            "smi.patients_per_1000",
            "all",
            Level::Municipality,
            "0301"
        ),
        2.0
    );
    // Overlap: b is in depression and personality; nobody else in two groups.
    assert_eq!(
        summary(&r, SummaryKind::InSeveralGroups).unwrap().value(),
        Some(1.0)
    );
    // Depression is base 3, personality base 4.
    assert_eq!(
        summary(&r, SummaryKind::LargestPair(3, 4)).unwrap().value(),
        Some(1.0)
    );
}

#[test]
fn mini_stay_contact_and_primary_care_indicators() {
    let r = analyse(&mini(), &k0());
    let v = |id: &str| value(&r, id, "all", Level::Country, "NO");
    // admitted: a, c (open from 2023), e, f = 4 of 6 → 100 × 4 / 6
    assert_eq!(v("smi.admitted"), 100.0 * 4.0 / 6.0);
    // acute with admit in Y: a, e, f (c planned, admitted 2023) = 3 of 6 → 50
    assert_eq!(v("smi.admitted_acute"), 50.0);
    // bed days: a 10, c 365 (1 Jan → 31 Dec, open), e 2, f 1 = 378; / 6 = 63; / 4 = 94.5
    assert_eq!(
        nd(&r, "smi.bed_days_per_patient", "all", Level::Country, "NO"),
        (Some(378), Some(6))
    );
    assert_eq!(v("smi.bed_days_per_patient"), 63.0);
    assert_eq!(v("smi.bed_days_per_admitted"), 94.5);
    // outpatient: a (2 in Y; the 2023 one not), b, g = 3 of 6 → 50; contacts 4 / 3
    assert_eq!(v("smi.outpatient"), 50.0);
    assert_eq!(v("smi.outpatient_contacts_per_outpatient"), 4.0 / 3.0);
    // ambulant: b → 1 of 6
    assert_eq!(v("smi.ambulant"), 100.0 / 6.0);
    // letters: a 0, e 2, f 9 days → within 1: 1 of 3; within 7: 2 of 3; median 2
    assert_eq!(v("smi.letter_within_1d"), 100.0 / 3.0);
    assert_eq!(v("smi.letter_within_7d"), 200.0 / 3.0);
    assert_eq!(v("smi.letter_days_median"), 2.0);
    assert_eq!(
        nd(&r, "smi.letter_days_median", "all", Level::Country, "NO"),
        (None, None)
    );
    // TSB: c's TSB stay 1 Dec 2023 – 3 Jan 2024 overlaps Y → 1 of 6
    assert_eq!(v("smi.tsb"), 100.0 / 6.0);
    assert_eq!(v("smi.somatic"), 0.0);
    assert_eq!(v("smi.private_psych"), 100.0 / 6.0); // b
    assert_eq!(v("smi.private_contacts_per_patient"), 1.0);
    // primary care: a GP consultation, e GP home visit (interdisciplinary); a OOH phone;
    // e's OOH consultation is in 2023.
    assert_eq!(v("smi.gp_contact"), 100.0 * 2.0 / 6.0);
    assert_eq!(v("smi.gp_consultation"), 100.0 * 2.0 / 6.0);
    assert_eq!(v("smi.oohs_contact"), 100.0 / 6.0);
    assert_eq!(v("smi.oohs_consultation"), 0.0);
    assert_eq!(v("smi.gp_consultations_per_patient"), 1.0);
    assert_eq!(v("smi.gp_home_visit"), 100.0 / 6.0);
    assert_eq!(v("smi.gp_interdisciplinary"), 100.0 / 6.0);
    // services: a HOME_HEALTH (ongoing since 2023); f's ended 31 Dec 2023 → no;
    // b WELFARE_TECH is not decision-bound.
    assert_eq!(v("smi.service.HOME_HEALTH"), 100.0 / 6.0);
    assert_eq!(v("smi.service.WELFARE_TECH"), 100.0 / 6.0);
    assert_eq!(v("smi.any_municipal_service"), 100.0 / 6.0);
    // readmission: index discharges a (Feb, 0301) and f (Mar, 0301); e has no municipality;
    // c is still open. No readmissions → 0 of 2.
    assert_eq!(
        nd(&r, "smi.readmitted_30d", "all", Level::Country, "NO"),
        (Some(0), Some(2))
    );
    // Substance split: all+substance = a, c → both admitted = 100; all-substance = b, e, f, g
    // → e, f admitted = 50.
    assert_eq!(
        value(&r, "smi.admitted", "all+substance", Level::Country, "NO"),
        100.0
    );
    assert_eq!(
        value(&r, "smi.admitted", "all-substance", Level::Country, "NO"),
        50.0
    );
    // An area without persons: a ratio over 0 has no value; with k = 0 it is shown as 0 of 0
    // without a value (never 0 %), with k > 0 the 0 below k suppresses it.
    assert_eq!(
        cell(&r, "smi.admitted", "bipolar", Level::Municipality, "4601"),
        Cell::NotEstimable {
            numerator: Some(0),
            denominator: Some(0)
        }
    );
}

#[test]
fn missing_tables_make_indicators_unavailable_not_zero() {
    let mut t = mini();
    t.primary_care = None;
    t.population = None;
    let r = analyse(&t, &k0());
    let gp = r
        .unavailable
        .iter()
        .find(|u| u.indicator == "smi.gp_contact")
        .unwrap();
    assert_eq!(gp.missing, vec![TableKind::PrimaryCare]);
    // 7 SMI primary-care indicators + the per-1 000 rates of SMI and ready for discharge and
    // their 2 standardised twins + the pathways' GP and out-of-hours follow-up in 6 windows.
    assert_eq!(r.unavailable.len(), 7 + 2 + 2 + 12);
    assert!(!r.long_rows().any(|x| x.indicator.starts_with("smi.gp_")
        || x.indicator.starts_with("smi.oohs_")
        || x.indicator == "smi.patients_per_1000"));
    assert_eq!(r.population_basis, PopulationBasis::Missing);
    assert!(r.long_rows().any(|x| x.indicator == "smi.admitted"));

    // Without episodes nothing of §1–§4 can be computed; only the care ladder (services) can.
    t.episodes = None;
    let r = analyse(&t, &k0());
    assert!(r.long_rows().all(|x| x.indicator.starts_with("ladder.")));
    assert!(r.row_count() > 0);
    // Every module that needs episodes: SMI's 41, ready's 33, revolving door's 9, the pathways'
    // 6 windows × 7 and the flows' 5 referrers × 3 care levels + 7 destinations.
    use crate::module::AnalysisModule;
    let count = |m: &dyn AnalysisModule| m.decl().indicators.len();
    let sizes = [
        count(&crate::modules::smi::MODULE),
        count(&crate::modules::ready::MODULE),
        count(&crate::modules::door::MODULE),
        count(&crate::modules::pathways::MODULE),
        count(&crate::modules::flow::MODULE),
    ];
    assert_eq!(sizes, [41, 33, 9, 42, 22]);
    // + smi.patients_per_1000_std and ready.patients_per_1000_std.
    assert_eq!(r.unavailable.len(), sizes.iter().sum::<usize>() + 2);
}

#[test]
fn rows_are_sorted_bytewise_and_the_output_is_deterministic() {
    let t = mini();
    let r1 = analyse(&t, &Settings::for_year(2024));
    let r2 = analyse(&t, &Settings::for_year(2024));
    assert_eq!(rows(&r1), rows(&r2));
    let r1_rows = rows(&r1);
    let keys: Vec<_> = r1_rows.iter().map(|r| r.sort_key()).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    // "all" < "all+substance" < "all-substance" < "bipolar"; "country" < "health_community".
    let first: Vec<(String, &str)> = r1
        .long_rows()
        .filter(|x| x.indicator == "smi.admitted")
        .take(9)
        .map(|x| (x.group.to_string(), x.level.as_str()))
        .collect();
    assert_eq!(first[0], ("all".to_string(), "country"));
    assert_eq!(first[1], ("all".to_string(), "health_community"));
    assert_eq!(first[8].0, "all+substance");
    // k = 5: the report is not marked; 6 patients are shown, 4 of 6 admitted is not (4 < 5).
    assert!(!r1.unsuppressed);
    assert_eq!(value(&r1, "smi.patients", "all", Level::Country, "NO"), 6.0);
    assert!(cell(&r1, "smi.admitted", "all", Level::Country, "NO").is_suppressed());
}

/// Readmission: each person has one index candidate; y = 2024, window 30 days.
fn readmission_tables() -> Tables {
    let mut persons: Vec<_> = (0..7)
        .map(|i| person(&i.to_string(), 1980, Some(301)))
        .collect();
    persons[5].municipality = None;
    persons[6].death_date = Some(d("2024-06-15"));
    let s = |p, a: &str, dis: &str| with_dx(dogn(p, a, Some(dis)), "F20", &[]);
    let mut planned = s(4, "2024-05-20", "2024-05-25");
    planned.urgency = Some(Urgency::Planned);
    let episodes = vec![
        // p0: discharged 30 Nov (last index day), acute readmission 30 Dec = day 30 → counts
        s(0, "2024-11-01", "2024-11-30"),
        s(0, "2024-12-30", "2024-12-31"),
        // p1: discharged 1 Dec → not an index discharge at all
        s(1, "2024-11-01", "2024-12-01"),
        s(1, "2024-12-05", "2024-12-10"),
        // p2: discharged 1 Mar, acute readmission 31 Mar = day 30 → counts
        s(2, "2024-02-01", "2024-03-01"),
        s(2, "2024-03-31", "2024-04-02"),
        // p3: discharged 1 Mar, readmitted 1 Apr = day 31 (2024 is a leap year) → not counted
        s(3, "2024-02-01", "2024-03-01"),
        s(3, "2024-04-01", "2024-04-02"),
        // p4: discharged 10 May, PLANNED readmission 20 May → not counted unless acute_only off
        s(4, "2024-05-01", "2024-05-10"),
        planned,
        // p5: no municipality → in no readmission denominator, not even the country's
        s(5, "2024-05-01", "2024-05-10"),
        s(5, "2024-05-12", "2024-05-13"),
        // p6: discharged 1 Jun, died 15 Jun (within 30 days)
        s(6, "2024-05-25", "2024-06-01"),
        // a same-day transfer is one stay, never a readmission: p2 rows 1 Mar → 1 Mar
    ];
    Tables {
        persons,
        episodes: Some(episodes),
        ..Tables::default()
    }
}

#[test]
fn readmission_window_edges_urgency_municipality_and_death() {
    let t = readmission_tables();
    let at = |settings: &Settings, area: (Level, &str)| {
        nd(
            &analyse(&t, settings),
            "smi.readmitted_30d",
            "all",
            area.0,
            area.1,
        )
    };
    // Index: p0, p2, p3, p4, p6 = 5 (p1 discharged 1 Dec, p5 no municipality);
    // readmitted: p0 (day 30 from 30 Nov), p2 (day 30) = 2 → 40 %.
    let s = k0();
    assert_eq!(at(&s, NO), (Some(2), Some(5)));
    assert_eq!(
        value(
            &analyse(&t, &s),
            "smi.readmitted_30d",
            "all",
            Level::Country,
            "NO"
        ),
        40.0
    );
    assert_eq!(at(&s, (Level::Municipality, "0301")), (Some(2), Some(5)));
    // p5 still counts as a patient of the country.
    assert_eq!(
        value(
            &analyse(&t, &s),
            "smi.patients",
            "all",
            Level::Country,
            "NO"
        ),
        7.0
    );
    // Planned readmissions count when acute_only is off: + p4 → 3 of 5.
    let mut any = k0();
    any.smi.readmission.acute_only = false;
    assert_eq!(at(&any, NO), (Some(3), Some(5)));
    // Leaving out deaths within the window drops p6's discharge: 2 of 4.
    let mut nodeath = k0();
    nodeath.smi.readmission.exclude_death_within_window = true;
    assert_eq!(at(&nodeath, NO), (Some(2), Some(4)));
    // SKDE's 29-day window: last index day 31 Dec − 30 = 1 Dec → p1 becomes an index discharge
    // (readmitted day 4); p0's and p2's readmissions on day 30 no longer count.
    // Index p0..p4, p6 = 6; readmitted p1 = 1.
    let mut w29 = k0();
    w29.smi.readmission.window_days = 29;
    assert_eq!(at(&w29, NO), (Some(1), Some(6)));
}

#[test]
fn letter_median_of_an_even_count_is_the_mean_of_the_two_middle() {
    // Four discharges of one person in 2024 with letters after −1, 0, 2, 9 days:
    // sorted −1, 0, 2, 9 → (0 + 2) / 2 = 1; within 1 day: −1, 0 → 2 of 4; within 7: 3 of 4.
    let mut eps = Vec::new();
    for (i, lag) in [-1i64, 0, 2, 9].into_iter().enumerate() {
        let admit = d("2024-01-01") + chrono::Days::new(20 * i as u64);
        let dis = admit + chrono::Days::new(5);
        let mut e = with_dx(
            dogn(0, &admit.to_string(), Some(&dis.to_string())),
            "F20",
            &[],
        );
        e.letter_date = Some(dis + chrono::TimeDelta::days(lag));
        eps.push(e);
    }
    // A discharge without a letter and one discharged in 2025 are not counted.
    eps.push(with_dx(
        dogn(0, "2024-06-01", Some("2024-06-03")),
        "F20",
        &[],
    ));
    let mut late = with_dx(dogn(0, "2024-12-30", Some("2025-01-02")), "F20", &[]);
    late.letter_date = Some(d("2025-01-02"));
    eps.push(late);
    let t = Tables {
        persons: vec![person("x", 1980, Some(301))],
        episodes: Some(eps),
        ..Tables::default()
    };
    let r = analyse(&t, &k0());
    assert_eq!(
        value(&r, "smi.letter_days_median", "all", Level::Country, "NO"),
        1.0
    );
    assert_eq!(
        nd(&r, "smi.letter_within_1d", "all", Level::Country, "NO"),
        (Some(2), Some(4))
    );
    assert_eq!(
        nd(&r, "smi.letter_within_7d", "all", Level::Country, "NO"),
        (Some(3), Some(4))
    );
    // Without an areas table the municipality persons name gets rows: 0301.
    assert_eq!(
        value(
            &r,
            "smi.letter_days_median",
            "all",
            Level::Municipality,
            "0301"
        ),
        1.0
    );
    // With k = 5 the median over 4 discharges is suppressed.
    let r5 = analyse(&t, &Settings::for_year(2024));
    assert!(cell(&r5, "smi.letter_days_median", "all", Level::Country, "NO").is_suppressed());
}

#[test]
fn secondary_suppression_across_areas_and_substance_groups() {
    // k = 3. Five persons in 0301 and one in 0302 (health community Oslo, region Sør-Øst),
    // all F20, none with substance use.
    let persons: Vec<_> = (0..6)
        .map(|i| person(&i.to_string(), 1980, Some(if i < 5 { 301 } else { 302 })))
        .collect();
    let t = Tables {
        episodes: Some(
            (0..6)
                .map(|p| with_dx(dogn(p, "2024-02-01", Some("2024-02-03")), "F20", &[]))
                .collect(),
        ),
        persons,
        areas: Some(vec![
            area(301, "Oslo", "Sør-Øst"),
            area(302, "Oslo", "Sør-Øst"),
        ]),
        ..Tables::default()
    };
    let s = Settings {
        min_cell: 3,
        ..Settings::for_year(2024)
    };
    let r = analyse(&t, &s);
    let c = |grp: &str, l: Level, a: &str| cell(&r, "smi.patients", grp, l, a);
    let v6 = Cell::Value {
        numerator: Some(6),
        denominator: None,
        value: 6.0,
    };
    let p = Cell::Suppressed(SuppressReason::Primary);
    let sec = Cell::Suppressed(SuppressReason::Secondary);
    // all: Oslo 6 = 0301 5 + 0302 1 (primary) → 0301 secondary.
    assert_eq!(c("all", Level::Country, "NO"), v6);
    assert_eq!(c("all", Level::Region, "Sør-Øst"), v6);
    assert_eq!(c("all", Level::HealthCommunity, "Oslo"), v6);
    assert_eq!(c("all", Level::Municipality, "0302"), p);
    assert_eq!(c("all", Level::Municipality, "0301"), sec);
    // all = all+substance (0, primary) + all-substance → all-substance secondary wherever
    // `all` is shown at the start of round 1: country, region, health community, 0301.
    // (0301 all-substance is also hidden by its own area family: Oslo all-substance 6 was shown
    // at the start of round 1 and 0302 all-substance 1 is primary.)
    assert_eq!(c("all+substance", Level::Country, "NO"), p);
    assert_eq!(c("all-substance", Level::Country, "NO"), sec);
    assert_eq!(c("all-substance", Level::Region, "Sør-Øst"), sec);
    assert_eq!(c("all-substance", Level::HealthCommunity, "Oslo"), sec);
    assert_eq!(c("all-substance", Level::Municipality, "0301"), sec);
    assert_eq!(c("all-substance", Level::Municipality, "0302"), p);
}

#[test]
fn progress_reports_phases_and_can_cancel() {
    let t = mini();
    let mut seen = Vec::new();
    let r = analyse_with_progress(&t, &k0(), &mut |p, f| {
        seen.push((p, f));
        true
    });
    assert!(r.is_ok());
    assert_eq!(seen.first(), Some(&(Phase::Stays, 0.0)));
    assert_eq!(seen.last(), Some(&(Phase::Output, 1.0)));
    let r = analyse_with_progress(&t, &k0(), &mut |p, _| p != Phase::Indicators);
    assert_eq!(r.err(), Some(Cancelled));
}

/// A national-size extract built in code: 90 000 persons, 3 000 000 episodes, 2 000 000
/// primary-care rows, 200 000 service periods, 356 municipalities. Run with
/// `cargo test --release -p forlop-core --lib big_synthetic -- --ignored --nocapture`.
#[test]
#[ignore = "timing on national-size data; run in release"]
fn big_synthetic_tables_run_in_seconds() {
    use std::time::Instant;
    // xorshift64*: deterministic, no dependency.
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut rnd = move |n: u64| {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    };
    let codes = [
        "F20", "F25.1", "F31", "F32.2", "F33", "F60.3", "F41", "F10.2", "Z00", "F43",
    ];
    let munis: Vec<u16> = (0..356).map(|i| 301 + i * 13).collect();
    let areas: Vec<AreaRow> = munis
        .iter()
        .enumerate()
        .map(|(i, &m)| area(m, &format!("HF {}", i % 21), &format!("Region {}", i % 4)))
        .collect();
    let n_persons = 90_000u32;
    let persons: Vec<_> = (0..n_persons)
        .map(|i| {
            let m = if rnd(50) == 0 {
                None
            } else {
                Some(munis[rnd(356) as usize])
            };
            person(&format!("p{i}"), 1930 + rnd(85) as i32, m)
        })
        .collect();
    let sectors = [
        Sector::Phv,
        Sector::Phv,
        Sector::Phv,
        Sector::Tsb,
        Sector::Som,
        Sector::AvtPhv,
        Sector::AvtSom,
    ];
    let base = d("2023-06-01");
    let episodes: Vec<Episode> = (0..3_000_000u32)
        .map(|_| {
            let p = rnd(u64::from(n_persons)) as u32;
            let admit = base + chrono::Days::new(rnd(700));
            let dognish = rnd(10) == 0;
            let mut e = if dognish {
                let dis = (admit + chrono::Days::new(rnd(40))).to_string();
                let open = rnd(200) == 0;
                dogn(p, &admit.to_string(), if open { None } else { Some(&dis) })
            } else {
                pol(p, Sector::Phv, &admit.to_string())
            };
            e.sector = sectors[rnd(7) as usize];
            e.urgency = Some(if rnd(2) == 0 {
                Urgency::Acute
            } else {
                Urgency::Planned
            });
            e.ambulant = Some(rnd(20) == 0);
            if let Some(dis) = e.discharge_date {
                if dognish && rnd(3) > 0 {
                    e.letter_date = Some(dis + chrono::Days::new(rnd(12)));
                }
            }
            with_dx(e, codes[rnd(10) as usize], &[codes[rnd(10) as usize]])
        })
        .collect();
    let providers = [Provider::Gp, Provider::Gp, Provider::OutOfHours];
    let types = [
        ContactType::Consultation,
        ContactType::HomeVisit,
        ContactType::Phone,
        ContactType::EConsultation,
    ];
    let primary: Vec<_> = (0..2_000_000u32)
        .map(|_| PrimaryCareContact {
            person: PersonIdx(rnd(u64::from(n_persons)) as u32),
            date: base + chrono::Days::new(rnd(700)),
            provider: providers[rnd(3) as usize],
            contact_type: types[rnd(4) as usize],
            interdisciplinary: rnd(30) == 0,
        })
        .collect();
    let services: Vec<_> = (0..200_000u32)
        .map(|_| MunicipalService {
            person: PersonIdx(rnd(u64::from(n_persons)) as u32),
            service: ServiceCode::ALL[rnd(15) as usize],
            decision_date: None,
            start_date: base + chrono::Days::new(rnd(700)),
            end_date: None,
        })
        .collect();
    let population: Vec<_> = munis
        .iter()
        .map(|&m| PopulationRow {
            municipality: Municipality(m),
            year: 2024,
            sex: None,
            age: Some(AgeSpec::AtLeast(18)),
            count: 10_000,
        })
        .collect();
    let t = Tables {
        persons,
        episodes: Some(episodes),
        municipal_services: Some(services),
        primary_care: Some(primary),
        population: Some(population),
        areas: Some(areas),
        units: Vec::new(),
        unusable: Vec::new(),
    };
    let start = Instant::now();
    let mut phases = Vec::new();
    let r = analyse_with_progress(&t, &Settings::for_year(2024), &mut |p, f| {
        if f == 1.0 {
            phases.push((p, start.elapsed()));
        }
        true
    })
    .unwrap();
    let total = start.elapsed();
    eprintln!("phases: {phases:?}");
    eprintln!(
        "analyse: {total:?}; cohort {}; rows {}; suppressed {}",
        cohort_size(&r),
        r.row_count(),
        r.long_rows().filter(|x| x.cell.is_suppressed()).count()
    );
    // (41 SMI indicators × 15 groups + 9 revolving-door indicators × 1 group) × (1 + 4 + 21 + 356) areas
    assert_eq!(
        r.row_count(),
        (41 * 15 + 33 + 9 + 42 * 6 + 22 * 6 + 13) * 382
    );
    assert!(cohort_size(&r) > 50_000);
}

#[test]
fn an_opt_in_module_runs_only_when_named_and_through_the_same_engine() {
    // The example module counts persons with a GP contact in 2024. In mini(): a (0301) has a GP
    // consultation on 1 Apr 2024; e (no municipality) a GP home visit on 1 Nov 2024. a's
    // out-of-hours contact and e's 2023 contact are not GP contacts in Y.
    let t = mini();
    let default = analyse(&t, &k0());
    assert!(default.module("example").is_none());
    assert!(!default
        .long_rows()
        .any(|x| x.indicator.starts_with("example.")));

    let mut s = k0();
    s.modules = Some(vec!["smi".into(), "example".into()]);
    let r = analyse(&t, &s);
    assert_eq!(r.module("example").unwrap().units, Some(2));
    // gp_patients: NO = a + e = 2; 0301 = a = 1; Sør-Øst = 1; 4601 = 0.
    let n = |lvl, area| value(&r, "example.gp_patients", "gp_patients", lvl, area);
    assert_eq!(n(Level::Country, "NO"), 2.0);
    assert_eq!(n(Level::Municipality, "0301"), 1.0);
    assert_eq!(n(Level::Region, "Sør-Øst"), 1.0);
    assert_eq!(n(Level::Municipality, "4601"), 0.0);
    // home_visit: NO = 100 × 1 / 2 = 50; 0301 = 0 / 1 = 0; 4601 = 0 / 0, not estimable.
    let hv = |lvl, area| cell(&r, "example.home_visit", "gp_patients", lvl, area);
    assert_eq!(hv(Level::Country, "NO").value(), Some(50.0));
    assert_eq!(hv(Level::Municipality, "0301").value(), Some(0.0));
    assert!(matches!(
        hv(Level::Municipality, "4601"),
        Cell::NotEstimable { .. }
    ));
    // The SMI rows are the same as without the example module.
    let smi_only: Vec<LongRow> = default
        .long_rows()
        .filter(|x| x.indicator.starts_with("smi."))
        .collect();
    let with: Vec<LongRow> = r
        .long_rows()
        .filter(|x| x.indicator.starts_with("smi."))
        .collect();
    assert!(
        smi_only == with,
        "naming the example module changed SMI rows"
    );

    // Without primary care the example module is unavailable with the table named.
    let mut t2 = mini();
    t2.primary_care = None;
    let r2 = analyse(&t2, &s);
    let m = r2.module("example").unwrap();
    assert_eq!(m.missing, vec![TableKind::PrimaryCare]);
    assert_eq!(m.units, None);
    assert!(r2
        .unavailable
        .iter()
        .any(|u| u.indicator == "example.gp_patients"));
}

/// `mini()` with sexes and a population by age band × sex (see the standardisation test).
fn mini_by_sex() -> Tables {
    use crate::model::Sex::{Female as F, Male as M};
    let mut t = mini();
    for (i, sex) in [Some(M), Some(F), Some(F), None, Some(M), Some(F), None]
        .into_iter()
        .enumerate()
    {
        t.persons[i].sex = sex;
    }
    let row = |m: u16, sex, age, count| PopulationRow {
        municipality: Municipality(m),
        year: 2024,
        sex: Some(sex),
        age: Some(age),
        count,
    };
    let (young, old) = (AgeSpec::Band(18, 49), AgeSpec::AtLeast(50));
    t.population = Some(vec![
        row(301, M, young, 300),
        row(301, F, young, 300),
        row(301, M, old, 200),
        row(301, F, old, 200),
        row(301, M, AgeSpec::Exact(10), 500),
        row(4601, M, young, 100),
        row(4601, F, young, 100),
        row(4601, M, old, 100),
        row(4601, F, old, 100),
        row(4602, M, young, 50),
        row(4602, F, young, 50),
    ]);
    t
}

#[test]
fn standardised_rates_by_hand() {
    let r = analyse(&mini_by_sex(), &k0());
    let id = "smi.patients_per_1000_std";
    // Strata (18-49, M), (18-49, F), (50+, M), (50+, F); the standard is the country's adults:
    // 450, 450, 300, 300 (N = 1 500). Persons (age at 31 Dec 2024): a 44 M, b 34 F, c 18 F,
    // e 54 M, f 54 F; g has no sex and is left out (a note says 1).
    // Country: x = (1, 2, 1, 1) over n = the standard: every w = 1/1 500; 5/1 500 × 1 000 =
    // 3.333…, while the crude rate counts g too: 6/1 500 × 1 000 = 4. The crude numbers stay.
    let v = value(&r, id, "all", Level::Country, "NO");
    assert!((v - 5000.0 / 1500.0).abs() < 1e-12, "{v}");
    assert_eq!(
        nd(&r, id, "all", Level::Country, "NO"),
        (Some(6), Some(1500))
    );
    assert_eq!(
        value(&r, "smi.patients_per_1000", "all", Level::Country, "NO"),
        4.0
    );
    // 0301 (a, f): 450/(1 500 × 300) + 300/(1 500 × 200) = 0.001 + 0.001 → 2 per 1 000.
    let v = value(&r, id, "all", Level::Municipality, "0301");
    assert!((v - 2.0).abs() < 1e-12, "{v}");
    // 4602 (c, 18 F): nobody aged 50+ lives there, and nobody of the cohort: those strata add
    // 0; 450/(1 500 × 50) = 0.006 → 6 per 1 000 (crude 1/100 → 10).
    let v = value(&r, id, "all", Level::Municipality, "4602");
    assert!((v - 6.0).abs() < 1e-12, "{v}");
    // Its interval: both young strata weigh 0.006, x = 1 → Garwood(1) × 6:
    // (0.0253178 × 6, 5.5716434 × 6) = (0.15190684790573872, 33.42986034563316).
    let row = r
        .long_rows()
        .find(|x| x.indicator == id && x.group == "all" && x.area == "4602")
        .unwrap();
    let ci = row.ci.unwrap();
    assert!((ci.low - 6.0 * -(0.975f64.ln())).abs() < 1e-9, "{ci:?}");
    assert!(
        (ci.high - 6.0 * 5.571_643_390_938_86).abs() < 1e-8,
        "{ci:?}"
    );
    // Bergen (b, c: 4601 + 4602): n = (150, 150, 100, 100), x = (0, 2, 0, 0):
    // 2 × 450/(1 500 × 150) = 0.004 → 4 per 1 000.
    let v = value(&r, id, "all", Level::HealthCommunity, "Bergen");
    assert!((v - 4.0).abs() < 1e-12, "{v}");
    // 0 persons (bipolar in 0301): 0, lower 0.
    assert_eq!(value(&r, id, "bipolar", Level::Municipality, "0301"), 0.0);
    let note = Note::StandardUnassigned {
        count: crate::notes::NoteCount::Exact(1),
    };
    assert!(r.module("smi").unwrap().notes.contains(&note));

    // The standard of another year with no rows: not estimable, with a note.
    let mut s = k0();
    s.comparison.standard_year = Some(2000);
    let r = analyse(&mini_by_sex(), &s);
    assert!(matches!(
        cell(&r, id, "all", Level::Country, "NO"),
        Cell::NotEstimable {
            numerator: Some(6),
            denominator: Some(1500)
        }
    ));
    assert!(r.notes.contains(&Note::StandardWithoutYear { year: 2000 }));
}

#[test]
fn without_sex_in_the_population_the_standardised_rate_is_not_estimable() {
    // mini()'s population has ages but no sex.
    let r = analyse(&mini(), &k0());
    assert!(r.notes.contains(&Note::StandardWithoutAgeOrSex));
    for x in r
        .long_rows()
        .filter(|x| x.indicator == "smi.patients_per_1000_std")
    {
        assert!(matches!(x.cell, Cell::NotEstimable { .. }), "{x:?}");
        assert_eq!(x.ci, None);
    }
    // The crude rate is there.
    assert!(value(&r, "smi.patients_per_1000", "all", Level::Country, "NO") > 0.0);
}

#[test]
fn standardised_cells_are_suppressed_exactly_as_the_crude_ones() {
    let r = analyse(&mini_by_sex(), &Settings::for_year(2024));
    let crude: Vec<_> = r
        .long_rows()
        .filter(|x| x.indicator == "smi.patients_per_1000")
        .map(|x| (x.group, x.area, x.cell.is_suppressed()))
        .collect();
    let std: Vec<_> = r
        .long_rows()
        .filter(|x| x.indicator == "smi.patients_per_1000_std")
        .map(|x| (x.group, x.area, x.cell.is_suppressed()))
        .collect();
    assert_eq!(crude, std);
    assert!(std.iter().any(|x| x.2), "k = 5 hides some of mini's cells");
    for x in r.long_rows().filter(|x| x.cell.is_suppressed()) {
        assert_eq!(x.ci, None, "{x:?}");
    }
}

#[test]
fn variation_between_municipalities_by_hand() {
    let mut s = k0();
    s.comparison.variation_min_cases = 1;
    let r = analyse(&mini(), &s);
    let res = r.result("smi.patients_per_1000").unwrap();
    let v = res
        .variation
        .iter()
        .find(|v| v.group == 0 && v.level == Level::Municipality)
        .unwrap();
    // 0301: a, f of 1 000 → 2; 4601: b of 400 → 2.5; 4602: c of 100 → 10.
    assert_eq!(v.areas, 3);
    assert_eq!((v.min, v.max), (Some(2.0), Some(10.0)));
    assert_eq!(v.extremal_quotient, Some(5.0));
    // mean 14.5/3; s² = ((2 − m)² + (2.5 − m)² + (10 − m)²)/2 = 20.083333…
    let m: f64 = 14.5 / 3.0;
    let s2 = ((2.0 - m).powi(2) + (2.5 - m).powi(2) + (10.0 - m).powi(2)) / 2.0;
    assert!((v.cv.unwrap() - s2.sqrt() / m).abs() < 1e-12);
    // Pooled 4/1 500: E = 8/3, 16/15, 4/15; terms 1/16 − 3/8, 1/256 − 15/16, 121/16 − 15/4
    // → (−0.3125 − 0.93359375 + 3.8125) / 3 × 100 = 85.546875.
    assert!((v.scv.unwrap() - 85.546_875).abs() < 1e-9, "{v:?}");
    // With the default threshold (10 cases) no municipality qualifies.
    let r = analyse(&mini(), &k0());
    let v = r.result("smi.patients_per_1000").unwrap().variation[2];
    assert_eq!((v.level, v.areas, v.cv), (Level::Municipality, 0, None));
}

#[test]
fn variation_of_a_standardised_rate_uses_expected_persons_by_stratum() {
    let mut s = k0();
    s.comparison.variation_min_cases = 1;
    let r = analyse(&mini_by_sex(), &s);
    let v = r.result("smi.patients_per_1000_std").unwrap().variation[2];
    assert_eq!(v.level, Level::Municipality);
    // Values 0301 2, 4601 0.003 × 1 000 = 3, 4602 6 (see standardised_rates_by_hand).
    assert_eq!(v.areas, 3);
    assert_eq!(v.extremal_quotient, Some(3.0));
    // Pooled stratum rates over the three: x = (1, 2, 0, 1) of n = (450, 450, 300, 300).
    // Expected: 0301 300/450 + 600/450 + 200/300 = 8/3 (O 2); 4601 100/450 + 200/450 + 100/300
    // = 1 (O 1); 4602 50/450 + 100/450 = 1/3 (O 1).
    // Terms 1/16 − 3/8, 0 − 1, 4 − 3 → −0.3125 / 3 × 100 = −10.416666…
    assert!((v.scv.unwrap() + 31.25 / 3.0).abs() < 1e-9, "{v:?}");
}
