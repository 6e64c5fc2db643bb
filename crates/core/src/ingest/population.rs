//! population (befolkning): SSB counts per municipality and year, optionally by sex and age.

use super::aliases::{index_of, POPULATION};
use super::codes;
use super::row::RowCx;
use crate::model::{AgeSpec, PopulationRow};
use crate::quality::{clip, IssueKind};
use crate::text::Text;

const MUNICIPALITY: usize = index_of(POPULATION, "municipality");
const YEAR: usize = index_of(POPULATION, "year");
const SEX: usize = index_of(POPULATION, "sex");
const AGE: usize = index_of(POPULATION, "age");
const COUNT: usize = index_of(POPULATION, "count");

const YEAR_EXPECTED: Text = Text {
    nb: "et år fra 1900 til 2100",
    en: "a year from 1900 to 2100",
};
const COUNT_EXPECTED: Text = Text {
    nb: "et antall, 0 eller mer",
    en: "a count, 0 or more",
};
const AGE_EXPECTED: Text = Text {
    nb: "en alder (34), et aldersintervall (18-24) eller en åpen gruppe (67+)",
    en: "an age (34), an age band (18-24) or an open band (67+)",
};

/// `34`, `18-24` (also with spaces or an en dash), `67+`; ages up to 150.
pub(crate) fn parse_age(raw: &str) -> Option<AgeSpec> {
    let t = raw.trim();
    let num = |s: &str| -> Option<u8> {
        let s = s.trim();
        if s.is_empty() || s.len() > 3 || !s.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        s.parse::<u8>().ok().filter(|&a| a <= 150)
    };
    if let Some(a) = t.strip_suffix('+') {
        return num(a).map(AgeSpec::AtLeast);
    }
    if let Some((a, b)) = t.split_once(['-', '–']) {
        let (a, b) = (num(a)?, num(b)?);
        return (a <= b).then_some(AgeSpec::Band(a, b));
    }
    // Excel may hold an age as 34.0.
    match super::values::parse_int(t) {
        Ok(n) if (0..=150).contains(&n) => Some(AgeSpec::Exact(n as u8)),
        _ => None,
    }
}

/// Reads one record of population.
pub(crate) fn parse(cx: &mut RowCx<'_>) -> Option<PopulationRow> {
    let municipality = cx.municipality(MUNICIPALITY, true);
    let year = cx.req_int(YEAR, 1900..=2100, YEAR_EXPECTED);
    let sex = match cx.cell(SEX) {
        None => None,
        Some(raw) => match cx.code(SEX, |v| codes::sex(v).ok()) {
            Ok(s) => s.flatten(),
            Err(_) => {
                cx.warn(
                    SEX,
                    IssueKind::UnknownCode {
                        value: clip(raw),
                        allowed: codes::SEX_ALLOWED,
                    },
                );
                None
            }
        },
    };
    let age = match cx.cell(AGE) {
        None => None,
        Some(raw) => match parse_age(raw) {
            Some(a) => {
                if let AgeSpec::Band(lo, hi) = a {
                    if lo < 18 && hi >= 18 {
                        cx.warn(AGE, IssueKind::AgeBandStraddles18 { value: clip(raw) });
                    }
                }
                Some(a)
            }
            None => {
                cx.warn(
                    AGE,
                    IssueKind::InvalidValue {
                        value: clip(raw),
                        expected: AGE_EXPECTED,
                    },
                );
                None
            }
        },
    };
    let count = cx.req_int(COUNT, 0..=i64::MAX, COUNT_EXPECTED);
    if cx.is_rejected() {
        return None;
    }
    Some(PopulationRow {
        municipality: municipality?,
        year: year? as i32,
        sex,
        age,
        count: count? as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_and_bands() {
        assert_eq!(parse_age("34"), Some(AgeSpec::Exact(34)));
        assert_eq!(parse_age("18-24"), Some(AgeSpec::Band(18, 24)));
        assert_eq!(parse_age("18 – 24"), Some(AgeSpec::Band(18, 24)));
        assert_eq!(parse_age("67+"), Some(AgeSpec::AtLeast(67)));
        assert_eq!(parse_age("24-18"), None);
        assert_eq!(parse_age("x"), None);
        assert_eq!(parse_age("-3"), None);
    }
}
