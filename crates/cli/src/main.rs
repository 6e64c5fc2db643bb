//! `forlop`: the command-line tool over forlop-core, for large extracts, scripting and checks.
//!
//! It is a thin shell: it finds the files, hands their bytes to the engine, and writes what the
//! engine returns. This is the only crate that uses `anyhow` and exit codes.

mod data_dir;
mod peak_memory;
mod sql;
mod survey;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use forlop_core::ingest::{self, ReadOptions};
use forlop_core::output::write_long_table_csv;
use forlop_core::text::Lang;
use forlop_core::Settings;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser)]
#[command(
    name = "forlop",
    version,
    about = "Forløp: Norwegian health-service indicators from anonymised extracts"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compute every available indicator and write the long table (CSV).
    Indicators(IndicatorsArgs),
    /// Print the data-quality report of an extract.
    Check(CheckArgs),
    /// Write a seeded synthetic extract for years Y−1 and Y.
    Synth(SynthArgs),
    /// Time reading, cohort and indicators on an extract; prints JSON per phase.
    Bench(BenchArgs),
    /// The patient survey (issue 9): frequency tables, scales, regressions, response rates.
    Survey {
        #[command(subcommand)]
        command: survey::SurveyCommand,
    },
    /// Print the indicators as one SQL script (DuckDB or Spark) over the canonical tables.
    Sql(sql::SqlArgs),
    /// Write an extract's validated tables as canonical CSV (the SQL's input).
    Tables(sql::TablesArgs),
    /// Suppress the SQL's result with the engine's own suppression.
    Suppress(sql::SuppressArgs),
    /// Print generated documentation.
    Docs {
        #[command(subcommand)]
        what: DocsWhat,
    },
}

#[derive(Subcommand)]
enum DocsWhat {
    /// The indicator registry as Markdown (docs/indicators.md).
    Indicators {
        /// Language of the text.
        #[arg(long, value_enum, default_value_t = LangArg::En)]
        lang: LangArg,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Nb,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Nb => Lang::Nb,
            LangArg::En => Lang::En,
        }
    }
}

/// Options shared by every command that reads an extract.
#[derive(Args)]
struct ReadArgs {
    /// Directory with persons, episodes, municipal_services, primary_care, population, areas
    /// (.csv or .xlsx; Norwegian names such as opphold.csv are recognised too).
    #[arg(long)]
    data: PathBuf,
    /// Accept DD.MM.YY dates: YY ≤ pivot → 20YY, else 19YY. Without it they are rejected.
    #[arg(long)]
    century_pivot: Option<u8>,
    /// A mapping profile (JSON) for column names and code values.
    #[arg(long)]
    mapping: Option<PathBuf>,
    /// Largest table file read, in MB; larger ones are refused by name.
    #[arg(long, default_value_t = ingest::DEFAULT_MAX_FILE_BYTES >> 20)]
    max_file_mb: u64,
    /// Largest a workbook may inflate to, in MB (its zip parts, uncompressed).
    #[arg(long, default_value_t = ingest::DEFAULT_MAX_INFLATED_BYTES >> 20)]
    max_inflated_mb: u64,
    /// Threads that read a large file at once (default: the machine's cores); the result is
    /// the same for any number.
    #[arg(long)]
    threads: Option<usize>,
}

#[derive(Args)]
struct IndicatorsArgs {
    #[command(flatten)]
    read: ReadArgs,
    /// Analysis year Y; repeat it or give a range (`2021-2023`) for several years, one long
    /// table row per year. Without it: the latest complete year in the data (said on stderr).
    #[arg(long, value_name = "Y|Y1-Y2")]
    year: Vec<String>,
    /// Small-number threshold k (default 5); 0 switches suppression off (the output then says
    /// so).
    #[arg(long)]
    min_cell: Option<u64>,
    /// Output file; standard output when absent.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Every setting as JSON (`{"min_cell": 5, "door": {"threshold": 3, "pam_units": ["PAM"]},
    /// "pathways": {"data_end": "2024-12-31"}, …}`, the engine's `Settings`); the options below
    /// override it.
    #[arg(long, value_name = "FILE.json")]
    settings: Option<PathBuf>,
    /// Readmission window in days (Helsedirektoratet 30; SKDE 29), for §1 and §2.
    #[arg(long)]
    readmission_window: Option<u32>,
    /// Count planned readmissions too (default: acute only), for §1 and §2.
    #[arg(long)]
    readmission_any_urgency: bool,
    /// Leave out discharges followed by death within the readmission window, for §1 and §2.
    #[arg(long)]
    readmission_exclude_deaths: bool,
    /// Compute only these modules (repeatable), e.g. `--module smi`; an opt-in module such as
    /// `example` is computed only when named. Default: every module that is not opt-in.
    #[arg(long = "module", value_name = "ID")]
    modules: Vec<String>,
    /// The year whose national population (by age band and sex) is the standard of the
    /// age- and sex-standardised rates (`<id>_std`). Default: the analysis year.
    #[arg(long, value_name = "YEAR")]
    standard_year: Option<i32>,
    /// Also write the variation between areas (extremal quotient, coefficient of variation,
    /// systematic component of variation per indicator, group and level) as CSV to this file.
    #[arg(long, value_name = "FILE")]
    variation: Option<PathBuf>,
    /// The variation statistics use areas with at least this many cases (default 10).
    #[arg(long, value_name = "N")]
    variation_min_cases: Option<u64>,
    /// Read and compute in N passes over the persons, each holding only its persons' rows of
    /// episodes, municipal services and primary care (bounded memory for extracts larger than
    /// memory comfortably allows; the output is the same). Needs --year. Default 1.
    #[arg(long, value_name = "N", conflicts_with = "memory_mb")]
    passes: Option<u32>,
    /// Choose the number of passes so that one pass's rows fit in about this many MB (from the
    /// sizes of the episodes, services and primary-care files). Needs --year.
    #[arg(long, value_name = "MB")]
    memory_mb: Option<u64>,
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    read: ReadArgs,
    /// Language of the report.
    #[arg(long, value_enum, default_value_t = LangArg::Nb)]
    lang: LangArg,
    /// Print the counts per issue code as JSON instead of the text report.
    #[arg(long)]
    json: bool,
    /// Analysis year Y, for plausibility warnings (birth years after Y, dates after Y + 1).
    #[arg(long)]
    year: Option<i32>,
    /// Read in N passes over the persons (bounded memory; the same report), as `indicators
    /// --passes`.
    #[arg(long, value_name = "N")]
    passes: Option<u32>,
}

#[derive(Args)]
struct SynthArgs {
    /// Output directory (created).
    #[arg(long)]
    out: PathBuf,
    /// Rows in persons (about four in five end up in the SMI cohort of year Y).
    #[arg(long, default_value_t = 10_000)]
    persons: usize,
    /// Seed: the same seed gives byte-identical files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Analysis year Y; data covers Y−1 and Y.
    #[arg(long)]
    year: i32,
    /// Inject every data-quality defect at a known rate; counts go to injected_defects.json.
    #[arg(long)]
    defects: bool,
    /// File conventions: canonical (`,`, UTF-8, ISO dates) or norwegian (`;`, Windows-1252, DD.MM.YYYY).
    #[arg(long, value_enum, default_value_t = FormatArg::Canonical)]
    format: FormatArg,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Canonical,
    Norwegian,
}

#[derive(Args)]
struct BenchArgs {
    #[command(flatten)]
    read: ReadArgs,
    /// Analysis year Y.
    #[arg(long)]
    year: i32,
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("forlop: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Indicators(args) => indicators(args),
        Command::Check(args) => check(args),
        Command::Synth(args) => synth(args),
        Command::Bench(args) => bench(args),
        Command::Survey { command } => survey::run(command),
        Command::Sql(args) => sql::sql(args),
        Command::Tables(args) => sql::tables(args),
        Command::Suppress(args) => sql::suppress(args),
        Command::Docs {
            what: DocsWhat::Indicators { lang },
        } => {
            print!("{}", forlop_core::indicator::registry_markdown(lang.into()));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The calendar year on this machine's clock: a birth year after it is invalid.
fn this_year() -> Option<i32> {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    now.ok()
        .and_then(|d| i64::try_from(d.as_secs()).ok())
        .and_then(forlop_core::ingest::year_at)
}

fn read_options(args: &ReadArgs) -> Result<ReadOptions> {
    let mut options = ReadOptions {
        century_pivot: args.century_pivot,
        max_file_bytes: args.max_file_mb.saturating_mul(1 << 20),
        max_inflated_bytes: args.max_inflated_mb.saturating_mul(1 << 20),
        threads: args.threads.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        }),
        current_year: this_year(),
        ..ReadOptions::default()
    };
    if let Some(path) = &args.mapping {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read mapping profile {}", path.display()))?;
        options.mapping = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a valid mapping profile", path.display()))?;
    }
    Ok(options)
}

fn indicators(args: IndicatorsArgs) -> Result<ExitCode> {
    if let Some(passes) = passes_of(&args)? {
        return indicators_in_passes(&args, passes);
    }
    let files = data_dir::read(
        &args.read.data,
        args.read.max_file_mb.saturating_mul(1 << 20),
    )?;
    let given_years = parse_years(&args.year)?;
    let options = ReadOptions {
        // The reader's sanity warnings (born after Y, dates far in the future) judge against the
        // latest year asked for; without one they wait for the year the data gives.
        analysis_year: given_years.as_ref().and_then(|y| y.last().copied()),
        ..read_options(&args.read)?
    };
    let loaded = files.load(&options);
    if !loaded.quality.has_usable_data() {
        eprint!("{}", loaded.quality.render_text(Lang::En));
        bail!("no usable persons table in {}", args.read.data.display());
    }
    let years = match given_years {
        Some(years) => years,
        None => {
            use forlop_core::years::YearChoice;
            let Some((year, why)) = forlop_core::years::analysis_year(&loaded.tables) else {
                bail!("the data has no dated rows; give the analysis year with --year");
            };
            match why {
                YearChoice::LatestComplete {
                    latest_date,
                    passed_over_partial_year,
                    passed_over_without_population,
                } => eprintln!(
                    "year: {year} — the latest complete year in the data (its latest date is \
                     {latest_date}{}{})",
                    if passed_over_partial_year {
                        ", in a year that has not reached December"
                    } else {
                        ""
                    },
                    if passed_over_without_population {
                        "; later years lack activity or population rows"
                    } else {
                        ""
                    }
                ),
                YearChoice::PartialYear { latest_date } => eprintln!(
                    "year: {year} — no year of the data is complete (its latest date is \
                     {latest_date}); the latest year with activity, which has not reached December"
                ),
            }
            vec![year]
        }
    };
    let settings = indicator_settings(&args, years[0])?;
    let reports: Vec<forlop_core::Report> = years
        .iter()
        .map(|&year| {
            let settings = Settings {
                year,
                ..settings.clone()
            };
            forlop_core::analyse(&loaded.tables, &settings)
        })
        .collect();
    write_indicators(&args, &reports, &loaded.quality)
}

/// The number of passes asked for: `--passes`, or from `--memory-mb` and the split files'
/// sizes; `None` = one pass (everything read at once).
fn passes_of(args: &IndicatorsArgs) -> Result<Option<u32>> {
    let passes = match (args.passes, args.memory_mb) {
        (Some(0), _) => bail!("--passes must be at least 1"),
        (Some(n), _) => n,
        (None, Some(0)) => bail!("--memory-mb must be at least 1"),
        (None, Some(mb)) => {
            let listing = data_dir::read(
                &args.read.data,
                args.read.max_file_mb.saturating_mul(1 << 20),
            )?;
            // A pass holds about 3 × its share of the split files' bytes (the view, the rows,
            // the stays and the units: BENCHMARKS.md, "Streaming passes").
            let need = listing.split_bytes().saturating_mul(3);
            let n = need.div_ceil(mb.saturating_mul(1 << 20)).clamp(1, 256) as u32;
            eprintln!("passes: {n} (the split files need about {} MB)", need >> 20);
            n
        }
        (None, None) => 1,
    };
    Ok((passes > 1).then_some(passes))
}

/// `forlop indicators` in passes over the persons (`forlop_core::passes`).
fn indicators_in_passes(args: &IndicatorsArgs, passes: u32) -> Result<ExitCode> {
    let Some(years) = parse_years(&args.year)? else {
        bail!("--passes and --memory-mb need the analysis year (--year): the year the data gives is found from all of its rows");
    };
    let listing = data_dir::read(
        &args.read.data,
        args.read.max_file_mb.saturating_mul(1 << 20),
    )?;
    let options = ReadOptions {
        analysis_year: years.last().copied(),
        ..read_options(&args.read)?
    };
    let base = indicator_settings(args, years[0])?;
    let settings: Vec<Settings> = years
        .iter()
        .map(|&year| Settings {
            year,
            ..base.clone()
        })
        .collect();
    let started = Instant::now();
    let mut load = |pass: ingest::RowPass| {
        eprintln!(
            "pass {}/{}: reading ({:.1} s)",
            pass.pass + 1,
            pass.passes,
            started.elapsed().as_secs_f64()
        );
        Ok(listing.load_pass(pass, &options))
    };
    // One line when a pass starts computing and one when the indicators are evaluated.
    let mut said = (u32::MAX, false);
    let mut progress = |pass: u32, phase: forlop_core::Phase, _: f32| {
        let what = match phase {
            forlop_core::Phase::Stays if said.0 != pass => "computing",
            forlop_core::Phase::Indicators if !said.1 => "evaluating the indicators",
            _ => return true,
        };
        said = (pass, said.1 || phase == forlop_core::Phase::Indicators);
        eprintln!(
            "pass {}/{passes}: {what} ({:.1} s)",
            pass + 1,
            started.elapsed().as_secs_f64()
        );
        true
    };
    let run = forlop_core::passes::analyse_in_passes(passes, &settings, &mut load, &mut progress);
    let Ok((reports, quality)) = run else {
        bail!("the analysis in passes was cancelled");
    };
    if !quality.has_usable_data() {
        eprint!("{}", quality.render_text(Lang::En));
        bail!("no usable persons table in {}", args.read.data.display());
    }
    write_indicators(args, &reports, &quality)
}

fn indicator_settings(args: &IndicatorsArgs, year: i32) -> Result<Settings> {
    let mut settings = match &args.settings {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read settings {}", path.display()))?;
            serde_json::from_str::<Settings>(&text)
                .with_context(|| format!("{} is not valid settings", path.display()))?
        }
        None => Settings::default(),
    };
    settings.year = year;
    if let Some(k) = args.min_cell {
        settings.min_cell = k;
    }
    if let Some(y) = args.standard_year {
        settings.comparison.standard_year = Some(y);
    }
    if let Some(n) = args.variation_min_cases {
        settings.comparison.variation_min_cases = n;
    }
    // The readmission options set §1's rule and §2's, which is defined "as in §1".
    for readmission in [
        &mut settings.smi.readmission,
        &mut settings.ready.readmission,
    ] {
        if let Some(w) = args.readmission_window {
            readmission.window_days = w;
        }
        if args.readmission_any_urgency {
            readmission.acute_only = false;
        }
        if args.readmission_exclude_deaths {
            readmission.exclude_death_within_window = true;
        }
    }
    if !args.modules.is_empty() {
        for id in &args.modules {
            if forlop_core::modules::find(id).is_none() {
                let known: Vec<&str> = forlop_core::modules::all()
                    .iter()
                    .map(|m| m.decl().id)
                    .collect();
                bail!(
                    "unknown module {id:?}; the modules are {}",
                    known.join(", ")
                );
            }
        }
        settings.modules = Some(args.modules.clone());
    }
    Ok(settings)
}

/// Writes the long table (and the variation) and the account on standard error.
fn write_indicators(
    args: &IndicatorsArgs,
    reports: &[forlop_core::Report],
    quality: &forlop_core::quality::QualityReport,
) -> Result<ExitCode> {
    let mut csv = Vec::new();
    write_long_table_csv(forlop_core::long_rows_of(reports), &mut csv);
    match &args.out {
        Some(path) => {
            std::fs::write(path, csv).with_context(|| format!("cannot write {}", path.display()))?
        }
        None => std::io::stdout().lock().write_all(&csv)?,
    }
    if let Some(path) = &args.variation {
        let mut v = Vec::new();
        forlop_core::variation::write_variation_csv(reports, &mut v);
        std::fs::write(path, v).with_context(|| format!("cannot write {}", path.display()))?;
    }
    summarise(quality, reports);
    Ok(ExitCode::SUCCESS)
}

/// `--year` values: `2023`, repeated, or ranges `2021-2023`; `None` when none was given.
fn parse_years(args: &[String]) -> Result<Option<Vec<i32>>> {
    if args.is_empty() {
        return Ok(None);
    }
    let year = |s: &str| -> Result<i32> {
        s.trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (1900..=2200).contains(y))
            .with_context(|| format!("--year {s:?} is not a year (1900–2200)"))
    };
    let mut years = Vec::new();
    for a in args {
        match a.split_once('-') {
            Some((from, to)) => {
                let (from, to) = (year(from)?, year(to)?);
                if from > to {
                    bail!("--year {a}: the range runs backwards");
                }
                years.extend(from..=to);
            }
            None => years.push(year(a)?),
        }
    }
    years.sort_unstable();
    years.dedup();
    Ok(Some(years))
}

/// A short account on standard error: rows used and left out, indicators not computed.
fn summarise(quality: &forlop_core::quality::QualityReport, reports: &[forlop_core::Report]) {
    for f in &quality.files {
        eprintln!(
            "{}: {} rows read, {} used, {} rejected",
            f.name, f.rows_read, f.rows_used, f.rows_rejected
        );
    }
    let Some(report) = reports.first() else {
        return;
    };
    for t in &report.unusable_tables {
        eprintln!(
            "unusable table {}: {}",
            t.kind.canonical_name(),
            t.issue.render(Lang::En)
        );
    }
    for u in &report.unavailable {
        let missing: Vec<&str> = u.missing.iter().map(|t| t.canonical_name()).collect();
        eprintln!(
            "unavailable: {} (missing {})",
            u.indicator,
            missing.join(", ")
        );
    }
    for r in reports {
        let year = if reports.len() > 1 {
            format!(" ({})", r.settings.year)
        } else {
            String::new()
        };
        for note in r
            .notes
            .iter()
            .chain(r.modules.iter().flat_map(|m| &m.notes))
        {
            eprintln!("note{year}: {}", note.text(Lang::En));
        }
    }
    if report.unsuppressed {
        eprintln!(
            "{}: --min-cell 0 was given; do not publish this table.",
            forlop_core::output::NOT_SUPPRESSED_MARK.en
        );
    }
    let cells: usize = reports.iter().map(|r| r.row_count()).sum();
    eprintln!("{cells} cells written");
}

fn check(args: CheckArgs) -> Result<ExitCode> {
    let max_bytes = args.read.max_file_mb.saturating_mul(1 << 20);
    let options = ReadOptions {
        analysis_year: args.year,
        ..read_options(&args.read)?
    };
    let files = data_dir::read(&args.read.data, max_bytes)?;
    let quality = match args.passes {
        Some(0) => bail!("--passes must be at least 1"),
        Some(passes) if passes > 1 => forlop_core::passes::merge_quality(
            (0..passes)
                .map(|pass| {
                    files
                        .load_pass(ingest::RowPass { pass, passes }, &options)
                        .quality
                })
                .collect(),
        ),
        _ => files.load(&options).quality,
    };
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&quality.counts_by_code())?
        );
    } else {
        print!("{}", quality.render_text(args.lang.into()));
    }
    Ok(if quality.has_usable_data() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn synth(args: SynthArgs) -> Result<ExitCode> {
    let config = forlop_synth::SynthConfig {
        persons: args.persons,
        seed: args.seed,
        year: args.year,
        defects: args.defects,
        format: match args.format {
            FormatArg::Canonical => forlop_synth::FileFormat::Canonical,
            FormatArg::Norwegian => forlop_synth::FileFormat::Norwegian,
        },
    };
    let started = Instant::now();
    let extract = forlop_synth::generate(&config);
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let mut bytes = 0usize;
    for file in &extract.files {
        write_file(&args.out.join(&file.name), &file.bytes)?;
        bytes += file.bytes.len();
    }
    if args.defects {
        write_file(
            &args.out.join("injected_defects.json"),
            forlop_synth::injected_json(&extract).as_bytes(),
        )?;
    }
    eprintln!(
        "wrote {} files ({:.1} MB) to {} in {:.2} s",
        extract.files.len(),
        bytes as f64 / 1e6,
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

fn bench(args: BenchArgs) -> Result<ExitCode> {
    peak_memory::reset();
    let started = Instant::now();
    let files = data_dir::read(
        &args.read.data,
        args.read.max_file_mb.saturating_mul(1 << 20),
    )?;
    let file_read_s = started.elapsed().as_secs_f64();
    let bytes_in: usize = files.total_bytes();

    let t = Instant::now();
    let loaded = files.load(&read_options(&args.read)?);
    let read_s = t.elapsed().as_secs_f64();
    let rows_read: u64 = loaded.quality.files.iter().map(|f| f.rows_read).sum();
    let read_peak = peak_memory::bytes();
    peak_memory::reset();

    let settings = Settings {
        min_cell: 0,
        ..Settings::for_year(args.year)
    };
    // Each phase of the engine is timed from its first progress call to the next phase's, and
    // its peak memory measured on its own.
    let mut phases: Vec<serde_json::Value> = Vec::new();
    let mut current: Option<(String, Instant)> = None;
    let close = |current: &mut Option<(String, Instant)>, phases: &mut Vec<serde_json::Value>| {
        if let Some((name, since)) = current.take() {
            phases.push(serde_json::json!({
                "phase": name,
                "s": since.elapsed().as_secs_f64(),
                "peak_rss_bytes": peak_memory::bytes(),
            }));
        }
    };
    let t = Instant::now();
    let report = forlop_core::analyse_with_progress(&loaded.tables, &settings, &mut |phase, _| {
        let name = format!("{phase:?}").to_lowercase();
        if current.as_ref().map(|(n, _)| n != &name).unwrap_or(true) {
            close(&mut current, &mut phases);
            peak_memory::reset();
            current = Some((name, Instant::now()));
        }
        true
    })
    .map_err(|_| anyhow::anyhow!("cancelled"))?;
    close(&mut current, &mut phases);
    let analyse_s = t.elapsed().as_secs_f64();
    let json = serde_json::json!({
        "bytes": bytes_in,
        "rows_read": rows_read,
        "file_read_s": file_read_s,
        "read": { "s": read_s, "rows_per_s": rows_read as f64 / read_s, "mb_per_s": bytes_in as f64 / 1e6 / read_s, "peak_rss_bytes": read_peak },
        "analyse": { "s": analyse_s, "phases": phases },
        "cohort_size": report.module("smi").and_then(|m| m.units),
        "cells": report.row_count(),
        "total_s": started.elapsed().as_secs_f64(),
    });
    println!("{}", serde_json::to_string_pretty(&json)?);
    Ok(ExitCode::SUCCESS)
}
