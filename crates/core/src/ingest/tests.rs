//! Tests of the whole reader: small files in, tables and issues (with line and column) out.

use super::*;
use crate::model::{
    CareLevel, ContactType, Municipality, PersonIdx, Provider, Sector, ServiceCode, Sex, Urgency,
};
use crate::quality::{Issue, Severity, TextEncoding};
use crate::text::Lang;
use chrono::{NaiveDate, NaiveTime};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn file<'a>(name: &'a str, text: &'a str) -> SourceFile<'a> {
    SourceFile {
        name,
        bytes: text.as_bytes(),
        kind: None,
    }
}

const PERSONS: &str = "pid,birth_year,sex,municipality\np1,1980,M,0301\np2,1990,K,4601\n";

fn load_texts(files: &[(&str, &str)]) -> Loaded {
    let sources: Vec<SourceFile<'_>> = files.iter().map(|(n, t)| file(n, t)).collect();
    load(&sources, &ReadOptions::default())
}

/// (line, column index) of every issue with `code`, over all files.
fn at(l: &Loaded, code: &str) -> Vec<(u64, Option<usize>)> {
    issues(l, code)
        .iter()
        .map(|i| (i.location.line, i.location.column.as_ref().map(|c| c.index)))
        .collect()
}

fn issues<'l>(l: &'l Loaded, code: &str) -> Vec<&'l Issue> {
    l.quality
        .files
        .iter()
        .flat_map(|f| f.examples.get(code).into_iter().flatten())
        .collect()
}

fn report<'l>(l: &'l Loaded, name: &str) -> &'l crate::quality::FileReport {
    l.quality.files.iter().find(|f| f.name == name).unwrap()
}

fn assert_accounting(l: &Loaded) {
    for f in &l.quality.files {
        assert_eq!(f.rows_read, f.rows_used + f.rows_rejected, "{}", f.name);
    }
}

// ---- persons ------------------------------------------------------------------------------

#[test]
fn birth_years_after_the_current_year_are_invalid() {
    // data-format.md: birth_year is an "integer 1880..current". The caller gives the year of
    // its clock; without it the reader takes up to 2100.
    let text = "pid,birth_year\na,2026\nb,2027\nc,1879\n";
    let read = |current_year| {
        let options = ReadOptions {
            current_year,
            ..ReadOptions::default()
        };
        load(&[file("persons.csv", text)], &options)
    };
    let l = read(Some(2026));
    let pids: Vec<&str> = l.tables.persons.iter().map(|p| &*p.pid).collect();
    assert_eq!(pids, vec!["a"]);
    assert_eq!(at(&l, "invalid_value"), vec![(3, Some(2)), (4, Some(2))]);
    assert_eq!(
        issues(&l, "invalid_value")[0].render(Lang::En),
        "persons.csv:3:2 (birth_year): «2027» is not a valid value (expected a birth year from 1880 to this year)"
    );
    assert_accounting(&l);
    let l = read(None);
    assert_eq!(l.tables.persons.len(), 2, "2026 and 2027 read, 1879 not");
    // 2026-11-27 12:00 UTC, and the first second of 2027.
    assert_eq!(super::year_at(1_795_780_800), Some(2026));
    assert_eq!(super::year_at(1_798_761_600), Some(2027));
}

#[test]
fn persons_with_norwegian_headers() {
    let l = load_texts(&[(
        "personer.csv",
        "Løpenr;Fødselsår;Kjønn;Bostedskommune;Dødsdato\np1;1980;2;301;\np2;1955;mann;4601;03.04.2022\np3;;9;;\n",
    )]);
    // p3 has neither birth_year nor age → missing_required at line 4, column 2.
    assert_eq!(at(&l, "missing_required"), vec![(4, Some(2))]);
    assert_eq!(at(&l, "municipality_zero_restored"), vec![(2, Some(4))]);
    let p = &l.tables.persons;
    assert_eq!(p.len(), 2);
    assert_eq!(p[0].pid, "p1");
    assert_eq!(p[0].sex, Some(Sex::Female));
    assert_eq!(p[0].municipality, Some(Municipality(301)));
    assert_eq!(p[1].death_date, Some(d(2022, 4, 3)));
    let r = report(&l, "personer.csv");
    assert_eq!((r.rows_read, r.rows_used, r.rows_rejected), (3, 2, 1));
    assert_eq!(r.kind, Some(TableKind::Persons));
    assert_eq!(r.delimiter, Some(';'));
}

#[test]
fn persons_issue_codes_with_line_and_column() {
    let l = load_texts(&[(
        "p.csv",
        "pid,birth_year,age,sex,municipality\n\
         a,1980,,M,0301\n\
         a,1981,,M,0301\n\
         b,abc,,M,\n\
         c,1870,,K,\n\
         e,,150,K,\n\
         f,,40,X,12\n",
    )]);
    assert_eq!(at(&l, "duplicate_pid"), vec![(3, Some(1))]);
    assert_eq!(at(&l, "bad_number"), vec![(4, Some(2))]);
    // 1870 < 1880 and age 150 > 120.
    assert_eq!(
        at(&l, "invalid_value"),
        vec![(5, Some(2)), (6, Some(3)), (7, Some(5))]
    );
    // Sex X and municipality 12 are optional: warnings, row f kept with neither.
    assert_eq!(at(&l, "unknown_code"), vec![(7, Some(4))]);
    let f = l.tables.persons.iter().find(|p| p.pid == "f").unwrap();
    assert_eq!((f.age, f.sex, f.municipality), (Some(40), None, None));
    let r = report(&l, "p.csv");
    assert_eq!(
        (r.rows_read, r.rows_used, r.rows_rejected, r.warnings),
        (6, 2, 4, 2)
    );
}

#[test]
fn unknown_municipality_only_with_an_areas_table() {
    let areas = "kommune;kommunenavn;helsefellesskap;helseregion\n0301;Oslo;Oslo;Helse Sør-Øst\n";
    let l = load_texts(&[("areas.csv", areas), ("persons.csv", PERSONS)]);
    // p2 lives in 4601, not in the areas table: a warning on line 3, column 4.
    assert_eq!(at(&l, "unknown_municipality"), vec![(3, Some(4))]);
    assert_eq!(l.tables.persons.len(), 2);
    let l = load_texts(&[("persons.csv", PERSONS)]);
    assert!(at(&l, "unknown_municipality").is_empty());
    // Persons are reported first even though areas were given first.
    let l = load_texts(&[("areas.csv", areas), ("persons.csv", PERSONS)]);
    assert_eq!(l.quality.files[0].name, "persons.csv");
    assert_eq!(
        l.tables.areas.as_ref().unwrap()[0].region,
        "Helse Sør-Øst".to_string()
    );
}

// ---- encodings and delimiters -------------------------------------------------------------

fn to_cp1252(s: &str) -> Vec<u8> {
    let (b, _, bad) = encoding_rs::WINDOWS_1252.encode(s);
    assert!(!bad);
    b.into_owned()
}

#[test]
fn cp1252_semicolon_and_utf8_comma_give_equal_tables() {
    let areas_nb = "kommune;kommunenavn;helsefellesskap;helseregion\n0301;Oslo;Oslo;Helse Sør-Øst\n4601;Bergen;Bjørgvin;Helse Vest\n";
    let persons_nb = "løpenr;fødselsår;kjønn;kommune\np1;1980;K;0301\np2;1990;M;4601\n";
    let cp_areas = to_cp1252(areas_nb);
    let cp_persons = to_cp1252(persons_nb);
    let a = load(
        &[
            SourceFile {
                name: "a.csv",
                bytes: &cp_areas,
                kind: None,
            },
            SourceFile {
                name: "p.csv",
                bytes: &cp_persons,
                kind: None,
            },
        ],
        &ReadOptions::default(),
    );
    let utf_areas = areas_nb.replace(';', ",");
    let utf_persons = persons_nb.replace(';', ",");
    let b = load_texts(&[("a.csv", &utf_areas), ("p.csv", &utf_persons)]);
    assert_eq!(a.tables, b.tables);
    assert_eq!(
        a.tables.areas.as_ref().unwrap()[1].health_community,
        "Bjørgvin"
    );
    assert_eq!(
        report(&a, "p.csv").encoding,
        Some(TextEncoding::Windows1252)
    );
    assert_eq!(report(&b, "p.csv").encoding, Some(TextEncoding::Utf8));
    assert_eq!(report(&a, "p.csv").delimiter, Some(';'));
}

#[test]
fn bom_and_tab() {
    let with_bom = format!("\u{feff}{}", PERSONS.replace(',', "\t"));
    let l = load_texts(&[("p.tsv", &with_bom)]);
    let plain = load_texts(&[("p.csv", PERSONS)]);
    assert_eq!(l.tables, plain.tables);
    let r = report(&l, "p.tsv");
    assert_eq!(r.encoding, Some(TextEncoding::Utf8Bom));
    assert_eq!(r.delimiter, Some('\t'));
    assert_eq!(r.rows_used, 2);
}

// ---- episodes -----------------------------------------------------------------------------

const EP_HEAD: &str = "pid,sector,care_level,admit_date,admit_time,discharge_date,urgency,main_diagnosis,other_diagnoses,unit,ambulant,letter_date\n";

fn episodes(rows: &str) -> Loaded {
    let text = format!("{EP_HEAD}{rows}");
    load_texts(&[("persons.csv", PERSONS), ("episodes.csv", &text)])
}

#[test]
fn episodes_typed_fields() {
    let l = episodes(
        "p1,PHV,DOGN,01.03.2021,08:30,2021-03-10,1,F20.0,F10.2;Z59|F32,PAM,,12.03.2021\n\
         p2,TSB,3,2021-03-05 14:05,,,,,,,4,\n\
         p2,som,DAG,2021-04-01,,,,,,,nei,\n",
    );
    let e = l.tables.episodes.as_ref().unwrap();
    assert_eq!(e.len(), 3);
    assert_eq!(e[0].person, PersonIdx(0));
    assert_eq!(
        (e[0].sector, e[0].care_level),
        (Sector::Phv, CareLevel::Dogn)
    );
    assert_eq!(e[0].admit_date, d(2021, 3, 1));
    assert_eq!(e[0].admit_time, NaiveTime::from_hms_opt(8, 30, 0));
    assert_eq!(e[0].discharge_date, Some(d(2021, 3, 10)));
    assert_eq!(e[0].urgency, Some(Urgency::Acute));
    assert_eq!(e[0].main_diagnosis.unwrap().as_str(), "F200");
    let others: Vec<&str> = e[0].other_diagnoses.iter().map(|c| c.as_str()).collect();
    assert_eq!(others, vec!["F102", "Z59", "F32"]);
    let unit = e[0].unit.map(|u| l.tables.unit_name(u));
    assert_eq!(unit, Some("PAM"));
    // Unit names are stored once: rows 2 and 3 have none.
    assert_eq!(
        (l.tables.units.len(), e[1].unit, e[2].unit),
        (1, None, None)
    );
    assert_eq!(e[0].letter_date, Some(d(2021, 3, 12)));
    // A date-time in admit_date fills admit_time; POL without discharge → discharge = admit.
    assert_eq!(e[1].person, PersonIdx(1));
    assert_eq!(e[1].care_level, CareLevel::Pol);
    assert_eq!(e[1].admit_time, NaiveTime::from_hms_opt(14, 5, 0));
    assert_eq!(e[1].discharge_date, Some(d(2021, 3, 5)));
    assert_eq!(e[1].ambulant, Some(true));
    assert_eq!(e[2].discharge_date, Some(d(2021, 4, 1)));
    assert_eq!(e[2].ambulant, Some(false));
    assert!(
        l.quality.counts_by_code().is_empty(),
        "{:?}",
        l.quality.counts_by_code()
    );
}

#[test]
fn episode_rejections_with_line_and_column() {
    let l = episodes(
        "p1,PHV,DOGN,31.02.2021,,,1,,,,,\n\
         p1,PHV,DOGN,2021-03-10,,2021-03-01,1,,,,,\n\
         p9,PHV,POL,2021-03-10,,,,,,,,\n\
         p1,XYZ,POL,2021-03-10,,,,,,,,\n\
         p1,PHV,DOGN,2021-03-10,,,,,,,,\n\
         p1,PHV,POL,,,,,,,,,\n\
         p1,PHV,DOGN,2021-03-10,,10.03.21,1,,,,,\n\
         p1,PHV,DOGN,2021-03-10,,1850-01-01,1,,,,,\n\
         p1,PHV,DOGN,2021-03-10,,10.03.,1,,,,,\n\
         p1,PHX,9,abc,,,,,,,,\n",
    );
    assert_eq!(at(&l, "bad_date"), vec![(2, Some(4))]);
    assert_eq!(at(&l, "start_after_end"), vec![(3, Some(6))]);
    assert_eq!(at(&l, "unknown_person"), vec![(4, Some(1))]);
    // Line 11 has three bad cells; only the leftmost (sector, column 2) is reported.
    assert_eq!(at(&l, "unknown_code"), vec![(5, Some(2)), (11, Some(2))]);
    // DOGN without urgency (line 6) and POL without admit_date (line 7).
    assert_eq!(at(&l, "missing_required"), vec![(6, Some(7)), (7, Some(4))]);
    // An unreadable discharge date rejects the row.
    assert_eq!(at(&l, "ambiguous_century"), vec![(8, Some(6))]);
    assert_eq!(at(&l, "date_before_1900"), vec![(9, Some(6))]);
    assert_eq!(at(&l, "missing_year"), vec![(10, Some(6))]);
    let r = report(&l, "episodes.csv");
    assert_eq!((r.rows_read, r.rows_used, r.rows_rejected), (10, 0, 10));
    let i = issues(&l, "bad_date")[0];
    assert_eq!(
        i.render(Lang::Nb),
        "episodes.csv:2:4 (admit_date): «31.02.2021» er ikke en gyldig dato (forventet ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ)"
    );
}

#[test]
fn optional_cells_warn_and_keep_the_row() {
    let l = episodes(
        "p1,PHV,DOGN,2021-03-01,8.30,2021-03-10,1,X,,,kanskje,2021-03-05\n\
         p1,PHV,DOGN,2021-04-01,,2021-04-10,1,,,,,05.04.\n",
    );
    assert_eq!(at(&l, "bad_time"), vec![(2, Some(5))]);
    assert_eq!(at(&l, "invalid_value"), vec![(2, Some(8))]);
    assert_eq!(at(&l, "unknown_code"), vec![(2, Some(11))]);
    assert_eq!(at(&l, "letter_before_discharge"), vec![(2, Some(12))]);
    assert_eq!(at(&l, "missing_year"), vec![(3, Some(12))]);
    assert!(issues(&l, "missing_year")
        .iter()
        .all(|i| i.severity == Severity::Warning));
    let e = l.tables.episodes.as_ref().unwrap();
    assert_eq!(e.len(), 2);
    assert_eq!(
        (e[0].admit_time, e[0].main_diagnosis, e[0].ambulant),
        (None, None, None)
    );
    assert_eq!(e[1].letter_date, None);
    let r = report(&l, "episodes.csv");
    assert_eq!((r.rows_used, r.rows_rejected, r.warnings), (2, 0, 5));
}

#[test]
fn century_pivot_accepts_two_digit_years() {
    let rows = "p1,PHV,POL,10.03.21,,,,,,,,\n";
    let text = format!("{EP_HEAD}{rows}");
    let files = [file("persons.csv", PERSONS), file("episodes.csv", &text)];
    let strict = load(&files, &ReadOptions::default());
    assert_eq!(at(&strict, "ambiguous_century"), vec![(2, Some(4))]);
    let opts = ReadOptions {
        century_pivot: Some(30),
        ..ReadOptions::default()
    };
    let l = load(&files, &opts);
    // 21 <= 30 → 2021.
    assert_eq!(l.tables.episodes.unwrap()[0].admit_date, d(2021, 3, 10));
}

#[test]
fn duplicate_rows_are_warnings_counted_per_extra_copy() {
    let l = episodes(
        "p1,PHV,POL,2021-03-01,,,,,,,,\n\
         p1,PHV,POL,2021-03-01,,,,,,,,\n\
         p1,PHV,POL,2021-03-02,,,,,,,,\n\
         p1,PHV,POL,2021-03-01,,,,,,,,\n",
    );
    // Lines 3 and 5 copy line 2.
    assert_eq!(at(&l, "duplicate_row"), vec![(3, None), (5, None)]);
    assert_eq!(l.tables.episodes.as_ref().unwrap().len(), 4);
}

#[test]
fn duplicates_compare_fields_not_bytes_and_skip_rejected_rows() {
    let l = episodes(
        "p1,PHV,POL,2021-03-01,,,,,,,,\n\
         \"p1\",PHV,\"POL\",2021-03-01,,,,,,,,\n\
         p9,PHV,POL,2021-03-01,,,,,,,,\n\
         p9,PHV,POL,2021-03-01,,,,,,,,\n\
         p1,PHV,POL,2021-03-01,,,,,,,,\n",
    );
    // Line 3 has line 2's fields behind quotes: a duplicate. Line 5 copies line 4, but p9 is
    // not a person, so line 5 is rejected and carries only its rejection. Line 6 copies line 2.
    assert_eq!(at(&l, "duplicate_row"), vec![(3, None), (6, None)]);
    assert_eq!(at(&l, "unknown_person"), vec![(4, Some(1)), (5, Some(1))]);
}

// ---- municipal services -------------------------------------------------------------------

#[test]
fn services_overlap_and_date_defects() {
    let text = "pid;tjeneste;vedtaksdato;startdato;sluttdato\n\
                p1;15;;2021-01-01;2021-06-30\n\
                p1;HOME_HEALTH;;2021-03-01;2021-04-01\n\
                p1;15;;2021-06-30;\n\
                p1;15;;2021-08-01;2021-09-01\n\
                p1;9;;2021-03-01;2021-04-01\n\
                p2;15;;2021-03-01;2021-02-01\n\
                p2;7;;2021-03-01;\n\
                p2;15;;1899-03-01;\n\
                p2;15;;01.03.;\n\
                p2;15;xx;2021-03-01;\n";
    let l = load_texts(&[("persons.csv", PERSONS), ("tjenester.csv", text)]);
    // p1/HOME_HEALTH sorted by start: line 2 [01-01, 06-30], line 3 [03-01, 04-01] overlaps 2,
    // line 4 [06-30, open) overlaps 2 on 06-30, line 5 [08-01, 09-01] overlaps the open line 4.
    // Line 6 is another service. So 3 later rows.
    assert_eq!(
        at(&l, "overlapping_service"),
        vec![(3, None), (4, None), (5, None)]
    );
    let ov = issues(&l, "overlapping_service");
    assert!(matches!(
        ov[2].kind,
        IssueKind::OverlappingService {
            service: ServiceCode::HomeHealth,
            earlier_line: 4
        }
    ));
    assert_eq!(at(&l, "start_after_end"), vec![(7, Some(5))]);
    assert_eq!(at(&l, "unknown_code"), vec![(8, Some(2))]);
    assert_eq!(at(&l, "date_before_1900"), vec![(9, Some(4))]);
    assert_eq!(at(&l, "missing_year"), vec![(10, Some(4))]);
    assert_eq!(at(&l, "bad_date"), vec![(11, Some(3))]);
    let s = l.tables.municipal_services.as_ref().unwrap();
    // Lines 2–6 and 11 used.
    assert_eq!(s.len(), 6);
    assert_eq!(s[4].service, ServiceCode::SupportContact);
    assert_eq!(s[2].end_date, None);
    let r = report(&l, "tjenester.csv");
    assert_eq!(
        (r.rows_read, r.rows_used, r.rows_rejected, r.warnings),
        (10, 6, 4, 4)
    );
}

// ---- primary care -------------------------------------------------------------------------

#[test]
fn primary_care_derives_contact_type_and_interdisciplinary() {
    let text = "pid,dato,praksistype,takster,tverrfaglig\n\
                p1,2021-01-05,63,2ad 14,\n\
                p1,2021-01-06,legevakt,11ak;2ad,0\n\
                p1,2021-01-07,GP,2aek,\n\
                p1,2021-01-08,65,701a,ja\n\
                p1,2021-01-09,GP,,\n\
                p1,2021-01-10,61,2ad,\n";
    let l = load_texts(&[("persons.csv", PERSONS), ("kuhr.csv", text)]);
    let pc = l.tables.primary_care.as_ref().unwrap();
    let got: Vec<(Provider, ContactType, bool)> = pc
        .iter()
        .map(|c| (c.provider, c.contact_type, c.interdisciplinary))
        .collect();
    assert_eq!(
        got,
        vec![
            (Provider::Gp, ContactType::Consultation, true),
            (Provider::OutOfHours, ContactType::HomeVisit, false),
            (Provider::Gp, ContactType::EConsultation, false),
            (Provider::OutOfHours, ContactType::Other, true),
        ]
    );
    // No contact_type column and no tariffs: missing, with no column to point at.
    assert_eq!(at(&l, "missing_required"), vec![(6, None)]);
    assert_eq!(at(&l, "unknown_code"), vec![(7, Some(3))]);
}

// ---- population ---------------------------------------------------------------------------

#[test]
fn population_rows() {
    let text = "kommune;år;kjønn;alder;antall\n301;2021;1;18-24;1 234\n0301;2021;2;67+;99\n0301;2021;;16-19;5\n0301;2021;;;-1\n";
    let l = load_texts(&[("persons.csv", PERSONS), ("befolkning.csv", text)]);
    let p = l.tables.population.as_ref().unwrap();
    assert_eq!(p.len(), 3);
    assert_eq!(p[0].municipality, Municipality(301));
    assert_eq!(p[0].count, 1234);
    assert_eq!(p[0].sex, Some(Sex::Male));
    assert_eq!(at(&l, "municipality_zero_restored"), vec![(2, Some(1))]);
    assert_eq!(at(&l, "age_band_straddles_18"), vec![(4, Some(4))]);
    assert_eq!(at(&l, "invalid_value"), vec![(5, Some(5))]);
}

// ---- files, kinds, mapping ----------------------------------------------------------------

#[test]
fn unrecognisable_and_empty_files_are_fatal_for_themselves_only() {
    let l = load_texts(&[
        ("persons.csv", PERSONS),
        ("x.csv", "a,b\n1,2\n"),
        ("empty.csv", ""),
    ]);
    assert_eq!(l.tables.persons.len(), 2);
    let x = report(&l, "x.csv");
    assert_eq!(x.kind, None);
    assert_eq!(x.fatal.as_ref().unwrap().kind.code(), "unknown_table");
    assert_eq!(
        report(&l, "empty.csv").fatal.as_ref().unwrap().kind.code(),
        "empty_file"
    );
    // Bilingual, not "empty file / tom fil" in both.
    let empty = report(&l, "empty.csv").fatal.as_ref().unwrap();
    assert_eq!(empty.render(Lang::En), "empty.csv:1: the file is empty");
    assert_eq!(empty.render(Lang::Nb), "empty.csv:1: filen er tom");
    assert_eq!(l.quality.counts_by_code()["unknown_table"], 1);
    assert!(l.quality.has_usable_data());
    assert!(!load_texts(&[("x.csv", "a,b\n")]).quality.has_usable_data());
}

#[test]
fn two_files_of_one_kind_are_refused_not_added_up() {
    let l = load_texts(&[
        ("p1.csv", "pid,age\na,40\n"),
        ("p2.csv", "pid,age\nb,41\na,42\n"),
    ]);
    assert!(l.tables.persons.is_empty());
    for name in ["p1.csv", "p2.csv"] {
        let f = report(&l, name).fatal.as_ref().unwrap();
        assert_eq!(
            f.render(Lang::En),
            format!("{name}:1: two files for the persons table (p1.csv, p2.csv); neither is used — remove one")
        );
    }
    assert_eq!(l.tables.unusable.len(), 1);
    assert_eq!(l.tables.unusable[0].kind, TableKind::Persons);
    // A given kind and a recognised one count alike; the broken one counts too.
    let files = [
        file("persons.csv", PERSONS),
        file(
            "e.csv",
            "pid,sector,care_level,admit_date\np1,PHV,POL,2021-01-01\n",
        ),
        SourceFile {
            name: "opphold.csv",
            bytes: b"hello world",
            kind: Some(TableKind::Episodes),
        },
    ];
    let l = load(&files, &ReadOptions::default());
    assert_eq!(l.tables.episodes, None);
    assert!(!l.tables.has(TableKind::Episodes));
    let u = &l.tables.unusable;
    assert_eq!((u.len(), u[0].kind), (1, TableKind::Episodes));
    assert_eq!(
        u[0].issue.kind,
        IssueKind::DuplicateTable {
            table: "episodes",
            files: vec!["e.csv".into(), "opphold.csv".into()]
        }
    );
    assert_eq!(l.tables.persons.len(), 2);
}

#[test]
fn missing_required_column_makes_the_table_unusable_with_one_message() {
    let l = load_texts(&[
        ("persons.csv", PERSONS),
        (
            "e.csv",
            "pid,sector,care_level,inndato\np1,PHV,POL,2021-01-01\n",
        ),
    ]);
    assert_eq!(l.tables.episodes.as_ref().unwrap().len(), 1);
    let files = [
        file("persons.csv", PERSONS),
        SourceFile {
            name: "e.csv",
            bytes: b"pid,sector,care_level\np1,PHV,POL\np2,PHV,POL\n",
            kind: Some(TableKind::Episodes),
        },
    ];
    let l = load(&files, &ReadOptions::default());
    assert_eq!(at(&l, "missing_required"), vec![]);
    assert_eq!(l.tables.episodes, None);
    let e = report(&l, "e.csv");
    assert_eq!((e.rows_read, e.rows_used, e.rows_rejected), (0, 0, 0));
    let f = e.fatal.as_ref().unwrap();
    assert_eq!(
        f.render(Lang::En),
        "e.csv:1: the table lacks the required column admit_date; no row can be used"
    );
    assert_eq!(
        l.tables.unusable,
        vec![crate::model::UnusableTable {
            kind: TableKind::Episodes,
            issue: f.clone()
        }]
    );
    // Not the table at all.
    let files = [
        file("persons.csv", PERSONS),
        SourceFile {
            name: "episodes.csv",
            bytes: b"hello world",
            kind: Some(TableKind::Episodes),
        },
    ];
    let l = load(&files, &ReadOptions::default());
    assert_eq!(l.tables.unusable[0].issue.kind.code(), "unknown_table");
    assert_eq!(l.tables.episodes, None);
    // Every row rejected: rows counted, and the table unusable.
    let l = load_texts(&[
        ("persons.csv", PERSONS),
        (
            "e.csv",
            "pid,sector,care_level,admit_date\np9,PHV,POL,2021-01-01\np1,PHV,POL,x\n",
        ),
    ]);
    let e = report(&l, "e.csv");
    assert_eq!((e.rows_read, e.rows_used, e.rows_rejected), (2, 0, 2));
    assert_eq!(l.tables.episodes, None);
    assert_eq!(
        l.tables.unusable[0].issue.render(Lang::Nb),
        "e.csv:1: alle 2 rader er avvist; tabellen kan ikke brukes"
    );
    // A header and no rows is an empty table, not an unusable one.
    let l = load_texts(&[
        ("persons.csv", PERSONS),
        ("e.csv", "pid,sector,care_level,admit_date\n"),
    ]);
    assert_eq!(l.tables.episodes, Some(vec![]));
    assert!(l.tables.unusable.is_empty());
}

#[test]
fn unclosed_quote_is_reported_where_it_opens_and_reading_goes_on() {
    // Line 3 opens a quote that never closes: without the check the rest of the file would
    // be one field. Lines 4 and 5 are read.
    let text = "pid,age\na,40\n\"b,41\nc,42\nd,43\n";
    let l = load_texts(&[("persons.csv", text)]);
    let r = report(&l, "persons.csv");
    assert_eq!((r.rows_read, r.rows_used, r.rows_rejected), (4, 3, 1));
    let pids: Vec<&str> = l.tables.persons.iter().map(|p| p.pid.as_str()).collect();
    assert_eq!(pids, ["a", "c", "d"]);
    assert_eq!(at(&l, "unclosed_quote"), vec![(3, None)]);
    assert_eq!(
        issues(&l, "unclosed_quote")[0].kind,
        IssueKind::UnclosedQuote { lines: 3 }
    );
    // A quoted field with a line break that closes, in the right number of fields, is CSV.
    let l = load_texts(&[(
        "areas.csv",
        "municipality,municipality_name,health_community,region\n0301,\"Os\nlo\",Oslo,Sør-Øst\n4601,Bergen,Bergen,Vest\n",
    )]);
    let a = l.tables.areas.as_ref().unwrap();
    assert_eq!(a[0].municipality_name.as_deref(), Some("Os\nlo"));
    assert_eq!((a.len(), at(&l, "unclosed_quote")), (2, vec![]));
    // The same as the last record, its quoted field closed before the last (unquoted) field.
    let l = load_texts(&[(
        "areas.csv",
        "municipality,municipality_name,health_community,region\n4601,Bergen,Bergen,Vest\n0301,\"Os\nlo\",Oslo,Sør-Øst",
    )]);
    assert_eq!(l.tables.areas.as_ref().map(Vec::len), Some(2));
    assert_eq!(at(&l, "unclosed_quote"), vec![]);
    // …and a last record whose quote never closes, with the right field count by chance.
    let l = load_texts(&[("persons.csv", "pid,age\na,40\nb,\"41\n")]);
    assert_eq!(at(&l, "unclosed_quote"), vec![(3, None)]);
    // A quote that closes many records later, with the field count right by chance, still
    // runs over whole records (line 3's field holds "b,41\nc,42\nd").
    let l = load_texts(&[("persons.csv", "pid,age\na,40\n\"b,41\nc,42\nd\",43\ne,44\n")]);
    assert_eq!(at(&l, "unclosed_quote"), vec![(3, None)]);
    let pids: Vec<&str> = l.tables.persons.iter().map(|p| p.pid.as_str()).collect();
    // Reading goes on at line 4; on line 5 the quote is inside a field, so literal: pid `d"`.
    assert_eq!(pids, ["a", "c", "d\"", "e"]);
    assert_accounting(&l);
}

#[test]
fn ragged_rows_and_cr_line_ends() {
    // Old Mac line ends: the bad age is on line 4, and is reported there.
    let l = load_texts(&[("persons.csv", "pid,age\ra,40\rb,41\rc,x\r")]);
    assert_eq!(at(&l, "bad_number"), vec![(4, Some(2))]);
    let l = load_texts(&[("persons.csv", "pid,age,sex\na,40\nb,41,K,extra\nc,42,M\n")]);
    assert_eq!(at(&l, "ragged_row"), vec![(2, None), (3, None)]);
    assert_eq!(
        issues(&l, "ragged_row")[1].render(Lang::En),
        "persons.csv:3: the row has 4 fields, the header 3"
    );
    assert_eq!(l.tables.persons.len(), 3);
}

#[test]
fn repeated_columns_duplicate_areas_and_implausible_dates() {
    let options = ReadOptions {
        analysis_year: Some(2021),
        ..ReadOptions::default()
    };
    let files = [
        file(
            "areas.csv",
            "municipality,health_community,region\n0301,Oslo,Sør-Øst\n0301,Bergen,Vest\n",
        ),
        file(
            "persons.csv",
            "pid,birth_year,municipality,kommune,death_date\na,1980,0301,4601,\nb,2023,0301,,\nc,1990,0301,,1989-05-01\n",
        ),
        file(
            "episodes.csv",
            "pid,sector,care_level,admit_date,discharge_date\na,PHV,POL,2021-01-01,\na,PHV,POL,2023-01-01,\n",
        ),
    ];
    let l = load(&files, &options);
    assert_eq!(
        issues(&l, "repeated_column")[0].render(Lang::En),
        "persons.csv:1:4 (kommune): the column means the same (municipality) as column 3; column 3 is read, this one is not"
    );
    assert_eq!(l.tables.persons[0].municipality, Some(Municipality(301)));
    assert_eq!(
        issues(&l, "duplicate_municipality")[0].render(Lang::En),
        "areas.csv:3:1 (municipality): municipality 0301 is already listed on line 2, which is used"
    );
    assert_eq!(l.tables.areas.as_ref().unwrap().len(), 1);
    assert_eq!(at(&l, "born_after_year"), vec![(3, Some(2))]);
    assert_eq!(at(&l, "death_before_birth"), vec![(4, Some(5))]);
    // 2023 > 2021 + 1; 2021 itself is fine.
    assert_eq!(at(&l, "date_far_in_future"), vec![(3, Some(4))]);
    assert_eq!(l.tables.episodes.as_ref().unwrap().len(), 2);
    assert_accounting(&l);
}

#[test]
fn size_and_inflation_caps() {
    let options = ReadOptions {
        max_file_bytes: 20,
        ..ReadOptions::default()
    };
    let files = [SourceFile {
        name: "persons.csv",
        bytes: PERSONS.as_bytes(),
        kind: Some(TableKind::Persons),
    }];
    let l = load(&files, &options);
    assert_eq!(
        l.tables.unusable[0].issue.render(Lang::En),
        "persons.csv:1: the file is 1 MB, above the limit of 1 MB"
    );
    assert_eq!(
        l.tables.unusable[0].issue.kind,
        IssueKind::FileTooLarge {
            bytes: 62,
            limit: 20
        }
    );
    let wb = workbook();
    let options = ReadOptions {
        max_inflated_bytes: 1000,
        ..ReadOptions::default()
    };
    let files = [SourceFile {
        name: "persons.xlsx",
        bytes: &wb,
        kind: Some(TableKind::Persons),
    }];
    let l = load(&files, &options);
    assert_eq!(l.tables.unusable[0].issue.kind.code(), "xlsx_too_large");
    assert!(l.tables.persons.is_empty());
}

#[test]
fn mapping_profile_maps_columns_and_values() {
    let json = r#"{
        "columns": {"episodes": {"Fagområde": "sector", "Innlagt": "admit_date"}},
        "values": {"episodes.sector": {"Psykiatri": "PHV"}, "municipal_services.service": {"7": "HOME_HEALTH"}}
    }"#;
    let mapping: MappingProfile = serde_json::from_str(json).unwrap();
    let options = ReadOptions {
        mapping,
        ..ReadOptions::default()
    };
    let ep = "pid;fagområde;omsorgsnivå;innlagt\np1;psykiatri;3;2021-01-01\n";
    let sv = "pid;service;start_date\np1;7;2021-01-01\n";
    let l = load(
        &[
            file("persons.csv", PERSONS),
            file("e.csv", ep),
            file("s.csv", sv),
        ],
        &options,
    );
    assert_eq!(l.tables.episodes.as_ref().unwrap()[0].sector, Sector::Phv);
    assert_eq!(
        l.tables.municipal_services.as_ref().unwrap()[0].service,
        ServiceCode::HomeHealth
    );
    assert!(l.quality.counts_by_code().is_empty());
}

#[test]
fn read_options_round_trip_and_refuse_unknown_fields() {
    let mut o = ReadOptions {
        century_pivot: Some(30),
        sheet: Some("Ark1".into()),
        ..ReadOptions::default()
    };
    o.mapping.columns.insert(
        "persons".into(),
        [("Løpenummer".to_string(), "pid".to_string())].into(),
    );
    o.mapping.values.insert(
        "persons.sex".into(),
        [("Kvinne".to_string(), "K".to_string())].into(),
    );
    let j = serde_json::to_string(&o).unwrap();
    assert_eq!(serde_json::from_str::<ReadOptions>(&j).unwrap(), o);
    assert!(serde_json::from_str::<MappingProfile>(r#"{"colums": {}}"#).is_err());
    assert!(serde_json::from_str::<ReadOptions>(r#"{"pivot": 30}"#).is_err());
    // Missing fields take their defaults.
    assert_eq!(
        serde_json::from_str::<ReadOptions>("{}").unwrap(),
        ReadOptions::default()
    );
}

#[test]
fn inspect_shows_matches_and_unrecognised_codes() {
    let ep = "lopenr;sektor;omsorgsnivå;ekstra\np1;PHV;1\np1;Psyk;1\np1;Psyk;X\np1;PHV;1\n";
    let p = inspect(&file("e.csv", ep), &ReadOptions::default()).unwrap();
    assert_eq!(p.kind, Some(TableKind::Episodes));
    assert_eq!(p.delimiter, Some(';'));
    assert_eq!(
        p.matched,
        vec![Some("pid"), Some("sector"), Some("care_level"), None]
    );
    assert_eq!(p.missing_required, vec!["admit_date"]);
    assert_eq!(p.rows.len(), 4);
    assert_eq!(p.unrecognised.len(), 2);
    assert_eq!(p.unrecognised[0].column, "sector");
    assert_eq!(p.unrecognised[0].values, vec![("Psyk".to_string(), 2)]);
    assert_eq!(p.unrecognised[1].values, vec![("X".to_string(), 1)]);
    assert!(inspect(&file("e.csv", ""), &ReadOptions::default()).is_err());
}

#[test]
fn detect_kind_from_canonical_headers() {
    assert_eq!(
        detect_kind(&["pid", "service", "start_date", "end_date"]),
        Some(TableKind::MunicipalServices)
    );
    assert_eq!(
        detect_kind(&["pid", "date", "provider", "contact_type"]),
        Some(TableKind::PrimaryCare)
    );
}

#[test]
fn progress_is_reported_and_can_cancel() {
    let mut text = String::from("pid,age\n");
    for i in 0..120_000 {
        text.push_str(&format!("p{i},40\n"));
    }
    let files = [file("p.csv", &text)];
    let mut seen = Vec::new();
    let l = load_with_progress(&files, &ReadOptions::default(), &mut |p| {
        seen.push(p.rows_done);
        true
    })
    .unwrap();
    assert_eq!(l.tables.persons.len(), 120_000);
    // Every 50 000 rows: 50 000 and 100 000.
    assert_eq!(seen, vec![50_000, 100_000]);
    let r = load_with_progress(&files, &ReadOptions::default(), &mut |_| false);
    assert_eq!(r.unwrap_err(), Cancelled);
}

// ---- xlsx ---------------------------------------------------------------------------------

fn workbook() -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("dd.mm.yyyy");
    let ws = wb.add_worksheet();
    ws.set_name("Opphold").unwrap();
    for (c, h) in [
        "lopenr",
        "sektor",
        "omsorgsniva",
        "inndato",
        "utdato",
        "hastegrad",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "p1").unwrap();
    ws.write_string(1, 1, "PHV").unwrap();
    ws.write_number(1, 2, 1.0).unwrap();
    let a = ExcelDateTime::from_ymd(2021, 3, 1).unwrap();
    let b = ExcelDateTime::from_ymd(2021, 3, 10).unwrap();
    ws.write_datetime_with_format(1, 3, &a, &date).unwrap();
    ws.write_datetime_with_format(1, 4, &b, &date).unwrap();
    ws.write_number(1, 5, 1.0).unwrap();
    ws.write_string(2, 0, "p2").unwrap();
    ws.write_string(2, 1, "TSB").unwrap();
    ws.write_number(2, 2, 3.0).unwrap();
    ws.write_string(2, 3, "31.02.2021").unwrap();
    let ws2 = wb.add_worksheet();
    ws2.set_name("Personer").unwrap();
    for (c, h) in ["lopenr", "fodselsar", "kommune"].iter().enumerate() {
        ws2.write_string(0, c as u16, *h).unwrap();
    }
    ws2.write_string(1, 0, "p1").unwrap();
    ws2.write_number(1, 1, 1980.0).unwrap();
    ws2.write_number(1, 2, 301.0).unwrap();
    ws2.write_string(2, 0, "p2").unwrap();
    ws2.write_number(2, 1, 1990.0).unwrap();
    ws2.write_string(2, 2, "4601").unwrap();
    wb.save_to_buffer().unwrap()
}

#[test]
fn xlsx_reads_like_csv() {
    let bytes = workbook();
    let opts = |sheet: &str| ReadOptions {
        sheet: Some(sheet.into()),
        ..ReadOptions::default()
    };
    let persons = load(
        &[SourceFile {
            name: "bok.xlsx",
            bytes: &bytes,
            kind: None,
        }],
        &opts("Personer"),
    );
    let csv_persons = load_texts(&[(
        "p.csv",
        "lopenr,fodselsar,kommune\np1,1980,0301\np2,1990,4601\n",
    )]);
    assert_eq!(persons.tables.persons, csv_persons.tables.persons);
    // 301.0 → 0301, counted.
    assert_eq!(
        at(&persons, "municipality_zero_restored"),
        vec![(2, Some(3))]
    );
    assert_eq!(
        report(&persons, "bok.xlsx").sheet.as_deref(),
        Some("Personer")
    );

    // The first sheet by default; the persons come from the CSV.
    let l = load(
        &[
            file(
                "p.csv",
                "lopenr,fodselsar,kommune\np1,1980,0301\np2,1990,4601\n",
            ),
            SourceFile {
                name: "bok.xlsx",
                bytes: &bytes,
                kind: None,
            },
        ],
        &ReadOptions::default(),
    );
    let csv = load_texts(&[
        ("p.csv", "lopenr,fodselsar,kommune\np1,1980,0301\np2,1990,4601\n"),
        ("e.csv", "lopenr,sektor,omsorgsniva,inndato,utdato,hastegrad\np1,PHV,1,01.03.2021,10.03.2021,1\np2,TSB,3,31.02.2021,,\n"),
    ]);
    assert_eq!(l.tables, csv.tables);
    assert_eq!(at(&l, "bad_date"), vec![(3, Some(4))]);
    assert_eq!(
        report(&l, "bok.xlsx").encoding,
        Some(TextEncoding::Workbook)
    );

    let missing = load(
        &[SourceFile {
            name: "bok.xlsx",
            bytes: &bytes,
            kind: None,
        }],
        &opts("Ark9"),
    );
    assert_eq!(missing.quality.counts_by_code()["unknown_sheet"], 1);
}

// ---- invariants on arbitrary input --------------------------------------------------------

mod props {
    use super::*;
    use proptest::prelude::*;

    fn check(bytes: &[u8]) {
        for kind in TableKind::ALL.iter().copied().map(Some).chain([None]) {
            let files = [
                file("persons.csv", PERSONS),
                SourceFile {
                    name: "x",
                    bytes,
                    kind,
                },
            ];
            let l = load(&files, &ReadOptions::default());
            assert_accounting(&l);
            let _ = inspect(&files[1], &ReadOptions::default());
        }
    }

    proptest! {
        #[test]
        fn rows_read_is_used_plus_rejected_on_random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            check(&bytes);
        }

        #[test]
        fn rows_read_is_used_plus_rejected_on_csv_like_text(
            head in prop::sample::select(vec![
                "pid,sector,care_level,admit_date,discharge_date,urgency",
                "pid;tjeneste;startdato;sluttdato",
                "pid,dato,praksistype,takster",
                "kommune;år;alder;antall",
                "pid,birth_year,age,municipality",
            ]),
            cells in proptest::collection::vec(
                prop::sample::select(vec!["p1", "p2", "PHV", "1", "3", "15", "2021-01-01", "31.02.2021",
                    "01.01.", "1899-01-01", "", "\"", ",", ";", "\n", "63", "2ad", "18-24", "301", "x"]),
                0..80)
        ) {
            let text = format!("{head}\n{}", cells.concat());
            check(text.as_bytes());
        }
    }
}

// ---- speed ------------------------------------------------------------------------------

/// Reading speed on a generated national-size extract (run with
/// `cargo test --release -p forlop-core --lib -- --ignored reading_speed --nocapture`).
#[test]
#[ignore]
fn reading_speed() {
    use std::fmt::Write as _;
    let n_persons = 500_000usize;
    let n_episodes = 2_000_000usize;
    let mut persons = String::from("lopenr;fodselsar;kjonn;kommune;dodsdato\n");
    for i in 0..n_persons {
        let _ = writeln!(
            persons,
            "p{i};{};{};{:04};",
            1930 + i % 80,
            1 + i % 2,
            301 + i % 50
        );
    }
    let mut episodes = String::from(
        "lopenr;sektor;omsorgsniva;inndato;inntid;utdato;innmatehast;hovedtilstand;bitilstand\n",
    );
    let mut h: u64 = 7;
    for _ in 0..n_episodes {
        h = h
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let p = (h >> 33) as usize % n_persons;
        let day = 1 + (h >> 20) as u32 % 28;
        let level = 1 + (h >> 10) as u32 % 3;
        let _ = writeln!(
            episodes,
            "p{p};PHV;{level};{day:02}.03.2021;08:30;{:02}.04.2021;{};F20.{};F10.2",
            day,
            1 + (h >> 5) % 5,
            h % 10
        );
    }
    let cp = to_cp1252(&episodes);
    let files = [
        file("persons.csv", &persons),
        SourceFile {
            name: "episodes.csv",
            bytes: &cp,
            kind: None,
        },
    ];
    let t = std::time::Instant::now();
    let l = load(&files, &ReadOptions::default());
    let secs = t.elapsed().as_secs_f64();
    let rows = (n_persons + n_episodes) as f64;
    let mb = (persons.len() + cp.len()) as f64 / 1e6;
    println!(
        "{} rows ({mb:.0} MB, episodes as Windows-1252) in {secs:.2} s: {:.2} M rows/s, {:.0} MB/s",
        rows,
        rows / secs / 1e6,
        mb / secs
    );
    assert_eq!(l.tables.persons.len(), n_persons);
    assert_eq!(l.tables.episodes.as_ref().unwrap().len(), n_episodes);
    assert_accounting(&l);
}

#[test]
fn a_ready_date_before_the_admission_is_a_finding_and_the_row_is_kept() {
    let head = "pid,sector,care_level,admit_date,discharge_date,urgency,ready_date\n";
    let text = format!(
        "{head}p1,SOM,DOGN,2021-03-10,2021-03-20,ACUTE,2021-03-05\n\
         p1,SOM,DOGN,2021-05-10,2021-05-20,ACUTE,2021-05-10\n"
    );
    let l = load_texts(&[("persons.csv", PERSONS), ("episodes.csv", &text)]);
    // Line 2, column 7 (ready_date); the same-day ready date on line 3 is fine.
    assert_eq!(at(&l, "ready_before_admit"), vec![(2, Some(7))]);
    assert!(issues(&l, "ready_before_admit")[0]
        .render(Lang::En)
        .ends_with("ready-for-discharge date 2021-03-05 is before admission date 2021-03-10; the row is used, with 0 treatment days"));
    assert_eq!(l.tables.episodes.as_ref().unwrap().len(), 2);
}

// ---- reading in pieces --------------------------------------------------------------------

#[test]
fn files_fetched_when_needed_read_like_borrowed_bytes() {
    // UTF-8 with a BOM, Windows-1252 (ø as one byte 0xF8) and plain UTF-8 with unit names.
    let persons = b"\xEF\xBB\xBFpid,birth_year,municipality\np1,1980,301\np2,1990,0301\n".to_vec();
    let episodes = format!(
        "{EP_HEAD}p1,PHV,DOGN,2021-03-01,,2021-03-02,1,F20,F32,PAM,,\n\
         p2,PHV,POL,2021-03-01,,,,,,DPS,,\np1,PHV,POL,2021-03-04,,,,,,PAM,,\n\
         p1,PHV,POL,2021-03-04,,,,,,PAM,,\n"
    )
    .into_bytes();
    let mut services = b"pid;service;start_date;end_date\np1;HOME_HEALTH;01.03.2021;\n".to_vec();
    services.extend_from_slice(b"p2;st\xF8ttekontakt;01.03.2021;\n");
    let texts = [
        ("personer.csv", persons),
        ("opphold.csv", episodes),
        ("kommunale_tjenester.csv", services),
    ];
    let borrowed: Vec<SourceFile<'_>> = texts
        .iter()
        .map(|(n, b)| SourceFile {
            name: n,
            bytes: b,
            kind: None,
        })
        .collect();
    let one = load(&borrowed, &ReadOptions::default());
    let count = std::cell::Cell::new(0);
    let fetches = &count;
    let lazy_files = |fail: Option<&'static str>| {
        texts
            .iter()
            .map(|(n, b)| LazyFile {
                name: n.to_string(),
                kind: None,
                len: b.len() as u64,
                fetch: Box::new(move || {
                    fetches.set(fetches.get() + 1);
                    match fail {
                        Some(f) if f == *n => Err("gone".to_string()),
                        _ => Ok(b.clone()),
                    }
                }),
            })
            .collect::<Vec<_>>()
    };
    let lazy = load_lazy(lazy_files(None), &ReadOptions::default(), &mut |_| true).unwrap();
    assert_eq!(one.tables, lazy.tables);
    assert_eq!(one.quality, lazy.quality);
    // Kinds not given: each file fetched twice, to recognise it, then for its rows.
    assert_eq!(fetches.get(), 6);
    // Kinds given (as the CLI gives them): each file fetched once, and read the same.
    fetches.set(0);
    let given: Vec<LazyFile<'_>> = lazy_files(None)
        .into_iter()
        .zip([
            TableKind::Persons,
            TableKind::Episodes,
            TableKind::MunicipalServices,
        ])
        .map(|(f, kind)| LazyFile {
            kind: Some(kind),
            ..f
        })
        .collect();
    let once = load_lazy(given, &ReadOptions::default(), &mut |_| true).unwrap();
    assert_eq!(fetches.get(), 3);
    assert_eq!(one.tables, once.tables);
    assert_eq!(one.quality, once.quality);
    // "PAM" and "DPS" stored once each; the fourth episode copies the third.
    assert_eq!(lazy.tables.units, vec!["PAM", "DPS"]);
    assert_eq!(lazy.quality.counts_by_code()["duplicate_row"], 1);
    // A file that cannot be fetched is unreadable, its table unusable; the others are read.
    let broken = load_lazy(
        lazy_files(Some("opphold.csv")),
        &ReadOptions::default(),
        &mut |_| true,
    )
    .unwrap();
    assert!(broken.tables.episodes.is_none());
    assert_eq!(broken.tables.persons.len(), 2);
    assert_eq!(broken.quality.counts_by_code()["unreadable_file"], 1);
}

#[test]
fn files_opened_when_read_are_refused_in_the_same_order() {
    // Input order differs from table order, so a reader that opened the given-kind files only
    // when their tables are read would list the refusals in table order; the list keeps the
    // order of a reader that opens every file first: services (file 1), population (3),
    // episodes (4), then primary care, whose rows are all rejected (found while reading).
    let texts: [(&str, TableKind, &[u8]); 5] = [
        (
            "primary_care.csv",
            TableKind::PrimaryCare,
            b"pid,date,provider,contact_type\np9,2021-03-01,GP,1\n",
        ),
        ("services.csv", TableKind::MunicipalServices, b"a,b\n1,2\n"),
        (
            "persons.csv",
            TableKind::Persons,
            b"pid,birth_year\np1,1980\n",
        ),
        ("population.csv", TableKind::Population, b""),
        ("episodes.csv", TableKind::Episodes, b"pid,sector\np1,PHV\n"),
    ];
    let borrowed: Vec<SourceFile<'_>> = texts
        .iter()
        .map(|&(name, kind, bytes)| SourceFile {
            name,
            bytes,
            kind: Some(kind),
        })
        .collect();
    let want = load(&borrowed, &ReadOptions::default());
    let count = std::cell::Cell::new(0);
    let fetches = &count;
    let lazy = texts
        .iter()
        .map(|&(name, kind, bytes)| LazyFile {
            name: name.to_string(),
            kind: Some(kind),
            len: bytes.len() as u64,
            fetch: Box::new(move || {
                fetches.set(fetches.get() + 1);
                Ok(bytes.to_vec())
            }),
        })
        .collect();
    let got = load_lazy(lazy, &ReadOptions::default(), &mut |_| true).unwrap();
    assert_eq!(fetches.get(), 5);
    let kinds = |l: &Loaded| l.tables.unusable.iter().map(|u| u.kind).collect::<Vec<_>>();
    assert_eq!(
        kinds(&got),
        vec![
            TableKind::MunicipalServices,
            TableKind::Population,
            TableKind::Episodes,
            TableKind::PrimaryCare
        ]
    );
    let codes = |l: &Loaded| {
        let code = |u: &crate::model::UnusableTable| u.issue.kind.code();
        l.tables.unusable.iter().map(code).collect::<Vec<_>>()
    };
    assert_eq!(
        codes(&got),
        vec![
            "unknown_table",
            "empty_file",
            "missing_column",
            "no_usable_rows"
        ]
    );
    assert_eq!(want.tables, got.tables);
    assert_eq!(want.quality, got.quality);
}

mod pieces {
    use super::*;
    use proptest::prelude::*;

    /// One line of an episodes file: good rows, copies, unknown persons, bad dates, ragged
    /// rows, blank lines and CRLF endings, so every kind of issue can fall on either side of
    /// a cut.
    pub(super) fn line() -> impl Strategy<Value = String> {
        let pid = prop_oneof![Just("p1"), Just("p2"), Just("p9"), Just("")];
        let date = prop_oneof![
            Just("2021-03-01"),
            Just("2021-03-02"),
            Just("01.02.21"),
            Just("1850-01-01"),
            Just("31.02.2021"),
        ];
        let level = prop_oneof![Just("POL"), Just("DOGN"), Just("x")];
        let end = prop_oneof![Just("\n"), Just("\r\n")];
        (pid, date, level, any::<u8>(), end).prop_map(|(pid, date, level, shape, end)| {
            match shape % 16 {
                0 => end.to_string(),
                1 => format!("{pid},PHV{end}"),
                // Quotes: a quoted pid, a comma inside quotes, a line break inside quotes, a
                // doubled quote, a stray quote inside an unquoted field, an unclosed quote.
                2 => format!("\"{pid}\",PHV,{level},{date},,,ACUTE,F20,,,,{end}"),
                3 => format!("{pid},PHV,{level},{date},,,ACUTE,\"F20,F32\",,,,{end}"),
                4 => format!("{pid},PHV,{level},{date},,,ACUTE,F20,,\"DPS{end}nord\",,{end}"),
                5 => format!("{pid},PHV,{level},{date},,,ACUTE,F20,,\"a \"\"b\"\"\",,{end}"),
                6 => format!("{pid},PHV,{level},{date},,,ACUTE,F20,,5\"x,,{end}"),
                7 => format!("{pid},PHV,{level},{date},,,ACUTE,\"F20,,,,{end}"),
                // Unit names, so that pieces number them differently and are renumbered.
                _ => {
                    let unit = ["", "PAM", "DPS døgn", "Akutt"][usize::from(shape / 16) % 4];
                    format!("{pid},PHV,{level},{date},,,ACUTE,F20,,{unit},,{end}")
                }
            }
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        #[test]
        fn pieces_read_like_one_go(
            lines in proptest::collection::vec(line(), 1..200),
            threads in 2usize..5,
            no_last_end in proptest::bool::ANY,
        ) {
            let mut text = format!("{EP_HEAD}{}", lines.concat());
            // Sometimes the last line has no line end: the last piece then has one row more
            // than line ends.
            if no_last_end {
                text.truncate(text.trim_end_matches(['\r', '\n']).len());
            }
            let files = [file("persons.csv", PERSONS), file("episodes.csv", &text)];
            let one = load(&files, &ReadOptions::default());
            let opts = ReadOptions { threads, ..ReadOptions::default() };
            let many = load(&files, &opts);
            for (a, b) in one.quality.files.iter().zip(&many.quality.files) {
                prop_assert_eq!(&a.counts, &b.counts);
                prop_assert_eq!((a.rows_read, a.rows_used, a.warnings), (b.rows_read, b.rows_used, b.warnings));
                for (code, ex) in &a.examples {
                    let lines = |v: &Vec<crate::quality::Issue>| v.iter().map(|i| i.location.line).collect::<Vec<_>>();
                    prop_assert_eq!(lines(ex), lines(&b.examples[code]), "{}", code);
                }
            }
            prop_assert_eq!(&one.tables, &many.tables);
            prop_assert_eq!(&one.quality, &many.quality);
        }
    }

    /// Every piece read as a separate worker would (`read_piece`), moved through bytes, then
    /// joined (`load_with_pieces`).
    fn in_workers(files: &[SourceFile<'_>], count: usize) -> Loaded {
        let opts = ReadOptions::default();
        let sets = (0..count)
            .map(|i| {
                let set = read_piece(files, &opts, i, count, &mut |_| true).unwrap();
                PieceSet::from_bytes(&set.to_bytes()).unwrap()
            })
            .collect();
        load_with_pieces(files, &opts, sets, &mut |_| true).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]
        #[test]
        fn pieces_in_workers_read_like_one_go(
            lines in proptest::collection::vec(line(), 1..200),
            count in 2usize..5,
            no_last_end in proptest::bool::ANY,
        ) {
            let mut text = format!("{EP_HEAD}{}", lines.concat());
            if no_last_end {
                text.truncate(text.trim_end_matches(['\r', '\n']).len());
            }
            let files = [file("persons.csv", PERSONS), file("episodes.csv", &text)];
            let one = load(&files, &ReadOptions::default());
            let many = in_workers(&files, count);
            prop_assert_eq!(&one.tables, &many.tables);
            prop_assert_eq!(&one.quality, &many.quality);
        }
    }

    /// Services (whose lines are kept for the overlap check) and primary care, cut too: the
    /// overlaps found across pieces name the right earlier line.
    #[test]
    fn every_big_table_is_joined_from_workers_like_one_go() {
        let mut services = String::from("pid;tjeneste;vedtaksdato;startdato;sluttdato\n");
        let mut primary = String::from("pid,dato,praksistype,takster,tverrfaglig\n");
        for i in 0..60 {
            // Every 4th period overlaps the one before (same person and service).
            let (m, d) = (i / 4 % 12 + 1, if i % 4 == 3 { 2 } else { 10 + i % 4 });
            services.push_str(&format!(
                "p{};15;;2021-{m:02}-{d:02};2021-{m:02}-2{}\n",
                i % 2 + 1,
                i % 4
            ));
            primary.push_str(&format!(
                "p{},2021-01-{:02},63,2ad,\n",
                i % 3 + 1,
                i % 28 + 1
            ));
        }
        let mut episodes = String::from(EP_HEAD);
        for i in 0..60 {
            let unit = ["PAM", "DPS", "", "Akutt"][i % 4];
            episodes.push_str(&format!(
                "p{},PHV,POL,2021-03-{:02},,,ACUTE,F20,F32,{unit},,\n",
                i % 2 + 1,
                i % 28 + 1
            ));
        }
        let files = [
            file("persons.csv", PERSONS),
            file("episodes.csv", &episodes),
            file("tjenester.csv", &services),
            file("kuhr.csv", &primary),
        ];
        let one = load(&files, &ReadOptions::default());
        // Periods that overlap the one before: not the first of a person and service.
        assert!(one.quality.counts_by_code()["overlapping_service"] > 0);
        // p3 is not a person: 20 of the 60 primary-care rows.
        assert_eq!(one.quality.counts_by_code()["unknown_person"], 20);
        for count in 2..5 {
            let sets: Vec<PieceSet> = (0..count)
                .map(|i| {
                    read_piece(&files, &ReadOptions::default(), i, count, &mut |_| true).unwrap()
                })
                .collect();
            // Every big file was cut, so every set holds a piece of each.
            assert!(sets.iter().all(|s| s.files() == 3), "{count}");
            let many = in_workers(&files, count);
            // Joined from the pieces, not read again.
            assert_eq!(many.joined, 3, "{count}");
            // Every episode's other diagnoses are `F32`: one list, shared by all 60 rows across
            // the pieces, as when read in one go.
            let lists: std::collections::BTreeSet<_> = many
                .tables
                .episodes
                .iter()
                .flatten()
                .map(|e| e.other_diagnoses.as_slice().as_ptr())
                .collect();
            assert_eq!(lists.len(), 1, "{count}");
            assert_eq!(one.tables, many.tables, "{count}");
            assert_eq!(one.quality, many.quality, "{count}");
        }
    }

    /// A piece cut elsewhere than this load cuts the file (another file, or another count) is
    /// never joined: the file is read here, and the result is still `load`'s.
    #[test]
    fn pieces_that_do_not_fit_are_not_trusted() {
        let mut text = String::from(EP_HEAD);
        for i in 0..40 {
            text.push_str(&format!(
                "p1,PHV,POL,2021-03-{:02},,,ACUTE,F20,,,,\n",
                i % 28 + 1
            ));
        }
        let files = [file("persons.csv", PERSONS), file("episodes.csv", &text)];
        let one = load(&files, &ReadOptions::default());
        let opts = ReadOptions::default();
        // The second piece read from a longer file: its fingerprint is not this file's.
        let longer = format!("{text}p2,PHV,POL,2021-04-01,,,ACUTE,F20,,,,\n");
        let other = [file("persons.csv", PERSONS), file("episodes.csv", &longer)];
        let sets = vec![
            read_piece(&files, &opts, 0, 2, &mut |_| true).unwrap(),
            read_piece(&other, &opts, 1, 2, &mut |_| true).unwrap(),
        ];
        let got = load_with_pieces(&files, &opts, sets, &mut |_| true).unwrap();
        assert_eq!((&one.tables, &one.quality), (&got.tables, &got.quality));
        assert_eq!(got.joined, 0);
        // A piece missing, or the pieces of a cut in three given as two: read here as well.
        let sets = vec![read_piece(&files, &opts, 0, 2, &mut |_| true).unwrap()];
        let got = load_with_pieces(&files, &opts, sets, &mut |_| true).unwrap();
        assert_eq!((&one.tables, &one.quality), (&got.tables, &got.quality));
        let sets = vec![
            read_piece(&files, &opts, 0, 3, &mut |_| true).unwrap(),
            read_piece(&files, &opts, 1, 2, &mut |_| true).unwrap(),
        ];
        let got = load_with_pieces(&files, &opts, sets, &mut |_| true).unwrap();
        assert_eq!((&one.tables, &one.quality), (&got.tables, &got.quality));
        // The check is of the cut: a second piece of the same length and cuts, with another
        // date in its last row (row 40: day 39 % 28 + 1 = 12), is joined as it is, so the
        // pieces above were indeed not joined, and these are.
        let at = text.rfind("2021-03-12").unwrap();
        let changed = format!("{}2021-03-13{}", &text[..at], &text[at + 10..]);
        let other = [file("persons.csv", PERSONS), file("episodes.csv", &changed)];
        let sets = vec![
            read_piece(&files, &opts, 0, 2, &mut |_| true).unwrap(),
            read_piece(&other, &opts, 1, 2, &mut |_| true).unwrap(),
        ];
        let got = load_with_pieces(&files, &opts, sets, &mut |_| true).unwrap();
        assert_eq!(got.joined, 1);
        let last = |l: &Loaded| l.tables.episodes.as_ref().unwrap()[39].admit_date;
        assert_eq!((last(&one), last(&got)), (d(2021, 3, 12), d(2021, 3, 13)));
        // Bytes that are not a set are refused, not read.
        assert!(PieceSet::from_bytes(b"not a piece set").is_none());
    }

    /// A piece read under other options, or with other persons, holds other person indexes or
    /// other rejections: it is never joined. Here the helper's clock says 2030 and the joining
    /// worker's 2026, so the helper keeps a person born in 2028 whom the joining worker rejects;
    /// had the piece been joined, p2's rows would point at the wrong person.
    #[test]
    fn pieces_read_under_another_clock_or_persons_are_not_joined() {
        let persons =
            "pid,birth_year,sex,municipality\np0,2028,M,0301\np1,1980,M,0301\np2,1990,K,4601\n";
        let mut text = String::from(EP_HEAD);
        for i in 0..40 {
            let pid = if i % 2 == 0 { "p1" } else { "p2" };
            text.push_str(&format!(
                "{pid},PHV,POL,2021-03-{:02},,,ACUTE,F20,,,,\n",
                i % 28 + 1
            ));
        }
        let files = [file("persons.csv", persons), file("episodes.csv", &text)];
        let at = |year| ReadOptions {
            current_year: Some(year),
            ..ReadOptions::default()
        };
        let one = load(&files, &at(2026));
        assert_eq!(one.tables.persons.len(), 2, "born 2028 is rejected in 2026");
        let sets = vec![
            read_piece(&files, &at(2026), 0, 2, &mut |_| true).unwrap(),
            read_piece(&files, &at(2030), 1, 2, &mut |_| true).unwrap(),
        ];
        let got = load_with_pieces(&files, &at(2026), sets, &mut |_| true).unwrap();
        assert_eq!(got.joined, 0);
        assert_eq!((&one.tables, &one.quality), (&got.tables, &got.quality));
        // The same clock: joined, and the same.
        let sets = vec![
            read_piece(&files, &at(2026), 0, 2, &mut |_| true).unwrap(),
            read_piece(&files, &at(2026), 1, 2, &mut |_| true).unwrap(),
        ];
        let got = load_with_pieces(&files, &at(2026), sets, &mut |_| true).unwrap();
        assert_eq!(got.joined, 1);
        assert_eq!((&one.tables, &one.quality), (&got.tables, &got.quality));
        // Another persons file of the same length (p1 and p2 swapped): not joined.
        let swapped = persons
            .replace("p1,1980", "pX,1980")
            .replace("p2,1990", "p1,1990")
            .replace("pX,1980", "p2,1980");
        let other = [file("persons.csv", &swapped), file("episodes.csv", &text)];
        let sets = vec![
            read_piece(&files, &at(2026), 0, 2, &mut |_| true).unwrap(),
            read_piece(&other, &at(2026), 1, 2, &mut |_| true).unwrap(),
        ];
        let got = load_with_pieces(&files, &at(2026), sets, &mut |_| true).unwrap();
        assert_eq!(got.joined, 0);
        assert_eq!((&one.tables, &one.quality), (&got.tables, &got.quality));
    }

    /// Codes cross as text and are read back through `Icd10::parse`: never trusted as bytes.
    #[test]
    fn codes_read_back_are_checked() {
        use crate::model::Icd10;
        let f200 = Icd10::parse("F20.0").unwrap();
        let bytes = postcard::to_allocvec(&f200).unwrap();
        // A length byte and the four characters of `F200`.
        assert_eq!(bytes, b"\x04F200");
        assert_eq!(postcard::from_bytes::<Icd10>(&bytes).unwrap(), f200);
        // `1X` starts with a digit and is too short: no code.
        let bad = postcard::to_allocvec("1X").unwrap();
        assert!(postcard::from_bytes::<Icd10>(&bad).is_err());
    }

    #[test]
    fn a_file_with_quotes_is_read_in_one_go_and_the_same() {
        let mut text = String::from(EP_HEAD);
        for i in 0..50 {
            text.push_str(&format!(
                "p1,PHV,POL,2021-03-{:02},,,,\"F20\",,,,\n",
                i % 28 + 1
            ));
        }
        let files = [file("persons.csv", PERSONS), file("episodes.csv", &text)];
        let one = load(&files, &ReadOptions::default());
        let many = load(
            &files,
            &ReadOptions {
                threads: 4,
                ..ReadOptions::default()
            },
        );
        assert_eq!(one.tables.episodes.as_ref().map(Vec::len), Some(50));
        assert_eq!((one.tables, one.quality), (many.tables, many.quality));
    }
}

#[test]
fn lines_are_counted_right_after_crlf_line_ends() {
    let l = episodes(
        "p9,PHV,POL,2021-03-01,,,,,,,,\r\n\
         p9,PHV,POL,2021-03-01,,,,,,,,\r\n\
         \r\n\
         p9,PHV,POL,2021-03-02,,,,,,,,\n",
    );
    // Header on line 1, records on lines 2, 3 and 5 (line 4 is blank); the second record
    // also copies the first.
    assert_eq!(
        at(&l, "unknown_person"),
        vec![(2, Some(1)), (3, Some(1)), (5, Some(1))]
    );
}

/// Big-table files that are not cut (workbooks, files under the cutting size) read side by
/// side on threads of their own (`side.rs`): the same tables and report as one thread.
mod side {
    use super::*;
    use crate::ingest::side::{BUDGET, MOST_AT_ONCE};
    use crate::ingest::source::NO_CUTS;
    use proptest::prelude::*;

    const SV_HEAD: &str = "pid;tjeneste;vedtaksdato;startdato;sluttdato\n";
    const PC_HEAD: &str = "pid,dato,praksistype,takster,tverrfaglig\n";

    /// The CSV text as a workbook of one sheet, each field a text cell (a blank field: no
    /// cell). Read back like the CSV, but never cut.
    fn as_workbook(text: &str, delimiter: u8) -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        for (r, rec) in reader.records().flatten().enumerate() {
            for (c, field) in rec.iter().enumerate().filter(|(_, f)| !f.is_empty()) {
                ws.write_string(r as u32, c as u16, field).unwrap();
            }
        }
        wb.save_to_buffer().unwrap()
    }

    /// Runs `f` with no file cut (or as usual) and the given budget, on this thread.
    fn with_knobs<T>(no_cuts: bool, budget: Option<u64>, f: impl FnOnce() -> T) -> T {
        NO_CUTS.with(|c| c.set(no_cuts));
        BUDGET.with(|b| b.set(budget));
        MOST_AT_ONCE.with(|m| m.set(0));
        let got = f();
        NO_CUTS.with(|c| c.set(false));
        BUDGET.with(|b| b.set(None));
        got
    }

    fn most_at_once() -> usize {
        MOST_AT_ONCE.with(std::cell::Cell::get)
    }

    /// A municipal-services line: good periods, unknown persons, bad codes and dates,
    /// overlaps, copies (the generator repeats lines), ragged rows and blank lines.
    fn service_line() -> impl Strategy<Value = String> {
        let pid = prop_oneof![Just("p1"), Just("p2"), Just("p9"), Just("")];
        let code = prop_oneof![Just("15"), Just("7"), Just("x")];
        let start = prop_oneof![
            Just("2021-03-01"),
            Just("2021-06-30"),
            Just("01.03."),
            Just("1899-03-01")
        ];
        let end = prop_oneof![Just(""), Just("2021-04-01"), Just("2021-02-01")];
        (pid, code, start, end, any::<u8>()).prop_map(|(pid, code, start, end, shape)| {
            match shape % 8 {
                0 => "\n".to_string(),
                1 => format!("{pid};{code}\n"),
                2 => format!("{pid};{code};xx;{start};{end}\n"),
                _ => format!("{pid};{code};;{start};{end}\n"),
            }
        })
    }

    /// A primary-care line: good contacts, unknown persons, unknown providers, bad dates.
    fn primary_line() -> impl Strategy<Value = String> {
        let pid = prop_oneof![Just("p1"), Just("p2"), Just("p9"), Just("")];
        let date = prop_oneof![Just("2021-01-05"), Just("31.02.2021"), Just("")];
        let kind = prop_oneof![Just("63"), Just("GP"), Just("zz")];
        (pid, date, kind, any::<u8>()).prop_map(|(pid, date, kind, shape)| match shape % 8 {
            0 => "\n".to_string(),
            1 => format!("{pid},{date}\n"),
            _ => format!("{pid},{date},{kind},2ad,\n"),
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn side_by_side_reads_like_one_thread(
            ep in proptest::collection::vec(super::pieces::line(), 0..60),
            sv in proptest::collection::vec(service_line(), 0..60),
            pc in proptest::collection::vec(primary_line(), 0..60),
            // Per file: 0 = CSV, 1 = workbook, 2 = left out.
            shapes in proptest::collection::vec(0u8..3, 3),
            threads in 2usize..5,
            no_cuts in proptest::bool::ANY,
            unbounded in proptest::bool::ANY,
        ) {
            let texts = [
                (format!("{EP_HEAD}{}", ep.concat()), b',', "episodes"),
                (format!("{SV_HEAD}{}", sv.concat()), b';', "tjenester"),
                (format!("{PC_HEAD}{}", pc.concat()), b',', "kuhr"),
            ];
            let mut owned: Vec<(String, Vec<u8>)> = vec![("persons.csv".into(), PERSONS.into())];
            for ((text, delimiter, name), &shape) in texts.iter().zip(&shapes) {
                match shape {
                    0 => owned.push((format!("{name}.csv"), text.clone().into_bytes())),
                    1 => owned.push((format!("{name}.xlsx"), as_workbook(text, *delimiter))),
                    _ => {}
                }
            }
            let files: Vec<SourceFile<'_>> = owned
                .iter()
                .map(|(name, bytes)| SourceFile { name, bytes, kind: None })
                .collect();
            let budget = unbounded.then_some(u64::MAX);
            let one = with_knobs(no_cuts, budget, || load(&files, &ReadOptions::default()));
            prop_assert_eq!(most_at_once(), 0);
            let opts = ReadOptions { threads, ..ReadOptions::default() };
            let many = with_knobs(no_cuts, budget, || load(&files, &opts));
            // No file cut, and the rule lets them all be held: all read at once (as many as
            // there are threads). Otherwise a small CSV file may be cut or not.
            let present = shapes.iter().filter(|&&s| s < 2).count();
            if unbounded && no_cuts {
                prop_assert_eq!(most_at_once(), present.min(threads));
            }
            prop_assert_eq!(&one.tables, &many.tables);
            prop_assert_eq!(&one.quality, &many.quality);
        }
    }

    /// Services and primary care, each with issues, read at the same time (the episodes file
    /// is the largest: the two others together are smaller, so the memory rule lets them be
    /// held at once): every count, every example and its order as on one thread; the same
    /// through `load_lazy`, each file fetched once.
    #[test]
    fn issues_in_two_files_read_side_by_side_keep_their_order() {
        let mut episodes = String::from(EP_HEAD);
        for day in 1..=28 {
            episodes.push_str(&format!("p1,PHV,POL,2021-03-{day:02},,,ACUTE,F20,,,,\n"));
        }
        let services = format!(
            "{SV_HEAD}p1;15;;2021-01-01;2021-06-30\n\
             p9;15;;2021-03-01;\n\
             p2;15;;2021-03-01;2021-02-01\n\
             p1;15;;2021-01-01;2021-06-30\n"
        );
        let primary = as_workbook(
            &format!(
                "{PC_HEAD}p9,2021-01-05,63,2ad,\n\
                 p1,31.02.2021,63,2ad,\n\
                 p9,2021-01-07,GP,2ad,\n\
                 p2,2021-01-08,GP,2ad,\n"
            ),
            b',',
        );
        let owned: Vec<(&str, Vec<u8>)> = vec![
            ("persons.csv", PERSONS.into()),
            ("episodes.csv", episodes.into_bytes()),
            ("tjenester.csv", services.into_bytes()),
            ("kuhr.xlsx", primary),
        ];
        let files: Vec<SourceFile<'_>> = owned
            .iter()
            .map(|(name, bytes)| SourceFile {
                name,
                bytes,
                kind: None,
            })
            .collect();
        let one = with_knobs(true, None, || load(&files, &ReadOptions::default()));
        assert_eq!(most_at_once(), 0);
        let opts = ReadOptions {
            threads: 2,
            ..ReadOptions::default()
        };
        let two = with_knobs(true, None, || load(&files, &opts));
        // Episodes alone (the queue held nothing it could go beside), then the two others.
        assert_eq!(most_at_once(), 2);
        // Services: line 3 (p9) rejected, unknown person; line 4 starts after its end
        // (rejected); line 5 is a copy of line 2, and overlaps it. Primary care: sheet rows 2
        // and 4 (p9) unknown persons, row 3's date does not exist.
        let sv = report(&two, "tjenester.csv");
        let lines = |r: &FileReport, code: &str| {
            r.examples[code]
                .iter()
                .map(|i| i.location.line)
                .collect::<Vec<_>>()
        };
        assert_eq!(lines(sv, "unknown_person"), vec![3]);
        assert_eq!(lines(sv, "start_after_end"), vec![4]);
        assert_eq!(lines(sv, "duplicate_row"), vec![5]);
        assert_eq!(lines(sv, "overlapping_service"), vec![5]);
        let pc = report(&two, "kuhr.xlsx");
        assert_eq!(lines(pc, "unknown_person"), vec![2, 4]);
        assert_eq!(lines(pc, "bad_date"), vec![3]);
        // 4 rows each: services 2 used (lines 2, 5), primary care 1 (row 5).
        assert_eq!((sv.rows_read, sv.rows_used), (4, 2));
        assert_eq!((pc.rows_read, pc.rows_used), (4, 1));
        assert_eq!(one.tables, two.tables);
        assert_eq!(one.quality, two.quality);
        // Fetched when read, once each, and read side by side the same way.
        let fetches = std::cell::Cell::new(0);
        let kinds = [
            TableKind::Persons,
            TableKind::Episodes,
            TableKind::MunicipalServices,
            TableKind::PrimaryCare,
        ];
        let lazy: Vec<LazyFile<'_>> = owned
            .iter()
            .zip(kinds)
            .map(|((name, bytes), kind)| LazyFile {
                name: name.to_string(),
                kind: Some(kind),
                len: bytes.len() as u64,
                fetch: Box::new(|| {
                    fetches.set(fetches.get() + 1);
                    Ok(bytes.clone())
                }),
            })
            .collect();
        let got = with_knobs(true, None, || load_lazy(lazy, &opts, &mut |_| true)).unwrap();
        assert_eq!(most_at_once(), 2);
        assert_eq!(fetches.get(), 4);
        assert_eq!(one.tables, got.tables);
        assert_eq!(one.quality, got.quality);
    }

    /// Two tables with no usable rows found by files read side by side: listed unusable in
    /// read order (services before primary care), as on one thread.
    #[test]
    fn unusable_tables_read_side_by_side_keep_their_order() {
        let services = format!("{SV_HEAD}p9;15;;2021-03-01;\n");
        let primary = format!("{PC_HEAD}p9,2021-01-05,63,2ad,\n");
        let files = [
            file("persons.csv", PERSONS),
            file("kuhr.csv", &primary),
            file("tjenester.csv", &services),
        ];
        let one = with_knobs(true, Some(u64::MAX), || {
            load(&files, &ReadOptions::default())
        });
        let opts = ReadOptions {
            threads: 2,
            ..ReadOptions::default()
        };
        let two = with_knobs(true, Some(u64::MAX), || load(&files, &opts));
        assert_eq!(most_at_once(), 2);
        let kinds: Vec<TableKind> = two.tables.unusable.iter().map(|u| u.kind).collect();
        assert_eq!(
            kinds,
            vec![TableKind::MunicipalServices, TableKind::PrimaryCare]
        );
        assert_eq!(one.tables, two.tables);
        assert_eq!(one.quality, two.quality);
    }

    /// Fetched workbooks opened on their own threads: one that cannot be opened (not a
    /// workbook inside), one without a required column, and one that was readable in the first
    /// pass and has changed when its rows are read. Each refused with the message, line and place
    /// among the unusable tables of the one-thread read.
    #[test]
    fn workbooks_refused_on_their_threads_are_reported_as_on_one() {
        let primary = as_workbook(&format!("{PC_HEAD}p1,2021-01-05,63,2ad,\n"), b',');
        // Services without their service column (required).
        let services = as_workbook("pid;startdato\np1;2021-03-01\n", b';');
        let garbage = b"PK\x03\x04garbage".to_vec();
        let run = |threads: usize, kinds_given: bool| {
            let fetches = std::cell::Cell::new(0);
            let files: Vec<(&str, TableKind, Vec<u8>)> = vec![
                ("persons.csv", TableKind::Persons, PERSONS.into()),
                ("episodes.xlsx", TableKind::Episodes, garbage.clone()),
                (
                    "tjenester.xlsx",
                    TableKind::MunicipalServices,
                    services.clone(),
                ),
                ("kuhr.xlsx", TableKind::PrimaryCare, primary.clone()),
            ];
            let lazy: Vec<LazyFile<'_>> = files
                .iter()
                .map(|(name, kind, bytes)| LazyFile {
                    name: name.to_string(),
                    kind: kinds_given.then_some(*kind),
                    len: bytes.len() as u64,
                    fetch: Box::new(|| {
                        fetches.set(fetches.get() + 1);
                        // Primary care fetched a second time (its kind not given): changed
                        // into a workbook that cannot be opened.
                        if *name == "kuhr.xlsx" && fetches.get() > 4 {
                            return Ok(garbage.clone());
                        }
                        Ok(bytes.clone())
                    }),
                })
                .collect();
            let opts = ReadOptions {
                threads,
                ..ReadOptions::default()
            };
            let got = with_knobs(false, Some(u64::MAX), || {
                load_lazy(lazy, &opts, &mut |_| true).unwrap()
            });
            (got, most_at_once())
        };
        for kinds_given in [true, false] {
            let (one, none_at_once) = run(1, kinds_given);
            assert_eq!(none_at_once, 0);
            let (two, at_once) = run(2, kinds_given);
            // Given kinds: the garbage and the services workbook are opened on their threads
            // (read together: the budget is unbounded), then primary care. Not given: the
            // first pass refuses both, and only primary care is fetched again, and opened on
            // its thread.
            assert_eq!(at_once, if kinds_given { 2 } else { 1 });
            let unusable = |l: &Loaded| {
                let u = &l.tables.unusable;
                u.iter()
                    .map(|u| (u.kind, u.issue.kind.code(), u.issue.location.line))
                    .collect::<Vec<_>>()
            };
            // Kinds not given, the two refused in the first pass are not recognised as any
            // table, so no table is unusable for them.
            let want = if kinds_given {
                vec![
                    (TableKind::Episodes, "unreadable_file", 1),
                    (TableKind::MunicipalServices, "missing_column", 1),
                ]
            } else {
                vec![(TableKind::PrimaryCare, "unreadable_file", 1)]
            };
            assert_eq!(unusable(&two), want, "{kinds_given}");
            assert_eq!(one.tables, two.tables, "{kinds_given}");
            assert_eq!(one.quality, two.quality, "{kinds_given}");
        }
    }
}
