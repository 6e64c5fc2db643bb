//! The one evaluator: per-person facts computed once, summed per (group × area), and every
//! [`Measure`] read from those sums.
//!
//! 1. [`person_facts`]: one pass over each table (episodes, merged stays, primary care, municipal
//!    services) fills, for every cohort person, how many times each [`Event`] happened in Y and
//!    the values of each [`Quantity`].
//! 2. [`accumulate`]: every person is added to the cells of their groups at their leaf area
//!    (municipality, or the country only), then leaves are rolled up to their parent areas.
//! 3. [`evaluate`]: one indicator in one cell becomes a suppression [`Candidate`].

use super::{Event, IndicatorDef, Measure, Quantity, EVENT_COUNT, QUANTITY_COUNT};
use crate::aggregate::Areas;
use crate::cohort::{Cohort, Member};
use crate::model::{CareLevel, ContactType, Provider, Sector, Tables, Urgency};
use crate::output::{Cell, Group, SmiGroup, SubstanceSplit};
use crate::settings::ReadmissionSettings;
use crate::stays::{days, episode_in_year, Stays, Year};
use crate::suppress::Candidate;
use chrono::Days;

/// The 15 SMI groups of the long table, in the order of the grid: each [`SmiGroup`] with
/// any / with / without substance use.
pub fn smi_groups() -> [Group; 15] {
    let splits = [
        SubstanceSplit::Any,
        SubstanceSplit::With,
        SubstanceSplit::Without,
    ];
    std::array::from_fn(|i| Group::Smi(SmiGroup::ALL[i / 3], splits[i % 3]))
}

/// Per cohort person: event counts and quantity values.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// `counts[slot * EVENT_COUNT + event.index()]`.
    counts: Vec<u32>,
    /// Sum of each quantity's non-negative values per slot: `sums[slot * QUANTITY_COUNT + q]`.
    sums: Vec<u64>,
    /// (slot, value) of each quantity, in the order found; used for medians.
    values: [Vec<(u32, i64)>; QUANTITY_COUNT],
}

impl Facts {
    fn new(n: usize) -> Facts {
        Facts {
            counts: vec![0; n * EVENT_COUNT],
            sums: vec![0; n * QUANTITY_COUNT],
            values: Default::default(),
        }
    }

    fn add(&mut self, slot: usize, e: Event) {
        let c = &mut self.counts[slot * EVENT_COUNT + e.index()];
        *c = c.saturating_add(1);
    }

    fn add_value(&mut self, slot: usize, q: Quantity, v: i64) {
        let s = &mut self.sums[slot * QUANTITY_COUNT + q.index()];
        *s = s.saturating_add(u64::try_from(v).unwrap_or(0));
        self.values[q.index()].push((slot as u32, v));
    }

    /// How many times `e` happened to the person in `slot`.
    pub fn count(&self, slot: usize, e: Event) -> u32 {
        self.counts
            .get(slot * EVENT_COUNT + e.index())
            .copied()
            .unwrap_or(0)
    }

    /// The sum of quantity `q` of the person in `slot`.
    pub fn sum(&self, slot: usize, q: Quantity) -> u64 {
        self.sums
            .get(slot * QUANTITY_COUNT + q.index())
            .copied()
            .unwrap_or(0)
    }
}

/// Computes the facts of every cohort person in one pass per table.
pub fn person_facts(
    tables: &Tables,
    cohort: &Cohort,
    stays: &Stays,
    y: &Year,
    readmission: &ReadmissionSettings,
) -> Facts {
    let mut f = Facts::new(cohort.members.len());

    if let Some(episodes) = &tables.episodes {
        for ep in episodes {
            let Some(s) = cohort.slot(ep.person) else {
                continue;
            };
            if ep.care_level == CareLevel::PolForInpatient {
                continue;
            }
            let admit_in_y = y.contains(ep.admit_date);
            let in_y = episode_in_year(ep, y);
            match ep.sector {
                Sector::Phv => {
                    if ep.care_level == CareLevel::Pol && admit_in_y {
                        f.add(s, Event::PhvOutpatient);
                    }
                    if ep.ambulant == Some(true) && admit_in_y {
                        f.add(s, Event::Ambulant);
                    }
                }
                Sector::Tsb if in_y => f.add(s, Event::Tsb),
                Sector::Som if in_y => f.add(s, Event::Somatic),
                Sector::AvtPhv | Sector::AvtSom => {
                    if in_y {
                        f.add(
                            s,
                            if ep.sector == Sector::AvtPhv {
                                Event::PrivatePsych
                            } else {
                                Event::PrivateSomatic
                            },
                        );
                    }
                    if admit_in_y {
                        f.add(s, Event::PrivateContact);
                    }
                }
                Sector::Tsb | Sector::Som => {}
            }
        }

        let last_index = y
            .last
            .checked_sub_days(Days::new(u64::from(readmission.window_days) + 1));
        let window = Days::new(u64::from(readmission.window_days));
        for m in &cohort.members {
            let Some(s) = cohort.slot(m.person) else {
                continue;
            };
            let person = &tables.persons[m.person.0 as usize];
            let phv: Vec<_> = stays
                .of_person(m.person)
                .iter()
                .filter(|st| st.sector == Sector::Phv)
                .collect();
            for (i, st) in phv.iter().enumerate() {
                if st.overlaps(y) {
                    f.add(s, Event::PhvStay);
                    f.add_value(s, Quantity::BedDays, st.bed_days_in(y) as i64);
                }
                if st.urgency == Some(Urgency::Acute) && y.contains(st.admit_date) {
                    f.add(s, Event::PhvAcuteAdmission);
                }
                let Some(disc) = st.discharge_date else {
                    continue;
                };
                if let (true, Some(letter)) = (y.contains(disc), st.letter_date) {
                    let d = days(disc, letter);
                    f.add(s, Event::LetterDischarge);
                    if d <= 1 {
                        f.add(s, Event::LetterWithin1d);
                    }
                    if d <= 7 {
                        f.add(s, Event::LetterWithin7d);
                    }
                    f.add_value(s, Quantity::LetterDays, d);
                }
                let is_index = disc >= y.first
                    && last_index.is_some_and(|l| disc <= l)
                    && person.municipality.is_some()
                    && !(readmission.exclude_death_within_window
                        && person.death_date.is_some_and(|death| {
                            disc.checked_add_days(window).is_none_or(|end| death <= end)
                        }));
                if !is_index {
                    continue;
                }
                f.add(s, Event::ReadmissionIndex);
                let readmitted = phv[i + 1..].iter().any(|next| {
                    let gap = days(disc, next.admit_date);
                    (1..=i64::from(readmission.window_days)).contains(&gap)
                        && (!readmission.acute_only || next.urgency == Some(Urgency::Acute))
                });
                if readmitted {
                    f.add(s, Event::Readmission);
                }
            }
        }
    }

    if let Some(rows) = &tables.primary_care {
        for r in rows {
            let Some(s) = cohort.slot(r.person) else {
                continue;
            };
            if !y.contains(r.date) {
                continue;
            }
            let consult = r.contact_type.is_consultation();
            match r.provider {
                Provider::Gp => {
                    f.add(s, Event::GpContact);
                    if consult {
                        f.add(s, Event::GpConsultation);
                    }
                    if r.contact_type == ContactType::HomeVisit {
                        f.add(s, Event::GpHomeVisit);
                    }
                }
                Provider::OutOfHours => {
                    f.add(s, Event::OohsContact);
                    if consult {
                        f.add(s, Event::OohsConsultation);
                    }
                }
            }
            if r.interdisciplinary {
                f.add(s, Event::Interdisciplinary);
            }
        }
    }

    if let Some(rows) = &tables.municipal_services {
        for r in rows {
            let Some(s) = cohort.slot(r.person) else {
                continue;
            };
            if !y.overlaps(r.start_date, r.end_date) {
                continue;
            }
            f.add(s, Event::Service(r.service));
            if r.service.is_decision_bound() {
                f.add(s, Event::AnyMunicipalService);
            }
        }
    }
    f
}

/// The sums of one (group × area) cell.
#[derive(Debug, Clone)]
pub struct Acc {
    /// Persons in the cell.
    pub persons: u64,
    /// Persons with at least one of each event.
    pub event_persons: [u64; EVENT_COUNT],
    /// Occurrences of each event.
    pub event_counts: [u64; EVENT_COUNT],
    /// Sums of each quantity.
    pub sums: [u64; QUANTITY_COUNT],
    /// Values of each quantity (sorted after [`accumulate`]).
    pub values: [Vec<i64>; QUANTITY_COUNT],
}

impl Default for Acc {
    fn default() -> Self {
        Acc {
            persons: 0,
            event_persons: [0; EVENT_COUNT],
            event_counts: [0; EVENT_COUNT],
            sums: [0; QUANTITY_COUNT],
            values: Default::default(),
        }
    }
}

impl Acc {
    fn add(&mut self, other: &Acc) {
        self.persons += other.persons;
        for i in 0..EVENT_COUNT {
            self.event_persons[i] += other.event_persons[i];
            self.event_counts[i] += other.event_counts[i];
        }
        for q in 0..QUANTITY_COUNT {
            self.sums[q] += other.sums[q];
            self.values[q].extend_from_slice(&other.values[q]);
        }
    }
}

/// The grid of cells: `cells[group * n_areas + area]`, groups in [`smi_groups`] order.
#[derive(Debug, Clone)]
pub struct Grid {
    /// Number of areas.
    pub n_areas: usize,
    /// The cells.
    pub cells: Vec<Acc>,
}

fn member_groups(m: &Member) -> impl Iterator<Item = usize> + '_ {
    smi_groups()
        .into_iter()
        .enumerate()
        .filter(move |(_, g)| match g {
            Group::Smi(sg, split) => m.in_group(*sg, *split),
            _ => false,
        })
        .map(|(i, _)| i)
}

/// Sums the facts of every cohort person into the cells of their groups and areas.
/// `keep_values[q]` says whether quantity q's values are needed (for a median).
pub fn accumulate(
    tables: &Tables,
    cohort: &Cohort,
    facts: &Facts,
    areas: &Areas,
    keep_values: [bool; QUANTITY_COUNT],
) -> Grid {
    let n_areas = areas.len();
    let n_groups = smi_groups().len();
    let mut cells = vec![Acc::default(); n_groups * n_areas];

    // Each person's values, grouped by slot (values are pushed in member order per table, but
    // not contiguously across quantities).
    let mut value_offsets: [Vec<u32>; QUANTITY_COUNT] = Default::default();
    let mut sorted_values: [Vec<i64>; QUANTITY_COUNT] = Default::default();
    for q in 0..QUANTITY_COUNT {
        if !keep_values[q] {
            continue;
        }
        let mut v = facts.values[q].clone();
        v.sort_by_key(|&(slot, _)| slot); // stable: keeps order within a person
        let mut offsets = vec![0u32; cohort.members.len() + 1];
        for &(slot, _) in &v {
            offsets[slot as usize + 1] += 1;
        }
        for i in 0..cohort.members.len() {
            offsets[i + 1] += offsets[i];
        }
        value_offsets[q] = offsets;
        sorted_values[q] = v.into_iter().map(|(_, x)| x).collect();
    }

    // 1. Leaves: the last area of the person's chain (a municipality, or the country).
    for (slot, m) in cohort.members.iter().enumerate() {
        let muni = tables.persons[m.person.0 as usize].municipality;
        let Some(&leaf) = areas.chain(muni).last() else {
            continue;
        };
        let row = &facts.counts[slot * EVENT_COUNT..(slot + 1) * EVENT_COUNT];
        for g in member_groups(m) {
            let acc = &mut cells[g * n_areas + leaf as usize];
            acc.persons += 1;
            for (i, &c) in row.iter().enumerate() {
                acc.event_counts[i] += u64::from(c);
                acc.event_persons[i] += u64::from(c > 0);
            }
            for q in 0..QUANTITY_COUNT {
                acc.sums[q] += facts.sums[slot * QUANTITY_COUNT + q];
                if keep_values[q] {
                    let (a, b) = (
                        value_offsets[q][slot] as usize,
                        value_offsets[q][slot + 1] as usize,
                    );
                    acc.values[q].extend_from_slice(&sorted_values[q][a..b]);
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
            let acc = cells[g * n_areas + leaf as usize].clone();
            for &anc in ancestors {
                cells[g * n_areas + anc as usize].add(&acc);
            }
        }
    }
    for acc in &mut cells {
        for v in &mut acc.values {
            v.sort_unstable();
        }
    }
    Grid { n_areas, cells }
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

fn measure(m: Measure, acc: &Acc, population: u64) -> Value {
    match m {
        Measure::CohortPersons => Value::Number(acc.persons),
        Measure::Persons(e) => Value::Number(acc.event_persons[e.index()]),
        Measure::Count(e) => Value::Number(acc.event_counts[e.index()]),
        Measure::Sum(q) => Value::Number(acc.sums[q.index()]),
        Measure::Median(q) => {
            let v = &acc.values[q.index()];
            Value::Median {
                value: median(v),
                n: v.len() as u64,
            }
        }
        Measure::Population18Plus => Value::Number(population),
    }
}

/// One indicator in one cell, before suppression. A ratio over a denominator of 0 and a median
/// of nothing have no value: they come out `NotEstimable`, which primary suppression hides for
/// any k > 0 (0 < k), and which k = 0 shows as numbers without a value.
pub fn evaluate(def: &IndicatorDef, acc: &Acc, population: u64) -> Candidate {
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

    #[test]
    fn groups_grid_order() {
        let g = smi_groups();
        assert_eq!(g[0].to_string(), "all");
        assert_eq!(g[1].to_string(), "all+substance");
        assert_eq!(g[2].to_string(), "all-substance");
        assert_eq!(g[14].to_string(), "personality-substance");
    }
}
