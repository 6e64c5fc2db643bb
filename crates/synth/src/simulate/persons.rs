//! Who a person is: their kind (cohort or one of the kinds that make the cohort filter matter),
//! municipality, sex and, at the end, death. The age tables of every kind are here side by
//! side, so the age structure of the extract reads in one place.
//!
//! [`Sim::person`] fixes the order of a person's draws (kind, municipality, the kind's own rows,
//! unknown sex, death); everything a person gets is drawn between those steps.

use super::groups::Groups;
use super::rows::{Kind, Person};
use super::{pid_number, Sim};
use crate::codes::{CareLevel, DischargedTo, Sex};
use crate::random::{between, pick_weighted, weighted, Pieces};

/// Kinds of person and their share of `persons` (per mille): ≈ 77.5 % cohort.
pub(super) const KINDS: [(u32, Kind); 6] = [
    (775, Kind::Cohort),
    (30, Kind::Minor),
    (55, Kind::OtherDiagnosis),
    (40, Kind::PriorYearOnly),
    (80, Kind::Ready),
    (20, Kind::Background),
];

pub(super) const AGE_SCHIZOPHRENIA: &Pieces =
    &[(15, 18, 29), (30, 30, 44), (35, 45, 64), (20, 65, 90)];
pub(super) const AGE_BIPOLAR: &Pieces = &[(20, 18, 29), (30, 30, 44), (35, 45, 64), (15, 65, 90)];
pub(super) const AGE_DEPRESSION: &Pieces =
    &[(35, 18, 29), (30, 30, 44), (25, 45, 64), (10, 65, 95)];
pub(super) const AGE_PERSONALITY: &Pieces =
    &[(50, 18, 29), (35, 30, 44), (13, 45, 64), (2, 65, 80)];
pub(super) const AGE_ADULT: &Pieces = &[(30, 18, 29), (30, 30, 44), (25, 45, 64), (15, 65, 90)];
pub(super) const AGE_READY: &Pieces = &[(10, 40, 66), (25, 67, 77), (40, 78, 87), (25, 88, 99)];

impl Sim<'_> {
    pub(super) fn person(&mut self, idx: u32) -> Person {
        let kind = pick_weighted(self.rng, &KINDS);
        let mut person = Person {
            num: pid_number(idx),
            birth_year: self.w.year - 40,
            sex: None,
            municipality: None,
            death: None,
            kind,
            groups: Groups::NONE,
            substance: false,
        };
        let without_municipality = if kind == Kind::Cohort { 0.02 } else { 0.01 };
        if !self.p(without_municipality) {
            person.municipality = Some(weighted(self.rng, &self.muni_weights) as u8);
        }
        match kind {
            Kind::Cohort => self.cohort(idx, &mut person),
            Kind::Minor => self.minor(idx, &mut person),
            Kind::OtherDiagnosis => self.other_diagnosis(idx, &mut person),
            Kind::PriorYearOnly => self.prior_year_only(idx, &mut person),
            Kind::Ready => self.ready(idx, &mut person),
            Kind::Background => self.background(idx, &mut person),
        }
        if self.p(0.002) {
            person.sex = None; // unknown sex, written empty
        }
        self.finish(&mut person);
        person
    }

    pub(super) fn set_sex(&mut self, person: &mut Person, female: f64) {
        person.sex = Some(if self.p(female) {
            Sex::Female
        } else {
            Sex::Male
        });
    }

    /// Sorts the person's rows, adds a death date for a few, and closes services at death.
    pub(super) fn finish(&mut self, person: &mut Person) {
        self.sort_episodes();
        self.svs.sort_by_key(|s| (s.service, s.start));
        let p_death = match person.kind {
            Kind::Ready => 0.07,
            Kind::Background => 0.01,
            Kind::Cohort => 0.004,
            _ => 0.002,
        };
        if !self.p(p_death) {
            return;
        }
        let open_stay = self
            .eps
            .iter()
            .any(|e| e.level == CareLevel::Dogn && e.discharge.is_none());
        if open_stay {
            return;
        }
        let last_episode = self
            .eps
            .iter()
            .map(|e| {
                e.discharge
                    .unwrap_or(e.admit)
                    .max(e.letter.unwrap_or(e.admit))
            })
            .max();
        let last = [
            last_episode,
            self.pcs.iter().map(|c| c.date).max(),
            self.svs.iter().map(|s| s.start).max(),
        ]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(self.w.first);
        // Some frail patients die in hospital at their last discharge.
        let dies_in_hospital = person.kind == Kind::Ready
            && self.p(0.3)
            && self
                .eps
                .iter()
                .rev()
                .find(|e| e.level == CareLevel::Dogn)
                .is_some_and(|e| {
                    e.discharge == Some(last) && e.discharge.is_some_and(|d| d >= self.w.y_start)
                });
        let death = if dies_in_hospital {
            if let Some(e) = self
                .eps
                .iter_mut()
                .rev()
                .find(|e| e.level == CareLevel::Dogn)
            {
                e.discharged_to = Some(DischargedTo::Dead);
            }
            last
        } else {
            last + between(self.rng, 1, 120)
        };
        if death > self.w.y_end {
            return;
        }
        person.death = Some(death);
        for s in &mut self.svs {
            if s.end.is_none_or(|e| e > death) {
                s.end = Some(death.max(s.start));
            }
        }
    }
}
