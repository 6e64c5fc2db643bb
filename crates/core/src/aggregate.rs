//! Areas: the country, health regions, health communities and municipalities that get rows,
//! which municipality counts where, and the population of each area.
//!
//! With an areas table every region, health community and municipality in it gets a row (also
//! those with no patients). Without one, the country and every municipality that persons name.
//! A person without a municipality, or with one not in the areas table, counts in the country
//! only (docs/choices.md).

use crate::model::{Municipality, Tables};
use crate::output::Level;
use serde::Serialize;
use std::collections::BTreeMap;

/// One area of the output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Area {
    /// Its level.
    pub level: Level,
    /// Its text in the long table: `NO`, a region or health-community name, a 4-digit code.
    pub name: String,
}

/// The areas of one analysis. Index 0 is the country; then regions, health communities and
/// municipalities, each sorted by their text.
#[derive(Debug, Clone)]
pub struct Areas {
    /// Every area.
    pub areas: Vec<Area>,
    /// Municipality → its area indices from the top (country, region, health community,
    /// municipality; without an areas table just country and municipality).
    chains: BTreeMap<Municipality, Vec<u32>>,
    /// Parent area → its direct children, children in text order.
    families: Vec<(u32, Vec<u32>)>,
}

impl Areas {
    /// Builds the areas from the areas table, or from the persons' municipalities without one.
    /// When a municipality appears twice in the areas table, its first row counts; a health
    /// community belongs to the region of its first row.
    pub fn build(tables: &Tables) -> Areas {
        let mut areas = vec![Area {
            level: Level::Country,
            name: "NO".to_string(),
        }];
        let mut chains = BTreeMap::new();
        let mut families = Vec::new();
        match &tables.areas {
            Some(rows) => {
                let mut muni_hc: BTreeMap<Municipality, &str> = BTreeMap::new();
                let mut hc_region: BTreeMap<&str, &str> = BTreeMap::new();
                for r in rows {
                    // Only the first row of a municipality counts, also for which health
                    // communities and regions exist.
                    if muni_hc.contains_key(&r.municipality) {
                        continue;
                    }
                    muni_hc.insert(r.municipality, r.health_community.as_str());
                    hc_region
                        .entry(r.health_community.as_str())
                        .or_insert(r.region.as_str());
                }
                let regions: std::collections::BTreeSet<&str> =
                    hc_region.values().copied().collect();
                let mut region_idx = BTreeMap::new();
                for r in &regions {
                    region_idx.insert(*r, areas.len() as u32);
                    areas.push(Area {
                        level: Level::Region,
                        name: r.to_string(),
                    });
                }
                let mut hc_idx = BTreeMap::new();
                for hc in hc_region.keys() {
                    hc_idx.insert(*hc, areas.len() as u32);
                    areas.push(Area {
                        level: Level::HealthCommunity,
                        name: hc.to_string(),
                    });
                }
                let mut region_children: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
                let mut hc_children: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
                for (hc, region) in &hc_region {
                    region_children
                        .entry(region_idx[region])
                        .or_default()
                        .push(hc_idx[hc]);
                }
                for (m, hc) in &muni_hc {
                    let mi = areas.len() as u32;
                    areas.push(Area {
                        level: Level::Municipality,
                        name: m.to_string(),
                    });
                    let h = hc_idx[hc];
                    let r = region_idx[hc_region[hc]];
                    hc_children.entry(h).or_default().push(mi);
                    chains.insert(*m, vec![0, r, h, mi]);
                }
                families.push((0, region_idx.values().copied().collect()));
                families.extend(region_children);
                families.extend(hc_children);
            }
            None => {
                let munis: std::collections::BTreeSet<Municipality> = tables
                    .persons
                    .iter()
                    .filter_map(|p| p.municipality)
                    .collect();
                let mut children = Vec::new();
                for m in munis {
                    let mi = areas.len() as u32;
                    areas.push(Area {
                        level: Level::Municipality,
                        name: m.to_string(),
                    });
                    children.push(mi);
                    chains.insert(m, vec![0, mi]);
                }
                families.push((0, children));
            }
        }
        Areas {
            areas,
            chains,
            families,
        }
    }

    /// The areas a person with municipality `m` counts in, from the country down.
    pub fn chain(&self, m: Option<Municipality>) -> &[u32] {
        const COUNTRY: &[u32] = &[0];
        m.and_then(|m| self.chains.get(&m))
            .map_or(COUNTRY, |c| c.as_slice())
    }

    /// The chain of every municipality area (country … municipality), by municipality code.
    pub fn municipality_chains(&self) -> impl Iterator<Item = &[u32]> {
        self.chains.values().map(|c| c.as_slice())
    }

    /// Families "a total and its parts": each parent area with its direct children (country →
    /// regions, region → health communities, health community → municipalities; without an
    /// areas table, country → municipalities). Children are in text order.
    pub fn families(&self) -> &[(u32, Vec<u32>)] {
        &self.families
    }

    /// Number of areas.
    pub fn len(&self) -> usize {
        self.areas.len()
    }

    /// Always false: the country is always there.
    pub fn is_empty(&self) -> bool {
        self.areas.is_empty()
    }
}

/// What the "per 1 000 inhabitants" rates divide by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PopulationBasis {
    /// Inhabitants aged 18 and over in Y (the population table has ages).
    Adults18Plus,
    /// The whole population in Y (the population table has no ages): the chart must say so.
    WholePopulation,
    /// No population table: the rates are unavailable.
    Missing,
}

/// The population of every area in year `year`, and what it counts. Adults only when any row of
/// that year has an age (rows whose band straddles 18, or without an age, are then left out);
/// the country is the sum of every row, regions and health communities the sums of their
/// municipalities.
pub fn population_by_area(
    tables: &Tables,
    areas: &Areas,
    year: i32,
) -> (Vec<u64>, PopulationBasis) {
    let mut pop = vec![0u64; areas.len()];
    let Some(rows) = &tables.population else {
        return (pop, PopulationBasis::Missing);
    };
    let rows_y = || rows.iter().filter(|r| r.year == year);
    let by_age = rows_y().any(|r| r.age.is_some());
    for r in rows_y() {
        if by_age && !r.age.is_some_and(|a| a.is_adult()) {
            continue;
        }
        // A municipality outside the areas table still counts in the country (chain [0]).
        for &a in areas.chain(Some(r.municipality)) {
            pop[a as usize] = pop[a as usize].saturating_add(r.count);
        }
    }
    let basis = if by_age {
        PopulationBasis::Adults18Plus
    } else {
        PopulationBasis::WholePopulation
    };
    (pop, basis)
}

/// The whole population (every age) of every area in year `year`: the country the sum of every
/// row of that year, regions and health communities the sums of their municipalities. As for
/// adults, when any row of the year has an age, rows of that year without one (totals) are left
/// out, so a file with both age bands and a total row is not counted twice.
pub fn whole_population_by_area(tables: &Tables, areas: &Areas, year: i32) -> Vec<u64> {
    let mut pop = vec![0u64; areas.len()];
    let rows_y = || {
        tables
            .population
            .iter()
            .flatten()
            .filter(|r| r.year == year)
    };
    let by_age = rows_y().any(|r| r.age.is_some());
    for r in rows_y().filter(|r| !by_age || r.age.is_some()) {
        for &a in areas.chain(Some(r.municipality)) {
            pop[a as usize] = pop[a as usize].saturating_add(r.count);
        }
    }
    pop
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AgeSpec, AreaRow, PopulationRow};

    fn area(m: u16, hc: &str, region: &str) -> AreaRow {
        AreaRow {
            municipality: Municipality(m),
            municipality_name: None,
            health_community: hc.into(),
            region: region.into(),
        }
    }

    fn pop(m: u16, year: i32, age: Option<AgeSpec>, count: u64) -> PopulationRow {
        PopulationRow {
            municipality: Municipality(m),
            year,
            sex: None,
            age,
            count,
        }
    }

    #[test]
    fn whole_population_leaves_out_total_rows_beside_age_bands() {
        // 0301: bands 0-17 = 200 and 18-66 = 800 beside a total row of 1 000 → 1 000, not
        // 2 000; 4601 has only a total row of 500, but a band exists in the year → left out.
        let t = Tables {
            areas: Some(vec![
                area(301, "Oslo", "Sør-Øst"),
                area(4601, "Bergen", "Vest"),
            ]),
            population: Some(vec![
                pop(301, 2021, Some(AgeSpec::Band(0, 17)), 200),
                pop(301, 2021, Some(AgeSpec::Band(18, 66)), 800),
                pop(301, 2021, None, 1000),
                pop(4601, 2021, None, 500),
                pop(301, 2020, None, 999),
            ]),
            ..Tables::default()
        };
        let areas = Areas::build(&t);
        let all = whole_population_by_area(&t, &areas, 2021);
        assert_eq!(all[0], 1000);
        // Without any age in the year, every row counts.
        let t2 = Tables {
            population: Some(vec![pop(301, 2021, None, 1000), pop(4601, 2021, None, 500)]),
            ..t.clone()
        };
        assert_eq!(
            whole_population_by_area(&t2, &Areas::build(&t2), 2021)[0],
            1500
        );
    }

    #[test]
    fn areas_table_gives_every_level_and_family() {
        let t = Tables {
            areas: Some(vec![
                area(4601, "Bergen", "Helse Vest"),
                area(4626, "Bergen", "Helse Vest"),
                area(301, "Oslo", "Helse Sør-Øst"),
                area(301, "Ignored", "Ignored"),
            ]),
            ..Tables::default()
        };
        let a = Areas::build(&t);
        let names: Vec<&str> = a.areas.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "NO",
                "Helse Sør-Øst",
                "Helse Vest",
                "Bergen",
                "Oslo",
                "0301",
                "4601",
                "4626"
            ]
        );
        assert_eq!(a.chain(Some(Municipality(4626))), &[0, 2, 3, 7]);
        assert_eq!(a.chain(Some(Municipality(1234))), &[0]);
        assert_eq!(a.chain(None), &[0]);
        assert_eq!(
            a.families(),
            &[
                (0, vec![1, 2]),
                (1, vec![4]),
                (2, vec![3]),
                (3, vec![6, 7]),
                (4, vec![5])
            ]
        );

        // Adults: 18+ rows of 2024 only; the 16-19 band straddles 18 and is left out.
        // 4601: 100 + 50 = 150; 4626: 10; 0301: 1000; 9999 (no area): 7 → country 1167.
        let t = Tables {
            population: Some(vec![
                pop(4601, 2024, Some(AgeSpec::AtLeast(18)), 100),
                pop(4601, 2024, Some(AgeSpec::Band(30, 39)), 50),
                pop(4601, 2024, Some(AgeSpec::Band(16, 19)), 999),
                pop(4601, 2024, Some(AgeSpec::Exact(17)), 999),
                pop(4601, 2023, Some(AgeSpec::AtLeast(18)), 999),
                pop(4626, 2024, Some(AgeSpec::Exact(18)), 10),
                pop(301, 2024, Some(AgeSpec::AtLeast(20)), 1000),
                pop(9999, 2024, Some(AgeSpec::AtLeast(20)), 7),
            ]),
            ..t
        };
        let (p, basis) = population_by_area(&t, &a, 2024);
        assert_eq!(basis, PopulationBasis::Adults18Plus);
        // NO, HSØ, HV, Bergen, Oslo, 0301, 4601, 4626
        assert_eq!(p, vec![1167, 1000, 160, 160, 1000, 1000, 150, 10]);
    }

    #[test]
    fn without_areas_the_persons_name_the_municipalities() {
        let t = Tables {
            persons: vec![
                crate::modules::smi::cohort::tests::person("a", 1980, Some(301)),
                crate::modules::smi::cohort::tests::person("b", 1980, None),
                crate::modules::smi::cohort::tests::person("c", 1980, Some(5001)),
                crate::modules::smi::cohort::tests::person("d", 1980, Some(301)),
            ],
            population: Some(vec![pop(301, 2024, None, 20), pop(1103, 2024, None, 5)]),
            ..Tables::default()
        };
        let a = Areas::build(&t);
        let names: Vec<&str> = a.areas.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, vec!["NO", "0301", "5001"]);
        assert_eq!(a.families(), &[(0, vec![1, 2])]);
        let (p, basis) = population_by_area(&t, &a, 2024);
        assert_eq!(basis, PopulationBasis::WholePopulation);
        // country 20 + 5 = 25; 0301: 20; 5001: no rows = 0
        assert_eq!(p, vec![25, 20, 0]);
        assert_eq!(
            population_by_area(&Tables::default(), &a, 2024).1,
            PopulationBasis::Missing
        );
    }
}
