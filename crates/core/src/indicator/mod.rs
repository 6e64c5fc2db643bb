//! The indicator registry: one entry per indicator, read by the engine loop, the app's picker and
//! definitions panel, and the generated `docs/indicators.md`.
//!
//! An indicator is data: a numerator and an optional denominator, each a small [`Measure`], and a
//! [`Unit`]. One evaluator ([`eval`]) interprets every measure; there is no function per
//! indicator. The 15 `smi.service.<CODE>` entries are generated from [`ServiceCode::ALL`].

pub mod eval;

use crate::model::{ServiceCode, TableKind};
use crate::text::{Lang, Text};
use serde::Serialize;
use std::sync::OnceLock;

/// The product module an indicator belongs to (indicators.md §1–§4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Module {
    /// §1 Patients with serious mental illness (seed 000).
    Smi,
    /// §2 Patients ready for discharge (seed 002).
    Ready,
    /// §3 Revolving-door patients (seed 003).
    Door,
    /// §4 Pathways after discharge (seeds 000, 004).
    Pathways,
}

/// What the value of an indicator is measured in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A number of persons, stays or discharges (no denominator).
    Count,
    /// 100 × numerator / denominator.
    Percent,
    /// 1000 × numerator / denominator.
    Per1000,
    /// Days: a mean (numerator / denominator) or a median.
    Days,
    /// Contacts per person: numerator / denominator.
    Contacts,
    /// Consultations per person: numerator / denominator.
    Consultations,
}

impl Unit {
    /// The factor the ratio is multiplied by.
    pub fn factor(self) -> f64 {
        match self {
            Unit::Percent => 100.0,
            Unit::Per1000 => 1000.0,
            Unit::Count | Unit::Days | Unit::Contacts | Unit::Consultations => 1.0,
        }
    }

    /// The unit as shown next to a value.
    pub fn label(self) -> Text {
        match self {
            Unit::Count => Text {
                nb: "antall",
                en: "count",
            },
            Unit::Percent => Text {
                nb: "prosent",
                en: "percent",
            },
            Unit::Per1000 => Text {
                nb: "per 1 000 innbyggere",
                en: "per 1 000 inhabitants",
            },
            Unit::Days => Text {
                nb: "døgn",
                en: "days",
            },
            Unit::Contacts => Text {
                nb: "kontakter",
                en: "contacts",
            },
            Unit::Consultations => Text {
                nb: "konsultasjoner",
                en: "consultations",
            },
        }
    }
}

/// Something that happens to a cohort person in Y, counted per person (how many times).
/// `Persons(e)` counts persons with at least one, `Count(e)` adds the times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Event {
    /// A merged PHV DOGN stay overlapping Y.
    PhvStay,
    /// A merged PHV DOGN stay with urgency ACUTE and admit_date in Y.
    PhvAcuteAdmission,
    /// A merged PHV DOGN discharge that can be followed for readmission: discharged in
    /// 1 Jan … 31 Dec − (window + 1) days, person with a municipality (and not dead within the
    /// window, when that setting is on).
    ReadmissionIndex,
    /// A [`Event::ReadmissionIndex`] discharge followed by a new merged PHV DOGN admission
    /// 1 … window days later (ACUTE only, by default).
    Readmission,
    /// A PHV POL contact with admit_date in Y.
    PhvOutpatient,
    /// A PHV DOGN, DAG or POL row with ambulant = 1 and admit_date in Y.
    Ambulant,
    /// A merged PHV DOGN stay discharged in Y with a letter date.
    LetterDischarge,
    /// A [`Event::LetterDischarge`] with letter_date ≤ discharge_date + 1.
    LetterWithin1d,
    /// A [`Event::LetterDischarge`] with letter_date ≤ discharge_date + 7.
    LetterWithin7d,
    /// A TSB episode in Y.
    Tsb,
    /// A SOM episode in Y.
    Somatic,
    /// An AVT_PHV episode in Y.
    PrivatePsych,
    /// An AVT_SOM episode in Y.
    PrivateSomatic,
    /// An AVT_PHV or AVT_SOM contact with admit_date in Y.
    PrivateContact,
    /// A primary-care row with provider GP in Y.
    GpContact,
    /// A GP CONSULTATION or HOME_VISIT in Y.
    GpConsultation,
    /// An OUT_OF_HOURS row in Y.
    OohsContact,
    /// An OUT_OF_HOURS CONSULTATION or HOME_VISIT in Y.
    OohsConsultation,
    /// A GP HOME_VISIT in Y.
    GpHomeVisit,
    /// A primary-care row (any provider) with interdisciplinary = 1 in Y.
    Interdisciplinary,
    /// A municipal service period of this code overlapping Y.
    Service(ServiceCode),
    /// A decision-bound municipal service period overlapping Y.
    AnyMunicipalService,
}

/// Events other than [`Event::Service`], in index order.
const PLAIN_EVENTS: [Event; 21] = [
    Event::PhvStay,
    Event::PhvAcuteAdmission,
    Event::ReadmissionIndex,
    Event::Readmission,
    Event::PhvOutpatient,
    Event::Ambulant,
    Event::LetterDischarge,
    Event::LetterWithin1d,
    Event::LetterWithin7d,
    Event::Tsb,
    Event::Somatic,
    Event::PrivatePsych,
    Event::PrivateSomatic,
    Event::PrivateContact,
    Event::GpContact,
    Event::GpConsultation,
    Event::OohsContact,
    Event::OohsConsultation,
    Event::GpHomeVisit,
    Event::Interdisciplinary,
    Event::AnyMunicipalService,
];

/// Number of distinct events (the width of a person's fact row).
pub const EVENT_COUNT: usize = PLAIN_EVENTS.len() + ServiceCode::ALL.len();

impl Event {
    /// Position in a fact row, `0..EVENT_COUNT`.
    pub fn index(self) -> usize {
        match self {
            Event::Service(code) => {
                PLAIN_EVENTS.len()
                    + ServiceCode::ALL
                        .iter()
                        .position(|c| *c == code)
                        .unwrap_or(0)
            }
            e => PLAIN_EVENTS.iter().position(|p| *p == e).unwrap_or(0),
        }
    }

    /// The tables this event is read from.
    pub fn tables(self) -> &'static [TableKind] {
        match self {
            Event::ReadmissionIndex | Event::Readmission => {
                &[TableKind::Persons, TableKind::Episodes]
            }
            Event::PhvStay
            | Event::PhvAcuteAdmission
            | Event::PhvOutpatient
            | Event::Ambulant
            | Event::LetterDischarge
            | Event::LetterWithin1d
            | Event::LetterWithin7d
            | Event::Tsb
            | Event::Somatic
            | Event::PrivatePsych
            | Event::PrivateSomatic
            | Event::PrivateContact => &[TableKind::Episodes],
            Event::GpContact
            | Event::GpConsultation
            | Event::OohsContact
            | Event::OohsConsultation
            | Event::GpHomeVisit
            | Event::Interdisciplinary => &[TableKind::PrimaryCare],
            Event::Service(_) | Event::AnyMunicipalService => &[TableKind::MunicipalServices],
        }
    }

    /// The event that always happens when this one does (for the subset rule of percentages).
    pub fn within(self) -> Option<Event> {
        match self {
            Event::Readmission => Some(Event::ReadmissionIndex),
            Event::LetterWithin1d | Event::LetterWithin7d => Some(Event::LetterDischarge),
            Event::PhvAcuteAdmission => Some(Event::PhvStay),
            Event::GpConsultation => Some(Event::GpContact),
            Event::GpHomeVisit => Some(Event::GpConsultation),
            Event::OohsConsultation => Some(Event::OohsContact),
            _ => None,
        }
    }

    /// Whether every occurrence of `self` is an occurrence of `other`.
    pub fn is_within(self, other: Event) -> bool {
        let mut e = Some(self);
        while let Some(x) = e {
            if x == other {
                return true;
            }
            e = x.within();
        }
        false
    }
}

/// A per-occurrence number of a cohort person in Y.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Quantity {
    /// Bed days of each merged PHV DOGN stay inside Y (never negative).
    BedDays,
    /// days(discharge_date, letter_date) of each [`Event::LetterDischarge`] (negative when the
    /// letter was sent before discharge).
    LetterDays,
}

/// Number of quantities.
pub const QUANTITY_COUNT: usize = 2;

impl Quantity {
    /// Position `0..QUANTITY_COUNT`.
    pub fn index(self) -> usize {
        match self {
            Quantity::BedDays => 0,
            Quantity::LetterDays => 1,
        }
    }

    /// The tables this quantity is read from.
    pub fn tables(self) -> &'static [TableKind] {
        &[TableKind::Episodes]
    }
}

/// A numerator or denominator, summed over the cohort persons of one group and area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Measure {
    /// Persons in the group.
    CohortPersons,
    /// Persons with at least one `Event`.
    Persons(Event),
    /// How many `Event`s.
    Count(Event),
    /// Sum of a quantity's non-negative values.
    Sum(Quantity),
    /// Median of a quantity's values (even count: mean of the two middle values).
    Median(Quantity),
    /// Inhabitants aged 18+ in Y of the area (or the whole population, see
    /// `PopulationBasis`).
    Population18Plus,
}

impl Measure {
    /// Every table this measure reads.
    pub fn tables(self) -> Vec<TableKind> {
        let mut t = match self {
            Measure::CohortPersons => vec![TableKind::Persons, TableKind::Episodes],
            Measure::Persons(e) | Measure::Count(e) => e.tables().to_vec(),
            Measure::Sum(q) | Measure::Median(q) => q.tables().to_vec(),
            Measure::Population18Plus => vec![TableKind::Population],
        };
        t.sort();
        t
    }

    /// Whether what `self` counts is always part of what `other` counts (so a percentage of
    /// the two lies in 0..100).
    pub fn is_subset_of(self, other: Measure) -> bool {
        match (self, other) {
            (Measure::CohortPersons, Measure::CohortPersons) => true,
            (Measure::Persons(_), Measure::CohortPersons) => true,
            (Measure::Persons(a), Measure::Persons(b)) => a.is_within(b),
            (Measure::Count(a), Measure::Count(b)) => a.is_within(b),
            _ => false,
        }
    }
}

/// One indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorDef {
    /// Id as in the long table, e.g. `smi.admitted`.
    pub id: &'static str,
    /// Module (cohort and groups).
    pub module: Module,
    /// Short title.
    pub title: Text,
    /// The spec's definition in words.
    pub definition: Text,
    /// What docs/choices.md decided for this indicator (shown in the definitions panel).
    pub choices: Text,
    /// Unit of the value.
    pub unit: Unit,
    /// Numerator (or the count, sum or median).
    pub numerator: Measure,
    /// Denominator; `None` for counts, sums and medians.
    pub denominator: Option<Measure>,
    /// Every table the indicator needs; when one is missing it is unavailable.
    pub tables: &'static [TableKind],
    /// The seed it comes from, e.g. `000`.
    pub source: &'static str,
}

impl IndicatorDef {
    /// The tables of this indicator that `has` says are missing, in [`TableKind::ALL`] order.
    pub fn missing_tables(&self, has: impl Fn(TableKind) -> bool) -> Vec<TableKind> {
        TableKind::ALL
            .into_iter()
            .filter(|t| self.tables.contains(t) && !has(*t))
            .collect()
    }
}

const SMI_TABLES: &[TableKind] = &[TableKind::Persons, TableKind::Episodes];
const SMI_POP_TABLES: &[TableKind] = &[
    TableKind::Persons,
    TableKind::Episodes,
    TableKind::Population,
];
const SMI_PC_TABLES: &[TableKind] = &[
    TableKind::Persons,
    TableKind::Episodes,
    TableKind::PrimaryCare,
];
const SMI_MS_TABLES: &[TableKind] = &[
    TableKind::Persons,
    TableKind::Episodes,
    TableKind::MunicipalServices,
];

/// The cohort choices every SMI indicator shares.
const COHORT_NB: &str = "Kohort: alder = år − fødselsår (ellers alderskolonnen) ≥ 18; \
     gruppediagnoser fra PHV-rader som selv overlapper året; omsorgsnivå 8 telles ikke.";
const COHORT_EN: &str = "Cohort: age = year − birth year (else the age column) ≥ 18; \
     group diagnoses from PHV rows that themselves overlap the year; care level 8 is not counted.";

fn leak(s: String) -> &'static str {
    // Called only while the registry is built, once per process.
    Box::leak(s.into_boxed_str())
}

fn text(nb: &'static str, en: &'static str) -> Text {
    Text { nb, en }
}

/// Choices text: the shared cohort rule, then the indicator's own.
fn choices(nb: &str, en: &str) -> Text {
    if nb.is_empty() {
        return text(COHORT_NB, COHORT_EN);
    }
    Text {
        nb: leak(format!("{COHORT_NB} {nb}")),
        en: leak(format!("{COHORT_EN} {en}")),
    }
}

struct Spec {
    id: &'static str,
    title: (&'static str, &'static str),
    definition: (&'static str, &'static str),
    choices: (&'static str, &'static str),
    unit: Unit,
    numerator: Measure,
    denominator: Option<Measure>,
    tables: &'static [TableKind],
}

fn smi(s: Spec) -> IndicatorDef {
    IndicatorDef {
        id: s.id,
        module: Module::Smi,
        title: text(s.title.0, s.title.1),
        definition: text(s.definition.0, s.definition.1),
        choices: choices(s.choices.0, s.choices.1),
        unit: s.unit,
        numerator: s.numerator,
        denominator: s.denominator,
        tables: s.tables,
        source: "000",
    }
}

const IN_Y_NB: &str =
    "«I året»: raden overlapper året (døgn), eller inndato i året (poliklinikk/dag).";
const IN_Y_EN: &str =
    "\"In the year\": the row overlaps the year (inpatient), or admit date in the year (outpatient/day).";
const CONTACT_NB: &str = "Kontakter i året = rader med inndato i året.";
const CONTACT_EN: &str = "Contacts in the year = rows with admit date in the year.";
const LETTER_NB: &str = "Sammenslåtte PHV-døgnopphold utskrevet i året med epikrisedato (fra raden som slutter sist); per utskrivning. Epikrise før utskrivning teller som innen fristen.";
const LETTER_EN: &str = "Merged PHV inpatient stays discharged in the year with a letter date (from the row that ends last); per discharge. A letter sent before discharge counts as within the limit.";

fn build_registry() -> Vec<IndicatorDef> {
    use Event as E;
    use Measure::{CohortPersons, Count, Median, Persons, Population18Plus, Sum};
    let pct = |id, title, definition, choices, e: Event, tables| Spec {
        id,
        title,
        definition,
        choices,
        unit: Unit::Percent,
        numerator: Persons(e),
        denominator: Some(CohortPersons),
        tables,
    };
    let mut v: Vec<IndicatorDef> = Vec::new();
    let mut push = |s: Spec| v.push(smi(s));
    push(Spec {
        id: "smi.patients",
        title: ("Pasienter", "Patients"),
        definition: ("Personer i gruppen.", "Persons in the group."),
        choices: ("", ""),
        unit: Unit::Count,
        numerator: CohortPersons,
        denominator: None,
        tables: SMI_TABLES,
    });
    push(Spec {
        id: "smi.patients_per_1000",
        title: ("Pasienter per 1 000 innbyggere", "Patients per 1 000 inhabitants"),
        definition: (
            "Personer i gruppen / befolkningen 18 år og eldre i året × 1 000.",
            "Persons in the group / population aged 18+ in the year × 1 000.",
        ),
        choices: (
            "Befolkning 18+: rader for året med voksen alder (aldersbånd som krysser 18 telles ikke); uten alderskolonne hele befolkningen, og rapporten sier det.",
            "Population 18+: rows for the year with an adult age (bands straddling 18 are left out); without an age column the whole population, and the report says so.",
        ),
        unit: Unit::Per1000,
        numerator: CohortPersons,
        denominator: Some(Population18Plus),
        tables: SMI_POP_TABLES,
    });
    push(pct(
        "smi.admitted",
        ("Innlagt i døgnopphold", "Admitted as inpatient"),
        (
            "Personer med minst ett PHV-døgnopphold som overlapper året / personer i gruppen.",
            "Persons with at least one PHV inpatient stay overlapping the year / persons in the group.",
        ),
        ("Sammenslåtte opphold (overføringer er ett opphold).", "Merged stays (transfers are one stay)."),
        E::PhvStay,
        SMI_TABLES,
    ));
    push(pct(
        "smi.admitted_acute",
        ("Akutt innlagt", "Admitted acutely"),
        (
            "Personer med minst ett PHV-døgnopphold med hastegrad akutt og inndato i året / personer i gruppen.",
            "Persons with at least one PHV inpatient stay with urgency ACUTE and admit date in the year / persons in the group.",
        ),
        (
            "Hastegrad og inndato fra første rad i det sammenslåtte oppholdet.",
            "Urgency and admit date from the first row of the merged stay.",
        ),
        E::PhvAcuteAdmission,
        SMI_TABLES,
    ));
    push(Spec {
        id: "smi.readmitted_30d",
        title: ("Reinnlagt innen 30 dager", "Readmitted within 30 days"),
        definition: (
            "Personer med en PHV-døgnutskrivning 1. jan–30. nov fulgt av en ny akutt PHV-døgninnleggelse 1–30 dager senere / personer med en PHV-døgnutskrivning 1. jan–30. nov og kjent kommune.",
            "Persons with a PHV inpatient discharge 1 Jan–30 Nov followed by a new ACUTE PHV inpatient admission 1–30 days later / persons with a PHV inpatient discharge 1 Jan–30 Nov and a known municipality.",
        ),
        choices: (
            "Per person. Indeksutskrivninger: sammenslåtte opphold utskrevet 1. jan … 31. des − (vindu + 1) dager, personer med kommunenummer (på alle nivåer, også landet). Vindu (30), «bare akutt» (ja) og «utelat dødsfall innen vinduet» (nei) er innstillinger; med den siste utelates en utskrivning når personen døde på eller før utskrivning + vindu.",
            "Per person. Index discharges: merged stays discharged 1 Jan … 31 Dec − (window + 1) days, persons with a municipality code (at every level, the country too). Window (30), \"acute only\" (yes) and \"leave out deaths within the window\" (no) are settings; with the last, a discharge is dropped when the person died on or before discharge + window.",
        ),
        unit: Unit::Percent,
        numerator: Persons(E::Readmission),
        denominator: Some(Persons(E::ReadmissionIndex)),
        tables: SMI_TABLES,
    });
    push(pct(
        "smi.outpatient",
        ("Poliklinisk kontakt", "Outpatient contact"),
        (
            "Personer med minst én PHV poliklinisk kontakt i året / personer i gruppen.",
            "Persons with at least one PHV outpatient contact in the year / persons in the group.",
        ),
        (CONTACT_NB, CONTACT_EN),
        E::PhvOutpatient,
        SMI_TABLES,
    ));
    push(Spec {
        id: "smi.bed_days_per_patient",
        title: ("Liggedøgn per pasient", "Bed days per patient"),
        definition: (
            "PHV-liggedøgn i året (opphold klippet til året; åpne opphold teller til 31. des) / personer i gruppen.",
            "PHV bed days inside the year (stays clipped to the year; open stays count to 31 Dec) / persons in the group.",
        ),
        choices: ("Sammenslåtte opphold.", "Merged stays."),
        unit: Unit::Days,
        numerator: Sum(Quantity::BedDays),
        denominator: Some(CohortPersons),
        tables: SMI_TABLES,
    });
    push(Spec {
        id: "smi.bed_days_per_admitted",
        title: ("Liggedøgn per innlagt", "Bed days per admitted patient"),
        definition: (
            "De samme liggedøgnene / personer innlagt (smi.admitted).",
            "The same bed days / persons admitted (smi.admitted).",
        ),
        choices: ("Sammenslåtte opphold.", "Merged stays."),
        unit: Unit::Days,
        numerator: Sum(Quantity::BedDays),
        denominator: Some(Persons(E::PhvStay)),
        tables: SMI_TABLES,
    });
    push(Spec {
        id: "smi.outpatient_contacts_per_outpatient",
        title: (
            "Polikliniske kontakter per pasient med kontakt",
            "Outpatient contacts per outpatient",
        ),
        definition: (
            "PHV polikliniske kontakter i året / personer med minst én slik kontakt.",
            "PHV outpatient contacts in the year / persons with at least one.",
        ),
        choices: (CONTACT_NB, CONTACT_EN),
        unit: Unit::Contacts,
        numerator: Count(E::PhvOutpatient),
        denominator: Some(Persons(E::PhvOutpatient)),
        tables: SMI_TABLES,
    });
    push(pct(
        "smi.ambulant",
        ("Ambulant kontakt", "Ambulant contact"),
        (
            "Personer med minst én ambulant PHV-kontakt i året / personer i gruppen.",
            "Persons with at least one ambulant PHV contact in the year / persons in the group.",
        ),
        (
            "Enhver PHV-rad (døgn, dag eller poliklinikk) med ambulant = 1 og inndato i året.",
            "Any PHV row (inpatient, day or outpatient) with ambulant = 1 and admit date in the year.",
        ),
        E::Ambulant,
        SMI_TABLES,
    ));
    push(Spec {
        id: "smi.letter_within_1d",
        title: ("Epikrise innen 1 dag", "Discharge letter within 1 day"),
        definition: (
            "PHV-døgnutskrivninger i året med epikrisedato ≤ utskrivningsdato + 1 / PHV-døgnutskrivninger i året med epikrisedato.",
            "PHV inpatient discharges in the year with letter date ≤ discharge date + 1 / PHV inpatient discharges in the year with a letter date.",
        ),
        choices: (LETTER_NB, LETTER_EN),
        unit: Unit::Percent,
        numerator: Count(E::LetterWithin1d),
        denominator: Some(Count(E::LetterDischarge)),
        tables: SMI_TABLES,
    });
    push(Spec {
        id: "smi.letter_within_7d",
        title: ("Epikrise innen 7 dager", "Discharge letter within 7 days"),
        definition: ("Som innen 1 dag, med + 7.", "As within 1 day, with + 7."),
        choices: (LETTER_NB, LETTER_EN),
        unit: Unit::Percent,
        numerator: Count(E::LetterWithin7d),
        denominator: Some(Count(E::LetterDischarge)),
        tables: SMI_TABLES,
    });
    push(Spec {
        id: "smi.letter_days_median",
        title: ("Epikrisetid, median", "Days to discharge letter, median"),
        definition: (
            "Median av dager fra utskrivning til epikrise over de samme utskrivningene.",
            "Median of days from discharge to letter over the same discharges.",
        ),
        choices: (
            "Median av et partall verdier = gjennomsnittet av de to midterste. Skjules når antall utskrivninger er under k.",
            "Median of an even count = mean of the two middle values. Suppressed when the number of discharges is below k.",
        ),
        unit: Unit::Days,
        numerator: Median(Quantity::LetterDays),
        denominator: None,
        tables: SMI_TABLES,
    });
    push(pct(
        "smi.tsb",
        ("Rusbehandling (TSB)", "Substance-use treatment (TSB)"),
        (
            "Personer med minst én TSB-episode i året / personer i gruppen.",
            "Persons with at least one TSB episode in the year / persons in the group.",
        ),
        (IN_Y_NB, IN_Y_EN),
        E::Tsb,
        SMI_TABLES,
    ));
    push(pct(
        "smi.somatic",
        ("Somatisk sykehus", "Somatic hospital"),
        (
            "Personer med minst én somatisk episode i året / personer i gruppen.",
            "Persons with at least one SOM episode in the year / persons in the group.",
        ),
        (IN_Y_NB, IN_Y_EN),
        E::Somatic,
        SMI_TABLES,
    ));
    push(pct(
        "smi.private_psych",
        (
            "Avtalespesialist, psykisk helse",
            "Private specialist, mental health",
        ),
        (
            "Personer med minst én AVT_PHV-kontakt i året / personer i gruppen.",
            "Persons with at least one AVT_PHV contact in the year / persons in the group.",
        ),
        (IN_Y_NB, IN_Y_EN),
        E::PrivatePsych,
        SMI_TABLES,
    ));
    push(pct(
        "smi.private_somatic",
        ("Avtalespesialist, somatikk", "Private specialist, somatic"),
        (
            "Personer med minst én AVT_SOM-kontakt i året / personer i gruppen.",
            "Persons with at least one AVT_SOM contact in the year / persons in the group.",
        ),
        (IN_Y_NB, IN_Y_EN),
        E::PrivateSomatic,
        SMI_TABLES,
    ));
    push(Spec {
        id: "smi.private_contacts_per_patient",
        title: (
            "Avtalespesialistkontakter per pasient",
            "Private-specialist contacts per patient",
        ),
        definition: (
            "AVT_PHV- og AVT_SOM-kontakter i året / personer med minst én slik kontakt.",
            "AVT_PHV and AVT_SOM contacts in the year / persons with at least one such contact.",
        ),
        choices: (CONTACT_NB, CONTACT_EN),
        unit: Unit::Contacts,
        numerator: Count(E::PrivateContact),
        denominator: Some(Persons(E::PrivateContact)),
        tables: SMI_TABLES,
    });
    push(pct(
        "smi.gp_contact",
        ("Kontakt med fastlege", "GP contact"),
        (
            "Personer med minst én primærhelserad fra fastlege i året / personer i gruppen.",
            "Persons with at least one primary-care row from a GP in the year / persons in the group.",
        ),
        ("", ""),
        E::GpContact,
        SMI_PC_TABLES,
    ));
    push(pct(
        "smi.gp_consultation",
        ("Konsultasjon hos fastlege", "GP consultation"),
        (
            "Personer med minst én konsultasjon eller sykebesøk hos fastlege i året / personer i gruppen.",
            "Persons with at least one GP consultation or home visit in the year / persons in the group.",
        ),
        ("", ""),
        E::GpConsultation,
        SMI_PC_TABLES,
    ));
    push(pct(
        "smi.oohs_contact",
        ("Kontakt med legevakt", "Out-of-hours contact"),
        (
            "Personer med minst én legevaktrad i året / personer i gruppen.",
            "Persons with at least one out-of-hours row in the year / persons in the group.",
        ),
        ("", ""),
        E::OohsContact,
        SMI_PC_TABLES,
    ));
    push(pct(
        "smi.oohs_consultation",
        ("Konsultasjon på legevakt", "Out-of-hours consultation"),
        (
            "Personer med minst én konsultasjon eller sykebesøk fra legevakt i året / personer i gruppen.",
            "Persons with at least one out-of-hours consultation or home visit in the year / persons in the group.",
        ),
        ("", ""),
        E::OohsConsultation,
        SMI_PC_TABLES,
    ));
    push(Spec {
        id: "smi.gp_consultations_per_patient",
        title: (
            "Fastlegekonsultasjoner per pasient",
            "GP consultations per patient",
        ),
        definition: (
            "Fastlegekonsultasjoner i året / personer med minst én fastlegekonsultasjon.",
            "GP consultations in the year / persons with at least one GP consultation.",
        ),
        choices: (
            "Konsultasjon = CONSULTATION eller HOME_VISIT.",
            "Consultation = CONSULTATION or HOME_VISIT.",
        ),
        unit: Unit::Consultations,
        numerator: Count(E::GpConsultation),
        denominator: Some(Persons(E::GpConsultation)),
        tables: SMI_PC_TABLES,
    });
    push(pct(
        "smi.gp_home_visit",
        ("Sykebesøk fra fastlege", "GP home visit"),
        (
            "Personer med minst ett sykebesøk fra fastlege i året / personer i gruppen.",
            "Persons with at least one GP home visit in the year / persons in the group.",
        ),
        ("", ""),
        E::GpHomeVisit,
        SMI_PC_TABLES,
    ));
    push(pct(
        "smi.gp_interdisciplinary",
        ("Tverrfaglig samarbeid", "Interdisciplinary cooperation"),
        (
            "Personer med minst én primærhelserad med tverrfaglig = 1 i året / personer i gruppen.",
            "Persons with at least one primary-care row with interdisciplinary = 1 in the year / persons in the group.",
        ),
        (
            "Alle tjenesteytere, ikke bare fastlege (definisjonen sier ikke fastlege).",
            "Any provider, not only GPs (the definition does not say GP).",
        ),
        E::Interdisciplinary,
        SMI_PC_TABLES,
    ));
    for code in ServiceCode::ALL {
        v.push(IndicatorDef {
            id: leak(format!("smi.service.{}", code.code())),
            module: Module::Smi,
            title: Text {
                nb: leak(format!("Kommunal tjeneste: {}", code.label_nb())),
                en: leak(format!("Municipal service: {}", code.label_en())),
            },
            definition: Text {
                nb: leak(format!(
                    "Personer med en periode av «{}» som overlapper året / personer i gruppen.",
                    code.label_nb()
                )),
                en: leak(format!(
                    "Persons with a period of \"{}\" overlapping the year / persons in the group.",
                    code.label_en()
                )),
            },
            choices: choices(
                "Periode overlapper året: startdato ≤ 31. des og sluttdato tom eller ≥ 1. jan.",
                "A period overlaps the year: start ≤ 31 Dec and end empty or ≥ 1 Jan.",
            ),
            unit: Unit::Percent,
            numerator: Persons(E::Service(code)),
            denominator: Some(CohortPersons),
            tables: SMI_MS_TABLES,
            source: "000",
        });
    }
    v.push(smi(pct(
        "smi.any_municipal_service",
        ("Kommunale tjenester (vedtak)", "Municipal services (decision-bound)"),
        (
            "Personer med minst én vedtaksbasert kommunal tjeneste som overlapper året / personer i gruppen.",
            "Persons with any decision-bound municipal service overlapping the year / persons in the group.",
        ),
        (
            "Velferdsteknologi er ikke vedtaksbasert og telles ikke.",
            "Welfare technology is not decision-bound and is not counted.",
        ),
        E::AnyMunicipalService,
        SMI_MS_TABLES,
    )));
    v
}

/// Every indicator, in the spec's order. Built once.
pub fn registry() -> &'static [IndicatorDef] {
    static REGISTRY: OnceLock<Vec<IndicatorDef>> = OnceLock::new();
    REGISTRY.get_or_init(build_registry)
}

/// Looks an indicator up by id.
pub fn find(id: &str) -> Option<&'static IndicatorDef> {
    registry().iter().find(|d| d.id == id)
}

fn module_title(m: Module) -> Text {
    match m {
        Module::Smi => text(
            "Pasienter med alvorlig psykisk lidelse",
            "Patients with serious mental illness",
        ),
        Module::Ready => text(
            "Utskrivningsklare pasienter",
            "Patients ready for discharge",
        ),
        Module::Door => text("Svingdørspasienter", "Revolving-door patients"),
        Module::Pathways => text("Forløp etter utskrivning", "Pathways after discharge"),
    }
}

/// The content of `docs/indicators.md`, generated from the registry.
pub fn registry_markdown(lang: Lang) -> String {
    use std::fmt::Write;
    let l = |nb: &'static str, en: &'static str| text(nb, en).get(lang);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!-- {} -->",
        l(
            "generert fra indikatorregisteret med `forlop docs`; ikke rediger",
            "generated from the indicator registry by `forlop docs`; do not edit"
        )
    );
    let _ = writeln!(out, "# {}\n", l("Indikatorer", "Indicators"));
    let mut module = None;
    for d in registry() {
        if module != Some(d.module) {
            module = Some(d.module);
            let _ = writeln!(out, "## {}\n", module_title(d.module).get(lang));
        }
        let _ = writeln!(out, "### `{}` — {}\n", d.id, d.title.get(lang));
        let _ = writeln!(out, "{}\n", d.definition.get(lang));
        let _ = writeln!(
            out,
            "- {}: {}",
            l("Enhet", "Unit"),
            d.unit.label().get(lang)
        );
        let _ = writeln!(out, "- {}: `{:?}`", l("Teller", "Numerator"), d.numerator);
        match d.denominator {
            Some(m) => {
                let _ = writeln!(out, "- {}: `{:?}`", l("Nevner", "Denominator"), m);
            }
            None => {
                let _ = writeln!(out, "- {}: –", l("Nevner", "Denominator"));
            }
        }
        let tables: Vec<&str> = d.tables.iter().map(|t| t.canonical_name()).collect();
        let _ = writeln!(out, "- {}: {}", l("Tabeller", "Tables"), tables.join(", "));
        let _ = writeln!(out, "- {}: {}", l("Kilde", "Source"), d.source);
        let _ = writeln!(out, "- {}: {}\n", l("Valg", "Choices"), d.choices.get(lang));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// ^[a-z_]+(\.[a-z0-9_]+)+$, except that the last segment of `smi.service.<CODE>` is the
    /// service code in upper case, as the spec spells it.
    fn id_is_well_formed(id: &str) -> bool {
        let parts: Vec<&str> = id.split('.').collect();
        if parts.len() < 2 {
            return false;
        }
        let lower = |s: &str, first: bool| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || (!first && c.is_ascii_digit()))
        };
        let service = parts.len() == 3 && parts[0] == "smi" && parts[1] == "service";
        parts.iter().enumerate().all(|(i, p)| {
            if service && i == 2 {
                ServiceCode::ALL.iter().any(|c| c.code() == *p)
            } else {
                lower(p, i == 0)
            }
        })
    }

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut seen = BTreeSet::new();
        for d in registry() {
            assert!(seen.insert(d.id), "duplicate id {}", d.id);
            assert!(id_is_well_formed(d.id), "bad id {}", d.id);
        }
        assert!(!id_is_well_formed("smi.Admitted"));
        assert!(!id_is_well_formed("smi"));
        assert!(!id_is_well_formed("smi.service.NOT_A_CODE"));
    }

    #[test]
    fn texts_exist_in_both_languages_without_placeholders() {
        for d in registry() {
            for t in [d.title, d.definition, d.choices, d.unit.label()] {
                for s in [t.nb, t.en] {
                    assert!(!s.trim().is_empty(), "{}: empty text", d.id);
                    for bad in ["&", "{", "}", "TODO"] {
                        assert!(!s.contains(bad), "{}: placeholder {bad:?} in {s:?}", d.id);
                    }
                }
            }
            assert_ne!(d.title.nb, d.title.en, "{}: untranslated title", d.id);
        }
    }

    #[test]
    fn percent_only_when_the_numerator_is_part_of_the_denominator() {
        for d in registry() {
            if d.unit == Unit::Percent {
                let den = d.denominator.expect("a percentage has a denominator");
                assert!(d.numerator.is_subset_of(den), "{}", d.id);
            }
            // Medians stand alone; counts have no denominator.
            if matches!(d.numerator, Measure::Median(_)) || d.unit == Unit::Count {
                assert!(d.denominator.is_none(), "{}", d.id);
            }
        }
        assert!(!Measure::Persons(Event::GpContact).is_subset_of(Measure::Persons(Event::Tsb)));
        assert!(Measure::Count(Event::LetterWithin7d)
            .is_subset_of(Measure::Count(Event::LetterDischarge)));
    }

    #[test]
    fn every_table_a_measure_reads_is_listed() {
        for d in registry() {
            let mut read = d.numerator.tables();
            if let Some(den) = d.denominator {
                read.extend(den.tables());
            }
            for t in read {
                assert!(d.tables.contains(&t), "{} reads {:?}", d.id, t);
            }
            assert!(d.tables.contains(&TableKind::Persons), "{}", d.id);
        }
    }

    #[test]
    fn every_section_1_id_of_the_spec_exists() {
        // indicators.md §1, by hand.
        let spec = [
            "smi.patients",
            "smi.patients_per_1000",
            "smi.admitted",
            "smi.admitted_acute",
            "smi.readmitted_30d",
            "smi.outpatient",
            "smi.bed_days_per_patient",
            "smi.bed_days_per_admitted",
            "smi.outpatient_contacts_per_outpatient",
            "smi.ambulant",
            "smi.letter_within_1d",
            "smi.letter_within_7d",
            "smi.letter_days_median",
            "smi.tsb",
            "smi.somatic",
            "smi.private_psych",
            "smi.private_somatic",
            "smi.private_contacts_per_patient",
            "smi.gp_contact",
            "smi.gp_consultation",
            "smi.oohs_contact",
            "smi.oohs_consultation",
            "smi.gp_consultations_per_patient",
            "smi.gp_home_visit",
            "smi.gp_interdisciplinary",
            "smi.service.HOME_HEALTH",
            "smi.service.PRACTICAL_HELP",
            "smi.service.PRACTICAL_TRAINING",
            "smi.service.SUPPORT_CONTACT",
            "smi.service.HOUSING",
            "smi.service.DAY_ACTIVITY",
            "smi.service.MEALS",
            "smi.service.LONG_TERM_STAY",
            "smi.service.SHORT_STAY_TREATMENT",
            "smi.service.SHORT_STAY_OTHER",
            "smi.service.INDIVIDUAL_PLAN",
            "smi.service.COORDINATOR",
            "smi.service.NUTRITION_ASSESSMENT",
            "smi.service.MEDICATION_REVIEW",
            "smi.service.WELFARE_TECH",
            "smi.any_municipal_service",
        ];
        for id in spec {
            assert!(find(id).is_some(), "missing {id}");
        }
        let smi = registry()
            .iter()
            .filter(|d| d.module == Module::Smi)
            .count();
        assert_eq!(smi, spec.len(), "registry has SMI ids the spec does not");
    }

    #[test]
    fn event_indices_are_a_bijection() {
        let mut all: Vec<Event> = PLAIN_EVENTS.to_vec();
        all.extend(ServiceCode::ALL.map(Event::Service));
        let idx: BTreeSet<usize> = all.iter().map(|e| e.index()).collect();
        assert_eq!(idx.len(), EVENT_COUNT);
        assert_eq!(idx.iter().max(), Some(&(EVENT_COUNT - 1)));
    }

    #[test]
    fn markdown_lists_every_indicator_and_says_generated() {
        for lang in [Lang::Nb, Lang::En] {
            let md = registry_markdown(lang);
            assert!(md.lines().next().unwrap().contains(match lang {
                Lang::Nb => "ikke rediger",
                Lang::En => "do not edit",
            }));
            for d in registry() {
                assert!(md.contains(&format!("### `{}`", d.id)), "{}", d.id);
            }
        }
    }
}
