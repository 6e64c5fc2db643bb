//! episodes (opphold): stays and contacts in specialist care (NPR).

use super::aliases::{index_of, EPISODES};
use super::codes;
use super::persons::PersonsState;
use super::row::RowCx;
use crate::model::{CareLevel, Diagnoses, Episode, Icd10, PersonIdx};
use crate::quality::{clip, IssueKind};
use crate::text::Text;

const PID: usize = index_of(EPISODES, "pid");
const SECTOR: usize = index_of(EPISODES, "sector");
const CARE_LEVEL: usize = index_of(EPISODES, "care_level");
const ADMIT_DATE: usize = index_of(EPISODES, "admit_date");
const ADMIT_TIME: usize = index_of(EPISODES, "admit_time");
const DISCHARGE_DATE: usize = index_of(EPISODES, "discharge_date");
const URGENCY: usize = index_of(EPISODES, "urgency");
const MAIN_DIAGNOSIS: usize = index_of(EPISODES, "main_diagnosis");
const OTHER_DIAGNOSES: usize = index_of(EPISODES, "other_diagnoses");
const UNIT: usize = index_of(EPISODES, "unit");
const AMBULANT: usize = index_of(EPISODES, "ambulant");
const CONTACT_MODE: usize = index_of(EPISODES, "contact_mode");
const READY_DATE: usize = index_of(EPISODES, "ready_date");
const LETTER_DATE: usize = index_of(EPISODES, "letter_date");
const REFERRED_BY: usize = index_of(EPISODES, "referred_by");
const DISCHARGED_TO: usize = index_of(EPISODES, "discharged_to");

pub(crate) const ICD10_EXPECTED: Text = Text {
    nb: "en ICD-10-kode, f.eks. F20.0 eller F200",
    en: "an ICD-10 code, e.g. F20.0 or F200",
};

/// The person a record refers to: missing pid → `missing_required`; not in persons →
/// `unknown_person`.
pub(crate) fn person(cx: &mut RowCx<'_>, col: usize, persons: &PersonsState) -> Option<PersonIdx> {
    let pid = cx.req_text(col)?;
    match cx.person_index(pid, &persons.index) {
        Some(i) => Some(PersonIdx(i)),
        None => {
            cx.reject(col, IssueKind::UnknownPerson { pid: clip(pid) });
            None
        }
    }
}

/// Reads one record of episodes.
pub(crate) fn parse(cx: &mut RowCx<'_>, persons: &PersonsState) -> Option<Episode> {
    let person = person(cx, PID, persons);
    let sector = cx.req_code(SECTOR, codes::sector, codes::SECTOR_ALLOWED);
    let care_level = cx.req_code(CARE_LEVEL, codes::care_level, codes::CARE_LEVEL_ALLOWED);
    let admit = cx.req_date_time(ADMIT_DATE);
    let admit_time = cx.opt_time(ADMIT_TIME).or(admit.and_then(|(_, t)| t));
    let admit_date = admit.map(|(d, _)| d);
    // Present but unreadable rejects: read as missing it would invent an open stay.
    let discharge = cx.strict_opt_date(DISCHARGE_DATE);
    if let (Some(a), Some(Some(d))) = (admit_date, discharge) {
        if d < a {
            cx.reject(
                DISCHARGE_DATE,
                IssueKind::StartAfterEnd { start: a, end: d },
            );
        }
    }
    let urgency = if care_level == Some(CareLevel::Dogn) {
        cx.req_code(URGENCY, codes::urgency, codes::URGENCY_ALLOWED)
    } else {
        cx.opt_code(URGENCY, codes::urgency, codes::URGENCY_ALLOWED)
    };
    let main_diagnosis = cx.cell(MAIN_DIAGNOSIS).and_then(|raw| {
        let code = Icd10::parse(raw);
        if code.is_none() {
            cx.warn(
                MAIN_DIAGNOSIS,
                IssueKind::InvalidValue {
                    value: clip(raw),
                    expected: ICD10_EXPECTED,
                },
            );
        }
        code
    });
    let mut other_diagnoses = Diagnoses::default();
    if let Some(raw) = cx.cell(OTHER_DIAGNOSES) {
        let mut bad: Option<&str> = None;
        let mut codes = Vec::new();
        for t in raw.split([' ', ',', ';', '|']).filter(|t| !t.is_empty()) {
            match Icd10::parse(t) {
                Some(c) => codes.push(c),
                None => bad = bad.or(Some(t)),
            }
        }
        other_diagnoses = cx.diagnoses(codes);
        if let Some(t) = bad {
            cx.warn(
                OTHER_DIAGNOSES,
                IssueKind::InvalidValue {
                    value: clip(t),
                    expected: ICD10_EXPECTED,
                },
            );
        }
    }
    let unit = cx.unit(UNIT);
    let ambulant = cx.opt_code(AMBULANT, codes::ambulant, codes::AMBULANT_ALLOWED);
    let contact_mode = cx.opt_code(
        CONTACT_MODE,
        codes::contact_mode,
        codes::CONTACT_MODE_ALLOWED,
    );
    let ready_date = cx.opt_date(READY_DATE);
    let letter_date = cx.opt_date(LETTER_DATE);
    let referred_by = cx.opt_code(REFERRED_BY, codes::referred_by, codes::REFERRED_BY_ALLOWED);
    let discharged_to = cx.opt_code(
        DISCHARGED_TO,
        codes::discharged_to,
        codes::DISCHARGED_TO_ALLOWED,
    );
    if cx.is_rejected() {
        return None;
    }
    let (admit_date, care_level) = (admit_date?, care_level?);
    let discharge_date = match discharge? {
        Some(d) => Some(d),
        // POL and DAG (and NPR 8) are same-day contacts: discharge = admission.
        None if care_level != CareLevel::Dogn => Some(admit_date),
        None => None,
    };
    if let (Some(l), Some(d)) = (letter_date, discharge_date) {
        if l < d {
            cx.warn(
                LETTER_DATE,
                IssueKind::LetterBeforeDischarge {
                    letter: l,
                    discharge: d,
                },
            );
        }
    }
    if let Some(ready) = ready_date.filter(|r| *r < admit_date) {
        cx.warn(
            READY_DATE,
            IssueKind::ReadyBeforeAdmit {
                ready,
                admit: admit_date,
            },
        );
    }
    Some(Episode {
        person: person?,
        sector: sector?,
        care_level,
        admit_date,
        admit_time,
        discharge_date,
        urgency,
        main_diagnosis,
        other_diagnoses,
        unit,
        ambulant,
        contact_mode,
        ready_date,
        letter_date,
        referred_by,
        discharged_to,
    })
}
