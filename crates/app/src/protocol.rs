//! Messages between the page and the Web Worker that holds the engine.
//!
//! Both sides are this crate, so the messages are app-owned types. They cross as JS values made
//! by `serde-wasm-bindgen` ([`encode`], [`decode`]): structured clone carries them, f64 values
//! arrive bit for bit, and there is no JSON text to build or parse. The user's files travel beside
//! the message as `File` objects, and exported files as a transferred `Uint8Array`.
//!
//! The report reaches the page compact and indexed ([`ReportView`]): the areas once, each
//! module's id (the page has the same registry, so it reads the declaration itself), and per
//! indicator its dense cell grid in columns ([`Grid`]). The long table (~33 000 rows of text for a
//! national extract) stays in the worker and is written only for an export.

use forlop_core::ingest::ReadOptions;
use forlop_core::model::TableKind;
use forlop_core::module::DistributionAxis;
use forlop_core::output::{Cell, Level, SuppressReason};
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
        /// Analysis settings (the demo's year is `settings.year`; the analysis takes its
        /// years from the data it makes, as for the user's files).
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
        /// The year the user asked for; `None` = the latest complete year of the data.
        #[serde(default)]
        year_override: Option<i32>,
        /// Into how many pieces the big tables are cut: this worker reads piece 0, helper
        /// workers the others ([`ToWorker::ReadPiece`]), whose bytes the page hands on
        /// ([`ToWorker::PieceRead`]). 0 or 1: this worker reads everything.
        #[serde(default)]
        pieces: u32,
    },
    /// A helper worker's job: copy the attached files and read piece `index` of `count` of
    /// the big tables (`ingest::read_piece`); the answer is [`FromWorker::Piece`].
    ReadPiece {
        /// Which piece (1.. for helpers).
        index: u32,
        /// Of how many.
        count: u32,
        /// Table kind per attached file.
        kinds: Vec<Option<TableKind>>,
        /// As for the main worker's [`ToWorker::Files`].
        options: ReadOptions,
    },
    /// A helper's piece handed on by the page to the worker reading [`ToWorker::Files`]: its
    /// bytes travel beside the message as `piece: Uint8Array`; without them the helper failed
    /// (that worker then reads the piece itself).
    PieceRead {
        /// Which piece.
        index: u32,
    },
    /// Read the files already held by the worker again with corrected kinds, then analyse.
    Reread {
        /// Table kind per held file, in the order of [`LoadView::files`].
        kinds: Vec<Option<TableKind>>,
        /// The user's mapping profile and century rule.
        options: ReadOptions,
        /// Analysis settings.
        settings: Settings,
        /// The year the user asked for; `None` = the latest complete year of the data.
        #[serde(default)]
        year_override: Option<i32>,
    },
    /// Analyse the tables the worker holds with new settings (year, k): no re-reading.
    Analyse {
        /// Analysis settings.
        settings: Settings,
        /// The year the user asked for; `None` = the latest complete year of the data.
        #[serde(default)]
        year_override: Option<i32>,
    },
    /// Make the report of `year` (one of [`ReportView::years`]) the one exports and the report
    /// describe; no answer (the page swaps its view itself, [`ReportView::showing`]).
    ShowYear(i32),
    /// The page shows this module (its id): the next analysis computes it first
    /// (`engine::first_module`); no answer.
    ShowModule(String),
    /// Finish the last job: compute the rest of its analysis, the other years and modules
    /// ([`ReportView::is_whole`], answered by [`FromWorker::OtherYears`]) and check what
    /// its files need mapped (answered by [`FromWorker::Loaded`] when something does); nothing
    /// when nothing is due. The page asks after every report, once it has drawn its first
    /// chart: done beside its drawing, they slowed the drawing on two cores.
    FinishJob,
    /// Write the long table of the last report as a file; the answer is [`FromWorker::File`].
    Export(ExportFormat),
    /// Write the downloadable HTML report of the last analysis (always suppressed, k ≥ 5); the
    /// answer is [`FromWorker::File`].
    HtmlReport(Box<ReportRequest>),
    /// A patient-survey job (its files, if any, attached); the answer is [`FromWorker::Survey`].
    Survey(crate::survey::SurveyJob),
}

/// What the user chose for the downloadable report (`crate::html_report`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportRequest {
    /// Module ids to include.
    pub modules: Vec<String>,
    /// The area (level, long-table text); `None` = the country.
    pub area: Option<(Level, String)>,
    /// Language of the report.
    pub lang: forlop_core::text::Lang,
    /// When it was made, as the page's clock says (the engine has no clock).
    pub made: String,
    /// The data-quality report the page shows.
    pub quality: Option<LoadView>,
}

/// A file format of the long-table export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExportFormat {
    /// CSV, byte for byte the CLI's `forlop indicators` output.
    Csv,
    /// An Excel workbook, numbers as numbers.
    Xlsx,
    /// The variation between areas per indicator, group, level and year (CSV, byte for byte
    /// `forlop indicators --variation`).
    Variation,
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
    /// The analysis is done, of the shown year and module at least (the rest may follow:
    /// [`ReportView::is_whole`]).
    Report(Box<ReportView>),
    /// The same analysis with every year and module: completes the [`FromWorker::Report`]
    /// before it, whose pending years and modules it computed. The page swaps it in without
    /// drawing the cards again.
    OtherYears(Box<ReportView>),
    /// The warm-up's extract read and analysed (its data-quality report and the report of its
    /// shown year), drawn once off screen by the page (`rehearsal`) so that the page's own code
    /// has run before the first real report. The report travels as bytes, as a
    /// [`FromWorker::Report`] does.
    Rehearsal(Box<(LoadView, ReportView)>),
    /// A file the worker made (an export); its bytes travel beside the message.
    File {
        /// The download's file name.
        name: String,
        /// Its MIME type.
        mime: String,
    },
    /// A patient-survey answer.
    Survey(Box<crate::survey::SurveyAnswer>),
    /// A helper worker's piece (`ingest::PieceSet` bytes beside the message as
    /// `piece: Uint8Array`, transferred).
    Piece {
        /// Which piece.
        index: u32,
    },
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

/// The analysis, compact and indexed, ready to show. Exports are made in the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ReportView {
    /// The settings it was computed with.
    pub settings: Settings,
    /// Suppression was off (k = 0): every export must say so.
    pub unsuppressed: bool,
    /// Rows of the long table (what an export will hold).
    pub rows: usize,
    /// Every area of the grid, in the engine's order (the country first).
    pub areas: Vec<AreaView>,
    /// Every module the settings asked for, in registration order.
    pub modules: Vec<ModuleView>,
    /// Every computed indicator, in registry order.
    pub results: Vec<ResultView>,
    /// Indicators that could not be computed, with the tables they miss.
    pub unavailable: Vec<(String, Vec<TableKind>)>,
    /// Notes about the whole analysis (e.g. "population without age column").
    pub notes: Vec<Bilingual>,
    /// How long the worker's steps took (ms), for the performance test.
    pub timings: Vec<(String, f64)>,
    /// The years in the data, the years computed and why the shown one (`settings.year`).
    #[serde(default)]
    pub years: YearsView,
    /// The other computed years, each aligned with [`ReportView::results`] (swapped in by
    /// [`ReportView::showing`]).
    #[serde(default)]
    pub other_years: Vec<YearView>,
    /// Years still being computed when the page gets this report: the shown year's report
    /// comes first, the others follow as [`FromWorker::OtherYears`] (with the modules
    /// [`ModuleView::pending`]). The report is whole ([`ReportView::is_whole`]) when none is
    /// pending.
    #[serde(default)]
    pub pending_years: Vec<i32>,
}

/// Which years the data holds and which were computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct YearsView {
    /// Years of activity in the data (episode and primary-care dates), ascending.
    pub present: Vec<i32>,
    /// Years the population table has rows for, ascending (empty without one).
    pub population: Vec<i32>,
    /// Years computed, ascending: one report per year.
    pub computed: Vec<i32>,
    /// Why the shown year was taken.
    pub reason: YearReason,
}

/// Why a year is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum YearReason {
    /// The user gave the year.
    Override,
    /// The latest complete year of the data (with population, when there is a population
    /// table).
    LatestComplete {
        /// The latest date in the data, `YYYY-MM-DD`.
        latest_date: String,
        /// The latest date's year was passed over: it does not reach December.
        passed_over_partial_year: bool,
        /// A later complete year was passed over: the population table has no rows for it.
        passed_over_without_population: bool,
    },
    /// No complete year has any activity (an extract of part of one year): the latest year
    /// with activity, which does not reach December.
    PartialYear {
        /// The latest date in the data, `YYYY-MM-DD`.
        latest_date: String,
    },
    /// The data has no dated rows: the start form's year.
    #[default]
    NoDates,
}

/// One other computed year: what differs from year to year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct YearView {
    /// The year.
    pub year: i32,
    /// Modules as computed for it (units, summaries, notes).
    pub modules: Vec<ModuleView>,
    /// Cells per result, aligned with [`ReportView::results`]; an empty grid where the year
    /// has no such result.
    pub cells: Vec<Grid>,
    /// Indicators that could not be computed for it.
    pub unavailable: Vec<(String, Vec<TableKind>)>,
    /// Notes about its analysis.
    pub notes: Vec<Bilingual>,
}

/// One area of the grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaView {
    /// Its level.
    pub level: Level,
    /// Its text in the long table (`NO`, a name, a municipality code).
    pub name: String,
    /// A municipality's name from the areas table, shown after its code.
    pub municipality_name: Option<String>,
    /// Index of the region it lies in (from the areas table), for the area profile.
    pub region: Option<usize>,
    /// Index of the health community a municipality lies in (from the areas table).
    #[serde(default)]
    pub health_community: Option<usize>,
}

/// One module of the analysis. Its declaration is `forlop_core::modules::find(&id)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModuleView {
    /// Module id (`smi`).
    pub id: String,
    /// Tables it needs that were not given; empty when it was computed.
    pub missing: Vec<TableKind>,
    /// Units of its cohort; `None` when not computed.
    pub units: Option<u64>,
    /// Its summary (group sizes and overlaps) in words, labels from its declaration.
    pub summary: Vec<Bilingual>,
    /// Remarks about its results.
    pub notes: Vec<Bilingual>,
    /// Its distributions (e.g. admissions by hour of day): per axis, the count of each bin,
    /// `None` where suppressed.
    pub distributions: Vec<(DistributionAxis, Vec<Option<u64>>)>,
    /// Still being computed: the report came with the module the page shows first, the others
    /// follow as [`FromWorker::OtherYears`] (`engine::analyse_shown_year`).
    #[serde(default)]
    pub pending: bool,
}

/// One computed indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultView {
    /// Indicator id (`smi.admitted`).
    pub id: String,
    /// Index of its module in [`ReportView::modules`].
    pub module: usize,
    /// Its cells, `group * areas + area` as in the engine's report.
    pub cells: Grid,
    /// The 95 % confidence interval of each cell, in the order of `cells`: two little-endian
    /// f64s (low, high) per cell, NaN where it has none; empty when no cell has one.
    #[serde(default)]
    pub intervals: Bytes,
    /// The variation between areas per group and level (issue 13).
    #[serde(default)]
    pub variation: Vec<forlop_core::variation::Variation>,
}

impl ResultView {
    /// The intervals of the engine's cells as [`ResultView::intervals`] bytes.
    pub fn interval_bytes(intervals: &[Option<forlop_core::ci::Interval>]) -> Bytes {
        if intervals.iter().all(Option::is_none) {
            return Bytes::default();
        }
        let mut out = Vec::with_capacity(intervals.len() * 16);
        for iv in intervals {
            let (lo, hi) = iv.map_or((f64::NAN, f64::NAN), |i| (i.low, i.high));
            out.extend_from_slice(&lo.to_le_bytes());
            out.extend_from_slice(&hi.to_le_bytes());
        }
        Bytes(out)
    }

    /// The interval of cell `i`, when it has one.
    pub fn interval(&self, i: usize) -> Option<forlop_core::ci::Interval> {
        let at = |j: usize| -> Option<f64> {
            let start = i * 16 + j * 8;
            let bytes: [u8; 8] = self.intervals.0.get(start..start + 8)?.try_into().ok()?;
            Some(f64::from_le_bytes(bytes))
        };
        let (low, high) = (at(0)?, at(1)?);
        (!low.is_nan() && !high.is_nan()).then_some(forlop_core::ci::Interval { low, high })
    }
}

/// The report as postcard bytes: it crosses to the page as one `Uint8Array` (moved, not
/// copied) and is read there in one pass, where serde-wasm-bindgen built and then walked a JS
/// object for every area, module and result (BENCHMARKS.md, "The report as bytes").
pub fn report_to_bytes(view: &ReportView) -> Vec<u8> {
    postcard::to_stdvec(view).unwrap_or_default()
}

/// A report from [`report_to_bytes`]; `None` when the bytes are not one of this version's.
pub fn report_from_bytes(bytes: &[u8]) -> Option<ReportView> {
    postcard::from_bytes(bytes).ok()
}

/// Bytes that cross to the page as one `Uint8Array` (serde-wasm-bindgen's bytes), copied into
/// wasm memory in one go rather than read number by number.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bytes(pub Vec<u8>);

impl Serialize for Bytes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Bytes;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Bytes, E> {
                Ok(Bytes(v.to_vec()))
            }
            fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Bytes, E> {
                Ok(Bytes(v))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Bytes, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(b) = seq.next_element()? {
                    out.push(b);
                }
                Ok(Bytes(out))
            }
        }
        deserializer.deserialize_byte_buf(Visitor)
    }
}

/// An indicator's cells as two byte arrays instead of one object per cell, so the page takes in
/// a report's ~33 000 cells as two copies per indicator (issue 6: no long stall on the main
/// thread; reading 130 000 numbers one by one took ~60 ms).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Grid {
    /// What each cell is: [`Grid::VALUE`], [`Grid::NOT_ESTIMABLE`], [`Grid::PRIMARY`],
    /// [`Grid::SECONDARY`].
    pub kind: Bytes,
    /// Per cell three little-endian f64s: numerator, denominator (−1 when the cell has none;
    /// counts stay below 2^53, so an f64 holds them exactly) and value (0 when it has none).
    pub numbers: Bytes,
}

/// Bytes of one cell in [`Grid::numbers`].
const CELL_BYTES: usize = 24;

impl Grid {
    /// A computed value.
    pub const VALUE: u8 = 0;
    /// Not estimable (denominator 0).
    pub const NOT_ESTIMABLE: u8 = 1;
    /// Suppressed below k.
    pub const PRIMARY: u8 = 2;
    /// Suppressed so a primary cell cannot be derived.
    pub const SECONDARY: u8 = 3;

    /// The grid of the engine's cells.
    pub fn from_cells(cells: &[Cell]) -> Grid {
        let mut kind = Vec::with_capacity(cells.len());
        let mut numbers = Vec::with_capacity(cells.len() * CELL_BYTES);
        let count = |c: Option<u64>| c.map_or(-1.0, |c| c as f64);
        for c in cells {
            let (k, num, den, value) = match *c {
                Cell::Value {
                    numerator,
                    denominator,
                    value,
                } => (Grid::VALUE, numerator, denominator, value),
                Cell::NotEstimable {
                    numerator,
                    denominator,
                } => (Grid::NOT_ESTIMABLE, numerator, denominator, 0.0),
                Cell::Suppressed(SuppressReason::Primary) => (Grid::PRIMARY, None, None, 0.0),
                Cell::Suppressed(SuppressReason::Secondary) => (Grid::SECONDARY, None, None, 0.0),
            };
            kind.push(k);
            for x in [count(num), count(den), value] {
                numbers.extend_from_slice(&x.to_le_bytes());
            }
        }
        Grid {
            kind: Bytes(kind),
            numbers: Bytes(numbers),
        }
    }

    /// Number of cells.
    pub fn len(&self) -> usize {
        self.kind.0.len()
    }

    /// Whether the grid has no cells.
    pub fn is_empty(&self) -> bool {
        self.kind.0.is_empty()
    }

    /// Cell `i` as the engine made it; `None` outside the grid.
    pub fn cell(&self, i: usize) -> Option<Cell> {
        let kind = *self.kind.0.get(i)?;
        let at = |j: usize| -> Option<f64> {
            let start = i * CELL_BYTES + j * 8;
            let bytes: [u8; 8] = self.numbers.0.get(start..start + 8)?.try_into().ok()?;
            Some(f64::from_le_bytes(bytes))
        };
        let count = |v: f64| (v >= 0.0).then_some(v as u64);
        let numerator = count(at(0)?);
        let denominator = count(at(1)?);
        Some(match kind {
            Grid::VALUE => Cell::Value {
                numerator,
                denominator,
                value: at(2)?,
            },
            Grid::NOT_ESTIMABLE => Cell::NotEstimable {
                numerator,
                denominator,
            },
            Grid::PRIMARY => Cell::Suppressed(SuppressReason::Primary),
            _ => Cell::Suppressed(SuppressReason::Secondary),
        })
    }
}

/// A message as a JS value. Serialising these plain structs cannot fail; the fallback (`null`)
/// keeps the sender alive if it ever did, and the receiver reports it.
pub fn encode<T: Serialize>(msg: &T) -> wasm_bindgen::JsValue {
    serde_wasm_bindgen::to_value(msg).unwrap_or(wasm_bindgen::JsValue::NULL)
}

/// A message from a JS value.
///
/// # Errors
/// When the value is not a message of this version of the app.
pub fn decode<T: serde::de::DeserializeOwned>(
    value: wasm_bindgen::JsValue,
) -> Result<T, serde_wasm_bindgen::Error> {
    serde_wasm_bindgen::from_value(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_crosses_as_bytes_unchanged() {
        // Two years of a 300-person extract: every field of the view (areas, modules with
        // their distributions, results with cells, intervals and variation, notes, the other
        // year, the years' reasons) comes back equal.
        let (_, _, mut view) = crate::engine::synth_years_view(300, 2021);
        view.timings = vec![("read".into(), 12.5)];
        assert_eq!(view.other_years.len(), 1);
        assert!(view.results.iter().any(|r| !r.intervals.0.is_empty()));
        let bytes = report_to_bytes(&view);
        assert!(!bytes.is_empty());
        assert_eq!(report_from_bytes(&bytes), Some(view));
        // Bytes cut short are refused, not read as a smaller report.
        assert_eq!(report_from_bytes(&bytes[..bytes.len() / 2]), None);
    }

    #[test]
    fn grid_gives_back_every_cell_bit_for_bit() {
        let cells = [
            Cell::Value {
                numerator: Some(20),
                denominator: Some(137),
                value: 100.0 * 20.0 / 137.0,
            },
            Cell::Value {
                numerator: Some(0),
                denominator: None,
                value: 0.0,
            },
            Cell::Value {
                numerator: None,
                denominator: None,
                value: 0.1 + 0.2,
            },
            Cell::NotEstimable {
                numerator: Some(0),
                denominator: Some(0),
            },
            Cell::NotEstimable {
                numerator: None,
                denominator: None,
            },
            Cell::Suppressed(SuppressReason::Primary),
            Cell::Suppressed(SuppressReason::Secondary),
        ];
        let grid = Grid::from_cells(&cells);
        assert_eq!(grid.len(), cells.len());
        for (i, c) in cells.iter().enumerate() {
            let back = grid.cell(i).unwrap();
            assert_eq!(&back, c);
            assert_eq!(back.value().map(f64::to_bits), c.value().map(f64::to_bits));
        }
        assert_eq!(grid.cell(cells.len()), None);
        // Through serde (JSON here; serde-wasm-bindgen in the browser) and back.
        let back: Grid = serde_json::from_str(&serde_json::to_string(&grid).unwrap()).unwrap();
        assert_eq!(back, grid);
    }
}
