//! The `forlop` binary as a user runs it. These live in the CLI's own package because only there
//! does Cargo hand a test the path of the built binary (`CARGO_BIN_EXE_forlop`).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

fn forlop(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_forlop"))
        .args(args)
        .output()
        .expect("the forlop binary runs")
}

fn ok(args: &[&str]) -> Output {
    let out = forlop(args);
    assert!(
        out.status.success(),
        "forlop {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn synth(dir: &Path, persons: &str, seed: &str, extra: &[&str]) {
    let mut args = vec![
        "synth",
        "--out",
        dir.to_str().unwrap(),
        "--persons",
        persons,
        "--seed",
        seed,
        "--year",
        "2024",
    ];
    args.extend_from_slice(extra);
    ok(&args);
}

fn indicators(dir: &Path, extra: &[&str]) -> String {
    let mut args = vec![
        "indicators",
        "--data",
        dir.to_str().unwrap(),
        "--year",
        "2024",
    ];
    args.extend_from_slice(extra);
    String::from_utf8(ok(&args).stdout).unwrap()
}

#[test]
fn synth_is_byte_identical_for_the_same_seed_and_differs_for_another() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    synth(&a, "400", "11", &[]);
    synth(&b, "400", "11", &[]);
    synth(&c, "400", "12", &[]);
    for name in [
        "persons.csv",
        "episodes.csv",
        "primary_care.csv",
        "municipal_services.csv",
    ] {
        let (fa, fb, fc) = (
            std::fs::read(a.join(name)).unwrap(),
            std::fs::read(b.join(name)).unwrap(),
            std::fs::read(c.join(name)).unwrap(),
        );
        assert_eq!(fa, fb, "{name} differs between two runs with seed 11");
        assert_ne!(fa, fc, "{name} is the same for seeds 11 and 12");
    }
}

#[test]
fn indicators_output_is_the_sorted_long_table_and_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("d");
    synth(&data, "1500", "3", &[]);
    let first = indicators(&data, &[]);
    let second = indicators(&data, &[]);
    assert_eq!(first, second, "two runs on the same files differ");

    let mut lines = first.lines();
    assert_eq!(
        lines.next(),
        Some(
            "indicator,group,level,area,year,numerator,denominator,value,suppressed,ci_low,ci_high"
        )
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert!(rows.len() > 1000, "only {} cells", rows.len());
    // Sorted bytewise by (indicator, group, level, area), then year.
    let keys: Vec<(&str, &str, &str, &str)> =
        rows.iter().map(|r| (r[0], r[1], r[2], r[3])).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "rows are not sorted");
    // With k = 5 no published number is below 5, and a suppressed row carries no number.
    for r in &rows {
        if r[8] == "true" {
            assert_eq!(
                (r[5], r[6], r[7], r[9], r[10]),
                ("", "", "", "", ""),
                "suppressed row with numbers: {r:?}"
            );
        } else {
            for n in [r[5], r[6]] {
                if !n.is_empty() {
                    assert!(
                        n.parse::<u64>().unwrap() >= 5,
                        "published number below k: {r:?}"
                    );
                }
            }
        }
    }
    let patients = rows
        .iter()
        .find(|r| r[0] == "smi.patients" && r[1] == "all" && r[2] == "country")
        .expect("a national patient count");
    assert!(patients[5].parse::<u64>().unwrap() > 500, "{patients:?}");
}

#[test]
fn min_cell_zero_suppresses_nothing_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("d");
    synth(&data, "300", "5", &[]);
    let out = forlop(&[
        "indicators",
        "--data",
        data.to_str().unwrap(),
        "--year",
        "2024",
        "--min-cell",
        "0",
    ]);
    assert!(out.status.success());
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(
        !csv.contains(",true,,\n"),
        "a cell is suppressed with --min-cell 0"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("NOT SUPPRESSED"));
}

#[test]
fn norwegian_export_gives_the_same_indicators_as_the_canonical_files() {
    // Same seed, same content: only delimiter, encoding, date format and code spelling differ.
    let tmp = tempfile::tempdir().unwrap();
    let (canonical, norwegian) = (tmp.path().join("c"), tmp.path().join("n"));
    synth(&canonical, "800", "21", &[]);
    synth(&norwegian, "800", "21", &["--format", "norwegian"]);
    assert!(std::fs::read(norwegian.join("persons.csv"))
        .unwrap()
        .contains(&b';'));
    assert_eq!(
        indicators(&canonical, &["--min-cell", "0"]),
        indicators(&norwegian, &["--min-cell", "0"])
    );
}

#[test]
fn check_finds_exactly_the_injected_defects() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("bad");
    synth(&data, "3000", "9", &["--defects"]);
    let injected: BTreeMap<String, u64> =
        serde_json::from_slice(&std::fs::read(data.join("injected_defects.json")).unwrap())
            .unwrap();
    assert!(
        injected.len() >= 10,
        "too few defect kinds injected: {injected:?}"
    );
    let out = ok(&["check", "--data", data.to_str().unwrap(), "--json"]);
    let found: BTreeMap<String, u64> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        found, injected,
        "check found other counts than were injected"
    );

    // The text report names the file and line of an example, in both languages.
    let nb = String::from_utf8(ok(&["check", "--data", data.to_str().unwrap()]).stdout).unwrap();
    let en =
        String::from_utf8(ok(&["check", "--data", data.to_str().unwrap(), "--lang", "en"]).stdout)
            .unwrap();
    assert!(
        nb.contains("episodes.csv:") || nb.contains("municipal_services.csv:"),
        "{nb}"
    );
    assert_ne!(nb, en);
}

#[test]
fn clean_extract_has_no_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("ok");
    synth(&data, "1000", "4", &[]);
    let out = ok(&["check", "--data", data.to_str().unwrap(), "--json"]);
    let found: BTreeMap<String, u64> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        found.values().all(|&n| n == 0),
        "clean synthetic data has findings: {found:?}"
    );
}

#[test]
fn missing_persons_table_is_an_error_that_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("episodes.csv"), "pid,sector\n").unwrap();
    let out = forlop(&[
        "indicators",
        "--data",
        tmp.path().to_str().unwrap(),
        "--year",
        "2024",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no persons table"));
}

#[test]
fn unreadable_persons_file_makes_check_fail_with_a_located_message() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("persons.csv"),
        "this is not,a persons table\n1,2\n",
    )
    .unwrap();
    let out = forlop(&[
        "check",
        "--data",
        tmp.path().to_str().unwrap(),
        "--lang",
        "en",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("persons.csv"), "{text}");
}

#[test]
fn a_missing_table_makes_its_indicators_unavailable_not_zero() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("d");
    synth(&data, "300", "8", &[]);
    std::fs::remove_file(data.join("primary_care.csv")).unwrap();
    let out = ok(&[
        "indicators",
        "--data",
        data.to_str().unwrap(),
        "--year",
        "2024",
    ]);
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(
        !csv.contains("smi.gp_contact,"),
        "GP indicators computed without primary_care"
    );
    assert!(csv.contains("smi.admitted,"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unavailable: smi.gp_contact"));
}

#[test]
fn an_opt_in_module_named_on_the_command_line_joins_the_long_table() {
    // Fixture 007 (Y = 2021). GP contacts in 2021: g1, g2, g3 (tariff 11ak → HOME_VISIT), g4 in
    // 4601; g8 (HOME_VISIT) in 0301. g6's GP contact is on 2020-12-31, g5 has out-of-hours only.
    // example.gp_patients: NO 5, 4601 4, 0301 1, 3201 0.
    // example.home_visit: NO 100 × 2 / 5 = 40; 4601 1 / 4 = 25; 0301 1 / 1 = 100.
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/007-primary-care");
    let data = fixture.join("input");
    let args = |extra: &[&'static str]| {
        let mut a = vec![
            "indicators",
            "--data",
            data.to_str().unwrap(),
            "--year",
            "2021",
            "--min-cell",
            "0",
        ];
        a.extend_from_slice(extra);
        String::from_utf8(ok(&a).stdout).unwrap()
    };
    let default = args(&[]);
    let smi = args(&["--module", "smi"]);
    let with = args(&["--module", "smi", "--module", "example"]);
    let without_example: Vec<&str> = with
        .lines()
        .filter(|l| !l.starts_with("example."))
        .collect();
    assert!(
        without_example == smi.lines().collect::<Vec<_>>(),
        "naming the example module changed the SMI rows"
    );
    assert!(!default.contains("example."));
    // The default computes every published module: SMI and revolving door, not the example.
    assert!(default
        .lines()
        .any(|l| l.starts_with("door.patients,door,country,NO,2021,")));
    assert!(!smi.contains("door."));
    for line in [
        "example.gp_patients,gp_patients,country,NO,2021,5,,5,false",
        "example.gp_patients,gp_patients,municipality,4601,2021,4,,4,false",
        "example.gp_patients,gp_patients,municipality,0301,2021,1,,1,false",
        "example.gp_patients,gp_patients,municipality,3201,2021,0,,0,false",
        "example.home_visit,gp_patients,country,NO,2021,2,5,40,false",
        "example.home_visit,gp_patients,municipality,4601,2021,1,4,25,false",
        "example.home_visit,gp_patients,municipality,0301,2021,1,1,100,false",
        "example.home_visit,gp_patients,municipality,3201,2021,0,0,,false",
    ] {
        // §6's nine columns; the interval follows them (none for a count, Wilson for a share).
        let row = with
            .lines()
            .find(|l| l.split(',').take(9).collect::<Vec<_>>().join(",") == line);
        let row = row.unwrap_or_else(|| panic!("missing {line}"));
        let ci = &row[line.len()..];
        if line.starts_with("example.gp_patients") || line.ends_with(",,false") {
            assert_eq!(ci, ",,", "{row}");
        } else {
            assert!(ci.len() > 2, "{row}");
        }
    }
    // Only the example module: no SMI row; an unknown module is refused by name.
    let only = args(&["--module", "example"]);
    assert!(only.lines().skip(1).all(|l| l.starts_with("example.")));
    let out = forlop(&[
        "indicators",
        "--data",
        data.to_str().unwrap(),
        "--year",
        "2021",
        "--module",
        "nonsense",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown module \"nonsense\""));
}

#[test]
fn without_a_year_the_latest_complete_year_is_analysed_and_years_can_be_several() {
    // forlop synth --year 2024 writes 2023 and 2024 (into December 2024).
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("d");
    synth(&dir, "300", "5", &[]);
    let run = |years: &[&str]| {
        let mut a = vec![
            "indicators",
            "--data",
            dir.to_str().unwrap(),
            "--min-cell",
            "0",
        ];
        for y in years {
            a.extend_from_slice(&["--year", y]);
        }
        ok(&a)
    };
    let default = run(&[]);
    let stderr = String::from_utf8_lossy(&default.stderr);
    assert!(
        stderr.contains("year: 2024 — the latest complete year"),
        "{stderr}"
    );
    let y2024 = run(&["2024"]);
    assert_eq!(default.stdout, y2024.stdout);

    // Two years: every row of each year, interleaved by year within (indicator, group, level,
    // area).
    let both = String::from_utf8(run(&["2023-2024"]).stdout).unwrap();
    let y2023 = String::from_utf8(run(&["2023"]).stdout).unwrap();
    let y2024 = String::from_utf8(y2024.stdout).unwrap();
    let body = |t: &str| t.lines().skip(1).map(str::to_string).collect::<Vec<_>>();
    let mut expected = body(&y2023);
    expected.extend(body(&y2024));
    let key = |l: &String| {
        let f: Vec<&str> = l.splitn(6, ',').collect();
        (
            f[0].to_string(),
            f[1].to_string(),
            f[2].to_string(),
            f[3].to_string(),
            f[4].to_string(),
        )
    };
    expected.sort_by_key(key);
    assert_eq!(body(&both).len(), expected.len());
    assert!(
        body(&both) == expected,
        "the two-year table is not the years' rows in order"
    );
    assert_eq!(
        String::from_utf8(run(&["2024", "2023"]).stdout).unwrap(),
        both,
        "--year 2024 --year 2023 equals --year 2023-2024"
    );
    let bad = forlop(&[
        "indicators",
        "--data",
        dir.to_str().unwrap(),
        "--year",
        "2024-2023",
    ]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("runs backwards"));
}

#[test]
fn module_settings_come_from_a_settings_file_and_readmission_options_reach_section_2() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let tmp = tempfile::tempdir().unwrap();
    let run = |fixture: &str, year: &str, extra: &[&str]| {
        let data = fixtures.join(fixture).join("input");
        let mut a = vec![
            "indicators",
            "--data",
            data.to_str().unwrap(),
            "--year",
            year,
            "--min-cell",
            "0",
        ];
        a.extend_from_slice(extra);
        String::from_utf8(ok(&a).stdout).unwrap()
    };
    // Fixture 012, Bergen: b1 and b3 have 2 acute PAM admissions, b2 and b4 3. N = 2 makes all
    // four revolving-door patients (default N = 3: b2, b4).
    let settings = tmp.path().join("s.json");
    std::fs::write(&settings, r#"{"door": {"threshold": 2}}"#).unwrap();
    let default = run("012-revolving-door-askoy", "2020", &[]);
    let n2 = run(
        "012-revolving-door-askoy",
        "2020",
        &["--settings", settings.to_str().unwrap()],
    );
    assert!(default.contains("door.patients,door,municipality,4601,2020,2,,2,false"));
    assert!(n2.contains("door.patients,door,municipality,4601,2020,4,,4,false"));
    // Fixture 014: r1's readmission on day 30 falls outside a 29-day window; index discharges
    // then run to 1 Dec (r1, r2, r3's January stay, r6), readmitted only r3 → 1 / 4 = 25.
    let w29 = run(
        "014-ready-for-discharge",
        "2021",
        &["--readmission-window", "29"],
    );
    assert!(
        w29.contains("ready.readmitted_30d,ready,country,NO,2021,1,4,25,false"),
        "{}",
        w29.lines()
            .find(|l| l.starts_with("ready.readmitted_30d,ready,country"))
            .unwrap_or("")
    );
    // An unknown setting is refused by name.
    std::fs::write(&settings, r#"{"door": {"treshold": 2}}"#).unwrap();
    let out = forlop(&[
        "indicators",
        "--data",
        fixtures
            .join("012-revolving-door-askoy/input")
            .to_str()
            .unwrap(),
        "--settings",
        settings.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("treshold"));
}

#[test]
fn variation_file_and_standard_year() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("d");
    synth(&data, "1500", "3", &[]);
    let var = tmp.path().join("variation.csv");
    let csv = indicators(
        &data,
        &[
            "--variation",
            var.to_str().unwrap(),
            "--variation-min-cases",
            "5",
        ],
    );
    let text = std::fs::read_to_string(&var).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("indicator,group,level,year,areas,min,max,extremal_quotient,cv,scv")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let std = rows
        .iter()
        .find(|r| r[0] == "smi.patients_per_1000_std" && r[1] == "all" && r[2] == "region")
        .expect("variation of the standardised rate by region");
    assert!(std[4].parse::<u32>().unwrap() >= 2, "{std:?}");
    // EQ = max / min of the row itself.
    let f = |i: usize| std[i].parse::<f64>().unwrap();
    assert!((f(7) - f(6) / f(5)).abs() < 1e-12 * f(7), "{std:?}");
    // The standardised rate is in the long table with a value.
    assert!(csv.lines().any(
        |l| l.starts_with("smi.patients_per_1000_std,all,country,NO,2024,") && !l.contains(",,")
    ));

    // A standard year the population table lacks: not estimable, and stderr says why.
    let out = forlop(&[
        "indicators",
        "--data",
        data.to_str().unwrap(),
        "--year",
        "2024",
        "--standard-year",
        "1990",
    ]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("standard year 1990"));
    let csv = String::from_utf8(out.stdout).unwrap();
    let row = csv
        .lines()
        .find(|l| l.starts_with("smi.patients_per_1000_std,all,country,NO,2024,"))
        .unwrap();
    let f: Vec<&str> = row.split(',').collect();
    assert_eq!((f[7], f[8], f[9], f[10]), ("", "false", "", ""), "{row}");
}

#[test]
fn passes_give_the_same_long_table_and_data_quality_report() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("bad");
    synth(&data, "400", "21", &["--defects"]);
    let d = data.to_str().unwrap();
    let one = ok(&["indicators", "--data", d, "--year", "2023-2024"]);
    let report = ok(&["check", "--data", d, "--lang", "en", "--year", "2024"]);
    for n in ["2", "5"] {
        let many = ok(&[
            "indicators",
            "--data",
            d,
            "--year",
            "2023-2024",
            "--passes",
            n,
        ]);
        assert!(
            one.stdout == many.stdout,
            "{n} passes: the long table differs"
        );
        assert!(String::from_utf8_lossy(&many.stderr).contains(&format!("pass {n}/{n}: computing")));
        let r = ok(&[
            "check", "--data", d, "--lang", "en", "--year", "2024", "--passes", n,
        ]);
        assert_eq!(
            String::from_utf8_lossy(&r.stdout),
            String::from_utf8_lossy(&report.stdout),
            "{n} passes"
        );
    }
    // The long table is not empty, and the report has findings to compare.
    assert!(one.stdout.len() > 10_000);
    assert!(String::from_utf8_lossy(&report.stdout).contains("duplicate"));
    // Passes need the year: the latest complete year is found from all rows.
    let out = forlop(&["indicators", "--data", d, "--passes", "2"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("need the analysis year (--year)"));
}

#[test]
fn suppress_hides_summary_counts_below_k_and_wants_both_summary_paths() {
    let tmp = tempfile::tempdir().unwrap();
    let result = tmp.path().join("result.csv");
    std::fs::write(
        &result,
        "indicator,group,level,area,year,numerator,denominator,value,median_n\n",
    )
    .unwrap();
    let summary = tmp.path().join("summary.csv");
    std::fs::write(
        &summary,
        "module,item,n\nsmi,cohort_size,812\nsmi,in_several_groups,2\ndoor,weekday:0,3\n",
    )
    .unwrap();
    let out = tmp.path().join("summary-k3.csv");
    let (r, s, o) = (
        result.to_str().unwrap(),
        summary.to_str().unwrap(),
        out.to_str().unwrap(),
    );
    ok(&[
        "suppress",
        "--in",
        r,
        "--min-cell",
        "3",
        "--summary",
        s,
        "--summary-out",
        o,
    ]);
    // k = 3: 2 < 3 is hidden; 3 and 812 are shown.
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "module,item,n,suppressed\nsmi,cohort_size,812,false\n\
         smi,in_several_groups,,true\ndoor,weekday:0,3,false\n"
    );
    // A summary without a place to write it is refused before anything is read.
    let refused = forlop(&["suppress", "--in", r, "--summary", s]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--summary-out"));
}
