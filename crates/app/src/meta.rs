//! What the app shows about an indicator: title, definition, choices, unit and tables, all from
//! the engine's registry (STYLE P2: one definition is one entry). This module only looks entries
//! up and formats values by unit.

use crate::fmt;
use forlop_core::indicator::{self as registry, Unit};
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
    match registry::find(id) {
        Some(d) => Info {
            title: d.title.get(lang).to_string(),
            definition: d.definition.get(lang).to_string(),
            choices: d.choices.get(lang).to_string(),
            unit: d.unit.label().get(lang).to_string(),
            tables: d
                .tables
                .iter()
                .map(|t| match lang {
                    Lang::Nb => t.norwegian_name().to_string(),
                    Lang::En => t.canonical_name().to_string(),
                })
                .collect(),
        },
        None => Info {
            title: id.to_string(),
            ..Info::default()
        },
    }
}

/// The unit of `id`, for formatting.
pub fn unit_kind(id: &str) -> UnitKind {
    match registry::find(id).map(|d| d.unit) {
        Some(Unit::Percent) => UnitKind::Percent,
        Some(Unit::Count) => UnitKind::Count,
        _ => UnitKind::Decimal,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_and_units_come_from_the_registry() {
        let i = info("smi.admitted", Lang::En);
        assert_ne!(i.title, "smi.admitted");
        assert!(!i.definition.is_empty());
        assert_eq!(unit_kind("smi.admitted"), UnitKind::Percent);
        assert_eq!(unit_kind("smi.patients"), UnitKind::Count);
        assert_eq!(unit_kind("smi.patients_per_1000"), UnitKind::Decimal);
    }
}
