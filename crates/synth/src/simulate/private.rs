//! Private contract specialists (AVT_PHV, AVT_SOM): outpatient contacts.
//!
//! Their own module because they never count for the cohort: a group code seen only here must
//! leave a person out, which `non_cohort` relies on.

use super::rows::Episode;
use super::Sim;
use crate::calendar::Day;
use crate::codes::*;
use crate::random::pick_weighted;

impl Sim<'_> {
    /// Contacts with a private contract specialist.
    pub(super) fn private_contacts(
        &mut self,
        person: u32,
        sector: u8,
        from: Day,
        to: Day,
        n: i32,
        main: u8,
    ) {
        self.distinct_days(from, to, n, true);
        for k in 0..self.days.len() {
            let mut e = Episode::new(person, sector, POL, self.days[k]);
            e.main = main;
            if sector == AVT_PHV {
                e.mode = pick_weighted(self.rng, &[(85, 1), (15, 2)]);
            }
            self.eps.push(e);
        }
    }
}
