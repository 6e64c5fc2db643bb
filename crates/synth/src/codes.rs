//! Code lists the generator writes, as small integer ids, with their canonical and Norwegian
//! (NPR/KUHR/IPLOS) spellings. Rows store ids, so millions of rows stay small.

/// `episodes.sector`; index 0 is unused.
pub(crate) const SECTOR: [&str; 6] = ["", "PHV", "TSB", "SOM", "AVT_PHV", "AVT_SOM"];
pub(crate) const PHV: u8 = 1;
pub(crate) const TSB: u8 = 2;
pub(crate) const SOM: u8 = 3;
pub(crate) const AVT_PHV: u8 = 4;
pub(crate) const AVT_SOM: u8 = 5;

/// `episodes.care_level` as NPR omsorgsnivå: 1 DOGN, 2 DAG, 3 POL, 8 outpatient contact for an
/// inpatient (written only in the Norwegian format: the canonical format has no name for it).
pub(crate) const DOGN: u8 = 1;
pub(crate) const DAG: u8 = 2;
pub(crate) const POL: u8 = 3;
pub(crate) const POL_INPATIENT: u8 = 8;

pub(crate) fn care_level_canonical(level: u8) -> &'static str {
    match level {
        DOGN => "DOGN",
        DAG => "DAG",
        _ => "POL",
    }
}

/// `episodes.urgency` as NPR innmateHast: 1–3 acute, 4 planned, 5 return transfer (planned).
/// 0 = empty.
pub(crate) const ACUTE: u8 = 1;
pub(crate) const PLANNED: u8 = 4;
pub(crate) const RETURN_TRANSFER: u8 = 5;

/// `episodes.contact_mode`; 0 = empty.
pub(crate) const CONTACT_MODE: [&str; 4] = ["", "IN_PERSON", "VIDEO", "PHONE"];
/// `episodes.referred_by`; 0 = empty.
pub(crate) const REFERRED_BY: [&str; 5] = ["", "GP", "OUT_OF_HOURS", "SPECIALIST", "OTHER"];
pub(crate) const REF_GP: u8 = 1;
pub(crate) const REF_OOH: u8 = 2;
pub(crate) const REF_SPECIALIST: u8 = 3;
pub(crate) const REF_OTHER: u8 = 4;
/// `episodes.discharged_to`; 0 = empty.
pub(crate) const DISCHARGED_TO: [&str; 7] = [
    "",
    "HOME",
    "HOME_WITH_SERVICES",
    "NURSING_HOME",
    "OTHER_INSTITUTION",
    "DEAD",
    "OTHER",
];
pub(crate) const TO_HOME: u8 = 1;
pub(crate) const TO_HOME_SERVICES: u8 = 2;
pub(crate) const TO_NURSING_HOME: u8 = 3;
pub(crate) const TO_INSTITUTION: u8 = 4;
pub(crate) const TO_DEAD: u8 = 5;
pub(crate) const TO_OTHER: u8 = 6;

/// `episodes.unit`; 0 = empty. Names with ø test the encodings.
pub(crate) const UNIT: [&str; 15] = [
    "",
    "PAM",
    "Akuttpost",
    "Allmennpsykiatrisk døgn",
    "Sikkerhetsavdeling",
    "DPS døgn",
    "Alderspsykiatrisk døgn",
    "DPS poliklinikk",
    "Ambulant akutteam",
    "Rusbehandling døgn",
    "Ruspoliklinikk",
    "Medisinsk avdeling",
    "Kirurgisk avdeling",
    "Ortopedisk avdeling",
    "Geriatrisk avdeling",
];
pub(crate) const U_PAM: u8 = 1;
pub(crate) const U_ACUTE_WARD: u8 = 2;
pub(crate) const U_GENERAL: u8 = 3;
pub(crate) const U_SECURE: u8 = 4;
pub(crate) const U_DPS: u8 = 5;
pub(crate) const U_OLD_AGE: u8 = 6;
pub(crate) const U_DPS_POL: u8 = 7;
pub(crate) const U_AMBULANT: u8 = 8;
pub(crate) const U_TSB_DOGN: u8 = 9;
pub(crate) const U_TSB_POL: u8 = 10;
pub(crate) const U_MEDICAL: u8 = 11;
pub(crate) const U_SURGICAL: u8 = 12;
pub(crate) const U_ORTHO: u8 = 13;
pub(crate) const U_GERIATRIC: u8 = 14;

/// ICD-10 codes, written with a dot in the canonical format and without in the NPR format.
/// Index 0 = none. The ranges below are the groups of indicators.md §1.
pub(crate) const DX: [&str; 78] = [
    "", // 0
    // schizophrenia 1..=8
    "F20.0", "F20.1", "F20.5", "F20.9", "F25.0", "F25.1", "F25.2", "F25.9",
    // bipolar 9..=14
    "F31.0", "F31.1", "F31.3", "F31.6", "F31.9", "F30.1", // depression 15..=22
    "F32.0", "F32.1", "F32.2", "F32.9", "F33.0", "F33.1", "F33.2", "F33.9",
    // personality 23..=29
    "F60.2", "F60.3", "F60.6", "F60.7", "F60.9", "F61", "F63.8",
    // substance use 30..=36
    "F10.2", "F10.1", "F11.2", "F12.2", "F15.2", "F19.2", "F13.2",
    // other mental disorders (not in any group) 37..=46
    "F41.1", "F41.2", "F43.1", "F43.2", "F84.0", "F90.0", "F42.2", "F50.0", "F40.1", "F45.1",
    // child and adolescent 47..=49
    "F93.8", "F84.5", "F91.3", // somatic 50..=65
    "I10", "E11.9", "J44.9", "S72.0", "I50.9", "N39.0", "J18.9", "K80.2", "M16.1", "I63.9",
    "R07.4", "K35.8", "S52.5", "I21.4", "C50.9", "G40.9",
    // private somatic specialists 66..=73
    "H52.1", "L40.0", "M54.5", "H10.1", "J30.1", "N95.1", "H35.3", "L20.9",
    // frail elderly, ready for discharge 74..=77
    "J44.1", "R26.8", "E86", "N17.9",
];

/// (first index, count) of each code range in [`DX`].
pub(crate) const DX_GROUP: [(u8, u8); 4] = [(1, 8), (9, 6), (15, 8), (23, 7)];
pub(crate) const DX_SUBSTANCE: (u8, u8) = (30, 7);
pub(crate) const DX_OTHER_MENTAL: (u8, u8) = (37, 10);
pub(crate) const DX_CHILD: [u8; 7] = [16, 42, 40, 44, 47, 48, 49];
pub(crate) const DX_SOMATIC: (u8, u8) = (50, 16);
pub(crate) const DX_AVT_SOM: (u8, u8) = (66, 8);
pub(crate) const DX_FRAIL: [u8; 9] = [53, 54, 55, 56, 59, 74, 75, 76, 77];

/// Which SMI group (0 schizophrenia, 1 bipolar, 2 depression, 3 personality) a code is in.
pub(crate) fn dx_group(dx: u8) -> Option<usize> {
    DX_GROUP
        .iter()
        .position(|&(first, n)| dx >= first && dx < first + n)
}

pub(crate) fn dx_is_substance(dx: u8) -> bool {
    dx >= DX_SUBSTANCE.0 && dx < DX_SUBSTANCE.0 + DX_SUBSTANCE.1
}

/// Municipal service codes: canonical name and IPLOS number where the default mapping of
/// choices.md has one (the Norwegian format writes the number).
pub(crate) const SERVICE: [(&str, Option<&str>); 15] = [
    ("HOME_HEALTH", Some("15")),
    ("PRACTICAL_HELP", Some("1")),
    ("SUPPORT_CONTACT", Some("9")),
    ("PRACTICAL_TRAINING", Some("2")),
    ("HOUSING", Some("29")),
    ("DAY_ACTIVITY", Some("4")),
    ("MEALS", Some("5")),
    ("LONG_TERM_STAY", Some("21")),
    ("SHORT_STAY_TREATMENT", Some("18")),
    ("SHORT_STAY_OTHER", Some("20")),
    ("INDIVIDUAL_PLAN", None),
    ("COORDINATOR", None),
    ("NUTRITION_ASSESSMENT", None),
    ("MEDICATION_REVIEW", None),
    ("WELFARE_TECH", Some("6")),
];
pub(crate) const S_HOME_HEALTH: u8 = 0;
pub(crate) const S_PRACTICAL_HELP: u8 = 1;
pub(crate) const S_DAY_ACTIVITY: u8 = 5;
pub(crate) const S_MEALS: u8 = 6;
pub(crate) const S_LONG_TERM: u8 = 7;
pub(crate) const S_SHORT_TREATMENT: u8 = 8;
pub(crate) const S_SHORT_OTHER: u8 = 9;
pub(crate) const S_NUTRITION: u8 = 12;
pub(crate) const S_MEDICATION_REVIEW: u8 = 13;
pub(crate) const S_WELFARE_TECH: u8 = 14;

/// Services recorded as one-day events (an assessment or a review), not as periods.
pub(crate) fn service_is_event(s: u8) -> bool {
    s == S_NUTRITION || s == S_MEDICATION_REVIEW
}

/// `primary_care.provider`: 1 GP, 2 out-of-hours.
pub(crate) const GP: u8 = 1;
pub(crate) const OOH: u8 = 2;

/// `primary_care.contact_type`.
pub(crate) const CONTACT_TYPE: [&str; 6] = [
    "",
    "CONSULTATION",
    "HOME_VISIT",
    "PHONE",
    "E_CONSULTATION",
    "OTHER",
];
pub(crate) const C_CONSULTATION: u8 = 1;
pub(crate) const C_HOME_VISIT: u8 = 2;
pub(crate) const C_PHONE: u8 = 3;
pub(crate) const C_E_CONSULTATION: u8 = 4;
pub(crate) const C_OTHER: u8 = 5;

/// `primary_care.tariffs`. Only codes of the data-format spec's lookup are written, and never two
/// contact kinds in one row, so a reader deriving the contact type from them has one answer.
pub(crate) const TARIFFS: [&str; 14] = [
    "", "2ad", "2ak", "2ed", "2fk", "2ad 615", "2ae", "2aek", "2aef", "11ad", "11ak", "14",
    "2ad 14", "2ae 14",
];
pub(crate) const T_NONE: u8 = 0;
pub(crate) const T_CONSULTATION: [u8; 5] = [1, 2, 3, 4, 5];
pub(crate) const T_E_CONSULTATION: [u8; 3] = [6, 7, 8];
pub(crate) const T_HOME_VISIT: [u8; 2] = [9, 10];
pub(crate) const T_MEETING: u8 = 11;
pub(crate) const T_CONSULTATION_MEETING: u8 = 12;
pub(crate) const T_E_CONSULTATION_MEETING: u8 = 13;
