//! The few places where DuckDB and Spark SQL differ, in one small type. Everything else the
//! generator writes is SQL both accept (CASE instead of FILTER, row_number instead of ordered
//! aggregates, `&` on BIGINT, `||`, `regexp_extract`).

/// The SQL engine a script is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// DuckDB (1.x, 2.x).
    DuckDb,
    /// Spark SQL (3.x).
    Spark,
}

impl Dialect {
    /// Parses `duckdb` or `spark`.
    pub fn parse(s: &str) -> Option<Dialect> {
        match s.to_ascii_lowercase().as_str() {
            "duckdb" => Some(Dialect::DuckDb),
            "spark" => Some(Dialect::Spark),
            _ => None,
        }
    }

    /// Its name in the script's header.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::DuckDb => "duckdb",
            Dialect::Spark => "spark",
        }
    }

    /// A statement that makes `name` the result of `select` for the rest of the session.
    pub fn create(self, name: &str, select: &str) -> String {
        match self {
            Dialect::DuckDb => format!("CREATE OR REPLACE TEMP TABLE {name} AS\n{select};\n"),
            // A table in the current database (use a scratch one), written once: a cached view
            // would keep every earlier step in its plan, and planning grows with the depth.
            Dialect::Spark => format!(
                "DROP TABLE IF EXISTS {name};\nCREATE TABLE {name} USING parquet AS\n{select};\n"
            ),
        }
    }

    /// A quoted identifier (for column names that are also keywords: `count`, `date`, `group`).
    pub fn ident(self, name: &str) -> String {
        match self {
            Dialect::DuckDb => format!("\"{name}\""),
            Dialect::Spark => format!("`{name}`"),
        }
    }

    /// days(a, b) = b − a in whole days.
    pub fn days(self, a: &str, b: &str) -> String {
        match self {
            Dialect::DuckDb => format!("date_diff('day', {a}, {b})"),
            Dialect::Spark => format!("datediff({b}, {a})"),
        }
    }

    /// The date `d` plus `n` days (n may be negative).
    pub fn add_days(self, d: &str, n: i64) -> String {
        match self {
            Dialect::DuckDb => format!("CAST({d} + INTERVAL ({n}) DAY AS DATE)"),
            Dialect::Spark => format!("date_add({d}, {n})"),
        }
    }

    /// Whether text `s` matches regular expression `re` (a SQL string literal's content).
    pub fn matches(self, s: &str, re: &str) -> String {
        match self {
            Dialect::DuckDb => format!("regexp_matches({s}, '{re}')"),
            Dialect::Spark => format!("({s} RLIKE '{re}')"),
        }
    }

    /// Whether date `d` is a Saturday or Sunday.
    pub fn is_weekend(self, d: &str) -> String {
        match self {
            // DuckDB: 0 = Sunday … 6 = Saturday; Spark: 1 = Sunday … 7 = Saturday.
            Dialect::DuckDb => format!("(dayofweek({d}) IN (0, 6))"),
            Dialect::Spark => format!("(dayofweek({d}) IN (1, 7))"),
        }
    }

    /// The weekday of date `d`, 0 = Monday … 6 = Sunday (chrono's `num_days_from_monday`).
    pub fn weekday_from_monday(self, d: &str) -> String {
        match self {
            // DuckDB: 0 = Sunday … 6 = Saturday; Spark: 1 = Sunday … 7 = Saturday.
            Dialect::DuckDb => format!("((dayofweek({d}) + 6) % 7)"),
            Dialect::Spark => format!("((dayofweek({d}) + 5) % 7)"),
        }
    }

    /// The median of `v` over a group: the middle value, or the mean of the two middle ones
    /// (the engine's `median`).
    pub fn median(self, v: &str) -> String {
        match self {
            Dialect::DuckDb => format!("quantile_cont({v}, 0.5)"),
            Dialect::Spark => format!("percentile({v}, 0.5)"),
        }
    }
}
