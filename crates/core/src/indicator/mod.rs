//! The indicator registry: every module's indicators, read by the engine loop, the app's picker
//! and definitions panel, and the generated `docs/indicators.md`.
//!
//! An indicator is data: a numerator and an optional denominator, each a small [`Measure`] over
//! the facts its module declares, and a [`Unit`]. One evaluator (`eval`) interprets every
//! measure of every module; there is no function per indicator.

pub(crate) mod eval;

use crate::model::TableKind;
use crate::module::{Fact, ModuleDecl, Quantity};
use crate::text::{Lang, Text};
use serde::Serialize;

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
    /// Admissions per person: numerator / denominator.
    Admissions,
    /// Norwegian kroner: a cost, or a cost per person.
    Nok,
    /// Stays or service periods per person: numerator / denominator.
    Stays,
}

impl Unit {
    /// The factor the ratio is multiplied by.
    pub fn factor(self) -> f64 {
        match self {
            Unit::Percent => 100.0,
            Unit::Per1000 => 1000.0,
            Unit::Count
            | Unit::Days
            | Unit::Contacts
            | Unit::Consultations
            | Unit::Admissions
            | Unit::Nok
            | Unit::Stays => 1.0,
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
            Unit::Admissions => Text {
                nb: "innleggelser",
                en: "admissions",
            },
            Unit::Nok => Text {
                nb: "kroner",
                en: "NOK",
            },
            Unit::Stays => Text {
                nb: "opphold",
                en: "stays",
            },
        }
    }
}

/// A numerator or denominator, summed over the units of one group and area. Facts and
/// quantities are the module's own (its [`ModuleDecl::facts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Measure {
    /// Units (persons, stays, …) in the group.
    Units,
    /// Units with at least one occurrence of the fact.
    UnitsWith(Fact),
    /// Occurrences of the fact.
    Count(Fact),
    /// Sum of a quantity's non-negative values.
    Sum(Quantity),
    /// Median of a quantity's values (even count: mean of the two middle values).
    Median(Quantity),
    /// Inhabitants aged 18+ in Y of the area (or the whole population, see
    /// `PopulationBasis`).
    Population18Plus,
    /// Every inhabitant of the area in Y, whatever the age.
    PopulationAll,
}

impl Measure {
    /// Every table this measure reads, given its module.
    pub fn tables(self, module: &ModuleDecl) -> Vec<TableKind> {
        let mut t = match self {
            Measure::Units => module.tables.to_vec(),
            Measure::UnitsWith(f) | Measure::Count(f) => module.fact_tables(f).to_vec(),
            Measure::Sum(q) | Measure::Median(q) => module
                .quantities
                .get(q.0 as usize)
                .map_or(&[][..], |d| d.tables)
                .to_vec(),
            Measure::Population18Plus | Measure::PopulationAll => vec![TableKind::Population],
        };
        t.sort();
        t
    }

    /// Whether what `self` counts is always part of what `other` counts (so a percentage of
    /// the two lies in 0..100).
    pub fn is_subset_of(self, other: Measure, module: &ModuleDecl) -> bool {
        match (self, other) {
            (Measure::Units, Measure::Units) => true,
            (Measure::UnitsWith(_), Measure::Units) => true,
            (Measure::UnitsWith(a), Measure::UnitsWith(b)) => module.fact_within(a, b),
            (Measure::Count(a), Measure::Count(b)) => module.fact_within(a, b),
            _ => false,
        }
    }

    /// The measure in the generated docs, with the module's names: `UnitsWith(PhvStay)`.
    pub fn describe(self, module: &ModuleDecl) -> String {
        let fact = |f: Fact| module.facts.get(f.0 as usize).map_or("?", |d| d.name);
        let qty = |q: Quantity| module.quantities.get(q.0 as usize).map_or("?", |d| d.name);
        match self {
            Measure::Units => "Units".to_string(),
            Measure::UnitsWith(f) => format!("UnitsWith({})", fact(f)),
            Measure::Count(f) => format!("Count({})", fact(f)),
            Measure::Sum(q) => format!("Sum({})", qty(q)),
            Measure::Median(q) => format!("Median({})", qty(q)),
            Measure::Population18Plus => "Population18Plus".to_string(),
            Measure::PopulationAll => "PopulationAll".to_string(),
        }
    }
}

/// Which units of its module an indicator counts in a group's cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The units of that group (the usual case).
    #[default]
    GroupMembers,
    /// Every unit of the module in the area, whatever its groups: the cell is the same for every
    /// group (e.g. `door.outside_office_hours` counts every acute PAM admission, not only those
    /// of revolving-door patients).
    AllUnits,
}

/// One indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorDef {
    /// Id as in the long table, e.g. `smi.admitted`.
    pub id: &'static str,
    /// The id of its module (cohort, unit and groups), e.g. `smi`.
    pub module: &'static str,
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
    /// Which units the cell counts.
    pub scope: Scope,
    /// Every table the indicator needs; when one is missing it is unavailable.
    pub tables: &'static [TableKind],
    /// The seed it comes from, e.g. `000`.
    pub source: &'static str,
}

/// Every indicator of every module, modules in registration order, each in its spec's order,
/// each standardisable rate followed by its generated `<id>_std` ([`standardised`]). Opt-in
/// modules (computed only when the settings name them) are included. Built once.
pub fn registry() -> &'static [IndicatorDef] {
    static REGISTRY: std::sync::OnceLock<Vec<IndicatorDef>> = std::sync::OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut out = Vec::new();
        for m in crate::modules::all() {
            let m = m.decl();
            for d in &m.indicators {
                out.push(d.clone());
                if is_standardisable(d, m) {
                    out.push(standardised(d));
                }
            }
        }
        out
    })
}

/// The indicators of one module in registry order (its own, and the generated `_std` ones).
pub fn of_module(module: &str) -> impl Iterator<Item = &'static IndicatorDef> + '_ {
    registry().iter().filter(move |d| d.module == module)
}

/// Whether `def` is a rate per 1 000 that also gets an age- and sex-standardised version: a
/// count of persons (the module's unit is a person, the numerator counts units) over a
/// population.
pub fn is_standardisable(def: &IndicatorDef, module: &ModuleDecl) -> bool {
    def.unit == Unit::Per1000
        && module.unit == crate::module::CountingUnit::Person
        && matches!(def.numerator, Measure::Units | Measure::UnitsWith(_))
        && matches!(
            def.denominator,
            Some(Measure::Population18Plus | Measure::PopulationAll)
        )
        && def.scope == Scope::GroupMembers
}

/// The suffix of a standardised indicator's id.
pub const STANDARDISED_SUFFIX: &str = "_std";

/// The age- and sex-standardised version of a rate per 1 000, as data: id `<id>_std`, the same
/// numerator, denominator and tables, its own title, definition and choices.
pub fn standardised(base: &IndicatorDef) -> IndicatorDef {
    use crate::text::leak;
    let pop_nb = match base.denominator {
        Some(Measure::Population18Plus) => "befolkningen 18 år og eldre",
        _ => "befolkningen i alle aldre",
    };
    let pop_en = match base.denominator {
        Some(Measure::Population18Plus) => "population aged 18+",
        _ => "population of every age",
    };
    IndicatorDef {
        id: leak(format!("{}{STANDARDISED_SUFFIX}", base.id)),
        module: base.module,
        title: Text {
            nb: leak(format!("{}, alders- og kjønnsstandardisert", base.title.nb)),
            en: leak(format!("{}, age- and sex-standardised", base.title.en)),
        },
        definition: Text {
            nb: leak(format!(
                "Som {}, direkte standardisert for alder og kjønn: summen over strataene (aldersgruppene i befolkningstabellen × kjønn) av standardbefolkningens andel i stratumet × personer / {pop_nb} i stratumet × 1 000. Standardbefolkningen er {pop_nb} i hele landet i analyseåret (et annet år kan velges).",
                base.id
            )),
            en: leak(format!(
                "As {}, directly standardised for age and sex: the sum over the strata (the population table's age bands × sex) of the standard population's share in the stratum × persons / the {pop_en} in the stratum × 1 000. The standard population is the {pop_en} of the whole country in the analysis year (another year can be chosen).",
                base.id
            )),
        },
        choices: text(
            "En person plasseres etter kjønn og alder 31. desember i året (år minus fødselsår). Personer uten kjent alder eller kjønn, eller med en alder utenfor befolkningstabellens aldersgrupper, er utelatt og nevnt i en merknad. Et stratum som mangler i standardbefolkningen veier 0. 95 % konfidensintervall etter Fay og Feuer (gamma). Teller og nevner er de ustandardiserte. Uten alder eller kjønn i befolkningstabellen kan raten ikke beregnes. Standardåret kan velges i innstillingene.",
            "A person is placed by sex and age at 31 December of the year (year minus birth year). Persons without a known age or sex, or with an age outside the population table's bands, are left out and counted in a note. A stratum missing from the standard population weighs 0. 95 % confidence interval by Fay and Feuer (gamma). Numerator and denominator are the crude ones. Without age or sex in the population table the rate is not estimable. The standard year is a setting.",
        ),
        unit: Unit::Per1000,
        numerator: base.numerator,
        denominator: base.denominator,
        scope: base.scope,
        tables: base.tables,
        source: base.source,
    }
}

/// The rate a standardised indicator standardises, when `def` is one.
pub fn standardised_base(def: &IndicatorDef) -> Option<&'static IndicatorDef> {
    let base = find(def.id.strip_suffix(STANDARDISED_SUFFIX)?)?;
    module_of(base)
        .is_some_and(|m| is_standardisable(base, m))
        .then_some(base)
}

/// Looks an indicator up by id.
pub fn find(id: &str) -> Option<&'static IndicatorDef> {
    registry().iter().find(|d| d.id == id)
}

/// The declaration of an indicator's module.
pub fn module_of(def: &IndicatorDef) -> Option<&'static ModuleDecl> {
    crate::modules::find(def.module)
}

fn text(nb: &'static str, en: &'static str) -> Text {
    Text { nb, en }
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
    for m in crate::modules::all() {
        let m = m.decl();
        if m.opt_in {
            continue;
        }
        let _ = writeln!(out, "## {}\n", m.title.get(lang));
        let _ = writeln!(
            out,
            "{}: {}\n",
            l("Enhet som telles", "Unit counted"),
            m.unit.label().get(lang)
        );
        for d in of_module(m.id) {
            let _ = writeln!(out, "### `{}` — {}\n", d.id, d.title.get(lang));
            let _ = writeln!(out, "{}\n", d.definition.get(lang));
            let _ = writeln!(
                out,
                "- {}: {}",
                l("Enhet", "Unit"),
                d.unit.label().get(lang)
            );
            let _ = writeln!(
                out,
                "- {}: `{}`",
                l("Teller", "Numerator"),
                d.numerator.describe(m)
            );
            match d.denominator {
                Some(den) => {
                    let _ = writeln!(
                        out,
                        "- {}: `{}`",
                        l("Nevner", "Denominator"),
                        den.describe(m)
                    );
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
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ServiceCode;
    use std::collections::BTreeSet;

    /// ^[a-z_]+(\.[a-z0-9_]+)+$, except that the last segment of `<module>.service.<CODE>` is the
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
        let service = parts.len() == 3 && parts[1] == "service";
        parts.iter().enumerate().all(|(i, p)| {
            if service && i == 2 {
                ServiceCode::ALL.iter().any(|c| c.code() == *p)
            } else {
                lower(p, i == 0)
            }
        })
    }

    #[test]
    fn ids_are_unique_well_formed_and_prefixed_by_their_module() {
        let mut seen = BTreeSet::new();
        for d in registry() {
            assert!(seen.insert(d.id), "duplicate id {}", d.id);
            assert!(id_is_well_formed(d.id), "bad id {}", d.id);
            assert!(d.id.starts_with(&format!("{}.", d.module)), "{}", d.id);
            assert!(module_of(d).is_some(), "{}: unknown module", d.id);
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
            let m = module_of(d).unwrap();
            if d.unit == Unit::Percent {
                let den = d.denominator.expect("a percentage has a denominator");
                assert!(d.numerator.is_subset_of(den, m), "{}", d.id);
            }
            // Medians stand alone; counts have no denominator.
            if matches!(d.numerator, Measure::Median(_)) || d.unit == Unit::Count {
                assert!(d.denominator.is_none(), "{}", d.id);
            }
        }
    }

    #[test]
    fn every_table_a_measure_reads_is_listed() {
        for d in registry() {
            let m = module_of(d).unwrap();
            let mut read = d.numerator.tables(m);
            if let Some(den) = d.denominator {
                read.extend(den.tables(m));
            }
            for t in read {
                assert!(d.tables.contains(&t), "{} reads {:?}", d.id, t);
            }
            for t in m.tables {
                assert!(d.tables.contains(t), "{} lacks its module's {:?}", d.id, t);
            }
        }
    }

    #[test]
    fn every_rate_of_persons_per_1000_has_a_standardised_twin_right_after_it() {
        let r = registry();
        let mut twins = 0;
        for (i, d) in r.iter().enumerate() {
            let m = module_of(d).unwrap();
            if let Some(base) = standardised_base(d) {
                assert_eq!(r[i - 1].id, base.id, "{}", d.id);
                assert_eq!(
                    (d.unit, d.numerator, d.denominator),
                    (base.unit, base.numerator, base.denominator)
                );
                assert!(d.definition.en.contains(base.id));
                twins += 1;
            } else if is_standardisable(d, m) {
                assert_eq!(r[i + 1].id, format!("{}_std", d.id));
            }
        }
        // smi.patients_per_1000 and ready.patients_per_1000.
        assert!(twins >= 2, "{twins}");
        assert!(find("smi.patients_per_1000_std").is_some());
        assert!(find("ready.patients_per_1000_std").is_some());
        assert!(standardised_base(find("smi.admitted").unwrap()).is_none());
    }

    #[test]
    fn markdown_lists_every_default_indicator_and_says_generated() {
        for lang in [Lang::Nb, Lang::En] {
            let md = registry_markdown(lang);
            assert!(md.lines().next().unwrap().contains(match lang {
                Lang::Nb => "ikke rediger",
                Lang::En => "do not edit",
            }));
            for d in registry() {
                let opt_in = module_of(d).unwrap().opt_in;
                assert_eq!(md.contains(&format!("### `{}`", d.id)), !opt_in, "{}", d.id);
            }
        }
    }
}
