//! Shared helpers of the golden and format tests: reading fixtures, running the engine, and
//! comparing long tables with failures that say which row and which field.

use forlop_core::ingest::{load, Loaded, ReadOptions, SourceFile};
use forlop_core::output::write_long_table_csv;
use forlop_core::quality::Issue;
use forlop_core::{analyse, Settings};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// `tests/fixtures`.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Every fixture directory name (`001-cohort-groups`, …), sorted.
pub fn fixture_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures exists")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// An input file held in memory: its name and bytes.
#[derive(Debug, Clone)]
pub struct InputFile {
    /// File name, e.g. `episodes.csv`.
    pub name: String,
    /// Raw bytes.
    pub bytes: Vec<u8>,
}

/// The files of `<fixture>/input`, sorted by name.
pub fn read_inputs(fixture: &str) -> Vec<InputFile> {
    let dir = fixtures_dir().join(fixture).join("input");
    let mut files: Vec<InputFile> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| InputFile {
            name: e.file_name().to_string_lossy().into_owned(),
            bytes: std::fs::read(e.path()).expect("readable fixture file"),
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}

/// `<fixture>/settings.json`, or the defaults.
pub fn read_settings(fixture: &str) -> Settings {
    let path = fixtures_dir().join(fixture).join("settings.json");
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: not a Settings: {e}", path.display())),
        Err(_) => Settings::default(),
    }
}

/// Reads the files with the default options, letting the reader recognise each table.
pub fn load_files(files: &[InputFile]) -> Loaded {
    let sources = unnamed_sources(files.iter().map(|f| (f.name.as_str(), f.bytes.as_slice())));
    load(&sources, &ReadOptions::default())
}

/// Files given to the reader by name and bytes, each table to be recognised from its header.
pub fn unnamed_sources<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> Vec<SourceFile<'a>> {
    files
        .into_iter()
        .map(|(name, bytes)| SourceFile {
            name,
            bytes,
            kind: None,
        })
        .collect()
}

/// Every issue the quality report kept (examples and fatal ones).
pub fn all_issues(loaded: &Loaded) -> Vec<&Issue> {
    let mut out = Vec::new();
    for f in &loaded.quality.files {
        out.extend(f.fatal.iter());
        for list in f.examples.values() {
            out.extend(list.iter());
        }
    }
    out
}

/// Panics, listing the issues, when any file was unreadable or any row was rejected: fixtures are
/// clean, so a rejection is a reader bug (or a fixture bug) and must not hide as a wrong number.
pub fn assert_nothing_rejected(loaded: &Loaded, what: &str) {
    let mut bad = String::new();
    for f in &loaded.quality.files {
        if f.fatal.is_some() || f.rows_rejected > 0 || f.kind.is_none() {
            let _ = writeln!(
                bad,
                "  {}: kind {:?}, {} rows read, {} rejected",
                f.name, f.kind, f.rows_read, f.rows_rejected
            );
        }
    }
    if !bad.is_empty() {
        for issue in all_issues(loaded) {
            let _ = writeln!(bad, "    {}", issue.render(forlop_core::text::Lang::En));
        }
        panic!("{what}: the reader rejected input that is clean:\n{bad}");
    }
}

/// Loads, analyses and writes the long table as CSV.
pub fn long_table_of(files: &[InputFile], settings: &Settings, what: &str) -> String {
    let loaded = load_files(files);
    assert_nothing_rejected(&loaded, what);
    let report = analyse(&loaded.tables, settings);
    let mut out = Vec::new();
    write_long_table_csv(report.long_rows(), &mut out);
    String::from_utf8(out).expect("the long table is UTF-8")
}

/// One row of a long-table CSV, as text.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// indicator, group, level, area, year
    pub key: [String; 5],
    /// Numerator as written (empty when absent).
    pub numerator: String,
    /// Denominator as written.
    pub denominator: String,
    /// Value as written.
    pub value: String,
    /// `true` / `false`.
    pub suppressed: String,
    /// `ci_low` and `ci_high` as written, when the table has those columns (the engine's does;
    /// the golden fixtures' expected files keep §6's nine columns).
    pub ci: Option<(String, String)>,
}

impl Row {
    fn render(&self) -> String {
        let ci = self
            .ci
            .as_ref()
            .map(|(l, h)| format!(",{l},{h}"))
            .unwrap_or_default();
        format!(
            "{},{},{},{},{}{ci}",
            self.key.join(","),
            self.numerator,
            self.denominator,
            self.value,
            self.suppressed
        )
    }
}

/// The nine columns of indicators.md §6, which every long table has.
pub const SPEC_COLUMNS: [&str; 9] = [
    "indicator",
    "group",
    "level",
    "area",
    "year",
    "numerator",
    "denominator",
    "value",
    "suppressed",
];

/// Parses a long-table CSV keyed on its column names (§6: further columns may follow the nine,
/// so a reader finds each by name): the nine must be there, in §6's order and first; `ci_low`
/// and `ci_high` are read when present; other further columns are ignored. Blank lines and
/// lines starting with `#` are skipped.
pub fn parse_long_table(text: &str, what: &str) -> Vec<Row> {
    let body: String = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(body.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap_or_else(|e| panic!("{what}: {e}"))
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header
            .iter()
            .take(9)
            .map(String::as_str)
            .collect::<Vec<_>>(),
        SPEC_COLUMNS,
        "{what}: the header starts with the nine columns of §6"
    );
    let col = |name: &str| header.iter().position(|h| h == name);
    let ci_cols = col("ci_low").zip(col("ci_high"));
    assert_eq!(
        col("ci_low").is_some(),
        col("ci_high").is_some(),
        "{what}: ci_low and ci_high come together"
    );
    let idx: Vec<usize> = SPEC_COLUMNS
        .iter()
        .map(|c| col(c).unwrap_or_else(|| panic!("{what}: no column {c}")))
        .collect();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap_or_else(|e| panic!("{what}: {e}"));
            let f = |i: usize| r[idx[i]].to_string();
            Row {
                key: [f(0), f(1), f(2), f(3), f(4)],
                numerator: f(5),
                denominator: f(6),
                value: f(7),
                suppressed: f(8),
                ci: ci_cols.map(|(l, h)| (r[l].to_string(), r[h].to_string())),
            }
        })
        .collect()
}

/// Values agree when equal within 1e-9 relative (exactly, for zero); both empty also agrees.
fn values_agree(expected: &str, actual: &str) -> bool {
    if expected == actual {
        return true;
    }
    match (expected.parse::<f64>(), actual.parse::<f64>()) {
        (Ok(e), Ok(a)) => {
            let scale = e.abs().max(a.abs());
            (e - a).abs() <= 1e-9 * scale
        }
        _ => false,
    }
}

/// The first field in which `actual` differs from `expected`, if any.
fn first_difference(expected: &Row, actual: &Row) -> Option<&'static str> {
    if expected.numerator != actual.numerator {
        return Some("numerator");
    }
    if expected.denominator != actual.denominator {
        return Some("denominator");
    }
    if !values_agree(&expected.value, &actual.value) {
        return Some("value");
    }
    if expected.suppressed != actual.suppressed {
        return Some("suppressed");
    }
    // The interval only when the expected table states one.
    if let (Some((el, eh)), Some((al, ah))) = (&expected.ci, &actual.ci) {
        if !values_agree(el, al) {
            return Some("ci_low");
        }
        if !values_agree(eh, ah) {
            return Some("ci_high");
        }
    }
    if expected.ci.is_some() && actual.ci.is_none() {
        return Some("ci_low");
    }
    None
}

/// Compares: every expected row must be in `actual` (by key) with the same numerator,
/// denominator, suppressed flag and a value within 1e-9 relative; no key in `absent`
/// (indicator, group, level, area) may appear in any year; no key may appear twice in `actual`.
/// Returns one readable message per failure.
pub fn table_failures(expected: &[Row], actual: &[Row], absent: &[[String; 4]]) -> Vec<String> {
    let mut by_key: BTreeMap<&[String; 5], Vec<&Row>> = BTreeMap::new();
    for r in actual {
        by_key.entry(&r.key).or_default().push(r);
    }
    let mut failures = Vec::new();
    for e in expected {
        match by_key.get(&e.key).map(Vec::as_slice) {
            None | Some([]) => {
                failures.push(format!("expected: {}\n  actual:   missing", e.render()))
            }
            Some([a]) => {
                if let Some(field) = first_difference(e, a) {
                    failures.push(format!(
                        "expected: {}\n  actual:   {}\n  first difference: {field}",
                        e.render(),
                        a.render()
                    ));
                }
            }
            Some(many) => failures.push(format!(
                "expected: {}\n  actual:   {} rows with this key: {}",
                e.render(),
                many.len(),
                many.iter()
                    .map(|r| r.render())
                    .collect::<Vec<_>>()
                    .join(" | ")
            )),
        }
    }
    for key in absent {
        for r in actual {
            if r.key[..4] == key[..] {
                failures.push(format!(
                    "expected absent: {}\n  actual:   {}",
                    key.join(","),
                    r.render()
                ));
            }
        }
    }
    failures
}

/// Parses `expected_absent.txt`: `indicator,group,level,area` per line; `#` comments.
pub fn parse_absent(text: &str, what: &str) -> Vec<[String; 4]> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let parts: Vec<&str> = l.split(',').collect();
            match parts.as_slice() {
                [i, g, lv, a] => [i.to_string(), g.to_string(), lv.to_string(), a.to_string()],
                _ => panic!("{what}: «{l}» is not indicator,group,level,area"),
            }
        })
        .collect()
}

/// Asserts that every expected row is in the actual long table (see [`table_failures`]),
/// printing the expected row, the actual row (or "missing") and the first differing field.
#[macro_export]
macro_rules! assert_table_eq {
    ($what:expr, $expected:expr, $actual:expr) => {
        $crate::assert_table_eq!($what, $expected, $actual, &[])
    };
    ($what:expr, $expected:expr, $actual:expr, $absent:expr) => {{
        let failures = $crate::util::table_failures($expected, $actual, $absent);
        if !failures.is_empty() {
            panic!(
                "{}: {} of {} expected rows / absent keys disagree:\n{}",
                $what,
                failures.len(),
                $expected.len() + $absent.len(),
                failures.join("\n")
            );
        }
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: &str) -> Row {
        let text = format!("{}\n{line}\n", SPEC_COLUMNS.join(","));
        parse_long_table(&text, "test").remove(0)
    }

    #[test]
    fn comparison_names_the_first_differing_field() {
        let e = row("smi.admitted,all,country,NO,2021,8,11,72.72727272727273,false");
        // 100 * 8 / 11 printed differently in the last digit: still equal within 1e-9.
        let close = row("smi.admitted,all,country,NO,2021,8,11,72.72727272727272,false");
        assert!(table_failures(std::slice::from_ref(&e), &[close], &[]).is_empty());
        let wrong = row("smi.admitted,all,country,NO,2021,8,12,66.66666666666667,false");
        let f = table_failures(std::slice::from_ref(&e), &[wrong], &[]);
        assert_eq!(f.len(), 1);
        assert!(f[0].contains("first difference: denominator"), "{}", f[0]);
        let f = table_failures(std::slice::from_ref(&e), &[], &[]);
        assert!(f[0].contains("missing"), "{}", f[0]);
        let hidden = row("smi.admitted,all,country,NO,2021,,,,true");
        let f = table_failures(&[e], &[hidden], &[]);
        assert!(f[0].contains("first difference: numerator"), "{}", f[0]);
    }

    #[test]
    fn absent_keys_and_duplicates_are_failures() {
        let a = row("smi.gp_contact,all,country,NO,2021,1,2,50,false");
        let absent = parse_absent("# comment\nsmi.gp_contact,all,country,NO\n", "test");
        assert_eq!(
            table_failures(&[], std::slice::from_ref(&a), &absent).len(),
            1
        );
        let e = row("smi.gp_contact,all,country,NO,2021,1,2,50,false");
        let f = table_failures(&[e], &[a.clone(), a], &[]);
        assert!(f[0].contains("2 rows with this key"), "{}", f[0]);
    }

    #[test]
    fn columns_are_found_by_name_and_intervals_compared_when_expected() {
        // The engine's eleven columns, and a further unknown one: read by name.
        let text = "indicator,group,level,area,year,numerator,denominator,value,suppressed,ci_low,ci_high,note\n\
                    smi.admitted,all,country,NO,2021,1,2,50,false,9.45,90.55,x\n";
        let a = parse_long_table(text, "test").remove(0);
        assert_eq!(a.value, "50");
        assert_eq!(a.ci, Some(("9.45".to_string(), "90.55".to_string())));
        // A nine-column expectation ignores the interval; one with an interval compares it.
        let e = row("smi.admitted,all,country,NO,2021,1,2,50,false");
        assert_eq!(e.ci, None);
        assert!(table_failures(std::slice::from_ref(&e), std::slice::from_ref(&a), &[]).is_empty());
        let mut e2 = e.clone();
        e2.ci = Some(("9.45".to_string(), "90.6".to_string()));
        let f = table_failures(&[e2], &[a], &[]);
        assert!(f[0].contains("first difference: ci_high"), "{}", f[0]);
    }

    #[test]
    #[should_panic(expected = "nine columns")]
    fn a_header_without_the_nine_first_is_refused() {
        parse_long_table(
            "indicator,group,level,area,year,numerator,value,denominator,suppressed\n",
            "test",
        );
    }

    #[test]
    fn zero_must_be_exactly_zero() {
        assert!(values_agree("0", "0"));
        assert!(!values_agree("0", "0.000000001"));
        assert!(values_agree("1.5", "1.5000000000000002"));
        assert!(!values_agree("1.5", ""));
    }
}
