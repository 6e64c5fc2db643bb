//! `forlop survey …`: the patient-survey module (issue 9) from the shell. Reads the respondent
//! file, adds the derived variables of survey.md §2 with their default settings, and writes
//! CSV; the accounting of rows and the problems of model fits go to standard error.

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use forlop_core::survey::compare::{anova, t_test};
use forlop_core::survey::derive::{add_derived, DeriveSettings, SexSource};
use forlop_core::survey::describe::frequencies;
use forlop_core::survey::regress::{
    common_covariates, parse_covariates, regress, suppress_small, Model, ModelSpec,
};
use forlop_core::survey::rows;
use forlop_core::survey::scale::{summarise, Scale};
use forlop_core::survey::table::{known_kind, read_respondents, RespondentTable, VarKind};
use forlop_core::text::Lang;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The survey commands.
#[derive(Subcommand)]
pub enum SurveyCommand {
    /// Frequency tables (n and % of valid answers) of items by a grouping variable.
    Describe(DescribeArgs),
    /// STAR-P or CONTINU-UM: n, mean, sd and Cronbach's α per group.
    Scale(ScaleArgs),
    /// Logistic or linear regression, per group or pooled.
    Regress(RegressArgs),
    /// Two-sample t test of a variable between two levels of another (survey.md §4.4).
    Ttest(TTestArgs),
    /// One-way ANOVA of a variable across the levels of another (survey.md §4.4).
    Anova(AnovaArgs),
    /// Response and representativeness from population aggregates (Tables 4-1 … 4-9).
    Response(ResponseArgs),
    /// Write a seeded synthetic respondent file (the three sectors in the survey's proportions)
    /// and its population aggregates.
    Synth(SynthArgs),
}

#[derive(Args)]
pub struct SynthArgs {
    /// Output directory (created): survey_respondents.csv and survey_aggregates.csv.
    #[arg(long)]
    out: PathBuf,
    /// Respondents in all (33 458 gives the report's sector sizes exactly).
    #[arg(long, default_value_t = 33_458)]
    respondents: usize,
    /// Seed: the same seed gives byte-identical files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

#[derive(Args)]
pub struct DataArgs {
    /// The respondent file (CSV, one row per respondent, survey.md variable names).
    #[arg(long)]
    data: PathBuf,
    /// Group by this variable (e.g. sektor), or by `diagnosegruppe` (a respondent in every
    /// diagnosis group ticked); without it, one group `all`.
    #[arg(long)]
    by: Option<String>,
    /// Write the CSV here instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Language of the messages on standard error.
    #[arg(long, value_enum, default_value_t = MessageLang::Nb)]
    lang: MessageLang,
    #[command(flatten)]
    derive: DeriveArgs,
}

/// The choices survey.md leaves open for the derived variables (docs/choices.md, "Patient
/// survey"); the defaults are the documented ones.
#[derive(Args)]
pub struct DeriveArgs {
    /// Source of `kvinne`: the register's kjonn_npr, or the self-reported kjonn (annet / vet
    /// ikke / ønsker ikke svare → missing).
    #[arg(long, value_enum, default_value_t = SexArg::Register)]
    sex: SexArg,
    /// Survey year, for the age of respondents with a birth year but no register age.
    #[arg(long, default_value_t = 2023)]
    survey_year: i32,
    /// Source of age: the register's `alder` (the birth year only without it), or the
    /// self-reported birth year `fodselsaar` (survey year − birth year; `alder` only without it).
    #[arg(long, value_enum, default_value_t = SexArg::Register)]
    age_source: SexArg,
    /// Count "Skadelig bruk" and "Rusmiddelavhengighet" ticked together as two diagnoses.
    #[arg(long)]
    substance_two_diagnoses: bool,
    /// Leave "Annen diagnose" out of the number of diagnoses.
    #[arg(long)]
    no_other_diagnosis: bool,
    /// `kommunale_tj` as the number of municipal services ticked instead of any-of 0/1.
    #[arg(long)]
    municipal_count: bool,
    /// Count "Psykolog i kommunen" among the municipal health services.
    #[arg(long)]
    municipal_psychologist: bool,
    /// For TSB respondents, read `nylig_avsluttet` from the substance status item.
    #[arg(long)]
    tsb_substance_status: bool,
    /// "Vet ikke" on IP / koordinator / ansvarsgruppe makes `koordineringstiltak` missing
    /// unless another is Ja.
    #[arg(long)]
    coordination_dont_know_missing: bool,
    /// Fewest answered STAR-P items for a score.
    #[arg(long, default_value_t = 1)]
    star_min_items: usize,
    /// CONTINU-UM sum over the answered items of the nine (default: all nine required).
    #[arg(long)]
    continuum_partial: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum SexArg {
    Register,
    SelfReport,
}

impl DeriveArgs {
    fn settings(&self) -> DeriveSettings {
        let mut s = DeriveSettings {
            sex: match self.sex {
                SexArg::Register => SexSource::Register,
                SexArg::SelfReport => SexSource::SelfReport,
            },
            survey_year: self.survey_year,
            age_from_birth_year: matches!(self.age_source, SexArg::SelfReport),
            substance_as_one_diagnosis: !self.substance_two_diagnoses,
            count_other_diagnosis: !self.no_other_diagnosis,
            municipal_services_as_count: self.municipal_count,
            municipal_includes_psychologist: self.municipal_psychologist,
            tsb_status_from_substance_item: self.tsb_substance_status,
            coordination_dont_know_missing: self.coordination_dont_know_missing,
            ..DeriveSettings::default()
        };
        s.scales.star_min_items = self.star_min_items;
        s.scales.continuum_require_all = !self.continuum_partial;
        s
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum MessageLang {
    Nb,
    En,
}

#[derive(Args)]
pub struct DescribeArgs {
    #[command(flatten)]
    data: DataArgs,
    /// The item(s) to tabulate; repeatable. Without it every coded item and derived grouping.
    #[arg(long)]
    item: Vec<String>,
    /// Suppress counts below K (0 = no suppression, for your own eyes only).
    #[arg(long, default_value_t = 5)]
    min_cell: u64,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ScaleArg {
    StarP,
    ContinuUm,
}

#[derive(Args)]
pub struct ScaleArgs {
    #[command(flatten)]
    data: DataArgs,
    /// The scale.
    #[arg(long, value_enum)]
    scale: ScaleArg,
    /// Blank the mean, sd and α of groups with fewer than K scores.
    #[arg(long, default_value_t = 5)]
    min_cell: u64,
    /// Write n, mean and sd of each scored item per group instead (group,item,n,mean,sd;
    /// higher is better on every item, CONTINU-UM's "not relevant" left out), as Figs
    /// 10-1/11-1; blank where fewer than k answered.
    #[arg(long)]
    items: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ModelArg {
    Logistic,
    Linear,
}

#[derive(Args)]
pub struct RegressArgs {
    #[command(flatten)]
    data: DataArgs,
    /// The dependent variable.
    #[arg(long)]
    outcome: String,
    /// Logistic: the outcome value(s) that are the event, comma-separated (e.g. 2,3); without
    /// it the outcome must be coded 0/1.
    #[arg(long)]
    event: Option<String>,
    /// The model.
    #[arg(long, value_enum)]
    model: ModelArg,
    /// Covariates, comma-separated: a numeric one by name, a categorical one as
    /// name:ref=LEVEL; `common` is the report's 27-term set (survey.md §2.1) without the
    /// outcome's own construct.
    #[arg(long)]
    covariates: String,
    /// Blank a model on fewer than K respondents, and a 0/1 term (a dummy) with fewer than K
    /// respondents at 1 or at 0 (0 = no suppression, for your own eyes only).
    #[arg(long, default_value_t = 5)]
    min_cell: u64,
}

#[derive(Args)]
pub struct TTestArgs {
    #[command(flatten)]
    data: DataArgs,
    /// The variable(s) compared; repeatable (e.g. every tj_* service).
    #[arg(long, required = true)]
    var: Vec<String>,
    /// The variable whose two levels are compared (e.g. alvorlig_langvarig).
    #[arg(long)]
    between: String,
    /// The two levels, comma-separated: first minus second.
    #[arg(long, default_value = "1,0")]
    levels: String,
    /// Welch's t test (unequal variances) instead of Student's pooled one.
    #[arg(long)]
    welch: bool,
    /// Blank the test when a level has fewer than K values.
    #[arg(long, default_value_t = 5)]
    min_cell: u64,
}

#[derive(Args)]
pub struct AnovaArgs {
    #[command(flatten)]
    data: DataArgs,
    /// The variable(s) compared; repeatable (e.g. each CONTINU-UM item, scored).
    #[arg(long, required = true)]
    var: Vec<String>,
    /// The grouping whose levels are compared (e.g. sektor).
    #[arg(long)]
    between: String,
    /// Blank the test when a level has fewer than K values.
    #[arg(long, default_value_t = 5)]
    min_cell: u64,
}

#[derive(Args)]
pub struct ResponseArgs {
    /// The population aggregates: the long table (sektor, populasjon, inndeling, kategori,
    /// kjonn, antall; docs/survey.md) or the sector-only one (sektor, totalpop,
    /// mottakspop, utvalg); CSV or xlsx.
    #[arg(long)]
    aggregates: PathBuf,
    /// Write the CSV here instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
    /// The table: 4-1 … 4-9, `alder` (the age comparison of Figs 4-7–4-9), or `all` (every
    /// table with rows in one long CSV, `table,sector,row,column,value`).
    #[arg(long, default_value = "4-1")]
    table: String,
    /// Language of the messages on standard error.
    #[arg(long, value_enum, default_value_t = MessageLang::Nb)]
    lang: MessageLang,
}

/// Runs one survey command.
pub fn run(command: SurveyCommand) -> Result<ExitCode> {
    match command {
        SurveyCommand::Describe(args) => describe(args),
        SurveyCommand::Scale(args) => scale(args),
        SurveyCommand::Regress(args) => regress_command(args),
        SurveyCommand::Ttest(args) => ttest_command(args),
        SurveyCommand::Anova(args) => anova_command(args),
        SurveyCommand::Response(args) => response(args),
        SurveyCommand::Synth(args) => synth(args),
    }
}

fn lang(l: MessageLang) -> Lang {
    match l {
        MessageLang::Nb => Lang::Nb,
        MessageLang::En => Lang::En,
    }
}

/// Reads the respondents, says on stderr how many rows were read, used and rejected (with the
/// first issues), and adds the derived variables.
fn load(args: &DataArgs) -> Result<RespondentTable> {
    let bytes = std::fs::read(&args.data)
        .with_context(|| format!("cannot read {}", args.data.display()))?;
    let name = args
        .data
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let read = read_respondents(&name, &bytes);
    let l = lang(args.lang);
    eprintln!(
        "{}",
        match l {
            Lang::Nb => format!(
                "{name}: {} rader lest, {} brukt, {} avvist",
                read.rows_read, read.table.rows, read.rows_rejected
            ),
            Lang::En => format!(
                "{name}: {} rows read, {} used, {} rejected",
                read.rows_read, read.table.rows, read.rows_rejected
            ),
        }
    );
    for issue in read.issues.iter().take(10) {
        eprintln!("  {}", issue.render(l));
    }
    if !read.unknown_columns.is_empty() {
        eprintln!("  ? {}", read.unknown_columns.join(", "));
    }
    if read.table.rows == 0 {
        bail!("no usable respondents in {name}");
    }
    let mut table = read.table;
    add_derived(&mut table, &args.derive.settings());
    if let Some(by) = &args.by {
        if !forlop_core::survey::scale::has_grouping(&table, by) {
            bail!("no variable «{by}» in the data / variabelen finnes ikke");
        }
    }
    Ok(table)
}

/// A CSV field: quoted when it holds a delimiter, a quote or a line break.
fn write_rows(out: Option<&Path>, header: &str, rows: &[Vec<String>]) -> Result<()> {
    let text = forlop_core::survey::csv::text(header, rows.iter().cloned());
    match out {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(())
}

fn describe(args: DescribeArgs) -> Result<ExitCode> {
    let table = load(&args.data)?;
    let items: Vec<String> = if args.item.is_empty() {
        table
            .columns
            .keys()
            .filter(|name| {
                matches!(known_kind(name), Some(VarKind::Code { .. }))
                    || matches!(
                        name.as_str(),
                        "aldersgruppe"
                            | "diagnoser_gruppe"
                            | "behandlingslengde"
                            | "sektor"
                            | "helseregion"
                    )
            })
            .filter(|name| Some(name.as_str()) != args.data.by.as_deref())
            .cloned()
            .collect()
    } else {
        args.item.clone()
    };
    let mut out = Vec::new();
    for item in &items {
        let table_rows = frequencies(&table, item, args.data.by.as_deref(), args.min_cell)
            .map_err(anyhow::Error::msg)?;
        out.extend(rows::describe(item, &table_rows));
    }
    if args.min_cell == 0 {
        let mark = forlop_core::output::NOT_SUPPRESSED_MARK;
        eprintln!(
            "{} / {}: --min-cell 0 was given; do not publish this table.",
            mark.nb, mark.en
        );
    }
    write_rows(args.data.out.as_deref(), rows::DESCRIBE_HEADER, &out)?;
    Ok(ExitCode::SUCCESS)
}

fn scale(args: ScaleArgs) -> Result<ExitCode> {
    let table = load(&args.data)?;
    let which = match args.scale {
        ScaleArg::StarP => Scale::StarP,
        ScaleArg::ContinuUm => Scale::ContinuUm,
    };
    let summaries = summarise(
        &table,
        which,
        args.data.by.as_deref(),
        &args.data.derive.settings().scales,
    );
    if args.items {
        let out = rows::item_means(&summaries, which, args.min_cell);
        write_rows(args.data.out.as_deref(), rows::ITEM_MEANS_HEADER, &out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let out = rows::scale(&summaries, args.min_cell);
    write_rows(args.data.out.as_deref(), rows::SCALE_HEADER, &out)?;
    Ok(ExitCode::SUCCESS)
}

fn regress_command(args: RegressArgs) -> Result<ExitCode> {
    let table = load(&args.data)?;
    let spec = ModelSpec {
        model: match args.model {
            ModelArg::Logistic => Model::Logistic,
            ModelArg::Linear => Model::Linear,
        },
        outcome: args.outcome.clone(),
        event: args
            .event
            .as_deref()
            .map(|e| e.split(',').map(|s| s.trim().to_string()).collect())
            .unwrap_or_default(),
        covariates: if args.covariates.trim() == "common" {
            common_covariates(&args.outcome)
        } else {
            parse_covariates(&args.covariates).map_err(anyhow::Error::msg)?
        },
    };
    let mut fits = regress(&table, &spec, args.data.by.as_deref()).map_err(anyhow::Error::msg)?;
    suppress_small(&mut fits, args.min_cell);
    for fit in &fits {
        if fit.suppressed {
            eprintln!(
                "{}: fewer than {} respondents, not shown / færre enn {} respondenter, prikket",
                fit.group, args.min_cell, args.min_cell
            );
        } else if let Some(problem) = &fit.problem {
            eprintln!("{} (n = {}): {}", fit.group, fit.n, problem.describe());
        }
        let hidden: Vec<&str> = fit
            .terms
            .iter()
            .filter(|t| t.suppressed && !fit.suppressed)
            .map(|t| t.term.as_str())
            .collect();
        if !hidden.is_empty() {
            eprintln!(
                "{}: fewer than {} respondents in {}, not shown / prikket",
                fit.group,
                args.min_cell,
                hidden.join(", ")
            );
        }
    }
    write_rows(
        args.data.out.as_deref(),
        rows::REGRESS_HEADER,
        &rows::regress(&fits),
    )?;
    Ok(ExitCode::SUCCESS)
}

fn not_suppressed_warning(min_cell: u64) {
    if min_cell == 0 {
        let mark = forlop_core::output::NOT_SUPPRESSED_MARK;
        eprintln!(
            "{} / {}: --min-cell 0 was given; do not publish this table.",
            mark.nb, mark.en
        );
    }
}

fn ttest_command(args: TTestArgs) -> Result<ExitCode> {
    let table = load(&args.data)?;
    let Some((a, b)) = args.levels.split_once(',') else {
        bail!("--levels: expected two levels A,B / forventet to nivåer A,B");
    };
    let (a, b) = (a.trim(), b.trim());
    let mut out = Vec::new();
    for var in &args.var {
        let tests = t_test(
            &table,
            var,
            &args.between,
            [a, b],
            args.data.by.as_deref(),
            args.welch,
            args.min_cell,
        )
        .map_err(anyhow::Error::msg)?;
        out.extend(rows::ttest(var, [a, b], &tests));
    }
    not_suppressed_warning(args.min_cell);
    write_rows(args.data.out.as_deref(), rows::TTEST_HEADER, &out)?;
    Ok(ExitCode::SUCCESS)
}

fn anova_command(args: AnovaArgs) -> Result<ExitCode> {
    let table = load(&args.data)?;
    let mut out = Vec::new();
    for var in &args.var {
        let tests = anova(
            &table,
            var,
            &args.between,
            args.data.by.as_deref(),
            args.min_cell,
        )
        .map_err(anyhow::Error::msg)?;
        out.extend(rows::anova(var, &tests));
    }
    not_suppressed_warning(args.min_cell);
    write_rows(args.data.out.as_deref(), rows::ANOVA_HEADER, &out)?;
    Ok(ExitCode::SUCCESS)
}

fn response(args: ResponseArgs) -> Result<ExitCode> {
    use forlop_core::survey::representativeness::{
        long_csv, read_population_aggregates, render, render_all, sector_counts, TABLE_IDS,
    };
    let bytes = std::fs::read(&args.aggregates)
        .with_context(|| format!("cannot read {}", args.aggregates.display()))?;
    let name = args
        .aggregates
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let read = read_population_aggregates(&name, &bytes);
    let l = lang(args.lang);
    let used = read.records.len();
    if read.rows_rejected > 0 || read.records.is_empty() {
        eprintln!(
            "{}",
            match l {
                Lang::Nb => format!(
                    "{name}: {} rader lest, {} avvist",
                    read.rows_read, read.rows_rejected
                ),
                Lang::En => format!(
                    "{name}: {} rows read, {} rejected",
                    read.rows_read, read.rows_rejected
                ),
            }
        );
        for issue in read.issues.iter().take(10) {
            eprintln!("  {}", issue.render(l));
        }
    }
    if used == 0 {
        bail!("no usable counts in {name} / ingen brukbare tall i {name}");
    }
    let (_, left_out) = sector_counts(&read);
    if !left_out.is_empty() && matches!(args.table.as_str(), "4-1" | "all") {
        eprintln!(
            "Table 4-1 leaves out {} (no total counts of totalpop, mottakere and utvalg) / tabell 4-1 utelater {}",
            left_out.join(", "),
            left_out.join(", ")
        );
    }
    let text = if args.table == "all" {
        long_csv(&render_all(&read))
    } else {
        let Some(table) = render(&read, &args.table) else {
            bail!(
                "--table {}: expected all or one of {} / forventet all eller en av disse",
                args.table,
                TABLE_IDS.join(", ")
            );
        };
        if table.rows.is_empty() {
            eprintln!(
                "{name}: no counts for table {} / ingen tall til tabell {}",
                args.table, args.table
            );
        }
        table.csv()
    };
    match args.out.as_deref() {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

fn synth(args: SynthArgs) -> Result<ExitCode> {
    let survey = forlop_synth::generate_survey(&forlop_synth::SurveyConfig {
        respondents: args.respondents,
        seed: args.seed,
    });
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    for file in [&survey.respondents, &survey.aggregates] {
        let path = args.out.join(&file.name);
        std::fs::write(&path, &file.bytes)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let [phv, tsb, avt] = survey.sector_sizes;
    eprintln!(
        "{}: {} respondents (PHV {phv}, TSB {tsb}, AVT {avt})",
        args.out.display(),
        args.respondents
    );
    Ok(ExitCode::SUCCESS)
}
