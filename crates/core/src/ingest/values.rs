//! Cell values: dates, times, integers and municipality codes, parsed by hand.
//!
//! These run once per cell on files of millions of rows, so they work on bytes and never
//! allocate. Each returns a small error enum; the table readers turn it into an
//! [`IssueKind`](crate::quality::IssueKind) with the cell's text.

use crate::model::Municipality;
use chrono::{NaiveDate, NaiveTime};

/// Why a date cell could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateError {
    /// Not a date in an accepted form, or an impossible one (31.02.2024).
    Bad,
    /// A real date, but before 1900 (a known KPR defect).
    Before1900,
    /// Day and month without a year (`DD.MM.`, `DD.MM`, `--MM-DD`).
    MissingYear,
    /// `DD.MM.YY` without a century rule.
    AmbiguousCentury,
}

/// Parses a date in the forms of the data-format spec: `YYYY-MM-DD` and `D.M.YYYY` (one or two
/// digits for day and month). `DD.MM.YY` is [`DateError::AmbiguousCentury`].
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn parse_date(s: &str) -> Result<NaiveDate, DateError> {
    parse_date_with_century(s, None)
}

/// Like [`parse_date`], but `DD.MM.YY` is read with the century rule `pivot`: `YY <= pivot` →
/// 20YY, else 19YY. `None` = no rule, the form is rejected.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn parse_date_with_century(s: &str, pivot: Option<u8>) -> Result<NaiveDate, DateError> {
    parse_date_time(s, pivot).map(|(d, _)| d)
}

/// Parses a date optionally followed by a time (`YYYY-MM-DD HH:MM`, `DD.MM.YYYY HH:MM:SS`,
/// also with `T` as separator). A malformed time part makes the whole cell bad.
pub(crate) fn parse_date_time(
    s: &str,
    pivot: Option<u8>,
) -> Result<(NaiveDate, Option<NaiveTime>), DateError> {
    if let Some(date) = fast_date(s.as_bytes()) {
        return date.map(|d| (d, None));
    }
    let s = s.trim();
    let (date_part, time_part) = match s.find([' ', 'T']) {
        Some(i) => (&s[..i], Some(s[i + 1..].trim())),
        None => (s, None),
    };
    let date = parse_date_only(date_part, pivot)?;
    let time = match time_part {
        None => None,
        Some(t) => Some(parse_time(t).ok_or(DateError::Bad)?),
    };
    Ok((date, time))
}

fn parse_date_only(s: &str, pivot: Option<u8>) -> Result<NaiveDate, DateError> {
    let b = s.as_bytes();
    if let Some(date) = fast_date(b) {
        return date;
    }
    if b.is_empty() {
        return Err(DateError::Bad);
    }
    // `--MM-DD` (ISO 8601 without year)
    if let Some(rest) = s.strip_prefix("--") {
        let parts: Option<(u32, u32)> = split2(rest, b'-');
        return match parts {
            Some((m, d)) if valid_day_month(d, m) => Err(DateError::MissingYear),
            _ => Err(DateError::Bad),
        };
    }
    if b.contains(&b'-') {
        // YYYY-MM-DD
        let mut it = s.split('-');
        let (y, m, d) = (it.next(), it.next(), it.next());
        if it.next().is_some() {
            return Err(DateError::Bad);
        }
        let (Some(y), Some(m), Some(d)) = (y, m, d) else {
            return Err(DateError::Bad);
        };
        if y.len() != 4 || !(1..=2).contains(&m.len()) || !(1..=2).contains(&d.len()) {
            return Err(DateError::Bad);
        }
        let (Some(y), Some(m), Some(d)) = (digits(y), digits(m), digits(d)) else {
            return Err(DateError::Bad);
        };
        return make_date(y as i32, m, d);
    }
    if b.contains(&b'.') {
        let mut it = s.split('.');
        let (d, m, y) = (it.next(), it.next(), it.next());
        if it.next().is_some() {
            return Err(DateError::Bad);
        }
        let (Some(d), Some(m)) = (d, m) else {
            return Err(DateError::Bad);
        };
        if !(1..=2).contains(&m.len()) || !(1..=2).contains(&d.len()) {
            return Err(DateError::Bad);
        }
        let (Some(dn), Some(mn)) = (digits(d), digits(m)) else {
            return Err(DateError::Bad);
        };
        return match y {
            // `DD.MM` and `DD.MM.`
            None | Some("") => {
                if valid_day_month(dn, mn) {
                    Err(DateError::MissingYear)
                } else {
                    Err(DateError::Bad)
                }
            }
            Some(y) if y.len() == 4 => match digits(y) {
                Some(yn) => make_date(yn as i32, mn, dn),
                None => Err(DateError::Bad),
            },
            Some(y) if y.len() == 2 => {
                let Some(yn) = digits(y) else {
                    return Err(DateError::Bad);
                };
                match pivot {
                    None => {
                        // Only a real day and month is "ambiguous"; 31.02.21 is bad in any century
                        // that matters (never valid), 29.02.21 may be valid in one century only.
                        if valid_day_month(dn, mn) {
                            Err(DateError::AmbiguousCentury)
                        } else {
                            Err(DateError::Bad)
                        }
                    }
                    Some(p) => {
                        let century = if yn <= u32::from(p) { 2000 } else { 1900 };
                        make_date((century + yn) as i32, mn, dn)
                    }
                }
            }
            Some(_) => Err(DateError::Bad),
        };
    }
    Err(DateError::Bad)
}

/// The two forms nearly every cell has, `YYYY-MM-DD` and `DD.MM.YYYY`, read in one step; `None`
/// for anything else (the general parser then decides, with its exact error).
fn fast_date(b: &[u8]) -> Option<Result<NaiveDate, DateError>> {
    let &[a0, a1, a2, a3, a4, a5, a6, a7, a8, a9] = b else {
        return None;
    };
    let num = |digits: &[u8]| -> Option<u32> {
        digits.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let (y, m, d) = if a4 == b'-' && a7 == b'-' {
        (num(&[a0, a1, a2, a3])?, num(&[a5, a6])?, num(&[a8, a9])?)
    } else if a2 == b'.' && a5 == b'.' {
        (num(&[a6, a7, a8, a9])?, num(&[a3, a4])?, num(&[a0, a1])?)
    } else {
        return None;
    };
    Some(make_date(y as i32, m, d))
}

fn split2(s: &str, sep: u8) -> Option<(u32, u32)> {
    let i = s.bytes().position(|c| c == sep)?;
    let (a, b) = (&s[..i], &s[i + 1..]);
    if a.is_empty() || a.len() > 2 || b.is_empty() || b.len() > 2 {
        return None;
    }
    Some((digits(a)?, digits(b)?))
}

/// A day and month that exist in some year (29 February included).
fn valid_day_month(d: u32, m: u32) -> bool {
    NaiveDate::from_ymd_opt(2000, m, d).is_some()
}

fn make_date(y: i32, m: u32, d: u32) -> Result<NaiveDate, DateError> {
    let date = NaiveDate::from_ymd_opt(y, m, d).ok_or(DateError::Bad)?;
    if y < 1900 {
        Err(DateError::Before1900)
    } else {
        Ok(date)
    }
}

/// All-ASCII-digit string (at most 9 digits) as a number.
fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 9 {
        return None;
    }
    let mut n = 0u32;
    for c in s.bytes() {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u32::from(c - b'0');
    }
    Some(n)
}

/// `HH:MM` or `HH:MM:SS` (the hour may have one digit); `None` when not a time of day.
pub(crate) fn parse_time(s: &str) -> Option<NaiveTime> {
    let s = s.trim();
    let mut it = s.split(':');
    let h = it.next()?;
    let m = it.next()?;
    let sec = it.next();
    if it.next().is_some() || !(1..=2).contains(&h.len()) || m.len() != 2 {
        return None;
    }
    let sec = match sec {
        None => 0,
        Some(x) if x.len() == 2 => digits(x)?,
        Some(_) => return None,
    };
    NaiveTime::from_hms_opt(digits(h)?, digits(m)?, sec)
}

/// Why a number cell could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumberError {
    /// Not an integer.
    Bad,
}

/// An integer, as written by people and spreadsheets: optional sign, digits, spaces as thousands
/// separators (`1 234`, also no-break spaces), and an all-zero decimal part after `.` or `,`
/// (`1980.0`, `1980,0`, which xlsx numbers and Excel exports produce).
pub(crate) fn parse_int(s: &str) -> Result<i64, NumberError> {
    let s = s.trim();
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (int_part, frac) = match body.find(['.', ',']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    if let Some(f) = frac {
        if f.is_empty() || !f.bytes().all(|c| c == b'0') {
            return Err(NumberError::Bad);
        }
    }
    let mut n: i64 = 0;
    let mut seen = 0usize;
    let mut last_space = false;
    for c in int_part.chars() {
        match c {
            '0'..='9' => {
                n = n
                    .checked_mul(10)
                    .and_then(|x| x.checked_add(i64::from(c as u8 - b'0')))
                    .ok_or(NumberError::Bad)?;
                seen += 1;
                last_space = false;
            }
            ' ' | '\u{a0}' | '\u{202f}' if seen > 0 && !last_space => last_space = true,
            _ => return Err(NumberError::Bad),
        }
    }
    if seen == 0 || last_space {
        return Err(NumberError::Bad);
    }
    Ok(if neg { -n } else { n })
}

/// Why a municipality cell could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MunicipalityError {
    /// Not 3 or 4 digits.
    Invalid,
}

/// A municipality code: 4 digits, or 3 digits whose leading zero a spreadsheet dropped (also as
/// an integral decimal, `301.0`). Returns the code and whether a zero was restored.
pub(crate) fn parse_municipality(s: &str) -> Result<(Municipality, bool), MunicipalityError> {
    let s = s.trim();
    let digits_part = match s.find(['.', ',']) {
        Some(i) if s[i + 1..].bytes().all(|c| c == b'0') && i + 1 < s.len() => &s[..i],
        Some(_) => return Err(MunicipalityError::Invalid),
        None => s,
    };
    let n = digits(digits_part).ok_or(MunicipalityError::Invalid)?;
    match digits_part.len() {
        4 => Ok((Municipality(n as u16), false)),
        3 => Ok((Municipality(n as u16), true)),
        _ => Err(MunicipalityError::Invalid),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_in_the_accepted_forms() {
        assert_eq!(parse_date("2024-03-07"), Ok(d(2024, 3, 7)));
        assert_eq!(parse_date(" 07.03.2024 "), Ok(d(2024, 3, 7)));
        assert_eq!(parse_date("7.3.2024"), Ok(d(2024, 3, 7)));
        assert_eq!(parse_date("2024-3-7"), Ok(d(2024, 3, 7)));
        assert_eq!(parse_date("29.02.2024"), Ok(d(2024, 2, 29)));
    }

    #[test]
    fn impossible_and_malformed_dates_are_bad() {
        for s in [
            "31.02.2024",
            "29.02.2023",
            "abc",
            "",
            "2024-13-01",
            "2024/03/07",
            "07.03.20245",
            "1.1.1.2000",
            "20240307",
        ] {
            assert_eq!(parse_date(s), Err(DateError::Bad), "{s}");
        }
    }

    #[test]
    fn known_kpr_defects_have_their_own_errors() {
        assert_eq!(parse_date("1899-12-31"), Err(DateError::Before1900));
        assert_eq!(parse_date("03.05.1850"), Err(DateError::Before1900));
        assert_eq!(parse_date("03.05."), Err(DateError::MissingYear));
        assert_eq!(parse_date("03.05"), Err(DateError::MissingYear));
        assert_eq!(parse_date("--05-03"), Err(DateError::MissingYear));
        assert_eq!(parse_date("31.02."), Err(DateError::Bad));
        assert_eq!(parse_date("03.05.21"), Err(DateError::AmbiguousCentury));
    }

    #[test]
    fn century_pivot_reads_two_digit_years() {
        // pivot 30: 21 <= 30 → 2021; 45 > 30 → 1945; 30 → 2030.
        assert_eq!(
            parse_date_with_century("03.05.21", Some(30)),
            Ok(d(2021, 5, 3))
        );
        assert_eq!(
            parse_date_with_century("03.05.45", Some(30)),
            Ok(d(1945, 5, 3))
        );
        assert_eq!(
            parse_date_with_century("1.1.30", Some(30)),
            Ok(d(2030, 1, 1))
        );
        assert_eq!(
            parse_date_with_century("30.02.21", Some(30)),
            Err(DateError::Bad)
        );
    }

    #[test]
    fn date_times_give_the_time_too() {
        let t = NaiveTime::from_hms_opt(14, 5, 0);
        assert_eq!(
            parse_date_time("2024-03-07 14:05", None),
            Ok((d(2024, 3, 7), t))
        );
        assert_eq!(
            parse_date_time("07.03.2024 14:05:00", None),
            Ok((d(2024, 3, 7), t))
        );
        assert_eq!(
            parse_date_time("2024-03-07T14:05", None),
            Ok((d(2024, 3, 7), t))
        );
        assert_eq!(
            parse_date_time("2024-03-07 25:05", None),
            Err(DateError::Bad)
        );
    }

    #[test]
    fn times() {
        assert_eq!(parse_time("08:30"), NaiveTime::from_hms_opt(8, 30, 0));
        assert_eq!(parse_time("8:30:15"), NaiveTime::from_hms_opt(8, 30, 15));
        assert_eq!(parse_time("24:00"), None);
        assert_eq!(parse_time("0830"), None);
        assert_eq!(parse_time("08:3"), None);
    }

    #[test]
    fn integers_as_written_by_people_and_spreadsheets() {
        assert_eq!(parse_int("1980"), Ok(1980));
        assert_eq!(parse_int("1980.0"), Ok(1980));
        assert_eq!(parse_int("1980,00"), Ok(1980));
        assert_eq!(parse_int("12 345"), Ok(12345));
        assert_eq!(parse_int("12\u{a0}345"), Ok(12345));
        assert_eq!(parse_int("-3"), Ok(-3));
        for s in [
            "",
            "x",
            "19.5",
            "1,5",
            "12  345",
            "1980.",
            "99999999999999999999",
            "-",
        ] {
            assert_eq!(parse_int(s), Err(NumberError::Bad), "{s}");
        }
    }

    #[test]
    fn municipalities_keep_or_restore_the_leading_zero() {
        assert_eq!(parse_municipality("0301"), Ok((Municipality(301), false)));
        assert_eq!(parse_municipality("301"), Ok((Municipality(301), true)));
        assert_eq!(parse_municipality("301.0"), Ok((Municipality(301), true)));
        assert_eq!(parse_municipality("4601"), Ok((Municipality(4601), false)));
        for s in ["30", "03011", "03x1", "301.5", "", "301."] {
            assert_eq!(
                parse_municipality(s),
                Err(MunicipalityError::Invalid),
                "{s}"
            );
        }
    }
}
