//! §4 Pathways after discharge (seeds 000 and 004): what follows a hospital discharge within
//! 3, 7, 14, 30, 90 and 365 days — an outpatient contact, the GP, the out-of-hours service, home
//! nursing, any municipal service, an acute readmission.
//!
//! Unit: a discharge that is followed — a merged PHV inpatient stay discharged in Y of a person
//! in SMI(Y) (groups `all`, `schizophrenia`, `bipolar`, `depression`, `personality`, without the
//! substance split), or a merged SOM inpatient stay with a ready date discharged in Y (group
//! `ready`). A discharge to DEAD, or of a person who died on or before the discharge date, is not
//! followed. A discharge whose window runs past the data's end date is left out of numerator and
//! denominator and counted in `path.censored_W`.

pub(crate) mod cohorts;
mod facts;
pub(crate) use facts::default_data_end;
pub(crate) mod sql;

use crate::indicator::{IndicatorDef, Measure, Scope, Unit};
use crate::model::TableKind;
use crate::module::{AnalysisModule, CountingUnit, Input, ModuleDecl, ModuleRun};
use crate::text::{leak, Text};
use chrono::NaiveDate;
use facts::{Follow, PathFact, WINDOWS};
use serde::{Deserialize, Serialize};

/// The pathway module's settings (`settings.pathways`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct PathwaySettings {
    /// Last day the data covers; `None` = 31 December of the latest year in which any episode
    /// has its admit_date (extracts are whole calendar years).
    pub data_end: Option<NaiveDate>,
}

/// The module.
pub struct Pathways;

/// The registered instance.
pub static MODULE: Pathways = Pathways;

const TABLES: &[TableKind] = &[TableKind::Persons, TableKind::Episodes];

const COHORT_NB: &str = "Utskrivninger som følges: sammenslåtte PHV-døgnopphold utskrevet i året for personer i SMI(året), under personens SMI-grupper (uten rusdeling), og sammenslåtte SOM-døgnopphold med utskrivningsklar-dato utskrevet i året (gruppe «ready»). Ikke fulgt: utskrevet til DEAD, eller personen døde på eller før utskrivningsdagen. Vinduet er dagene utskrivning + 1 … utskrivning + W. Nevner: utskrivninger der hele vinduet ligger på eller før datasettets sluttdato (innstilling; standard 31. des i siste år med en inndato); de andre telles i path.censored_W. De seks vinduene beregnes alltid.";
const COHORT_EN: &str = "Discharges followed: merged PHV inpatient stays discharged in the year of persons in SMI(year), under the person's SMI groups (no substance split), and merged SOM inpatient stays with a ready date discharged in the year (group \"ready\"). Not followed: discharged to DEAD, or the person died on or before the discharge date. The window is the days discharge + 1 … discharge + W. Denominator: discharges whose whole window lies on or before the data end date (a setting; default 31 Dec of the latest year with an admit date); the others are counted in path.censored_W. All six windows are always computed.";

fn declare() -> ModuleDecl {
    let bases = cohorts::bases();
    let choices = Text {
        nb: COHORT_NB,
        en: COHORT_EN,
    };
    let mut indicators = Vec::new();
    for w in WINDOWS {
        for follow in Follow::ALL {
            let (nb, en) = follow.what();
            let mut tables = vec![TableKind::Persons, TableKind::Episodes];
            if let Some(t) = follow.table() {
                tables.push(t);
            }
            indicators.push(IndicatorDef {
                id: leak(format!("path.{}_{w}", follow.id())),
                module: "path",
                title: Text {
                    nb: leak(format!("{} innen {w} dager", follow.title().nb)),
                    en: leak(format!("{} within {w} days", follow.title().en)),
                },
                definition: Text {
                    nb: leak(format!(
                        "Utskrivninger med {nb} i dagene 1–{w} etter utskrivning / utskrivninger med hele vinduet innenfor dataene."
                    )),
                    en: leak(format!(
                        "Discharges with {en} on days 1–{w} after discharge / discharges whose whole window lies within the data."
                    )),
                },
                choices,
                unit: Unit::Percent,
                numerator: Measure::UnitsWith(PathFact::Followed(w, follow).id()),
                denominator: Some(Measure::UnitsWith(PathFact::Complete(w).id())),
                tables: leak_tables(tables),
                source: "000, 004",
                scope: Scope::GroupMembers,
            });
        }
        indicators.push(IndicatorDef {
            id: leak(format!("path.censored_{w}")),
            module: "path",
            title: Text {
                nb: leak(format!("Utskrivninger uten fullt {w}-dagersvindu")),
                en: leak(format!("Discharges without a full {w}-day window")),
            },
            definition: Text {
                nb: leak(format!(
                    "Fulgte utskrivninger der dag {w} etter utskrivning ligger etter datasettets sluttdato (utelatt fra nevnerne)."
                )),
                en: leak(format!(
                    "Followed discharges whose day {w} after discharge lies after the data end date (left out of the denominators)."
                )),
            },
            choices,
            unit: Unit::Count,
            numerator: Measure::UnitsWith(PathFact::Censored(w).id()),
            denominator: None,
            tables: TABLES,
            source: "000, 004",
            scope: Scope::GroupMembers,
        });
    }
    ModuleDecl {
        id: "path",
        title: Text {
            nb: "Forløp etter utskrivning",
            en: "Pathways after discharge",
        },
        source: "000, 004",
        unit: CountingUnit::Discharge,
        tables: TABLES,
        opt_in: false,
        groups: ModuleDecl::grid_groups(&bases, None),
        bases,
        split: None,
        facts: facts::all_facts().into_iter().map(PathFact::decl).collect(),
        quantities: Vec::new(),
        indicators,
    }
}

fn leak_tables(t: Vec<TableKind>) -> &'static [TableKind] {
    Box::leak(t.into_boxed_slice())
}

impl AnalysisModule for Pathways {
    fn decl(&self) -> &'static ModuleDecl {
        static DECL: std::sync::OnceLock<ModuleDecl> = std::sync::OnceLock::new();
        DECL.get_or_init(declare)
    }

    fn run(&self, input: &Input<'_>) -> ModuleRun {
        facts::run(input)
    }
}
