//! The flow module's units and facts in SQL (crate::sql), mirroring `run` in `flow.rs`: a unit
//! per (person, sector) of the two cohorts, and per merged stay admitted or discharged in Y and
//! per day or outpatient row admitted in Y, the fact of its referrer and care level or of its
//! destination.
//!
//! Every flow indicator counts facts (`Count`), none counts units, so the units here are every
//! (person, sector) of the cohorts; the engine makes a unit only when one of them has a stay or
//! row, which changes no published number.

use super::{admission_fact, discharge_fact, DESTINATIONS, REFERRERS};
use crate::sql::canonical::{discharged_to, referred_by};
use crate::sql::Ctx;

/// Statements creating `flow_units`, `flow_facts` and `flow_values`.
pub(crate) fn units_and_facts(cx: &Ctx<'_>) -> String {
    let d = cx.dialect;
    let (first, last) = (cx.first(), cx.last());
    let mut out = crate::modules::pathways::sql::cohort_bits(cx);
    out += &d.create(
        "flow_units",
        "SELECT pid || '|' || sector AS unit_id, pid, sector, groups FROM path_cohort_bits",
    );
    // The referrer's index: a CASE over the codes, the last (not given) for anything else.
    let referrer = |col: &str, level: usize| {
        let whens: Vec<String> = REFERRERS
            .iter()
            .enumerate()
            .filter_map(|(r, (code, ..))| {
                code.map(|c| {
                    format!(
                        "WHEN '{}' THEN {}",
                        referred_by(c),
                        admission_fact(r, level).0
                    )
                })
            })
            .collect();
        format!(
            "CASE {col} {} ELSE {} END",
            whens.join(" "),
            admission_fact(REFERRERS.len() - 1, level).0
        )
    };
    let dest_whens: Vec<String> = DESTINATIONS
        .iter()
        .enumerate()
        .filter_map(|(i, (code, ..))| {
            code.map(|c| format!("WHEN '{}' THEN {}", discharged_to(c), discharge_fact(i).0))
        })
        .collect();
    let destination = format!(
        "CASE s.discharged_to {} ELSE {} END",
        dest_whens.join(" "),
        discharge_fact(DESTINATIONS.len() - 1).0
    );
    let facts = [
        format!(
            "SELECT u.unit_id, {} AS fact, count(*) AS n\n\
             FROM forlop_stays s JOIN flow_units u ON u.pid = s.pid AND u.sector = s.sector\n\
             WHERE s.admit_date BETWEEN {first} AND {last} GROUP BY u.unit_id, 2",
            referrer("s.referred_by", 0)
        ),
        format!(
            "SELECT u.unit_id, {destination} AS fact, count(*) AS n\n\
             FROM forlop_stays s JOIN flow_units u ON u.pid = s.pid AND u.sector = s.sector\n\
             WHERE s.discharge_date BETWEEN {first} AND {last} GROUP BY u.unit_id, 2"
        ),
        format!(
            "SELECT u.unit_id, CASE WHEN e.care_level = 'DAG' THEN {} ELSE {} END AS fact, count(*) AS n\n\
             FROM episodes e JOIN flow_units u ON u.pid = e.pid AND u.sector = e.sector\n\
             WHERE e.care_level IN ('DAG', 'POL') AND e.admit_date BETWEEN {first} AND {last}\n\
             GROUP BY u.unit_id, 2",
            referrer("e.referred_by", 1),
            referrer("e.referred_by", 2)
        ),
    ];
    out += &d.create("flow_facts", &facts.join("\nUNION ALL\n"));
    out += &d.create(
        "flow_values",
        "SELECT unit_id, 0 AS quantity, CAST(0 AS BIGINT) AS v FROM flow_units WHERE 1 = 0",
    );
    out
}
