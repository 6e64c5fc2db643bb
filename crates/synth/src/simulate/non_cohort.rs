//! The persons outside the SMI cohort of Y that a cohort filter must leave out: minors in PHV,
//! adults with other diagnoses only (some with a group code on TSB or a private specialist,
//! which does not count), persons with group codes in Y−1 only, and persons seen only by GPs
//! and somatic services.
//!
//! Each kind is one short function, so what makes it *not* cohort is visible in one screen.

use super::diagnoses::Diagnoses;
use super::groups::COMBOS;
use super::persons::AGE_ADULT;
use super::phv::{LOS_ACUTE, LOS_PAM, POL_COUNT};
use super::rows::{Episode, Person};
use super::stays::{Cap, StayPlan};
use super::Sim;
use crate::codes::{
    CareLevel, ContactMode, ReferredBy, Sector, ServiceCode, SmiGroup, Unit, Urgency, DX_AVT_SOM,
    DX_CHILD, DX_OTHER_MENTAL, DX_SUBSTANCE,
};
use crate::random::{below, between, pick, pick_weighted, piece, weighted};

impl Sim<'_> {
    pub(super) fn minor(&mut self, idx: u32, person: &mut Person) {
        let (y_start, y_end) = (self.w.y_start, self.w.y_end);
        let age = pick_weighted(self.rng, &[(40, 17), (25, 16), (20, 15), (15, 14)]);
        person.birth_year = self.w.year - age;
        self.set_sex(person, 0.6);
        let main = pick(self.rng, &DX_CHILD);
        let n = (piece(self.rng, POL_COUNT) * 8 / 10).max(1);
        self.distinct_days(y_start, y_end, n, true);
        for k in 0..self.days.len() {
            let mut e = Episode::new(idx, Sector::Phv, CareLevel::Pol, self.days[k]);
            e.main = Some(main);
            e.unit = Some(Unit::DpsOutpatient);
            e.ambulant = Some(false);
            e.mode = Some(ContactMode::InPerson);
            self.eps.push(e);
        }
        if self.p(0.10) {
            let admit = between(self.rng, y_start, y_end - 20);
            let los = piece(self.rng, LOS_ACUTE);
            let mut plan = StayPlan::new(Sector::Phv, admit, Urgency::Acute, Unit::General, los);
            plan.time = self.any_time();
            plan.main = Some(main);
            plan.referred = Some(ReferredBy::Gp);
            self.push_stay(idx, &plan, Cap::OpenAfter(y_end));
        }
        self.primary_care(idx, 0.8, 0.7, 0.0, 0.05, 0.1);
        if self.p(0.05) {
            self.service_period(idx, ServiceCode::SupportContact);
        }
    }

    pub(super) fn other_diagnosis(&mut self, idx: u32, person: &mut Person) {
        let (y_start, y_end) = (self.w.y_start, self.w.y_end);
        person.birth_year = self.w.year - piece(self.rng, AGE_ADULT);
        self.set_sex(person, 0.55);
        let main = self.draw_dx(DX_OTHER_MENTAL);
        let n = (piece(self.rng, POL_COUNT) * 7 / 10).max(1);
        self.distinct_days(y_start, y_end, n, true);
        for k in 0..self.days.len() {
            let mut e = Episode::new(idx, Sector::Phv, CareLevel::Pol, self.days[k]);
            e.main = Some(main);
            e.unit = Some(Unit::DpsOutpatient);
            e.ambulant = Some(false);
            e.mode = Some(pick_weighted(
                self.rng,
                &[
                    (80, ContactMode::InPerson),
                    (8, ContactMode::Video),
                    (12, ContactMode::Phone),
                ],
            ));
            self.eps.push(e);
        }
        if self.p(0.08) {
            let pam = self.p(0.3);
            let admit = between(self.rng, y_start, y_end - 10);
            let los = piece(self.rng, if pam { LOS_PAM } else { LOS_ACUTE });
            let unit = if pam { Unit::Pam } else { Unit::AcuteWard };
            let mut plan = StayPlan::new(Sector::Phv, admit, Urgency::Acute, unit, los);
            plan.time = if pam {
                self.pam_time()
            } else {
                self.any_time()
            };
            plan.main = Some(main);
            plan.referred = Some(ReferredBy::OutOfHours);
            self.push_stay(idx, &plan, Cap::OpenAfter(y_end));
        }
        // A group code on TSB or on a private specialist only: not in the SMI cohort.
        let depression = SmiGroup::Depression.codes().nth(1); // F32.1
        if self.p(0.25) {
            let before = self.eps.len();
            self.tsb(idx, DX_SUBSTANCE.nth(0), y_start, y_end, 0.0); // F10.2
            for e in &mut self.eps[before..] {
                e.add_other(depression);
            }
        }
        if self.p(0.15) {
            let n = between(self.rng, 2, 10);
            self.private_contacts(idx, Sector::AvtPhv, y_start, y_end, n, depression);
        }
        self.primary_care(idx, 0.85, 0.8, 0.0, 0.05, 0.2);
        if self.p(0.05) {
            self.service_period(idx, ServiceCode::HomeHealth);
        }
        if self.p(0.03) {
            self.service_period(idx, ServiceCode::SupportContact);
        }
    }

    pub(super) fn prior_year_only(&mut self, idx: u32, person: &mut Person) {
        let (first, y_start, y_end) = (self.w.first, self.w.y_start, self.w.y_end);
        let c = weighted(self.rng, &self.tables.weights);
        let groups = COMBOS[c].0;
        let dx = Diagnoses {
            groups,
            code: self.group_codes(groups),
            substance: None,
            substance_on_phv: false,
        };
        person.birth_year = self.w.year - piece(self.rng, AGE_ADULT).max(19);
        self.set_sex(person, 0.6);
        let n = piece(self.rng, POL_COUNT);
        self.phv_contacts(idx, &dx, first, y_start - 1, n, false, Unit::DpsOutpatient);
        if self.p(0.25) {
            let n = 1 + below(self.rng, 2) as i32;
            self.phv_stays(
                idx,
                &dx,
                first,
                y_start - 90,
                n,
                Cap::EndBy(y_start - 1),
                false,
            );
        }
        if self.p(0.3) {
            // In PHV in Y too, but without a group code in Y: not in the cohort.
            let main = self.draw_dx(DX_OTHER_MENTAL);
            let n = between(self.rng, 1, 6);
            self.distinct_days(y_start, y_end, n, true);
            for k in 0..self.days.len() {
                let mut e = Episode::new(idx, Sector::Phv, CareLevel::Pol, self.days[k]);
                e.main = Some(main);
                e.unit = Some(Unit::DpsOutpatient);
                e.ambulant = Some(false);
                e.mode = Some(ContactMode::InPerson);
                self.eps.push(e);
            }
        }
        self.somatic_contacts(idx, 0.4, 0.4);
        self.primary_care(idx, 0.85, 0.9, 0.01, 0.05, 0.15);
        if self.p(0.10) {
            self.service_period(idx, ServiceCode::HomeHealth);
        }
    }

    pub(super) fn background(&mut self, idx: u32, person: &mut Person) {
        let (y_start, y_end) = (self.w.y_start, self.w.y_end);
        person.birth_year = self.w.year - piece(self.rng, AGE_ADULT);
        self.set_sex(person, 0.5);
        self.somatic_contacts(idx, 0.5, 0.4);
        if self.p(0.2) {
            let main = self.draw_dx(DX_AVT_SOM);
            let n = between(self.rng, 1, 3);
            self.private_contacts(idx, Sector::AvtSom, y_start, y_end, n, main);
        }
        self.primary_care(idx, 0.9, 0.85, 0.005, 0.02, 0.15);
        if self.p(0.03) {
            self.service_period(idx, ServiceCode::HomeHealth);
        }
    }
}
