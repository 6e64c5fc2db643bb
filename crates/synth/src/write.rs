//! Rows to CSV text, in the canonical format or as a Norwegian register export.
//!
//! No cell ever contains the delimiter, a quote or a line break (names, units and code lists are
//! chosen so), so nothing needs quoting and a line can be split on the delimiter again.
//! Numbers and dates are written digit by digit, without `format!`, because a national extract
//! has millions of rows.

use crate::calendar::{ymd, Day};
use crate::codes::{CareLevel, Dx, Provider, ServiceCode, Sex, Urgency};
use crate::geography::{AGE_BANDS, HEALTH_COMMUNITIES, MUNICIPALITIES, REGIONS};
use crate::simulate::{Contact, Data, Episode, Person, Service};
use crate::FileFormat;

/// How to spell cells.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    /// `;`, DD.MM.YYYY, NPR/KUHR/IPLOS numeric codes, ja/nei, Norwegian headers, CRLF.
    pub norwegian: bool,
}

impl Style {
    pub(crate) fn new(format: FileFormat) -> Style {
        Style {
            norwegian: format == FileFormat::Norwegian,
        }
    }

    pub(crate) fn sep(self) -> char {
        if self.norwegian {
            ';'
        } else {
            ','
        }
    }

    pub(crate) fn eol(self) -> &'static str {
        if self.norwegian {
            "\r\n"
        } else {
            "\n"
        }
    }

    fn header(self, canonical: &[&str], norwegian: &[&str], buf: &mut String) {
        let names = if self.norwegian { norwegian } else { canonical };
        for (i, name) in names.iter().enumerate() {
            if i > 0 {
                buf.push(self.sep());
            }
            buf.push_str(name);
        }
        buf.push_str(self.eol());
    }
}

pub(crate) fn push_uint(buf: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        buf.push(d as char);
    }
}

fn push_int(buf: &mut String, n: i64) {
    if n < 0 {
        buf.push('-');
    }
    push_uint(buf, n.unsigned_abs());
}

fn push2(buf: &mut String, n: u32) {
    buf.push((b'0' + (n / 10 % 10) as u8) as char);
    buf.push((b'0' + (n % 10) as u8) as char);
}

fn push4(buf: &mut String, n: i32) {
    if (0..10_000).contains(&n) {
        push2(buf, (n / 100) as u32);
        push2(buf, (n % 100) as u32);
    } else {
        push_int(buf, i64::from(n));
    }
}

/// `YYYY-MM-DD`, or `DD.MM.YYYY` in the Norwegian format.
pub(crate) fn push_date(buf: &mut String, d: Day, norwegian: bool) {
    let (y, m, dd) = ymd(d);
    if norwegian {
        push2(buf, dd);
        buf.push('.');
        push2(buf, m);
        buf.push('.');
        push4(buf, y);
    } else {
        push4(buf, y);
        buf.push('-');
        push2(buf, m);
        buf.push('-');
        push2(buf, dd);
    }
}

fn push_opt_date(buf: &mut String, d: Option<Day>, norwegian: bool) {
    if let Some(d) = d {
        push_date(buf, d, norwegian);
    }
}

/// `P` and seven digits.
pub(crate) fn push_pid(buf: &mut String, num: u32) {
    buf.push('P');
    let mut n = num;
    let mut digits = [b'0'; 7];
    for slot in digits.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
    }
    for d in digits {
        buf.push(d as char);
    }
}

fn push_dx(buf: &mut String, dx: Dx, norwegian: bool) {
    let code = dx.code();
    if norwegian {
        // NPR writes ICD-10 codes without the dot (F20.0 → F200).
        for c in code.chars().filter(|&c| c != '.') {
            buf.push(c);
        }
    } else {
        buf.push_str(code);
    }
}

/// A cheap, deterministic mix of a row's identity, for cosmetic variation of codes that mean
/// the same (NPR innmateHast 1/2/3, KUHR praksistype 62/64) without touching the RNG, so both
/// formats carry the same data.
fn mix(a: u32, b: i32) -> u32 {
    (a ^ (b as u32).wrapping_mul(0x9E37_79B9)).wrapping_mul(0x85EB_CA6B) >> 16
}

// ---------------------------------------------------------------------------------------------

pub(crate) fn persons_header(style: Style, buf: &mut String) {
    style.header(
        &["pid", "birth_year", "sex", "municipality", "death_date"],
        &["lopenr", "fodselsar", "kjønn", "kommunenr", "dodsdato"],
        buf,
    );
}

/// One persons row; `municipality` overrides the person's own code (defects).
pub(crate) fn person(style: Style, p: &Person, municipality: Option<&str>, buf: &mut String) {
    let sep = style.sep();
    push_pid(buf, p.num);
    buf.push(sep);
    push_int(buf, i64::from(p.birth_year));
    buf.push(sep);
    match (p.sex, style.norwegian) {
        (Some(Sex::Male), false) => buf.push('M'),
        (Some(Sex::Female), false) => buf.push('K'),
        (Some(Sex::Male), true) => buf.push('1'),
        (Some(Sex::Female), true) => buf.push('2'),
        (None, _) => {}
    }
    buf.push(sep);
    if let Some(code) = municipality {
        buf.push_str(code);
    } else if let Some(m) = p.municipality {
        buf.push_str(MUNICIPALITIES[m as usize].code);
    }
    buf.push(sep);
    push_opt_date(buf, p.death, style.norwegian);
}

pub(crate) fn episodes_header(style: Style, buf: &mut String) {
    style.header(
        &[
            "pid",
            "sector",
            "care_level",
            "admit_date",
            "admit_time",
            "discharge_date",
            "urgency",
            "main_diagnosis",
            "other_diagnoses",
            "unit",
            "ambulant",
            "contact_mode",
            "ready_date",
            "letter_date",
            "referred_by",
            "discharged_to",
        ],
        &[
            "lopenr",
            "sektor",
            "omsorgsniva",
            "inndato",
            "inntid",
            "utdato",
            "innmatehast",
            "hovedtilstand",
            "bitilstander",
            "enhet",
            "ambulant",
            "kontaktform",
            "utskrklar_dato",
            "epikrisedato",
            "henvist_fra",
            "utskrevet_til",
        ],
        buf,
    );
}

/// Whether a row appears in this format: NPR care level 8 has no canonical code.
pub(crate) fn episode_written(style: Style, e: &Episode) -> bool {
    style.norwegian || e.level != CareLevel::PolForInpatient
}

/// Column positions used by the defect injector.
pub(crate) const EPISODE_PID: usize = 0;
pub(crate) const EPISODE_SECTOR: usize = 1;
pub(crate) const EPISODE_ADMIT: usize = 3;
pub(crate) const EPISODE_DISCHARGE: usize = 5;

pub(crate) fn episode(style: Style, persons: &[Person], e: &Episode, buf: &mut String) {
    let sep = style.sep();
    let nor = style.norwegian;
    let num = persons[e.person as usize].num;
    push_pid(buf, num);
    buf.push(sep);
    buf.push_str(e.sector.code());
    buf.push(sep);
    if nor {
        push_uint(buf, u64::from(e.level.npr()));
    } else {
        buf.push_str(e.level.canonical());
    }
    buf.push(sep);
    push_date(buf, e.admit, nor);
    buf.push(sep);
    if let Some(t) = e.time {
        push2(buf, u32::from(t / 60));
        buf.push(':');
        push2(buf, u32::from(t % 60));
    }
    buf.push(sep);
    push_opt_date(buf, e.discharge, nor);
    buf.push(sep);
    match (e.urgency, nor) {
        (None, _) => {}
        (Some(Urgency::Acute), false) => buf.push_str("ACUTE"),
        (Some(_), false) => buf.push_str("PLANNED"),
        // NPR innmateHast 1, 2 and 3 are all acute.
        (Some(Urgency::Acute), true) => buf.push(match mix(num, e.admit) % 10 {
            0 => '2',
            1 => '3',
            _ => '1',
        }),
        (Some(u), true) => push_uint(buf, u64::from(u.npr())),
    }
    buf.push(sep);
    if let Some(main) = e.main {
        push_dx(buf, main, nor);
    }
    buf.push(sep);
    let mut first = true;
    for &d in e.other.iter().flatten() {
        if !first {
            buf.push(' ');
        }
        push_dx(buf, d, nor);
        first = false;
    }
    buf.push(sep);
    if let Some(unit) = e.unit {
        buf.push_str(unit.name());
    }
    buf.push(sep);
    match (e.ambulant, nor) {
        (Some(true), false) => buf.push('1'),
        (Some(false), false) => buf.push('0'),
        (Some(true), true) => buf.push_str("ja"),
        (Some(false), true) => buf.push_str("nei"),
        (None, _) => {}
    }
    buf.push(sep);
    if let Some(mode) = e.mode {
        buf.push_str(mode.code());
    }
    buf.push(sep);
    push_opt_date(buf, e.ready, nor);
    buf.push(sep);
    push_opt_date(buf, e.letter, nor);
    buf.push(sep);
    if let Some(referred) = e.referred {
        buf.push_str(referred.code());
    }
    buf.push(sep);
    if let Some(to) = e.discharged_to {
        buf.push_str(to.code());
    }
}

pub(crate) fn services_header(style: Style, buf: &mut String) {
    style.header(
        &["pid", "service", "decision_date", "start_date", "end_date"],
        &[
            "lopenr",
            "tjenestetype",
            "vedtaksdato",
            "startdato",
            "sluttdato",
        ],
        buf,
    );
}

/// Writes a service code: IPLOS number in the Norwegian format where one exists.
pub(crate) fn push_service_code(style: Style, service: ServiceCode, buf: &mut String) {
    let (canonical, iplos) = service.codes();
    match (style.norwegian, iplos) {
        (true, Some(n)) => buf.push_str(n),
        _ => buf.push_str(canonical),
    }
}

pub(crate) fn service(style: Style, persons: &[Person], s: &Service, buf: &mut String) {
    let sep = style.sep();
    let nor = style.norwegian;
    push_pid(buf, persons[s.person as usize].num);
    buf.push(sep);
    push_service_code(style, s.service, buf);
    buf.push(sep);
    push_opt_date(buf, s.decision, nor);
    buf.push(sep);
    push_date(buf, s.start, nor);
    buf.push(sep);
    push_opt_date(buf, s.end, nor);
}

pub(crate) fn contacts_header(style: Style, buf: &mut String) {
    style.header(
        &[
            "pid",
            "date",
            "provider",
            "contact_type",
            "interdisciplinary",
            "tariffs",
        ],
        &[
            "lopenr",
            "kontaktdato",
            "praksistype",
            "kontakttype",
            "tverrfaglig",
            "takster",
        ],
        buf,
    );
}

pub(crate) const CONTACT_PID: usize = 0;
pub(crate) const CONTACT_DATE: usize = 1;
pub(crate) const CONTACT_PROVIDER: usize = 2;

pub(crate) fn contact(style: Style, persons: &[Person], c: &Contact, buf: &mut String) {
    let sep = style.sep();
    let nor = style.norwegian;
    let num = persons[c.person as usize].num;
    push_pid(buf, num);
    buf.push(sep);
    push_date(buf, c.date, nor);
    buf.push(sep);
    match (c.provider, nor) {
        (Provider::Gp, false) => buf.push_str("GP"),
        (Provider::OutOfHours, false) => buf.push_str("OUT_OF_HOURS"),
        // KUHR praksistype: 62–64 fastlege, 65–66 legevakt.
        (Provider::Gp, true) => buf.push_str(if mix(num, c.date).is_multiple_of(7) {
            "64"
        } else {
            "62"
        }),
        (Provider::OutOfHours, true) => buf.push_str(if mix(num, c.date).is_multiple_of(5) {
            "66"
        } else {
            "65"
        }),
    }
    buf.push(sep);
    if c.explicit {
        buf.push_str(c.contact_type.code());
    }
    buf.push(sep);
    if c.explicit {
        buf.push(if c.interdisciplinary { '1' } else { '0' });
    }
    buf.push(sep);
    buf.push_str(c.tariffs.code());
}

/// population.csv: municipality × year (Y−1, Y) × sex × age band.
pub(crate) fn population(style: Style, data: &Data, buf: &mut String) {
    style.header(
        &["municipality", "year", "sex", "age", "count"],
        &["kommune", "år", "kjønn", "alder", "antall"],
        buf,
    );
    let sep = style.sep();
    for (m, &total) in MUNICIPALITIES.iter().zip(&data.population) {
        for (back, year) in [(true, data.year - 1), (false, data.year)] {
            for male in [true, false] {
                for (band, &(label, _, _)) in AGE_BANDS.iter().enumerate() {
                    buf.push_str(m.code);
                    buf.push(sep);
                    push_int(buf, i64::from(year));
                    buf.push(sep);
                    buf.push(match (male, style.norwegian) {
                        (true, false) => 'M',
                        (false, false) => 'K',
                        (true, true) => '1',
                        (false, true) => '2',
                    });
                    buf.push(sep);
                    buf.push_str(label);
                    buf.push(sep);
                    push_uint(
                        buf,
                        crate::geography::population_cell(total, band, male, back),
                    );
                    buf.push_str(style.eol());
                }
            }
        }
    }
}

/// areas.csv: municipality → health community → region.
pub(crate) fn areas(style: Style, buf: &mut String) {
    style.header(
        &[
            "municipality",
            "municipality_name",
            "health_community",
            "region",
        ],
        &["kommune", "kommunenavn", "helsefellesskap", "helseregion"],
        buf,
    );
    let sep = style.sep();
    for m in &MUNICIPALITIES {
        let (hc, region) = (
            HEALTH_COMMUNITIES[m.hc].0,
            REGIONS[HEALTH_COMMUNITIES[m.hc].1],
        );
        for (i, cell) in [m.code, m.name, hc, region].iter().enumerate() {
            if i > 0 {
                buf.push(sep);
            }
            buf.push_str(cell);
        }
        buf.push_str(style.eol());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::day;

    #[test]
    fn numbers_and_dates() {
        let mut s = String::new();
        push_uint(&mut s, 0);
        s.push(' ');
        push_uint(&mut s, 1_234_567);
        s.push(' ');
        push_date(&mut s, day(2024, 3, 5), false);
        s.push(' ');
        push_date(&mut s, day(2024, 3, 5), true);
        s.push(' ');
        push_date(&mut s, day(1889, 5, 3), true);
        s.push(' ');
        push_pid(&mut s, 42);
        assert_eq!(s, "0 1234567 2024-03-05 05.03.2024 03.05.1889 P0000042");
    }
}
