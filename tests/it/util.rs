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
    let sources: Vec<SourceFile<'_>> = files
        .iter()
        .map(|f| SourceFile {
            name: &f.name,
            bytes: &f.bytes,
            kind: None,
        })
        .collect();
    load(&sources, &ReadOptions::default())
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
}

impl Row {
    fn render(&self) -> String {
        format!(
            "{},{},{},{},{}",
            self.key.join(","),
            self.numerator,
            self.denominator,
            self.value,
            self.suppressed
        )
    }
}

/// Parses a long-table CSV (header checked); blank lines and lines starting with `#` are skipped.
pub fn parse_long_table(text: &str, what: &str) -> Vec<Row> {
    let body: String = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(body.as_bytes());
    let header = reader
        .headers()
        .unwrap_or_else(|e| panic!("{what}: {e}"))
        .iter()
        .collect::<Vec<_>>()
        .join(",");
    assert_eq!(
        header,
        forlop_core::output::LONG_TABLE_HEADER,
        "{what}: header"
    );
    reader
        .records()
        .map(|r| {
            let r = r.unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(r.len(), 9, "{what}: row {r:?} does not have 9 fields");
            Row {
                key: [
                    r[0].to_string(),
                    r[1].to_string(),
                    r[2].to_string(),
                    r[3].to_string(),
                    r[4].to_string(),
                ],
                numerator: r[5].to_string(),
                denominator: r[6].to_string(),
                value: r[7].to_string(),
                suppressed: r[8].to_string(),
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
        let text = format!("{}\n{line}\n", forlop_core::output::LONG_TABLE_HEADER);
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
    fn zero_must_be_exactly_zero() {
        assert!(values_agree("0", "0"));
        assert!(!values_agree("0", "0.000000001"));
        assert!(values_agree("1.5", "1.5000000000000002"));
        assert!(!values_agree("1.5", ""));
    }
}
