//! Code lists the generator writes, as one-byte enums and ids with their canonical and Norwegian
//! (NPR/KUHR/IPLOS) spellings. Rows store these, not strings, so millions of rows stay small;
//! an empty cell is `None`.
//!
//! The names follow `forlop_core::model` (`Sector`, `CareLevel`, `ReferredBy`, `ServiceCode`, …)
//! but are the generator's own: the crate does not depend on core (it is a second reading of the
//! data-format spec, see `lib.rs`), and some lists differ on purpose. [`Urgency`] keeps NPR's
//! return transfer (innmateHast 5), [`CareLevel`] keeps NPR's level 8, and [`ServiceCode`] is in
//! the generator's order, which random draws index ([`ServiceCode::CARE`]): reordering a list,
//! or a derived `Ord` that sorts rows, would change the output.

/// `episodes.sector`. The order is the row sort order within a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Sector {
    Phv,
    Tsb,
    Som,
    AvtPhv,
    AvtSom,
}

impl Sector {
    pub(crate) fn code(self) -> &'static str {
        match self {
            Sector::Phv => "PHV",
            Sector::Tsb => "TSB",
            Sector::Som => "SOM",
            Sector::AvtPhv => "AVT_PHV",
            Sector::AvtSom => "AVT_SOM",
        }
    }
}

/// `episodes.care_level` as NPR omsorgsnivå: 1 DOGN, 2 DAG, 3 POL, 8 outpatient contact for an
/// inpatient (written only in the Norwegian format: the canonical format has no name for it).
/// The order is the row sort order within a day and sector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum CareLevel {
    Dogn,
    Dag,
    Pol,
    PolForInpatient,
}

impl CareLevel {
    /// NPR omsorgsnivå.
    pub(crate) fn npr(self) -> u8 {
        match self {
            CareLevel::Dogn => 1,
            CareLevel::Dag => 2,
            CareLevel::Pol => 3,
            CareLevel::PolForInpatient => 8,
        }
    }

    pub(crate) fn canonical(self) -> &'static str {
        match self {
            CareLevel::Dogn => "DOGN",
            CareLevel::Dag => "DAG",
            CareLevel::Pol | CareLevel::PolForInpatient => "POL",
        }
    }
}

/// `episodes.urgency` as NPR innmateHast: 1–3 acute, 4 planned, 5 return transfer (planned).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Urgency {
    Acute,
    Planned,
    ReturnTransfer,
}

impl Urgency {
    /// NPR innmateHast (acute is written 1, 2 or 3 by the writer).
    pub(crate) fn npr(self) -> u8 {
        match self {
            Urgency::Acute => 1,
            Urgency::Planned => 4,
            Urgency::ReturnTransfer => 5,
        }
    }
}

/// `episodes.contact_mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ContactMode {
    InPerson,
    Video,
    Phone,
}

impl ContactMode {
    pub(crate) fn code(self) -> &'static str {
        match self {
            ContactMode::InPerson => "IN_PERSON",
            ContactMode::Video => "VIDEO",
            ContactMode::Phone => "PHONE",
        }
    }
}

/// `episodes.referred_by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReferredBy {
    Gp,
    OutOfHours,
    Specialist,
    Other,
}

impl ReferredBy {
    pub(crate) fn code(self) -> &'static str {
        match self {
            ReferredBy::Gp => "GP",
            ReferredBy::OutOfHours => "OUT_OF_HOURS",
            ReferredBy::Specialist => "SPECIALIST",
            ReferredBy::Other => "OTHER",
        }
    }
}

/// `episodes.discharged_to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DischargedTo {
    Home,
    HomeWithServices,
    NursingHome,
    OtherInstitution,
    Dead,
    Other,
}

impl DischargedTo {
    pub(crate) fn code(self) -> &'static str {
        match self {
            DischargedTo::Home => "HOME",
            DischargedTo::HomeWithServices => "HOME_WITH_SERVICES",
            DischargedTo::NursingHome => "NURSING_HOME",
            DischargedTo::OtherInstitution => "OTHER_INSTITUTION",
            DischargedTo::Dead => "DEAD",
            DischargedTo::Other => "OTHER",
        }
    }
}

/// `episodes.unit`: free text in the spec. Names with ø test the encodings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    /// Psychiatric emergency unit (psykiatrisk akuttmottak).
    Pam,
    AcuteWard,
    General,
    Secure,
    Dps,
    OldAge,
    DpsOutpatient,
    Ambulant,
    TsbInpatient,
    TsbOutpatient,
    Medical,
    Surgical,
    Orthopaedic,
    Geriatric,
}

impl Unit {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Unit::Pam => "PAM",
            Unit::AcuteWard => "Akuttpost",
            Unit::General => "Allmennpsykiatrisk døgn",
            Unit::Secure => "Sikkerhetsavdeling",
            Unit::Dps => "DPS døgn",
            Unit::OldAge => "Alderspsykiatrisk døgn",
            Unit::DpsOutpatient => "DPS poliklinikk",
            Unit::Ambulant => "Ambulant akutteam",
            Unit::TsbInpatient => "Rusbehandling døgn",
            Unit::TsbOutpatient => "Ruspoliklinikk",
            Unit::Medical => "Medisinsk avdeling",
            Unit::Surgical => "Kirurgisk avdeling",
            Unit::Orthopaedic => "Ortopedisk avdeling",
            Unit::Geriatric => "Geriatrisk avdeling",
        }
    }
}

/// `persons.sex`; unknown is `None`, written empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sex {
    Male,
    Female,
}

/// ICD-10 codes, written with a dot in the canonical format and without in the NPR format.
/// Index 0 is unused (so that the indices in the comments and in [`Dx`] read as written); the
/// ranges below are the groups of indicators.md §1.
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

/// An ICD-10 code: an index into [`DX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Dx(u8);

impl Dx {
    pub(crate) fn code(self) -> &'static str {
        DX[self.0 as usize]
    }
}

/// A run of consecutive codes in [`DX`]: `count` codes from index `first`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DxRange {
    first: u8,
    count: u8,
}

impl DxRange {
    const fn new(first: u8, count: u8) -> DxRange {
        DxRange { first, count }
    }

    /// Number of codes, for a uniform draw of [`DxRange::nth`].
    pub(crate) fn len(self) -> u32 {
        u32::from(self.count)
    }

    /// The `k`-th code of the range (`k` < [`DxRange::len`]).
    pub(crate) fn nth(self, k: u32) -> Dx {
        Dx(self.first + k as u8)
    }

    pub(crate) fn contains(self, dx: Dx) -> bool {
        dx.0 >= self.first && dx.0 < self.first + self.count
    }
}

/// The SMI groups of indicators.md §1, in the order of their code ranges in [`DX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SmiGroup {
    Schizophrenia,
    Bipolar,
    Depression,
    Personality,
}

impl SmiGroup {
    pub(crate) const ALL: [SmiGroup; 4] = [
        SmiGroup::Schizophrenia,
        SmiGroup::Bipolar,
        SmiGroup::Depression,
        SmiGroup::Personality,
    ];

    /// Position in [`SmiGroup::ALL`], for per-group tables.
    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// The group's codes in [`DX`].
    pub(crate) fn codes(self) -> DxRange {
        match self {
            SmiGroup::Schizophrenia => DxRange::new(1, 8),
            SmiGroup::Bipolar => DxRange::new(9, 6),
            SmiGroup::Depression => DxRange::new(15, 8),
            SmiGroup::Personality => DxRange::new(23, 7),
        }
    }
}

pub(crate) const DX_SUBSTANCE: DxRange = DxRange::new(30, 7);
pub(crate) const DX_OTHER_MENTAL: DxRange = DxRange::new(37, 10);
pub(crate) const DX_SOMATIC: DxRange = DxRange::new(50, 16);
pub(crate) const DX_AVT_SOM: DxRange = DxRange::new(66, 8);
/// Child and adolescent PHV main diagnoses: F32.1, F90.0, F43.2, F50.0, F93.8, F84.5, F91.3.
pub(crate) const DX_CHILD: [Dx; 7] = [Dx(16), Dx(42), Dx(40), Dx(44), Dx(47), Dx(48), Dx(49)];
/// Main diagnoses of frail patients' stays: S72.0, I50.9, N39.0, J18.9, I63.9 from the somatic
/// range and the four codes of the frail range.
pub(crate) const DX_FRAIL: [Dx; 9] = [
    Dx(53),
    Dx(54),
    Dx(55),
    Dx(56),
    Dx(59),
    Dx(74),
    Dx(75),
    Dx(76),
    Dx(77),
];

/// Which SMI group a code is in.
pub(crate) fn dx_group(dx: Dx) -> Option<SmiGroup> {
    SmiGroup::ALL.into_iter().find(|g| g.codes().contains(dx))
}

pub(crate) fn dx_is_substance(dx: Dx) -> bool {
    DX_SUBSTANCE.contains(dx)
}

/// Municipal service codes, in the generator's order (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum ServiceCode {
    HomeHealth,
    PracticalHelp,
    SupportContact,
    PracticalTraining,
    Housing,
    DayActivity,
    Meals,
    LongTermStay,
    ShortStayTreatment,
    ShortStayOther,
    IndividualPlan,
    Coordinator,
    NutritionAssessment,
    MedicationReview,
    WelfareTech,
}

impl ServiceCode {
    /// Every service, in the generator's order; per-service tables are indexed by `s as usize`.
    pub(crate) const ALL: [ServiceCode; 15] = [
        ServiceCode::HomeHealth,
        ServiceCode::PracticalHelp,
        ServiceCode::SupportContact,
        ServiceCode::PracticalTraining,
        ServiceCode::Housing,
        ServiceCode::DayActivity,
        ServiceCode::Meals,
        ServiceCode::LongTermStay,
        ServiceCode::ShortStayTreatment,
        ServiceCode::ShortStayOther,
        ServiceCode::IndividualPlan,
        ServiceCode::Coordinator,
        ServiceCode::NutritionAssessment,
        ServiceCode::MedicationReview,
        ServiceCode::WelfareTech,
    ];

    /// The first ten: the care services with an IPLOS number (home health … short stay other),
    /// the seed's list of decision-bound services.
    pub(crate) const CARE: &[ServiceCode] = ServiceCode::ALL.split_at(10).0;

    /// The first twelve: [`ServiceCode::CARE`], the individual plan and the coordinator, every
    /// service recorded as a period with a decision.
    pub(crate) const WITH_DECISION: &[ServiceCode] = ServiceCode::ALL.split_at(12).0;

    /// Canonical name and IPLOS number where the default mapping of choices.md has one (the
    /// Norwegian format writes the number).
    pub(crate) fn codes(self) -> (&'static str, Option<&'static str>) {
        match self {
            ServiceCode::HomeHealth => ("HOME_HEALTH", Some("15")),
            ServiceCode::PracticalHelp => ("PRACTICAL_HELP", Some("1")),
            ServiceCode::SupportContact => ("SUPPORT_CONTACT", Some("9")),
            ServiceCode::PracticalTraining => ("PRACTICAL_TRAINING", Some("2")),
            ServiceCode::Housing => ("HOUSING", Some("29")),
            ServiceCode::DayActivity => ("DAY_ACTIVITY", None),
            ServiceCode::Meals => ("MEALS", None),
            ServiceCode::LongTermStay => ("LONG_TERM_STAY", Some("21")),
            ServiceCode::ShortStayTreatment => ("SHORT_STAY_TREATMENT", Some("18")),
            ServiceCode::ShortStayOther => ("SHORT_STAY_OTHER", Some("20")),
            ServiceCode::IndividualPlan => ("INDIVIDUAL_PLAN", None),
            ServiceCode::Coordinator => ("COORDINATOR", None),
            ServiceCode::NutritionAssessment => ("NUTRITION_ASSESSMENT", None),
            ServiceCode::MedicationReview => ("MEDICATION_REVIEW", None),
            ServiceCode::WelfareTech => ("WELFARE_TECH", None),
        }
    }

    /// Recorded as a one-day event (an assessment or a review), not as a period.
    pub(crate) fn is_event(self) -> bool {
        matches!(
            self,
            ServiceCode::NutritionAssessment | ServiceCode::MedicationReview
        )
    }

    /// Needs an individual decision (vedtak); welfare technology does not.
    pub(crate) fn is_decision_bound(self) -> bool {
        self != ServiceCode::WelfareTech
    }
}

/// `primary_care.provider`. The order is the row sort order within a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Provider {
    Gp,
    OutOfHours,
}

/// `primary_care.contact_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ContactType {
    Consultation,
    HomeVisit,
    Phone,
    EConsultation,
    Other,
}

impl ContactType {
    pub(crate) fn code(self) -> &'static str {
        match self {
            ContactType::Consultation => "CONSULTATION",
            ContactType::HomeVisit => "HOME_VISIT",
            ContactType::Phone => "PHONE",
            ContactType::EConsultation => "E_CONSULTATION",
            ContactType::Other => "OTHER",
        }
    }
}

/// `primary_care.tariffs`. Only codes of the data-format spec's lookup are written, and never two
/// contact kinds in one row, so a reader deriving the contact type from them has one answer.
const TARIFFS: [&str; 14] = [
    "", "2ad", "2ak", "2ed", "2fk", "2ad 615", "2ae", "2aek", "2aef", "11ad", "11ak", "14",
    "2ad 14", "2ae 14",
];

/// The tariff codes of one `primary_care` row: an index into [`TARIFFS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tariffs(u8);

impl Tariffs {
    /// As written (empty for [`T_NONE`]).
    pub(crate) fn code(self) -> &'static str {
        TARIFFS[self.0 as usize]
    }
}

/// No tariff (telephone contacts and other rows without a fee code).
pub(crate) const T_NONE: Tariffs = Tariffs(0);
/// Consultation: 2ad, 2ak, 2ed, 2fk, 2ad 615.
pub(crate) const T_CONSULTATION: [Tariffs; 5] =
    [Tariffs(1), Tariffs(2), Tariffs(3), Tariffs(4), Tariffs(5)];
/// E-consultation: 2ae, 2aek, 2aef.
pub(crate) const T_E_CONSULTATION: [Tariffs; 3] = [Tariffs(6), Tariffs(7), Tariffs(8)];
/// Home visit: 11ad, 11ak.
pub(crate) const T_HOME_VISIT: [Tariffs; 2] = [Tariffs(9), Tariffs(10)];
/// Interdisciplinary meeting: 14.
pub(crate) const T_MEETING: Tariffs = Tariffs(11);
/// Consultation with an interdisciplinary meeting: 2ad 14.
pub(crate) const T_CONSULTATION_MEETING: Tariffs = Tariffs(12);
/// E-consultation with an interdisciplinary meeting: 2ae 14.
pub(crate) const T_E_CONSULTATION_MEETING: Tariffs = Tariffs(13);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_lists_name_what_they_say() {
        let codes = |dx: &[Dx]| dx.iter().map(|d| d.code()).collect::<Vec<_>>();
        assert_eq!(
            codes(&DX_CHILD),
            ["F32.1", "F90.0", "F43.2", "F50.0", "F93.8", "F84.5", "F91.3"]
        );
        assert_eq!(
            codes(&DX_FRAIL),
            ["S72.0", "I50.9", "N39.0", "J18.9", "I63.9", "J44.1", "R26.8", "E86", "N17.9"]
        );
        let first = |r: DxRange| r.nth(0).code();
        let last = |r: DxRange| r.nth(r.len() - 1).code();
        let groups = SmiGroup::ALL.map(|g| (first(g.codes()), last(g.codes())));
        assert_eq!(
            groups,
            [
                ("F20.0", "F25.9"),
                ("F31.0", "F30.1"),
                ("F32.0", "F33.9"),
                ("F60.2", "F63.8")
            ]
        );
        assert_eq!(
            (first(DX_SUBSTANCE), last(DX_SUBSTANCE)),
            ("F10.2", "F13.2")
        );
        assert_eq!(
            (first(DX_OTHER_MENTAL), last(DX_OTHER_MENTAL)),
            ("F41.1", "F45.1")
        );
        assert_eq!((first(DX_SOMATIC), last(DX_SOMATIC)), ("I10", "G40.9"));
        assert_eq!((first(DX_AVT_SOM), last(DX_AVT_SOM)), ("H52.1", "L20.9"));
        assert_eq!(
            ServiceCode::ALL.map(|s| s as usize),
            std::array::from_fn(|i| i)
        );
        let tariffs = |t: &[Tariffs]| t.iter().map(|t| t.code()).collect::<Vec<_>>();
        assert_eq!(
            tariffs(&T_CONSULTATION),
            ["2ad", "2ak", "2ed", "2fk", "2ad 615"]
        );
        assert_eq!(tariffs(&T_E_CONSULTATION), ["2ae", "2aek", "2aef"]);
        assert_eq!(tariffs(&T_HOME_VISIT), ["11ad", "11ak"]);
        assert_eq!(
            tariffs(&[
                T_NONE,
                T_MEETING,
                T_CONSULTATION_MEETING,
                T_E_CONSULTATION_MEETING
            ]),
            ["", "14", "2ad 14", "2ae 14"]
        );
        assert_eq!(ServiceCode::CARE.last(), Some(&ServiceCode::ShortStayOther));
        assert_eq!(
            ServiceCode::WITH_DECISION.last(),
            Some(&ServiceCode::Coordinator)
        );
    }
}
