//! The rows of the survey's tables as `forlop survey …` writes them and the app offers them for
//! download: one builder per table, each with its header, so the CLI and the page write the same
//! bytes from one piece of code (the fields through [`super::csv::number`], the lines through
//! [`super::csv::text`]). Suppression that blanks fields is applied here too.

use super::compare::{Anova, TTest};
use super::csv::number;
use super::describe::FrequencyRow;
use super::regress::ModelFit;
use super::response::round_half_up;
use super::scale::{Scale, ScaleSummary, CONTINUUM_ITEMS, STAR_ITEMS};
use crate::suppress::below_k;

/// Header of [`describe`] (`forlop survey describe`).
pub const DESCRIBE_HEADER: &str = "item,group,value,n,percent,suppressed";
/// Header of [`scale`] (`forlop survey scale`).
pub const SCALE_HEADER: &str = "group,n,mean,sd,alpha,alpha_n";
/// Header of [`item_means`] (`forlop survey scale --items`).
pub const ITEM_MEANS_HEADER: &str = "group,item,n,mean,sd";
/// Header of [`regress`] (`forlop survey regress`).
pub const REGRESS_HEADER: &str = "group,term,estimate,ci_low,ci_high,p_value,n,r2,converged";
/// Header of [`ttest`] (`forlop survey ttest`).
pub const TTEST_HEADER: &str =
    "group,var,level_a,level_b,n_a,n_b,mean_a,mean_b,difference,t,df,p_value,suppressed";
/// Header of [`anova`] (`forlop survey anova`).
pub const ANOVA_HEADER: &str = "group,var,level,n,mean,f,df_between,df_within,p_value,suppressed";

fn count_or_blank(n: usize, blank: bool) -> String {
    if blank {
        String::new()
    } else {
        n.to_string()
    }
}

/// The frequency table of `item`: the percentage rounded half up to one decimal.
pub fn describe(item: &str, rows: &[FrequencyRow]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| {
            vec![
                item.to_string(),
                r.group.clone(),
                r.value.clone(),
                r.n.map(|n| n.to_string()).unwrap_or_default(),
                number(r.percent.map(|p| round_half_up(p, 1))),
                r.suppressed.to_string(),
            ]
        })
        .collect()
}

/// One row per group: n, mean, sd and α of the score, all blank for a group with fewer than
/// `min_cell` scores.
pub fn scale(summaries: &[ScaleSummary], min_cell: u64) -> Vec<Vec<String>> {
    summaries
        .iter()
        .map(|s| {
            let small = below_k(s.n as u64, min_cell);
            let shown = |x: Option<f64>| if small { String::new() } else { number(x) };
            vec![
                s.group.clone(),
                count_or_blank(s.n, small),
                shown(s.mean),
                shown(s.sd),
                shown(s.alpha.alpha),
                count_or_blank(s.alpha.n, small),
            ]
        })
        .collect()
}

/// One row per group and item: n, mean and sd of the scored item (higher is better on every
/// item; CONTINU-UM's "not relevant" left out), blank where fewer than `min_cell` answered.
pub fn item_means(summaries: &[ScaleSummary], which: Scale, min_cell: u64) -> Vec<Vec<String>> {
    let names = match which {
        Scale::StarP => &STAR_ITEMS,
        Scale::ContinuUm => &CONTINUUM_ITEMS,
    };
    let mut out = Vec::new();
    for s in summaries {
        for m in &s.item_means {
            let small = below_k(m.n as u64, min_cell);
            let shown = |x: Option<f64>| if small { String::new() } else { number(x) };
            out.push(vec![
                s.group.clone(),
                names
                    .get(m.item.wrapping_sub(1))
                    .map_or_else(|| m.item.to_string(), |n| n.to_string()),
                count_or_blank(m.n, small),
                shown(m.mean),
                shown(m.sd),
            ]);
        }
    }
    out
}

/// One row per fit and term (after [`super::regress::suppress_small`]).
pub fn regress(fits: &[ModelFit]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for fit in fits {
        for t in &fit.terms {
            out.push(vec![
                fit.group.clone(),
                t.term.clone(),
                number(t.estimate),
                number(t.ci_low),
                number(t.ci_high),
                number(t.p_value),
                count_or_blank(fit.n, fit.suppressed),
                number(fit.r2),
                fit.converged.to_string(),
            ]);
        }
    }
    out
}

/// One row per group of the t test of `var` between `levels[0]` and `levels[1]`.
pub fn ttest(var: &str, levels: [&str; 2], tests: &[TTest]) -> Vec<Vec<String>> {
    tests
        .iter()
        .map(|t| {
            vec![
                t.group.clone(),
                var.to_string(),
                levels[0].to_string(),
                levels[1].to_string(),
                count_or_blank(t.n[0], t.suppressed),
                count_or_blank(t.n[1], t.suppressed),
                number(t.mean[0]),
                number(t.mean[1]),
                number(t.difference),
                number(t.t),
                number(t.df),
                number(t.p_value),
                t.suppressed.to_string(),
            ]
        })
        .collect()
}

/// One row per group and level of the one-way ANOVA of `var`; F, df and p repeat on each
/// level's row.
pub fn anova(var: &str, tests: &[Anova]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for t in tests {
        for (level, n, mean) in &t.levels {
            out.push(vec![
                t.group.clone(),
                var.to_string(),
                level.clone(),
                count_or_blank(*n, t.suppressed),
                number(*mean),
                number(t.f),
                t.df_between.to_string(),
                t.df_within.to_string(),
                number(t.p_value),
                t.suppressed.to_string(),
            ]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::csv::text;
    use super::super::scale::{summarise, ScaleSettings};
    use super::super::table::read_respondents;
    use super::*;

    #[test]
    fn item_means_carry_n_mean_and_sd_and_blank_small_groups() {
        // star04 is reversed (4 − x): answers 3,2,1,0,2 → 1,2,3,4,2; mean 12/5 = 2.4,
        // squared deviations 1.96 + 0.16 + 0.36 + 2.56 + 0.16 = 5.2, sd = √(5.2/4) = √1.3.
        // TSB has two respondents, below k = 5: blank.
        let csv =
            "sektor,star01,star04\nAVT,1,3\nAVT,2,2\nAVT,3,1\nAVT,4,0\nAVT,2,2\nTSB,4,4\nTSB,3,\n";
        let read = read_respondents("t.csv", csv.as_bytes());
        assert_eq!(read.rows_rejected, 0);
        let s = summarise(
            &read.table,
            Scale::StarP,
            Some("sektor"),
            &ScaleSettings::default(),
        );
        let out = text(ITEM_MEANS_HEADER, item_means(&s, Scale::StarP, 5));
        let line = out
            .lines()
            .find(|l| l.starts_with("AVT,star04,"))
            .unwrap_or_default();
        assert!(line.starts_with("AVT,star04,5,2.4,"), "{out}");
        let sd: f64 = line.rsplit(',').next().unwrap_or_default().parse().unwrap();
        assert!((sd - 1.3f64.sqrt()).abs() < 1e-12, "{line}");
        assert!(out.contains("\nTSB,star01,,,\n"), "{out}");
        // An item nobody answered: n 0, no mean, no sd (k = 0 shows it).
        let all = item_means(&s, Scale::StarP, 0);
        assert!(all.contains(&vec![
            "AVT".to_string(),
            "star02".to_string(),
            "0".to_string(),
            String::new(),
            String::new()
        ]));
        // TSB star04: one answer (4 → 0), mean 0, no sd.
        assert!(all.contains(&vec![
            "TSB".to_string(),
            "star04".to_string(),
            "1".to_string(),
            "0".to_string(),
            String::new()
        ]));
    }
}
