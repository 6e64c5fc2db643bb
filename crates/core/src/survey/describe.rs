//! Frequency distributions of one item by a grouping variable (survey.md §4.3): n and % within
//! each group, % of the valid answers (the report's figures), missing answers counted on a row
//! of their own, and small numbers suppressed as in the rest of Forløp.

use super::scale::groups;
use super::table::RespondentTable;
use crate::suppress::below_k;
use std::collections::{BTreeMap, BTreeSet};

/// The value of the missing-answer row.
pub const MISSING: &str = "(missing)";
/// The value of the valid-total row.
pub const TOTAL: &str = "(total)";

/// One row of a frequency table.
#[derive(Debug, Clone, PartialEq)]
pub struct FrequencyRow {
    /// The group (`all` without a grouping variable).
    pub group: String,
    /// The answer (its code or name), or [`TOTAL`] / [`MISSING`].
    pub value: String,
    /// Respondents; `None` when suppressed.
    pub n: Option<u64>,
    /// Percent of the group's valid answers; `None` when suppressed or for the missing row.
    pub percent: Option<f64>,
    /// Whether the cell is suppressed (primary or secondary).
    pub suppressed: bool,
}

/// Sorts answer labels numerically when they are numbers, else bytewise.
fn label_order(a: &String, b: &String) -> std::cmp::Ordering {
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x.total_cmp(&y),
        _ => a.cmp(b),
    }
}

/// The distribution of `item` in each group of `by`, with cells below `min_cell` suppressed.
///
/// Every answer seen in any group is a row in every group (0 where none), so groups line up.
/// Primary suppression: a count below k (`suppress::below_k`; 0 included, as elsewhere).
/// Secondary: when a group's valid total is published and exactly one answer is suppressed, the
/// next-smallest answer is suppressed too, so the hidden one cannot be had by subtraction; a
/// group whose total is below k is suppressed whole. The missing row is a count of its own and
/// is suppressed only by the primary rule.
pub fn frequencies(
    table: &RespondentTable,
    item: &str,
    by: Option<&str>,
    min_cell: u64,
) -> Result<Vec<FrequencyRow>, String> {
    let by_known = by.is_none_or(|b| super::scale::has_grouping(table, b));
    for name in std::iter::once(item).chain(by.filter(|_| !by_known)) {
        if !table.columns.contains_key(name) {
            return Err(format!(
                "no variable «{name}» in the data / variabelen finnes ikke"
            ));
        }
    }
    let grouped = groups(table, by);
    let mut values: BTreeSet<String> = BTreeSet::new();
    let mut counts: BTreeMap<&String, (BTreeMap<String, u64>, u64)> = BTreeMap::new();
    for (group, rows) in &grouped {
        let entry = counts.entry(group).or_default();
        for &r in rows {
            match table.label(item, r) {
                Some(v) => {
                    values.insert(v.clone());
                    *entry.0.entry(v).or_default() += 1;
                }
                None => entry.1 += 1,
            }
        }
    }
    let mut values: Vec<String> = values.into_iter().collect();
    values.sort_by(label_order);
    let mut out = Vec::new();
    for (group, (by_value, missing)) in counts {
        let total: u64 = by_value.values().sum();
        let ns: Vec<u64> = values
            .iter()
            .map(|v| by_value.get(v).copied().unwrap_or(0))
            .collect();
        let mut hidden: Vec<bool> = ns.iter().map(|&n| below_k(n, min_cell)).collect();
        let total_hidden = below_k(total, min_cell);
        if total_hidden {
            hidden.iter_mut().for_each(|h| *h = true);
        } else if hidden.iter().filter(|&&h| h).count() == 1 {
            if let Some((i, _)) = ns
                .iter()
                .enumerate()
                .filter(|(i, _)| !hidden[*i])
                .min_by_key(|(_, &n)| n)
            {
                hidden[i] = true;
            }
        }
        let cell = |n: u64, hide: bool, pct: bool| FrequencyRow {
            group: group.clone(),
            value: String::new(),
            n: (!hide).then_some(n),
            percent: (!hide && pct && total > 0).then(|| 100.0 * n as f64 / total as f64),
            suppressed: hide,
        };
        for (i, v) in values.iter().enumerate() {
            out.push(FrequencyRow {
                value: v.clone(),
                ..cell(ns[i], hidden[i], true)
            });
        }
        out.push(FrequencyRow {
            value: TOTAL.into(),
            ..cell(total, total_hidden, true)
        });
        out.push(FrequencyRow {
            value: MISSING.into(),
            ..cell(missing, below_k(missing, min_cell), false)
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::table::read_respondents;

    fn rows(csv: &str) -> RespondentTable {
        read_respondents("t.csv", csv.as_bytes()).table
    }

    #[test]
    fn counts_and_percent_of_valid_answers_without_suppression() {
        let t = rows("sektor,tilfreds\nPHV,5\nPHV,4\nPHV,4\nPHV,\nTSB,1\n");
        let f = frequencies(&t, "tilfreds", Some("sektor"), 0).unwrap();
        let phv: Vec<(&str, Option<u64>, Option<f64>)> = f
            .iter()
            .filter(|r| r.group == "PHV")
            .map(|r| {
                (
                    r.value.as_str(),
                    r.n,
                    r.percent.map(|p| (p * 100.0).round() / 100.0),
                )
            })
            .collect();
        assert_eq!(
            phv,
            vec![
                ("1", Some(0), Some(0.0)),
                ("4", Some(2), Some(66.67)),
                ("5", Some(1), Some(33.33)),
                (TOTAL, Some(3), Some(100.0)),
                (MISSING, Some(1), None),
            ]
        );
    }

    #[test]
    fn one_small_cell_takes_the_next_smallest_with_it() {
        // 2 × "1", 6 × "2", 9 × "3": "1" is below 5, so "2" goes too; "3" and the total stay.
        let mut csv = String::from("hjelper\n");
        for (v, n) in [(1, 2), (2, 6), (3, 9)] {
            for _ in 0..n {
                csv.push_str(&format!("{v}\n"));
            }
        }
        let f = frequencies(&rows(&csv), "hjelper", None, 5).unwrap();
        let shown: Vec<Option<u64>> = f.iter().map(|r| r.n).collect();
        assert_eq!(shown, vec![None, None, Some(9), Some(17), None]);
        assert!(f[0].suppressed && f[0].percent.is_none());
    }

    #[test]
    fn a_group_below_k_is_hidden_whole() {
        let t = rows("sektor,video\nAVT,1\nAVT,0\nPHV,1\nPHV,1\nPHV,1\nPHV,0\nPHV,0\nPHV,0\n");
        let f = frequencies(&t, "video", Some("sektor"), 3).unwrap();
        assert!(f.iter().filter(|r| r.group == "AVT").all(|r| r.n.is_none()));
        let phv: Vec<Option<u64>> = f.iter().filter(|r| r.group == "PHV").map(|r| r.n).collect();
        assert_eq!(phv, vec![Some(3), Some(3), Some(6), None]);
    }
}
