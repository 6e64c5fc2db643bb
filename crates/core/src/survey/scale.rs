//! STAR-P and CONTINU-UM (survey.md §3): reversal so that higher is better on every item,
//! missing categories, scores, item means by group and Cronbach's α.

use super::table::RespondentTable;
use std::collections::BTreeMap;

/// The 12 STAR-P items in questionnaire order (§1.6), coded 0–4.
pub const STAR_ITEMS: [&str; 12] = [
    "star01", "star02", "star03", "star04", "star05", "star06", "star07", "star08", "star09",
    "star10", "star11", "star12",
];

/// The 12 CONTINU-UM items in questionnaire order (§1.8): items 1–11 coded 1–6 (6 = not
/// relevant / no need), item 12 coded 1–5.
pub const CONTINUUM_ITEMS: [&str; 12] = [
    "coc01_tilgang",
    "coc02_alle_tjenester",
    "coc03_velge",
    "coc04_vente",
    "coc05_kveld_helg",
    "coc06_bytte",
    "coc07_informasjon",
    "coc08_endret",
    "coc09_framskritt",
    "coc10_kommuniserer",
    "coc11_stotte_likepersoner",
    "coc12_livshistorien",
];

/// Which scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// STAR-P, the therapeutic relationship; score = mean of the reversed items, 0–4.
    StarP,
    /// CONTINU-UM, continuity of care; score = the sum of the nine chapter-11 items, 9–45.
    ContinuUm,
}

/// Scoring choices the report leaves open (survey.md §3), with its documented defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleSettings {
    /// STAR-P items (1-based) whose answers are reversed (4 − x): by wording 4, 7 and 9.
    pub star_reversed: Vec<usize>,
    /// Fewest answered STAR-P items for a score (default 1: the mean of the available items).
    pub star_min_items: usize,
    /// STAR-P subscales from a user-supplied mapping (name, 1-based items); the report names
    /// three but does not say which items belong to each, so none by default.
    pub star_subscales: Vec<(String, Vec<usize>)>,
    /// CONTINU-UM items (1-based) kept as coded because they are worded negatively (helt klart
    /// ikke = 5 is best): 4, 6 and 12. The others are reversed (6 − x).
    pub continuum_kept: Vec<usize>,
    /// The items of the chapter-11 sum (all but 5, 6 and 10).
    pub continuum_sum_items: Vec<usize>,
    /// Every item of the sum must be answered (default true; fits the report's low N).
    pub continuum_require_all: bool,
}

impl Default for ScaleSettings {
    fn default() -> Self {
        ScaleSettings {
            star_reversed: vec![4, 7, 9],
            star_min_items: 1,
            star_subscales: Vec::new(),
            continuum_kept: vec![4, 6, 12],
            continuum_sum_items: vec![1, 2, 3, 4, 7, 8, 9, 11, 12],
            continuum_require_all: true,
        }
    }
}

/// The scored items of a scale, one vector per item (index = item − 1), higher = better, with
/// "not relevant" (CONTINU-UM 6) as missing. Absent columns are all missing.
pub fn scored_items(
    table: &RespondentTable,
    scale: Scale,
    settings: &ScaleSettings,
) -> Vec<Vec<Option<f64>>> {
    let names: &[&str; 12] = match scale {
        Scale::StarP => &STAR_ITEMS,
        Scale::ContinuUm => &CONTINUUM_ITEMS,
    };
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let item = i + 1;
            let raw = table.numeric(name);
            (0..table.rows)
                .map(|r| {
                    let x = raw.and_then(|v| v[r])?;
                    Some(match scale {
                        Scale::StarP if settings.star_reversed.contains(&item) => 4.0 - x,
                        Scale::StarP => x,
                        Scale::ContinuUm if item <= 11 && x == 6.0 => return None,
                        Scale::ContinuUm if settings.continuum_kept.contains(&item) => x,
                        Scale::ContinuUm => 6.0 - x,
                    })
                })
                .collect()
        })
        .collect()
}

/// The items (1-based) a scale's score and α are computed on.
pub fn score_items(scale: Scale, settings: &ScaleSettings) -> Vec<usize> {
    match scale {
        Scale::StarP => (1..=12).collect(),
        Scale::ContinuUm => settings.continuum_sum_items.clone(),
    }
}

/// The score per respondent: STAR-P the mean of the answered items (at least
/// `star_min_items`), CONTINU-UM the sum of the chapter-11 items (all answered by default).
pub fn scores(table: &RespondentTable, scale: Scale, settings: &ScaleSettings) -> Vec<Option<f64>> {
    let items = scored_items(table, scale, settings);
    let chosen = score_items(scale, settings);
    (0..table.rows)
        .map(|r| {
            let answered: Vec<f64> = chosen.iter().filter_map(|&i| items[i - 1][r]).collect();
            match scale {
                Scale::StarP => (answered.len() >= settings.star_min_items.max(1))
                    .then(|| answered.iter().sum::<f64>() / answered.len() as f64),
                Scale::ContinuUm => (!answered.is_empty()
                    && (!settings.continuum_require_all || answered.len() == chosen.len()))
                .then(|| answered.iter().sum()),
            }
        })
        .collect()
}

/// STAR-P subscale scores (mean of the answered items of each), in the order of the mapping.
pub fn star_subscale_scores(
    table: &RespondentTable,
    settings: &ScaleSettings,
) -> Vec<(String, Vec<Option<f64>>)> {
    let items = scored_items(table, Scale::StarP, settings);
    settings
        .star_subscales
        .iter()
        .map(|(name, members)| {
            let values = (0..table.rows)
                .map(|r| {
                    let a: Vec<f64> = members
                        .iter()
                        .filter_map(|&i| items.get(i.wrapping_sub(1))?[r])
                        .collect();
                    (!a.is_empty()).then(|| a.iter().sum::<f64>() / a.len() as f64)
                })
                .collect();
            (name.clone(), values)
        })
        .collect()
}

/// Cronbach's α with the number of complete cases it rests on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Alpha {
    /// α = k/(k−1) · (1 − Σ var(item) / var(sum)); `None` with fewer than 2 cases or items, or
    /// a sum without variance.
    pub alpha: Option<f64>,
    /// Respondents who answered every item (listwise, as the report's scale α).
    pub n: usize,
}

/// Sample variance (n − 1); the ratio in α is the same with either divisor.
fn variance(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)
}

/// Cronbach's α over `items` for the rows in `rows`, listwise.
pub fn cronbach_alpha(items: &[&[Option<f64>]], rows: &[usize]) -> Alpha {
    let complete: Vec<Vec<f64>> = rows
        .iter()
        .filter_map(|&r| items.iter().map(|it| it[r]).collect::<Option<Vec<f64>>>())
        .collect();
    let n = complete.len();
    let k = items.len();
    if n < 2 || k < 2 {
        return Alpha { alpha: None, n };
    }
    let item_var: f64 = (0..k)
        .map(|j| variance(&complete.iter().map(|c| c[j]).collect::<Vec<_>>()))
        .sum();
    let total_var = variance(&complete.iter().map(|c| c.iter().sum()).collect::<Vec<_>>());
    let alpha =
        (total_var > 0.0).then(|| k as f64 / (k as f64 - 1.0) * (1.0 - item_var / total_var));
    Alpha { alpha, n }
}

/// One group's summary of a scale.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleSummary {
    /// The group's label (`all` without a grouping variable).
    pub group: String,
    /// Respondents with a score.
    pub n: usize,
    /// Mean score.
    pub mean: Option<f64>,
    /// Sample standard deviation of the score.
    pub sd: Option<f64>,
    /// α on the score's items.
    pub alpha: Alpha,
    /// n, mean and sd of each scored item, every item of the scale in order.
    pub item_means: Vec<ItemMean>,
}

/// One scored item's summary in a group (higher is better; CONTINU-UM's "not relevant" left
/// out), as Figs 10-1 and 11-1 show the item means.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemMean {
    /// The item, 1-based.
    pub item: usize,
    /// Respondents who answered it.
    pub n: usize,
    /// Mean of the scored answers.
    pub mean: Option<f64>,
    /// Sample standard deviation (n − 1), from two answers.
    pub sd: Option<f64>,
}

/// The multi-response grouping by self-reported diagnosis (survey.md §4.3 items 3–4): a
/// respondent is in every group ticked, the two substance items form one group, `rus`.
pub const DIAGNOSIS_GROUPING: &str = "diagnosegruppe";

/// Whether `by` names a grouping of the table: a column, or [`DIAGNOSIS_GROUPING`].
pub fn has_grouping(table: &RespondentTable, by: &str) -> bool {
    table.columns.contains_key(by) || by == DIAGNOSIS_GROUPING
}

/// Rows per group of `by` (respondents without a value are left out); one group `all` without.
/// By [`DIAGNOSIS_GROUPING`] (when the data has no column of that name) a respondent is in
/// each diagnosis group ticked, so the groups overlap.
pub fn groups(table: &RespondentTable, by: Option<&str>) -> BTreeMap<String, Vec<usize>> {
    let mut out: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    if by == Some(DIAGNOSIS_GROUPING) && !table.columns.contains_key(DIAGNOSIS_GROUPING) {
        for option in super::table::DIAGNOSES {
            let Some(ticked) = table.numeric(option) else {
                continue;
            };
            let group = match option {
                "dg_rus_skadelig" | "dg_rus_avhengighet" => "rus",
                other => other.trim_start_matches("dg_"),
            };
            let rows = out.entry(group.to_string()).or_default();
            rows.extend((0..table.rows).filter(|&r| ticked[r] == Some(1.0)));
            rows.sort_unstable();
            rows.dedup();
        }
        out.retain(|_, rows| !rows.is_empty());
        return out;
    }
    for r in 0..table.rows {
        let key = match by {
            None => Some("all".to_string()),
            Some(v) => table.label(v, r),
        };
        if let Some(key) = key {
            out.entry(key).or_default().push(r);
        }
    }
    out
}

/// n, mean, sd, α and item means of a scale per group of `by`.
pub fn summarise(
    table: &RespondentTable,
    scale: Scale,
    by: Option<&str>,
    settings: &ScaleSettings,
) -> Vec<ScaleSummary> {
    let items = scored_items(table, scale, settings);
    let score = scores(table, scale, settings);
    let alpha_items: Vec<&[Option<f64>]> = score_items(scale, settings)
        .iter()
        .map(|&i| items[i - 1].as_slice())
        .collect();
    groups(table, by)
        .into_iter()
        .map(|(group, rows)| {
            let s: Vec<f64> = rows.iter().filter_map(|&r| score[r]).collect();
            let n = s.len();
            let mean = (n > 0).then(|| s.iter().sum::<f64>() / n as f64);
            let sd = (n > 1).then(|| variance(&s).sqrt());
            let item_means = items
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let a: Vec<f64> = rows.iter().filter_map(|&r| v[r]).collect();
                    ItemMean {
                        item: i + 1,
                        n: a.len(),
                        mean: (!a.is_empty()).then(|| a.iter().sum::<f64>() / a.len() as f64),
                        sd: (a.len() > 1).then(|| variance(&a).sqrt()),
                    }
                })
                .collect();
            ScaleSummary {
                alpha: cronbach_alpha(&alpha_items, &rows),
                group,
                n,
                mean,
                sd,
                item_means,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::table::read_respondents;

    fn table(csv: &str) -> RespondentTable {
        let r = read_respondents("t.csv", csv.as_bytes());
        assert_eq!(r.rows_rejected, 0, "{:?}", r.issues);
        r.table
    }

    #[test]
    fn star_reverses_4_7_9_and_averages_the_answered_items() {
        let t = table(
            "star01,star02,star03,star04,star05,star06,star07,star08,star09,star10,star11,star12\n\
             4,4,4,0,4,4,0,4,0,4,4,4\n\
             2,,,,,,,,1,,,\n",
        );
        let s = scores(&t, Scale::StarP, &ScaleSettings::default());
        assert_eq!(s, vec![Some(4.0), Some(2.5)]);
    }

    #[test]
    fn settings_change_the_minimum_items_subscales_and_completeness() {
        let t = table(
            "star01,star02,star04,coc01_tilgang,coc02_alle_tjenester\n\
             4,2,1,1,\n\
             ,,,2,2\n",
        );
        let settings = ScaleSettings {
            star_min_items: 3,
            star_subscales: vec![
                ("samarbeid".into(), vec![1, 2]),
                ("negativ".into(), vec![4]),
            ],
            continuum_sum_items: vec![1, 2],
            continuum_require_all: false,
            ..ScaleSettings::default()
        };
        // Row 1 has 3 STAR items: (4 + 2 + (4 − 1)) / 3 = 3; row 2 none.
        assert_eq!(scores(&t, Scale::StarP, &settings), vec![Some(3.0), None]);
        let sub = star_subscale_scores(&t, &settings);
        assert_eq!(sub[0], ("samarbeid".to_string(), vec![Some(3.0), None]));
        assert_eq!(sub[1], ("negativ".to_string(), vec![Some(3.0), None]));
        // Sum of the answered items of 1 and 2, reversed (6 − x): 5; 4 + 4 = 8.
        assert_eq!(
            scores(&t, Scale::ContinuUm, &settings),
            vec![Some(5.0), Some(8.0)]
        );
        let strict = ScaleSettings {
            continuum_sum_items: vec![1, 2],
            ..ScaleSettings::default()
        };
        assert_eq!(scores(&t, Scale::ContinuUm, &strict), vec![None, Some(8.0)]);
    }

    #[test]
    fn continuum_drops_category_6_and_needs_all_nine_items() {
        // Row 1: every positive item "helt klart" (1 → 5), negative items "helt klart ikke"
        // (5 stays 5), item 12 "aldri" (5): the best score, 45; items 5 and 10 are outside the
        // sum so their category 6 does not matter. Row 2: item 3 not relevant → no sum.
        let t = table(
            "coc01_tilgang,coc02_alle_tjenester,coc03_velge,coc04_vente,coc05_kveld_helg,coc06_bytte,coc07_informasjon,coc08_endret,coc09_framskritt,coc10_kommuniserer,coc11_stotte_likepersoner,coc12_livshistorien\n\
             1,1,1,5,6,5,1,1,1,6,1,5\n\
             1,1,6,5,1,5,1,1,1,1,1,5\n",
        );
        let settings = ScaleSettings::default();
        assert_eq!(
            scores(&t, Scale::ContinuUm, &settings),
            vec![Some(45.0), None]
        );
        let items = scored_items(&t, Scale::ContinuUm, &settings);
        assert_eq!(items[4], vec![None, Some(5.0)]);
        assert_eq!(items[2], vec![Some(5.0), None]);
    }

    #[test]
    fn alpha_matches_its_definition_computed_here() {
        // Three items, six respondents, one with a missing answer (left out listwise).
        let a = [Some(1.0), Some(2.0), Some(3.0), Some(4.0), Some(2.0), None];
        let b = [
            Some(2.0),
            Some(2.0),
            Some(4.0),
            Some(3.0),
            Some(1.0),
            Some(4.0),
        ];
        let c = [
            Some(1.0),
            Some(3.0),
            Some(3.0),
            Some(4.0),
            Some(2.0),
            Some(4.0),
        ];
        let got = cronbach_alpha(&[&a, &b, &c], &[0, 1, 2, 3, 4, 5]);
        assert_eq!(got.n, 5);
        // By hand on the 5 complete rows: a = 1,2,3,4,2 (mean 2.4, Σd² = 5.2),
        // b = 2,2,4,3,1 (mean 2.4, Σd² = 5.2), c = 1,3,3,4,2 (mean 2.6, Σd² = 5.2),
        // sums 4,7,10,11,5 (mean 7.4, Σd² = 37.2). With n − 1 = 4 the variances are 1.3 each
        // and 9.3: α = 3/2 · (1 − 3.9/9.3).
        let expected = 1.5 * (1.0 - 3.9 / 9.3);
        assert!((got.alpha.unwrap() - expected).abs() < 1e-12 * expected);
        // …and the same definition written again with population variances.
        let rows: Vec<[f64; 3]> = (0..5)
            .map(|r| [a[r].unwrap(), b[r].unwrap(), c[r].unwrap()])
            .collect();
        let pvar = |x: Vec<f64>| {
            let m = x.iter().sum::<f64>() / x.len() as f64;
            x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / x.len() as f64
        };
        let sum_items: f64 = (0..3)
            .map(|j| pvar(rows.iter().map(|r| r[j]).collect()))
            .sum();
        let total = pvar(rows.iter().map(|r| r.iter().sum()).collect());
        let again = 1.5 * (1.0 - sum_items / total);
        assert!((got.alpha.unwrap() - again).abs() < 1e-9 * again.abs());
    }

    #[test]
    fn diagnosis_groups_overlap_and_merge_the_substance_items() {
        let t = table(
            "dg_depresjon,dg_angst,dg_rus_skadelig,dg_rus_avhengighet\n1,1,1,1\n0,1,,1\n,,,\n",
        );
        let g = groups(&t, Some(DIAGNOSIS_GROUPING));
        let got: Vec<(&str, &[usize])> =
            g.iter().map(|(k, v)| (k.as_str(), v.as_slice())).collect();
        assert_eq!(
            got,
            vec![
                ("angst", &[0, 1][..]),
                ("depresjon", &[0][..]),
                ("rus", &[0, 1][..])
            ]
        );
        assert!(has_grouping(&t, DIAGNOSIS_GROUPING) && !has_grouping(&t, "nope"));
    }

    #[test]
    fn summary_per_group_gives_n_mean_sd_alpha() {
        let t = table(
            "sektor,star01,star02,star03,star04,star05,star06,star07,star08,star09,star10,star11,star12\n\
             PHV,4,4,4,0,4,4,0,4,0,4,4,4\n\
             PHV,2,2,2,2,2,2,2,2,2,2,2,2\n\
             AVT,3,3,3,1,3,3,1,3,1,3,3,3\n",
        );
        let s = summarise(&t, Scale::StarP, Some("sektor"), &ScaleSettings::default());
        assert_eq!(s.len(), 2);
        assert_eq!(
            (s[1].group.as_str(), s[1].n, s[1].mean),
            ("PHV", 2, Some(3.0))
        );
        assert!((s[1].sd.unwrap() - 2f64.sqrt()).abs() < 1e-12);
        // Perfectly parallel items: α = 1.
        assert!((s[1].alpha.alpha.unwrap() - 1.0).abs() < 1e-12);
        assert_eq!(s[0].alpha, Alpha { alpha: None, n: 1 });
    }
}
