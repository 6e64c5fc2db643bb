//! The SMI module's groups: the four diagnosis groups and their union, each split by comorbid
//! substance use.

use crate::text::Text;
use serde::{Deserialize, Serialize};

/// An SMI diagnosis group (indicators.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmiGroup {
    /// The union of the four.
    All,
    /// F20, F25.
    Schizophrenia,
    /// F30, F31.
    Bipolar,
    /// F32, F33.
    Depression,
    /// F60–F69.
    Personality,
}

impl SmiGroup {
    /// All five, `all` first.
    pub const ALL: [SmiGroup; 5] = [
        SmiGroup::All,
        SmiGroup::Schizophrenia,
        SmiGroup::Bipolar,
        SmiGroup::Depression,
        SmiGroup::Personality,
    ];

    /// Group id as in the long table.
    pub fn id(self) -> &'static str {
        match self {
            SmiGroup::All => "all",
            SmiGroup::Schizophrenia => "schizophrenia",
            SmiGroup::Bipolar => "bipolar",
            SmiGroup::Depression => "depression",
            SmiGroup::Personality => "personality",
        }
    }

    /// The group's label: the Norwegian as in indicators.md §1, and in English.
    pub fn label(self) -> Text {
        let (nb, en) = match self {
            SmiGroup::All => ("Alle", "All"),
            SmiGroup::Schizophrenia => ("Schizofreni", "Schizophrenia"),
            SmiGroup::Bipolar => ("Bipolar lidelse", "Bipolar disorder"),
            SmiGroup::Depression => ("Depresjon", "Depression"),
            SmiGroup::Personality => ("Personlighetsforstyrrelser", "Personality disorders"),
        };
        Text { nb, en }
    }
}

/// Split of a group by comorbid substance use (F10–F19).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubstanceSplit {
    /// Everyone in the group.
    Any,
    /// With substance use (m/rus), suffix `+substance`.
    With,
    /// Without substance use (u/rus), suffix `-substance`.
    Without,
}
