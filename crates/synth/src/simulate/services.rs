//! Municipal services (KPR/IPLOS): periods with a decision date, one-day events (reviews,
//! assessments), and periods that ended before Y.
//!
//! Periods of one service never overlap here (a service the person already has is skipped, an
//! earlier period ends before the next starts), so that every overlap in the file is an
//! injected `overlapping_service` defect.

use super::rows::Service;
use super::Sim;
use crate::calendar::{day, Day};
use crate::codes::ServiceCode;
use crate::random::{below, between};

impl Sim<'_> {
    pub(super) fn push_service(
        &mut self,
        person: u32,
        service: ServiceCode,
        start: Day,
        end: Option<Day>,
    ) {
        let decision = if !service.is_decision_bound() || service.is_event() || self.p(0.1) {
            None
        } else {
            Some(start - between(self.rng, 0, 45))
        };
        self.svs.push(Service {
            person,
            service,
            decision,
            start,
            end,
        });
    }

    /// One period of `service` overlapping Y (sometimes preceded by an earlier one that
    /// ended before it); one-day events (reviews, assessments) fall in Y.
    pub(super) fn service_period(&mut self, person: u32, service: ServiceCode) {
        let (first, y_start, y_end) = (self.w.first, self.w.y_start, self.w.y_end);
        if self.svs.iter().any(|s| s.service == service) {
            return;
        }
        if service.is_event() {
            let d = between(self.rng, y_start, y_end);
            self.push_service(person, service, d, Some(d));
            return;
        }
        let r = below(self.rng, 100);
        let start = if r < 45 {
            between(self.rng, day(self.w.year - 6, 1, 1), first - 1)
        } else if r < 70 {
            between(self.rng, first, y_start - 1)
        } else {
            between(self.rng, y_start, y_end - 7)
        };
        let end = if self.p(0.55) || start + 14 > y_end {
            None
        } else {
            Some(between(self.rng, (start + 14).max(y_start), y_end))
        };
        if self.p(0.10) {
            // An earlier period of the same service, ended well before this one started.
            let prior_end = start - between(self.rng, 30, 400);
            let prior_start = prior_end - between(self.rng, 30, 700);
            self.push_service(person, service, prior_start, Some(prior_end));
        }
        self.push_service(person, service, start, end);
    }

    /// A period that ended in Y−1 (does not count for Y).
    pub(super) fn service_ended_before_y(&mut self, person: u32, service: ServiceCode) {
        let end = between(self.rng, self.w.first, self.w.y_start - 1);
        let start = end - between(self.rng, 30, 900);
        self.push_service(person, service, start, Some(end));
    }
}
