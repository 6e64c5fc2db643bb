//! The data-quality report: for every file, rows read, used and rejected, and every issue with
//! its file, line, column, the bad value and what would be accepted, in Norwegian and English.
//!
//! Invariant, for every file: `rows_read == rows_used + rows_rejected`. A row carries at most one
//! rejecting issue; warnings never reject. Issue codes ([`IssueKind::code`]) are stable: the
//! synthetic generator injects defects by code and tests count them.

use crate::model::{Municipality, ServiceCode, TableKind};
use crate::text::{Lang, Text};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

/// How many examples are kept per file and issue code.
pub const EXAMPLES_PER_CODE: usize = 20;

/// Where an issue is: file, 1-based physical line (the header is line 1; in a workbook, the
/// sheet row), and the column when one cell is at fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// File name as given.
    #[serde(
        serialize_with = "serialize_arc_str",
        deserialize_with = "statics::arc_str"
    )]
    pub file: Arc<str>,
    /// 1-based physical line.
    pub line: u64,
    /// The cell's column, when the issue is about one cell.
    pub column: Option<Column>,
}

fn serialize_arc_str<S: Serializer>(s: &Arc<str>, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(s)
}

/// A column of the file: 1-based position and the header as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    /// 1-based position in the file.
    pub index: usize,
    /// The header as written in the file.
    pub name: String,
}

/// Whether the row was dropped or kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The row was not used (or, for a file-level issue, the file).
    Rejected,
    /// Counted and shown; the row was used.
    Warning,
}

/// What is wrong. Kinds hold data, not text: [`IssueKind::message`] writes it in either language.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum IssueKind {
    /// `bad_date`: not a date in an accepted form, or an impossible one (31.02.2024).
    BadDate {
        /// The cell, truncated.
        value: String,
    },
    /// `date_before_1900`.
    DateBefore1900 {
        /// The cell, truncated.
        value: String,
    },
    /// `missing_year`: day and month without a year (`DD.MM.`, `DD.MM`, `--MM-DD`).
    MissingYear {
        /// The cell, truncated.
        value: String,
    },
    /// `ambiguous_century`: `DD.MM.YY` without a century rule.
    AmbiguousCentury {
        /// The cell, truncated.
        value: String,
    },
    /// `bad_time`: not `HH:MM` or `HH:MM:SS`.
    BadTime {
        /// The cell, truncated.
        value: String,
    },
    /// `start_after_end`: a service that starts after it ends, or a discharge before admission.
    StartAfterEnd {
        /// Start or admission date.
        start: NaiveDate,
        /// End or discharge date.
        end: NaiveDate,
    },
    /// `overlapping_service`: overlaps an earlier-starting period of the same person and service.
    OverlappingService {
        /// The service.
        service: ServiceCode,
        /// Line of the earlier period it overlaps (in the same or another file of the table).
        earlier_line: u64,
    },
    /// `unknown_person`: the pid is not in `persons`.
    UnknownPerson {
        /// The pid, truncated.
        pid: String,
    },
    /// `unknown_municipality`: a person's municipality is not in the areas table.
    UnknownMunicipality {
        /// The code.
        municipality: Municipality,
    },
    /// `unknown_code`: a coded value neither canonical, a register code of the spec, nor mapped.
    UnknownCode {
        /// The cell, truncated.
        value: String,
        /// What is accepted.
        #[serde(deserialize_with = "statics::str_list")]
        allowed: &'static [&'static str],
    },
    /// `duplicate_row`: identical, field by field, to an earlier row of the same file.
    DuplicateRow,
    /// `missing_required`: a required column or cell is missing.
    MissingRequired {
        /// Canonical name of the column.
        #[serde(deserialize_with = "statics::str")]
        column: &'static str,
    },
    /// `duplicate_pid`: a second row for a pid in `persons`.
    DuplicatePid {
        /// The pid, truncated.
        pid: String,
    },
    /// `municipality_zero_restored`: a 3-digit municipality code got its leading zero back.
    MunicipalityZeroRestored {
        /// The cell, truncated.
        value: String,
        /// The code read.
        municipality: Municipality,
    },
    /// `bad_number`: not an integer.
    BadNumber {
        /// The cell, truncated.
        value: String,
    },
    /// `invalid_value`: readable, but out of range or malformed for its column.
    InvalidValue {
        /// The cell, truncated.
        value: String,
        /// What is accepted.
        expected: Text,
    },
    /// `letter_before_discharge`: the discharge letter is dated before the discharge.
    LetterBeforeDischarge {
        /// Letter date.
        letter: NaiveDate,
        /// Discharge date.
        discharge: NaiveDate,
    },
    /// `ready_before_admit`: the ready-for-discharge date is before the admission (§2 calls it a
    /// data-quality finding); the row is kept and the stay's treatment days are 0.
    ReadyBeforeAdmit {
        /// Ready date.
        ready: NaiveDate,
        /// Admission date.
        admit: NaiveDate,
    },
    /// `age_band_straddles_18`: a population age band partly below 18, not counted as adult.
    AgeBandStraddles18 {
        /// The cell, truncated.
        value: String,
    },
    /// `unknown_table` (file-level): the headers fit no table.
    UnknownTable {
        /// The header line, truncated.
        headers: String,
    },
    /// `unreadable_file` (file-level): not a workbook or text that can be read, or empty.
    UnreadableFile {
        /// What went wrong, truncated.
        reason: String,
    },
    /// `unknown_sheet` (file-level): the chosen sheet is not in the workbook.
    UnknownSheet {
        /// The sheet asked for.
        sheet: String,
    },
    /// `malformed_row`: the CSV parser could not read the row.
    MalformedRow,
    /// `unclosed_quote`: a quoted field opened on this line runs over later records or past the
    /// end of the file; the row is rejected and reading goes on at the next line.
    UnclosedQuote {
        /// How many physical lines the quoted field swallowed (this one included).
        lines: u64,
    },
    /// `ragged_row` (warning): the row has more or fewer fields than the header.
    RaggedRow {
        /// Fields in the header.
        expected: usize,
        /// Fields in this row.
        found: usize,
    },
    /// `invalid_utf8` (warning): bytes on this line are not UTF-8 in a file that otherwise is;
    /// they were replaced by U+FFFD.
    InvalidUtf8 {
        /// How many bytes were replaced on the line.
        bytes: usize,
    },
    /// `missing_column` (file-level): the table lacks required columns, so none of its rows
    /// can be used.
    MissingColumn {
        /// Canonical names of the missing columns.
        #[serde(deserialize_with = "statics::strs")]
        columns: Vec<&'static str>,
    },
    /// `no_usable_rows` (file-level): every row of the table was rejected.
    NoUsableRows {
        /// Rows rejected.
        rejected: u64,
    },
    /// `duplicate_table` (file-level): two files were given for one table kind.
    DuplicateTable {
        /// The table's canonical name.
        #[serde(deserialize_with = "statics::str")]
        table: &'static str,
        /// The files given for it, in input order.
        files: Vec<String>,
    },
    /// `file_too_large` (file-level): above the reader's size cap.
    FileTooLarge {
        /// The file's size in bytes.
        bytes: u64,
        /// The cap in bytes.
        limit: u64,
    },
    /// `xlsx_too_large` (file-level): the workbook's parts would inflate beyond the cap.
    XlsxTooLarge {
        /// The largest part (e.g. `xl/worksheets/sheet1.xml`).
        part: String,
        /// The parts' uncompressed size in bytes, as the zip directory declares it.
        bytes: u64,
        /// The cap in bytes.
        limit: u64,
    },
    /// `empty_file` (file-level): the file holds no bytes, or only blank lines.
    EmptyFile,
    /// `repeated_column` (warning, header line): a second header with the meaning of an earlier one; the first is read, this one
    /// ignored.
    RepeatedColumn {
        /// The canonical column both mean.
        #[serde(deserialize_with = "statics::str")]
        column: &'static str,
        /// 1-based position of the header that is read.
        first: usize,
    },
    /// `duplicate_municipality`: a municipality already listed on an earlier row of areas;
    /// the earlier row is the one used.
    DuplicateMunicipality {
        /// The code.
        municipality: Municipality,
        /// Line of the row that is used.
        first_line: u64,
    },
    /// `born_after_year` (warning): a birth year after the analysis year.
    BornAfterYear {
        /// The birth year.
        birth_year: i32,
        /// The analysis year.
        year: i32,
    },
    /// `death_before_birth` (warning): a death date before the birth year.
    DeathBeforeBirth {
        /// Death date.
        death: NaiveDate,
        /// Birth year.
        birth_year: i32,
    },
    /// `date_far_in_future` (warning): a date more than a year after the analysis year.
    DateFarInFuture {
        /// The date.
        date: NaiveDate,
        /// The analysis year.
        year: i32,
    },
}

/// Truncates a cell for messages: at most 40 characters, with `…` when cut.
pub(crate) fn clip(s: &str) -> String {
    const MAX: usize = 40;
    match s.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

impl IssueKind {
    /// The stable machine code, e.g. `bad_date`.
    pub fn code(&self) -> &'static str {
        match self {
            IssueKind::BadDate { .. } => "bad_date",
            IssueKind::DateBefore1900 { .. } => "date_before_1900",
            IssueKind::MissingYear { .. } => "missing_year",
            IssueKind::AmbiguousCentury { .. } => "ambiguous_century",
            IssueKind::BadTime { .. } => "bad_time",
            IssueKind::StartAfterEnd { .. } => "start_after_end",
            IssueKind::OverlappingService { .. } => "overlapping_service",
            IssueKind::UnknownPerson { .. } => "unknown_person",
            IssueKind::UnknownMunicipality { .. } => "unknown_municipality",
            IssueKind::UnknownCode { .. } => "unknown_code",
            IssueKind::DuplicateRow => "duplicate_row",
            IssueKind::MissingRequired { .. } => "missing_required",
            IssueKind::DuplicatePid { .. } => "duplicate_pid",
            IssueKind::MunicipalityZeroRestored { .. } => "municipality_zero_restored",
            IssueKind::BadNumber { .. } => "bad_number",
            IssueKind::InvalidValue { .. } => "invalid_value",
            IssueKind::LetterBeforeDischarge { .. } => "letter_before_discharge",
            IssueKind::ReadyBeforeAdmit { .. } => "ready_before_admit",
            IssueKind::AgeBandStraddles18 { .. } => "age_band_straddles_18",
            IssueKind::UnknownTable { .. } => "unknown_table",
            IssueKind::UnreadableFile { .. } => "unreadable_file",
            IssueKind::UnknownSheet { .. } => "unknown_sheet",
            IssueKind::MalformedRow => "malformed_row",
            IssueKind::UnclosedQuote { .. } => "unclosed_quote",
            IssueKind::RaggedRow { .. } => "ragged_row",
            IssueKind::InvalidUtf8 { .. } => "invalid_utf8",
            IssueKind::MissingColumn { .. } => "missing_column",
            IssueKind::NoUsableRows { .. } => "no_usable_rows",
            IssueKind::DuplicateTable { .. } => "duplicate_table",
            IssueKind::FileTooLarge { .. } => "file_too_large",
            IssueKind::XlsxTooLarge { .. } => "xlsx_too_large",
            IssueKind::EmptyFile => "empty_file",
            IssueKind::RepeatedColumn { .. } => "repeated_column",
            IssueKind::DuplicateMunicipality { .. } => "duplicate_municipality",
            IssueKind::BornAfterYear { .. } => "born_after_year",
            IssueKind::DeathBeforeBirth { .. } => "death_before_birth",
            IssueKind::DateFarInFuture { .. } => "date_far_in_future",
        }
    }

    /// The message, without location.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Nb => self.message_nb(),
            Lang::En => self.message_en(),
        }
    }

    fn message_nb(&self) -> String {
        match self {
            IssueKind::BadDate { value } => {
                format!("«{value}» er ikke en gyldig dato (forventet ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ)")
            }
            IssueKind::DateBefore1900 { value } => {
                format!("«{value}» er før 1900 (forventet en dato fra 1900 eller senere)")
            }
            IssueKind::MissingYear { value } => {
                format!("«{value}» mangler årstall (forventet ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ)")
            }
            IssueKind::AmbiguousCentury { value } => format!(
                "«{value}» har tosifret årstall; århundret er uklart (forventet DD.MM.ÅÅÅÅ, eller oppgi en århundreregel)"
            ),
            IssueKind::BadTime { value } => {
                format!("«{value}» er ikke et gyldig klokkeslett (forventet TT:MM eller TT:MM:SS)")
            }
            IssueKind::StartAfterEnd { start, end } => {
                format!("sluttdato {end} er før startdato {start}")
            }
            IssueKind::OverlappingService {
                service,
                earlier_line,
            } => format!(
                "perioden overlapper en tidligere periode av samme tjeneste ({}) for samme person (linje {earlier_line})",
                service.code()
            ),
            IssueKind::UnknownPerson { pid } => {
                format!("personen «{pid}» finnes ikke i persontabellen")
            }
            IssueKind::UnknownMunicipality { municipality } => {
                format!("kommunenummer {municipality} finnes ikke i geografitabellen")
            }
            IssueKind::UnknownCode { value, allowed } => format!(
                "«{value}» er en ukjent kode (forventet {}, eller en verdi i kodeoversettelsen)",
                allowed.join(", ")
            ),
            IssueKind::DuplicateRow => "raden er lik en tidligere rad i samme fil".to_string(),
            IssueKind::MissingRequired { column } => {
                format!("påkrevd verdi mangler for {column}")
            }
            IssueKind::DuplicatePid { pid } => {
                format!("personen «{pid}» står allerede på en tidligere rad")
            }
            IssueKind::MunicipalityZeroRestored {
                value,
                municipality,
            } => format!("kommunenummer «{value}» lest som {municipality} (ledende null lagt til)"),
            IssueKind::BadNumber { value } => {
                format!("«{value}» er ikke et gyldig heltall")
            }
            IssueKind::InvalidValue { value, expected } => {
                format!("«{value}» er ikke en gyldig verdi (forventet {})", expected.nb)
            }
            IssueKind::LetterBeforeDischarge { letter, discharge } => {
                format!("epikrisedato {letter} er før utskrivningsdato {discharge}")
            }
            IssueKind::ReadyBeforeAdmit { ready, admit } => format!(
                "utskrivningsklar-dato {ready} er før innleggelsesdato {admit}; raden brukes, med 0 behandlingsdøgn"
            ),
            IssueKind::AgeBandStraddles18 { value } => format!(
                "aldersgruppen «{value}» går på tvers av 18 år og telles ikke som voksne"
            ),
            IssueKind::UnknownTable { headers } => format!(
                "kolonnene ({headers}) passer ikke med noen kjent tabell; velg tabelltype eller oversett kolonnenavn"
            ),
            IssueKind::UnreadableFile { reason } => format!("filen kan ikke leses: {reason}"),
            IssueKind::UnknownSheet { sheet } => {
                format!("arket «{sheet}» finnes ikke i arbeidsboken")
            }
            IssueKind::MalformedRow => "raden kan ikke leses som CSV".to_string(),
            IssueKind::UnclosedQuote { lines } => format!(
                "et anførselstegn åpnes her og løper over {lines} linjer uten å lukkes der et felt slutter; raden er avvist, lesingen fortsetter på neste linje"
            ),
            IssueKind::RaggedRow { expected, found } => format!(
                "raden har {found} felt, overskriften {expected}"
            ),
            IssueKind::InvalidUtf8 { bytes } => format!(
                "{bytes} byte på linjen er ikke gyldig UTF-8 og er erstattet med �"
            ),
            IssueKind::MissingColumn { columns } => format!(
                "tabellen mangler påkrevd kolonne {}; ingen rader kan brukes",
                columns.join(", ")
            ),
            IssueKind::NoUsableRows { rejected } => format!(
                "alle {rejected} rader er avvist; tabellen kan ikke brukes"
            ),
            IssueKind::DuplicateTable { table, files } => format!(
                "to filer for tabellen {table} ({}); ingen av dem brukes — ta bort den ene",
                files.join(", ")
            ),
            IssueKind::FileTooLarge { bytes, limit } => format!(
                "filen er {} MB, over grensen på {} MB",
                mb(*bytes),
                mb(*limit)
            ),
            IssueKind::XlsxTooLarge { part, bytes, limit } => format!(
                "arbeidsboken pakkes ut til {} MB (største del {part}), over grensen på {} MB",
                mb(*bytes),
                mb(*limit)
            ),
            IssueKind::EmptyFile => "filen er tom".to_string(),
            IssueKind::RepeatedColumn { column, first } => format!(
                "kolonnen betyr det samme ({column}) som kolonne {first}; kolonne {first} leses, denne ikke"
            ),
            IssueKind::DuplicateMunicipality {
                municipality,
                first_line,
            } => format!(
                "kommunenummer {municipality} står allerede på linje {first_line}, som brukes"
            ),
            IssueKind::BornAfterYear { birth_year, year } => {
                format!("fødselsår {birth_year} er etter analyseåret {year}")
            }
            IssueKind::DeathBeforeBirth { death, birth_year } => {
                format!("dødsdato {death} er før fødselsåret {birth_year}")
            }
            IssueKind::DateFarInFuture { date, year } => {
                format!("datoen {date} er mer enn et år etter analyseåret {year}")
            }
        }
    }

    fn message_en(&self) -> String {
        match self {
            IssueKind::BadDate { value } => {
                format!("«{value}» is not a valid date (expected YYYY-MM-DD or DD.MM.YYYY)")
            }
            IssueKind::DateBefore1900 { value } => {
                format!("«{value}» is before 1900 (expected a date in 1900 or later)")
            }
            IssueKind::MissingYear { value } => {
                format!("«{value}» has no year (expected YYYY-MM-DD or DD.MM.YYYY)")
            }
            IssueKind::AmbiguousCentury { value } => format!(
                "«{value}» has a two-digit year; the century is ambiguous (expected DD.MM.YYYY, or give a century rule)"
            ),
            IssueKind::BadTime { value } => {
                format!("«{value}» is not a valid time (expected HH:MM or HH:MM:SS)")
            }
            IssueKind::StartAfterEnd { start, end } => {
                format!("end date {end} is before start date {start}")
            }
            IssueKind::OverlappingService {
                service,
                earlier_line,
            } => format!(
                "the period overlaps an earlier period of the same service ({}) for the same person (line {earlier_line})",
                service.code()
            ),
            IssueKind::UnknownPerson { pid } => {
                format!("person «{pid}» is not in the persons table")
            }
            IssueKind::UnknownMunicipality { municipality } => {
                format!("municipality {municipality} is not in the areas table")
            }
            IssueKind::UnknownCode { value, allowed } => format!(
                "«{value}» is an unknown code (expected {}, or a value in the code mapping)",
                allowed.join(", ")
            ),
            IssueKind::DuplicateRow => "the row equals an earlier row of the same file".to_string(),
            IssueKind::MissingRequired { column } => {
                format!("required value missing for {column}")
            }
            IssueKind::DuplicatePid { pid } => {
                format!("person «{pid}» already appears on an earlier row")
            }
            IssueKind::MunicipalityZeroRestored {
                value,
                municipality,
            } => format!("municipality «{value}» read as {municipality} (leading zero restored)"),
            IssueKind::BadNumber { value } => format!("«{value}» is not a valid integer"),
            IssueKind::InvalidValue { value, expected } => {
                format!("«{value}» is not a valid value (expected {})", expected.en)
            }
            IssueKind::LetterBeforeDischarge { letter, discharge } => {
                format!("discharge letter date {letter} is before discharge date {discharge}")
            }
            IssueKind::ReadyBeforeAdmit { ready, admit } => format!(
                "ready-for-discharge date {ready} is before admission date {admit}; the row is used, with 0 treatment days"
            ),
            IssueKind::AgeBandStraddles18 { value } => {
                format!("age band «{value}» straddles 18 and is not counted as adult")
            }
            IssueKind::UnknownTable { headers } => format!(
                "the columns ({headers}) fit no known table; choose the table kind or map the column names"
            ),
            IssueKind::UnreadableFile { reason } => format!("the file cannot be read: {reason}"),
            IssueKind::UnknownSheet { sheet } => {
                format!("sheet «{sheet}» is not in the workbook")
            }
            IssueKind::MalformedRow => "the row cannot be read as CSV".to_string(),
            IssueKind::UnclosedQuote { lines } => format!(
                "a quote opens here and runs on over {lines} lines without closing where a field ends; the row is rejected, reading goes on at the next line"
            ),
            IssueKind::RaggedRow { expected, found } => {
                format!("the row has {found} fields, the header {expected}")
            }
            IssueKind::InvalidUtf8 { bytes } => format!(
                "{bytes} byte(s) on the line are not valid UTF-8 and were replaced by �"
            ),
            IssueKind::MissingColumn { columns } => format!(
                "the table lacks the required column {}; no row can be used",
                columns.join(", ")
            ),
            IssueKind::NoUsableRows { rejected } => {
                format!("all {rejected} rows were rejected; the table cannot be used")
            }
            IssueKind::DuplicateTable { table, files } => format!(
                "two files for the {table} table ({}); neither is used — remove one",
                files.join(", ")
            ),
            IssueKind::FileTooLarge { bytes, limit } => format!(
                "the file is {} MB, above the limit of {} MB",
                mb(*bytes),
                mb(*limit)
            ),
            IssueKind::XlsxTooLarge { part, bytes, limit } => format!(
                "the workbook inflates to {} MB (largest part {part}), above the limit of {} MB",
                mb(*bytes),
                mb(*limit)
            ),
            IssueKind::EmptyFile => "the file is empty".to_string(),
            IssueKind::RepeatedColumn { column, first } => format!(
                "the column means the same ({column}) as column {first}; column {first} is read, this one is not"
            ),
            IssueKind::DuplicateMunicipality {
                municipality,
                first_line,
            } => format!("municipality {municipality} is already listed on line {first_line}, which is used"),
            IssueKind::BornAfterYear { birth_year, year } => {
                format!("birth year {birth_year} is after the analysis year {year}")
            }
            IssueKind::DeathBeforeBirth { death, birth_year } => {
                format!("death date {death} is before the birth year {birth_year}")
            }
            IssueKind::DateFarInFuture { date, year } => {
                format!("the date {date} is more than a year after the analysis year {year}")
            }
        }
    }
}

/// Bytes as whole megabytes (rounded up), for messages.
fn mb(bytes: u64) -> u64 {
    bytes.div_ceil(1 << 20)
}

/// One issue: where, what, and whether the row was dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
// Read back only from owned data (`'de = 'static`): its static texts (`statics`).
#[serde(bound(deserialize = "'de: 'static"))]
pub struct Issue {
    /// File, line, column.
    pub location: Location,
    /// What is wrong.
    pub kind: IssueKind,
    /// Rejected or warning.
    pub severity: Severity,
}

impl std::fmt::Display for Location {
    /// `episodes.csv:43:4 (admit_date)`, or `episodes.csv:43` without a column: the one place
    /// that writes a location, for the CLI's report and the app's panel alike.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(c) => write!(f, "{}:{}:{} ({})", self.file, self.line, c.index, c.name),
            None => write!(f, "{}:{}", self.file, self.line),
        }
    }
}

impl Issue {
    /// `episodes.csv:43:4 (admit_date): «31.02.2021» er ikke en gyldig dato (…)`.
    pub fn render(&self, lang: Lang) -> String {
        format!("{}: {}", self.location, self.kind.message(lang))
    }
}

/// How a text file was encoded (workbooks are not text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    /// UTF-8 without byte-order mark.
    Utf8,
    /// UTF-8 with byte-order mark.
    Utf8Bom,
    /// Windows-1252 (covers ISO-8859-1's ÆØÅ).
    Windows1252,
    /// UTF-16 little-endian (Excel's "Unicode text"), with or without byte-order mark.
    Utf16Le,
    /// UTF-16 big-endian, with or without byte-order mark.
    Utf16Be,
    /// An Excel workbook.
    Workbook,
}

impl TextEncoding {
    /// Name for reports.
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 (BOM)",
            TextEncoding::Windows1252 => "Windows-1252",
            TextEncoding::Utf16Le => "UTF-16 LE",
            TextEncoding::Utf16Be => "UTF-16 BE",
            TextEncoding::Workbook => "xlsx",
        }
    }
}

/// What happened to one file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
// Read back only from owned data (`'de = 'static`): its static texts (`statics`).
#[serde(bound(deserialize = "'de: 'static"))]
pub struct FileReport {
    /// File name as given.
    pub name: String,
    /// The table it was read as; `None` when it could not be recognised.
    pub kind: Option<TableKind>,
    /// Text encoding, when the file got that far.
    pub encoding: Option<TextEncoding>,
    /// CSV delimiter (`None` for workbooks).
    pub delimiter: Option<char>,
    /// Worksheet read, for workbooks.
    pub sheet: Option<String>,
    /// Data rows read (entirely blank rows are not rows).
    pub rows_read: u64,
    /// Rows that made it into the tables.
    pub rows_used: u64,
    /// Rows dropped, each with exactly one rejecting issue.
    pub rows_rejected: u64,
    /// Warnings (rows kept).
    pub warnings: u64,
    /// Issues per code, rejections and warnings together.
    #[serde(deserialize_with = "statics::keyed")]
    pub counts: BTreeMap<&'static str, u64>,
    /// The first [`EXAMPLES_PER_CODE`] issues of each code.
    #[serde(deserialize_with = "statics::keyed")]
    pub examples: BTreeMap<&'static str, Vec<Issue>>,
    /// Why the whole file could not be read, when it could not.
    pub fatal: Option<Issue>,
}

impl FileReport {
    /// Adds an issue: counts it and keeps it as an example while there is room. Does not touch
    /// the row counts.
    pub(crate) fn record(&mut self, issue: Issue) {
        let code = issue.kind.code();
        *self.counts.entry(code).or_insert(0) += 1;
        if issue.severity == Severity::Warning {
            self.warnings += 1;
        }
        let ex = self.examples.entry(code).or_default();
        if ex.len() < EXAMPLES_PER_CODE {
            ex.push(issue);
        }
    }

    /// Adds the rows and issues of the next piece of the same file (read on its own), as if
    /// they had been recorded here one by one: counts add up, and each code keeps its first
    /// examples in reading order.
    pub(crate) fn absorb(&mut self, piece: FileReport) {
        self.rows_read += piece.rows_read;
        self.rows_used += piece.rows_used;
        self.rows_rejected += piece.rows_rejected;
        self.warnings += piece.warnings;
        for (code, n) in piece.counts {
            *self.counts.entry(code).or_insert(0) += n;
        }
        for (code, issues) in piece.examples {
            let ex = self.examples.entry(code).or_default();
            let room = EXAMPLES_PER_CODE.saturating_sub(ex.len());
            ex.extend(issues.into_iter().take(room));
        }
    }

    /// Marks the whole file unreadable.
    pub(crate) fn set_fatal(&mut self, issue: Issue) {
        *self.counts.entry(issue.kind.code()).or_insert(0) += 1;
        self.fatal = Some(issue);
    }
}

/// The data-quality report of one load.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct QualityReport {
    /// One entry per file, persons first.
    pub files: Vec<FileReport>,
}

impl QualityReport {
    /// Issues per code over all files, rejections and warnings together.
    pub fn counts_by_code(&self) -> BTreeMap<&'static str, u64> {
        let mut out = BTreeMap::new();
        for f in &self.files {
            for (code, n) in &f.counts {
                *out.entry(*code).or_insert(0) += n;
            }
        }
        out
    }

    /// False when no person could be read: nothing can be computed.
    pub fn has_usable_data(&self) -> bool {
        self.files
            .iter()
            .any(|f| f.kind == Some(TableKind::Persons) && f.rows_used > 0)
    }

    /// Human-readable report (what `forlop check` prints).
    pub fn render_text(&self, lang: Lang) -> String {
        let mut out = String::new();
        let t = |nb: &'static str, en: &'static str| Text { nb, en }.get(lang);
        for f in &self.files {
            let kind = match f.kind {
                Some(k) => match lang {
                    Lang::Nb => k.norwegian_name(),
                    Lang::En => k.canonical_name(),
                },
                None => t("ukjent tabell", "unknown table"),
            };
            let _ = write!(out, "{} ({kind})", f.name);
            if let Some(e) = f.encoding {
                let _ = write!(out, ", {}", e.label());
            }
            if let Some(d) = f.delimiter {
                let d = if d == '\t' {
                    "tab".to_string()
                } else {
                    format!("«{d}»")
                };
                let _ = write!(out, ", {} {d}", t("skilletegn", "delimiter"));
            }
            if let Some(s) = &f.sheet {
                let _ = write!(out, ", {} «{s}»", t("ark", "sheet"));
            }
            out.push('\n');
            if let Some(fatal) = &f.fatal {
                let _ = writeln!(out, "  {}", fatal.render(lang));
                continue;
            }
            let _ = writeln!(
                out,
                "  {} {}, {} {}, {} {}, {} {}",
                f.rows_read,
                t("rader lest", "rows read"),
                f.rows_used,
                t("brukt", "used"),
                f.rows_rejected,
                t("avvist", "rejected"),
                f.warnings,
                t("advarsler", "warnings"),
            );
            for (code, n) in &f.counts {
                let _ = writeln!(out, "  {code}: {n}");
                for ex in f.examples.get(code).into_iter().flatten().take(5) {
                    let _ = writeln!(out, "    {}", ex.render(lang));
                }
            }
        }
        if !self.has_usable_data() {
            out.push_str(t(
                "Ingen personer kunne leses: ingenting kan beregnes.\n",
                "No person could be read: nothing can be computed.\n",
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issue(kind: IssueKind) -> Issue {
        Issue {
            location: Location {
                file: Arc::from("episodes.csv"),
                line: 43,
                column: Some(Column {
                    index: 4,
                    name: "admit_date".into(),
                }),
            },
            kind,
            severity: Severity::Rejected,
        }
    }

    #[test]
    fn render_gives_file_line_column_value_and_expectation() {
        let i = issue(IssueKind::BadDate {
            value: "31.02.2021".into(),
        });
        assert_eq!(
            i.render(Lang::Nb),
            "episodes.csv:43:4 (admit_date): «31.02.2021» er ikke en gyldig dato (forventet ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ)"
        );
        assert_eq!(
            i.render(Lang::En),
            "episodes.csv:43:4 (admit_date): «31.02.2021» is not a valid date (expected YYYY-MM-DD or DD.MM.YYYY)"
        );
    }

    #[test]
    fn clip_keeps_40_characters() {
        let long = "ø".repeat(50);
        assert_eq!(clip(&long).chars().count(), 41);
        assert_eq!(clip("kort"), "kort");
    }

    #[test]
    fn counts_add_over_files_and_examples_are_capped() {
        let mut a = FileReport {
            kind: Some(TableKind::Persons),
            rows_used: 1,
            ..FileReport::default()
        };
        for _ in 0..25 {
            a.record(issue(IssueKind::DuplicateRow));
        }
        let mut b = FileReport::default();
        b.record(issue(IssueKind::DuplicateRow));
        b.record(issue(IssueKind::MalformedRow));
        let r = QualityReport { files: vec![a, b] };
        // 25 + 1 duplicate rows, 1 malformed row.
        assert_eq!(
            r.counts_by_code(),
            BTreeMap::from([("duplicate_row", 26), ("malformed_row", 1)])
        );
        assert_eq!(
            r.files[0].examples["duplicate_row"].len(),
            EXAMPLES_PER_CODE
        );
        assert!(r.has_usable_data());
        assert!(r.render_text(Lang::En).contains("duplicate_row: 25"));
    }

    #[test]
    fn serialises_with_the_code_as_tag() {
        let j = serde_json::to_string(&issue(IssueKind::MissingRequired {
            column: "admit_date",
        }))
        .unwrap();
        assert!(
            j.contains(r#""kind":{"code":"missing_required","column":"admit_date"}"#),
            "{j}"
        );
        assert!(j.contains(r#""file":"episodes.csv""#), "{j}");
    }

    #[test]
    fn every_message_is_non_empty_without_placeholders() {
        let d = NaiveDate::from_ymd_opt(2021, 1, 2).unwrap();
        let kinds = vec![
            IssueKind::BadDate { value: "x".into() },
            IssueKind::DateBefore1900 { value: "x".into() },
            IssueKind::MissingYear { value: "x".into() },
            IssueKind::AmbiguousCentury { value: "x".into() },
            IssueKind::BadTime { value: "x".into() },
            IssueKind::StartAfterEnd { start: d, end: d },
            IssueKind::OverlappingService {
                service: ServiceCode::HomeHealth,
                earlier_line: 2,
            },
            IssueKind::UnknownPerson { pid: "x".into() },
            IssueKind::UnknownMunicipality {
                municipality: Municipality(301),
            },
            IssueKind::UnknownCode {
                value: "x".into(),
                allowed: &["A"],
            },
            IssueKind::DuplicateRow,
            IssueKind::MissingRequired { column: "pid" },
            IssueKind::DuplicatePid { pid: "x".into() },
            IssueKind::MunicipalityZeroRestored {
                value: "301".into(),
                municipality: Municipality(301),
            },
            IssueKind::BadNumber { value: "x".into() },
            IssueKind::InvalidValue {
                value: "x".into(),
                expected: Text { nb: "a", en: "a" },
            },
            IssueKind::LetterBeforeDischarge {
                letter: d,
                discharge: d,
            },
            IssueKind::ReadyBeforeAdmit { ready: d, admit: d },
            IssueKind::AgeBandStraddles18 { value: "x".into() },
            IssueKind::UnknownTable {
                headers: "x".into(),
            },
            IssueKind::UnreadableFile { reason: "x".into() },
            IssueKind::UnknownSheet { sheet: "x".into() },
            IssueKind::MalformedRow,
            IssueKind::UnclosedQuote { lines: 2 },
            IssueKind::RaggedRow {
                expected: 3,
                found: 2,
            },
            IssueKind::InvalidUtf8 { bytes: 1 },
            IssueKind::MissingColumn {
                columns: vec!["admit_date"],
            },
            IssueKind::NoUsableRows { rejected: 3 },
            IssueKind::DuplicateTable {
                table: "episodes",
                files: vec!["a.csv".into(), "b.csv".into()],
            },
            IssueKind::FileTooLarge {
                bytes: 3 << 20,
                limit: 1 << 20,
            },
            IssueKind::XlsxTooLarge {
                part: "xl/worksheets/sheet1.xml".into(),
                bytes: 3 << 30,
                limit: 1 << 30,
            },
            IssueKind::EmptyFile,
            IssueKind::RepeatedColumn {
                column: "municipality",
                first: 2,
            },
            IssueKind::DuplicateMunicipality {
                municipality: Municipality(301),
                first_line: 2,
            },
            IssueKind::BornAfterYear {
                birth_year: 2030,
                year: 2021,
            },
            IssueKind::DeathBeforeBirth {
                death: d,
                birth_year: 2030,
            },
            IssueKind::DateFarInFuture {
                date: d,
                year: 2019,
            },
        ];
        let mut codes = std::collections::BTreeSet::new();
        for k in &kinds {
            assert!(codes.insert(k.code()), "duplicate code {}", k.code());
            for lang in [Lang::Nb, Lang::En] {
                let m = k.message(lang);
                assert!(
                    !m.is_empty() && !m.contains('{') && !m.contains("TODO"),
                    "{m}"
                );
            }
        }
        assert_eq!(codes.len(), 37);
    }
}

/// Reading back a report written by this program (the pieces the browser's parse workers hand
/// back, `ingest::PieceSet`): codes, column names and lists of accepted values are static
/// texts of the program, so a text read back is made static once and shared after (the set
/// of such texts is the program's own, so the memory is bounded).
pub(crate) mod statics {
    use serde::{Deserialize, Deserializer};
    use std::collections::{BTreeMap, BTreeSet};
    use std::sync::{Arc, Mutex, PoisonError};

    static TEXTS: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    static LISTS: Mutex<BTreeSet<&'static [&'static str]>> = Mutex::new(BTreeSet::new());

    /// `text` as a static text, shared with every earlier one equal to it.
    pub(crate) fn make_static(text: String) -> &'static str {
        let mut texts = TEXTS.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(&t) = texts.get(text.as_str()) {
            return t;
        }
        let t: &'static str = Box::leak(text.into_boxed_str());
        texts.insert(t);
        t
    }

    pub(crate) fn str<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
        Ok(make_static(String::deserialize(d)?))
    }

    pub(crate) fn strs<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<&'static str>, D::Error> {
        let texts = Vec::<String>::deserialize(d)?;
        Ok(texts.into_iter().map(make_static).collect())
    }

    pub(crate) fn str_list<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<&'static [&'static str], D::Error> {
        let list = strs(d)?;
        let mut lists = LISTS.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(&l) = lists.get(list.as_slice()) {
            return Ok(l);
        }
        let l: &'static [&'static str] = Box::leak(list.into_boxed_slice());
        lists.insert(l);
        Ok(l)
    }

    pub(crate) fn arc_str<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<str>, D::Error> {
        Ok(Arc::from(String::deserialize(d)?))
    }

    pub(crate) fn keyed<'de, D: Deserializer<'de>, V: Deserialize<'de>>(
        d: D,
    ) -> Result<BTreeMap<&'static str, V>, D::Error> {
        let map = BTreeMap::<String, V>::deserialize(d)?;
        Ok(map.into_iter().map(|(k, v)| (make_static(k), v)).collect())
    }
}
