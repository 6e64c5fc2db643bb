//! Numbers for people: rounding and the language's conventions. The engine and the CSV keep full
//! precision with `.`; rounding happens only here (STYLE P6).
//!
//! Bokmål: decimal comma and U+202F NARROW NO-BREAK SPACE between thousands (`12 345,6`), so a
//! number never breaks across lines; a no-break space before `%`. English: `12,345.6`, `12.3%`.

use forlop_core::text::Lang;

/// Thousands separator in bokmål: U+202F NARROW NO-BREAK SPACE.
pub const NB_THOUSANDS: char = '\u{202F}';
/// No-break space, between a number and its unit sign in bokmål.
pub const NBSP: char = '\u{00A0}';

/// `value` rounded to `decimals` places, with the language's separators. NaN and infinities
/// (which the engine should never send) print as `–` rather than a misleading number.
pub fn number(value: f64, decimals: usize, lang: Lang) -> String {
    if !value.is_finite() {
        return "–".to_string();
    }
    let raw = format!("{:.*}", decimals, value.abs());
    let (int_part, frac_part) = match raw.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (raw.as_str(), None),
    };
    let (thousands, decimal) = match lang {
        Lang::Nb => (NB_THOUSANDS, ','),
        Lang::En => (',', '.'),
    };
    let mut out = String::new();
    // "-0,0" is not a number anyone wants to read.
    let rounds_to_zero = raw.chars().all(|c| c == '0' || c == '.');
    if value < 0.0 && !rounds_to_zero {
        out.push('−');
    }
    let digits = int_part.len();
    for (i, c) in int_part.chars().enumerate() {
        if i > 0 && (digits - i) % 3 == 0 {
            out.push(thousands);
        }
        out.push(c);
    }
    if let Some(f) = frac_part {
        out.push(decimal);
        out.push_str(f);
    }
    out
}

/// An integer count (`1 234` / `1,234`).
pub fn count(n: u64, lang: Lang) -> String {
    number(n as f64, 0, lang)
}

/// A percentage 0..100 with one decimal: `12,3 %` / `12.3%`.
pub fn percent(value: f64, lang: Lang) -> String {
    match lang {
        Lang::Nb => format!("{}{NBSP}%", number(value, 1, lang)),
        Lang::En => format!("{}%", number(value, 1, lang)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bokmal_uses_decimal_comma_and_narrow_nbsp_thousands() {
        assert_eq!(
            number(1234567.891, 1, Lang::Nb),
            "1\u{202F}234\u{202F}567,9"
        );
        assert_eq!(number(999.95, 1, Lang::Nb), "1\u{202F}000,0"); // 999.95 rounds up past 1000
        assert_eq!(number(12.0, 0, Lang::Nb), "12");
        assert_eq!(number(0.5, 2, Lang::Nb), "0,50");
    }

    #[test]
    fn english_uses_point_and_comma_thousands() {
        assert_eq!(number(1234567.891, 1, Lang::En), "1,234,567.9");
        assert_eq!(number(100.0, 0, Lang::En), "100");
        assert_eq!(count(237465, Lang::En), "237,465");
    }

    #[test]
    fn negatives_use_the_minus_sign_but_never_minus_zero() {
        assert_eq!(number(-1234.5, 1, Lang::Nb), "−1\u{202F}234,5");
        assert_eq!(number(-0.01, 1, Lang::En), "0.0");
    }

    #[test]
    fn percent_and_non_finite() {
        // 1/3 of 100 = 33.333… → 33,3
        assert_eq!(percent(100.0 / 3.0, Lang::Nb), "33,3\u{00A0}%");
        assert_eq!(percent(100.0 / 3.0, Lang::En), "33.3%");
        assert_eq!(number(f64::NAN, 1, Lang::Nb), "–");
    }
}
