//! Contest success: the probability that side `a` prevails in a fight to the finish, from
//! the ratio of combat powers (Tullock / Hirshleifer ratio form).

/// p = C_a^n / (C_a^n + C_b^n), computed from the ratio so that large powers and exponents
/// do not overflow. `n` is the decisiveness exponent (1, 2 and 4 are the usual presets).
/// Both powers must be positive; the result is within 0..=1.
pub fn win_probability(c_a: f64, c_b: f64, n: f64) -> f64 {
    let ratio = c_b / c_a;
    // The usual presets are whole numbers; powi is exact enough and much cheaper.
    let r = if n == n.trunc() && (1.0..=16.0).contains(&n) {
        ratio.powi(n as i32)
    } else {
        ratio.powf(n)
    };
    if r.is_infinite() {
        0.0
    } else {
        1.0 / (1.0 + r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// K1: contest success with a 2:1 ratio.
    #[test]
    fn k1_two_to_one() {
        let cases = [
            (1.0, 2.0 / 3.0),
            (2.0, 4.0 / 5.0),
            (4.0, 16.0 / 17.0),
            (8.0, 256.0 / 257.0),
        ];
        for (n, expected) in cases {
            let p = win_probability(2.0, 1.0, n);
            assert!((p - expected).abs() < 1e-12, "n={n}: {p} vs {expected}");
            // and the weaker side gets the complement
            assert!((win_probability(1.0, 2.0, n) - (1.0 - expected)).abs() < 1e-12);
        }
    }

    #[test]
    fn extreme_ratios_stay_in_range() {
        assert_eq!(win_probability(1.0, 1e300, 64.0), 0.0);
        assert_eq!(win_probability(1e300, 1.0, 64.0), 1.0);
        assert!((win_probability(5.0, 5.0, 3.0) - 0.5).abs() < 1e-15);
    }
}
