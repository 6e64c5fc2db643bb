//! Each SMI cohort person's facts: one pass per table (episodes, merged stays, primary care,
//! municipal services) counts how many times each [`Event`] happened in Y and records each
//! [`SmiQuantity`] value.

use super::cohort::Cohort;
use super::events::{Event, SmiQuantity, EVENT_COUNT};
use super::ReadmissionSettings;
use crate::indicator::eval::FactTable;
use crate::model::{CareLevel, ContactType, Provider, Sector, Tables, Urgency};
use crate::stays::{days, each_row, episode_in_year, Stays, Year};
use chrono::Days;

/// The module's fact table, written in its own event and quantity names.
struct Facts(FactTable);

impl Facts {
    fn add(&mut self, slot: usize, e: Event) {
        self.0.add(slot, e.fact());
    }

    fn add_value(&mut self, slot: usize, q: SmiQuantity, v: i64) {
        self.0.add_value(slot, q.id(), v);
    }
}

/// Computes the facts of every cohort person in one pass per table.
pub(super) fn person_facts(
    tables: &Tables,
    cohort: &Cohort,
    stays: &Stays,
    y: &Year,
    readmission: &ReadmissionSettings,
) -> FactTable {
    let mut f = Facts(FactTable::new(
        cohort.members.len(),
        EVENT_COUNT,
        SmiQuantity::ALL.len(),
    ));

    if let Some(episodes) = &tables.episodes {
        each_row(episodes, |ep| {
            let Some(s) = cohort.slot(ep.person) else {
                return;
            };
            if ep.care_level == CareLevel::PolForInpatient {
                return;
            }
            let admit_in_y = y.contains(ep.admit_date);
            let in_y = episode_in_year(ep, y);
            match ep.sector {
                Sector::Phv => {
                    if ep.care_level == CareLevel::Pol && admit_in_y {
                        f.add(s, Event::PhvOutpatient);
                    }
                    if ep.ambulant == Some(true) && admit_in_y {
                        f.add(s, Event::Ambulant);
                    }
                }
                Sector::Tsb if in_y => f.add(s, Event::Tsb),
                Sector::Som if in_y => f.add(s, Event::Somatic),
                Sector::AvtPhv | Sector::AvtSom => {
                    if in_y {
                        f.add(
                            s,
                            if ep.sector == Sector::AvtPhv {
                                Event::PrivatePsych
                            } else {
                                Event::PrivateSomatic
                            },
                        );
                    }
                    if admit_in_y {
                        f.add(s, Event::PrivateContact);
                    }
                }
                Sector::Tsb | Sector::Som => {}
            }
        });

        let last_index = y
            .last
            .checked_sub_days(Days::new(u64::from(readmission.window_days) + 1));
        let window = Days::new(u64::from(readmission.window_days));
        each_row(&cohort.members, |m| {
            let Some(s) = cohort.slot(m.person) else {
                return;
            };
            let person = &tables.persons[m.person.0 as usize];
            let phv: Vec<_> = stays
                .of_person(m.person)
                .iter()
                .filter(|st| st.sector == Sector::Phv)
                .collect();
            for (i, st) in phv.iter().enumerate() {
                if st.overlaps(y) {
                    f.add(s, Event::PhvStay);
                    f.add_value(s, SmiQuantity::BedDays, st.bed_days_in(y) as i64);
                }
                if st.urgency == Some(Urgency::Acute) && y.contains(st.admit_date) {
                    f.add(s, Event::PhvAcuteAdmission);
                }
                let Some(disc) = st.discharge_date else {
                    continue;
                };
                if let (true, Some(letter)) = (y.contains(disc), st.letter_date) {
                    let d = days(disc, letter);
                    f.add(s, Event::LetterDischarge);
                    if d <= 1 {
                        f.add(s, Event::LetterWithin1d);
                    }
                    if d <= 7 {
                        f.add(s, Event::LetterWithin7d);
                    }
                    f.add_value(s, SmiQuantity::LetterDays, d);
                }
                let is_index = disc >= y.first
                    && last_index.is_some_and(|l| disc <= l)
                    && person.municipality.is_some()
                    && !(readmission.exclude_death_within_window
                        && person.death_date.is_some_and(|death| {
                            disc.checked_add_days(window).is_none_or(|end| death <= end)
                        }));
                if !is_index {
                    continue;
                }
                f.add(s, Event::ReadmissionIndex);
                let readmitted = phv[i + 1..].iter().any(|next| {
                    let gap = days(disc, next.admit_date);
                    (1..=i64::from(readmission.window_days)).contains(&gap)
                        && (!readmission.acute_only || next.urgency == Some(Urgency::Acute))
                });
                if readmitted {
                    f.add(s, Event::Readmission);
                }
            }
        });
    }

    if let Some(rows) = &tables.primary_care {
        each_row(rows, |r| {
            let Some(s) = cohort.slot(r.person) else {
                return;
            };
            if !y.contains(r.date) {
                return;
            }
            let consult = r.contact_type.is_consultation();
            match r.provider {
                Provider::Gp => {
                    f.add(s, Event::GpContact);
                    if consult {
                        f.add(s, Event::GpConsultation);
                    }
                    if r.contact_type == ContactType::HomeVisit {
                        f.add(s, Event::GpHomeVisit);
                    }
                }
                Provider::OutOfHours => {
                    f.add(s, Event::OohsContact);
                    if consult {
                        f.add(s, Event::OohsConsultation);
                    }
                }
            }
            if r.interdisciplinary {
                f.add(s, Event::Interdisciplinary);
            }
        });
    }

    if let Some(rows) = &tables.municipal_services {
        for r in rows {
            let Some(s) = cohort.slot(r.person) else {
                continue;
            };
            if !y.overlaps(r.start_date, r.end_date) {
                continue;
            }
            f.add(s, Event::Service(r.service));
            if r.service.is_decision_bound() {
                f.add(s, Event::AnyMunicipalService);
            }
        }
    }
    f.0
}
