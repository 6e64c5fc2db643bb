//! The simulation: persons and their episodes, municipal services and primary-care contacts,
//! as typed rows. Nothing here knows about CSV; `write` turns rows into bytes.
//!
//! Every person is generated on their own, in a fixed order, from one ChaCha8 stream, so the
//! same seed gives the same rows on every platform. Rows of one person are contiguous in each
//! table, which lets the defect injector look up "this person's other rows" cheaply.

use rand_chacha::ChaCha8Rng;

use crate::calendar::{day, weekday, Day};
use crate::codes::*;
use crate::geography;
use crate::random::{
    below, between, chance, pick, pick_weighted, piece, shuffle, weighted, Pieces,
};

/// What kind of person this is; decides which rows they get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Adult with a PHV episode in Y carrying an SMI group code: the SMI cohort of Y.
    Cohort,
    /// Aged 14–17 in Y, in PHV with child and adolescent diagnoses (some with F32).
    Minor,
    /// Adult in PHV with other diagnoses only; some with a group code on TSB or AVT_PHV only.
    OtherDiagnosis,
    /// Adult with SMI group codes in Y−1 only.
    PriorYearOnly,
    /// Frail, mostly elderly somatic patient with ready-for-discharge stays.
    Ready,
    /// Adult seen only by GPs and somatic services.
    Background,
}

/// One row of `persons`.
#[derive(Debug, Clone)]
pub(crate) struct Person {
    /// Number behind the pid `P0123456`.
    pub num: u32,
    pub birth_year: i32,
    /// 0 unknown, 1 male, 2 female.
    pub sex: u8,
    /// Index into `MUNICIPALITIES`.
    pub municipality: Option<u8>,
    pub death: Option<Day>,
    pub kind: Kind,
    /// SMI groups as a bit mask (1 schizophrenia, 2 bipolar, 4 depression, 8 personality) for
    /// cohort persons; substance use is bit 16. For tests and documentation only.
    pub groups: u8,
}

/// Bit of [`Person::groups`] for comorbid substance use.
pub(crate) const SUBSTANCE_BIT: u8 = 16;

/// One row of `episodes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Episode {
    pub person: u32,
    pub admit: Day,
    pub discharge: Option<Day>,
    pub ready: Option<Day>,
    pub letter: Option<Day>,
    /// Minutes after midnight.
    pub time: Option<u16>,
    pub sector: u8,
    pub level: u8,
    /// NPR innmateHast, 0 = empty.
    pub urgency: u8,
    pub main: u8,
    pub other: [u8; 3],
    pub unit: u8,
    /// 0 empty, 1 yes, 2 no.
    pub ambulant: u8,
    pub mode: u8,
    pub referred: u8,
    pub discharged_to: u8,
}

impl Episode {
    fn new(person: u32, sector: u8, level: u8, admit: Day) -> Episode {
        Episode {
            person,
            admit,
            discharge: if level == DOGN { None } else { Some(admit) },
            ready: None,
            letter: None,
            time: None,
            sector,
            level,
            urgency: 0,
            main: 0,
            other: [0; 3],
            unit: 0,
            ambulant: 0,
            mode: 0,
            referred: 0,
            discharged_to: 0,
        }
    }

    /// The row's own overlap with the calendar year starting at `from` and ending at `to`.
    pub(crate) fn overlaps(&self, from: Day, to: Day) -> bool {
        self.admit <= to && self.discharge.is_none_or(|d| d >= from)
    }

    fn has_dx(&self, test: impl Fn(u8) -> bool) -> bool {
        test(self.main) || self.other.iter().any(|&d| d != 0 && test(d))
    }

    /// Adds an other diagnosis in a free slot, or over a code that is in no group and is not
    /// substance use; false when the row has no room.
    fn add_other(&mut self, dx: u8) -> bool {
        if self.main == dx || self.other.contains(&dx) {
            return true;
        }
        let free = self.other.iter().position(|&d| d == 0).or_else(|| {
            self.other
                .iter()
                .position(|&d| dx_group(d).is_none() && !dx_is_substance(d))
        });
        match free {
            Some(slot) => {
                self.other[slot] = dx;
                true
            }
            None => false,
        }
    }
}

/// One row of `municipal_services`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Service {
    pub person: u32,
    pub service: u8,
    pub decision: Option<Day>,
    pub start: Day,
    pub end: Option<Day>,
}

/// One row of `primary_care`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Contact {
    pub person: u32,
    pub date: Day,
    pub provider: u8,
    pub contact_type: u8,
    pub interdisciplinary: bool,
    /// false: contact_type and interdisciplinary are left empty for the reader to derive from
    /// the tariffs (only for rows whose tariffs decide both).
    pub explicit: bool,
    pub tariffs: u8,
}

/// The generated extract, before writing.
pub(crate) struct Data {
    pub year: i32,
    pub persons: Vec<Person>,
    pub episodes: Vec<Episode>,
    pub services: Vec<Service>,
    pub contacts: Vec<Contact>,
    /// Inhabitants in Y per municipality.
    pub population: Vec<u64>,
    /// Per person: `[start, end)` of their rows in `episodes`, `services`, `contacts`.
    pub episode_rows: Vec<(u32, u32)>,
    pub service_rows: Vec<(u32, u32)>,
    pub contact_rows: Vec<(u32, u32)>,
}

/// The calendar of an extract for analysis year Y.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Window {
    pub year: i32,
    /// 1 January Y−1: the extract starts here.
    pub first: Day,
    /// 1 January Y.
    pub y_start: Day,
    /// 31 December Y: the extract date.
    pub y_end: Day,
}

impl Window {
    pub(crate) fn new(year: i32) -> Window {
        Window {
            year,
            first: day(year - 1, 1, 1),
            y_start: day(year, 1, 1),
            y_end: day(year, 12, 31),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Proportions (seed 000 unless said otherwise)

/// SMI group combinations (bit mask) and their weight among 68 930 cohort persons: single
/// groups, pairs and triples chosen so that the group totals are the seed's 8 651 : 9 908 :
/// 42 853 : 15 115, 7 358 persons (10.7 %) are in two or more groups and depression ×
/// personality is the largest overlap (4 583).
const COMBOS: [(u8, u32); 12] = [
    (1, 7587),
    (2, 7783),
    (4, 36470),
    (8, 9732),
    (4 | 8, 4344),
    (2 | 4, 1300),
    (1 | 4, 500),
    (1 | 8, 300),
    (2 | 8, 500),
    (1 | 2, 175),
    (2 | 4 | 8, 150),
    (1 | 4 | 8, 89),
];

/// Share of the cohort with comorbid substance use (5 699 / 68 930).
const SUBSTANCE_SHARE: f64 = 5699.0 / 68930.0;
/// Relative substance use per group (schizophrenia, bipolar, depression, personality).
const SUBSTANCE_FACTOR: [f64; 4] = [1.6, 1.1, 0.75, 1.8];
/// Probability of a PHV inpatient stay in Y per group (overall ≈ 22 %).
const ADMITTED: [f64; 4] = [0.45, 0.32, 0.14, 0.26];
/// Probability of ambulant PHV contacts per group (overall ≈ 13 %).
const AMBULANT: [f64; 4] = [0.30, 0.15, 0.07, 0.15];
/// Revolving-door patients (≥ 3 acute PAM admissions in Y): about 1 % of the cohort.
const REVOLVING_SHARE: f64 = 0.010;
const REVOLVING_FACTOR: [f64; 4] = [3.0, 1.5, 0.4, 2.5];
/// Female share per group.
const FEMALE: [f64; 4] = [0.40, 0.58, 0.64, 0.72];

/// Municipal services among the cohort: (service, share overlapping Y, factor per group).
/// Shares of the ten decision-bound services are the seed's (home health 27 %, …).
const COHORT_SERVICES: [(u8, f64, [f64; 4]); 15] = [
    (0, 0.27, [2.0, 1.3, 0.7, 1.3]),
    (1, 0.05, [2.2, 1.2, 0.6, 1.2]),
    (2, 0.05, [2.0, 1.0, 0.6, 1.6]),
    (3, 0.05, [2.5, 1.1, 0.5, 1.3]),
    (4, 0.04, [3.0, 1.0, 0.4, 1.5]),
    (5, 0.02, [2.5, 1.0, 0.6, 1.2]),
    (6, 0.01, [1.5, 1.0, 1.0, 0.8]),
    (7, 0.01, [2.0, 1.2, 0.9, 0.6]),
    (8, 0.01, [2.0, 1.2, 0.8, 1.0]),
    (9, 0.01, [2.0, 1.2, 0.8, 1.0]),
    (10, 0.07, [2.5, 1.2, 0.5, 1.4]),
    (11, 0.09, [2.5, 1.2, 0.5, 1.4]),
    (12, 0.02, [1.5, 1.0, 1.0, 1.0]),
    (13, 0.03, [2.0, 1.2, 0.8, 1.0]),
    (14, 0.03, [1.5, 1.0, 1.0, 1.0]),
];

/// Kinds of person and their share of `persons` (per mille): ≈ 77.5 % cohort.
const KINDS: [(u32, Kind); 6] = [
    (775, Kind::Cohort),
    (30, Kind::Minor),
    (55, Kind::OtherDiagnosis),
    (40, Kind::PriorYearOnly),
    (80, Kind::Ready),
    (20, Kind::Background),
];

/// PHV outpatient contacts per year (median ≈ 8).
const POL_COUNT: &Pieces = &[
    (14, 1, 2),
    (24, 3, 5),
    (26, 6, 10),
    (22, 11, 20),
    (11, 21, 40),
    (3, 41, 90),
];
/// GP contacts per year (median ≈ 6).
const GP_COUNT: &Pieces = &[
    (15, 1, 2),
    (30, 3, 5),
    (30, 6, 10),
    (18, 11, 20),
    (7, 21, 40),
];
const OOH_COUNT: &Pieces = &[(60, 1, 1), (25, 2, 3), (15, 4, 8)];
const SOM_POL_COUNT: &Pieces = &[(40, 1, 1), (30, 2, 3), (20, 4, 6), (10, 7, 12)];
/// Merged PHV inpatient stays in Y of an admitted person.
const STAYS: &Pieces = &[(62, 1, 1), (22, 2, 2), (9, 3, 3), (7, 4, 6)];
/// Acute PAM admissions in a year of a revolving-door patient (mean ≈ 6, as the seed's 5–6).
const PAM_SERIES: &Pieces = &[(30, 3, 3), (30, 4, 5), (30, 6, 10), (10, 11, 16)];
/// Days between a discharge and the next admission.
const GAP: &Pieces = &[(30, 1, 30), (45, 31, 120), (25, 121, 250)];
const LOS_ACUTE: &Pieces = &[
    (20, 1, 3),
    (30, 4, 10),
    (35, 11, 30),
    (12, 31, 90),
    (3, 91, 200),
];
const LOS_PLANNED: &Pieces = &[(30, 3, 14), (50, 15, 45), (20, 46, 120)];
/// PAM stays: 1–4 days, mean 2.4 (the seed assumes 2.5).
const LOS_PAM: &Pieces = &[(20, 1, 1), (35, 2, 2), (30, 3, 3), (15, 4, 4)];
const LOS_WARD: &Pieces = &[(40, 3, 10), (45, 11, 30), (15, 31, 70)];
const LOS_SOM: &Pieces = &[(40, 1, 3), (40, 4, 8), (20, 9, 20)];
const LOS_TSB: &Pieces = &[(50, 5, 21), (40, 22, 90), (10, 91, 180)];
/// Days from discharge to the discharge letter: ≈ 58 % within 1 day, ≈ 88 % within 7.
const LETTER_DELAY: &Pieces = &[(35, 0, 0), (21, 1, 1), (28, 2, 7), (12, 8, 20)];
/// Overdue days of a ready-for-discharge stay that has any (14 % of stays, seed 002).
const OVERDUE: &Pieces = &[(50, 1, 3), (35, 4, 10), (15, 11, 30)];

const AGE_SCHIZOPHRENIA: &Pieces = &[(15, 18, 29), (30, 30, 44), (35, 45, 64), (20, 65, 90)];
const AGE_BIPOLAR: &Pieces = &[(20, 18, 29), (30, 30, 44), (35, 45, 64), (15, 65, 90)];
const AGE_DEPRESSION: &Pieces = &[(35, 18, 29), (30, 30, 44), (25, 45, 64), (10, 65, 95)];
const AGE_PERSONALITY: &Pieces = &[(50, 18, 29), (35, 30, 44), (13, 45, 64), (2, 65, 80)];
const AGE_ADULT: &Pieces = &[(30, 18, 29), (30, 30, 44), (25, 45, 64), (15, 65, 90)];
const AGE_READY: &Pieces = &[(10, 40, 66), (25, 67, 77), (40, 78, 87), (25, 88, 99)];

/// Probability tables that depend on the combination of groups, worked out once.
struct ComboTables {
    weights: [u32; 12],
    substance: [f64; 12],
    revolving: [f64; 12],
    services: [[f64; 15]; 12],
}

fn combo_factor(mask: u8, factors: &[f64; 4]) -> f64 {
    (0..4)
        .filter(|g| mask & (1 << g) != 0)
        .map(|g| factors[g])
        .fold(0.0, f64::max)
}

impl ComboTables {
    fn new() -> ComboTables {
        let weights = COMBOS.map(|c| c.1);
        let total: f64 = weights.iter().map(|&w| f64::from(w)).sum();
        // Scale a per-combination factor so that the cohort-wide share is `share`.
        let scaled = |share: f64, factors: &[f64; 4]| -> [f64; 12] {
            let mean: f64 = COMBOS
                .iter()
                .map(|&(mask, w)| f64::from(w) * combo_factor(mask, factors))
                .sum::<f64>()
                / total;
            COMBOS.map(|(mask, _)| (share * combo_factor(mask, factors) / mean).min(0.95))
        };
        let mut services = [[0.0; 15]; 12];
        for (s, share, factors) in COHORT_SERVICES {
            let column = scaled(share, &factors);
            for (c, row) in services.iter_mut().enumerate() {
                row[s as usize] = column[c];
            }
        }
        ComboTables {
            weights,
            substance: scaled(SUBSTANCE_SHARE, &SUBSTANCE_FACTOR),
            revolving: scaled(REVOLVING_SHARE, &REVOLVING_FACTOR),
            services,
        }
    }
}

// ---------------------------------------------------------------------------------------------

/// How a stay that runs past its limit is cut.
#[derive(Clone, Copy)]
enum Cap {
    /// Past this day the stay is still open (empty discharge_date).
    OpenAfter(Day),
    /// The stay ends on this day at the latest (persons who must leave no trace in Y).
    EndBy(Day),
}

/// An inpatient stay to write as one or more rows (transfers).
struct StayPlan {
    sector: u8,
    admit: Day,
    time: u16,
    urgency: u8,
    unit: u8,
    los: i32,
    /// Follow-on units after transfers, with their lengths of stay.
    transfers: [(u8, i32); 2],
    main: u8,
    other: [u8; 3],
    referred: u8,
    /// Overdue days when the stay gets a ready_date (`Some(0)` = ready on the discharge day).
    overdue: Option<i32>,
    /// Treatment days before ready_date when `overdue` is set.
    treatment: i32,
    elderly: bool,
}

impl StayPlan {
    fn new(sector: u8, admit: Day, urgency: u8, unit: u8, los: i32) -> StayPlan {
        StayPlan {
            sector,
            admit,
            time: 0,
            urgency,
            unit,
            los,
            transfers: [(0, 0); 2],
            main: 0,
            other: [0; 3],
            referred: 0,
            overdue: None,
            treatment: 0,
            elderly: false,
        }
    }
}

/// A person's SMI diagnoses.
#[derive(Clone, Copy)]
struct Diagnoses {
    /// Group bit mask.
    mask: u8,
    /// The person's code in each group (0 when not in the group).
    code: [u8; 4],
    /// The person's substance-use code, 0 = none.
    substance: u8,
    /// Put F1x on PHV rows (else it comes from TSB episodes).
    substance_on_phv: bool,
}

/// Generates all persons.
pub(crate) fn simulate(
    persons: usize,
    year: i32,
    rng: &mut ChaCha8Rng,
    progress: &mut dyn FnMut(f32) -> bool,
) -> Option<Data> {
    let window = Window::new(year);
    let population = geography::population(persons);
    let muni_weights: Vec<u32> = {
        let w = geography::person_weights(&population);
        let max = w.iter().copied().max().unwrap_or(1).max(1);
        // Keep weights in u32 (portable sampling) with ample resolution.
        w.iter()
            .map(|&x| ((x as u128 * 1_000_000 / max as u128) as u32).max(1))
            .collect()
    };
    let mut sim = Sim {
        rng,
        w: window,
        tables: ComboTables::new(),
        muni_weights,
        eps: Vec::new(),
        svs: Vec::new(),
        pcs: Vec::new(),
        days: Vec::new(),
    };
    let mut data = Data {
        year,
        persons: Vec::with_capacity(persons),
        episodes: Vec::with_capacity(persons * 16),
        services: Vec::with_capacity(persons / 2),
        contacts: Vec::with_capacity(persons * 12),
        population,
        episode_rows: Vec::with_capacity(persons),
        service_rows: Vec::with_capacity(persons),
        contact_rows: Vec::with_capacity(persons),
    };
    for i in 0..persons {
        if i % 1024 == 0 && !progress(i as f32 / persons.max(1) as f32) {
            return None;
        }
        let person = sim.person(i as u32);
        let e0 = data.episodes.len() as u32;
        let s0 = data.services.len() as u32;
        let c0 = data.contacts.len() as u32;
        data.episodes.append(&mut sim.eps);
        data.services.append(&mut sim.svs);
        data.contacts.append(&mut sim.pcs);
        data.episode_rows.push((e0, data.episodes.len() as u32));
        data.service_rows.push((s0, data.services.len() as u32));
        data.contact_rows.push((c0, data.contacts.len() as u32));
        data.persons.push(person);
    }
    Some(data)
}

/// The pid number of person `i`: a bijection of 0..9 000 000 (7 919 is prime and does not
/// divide 9 000 000), so pids look unordered but never collide. Unknown pids used by the
/// defects are ≥ 9 000 000.
pub(crate) fn pid_number(i: u32) -> u32 {
    ((u64::from(i) * 7919 + 1_234_567) % 9_000_000) as u32
}

struct Sim<'r> {
    rng: &'r mut ChaCha8Rng,
    w: Window,
    tables: ComboTables,
    muni_weights: Vec<u32>,
    eps: Vec<Episode>,
    svs: Vec<Service>,
    pcs: Vec<Contact>,
    days: Vec<Day>,
}

impl Sim<'_> {
    fn p(&mut self, p: f64) -> bool {
        chance(self.rng, p)
    }

    fn person(&mut self, idx: u32) -> Person {
        let kind = pick_weighted(self.rng, &KINDS);
        let mut person = Person {
            num: pid_number(idx),
            birth_year: self.w.year - 40,
            sex: 0,
            municipality: None,
            death: None,
            kind,
            groups: 0,
        };
        let without_municipality = if kind == Kind::Cohort { 0.02 } else { 0.01 };
        if !self.p(without_municipality) {
            person.municipality = Some(weighted(self.rng, &self.muni_weights) as u8);
        }
        match kind {
            Kind::Cohort => self.cohort(idx, &mut person),
            Kind::Minor => self.minor(idx, &mut person),
            Kind::OtherDiagnosis => self.other_diagnosis(idx, &mut person),
            Kind::PriorYearOnly => self.prior_year_only(idx, &mut person),
            Kind::Ready => self.ready(idx, &mut person),
            Kind::Background => self.background(idx, &mut person),
        }
        if self.p(0.002) {
            person.sex = 0; // unknown sex, written empty
        }
        self.finish(&mut person);
        person
    }

    fn set_sex(&mut self, person: &mut Person, female: f64) {
        person.sex = if self.p(female) { 2 } else { 1 };
    }

    /// The person's own code in each of the groups of `mask`.
    fn group_codes(&mut self, mask: u8) -> [u8; 4] {
        let mut code = [0; 4];
        for (g, (slot, &(first, n))) in code.iter_mut().zip(&DX_GROUP).enumerate() {
            if mask & (1 << g) != 0 {
                *slot = first + below(self.rng, u32::from(n)) as u8;
            }
        }
        code
    }

    // -----------------------------------------------------------------------------------------
    // Kinds of person

    fn cohort(&mut self, idx: u32, person: &mut Person) {
        let (y_start, y_end) = (self.w.y_start, self.w.y_end);
        let c = weighted(self.rng, &self.tables.weights);
        let mask = COMBOS[c].0;
        let groups: Vec<usize> = (0..4).filter(|g| mask & (1 << g) != 0).collect();
        let mut dx = Diagnoses {
            mask,
            code: self.group_codes(mask),
            substance: 0,
            substance_on_phv: false,
        };
        let substance = self.p(self.tables.substance[c]);
        let mut substance_on_tsb = false;
        if substance {
            dx.substance = DX_SUBSTANCE.0 + below(self.rng, u32::from(DX_SUBSTANCE.1)) as u8;
            let r = below(self.rng, 100);
            dx.substance_on_phv = r < 85;
            substance_on_tsb = r >= 60;
        }
        person.groups = mask | if substance { SUBSTANCE_BIT } else { 0 };

        let lead = [0usize, 1, 3, 2]
            .into_iter()
            .find(|g| mask & (1 << g) != 0)
            .unwrap_or(2);
        let age = if self.p(0.02) {
            18 // right on the adult boundary
        } else {
            let table = match lead {
                0 => AGE_SCHIZOPHRENIA,
                1 => AGE_BIPOLAR,
                3 => AGE_PERSONALITY,
                _ => AGE_DEPRESSION,
            };
            piece(self.rng, table)
        };
        person.birth_year = self.w.year - age;
        let female = groups.iter().map(|&g| FEMALE[g]).sum::<f64>() / groups.len() as f64;
        self.set_sex(person, female);
        let elderly = age >= 67;

        let revolving = self.p(self.tables.revolving[c]);
        let admitted = revolving || self.p(combo_factor(mask, &ADMITTED));
        let outpatient = if admitted { self.p(0.85) } else { self.p(0.97) };
        let day_patient = self.p(0.05) || (!admitted && !outpatient);
        let ambulant = outpatient && self.p(combo_factor(mask, &AMBULANT));

        // PHV inpatient stays.
        let mut cursor = self.w.first;
        if admitted || self.p(0.03) {
            // Earlier stays in Y−1 (for the not-admitted-in-Y, ended before Y).
            let prior = if admitted { self.p(0.4) } else { true };
            if prior {
                let n = 1 + below(self.rng, 2) as i32;
                let cap = if admitted {
                    Cap::EndBy(y_start + 20)
                } else {
                    Cap::EndBy(y_start - 1)
                };
                cursor = self.phv_stays(idx, &dx, self.w.first, y_start - 60, n, cap, elderly);
            }
        }
        if revolving {
            if self.p(0.4) {
                let n = piece(self.rng, PAM_SERIES);
                cursor = self.pam_series(idx, &dx, cursor.max(self.w.first), y_start - 5, n);
            }
            let n = piece(self.rng, PAM_SERIES);
            self.pam_series(idx, &dx, cursor.max(y_start - 1), y_end, n);
        } else if admitted {
            let n = piece(self.rng, STAYS);
            let mut from = cursor.max(y_start - 30);
            if lead == 0 && cursor == self.w.first && self.p(0.05) {
                // A long stay admitted in Y−2, still running into Y or still open.
                let admit = between(self.rng, self.w.first - 330, self.w.first - 30);
                let los = between(self.rng, y_start - admit + 10, y_start - admit + 500);
                let mut plan = StayPlan::new(PHV, admit, ACUTE, U_SECURE, los);
                plan.time = self.any_time();
                plan.referred = REF_SPECIALIST;
                self.dx_phv(&dx, &mut plan.main, &mut plan.other);
                match self.push_stay(idx, &plan, Cap::OpenAfter(y_end)) {
                    Some(d) => from = d + 1,
                    None => from = y_end + 1,
                }
            }
            let span = (y_end - from).max(1) / n.max(1);
            let first = between(self.rng, from, from + span);
            // A stay admitted before Y must still overlap Y.
            self.phv_stays_from(idx, &dx, first, n, y_end, elderly);
        }

        // PHV outpatient contacts.
        if outpatient {
            let n = piece(self.rng, POL_COUNT);
            self.phv_contacts(idx, &dx, y_start, y_end, n, ambulant, U_DPS_POL);
        }
        if self.p(0.55) {
            let n = (piece(self.rng, POL_COUNT) * 7 / 10).max(1);
            self.phv_contacts(idx, &dx, self.w.first, y_start - 1, n, ambulant, U_DPS_POL);
        }
        if day_patient {
            let n = between(self.rng, 2, 20);
            self.distinct_days(y_start, y_end, n, true);
            for k in 0..self.days.len() {
                let mut e = Episode::new(idx, PHV, DAG, self.days[k]);
                e.unit = U_DPS;
                e.ambulant = 2;
                e.mode = 1;
                self.dx_phv(&dx, &mut e.main, &mut e.other);
                self.eps.push(e);
            }
        }

        // Substance-use treatment.
        if substance_on_tsb {
            self.tsb(idx, dx.substance, y_start, y_end, 0.2);
        } else if substance && self.p(0.3) {
            // Earlier TSB treatment, before Y.
            self.tsb(idx, dx.substance, self.w.first, y_start - 40, 0.0);
        }

        // Somatic hospital and private specialists.
        self.somatic_contacts(idx, 0.55, 0.45);
        if self.p(0.09) {
            let n = 1 + below(self.rng, 2) as i32;
            self.somatic_stays(idx, n, 0.04, elderly);
        }
        if self.p(0.09) {
            let n = between(self.rng, 2, 15);
            let main = dx.code[lead];
            self.private_contacts(idx, AVT_PHV, y_start, y_end, n, main);
        }
        if self.p(0.30) {
            let n = between(self.rng, 1, 4);
            let main = DX_AVT_SOM.0 + below(self.rng, u32::from(DX_AVT_SOM.1)) as u8;
            self.private_contacts(idx, AVT_SOM, y_start, y_end, n, main);
        }

        // Primary care and municipal services.
        let inter = 0.12 * combo_factor(mask, &[1.8, 1.0, 0.7, 1.3]);
        self.primary_care(idx, 0.90, 0.85, 0.025, inter, 0.25);
        let shares = self.tables.services[c];
        for s in 0..15u8 {
            if self.p(shares[s as usize]) {
                self.service_period(idx, s);
            }
        }
        if self.p(0.04) {
            let s = below(self.rng, 10) as u8;
            if !self.svs.iter().any(|x| x.service == s) {
                self.service_ended_before_y(idx, s);
            }
        }

        self.ensure_cohort_codes(&dx);
    }

    fn minor(&mut self, idx: u32, person: &mut Person) {
        let (y_start, y_end) = (self.w.y_start, self.w.y_end);
        let age = pick_weighted(self.rng, &[(40, 17), (25, 16), (20, 15), (15, 14)]);
        person.birth_year = self.w.year - age;
        self.set_sex(person, 0.6);
        let main = pick(self.rng, &DX_CHILD);
        let n = (piece(self.rng, POL_COUNT) * 8 / 10).max(1);
        self.distinct_days(y_start, y_end, n, true);
        for k in 0..self.days.len() {
            let mut e = Episode::new(idx, PHV, POL, self.days[k]);
            e.main = main;
            e.unit = U_DPS_POL;
            e.ambulant = 2;
            e.mode = 1;
            self.eps.push(e);
        }
        if self.p(0.10) {
            let admit = between(self.rng, y_start, y_end - 20);
            let los = piece(self.rng, LOS_ACUTE);
            let mut plan = StayPlan::new(PHV, admit, ACUTE, U_GENERAL, los);
            plan.time = self.any_time();
            plan.main = main;
            plan.referred = REF_GP;
            self.push_stay(idx, &plan, Cap::OpenAfter(y_end));
        }
        self.primary_care(idx, 0.8, 0.7, 0.0, 0.05, 0.1);
        if self.p(0.05) {
            self.service_period(idx, 2);
        }
    }

    fn other_diagnosis(&mut self, idx: u32, person: &mut Person) {
        let (y_start, y_end) = (self.w.y_start, self.w.y_end);
        person.birth_year = self.w.year - piece(self.rng, AGE_ADULT);
        self.set_sex(person, 0.55);
        let main = DX_OTHER_MENTAL.0 + below(self.rng, u32::from(DX_OTHER_MENTAL.1)) as u8;
        let n = (piece(self.rng, POL_COUNT) * 7 / 10).max(1);
        self.distinct_days(y_start, y_end, n, true);
        for k in 0..self.days.len() {
            let mut e = Episode::new(idx, PHV, POL, self.days[k]);
            e.main = main;
            e.unit = U_DPS_POL;
            e.ambulant = 2;
            e.mode = pick_weighted(self.rng, &[(80, 1), (8, 2), (12, 3)]);
            self.eps.push(e);
        }
        if self.p(0.08) {
            let pam = self.p(0.3);
            let admit = between(self.rng, y_start, y_end - 10);
            let los = piece(self.rng, if pam { LOS_PAM } else { LOS_ACUTE });
            let unit = if pam { U_PAM } else { U_ACUTE_WARD };
            let mut plan = StayPlan::new(PHV, admit, ACUTE, unit, los);
            plan.time = if pam {
                self.pam_time()
            } else {
                self.any_time()
            };
            plan.main = main;
            plan.referred = REF_OOH;
            self.push_stay(idx, &plan, Cap::OpenAfter(y_end));
        }
        // A group code on TSB or on a private specialist only: not in the SMI cohort.
        let depression = DX_GROUP[2].0 + 1;
        if self.p(0.25) {
            let before = self.eps.len();
            self.tsb(idx, DX_SUBSTANCE.0, y_start, y_end, 0.0);
            for e in &mut self.eps[before..] {
                e.add_other(depression);
            }
        }
        if self.p(0.15) {
            let n = between(self.rng, 2, 10);
            self.private_contacts(idx, AVT_PHV, y_start, y_end, n, depression);
        }
        self.primary_care(idx, 0.85, 0.8, 0.0, 0.05, 0.2);
        if self.p(0.05) {
            self.service_period(idx, S_HOME_HEALTH);
        }
        if self.p(0.03) {
            self.service_period(idx, 2);
        }
    }

    fn prior_year_only(&mut self, idx: u32, person: &mut Person) {
        let (first, y_start, y_end) = (self.w.first, self.w.y_start, self.w.y_end);
        let c = weighted(self.rng, &self.tables.weights);
        let mask = COMBOS[c].0;
        let dx = Diagnoses {
            mask,
            code: self.group_codes(mask),
            substance: 0,
            substance_on_phv: false,
        };
        person.birth_year = self.w.year - piece(self.rng, AGE_ADULT).max(19);
        self.set_sex(person, 0.6);
        let n = piece(self.rng, POL_COUNT);
        self.phv_contacts(idx, &dx, first, y_start - 1, n, false, U_DPS_POL);
        if self.p(0.25) {
            let n = 1 + below(self.rng, 2) as i32;
            self.phv_stays(
                idx,
                &dx,
                first,
                y_start - 90,
                n,
                Cap::EndBy(y_start - 1),
                false,
            );
        }
        if self.p(0.3) {
            // In PHV in Y too, but without a group code in Y: not in the cohort.
            let main = DX_OTHER_MENTAL.0 + below(self.rng, u32::from(DX_OTHER_MENTAL.1)) as u8;
            let n = between(self.rng, 1, 6);
            self.distinct_days(y_start, y_end, n, true);
            for k in 0..self.days.len() {
                let mut e = Episode::new(idx, PHV, POL, self.days[k]);
                e.main = main;
                e.unit = U_DPS_POL;
                e.ambulant = 2;
                e.mode = 1;
                self.eps.push(e);
            }
        }
        self.somatic_contacts(idx, 0.4, 0.4);
        self.primary_care(idx, 0.85, 0.9, 0.01, 0.05, 0.15);
        if self.p(0.10) {
            self.service_period(idx, S_HOME_HEALTH);
        }
    }

    fn ready(&mut self, idx: u32, person: &mut Person) {
        let (first, y_start, y_end) = (self.w.first, self.w.y_start, self.w.y_end);
        let age = piece(self.rng, AGE_READY);
        person.birth_year = self.w.year - age;
        self.set_sex(person, 0.58);

        // A stay in Y−1 for some.
        if self.p(0.4) {
            let admit = between(self.rng, first, y_start - 60);
            let mut plan = self.somatic_plan(admit, true);
            if !self.p(0.5) {
                plan.overdue = None;
            }
            self.push_stay(idx, &plan, Cap::EndBy(y_start - 30));
        }
        // Stays in Y: the first one ready for discharge and discharged in Y.
        let n = piece(self.rng, &[(60, 1, 1), (28, 2, 2), (12, 3, 4)]);
        let mut admit = between(self.rng, y_start, y_end - 60);
        let mut last_discharge = None;
        for k in 0..n {
            let mut plan = self.somatic_plan(admit, true);
            if k > 0 && self.p(0.3) {
                plan.overdue = None;
            }
            let stay_len = if plan.overdue.is_some() {
                plan.treatment + plan.overdue.unwrap_or(0)
            } else {
                plan.los
            };
            if admit + stay_len > y_end {
                if k == 0 {
                    admit = y_end - stay_len - between(self.rng, 0, 30);
                    plan.admit = admit;
                } else {
                    break;
                }
            }
            match self.push_stay(idx, &plan, Cap::OpenAfter(y_end)) {
                Some(d) => {
                    last_discharge = Some(d);
                    admit = d + piece(self.rng, &[(25, 1, 30), (40, 31, 120), (35, 121, 300)]);
                }
                None => break,
            }
            if admit > y_end - 5 {
                break;
            }
        }
        self.somatic_contacts(idx, 0.6, 0.5);

        // Municipal services (seed 002: 95.5 % have a decision-bound service in Y).
        let long_term = last_discharge
            .map(|d| d + between(self.rng, 1, 40))
            .filter(|&start| start <= y_end && self.p(0.10));
        if self.p(0.975) {
            let menu: [(u8, f64); 9] = [
                (S_HOME_HEALTH, 0.70),
                (S_PRACTICAL_HELP, 0.35),
                (S_MEALS, 0.12),
                (S_SHORT_TREATMENT, 0.15),
                (S_SHORT_OTHER, 0.12),
                (S_DAY_ACTIVITY, 0.05),
                (S_MEDICATION_REVIEW, 0.10),
                (S_NUTRITION, 0.08),
                (S_WELFARE_TECH, 0.40),
            ];
            for (s, p) in menu {
                if long_term.is_some() && s == S_SHORT_OTHER {
                    continue;
                }
                if self.p(p) {
                    self.service_period(idx, s);
                }
            }
            let decision_bound = self.svs.iter().any(|s| s.service != S_WELFARE_TECH);
            if !decision_bound && long_term.is_none() {
                self.service_period(idx, S_HOME_HEALTH);
            }
            if let Some(start) = long_term {
                // Short stays leading up to the long-term place (seed 002).
                let end1 = start - 1;
                let start1 = end1 - between(self.rng, 10, 30);
                if self.p(0.5) {
                    let end0 = start1 - between(self.rng, 10, 60);
                    let start0 = end0 - between(self.rng, 7, 21);
                    self.push_service(idx, S_SHORT_OTHER, start0, Some(end0));
                }
                self.push_service(idx, S_SHORT_OTHER, start1, Some(end1));
                self.push_service(idx, S_LONG_TERM, start, None);
            }
        } else if self.p(0.4) {
            self.service_period(idx, S_WELFARE_TECH);
        }
        self.primary_care(idx, 0.92, 0.9, 0.15, 0.08, 0.3);
    }

    fn background(&mut self, idx: u32, person: &mut Person) {
        let (y_start, y_end) = (self.w.y_start, self.w.y_end);
        person.birth_year = self.w.year - piece(self.rng, AGE_ADULT);
        self.set_sex(person, 0.5);
        self.somatic_contacts(idx, 0.5, 0.4);
        if self.p(0.2) {
            let main = DX_AVT_SOM.0 + below(self.rng, u32::from(DX_AVT_SOM.1)) as u8;
            let n = between(self.rng, 1, 3);
            self.private_contacts(idx, AVT_SOM, y_start, y_end, n, main);
        }
        self.primary_care(idx, 0.9, 0.85, 0.005, 0.02, 0.15);
        if self.p(0.03) {
            self.service_period(idx, S_HOME_HEALTH);
        }
    }

    // -----------------------------------------------------------------------------------------
    // Episodes

    fn any_time(&mut self) -> u16 {
        below(self.rng, 1440) as u16
    }

    /// Admission time at PAM: 24 % inside 08:00–16:00, 76 % outside (seed 003).
    fn pam_time(&mut self) -> u16 {
        if self.p(0.24) {
            (480 + below(self.rng, 480)) as u16
        } else {
            ((960 + below(self.rng, 960)) % 1440) as u16
        }
    }

    fn office_time(&mut self) -> u16 {
        (540 + below(self.rng, 360)) as u16
    }

    /// Main and other diagnoses for a PHV row of a person with these diagnoses.
    fn dx_phv(&mut self, dx: &Diagnoses, main: &mut u8, other: &mut [u8; 3]) {
        let groups: [usize; 4] = [0, 1, 2, 3];
        let in_mask: Vec<usize> = groups
            .into_iter()
            .filter(|g| dx.mask & (1 << g) != 0)
            .collect();
        if in_mask.is_empty() {
            *main = DX_OTHER_MENTAL.0;
            return;
        }
        let g = pick(self.rng, &in_mask);
        *main = dx.code[g];
        let mut slot = 0;
        if in_mask.len() > 1 && self.p(0.5) {
            let h = pick(self.rng, &in_mask);
            if h != g {
                other[slot] = dx.code[h];
                slot += 1;
            }
        }
        if dx.substance != 0 && dx.substance_on_phv && self.p(0.5) {
            other[slot] = dx.substance;
            slot += 1;
        }
        if self.p(0.1) {
            other[slot] = DX_OTHER_MENTAL.0 + below(self.rng, u32::from(DX_OTHER_MENTAL.1)) as u8;
        }
    }

    /// Writes a stay as rows; returns the final discharge day, or `None` while still open.
    fn push_stay(&mut self, person: u32, plan: &StayPlan, cap: Cap) -> Option<Day> {
        let mut admit = plan.admit;
        let mut los = if plan.overdue.is_some() {
            plan.treatment + plan.overdue.unwrap_or(0)
        } else {
            plan.los
        }
        .max(0);
        let mut unit = plan.unit;
        let mut urgency = plan.urgency;
        let mut time = plan.time;
        let mut referred = plan.referred;
        let n_rows = 1 + plan.transfers.iter().filter(|t| t.0 != 0).count();
        for row in 0..n_rows {
            let mut e = Episode::new(person, plan.sector, DOGN, admit);
            e.time = Some(time);
            e.urgency = urgency;
            e.unit = unit;
            e.main = plan.main;
            e.other = plan.other;
            e.referred = referred;
            let mut discharge = admit + los;
            let last = row + 1 == n_rows;
            let mut open = false;
            match cap {
                Cap::OpenAfter(limit) if discharge > limit => open = true,
                Cap::EndBy(limit) if discharge > limit => discharge = limit.max(admit),
                _ => {}
            }
            if open {
                e.discharge = None;
                if let (Some(_), true) = (plan.overdue, last) {
                    // ready, but not yet discharged at the extract date
                    let ready = admit + plan.treatment;
                    if ready <= discharge.min(self.w.y_end) {
                        e.ready = Some(ready);
                    }
                }
                self.eps.push(e);
                return None;
            }
            e.discharge = Some(discharge);
            let cut_short = discharge < admit + los;
            if last || cut_short {
                e.discharged_to = self.discharged_to(plan);
                if !self.p(0.04) {
                    e.letter = Some(discharge + piece(self.rng, LETTER_DELAY));
                }
                if let Some(overdue) = plan.overdue {
                    let ready = (discharge - overdue).max(admit);
                    e.ready = Some(ready);
                } else if plan.sector == PHV && discharge - admit >= 10 && self.p(0.03) {
                    let overdue = between(self.rng, 1, (discharge - admit).min(30));
                    e.ready = Some(discharge - overdue);
                }
                self.eps.push(e);
                if plan.sector == PHV {
                    self.inpatient_contacts(&e);
                }
                return Some(discharge);
            }
            e.discharged_to = TO_INSTITUTION;
            self.eps.push(e);
            if plan.sector == PHV {
                self.inpatient_contacts(&e);
            }
            // Transfer: the next row starts on the discharge day, or the day before (overlap).
            let (next_unit, next_los) = plan.transfers[row];
            let overlap = discharge - 1 > admit && self.p(0.2);
            admit = if overlap { discharge - 1 } else { discharge };
            los = next_los + i32::from(overlap);
            unit = next_unit;
            urgency = if self.p(0.5) { ACUTE } else { RETURN_TRANSFER };
            time = self.office_time();
            referred = REF_SPECIALIST;
        }
        None
    }

    fn discharged_to(&mut self, plan: &StayPlan) -> u8 {
        if plan.sector == SOM && plan.overdue.is_some() {
            return pick_weighted(
                self.rng,
                &[
                    (50, TO_HOME_SERVICES),
                    (25, TO_NURSING_HOME),
                    (10, TO_HOME),
                    (10, TO_INSTITUTION),
                    (5, TO_OTHER),
                ],
            );
        }
        let nursing = if plan.elderly {
            TO_NURSING_HOME
        } else {
            TO_OTHER
        };
        pick_weighted(
            self.rng,
            &[
                (72, TO_HOME),
                (18, TO_HOME_SERVICES),
                (5, TO_INSTITUTION),
                (4, TO_OTHER),
                (1, nursing),
            ],
        )
    }

    /// NPR care level 8 (an outpatient contact for an inpatient) during some PHV stays.
    fn inpatient_contacts(&mut self, stay: &Episode) {
        let Some(discharge) = stay.discharge else {
            return;
        };
        if discharge - stay.admit < 3 || !self.p(0.08) {
            return;
        }
        let first = stay.admit + 1 + below(self.rng, (discharge - stay.admit - 1) as u32) as i32;
        let mut e = Episode::new(stay.person, PHV, POL_INPATIENT, first);
        e.main = stay.main;
        e.unit = U_DPS_POL;
        e.mode = 1;
        self.eps.push(e);
    }

    /// An acute or planned PHV stay plan starting on `admit`.
    fn phv_plan(&mut self, dx: &Diagnoses, admit: Day, elderly: bool) -> StayPlan {
        let acute = self.p(0.75);
        let mut plan = if acute {
            if self.p(0.5) {
                // Through the psychiatric emergency unit, often transferred on to a ward.
                let mut plan = StayPlan::new(PHV, admit, ACUTE, U_PAM, piece(self.rng, LOS_PAM));
                plan.time = self.pam_time();
                if self.p(0.6) {
                    let ward = pick(self.rng, &[U_ACUTE_WARD, U_GENERAL]);
                    plan.transfers[0] = (ward, piece(self.rng, LOS_WARD));
                    if self.p(0.15) {
                        plan.transfers[1] = (U_DPS, piece(self.rng, LOS_WARD));
                    }
                }
                plan
            } else {
                let unit = pick_weighted(
                    self.rng,
                    &[
                        (60, U_ACUTE_WARD),
                        (25, U_GENERAL),
                        (5, U_SECURE),
                        (10, U_OLD_AGE),
                    ],
                );
                let unit = if unit == U_OLD_AGE && !elderly {
                    U_GENERAL
                } else {
                    unit
                };
                let mut plan = StayPlan::new(PHV, admit, ACUTE, unit, piece(self.rng, LOS_ACUTE));
                plan.time = self.any_time();
                if self.p(0.15) {
                    plan.transfers[0] = (U_DPS, piece(self.rng, LOS_WARD));
                }
                plan
            }
        } else {
            let mut plan = StayPlan::new(PHV, admit, PLANNED, U_DPS, piece(self.rng, LOS_PLANNED));
            plan.time = self.office_time();
            plan
        };
        plan.referred = if acute {
            pick_weighted(
                self.rng,
                &[
                    (45, REF_OOH),
                    (30, REF_GP),
                    (15, REF_SPECIALIST),
                    (10, REF_OTHER),
                ],
            )
        } else {
            pick_weighted(
                self.rng,
                &[(40, REF_GP), (50, REF_SPECIALIST), (10, REF_OTHER)],
            )
        };
        plan.elderly = elderly;
        self.dx_phv(dx, &mut plan.main, &mut plan.other);
        plan
    }

    /// `n` stays admitted from `from` on (the first no later than `latest_first`); returns the
    /// day after the last discharge (or after the cap when a stay was cut).
    #[allow(clippy::too_many_arguments)]
    fn phv_stays(
        &mut self,
        person: u32,
        dx: &Diagnoses,
        from: Day,
        latest_first: Day,
        n: i32,
        cap: Cap,
        elderly: bool,
    ) -> Day {
        let mut admit = between(self.rng, from, latest_first.max(from));
        let mut next = from;
        for _ in 0..n {
            let limit = match cap {
                Cap::EndBy(d) | Cap::OpenAfter(d) => d,
            };
            if admit > limit {
                break;
            }
            let plan = self.phv_plan(dx, admit, elderly);
            match self.push_stay(person, &plan, cap) {
                Some(d) => {
                    next = d + 1;
                    admit = d + piece(self.rng, GAP);
                }
                None => return limit + 1,
            }
        }
        next
    }

    /// Stays overlapping Y, the first admitted on `first` (which may be in late Y−1: the stay
    /// then runs into Y).
    fn phv_stays_from(
        &mut self,
        person: u32,
        dx: &Diagnoses,
        first: Day,
        n: i32,
        y_end: Day,
        elderly: bool,
    ) {
        let mut admit = first;
        for k in 0..n {
            if admit > y_end {
                break;
            }
            let mut plan = self.phv_plan(dx, admit, elderly);
            if k == 0 && admit < self.w.y_start {
                // Make it reach 1 January or later.
                let need = self.w.y_start - admit + between(self.rng, 0, 20);
                plan.los = plan.los.max(need);
                plan.transfers = [(0, 0); 2];
            }
            match self.push_stay(person, &plan, Cap::OpenAfter(y_end)) {
                Some(d) => admit = d + piece(self.rng, GAP),
                None => break,
            }
        }
    }

    /// A series of short acute PAM admissions between `from` and `to` (revolving door).
    fn pam_series(&mut self, person: u32, dx: &Diagnoses, from: Day, to: Day, n: i32) -> Day {
        let mut cursor = from;
        for k in 0..n {
            let remaining = n - k;
            let room = (to - cursor) / remaining;
            if room < 2 {
                break;
            }
            let admit = cursor + between(self.rng, 1, (room - 3).max(1));
            let mut plan = StayPlan::new(PHV, admit, ACUTE, U_PAM, piece(self.rng, LOS_PAM));
            plan.time = self.pam_time();
            plan.referred =
                pick_weighted(self.rng, &[(60, REF_OOH), (25, REF_GP), (15, REF_OTHER)]);
            if self.p(0.2) {
                plan.transfers[0] = (U_ACUTE_WARD, between(self.rng, 3, 15));
            }
            self.dx_phv(dx, &mut plan.main, &mut plan.other);
            match self.push_stay(person, &plan, Cap::OpenAfter(self.w.y_end)) {
                Some(d) => cursor = d + 1,
                None => return self.w.y_end + 1,
            }
        }
        cursor
    }

    /// `n` PHV outpatient contacts on distinct weekdays in `from..=to`.
    #[allow(clippy::too_many_arguments)]
    fn phv_contacts(
        &mut self,
        person: u32,
        dx: &Diagnoses,
        from: Day,
        to: Day,
        n: i32,
        ambulant: bool,
        unit: u8,
    ) {
        self.distinct_days(from, to, n, true);
        let first_row = self.eps.len();
        for k in 0..self.days.len() {
            let mut e = Episode::new(person, PHV, POL, self.days[k]);
            self.dx_phv(dx, &mut e.main, &mut e.other);
            e.unit = unit;
            if ambulant && self.p(0.35) {
                e.ambulant = 1;
                e.unit = U_AMBULANT;
                e.mode = 1;
            } else {
                e.ambulant = 2;
                e.mode = pick_weighted(self.rng, &[(78, 1), (8, 2), (14, 3)]);
            }
            if k == 0 && self.p(0.6) {
                e.referred = pick_weighted(
                    self.rng,
                    &[(60, REF_GP), (20, REF_SPECIALIST), (20, REF_OTHER)],
                );
            }
            self.eps.push(e);
        }
        if ambulant
            && first_row < self.eps.len()
            && !self.eps[first_row..].iter().any(|e| e.ambulant == 1)
        {
            let e = &mut self.eps[first_row];
            e.ambulant = 1;
            e.unit = U_AMBULANT;
            e.mode = 1;
        }
    }

    /// TSB treatment: outpatient contacts in `from..=to`, and an inpatient stay with
    /// probability `p_stay`.
    fn tsb(&mut self, person: u32, substance: u8, from: Day, to: Day, p_stay: f64) {
        let n = between(self.rng, 2, 20);
        self.distinct_days(from, to, n, true);
        for k in 0..self.days.len() {
            let mut e = Episode::new(person, TSB, POL, self.days[k]);
            e.main = substance;
            e.unit = U_TSB_POL;
            e.ambulant = 2;
            e.mode = pick_weighted(self.rng, &[(85, 1), (5, 2), (10, 3)]);
            self.eps.push(e);
        }
        if self.p(p_stay) {
            let admit = between(self.rng, from, to);
            let planned = self.p(0.7);
            let mut plan = StayPlan::new(
                TSB,
                admit,
                if planned { PLANNED } else { ACUTE },
                U_TSB_DOGN,
                piece(self.rng, LOS_TSB),
            );
            plan.time = self.admission_time(!planned);
            plan.main = substance;
            plan.referred = pick_weighted(
                self.rng,
                &[(50, REF_GP), (40, REF_SPECIALIST), (10, REF_OTHER)],
            );
            self.push_stay(person, &plan, Cap::OpenAfter(self.w.y_end));
        }
    }

    /// Somatic outpatient contacts in Y (probability `p_y`) and Y−1 (`p_prior`).
    fn somatic_contacts(&mut self, person: u32, p_y: f64, p_prior: f64) {
        let (first, y_start, y_end) = (self.w.first, self.w.y_start, self.w.y_end);
        for (p, from, to) in [(p_prior, first, y_start - 1), (p_y, y_start, y_end)] {
            if !self.p(p) {
                continue;
            }
            let n = piece(self.rng, SOM_POL_COUNT);
            self.distinct_days(from, to, n, true);
            for k in 0..self.days.len() {
                let mut e = Episode::new(person, SOM, POL, self.days[k]);
                e.main = self.somatic_dx();
                self.eps.push(e);
            }
        }
    }

    /// A somatic main diagnosis, uniform over the DX_SOMATIC range.
    fn somatic_dx(&mut self) -> u8 {
        DX_SOMATIC.0 + below(self.rng, u32::from(DX_SOMATIC.1)) as u8
    }

    /// Admission time: acute admissions come at any hour, planned ones in office hours.
    fn admission_time(&mut self, acute: bool) -> u16 {
        if acute {
            self.any_time()
        } else {
            self.office_time()
        }
    }

    /// A somatic stay plan; `ready_candidate` gives it a ready_date (86 % without overdue days).
    fn somatic_plan(&mut self, admit: Day, ready_candidate: bool) -> StayPlan {
        let acute = self.p(if ready_candidate { 0.85 } else { 0.7 });
        let unit = pick_weighted(
            self.rng,
            &[
                (50, U_MEDICAL),
                (25, U_GERIATRIC),
                (15, U_ORTHO),
                (10, U_SURGICAL),
            ],
        );
        let mut plan = StayPlan::new(
            SOM,
            admit,
            if acute { ACUTE } else { PLANNED },
            unit,
            piece(self.rng, LOS_SOM),
        );
        plan.time = self.admission_time(acute);
        plan.main = if ready_candidate {
            pick(self.rng, &DX_FRAIL)
        } else {
            self.somatic_dx()
        };
        plan.referred = if acute {
            pick_weighted(self.rng, &[(50, REF_OOH), (40, REF_GP), (10, REF_OTHER)])
        } else {
            pick_weighted(self.rng, &[(60, REF_GP), (40, REF_SPECIALIST)])
        };
        plan.elderly = true;
        if ready_candidate {
            plan.treatment = between(self.rng, 2, 14);
            plan.overdue = Some(if self.p(0.86) {
                0
            } else {
                piece(self.rng, OVERDUE)
            });
        }
        plan
    }

    /// `n` somatic stays in Y; each gets a ready_date with probability `p_ready`.
    fn somatic_stays(&mut self, person: u32, n: i32, p_ready: f64, elderly: bool) {
        let (y_start, y_end) = (self.w.y_start, self.w.y_end);
        let mut admit = between(self.rng, y_start - 20, y_end - 10);
        for _ in 0..n {
            let ready = self.p(p_ready);
            let mut plan = self.somatic_plan(admit, ready);
            plan.elderly = elderly;
            if admit < y_start {
                plan.los = plan.los.max(y_start - admit);
                plan.treatment = plan.treatment.max(y_start - admit);
            }
            match self.push_stay(person, &plan, Cap::OpenAfter(y_end)) {
                Some(d) => admit = d + piece(self.rng, GAP),
                None => break,
            }
            if admit > y_end {
                break;
            }
        }
    }

    /// Contacts with a private contract specialist.
    fn private_contacts(&mut self, person: u32, sector: u8, from: Day, to: Day, n: i32, main: u8) {
        self.distinct_days(from, to, n, true);
        for k in 0..self.days.len() {
            let mut e = Episode::new(person, sector, POL, self.days[k]);
            e.main = main;
            if sector == AVT_PHV {
                e.mode = pick_weighted(self.rng, &[(85, 1), (15, 2)]);
            }
            self.eps.push(e);
        }
    }

    /// Makes sure every group of a cohort person shows on a PHV row overlapping Y, and the
    /// substance code on a PHV or TSB row overlapping Y. The rows are sorted first.
    fn ensure_cohort_codes(&mut self, dx: &Diagnoses) {
        let (from, to) = (self.w.y_start, self.w.y_end);
        self.sort_episodes();
        let phv_in_y =
            |e: &Episode| e.sector == PHV && e.level != POL_INPATIENT && e.overlaps(from, to);
        let mut missing: Vec<u8> = (0..4)
            .filter(|&g| dx.mask & (1 << g) != 0)
            .filter(|&g| {
                !self
                    .eps
                    .iter()
                    .any(|e| phv_in_y(e) && e.has_dx(|d| dx_group(d) == Some(g)))
            })
            .map(|g| dx.code[g])
            .collect();
        if dx.substance != 0
            && !self.eps.iter().any(|e| {
                (e.sector == PHV || e.sector == TSB)
                    && e.level != POL_INPATIENT
                    && e.overlaps(from, to)
                    && e.has_dx(dx_is_substance)
            })
        {
            missing.push(dx.substance);
        }
        // Every cohort person has a PHV row in Y by construction; put each missing code on
        // the first such row with room.
        for code in missing {
            for e in self.eps.iter_mut().filter(|e| phv_in_y(e)) {
                if e.add_other(code) {
                    break;
                }
            }
        }
    }

    fn sort_episodes(&mut self) {
        self.eps
            .sort_by_key(|e| (e.admit, e.sector, e.level, e.discharge.unwrap_or(Day::MAX)));
        // Safety net: no two rows of one person with the same sector, level and admit date.
        self.eps
            .dedup_by(|b, a| a.sector == b.sector && a.level == b.level && a.admit == b.admit);
    }

    /// Fills `self.days` with up to `n` distinct days in `from..=to`, sorted; with `weekdays`
    /// nine in ten weekend days are redrawn.
    fn distinct_days(&mut self, from: Day, to: Day, n: i32, weekdays: bool) {
        self.days.clear();
        if to < from || n <= 0 {
            return;
        }
        let span = to - from + 1;
        let n = n.min(span * 5 / 7).max(1) as usize;
        let mut attempts = n * 30;
        while self.days.len() < n && attempts > 0 {
            attempts -= 1;
            let d = between(self.rng, from, to);
            if weekdays && weekday(d) >= 5 && self.p(0.9) {
                continue;
            }
            if !self.days.contains(&d) {
                self.days.push(d);
            }
        }
        self.days.sort_unstable();
    }

    // -----------------------------------------------------------------------------------------
    // Primary care

    /// GP and out-of-hours contacts. `p_gp_y`/`p_gp_prior`: any GP contact in Y / Y−1;
    /// `p_home`, `p_inter`: home visits and interdisciplinary tariffs in Y; `p_ooh`: out-of-hours.
    fn primary_care(
        &mut self,
        person: u32,
        p_gp_y: f64,
        p_gp_prior: f64,
        p_home: f64,
        p_inter: f64,
        p_ooh: f64,
    ) {
        let (first, y_start, y_end) = (self.w.first, self.w.y_start, self.w.y_end);
        for (in_y, from, to) in [(false, first, y_start - 1), (true, y_start, y_end)] {
            let p_gp = if in_y { p_gp_y } else { p_gp_prior };
            if self.p(p_gp) {
                let regular = piece(self.rng, GP_COUNT);
                let home = if in_y && self.p(p_home) {
                    between(self.rng, 1, 3)
                } else {
                    0
                };
                let inter = if in_y && self.p(p_inter) {
                    between(self.rng, 1, 3)
                } else {
                    0
                };
                self.distinct_days(from, to, regular + home + inter, true);
                // Home visits and interdisciplinary rows fall on random days of the year.
                let n = self.days.len();
                let mut kinds: Vec<u8> = (0..n as i32)
                    .map(|k| {
                        if k < home {
                            2
                        } else if k < home + inter {
                            3
                        } else {
                            1
                        }
                    })
                    .collect();
                shuffle(self.rng, &mut kinds);
                for (k, &kind) in kinds.iter().enumerate() {
                    let c = self.gp_contact(person, self.days[k], kind);
                    self.pcs.push(c);
                }
            }
            let p_o = if in_y { p_ooh } else { p_ooh * 0.8 };
            if self.p(p_o) {
                let n = piece(self.rng, OOH_COUNT);
                self.distinct_days(from, to, n, false);
                for k in 0..self.days.len() {
                    let date = self.days[k];
                    let c = self.ooh_contact(person, date);
                    self.pcs.push(c);
                }
            }
        }
        self.pcs.sort_by_key(|c| (c.date, c.provider));
        self.pcs
            .dedup_by(|b, a| a.date == b.date && a.provider == b.provider);
    }

    /// kind 1 regular, 2 home visit, 3 interdisciplinary.
    fn gp_contact(&mut self, person: u32, date: Day, kind: u8) -> Contact {
        let (contact_type, tariffs, interdisciplinary) = match kind {
            2 => (C_HOME_VISIT, pick(self.rng, &T_HOME_VISIT), false),
            3 => pick_weighted(
                self.rng,
                &[
                    (50, (C_OTHER, T_MEETING, true)),
                    (30, (C_CONSULTATION, T_CONSULTATION_MEETING, true)),
                    (20, (C_E_CONSULTATION, T_E_CONSULTATION_MEETING, true)),
                ],
            ),
            _ => {
                let ct = pick_weighted(
                    self.rng,
                    &[
                        (58, C_CONSULTATION),
                        (18, C_PHONE),
                        (20, C_E_CONSULTATION),
                        (4, C_OTHER),
                    ],
                );
                let t = match ct {
                    C_CONSULTATION => pick_weighted(
                        self.rng,
                        &[
                            (70, T_CONSULTATION[0]),
                            (10, T_CONSULTATION[1]),
                            (8, T_CONSULTATION[2]),
                            (7, T_CONSULTATION[3]),
                            (5, T_CONSULTATION[4]),
                        ],
                    ),
                    C_E_CONSULTATION => pick_weighted(
                        self.rng,
                        &[
                            (70, T_E_CONSULTATION[0]),
                            (20, T_E_CONSULTATION[1]),
                            (10, T_E_CONSULTATION[2]),
                        ],
                    ),
                    _ => T_NONE,
                };
                (ct, t, false)
            }
        };
        // Rows whose tariffs decide the contact type may leave it (and tverrfaglig) empty.
        let derivable = tariffs != T_NONE && tariffs != T_MEETING;
        Contact {
            person,
            date,
            provider: GP,
            contact_type,
            interdisciplinary,
            explicit: !(derivable && self.p(0.15)),
            tariffs,
        }
    }

    fn ooh_contact(&mut self, person: u32, date: Day) -> Contact {
        let (contact_type, tariffs) = pick_weighted(
            self.rng,
            &[
                (50, (C_CONSULTATION, T_CONSULTATION[0])),
                (23, (C_CONSULTATION, T_CONSULTATION[4])),
                (25, (C_PHONE, T_NONE)),
                (2, (C_HOME_VISIT, T_HOME_VISIT[1])),
            ],
        );
        Contact {
            person,
            date,
            provider: OOH,
            contact_type,
            interdisciplinary: false,
            explicit: !(tariffs != T_NONE && self.p(0.15)),
            tariffs,
        }
    }

    // -----------------------------------------------------------------------------------------
    // Municipal services

    fn push_service(&mut self, person: u32, service: u8, start: Day, end: Option<Day>) {
        let decision = if service == S_WELFARE_TECH || service_is_event(service) || self.p(0.1) {
            None
        } else {
            Some(start - between(self.rng, 0, 45))
        };
        self.svs.push(Service {
            person,
            service,
            decision,
            start,
            end,
        });
    }

    /// One period of `service` overlapping Y (sometimes preceded by an earlier one that
    /// ended before it); one-day events (reviews, assessments) fall in Y.
    fn service_period(&mut self, person: u32, service: u8) {
        let (first, y_start, y_end) = (self.w.first, self.w.y_start, self.w.y_end);
        if self.svs.iter().any(|s| s.service == service) {
            return;
        }
        if service_is_event(service) {
            let d = between(self.rng, y_start, y_end);
            self.push_service(person, service, d, Some(d));
            return;
        }
        let r = below(self.rng, 100);
        let start = if r < 45 {
            between(self.rng, day(self.w.year - 6, 1, 1), first - 1)
        } else if r < 70 {
            between(self.rng, first, y_start - 1)
        } else {
            between(self.rng, y_start, y_end - 7)
        };
        let end = if self.p(0.55) || start + 14 > y_end {
            None
        } else {
            Some(between(self.rng, (start + 14).max(y_start), y_end))
        };
        if self.p(0.10) {
            // An earlier period of the same service, ended well before this one started.
            let prior_end = start - between(self.rng, 30, 400);
            let prior_start = prior_end - between(self.rng, 30, 700);
            self.push_service(person, service, prior_start, Some(prior_end));
        }
        self.push_service(person, service, start, end);
    }

    /// A period that ended in Y−1 (does not count for Y).
    fn service_ended_before_y(&mut self, person: u32, service: u8) {
        let end = between(self.rng, self.w.first, self.w.y_start - 1);
        let start = end - between(self.rng, 30, 900);
        self.push_service(person, service, start, Some(end));
    }

    // -----------------------------------------------------------------------------------------

    /// Sorts the person's rows, adds a death date for a few, and closes services at death.
    fn finish(&mut self, person: &mut Person) {
        self.sort_episodes();
        self.svs.sort_by_key(|s| (s.service, s.start));
        let p_death = match person.kind {
            Kind::Ready => 0.07,
            Kind::Background => 0.01,
            Kind::Cohort => 0.004,
            _ => 0.002,
        };
        if !self.p(p_death) {
            return;
        }
        let open_stay = self
            .eps
            .iter()
            .any(|e| e.level == DOGN && e.discharge.is_none());
        if open_stay {
            return;
        }
        let last_episode = self
            .eps
            .iter()
            .map(|e| {
                e.discharge
                    .unwrap_or(e.admit)
                    .max(e.letter.unwrap_or(e.admit))
            })
            .max();
        let last = [
            last_episode,
            self.pcs.iter().map(|c| c.date).max(),
            self.svs.iter().map(|s| s.start).max(),
        ]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(self.w.first);
        // Some frail patients die in hospital at their last discharge.
        let dies_in_hospital = person.kind == Kind::Ready
            && self.p(0.3)
            && self
                .eps
                .iter()
                .rev()
                .find(|e| e.level == DOGN)
                .is_some_and(|e| {
                    e.discharge == Some(last) && e.discharge.is_some_and(|d| d >= self.w.y_start)
                });
        let death = if dies_in_hospital {
            if let Some(e) = self.eps.iter_mut().rev().find(|e| e.level == DOGN) {
                e.discharged_to = TO_DEAD;
            }
            last
        } else {
            last + between(self.rng, 1, 120)
        };
        if death > self.w.y_end {
            return;
        }
        person.death = Some(death);
        for s in &mut self.svs {
            if s.end.is_none_or(|e| e > death) {
                s.end = Some(death.max(s.start));
            }
        }
    }
}
