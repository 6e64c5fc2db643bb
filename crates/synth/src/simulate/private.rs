//! Private contract specialists (AVT_PHV, AVT_SOM): outpatient contacts.
//!
//! Their own module because they never count for the cohort: a group code seen only here must
//! leave a person out, which `non_cohort` relies on.

use super::rows::Episode;
use super::Sim;
use crate::calendar::Day;
use crate::codes::{CareLevel, ContactMode, Dx, Sector};
use crate::random::pick_weighted;

impl Sim<'_> {
    /// Contacts with a private contract specialist.
    pub(super) fn private_contacts(
        &mut self,
        person: u32,
        sector: Sector,
        from: Day,
        to: Day,
        n: i32,
        main: Dx,
    ) {
        self.distinct_days(from, to, n, true);
        for k in 0..self.days.len() {
            let mut e = Episode::new(person, sector, CareLevel::Pol, self.days[k]);
            e.main = Some(main);
            if sector == Sector::AvtPhv {
                e.mode = Some(pick_weighted(
                    self.rng,
                    &[(85, ContactMode::InPerson), (15, ContactMode::Video)],
                ));
            }
            self.eps.push(e);
        }
    }
}
