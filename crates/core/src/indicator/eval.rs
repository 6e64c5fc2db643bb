//! The one evaluator, for every module: per-unit facts (filled by the module), summed per
//! (group × area), and every [`Measure`] read from those sums.
//!
//! 1. A module's run fills a [`FactTable`]: for every unit, how many times each fact happened and
//!    the values of each quantity.
//! 2. [`accumulate`]: every unit is added to the cells of its groups at its leaf area
//!    (municipality, or the country only), then leaves are rolled up to their parent areas.
//! 3. [`evaluate`]: one indicator in one cell becomes a suppression [`Candidate`].

use super::{IndicatorDef, Measure};
use crate::aggregate::Areas;
use crate::module::{Fact, Quantity, UnitRow};
use crate::output::Cell;
use crate::suppress::Candidate;

/// Per unit: how many times each fact happened, and the values of each quantity.
#[derive(Debug, Clone, Default)]
pub struct FactTable {
    n_facts: usize,
    n_quantities: usize,
    /// `counts[unit * n_facts + fact]`.
    counts: Vec<u32>,
    /// Sum of each quantity's non-negative values per unit: `sums[unit * n_quantities + q]`.
    sums: Vec<u64>,
    /// (unit, value) of each quantity, in the order found; used for medians.
    values: Vec<Vec<(u32, i64)>>,
    /// The person each unit is, where the module says so (`u32::MAX` = not said); used to place
    /// units in the age × sex strata of a standardised rate.
    persons: Vec<u32>,
}

impl FactTable {
    /// A table of `units` rows of `n_facts` facts and `n_quantities` quantities, all 0.
    pub fn new(units: usize, n_facts: usize, n_quantities: usize) -> FactTable {
        FactTable {
            n_facts,
            n_quantities,
            counts: vec![0; units * n_facts],
            sums: vec![0; units * n_quantities],
            values: vec![Vec::new(); n_quantities],
            persons: Vec::new(),
        }
    }

    /// Says that `unit` is the person `p` (a module whose unit is a person calls this for every
    /// unit, so its rates per 1 000 can be age- and sex-standardised).
    pub fn set_person(&mut self, unit: usize, p: crate::model::PersonIdx) {
        if self.persons.len() <= unit {
            self.persons.resize(unit + 1, u32::MAX);
        }
        self.persons[unit] = p.0;
    }

    /// The person `unit` is, when its module said so.
    pub fn person(&self, unit: usize) -> Option<crate::model::PersonIdx> {
        self.persons
            .get(unit)
            .filter(|&&p| p != u32::MAX)
            .map(|&p| crate::model::PersonIdx(p))
    }

    /// One more occurrence of fact `f` for `unit`.
    pub fn add(&mut self, unit: usize, f: Fact) {
        let c = &mut self.counts[unit * self.n_facts + f.0 as usize];
        *c = c.saturating_add(1);
    }

    /// A value of quantity `q` for `unit`.
    pub fn add_value(&mut self, unit: usize, q: Quantity, v: i64) {
        let s = &mut self.sums[unit * self.n_quantities + q.0 as usize];
        *s = s.saturating_add(u64::try_from(v).unwrap_or(0));
        self.values[q.0 as usize].push((unit as u32, v));
    }

    /// How many times `f` happened to `unit`.
    pub fn count(&self, unit: usize, f: Fact) -> u32 {
        self.counts
            .get(unit * self.n_facts + f.0 as usize)
            .copied()
            .unwrap_or(0)
    }

    /// The sum of quantity `q` of `unit`.
    pub fn sum(&self, unit: usize, q: Quantity) -> u64 {
        self.sums
            .get(unit * self.n_quantities + q.0 as usize)
            .copied()
            .unwrap_or(0)
    }
}

/// The sums of one (group × area) cell.
#[derive(Debug, Clone, Default)]
pub struct Acc {
    /// Units in the cell.
    pub units: u64,
    /// Units with at least one of each fact.
    pub fact_units: Vec<u64>,
    /// Occurrences of each fact.
    pub fact_counts: Vec<u64>,
    /// Sums of each quantity.
    pub sums: Vec<u64>,
    /// Values of each quantity (sorted after [`accumulate`]).
    pub values: Vec<Vec<i64>>,
}

impl Acc {
    fn add(&mut self, other: &Acc) {
        self.units += other.units;
        for (a, b) in self.fact_units.iter_mut().zip(&other.fact_units) {
            *a += b;
        }
        for (a, b) in self.fact_counts.iter_mut().zip(&other.fact_counts) {
            *a += b;
        }
        for (a, b) in self.sums.iter_mut().zip(&other.sums) {
            *a += b;
        }
        for (a, b) in self.values.iter_mut().zip(&other.values) {
            a.extend_from_slice(b);
        }
    }
}

/// The grid of cells: `cells[group * n_areas + area]`, groups in the module's declared order.
#[derive(Debug, Clone)]
pub struct Grid {
    /// The cells.
    pub cells: Vec<Acc>,
}

impl Grid {
    /// Adds the cells of a grid of the same shape built from other units (another pass over
    /// other persons): counts and sums add, values join (sorted again).
    pub fn add_grid(&mut self, other: &Grid) {
        for (a, b) in self.cells.iter_mut().zip(&other.cells) {
            a.add(b);
            for v in &mut a.values {
                v.sort_unstable();
            }
        }
    }
}

/// Sums the facts of every unit into the cells of its groups at its leaf area, then rolls every
/// municipality up to its ancestors. `keep_values[q]` says whether quantity q's values are
/// needed (for a median).
pub fn accumulate(
    units: &[UnitRow],
    facts: &FactTable,
    areas: &Areas,
    n_groups: usize,
    keep_values: &[bool],
) -> Grid {
    let n_areas = areas.len();
    let (n_facts, n_q) = (facts.n_facts, facts.n_quantities);
    let n_cells = n_groups * n_areas;
    // The sums in flat arrays (`[cell * n_facts + fact]`, …) while units are added and rolled
    // up: one allocation each instead of several per cell and per roll-up; the cells' `Acc`s
    // are made from them at the end.
    let mut sums = FlatSums {
        n_facts,
        n_q,
        units: vec![0; n_cells],
        fact_units: vec![0; n_cells * n_facts],
        fact_counts: vec![0; n_cells * n_facts],
        sums: vec![0; n_cells * n_q],
        values: Vec::new(),
    };
    let any_values = (0..n_q).any(|q| keep_values.get(q).copied().unwrap_or(false));
    if any_values {
        sums.values = vec![Vec::new(); n_cells * n_q];
    }

    // Each unit's values, grouped by unit (values are pushed in unit order per table, but not
    // contiguously across quantities).
    let mut value_offsets: Vec<Vec<u32>> = vec![Vec::new(); n_q];
    let mut sorted_values: Vec<Vec<i64>> = vec![Vec::new(); n_q];
    for q in 0..n_q {
        if !keep_values.get(q).copied().unwrap_or(false) {
            continue;
        }
        let mut v = facts.values[q].clone();
        v.sort_by_key(|&(unit, _)| unit); // stable: keeps order within a unit
        let mut offsets = vec![0u32; units.len() + 1];
        for &(unit, _) in &v {
            offsets[unit as usize + 1] += 1;
        }
        for i in 0..units.len() {
            offsets[i + 1] += offsets[i];
        }
        value_offsets[q] = offsets;
        sorted_values[q] = v.into_iter().map(|(_, x)| x).collect();
    }

    // 1. Leaves: the unit's municipality, or the country.
    for (u, unit) in units.iter().enumerate() {
        let row = &facts.counts[u * n_facts..(u + 1) * n_facts];
        let unit_sums = &facts.sums[u * n_q..(u + 1) * n_q];
        let mut groups = unit.groups;
        while groups != 0 {
            let g = groups.trailing_zeros() as usize;
            groups &= groups - 1;
            if g >= n_groups {
                continue;
            }
            let cell = g * n_areas + unit.leaf as usize;
            sums.add_unit(cell, row, unit_sums);
            if any_values {
                for q in 0..n_q {
                    if !value_offsets[q].is_empty() {
                        let (a, b) = (
                            value_offsets[q][u] as usize,
                            value_offsets[q][u + 1] as usize,
                        );
                        sums.values[cell * n_q + q].extend_from_slice(&sorted_values[q][a..b]);
                    }
                }
            }
        }
    }

    // 2. Roll every municipality up to its ancestors (never the other way, so nothing is
    // counted twice: only municipalities and the country hold leaf sums).
    for chain in areas.municipality_chains() {
        let Some((&leaf, ancestors)) = chain.split_last() else {
            continue;
        };
        for g in 0..n_groups {
            let from = g * n_areas + leaf as usize;
            for &anc in ancestors {
                let to = g * n_areas + anc as usize;
                if to != from {
                    sums.add_cell(to, from);
                }
            }
        }
    }
    let cells = (0..n_cells).map(|c| sums.acc(c)).collect();
    Grid { cells }
}

/// The sums of every cell of [`accumulate`], flat.
struct FlatSums {
    n_facts: usize,
    n_q: usize,
    units: Vec<u64>,
    fact_units: Vec<u64>,
    fact_counts: Vec<u64>,
    sums: Vec<u64>,
    /// `[cell * n_q + q]`; empty when no quantity keeps its values.
    values: Vec<Vec<i64>>,
}

impl FlatSums {
    /// One unit with fact counts `row` and quantity sums `unit_sums` into `cell`.
    #[inline(never)]
    fn add_unit(&mut self, cell: usize, row: &[u32], unit_sums: &[u64]) {
        self.units[cell] += 1;
        let (a, b) = (cell * self.n_facts, (cell + 1) * self.n_facts);
        for ((n, u), &c) in self.fact_counts[a..b]
            .iter_mut()
            .zip(&mut self.fact_units[a..b])
            .zip(row)
        {
            *n += u64::from(c);
            *u += u64::from(c > 0);
        }
        let (a, b) = (cell * self.n_q, (cell + 1) * self.n_q);
        for (s, &x) in self.sums[a..b].iter_mut().zip(unit_sums) {
            *s += x;
        }
    }

    /// Adds cell `from`'s sums and values to cell `to` (`to != from`).
    #[inline(never)]
    fn add_cell(&mut self, to: usize, from: usize) {
        self.units[to] += self.units[from];
        let nf = self.n_facts;
        for v in [&mut self.fact_units, &mut self.fact_counts] {
            let (dst, src) = cells_pair(v, to * nf, from * nf, nf);
            for (a, b) in dst.iter_mut().zip(src) {
                *a += b;
            }
        }
        let nq = self.n_q;
        let (dst, src) = cells_pair(&mut self.sums, to * nq, from * nq, nq);
        for (a, b) in dst.iter_mut().zip(src) {
            *a += b;
        }
        if !self.values.is_empty() {
            for q in 0..nq {
                let from_values = std::mem::take(&mut self.values[from * nq + q]);
                self.values[to * nq + q].extend_from_slice(&from_values);
                self.values[from * nq + q] = from_values;
            }
        }
    }

    /// The `Acc` of a cell, its values sorted.
    fn acc(&mut self, cell: usize) -> Acc {
        let (nf, nq) = (self.n_facts, self.n_q);
        let values = if self.values.is_empty() {
            vec![Vec::new(); nq]
        } else {
            (0..nq)
                .map(|q| {
                    let mut v = std::mem::take(&mut self.values[cell * nq + q]);
                    v.sort_unstable();
                    v
                })
                .collect()
        };
        Acc {
            units: self.units[cell],
            fact_units: self.fact_units[cell * nf..(cell + 1) * nf].to_vec(),
            fact_counts: self.fact_counts[cell * nf..(cell + 1) * nf].to_vec(),
            sums: self.sums[cell * nq..(cell + 1) * nq].to_vec(),
            values,
        }
    }
}

/// The `len` elements at `to` (mutable) and at `from` of `v`, two ranges that do not overlap.
fn cells_pair(v: &mut [u64], to: usize, from: usize, len: usize) -> (&mut [u64], &[u64]) {
    if to < from {
        let (a, b) = v.split_at_mut(from);
        (&mut a[to..to + len], &b[..len])
    } else {
        let (a, b) = v.split_at_mut(to);
        (&mut b[..len], &a[from..from + len])
    }
}

/// The median of sorted values: the middle one, or the mean of the two middle ones.
pub fn median(sorted: &[i64]) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    if n % 2 == 1 {
        Some(sorted[n / 2] as f64)
    } else {
        Some((sorted[n / 2 - 1] as f64 + sorted[n / 2] as f64) / 2.0)
    }
}

enum Value {
    Number(u64),
    Median { value: Option<f64>, n: u64 },
}

/// The population of one area: aged 18+ (or everyone without ages, see `PopulationBasis`), and
/// everyone.
#[derive(Debug, Clone, Copy, Default)]
pub struct AreaPopulation {
    /// For `Population18Plus`.
    pub adults: u64,
    /// For `PopulationAll`.
    pub all: u64,
}

fn measure(m: Measure, acc: &Acc, population: AreaPopulation) -> Value {
    match m {
        Measure::Units => Value::Number(acc.units),
        Measure::UnitsWith(f) => Value::Number(acc.fact_units[f.0 as usize]),
        Measure::Count(f) => Value::Number(acc.fact_counts[f.0 as usize]),
        Measure::Sum(q) => Value::Number(acc.sums[q.0 as usize]),
        Measure::Median(q) => {
            let v = &acc.values[q.0 as usize];
            Value::Median {
                value: median(v),
                n: v.len() as u64,
            }
        }
        Measure::Population18Plus => Value::Number(population.adults),
        Measure::PopulationAll => Value::Number(population.all),
    }
}

/// One indicator in one cell, before suppression. A ratio over a denominator of 0 and a median
/// of nothing have no value: they come out `NotEstimable`, which primary suppression hides for
/// any k > 0 (0 < k), and which k = 0 shows as numbers without a value. A count, sum or cost
/// is tested by the number it publishes, as §5 says.
pub fn evaluate(def: &IndicatorDef, acc: &Acc, population: AreaPopulation) -> Candidate {
    let not_estimable = |numbers: [Option<u64>; 2]| Candidate {
        cell: Cell::NotEstimable {
            numerator: numbers[0].filter(|_| def.denominator.is_some()),
            denominator: numbers[1],
        },
        numbers,
        rank: (0, 0),
    };
    let num = measure(def.numerator, acc, population);
    let den = def.denominator.map(|d| measure(d, acc, population));
    match (num, den) {
        (Value::Number(n), None) => Candidate {
            cell: Cell::Value {
                numerator: Some(n),
                denominator: None,
                value: n as f64,
            },
            numbers: [Some(n), None],
            rank: (n, 0),
        },
        (
            Value::Median {
                value: Some(value),
                n,
            },
            None,
        ) => Candidate {
            cell: Cell::Value {
                numerator: None,
                denominator: None,
                value,
            },
            numbers: [Some(n), None],
            rank: (n, 0),
        },
        (Value::Median { value: None, .. }, None) => not_estimable([Some(0), None]),
        (Value::Number(n), Some(Value::Number(d))) => {
            if d == 0 {
                return not_estimable([Some(n), Some(0)]);
            }
            Candidate {
                cell: Cell::Value {
                    numerator: Some(n),
                    denominator: Some(d),
                    // factor × n / d: 1 of 3 is 100 × 1 / 3 = 33.333333333333336
                    value: def.unit.factor() * n as f64 / d as f64,
                },
                numbers: [Some(n), Some(d)],
                rank: (n, d),
            }
        }
        // Not produced by the registry (its tests forbid medians in ratios).
        _ => not_estimable([Some(0), None]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[-1]), Some(-1.0));
        // 1, 2, 9 → 2
        assert_eq!(median(&[1, 2, 9]), Some(2.0));
        // 1, 2, 5, 9 → (2 + 5) / 2 = 3.5
        assert_eq!(median(&[1, 2, 5, 9]), Some(3.5));
    }
}
