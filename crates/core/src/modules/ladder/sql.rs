//! The care ladder's units and facts in SQL (crate::sql), mirroring `run` in `ladder.rs`. The
//! engine walks every day of Y; the SQL looks only at the days where a level can change (the
//! first day of Y, each period's first day and the day after its last), which gives the same
//! transitions: between two such days the level is constant.

use super::{level, transition, LEVELS};
use crate::model::ServiceCode;
use crate::sql::Ctx;

/// Statements creating `ladder_units`, `ladder_facts` and `ladder_values`.
pub(crate) fn units_and_facts(cx: &Ctx<'_>) -> String {
    let d = cx.dialect;
    let (first, last) = (cx.first(), cx.last());
    let whens: Vec<String> = ServiceCode::ALL
        .iter()
        .filter_map(|c| level(*c).map(|l| format!("WHEN '{}' THEN {l}", c.code())))
        .collect();
    // Ladder periods overlapping Y, clipped to Y.
    let mut out = d.create(
        "ladder_periods",
        &format!(
            "SELECT pid, CASE service {} END AS lvl,\n\
                    CASE WHEN start_date > {first} THEN start_date ELSE {first} END AS p_from,\n\
                    CASE WHEN end_date IS NULL OR end_date > {last} THEN {last} ELSE end_date END AS p_to\n\
             FROM municipal_services\n\
             WHERE service IN ({}) AND start_date <= {last} AND (end_date IS NULL OR end_date >= {first})",
            whens.join(" "),
            ServiceCode::ALL
                .iter()
                .filter(|c| level(**c).is_some())
                .map(|c| format!("'{}'", c.code()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    out += &d.create(
        "ladder_units",
        "SELECT DISTINCT pid AS unit_id, pid, CAST(1 AS BIGINT) AS groups FROM ladder_periods",
    );
    out += &d.create(
        "ladder_days",
        &format!(
            "SELECT DISTINCT pid, at_day FROM (\n\
                 SELECT pid, {first} AS at_day FROM ladder_periods\n\
                 UNION ALL SELECT pid, p_from FROM ladder_periods\n\
                 UNION ALL SELECT pid, {} FROM ladder_periods WHERE p_to < {last}\n\
             ) x",
            d.add_days("p_to", 1)
        ),
    );
    out += &d.create(
        "ladder_levels",
        "SELECT x.pid, x.at_day, coalesce(max(p.lvl), 0) AS lvl\n\
         FROM ladder_days x LEFT JOIN ladder_periods p\n\
           ON p.pid = x.pid AND p.p_from <= x.at_day AND p.p_to >= x.at_day\n\
         GROUP BY x.pid, x.at_day",
    );
    let mut cases = Vec::new();
    for a in 0..LEVELS.len() {
        for b in 0..LEVELS.len() {
            if a != b {
                cases.push(format!("WHEN prev = {a} AND lvl = {b} THEN {}", transition(a, b).0));
            }
        }
    }
    out += &d.create(
        "ladder_facts",
        &format!(
            "SELECT pid AS unit_id, CASE {} END AS fact, count(*) AS n\n\
             FROM (SELECT pid, lvl, lag(lvl) OVER (PARTITION BY pid ORDER BY at_day) AS prev\n\
                   FROM ladder_levels) t\n\
             WHERE prev IS NOT NULL AND prev <> lvl\n\
             GROUP BY pid, 2",
            cases.join(" ")
        ),
    );
    out += &d.create(
        "ladder_values",
        "SELECT unit_id, 0 AS quantity, CAST(0 AS BIGINT) AS v FROM ladder_units WHERE 1 = 0",
    );
    out
}
