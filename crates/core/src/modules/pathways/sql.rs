//! The pathway module's units and facts in SQL (crate::sql), mirroring `facts.rs`: every
//! followed discharge is a unit (a merged PHV stay of a person in SMI(Y) under the person's SMI
//! groups, a merged SOM stay with a ready date of a person in READY(Y) under `ready`), and per
//! window whether it is complete within the data and what followed inside it.

use super::facts::{Follow, PathFact, WINDOWS};
use crate::model::{ServiceCode, TableKind};
use crate::modules::smi::groups::SmiGroup;
use crate::sql::Ctx;

/// `path_cohort_bits`: the pathway/flow groups of a person on a sector's rows (cohorts.rs):
/// PHV → the person's SMI base groups, SOM → `ready`. Written once.
pub(crate) fn cohort_bits(cx: &Ctx<'_>) -> String {
    let mut out = crate::modules::smi::sql::cohort(cx);
    out += &crate::modules::ready::sql::cohort(cx);
    out += &cx.once("path_cohort_bits", || {
        let bits: Vec<String> = SmiGroup::ALL
            .iter()
            .enumerate()
            .map(|(i, g)| {
                format!(
                    "CASE WHEN {} = 1 THEN {} ELSE 0 END",
                    crate::modules::smi::sql::col(*g),
                    1u64 << i
                )
            })
            .collect();
        cx.dialect.create(
            "path_cohort_bits",
            &format!(
                "SELECT pid, 'PHV' AS sector, CAST({} AS BIGINT) AS groups FROM smi_cohort\n\
                 UNION ALL SELECT pid, 'SOM', CAST({} AS BIGINT) FROM ready_cohort",
                bits.join(" + "),
                1u64 << SmiGroup::ALL.len()
            ),
        )
    });
    out
}

/// Statements creating `path_units`, `path_facts` and `path_values`.
pub(crate) fn units_and_facts(cx: &Ctx<'_>) -> String {
    let d = cx.dialect;
    let (first, last) = (cx.first(), cx.last());
    let mut out = cohort_bits(cx);
    // Discharges in Y, not to DEAD, of a person alive on the discharge date; a SOM stay only
    // with its own ready date.
    out += &d.create(
        "path_units",
        &format!(
            "SELECT s.pid || '|' || s.sector || '|' || CAST(s.stay_no AS STRING) AS unit_id,\n\
                    s.pid, s.sector, s.discharge_date AS disch, c.groups\n\
             FROM forlop_stays s\n\
             JOIN path_cohort_bits c ON c.pid = s.pid AND c.sector = s.sector\n\
             JOIN persons p ON p.pid = s.pid\n\
             WHERE s.discharge_date BETWEEN {first} AND {last}\n\
               AND (s.discharged_to IS NULL OR s.discharged_to <> 'DEAD')\n\
               AND (p.death_date IS NULL OR p.death_date > s.discharge_date)\n\
               AND (s.sector <> 'SOM' OR s.ready_date IS NOT NULL)"
        ),
    );
    // The data's end date: the setting, else 31 December of the latest admit year.
    let data_end = match cx.settings.pathways.data_end {
        Some(end) => format!("DATE '{}'", end.format("%Y-%m-%d")),
        None => "(SELECT make_date(max(year(admit_date)), 12, 31) FROM episodes)".to_string(),
    };
    // One row per discharge and window, with each fact's number.
    let windows: Vec<String> = WINDOWS
        .iter()
        .map(|&w| {
            let mut cols = vec![
                format!("{w} AS w"),
                format!("{} AS f_complete", PathFact::Complete(w).id().0),
                format!("{} AS f_censored", PathFact::Censored(w).id().0),
            ];
            for f in Follow::ALL {
                cols.push(format!("{} AS f_{}", PathFact::Followed(w, f).id().0, f.id()));
            }
            format!("SELECT {}", cols.join(", "))
        })
        .collect();
    out += &d.create("path_windows", &windows.join("\nUNION ALL "));
    out += &d.create(
        "path_dw",
        &format!(
            "SELECT u.unit_id, u.pid, u.sector, w.*,\n\
                    {} AS w_first, {} AS w_last,\n\
                    CASE WHEN e.data_end IS NULL OR {} > e.data_end THEN 0 ELSE 1 END AS complete\n\
             FROM path_units u CROSS JOIN path_windows w\n\
             CROSS JOIN (SELECT {data_end} AS data_end) e",
            d.add_days("u.disch", 1),
            // w varies per row: a date plus a column of days.
            add_col_days(cx, "u.disch", "w.w"),
            add_col_days(cx, "u.disch", "w.w"),
        ),
    );
    let mut facts = vec![
        "SELECT unit_id, f_complete AS fact, 1 AS n FROM path_dw WHERE complete = 1".to_string(),
        "SELECT unit_id, f_censored AS fact, 1 AS n FROM path_dw WHERE complete = 0".to_string(),
    ];
    let inside = |c: &str| format!("{c} BETWEEN x.w_first AND x.w_last");
    let overlaps = "s.start_date <= x.w_last AND (s.end_date IS NULL OR s.end_date >= x.w_first)";
    let bound: Vec<String> = ServiceCode::ALL
        .iter()
        .filter(|c| c.is_decision_bound())
        .map(|c| format!("'{}'", c.code()))
        .collect();
    let date = d.ident("date");
    for f in Follow::ALL {
        let cond = match f {
            Follow::Outpatient => format!(
                "EXISTS (SELECT 1 FROM episodes e WHERE e.pid = x.pid AND e.care_level = 'POL'\n\
                         AND e.sector = x.sector AND {})",
                inside("e.admit_date")
            ),
            Follow::Gp | Follow::Oohs => {
                if !cx.has(TableKind::PrimaryCare) {
                    continue;
                }
                format!(
                    "EXISTS (SELECT 1 FROM primary_care c WHERE c.pid = x.pid AND c.provider = '{}'\n\
                             AND {})",
                    if f == Follow::Gp { "GP" } else { "OUT_OF_HOURS" },
                    inside(&format!("c.{date}"))
                )
            }
            Follow::HomeHealth | Follow::AnyMunicipal => {
                if !cx.has(TableKind::MunicipalServices) {
                    continue;
                }
                let which = if f == Follow::HomeHealth {
                    "'HOME_HEALTH'".to_string()
                } else {
                    bound.join(", ")
                };
                format!(
                    "EXISTS (SELECT 1 FROM municipal_services s WHERE s.pid = x.pid\n\
                             AND s.service IN ({which}) AND {overlaps})"
                )
            }
            Follow::Readmitted => format!(
                "EXISTS (SELECT 1 FROM forlop_stays r WHERE r.pid = x.pid AND r.sector = x.sector\n\
                         AND r.urgency = 'ACUTE' AND {})",
                inside("r.admit_date")
            ),
        };
        facts.push(format!(
            "SELECT x.unit_id, x.f_{} AS fact, 1 AS n FROM path_dw x WHERE x.complete = 1 AND {cond}",
            f.id()
        ));
    }
    out += &d.create("path_facts", &facts.join("\nUNION ALL\n"));
    out += &d.create(
        "path_values",
        "SELECT unit_id, 0 AS quantity, CAST(0 AS BIGINT) AS v FROM path_units WHERE 1 = 0",
    );
    out
}

/// The date `d` plus the days of integer column `n`.
fn add_col_days(cx: &Ctx<'_>, d: &str, n: &str) -> String {
    match cx.dialect {
        crate::sql::Dialect::DuckDb => format!("CAST({d} + {n} AS DATE)"),
        crate::sql::Dialect::Spark => format!("date_add({d}, {n})"),
    }
}
