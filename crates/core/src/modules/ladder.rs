//! The care ladder (omsorgstrappen; seed 002): how persons with municipal services move between
//! levels of care over the year — at home without services, at home with services, a short-term
//! stay, a long-term stay — counted as transitions between levels.
//!
//! Unit: a person with a service period of a ladder level overlapping Y. Each day of Y the
//! person is at the highest level of the periods covering that day (home without services when
//! none does); every change from one day to the next is one transition.

#[path = "ladder/sql.rs"]
pub(crate) mod sql;

use crate::indicator::{IndicatorDef, Measure, Scope, Unit};
use crate::model::{PersonIdx, ServiceCode, TableKind};
use crate::module::{
    AnalysisModule, CountingUnit, Fact, FactDecl, GroupBase, Input, ModuleDecl, ModuleRun, UnitRow,
};
use crate::stays::days;
use crate::text::{leak, Text};

/// The module.
pub struct Ladder;

/// The registered instance.
pub static MODULE: Ladder = Ladder;

const TABLES: &[TableKind] = &[TableKind::Persons, TableKind::MunicipalServices];

/// The levels, from the bottom: id, bokmål, English.
const LEVELS: [(&str, &str, &str); 4] = [
    ("home", "hjemme uten tjenester", "at home without services"),
    ("home_services", "hjemme med tjenester", "at home with services"),
    ("short_stay", "korttidsopphold", "short-term stay"),
    ("long_term", "langtidsopphold", "long-term stay"),
];

/// The ladder level of a service, if it is one.
fn level(code: ServiceCode) -> Option<u8> {
    use ServiceCode as S;
    match code {
        S::HomeHealth
        | S::PracticalHelp
        | S::PracticalTraining
        | S::Meals
        | S::SupportContact
        | S::DayActivity
        | S::Housing => Some(1),
        S::ShortStayTreatment | S::ShortStayOther => Some(2),
        S::LongTermStay => Some(3),
        S::IndividualPlan
        | S::Coordinator
        | S::NutritionAssessment
        | S::MedicationReview
        | S::WelfareTech => None,
    }
}

/// The fact "a transition from level `a` to level `b`" (a ≠ b).
fn transition(a: usize, b: usize) -> Fact {
    let j = if b > a { b - 1 } else { b };
    Fact((a * (LEVELS.len() - 1) + j) as u16)
}

/// One person's day-to-day changes of level in Y, from their periods, as facts of unit `u`
/// (`day_level`: scratch of a day per day of Y). A function of its own, called per person, so
/// V8 runs it optimised from an early call on (see `stays::each_row`).
#[inline(never)]
fn person_transitions(
    day_level: &mut [u8],
    periods: &[(usize, usize, u8)],
    facts: &mut crate::indicator::eval::FactTable,
    u: usize,
) {
    day_level.iter_mut().for_each(|l| *l = 0);
    for &(from, to, l) in periods {
        for d in day_level.iter_mut().take(to + 1).skip(from) {
            *d = (*d).max(l);
        }
    }
    for pair in day_level.windows(2) {
        if pair[0] != pair[1] {
            facts.add(u, transition(pair[0] as usize, pair[1] as usize));
        }
    }
}

fn declare() -> ModuleDecl {
    let bases = vec![GroupBase {
        id: "all",
        label: Text {
            nb: "Alle med tjenester",
            en: "All with services",
        },
    }];
    let choices = Text {
        nb: "Nivåer: hjemme med tjenester = HOME_HEALTH, PRACTICAL_HELP, PRACTICAL_TRAINING, MEALS, SUPPORT_CONTACT, DAY_ACTIVITY, HOUSING; korttidsopphold = SHORT_STAY_*; langtidsopphold = LONG_TERM_STAY. Individuell plan, koordinator, kartlegging, legemiddelgjennomgang og velferdsteknologi er ikke trinn. Hver dag i året gjelder det høyeste nivået blant periodene som dekker dagen; hver endring fra en dag til den neste er én overgang.",
        en: "Levels: at home with services = HOME_HEALTH, PRACTICAL_HELP, PRACTICAL_TRAINING, MEALS, SUPPORT_CONTACT, DAY_ACTIVITY, HOUSING; short-term stay = SHORT_STAY_*; long-term stay = LONG_TERM_STAY. Individual plan, coordinator, assessments, medication review and welfare technology are not steps. Each day of the year the highest level among the periods covering it applies; every change from one day to the next is one transition.",
    };
    let mut facts = Vec::new();
    let mut indicators = vec![IndicatorDef {
        id: "ladder.persons",
        module: "ladder",
        title: Text {
            nb: "Personer med tjenester",
            en: "Persons with services",
        },
        definition: Text {
            nb: "Personer med en periode på et trinn i omsorgstrappen som overlapper året.",
            en: "Persons with a period on a step of the care ladder overlapping the year.",
        },
        choices,
        unit: Unit::Count,
        numerator: Measure::Units,
        denominator: None,
        tables: TABLES,
        source: "002",
        scope: Scope::GroupMembers,
    }];
    for (a, (aid, anb, aen)) in LEVELS.iter().enumerate() {
        for (b, (bid, bnb, ben)) in LEVELS.iter().enumerate() {
            if a == b {
                continue;
            }
            debug_assert_eq!(transition(a, b).0 as usize, facts.len());
            facts.push(FactDecl {
                name: leak(format!("From_{aid}_to_{bid}")),
                tables: TABLES,
                within: None,
            });
            indicators.push(IndicatorDef {
                id: leak(format!("ladder.{aid}_to_{bid}")),
                module: "ladder",
                title: Text {
                    nb: leak(format!("Fra {anb} til {bnb}")),
                    en: leak(format!("From {aen} to {ben}")),
                },
                definition: Text {
                    nb: leak(format!(
                        "Overganger i året fra «{anb}» én dag til «{bnb}» dagen etter."
                    )),
                    en: leak(format!(
                        "Transitions in the year from \"{aen}\" one day to \"{ben}\" the next."
                    )),
                },
                choices,
                unit: Unit::Count,
                numerator: Measure::Count(transition(a, b)),
                denominator: None,
                tables: TABLES,
                source: "002",
                scope: Scope::GroupMembers,
            });
        }
    }
    ModuleDecl {
        id: "ladder",
        title: Text {
            nb: "Omsorgstrappen",
            en: "The care ladder",
        },
        source: "002",
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

impl AnalysisModule for Ladder {
    fn decl(&self) -> &'static ModuleDecl {
        static DECL: std::sync::OnceLock<ModuleDecl> = std::sync::OnceLock::new();
        DECL.get_or_init(declare)
    }

    fn run(&self, input: &Input<'_>) -> ModuleRun {
        let y = input.year;
        let n = input.tables.persons.len();
        let year_days = days(y.first, y.last) as usize + 1;
        // Ladder periods by person, clipped to Y: (first day, last day) as day numbers of Y.
        let mut periods: Vec<Vec<(usize, usize, u8)>> = vec![Vec::new(); n];
        for r in input.tables.municipal_services.iter().flatten() {
            let Some(l) = level(r.service) else {
                continue;
            };
            if !y.overlaps(r.start_date, r.end_date) {
                continue;
            }
            let from = days(y.first, r.start_date.max(y.first)) as usize;
            let to = days(y.first, r.end_date.unwrap_or(y.last).min(y.last)) as usize;
            if let Some(v) = periods.get_mut(r.person.0 as usize) {
                v.push((from, to, l));
            }
        }
        let persons: Vec<usize> = (0..n).filter(|&p| !periods[p].is_empty()).collect();
        let n_facts = LEVELS.len() * (LEVELS.len() - 1);
        let mut facts = crate::indicator::eval::FactTable::new(persons.len(), n_facts, 0);
        let mut units = Vec::with_capacity(persons.len());
        let mut day_level = vec![0u8; year_days];
        for (u, &p) in persons.iter().enumerate() {
            units.push(UnitRow {
                leaf: input.leaf_of(PersonIdx(p as u32)),
                groups: 1,
            });
            person_transitions(&mut day_level, &periods[p], &mut facts, u);
        }
        ModuleRun {
            units,
            facts,
            notes: Vec::new(),
            summary: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions_are_numbered_densely() {
        let mut seen = std::collections::BTreeSet::new();
        for a in 0..4 {
            for b in 0..4 {
                if a != b {
                    assert!(seen.insert(transition(a, b).0));
                }
            }
        }
        assert_eq!(seen.into_iter().collect::<Vec<_>>(), (0..12).collect::<Vec<u16>>());
    }
}
