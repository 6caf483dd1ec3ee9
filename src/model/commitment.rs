//! War as a commitment problem (Powell 2006, "War as a Commitment Problem"): a side whose
//! power is expected to decline prefers to fight now when the most the rising side can
//! credibly promise is worth less than fighting.

/// True when the declining side prefers war: `delta (p_now - p_next) > (1 - delta)
/// (1 - p_now + cost)`, with `delta` its discount factor over the period of the shift,
/// `p_now` and `p_next` its probability of winning now and after the shift, and `cost` its
/// cost of war in shares of the issue.
///
/// Derivation: fighting now is worth `(p_now - cost) / (1 - delta)`; the most the rising
/// side can offer is the whole issue now and the declining side's future war value,
/// `1 + delta (p_next - cost) / (1 - delta)`.
#[inline]
pub fn declining_side_fights(delta: f64, p_now: f64, p_next: f64, cost: f64) -> bool {
    delta * (p_now - p_next) > (1.0 - delta) * (1.0 - p_now + cost)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// P1: delta = 0.9, p_t = 0.6, d = 0.05; the threshold is p_t1 = 0.55.
    #[test]
    fn p1_commitment_threshold() {
        assert!(declining_side_fights(0.9, 0.6, 0.30, 0.05), "0.30 -> war");
        assert!(
            !declining_side_fights(0.9, 0.6, 0.58, 0.05),
            "0.58 -> peace"
        );
        // Either side of the exact threshold.
        assert!(declining_side_fights(0.9, 0.6, 0.55 - 1e-9, 0.05));
        assert!(!declining_side_fights(0.9, 0.6, 0.55 + 1e-9, 0.05));
    }

    /// The derivation: war exactly when fighting now beats the best credible offer.
    #[test]
    fn matches_value_comparison() {
        for &(delta, p_now, p_next, cost) in &[
            (0.9, 0.6, 0.3, 0.05),
            (0.7, 0.5, 0.45, 0.1),
            (0.95, 0.3, 0.1, 0.2),
        ] {
            let fight = (p_now - cost) / (1.0 - delta);
            let offer = 1.0 + delta * (p_next - cost) / (1.0 - delta);
            assert_eq!(
                declining_side_fights(delta, p_now, p_next, cost),
                fight > offer + 1e-12
            );
        }
    }
}
