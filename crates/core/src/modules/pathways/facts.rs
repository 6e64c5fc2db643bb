//! The discharges followed and, for each window, whether it is complete within the data and
//! what followed inside it.

use crate::model::{CareLevel, DischargedTo, PersonIdx, Provider, Sector, ServiceCode, TableKind, Urgency};
use crate::module::{Fact, FactDecl, Input, ModuleRun, UnitRow};
use super::cohorts::Cohorts;
use crate::stays::each_row;
use chrono::{Datelike, Days, NaiveDate};

/// The windows of indicators.md §4, in days.
pub(super) const WINDOWS: [u32; 6] = [3, 7, 14, 30, 90, 365];

/// What can follow a discharge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Follow {
    /// A POL contact in the same sector.
    Outpatient,
    /// A primary-care row with provider GP.
    Gp,
    /// An out-of-hours row.
    Oohs,
    /// A HOME_HEALTH period overlapping the window.
    HomeHealth,
    /// Any decision-bound municipal service period overlapping the window.
    AnyMunicipal,
    /// An ACUTE inpatient admission (merged stay) in the same sector.
    Readmitted,
}

impl Follow {
    /// In the order of the spec's table.
    pub(super) const ALL: [Follow; 6] = [
        Follow::Outpatient,
        Follow::Gp,
        Follow::Oohs,
        Follow::HomeHealth,
        Follow::AnyMunicipal,
        Follow::Readmitted,
    ];

    /// The id's stem: `path.<id>_<W>`.
    pub(super) fn id(self) -> &'static str {
        match self {
            Follow::Outpatient => "outpatient",
            Follow::Gp => "gp",
            Follow::Oohs => "oohs",
            Follow::HomeHealth => "home_health",
            Follow::AnyMunicipal => "any_municipal",
            Follow::Readmitted => "readmitted",
        }
    }

    /// Title stem.
    pub(super) fn title(self) -> crate::text::Text {
        let (nb, en) = match self {
            Follow::Outpatient => ("Poliklinisk kontakt", "Outpatient contact"),
            Follow::Gp => ("Fastlegekontakt", "GP contact"),
            Follow::Oohs => ("Legevaktkontakt", "Out-of-hours contact"),
            Follow::HomeHealth => ("Hjemmesykepleie", "Home nursing"),
            Follow::AnyMunicipal => ("Kommunal tjeneste", "Municipal service"),
            Follow::Readmitted => ("Akutt reinnleggelse", "Acute readmission"),
        };
        crate::text::Text { nb, en }
    }

    /// What counts, in words, for the definition.
    pub(super) fn what(self) -> (&'static str, &'static str) {
        match self {
            Follow::Outpatient => (
                "en poliklinisk kontakt (inndato) i samme sektor",
                "an outpatient contact (admit date) in the same sector",
            ),
            Follow::Gp => ("en fastlegerad (alle kontakttyper)", "a GP row (any contact type)"),
            Follow::Oohs => ("en legevaktrad", "an out-of-hours row"),
            Follow::HomeHealth => (
                "en HOME_HEALTH-periode som overlapper vinduet",
                "a HOME_HEALTH period overlapping the window",
            ),
            Follow::AnyMunicipal => (
                "en vedtaksbasert kommunal tjeneste som overlapper vinduet",
                "a decision-bound municipal service overlapping the window",
            ),
            Follow::Readmitted => (
                "en akutt døgninnleggelse (sammenslått opphold) i samme sektor",
                "an ACUTE inpatient admission (merged stay) in the same sector",
            ),
        }
    }

    /// The table it needs beyond persons and episodes.
    pub(super) fn table(self) -> Option<TableKind> {
        match self {
            Follow::Outpatient | Follow::Readmitted => None,
            Follow::Gp | Follow::Oohs => Some(TableKind::PrimaryCare),
            Follow::HomeHealth | Follow::AnyMunicipal => Some(TableKind::MunicipalServices),
        }
    }
}

/// The facts of one discharge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PathFact {
    /// The window of W days lies within the data.
    Complete(u32),
    /// It does not (left out, counted).
    Censored(u32),
    /// The window is complete and this followed inside it.
    Followed(u32, Follow),
}

/// Every fact, in index order: per window, complete, censored and the six follow-ups.
pub(super) fn all_facts() -> Vec<PathFact> {
    let mut v = Vec::new();
    for w in WINDOWS {
        v.push(PathFact::Complete(w));
        v.push(PathFact::Censored(w));
        v.extend(Follow::ALL.map(|f| PathFact::Followed(w, f)));
    }
    v
}

impl PathFact {
    /// Position in the fact row.
    pub(super) fn id(self) -> Fact {
        let per_window = 2 + Follow::ALL.len();
        let (w, offset) = match self {
            PathFact::Complete(w) => (w, 0),
            PathFact::Censored(w) => (w, 1),
            PathFact::Followed(w, f) => (w, 2 + Follow::ALL.iter().position(|x| *x == f).unwrap_or(0)),
        };
        let wi = WINDOWS.iter().position(|x| *x == w).unwrap_or(0);
        Fact((wi * per_window + offset) as u16)
    }

    /// Name, tables and the fact it lies within.
    pub(super) fn decl(self) -> FactDecl {
        let (name, tables, within): (String, &'static [TableKind], _) = match self {
            PathFact::Complete(w) => (format!("WindowComplete{w}"), &[TableKind::Episodes], None),
            PathFact::Censored(w) => (format!("WindowCensored{w}"), &[TableKind::Episodes], None),
            PathFact::Followed(w, f) => (
                format!("{:?}{w}", f),
                match f.table() {
                    None => &[TableKind::Episodes],
                    Some(TableKind::PrimaryCare) => &[TableKind::Episodes, TableKind::PrimaryCare],
                    Some(_) => &[TableKind::Episodes, TableKind::MunicipalServices],
                },
                Some(PathFact::Complete(w).id()),
            ),
        };
        FactDecl {
            name: crate::text::leak(name),
            tables,
            within,
        }
    }
}

/// A discharge to follow: the person, the sector, the discharge date, its group bits.
struct Discharge {
    person: PersonIdx,
    sector: Sector,
    date: NaiveDate,
    groups: u64,
}

/// The default data end: 31 December of the latest year in which any episode has its admit_date.
pub(crate) fn default_data_end(tables: &crate::model::Tables) -> Option<NaiveDate> {
    let mut latest: Option<NaiveDate> = None;
    each_row(tables.episodes.as_deref().unwrap_or(&[]), |e| {
        latest = latest.max(Some(e.admit_date));
    });
    NaiveDate::from_ymd_opt(latest?.year(), 12, 31)
}

/// The followed discharges as units, with their facts.
pub(super) fn run(input: &Input<'_>) -> ModuleRun {
    let y = input.year;
    let tables = input.tables;
    let n = tables.persons.len();
    let cohorts = Cohorts::build(input);
    let data_end = input
        .settings
        .pathways
        .data_end
        .or_else(|| default_data_end(input.tables));

    let mut discharges = Vec::new();
    for p in 0..n {
        let person = PersonIdx(p as u32);
        let death = tables.persons[p].death_date;
        for st in input.stays.of_person(person) {
            let Some(date) = st.discharge_date else {
                continue;
            };
            if !y.contains(date)
                || st.discharged_to == Some(DischargedTo::Dead)
                || death.is_some_and(|d| d <= date)
            {
                continue;
            }
            // A SOM discharge is followed only when the stay itself has a ready date.
            let groups = if st.sector == Sector::Som && st.ready_date.is_none() {
                0
            } else {
                cohorts.groups(person, st.sector)
            };
            if groups != 0 {
                discharges.push(Discharge {
                    person,
                    sector: st.sector,
                    date,
                    groups,
                });
            }
        }
    }

    // What may follow, for the persons with a followed discharge only: outpatient contacts per
    // sector, primary-care rows, service periods.
    let mut followed_person = vec![false; n];
    for d in &discharges {
        followed_person[d.person.0 as usize] = true;
    }
    let wanted = |p: PersonIdx| followed_person.get(p.0 as usize).copied().unwrap_or(false);
    let mut pol: Vec<Vec<(Sector, NaiveDate)>> = vec![Vec::new(); n];
    each_row(tables.episodes.as_deref().unwrap_or(&[]), |e| {
        if e.care_level == CareLevel::Pol && wanted(e.person) {
            pol[e.person.0 as usize].push((e.sector, e.admit_date));
        }
    });
    let mut primary: Vec<Vec<(Provider, NaiveDate)>> = vec![Vec::new(); n];
    each_row(tables.primary_care.as_deref().unwrap_or(&[]), |r| {
        if wanted(r.person) {
            primary[r.person.0 as usize].push((r.provider, r.date));
        }
    });
    let mut services: Vec<Vec<(ServiceCode, NaiveDate, Option<NaiveDate>)>> = vec![Vec::new(); n];
    for r in tables.municipal_services.iter().flatten() {
        if wanted(r.person) {
            services[r.person.0 as usize].push((r.service, r.start_date, r.end_date));
        }
    }

    let facts_n = all_facts().len();
    let mut facts = crate::indicator::eval::FactTable::new(discharges.len(), facts_n, 0);
    let mut units = Vec::with_capacity(discharges.len());
    each_row(&discharges, |d| {
        let u = units.len();
        units.push(UnitRow {
            leaf: input.leaf_of(d.person),
            groups: d.groups,
        });
        let p = d.person.0 as usize;
        let Some(first) = d.date.checked_add_days(Days::new(1)) else {
            return;
        };
        // Per follow-up, the earliest day from `first` on on which it is there (a row dated then,
        // or a service running then): it follows within a window iff that day is at most the
        // window's last — worked out once for the six windows.
        let earliest = |f: Follow| -> Option<NaiveDate> {
            match f {
                Follow::Outpatient => pol[p]
                    .iter()
                    .filter(|&&(s, a)| s == d.sector && a >= first)
                    .map(|&(_, a)| a)
                    .min(),
                Follow::Gp => primary[p]
                    .iter()
                    .filter(|&&(pr, a)| pr == Provider::Gp && a >= first)
                    .map(|&(_, a)| a)
                    .min(),
                Follow::Oohs => primary[p]
                    .iter()
                    .filter(|&&(pr, a)| pr == Provider::OutOfHours && a >= first)
                    .map(|&(_, a)| a)
                    .min(),
                // A period start..end overlaps first..last iff start ≤ last and it has not
                // ended before first.
                Follow::HomeHealth => services[p]
                    .iter()
                    .filter(|&&(c, _, e)| {
                        c == ServiceCode::HomeHealth && e.is_none_or(|e| e >= first)
                    })
                    .map(|&(_, s, _)| s)
                    .min(),
                Follow::AnyMunicipal => services[p]
                    .iter()
                    .filter(|&&(c, _, e)| c.is_decision_bound() && e.is_none_or(|e| e >= first))
                    .map(|&(_, s, _)| s)
                    .min(),
                Follow::Readmitted => input
                    .stays
                    .of_person(d.person)
                    .iter()
                    .filter(|st| {
                        st.sector == d.sector
                            && st.urgency == Some(Urgency::Acute)
                            && st.admit_date >= first
                    })
                    .map(|st| st.admit_date)
                    .min(),
            }
        };
        let earliest = Follow::ALL.map(|f| (f, earliest(f)));
        for w in WINDOWS {
            let Some(last) = d.date.checked_add_days(Days::new(u64::from(w))) else {
                continue;
            };
            if data_end.is_none_or(|end| last > end) {
                facts.add(u, PathFact::Censored(w).id());
                continue;
            }
            facts.add(u, PathFact::Complete(w).id());
            for &(f, day) in &earliest {
                if day.is_some_and(|day| day <= last) {
                    facts.add(u, PathFact::Followed(w, f).id());
                }
            }
        }
    });
    ModuleRun {
        units,
        facts,
        notes: Vec::new(),
        summary: Vec::new(),
    }
}
