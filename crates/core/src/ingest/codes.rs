//! Coded values: canonical codes and the NPR, IPLOS and KUHR numbers of the spec.
//!
//! Comparison is case-insensitive and ignores `_`, `-` and spaces, so `avt-phv` and `AVT_PHV` are
//! the same code. Values the user maps (the mapping profile) are looked up before these.

use crate::model::{
    CareLevel, ContactMode, ContactType, DischargedTo, Provider, ReferredBy, Sector, ServiceCode,
    Sex, Urgency,
};

/// `raw` equals `code` ignoring ASCII case, `_`, `-` and spaces.
pub(crate) fn code_eq(raw: &str, code: &str) -> bool {
    fn keep(c: &&u8) -> bool {
        !matches!(c, b'_' | b'-' | b' ')
    }
    let mut a = raw.as_bytes().iter().filter(keep);
    let mut b = code.as_bytes().iter().filter(keep);
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) => {}
            _ => return false,
        }
    }
}

/// `raw` without surrounding white space; cells reach the codes trimmed already, so the
/// Unicode scan of `trim` runs only when an edge byte asks for it.
fn trimmed(raw: &str) -> &str {
    let plain = |b: Option<&u8>| b.is_some_and(|&c| c.is_ascii() && !c.is_ascii_whitespace());
    let b = raw.as_bytes();
    if plain(b.first()) && plain(b.last()) {
        raw
    } else {
        raw.trim()
    }
}

fn small_int(raw: &str) -> Option<u32> {
    let t = trimmed(raw);
    if t.is_empty() || t.len() > 4 || !t.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

fn lookup<T: Copy>(raw: &str, table: &[(&str, T)]) -> Option<T> {
    let raw = trimmed(raw);
    // Most cells hold the canonical code exactly: a plain comparison finds them without the
    // byte-by-byte case folding of `code_eq`.
    if let Some(&(_, v)) = table.iter().find(|(c, _)| *c == raw) {
        return Some(v);
    }
    table.iter().find(|(c, _)| code_eq(raw, c)).map(|&(_, v)| v)
}

/// Allowed values, as shown in messages.
pub(crate) const SECTOR_ALLOWED: &[&str] = &["PHV", "TSB", "SOM", "AVT_PHV", "AVT_SOM"];
const SECTORS: &[(&str, Sector)] = &[
    ("PHV", Sector::Phv),
    ("TSB", Sector::Tsb),
    ("SOM", Sector::Som),
    ("AVT_PHV", Sector::AvtPhv),
    ("AVT_SOM", Sector::AvtSom),
];

/// `sector`.
pub(crate) fn sector(raw: &str) -> Option<Sector> {
    lookup(raw, SECTORS)
}

pub(crate) const CARE_LEVEL_ALLOWED: &[&str] = &["DOGN", "DAG", "POL", "1", "2", "3", "8"];

/// `care_level`: canonical, DØGN, or NPR omsorgsnivå 1/2/3/8.
pub(crate) fn care_level(raw: &str) -> Option<CareLevel> {
    // The canonical codes as written, without the general comparisons below.
    match raw {
        "POL" => return Some(CareLevel::Pol),
        "DOGN" => return Some(CareLevel::Dogn),
        "DAG" => return Some(CareLevel::Dag),
        _ => {}
    }
    if let Some(n) = small_int(raw) {
        return match n {
            1 => Some(CareLevel::Dogn),
            2 => Some(CareLevel::Dag),
            3 => Some(CareLevel::Pol),
            8 => Some(CareLevel::PolForInpatient),
            _ => None,
        };
    }
    let t = trimmed(raw);
    if code_eq(t, "DOGN") || t.chars().flat_map(char::to_lowercase).eq("døgn".chars()) {
        return Some(CareLevel::Dogn);
    }
    lookup(t, &[("DAG", CareLevel::Dag), ("POL", CareLevel::Pol)])
}

pub(crate) const URGENCY_ALLOWED: &[&str] = &["ACUTE", "PLANNED", "1", "2", "3", "4", "5"];

/// `urgency`: canonical or NPR innmateHast 1–3 (acute), 4–5 (planned).
pub(crate) fn urgency(raw: &str) -> Option<Urgency> {
    if let Some(n) = small_int(raw) {
        return match n {
            1..=3 => Some(Urgency::Acute),
            4 | 5 => Some(Urgency::Planned),
            _ => None,
        };
    }
    lookup(
        raw,
        &[("ACUTE", Urgency::Acute), ("PLANNED", Urgency::Planned)],
    )
}

pub(crate) const SEX_ALLOWED: &[&str] = &["M", "K", "mann", "kvinne", "1", "2", "0", "9"];

/// `sex`: `Ok(None)` for the NPR "unknown" codes 0 and 9; `Err` for anything else unknown.
pub(crate) fn sex(raw: &str) -> Result<Option<Sex>, ()> {
    let t = trimmed(raw);
    if let Some(n) = small_int(t) {
        return match n {
            1 => Ok(Some(Sex::Male)),
            2 => Ok(Some(Sex::Female)),
            0 | 9 => Ok(None),
            _ => Err(()),
        };
    }
    lookup(
        t,
        &[
            ("M", Sex::Male),
            ("MANN", Sex::Male),
            ("K", Sex::Female),
            ("KVINNE", Sex::Female),
        ],
    )
    .map(Some)
    .ok_or(())
}

pub(crate) const BOOL_ALLOWED: &[&str] = &["1", "0", "ja", "nei", "true", "false"];

/// 1/0, ja/nei, true/false.
pub(crate) fn boolean(raw: &str) -> Option<bool> {
    lookup(
        raw,
        &[
            ("1", true),
            ("0", false),
            ("JA", true),
            ("NEI", false),
            ("TRUE", true),
            ("FALSE", false),
        ],
    )
}

pub(crate) const AMBULANT_ALLOWED: &[&str] = &[
    "1",
    "0",
    "ja",
    "nei",
    "true",
    "false",
    "NPR stedAktivitet (4, 5 = ambulant)",
];

/// `ambulant`: a boolean, or NPR stedAktivitet: 4 (patient's home) and 5 (other ambulant place)
/// are ambulant, every other number is not (1 keeps its boolean meaning).
pub(crate) fn ambulant(raw: &str) -> Option<bool> {
    if let Some(b) = boolean(raw) {
        return Some(b);
    }
    small_int(raw).map(|n| matches!(n, 4 | 5))
}

pub(crate) const CONTACT_MODE_ALLOWED: &[&str] = &["IN_PERSON", "VIDEO", "PHONE"];

/// `contact_mode`.
pub(crate) fn contact_mode(raw: &str) -> Option<ContactMode> {
    lookup(
        raw,
        &[
            ("IN_PERSON", ContactMode::InPerson),
            ("VIDEO", ContactMode::Video),
            ("PHONE", ContactMode::Phone),
        ],
    )
}

pub(crate) const REFERRED_BY_ALLOWED: &[&str] = &["GP", "OUT_OF_HOURS", "SPECIALIST", "OTHER"];

/// `referred_by`.
pub(crate) fn referred_by(raw: &str) -> Option<ReferredBy> {
    lookup(
        raw,
        &[
            ("GP", ReferredBy::Gp),
            ("OUT_OF_HOURS", ReferredBy::OutOfHours),
            ("SPECIALIST", ReferredBy::Specialist),
            ("OTHER", ReferredBy::Other),
        ],
    )
}

pub(crate) const DISCHARGED_TO_ALLOWED: &[&str] = &[
    "HOME",
    "HOME_WITH_SERVICES",
    "NURSING_HOME",
    "OTHER_INSTITUTION",
    "DEAD",
    "OTHER",
];

/// `discharged_to`.
pub(crate) fn discharged_to(raw: &str) -> Option<DischargedTo> {
    lookup(
        raw,
        &[
            ("HOME", DischargedTo::Home),
            ("HOME_WITH_SERVICES", DischargedTo::HomeWithServices),
            ("NURSING_HOME", DischargedTo::NursingHome),
            ("OTHER_INSTITUTION", DischargedTo::OtherInstitution),
            ("DEAD", DischargedTo::Dead),
            ("OTHER", DischargedTo::Other),
        ],
    )
}

pub(crate) const SERVICE_ALLOWED: &[&str] = &[
    "HOME_HEALTH",
    "PRACTICAL_HELP",
    "PRACTICAL_TRAINING",
    "SUPPORT_CONTACT",
    "HOUSING",
    "DAY_ACTIVITY",
    "MEALS",
    "LONG_TERM_STAY",
    "SHORT_STAY_TREATMENT",
    "SHORT_STAY_OTHER",
    "INDIVIDUAL_PLAN",
    "COORDINATOR",
    "NUTRITION_ASSESSMENT",
    "MEDICATION_REVIEW",
    "WELFARE_TECH",
    "IPLOS 1-3, 9, 15, 18-21, 29",
];

/// IPLOS service numbers read by default: exactly data-format.md's list (1–3, 9, 15, 18–20,
/// 21, 29; docs/choices.md). Every other number — 4 (dagaktivitetstilbud), 5 (matombringing),
/// 6 and 26–28 (welfare technology) included, though they have canonical codes — is read only
/// through the user's value mapping, as the spec says.
pub(crate) fn iplos_service(n: u32) -> Option<ServiceCode> {
    Some(match n {
        1 | 3 => ServiceCode::PracticalHelp,
        2 => ServiceCode::PracticalTraining,
        9 => ServiceCode::SupportContact,
        15 => ServiceCode::HomeHealth,
        18 | 19 => ServiceCode::ShortStayTreatment,
        20 => ServiceCode::ShortStayOther,
        21 => ServiceCode::LongTermStay,
        29 => ServiceCode::Housing,
        _ => return None,
    })
}

/// `service`: canonical code or IPLOS number.
pub(crate) fn service(raw: &str) -> Option<ServiceCode> {
    if let Some(n) = small_int(raw) {
        return iplos_service(n);
    }
    let t = trimmed(raw);
    ServiceCode::ALL
        .iter()
        .copied()
        .find(|s| code_eq(t, s.code()))
}

pub(crate) const PROVIDER_ALLOWED: &[&str] = &[
    "GP",
    "OUT_OF_HOURS",
    "fastlege",
    "legevakt",
    "62-64",
    "65-66",
];

/// `provider`: canonical, fastlege/legevakt, or KUHR praksistype 62–64 (GP), 65–66 (out-of-hours).
pub(crate) fn provider(raw: &str) -> Option<Provider> {
    if let Some(n) = small_int(raw) {
        return match n {
            62..=64 => Some(Provider::Gp),
            65 | 66 => Some(Provider::OutOfHours),
            _ => None,
        };
    }
    lookup(
        raw,
        &[
            ("GP", Provider::Gp),
            ("OUT_OF_HOURS", Provider::OutOfHours),
            ("FASTLEGE", Provider::Gp),
            ("LEGEVAKT", Provider::OutOfHours),
        ],
    )
}

pub(crate) const CONTACT_TYPE_ALLOWED: &[&str] = &[
    "CONSULTATION",
    "HOME_VISIT",
    "PHONE",
    "E_CONSULTATION",
    "OTHER",
];

/// `contact_type`.
pub(crate) fn contact_type(raw: &str) -> Option<ContactType> {
    lookup(
        raw,
        &[
            ("CONSULTATION", ContactType::Consultation),
            ("HOME_VISIT", ContactType::HomeVisit),
            ("PHONE", ContactType::Phone),
            ("E_CONSULTATION", ContactType::EConsultation),
            ("OTHER", ContactType::Other),
        ],
    )
}

/// The KUHR tariff lookup, in one place. Tariff tables change by year (normaltariffen); when a
/// year needs other codes this becomes a table keyed by year, editable by the user.
pub(crate) mod tariffs {
    /// Office consultation tariffs.
    pub(crate) const CONSULTATION: &[&str] = &["2ad", "2ak", "2ed", "2fk", "615"];
    /// E-consultation tariffs.
    pub(crate) const E_CONSULTATION: &[&str] = &["2ae", "2aef", "2aek"];
    /// Home visit (sykebesøk) tariffs.
    pub(crate) const HOME_VISIT: &[&str] = &["11ad", "11ak"];
    /// Interdisciplinary cooperation (samarbeidsmøte).
    pub(crate) const INTERDISCIPLINARY: &[&str] = &["14"];
}

/// What a list of tariffs says: the contact type (HOME_VISIT > CONSULTATION > E_CONSULTATION >
/// OTHER; `None` when the list holds no code at all) and whether tariff 14 was claimed.
pub(crate) fn from_tariffs(raw: &str) -> (Option<crate::model::ContactType>, bool) {
    let (mut home, mut cons, mut econ, mut any, mut inter) = (false, false, false, false, false);
    for t in raw
        .split([' ', ',', ';', '|'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        any = true;
        let is = |list: &[&str]| list.iter().any(|c| t.eq_ignore_ascii_case(c));
        home |= is(tariffs::HOME_VISIT);
        cons |= is(tariffs::CONSULTATION);
        econ |= is(tariffs::E_CONSULTATION);
        inter |= is(tariffs::INTERDISCIPLINARY);
    }
    let ct = if home {
        Some(ContactType::HomeVisit)
    } else if cons {
        Some(ContactType::Consultation)
    } else if econ {
        Some(ContactType::EConsultation)
    } else if any {
        Some(ContactType::Other)
    } else {
        None
    };
    (ct, inter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_ignore_case_and_separators() {
        assert_eq!(sector("avt-phv"), Some(Sector::AvtPhv));
        assert_eq!(sector(" phv "), Some(Sector::Phv));
        assert_eq!(sector("PHVX"), None);
        assert_eq!(care_level("Døgn"), Some(CareLevel::Dogn));
        assert_eq!(care_level("8"), Some(CareLevel::PolForInpatient));
        assert_eq!(care_level("4"), None);
    }

    #[test]
    fn npr_numbers() {
        assert_eq!(urgency("3"), Some(Urgency::Acute));
        assert_eq!(urgency("4"), Some(Urgency::Planned));
        assert_eq!(urgency("5"), Some(Urgency::Planned));
        assert_eq!(urgency("6"), None);
        assert_eq!(ambulant("4"), Some(true));
        assert_eq!(ambulant("5"), Some(true));
        assert_eq!(ambulant("2"), Some(false));
        assert_eq!(ambulant("1"), Some(true));
        assert_eq!(ambulant("nei"), Some(false));
        assert_eq!(ambulant("kanskje"), None);
    }

    #[test]
    fn sex_codes() {
        assert_eq!(sex("K"), Ok(Some(Sex::Female)));
        assert_eq!(sex("mann"), Ok(Some(Sex::Male)));
        assert_eq!(sex("2"), Ok(Some(Sex::Female)));
        assert_eq!(sex("9"), Ok(None));
        assert_eq!(sex("0"), Ok(None));
        assert_eq!(sex("X"), Err(()));
    }

    #[test]
    fn iplos_numbers_follow_the_specs_default_list() {
        assert_eq!(service("3"), Some(ServiceCode::PracticalHelp));
        assert_eq!(service("19"), Some(ServiceCode::ShortStayTreatment));
        assert_eq!(service("29"), Some(ServiceCode::Housing));
        // Outside data-format.md's list: only through the user's mapping, even where the
        // canonical list has a code for the service (4 day activity, 5 meals, 27 welfare tech).
        for other in ["4", "5", "6", "7", "26", "27", "28"] {
            assert_eq!(service(other), None, "{other}");
        }
        assert_eq!(service("DAY_ACTIVITY"), Some(ServiceCode::DayActivity));
        assert_eq!(service("home_health"), Some(ServiceCode::HomeHealth));
    }

    #[test]
    fn kuhr_providers() {
        assert_eq!(provider("63"), Some(Provider::Gp));
        assert_eq!(provider("66"), Some(Provider::OutOfHours));
        assert_eq!(provider("Legevakt"), Some(Provider::OutOfHours));
        assert_eq!(provider("61"), None);
    }

    #[test]
    fn tariffs_give_contact_type_with_precedence() {
        assert_eq!(
            from_tariffs("2ad 11ak"),
            (Some(ContactType::HomeVisit), false)
        );
        assert_eq!(
            from_tariffs("2AE;615"),
            (Some(ContactType::Consultation), false)
        );
        assert_eq!(
            from_tariffs("2aek|14"),
            (Some(ContactType::EConsultation), true)
        );
        assert_eq!(from_tariffs("701a"), (Some(ContactType::Other), false));
        assert_eq!(from_tariffs(" , "), (None, false));
    }
}
