//! The directly standardised twins (`<id>_std`) in SQL, mirroring `crate::standardise` and the
//! twin's branch of `analysis::analyse`: generated for every twin of the registry from its
//! base rate's numerator and denominator, never written per indicator.
//!
//! - Strata are the population table's (age band, sex) keys of year Y and of the standard year
//!   (only the bands wholly 18+ for a rate over the population 18+), ordered as the engine sorts
//!   `(AgeSpec, Sex)`: exact ages, then bands, then open bands, then by their numbers, men before
//!   women. The key is one integer `s` in that order.
//! - A person is in the first key (smallest `s`) of its sex whose band holds its age at
//!   31 December of Y (Y − birth year, else the age column); without age or sex, or outside every
//!   band, it is left out.
//! - Per (group × area) cell, over the strata of the standard (Nₛ > 0): wₛ = Nₛ / (N nₛ) where
//!   the area has inhabitants, y = Σ wₛ xₛ, v = Σ wₛ² xₛ, w_max = max wₛ; persons in a stratum
//!   where the area has no inhabitants make the cell not estimable (`blocked`).
//! - Any population row of Y or of the standard year without age or sex makes every cell not
//!   estimable (the engine's `Unavailable::NoAgeOrSex`); no standard makes them so too.
//!
//! The value is 1 000 × y where the crude cell has a value; the script also returns y, v and
//! w_max (`std_y`, `std_v`, `std_w_max`), from which `forlop suppress` computes the Fay–Feuer
//! interval with the engine's own code (`ci::fay_feuer`).

use super::{measure_col, Ctx};
use crate::indicator::{IndicatorDef, Measure};
use crate::module::ModuleDecl;

/// The standard year: the settings' `comparison.standard_year`, else Y.
fn standard_year(cx: &Ctx<'_>) -> i32 {
    cx.settings.comparison.standard_year.unwrap_or(cx.year)
}

/// Whether a twin's strata are only the adult bands (a rate over the population 18+). When no
/// row of Y has an age the engine takes every band, but then every row of Y lacks an age (or
/// there is none) and no cell is estimable either way.
fn adults_only(def: &IndicatorDef) -> bool {
    def.denominator == Some(Measure::Population18Plus)
}

/// The population rows of Y and the standard year with their stratum key, and whether any of
/// them lacks age or sex; written once.
fn rows(cx: &Ctx<'_>) -> String {
    cx.once("forlop_std_rows", || {
        let d = cx.dialect;
        let (year, count) = (d.ident("year"), d.ident("count"));
        let (y, sy) = (cx.year, standard_year(cx));
        // kind 0 = `42`, 1 = `18-24`, 2 = `67+` (AgeSpec's variant order); a, b the numbers.
        let mut out = d.create(
            "forlop_std_parsed",
            &format!(
                "SELECT municipality AS mun, {year} AS yr, sex,\n\
                        CASE WHEN age LIKE '%+' THEN 2 WHEN age LIKE '%-%' THEN 1 ELSE 0 END AS kind,\n\
                        CAST(regexp_extract(age, '^([0-9]+)', 1) AS INTEGER) AS a,\n\
                        CASE WHEN age LIKE '%-%' AND age NOT LIKE '%+'\n\
                             THEN CAST(regexp_extract(age, '-([0-9]+)$', 1) AS INTEGER) ELSE 0 END AS b,\n\
                        CAST({count} AS BIGINT) AS n\n\
                 FROM population\n\
                 WHERE {year} IN ({y}, {sy}) AND age IS NOT NULL AND sex IS NOT NULL"
            ),
        );
        // s orders as (AgeSpec, Sex): kind, a, b, then M (0) before K (1).
        out += &d.create(
            "forlop_std_rows",
            "SELECT mun, yr, sex, kind, a, b, n,\n\
                    CAST(((kind * 256 + a) * 256 + b) * 2 + CASE WHEN sex = 'M' THEN 0 ELSE 1 END\n\
                         AS BIGINT) AS s\n\
             FROM forlop_std_parsed",
        );
        out += &d.create(
            "forlop_std_unusable",
            &format!(
                "SELECT count(*) AS bad FROM population\n\
                 WHERE {year} IN ({y}, {sy}) AND (age IS NULL OR sex IS NULL)"
            ),
        );
        out
    })
}

/// The strata of one basis (`adults` or `all`): keys, each area's population per stratum in Y,
/// the standard per stratum and its total, each person's stratum; written once per basis.
fn strata(cx: &Ctx<'_>, adults: bool) -> String {
    let name = if adults {
        "forlop_std_adults"
    } else {
        "forlop_std_all"
    };
    let mut out = rows(cx);
    out += &cx.once(name, || {
        let d = cx.dialect;
        let (y, sy) = (cx.year, standard_year(cx));
        // AgeSpec::is_adult: the band starts at 18 or later.
        let only = if adults { " AND a >= 18" } else { "" };
        let mut out = d.create(
            &format!("{name}_keys"),
            &format!("SELECT DISTINCT s, kind, a, b, sex FROM forlop_std_rows WHERE 1 = 1{only}"),
        );
        // Municipalities outside the chains count in the country only, as the crude population.
        out += &d.create(
            &format!("{name}_pop"),
            &format!(
                "SELECT x.level, x.area, r.s, sum(r.n) AS n\n\
                 FROM forlop_std_rows r\n\
                 JOIN (SELECT DISTINCT mun, 'country' AS level, 'NO' AS area FROM forlop_std_rows\n\
                       UNION ALL SELECT mun, level, area FROM forlop_chain) x ON x.mun = r.mun\n\
                 WHERE r.yr = {y}{only}\n\
                 GROUP BY x.level, x.area, r.s"
            ),
        );
        // A stratum missing from the standard (Nₛ = 0) weighs 0: only Nₛ > 0 is kept.
        out += &d.create(
            &format!("{name}_standard"),
            &format!(
                "SELECT s, sum(n) AS n FROM forlop_std_rows WHERE yr = {sy}{only}\n\
                 GROUP BY s HAVING sum(n) > 0"
            ),
        );
        out += &d.create(
            &format!("{name}_total"),
            &format!("SELECT sum(n) AS total FROM {name}_standard"),
        );
        // The first key of the person's sex whose band holds its age (Strata::stratum_of).
        out += &d.create(
            &format!("{name}_person"),
            &format!(
                "SELECT p.pid, min(k.s) AS s\n\
                 FROM (SELECT pid, sex, coalesce({y} - birth_year, age) AS age FROM persons) p\n\
                 JOIN {name}_keys k ON k.sex = p.sex\n\
                  AND CASE WHEN k.kind = 0 THEN p.age = k.a\n\
                           WHEN k.kind = 1 THEN p.age BETWEEN k.a AND k.b\n\
                           ELSE p.age >= k.a END\n\
                 GROUP BY p.pid"
            ),
        );
        out
    });
    out
}

/// The table name of a twin's steps: its id with `.` as `_`.
fn table(def: &IndicatorDef) -> String {
    def.id.replace('.', "_")
}

/// Statements creating `<twin>_rate(g, level, area, y, v, w_max, blocked)` for the standardised
/// twin `def` of module `decl`, after the module's cells (`<id>_wide`, `_unit_group`,
/// `_unit_area`, `_groups`).
pub(crate) fn rate(cx: &Ctx<'_>, decl: &ModuleDecl, def: &IndicatorDef) -> String {
    let d = cx.dialect;
    let id = decl.id;
    let adults = adults_only(def);
    let basis = if adults {
        "forlop_std_adults"
    } else {
        "forlop_std_all"
    };
    let n_groups = decl.groups.len();
    let t = table(def);
    let mut out = strata(cx, adults);
    // The units the numerator counts (Strata::counts): every unit, or those with the fact.
    let counted = match def.numerator {
        Measure::UnitsWith(f) => format!(" AND w.f{} > 0", f.0),
        _ => String::new(),
    };
    out += &d.create(
        &format!("{t}_x"),
        &format!(
            "SELECT ug.g, ua.level, ua.area, ps.s, count(*) AS x\n\
             FROM {id}_wide w\n\
             JOIN {id}_units u ON u.unit_id = w.unit_id\n\
             JOIN {basis}_person ps ON ps.pid = u.pid\n\
             JOIN {id}_unit_group ug ON ug.unit_id = w.unit_id\n\
             JOIN {id}_unit_area ua ON ua.unit_id = w.unit_id\n\
             WHERE ug.g < {n_groups}{counted}\n\
             GROUP BY ug.g, ua.level, ua.area, ps.s"
        ),
    );
    // standardise::rate per cell, over the strata of the standard.
    out += &d.create(
        &format!("{t}_rate"),
        &format!(
            "SELECT g, level, area, sum(w * x) AS y, sum(w * w * x) AS v, max(w) AS w_max,\n\
                    max(blocked) AS blocked\n\
             FROM (SELECT g.g, a.level, a.area,\n\
                          CASE WHEN p.n > 0 THEN CAST(st.n AS DOUBLE)\n\
                               / (CAST(t.total AS DOUBLE) * CAST(p.n AS DOUBLE)) END AS w,\n\
                          CAST(coalesce(x.x, 0) AS DOUBLE) AS x,\n\
                          CASE WHEN coalesce(p.n, 0) = 0 AND coalesce(x.x, 0) > 0 THEN 1 ELSE 0 END\n\
                              AS blocked\n\
                   FROM {id}_groups g\n\
                   CROSS JOIN forlop_area_list a\n\
                   CROSS JOIN {basis}_standard st\n\
                   CROSS JOIN {basis}_total t\n\
                   LEFT JOIN {basis}_pop p ON p.level = a.level AND p.area = a.area AND p.s = st.s\n\
                   LEFT JOIN {t}_x x ON x.g = g.g AND x.level = a.level AND x.area = a.area\n\
                                    AND x.s = st.s\n\
                   WHERE g.g < {n_groups}) z\n\
             GROUP BY g, level, area"
        ),
    );
    out
}

/// The twin's rows of the long table: the crude numerator and denominator, the standardised
/// value where the crude cell has one and the rate is estimable, and y, v, w_max for the
/// interval.
pub(crate) fn select(cx: &Ctx<'_>, def: &IndicatorDef) -> String {
    let d = cx.dialect;
    let g = d.ident("group");
    let t = table(def);
    let num = measure_col(def.numerator, "c");
    let den = def.denominator.map_or_else(
        || "CAST(NULL AS BIGINT)".to_string(),
        |m| measure_col(m, "c"),
    );
    let ok = format!(
        "{den} > 0 AND b.bad = 0 AND r.blocked = 0 AND r.w_max > 0 AND r.y >= 0 AND r.v >= 0"
    );
    format!(
        "SELECT '{id}' AS indicator, gr.gid AS {g}, gr.level, gr.area, \
         CAST({num} AS BIGINT) AS numerator, CAST({den} AS BIGINT) AS denominator, \
         CASE WHEN {ok} THEN CAST(1000 AS DOUBLE) * r.y END AS value, \
         CAST(NULL AS BIGINT) AS median_n, \
         CASE WHEN {ok} THEN r.y END AS std_y, CASE WHEN {ok} THEN r.v END AS std_v, \
         CASE WHEN {ok} THEN r.w_max END AS std_w_max \
         FROM {m}_grid gr \
         LEFT JOIN {t}_rate r ON r.g = gr.g AND r.level = gr.level AND r.area = gr.area \
         CROSS JOIN forlop_std_unusable b",
        id = def.id,
        m = def.module
    )
}
