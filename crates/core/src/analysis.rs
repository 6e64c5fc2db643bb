//! The top-level entry point (being written).

use crate::model::Tables;
use crate::output::LongRow;
use crate::settings::Settings;

/// The result of one analysis.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The long table, sorted.
    pub rows: Vec<LongRow>,
}

/// Computes every available indicator of the registry for `settings.year`.
pub fn analyse(_tables: &Tables, _settings: &Settings) -> Report {
    Report::default()
}
