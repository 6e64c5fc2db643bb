//! Sampling helpers that give the same numbers on every platform: integer ranges on `u32`
//! (never `usize`, whose width differs on wasm32) and comparisons of uniform `f64`s, with no
//! transcendental functions (`ln`, `exp` may differ in the last bit between libms).

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// A piecewise-uniform distribution: (weight, low, high) with both ends inclusive.
pub(crate) type Pieces = [(u32, i32, i32)];

/// True with probability `p`.
pub(crate) fn chance(rng: &mut ChaCha8Rng, p: f64) -> bool {
    rng.random::<f64>() < p
}

/// Uniform in `0..n`; 0 when `n` is 0.
pub(crate) fn below(rng: &mut ChaCha8Rng, n: u32) -> u32 {
    if n == 0 {
        0
    } else {
        rng.random_range(0..n)
    }
}

/// Uniform in `lo..=hi`; `lo` when the range is empty.
pub(crate) fn between(rng: &mut ChaCha8Rng, lo: i32, hi: i32) -> i32 {
    if hi <= lo {
        lo
    } else {
        lo + rng.random_range(0..=(hi - lo) as u32) as i32
    }
}

/// Index drawn with the given integer weights.
pub(crate) fn weighted(rng: &mut ChaCha8Rng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut x = below(rng, total);
    for (i, &w) in weights.iter().enumerate() {
        if x < w {
            return i;
        }
        x -= w;
    }
    weights.len().saturating_sub(1)
}

/// A draw from a piecewise-uniform distribution.
pub(crate) fn piece(rng: &mut ChaCha8Rng, pieces: &Pieces) -> i32 {
    let total: u32 = pieces.iter().map(|p| p.0).sum();
    let mut x = below(rng, total);
    for &(w, lo, hi) in pieces {
        if x < w {
            return between(rng, lo, hi);
        }
        x -= w;
    }
    pieces.last().map_or(0, |p| p.1)
}

/// One element of a non-empty slice, uniformly.
pub(crate) fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[T]) -> T {
    items[below(rng, items.len() as u32) as usize]
}

/// An item drawn with weights: `(weight, item)`.
pub(crate) fn pick_weighted<T: Copy>(rng: &mut ChaCha8Rng, items: &[(u32, T)]) -> T {
    let total: u32 = items.iter().map(|i| i.0).sum();
    let mut x = below(rng, total);
    for &(w, item) in items {
        if x < w {
            return item;
        }
        x -= w;
    }
    items[items.len() - 1].1
}

/// Fisher–Yates shuffle with portable `u32` draws.
pub(crate) fn shuffle<T>(rng: &mut ChaCha8Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = below(rng, (i + 1) as u32) as usize;
        items.swap(i, j);
    }
}
