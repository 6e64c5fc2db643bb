//! The canonical tables of `spec/data-format.md`, as typed rows.
//!
//! Ingest (stage 2) produces these; nothing after ingest compares code strings or parses dates.
//! Persons are interned: every other table refers to a person by [`PersonIdx`], the position of
//! the person in [`Tables::persons`], so that millions of rows carry 4 bytes of identity each.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;

/// Index of a person in [`Tables::persons`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PersonIdx(pub u32);

/// A 4-digit Norwegian municipality code (kommunenummer), kept as a number; `0301` is `Municipality(301)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Municipality(pub u16);

impl fmt::Display for Municipality {
    /// Always four digits, so Oslo prints as `0301`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.0)
    }
}

/// The canonical tables. All but `persons` are optional: an indicator whose table is absent is
/// reported as unavailable, never computed as zero.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tables {
    /// One row per person; the pseudonymous id is [`Person::pid`].
    pub persons: Vec<Person>,
    /// Specialist care (NPR), `None` when no episodes file was given.
    pub episodes: Option<Vec<Episode>>,
    /// KPR/IPLOS service periods.
    pub municipal_services: Option<Vec<MunicipalService>>,
    /// KUHR claims from GPs and out-of-hours services.
    pub primary_care: Option<Vec<PrimaryCareContact>>,
    /// SSB population.
    pub population: Option<Vec<PopulationRow>>,
    /// Municipality → health community → region.
    pub areas: Option<Vec<AreaRow>>,
    /// The distinct unit names of [`Episode::unit`], each once (ingest interns them: a name
    /// per row would be a heap allocation per row).
    pub units: Vec<String>,
    /// Tables that were given but cannot be used (not recognisable as the table, a required
    /// column missing, every row rejected, two files for one kind): their field above is `None`,
    /// and the analysis names this issue as the reason their indicators are unavailable, exactly
    /// as for a table not given — never computed as zero.
    pub unusable: Vec<UnusableTable>,
}

/// A table given but not usable, and the header-level issue that says why.
#[derive(Debug, Clone, PartialEq)]
pub struct UnusableTable {
    /// The table kind the file was meant to be.
    pub kind: TableKind,
    /// Why it cannot be used (file, line, bilingual message).
    pub issue: crate::quality::Issue,
}

impl Tables {
    /// Map from pseudonymous id to index, built on demand (ingest keeps its own while reading).
    pub fn person_index(&self) -> HashMap<&str, PersonIdx> {
        self.persons
            .iter()
            .enumerate()
            .map(|(i, p)| (p.pid.as_str(), PersonIdx(i as u32)))
            .collect()
    }

    /// The name of an episode's unit ([`Episode::unit`]); empty for an id not in [`Tables::units`].
    pub fn unit_name(&self, id: UnitId) -> &str {
        self.units.get(id.index()).map_or("", String::as_str)
    }

    /// The id of unit `name`, added to [`Tables::units`] when new (for building tables by hand;
    /// ingest interns with a hash map of its own).
    pub fn intern_unit(&mut self, name: &str) -> UnitId {
        let i = match self.units.iter().position(|u| u == name) {
            Some(i) => i,
            None => {
                self.units.push(name.to_string());
                self.units.len() - 1
            }
        };
        UnitId::new(i)
    }

    /// Which of `needed` were not supplied (or not usable), in [`TableKind::ALL`] order: what
    /// makes a module or an indicator unavailable.
    pub fn missing(&self, needed: &[TableKind]) -> Vec<TableKind> {
        TableKind::ALL
            .into_iter()
            .filter(|t| needed.contains(t) && !self.has(*t))
            .collect()
    }

    /// Whether the given table was supplied.
    pub fn has(&self, table: TableKind) -> bool {
        match table {
            TableKind::Persons => true,
            TableKind::Episodes => self.episodes.is_some(),
            TableKind::MunicipalServices => self.municipal_services.is_some(),
            TableKind::PrimaryCare => self.primary_care.is_some(),
            TableKind::Population => self.population.is_some(),
            TableKind::Areas => self.areas.is_some(),
        }
    }
}

/// The kinds of canonical table (the survey table comes with the survey module).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    /// `persons` (personer)
    Persons,
    /// `episodes` (opphold)
    Episodes,
    /// `municipal_services` (kommunale_tjenester)
    MunicipalServices,
    /// `primary_care` (primaerhelse)
    PrimaryCare,
    /// `population` (befolkning)
    Population,
    /// `areas` (geografi)
    Areas,
}

impl TableKind {
    /// Every kind, in the order they are read (persons first: the others refer to it).
    pub const ALL: [TableKind; 6] = [
        TableKind::Persons,
        TableKind::Areas,
        TableKind::Population,
        TableKind::Episodes,
        TableKind::MunicipalServices,
        TableKind::PrimaryCare,
    ];

    /// The canonical file stem, e.g. `episodes`.
    pub fn canonical_name(self) -> &'static str {
        match self {
            TableKind::Persons => "persons",
            TableKind::Episodes => "episodes",
            TableKind::MunicipalServices => "municipal_services",
            TableKind::PrimaryCare => "primary_care",
            TableKind::Population => "population",
            TableKind::Areas => "areas",
        }
    }

    /// The Norwegian name used in the spec, e.g. `opphold`.
    pub fn norwegian_name(self) -> &'static str {
        match self {
            TableKind::Persons => "personer",
            TableKind::Episodes => "opphold",
            TableKind::MunicipalServices => "kommunale_tjenester",
            TableKind::PrimaryCare => "primaerhelse",
            TableKind::Population => "befolkning",
            TableKind::Areas => "geografi",
        }
    }
}

/// Sex as registered; NPR 0/9 and empty cells become `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Sex {
    /// M, mann, NPR 1
    Male,
    /// K, kvinne, NPR 2
    Female,
}

/// One row of `persons`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// Pseudonymous id, unique in the file.
    pub pid: String,
    /// Year of birth, when given.
    pub birth_year: Option<i32>,
    /// Age at 31 December of the analysis year; used only when `birth_year` is absent.
    pub age: Option<u8>,
    /// Sex, when known.
    pub sex: Option<Sex>,
    /// Municipality of residence; `None` = counted nationally but in no area.
    pub municipality: Option<Municipality>,
    /// Date of death, when known.
    pub death_date: Option<NaiveDate>,
}

impl Person {
    /// Age reached during `year` (year − birth_year), or the `age` column when there is no birth year.
    pub fn age_in(&self, year: i32) -> Option<i32> {
        match (self.birth_year, self.age) {
            (Some(b), _) => Some(year - b),
            (None, Some(a)) => Some(i32::from(a)),
            (None, None) => None,
        }
    }
}

/// Service area of an episode (`sector`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Sector {
    /// Mental health care for adults (psykisk helsevern).
    Phv,
    /// Substance-use treatment (TSB).
    Tsb,
    /// Somatic hospital.
    Som,
    /// Private contract specialist in psychiatry/psychology.
    AvtPhv,
    /// Private contract specialist in somatics.
    AvtSom,
}

/// Care level (`care_level`, NPR omsorgsnivå).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum CareLevel {
    /// Inpatient stay (NPR 1).
    Dogn,
    /// Day treatment (NPR 2).
    Dag,
    /// Outpatient contact (NPR 3).
    Pol,
    /// Outpatient contact for an inpatient (NPR 8): read and kept, counted in no indicator.
    PolForInpatient,
}

/// Urgency of an admission (NPR innmateHast 1–3 = acute, 4–5 = planned).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Urgency {
    /// Ø-hjelp.
    Acute,
    /// Elective, or return transfer from another hospital.
    Planned,
}

/// How an outpatient contact took place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ContactMode {
    /// Face to face.
    InPerson,
    /// Video consultation.
    Video,
    /// Telephone.
    Phone,
}

/// Who referred or admitted the patient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ReferredBy {
    /// Regular GP (fastlege).
    Gp,
    /// Out-of-hours service (legevakt).
    OutOfHours,
    /// Another specialist.
    Specialist,
    /// Anyone else.
    Other,
}

/// Where the patient was discharged to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum DischargedTo {
    /// Home.
    Home,
    /// Home with municipal services.
    HomeWithServices,
    /// Nursing home.
    NursingHome,
    /// Another institution.
    OtherInstitution,
    /// Died.
    Dead,
    /// Anything else.
    Other,
}

/// An ICD-10 code normalised once at ingest: upper case, no dot, no spaces (`F20.0` → `F200`).
/// Stored inline (at most 7 bytes) so that millions of diagnoses allocate nothing.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Icd10 {
    bytes: [u8; 7],
    /// 3 to 7 (never zero: `Option<Icd10>` is 8 bytes too).
    len: std::num::NonZeroU8,
}

impl Icd10 {
    /// Normalises `raw`; `None` when nothing code-like is left or it is longer than 7 characters.
    pub fn parse(raw: &str) -> Option<Icd10> {
        let mut bytes = [0u8; 7];
        let mut len = 0usize;
        for c in raw.chars() {
            if c == '.' || c.is_whitespace() {
                continue;
            }
            if !c.is_ascii_alphanumeric() || len == 7 {
                return None;
            }
            bytes[len] = c.to_ascii_uppercase() as u8;
            len += 1;
        }
        if len < 3 || !bytes[0].is_ascii_alphabetic() {
            return None;
        }
        Some(Icd10 {
            bytes,
            len: std::num::NonZeroU8::new(len as u8)?,
        })
    }

    /// The normalised code, e.g. `F200`.
    pub fn as_str(&self) -> &str {
        // Only ASCII alphanumerics are ever stored.
        std::str::from_utf8(&self.bytes[..usize::from(self.len.get())]).unwrap_or("")
    }

    /// The normalised code's bytes (ASCII letters and digits), without [`Icd10::as_str`]'s
    /// UTF-8 check: for loops over every diagnosis.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len.get())]
    }

    /// Prefix match after normalisation: `F20` matches `F20`, `F200`, `F20.9`.
    pub fn starts_with(&self, prefix: &str) -> bool {
        self.as_str().starts_with(prefix)
    }
}

/// As its normalised text; read back through [`Icd10::parse`], so bytes that are not a code are
/// refused rather than trusted.
impl Serialize for Icd10 {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Icd10 {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Code;
        impl serde::de::Visitor<'_> for Code {
            type Value = Icd10;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an ICD-10 code")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Icd10, E> {
                Icd10::parse(v).ok_or_else(|| E::custom("not an ICD-10 code"))
            }
        }
        d.deserialize_str(Code)
    }
}

impl fmt::Debug for Icd10 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Icd10({})", self.as_str())
    }
}

impl fmt::Display for Icd10 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An episode's unit: the position of its name in [`Tables::units`] (4 bytes a row, and
/// `Option<UnitId>` too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct UnitId(std::num::NonZeroU32);

impl UnitId {
    /// The id of the name at `index` in [`Tables::units`] (indexes from `u32::MAX - 1` on are
    /// clamped; no extract has that many distinct units).
    pub fn new(index: usize) -> UnitId {
        let n = u32::try_from(index).map_or(u32::MAX, |i| i.saturating_add(1));
        UnitId(std::num::NonZeroU32::new(n).unwrap_or(std::num::NonZeroU32::MAX))
    }

    /// The position in [`Tables::units`].
    pub fn index(self) -> usize {
        (self.0.get() - 1) as usize
    }
}

/// An episode's other diagnoses: one pointer wide, and no allocation for the many rows that
/// have none. Read them with [`Diagnoses::iter`] or [`Diagnoses::as_slice`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
// A shared Vec on purpose: 8 bytes in every row (a Vec or a boxed slice is 16-24), no
// allocation for the rows without other diagnoses, and one list shared by every row that
// has the same codes (the reader interns them: a few hundred distinct lists in millions of
// rows). Compared by content.
pub struct Diagnoses(Option<std::sync::Arc<Vec<Icd10>>>);

impl Serialize for Diagnoses {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.as_slice().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Diagnoses {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let codes = Vec::<Icd10>::deserialize(d)?;
        Ok(Diagnoses::shared(std::sync::Arc::new(codes)))
    }
}

impl Diagnoses {
    /// The codes, in the order written.
    pub fn as_slice(&self) -> &[Icd10] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }

    /// The codes, in the order written.
    pub fn iter(&self) -> std::slice::Iter<'_, Icd10> {
        self.as_slice().iter()
    }

    /// How many codes.
    pub fn len(&self) -> usize {
        self.as_slice().len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// Adds a code after the others.
    pub fn push(&mut self, code: Icd10) {
        let list = self
            .0
            .get_or_insert_with(|| std::sync::Arc::new(Vec::with_capacity(1)));
        std::sync::Arc::make_mut(list).push(code);
    }

    /// The codes of a list shared with other rows (`None` for an empty list).
    pub(crate) fn shared(list: std::sync::Arc<Vec<Icd10>>) -> Diagnoses {
        Diagnoses((!list.is_empty()).then_some(list))
    }
}

impl FromIterator<Icd10> for Diagnoses {
    fn from_iter<I: IntoIterator<Item = Icd10>>(iter: I) -> Self {
        let mut d = Diagnoses::default();
        for c in iter {
            d.push(c);
        }
        d
    }
}

impl<'a> IntoIterator for &'a Diagnoses {
    type Item = &'a Icd10;
    type IntoIter = std::slice::Iter<'a, Icd10>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// One row of `episodes`: a stay or a contact in specialist care.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Episode {
    /// The person.
    pub person: PersonIdx,
    /// Service area.
    pub sector: Sector,
    /// Inpatient, day or outpatient.
    pub care_level: CareLevel,
    /// Admission or contact date.
    #[serde(with = "compact::date")]
    pub admit_date: NaiveDate,
    /// Admission time, when given (needed for "outside office hours").
    #[serde(with = "compact::opt_time")]
    pub admit_time: Option<NaiveTime>,
    /// Discharge date. `None` for a DOGN row = still admitted at extract date. Ingest sets
    /// POL/DAG rows without one to `admit_date`.
    #[serde(with = "compact::opt_date")]
    pub discharge_date: Option<NaiveDate>,
    /// Acute or planned; required for DOGN.
    pub urgency: Option<Urgency>,
    /// Main diagnosis (hovedtilstand).
    pub main_diagnosis: Option<Icd10>,
    /// Other diagnoses (bitilstander).
    pub other_diagnoses: Diagnoses,
    /// Unit (enhet), its name in [`Tables::units`] ([`Tables::unit_name`]); which names mark
    /// the psychiatric emergency unit is a setting.
    pub unit: Option<UnitId>,
    /// Ambulant (outreach) contact.
    pub ambulant: Option<bool>,
    /// In person, video or phone.
    pub contact_mode: Option<ContactMode>,
    /// Date declared ready for discharge (utskrivningsklar).
    #[serde(with = "compact::opt_date")]
    pub ready_date: Option<NaiveDate>,
    /// Date the discharge letter (epikrise) was sent.
    #[serde(with = "compact::opt_date")]
    pub letter_date: Option<NaiveDate>,
    /// Who referred.
    pub referred_by: Option<ReferredBy>,
    /// Discharge destination.
    pub discharged_to: Option<DischargedTo>,
}

impl Episode {
    /// Main and other diagnoses together.
    pub fn diagnoses(&self) -> impl Iterator<Item = &Icd10> {
        self.main_diagnosis
            .iter()
            .chain(self.other_diagnoses.iter())
    }
}

/// Municipal service codes (canonical); IPLOS numbers are mapped to these at ingest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ServiceCode {
    /// helsetjenester i hjemmet (IPLOS 15)
    HomeHealth,
    /// praktisk bistand – daglige gjøremål (IPLOS 1, 3)
    PracticalHelp,
    /// praktisk bistand – opplæring – daglige gjøremål (IPLOS 2)
    PracticalTraining,
    /// støttekontakt (IPLOS 9)
    SupportContact,
    /// bolig som kommunen disponerer for helse- og omsorgsformål (IPLOS 29)
    Housing,
    /// dagaktivitetstilbud (IPLOS 4)
    DayActivity,
    /// matombringing (IPLOS 5)
    Meals,
    /// langtidsopphold i institusjon (IPLOS 21)
    LongTermStay,
    /// tidsbegrenset opphold – utredning/behandling (IPLOS 18, 19)
    ShortStayTreatment,
    /// tidsbegrenset opphold – annet (IPLOS 20)
    ShortStayOther,
    /// individuell plan
    IndividualPlan,
    /// koordinator
    Coordinator,
    /// ernæringskartlegging
    NutritionAssessment,
    /// legemiddelgjennomgang
    MedicationReview,
    /// velferdsteknologi (trygghetsalarm and similar): not decision-bound
    WelfareTech,
}

impl ServiceCode {
    /// Every code, in the spec's order.
    pub const ALL: [ServiceCode; 15] = [
        ServiceCode::HomeHealth,
        ServiceCode::PracticalHelp,
        ServiceCode::PracticalTraining,
        ServiceCode::SupportContact,
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

    /// The canonical code as written in files and indicator ids, e.g. `HOME_HEALTH`.
    pub fn code(self) -> &'static str {
        match self {
            ServiceCode::HomeHealth => "HOME_HEALTH",
            ServiceCode::PracticalHelp => "PRACTICAL_HELP",
            ServiceCode::PracticalTraining => "PRACTICAL_TRAINING",
            ServiceCode::SupportContact => "SUPPORT_CONTACT",
            ServiceCode::Housing => "HOUSING",
            ServiceCode::DayActivity => "DAY_ACTIVITY",
            ServiceCode::Meals => "MEALS",
            ServiceCode::LongTermStay => "LONG_TERM_STAY",
            ServiceCode::ShortStayTreatment => "SHORT_STAY_TREATMENT",
            ServiceCode::ShortStayOther => "SHORT_STAY_OTHER",
            ServiceCode::IndividualPlan => "INDIVIDUAL_PLAN",
            ServiceCode::Coordinator => "COORDINATOR",
            ServiceCode::NutritionAssessment => "NUTRITION_ASSESSMENT",
            ServiceCode::MedicationReview => "MEDICATION_REVIEW",
            ServiceCode::WelfareTech => "WELFARE_TECH",
        }
    }

    /// Norwegian label from the spec.
    pub fn label_nb(self) -> &'static str {
        match self {
            ServiceCode::HomeHealth => "helsetjenester i hjemmet",
            ServiceCode::PracticalHelp => "praktisk bistand – daglige gjøremål",
            ServiceCode::PracticalTraining => "praktisk bistand – opplæring – daglige gjøremål",
            ServiceCode::SupportContact => "støttekontakt",
            ServiceCode::Housing => "bolig som kommunen disponerer for helse- og omsorgsformål",
            ServiceCode::DayActivity => "dagaktivitetstilbud",
            ServiceCode::Meals => "matombringing",
            ServiceCode::LongTermStay => "langtidsopphold i institusjon",
            ServiceCode::ShortStayTreatment => "tidsbegrenset opphold – utredning/behandling",
            ServiceCode::ShortStayOther => "tidsbegrenset opphold – annet",
            ServiceCode::IndividualPlan => "individuell plan",
            ServiceCode::Coordinator => "koordinator",
            ServiceCode::NutritionAssessment => "ernæringskartlegging",
            ServiceCode::MedicationReview => "legemiddelgjennomgang",
            ServiceCode::WelfareTech => "velferdsteknologi",
        }
    }

    /// English label.
    pub fn label_en(self) -> &'static str {
        match self {
            ServiceCode::HomeHealth => "home health care",
            ServiceCode::PracticalHelp => "practical assistance – daily tasks",
            ServiceCode::PracticalTraining => "practical assistance – training in daily tasks",
            ServiceCode::SupportContact => "support contact",
            ServiceCode::Housing => "municipal housing for health and care purposes",
            ServiceCode::DayActivity => "day activity",
            ServiceCode::Meals => "meals on wheels",
            ServiceCode::LongTermStay => "long-term stay in an institution",
            ServiceCode::ShortStayTreatment => "short-term stay – assessment/treatment",
            ServiceCode::ShortStayOther => "short-term stay – other",
            ServiceCode::IndividualPlan => "individual plan",
            ServiceCode::Coordinator => "coordinator",
            ServiceCode::NutritionAssessment => "nutrition assessment",
            ServiceCode::MedicationReview => "medication review",
            ServiceCode::WelfareTech => "welfare technology",
        }
    }

    /// Whether the service needs an individual decision (vedtak). Welfare technology does not,
    /// and is left out of "any decision-bound municipal service".
    pub fn is_decision_bound(self) -> bool {
        self != ServiceCode::WelfareTech
    }
}

/// One row of `municipal_services`: a service period or decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MunicipalService {
    /// The person.
    pub person: PersonIdx,
    /// Which service.
    pub service: ServiceCode,
    /// Date of the decision (vedtak).
    #[serde(with = "compact::opt_date")]
    pub decision_date: Option<NaiveDate>,
    /// First day of the period.
    #[serde(with = "compact::date")]
    pub start_date: NaiveDate,
    /// Last day; `None` = ongoing.
    #[serde(with = "compact::opt_date")]
    pub end_date: Option<NaiveDate>,
}

/// Primary-care provider type (KUHR praksistype 62–64 = GP, 65–66 = out-of-hours).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Provider {
    /// Regular GP (fastlege).
    Gp,
    /// Out-of-hours service (legevakt).
    OutOfHours,
}

/// Kind of primary-care contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ContactType {
    /// Consultation at the office.
    Consultation,
    /// Home visit (sykebesøk).
    HomeVisit,
    /// Telephone.
    Phone,
    /// E-consultation.
    EConsultation,
    /// Anything else.
    Other,
}

impl ContactType {
    /// A "consultation" is CONSULTATION or HOME_VISIT.
    pub fn is_consultation(self) -> bool {
        matches!(self, ContactType::Consultation | ContactType::HomeVisit)
    }
}

/// One row of `primary_care`: a KUHR claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrimaryCareContact {
    /// The person.
    pub person: PersonIdx,
    /// Contact date.
    #[serde(with = "compact::date")]
    pub date: NaiveDate,
    /// GP or out-of-hours.
    pub provider: Provider,
    /// Kind of contact (given, or derived from the tariffs).
    pub contact_type: ContactType,
    /// Interdisciplinary-cooperation tariff claimed (given, or derived from tariff 14).
    pub interdisciplinary: bool,
}

/// Age of a population row: one year of age, a band, or absent (all ages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AgeSpec {
    /// One age, e.g. `34`.
    Exact(u8),
    /// A band `18-24` (both inclusive).
    Band(u8, u8),
    /// An open band `67+`.
    AtLeast(u8),
}

impl AgeSpec {
    /// Whether everyone in this band is 18 or older. A band that straddles 18 (e.g. `16-19`)
    /// is not counted as adult; ingest reports such bands.
    pub fn is_adult(self) -> bool {
        match self {
            AgeSpec::Exact(a) | AgeSpec::Band(a, _) | AgeSpec::AtLeast(a) => a >= 18,
        }
    }
}

/// One row of `population`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopulationRow {
    /// Municipality.
    pub municipality: Municipality,
    /// Year.
    pub year: i32,
    /// Sex, when the table is split by sex.
    pub sex: Option<Sex>,
    /// Age, when the table is split by age.
    pub age: Option<AgeSpec>,
    /// Number of inhabitants.
    pub count: u64,
}

/// One row of `areas`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaRow {
    /// Municipality code.
    pub municipality: Municipality,
    /// Municipality name, when given.
    pub municipality_name: Option<String>,
    /// Health community (helsefellesskap), exactly as written.
    pub health_community: String,
    /// Health region, exactly as written.
    pub region: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icd10_is_normalised_and_matches_by_prefix() {
        let a = Icd10::parse("f20.0").unwrap();
        assert_eq!(a.as_str(), "F200");
        assert!(a.starts_with("F20"));
        assert!(!a.starts_with("F21"));
        assert_eq!(Icd10::parse("F20.9").unwrap().as_str(), "F209");
        assert_eq!(Icd10::parse("F25"), Icd10::parse("F 25"));
        assert!(Icd10::parse("").is_none());
        assert!(Icd10::parse("12").is_none());
        assert!(Icd10::parse("F2O-0").is_none());
    }

    #[test]
    fn municipality_prints_with_leading_zero() {
        assert_eq!(Municipality(301).to_string(), "0301");
        assert_eq!(Municipality(4601).to_string(), "4601");
    }

    #[test]
    fn age_prefers_birth_year() {
        let p = Person {
            pid: "p".into(),
            birth_year: Some(2003),
            age: Some(99),
            sex: None,
            municipality: None,
            death_date: None,
        };
        assert_eq!(p.age_in(2021), Some(18));
    }
}

/// Dates and times of the row types in binary forms as numbers (days from 1 January of year 1,
/// seconds and nanoseconds from midnight): the rows the browser's parse workers hand back
/// (`ingest::PieceSet`) are neither formatted nor parsed as text on the way.
mod compact {
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    fn day(n: i32) -> Option<chrono::NaiveDate> {
        chrono::NaiveDate::from_num_days_from_ce_opt(n)
    }

    pub(super) mod date {
        use super::*;
        use chrono::{Datelike, NaiveDate};
        pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_i32(d.num_days_from_ce())
        }
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
            day(i32::deserialize(d)?).ok_or_else(|| D::Error::custom("date out of range"))
        }
    }

    pub(super) mod opt_date {
        use super::*;
        use chrono::{Datelike, NaiveDate};
        pub fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
            d.map(|d| d.num_days_from_ce()).serialize(s)
        }
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
            match Option::<i32>::deserialize(d)? {
                Some(n) => day(n)
                    .map(Some)
                    .ok_or_else(|| D::Error::custom("date out of range")),
                None => Ok(None),
            }
        }
    }

    pub(super) mod opt_time {
        use super::*;
        use chrono::{NaiveTime, Timelike};
        pub fn serialize<S: Serializer>(t: &Option<NaiveTime>, s: S) -> Result<S::Ok, S::Error> {
            t.map(|t| (t.num_seconds_from_midnight(), t.nanosecond()))
                .serialize(s)
        }
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveTime>, D::Error> {
            match Option::<(u32, u32)>::deserialize(d)? {
                Some((secs, nanos)) => NaiveTime::from_num_seconds_from_midnight_opt(secs, nanos)
                    .map(Some)
                    .ok_or_else(|| D::Error::custom("time out of range")),
                None => Ok(None),
            }
        }
    }
}
