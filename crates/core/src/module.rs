//! What an analysis module is: the declaration the engine, the CLI and the app read, and the one
//! function the engine calls.
//!
//! A module (SMI, and the analyses to come) lives in a folder or file of its own under
//! [`crate::modules`] and declares, as data: its unit of counting, its groups and how they split,
//! the families of groups that suppression must treat as "a total and its parts", the facts it
//! counts per unit, and its indicators. Its code builds the cohort and fills one fact row per
//! unit ([`AnalysisModule::run`]). Everything after that — adding units up by group and area,
//! evaluating each indicator, suppressing small numbers, the long table — is the engine's and
//! names no module (`docs/architecture.md`).

use crate::aggregate::Areas;
use crate::indicator::IndicatorDef;
use crate::model::{PersonIdx, TableKind, Tables};
use crate::notes::Note;
use crate::output::Cell;
use crate::settings::Settings;
use crate::stays::{Stays, Year};
use crate::text::Text;
use serde::Serialize;

/// What one unit of a module is: what `Units` counts and what the fact row describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CountingUnit {
    /// A person of the cohort.
    Person,
    /// A hospital stay.
    Stay,
    /// A discharge.
    Discharge,
    /// An admission.
    Admission,
    /// A survey respondent.
    Respondent,
}

impl CountingUnit {
    /// The unit's name in both languages, plural.
    pub fn label(self) -> Text {
        let (nb, en) = match self {
            CountingUnit::Person => ("personer", "persons"),
            CountingUnit::Stay => ("opphold", "stays"),
            CountingUnit::Discharge => ("utskrivninger", "discharges"),
            CountingUnit::Admission => ("innleggelser", "admissions"),
            CountingUnit::Respondent => ("respondenter", "respondents"),
        };
        Text { nb, en }
    }
}

/// A base group a unit can belong to (SMI: all, schizophrenia, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupBase {
    /// Id as in the long table, e.g. `bipolar`.
    pub id: &'static str,
    /// Label.
    pub label: Text,
}

/// One part of a split of every base group (SMI: with / without substance use).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SplitPart {
    /// Appended to the base id in the long table, e.g. `+substance`.
    pub suffix: &'static str,
    /// Appended to the base label, e.g. ` m/rus`, `, with substance use`.
    pub label_suffix: Text,
}

/// A split of every base group into parts (each base is then a total of its parts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Split {
    /// What the split is by, e.g. "Del etter rusbruk" / "Split by substance use".
    pub label: Text,
    /// The parts, in long-table text order.
    pub parts: Vec<SplitPart>,
}

/// One group of the long table's `group` column: a base, or a base's split part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupDecl {
    /// Id as in the long table (`all`, `bipolar+substance`).
    pub id: &'static str,
    /// Index into [`ModuleDecl::bases`].
    pub base: usize,
    /// Index into the split's parts; `None` for the whole base.
    pub part: Option<usize>,
}

/// A fact counted per unit: how many times something happened to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactDecl {
    /// Name in the generated docs (`PhvStay`).
    pub name: &'static str,
    /// The tables it is read from.
    pub tables: &'static [TableKind],
    /// The fact that always happens when this one does (for the subset rule of percentages).
    pub within: Option<Fact>,
}

/// A per-occurrence number of a unit (bed days of each stay).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuantityDecl {
    /// Name in the generated docs (`BedDays`).
    pub name: &'static str,
    /// The tables it is read from.
    pub tables: &'static [TableKind],
}

/// A fact of the module's fact row, by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Fact(pub u16);

/// A quantity of the module, by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Quantity(pub u16);

/// Everything a module declares. Built once per process.
#[derive(Debug, Clone, Serialize)]
pub struct ModuleDecl {
    /// Id, also the indicators' id prefix (`smi`).
    pub id: &'static str,
    /// Title.
    pub title: Text,
    /// The seed documents it comes from.
    pub source: &'static str,
    /// What one unit is.
    pub unit: CountingUnit,
    /// Tables without which nothing of the module can be computed (the cohort's).
    pub tables: &'static [TableKind],
    /// Computed only when the settings name it (`Settings::modules`).
    pub opt_in: bool,
    /// The base groups, in long-table order of the grid.
    pub bases: Vec<GroupBase>,
    /// How every base splits, if it does.
    pub split: Option<Split>,
    /// Every group of the grid: for each base, the base and then each split part.
    pub groups: Vec<GroupDecl>,
    /// The facts of one unit's fact row.
    pub facts: Vec<FactDecl>,
    /// The quantities.
    pub quantities: Vec<QuantityDecl>,
    /// The indicators, in the spec's order.
    pub indicators: Vec<IndicatorDef>,
}

impl ModuleDecl {
    /// The grid's groups from bases and split: each base, then its parts (`all`, `all+substance`,
    /// `all-substance`, `schizophrenia`, …). Ids are built once per process.
    pub fn grid_groups(bases: &[GroupBase], split: Option<&Split>) -> Vec<GroupDecl> {
        let mut out = Vec::new();
        for (b, base) in bases.iter().enumerate() {
            out.push(GroupDecl {
                id: base.id,
                base: b,
                part: None,
            });
            for (p, part) in split
                .map(|s| s.parts.as_slice())
                .unwrap_or(&[])
                .iter()
                .enumerate()
            {
                out.push(GroupDecl {
                    id: crate::text::leak(format!("{}{}", base.id, part.suffix)),
                    base: b,
                    part: Some(p),
                });
            }
        }
        out
    }

    /// The group's label, e.g. `Depresjon m/rus`.
    pub fn group_label(&self, group: usize, lang: crate::text::Lang) -> String {
        let Some(g) = self.groups.get(group) else {
            return String::new();
        };
        let base = self.bases[g.base].label.get(lang);
        match (g.part, &self.split) {
            (Some(p), Some(s)) => format!("{base}{}", s.parts[p].label_suffix.get(lang)),
            _ => base.to_string(),
        }
    }

    /// The index of a group by its long-table id.
    pub fn group_index(&self, id: &str) -> Option<usize> {
        self.groups.iter().position(|g| g.id == id)
    }

    /// The families of groups "a total and its parts": every base with its split parts.
    pub fn group_families(&self) -> Vec<(usize, Vec<usize>)> {
        let mut out = Vec::new();
        for (i, g) in self.groups.iter().enumerate() {
            if g.part.is_some() {
                continue;
            }
            let parts: Vec<usize> = (0..self.groups.len())
                .filter(|&j| self.groups[j].base == g.base && self.groups[j].part.is_some())
                .collect();
            if !parts.is_empty() {
                out.push((i, parts));
            }
        }
        out
    }

    /// Every table a fact reads, by its declaration.
    pub fn fact_tables(&self, f: Fact) -> &'static [TableKind] {
        self.facts.get(f.0 as usize).map_or(&[], |d| d.tables)
    }

    /// Whether every occurrence of fact `a` is an occurrence of `b`.
    pub fn fact_within(&self, a: Fact, b: Fact) -> bool {
        let mut e = Some(a);
        while let Some(x) = e {
            if x == b {
                return true;
            }
            e = self.facts.get(x.0 as usize).and_then(|d| d.within);
        }
        false
    }
}

/// What a module's code gets: the tables and what every module shares.
pub struct Input<'a> {
    /// The tables read.
    pub tables: &'a Tables,
    /// The analysis settings.
    pub settings: &'a Settings,
    /// The analysis year.
    pub year: &'a Year,
    /// Merged stays of every person.
    pub stays: &'a Stays,
    /// The areas of the output.
    pub areas: &'a Areas,
    /// SMI(Y) of these tables, built by the first module that asks ([`Input::smi_cohort`]):
    /// the SMI, pathway and flow modules read the same cohort.
    pub(crate) smi_cohort: std::cell::OnceCell<crate::modules::smi::cohort::Cohort>,
}

impl Input<'_> {
    /// SMI(Y) of the tables (indicators.md §1), built once per pass.
    pub(crate) fn smi_cohort(&self) -> &crate::modules::smi::cohort::Cohort {
        self.smi_cohort
            .get_or_init(|| crate::modules::smi::cohort::build_smi_cohort(self.tables, self.year))
    }

    /// The leaf area a person counts in: its municipality's area, or the country.
    pub fn leaf_of(&self, p: PersonIdx) -> u32 {
        let muni = self
            .tables
            .persons
            .get(p.0 as usize)
            .and_then(|x| x.municipality);
        self.areas.chain(muni).last().copied().unwrap_or(0)
    }
}

/// One unit (person, stay, …): the leaf area it counts in and the groups it belongs to, as bits
/// of the module's [`ModuleDecl::groups`] (at most 63 groups: the engine adds one for indicators
/// over every unit). A unit in no group counts only in such indicators
/// ([`crate::indicator::Scope::AllUnits`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitRow {
    /// Its leaf area (municipality or country), an index into the report's areas.
    pub leaf: u32,
    /// Bit g set: the unit is in group g.
    pub groups: u64,
}

/// A labelled count of a module's summary, suppressed below k like any cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SummaryItem {
    /// What is counted.
    pub what: SummaryKind,
    /// The count, or why it is hidden.
    pub cell: Cell,
}

/// What a summary line counts, in terms of the module's base groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SummaryKind {
    /// Units of the cohort.
    CohortSize,
    /// Units in this base group.
    GroupSize(usize),
    /// Units in two or more of the base groups other than the first (`all`).
    InSeveralGroups,
    /// Units in both of two base groups.
    GroupPair(usize, usize),
    /// The pair with the most units in both.
    LargestPair(usize, usize),
    /// One bin of a distribution over the whole module (e.g. admissions by hour of day).
    Distribution {
        /// What the bins are.
        axis: DistributionAxis,
        /// The bin: the hour 0–23, or the weekday 0 (Monday) – 6 (Sunday).
        bin: u8,
    },
}

/// The axis of a [`SummaryKind::Distribution`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DistributionAxis {
    /// Hour of the day, 0–23.
    HourOfDay,
    /// Day of the week, Monday first.
    Weekday,
}

/// What a module's run hands the engine.
#[derive(Debug, Clone, Default)]
pub struct ModuleRun {
    /// One row per unit.
    pub units: Vec<UnitRow>,
    /// One fact row per unit, in the same order.
    pub facts: crate::indicator::eval::FactTable,
    /// Remarks about this module's results.
    pub notes: Vec<Note>,
    /// The module's summary (group sizes and overlaps, …), country level.
    pub summary: Vec<SummaryItem>,
}

/// A module: its declaration and the code that builds its units and facts.
pub trait AnalysisModule: Sync {
    /// The declaration (built once).
    fn decl(&self) -> &'static ModuleDecl;
    /// Builds the cohort, one [`UnitRow`] and one fact row per unit, notes and summary. Called
    /// only when every table of [`ModuleDecl::tables`] is present.
    fn run(&self, input: &Input<'_>) -> ModuleRun;
}
