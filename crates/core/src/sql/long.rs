//! The SQL script's result (the long table at k = 0 plus `median_n`) read back and suppressed by
//! the engine's own code: each indicator's cells become the same [`Candidate`]s
//! `indicator::eval::evaluate` makes, and go through [`crate::suppress::suppress`] with the same
//! families as in `analysis`. So the suppressed SQL result equals the engine's by construction.

use crate::aggregate::Areas;
use crate::ci::Interval;
use crate::indicator::{self, Measure};
use crate::model::{AreaRow, Municipality, Person, Tables};
use crate::output::{Cell, Level, LongRow};
use crate::suppress::{suppress, Candidate};
use std::collections::BTreeMap;

/// One row of the script's result.
#[derive(Debug, Clone, PartialEq)]
pub struct SqlRow {
    /// Indicator id.
    pub indicator: String,
    /// Group id.
    pub group: String,
    /// Level.
    pub level: Level,
    /// Area text.
    pub area: String,
    /// Year.
    pub year: i32,
    /// Numerator.
    pub numerator: Option<u64>,
    /// Denominator.
    pub denominator: Option<u64>,
    /// Value (empty: not estimable).
    pub value: Option<f64>,
    /// For a median, the number of values behind it.
    pub median_n: Option<u64>,
    /// For a directly standardised rate (`<id>_std`): y = Σ wₛ xₛ, v = Σ wₛ² xₛ and the largest
    /// weight, from which the Fay–Feuer interval is computed (`ci::fay_feuer`).
    pub std: Option<StdTerms>,
}

/// The sums behind a directly standardised rate (`crate::standardise::rate`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StdTerms {
    /// y = Σ wₛ xₛ (the rate is 1 000 y).
    pub y: f64,
    /// v = Σ wₛ² xₛ.
    pub v: f64,
    /// The largest weight wₛ over the strata with inhabitants.
    pub w_max: f64,
}

/// A CSV reader over `bytes` and its header's column names, trimmed.
fn reader_and_header(bytes: &[u8]) -> Result<(csv::Reader<&[u8]>, Vec<String>), String> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    let header = r
        .headers()
        .map_err(|e| e.to_string())?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    Ok((r, header))
}

fn field<'r>(rec: &'r csv::StringRecord, header: &[String], name: &str) -> Result<&'r str, String> {
    let i = header
        .iter()
        .position(|h| h == name)
        .ok_or_else(|| format!("column {name} missing / kolonnen {name} mangler"))?;
    Ok(rec.get(i).unwrap_or("").trim())
}

/// Reads the script's result as CSV (`,`, header with the §6 columns and `median_n`).
///
/// # Errors
/// A message (English / Norwegian) naming the line and the column that cannot be read.
pub fn read_sql_result(bytes: &[u8]) -> Result<Vec<SqlRow>, String> {
    let (mut r, header) = reader_and_header(bytes)?;
    let mut out = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| format!("line {line}: {e}"))?;
        let bad = |col: &str, v: &str| {
            format!(
                "line {line}, {col}: cannot read {v:?} / linje {line}, {col}: kan ikke lese {v:?}"
            )
        };
        let int = |col: &str| -> Result<Option<u64>, String> {
            let v = field(&rec, &header, col)?;
            if v.is_empty() {
                Ok(None)
            } else {
                v.parse::<u64>().map(Some).map_err(|_| bad(col, v))
            }
        };
        let float = |col: &str| -> Result<Option<f64>, String> {
            if !header.iter().any(|h| h == col) {
                return Ok(None);
            }
            let v = field(&rec, &header, col)?;
            if v.is_empty() {
                Ok(None)
            } else {
                v.parse::<f64>().map(Some).map_err(|_| bad(col, v))
            }
        };
        let std = match (float("std_y")?, float("std_v")?, float("std_w_max")?) {
            (Some(y), Some(v), Some(w_max)) => Some(StdTerms { y, v, w_max }),
            _ => None,
        };
        let level = field(&rec, &header, "level")?;
        let year = field(&rec, &header, "year")?;
        let value = field(&rec, &header, "value")?;
        out.push(SqlRow {
            indicator: field(&rec, &header, "indicator")?.to_string(),
            group: field(&rec, &header, "group")?.to_string(),
            level: Level::parse(level).ok_or_else(|| bad("level", level))?,
            area: field(&rec, &header, "area")?.to_string(),
            year: year.parse().map_err(|_| bad("year", year))?,
            numerator: int("numerator")?,
            denominator: int("denominator")?,
            value: if value.is_empty() {
                None
            } else {
                Some(value.parse::<f64>().map_err(|_| bad("value", value))?)
            },
            median_n: if header.iter().any(|h| h == "median_n") {
                int("median_n")?
            } else {
                None
            },
            std,
        });
    }
    Ok(out)
}

/// The areas of a suppression: from an areas table (the first row of a municipality counts, as
/// in the engine), or without one the country and every municipality of the rows.
pub fn areas_for(rows: &[SqlRow], areas_table: Option<Vec<AreaRow>>) -> Areas {
    let persons = if areas_table.is_some() {
        Vec::new()
    } else {
        let munis: std::collections::BTreeSet<u16> = rows
            .iter()
            .filter(|r| r.level == Level::Municipality)
            .filter_map(|r| r.area.parse::<u16>().ok())
            .collect();
        munis
            .into_iter()
            .map(|m| Person {
                pid: m.to_string(),
                birth_year: None,
                age: None,
                sex: None,
                municipality: Some(Municipality(m)),
                death_date: None,
            })
            .collect()
    };
    Areas::build(&Tables {
        persons,
        areas: areas_table,
        ..Tables::default()
    })
}

/// The candidate `evaluate` makes for a cell with these published numbers (for a standardised
/// rate, as `analyse` makes it: the crude cell's numbers and rank, the standardised value), and
/// a standardised rate's interval. A standardised value whose Fay–Feuer interval cannot be
/// computed is not estimable, as in the engine.
fn candidate(
    r: &SqlRow,
    median: bool,
    standardised: bool,
) -> Result<(Candidate, Option<Interval>), String> {
    if median {
        let n = r.median_n.unwrap_or(0);
        let c = match r.value {
            Some(value) => Candidate {
                cell: Cell::Value {
                    numerator: None,
                    denominator: None,
                    value,
                },
                numbers: [Some(n), None],
                rank: (n, 0),
            },
            None => Candidate {
                cell: Cell::NotEstimable {
                    numerator: None,
                    denominator: None,
                },
                numbers: [Some(0), None],
                rank: (0, 0),
            },
        };
        return Ok((c, None));
    }
    let numbers = [r.numerator, r.denominator];
    let rank = (r.numerator.unwrap_or(0), r.denominator.unwrap_or(0));
    let not_estimable = |rank| Candidate {
        cell: Cell::NotEstimable {
            numerator: r.numerator,
            denominator: r.denominator,
        },
        numbers,
        rank,
    };
    let value = |value| Candidate {
        cell: Cell::Value {
            numerator: r.numerator,
            denominator: r.denominator,
            value,
        },
        numbers,
        rank,
    };
    if !standardised {
        // A crude ratio has no value only over a denominator of 0: evaluate's rank (0, 0).
        return Ok((r.value.map_or_else(|| not_estimable((0, 0)), value), None));
    }
    // A standardised rate keeps the crude cell's rank when the crude cell has a value (a
    // denominator above 0) and only the standardised rate is not estimable.
    let crude_rank = if r.denominator.unwrap_or(0) > 0 {
        rank
    } else {
        (0, 0)
    };
    let Some(v) = r.value else {
        return Ok((not_estimable(crude_rank), None));
    };
    let t = r.std.ok_or_else(|| {
        format!(
            "{}: a standardised rate without std_y, std_v, std_w_max / standardisert rate uten \
             std_y, std_v, std_w_max",
            r.indicator
        )
    })?;
    Ok(match crate::ci::fay_feuer(t.y, t.v, t.w_max) {
        Some(ci) => (
            value(v),
            Some(Interval {
                low: 1000.0 * ci.low,
                high: 1000.0 * ci.high,
            }),
        ),
        None => (not_estimable(crude_rank), None),
    })
}

/// Suppresses the script's result with k: per indicator and year, its grid of every group ×
/// area, primary and secondary suppression as the engine does. Rows come out sorted as the
/// engine's long table.
///
/// # Errors
/// An unknown indicator, group or area, or a cell of the grid without a row.
pub fn suppress_long_table<'a>(
    rows: &[SqlRow],
    areas: &'a Areas,
    k: u64,
) -> Result<Vec<LongRow<'a>>, String> {
    let n_areas = areas.len();
    let area_index: BTreeMap<(Level, &str), usize> = areas
        .areas
        .iter()
        .enumerate()
        .map(|(i, a)| ((a.level, a.name.as_str()), i))
        .collect();
    type Grid = Vec<Option<(Candidate, Option<Interval>)>>;
    let mut grids: BTreeMap<(&str, i32), Grid> = BTreeMap::new();
    for r in rows {
        let def = indicator::find(&r.indicator)
            .ok_or_else(|| format!("unknown indicator {:?} / ukjent indikator", r.indicator))?;
        let decl = indicator::module_of(def)
            .ok_or_else(|| format!("unknown module of {:?}", r.indicator))?;
        let g = decl
            .group_index(&r.group)
            .ok_or_else(|| format!("{}: unknown group {:?} / ukjent gruppe", def.id, r.group))?;
        let a = *area_index.get(&(r.level, r.area.as_str())).ok_or_else(|| {
            format!(
                "{}: area {} {:?} is not in the areas / området finnes ikke",
                def.id,
                r.level.as_str(),
                r.area
            )
        })?;
        let grid = grids
            .entry((def.id, r.year))
            .or_insert_with(|| vec![None; decl.groups.len() * n_areas]);
        grid[g * n_areas + a] = Some(candidate(
            r,
            matches!(def.numerator, Measure::Median(_)),
            indicator::standardised_base(def).is_some(),
        )?);
    }
    let mut out = Vec::new();
    for ((id, year), grid) in grids {
        let Some(def) = indicator::find(id) else {
            continue;
        };
        let Some(decl) = indicator::module_of(def) else {
            continue;
        };
        let standardised = indicator::standardised_base(def).is_some();
        let mut cells = Vec::with_capacity(grid.len());
        let mut std_intervals = Vec::with_capacity(grid.len());
        for (i, c) in grid.into_iter().enumerate() {
            let (c, iv) = c.ok_or_else(|| {
                let a = &areas.areas[i % n_areas];
                format!(
                    "{id} {year}: no row for group {} at {} {} / mangler rad",
                    decl.groups[i / n_areas].id,
                    a.level.as_str(),
                    a.name
                )
            })?;
            cells.push(c);
            std_intervals.push(iv);
        }
        suppress(&mut cells, &crate::analysis::families(decl, areas), k);
        for (i, (c, std_iv)) in cells.into_iter().zip(std_intervals).enumerate() {
            let a = &areas.areas[i % n_areas];
            // The same interval as the engine's long table: Fay–Feuer for a standardised rate,
            // from the cell's numbers for the rest; none for a hidden cell.
            let ci = if standardised {
                std_iv.filter(|_| matches!(c.cell, Cell::Value { .. }))
            } else {
                crate::ci::interval(def.unit, &c.cell)
            };
            out.push(LongRow {
                indicator: def.id,
                group: decl.groups[i / n_areas].id,
                level: a.level,
                area: a.name.as_str(),
                year,
                ci,
                cell: c.cell,
            });
        }
    }
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Ok(out)
}

/// Reads an areas table in canonical columns (`municipality`, `health_community`, `region`,
/// optional `municipality_name` and `row_no`), rows in `row_no` order when present.
///
/// # Errors
/// A message naming the line of a municipality that is not a 3- or 4-digit code, or a missing
/// column.
pub fn read_areas(bytes: &[u8]) -> Result<Vec<AreaRow>, String> {
    let (mut r, header) = reader_and_header(bytes)?;
    let mut rows: Vec<(u64, AreaRow)> = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| format!("line {line}: {e}"))?;
        let m = field(&rec, &header, "municipality")?;
        let code = m
            .parse::<u16>()
            .ok()
            .filter(|_| (3..=4).contains(&m.len()) && m.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| {
                format!("line {line}: municipality {m:?} is not a 4-digit code / er ikke et kommunenummer")
            })?;
        let name = field(&rec, &header, "municipality_name").unwrap_or("");
        let order = match field(&rec, &header, "row_no") {
            Ok(v) => v.parse::<u64>().unwrap_or(i as u64),
            Err(_) => i as u64,
        };
        rows.push((
            order,
            AreaRow {
                municipality: Municipality(code),
                municipality_name: (!name.is_empty()).then(|| name.to_string()),
                health_community: field(&rec, &header, "health_community")?.to_string(),
                region: field(&rec, &header, "region")?.to_string(),
            },
        ));
    }
    rows.sort_by_key(|r| r.0);
    Ok(rows.into_iter().map(|r| r.1).collect())
}

/// The script's `forlop_summary` table (`module,item,n`, as the runners write it) suppressed as
/// the engine suppresses a module summary: a count below k is hidden (primary suppression only,
/// no families, as `analysis` does with `suppress::count_cell`). Written as
/// `module,item,n,suppressed` with `n` empty when hidden, rows in the input's order.
///
/// # Errors
/// A message (English / Norwegian) naming the line and the column that cannot be read.
pub fn suppress_summary(bytes: &[u8], k: u64) -> Result<Vec<u8>, String> {
    let (mut r, header) = reader_and_header(bytes)?;
    let mut out = Vec::new();
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(&mut out);
    let _ = w.write_record(["module", "item", "n", "suppressed"]);
    for (i, rec) in r.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| format!("line {line}: {e}"))?;
        let n = field(&rec, &header, "n")?;
        let n: u64 = n.parse().map_err(|_| {
            format!("line {line}, n: cannot read {n:?} as a count / linje {line}, n: kan ikke lese {n:?} som et antall")
        })?;
        let shown = match crate::suppress::count_cell(n, k) {
            Cell::Value { .. } => Some(n),
            _ => None,
        };
        let _ = w.write_record([
            field(&rec, &header, "module")?,
            field(&rec, &header, "item")?,
            &shown.map_or(String::new(), |n| n.to_string()),
            &shown.is_none().to_string(),
        ]);
    }
    let _ = w.flush();
    drop(w);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::SuppressReason;

    const HEADER: &str =
        "indicator,group,level,area,year,numerator,denominator,value,suppressed,median_n\n";

    fn cells<'a>(rows: &'a [LongRow<'a>], id: &str) -> Vec<(&'a str, Cell)> {
        rows.iter()
            .filter(|r| r.indicator == id)
            .map(|r| (r.area, r.cell))
            .collect()
    }

    #[test]
    fn primary_and_secondary_suppression_as_the_engine() {
        // ready.patients (one group) in NO = 0301 + 4601 without an areas table: 10 = 8 + 2.
        // k = 5: 4601's 2 < 5 is primary; the total 10 is shown, so the family NO → {0301,
        // 4601} has exactly one hidden part and the smallest other part, 0301, is hidden too.
        // ready.stays_without_overdue 0 of 0 in 4601 (not estimable) is primary as well.
        // ready.overdue_days_per_patient: 12 / 10 = 1.2 in NO, shown.
        let csv = format!(
            "{HEADER}\
             ready.patients,ready,country,NO,2024,10,,10.0,false,\n\
             ready.patients,ready,municipality,0301,2024,8,,8.0,false,\n\
             ready.patients,ready,municipality,4601,2024,2,,2.0,false,\n\
             ready.overdue_days_per_patient,ready,country,NO,2024,12,10,1.2,false,\n\
             ready.overdue_days_per_patient,ready,municipality,0301,2024,12,8,1.5,false,\n\
             ready.overdue_days_per_patient,ready,municipality,4601,2024,0,0,,false,\n"
        );
        let rows = read_sql_result(csv.as_bytes()).unwrap();
        assert_eq!(rows[5].value, None);
        let areas = areas_for(&rows, None);
        let out = suppress_long_table(&rows, &areas, 5).unwrap();
        assert_eq!(
            cells(&out, "ready.patients"),
            vec![
                (
                    "NO",
                    Cell::Value {
                        numerator: Some(10),
                        denominator: None,
                        value: 10.0
                    }
                ),
                ("0301", Cell::Suppressed(SuppressReason::Secondary)),
                ("4601", Cell::Suppressed(SuppressReason::Primary)),
            ]
        );
        let per = cells(&out, "ready.overdue_days_per_patient");
        assert_eq!(per[2].1, Cell::Suppressed(SuppressReason::Primary));
        // k = 0: nothing hidden, the not-estimable cell keeps its numbers.
        let open = suppress_long_table(&rows, &areas, 0).unwrap();
        assert_eq!(
            cells(&open, "ready.overdue_days_per_patient")[2].1,
            Cell::NotEstimable {
                numerator: Some(0),
                denominator: Some(0)
            }
        );
    }

    #[test]
    fn a_median_is_tested_by_the_values_behind_it() {
        // smi.letter_days_median has no numerator; median_n 3 < 5 hides it, 7 does not.
        let groups = crate::modules::find("smi").unwrap().groups.clone();
        let mut csv = HEADER.to_string();
        for g in &groups {
            let n = if g.id == "all" { 3 } else { 7 };
            csv += &format!(
                "smi.letter_days_median,{},country,NO,2024,,,2.5,false,{n}\n",
                g.id
            );
        }
        let rows = read_sql_result(csv.as_bytes()).unwrap();
        let areas = areas_for(&rows, None);
        let out = suppress_long_table(&rows, &areas, 5).unwrap();
        let all = out.iter().find(|r| r.group == "all").unwrap();
        assert_eq!(all.cell, Cell::Suppressed(SuppressReason::Primary));
        // all is the total of all+substance and all-substance: hidden total, parts stay.
        let plus = out.iter().find(|r| r.group == "all+substance").unwrap();
        assert_eq!(
            plus.cell,
            Cell::Value {
                numerator: None,
                denominator: None,
                value: 2.5
            }
        );
    }

    #[test]
    fn a_standardised_rate_keeps_the_crude_rank_and_gets_the_fay_feuer_interval() {
        // ready.patients_per_1000_std (one group) in NO = 0301 + 4601 + 5001, no areas table.
        // 0301: crude 8 of 600, but its standardised rate is not estimable (persons in a
        // stratum without inhabitants): no value, the crude numbers and the crude rank (8, 600).
        // 4601: 2 < 5 is primary at k = 5. The family NO → {0301, 4601, 5001} then has one
        // hidden part, and the smallest other part by (numerator, denominator) is 5001 (6, 500)
        // < 0301 (8, 600): 5001 is hidden, 0301 stays (with rank (0, 0) it would be hidden).
        let std = "ready.patients_per_1000_std,ready";
        let csv = format!(
            "{}\
             {std},country,NO,2024,16,1500,10.5,false,,0.0105,1.2e-05,0.004\n\
             {std},municipality,0301,2024,8,600,,false,,,,\n\
             {std},municipality,4601,2024,2,400,4.5,false,,0.0045,8e-06,0.003\n\
             {std},municipality,5001,2024,6,500,12.5,false,,0.0125,2e-05,0.002\n",
            HEADER.replace("median_n\n", "median_n,std_y,std_v,std_w_max\n")
        );
        let rows = read_sql_result(csv.as_bytes()).unwrap();
        assert_eq!(
            rows[0].std,
            Some(StdTerms {
                y: 0.0105,
                v: 1.2e-05,
                w_max: 0.004
            })
        );
        let areas = areas_for(&rows, None);
        let out = suppress_long_table(&rows, &areas, 5).unwrap();
        let got: Vec<(&str, Cell)> = cells(&out, "ready.patients_per_1000_std");
        assert_eq!(
            got[1].1,
            Cell::NotEstimable {
                numerator: Some(8),
                denominator: Some(600)
            }
        );
        assert_eq!(got[2].1, Cell::Suppressed(SuppressReason::Primary));
        assert_eq!(got[3].1, Cell::Suppressed(SuppressReason::Secondary));
        // NO's interval is the engine's: Fay–Feuer from y, v and w_max, per 1 000.
        let ff = crate::ci::fay_feuer(0.0105, 1.2e-05, 0.004).unwrap();
        let no = out.iter().find(|r| r.area == "NO").unwrap();
        assert_eq!(
            no.ci,
            Some(Interval {
                low: 1000.0 * ff.low,
                high: 1000.0 * ff.high
            })
        );
        assert!(ff.low < 0.0105 && 0.0105 < ff.high);
        assert!(out
            .iter()
            .filter(|r| r.area != "NO")
            .all(|r| r.ci.is_none()));
        // Without the columns the interval needs, a standardised value is an error, not a
        // rate without an interval.
        let bare = format!("{HEADER}{std},country,NO,2024,16,1500,10.5,false,\n");
        let rows = read_sql_result(bare.as_bytes()).unwrap();
        let err = suppress_long_table(&rows, &areas_for(&rows, None), 5).unwrap_err();
        assert!(err.contains("std_y"), "{err}");
    }

    #[test]
    fn a_missing_cell_or_unknown_indicator_is_an_error_not_a_zero() {
        let csv = format!(
            "{HEADER}ready.patients,ready,country,NO,2024,10,,10.0,false,\n\
             ready.patients,ready,municipality,0301,2024,8,,8.0,false,\n"
        );
        let rows = read_sql_result(csv.as_bytes()).unwrap();
        // An areas table naming 4601 too: its cell has no row.
        let areas_csv =
            "municipality,health_community,region\n0301,Oslo,Sør-Øst\n4601,Bergen,Vest\n";
        let areas = areas_for(&rows, Some(read_areas(areas_csv.as_bytes()).unwrap()));
        let err = suppress_long_table(&rows, &areas, 5).unwrap_err();
        assert!(err.contains("no row"), "{err}");
        let bad = format!("{HEADER}nope.x,all,country,NO,2024,1,,1,false,\n");
        let rows = read_sql_result(bad.as_bytes()).unwrap();
        assert!(suppress_long_table(&rows, &areas_for(&rows, None), 5).is_err());
        assert!(
            read_sql_result(format!("{HEADER}a,b,planet,NO,2024,1,,1,false,\n").as_bytes())
                .is_err()
        );
    }

    #[test]
    fn summary_counts_below_k_are_hidden_like_the_engines() {
        let input = b"module,item,n\nsmi,cohort_size,1234\nsmi,group_pair:f20:f31,4\n\
door,weekday:6,5\ndoor,hour_of_day:3,0\n";
        // k = 5: 4 < 5 and 0 < 5 are hidden (below_k: n < k), 5 is shown.
        let out = String::from_utf8(suppress_summary(input, 5).unwrap()).unwrap();
        assert_eq!(
            out,
            "module,item,n,suppressed\nsmi,cohort_size,1234,false\nsmi,group_pair:f20:f31,,true\n\
door,weekday:6,5,false\ndoor,hour_of_day:3,,true\n"
        );
        // k = 0: nothing hidden.
        let out = String::from_utf8(suppress_summary(input, 0).unwrap()).unwrap();
        assert!(out.contains("smi,group_pair:f20:f31,4,false\n"));
        assert!(out.contains("door,hour_of_day:3,0,false\n"));
        let bad = suppress_summary(b"module,item,n\nsmi,cohort_size,many\n", 5).unwrap_err();
        assert!(
            bad.contains("line 2, n") && bad.contains("linje 2"),
            "{bad}"
        );
        let missing = suppress_summary(b"module,item\nsmi,cohort_size\n", 5).unwrap_err();
        assert!(missing.contains("column n missing"), "{missing}");
    }
}
