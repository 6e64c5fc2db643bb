//! Primary care (KUHR): GP contacts (regular, home visits, interdisciplinary meetings) and
//! out-of-hours contacts, with their contact types and tariffs.
//!
//! Contact type, interdisciplinary flag and tariffs are drawn together so that they never
//! contradict each other: a reader deriving the type from the tariffs finds the same answer.

use super::rows::Contact;
use super::Sim;
use crate::calendar::Day;
use crate::codes::{
    ContactType, Provider, T_CONSULTATION, T_CONSULTATION_MEETING, T_E_CONSULTATION,
    T_E_CONSULTATION_MEETING, T_HOME_VISIT, T_MEETING, T_NONE,
};
use crate::random::{between, pick, pick_weighted, piece, shuffle, Pieces};

/// GP contacts per year (median ≈ 6).
pub(super) const GP_COUNT: &Pieces = &[
    (15, 1, 2),
    (30, 3, 5),
    (30, 6, 10),
    (18, 11, 20),
    (7, 21, 40),
];
pub(super) const OOH_COUNT: &Pieces = &[(60, 1, 1), (25, 2, 3), (15, 4, 8)];

/// What a GP contact is for; decides its contact type and tariffs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GpVisit {
    Regular,
    HomeVisit,
    /// An interdisciplinary meeting (tariff 14).
    Interdisciplinary,
}

impl Sim<'_> {
    /// GP and out-of-hours contacts. `p_gp_y`/`p_gp_prior`: any GP contact in Y / Y−1;
    /// `p_home`, `p_inter`: home visits and interdisciplinary tariffs in Y; `p_ooh`: out-of-hours.
    pub(super) fn primary_care(
        &mut self,
        person: u32,
        p_gp_y: f64,
        p_gp_prior: f64,
        p_home: f64,
        p_inter: f64,
        p_ooh: f64,
    ) {
        let (first, y_start, y_end) = (self.w.first, self.w.y_start, self.w.y_end);
        for (in_y, from, to) in [(false, first, y_start - 1), (true, y_start, y_end)] {
            let p_gp = if in_y { p_gp_y } else { p_gp_prior };
            if self.p(p_gp) {
                let regular = piece(self.rng, GP_COUNT);
                let home = if in_y && self.p(p_home) {
                    between(self.rng, 1, 3)
                } else {
                    0
                };
                let inter = if in_y && self.p(p_inter) {
                    between(self.rng, 1, 3)
                } else {
                    0
                };
                self.distinct_days(from, to, regular + home + inter, true);
                // Home visits and interdisciplinary rows fall on random days of the year.
                let n = self.days.len();
                let mut kinds: Vec<GpVisit> = (0..n as i32)
                    .map(|k| {
                        if k < home {
                            GpVisit::HomeVisit
                        } else if k < home + inter {
                            GpVisit::Interdisciplinary
                        } else {
                            GpVisit::Regular
                        }
                    })
                    .collect();
                shuffle(self.rng, &mut kinds);
                for (k, &kind) in kinds.iter().enumerate() {
                    let c = self.gp_contact(person, self.days[k], kind);
                    self.pcs.push(c);
                }
            }
            let p_o = if in_y { p_ooh } else { p_ooh * 0.8 };
            if self.p(p_o) {
                let n = piece(self.rng, OOH_COUNT);
                self.distinct_days(from, to, n, false);
                for k in 0..self.days.len() {
                    let date = self.days[k];
                    let c = self.ooh_contact(person, date);
                    self.pcs.push(c);
                }
            }
        }
        self.pcs.sort_by_key(|c| (c.date, c.provider));
        self.pcs
            .dedup_by(|b, a| a.date == b.date && a.provider == b.provider);
    }

    fn gp_contact(&mut self, person: u32, date: Day, kind: GpVisit) -> Contact {
        let (contact_type, tariffs, interdisciplinary) = match kind {
            GpVisit::HomeVisit => (ContactType::HomeVisit, pick(self.rng, &T_HOME_VISIT), false),
            GpVisit::Interdisciplinary => pick_weighted(
                self.rng,
                &[
                    (50, (ContactType::Other, T_MEETING, true)),
                    (
                        30,
                        (ContactType::Consultation, T_CONSULTATION_MEETING, true),
                    ),
                    (
                        20,
                        (ContactType::EConsultation, T_E_CONSULTATION_MEETING, true),
                    ),
                ],
            ),
            GpVisit::Regular => {
                let ct = pick_weighted(
                    self.rng,
                    &[
                        (58, ContactType::Consultation),
                        (18, ContactType::Phone),
                        (20, ContactType::EConsultation),
                        (4, ContactType::Other),
                    ],
                );
                let t = match ct {
                    ContactType::Consultation => pick_weighted(
                        self.rng,
                        &[
                            (70, T_CONSULTATION[0]),
                            (10, T_CONSULTATION[1]),
                            (8, T_CONSULTATION[2]),
                            (7, T_CONSULTATION[3]),
                            (5, T_CONSULTATION[4]),
                        ],
                    ),
                    ContactType::EConsultation => pick_weighted(
                        self.rng,
                        &[
                            (70, T_E_CONSULTATION[0]),
                            (20, T_E_CONSULTATION[1]),
                            (10, T_E_CONSULTATION[2]),
                        ],
                    ),
                    _ => T_NONE,
                };
                (ct, t, false)
            }
        };
        // Rows whose tariffs decide the contact type may leave it (and tverrfaglig) empty.
        let derivable = tariffs != T_NONE && tariffs != T_MEETING;
        Contact {
            person,
            date,
            provider: Provider::Gp,
            contact_type,
            interdisciplinary,
            explicit: !(derivable && self.p(0.15)),
            tariffs,
        }
    }

    fn ooh_contact(&mut self, person: u32, date: Day) -> Contact {
        let (contact_type, tariffs) = pick_weighted(
            self.rng,
            &[
                (50, (ContactType::Consultation, T_CONSULTATION[0])),
                (23, (ContactType::Consultation, T_CONSULTATION[4])),
                (25, (ContactType::Phone, T_NONE)),
                (2, (ContactType::HomeVisit, T_HOME_VISIT[1])),
            ],
        );
        Contact {
            person,
            date,
            provider: Provider::OutOfHours,
            contact_type,
            interdisciplinary: false,
            explicit: !(tariffs != T_NONE && self.p(0.15)),
            tariffs,
        }
    }
}
