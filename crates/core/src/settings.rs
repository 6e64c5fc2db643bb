//! Analysis settings: everything the definitions leave to the user, with the spec's defaults.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Settings of one analysis. "Today" and the analysis year are inputs: the core reads no clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// The analysis year Y.
    pub year: i32,
    /// Small-number threshold k: cells below k are suppressed. 0 switches suppression off.
    pub min_cell: u64,
    /// Readmission variants (indicators.md §1).
    pub readmission: ReadmissionSettings,
    /// Unit values that mark the psychiatric emergency unit (PAM), compared case-insensitively.
    pub pam_units: Vec<String>,
    /// Last day covered by the data; `None` = 31 December of the latest year in which any
    /// episode has its admit_date (indicators.md §4).
    pub data_end: Option<NaiveDate>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            year: 2024,
            min_cell: 5,
            readmission: ReadmissionSettings::default(),
            pam_units: vec!["PAM".to_string()],
            data_end: None,
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
}

/// How a readmission is recognised. Defaults follow Helsedirektoratet: an acute inpatient
/// admission 1–30 days after the previous discharge, deaths kept. SKDE's variant is
/// `window_days = 29, exclude_death_within_window = true`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReadmissionSettings {
    /// Last day after discharge on which a new admission counts (first day is always day 1).
    pub window_days: u32,
    /// Count only acute (ø-hjelp) readmissions.
    pub acute_only: bool,
    /// Leave out discharges followed by the person's death within the window.
    pub exclude_death_within_window: bool,
}

impl Default for ReadmissionSettings {
    fn default() -> Self {
        ReadmissionSettings {
            window_days: 30,
            acute_only: true,
            exclude_death_within_window: false,
        }
    }
}
