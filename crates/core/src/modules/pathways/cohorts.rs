//! The two cohorts whose discharges and flows are followed — SMI(Y) on their PHV rows, under
//! their SMI base groups without the substance split, and READY(Y) on their SOM rows, as
//! `ready` — shared by the pathway and flow modules so both read them the same way.

use crate::model::{PersonIdx, Sector};
use crate::module::{GroupBase, Input};
use crate::modules::smi::cohort::Cohort;
use crate::modules::smi::groups::SmiGroup;
use crate::text::Text;

/// The base groups: `all`, the four SMI diagnosis groups, `ready`.
pub(crate) fn bases() -> Vec<GroupBase> {
    let mut bases: Vec<GroupBase> = SmiGroup::ALL
        .iter()
        .map(|g| GroupBase {
            id: g.id(),
            label: g.label(),
        })
        .collect();
    bases.push(GroupBase {
        id: "ready",
        label: Text {
            nb: "Utskrivningsklare",
            en: "Ready for discharge",
        },
    });
    bases
}

/// SMI(Y) and READY(Y) of one analysis.
pub(crate) struct Cohorts<'a> {
    smi: &'a Cohort,
    ready: Vec<bool>,
}

impl<'a> Cohorts<'a> {
    /// SMI(Y) as §1 defines it; READY(Y): persons with a merged SOM stay with a ready date
    /// discharged in Y (§2).
    pub(crate) fn build(input: &'a Input<'_>) -> Cohorts<'a> {
        let y = input.year;
        let mut ready = vec![false; input.tables.persons.len()];
        for st in input.stays.all() {
            if st.sector == Sector::Som
                && st.ready_date.is_some()
                && st.discharge_date.is_some_and(|d| y.contains(d))
            {
                if let Some(r) = ready.get_mut(st.person.0 as usize) {
                    *r = true;
                }
            }
        }
        Cohorts {
            smi: input.smi_cohort(),
            ready,
        }
    }

    /// The group bits (in the order of [`bases`]) under which a row of `sector` of person `p`
    /// counts: PHV rows under the person's SMI groups, SOM rows under `ready`; 0 = not counted.
    pub(crate) fn groups(&self, p: PersonIdx, sector: Sector) -> u64 {
        match sector {
            Sector::Phv => self.smi.slot(p).map_or(0, |s| {
                let m = &self.smi.members[s];
                SmiGroup::ALL
                    .iter()
                    .enumerate()
                    .filter(|(_, g)| m.groups.contains(**g))
                    .fold(0u64, |bits, (i, _)| bits | 1 << i)
            }),
            Sector::Som if self.ready.get(p.0 as usize).copied().unwrap_or(false) => {
                1 << SmiGroup::ALL.len()
            }
            _ => 0,
        }
    }
}
