//! Which years the data covers, and which one to analyse when the user does not say: extracts
//! are whole calendar years, and a municipality's own file usually ends with its latest complete
//! year — or, when pulled mid-year, with part of the next one.

use crate::model::Tables;
use crate::stays::each_row;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// What one pass over every dated row finds (episode admit and discharge dates, primary-care
/// dates, service start dates): the distinct years of activity (all but the services) and of
/// service starts, and the latest date.
#[derive(Default)]
struct Scan {
    activity: YearSet,
    services: YearSet,
    latest: Option<NaiveDate>,
}

/// Distinct years; rows come in runs of one year, so most dates only meet the last year.
#[derive(Default)]
struct YearSet {
    years: std::collections::BTreeSet<i32>,
    last: Option<i32>,
}

impl YearSet {
    #[inline(always)]
    fn add(&mut self, year: i32) {
        if self.last != Some(year) {
            self.last = Some(year);
            self.years.insert(year);
        }
    }

    /// The years, ascending.
    fn years(&self) -> &std::collections::BTreeSet<i32> {
        &self.years
    }
}

impl Scan {
    /// One pass over every dated row (whole tables through [`each_row`], for V8's sake).
    fn of(tables: &Tables) -> Scan {
        let mut s = Scan::default();
        each_row(tables.episodes.as_deref().unwrap_or(&[]), |e| {
            s.activity.add(e.admit_date.year());
            s.latest = s.latest.max(Some(e.admit_date));
            if let Some(d) = e.discharge_date {
                s.activity.add(d.year());
                s.latest = s.latest.max(Some(d));
            }
        });
        each_row(tables.primary_care.as_deref().unwrap_or(&[]), |r| {
            s.activity.add(r.date.year());
            s.latest = s.latest.max(Some(r.date));
        });
        for r in tables.municipal_services.iter().flatten() {
            s.services.add(r.start_date.year());
            s.latest = s.latest.max(Some(r.start_date));
        }
        s
    }

    /// The years of every dated row, ascending.
    fn data_years(&self) -> Vec<i32> {
        self.activity
            .years()
            .union(self.services.years())
            .copied()
            .collect()
    }

    /// [`activity_years`].
    fn activity_years(&self) -> Vec<i32> {
        let years = self.activity.years();
        if years.is_empty() {
            return self.data_years();
        }
        years.iter().copied().collect()
    }

    /// [`latest_complete_year`].
    fn latest_complete_year(&self) -> Option<DefaultYear> {
        let latest = self.latest?;
        let complete = latest.month() == 12;
        Some(DefaultYear {
            year: if complete {
                latest.year()
            } else {
                latest.year() - 1
            },
            latest_date: latest,
            passed_over_partial_year: !complete,
        })
    }
}

/// The years in which the data has dated rows, ascending.
pub fn data_years(tables: &Tables) -> Vec<i32> {
    Scan::of(tables).data_years()
}

/// The distinct years of `dates`, ascending. A set of a handful of years, not a vector of every
/// date's year sorted (millions in a national extract: 50–130 ms of the browser's time to first
/// chart at 1 M rows).
#[cfg(test)]
fn distinct_years(dates: impl Iterator<Item = NaiveDate>) -> Vec<i32> {
    let mut years = YearSet::default();
    for d in dates {
        years.add(d.year());
    }
    years.years().iter().copied().collect()
}

/// The years with activity: episode admit and discharge dates and primary-care dates, ascending.
/// Service start dates are left out (a service still running may have started a decade before
/// the extract); when nothing else is dated, the years of [`data_years`].
pub fn activity_years(tables: &Tables) -> Vec<i32> {
    Scan::of(tables).activity_years()
}

/// The years the population table has rows for, ascending (empty without one).
pub fn population_years(tables: &Tables) -> Vec<i32> {
    let mut years: Vec<i32> = tables.population.iter().flatten().map(|r| r.year).collect();
    years.sort_unstable();
    years.dedup();
    years
}

/// The year to analyse by default, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DefaultYear {
    /// The year.
    pub year: i32,
    /// The latest date in the data.
    pub latest_date: NaiveDate,
    /// True when the latest date's year was passed over because the data has nothing from its
    /// December (a year still running when the extract was made).
    pub passed_over_partial_year: bool,
}

/// The latest complete year: the year of the latest dated row when the data reaches into its
/// December, else the year before.
pub fn latest_complete_year(tables: &Tables) -> Option<DefaultYear> {
    Scan::of(tables).latest_complete_year()
}

/// Why [`analysis_year`] chose its year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum YearChoice {
    /// The latest complete year ([`latest_complete_year`]), stepped back to the latest year with
    /// activity and, when there is a population table, population rows.
    LatestComplete {
        /// The latest date in the data.
        latest_date: NaiveDate,
        /// The latest date's year was passed over: it does not reach December.
        passed_over_partial_year: bool,
        /// A later complete year was passed over: no activity or no population rows for it.
        passed_over_without_population: bool,
    },
    /// No complete year has any activity (an extract of part of one year): the latest year with
    /// activity (and population), which does not reach December.
    PartialYear {
        /// The latest date in the data.
        latest_date: NaiveDate,
    },
}

/// The year to analyse when the user names none — one rule for the CLI and the app: the latest
/// complete year with activity (stays, contacts) and, when there is a population table,
/// population rows; when no complete year has any activity, the latest year that has. `None`
/// without dated rows.
pub fn analysis_year(tables: &Tables) -> Option<(i32, YearChoice)> {
    activity_and_analysis_year(tables).1
}

/// [`activity_years`] and [`analysis_year`] from one pass over every dated row (the app plans
/// its years from both).
pub fn activity_and_analysis_year(tables: &Tables) -> (Vec<i32>, Option<(i32, YearChoice)>) {
    let scan = Scan::of(tables);
    let present = scan.activity_years();
    let year = analysis_year_of(&scan, &present, tables);
    (present, year)
}

/// [`analysis_year`] from a scan and its years of activity.
fn analysis_year_of(scan: &Scan, present: &[i32], tables: &Tables) -> Option<(i32, YearChoice)> {
    let d = scan.latest_complete_year()?;
    let population = population_years(tables);
    let with_population = |y: i32| population.is_empty() || population.contains(&y);
    let complete = present
        .iter()
        .copied()
        .filter(|&y| y <= d.year && with_population(y))
        .max();
    Some(match complete {
        Some(year) => (
            year,
            YearChoice::LatestComplete {
                latest_date: d.latest_date,
                passed_over_partial_year: d.passed_over_partial_year,
                passed_over_without_population: year != d.year,
            },
        ),
        None => (
            present
                .iter()
                .copied()
                .filter(|&y| with_population(y))
                .max()
                .unwrap_or(d.year),
            YearChoice::PartialYear {
                latest_date: d.latest_date,
            },
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ContactType, PersonIdx, PrimaryCareContact, Provider};
    use crate::stays::tests::{d, dogn};

    #[test]
    fn the_analysis_year_steps_back_to_population_and_takes_a_part_year_alone() {
        let pop = |year| crate::model::PopulationRow {
            municipality: crate::model::Municipality(301),
            year,
            sex: None,
            age: None,
            count: 1000,
        };
        // Stays reach December 2023, but the population table stops at 2022: 2022, said so.
        let mut t = Tables {
            episodes: Some(vec![
                dogn(0, "2022-03-01", Some("2022-03-05")),
                dogn(0, "2023-11-20", Some("2023-12-02")),
            ]),
            population: Some(vec![pop(2022)]),
            ..Tables::default()
        };
        let (year, why) = analysis_year(&t).unwrap();
        assert_eq!(year, 2022);
        assert!(matches!(
            why,
            YearChoice::LatestComplete {
                passed_over_without_population: true,
                passed_over_partial_year: false,
                ..
            }
        ));
        // Only January to May 2021, with its population: 2021 itself (2020 would be empty).
        t.episodes = Some(vec![dogn(0, "2021-01-10", Some("2021-05-02"))]);
        t.population = Some(vec![pop(2021)]);
        assert_eq!(
            analysis_year(&t),
            Some((
                2021,
                YearChoice::PartialYear {
                    latest_date: d("2021-05-02")
                }
            ))
        );
        // No dated rows: no year.
        assert_eq!(analysis_year(&Tables::default()), None);
    }

    #[test]
    fn the_latest_year_counts_when_the_data_reaches_its_december() {
        let mut t = Tables {
            episodes: Some(vec![
                dogn(0, "2022-03-01", Some("2022-03-05")),
                dogn(0, "2023-11-20", Some("2023-12-02")),
            ]),
            ..Tables::default()
        };
        assert_eq!(data_years(&t), vec![2022, 2023]);
        // 2 Dec 2023 is in December: 2023 is complete.
        let y = latest_complete_year(&t).unwrap();
        assert_eq!((y.year, y.passed_over_partial_year), (2023, false));
        // A contact on 15 Mar 2024: 2024 has begun but is not complete → 2023.
        t.primary_care = Some(vec![PrimaryCareContact {
            person: PersonIdx(0),
            date: d("2024-03-15"),
            provider: Provider::Gp,
            contact_type: ContactType::Consultation,
            interdisciplinary: false,
        }]);
        assert_eq!(data_years(&t), vec![2022, 2023, 2024]);
        let y = latest_complete_year(&t).unwrap();
        assert_eq!((y.year, y.passed_over_partial_year), (2023, true));
        assert_eq!(y.latest_date, d("2024-03-15"));
        assert_eq!(latest_complete_year(&Tables::default()), None);
        assert!(population_years(&t).is_empty());
        assert_eq!(activity_years(&t), vec![2022, 2023, 2024]);
        // A service started in 2015 is a year of the data but not of activity.
        t.municipal_services = Some(vec![crate::model::MunicipalService {
            person: PersonIdx(0),
            service: crate::model::ServiceCode::HomeHealth,
            decision_date: None,
            start_date: d("2015-06-01"),
            end_date: None,
        }]);
        assert_eq!(data_years(&t), vec![2015, 2022, 2023, 2024]);
        assert_eq!(activity_years(&t), vec![2022, 2023, 2024]);
    }

    #[test]
    fn distinct_years_are_ascending_whatever_the_order_of_the_dates() {
        let d = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1).unwrap();
        // Runs of one year, a year coming back after others, and one far out of order.
        let dates = [
            d(2024, 3),
            d(2024, 5),
            d(2023, 12),
            d(2024, 1),
            d(1999, 7),
            d(2023, 2),
            d(2024, 9),
        ];
        assert_eq!(distinct_years(dates.into_iter()), vec![1999, 2023, 2024]);
        assert_eq!(distinct_years(std::iter::empty()), Vec::<i32>::new());
        // Years far apart, out of order, one of them twice.
        let dates = [
            d(2312, 1),
            d(2024, 1),
            d(1799, 1),
            d(1800, 1),
            d(2311, 1),
            d(2312, 2),
        ];
        assert_eq!(
            distinct_years(dates.into_iter()),
            vec![1799, 1800, 2024, 2311, 2312]
        );
    }
}
