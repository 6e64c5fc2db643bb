//! Which diagnosis codes a person's rows carry: the person's own code in each SMI group, the
//! main and other diagnoses of each PHV row, and the final check that every group and the
//! substance-use code show on a row in Y.
//!
//! Kept apart from the rows' timing because the cohort filter reads codes: what a person's rows
//! say about their groups is decided here, when they happen is decided by the sector modules.

use super::groups::Groups;
use super::rows::Episode;
use super::Sim;
use crate::codes::{
    dx_group, dx_is_substance, CareLevel, Dx, DxRange, Sector, SmiGroup, DX_OTHER_MENTAL,
};
use crate::random::{below, pick};

/// A person's SMI diagnoses.
#[derive(Clone, Copy)]
pub(super) struct Diagnoses {
    pub(super) groups: Groups,
    /// The person's code in each group of `groups` (by [`SmiGroup::index`]).
    pub(super) code: [Option<Dx>; 4],
    /// The person's substance-use code, if any.
    pub(super) substance: Option<Dx>,
    /// Put F1x on PHV rows (else it comes from TSB episodes).
    pub(super) substance_on_phv: bool,
}

impl Diagnoses {
    /// The person's code in group `g` (`None` when not in the group).
    pub(super) fn code(&self, g: SmiGroup) -> Option<Dx> {
        self.code[g.index()]
    }
}

impl Sim<'_> {
    /// A code drawn uniformly from `range`.
    pub(super) fn draw_dx(&mut self, range: DxRange) -> Dx {
        range.nth(below(self.rng, range.len()))
    }

    /// The person's own code in each of the `groups`.
    pub(super) fn group_codes(&mut self, groups: Groups) -> [Option<Dx>; 4] {
        let mut code = [None; 4];
        for g in groups.iter() {
            code[g.index()] = Some(self.draw_dx(g.codes()));
        }
        code
    }

    /// Main and other diagnoses for a PHV row of a person with these diagnoses.
    pub(super) fn dx_phv(
        &mut self,
        dx: &Diagnoses,
        main: &mut Option<Dx>,
        other: &mut [Option<Dx>; 3],
    ) {
        let in_mask: Vec<SmiGroup> = dx.groups.iter().collect();
        if in_mask.is_empty() {
            *main = Some(DX_OTHER_MENTAL.nth(0));
            return;
        }
        let g = pick(self.rng, &in_mask);
        *main = dx.code(g);
        let mut slot = 0;
        if in_mask.len() > 1 && self.p(0.5) {
            let h = pick(self.rng, &in_mask);
            if h != g {
                other[slot] = dx.code(h);
                slot += 1;
            }
        }
        if dx.substance.is_some() && dx.substance_on_phv && self.p(0.5) {
            other[slot] = dx.substance;
            slot += 1;
        }
        if self.p(0.1) {
            other[slot] = Some(self.draw_dx(DX_OTHER_MENTAL));
        }
    }

    /// Makes sure every group of a cohort person shows on a PHV row overlapping Y, and the
    /// substance code on a PHV or TSB row overlapping Y. The rows are sorted first.
    pub(super) fn ensure_cohort_codes(&mut self, dx: &Diagnoses) {
        let (from, to) = (self.w.y_start, self.w.y_end);
        self.sort_episodes();
        let phv_in_y = |e: &Episode| {
            e.sector == Sector::Phv && e.level != CareLevel::PolForInpatient && e.overlaps(from, to)
        };
        let mut missing: Vec<Dx> = dx
            .groups
            .iter()
            .filter(|&g| {
                !self
                    .eps
                    .iter()
                    .any(|e| phv_in_y(e) && e.has_dx(|d| dx_group(d) == Some(g)))
            })
            .filter_map(|g| dx.code(g))
            .collect();
        if let Some(substance) = dx.substance {
            let shown = self.eps.iter().any(|e| {
                (e.sector == Sector::Phv || e.sector == Sector::Tsb)
                    && e.level != CareLevel::PolForInpatient
                    && e.overlaps(from, to)
                    && e.has_dx(dx_is_substance)
            });
            if !shown {
                missing.push(substance);
            }
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
