//! Which diagnosis codes a person's rows carry: the person's own code in each SMI group, the
//! main and other diagnoses of each PHV row, and the final check that every group and the
//! substance-use code show on a row in Y.
//!
//! Kept apart from the rows' timing because the cohort filter reads codes: what a person's rows
//! say about their groups is decided here, when they happen is decided by the sector modules.

use super::rows::Episode;
use super::Sim;
use crate::codes::*;
use crate::random::{below, pick};

/// A person's SMI diagnoses.
#[derive(Clone, Copy)]
pub(super) struct Diagnoses {
    /// Group bit mask.
    pub(super) mask: u8,
    /// The person's code in each group (0 when not in the group).
    pub(super) code: [u8; 4],
    /// The person's substance-use code, 0 = none.
    pub(super) substance: u8,
    /// Put F1x on PHV rows (else it comes from TSB episodes).
    pub(super) substance_on_phv: bool,
}

impl Sim<'_> {
    /// The person's own code in each of the groups of `mask`.
    pub(super) fn group_codes(&mut self, mask: u8) -> [u8; 4] {
        let mut code = [0; 4];
        for (g, (slot, &(first, n))) in code.iter_mut().zip(&DX_GROUP).enumerate() {
            if mask & (1 << g) != 0 {
                *slot = first + below(self.rng, u32::from(n)) as u8;
            }
        }
        code
    }

    /// Main and other diagnoses for a PHV row of a person with these diagnoses.
    pub(super) fn dx_phv(&mut self, dx: &Diagnoses, main: &mut u8, other: &mut [u8; 3]) {
        let groups: [usize; 4] = [0, 1, 2, 3];
        let in_mask: Vec<usize> = groups
            .into_iter()
            .filter(|g| dx.mask & (1 << g) != 0)
            .collect();
        if in_mask.is_empty() {
            *main = DX_OTHER_MENTAL.0;
            return;
        }
        let g = pick(self.rng, &in_mask);
        *main = dx.code[g];
        let mut slot = 0;
        if in_mask.len() > 1 && self.p(0.5) {
            let h = pick(self.rng, &in_mask);
            if h != g {
                other[slot] = dx.code[h];
                slot += 1;
            }
        }
        if dx.substance != 0 && dx.substance_on_phv && self.p(0.5) {
            other[slot] = dx.substance;
            slot += 1;
        }
        if self.p(0.1) {
            other[slot] = DX_OTHER_MENTAL.0 + below(self.rng, u32::from(DX_OTHER_MENTAL.1)) as u8;
        }
    }

    /// Makes sure every group of a cohort person shows on a PHV row overlapping Y, and the
    /// substance code on a PHV or TSB row overlapping Y. The rows are sorted first.
    pub(super) fn ensure_cohort_codes(&mut self, dx: &Diagnoses) {
        let (from, to) = (self.w.y_start, self.w.y_end);
        self.sort_episodes();
        let phv_in_y =
            |e: &Episode| e.sector == PHV && e.level != POL_INPATIENT && e.overlaps(from, to);
        let mut missing: Vec<u8> = (0..4)
            .filter(|&g| dx.mask & (1 << g) != 0)
            .filter(|&g| {
                !self
                    .eps
                    .iter()
                    .any(|e| phv_in_y(e) && e.has_dx(|d| dx_group(d) == Some(g)))
            })
            .map(|g| dx.code[g])
            .collect();
        if dx.substance != 0
            && !self.eps.iter().any(|e| {
                (e.sector == PHV || e.sector == TSB)
                    && e.level != POL_INPATIENT
                    && e.overlaps(from, to)
                    && e.has_dx(dx_is_substance)
            })
        {
            missing.push(dx.substance);
        }
        // Every cohort person has a PHV row in Y by construction; put each missing code on
        // the first such row with room.
        for code in missing {
            for e in self.eps.iter_mut().filter(|e| phv_in_y(e)) {
                if e.add_other(code) {
                    break;
                }
            }
        }
    }
}
