//! Invariants that hold for any extract, checked on synthetic extracts from random seeds.

use forlop_core::ingest::{load, ReadOptions};
use forlop_core::output::{Cell, Level, LongRow};
use forlop_core::{analyse, Settings};
use forlop_synth::{generate, FileFormat, SynthConfig};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

const YEAR: i32 = 2024;

fn extract(seed: u64, persons: usize, format: FileFormat) -> forlop_core::ingest::Loaded {
    let config = SynthConfig {
        persons,
        seed,
        year: YEAR,
        defects: false,
        format,
    };
    let files = generate(&config).files;
    let sources =
        crate::util::unnamed_sources(files.iter().map(|f| (f.name.as_str(), &f.bytes[..])));
    load(&sources, &ReadOptions::default())
}

/// (municipality → health community, health community → region) from the areas table.
fn hierarchy(loaded: &forlop_core::ingest::Loaded) -> Vec<(Level, String, Level, String)> {
    let mut links = BTreeSet::new();
    for a in loaded.tables.areas.as_deref().unwrap_or_default() {
        links.insert((
            Level::HealthCommunity,
            a.health_community.clone(),
            Level::Municipality,
            a.municipality.to_string(),
        ));
        links.insert((
            Level::Region,
            a.region.clone(),
            Level::HealthCommunity,
            a.health_community.clone(),
        ));
    }
    links.into_iter().collect()
}

type Key = (String, String, Level, String);

fn by_key<'a>(rows: impl Iterator<Item = LongRow<'a>>) -> BTreeMap<Key, Cell> {
    rows.map(|r| {
        (
            (
                r.indicator.to_string(),
                r.group.to_string(),
                r.level,
                r.area.to_string(),
            ),
            r.cell,
        )
    })
    .collect()
}

/// Every (total group id, part group ids) of every module, from the modules' declarations.
fn group_families() -> Vec<(&'static str, Vec<&'static str>)> {
    let mut out = Vec::new();
    for m in forlop_core::modules::all() {
        let d = m.decl();
        for (total, parts) in d.group_families() {
            out.push((
                d.groups[total].id,
                parts.iter().map(|&p| d.groups[p].id).collect(),
            ));
        }
    }
    out
}

fn numerator(cell: &Cell) -> Option<u64> {
    match cell {
        Cell::Value { numerator, .. } | Cell::NotEstimable { numerator, .. } => *numerator,
        Cell::Suppressed(_) => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// Person counts are additive: each person lives in one municipality, so the municipalities
    /// of a health community sum to it, and its health communities to the region (k = 0).
    #[test]
    fn municipalities_sum_to_their_areas(seed in 0u64..10_000) {
        let loaded = extract(seed, 600, FileFormat::Canonical);
        let report = analyse(&loaded.tables, &Settings { min_cell: 0, ..Settings::for_year(YEAR) });
        let cells = by_key(report.long_rows());
        let links = hierarchy(&loaded);
        for indicator in ["smi.patients", "smi.admitted", "smi.outpatient", "smi.bed_days_per_patient"] {
            for (key, cell) in &cells {
                if key.0 != indicator || key.2 == Level::Municipality || key.2 == Level::Country {
                    continue;
                }
                let parts: u64 = links
                    .iter()
                    .filter(|(pl, pa, _, _)| *pl == key.2 && *pa == key.3)
                    .filter_map(|(_, _, cl, ca)| cells.get(&(key.0.clone(), key.1.clone(), *cl, ca.clone())))
                    .filter_map(numerator)
                    .sum();
                prop_assert_eq!(numerator(cell), Some(parts), "{:?}", key);
            }
        }
    }

    /// A percentage never exceeds 100 %: its numerator is part of its denominator.
    #[test]
    fn numerator_never_exceeds_denominator_for_shares(seed in 0u64..10_000) {
        let loaded = extract(seed, 500, FileFormat::Canonical);
        let report = analyse(&loaded.tables, &Settings { min_cell: 0, ..Settings::for_year(YEAR) });
        let percent: BTreeSet<&str> = forlop_core::indicator::registry()
            .iter()
            .filter(|d| d.unit == forlop_core::indicator::Unit::Percent)
            .map(|d| d.id)
            .collect();
        prop_assert!(percent.len() >= 20);
        for r in report.long_rows() {
            if let Cell::Value { numerator: Some(n), denominator: Some(d), value } = r.cell {
                if percent.contains(r.indicator) {
                    prop_assert!(n <= d, "{:?}", r);
                    prop_assert!((0.0..=100.0).contains(&value), "{:?}", r);
                }
            }
        }
    }

    /// No suppressed cell can be recovered by subtraction: wherever a total is shown, it never
    /// has exactly one suppressed part — across areas and across the substance split.
    #[test]
    fn no_suppressed_cell_is_derivable_from_a_total(seed in 0u64..10_000) {
        let loaded = extract(seed, 900, FileFormat::Canonical);
        let report = analyse(&loaded.tables, &Settings::for_year(YEAR));
        let cells = by_key(report.long_rows());
        let links = hierarchy(&loaded);
        let families = group_families();
        prop_assert!(families.iter().any(|(t, p)| *t == "all" && p == &["all+substance", "all-substance"]));
        let mut suppressed_somewhere = false;
        for (key, cell) in &cells {
            suppressed_somewhere |= cell.is_suppressed();
            if cell.is_suppressed() {
                continue;
            }
            // Areas: this cell as a total over its child areas.
            let children: Vec<&Cell> = links
                .iter()
                .filter(|(pl, pa, _, _)| *pl == key.2 && *pa == key.3)
                .filter_map(|(_, _, cl, ca)| cells.get(&(key.0.clone(), key.1.clone(), *cl, ca.clone())))
                .collect();
            prop_assert_ne!(children.iter().filter(|c| c.is_suppressed()).count(), 1, "{:?}", key);
            // Group splits (SMI: G = G+substance + G-substance).
            for (_, parts) in families.iter().filter(|(total, _)| *total == key.1) {
                let parts: Vec<&Cell> = parts
                    .iter()
                    .filter_map(|p| cells.get(&(key.0.clone(), p.to_string(), key.2, key.3.clone())))
                    .collect();
                prop_assert_ne!(parts.iter().filter(|c| c.is_suppressed()).count(), 1, "{:?}", key);
            }
        }
        prop_assert!(suppressed_somewhere, "k = 5 on 900 persons suppressed nothing: the test would prove nothing");
    }
}

/// The same extract saved as `;` + Windows-1252 + DD.MM.YYYY + NPR number codes reads to the
/// same tables. The one difference the generator makes on purpose: NPR care level 8 has no
/// canonical spelling, so only the Norwegian export carries those rows.
#[test]
fn norwegian_and_canonical_files_read_to_equal_tables() {
    let canonical = extract(77, 400, FileFormat::Canonical);
    let mut norwegian = extract(77, 400, FileFormat::Norwegian);
    let episodes = norwegian.tables.episodes.as_mut().expect("episodes read");
    let before = episodes.len();
    episodes.retain(|e| e.care_level != forlop_core::model::CareLevel::PolForInpatient);
    assert!(
        episodes.len() < before,
        "the Norwegian export has no care level 8 rows to test with"
    );
    assert_eq!(canonical.tables, norwegian.tables);
}
