//! The significance tests of survey.md §4.4: a two-sample t test of a variable between two
//! levels of a grouping (the report compares the share in contact with each service between
//! the severe-and-long-lasting group and the mild/moderate-and-short group, within a sector),
//! and a one-way ANOVA across the levels of a grouping (each CONTINU-UM item across the three
//! sectors). The report does not say which t test; the default is Student's with the pooled
//! variance (Stata's `ttest …, by()` without `unequal`), Welch's a setting.
//!
//! STAR-P and CONTINU-UM items are compared on their scored values (higher = better,
//! CONTINU-UM's "not relevant" missing), as the report's item means are.

use super::scale::{groups, scored_items, Scale, ScaleSettings, CONTINUUM_ITEMS, STAR_ITEMS};
use super::table::RespondentTable;
use crate::suppress::below_k;
use statrs::distribution::{ContinuousCDF, FisherSnedecor, StudentsT};

/// One t test.
#[derive(Debug, Clone, PartialEq)]
pub struct TTest {
    /// The group of `by` (`all` without).
    pub group: String,
    /// Respondents with a value in the first and second level.
    pub n: [usize; 2],
    /// Means of the two levels (`None` when suppressed).
    pub mean: [Option<f64>; 2],
    /// mean₁ − mean₂.
    pub difference: Option<f64>,
    /// The t statistic.
    pub t: Option<f64>,
    /// Degrees of freedom (n₁ + n₂ − 2, or Welch–Satterthwaite).
    pub df: Option<f64>,
    /// Two-sided p-value.
    pub p_value: Option<f64>,
    /// Hidden because a level has fewer than k respondents.
    pub suppressed: bool,
}

/// One one-way ANOVA.
#[derive(Debug, Clone, PartialEq)]
pub struct Anova {
    /// The group of `by` (`all` without).
    pub group: String,
    /// Per level of the grouping: label, n, mean (`None` when suppressed).
    pub levels: Vec<(String, usize, Option<f64>)>,
    /// F = (SSB / (g − 1)) / (SSW / (N − g)).
    pub f: Option<f64>,
    /// Between-groups degrees of freedom, g − 1.
    pub df_between: usize,
    /// Within-groups degrees of freedom, N − g.
    pub df_within: usize,
    /// p = P(F(g − 1, N − g) > F).
    pub p_value: Option<f64>,
    /// Hidden because a level has fewer than k respondents.
    pub suppressed: bool,
}

/// The values compared: a STAR-P or CONTINU-UM item scored, any other numeric column as it is.
fn values(table: &RespondentTable, var: &str) -> Result<Vec<Option<f64>>, String> {
    let scale_item = |names: &[&str; 12], scale: Scale| {
        names
            .iter()
            .position(|n| *n == var)
            .map(|i| scored_items(table, scale, &ScaleSettings::default()).swap_remove(i))
    };
    if let Some(v) = scale_item(&STAR_ITEMS, Scale::StarP)
        .or_else(|| scale_item(&CONTINUUM_ITEMS, Scale::ContinuUm))
    {
        if table.columns.contains_key(var) {
            return Ok(v);
        }
    }
    table
        .numeric(var)
        .map(<[Option<f64>]>::to_vec)
        .ok_or_else(|| {
            format!("no numeric variable «{var}» in the data / ingen numerisk variabel «{var}»")
        })
}

fn mean_var(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var)
}

/// t test of `var` between the levels `levels[0]` and `levels[1]` of `between`, in each group of
/// `by`. A level with fewer than `min_cell` values hides the row (k = 0: nothing hidden).
pub fn t_test(
    table: &RespondentTable,
    var: &str,
    between: &str,
    levels: [&str; 2],
    by: Option<&str>,
    welch: bool,
    min_cell: u64,
) -> Result<Vec<TTest>, String> {
    let v = values(table, var)?;
    if !table.columns.contains_key(between) {
        return Err(format!(
            "no variable «{between}» in the data / variabelen finnes ikke"
        ));
    }
    if let Some(b) = by {
        if !super::scale::has_grouping(table, b) {
            return Err(format!(
                "no variable «{b}» in the data / variabelen finnes ikke"
            ));
        }
    }
    Ok(groups(table, by)
        .into_iter()
        .map(|(group, rows)| {
            let sample = |level: &str| -> Vec<f64> {
                rows.iter()
                    .filter(|&&r| table.label(between, r).as_deref() == Some(level))
                    .filter_map(|&r| v[r])
                    .collect()
            };
            let (a, b) = (sample(levels[0]), sample(levels[1]));
            let n = [a.len(), b.len()];
            let hidden = n.iter().any(|&k| below_k(k as u64, min_cell));
            let mut out = TTest {
                group,
                n,
                mean: [None, None],
                difference: None,
                t: None,
                df: None,
                p_value: None,
                suppressed: hidden,
            };
            if hidden || n[0] < 2 || n[1] < 2 {
                if !hidden {
                    out.mean = [
                        (n[0] > 0).then(|| mean_var(&a).0),
                        (n[1] > 0).then(|| mean_var(&b).0),
                    ];
                }
                return out;
            }
            let ((ma, va), (mb, vb)) = (mean_var(&a), mean_var(&b));
            let (na, nb) = (n[0] as f64, n[1] as f64);
            let (se, df) = if welch {
                let (qa, qb) = (va / na, vb / nb);
                let df = (qa + qb).powi(2) / (qa * qa / (na - 1.0) + qb * qb / (nb - 1.0));
                ((qa + qb).sqrt(), df)
            } else {
                let pooled = ((na - 1.0) * va + (nb - 1.0) * vb) / (na + nb - 2.0);
                ((pooled * (1.0 / na + 1.0 / nb)).sqrt(), na + nb - 2.0)
            };
            out.mean = [Some(ma), Some(mb)];
            out.difference = Some(ma - mb);
            if se > 0.0 && df.is_finite() {
                let t = (ma - mb) / se;
                out.t = Some(t);
                out.df = Some(df);
                out.p_value = StudentsT::new(0.0, 1.0, df)
                    .ok()
                    .map(|d| 2.0 * d.sf(t.abs()));
            }
            out
        })
        .collect())
}

/// One-way ANOVA of `var` across the levels of `between`, in each group of `by`. A level with
/// fewer than `min_cell` values hides the row.
pub fn anova(
    table: &RespondentTable,
    var: &str,
    between: &str,
    by: Option<&str>,
    min_cell: u64,
) -> Result<Vec<Anova>, String> {
    let v = values(table, var)?;
    if !super::scale::has_grouping(table, between) {
        return Err(format!(
            "no variable «{between}» in the data / variabelen finnes ikke"
        ));
    }
    if let Some(b) = by {
        if !super::scale::has_grouping(table, b) {
            return Err(format!(
                "no variable «{b}» in the data / variabelen finnes ikke"
            ));
        }
    }
    let levels = groups(table, Some(between));
    Ok(groups(table, by)
        .into_iter()
        .map(|(group, rows)| {
            let in_group: std::collections::BTreeSet<usize> = rows.into_iter().collect();
            let samples: Vec<(String, Vec<f64>)> = levels
                .iter()
                .map(|(label, lr)| {
                    let x = lr
                        .iter()
                        .filter(|r| in_group.contains(r))
                        .filter_map(|&r| v[r])
                        .collect();
                    (label.clone(), x)
                })
                .filter(|(_, x): &(String, Vec<f64>)| !x.is_empty())
                .collect();
            let hidden = samples
                .iter()
                .any(|(_, x)| below_k(x.len() as u64, min_cell));
            let g = samples.len();
            let total: usize = samples.iter().map(|(_, x)| x.len()).sum();
            let mut out = Anova {
                group,
                levels: samples
                    .iter()
                    .map(|(l, x)| {
                        let m = x.iter().sum::<f64>() / x.len() as f64;
                        (l.clone(), x.len(), (!hidden).then_some(m))
                    })
                    .collect(),
                f: None,
                df_between: g.saturating_sub(1),
                df_within: total.saturating_sub(g),
                p_value: None,
                suppressed: hidden,
            };
            if hidden || g < 2 || total <= g {
                return out;
            }
            let grand = samples.iter().flat_map(|(_, x)| x).sum::<f64>() / total as f64;
            let mut ssb = 0.0;
            let mut ssw = 0.0;
            for (_, x) in &samples {
                let m = x.iter().sum::<f64>() / x.len() as f64;
                ssb += x.len() as f64 * (m - grand).powi(2);
                ssw += x.iter().map(|v| (v - m).powi(2)).sum::<f64>();
            }
            let (d1, d2) = (out.df_between as f64, out.df_within as f64);
            if ssw > 0.0 {
                let f = (ssb / d1) / (ssw / d2);
                out.f = Some(f);
                out.p_value = FisherSnedecor::new(d1, d2).ok().map(|d| d.sf(f));
            }
            out
        })
        .collect())
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

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{a} vs {b}");
    }

    /// Severe (1): 1, 1, 1, 0 → mean 0.75, s² = 0.25; mild (0): 1, 0, 0, 0, 0, 0 → mean 1/6,
    /// s² = 1/6. Pooled s² = (3·0.25 + 5/6)/8 = 0.197917; SE = √(s²(1/4 + 1/6)) = 0.287167;
    /// t = (0.75 − 1/6)/SE = 2.031334 on 8 df, p = 0.076698 (scipy.stats.ttest_ind). Welch:
    /// SE = √(0.25/4 + (1/6)/6) = 0.300463, t = 1.941451, df = 5.596026, p = 0.103721.
    #[test]
    fn t_test_pooled_and_welch_match_hand_and_scipy() {
        let mut csv = String::from("sektor,tj_nav,alvorlig_langvarig\n");
        for (nav, sev) in [
            (1, 1),
            (1, 1),
            (1, 1),
            (0, 1),
            (1, 0),
            (0, 0),
            (0, 0),
            (0, 0),
            (0, 0),
            (0, 0),
        ] {
            csv.push_str(&format!("PHV,{nav},{sev}\n"));
        }
        let t = table(&csv);
        let pooled = t_test(
            &t,
            "tj_nav",
            "alvorlig_langvarig",
            ["1", "0"],
            Some("sektor"),
            false,
            0,
        )
        .unwrap();
        assert_eq!(pooled.len(), 1);
        let p = &pooled[0];
        assert_eq!(p.n, [4, 6]);
        close(p.difference.unwrap(), 0.75 - 1.0 / 6.0);
        close(p.t.unwrap(), 2.031_333_500_308_033);
        close(p.df.unwrap(), 8.0);
        close(p.p_value.unwrap(), 0.076_698_395_668_451_87);
        let w = &t_test(
            &t,
            "tj_nav",
            "alvorlig_langvarig",
            ["1", "0"],
            None,
            true,
            0,
        )
        .unwrap()[0];
        close(w.t.unwrap(), 1.941_450_686_788_302_1);
        close(w.df.unwrap(), 5.596_026_490_066_226);
        close(w.p_value.unwrap(), 0.103_721_219_295_363_57);
        // k = 5: the severe group has 4, so the row is hidden.
        let hidden = &t_test(
            &t,
            "tj_nav",
            "alvorlig_langvarig",
            ["1", "0"],
            None,
            false,
            5,
        )
        .unwrap()[0];
        assert!(hidden.suppressed && hidden.t.is_none() && hidden.mean == [None, None]);
    }

    /// Levels 1, 2, 3 / 2, 4, 6, 8 / 5, 5: means 2, 5, 5, grand mean 36/9 = 4.
    /// SSB = 3·4 + 4·1 + 2·1 = 18 on 2 df; SSW = 2 + 20 + 0 = 22 on 6 df;
    /// F = 9 / (22/6) = 2.454545; p = (1 + 2F/6)^(−3) = 0.166375 (F with 2 numerator df).
    #[test]
    fn anova_matches_the_closed_form() {
        // A column of the trust's own (unknown columns with numbers only are numeric).
        let mut csv = String::from("sektor,egen_skaar\n");
        for (s, v) in [
            ("AVT", 1),
            ("AVT", 2),
            ("AVT", 3),
            ("PHV", 2),
            ("PHV", 4),
            ("PHV", 6),
            ("PHV", 8),
            ("TSB", 5),
            ("TSB", 5),
        ] {
            csv.push_str(&format!("{s},{v}\n"));
        }
        let t = table(&csv);
        let a = &anova(&t, "egen_skaar", "sektor", None, 0).unwrap()[0];
        assert_eq!((a.df_between, a.df_within), (2, 6));
        close(a.f.unwrap(), 2.454_545_454_545_454_6);
        close(
            a.p_value.unwrap(),
            (1.0f64 + 2.0 * 2.454_545_454_545_454_6 / 6.0).powi(-3),
        );
        assert_eq!(a.levels[0], ("AVT".to_string(), 3, Some(2.0)));
        // k = 3: TSB has 2 values, so the test is hidden.
        assert!(anova(&t, "egen_skaar", "sektor", None, 3).unwrap()[0].suppressed);
    }

    #[test]
    fn continuum_items_are_compared_scored() {
        // coc01 is reversed (6 − x) and 6 is missing: 1 → 5, 2 → 4, 6 → missing.
        let t = table("sektor,coc01_tilgang\nPHV,1\nPHV,2\nPHV,6\nAVT,5\nAVT,4\n");
        let a = &anova(&t, "coc01_tilgang", "sektor", None, 0).unwrap()[0];
        assert_eq!(a.levels[1], ("PHV".to_string(), 2, Some(4.5)));
        assert_eq!(a.levels[0], ("AVT".to_string(), 2, Some(1.5)));
    }
}
