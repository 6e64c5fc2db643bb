//! Continuous stays (indicators.md, preamble) and the calendar of the analysis year.
//!
//! Per person and sector, DOGN rows are sorted by admit_date and merged while the next
//! admit_date ≤ the current discharge_date (a transfer; an open stay absorbs every later row).
//! All stay-based indicators use these merged stays; POL and DAG rows are never merged, and care
//! level 8 (outpatient contact for an inpatient) is never a stay.

use crate::model::{CareLevel, DischargedTo, Episode, PersonIdx, ReferredBy, Sector, Urgency};
use chrono::{Datelike, NaiveDate, NaiveTime};

/// The analysis year Y with its first and last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Year {
    /// Y.
    pub year: i32,
    /// 1 January of Y.
    pub first: NaiveDate,
    /// 31 December of Y.
    pub last: NaiveDate,
}

impl Year {
    /// The year `year`, or `None` when chrono cannot represent it.
    pub fn new(year: i32) -> Option<Year> {
        Some(Year {
            year,
            first: NaiveDate::from_ymd_opt(year, 1, 1)?,
            last: NaiveDate::from_ymd_opt(year, 12, 31)?,
        })
    }

    /// Whether `d` is within 1 Jan..31 Dec of Y.
    pub fn contains(&self, d: NaiveDate) -> bool {
        d.year() == self.year
    }

    /// Whether a period `start..end` (end `None` = still open) overlaps Y:
    /// start ≤ 31 Dec Y and (end empty or end ≥ 1 Jan Y).
    pub fn overlaps(&self, start: NaiveDate, end: Option<NaiveDate>) -> bool {
        start <= self.last && end.is_none_or(|e| e >= self.first)
    }
}

/// Rows per call of [`each_row`]'s inner function.
const ROWS_PER_CALL: usize = 4096;

/// Calls `f` on every row of `rows` in order, a few thousand rows per call of a function that
/// is not inlined. For the loops over every row of a table: in the browser, a loop inside one
/// call of a WebAssembly function runs to its end in the code V8 compiled first (its baseline
/// tier, several times slower); a function called again and again gets the optimised code from
/// a later call on. Natively it is the same loop.
pub(crate) fn each_row<T>(rows: &[T], mut f: impl FnMut(&T)) {
    for chunk in rows.chunks(ROWS_PER_CALL) {
        rows_of(chunk, &mut f);
    }
}

#[inline(never)]
fn rows_of<T, F: FnMut(&T)>(rows: &[T], f: &mut F) {
    for r in rows {
        f(r);
    }
}

/// days(a, b) = b − a in whole days.
pub fn days(a: NaiveDate, b: NaiveDate) -> i64 {
    (b - a).num_days()
}

/// Whether an episode is "in Y", or "overlaps Y" — one notion in indicators.md's notation: a
/// DOGN row that overlaps Y judged on its own dates (a row without discharge_date is open and
/// overlaps every year from its admit year), a POL/DAG row with admit_date in Y (whatever its
/// discharge_date says). Care level 8 rows never count.
pub fn episode_in_year(ep: &Episode, y: &Year) -> bool {
    match ep.care_level {
        CareLevel::PolForInpatient => false,
        CareLevel::Dogn => y.overlaps(ep.admit_date, ep.discharge_date),
        CareLevel::Dag | CareLevel::Pol => y.contains(ep.admit_date),
    }
}

/// A merged (continuous) DOGN stay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stay {
    /// The person.
    pub person: PersonIdx,
    /// The sector of every merged row.
    pub sector: Sector,
    /// From the first row.
    pub admit_date: NaiveDate,
    /// From the first row.
    pub admit_time: Option<NaiveTime>,
    /// From the row that ends last; `None` when any merged row is still open.
    pub discharge_date: Option<NaiveDate>,
    /// From the first row.
    pub urgency: Option<Urgency>,
    /// From the first row: its name is [`crate::model::Tables::unit_name`].
    pub unit: Option<crate::model::UnitId>,
    /// From the first row.
    pub referred_by: Option<ReferredBy>,
    /// From the row that ends last.
    pub discharged_to: Option<DischargedTo>,
    /// From the row that ends last.
    pub letter_date: Option<NaiveDate>,
    /// From the first row (in admit order) that has one.
    pub ready_date: Option<NaiveDate>,
    /// How many episode rows were merged into this stay.
    pub rows: u32,
}

impl Stay {
    /// Whether the stay overlaps Y.
    pub fn overlaps(&self, y: &Year) -> bool {
        y.overlaps(self.admit_date, self.discharge_date)
    }

    /// Bed days inside Y = days(max(admit_date, 1 Jan Y), min(discharge_date or 31 Dec Y,
    /// 31 Dec Y)), never negative. A stay still open counts to 31 Dec.
    pub fn bed_days_in(&self, y: &Year) -> u64 {
        let start = self.admit_date.max(y.first);
        let end = self.discharge_date.unwrap_or(y.last).min(y.last);
        u64::try_from(days(start, end)).unwrap_or(0)
    }
}

/// Merged stays of every person, grouped by person (CSR offsets), within a person sorted by
/// (sector, admit_date).
#[derive(Debug, Clone, Default)]
pub struct Stays {
    stays: Vec<Stay>,
    /// `offsets[p]..offsets[p + 1]` are person p's stays.
    offsets: Vec<u32>,
}

impl Stays {
    /// All stays, by person, sector and admit_date.
    pub fn all(&self) -> &[Stay] {
        &self.stays
    }

    /// The stays of one person (empty for an unknown index).
    pub fn of_person(&self, p: PersonIdx) -> &[Stay] {
        let i = p.0 as usize;
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.stays[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// Merges the DOGN rows of `episodes` into continuous stays, for persons `0..n_persons`
/// (rows naming another person are ignored).
///
/// Rows with the same admit_date keep their order in the table. The row "that ends last" is
/// an open row if there is one, else the one with the latest discharge_date; on a tie, the later
/// row in admit order.
pub fn merge_stays(episodes: &[Episode], n_persons: usize) -> Stays {
    // (person, sector, admit_date, row) of every DOGN row: sorted, the row number breaks ties,
    // which is the order of a stable sort by (person, sector, admit_date) — without looking
    // the rows up again in every comparison.
    let mut keyed: Vec<(PersonIdx, Sector, NaiveDate, u32)> = Vec::new();
    let mut i = 0u32;
    each_row(episodes, |e| {
        if e.care_level == CareLevel::Dogn && (e.person.0 as usize) < n_persons {
            keyed.push((e.person, e.sector, e.admit_date, i));
        }
        i += 1;
    });
    keyed.sort_unstable();
    let idx: Vec<u32> = keyed.into_iter().map(|(.., i)| i).collect();

    let mut stays: Vec<Stay> = Vec::with_capacity(idx.len());
    let mut counts = vec![0u32; n_persons];
    let mut k = 0usize;
    while k < idx.len() {
        let (stay, rows) = merge_one(episodes, &idx[k..]);
        counts[stay.person.0 as usize] += 1;
        stays.push(stay);
        k += rows;
    }
    let mut offsets = Vec::with_capacity(n_persons + 1);
    let mut acc = 0u32;
    offsets.push(0);
    for c in counts {
        acc += c;
        offsets.push(acc);
    }
    Stays { stays, offsets }
}

/// The stay that begins at the row `idx[0]`: the rows of `idx` it merges (at least that one),
/// `idx` sorted by (person, sector, admit_date). A function of its own, called per stay (see
/// [`each_row`]).
#[inline(never)]
fn merge_one(episodes: &[Episode], idx: &[u32]) -> (Stay, usize) {
    let first = &episodes[idx[0] as usize];
    let mut last_end = first; // the row that ends last so far
    let mut end: Option<NaiveDate> = first.discharge_date; // None = open
    let mut ready = first.ready_date;
    let mut rows = 1u32;
    let mut j = 1;
    while j < idx.len() {
        let next = &episodes[idx[j] as usize];
        if next.person != first.person || next.sector != first.sector {
            break;
        }
        let absorbed = match end {
            None => true,
            Some(e) => next.admit_date <= e,
        };
        if !absorbed {
            break;
        }
        // Does `next` end at or after the current last-ending row?
        let ends_later = match (next.discharge_date, end) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(n), Some(e)) => n >= e,
        };
        if ends_later {
            last_end = next;
            end = next.discharge_date;
        }
        if ready.is_none() {
            ready = next.ready_date;
        }
        rows += 1;
        j += 1;
    }
    let stay = Stay {
        person: first.person,
        sector: first.sector,
        admit_date: first.admit_date,
        admit_time: first.admit_time,
        discharge_date: end,
        urgency: first.urgency,
        unit: first.unit,
        referred_by: first.referred_by,
        discharged_to: last_end.discharged_to,
        letter_date: last_end.letter_date,
        ready_date: ready,
        rows,
    };
    (stay, j)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// A PHV DOGN row with the given dates, acute.
    pub(crate) fn dogn(p: u32, admit: &str, discharge: Option<&str>) -> Episode {
        Episode {
            person: PersonIdx(p),
            sector: Sector::Phv,
            care_level: CareLevel::Dogn,
            admit_date: d(admit),
            admit_time: None,
            discharge_date: discharge.map(d),
            urgency: Some(Urgency::Acute),
            main_diagnosis: None,
            other_diagnoses: Default::default(),
            unit: None,
            ambulant: None,
            contact_mode: None,
            ready_date: None,
            letter_date: None,
            referred_by: None,
            discharged_to: None,
        }
    }

    fn y2024() -> Year {
        Year::new(2024).unwrap()
    }

    #[test]
    fn same_day_transfer_is_one_stay() {
        // 1–10 March, then transferred 10 March – 20 March: admit 10 Mar ≤ discharge 10 Mar.
        let mut a = dogn(0, "2024-03-01", Some("2024-03-10"));
        a.unit = Some(crate::model::UnitId::new(3));
        a.referred_by = Some(ReferredBy::OutOfHours);
        a.letter_date = Some(d("2024-03-11"));
        let mut b = dogn(0, "2024-03-10", Some("2024-03-20"));
        b.urgency = Some(Urgency::Planned);
        b.letter_date = Some(d("2024-03-25"));
        b.discharged_to = Some(DischargedTo::Home);
        let s = merge_stays(&[b, a], 1);
        assert_eq!(s.all().len(), 1);
        let st = &s.all()[0];
        assert_eq!(st.admit_date, d("2024-03-01"));
        assert_eq!(st.discharge_date, Some(d("2024-03-20")));
        // first row: urgency, unit, referred_by
        assert_eq!(st.urgency, Some(Urgency::Acute));
        assert_eq!(st.unit.map(crate::model::UnitId::index), Some(3));
        assert_eq!(st.referred_by, Some(ReferredBy::OutOfHours));
        // last-ending row: letter, discharged_to
        assert_eq!(st.letter_date, Some(d("2024-03-25")));
        assert_eq!(st.discharged_to, Some(DischargedTo::Home));
        assert_eq!(st.rows, 2);
        // bed days 1 Mar → 20 Mar = 19
        assert_eq!(st.bed_days_in(&y2024()), 19);
    }

    #[test]
    fn overlapping_transfer_keeps_the_row_that_ends_last() {
        // A 1–30 Mar, B 5–15 Mar (inside A), C 30 Mar – 2 Apr, D 3 Apr (1 day after: new stay).
        let mut a = dogn(0, "2024-03-01", Some("2024-03-30"));
        a.letter_date = Some(d("2024-03-31"));
        let mut b = dogn(0, "2024-03-05", Some("2024-03-15"));
        b.letter_date = Some(d("2024-03-16"));
        b.ready_date = Some(d("2024-03-14"));
        let mut c = dogn(0, "2024-03-30", Some("2024-04-02"));
        c.letter_date = Some(d("2024-04-05"));
        let e = dogn(0, "2024-04-03", Some("2024-04-04"));
        let s = merge_stays(&[a, b, c, e], 1);
        assert_eq!(s.all().len(), 2);
        let st = &s.all()[0];
        assert_eq!(st.discharge_date, Some(d("2024-04-02")));
        assert_eq!(st.letter_date, Some(d("2024-04-05")));
        assert_eq!(st.ready_date, Some(d("2024-03-14")));
        assert_eq!(s.all()[1].admit_date, d("2024-04-03"));
    }

    #[test]
    fn open_stay_absorbs_later_rows_and_counts_to_31_december() {
        // Open from 1 Dec 2024; a row 20 Dec..22 Dec is absorbed; another sector is separate.
        let a = dogn(0, "2024-12-01", None);
        let b = dogn(0, "2024-12-20", Some("2024-12-22"));
        let mut c = dogn(0, "2024-12-21", Some("2024-12-23"));
        c.sector = Sector::Som;
        let s = merge_stays(&[a, b, c], 1);
        assert_eq!(s.all().len(), 2);
        let phv = s.all().iter().find(|s| s.sector == Sector::Phv).unwrap();
        assert_eq!(phv.discharge_date, None);
        // 1 Dec → 31 Dec = 30 bed days
        assert_eq!(phv.bed_days_in(&y2024()), 30);
        assert!(phv.overlaps(&Year::new(2030).unwrap()));
    }

    #[test]
    fn stays_across_new_year_are_clipped() {
        let y = y2024();
        // 20 Dec 2023 → 10 Jan 2024: days(1 Jan, 10 Jan) = 9
        let a = Stay::from_row(&dogn(0, "2023-12-20", Some("2024-01-10")));
        assert_eq!(a.bed_days_in(&y), 9);
        // 25 Dec 2024 → 5 Jan 2025: days(25 Dec, 31 Dec) = 6
        let b = Stay::from_row(&dogn(0, "2024-12-25", Some("2025-01-05")));
        assert_eq!(b.bed_days_in(&y), 6);
        // whole year through: 1 Jan → 31 Dec = 365 (2024 is a leap year)
        let c = Stay::from_row(&dogn(0, "2023-06-01", Some("2025-06-01")));
        assert_eq!(c.bed_days_in(&y), 365);
        // entirely in 2023: never negative
        let e = Stay::from_row(&dogn(0, "2023-03-01", Some("2023-03-05")));
        assert_eq!(e.bed_days_in(&y), 0);
        assert!(!e.overlaps(&y));
        // discharged 1 Jan 2024: overlaps, 0 bed days
        let f = Stay::from_row(&dogn(0, "2023-12-28", Some("2024-01-01")));
        assert!(f.overlaps(&y));
        assert_eq!(f.bed_days_in(&y), 0);
    }

    #[test]
    fn pol_rows_and_other_persons_are_not_merged() {
        let mut pol = dogn(0, "2024-03-02", Some("2024-03-02"));
        pol.care_level = CareLevel::Pol;
        let a = dogn(0, "2024-03-01", Some("2024-03-05"));
        let b = dogn(1, "2024-03-03", Some("2024-03-06"));
        let s = merge_stays(&[pol, a, b], 2);
        assert_eq!(s.of_person(PersonIdx(0)).len(), 1);
        assert_eq!(s.of_person(PersonIdx(0))[0].rows, 1);
        assert_eq!(s.of_person(PersonIdx(1)).len(), 1);
        assert_eq!(s.of_person(PersonIdx(7)).len(), 0);
    }

    #[test]
    fn stays_are_ordered_by_person_sector_and_admit_date_and_ties_by_table_order() {
        // Table order scrambled: person 2's SOM row first, a tie on person 0's PHV rows (same
        // admit and discharge date: the first in the table gives the unit, the later one is
        // "the row that ends last"), person 0's TSB row earlier in the year than its PHV rows.
        let mut som2 = dogn(2, "2024-05-01", Some("2024-05-03"));
        som2.sector = Sector::Som;
        let mut first = dogn(0, "2024-03-01", Some("2024-03-05"));
        first.unit = Some(crate::model::UnitId::new(1));
        let mut tie = dogn(0, "2024-03-01", Some("2024-03-05"));
        tie.unit = Some(crate::model::UnitId::new(2));
        tie.discharged_to = Some(DischargedTo::Home);
        let mut tsb0 = dogn(0, "2024-02-01", Some("2024-02-02"));
        tsb0.sector = Sector::Tsb;
        let phv2 = dogn(2, "2024-06-01", Some("2024-06-02"));
        let s = merge_stays(&[som2, first, tie, tsb0, phv2], 3);
        let p0 = s.of_person(PersonIdx(0));
        // PHV before TSB (sector order), although TSB's row is earlier in the year.
        assert_eq!(
            p0.iter()
                .map(|st| (st.sector, st.admit_date))
                .collect::<Vec<_>>(),
            vec![
                (Sector::Phv, d("2024-03-01")),
                (Sector::Tsb, d("2024-02-01"))
            ]
        );
        assert_eq!(p0[0].rows, 2);
        assert_eq!(p0[0].unit.map(crate::model::UnitId::index), Some(1));
        assert_eq!(p0[0].discharged_to, Some(DischargedTo::Home));
        assert!(s.of_person(PersonIdx(1)).is_empty());
        let p2 = s.of_person(PersonIdx(2));
        assert_eq!(
            p2.iter().map(|st| st.sector).collect::<Vec<_>>(),
            vec![Sector::Phv, Sector::Som]
        );
    }

    impl Stay {
        fn from_row(e: &Episode) -> Stay {
            merge_stays(std::slice::from_ref(e), 1).all()[0].clone()
        }
    }
}
