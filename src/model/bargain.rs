//! Splitting the bargaining range: asymmetric Nash bargaining with power from patience
//! (Nash 1950; Binmore, Rubinstein and Wolinsky 1986) and Rubinstein's alternating offers
//! (Rubinstein 1982) with outside options (Binmore, Shaked and Sutton 1989). Leverage, the
//! quantity Armistice plots, is the share of the issue a side commands at the solution.

/// Side `a`'s bargaining power in the asymmetric Nash solution from monthly discount factors:
/// `beta_a = ln d_b / (ln d_a + ln d_b)`, the limit of Rubinstein's game as the time between
/// offers shrinks. A perfectly patient side (`d = 1`) facing an impatient one has all the
/// power; two perfectly patient sides split evenly.
pub fn nash_power_from_patience(delta_a: f64, delta_b: f64) -> f64 {
    let ra = -delta_a.ln();
    let rb = -delta_b.ln();
    let total = ra + rb;
    if total > 0.0 { rb / total } else { 0.5 }
}

/// The asymmetric Nash point for `a` over the range `[d_a, 1 - d_b]`:
/// `d_a + beta_a (1 - d_a - d_b)`. With an empty range the same formula gives the point where
/// the two sides' gaps are shared in proportion to their power.
#[inline]
pub fn nash_share(d_a: f64, d_b: f64, beta_a: f64) -> f64 {
    d_a + beta_a * (1.0 - d_a - d_b)
}

/// The proposer's share in Rubinstein's alternating-offers game with discount factors
/// `delta_p` (proposer) and `delta_r` (responder): `(1 - delta_r) / (1 - delta_p delta_r)`.
pub fn rubinstein_proposer_share(delta_p: f64, delta_r: f64) -> f64 {
    let den = 1.0 - delta_p * delta_r;
    if den > 0.0 {
        (1.0 - delta_r) / den
    } else {
        0.5
    }
}

/// The proposer's share when the responder has an outside option worth `w`: the option binds
/// only when it exceeds the responder's Rubinstein share (the outside option principle).
#[cfg(test)]
pub fn rubinstein_with_outside_option(delta_p: f64, delta_r: f64, w: f64) -> f64 {
    rubinstein_proposer_share(delta_p, delta_r).min(1.0 - w)
}

/// How the table splits the range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Split {
    /// Asymmetric Nash: the share is `d_a + power_a (1 - d_a - d_b)`.
    Nash { power_a: f64 },
    /// Rubinstein with outside options: `a`'s equilibrium share is its Rubinstein share
    /// `share_a` clamped to the range.
    Rubinstein { share_a: f64 },
}

impl Split {
    /// The weight of side `a` in the (asymmetric) Nash product used to pick a package.
    pub fn weight_a(self) -> f64 {
        match self {
            Split::Nash { power_a } => power_a,
            Split::Rubinstein { share_a } => share_a,
        }
    }

    /// Side `a`'s leverage: the share of the issue it commands at the solution point of the
    /// range `[d_a, 1 - d_b]`. When the range is empty there is no agreement point; the
    /// power-weighted point between the two demands is returned, which keeps leverage
    /// continuous and monotone in both fighting values.
    ///
    /// Shares outside 0..=1 do not exist, so the point is clamped to them: a side whose
    /// fighting value is below 0 still cannot be given less than nothing. Clamping keeps
    /// leverage continuous and monotone.
    pub fn leverage_a(self, d_a: f64, d_b: f64) -> f64 {
        let x = match self {
            Split::Nash { power_a } => nash_share(d_a, d_b, power_a),
            Split::Rubinstein { share_a } => {
                let hi = 1.0 - d_b;
                if d_a <= hi {
                    share_a.clamp(d_a, hi)
                } else {
                    nash_share(d_a, d_b, share_a)
                }
            }
        };
        x.clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// N1: symmetric Nash with Fearon disagreement points from F1 gives p + (c_b - c_a)/2.
    #[test]
    fn n1_symmetric_nash() {
        let (p, c_a, c_b) = (0.4, 0.05, 0.15);
        let (d_a, d_b) = crate::model::fearon::disagreement_values(p, p, c_a, c_b);
        let x = nash_share(d_a, d_b, 0.5);
        assert!((x - 0.45).abs() < 1e-12);
        assert!((x - (p + (c_b - c_a) / 2.0)).abs() < 1e-12);
        // Equal patience is equal power.
        assert!((nash_power_from_patience(0.97, 0.97) - 0.5).abs() < 1e-12);
    }

    /// R1: delta = 0.9 for both gives the proposer 1/1.9.
    #[test]
    fn r1_symmetric_rubinstein() {
        assert!((rubinstein_proposer_share(0.9, 0.9) - 1.0 / 1.9).abs() < 1e-12);
        assert!((rubinstein_proposer_share(0.9, 0.9) - 0.526316).abs() < 1e-6);
    }

    /// R2: (0.95, 0.80) gives 0.833333 and (0.80, 0.95) gives 0.208333.
    #[test]
    fn r2_asymmetric_rubinstein() {
        assert!((rubinstein_proposer_share(0.95, 0.80) - 0.2 / 0.24).abs() < 1e-12);
        assert!((rubinstein_proposer_share(0.80, 0.95) - 0.05 / 0.24).abs() < 1e-12);
        assert!((rubinstein_proposer_share(0.95, 0.80) - 0.833333).abs() < 1e-6);
        assert!((rubinstein_proposer_share(0.80, 0.95) - 0.208333).abs() < 1e-6);
    }

    /// R3: responder outside option w with delta 0.9: w = 0.3 does not bind (0.526316),
    /// w = 0.6 does (0.4).
    #[test]
    fn r3_outside_option() {
        assert!((rubinstein_with_outside_option(0.9, 0.9, 0.3) - 1.0 / 1.9).abs() < 1e-12);
        assert!((rubinstein_with_outside_option(0.9, 0.9, 0.6) - 0.4).abs() < 1e-12);
        // The same through the leverage of a Rubinstein split where b's fighting value is w.
        let split = Split::Rubinstein {
            share_a: rubinstein_proposer_share(0.9, 0.9),
        };
        assert!((split.leverage_a(0.0, 0.3) - 1.0 / 1.9).abs() < 1e-12);
        assert!((split.leverage_a(0.0, 0.6) - 0.4).abs() < 1e-12);
    }

    #[test]
    fn patience_gives_power() {
        assert!(nash_power_from_patience(0.99, 0.95) > 0.5);
        assert_eq!(nash_power_from_patience(1.0, 0.9), 1.0);
        assert_eq!(nash_power_from_patience(1.0, 1.0), 0.5);
        assert!((rubinstein_proposer_share(1.0, 1.0) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn leverage_is_monotone_in_fighting_values() {
        for split in [
            Split::Nash { power_a: 0.3 },
            Split::Rubinstein { share_a: 0.6 },
        ] {
            let mut last = f64::NEG_INFINITY;
            for i in 0..=100 {
                let d_a = -0.5 + f64::from(i) * 0.015;
                let l = split.leverage_a(d_a, 0.4);
                assert!(l >= last - 1e-15, "{split:?} at d_a={d_a}");
                last = l;
            }
            let mut last = f64::INFINITY;
            for i in 0..=100 {
                let d_b = -0.5 + f64::from(i) * 0.015;
                let l = split.leverage_a(0.3, d_b);
                assert!(l <= last + 1e-15, "{split:?} at d_b={d_b}");
                last = l;
            }
        }
    }
}
