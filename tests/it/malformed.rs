//! The malformed-input corpus of issue 14: a clean `forlop synth --persons 300 --seed 1
//! --year 2021` extract, one defect at a time, read as the CLI reads a directory (the table
//! kind from the file name). Every case states the exact findings (code, file, line, column)
//! and the exact long table that must come out: the clean extract's with the bad rows removed
//! (computed from the clean bytes minus those lines), or the table unavailable (computed from
//! the clean extract without that file). Never a silent loss, double count or mojibake.

use forlop_core::ingest::{load, Loaded, ReadOptions, SourceFile};
use forlop_core::model::TableKind;
use forlop_core::output::write_long_table_csv;
use forlop_core::quality::{Issue, IssueKind, Severity, TextEncoding};
use forlop_core::{analyse, Report, Settings};
use forlop_synth::{generate, FileFormat, SynthConfig};

type Files = Vec<(String, Vec<u8>)>;

fn clean() -> Files {
    let e = generate(&SynthConfig {
        persons: 300,
        seed: 1,
        year: 2021,
        defects: false,
        format: FileFormat::Canonical,
    });
    e.files.into_iter().map(|f| (f.name, f.bytes)).collect()
}

/// The table kind from the file name, as `forlop`'s data directory reader decides it.
fn kind_of(name: &str) -> Option<TableKind> {
    let stem = name
        .rsplit_once('.')
        .map_or(name, |(s, _)| s)
        .to_lowercase();
    TableKind::ALL
        .into_iter()
        .find(|k| stem == k.canonical_name() || stem == k.norwegian_name())
}

struct Run {
    loaded: Loaded,
    report: Report,
    long: String,
}

fn run_with(files: &Files, options: &ReadOptions) -> Run {
    let sources: Vec<SourceFile<'_>> = files
        .iter()
        .map(|(name, bytes)| SourceFile {
            name,
            bytes,
            kind: kind_of(name),
        })
        .collect();
    let loaded = load(&sources, options);
    for f in &loaded.quality.files {
        assert_eq!(f.rows_read, f.rows_used + f.rows_rejected, "{}", f.name);
    }
    let report = analyse(&loaded.tables, &Settings::for_year(2021));
    let mut bytes = Vec::new();
    write_long_table_csv(report.long_rows(), &mut bytes);
    let long = String::from_utf8(bytes).expect("the long table is UTF-8");
    Run {
        loaded,
        report,
        long,
    }
}

fn run(files: &Files) -> Run {
    run_with(files, &ReadOptions::default())
}

fn get<'f>(files: &'f mut Files, name: &str) -> &'f mut Vec<u8> {
    &mut files.iter_mut().find(|(n, _)| n == name).expect(name).1
}

fn text(files: &Files, name: &str) -> String {
    let bytes = &files.iter().find(|(n, _)| n == name).expect(name).1;
    String::from_utf8(bytes.clone()).expect("synth's canonical files are UTF-8")
}

/// Replaces physical line `n` (1-based) of a file with `f(line)`; `None` deletes it.
fn edit_line(files: &mut Files, name: &str, n: usize, f: impl Fn(&str) -> Option<String>) {
    let t = text(files, name);
    let mut lines: Vec<String> = t.split('\n').map(str::to_string).collect();
    match f(&lines[n - 1]) {
        Some(l) => lines[n - 1] = l,
        None => {
            lines.remove(n - 1);
        }
    }
    *get(files, name) = lines.join("\n").into_bytes();
}

fn without_line(name: &str, n: usize) -> Files {
    let mut files = clean();
    edit_line(&mut files, name, n, |_| None);
    files
}

fn without_file(name: &str) -> Files {
    clean().into_iter().filter(|(n, _)| n != name).collect()
}

/// `(code, file, line, column)` of every issue kept, fatal ones included, sorted.
fn findings(l: &Loaded) -> Vec<(&'static str, String, u64, Option<usize>)> {
    let mut out: Vec<_> = l
        .quality
        .files
        .iter()
        .flat_map(|f| f.fatal.iter().chain(f.examples.values().flatten()))
        .map(|i: &Issue| {
            (
                i.kind.code(),
                i.location.file.to_string(),
                i.location.line,
                i.location.column.as_ref().map(|c| c.index),
            )
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

fn f(
    code: &'static str,
    file: &str,
    line: u64,
    col: Option<usize>,
) -> (&'static str, String, u64, Option<usize>) {
    (code, file.to_string(), line, col)
}

/// The table is unavailable: its field empty, one unusable entry with `code`, and every
/// indicator that needs it listed as unavailable with no rows.
fn assert_unavailable(r: &Run, kind: TableKind, code: &str) {
    let u = &r.loaded.tables.unusable;
    assert_eq!(u.len(), 1, "{u:?}");
    assert_eq!((u[0].kind, u[0].issue.kind.code()), (kind, code));
    assert_eq!(u[0].issue.severity, Severity::Rejected);
    assert!(!r.loaded.tables.has(kind));
    let needing: Vec<&str> = r
        .report
        .unavailable
        .iter()
        .filter(|x| x.missing.contains(&kind))
        .map(|x| x.indicator)
        .collect();
    assert!(!needing.is_empty());
    for id in needing {
        assert!(
            !r.report.long_rows().any(|row| row.indicator == id),
            "{id} has rows"
        );
    }
}

#[test]
fn the_clean_extract_reads_without_findings() {
    let r = run(&clean());
    assert_eq!(findings(&r.loaded), vec![]);
    assert!(r.loaded.tables.unusable.is_empty());
}

#[test]
fn unclosed_quote_in_episodes_loses_one_row_not_5460() {
    let mut files = clean();
    edit_line(&mut files, "episodes.csv", 466, |l| {
        assert!(l.contains(",PAM,"), "{l}");
        Some(l.replacen(",PAM,", ",\"PAM,", 1))
    });
    let r = run(&files);
    // 5 925 rows: the header is line 1, the last row line 5 926; the quote swallows 466..=5926.
    assert_eq!(
        findings(&r.loaded),
        vec![f("unclosed_quote", "episodes.csv", 466, None)]
    );
    let e = r
        .loaded
        .quality
        .files
        .iter()
        .find(|f| f.name == "episodes.csv")
        .unwrap();
    assert_eq!((e.rows_read, e.rows_used, e.rows_rejected), (5925, 5924, 1));
    assert_eq!(
        e.examples["unclosed_quote"][0].kind,
        IssueKind::UnclosedQuote { lines: 5461 }
    );
    assert_eq!(r.long, run(&without_line("episodes.csv", 466)).long);
}

#[test]
fn unclosed_quote_in_persons_loses_one_person_not_290() {
    let mut files = clean();
    edit_line(&mut files, "persons.csv", 11, |l| Some(format!("\"{l}")));
    let r = run(&files);
    let expected = run(&without_line("persons.csv", 11));
    assert_eq!(r.loaded.tables.persons.len(), 299);
    // That person's episodes etc. are rejected as unknown_person exactly as when the row is
    // absent; the only extra finding is the quote.
    let mut want = findings(&expected.loaded);
    want.push(f("unclosed_quote", "persons.csv", 11, None));
    want.sort();
    assert_eq!(findings(&r.loaded), want);
    assert_eq!(r.long, expected.long);
}

#[test]
fn one_table_in_two_files_is_refused_not_counted_twice() {
    let mut files = clean();
    let episodes = text(&files, "episodes.csv");
    files.push(("opphold.csv".into(), episodes.into_bytes()));
    let r = run(&files);
    assert_eq!(
        findings(&r.loaded),
        vec![
            f("duplicate_table", "episodes.csv", 1, None),
            f("duplicate_table", "opphold.csv", 1, None)
        ]
    );
    assert_eq!(
        r.loaded.tables.unusable[0].issue.kind,
        IssueKind::DuplicateTable {
            table: "episodes",
            files: vec!["episodes.csv".into(), "opphold.csv".into()]
        }
    );
    assert_unavailable(&r, TableKind::Episodes, "duplicate_table");
    assert_eq!(r.long, run(&without_file("episodes.csv")).long);
}

#[test]
fn a_stray_windows_1252_byte_is_replaced_on_its_line_not_the_whole_file_re_decoded() {
    let mut files = clean();
    get(&mut files, "areas.csv").extend_from_slice(b"9999,x\xf8,Foo,Bar\n");
    let r = run(&files);
    assert_eq!(
        findings(&r.loaded),
        vec![f("invalid_utf8", "areas.csv", 41, None)]
    );
    let a = r
        .loaded
        .quality
        .files
        .iter()
        .find(|f| f.name == "areas.csv")
        .unwrap();
    assert_eq!(a.encoding, Some(TextEncoding::Utf8));
    // Exactly as if the line had held U+FFFD in valid UTF-8.
    let mut expected = clean();
    get(&mut expected, "areas.csv").extend_from_slice("9999,x\u{FFFD},Foo,Bar\n".as_bytes());
    assert_eq!(r.long, run(&expected).long);
    assert!(!r.long.contains('Ã'));
}

#[test]
fn a_file_that_is_not_the_table_makes_it_unavailable() {
    let mut files = clean();
    *get(&mut files, "episodes.csv") = b"hello world".to_vec();
    let r = run(&files);
    assert_eq!(
        findings(&r.loaded),
        vec![f("unknown_table", "episodes.csv", 1, None)]
    );
    assert_unavailable(&r, TableKind::Episodes, "unknown_table");
    assert_eq!(r.long, run(&without_file("episodes.csv")).long);
}

#[test]
fn a_missing_required_column_is_one_message_and_the_table_unavailable() {
    let mut files = clean();
    let t = text(&files, "episodes.csv");
    assert!(t.starts_with("pid,sector,care_level,admit_date,"));
    // Drop the 4th field (admit_date) of every line.
    let cut: Vec<String> = t
        .split('\n')
        .map(|l| {
            let mut v: Vec<&str> = l.split(',').collect();
            if v.len() > 3 {
                v.remove(3);
            }
            v.join(",")
        })
        .collect();
    *get(&mut files, "episodes.csv") = cut.join("\n").into_bytes();
    let r = run(&files);
    assert_eq!(
        findings(&r.loaded),
        vec![f("missing_column", "episodes.csv", 1, None)]
    );
    assert_eq!(
        r.loaded.tables.unusable[0]
            .issue
            .render(forlop_core::text::Lang::En),
        "episodes.csv:1: the table lacks the required column admit_date; no row can be used"
    );
    assert_unavailable(&r, TableKind::Episodes, "missing_column");
    assert_eq!(r.long, run(&without_file("episodes.csv")).long);
}

#[test]
fn every_row_rejected_makes_the_table_unavailable_not_zero() {
    let mut files = clean();
    // Every pid unknown.
    let t = text(&files, "primary_care.csv");
    let mut lines = t.split('\n');
    let header = lines.next().unwrap().to_string();
    let body: Vec<String> = lines
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("zz{l}")
            }
        })
        .collect();
    *get(&mut files, "primary_care.csv") = format!("{header}\n{}", body.join("\n")).into_bytes();
    let r = run(&files);
    let p = r
        .loaded
        .quality
        .files
        .iter()
        .find(|f| f.name == "primary_care.csv")
        .unwrap();
    assert_eq!((p.rows_read, p.rows_used, p.rows_rejected), (4859, 0, 4859));
    assert_eq!(p.counts["unknown_person"], 4859);
    assert_eq!(p.counts["no_usable_rows"], 1);
    assert_unavailable(&r, TableKind::PrimaryCare, "no_usable_rows");
    assert_eq!(r.long, run(&without_file("primary_care.csv")).long);
}

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

#[test]
fn utf16_with_and_without_bom_reads_like_the_clean_file() {
    let mut files = clean();
    // Excel's "Unicode text": UTF-16 LE with BOM, tab-separated, CRLF, named .txt.
    let persons = text(&files, "persons.csv")
        .replace(',', "\t")
        .replace('\n', "\r\n");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(utf16le(&persons));
    files.retain(|(n, _)| n != "persons.csv");
    files.push(("persons.txt".into(), bytes));
    // And population in UTF-16 LE without a BOM.
    let population = utf16le(&text(&files, "population.csv"));
    *get(&mut files, "population.csv") = population;
    let r = run(&files);
    assert_eq!(findings(&r.loaded), vec![]);
    let enc = |name: &str| {
        r.loaded
            .quality
            .files
            .iter()
            .find(|f| f.name == name)
            .unwrap()
            .encoding
    };
    assert_eq!(enc("persons.txt"), Some(TextEncoding::Utf16Le));
    assert_eq!(enc("population.csv"), Some(TextEncoding::Utf16Le));
    assert_eq!(r.long, run(&clean()).long);
}

#[test]
fn cr_only_line_ends_keep_line_numbers() {
    let mut files = clean();
    edit_line(&mut files, "persons.csv", 9, |l| {
        let mut v: Vec<String> = l.split(',').map(str::to_string).collect();
        v[1] = "19x0".into();
        Some(v.join(","))
    });
    let cr = text(&files, "persons.csv").replace('\n', "\r");
    *get(&mut files, "persons.csv") = cr.into_bytes();
    let r = run(&files);
    let expected = run(&without_line("persons.csv", 9));
    let mut want = findings(&expected.loaded);
    want.push(f("bad_number", "persons.csv", 9, Some(2)));
    want.sort();
    assert_eq!(findings(&r.loaded), want);
    assert_eq!(r.long, expected.long);
}

#[test]
fn size_and_inflation_caps_make_the_table_unavailable() {
    let files = clean();
    let options = ReadOptions {
        max_file_bytes: 400_000,
        ..ReadOptions::default()
    };
    let r = run_with(&files, &options);
    // episodes.csv is the only file above 400 000 bytes.
    assert_eq!(
        findings(&r.loaded),
        vec![f("file_too_large", "episodes.csv", 1, None)]
    );
    assert_unavailable(&r, TableKind::Episodes, "file_too_large");
    assert_eq!(r.long, run(&without_file("episodes.csv")).long);

    // population as a workbook: read like the CSV, refused above an inflation cap.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, line) in text(&files, "population.csv").lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            ws.write_string(r as u32, c as u16, cell).unwrap();
        }
    }
    let xlsx = wb.save_to_buffer().unwrap();
    let mut with_xlsx: Files = files
        .iter()
        .filter(|(n, _)| n != "population.csv")
        .cloned()
        .collect();
    with_xlsx.push(("population.xlsx".into(), xlsx));
    assert_eq!(run(&with_xlsx).long, run(&files).long);
    let options = ReadOptions {
        max_inflated_bytes: 10_000,
        ..ReadOptions::default()
    };
    let r = run_with(&with_xlsx, &options);
    assert_eq!(
        findings(&r.loaded),
        vec![f("xlsx_too_large", "population.xlsx", 1, None)]
    );
    assert_unavailable(&r, TableKind::Population, "xlsx_too_large");
    assert_eq!(r.long, run(&without_file("population.csv")).long);
}

#[test]
fn ragged_rows_repeated_columns_and_twice_listed_municipalities_are_shown() {
    let mut files = clean();
    // Line 4 with a field too many, line 5 with one too few (its empty last field dropped).
    edit_line(&mut files, "episodes.csv", 4, |l| {
        Some(format!("{l},extra"))
    });
    edit_line(&mut files, "episodes.csv", 5, |l| {
        assert!(l.ends_with(','), "{l}");
        Some(l[..l.len() - 1].to_string())
    });
    // A second municipality column (kommune) that is not read; the first one is.
    let persons: Vec<String> = text(&files, "persons.csv")
        .split('\n')
        .enumerate()
        .map(|(i, l)| match (i, l.is_empty()) {
            (0, _) => format!("{l},kommune"),
            (_, true) => String::new(),
            _ => format!("{l},4601"),
        })
        .collect();
    *get(&mut files, "persons.csv") = persons.join("\n").into_bytes();
    // Line 2 of areas again at the end (line 41): rejected, the first is used.
    let second = text(&files, "areas.csv")
        .split('\n')
        .nth(1)
        .unwrap()
        .to_string();
    get(&mut files, "areas.csv").extend_from_slice(format!("{second}\n").as_bytes());
    let r = run(&files);
    assert_eq!(
        findings(&r.loaded),
        vec![
            f("duplicate_municipality", "areas.csv", 41, Some(1)),
            f("ragged_row", "episodes.csv", 4, None),
            f("ragged_row", "episodes.csv", 5, None),
            f("repeated_column", "persons.csv", 1, Some(6)),
        ]
    );
    assert_eq!(r.long, run(&clean()).long);
}

#[test]
fn implausible_years_are_warned_about_with_the_analysis_year() {
    let mut files = clean();
    edit_line(&mut files, "persons.csv", 5, |l| {
        let mut v: Vec<String> = l.split(',').map(str::to_string).collect();
        v[1] = "2030".into();
        Some(v.join(","))
    });
    edit_line(&mut files, "persons.csv", 6, |l| {
        let mut v: Vec<String> = l.split(',').map(str::to_string).collect();
        v[4] = "1901-01-01".into();
        Some(v.join(","))
    });
    edit_line(&mut files, "episodes.csv", 2, |l| {
        let mut v: Vec<String> = l.split(',').map(str::to_string).collect();
        v[13] = "2031-01-01".into(); // letter_date
        Some(v.join(","))
    });
    let options = ReadOptions {
        analysis_year: Some(2021),
        ..ReadOptions::default()
    };
    let r = run_with(&files, &options);
    assert_eq!(
        findings(&r.loaded),
        vec![
            f("born_after_year", "persons.csv", 5, Some(2)),
            f("date_far_in_future", "episodes.csv", 2, Some(14)),
            f("death_before_birth", "persons.csv", 6, Some(5)),
        ]
    );
    // Warnings keep their rows.
    assert_eq!(r.loaded.tables.persons.len(), 300);
}
