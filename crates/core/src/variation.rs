//! Variation between areas (issue 13, docs/choices.md "Variation between areas"): per indicator,
//! group and level, over the areas of that level whose cell is shown and has enough cases
//! ([`crate::settings::ComparisonSettings::variation_min_cases`]):
//!
//! - the extremal quotient EQ = highest value / lowest value (none when the lowest is 0);
//! - the coefficient of variation CV = s / x̄ of the areas' values (s with n − 1);
//! - the systematic component of variation (McPherson et al. 1982), for shares and rates:
//!   SCV = 100 × (1/k) Σᵢ [(Oᵢ − Eᵢ)² / Eᵢ² − 1/Eᵢ], with Oᵢ the area's cases and Eᵢ the cases
//!   expected at the pooled rate of the k areas (for a standardised rate, at the pooled rate of
//!   each age × sex stratum: indirect standardisation). The − 1/Eᵢ term removes the Poisson
//!   noise, so SCV estimates the variance of the areas' true rate ratios, × 100 as Helseatlas
//!   reports it.
//!
//! Published numbers come only from shown cells, so no suppressed number can be derived.

use crate::output::{Cell, Level};
use serde::{Deserialize, Serialize};

/// The variation statistics of one indicator, group and level.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Variation {
    /// Index of the group in its module's groups.
    pub group: usize,
    /// The level (region, health community or municipality).
    pub level: Level,
    /// Areas of the level with a shown cell of enough cases (k).
    pub areas: u32,
    /// Lowest and highest value over those areas (two or more).
    pub min: Option<f64>,
    /// Highest value.
    pub max: Option<f64>,
    /// Extremal quotient: max / min (none when min is 0).
    pub extremal_quotient: Option<f64>,
    /// Coefficient of variation: sample standard deviation / mean (none when the mean is 0).
    pub cv: Option<f64>,
    /// Systematic component of variation × 100 (shares and rates only).
    pub scv: Option<f64>,
}

/// One area's cell as the statistics see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AreaValue {
    /// The shown value.
    pub value: f64,
    /// Observed cases O (the numerator of a share or rate).
    pub observed: f64,
    /// What the expected cases are proportional to: for a crude share or rate its denominator
    /// (E = ΣO / Σdenominators × denominator); for a standardised rate the expected cases
    /// themselves (Σ over strata of the pooled stratum rate × the area's inhabitants).
    pub exposure: f64,
}

/// The statistics of a set of areas. `scv`: whether the SCV applies (shares and rates);
/// `expected_given`: the exposures are already expected counts (standardised rates), else the
/// expected count is exposure × ΣO / Σexposure.
pub fn statistics(values: &[AreaValue], scv: bool, expected_given: bool) -> Stats {
    let k = values.len();
    let mut out = Stats::default();
    if k < 2 {
        return out;
    }
    let min = values.iter().map(|v| v.value).fold(f64::INFINITY, f64::min);
    let max = values
        .iter()
        .map(|v| v.value)
        .fold(f64::NEG_INFINITY, f64::max);
    out.min = Some(min);
    out.max = Some(max);
    out.extremal_quotient = (min > 0.0).then(|| max / min);
    let kf = k as f64;
    let mean = values.iter().map(|v| v.value).sum::<f64>() / kf;
    let var = values
        .iter()
        .map(|v| (v.value - mean) * (v.value - mean))
        .sum::<f64>()
        / (kf - 1.0);
    out.cv = (mean > 0.0).then(|| var.sqrt() / mean);
    if scv {
        let o_sum: f64 = values.iter().map(|v| v.observed).sum();
        let x_sum: f64 = values.iter().map(|v| v.exposure).sum();
        let expected = |v: &AreaValue| {
            if expected_given {
                v.exposure
            } else if x_sum > 0.0 {
                v.exposure * o_sum / x_sum
            } else {
                0.0
            }
        };
        if values.iter().all(|v| expected(v) > 0.0) {
            let s: f64 = values
                .iter()
                .map(|v| {
                    let e = expected(v);
                    (v.observed - e) * (v.observed - e) / (e * e) - 1.0 / e
                })
                .sum();
            out.scv = Some(100.0 * s / kf);
        }
    }
    out
}

/// The numbers of [`Variation`] without its place.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Stats {
    /// Lowest value.
    pub min: Option<f64>,
    /// Highest value.
    pub max: Option<f64>,
    /// max / min.
    pub extremal_quotient: Option<f64>,
    /// s / mean.
    pub cv: Option<f64>,
    /// SCV × 100.
    pub scv: Option<f64>,
}

/// The shown value of a cell, when it has one.
pub fn shown(cell: &Cell) -> Option<f64> {
    match cell {
        Cell::Value { value, .. } => Some(*value),
        _ => None,
    }
}

/// The header of the variation CSV.
pub const VARIATION_COLUMNS: [&str; 10] = [
    "indicator",
    "group",
    "level",
    "year",
    "areas",
    "min",
    "max",
    "extremal_quotient",
    "cv",
    "scv",
];

/// Writes the variation statistics of one or more analyses as CSV (`VARIATION_COLUMNS`; `.`
/// decimal point, full precision, empty where a statistic does not exist), sorted bytewise by
/// indicator, group, level and year like the long table.
pub fn write_variation_csv<'r>(
    reports: impl IntoIterator<Item = &'r crate::Report>,
    out: &mut Vec<u8>,
) {
    use crate::output::format_number;
    let mut rows: Vec<(&str, &str, &str, i32, &Variation)> = Vec::new();
    for r in reports {
        for res in &r.results {
            let groups = &r.modules[res.module].decl.groups;
            for v in &res.variation {
                let Some(g) = groups.get(v.group) else {
                    continue;
                };
                rows.push((res.def.id, g.id, v.level.as_str(), r.settings.year, v));
            }
        }
    }
    rows.sort_by(|a, b| (a.0, a.1, a.2, a.3).cmp(&(b.0, b.1, b.2, b.3)));
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    // Writing to a Vec cannot fail.
    let _ = w.write_record(VARIATION_COLUMNS);
    let num = |x: Option<f64>| x.map(format_number).unwrap_or_default();
    for (id, group, level, year, v) in rows {
        let _ = w.write_record([
            id.to_string(),
            group.to_string(),
            level.to_string(),
            year.to_string(),
            v.areas.to_string(),
            num(v.min),
            num(v.max),
            num(v.extremal_quotient),
            num(v.cv),
            num(v.scv),
        ]);
    }
    let _ = w.flush();
}

#[cfg(test)]
mod tests;
