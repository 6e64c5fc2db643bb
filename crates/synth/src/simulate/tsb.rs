//! Substance-use treatment (TSB): outpatient contacts and, for some, an inpatient stay.
//!
//! Separate from PHV because TSB rows carry the substance-use code and count for the cohort's
//! substance-use flag, not for its groups.

use super::rows::Episode;
use super::stays::{Cap, StayPlan};
use super::Sim;
use crate::calendar::Day;
use crate::codes::*;
use crate::random::{between, pick_weighted, piece, Pieces};

pub(super) const LOS_TSB: &Pieces = &[(50, 5, 21), (40, 22, 90), (10, 91, 180)];

impl Sim<'_> {
    /// TSB treatment: outpatient contacts in `from..=to`, and an inpatient stay with
    /// probability `p_stay`.
    pub(super) fn tsb(&mut self, person: u32, substance: u8, from: Day, to: Day, p_stay: f64) {
        let n = between(self.rng, 2, 20);
        self.distinct_days(from, to, n, true);
        for k in 0..self.days.len() {
            let mut e = Episode::new(person, TSB, POL, self.days[k]);
            e.main = substance;
            e.unit = U_TSB_POL;
            e.ambulant = 2;
            e.mode = pick_weighted(self.rng, &[(85, 1), (5, 2), (10, 3)]);
            self.eps.push(e);
        }
        if self.p(p_stay) {
            let admit = between(self.rng, from, to);
            let planned = self.p(0.7);
            let mut plan = StayPlan::new(
                TSB,
                admit,
                if planned { PLANNED } else { ACUTE },
                U_TSB_DOGN,
                piece(self.rng, LOS_TSB),
            );
            plan.time = self.admission_time(!planned);
            plan.main = substance;
            plan.referred = pick_weighted(
                self.rng,
                &[(50, REF_GP), (40, REF_SPECIALIST), (10, REF_OTHER)],
            );
            self.push_stay(person, &plan, Cap::OpenAfter(self.w.y_end));
        }
    }
}
