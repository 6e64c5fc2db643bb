//! The SMI module's units and facts in SQL (crate::sql), mirroring `cohort.rs` and `facts.rs`
//! line for line: SMI(Y) with its group bits, and the events and quantities of `events.rs` per
//! person. Fact and quantity numbers come from the Rust enums, never written by hand.

use super::events::{Event, SmiQuantity};
use super::groups::{SmiGroup, SubstanceSplit};
use super::SPLITS;
use crate::model::{ServiceCode, TableKind};
use crate::sql::Ctx;

/// The text of a row's diagnoses, normalised for matching: upper case, no dots, every code
/// after a space (`' F200 F101 '`).
const DX: &str = "(' ' || replace(replace(replace(replace(upper(coalesce(main_diagnosis, '') || ' ' \
                  || coalesce(other_diagnoses, '')), '.', ''), ',', ' '), ';', ' '), '|', ' ') || ' ')";

/// The regular expression of a group's codes at the start of a code (group_of_code).
fn group_re(g: SmiGroup) -> &'static str {
    match g {
        SmiGroup::All => " F(2[05]|3[0-3]|6[0-9])",
        SmiGroup::Schizophrenia => " F2[05]",
        SmiGroup::Bipolar => " F3[01]",
        SmiGroup::Depression => " F3[23]",
        SmiGroup::Personality => " F6[0-9]",
    }
}

/// The column of `smi_cohort` that says whether a person is in group `g` (0/1).
pub(crate) fn col(g: SmiGroup) -> String {
    format!("g_{}", g.id())
}

/// `smi_cohort(pid, all, schizophrenia, bipolar, depression, personality, substance)`: SMI(Y)
/// with its groups as 0/1 (cohort.rs), written once however many modules read it.
pub(crate) fn cohort(cx: &Ctx<'_>) -> String {
    cx.once("smi_cohort", || {
        let d = cx.dialect;
        let (first, last, y) = (cx.first(), cx.last(), cx.year);
        // Rows overlapping Y (stays::episode_in_year): a DOGN row on its own dates, a POL/DAG
        // row by its admit_date; PHV and TSB only.
        let mut flags =
            vec!["max(CASE WHEN sector = 'PHV' THEN 1 ELSE 0 END) AS has_phv".to_string()];
        for g in SmiGroup::ALL {
            flags.push(format!(
                "max(CASE WHEN sector = 'PHV' AND {} THEN 1 ELSE 0 END) AS {}",
                d.matches(DX, group_re(g)),
                col(g)
            ));
        }
        flags.push(format!(
            "max(CASE WHEN {} THEN 1 ELSE 0 END) AS substance",
            d.matches(DX, " F1[0-9]")
        ));
        let mut out = d.create(
            "smi_dx",
            &format!(
                "SELECT pid, {}\n\
                 FROM episodes\n\
                 WHERE sector IN ('PHV', 'TSB')\n\
                   AND ((care_level = 'DOGN' AND admit_date <= {last}\n\
                         AND (discharge_date IS NULL OR discharge_date >= {first}))\n\
                     OR (care_level IN ('DAG', 'POL') AND admit_date >= {first}\n\
                         AND admit_date <= {last}))\n\
                 GROUP BY pid",
                flags.join(",\n       ")
            ),
        );
        // SMI(Y): a group code on a PHV row in Y, aged ≥ 18 in Y (birth year, else the age
        // column).
        out += &d.create(
            "smi_cohort",
            &format!(
                "SELECT x.* FROM persons p JOIN smi_dx x ON x.pid = p.pid\n\
                 WHERE x.has_phv = 1 AND x.{all} = 1\n\
                   AND coalesce({y} - p.birth_year, p.age) >= 18",
                all = col(SmiGroup::All)
            ),
        );
        out
    })
}

/// Statements creating `smi_units`, `smi_facts` and `smi_values`.
pub(crate) fn units_and_facts(cx: &Ctx<'_>) -> String {
    let d = cx.dialect;
    let (first, last) = (cx.first(), cx.last());
    let mut out = cohort(cx);
    let mut bits = Vec::new();
    for (b, g) in SmiGroup::ALL.iter().enumerate() {
        for (s, split) in SPLITS.iter().enumerate() {
            let cond = match split {
                SubstanceSplit::Any => format!("x.{} = 1", col(*g)),
                SubstanceSplit::With => format!("x.{} = 1 AND x.substance = 1", col(*g)),
                SubstanceSplit::Without => format!("x.{} = 1 AND x.substance = 0", col(*g)),
            };
            bits.push(format!(
                "CASE WHEN {cond} THEN {} ELSE 0 END",
                1u64 << (b * SPLITS.len() + s)
            ));
        }
    }
    out += &d.create(
        "smi_units",
        &format!(
            "SELECT x.pid AS unit_id, x.pid, CAST({} AS BIGINT) AS groups FROM smi_cohort x",
            bits.join("\n       + ")
        ),
    );

    let f = |e: Event| e.fact().0;
    let mut facts: Vec<String> = Vec::new();
    let mut values: Vec<String> = Vec::new();

    // Episodes, row by row (care level 8 counts nowhere).
    let admit_in_y = format!("(admit_date BETWEEN {first} AND {last})");
    let in_y = format!(
        "(CASE WHEN care_level = 'DOGN' THEN admit_date <= {last} \
         AND (discharge_date IS NULL OR discharge_date >= {first}) ELSE {admit_in_y} END)"
    );
    let ep_events = [
        (
            Event::PhvOutpatient,
            format!("sector = 'PHV' AND care_level = 'POL' AND {admit_in_y}"),
        ),
        (
            Event::Ambulant,
            format!("sector = 'PHV' AND ambulant AND {admit_in_y}"),
        ),
        (Event::Tsb, format!("sector = 'TSB' AND {in_y}")),
        (Event::Somatic, format!("sector = 'SOM' AND {in_y}")),
        (Event::PrivatePsych, format!("sector = 'AVT_PHV' AND {in_y}")),
        (Event::PrivateSomatic, format!("sector = 'AVT_SOM' AND {in_y}")),
        (
            Event::PrivateContact,
            format!("sector IN ('AVT_PHV', 'AVT_SOM') AND {admit_in_y}"),
        ),
    ];
    out += &d.create(
        "smi_ep",
        "SELECT e.* FROM episodes e JOIN smi_units u ON u.unit_id = e.pid\n\
         WHERE e.care_level IN ('DOGN', 'DAG', 'POL')",
    );
    for (e, cond) in &ep_events {
        facts.push(format!(
            "SELECT pid AS unit_id, {} AS fact, count(*) AS n FROM smi_ep WHERE {cond} GROUP BY pid",
            f(*e)
        ));
    }

    // Merged PHV stays.
    let rs = &cx.settings.smi.readmission;
    let window = i64::from(rs.window_days);
    let last_index = d.add_days(&last, -(window + 1));
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
    let gap = d.days("s.discharge_date", "r.admit_date");
    let letter_days = d.days("discharge_date", "letter_date");
    out += &d.create(
        "smi_stays",
        &format!(
            "SELECT s.*,\n\
                    CASE WHEN s.admit_date <= {last} AND (s.discharge_date IS NULL OR s.discharge_date >= {first})\n\
                         THEN 1 ELSE 0 END AS stay_in_y,\n\
                    CASE WHEN s.discharge_date >= {first} AND s.discharge_date <= {last_index}\n\
                              AND p.municipality IS NOT NULL{death_rule} THEN 1 ELSE 0 END AS is_index,\n\
                    CASE WHEN EXISTS (SELECT 1 FROM forlop_stays r\n\
                                      WHERE r.pid = s.pid AND r.sector = 'PHV'{acute}\n\
                                        AND {gap} BETWEEN 1 AND {window})\n\
                         THEN 1 ELSE 0 END AS followed\n\
             FROM forlop_stays s\n\
             JOIN smi_units u ON u.unit_id = s.pid\n\
             JOIN persons p ON p.pid = s.pid\n\
             WHERE s.sector = 'PHV'"
        ),
    );
    let bed_days = d.days(
            &format!("CASE WHEN admit_date > {first} THEN admit_date ELSE {first} END"),
            &format!(
                "CASE WHEN discharge_date IS NULL OR discharge_date > {last} THEN {last} ELSE discharge_date END"
            )
    );
    let letter = format!(
        "discharge_date BETWEEN {first} AND {last} AND letter_date IS NOT NULL"
    );
    let stay_events = [
        (Event::PhvStay, "stay_in_y = 1".to_string()),
        (
            Event::PhvAcuteAdmission,
            format!("urgency = 'ACUTE' AND admit_date BETWEEN {first} AND {last}"),
        ),
        (Event::LetterDischarge, letter.clone()),
        (
            Event::LetterWithin1d,
            format!("{letter} AND {letter_days} <= 1"),
        ),
        (
            Event::LetterWithin7d,
            format!("{letter} AND {letter_days} <= 7"),
        ),
        (Event::ReadmissionIndex, "is_index = 1".to_string()),
        (
            Event::Readmission,
            "is_index = 1 AND followed = 1".to_string(),
        ),
    ];
    for (e, cond) in &stay_events {
        facts.push(format!(
            "SELECT pid AS unit_id, {} AS fact, count(*) AS n FROM smi_stays WHERE {cond} GROUP BY pid",
            f(*e)
        ));
    }
    values.push(format!(
        "SELECT pid AS unit_id, {} AS quantity, CASE WHEN {bed_days} > 0 THEN {bed_days} ELSE 0 END AS v\n\
         FROM smi_stays WHERE stay_in_y = 1",
        SmiQuantity::BedDays.id().0
    ));
    values.push(format!(
        "SELECT pid AS unit_id, {} AS quantity, {letter_days} AS v FROM smi_stays WHERE {letter}",
        SmiQuantity::LetterDays.id().0
    ));

    // Primary care in Y.
    if cx.has(TableKind::PrimaryCare) {
        let date = d.ident("date");
        out += &d.create(
            "smi_pc",
            &format!(
                "SELECT c.* FROM primary_care c JOIN smi_units u ON u.unit_id = c.pid\n\
                 WHERE c.{date} BETWEEN {first} AND {last}"
            ),
        );
        let consult = "contact_type IN ('CONSULTATION', 'HOME_VISIT')";
        let pc_events = [
            (Event::GpContact, "provider = 'GP'".to_string()),
            (Event::GpConsultation, format!("provider = 'GP' AND {consult}")),
            (
                Event::GpHomeVisit,
                "provider = 'GP' AND contact_type = 'HOME_VISIT'".to_string(),
            ),
            (Event::OohsContact, "provider = 'OUT_OF_HOURS'".to_string()),
            (
                Event::OohsConsultation,
                format!("provider = 'OUT_OF_HOURS' AND {consult}"),
            ),
            (Event::Interdisciplinary, "interdisciplinary".to_string()),
        ];
        for (e, cond) in &pc_events {
            facts.push(format!(
                "SELECT pid AS unit_id, {} AS fact, count(*) AS n FROM smi_pc WHERE {cond} GROUP BY pid",
                f(*e)
            ));
        }
    }

    // Municipal service periods overlapping Y.
    if cx.has(TableKind::MunicipalServices) {
        out += &d.create(
            "smi_svc",
            &format!(
                "SELECT s.* FROM municipal_services s JOIN smi_units u ON u.unit_id = s.pid\n\
                 WHERE s.start_date <= {last} AND (s.end_date IS NULL OR s.end_date >= {first})"
            ),
        );
        let by_code: Vec<String> = ServiceCode::ALL
            .iter()
            .map(|c| format!("WHEN '{}' THEN {}", c.code(), f(Event::Service(*c))))
            .collect();
        facts.push(format!(
            "SELECT pid AS unit_id, CASE service {} END AS fact, count(*) AS n\n\
             FROM smi_svc GROUP BY pid, service",
            by_code.join(" ")
        ));
        let bound: Vec<String> = ServiceCode::ALL
            .iter()
            .filter(|c| c.is_decision_bound())
            .map(|c| format!("'{}'", c.code()))
            .collect();
        facts.push(format!(
            "SELECT pid AS unit_id, {} AS fact, count(*) AS n FROM smi_svc\n\
             WHERE service IN ({}) GROUP BY pid",
            f(Event::AnyMunicipalService),
            bound.join(", ")
        ));
    }

    out += &d.create("smi_facts", &facts.join("\nUNION ALL\n"));
    out += &d.create("smi_values", &values.join("\nUNION ALL\n"));
    out
}

/// Statements creating `smi_summary(item, n)`, the module's summary (`cohort::overlap_summary`):
/// persons per base group,
/// in two or more of the four diagnosis groups, in each pair of them, and the pair with the most
/// (first in the spec's order on a tie; absent when no person is in two groups); and the counts
/// of the module's notes ([`crate::sql::note_item`]).
pub(crate) fn summary(cx: &Ctx<'_>) -> String {
    use super::cohort::DIAGNOSIS_GROUPS;
    use crate::module::SummaryKind;
    let d = cx.dialect;
    let Some(decl) = crate::modules::find("smi") else {
        return String::new();
    };
    let item = |k| crate::sql::summary_item(decl, k);
    let mut rows: Vec<String> = SmiGroup::ALL
        .iter()
        .enumerate()
        .map(|(b, g)| {
            format!(
                "SELECT '{}' AS item, coalesce(sum({}), 0) AS n FROM smi_cohort",
                item(SummaryKind::GroupSize(b)),
                col(*g)
            )
        })
        .collect();
    let four: Vec<String> = DIAGNOSIS_GROUPS.iter().map(|g| col(*g)).collect();
    rows.push(format!(
        "SELECT '{}', coalesce(sum(CASE WHEN {} >= 2 THEN 1 ELSE 0 END), 0) FROM smi_cohort",
        item(SummaryKind::InSeveralGroups),
        four.join(" + ")
    ));
    // Base index of DIAGNOSIS_GROUPS[i] is i + 1 (`all` is base 0).
    let mut pairs = Vec::new();
    for (i, a) in DIAGNOSIS_GROUPS.iter().enumerate() {
        for (j, b) in DIAGNOSIS_GROUPS.iter().enumerate().skip(i + 1) {
            pairs.push(format!(
                "SELECT {} AS ord, '{}' AS item, '{}' AS largest,\n\
                 coalesce(sum(CASE WHEN {} = 1 AND {} = 1 THEN 1 ELSE 0 END), 0) AS n FROM smi_cohort",
                pairs.len(),
                item(SummaryKind::GroupPair(i + 1, j + 1)),
                item(SummaryKind::LargestPair(i + 1, j + 1)),
                col(*a),
                col(*b)
            ));
        }
    }
    let mut out = d.create("smi_summary_pairs", &pairs.join("\nUNION ALL "));
    rows.push("SELECT item, n FROM smi_summary_pairs".into());
    rows.push(
        "SELECT largest, n FROM (SELECT largest, n, row_number() OVER (ORDER BY n DESC, ord) AS rk\n\
         FROM smi_summary_pairs WHERE n > 0) x WHERE rk = 1"
            .into(),
    );
    // The module's notes (`Smi::run`), as `note:` items present only when above 0.
    let note = |n: &crate::notes::Note| crate::sql::note_item(n).unwrap_or("?");
    let zero = crate::notes::NoteCount::Exact(0);
    let (y, all) = (cx.year, col(SmiGroup::All));
    rows.push(format!(
        "SELECT '{}', count(*) FROM persons p JOIN smi_dx x ON x.pid = p.pid\n\
         WHERE x.has_phv = 1 AND x.{all} = 1\n\
           AND coalesce({y} - p.birth_year, p.age) IS NULL HAVING count(*) > 0",
        note(&crate::notes::Note::SmiUnknownAge { count: zero })
    ));
    rows.push(format!(
        "SELECT '{}', count(*) FROM smi_cohort x JOIN persons p ON p.pid = x.pid\n\
         WHERE NOT EXISTS (SELECT 1 FROM forlop_chain c WHERE c.mun = p.municipality)\n\
         HAVING count(*) > 0",
        note(&crate::notes::Note::CountryOnly { count: zero })
    ));
    out += &d.create("smi_summary", &rows.join("\nUNION ALL "));
    out
}
