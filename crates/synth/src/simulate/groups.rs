//! The SMI group combinations of the cohort and every probability that depends on them.
//!
//! The seed gives totals per group and the size of the overlaps, not probabilities per person,
//! so a person draws one combination and the per-group factors are turned into per-combination
//! probabilities once ([`ComboTables`]), scaled so that the cohort-wide shares stay the seed's.

use crate::codes::{ServiceCode, SmiGroup};

/// A set of SMI groups, one bit per group in [`SmiGroup::ALL`] order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Groups(u8);

impl Groups {
    pub(crate) const NONE: Groups = Groups(0);

    const fn of(g: SmiGroup) -> Groups {
        Groups(1 << g as u8)
    }

    const fn with(self, other: Groups) -> Groups {
        Groups(self.0 | other.0)
    }

    pub(crate) fn contains(self, g: SmiGroup) -> bool {
        self.0 & (1 << g as u8) != 0
    }

    /// The groups in the set, in [`SmiGroup::ALL`] order.
    pub(crate) fn iter(self) -> impl Iterator<Item = SmiGroup> {
        SmiGroup::ALL.into_iter().filter(move |&g| self.contains(g))
    }
}

const SCZ: Groups = Groups::of(SmiGroup::Schizophrenia);
const BIP: Groups = Groups::of(SmiGroup::Bipolar);
const DEP: Groups = Groups::of(SmiGroup::Depression);
const PER: Groups = Groups::of(SmiGroup::Personality);

/// SMI group combinations and their weight among 68 930 cohort persons: single
/// groups, pairs and triples chosen so that the group totals are the seed's 8 651 : 9 908 :
/// 42 853 : 15 115, 7 358 persons (10.7 %) are in two or more groups and depression ×
/// personality is the largest overlap (4 583).
pub(super) const COMBOS: [(Groups, u32); 12] = [
    (SCZ, 7587),
    (BIP, 7783),
    (DEP, 36470),
    (PER, 9732),
    (DEP.with(PER), 4344),
    (BIP.with(DEP), 1300),
    (SCZ.with(DEP), 500),
    (SCZ.with(PER), 300),
    (BIP.with(PER), 500),
    (SCZ.with(BIP), 175),
    (BIP.with(DEP).with(PER), 150),
    (SCZ.with(DEP).with(PER), 89),
];

/// Share of the cohort with comorbid substance use (5 699 / 68 930).
pub(super) const SUBSTANCE_SHARE: f64 = 5699.0 / 68930.0;
/// Per-group tables below are in [`SmiGroup::ALL`] order (schizophrenia, bipolar, depression,
/// personality).
///
/// Relative substance use per group.
pub(super) const SUBSTANCE_FACTOR: [f64; 4] = [1.6, 1.1, 0.75, 1.8];
/// Probability of a PHV inpatient stay in Y per group (overall ≈ 22 %).
pub(super) const ADMITTED: [f64; 4] = [0.45, 0.32, 0.14, 0.26];
/// Probability of ambulant PHV contacts per group (overall ≈ 13 %).
pub(super) const AMBULANT: [f64; 4] = [0.30, 0.15, 0.07, 0.15];
/// Revolving-door patients (≥ 3 acute PAM admissions in Y): about 1 % of the cohort.
pub(super) const REVOLVING_SHARE: f64 = 0.010;
pub(super) const REVOLVING_FACTOR: [f64; 4] = [3.0, 1.5, 0.4, 2.5];
/// Female share per group.
pub(super) const FEMALE: [f64; 4] = [0.40, 0.58, 0.64, 0.72];

/// Municipal services among the cohort: (service, share overlapping Y, factor per group).
/// Shares of the ten [`ServiceCode::CARE`] services are the seed's (home health 27 %, …); in
/// [`ServiceCode::ALL`] order, which [`ComboTables::services`] is indexed by.
pub(super) const COHORT_SERVICES: [(ServiceCode, f64, [f64; 4]); 15] = [
    (ServiceCode::HomeHealth, 0.27, [2.0, 1.3, 0.7, 1.3]),
    (ServiceCode::PracticalHelp, 0.05, [2.2, 1.2, 0.6, 1.2]),
    (ServiceCode::SupportContact, 0.05, [2.0, 1.0, 0.6, 1.6]),
    (ServiceCode::PracticalTraining, 0.05, [2.5, 1.1, 0.5, 1.3]),
    (ServiceCode::Housing, 0.04, [3.0, 1.0, 0.4, 1.5]),
    (ServiceCode::DayActivity, 0.02, [2.5, 1.0, 0.6, 1.2]),
    (ServiceCode::Meals, 0.01, [1.5, 1.0, 1.0, 0.8]),
    (ServiceCode::LongTermStay, 0.01, [2.0, 1.2, 0.9, 0.6]),
    (ServiceCode::ShortStayTreatment, 0.01, [2.0, 1.2, 0.8, 1.0]),
    (ServiceCode::ShortStayOther, 0.01, [2.0, 1.2, 0.8, 1.0]),
    (ServiceCode::IndividualPlan, 0.07, [2.5, 1.2, 0.5, 1.4]),
    (ServiceCode::Coordinator, 0.09, [2.5, 1.2, 0.5, 1.4]),
    (ServiceCode::NutritionAssessment, 0.02, [1.5, 1.0, 1.0, 1.0]),
    (ServiceCode::MedicationReview, 0.03, [2.0, 1.2, 0.8, 1.0]),
    (ServiceCode::WelfareTech, 0.03, [1.5, 1.0, 1.0, 1.0]),
];

/// Probability tables that depend on the combination of groups, worked out once.
pub(super) struct ComboTables {
    pub(super) weights: [u32; 12],
    pub(super) substance: [f64; 12],
    pub(super) revolving: [f64; 12],
    /// Per combination, the probability of each service (indexed by `ServiceCode as usize`).
    pub(super) services: [[f64; 15]; 12],
}

/// The largest factor of the groups in the set (`factors` per group in [`SmiGroup::ALL`] order).
pub(super) fn combo_factor(groups: Groups, factors: &[f64; 4]) -> f64 {
    groups
        .iter()
        .map(|g| factors[g.index()])
        .fold(0.0, f64::max)
}

impl ComboTables {
    pub(super) fn new() -> ComboTables {
        let weights = COMBOS.map(|c| c.1);
        let total: f64 = weights.iter().map(|&w| f64::from(w)).sum();
        // Scale a per-combination factor so that the cohort-wide share is `share`.
        let scaled = |share: f64, factors: &[f64; 4]| -> [f64; 12] {
            let mean: f64 = COMBOS
                .iter()
                .map(|&(mask, w)| f64::from(w) * combo_factor(mask, factors))
                .sum::<f64>()
                / total;
            COMBOS.map(|(mask, _)| (share * combo_factor(mask, factors) / mean).min(0.95))
        };
        let mut services = [[0.0; 15]; 12];
        for (s, share, factors) in COHORT_SERVICES {
            let column = scaled(share, &factors);
            for (c, row) in services.iter_mut().enumerate() {
                row[s as usize] = column[c];
            }
        }
        ComboTables {
            weights,
            substance: scaled(SUBSTANCE_SHARE, &SUBSTANCE_FACTOR),
            revolving: scaled(REVOLVING_SHARE, &REVOLVING_FACTOR),
            services,
        }
    }
}
