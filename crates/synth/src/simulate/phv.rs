//! Mental health care for adults (PHV): acute and planned stays, the psychiatric emergency unit
//! (PAM) and its revolving-door series, and outpatient contacts, with their counts and lengths
//! of stay.
//!
//! The SMI indicators are mostly about these rows, so their distributions are the seed's and
//! are kept together with the code that draws them.

use super::diagnoses::Diagnoses;
use super::rows::Episode;
use super::stays::{Cap, StayPlan};
use super::Sim;
use crate::calendar::Day;
use crate::codes::{CareLevel, ContactMode, ReferredBy, Sector, Unit, Urgency};
use crate::random::{between, pick, pick_weighted, piece, Pieces};

/// PHV outpatient contacts per year (median ≈ 8).
pub(super) const POL_COUNT: &Pieces = &[
    (14, 1, 2),
    (24, 3, 5),
    (26, 6, 10),
    (22, 11, 20),
    (11, 21, 40),
    (3, 41, 90),
];
/// Merged PHV inpatient stays in Y of an admitted person.
pub(super) const STAYS: &Pieces = &[(62, 1, 1), (22, 2, 2), (9, 3, 3), (7, 4, 6)];
/// Acute PAM admissions in a year of a revolving-door patient (mean ≈ 6, as the seed's 5–6).
pub(super) const PAM_SERIES: &Pieces = &[(30, 3, 3), (30, 4, 5), (30, 6, 10), (10, 11, 16)];
/// Days between a discharge and the next admission.
pub(super) const GAP: &Pieces = &[(30, 1, 30), (45, 31, 120), (25, 121, 250)];
pub(super) const LOS_ACUTE: &Pieces = &[
    (20, 1, 3),
    (30, 4, 10),
    (35, 11, 30),
    (12, 31, 90),
    (3, 91, 200),
];
pub(super) const LOS_PLANNED: &Pieces = &[(30, 3, 14), (50, 15, 45), (20, 46, 120)];
/// PAM stays: 1–4 days, mean 2.4 (the seed assumes 2.5).
pub(super) const LOS_PAM: &Pieces = &[(20, 1, 1), (35, 2, 2), (30, 3, 3), (15, 4, 4)];
pub(super) const LOS_WARD: &Pieces = &[(40, 3, 10), (45, 11, 30), (15, 31, 70)];

impl Sim<'_> {
    /// An acute or planned PHV stay plan starting on `admit`.
    pub(super) fn phv_plan(&mut self, dx: &Diagnoses, admit: Day, elderly: bool) -> StayPlan {
        let acute = self.p(0.75);
        let mut plan = if acute {
            if self.p(0.5) {
                // Through the psychiatric emergency unit, often transferred on to a ward.
                let mut plan = StayPlan::new(
                    Sector::Phv,
                    admit,
                    Urgency::Acute,
                    Unit::Pam,
                    piece(self.rng, LOS_PAM),
                );
                plan.time = self.pam_time();
                if self.p(0.6) {
                    let ward = pick(self.rng, &[Unit::AcuteWard, Unit::General]);
                    plan.transfers[0] = Some((ward, piece(self.rng, LOS_WARD)));
                    if self.p(0.15) {
                        plan.transfers[1] = Some((Unit::Dps, piece(self.rng, LOS_WARD)));
                    }
                }
                plan
            } else {
                let unit = pick_weighted(
                    self.rng,
                    &[
                        (60, Unit::AcuteWard),
                        (25, Unit::General),
                        (5, Unit::Secure),
                        (10, Unit::OldAge),
                    ],
                );
                let unit = if unit == Unit::OldAge && !elderly {
                    Unit::General
                } else {
                    unit
                };
                let mut plan = StayPlan::new(
                    Sector::Phv,
                    admit,
                    Urgency::Acute,
                    unit,
                    piece(self.rng, LOS_ACUTE),
                );
                plan.time = self.any_time();
                if self.p(0.15) {
                    plan.transfers[0] = Some((Unit::Dps, piece(self.rng, LOS_WARD)));
                }
                plan
            }
        } else {
            let mut plan = StayPlan::new(
                Sector::Phv,
                admit,
                Urgency::Planned,
                Unit::Dps,
                piece(self.rng, LOS_PLANNED),
            );
            plan.time = self.office_time();
            plan
        };
        plan.referred = Some(if acute {
            pick_weighted(
                self.rng,
                &[
                    (45, ReferredBy::OutOfHours),
                    (30, ReferredBy::Gp),
                    (15, ReferredBy::Specialist),
                    (10, ReferredBy::Other),
                ],
            )
        } else {
            pick_weighted(
                self.rng,
                &[
                    (40, ReferredBy::Gp),
                    (50, ReferredBy::Specialist),
                    (10, ReferredBy::Other),
                ],
            )
        });
        plan.elderly = elderly;
        self.dx_phv(dx, &mut plan.main, &mut plan.other);
        plan
    }

    /// `n` stays admitted from `from` on (the first no later than `latest_first`); returns the
    /// day after the last discharge (or after the cap when a stay was cut).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn phv_stays(
        &mut self,
        person: u32,
        dx: &Diagnoses,
        from: Day,
        latest_first: Day,
        n: i32,
        cap: Cap,
        elderly: bool,
    ) -> Day {
        let mut admit = between(self.rng, from, latest_first.max(from));
        let mut next = from;
        for _ in 0..n {
            let limit = match cap {
                Cap::EndBy(d) | Cap::OpenAfter(d) => d,
            };
            if admit > limit {
                break;
            }
            let plan = self.phv_plan(dx, admit, elderly);
            match self.push_stay(person, &plan, cap) {
                Some(d) => {
                    next = d + 1;
                    admit = d + piece(self.rng, GAP);
                }
                None => return limit + 1,
            }
        }
        next
    }

    /// Stays overlapping Y, the first admitted on `first` (which may be in late Y−1: the stay
    /// then runs into Y).
    pub(super) fn phv_stays_from(
        &mut self,
        person: u32,
        dx: &Diagnoses,
        first: Day,
        n: i32,
        y_end: Day,
        elderly: bool,
    ) {
        let mut admit = first;
        for k in 0..n {
            if admit > y_end {
                break;
            }
            let mut plan = self.phv_plan(dx, admit, elderly);
            if k == 0 && admit < self.w.y_start {
                // Make it reach 1 January or later.
                let need = self.w.y_start - admit + between(self.rng, 0, 20);
                plan.los = plan.los.max(need);
                plan.transfers = [None; 2];
            }
            match self.push_stay(person, &plan, Cap::OpenAfter(y_end)) {
                Some(d) => admit = d + piece(self.rng, GAP),
                None => break,
            }
        }
    }

    /// A series of short acute PAM admissions between `from` and `to` (revolving door).
    pub(super) fn pam_series(
        &mut self,
        person: u32,
        dx: &Diagnoses,
        from: Day,
        to: Day,
        n: i32,
    ) -> Day {
        let mut cursor = from;
        for k in 0..n {
            let remaining = n - k;
            let room = (to - cursor) / remaining;
            if room < 2 {
                break;
            }
            let admit = cursor + between(self.rng, 1, (room - 3).max(1));
            let mut plan = StayPlan::new(
                Sector::Phv,
                admit,
                Urgency::Acute,
                Unit::Pam,
                piece(self.rng, LOS_PAM),
            );
            plan.time = self.pam_time();
            plan.referred = Some(pick_weighted(
                self.rng,
                &[
                    (60, ReferredBy::OutOfHours),
                    (25, ReferredBy::Gp),
                    (15, ReferredBy::Other),
                ],
            ));
            if self.p(0.2) {
                plan.transfers[0] = Some((Unit::AcuteWard, between(self.rng, 3, 15)));
            }
            self.dx_phv(dx, &mut plan.main, &mut plan.other);
            match self.push_stay(person, &plan, Cap::OpenAfter(self.w.y_end)) {
                Some(d) => cursor = d + 1,
                None => return self.w.y_end + 1,
            }
        }
        cursor
    }

    /// `n` PHV outpatient contacts on distinct weekdays in `from..=to`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn phv_contacts(
        &mut self,
        person: u32,
        dx: &Diagnoses,
        from: Day,
        to: Day,
        n: i32,
        ambulant: bool,
        unit: Unit,
    ) {
        self.distinct_days(from, to, n, true);
        let first_row = self.eps.len();
        for k in 0..self.days.len() {
            let mut e = Episode::new(person, Sector::Phv, CareLevel::Pol, self.days[k]);
            self.dx_phv(dx, &mut e.main, &mut e.other);
            e.unit = Some(unit);
            if ambulant && self.p(0.35) {
                e.ambulant = Some(true);
                e.unit = Some(Unit::Ambulant);
                e.mode = Some(ContactMode::InPerson);
            } else {
                e.ambulant = Some(false);
                e.mode = Some(pick_weighted(
                    self.rng,
                    &[
                        (78, ContactMode::InPerson),
                        (8, ContactMode::Video),
                        (14, ContactMode::Phone),
                    ],
                ));
            }
            if k == 0 && self.p(0.6) {
                e.referred = Some(pick_weighted(
                    self.rng,
                    &[
                        (60, ReferredBy::Gp),
                        (20, ReferredBy::Specialist),
                        (20, ReferredBy::Other),
                    ],
                ));
            }
            self.eps.push(e);
        }
        if ambulant
            && first_row < self.eps.len()
            && !self.eps[first_row..]
                .iter()
                .any(|e| e.ambulant == Some(true))
        {
            let e = &mut self.eps[first_row];
            e.ambulant = Some(true);
            e.unit = Some(Unit::Ambulant);
            e.mode = Some(ContactMode::InPerson);
        }
    }
}
