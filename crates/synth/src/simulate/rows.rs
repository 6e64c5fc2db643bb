//! The typed rows the simulation produces and `write` and `defects` read: one struct per table,
//! the [`Data`] that holds them with each person's row ranges, and the calendar [`Window`].
//!
//! Rows hold small codes (see `codes`) and day numbers, not strings or dates, because a national
//! extract has millions of them; they sit apart from the simulation so that the writer and the
//! defect injector depend on what a row is, not on how it was drawn.

use super::groups::Groups;
use crate::calendar::{day, Day};
use crate::codes::{
    dx_group, dx_is_substance, CareLevel, ContactMode, ContactType, DischargedTo, Dx, Provider,
    ReferredBy, Sector, ServiceCode, Sex, Tariffs, Unit, Urgency,
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
    /// `None`: unknown, written empty.
    pub sex: Option<Sex>,
    /// Index into `MUNICIPALITIES`.
    pub municipality: Option<u8>,
    pub death: Option<Day>,
    pub kind: Kind,
    /// SMI groups of cohort persons (empty for the others). For tests and documentation only.
    pub groups: Groups,
    /// Comorbid substance use of a cohort person. For tests and documentation only.
    pub substance: bool,
}

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
    pub sector: Sector,
    pub level: CareLevel,
    pub urgency: Option<Urgency>,
    pub main: Option<Dx>,
    /// Filled from the front; a `None` is an empty slot.
    pub other: [Option<Dx>; 3],
    pub unit: Option<Unit>,
    /// `Some(true)` ambulant, `Some(false)` not, `None` empty.
    pub ambulant: Option<bool>,
    pub mode: Option<ContactMode>,
    pub referred: Option<ReferredBy>,
    pub discharged_to: Option<DischargedTo>,
}

impl Episode {
    pub(super) fn new(person: u32, sector: Sector, level: CareLevel, admit: Day) -> Episode {
        Episode {
            person,
            admit,
            discharge: if level == CareLevel::Dogn {
                None
            } else {
                Some(admit)
            },
            ready: None,
            letter: None,
            time: None,
            sector,
            level,
            urgency: None,
            main: None,
            other: [None; 3],
            unit: None,
            ambulant: None,
            mode: None,
            referred: None,
            discharged_to: None,
        }
    }

    /// The row's own overlap with the calendar year starting at `from` and ending at `to`.
    pub(crate) fn overlaps(&self, from: Day, to: Day) -> bool {
        self.admit <= to && self.discharge.is_none_or(|d| d >= from)
    }

    pub(super) fn has_dx(&self, test: impl Fn(Dx) -> bool) -> bool {
        self.main.is_some_and(&test) || self.other.iter().flatten().any(|&d| test(d))
    }

    /// Adds an other diagnosis in a free slot, or over a code that is in no group and is not
    /// substance use; false when the row has no room.
    pub(super) fn add_other(&mut self, dx: Dx) -> bool {
        if self.main == Some(dx) || self.other.contains(&Some(dx)) {
            return true;
        }
        let free = self.other.iter().position(Option::is_none).or_else(|| {
            self.other
                .iter()
                .position(|d| d.is_some_and(|d| dx_group(d).is_none() && !dx_is_substance(d)))
        });
        match free {
            Some(slot) => {
                self.other[slot] = Some(dx);
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
    pub service: ServiceCode,
    pub decision: Option<Day>,
    pub start: Day,
    pub end: Option<Day>,
}

/// One row of `primary_care`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Contact {
    pub person: u32,
    pub date: Day,
    pub provider: Provider,
    pub contact_type: ContactType,
    pub interdisciplinary: bool,
    /// false: contact_type and interdisciplinary are left empty for the reader to derive from
    /// the tariffs (only for rows whose tariffs decide both).
    pub explicit: bool,
    pub tariffs: Tariffs,
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
