use super::*;
use crate::output::SuppressReason;

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1e-300)
}

/// Bisection of a decreasing-then-increasing-free function: the root of `f` in [lo, hi] where
/// f(lo) and f(hi) have opposite signs.
fn bisect(mut lo: f64, mut hi: f64, f: impl Fn(f64) -> f64) -> f64 {
    let flo = f(lo);
    for _ in 0..200 {
        let mid = (lo + hi) / 2.0;
        if (f(mid) > 0.0) == (flo > 0.0) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo + hi) / 2.0
}

/// The Wilson limits by a second method: the two p where the score statistic
/// (p̂ − p) / √(p(1−p)/n) equals ±z, found by bisection.
fn wilson_by_score_test(x: u64, n: u64) -> (f64, f64) {
    let z = z();
    let (ph, nf) = (x as f64 / n as f64, n as f64);
    let score = |p: f64| (ph - p) * (ph - p) - z * z * p * (1.0 - p) / nf;
    let low = if x == 0 { 0.0 } else { bisect(0.0, ph, score) };
    let high = if x == n { 1.0 } else { bisect(ph, 1.0, score) };
    (low, high)
}

/// P(X ≤ x) for X ~ Poisson(λ), by summing the terms e^−λ λ^k / k! directly.
fn poisson_cdf(x: u64, lambda: f64) -> f64 {
    let mut term = (-lambda).exp();
    let mut sum = term;
    for k in 1..=x {
        term *= lambda / k as f64;
        sum += term;
    }
    sum
}

/// The Garwood limits by a second method: the λ with P(X ≥ x; λ) = 0.025 and the λ with
/// P(X ≤ x; λ) = 0.025, by bisection on the Poisson CDF.
fn garwood_by_cdf(x: u64) -> (f64, f64) {
    let low = if x == 0 {
        0.0
    } else {
        bisect(0.0, 10.0 * x as f64 + 10.0, |l| {
            (1.0 - poisson_cdf(x - 1, l)) - 0.025
        })
    };
    let high = bisect(0.0, 10.0 * x as f64 + 10.0, |l| poisson_cdf(x, l) - 0.025);
    (low, high)
}

#[test]
fn z_is_the_975_percent_normal_quantile() {
    assert!(close(z(), 1.959_963_984_540_054, 1e-12), "{}", z());
}

#[test]
fn wilson_by_hand_at_the_edges() {
    let z2 = z() * z();
    // 0 of 10: low 0, high = (z²/2n + z²/2n) / (1 + z²/n) = z²/(n + z²) = 3.84146/13.84146 =
    // 0.277533...
    let i = wilson(0, 10).unwrap();
    assert_eq!(i.low, 0.0);
    assert!(close(i.high, z2 / (10.0 + z2), 1e-12), "{i:?}");
    assert!(close(i.high, 0.277_532_799_781_365, 1e-9), "{i:?}");
    // 10 of 10 (100 %): the mirror image, high 1 exactly.
    let i = wilson(10, 10).unwrap();
    assert_eq!(i.high, 1.0);
    assert!(close(i.low, 10.0 / (10.0 + z2), 1e-12), "{i:?}");
    // n = 1: 0 of 1 → (0, z²/(1+z²)) = (0, 0.793464...); 1 of 1 → (1/(1+z²), 1).
    let i = wilson(0, 1).unwrap();
    assert_eq!(i.low, 0.0);
    assert!(close(i.high, z2 / (1.0 + z2), 1e-12), "{i:?}");
    let i = wilson(1, 1).unwrap();
    assert!(close(i.low, 1.0 / (1.0 + z2), 1e-12), "{i:?}");
    assert_eq!(i.high, 1.0);
    // 1 of 2: symmetric about 1/2.
    let i = wilson(1, 2).unwrap();
    assert!(close(i.low + i.high, 1.0, 1e-12), "{i:?}");
    assert_eq!(wilson(0, 0), None);
    assert_eq!(wilson(3, 2), None);
}

#[test]
fn wilson_agrees_with_a_bisection_on_the_score_test() {
    for (x, n) in [
        (0, 1),
        (1, 1),
        (0, 7),
        (1, 3),
        (7, 7),
        (5, 11),
        (8, 11),
        (50, 200),
        (999, 1000),
        (12345, 67890),
    ] {
        let i = wilson(x, n).unwrap();
        let (lo, hi) = wilson_by_score_test(x, n);
        assert!((i.low - lo).abs() < 1e-12, "{x}/{n}: {i:?} vs {lo}");
        assert!((i.high - hi).abs() < 1e-12, "{x}/{n}: {i:?} vs {hi}");
        assert!(i.low <= x as f64 / n as f64 && x as f64 / n as f64 <= i.high);
    }
}

#[test]
fn garwood_by_hand_for_0_and_1_events() {
    // x = 0: low 0, high = Γ⁻¹(0.975; 1) = −ln 0.025 = 3.688879454113936.
    let i = poisson_exact(0).unwrap();
    assert_eq!(i.low, 0.0);
    assert!(close(i.high, -(0.025f64.ln()), 1e-12), "{i:?}");
    // x = 1: low = Γ⁻¹(0.025; 1) = −ln 0.975 = 0.025317807984289786.
    let i = poisson_exact(1).unwrap();
    assert!(close(i.low, -(0.975f64.ln()), 1e-12), "{i:?}");
    // high 5.571643... (the tabulated Garwood limit for 1 event).
    assert!(close(i.high, 5.571_643_390_938_86, 1e-9), "{i:?}");
    // x = 10: (4.795389, 18.390356), Garwood's table.
    let i = poisson_exact(10).unwrap();
    assert!((i.low - 4.795_389).abs() < 1e-6, "{i:?}");
    assert!((i.high - 18.390_356).abs() < 1e-6, "{i:?}");
}

#[test]
fn garwood_agrees_with_a_bisection_on_the_poisson_cdf() {
    // Every count up to 300: statrs' gamma density overflows between shapes ~141 and 160, where
    // the limits were once left at the Wilson–Hilferty approximation (1e-5 relative off).
    for x in (0u64..=300).chain([400, 600]) {
        let i = poisson_exact(x).unwrap();
        let (lo, hi) = garwood_by_cdf(x);
        assert!(
            close(i.low, lo, 1e-10) || (lo == 0.0 && i.low == 0.0),
            "{x}: {i:?} vs {lo}"
        );
        assert!(close(i.high, hi, 1e-10), "{x}: {i:?} vs {hi}");
    }
}

#[test]
fn fay_feuer_with_one_stratum_is_garwood_over_the_population() {
    // One stratum of N persons: w = 1/N, y = x/N, v = x/N², w_max = 1/N; the gamma shapes are x
    // and x + 1 with scale 1/N, so the interval is Garwood's / N.
    for (x, n) in [(0u64, 40u64), (1, 1), (3, 200), (25, 1000)] {
        let nf = n as f64;
        let w = 1.0 / nf;
        let ff = fay_feuer(x as f64 * w, x as f64 * w * w, w).unwrap();
        let g = poisson_exact(x).unwrap();
        assert!(close(ff.low, g.low / nf, 1e-10) || ff.low == 0.0 && g.low == 0.0);
        assert!(
            close(ff.high, g.high / nf, 1e-10),
            "{x}/{n}: {ff:?} vs {g:?}"
        );
    }
    assert_eq!(fay_feuer(1.0, 1.0, 0.0), None);
}

#[test]
fn interval_of_a_cell_by_unit() {
    let cell = |x, n| Cell::Value {
        numerator: Some(x),
        denominator: Some(n),
        value: 0.0,
    };
    // 1 of 3 as a share: Wilson in %.
    let w = wilson(1, 3).unwrap();
    let i = interval(Unit::Percent, &cell(1, 3)).unwrap();
    assert!(close(i.low, 100.0 * w.low, 1e-15) && close(i.high, 100.0 * w.high, 1e-15));
    // 0 of 2 000 inhabitants per 1 000: (0, 3.688879 × 1000 / 2000 = 1.844440).
    let i = interval(Unit::Per1000, &cell(0, 2000)).unwrap();
    assert_eq!(i.low, 0.0);
    assert!(close(i.high, -(0.025f64.ln()) / 2.0, 1e-12), "{i:?}");
    // No interval for means, counts, suppressed or not-estimable cells.
    assert_eq!(interval(Unit::Days, &cell(10, 4)), None);
    assert_eq!(
        interval(
            Unit::Count,
            &Cell::Value {
                numerator: Some(7),
                denominator: None,
                value: 7.0
            }
        ),
        None
    );
    assert_eq!(
        interval(Unit::Percent, &Cell::Suppressed(SuppressReason::Primary)),
        None
    );
    assert_eq!(
        interval(
            Unit::Percent,
            &Cell::NotEstimable {
                numerator: Some(0),
                denominator: Some(0)
            }
        ),
        None
    );
}

#[test]
fn garwood_for_counts_of_a_national_register() {
    // Counts of a national register (the 10×-national benchmark's, e.g. 640 162 persons): the
    // interval exists, its limits are roots of the gamma CDF, and they lie where the normal
    // approximation puts them, x ± 1.96 √x (for x = 640 162: √x ≈ 800.1, so about
    // 638 594 and 641 732, within 2 of it).
    for x in [50_000u64, 160_837, 434_039, 640_162, 698_145, 5_000_000] {
        let i = poisson_exact(x).unwrap_or_else(|| panic!("{x}: no interval"));
        let xf = x as f64;
        let (lo_g, hi_g) = (
            Gamma::new(xf, 1.0).unwrap(),
            Gamma::new(xf + 1.0, 1.0).unwrap(),
        );
        assert!((lo_g.cdf(i.low) - 0.025).abs() < 1e-9, "{x}: {i:?}");
        assert!((hi_g.cdf(i.high) - 0.975).abs() < 1e-9, "{x}: {i:?}");
        let half = 1.959_964 * xf.sqrt();
        assert!(
            (i.low - (xf - half)).abs() < 2.0 && (i.high - (xf + half)).abs() < 3.0,
            "{x}: {i:?}"
        );
    }
}

#[test]
fn the_close_start_finds_the_quantiles_the_statrs_search_found() {
    // Every shape an analysis asks for, by kind: the Garwood limits of counts (whole shapes,
    // 1–3 000 all of them, then up to 100 000), the Fay–Feuer limits of standardised rates
    // (shapes such as 10 371.999926978315) and shapes just above 1. The two ways land on the
    // same root to 1e-12 relative (statrs' CDF is good to 1e-14–1e-13 there), and the long
    // table's 8 digits are the same.
    let mut shapes: Vec<f64> = (1..=3_000).map(f64::from).collect();
    shapes.extend((5_000..=100_000).step_by(997).map(f64::from));
    shapes.extend((0..2_000).map(|i| 1.0 + f64::from(i) * 0.37 + 1e-7 * f64::from(i % 13)));
    shapes.extend([1.000_001, 1.5, 2.5, 10_371.999_926_978_315, 20_846.0]);
    let mut compared = 0;
    for &shape in &shapes {
        for p in [0.025, 0.975, 0.5] {
            let Some(before) = unit_gamma_quantile_by_statrs_search(p, shape) else {
                continue;
            };
            let now = unit_gamma_quantile(p, shape)
                .unwrap_or_else(|| panic!("p {p}, shape {shape}: no quantile"));
            assert!(
                close(now, before, 1e-12),
                "p {p}, shape {shape}: {now} vs {before}"
            );
            assert_eq!(
                crate::output::round_significant(now),
                crate::output::round_significant(before),
                "p {p}, shape {shape}"
            );
            compared += 1;
        }
    }
    assert!(compared > 15_000, "only {compared} compared");
}

#[test]
fn below_shape_1_the_statrs_search_finds_the_quantile() {
    // No analysis asks for a shape below 1 (a Garwood shape is a count of at least 1, a
    // Fay–Feuer shape (Σ wᵢxᵢ)² / Σ wᵢ²xᵢ is at least 1 with whole xᵢ), and there the
    // approximation is not used but the search, as before (which finds none for shape 0.5 at
    // 2.5 %, as before). Shape 0.5 is χ²₁ / 2: its 97.5 % quantile is z(0.9875)² / 2 =
    // 2.241403² / 2 = 2.511943.
    let x = unit_gamma_quantile(0.975, 0.5).unwrap();
    assert!(
        close(x, 2.241_402_727_604_947_f64.powi(2) / 2.0, 1e-12),
        "{x}"
    );
    for shape in [0.5, 0.1, 0.9, 0.999] {
        for p in [0.025, 0.975] {
            let (now, before) = (
                unit_gamma_quantile(p, shape),
                unit_gamma_quantile_by_statrs_search(p, shape),
            );
            match (now, before) {
                (Some(now), Some(before)) => {
                    assert!(
                        close(now, before, 1e-12),
                        "p {p}, shape {shape}: {now} vs {before}"
                    )
                }
                _ => assert_eq!(now, before, "p {p}, shape {shape}"),
            }
        }
    }
}
