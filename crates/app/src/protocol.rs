//! Messages between the page and the Web Worker that holds the engine.
//!
//! Both sides are this crate, so the messages are app-owned types sent as JSON text; the user's
//! files travel beside the JSON as `File` objects (structured clone, no copy of their contents on
//! the page). The engine's types that reach the page ([`LongRow`], [`Settings`], [`TableKind`])
//! derive serde already; everything else is turned into the view structs below in the worker, with
//! messages pre-rendered in both languages, so the page never needs the engine's internals.

use forlop_core::ingest::ReadOptions;
use forlop_core::model::TableKind;
use forlop_core::output::LongRow;
use forlop_core::settings::Settings;
use serde::{Deserialize, Serialize};

/// A job for the worker. One at a time: the page disables its buttons while one runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToWorker {
    /// Generate a synthetic extract in the worker, read it and analyse it.
    Demo {
        /// Number of persons.
        persons: u32,
        /// RNG seed (fixed, so everyone sees the same demo).
        seed: u64,
        /// Analysis settings (the demo's year is `settings.year`).
        settings: Settings,
    },
    /// Read the attached files (in slices), then analyse. `kinds[i]` is the user's choice for
    /// file `i`, `None` = recognise from the headers.
    Files {
        /// Table kind per attached file.
        kinds: Vec<Option<TableKind>>,
        /// The user's mapping profile and century rule.
        options: ReadOptions,
        /// Analysis settings.
        settings: Settings,
    },
    /// Read the files already held by the worker again with corrected kinds, then analyse.
    Reread {
        /// Table kind per held file, in the order of [`LoadView::files`].
        kinds: Vec<Option<TableKind>>,
        /// The user's mapping profile and century rule.
        options: ReadOptions,
        /// Analysis settings.
        settings: Settings,
    },
    /// Analyse the tables the worker holds with new settings (year, k): no re-reading.
    Analyse {
        /// Analysis settings.
        settings: Settings,
    },
    /// Build the XLSX export of the last report; the answer is a file, not JSON.
    Xlsx,
}

/// What a job is doing, for the progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    /// Copying a file's bytes into the worker.
    Reading,
    /// Making demo data.
    Generating,
    /// Parsing and checking rows.
    Parsing,
    /// Computing the indicators.
    Computing,
}

/// A message from the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    /// The worker's wasm is running and it listens.
    Ready,
    /// Progress of the current job.
    Progress {
        /// Phase.
        phase: Phase,
        /// File name, when the phase concerns one.
        detail: String,
        /// 0..=1.
        fraction: f32,
    },
    /// The files were read; analysis follows.
    Loaded(LoadView),
    /// The analysis is done.
    Report(Box<ReportView>),
    /// A file the worker made (XLSX) was handed to the browser's download.
    FileReady,
    /// The job failed; the message is in both languages.
    Failed {
        /// Bokmål.
        nb: String,
        /// English.
        en: String,
    },
}

/// A text in both languages, built at run time (the engine renders its issues per language).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Bilingual {
    /// Bokmål.
    pub nb: String,
    /// English.
    pub en: String,
}

/// The data-quality report, ready to show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct LoadView {
    /// One entry per file, in the order the user gave them.
    pub files: Vec<FileView>,
    /// Problems: code, count and a description.
    pub problems: Vec<ProblemView>,
    /// The first examples, with `file:line:column`.
    pub examples: Vec<ExampleView>,
    /// Files whose columns or code values need the user's mapping.
    pub mapping: Vec<MappingNeed>,
}

/// What one file needs mapped (from `forlop_core::ingest::inspect`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MappingNeed {
    /// File name.
    pub name: String,
    /// The table it is (or best fits).
    pub kind: Option<TableKind>,
    /// Headers that matched no canonical column.
    pub unmatched_headers: Vec<String>,
    /// Required canonical columns the file lacks.
    pub missing_required: Vec<String>,
    /// Coded columns with values not recognised.
    pub unrecognised: Vec<UnknownValues>,
}

/// Unrecognised values of one coded column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnknownValues {
    /// Canonical column, e.g. `sector`.
    pub column: String,
    /// The header as written.
    pub header: String,
    /// `(value, rows)`, most frequent first.
    pub values: Vec<(String, u64)>,
}

/// One file's accounting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileView {
    /// File name.
    pub name: String,
    /// The kind it was read as (recognised or chosen); `None` when it could not be recognised.
    pub kind: Option<TableKind>,
    /// Data rows read.
    pub rows_read: u64,
    /// Rows used.
    pub rows_used: u64,
    /// Rows rejected.
    pub rows_rejected: u64,
}

/// One kind of problem and how often it occurred.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProblemView {
    /// The engine's issue code.
    pub code: String,
    /// Occurrences.
    pub count: u64,
    /// Whether rows were rejected for it (else a warning, row kept).
    pub rejects: bool,
    /// What it means, from its first example.
    pub text: Bilingual,
}

/// One example of a problem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExampleView {
    /// `file:line:column`.
    pub location: String,
    /// The message.
    pub message: Bilingual,
}

/// The analysis, ready to show and export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ReportView {
    /// The settings it was computed with.
    pub settings: Settings,
    /// Suppression was off (k = 0): every export must say so.
    pub unsuppressed: bool,
    /// The engine's long table, already suppressed.
    pub rows: Vec<LongRow>,
    /// Display names of areas whose long-table key is a code (municipality code → name).
    pub area_names: Vec<(String, String)>,
    /// From the areas table: (municipality code, health community, region), for the area profile.
    pub area_parents: Vec<(String, String, String)>,
    /// Indicators that could not be computed, with the tables they miss.
    pub unavailable: Vec<(String, Vec<String>)>,
    /// Group-overlap summary lines.
    pub overlap: Vec<Bilingual>,
    /// Notes from the engine (e.g. "population without age column").
    pub notes: Vec<Bilingual>,
}

/// Encodes a message as JSON text. Serialising these plain structs cannot fail; the fallback
/// keeps the page alive if it ever did.
pub fn encode<T: Serialize>(msg: &T) -> String {
    serde_json::to_string(msg).unwrap_or_else(|_| "null".to_string())
}

/// Decodes a message.
///
/// # Errors
/// When the text is not a message of this version of the app.
pub fn decode<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, serde_json::Error> {
    serde_json::from_str(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip() {
        let job = ToWorker::Files {
            kinds: vec![Some(TableKind::Episodes), None],
            options: ReadOptions::default(),
            settings: Settings::for_year(2023),
        };
        assert_eq!(decode::<ToWorker>(&encode(&job)).unwrap(), job);
        let msg = FromWorker::Progress {
            phase: Phase::Reading,
            detail: "opphold.csv".into(),
            fraction: 0.5,
        };
        assert_eq!(decode::<FromWorker>(&encode(&msg)).unwrap(), msg);
        assert!(decode::<ToWorker>("{\"Nonsense\":1}").is_err());
    }

    #[test]
    fn report_values_cross_the_worker_boundary_bit_for_bit() {
        use forlop_core::output::{Cell, Group, Level, SmiGroup, SubstanceSplit};
        // 100 × 20 / 137 = 14.598540145985401; serde_json without float_roundtrip reads it back
        // as 14.5985401459854 (1 ulp off), found by the e2e comparison with the CLI.
        let values = [
            100.0 * 20.0 / 137.0,
            100.0 * 7.0 / 59.0,
            100.0 * 16.0 / 66.0,
            0.1 + 0.2,
        ];
        let report = ReportView {
            rows: values
                .iter()
                .map(|v| LongRow {
                    indicator: "smi.admitted".into(),
                    group: Group::Smi(SmiGroup::All, SubstanceSplit::Any),
                    level: Level::Country,
                    area: "NO".into(),
                    year: 2024,
                    cell: Cell::Value {
                        numerator: Some(1),
                        denominator: Some(2),
                        value: *v,
                    },
                })
                .collect(),
            ..ReportView::default()
        };
        let back: FromWorker =
            decode(&encode(&FromWorker::Report(Box::new(report.clone())))).unwrap();
        let FromWorker::Report(back) = back else {
            panic!("not a report")
        };
        for (a, b) in back.rows.iter().zip(&report.rows) {
            assert_eq!(
                a.cell.value().map(f64::to_bits),
                b.cell.value().map(f64::to_bits)
            );
        }
    }
}
