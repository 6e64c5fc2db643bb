//! §1 Patients with serious mental illness (seed 000): the first analysis module.
//!
//! Unit: a person of SMI(Y). Groups: `all` and the four diagnosis groups, each split by comorbid
//! substance use (`+substance`, `-substance`). Facts: the events and quantities of `events.rs`,
//! counted per person in `facts.rs`. Indicators: `indicators.rs`. Cohort: `cohort.rs`.

pub(crate) mod cohort;
pub(crate) mod events;
mod facts;
pub(crate) mod groups;
mod indicators;
pub(crate) mod sql;

use crate::module::{
    AnalysisModule, CountingUnit, GroupBase, Input, ModuleDecl, ModuleRun, Split, SplitPart,
    UnitRow,
};
use crate::model::TableKind;
use crate::notes::{Note, NoteCount};
use crate::text::Text;
use groups::{SmiGroup, SubstanceSplit};
use serde::{Deserialize, Serialize};

/// The SMI module's settings (`settings.smi`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct SmiSettings {
    /// How a readmission is recognised.
    pub readmission: ReadmissionSettings,
}

/// How a readmission is recognised. Defaults follow Helsedirektoratet: an acute inpatient
/// admission 1–30 days after the previous discharge, deaths kept. SKDE's variant is
/// `window_days = 29, exclude_death_within_window = true`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReadmissionSettings {
    /// Last day after discharge on which a new admission counts (first day is always day 1).
    pub window_days: u32,
    /// Count only acute (ø-hjelp) readmissions.
    pub acute_only: bool,
    /// Leave out discharges followed by the person's death within the window.
    pub exclude_death_within_window: bool,
}

impl Default for ReadmissionSettings {
    fn default() -> Self {
        ReadmissionSettings {
            window_days: 30,
            acute_only: true,
            exclude_death_within_window: false,
        }
    }
}

/// The splits of every SMI group, in the order of the grid: the whole group, with, without.
const SPLITS: [SubstanceSplit; 3] = [
    SubstanceSplit::Any,
    SubstanceSplit::With,
    SubstanceSplit::Without,
];

/// The SMI module.
pub struct Smi;

/// The registered instance.
pub static MODULE: Smi = Smi;

fn declare() -> ModuleDecl {
    let bases: Vec<GroupBase> = SmiGroup::ALL
        .iter()
        .map(|g| GroupBase {
            id: g.id(),
            label: g.label(),
        })
        .collect();
    let split = Split {
        label: Text {
            nb: "Del etter rusbruk",
            en: "Split by substance use",
        },
        parts: vec![
            SplitPart {
                suffix: "+substance",
                label_suffix: Text {
                    nb: " m/rus",
                    en: ", with substance use",
                },
            },
            SplitPart {
                suffix: "-substance",
                label_suffix: Text {
                    nb: " u/rus",
                    en: ", without substance use",
                },
            },
        ],
    };
    let groups = ModuleDecl::grid_groups(&bases, Some(&split));
    ModuleDecl {
        id: "smi",
        title: Text {
            nb: "Pasienter med alvorlig psykisk lidelse",
            en: "Patients with serious mental illness",
        },
        source: "000",
        unit: CountingUnit::Person,
        tables: &[TableKind::Persons, TableKind::Episodes],
        opt_in: false,
        bases,
        split: Some(split),
        groups,
        facts: events::all_events().into_iter().map(|e| e.decl()).collect(),
        quantities: events::SmiQuantity::ALL.map(|q| q.decl()).to_vec(),
        indicators: indicators::indicators(),
    }
}

impl AnalysisModule for Smi {
    fn decl(&self) -> &'static ModuleDecl {
        static DECL: std::sync::OnceLock<ModuleDecl> = std::sync::OnceLock::new();
        DECL.get_or_init(declare)
    }

    fn run(&self, input: &Input<'_>) -> ModuleRun {
        let k = input.settings.min_cell;
        let cohort = input.smi_cohort();
        let mut notes = Vec::new();
        if cohort.unknown_age > 0 {
            notes.push(Note::SmiUnknownAge {
                count: NoteCount::new(cohort.unknown_age, k),
            });
        }
        let units: Vec<UnitRow> = cohort
            .members
            .iter()
            .map(|m| UnitRow {
                leaf: input.leaf_of(m.person),
                groups: group_bits(m),
            })
            .collect();
        let country_only = units.iter().filter(|u| u.leaf == 0).count() as u64;
        if country_only > 0 {
            notes.push(Note::CountryOnly {
                count: NoteCount::new(country_only, k),
            });
        }
        let mut facts = facts::person_facts(
            input.tables,
            cohort,
            input.stays,
            input.year,
            &input.settings.smi.readmission,
        );
        // Each unit is a person: its age and sex place it in a stratum of the standardised rate.
        for (u, m) in cohort.members.iter().enumerate() {
            facts.set_person(u, m.person);
        }
        ModuleRun {
            units,
            facts,
            notes,
            summary: cohort::overlap_summary(cohort, k),
        }
    }
}

/// The grid groups a member is in, as bits in the order of [`ModuleDecl::groups`]: group
/// `3 × base + split`.
fn group_bits(m: &cohort::Member) -> u64 {
    let mut bits = 0u64;
    for (b, g) in SmiGroup::ALL.iter().enumerate() {
        for (s, split) in SPLITS.iter().enumerate() {
            if m.in_group(*g, *split) {
                bits |= 1 << (b * SPLITS.len() + s);
            }
        }
    }
    bits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_in_grid_order_with_their_long_table_spelling() {
        let d = MODULE.decl();
        let ids: Vec<&str> = d.groups.iter().map(|g| g.id).collect();
        assert_eq!(ids.len(), 15);
        assert_eq!(&ids[..3], &["all", "all+substance", "all-substance"]);
        assert_eq!(ids[14], "personality-substance");
        assert_eq!(
            d.group_label(4, crate::text::Lang::Nb),
            "Schizofreni m/rus"
        );
        assert_eq!(
            d.group_label(5, crate::text::Lang::En),
            "Schizophrenia, without substance use"
        );
        // Families: each base with its two parts.
        assert_eq!(d.group_families()[1], (3, vec![4, 5]));
        // A member in bipolar with substance use: all, all+, bipolar, bipolar+.
        let m = cohort::Member {
            person: crate::model::PersonIdx(0),
            groups: cohort::GroupMask(2),
            substance: true,
        };
        assert_eq!(group_bits(&m), 1 | 2 | (1 << 6) | (1 << 7));
    }

    #[test]
    fn every_section_1_id_of_the_spec_exists() {
        // indicators.md §1, by hand.
        let spec = [
            "smi.patients",
            "smi.patients_per_1000",
            "smi.admitted",
            "smi.admitted_acute",
            "smi.readmitted_30d",
            "smi.outpatient",
            "smi.bed_days_per_patient",
            "smi.bed_days_per_admitted",
            "smi.outpatient_contacts_per_outpatient",
            "smi.ambulant",
            "smi.letter_within_1d",
            "smi.letter_within_7d",
            "smi.letter_days_median",
            "smi.tsb",
            "smi.somatic",
            "smi.private_psych",
            "smi.private_somatic",
            "smi.private_contacts_per_patient",
            "smi.gp_contact",
            "smi.gp_consultation",
            "smi.oohs_contact",
            "smi.oohs_consultation",
            "smi.gp_consultations_per_patient",
            "smi.gp_home_visit",
            "smi.gp_interdisciplinary",
            "smi.service.HOME_HEALTH",
            "smi.service.PRACTICAL_HELP",
            "smi.service.PRACTICAL_TRAINING",
            "smi.service.SUPPORT_CONTACT",
            "smi.service.HOUSING",
            "smi.service.DAY_ACTIVITY",
            "smi.service.MEALS",
            "smi.service.LONG_TERM_STAY",
            "smi.service.SHORT_STAY_TREATMENT",
            "smi.service.SHORT_STAY_OTHER",
            "smi.service.INDIVIDUAL_PLAN",
            "smi.service.COORDINATOR",
            "smi.service.NUTRITION_ASSESSMENT",
            "smi.service.MEDICATION_REVIEW",
            "smi.service.WELFARE_TECH",
            "smi.any_municipal_service",
        ];
        let ids: Vec<&str> = MODULE.decl().indicators.iter().map(|d| d.id).collect();
        assert_eq!(ids, spec, "the registry's SMI ids, in the spec's order");
    }

    #[test]
    fn percent_subsets_use_the_events_within_relation() {
        use crate::indicator::Measure;
        use events::Event;
        let d = MODULE.decl();
        let p = |e: Event| Measure::UnitsWith(e.fact());
        let c = |e: Event| Measure::Count(e.fact());
        assert!(!p(Event::GpContact).is_subset_of(p(Event::Tsb), d));
        assert!(c(Event::LetterWithin7d).is_subset_of(c(Event::LetterDischarge), d));
        assert!(p(Event::GpHomeVisit).is_subset_of(p(Event::GpContact), d));
    }
}
