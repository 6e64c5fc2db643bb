//! `forlop sql`, `forlop tables` and `forlop suppress`: the indicators as SQL for a national
//! data platform (docs/sql.md), the engine's validated tables as canonical CSV, and the
//! engine's suppression applied to the SQL's result.

use super::{data_dir, read_options, ReadArgs};
use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use forlop_core::ingest::ReadOptions;
use forlop_core::model::TableKind;
use forlop_core::sql::{self, Dialect, SqlOptions};
use forlop_core::text::Lang;
use forlop_core::Settings;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum)]
pub enum DialectArg {
    Duckdb,
    Spark,
}

/// `forlop sql`.
#[derive(Args)]
pub struct SqlArgs {
    /// The SQL engine the script is for.
    #[arg(long, value_enum)]
    dialect: DialectArg,
    /// Analysis year Y.
    #[arg(long)]
    year: i32,
    /// Only these modules (repeatable); default every module that is not opt-in.
    #[arg(long = "module", value_name = "ID")]
    modules: Vec<String>,
    /// Settings as JSON (the engine's `Settings`: readmission rules, …); year and modules above
    /// override it.
    #[arg(long, value_name = "FILE.json")]
    settings: Option<PathBuf>,
    /// A canonical table the platform does not have (repeatable): its indicators are left out,
    /// as the engine reports them unavailable.
    #[arg(long = "without", value_name = "TABLE")]
    without: Vec<String>,
}

/// `forlop tables`.
#[derive(Args)]
pub struct TablesArgs {
    #[command(flatten)]
    read: ReadArgs,
    /// Directory to write persons.csv, episodes.csv, … into (created if needed).
    #[arg(long)]
    out: PathBuf,
    /// The analysis year, for the reader's sanity warnings only.
    #[arg(long)]
    year: Option<i32>,
}

/// `forlop suppress`.
#[derive(Args)]
pub struct SuppressArgs {
    /// The SQL script's result as CSV (the long table at k = 0 with median_n).
    #[arg(long = "in")]
    input: PathBuf,
    /// Small-number threshold k.
    #[arg(long, default_value_t = 5)]
    min_cell: u64,
    /// The areas table the SQL ran with (canonical columns; `row_no` orders rows when
    /// present). Without it: the country and the municipalities of the rows.
    #[arg(long)]
    areas: Option<PathBuf>,
    /// Output file; standard output when absent.
    #[arg(long)]
    out: Option<PathBuf>,
    /// The script's `forlop_summary` table as CSV (`module,item,n`): suppressed with the same k
    /// (a count below k hidden, as the engine hides a summary item) into `--summary-out`.
    #[arg(long, requires = "summary_out")]
    summary: Option<PathBuf>,
    /// Where to write the suppressed summary (`module,item,n,suppressed`).
    #[arg(long, requires = "summary")]
    summary_out: Option<PathBuf>,
}

fn settings_from(path: Option<&PathBuf>) -> Result<Settings> {
    Ok(match path {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read settings {}", path.display()))?;
            serde_json::from_str::<Settings>(&text)
                .with_context(|| format!("{} is not valid settings", path.display()))?
        }
        None => Settings::default(),
    })
}

/// Prints the script.
pub fn sql(args: SqlArgs) -> Result<ExitCode> {
    let mut settings = settings_from(args.settings.as_ref())?;
    settings.year = args.year;
    settings.min_cell = 0;
    if !args.modules.is_empty() {
        for id in &args.modules {
            if forlop_core::modules::find(id).is_none() {
                bail!("unknown module {id:?}");
            }
        }
        settings.modules = Some(args.modules.clone());
    }
    let mut tables: Vec<TableKind> = TableKind::ALL.to_vec();
    for w in &args.without {
        let Some(kind) = TableKind::ALL
            .into_iter()
            .find(|k| k.canonical_name() == w || k.norwegian_name() == w)
        else {
            bail!("unknown table {w:?}");
        };
        if kind == TableKind::Persons {
            bail!("persons is always needed");
        }
        tables.retain(|t| *t != kind);
    }
    for n in sql::not_in_sql(&settings) {
        eprintln!("not in SQL yet: module {} ({})", n.module, n.reason);
    }
    for (id, reason) in sql::indicators_not_in_sql() {
        eprintln!("not in SQL yet: indicator {id} ({reason})");
    }
    let script = sql::script(&SqlOptions {
        dialect: match args.dialect {
            DialectArg::Duckdb => Dialect::DuckDb,
            DialectArg::Spark => Dialect::Spark,
        },
        settings,
        tables,
    });
    std::io::stdout().lock().write_all(script.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the validated tables as canonical CSV.
pub fn tables(args: TablesArgs) -> Result<ExitCode> {
    let files = data_dir::read(
        &args.read.data,
        args.read.max_file_mb.saturating_mul(1 << 20),
    )?;
    let options = ReadOptions {
        analysis_year: args.year,
        ..read_options(&args.read)?
    };
    let loaded = files.load(&options);
    if !loaded.quality.has_usable_data() {
        eprint!("{}", loaded.quality.render_text(Lang::En));
        bail!("no usable persons table in {}", args.read.data.display());
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    for (name, bytes) in sql::canonical::write_tables(&loaded.tables) {
        let path = args.out.join(&name);
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let schema = args.out.join("tables.json");
    std::fs::write(&schema, sql::canonical::schema_json(&loaded.tables))
        .with_context(|| format!("cannot write {}", schema.display()))?;
    let rejected: u64 = loaded.quality.files.iter().map(|f| f.rows_rejected).sum();
    eprintln!(
        "wrote the validated tables to {} ({rejected} rows rejected by the reader, see forlop check)",
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Suppresses the SQL's result with the engine's code.
pub fn suppress(args: SuppressArgs) -> Result<ExitCode> {
    let bytes = std::fs::read(&args.input)
        .with_context(|| format!("cannot read {}", args.input.display()))?;
    let rows = sql::long::read_sql_result(&bytes).map_err(anyhow::Error::msg)?;
    let areas_table = match &args.areas {
        Some(path) => {
            let bytes =
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            Some(sql::long::read_areas(&bytes).map_err(anyhow::Error::msg)?)
        }
        None => None,
    };
    let without_areas = areas_table.is_none();
    let areas = sql::long::areas_for(&rows, areas_table);
    let long = sql::long::suppress_long_table(&rows, &areas, args.min_cell).map_err(|e| {
        if without_areas {
            anyhow::Error::msg(format!(
                "{e} (give the areas table the SQL ran with: --areas areas.csv / \
                 oppgi områdetabellen med --areas)"
            ))
        } else {
            anyhow::Error::msg(e)
        }
    })?;
    let mut csv = Vec::new();
    forlop_core::output::write_long_table_csv(long, &mut csv);
    match &args.out {
        Some(path) => {
            std::fs::write(path, csv).with_context(|| format!("cannot write {}", path.display()))?
        }
        None => std::io::stdout().lock().write_all(&csv)?,
    }
    if let (Some(input), Some(out)) = (&args.summary, &args.summary_out) {
        let bytes =
            std::fs::read(input).with_context(|| format!("cannot read {}", input.display()))?;
        let suppressed = sql::long::suppress_summary(&bytes, args.min_cell)
            .map_err(|e| anyhow::Error::msg(format!("{}: {e}", input.display())))?;
        std::fs::write(out, suppressed)
            .with_context(|| format!("cannot write {}", out.display()))?;
    }
    if args.min_cell == 0 {
        eprintln!("k = 0: NOT SUPPRESSED / IKKE PRIKKET");
    }
    Ok(ExitCode::SUCCESS)
}
