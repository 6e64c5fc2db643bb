//! Small-number suppression (indicators.md §5, docs/choices.md), applied in the engine before
//! anything reaches a chart, table or export.
//!
//! - Primary: a cell is suppressed when any number it publishes (numerator, denominator, count;
//!   for a median the number of values behind it) is below k, zero included.
//! - Secondary: in every family "a total and its parts", when the total is shown and exactly one
//!   part is suppressed, the smallest other shown part (by numerator, then denominator, then
//!   name) is suppressed too; repeated until nothing changes. Each round decides every family
//!   on the state the round started with, so the family order does not matter.
//! - k = 0 switches both off.

use crate::output::{Cell, SuppressReason};

/// A cell on its way to publication, with what suppression needs to know about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The cell (already `Suppressed` when it cannot be computed).
    pub cell: Cell,
    /// The numbers tested against k: numerator and denominator, or the count, or for a median
    /// the number of values behind it.
    pub numbers: [Option<u64>; 2],
    /// The order among parts: (numerator, denominator); a median ranks by its count.
    pub rank: (u64, u64),
}

/// A total and its parts, as indices into a slice of [`Candidate`]s. The parts are listed in
/// name order, which breaks ties between equal ranks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Family {
    /// The total.
    pub total: usize,
    /// The parts, in name order.
    pub parts: Vec<usize>,
}

/// The k test, the one place it is written: a published number `n` is too small when it is
/// below `k` (zero included); k = 0 lets every number through.
pub fn below_k(n: u64, k: u64) -> bool {
    k > 0 && n < k
}

/// A plain count as a published cell: the number, or suppressed when it is below k.
pub fn count_cell(n: u64, k: u64) -> Cell {
    if below_k(n, k) {
        Cell::Suppressed(SuppressReason::Primary)
    } else {
        Cell::Value {
            numerator: Some(n),
            denominator: None,
            value: n as f64,
        }
    }
}

/// Primary suppression: every cell with a published number below `k` (k = 0: none).
pub fn suppress_primary(cells: &mut [Candidate], k: u64) {
    if k == 0 {
        return;
    }
    for c in cells {
        if !c.cell.is_suppressed() && c.numbers.iter().flatten().any(|&n| below_k(n, k)) {
            c.cell = Cell::Suppressed(SuppressReason::Primary);
        }
    }
}

/// Secondary suppression over `families`, to a fixpoint.
///
/// Every round looks at all families in the state the round started with, collects the part
/// each family must hide, and hides them all at once; rounds repeat until one hides nothing.
/// So the result does not depend on the order of the families (an area family and a group
/// family that share a cell give the same answer whichever is listed first).
pub fn suppress_secondary(cells: &mut [Candidate], families: &[Family]) {
    loop {
        let mut hide = std::collections::BTreeSet::new();
        for f in families {
            if cells.get(f.total).is_none_or(|t| t.cell.is_suppressed()) {
                continue;
            }
            let suppressed = f
                .parts
                .iter()
                .filter(|&&i| cells.get(i).is_some_and(|c| c.cell.is_suppressed()))
                .count();
            if suppressed != 1 {
                continue;
            }
            // min_by_key keeps the first of equal keys: the first in name order.
            let smallest = f
                .parts
                .iter()
                .copied()
                .filter(|&i| cells.get(i).is_some_and(|c| !c.cell.is_suppressed()))
                .min_by_key(|&i| cells[i].rank);
            hide.extend(smallest);
        }
        if hide.is_empty() {
            break;
        }
        for i in hide {
            cells[i].cell = Cell::Suppressed(SuppressReason::Secondary);
        }
    }
}

/// Primary, then (when k > 0) secondary suppression.
pub fn suppress(cells: &mut [Candidate], families: &[Family], k: u64) {
    if k == 0 {
        return;
    }
    suppress_primary(cells, k);
    suppress_secondary(cells, families);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A count cell.
    fn count(n: u64) -> Candidate {
        Candidate {
            cell: Cell::Value {
                numerator: Some(n),
                denominator: None,
                value: n as f64,
            },
            numbers: [Some(n), None],
            rank: (n, 0),
        }
    }

    /// A percentage cell.
    fn pct(n: u64, d: u64) -> Candidate {
        Candidate {
            cell: Cell::Value {
                numerator: Some(n),
                denominator: Some(d),
                value: 100.0 * n as f64 / d as f64,
            },
            numbers: [Some(n), Some(d)],
            rank: (n, d),
        }
    }

    fn states(cells: &[Candidate]) -> Vec<Option<SuppressReason>> {
        cells
            .iter()
            .map(|c| match c.cell {
                Cell::Suppressed(r) => Some(r),
                Cell::Value { .. } | Cell::NotEstimable { .. } => None,
            })
            .collect()
    }

    const P: Option<SuppressReason> = Some(SuppressReason::Primary);
    const S: Option<SuppressReason> = Some(SuppressReason::Secondary);

    #[test]
    fn primary_counts_zero_and_denominators() {
        // k = 5: 4 < 5 out; 0 out; 5 stays; 6 of 4 out (denominator 4 < 5); 5 of 50 stays.
        let mut c = vec![count(4), count(0), count(5), pct(3, 4), pct(5, 50)];
        suppress_primary(&mut c, 5);
        assert_eq!(states(&c), vec![P, P, None, P, None]);
        // k = 0: nothing.
        let mut c = vec![count(0), count(1)];
        suppress(&mut c, &[], 0);
        assert_eq!(states(&c), vec![None, None]);
    }

    #[test]
    fn row_total_with_exactly_one_small_cell() {
        // Total 40 = 3 + 12 + 10 + 15. Primary hides 3; 3 = 40 − 12 − 10 − 15 could be derived,
        // so the smallest other part (10) is hidden too.
        let mut c = vec![count(40), count(3), count(12), count(10), count(15)];
        let f = [Family {
            total: 0,
            parts: vec![1, 2, 3, 4],
        }];
        suppress(&mut c, &f, 5);
        assert_eq!(states(&c), vec![None, P, None, S, None]);
    }

    #[test]
    fn two_small_cells_or_a_hidden_total_need_nothing_more() {
        let f = [Family {
            total: 0,
            parts: vec![1, 2, 3],
        }];
        let mut c = vec![count(30), count(2), count(3), count(25)];
        suppress(&mut c, &f, 5);
        assert_eq!(states(&c), vec![None, P, P, None]);
        let mut c = vec![count(4), count(2), count(1), count(1)];
        suppress(&mut c, &f, 5);
        assert_eq!(states(&c), vec![P, P, P, P]);
    }

    #[test]
    fn ties_go_by_numerator_then_denominator_then_name() {
        // Parts (in name order): 4/10 (primary), 20/90, 20/80, 20/80. Smallest numerator 20 three
        // times; smallest denominator 80 twice; the first in name order (index 3) is chosen.
        let mut c = vec![
            pct(64, 260),
            pct(4, 10),
            pct(20, 90),
            pct(20, 80),
            pct(20, 80),
        ];
        let f = [Family {
            total: 0,
            parts: vec![1, 2, 3, 4],
        }];
        suppress(&mut c, &f, 5);
        assert_eq!(states(&c), vec![None, P, None, S, None]);
    }

    #[test]
    fn a_chain_of_secondary_suppressions_reaches_a_fixpoint() {
        // Country 100 = region A 60 + region B 40.
        // Region A 60 = hc A1 3 + hc A2 57; region B 40 = hc B1 20 + hc B2 20.
        // Group family (the other dimension): hc A2 total 57 = A2+ 7 + A2− 50.
        //   1. primary: A1 (3) hidden.
        //   2. family A: one hidden part → A2 (57) hidden (secondary).
        //   3. country family: A and B shown → nothing. Family A2: total hidden → nothing.
        // Now make region A's own group family: A 60 = A+ 4 + A− 56 → A+ primary → A− secondary.
        let mut c = vec![
            count(100), // 0 country
            count(60),  // 1 region A
            count(40),  // 2 region B
            count(3),   // 3 hc A1
            count(57),  // 4 hc A2
            count(20),  // 5 hc B1
            count(20),  // 6 hc B2
            count(7),   // 7 A2+
            count(50),  // 8 A2−
            count(4),   // 9 A+
            count(56),  // 10 A−
        ];
        let fams = [
            Family {
                total: 0,
                parts: vec![1, 2],
            },
            Family {
                total: 1,
                parts: vec![3, 4],
            },
            Family {
                total: 2,
                parts: vec![5, 6],
            },
            Family {
                total: 4,
                parts: vec![7, 8],
            },
            Family {
                total: 1,
                parts: vec![9, 10],
            },
        ];
        suppress(&mut c, &fams, 5);
        assert_eq!(
            states(&c),
            vec![None, None, None, P, S, None, None, None, None, P, S]
        );

        // A longer chain: the secondary suppression of a part makes another family have exactly
        // one hidden part, on the next round.
        // X: 50 = 2 + 48 → 48 hidden (secondary).
        // Y: 100 = 48 + 22 + 30 → then exactly one hidden (48) → 22 hidden.
        // Z: 60 = 22 + 38 → then exactly one hidden (22) → 38 hidden.
        let mut c = vec![
            count(50),
            count(2),
            count(48),
            count(100),
            count(22),
            count(30),
            count(60),
            count(38),
        ];
        let fams = [
            Family {
                total: 6,
                parts: vec![4, 7],
            }, // Z first: nothing to do in round 1
            Family {
                total: 3,
                parts: vec![2, 4, 5],
            }, // Y
            Family {
                total: 0,
                parts: vec![1, 2],
            }, // X
        ];
        suppress(&mut c, &fams, 5);
        // Rounds see the state they start with, so the order Z, Y, X does not matter:
        // round 1: Z no; Y no (nothing hidden yet); X: 2 hidden → 48 secondary.
        // round 2: Z no; Y: 48 hidden → smallest shown 22 secondary. round 3: Z: 22 → 38.
        assert_eq!(states(&c), vec![None, P, S, None, S, None, None, S]);
    }
}
