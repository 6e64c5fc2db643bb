//! The typed rows the simulation produces and `write` and `defects` read: one struct per table,
//! the [`Data`] that holds them with each person's row ranges, and the calendar [`Window`].
//!
//! Rows hold small codes (see `codes`) and day numbers, not strings or dates, because a national
//! extract has millions of them; they sit apart from the simulation so that the writer and the
//! defect injector depend on what a row is, not on how it was drawn.

use crate::calendar::{day, Day};
use crate::codes::*;

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
    pub(super) fn new(person: u32, sector: u8, level: u8, admit: Day) -> Episode {
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

    pub(super) fn has_dx(&self, test: impl Fn(u8) -> bool) -> bool {
        test(self.main) || self.other.iter().any(|&d| d != 0 && test(d))
    }

    /// Adds an other diagnosis in a free slot, or over a code that is in no group and is not
    /// substance use; false when the row has no room.
    pub(super) fn add_other(&mut self, dx: u8) -> bool {
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
