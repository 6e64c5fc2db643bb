//! Response and representativeness (survey.md §4.1–4.2, §5.1): the population-aggregates table
//! and the rows of the report's Tables 4-1 … 4-9, shared by `forlop survey response` and the
//! app's survey page.
//!
//! The aggregates come as one long table, one row per sector × population × breakdown ×
//! category (× sex), with a count; `*` is a suppressed count, never 0 ([`read_population_aggregates`];
//! the format is in docs/survey.md). The older sector-only file
//! (`sektor;totalpop;mottakspop;utvalg`) is read too and gives Table 4-1 unchanged.
//!
//! Shares are of the breakdown's own total row when the file gives one (the report's bases
//! include suppressed units, and a diagnosis "Sum" counts a patient in every group), else of
//! the sum of the known counts. Differences are respondents' share − population share in
//! percentage points, flagged above one point as the report's text does.

use super::response::{compare_units, response_table, round_half_up, SectorCounts, UnitCounts};
use super::table::SurveyIssue;
use crate::quality::{self, Location};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A population of the aggregates (survey.md §0, Tables 4-1, 4-5, 4-6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Population {
    /// The total population (NPR extract of the survey period; "2023 feb-april").
    Total,
    /// The recipient population (reached at Helsenorge).
    Recipients,
    /// The error population (could not be reached).
    Error,
    /// The same period the year before ("2022 feb-april").
    PreviousPeriod,
    /// The whole year before ("2022").
    PreviousYear,
    /// The respondents (utvalget).
    Respondents,
}

impl Population {
    /// Every population, in the report's column order.
    pub const ALL: [Population; 6] = [
        Population::Total,
        Population::Recipients,
        Population::Error,
        Population::PreviousPeriod,
        Population::PreviousYear,
        Population::Respondents,
    ];

    /// The name written in the file and in the output.
    pub fn key(self) -> &'static str {
        match self {
            Population::Total => "totalpop",
            Population::Recipients => "mottakere",
            Population::Error => "feilmelding",
            Population::PreviousPeriod => "forrige_periode",
            Population::PreviousYear => "forrige_aar",
            Population::Respondents => "utvalg",
        }
    }

    fn parse(s: &str) -> Option<Population> {
        let p = match norm(s).as_str() {
            "totalpop" | "totalpopulasjon" | "total_population" | "total" | "populasjon"
            | "utvalgspopulasjon" | "population" => Population::Total,
            "mottakere"
            | "mottakspop"
            | "mottakspopulasjon"
            | "recipients"
            | "recipient_population" => Population::Recipients,
            "feilmelding"
            | "feilmeldingspop"
            | "feilmeldingspopulasjon"
            | "error"
            | "error_population" => Population::Error,
            "forrige_periode" | "previous_period" | "samme_periode_i_fjor" => {
                Population::PreviousPeriod
            }
            "forrige_aar" | "forrige_år" | "previous_year" | "i_fjor" => Population::PreviousYear,
            "utvalg" | "utvalget" | "respondenter" | "respondents" | "svarte" => {
                Population::Respondents
            }
            _ => return None,
        };
        Some(p)
    }
}

/// What a count is broken down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Breakdown {
    /// The whole sector (no category).
    Total,
    /// Register sex (the category is the sex).
    Sex,
    /// Age group.
    Age,
    /// Health region.
    Region,
    /// Health trust or institution.
    Unit,
    /// Diagnosis group by the 1st main condition.
    DiagnosisFirst,
    /// Diagnosis group by the 1st or 2nd main condition.
    DiagnosisFirstOrSecond,
}

impl Breakdown {
    /// The name written in the file and in the output.
    pub fn key(self) -> &'static str {
        match self {
            Breakdown::Total => "total",
            Breakdown::Sex => "kjonn",
            Breakdown::Age => "alder",
            Breakdown::Region => "helseregion",
            Breakdown::Unit => "helseforetak",
            Breakdown::DiagnosisFirst => "diagnose_1",
            Breakdown::DiagnosisFirstOrSecond => "diagnose_1_2",
        }
    }

    fn parse(s: &str) -> Option<Breakdown> {
        let b = match norm(s).as_str() {
            "total" | "totalt" | "sektor" | "sector" | "alle" | "all" => Breakdown::Total,
            "kjonn" | "kjønn" | "sex" | "kjonn_npr" => Breakdown::Sex,
            "alder" | "aldersgruppe" | "age" | "age_group" => Breakdown::Age,
            "helseregion" | "region" | "health_region" => Breakdown::Region,
            "helseforetak" | "institusjon" | "hf" | "unit" | "institution" | "health_trust" => {
                Breakdown::Unit
            }
            "diagnose_1" | "diagnose" | "hovedtilstand_1" | "diagnosis_1" | "diagnosis" => {
                Breakdown::DiagnosisFirst
            }
            "diagnose_1_2" | "diagnose_1_eller_2" | "hovedtilstand_1_2" | "diagnosis_1_2"
            | "diagnosis_1_or_2" => Breakdown::DiagnosisFirstOrSecond,
            _ => return None,
        };
        Some(b)
    }

    /// The breakdowns whose categories are diagnoses.
    pub fn is_diagnosis(self) -> bool {
        matches!(
            self,
            Breakdown::DiagnosisFirst | Breakdown::DiagnosisFirstOrSecond
        )
    }
}

/// Register sex.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Sex {
    /// Kvinne.
    Women,
    /// Mann.
    Men,
}

impl Sex {
    fn parse(s: &str) -> Option<Sex> {
        match norm(s).as_str() {
            "kvinne" | "kvinner" | "k" | "women" | "woman" | "female" | "f" | "2" => {
                Some(Sex::Women)
            }
            "mann" | "menn" | "m" | "men" | "man" | "male" | "1" => Some(Sex::Men),
            _ => None,
        }
    }
}

/// A count as read or shown: absent from the file, suppressed (`*`), or a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Count {
    /// The file has no such row.
    Absent,
    /// Suppressed (`*` in the file, or below the table's limit).
    Suppressed,
    /// A count.
    N(u64),
}

impl Count {
    /// The number, when there is one.
    pub fn n(self) -> Option<u64> {
        match self {
            Count::N(n) => Some(n),
            _ => None,
        }
    }

    /// As the CSV writes it: the number, `*`, or empty.
    pub fn text(self) -> String {
        match self {
            Count::N(n) => n.to_string(),
            Count::Suppressed => "*".into(),
            Count::Absent => String::new(),
        }
    }

    fn add(self, other: Count) -> Count {
        match (self, other) {
            (Count::N(a), Count::N(b)) => Count::N(a + b),
            (Count::Absent, Count::Absent) => Count::Absent,
            _ => Count::Suppressed,
        }
    }
}

/// One row of the aggregates file.
#[derive(Debug, Clone, PartialEq)]
pub struct AggregateRecord {
    /// Sector: `PHV`, `TSB`, `AVT`, or as written.
    pub sector: String,
    /// The population counted.
    pub population: Population,
    /// The breakdown.
    pub breakdown: Breakdown,
    /// The category (region, age group, unit, diagnosis); `None` for the breakdown's total row
    /// (`Total`, `Totalt`, `Sum`, `Landet`, `I alt`, or empty) and for the sex breakdown.
    pub category: Option<String>,
    /// Register sex; `None` for both sexes.
    pub sex: Option<Sex>,
    /// The count; `Suppressed` for `*`.
    pub count: Count,
}

/// The aggregates read from one file, with the accounting of its rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Aggregates {
    /// The rows used.
    pub records: Vec<AggregateRecord>,
    /// Data rows read (the header not counted; empty lines skipped).
    pub rows_read: u64,
    /// Rows rejected; `rows_read = records.len() + rows_rejected`.
    pub rows_rejected: u64,
    /// One issue per rejected row, and file-level issues.
    pub issues: Vec<SurveyIssue>,
    /// The file was the sector-only format (`sektor;totalpop;mottakspop;utvalg`).
    pub sector_only: bool,
}

fn norm(s: &str) -> String {
    s.trim().to_lowercase().replace([' ', '-'], "_")
}

fn is_total_label(s: &str) -> bool {
    matches!(
        norm(s).as_str(),
        "" | "total" | "totalt" | "sum" | "landet" | "i_alt" | "alle" | "all"
    )
}

fn sector_name(s: &str) -> String {
    let t = s.trim();
    match t.to_lowercase().as_str() {
        "phv" => "PHV".into(),
        "tsb" => "TSB".into(),
        "avt" | "avtalespesialist" | "avtalespesialister" | "avtsp" => "AVT".into(),
        _ => t.to_string(),
    }
}

fn parse_count(cell: &str) -> Option<Count> {
    let c = cell.trim();
    if c == "*" {
        return Some(Count::Suppressed);
    }
    let digits: String = c
        .chars()
        .filter(|ch| !matches!(ch, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().map(Count::N)
}

fn cell(cells: &[String], i: usize) -> &str {
    cells.get(i).map(|c| c.trim()).unwrap_or("")
}

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

fn issue(location: Location, found: &str, nb: &str, en: &str) -> SurveyIssue {
    SurveyIssue {
        location,
        found: found.to_string(),
        expected_nb: nb.to_string(),
        expected_en: en.to_string(),
    }
}

/// `(line, cells)` of a CSV text or the first sheet of a workbook, and the header.
type Rows = (Vec<String>, Vec<(u64, Vec<String>)>);

#[allow(clippy::result_large_err)] // once per file
fn rows_of(file: &str, bytes: &[u8]) -> Result<Rows, SurveyIssue> {
    if crate::ingest::xlsx::is_workbook(bytes) {
        let sheet = crate::ingest::xlsx::read_sheet(bytes, None, Some(64 << 20)).map_err(|e| {
            issue(
                at(file, 0, None),
                &e.message(crate::text::Lang::En),
                "en lesbar arbeidsbok",
                "a readable workbook",
            )
        })?;
        let mut rows = sheet
            .owned_rows()
            .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()));
        let header = rows.next().map(|(_, h)| h).unwrap_or_default();
        return Ok((header, rows.collect()));
    }
    let decoded = crate::ingest::decode::decode(bytes);
    let text = decoded.text;
    let header_line = text.lines().next().unwrap_or("");
    let delimiter = [b';', b'\t', b',']
        .into_iter()
        .max_by_key(|d| header_line.matches(*d as char).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut header = None;
    let mut rows = Vec::new();
    for record in reader.records() {
        let (line, cells) = match record {
            Ok(r) => (
                r.position().map(|p| p.line()).unwrap_or(0),
                r.iter().map(str::to_string).collect::<Vec<_>>(),
            ),
            Err(e) => (
                e.position().map(|p| p.line()).unwrap_or(0),
                vec!["\u{0}unreadable".to_string(), e.to_string()],
            ),
        };
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if header.is_none() {
            header = Some(cells);
        } else {
            rows.push((line, cells));
        }
    }
    Ok((header.unwrap_or_default(), rows))
}

/// Reads the aggregates: the long format (columns `sektor`, `populasjon`, `inndeling`,
/// `kategori`, optional `kjonn`, `antall`, or their English names `sector`, `population`,
/// `breakdown`, `category`, `sex`, `count`), or the sector-only format (`sektor`, `totalpop`,
/// `mottakspop`, `utvalg`). CSV (`,` `;` or tab, UTF-8 or Windows-1252) or a workbook's first
/// sheet. Every data row is used or rejected with an issue naming file, line and column.
pub fn read_population_aggregates(file: &str, bytes: &[u8]) -> Aggregates {
    let mut out = Aggregates::default();
    let (raw_header, rows) = match rows_of(file, bytes) {
        Ok(r) => r,
        Err(e) => {
            out.issues.push(e);
            return out;
        }
    };
    let header: Vec<String> = raw_header.iter().map(|h| norm(h)).collect();
    let find = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
    let sector = find(&["sektor", "sector"]);
    let count = find(&["antall", "count", "n"]);
    let wide = [
        find(&["totalpop", "total_population", "totalpopulasjon"]),
        find(&["mottakspop", "recipient_population", "mottakspopulasjon"]),
        find(&["utvalg", "respondents"]),
    ];
    let Some(sector) = sector else {
        out.issues.push(issue(
            at(file, 1, None),
            &raw_header.join(","),
            "en kolonne sektor",
            "a column sector",
        ));
        out.rows_read = rows.len() as u64;
        out.rows_rejected = out.rows_read;
        return out;
    };
    if count.is_none() && wide.iter().any(Option::is_some) {
        out.sector_only = true;
        let names = ["totalpop", "mottakspop", "utvalg"];
        let missing: Vec<&str> = wide
            .iter()
            .zip(names)
            .filter(|(c, _)| c.is_none())
            .map(|(_, n)| n)
            .collect();
        if !missing.is_empty() {
            out.issues.push(issue(
                at(file, 1, None),
                &raw_header.join(","),
                &format!("kolonnene {}", missing.join(", ")),
                &format!("the columns {}", missing.join(", ")),
            ));
            out.rows_read = rows.len() as u64;
            out.rows_rejected = out.rows_read;
            return out;
        }
        let pops = [
            Population::Total,
            Population::Recipients,
            Population::Respondents,
        ];
        for (line, cells) in rows {
            out.rows_read += 1;
            let mut parsed = Vec::new();
            let mut bad = None;
            for (c, pop) in wide.iter().flatten().zip(pops) {
                match parse_count(cell(&cells, *c)) {
                    Some(Count::N(n)) => parsed.push((pop, n)),
                    _ => {
                        bad = Some(issue(
                            at(file, line, Some((*c, &raw_header[*c]))),
                            cell(&cells, *c),
                            "et heltall",
                            "a whole number",
                        ));
                        break;
                    }
                }
            }
            if let Some(b) = bad {
                out.rows_rejected += 1;
                out.issues.push(b);
                continue;
            }
            for (pop, n) in parsed {
                // The sector as written, as the sector-only reader always printed it.
                out.records.push(AggregateRecord {
                    sector: cell(&cells, sector).to_string(),
                    population: pop,
                    breakdown: Breakdown::Total,
                    category: None,
                    sex: None,
                    count: Count::N(n),
                });
            }
        }
        return out;
    }
    let columns = [
        ("populasjon", find(&["populasjon", "population"])),
        ("inndeling", find(&["inndeling", "breakdown"])),
        ("antall", count),
    ];
    let missing: Vec<&str> = columns
        .iter()
        .filter(|(_, c)| c.is_none())
        .map(|(n, _)| *n)
        .collect();
    if !missing.is_empty() {
        out.issues.push(issue(
            at(file, 1, None),
            &raw_header.join(","),
            &format!("kolonnene {}", missing.join(", ")),
            &format!("the columns {}", missing.join(", ")),
        ));
        out.rows_read = rows.len() as u64;
        out.rows_rejected = out.rows_read;
        return out;
    }
    let [(_, Some(population)), (_, Some(breakdown)), (_, Some(count))] = columns else {
        return out;
    };
    let category = find(&["kategori", "category"]);
    let sex_column = find(&["kjonn", "kjønn", "sex"]);
    let mut seen = std::collections::HashSet::new();
    for (line, cells) in rows {
        out.rows_read += 1;
        let bad = |c: usize, nb: &str, en: &str| {
            issue(
                at(file, line, Some((c, &raw_header[c]))),
                cell(&cells, c),
                nb,
                en,
            )
        };
        #[allow(clippy::result_large_err)] // a cold path, one issue per bad row
        let record = (|| {
            if cells.first().is_some_and(|c| c == "\u{0}unreadable") {
                return Err(issue(
                    at(file, line, None),
                    cell(&cells, 1),
                    "en gyldig CSV-rad",
                    "a valid CSV row",
                ));
            }
            let s = cell(&cells, sector);
            if s.is_empty() {
                return Err(bad(sector, "en sektor", "a sector"));
            }
            let pop = Population::parse(cell(&cells, population)).ok_or_else(|| {
                bad(
                    population,
                    "totalpop, mottakere, feilmelding, forrige_periode, forrige_aar eller utvalg",
                    "totalpop, mottakere, feilmelding, forrige_periode, forrige_aar or utvalg",
                )
            })?;
            let mut b = Breakdown::parse(cell(&cells, breakdown)).ok_or_else(|| {
                bad(
                    breakdown,
                    "total, kjonn, alder, helseregion, helseforetak, diagnose_1 eller diagnose_1_2",
                    "total, kjonn, alder, helseregion, helseforetak, diagnose_1 or diagnose_1_2",
                )
            })?;
            let mut sex = match sex_column.map(|c| (c, cell(&cells, c))) {
                Some((c, v)) if !is_total_label(v) => Some(Sex::parse(v).ok_or_else(|| {
                    bad(
                        c,
                        "Kvinne, Mann eller tomt (begge)",
                        "Kvinne, Mann or empty (both)",
                    )
                })?),
                _ => None,
            };
            let cat_text = category.map(|c| cell(&cells, c)).unwrap_or("");
            let mut cat = (!is_total_label(cat_text)).then(|| cat_text.to_string());
            if b == Breakdown::Total && sex.is_some() {
                b = Breakdown::Sex;
            }
            match b {
                Breakdown::Total if cat.is_some() => {
                    let c = category.unwrap_or(0);
                    return Err(bad(
                        c,
                        "tom kategori (eller Total) for inndelingen total",
                        "an empty category (or Total) for the breakdown total",
                    ));
                }
                Breakdown::Sex => {
                    if let Some(text) = cat.take() {
                        let c = category.unwrap_or(0);
                        let from_category = Sex::parse(&text)
                            .ok_or_else(|| bad(c, "Kvinne eller Mann", "Kvinne or Mann"))?;
                        if sex.is_some_and(|s| s != from_category) {
                            return Err(bad(
                                c,
                                "samme kjønn som i kolonnen kjonn",
                                "the same sex as the column sex",
                            ));
                        }
                        sex = Some(from_category);
                    }
                }
                _ => {}
            }
            let n = parse_count(cell(&cells, count)).ok_or_else(|| {
                bad(
                    count,
                    "et heltall ≥ 0, eller * for et prikket tall",
                    "a whole number ≥ 0, or * for a suppressed count",
                )
            })?;
            Ok(AggregateRecord {
                sector: sector_name(s),
                population: pop,
                breakdown: b,
                category: cat,
                sex,
                count: n,
            })
        })();
        match record {
            Ok(r) => {
                let key = (
                    r.sector.clone(),
                    r.population,
                    r.breakdown,
                    r.category.as_deref().map(norm),
                    r.sex,
                );
                if seen.insert(key) {
                    out.records.push(r);
                } else {
                    out.rows_rejected += 1;
                    out.issues.push(issue(
                        at(file, line, None),
                        &cells.join(","),
                        "én rad per sektor, populasjon, inndeling, kategori og kjønn (raden finnes fra før)",
                        "one row per sector, population, breakdown, category and sex (a repeat)",
                    ));
                }
            }
            Err(e) => {
                out.rows_rejected += 1;
                out.issues.push(e);
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Lookups

impl Aggregates {
    /// Sectors in the order they first appear.
    pub fn sectors(&self) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for r in &self.records {
            if !v.contains(&r.sector) {
                v.push(r.sector.clone());
            }
        }
        v
    }

    /// The count of one cell (`Absent` when the file has no such row).
    pub fn count(
        &self,
        sector: &str,
        population: Population,
        breakdown: Breakdown,
        category: Option<&str>,
        sex: Option<Sex>,
    ) -> Count {
        let want = category.map(norm);
        self.records
            .iter()
            .find(|r| {
                r.sector == sector
                    && r.population == population
                    && r.breakdown == breakdown
                    && r.sex == sex
                    && r.category.as_deref().map(norm) == want
            })
            .map_or(Count::Absent, |r| r.count)
    }

    /// The categories of a breakdown in a sector, in the order they first appear.
    pub fn categories(&self, sector: &str, breakdown: Breakdown) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for r in &self.records {
            if r.sector == sector && r.breakdown == breakdown {
                if let Some(c) = &r.category {
                    if !v.iter().any(|x| norm(x) == norm(c)) {
                        v.push(c.clone());
                    }
                }
            }
        }
        v
    }

    fn has(&self, sector: &str, population: Population, breakdown: Breakdown) -> bool {
        self.records
            .iter()
            .any(|r| r.sector == sector && r.population == population && r.breakdown == breakdown)
    }

    /// A category's count for both sexes: its own row, else women + men.
    fn both_sexes(
        &self,
        sector: &str,
        population: Population,
        breakdown: Breakdown,
        category: Option<&str>,
    ) -> Count {
        match self.count(sector, population, breakdown, category, None) {
            Count::Absent => {
                let w = self.count(sector, population, breakdown, category, Some(Sex::Women));
                let m = self.count(sector, population, breakdown, category, Some(Sex::Men));
                if w == Count::Absent && m == Count::Absent {
                    Count::Absent
                } else {
                    w.add(m)
                }
            }
            c => c,
        }
    }

    /// The base of a breakdown's shares: its total row, else the sum of the known counts of
    /// `categories` (`None` when there is neither).
    fn base(
        &self,
        sector: &str,
        population: Population,
        breakdown: Breakdown,
        categories: &[String],
    ) -> Option<u64> {
        if let Count::N(n) = self.both_sexes(sector, population, breakdown, None) {
            return Some(n);
        }
        let known: Vec<u64> = categories
            .iter()
            .filter_map(|c| self.both_sexes(sector, population, breakdown, Some(c)).n())
            .collect();
        (!known.is_empty()).then(|| known.iter().sum())
    }
}

fn share(n: Count, base: Option<u64>) -> Option<f64> {
    match (n, base) {
        (Count::N(n), Some(b)) if b > 0 => Some(100.0 * n as f64 / b as f64),
        _ => None,
    }
}

/// The report's flag: the respondents' share differs from the population's by more than this
/// many percentage points (survey.md §4.2, [L1263-1266], [L1333-1335]).
pub const FLAG_ABOVE_PP: f64 = 1.0;

/// Tables 4-2/4-3 print counts below this as `*` ("Antall under 10 er prikket").
pub const UNIT_MIN_COUNT: u64 = 10;

fn difference(population: Option<f64>, respondents: Option<f64>) -> (Option<f64>, bool) {
    let d = population.zip(respondents).map(|(p, r)| r - p);
    (d, d.is_some_and(|d| d.abs() > FLAG_ABOVE_PP))
}

// ---------------------------------------------------------------------------------------------
// Typed rows

/// Table 4-1's input from the aggregates: each sector's `total` counts of the total population,
/// the recipients and the respondents. A sector without all three is left out (and named in
/// the second value).
pub fn sector_counts(a: &Aggregates) -> (Vec<SectorCounts>, Vec<String>) {
    let mut out = Vec::new();
    let mut left_out = Vec::new();
    for s in a.sectors() {
        let get = |p| a.count(&s, p, Breakdown::Total, None, None).n();
        match (
            get(Population::Total),
            get(Population::Recipients),
            get(Population::Respondents),
        ) {
            (Some(t), Some(r), Some(u)) => out.push(SectorCounts {
                sector: s,
                total_population: t,
                recipient_population: r,
                respondents: u,
            }),
            _ => left_out.push(s),
        }
    }
    (out, left_out)
}

/// One row of Tables 4-2/4-3: a unit's population and respondents, count and share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitRow {
    /// Sector.
    pub sector: String,
    /// Unit, or `Total`.
    pub unit: String,
    /// Count in the total population (`Suppressed` below [`UNIT_MIN_COUNT`] or `*` read).
    pub population: Count,
    /// % of the population total (unrounded; `None` when suppressed).
    pub population_share: Option<f64>,
    /// Respondents.
    pub respondents: Count,
    /// % of the respondent total.
    pub respondent_share: Option<f64>,
    /// Respondent share − population share, percentage points.
    pub difference_pp: Option<f64>,
    /// |difference| > 1 pp.
    pub flagged: bool,
}

/// Tables 4-2 (PHV) and 4-3 (the other sectors, TSB in the report): each unit's count and
/// share of the total population and of the respondents against the breakdown's totals, a
/// `Total` row last. Counts below `min_count` are shown as suppressed, and so are their shares
/// (a share of a known total gives the count back).
pub fn unit_rows(a: &Aggregates, sector: &str, min_count: u64) -> Vec<UnitRow> {
    let units = a.categories(sector, Breakdown::Unit);
    if units.is_empty() {
        return Vec::new();
    }
    let pb = a.base(sector, Population::Total, Breakdown::Unit, &units);
    let rb = a.base(sector, Population::Respondents, Breakdown::Unit, &units);
    let get = |p, u: &str| a.both_sexes(sector, p, Breakdown::Unit, Some(u));
    let counts: Vec<UnitCounts> = units
        .iter()
        .map(|u| UnitCounts {
            unit: u.clone(),
            population: get(Population::Total, u).n(),
            respondents: get(Population::Respondents, u).n(),
        })
        .collect();
    let compared = compare_units(&counts, pb.unwrap_or(0), rb.unwrap_or(0), FLAG_ABOVE_PP);
    let hide = |c: Count| match c {
        Count::N(n) if n < min_count => Count::Suppressed,
        c => c,
    };
    let finite = |x: Option<f64>| x.filter(|v| v.is_finite());
    let mut rows: Vec<UnitRow> = units
        .iter()
        .zip(compared)
        .map(|(u, c)| {
            let population = hide(get(Population::Total, u));
            let respondents = hide(get(Population::Respondents, u));
            let ps = finite(c.population_share).filter(|_| population.n().is_some());
            let rs = finite(c.respondent_share).filter(|_| respondents.n().is_some());
            let (difference_pp, flagged) = difference(ps, rs);
            UnitRow {
                sector: sector.to_string(),
                unit: u.clone(),
                population,
                population_share: ps,
                respondents,
                respondent_share: rs,
                difference_pp,
                flagged,
            }
        })
        .collect();
    rows.push(UnitRow {
        sector: sector.to_string(),
        unit: "Total".into(),
        population: pb.map_or(Count::Absent, Count::N),
        population_share: pb.filter(|&b| b > 0).map(|_| 100.0),
        respondents: rb.map_or(Count::Absent, Count::N),
        respondent_share: rb.filter(|&b| b > 0).map(|_| 100.0),
        difference_pp: None,
        flagged: false,
    });
    rows
}

/// One row of Table 4-4: a region's total population by sex, and its respondents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionSexRow {
    /// Sector (avtalespesialist in the report).
    pub sector: String,
    /// Region, or `Total`.
    pub region: String,
    /// Men in the total population.
    pub men: Count,
    /// Women.
    pub women: Count,
    /// Both.
    pub total: Count,
    /// % of the total population.
    pub total_share: Option<f64>,
    /// Respondents.
    pub respondents: Count,
    /// % of the respondents.
    pub respondent_share: Option<f64>,
    /// Respondent share − population share, percentage points.
    pub difference_pp: Option<f64>,
    /// |difference| > 1 pp.
    pub flagged: bool,
    /// Women / (women + men) × 100 in the total population.
    pub women_share: Option<f64>,
}

/// Table 4-4 for a sector whose total population by region is also given by sex.
pub fn region_sex_rows(a: &Aggregates, sector: &str) -> Vec<RegionSexRow> {
    let regions = a.categories(sector, Breakdown::Region);
    let by_sex = a.records.iter().any(|r| {
        r.sector == sector
            && r.population == Population::Total
            && r.breakdown == Breakdown::Region
            && r.sex.is_some()
    });
    if regions.is_empty() || !by_sex {
        return Vec::new();
    }
    let tb = a.base(sector, Population::Total, Breakdown::Region, &regions);
    let rb = a.base(sector, Population::Respondents, Breakdown::Region, &regions);
    let row = |label: &str, region: Option<&str>| {
        let g = |sex| a.count(sector, Population::Total, Breakdown::Region, region, sex);
        let men = g(Some(Sex::Men));
        let women = g(Some(Sex::Women));
        let total = a.both_sexes(sector, Population::Total, Breakdown::Region, region);
        let total = if region.is_none() && total == Count::Absent {
            tb.map_or(Count::Absent, Count::N)
        } else {
            total
        };
        let respondents = a.both_sexes(sector, Population::Respondents, Breakdown::Region, region);
        let respondents = if region.is_none() && respondents == Count::Absent {
            rb.map_or(Count::Absent, Count::N)
        } else {
            respondents
        };
        let total_share = share(total, tb);
        let respondent_share = share(respondents, rb);
        let (difference_pp, flagged) = if region.is_some() {
            difference(total_share, respondent_share)
        } else {
            (None, false)
        };
        let women_share = match (women, men) {
            (Count::N(w), Count::N(m)) if w + m > 0 => Some(100.0 * w as f64 / (w + m) as f64),
            _ => None,
        };
        RegionSexRow {
            sector: sector.to_string(),
            region: label.to_string(),
            men: if region.is_none() && men == Count::Absent {
                sum_sex(a, sector, &regions, Sex::Men)
            } else {
                men
            },
            women: if region.is_none() && women == Count::Absent {
                sum_sex(a, sector, &regions, Sex::Women)
            } else {
                women
            },
            total,
            total_share,
            respondents,
            respondent_share,
            difference_pp,
            flagged,
            women_share,
        }
    };
    let mut rows: Vec<RegionSexRow> = regions.iter().map(|r| row(r, Some(r))).collect();
    let mut total = row("Total", None);
    if total.women_share.is_none() {
        if let (Count::N(w), Count::N(m)) = (total.women, total.men) {
            total.women_share = (w + m > 0).then(|| 100.0 * w as f64 / (w + m) as f64);
        }
    }
    rows.push(total);
    rows
}

fn sum_sex(a: &Aggregates, sector: &str, regions: &[String], sex: Sex) -> Count {
    regions.iter().fold(Count::N(0), |acc, r| {
        acc.add(a.count(
            sector,
            Population::Total,
            Breakdown::Region,
            Some(r),
            Some(sex),
        ))
    })
}

/// One row of Table 4-5: a population's women, men and total in a sector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SexRow {
    /// Sector.
    pub sector: String,
    /// The population.
    pub population: Population,
    /// Women.
    pub women: Count,
    /// Men.
    pub men: Count,
    /// The sex breakdown's total row, else women + men.
    pub total: Count,
    /// Women / total × 100.
    pub women_share: Option<f64>,
    /// Women share − the total population's women share, percentage points.
    pub difference_pp: Option<f64>,
    /// |difference| > 1 pp.
    pub flagged: bool,
}

/// Table 4-5 (and Figs 4-4/4-6): per population, women and men, with the women's share and its
/// difference from the total population's.
pub fn sex_rows(a: &Aggregates, sector: &str) -> Vec<SexRow> {
    let mut rows: Vec<SexRow> = Vec::new();
    for p in Population::ALL {
        if !a.has(sector, p, Breakdown::Sex) {
            continue;
        }
        let women = a.count(sector, p, Breakdown::Sex, None, Some(Sex::Women));
        let men = a.count(sector, p, Breakdown::Sex, None, Some(Sex::Men));
        let total = match a.count(sector, p, Breakdown::Sex, None, None) {
            Count::Absent => women.add(men),
            c => c,
        };
        rows.push(SexRow {
            sector: sector.to_string(),
            population: p,
            women,
            men,
            total,
            women_share: share(women, total.n()),
            difference_pp: None,
            flagged: false,
        });
    }
    let reference = rows
        .iter()
        .find(|r| r.population == Population::Total)
        .and_then(|r| r.women_share);
    for r in rows
        .iter_mut()
        .filter(|r| r.population != Population::Total)
    {
        (r.difference_pp, r.flagged) = difference(reference, r.women_share);
    }
    rows
}

/// One row of Table 4-6 (regions) or of the age comparison (Figs 4-7 … 4-9): a category's count
/// and share in each population.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryRow {
    /// Sector.
    pub sector: String,
    /// The category, or `Total`.
    pub category: String,
    /// `(count, % of the population's total)` in total population, same period the year
    /// before, the year before, respondents ([`CATEGORY_POPULATIONS`]).
    pub populations: Vec<(Count, Option<f64>)>,
    /// Respondent share − total-population share, percentage points.
    pub difference_pp: Option<f64>,
    /// |difference| > 1 pp.
    pub flagged: bool,
}

/// The populations of Table 4-6's columns, in order.
pub const CATEGORY_POPULATIONS: [Population; 4] = [
    Population::Total,
    Population::PreviousPeriod,
    Population::PreviousYear,
    Population::Respondents,
];

/// Table 4-6 (`Breakdown::Region`) or the age comparison (`Breakdown::Age`) for a sector.
pub fn category_rows(a: &Aggregates, sector: &str, breakdown: Breakdown) -> Vec<CategoryRow> {
    let cats = a.categories(sector, breakdown);
    if cats.is_empty() {
        return Vec::new();
    }
    let bases: Vec<Option<u64>> = CATEGORY_POPULATIONS
        .iter()
        .map(|&p| {
            a.has(sector, p, breakdown)
                .then(|| a.base(sector, p, breakdown, &cats))
                .flatten()
        })
        .collect();
    let mut rows: Vec<CategoryRow> = cats
        .iter()
        .map(|c| {
            let populations: Vec<(Count, Option<f64>)> = CATEGORY_POPULATIONS
                .iter()
                .zip(&bases)
                .map(|(&p, &b)| {
                    let n = a.both_sexes(sector, p, breakdown, Some(c));
                    (n, share(n, b))
                })
                .collect();
            let (difference_pp, flagged) = difference(populations[0].1, populations[3].1);
            CategoryRow {
                sector: sector.to_string(),
                category: c.clone(),
                populations,
                difference_pp,
                flagged,
            }
        })
        .collect();
    rows.push(CategoryRow {
        sector: sector.to_string(),
        category: "Total".into(),
        populations: bases
            .iter()
            .map(|b| {
                (
                    b.map_or(Count::Absent, Count::N),
                    b.filter(|&b| b > 0).map(|_| 100.0),
                )
            })
            .collect(),
        difference_pp: None,
        flagged: false,
    });
    rows
}

/// One row of Tables 4-8/4-9: a diagnosis group's patients by sex, its share of the "Sum" row,
/// and (4-8) the respondents who report it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiagnosisRow {
    /// Sector.
    pub sector: String,
    /// 1st main condition, or 1st or 2nd.
    pub basis: Breakdown,
    /// The diagnosis group, or `Sum`.
    pub diagnosis: String,
    /// Men.
    pub men: Count,
    /// Women.
    pub women: Count,
    /// Both sexes: the row's total, else men + women.
    pub total: Count,
    /// % of the "Sum" row (a patient can be in more than one group).
    pub share: Option<f64>,
    /// Respondents who report the diagnosis (4-8 only).
    pub respondents: Count,
    /// % of the respondents' total row, else of their sum.
    pub respondent_share: Option<f64>,
    /// Respondent share − population share, percentage points.
    pub difference_pp: Option<f64>,
    /// |difference| > 1 pp.
    pub flagged: bool,
}

/// Tables 4-8 (`Population::Total`, with the respondents) and 4-9 (`Population::PreviousYear`)
/// for a sector, one block per diagnosis basis the file has. The respondents' self-reported
/// groups are read from the same basis, else from the other.
pub fn diagnosis_rows(a: &Aggregates, sector: &str, population: Population) -> Vec<DiagnosisRow> {
    let mut rows = Vec::new();
    let with_respondents = population == Population::Total;
    for basis in [Breakdown::DiagnosisFirst, Breakdown::DiagnosisFirstOrSecond] {
        if !a.has(sector, population, basis) {
            continue;
        }
        let other = if basis == Breakdown::DiagnosisFirst {
            Breakdown::DiagnosisFirstOrSecond
        } else {
            Breakdown::DiagnosisFirst
        };
        let respondent_basis = if a.has(sector, Population::Respondents, basis) {
            Some(basis)
        } else if a.has(sector, Population::Respondents, other) {
            Some(other)
        } else {
            None
        }
        .filter(|_| with_respondents);
        let cats: Vec<String> = a
            .categories(sector, basis)
            .into_iter()
            .filter(|c| {
                a.records.iter().any(|r| {
                    r.sector == sector
                        && r.population == population
                        && r.breakdown == basis
                        && r.category.as_deref().map(norm) == Some(norm(c))
                })
            })
            .collect();
        let base = a.base(sector, population, basis, &cats);
        let respondent_cats = respondent_basis
            .map(|b| a.categories(sector, b))
            .unwrap_or_default();
        let respondent_base = respondent_basis
            .and_then(|b| a.base(sector, Population::Respondents, b, &respondent_cats));
        let row = |label: &str, cat: Option<&str>| {
            let g = |sex| a.count(sector, population, basis, cat, sex);
            let total = a.both_sexes(sector, population, basis, cat);
            let total = if cat.is_none() && total == Count::Absent {
                base.map_or(Count::Absent, Count::N)
            } else {
                total
            };
            let respondents = respondent_basis.map_or(Count::Absent, |b| {
                let n = a.both_sexes(sector, Population::Respondents, b, cat);
                if cat.is_none() && n == Count::Absent {
                    respondent_base.map_or(Count::Absent, Count::N)
                } else {
                    n
                }
            });
            let s = share(total, base);
            let rs = share(respondents, respondent_base);
            let (difference_pp, flagged) = if cat.is_some() {
                difference(s, rs)
            } else {
                (None, false)
            };
            // The Sum row's sexes, when the file has none: the groups' sum (`*` if any is).
            let by_sex = |sex| match (cat, g(Some(sex))) {
                (None, Count::Absent) => cats
                    .iter()
                    .map(|c| a.count(sector, population, basis, Some(c), Some(sex)))
                    .reduce(Count::add)
                    .unwrap_or(Count::Absent),
                (_, n) => n,
            };
            DiagnosisRow {
                sector: sector.to_string(),
                basis,
                diagnosis: label.to_string(),
                men: by_sex(Sex::Men),
                women: by_sex(Sex::Women),
                total,
                share: s,
                respondents,
                respondent_share: rs,
                difference_pp,
                flagged,
            }
        };
        rows.extend(cats.iter().map(|c| row(c, Some(c))));
        rows.push(row("Sum", None));
    }
    rows
}

/// Table 4-7: the questionnaire's diagnosis options and the ICD-10 codes of the 1st or 2nd
/// main condition they were compared with ([L1683-1714]).
pub const DIAGNOSIS_ICD10: [(&str, &str); 13] = [
    ("Depresjon", "F32, F33"),
    ("Angstlidelse", "F41"),
    ("Bipolar lidelse/Mani/Hypomani", "F30, F31"),
    (
        "Schizofreni/Schizotyp lidelse/Paranoide lidelser",
        "F20, F21, F22",
    ),
    ("Psykose", "F23, F24, F25, F28, F29"),
    ("Posttraumatisk stresslidelse (PTSD)", "F43.1"),
    ("Spiseforstyrrelser", "F50"),
    ("Tvangslidelser/fobier", "F40, F42"),
    ("Personlighetsforstyrrelse", "F60, F61, F62"),
    (
        "Skadelig bruk av rusmidler og rusmiddelavhengighet",
        "F10-F19",
    ),
    ("Avhengighet (ikke rusrelatert)", "F63"),
    ("Autisme", "F84"),
    ("Hyperkinetiske forstyrrelser (ADHD/ADD)", "F90"),
];

// ---------------------------------------------------------------------------------------------
// Rendered tables: one text for the CLI's CSV and the app's tables and downloads

/// A column of a rendered table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RenderedColumn {
    /// The CSV header.
    pub key: String,
    /// Heading in Norwegian.
    pub nb: String,
    /// Heading in English.
    pub en: String,
    /// Decimals of a numeric column (`None`: text).
    pub decimals: Option<u8>,
}

/// A table as the CLI writes it: every cell as text (counts whole, `*` suppressed, shares
/// rounded half up to one decimal, Table 4-1's rates to two).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RenderedTable {
    /// `4-1` … `4-9`, or `alder` (the age comparison of Figs 4-7 … 4-9).
    pub id: String,
    /// Title in Norwegian.
    pub title_nb: String,
    /// Title in English.
    pub title_en: String,
    /// The columns; the first `keys` identify a row.
    pub columns: Vec<RenderedColumn>,
    /// Leading columns that name the row (sector first).
    pub keys: usize,
    /// The cells.
    pub rows: Vec<Vec<String>>,
}

impl RenderedTable {
    /// The table as CSV (the header is the column keys).
    pub fn csv(&self) -> String {
        let header: Vec<&str> = self.columns.iter().map(|c| c.key.as_str()).collect();
        super::csv::text(&header.join(","), self.rows.iter().cloned())
    }
}

/// Every table id, in order; `alder` is the age comparison.
pub const TABLE_IDS: [&str; 10] = [
    "4-1", "4-2", "4-3", "4-4", "4-5", "4-6", "alder", "4-7", "4-8", "4-9",
];

fn col(key: &str, nb: &str, en: &str, decimals: Option<u8>) -> RenderedColumn {
    RenderedColumn {
        key: key.into(),
        nb: nb.into(),
        en: en.into(),
        decimals,
    }
}

fn one(x: Option<f64>) -> String {
    super::csv::number(x.map(|v| round_half_up(v, 1)))
}

fn flag(b: bool) -> String {
    if b { "true" } else { "false" }.into()
}

fn population_label(p: Population) -> (&'static str, &'static str) {
    match p {
        Population::Total => ("Totalpopulasjon", "Total population"),
        Population::Recipients => ("Mottakere", "Recipients"),
        Population::Error => ("Feilmelding", "Error population"),
        Population::PreviousPeriod => ("Samme periode i fjor", "Same period last year"),
        Population::PreviousYear => ("Hele fjoråret", "The whole previous year"),
        Population::Respondents => ("Utvalget (svarte)", "Respondents"),
    }
}

/// The table `id` from the aggregates (`None` for an unknown id). A table the file has no
/// counts for has no rows.
pub fn render(a: &Aggregates, id: &str) -> Option<RenderedTable> {
    let sectors = a.sectors();
    let (cols, keys, rows, nb, en): (Vec<RenderedColumn>, usize, Vec<Vec<String>>, &str, &str) =
        match id {
            "4-1" => {
                let two = |x: f64| super::csv::number(Some(round_half_up(x, 2)));
                let rows = response_table(&sector_counts(a).0)
                    .into_iter()
                    .map(|r| {
                        vec![
                            r.sector,
                            r.total_population.to_string(),
                            r.recipient_population.to_string(),
                            r.error_population.to_string(),
                            r.respondents.to_string(),
                            two(r.rate_total),
                            two(r.rate_recipients),
                            two(r.share_total),
                            two(r.share_recipients),
                            two(r.share_respondents),
                            two(r.share_error),
                            two(r.error_rate),
                        ]
                    })
                    .collect::<Vec<_>>();
                let rows = if rows.len() == 1 { Vec::new() } else { rows };
                (
                    vec![
                        col("sector", "Sektor", "Sector", None),
                        col(
                            "total_population",
                            "Totalpopulasjon",
                            "Total population",
                            Some(0),
                        ),
                        col(
                            "recipient_population",
                            "Mottakspopulasjon",
                            "Recipients",
                            Some(0),
                        ),
                        col(
                            "error_population",
                            "Feilmelding",
                            "Error population",
                            Some(0),
                        ),
                        col("respondents", "Utvalg", "Respondents", Some(0)),
                        col("rate_total", "Svar % total", "Response % total", Some(2)),
                        col(
                            "rate_recipients",
                            "Svar % mottak",
                            "Response % recipients",
                            Some(2),
                        ),
                        col(
                            "share_total",
                            "Andel av totalpop. %",
                            "Share of total pop. %",
                            Some(2),
                        ),
                        col(
                            "share_recipients",
                            "Andel av mottakere %",
                            "Share of recipients %",
                            Some(2),
                        ),
                        col(
                            "share_respondents",
                            "Andel av utvalget %",
                            "Share of respondents %",
                            Some(2),
                        ),
                        col(
                            "share_error",
                            "Andel av feilmelding %",
                            "Share of error pop. %",
                            Some(2),
                        ),
                        col(
                            "error_rate",
                            "Feilmelding % av totalpop.",
                            "Error % of total pop.",
                            Some(2),
                        ),
                    ],
                    1,
                    rows,
                    "Tabell 4-1 Populasjon, utvalg og svarprosent per sektor",
                    "Table 4-1 Population, respondents and response rate by sector",
                )
            }
            "4-2" | "4-3" => {
                let rows = sectors
                    .iter()
                    .filter(|s| (s.as_str() == "PHV") == (id == "4-2"))
                    .flat_map(|s| unit_rows(a, s, UNIT_MIN_COUNT))
                    .map(|r| {
                        vec![
                            r.sector,
                            r.unit,
                            r.population.text(),
                            one(r.population_share),
                            r.respondents.text(),
                            one(r.respondent_share),
                            one(r.difference_pp),
                            flag(r.flagged),
                        ]
                    })
                    .collect();
                let (nb, en) = if id == "4-2" {
                    (
                        "Tabell 4-2 Antall og andel av totalpopulasjonen og av utvalget per helseforetak/institusjon, PHV (antall under 10 prikket)",
                        "Table 4-2 Count and share of the total population and of the respondents by health trust/institution, PHV (counts below 10 suppressed)",
                    )
                } else {
                    (
                        "Tabell 4-3 Antall og andel av totalpopulasjonen og av utvalget per helseforetak/institusjon, TSB og andre sektorer (antall under 10 prikket)",
                        "Table 4-3 Count and share of the total population and of the respondents by health trust/institution, TSB and other sectors (counts below 10 suppressed)",
                    )
                };
                (
                    vec![
                        col("sector", "Sektor", "Sector", None),
                        col(
                            "unit",
                            "Helseforetak/institusjon",
                            "Health trust/institution",
                            None,
                        ),
                        col(
                            "totalpop_n",
                            "Totalpop. antall",
                            "Total pop. count",
                            Some(0),
                        ),
                        col("totalpop_pct", "Totalpop. %", "Total pop. %", Some(1)),
                        col(
                            "respondents_n",
                            "Utvalg antall",
                            "Respondents count",
                            Some(0),
                        ),
                        col("respondents_pct", "Utvalg %", "Respondents %", Some(1)),
                        col(
                            "diff_pp",
                            "Differanse (prosentpoeng)",
                            "Difference (percentage points)",
                            Some(1),
                        ),
                        col("flagged", "Over 1 poeng", "Above 1 point", None),
                    ],
                    2,
                    rows,
                    nb,
                    en,
                )
            }
            "4-4" => {
                let rows = sectors
                    .iter()
                    .flat_map(|s| region_sex_rows(a, s))
                    .map(|r| {
                        vec![
                            r.sector,
                            r.region,
                            r.men.text(),
                            r.women.text(),
                            r.total.text(),
                            one(r.total_share),
                            r.respondents.text(),
                            one(r.respondent_share),
                            one(r.difference_pp),
                            flag(r.flagged),
                            one(r.women_share),
                        ]
                    })
                    .collect();
                (
                    vec![
                        col("sector", "Sektor", "Sector", None),
                        col("region", "Helseregion", "Health region", None),
                        col("men", "Mann", "Men", Some(0)),
                        col("women", "Kvinne", "Women", Some(0)),
                        col("totalpop_n", "Totalpop.", "Total pop.", Some(0)),
                        col("totalpop_pct", "% totalpop.", "% total pop.", Some(1)),
                        col("respondents_n", "Utvalg", "Respondents", Some(0)),
                        col("respondents_pct", "% utvalg", "% respondents", Some(1)),
                        col(
                            "diff_pp",
                            "Differanse (prosentpoeng)",
                            "Difference (percentage points)",
                            Some(1),
                        ),
                        col("flagged", "Over 1 poeng", "Above 1 point", None),
                        col(
                            "women_pct",
                            "Kvinner % av totalpop.",
                            "Women % of total pop.",
                            Some(1),
                        ),
                    ],
                    2,
                    rows,
                    "Tabell 4-4 Totalpopulasjon etter helseregion og kjønn, og utvalget",
                    "Table 4-4 Total population by health region and sex, and the respondents",
                )
            }
            "4-5" => {
                let rows = sectors
                    .iter()
                    .flat_map(|s| sex_rows(a, s))
                    .map(|r| {
                        vec![
                            r.sector,
                            r.population.key().to_string(),
                            r.women.text(),
                            r.men.text(),
                            r.total.text(),
                            one(r.women_share),
                            one(r.difference_pp),
                            flag(r.flagged),
                        ]
                    })
                    .collect();
                (
                    vec![
                        col("sector", "Sektor", "Sector", None),
                        col("population", "Populasjon", "Population", None),
                        col("women", "Kvinne", "Women", Some(0)),
                        col("men", "Mann", "Men", Some(0)),
                        col("total", "Total", "Total", Some(0)),
                        col("women_pct", "Kvinner %", "Women %", Some(1)),
                        col(
                            "diff_pp",
                            "Differanse fra totalpop. (prosentpoeng)",
                            "Difference from total pop. (percentage points)",
                            Some(1),
                        ),
                        col("flagged", "Over 1 poeng", "Above 1 point", None),
                    ],
                    2,
                    rows,
                    "Tabell 4-5 Antall pasienter i populasjonene etter kjønn (registerkjønn)",
                    "Table 4-5 Patients in the populations by sex (register sex)",
                )
            }
            "4-6" | "alder" => {
                let breakdown = if id == "4-6" {
                    Breakdown::Region
                } else {
                    Breakdown::Age
                };
                let rows = sectors
                    .iter()
                    .flat_map(|s| category_rows(a, s, breakdown))
                    .map(|r| {
                        let mut v = vec![r.sector, r.category];
                        for (n, s) in &r.populations {
                            v.push(n.text());
                            v.push(one(*s));
                        }
                        v.push(one(r.difference_pp));
                        v.push(flag(r.flagged));
                        v
                    })
                    .collect();
                let mut cols = vec![
                    col("sector", "Sektor", "Sector", None),
                    if id == "4-6" {
                        col("region", "Helseregion", "Health region", None)
                    } else {
                        col("age_group", "Aldersgruppe", "Age group", None)
                    },
                ];
                for p in CATEGORY_POPULATIONS {
                    let (nb, en) = population_label(p);
                    cols.push(col(&format!("{}_n", p.key()), nb, en, Some(0)));
                    cols.push(col(
                        &format!("{}_pct", p.key()),
                        &format!("{nb} %"),
                        &format!("{en} %"),
                        Some(1),
                    ));
                }
                cols.push(col(
                    "diff_pp",
                    "Differanse utvalg − totalpop. (prosentpoeng)",
                    "Difference respondents − total pop. (percentage points)",
                    Some(1),
                ));
                cols.push(col("flagged", "Over 1 poeng", "Above 1 point", None));
                let (nb, en) = if id == "4-6" {
                    (
                        "Tabell 4-6 Antall pasienter i hver helseregion i populasjonene og utvalget",
                        "Table 4-6 Patients in each health region in the populations and the respondents",
                    )
                } else {
                    (
                        "Aldersgrupper i populasjonene og utvalget (figur 4-7–4-9)",
                        "Age groups in the populations and the respondents (Figs 4-7–4-9)",
                    )
                };
                (cols, 2, rows, nb, en)
            }
            "4-7" => {
                let any = a.records.iter().any(|r| r.breakdown.is_diagnosis());
                let rows = if any {
                    DIAGNOSIS_ICD10
                        .iter()
                        .map(|(d, c)| vec![String::new(), d.to_string(), c.to_string()])
                        .collect()
                } else {
                    Vec::new()
                };
                (
                    vec![
                        col("sector", "Sektor", "Sector", None),
                        col(
                            "diagnosis",
                            "Diagnosegruppe i skjemaet",
                            "Diagnosis group in the questionnaire",
                            None,
                        ),
                        col(
                            "icd10",
                            "ICD-10 (1. eller 2. hovedtilstand)",
                            "ICD-10 (1st or 2nd main condition)",
                            None,
                        ),
                    ],
                    2,
                    rows,
                    "Tabell 4-7 Diagnosekategorier i spørreskjemaet med ICD-10-koder",
                    "Table 4-7 Diagnosis categories of the questionnaire with ICD-10 codes",
                )
            }
            "4-8" | "4-9" => {
                let population = if id == "4-8" {
                    Population::Total
                } else {
                    Population::PreviousYear
                };
                let rows = sectors
                    .iter()
                    .flat_map(|s| diagnosis_rows(a, s, population))
                    .map(|r| {
                        let mut v = vec![
                            r.sector,
                            r.basis.key().to_string(),
                            r.diagnosis,
                            r.men.text(),
                            r.women.text(),
                            r.total.text(),
                            one(r.share),
                        ];
                        if id == "4-8" {
                            v.extend([
                                r.respondents.text(),
                                one(r.respondent_share),
                                one(r.difference_pp),
                                flag(r.flagged),
                            ]);
                        }
                        v
                    })
                    .collect();
                let mut cols = vec![
                    col("sector", "Sektor", "Sector", None),
                    col("basis", "Grunnlag", "Basis", None),
                    col("diagnosis", "Diagnosegruppe", "Diagnosis group", None),
                    col("men", "Mann", "Men", Some(0)),
                    col("women", "Kvinne", "Women", Some(0)),
                    col("total", "Total", "Total", Some(0)),
                    col("total_pct", "% av Sum", "% of Sum", Some(1)),
                ];
                if id == "4-8" {
                    cols.extend([
                        col("respondents_n", "Utvalg", "Respondents", Some(0)),
                        col("respondents_pct", "% utvalg", "% respondents", Some(1)),
                        col(
                            "diff_pp",
                            "Differanse (prosentpoeng)",
                            "Difference (percentage points)",
                            Some(1),
                        ),
                        col("flagged", "Over 1 poeng", "Above 1 point", None),
                    ]);
                }
                let (nb, en) = if id == "4-8" {
                    (
                        "Tabell 4-8 Pasienter etter diagnosegruppe (1. hovedtilstand; 1. eller 2.), totalpopulasjonen, og utvalgets egne svar",
                        "Table 4-8 Patients by diagnosis group (1st main condition; 1st or 2nd), total population, and the respondents' own answers",
                    )
                } else {
                    (
                        "Tabell 4-9 Pasienter etter diagnosegruppe, hele fjoråret",
                        "Table 4-9 Patients by diagnosis group, the whole previous year",
                    )
                };
                (cols, 3, rows, nb, en)
            }
            _ => return None,
        };
    Some(RenderedTable {
        id: id.to_string(),
        title_nb: nb.to_string(),
        title_en: en.to_string(),
        columns: cols,
        keys,
        rows,
    })
}

/// Every table that has rows, in [`TABLE_IDS`] order.
pub fn render_all(a: &Aggregates) -> Vec<RenderedTable> {
    TABLE_IDS
        .iter()
        .filter_map(|id| render(a, id))
        .filter(|t| !t.rows.is_empty())
        .collect()
}

/// All tables in one long CSV, one line per cell: `table,sector,row,column,value`, where `row`
/// is the row's other key cells joined by ` / ` and `column` the column's key.
pub fn long_csv(tables: &[RenderedTable]) -> String {
    super::csv::text(
        "table,sector,row,column,value",
        tables.iter().flat_map(|t| {
            t.rows.iter().flat_map(move |r| {
                let row = r[1..t.keys.min(r.len())].join(" / ");
                t.columns.iter().zip(r).skip(t.keys).map(move |(c, v)| {
                    vec![
                        t.id.clone(),
                        r.first().cloned().unwrap_or_default(),
                        row.clone(),
                        c.key.clone(),
                        v.clone(),
                    ]
                })
            })
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Lang;

    /// The report's aggregates as one long file (`testdata/aggregates_report_2023.csv`): Table
    /// 4-1's sector counts, Tables 4-2/4-3 copied from the spec's transcription (with its `*`),
    /// Table 4-5 by sex, Table 4-6 by region, Tables 4-8/4-9 by diagnosis (1st main condition)
    /// and sex. Table 4-4 counts the avtalespesialist regions from another extract than Table
    /// 4-6 (Nord 1 550 vs 1 525, survey.md §5.1 [INCONSISTENT]), so it is a file of its own.
    const REPORT: &str = include_str!("testdata/aggregates_report_2023.csv");
    const TABLE_4_4: &str = include_str!("testdata/aggregates_report_table_4-4.csv");

    fn report() -> Aggregates {
        let a = read_population_aggregates("aggregates_report_2023.csv", REPORT.as_bytes());
        assert_eq!(a.issues, Vec::new());
        // 521 data rows (the header not counted), every one used.
        assert_eq!(
            (a.rows_read, a.rows_rejected, a.records.len()),
            (521, 0, 521)
        );
        a
    }

    fn table(a: &Aggregates, id: &str) -> Vec<Vec<String>> {
        render(a, id).unwrap().rows
    }

    /// The rows of `id` whose key cells (after the sector) start with `key`.
    fn row<'a>(rows: &'a [Vec<String>], sector: &str, key: &str) -> &'a [String] {
        rows.iter()
            .find(|r| r[0] == sector && r[1] == key)
            .unwrap_or_else(|| panic!("no row {sector} {key}"))
    }

    #[test]
    fn the_sector_only_file_still_gives_table_4_1_unchanged() {
        let old = "sektor;totalpop;mottakspop;utvalg\nPHV;87424;82050;21346\nTSB;17257;15667;3199\nAVT;26227;25917;8913\n";
        let a = read_population_aggregates("4-1.csv", old.as_bytes());
        assert!(a.sector_only);
        assert_eq!((a.rows_read, a.rows_rejected), (3, 0));
        let (sectors, left_out) = sector_counts(&a);
        assert!(left_out.is_empty());
        // The same counts as the old reader, so the same Table 4-1.
        assert_eq!(
            sectors,
            super::super::response::read_aggregates("4-1.csv", old.as_bytes()).unwrap()
        );
        let csv = render(&a, "4-1").unwrap().csv();
        // PHV: 21 346 / 87 424 = 24.42 %, / 82 050 = 26.02 %; error −5 374 = 73.88 % of 7 274.
        assert_eq!(
            csv.lines().take(2).collect::<Vec<_>>(),
            [
                "sector,total_population,recipient_population,error_population,respondents,rate_total,rate_recipients,share_total,share_recipients,share_respondents,share_error,error_rate",
                "PHV,87424,82050,-5374,21346,24.42,26.02,66.78,66.37,63.8,73.88,6.15",
            ]
        );
        assert_eq!(
            csv.lines().last(),
            Some("Totalt,130908,123634,-7274,33458,25.56,27.06,100,100,100,100,5.56")
        );
    }

    #[test]
    fn table_4_1_from_the_long_file_equals_the_sector_only_one() {
        let a = report();
        let old = "sektor,totalpop,mottakspop,utvalg\nPHV,87424,82050,21346\nTSB,17257,15667,3199\nAVT,26227,25917,8913\n";
        let b = read_population_aggregates("old.csv", old.as_bytes());
        assert_eq!(render(&a, "4-1"), render(&b, "4-1"));
        // Rounded to whole numbers as printed: 24 / 26, 19 / 20, 34 / 34, 26 / 27.
        let rates: Vec<(f64, f64)> = table(&a, "4-1")
            .iter()
            .map(|r| {
                let n = |i: usize| round_half_up(r[i].parse::<f64>().unwrap(), 0);
                (n(5), n(6))
            })
            .collect();
        assert_eq!(
            rates,
            [(24.0, 26.0), (19.0, 20.0), (34.0, 34.0), (26.0, 27.0)]
        );
    }

    /// Tables 4-2/4-3: every share the report prints for an unsuppressed count is reproduced
    /// exactly (count / the Total row × 100, one decimal half up), `*` stays `*` with no share,
    /// and the flagged units are those the text names.
    #[test]
    fn tables_4_2_and_4_3_reproduce_the_transcription() {
        let a = report();
        let transcribed = include_str!("testdata/hf_tables_4-2_4-3_transcribed.csv");
        let mut reader = ::csv::Reader::from_reader(transcribed.as_bytes());
        let t42 = table(&a, "4-2");
        let t43 = table(&a, "4-3");
        let mut checked = 0;
        for rec in reader.records() {
            let rec = rec.unwrap();
            let rows = if &rec[0] == "4-2" { &t42 } else { &t43 };
            let r = row(rows, &rec[1], &rec[3]);
            for (n, pct, our_n, our_pct) in [(&rec[4], &rec[5], 2, 3), (&rec[6], &rec[7], 4, 5)] {
                assert_eq!(r[our_n], n, "{} {}", &rec[1], &rec[3]);
                if n == "*" {
                    // The report prints a share beside a suppressed count (0,0 / 0,3); we do
                    // not, since a share of a known total gives the count back.
                    assert_eq!(r[our_pct], "");
                } else {
                    let printed = pct.replace(',', ".");
                    assert_eq!(
                        r[our_pct].parse::<f64>().unwrap(),
                        printed.parse::<f64>().unwrap(),
                        "{} {}",
                        &rec[1],
                        &rec[3]
                    );
                    checked += 1;
                }
            }
        }
        // 79 transcribed rows (units and the two Total rows), two shares each, less the nine `*`.
        assert_eq!(checked, 79 * 2 - 9);
        // OUS: 1 011 / 21 346 − 5 062 / 87 424 = 4.736 − 5.790 = −1.05 pp → flagged; St. Olavs
        // 1 293 / 21 346 − 6 340 / 87 424 = 6.057 − 7.252 = −1.19 pp.
        let flagged = |rows: &[Vec<String>]| -> Vec<String> {
            rows.iter()
                .filter(|r| r[7] == "true")
                .map(|r| r[1].clone())
                .collect()
        };
        assert_eq!(
            flagged(&t42),
            ["Oslo universitetssykehus HF", "St. Olavs Hospital HF"]
        );
        assert_eq!(row(&t42, "PHV", "Oslo universitetssykehus HF")[6], "-1.1");
        // TSB Helse Bergen 294 / 3 199 − 1 953 / 17 257 = 9.190 − 11.317 = −2.1 pp.
        assert_eq!(row(&t43, "TSB", "Helse Bergen HF")[6], "-2.1");
        for unit in [
            "Helse Bergen HF",
            "Oslo universitetssykehus HF",
            "St. Olavs Hospital HF",
            "A-senteret",
            "Vestre Viken HF",
        ] {
            assert!(flagged(&t43).iter().any(|f| f == unit), "{unit}");
        }
        assert_eq!(
            row(&t42, "PHV", "Total")[2..6],
            ["87424", "100", "21346", "100"]
        );
        assert_eq!(
            row(&t42, "PHV", "Viken senter for psykiatri og sjelesorg")[2..],
            ["*", "", "*", "", "", "false"]
        );
        assert!(t42.iter().all(|r| r[0] == "PHV") && t43.iter().all(|r| r[0] == "TSB"));
    }

    #[test]
    fn a_count_below_ten_is_suppressed_in_the_unit_tables_with_its_share() {
        let csv = "sektor,populasjon,inndeling,kategori,antall\n\
                   TSB,totalpop,helseforetak,A,90\nTSB,utvalg,helseforetak,A,9\n\
                   TSB,totalpop,helseforetak,B,10\nTSB,utvalg,helseforetak,B,10\n";
        let a = read_population_aggregates("u.csv", csv.as_bytes());
        let t = table(&a, "4-3");
        // No Total rows: the bases are the sums, 100 and 19. A: 9 respondents → `*`.
        assert_eq!(t[0][1..6], ["A", "90", "90", "*", ""]);
        // B: 10 / 100 = 10.0 %, 10 / 19 = 52.6 %, +42.6 pp.
        assert_eq!(t[1][1..8], ["B", "10", "10", "10", "52.6", "42.6", "true"]);
        assert_eq!(t[2][1..6], ["Total", "100", "100", "19", "100"]);
    }

    #[test]
    fn table_4_4_by_region_and_sex() {
        let a = read_population_aggregates("4-4.csv", TABLE_4_4.as_bytes());
        assert_eq!((a.rows_read, a.rows_rejected), (24, 0), "{:?}", a.issues);
        let t = table(&a, "4-4");
        // Midt-Norge 2 402 / 26 227 = 9.158 → 9.2; 810 / 8 913 = 9.088 → 9.1; Vest 5 526 /
        // 26 227 = 21.07 → 21.1, 1 913 / 8 913 = 21.46 → 21.5; women in Vest 4 008 / 5 526 =
        // 72.53 → 72.5 ("73 prosent").
        assert_eq!(
            row(&t, "AVT", "Helse Midt-Norge")[2..8],
            ["703", "1699", "2402", "9.2", "810", "9.1"]
        );
        assert_eq!(row(&t, "AVT", "Helse Nord")[5..8], ["5.9", "581", "6.5"]);
        assert_eq!(
            row(&t, "AVT", "Helse Sør-Øst")[5..8],
            ["63.8", "5596", "62.8"]
        );
        assert_eq!(row(&t, "AVT", "Helse Vest")[5..8], ["21.1", "1913", "21.5"]);
        assert_eq!(row(&t, "AVT", "Helse Vest")[10], "72.5");
        assert_eq!(
            row(&t, "AVT", "Ukjent")[2..8],
            ["4", "19", "23", "0.1", "13", "0.1"]
        );
        // The Total row as printed; women 18 564 / 26 227 = 70.78 → 70.8 ("71 prosent").
        assert_eq!(
            row(&t, "AVT", "Total")[2..8],
            ["7663", "18564", "26227", "100", "8913", "100"]
        );
        assert_eq!(row(&t, "AVT", "Total")[10], "70.8");
        // Sør-Øst 62.79 − 63.77 = −0.99 pp: not above one point.
        assert_eq!(row(&t, "AVT", "Helse Sør-Øst")[8..10], ["-1", "false"]);
    }

    #[test]
    fn table_4_5_women_shares_by_population() {
        let a = report();
        let t = table(&a, "4-5");
        let women = |s: &str| -> Vec<String> {
            t.iter()
                .filter(|r| r[0] == s)
                .map(|r| r[5].clone())
                .collect()
        };
        // PHV 53 847 / 87 164 = 61.78, 54 221 / 87 465 = 61.99, 89 847 / 147 954 = 60.73,
        // 14 573 / 21 346 = 68.27.
        assert_eq!(women("PHV"), ["61.8", "62", "60.7", "68.3"]);
        assert_eq!(women("TSB"), ["35.1", "35.6", "34", "42.4"]);
        assert_eq!(women("AVT"), ["70.8", "71", "69.3", "74.9"]);
        // Totals are women + men: 87 164 (not Table 4-1's 87 424, survey.md [INCONSISTENT]).
        assert_eq!(
            row(&t, "PHV", "totalpop")[2..5],
            ["53847", "33317", "87164"]
        );
        // TSB respondents: 1 355 / 3 199 − 6 129 / 17 439 = 42.357 − 35.145 = 7.21 pp ("sju
        // prosentpoeng flere kvinner").
        assert_eq!(row(&t, "TSB", "utvalg")[6..8], ["7.2", "true"]);
        // The same period a year before: 54 221 / 87 465 − 61.776 = +0.22 pp, not flagged.
        assert_eq!(row(&t, "PHV", "forrige_periode")[6..8], ["0.2", "false"]);
        assert_eq!(row(&t, "PHV", "totalpop")[6..8], ["", "false"]);
    }

    #[test]
    fn table_4_6_region_shares_of_every_population() {
        let a = report();
        let t = table(&a, "4-6");
        let shares = |s: &str, region: &str| -> Vec<String> {
            let r = row(&t, s, region);
            vec![r[3].clone(), r[5].clone(), r[7].clone(), r[9].clone()]
        };
        // survey.md §5.1: PHV Nord 8.8/8.8/8.6/9.7 (7 685 / 87 164 = 8.82, …, 2 061 / 21 346 =
        // 9.66), Sør-Øst 54.5/53.6/54.1/56.1, Andre 3.0/2.7/2.9/1.4.
        assert_eq!(shares("PHV", "Helse Nord"), ["8.8", "8.8", "8.6", "9.7"]);
        assert_eq!(
            shares("PHV", "Helse Midt-Norge"),
            ["14.3", "15.7", "15", "13.1"]
        );
        assert_eq!(
            shares("PHV", "Helse Vest"),
            ["19.4", "19.2", "19.5", "19.7"]
        );
        assert_eq!(
            shares("PHV", "Helse Sør-Øst"),
            ["54.5", "53.6", "54.1", "56.1"]
        );
        assert_eq!(shares("PHV", "Andre"), ["3", "2.7", "2.9", "1.4"]);
        assert_eq!(shares("TSB", "Helse Nord"), ["6.1", "5.5", "6.1", "6.4"]);
        assert_eq!(shares("TSB", "Helse Vest"), ["21.5", "22.8", "20", "19.6"]);
        assert_eq!(
            shares("TSB", "Helse Sør-Øst"),
            ["62", "60.7", "62.9", "64.4"]
        );
        assert_eq!(shares("TSB", "Andre"), ["0", "0", "0", "0"]);
        assert_eq!(
            shares("AVT", "Helse Midt-Norge"),
            ["9.2", "8.3", "8.8", "9.1"]
        );
        assert_eq!(
            shares("AVT", "Helse Vest"),
            ["21.1", "24.1", "24.6", "21.5"]
        );
        assert_eq!(shares("AVT", "Andre"), ["0", "0.1", "0.2", "0.1"]);
        // "Landet" = the column sums: TSB 17 439 / 17 076 / 26 721 / 3 199.
        let total = row(&t, "TSB", "Total");
        assert_eq!(
            [&total[2], &total[4], &total[6], &total[8]],
            ["17439", "17076", "26721", "3199"]
        );
        // TSB Helse Vest: 626 / 3 199 − 3 752 / 17 439 = 19.569 − 21.515 = −1.946 pp, flagged.
        assert_eq!(row(&t, "TSB", "Helse Vest")[10..12], ["-1.9", "true"]);
    }

    #[test]
    fn tables_4_8_and_4_9_diagnosis_shares() {
        let a = report();
        let t = table(&a, "4-8");
        let find = |t: &[Vec<String>], s: &str, d: &str| -> Vec<String> {
            t.iter()
                .find(|r| r[0] == s && r[1] == "diagnose_1" && r[2] == d)
                .unwrap_or_else(|| panic!("{s} {d}"))
                .clone()
        };
        // Schizophrenia, PHV: 5 703 / 97 629 = 5.84 → 5.8 % of the Sum row (survey.md §4.2:
        // "seks prosent"), against 2 % of the respondents.
        let schizo = "Schizofreni/Schizotyp lidelse/Paranoide lidelser";
        assert_eq!(
            find(&t, "PHV", schizo)[3..7],
            ["3705", "1998", "5703", "5.8"]
        );
        // Depression 13 807 / 97 629 = 14.14; Angst 5 833 / 97 629 = 5.97; Annet 33.73.
        assert_eq!(find(&t, "PHV", "Depresjon")[6], "14.1");
        assert_eq!(find(&t, "PHV", "Angstlidelse")[6], "6");
        assert_eq!(find(&t, "PHV", "Annet")[6], "33.7");
        // TSB: substance use 13 421 / 19 360 = 69.32; "*" men with eating disorders stays "*".
        assert_eq!(
            find(
                &t,
                "TSB",
                "Skadelig bruk av rusmidler og rusmiddelavhengighet"
            )[6],
            "69.3"
        );
        assert_eq!(
            find(&t, "TSB", "Spiseforstyrrelse")[3..7],
            ["*", "16", "16", "0.1"]
        );
        // AVT: "*" women with non-substance addiction, total 11 as printed: 11 / 26 869 = 0.04.
        assert_eq!(
            find(&t, "AVT", "Avhengighet (ikke rusrelatert)")[3..7],
            ["11", "*", "11", "0"]
        );
        assert_eq!(
            find(&t, "PHV", "Sum")[3..7],
            ["37011", "60618", "97629", "100"]
        );
        // Without the Sum row the sums of the groups: men 1 778 + 851 + … + 12 492 = 37 011;
        // TSB's women include no `*`, its men do (Spiseforstyrrelse), so their sum is `*`.
        let no_sum: String = REPORT
            .lines()
            .filter(|l| !l.contains(";diagnose_1;Sum;"))
            .map(|l| format!("{l}\n"))
            .collect();
        let b = read_population_aggregates("no_sum.csv", no_sum.as_bytes());
        let tb = table(&b, "4-8");
        assert_eq!(
            find(&tb, "PHV", "Sum")[3..7],
            ["37011", "60618", "97629", "100"]
        );
        assert_eq!(find(&tb, "TSB", "Sum")[3..6], ["*", "6745", "19360"]);
        assert_eq!(find(&tb, "PHV", schizo)[6], "5.8");
        // No respondents' diagnoses in this file: those columns are empty.
        assert_eq!(find(&t, "PHV", "Depresjon")[7..11], ["", "", "", "false"]);
        // Table 4-9 (2022): schizophrenia 7 536 / 190 575 = 3.95 → 4.0; TSB substance use
        // 21 186 / 31 332 = 67.62; the Sum rows.
        let t9 = table(&a, "4-9");
        assert_eq!(find(&t9, "PHV", schizo)[5..7], ["7536", "4"]);
        assert_eq!(
            find(
                &t9,
                "TSB",
                "Skadelig bruk av rusmidler og rusmiddelavhengighet"
            )[6],
            "67.6"
        );
        assert_eq!(
            find(&t9, "AVT", "Sum")[3..7],
            ["12622", "28682", "41304", "100"]
        );
        assert_eq!(t9[0].len(), 7, "no respondent columns in 4-9");
        // Table 4-7 is shown with the diagnosis tables.
        assert_eq!(table(&a, "4-7").len(), 13);
    }

    #[test]
    fn respondents_diagnoses_are_compared_with_the_population() {
        // Respondents' own answers against the population's 1st main condition: 2 % of 100
        // respondents vs 5 703 / 97 629 = 5.84 % → −3.84 pp; base = the respondents' Total row.
        let csv = "sektor;populasjon;inndeling;kategori;antall\n\
                   PHV;totalpop;diagnose_1;Schizofreni;5703\n\
                   PHV;totalpop;diagnose_1;Annet;91926\n\
                   PHV;utvalg;diagnose_1;Schizofreni;2\n\
                   PHV;utvalg;diagnose_1;Annet;120\n\
                   PHV;utvalg;diagnose_1;Total;100\n";
        let a = read_population_aggregates("d.csv", csv.as_bytes());
        let t = table(&a, "4-8");
        assert_eq!(
            t[0][2..],
            [
                "Schizofreni",
                "",
                "",
                "5703",
                "5.8",
                "2",
                "2",
                "-3.8",
                "true"
            ]
        );
        assert_eq!(t[2][2..9], ["Sum", "", "", "97629", "100", "100", "100"]);
    }

    #[test]
    fn bad_rows_are_counted_positioned_and_bilingual() {
        let csv = "sector,population,breakdown,category,sex,count\n\
                   PHV,totalpop,total,,,100\n\
                   PHV,visitors,total,,,5\n\
                   PHV,utvalg,region,Helse Nord,,1x\n\
                   PHV,utvalg,kjonn,Annet,,3\n\
                   PHV,totalpop,total,,,100\n\
                   PHV,utvalg,region,Helse Nord,,*\n\
                   PHV,utvalg,region,Helse Vest,,\n\
                   ,utvalg,total,,,5\n";
        let a = read_population_aggregates("agg.csv", csv.as_bytes());
        assert_eq!((a.rows_read, a.rows_rejected, a.records.len()), (8, 6, 2));
        let lines: Vec<String> = a.issues.iter().map(|i| i.render(Lang::En)).collect();
        assert!(
            lines[0].starts_with("agg.csv:3:2 (population): found «visitors», expected totalpop"),
            "{}",
            lines[0]
        );
        assert!(
            lines[1].starts_with("agg.csv:4:6 (count): found «1x», expected a whole number"),
            "{}",
            lines[1]
        );
        assert!(
            lines[2].starts_with("agg.csv:5:4 (category): found «Annet», expected Kvinne or Mann"),
            "{}",
            lines[2]
        );
        assert!(lines[3].starts_with("agg.csv:6: found"), "{}", lines[3]);
        assert!(lines[3].contains("a repeat"));
        assert!(
            lines[4].starts_with("agg.csv:8:6 (count): found «»"),
            "{}",
            lines[4]
        );
        assert!(lines[5].starts_with("agg.csv:9:1 (sector)"), "{}", lines[5]);
        assert!(a.issues[1]
            .render(Lang::Nb)
            .contains("forventet et heltall"));
        // `*` is suppressed, not 0.
        assert_eq!(
            a.count(
                "PHV",
                Population::Respondents,
                Breakdown::Region,
                Some("Helse Nord"),
                None
            ),
            Count::Suppressed
        );
        // A header without the needed columns: every row rejected, the header named.
        let b = read_population_aggregates("x.csv", b"sektor,antall\nPHV,3\n");
        assert_eq!((b.rows_read, b.rows_rejected), (1, 1));
        assert!(b.issues[0]
            .render(Lang::En)
            .contains("the columns populasjon, inndeling"));
        let c =
            read_population_aggregates("y.csv", b"sektor;totalpop;mottakspop;utvalg\nPHV;1x;2;3\n");
        assert_eq!((c.rows_read, c.rows_rejected), (1, 1));
        assert!(c.issues[0]
            .render(Lang::En)
            .starts_with("y.csv:2:2 (totalpop)"));
    }

    #[test]
    fn a_workbook_is_read_like_csv() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        let rows: [[&str; 5]; 3] = [
            ["Sektor", "Populasjon", "Inndeling", "Kategori", "Antall"],
            ["PHV", "totalpop", "helseregion", "Helse Nord", "7685"],
            ["PHV", "utvalg", "helseregion", "Helse Nord", "*"],
        ];
        for (r, cells) in rows.iter().enumerate() {
            for (c, v) in cells.iter().enumerate() {
                match v.parse::<f64>() {
                    Ok(x) => ws.write_number(r as u32, c as u16, x).map(|_| ()),
                    Err(_) => ws.write_string(r as u32, c as u16, *v).map(|_| ()),
                }
                .unwrap();
            }
        }
        let bytes = wb.save_to_buffer().unwrap();
        let a = read_population_aggregates("agg.xlsx", &bytes);
        assert_eq!((a.rows_read, a.rows_rejected), (2, 0), "{:?}", a.issues);
        assert_eq!(
            a.count(
                "PHV",
                Population::Total,
                Breakdown::Region,
                Some("Helse Nord"),
                None
            ),
            Count::N(7685)
        );
    }

    #[test]
    fn the_long_csv_has_one_line_per_cell() {
        let a = report();
        let tables = render_all(&a);
        let ids: Vec<&str> = tables.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(
            ids,
            ["4-1", "4-2", "4-3", "4-5", "4-6", "4-7", "4-8", "4-9"]
        );
        let long = long_csv(&tables);
        let cells: usize = tables
            .iter()
            .map(|t| t.rows.len() * (t.columns.len() - t.keys))
            .sum();
        assert_eq!(long.lines().count(), cells + 1);
        assert!(long.contains(
            "\n4-8,PHV,diagnose_1 / Schizofreni/Schizotyp lidelse/Paranoide lidelser,total_pct,5.8\n"
        ));
        assert!(long.contains("\n4-1,Totalt,,rate_recipients,27.06\n"));
    }
}
