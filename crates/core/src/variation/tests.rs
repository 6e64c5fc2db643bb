use super::*;

fn av(value: f64, observed: f64, exposure: f64) -> AreaValue {
    AreaValue {
        value,
        observed,
        exposure,
    }
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() <= 1e-12 * b.abs().max(1.0))
}

#[test]
fn two_areas_by_hand() {
    // 10 and 30 cases per 1 000 inhabitants: EQ = 30/10 = 3; mean 20, s² = (100 + 100)/1 = 200,
    // CV = √200 / 20 = 0.7071067811865476. Pooled 40/2 000 → E = 20 each:
    // (10 − 20)²/20² − 1/20 = 0.25 − 0.05 = 0.2, the same for 30: SCV = 100 × 0.4/2 = 20.
    let st = statistics(
        &[av(10.0, 10.0, 1000.0), av(30.0, 30.0, 1000.0)],
        true,
        false,
    );
    assert_eq!((st.min, st.max), (Some(10.0), Some(30.0)));
    assert!(close(st.extremal_quotient, 3.0));
    assert!(close(st.cv, 200f64.sqrt() / 20.0));
    assert!(close(st.scv, 20.0), "{st:?}");
}

#[test]
fn poisson_noise_alone_gives_a_negative_scv() {
    // 2, 4, 6 of 1 000 each: E = 4; terms 4/16 − 1/4 = 0, −1/4, 0 → SCV = 100 × (−0.25/3).
    let st = statistics(
        &[
            av(2.0, 2.0, 1000.0),
            av(4.0, 4.0, 1000.0),
            av(6.0, 6.0, 1000.0),
        ],
        true,
        false,
    );
    assert!(close(st.scv, -25.0 / 3.0), "{st:?}");
    // s = 2, mean 4 → CV 0.5.
    assert!(close(st.cv, 0.5));
}

#[test]
fn expected_counts_given_and_edge_cases() {
    // O = 5 and 15 with E = 10 and 10 given: (25/100 − 1/10) × 2 / 2 × 100 = 15.
    let st = statistics(&[av(1.0, 5.0, 10.0), av(3.0, 15.0, 10.0)], true, true);
    assert!(close(st.scv, 15.0), "{st:?}");
    // A lowest value of 0: no EQ; one area: nothing; no SCV for a mean.
    let st = statistics(&[av(0.0, 0.0, 10.0), av(3.0, 3.0, 10.0)], false, false);
    assert_eq!(st.extremal_quotient, None);
    assert_eq!(st.scv, None);
    assert!(st.cv.is_some());
    assert_eq!(
        statistics(&[av(1.0, 1.0, 1.0)], true, false),
        Stats::default()
    );
}
