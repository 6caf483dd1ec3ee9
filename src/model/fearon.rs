//! War as a costly lottery (Fearon 1995, "Rationalist Explanations for War"): each side's
//! value of fighting on, the bargaining range they imply, and the risk-return trade-off of a
//! take-it-or-leave-it offer under uncertainty about the other side's costs.
//!
//! Shares are of a contested issue of size 1; side `a` receives `x`, side `b` `1 - x`.

/// Each side's value of walking away and fighting on: `d_a = E_a[x] - c_a` and
/// `d_b = 1 - E_b[x] - c_b`, where `E_i[x]` is the share of the issue that side `i` expects
/// `a` to end with and `c_i` is side `i`'s cost of fighting, in shares of the issue.
#[inline]
pub fn disagreement_values(
    expected_a_by_a: f64,
    expected_a_by_b: f64,
    c_a: f64,
    c_b: f64,
) -> (f64, f64) {
    (expected_a_by_a - c_a, 1.0 - expected_a_by_b - c_b)
}

/// The bargaining range `[d_a, 1 - d_b]` of shares for `a` that both prefer to war, or
/// `None` when it is empty (mutual optimism exceeds the total cost of war).
#[cfg(test)]
pub fn bargaining_range(d_a: f64, d_b: f64) -> Option<(f64, f64)> {
    let hi = 1.0 - d_b;
    if d_a <= hi { Some((d_a, hi)) } else { None }
}

/// Side `b`'s optimal take-it-or-leave-it offer to `a` when `a`'s cost of war is uniform on
/// `[c_lo, c_hi]`, with common win probability `p` for `a` and `b`'s cost `c_b`. `a` accepts
/// `x` when `x >= p - c_a`. Returns `(offer, probability of war)`.
///
/// `b` maximises `P(accept) (1 - x) + (1 - P(accept)) (1 - p - c_b)`; with
/// `P(accept) = (x - p + c_hi) / (c_hi - c_lo)` the optimum is `x* = p + (c_b - c_hi) / 2`,
/// clamped to the offers that some or all types accept.
#[cfg(test)]
pub fn screening_offer_uniform_cost(p: f64, c_lo: f64, c_hi: f64, c_b: f64) -> (f64, f64) {
    let lo = p - c_hi; // accepted by every type
    let hi = p - c_lo; // accepted by the most resolved type only
    let x = (p + (c_b - c_hi) / 2.0).clamp(lo, hi);
    let accept = if c_hi > c_lo {
        ((x - lo) / (c_hi - c_lo)).clamp(0.0, 1.0)
    } else {
        1.0
    };
    (x, 1.0 - accept)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// F1: p = 0.4, c_a = 0.05, c_b = 0.15 gives the range [0.35, 0.55].
    #[test]
    fn f1_range() {
        let (d_a, d_b) = disagreement_values(0.4, 0.4, 0.05, 0.15);
        let (lo, hi) = bargaining_range(d_a, d_b).expect("non-empty range");
        assert!((lo - 0.35).abs() < 1e-12);
        assert!((hi - 0.55).abs() < 1e-12);
    }

    /// F2: b's offer with c_a ~ U[0, 0.3], c_b = 0.1, p = 0.4 is 0.30 and war has
    /// probability 1/3.
    #[test]
    fn f2_screening_offer() {
        let (x, p_war) = screening_offer_uniform_cost(0.4, 0.0, 0.3, 0.1);
        assert!((x - 0.30).abs() < 1e-12, "offer {x}");
        assert!((p_war - 1.0 / 3.0).abs() < 1e-12, "P(war) {p_war}");
    }

    /// F2 cross-check: the closed form maximises b's expected utility on a fine grid.
    #[test]
    fn f2_offer_is_the_grid_optimum() {
        let (p, c_lo, c_hi, c_b) = (0.4, 0.0, 0.3, 0.1);
        let eu = |x: f64| {
            let acc = ((x - p + c_hi) / (c_hi - c_lo)).clamp(0.0, 1.0);
            acc * (1.0 - x) + (1.0 - acc) * (1.0 - p - c_b)
        };
        let (x, _) = screening_offer_uniform_cost(p, c_lo, c_hi, c_b);
        for i in 0..=10_000 {
            let y = p - c_hi + (c_hi - c_lo) * f64::from(i) / 10_000.0;
            assert!(eu(y) <= eu(x) + 1e-12);
        }
    }

    /// F3: mutual optimism: a puts its own chance at p_a = 0.55, b puts it at p_b = 0.35; c_a = 0.08,
    /// c_b = 0.10: optimism 0.20 exceeds total costs 0.18, so no range.
    #[test]
    fn f3_mutual_optimism_closes_range() {
        let (d_a, d_b) = disagreement_values(0.55, 0.35, 0.08, 0.10);
        assert!(bargaining_range(d_a, d_b).is_none());
        // The gap is exactly optimism minus costs.
        assert!(((d_a + d_b - 1.0) - (0.20 - 0.18)).abs() < 1e-12);
    }
}
