//! Lanchester attrition: each side's losses are proportional to the opponent's combat power
//! (the "square law" of aimed fire, Lanchester 1916).

/// Losses per unit time of `(a, b)`: `a` loses `kill_rate_b * power_b`, `b` loses
/// `kill_rate_a * power_a`.
#[inline]
pub fn loss_rates(power_a: f64, power_b: f64, kill_rate_a: f64, kill_rate_b: f64) -> (f64, f64) {
    (kill_rate_b * power_b, kill_rate_a * power_a)
}

/// Integrates the square law dA/dt = -beta B, dB/dt = -alpha A with classical Runge-Kutta
/// steps of `dt` until one side is destroyed; returns the survivors `(A, B)`. The last step
/// is shortened so the loser ends at exactly zero.
#[cfg(test)]
pub fn fight_to_finish(a0: f64, b0: f64, alpha: f64, beta: f64, dt: f64) -> (f64, f64) {
    let deriv = |a: f64, b: f64| {
        let (la, lb) = loss_rates(a, b, alpha, beta);
        (-la, -lb)
    };
    let (mut a, mut b) = (a0, b0);
    for _ in 0..100_000_000u64 {
        if a <= 0.0 || b <= 0.0 {
            break;
        }
        let (k1a, k1b) = deriv(a, b);
        let (k2a, k2b) = deriv(a + 0.5 * dt * k1a, b + 0.5 * dt * k1b);
        let (k3a, k3b) = deriv(a + 0.5 * dt * k2a, b + 0.5 * dt * k2b);
        let (k4a, k4b) = deriv(a + dt * k3a, b + dt * k3b);
        let na = a + dt / 6.0 * (k1a + 2.0 * k2a + 2.0 * k3a + k4a);
        let nb = b + dt / 6.0 * (k1b + 2.0 * k2b + 2.0 * k3b + k4b);
        if na <= 0.0 || nb <= 0.0 {
            // Shorten the step linearly so the loser stops at zero.
            let frac = if nb <= 0.0 {
                b / (b - nb)
            } else {
                a / (a - na)
            };
            a += frac * (na - a);
            b += frac * (nb - b);
            if nb <= 0.0 {
                b = 0.0;
            } else {
                a = 0.0;
            }
            break;
        }
        a = na;
        b = nb;
    }
    (a.max(0.0), b.max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// L1: square law, 100 vs 80 with equal effectiveness leaves sqrt(100^2 - 80^2) = 60.
    #[test]
    fn l1_square_law_survivors() {
        let (a, b) = fight_to_finish(100.0, 80.0, 1.0, 1.0, 1e-4);
        assert_eq!(b, 0.0);
        assert!((a - 60.0).abs() < 1e-3, "survivors {a}");
    }

    #[test]
    fn loss_rates_follow_opponent_power() {
        let (la, lb) = loss_rates(100.0, 50.0, 0.1, 0.2);
        assert!((la - 10.0).abs() < 1e-12);
        assert!((lb - 10.0).abs() < 1e-12);
    }
}
