//! A worked example of a module, and the proof that the engine, the CLI and the app take a new
//! module without other edits: persons with a GP contact in Y, from the existing tables.
//!
//! It is opt-in: computed only when the settings name it (`forlop indicators --module example`,
//! `?modules=smi,example` in the app), so it never changes the default long table. It is not a
//! published indicator.

use crate::indicator::{IndicatorDef, Measure, Scope, Unit};
use crate::model::{PersonIdx, Provider, TableKind};
use crate::module::{
    AnalysisModule, CountingUnit, Fact, FactDecl, GroupBase, Input, ModuleDecl, ModuleRun, UnitRow,
};
use crate::text::Text;

/// The module.
pub struct Example;

/// The registered instance.
pub static MODULE: Example = Example;

const TABLES: &[TableKind] = &[TableKind::Persons, TableKind::PrimaryCare];
/// Fact 0: a GP home visit in Y.
const HOME_VISIT: Fact = Fact(0);

fn declare() -> ModuleDecl {
    let bases = vec![GroupBase {
        id: "gp_patients",
        label: Text {
            nb: "Fastlegepasienter",
            en: "GP patients",
        },
    }];
    let indicator = |id, title: Text, definition: Text, unit, numerator, denominator| IndicatorDef {
        id,
        module: "example",
        title,
        definition,
        choices: Text {
            nb: "Eksempelmodul: ikke en publisert indikator.",
            en: "Example module: not a published indicator.",
        },
        unit,
        numerator,
        denominator,
        tables: TABLES,
        source: "–",
        scope: Scope::GroupMembers,
    };
    ModuleDecl {
        id: "example",
        title: Text {
            nb: "Eksempelmodul",
            en: "Example module",
        },
        source: "–",
        unit: CountingUnit::Person,
        tables: TABLES,
        opt_in: true,
        groups: ModuleDecl::grid_groups(&bases, None),
        bases,
        split: None,
        facts: vec![FactDecl {
            name: "GpHomeVisit",
            tables: TABLES,
            within: None,
        }],
        quantities: Vec::new(),
        indicators: vec![
            indicator(
                "example.gp_patients",
                Text {
                    nb: "Personer med fastlegekontakt",
                    en: "Persons with a GP contact",
                },
                Text {
                    nb: "Personer med minst én fastlegekontakt i året.",
                    en: "Persons with at least one GP contact in the year.",
                },
                Unit::Count,
                Measure::Units,
                None,
            ),
            indicator(
                "example.home_visit",
                Text {
                    nb: "Hjemmebesøk av fastlege",
                    en: "GP home visit",
                },
                Text {
                    nb: "Personer med hjemmebesøk av fastlege i året / personer med fastlegekontakt i året.",
                    en: "Persons with a GP home visit in the year / persons with a GP contact in the year.",
                },
                Unit::Percent,
                Measure::UnitsWith(HOME_VISIT),
                Some(Measure::Units),
            ),
        ],
    }
}

impl AnalysisModule for Example {
    fn decl(&self) -> &'static ModuleDecl {
        static DECL: std::sync::OnceLock<ModuleDecl> = std::sync::OnceLock::new();
        DECL.get_or_init(declare)
    }

    fn run(&self, input: &Input<'_>) -> ModuleRun {
        let n = input.tables.persons.len();
        let mut contact = vec![false; n];
        let mut visits = vec![0u32; n];
        for r in input.tables.primary_care.iter().flatten() {
            let p = r.person.0 as usize;
            if p < n && r.provider == Provider::Gp && input.year.contains(r.date) {
                contact[p] = true;
                if r.contact_type == crate::model::ContactType::HomeVisit {
                    visits[p] += 1;
                }
            }
        }
        let persons: Vec<usize> = (0..n).filter(|&p| contact[p]).collect();
        let mut facts = crate::indicator::eval::FactTable::new(persons.len(), 1, 0);
        for (unit, &p) in persons.iter().enumerate() {
            for _ in 0..visits[p] {
                facts.add(unit, HOME_VISIT);
            }
        }
        ModuleRun {
            units: persons
                .iter()
                .map(|&p| UnitRow {
                    leaf: input.leaf_of(PersonIdx(p as u32)),
                    groups: 1,
                })
                .collect(),
            facts,
            notes: Vec::new(),
            summary: Vec::new(),
        }
    }
}
