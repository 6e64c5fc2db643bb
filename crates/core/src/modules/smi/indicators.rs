//! The §1 indicators as data: one entry each, the 15 `smi.service.<CODE>` entries generated from
//! [`ServiceCode::ALL`].

use super::events::{Event, SmiQuantity};
use crate::indicator::{IndicatorDef, Measure, Scope, Unit};
use crate::model::{ServiceCode, TableKind};
use crate::text::Text;

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
     gruppediagnoser fra PHV-rader som selv overlapper året (døgn: egne datoer; poliklinikk/dag: \
     inndato i året); omsorgsnivå 8 telles ikke.";
const COHORT_EN: &str = "Cohort: age = year − birth year (else the age column) ≥ 18; \
     group diagnoses from PHV rows that themselves overlap the year (inpatient: their own dates; \
     outpatient/day: admit date in the year); care level 8 is not counted.";

fn text(nb: &'static str, en: &'static str) -> Text {
    Text { nb, en }
}

/// Choices text: the shared cohort rule, then the indicator's own.
fn choices(nb: &str, en: &str) -> Text {
    if nb.is_empty() {
        return text(COHORT_NB, COHORT_EN);
    }
    Text {
        nb: crate::text::leak(format!("{COHORT_NB} {nb}")),
        en: crate::text::leak(format!("{COHORT_EN} {en}")),
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
        module: "smi",
        title: text(s.title.0, s.title.1),
        definition: text(s.definition.0, s.definition.1),
        choices: choices(s.choices.0, s.choices.1),
        unit: s.unit,
        numerator: s.numerator,
        denominator: s.denominator,
        tables: s.tables,
        source: "000",
        scope: Scope::GroupMembers,
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

/// The §1 indicators, in the spec's order.
pub(super) fn indicators() -> Vec<IndicatorDef> {
    use Event as E;
    use Measure::{Population18Plus, Units};
    let persons = |e: Event| Measure::UnitsWith(e.fact());
    let count = |e: Event| Measure::Count(e.fact());
    let pct = |id, title, definition, choices, e: Event, tables| Spec {
        id,
        title,
        definition,
        choices,
        unit: Unit::Percent,
        numerator: persons(e),
        denominator: Some(Units),
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
        numerator: Units,
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
        numerator: Units,
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
        numerator: persons(E::Readmission),
        denominator: Some(persons(E::ReadmissionIndex)),
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
        numerator: Measure::Sum(SmiQuantity::BedDays.id()),
        denominator: Some(Units),
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
        numerator: Measure::Sum(SmiQuantity::BedDays.id()),
        denominator: Some(persons(E::PhvStay)),
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
        numerator: count(E::PhvOutpatient),
        denominator: Some(persons(E::PhvOutpatient)),
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
        numerator: count(E::LetterWithin1d),
        denominator: Some(count(E::LetterDischarge)),
        tables: SMI_TABLES,
    });
    push(Spec {
        id: "smi.letter_within_7d",
        title: ("Epikrise innen 7 dager", "Discharge letter within 7 days"),
        definition: ("Som innen 1 dag, med + 7.", "As within 1 day, with + 7."),
        choices: (LETTER_NB, LETTER_EN),
        unit: Unit::Percent,
        numerator: count(E::LetterWithin7d),
        denominator: Some(count(E::LetterDischarge)),
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
        numerator: Measure::Median(SmiQuantity::LetterDays.id()),
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
        numerator: count(E::PrivateContact),
        denominator: Some(persons(E::PrivateContact)),
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
        numerator: count(E::GpConsultation),
        denominator: Some(persons(E::GpConsultation)),
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
            id: crate::text::leak(format!("smi.service.{}", code.code())),
            module: "smi",
            title: Text {
                nb: crate::text::leak(format!("Kommunal tjeneste: {}", code.label_nb())),
                en: crate::text::leak(format!("Municipal service: {}", code.label_en())),
            },
            definition: Text {
                nb: crate::text::leak(format!(
                    "Personer med en periode av «{}» som overlapper året / personer i gruppen.",
                    code.label_nb()
                )),
                en: crate::text::leak(format!(
                    "Persons with a period of \"{}\" overlapping the year / persons in the group.",
                    code.label_en()
                )),
            },
            choices: choices(
                "Periode overlapper året: startdato ≤ 31. des og sluttdato tom eller ≥ 1. jan.",
                "A period overlaps the year: start ≤ 31 Dec and end empty or ≥ 1 Jan.",
            ),
            unit: Unit::Percent,
            numerator: persons(E::Service(code)),
            denominator: Some(Units),
            tables: SMI_MS_TABLES,
            source: "000",
            scope: Scope::GroupMembers,
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

