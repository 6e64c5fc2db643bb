//! §2 Patients ready for discharge (seed 002): somatic inpatients declared ready for discharge
//! (utskrivningsklare), the days they wait in hospital after that (overliggerdøgn), what the
//! municipality provides, readmissions, and long-term placement and what preceded it.
//!
//! Unit: a person of READY(Y) — at least one SOM inpatient merged stay with a ready_date and a
//! discharge_date in Y (any age). Group `ready`. A stay belongs to the year of its discharge and
//! its overdue and treatment days are counted in full, not clipped to Y.

mod facts;
pub(crate) mod sql;

use crate::indicator::{IndicatorDef, Measure, Scope, Unit};
use crate::model::{ServiceCode, TableKind};
use crate::module::{
    AnalysisModule, CountingUnit, GroupBase, Input, ModuleDecl, ModuleRun, QuantityDecl,
};
use crate::modules::smi::ReadmissionSettings;
use crate::text::{leak, Text};
use facts::{ReadyFact as F, ReadyQuantity as Q};
use serde::{Deserialize, Serialize};

/// The ready-for-discharge module's settings (`settings.ready`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct ReadySettings {
    /// How a readmission is recognised (default as §1: an ACUTE SOM inpatient admission 1–30
    /// days after the discharge).
    pub readmission: ReadmissionSettings,
}

/// The module.
pub struct Ready;

/// The registered instance.
pub static MODULE: Ready = Ready;

const TABLES: &[TableKind] = &[TableKind::Persons, TableKind::Episodes];
const POP_TABLES: &[TableKind] = &[TableKind::Persons, TableKind::Episodes, TableKind::Population];
const MS_TABLES: &[TableKind] = &[
    TableKind::Persons,
    TableKind::Episodes,
    TableKind::MunicipalServices,
];

const COHORT_NB: &str = "Kohort: personer med minst ett sammenslått SOM-døgnopphold med utskrivningsklar-dato og utskrivningsdato i året (alle aldre). Et opphold hører til utskrivningsåret; overliggerdøgn og behandlingsdøgn telles helt, ikke klippet til året.";
const COHORT_EN: &str = "Cohort: persons with at least one merged SOM inpatient stay with a ready-for-discharge date and a discharge date in the year (any age). A stay belongs to the year of its discharge; overdue and treatment days are counted in full, not clipped to the year.";
const LTS_NB: &str = "Nytt langtidsopphold: en LONG_TERM_STAY-periode som starter i året uten at en annen slik periode dekker dagen før (den første i året teller). Oppholdene er SOM-døgnopphold utskrevet i året (et opphold hører til utskrivningsåret); «før»: inndato før startdatoen, «etter»: på eller etter. Liggedøgn = utskrivning − innleggelse, overliggerdøgn = max(0, utskrivning − utskrivningsklar).";
const LTS_EN: &str = "New long-term stay: a LONG_TERM_STAY period starting in the year that no other such period covers the day before (the first in the year counts). The stays are SOM inpatient stays discharged in the year (a stay belongs to the year of its discharge); \"before\": admitted before its start date, \"after\": on or after. Bed days = discharge − admission, overdue days = max(0, discharge − ready date).";

/// A text in bokmål and English.
type Words = (&'static str, &'static str);

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

fn def(s: Spec) -> IndicatorDef {
    let choices = if s.choices.0.is_empty() {
        Text {
            nb: COHORT_NB,
            en: COHORT_EN,
        }
    } else {
        Text {
            nb: leak(format!("{COHORT_NB} {}", s.choices.0)),
            en: leak(format!("{COHORT_EN} {}", s.choices.1)),
        }
    };
    IndicatorDef {
        id: s.id,
        module: "ready",
        title: Text {
            nb: s.title.0,
            en: s.title.1,
        },
        definition: Text {
            nb: s.definition.0,
            en: s.definition.1,
        },
        choices,
        unit: s.unit,
        numerator: s.numerator,
        denominator: s.denominator,
        tables: s.tables,
        source: "002",
        scope: Scope::GroupMembers,
    }
}

fn indicators() -> Vec<IndicatorDef> {
    use Measure::{Count, PopulationAll, Sum, Units, UnitsWith};
    let none = ("", "");
    let mut v = vec![
        def(Spec {
            id: "ready.patients",
            title: ("Utskrivningsklare pasienter", "Patients ready for discharge"),
            definition: ("Personer i kohorten.", "Persons in the cohort."),
            choices: none,
            unit: Unit::Count,
            numerator: Units,
            denominator: None,
            tables: TABLES,
        }),
        def(Spec {
            id: "ready.patients_per_1000",
            title: ("Per 1 000 innbyggere", "Per 1 000 inhabitants"),
            definition: (
                "Personer i kohorten / hele befolkningen i året × 1 000.",
                "Persons in the cohort / the whole population in the year × 1 000.",
            ),
            choices: (
                "Hele befolkningen (alle aldre), rader for året.",
                "The whole population (every age), rows for the year.",
            ),
            unit: Unit::Per1000,
            numerator: Units,
            denominator: Some(PopulationAll),
            tables: POP_TABLES,
        }),
        def(Spec {
            id: "ready.stays",
            title: ("Opphold", "Stays"),
            definition: (
                "SOM-døgnopphold med utskrivningsklar-dato, utskrevet i året.",
                "SOM inpatient stays with a ready-for-discharge date, discharged in the year.",
            ),
            choices: none,
            unit: Unit::Count,
            numerator: Count(F::Stay.id()),
            denominator: None,
            tables: TABLES,
        }),
        def(Spec {
            id: "ready.overdue_days",
            title: ("Overliggerdøgn", "Overdue days"),
            definition: (
                "Σ max(0, utskrivningsdato − utskrivningsklar-dato) over oppholdene.",
                "Σ max(0, discharge date − ready date) over the stays.",
            ),
            choices: none,
            unit: Unit::Days,
            numerator: Sum(Q::OverdueDays.id()),
            denominator: None,
            tables: TABLES,
        }),
        def(Spec {
            id: "ready.overdue_days_per_patient",
            title: ("Overliggerdøgn per pasient", "Overdue days per patient"),
            definition: ("Overliggerdøgn / personer.", "Overdue days / persons."),
            choices: none,
            unit: Unit::Days,
            numerator: Sum(Q::OverdueDays.id()),
            denominator: Some(Units),
            tables: TABLES,
        }),
        def(Spec {
            id: "ready.stays_without_overdue",
            title: ("Opphold uten overliggerdøgn", "Stays without overdue days"),
            definition: (
                "Opphold med null overliggerdøgn / opphold.",
                "Stays with zero overdue days / stays.",
            ),
            choices: none,
            unit: Unit::Percent,
            numerator: Count(F::StayWithoutOverdue.id()),
            denominator: Some(Count(F::Stay.id())),
            tables: TABLES,
        }),
        def(Spec {
            id: "ready.treatment_days",
            title: ("Behandlingsdøgn", "Treatment days"),
            definition: (
                "Σ max(0, utskrivningsklar-dato − innleggelsesdato) over oppholdene.",
                "Σ max(0, ready date − admit date) over the stays.",
            ),
            choices: (
                "En utskrivningsklar-dato før innleggelsen gir 0 behandlingsdøgn.",
                "A ready date before admission gives 0 treatment days.",
            ),
            unit: Unit::Days,
            numerator: Sum(Q::TreatmentDays.id()),
            denominator: None,
            tables: TABLES,
        }),
        def(Spec {
            id: "ready.readmitted_30d",
            title: ("Reinnlagt innen 30 dager", "Readmitted within 30 days"),
            definition: (
                "Personer med et slikt opphold utskrevet 1. jan–30. nov fulgt av en akutt SOM-døgninnleggelse 1–30 dager senere / personer med et slikt opphold utskrevet 1. jan–30. nov.",
                "Persons with such a stay discharged 1 Jan–30 Nov followed by an ACUTE SOM inpatient admission 1–30 days later / persons with such a stay discharged 1 Jan–30 Nov.",
            ),
            choices: (
                "Som §1: sammenslåtte opphold, planlagte opphold imellom stopper ikke; vindu, «bare akutt» og «utelat dødsfall» er innstillinger. Kjent kommune kreves ikke (§2 sier det ikke).",
                "As §1: merged stays, planned stays in between do not stop it; window, \"acute only\" and \"leave out deaths\" are settings. A known municipality is not required (§2 does not say so).",
            ),
            unit: Unit::Percent,
            numerator: UnitsWith(F::Readmission.id()),
            denominator: Some(UnitsWith(F::ReadmissionIndex.id())),
            tables: TABLES,
        }),
        def(Spec {
            id: "ready.letter_within_1d",
            title: ("Epikrise innen 1 dag", "Discharge letter within 1 day"),
            definition: (
                "Oppholdene med epikrisedato ≤ utskrivningsdato + 1 / oppholdene med epikrisedato.",
                "The stays with letter date ≤ discharge date + 1 / the stays with a letter date.",
            ),
            choices: (
                "Epikrisedato fra raden som slutter sist; epikrise før utskrivning teller som innen fristen.",
                "Letter date from the row that ends last; a letter before discharge counts as within the limit.",
            ),
            unit: Unit::Percent,
            numerator: Count(F::LetterWithin1d.id()),
            denominator: Some(Count(F::LetterStay.id())),
            tables: TABLES,
        }),
        def(Spec {
            id: "ready.any_municipal_service",
            title: (
                "Kommunale tjenester (vedtak)",
                "Municipal services (decision-bound)",
            ),
            definition: (
                "Personer med minst én vedtaksbasert kommunal tjeneste som overlapper året / personer.",
                "Persons with any decision-bound municipal service overlapping the year / persons.",
            ),
            choices: (
                "Velferdsteknologi er ikke vedtaksbasert og telles ikke.",
                "Welfare technology is not decision-bound and is not counted.",
            ),
            unit: Unit::Percent,
            numerator: UnitsWith(F::AnyMunicipalService.id()),
            denominator: Some(Units),
            tables: MS_TABLES,
        }),
    ];
    for code in ServiceCode::ALL {
        v.push(IndicatorDef {
            id: leak(format!("ready.service.{}", code.code())),
            title: Text {
                nb: leak(format!("Kommunal tjeneste: {}", code.label_nb())),
                en: leak(format!("Municipal service: {}", code.label_en())),
            },
            definition: Text {
                nb: leak(format!(
                    "Personer med en periode av «{}» som overlapper året / personer.",
                    code.label_nb()
                )),
                en: leak(format!(
                    "Persons with a period of \"{}\" overlapping the year / persons.",
                    code.label_en()
                )),
            },
            ..def(Spec {
                id: "",
                title: ("", ""),
                definition: ("", ""),
                choices: (
                    "Periode overlapper året: startdato ≤ 31. des og sluttdato tom eller ≥ 1. jan.",
                    "A period overlaps the year: start ≤ 31 Dec and end empty or ≥ 1 Jan.",
                ),
                unit: Unit::Percent,
                numerator: UnitsWith(F::Service(code).id()),
                denominator: Some(Units),
                tables: MS_TABLES,
            })
        });
    }
    let lts = (LTS_NB, LTS_EN);
    v.push(def(Spec {
        id: "ready.long_term_stay",
        title: ("Nytt langtidsopphold", "New long-term stay"),
        definition: (
            "Personer med et nytt langtidsopphold (LONG_TERM_STAY) som starter i året og ikke fortsetter et annet / personer.",
            "Persons with a new LONG_TERM_STAY starting in the year, not continuing another / persons.",
        ),
        choices: lts,
        unit: Unit::Percent,
        numerator: UnitsWith(F::NewLongTermStay.id()),
        denominator: Some(Units),
        tables: MS_TABLES,
    }));
    let before_after: [(&'static str, Words, Words, Unit, Measure); 6] = [
        ("ready.stays_before_long_term", ("SOM-opphold før langtidsopphold", "SOM stays before the long-term stay"), ("SOM-døgnopphold med inndato før langtidsoppholdets start, for personer med nytt langtidsopphold i året.", "SOM inpatient stays admitted before the long-term stay's start, for persons with a new long-term stay in the year."), Unit::Count, Count(F::StayBeforeLongTerm.id())),
        ("ready.stays_after_long_term", ("SOM-opphold etter langtidsopphold", "SOM stays after the long-term stay"), ("SOM-døgnopphold med inndato på eller etter langtidsoppholdets start.", "SOM inpatient stays admitted on or after the long-term stay's start."), Unit::Count, Count(F::StayAfterLongTerm.id())),
        ("ready.bed_days_before_long_term", ("Liggedøgn før langtidsopphold", "Bed days before the long-term stay"), ("Liggedøgn i SOM-døgnoppholdene før langtidsoppholdets start.", "Bed days of the SOM inpatient stays before the long-term stay's start."), Unit::Days, Sum(Q::BedDaysBeforeLongTerm.id())),
        ("ready.bed_days_after_long_term", ("Liggedøgn etter langtidsopphold", "Bed days after the long-term stay"), ("Liggedøgn i SOM-døgnoppholdene på eller etter langtidsoppholdets start.", "Bed days of the SOM inpatient stays on or after the long-term stay's start."), Unit::Days, Sum(Q::BedDaysAfterLongTerm.id())),
        ("ready.overdue_days_before_long_term", ("Overliggerdøgn før langtidsopphold", "Overdue days before the long-term stay"), ("Overliggerdøgn i SOM-døgnoppholdene før langtidsoppholdets start.", "Overdue days of the SOM inpatient stays before the long-term stay's start."), Unit::Days, Sum(Q::OverdueBeforeLongTerm.id())),
        ("ready.overdue_days_after_long_term", ("Overliggerdøgn etter langtidsopphold", "Overdue days after the long-term stay"), ("Overliggerdøgn i SOM-døgnoppholdene på eller etter langtidsoppholdets start.", "Overdue days of the SOM inpatient stays on or after the long-term stay's start."), Unit::Days, Sum(Q::OverdueAfterLongTerm.id())),
    ];
    for (id, title, definition, unit, numerator) in before_after {
        v.push(def(Spec {
            id,
            title,
            definition,
            choices: lts,
            unit,
            numerator,
            denominator: None,
            tables: MS_TABLES,
        }));
    }
    v.push(def(Spec {
        id: "ready.short_stays_before_long_term",
        title: (
            "Korttidsopphold før langtidsopphold",
            "Short stays before the long-term stay",
        ),
        definition: (
            "SHORT_STAY_*-perioder som starter før langtidsoppholdets start, per person med nytt langtidsopphold.",
            "SHORT_STAY_* periods starting before the long-term stay's start, per person with a new long-term stay.",
        ),
        choices: lts,
        unit: Unit::Stays,
        numerator: Count(F::ShortStayBeforeLongTerm.id()),
        denominator: Some(UnitsWith(F::NewLongTermStay.id())),
        tables: MS_TABLES,
    }));
    v
}

fn declare() -> ModuleDecl {
    let bases = vec![GroupBase {
        id: "ready",
        label: Text {
            nb: "Utskrivningsklare",
            en: "Ready for discharge",
        },
    }];
    ModuleDecl {
        id: "ready",
        title: Text {
            nb: "Utskrivningsklare pasienter",
            en: "Patients ready for discharge",
        },
        source: "002",
        unit: CountingUnit::Person,
        tables: TABLES,
        opt_in: false,
        groups: ModuleDecl::grid_groups(&bases, None),
        bases,
        split: None,
        facts: facts::all_facts().into_iter().map(F::decl).collect(),
        quantities: Q::ALL.iter().map(|q| QuantityDecl {
            name: q.name(),
            tables: q.tables(),
        }).collect(),
        indicators: indicators(),
    }
}

impl AnalysisModule for Ready {
    fn decl(&self) -> &'static ModuleDecl {
        static DECL: std::sync::OnceLock<ModuleDecl> = std::sync::OnceLock::new();
        DECL.get_or_init(declare)
    }

    fn run(&self, input: &Input<'_>) -> ModuleRun {
        facts::run(input)
    }
}
