//! The ready-for-discharge module's units and facts in SQL (crate::sql), mirroring `facts.rs`:
//! READY(Y), each stay's overdue and treatment days, readmission, letters, services and a new
//! long-term stay with what came before and after it. Fact and quantity numbers come from the
//! Rust enums.

use super::facts::{ReadyFact as F, ReadyQuantity as Q};
use crate::model::{ServiceCode, TableKind};
use crate::sql::Ctx;

/// `ready_som`: the SOM stays of every person; `ready_cohort(pid)`: READY(Y), persons with a
/// SOM stay with a ready date discharged in Y. Written once however many modules read it.
pub(crate) fn cohort(cx: &Ctx<'_>) -> String {
    cx.once("ready_cohort", || {
        let d = cx.dialect;
        let mut out = d.create(
            "ready_som",
            "SELECT * FROM forlop_stays WHERE sector = 'SOM'",
        );
        out += &d.create(
            "ready_cohort",
            &format!(
                "SELECT DISTINCT pid FROM ready_som\n\
                 WHERE ready_date IS NOT NULL AND discharge_date BETWEEN {} AND {}",
                cx.first(),
                cx.last()
            ),
        );
        out
    })
}

/// Statements creating `ready_units`, `ready_facts` and `ready_values`.
pub(crate) fn units_and_facts(cx: &Ctx<'_>) -> String {
    let d = cx.dialect;
    let (first, last) = (cx.first(), cx.last());
    let f = |x: F| x.id().0;
    let q = |x: Q| x.id().0;
    let mut out = String::new();
    let in_y = |c: &str| format!("{c} BETWEEN {first} AND {last}");

    out += &cohort(cx);
    out += &d.create(
        "ready_units",
        "SELECT pid AS unit_id, pid, CAST(1 AS BIGINT) AS groups FROM ready_cohort",
    );
    let rs = &cx.settings.ready.readmission;
    let window = i64::from(rs.window_days);
    let death_rule = if rs.exclude_death_within_window {
        format!(
            " AND NOT (p.death_date IS NOT NULL AND p.death_date <= {})",
            d.add_days("s.discharge_date", window)
        )
    } else {
        String::new()
    };
    let acute = if rs.acute_only {
        " AND r.urgency = 'ACUTE'"
    } else {
        ""
    };
    let overdue = format!(
        "CASE WHEN {o} > 0 THEN {o} ELSE 0 END",
        o = d.days("s.ready_date", "s.discharge_date")
    );
    let treatment = format!(
        "CASE WHEN {t} > 0 THEN {t} ELSE 0 END",
        t = d.days("s.admit_date", "s.ready_date")
    );
    out += &d.create(
        "ready_stays",
        &format!(
            "SELECT s.pid, {overdue} AS overdue, {treatment} AS treatment,\n\
                    CASE WHEN s.letter_date IS NOT NULL THEN 1 ELSE 0 END AS letter,\n\
                    CASE WHEN s.letter_date IS NOT NULL AND {ld} <= 1 THEN 1 ELSE 0 END AS letter_1d,\n\
                    CASE WHEN s.discharge_date <= {last_index}{death_rule} THEN 1 ELSE 0 END AS is_index,\n\
                    CASE WHEN EXISTS (SELECT 1 FROM ready_som r WHERE r.pid = s.pid{acute}\n\
                                        AND {gap} BETWEEN 1 AND {window})\n\
                         THEN 1 ELSE 0 END AS followed\n\
             FROM ready_som s JOIN persons p ON p.pid = s.pid\n\
             WHERE s.ready_date IS NOT NULL AND s.discharge_date BETWEEN {first} AND {last}",
            ld = d.days("s.discharge_date", "s.letter_date"),
            last_index = d.add_days(&last, -(window + 1)),
            gap = d.days("s.discharge_date", "r.admit_date"),
        ),
    );
    let mut facts = vec![
        format!("SELECT pid AS unit_id, {} AS fact, count(*) AS n FROM ready_stays GROUP BY pid", f(F::Stay)),
        format!("SELECT pid AS unit_id, {} AS fact, count(*) AS n FROM ready_stays WHERE overdue = 0 GROUP BY pid", f(F::StayWithoutOverdue)),
        format!("SELECT pid AS unit_id, {} AS fact, count(*) AS n FROM ready_stays WHERE letter = 1 GROUP BY pid", f(F::LetterStay)),
        format!("SELECT pid AS unit_id, {} AS fact, count(*) AS n FROM ready_stays WHERE letter_1d = 1 GROUP BY pid", f(F::LetterWithin1d)),
        // Once per person, as the engine counts them.
        format!("SELECT DISTINCT pid AS unit_id, {} AS fact, 1 AS n FROM ready_stays WHERE is_index = 1", f(F::ReadmissionIndex)),
        format!("SELECT DISTINCT pid AS unit_id, {} AS fact, 1 AS n FROM ready_stays WHERE is_index = 1 AND followed = 1", f(F::Readmission)),
    ];
    let mut values = vec![
        format!("SELECT pid AS unit_id, {} AS quantity, overdue AS v FROM ready_stays", q(Q::OverdueDays)),
        format!("SELECT pid AS unit_id, {} AS quantity, treatment AS v FROM ready_stays", q(Q::TreatmentDays)),
    ];

    if cx.has(TableKind::MunicipalServices) {
        out += &d.create(
            "ready_svc",
            "SELECT s.* FROM municipal_services s JOIN ready_units u ON u.unit_id = s.pid",
        );
        let by_code: Vec<String> = ServiceCode::ALL
            .iter()
            .map(|c| format!("WHEN '{}' THEN {}", c.code(), f(F::Service(*c))))
            .collect();
        let overlaps = format!("start_date <= {last} AND (end_date IS NULL OR end_date >= {first})");
        // Each code once per person; any decision-bound service once.
        facts.push(format!(
            "SELECT DISTINCT pid AS unit_id, CASE service {} END AS fact, 1 AS n\n\
             FROM ready_svc WHERE {overlaps}",
            by_code.join(" ")
        ));
        let bound: Vec<String> = ServiceCode::ALL
            .iter()
            .filter(|c| c.is_decision_bound())
            .map(|c| format!("'{}'", c.code()))
            .collect();
        facts.push(format!(
            "SELECT DISTINCT pid AS unit_id, {} AS fact, 1 AS n FROM ready_svc\n\
             WHERE {overlaps} AND service IN ({})",
            f(F::AnyMunicipalService),
            bound.join(", ")
        ));
        // A new long-term stay: the first LONG_TERM_STAY start in Y that no such period covers
        // the day before.
        out += &d.create(
            "ready_lts",
            &format!(
                "SELECT a.pid, min(a.start_date) AS lts_start\n\
                 FROM ready_svc a\n\
                 WHERE a.service = 'LONG_TERM_STAY' AND {}\n\
                   AND NOT EXISTS (SELECT 1 FROM ready_svc o\n\
                                   WHERE o.pid = a.pid AND o.service = 'LONG_TERM_STAY'\n\
                                     AND o.start_date <= {db}\n\
                                     AND (o.end_date IS NULL OR o.end_date >= {db}))\n\
                 GROUP BY a.pid",
                in_y("a.start_date"),
                db = d.add_days("a.start_date", -1)
            ),
        );
        facts.push(format!(
            "SELECT pid AS unit_id, {} AS fact, 1 AS n FROM ready_lts",
            f(F::NewLongTermStay)
        ));
        let bed = format!(
            "CASE WHEN {b} > 0 THEN {b} ELSE 0 END",
            b = d.days("s.admit_date", "s.discharge_date")
        );
        let od = format!(
            "CASE WHEN s.ready_date IS NULL THEN 0 WHEN {o} > 0 THEN {o} ELSE 0 END",
            o = d.days("s.ready_date", "s.discharge_date")
        );
        out += &d.create(
            "ready_lts_stays",
            &format!(
                "SELECT s.pid, CASE WHEN s.admit_date < l.lts_start THEN 1 ELSE 0 END AS is_before,\n\
                        {bed} AS bed_days, {od} AS overdue\n\
                 FROM ready_som s JOIN ready_lts l ON l.pid = s.pid\n\
                 WHERE {}",
                in_y("s.discharge_date")
            ),
        );
        for (before, fact, bed_q, od_q) in [
            (1, F::StayBeforeLongTerm, Q::BedDaysBeforeLongTerm, Q::OverdueBeforeLongTerm),
            (0, F::StayAfterLongTerm, Q::BedDaysAfterLongTerm, Q::OverdueAfterLongTerm),
        ] {
            facts.push(format!(
                "SELECT pid AS unit_id, {} AS fact, count(*) AS n FROM ready_lts_stays WHERE is_before = {before} GROUP BY pid",
                f(fact)
            ));
            values.push(format!(
                "SELECT pid AS unit_id, {} AS quantity, bed_days AS v FROM ready_lts_stays WHERE is_before = {before}",
                q(bed_q)
            ));
            values.push(format!(
                "SELECT pid AS unit_id, {} AS quantity, overdue AS v FROM ready_lts_stays WHERE is_before = {before}",
                q(od_q)
            ));
        }
        facts.push(format!(
            "SELECT s.pid AS unit_id, {} AS fact, count(*) AS n\n\
             FROM ready_svc s JOIN ready_lts l ON l.pid = s.pid\n\
             WHERE s.service IN ('SHORT_STAY_TREATMENT', 'SHORT_STAY_OTHER') AND s.start_date < l.lts_start\n\
             GROUP BY s.pid",
            f(F::ShortStayBeforeLongTerm)
        ));
    }
    out += &d.create("ready_facts", &facts.join("\nUNION ALL\n"));
    out += &d.create("ready_values", &values.join("\nUNION ALL\n"));
    out
}
