//! Patient flows (indicators.md §4, "Flows"; seeds 000 and 004): who admits or refers the
//! cohorts' patients to which care level, and where their inpatient stays end — the numbers
//! behind the Sankey charts of referral → stay → destination.
//!
//! Unit: a person of SMI(Y) with their PHV rows (under the person's SMI base groups), or a person
//! of READY(Y) with their SOM rows (group `ready`); a person in both is two units. Counted: a
//! merged inpatient stay admitted in Y (its first row's referrer), a day or outpatient row with
//! admit_date in Y (care level 8 never), and a merged inpatient stay discharged in Y (its last
//! row's destination). Counting per person keeps the fact table small (not one row per contact).

#[path = "flow/sql.rs"]
pub(crate) mod sql;

use crate::indicator::{IndicatorDef, Measure, Scope, Unit};
use crate::model::{CareLevel, DischargedTo, PersonIdx, ReferredBy, Sector, TableKind};
use crate::module::{
    AnalysisModule, CountingUnit, Fact, FactDecl, Input, ModuleDecl, ModuleRun, UnitRow,
};
use crate::modules::pathways::cohorts::{self, Cohorts};
use crate::text::{leak, Text};

/// The module.
pub struct Flow;

/// The registered instance.
pub static MODULE: Flow = Flow;

const TABLES: &[TableKind] = &[TableKind::Persons, TableKind::Episodes];

/// Referrers, with "not given" last.
const REFERRERS: [(Option<ReferredBy>, &str, &str, &str); 5] = [
    (Some(ReferredBy::Gp), "gp", "fastlege", "GP"),
    (Some(ReferredBy::OutOfHours), "out_of_hours", "legevakt", "out-of-hours service"),
    (Some(ReferredBy::Specialist), "specialist", "spesialist", "specialist"),
    (Some(ReferredBy::Other), "other", "annen", "other"),
    (None, "unknown", "ikke oppgitt", "not given"),
];

/// Care levels of an admission or contact.
const LEVELS: [(CareLevel, &str, &str, &str); 3] = [
    (CareLevel::Dogn, "inpatient", "døgnopphold", "inpatient stay"),
    (CareLevel::Dag, "day", "dagbehandling", "day treatment"),
    (CareLevel::Pol, "outpatient", "poliklinisk kontakt", "outpatient contact"),
];

/// Destinations, with "not given" last.
const DESTINATIONS: [(Option<DischargedTo>, &str, &str, &str); 7] = [
    (Some(DischargedTo::Home), "home", "hjem", "home"),
    (Some(DischargedTo::HomeWithServices), "home_with_services", "hjem med tjenester", "home with services"),
    (Some(DischargedTo::NursingHome), "nursing_home", "sykehjem", "nursing home"),
    (Some(DischargedTo::OtherInstitution), "other_institution", "annen institusjon", "another institution"),
    (Some(DischargedTo::Dead), "dead", "død", "died"),
    (Some(DischargedTo::Other), "other", "annet", "other"),
    (None, "unknown", "ikke oppgitt", "not given"),
];

fn admission_fact(r: usize, l: usize) -> Fact {
    Fact((r * LEVELS.len() + l) as u16)
}

fn discharge_fact(d: usize) -> Fact {
    Fact((REFERRERS.len() * LEVELS.len() + d) as u16)
}

const CHOICES_NB: &str = "Kohortene som i forløpsmodulen: PHV-rader for personer i SMI(året) under deres SMI-grupper (uten rusdeling), SOM-rader for personer i READY(året) under «ready». Innleggelse: sammenslått døgnopphold med inndato i året (henviser fra første rad); dag- og poliklinikkrader med inndato i året hver for seg; utskrivning: sammenslått døgnopphold utskrevet i året (destinasjon fra raden som slutter sist). Omsorgsnivå 8 telles ikke.";
const CHOICES_EN: &str = "The cohorts as in the pathway module: PHV rows of persons in SMI(year) under their SMI groups (no substance split), SOM rows of persons in READY(year) under \"ready\". Admission: a merged inpatient stay admitted in the year (referrer from its first row); day and outpatient rows admitted in the year each on their own; discharge: a merged inpatient stay discharged in the year (destination from the row that ends last). Care level 8 is not counted.";

fn declare() -> ModuleDecl {
    let bases = cohorts::bases();
    let choices = Text {
        nb: CHOICES_NB,
        en: CHOICES_EN,
    };
    let count = |id: String, title: (String, String), definition: (String, String), f: Fact| {
        IndicatorDef {
            id: leak(id),
            module: "flow",
            title: Text {
                nb: leak(title.0),
                en: leak(title.1),
            },
            definition: Text {
                nb: leak(definition.0),
                en: leak(definition.1),
            },
            choices,
            unit: Unit::Count,
            numerator: Measure::Count(f),
            denominator: None,
            tables: TABLES,
            source: "000, 004",
            scope: Scope::GroupMembers,
        }
    };
    let mut facts = Vec::new();
    let mut indicators = Vec::new();
    for (r, (_, rid, rnb, ren)) in REFERRERS.iter().enumerate() {
        for (l, (_, lid, lnb, len)) in LEVELS.iter().enumerate() {
            facts.push(FactDecl {
                name: leak(format!("Admitted_{rid}_{lid}")),
                tables: TABLES,
                within: None,
            });
            indicators.push(count(
                format!("flow.{rid}_to_{lid}"),
                (format!("Henvist av {rnb}: {lnb}"), format!("Referred by {ren}: {len}")),
                (
                    format!("Innleggelser og kontakter i året med henviser «{rnb}» og omsorgsnivå «{lnb}»."),
                    format!("Admissions and contacts in the year referred by \"{ren}\" at care level \"{len}\"."),
                ),
                admission_fact(r, l),
            ));
        }
    }
    for (d, (_, did, dnb, den)) in DESTINATIONS.iter().enumerate() {
        facts.push(FactDecl {
            name: leak(format!("Discharged_{did}")),
            tables: TABLES,
            within: None,
        });
        indicators.push(count(
            format!("flow.discharged_{did}"),
            (format!("Utskrevet til {dnb}"), format!("Discharged: {den}")),
            (
                format!("Døgnopphold utskrevet i året med destinasjon «{dnb}»."),
                format!("Inpatient stays discharged in the year with destination \"{den}\"."),
            ),
            discharge_fact(d),
        ));
    }
    ModuleDecl {
        id: "flow",
        title: Text {
            nb: "Pasientstrømmer",
            en: "Patient flows",
        },
        source: "000, 004",
        unit: CountingUnit::Person,
        tables: TABLES,
        opt_in: false,
        groups: ModuleDecl::grid_groups(&bases, None),
        bases,
        split: None,
        facts,
        quantities: Vec::new(),
        indicators,
    }
}

impl AnalysisModule for Flow {
    fn decl(&self) -> &'static ModuleDecl {
        static DECL: std::sync::OnceLock<ModuleDecl> = std::sync::OnceLock::new();
        DECL.get_or_init(declare)
    }

    fn run(&self, input: &Input<'_>) -> ModuleRun {
        let tables = input.tables;
        let y = input.year;
        let n = tables.persons.len();
        let cohorts = Cohorts::build(input);
        let groups_of = |p: PersonIdx, sector: Sector| cohorts.groups(p, sector);
        let referrer = |r: Option<ReferredBy>| {
            REFERRERS
                .iter()
                .position(|x| x.0 == r)
                .unwrap_or(REFERRERS.len() - 1)
        };
        // A unit per (person, sector) with groups: PHV for SMI(Y), SOM for READY(Y).
        let mut unit_of = vec![[u32::MAX; 2]; n];
        let mut units = Vec::new();
        let mut unit = |p: PersonIdx, sector: Sector| -> Option<usize> {
            let side = match sector {
                Sector::Phv => 0,
                Sector::Som => 1,
                _ => return None,
            };
            let slot = &mut unit_of[p.0 as usize][side];
            if *slot == u32::MAX {
                let groups = groups_of(p, sector);
                if groups == 0 {
                    return None;
                }
                *slot = units.len() as u32;
                units.push(UnitRow {
                    leaf: input.leaf_of(p),
                    groups,
                });
            }
            Some(*slot as usize)
        };
        // (unit, fact) of every admission, contact and discharge.
        let mut events: Vec<(u32, Fact)> = Vec::new();
        for st in input.stays.all() {
            let Some(u) = unit(st.person, st.sector) else {
                continue;
            };
            if y.contains(st.admit_date) {
                events.push((u as u32, admission_fact(referrer(st.referred_by), 0)));
            }
            if st.discharge_date.is_some_and(|d| y.contains(d)) {
                let d = DESTINATIONS
                    .iter()
                    .position(|x| x.0 == st.discharged_to)
                    .unwrap_or(DESTINATIONS.len() - 1);
                events.push((u as u32, discharge_fact(d)));
            }
        }
        crate::stays::each_row(tables.episodes.as_deref().unwrap_or(&[]), |e| {
            let level = match e.care_level {
                CareLevel::Dag => 1,
                CareLevel::Pol => 2,
                CareLevel::Dogn | CareLevel::PolForInpatient => return,
            };
            if !y.contains(e.admit_date) {
                return;
            }
            if let Some(u) = unit(e.person, e.sector) {
                events.push((u as u32, admission_fact(referrer(e.referred_by), level)));
            }
        });
        let n_facts = REFERRERS.len() * LEVELS.len() + DESTINATIONS.len();
        let mut facts = crate::indicator::eval::FactTable::new(units.len(), n_facts, 0);
        for (u, f) in events {
            facts.add(u as usize, f);
        }
        ModuleRun {
            units,
            facts,
            notes: Vec::new(),
            summary: Vec::new(),
        }
    }
}
