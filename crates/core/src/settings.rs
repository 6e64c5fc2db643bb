//! Analysis settings: everything the definitions leave to the user, with the spec's defaults.
//! Each module's own settings are nested under its id (`settings.smi.readmission`).

use crate::module::ModuleDecl;
use crate::modules::door::DoorSettings;
use crate::modules::pathways::PathwaySettings;
use crate::modules::ready::ReadySettings;
use crate::modules::smi::SmiSettings;
use serde::{Deserialize, Serialize};

/// Settings of one analysis. "Today" and the analysis year are inputs: the core reads no clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// The analysis year Y.
    pub year: i32,
    /// Small-number threshold k: cells below k are suppressed. 0 switches suppression off.
    pub min_cell: u64,
    /// The modules to compute, by id; `None` = every module that is not opt-in.
    pub modules: Option<Vec<String>>,
    /// The SMI module's settings (indicators.md §1).
    pub smi: SmiSettings,
    /// The ready-for-discharge module's settings (indicators.md §2).
    pub ready: ReadySettings,
    /// The revolving-door module's settings (indicators.md §3).
    pub door: DoorSettings,
    /// The pathway module's settings (indicators.md §4).
    pub pathways: PathwaySettings,
    /// Fair comparisons between areas: the standard population and the variation statistics
    /// (issue 13).
    pub comparison: ComparisonSettings,
}

/// Settings of the comparisons between areas (docs/choices.md, "Age- and sex-standardised
/// rates" and "Variation between areas").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ComparisonSettings {
    /// The year whose national population (by age band and sex, from the population table) is
    /// the standard of the standardised rates; `None` = the analysis year.
    pub standard_year: Option<i32>,
    /// The variation statistics use only areas whose cell has at least this many units in the
    /// numerator (and is shown); 10 by default.
    pub variation_min_cases: u64,
}

impl Default for ComparisonSettings {
    fn default() -> Self {
        ComparisonSettings {
            standard_year: None,
            variation_min_cases: 10,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            year: 2024,
            min_cell: 5,
            modules: None,
            smi: SmiSettings::default(),
            ready: ReadySettings::default(),
            door: DoorSettings::default(),
            pathways: PathwaySettings::default(),
            comparison: ComparisonSettings::default(),
        }
    }
}

impl Settings {
    /// Default settings for analysis year `year`.
    pub fn for_year(year: i32) -> Self {
        Settings {
            year,
            ..Settings::default()
        }
    }

    /// Whether this analysis computes `module`.
    pub fn runs(&self, module: &ModuleDecl) -> bool {
        match &self.modules {
            None => !module.opt_in,
            Some(ids) => ids.iter().any(|id| id == module.id),
        }
    }
}
