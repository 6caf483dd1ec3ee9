//! Learning from the battlefield (format version 2): each side's belief about the hidden edge
//! behind the front's drift, updated by Bayes' rule from each month's front movement (a
//! normal prior with a normal signal of known variance, so the update is closed-form), and the
//! contest that turns a belief into a chance of prevailing. Slantchev (2003), "The Principle of
//! Convergence in Wartime Negotiations"; Powell (2004), "Bargaining and Learning While
//! Fighting"; Filson and Werner (2002). docs/MODEL.md, section 3B, gives the equations.
//!
//! Beliefs are kept in **edge units**: an edge `e` adds `e` to the symmetric relative distance
//! `g(r) = 2 (r - r*) / (r + r*)` of the power ratio from break-even, the quantity that moves
//! the front (`drift = v (g + e)`, so an edge of `e` is `v e` km² a month in `b`'s favour).

/// The symmetric relative distance of the power ratio `r = C_b / C_a` from break-even `r*`,
/// computed as `2 (C_b - r* C_a) / (C_b + r* C_a)` (no ratio is formed). It lies in (-2, 2).
#[inline]
pub fn balance(power_a: f64, power_b: f64, break_even: f64) -> f64 {
    let scaled_a = break_even * power_a;
    2.0 * (power_b - scaled_a) / (power_b + scaled_a)
}

/// Largest magnitude of an effective balance: just inside the open interval (-2, 2).
const BALANCE_LIMIT: f64 = 2.0 - 1e-12;

/// The chance that `a` prevails in a war to the finish, from the effective balance `x` (the
/// balance plus an edge) and the decisiveness exponent `n`: `1 / (1 + ((2 + x) / (2 - x))^n)`.
/// With no edge, `(2 + x) / (2 - x)` is exactly `r / r*`, so this is the ratio-form contest
/// of format version 1, `1 / (1 + (C_b / (r* C_a))^n)`.
#[inline]
pub fn prevail_a(x: f64, n: f64) -> f64 {
    let x = x.clamp(-BALANCE_LIMIT, BALANCE_LIMIT);
    let q = (2.0 + x) / (2.0 - x);
    let qn = if (1.0..=16.0).contains(&n) && n == n.trunc() {
        q.powi(n as i32)
    } else {
        q.powf(n)
    };
    if qn.is_infinite() {
        0.0
    } else {
        1.0 / (1.0 + qn)
    }
}

/// The effective balance at which `a` prevails with probability `p` (the inverse of
/// [`prevail_a`]): `x = 2 (k - 1) / (k + 1)` with `k = ((1 - p) / p)^(1/n)`. `p` is kept
/// within 1e-9 of 0 and 1.
#[inline]
pub fn balance_for(p: f64, n: f64) -> f64 {
    let p = p.clamp(1e-9, 1.0 - 1e-9);
    let k = ((1.0 - p) / p).powf(1.0 / n);
    // A nearly flat contest (tiny n) sends k to 0 or infinity: the balance is then at its
    // limit.
    let x = if k.is_infinite() {
        2.0
    } else {
        2.0 * (k - 1.0) / (k + 1.0)
    };
    if x.is_nan() {
        0.0
    } else {
        x.clamp(-BALANCE_LIMIT, BALANCE_LIMIT)
    }
}

/// Each side's prior mean edge, from its optimism (the bias in its own chance of prevailing at
/// the start, as in format version 1) and the true edge. `x0` is the true effective balance at
/// the start (balance plus true edge) and `n` the decisiveness. Side `a` believes `a` prevails
/// with `p0 + o_a`; side `b` believes `b` prevails with `(1 - p0) + o_b`; each chance is turned
/// back into a balance and the difference from `x0` is the side's bias.
pub fn prior_means(x0: f64, true_edge: f64, optimism: [f64; 2], n: f64) -> [f64; 2] {
    let p0 = prevail_a(x0, n);
    let believed_a = (p0 + optimism[0]).clamp(0.0, 1.0);
    let believed_b_about_a = 1.0 - ((1.0 - p0) + optimism[1]).clamp(0.0, 1.0);
    [
        true_edge + balance_for(believed_a, n) - x0,
        true_edge + balance_for(believed_b_about_a, n) - x0,
    ]
}

/// The weight of the evidence after `n` informative months, for a side whose prior standard
/// deviation is `prior_sd` when the front noise has standard deviation `noise_sd` (both in km²
/// a month; the front speed cancels): `n s^2 / (sigma^2 + n s^2)`. It is 0 with no evidence or
/// a certain prior, and 1 once a noiseless front has been seen.
#[inline]
pub fn evidence_weight(n: u32, prior_sd: f64, noise_sd: f64) -> f64 {
    if n == 0 || !(prior_sd > 0.0) {
        return 0.0;
    }
    let prior_var = prior_sd * prior_sd;
    let nv = f64::from(n) * prior_var;
    let den = noise_sd * noise_sd + nv;
    if den > 0.0 { nv / den } else { 1.0 }
}

/// The posterior mean of the edge after `n` signals summing to `signal_sum` (edge units):
/// `(1 - w) m0 + w (signal_sum / n)` with `w` from [`evidence_weight`]. This is the
/// normal-normal update `(m0 / s0^2 + S / s^2) / (1 / s0^2 + n / s^2)` with the signal
/// variance `s^2 = (sigma / v)^2` and the prior variance `s0^2 = (prior_sd / v)^2`.
#[inline]
pub fn posterior_mean(
    prior_mean: f64,
    n: u32,
    signal_sum: f64,
    prior_sd: f64,
    noise_sd: f64,
) -> f64 {
    let w = evidence_weight(n, prior_sd, noise_sd);
    if w == 0.0 {
        prior_mean
    } else {
        (1.0 - w) * prior_mean + w * (signal_sum / f64::from(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One observation: the posterior mean and variance by Bayes' rule, written out.
    #[test]
    fn update_after_one_observation_is_bayes_rule() {
        let (m0, s0, sigma, v): (f64, f64, f64, f64) = (-0.3, 120.0, 150.0, 4800.0);
        let y = 0.02; // edge units
        // Precisions in edge units.
        let tau0 = (v / s0).powi(2);
        let tau_y = (v / sigma).powi(2);
        let want = (tau0 * m0 + tau_y * y) / (tau0 + tau_y);
        let got = posterior_mean(m0, 1, y, s0, sigma);
        assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        // By hand: w = 120^2 / (150^2 + 120^2) = 14400 / 36900.
        let w = 14400.0 / 36900.0;
        assert!((got - ((1.0 - w) * m0 + w * y)).abs() < 1e-12);
    }

    /// n observations in one step equal n sequential updates.
    #[test]
    fn update_after_n_observations_equals_sequential_updates() {
        let (m0, s0, sigma) = (0.25, 80.0, 150.0);
        let ys = [0.01, -0.04, 0.03, 0.0, 0.12, -0.02, 0.05];
        // Sequential, in variances (the front speed cancels; use km2 units throughout).
        let (mut m, mut var) = (m0, s0 * s0);
        let noise_var = sigma * sigma;
        let mut sum = 0.0;
        for (k, y) in ys.iter().enumerate() {
            let post_var = 1.0 / (1.0 / var + 1.0 / noise_var);
            m = post_var * (m / var + y / noise_var);
            var = post_var;
            sum += y;
            let closed = posterior_mean(m0, k as u32 + 1, sum, s0, sigma);
            assert!((closed - m).abs() < 1e-12, "after {} signals", k + 1);
        }
    }

    #[test]
    fn certain_priors_never_move_and_a_noiseless_front_reveals_the_edge() {
        assert_eq!(posterior_mean(0.4, 5, 1.0, 0.0, 150.0), 0.4);
        assert_eq!(posterior_mean(0.4, 0, 0.0, 100.0, 150.0), 0.4);
        assert!((posterior_mean(0.4, 3, 0.3, 100.0, 0.0) - 0.1).abs() < 1e-15);
    }

    #[test]
    fn no_edge_is_the_version_1_contest() {
        for &(ca, cb, r, n) in &[
            (1.0, 2.0, 1.0, 2.0),
            (3.0, 1.0, 0.85, 4.0),
            (2.5, 2.0, 0.7, 1.5),
        ] {
            let x = balance(ca, cb, r);
            let v1 = crate::model::contest::win_probability(ca * r, cb, n);
            assert!((prevail_a(x, n) - v1).abs() < 1e-12);
        }
        // K1 through the balance: a 2:1 edge for a at break-even 1.
        let x = balance(2.0, 1.0, 1.0);
        assert!((prevail_a(x, 1.0) - 2.0 / 3.0).abs() < 1e-12);
        assert!((prevail_a(x, 2.0) - 0.8).abs() < 1e-12);
    }

    #[test]
    fn balance_for_inverts_prevail() {
        for &n in &[1.0, 2.0, 4.0, 2.7] {
            for &p in &[0.01, 0.2, 0.5, 0.77, 0.99] {
                assert!((prevail_a(balance_for(p, n), n) - p).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn optimism_becomes_a_prior_bias_that_reproduces_it_at_the_start() {
        let (x0, n) = (0.1, 2.0);
        let p0 = prevail_a(x0, n);
        let [ma, mb] = prior_means(x0, 0.0, [0.1, 0.15], n);
        assert!(ma < 0.0 && mb > 0.0, "a sees b weaker, b sees b stronger");
        assert!((prevail_a(x0 + ma, n) - (p0 + 0.1)).abs() < 1e-12);
        assert!((prevail_a(x0 + mb, n) - (p0 - 0.15)).abs() < 1e-12);
        assert_eq!(
            prior_means(x0, 0.0, [0.0, 0.0], n).map(|m| m.abs() < 1e-12),
            [true; 2]
        );
    }
}
