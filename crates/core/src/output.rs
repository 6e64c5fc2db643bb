//! The engine's result: the long table of indicators.md §6, one row per cell.

use crate::text::Text;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Area level, from the whole country down to one municipality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// `NO`.
    Country,
    /// Health region (helseregion).
    Region,
    /// Health community (helsefellesskap).
    HealthCommunity,
    /// Municipality (kommune), by 4-digit code.
    Municipality,
}

impl Level {
    /// Every level, from the top.
    pub const ALL: [Level; 4] = [
        Level::Country,
        Level::Region,
        Level::HealthCommunity,
        Level::Municipality,
    ];

    /// The spelling in the long table.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Country => "country",
            Level::Region => "region",
            Level::HealthCommunity => "health_community",
            Level::Municipality => "municipality",
        }
    }

    /// Parses the long-table spelling.
    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

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

/// The group column of the long table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Group {
    /// An SMI group, possibly split by substance use.
    Smi(SmiGroup, SubstanceSplit),
    /// Patients ready for discharge (§2).
    Ready,
    /// Revolving-door patients (§3).
    Door,
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Group::Smi(g, SubstanceSplit::Any) => f.write_str(g.id()),
            Group::Smi(g, SubstanceSplit::With) => write!(f, "{}+substance", g.id()),
            Group::Smi(g, SubstanceSplit::Without) => write!(f, "{}-substance", g.id()),
            Group::Ready => f.write_str("ready"),
            Group::Door => f.write_str("door"),
        }
    }
}

impl Group {
    /// Parses the long-table spelling (`bipolar+substance`).
    pub fn parse(s: &str) -> Option<Group> {
        match s {
            "ready" => return Some(Group::Ready),
            "door" => return Some(Group::Door),
            _ => {}
        }
        let (base, split) = if let Some(b) = s.strip_suffix("+substance") {
            (b, SubstanceSplit::With)
        } else if let Some(b) = s.strip_suffix("-substance") {
            (b, SubstanceSplit::Without)
        } else {
            (s, SubstanceSplit::Any)
        };
        SmiGroup::ALL
            .into_iter()
            .find(|g| g.id() == base)
            .map(|g| Group::Smi(g, split))
    }
}

/// Why a cell is not shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuppressReason {
    /// A numerator, denominator or count below k.
    Primary,
    /// Hidden so that a primary-suppressed cell cannot be derived from a total.
    Secondary,
}

/// One published number. Nothing converts `Suppressed` into a number: charts, tables and CSV
/// receive the cell itself.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Cell {
    /// A computed value. For a count, sum or cost the numerator is that number, the denominator
    /// is `None` and `value` equals the numerator; a median has neither.
    Value {
        /// Numerator (count or sum).
        numerator: Option<u64>,
        /// Denominator.
        denominator: Option<u64>,
        /// The value: a percentage 0..100, a rate, a mean, a median or the count itself.
        value: f64,
    },
    /// Nothing to compute: a ratio whose denominator is 0, or a median of no values. Only seen
    /// with suppression off (k = 0); otherwise the 0 below k suppresses it. Written with its
    /// numbers and an empty value, never as 0 %.
    NotEstimable {
        /// Numerator, when the measure has one.
        numerator: Option<u64>,
        /// Denominator (0), when the measure has one.
        denominator: Option<u64>,
    },
    /// Not shown.
    Suppressed(SuppressReason),
}

impl Cell {
    /// The value, when not suppressed.
    pub fn value(&self) -> Option<f64> {
        match self {
            Cell::Value { value, .. } => Some(*value),
            Cell::NotEstimable { .. } | Cell::Suppressed(_) => None,
        }
    }

    /// Whether the cell is suppressed.
    pub fn is_suppressed(&self) -> bool {
        matches!(self, Cell::Suppressed(_))
    }
}

/// One row of the long table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LongRow {
    /// Indicator id from the registry, e.g. `smi.admitted`.
    pub indicator: String,
    /// Patient group.
    pub group: Group,
    /// Area level.
    pub level: Level,
    /// `NO`, a region or health-community name as in the areas table, or a 4-digit municipality code.
    pub area: String,
    /// Analysis year.
    pub year: i32,
    /// The number, or why it is hidden.
    pub cell: Cell,
}

impl LongRow {
    /// The sort key of the output: (indicator, group, level, area, year), each compared as the
    /// text written in the CSV, so any tool that sorts the file bytewise agrees.
    pub fn sort_key(&self) -> (String, String, &'static str, String, i32) {
        (
            self.indicator.clone(),
            self.group.to_string(),
            self.level.as_str(),
            self.area.clone(),
            self.year,
        )
    }
}

/// The header of the long-table CSV.
pub const LONG_TABLE_HEADER: &str =
    "indicator,group,level,area,year,numerator,denominator,value,suppressed";

/// Writes the long table as CSV (`.` decimal point, full precision, rows in the given order).
/// Area names are quoted when they contain a comma or a quote.
pub fn write_long_table_csv(rows: &[LongRow], out: &mut String) {
    use std::fmt::Write;
    out.push_str(LONG_TABLE_HEADER);
    out.push('\n');
    for r in rows {
        let _ = write!(
            out,
            "{},{},{},{},{},",
            csv_field(&r.indicator),
            csv_field(&r.group.to_string()),
            r.level.as_str(),
            csv_field(&r.area),
            r.year
        );
        match r.cell {
            Cell::Value {
                numerator,
                denominator,
                value,
            } => {
                if let Some(n) = numerator {
                    let _ = write!(out, "{n}");
                }
                out.push(',');
                if let Some(d) = denominator {
                    let _ = write!(out, "{d}");
                }
                let _ = writeln!(out, ",{},false", format_number(value));
            }
            Cell::NotEstimable {
                numerator,
                denominator,
            } => {
                let _ = writeln!(
                    out,
                    "{},{},,false",
                    numerator.map(|n| n.to_string()).unwrap_or_default(),
                    denominator.map(|d| d.to_string()).unwrap_or_default()
                );
            }
            Cell::Suppressed(_) => out.push_str(",,,true\n"),
        }
    }
}

/// Full-precision text of a number: the shortest decimal that reads back to the same f64
/// (`12`, `33.333333333333336`), never an exponent.
pub fn format_number(v: f64) -> String {
    if v.is_finite() && v == v.trunc() && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

fn csv_field(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        std::borrow::Cow::Owned(format!("\"{}\"", s.replace('"', "\"\"")))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_round_trip_through_their_spelling() {
        for g in SmiGroup::ALL {
            for split in [
                SubstanceSplit::Any,
                SubstanceSplit::With,
                SubstanceSplit::Without,
            ] {
                let group = Group::Smi(g, split);
                assert_eq!(Group::parse(&group.to_string()), Some(group));
            }
        }
        assert_eq!(
            Group::Smi(SmiGroup::Bipolar, SubstanceSplit::With).to_string(),
            "bipolar+substance"
        );
        assert_eq!(Group::parse("ready"), Some(Group::Ready));
        assert_eq!(Group::parse("nonsense"), None);
    }

    #[test]
    fn csv_rows_follow_the_spec() {
        let rows = vec![
            LongRow {
                indicator: "smi.admitted".into(),
                group: Group::Smi(SmiGroup::All, SubstanceSplit::Any),
                level: Level::Country,
                area: "NO".into(),
                year: 2024,
                cell: Cell::Value {
                    numerator: Some(1),
                    denominator: Some(3),
                    value: 100.0 / 3.0,
                },
            },
            LongRow {
                indicator: "smi.patients".into(),
                group: Group::Smi(SmiGroup::All, SubstanceSplit::Any),
                level: Level::Region,
                area: "Helse Vest, Nord".into(),
                year: 2024,
                cell: Cell::Value {
                    numerator: Some(12),
                    denominator: None,
                    value: 12.0,
                },
            },
            LongRow {
                indicator: "smi.patients".into(),
                group: Group::Smi(SmiGroup::All, SubstanceSplit::Any),
                level: Level::Municipality,
                area: "0301".into(),
                year: 2024,
                cell: Cell::Suppressed(SuppressReason::Primary),
            },
        ];
        let mut out = String::new();
        write_long_table_csv(&rows, &mut out);
        assert_eq!(
            out,
            "indicator,group,level,area,year,numerator,denominator,value,suppressed\n\
             smi.admitted,all,country,NO,2024,1,3,33.333333333333336,false\n\
             smi.patients,all,region,\"Helse Vest, Nord\",2024,12,,12,false\n\
             smi.patients,all,municipality,0301,2024,,,,true\n"
        );
    }
}
