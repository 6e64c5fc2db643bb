//! Calendar arithmetic on day numbers (days since 1970-01-01), with no clock and no date crate:
//! the generator needs only "add days", "which weekday" and "write it out".

/// A date as a day number: 0 = 1970-01-01.
pub(crate) type Day = i32;

/// Day number of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
pub(crate) fn day(year: i32, month: u32, dom: u32) -> Day {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (month as i32 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + dom as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Year, month (1–12) and day of month of a day number (`civil_from_days`).
pub(crate) fn ymd(z: Day) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
pub(crate) fn weekday(z: Day) -> u32 {
    (z + 3).rem_euclid(7) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(day(1970, 1, 1), 0);
        // 2000-03-01: 30 years of 365 days + 7 leap days (72..96) + Jan 31 + Feb 29 = 11 017.
        assert_eq!(day(2000, 3, 1), 11_017);
        assert_eq!(ymd(11_017), (2000, 3, 1));
        assert_eq!(ymd(day(1889, 5, 3)), (1889, 5, 3));
        assert_eq!(day(2024, 12, 31) - day(2024, 1, 1), 365); // leap year
        assert_eq!(weekday(day(2024, 1, 1)), 0); // a Monday
    }

    #[test]
    fn round_trip_over_three_centuries() {
        for z in day(1850, 1, 1)..day(2150, 1, 1) {
            let (y, m, d) = ymd(z);
            assert_eq!(day(y, m, d), z);
        }
    }
}
