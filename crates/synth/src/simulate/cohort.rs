//! The SMI cohort of Y (≈ 77.5 % of the persons): one combination of groups, substance use for
//! some, and then in a fixed order their PHV stays (Y−1, revolving-door series, stays in Y),
//! PHV outpatient and day contacts, TSB treatment, somatic and private-specialist contacts,
//! primary care and municipal services.
//!
//! One long function on purpose: it is the script of a cohort person's year, and the order of
//! its steps is the order of the random draws, which the pinned output depends on.

use super::diagnoses::Diagnoses;
use super::groups::{combo_factor, ADMITTED, AMBULANT, COMBOS, FEMALE};
use super::persons::{AGE_BIPOLAR, AGE_DEPRESSION, AGE_PERSONALITY, AGE_SCHIZOPHRENIA};
use super::phv::{PAM_SERIES, POL_COUNT, STAYS};
use super::rows::{Episode, Person};
use super::stays::{Cap, StayPlan};
use super::Sim;
use crate::codes::{
    CareLevel, ContactMode, ReferredBy, Sector, ServiceCode, SmiGroup, Unit, Urgency, DX_AVT_SOM,
    DX_SUBSTANCE,
};
use crate::random::{below, between, pick, piece, weighted};

impl Sim<'_> {
    pub(super) fn cohort(&mut self, idx: u32, person: &mut Person) {
        let (y_start, y_end) = (self.w.y_start, self.w.y_end);
        let c = weighted(self.rng, &self.tables.weights);
        let groups = COMBOS[c].0;
        let mut dx = Diagnoses {
            groups,
            code: self.group_codes(groups),
            substance: None,
            substance_on_phv: false,
        };
        let substance = self.p(self.tables.substance[c]);
        let mut substance_on_tsb = false;
        if substance {
            dx.substance = Some(self.draw_dx(DX_SUBSTANCE));
            let r = below(self.rng, 100);
            dx.substance_on_phv = r < 85;
            substance_on_tsb = r >= 60;
        }
        person.groups = groups;
        person.substance = substance;

        // The group that decides the age: the first of these the person is in.
        let lead = [
            SmiGroup::Schizophrenia,
            SmiGroup::Bipolar,
            SmiGroup::Personality,
            SmiGroup::Depression,
        ]
        .into_iter()
        .find(|&g| groups.contains(g))
        .unwrap_or(SmiGroup::Depression);
        let age = if self.p(0.02) {
            18 // right on the adult boundary
        } else {
            let table = match lead {
                SmiGroup::Schizophrenia => AGE_SCHIZOPHRENIA,
                SmiGroup::Bipolar => AGE_BIPOLAR,
                SmiGroup::Personality => AGE_PERSONALITY,
                SmiGroup::Depression => AGE_DEPRESSION,
            };
            piece(self.rng, table)
        };
        person.birth_year = self.w.year - age;
        let female =
            groups.iter().map(|g| FEMALE[g.index()]).sum::<f64>() / groups.iter().count() as f64;
        self.set_sex(person, female);
        let elderly = age >= 67;

        let revolving = self.p(self.tables.revolving[c]);
        let admitted = revolving || self.p(combo_factor(groups, &ADMITTED));
        let outpatient = if admitted { self.p(0.85) } else { self.p(0.97) };
        let day_patient = self.p(0.05) || (!admitted && !outpatient);
        let ambulant = outpatient && self.p(combo_factor(groups, &AMBULANT));

        // PHV inpatient stays.
        let mut cursor = self.w.first;
        if admitted || self.p(0.03) {
            // Earlier stays in Y−1 (for the not-admitted-in-Y, ended before Y).
            let prior = if admitted { self.p(0.4) } else { true };
            if prior {
                let n = 1 + below(self.rng, 2) as i32;
                let cap = if admitted {
                    Cap::EndBy(y_start + 20)
                } else {
                    Cap::EndBy(y_start - 1)
                };
                cursor = self.phv_stays(idx, &dx, self.w.first, y_start - 60, n, cap, elderly);
            }
        }
        if revolving {
            if self.p(0.4) {
                let n = piece(self.rng, PAM_SERIES);
                cursor = self.pam_series(idx, &dx, cursor.max(self.w.first), y_start - 5, n);
            }
            let n = piece(self.rng, PAM_SERIES);
            self.pam_series(idx, &dx, cursor.max(y_start - 1), y_end, n);
        } else if admitted {
            let n = piece(self.rng, STAYS);
            let mut from = cursor.max(y_start - 30);
            if lead == SmiGroup::Schizophrenia && cursor == self.w.first && self.p(0.05) {
                // A long stay admitted in Y−2, still running into Y or still open.
                let admit = between(self.rng, self.w.first - 330, self.w.first - 30);
                let los = between(self.rng, y_start - admit + 10, y_start - admit + 500);
                let mut plan = StayPlan::new(Sector::Phv, admit, Urgency::Acute, Unit::Secure, los);
                plan.time = self.any_time();
                plan.referred = Some(ReferredBy::Specialist);
                self.dx_phv(&dx, &mut plan.main, &mut plan.other);
                match self.push_stay(idx, &plan, Cap::OpenAfter(y_end)) {
                    Some(d) => from = d + 1,
                    None => from = y_end + 1,
                }
            }
            let span = (y_end - from).max(1) / n.max(1);
            let first = between(self.rng, from, from + span);
            // A stay admitted before Y must still overlap Y.
            self.phv_stays_from(idx, &dx, first, n, y_end, elderly);
        }

        // PHV outpatient contacts.
        if outpatient {
            let n = piece(self.rng, POL_COUNT);
            self.phv_contacts(idx, &dx, y_start, y_end, n, ambulant, Unit::DpsOutpatient);
        }
        if self.p(0.55) {
            let n = (piece(self.rng, POL_COUNT) * 7 / 10).max(1);
            self.phv_contacts(
                idx,
                &dx,
                self.w.first,
                y_start - 1,
                n,
                ambulant,
                Unit::DpsOutpatient,
            );
        }
        if day_patient {
            let n = between(self.rng, 2, 20);
            self.distinct_days(y_start, y_end, n, true);
            for k in 0..self.days.len() {
                let mut e = Episode::new(idx, Sector::Phv, CareLevel::Dag, self.days[k]);
                e.unit = Some(Unit::Dps);
                e.ambulant = Some(false);
                e.mode = Some(ContactMode::InPerson);
                self.dx_phv(&dx, &mut e.main, &mut e.other);
                self.eps.push(e);
            }
        }

        // Substance-use treatment.
        if let Some(code) = dx.substance {
            if substance_on_tsb {
                self.tsb(idx, code, y_start, y_end, 0.2);
            } else if self.p(0.3) {
                // Earlier TSB treatment, before Y.
                self.tsb(idx, code, self.w.first, y_start - 40, 0.0);
            }
        }

        // Somatic hospital and private specialists.
        self.somatic_contacts(idx, 0.55, 0.45);
        if self.p(0.09) {
            let n = 1 + below(self.rng, 2) as i32;
            self.somatic_stays(idx, n, 0.04, elderly);
        }
        if self.p(0.09) {
            let n = between(self.rng, 2, 15);
            if let Some(main) = dx.code(lead) {
                self.private_contacts(idx, Sector::AvtPhv, y_start, y_end, n, main);
            }
        }
        if self.p(0.30) {
            let n = between(self.rng, 1, 4);
            let main = self.draw_dx(DX_AVT_SOM);
            self.private_contacts(idx, Sector::AvtSom, y_start, y_end, n, main);
        }

        // Primary care and municipal services.
        let inter = 0.12 * combo_factor(groups, &[1.8, 1.0, 0.7, 1.3]);
        self.primary_care(idx, 0.90, 0.85, 0.025, inter, 0.25);
        let shares = self.tables.services[c];
        for s in ServiceCode::ALL {
            if self.p(shares[s as usize]) {
                self.service_period(idx, s);
            }
        }
        if self.p(0.04) {
            let s = pick(self.rng, ServiceCode::CARE);
            if !self.svs.iter().any(|x| x.service == s) {
                self.service_ended_before_y(idx, s);
            }
        }

        self.ensure_cohort_codes(&dx);
    }
}
