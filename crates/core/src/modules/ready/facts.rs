//! READY(Y) and each person's facts: the stays that make the cohort, their overdue and
//! treatment days, readmissions, discharge letters, municipal services, and a new long-term
//! stay with what came before and after it.

use crate::model::{PersonIdx, Sector, ServiceCode, TableKind, Urgency};
use crate::module::{Fact, FactDecl, Input, ModuleRun, Quantity, UnitRow};
use crate::stays::{days, Stay};
use chrono::{Days, NaiveDate};

/// What is counted per person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ReadyFact {
    /// A SOM inpatient stay with a ready date, discharged in Y.
    Stay,
    /// … with zero overdue days.
    StayWithoutOverdue,
    /// The person has such a stay discharged 1 Jan … 31 Dec − (window + 1).
    ReadmissionIndex,
    /// … followed by an acute SOM inpatient admission 1 … window days later.
    Readmission,
    /// A cohort stay with a letter date.
    LetterStay,
    /// … with the letter ≤ discharge + 1 day.
    LetterWithin1d,
    /// A municipal service period of this code overlapping Y.
    Service(ServiceCode),
    /// A decision-bound municipal service period overlapping Y.
    AnyMunicipalService,
    /// A new LONG_TERM_STAY starting in Y.
    NewLongTermStay,
    /// A SOM inpatient stay admitted before the new long-term stay's start.
    StayBeforeLongTerm,
    /// … on or after it.
    StayAfterLongTerm,
    /// A SHORT_STAY_* period starting before the new long-term stay's start.
    ShortStayBeforeLongTerm,
}

const PLAIN: [ReadyFact; 11] = [
    ReadyFact::Stay,
    ReadyFact::StayWithoutOverdue,
    ReadyFact::ReadmissionIndex,
    ReadyFact::Readmission,
    ReadyFact::LetterStay,
    ReadyFact::LetterWithin1d,
    ReadyFact::AnyMunicipalService,
    ReadyFact::NewLongTermStay,
    ReadyFact::StayBeforeLongTerm,
    ReadyFact::StayAfterLongTerm,
    ReadyFact::ShortStayBeforeLongTerm,
];

/// Every fact, in index order.
pub(super) fn all_facts() -> Vec<ReadyFact> {
    let mut v = PLAIN.to_vec();
    v.extend(ServiceCode::ALL.map(ReadyFact::Service));
    v
}

impl ReadyFact {
    /// Position in the fact row.
    pub(super) fn id(self) -> Fact {
        let i = match self {
            ReadyFact::Service(code) => {
                PLAIN.len() + ServiceCode::ALL.iter().position(|c| *c == code).unwrap_or(0)
            }
            f => PLAIN.iter().position(|p| *p == f).unwrap_or(0),
        };
        Fact(i as u16)
    }

    /// Name, tables and the fact it lies within.
    pub(super) fn decl(self) -> FactDecl {
        use ReadyFact as F;
        const EP: &[TableKind] = &[TableKind::Episodes];
        const MS: &[TableKind] = &[TableKind::Episodes, TableKind::MunicipalServices];
        let (tables, within) = match self {
            F::Stay | F::ReadmissionIndex | F::LetterStay => (EP, None),
            F::StayWithoutOverdue => (EP, Some(F::Stay)),
            F::Readmission => (EP, Some(F::ReadmissionIndex)),
            F::LetterWithin1d => (EP, Some(F::LetterStay)),
            F::Service(_) | F::AnyMunicipalService | F::NewLongTermStay => (MS, None),
            F::StayBeforeLongTerm | F::StayAfterLongTerm | F::ShortStayBeforeLongTerm => (MS, None),
        };
        FactDecl {
            name: match self {
                F::Service(code) => crate::text::leak(format!("Service({})", code.code())),
                f => crate::text::leak(format!("{f:?}")),
            },
            tables,
            within: within.map(F::id),
        }
    }
}

/// The per-occurrence numbers of a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ReadyQuantity {
    /// max(0, days(ready_date, discharge_date)) of each cohort stay.
    OverdueDays,
    /// max(0, days(admit_date, ready_date)) of each cohort stay.
    TreatmentDays,
    /// Bed days of each SOM stay before a new long-term stay.
    BedDaysBeforeLongTerm,
    /// … on or after it.
    BedDaysAfterLongTerm,
    /// Overdue days of each SOM stay before a new long-term stay.
    OverdueBeforeLongTerm,
    /// … on or after it.
    OverdueAfterLongTerm,
}

impl ReadyQuantity {
    /// Every quantity, in index order.
    pub(super) const ALL: [ReadyQuantity; 6] = [
        ReadyQuantity::OverdueDays,
        ReadyQuantity::TreatmentDays,
        ReadyQuantity::BedDaysBeforeLongTerm,
        ReadyQuantity::BedDaysAfterLongTerm,
        ReadyQuantity::OverdueBeforeLongTerm,
        ReadyQuantity::OverdueAfterLongTerm,
    ];

    /// Position.
    pub(super) fn id(self) -> Quantity {
        Quantity(self as u16)
    }

    /// Name in the generated docs.
    pub(super) fn name(self) -> &'static str {
        crate::text::leak(format!("{self:?}"))
    }

    /// Tables read.
    pub(super) fn tables(self) -> &'static [TableKind] {
        match self {
            ReadyQuantity::OverdueDays | ReadyQuantity::TreatmentDays => &[TableKind::Episodes],
            _ => &[TableKind::Episodes, TableKind::MunicipalServices],
        }
    }
}

fn overdue_days(st: &Stay) -> Option<i64> {
    Some(days(st.ready_date?, st.discharge_date?).max(0))
}

/// The start of the person's first new LONG_TERM_STAY in Y: a period starting in Y that no other
/// LONG_TERM_STAY period of the person covers the day before.
fn new_long_term_start(
    periods: &[&crate::model::MunicipalService],
    y: &crate::stays::Year,
) -> Option<NaiveDate> {
    let lts: Vec<_> = periods
        .iter()
        .filter(|r| r.service == ServiceCode::LongTermStay)
        .collect();
    lts.iter()
        .filter(|r| y.contains(r.start_date))
        .filter(|r| {
            let Some(day_before) = r.start_date.pred_opt() else {
                return true;
            };
            !lts.iter().any(|o| {
                o.start_date <= day_before && o.end_date.is_none_or(|end| end >= day_before)
            })
        })
        .map(|r| r.start_date)
        .min()
}

/// READY(Y), one unit per person, and their facts.
pub(super) fn run(input: &Input<'_>) -> ModuleRun {
    use ReadyFact as F;
    use ReadyQuantity as Q;
    let y = input.year;
    let settings = &input.settings.ready.readmission;
    let n = input.tables.persons.len();
    // Municipal service periods by person.
    let mut services: Vec<Vec<&crate::model::MunicipalService>> = vec![Vec::new(); n];
    for r in input.tables.municipal_services.iter().flatten() {
        if let Some(v) = services.get_mut(r.person.0 as usize) {
            v.push(r);
        }
    }
    let with_services = input.tables.municipal_services.is_some();
    let last_index = y
        .last
        .checked_sub_days(Days::new(u64::from(settings.window_days) + 1));
    let window = Days::new(u64::from(settings.window_days));

    let facts_n = all_facts().len();
    let mut units = Vec::new();
    let mut rows: Vec<(PersonIdx, Vec<&Stay>)> = Vec::new();
    for p in 0..n {
        let person = PersonIdx(p as u32);
        let som: Vec<&Stay> = input
            .stays
            .of_person(person)
            .iter()
            .filter(|st| st.sector == Sector::Som)
            .collect();
        if som
            .iter()
            .any(|st| st.ready_date.is_some() && st.discharge_date.is_some_and(|d| y.contains(d)))
        {
            rows.push((person, som));
        }
    }
    let mut facts = crate::indicator::eval::FactTable::new(rows.len(), facts_n, Q::ALL.len());
    for (u, (person, som)) in rows.iter().enumerate() {
        units.push(UnitRow {
            leaf: input.leaf_of(*person),
            groups: 1,
        });
        facts.set_person(u, *person);
        let death = input.tables.persons[person.0 as usize].death_date;
        let mut index = false;
        let mut readmitted = false;
        for (i, st) in som.iter().enumerate() {
            let (Some(ready), Some(disc)) = (st.ready_date, st.discharge_date) else {
                continue;
            };
            if !y.contains(disc) {
                continue;
            }
            facts.add(u, F::Stay.id());
            let overdue = overdue_days(st).unwrap_or(0);
            facts.add_value(u, Q::OverdueDays.id(), overdue);
            if overdue == 0 {
                facts.add(u, F::StayWithoutOverdue.id());
            }
            facts.add_value(u, Q::TreatmentDays.id(), days(st.admit_date, ready).max(0));
            if let Some(letter) = st.letter_date {
                facts.add(u, F::LetterStay.id());
                if days(disc, letter) <= 1 {
                    facts.add(u, F::LetterWithin1d.id());
                }
            }
            let is_index = last_index.is_some_and(|l| disc <= l)
                && !(settings.exclude_death_within_window
                    && death.is_some_and(|d| disc.checked_add_days(window).is_none_or(|e| d <= e)));
            if is_index {
                index = true;
                readmitted |= som[i + 1..].iter().any(|next| {
                    let gap = days(disc, next.admit_date);
                    (1..=i64::from(settings.window_days)).contains(&gap)
                        && (!settings.acute_only || next.urgency == Some(Urgency::Acute))
                });
            }
        }
        if index {
            facts.add(u, F::ReadmissionIndex.id());
        }
        if readmitted {
            facts.add(u, F::Readmission.id());
        }
        if !with_services {
            continue;
        }
        let periods = &services[person.0 as usize];
        let mut any = false;
        let mut seen = [false; ServiceCode::ALL.len()];
        for r in periods {
            if !y.overlaps(r.start_date, r.end_date) {
                continue;
            }
            let i = ServiceCode::ALL.iter().position(|c| *c == r.service).unwrap_or(0);
            if !seen[i] {
                seen[i] = true;
                facts.add(u, F::Service(r.service).id());
            }
            any |= r.service.is_decision_bound();
        }
        if any {
            facts.add(u, F::AnyMunicipalService.id());
        }
        let Some(start) = new_long_term_start(periods, y) else {
            continue;
        };
        facts.add(u, F::NewLongTermStay.id());
        // The stays of Y: a stay belongs to the year of its discharge (§2), so the figures for Y
        // do not depend on how many years the extract holds.
        for st in som
            .iter()
            .filter(|st| st.discharge_date.is_some_and(|d| y.contains(d)))
        {
            let bed_days = st.discharge_date.map_or(0, |d| days(st.admit_date, d).max(0));
            let overdue = overdue_days(st).unwrap_or(0);
            if st.admit_date < start {
                facts.add(u, F::StayBeforeLongTerm.id());
                facts.add_value(u, Q::BedDaysBeforeLongTerm.id(), bed_days);
                facts.add_value(u, Q::OverdueBeforeLongTerm.id(), overdue);
            } else {
                facts.add(u, F::StayAfterLongTerm.id());
                facts.add_value(u, Q::BedDaysAfterLongTerm.id(), bed_days);
                facts.add_value(u, Q::OverdueAfterLongTerm.id(), overdue);
            }
        }
        for r in periods {
            if matches!(
                r.service,
                ServiceCode::ShortStayTreatment | ServiceCode::ShortStayOther
            ) && r.start_date < start
            {
                facts.add(u, F::ShortStayBeforeLongTerm.id());
            }
        }
    }
    ModuleRun {
        units,
        facts,
        notes: Vec::new(),
        summary: Vec::new(),
    }
}
