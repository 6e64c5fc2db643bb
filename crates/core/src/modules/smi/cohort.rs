//! The SMI cohort of indicators.md §1: who is in which diagnosis group, and with or without
//! comorbid substance use.
//!
//! SMI(Y): persons aged ≥ 18 in Y with at least one PHV episode overlapping Y and at least one
//! group code (main or other diagnosis) on a PHV episode overlapping Y. Substance use: F10–F19
//! on any PHV or TSB episode overlapping Y. Care level 8 rows are ignored throughout
//! (docs/choices.md).

use super::groups::{SmiGroup, SubstanceSplit};
use crate::model::{Icd10, PersonIdx, Sector, Tables};
use crate::module::{SummaryItem, SummaryKind};
use crate::stays::{each_row, episode_in_year, Year};
use crate::suppress::count_cell;

/// The four diagnosis groups a person can be in, as bits (`all` = any bit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord, Hash)]
pub struct GroupMask(pub u8);

/// The four groups that are not `all`, in the spec's order.
pub const DIAGNOSIS_GROUPS: [SmiGroup; 4] = [
    SmiGroup::Schizophrenia,
    SmiGroup::Bipolar,
    SmiGroup::Depression,
    SmiGroup::Personality,
];

impl GroupMask {
    fn bit(g: SmiGroup) -> u8 {
        match g {
            SmiGroup::All => 0b1111,
            SmiGroup::Schizophrenia => 1,
            SmiGroup::Bipolar => 2,
            SmiGroup::Depression => 4,
            SmiGroup::Personality => 8,
        }
    }

    /// Whether the person is in `g` (`all` = in any of the four).
    pub fn contains(self, g: SmiGroup) -> bool {
        self.0 & Self::bit(g) != 0
    }

    /// How many of the four groups.
    pub fn count(self) -> u32 {
        (self.0 & 0b1111).count_ones()
    }
}

/// The group a diagnosis code puts a person in, if any.
pub fn group_of_code(code: &Icd10) -> Option<SmiGroup> {
    let s = code.as_bytes();
    if s.len() < 3 || s[0] != b'F' || !s[2].is_ascii_digit() {
        return None;
    }
    match (s[1], s[2]) {
        (b'2', b'0') | (b'2', b'5') => Some(SmiGroup::Schizophrenia),
        (b'3', b'0') | (b'3', b'1') => Some(SmiGroup::Bipolar),
        (b'3', b'2') | (b'3', b'3') => Some(SmiGroup::Depression),
        (b'6', _) => Some(SmiGroup::Personality),
        _ => None,
    }
}

/// Whether a code is a substance-use diagnosis (F10–F19).
pub fn is_substance_code(code: &Icd10) -> bool {
    let s = code.as_bytes();
    s.len() >= 3 && s[0] == b'F' && s[1] == b'1' && s[2].is_ascii_digit()
}

/// One person of the cohort.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    /// The person.
    pub person: PersonIdx,
    /// The diagnosis groups.
    pub groups: GroupMask,
    /// Comorbid substance use (F10–F19 on a PHV or TSB episode overlapping Y).
    pub substance: bool,
}

impl Member {
    /// Whether the member is in the long-table group (`G`, `G+substance`, `G-substance`).
    pub fn in_group(&self, g: SmiGroup, split: SubstanceSplit) -> bool {
        self.groups.contains(g)
            && match split {
                SubstanceSplit::Any => true,
                SubstanceSplit::With => self.substance,
                SubstanceSplit::Without => !self.substance,
            }
    }
}

/// SMI(Y).
#[derive(Debug, Clone, Default)]
pub struct Cohort {
    /// Members by person index.
    pub members: Vec<Member>,
    /// For every person of `Tables::persons`, its position in `members`, or `u32::MAX`.
    pub slot_of: Vec<u32>,
    /// Persons with a group code on a PHV episode in Y left out because their age is unknown.
    pub unknown_age: u64,
}

impl Cohort {
    /// The member slot of a person, if in the cohort.
    pub fn slot(&self, p: PersonIdx) -> Option<usize> {
        match self.slot_of.get(p.0 as usize) {
            Some(&s) if s != u32::MAX => Some(s as usize),
            _ => None,
        }
    }
}

/// Builds SMI(Y) in one pass over the episodes. Without an episodes table the cohort is empty
/// (and every SMI indicator is unavailable).
pub fn build_smi_cohort(tables: &Tables, y: &Year) -> Cohort {
    let n = tables.persons.len();
    let mut mask = vec![0u8; n];
    let mut has_phv = vec![false; n];
    let mut substance = vec![false; n];
    if let Some(episodes) = &tables.episodes {
        each_row(episodes, |ep| {
            let p = ep.person.0 as usize;
            if p >= n || !matches!(ep.sector, Sector::Phv | Sector::Tsb) || !episode_in_year(ep, y) {
                return;
            }
            let phv = ep.sector == Sector::Phv;
            if phv {
                has_phv[p] = true;
            }
            for code in ep.diagnoses() {
                if phv {
                    if let Some(g) = group_of_code(code) {
                        mask[p] |= GroupMask::bit(g);
                    }
                }
                if is_substance_code(code) {
                    substance[p] = true;
                }
            }
        });
    }
    let mut cohort = Cohort {
        members: Vec::new(),
        slot_of: vec![u32::MAX; n],
        unknown_age: 0,
    };
    for (i, person) in tables.persons.iter().enumerate() {
        // A group code on a PHV row overlapping Y implies a PHV episode overlapping Y.
        if mask[i] == 0 || !has_phv[i] {
            continue;
        }
        match person.age_in(y.year) {
            Some(a) if a >= 18 => {}
            Some(_) => continue,
            None => {
                cohort.unknown_age += 1;
                continue;
            }
        }
        cohort.slot_of[i] = cohort.members.len() as u32;
        cohort.members.push(Member {
            person: PersonIdx(i as u32),
            groups: GroupMask(mask[i]),
            substance: substance[i],
        });
    }
    cohort
}

/// How the diagnosis groups overlap, at country level, small counts suppressed like any cell:
/// persons per base group (`all` first), persons in two or more of the four, every pair of the
/// four with the persons in both, and the pair with the most (first in spec order on a tie;
/// absent when no person is in two groups). Base groups are indices of [`SmiGroup::ALL`].
pub fn overlap_summary(cohort: &Cohort, k: u64) -> Vec<SummaryItem> {
    let mut sizes = [0u64; 5];
    let mut pairs = [[0u64; 4]; 4];
    let mut multi = 0u64;
    for m in &cohort.members {
        for (i, g) in SmiGroup::ALL.iter().enumerate() {
            if m.groups.contains(*g) {
                sizes[i] += 1;
            }
        }
        if m.groups.count() >= 2 {
            multi += 1;
        }
        for (i, a) in DIAGNOSIS_GROUPS.iter().enumerate() {
            for (j, b) in DIAGNOSIS_GROUPS.iter().enumerate().skip(i + 1) {
                if m.groups.contains(*a) && m.groups.contains(*b) {
                    pairs[i][j] += 1;
                }
            }
        }
    }
    let item = |what, n| SummaryItem {
        what,
        cell: count_cell(n, k),
    };
    let mut out: Vec<SummaryItem> = sizes
        .iter()
        .enumerate()
        .map(|(i, &n)| item(SummaryKind::GroupSize(i), n))
        .collect();
    out.push(item(SummaryKind::InSeveralGroups, multi));
    // Base index of DIAGNOSIS_GROUPS[i] is i + 1 (`all` is base 0).
    let mut best: Option<(usize, usize, u64)> = None;
    for (i, row) in pairs.iter().enumerate() {
        for (j, &n) in row.iter().enumerate().skip(i + 1) {
            out.push(item(SummaryKind::GroupPair(i + 1, j + 1), n));
            if n > 0 && best.is_none_or(|(_, _, b)| n > b) {
                best = Some((i, j, n));
            }
        }
    }
    if let Some((i, j, n)) = best {
        out.push(item(SummaryKind::LargestPair(i + 1, j + 1), n));
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::{CareLevel, Episode, Person};
    use crate::stays::tests::dogn;

    pub(crate) fn person(pid: &str, birth_year: i32, muni: Option<u16>) -> Person {
        Person {
            pid: pid.into(),
            birth_year: Some(birth_year),
            age: None,
            sex: None,
            municipality: muni.map(crate::model::Municipality),
            death_date: None,
        }
    }

    pub(crate) fn with_dx(mut e: Episode, main: &str, other: &[&str]) -> Episode {
        e.main_diagnosis = Icd10::parse(main);
        e.other_diagnoses = other.iter().filter_map(|c| Icd10::parse(c)).collect();
        e
    }

    fn y() -> Year {
        Year::new(2024).unwrap()
    }

    #[test]
    fn codes_map_to_groups_by_prefix() {
        let g = |s: &str| group_of_code(&Icd10::parse(s).unwrap());
        assert_eq!(g("F20.0"), Some(SmiGroup::Schizophrenia));
        assert_eq!(g("F259"), Some(SmiGroup::Schizophrenia));
        assert_eq!(g("F31"), Some(SmiGroup::Bipolar));
        assert_eq!(g("F33.1"), Some(SmiGroup::Depression));
        assert_eq!(g("F69"), Some(SmiGroup::Personality));
        assert_eq!(g("F60.3"), Some(SmiGroup::Personality));
        assert_eq!(g("F21"), None);
        assert_eq!(g("F34"), None);
        assert_eq!(g("G20"), None);
        assert!(is_substance_code(&Icd10::parse("F10.2").unwrap()));
        assert!(is_substance_code(&Icd10::parse("F19").unwrap()));
        assert!(!is_substance_code(&Icd10::parse("F20").unwrap()));
    }

    #[test]
    fn age_17_is_out_and_18_is_in() {
        // Y = 2024: born 2007 → 17 (out); born 2006 → 18 (in); only age column 18 → in.
        let mut p3 = person("c", 0, None);
        p3.birth_year = None;
        p3.age = Some(18);
        let mut p4 = person("d", 0, None);
        p4.birth_year = None;
        let t = Tables {
            persons: vec![person("a", 2007, None), person("b", 2006, None), p3, p4],
            episodes: Some(
                (0..4)
                    .map(|p| with_dx(dogn(p, "2024-02-01", Some("2024-02-03")), "F20", &[]))
                    .collect(),
            ),
            ..Tables::default()
        };
        let c = build_smi_cohort(&t, &y());
        let persons: Vec<u32> = c.members.iter().map(|m| m.person.0).collect();
        assert_eq!(persons, vec![1, 2]);
        assert_eq!(c.unknown_age, 1);
        assert_eq!(c.slot(PersonIdx(2)), Some(1));
        assert_eq!(c.slot(PersonIdx(0)), None);
    }

    #[test]
    fn outpatient_and_day_rows_count_by_their_admit_date_only() {
        // indicators.md: "for POL/DAG rows this is admit_date in Y". Y = 2024.
        // p0: F20 on a PHV DAG row 2023-12-30 → 2024-01-02: admitted in 2023, out (its
        //     discharge in 2024 does not make it overlap).
        // p1: F31 on a PHV POL row 2024-12-31 → 2025-01-03: admitted in 2024, in.
        // p2: F20 on a PHV DOGN row 2023-12-30 → 2024-01-02: a stay into Y, in.
        // p3: F32 on a PHV POL row 2024-03-01 without discharge date: in.
        // p4: F20 on a PHV DOGN row 2024-03-01 and F10 on a TSB DAG row 2023-12-31 →
        //     2024-01-01: in, without substance use (the TSB row was admitted in 2023).
        let at = |p: u32, level: CareLevel, from: &str, to: Option<&str>, dx: &str| {
            let mut e = with_dx(dogn(p, from, to), dx, &[]);
            e.care_level = level;
            e
        };
        let mut tsb = at(4, CareLevel::Dag, "2023-12-31", Some("2024-01-01"), "F10");
        tsb.sector = Sector::Tsb;
        let t = Tables {
            persons: (0..5)
                .map(|i| person(&format!("p{i}"), 1980, None))
                .collect(),
            episodes: Some(vec![
                at(0, CareLevel::Dag, "2023-12-30", Some("2024-01-02"), "F20"),
                at(1, CareLevel::Pol, "2024-12-31", Some("2025-01-03"), "F31"),
                at(2, CareLevel::Dogn, "2023-12-30", Some("2024-01-02"), "F20"),
                at(3, CareLevel::Pol, "2024-03-01", None, "F32"),
                at(4, CareLevel::Dogn, "2024-03-01", Some("2024-03-05"), "F20"),
                tsb,
            ]),
            ..Tables::default()
        };
        let c = build_smi_cohort(&t, &y());
        let persons: Vec<u32> = c.members.iter().map(|m| m.person.0).collect();
        assert_eq!(persons, vec![1, 2, 3, 4]);
        assert!(!c.members[3].substance);
    }

    #[test]
    fn groups_overlap_and_substance_comes_from_phv_or_tsb() {
        // p0: F20 main + F32 other on PHV, F10 on a TSB POL contact in Y → schizo+depr, substance.
        // p1: F31 on PHV in 2024; F12 on PHV in 2023 only (does not overlap) → bipolar, no substance.
        // p2: F60 only on a SOM row → not in the cohort. p3: F20 on a PHV care-level-8 row → out.
        let mut tsb = with_dx(dogn(0, "2024-05-01", Some("2024-05-01")), "F10.2", &[]);
        tsb.sector = Sector::Tsb;
        tsb.care_level = CareLevel::Pol;
        let mut som = with_dx(dogn(2, "2024-05-01", Some("2024-05-03")), "F60", &[]);
        som.sector = Sector::Som;
        let mut lvl8 = with_dx(dogn(3, "2024-05-01", Some("2024-05-01")), "F20", &[]);
        lvl8.care_level = CareLevel::PolForInpatient;
        let t = Tables {
            persons: (0..4).map(|i| person(&i.to_string(), 1980, None)).collect(),
            episodes: Some(vec![
                with_dx(dogn(0, "2024-01-10", Some("2024-01-20")), "F20", &["F32.1"]),
                tsb,
                with_dx(dogn(1, "2023-12-01", Some("2024-01-02")), "F31", &[]),
                with_dx(dogn(1, "2023-03-01", Some("2023-03-02")), "F12", &[]),
                som,
                lvl8,
            ]),
            ..Tables::default()
        };
        let c = build_smi_cohort(&t, &y());
        assert_eq!(c.members.len(), 2);
        let m0 = c.members[0];
        assert!(m0.groups.contains(SmiGroup::Schizophrenia));
        assert!(m0.groups.contains(SmiGroup::Depression));
        assert!(!m0.groups.contains(SmiGroup::Bipolar));
        assert!(m0.substance);
        assert!(m0.in_group(SmiGroup::All, SubstanceSplit::With));
        assert!(!m0.in_group(SmiGroup::All, SubstanceSplit::Without));
        let m1 = c.members[1];
        assert!(m1.groups.contains(SmiGroup::Bipolar));
        assert!(!m1.substance);

        // Overlap: sizes all 2, schizo 1, bipolar 1, depr 1, pers 0; one person in ≥ 2 groups;
        // the only non-empty pair is schizophrenia × depression (1).
        let o = overlap_summary(&c, 0);
        let get = |o: &[SummaryItem], w: SummaryKind| o.iter().find(|i| i.what == w).unwrap().cell;
        assert_eq!(get(&o, SummaryKind::GroupSize(0)).value(), Some(2.0));
        assert_eq!(get(&o, SummaryKind::GroupSize(4)).value(), Some(0.0));
        assert_eq!(get(&o, SummaryKind::InSeveralGroups).value(), Some(1.0));
        let pairs = o
            .iter()
            .filter(|i| matches!(i.what, SummaryKind::GroupPair(..)))
            .count();
        assert_eq!(pairs, 6);
        // Schizophrenia is base 1, depression base 3.
        assert_eq!(get(&o, SummaryKind::LargestPair(1, 3)).value(), Some(1.0));
        // With k = 5 every count here is suppressed.
        let o5 = overlap_summary(&c, 5);
        assert!(get(&o5, SummaryKind::GroupSize(0)).is_suppressed());
        assert!(get(&o5, SummaryKind::LargestPair(1, 3)).is_suppressed());
    }
}
