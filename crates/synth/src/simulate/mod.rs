//! The simulation: persons and their episodes, municipal services and primary-care contacts,
//! as typed rows. Nothing here knows about CSV; `write` turns rows into bytes.
//!
//! Every person is generated on their own, in a fixed order, from one ChaCha8 stream, so the
//! same seed gives the same rows on every platform. Rows of one person are contiguous in each
//! table, which lets the defect injector look up "this person's other rows" cheaply.
//!
//! The order of the random draws *is* the output: one draw more, fewer or earlier shifts every
//! row after it. So the modules below split the work by what it produces, not by draw order, and
//! each is a set of methods on the one [`Sim`] that holds the stream; a person's generator
//! (`cohort`, `non_cohort`, `frail`) calls them in the order that fixes the bytes of the demo,
//! the tests and the benchmarks (pinned in `tests/synth.rs`).
//!
//! - [`rows`]: the typed rows the simulation hands to `write` and `defects`;
//! - [`persons`]: who a person is (kind, age, sex, municipality, death);
//! - [`groups`]: the SMI group combinations and the probabilities that depend on them;
//! - [`diagnoses`]: which codes a person's rows carry;
//! - [`cohort`], [`non_cohort`], [`frail`]: the kinds of person and the rows each gets;
//! - [`stays`]: how a planned inpatient stay becomes rows (transfers, caps, letters);
//! - [`phv`], [`tsb`], [`somatic`], [`private`]: the specialist-care series per sector;
//! - [`primary_care`], [`services`]: GP and out-of-hours claims, municipal services.

mod cohort;
mod diagnoses;
mod frail;
mod groups;
mod non_cohort;
mod persons;
mod phv;
mod primary_care;
mod private;
mod rows;
mod services;
mod somatic;
mod stays;
mod tsb;

use rand_chacha::ChaCha8Rng;

use crate::calendar::{weekday, Day};
use crate::geography;
use crate::random::{between, chance};

use groups::ComboTables;
pub(crate) use rows::{Contact, Data, Episode, Person, Service, Window};

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

    fn sort_episodes(&mut self) {
        self.eps
            .sort_by_key(|e| (e.admit, e.sector, e.level, e.discharge.unwrap_or(Day::MAX)));
        // Safety net: no two rows of one person with the same sector, level and admit date.
        self.eps
            .dedup_by(|b, a| a.sector == b.sector && a.level == b.level && a.admit == b.admit);
    }
}
