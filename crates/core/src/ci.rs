//! 95 % confidence intervals of the long table's shares and rates (issue 13, docs/choices.md
//! "Confidence intervals"), one implementation for every module.
//!
//! - A share (`Unit::Percent`, x of n): the Wilson score interval, in % like the value.
//! - A rate per 1 000 (`Unit::Per1000`, x events over a population of n): the exact Poisson
//!   (Garwood) interval of x, the event count, divided by n and × 1 000. Its limits are gamma
//!   quantiles: lower = Γ⁻¹(α/2; x, 1) (0 when x = 0), upper = Γ⁻¹(1 − α/2; x + 1, 1), which is
//!   χ²₂ₓ(α/2)/2 and χ²₂₍ₓ₊₁₎(1 − α/2)/2.
//! - A directly standardised rate: the Fay–Feuer gamma interval ([`fay_feuer`]).
//! - Means, medians, counts, sums and costs: none (see docs/choices.md).
//!
//! Quantiles come from `statrs` (normal and gamma distributions); the gamma quantile is polished
//! by a few Newton steps on statrs' own CDF so the limits are good to ~1e-12 relative.

use crate::indicator::Unit;
use crate::output::Cell;
use serde::{Deserialize, Serialize};
use statrs::distribution::{Continuous, ContinuousCDF, Gamma, Normal};

/// A confidence interval, in the unit of the value it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower limit.
    pub low: f64,
    /// Upper limit.
    pub high: f64,
}

impl Interval {
    /// Whether the interval lies wholly above `v` (its lower limit is above it).
    pub fn above(&self, v: f64) -> bool {
        self.low > v
    }

    /// Whether the interval lies wholly below `v` (its upper limit is below it).
    pub fn below(&self, v: f64) -> bool {
        self.high < v
    }
}

/// The confidence level of every interval: 95 %.
pub const LEVEL: f64 = 0.95;

/// z = Φ⁻¹(1 − α/2) for [`LEVEL`] (1.959963984540054).
pub fn z() -> f64 {
    match Normal::new(0.0, 1.0) {
        Ok(n) => n.inverse_cdf(1.0 - (1.0 - LEVEL) / 2.0),
        // Unreachable: the standard normal is valid.
        Err(_) => 1.959_963_984_540_054,
    }
}

/// The Wilson score interval of a proportion x / n, as proportions 0..1; `None` when n = 0 or
/// x > n.
///
/// centre = (p + z²/2n) / (1 + z²/n), half width = z / (1 + z²/n) · √(p(1−p)/n + z²/4n²).
/// At x = 0 the lower limit is 0 and at x = n the upper limit is 1 exactly.
pub fn wilson(x: u64, n: u64) -> Option<Interval> {
    if n == 0 || x > n {
        return None;
    }
    let z = z();
    let (xf, nf) = (x as f64, n as f64);
    let p = xf / nf;
    let z2 = z * z;
    let denom = 1.0 + z2 / nf;
    let centre = (p + z2 / (2.0 * nf)) / denom;
    let half = z / denom * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt();
    let low = if x == 0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let high = if x == n {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    Some(Interval { low, high })
}

/// The `p` quantile of a gamma distribution of shape `shape` and scale `scale`; `None` when the
/// parameters are not positive and finite.
///
/// The quantile at scale 1 is a pure function of (`p`, `shape`) and costs some twenty
/// evaluations of the incomplete gamma function, while an analysis asks for the same few again
/// and again (the Garwood limits of the same small counts in many cells and years; the
/// Fay–Feuer upper limit of every cell without events has shape 1): each thread keeps the ones
/// it has worked out, by the exact bits of (`p`, `shape`), so the answer is the same bits as
/// without the memo.
pub fn gamma_quantile(p: f64, shape: f64, scale: f64) -> Option<f64> {
    if !(shape > 0.0 && shape.is_finite() && scale > 0.0 && scale.is_finite()) {
        return None;
    }
    if !(p > 0.0 && p < 1.0) {
        return None;
    }
    let key = (p.to_bits(), shape.to_bits());
    let known = UNIT_QUANTILES.with_borrow(|memo| memo.get(&key).copied());
    let unit = match known {
        Some(unit) => unit,
        None => {
            let unit = unit_gamma_quantile(p, shape);
            UNIT_QUANTILES.with_borrow_mut(|memo| {
                if memo.len() >= MEMO_LIMIT {
                    memo.clear();
                }
                memo.insert(key, unit);
            });
            unit
        }
    };
    unit.map(|x| x * scale)
}

/// How many quantiles a thread keeps before it forgets them all (a few MB at most).
const MEMO_LIMIT: usize = 1 << 16;

thread_local! {
    /// [`unit_gamma_quantile`] by the bits of (`p`, `shape`).
    static UNIT_QUANTILES: std::cell::RefCell<std::collections::HashMap<(u64, u64), Option<f64>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// The `p` quantile of the gamma distribution of shape `shape` and scale 1 (both checked by
/// [`gamma_quantile`]); `None` when it cannot be found.
///
/// Newton steps on statrs' CDF and density from the Wilson–Hilferty approximation
/// shape · (1 − 1/(9 shape) + z √(1/(9 shape)))³, which is within a fraction of a per cent of the
/// quantile from shape 1 up (the Garwood limits of counts, the Fay–Feuer limits of rates): three
/// or four steps reach it to rounding. statrs' own `inverse_cdf` (doubling, bisection, then
/// Newton) took some thirty evaluations of the incomplete gamma function for the same limit, and
/// the first analysis of an upload spent a third of its time there (BENCHMARKS.md, "The
/// quantiles from a close start"); it stays as the way in for shapes below 1 and wherever the
/// steps do not land on a root.
fn unit_gamma_quantile(p: f64, shape: f64) -> Option<f64> {
    let g = Gamma::new(shape, 1.0).ok()?;
    let wilson_hilferty = || {
        let zp = Normal::new(0.0, 1.0).ok()?.inverse_cdf(p);
        let c = 1.0 / (9.0 * shape);
        Some(shape * (1.0 - c + zp * c.sqrt()).powi(3))
    };
    // statrs' search fails for some large shapes (counts of a national register: 640 162
    // persons gave NaN), the approximation for some small ones: each is the other's fallback.
    let approximation_first = shape >= 1.0;
    let mut x = f64::NAN;
    for approximation in [approximation_first, !approximation_first] {
        let start = if approximation {
            wilson_hilferty()?
        } else {
            g.inverse_cdf(p)
        };
        x = polish(&g, p, start, LAST_STEP);
        if is_root(&g, p, x) {
            break;
        }
    }
    (x.is_finite() && x >= 0.0).then_some(x)
}

/// Whether `x` is `g`'s `p` quantile: its CDF there within 1e-9 of `p`.
fn is_root(g: &Gamma, p: f64, x: f64) -> bool {
    x.is_finite() && x >= 0.0 && (g.cdf(x) - p).abs() <= 1e-9
}

/// Where [`polish`] stops: after a step of less than this, relative. From a step that small
/// Newton's next would be below 1e-20, far under the noise of statrs' CDF (1e-14 to 1e-13
/// relative at shapes in the thousands). A tolerance under that noise (1e-15, before) was never
/// met there: a third of an analysis's quantiles took all twenty steps, walking in the noise.
const LAST_STEP: f64 = 1e-12;

/// Newton steps on `g`'s CDF and density from `x` toward its `p` quantile, until one moves `x`
/// less than `last_step` relative, at most twenty; where a step would leave the positive
/// numbers, the last good `x`.
fn polish(g: &Gamma, p: f64, mut x: f64, last_step: f64) -> f64 {
    for _ in 0..20 {
        // Through the logarithm: statrs' `pdf` computes x^(shape − 1) itself up to shape 160,
        // which overflows to infinity from shape ~141 at the quantiles here (127^150 > 1e308).
        let d = g.ln_pdf(x).exp();
        if !(d > 0.0 && d.is_finite()) {
            break;
        }
        let next = x - (g.cdf(x) - p) / d;
        if !(next > 0.0 && next.is_finite()) {
            break;
        }
        let done = (next - x).abs() <= last_step * x.abs();
        x = next;
        if done {
            break;
        }
    }
    x
}

/// The same quantile the way it was found before [`unit_gamma_quantile`] started from the
/// Wilson–Hilferty approximation and stopped at [`LAST_STEP`] (statrs' `inverse_cdf`, then
/// Newton steps down to 1e-15; the density through its logarithm, as now): kept to show that
/// the two agree (tests).
#[cfg(test)]
fn unit_gamma_quantile_by_statrs_search(p: f64, shape: f64) -> Option<f64> {
    let g = Gamma::new(shape, 1.0).ok()?;
    let x = polish(&g, p, g.inverse_cdf(p), 1e-15);
    is_root(&g, p, x).then_some(x)
}

/// The exact (Garwood) interval of a Poisson count x: lower = Γ⁻¹(α/2; x) (0 for x = 0),
/// upper = Γ⁻¹(1 − α/2; x + 1).
pub fn poisson_exact(x: u64) -> Option<Interval> {
    let a = 1.0 - LEVEL;
    let xf = x as f64;
    let low = if x == 0 {
        0.0
    } else {
        gamma_quantile(a / 2.0, xf, 1.0)?
    };
    let high = gamma_quantile(1.0 - a / 2.0, xf + 1.0, 1.0)?;
    Some(Interval { low, high })
}

/// The Fay–Feuer (1997) gamma interval of a directly standardised rate y = Σ wᵢ xᵢ, from
/// y, v = Σ wᵢ² xᵢ and w_max = the largest weight wᵢ (over the strata with a population):
/// lower = Γ⁻¹(α/2; shape y²/v, scale v/y) (0 when y = 0),
/// upper = Γ⁻¹(1 − α/2; shape (y + w_max)²/(v + w_max²), scale (v + w_max²)/(y + w_max)).
pub fn fay_feuer(y: f64, v: f64, w_max: f64) -> Option<Interval> {
    let a = 1.0 - LEVEL;
    if !(y >= 0.0 && v >= 0.0 && w_max > 0.0) {
        return None;
    }
    let low = if y == 0.0 || v == 0.0 {
        0.0
    } else {
        gamma_quantile(a / 2.0, y * y / v, v / y)?
    };
    let (ys, vs) = (y + w_max, v + w_max * w_max);
    let high = gamma_quantile(1.0 - a / 2.0, ys * ys / vs, vs / ys)?;
    Some(Interval { low, high })
}

/// The interval of a published cell of an indicator in `unit`: Wilson (in %) for a share,
/// Garwood (per 1 000) for a rate per 1 000; `None` for every other unit, and for a suppressed
/// or not-estimable cell.
pub fn interval(unit: Unit, cell: &Cell) -> Option<Interval> {
    let Cell::Value {
        numerator: Some(x),
        denominator: Some(n),
        ..
    } = *cell
    else {
        return None;
    };
    if n == 0 {
        return None;
    }
    match unit {
        Unit::Percent => wilson(x, n).map(|i| Interval {
            low: 100.0 * i.low,
            high: 100.0 * i.high,
        }),
        Unit::Per1000 => poisson_exact(x).map(|i| Interval {
            low: 1000.0 * i.low / n as f64,
            high: 1000.0 * i.high / n as f64,
        }),
        Unit::Count
        | Unit::Days
        | Unit::Contacts
        | Unit::Consultations
        | Unit::Admissions
        | Unit::Nok
        | Unit::Stays => None,
    }
}

#[cfg(test)]
mod tests;
