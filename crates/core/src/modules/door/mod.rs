//! §3 Revolving-door patients (seed 003, Øyane DPS): persons with N or more acute admissions to
//! the psychiatric emergency unit (PAM) in Y, and what their acute loop costs.
//!
//! Unit: a person with at least one acute PAM admission in Y. Group `door`: those with ≥ N
//! (`settings.door.threshold`, default 3). `door.outside_office_hours` counts the admissions of
//! every unit (scope "all units"); every other indicator counts the group. An acute PAM
//! admission is a merged PHV inpatient stay with urgency ACUTE whose unit (from its first row)
//! is one of `settings.door.pam_units`, admitted in the year.

pub mod cost;
pub(crate) mod sql;

use crate::indicator::{IndicatorDef, Measure, Scope, Unit};
use crate::model::{Sector, TableKind, Urgency};
use crate::module::{
    AnalysisModule, CountingUnit, DistributionAxis, Fact, FactDecl, GroupBase, Input, ModuleDecl,
    ModuleRun, Quantity, QuantityDecl, SummaryItem, SummaryKind, UnitRow,
};
use crate::stays::{days, Stay, Year};
use crate::text::Text;
use chrono::{Datelike, NaiveTime, Timelike, Weekday};
use cost::CostModel;
use serde::{Deserialize, Serialize};

/// The revolving-door module's settings (`settings.door`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DoorSettings {
    /// A revolving-door patient has at least this many acute PAM admissions in the year.
    pub threshold: u32,
    /// Unit values that mark the psychiatric emergency unit, compared case-insensitively.
    pub pam_units: Vec<String>,
    /// Office hours, for `door.outside_office_hours`.
    pub office_hours: OfficeHours,
    /// The prices of the acute loop.
    pub cost: CostModel,
}

impl Default for DoorSettings {
    fn default() -> Self {
        DoorSettings {
            threshold: 3,
            pam_units: vec!["PAM".to_string()],
            office_hours: OfficeHours::default(),
            cost: CostModel::default(),
        }
    }
}

/// When an admission is inside office hours: `start` ≤ time < `end`, on any day unless
/// `weekends_outside`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OfficeHours {
    /// First minute inside (08:00).
    pub start: NaiveTime,
    /// First minute outside again (16:00, exclusive).
    pub end: NaiveTime,
    /// Count Saturday and Sunday admissions as outside office hours whatever the time.
    pub weekends_outside: bool,
}

impl Default for OfficeHours {
    fn default() -> Self {
        OfficeHours {
            start: NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default(),
            end: NaiveTime::from_hms_opt(16, 0, 0).unwrap_or_default(),
            weekends_outside: false,
        }
    }
}

impl OfficeHours {
    /// Whether an admission on `date` at `time` is outside office hours.
    pub fn is_outside(&self, date: chrono::NaiveDate, time: NaiveTime) -> bool {
        let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        (self.weekends_outside && weekend) || time < self.start || time >= self.end
    }
}

/// The module.
pub struct Door;

/// The registered instance.
pub static MODULE: Door = Door;

const TABLES: &[TableKind] = &[TableKind::Persons, TableKind::Episodes];

/// The facts of one person, in the order of the declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DoorFact {
    /// An acute PAM admission in Y.
    Admission,
    /// … with an admission time.
    Timed,
    /// … with an admission time outside office hours.
    OutsideOfficeHours,
    /// Once, when the person has more than 5 admissions in Y.
    OverFive,
    /// Once, when more than 10.
    OverTen,
    /// Once, when the person was a revolving-door patient in Y − 1 too.
    BothYears,
}

impl DoorFact {
    const ALL: [DoorFact; 6] = [
        DoorFact::Admission,
        DoorFact::Timed,
        DoorFact::OutsideOfficeHours,
        DoorFact::OverFive,
        DoorFact::OverTen,
        DoorFact::BothYears,
    ];

    fn id(self) -> Fact {
        Fact(self as u16)
    }

    fn decl(self) -> FactDecl {
        let (name, within) = match self {
            DoorFact::Admission => ("PamAdmission", None),
            DoorFact::Timed => ("PamAdmissionTimed", Some(DoorFact::Admission)),
            DoorFact::OutsideOfficeHours => ("PamAdmissionOutsideOfficeHours", Some(DoorFact::Timed)),
            DoorFact::OverFive => ("OverFiveAdmissions", None),
            DoorFact::OverTen => ("OverTenAdmissions", Some(DoorFact::OverFive)),
            DoorFact::BothYears => ("RevolvingDoorLastYearToo", None),
        };
        FactDecl {
            name,
            tables: TABLES,
            within: within.map(DoorFact::id),
        }
    }
}

/// Quantity 0: the cost of each acute PAM admission in Y, whole kroner.
const COST: Quantity = Quantity(0);

fn declare() -> ModuleDecl {
    use DoorFact as F;
    let bases = vec![GroupBase {
        id: "door",
        label: Text {
            nb: "Svingdørspasienter",
            en: "Revolving-door patients",
        },
    }];
    const COHORT_NB: &str = "Akutt PAM-innleggelse: sammenslått PHV-døgnopphold med hastegrad akutt og enhet PAM (fra første rad; enhetsnavnene er en innstilling), inndato i året. Svingdørspasient: minst N slike (N = 3, en innstilling; seedens tabell skriver «>3», teksten og spesifikasjonen ≥ 3). Alle aldre; bostedskommune fra personen.";
    const COHORT_EN: &str = "Acute PAM admission: a merged PHV inpatient stay with urgency ACUTE and unit PAM (from its first row; the unit names are a setting), admitted in the year. Revolving-door patient: at least N of them (N = 3, a setting; the seed's table says \">3\", its text and the spec ≥ 3). Any age; municipality of residence from the person.";
    let def = |id: &'static str,
               title: (&'static str, &'static str),
               definition: (&'static str, &'static str),
               unit: Unit,
               numerator: Measure,
               denominator: Option<Measure>,
               scope: Scope| IndicatorDef {
        id,
        module: "door",
        title: Text {
            nb: title.0,
            en: title.1,
        },
        definition: Text {
            nb: definition.0,
            en: definition.1,
        },
        choices: Text {
            nb: COHORT_NB,
            en: COHORT_EN,
        },
        unit,
        numerator,
        denominator,
        tables: TABLES,
        source: "003",
        scope,
    };
    let g = Scope::GroupMembers;
    let indicators = vec![
        def(
            "door.patients",
            ("Svingdørspasienter", "Revolving-door patients"),
            (
                "Personer med minst N akutte PAM-innleggelser i året.",
                "Persons with at least N acute PAM admissions in the year.",
            ),
            Unit::Count,
            Measure::Units,
            None,
            g,
        ),
        def(
            "door.admissions",
            ("Akutte PAM-innleggelser", "Acute PAM admissions"),
            (
                "Svingdørspasientenes akutte PAM-innleggelser i året (et sammenslått opphold er én innleggelse).",
                "The revolving-door patients' acute PAM admissions in the year (a merged stay is one admission).",
            ),
            Unit::Count,
            Measure::Count(F::Admission.id()),
            None,
            g,
        ),
        def(
            "door.admissions_per_patient",
            ("Innleggelser per pasient", "Admissions per patient"),
            ("Innleggelser / svingdørspasienter.", "Admissions / revolving-door patients."),
            Unit::Admissions,
            Measure::Count(F::Admission.id()),
            Some(Measure::Units),
            g,
        ),
        def(
            "door.patients_over_5",
            ("Mer enn 5 innleggelser", "More than 5 admissions"),
            (
                "Svingdørspasienter med mer enn 5 akutte PAM-innleggelser i året.",
                "Revolving-door patients with more than 5 acute PAM admissions in the year.",
            ),
            Unit::Count,
            Measure::UnitsWith(F::OverFive.id()),
            None,
            g,
        ),
        def(
            "door.patients_over_10",
            ("Mer enn 10 innleggelser", "More than 10 admissions"),
            (
                "Svingdørspasienter med mer enn 10 akutte PAM-innleggelser i året.",
                "Revolving-door patients with more than 10 acute PAM admissions in the year.",
            ),
            Unit::Count,
            Measure::UnitsWith(F::OverTen.id()),
            None,
            g,
        ),
        def(
            "door.both_years",
            ("Svingdørspasient begge år", "Revolving-door patient in both years"),
            (
                "Personer som er svingdørspasienter både i året før og i året.",
                "Persons who are revolving-door patients in both the previous year and the year.",
            ),
            Unit::Count,
            Measure::UnitsWith(F::BothYears.id()),
            None,
            g,
        ),
        def(
            "door.outside_office_hours",
            ("Innlagt utenfor kontortid", "Admitted outside office hours"),
            (
                "Alle akutte PAM-innleggelser i året (ikke bare svingdørspasientenes) med innleggelsestid utenfor 08:00–16:00 (16:00 utenfor) / slike innleggelser med innleggelsestid.",
                "All acute PAM admissions in the year (not only the revolving-door patients') with an admission time outside 08:00–16:00 (16:00 outside) / such admissions with an admission time.",
            ),
            Unit::Percent,
            Measure::Count(F::OutsideOfficeHours.id()),
            Some(Measure::Count(F::Timed.id())),
            Scope::AllUnits,
        ),
        def(
            "door.cost",
            ("Kostnad i akuttloopen", "Cost of the acute loop"),
            (
                "Svingdørspasientenes innleggelser × pris per runde i akuttloopen (PAM-døgnpris × gjennomsnittlig liggetid + ambulanse, legevakt og politi; alle priser er innstillinger).",
                "The revolving-door patients' admissions × the price of one round of the acute loop (PAM day price × mean length of stay + ambulance, out-of-hours service and police; every price is a setting).",
            ),
            Unit::Nok,
            Measure::Sum(COST),
            None,
            g,
        ),
        def(
            "door.cost_per_patient",
            ("Kostnad per pasient", "Cost per patient"),
            ("Kostnad / svingdørspasienter.", "Cost / revolving-door patients."),
            Unit::Nok,
            Measure::Sum(COST),
            Some(Measure::Units),
            g,
        ),
    ];
    ModuleDecl {
        id: "door",
        title: Text {
            nb: "Svingdørspasienter",
            en: "Revolving-door patients",
        },
        source: "003",
        unit: CountingUnit::Person,
        tables: TABLES,
        opt_in: false,
        groups: ModuleDecl::grid_groups(&bases, None),
        bases,
        split: None,
        facts: DoorFact::ALL.map(DoorFact::decl).to_vec(),
        quantities: vec![QuantityDecl {
            name: "AdmissionCost",
            tables: TABLES,
        }],
        indicators,
    }
}

/// Whether a merged stay is an acute PAM admission (any year).
pub fn is_acute_pam(
    stay: &Stay,
    tables: &crate::model::Tables,
    settings: &DoorSettings) -> bool {
    stay.sector == Sector::Phv
        && stay.urgency == Some(Urgency::Acute)
        && stay.unit.map(|u| tables.unit_name(u)).is_some_and(|u| {
            settings
                .pam_units
                .iter()
                .any(|p| p.trim().eq_ignore_ascii_case(u.trim()))
        })
}

impl AnalysisModule for Door {
    fn decl(&self) -> &'static ModuleDecl {
        static DECL: std::sync::OnceLock<ModuleDecl> = std::sync::OnceLock::new();
        DECL.get_or_init(declare)
    }

    fn run(&self, input: &Input<'_>) -> ModuleRun {
        let s = &input.settings.door;
        let y = input.year;
        let previous = Year::new(y.year - 1);
        let n = input.tables.persons.len();
        let mut units = Vec::new();
        let mut rows: Vec<(usize, Vec<&Stay>, u32)> = Vec::new();
        for p in 0..n {
            let person = crate::model::PersonIdx(p as u32);
            let pam: Vec<&Stay> = input
                .stays
                .of_person(person)
                .iter()
                .filter(|st| is_acute_pam(st, input.tables, s))
                .collect();
            let in_y: Vec<&Stay> = pam
                .iter()
                .copied()
                .filter(|st| y.contains(st.admit_date))
                .collect();
            if in_y.is_empty() {
                continue;
            }
            let before = previous.as_ref().map_or(0, |py| {
                pam.iter().filter(|st| py.contains(st.admit_date)).count()
            }) as u32;
            units.push(UnitRow {
                leaf: input.leaf_of(person),
                groups: u64::from(in_y.len() as u32 >= s.threshold),
            });
            rows.push((p, in_y, before));
        }
        let mut facts =
            crate::indicator::eval::FactTable::new(units.len(), DoorFact::ALL.len(), 1);
        // Every acute PAM admission of Y by hour of admission (those with a time) and weekday,
        // country level, for the chart of when the acute loop turns.
        let mut by_hour = [0u64; 24];
        let mut by_weekday = [0u64; 7];
        for (unit, (_, in_y, before)) in rows.iter().enumerate() {
            for st in in_y {
                facts.add(unit, DoorFact::Admission.id());
                by_weekday[st.admit_date.weekday().num_days_from_monday() as usize] += 1;
                if let Some(t) = st.admit_time {
                    by_hour[t.hour() as usize] += 1;
                    facts.add(unit, DoorFact::Timed.id());
                    if s.office_hours.is_outside(st.admit_date, t) {
                        facts.add(unit, DoorFact::OutsideOfficeHours.id());
                    }
                }
                let length = days(st.admit_date, st.discharge_date.unwrap_or(y.last));
                facts.add_value(unit, COST, s.cost.admission_cost(length));
            }
            if in_y.len() > 5 {
                facts.add(unit, DoorFact::OverFive.id());
            }
            if in_y.len() > 10 {
                facts.add(unit, DoorFact::OverTen.id());
            }
            if *before >= s.threshold {
                facts.add(unit, DoorFact::BothYears.id());
            }
        }
        let k = input.settings.min_cell;
        let bins = |axis, counts: &[u64]| {
            counts
                .iter()
                .enumerate()
                .map(move |(bin, &n)| SummaryItem {
                    what: SummaryKind::Distribution {
                        axis,
                        bin: bin as u8,
                    },
                    cell: crate::suppress::count_cell(n, k),
                })
                .collect::<Vec<_>>()
        };
        let mut summary = bins(DistributionAxis::HourOfDay, &by_hour);
        summary.extend(bins(DistributionAxis::Weekday, &by_weekday));
        ModuleRun {
            units,
            facts,
            notes: Vec::new(),
            summary,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn admissions_are_counted_by_hour_and_weekday_over_every_unit() {
        use crate::model::{Episode, Person, Tables};
        use crate::stays::tests::dogn;
        let pam = |p: u32, day: &str, time: Option<(u32, u32)>| Episode {
            unit: Some(crate::model::UnitId::new(0)),
            admit_time: time.and_then(|(h, m)| NaiveTime::from_hms_opt(h, m, 0)),
            ..dogn(p, day, Some(day))
        };
        let person = |pid: &str| Person {
            pid: pid.into(),
            birth_year: Some(1980),
            age: None,
            sex: None,
            municipality: None,
            death_date: None,
        };
        // p0: three admissions (a revolving-door patient): Mon 2 Mar 2020 02:10, Mon 9 Mar 16:00,
        // Wed 11 Mar without a time. p1: one, Sun 8 Mar 02:59 (not revolving, still counted).
        let t = Tables {
            persons: vec![person("a"), person("b")],
            episodes: Some(vec![
                pam(0, "2020-03-02", Some((2, 10))),
                pam(0, "2020-03-09", Some((16, 0))),
                pam(0, "2020-03-11", None),
                pam(1, "2020-03-08", Some((2, 59))),
            ]),
            units: vec!["pam".into()],
            ..Tables::default()
        };
        let s = crate::Settings {
            min_cell: 0,
            modules: Some(vec!["door".into()]),
            ..crate::Settings::for_year(2020)
        };
        let r = crate::analyse(&t, &s);
        let summary = &r.module("door").unwrap().summary;
        let bin = |axis, bin| {
            summary
                .iter()
                .find(|i| i.what == SummaryKind::Distribution { axis, bin })
                .and_then(|i| i.cell.value())
        };
        assert_eq!(summary.len(), 24 + 7);
        // Hours: 02 → 2 (02:10, 02:59), 16 → 1; the untimed one in no hour.
        assert_eq!(bin(DistributionAxis::HourOfDay, 2), Some(2.0));
        assert_eq!(bin(DistributionAxis::HourOfDay, 16), Some(1.0));
        assert_eq!(bin(DistributionAxis::HourOfDay, 8), Some(0.0));
        // Weekdays (Monday = 0): Monday 2, Wednesday 1, Sunday 1.
        assert_eq!(bin(DistributionAxis::Weekday, 0), Some(2.0));
        assert_eq!(bin(DistributionAxis::Weekday, 2), Some(1.0));
        assert_eq!(bin(DistributionAxis::Weekday, 6), Some(1.0));
        // With k = 5 every bin here is suppressed.
        let r5 = crate::analyse(&t, &crate::Settings { min_cell: 5, ..s });
        assert!(r5.module("door").unwrap().summary.iter().all(|i| i.cell.is_suppressed()));
    }

    #[test]
    fn office_hours_are_08_to_16_with_16_outside() {
        let h = OfficeHours::default();
        let t = |hh, mm| NaiveTime::from_hms_opt(hh, mm, 0).unwrap();
        // Wednesday 2020-03-04.
        let wed = NaiveDate::from_ymd_opt(2020, 3, 4).unwrap();
        assert!(h.is_outside(wed, t(0, 0))); // midnight
        assert!(h.is_outside(wed, t(7, 59)));
        assert!(!h.is_outside(wed, t(8, 0)));
        assert!(!h.is_outside(wed, t(15, 59)));
        assert!(h.is_outside(wed, t(16, 0)));
        // Saturday 2020-03-07 at 10:00: inside, unless weekends count as outside.
        let sat = NaiveDate::from_ymd_opt(2020, 3, 7).unwrap();
        assert!(!h.is_outside(sat, t(10, 0)));
        let w = OfficeHours {
            weekends_outside: true,
            ..OfficeHours::default()
        };
        assert!(w.is_outside(sat, t(10, 0)));
        assert!(!w.is_outside(wed, t(10, 0)));
    }
}
