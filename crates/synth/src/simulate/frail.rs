//! Frail, mostly elderly somatic patients: stays that become ready for discharge before they end
//! (overdue days), and the municipal services that follow, up to a long-term place.
//!
//! A kind of its own because the ready-for-discharge and municipal-service indicators need
//! these rows in the proportions of seed 002, not the cohort's.

use super::persons::AGE_READY;
use super::rows::Person;
use super::stays::Cap;
use super::Sim;
use crate::codes::ServiceCode;
use crate::random::{between, piece};

impl Sim<'_> {
    pub(super) fn ready(&mut self, idx: u32, person: &mut Person) {
        let (first, y_start, y_end) = (self.w.first, self.w.y_start, self.w.y_end);
        let age = piece(self.rng, AGE_READY);
        person.birth_year = self.w.year - age;
        self.set_sex(person, 0.58);

        // A stay in Y−1 for some.
        if self.p(0.4) {
            let admit = between(self.rng, first, y_start - 60);
            let mut plan = self.somatic_plan(admit, true);
            if !self.p(0.5) {
                plan.overdue = None;
            }
            self.push_stay(idx, &plan, Cap::EndBy(y_start - 30));
        }
        // Stays in Y: the first one ready for discharge and discharged in Y.
        let n = piece(self.rng, &[(60, 1, 1), (28, 2, 2), (12, 3, 4)]);
        let mut admit = between(self.rng, y_start, y_end - 60);
        let mut last_discharge = None;
        for k in 0..n {
            let mut plan = self.somatic_plan(admit, true);
            if k > 0 && self.p(0.3) {
                plan.overdue = None;
            }
            let stay_len = if plan.overdue.is_some() {
                plan.treatment + plan.overdue.unwrap_or(0)
            } else {
                plan.los
            };
            if admit + stay_len > y_end {
                if k == 0 {
                    admit = y_end - stay_len - between(self.rng, 0, 30);
                    plan.admit = admit;
                } else {
                    break;
                }
            }
            match self.push_stay(idx, &plan, Cap::OpenAfter(y_end)) {
                Some(d) => {
                    last_discharge = Some(d);
                    admit = d + piece(self.rng, &[(25, 1, 30), (40, 31, 120), (35, 121, 300)]);
                }
                None => break,
            }
            if admit > y_end - 5 {
                break;
            }
        }
        self.somatic_contacts(idx, 0.6, 0.5);

        // Municipal services (seed 002: 95.5 % have a decision-bound service in Y).
        let long_term = last_discharge
            .map(|d| d + between(self.rng, 1, 40))
            .filter(|&start| start <= y_end && self.p(0.10));
        if self.p(0.975) {
            let menu: [(ServiceCode, f64); 9] = [
                (ServiceCode::HomeHealth, 0.70),
                (ServiceCode::PracticalHelp, 0.35),
                (ServiceCode::Meals, 0.12),
                (ServiceCode::ShortStayTreatment, 0.15),
                (ServiceCode::ShortStayOther, 0.12),
                (ServiceCode::DayActivity, 0.05),
                (ServiceCode::MedicationReview, 0.10),
                (ServiceCode::NutritionAssessment, 0.08),
                (ServiceCode::WelfareTech, 0.40),
            ];
            for (s, p) in menu {
                if long_term.is_some() && s == ServiceCode::ShortStayOther {
                    continue;
                }
                if self.p(p) {
                    self.service_period(idx, s);
                }
            }
            let decision_bound = self.svs.iter().any(|s| s.service.is_decision_bound());
            if !decision_bound && long_term.is_none() {
                self.service_period(idx, ServiceCode::HomeHealth);
            }
            if let Some(start) = long_term {
                // Short stays leading up to the long-term place (seed 002).
                let end1 = start - 1;
                let start1 = end1 - between(self.rng, 10, 30);
                if self.p(0.5) {
                    let end0 = start1 - between(self.rng, 10, 60);
                    let start0 = end0 - between(self.rng, 7, 21);
                    self.push_service(idx, ServiceCode::ShortStayOther, start0, Some(end0));
                }
                self.push_service(idx, ServiceCode::ShortStayOther, start1, Some(end1));
                self.push_service(idx, ServiceCode::LongTermStay, start, None);
            }
        } else if self.p(0.4) {
            self.service_period(idx, ServiceCode::WelfareTech);
        }
        self.primary_care(idx, 0.92, 0.9, 0.15, 0.08, 0.3);
    }
}
