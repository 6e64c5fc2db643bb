//! The indicators as SQL, for national registers on a data platform (issue 10).
//!
//! The SQL mirrors the engine's split (`docs/architecture.md`). Each module writes, once and
//! next to its Rust (`modules/<id>/sql.rs`), the SQL that builds from the canonical tables
//!
//! - `<id>_units(unit_id, pid, groups)`: one row per unit, `groups` the bitmask of
//!   [`crate::module::UnitRow::groups`] (bit g = the module's group g);
//! - `<id>_facts(unit_id, fact, n)`: how many times fact `fact` happened to the unit (rows may
//!   repeat a (unit, fact): they are added);
//! - `<id>_values(unit_id, quantity, v)`: one row per value of a quantity.
//!
//! Everything after that is generated here from the registry ([`crate::indicator::registry`]):
//! the units' areas (the person's municipality and its chain up to the country), the sums per
//! (group × area) cell as `indicator::eval::accumulate` makes them, each indicator's numerator,
//! denominator and value from its `Measure`s as `evaluate` reads them, and the long table of
//! indicators.md §6 at k = 0. Adding an indicator to the registry adds its SQL.
//!
//! Suppression is not in the SQL: `forlop suppress` applies the engine's own code
//! ([`crate::suppress`]) to the SQL's result ([`long::suppress_long_table`]), so the suppressed
//! output equals the engine's by construction. The script's result has one column more than §6,
//! `median_n` (the number of values behind a median, which primary suppression tests), and three
//! for the directly standardised twins (`sql/standardise.rs`): `std_y`, `std_v`, `std_w_max`, from
//! which `forlop suppress` computes their Fay–Feuer interval.

pub mod canonical;
mod dialect;
pub mod long;
mod shared;
mod standardise;

pub use dialect::Dialect;

use crate::indicator::{IndicatorDef, Measure, Scope};
use crate::model::TableKind;
use crate::module::ModuleDecl;
use crate::settings::Settings;
use std::fmt::Write as _;

/// What a module's SQL is written against.
pub struct Ctx<'a> {
    /// The SQL engine.
    pub dialect: Dialect,
    /// The analysis year Y.
    pub year: i32,
    /// The analysis settings (readmission window, …).
    pub settings: &'a Settings,
    /// The canonical tables the platform has (persons always).
    pub tables: &'a [TableKind],
    /// Shared pieces already written (a cohort two modules read).
    written: std::cell::RefCell<std::collections::BTreeSet<&'static str>>,
}

impl Ctx<'_> {
    /// `DATE 'Y-01-01'`.
    pub fn first(&self) -> String {
        format!("DATE '{:04}-01-01'", self.year)
    }

    /// `DATE 'Y-12-31'`.
    pub fn last(&self) -> String {
        format!("DATE '{:04}-12-31'", self.year)
    }

    /// Whether the platform has table `t`.
    pub fn has(&self, t: TableKind) -> bool {
        t == TableKind::Persons || self.tables.contains(&t)
    }

    /// `make()`'s statements the first time `name` is asked for, nothing after that: a piece
    /// several modules read (the SMI cohort) is written once.
    pub fn once(&self, name: &'static str, make: impl FnOnce() -> String) -> String {
        if self.written.borrow_mut().insert(name) {
            make()
        } else {
            String::new()
        }
    }

    fn has_areas(&self) -> bool {
        self.has(TableKind::Areas)
    }
}

/// A module's SQL: statements that create its units, facts and values tables.
pub type ModuleSqlFn = fn(&Ctx<'_>) -> String;

/// The modules that have SQL, by id. A module not listed here is left out of the script and
/// named in its header (see [`not_in_sql`]).
fn module_sql(id: &str) -> Option<ModuleSqlFn> {
    match id {
        "smi" => Some(crate::modules::smi::sql::units_and_facts),
        "ready" => Some(crate::modules::ready::sql::units_and_facts),
        "door" => Some(crate::modules::door::sql::units_and_facts),
        "path" => Some(crate::modules::pathways::sql::units_and_facts),
        "flow" => Some(crate::modules::flow::sql::units_and_facts),
        "ladder" => Some(crate::modules::ladder::sql::units_and_facts),
        _ => None,
    }
}

/// The modules whose run has a summary (`ModuleRun::summary`), by id: statements that create
/// `<id>_summary(item, n)` after the module's units and facts.
fn module_summary_sql(id: &str) -> Option<ModuleSqlFn> {
    match id {
        "smi" => Some(crate::modules::smi::sql::summary),
        "door" => Some(crate::modules::door::sql::summary),
        _ => None,
    }
}

/// The text of a summary item in the script's `forlop_summary` table: `cohort_size`,
/// `group_size:<base>`, `in_several_groups`, `group_pair:<base>:<base>`,
/// `largest_pair:<base>:<base>`, `hour_of_day:<0–23>`, `weekday:<0 = Monday … 6>` (base ids as
/// in the module's declaration).
pub fn summary_item(decl: &ModuleDecl, kind: crate::module::SummaryKind) -> String {
    use crate::module::{DistributionAxis, SummaryKind as K};
    let base = |b: usize| decl.bases.get(b).map_or("?", |g| g.id);
    match kind {
        K::CohortSize => "cohort_size".into(),
        K::GroupSize(b) => format!("group_size:{}", base(b)),
        K::InSeveralGroups => "in_several_groups".into(),
        K::GroupPair(a, b) => format!("group_pair:{}:{}", base(a), base(b)),
        K::LargestPair(a, b) => format!("largest_pair:{}:{}", base(a), base(b)),
        K::Distribution {
            axis: DistributionAxis::HourOfDay,
            bin,
        } => format!("hour_of_day:{bin}"),
        K::Distribution {
            axis: DistributionAxis::Weekday,
            bin,
        } => format!("weekday:{bin}"),
    }
}

/// The item in the script's `forlop_summary` table that carries a module note's count, for the
/// notes the SQL computes: `note:unknown_age` (SMI: persons with a group code on a PHV episode
/// in Y left out because their age is unknown) and `note:country_only` (SMI: cohort persons
/// whose municipality is missing or in no area of the areas table). A row is there only when the
/// count is above 0, as the engine writes the note only then. `None` for the other notes: they
/// are about the settings or the population table, or (persons without a stratum of a
/// standardised rate) not computed by the SQL.
pub fn note_item(note: &crate::notes::Note) -> Option<&'static str> {
    use crate::notes::Note;
    match note {
        Note::SmiUnknownAge { .. } => Some("note:unknown_age"),
        Note::CountryOnly { .. } => Some("note:country_only"),
        _ => None,
    }
}

/// The ids of the modules that have SQL, in registration order.
pub fn modules_in_sql() -> Vec<&'static str> {
    crate::modules::all()
        .iter()
        .map(|m| m.decl().id)
        .filter(|id| module_sql(id).is_some())
        .collect()
}

/// What the script is asked for.
#[derive(Debug, Clone)]
pub struct SqlOptions {
    /// The SQL engine.
    pub dialect: Dialect,
    /// The analysis settings: year, readmission rules, the modules (`settings.modules`).
    pub settings: Settings,
    /// The canonical tables the platform has; indicators needing another are left out, as the
    /// engine reports them unavailable.
    pub tables: Vec<TableKind>,
}

/// Why an indicator or module is not in the script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotInSql {
    /// Module id.
    pub module: &'static str,
    /// Why.
    pub reason: &'static str,
}

/// The modules the settings ask for that have no SQL yet, with the reason.
pub fn not_in_sql(settings: &Settings) -> Vec<NotInSql> {
    crate::modules::all()
        .iter()
        .map(|m| m.decl())
        .filter(|d| settings.runs(d) && module_sql(d.id).is_none())
        .map(|d| NotInSql {
            module: d.id,
            reason: "its units and facts are not written in SQL yet",
        })
        .collect()
}

/// Whether an indicator of the registry is in the generated SQL: its module has SQL. The
/// directly standardised twins (`<id>_std`) are generated from their base rate like every other
/// indicator (`sql/standardise.rs`).
pub fn indicator_in_sql(def: &crate::indicator::IndicatorDef) -> bool {
    module_sql(def.module).is_some()
}

/// The indicators of modules in the SQL that the SQL leaves out, with the reason (none now:
/// kept so that a future indicator that cannot be written in SQL is named in the script's
/// header and by `forlop sql`).
pub fn indicators_not_in_sql() -> Vec<(&'static str, &'static str)> {
    crate::indicator::registry()
        .iter()
        .filter(|d| module_sql(d.module).is_some() && !indicator_in_sql(d))
        .map(|d| (d.id, "not written in SQL yet"))
        .collect()
}

/// The script: over the canonical tables (same names and columns as spec/data-format.md, plus
/// `row_no` on episodes and areas), it ends with one `SELECT` whose rows are the long table of
/// §6 at k = 0 for every module of the settings that has SQL, plus the columns `median_n`,
/// `std_y`, `std_v` and `std_w_max`, sorted as the engine sorts it.
pub fn script(options: &SqlOptions) -> String {
    let cx = Ctx {
        dialect: options.dialect,
        year: options.settings.year,
        settings: &options.settings,
        tables: &options.tables,
        written: Default::default(),
    };
    let d = cx.dialect;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "-- Forløp indicators as SQL ({}), year {}; generated by `forlop sql`, do not edit.\n\
         -- Input: the canonical tables of spec/data-format.md (docs/sql.md). Output: the last\n\
         -- SELECT, the long table of indicators.md §6 NOT SUPPRESSED (k = 0) plus median_n.\n\
         -- suppress it with `forlop suppress`.",
        d.name(),
        cx.year
    );
    for n in not_in_sql(&options.settings) {
        let _ = writeln!(out, "-- Not included: module {} ({}).", n.module, n.reason);
    }
    for (id, reason) in indicators_not_in_sql() {
        let _ = writeln!(out, "-- Not included: indicator {id} ({reason}).");
    }
    out += "\n";
    out += &shared::areas(&cx);
    if cx.has(TableKind::Population) {
        out += &shared::population(&cx);
    }
    if cx.has(TableKind::Episodes) {
        out += &shared::stays(&cx);
    }
    let mut selects = Vec::new();
    let mut summaries = Vec::new();
    for m in crate::modules::all() {
        let decl = m.decl();
        if !options.settings.runs(decl) {
            continue;
        }
        let Some(sql) = module_sql(decl.id) else {
            continue;
        };
        if decl.tables.iter().any(|t| !cx.has(*t)) {
            continue;
        }
        let defs: Vec<&IndicatorDef> = crate::indicator::of_module(decl.id)
            .filter(|def| def.tables.iter().all(|t| cx.has(*t)))
            .collect();
        if defs.is_empty() {
            continue;
        }
        let _ = writeln!(out, "-- Module {}: units and facts\n", decl.id);
        out += &sql(&cx);
        let _ = writeln!(
            out,
            "-- Module {}: cells and indicators (generated)\n",
            decl.id
        );
        out += &cells(&cx, decl, &defs);
        if let Some(summary) = module_summary_sql(decl.id) {
            let _ = writeln!(out, "-- Module {}: summary\n", decl.id);
            out += &summary(&cx);
            summaries.push(format!(
                "SELECT '{id}' AS module, item, CAST(n AS BIGINT) AS n FROM {id}_summary",
                id = decl.id
            ));
        }
        for def in &defs {
            if crate::indicator::standardised_base(def).is_some() {
                out += &standardise::rate(&cx, decl, def);
                selects.push(standardise::select(&cx, def));
            } else {
                selects.push(indicator_select(&cx, def));
            }
        }
    }
    if summaries.is_empty() {
        summaries.push(
            "SELECT CAST(NULL AS STRING) AS module, CAST(NULL AS STRING) AS item, \
             CAST(NULL AS BIGINT) AS n WHERE 1 = 0"
                .into(),
        );
    }
    let _ = writeln!(
        out,
        "-- The modules' summaries (group sizes and overlaps, admissions by hour and weekday),\n\
         -- country level, not suppressed: one row per item, as summary_item names it"
    );
    out += &d.create("forlop_summary", &summaries.join("\nUNION ALL\n"));
    out += "\n";
    let g = d.ident("group");
    let year = d.ident("year");
    if selects.is_empty() {
        selects.push(format!(
            "SELECT CAST(NULL AS STRING) AS indicator, CAST(NULL AS STRING) AS {g}, \
             CAST(NULL AS STRING) AS level, CAST(NULL AS STRING) AS area, \
             CAST(NULL AS BIGINT) AS numerator, CAST(NULL AS BIGINT) AS denominator, \
             CAST(NULL AS DOUBLE) AS value, CAST(NULL AS BIGINT) AS median_n, \
             CAST(NULL AS DOUBLE) AS std_y, CAST(NULL AS DOUBLE) AS std_v, \
             CAST(NULL AS DOUBLE) AS std_w_max WHERE 1 = 0"
        ));
    }
    let _ = writeln!(
        out,
        "-- The long table\n\
         SELECT indicator, {g}, level, area, {y} AS {year}, numerator, denominator, value,\n\
                false AS suppressed, median_n, std_y, std_v, std_w_max\n\
         FROM (\n{}\n) t\n\
         ORDER BY indicator, {g}, level, area;",
        selects.join("\nUNION ALL\n"),
        y = cx.year
    );
    out
}

/// The facts and quantities a module's indicators read, each once.
struct Used {
    fact_units: Vec<u16>,
    fact_counts: Vec<u16>,
    sums: Vec<u16>,
    medians: Vec<u16>,
    all_units: bool,
}

fn used(defs: &[&IndicatorDef]) -> Used {
    let mut u = Used {
        fact_units: Vec::new(),
        fact_counts: Vec::new(),
        sums: Vec::new(),
        medians: Vec::new(),
        all_units: false,
    };
    for def in defs {
        u.all_units |= def.scope == Scope::AllUnits;
        for m in std::iter::once(def.numerator).chain(def.denominator) {
            let (list, i) = match m {
                Measure::UnitsWith(f) => (&mut u.fact_units, f.0),
                Measure::Count(f) => (&mut u.fact_counts, f.0),
                Measure::Sum(q) => (&mut u.sums, q.0),
                Measure::Median(q) => (&mut u.medians, q.0),
                Measure::Units | Measure::Population18Plus | Measure::PopulationAll => continue,
            };
            if !list.contains(&i) {
                list.push(i);
            }
        }
    }
    for list in [
        &mut u.fact_units,
        &mut u.fact_counts,
        &mut u.sums,
        &mut u.medians,
    ] {
        list.sort_unstable();
    }
    u
}

/// The generated roll-up of one module (indicator::eval::accumulate): every unit to each of its
/// groups (plus, for indicators over every unit, the extra group `n_groups`) at the country and
/// at every area of its municipality's chain; the sums per cell; the grid of every group × area
/// with zeros where no unit is; the medians per cell.
fn cells(cx: &Ctx<'_>, decl: &ModuleDecl, defs: &[&IndicatorDef]) -> String {
    let d = cx.dialect;
    let id = decl.id;
    let u = used(defs);
    let n_groups = decl.groups.len();
    let mut out = String::new();

    // Per unit: the count of each fact read, the sum of each quantity's non-negative values.
    let mut facts_cols: Vec<String> = Vec::new();
    let mut fact_ids: Vec<u16> = u.fact_units.iter().chain(&u.fact_counts).copied().collect();
    fact_ids.sort_unstable();
    fact_ids.dedup();
    for f in &fact_ids {
        facts_cols.push(format!(
            "sum(CASE WHEN fact = {f} THEN n ELSE 0 END) AS f{f}"
        ));
    }
    let sum_cols: Vec<String> = u
        .sums
        .iter()
        .map(|q| format!("sum(CASE WHEN quantity = {q} AND v > 0 THEN v ELSE 0 END) AS q{q}"))
        .collect();
    let mut wide_cols = vec![
        "u.unit_id".to_string(),
        "u.groups".to_string(),
        "p.municipality AS mun".to_string(),
    ];
    wide_cols.extend(
        fact_ids
            .iter()
            .map(|f| format!("coalesce(f.f{f}, 0) AS f{f}")),
    );
    wide_cols.extend(
        u.sums
            .iter()
            .map(|q| format!("coalesce(s.q{q}, 0) AS q{q}")),
    );
    let mut from = format!("{id}_units u\nLEFT JOIN persons p ON p.pid = u.pid");
    if !facts_cols.is_empty() {
        let _ = write!(
            from,
            "\nLEFT JOIN (SELECT unit_id, {} FROM {id}_facts GROUP BY unit_id) f ON f.unit_id = u.unit_id",
            facts_cols.join(", ")
        );
    }
    if !sum_cols.is_empty() {
        let _ = write!(
            from,
            "\nLEFT JOIN (SELECT unit_id, {} FROM {id}_values GROUP BY unit_id) s ON s.unit_id = u.unit_id",
            sum_cols.join(", ")
        );
    }
    out += &d.create(
        &format!("{id}_wide"),
        &format!("SELECT {}\nFROM {from}", wide_cols.join(", ")),
    );

    // The module's groups (bit values), and the group of every unit when needed.
    let mut groups: Vec<String> = decl
        .groups
        .iter()
        .enumerate()
        .map(|(g, gd)| format!("SELECT {g} AS g, '{}' AS gid, {} AS bit", gd.id, 1u64 << g))
        .collect();
    if u.all_units {
        groups.push(format!("SELECT {n_groups} AS g, '' AS gid, 0 AS bit"));
    }
    out += &d.create(&format!("{id}_groups"), &groups.join("\nUNION ALL "));
    out += &d.create(
        &format!("{id}_unit_group"),
        &format!(
            "SELECT w.unit_id, g.g FROM {id}_wide w JOIN {id}_groups g\n\
               ON (w.groups & g.bit) <> 0 OR g.g = {n_groups}"
        ),
    );
    out += &d.create(
        &format!("{id}_unit_area"),
        &format!(
            "SELECT unit_id, 'country' AS level, 'NO' AS area FROM {id}_wide\n\
             UNION ALL SELECT w.unit_id, c.level, c.area FROM {id}_wide w JOIN forlop_chain c ON c.mun = w.mun"
        ),
    );
    let mut sums = vec!["count(*) AS units".to_string()];
    sums.extend(
        u.fact_units
            .iter()
            .map(|f| format!("sum(CASE WHEN w.f{f} > 0 THEN 1 ELSE 0 END) AS w{f}")),
    );
    sums.extend(u.fact_counts.iter().map(|f| format!("sum(w.f{f}) AS c{f}")));
    sums.extend(u.sums.iter().map(|q| format!("sum(w.q{q}) AS s{q}")));
    out += &d.create(
        &format!("{id}_cells"),
        &format!(
            "SELECT ug.g, ua.level, ua.area, {}\n\
             FROM {id}_wide w\n\
             JOIN {id}_unit_group ug ON ug.unit_id = w.unit_id\n\
             JOIN {id}_unit_area ua ON ua.unit_id = w.unit_id\n\
             GROUP BY ug.g, ua.level, ua.area",
            sums.join(", ")
        ),
    );
    for q in &u.medians {
        out += &d.create(
            &format!("{id}_median_{q}"),
            &format!(
                "SELECT ug.g, ua.level, ua.area, {} AS med, count(*) AS n\n\
                 FROM {id}_values v\n\
                 JOIN {id}_unit_group ug ON ug.unit_id = v.unit_id\n\
                 JOIN {id}_unit_area ua ON ua.unit_id = v.unit_id\n\
                 WHERE v.quantity = {q}\n\
                 GROUP BY ug.g, ua.level, ua.area",
                d.median("CAST(v.v AS DOUBLE)")
            ),
        );
    }

    // The grid: every group × area, zeros where no unit is.
    let mut cols = vec![
        "g.g".to_string(),
        "g.gid".to_string(),
        "a.level".to_string(),
        "a.area".to_string(),
    ];
    let cell_cols = |p: &str, out: &mut Vec<String>| {
        out.push(format!("coalesce({p}.units, 0) AS {p}_units"));
        out.extend(
            u.fact_units
                .iter()
                .map(|f| format!("coalesce({p}.w{f}, 0) AS {p}_w{f}")),
        );
        out.extend(
            u.fact_counts
                .iter()
                .map(|f| format!("coalesce({p}.c{f}, 0) AS {p}_c{f}")),
        );
        out.extend(
            u.sums
                .iter()
                .map(|q| format!("coalesce({p}.s{q}, 0) AS {p}_s{q}")),
        );
    };
    cell_cols("c", &mut cols);
    let mut joins =
        format!("LEFT JOIN {id}_cells c ON c.g = g.g AND c.level = a.level AND c.area = a.area");
    if u.all_units {
        cell_cols("x", &mut cols);
        let _ = write!(
            joins,
            "\nLEFT JOIN {id}_cells x ON x.g = {n_groups} AND x.level = a.level AND x.area = a.area"
        );
    }
    for q in &u.medians {
        cols.push(format!("m{q}.med AS c_med{q}"));
        cols.push(format!("coalesce(m{q}.n, 0) AS c_n{q}"));
        let _ = write!(
            joins,
            "\nLEFT JOIN {id}_median_{q} m{q} ON m{q}.g = g.g AND m{q}.level = a.level AND m{q}.area = a.area"
        );
        if u.all_units {
            cols.push(format!("x{q}.med AS x_med{q}"));
            cols.push(format!("coalesce(x{q}.n, 0) AS x_n{q}"));
            let _ = write!(
                joins,
                "\nLEFT JOIN {id}_median_{q} x{q} ON x{q}.g = {n_groups} AND x{q}.level = a.level AND x{q}.area = a.area"
            );
        }
    }
    if cx.has(TableKind::Population) {
        cols.push("coalesce(p.adults, 0) AS pop_adults".into());
        cols.push("coalesce(p.everyone, 0) AS pop_all".into());
        let _ = write!(
            joins,
            "\nLEFT JOIN forlop_population p ON p.level = a.level AND p.area = a.area"
        );
    }
    out += &d.create(
        &format!("{id}_grid"),
        &format!(
            "SELECT {}\nFROM {id}_groups g CROSS JOIN forlop_area_list a\n{joins}\nWHERE g.g < {n_groups}",
            cols.join(", ")
        ),
    );
    out
}

/// A measure as a column of the grid (`c_` the group's cell, `x_` the cell of every unit).
pub(crate) fn measure_col(m: Measure, p: &str) -> String {
    match m {
        Measure::Units => format!("{p}_units"),
        Measure::UnitsWith(f) => format!("{p}_w{}", f.0),
        Measure::Count(f) => format!("{p}_c{}", f.0),
        Measure::Sum(q) => format!("{p}_s{}", q.0),
        Measure::Median(q) => format!("{p}_med{}", q.0),
        Measure::Population18Plus => "pop_adults".into(),
        Measure::PopulationAll => "pop_all".into(),
    }
}

/// One indicator's rows (indicator::eval::evaluate at k = 0): a count or sum has the number as
/// numerator and value; a ratio factor × numerator / denominator, no value over a denominator
/// of 0; a median neither numerator nor denominator, no value over no values.
fn indicator_select(cx: &Ctx<'_>, def: &IndicatorDef) -> String {
    let d = cx.dialect;
    let g = d.ident("group");
    let p = match def.scope {
        Scope::GroupMembers => "c",
        Scope::AllUnits => "x",
    };
    let id = def.id;
    let (num, den, value, median_n) = match (def.numerator, def.denominator) {
        (Measure::Median(q), _) => (
            "CAST(NULL AS BIGINT)".to_string(),
            "CAST(NULL AS BIGINT)".to_string(),
            format!("{p}_med{}", q.0),
            format!("{p}_n{}", q.0),
        ),
        (n, None) => {
            let n = measure_col(n, p);
            (
                format!("CAST({n} AS BIGINT)"),
                "CAST(NULL AS BIGINT)".to_string(),
                format!("CAST({n} AS DOUBLE)"),
                "CAST(NULL AS BIGINT)".to_string(),
            )
        }
        (n, Some(dm)) => {
            let (n, dn) = (measure_col(n, p), measure_col(dm, p));
            let factor = def.unit.factor();
            (
                format!("CAST({n} AS BIGINT)"),
                format!("CAST({dn} AS BIGINT)"),
                // factor × n / d in doubles, in the engine's order of operations.
                format!(
                    "CASE WHEN {dn} > 0 THEN CAST({factor:?} AS DOUBLE) * CAST({n} AS DOUBLE) / CAST({dn} AS DOUBLE) END"
                ),
                "CAST(NULL AS BIGINT)".to_string(),
            )
        }
    };
    format!(
        "SELECT '{id}' AS indicator, gid AS {g}, level, area, {num} AS numerator, \
         {den} AS denominator, {value} AS value, {median_n} AS median_n, \
         CAST(NULL AS DOUBLE) AS std_y, CAST(NULL AS DOUBLE) AS std_v, \
         CAST(NULL AS DOUBLE) AS std_w_max FROM {}_grid",
        def.module
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(dialect: Dialect, tables: &[TableKind]) -> SqlOptions {
        SqlOptions {
            dialect,
            settings: Settings {
                year: 2024,
                ..Settings::default()
            },
            tables: tables.to_vec(),
        }
    }

    #[test]
    fn every_published_module_has_sql() {
        // The rule: the change that adds a module to the registry adds its SQL.
        assert!(not_in_sql(&Settings::default()).is_empty());
        let with_example = Settings {
            modules: Some(vec!["smi".into(), "example".into()]),
            ..Settings::default()
        };
        let missing: Vec<&str> = not_in_sql(&with_example).iter().map(|n| n.module).collect();
        assert_eq!(missing, ["example"]);
        // The standardised twins are generated too: no indicator of a module in SQL is left out.
        assert_eq!(indicators_not_in_sql(), Vec::new());
    }

    #[test]
    fn summaries_are_one_table_with_the_items_named_by_base_id() {
        use crate::module::{DistributionAxis, SummaryKind as K};
        let smi = crate::modules::find("smi").unwrap();
        // SMI's bases: all, schizophrenia, bipolar, depression, personality.
        assert_eq!(summary_item(smi, K::GroupSize(0)), "group_size:all");
        assert_eq!(
            summary_item(smi, K::LargestPair(1, 3)),
            "largest_pair:schizophrenia:depression"
        );
        let door = crate::modules::find("door").unwrap();
        let monday = K::Distribution {
            axis: DistributionAxis::Weekday,
            bin: 0,
        };
        assert_eq!(summary_item(door, monday), "weekday:0");
        let s = script(&options(Dialect::DuckDb, &TableKind::ALL));
        assert!(s.contains("CREATE OR REPLACE TEMP TABLE forlop_summary AS"));
        assert!(s.contains("'smi' AS module") && s.contains("'door' AS module"));
        assert!(
            s.contains("'hour_of_day:23'") && s.contains("'group_pair:depression:personality'")
        );
        assert!(s.contains("'note:unknown_age'") && s.contains("'note:country_only'"));
        // Without episodes neither module runs: the table is there, empty.
        let none = script(&options(Dialect::DuckDb, &[TableKind::Persons]));
        assert!(none.contains("forlop_summary AS") && none.contains("WHERE 1 = 0"));
    }

    #[test]
    fn the_standardised_twins_read_their_strata_from_the_standard_year() {
        let mut o = options(Dialect::DuckDb, &TableKind::ALL);
        let s = script(&o);
        for id in ["smi.patients_per_1000_std", "ready.patients_per_1000_std"] {
            assert_eq!(s.matches(&format!("SELECT '{id}' AS indicator")).count(), 1);
        }
        // smi's twin is over the adult bands, ready's over every band: one set of strata each.
        assert!(
            s.contains("forlop_std_adults_person AS") && s.contains("forlop_std_all_person AS")
        );
        assert!(s.contains("IN (2024, 2024)"));
        o.settings.comparison.standard_year = Some(2023);
        let s = script(&o);
        assert!(s.contains("IN (2024, 2023)") && s.contains("WHERE yr = 2023"));
        // Without a population table there are no twins and no strata.
        let none = script(&options(
            Dialect::DuckDb,
            &[TableKind::Persons, TableKind::Episodes, TableKind::Areas],
        ));
        assert!(!none.contains("_std'") && !none.contains("forlop_std"));
    }

    #[test]
    fn the_script_selects_every_available_indicator_once() {
        let all = script(&options(Dialect::DuckDb, &TableKind::ALL));
        for def in crate::indicator::registry() {
            let opt_in = crate::indicator::module_of(def).is_some_and(|m| m.opt_in);
            let n = all
                .matches(&format!("SELECT '{}' AS indicator", def.id))
                .count();
            assert_eq!(
                n,
                usize::from(!opt_in && indicator_in_sql(def)),
                "{}",
                def.id
            );
        }
        // Without primary care and population: their indicators are left out, as the engine
        // reports them unavailable; the rest stays.
        let some = script(&options(
            Dialect::DuckDb,
            &[TableKind::Persons, TableKind::Episodes, TableKind::Areas],
        ));
        assert!(!some.contains("'smi.gp_contact'"));
        assert!(!some.contains("'smi.patients_per_1000'"));
        assert!(!some.contains("forlop_population"));
        assert!(some.contains("'smi.admitted'"));
        assert!(
            !some.contains("'ladder.persons'"),
            "ladder needs municipal services"
        );
    }

    #[test]
    fn statements_split_at_a_semicolon_at_the_end_of_a_line() {
        // Clients that run one statement at a time (Spark's spark.sql) split there.
        for d in [Dialect::DuckDb, Dialect::Spark] {
            let s = script(&options(d, &TableKind::ALL));
            let parts: Vec<&str> = s.split(";\n").filter(|p| !p.trim().is_empty()).collect();
            let creates = s.matches(" AS\n").count();
            for p in &parts {
                let code: Vec<&str> = p
                    .lines()
                    .filter(|l| !l.trim_start().starts_with("--"))
                    .collect();
                let first = code
                    .iter()
                    .find(|l| !l.trim().is_empty())
                    .copied()
                    .unwrap_or("");
                assert!(
                    first.starts_with("CREATE OR REPLACE TEMP TABLE")
                        || first.starts_with("DROP TABLE IF EXISTS")
                        || first.starts_with("CREATE TABLE")
                        || first.starts_with("SELECT indicator"),
                    "{first}"
                );
            }
            // Every created table (Spark: dropped first) plus the final SELECT.
            let per_table = if d == Dialect::Spark { 2 } else { 1 };
            assert_eq!(parts.len(), per_table * creates + 1);
        }
    }

    #[test]
    fn dialects_differ_only_where_they_must() {
        let duck = script(&options(Dialect::DuckDb, &TableKind::ALL));
        let spark = script(&options(Dialect::Spark, &TableKind::ALL));
        assert!(duck.contains("CREATE OR REPLACE TEMP TABLE smi_units AS"));
        assert!(spark.contains("CREATE TABLE smi_units USING parquet AS"));
        assert!(!spark.contains("CREATE OR REPLACE TEMP TABLE"));
        assert!(duck.contains("quantile_cont(") && spark.contains("percentile("));
        assert!(duck.contains("date_diff('day'") && spark.contains("datediff("));
        assert!(spark.contains("`group`") && duck.contains("\"group\""));
        // The year is in the dates and the long table's year column.
        assert!(duck.contains("DATE '2024-12-31'") && duck.contains("2024 AS \"year\""));
    }
}
