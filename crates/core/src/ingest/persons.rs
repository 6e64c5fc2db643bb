//! persons (personer): one row per person; builds the pid index the other tables use.

use super::aliases::{index_of, PERSONS};
use super::codes;
use super::row::{PidIndex, RowCx};
use crate::model::{Municipality, Person};
use crate::quality::{clip, IssueKind};
use crate::text::Text;
use chrono::Datelike;
use std::collections::HashSet;

const PID: usize = index_of(PERSONS, "pid");
const BIRTH_YEAR: usize = index_of(PERSONS, "birth_year");
const AGE: usize = index_of(PERSONS, "age");
const SEX: usize = index_of(PERSONS, "sex");
const MUNICIPALITY: usize = index_of(PERSONS, "municipality");
const DEATH_DATE: usize = index_of(PERSONS, "death_date");

const BIRTH_YEAR_EXPECTED: Text = Text {
    nb: "et fødselsår fra 1880 til i år",
    en: "a birth year from 1880 to this year",
};
const AGE_EXPECTED: Text = Text {
    nb: "en alder fra 0 til 120",
    en: "an age from 0 to 120",
};

/// The persons read so far (over all persons files).
#[derive(Default)]
pub(crate) struct PersonsState {
    /// Rows used.
    pub persons: Vec<Person>,
    /// pid → index into `persons`.
    pub index: PidIndex,
    /// Municipalities of the areas table, when one was loaded.
    pub areas: Option<HashSet<Municipality>>,
}

/// Reads one record of persons. A pid's second row is rejected (`duplicate_pid`).
pub(crate) fn parse(cx: &mut RowCx<'_>, st: &PersonsState) -> Option<Person> {
    let pid = cx.req_text(PID);
    if let Some(p) = pid {
        if st.index.get(p).is_some() {
            cx.reject(PID, IssueKind::DuplicatePid { pid: clip(p) });
        }
    }
    // data-format.md: "integer 1880..current"; without the caller's year, up to 2100.
    let latest = i64::from(cx.current_year().unwrap_or(2100));
    let birth_year = match cx.int(BIRTH_YEAR, 1880..=latest, BIRTH_YEAR_EXPECTED) {
        Ok(v) => v,
        Err(k) => {
            cx.reject(BIRTH_YEAR, k);
            None
        }
    };
    let age = match cx.int(AGE, 0..=120, AGE_EXPECTED) {
        Ok(v) => v,
        Err(k) => {
            cx.reject(AGE, k);
            None
        }
    };
    if cx.cell(BIRTH_YEAR).is_none() && cx.cell(AGE).is_none() {
        // Point at birth_year when the file has it, else at age.
        if cx.has_column(BIRTH_YEAR) || !cx.has_column(AGE) {
            cx.missing(BIRTH_YEAR);
        } else {
            cx.missing(AGE);
        }
    }
    let sex = match cx.cell(SEX) {
        None => None,
        Some(raw) => match cx.code(SEX, |v| codes::sex(v).ok()) {
            Ok(s) => s.flatten(),
            Err(_) => {
                cx.warn(
                    SEX,
                    IssueKind::UnknownCode {
                        value: clip(raw),
                        allowed: codes::SEX_ALLOWED,
                    },
                );
                None
            }
        },
    };
    let municipality = cx.municipality(MUNICIPALITY, false);
    if let (Some(m), Some(areas)) = (municipality, &st.areas) {
        if !areas.contains(&m) {
            cx.warn(
                MUNICIPALITY,
                IssueKind::UnknownMunicipality { municipality: m },
            );
        }
    }
    let death_date = cx.opt_date(DEATH_DATE);
    if cx.is_rejected() {
        return None;
    }
    let birth = birth_year.map(|b| b as i32);
    if let (Some(b), Some(year)) = (birth, cx.year()) {
        if b > year {
            cx.warn(
                BIRTH_YEAR,
                IssueKind::BornAfterYear {
                    birth_year: b,
                    year,
                },
            );
        }
    }
    if let (Some(b), Some(death)) = (birth, death_date) {
        if death.year() < b {
            cx.warn(
                DEATH_DATE,
                IssueKind::DeathBeforeBirth {
                    death,
                    birth_year: b,
                },
            );
        }
    }
    Some(Person {
        pid: pid?.to_string(),
        birth_year: birth,
        age: age.map(|a| a as u8),
        sex,
        municipality,
        death_date,
    })
}
