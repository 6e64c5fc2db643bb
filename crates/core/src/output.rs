//! The engine's result: the long table of indicators.md §6, one row per cell.

use serde::{Deserialize, Serialize};

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

/// One row of the long table (a view into a [`crate::Report`]: ids are the registry's and the
/// module's, the area text the report's).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LongRow<'a> {
    /// Indicator id from the registry, e.g. `smi.admitted`.
    pub indicator: &'static str,
    /// Group id of the indicator's module, e.g. `bipolar+substance`.
    pub group: &'static str,
    /// Area level.
    pub level: Level,
    /// `NO`, a region or health-community name as in the areas table, or a 4-digit municipality code.
    pub area: &'a str,
    /// Analysis year.
    pub year: i32,
    /// The number, or why it is hidden.
    pub cell: Cell,
    /// Its 95 % confidence interval (`ci_low,ci_high`): for shares and rates per 1 000 when
    /// shown, `None` otherwise ([`crate::ci`]).
    pub ci: Option<crate::ci::Interval>,
}

/// The columns of the long table, in order: the nine of indicators.md §6, then the 95 %
/// confidence interval (`ci_low,ci_high`, empty where suppressed or not estimable; §6 lets
/// further columns follow the nine).
pub const LONG_TABLE_COLUMNS: [&str; 11] = [
    "indicator",
    "group",
    "level",
    "area",
    "year",
    "numerator",
    "denominator",
    "value",
    "suppressed",
    "ci_low",
    "ci_high",
];

/// How many of [`LONG_TABLE_COLUMNS`] are the nine of indicators.md §6.
pub const SPEC_COLUMNS: usize = 9;

/// The header of the long-table CSV.
pub const LONG_TABLE_HEADER: &str =
    "indicator,group,level,area,year,numerator,denominator,value,suppressed,ci_low,ci_high";

/// What every export says in its first row or title when suppression was off (k = 0).
pub const NOT_SUPPRESSED_MARK: crate::text::Text = crate::text::Text {
    nb: "IKKE PRIKKET",
    en: "NOT SUPPRESSED",
};

impl LongRow<'_> {
    /// The sort key of the output: (indicator, group, level, area, year), each compared as the
    /// text written in the CSV, so any tool that sorts the file bytewise agrees.
    pub fn sort_key(&self) -> (&'static str, &'static str, &'static str, &str, i32) {
        (
            self.indicator,
            self.group,
            self.level.as_str(),
            self.area,
            self.year,
        )
    }

    /// The row's fields as the CSV writes them (the one place that decides them, for the
    /// CSV, the XLSX export and the app's table): numerator and denominator when published,
    /// the value and the interval's limits at full precision, empty when suppressed or not
    /// estimable.
    pub fn fields(&self) -> [String; 11] {
        let (num, den, value) = match self.cell {
            Cell::Value {
                numerator,
                denominator,
                value,
            } => (numerator, denominator, Some(value)),
            Cell::NotEstimable {
                numerator,
                denominator,
            } => (numerator, denominator, None),
            Cell::Suppressed(_) => (None, None, None),
        };
        let opt = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
        [
            self.indicator.to_string(),
            self.group.to_string(),
            self.level.as_str().to_string(),
            self.area.to_string(),
            self.year.to_string(),
            opt(num),
            opt(den),
            value.map(format_number).unwrap_or_default(),
            self.cell.is_suppressed().to_string(),
            self.ci
                .map(|i| format_number(round_significant(i.low)))
                .unwrap_or_default(),
            self.ci
                .map(|i| format_number(round_significant(i.high)))
                .unwrap_or_default(),
        ]
    }
}

/// Writes the long table as CSV (`.` decimal point, full precision, rows in the given order,
/// `\n` line ends; a field is quoted only when it holds a comma, quote or line break).
pub fn write_long_table_csv<'a>(rows: impl IntoIterator<Item = LongRow<'a>>, out: &mut Vec<u8>) {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    // Writing to a Vec cannot fail.
    let _ = w.write_record(LONG_TABLE_COLUMNS);
    for r in rows {
        let _ = w.write_record(r.fields());
    }
    let _ = w.flush();
}

/// Significant digits of the interval limits in the long table.
pub const CI_DIGITS: usize = 8;

/// `v` rounded to [`CI_DIGITS`] significant digits. An interval's limits come from gamma and
/// normal quantiles, whose last digits differ between the maths libraries of the browser (wasm)
/// and the command line (~1e-14 relative); rounded, the two files agree byte for byte, and 8
/// digits are far beyond what an interval means.
pub fn round_significant(v: f64) -> f64 {
    if !v.is_finite() || v == 0.0 {
        return v;
    }
    // Rust's formatting rounds the exact binary value correctly, on every platform alike.
    format!("{:.*e}", CI_DIGITS - 1, v).parse().unwrap_or(v)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_limits_are_rounded_to_eight_significant_digits() {
        assert_eq!(round_significant(6.149194472039615), 6.1491945);
        assert_eq!(round_significant(0.025317807984289786), 0.025317808);
        assert_eq!(round_significant(1234.56789049), 1234.5679);
        assert_eq!(round_significant(0.0), 0.0);
        // A last-digit difference between maths libraries does not show.
        assert_eq!(
            round_significant(0.7435864003926868),
            round_significant(0.7435864003926871)
        );
    }

    #[test]
    fn csv_rows_follow_the_spec() {
        let rows = vec![
            LongRow {
                indicator: "smi.admitted",
                group: "all",
                level: Level::Country,
                area: "NO",
                year: 2024,
                cell: Cell::Value {
                    numerator: Some(1),
                    denominator: Some(3),
                    value: 100.0 / 3.0,
                },
                // Wilson's (6.149194472039615, 79.23403991979524) for 1 of 3, to 8 digits.
                ci: Some(crate::ci::Interval {
                    low: 6.149194472039615,
                    high: 79.23403991979524,
                }),
            },
            LongRow {
                indicator: "smi.patients",
                group: "all",
                level: Level::Region,
                area: "Helse \"Vest\", Nord",
                year: 2024,
                cell: Cell::Value {
                    numerator: Some(12),
                    denominator: None,
                    value: 12.0,
                },
                ci: None,
            },
            LongRow {
                indicator: "smi.patients",
                group: "all",
                level: Level::Municipality,
                area: "0301",
                year: 2024,
                cell: Cell::Suppressed(SuppressReason::Primary),
                ci: None,
            },
        ];
        let mut out = Vec::new();
        write_long_table_csv(rows, &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "indicator,group,level,area,year,numerator,denominator,value,suppressed,ci_low,ci_high\n\
             smi.admitted,all,country,NO,2024,1,3,33.333333333333336,false,6.1491945,79.23404\n\
             smi.patients,all,region,\"Helse \"\"Vest\"\", Nord\",2024,12,,12,false,,\n\
             smi.patients,all,municipality,0301,2024,,,,true,,\n"
        );
    }
}
