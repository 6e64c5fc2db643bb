//! Somatic hospital care: outpatient contacts, and stays that may become ready for discharge.
//!
//! Most kinds of person get some of these, so that indicators which must ignore somatic rows
//! have some to ignore; the frail kind uses the same stay plan with ready dates.

use super::phv::GAP;
use super::rows::Episode;
use super::stays::{Cap, StayPlan};
use super::Sim;
use crate::calendar::Day;
use crate::codes::{CareLevel, Dx, ReferredBy, Sector, Unit, Urgency, DX_FRAIL, DX_SOMATIC};
use crate::random::{between, pick, pick_weighted, piece, Pieces};

pub(super) const SOM_POL_COUNT: &Pieces = &[(40, 1, 1), (30, 2, 3), (20, 4, 6), (10, 7, 12)];
pub(super) const LOS_SOM: &Pieces = &[(40, 1, 3), (40, 4, 8), (20, 9, 20)];
/// Overdue days of a ready-for-discharge stay that has any (14 % of stays, seed 002).
pub(super) const OVERDUE: &Pieces = &[(50, 1, 3), (35, 4, 10), (15, 11, 30)];

impl Sim<'_> {
    /// Somatic outpatient contacts in Y (probability `p_y`) and Y−1 (`p_prior`).
    pub(super) fn somatic_contacts(&mut self, person: u32, p_y: f64, p_prior: f64) {
        let (first, y_start, y_end) = (self.w.first, self.w.y_start, self.w.y_end);
        for (p, from, to) in [(p_prior, first, y_start - 1), (p_y, y_start, y_end)] {
            if !self.p(p) {
                continue;
            }
            let n = piece(self.rng, SOM_POL_COUNT);
            self.distinct_days(from, to, n, true);
            for k in 0..self.days.len() {
                let mut e = Episode::new(person, Sector::Som, CareLevel::Pol, self.days[k]);
                e.main = Some(self.somatic_dx());
                self.eps.push(e);
            }
        }
    }

    /// A somatic main diagnosis, uniform over the DX_SOMATIC range.
    pub(super) fn somatic_dx(&mut self) -> Dx {
        self.draw_dx(DX_SOMATIC)
    }

    /// A somatic stay plan; `ready_candidate` gives it a ready_date (86 % without overdue days).
    pub(super) fn somatic_plan(&mut self, admit: Day, ready_candidate: bool) -> StayPlan {
        let acute = self.p(if ready_candidate { 0.85 } else { 0.7 });
        let unit = pick_weighted(
            self.rng,
            &[
                (50, Unit::Medical),
                (25, Unit::Geriatric),
                (15, Unit::Orthopaedic),
                (10, Unit::Surgical),
            ],
        );
        let mut plan = StayPlan::new(
            Sector::Som,
            admit,
            if acute {
                Urgency::Acute
            } else {
                Urgency::Planned
            },
            unit,
            piece(self.rng, LOS_SOM),
        );
        plan.time = self.admission_time(acute);
        plan.main = Some(if ready_candidate {
            pick(self.rng, &DX_FRAIL)
        } else {
            self.somatic_dx()
        });
        plan.referred = Some(if acute {
            pick_weighted(
                self.rng,
                &[
                    (50, ReferredBy::OutOfHours),
                    (40, ReferredBy::Gp),
                    (10, ReferredBy::Other),
                ],
            )
        } else {
            pick_weighted(
                self.rng,
                &[(60, ReferredBy::Gp), (40, ReferredBy::Specialist)],
            )
        });
        plan.elderly = true;
        if ready_candidate {
            plan.treatment = between(self.rng, 2, 14);
            plan.overdue = Some(if self.p(0.86) {
                0
            } else {
                piece(self.rng, OVERDUE)
            });
        }
        plan
    }

    /// `n` somatic stays in Y; each gets a ready_date with probability `p_ready`.
    pub(super) fn somatic_stays(&mut self, person: u32, n: i32, p_ready: f64, elderly: bool) {
        let (y_start, y_end) = (self.w.y_start, self.w.y_end);
        let mut admit = between(self.rng, y_start - 20, y_end - 10);
        for _ in 0..n {
            let ready = self.p(p_ready);
            let mut plan = self.somatic_plan(admit, ready);
            plan.elderly = elderly;
            if admit < y_start {
                plan.los = plan.los.max(y_start - admit);
                plan.treatment = plan.treatment.max(y_start - admit);
            }
            match self.push_stay(person, &plan, Cap::OpenAfter(y_end)) {
                Some(d) => admit = d + piece(self.rng, GAP),
                None => break,
            }
            if admit > y_end {
                break;
            }
        }
    }
}
