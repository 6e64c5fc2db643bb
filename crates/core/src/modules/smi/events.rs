//! What the SMI module counts per person: events (how many times) and quantities (values).

use crate::model::{ServiceCode, TableKind};
use crate::module::{Fact, FactDecl, Quantity, QuantityDecl};
use serde::Serialize;

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

/// Every event, in index order.
pub fn all_events() -> Vec<Event> {
    let mut all: Vec<Event> = PLAIN_EVENTS.to_vec();
    all.extend(ServiceCode::ALL.map(Event::Service));
    all
}

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

    /// The event as a fact of the module's fact row.
    pub fn fact(self) -> Fact {
        Fact(self.index() as u16)
    }

    /// The declaration: name (as in the generated docs), tables and the event it lies within.
    pub fn decl(self) -> FactDecl {
        FactDecl {
            name: match self {
                Event::Service(code) => {
                    crate::text::leak(format!("Service({})", code.code()))
                }
                e => crate::text::leak(format!("{e:?}")),
            },
            tables: self.tables(),
            within: self.within().map(Event::fact),
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
}

/// A per-occurrence number of a cohort person in Y.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum SmiQuantity {
    /// Bed days of each merged PHV DOGN stay inside Y (never negative).
    BedDays,
    /// days(discharge_date, letter_date) of each [`Event::LetterDischarge`] (negative when the
    /// letter was sent before discharge).
    LetterDays,
}

impl SmiQuantity {
    /// Both, in index order.
    pub const ALL: [SmiQuantity; 2] = [SmiQuantity::BedDays, SmiQuantity::LetterDays];

    /// The quantity's position in the module's declaration.
    pub fn id(self) -> Quantity {
        Quantity(self as u16)
    }

    /// The declaration: name and tables.
    pub fn decl(self) -> QuantityDecl {
        QuantityDecl {
            name: match self {
                SmiQuantity::BedDays => "BedDays",
                SmiQuantity::LetterDays => "LetterDays",
            },
            tables: &[TableKind::Episodes],
        }
    }
}


#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn event_indices_are_a_bijection() {
        let idx: BTreeSet<usize> = all_events().iter().map(|e| e.index()).collect();
        assert_eq!(idx.len(), EVENT_COUNT);
        assert_eq!(idx.iter().max(), Some(&(EVENT_COUNT - 1)));
        for (i, e) in all_events().into_iter().enumerate() {
            assert_eq!(e.index(), i);
        }
    }
}
