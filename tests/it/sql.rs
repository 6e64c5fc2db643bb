//! The generated SQL (`forlop sql`) against the engine, cell for cell, in DuckDB and Spark
//! (issue 10; Spark on the first extract by default, on all four with `--ignored`).
//!
//! For each `forlop synth` extract (2 000 persons; with and without defects; one with SKDE's
//! readmission rule, the other settings the SQL reads and another standard year, without an
//! areas table; one where a municipality lacks a stratum of the population; one whose
//! population has a row without sex): the engine's validated tables are written as canonical CSV
//! (`sql::canonical`), the DuckDB script is run on them by `tests/sql/run_duckdb.py` (Python
//! `duckdb`, installed by scripts/setup.sh), and every cell of the result must equal the engine's
//! long table at k = 0: the same rows, identical numerators and denominators, values equal to
//! 1e-9 relative (the directly standardised twins included). Then the SQL's result suppressed by
//! `sql::long` at k = 5 must equal the engine's suppressed long table field for field, the
//! confidence intervals included (Fay–Feuer for the twins).

use forlop_core::ingest::{load, ReadOptions, SourceFile};
use forlop_core::model::TableKind;
use forlop_core::notes::{Note, NoteCount};
use forlop_core::output::{write_long_table_csv, Cell};
use forlop_core::sql::{self, Dialect, SqlOptions};
use forlop_core::{analyse, long_rows_of, Settings};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

type Key = (String, String, String, String, String);

/// The long table as key → (numerator, denominator, value, suppressed, ci_low, ci_high); the
/// SQL's result has no interval columns (empty).
fn table_of(csv_bytes: &[u8]) -> BTreeMap<Key, [String; 6]> {
    let mut r = csv::Reader::from_reader(csv_bytes);
    let header = r.headers().expect("a header").clone();
    let col = |name: &str| header.iter().position(|h| h == name);
    let (low, high) = (col("ci_low"), col("ci_high"));
    let mut out = BTreeMap::new();
    for rec in r.records() {
        let rec = rec.expect("a CSV record");
        let f = |i: usize| rec.get(i).unwrap_or("").to_string();
        let g = |i: Option<usize>| i.map(f).unwrap_or_default();
        let dup = out.insert(
            (f(0), f(1), f(2), f(3), f(4)),
            [f(5), f(6), f(7), f(8), g(low), g(high)],
        );
        assert!(dup.is_none(), "duplicate row {:?}", rec);
    }
    out
}

/// Two numbers written by the long table (or empty) equal to 1e-9 relative; `rel` for the
/// intervals, which the long table rounds to 8 significant digits.
fn same(a: &str, b: &str, rel: f64) -> bool {
    match (a.parse::<f64>(), b.parse::<f64>()) {
        _ if a == b => true,
        (Ok(a), Ok(b)) => (a - b).abs() <= rel * a.abs().max(b.abs()),
        _ => false,
    }
}

/// Whether python3 can import `module`; `None` when there is no python3.
/// The count of a note that has one.
fn note_count(note: &Note) -> Option<NoteCount> {
    match note {
        Note::SmiUnknownAge { count }
        | Note::CountryOnly { count }
        | Note::StandardUnassigned { count } => Some(*count),
        _ => None,
    }
}

fn python_has(module: &str) -> Option<bool> {
    let out = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .ok()?;
    Some(out.status.success())
}

/// The Python runner of a dialect, in tests/sql.
fn runner(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::DuckDb => "sql/run_duckdb.py",
        Dialect::Spark => "sql/run_spark.py",
    }
}

/// A change to the engine's tables before both run on them.
#[derive(Clone, Copy, PartialEq)]
enum Tweak {
    /// Without an areas table: the country and the persons' municipalities.
    DropAreas,
    /// Municipality 0312 (Storåsen by) loses its population of men 18–24 in Y: its persons in that
    /// stratum make its standardised rates not estimable (they are in a stratum without
    /// inhabitants), while the health community, region and country still have the stratum.
    NoYoungMenIn0312,
    /// Every 10th person loses its birth year and age: SMI persons among them are left out of
    /// the cohort and counted in the note on unknown ages. And every 5th PHV or TSB POL/DAG row
    /// admitted in Y is moved to 30 Dec Y − 1 … 2 Jan Y: it no longer counts for the cohort (a
    /// POL/DAG row is in Y by its admit date), though its dates span the new year.
    EveryTenthWithoutAge,
    /// One population row of Y loses its sex: no standardised rate can be computed anywhere
    /// (the engine's "population without age or sex"), the crude rates are unchanged.
    PopulationRowWithoutSex,
}

/// Runs one extract through both and compares. Returns the number of cells compared.
fn check(
    dialect: Dialect,
    seed: u64,
    defects: bool,
    tweak: Tweak,
    settings: Settings,
    dir: &Path,
) -> usize {
    let year = settings.year;
    let extract = forlop_synth::generate(&forlop_synth::SynthConfig {
        persons: 2000,
        seed,
        year,
        defects,
        format: forlop_synth::FileFormat::Canonical,
    });
    let sources: Vec<SourceFile<'_>> = extract
        .files
        .iter()
        .map(|f| SourceFile {
            name: &f.name,
            bytes: &f.bytes,
            kind: TableKind::ALL
                .into_iter()
                .find(|k| f.name == format!("{}.csv", k.canonical_name())),
        })
        .collect();
    let mut loaded = load(&sources, &ReadOptions::default());
    let population = loaded
        .tables
        .population
        .as_mut()
        .expect("a population table");
    match tweak {
        Tweak::EveryTenthWithoutAge => {}
        Tweak::DropAreas => loaded.tables.areas = None,
        Tweak::NoYoungMenIn0312 => {
            let before = population.len();
            population.retain(|r| {
                !(r.year == year
                    && r.municipality.0 == 312
                    && r.sex == Some(forlop_core::model::Sex::Male)
                    && r.age == Some(forlop_core::model::AgeSpec::Band(18, 24)))
            });
            assert_eq!(population.len(), before - 1, "one row removed");
        }
        Tweak::PopulationRowWithoutSex => {
            let row = population
                .iter_mut()
                .find(|r| r.year == year)
                .expect("a row of Y");
            row.sex = None;
        }
    }
    if tweak == Tweak::EveryTenthWithoutAge {
        for person in loaded.tables.persons.iter_mut().step_by(10) {
            (person.birth_year, person.age) = (None, None);
        }
        use chrono::Datelike;
        use forlop_core::model::{CareLevel, Sector};
        let date = |y: i32, m: u32, d: u32| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let across = loaded
            .tables
            .episodes
            .iter_mut()
            .flatten()
            .filter(|e| {
                matches!(e.sector, Sector::Phv | Sector::Tsb)
                    && matches!(e.care_level, CareLevel::Pol | CareLevel::Dag)
                    && e.admit_date.year() == year
            })
            .step_by(5)
            .map(|e| {
                (e.admit_date, e.discharge_date) = (date(year - 1, 12, 30), Some(date(year, 1, 2)));
            })
            .count();
        assert!(across > 20, "{across} rows across the new year");
    }
    let tables = &loaded.tables;

    // The tables as the SQL engine sees them, and the script.
    let tables_dir = dir.join("tables");
    std::fs::create_dir_all(&tables_dir).unwrap();
    for (name, bytes) in sql::canonical::write_tables(tables) {
        std::fs::write(tables_dir.join(name), bytes).unwrap();
    }
    std::fs::write(
        tables_dir.join("tables.json"),
        sql::canonical::schema_json(tables),
    )
    .unwrap();
    let script = sql::script(&SqlOptions {
        dialect,
        settings: settings.clone(),
        tables: sql::canonical::present(tables),
    });
    let script_path = dir.join("script.sql");
    std::fs::write(&script_path, &script).unwrap();
    let out_path = dir.join("sql.csv");
    let summary_path = dir.join("summary.csv");
    let run = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(runner(dialect)))
        .arg(&tables_dir)
        .arg(&script_path)
        .arg(&out_path)
        .arg(&summary_path)
        .output()
        .expect("python3 runs");
    assert!(
        run.status.success(),
        "{dialect:?} failed on seed {seed}: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let sql_bytes = std::fs::read(&out_path).unwrap();

    // The engine, k = 0, only the modules that have SQL.
    let in_sql = sql::modules_in_sql();
    assert!(in_sql.contains(&"smi"), "{in_sql:?}");
    let engine_k0 = analyse(
        tables,
        &Settings {
            min_cell: 0,
            ..settings.clone()
        },
    );
    let mut csv0 = Vec::new();
    write_long_table_csv(
        long_rows_of(std::slice::from_ref(&engine_k0))
            .into_iter()
            .filter(|r| {
                forlop_core::indicator::find(r.indicator).is_some_and(sql::indicator_in_sql)
            }),
        &mut csv0,
    );
    let engine = table_of(&csv0);
    let got = table_of(&sql_bytes);
    assert!(
        engine.len() > 1000,
        "seed {seed}: {} engine cells",
        engine.len()
    );
    let mut bad = Vec::new();
    for key in engine.keys().chain(got.keys()) {
        let (Some(e), Some(s)) = (engine.get(key), got.get(key)) else {
            bad.push(format!(
                "{key:?}: engine {:?}, sql {:?}",
                engine.get(key),
                got.get(key)
            ));
            continue;
        };
        if e[0] != s[0] || e[1] != s[1] || !same(&e[2], &s[2], 1e-9) || e[3] != s[3] {
            bad.push(format!("{key:?}: engine {e:?}, sql {s:?}"));
        }
    }
    assert!(
        bad.is_empty(),
        "seed {seed} defects {defects}: {} of {} cells differ, e.g.\n{}",
        bad.len(),
        engine.len(),
        bad[..bad.len().min(10)].join("\n")
    );
    // Some cells of every module must be non-trivial, or the comparison proves little.
    let std_ids = ["smi.patients_per_1000_std", "ready.patients_per_1000_std"];
    for id in std_ids {
        let shown = |level: &str| {
            engine
                .iter()
                .filter(|(k, v)| k.0 == id && k.2 == level && !v[2].is_empty())
                .count()
        };
        match tweak {
            // Not estimable anywhere, with the crude numbers kept.
            Tweak::PopulationRowWithoutSex => assert!(
                engine
                    .iter()
                    .filter(|(k, _)| k.0 == id)
                    .all(|(_, v)| v[2].is_empty() && !v[1].is_empty()),
                "{id}: every cell not estimable"
            ),
            _ => assert!(
                shown("country") > 0 && shown("municipality") > 20,
                "seed {seed}: {id} has too few values"
            ),
        }
    }
    if tweak == Tweak::NoYoungMenIn0312 {
        // 0312's cells of the twin of the rate over adults are not estimable (the synthetic
        // extract has cohort men of 18–24 there), its crude cells and its health community's
        // twin are not.
        let twin = |area: &str| {
            engine
                .iter()
                .find(|(k, _)| k.0 == std_ids[0] && k.1 == "all" && k.3 == area)
                .map(|(_, v)| v.clone())
                .expect("a cell")
        };
        let cell = twin("0312");
        assert!(cell[2].is_empty() && cell[1] != "0", "{cell:?}");
        assert!(!twin("Storåsen")[2].is_empty());
    }
    for id in [
        "smi.readmitted_30d",
        "smi.letter_days_median",
        "ready.long_term_stay",
        "door.outside_office_hours",
        "path.gp_7",
        "flow.gp_to_inpatient",
        "ladder.home_to_home_services",
    ] {
        assert!(
            engine
                .iter()
                .any(|(k, v)| k.0 == id && k.2 == "country" && !v[2].is_empty() && v[2] != "0"),
            "seed {seed}: {id} is empty or 0 at country level"
        );
    }
    assert!(
        sql::not_in_sql(&settings).is_empty(),
        "every module of the run is in SQL"
    );

    // The modules' summaries (forlop_summary) equal the engine's at k = 0, item for item.
    let mut engine_summary = BTreeMap::new();
    for m in &engine_k0.modules {
        for item in &m.summary {
            let Cell::Value {
                numerator: Some(n), ..
            } = item.cell
            else {
                panic!(
                    "{}: summary item {:?} has no count at k = 0",
                    m.decl.id, item.what
                );
            };
            let key = (m.decl.id.to_string(), sql::summary_item(m.decl, item.what));
            assert!(engine_summary.insert(key, n).is_none());
        }
        // The notes the SQL computes, as `note:` items (a note exists only above 0).
        for note in &m.notes {
            if let Some(item) = sql::note_item(note) {
                let n = match note_count(note) {
                    Some(NoteCount::Exact(n)) => n,
                    other => panic!("{}: note {note:?} at k = 0 has {other:?}", m.decl.id),
                };
                assert!(engine_summary
                    .insert((m.decl.id.to_string(), item.to_string()), n)
                    .is_none());
            }
        }
    }
    let mut sql_summary = BTreeMap::new();
    let mut r = csv::Reader::from_path(&summary_path).expect("the summary CSV");
    for rec in r.records() {
        let rec = rec.expect("a record");
        let n: u64 = rec[2].parse().expect("a count");
        assert!(sql_summary
            .insert((rec[0].to_string(), rec[1].to_string()), n)
            .is_none());
    }
    assert_eq!(sql_summary, engine_summary, "seed {seed}: summaries differ");
    if tweak == Tweak::EveryTenthWithoutAge {
        let unknown = ("smi".to_string(), "note:unknown_age".to_string());
        assert!(
            engine_summary.get(&unknown) > Some(&0),
            "an unknown-age note"
        );
    }
    // smi: 5 base groups, several, 6 pairs and the largest; door: 24 hours and 7 weekdays.
    let notes = engine_summary
        .keys()
        .filter(|(_, item)| item.starts_with("note:"));
    assert_eq!(engine_summary.len() - notes.count(), 5 + 1 + 6 + 1 + 24 + 7);
    assert!(engine_summary[&("door".into(), "weekday:0".into())] > 0);

    // Suppressed with the engine's code at k = 5: the same table as the engine's at k = 5.
    let rows = sql::long::read_sql_result(&sql_bytes).unwrap();
    let areas = sql::long::areas_for(&rows, tables.areas.clone());
    let suppressed = sql::long::suppress_long_table(&rows, &areas, 5).unwrap();
    let mut csv_sql5 = Vec::new();
    write_long_table_csv(suppressed, &mut csv_sql5);
    let engine_k5 = analyse(
        tables,
        &Settings {
            min_cell: 5,
            ..settings
        },
    );
    let mut csv5 = Vec::new();
    write_long_table_csv(
        long_rows_of(std::slice::from_ref(&engine_k5))
            .into_iter()
            .filter(|r| {
                forlop_core::indicator::find(r.indicator).is_some_and(sql::indicator_in_sql)
            }),
        &mut csv5,
    );
    let (e5, s5) = (table_of(&csv5), table_of(&csv_sql5));
    assert_eq!(e5.keys().collect::<Vec<_>>(), s5.keys().collect::<Vec<_>>());
    // Field for field, the intervals too (Fay–Feuer for the standardised rates, from the SQL's
    // y, v and w_max); they are rounded to 8 significant digits, so 1e-7 relative.
    let mut differ = Vec::new();
    for (k, e) in &e5 {
        let s = &s5[k];
        if e[0] != s[0]
            || e[1] != s[1]
            || e[3] != s[3]
            || !same(&e[2], &s[2], 1e-9)
            || !same(&e[4], &s[4], 1e-7)
            || !same(&e[5], &s[5], 1e-7)
        {
            differ.push(format!("{k:?}: engine {e:?}, sql {s:?}"));
        }
    }
    assert!(
        differ.is_empty(),
        "seed {seed}: {} suppressed cells differ, e.g.\n{}",
        differ.len(),
        differ[..differ.len().min(10)].join("\n")
    );
    for id in std_ids {
        if tweak != Tweak::PopulationRowWithoutSex {
            assert!(
                e5.iter().any(|(k, v)| k.0 == id && !v[4].is_empty()),
                "{id}: some interval shown at k = 5"
            );
        }
    }
    assert!(
        e5.values().any(|v| v[3] == "true"),
        "k = 5 suppresses something"
    );

    // The summary table suppressed at k = 5 (`forlop suppress --summary`) shows exactly the
    // engine's k = 5 summary: the same items, a count where the engine has one, hidden where
    // the engine hides it.
    let summary_bytes = std::fs::read(&summary_path).expect("the summary CSV");
    let sql_summary5 = sql::long::suppress_summary(&summary_bytes, 5).expect("a summary table");
    let mut shown_sql = BTreeMap::new();
    for rec in csv::Reader::from_reader(sql_summary5.as_slice()).records() {
        let rec = rec.expect("a record");
        shown_sql.insert((rec[0].to_string(), rec[1].to_string()), rec[2].to_string());
    }
    let mut shown_engine = BTreeMap::new();
    for m in &engine_k5.modules {
        for item in &m.summary {
            let shown = match item.cell {
                Cell::Value {
                    numerator: Some(n), ..
                } => n.to_string(),
                _ => String::new(),
            };
            let key = (m.decl.id.to_string(), sql::summary_item(m.decl, item.what));
            shown_engine.insert(key, shown);
        }
        for note in &m.notes {
            if let Some(item) = sql::note_item(note) {
                let shown = match note_count(note) {
                    Some(NoteCount::Exact(n)) => n.to_string(),
                    _ => String::new(),
                };
                shown_engine.insert((m.decl.id.to_string(), item.to_string()), shown);
            }
        }
    }
    assert_eq!(
        shown_sql, shown_engine,
        "seed {seed}: summaries at k = 5 differ"
    );
    engine.len()
}

/// The extracts of the test (`runs` of the four), in `dialect`.
fn check_all(dialect: Dialect, module: &str, runs: std::ops::Range<usize>) {
    match python_has(module) {
        None => {
            eprintln!(
                "SKIPPED: python3 is not installed, so the {dialect:?} equivalence is not checked"
            );
            return;
        }
        Some(false) => panic!(
            "Python's {module} package is missing: run scripts/setup.sh (pip install {module})"
        ),
        Some(true) => {}
    }
    let tmp = tempfile::tempdir().unwrap();
    let base = Settings {
        year: 2024,
        ..Settings::default()
    };
    let mut skde = base.clone();
    skde.smi.readmission.window_days = 29;
    skde.smi.readmission.exclude_death_within_window = true;
    skde.smi.readmission.acute_only = false;
    skde.ready.readmission = skde.smi.readmission.clone();
    // The other settings the SQL reads: office hours with weekends, the real length of stay in
    // the cost, another PAM unit name, a data end date that censors the long windows.
    skde.door.office_hours.weekends_outside = true;
    skde.door.cost.real_stay_length = true;
    skde.door.pam_units = vec!["pam".into(), "Akutt".into()];
    skde.pathways = serde_json::from_str(r#"{"data_end": "2024-10-31"}"#).unwrap();
    // The standardised rates against the population of Y − 1.
    skde.comparison.standard_year = Some(2023);
    let all = [
        (3, false, Tweak::EveryTenthWithoutAge, base.clone()),
        (11, true, Tweak::NoYoungMenIn0312, base.clone()),
        (5, true, Tweak::DropAreas, skde),
        (7, false, Tweak::PopulationRowWithoutSex, base),
    ];
    for (i, (seed, defects, tweak, settings)) in all.into_iter().enumerate() {
        if !runs.contains(&i) {
            continue;
        }
        let dir = tmp.path().join(i.to_string());
        std::fs::create_dir_all(&dir).unwrap();
        let cells = check(dialect, seed, defects, tweak, settings, &dir);
        assert!(cells > 1000);
    }
}

#[test]
fn generated_duckdb_sql_equals_the_engine_cell_for_cell() {
    check_all(Dialect::DuckDb, "duckdb", 0..4);
}

/// The first extract (2 000 persons, no defects, every 10th without an age, the default
/// settings) in Spark, in the default test run: the Spark dialect is checked on every change,
/// the other three extracts are opt-in (below). About two minutes on a quiet 2-core machine, most of it the JVM and Spark's planning
/// of ~200 statements.
#[test]
fn generated_spark_sql_equals_the_engine_on_one_extract() {
    check_all(Dialect::Spark, "pyspark", 0..1);
}

/// The other three extracts in Spark. Slow (a JVM and Spark in local mode: minutes each): run
/// with `cargo test -p forlop-tests --test it sql:: -- --ignored` (Java 17 must be on the
/// machine; scripts/setup.sh installs PySpark).
#[test]
#[ignore = "slow: Spark in local mode takes minutes; run with --ignored"]
fn generated_spark_sql_equals_the_engine_cell_for_cell() {
    check_all(Dialect::Spark, "pyspark", 1..4);
}
