//! How a planned inpatient stay becomes episode rows: the admission time, the transfers between
//! units (one row each, sometimes overlapping by a day), cutting or leaving open a stay that runs
//! past its limit, the discharge letter, the ready-for-discharge date and where the patient went.
//!
//! Every sector's stays go through [`Sim::push_stay`], so a stay plan ([`StayPlan`]) is all a
//! sector module decides; the rules a reader checks about stays live in one place.

use super::rows::Episode;
use super::Sim;
use crate::calendar::Day;
use crate::codes::{CareLevel, ContactMode, DischargedTo, Dx, ReferredBy, Sector, Unit, Urgency};
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
    pub(super) sector: Sector,
    pub(super) admit: Day,
    pub(super) time: u16,
    pub(super) urgency: Urgency,
    pub(super) unit: Unit,
    pub(super) los: i32,
    /// Follow-on units after transfers, with their lengths of stay, filled from the front.
    pub(super) transfers: [Option<(Unit, i32)>; 2],
    pub(super) main: Option<Dx>,
    pub(super) other: [Option<Dx>; 3],
    pub(super) referred: Option<ReferredBy>,
    /// Overdue days when the stay gets a ready_date (`Some(0)` = ready on the discharge day).
    pub(super) overdue: Option<i32>,
    /// Treatment days before ready_date when `overdue` is set.
    pub(super) treatment: i32,
    pub(super) elderly: bool,
}

impl StayPlan {
    pub(super) fn new(
        sector: Sector,
        admit: Day,
        urgency: Urgency,
        unit: Unit,
        los: i32,
    ) -> StayPlan {
        StayPlan {
            sector,
            admit,
            time: 0,
            urgency,
            unit,
            los,
            transfers: [None; 2],
            main: None,
            other: [None; 3],
            referred: None,
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
        let n_rows = 1 + plan.transfers.iter().flatten().count();
        for row in 0..n_rows {
            let mut e = Episode::new(person, plan.sector, CareLevel::Dogn, admit);
            e.time = Some(time);
            e.urgency = Some(urgency);
            e.unit = Some(unit);
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
                e.discharged_to = Some(self.discharged_to(plan));
                if !self.p(0.04) {
                    e.letter = Some(discharge + piece(self.rng, LETTER_DELAY));
                }
                if let Some(overdue) = plan.overdue {
                    let ready = (discharge - overdue).max(admit);
                    e.ready = Some(ready);
                } else if plan.sector == Sector::Phv && discharge - admit >= 10 && self.p(0.03) {
                    let overdue = between(self.rng, 1, (discharge - admit).min(30));
                    e.ready = Some(discharge - overdue);
                }
                self.eps.push(e);
                if plan.sector == Sector::Phv {
                    self.inpatient_contacts(&e);
                }
                return Some(discharge);
            }
            e.discharged_to = Some(DischargedTo::OtherInstitution);
            self.eps.push(e);
            if plan.sector == Sector::Phv {
                self.inpatient_contacts(&e);
            }
            // Transfer: the next row starts on the discharge day, or the day before (overlap).
            // (`transfers` is filled from the front, so a row before the last has its transfer.)
            let Some((next_unit, next_los)) = plan.transfers[row] else {
                break;
            };
            let overlap = discharge - 1 > admit && self.p(0.2);
            admit = if overlap { discharge - 1 } else { discharge };
            los = next_los + i32::from(overlap);
            unit = next_unit;
            urgency = if self.p(0.5) {
                Urgency::Acute
            } else {
                Urgency::ReturnTransfer
            };
            time = self.office_time();
            referred = Some(ReferredBy::Specialist);
        }
        None
    }

    pub(super) fn discharged_to(&mut self, plan: &StayPlan) -> DischargedTo {
        if plan.sector == Sector::Som && plan.overdue.is_some() {
            return pick_weighted(
                self.rng,
                &[
                    (50, DischargedTo::HomeWithServices),
                    (25, DischargedTo::NursingHome),
                    (10, DischargedTo::Home),
                    (10, DischargedTo::OtherInstitution),
                    (5, DischargedTo::Other),
                ],
            );
        }
        let nursing = if plan.elderly {
            DischargedTo::NursingHome
        } else {
            DischargedTo::Other
        };
        pick_weighted(
            self.rng,
            &[
                (72, DischargedTo::Home),
                (18, DischargedTo::HomeWithServices),
                (5, DischargedTo::OtherInstitution),
                (4, DischargedTo::Other),
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
        let mut e = Episode::new(stay.person, Sector::Phv, CareLevel::PolForInpatient, first);
        e.main = stay.main;
        e.unit = Some(Unit::DpsOutpatient);
        e.mode = Some(ContactMode::InPerson);
        self.eps.push(e);
    }
}
