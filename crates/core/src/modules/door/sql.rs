//! The revolving-door module's units and facts in SQL (crate::sql), mirroring `run` in
//! `mod.rs`: every person with an acute PAM admission in Y is a unit, in group `door` with at
//! least N of them; per admission its time of day, office hours and cost.

use super::{DoorFact as F, COST};
use crate::sql::Ctx;

/// Statements creating `door_units`, `door_facts` and `door_values`.
pub(crate) fn units_and_facts(cx: &Ctx<'_>) -> String {
    let d = cx.dialect;
    let s = &cx.settings.door;
    let (first, last) = (cx.first(), cx.last());
    let (pfirst, plast) = (
        format!("DATE '{:04}-01-01'", cx.year - 1),
        format!("DATE '{:04}-12-31'", cx.year - 1),
    );
    let f = |x: F| x.id().0;
    let units: Vec<String> = s
        .pam_units
        .iter()
        .map(|u| format!("'{}'", u.trim().to_ascii_uppercase().replace('\'', "''")))
        .collect();
    let units = if units.is_empty() {
        "NULL".to_string()
    } else {
        units.join(", ")
    };
    let mut out = d.create(
        "door_pam",
        &format!(
            "SELECT pid, admit_date, admit_time, discharge_date,\n\
                    CASE WHEN admit_date BETWEEN {first} AND {last} THEN 1 ELSE 0 END AS in_y,\n\
                    CASE WHEN admit_date BETWEEN {pfirst} AND {plast} THEN 1 ELSE 0 END AS in_prev\n\
             FROM forlop_stays\n\
             WHERE sector = 'PHV' AND urgency = 'ACUTE' AND upper(trim(unit)) IN ({units})"
        ),
    );
    out += &d.create(
        "door_persons",
        "SELECT pid, sum(in_y) AS n_y, sum(in_prev) AS n_prev FROM door_pam\n\
         GROUP BY pid HAVING sum(in_y) > 0",
    );
    let threshold = s.threshold;
    out += &d.create(
        "door_units",
        &format!(
            "SELECT pid AS unit_id, pid,\n\
                    CAST(CASE WHEN n_y >= {threshold} THEN 1 ELSE 0 END AS BIGINT) AS groups\n\
             FROM door_persons"
        ),
    );
    let oh = &s.office_hours;
    let hms = |t: chrono::NaiveTime| t.format("%H:%M:%S").to_string();
    let mut outside = format!(
        "admit_time < '{}' OR admit_time >= '{}'",
        hms(oh.start),
        hms(oh.end)
    );
    if oh.weekends_outside {
        outside = format!("{} OR {outside}", d.is_weekend("admit_date"));
    }
    let facts = [
        format!(
            "SELECT pid AS unit_id, {} AS fact, count(*) AS n FROM door_pam WHERE in_y = 1 GROUP BY pid",
            f(F::Admission)
        ),
        format!(
            "SELECT pid AS unit_id, {} AS fact, count(*) AS n FROM door_pam\n\
             WHERE in_y = 1 AND admit_time IS NOT NULL GROUP BY pid",
            f(F::Timed)
        ),
        format!(
            "SELECT pid AS unit_id, {} AS fact, count(*) AS n FROM door_pam\n\
             WHERE in_y = 1 AND admit_time IS NOT NULL AND ({outside}) GROUP BY pid",
            f(F::OutsideOfficeHours)
        ),
        format!(
            "SELECT pid AS unit_id, {} AS fact, 1 AS n FROM door_persons WHERE n_y > 5",
            f(F::OverFive)
        ),
        format!(
            "SELECT pid AS unit_id, {} AS fact, 1 AS n FROM door_persons WHERE n_y > 10",
            f(F::OverTen)
        ),
        format!(
            "SELECT pid AS unit_id, {} AS fact, 1 AS n FROM door_persons WHERE n_prev >= {threshold}",
            f(F::BothYears)
        ),
    ];
    out += &d.create("door_facts", &facts.join("\nUNION ALL\n"));
    // The cost of each admission (cost::CostModel::admission_cost): a fixed sum, or with the
    // real length of stay (to 31 December of Y for a stay still open, at least one day).
    let c = &s.cost;
    let cost = if c.real_stay_length {
        let len = d.days("admit_date", &format!("coalesce(discharge_date, {last})"));
        format!(
            "CAST(round(CAST({:?} AS DOUBLE) * CASE WHEN {len} > 1 THEN {len} ELSE 1 END + CAST({:?} AS DOUBLE)) AS BIGINT)",
            c.pam_day_price,
            c.other_services()
        )
    } else {
        c.admission_cost(1).to_string()
    };
    out += &d.create(
        "door_values",
        &format!(
            "SELECT pid AS unit_id, {} AS quantity, {cost} AS v FROM door_pam WHERE in_y = 1",
            COST.0
        ),
    );
    out
}

/// Statements creating `door_summary(item, n)`, the module's summary (`run`'s bins): every acute
/// PAM admission of Y by the hour of its admission (those with a time) and by weekday, every
/// bin, zeros included.
pub(crate) fn summary(cx: &Ctx<'_>) -> String {
    use crate::module::{DistributionAxis, SummaryKind};
    let d = cx.dialect;
    let decl = crate::modules::find("door");
    let item = |axis, bin: u8| {
        decl.map_or_else(String::new, |decl| {
            crate::sql::summary_item(decl, SummaryKind::Distribution { axis, bin })
        })
    };
    let bins = |axis, n: u8, of: String| {
        let list: Vec<String> = (0..n)
            .map(|b| format!("SELECT {b} AS bin, '{}' AS item", item(axis, b)))
            .collect();
        format!(
            "SELECT b.item, coalesce(c.n, 0) AS n\n\
             FROM ({}) b\n\
             LEFT JOIN (SELECT {of} AS bin, count(*) AS n FROM door_pam\n\
                        WHERE in_y = 1{} GROUP BY {of}) c ON c.bin = b.bin",
            list.join(" UNION ALL "),
            if matches!(axis, DistributionAxis::HourOfDay) {
                " AND admit_time IS NOT NULL"
            } else {
                ""
            }
        )
    };
    d.create(
        "door_summary",
        &format!(
        "{}\nUNION ALL\n{}",
        bins(
            DistributionAxis::HourOfDay,
            24,
            "CAST(substr(admit_time, 1, 2) AS INTEGER)".to_string()
        ),
        bins(
            DistributionAxis::Weekday,
            7,
            d.weekday_from_monday("admit_date")
        )
    ),
    )
}
