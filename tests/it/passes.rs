//! Reading and computing in passes over the persons (issue 10) gives the long table and the
//! data-quality report of one pass over everything, byte for byte.

use forlop_core::ingest::{load, Loaded, ReadOptions, RowPass, SourceFile};
use forlop_core::output::write_long_table_csv;
use forlop_core::passes::analyse_in_passes;
use forlop_core::{analyse, Settings};
use forlop_synth::{generate, FileFormat, SynthConfig};

/// The long table (every year), the quality report as JSON, the unusable tables and the notes.
fn one_pass(files: &[(String, Vec<u8>)], settings: &[Settings]) -> (String, String, String) {
    let loaded = load(&sources(files), &options(None));
    let reports: Vec<_> = settings
        .iter()
        .map(|s| analyse(&loaded.tables, s))
        .collect();
    outputs(&reports, &loaded.quality)
}

fn in_passes(
    files: &[(String, Vec<u8>)],
    settings: &[Settings],
    n: u32,
) -> (String, String, String) {
    let mut loads = 0u32;
    let mut load_pass = |pass: RowPass| -> Result<Loaded, forlop_core::ingest::Cancelled> {
        loads += 1;
        Ok(load(&sources(files), &options(Some(pass))))
    };
    let (reports, quality) =
        analyse_in_passes(n, settings, &mut load_pass, &mut |_, _, _| true).unwrap();
    outputs(&reports, &quality)
}

fn sources(files: &[(String, Vec<u8>)]) -> Vec<SourceFile<'_>> {
    files
        .iter()
        .map(|(name, bytes)| SourceFile {
            name,
            bytes,
            kind: None,
        })
        .collect()
}

fn options(pass: Option<RowPass>) -> ReadOptions {
    ReadOptions {
        analysis_year: Some(2024),
        threads: 2,
        pass,
        ..ReadOptions::default()
    }
}

fn outputs(
    reports: &[forlop_core::Report],
    quality: &forlop_core::quality::QualityReport,
) -> (String, String, String) {
    let mut csv = Vec::new();
    write_long_table_csv(forlop_core::long_rows_of(reports), &mut csv);
    let mut rest = String::new();
    for r in reports {
        for t in &r.unusable_tables {
            rest += &format!("unusable {:?} {:?}\n", t.kind, t.issue);
        }
        let notes = r
            .notes
            .iter()
            .chain(r.modules.iter().flat_map(|m| &m.notes));
        for n in notes {
            rest += &format!("note {n:?}\n");
        }
        for m in &r.modules {
            rest += &format!("{} {:?} {:?}\n", m.decl.id, m.units, m.summary);
        }
        rest += &format!("{:?}\n", r.unavailable);
    }
    (
        String::from_utf8(csv).unwrap(),
        serde_json::to_string_pretty(quality).unwrap(),
        rest,
    )
}

fn synth(seed: u64, persons: usize, defects: bool, format: FileFormat) -> Vec<(String, Vec<u8>)> {
    let config = SynthConfig {
        persons,
        seed,
        year: 2024,
        defects,
        format,
    };
    generate(&config)
        .files
        .into_iter()
        .map(|f| (f.name, f.bytes))
        .collect()
}

fn assert_same(files: &[(String, Vec<u8>)], settings: &[Settings], what: &str) {
    let want = one_pass(files, settings);
    assert!(want.0.lines().count() > 1, "{what}: no rows to compare");
    for n in [1, 2, 3, 7] {
        let got = in_passes(files, settings, n);
        assert!(
            got.0 == want.0,
            "{what}, {n} passes: the long table differs"
        );
        assert!(
            got.1 == want.1,
            "{what}, {n} passes: the quality report differs"
        );
        assert_eq!(
            got.2, want.2,
            "{what}, {n} passes: notes, summaries or tables differ"
        );
    }
}

#[test]
fn passes_give_the_long_table_and_quality_report_of_one_pass() {
    let two_years = |k: u64| {
        vec![
            Settings {
                year: 2023,
                min_cell: k,
                ..Settings::default()
            },
            Settings {
                year: 2024,
                min_cell: k,
                ..Settings::default()
            },
        ]
    };
    for (seed, defects, format) in [
        (11, false, FileFormat::Canonical),
        (12, true, FileFormat::Canonical),
        (13, true, FileFormat::Norwegian),
    ] {
        let files = synth(seed, 400, defects, format);
        let what = format!("seed {seed}, defects {defects}, {format:?}");
        assert_same(&files, &two_years(5), &what);
    }
    // Unsuppressed, to compare every count of the notes and summaries.
    assert_same(
        &synth(14, 300, true, FileFormat::Canonical),
        &two_years(0),
        "k = 0",
    );
}

#[test]
fn a_table_without_usable_rows_is_unusable_in_passes_too() {
    // Every episode row is rejected (no admit date), each person's in its own pass for some of
    // the passes: over all passes the table has no usable row, and is unusable as in one pass.
    // The services of one person of four are usable: a pass without them still has the table.
    let mut episodes = String::from("pid,sector,care_level,admit_date\n");
    let mut services = String::from("pid,service,start_date\n");
    let mut persons = String::from("pid,birth_year,municipality\n");
    for i in 0..40 {
        persons += &format!("p{i},1970,0301\n");
        episodes += &format!("p{i},PHV,1,\n");
        let date = if i % 4 == 0 {
            "2024-02-01"
        } else {
            "2024-13-01"
        };
        services += &format!("p{i},HOME_HEALTH,{date}\n");
    }
    let files = vec![
        ("persons.csv".to_string(), persons.into_bytes()),
        ("episodes.csv".to_string(), episodes.into_bytes()),
        ("municipal_services.csv".to_string(), services.into_bytes()),
    ];
    let settings = [Settings {
        year: 2024,
        min_cell: 0,
        ..Settings::default()
    }];
    let want = one_pass(&files, &settings);
    assert!(want.2.contains("unusable Episodes"), "{}", want.2);
    assert!(!want.2.contains("unusable MunicipalServices"), "{}", want.2);
    for n in [2, 3, 7] {
        let got = in_passes(&files, &settings, n);
        assert_eq!(got.1, want.1, "{n} passes");
        assert_eq!(got.2, want.2, "{n} passes");
        assert!(got.0 == want.0, "{n} passes");
    }
}

#[test]
fn broken_rows_are_read_once_in_passes() {
    // Quoted line breaks, an unclosed quote, a ragged row, an exact duplicate and a row without
    // a person id: each row is counted once, in the pass of its person (pass 0 without one).
    let persons =
        "pid,birth_year,municipality\na,1970,0301\nb,1980,0301\nc,1990,0301\nd,1960,0301\n";
    let episodes = "pid,sector,care_level,urgency,admit_date,discharge_date,unit\n\
        a,PHV,DOGN,ACUTE,2024-01-02,2024-01-05,\"Unit\nwith a line break\"\n\
        b,PHV,DOGN,ACUTE,2024-02-02,2024-02-05,x\n\
        b,PHV,DOGN,ACUTE,2024-02-02,2024-02-05,x\n\
        c,PHV,DOGN,ACUTE,2024-03-02\n\
        ,PHV,DOGN,ACUTE,2024-03-02,2024-03-04,x\n\
        d,PHV,DOGN,ACUTE,2024-04-02,2024-04-03,\"open\n\
        a,PHV,DOGN,ACUTE,2024-05-02,2024-05-09,x\n\
        c,PHV,DOGN,ACUTE,2024-06-02,2024-06-09,x\n";
    let files = vec![
        ("persons.csv".to_string(), persons.as_bytes().to_vec()),
        ("episodes.csv".to_string(), episodes.as_bytes().to_vec()),
    ];
    let settings = [Settings {
        year: 2024,
        min_cell: 0,
        ..Settings::default()
    }];
    let want = one_pass(&files, &settings);
    for code in [
        "duplicate_row",
        "ragged_row",
        "unclosed_quote",
        "missing_required",
    ] {
        assert!(want.1.contains(code), "{code} not in {}", want.1);
    }
    for n in [2, 3, 7] {
        let got = in_passes(&files, &settings, n);
        assert_eq!(got.1, want.1, "{n} passes");
        assert_eq!(got.2, want.2, "{n} passes");
        assert!(got.0 == want.0, "{n} passes");
    }
}
