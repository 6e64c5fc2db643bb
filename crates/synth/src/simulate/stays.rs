//! How a planned inpatient stay becomes episode rows: the admission time, the transfers between
//! units (one row each, sometimes overlapping by a day), cutting or leaving open a stay that runs
//! past its limit, the discharge letter, the ready-for-discharge date and where the patient went.
//!
//! Every sector's stays go through [`Sim::push_stay`], so a stay plan ([`StayPlan`]) is all a
//! sector module decides; the rules a reader checks about stays live in one place.

use super::rows::Episode;
use super::Sim;
use crate::calendar::Day;
use crate::codes::*;
use crate::random::{below, between, pick_weighted, piece, Pieces};

/// Days from discharge to the discharge letter: ≈ 58 % within 1 day, ≈ 88 % within 7.
pub(super) const LETTER_DELAY: &Pieces = &[(35, 0, 0), (21, 1, 1), (28, 2, 7), (12, 8, 20)];

/// How a stay that runs past its limit is cut.
#[derive(Clone, Copy)]
pub(super) enum Cap {
    /// Past this day the stay is still open (empty discharge_date).
    OpenAfter(Day),
    /// The stay ends on this day at the latest (persons who must leave no trace in Y).
    EndBy(Day),
}

/// An inpatient stay to write as one or more rows (transfers).
pub(super) struct StayPlan {
    pub(super) sector: u8,
    pub(super) admit: Day,
    pub(super) time: u16,
    pub(super) urgency: u8,
    pub(super) unit: u8,
    pub(super) los: i32,
    /// Follow-on units after transfers, with their lengths of stay.
    pub(super) transfers: [(u8, i32); 2],
    pub(super) main: u8,
    pub(super) other: [u8; 3],
    pub(super) referred: u8,
    /// Overdue days when the stay gets a ready_date (`Some(0)` = ready on the discharge day).
    pub(super) overdue: Option<i32>,
    /// Treatment days before ready_date when `overdue` is set.
    pub(super) treatment: i32,
    pub(super) elderly: bool,
}

impl StayPlan {
    pub(super) fn new(sector: u8, admit: Day, urgency: u8, unit: u8, los: i32) -> StayPlan {
        StayPlan {
            sector,
            admit,
            time: 0,
            urgency,
            unit,
            los,
            transfers: [(0, 0); 2],
            main: 0,
            other: [0; 3],
            referred: 0,
            overdue: None,
            treatment: 0,
            elderly: false,
        }
    }
}

impl Sim<'_> {
    pub(super) fn any_time(&mut self) -> u16 {
        below(self.rng, 1440) as u16
    }

    /// Admission time at PAM: 24 % inside 08:00–16:00, 76 % outside (seed 003).
    pub(super) fn pam_time(&mut self) -> u16 {
        if self.p(0.24) {
            (480 + below(self.rng, 480)) as u16
        } else {
            ((960 + below(self.rng, 960)) % 1440) as u16
        }
    }

    pub(super) fn office_time(&mut self) -> u16 {
        (540 + below(self.rng, 360)) as u16
    }

    /// Admission time: acute admissions come at any hour, planned ones in office hours.
    pub(super) fn admission_time(&mut self, acute: bool) -> u16 {
        if acute {
            self.any_time()
        } else {
            self.office_time()
        }
    }

    /// Writes a stay as rows; returns the final discharge day, or `None` while still open.
    pub(super) fn push_stay(&mut self, person: u32, plan: &StayPlan, cap: Cap) -> Option<Day> {
        let mut admit = plan.admit;
        let mut los = if plan.overdue.is_some() {
            plan.treatment + plan.overdue.unwrap_or(0)
        } else {
            plan.los
        }
        .max(0);
        let mut unit = plan.unit;
        let mut urgency = plan.urgency;
        let mut time = plan.time;
        let mut referred = plan.referred;
        let n_rows = 1 + plan.transfers.iter().filter(|t| t.0 != 0).count();
        for row in 0..n_rows {
            let mut e = Episode::new(person, plan.sector, DOGN, admit);
            e.time = Some(time);
            e.urgency = urgency;
            e.unit = unit;
            e.main = plan.main;
            e.other = plan.other;
            e.referred = referred;
            let mut discharge = admit + los;
            let last = row + 1 == n_rows;
            let mut open = false;
            match cap {
                Cap::OpenAfter(limit) if discharge > limit => open = true,
                Cap::EndBy(limit) if discharge > limit => discharge = limit.max(admit),
                _ => {}
            }
            if open {
                e.discharge = None;
                if let (Some(_), true) = (plan.overdue, last) {
                    // ready, but not yet discharged at the extract date
                    let ready = admit + plan.treatment;
                    if ready <= discharge.min(self.w.y_end) {
                        e.ready = Some(ready);
                    }
                }
                self.eps.push(e);
                return None;
            }
            e.discharge = Some(discharge);
            let cut_short = discharge < admit + los;
            if last || cut_short {
                e.discharged_to = self.discharged_to(plan);
                if !self.p(0.04) {
                    e.letter = Some(discharge + piece(self.rng, LETTER_DELAY));
                }
                if let Some(overdue) = plan.overdue {
                    let ready = (discharge - overdue).max(admit);
                    e.ready = Some(ready);
                } else if plan.sector == PHV && discharge - admit >= 10 && self.p(0.03) {
                    let overdue = between(self.rng, 1, (discharge - admit).min(30));
                    e.ready = Some(discharge - overdue);
                }
                self.eps.push(e);
                if plan.sector == PHV {
                    self.inpatient_contacts(&e);
                }
                return Some(discharge);
            }
            e.discharged_to = TO_INSTITUTION;
            self.eps.push(e);
            if plan.sector == PHV {
                self.inpatient_contacts(&e);
            }
            // Transfer: the next row starts on the discharge day, or the day before (overlap).
            let (next_unit, next_los) = plan.transfers[row];
            let overlap = discharge - 1 > admit && self.p(0.2);
            admit = if overlap { discharge - 1 } else { discharge };
            los = next_los + i32::from(overlap);
            unit = next_unit;
            urgency = if self.p(0.5) { ACUTE } else { RETURN_TRANSFER };
            time = self.office_time();
            referred = REF_SPECIALIST;
        }
        None
    }

    pub(super) fn discharged_to(&mut self, plan: &StayPlan) -> u8 {
        if plan.sector == SOM && plan.overdue.is_some() {
            return pick_weighted(
                self.rng,
                &[
                    (50, TO_HOME_SERVICES),
                    (25, TO_NURSING_HOME),
                    (10, TO_HOME),
                    (10, TO_INSTITUTION),
                    (5, TO_OTHER),
                ],
            );
        }
        let nursing = if plan.elderly {
            TO_NURSING_HOME
        } else {
            TO_OTHER
        };
        pick_weighted(
            self.rng,
            &[
                (72, TO_HOME),
                (18, TO_HOME_SERVICES),
                (5, TO_INSTITUTION),
                (4, TO_OTHER),
                (1, nursing),
            ],
        )
    }

    /// NPR care level 8 (an outpatient contact for an inpatient) during some PHV stays.
    pub(super) fn inpatient_contacts(&mut self, stay: &Episode) {
        let Some(discharge) = stay.discharge else {
            return;
        };
        if discharge - stay.admit < 3 || !self.p(0.08) {
            return;
        }
        let first = stay.admit + 1 + below(self.rng, (discharge - stay.admit - 1) as u32) as i32;
        let mut e = Episode::new(stay.person, PHV, POL_INPATIENT, first);
        e.main = stay.main;
        e.unit = U_DPS_POL;
        e.mode = 1;
        self.eps.push(e);
    }
}
