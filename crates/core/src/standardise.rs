//! Direct age- and sex-standardisation of rates per 1 000 (issue 13, docs/choices.md
//! "Age- and sex-standardised rates"), one implementation for every module whose unit is a person.
//!
//! Strata are the population table's age bands × sex in the analysis year (for a rate over the
//! population 18+ only its adult bands, as the crude denominator). The standard population is the
//! country's population in each stratum in the standard year (the analysis year unless
//! [`crate::settings::ComparisonSettings::standard_year`] says otherwise). A person is placed in a
//! stratum by its sex and its age at 31 December of the analysis year (year − birth year, the age
//! the rest of the engine uses); a person without a known age or sex, or whose age lies in no
//! band, is left out of the standardised rate and counted in a note.
//!
//! For an area with xₛ persons and a population nₛ in stratum s, and the standard's Nₛ (N in all):
//! rate = 1 000 × Σₛ wₛ xₛ with wₛ = Nₛ / (N nₛ), and the Fay–Feuer interval from y = Σ wₛ xₛ,
//! v = Σ wₛ² xₛ and the largest wₛ. A stratum missing from the standard (Nₛ = 0) weighs 0; a
//! stratum where the area has no inhabitants and no persons adds 0; persons in a stratum where
//! the area has no inhabitants make the rate not estimable.

use crate::aggregate::Areas;
use crate::ci::{fay_feuer, Interval};
use crate::indicator::eval::FactTable;
use crate::indicator::Measure;
use crate::model::{AgeSpec, Person, Sex, Tables};
use crate::module::UnitRow;

/// Why no standardised rate can be computed at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unavailable {
    /// The population rows of the year (or of the standard year) lack age or sex.
    NoAgeOrSex,
    /// The population table has no usable rows for the standard year.
    NoStandardYear(i32),
}

/// A stratum: an age band and a sex.
pub type Key = (AgeSpec, Sex);

/// A population row that counts: (municipality, stratum, inhabitants).
type StratumRow = (crate::model::Municipality, Key, u64);

/// The strata, each area's population in them and the standard population.
#[derive(Debug, Clone)]
pub struct Strata {
    /// The analysis year (persons' ages are taken at its 31 December).
    pub year: i32,
    /// (age band, sex) of each stratum, sorted.
    pub keys: Vec<Key>,
    /// `population[area][stratum]` in the analysis year.
    pub population: Vec<Vec<u64>>,
    /// The standard population of each stratum (the country in the standard year).
    pub standard: Vec<u64>,
}

/// Whether age `age` lies in `band`.
pub fn band_contains(band: AgeSpec, age: i32) -> bool {
    match band {
        AgeSpec::Exact(a) => age == i32::from(a),
        AgeSpec::Band(a, b) => i32::from(a) <= age && age <= i32::from(b),
        AgeSpec::AtLeast(a) => age >= i32::from(a),
    }
}

/// Population rows of `year` that the rate's denominator counts, as (municipality, key, count);
/// `Err` when one of them lacks age or sex. `adults_only`: only bands wholly 18+.
fn rows_of(tables: &Tables, year: i32, adults_only: bool) -> Result<Vec<StratumRow>, Unavailable> {
    let mut out = Vec::new();
    for r in tables
        .population
        .iter()
        .flatten()
        .filter(|r| r.year == year)
    {
        let (Some(age), Some(sex)) = (r.age, r.sex) else {
            return Err(Unavailable::NoAgeOrSex);
        };
        if adults_only && !age.is_adult() {
            continue;
        }
        out.push((r.municipality, (age, sex), r.count));
    }
    Ok(out)
}

impl Strata {
    /// The strata of `year` with the standard of `standard_year`; `adults_only` for a rate over
    /// the population 18+.
    ///
    /// # Errors
    /// When the rows lack age or sex, or the standard year has no rows.
    pub fn build(
        tables: &Tables,
        areas: &Areas,
        year: i32,
        standard_year: i32,
        adults_only: bool,
    ) -> Result<Strata, Unavailable> {
        let rows = rows_of(tables, year, adults_only)?;
        let std_rows = rows_of(tables, standard_year, adults_only)?;
        if std_rows.is_empty() {
            return Err(Unavailable::NoStandardYear(standard_year));
        }
        let mut keys: Vec<Key> = rows
            .iter()
            .chain(&std_rows)
            .map(|&(_, key, _)| key)
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let index = |key: &Key| keys.binary_search(key).ok();
        let mut population = vec![vec![0u64; keys.len()]; areas.len()];
        for (m, key, count) in &rows {
            let Some(s) = index(key) else { continue };
            for &a in areas.chain(Some(*m)) {
                let p = &mut population[a as usize][s];
                *p = p.saturating_add(*count);
            }
        }
        let mut standard = vec![0u64; keys.len()];
        for (_, key, count) in &std_rows {
            if let Some(s) = index(key) {
                standard[s] = standard[s].saturating_add(*count);
            }
        }
        Ok(Strata {
            year,
            keys,
            population,
            standard,
        })
    }

    /// The stratum of a person: its sex and its age at 31 December of the analysis year (the
    /// first band, in sorted order, that holds it); `None` without age or sex, or outside every
    /// band.
    pub fn stratum_of(&self, person: &Person) -> Option<usize> {
        let age = person.age_in(self.year)?;
        let sex = person.sex?;
        self.keys
            .iter()
            .position(|&(band, s)| s == sex && band_contains(band, age))
    }

    /// The persons counted by `numerator` per (group × area) cell and stratum
    /// (`[group * n_areas + area][stratum]`), rolled up from municipalities like the crude
    /// cells, and how many counted units (in some group) could not be placed in a stratum.
    pub fn counts(
        &self,
        tables: &Tables,
        units: &[UnitRow],
        facts: &FactTable,
        numerator: Measure,
        areas: &Areas,
        n_groups: usize,
    ) -> (Vec<Vec<u64>>, u64) {
        let n_areas = areas.len();
        let n_s = self.keys.len();
        let mut cells = vec![vec![0u64; n_s]; n_groups * n_areas];
        let mut unassigned = 0u64;
        for (u, unit) in units.iter().enumerate() {
            let counts = match numerator {
                Measure::Units => true,
                Measure::UnitsWith(f) => facts.count(u, f) > 0,
                _ => false,
            };
            let in_group = (0..n_groups).any(|g| unit.groups & (1 << g) != 0);
            if !counts || !in_group {
                continue;
            }
            let stratum = facts
                .person(u)
                .and_then(|p| tables.persons.get(p.0 as usize))
                .and_then(|p| self.stratum_of(p));
            let Some(s) = stratum else {
                unassigned += 1;
                continue;
            };
            for g in 0..n_groups {
                if unit.groups & (1 << g) != 0 {
                    cells[g * n_areas + unit.leaf as usize][s] += 1;
                }
            }
        }
        for chain in areas.municipality_chains() {
            let Some((&leaf, ancestors)) = chain.split_last() else {
                continue;
            };
            for g in 0..n_groups {
                let leaf_counts = cells[g * n_areas + leaf as usize].clone();
                for &anc in ancestors {
                    for (a, b) in cells[g * n_areas + anc as usize]
                        .iter_mut()
                        .zip(&leaf_counts)
                    {
                        *a += b;
                    }
                }
            }
        }
        (cells, unassigned)
    }
}

/// The directly standardised rate per 1 000 and its Fay–Feuer 95 % interval, from the persons
/// `x[s]` and inhabitants `n[s]` of an area and the standard `standard[s]`; `None` when not
/// estimable (no standard, no stratum with inhabitants, or persons in a stratum without
/// inhabitants).
pub fn rate(x: &[u64], n: &[u64], standard: &[u64]) -> Option<(f64, Interval)> {
    let total: u64 = standard.iter().sum();
    if total == 0 {
        return None;
    }
    let (mut y, mut v, mut w_max) = (0.0f64, 0.0f64, 0.0f64);
    for ((&xs, &ns), &std) in x.iter().zip(n).zip(standard) {
        if std == 0 {
            continue; // missing from the standard: weight 0
        }
        if ns == 0 {
            if xs > 0 {
                return None;
            }
            continue;
        }
        let w = std as f64 / (total as f64 * ns as f64);
        y += w * xs as f64;
        v += w * w * xs as f64;
        w_max = w_max.max(w);
    }
    if w_max == 0.0 {
        return None;
    }
    let ci = fay_feuer(y, v, w_max)?;
    Some((
        1000.0 * y,
        Interval {
            low: 1000.0 * ci.low,
            high: 1000.0 * ci.high,
        },
    ))
}

#[cfg(test)]
mod tests;
