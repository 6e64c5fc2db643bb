//! Defects injected at known rates. Each injected row carries exactly one defect:
//!
//! - extra rows in episodes, primary_care and municipal_services (copies of clean rows with one
//!   cell broken, exact duplicates, or new service rows), placed after their source row;
//! - persons whose municipality is replaced by a 4-digit code missing from areas.csv.
//!
//! Clean rows are never touched (except that one persons cell), so a reader that rejects the
//! bad rows and keeps the warned ones sees the clean extract plus the duplicates and the
//! overlapping service periods. Sources are chosen so that a defect cannot cause a second issue:
//! every copy is of a known person, no two injected rows are alike, an overlapping period lies
//! inside the one period it overlaps, and the rows with broken service dates are for a service
//! the person has no other period of.

use std::collections::{BTreeMap, HashSet};

use rand_chacha::ChaCha8Rng;

use crate::calendar::{ymd, Day};
use crate::codes::{CareLevel, ServiceCode};
use crate::geography::UNKNOWN_MUNICIPALITIES;
use crate::random::{below, between, chance, pick};
use crate::simulate::{Data, Window};
use crate::write::{self, Style};

/// Every defect code the generator can inject, as the reader reports it.
pub const DEFECT_CODES: [&str; 11] = [
    "ambiguous_century",
    "bad_date",
    "date_before_1900",
    "duplicate_row",
    "missing_required",
    "missing_year",
    "overlapping_service",
    "start_after_end",
    "unknown_code",
    "unknown_municipality",
    "unknown_person",
];

/// Rates (share of the rows of the file) per table and defect.
const EPISODE_RATES: [(&str, f64); 6] = [
    ("bad_date", 0.003),
    ("missing_required", 0.002),
    ("ambiguous_century", 0.002),
    ("unknown_person", 0.003),
    ("unknown_code", 0.002),
    ("duplicate_row", 0.005),
];
const CONTACT_RATES: [(&str, f64); 6] = [
    ("bad_date", 0.002),
    ("missing_required", 0.002),
    ("ambiguous_century", 0.001),
    ("unknown_person", 0.003),
    ("unknown_code", 0.002),
    ("duplicate_row", 0.005),
];
const SERVICE_RATES: [(&str, f64); 5] = [
    ("bad_date", 0.005),
    ("date_before_1900", 0.01),
    ("missing_year", 0.01),
    ("start_after_end", 0.01),
    ("overlapping_service", 0.01),
];
const PERSON_RATE: f64 = 0.005;
/// Every defect appears at least this often (when the table has rows to copy).
const MIN_ROWS: u64 = 3;

/// Rates of every defect, for documentation: (file, code, share of the file's rows).
pub fn defect_rates() -> Vec<(&'static str, &'static str, f64)> {
    let mut out = Vec::new();
    out.push(("persons.csv", "unknown_municipality", PERSON_RATE));
    for (code, r) in EPISODE_RATES {
        out.push(("episodes.csv", code, r));
    }
    for (code, r) in SERVICE_RATES {
        out.push(("municipal_services.csv", code, r));
    }
    for (code, r) in CONTACT_RATES {
        out.push(("primary_care.csv", code, r));
    }
    out
}

/// Injected rows for one table: (insert before this clean row index, the line without EOL).
pub(crate) type Extra = Vec<(usize, String)>;

pub(crate) struct Defects {
    /// person index → municipality code written instead of theirs.
    pub municipality: BTreeMap<u32, &'static str>,
    pub episodes: Extra,
    pub services: Extra,
    pub contacts: Extra,
    pub counts: BTreeMap<&'static str, u64>,
}

fn how_many(rate: f64, rows: usize) -> u64 {
    ((rate * rows as f64).round() as u64).max(MIN_ROWS)
}

/// Where an injected row goes: some rows after its source ("later in the file").
fn later(rng: &mut ChaCha8Rng, source: usize, len: usize) -> usize {
    (source + 1 + below(rng, 40) as usize).min(len)
}

fn split(line: &str, sep: char) -> Vec<String> {
    line.split(sep).map(str::to_owned).collect()
}

/// An impossible date, in the style of the file.
fn bad_date(d: Day, k: u64, norwegian: bool) -> String {
    let (y, _, dd) = ymd(d);
    let mut s = String::new();
    match (k % 3, norwegian) {
        (0, false) => {
            write::push_uint(&mut s, y as u64);
            s.push_str("-02-30");
        }
        (1, false) => {
            write::push_uint(&mut s, y as u64);
            s.push_str("-13-");
            s.push_str(if dd < 10 { "0" } else { "" });
            write::push_uint(&mut s, u64::from(dd));
        }
        (_, false) => {
            write::push_uint(&mut s, y as u64);
            s.push_str("-04-31");
        }
        (0, true) => {
            s.push_str("31.02.");
            write::push_uint(&mut s, y as u64);
        }
        (1, true) => {
            s.push_str(if dd < 10 { "0" } else { "" });
            write::push_uint(&mut s, u64::from(dd));
            s.push_str(".13.");
            write::push_uint(&mut s, y as u64);
        }
        (_, true) => {
            s.push_str("31.04.");
            write::push_uint(&mut s, y as u64);
        }
    }
    s
}

/// `DD.MM.YY`: ambiguous century.
fn two_digit_year(d: Day) -> String {
    let (y, m, dd) = ymd(d);
    let mut s = String::new();
    for (i, n) in [dd, m, (y.rem_euclid(100)) as u32].into_iter().enumerate() {
        if i > 0 {
            s.push('.');
        }
        if n < 10 {
            s.push('0');
        }
        write::push_uint(&mut s, u64::from(n));
    }
    s
}

/// `DD.MM.`: the year is missing.
fn without_year(d: Day) -> String {
    let mut s = two_digit_year(d);
    s.truncate(6);
    s
}

pub(crate) fn inject(data: &Data, style: Style, rng: &mut ChaCha8Rng) -> Defects {
    let w = Window::new(data.year);
    let mut out = Defects {
        municipality: BTreeMap::new(),
        episodes: Vec::new(),
        services: Vec::new(),
        contacts: Vec::new(),
        counts: BTreeMap::new(),
    };
    let mut unknown_pid = 9_000_000u32;
    let sep = style.sep();
    let nor = style.norwegian;

    // persons: unknown municipality.
    let with_municipality: Vec<u32> = (0..data.persons.len() as u32)
        .filter(|&i| data.persons[i as usize].municipality.is_some())
        .collect();
    let n = how_many(PERSON_RATE, data.persons.len()).min(with_municipality.len() as u64);
    let mut tries = n * 20;
    while (out.municipality.len() as u64) < n && tries > 0 {
        tries -= 1;
        let i = with_municipality[below(rng, with_municipality.len() as u32) as usize];
        let code = UNKNOWN_MUNICIPALITIES[out.municipality.len() % UNKNOWN_MUNICIPALITIES.len()];
        out.municipality.entry(i).or_insert(code);
    }
    count(
        &mut out.counts,
        "unknown_municipality",
        out.municipality.len() as u64,
    );

    // episodes: copies of outpatient and day rows (never inpatient rows: a copy of a stay would
    // also overlap it).
    let copyable = |row: usize| {
        let e = &data.episodes[row];
        matches!(e.level, CareLevel::Pol | CareLevel::Dag)
    };
    let written = data
        .episodes
        .iter()
        .filter(|e| write::episode_written(style, e))
        .count();
    let mut used_rows: HashSet<usize> = HashSet::new();
    let mut line = String::new();
    for (code, rate) in EPISODE_RATES {
        let target = how_many(rate, written);
        let mut used_persons: HashSet<u32> = HashSet::new();
        let mut done = 0u64;
        let mut tries = target * 50;
        while done < target && tries > 0 && !data.episodes.is_empty() {
            tries -= 1;
            let row = below(rng, data.episodes.len() as u32) as usize;
            let e = data.episodes[row];
            if !copyable(row) || used_rows.contains(&row) || used_persons.contains(&e.person) {
                continue;
            }
            line.clear();
            write::episode(style, &data.persons, &e, &mut line);
            let mut cells = split(&line, sep);
            match code {
                "bad_date" => cells[write::EPISODE_ADMIT] = bad_date(e.admit, done, nor),
                "missing_required" => cells[write::EPISODE_ADMIT].clear(),
                "ambiguous_century" => {
                    // A free day, so that with a century rule the row is a new valid contact.
                    let (from, to) = data.episode_rows[e.person as usize];
                    let rows = &data.episodes[from as usize..to as usize];
                    let free = (1..30).map(|k| e.admit + k).find(|&d| {
                        d <= w.y_end
                            && !rows
                                .iter()
                                .any(|r| r.admit == d && r.sector == e.sector && r.level == e.level)
                    });
                    let Some(d) = free else { continue };
                    cells[write::EPISODE_ADMIT] = two_digit_year(d);
                    let mut dis = String::new();
                    write::push_date(&mut dis, d, nor);
                    cells[write::EPISODE_DISCHARGE] = dis;
                }
                "unknown_person" => {
                    let mut pid = String::new();
                    write::push_pid(&mut pid, unknown_pid);
                    unknown_pid += 1;
                    cells[write::EPISODE_PID] = pid;
                }
                "unknown_code" => cells[write::EPISODE_SECTOR] = "XYZ".to_owned(),
                _ => {} // duplicate_row: the exact line
            }
            used_rows.insert(row);
            used_persons.insert(e.person);
            let at = later(rng, row, data.episodes.len());
            out.episodes.push((at, cells.join(&sep.to_string())));
            done += 1;
        }
        count(&mut out.counts, code, done);
    }

    // primary_care.
    let mut used_rows: HashSet<usize> = HashSet::new();
    for (code, rate) in CONTACT_RATES {
        let target = how_many(rate, data.contacts.len());
        let mut used_persons: HashSet<u32> = HashSet::new();
        let mut done = 0u64;
        let mut tries = target * 50;
        while done < target && tries > 0 && !data.contacts.is_empty() {
            tries -= 1;
            let row = below(rng, data.contacts.len() as u32) as usize;
            let c = data.contacts[row];
            if used_rows.contains(&row) || used_persons.contains(&c.person) {
                continue;
            }
            line.clear();
            write::contact(style, &data.persons, &c, &mut line);
            let mut cells = split(&line, sep);
            match code {
                "bad_date" => cells[write::CONTACT_DATE] = bad_date(c.date, done, nor),
                "missing_required" => cells[write::CONTACT_DATE].clear(),
                "ambiguous_century" => {
                    let (from, to) = data.contact_rows[c.person as usize];
                    let rows = &data.contacts[from as usize..to as usize];
                    let free = (1..30).map(|k| c.date + k).find(|&d| {
                        d <= w.y_end
                            && !rows.iter().any(|r| r.date == d && r.provider == c.provider)
                    });
                    let Some(d) = free else { continue };
                    cells[write::CONTACT_DATE] = two_digit_year(d);
                }
                "unknown_person" => {
                    let mut pid = String::new();
                    write::push_pid(&mut pid, unknown_pid);
                    unknown_pid += 1;
                    cells[write::CONTACT_PID] = pid;
                }
                "unknown_code" => cells[write::CONTACT_PROVIDER] = "DENTIST".to_owned(),
                _ => {}
            }
            used_rows.insert(row);
            used_persons.insert(c.person);
            let at = later(rng, row, data.contacts.len());
            out.contacts.push((at, cells.join(&sep.to_string())));
            done += 1;
        }
        count(&mut out.counts, code, done);
    }

    // municipal_services.
    let mut used_pairs: HashSet<(u32, ServiceCode)> = HashSet::new();
    let n_services = data.services.len();
    let has_service = |person: u32, service: ServiceCode| {
        let (from, to) = data.service_rows[person as usize];
        data.services[from as usize..to as usize]
            .iter()
            .any(|s| s.service == service)
    };
    for (code, rate) in SERVICE_RATES {
        let target = how_many(rate, n_services);
        let mut done = 0u64;
        let mut tries = target * 50;
        while done < target && tries > 0 && !data.persons.is_empty() {
            tries -= 1;
            let mut cells: Vec<String> = vec![String::new(); 5];
            let (person, service, at);
            if code == "overlapping_service" {
                if n_services == 0 {
                    break;
                }
                let row = below(rng, n_services as u32) as usize;
                let base = data.services[row];
                person = base.person;
                service = base.service;
                if used_pairs.contains(&(person, service)) || service.is_event() {
                    continue;
                }
                let hi = base.end.unwrap_or(w.y_end).min(w.y_end);
                if hi < base.start + 1 {
                    continue;
                }
                let start = between(rng, base.start + 1, hi);
                let end = match base.end {
                    Some(e) => Some(between(rng, start, e)),
                    None if chance(rng, 0.5) => None,
                    None => Some(between(rng, start, w.y_end.max(start))),
                };
                let mut decision = start - between(rng, 1, 30);
                if base.decision == Some(decision) {
                    decision -= 1;
                }
                write::push_date(&mut cells[2], decision, nor);
                write::push_date(&mut cells[3], start, nor);
                if let Some(e) = end {
                    write::push_date(&mut cells[4], e, nor);
                }
                at = later(rng, row, n_services);
            } else {
                person = below(rng, data.persons.len() as u32);
                service = pick(rng, ServiceCode::WITH_DECISION);
                if service.is_event()
                    || used_pairs.contains(&(person, service))
                    || has_service(person, service)
                {
                    continue;
                }
                let start = between(rng, w.y_start, w.y_end);
                let end = if chance(rng, 0.3) {
                    Some(between(rng, start, w.y_end))
                } else {
                    None
                };
                match code {
                    "bad_date" => cells[3] = bad_date(start, done, nor),
                    "date_before_1900" => {
                        let old = crate::calendar::day(between(rng, 1850, 1899), 1, 1)
                            + between(rng, 0, 364);
                        write::push_date(&mut cells[3], old, nor);
                    }
                    "missing_year" => cells[3] = without_year(start),
                    _ => {
                        // start_after_end
                        let end = start - between(rng, 1, 200);
                        write::push_date(&mut cells[3], start, nor);
                        write::push_date(&mut cells[4], end, nor);
                    }
                }
                if code != "start_after_end" {
                    if let Some(e) = end {
                        write::push_date(&mut cells[4], e, nor);
                    }
                }
                let (from, to) = data.service_rows[person as usize];
                at = if to > from {
                    later(rng, to as usize - 1, n_services)
                } else {
                    below(rng, n_services as u32 + 1) as usize
                };
            }
            write::push_pid(&mut cells[0], data.persons[person as usize].num);
            write::push_service_code(style, service, &mut cells[1]);
            used_pairs.insert((person, service));
            out.services.push((at, cells.join(&sep.to_string())));
            done += 1;
        }
        count(&mut out.counts, code, done);
    }
    out
}

fn count(counts: &mut BTreeMap<&'static str, u64>, code: &'static str, n: u64) {
    if n > 0 {
        *counts.entry(code).or_insert(0) += n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::day;

    #[test]
    fn broken_dates() {
        let d = day(2024, 3, 5);
        assert_eq!(bad_date(d, 0, false), "2024-02-30");
        assert_eq!(bad_date(d, 1, false), "2024-13-05");
        assert_eq!(bad_date(d, 0, true), "31.02.2024");
        assert_eq!(bad_date(d, 1, true), "05.13.2024");
        assert_eq!(two_digit_year(d), "05.03.24");
        assert_eq!(without_year(d), "05.03.");
    }
}
