//! The respondent table: one row per respondent, the variable names of survey.md, read from CSV
//! bytes with every row either used or rejected with a positioned, bilingual issue.
//!
//! Every known variable is stored as its numeric answer code (survey.md §1 codes; where the
//! report gives none, the suggested codes numbered in questionnaire order), so the scales,
//! derived variables and models read numbers, and "don't know" / "not relevant" stay categories
//! of their own until an analysis decides what they mean. Register variables that are names
//! (sector, region, health trust) and columns this module does not know are kept as text.

use crate::quality::{self, Location};
use std::collections::BTreeMap;
use std::sync::Arc;

/// How a column's cells are read and checked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum VarKind {
    /// An answer code: an integer within `min..=max`.
    Code {
        /// Smallest valid code.
        min: i64,
        /// Largest valid code.
        max: i64,
    },
    /// A number within `min..=max` (age, birth year).
    Number {
        /// Smallest valid value.
        min: f64,
        /// Largest valid value.
        max: f64,
    },
    /// The NPR sector, normalised to `PHV`, `TSB` or `AVT`.
    Sector,
    /// Free text or a name (region, health trust, unknown columns).
    Text,
}

const YES_NO: VarKind = VarKind::Code { min: 0, max: 1 };
const fn code(min: i64, max: i64) -> VarKind {
    VarKind::Code { min, max }
}

/// Multi-select options of the diagnosis question (§1.10), each a 0/1 column.
pub const DIAGNOSES: [&str; 16] = [
    "dg_depresjon",
    "dg_angst",
    "dg_bipolar",
    "dg_schizofreni",
    "dg_psykose",
    "dg_ptsd",
    "dg_spise",
    "dg_tvang_fobier",
    "dg_personlighet",
    "dg_rus_skadelig",
    "dg_rus_avhengighet",
    "dg_avhengighet_ikke_rus",
    "dg_autisme",
    "dg_adhd",
    "dg_annen",
    "dg_vet_ikke",
];

/// Multi-select options of the services question (§1.7), each a 0/1 column.
pub const SERVICES: [&str; 19] = [
    "tj_fastlege",
    "tj_psykolog_privat",
    "tj_psykolog_kommune",
    "tj_oppsokende_team",
    "tj_kommunal_psykisk",
    "tj_kommunal_rus",
    "tj_hjemmesykepleie",
    "tj_dagsenter",
    "tj_stottekontakt",
    "tj_fysioterapi",
    "tj_arbeidstiltak",
    "tj_nav",
    "tj_hjelpetelefon",
    "tj_innleggelse",
    "tj_innleggelse_psyk",
    "tj_innleggelse_rus",
    "tj_innleggelse_fysisk",
    "tj_ingen",
    "tj_dps",
];

/// The kind of every variable this module knows (survey.md §1 and §1.13). Codes follow §1:
/// yes/no items Ja = 1, Nei = 0; the four-way information items Ja 1, Nei 2, Vet ikke 3, Ikke
/// relevant 4; STAR-P 0–4; CONTINU-UM 1–6 (6 = not relevant) and item 12 1–5; other items their
/// categories numbered from 1 in questionnaire order. The wide ranges of the status and
/// duration items admit the avtalespesialist version's extra categories.
pub fn known_kind(name: &str) -> Option<VarKind> {
    let kind = match name {
        "respondent_id" | "helseregion" | "helseforetak" => VarKind::Text,
        "sektor" => VarKind::Sector,
        "alder" => VarKind::Number {
            min: 0.0,
            max: 120.0,
        },
        "fodselsaar" => VarKind::Number {
            min: 1890.0,
            max: 2030.0,
        },
        "kjonn_npr" => code(1, 2),
        "kjonn" => code(1, 5),
        "status_psyk" | "status_rus" => code(1, 4),
        "avbrutt_psyk" | "avbrutt_rus" | "video" | "under_utdanning" => YES_NO,
        "varighet_naa" | "varighet_sist" => code(1, 6),
        "antall_kontakter" => code(1, 5),
        "antall_behandlere" | "valgt_sektor" => code(1, 2),
        "gruppebeh" => code(1, 3),
        "info_oppstart" | "info_tidsplan" | "info_diagnose" | "info_muligheter"
        | "info_pakkeforlop" | "tilpasset" | "endringer" | "medisiner" | "beh_samarbeid_tj" => {
            code(1, 4)
        }
        "video_fornoyd" | "hjelper" | "tro_bedre_liv" | "tilfreds" | "livstilfredshet"
        | "meningsfylt" => code(1, 5),
        "beh_plan"
        | "plan_aktiv"
        | "plan_mer_involvert"
        | "pr_informere"
        | "pr_onsker_samarbeid"
        | "pr_samarbeider_godt"
        | "tilstrekkelig_pol"
        | "fornoyd_oppfolging"
        | "utdanning" => code(1, 3),
        "tilbakemelding" => code(1, 5),
        "forhold_familie" | "forhold_venner" => code(1, 5),
        "fastlege_involvert" | "sp_fysisk_helse" | "sp_levevaner" => code(1, 4),
        "ip" | "koordinator" | "ansvarsgruppe" | "kriseplan" => code(1, 5),
        "psykisk_helse_naa" | "fysisk_helse_naa" => code(1, 6),
        "daglige_aktiviteter" => code(1, 4),
        "omfang_psyk" | "omfang_rus" | "aar_psyk" | "aar_rus" => code(1, 4),
        "hovedinntekt" => code(1, 5),
        "bosituasjon" => code(1, 7),
        "coc12_livshistorien" => code(1, 5),
        n if super::scale::STAR_ITEMS.contains(&n) => code(0, 4),
        n if super::scale::CONTINUUM_ITEMS[..11].contains(&n) => code(1, 6),
        n if DIAGNOSES.contains(&n) || SERVICES.contains(&n) => YES_NO,
        _ => return None,
    };
    Some(kind)
}

/// One column of the table.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    /// Codes and numbers; `None` is a missing answer.
    Numeric(Vec<Option<f64>>),
    /// Names and text; `None` is empty.
    Text(Vec<Option<String>>),
}

/// The canonical respondent table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RespondentTable {
    /// Number of respondents (rows used).
    pub rows: usize,
    /// Columns by variable name.
    pub columns: BTreeMap<String, Column>,
}

impl RespondentTable {
    /// A numeric column, if present.
    pub fn numeric(&self, name: &str) -> Option<&[Option<f64>]> {
        match self.columns.get(name) {
            Some(Column::Numeric(v)) => Some(v),
            _ => None,
        }
    }

    /// The value of `name` in `row` as a label (codes without a trailing `.0`), for grouping.
    pub fn label(&self, name: &str, row: usize) -> Option<String> {
        match self.columns.get(name)? {
            Column::Numeric(v) => v[row].map(format_number),
            Column::Text(v) => v[row].clone(),
        }
    }

    /// Adds or replaces a numeric column (derived variables).
    pub fn set_numeric(&mut self, name: &str, values: Vec<Option<f64>>) {
        debug_assert_eq!(values.len(), self.rows);
        self.columns
            .insert(name.to_string(), Column::Numeric(values));
    }
}

/// A number as a label: integers without decimals.
pub fn format_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// Why a row was rejected, or a file could not be read, with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyIssue {
    /// File, 1-based line (the header is line 1; 0 for the whole file) and the column when one
    /// cell is at fault — the engine's one `Location`, written the same way everywhere.
    pub location: Location,
    /// What was found.
    pub found: String,
    /// What was expected, in Norwegian bokmål.
    pub expected_nb: String,
    /// What was expected, in English.
    pub expected_en: String,
}

impl SurveyIssue {
    /// The issue as one line in `lang`.
    pub fn render(&self, lang: crate::text::Lang) -> String {
        match lang {
            crate::text::Lang::Nb => format!(
                "{}: fant «{}», forventet {}",
                self.location, self.found, self.expected_nb
            ),
            crate::text::Lang::En => format!(
                "{}: found «{}», expected {}",
                self.location, self.found, self.expected_en
            ),
        }
    }
}

/// A location in `file`; `column` is the 0-based field index and the header as written.
fn at(file: &str, line: u64, column: Option<(usize, &str)>) -> Location {
    Location {
        file: Arc::from(file),
        line,
        column: column.map(|(i, name)| quality::Column {
            index: i + 1,
            name: name.to_string(),
        }),
    }
}

/// The table read from one file, with the accounting of its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadResult {
    /// The respondents whose every cell was valid.
    pub table: RespondentTable,
    /// Data rows read (the header not counted).
    pub rows_read: u64,
    /// Rows rejected; `rows_read = table.rows + rows_rejected`.
    pub rows_rejected: u64,
    /// One issue per rejected row (its first bad cell), and file-level issues.
    pub issues: Vec<SurveyIssue>,
    /// Columns not known to this module, kept as text.
    pub unknown_columns: Vec<String>,
}

/// Cells read as a missing answer: empty, and the usual export markers for it.
fn is_missing(cell: &str) -> bool {
    matches!(cell, "" | "NA" | "." | "-" | "NULL" | "null")
}

enum Parsed {
    Number(f64),
    Text(String),
}

fn parse_cell(kind: VarKind, cell: &str) -> Result<Parsed, (String, String)> {
    match kind {
        VarKind::Code { min, max } => {
            let v: i64 = cell.parse().map_err(|_| {
                (
                    format!("en heltallskode {min}–{max}"),
                    format!("an integer code {min}–{max}"),
                )
            })?;
            if (min..=max).contains(&v) {
                Ok(Parsed::Number(v as f64))
            } else {
                Err((
                    format!("en kode {min}–{max}"),
                    format!("a code {min}–{max}"),
                ))
            }
        }
        VarKind::Number { min, max } => match cell.replace(',', ".").parse::<f64>() {
            Ok(v) if v.is_finite() && v >= min && v <= max => Ok(Parsed::Number(v)),
            _ => Err((
                format!("et tall {min}–{max}"),
                format!("a number {min}–{max}"),
            )),
        },
        VarKind::Sector => match cell.to_ascii_uppercase().as_str() {
            "PHV" => Ok(Parsed::Text("PHV".into())),
            "TSB" => Ok(Parsed::Text("TSB".into())),
            "AVT" | "AVTALESPESIALIST" => Ok(Parsed::Text("AVT".into())),
            _ => Err((
                "PHV, TSB eller AVT (avtalespesialist)".into(),
                "PHV, TSB or AVT (avtalespesialist)".into(),
            )),
        },
        VarKind::Text => Ok(Parsed::Text(cell.to_string())),
    }
}

/// Reads a respondent file: CSV with a header of survey.md variable names, delimiter `,` or
/// `;` (whichever the header line has more of), UTF-8. A row with a wrong number of fields or a
/// cell that is not a valid code is rejected whole, so every analysis sees the same
/// respondents; the issue names the line, the column and what was expected.
pub fn read_respondents(file: &str, bytes: &[u8]) -> ReadResult {
    let mut result = ReadResult {
        table: RespondentTable::default(),
        rows_read: 0,
        rows_rejected: 0,
        issues: Vec::new(),
        unknown_columns: Vec::new(),
    };
    let text = match std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) {
        Ok(t) => t,
        Err(e) => {
            result.issues.push(SurveyIssue {
                location: at(file, 0, None),
                found: format!("byte {}", e.valid_up_to()),
                expected_nb: "tekst i UTF-8".into(),
                expected_en: "UTF-8 text".into(),
            });
            return result;
        }
    };
    let header_line = text.lines().next().unwrap_or("");
    let delimiter = if header_line.matches(';').count() > header_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let raw_headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => {
            result.issues.push(SurveyIssue {
                location: at(file, 1, None),
                found: e.to_string(),
                expected_nb: "en overskriftslinje".into(),
                expected_en: "a header line".into(),
            });
            return result;
        }
    };
    let headers: Vec<String> = raw_headers
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let kinds: Vec<VarKind> = headers
        .iter()
        .map(|h| {
            known_kind(h).unwrap_or_else(|| {
                result.unknown_columns.push(h.clone());
                VarKind::Text
            })
        })
        .collect();
    let mut columns: Vec<Column> = kinds
        .iter()
        .map(|k| match k {
            VarKind::Code { .. } | VarKind::Number { .. } => Column::Numeric(Vec::new()),
            _ => Column::Text(Vec::new()),
        })
        .collect();
    for record in reader.records() {
        result.rows_read += 1;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                result.rows_rejected += 1;
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                result.issues.push(SurveyIssue {
                    location: at(file, line, None),
                    found: e.to_string(),
                    expected_nb: "en gyldig CSV-rad".into(),
                    expected_en: "a valid CSV row".into(),
                });
                continue;
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.len() != headers.len() {
            result.rows_rejected += 1;
            result.issues.push(SurveyIssue {
                location: at(file, line, None),
                found: format!("{} felt / fields", record.len()),
                expected_nb: format!("{} felt som overskriften", headers.len()),
                expected_en: format!("{} fields as in the header", headers.len()),
            });
            continue;
        }
        let mut parsed = Vec::with_capacity(headers.len());
        let mut bad = None;
        for (i, cell) in record.iter().enumerate() {
            let cell = cell.trim();
            if is_missing(cell) {
                parsed.push(None);
                continue;
            }
            match parse_cell(kinds[i], cell) {
                Ok(p) => parsed.push(Some(p)),
                Err((nb, en)) => {
                    bad = Some(SurveyIssue {
                        location: at(file, line, Some((i, &raw_headers[i]))),
                        found: cell.to_string(),
                        expected_nb: nb,
                        expected_en: en,
                    });
                    break;
                }
            }
        }
        if let Some(issue) = bad {
            result.rows_rejected += 1;
            result.issues.push(issue);
            continue;
        }
        for (column, value) in columns.iter_mut().zip(parsed) {
            match (column, value) {
                (Column::Numeric(v), Some(Parsed::Number(x))) => v.push(Some(x)),
                (Column::Numeric(v), _) => v.push(None),
                (Column::Text(v), Some(Parsed::Text(s))) => v.push(Some(s)),
                (Column::Text(v), _) => v.push(None),
            }
        }
        result.table.rows += 1;
    }
    for (name, column) in headers.into_iter().zip(columns) {
        let column = if result.unknown_columns.contains(&name) {
            numeric_if_all_numbers(column)
        } else {
            column
        };
        result.table.columns.insert(name, column);
    }
    result
}

/// An unknown column whose every cell is a number (a derived variable computed elsewhere, a
/// score) is numeric, so it can enter a model; otherwise it stays text.
fn numeric_if_all_numbers(column: Column) -> Column {
    let Column::Text(cells) = column else {
        return column;
    };
    let parsed: Option<Vec<Option<f64>>> = cells
        .iter()
        .map(|c| match c {
            None => Some(None),
            Some(s) => s
                .replace(',', ".")
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .map(Some),
        })
        .collect();
    match parsed {
        Some(values) => Column::Numeric(values),
        None => Column::Text(cells),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Lang;

    #[test]
    fn rows_read_are_used_plus_rejected_with_positions() {
        let csv = "sektor;star01;coc01_tilgang;hjelper;ekstra\n\
                   PHV;4;6;5;x\n\
                   TSB;5;1;3;y\n\
                   AVT;;;;\n\
                   XYZ;1;1;1;z\n\
                   PHV;1;1\n";
        let r = read_respondents("svar.csv", csv.as_bytes());
        assert_eq!(r.rows_read, 5);
        assert_eq!(r.table.rows, 2);
        assert_eq!(r.rows_rejected, 3);
        assert_eq!(r.table.rows as u64 + r.rows_rejected, r.rows_read);
        assert_eq!(r.unknown_columns, vec!["ekstra".to_string()]);
        let star = &r.issues[0];
        let column = star.location.column.as_ref().unwrap();
        assert_eq!(
            (star.location.line, column.index, column.name.as_str()),
            (3, 2, "star01")
        );
        assert!(star
            .render(Lang::En)
            .starts_with("svar.csv:3:2 (star01): found «5»"));
        assert!(star.render(Lang::Nb).contains("en kode 0–4"));
        assert_eq!(r.issues[1].location.column.as_ref().unwrap().name, "sektor");
        assert_eq!(r.issues[2].location.line, 6);
        assert_eq!(
            r.table.numeric("coc01_tilgang").unwrap(),
            &[Some(6.0), None]
        );
        assert_eq!(r.table.label("sektor", 1).as_deref(), Some("AVT"));
    }
}
