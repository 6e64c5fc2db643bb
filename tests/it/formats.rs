//! The same data in the shapes Norwegian users actually have — `;`-separated Windows-1252 with
//! `DD.MM.YYYY` dates, and one Excel workbook per table with real date cells and municipality
//! codes that lost their leading zero — must give the very same long table as the canonical CSV.
//! Each golden fixture's input is converted here, in the test, so the fixtures stay canonical.

use crate::util::{
    all_issues, fixture_names, load_files, long_table_of, read_inputs, read_settings, InputFile,
};
use forlop_core::text::Lang;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

/// `YYYY-MM-DD` → `Some((y, m, d))`.
fn iso_date(s: &str) -> Option<(u16, u8, u8)> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &s[r];
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    Some((
        digits(0..4)? as u16,
        digits(5..7)? as u8,
        digits(8..10)? as u8,
    ))
}

/// The canonical CSV as header + records.
fn records(file: &InputFile) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(file.bytes.as_slice());
    let header = reader
        .headers()
        .expect("canonical header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| {
            r.expect("canonical row")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect();
    (header, rows)
}

/// (a) `;`, CRLF, Windows-1252, dates `DD.MM.YYYY`.
fn to_semicolon_cp1252(file: &InputFile) -> InputFile {
    let (header, rows) = records(file);
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer.write_record(&header).expect("write header");
    for row in rows {
        let row: Vec<String> = row
            .into_iter()
            .map(|cell| match iso_date(&cell) {
                Some((y, m, d)) => format!("{d:02}.{m:02}.{y:04}"),
                None => cell,
            })
            .collect();
        writer.write_record(&row).expect("write row");
    }
    let text = String::from_utf8(writer.into_inner().expect("flush")).expect("utf-8");
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(
        !unmappable,
        "{}: not representable in Windows-1252",
        file.name
    );
    InputFile {
        name: file.name.clone(),
        bytes: bytes.into_owned(),
    }
}

/// Columns written as Excel numbers (when the cell is all digits); everything else is text.
fn numeric_column(name: &str) -> bool {
    matches!(
        name,
        "municipality" | "birth_year" | "age" | "year" | "count"
    )
}

/// (b) one `.xlsx` per table: dates as date cells, codes such as `0301` as the number 301.
fn to_xlsx(file: &InputFile) -> InputFile {
    let (header, rows) = records(file);
    let mut workbook = Workbook::new();
    let date_format = Format::new().set_num_format("dd.mm.yyyy");
    let sheet = workbook.add_worksheet();
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, h).expect("header cell");
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            if cell.is_empty() {
                continue;
            }
            if let Some((y, m, d)) = iso_date(cell) {
                let date = ExcelDateTime::from_ymd(y, m, d).expect("valid date");
                sheet
                    .write_datetime_with_format(r, c, &date, &date_format)
                    .expect("date cell");
            } else if numeric_column(&header[c as usize])
                && cell.bytes().all(|b| b.is_ascii_digit())
            {
                let n: f64 = cell.parse().expect("digits");
                sheet.write_number(r, c, n).expect("number cell");
            } else {
                sheet.write_string(r, c, cell).expect("text cell");
            }
        }
    }
    let stem = file.name.trim_end_matches(".csv");
    InputFile {
        name: format!("{stem}.xlsx"),
        bytes: workbook.save_to_buffer().expect("xlsx"),
    }
}

/// First line where the two long tables differ, for a readable failure.
fn first_difference(canonical: &str, other: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (canonical.lines().collect(), other.lines().collect());
    for i in 0..a.len().max(b.len()) {
        let (x, y) = (a.get(i), b.get(i));
        if x != y {
            return format!(
                "line {}: canonical {:?} vs converted {:?} ({} vs {} lines)",
                i + 1,
                x,
                y,
                a.len(),
                b.len()
            );
        }
    }
    String::new()
}

/// Converts every fixture with `convert` and asserts the full long table is byte-identical.
fn assert_same_long_table(shape: &str, convert: fn(&InputFile) -> InputFile) {
    let mut failures = Vec::new();
    for fixture in fixture_names() {
        let settings = read_settings(&fixture);
        let inputs = read_inputs(&fixture);
        let canonical = long_table_of(&inputs, &settings, &fixture);
        assert!(
            canonical.lines().count() > 1,
            "{fixture}: the canonical input gives an empty long table"
        );
        let converted: Vec<InputFile> = inputs.iter().map(convert).collect();
        let other = long_table_of(&converted, &settings, &format!("{fixture} as {shape}"));
        if canonical != other {
            failures.push(format!(
                "{fixture}: {}",
                first_difference(&canonical, &other)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{shape} gives another long table than canonical CSV:\n{}",
        failures.join("\n")
    );
}

#[test]
fn semicolon_windows1252_ddmmyyyy_reads_as_canonical() {
    // The conversion really produces Windows-1252: `Sør-Øst` has no UTF-8 sequence left.
    let areas = read_inputs("001-cohort-groups")
        .into_iter()
        .find(|f| f.name == "areas.csv")
        .expect("001 has areas.csv");
    let converted = to_semicolon_cp1252(&areas);
    assert!(converted.bytes.contains(&0xF8), "ø is 0xF8 in Windows-1252");
    assert!(std::str::from_utf8(&converted.bytes).is_err());
    assert_same_long_table("`;` + Windows-1252 + DD.MM.YYYY", to_semicolon_cp1252);
}

#[test]
fn xlsx_with_date_cells_and_numeric_codes_reads_as_canonical() {
    assert_same_long_table("xlsx", to_xlsx);
}

#[test]
fn xlsx_restores_the_leading_zero_of_a_numeric_municipality() {
    // persons.xlsx of 001 holds 0301 as the number 301; the long table must still name `0301`.
    let inputs: Vec<InputFile> = read_inputs("001-cohort-groups")
        .iter()
        .map(to_xlsx)
        .collect();
    let settings = read_settings("001-cohort-groups");
    let table = long_table_of(&inputs, &settings, "001 as xlsx");
    // 0301: p1, p2, p10 (README of 001).
    assert!(
        table.contains("smi.patients,all,municipality,0301,2021,3,,3,false"),
        "0301 row missing or wrong:\n{}",
        table
            .lines()
            .filter(|l| l.starts_with("smi.patients,all,municipality"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(!table.contains(",municipality,301,"));
}

#[test]
fn a_bad_date_names_file_line_and_column() {
    let files = vec![
        InputFile {
            name: "persons.csv".into(),
            bytes: b"pid,birth_year,municipality\np1,1980,0301\n".to_vec(),
        },
        InputFile {
            name: "episodes.csv".into(),
            // Line 1 header, line 2 fine, line 3 has 30 February in column 4 (admit_date).
            bytes: b"pid,sector,care_level,admit_date,discharge_date,urgency,main_diagnosis\n\
                     p1,PHV,POL,2021-01-10,,,F20.0\n\
                     p1,PHV,POL,2021-02-30,,,F20.0\n"
                .to_vec(),
        },
    ];
    let loaded = load_files(&files);
    let episodes = loaded
        .quality
        .files
        .iter()
        .find(|f| f.name == "episodes.csv")
        .expect("a report for episodes.csv");
    assert_eq!(
        (
            episodes.rows_read,
            episodes.rows_used,
            episodes.rows_rejected
        ),
        (2, 1, 1)
    );
    assert_eq!(loaded.tables.episodes.as_ref().map(Vec::len), Some(1));
    let rendered: Vec<String> = all_issues(&loaded)
        .iter()
        .flat_map(|i| [i.render(Lang::En), i.render(Lang::Nb)])
        .collect();
    for lang in ["en", "nb"] {
        let hit = rendered.iter().enumerate().find(|(i, r)| {
            (i % 2 == 0) == (lang == "en")
                && r.contains("episodes.csv:3:4 (admit_date)")
                && r.contains("2021-02-30")
        });
        assert!(
            hit.is_some(),
            "no {lang} issue naming episodes.csv:3:4 (admit_date) and the value; got:\n{}",
            rendered.join("\n")
        );
    }
}

/// Every fixture's tables as workbooks (date cells, numeric codes), read on two threads — the
/// big tables' workbooks queued to be read side by side (two at once where the memory rule
/// lets them: services beside primary care in 015, smaller together than the episodes), and
/// when fetched as the CLI fetches them, opened there — give the tables and the report of one
/// thread.
#[test]
fn xlsx_read_side_by_side_reads_as_on_one_thread() {
    use forlop_core::ingest::{load, load_lazy, LazyFile, ReadOptions};
    for fixture in fixture_names() {
        let files: Vec<InputFile> = read_inputs(&fixture).iter().map(to_xlsx).collect();
        let sources =
            crate::util::unnamed_sources(files.iter().map(|f| (f.name.as_str(), &f.bytes[..])));
        let one = load(&sources, &ReadOptions::default());
        let two_threads = ReadOptions {
            threads: 2,
            ..ReadOptions::default()
        };
        let two = load(&sources, &two_threads);
        assert_eq!(one.tables, two.tables, "{fixture}");
        assert_eq!(one.quality, two.quality, "{fixture}");
        // Each file's kind given, as the CLI gives it from the file name: fetched when read.
        let kind_of = |name: &str| {
            let report = one.quality.files.iter().find(|r| r.name == name);
            report.and_then(|r| r.kind)
        };
        let lazy: Vec<LazyFile<'_>> = files
            .iter()
            .map(|f| LazyFile {
                name: f.name.clone(),
                kind: kind_of(&f.name),
                len: f.bytes.len() as u64,
                fetch: Box::new(|| Ok(f.bytes.clone())),
            })
            .collect();
        let fetched = load_lazy(lazy, &two_threads, &mut |_| true).expect("never cancelled");
        assert_eq!(one.tables, fetched.tables, "{fixture}");
        assert_eq!(one.quality, fetched.quality, "{fixture}");
    }
}
