//! Axis ticks at round numbers (steps of 1, 2 or 5 times a power of ten, as many as come
//! closest to the count asked for) and the decimals their labels need.

/// Ticks within `[min, max]`, about `target` of them, and the decimals their labels need.
pub fn nice_ticks(min: f64, max: f64, target: usize) -> (Vec<f64>, usize) {
    if !(min.is_finite() && max.is_finite() && max > min) {
        return (vec![if min.is_finite() { min } else { 0.0 }], 0);
    }
    let target = target.max(2);
    let raw = (max - min) / target as f64;
    let mag = 10f64.powf(raw.log10().floor());
    // The round step whose tick count comes closest to the target (fewer ticks on a tie).
    let count = |s: f64| ((max / s).floor() - (min / s).ceil() + 1.0).max(0.0);
    let step = [0.5, 1.0, 2.0, 5.0, 10.0, 20.0]
        .into_iter()
        .map(|m| m * mag)
        .min_by(|a, b| {
            let da = (count(*a) - target as f64).abs();
            let db = (count(*b) - target as f64).abs();
            da.total_cmp(&db).then(b.total_cmp(a))
        })
        .unwrap_or(mag);
    let first = (min / step).ceil() as i64;
    let last = (max / step).floor() as i64;
    let ticks: Vec<f64> = (first..=last.max(first))
        .take(200)
        .map(|i| {
            let v = i as f64 * step;
            // Round away the float noise of i * step.
            let p = 10f64.powi(decimals_for(step) as i32 + 2);
            (v * p).round() / p
        })
        .filter(|v| *v >= min - step * 1e-9 && *v <= max + step * 1e-9)
        .collect();
    (ticks, decimals_for(step))
}

/// Decimals that show a step exactly (0.25 needs 2, 5 needs 0).
fn decimals_for(step: f64) -> usize {
    for d in 0..10 {
        let scaled = step * 10f64.powi(d);
        if (scaled - scaled.round()).abs() < 1e-6 * scaled.abs().max(1.0) {
            return d as usize;
        }
    }
    10
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_fall_on_round_numbers() {
        let (t, d) = nice_ticks(0.0, 1.0, 5);
        assert_eq!(t, vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(d, 1);
        let (t, d) = nice_ticks(-3.2, 47.0, 5);
        assert_eq!(t, vec![0.0, 10.0, 20.0, 30.0, 40.0]);
        assert_eq!(d, 0);
        let (t, _) = nice_ticks(0.0, 24.0, 6);
        assert_eq!(t, vec![0.0, 5.0, 10.0, 15.0, 20.0]);
        let (t, d) = nice_ticks(0.0, 1.0, 3);
        assert_eq!(t, vec![0.0, 0.5, 1.0]);
        assert_eq!(d, 1);
        let (t, d) = nice_ticks(0.0, 0.05, 5);
        assert_eq!(t, vec![0.0, 0.01, 0.02, 0.03, 0.04, 0.05]);
        assert_eq!(d, 2);
    }

    #[test]
    fn degenerate_ranges_give_one_tick() {
        assert_eq!(nice_ticks(2.0, 2.0, 5).0, vec![2.0]);
        assert_eq!(nice_ticks(f64::NAN, 1.0, 5).0, vec![0.0]);
    }
}
