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
