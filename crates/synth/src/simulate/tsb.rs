//! Substance-use treatment (TSB): outpatient contacts and, for some, an inpatient stay.
//!
//! Separate from PHV because TSB rows carry the substance-use code and count for the cohort's
//! substance-use flag, not for its groups.

use super::rows::Episode;
use super::stays::{Cap, StayPlan};
use super::Sim;
use crate::calendar::Day;
use crate::codes::{CareLevel, ContactMode, Dx, ReferredBy, Sector, Unit, Urgency};
use crate::random::{between, pick_weighted, piece, Pieces};

pub(super) const LOS_TSB: &Pieces = &[(50, 5, 21), (40, 22, 90), (10, 91, 180)];

impl Sim<'_> {
    /// TSB treatment: outpatient contacts in `from..=to`, and an inpatient stay with
    /// probability `p_stay`.
    pub(super) fn tsb(&mut self, person: u32, substance: Dx, from: Day, to: Day, p_stay: f64) {
        let n = between(self.rng, 2, 20);
        self.distinct_days(from, to, n, true);
        for k in 0..self.days.len() {
            let mut e = Episode::new(person, Sector::Tsb, CareLevel::Pol, self.days[k]);
            e.main = Some(substance);
            e.unit = Some(Unit::TsbOutpatient);
            e.ambulant = Some(false);
            e.mode = Some(pick_weighted(
                self.rng,
                &[
                    (85, ContactMode::InPerson),
                    (5, ContactMode::Video),
                    (10, ContactMode::Phone),
                ],
            ));
            self.eps.push(e);
        }
        if self.p(p_stay) {
            let admit = between(self.rng, from, to);
            let planned = self.p(0.7);
            let mut plan = StayPlan::new(
                Sector::Tsb,
                admit,
                if planned {
                    Urgency::Planned
                } else {
                    Urgency::Acute
                },
                Unit::TsbInpatient,
                piece(self.rng, LOS_TSB),
            );
            plan.time = self.admission_time(!planned);
            plan.main = Some(substance);
            plan.referred = Some(pick_weighted(
                self.rng,
                &[
                    (50, ReferredBy::Gp),
                    (40, ReferredBy::Specialist),
                    (10, ReferredBy::Other),
                ],
            ));
            self.push_stay(person, &plan, Cap::OpenAfter(self.w.y_end));
        }
    }
}
