//! The engine's validated tables written back as canonical CSV (`,`, UTF-8, ISO dates,
//! canonical codes, one file per table), so that an SQL engine and the engine see the same rows,
//! also of an extract with defects: what the reader rejected is not written.
//!
//! Two tables get a column the spec does not have, `row_no` (1, 2, … in the engine's order):
//! episodes, where it breaks ties between rows of one person and sector with the same
//! admit_date when stays are merged, and areas, where the first row of a municipality counts.

use crate::model::{
    AgeSpec, CareLevel, ContactMode, ContactType, DischargedTo, Provider, ReferredBy, Sector, Sex,
    TableKind, Tables, Urgency,
};
use chrono::NaiveDate;

/// The columns of each table as written, with their SQL types (docs/sql.md).
pub fn columns(kind: TableKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        TableKind::Persons => &[
            ("pid", "VARCHAR"),
            ("birth_year", "INTEGER"),
            ("age", "INTEGER"),
            ("sex", "VARCHAR"),
            ("municipality", "VARCHAR"),
            ("death_date", "DATE"),
        ],
        TableKind::Episodes => &[
            ("pid", "VARCHAR"),
            ("sector", "VARCHAR"),
            ("care_level", "VARCHAR"),
            ("admit_date", "DATE"),
            ("admit_time", "VARCHAR"),
            ("discharge_date", "DATE"),
            ("urgency", "VARCHAR"),
            ("main_diagnosis", "VARCHAR"),
            ("other_diagnoses", "VARCHAR"),
            ("unit", "VARCHAR"),
            ("ambulant", "BOOLEAN"),
            ("contact_mode", "VARCHAR"),
            ("ready_date", "DATE"),
            ("letter_date", "DATE"),
            ("referred_by", "VARCHAR"),
            ("discharged_to", "VARCHAR"),
            ("row_no", "BIGINT"),
        ],
        TableKind::MunicipalServices => &[
            ("pid", "VARCHAR"),
            ("service", "VARCHAR"),
            ("decision_date", "DATE"),
            ("start_date", "DATE"),
            ("end_date", "DATE"),
        ],
        TableKind::PrimaryCare => &[
            ("pid", "VARCHAR"),
            ("date", "DATE"),
            ("provider", "VARCHAR"),
            ("contact_type", "VARCHAR"),
            ("interdisciplinary", "BOOLEAN"),
        ],
        TableKind::Population => &[
            ("municipality", "VARCHAR"),
            ("year", "INTEGER"),
            ("sex", "VARCHAR"),
            ("age", "VARCHAR"),
            ("count", "BIGINT"),
        ],
        TableKind::Areas => &[
            ("municipality", "VARCHAR"),
            ("municipality_name", "VARCHAR"),
            ("health_community", "VARCHAR"),
            ("region", "VARCHAR"),
            ("row_no", "BIGINT"),
        ],
    }
}

fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn opt<T>(v: Option<T>, f: impl Fn(T) -> &'static str) -> String {
    v.map(f).unwrap_or_default().to_string()
}

fn sector(s: Sector) -> &'static str {
    match s {
        Sector::Phv => "PHV",
        Sector::Tsb => "TSB",
        Sector::Som => "SOM",
        Sector::AvtPhv => "AVT_PHV",
        Sector::AvtSom => "AVT_SOM",
    }
}

fn care_level(c: CareLevel) -> &'static str {
    match c {
        CareLevel::Dogn => "DOGN",
        CareLevel::Dag => "DAG",
        CareLevel::Pol => "POL",
        CareLevel::PolForInpatient => "8",
    }
}

fn urgency(u: Urgency) -> &'static str {
    match u {
        Urgency::Acute => "ACUTE",
        Urgency::Planned => "PLANNED",
    }
}

fn contact_mode(c: ContactMode) -> &'static str {
    match c {
        ContactMode::InPerson => "IN_PERSON",
        ContactMode::Video => "VIDEO",
        ContactMode::Phone => "PHONE",
    }
}

pub(crate) fn referred_by(r: ReferredBy) -> &'static str {
    match r {
        ReferredBy::Gp => "GP",
        ReferredBy::OutOfHours => "OUT_OF_HOURS",
        ReferredBy::Specialist => "SPECIALIST",
        ReferredBy::Other => "OTHER",
    }
}

pub(crate) fn discharged_to(d: DischargedTo) -> &'static str {
    match d {
        DischargedTo::Home => "HOME",
        DischargedTo::HomeWithServices => "HOME_WITH_SERVICES",
        DischargedTo::NursingHome => "NURSING_HOME",
        DischargedTo::OtherInstitution => "OTHER_INSTITUTION",
        DischargedTo::Dead => "DEAD",
        DischargedTo::Other => "OTHER",
    }
}

fn sex(s: Sex) -> &'static str {
    match s {
        Sex::Male => "M",
        Sex::Female => "K",
    }
}

fn age(a: AgeSpec) -> String {
    match a {
        AgeSpec::Exact(a) => a.to_string(),
        AgeSpec::Band(a, b) => format!("{a}-{b}"),
        AgeSpec::AtLeast(a) => format!("{a}+"),
    }
}

fn bool01(b: bool) -> &'static str {
    if b {
        "1"
    } else {
        "0"
    }
}

/// Every table the engine has, as `(file name, CSV bytes)`; a table not given is not written.
pub fn write_tables(t: &Tables) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut table = |kind: TableKind, rows: Vec<Vec<String>>| {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        let _ = w.write_record(columns(kind).iter().map(|c| c.0));
        for r in rows {
            let _ = w.write_record(r);
        }
        let bytes = w.into_inner().unwrap_or_default();
        out.push((format!("{}.csv", kind.canonical_name()), bytes));
    };
    let pid = |p: crate::model::PersonIdx| {
        t.persons
            .get(p.0 as usize)
            .map(|p| p.pid.clone())
            .unwrap_or_default()
    };
    table(
        TableKind::Persons,
        t.persons
            .iter()
            .map(|p| {
                vec![
                    p.pid.clone(),
                    p.birth_year.map(|b| b.to_string()).unwrap_or_default(),
                    p.age.map(|a| a.to_string()).unwrap_or_default(),
                    opt(p.sex, sex),
                    p.municipality.map(|m| m.to_string()).unwrap_or_default(),
                    date(p.death_date),
                ]
            })
            .collect(),
    );
    if let Some(rows) = &t.areas {
        table(
            TableKind::Areas,
            rows.iter()
                .enumerate()
                .map(|(i, r)| {
                    vec![
                        r.municipality.to_string(),
                        r.municipality_name.clone().unwrap_or_default(),
                        r.health_community.clone(),
                        r.region.clone(),
                        (i + 1).to_string(),
                    ]
                })
                .collect(),
        );
    }
    if let Some(rows) = &t.population {
        table(
            TableKind::Population,
            rows.iter()
                .map(|r| {
                    vec![
                        r.municipality.to_string(),
                        r.year.to_string(),
                        opt(r.sex, sex),
                        r.age.map(age).unwrap_or_default(),
                        r.count.to_string(),
                    ]
                })
                .collect(),
        );
    }
    if let Some(rows) = &t.episodes {
        table(
            TableKind::Episodes,
            rows.iter()
                .enumerate()
                .map(|(i, e)| {
                    let others: Vec<&str> = e.other_diagnoses.iter().map(|c| c.as_str()).collect();
                    vec![
                        pid(e.person),
                        sector(e.sector).to_string(),
                        care_level(e.care_level).to_string(),
                        date(Some(e.admit_date)),
                        e.admit_time
                            .map(|t| t.format("%H:%M:%S").to_string())
                            .unwrap_or_default(),
                        date(e.discharge_date),
                        opt(e.urgency, urgency),
                        e.main_diagnosis
                            .map(|c| c.as_str().to_string())
                            .unwrap_or_default(),
                        others.join(" "),
                        e.unit
                            .map(|u| t.unit_name(u).to_string())
                            .unwrap_or_default(),
                        e.ambulant.map(bool01).unwrap_or_default().to_string(),
                        opt(e.contact_mode, contact_mode),
                        date(e.ready_date),
                        date(e.letter_date),
                        opt(e.referred_by, referred_by),
                        opt(e.discharged_to, discharged_to),
                        (i + 1).to_string(),
                    ]
                })
                .collect(),
        );
    }
    if let Some(rows) = &t.municipal_services {
        table(
            TableKind::MunicipalServices,
            rows.iter()
                .map(|r| {
                    vec![
                        pid(r.person),
                        r.service.code().to_string(),
                        date(r.decision_date),
                        date(Some(r.start_date)),
                        date(r.end_date),
                    ]
                })
                .collect(),
        );
    }
    if let Some(rows) = &t.primary_care {
        table(
            TableKind::PrimaryCare,
            rows.iter()
                .map(|r| {
                    vec![
                        pid(r.person),
                        date(Some(r.date)),
                        match r.provider {
                            Provider::Gp => "GP",
                            Provider::OutOfHours => "OUT_OF_HOURS",
                        }
                        .to_string(),
                        match r.contact_type {
                            ContactType::Consultation => "CONSULTATION",
                            ContactType::HomeVisit => "HOME_VISIT",
                            ContactType::Phone => "PHONE",
                            ContactType::EConsultation => "E_CONSULTATION",
                            ContactType::Other => "OTHER",
                        }
                        .to_string(),
                        bool01(r.interdisciplinary).to_string(),
                    ]
                })
                .collect(),
        );
    }
    out
}

/// `tables.json`: each written table's columns and SQL types, for a loader.
pub fn schema_json(t: &Tables) -> String {
    let mut map = serde_json::Map::new();
    for kind in present(t) {
        let cols: Vec<serde_json::Value> = columns(kind)
            .iter()
            .map(|(c, ty)| serde_json::json!([c, ty]))
            .collect();
        map.insert(
            kind.canonical_name().to_string(),
            serde_json::Value::Array(cols),
        );
    }
    serde_json::Value::Object(map).to_string()
}

/// The tables present, in [`TableKind::ALL`] order.
pub fn present(t: &Tables) -> Vec<TableKind> {
    TableKind::ALL.into_iter().filter(|k| t.has(*k)).collect()
}
